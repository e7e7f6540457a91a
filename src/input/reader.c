/*
 * reader.c - a recipient list from a file, whatever form it has (see
 * reader.h): the file is read whole (capped), a workbook goes to
 * workbook.c, text goes through decode.c to UTF-8 and then csv.c.
 *
 * Decisions:
 *  - The kind is chosen by content, never by the file name: schools rename
 *    files freely (.csv that is really "Unicode Text", .xls that is CSV).
 *  - An old binary Excel workbook (.xls, OLE2) is named and refused with
 *    how to save it, rather than reported as "not UTF-8".
 *  - --sheet on a text file is a usage error (it cannot mean anything);
 *    --encoding on a workbook is ignored (a workbook's text is always
 *    Unicode), and the report says "xlsx"/"ods".
 *  - Path "-" reads standard input, named "(stdin)" in messages.
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

/* An OpenDocument file stores its type first, uncompressed: "mimetype"
 * then "application/vnd.oasis.opendocument.spreadsheet". */
static bool looks_ods(const char *buf, size_t len) {
  static const char mt[] = "opendocument.spreadsheet";
  if (len < 80 || memcmp(buf + 30, "mimetype", 8) != 0) return false;
  for (size_t i = 38; i + sizeof mt - 1 <= len && i < 120; i++)
    if (memcmp(buf + i, mt, sizeof mt - 1) == 0) return true;
  return false;
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
  size_t len = 0;
  char *buf = read_whole(path, name, &len, d);
  if (!buf) return NULL;

  vc_table_t *t = NULL;
  if (vc_workbook_sniff(buf, len)) {
    snprintf(info->encoding, sizeof info->encoding, "%s", looks_ods(buf, len) ? "ods" : "xlsx");
    t = vc_workbook_read_mem(buf, len, name, sheet, d);
    free(buf);
    return t;
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
  t = vc_csv_read_mem_info(text, tlen, name, d, &ci);
  free(text);
  info->delimiter = ci.delimiter;
  info->skipped_lines = ci.skipped_lines;
  return t;
}
