/*
 * reader.c - a recipient list from a file, whatever form it has (see
 * reader.h), as one stream of records: the file is read in pieces, a
 * workbook goes to workbook.c (whole: libzip needs the archive), text goes
 * through decode.c's decoder to UTF-8 and then csv.c, each record on to the
 * caller's vc_record_fn as soon as it is read.
 *
 * Decisions:
 *  - The kind is chosen by content, never by the file name: schools rename
 *    files freely (.csv that is really "Unicode Text", .xls that is CSV).
 *  - An old binary Excel workbook (.xls, OLE2) is named and refused with
 *    how to save it, rather than reported as "not UTF-8"; an .xlsx with a
 *    password to open (also OLE2: vc_workbook_is_encrypted) is named as
 *    password-protected, with how to remove the password.
 *  - --sheet on a text file is a usage error (it cannot mean anything);
 *    --encoding on a workbook is ignored (a workbook's text is always
 *    Unicode), and the report says "xlsx"/"ods".
 *  - Path "-" reads standard input, named "(stdin)" in messages.  A pipe
 *    cannot be read twice, so it is held (capped); a regular file is not.
 *  - Text is read twice, in pieces: a first pass only checks the bytes, the
 *    second feeds the CSV reader, so a refusal of the encoding comes alone,
 *    before any record.  Only a refusal reads the file whole, for its
 *    evidence (vc_decode_stream_explain).
 */
#include "input/reader.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "input/csv.h"
#include "input/decode.h"
#include "input/workbook.h"

/* Where the bytes come from: a regular file, read in pieces at offsets, or
 * the whole input held (standard input, a pipe). */
typedef struct source {
  const char *name; /* for messages */
  int fd;           /* a regular file, or -1 */
  char *mem;        /* the held input (fd -1) */
  size_t total;     /* the file's size */
  char *piece;      /* VC_INPUT_CHUNK bytes for pieces of fd */
} source_t;

/* Says why path cannot be opened (errno e). */
static void open_error(const char *path, const char *name, int e, vc_diag_t *d) {
  struct stat st;
  if (e == ENOENT && stat(path, &st) != 0) {
    const char *slash = strrchr(path, '/');
    if (slash && slash != path) { /* is it the folder that is missing? */
      char dir[4096];
      snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
      if (stat(dir, &st) != 0) {
        vc_diag_add(d, VC_E_IO, name, 0, 0, "the folder %s does not exist", dir);
        return;
      }
    }
    vc_diag_add(d, VC_E_IO, name, 0, 0, "there is no such file (check the name and folder)");
  } else if (e == EACCES) {
    vc_diag_add(d, VC_E_IO, name, 0, 0, "vncert may not read this file (permission denied)");
  } else {
    vc_diag_add(d, VC_E_IO, name, 0, 0, "cannot open the file: %s", strerror(e));
  }
}

/* Reads fd (not a regular file) to its end, at most VC_CSV_MAX_BYTES, into
 * a new buffer with room for a NUL (caller frees); NULL with a diag. */
static char *hold_all(int fd, const char *name, size_t *lenp, vc_diag_t *d) {
  size_t cap = 64u << 10, len = 0;
  char *buf = malloc(cap);
  int err = 0;
  while (buf) {
    if (len == cap) {
      if (cap > VC_CSV_MAX_BYTES) break; /* one byte past the cap is enough to know */
      size_t ncap = cap * 2 > (size_t)VC_CSV_MAX_BYTES + 1 ? (size_t)VC_CSV_MAX_BYTES + 1 : cap * 2;
      char *nb = realloc(buf, ncap);
      if (!nb) {
        free(buf);
        buf = NULL;
        break;
      }
      buf = nb;
      cap = ncap;
    }
    ssize_t got = read(fd, buf + len, cap - len);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      err = errno;
      break;
    }
    if (got == 0) break;
    len += (size_t)got;
  }
  if (!buf) {
    vc_diag_add(d, VC_E_NOMEM, name, 0, 0, "out of memory reading the file");
    return NULL;
  }
  if (err) {
    if (err == EISDIR)
      vc_diag_add(d, VC_E_IO, name, 0, 0, "this is a folder, not a file: name the list inside it");
    else
      vc_diag_add(d, VC_E_IO, name, 0, 0, "cannot read the file: %s", strerror(err));
    free(buf);
    return NULL;
  }
  if (len > VC_CSV_MAX_BYTES) {
    vc_diag_add(d, VC_E_LIMIT, name, 0, 0,
                "the file is more than the %u MB vncert reads: split it", VC_CSV_MAX_BYTES >> 20);
    free(buf);
    return NULL;
  }
  *lenp = len;
  return buf;
}

