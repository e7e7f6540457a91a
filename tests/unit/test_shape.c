/* test_shape.c - where the table is (src/input/shape.c), through the CSV
 * reader and directly through a workbook sink (hidden rows). */
#include "testutil.h"

#include <string.h>

#include "core/diag.h"
#include "input/csv.h"
#include "input/shape.h"
#include "input/workbook-private.h"
#include "records/table.h"

/* A school's list as CSV: two title rows (fewer fields), a blank line, the
 * header on line 4, three records, a total, place and date, signer. */
static const char SCHOOL[] =
    "TRƯỜNG CAO ĐẲNG SƯ PHẠM LẠNG SƠN,,,,CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
    "DANH SÁCH SINH VIÊN ĐƯỢC KHEN THƯỞNG\n"
    "\n"
    "STT,Mã SV,Họ và tên,Lớp,Số tiền\n"
    "1,0210456,Nguyễn Thị Thu Thảo,K19MN,5.000.000\n"
    "2,0210457,Trần Văn Bình,K19MN,3.000.000\n"
    "3,0210458,Lê Hoàng Nam,K19TH,5.000.000\n"
    "Tổng cộng,,,,13.000.000\n"
    ",,,\"Lạng Sơn, ngày 20 tháng 12 năm 2024\"\n"
    ",,,Người lập biểu\n"
    ",,,Nguyễn Văn Lập\n";

/* Reads s as "t.csv" with shape options o (may be NULL). */
static vc_table_t *rd(const char *s, const vc_shape_opts_t *o, vc_diag_t **dp,
                      vc_csv_info_t *info) {
  *dp = vc_diag_create();
  assert_non_null(*dp);
  vc_csv_stream_t *r = vc_csv_stream_open("t.csv", *dp, vc_table_add_record, NULL);
  assert_non_null(r);
  vc_csv_stream_set_shape(r, o);
  vc_csv_stream_feed(r, s, strlen(s));
  vc_table_t *t = vc_csv_stream_finish(r, info) ? vc_csv_stream_take_table(r) : NULL;
  vc_csv_stream_free(r);
  return t;
}

static void header_by_look(void **st) {
  vc_diag_t *d;
  vc_csv_info_t info;
  vc_table_t *t = rd(SCHOOL, NULL, &d, &info);
  assert_non_null(t);
  assert_int_equal(vc_diag_count(d), 0);
  assert_int_equal(vc_table_ncols(t), 5);
  assert_string_equal(vc_table_col_header(t, 2), "Họ và tên");
  assert_int_equal(vc_table_nrows(t), 3);
  assert_int_equal(vc_table_row_line(t, 0), 5);
  assert_int_equal(vc_table_row_line(t, 2), 7);
  assert_int_equal(info.shape.header_line, 4);
  assert_int_equal(info.shape.above_first, 1);
  assert_int_equal(info.shape.above_last, 2);
  assert_int_equal(info.shape.above_rows, 2);
  assert_int_equal(info.shape.below_first, 8);
  assert_int_equal(info.shape.below_last, 11);
  assert_int_equal(info.shape.below_rows, 4);
  /* the footer is never silent: one warning naming its lines */
  assert_int_equal(vc_diag_warnings(d), 1);
  expect_diag_at(d, "lines 8-11, after the table, are not records (a total", "t.csv", 8, 0,
                 VC_WARN);
  vc_table_free(t);
  vc_diag_free(d);
}

static void header_by_fields(void **st) {
  /* a row of three texts above the header would pass for one by its look;
   * the template's fields say which row it is */
  const char *s = "Khoa,Giáo dục,Tiểu học\nMã SV,Họ tên,Lớp\n0210456,An,K19\n";
  const char *ho_ten[] = {"ho_ten", "Họ và tên", "Họ tên"};
  const char *ma_sv[] = {"ma_sv", "Mã SV"};
  vc_shape_field_t f[] = {{ho_ten, 3}, {ma_sv, 2}};
  vc_shape_opts_t o = {.fields = f, .nfields = 2};
  vc_diag_t *d;
  vc_csv_info_t info;
  vc_table_t *t = rd(s, &o, &d, &info);
  assert_non_null(t);
  assert_int_equal(vc_diag_count(d), 0);
  assert_int_equal(info.shape.header_line, 2);
  assert_string_equal(vc_table_col_header(t, 1), "Họ tên");
  assert_int_equal(vc_table_nrows(t), 1);
  vc_table_free(t);
  vc_diag_free(d);
  /* by its look alone, the first row is taken */
  t = rd(s, NULL, &d, &info);
  assert_non_null(t);
  assert_int_equal(info.shape.header_line, 1);
  vc_table_free(t);
  vc_diag_free(d);
}

