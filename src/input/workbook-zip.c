/*
 * workbook-zip.c - the workbook's ZIP archive: its entries found and read
 * (from memory, through libzip), and the files vncert cannot read named
 * for what they are, rather than as an old .xls or as damaged XML.
 *
 * Decisions:
 *  - entries are read as streams, their uncompressed bytes counted as they
 *    come against a per-part and a whole-workbook cap (never trusting the
 *    sizes the archive claims): a ZIP bomb stops at the cap;
 *  - names are looked up exactly, then ignoring case (OPC part names are
 *    case-insensitive), then with '\\' for '/' (some Windows tools write
 *    "xl\\workbook.xml"; Excel and LibreOffice read such files);
 *  - an .xlsx with a password to open is not a ZIP archive at all: Excel
 *    wraps it, encrypted, in an OLE2 compound file (the container of old
 *    .xls files) holding the streams "EncryptionInfo" and
 *    "EncryptedPackage" (MS-OFFCRYPTO).  The compound file's directory is
 *    read (a bounded walk of its sector chain) for those two names;
 *  - an .ods with a password is a ZIP archive whose content.xml is
 *    encrypted: its META-INF/manifest.xml gives that entry a
 *    <manifest:encryption-data> element.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/text.h"
#include "input/workbook-private.h"

/* Index of an entry, exact name first (the usual case), then ignoring case
 * (OPC part names are case-insensitive), then with '\' for '/' (some
 * Windows tools write "xl\workbook.xml"; Excel and LibreOffice read them);
 * -1 when absent. */
static zip_int64_t locate(vc_wb_t *w, const char *part) {
  zip_int64_t i = zip_name_locate(w->zip, part, 0);
  if (i < 0) i = zip_name_locate(w->zip, part, ZIP_FL_NOCASE);
  if (i < 0 && strchr(part, '/')) {
    char *b = strdup(part);
    if (!b) return -1;
    for (char *p = b; *p; p++)
      if (*p == '/') *p = '\\';
    i = zip_name_locate(w->zip, b, 0);
    if (i < 0) i = zip_name_locate(w->zip, b, ZIP_FL_NOCASE);
    free(b);
  }
  return i;
}

bool vc__wb_has_part(vc_wb_t *w, const char *part) { return locate(w, part) >= 0; }

/* Message for a libzip error while reading the entry `part`. */
static void read_error(vc_wb_t *w, const char *name, zip_error_t *ze) {
  char sh[128];
  const char *part = vc_text_shorten(name, sh, sizeof sh);
  int code = zip_error_code_zip(ze);
  if (code == ZIP_ER_MEMORY)
    vc__wb_fail(w, VC_E_NOMEM, N_("out of memory"));
  else if (code == ZIP_ER_NOPASSWD || code == ZIP_ER_WRONGPASSWD ||
           code == ZIP_ER_ENCRNOTSUPP)
    vc__wb_fail(w, VC_E_INPUT,
               N_("the workbook is password-protected: remove the password in Excel "
                  "(File > Info > Protect Workbook) and save it again"));
  else if (code == ZIP_ER_COMPNOTSUPP)
    vc__wb_fail(w, VC_E_INPUT,
               N_("the part %s is compressed with a method vncert cannot read: open the "
                  "file and save it again as .xlsx"),
               part);
  else
    vc__wb_fail(w, VC_E_INPUT,
               N_("the workbook is damaged: its part %s cannot be read (%s): open it in "
                  "Excel and save it again"),
               part, zip_error_strerror(ze));
}

/* Reads an entry to the end (see workbook-private.h). */
int vc__wb_read_entry(vc_wb_t *w, const char *part, bool quiet, vc_wb_getbuf_fn getbuf,
                     vc_wb_feed_fn feed, void *ud) {
  zip_int64_t idx = locate(w, part);
  if (idx < 0) return 0;
  zip_file_t *f = zip_fopen_index(w->zip, (zip_uint64_t)idx, 0);
  if (!f) {
    if (!quiet) read_error(w, part, zip_get_error(w->zip));
    return -1;
  }
  uint64_t got = 0;
  int rc = 1;
  for (;;) {
    void *buf = getbuf(ud);
    if (!buf) {
      if (!quiet && !w->failed) vc__wb_fail(w, VC_E_NOMEM, N_("out of memory"));
      rc = -1;
      break;
    }
    zip_int64_t n = zip_fread(f, buf, VC_WB_CHUNK);
    if (n < 0) {
      if (!quiet) read_error(w, part, zip_file_get_error(f));
      rc = -1;
      break;
    }
    got += (uint64_t)n;
    w->total += (uint64_t)n;
    if (quiet && (got > VC_WB_MAX_PART || w->total > VC_WB_MAX_TOTAL)) {
      rc = -1;
      break;
    }
    if (got > VC_WB_MAX_PART) {
      char sh[128];
      vc__wb_fail(w, VC_E_LIMIT,
                 N_("the part %s is more than %u MB once uncompressed: the sheet is too "
                    "large for vncert (or the file is a ZIP bomb)"),
                 vc_text_shorten(part, sh, sizeof sh), VC_WB_MAX_PART >> 20);
      rc = -1;
      break;
    }
    if (w->total > VC_WB_MAX_TOTAL) {
      vc__wb_fail(w, VC_E_LIMIT,
                 N_("the workbook is more than %u MB once uncompressed: too large for "
                    "vncert (or the file is a ZIP bomb)"),
                 VC_WB_MAX_TOTAL >> 20);
      rc = -1;
      break;
    }
    if (!feed(ud, (size_t)n, n == 0)) {
      rc = !quiet && w->failed ? -1 : 1;
      break;
    }
    if (n == 0) break;
  }
  zip_fclose(f);
  return rc;
}