/* Opens path into *s; false with a diag (VC_E_IO, VC_E_LIMIT, VC_E_NOMEM). */
static bool source_open(source_t *s, const char *path, vc_diag_t *d) {
  bool is_stdin = strcmp(path, "-") == 0;
  int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    open_error(path, s->name, errno, d);
    return false;
  }
  struct stat st;
  bool ok = true, reg = false;
  if (fstat(fd, &st) == 0) {
    reg = S_ISREG(st.st_mode);
    if (S_ISDIR(st.st_mode)) {
      vc_diag_add(d, VC_E_IO, s->name, 0, 0, "this is a folder, not a file: name the list inside it");
      ok = false;
    } else if (reg && (uintmax_t)st.st_size > VC_CSV_MAX_BYTES) {
      vc_diag_add(d, VC_E_LIMIT, s->name, 0, 0,
                  "the file is %jd MB, more than the %u MB vncert reads: split it",
                  (intmax_t)(st.st_size >> 20), VC_CSV_MAX_BYTES >> 20);
      ok = false;
    }
  }
  if (ok && reg) {
    s->piece = malloc(VC_INPUT_CHUNK);
    if (!s->piece) {
      vc_diag_add(d, VC_E_NOMEM, s->name, 0, 0, "out of memory reading the file");
      ok = false;
    } else {
      s->fd = fd;
      s->total = (size_t)st.st_size;
      return true;
    }
  }
  if (ok) ok = (s->mem = hold_all(fd, s->name, &s->total, d)) != NULL;
  if (!is_stdin) close(fd);
  return ok;
}

static void source_close(source_t *s) {
  if (s->fd >= 0) close(s->fd);
  free(s->mem);
  free(s->piece);
}

/* The piece at byte `at` (VC_INPUT_CHUNK bytes, fewer only at the end) in
 * *p: its length, or -1 on a read error (errno). */
static ssize_t source_piece(source_t *s, size_t at, const char **p) {
  if (s->fd < 0) {
    size_t n = at < s->total ? s->total - at : 0;
    *p = s->mem + at;
    return (ssize_t)(n < VC_INPUT_CHUNK ? n : VC_INPUT_CHUNK);
  }
  size_t len = 0;
  while (len < VC_INPUT_CHUNK) {
    ssize_t got = pread(s->fd, s->piece + len, VC_INPUT_CHUNK - len, (off_t)(at + len));
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return -1;
    if (got == 0) break;
    len += (size_t)got;
  }
  *p = s->piece;
  return (ssize_t)len;
}

/* The whole file, for a workbook or a refusal's evidence: the held input,
 * or a new buffer (*own set: caller frees).  NULL with a diag. */
static const char *source_whole(source_t *s, char **own, vc_diag_t *d) {
  *own = NULL;
  if (s->fd < 0) return s->mem;
  char *buf = malloc(s->total + 1);
  if (!buf) {
    vc_diag_add(d, VC_E_NOMEM, s->name, 0, 0, "out of memory reading the file");
    return NULL;
  }
  size_t len = 0;
  while (len < s->total) {
    ssize_t got = pread(s->fd, buf + len, s->total - len, (off_t)len);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) {
      if (got < 0) vc_diag_add(d, VC_E_IO, s->name, 0, 0, "cannot read the file: %s", strerror(errno));
      else vc_diag_add(d, VC_E_IO, s->name, 0, 0, "the file changed while it was read");
      free(buf);
      return NULL;
    }
    len += (size_t)got;
  }
  return *own = buf;
}

