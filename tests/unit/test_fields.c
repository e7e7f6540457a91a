/* test_fields.c - binding template fields to columns and the row checks
 * (src/records/fields.c), over tables read by the CSV reader. */
#include "testutil.h"

#include <stdbool.h>

#include "core/diag.h"
#include "input/csv.h"
#include "records/fields.h"
#include "records/table.h"

static char *ho_ten_aliases[] = {"Họ và tên", "Họ tên"};
static char *tien_aliases[] = {"Số tiền", "Tiền thưởng"};

/* The fields of a typical award template (lines as in a YAML file). */
static const vc_field_spec_t specs[] = {
    {.key = "ho_ten", .aliases = ho_ten_aliases, .naliases = 2, .required = true,
     .type = VC_FIELD_TEXT, .line = 4},
    {.key = "lop", .required = false, .type = VC_FIELD_TEXT, .line = 5},
    {.key = "so_tien", .aliases = tien_aliases, .naliases = 2, .required = true,
     .type = VC_FIELD_AMOUNT, .line = 6},
    {.key = "ngay", .required = false, .type = VC_FIELD_DATE, .line = 7},
    {.key = "danh_hieu", .required = true, .type = VC_FIELD_TEXT, .dflt = "Học sinh giỏi",
     .line = 8},
};
#define NSPECS (sizeof specs / sizeof *specs)

static vc_table_t *rd(const char *s, vc_diag_t *d) {
  vc_table_t *t = vc_csv_read_mem(s, strlen(s), "t.csv", d);
  assert_non_null(t);
  return t;
}

#define expect_diag(d, sub, file, line, col) expect_diag_at(d, sub, file, line, col, VC_E_INPUT)

/* "Họ và tên", "HỌ VÀ TÊN" and "ho ten" all reach ho_ten, wherever it stands. */
static void test_aliases_and_order(void **st) {
  static const char *files[] = {
      "Họ và tên,Lớp,Số tiền\nAn,5A,5.000.000\n",
      "Số tiền;HỌ VÀ TÊN;lop\n5.000.000;An;5A\n",
      "LỚP\tSO TIEN\tho ten\n5A\t5.000.000\tAn\n",
      "STT,tiền thưởng,Họ Tên,Lớp\n1,5.000.000,An,5A\n",
  };
  static const int want_col[][3] = {{0, 1, 2}, {1, 2, 0}, {2, 0, 1}, {2, 3, 1}};
  for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
    vc_diag_t *d = vc_diag_create();
    vc_table_t *t = rd(files[i], d);
    vc_binding_t *b = vc_binding_create(specs, NSPECS, t, "mau.yaml", d);
    assert_non_null(b);
    assert_int_equal(vc_binding_col(b, "ho_ten"), want_col[i][0]);
    assert_int_equal(vc_binding_col(b, "lop"), want_col[i][1]);
    assert_int_equal(vc_binding_col(b, "so_tien"), want_col[i][2]);
    assert_int_equal(vc_binding_col(b, "ngay"), -1);      /* optional, absent */
    assert_int_equal(vc_binding_col(b, "danh_hieu"), -1); /* default, absent */
    bool bad[1] = {true};
    assert_int_equal(vc_binding_check_rows(b, t, bad, d), 0);
    assert_false(bad[0]);
    if (vc_diag_count(d)) vc_diag_print(d, stderr);
    assert_int_equal(vc_diag_count(d), 0);
    vc_binding_free(b);
    vc_table_free(t);
    vc_diag_free(d);
  }
}

static void test_undeclared_key_fallback(void **st) {
  vc_diag_t *d = vc_diag_create();
  vc_table_t *t = rd("Họ tên,Số tiền,Ghi chú,Mã SV\nAn,5000000,x,SV01\n", d);
  vc_binding_t *b = vc_binding_create(specs, NSPECS, t, "mau.yaml", d);
  assert_int_equal(vc_binding_col(b, "ghi_chu"), 2);
  assert_int_equal(vc_binding_col(b, "Ghi chú"), 2);
  assert_int_equal(vc_binding_col(b, "ma_sv"), 3);
  assert_int_equal(vc_binding_col(b, "khong_co"), -1);
  assert_int_equal(vc_binding_col(b, "HO_TEN"), 0); /* declared key, other case */
  assert_int_equal(vc_diag_count(d), 0);
  vc_binding_free(b);
  vc_table_free(t);
  vc_diag_free(d);
}

