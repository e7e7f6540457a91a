/* test_csv.c - the CSV reader (src/input/csv.c) and the table it fills. */
#include "testutil.h"

#include <unistd.h>

#include "core/diag.h"
#include "core/text.h"
#include "input/csv.h"
#include "input/reader.h"
#include "records/table.h"

/* Reads s (strlen) as "t.csv" into a fresh diag list in *dp. */
static vc_table_t *rd_n(const char *s, size_t n, vc_diag_t **dp) {
  *dp = vc_diag_create();
  assert_non_null(*dp);
  return vc_csv_read_mem(s, n, "t.csv", *dp);
}
static vc_table_t *rd(const char *s, vc_diag_t **dp) { return rd_n(s, strlen(s), dp); }

#define expect_diag(d, sub, line, col, st) expect_diag_at(d, sub, "t.csv", line, col, st)

/* The lines vc_diag_print writes, as one string (caller frees). */
static char *printed(const vc_diag_t *d) {
  char *buf = NULL;
  size_t len = 0;
  FILE *fp = open_memstream(&buf, &len);
  assert_non_null(fp);
  vc_diag_print(d, fp);
  fclose(fp);
  return buf;
}

static void test_basic(void **st) {
  vc_diag_t *d;
  vc_table_t *t = rd("Họ và tên,Lớp,Số tiền\nNguyễn Văn An,5A,5.000.000\nLê Thị Bình,5B,\n", &d);
  assert_non_null(t);
  assert_int_equal(vc_diag_count(d), 0);
  assert_string_equal(vc_table_name(t), "t.csv");
  assert_int_equal(vc_table_ncols(t), 3);
  assert_int_equal(vc_table_nrows(t), 2);
  assert_string_equal(vc_table_col_header(t, 0), "Họ và tên");
  assert_string_equal(vc_table_col_key(t, 0), "ho_va_ten");
  assert_string_equal(vc_table_col_key(t, 2), "so_tien");
  assert_string_equal(vc_table_get(t, 0, 0), "Nguyễn Văn An");
  assert_string_equal(vc_table_get(t, 1, 1), "5B");
  assert_string_equal(vc_table_get(t, 1, 2), "");
  assert_int_equal(vc_table_row_line(t, 0), 2);
  assert_int_equal(vc_table_row_line(t, 1), 3);
  assert_true(vc_table_row_ok(t, 0) && vc_table_row_ok(t, 1));
  assert_int_equal(vc_table_find_col(t, "HỌ VÀ TÊN"), 0);
  assert_int_equal(vc_table_find_col(t, "so tien"), 2);
  assert_int_equal(vc_table_find_col(t, "nope"), -1);
  assert_null(vc_table_get(t, 2, 0));
  assert_null(vc_table_get(t, 0, 3));
  vc_table_free(t);
  vc_diag_free(d);
}

static void test_no_final_newline(void **st) {
  vc_diag_t *d;
  vc_table_t *t = rd("a,b\n1,2", &d);
  assert_non_null(t);
  assert_int_equal(vc_diag_count(d), 0);
  assert_int_equal(vc_table_nrows(t), 1);
  assert_string_equal(vc_table_get(t, 0, 1), "2");
  vc_table_free(t);
  vc_diag_free(d);
}

static void test_quoted_delimiters_and_quotes(void **st) {
  vc_diag_t *d;
  vc_table_t *t = rd("ten,truong,ghi chu\n"
                     "An,\"Trường \"\"Hoa Sen\"\"\",\"a, b, c\"\n"
                     "\"\",\"\"\"\",x\n",
                     &d);
  assert_non_null(t);
  assert_int_equal(vc_diag_count(d), 0);
  assert_string_equal(vc_table_get(t, 0, 1), "Trường \"Hoa Sen\"");
  assert_string_equal(vc_table_get(t, 0, 2), "a, b, c");
  assert_string_equal(vc_table_get(t, 1, 0), "");
  assert_string_equal(vc_table_get(t, 1, 1), "\"");
  vc_table_free(t);
  vc_diag_free(d);
}

