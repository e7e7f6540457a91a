/* test_expr.c - placeholders: parsing, every filter, chains, escapes,
 * defaults, errors at parse and at evaluation. */
#include "testutil.h"

#include <locale.h>

#include "template/template-tree.h"

/* A record as name=value pairs; lookup is exact (the real lookup folds). */
typedef struct rec { const char *const *kv; const char *last; } rec_t;

static const char *lookup(void *ud, const char *name) {
  rec_t *r = ud;
  r->last = name;
  for (const char *const *p = r->kv; *p; p += 2)
    if (!strcmp(p[0], name)) return p[1];
  return NULL;
}

static const char *const REC[] = {
    "ho_ten", "nguyễn thị THU thảo",
    "so_tien", "5000000",
    "tien_le", "1.005.000 đ",
    "ngay", "5/1/2025",
    "rong", "",
    "Họ và tên", "Đinh Thị Tình",
    "bad_amount", "5tr",
    "bad_date", "31/02/2024",
    "dau", "\xcc\x81ng", /* starts with a combining acute */
    NULL};

/* Parses and evaluates s against REC; returns the result (caller frees). */
static char *run(const char *s) {
  vc_diag_t *d = vc_diag_create();
  vc_expr_t *e = vc_expr_parse(s, "t.yaml", 1, 1, d);
  if (!e) vc_diag_print(d, stderr);
  assert_non_null(e);
  assert_int_equal(vc_diag_count(d), 0);
  rec_t r = {REC, NULL};
  char err[256];
  char *out = vc_expr_eval(e, lookup, &r, err, sizeof err);
  if (!out) fprintf(stderr, "eval: %s\n", err);
  vc_expr_free(e);
  vc_diag_free(d);
  return out;
}

/* Expects parsing s to fail with one problem containing want at line:col. */
static void parse_fails(const char *s, int line, int col, const char *want) {
  vc_diag_t *d = vc_diag_create();
  vc_expr_t *e = vc_expr_parse(s, "t.yaml", 3, 10, d);
  assert_null(e);
  assert_true(vc_diag_count(d) >= 1);
  const vc_diag_item_t *it = vc_diag_get(d, 0);
  if (!strstr(it->msg, want) || it->line != line || it->col != col)
    fprintf(stderr, "got %d:%d: %s\n", it->line, it->col, it->msg);
  assert_int_equal(it->status, VC_E_INPUT);
  assert_string_equal(it->file, "t.yaml");
  assert_int_equal(it->line, line);
  assert_int_equal(it->col, col);
  assert_non_null(strstr(it->msg, want));
  vc_diag_free(d);
}

/* Expects evaluation of s to fail with err containing want. */
static void eval_fails(const char *s, const char *want) {
  vc_expr_t *e = vc_expr_parse(s, "t.yaml", 1, 1, NULL);
  assert_non_null(e);
  rec_t r = {REC, NULL};
  char err[256] = "unchanged";
  assert_null(vc_expr_eval(e, lookup, &r, err, sizeof err));
  if (!strstr(err, want)) fprintf(stderr, "err: %s\n", err);
  assert_non_null(strstr(err, want));
  vc_expr_free(e);
}

static void test_literal(void **st) {
  (void)st;
  vc_expr_t *e = vc_expr_parse("Giấy khen", "t", 1, 1, NULL);
  assert_non_null(e);
  assert_true(vc_expr_is_static(e));
  assert_int_equal(e->nsegs, 1);
  assert_string_equal(e->segs[0].lit, "Giấy khen");
  assert_str_take(vc_expr_eval(e, NULL, NULL, NULL, 0), "Giấy khen");
  vc_expr_free(e);
  e = vc_expr_parse("", "t", 1, 1, NULL);
  assert_non_null(e);
  assert_true(vc_expr_is_static(e));
  assert_str_take(vc_expr_eval(e, lookup, NULL, NULL, 0), "");
  vc_expr_free(e);
  assert_true(vc_expr_is_static(NULL));
}

static void test_segments(void **st) {
  (void)st;
  vc_expr_t *e = vc_expr_parse("Lớp: {lop|upper} - {  Họ và tên | title |"
                               "default : \"x\" }", "t", 4, 12, NULL);
  assert_non_null(e);
  assert_false(vc_expr_is_static(e));
  assert_int_equal(e->nsegs, 4);
  assert_string_equal(e->segs[0].lit, "Lớp: ");
  assert_null(e->segs[1].lit);
  assert_string_equal(e->segs[1].name, "lop");
  assert_int_equal(e->segs[1].nfilters, 1);
  assert_int_equal(e->segs[1].filters[0].kind, VC_FILTER_UPPER);
  assert_int_equal(e->segs[1].line, 4);
  assert_int_equal(e->segs[1].col, 17); /* code points, not bytes */
  assert_string_equal(e->segs[2].lit, " - ");
  assert_string_equal(e->segs[3].name, "Họ và tên");
  assert_int_equal(e->segs[3].nfilters, 2);
  assert_int_equal(e->segs[3].filters[1].kind, VC_FILTER_DEFAULT);
  assert_string_equal(e->segs[3].filters[1].arg, "x");
  vc_expr_free(e);
}

