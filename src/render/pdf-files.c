/*
 * pdf-files.c - a set of new files that appear together (see pdf.h), for
 * the split writer.
 *
 * The guarantee: no file of the set is visible under its final name before
 * the data of every file of the set is on disk.  Each file is written under
 * a temporary name in the target directory (created with O_EXCL, so nothing
 * that exists is ever opened); the commit flushes them all with one
 * syncfs() - one flush instead of an fsync per file, which would cost a
 * disk round trip each (a few files are fsynced each, see flush_all) - then
 * renames them, then syncs the directory so that the renames last too.  A failure before the renames removes every
 * temporary file: a failed run leaves nothing under a final name and no
 * partial file anywhere.  Without overwrite, renames refuse to replace a
 * file (RENAME_NOREPLACE), closing the gap between the caller's check that
 * a name is free and the commit.
 *
 * All names are taken relative to a descriptor of the directory opened
 * once, so a directory renamed or removed meanwhile makes the writes fail
 * instead of landing elsewhere.
 */
#define _GNU_SOURCE /* syncfs, renameat2 */
#include "render/pdf-private.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#ifndef IOV_MAX
#define IOV_MAX 1024
#endif

typedef struct file_ent {
  char *tmp;  /* temporary name, in the directory */
  char *name; /* final name */
} file_ent_t;

