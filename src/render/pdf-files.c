/*
 * pdf-files.c - a set of new files that appear together, whole, or not at
 * all (see pdf.h): every PDF vncert writes goes through one.
 *
 * The guarantees:
 *  - No file of the set is visible under its final name before the data of
 *    every file of the set is on disk; a failed or interrupted run leaves no
 *    final name touched and no partial file.
 *  - Where the file system allows, a file being written has no name at all
 *    (O_TMPFILE): even SIGKILL or a power cut leaves nothing behind.  It is
 *    given a name only at the commit.  Past a few such files (each holds a
 *    descriptor until the commit) and where O_TMPFILE is missing, files are
 *    written in a hidden directory ".vncert-XXXXXX" inside the target
 *    directory, which its process keeps locked (flock) while it lives.
 *  - A later run removes those hidden directories whose process is gone
 *    (their lock is free): stale temporaries of vncert's own making, and
 *    nothing else.  Creating a hidden directory and taking its lock happen
 *    under a shared lock of the target directory, the clean-up under an
 *    exclusive one, so a directory just made is never taken for stale.
 *  - Commit: data flushed (one syncfs for many files, fdatasync for a few),
 *    nameless files linked into the hidden directory, then every file
 *    renamed to its final name.  Without overwrite a rename never replaces a
 *    file (RENAME_NOREPLACE).  With overwrite the files being replaced are
 *    first moved aside into the hidden directory, so that a failure
 *    part-way puts them back: all or nothing in both modes.
 *
 * All names are taken relative to a descriptor of the target directory
 * opened once, so a directory renamed meanwhile makes the writes fail
 * instead of landing elsewhere.
 */
#define _GNU_SOURCE /* syncfs, renameat2, O_TMPFILE */
#include "core/i18n.h"
#include "render/pdf-private.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#ifndef IOV_MAX
#define IOV_MAX 1024
#endif

/* Prefix of vncert's hidden temporary directories. */
#define TMP_PREFIX ".vncert-"
/* Files of a set kept as nameless descriptors (O_TMPFILE) until the commit;
 * beyond, files are written in the hidden directory. */
#define MAX_NAMELESS 32

typedef struct file_ent {
  char *name; /* final name */
  char *tmp;  /* name in the hidden directory; NULL while nameless */
  int fd;     /* nameless file's descriptor (until the commit), else -1 */
  bool moved; /* commit: the file it replaces was moved aside as tmp + "~" */
} file_ent_t;

struct vc_pdf_files {
  char *dir;
  int dirfd;
  bool overwrite;
  file_ent_t *f;
  long n, cap;
  long nameless;  /* entries holding a descriptor */
  int wfd;        /* descriptor of the file being written, -1 when none */
  bool wnamed;    /* it is in the hidden directory (closed at the end) */
  char *hid;      /* the hidden directory's name, NULL until needed */
  int hidfd;
  long stale;     /* files of abandoned runs removed at open */
  uint64_t rnd;   /* xorshift state for temporary names */
};

/* Six random letters and digits into s[0..5]. */
static void rand6(vc_pdf_files_t *f, char *s) {
  static const char az[] =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  for (int i = 0; i < 6; i++) {
    uint64_t x = f->rnd;
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    f->rnd = x;
    s[i] = az[x % (sizeof az - 1)];
  }
}

/* Removes every file in the hidden directory hd (descriptor, consumed) and
 * the directory itself (name in parent).  Returns the number of files. */
static long remove_hidden(int parent, const char *name, int hd) {
  long n = 0;
  DIR *dp = fdopendir(hd);
  if (!dp) {
    close(hd);
    return 0;
  }
  for (struct dirent *e; (e = readdir(dp)) != NULL;) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    if (unlinkat(dirfd(dp), e->d_name, 0) == 0) n++;
  }
  closedir(dp); /* also releases the lock */
  unlinkat(parent, name, AT_REMOVEDIR);
  return n;
}

/* Removes the hidden directories of runs that are gone (their lock is
 * free).  Skipped when the directory cannot be locked (another vncert is
 * just creating one, or the file system has no locks). */