static void test_name_nfc(void **st) {
  (void)st;
  /* "Họ" written decomposed (o + combining dot below) is stored NFC. */
  vc_expr_t *e = vc_expr_parse("{Ho\xcc\xa3 và tên}", "t", 1, 1, NULL);
  assert_non_null(e);
  assert_string_equal(e->segs[0].name, "Họ và tên");
  rec_t r = {REC, NULL};
  assert_str_take(vc_expr_eval(e, lookup, &r, NULL, 0), "Đinh Thị Tình");
  vc_expr_free(e);
}

static void test_case_filters(void **st) {
  (void)st;
  assert_str_take(run("{ho_ten|upper}"), "NGUYỄN THỊ THU THẢO");
  assert_str_take(run("{ho_ten|lower}"), "nguyễn thị thu thảo");
  assert_str_take(run("{ho_ten|title}"), "Nguyễn Thị Thu Thảo");
  assert_str_take(run("{ho_ten|capfirst}"), "Nguyễn thị THU thảo");
  assert_str_take(run("{Họ và tên|upper}"), "ĐINH THỊ TÌNH");
}

static void test_money_filters(void **st) {
  (void)st;
  assert_str_take(run("{so_tien|vnd}"), "5.000.000 đ");
  assert_str_take(run("{so_tien|number}"), "5.000.000");
  assert_str_take(run("{so_tien|words}"), "năm triệu");
  assert_str_take(run("{so_tien|words_dong}."), "Năm triệu đồng chẵn.");
  assert_str_take(run("{tien_le|words}"),
                  "một triệu không trăm linh năm nghìn");
  assert_str_take(run("{tien_le|number}"), "1.005.000");
}

static void test_date_filters(void **st) {
  (void)st;
  assert_str_take(run("Lạng Sơn, {ngay|date}"),
                  "Lạng Sơn, ngày 05 tháng 01 năm 2025");
  assert_str_take(run("{ngay|date_short}"), "05/01/2025");
}

static void test_chains(void **st) {
  (void)st;
  assert_str_take(run("{so_tien|vnd|upper}"), "5.000.000 Đ");
  assert_str_take(run("{so_tien | number | words_dong}"), "Năm triệu đồng chẵn");
  assert_str_take(run("{ngay|date_short|date}"), "ngày 05 tháng 01 năm 2025");
  assert_str_take(run("{ho_ten|lower|capfirst}"), "Nguyễn thị thu thảo");
  assert_str_take(run("{rong|default:\"0\"|vnd}"), "0 đ");
  assert_str_take(run("{rong|default:\"2024-12-19\"|date}"),
                  "ngày 19 tháng 12 năm 2024");
}

static void test_default(void **st) {
  (void)st;
  assert_str_take(run("[{rong|default:\"không có\"}]"), "[không có]");
  assert_str_take(run("[{rong|default: không có }]"), "[không có]");
  assert_str_take(run("[{rong|default:'a|b}c'}]"), "[a|b}c]");
  assert_str_take(run("[{rong|default:\"say \\\"hi\\\" \\\\\"}]"),
                  "[say \"hi\" \\]");
  assert_str_take(run("[{rong|default:\"\"}]"), "[]");
  assert_str_take(run("[{ho_ten|default:\"x\"}]"), "[nguyễn thị THU thảo]");
  /* A default before an upper is upper-cased; after it, it is not. */
  assert_str_take(run("{rong|default:\"abc\"|upper}"), "ABC");
  assert_str_take(run("{rong|upper|default:\"abc\"}"), "abc");
}

static void test_empty_values(void **st) {
  (void)st;
  /* Requiredness is checked elsewhere: filters leave an empty value empty. */
  assert_str_take(run("[{rong|upper}{rong|vnd}{rong|words_dong}{rong|date}]"),
                  "[]");
}

static void test_braces(void **st) {
  (void)st;
  assert_str_take(run("{{ho_ten}} = {ho_ten|upper}"),
                  "{ho_ten} = NGUYỄN THỊ THU THẢO");
  assert_str_take(run("}}{{"), "}{");
  vc_expr_t *e = vc_expr_parse("a {{b}} c", "t", 1, 1, NULL);
  assert_true(vc_expr_is_static(e));
  vc_expr_free(e);
}

