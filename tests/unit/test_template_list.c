/* test_template_list.c - a template's list: section (issue 13): its tree
 * with the defaults and the given values, its special placeholders, and
 * each class of problem at its line:col with its message. */
#include "testutil.h"

#include "template/template-list.h"

#define PATH "/tmp/list.yaml"

#define HEAD                                                                   \
  "fonts:\n  serif: {family: Noto Serif}\n  bold: {family: Noto Serif, style: Bold}\n" \
  "fields:\n  ho_ten: {required: true}\n  so_tien: {type: amount}\n"         \
  "elements:\n  - text: DANH SÁCH\n    box: [10, 10, 100, 10]\n"

static vc_template_t *load(const char *yaml, vc_diag_t *d) {
  return vc_template_load_mem(yaml, strlen(yaml), PATH, d);
}

/* Loads yaml expecting a problem at line:col whose message has want. */
static void expect(const char *yaml, int line, int col, const char *want) {
  vc_diag_t *d = vc_diag_create();
  assert_null(load(yaml, d));
  bool found = false;
  for (size_t i = 0; i < vc_diag_kept(d); i++) {
    const vc_diag_item_t *it = vc_diag_get(d, i);
    if (it->line == line && it->col == col && strstr(it->msg, want)) found = true;
  }
  if (!found) {
    fprintf(stderr, "wanted %d:%d: %s\n", line, col, want);
    vc_diag_print(d, stderr);
  }
  assert_true(found);
  vc_diag_free(d);
}

static void test_full(void **st) {
  (void)st;
  static const char y[] = HEAD
      "list:\n"                                                    /* 10 */
      "  x: 12\n  top: 50\n  top_next: 14\n  bottom: 270\n"
      "  font: serif\n  header_font: bold\n  size: 10\n  header_size: 10.5\n"
      "  header_fill: \"#eeeeee\"\n  padding: 1\n  row_height: 9\n  rule: 0.3\n"
      "  columns:\n"
      "    - {title: STT, width: 10, align: center, value: \"{stt}\"}\n"
      "    - {title: Họ và tên, width: 60, value: \"{ho_ten|upper}\"}\n"
      "    - {title: Số tiền, width: 30, align: right, value: \"{so_tien|number}\"}\n"
      "    - {title: Ký nhận, width: 50}\n"
      "  total: {field: so_tien}\n"
      "  every_page:\n    - text: \"Trang {trang}/{so_trang}\"\n      box: [10, 280, 190, 5]\n"
      "  end:\n    height: 40\n    elements:\n"
      "      - text: \"{tong|words_dong}\"\n        box: [10, 2, 190, 6]\n"
      "      - line: [10, 9, 200, 9]\n";
  vc_diag_t *d = vc_diag_create();
  vc_template_t *t = load(y, d);
  vc_diag_print(d, stderr);
  assert_non_null(t);
  const vc_list_t *l = t->list;
  assert_non_null(l);
  assert_int_equal(l->line, 11); /* the mapping starts at its first key */
  assert_true(l->x == 12 && l->top == 50 && l->top_next == 14 && l->bottom == 270);
  assert_int_equal(l->font, 0);
  assert_int_equal(l->header_font, 1);
  assert_true(l->size == 10 && l->header_size == 10.5 && l->padding == 1);
  assert_true(l->row_height == 9 && l->rule == 0.3 && l->has_header_fill);
  assert_int_equal(l->ncols, 4);
  assert_string_equal(l->cols[1].title, "Họ và tên");
  assert_int_equal(l->cols[2].align, VC_ALIGN_RIGHT);
  assert_true(l->cols[3].w == 50);
  assert_int_equal(l->cols[3].value->nsegs, 0); /* no value: an empty cell */
  assert_string_equal(l->total_field, "so_tien");
  assert_string_equal(l->total_label, "Tổng cộng");
  assert_int_equal(l->total_col, 2); /* the column showing {so_tien} */
  assert_int_equal(l->nevery, 1);
  assert_int_equal(l->nend, 2);
  assert_true(l->end_h == 40);
  /* the template's own elements stay its own */
  assert_int_equal(t->nels, 1);
  vc_template_free(t);
  vc_diag_free(d);
}