static void test_invalid_values(void **st) {
  vc_diag_t *d = vc_diag_create();
  vc_table_t *t = rd("Họ và tên,Lớp,Số tiền,Ngày,Danh hiệu\n" /* 1 */
                     "An,5A,5.000.000 đ,05/01/2025,\n"        /* 2 ok */
                     "Bình,5A,năm triệu,,\n"                  /* 3 */
                     "\n"
                     "Chi,5B,5.000.00,,\n"                    /* 5 */
                     "Dũng,5B,-5000,,\n"                      /* 6 */
                     ",5C,,31/02/2024,\n"                     /* 7: 3 problems */
                     "Em,5C,\"5,000,000\",2025-01-05,Xuất sắc\n" /* 8 ok */
                     "Giang,5C,5.000.000 VNĐ,,\n",             /* 9 ok */
                     d);
  assert_int_equal(vc_diag_count(d), 0);
  vc_binding_t *b = vc_binding_create(specs, NSPECS, t, "mau.yaml", d);
  assert_int_equal(vc_diag_count(d), 0);
  bool bad[8];
  memset(bad, 0, sizeof bad);
  long nbad = vc_binding_check_rows(b, t, bad, d);
  if (nbad != 4) vc_diag_print(d, stderr);
  assert_int_equal(nbad, 4);
  bool want[8] = {false, true, true, true, true, false, false};
  for (int i = 0; i < 7; i++) assert_int_equal(bad[i], want[i]);
  expect_diag(d, "\"năm triệu\" in column \"Số tiền\" is not an amount", "t.csv", 3, 3);
  expect_diag(d, "\"5.000.00\" in column \"Số tiền\" is not an amount", "t.csv", 5, 3);
  expect_diag(d, "\"-5000\" in column \"Số tiền\" is not an amount", "t.csv", 6, 3);
  expect_diag(d, "column \"Họ và tên\" is empty", "t.csv", 7, 1);
  expect_diag(d, "column \"Số tiền\" is empty", "t.csv", 7, 3);
  expect_diag(d, "\"31/02/2024\" in column \"Ngày\" is not a date", "t.csv", 7, 4);
  assert_int_equal(vc_diag_count(d), 6);
  /* the default of danh_hieu covers its empty cells: no message for them */
  assert_null(find_diag(d, "Danh hiệu"));
  vc_binding_free(b);
  vc_table_free(t);
  vc_diag_free(d);
}

static void test_missing_required_column(void **st) {
  vc_diag_t *d = vc_diag_create();
  vc_table_t *t = rd("STT,Tên,Lớp\n1,An,5A\n2,Bình,5B\n", d);
  vc_binding_t *b = vc_binding_create(specs, NSPECS, t, "mau.yaml", d);
  assert_non_null(b);
  /* ho_ten and so_tien are missing: one message each, at the template */
  assert_int_equal(vc_diag_count(d), 2);
  expect_diag(d, "the required field \"ho_ten\" has no column in t.csv", "mau.yaml", 4, 0);
  expect_diag(d, "the required field \"so_tien\" has no column", "mau.yaml", 6, 0);
  const vc_diag_item_t *it = find_diag(d, "\"ho_ten\"");
  assert_non_null(strstr(it->msg, "(looked for \"ho_ten\", \"Họ và tên\", \"Họ tên\")"));
  assert_non_null(strstr(it->msg, "the columns there are: \"STT\", \"Tên\", \"Lớp\""));
  /* every row is unprintable, without a message per row */
  bool bad[2] = {false, false};
  assert_int_equal(vc_binding_check_rows(b, t, bad, d), 2);
  assert_true(bad[0] && bad[1]);
  assert_int_equal(vc_diag_count(d), 2);
  vc_binding_free(b);
  vc_table_free(t);
  vc_diag_free(d);
}

static void test_two_columns_one_field(void **st) {
  vc_diag_t *d = vc_diag_create();
  vc_table_t *t = rd("Họ và tên,Số tiền,Họ tên\nAn,5000,An\n", d);
  vc_binding_t *b = vc_binding_create(specs, NSPECS, t, "mau.yaml", d);
  expect_diag(d, "columns 1 \"Họ và tên\" and 3 \"Họ tên\" are both the field \"ho_ten\"",
              "t.csv", 1, 3);
  assert_int_equal(vc_binding_col(b, "ho_ten"), 0);
  vc_binding_free(b);
  vc_table_free(t);
  vc_diag_free(d);
}

