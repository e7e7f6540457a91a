/*
 * reader.c - a recipient list from a file, whatever form it has (see
 * reader.h): the file is read whole (capped), a workbook goes to
 * workbook.c, text goes through decode.c to UTF-8 and then csv.c.
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
 *  - Path "-" reads standard input, named "(stdin)" in messages.
 *  - A regular text file is read in pieces, twice (checked, then parsed:
 *    vc_input_stream) rather than held whole: memory is then the table's,
 *    and a file of 255 MB costs no 255 MB beside it.  Anything the pieces
 *    cannot word as the whole-file reader does goes to the whole-file
 *    reader, which stays the one that words every refusal.
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

#include "core/text.h"
#include "input/csv.h"
#include "input/decode.h"
#include "input/workbook.h"

/* Reads the whole file (at most VC_CSV_MAX_BYTES) into a new buffer (not
 * NUL-terminated; caller frees).  NULL with a diag (VC_E_IO or VC_E_LIMIT)
 * when it cannot. */
static char *read_whole(const char *path, const char *name, size_t *lenp, vc_diag_t *d) {
  bool is_stdin = strcmp(path, "-") == 0;
  int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    int e = errno;
    struct stat st;
    if (e == ENOENT && stat(path, &st) != 0) {
      const char *slash = strrchr(path, '/');
      if (slash && slash != path) { /* is it the folder that is missing? */
        char dir[4096];
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
        if (stat(dir, &st) != 0) {
          vc_diag_add(d, VC_E_IO, name, 0, 0, "the folder %s does not exist", dir);
          return NULL;
        }
      }
      vc_diag_add(d, VC_E_IO, name, 0, 0, "there is no such file (check the name and folder)");
    } else if (e == EACCES) {
      vc_diag_add(d, VC_E_IO, name, 0, 0, "vncert may not read this file (permission denied)");
    } else {
      vc_diag_add(d, VC_E_IO, name, 0, 0, "cannot open the file: %s", strerror(e));
    }
    return NULL;
  }
  struct stat st;
  if (fstat(fd, &st) == 0) {
    if (S_ISDIR(st.st_mode)) {
      vc_diag_add(d, VC_E_IO, name, 0, 0, "this is a folder, not a file: name the list inside it");
      if (!is_stdin) close(fd);
      return NULL;
    }
    if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > VC_CSV_MAX_BYTES) {
      vc_diag_add(d, VC_E_LIMIT, name, 0, 0,
                  "the file is %jd MB, more than the %u MB vncert reads: split it",
                  (intmax_t)(st.st_size >> 20), VC_CSV_MAX_BYTES >> 20);
      if (!is_stdin) close(fd);
      return NULL;
    }
  }
  /* regular files: one allocation of the right size; pipes: doubling */
  size_t cap = (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) ? (size_t)st.st_size + 1 : 64u << 10;
  size_t len = 0;
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
  if (!is_stdin) close(fd);
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