static void clean_stale(vc_pdf_files_t *f) {
  if (flock(f->dirfd, LOCK_EX | LOCK_NB) != 0) return;
  int fd = dup(f->dirfd);
  DIR *dp = fd >= 0 ? fdopendir(fd) : NULL;
  if (!dp && fd >= 0) close(fd);
  for (struct dirent *e; dp && (e = readdir(dp)) != NULL;) {
    if (strncmp(e->d_name, TMP_PREFIX, sizeof TMP_PREFIX - 1) != 0) continue;
    int hd = openat(f->dirfd, e->d_name,
                    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (hd < 0) continue;
    if (flock(hd, LOCK_EX | LOCK_NB) != 0) { /* alive, or no locks here */
      close(hd);
      continue;
    }
    f->stale += remove_hidden(f->dirfd, e->d_name, hd);
  }
  if (dp) closedir(dp);
  flock(f->dirfd, LOCK_UN);
}

vc_pdf_files_t *vc_pdf_files_open(const char *dir, bool overwrite,
                                  vc_diag_t *d) {
  vc_pdf_files_t *f = calloc(1, sizeof *f);
  char *cdir = dir ? strdup(dir) : NULL;
  if (!f || !cdir) {
    free(f), free(cdir);
    vc_diag_add(d, VC_E_NOMEM, dir, 0, 0, "out of memory");
    return NULL;
  }
  f->dir = cdir;
  f->overwrite = overwrite;
  f->wfd = f->hidfd = -1;
  f->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (f->dirfd < 0) {
    vc_diag_add(d, VC_E_IO, dir, 0, 0, "cannot open the folder: %s",
                strerror(errno));
    free(f->dir);
    free(f);
    return NULL;
  }
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  f->rnd = ((uint64_t)ts.tv_nsec * 0x9E3779B97F4A7C15u) ^
           ((uint64_t)getpid() << 32) ^ (uint64_t)(uintptr_t)f;
  if (f->rnd == 0) f->rnd = 1;
  clean_stale(f);
  return f;
}

bool vc_pdf_out_path(const char *path, char **dir, char **name, vc_diag_t *d) {
  *dir = *name = NULL;
  struct stat st;
  char *real = NULL;
  if (path && lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
    if (!(real = realpath(path, NULL))) {
      vc_diag_add(d, VC_E_IO, path, 0, 0,
                  "this is a link to a file that cannot be reached (%s): "
                  "give the file's own name", strerror(errno));
      return false;
    }
    path = real;
  }
  const char *slash = path ? strrchr(path, '/') : NULL;
  const char *base = slash ? slash + 1 : path;
  if (!path || !*path) {
    vc_diag_add(d, VC_E_IO, path, 0, 0, "no file name to save the PDF to");
    return false;
  }
  if (!*base || !strcmp(base, ".") || !strcmp(base, "..") ||
      (stat(path, &st) == 0 && S_ISDIR(st.st_mode))) {
    vc_diag_add(d, VC_E_IO, path, 0, 0, "this is a folder, not a file name");
    free(real);
    return false;
  }
  *dir = slash ? strndup(path, (size_t)(slash - path) + (slash == path)) : strdup(".");
  *name = strdup(base);
  int dir_st = !*dir ? 0 : stat(*dir, &st) != 0 ? (errno == ENOENT ? 1 : 2)
                                                : S_ISDIR(st.st_mode) ? 0 : 2;
  if (*dir && *name && dir_st) {
    vc_diag_add(d, VC_E_IO, path, 0, 0, "cannot write there: the folder %s %s",
                *dir, dir_st == 1 ? _("does not exist") : _("cannot be used"));
    free(*dir), free(*name), free(real);
    *dir = *name = NULL;
    return false;
  }
  free(real);
  if (*dir && *name) return true;
  free(*dir), free(*name);
  *dir = *name = NULL;
  vc_diag_add(d, VC_E_NOMEM, NULL, 0, 0, "out of memory");
  return false;
}

long vc_pdf_files_count(const vc_pdf_files_t *f) { return f ? f->n : 0; }
long vc_pdf_files_stale_removed(const vc_pdf_files_t *f) { return f ? f->stale : 0; }

/* The hidden directory, made and locked on first use.  false with errno. */
static bool hidden_dir(vc_pdf_files_t *f) {
  if (f->hidfd >= 0) return true;
  char name[sizeof TMP_PREFIX + 6];
  bool locked = flock(f->dirfd, LOCK_SH) == 0; /* see the header comment */
  int err = 0;
  for (int tries = 0; tries < 100; tries++) {
    memcpy(name, TMP_PREFIX, sizeof TMP_PREFIX - 1);
    rand6(f, name + sizeof TMP_PREFIX - 1);
    name[sizeof name - 1] = '\0';
    if (mkdirat(f->dirfd, name, 0700) == 0) break;
    err = errno;
    name[0] = '\0';
    if (err != EEXIST) break;
  }
  if (name[0]) {
    f->hidfd = openat(f->dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    err = errno;
    if (f->hidfd >= 0 && flock(f->hidfd, LOCK_EX | LOCK_NB) != 0 && errno != ENOLCK &&
        errno != EOPNOTSUPP) {
      err = errno;
      close(f->hidfd);
      f->hidfd = -1;
    }
    if (f->hidfd < 0) unlinkat(f->dirfd, name, AT_REMOVEDIR);
    else f->hid = strdup(name);
    if (f->hidfd >= 0 && !f->hid) {
      err = ENOMEM;
      close(f->hidfd);
      f->hidfd = -1;
      unlinkat(f->dirfd, name, AT_REMOVEDIR);
    }
  }
  if (locked) flock(f->dirfd, LOCK_UN);
  if (f->hidfd < 0) errno = err ? err : EIO;
  return f->hidfd >= 0;
}

/* A new file in the hidden directory: "N" numbered in the set.  Fills
 * *tmp (malloc'd).  -1 with errno. */
static int open_named(vc_pdf_files_t *f, char **tmp) {
  if (!hidden_dir(f)) return -1;
  char t[32];
  snprintf(t, sizeof t, "%ld", f->n);
  char *ct = strdup(t);
  if (!ct) {
    errno = ENOMEM;
    return -1;
  }
  int fd = openat(f->hidfd, ct, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0) {
    int e = errno;
    free(ct);
    errno = e;
    return -1;
  }
  *tmp = ct;
  return fd;
}

int vc_pdf_files_begin(vc_pdf_files_t *f, const char *name, vc_diag_t *d) {
  if (!f) return -1;
  if (f->wfd >= 0 || !*name || strchr(name, '/') || !strcmp(name, ".") ||
      !strcmp(name, "..")) {
    vc_diag_add(d, VC_E_INTERNAL, f->dir, 0, 0, "bad file name \"%s\"", name);
    return -1;
  }
  if (f->n == f->cap) { /* room first: nothing can fail after the write */
    long cap = f->cap ? f->cap * 2 : 64;
    file_ent_t *nf = realloc(f->f, (size_t)cap * sizeof *nf);
    if (!nf) {
      vc_diag_add(d, VC_E_NOMEM, f->dir, 0, 0, "out of memory");
      return -1;
    }
    f->f = nf;
    f->cap = cap;
  }
  file_ent_t *e = &f->f[f->n];
  *e = (file_ent_t){.name = strdup(name), .fd = -1};
  if (!e->name) {
    vc_diag_add(d, VC_E_NOMEM, f->dir, 0, 0, "out of memory");
    return -1;
  }
  int fd = -1;
  if (f->nameless < MAX_NAMELESS) {
#ifdef O_TMPFILE
    fd = openat(f->dirfd, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
#endif
    if (fd >= 0) {
      e->fd = fd;
      f->nameless++;
    }
  }
  if (fd < 0) fd = open_named(f, &e->tmp);
  if (fd < 0) {
    vc_diag_add(d, VC_E_IO, f->dir, 0, 0, "cannot create %s there: %s", name,
                strerror(errno));
    free(e->name);
    return -1;
  }
  f->n++;
  f->wfd = fd;
  f->wnamed = e->fd < 0;
  return fd;
}

/* Forgets entry i (the last one): closes and removes its file. */
static void drop_last(vc_pdf_files_t *f) {
  file_ent_t *e = &f->f[--f->n];
  if (e->fd >= 0) close(e->fd), f->nameless--;
  if (e->tmp) unlinkat(f->hidfd, e->tmp, 0);
  free(e->tmp);
  free(e->name);
}

bool vc_pdf_files_end(vc_pdf_files_t *f, bool ok, vc_diag_t *d) {
  if (!f || f->wfd < 0) return false;
  int err = 0;
  if (f->wnamed && close(f->wfd) != 0 && ok) ok = false, err = errno;
  f->wfd = -1;
  if (!ok) {
    if (err)
      vc_diag_add(d, VC_E_IO, f->dir, 0, 0, "cannot write %s there: %s",
                  f->f[f->n - 1].name, strerror(err));
    drop_last(f);
  }
  return ok;
}

/* Writes all of iov[0..n) (changed: used up) to fd.  false with errno. */
bool vc__pdf_write_iov(int fd, struct iovec *iov, int n) {
  while (n > 0) {
    if (iov->iov_len == 0) {
      iov++, n--;
      continue;
    }
    ssize_t w = writev(fd, iov, n < IOV_MAX ? n : IOV_MAX);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      if (w == 0) errno = EIO;
      return false;
    }
    size_t left = (size_t)w;
    while (n > 0 && left >= iov->iov_len) {
      left -= iov->iov_len;
      iov++, n--;
    }
    if (n > 0) { /* a partial write: go on from inside this piece */
      iov->iov_base = (char *)iov->iov_base + left;
      iov->iov_len -= left;
    }
  }
  return true;
}

bool vc__pdf_files_add(vc_pdf_files_t *f, const char *name,
                      const struct iovec *iov, int n, vc_diag_t *d) {
  struct iovec small[16], *v = n <= 16 ? small : malloc((size_t)n * sizeof *v);
  if (!v) {
    vc_diag_add(d, VC_E_NOMEM, f->dir, 0, 0, "out of memory");
    return false;
  }
  memcpy(v, iov, (size_t)n * sizeof *v);
  int fd = vc_pdf_files_begin(f, name, d);
  bool ok = fd >= 0 && vc__pdf_write_iov(fd, v, n);
  int err = errno;
  if (v != small) free(v);
  if (fd < 0) return false;
  if (!ok)
    vc_diag_add(d, VC_E_IO, f->dir, 0, 0, "cannot write %s there: %s", name,
                strerror(err));
  return vc_pdf_files_end(f, ok, d);
}

/* Sets of at most this many files are flushed file by file: syncfs also
 * waits for whatever else is pending on the file system, which only pays
 * off for many files. */
#define FEW_FILES 8

/* The data of every file on disk.  false with errno. */
static bool flush_all(vc_pdf_files_t *f) {
  bool synced = false;
  if (f->n - f->nameless > FEW_FILES) {
    if (syncfs(f->hidfd) == 0) synced = true;
    else if (errno != ENOSYS) return false;
  }
  for (long i = 0; i < f->n; i++) {
    file_ent_t *e = &f->f[i];
    if (e->fd >= 0) {
      if (fdatasync(e->fd) != 0) return false;
      continue;
    }
    if (synced) continue;
    int fd = openat(f->hidfd, e->tmp, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    bool ok = fdatasync(fd) == 0;
    int err = errno;
    close(fd);
    if (!ok) {
      errno = err;
      return false;
    }
  }
  return true;
}

/* Gives a nameless file a name in the hidden directory.  false with
 * errno. */
static bool link_nameless(vc_pdf_files_t *f, file_ent_t *e, long i) {
  char t[32];
  snprintf(t, sizeof t, "%ld", i);
  if (!(e->tmp = strdup(t))) {
    errno = ENOMEM;
    return false;
  }
  /* AT_EMPTY_PATH needs a privilege; /proc/self/fd does not. */
  if (linkat(e->fd, "", f->hidfd, e->tmp, AT_EMPTY_PATH) != 0) {
    char proc[64];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", e->fd);
    if (linkat(AT_FDCWD, proc, f->hidfd, e->tmp, AT_SYMLINK_FOLLOW) != 0) {
      int err = errno;
      free(e->tmp);
      e->tmp = NULL;
      errno = err;
      return false;
    }
  }
  close(e->fd);
  e->fd = -1;
  f->nameless--;
  return true;
}

/* Name of the old file entry e replaces, kept aside: its tmp name + "~". */
static void aside_name(const file_ent_t *e, char *buf, size_t n) {
  snprintf(buf, n, "%s~", e->tmp);
}

/* Gives entry e its final name.  Without overwrite, never replaces a file;
 * with it, a file being replaced is first moved aside (e->moved).  false
 * with errno. */
static bool put_in_place(vc_pdf_files_t *f, file_ent_t *e) {
  if (f->overwrite) {
    struct stat st;
    if (fstatat(f->dirfd, e->name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
        S_ISDIR(st.st_mode)) {
      errno = EISDIR; /* a folder is never replaced by a file */
      return false;
    }
    char aside[48];
    aside_name(e, aside, sizeof aside);
    if (renameat(f->dirfd, e->name, f->hidfd, aside) == 0) e->moved = true;
    else if (errno != ENOENT) return false;
    return renameat(f->hidfd, e->tmp, f->dirfd, e->name) == 0;
  }
  if (renameat2(f->hidfd, e->tmp, f->dirfd, e->name, RENAME_NOREPLACE) == 0)
    return true;
  if (errno != EINVAL && errno != ENOSYS) return false;
  /* A file system without RENAME_NOREPLACE: a hard link fails on an
   * existing name too; without hard links (FAT), check, then rename. */
  if (linkat(f->hidfd, e->tmp, f->dirfd, e->name, 0) == 0) {
    unlinkat(f->hidfd, e->tmp, 0);
    return true;
  }
  if (errno == EEXIST) return false;
  if (faccessat(f->dirfd, e->name, F_OK, AT_SYMLINK_NOFOLLOW) == 0) {
    errno = EEXIST;
    return false;
  }
  return renameat(f->hidfd, e->tmp, f->dirfd, e->name) == 0;
}

/* Undoes the renames of entries [0, k): each new file goes back into the
 * hidden directory (removed with it), each file it replaced back to its
 * name. */
static void undo(vc_pdf_files_t *f, long k) {
  for (long i = 0; i < k; i++) {
    file_ent_t *e = &f->f[i];
    renameat(f->dirfd, e->name, f->hidfd, e->tmp);
    if (e->moved) {
      char aside[48];
      aside_name(e, aside, sizeof aside);
      renameat(f->hidfd, aside, f->dirfd, e->name);
      e->moved = false;
    }
  }
}

/* Closes the descriptors, removes the hidden directory with what is left
 * in it, empties the set. */
static void drop_all(vc_pdf_files_t *f) {
  if (f->wfd >= 0 && f->wnamed) close(f->wfd);
  f->wfd = -1;
  for (long i = 0; i < f->n; i++) {
    if (f->f[i].fd >= 0) close(f->f[i].fd);
    free(f->f[i].tmp);
    free(f->f[i].name);
  }
  f->n = f->nameless = 0;
  if (f->hidfd >= 0) {
    remove_hidden(f->dirfd, f->hid, f->hidfd);
    f->hidfd = -1;
  }
  free(f->hid);
  f->hid = NULL;
}

bool vc_pdf_files_commit(vc_pdf_files_t *f, vc_diag_t *d) {
  if (!f) return false;
  if (f->wfd >= 0) {
    vc_diag_add(d, VC_E_INTERNAL, f->dir, 0, 0, "a file is still being written");
    drop_all(f);
    return false;
  }
  if (f->n == 0) return true;
  bool ok = hidden_dir(f) && flush_all(f);
  for (long i = 0; ok && i < f->n; i++)
    if (f->f[i].fd >= 0) ok = link_nameless(f, &f->f[i], i);
  if (!ok) {
    vc_diag_add(d, VC_E_IO, f->dir, 0, 0,
                "cannot put the files on disk: %s; none was written",
                strerror(errno));
    drop_all(f);
    return false;
  }
  for (long i = 0; i < f->n; i++) {
    if (put_in_place(f, &f->f[i])) continue;
    int err = errno;
    vc_diag_add(d, err == EEXIST ? VC_E_INPUT : VC_E_IO, f->dir, 0, 0,
                "cannot give %s its name: %s%s", f->f[i].name, strerror(err),
                i > 0 ? _(" (the files already in place were taken back)") : "");
    undo(f, i);
    drop_all(f);
    return false;
  }
  /* Makes the renames durable; a failure here loses no data. */
  (void)fsync(f->dirfd);
  drop_all(f); /* the files replaced, kept aside until now, go too */
  return true;
}

void vc_pdf_files_free(vc_pdf_files_t *f) {
  if (!f) return;
  drop_all(f);
  close(f->dirfd);
  free(f->f);
  free(f->dir);
  free(f);
}
