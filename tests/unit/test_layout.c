/* test_layout.c - line breaking and shrink-to-fit, with a real font. */
#include "testutil.h"

#include <locale.h>
#include <math.h>

#include "core/text.h"
#include "font/fontset.h"
#include "layout/layout.h"

static vc_fontset_t *fs;
static vc_font_t *serif;

static int setup(void **state) {
  (void)state;
  if (!test_fonts_configured()) return -1;
  fs = vc_fontset_create("fonts", NULL);
  if (!fs) return -1;
  serif = vc_fontset_find(fs, "Noto Serif", NULL, NULL, "test", 0, NULL);
  return serif ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  vc_fontset_free(fs);
  return 0;
}

static vc_el_t box(double w_mm, double h_mm, double size, double min_size, int lines) {
  vc_el_t el;
  memset(&el, 0, sizeof el);
  el.kind = VC_EL_TEXT;
  el.x = 10, el.y = 20, el.w = w_mm, el.h = h_mm;
  el.size = size, el.min_size = min_size, el.max_lines = lines;
  el.line_spacing = 1.2;
  el.align = VC_ALIGN_CENTER;
  return el;
}

/* Text that fits keeps its size and is centred inside the box. */
static void test_fits_at_full_size(void **state) {
  (void)state;
  vc_el_t el = box(200, 20, 20, 10, 1);
  vc_textlayout_t tl;
  vc_textlayout_init(&tl);
  const char *s = "Nguyễn Thị Thu Thảo";
  assert_true(vc_layout_text(&tl, &el, serif, NULL, s, strlen(s)));
  assert_true(tl.fits);
  assert_int_equal(tl.nlines, 1);
  assert_true(tl.size == 20.0);
  double w = vc_font_text_width(serif, s, strlen(s), 20);
  assert_true(tl.lines[0].w > w - 0.01 && tl.lines[0].w < w + 0.01);
  double mid = (tl.box_x0 + tl.box_x1) / 2;
  assert_true(tl.lines[0].x + tl.lines[0].w / 2 > mid - 0.01);
  assert_true(tl.lines[0].x + tl.lines[0].w / 2 < mid + 0.01);
  assert_true(tl.ink_y0 >= tl.box_y0 - 1e-6 && tl.ink_y1 <= tl.box_y1 + 1e-6);
  vc_textlayout_free(&tl);
}

/* A long name shrinks in half-point steps until it fits one line. */
static void test_shrinks_to_fit(void **state) {
  (void)state;
  vc_el_t el = box(60, 20, 28, 10, 1);
  vc_textlayout_t tl;
  vc_textlayout_init(&tl);
  const char *s = "NGUYỄN THỊ THU THẢO";
  assert_true(vc_layout_text(&tl, &el, serif, NULL, s, strlen(s)));
  assert_true(tl.fits);
  assert_true(tl.size < 28.0 && tl.size >= 10.0);
  assert_true(tl.size * 2 == (double)(long)(tl.size * 2)); /* half-point steps */
  assert_true(tl.lines[0].w <= tl.box_x1 - tl.box_x0 + 1e-6);
  /* half a point larger would not fit */
  assert_true(vc_font_text_width(serif, s, strlen(s), tl.size + 0.5) > 60 * VC_MM_TO_PT);
  vc_textlayout_free(&tl);
}

/* Too long even at the minimum size: reported, never drawn outside. */
static void test_does_not_fit(void **state) {
  (void)state;
  vc_el_t el = box(30, 10, 20, 16, 1);
  vc_textlayout_t tl;
  vc_textlayout_init(&tl);
  const char *s = "Đã có thành tích xuất sắc trong phong trào hiến máu tình nguyện";
  assert_true(vc_layout_text(&tl, &el, serif, NULL, s, strlen(s)));
  assert_false(tl.fits);
  assert_true(tl.size == 16.0);
  vc_textlayout_free(&tl);
}

/* Breaking happens at spaces, words stay whole, and never inside a
 * multi-byte character. */
static void test_break_at_spaces(void **state) {
  (void)state;
  const char *s = "Đã có thành tích xuất sắc trong phong trào hiến máu tình nguyện năm 2024";
  size_t st[10], en[10];
  int n = vc_layout_break(serif, s, strlen(s), 16, 200, 10, st, en);
  assert_true(n >= 2 && n <= 10);
  for (int i = 0; i < n; i++) {
    assert_true(en[i] > st[i]);
    assert_true(st[i] == 0 || s[st[i] - 1] == ' ');
    assert_true(en[i] == strlen(s) || s[en[i]] == ' ');
    assert_true(vc_font_text_width(serif, s + st[i], en[i] - st[i], 16) <= 200.0 + 1e-6);
  }
  /* consecutive lines: the next line starts after exactly one space */
  for (int i = 1; i < n; i++) assert_int_equal(st[i], en[i - 1] + 1);
}

/* A word wider than the line is cut between characters, not inside one. */
static void test_break_long_word(void **state) {
  (void)state;
  const char *s = "ỰỰỰỰỰỰỰỰỰỰỰỰỰỰỰỰỰỰỰỰ";
  size_t st[10], en[10];
  int n = vc_layout_break(serif, s, strlen(s), 20, 60, 10, st, en);
  assert_true(n >= 2);
  for (int i = 0; i < n; i++) {
    assert_true(vc_utf8_valid(s + st[i], en[i] - st[i], NULL));
    assert_true(vc_font_text_width(serif, s + st[i], en[i] - st[i], 20) <= 60.0 + 1e-6);
  }
  assert_int_equal(en[n - 1], strlen(s));
}