static void test_multiline_field_lines(void **st) {
  vc_diag_t *d;
  vc_table_t *t = rd("ten,dia chi\n"                 /* 1 */
                     "An,1 Lê Lợi\n"                 /* 2 */
                     "Bình,\"số 2\nđường 3\n\"\n"    /* 3-5 */
                     "Chi,\"x\"\n",                  /* 6 */
                     &d);
  assert_non_null(t);
  assert_int_equal(vc_diag_count(d), 0);
  assert_int_equal(vc_table_nrows(t), 3);
  assert_string_equal(vc_table_get(t, 1, 1), "số 2 đường 3");
  assert_int_equal(vc_table_row_line(t, 1), 3);
  assert_int_equal(vc_table_row_line(t, 2), 6);
  vc_table_free(t);
  vc_diag_free(d);
}

static void test_bom(void **st) {
  vc_diag_t *d;
  vc_table_t *t = rd("\xEF\xBB\xBFHọ tên;Lớp\nAn;5A\n", &d);
  assert_non_null(t);
  assert_int_equal(vc_diag_count(d), 0);
  assert_string_equal(vc_table_col_header(t, 0), "Họ tên");
  assert_string_equal(vc_table_col_key(t, 0), "ho_ten");
  assert_int_equal(vc_table_row_line(t, 0), 2);
  vc_table_free(t);
  vc_diag_free(d);
}

static void test_utf16_refused(void **st) {
  vc_diag_t *d;
  vc_table_t *t = rd_n("\xFF\xFEH\0o\0", 6, &d);
  assert_null(t);
  assert_non_null(find_diag(d, "UTF-16"));
  vc_diag_free(d);
}

static void test_crlf_and_mixed(void **st) {
  vc_diag_t *d;
  vc_table_t *t = rd("a,b\r\n1,2\r\n3,\"x\r\ny\"\n\r\n5,6\r\n7,8", &d);
  assert_non_null(t);
  assert_int_equal(vc_diag_count(d), 0);
  assert_int_equal(vc_table_nrows(t), 4);
  assert_string_equal(vc_table_col_header(t, 1), "b");
  assert_string_equal(vc_table_get(t, 0, 1), "2");
  assert_string_equal(vc_table_get(t, 1, 1), "x y");
  assert_string_equal(vc_table_get(t, 2, 1), "6");
  assert_string_equal(vc_table_get(t, 3, 1), "8");
  assert_int_equal(vc_table_row_line(t, 2), 6);
  assert_int_equal(vc_table_row_line(t, 3), 7);
  for (long r = 0; r < vc_table_nrows(t); r++)
    for (int c = 0; c < 2; c++) assert_null(strchr(vc_table_get(t, r, c), '\r'));
  vc_table_free(t);
  vc_diag_free(d);
}

/* closing quotes followed by spaces, CRLF, or the end of the file */
static void test_quote_then_line_end(void **st) {
  vc_diag_t *d;
  vc_table_t *t = rd("\"a\",\"b\"\r\n\"1\" ,  \"2\"\r\n\"3\",\"4\"", &d);
  assert_non_null(t);
  assert_int_equal(vc_diag_count(d), 0);
  assert_string_equal(vc_table_col_header(t, 1), "b");
  assert_int_equal(vc_table_nrows(t), 2);
  assert_string_equal(vc_table_get(t, 0, 0), "1");
  assert_string_equal(vc_table_get(t, 0, 1), "2");
  assert_string_equal(vc_table_get(t, 1, 1), "4");
  assert_int_equal(vc_table_row_line(t, 1), 3);
  vc_table_free(t);
  vc_diag_free(d);
}

static void test_cr_only_file(void **st) {
  vc_diag_t *d;
  vc_table_t *t = rd("a,b\r1,2\r3,4\r", &d);
  assert_non_null(t);
  assert_int_equal(vc_diag_count(d), 0);
  assert_int_equal(vc_table_nrows(t), 2);
  assert_string_equal(vc_table_get(t, 1, 0), "3");
  assert_int_equal(vc_table_row_line(t, 1), 3);
  vc_table_free(t);
  vc_diag_free(d);
}

