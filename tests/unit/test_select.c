/* test_select.c - --where, --match, --sort and the key uniqueness check. */
#include "testutil.h"

#include "records/select.h"

/* A table from a header row and n rows of ncols strings; lines 2, 3, ... */
static vc_table_t *make_table(const char *name, int ncols, const char *const *hdr,
                              long n, const char *const *cells) {
  vc_table_t *t = vc_table_create(name);
  assert_non_null(t);
  for (int c = 0; c < ncols; c++) assert_int_equal(vc_table_add_column(t, hdr[c]), c);
  for (long r = 0; r < n; r++) {
    assert_int_equal(vc_table_add_row(t, (int)r + 2), r);
    for (int c = 0; c < ncols; c++) {
      const char *v = cells[r * ncols + c];
      assert_true(vc_table_set_cell(t, r, c, v, strlen(v)));
    }
  }
  return t;
}

static const char *const hdr[] = {"Mã SV", "Họ và tên", "Lớp", "Học phí", "Xếp loại"};
static const char *const cells[] = {
    "0210456", "Nguyễn Thị Thu Thảo", "K19MN", "5.000.000 đ", "Khá",
    "0210457", "Đinh Thị Tình",       "K19KT", "500.000",     "Giỏi",
    "0210458", "Nguyễn Văn An",       "k19mn", "12.000.000",  "Kha",
    "9",       "Trần Thị Ánh",        "K19MN", "",            "Khá",
    "0210460", "Lê Văn Bình",         "K19KT", "5.000.000",   "Giỏi",
    "0210461", "Phạm Thị Bình",       "K19 MN", "500.000",    "Khá",
    "10",      "Đỗ Minh Đức",         "K19MN", "5000000",     "Trung bình",
};
#define NROWS 7

static vc_table_t *class_table(void) {
  return make_table("lop.csv", 5, hdr, NROWS, cells);
}

static vc_selection_t all_rows(const vc_table_t *t) {
  vc_selection_t s;
  assert_true(vc_selection_parse(NULL, vc_table_nrows(t), &s, NULL));
  return s;
}

/* Names of the selected rows joined by "|" (caller frees). */
static char *names(const vc_table_t *t, const vc_selection_t *s, int col) {
  size_t cap = 16;
  for (long i = 0; i < s->n; i++) cap += strlen(vc_table_get(t, s->rows[i], col)) + 1;
  char *out = malloc(cap);
  assert_non_null(out);
  out[0] = '\0';
  for (long i = 0; i < s->n; i++) {
    if (i) strcat(out, "|");
    strcat(out, vc_table_get(t, s->rows[i], col));
  }
  return out;
}

/* ------------------------------------------------------------------ where */

static void test_where(void **state) {
  (void)state;
  vc_table_t *t = class_table();
  vc_diag_t *d = vc_diag_create();
  vc_selection_t s = all_rows(t);
  /* case-insensitive, column by key or by header text */
  assert_true(vc_selection_where(&s, t, "lop=k19mn", d));
  assert_str_take(names(t, &s, 1), "Nguyễn Thị Thu Thảo|Nguyễn Văn An|Trần Thị Ánh|Đỗ Minh Đức");
  vc_selection_free(&s);
  s = all_rows(t);
  assert_true(vc_selection_where(&s, t, " Lớp = K19MN ", d));
  assert_int_equal(s.n, 4);
  /* ANDed with a second condition; diacritics count: Kha is not Khá */
  assert_true(vc_selection_where(&s, t, "xep_loai=KHÁ", d));
  assert_str_take(names(t, &s, 1), "Nguyễn Thị Thu Thảo|Trần Thị Ánh");
  vc_selection_free(&s);
  s = all_rows(t);
  assert_true(vc_selection_where(&s, t, "xep_loai=kha", d));
  assert_str_take(names(t, &s, 1), "Nguyễn Văn An");
  vc_selection_free(&s);
  /* white space inside the value is compared cleaned */
  s = all_rows(t);
  assert_true(vc_selection_where(&s, t, "lop=K19  MN", d));
  assert_str_take(names(t, &s, 1), "Phạm Thị Bình");
  vc_selection_free(&s);
  /* an empty value finds blank cells */
  s = all_rows(t);
  assert_true(vc_selection_where(&s, t, "hoc_phi=", d));
  assert_str_take(names(t, &s, 1), "Trần Thị Ánh");
  vc_selection_free(&s);
  /* works on a --rows selection, keeping its order */
  assert_true(vc_selection_parse("5-7", NROWS, &s, d));
  assert_true(vc_selection_where(&s, t, "xep_loai=Giỏi", d));
  assert_int_equal(s.n, 1);
  assert_int_equal(s.rows[0], 4);
  vc_selection_free(&s);
  assert_int_equal(vc_diag_count(d), 0);
  vc_diag_free(d);
  vc_table_free(t);
}

