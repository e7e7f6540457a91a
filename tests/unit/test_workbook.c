/* test_workbook.c - reading .xlsx and .ods files (src/input/workbook*.c):
 * xlsx written by libxlsxwriter, odd xlsx and ods written part by part with
 * libzip, number formats, sheet choice, damaged and hostile files. */
#include "testutil.h"

#include <locale.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

#include "core/diag.h"
#include "input/workbook-private.h"
#include "input/workbook.h"
#include "records/table.h"

/* ---- helpers ---- */

static void tmpname(char *out, const char *suffix) {
  snprintf(out, 64, "/tmp/vc-wb-XXXXXX");
  int fd = mkstemp(out);
  assert_true(fd >= 0);
  close(fd);
  unlink(out);
  strcat(out, suffix);
}

/* Reads buf as a workbook named "t.xlsx" into a fresh diag list. */
static vc_table_t *rd(const char *buf, size_t len, const char *sheet, vc_diag_t **dp) {
  *dp = vc_diag_create();
  assert_non_null(*dp);
  return vc_workbook_read_mem(buf, len, "t.xlsx", sheet, *dp);
}

#define expect_diag(d, sub, line, col, st) expect_diag_at(d, sub, "t.xlsx", line, col, st)

static void no_diag(const vc_diag_t *d) {
  if (vc_diag_count(d)) {
    vc_diag_print(d, stderr);
    fail_msg("unexpected problems");
  }
}

/* A ZIP archive in memory from (name, content) pairs, NULL-terminated;
 * deflate selects compression. */
static char *make_zip(size_t *len, bool deflate, const char *const *parts) {
  char path[64];
  tmpname(path, ".zip");
  int err = 0;
  zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
  assert_non_null(z);
  for (size_t i = 0; parts[i]; i += 2) {
    zip_source_t *s = zip_source_buffer(z, parts[i + 1], strlen(parts[i + 1]), 0);
    assert_non_null(s);
    zip_int64_t idx = zip_file_add(z, parts[i], s, ZIP_FL_ENC_UTF_8);
    assert_true(idx >= 0);
    zip_set_file_compression(z, (zip_uint64_t)idx, deflate ? ZIP_CM_DEFLATE : ZIP_CM_STORE, 0);
  }
  assert_int_equal(zip_close(z), 0);
  char *b = (char *)slurp(path, len);
  unlink(path);
  return b;
}

/* ---- hand-made xlsx parts ---- */