static void test_delimiter_detection(void **st) {
  vc_diag_t *d;
  /* ';' wins over a comma inside a value */
  vc_table_t *t = rd("Họ tên;Số tiền;Lớp\nAn;5,000,000;5A\n", &d);
  assert_non_null(t);
  assert_int_equal(vc_diag_count(d), 0);
  assert_int_equal(vc_table_ncols(t), 3);
  assert_string_equal(vc_table_get(t, 0, 1), "5,000,000");
  vc_table_free(t);
  vc_diag_free(d);

  /* TAB (Excel "Unicode Text" layout, here in UTF-8) */
  t = rd("Họ tên\tLớp\tGhi chú\nAn\t5A\ta, b; c\n", &d);
  assert_non_null(t);
  assert_int_equal(vc_diag_count(d), 0);
  assert_int_equal(vc_table_ncols(t), 3);
  assert_string_equal(vc_table_get(t, 0, 2), "a, b; c");
  vc_table_free(t);
  vc_diag_free(d);

  /* delimiters inside quotes do not count: one ',' outside beats three ';' */
  t = rd("\"a;b;c\",d\nx,y\n", &d);
  assert_non_null(t);
  assert_int_equal(vc_table_ncols(t), 2);
  assert_string_equal(vc_table_col_header(t, 0), "a;b;c");
  vc_table_free(t);
  vc_diag_free(d);

  /* ties: ',' before ';' before TAB */
  t = rd("a,b;c\n1,2;3\n", &d);
  assert_non_null(t);
  assert_int_equal(vc_table_ncols(t), 2);
  assert_string_equal(vc_table_col_header(t, 1), "b;c");
  vc_table_free(t);
  vc_diag_free(d);
  t = rd("a;b\tc\n1;2\t3\n", &d);
  assert_non_null(t);
  assert_int_equal(vc_table_ncols(t), 2);
  assert_string_equal(vc_table_col_header(t, 1), "b c"); /* TAB inside is white space */
  vc_table_free(t);
  vc_diag_free(d);

  /* a single column: no delimiter at all */
  t = rd("\n\nHọ tên\nAn\n", &d);
  assert_non_null(t);
  assert_int_equal(vc_table_ncols(t), 1);
  assert_int_equal(vc_table_row_line(t, 0), 4);
  vc_table_free(t);
  vc_diag_free(d);

  /* detection skips blank lines and looks at the whole first record */
  t = rd("  \n\"a\nb\";c;d\n1;2;3\n", &d);
  assert_non_null(t);
  assert_int_equal(vc_diag_count(d), 0);
  assert_int_equal(vc_table_ncols(t), 3);
  assert_string_equal(vc_table_col_header(t, 0), "a b");
  assert_int_equal(vc_table_row_line(t, 0), 4);
  vc_table_free(t);
  vc_diag_free(d);
}

static void test_invalid_utf8(void **st) {
  vc_diag_t *d;
  vc_table_t *t = rd("STT,Lớp,Họ và tên\n"
                     "1,5A,An\n\n\n\n"
                     "2,5B,Bình\n"
                     "3,5C,Nguy\xC3n Văn\n" /* line 7 */
                     "4,5D,Dũng\n",
                     &d);
  assert_non_null(t);
  assert_int_equal(vc_diag_count(d), 1);
  expect_diag(d, "invalid UTF-8 in column \"Họ và tên\" (byte 0xC3 at character 5)", 7, 3,
              VC_E_INPUT);
  assert_int_equal(vc_table_nrows(t), 4);
  assert_int_equal(vc_table_row_line(t, 2), 7);
  assert_false(vc_table_row_ok(t, 2));
  assert_true(vc_table_row_ok(t, 3));
  assert_string_equal(vc_table_get(t, 2, 2), ""); /* never silently replaced */
  char *out = printed(d);
  assert_string_equal(out, "t.csv:7:3: invalid UTF-8 in column \"Họ và tên\" (byte 0xC3 at "
                           "character 5): the file is not UTF-8 \xe2\x80\x94 save it as "
                           "\"CSV UTF-8\" in Excel\n");
  free(out);
  vc_table_free(t);
  vc_diag_free(d);

  /* inside a multi-line value: the line of the bad byte */
  t = rd("a,b\n1,\"x\ny\xFFz\"\n", &d);
  assert_non_null(t);
  expect_diag(d, "(byte 0xFF at character 4)", 3, 2, VC_E_INPUT);
  vc_table_free(t);
  vc_diag_free(d);

  /* overlong and surrogate encodings are invalid too */
  t = rd("a\n\xC0\xAF\n\xED\xA0\x80\n", &d);
  assert_non_null(t);
  assert_int_equal(vc_diag_count(d), 2);
  expect_diag(d, "byte 0xC0", 2, 1, VC_E_INPUT);
  expect_diag(d, "byte 0xED", 3, 1, VC_E_INPUT);
  vc_table_free(t);
  vc_diag_free(d);

  /* in the header: nothing can be read */
  t = rd("H\xE1,b\n1,2\n", &d);
  assert_null(t);
  expect_diag(d, "invalid UTF-8 in the header, column 1", 1, 1, VC_E_INPUT);
  vc_diag_free(d);

  /* a zero byte (UTF-16 without BOM) */
  t = rd_n("a,b\n1,x\0y\n", 10, &d);
  assert_non_null(t);
  expect_diag(d, "zero byte in column \"b\" (at character 2)", 2, 2, VC_E_INPUT);
  assert_false(vc_table_row_ok(t, 0));
  vc_table_free(t);
  vc_diag_free(d);
}