static void test_where_errors(void **state) {
  (void)state;
  vc_table_t *t = class_table();
  const char *bad[] = {"lopp=K19MN", "K19MN", "=K19MN", "", NULL};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    vc_diag_t *d = vc_diag_create();
    vc_selection_t s = all_rows(t);
    assert_false(vc_selection_where(&s, t, bad[i], d));
    assert_int_equal(s.n, NROWS); /* unchanged */
    assert_int_equal(vc_diag_count(d), 1);
    assert_int_equal(vc_diag_status(d), VC_E_USAGE);
    const char *msg = vc_diag_get(d, 0)->msg;
    if (i == 0) {
      assert_non_null(strstr(msg, "no column \"lopp\" in lop.csv"));
      assert_non_null(strstr(msg, "\"Mã SV\" (ma_sv), \"Họ và tên\" (ho_va_ten), "
                                  "\"Lớp\" (lop), \"Học phí\" (hoc_phi), "
                                  "\"Xếp loại\" (xep_loai)"));
    } else {
      assert_non_null(strstr(msg, "COLUMN=VALUE"));
    }
    vc_selection_free(&s);
    vc_diag_free(d);
  }
  /* a condition typed in a legacy terminal encoding */
  vc_diag_t *d = vc_diag_create();
  vc_selection_t s = all_rows(t);
  assert_false(vc_selection_where(&s, t, "lop=L\xe9p", d));
  assert_int_equal(vc_diag_status(d), VC_E_USAGE);
  assert_non_null(strstr(vc_diag_get(d, 0)->msg, "not UTF-8"));
  assert_int_equal(s.n, NROWS);
  assert_int_equal(vc_selection_match(&s, t, 1, "Th\xe1o"), 0);
  vc_selection_free(&s);
  vc_diag_free(d);
  vc_table_free(t);
}

/* Many columns: the list is cut with "and N more" and stays one message. */
static void test_where_many_columns(void **state) {
  (void)state;
  vc_table_t *t = vc_table_create("wide.csv");
  char h[32];
  for (int c = 0; c < 5000; c++) {
    snprintf(h, sizeof h, "Cột số %d", c);
    assert_int_equal(vc_table_add_column(t, h), c);
  }
  vc_diag_t *d = vc_diag_create();
  vc_selection_t s = all_rows(t);
  assert_false(vc_selection_where(&s, t, "x=1", d));
  const char *msg = vc_diag_get(d, 0)->msg;
  assert_non_null(strstr(msg, "\"Cột số 0\" (cot_so_0)"));
  assert_non_null(strstr(msg, " more"));
  assert_true(strlen(msg) < 1000);
  vc_selection_free(&s);
  vc_diag_free(d);
  vc_table_free(t);
}

/* ------------------------------------------------------------------ match */

static long match_count(const vc_table_t *t, const char *text) {
  vc_selection_t s = all_rows(t);
  long n = vc_selection_match(&s, t, 1, text);
  assert_int_equal(n, s.n);
  vc_selection_free(&s);
  return n;
}