static const char CT[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/></Types>";
static const char RELS[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>";
static const char BOOK_RELS[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/sharedStrings\" Target=\"/xl/sharedStrings.xml\"/>"
    "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
    "relationships/styles\" Target=\"styles.xml\"/></Relationships>";

/* workbook.xml with one sheet "Danh sách"; date1904 optional. */
static const char *book_xml(bool date1904) {
  static char b[1024];
  snprintf(b, sizeof b,
           "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
           "<x:workbook xmlns:x=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
           "xmlns:rel=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
           "<x:workbookPr%s/><x:sheets><x:sheet name=\"Danh s\xc3\xa1" "ch\" sheetId=\"1\" "
           "rel:id=\"rId1\"/></x:sheets></x:workbook>",
           date1904 ? " date1904=\"1\"" : "");
  return b;
}

/* A whole hand-made xlsx around a sheetData body and shared strings. */
static char *hand_xlsx(size_t *len, const char *sheetdata, const char *sst, const char *styles,
                       bool date1904) {
  char *sheet = malloc(strlen(sheetdata) + 512);
  assert_non_null(sheet);
  sprintf(sheet,
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
          "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
          "<sheetData>%s</sheetData><mergeCells count=\"0\"/></worksheet>",
          sheetdata);
  char *ss = malloc(strlen(sst) + 512);
  assert_non_null(ss);
  sprintf(ss,
          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
          "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">%s</sst>",
          sst);
  const char *parts[] = {"[Content_Types].xml", CT, "_rels/.rels", RELS, "xl/workbook.xml",
                         book_xml(date1904), "xl/_rels/workbook.xml.rels", BOOK_RELS,
                         "xl/worksheets/sheet1.xml", sheet, "xl/sharedStrings.xml", ss,
                         "xl/styles.xml", styles, NULL};
  char *z = make_zip(len, true, parts);
  free(sheet);
  free(ss);
  return z;
}

static const char STYLES[] =
    "<styleSheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
    "<numFmts count=\"2\"><numFmt numFmtId=\"164\" formatCode=\"#,##0\\ &quot;\xc4\x91&quot;\"/>"
    "<numFmt numFmtId=\"165\" formatCode=\"[$-42A]dd/mm/yyyy\"/></numFmts>"
    "<cellStyleXfs count=\"1\"><xf numFmtId=\"3\"/></cellStyleXfs>"
    "<cellXfs count=\"5\"><xf numFmtId=\"0\"/><xf numFmtId=\"164\"/><xf numFmtId=\"165\"/>"
    "<xf numFmtId=\"14\"/><xf numFmtId=\"10\"/></cellXfs></styleSheet>";

/* ---- xlsx from libxlsxwriter ---- */

/* libxlsxwriter writes numbers with the process locale's decimal mark (a
 * damaged file under fr_FR): files are made in the C locale. */
static locale_t writer_loc, writer_old;
static void writer_begin(void) {
  writer_loc = newlocale(LC_ALL_MASK, "C", (locale_t)0);
  assert_non_null(writer_loc);
  writer_old = uselocale(writer_loc);
}
static void writer_end(void) {
  uselocale(writer_old);
  freelocale(writer_loc);
}

/* The main example: sheet "Danh sách", header on row 2 after a blank row. */
static char *writer_xlsx(size_t *len, bool constant_memory) {
  writer_begin();
  char path[64];
  tmpname(path, ".xlsx");
  lxw_workbook_options opt = {.constant_memory = constant_memory};
  lxw_workbook *wb = workbook_new_opt(path, &opt);
  assert_non_null(wb);
  lxw_worksheet *ws = workbook_add_worksheet(wb, "Danh s\xc3\xa1" "ch");
  lxw_format *money = workbook_add_format(wb);
  format_set_num_format(money, "#,##0");
  lxw_format *date = workbook_add_format(wb);
  format_set_num_format(date, "dd/mm/yyyy");
  lxw_format *pad = workbook_add_format(wb);
  format_set_num_format(pad, "0000000");
  lxw_format *text = workbook_add_format(wb);
  format_set_num_format(text, "@");
  /* row 1 blank; header on row 2 */
  const char *head[] = {"M\xc3\xa3 SV", "H\xe1\xbb\x8d v\xc3\xa0 t\xc3\xaan", "S\xe1\xbb\x91 ti\xe1\xbb\x81n",
                        "Ng\xc3\xa0y", "M\xc3\xa3 s\xe1\xbb\x91", "Ghi ch\xc3\xba"};
  for (int c = 0; c < 6; c++) worksheet_write_string(ws, 1, (lxw_col_t)c, head[c], NULL);
  worksheet_write_string(ws, 2, 0, "0210456", text);
  /* NFD "Thảo" and runs of spaces: cleaned */
  worksheet_write_string(ws, 2, 1, "  Nguy\xe1\xbb\x85n  Th\xe1\xbb\x8b Thu Tha\xcc\x89o ", NULL);
  worksheet_write_number(ws, 2, 2, 5000000, money);
  lxw_datetime dt = {2024, 12, 19, 0, 0, 0};
  worksheet_write_datetime(ws, 2, 3, &dt, date);
  worksheet_write_number(ws, 2, 4, 210456, pad);
  /* row 4: empty; row 5: sparse, General numbers */
  worksheet_write_number(ws, 4, 0, 210457, NULL);
  worksheet_write_number(ws, 4, 2, 5000000, NULL);
  worksheet_write_number(ws, 4, 4, 8.5, NULL);
  worksheet_write_boolean(ws, 4, 5, 1, NULL);
  /* row 6: a formula with its cached text result, a blank formatted cell */
  worksheet_write_string(ws, 5, 0, "SV3", NULL);
  worksheet_write_formula_str(ws, 5, 1, "=\"L\xc3\xaa \"&\"An\"", NULL, "L\xc3\xaa An");
  worksheet_write_blank(ws, 5, 2, money);
  assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
  writer_end();
  char *b = (char *)slurp(path, len);
  unlink(path);
  return b;
}

static void check_main(vc_table_t *t) {
  assert_non_null(t);
  assert_int_equal(vc_table_ncols(t), 6);
  assert_string_equal(vc_table_col_header(t, 1), "H\xe1\xbb\x8d v\xc3\xa0 t\xc3\xaan");
  assert_string_equal(vc_table_col_key(t, 2), "so_tien");
  assert_int_equal(vc_table_nrows(t), 3);
  assert_int_equal(vc_table_row_line(t, 0), 3);
  assert_string_equal(vc_table_get(t, 0, 0), "0210456");
  assert_string_equal(vc_table_get(t, 0, 1), "Nguy\xe1\xbb\x85n Th\xe1\xbb\x8b Thu Th\xe1\xba\xa3o");
  assert_string_equal(vc_table_get(t, 0, 2), "5.000.000");
  assert_string_equal(vc_table_get(t, 0, 3), "19/12/2024");
  assert_string_equal(vc_table_get(t, 0, 4), "0210456");
  assert_string_equal(vc_table_get(t, 0, 5), "");
  assert_int_equal(vc_table_row_line(t, 1), 5);
  assert_string_equal(vc_table_get(t, 1, 0), "210457");
  assert_string_equal(vc_table_get(t, 1, 1), "");
  assert_string_equal(vc_table_get(t, 1, 2), "5000000");
  assert_string_equal(vc_table_get(t, 1, 4), "8,5");
  assert_string_equal(vc_table_get(t, 1, 5), "TRUE");
  assert_int_equal(vc_table_row_line(t, 2), 6);
  assert_string_equal(vc_table_get(t, 2, 1), "L\xc3\xaa An");
  assert_string_equal(vc_table_get(t, 2, 2), "");
  for (long r = 0; r < 3; r++) assert_true(vc_table_row_ok(t, r));
}

static void test_xlsx_writer(void **st) {
  for (int cm = 0; cm < 2; cm++) { /* shared strings, then inline strings */
    size_t len;
    char *b = writer_xlsx(&len, cm);
    assert_true(vc_workbook_sniff(b, len));
    vc_diag_t *d;
    vc_table_t *t = rd(b, len, NULL, &d);
    no_diag(d);
    check_main(t);
    assert_string_equal(vc_table_name(t), "t.xlsx");
    vc_table_free(t);
    vc_diag_free(d);
    free(b);
  }
}

static void test_xlsx_locale(void **st) {
  /* whatever the process locale, numbers come out the same */
  size_t len;
  char *b = writer_xlsx(&len, false);
  char *old = strdup(setlocale(LC_ALL, NULL));
  if (!setlocale(LC_ALL, "fr_FR.UTF-8")) fprintf(stderr, "(fr_FR.UTF-8 missing)\n");
  vc_diag_t *d;
  vc_table_t *t = rd(b, len, NULL, &d);
  no_diag(d);
  check_main(t);
  vc_table_free(t);
  vc_diag_free(d);
  free(b);
  setlocale(LC_ALL, old);
  free(old);
}

/* Two visible sheets and a hidden first one. */
static char *sheets_xlsx(size_t *len) {
  writer_begin();
  char path[64];
  tmpname(path, ".xlsx");
  lxw_workbook *wb = workbook_new(path);
  lxw_worksheet *h = workbook_add_worksheet(wb, "Tra c\xe1\xbb\xa9u");
  lxw_worksheet *a = workbook_add_worksheet(wb, "L\xe1\xbb\x9bp 5A");
  lxw_worksheet *c = workbook_add_worksheet(wb, "Danh s\xc3\xa1" "ch");
  worksheet_write_string(h, 0, 0, "hidden", NULL);
  worksheet_write_string(a, 0, 0, "Ten", NULL);
  worksheet_write_string(a, 1, 0, "An", NULL);
  worksheet_write_string(c, 2, 1, "Ten", NULL);
  worksheet_write_string(c, 3, 1, "Binh", NULL);
  worksheet_activate(a);
  worksheet_hide(h);
  assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
  writer_end();
  char *b = (char *)slurp(path, len);
  unlink(path);
  return b;
}

static void test_xlsx_sheets(void **st) {
  size_t len;
  char *b = sheets_xlsx(&len);
  vc_diag_t *d;
  /* default: the first visible sheet */
  vc_table_t *t = rd(b, len, NULL, &d);
  no_diag(d);
  assert_string_equal(vc_table_get(t, 0, 0), "An");
  vc_table_free(t);
  vc_diag_free(d);
  /* by exact name (given decomposed: compared after NFC) */
  t = rd(b, len, "Danh sa\xcc\x81" "ch", &d);
  no_diag(d);
  assert_int_equal(vc_table_ncols(t), 2);
  assert_string_equal(vc_table_col_header(t, 1), "Ten");
  assert_string_equal(vc_table_get(t, 0, 1), "Binh");
  assert_int_equal(vc_table_row_line(t, 0), 4);
  vc_table_free(t);
  vc_diag_free(d);
  /* folded: case and accents ignored */
  t = rd(b, len, "LOP 5a", &d);
  no_diag(d);
  assert_string_equal(vc_table_get(t, 0, 0), "An");
  vc_table_free(t);
  vc_diag_free(d);
  /* a hidden sheet by name */
  t = rd(b, len, "Tra c\xe1\xbb\xa9u", &d);
  no_diag(d);
  assert_string_equal(vc_table_col_header(t, 0), "hidden");
  vc_table_free(t);
  vc_diag_free(d);
  /* unknown: the message lists the sheets */
  t = rd(b, len, "Sheet9", &d);
  assert_null(t);
  expect_diag(d, "no sheet \"Sheet9\"", 0, 0, VC_E_USAGE);
  assert_non_null(find_diag(d, "\"Tra c\xe1\xbb\xa9u\" (hidden), \"L\xe1\xbb\x9bp 5A\", \"Danh s\xc3\xa1" "ch\""));
  vc_diag_free(d);
  free(b);
}

/* ---- hand-made xlsx: what libxlsxwriter does not write ---- */

static void test_xlsx_hand(void **st) {
  const char *sst =
      "<si><t>H\xe1\xbb\x8d t\xc3\xaan</t></si>"
      "<si><r><rPr><b/></rPr><t>Nguy\xe1\xbb\x85n </t></r><r><t xml:space=\"preserve\">V\xc4\x83n</t></r>"
      "<rPh sb=\"0\" eb=\"1\"><t>XX</t></rPh></si>"
      "<si><t>a_x000D__x000A_b_x005F_x0041_</t></si>"
      "<si><t>Ti\xe1\xbb\x81n</t></si>";
  const char *data =
      "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>3</v></c>"
      "<c r=\"C1\" t=\"inlineStr\"><is><t>Ng\xc3\xa0y</t></is></c><c r=\"D1\" t=\"str\"><v>D</v></c>"
      "<c r=\"E1\" t=\"str\"><v>E</v></c></row>"
      "<row r=\"3\"><c r=\"A3\" t=\"s\"><v>1</v></c><c r=\"B3\" s=\"1\"><v>5000000</v></c>"
      "<c r=\"C3\" s=\"2\"><v>45645</v></c><c r=\"D3\" s=\"4\"><v>0.155</v></c>"
      "<c r=\"E3\" t=\"s\"><v>2</v></c></row>"
      /* no r attributes: next row, next cells */
      "<row><c t=\"e\"><v>#REF!</v></c><c s=\"3\"><v>60</v></c><c><f>1+1</f><v>2</v></c></row>"
      "<row r=\"9\"><c r=\"B9\" t=\"s\"><v>99</v></c><c r=\"C9\"><v>abc</v></c>"
      "<c r=\"G9\" t=\"str\"><v>note</v></c></row>";
  size_t len;
  char *b = hand_xlsx(&len, data, sst, STYLES, false);
  vc_diag_t *d;
  vc_table_t *t = rd(b, len, NULL, &d);
  assert_non_null(t);
  assert_int_equal(vc_table_ncols(t), 5);
  assert_int_equal(vc_table_nrows(t), 3);
  assert_string_equal(vc_table_col_header(t, 2), "Ng\xc3\xa0y");
  assert_int_equal(vc_table_row_line(t, 0), 3);
  assert_string_equal(vc_table_get(t, 0, 0), "Nguy\xe1\xbb\x85n V\xc4\x83n");
  assert_string_equal(vc_table_get(t, 0, 1), "5.000.000 \xc4\x91");
  assert_string_equal(vc_table_get(t, 0, 2), "19/12/2024");
  assert_string_equal(vc_table_get(t, 0, 3), "15,50%");
  assert_string_equal(vc_table_get(t, 0, 4), "a b_x0041_");
  assert_true(vc_table_row_ok(t, 0));
  /* row 4: an error value is a problem of its cell */
  assert_int_equal(vc_table_row_line(t, 1), 4);
  assert_string_equal(vc_table_get(t, 1, 0), "#REF!");
  assert_string_equal(vc_table_get(t, 1, 1), "29/02/1900");
  assert_string_equal(vc_table_get(t, 1, 2), "2");
  assert_false(vc_table_row_ok(t, 1));
  expect_diag(d, "sheet \"Danh s\xc3\xa1" "ch\", cell A4: the cell shows the Excel error #REF!", 4,
              1, VC_E_INPUT);
  /* row 9: a missing shared string, a non-number, a value right of the table */
  assert_false(vc_table_row_ok(t, 2));
  expect_diag(d, "cell B9: the cell refers to text number 99", 9, 2, VC_E_INPUT);
  expect_diag(d, "cell C9: the cell should hold a number", 9, 3, VC_E_INPUT);
  expect_diag(d, "cell G9: a value right of the table", 9, 7, VC_E_INPUT);
  assert_int_equal(vc_diag_count(d), 4);
  vc_table_free(t);
  vc_diag_free(d);
  free(b);

  /* the 1904 date system */
  b = hand_xlsx(&len, "<row><c t=\"str\"><v>Ng\xc3\xa0y</v></c></row><row><c s=\"2\"><v>44183</v></c></row>",
                "", STYLES, true);
  t = rd(b, len, NULL, &d);
  no_diag(d);
  assert_string_equal(vc_table_get(t, 0, 0), "19/12/2024");
  vc_table_free(t);
  vc_diag_free(d);
  free(b);
}

static void test_xlsx_header_rules(void **st) {
  /* headers that fold alike; a blank header over values */
  const char *data =
      "<row r=\"2\"><c t=\"str\"><v>H\xe1\xbb\x8d t\xc3\xaan</v></c><c t=\"str\"><v>HO TEN</v></c>"
      "<c r=\"D2\" t=\"str\"><v>x</v></c></row>"
      "<row r=\"3\"><c t=\"str\"><v>a</v></c><c r=\"C3\"><v>1</v></c></row>";
  size_t len;
  char *b = hand_xlsx(&len, data, "", STYLES, false);
  vc_diag_t *d;
  vc_table_t *t = rd(b, len, NULL, &d);
  assert_non_null(t);
  assert_int_equal(vc_table_ncols(t), 4);
  expect_diag(d, "the headers in A2 \"H\xe1\xbb\x8d t\xc3\xaan\" and B2 \"HO TEN\" are the same", 2,
              2, VC_E_INPUT);
  expect_diag(d, "cell C2: the header is empty but the column has values (first in C3)", 2, 3,
              VC_E_INPUT);
  vc_table_free(t);
  vc_diag_free(d);
  free(b);
  /* rows out of order: the file is damaged */
  b = hand_xlsx(&len, "<row r=\"5\"><c t=\"str\"><v>a</v></c></row><row r=\"2\"/>", "", STYLES,
                false);
  t = rd(b, len, NULL, &d);
  assert_null(t);
  expect_diag(d, "row 2 comes after row 5", 0, 0, VC_E_INPUT);
  vc_diag_free(d);
  free(b);
  /* a row inside a row (found by fuzzing): values stay whole */
  b = hand_xlsx(&len,
                "<row r=\"1\"><c t=\"str\"><v>Nguy\xe1\xbb\x85n Th\xe1\xbb\x8b</v></c>"
                "<row r=\"2\"><c t=\"str\"><v>Ho</v></c></row><c t=\"str\"><v>x</v></c></row>"
                "<row r=\"3\"><c t=\"str\"><v>a</v></c></row>",
                "", STYLES, false);
  t = rd(b, len, NULL, &d);
  assert_non_null(t);
  assert_string_equal(vc_table_col_header(t, 0), "Nguy\xe1\xbb\x85n Th\xe1\xbb\x8b");
  assert_string_equal(vc_table_get(t, 0, 0), "a");
  vc_table_free(t);
  vc_diag_free(d);
  free(b);
  /* an empty sheet */
  b = hand_xlsx(&len, "<row r=\"1\"><c r=\"A1\" s=\"1\"/></row>", "", STYLES, false);
  t = rd(b, len, NULL, &d);
  assert_null(t);
  expect_diag(d, "is empty: there is no header row", 0, 0, VC_E_INPUT);
  vc_diag_free(d);
  free(b);
}

/* ---- number formats, directly ---- */

static void fmt_is(const char *code, double v, const char *want) {
  vc_wb_fmt_t *f = vc__wb_fmt_compile(code, strlen(code));
  assert_non_null(f);
  char out[256];
  vc__wb_fmt_number(f, v, false, out, sizeof out);
  if (strcmp(out, want) != 0) fail_msg("format \"%s\" of %.17g: got \"%s\", want \"%s\"", code, v, out, want);
  vc__wb_fmt_free(f);
}

static void test_formats(void **st) {
  locale_t c = newlocale(LC_ALL_MASK, "C", (locale_t)0);
  locale_t old = uselocale(c);
  fmt_is("General", 5000000, "5000000");
  fmt_is("General", 123456789012.0, "123456789012");
  fmt_is("General", 0.1 + 0.2, "0,3");
  fmt_is("General", -8.5, "-8,5");
  fmt_is("General", 1.0 / 3, "0,3333333333");
  fmt_is("General", 1e20, "1E+20");
  fmt_is("General", 1.5e-12, "1,5E-12");
  fmt_is("General", 0, "0");
  fmt_is("0", 2.5, "3");
  fmt_is("0.00", 2.5, "2,50");
  fmt_is("0.00", 1.005, "1,01"); /* half away from zero, on 15 digits, as Excel */
  fmt_is("0", -2.5, "-3");
  fmt_is("0", -0.4, "0");
  fmt_is("##0.0E+0", 999.96, "1,0E+3");
  fmt_is("0.0E+00", 9.96, "1,0E+01");
  fmt_is("General", 9999999999.5, "10000000000");
  fmt_is("General", 1.0 / 0.0, "#NUM!");
  fmt_is("#,##0", 5000000, "5.000.000");
  fmt_is("#,##0", 999, "999");
  fmt_is("#,##0", 0, "0");
  fmt_is("#,##0", -1234567, "-1.234.567");
  fmt_is("#,##0.00", 1234.5, "1.234,50");
  fmt_is("#,##0,", 5000000, "5.000");
  fmt_is("0000000", 210456, "0210456");
  fmt_is("000-000", 12345, "012-345");
  fmt_is("0%", 0.15, "15%");
  fmt_is("0.00%", 0.155, "15,50%");
  fmt_is("0.00E+00", 12345, "1,23E+04");
  fmt_is("##0.0E+0", 12345, "12,3E+3");
  fmt_is("#,##0 \"\xc4\x91\"", 5000000, "5.000.000 \xc4\x91");
  fmt_is("#,##0\\ [$\xe2\x82\xab-42A]", 5000000, "5.000.000 \xe2\x82\xab");
  fmt_is("_-* #,##0\\ _\xe2\x82\xab_-;\\-* #,##0\\ _\xe2\x82\xab_-;_-* \"-\"??\\ _\xe2\x82\xab_-;_-@_-",
         -5000000, "-5.000.000   ");
  fmt_is("#,##0;(#,##0)", -5000, "(5.000)");
  fmt_is("#,##0;(#,##0);\"kh\xc3\xb4ng\"", 0, "kh\xc3\xb4ng");
  fmt_is("[>=1000]#,##0;0", 5000, "5.000");
  fmt_is(";;;", 5, "");
  fmt_is("@", 5000000, "5000000");
  fmt_is("# ?/?", 1.5, "1,5");
  fmt_is("dd/mm/yyyy", 45645, "19/12/2024");
  fmt_is("m/d/yyyy", 45645, "19/12/2024");
  fmt_is("mmm-yy", 45645, "19/12/2024");
  fmt_is("[$-F800]dddd\\,\\ mmmm\\ dd\\,\\ yyyy", 45645, "19/12/2024");
  fmt_is("dd/mm/yyyy", 1, "01/01/1900");
  fmt_is("dd/mm/yyyy", 59, "28/02/1900");
  fmt_is("dd/mm/yyyy", 60, "29/02/1900");
  fmt_is("dd/mm/yyyy", 61, "01/03/1900");
  fmt_is("dd/mm/yyyy", 0, "00/01/1900");
  fmt_is("dd/mm/yyyy", -1, "-1");
  fmt_is("dd/mm/yyyy hh:mm", 45645.75, "19/12/2024 18:00");
  fmt_is("h:mm:ss AM/PM", 0.5 + 1.0 / 86400, "12:00:01");
  fmt_is("mm:ss", 90.0 / 86400, "01:30");
  fmt_is("[h]:mm", 1.5, "36:00");
  vc_wb_fmt_t *f = vc__wb_fmt_compile("dd/mm/yyyy", 10);
  char out[64];
  vc__wb_fmt_number(f, 44183, true, out, sizeof out); /* 1904 system */
  assert_string_equal(out, "19/12/2024");
  assert_true(vc__wb_fmt_is_date(f));
  vc__wb_fmt_free(f);
  /* text through a text section */
  f = vc__wb_fmt_compile("0;-0;0;\"L\xe1\xbb\x9bp \"@", strlen("0;-0;0;\"L\xe1\xbb\x9bp \"@"));
  char *txt;
  assert_true(vc__wb_fmt_text(f, "5A", 2, &txt));
  assert_string_equal(txt, "L\xe1\xbb\x9bp 5A");
  free(txt);
  vc__wb_fmt_free(f);
  assert_int_equal(vc__wb_iso_date("2024-12-19T00:00:00", out, sizeof out), 10);
  assert_string_equal(out, "19/12/2024");
  vc__wb_iso_date("2024-12-19T10:30:00", out, sizeof out);
  assert_string_equal(out, "19/12/2024 10:30");
  assert_int_equal(vc__wb_iso_date("19/12/2024", out, sizeof out), 0);
  uselocale(old);
  freelocale(c);
}

/* ---- ods ---- */

static const char ODS_HEAD[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    "<office:document-content xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
    "xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\" "
    "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" "
    "xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" "
    "xmlns:calcext=\"urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0\" "
    "xmlns:dc=\"http://purl.org/dc/elements/1.1/\">"
    "<office:automatic-styles><style:style style:name=\"ta2\" style:family=\"table\">"
    "<style:table-properties table:display=\"false\"/></style:style></office:automatic-styles>"
    "<office:body><office:spreadsheet>";
static const char ODS_TAIL[] = "</office:spreadsheet></office:body></office:document-content>";

static char *make_ods(size_t *len, const char *tables) {
  char *content = malloc(strlen(tables) + sizeof ODS_HEAD + sizeof ODS_TAIL);
  assert_non_null(content);
  sprintf(content, "%s%s%s", ODS_HEAD, tables, ODS_TAIL);
  const char *parts[] = {"mimetype", "application/vnd.oasis.opendocument.spreadsheet",
                         "content.xml", content, NULL};
  char *b = make_zip(len, true, parts);
  free(content);
  return b;
}

static const char ODS_TABLES[] =
    "<table:table table:name=\"Ẩn\" table:style-name=\"ta2\"><table:table-row><table:table-cell "
    "office:value-type=\"string\"><text:p>hidden</text:p></table:table-cell></table:table-row>"
    "</table:table>"
    "<table:table table:name=\"Danh s\xc3\xa1" "ch\">"
    "<table:table-column table:number-columns-repeated=\"3\"/>"
    "<table:table-row table:number-rows-repeated=\"2\"><table:table-cell "
    "table:number-columns-repeated=\"1024\"/></table:table-row>"
    "<table:table-row><table:table-cell office:value-type=\"string\"><text:p>H\xe1\xbb\x8d"
    "<text:s text:c=\"3\"/>t\xc3\xaan</text:p></table:table-cell>"
    "<table:table-cell office:value-type=\"string\"><text:p>S\xe1\xbb\x91 ti\xe1\xbb\x81n</text:p>"
    "</table:table-cell><table:table-cell office:value-type=\"string\"><text:p>Ng\xc3\xa0y</text:p>"
    "</table:table-cell><table:table-cell office:value-type=\"string\"><text:p>L\xe1\xbb\x9bp</text:p>"
    "</table:table-cell><table:table-cell table:number-columns-repeated=\"16380\"/></table:table-row>"
    "<table:table-row table:number-rows-repeated=\"2\"><table:table-cell office:value-type=\"string\">"
    "<text:p>Nguy\xe1\xbb\x85n <text:span>V\xc4\x83n</text:span></text:p><text:p>An</text:p>"
    "<office:annotation><text:p>ghi ch\xc3\xba</text:p></office:annotation></table:table-cell>"
    "<table:table-cell office:value-type=\"float\" office:value=\"5000000\"><text:p>5.000.000"
    "</text:p></table:table-cell><table:table-cell office:value-type=\"date\" "
    "office:date-value=\"2024-12-19\"><text:p>12/19/24</text:p></table:table-cell>"
    "<table:table-cell table:number-columns-repeated=\"1\" office:value-type=\"string\">"
    "<text:p>5A</text:p></table:table-cell></table:table-row>"
    "<table:table-row table:number-rows-repeated=\"5\"><table:table-cell "
    "table:number-columns-repeated=\"1024\"/></table:table-row>"
    "<table:table-row><table:table-cell office:value-type=\"float\" office:value=\"8.5\"/>"
    "<table:table-cell office:value-type=\"percentage\" office:value=\"0.15\"/>"
    "<table:table-cell office:value-type=\"float\" office:value=\"0\" calcext:value-type=\"error\">"
    "<text:p>#DIV/0!</text:p></table:table-cell>"
    "<table:covered-table-cell table:number-columns-repeated=\"2\" office:value-type=\"string\">"
    "<text:p>x</text:p></table:covered-table-cell></table:table-row>"
    "<table:table-row table:number-rows-repeated=\"1048563\"><table:table-cell "
    "table:number-columns-repeated=\"1024\"/></table:table-row>"
    "</table:table>"
    "<table:table table:name=\"Sheet3\"><table:table-row><table:table-cell "
    "office:value-type=\"string\"><text:p>only</text:p></table:table-cell></table:table-row>"
    "</table:table>";

static void test_ods(void **st) {
  size_t len;
  char *b = make_ods(&len, ODS_TABLES);
  vc_diag_t *d;
  vc_table_t *t = rd(b, len, NULL, &d);
  assert_non_null(t);
  assert_int_equal(vc_table_ncols(t), 4);
  assert_string_equal(vc_table_col_header(t, 0), "H\xe1\xbb\x8d t\xc3\xaan");
  assert_int_equal(vc_table_nrows(t), 3);
  for (long r = 0; r < 2; r++) {
    assert_int_equal(vc_table_row_line(t, r), 4 + r);
    assert_string_equal(vc_table_get(t, r, 0), "Nguy\xe1\xbb\x85n V\xc4\x83n An");
    assert_string_equal(vc_table_get(t, r, 1), "5.000.000");
    assert_string_equal(vc_table_get(t, r, 2), "19/12/2024");
    assert_string_equal(vc_table_get(t, r, 3), "5A");
    assert_true(vc_table_row_ok(t, r));
  }
  assert_int_equal(vc_table_row_line(t, 2), 11);
  assert_string_equal(vc_table_get(t, 2, 0), "8,5");
  assert_string_equal(vc_table_get(t, 2, 1), "15%");
  assert_string_equal(vc_table_get(t, 2, 2), "#DIV/0!");
  assert_string_equal(vc_table_get(t, 2, 3), "x");
  assert_false(vc_table_row_ok(t, 2));
  expect_diag(d, "cell C11: the cell shows an error (#DIV/0!)", 11, 3, VC_E_INPUT);
  expect_diag(d, "cell E11: a value right of the table", 11, 5, VC_E_INPUT);
  assert_int_equal(vc_diag_count(d), 2);
  vc_table_free(t);
  vc_diag_free(d);

  t = rd(b, len, "sheet3", &d);
  no_diag(d);
  assert_string_equal(vc_table_col_header(t, 0), "only");
  vc_table_free(t);
  vc_diag_free(d);
  t = rd(b, len, "nope", &d);
  assert_null(t);
  expect_diag(d, "its sheets are \"\xe1\xba\xa8n\" (hidden), \"Danh s\xc3\xa1" "ch\", \"Sheet3\"",
              0, 0, VC_E_USAGE);
  vc_diag_free(d);
  free(b);

  /* a repeated row with values is expanded only up to the row cap */
  b = make_ods(&len, "<table:table table:name=\"A\"><table:table-row><table:table-cell "
                     "office:value-type=\"string\"><text:p>h</text:p></table:table-cell>"
                     "</table:table-row><table:table-row table:number-rows-repeated=\"9999999\">"
                     "<table:table-cell office:value-type=\"string\"><text:p>v</text:p>"
                     "</table:table-cell></table:table-row></table:table>");
  t = rd(b, len, NULL, &d);
  assert_null(t);
  expect_diag(d, "more than 2000000 rows", 0, 0, VC_E_LIMIT);
  vc_diag_free(d);
  free(b);
}

/* ---- damaged and hostile files ---- */

static void test_malformed(void **st) {
  vc_diag_t *d;
  /* not a zip at all, and a zip cut short */
  vc_table_t *t = rd("PK\x03\x04garbage", 11, NULL, &d);
  assert_null(t);
  expect_diag(d, "not a complete ZIP archive", 0, 0, VC_E_INPUT);
  vc_diag_free(d);
  size_t len;
  char *b = writer_xlsx(&len, false);
  for (size_t cut = 0; cut < len; cut += len / 7 + 1) {
    t = rd(b, cut, NULL, &d);
    assert_null(t);
    assert_true(vc_diag_count(d) > 0);
    vc_diag_free(d);
  }
  /* a corrupted byte in the middle: an error, never a crash */
  for (size_t i = 30; i < len; i += 97) {
    char *c = malloc(len);
    memcpy(c, b, len);
    c[i] ^= 0x55;
    t = rd(c, len, NULL, &d);
    if (!t) assert_true(vc_diag_count(d) > 0);
    vc_table_free(t);
    vc_diag_free(d);
    free(c);
  }
  free(b);
  assert_false(vc_workbook_sniff("PK\x05\x06", 4));
  assert_false(vc_workbook_sniff("Ho ten", 6));

  /* entity expansion: refused at the DOCTYPE */
  const char *lol =
      "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
      "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]>"
      "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><si><t>&lol2;</t></si></sst>";
  const char *parts[] = {"[Content_Types].xml", CT, "_rels/.rels", RELS, "xl/workbook.xml",
                         book_xml(false), "xl/_rels/workbook.xml.rels", BOOK_RELS,
                         "xl/sharedStrings.xml", lol, "xl/worksheets/sheet1.xml",
                         "<worksheet><sheetData/></worksheet>", NULL};
  b = make_zip(&len, false, parts);
  t = rd(b, len, NULL, &d);
  assert_null(t);
  expect_diag(d, "xl/sharedStrings.xml has a DOCTYPE", 0, 0, VC_E_INPUT);
  vc_diag_free(d);
  free(b);

  /* XML that is not well-formed */
  b = hand_xlsx(&len, "<row><c t=\"str\"><v>a</c></row>", "", STYLES, false);
  t = rd(b, len, NULL, &d);
  assert_null(t);
  expect_diag(d, "xl/worksheets/sheet1.xml is not well-formed XML (line 1", 0, 0, VC_E_INPUT);
  vc_diag_free(d);
  free(b);

  /* the sheet's part is missing */
  const char *nosheet[] = {"[Content_Types].xml", CT, "_rels/.rels", RELS, "xl/workbook.xml",
                           book_xml(false), "xl/_rels/workbook.xml.rels", BOOK_RELS, NULL};
  b = make_zip(&len, true, nosheet);
  t = rd(b, len, NULL, &d);
  assert_null(t);
  expect_diag(d, "xl/worksheets/sheet1.xml of sheet \"Danh s\xc3\xa1" "ch\" is missing", 0, 0,
              VC_E_INPUT);
  vc_diag_free(d);
  free(b);

  /* other documents in ZIP clothing */
  const char *docx[] = {"[Content_Types].xml", CT, "_rels/.rels",
                        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
                        "relationships\"><Relationship Id=\"r\" Type=\"x/officeDocument\" "
                        "Target=\"word/document.xml\"/></Relationships>",
                        "word/document.xml", "<w/>", NULL};
  b = make_zip(&len, true, docx);
  t = rd(b, len, NULL, &d);
  assert_null(t);
  expect_diag(d, "a Word document", 0, 0, VC_E_INPUT);
  vc_diag_free(d);
  free(b);
  const char *odt[] = {"mimetype", "application/vnd.oasis.opendocument.text", "content.xml",
                       "<x/>", NULL};
  b = make_zip(&len, false, odt);
  t = rd(b, len, NULL, &d);
  assert_null(t);
  expect_diag(d, "OpenDocument document of another kind (text)", 0, 0, VC_E_INPUT);
  vc_diag_free(d);
  free(b);
  const char *plain[] = {"readme.txt", "hello", NULL};
  b = make_zip(&len, true, plain);
  t = rd(b, len, NULL, &d);
  assert_null(t);
  expect_diag(d, "a ZIP archive but not an Excel", 0, 0, VC_E_INPUT);
  vc_diag_free(d);
  free(b);
}

/* Produces `total` bytes: an XML start, then spaces, then its end. */
typedef struct {
  uint64_t total, pos;
} bomb_t;

static zip_int64_t bomb_cb(void *ud, void *data, zip_uint64_t len, zip_source_cmd_t cmd) {
  bomb_t *s = ud;
  static const char head[] = "<worksheet><sheetData>", tail[] = "</sheetData></worksheet>";
  switch (cmd) {
  case ZIP_SOURCE_OPEN: s->pos = 0; return 0;
  case ZIP_SOURCE_READ: {
    zip_uint64_t n = 0;
    char *out = data;
    while (n < len && s->pos < s->total) {
      uint64_t p = s->pos;
      char c = p < sizeof head - 1 ? head[p]
               : p >= s->total - (sizeof tail - 1) ? tail[p - (s->total - (sizeof tail - 1))]
                                                  : ' ';
      out[n++] = c;
      s->pos++;
    }
    return (zip_int64_t)n;
  }
  case ZIP_SOURCE_CLOSE: return 0;
  case ZIP_SOURCE_STAT: {
    zip_stat_t *zs = data;
    zip_stat_init(zs);
    zs->size = s->total;
    zs->valid |= ZIP_STAT_SIZE;
    return sizeof *zs;
  }
  case ZIP_SOURCE_ERROR: memset(data, 0, 2 * sizeof(int)); return 2 * sizeof(int);
  case ZIP_SOURCE_FREE: return 0;
  case ZIP_SOURCE_SUPPORTS:
    return zip_source_make_command_bitmap(ZIP_SOURCE_OPEN, ZIP_SOURCE_READ, ZIP_SOURCE_CLOSE,
                                          ZIP_SOURCE_STAT, ZIP_SOURCE_ERROR, ZIP_SOURCE_FREE, -1);
  default: return -1;
  }
}

static void test_caps(void **st) {
  /* a ZIP bomb: a sheet of 257 MiB compressing to a few hundred KB */
  char path[64];
  tmpname(path, ".xlsx");
  int err;
  zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
  assert_non_null(z);
  const char *small[] = {"[Content_Types].xml", CT, "_rels/.rels", RELS, "xl/workbook.xml",
                         book_xml(false), "xl/_rels/workbook.xml.rels", BOOK_RELS, NULL};
  for (size_t i = 0; small[i]; i += 2)
    zip_file_add(z, small[i], zip_source_buffer(z, small[i + 1], strlen(small[i + 1]), 0), 0);
  bomb_t bomb = {(uint64_t)VC_WB_MAX_PART + 4096, 0};
  zip_int64_t idx = zip_file_add(z, "xl/worksheets/sheet1.xml", zip_source_function(z, bomb_cb, &bomb), 0);
  assert_true(idx >= 0);
  zip_set_file_compression(z, (zip_uint64_t)idx, ZIP_CM_DEFLATE, 1);
  assert_int_equal(zip_close(z), 0);
  size_t len;
  char *b = (char *)slurp(path, &len);
  unlink(path);
  assert_true(len < (4u << 20));
  vc_diag_t *d;
  vc_table_t *t = rd(b, len, NULL, &d);
  assert_null(t);
  expect_diag(d, "more than 256 MB once uncompressed", 0, 0, VC_E_LIMIT);
  vc_diag_free(d);
  free(b);

  /* a tag 8 MiB long (one attribute): refused at 1 MiB, not gathered (expat
   * would hold it whole and rescan it on every chunk); 900 KB passes */
  size_t huge = 8u << 20;
  char *tag = malloc(huge + 256);
  assert_non_null(tag);
  for (int pass = 0; pass < 2; pass++) {
    size_t alen = pass ? huge : 900000;
    int k = sprintf(tag, "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\" x=\"");
    memset(tag + k, 'y', alen);
    strcpy(tag + k + alen, "\"><is><t>ma_sv</t></is></c></row>");
    b = hand_xlsx(&len, tag, "", STYLES, false);
    t = rd(b, len, NULL, &d);
    if (pass) {
      assert_null(t);
      expect_diag(d, "has an XML tag, attribute or comment longer than 1 MB", 0, 0, VC_E_LIMIT);
    } else {
      assert_non_null(t);
      assert_string_equal(vc_table_col_header(t, 0), "ma_sv");
    }
    vc_table_free(t);
    vc_diag_free(d);
    free(b);
  }
  free(tag);

  /* nesting too deep */
  char *deep = malloc(300 * 8 + 64);
  strcpy(deep, "<row><c t=\"inlineStr\"><is>");
  for (int i = 0; i < 300; i++) strcat(deep, "<r>");
  b = hand_xlsx(&len, deep, "", STYLES, false);
  t = rd(b, len, NULL, &d);
  assert_null(t);
  expect_diag(d, "nests XML elements more than 256 deep", 0, 0, VC_E_LIMIT);
  vc_diag_free(d);
  free(b);
  free(deep);

  /* a value longer than the cap: a problem of its cell */
  size_t big = VC_CSV_MAX_FIELD + 10;
  char *data = malloc(big + 200);
  strcpy(data, "<row><c t=\"str\"><v>Ten</v></c></row><row r=\"2\"><c t=\"str\"><v>");
  size_t k = strlen(data);
  memset(data + k, 'a', big);
  strcpy(data + k + big, "</v></c></row>");
  b = hand_xlsx(&len, data, "", STYLES, false);
  t = rd(b, len, NULL, &d);
  assert_non_null(t);
  assert_false(vc_table_row_ok(t, 0));
  expect_diag(d, "cell A2: the value is more than 65536 bytes long", 2, 1, VC_E_LIMIT);
  vc_table_free(t);
  vc_diag_free(d);
  free(b);
  free(data);

  /* one long text in thousands of cells: the table's values are capped */
  size_t sl = 64000;
  char *sst = malloc(sl + 32);
  strcpy(sst, "<si><t>");
  memset(sst + 7, 'b', sl);
  strcpy(sst + 7 + sl, "</t></si>");
  size_t nrows = 4300;
  data = malloc(nrows * 64 + 64);
  char *p = data + sprintf(data, "<row><c t=\"str\"><v>Ten</v></c></row>");
  for (size_t r = 0; r < nrows; r++) p += sprintf(p, "<row><c t=\"s\"><v>0</v></c></row>");
  b = hand_xlsx(&len, data, sst, STYLES, false);
  t = rd(b, len, NULL, &d);
  assert_null(t);
  expect_diag(d, "add up to more than 256 MB", 0, 0, VC_E_LIMIT);
  vc_diag_free(d);
  free(b);
  free(data);
  free(sst);

  /* a wide header, then a row repeated: the cells are capped */
  char *tab = malloc(1024 * 100 + 512);
  p = tab + sprintf(tab, "<table:table table:name=\"A\"><table:table-row>");
  for (int c = 0; c < 1024; c++)
    p += sprintf(p, "<table:table-cell office:value-type=\"string\"><text:p>h%d</text:p>"
                    "</table:table-cell>", c);
  sprintf(p, "</table:table-row><table:table-row table:number-rows-repeated=\"40000\">"
             "<table:table-cell office:value-type=\"string\"><text:p>v</text:p>"
             "</table:table-cell></table:table-row></table:table>");
  b = make_ods(&len, tab);
  free(tab);
  t = rd(b, len, NULL, &d);
  assert_null(t);
  expect_diag(d, "more than 16777216 cells", 0, 0, VC_E_LIMIT);
  vc_diag_free(d);
  free(b);

  /* a header wider than the column cap */
  b = hand_xlsx(&len, "<row><c r=\"AMK1\" t=\"str\"><v>x</v></c></row>", "", STYLES, false);
  t = rd(b, len, NULL, &d);
  assert_null(t);
  expect_diag(d, "past the 1024 columns", 0, 0, VC_E_LIMIT);
  vc_diag_free(d);
  free(b);
  /* a file over the size cap is refused before anything is read */
  t = rd("PK\x03\x04", (size_t)VC_CSV_MAX_BYTES + 1, NULL, &d);
  assert_null(t);
  expect_diag(d, "more than the 256 MB vncert reads", 0, 0, VC_E_LIMIT);
  vc_diag_free(d);
}

/* ---- streaming: the same records, one by one, as the table reader ---- */

typedef struct {
  const vc_table_t *t; /* what vc_workbook_read_mem gave */
  long next;           /* table row the next record must equal */
  long stop_at;        /* return false at this record (-1: never) */
} collect_t;

static bool collect_row(void *ud, vc_table_t *header, const vc_record_t *r) {
  collect_t *c = ud;
  int line = r->line, n = r->n;
  const char *const *vals = r->vals;
  const size_t *lens = r->lens;
  bool ok = r->ok;
  assert_int_equal(n, vc_table_ncols(c->t));
  assert_int_equal(vc_table_ncols(header), n);
  assert_int_equal(vc_table_nrows(header), 0); /* rows never kept */
  if (c->next == c->stop_at) return false;
  assert_true(c->next < vc_table_nrows(c->t));
  assert_int_equal(line, vc_table_row_line(c->t, c->next));
  assert_int_equal(ok, vc_table_row_ok(c->t, c->next));
  for (int i = 0; i < n; i++) {
    assert_string_equal(vals[i], vc_table_get(c->t, c->next, i));
    assert_int_equal(lens[i], strlen(vals[i]));
    assert_string_equal(vc_table_col_header(header, i), vc_table_col_header(c->t, i));
  }
  c->next++;
  return true;
}

/* Streams buf and compares record by record, then the messages. */
static void same_stream(const char *buf, size_t len, const char *sheet) {
  vc_diag_t *dt, *ds = vc_diag_create();
  vc_table_t *t = rd(buf, len, sheet, &dt);
  assert_non_null(t);
  collect_t c = {.t = t, .stop_at = -1};
  vc_table_t *h = vc_workbook_stream_mem(buf, len, "t.xlsx", sheet, NULL, NULL, collect_row, &c, ds);
  assert_non_null(h);
  assert_int_equal(c.next, vc_table_nrows(t));
  assert_int_equal(vc_table_nrows(h), 0);
  assert_string_equal(vc_table_name(h), vc_table_name(t));
  assert_int_equal(vc_diag_count(ds), vc_diag_count(dt));
  for (size_t i = 0; i < vc_diag_kept(dt); i++) {
    const vc_diag_item_t *a = vc_diag_get(dt, i), *b = vc_diag_get(ds, i);
    assert_string_equal(a->msg, b->msg);
    assert_int_equal(a->line, b->line);
    assert_int_equal(a->col, b->col);
    assert_int_equal(a->status, b->status);
  }
  if (vc_table_nrows(t) > 0) { /* the handler stops the read: out of memory */
    vc_diag_t *d2 = vc_diag_create();
    collect_t c2 = {.t = t, .stop_at = vc_table_nrows(t) - 1};
    assert_null(vc_workbook_stream_mem(buf, len, "t.xlsx", sheet, NULL, NULL, collect_row, &c2, d2));
    assert_int_equal(c2.next, vc_table_nrows(t) - 1);
    expect_diag(d2, "out of memory", 0, 0, VC_E_NOMEM);
    vc_diag_free(d2);
  }
  vc_table_free(h);
  vc_table_free(t);
  vc_diag_free(dt);
  vc_diag_free(ds);
}

static void test_stream(void **st) {
  size_t len;
  for (int cm = 0; cm < 2; cm++) {
    char *b = writer_xlsx(&len, cm);
    same_stream(b, len, NULL);
    free(b);
  }
  /* problems with cells (bad rows), blank rows, a blank header over values */
  char *b = hand_xlsx(&len,
                      "<row r=\"2\"><c t=\"str\"><v>A</v></c><c r=\"C2\" t=\"str\"><v>C</v></c></row>"
                      "<row r=\"3\"><c t=\"e\"><v>#N/A</v></c><c><v>1</v></c></row>"
                      "<row r=\"4\"/><row r=\"6\"><c r=\"C6\" s=\"2\"><v>45645</v></c>"
                      "<c r=\"E6\" t=\"str\"><v>beside</v></c></row>"
                      "<row r=\"7\"><c t=\"s\"><v>0</v></c></row>",
                      "<si><t>shared</t></si>", STYLES, false);
  same_stream(b, len, NULL);
  free(b);
  b = make_ods(&len, ODS_TABLES);
  vc_diag_t *d = vc_diag_create();
  vc_table_t *t = vc_workbook_read_mem(b, len, "t.xlsx", "Sheet3", d);
  vc_diag_free(d);
  if (t) same_stream(b, len, "Sheet3");
  vc_table_free(t);
  free(b);
  /* a failed read gives NULL with the table reader's message */
  b = hand_xlsx(&len, "<row r=\"5\"><c t=\"str\"><v>a</v></c></row><row r=\"2\"/>", "", STYLES,
                false);
  d = vc_diag_create();
  collect_t c = {.stop_at = -1};
  assert_null(vc_workbook_stream_mem(b, len, "t.xlsx", NULL, NULL, NULL, collect_row, &c, d));
  expect_diag(d, "row 2 comes after row 5", 0, 0, VC_E_INPUT);
  vc_diag_free(d);
  free(b);
}

/* ---- issue 7: merged cells, formulas, hidden rows, protection ---- */

/* A hand-made xlsx whose sheet has mergeCells after sheetData. */
static char *merge_xlsx(size_t *len, const char *data, const char *merges) {
  char *body = malloc(strlen(data) + strlen(merges) + 64);
  assert_non_null(body);
  /* hand_xlsx closes sheetData itself: put the merges after it by closing
   * it early and opening an empty one that the file ends with */
  sprintf(body, "%s</sheetData><mergeCells>%s</mergeCells><sheetData>", data, merges);
  char *b = hand_xlsx(len, body, "", STYLES, false);
  free(body);
  return b;
}

static void test_merged(void **st) {
  /* the class C2:C4 over three students, C5:C6 over two (its last row has no
   * student: skipped), B7:C8 over two rows and columns (only B filled), an
   * error merged over rows passes the problem on; a value Excel would not
   * keep in a covered cell is ignored */
  const char *data =
      "<row r=\"1\"><c t=\"str\"><v>ma</v></c><c t=\"str\"><v>ten</v></c><c t=\"str\"><v>lop</v></c>"
      "</row>"
      "<row r=\"2\"><c t=\"str\"><v>1</v></c><c t=\"str\"><v>An</v></c><c t=\"str\"><v>10A1</v></c></row>"
      "<row r=\"3\" hidden=\"1\"><c t=\"str\"><v>2</v></c><c t=\"str\"><v>B\xc3\xacnh</v></c>"
      "<c r=\"C3\" t=\"str\"><v>stale</v></c></row>"
      "<row r=\"4\"><c t=\"str\"><v>3</v></c><c t=\"str\"><v>C</v></c></row>"
      "<row r=\"5\"><c t=\"str\"><v>4</v></c><c t=\"str\"><v>D</v></c><c r=\"C5\" s=\"3\"><v>45645</v></c></row>"
      "<row r=\"6\"><c r=\"C6\" s=\"3\"/></row>"
      "<row r=\"7\"><c t=\"str\"><v>5</v></c><c t=\"str\"><v>E</v></c></row>"
      "<row r=\"8\"><c t=\"str\"><v>6</v></c><c r=\"D8\" t=\"str\"><v>x</v></c></row>"
      "<row r=\"9\"><c t=\"str\"><v>7</v></c><c r=\"C9\" t=\"e\"><v>#N/A</v></c></row>"
      "<row r=\"10\"><c t=\"str\"><v>8</v></c></row>";
  const char *merges = "<mergeCell ref=\"C2:C4\"/><mergeCell ref=\"C5:C6\"/>"
                       "<mergeCell ref=\"A7:B8\"/><mergeCell ref=\"C9:C10\"/>"
                       "<mergeCell ref=\"A1:A1\"/><mergeCell ref=\"nonsense\"/>";
  size_t len;
  char *b = merge_xlsx(&len, data, merges);
  vc_diag_t *d;
  vc_table_t *t = rd(b, len, NULL, &d);
  assert_non_null(t);
  assert_int_equal(vc_table_nrows(t), 8);
  const char *lop[] = {"10A1", "10A1", "10A1", "19/12/2024", "", "", "#N/A", "#N/A"};
  const char *ma[] = {"1", "2", "3", "4", "5", "5", "7", "8"};
  for (long r = 0; r < 8; r++) {
    assert_string_equal(vc_table_get(t, r, 0), ma[r]);
    assert_string_equal(vc_table_get(t, r, 2), lop[r]);
  }
  assert_int_equal(vc_table_row_line(t, 4), 7);
  assert_string_equal(vc_table_get(t, 5, 1), ""); /* not filled sideways */
  assert_int_equal(vc_table_row_line(t, 5), 8);
  assert_false(vc_table_row_ok(t, 6));
  assert_false(vc_table_row_ok(t, 7));
  expect_diag(d, "cell C9: the cell shows the Excel error #N/A", 9, 3, VC_E_INPUT);
  expect_diag(d, "cell C10: the cell is merged with C9 above it, whose value cannot be used", 10,
              3, VC_E_INPUT);
  expect_diag(d, "cell D8: a value right of the table", 8, 4, VC_E_INPUT);
  /* row 8 holds only the number merged down from A7: by the table's shape
   * (src/input/shape.c) that looks like a total inside the table */
  expect_diag(d, "this row is not a record (a total), but records follow it (line 9)", 8, 0,
              VC_E_INPUT);
  assert_int_equal(vc_diag_count(d), 4);
  vc_table_free(t);
  vc_diag_free(d);
  same_stream(b, len, NULL);
  free(b);

  /* ods: table:number-rows-spanned and covered cells, repeated rows */
  b = make_ods(&len,
               "<table:table table:name=\"A\"><table:table-row>"
               "<table:table-cell office:value-type=\"string\"><text:p>ten</text:p></table:table-cell>"
               "<table:table-cell office:value-type=\"string\"><text:p>lop</text:p></table:table-cell>"
               "</table:table-row><table:table-row>"
               "<table:table-cell office:value-type=\"string\"><text:p>An</text:p></table:table-cell>"
               "<table:table-cell table:number-rows-spanned=\"4\" table:number-columns-spanned=\"2\" "
               "office:value-type=\"string\"><text:p>10A1</text:p></table:table-cell>"
               "<table:covered-table-cell/></table:table-row>"
               "<table:table-row table:number-rows-repeated=\"2\" table:visibility=\"filter\">"
               "<table:table-cell office:value-type=\"string\"><text:p>B</text:p></table:table-cell>"
               "<table:covered-table-cell table:number-columns-repeated=\"2\" "
               "office:value-type=\"string\"><text:p>hidden</text:p></table:covered-table-cell>"
               "</table:table-row><table:table-row><table:table-cell/>"
               "<table:covered-table-cell table:number-columns-repeated=\"2\"/></table:table-row>"
               "<table:table-row><table:table-cell office:value-type=\"string\"><text:p>C</text:p>"
               "</table:table-cell></table:table-row></table:table>");
  t = rd(b, len, NULL, &d);
  assert_non_null(t);
  assert_int_equal(vc_table_ncols(t), 2);
  assert_int_equal(vc_table_nrows(t), 4);
  const char *oten[] = {"An", "B", "B", "C"}, *olop[] = {"10A1", "10A1", "10A1", ""};
  for (long r = 0; r < 4; r++) {
    assert_string_equal(vc_table_get(t, r, 0), oten[r]);
    assert_string_equal(vc_table_get(t, r, 1), olop[r]);
  }
  /* the hidden value in the covered C3:C4 is right of the table */
  expect_diag(d, "cell C3: a value right of the table", 3, 3, VC_E_INPUT);
  assert_int_equal(vc_diag_count(d), 1);
  vc_table_free(t);
  vc_diag_free(d);
  same_stream(b, len, NULL);
  free(b);
}

/* The first pass over an xlsx sheet finds <mergeCell> with a byte scanner:
 * one cut by the end of a 64 KiB piece, after a comment with a fake one,
 * a prefixed one, one after a '>' in a quoted value. */
static void test_merge_scan(void **st) {
  static const char head[] = /* as hand_xlsx writes it */
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
      "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
      "<sheetData>";
  const char *data =
      "<row r=\"1\"><c t=\"str\"><v>ten</v></c><c t=\"str\"><v>lop</v></c><c t=\"str\"><v>x</v></c>"
      "<c t=\"str\"><v>y</v></c></row>"
      "<row r=\"2\"><c t=\"str\"><v>An</v></c><c t=\"str\"><v>10A1</v></c><c t=\"str\"><v>a</v></c>"
      "<c t=\"str\"><v>b</v></c></row>"
      "<row r=\"3\"><c t=\"str\"><v>B</v></c></row><row r=\"4\"><c t=\"str\"><v>C</v></c></row>";
  const char *tail =
      "\"/><mergeCell ref=\"B2:B4\"/><x:mergeCell xmlns:x=\"http://schemas.openxmlformats.org/"
      "spreadsheetml/2006/main\" ref='C2:C3'/><mergeCell ext=\"a>b\" ref=\"D2:D3\"/>"
      "</mergeCells><sheetData>";
  size_t plen = 70000;
  char *body = malloc(plen + 1024);
  assert_non_null(body);
  for (int k = 1; k <= 30; k++) {
    /* the "<mergeCell ref=\"B2:B4\"/>" tag starts k bytes before 65536 */
    int n = sprintf(body, "%s</sheetData><!-- <mergeCell ref=\"A2:A4\"/> ", data);
    const char *mid = " --><mergeCells><![CDATA[<mergeCell ref=\"A1:A3\"/>]]><?pi <mergeCell ref=\"A1:A3\"?><e x=\"";
    size_t before = strlen(head) + (size_t)n + strlen(mid) + 3;
    size_t pad = 65536 - (size_t)k - before;
    memset(body + n, 'p', pad);
    n += (int)pad;
    n += sprintf(body + n, "%s", mid);
    sprintf(body + n, "%s", tail);
    assert_int_equal(strstr(body, "<mergeCell ref=\"B2") - body + strlen(head), 65536 - k);
    size_t len;
    char *b = hand_xlsx(&len, body, "", STYLES, false);
    vc_diag_t *d;
    vc_table_t *t = rd(b, len, NULL, &d);
    no_diag(d);
    assert_int_equal(vc_table_nrows(t), 3);
    for (long r = 0; r < 3; r++) {
      assert_string_equal(vc_table_get(t, r, 0), r == 0 ? "An" : r == 1 ? "B" : "C");
      assert_string_equal(vc_table_get(t, r, 1), "10A1");
      assert_string_equal(vc_table_get(t, r, 2), r < 2 ? "a" : "");
      assert_string_equal(vc_table_get(t, r, 3), r < 2 ? "b" : "");
    }
    vc_table_free(t);
    vc_diag_free(d);
    free(b);
  }
  free(body);

  /* more merges over rows than VC_WB_MAX_MERGES: refused, not gathered */
  long nm = VC_WB_MAX_MERGES + 1;
  body = malloc((size_t)nm * 48 + 256);
  assert_non_null(body);
  char *p = body + sprintf(body, "<row><c t=\"str\"><v>a</v></c></row></sheetData><mergeCells>");
  for (long i = 0; i < nm; i++) p += sprintf(p, "<mergeCell ref=\"A%ld:A%ld\"/>", 2 * i + 2, 2 * i + 3);
  sprintf(p, "</mergeCells><sheetData>");
  size_t len;
  char *b = hand_xlsx(&len, body, "", STYLES, false);
  free(body);
  vc_diag_t *d;
  assert_null(rd(b, len, NULL, &d));
  expect_diag(d, "the sheet has more than 1048576 ranges of cells merged over several rows", 0, 0,
              VC_E_LIMIT);
  vc_diag_free(d);
  free(b);
}

static void test_formulas(void **st) {
  /* openpyxl writes <f> with an empty <v>; others leave <v> out; a text
   * formula's "" result is a value; cached results are used */
  const char *data =
      "<row r=\"1\"><c t=\"str\"><v>a</v></c><c t=\"str\"><v>b</v></c><c t=\"str\"><v>c</v></c></row>"
      "<row r=\"2\"><c t=\"str\"><v>x</v></c><c r=\"B2\"><f>SUM(A1:A2)</f><v></v></c>"
      "<c r=\"C2\" t=\"str\"><f>\"\"</f><v></v></c></row>"
      "<row r=\"3\"><c t=\"str\"><v>y</v></c><c r=\"B3\" t=\"b\"><f>1=1</f><v>1</v></c>"
      "<c r=\"C3\" t=\"str\"><f>A3</f></c></row>"
      "<row r=\"4\"><c t=\"str\"><v>z</v></c><c r=\"B4\" s=\"1\"><f>5000000</f><v>5000000</v></c>"
      "<c r=\"C4\" t=\"e\"><f>1/0</f><v>#DIV/0!</v></c></row>";
  size_t len;
  char *b = hand_xlsx(&len, data, "", STYLES, false);
  vc_diag_t *d;
  vc_table_t *t = rd(b, len, NULL, &d);
  assert_non_null(t);
  assert_int_equal(vc_table_nrows(t), 3);
  assert_string_equal(vc_table_get(t, 0, 1), "");
  assert_false(vc_table_row_ok(t, 0));
  expect_diag(d, "sheet \"Danh s\xc3\xa1" "ch\", cell B2: the cell holds a formula with no saved "
              "result (the file was written by a program and never opened in a spreadsheet): "
              "open it in Excel or LibreOffice, save it, and try again", 2, 2, VC_E_INPUT);
  assert_string_equal(vc_table_get(t, 1, 1), "TRUE");
  expect_diag(d, "cell C3: the cell holds a formula with no saved result", 3, 3, VC_E_INPUT);
  assert_string_equal(vc_table_get(t, 2, 1), "5.000.000 \xc4\x91");
  expect_diag(d, "cell C4: the cell shows the Excel error #DIV/0!", 4, 3, VC_E_INPUT);
  assert_int_equal(vc_diag_count(d), 3);
  vc_table_free(t);
  vc_diag_free(d);
  same_stream(b, len, NULL);
  free(b);

  /* ods: a formula with no value, Err:502 without calcext, string-value */
  b = make_ods(&len,
               "<table:table table:name=\"A\"><table:table-row>"
               "<table:table-cell office:value-type=\"string\"><text:p>a</text:p></table:table-cell>"
               "<table:table-cell office:value-type=\"string\"><text:p>b</text:p></table:table-cell>"
               "</table:table-row><table:table-row>"
               "<table:table-cell table:formula=\"of:=SUM([.A1])\" office:value-type=\"float\"/>"
               "<table:table-cell table:formula=\"of:=X()\"><text:p>Err:502</text:p>"
               "</table:table-cell></table:table-row><table:table-row>"
               "<table:table-cell table:formula=\"of:=&quot;&quot;\" office:value-type=\"string\" "
               "office:string-value=\"\"/>"
               "<table:table-cell office:value-type=\"string\" office:string-value=\"L\xe1\xbb\x9bp\"/>"
               "</table:table-row><table:table-row><table:table-cell office:value-type=\"string\">"
               "<text:p>#N/A</text:p></table:table-cell></table:table-row></table:table>");
  t = rd(b, len, NULL, &d);
  assert_non_null(t);
  assert_int_equal(vc_table_nrows(t), 3);
  expect_diag(d, "cell A2: the cell holds a formula with no saved result", 2, 1, VC_E_INPUT);
  expect_diag(d, "cell B2: the cell shows an error (Err:502)", 2, 2, VC_E_INPUT);
  assert_string_equal(vc_table_get(t, 1, 1), "L\xe1\xbb\x9bp");
  assert_true(vc_table_row_ok(t, 1));
  assert_string_equal(vc_table_get(t, 2, 0), "#N/A"); /* typed text, no formula */
  assert_int_equal(vc_diag_count(d), 2);
  vc_table_free(t);
  vc_diag_free(d);
  same_stream(b, len, NULL);
  free(b);
}

/* Records the reader marked hidden, through the API; *rows: all records. */
static long hidden_rows(const char *buf, size_t len, bool ods, long *rows) {
  vc_diag_t *d = vc_diag_create();
  vc_table_t *t = vc_workbook_read_mem(buf, len, ods ? "t.ods" : "t.xlsx", NULL, d);
  assert_non_null(t);
  long n = 0;
  for (long r = 0; r < vc_table_nrows(t); r++) n += vc_table_row_hidden(t, r);
  *rows = vc_table_nrows(t);
  vc_table_free(t);
  vc_diag_free(d);
  return n;
}

static void test_hidden_rows(void **st) {
  size_t len;
  char *b = hand_xlsx(&len,
                      "<row r=\"1\"><c t=\"str\"><v>a</v></c></row>"
                      "<row r=\"2\" hidden=\"1\"><c t=\"str\"><v>x</v></c></row>"
                      "<row r=\"3\" hidden=\"0\"><c t=\"str\"><v>y</v></c></row>"
                      "<row r=\"4\" hidden=\"true\"><c t=\"str\"><v>z</v></c></row>",
                      "", STYLES, false);
  long rows = 0;
  assert_int_equal(hidden_rows(b, len, false, &rows), 2);
  assert_int_equal(rows, 3);
  free(b);
  b = make_ods(&len,
               "<table:table table:name=\"A\"><table:table-row>"
               "<table:table-cell office:value-type=\"string\"><text:p>a</text:p></table:table-cell>"
               "</table:table-row><table:table-row table:visibility=\"collapse\">"
               "<table:table-cell office:value-type=\"string\"><text:p>b</text:p></table:table-cell>"
               "</table:table-row><table:table-row table:visibility=\"filter\" "
               "table:number-rows-repeated=\"3\"><table:table-cell office:value-type=\"string\">"
               "<text:p>c</text:p></table:table-cell></table:table-row>"
               "<table:table-row table:visibility=\"visible\"><table:table-cell "
               "office:value-type=\"string\"><text:p>d</text:p></table:table-cell>"
               "</table:table-row></table:table>");
  assert_int_equal(hidden_rows(b, len, true, &rows), 4);
  assert_int_equal(rows, 5);
  free(b);
}

/* A compound file (OLE2) with the given stream names: its directory is
 * sector 0 (four entries, the root first), then sector 3 through the FAT
 * (sector 2), then sector 1. */
static char *make_cfb(size_t *len, const char *const *names, int n) {
  size_t sz = 512 * 5;
  unsigned char *b = calloc(1, sz);
  assert_non_null(b);
  memcpy(b, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
  b[26] = 3, b[28] = 0xFE, b[29] = 0xFF, b[30] = 9, b[32] = 6; /* v3, 512-byte sectors */
  b[44] = 1;                  /* one FAT sector */
  b[48] = 0;                  /* the directory starts at sector 0 */
  memset(b + 76, 0xFF, 436);  /* DIFAT: ... */
  memset(b + 76, 0, 4);
  b[76] = 2;                  /* ... the FAT is sector 2 */
  uint32_t fat[128];
  memset(fat, 0xFF, sizeof fat);
  fat[0] = 3, fat[1] = 0xFFFFFFFEu, fat[2] = 0xFFFFFFFDu, fat[3] = 1;
  for (int i = 0; i < 128; i++)
    for (int k = 0; k < 4; k++) b[512 * 3 + 4 * i + k] = (unsigned char)(fat[i] >> (8 * k));
  for (int i = 0; i <= n; i++) {
    size_t off = i < 4 ? 512 + 128 * (size_t)i : 512 * 4 + 128 * (size_t)(i - 4);
    const char *nm = i == 0 ? "Root Entry" : names[i - 1];
    size_t k = strlen(nm);
    for (size_t j = 0; j < k; j++) b[off + 2 * j] = (unsigned char)nm[j];
    b[off + 64] = (unsigned char)(2 * (k + 1));
    b[off + 66] = i == 0 ? 5 : 2; /* root storage, streams */
  }
  *len = sz;
  return (char *)b;
}

static void test_protected(void **st) {
  /* an encrypted .xlsx: EncryptedPackage in the second directory sector */
  const char *enc[] = {"\x06" "DataSpaces", "EncryptionInfo", "Version", "EncryptedPackage"};
  size_t len;
  char *b = make_cfb(&len, enc, 4);
  assert_true(vc_workbook_is_encrypted(b, len));
  assert_false(vc_workbook_is_encrypted(b, 600)); /* its directory cut off */
  free(b);
  const char *xls[] = {"Workbook", "\x05SummaryInformation"};
  b = make_cfb(&len, xls, 2);
  assert_false(vc_workbook_is_encrypted(b, len));
  free(b);
  assert_false(vc_workbook_is_encrypted("PK\x03\x04", 4));

  /* an encrypted .ods: its manifest says content.xml is encrypted */
  const char *ods[] = {"mimetype", "application/vnd.oasis.opendocument.spreadsheet",
                       "META-INF/manifest.xml",
                       "<?xml version=\"1.0\"?><!DOCTYPE manifest:manifest>"
                       "<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:"
                       "xmlns:manifest:1.0\"><manifest:file-entry manifest:full-path=\"/\"/>"
                       "<manifest:file-entry manifest:full-path=\"content.xml\" "
                       "manifest:size=\"9\"><manifest:encryption-data manifest:checksum=\"x\"/>"
                       "</manifest:file-entry></manifest:manifest>",
                       "content.xml", "\x01\x02\x03 not xml", NULL};
  b = make_zip(&len, false, ods);
  vc_diag_t *d;
  vc_table_t *t = rd(b, len, NULL, &d);
  assert_null(t);
  expect_diag(d, "the workbook is password-protected (encrypted), so vncert cannot read it: "
              "open it in LibreOffice", 0, 0, VC_E_INPUT);
  vc_diag_free(d);
  free(b);
  /* a manifest with a DOCTYPE and no encryption is no obstacle */
  const char *plain[] = {"mimetype", "application/vnd.oasis.opendocument.spreadsheet",
                         "META-INF/manifest.xml",
                         "<!DOCTYPE manifest:manifest><manifest:manifest><manifest:file-entry "
                         "manifest:full-path=\"content.xml\"/><manifest:file-entry "
                         "manifest:full-path=\"x.png\"><manifest:encryption-data/>"
                         "</manifest:file-entry></manifest:manifest>",
                         NULL};
  b = make_zip(&len, false, plain);
  t = rd(b, len, NULL, &d);
  assert_null(t);
  expect_diag(d, "has no content.xml", 0, 0, VC_E_INPUT);
  vc_diag_free(d);
  free(b);
}

static void test_backslash_names(void **st) {
  /* entry names with '\\' (some Windows tools): read as with '/' */
  char sheet[512];
  snprintf(sheet, sizeof sheet,
           "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
           "<sheetData><row><c t=\"str\"><v>ten</v></c></row><row><c t=\"str\"><v>An</v></c>"
           "</row></sheetData></worksheet>");
  const char *parts[] = {"[Content_Types].xml", CT, "_rels\\.rels", RELS, "xl\\workbook.xml",
                         book_xml(false), "xl\\_rels\\workbook.xml.rels", BOOK_RELS,
                         "xl\\worksheets\\sheet1.xml", sheet, NULL};
  size_t len;
  char *b = make_zip(&len, true, parts);
  vc_diag_t *d;
  vc_table_t *t = rd(b, len, NULL, &d);
  no_diag(d);
  assert_non_null(t);
  assert_string_equal(vc_table_get(t, 0, 0), "An");
  vc_table_free(t);
  vc_diag_free(d);
  free(b);
}

static void test_ods_dates_fractions(void **st) {
  /* the time part as Calc showed it; a fraction read as General */
  size_t len;
  char *b = make_ods(&len,
                     "<table:table table:name=\"A\"><table:table-row>"
                     "<table:table-cell office:value-type=\"string\"><text:p>d</text:p></table:table-cell>"
                     "</table:table-row>"
                     "<table:table-row><table:table-cell office:value-type=\"date\" "
                     "office:date-value=\"2024-12-19T00:00:00\"><text:p>12/19/24</text:p>"
                     "</table:table-cell></table:table-row>"
                     "<table:table-row><table:table-cell office:value-type=\"date\" "
                     "office:date-value=\"2024-12-19T00:00:00\"><text:p>19/12/2024 00:00</text:p>"
                     "</table:table-cell></table:table-row>"
                     "<table:table-row><table:table-cell office:value-type=\"date\" "
                     "office:date-value=\"2024-12-19T10:30:00\"><text:p>Thursday, 19 Dec 2024"
                     "</text:p></table:table-cell></table:table-row>"
                     "<table:table-row><table:table-cell office:value-type=\"date\" "
                     "office:date-value=\"2024-12-19T10:30:15\"><text:p>12/19/24 10:30:15 AM"
                     "</text:p></table:table-cell></table:table-row>"
                     "<table:table-row><table:table-cell office:value-type=\"date\" "
                     "office:date-value=\"2024-12-19T10:30:00\"/></table:table-row>"
                     "<table:table-row><table:table-cell office:value-type=\"float\" "
                     "office:value=\"8.5\"><text:p>8 1/2</text:p></table:table-cell></table:table-row>"
                     "<table:table-row><table:table-cell office:value-type=\"float\" "
                     "office:value=\"0.25\"><text:p>1/4</text:p></table:table-cell></table:table-row>"
                     "</table:table>");
  vc_diag_t *d;
  vc_table_t *t = rd(b, len, NULL, &d);
  no_diag(d);
  const char *want[] = {"19/12/2024", "19/12/2024 00:00", "19/12/2024", "19/12/2024 10:30:15",
                        "19/12/2024 10:30", "8,5", "0,25"};
  assert_int_equal(vc_table_nrows(t), 7);
  for (long r = 0; r < 7; r++) assert_string_equal(vc_table_get(t, r, 0), want[r]);
  vc_table_free(t);
  vc_diag_free(d);
  free(b);
}

int main(void) {
  setlocale(LC_ALL, ""); /* the suite runs again under fr_FR.UTF-8 */
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_xlsx_writer), cmocka_unit_test(test_xlsx_locale),
      cmocka_unit_test(test_xlsx_sheets), cmocka_unit_test(test_xlsx_hand),
      cmocka_unit_test(test_xlsx_header_rules), cmocka_unit_test(test_formats),
      cmocka_unit_test(test_ods), cmocka_unit_test(test_malformed),
      cmocka_unit_test(test_caps), cmocka_unit_test(test_stream),
      cmocka_unit_test(test_merged), cmocka_unit_test(test_merge_scan),
      cmocka_unit_test(test_formulas),
      cmocka_unit_test(test_hidden_rows), cmocka_unit_test(test_protected),
      cmocka_unit_test(test_backslash_names), cmocka_unit_test(test_ods_dates_fractions),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