static void test_defaults(void **st) {
  (void)st;
  static const char y[] = HEAD "list:\n  columns:\n    - {title: Tên, width: 50, value: \"{ho_ten}\"}\n";
  vc_diag_t *d = vc_diag_create();
  vc_template_t *t = load(y, d);
  assert_non_null(t);
  const vc_list_t *l = t->list;
  assert_true(l->x == 15 && l->top == 20 && l->top_next == 15 && l->bottom == 297 - 15);
  assert_true(l->size == 11 && l->header_size == 11 && l->line_spacing == 1.2);
  assert_false(l->has_header_fill);
  assert_null(l->total_field);
  assert_int_equal(l->nevery + l->nend, 0);
  vc_template_free(t);
  /* without list: none */
  t = load(HEAD, d);
  assert_non_null(t);
  assert_null(t->list);
  vc_template_free(t);
  vc_diag_free(d);
}

static void test_specials(void **st) {
  (void)st;
  assert_int_equal(vc_list_special("stt"), VC_LIST_STT);
  assert_int_equal(vc_list_special("tong"), VC_LIST_TONG);
  assert_int_equal(vc_list_special("so_dong"), VC_LIST_SO_DONG);
  assert_int_equal(vc_list_special("trang"), VC_LIST_TRANG);
  assert_int_equal(vc_list_special("so_trang"), VC_LIST_SO_TRANG);
  assert_int_equal(vc_list_special("ho_ten"), -1);
  assert_int_equal(vc_list_special("STT"), -1);
}

static void test_problems(void **st) {
  (void)st;
  /* HEAD is 9 lines: list: is line 10 */
  expect(HEAD "list:\n  top: 5\n", 11, 3, "needs columns:");
  expect(HEAD "list:\n  colums: []\n  columns:\n    - {title: A, width: 10}\n", 11, 3,
         "unknown key 'colums' in the list section; did you mean 'columns'?");
  expect(HEAD "list:\n  columns:\n    - {title: A}\n", 12, 7, "needs width: (mm)");
  expect(HEAD "list:\n  columns:\n    - {title: A, width: 1}\n", 12, 25, "width: must be from 2 to 1000");
  expect(HEAD "list:\n  columns:\n    - {title: A, width: 100, value: \"{x|nope}\"}\n", 12, 41,
         "unknown filter 'nope'");
  expect(HEAD "list:\n  columns:\n    - {title: A, width: 100}\n    - {title: B, width: 100}\n",
         12, 5, "the columns reach 215 mm from the left, past the page's width (210 mm)");
  expect(HEAD "list:\n  font: sans\n  columns:\n    - {title: A, width: 10}\n", 11, 9,
         "font: 'sans' is not declared");
  expect(HEAD "list:\n  columns:\n    - {title: A, width: 10, value: \"{ho_ten}\"}\n"
              "  total: {field: ho_ten}\n", 13, 18,
         "total: field 'ho_ten' must be declared in the fields section with type: amount");
  expect(HEAD "list:\n  columns:\n    - {title: A, width: 10, value: \"{ho_ten}\"}\n"
              "  total: {field: so_tien}\n", 13, 18, "total: no column shows {so_tien}");
  expect(HEAD "list:\n  top: 100\n  bottom: 110\n  columns:\n    - {title: A, width: 10}\n", 11, 3,
         "bottom must be at least 20 mm below top");
  expect(HEAD "list:\n  columns:\n    - {title: A, width: 10}\n  end:\n    elements:\n"
              "      - text: x\n        box: [1, 1, 10, 5]\n", 14, 5, "end: needs height:");
  expect(HEAD "list:\n  columns:\n    - {title: A, width: 10}\n  end:\n    height: 30\n"
              "    elements:\n      - qr: {}\n        url: https://x.vn/v\n", 16, 1,
         "not a qr: or a per-record image");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_full),
      cmocka_unit_test(test_defaults),
      cmocka_unit_test(test_specials),
      cmocka_unit_test(test_problems),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