static void test_match(void **state) {
  (void)state;
  const char *h[] = {"ma_sv", "ho_ten"};
  const char *c[] = {"1", "Nguyễn Thị Thu Thảo", "2", "Đinh Thị Tình",
                     "3", "Nguyễn Văn Thao",     "4", "Trần Thị Thu"};
  vc_table_t *t = make_table("m.csv", 2, h, 4, c);
  const char *one[] = {"nguyen thi thu thao", "Thảo", "thảo", "THAO THU" /* no */,
                       "thu thao", "nguyen thao", "tha", "Nguyễn  Thị   Thu Thảo",
                       "nguyen thi thu th", "thi thao"};
  /* each typed form and the number of rows it should find */
  const long want[] = {1, 2, 2, 0, 1, 2, 2, 1, 1, 1}; /* Thảo finds Thao too */
  for (size_t i = 0; i < sizeof one / sizeof *one; i++) {
    long got = match_count(t, one[i]);
    if (got != want[i]) fail_msg("\"%s\": %ld matches, want %ld", one[i], got, want[i]);
  }
  assert_int_equal(match_count(t, "thi thao nguyen"), 0); /* order matters */
  assert_int_equal(match_count(t, "tha nguyen"), 0);      /* only the last may be a prefix */
  assert_int_equal(match_count(t, "nguyen"), 2);
  assert_int_equal(match_count(t, "dinh thi tinh"), 1);
  assert_int_equal(match_count(t, "Đinh"), 1);
  assert_int_equal(match_count(t, "DINH"), 1);
  assert_int_equal(match_count(t, "inh"), 0); /* whole words, prefixes only */
  assert_int_equal(match_count(t, "thi"), 3);
  assert_int_equal(match_count(t, "thu"), 2);
  assert_int_equal(match_count(t, ""), 0);   /* empty finds nobody */
  assert_int_equal(match_count(t, "   "), 0);
  /* kept rows, in order */
  vc_selection_t s = all_rows(t);
  assert_int_equal(vc_selection_match(&s, t, 1, "thao"), 2);
  assert_int_equal(s.rows[0], 0);
  assert_int_equal(s.rows[1], 2);
  vc_selection_free(&s);
  /* a bad column keeps nothing */
  s = all_rows(t);
  assert_int_equal(vc_selection_match(&s, t, 7, "thao"), 0);
  assert_int_equal(s.n, 0);
  vc_selection_free(&s);
  vc_table_free(t);
}

/* ------------------------------------------------------------------- sort */

static void test_sort_names(void **state) {
  (void)state;
  vc_table_t *t = class_table();
  vc_selection_t s = all_rows(t);
  assert_true(vc_selection_sort(&s, t, 1, VC_NAME_TEN_HO_DEM, VC_TONES_VIETLEX));
  assert_str_take(names(t, &s, 1),
                  "Nguyễn Văn An|Trần Thị Ánh|Lê Văn Bình|Phạm Thị Bình|"
                  "Đỗ Minh Đức|Nguyễn Thị Thu Thảo|Đinh Thị Tình");
  assert_true(vc_selection_sort(&s, t, 1, VC_NAME_TEN_DEM_HO, VC_TONES_VIETLEX));
  assert_str_take(names(t, &s, 1),
                  "Nguyễn Văn An|Trần Thị Ánh|Phạm Thị Bình|Lê Văn Bình|"
                  "Đỗ Minh Đức|Nguyễn Thị Thu Thảo|Đinh Thị Tình");
  vc_selection_free(&s);
  vc_table_free(t);
}