/* Excel 97-2003 (.xls) and other old Office files start with this. */
static bool looks_ole2(const char *buf, size_t len) {
  return len >= 8 && memcmp(buf, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0;
}

/* One pass of the file through the decoder (emit NULL: checking only):
 * PASS_READ is a read error (errno), PASS_FAILED bytes the decoder cannot
 * read, PASS_STOPPED emit saying stop. */
enum { PASS_OK, PASS_READ, PASS_FAILED, PASS_STOPPED, PASS_CHANGED };
static int text_pass(source_t *s, vc_decode_stream_t *ds, vc_decode_emit_fn emit, void *ud) {
  size_t at = 0;
  for (;;) {
    const char *p;
    ssize_t got = source_piece(s, at, &p);
    if (got < 0) return PASS_READ;
    at += (size_t)got;
    bool last = (size_t)got < VC_INPUT_CHUNK;
    if (!vc_decode_stream_feed(ds, p, (size_t)got, last, emit, ud))
      return vc_decode_stream_failed(ds) ? PASS_FAILED : PASS_STOPPED;
    if (last) return at == s->total ? PASS_OK : PASS_CHANGED;
  }
}

/* Decoded text, as a decode emitter, into the CSV reader. */
static bool feed_csv(void *ud, const char *s, size_t n) { return vc_csv_stream_feed(ud, s, n); }

/* The decoder for the file, checked by a first pass: NULL when the file is
 * refused (said in d; info->encoding cleared). */
static vc_decode_stream_t *text_open(source_t *s, const char *head, size_t hlen,
                                     const char *enc, vc_read_info_t *info, vc_diag_t *d) {
  bool more = false;
  char *own = NULL;
  const char *whole = NULL;
  vc_decode_stream_t *ds =
      vc_decode_stream_open(head, hlen, s->total, enc, s->name, info->encoding, &more, d);
  if (!ds && more && (whole = source_whole(s, &own, d)))
    ds = vc_decode_stream_open(whole, s->total, s->total, enc, s->name, info->encoding, &more, d);
  int rc = ds ? text_pass(s, ds, NULL, NULL) : PASS_FAILED;
  if (ds && rc == PASS_FAILED) { /* the evidence is the whole file */
    if ((whole || (whole = source_whole(s, &own, d))) &&
        vc_decode_stream_explain(ds, whole, s->total, s->name, d))
      rc = PASS_OK;
  } else if (rc == PASS_READ) {
    vc_diag_add(d, VC_E_IO, s->name, 0, 0, "cannot read the file: %s", strerror(errno));
  } else if (rc == PASS_CHANGED) {
    vc_diag_add(d, VC_E_IO, s->name, 0, 0, "the file changed while it was read");
  }
  free(own);
  if (rc == PASS_OK) return ds;
  if (rc == PASS_FAILED) info->encoding[0] = '\0';
  vc_decode_stream_free(ds);
  return NULL;
}

/* A text file's records, through the decoder and the CSV reader: the
 * reader's table (see vc_input_each), or NULL. */
static vc_table_t *read_text(source_t *s, const char *head, size_t hlen,
                             const vc_read_opts_t *opts, vc_record_fn fn, void *ud,
                             vc_read_info_t *info, vc_diag_t *d) {
  vc_decode_stream_t *ds = text_open(s, head, hlen, opts ? opts->encoding : NULL, info, d);
  if (!ds) return NULL;
  vc_csv_stream_t *cs = vc_csv_stream_open(s->name, d, fn, ud);
  vc_table_t *t = NULL;
  if (cs) {
    if (opts) vc_csv_stream_set_shape(cs, &opts->shape);
    vc_decode_stream_rewind(ds);
    int rc = text_pass(s, ds, feed_csv, cs);
    bool ok = rc == PASS_OK || rc == PASS_STOPPED; /* stopped: the CSV reader said why */
    if (rc == PASS_READ)
      vc_diag_add(d, VC_E_IO, s->name, 0, 0, "cannot read the file: %s", strerror(errno));
    else if (rc == PASS_FAILED || rc == PASS_CHANGED)
      vc_diag_add(d, VC_E_IO, s->name, 0, 0, "the file changed while it was read");
    vc_csv_info_t ci;
    if (vc_csv_stream_finish(cs, &ci) && ok) t = vc_csv_stream_take_table(cs);
    info->delimiter = ci.delimiter;
    info->skipped_lines = ci.skipped_lines;
    info->shape = ci.shape;
    vc_csv_stream_free(cs);
  }
  vc_decode_stream_free(ds);
  return t;
}

/* A file that is not text: a workbook (streamed from the whole archive) or
 * an old Office file (refused).  *done false: it is text. */
static vc_table_t *read_binary(source_t *s, const char *head, size_t hlen,
                               const vc_read_opts_t *opts, vc_record_fn fn, void *ud,
                               vc_read_info_t *info, vc_diag_t *d, bool *done) {
  bool wb = vc_workbook_sniff(head, hlen);
  *done = wb || looks_ole2(head, hlen);
  if (!*done) return NULL;
  char *own;
  const char *buf = source_whole(s, &own, d);
  if (!buf) return NULL;
  vc_table_t *t = NULL;
  if (wb) {
    snprintf(info->encoding, sizeof info->encoding, "%s",
             vc_workbook_is_ods(buf, s->total) ? "ods" : "xlsx");
    t = vc_workbook_stream_mem(buf, s->total, s->name, opts ? opts->sheet : NULL,
                               opts ? &opts->shape : NULL, &info->shape, fn, ud, d);
  } else if (vc_workbook_is_encrypted(buf, s->total)) {
    vc_diag_add(d, VC_E_INPUT, s->name, 0, 0,
                "this workbook is password-protected (encrypted), so vncert cannot read it: "
                "open it in Excel, choose File > Info > Protect Workbook > Encrypt with "
                "Password, clear the password, save it as .xlsx, and try again");
  } else {
    vc_diag_add(d, VC_E_INPUT, s->name, 0, 0,
                "this is an Excel 97-2003 workbook (.xls), which vncert does not read: open "
                "it in Excel and save it as \"Excel Workbook (.xlsx)\" or \"CSV UTF-8\"");
  }
  free(own);
  return t;
}

/* Reads path as a stream of records (see reader.h). */
vc_table_t *vc_input_each(const char *path, const vc_read_opts_t *opts, vc_record_fn fn,
                          void *ud, vc_read_info_t *info, vc_diag_t *d) {
  vc_read_info_t scratch;
  if (!info) info = &scratch;
  memset(info, 0, sizeof *info);
  if (!path || !fn) {
    if (path) vc_diag_add(d, VC_E_INTERNAL, NULL, 0, 0, "no record handler given");
    else vc_diag_add(d, VC_E_INTERNAL, NULL, 0, 0, "no file name given");
    return NULL;
  }
  if (vc_decode_check(opts ? opts->encoding : NULL, d) != VC_OK) return NULL;
  source_t s = {.name = strcmp(path, "-") == 0 ? "(stdin)" : path, .fd = -1};
  if (!source_open(&s, path, d)) {
    source_close(&s);
    return NULL;
  }
  const char *head;
  ssize_t hlen = source_piece(&s, 0, &head);
  vc_table_t *t = NULL;
  bool done = false;
  if (hlen < 0) {
    vc_diag_add(d, VC_E_IO, s.name, 0, 0, "cannot read the file: %s", strerror(errno));
    done = true;
  } else {
    t = read_binary(&s, head, (size_t)hlen, opts, fn, ud, info, d, &done);
  }
  if (!done && opts && opts->sheet) {
    vc_diag_add(d, VC_E_USAGE, s.name, 0, 0,
                "--sheet is for workbooks (.xlsx, .ods), and this is a text (CSV) file: "
                "leave --sheet out");
  } else if (!done) {
    t = read_text(&s, head, (size_t)hlen, opts, fn, ud, info, d);
  }
  source_close(&s);
  return t;
}

/* Reads path into a table (see reader.h): the stream, each record a row. */
vc_table_t *vc_input_read(const char *path, const vc_read_opts_t *opts, vc_read_info_t *info,
                          vc_diag_t *d) {
  return vc_input_each(path, opts, vc_table_add_record, NULL, info, d);
}