static void plain_table_unchanged(void **st) {
  vc_diag_t *d;
  vc_csv_info_t info;
  vc_table_t *t = rd("a,b\n1,2\n3,4\n", NULL, &d, &info);
  assert_non_null(t);
  assert_int_equal(vc_diag_count(d) + vc_diag_warnings(d), 0);
  assert_int_equal(vc_table_nrows(t), 2);
  assert_int_equal(info.shape.header_line, 1);
  assert_int_equal(info.shape.above_rows + info.shape.below_rows, 0);
  vc_table_free(t);
  vc_diag_free(d);
}

static void record_after_footer_is_an_error(void **st) {
  char s[2048];
  snprintf(s, sizeof s, "%s4,0210459,Phạm Văn Tư,K19TH,3.000.000\n", SCHOOL);
  vc_diag_t *d;
  vc_csv_info_t info;
  vc_table_t *t = rd(s, NULL, &d, &info);
  assert_non_null(t);
  /* every footer row is an error at its line, delivered marked bad */
  expect_diag_at(d, "not a record (a total), but records follow it (line 12)", "t.csv", 8, 0,
                 VC_E_INPUT);
  expect_diag_at(d, "not a record (a signature)", "t.csv", 10, 0, VC_E_INPUT);
  assert_int_equal(vc_table_nrows(t), 8);
  assert_false(vc_table_row_ok(t, 3));
  assert_true(vc_table_row_ok(t, 7));
  assert_int_equal(vc_table_row_line(t, 7), 12);
  vc_table_free(t);
  vc_diag_free(d);
}

static void header_and_last_row_options(void **st) {
  vc_shape_opts_t o = {.header_row = 4, .last_row = 6};
  vc_diag_t *d;
  vc_csv_info_t info;
  vc_table_t *t = rd(SCHOOL, &o, &d, &info);
  assert_non_null(t);
  assert_int_equal(vc_diag_count(d) + vc_diag_warnings(d), 0);
  assert_int_equal(vc_table_nrows(t), 2);
  assert_int_equal(info.shape.below_first, 7);
  assert_int_equal(info.shape.below_last, 11);
  vc_table_free(t);
  vc_diag_free(d);
  o = (vc_shape_opts_t){.header_row = 3}; /* a blank line */
  t = rd(SCHOOL, &o, &d, &info);
  assert_null(t);
  expect_diag_st(d, VC_E_USAGE, "--header-row 3: that row is empty");
  vc_diag_free(d);
}

static void separator_under_a_title(void **st) {
  /* a title line with no separator above a ';' table (Excel on a
   * Vietnamese Windows saves ';'): the table's line decides */
  const char *s = "DANH SÁCH KHEN THƯỞNG\n\nMã SV;Họ và tên;Lớp\n01;Nguyễn An;K19\n";
  vc_diag_t *d;
  vc_csv_info_t info;
  vc_table_t *t = rd(s, NULL, &d, &info);
  assert_non_null(t);
  assert_int_equal(info.delimiter, ';');
  assert_int_equal(info.shape.header_line, 3);
  assert_int_equal(vc_table_ncols(t), 3);
  assert_string_equal(vc_table_get(t, 0, 1), "Nguyễn An");
  vc_table_free(t);
  vc_diag_free(d);
}