static void test_sort_kinds(void **state) {
  (void)state;
  vc_table_t *t = class_table();
  vc_selection_t s = all_rows(t);
  /* digit IDs numerically: 9 < 10 < 0210456 ... */
  assert_true(vc_selection_sort(&s, t, 0, false, VC_TONES_VIETLEX));
  assert_str_take(names(t, &s, 0), "9|10|0210456|0210457|0210458|0210460|0210461");
  /* amounts by value, blanks last, ties in current order */
  assert_true(vc_selection_sort(&s, t, 3, false, VC_TONES_VIETLEX));
  assert_str_take(names(t, &s, 3),
                  "500.000|500.000|5000000|5.000.000 đ|5.000.000|12.000.000|");
  assert_str_take(names(t, &s, 0), "0210457|0210461|10|0210456|0210460|0210458|9");
  /* text by collation: Giỏi < Kha < Khá < Trung bình; stable inside */
  assert_true(vc_selection_sort(&s, t, 4, false, VC_TONES_VIETLEX));
  assert_str_take(names(t, &s, 4), "Giỏi|Giỏi|Kha|Khá|Khá|Khá|Trung bình");
  assert_str_take(names(t, &s, 0), "0210457|0210460|0210458|0210461|0210456|9|10");
  vc_selection_free(&s);
  vc_table_free(t);
}

static void test_sort_digit_ties_and_text(void **state) {
  (void)state;
  const char *h[] = {"so", "lop"};
  const char *c[] = {"010", "10A10", "10", "10A2", "7", "",
                     "007", "9B",    "",   "11A1"};
  vc_table_t *t = make_table("n.csv", 2, h, 5, c);
  vc_selection_t s = all_rows(t);
  assert_true(vc_selection_sort(&s, t, 0, false, VC_TONES_VIETLEX));
  assert_str_take(names(t, &s, 0), "007|7|010|10|"); /* equal numbers by string */
  assert_true(vc_selection_sort(&s, t, 1, false, VC_TONES_VIETLEX));
  assert_str_take(names(t, &s, 1), "9B|10A2|10A10|11A1|");
  /* a one-row and an empty selection are fine; a bad column is refused */
  vc_selection_t one = {s.rows, 1};
  assert_true(vc_selection_sort(&one, t, 0, false, VC_TONES_VIETLEX));
  assert_false(vc_selection_sort(&s, t, 2, false, VC_TONES_VIETLEX));
  vc_selection_free(&s);
  vc_table_free(t);
}

static void test_sort_stable_sac_first(void **state) {
  (void)state;
  const char *h[] = {"id", "ho_ten"};
  const char *c[] = {"1", "Lê Bà", "2", "Lê Bá", "3", "Lê Ba", "4", "Lê Bà",
                     "5", "Ngô Bá"};
  vc_table_t *t = make_table("s.csv", 2, h, 5, c);
  vc_selection_t s = all_rows(t);
  assert_true(vc_selection_sort(&s, t, 1, true, VC_TONES_VIETLEX));
  assert_str_take(names(t, &s, 0), "3|1|4|2|5");
  assert_true(vc_selection_sort(&s, t, 1, true, VC_TONES_SAC_FIRST));
  assert_str_take(names(t, &s, 0), "3|2|5|1|4");
  vc_selection_free(&s);
  vc_table_free(t);
}

/* ----------------------------------------------------------------- unique */