/* Excel 97-2003 (.xls) and other old Office files start with this. */
static bool looks_ole2(const char *buf, size_t len) {
  return len >= 8 && memcmp(buf, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0;
}

/* Reads path into a table (see reader.h).  The table is the caller's
 * (vc_table_free); NULL when nothing usable could be read, with the
 * reasons in d.  info (may be NULL) is filled as far as reading got. */
vc_table_t *vc_input_read(const char *path, const vc_read_opts_t *opts, vc_read_info_t *info,
                          vc_diag_t *d) {
  vc_read_info_t scratch;
  if (!info) info = &scratch;
  memset(info, 0, sizeof *info);
  const char *enc = opts ? opts->encoding : NULL;
  const char *sheet = opts ? opts->sheet : NULL;
  if (!path) {
    vc_diag_add(d, VC_E_INTERNAL, NULL, 0, 0, "no file name given");
    return NULL;
  }
  const char *name = strcmp(path, "-") == 0 ? "(stdin)" : path;
  if (vc_decode_check(enc, d) != VC_OK) return NULL;
  /* a text file is read in pieces (vc_input_stream) when it can be: the
   * table is then all that is held, never the file beside it */
  if (strcmp(path, "-") != 0 && !sheet) {
    vc_csv_stream_t *s = vc_csv_stream_open_table(name, d);
    if (!s) return NULL;
    if (opts) vc_csv_stream_set_shape(s, &opts->shape);
    int rc = vc_input_stream(path, opts, s, info, d);
    vc_table_t *st = rc > 0 ? vc_csv_stream_take_table(s) : NULL;
    vc_csv_stream_free(s);
    if (rc >= 0) return st;
  }
  size_t len = 0;
  char *buf = read_whole(path, name, &len, d);
  if (!buf) return NULL;

  vc_table_t *t = NULL;
  if (vc_workbook_sniff(buf, len)) {
    snprintf(info->encoding, sizeof info->encoding, "%s", vc_workbook_is_ods(buf, len) ? "ods" : "xlsx");
    vc_workbook_set_shape(opts ? &opts->shape : NULL, &info->shape);
    t = vc_workbook_read_mem(buf, len, name, sheet, d);
    vc_workbook_set_shape(NULL, NULL); /* when the file never reached a sheet */
    free(buf);
    return t;
  }
  if (looks_ole2(buf, len) && vc_workbook_is_encrypted(buf, len)) {
    vc_diag_add(d, VC_E_INPUT, name, 0, 0,
                "this workbook is password-protected (encrypted), so vncert cannot read it: "
                "open it in Excel, choose File > Info > Protect Workbook > Encrypt with "
                "Password, clear the password, save it as .xlsx, and try again");
    free(buf);
    return NULL;
  }
  if (looks_ole2(buf, len)) {
    vc_diag_add(d, VC_E_INPUT, name, 0, 0,
                "this is an Excel 97-2003 workbook (.xls), which vncert does not read: open "
                "it in Excel and save it as \"Excel Workbook (.xlsx)\" or \"CSV UTF-8\"");
    free(buf);
    return NULL;
  }
  if (sheet) {
    vc_diag_add(d, VC_E_USAGE, name, 0, 0,
                "--sheet is for workbooks (.xlsx, .ods), and this is a text (CSV) file: "
                "leave --sheet out");
    free(buf);
    return NULL;
  }
  size_t tlen = 0; /* read_whole left room for the NUL vc_decode_take adds */
  char *text = vc_decode_take(buf, len, enc, name, &tlen, info->encoding, d);
  if (!text) return NULL;
  vc_csv_info_t ci;
  memset(&ci, 0, sizeof ci);
  vc_csv_stream_t *cs = vc_csv_stream_open_table(name, d);
  if (cs) { /* vc_csv_read_mem_info, with the shape options */
    if (opts) vc_csv_stream_set_shape(cs, &opts->shape);
    vc_csv_stream_feed(cs, text, tlen);
    t = vc_csv_stream_finish(cs, &ci) ? vc_csv_stream_take_table(cs) : NULL;
    vc_csv_stream_free(cs);
  }
  free(text);
  info->delimiter = ci.delimiter;
  info->skipped_lines = ci.skipped_lines;
  info->shape = ci.shape;
  return t;
}

/* ---- streaming (vc_input_stream) ---- */

/* Fills buf with up to cap bytes from fd (fewer only at the end of the
 * file); the count, or -1 on an error. */
static ssize_t read_full(int fd, char *buf, size_t cap) {
  size_t len = 0;
  while (len < cap) {
    ssize_t got = read(fd, buf + len, cap - len);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return -1;
    if (got == 0) break;
    len += (size_t)got;
  }
  return (ssize_t)len;
}

/* Bytes at the end of s[0..n) that begin a UTF-8 sequence the piece cuts
 * (0-3): they are checked with the next piece. */
static size_t utf8_cut(const unsigned char *s, size_t n) {
  size_t p = n, k = 0;
  while (p > 0 && k < 3 && (s[p - 1] & 0xC0) == 0x80) p--, k++;
  if (p == 0) return 0;
  unsigned char c = s[--p];
  size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
  return n - p < need ? n - p : 0;
}

/* First pass: true when fd holds strict UTF-8 text that vc_input_read
 * would hand to the CSV reader unchanged but for CRLF (no workbook, no
 * UTF-16/32 mark, no zero byte).  *bom: it starts with a UTF-8 BOM. */
static bool plain_utf8(int fd, char *buf, bool *bom) {
  size_t carry = 0;
  bool first = true;
  for (;;) {
    ssize_t got = read_full(fd, buf + carry, VC_INPUT_CHUNK);
    if (got < 0) return false;
    size_t n = carry + (size_t)got;
    const unsigned char *s = (const unsigned char *)buf;
    if (first) {
      first = false;
      if (vc_workbook_sniff(buf, n) || looks_ole2(buf, n)) return false;
      if (n >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF) ||
                     (s[0] == 0 && s[1] == 0)))
        return false;
      *bom = n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF;
    }
    if (n && memchr(buf, 0, n)) return false;
    size_t cut = got ? utf8_cut(s, n) : 0;
    size_t bad;
    if (!vc_utf8_valid(buf, n - cut, &bad)) return false;
    if (!got) return true;
    memmove(buf, buf + n - cut, cut);
    carry = cut;
  }
}

/* CSV stream feeding, as a decode-stream emitter. */
static bool feed_csv(void *ud, const char *s, size_t n) { return vc_csv_stream_feed(ud, s, n); }

/* One pass of fd (from its start) through a decode stream; emit NULL
 * checks only.  1 when read, 0 on a read error (errno), -1 on a problem
 * the whole-file path reports, -2 when the CSV stream stopped. */
