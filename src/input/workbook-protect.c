/*
 * workbook-protect.c - password-protected workbooks, named for what they
 * are rather than as an old .xls or as damaged XML.
 *
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

#include "input/workbook-private.h"

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
bool vc_wb_ods_encrypted(vc_wb_t *w) {
  char *m = vc_wb_read_small(w, "META-INF/manifest.xml", MANIFEST_MAX);
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