static void test_unique(void **state) {
  (void)state;
  const char *h[] = {"Mã SV", "ho_ten"};
  const char *c[] = {"SV01", "A", "SV02", "B", "sv01", "C", "", "D",
                     "SV03", "E", "",     "F", "SV01", "G", "Sv02", "H"};
  vc_table_t *t = make_table("ds.csv", 2, h, 8, c);
  vc_diag_t *d = vc_diag_create();
  assert_int_equal(vc_table_check_unique(t, 0, d), 3);
  assert_int_equal(vc_diag_count(d), 3);
  const vc_diag_item_t *it = vc_diag_get(d, 0);
  assert_int_equal(it->status, VC_E_INPUT);
  assert_string_equal(it->file, "ds.csv");
  assert_int_equal(it->line, 4);
  assert_int_equal(it->col, 1);
  assert_string_equal(it->msg, "the key \"sv01\" in column \"Mã SV\" is already used "
                               "on line 2: each record needs its own");
  assert_int_equal(vc_diag_get(d, 1)->line, 8);
  assert_non_null(strstr(vc_diag_get(d, 1)->msg, "\"SV01\" in column \"Mã SV\" is already used on line 2"));
  assert_int_equal(vc_diag_get(d, 2)->line, 9);
  assert_non_null(strstr(vc_diag_get(d, 2)->msg, "line 3"));
  vc_diag_free(d);

  /* diacritics are kept: "Á1" and "A1" differ; upper and lower Vietnamese
   * letters are the same key */
  const char *c2[] = {"Á1", "x", "A1", "y", "đ1", "z", "Đ1", "w"};
  vc_table_t *t2 = make_table("d2.csv", 2, h, 4, c2);
  d = vc_diag_create();
  assert_int_equal(vc_table_check_unique(t2, 0, d), 1);
  assert_int_equal(vc_diag_get(d, 0)->line, 5);
  assert_int_equal(vc_table_check_unique(t2, 9, d), -1);
  vc_diag_free(d);
  vc_table_free(t2);
  vc_table_free(t);
}

/* A long key is shown cut, not as a megabyte message. */
static void test_unique_long_key(void **state) {
  (void)state;
  size_t n = 100000;
  char *v = malloc(n * 2 + 1);
  assert_non_null(v);
  for (size_t i = 0; i < n; i++) memcpy(v + 2 * i, "ă", 2);
  v[2 * n] = '\0';
  const char *h[] = {"ma"};
  const char *c[] = {v, v};
  vc_table_t *t = make_table("l.csv", 1, h, 2, c);
  vc_diag_t *d = vc_diag_create();
  assert_int_equal(vc_table_check_unique(t, 0, d), 1);
  const char *msg = vc_diag_get(d, 0)->msg;
  assert_non_null(strstr(msg, "ăăă…\" in column \"ma\""));
  vc_diag_free(d);
  vc_table_free(t);
  free(v);
}

/* ------------------------------------------------------------------ large */

static const char *const families[] = {"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng",
                                       "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô"};
static const char *const middles[] = {"Văn", "Thị", "Minh", "Thu", "Đức",
                                      "Thị Thu", "Ngọc", ""};
static const char *const givens[] = {"An", "Ánh", "Anh", "Bình", "Dũng", "Đạt",
                                     "Hoà", "Hòa", "Thảo", "Tình", "Yến", "Ăn",
                                     "Ân", "Đức", "Lượng", "Luyến"};

/* 100,000 rows: sort by name and check uniqueness; correctness only, the
 * speed is measured by the benchmarks. */