static void test_nfc_join(void **st) {
  (void)st;
  /* "u" + a value starting with a combining acute joins into "ú". */
  assert_str_take(run("Hu{dau}"), "Húng");
}

static void test_multiline_positions(void **st) {
  (void)st;
  /* After a newline the column restarts at the string's own column. */
  parse_fails("ab\n  {x|nope}", 4, 15, "unknown filter 'nope'");
}

static void test_parse_errors(void **st) {
  (void)st;
  parse_fails("abc {ho_ten", 3, 14, "not closed");
  parse_fails("abc {ho{ten}", 3, 14, "not closed");
  parse_fails("abc } x", 3, 14, "write }} for a literal brace");
  parse_fails("x {}", 3, 12, "empty placeholder");
  parse_fails("x { | upper}", 3, 12, "empty placeholder");
  parse_fails("{ho_ten|uper}", 3, 18, "did you mean 'upper'");
  parse_fails("{ho_ten|frobnicate}", 3, 18, "unknown filter 'frobnicate'");
  parse_fails("{ho_ten|}", 3, 18, "filter name is missing");
  parse_fails("{ho_ten|default}", 3, 18, "needs a value");
  parse_fails("{ho_ten|upper:\"x\"}", 3, 18, "takes no value");
  parse_fails("{ho_ten|default:\"abc}", 3, 10, "not closed");
  parse_fails("{a|default:\"x\" y}", 3, 25, "unexpected 'y'");
  parse_fails("Ngày {ngay|date_shrt}", 3, 21, "did you mean 'date_short'");
}

static void test_parse_reports_all(void **st) {
  (void)st;
  vc_diag_t *d = vc_diag_create();
  assert_null(vc_expr_parse("{a|uper} } {b|lowr} {}", "t", 1, 1, d));
  assert_int_equal(vc_diag_count(d), 4);
  vc_diag_free(d);
}

static void test_parse_invalid_utf8(void **st) {
  (void)st;
  vc_diag_t *d = vc_diag_create();
  assert_null(vc_expr_parse("a\xff{b}", "t", 1, 1, d));
  assert_int_equal(vc_diag_count(d), 1);
  assert_non_null(strstr(vc_diag_get(d, 0)->msg, "UTF-8"));
  vc_diag_free(d);
}

static void test_eval_errors(void **st) {
  (void)st;
  eval_fails("x {khong_co}", "{khong_co}");
  eval_fails("x {khong_co|default:\"a\"}", "unknown placeholder");
  eval_fails("{bad_amount|vnd}", "bad_amount");
  eval_fails("{bad_amount|words_dong}", "\"5tr\" is not an amount");
  eval_fails("{ho_ten|number}", "is not an amount");
  eval_fails("{bad_date|date}", "\"31/02/2024\" is not a date");
  eval_fails("{so_tien|date_short}", "so_tien");
  /* err may be omitted */
  vc_expr_t *e = vc_expr_parse("{khong_co}", "t", 1, 1, NULL);
  rec_t r = {REC, NULL};
  assert_null(vc_expr_eval(e, lookup, &r, NULL, 0));
  vc_expr_free(e);
}

/* Counts lookups, to show expansion stops at the cap (no timings). */
typedef struct counted { const char *value; long calls; } counted_t;
static const char *count_lookup(void *ud, const char *name) {
  (void)name;
  counted_t *c = ud;
  c->calls++;
  return c->value;
}

/* A template text repeating {name} n times, at template line 7. */
static vc_expr_t *repeated(const char *name, int n) {
  size_t len = strlen(name) + 2;
  char *s = malloc(len * (size_t)n + 1), *w = s;
  assert_non_null(s);
  for (int i = 0; i < n; i++) w += sprintf(w, "{%s}", name);
  vc_expr_t *e = vc_expr_parse(s, "t.yaml", 7, 11, NULL);
  free(s);
  assert_non_null(e);
  return e;
}

static char *filled(size_t n, char ch) {
  char *v = malloc(n + 1);
  assert_non_null(v);
  memset(v, ch, n);
  v[n] = '\0';
  return v;
}