static void test_many_encoding_errors_summarised(void **st) {
  char *buf = malloc(100 * 16 + 16);
  assert_non_null(buf);
  strcpy(buf, "ten\n");
  for (int i = 0; i < 100; i++) strcat(buf, "Nguy\xEA\xF0n\n"); /* Windows-1258 */
  vc_diag_t *d;
  vc_table_t *t = rd(buf, &d);
  assert_non_null(t);
  assert_int_equal(vc_table_nrows(t), 100);
  for (long r = 0; r < 100; r++) assert_false(vc_table_row_ok(t, r));
  assert_int_equal(vc_diag_count(d), 21);
  assert_non_null(find_diag(d, "80 more values are not valid UTF-8"));
  vc_table_free(t);
  vc_diag_free(d);
  free(buf);
}

static void test_cleaning(void **st) {
  vc_diag_t *d;
  /* NBSP runs, tabs, leading/trailing space; NFD input (e + combining marks) */
  vc_table_t *t = rd("  Họ   và\xC2\xA0tên ,b\n"
                     "Nguy\x65\xCC\x82\xCC\x83n\xC2\xA0\xC2\xA0Văn\t An ,\"  x  \"\n",
                     &d);
  assert_non_null(t);
  assert_int_equal(vc_diag_count(d), 0);
  assert_string_equal(vc_table_col_header(t, 0), "Họ và tên");
  assert_string_equal(vc_table_col_key(t, 0), "ho_va_ten");
  assert_string_equal(vc_table_get(t, 0, 0), "Nguyễn Văn An");
  assert_string_equal(vc_table_get(t, 0, 1), "x");
  vc_table_free(t);
  vc_diag_free(d);

  /* NFD header folds like the NFC one */
  t = rd("Ho\xCC\xA3 te\xCC\x82n\nAn\n", &d);
  assert_non_null(t);
  assert_string_equal(vc_table_col_header(t, 0), "Họ tên");
  assert_string_equal(vc_table_col_key(t, 0), "ho_ten");
  vc_table_free(t);
  vc_diag_free(d);
}

static void test_blank_lines(void **st) {
  vc_diag_t *d;
  vc_table_t *t = rd("\n   \n\t\n\xC2\xA0\nten;lop\n\n1;2\n  \r\n;\n ; \n3;4\n\n", &d);
  assert_non_null(t);
  assert_int_equal(vc_diag_count(d), 0);
  assert_int_equal(vc_table_nrows(t), 2);
  assert_string_equal(vc_table_col_header(t, 0), "ten");
  assert_int_equal(vc_table_row_line(t, 0), 7);
  assert_int_equal(vc_table_row_line(t, 1), 11);
  vc_table_free(t);
  vc_diag_free(d);
}