typedef struct {
  vc_wb_raw_fn fn;
  void *ud;
  char *buf; /* VC_WB_CHUNK bytes */
} raw_t;

static void *raw_getbuf(void *ud) { return ((raw_t *)ud)->buf; }

static bool raw_feed(void *ud, size_t n, bool last) {
  raw_t *r = ud;
  return n == 0 || r->fn(r->ud, r->buf, n);
}

/* Hands the part's bytes to fn piece by piece (see workbook-private.h). */
int vc__wb_read_raw(vc_wb_t *w, const char *part, vc_wb_raw_fn fn, void *ud) {
  raw_t r = {fn, ud, malloc(VC_WB_CHUNK)};
  if (!r.buf) {
    vc__wb_fail(w, VC_E_NOMEM, N_("out of memory"));
    return -1;
  }
  int rc = vc__wb_read_entry(w, part, false, raw_getbuf, raw_feed, &r);
  free(r.buf);
  if (rc == 1 && w->failed) rc = -1;
  return rc;
}

typedef struct {
  char *buf;
  size_t len, max;
  bool over;
} small_t;

static void *small_getbuf(void *ud) {
  small_t *s = ud;
  return s->buf + s->len;
}

static bool small_feed(void *ud, size_t n, bool last) {
  small_t *s = ud;
  s->len += n;
  if (s->len > s->max) {
    s->over = true;
    return false;
  }
  return true;
}

/* Reads a small entry whole (see workbook-private.h). */
char *vc__wb_read_small(vc_wb_t *w, const char *part, size_t max) {
  small_t s = {malloc(max + VC_WB_CHUNK + 1), 0, max, false};
  if (!s.buf) return NULL;
  /* unreadable here is not reported: the caller falls back or says more */
  int rc = vc__wb_read_entry(w, part, true, small_getbuf, small_feed, &s);
  if (rc != 1 || s.over) {
    free(s.buf);
    return NULL;
  }
  s.buf[s.len] = '\0';
  return s.buf;
}

/* ---- password-protected files ---- */

#define CFB_MAX_DIR_SECTORS 64  /* directory sectors looked at (256+ entries) */
#define MANIFEST_MAX (1u << 20) /* bytes of META-INF/manifest.xml read */

static uint32_t le32(const unsigned char *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Offset of sector `sec` in the file, or 0 when it lies outside it. */
static size_t sector_at(uint32_t sec, unsigned shift, size_t len) {
  uint64_t off = ((uint64_t)sec + 1) << shift;
  return sec < 0xFFFFFFFAu && off + (1u << shift) <= len ? (size_t)off : 0;
}

/* The next sector after `sec` in the FAT, through the first 109 FAT sectors
 * the header lists; 0xFFFFFFFE (end of chain) when it cannot be found. */
static uint32_t fat_next(const unsigned char *b, size_t len, unsigned shift, uint32_t sec) {
  uint32_t per = (1u << shift) / 4;
  uint32_t k = sec / per;
  if (k >= 109) return 0xFFFFFFFEu;
  size_t off = sector_at(le32(b + 76 + 4 * k), shift, len);
  return off ? le32(b + off + 4 * (sec % per)) : 0xFFFFFFFEu;
}

/* True when the 128-byte directory entry e is named `name` (ASCII, stored
 * UTF-16LE with its NUL). */
static bool entry_is(const unsigned char *e, const char *name) {
  size_t n = strlen(name);
  unsigned nb = (unsigned)e[64] | (unsigned)e[65] << 8;
  if (nb != 2 * (n + 1)) return false;
  for (size_t i = 0; i < n; i++)
    if (e[2 * i] != (unsigned char)name[i] || e[2 * i + 1]) return false;
  return true;
}

/* True when buf is an OLE2 compound file holding an encrypted Office
 * document (see workbook.h). */
bool vc_workbook_is_encrypted(const char *buf, size_t len) {
  const unsigned char *b = (const unsigned char *)buf;
  if (!buf || len < 512 || memcmp(b, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) != 0) return false;
  unsigned shift = (unsigned)b[30] | (unsigned)b[31] << 8;
  if (shift != 9 && shift != 12) return false;
  bool info = false, package = false;
  uint32_t sec = le32(b + 48);
  for (int k = 0; k < CFB_MAX_DIR_SECTORS && !(info && package); k++) {
    size_t off = sector_at(sec, shift, len);
    if (!off) break;
    for (size_t e = off; e + 128 <= off + (1u << shift); e += 128) {
      if (b[e + 66] != 2) continue; /* streams only */
      info = info || entry_is(b + e, "EncryptionInfo");
      package = package || entry_is(b + e, "EncryptedPackage");
    }
    sec = fat_next(b, len, shift, sec);
  }
  return info && package;
}

/* The manifest names content.xml with encryption data (see
 * workbook-private.h).  A plain text search, not an XML parse: old
 * OpenOffice manifests carry a DOCTYPE, which the guarded parser refuses,
 * and an unreadable manifest must not stop a file that is not encrypted. */
bool vc__wb_ods_encrypted(vc_wb_t *w) {
  char *m = vc__wb_read_small(w, "META-INF/manifest.xml", MANIFEST_MAX);
  if (!m) return false;
  bool enc = false;
  /* each file-entry element, up to the next one */
  for (char *p = strstr(m, "file-entry"); p && !enc;) {
    char *next = strstr(p + 10, "file-entry");
    size_t n = next ? (size_t)(next - p) : strlen(p);
    char save = p[n];
    p[n] = '\0';
    enc = (strstr(p, "full-path=\"content.xml\"") || strstr(p, "full-path='content.xml'")) &&
          strstr(p, "encryption-data");
    p[n] = save;
    p = next;
  }
  free(m);
  return enc;
}