static void test_reader_bad_rows_counted(void **st) {
  vc_diag_t *d = vc_diag_create();
  vc_table_t *t = rd("Họ tên,Số tiền\nAn,5000\nBình\nChi,x\n", d);
  assert_int_equal(vc_diag_count(d), 1); /* the short row */
  vc_binding_t *b = vc_binding_create(specs, NSPECS, t, "mau.yaml", d);
  bool bad[3];
  assert_int_equal(vc_binding_check_rows(b, t, bad, d), 2);
  assert_false(bad[0]);
  assert_true(bad[1]); /* reported by the reader only: no "empty" noise */
  assert_true(bad[2]);
  assert_int_equal(vc_diag_count(d), 2);
  assert_int_equal(vc_binding_check_rows(b, t, NULL, d), 2); /* bad may be NULL */
  vc_binding_free(b);
  vc_table_free(t);
  vc_diag_free(d);
}

static void test_defaults_checked(void **st) {
  vc_field_spec_t s[] = {
      {.key = "tien", .type = VC_FIELD_AMOUNT, .dflt = "năm trăm", .line = 12},
      {.key = "ngay", .type = VC_FIELD_DATE, .dflt = "05/01/2025", .line = 13},
      {.key = "ma", .required = true, .dflt = "", .line = 14},
  };
  vc_diag_t *d = vc_diag_create();
  vc_table_t *t = rd("Tiền,Ngày,Mã\n,,\n1000,,x\n", d);
  vc_binding_t *b = vc_binding_create(s, 3, t, "mau.yaml", d);
  assert_int_equal(vc_diag_count(d), 1);
  expect_diag(d, "the default \"năm trăm\" of field \"tien\" is not an amount", "mau.yaml", 12,
              0);
  /* a row with every value empty is skipped by the reader; the other is fine */
  assert_int_equal(vc_table_nrows(t), 1);
  assert_int_equal(vc_binding_check_rows(b, t, NULL, d), 0);
  vc_binding_free(b);
  vc_table_free(t);
  vc_diag_free(d);
}

static void test_no_specs(void **st) {
  vc_diag_t *d = vc_diag_create();
  vc_table_t *t = rd("Họ tên\nAn\n", d);
  vc_binding_t *b = vc_binding_create(NULL, 0, t, "mau.yaml", d);
  assert_non_null(b);
  assert_int_equal(vc_binding_col(b, "ho_ten"), 0);
  assert_int_equal(vc_binding_check_rows(b, t, NULL, d), 0);
  assert_int_equal(vc_diag_count(d), 0);
  vc_binding_free(b);
  vc_binding_free(NULL);
  vc_table_free(t);
  vc_diag_free(d);
}

/* A printed value holding an invisible character gets a warning naming the
 * place and the code point; the row stays good (issue 6, point 9). */
static void test_invisible_warned(void **st) {
  (void)st;
  vc_diag_t *d = vc_diag_create();
  vc_table_t *t = rd("Họ và tên,Lớp,Số tiền,ghi_chu\n"
                     "Hoàng \xE2\x80\x8BThị Ánh,5A,5.000.000,x\xE2\x80\x8By\n"
                     "An,5\xE2\x80\xAE" "A,500.000,\n"
                     "Bình,5A,500.000,\n", d);
  vc_binding_t *b = vc_binding_create(specs, NSPECS, t, "tpl.yaml", d);
  bool bad[3];
  assert_int_equal(vc_binding_check_rows(b, t, bad, d), 0);
  assert_int_equal(vc_diag_count(d), 0);
  assert_int_equal(vc_diag_warnings(d), 2);
  assert_int_equal(vc_diag_status(d), VC_OK);
  const vc_diag_item_t *it = vc_diag_get(d, 0);
  assert_int_equal(it->status, VC_WARN);
  assert_int_equal(it->line, 2);
  assert_int_equal(it->col, 1);
  assert_non_null(strstr(it->msg, "U+200B (zero-width space), at character 7"));
  assert_non_null(strstr(it->msg, "\"Hoàng \\u{200B}Thị Ánh\""));
  it = vc_diag_get(d, 1);
  assert_int_equal(it->line, 3);
  assert_int_equal(it->col, 2);
  assert_non_null(strstr(it->msg, "U+202E (a text-direction control)"));
  assert_non_null(strstr(it->msg, "reordered"));
  vc_binding_free(b);
  vc_table_free(t);
  vc_diag_free(d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_aliases_and_order),
      cmocka_unit_test(test_invisible_warned),
      cmocka_unit_test(test_undeclared_key_fallback),
      cmocka_unit_test(test_invalid_values),
      cmocka_unit_test(test_missing_required_column),
      cmocka_unit_test(test_two_columns_one_field),
      cmocka_unit_test(test_reader_bad_rows_counted),
      cmocka_unit_test(test_defaults_checked),
      cmocka_unit_test(test_no_specs),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