static void not_records_need_care(void **st) {
  /* "Kế toán" is a class on a full row, "Tống" a family name, a lone "KT"
   * a value: all records */
  const char *s = "Mã SV,Họ tên,Ngành\n01,Tống Văn An,Kế toán\n02,Lê Bình,KT\n";
  vc_diag_t *d;
  vc_csv_info_t info;
  vc_table_t *t = rd(s, NULL, &d, &info);
  assert_non_null(t);
  assert_int_equal(vc_table_nrows(t), 2);
  assert_int_equal(vc_diag_count(d) + vc_diag_warnings(d), 0);
  vc_table_free(t);
  vc_diag_free(d);
}

/* Hidden rows through a workbook sink, as the .xlsx/.ods parsers report
 * them (vc__wb_sink_hidden after vc__wb_sink_row). */
static vc_table_t *sink_read(const vc_shape_opts_t *o, vc_shape_info_t *info, vc_diag_t *d) {
  vc_wb_t w = {.name = "t.xlsx", .d = d, .row = vc_table_add_record, .shape = o,
               .shape_info = info};
  if (info) memset(info, 0, sizeof *info);
  vc_wb_sink_t *s = vc__wb_sink_create(&w, "Sheet1");
  assert_non_null(s);
  static const char *const rows[][2] = {
      {"DANH SÁCH KHEN THƯỞNG", NULL}, {"Mã SV", "Họ tên"}, {"01", "An"}, {"02", "Bình"},
      {"03", "Cúc"}};
  for (long r = 0; r < 5; r++) {
    assert_true(vc__wb_sink_row(s, r + 1));
    if (r == 3) vc__wb_sink_hidden(s, true);
    for (int c = 0; c < 2; c++)
      if (rows[r][c]) vc__wb_sink_value(s, c, rows[r][c], strlen(rows[r][c]), true);
    vc__wb_sink_end_row(s, 1);
  }
  return vc__wb_sink_finish(s);
}

static void hidden_rows(void **st) {
  vc_diag_t *d = vc_diag_create();
  vc_shape_info_t info;
  vc_table_t *t = sink_read(NULL, &info, d);
  assert_non_null(t);
  assert_int_equal(vc_diag_count(d), 0);
  assert_int_equal(vc_table_nrows(t), 3);
  assert_false(vc_table_row_hidden(t, 0));
  assert_true(vc_table_row_hidden(t, 1));
  assert_true(vc_table_row_ok(t, 1));
  assert_int_equal(info.hidden_included, 1);
  assert_int_equal(info.header_line, 2);
  assert_int_equal(info.above_rows, 1);
  vc_table_free(t);
  vc_shape_opts_t o = {.visible_only = true};
  t = sink_read(&o, &info, d);
  assert_non_null(t);
  assert_int_equal(vc_table_nrows(t), 2);
  assert_int_equal(vc_table_row_line(t, 1), 5);
  assert_int_equal(info.hidden_left_out, 1);
  assert_int_equal(info.hidden_included, 0);
  vc_table_free(t);
  vc_diag_free(d);
}

static void no_header_in_the_cap(void **st) {
  /* one-value rows only: the first is taken once the cap is reached, as
   * before (a one-column list) */
  char *s = malloc(VC_SHAPE_MAX_HEAD_ROWS * 8 + 16);
  assert_non_null(s);
  strcpy(s, "ho_ten\n");
  for (int i = 0; i < VC_SHAPE_MAX_HEAD_ROWS + 5; i++) strcat(s, "An\n");
  vc_diag_t *d;
  vc_csv_info_t info;
  vc_table_t *t = rd(s, NULL, &d, &info);
  assert_non_null(t);
  assert_int_equal(info.shape.header_line, 1);
  assert_int_equal(vc_table_nrows(t), VC_SHAPE_MAX_HEAD_ROWS + 5);
  vc_table_free(t);
  vc_diag_free(d);
  free(s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(header_by_look),
      cmocka_unit_test(header_by_fields),
      cmocka_unit_test(plain_table_unchanged),
      cmocka_unit_test(record_after_footer_is_an_error),
      cmocka_unit_test(header_and_last_row_options),
      cmocka_unit_test(separator_under_a_title),
      cmocka_unit_test(not_records_need_care),
      cmocka_unit_test(hidden_rows),
      cmocka_unit_test(no_header_in_the_cap),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