static int convert_pass(int fd, size_t total, char *buf, const char *enc, char *used,
                        vc_decode_emit_fn emit, void *ud) {
  if (lseek(fd, 0, SEEK_SET) != 0) return 0;
  ssize_t got = read_full(fd, buf, VC_INPUT_CHUNK);
  if (got < 0) return 0;
  if ((size_t)got != (total < VC_INPUT_CHUNK ? total : VC_INPUT_CHUNK) ||
      vc_workbook_sniff(buf, (size_t)got) || looks_ole2(buf, (size_t)got))
    return -1;
  vc_decode_stream_t *ds = vc_decode_stream_open(buf, (size_t)got, total, enc, used);
  if (!ds) return -1;
  int rc = 1;
  size_t seen = 0;
  for (;;) {
    seen += (size_t)got;
    bool last = got == 0;
    if (!vc_decode_stream_feed(ds, buf, (size_t)got, last, emit, ud)) {
      rc = vc_decode_stream_failed(ds) ? -1 : -2;
      break;
    }
    if (last) {
      if (seen != total) rc = -1; /* the file changed */
      break;
    }
    got = read_full(fd, buf, VC_INPUT_CHUNK);
    if (got < 0) {
      rc = 0;
      break;
    }
  }
  vc_decode_stream_free(ds);
  return rc;
}

/* UTF-16 and code pages (see vc_decode_stream_open): a first pass converts
 * only to check, a second feeds s.  -1 when the file is not for this (or a
 * problem the whole-file path must word), else as vc_input_stream. */
static int stream_converted(int fd, size_t total, char *buf, const char *enc, const char *path,
                            vc_csv_stream_t *s, vc_read_info_t *info, vc_diag_t *d) {
  char used[32] = "";
  int rc = convert_pass(fd, total, buf, enc, used, NULL, NULL);
  if (rc < 0) return -1;
  if (rc > 0) rc = convert_pass(fd, total, buf, enc, used, feed_csv, s);
  if (rc == -1) {
    vc_diag_add(d, VC_E_IO, path, 0, 0, "the file changed while it was read");
    rc = 0;
  } else if (rc == 0) {
    vc_diag_add(d, VC_E_IO, path, 0, 0, "cannot read the file: %s", strerror(errno));
  } else {
    rc = 1;
  }
  vc_csv_info_t ci;
  if (!vc_csv_stream_finish(s, &ci)) rc = 0;
  snprintf(info->encoding, sizeof info->encoding, "%s", used);
  info->delimiter = ci.delimiter;
  info->skipped_lines = ci.skipped_lines;
  info->shape = ci.shape;
  return rc;
}

/* Reads path through s (see reader.h). */
int vc_input_stream(const char *path, const vc_read_opts_t *opts, vc_csv_stream_t *s,
                    vc_read_info_t *info, vc_diag_t *d) {
  vc_read_info_t scratch;
  if (!info) info = &scratch;
  memset(info, 0, sizeof *info);
  if (!path || !strcmp(path, "-") || (opts && opts->sheet)) return -1;
  const char *enc = opts && opts->encoding && opts->encoding[0] ? opts->encoding : NULL;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  struct stat st;
  /* 4 bytes more: a cut UTF-8 sequence, then a CR, carried over */
  char *buf = NULL;
  bool bom = false;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
      (uintmax_t)st.st_size > VC_CSV_MAX_BYTES || !(buf = malloc(VC_INPUT_CHUNK + 4))) {
    free(buf);
    close(fd);
    return -1;
  }
  int crc = stream_converted(fd, (size_t)st.st_size, buf, enc, path, s, info, d);
  if (crc >= 0 || enc || lseek(fd, 0, SEEK_SET) != 0 || !plain_utf8(fd, buf, &bom) ||
      lseek(fd, 0, SEEK_SET) != 0) {
    free(buf);
    close(fd);
    return crc;
  }
  /* second pass: CR before LF dropped as vc_decode does (a CR ending a
   * piece waits for the next one) */
  size_t carry = 0;
  int rc = 1;
  for (;;) {
    ssize_t got = read_full(fd, buf + carry, VC_INPUT_CHUNK);
    if (got < 0) {
      vc_diag_add(d, VC_E_IO, path, 0, 0, "cannot read the file: %s", strerror(errno));
      rc = 0;
      break;
    }
    size_t n = carry + (size_t)got;
    carry = got && n && buf[n - 1] == '\r' ? 1 : 0;
    size_t m = vc_decode_drop_crlf(buf, buf, n - carry);
    if (!vc_csv_stream_feed(s, buf, m)) break;
    if (carry) buf[0] = '\r';
    if (!got) break;
  }
  free(buf);
  close(fd);
  vc_csv_info_t ci;
  if (!vc_csv_stream_finish(s, &ci)) rc = 0;
  snprintf(info->encoding, sizeof info->encoding, "UTF-8%s", bom ? " (BOM)" : "");
  info->delimiter = ci.delimiter;
  info->skipped_lines = ci.skipped_lines;
  info->shape = ci.shape;
  return rc;
}