struct vc_pdf_files {
  char *dir;
  int dirfd;
  bool overwrite;
  file_ent_t *f;
  long n, cap;
  uint64_t rnd; /* xorshift state for temporary names */
};

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
  f->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (f->dirfd < 0) {
    vc_diag_add(d, VC_E_IO, dir, 0, 0, "cannot open the directory: %s",
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
  return f;
}

long vc_pdf_files_count(const vc_pdf_files_t *f) { return f ? f->n : 0; }

/* Writes all of iov[0..n) (changed: used up) to fd.  false with errno. */
static bool write_iov(int fd, struct iovec *iov, int n) {
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

/* Creates ".<name>.XXXXXX" exclusively in the directory (mode 0666 less
 * umask, like any new file).  Returns the descriptor and *tmp (malloc'd),
 * or -1 with errno. */
static int open_temp(vc_pdf_files_t *f, const char *name, char **tmp) {
  static const char az[] =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  size_t len = strlen(name) + 9;
  char *t = malloc(len);
  if (!t) {
    errno = ENOMEM;
    return -1;
  }
  for (int tries = 0; tries < 100; tries++) {
    char suf[7];
    for (int i = 0; i < 6; i++) {
      uint64_t x = f->rnd;
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;
      f->rnd = x;
      suf[i] = az[x % (sizeof az - 1)];
    }
    suf[6] = '\0';
    snprintf(t, len, ".%s.%s", name, suf);
    int fd = openat(f->dirfd, t, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd >= 0) {
      *tmp = t;
      return fd;
    }
    if (errno != EEXIST) break;
  }
  int e = errno;
  free(t);
  errno = e;
  return -1;
}

bool vc_pdf_files_add(vc_pdf_files_t *f, const char *name,
                      const struct iovec *iov, int n, vc_diag_t *d) {
  if (!*name || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, "..")) {
    vc_diag_add(d, VC_E_INTERNAL, f->dir, 0, 0, "bad file name \"%s\"", name);
    return false;
  }
  if (f->n == f->cap) { /* room first: nothing can fail after the write */
    long cap = f->cap ? f->cap * 2 : 256;
    file_ent_t *nf = realloc(f->f, (size_t)cap * sizeof *nf);
    if (!nf) {
      vc_diag_add(d, VC_E_NOMEM, f->dir, 0, 0, "out of memory");
      return false;
    }
    f->f = nf;
    f->cap = cap;
  }
  char *cname = strdup(name), *tmp = NULL;
  struct iovec small[16], *v = n <= 16 ? small : malloc((size_t)n * sizeof *v);
  if (!cname || !v) {
    free(cname);
    if (v != small) free(v);
    vc_diag_add(d, VC_E_NOMEM, f->dir, 0, 0, "out of memory");
    return false;
  }
  memcpy(v, iov, (size_t)n * sizeof *v);
  int fd = open_temp(f, name, &tmp);
  bool ok = fd >= 0 && write_iov(fd, v, n);
  int err = errno;
  if (fd >= 0 && close(fd) != 0 && ok) ok = false, err = errno;
  if (v != small) free(v);
  if (!ok) {
    vc_diag_add(d, VC_E_IO, f->dir, 0, 0, "cannot write %s there: %s", name,
                strerror(err));
    if (tmp) unlinkat(f->dirfd, tmp, 0);
    free(tmp);
    free(cname);
    return false;
  }
  f->f[f->n].tmp = tmp;
  f->f[f->n].name = cname;
  f->n++;
  return true;
}

/* Removes the temporary files of entries [from, n) and empties the set. */
static void drop_from(vc_pdf_files_t *f, long from) {
  for (long i = 0; i < f->n; i++) {
    if (i >= from) unlinkat(f->dirfd, f->f[i].tmp, 0);
    free(f->f[i].tmp);
    free(f->f[i].name);
  }
  f->n = 0;
}

/* Gives entry i its final name; without overwrite, never replaces a file.
 * false with errno. */
static bool put_in_place(vc_pdf_files_t *f, long i) {
  const char *tmp = f->f[i].tmp, *name = f->f[i].name;
  if (f->overwrite) return renameat(f->dirfd, tmp, f->dirfd, name) == 0;
  if (renameat2(f->dirfd, tmp, f->dirfd, name, RENAME_NOREPLACE) == 0)
    return true;
  if (errno != EINVAL && errno != ENOSYS) return false;
  /* A file system without RENAME_NOREPLACE: a hard link fails on an
   * existing name too; without hard links (FAT), check, then rename. */
  if (linkat(f->dirfd, tmp, f->dirfd, name, 0) == 0) {
    unlinkat(f->dirfd, tmp, 0);
    return true;
  }
  if (errno == EEXIST) return false;
  if (faccessat(f->dirfd, name, F_OK, AT_SYMLINK_NOFOLLOW) == 0) {
    errno = EEXIST;
    return false;
  }
  return renameat(f->dirfd, tmp, f->dirfd, name) == 0;
}

/* Sets of at most this many files are flushed file by file: syncfs also
 * waits for whatever else is pending on the file system, which only pays
 * off for many files. */
#define FEW_FILES 8

/* The data of every file on disk: one syncfs, or fdatasync per file for a
 * few files or where the system has no syncfs.  false with errno. */
static bool flush_all(vc_pdf_files_t *f) {
  if (f->n > FEW_FILES) {
    if (syncfs(f->dirfd) == 0) return true;
    if (errno != ENOSYS) return false;
  }
  for (long i = 0; i < f->n; i++) {
    int fd = openat(f->dirfd, f->f[i].tmp, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return false;
    bool ok = fdatasync(fd) == 0;
    int e = errno;
    close(fd);
    if (!ok) {
      errno = e;
      return false;
    }
  }
  return true;
}

bool vc_pdf_files_commit(vc_pdf_files_t *f, vc_diag_t *d) {
  if (!f) return false;
  if (f->n == 0) return true;
  if (!flush_all(f)) {
    vc_diag_add(d, VC_E_IO, f->dir, 0, 0,
                "cannot put the files on disk: %s; none was written",
                strerror(errno));
    drop_from(f, 0);
    return false;
  }
  for (long i = 0; i < f->n; i++) {
    if (put_in_place(f, i)) continue;
    int err = errno;
    vc_diag_add(d, err == EEXIST ? VC_E_INPUT : VC_E_IO, f->dir, 0, 0,
                "cannot give %s its name: %s", f->f[i].name, strerror(err));
    if (!f->overwrite) {
      /* Files created by this set only: undone, nothing is lost. */
      for (long j = 0; j < i; j++) unlinkat(f->dirfd, f->f[j].name, 0);
      if (i > 0)
        vc_diag_add(d, VC_E_IO, f->dir, 0, 0,
                    "the %ld files already in place were removed again", i);
    } else if (i > 0) {
      vc_diag_add(d, VC_E_IO, f->dir, 0, 0,
                  "%ld of the %ld files were written (complete) before this",
                  i, f->n);
    }
    drop_from(f, i);
    return false;
  }
  /* Makes the renames durable; a failure here loses no data. */
  (void)fsync(f->dirfd);
  drop_from(f, f->n);
  return true;
}

void vc_pdf_files_free(vc_pdf_files_t *f) {
  if (!f) return;
  drop_from(f, 0);
  close(f->dirfd);
  free(f->f);
  free(f->dir);
  free(f);
}