static void test_large(void **state) {
  (void)state;
  vc_table_t *t = vc_table_create("big.csv");
  vc_table_add_column(t, "ma_sv");
  vc_table_add_column(t, "ho_ten");
  long n = 100000;
  unsigned x = 12345;
  char buf[128];
  for (long r = 0; r < n; r++) {
    assert_int_equal(vc_table_add_row(t, (int)r + 2), r);
    int len = snprintf(buf, sizeof buf, "%s%07ld", r % 2 ? "sv" : "SV", r);
    assert_true(vc_table_set_cell(t, r, 0, buf, (size_t)len));
    x = x * 1103515245u + 12345u;
    const char *m = middles[(x >> 8) % 8];
    len = snprintf(buf, sizeof buf, "%s %s%s%s", families[(x >> 16) % 10], m, *m ? " " : "",
                   givens[(x >> 20) % 16]);
    assert_true(vc_table_set_cell(t, r, 1, buf, (size_t)len));
  }
  /* three repeats, differing only in case */
  assert_true(vc_table_set_cell(t, 500, 0, "sv0000001", 9));
  assert_true(vc_table_set_cell(t, 70000, 0, "SV0069999", 9));
  assert_true(vc_table_set_cell(t, 99999, 0, "Sv0000001", 9));
  vc_diag_t *d = vc_diag_create();
  assert_int_equal(vc_table_check_unique(t, 0, d), 3);
  assert_int_equal(vc_diag_get(d, 0)->line, 502);
  assert_non_null(strstr(vc_diag_get(d, 0)->msg, "on line 3:"));
  assert_int_equal(vc_diag_get(d, 2)->line, 100001); /* row 99999 */
  assert_int_equal(vc_diag_get(d, 1)->line, 70002);
  assert_non_null(strstr(vc_diag_get(d, 1)->msg, "on line 70001:"));

  vc_selection_t s = all_rows(t);
  assert_true(vc_selection_sort(&s, t, 1, true, VC_TONES_VIETLEX));
  assert_int_equal(s.n, n);
  for (long i = 0; i + 1 < n; i++) {
    int c = vc_collate_name(vc_table_get(t, s.rows[i], 1), vc_table_get(t, s.rows[i + 1], 1),
                            VC_TONES_VIETLEX);
    if (c > 0 || (c == 0 && s.rows[i] > s.rows[i + 1]))
      fail_msg("out of order at %ld", i);
  }
  /* the IDs sort as text (letters and digits): SV/sv mix by number */
  assert_true(vc_selection_sort(&s, t, 0, false, VC_TONES_VIETLEX));
  assert_string_equal(vc_table_get(t, s.rows[0], 0), "SV0000000");
  long kept = vc_selection_match(&s, t, 1, "nguyen thao");
  assert_int_equal(kept, s.n);
  assert_true(s.n > 100 && s.n < n);
  for (long i = 0; i < s.n; i++) {
    const char *v = vc_table_get(t, s.rows[i], 1);
    assert_true(strncmp(v, "Nguyễn ", 8) == 0);
    assert_non_null(strstr(v, " Thảo"));
  }
  vc_selection_free(&s);
  vc_diag_free(d);
  vc_table_free(t);
}

/* Keys that look the same are the same key: invisible characters (U+200B,
 * U+FEFF, bidi controls) are left out before the check (issue 6, point 9). */
static void test_unique_invisible(void **state) {
  (void)state;
  const char *h[] = {"ma_sv", "ho_ten"};
  const char *c[] = {"0210456", "A", "0210456\xE2\x80\x8B", "B", "\xE2\x80\x8B" "0210456", "C",
                     "\xEF\xBB\xBF" "02104\xE2\x80\xAE" "56", "D", "0210457", "E"};
  vc_table_t *t = make_table("ds.csv", 2, h, 5, c);
  vc_diag_t *d = vc_diag_create();
  assert_int_equal(vc_table_check_unique(t, 0, d), 3);
  for (size_t i = 0; i < 3; i++) {
    const vc_diag_item_t *it = vc_diag_get(d, i);
    assert_int_equal(it->line, (int)i + 3);
    assert_non_null(strstr(it->msg, "already used on line 2"));
  }
  /* the message shows the difference, escaped */
  assert_non_null(strstr(vc_diag_get(d, 0)->msg, "\"0210456\\u{200B}\""));
  vc_diag_free(d);
  vc_table_free(t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_where),
      cmocka_unit_test(test_where_errors),
      cmocka_unit_test(test_where_many_columns),
      cmocka_unit_test(test_match),
      cmocka_unit_test(test_sort_names),
      cmocka_unit_test(test_sort_kinds),
      cmocka_unit_test(test_sort_digit_ties_and_text),
      cmocka_unit_test(test_sort_stable_sac_first),
      cmocka_unit_test(test_unique),
      cmocka_unit_test(test_unique_invisible),
      cmocka_unit_test(test_unique_long_key),
      cmocka_unit_test(test_large),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