/* Wrapping onto several lines inside a box with a line limit. */
static void test_wraps_within_lines(void **state) {
  (void)state;
  vc_el_t el = box(120, 30, 16, 10, 3);
  el.line_spacing = 1.3;
  vc_textlayout_t tl;
  vc_textlayout_init(&tl);
  const char *s = "Đã có thành tích xuất sắc trong phong trào hiến máu tình nguyện, "
                  "tích cực tham gia chiến dịch Mùa hè xanh năm 2024";
  assert_true(vc_layout_text(&tl, &el, serif, NULL, s, strlen(s)));
  assert_true(tl.fits);
  assert_true(tl.nlines >= 2 && tl.nlines <= 3);
  for (int i = 0; i < tl.nlines; i++) {
    assert_true(tl.lines[i].x >= tl.box_x0 - 1e-6);
    assert_true(tl.lines[i].x + tl.lines[i].w <= tl.box_x1 + 1e-6);
  }
  assert_true(tl.ink_y0 >= tl.box_y0 - 1e-6 && tl.ink_y1 <= tl.box_y1 + 1e-6);
  vc_textlayout_free(&tl);
}

/* A long name in a centred box of two lines: shrunk first (one line down to
 * the size where two lines fit the box's height), then broken evenly, not
 * greedily with one word left on the last line. */
static void test_centred_lines_even(void **state) {
  (void)state;
  /* two lines fit the height only at 16 pt and below */
  vc_el_t el = box(140, 14, 27, 15, 2);
  el.line_spacing = 1.05;
  vc_textlayout_t tl;
  vc_textlayout_init(&tl);
  const char *s = "TÔN NỮ HOÀNG THỊ MINH NGUYỆT PHƯƠNG THẢO NGỌC ANH";
  assert_true(vc_layout_text(&tl, &el, serif, NULL, s, strlen(s)));
  assert_true(tl.fits);
  assert_int_equal(tl.nlines, 2);
  assert_true(tl.size <= 16.5 && tl.size >= 15);
  /* greedy breaking at this size leaves a short last line... */
  size_t st[2], en[2];
  double bw = tl.box_x1 - tl.box_x0;
  assert_int_equal(vc_layout_break(serif, s, strlen(s), tl.size, bw, 2, st, en), 2);
  double greedy0 = vc_font_text_width(serif, s + st[0], en[0] - st[0], tl.size);
  double greedy1 = vc_font_text_width(serif, s + st[1], en[1] - st[1], tl.size);
  assert_true(greedy1 < greedy0 / 2);
  /* ...the layout's lines differ by less than one word (the widest, "NGUYỆT") */
  double word = vc_font_text_width(serif, "NGUYỆT ", strlen("NGUYỆT "), tl.size);
  assert_true(fabs(tl.lines[0].w - tl.lines[1].w) < word);
  assert_true(tl.lines[0].w < greedy0);
  for (int i = 0; i < 2; i++) {
    assert_true(tl.lines[i].x >= tl.box_x0 - 1e-6);
    assert_true(tl.lines[i].x + tl.lines[i].w <= tl.box_x1 + 1e-6);
  }
  assert_true(tl.ink_y0 >= tl.box_y0 - 1e-6 && tl.ink_y1 <= tl.box_y1 + 1e-6);
  /* all the words, in order, once */
  char joined[256] = "";
  for (int i = 0; i < 2; i++) {
    const vc_run_t *r = &tl.runs[tl.lines[i].first_run];
    const vc_run_t *e = &tl.runs[tl.lines[i].first_run + tl.lines[i].nruns - 1];
    strncat(joined, tl.text + r->off, e->off + e->len - r->off);
    if (i == 0) strcat(joined, " ");
  }
  assert_string_equal(joined, s);
  /* left-aligned text keeps greedy lines */
  el.align = VC_ALIGN_LEFT;
  assert_true(vc_layout_text(&tl, &el, serif, NULL, s, strlen(s)));
  assert_int_equal(tl.nlines, 2);
  assert_true(tl.lines[0].w > greedy0 - 0.01 && tl.lines[0].w < greedy0 + 0.01);
  vc_textlayout_free(&tl);
}

/* A character the font lacks is reported with its position. */
static void test_missing_character(void **state) {
  (void)state;
  vc_el_t el = box(150, 20, 16, 16, 1);
  vc_textlayout_t tl;
  vc_textlayout_init(&tl);
  const char *s = "Lê 漢 Văn";
  assert_true(vc_layout_text(&tl, &el, serif, NULL, s, strlen(s)));
  assert_int_equal(tl.missing_cp, 0x6F22);
  assert_int_equal(tl.missing_col, 4);
  vc_textlayout_free(&tl);
}

/* Hard line breaks in template text. */
static void test_hard_break(void **state) {
  (void)state;
  size_t st[4], en[4];
  const char *s = "CỘNG HÒA\nĐộc lập";
  int n = vc_layout_break(serif, s, strlen(s), 12, 500, 4, st, en);
  assert_int_equal(n, 2);
  assert_int_equal(en[0], strlen("CỘNG HÒA"));
  assert_int_equal(st[1], strlen("CỘNG HÒA") + 1);
}

int main(void) {
  setlocale(LC_ALL, "");
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_fits_at_full_size), cmocka_unit_test(test_shrinks_to_fit),
      cmocka_unit_test(test_does_not_fit),      cmocka_unit_test(test_break_at_spaces),
      cmocka_unit_test(test_break_long_word),   cmocka_unit_test(test_wraps_within_lines),
      cmocka_unit_test(test_missing_character), cmocka_unit_test(test_hard_break),
      cmocka_unit_test(test_centred_lines_even),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