static void test_field_count(void **st) {
  vc_diag_t *d;
  vc_table_t *t = rd("a,b,c,d,e\n"
                     "1,2,3,4,5\n"
                     "1,2,3,4\n"          /* too few */
                     "1,2,3,4,5,6\n"      /* too many */
                     "1,2,3,4,5,\n"       /* trailing delimiter = a 6th field */
                     "1,\"x\ny\",3,4\n"   /* too few, over two lines */
                     "6,7,8,9,10\n",
                     &d);
  assert_non_null(t);
  assert_int_equal(vc_table_nrows(t), 6);
  expect_diag(d, "row has 4 fields, the header has 5", 3, 0, VC_E_INPUT);
  expect_diag(d, "row has 6 fields, the header has 5", 4, 0, VC_E_INPUT);
  const vc_diag_item_t *it = vc_diag_get(d, 2);
  assert_int_equal(it->line, 5);
  assert_non_null(strstr(it->msg, "row has 6 fields"));
  expect_diag(d, "(it runs over lines 6-7)", 6, 0, VC_E_INPUT);
  assert_int_equal(vc_diag_count(d), 4);
  assert_true(vc_table_row_ok(t, 0));
  assert_false(vc_table_row_ok(t, 1));
  assert_false(vc_table_row_ok(t, 2));
  assert_false(vc_table_row_ok(t, 3));
  assert_false(vc_table_row_ok(t, 4));
  assert_true(vc_table_row_ok(t, 5));
  /* kept, not repaired by shifting */
  assert_string_equal(vc_table_get(t, 1, 3), "4");
  assert_string_equal(vc_table_get(t, 1, 4), "");
  assert_string_equal(vc_table_get(t, 2, 4), "5");
  assert_int_equal(vc_table_row_line(t, 5), 8);
  vc_table_free(t);
  vc_diag_free(d);
}

static void test_headers(void **st) {
  vc_diag_t *d;
  vc_table_t *t = rd("Họ và tên,Lớp,HỌ VÀ TÊN\nAn,5A,An\n", &d);
  assert_non_null(t);
  expect_diag(d, "columns 1 \"Họ và tên\" and 3 \"HỌ VÀ TÊN\" have the same name", 1, 3,
              VC_E_INPUT);
  vc_table_free(t);
  vc_diag_free(d);

  /* an empty header over values is an error... */
  t = rd("a,,c\n1,2,3\n4,,6\n", &d);
  assert_non_null(t);
  expect_diag(d, "column 2 has no name in the header but has values (first on line 2)", 1, 2,
              VC_E_INPUT);
  assert_int_equal(vc_diag_count(d), 1);
  vc_table_free(t);
  vc_diag_free(d);

  /* ...but not over an empty column (Excel's trailing delimiters) */
  t = rd("a,b,,\n1,2,,\n3,4, ,\n", &d);
  assert_non_null(t);
  assert_int_equal(vc_diag_count(d), 0);
  assert_int_equal(vc_table_ncols(t), 4);
  assert_string_equal(vc_table_col_key(t, 2), "");
  assert_int_equal(vc_table_find_col(t, ""), -1);
  vc_table_free(t);
  vc_diag_free(d);
}

static void test_stray_quote(void **st) {
  vc_diag_t *d;
  vc_table_t *t = rd("ten,truong,lop\n"
                     "An,Trường \"Hoa Sen\",5A\n"
                     "Bình,\"Hoa Sen\" 2,5B\n"
                     "Chi,x,5C\n",
                     &d);
  assert_non_null(t);
  expect_diag(d, "a quote (\") in the middle of the value in column \"truong\"", 2, 2,
              VC_E_INPUT);
  const vc_diag_item_t *it = vc_diag_get(d, 1);
  assert_non_null(it);
  assert_int_equal(it->line, 3);
  assert_int_equal(it->col, 2);
  assert_int_equal(vc_diag_count(d), 2);
  assert_int_equal(vc_table_nrows(t), 3);
  assert_false(vc_table_row_ok(t, 0));
  assert_false(vc_table_row_ok(t, 1));
  assert_true(vc_table_row_ok(t, 2));
  assert_string_equal(vc_table_get(t, 2, 2), "5C");
  assert_int_equal(vc_table_row_line(t, 2), 4);
  vc_table_free(t);
  vc_diag_free(d);

  /* in the header: fatal */
  t = rd("ten,truong \"x\"\n1,2\n", &d);
  assert_null(t);
  expect_diag(d, "quote", 1, 2, VC_E_INPUT);
  vc_diag_free(d);
}

static void test_unterminated_quote(void **st) {
  vc_diag_t *d;
  vc_table_t *t = rd("a,b\n1,2\n\"x\ny\",\"open\n3,4\n5,6\n", &d);
  assert_non_null(t);
  expect_diag(d, "is never closed", 4, 2, VC_E_INPUT);
  assert_int_equal(vc_table_nrows(t), 2);
  assert_int_equal(vc_table_row_line(t, 1), 3);
  assert_false(vc_table_row_ok(t, 1));
  vc_table_free(t);
  vc_diag_free(d);

  /* a doubled quote inside the open value is not its start */
  t = rd("a\n\"x\n\"\"y\n", &d);
  assert_non_null(t);
  expect_diag(d, "is never closed", 2, 1, VC_E_INPUT);
  vc_table_free(t);
  vc_diag_free(d);
}

