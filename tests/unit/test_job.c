/* test_job.c - record selection (--rows) and safe file names (--split). */
#include "testutil.h"

#include <locale.h>
#include <stdlib.h>
#include <time.h>

#include "vncert.h"
#include "records/select.h"

static void test_rows_all(void **state) {
  (void)state;
  vc_selection_t s;
  assert_true(vc_selection_parse(NULL, 5, &s, NULL));
  assert_int_equal(s.n, 5);
  assert_int_equal(s.rows[4], 4);
  vc_selection_free(&s);
}

static void test_rows_list(void **state) {
  (void)state;
  vc_selection_t s;
  assert_true(vc_selection_parse(" 9, 3,7-8 ,3", 10, &s, NULL));
  assert_int_equal(s.n, 4); /* file order, no repeats */
  assert_int_equal(s.rows[0], 2);
  assert_int_equal(s.rows[1], 6);
  assert_int_equal(s.rows[2], 7);
  assert_int_equal(s.rows[3], 8);
  vc_selection_free(&s);
}

static void test_rows_errors(void **state) {
  (void)state;
  const char *bad[] = {"0", "3-1", "a", "1,,2", "11", "2-", "-2", "1;2"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    vc_diag_t *d = vc_diag_create();
    vc_selection_t s;
    assert_false(vc_selection_parse(bad[i], 10, &s, d));
    assert_int_equal(vc_diag_count(d), 1);
    assert_int_equal(vc_diag_status(d), VC_E_USAGE);
    vc_diag_free(d);
  }
}

static void test_filename_safe(void **state) {
  (void)state;
  assert_str_take(vc_filename_safe("0210456-Nguyễn Thị Thu Thảo", false), "0210456-Nguyễn Thị Thu Thảo");
  assert_str_take(vc_filename_safe("0210456-Nguyễn Thị Thu Thảo", true), "0210456-Nguyen Thi Thu Thao");
  assert_str_take(vc_filename_safe("Đinh/Thị\\Tình", true), "Dinh_Thi_Tinh");
  assert_str_take(vc_filename_safe("a\x01\x1f:b*?c", false), "a_b_c");
  assert_str_take(vc_filename_safe("..hidden.. ", false), "hidden");
  assert_str_take(vc_filename_safe("", false), "_");
  /* invisible characters out (issue 6, point 9): three names that all show
   * as 0210456.pdf are one; U+202E cannot spoof the extension */
  assert_str_take(vc_filename_safe("0210456\xE2\x80\x8B", false), "0210456");
  assert_str_take(vc_filename_safe("\xEF\xBB\xBF" "0210456\xE2\x80\x8E", true), "0210456");
  assert_str_take(vc_filename_safe("0210456\xE2\x80\xAE" "fdp.exe", false), "0210456fdp.exe");
  assert_str_take(vc_filename_safe("Nguy\xE1\xBB\x85n\xE2\x81\xA6" "A\xE2\x81\xA9", false),
                  "Nguy\xE1\xBB\x85nA");
  assert_str_take(vc_filename_safe("CON", false), "_CON");
  assert_str_take(vc_filename_safe("con.txt", false), "_con.txt");
  /* NFD in, NFC out */
  assert_str_take(vc_filename_safe("Nguye\xcc\x82\xcc\x83n", false), "Nguyễn");
}

static void test_filename_length(void **state) {
  (void)state;
  char big[1200] = "";
  for (int i = 0; i < 300; i++) strcat(big, "ễ"); /* 3 bytes each */
  char *s = vc_filename_safe(big, false);
  assert_non_null(s);
  assert_true(strlen(s) <= 200);
  assert_int_equal(strlen(s) % 3, 0); /* cut between characters */
  free(s);
}

/* The default ledger: one per school year (from 1 August), under
 * XDG_DATA_HOME, else ~/.local/share (docs/ledger.md). */
static void test_ledger_default_path(void **st) {
  (void)st;
  setenv("TZ", "Asia/Ho_Chi_Minh", 1);
  tzset();
  setenv("XDG_DATA_HOME", "/d/x", 1);
  char *p = vc_ledger_default_path(1788220800LL); /* 2026-09-01 */
  assert_string_equal(p, "/d/x/vncert/so-cap-phat-2026-2027.sqlite");
  free(p);
  p = vc_ledger_default_path(1804118400LL); /* 2027-03-04 */
  assert_string_equal(p, "/d/x/vncert/so-cap-phat-2026-2027.sqlite");
  free(p);
  setenv("XDG_DATA_HOME", "relative", 1); /* not absolute: ignored, as the spec says */
  setenv("HOME", "/home/lan", 1);
  p = vc_ledger_default_path(1816819200LL); /* 2027-07-29 */
  assert_string_equal(p, "/home/lan/.local/share/vncert/so-cap-phat-2026-2027.sqlite");
  free(p);
  p = vc_ledger_default_path(1817251200LL); /* 2027-08-03 */
  assert_string_equal(p, "/home/lan/.local/share/vncert/so-cap-phat-2027-2028.sqlite");
  free(p);
  unsetenv("XDG_DATA_HOME");
  unsetenv("HOME");
  assert_null(vc_ledger_default_path(1817251200LL));
}

int main(void) {
  setlocale(LC_ALL, "");
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_rows_all),      cmocka_unit_test(test_rows_list),
      cmocka_unit_test(test_rows_errors),   cmocka_unit_test(test_filename_safe),
      cmocka_unit_test(test_filename_length), cmocka_unit_test(test_ledger_default_path),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
