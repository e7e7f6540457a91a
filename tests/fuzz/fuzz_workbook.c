/*
 * fuzz_workbook.c - libFuzzer target for the workbook reader
 * (src/input/workbook*.c), two ways:
 *  - an input starting with "PK" is read as the .xlsx/.ods file itself;
 *  - any other input is XML for the parts that matter, separated by NUL
 *    bytes, packed here by libzip into a valid archive (so mutations reach
 *    the XML parsers without breaking the archive's checksums): first byte
 *    'o' = content.xml of an .ods; else sheet, shared strings, styles,
 *    workbook of an .xlsx.
 * Each is read for the first sheet and by a sheet name.  Every input is also
 * looked at as an encrypted Office file (an OLE2 directory walk).
 *
 * Besides "no crash, no leak, no UB", it checks what the reader promises of
 * every value it keeps: valid UTF-8, no CR or LF, already clean (cleaning it
 * again changes nothing), row numbers that only go up, and a reason for
 * every NULL.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zip.h>

#include "core/diag.h"
#include "fuzzutil.h"
#include "core/text.h"
#include "input/workbook.h"
#include "records/table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_read(const uint8_t *data, size_t size, const char *sheet) {
  vc_diag_t *d = vc_diag_create();
  if (!d) return;
  vc_table_t *t = vc_workbook_read_mem((const char *)data, size, "fuzz.xlsx", sheet, d);
  if (t) {
    fuzz_check_table(t);
    vc_table_free(t);
  } else if (vc_diag_count(d) == 0) {
    abort(); /* NULL must come with a reason */
  }
  fuzz_check_diags(d);
  vc_diag_free(d);
}

static const char CT[] = "<Types/>";
static const char RELS[] =
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"x/officeDocument\" Target=\"xl/workbook.xml\"/>"
    "</Relationships>";
static const char BOOK_RELS[] =
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"x/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"x/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId3\" Type=\"x/sharedStrings\" Target=\"sharedStrings.xml\"/>"
    "<Relationship Id=\"rId4\" Type=\"x/styles\" Target=\"styles.xml\"/></Relationships>";
static const char BOOK[] =
    "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
    "<sheets><sheet name=\"Trang 1\" r:id=\"rId1\"/><sheet name=\"Danh s\xc3\xa1" "ch\" "
    "r:id=\"rId2\"/></sheets></workbook>";

/* Packs named parts into a stored ZIP archive in memory; NULL on failure. */
static char *pack(const char *const *names, const char *const *texts, const size_t *lens,
                  int n, size_t *outlen) {
  zip_error_t ze;
  zip_error_init(&ze);
  zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
  zip_t *z = src ? zip_open_from_source(src, ZIP_TRUNCATE, &ze) : NULL;
  zip_error_fini(&ze);
  if (!z) {
    zip_source_free(src);
    return NULL;
  }
  zip_source_keep(src);
  for (int i = 0; i < n; i++) {
    zip_source_t *s = zip_source_buffer(z, texts[i], lens[i], 0);
    zip_int64_t idx = s ? zip_file_add(z, names[i], s, 0) : -1;
    if (idx < 0) {
      zip_source_free(s);
      continue;
    }
    zip_set_file_compression(z, (zip_uint64_t)idx, ZIP_CM_STORE, 0);
  }
  if (zip_close(z) != 0) {
    zip_discard(z);
    zip_source_free(src);
    return NULL;
  }
  char *out = NULL;
  zip_stat_t st;
  if (zip_source_stat(src, &st) == 0 && zip_source_open(src) == 0) {
    out = malloc(st.size + 1);
    if (out && zip_source_read(src, out, st.size) != (zip_int64_t)st.size) {
      free(out);
      out = NULL;
    }
    *outlen = st.size;
    zip_source_close(src);
  }
  zip_source_free(src);
  return out;
}

/* The input's NUL-separated parts packed as an .xlsx or .ods. */
static char *pack_input(const uint8_t *data, size_t size, size_t *outlen) {
  bool ods = size && data[0] == 'o';
  if (ods) data++, size--;
  const char *part[4] = {"", "", "", ""};
  size_t plen[4] = {0, 0, 0, 0};
  int k = 0;
  size_t start = 0;
  for (size_t i = 0; i <= size && k < 4; i++) {
    if (i == size || data[i] == 0) {
      part[k] = (const char *)data + start;
      plen[k++] = i - start;
      start = i + 1;
    }
  }
  if (ods) {
    const char *names[] = {"mimetype", "content.xml"};
    const char *texts[] = {"application/vnd.oasis.opendocument.spreadsheet", part[0]};
    size_t lens[] = {46, plen[0]};
    return pack(names, texts, lens, 2, outlen);
  }
  const char *names[] = {"[Content_Types].xml", "_rels/.rels", "xl/_rels/workbook.xml.rels",
                         "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/styles.xml",
                         "xl/workbook.xml"};
  const char *texts[] = {CT, RELS, BOOK_RELS, part[0], part[1], part[2],
                         plen[3] ? part[3] : BOOK};
  size_t lens[] = {strlen(CT), strlen(RELS), strlen(BOOK_RELS), plen[0], plen[1], plen[2],
                   plen[3] ? plen[3] : strlen(BOOK)};
  return pack(names, texts, lens, 7, outlen);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  (void)vc_workbook_is_encrypted((const char *)data, size); /* OLE2 directories */
  if (size >= 2 && data[0] == 'P' && data[1] == 'K') {
    check_read(data, size, NULL);
    check_read(data, size, "danh sach");
    return 0;
  }
  size_t n = 0;
  char *z = pack_input(data, size, &n);
  if (!z) return 0;
  check_read((const uint8_t *)z, n, NULL);
  check_read((const uint8_t *)z, n, "danh sach");
  free(z);
  return 0;
}