static void test_empty_files(void **st) {
  vc_diag_t *d;
  vc_table_t *t = rd("", &d);
  assert_null(t);
  assert_non_null(find_diag(d, "empty"));
  vc_diag_free(d);

  t = rd(" \n\r\n\n", &d);
  assert_null(t);
  assert_non_null(find_diag(d, "empty"));
  vc_diag_free(d);

  /* only delimiters */
  t = rd(",,,\n,,,\r\n,\n", &d);
  assert_null(t);
  assert_int_equal(vc_diag_status(d), VC_E_INPUT);
  assert_non_null(find_diag(d, "no header"));
  vc_diag_free(d);

  t = rd("\t\t\n\t\n", &d);
  assert_null(t);
  vc_diag_free(d);

  /* header only */
  t = rd("\xEF\xBB\xBFHọ tên,Lớp\r\n", &d);
  assert_non_null(t);
  assert_int_equal(vc_diag_count(d), 0);
  assert_int_equal(vc_table_ncols(t), 2);
  assert_int_equal(vc_table_nrows(t), 0);
  vc_table_free(t);
  vc_diag_free(d);
}

static void test_caps(void **st) {
  vc_diag_t *d;
  /* whole file: refused before it is read */
  static const char small[] = "a\n";
  vc_table_t *t = rd_n(small, (size_t)VC_CSV_MAX_BYTES + 1, &d);
  assert_null(t);
  assert_int_equal(vc_diag_status(d), VC_E_LIMIT);
  vc_diag_free(d);

  /* columns */
  size_t n = (VC_CSV_MAX_COLS + 1) * 2 + 8;
  char *buf = malloc(n);
  assert_non_null(buf);
  size_t k = 0;
  for (int i = 0; i <= VC_CSV_MAX_COLS; i++) buf[k++] = 'a', buf[k++] = ',';
  buf[k - 1] = '\n';
  t = rd_n(buf, k, &d);
  assert_null(t);
  assert_int_equal(vc_diag_status(d), VC_E_LIMIT);
  assert_non_null(find_diag(d, "1025 columns"));
  vc_diag_free(d);
  free(buf);

  /* one value: the row is bad, the others are read */
  n = VC_CSV_MAX_FIELD + 64;
  buf = malloc(n);
  assert_non_null(buf);
  k = (size_t)sprintf(buf, "a,b\n1,");
  memset(buf + k, 'x', VC_CSV_MAX_FIELD + 1);
  k += VC_CSV_MAX_FIELD + 1;
  k += (size_t)sprintf(buf + k, "\n2,y\n");
  t = rd_n(buf, k, &d);
  assert_non_null(t);
  expect_diag(d, "longer than the 64 KiB (65536 bytes)", 2, 2, VC_E_LIMIT);
  assert_false(vc_table_row_ok(t, 0));
  assert_true(vc_table_row_ok(t, 1));
  vc_table_free(t);
  vc_diag_free(d);
  free(buf);

  /* rows */
  n = ((size_t)VC_CSV_MAX_ROWS + 2) * 2;
  buf = malloc(n);
  assert_non_null(buf);
  for (size_t i = 0; i < n; i += 2) buf[i] = 'x', buf[i + 1] = '\n';
  t = rd_n(buf, n, &d);
  assert_null(t);
  assert_int_equal(vc_diag_status(d), VC_E_LIMIT);
  assert_non_null(find_diag(d, "more than 2000000 rows"));
  vc_diag_free(d);
  free(buf);
}

static void test_read_file(void **st) {
  char path[] = "/tmp/vc-test-csv-XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  const char *text = "\xEF\xBB\xBFHọ tên;Số tiền\r\nAn;5.000.000\r\n";
  assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
  close(fd);
  vc_diag_t *d = vc_diag_create();
  vc_table_t *t = vc_input_read(path, NULL, NULL, d);
  assert_non_null(t);
  assert_int_equal(vc_diag_count(d), 0);
  assert_string_equal(vc_table_name(t), path);
  assert_string_equal(vc_table_get(t, 0, 1), "5.000.000");
  vc_table_free(t);
  unlink(path);

  t = vc_input_read(path, NULL, NULL, d);
  assert_null(t);
  assert_int_equal(vc_diag_status(d), VC_E_IO);
  vc_diag_free(d);
}