static void test_eval_caps(void **st) {
  (void)st;
  char err[256];
  /* The case: 10,000 copies of {ho_ten} with a 63 KB value used to
   * give a 630 MB text; now refused at the first copy, naming the line. */
  vc_expr_t *e = repeated("ho_ten", 10000);
  char *big = filled(63 * 1024, 'a');
  counted_t c = {big, 0};
  assert_null(vc_expr_eval(e, count_lookup, &c, err, sizeof err));
  assert_int_equal(c.calls, 1);
  assert_non_null(strstr(err, "template line 7"));
  assert_non_null(strstr(err, "{ho_ten}"));
  assert_non_null(strstr(err, "64512 bytes"));
  assert_non_null(strstr(err, "16384 bytes, the most one text box holds"));
  /* A short value repeated stops as soon as the cap is passed. */
  c = (counted_t){"Bình", 0};
  assert_null(vc_expr_eval(e, count_lookup, &c, err, sizeof err));
  assert_int_equal(c.calls, VC_TEXT_MAX_BYTES / 5 + 1);
  vc_expr_free(e);
  free(big);
  /* Exactly the cap is fine, one byte more is not. */
  e = repeated("v", 1);
  char *v = filled(VC_TEXT_MAX_BYTES, 'x');
  c = (counted_t){v, 0};
  char *out = vc_expr_eval(e, count_lookup, &c, err, sizeof err);
  assert_non_null(out);
  assert_int_equal(strlen(out), VC_TEXT_MAX_BYTES);
  free(out);
  free(v);
  v = filled(VC_TEXT_MAX_BYTES + 1, 'x');
  c = (counted_t){v, 0};
  assert_null(vc_expr_eval(e, count_lookup, &c, err, sizeof err));
  free(v);
  /* Through a filter too (upper makes its own copy). */
  vc_expr_free(e);
  e = vc_expr_parse("Họ tên: {v|upper}", "t.yaml", 3, 5, NULL);
  assert_non_null(e);
  v = filled(VC_TEXT_MAX_BYTES, 'x');
  c = (counted_t){v, 0};
  assert_null(vc_expr_eval(e, count_lookup, &c, err, sizeof err));
  assert_non_null(strstr(err, "template line 3: once {v} is filled in"));
  free(v);
  vc_expr_free(e);
}

static void test_eval_page_cap(void **st) {
  (void)st;
  char err[256];
  vc_expr_t *e = repeated("ghi_chu", 1);
  char *v = filled(60, 'y');
  counted_t c = {v, 0};
  size_t left = 100;
  const char *over = "unset";
  char *out = vc_expr_eval_page(e, count_lookup, &c, &left, &over, err, sizeof err);
  assert_non_null(out);
  assert_null(over);
  assert_int_equal(left, 40);
  free(out);
  /* The second text does not fit in what the page has left. */
  assert_null(vc_expr_eval_page(e, count_lookup, &c, &left, &over, err, sizeof err));
  assert_int_equal(left, 40);
  assert_non_null(over);
  assert_string_equal(over, "ghi_chu");
  assert_non_null(strstr(err, "template line 7: once {ghi_chu} is filled in (60 bytes"));
  assert_non_null(strstr(err, "the texts of the page would be longer than 65536 bytes"));
  /* Other failures leave over NULL. */
  vc_expr_t *u = vc_expr_parse("{khong_co}", "t.yaml", 1, 1, NULL);
  rec_t r = {REC, NULL};
  assert_null(vc_expr_eval_page(u, lookup, &r, &left, &over, err, sizeof err));
  assert_null(over);
  vc_expr_free(u);
  /* Without a page budget only the text cap applies. */
  out = vc_expr_eval_page(e, count_lookup, &c, NULL, NULL, err, sizeof err);
  assert_non_null(out);
  free(out);
  free(v);
  vc_expr_free(e);
  /* The template's own text counts: parsed texts know its length. */
  char *lit = filled(VC_TEXT_MAX_BYTES + 1, 'z');
  e = vc_expr_parse(lit, "t.yaml", 2, 9, NULL);
  assert_non_null(e);
  assert_int_equal(e->lit_bytes, VC_TEXT_MAX_BYTES + 1);
  assert_int_equal(e->line, 2);
  assert_int_equal(e->col, 9);
  assert_null(vc_expr_eval(e, NULL, NULL, err, sizeof err));
  assert_non_null(strstr(err, "template line 2: the text would be longer"));
  vc_expr_free(e);
  free(lit);
}

int main(void) {
  setlocale(LC_ALL, "");
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_literal),
      cmocka_unit_test(test_segments),
      cmocka_unit_test(test_name_nfc),
      cmocka_unit_test(test_case_filters),
      cmocka_unit_test(test_money_filters),
      cmocka_unit_test(test_date_filters),
      cmocka_unit_test(test_chains),
      cmocka_unit_test(test_default),
      cmocka_unit_test(test_empty_values),
      cmocka_unit_test(test_braces),
      cmocka_unit_test(test_nfc_join),
      cmocka_unit_test(test_multiline_positions),
      cmocka_unit_test(test_parse_errors),
      cmocka_unit_test(test_parse_reports_all),
      cmocka_unit_test(test_parse_invalid_utf8),
      cmocka_unit_test(test_eval_errors),
      cmocka_unit_test(test_eval_caps),
      cmocka_unit_test(test_eval_page_cap),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