/* 100,000 rows x 5 columns: the size the arena is designed for. */
static void test_large(void **st) {
  size_t cap = 100000 * 64 + 64, k = 0;
  char *buf = malloc(cap);
  assert_non_null(buf);
  k += (size_t)sprintf(buf, "STT,Họ và tên,Lớp,Số tiền,Ngày\n");
  for (int i = 0; i < 100000; i++)
    k += (size_t)sprintf(buf + k, "%d,Nguyễn Văn %d,5A,%d.000,05/01/2025\n", i + 1, i, i % 900 + 100);
  vc_diag_t *d;
  vc_table_t *t = rd_n(buf, k, &d);
  assert_non_null(t);
  assert_int_equal(vc_diag_count(d), 0);
  assert_int_equal(vc_table_nrows(t), 100000);
  assert_string_equal(vc_table_get(t, 99999, 1), "Nguyễn Văn 99999");
  assert_int_equal(vc_table_row_line(t, 99999), 100001);
  vc_table_free(t);
  vc_diag_free(d);
  free(buf);
}

static void test_table_api(void **st) {
  vc_table_t *t = vc_table_create("x.csv");
  assert_non_null(t);
  assert_int_equal(vc_table_add_column(t, "Mã SV"), 0);
  assert_int_equal(vc_table_add_column(t, ""), 1);
  assert_string_equal(vc_table_col_key(t, 0), "ma_sv");
  long r = vc_table_add_row(t, 9);
  assert_int_equal(r, 0);
  assert_int_equal(vc_table_add_column(t, "late"), -1); /* columns come first */
  assert_true(vc_table_set_cell(t, r, 0, "abcdef", 3));
  assert_false(vc_table_set_cell(t, r, 2, "x", 1));
  assert_false(vc_table_set_cell(t, 1, 0, "x", 1));
  assert_string_equal(vc_table_get(t, 0, 0), "abc");
  assert_string_equal(vc_table_get(t, 0, 1), "");
  /* a value bigger than a quarter arena block gets its own */
  size_t big = 300u << 10;
  char *v = malloc(big);
  assert_non_null(v);
  memset(v, 'q', big);
  assert_true(vc_table_set_cell(t, r, 1, v, big));
  free(v);
  assert_int_equal(strlen(vc_table_get(t, 0, 1)), big);
  assert_true(vc_table_set_cell(t, r, 0, "after", 5));
  assert_string_equal(vc_table_get(t, 0, 0), "after");
  assert_true(vc_table_row_ok(t, 0));
  vc_table_mark_bad(t, 0);
  assert_false(vc_table_row_ok(t, 0));
  assert_int_equal(vc_table_row_line(t, 0), 9);
  assert_false(vc_table_row_ok(t, 5));
  vc_table_free(t);
  vc_table_free(NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_basic),
      cmocka_unit_test(test_no_final_newline),
      cmocka_unit_test(test_quoted_delimiters_and_quotes),
      cmocka_unit_test(test_multiline_field_lines),
      cmocka_unit_test(test_bom),
      cmocka_unit_test(test_utf16_refused),
      cmocka_unit_test(test_crlf_and_mixed),
      cmocka_unit_test(test_quote_then_line_end),
      cmocka_unit_test(test_cr_only_file),
      cmocka_unit_test(test_delimiter_detection),
      cmocka_unit_test(test_invalid_utf8),
      cmocka_unit_test(test_many_encoding_errors_summarised),
      cmocka_unit_test(test_cleaning),
      cmocka_unit_test(test_blank_lines),
      cmocka_unit_test(test_field_count),
      cmocka_unit_test(test_headers),
      cmocka_unit_test(test_stray_quote),
      cmocka_unit_test(test_unterminated_quote),
      cmocka_unit_test(test_empty_files),
      cmocka_unit_test(test_caps),
      cmocka_unit_test(test_read_file),
      cmocka_unit_test(test_large),
      cmocka_unit_test(test_table_api),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
