/* test_diag.c - the diagnostics list (src/core/diag.c): messages and file
 * names stored safe for a terminal, and warnings (issue 6, point 9). */
#include "testutil.h"

#include "core/diag.h"

/* Whatever a module formats, no control or invisible character is kept. */
static void test_escaped(void **st) {
  (void)st;
  vc_diag_t *d = vc_diag_create();
  vc_diag_add(d, VC_E_INPUT, "ds\x1b[31m.csv", 3, 2, "the value \"%s\" is bad",
              "X\x1b]0;PWNED\x07Y \xE2\x80\xAE" "cba \xC2\x9B" "2J\xFF");
  const vc_diag_item_t *it = vc_diag_get(d, 0);
  assert_string_equal(it->file, "ds\\u{1B}[31m.csv");
  assert_string_equal(it->msg,
                      "the value \"X\\u{1B}]0;PWNED\\u{7}Y \\u{202E}cba \\u{9B}2J\\x{FF}\" is bad");
  /* re-adding a message (as the engine does) changes nothing more */
  vc_diag_add(d, it->status, it->file, it->line, it->col, "%s", it->msg);
  assert_string_equal(vc_diag_get(d, 1)->msg, vc_diag_get(d, 0)->msg);
  /* a message's own line breaks stay (the --match list); a lone CR not */
  vc_diag_add(d, VC_E_INPUT, NULL, 0, 0, "matches:%s", "\n    line 2: x\ty\r\n    z\rw");
  assert_string_equal(vc_diag_get(d, 2)->msg, "matches:\n    line 2: x\ty\r\n    z\\u{D}w");
  vc_diag_clear(d);
  vc_diag_add(d, VC_E_INPUT, "a.csv", 1, 1, "x\x1b");
  char *out = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&out, &len);
  vc_diag_print(d, f);
  fclose(f);
  for (size_t i = 0; i < len; i++)
    if ((unsigned char)out[i] < 0x20 && out[i] != '\n') fail_msg("control 0x%02X printed", out[i]);
  free(out);
  vc_diag_free(d);
}

/* A warning is kept and printed, but is no problem: not counted, not the
 * status, exit 0. */
static void test_warnings(void **st) {
  (void)st;
  vc_diag_t *d = vc_diag_create();
  vc_diag_add(d, VC_WARN, "a.csv", 2, 1, "invisible");
  assert_int_equal(vc_diag_count(d), 0);
  assert_int_equal(vc_diag_warnings(d), 1);
  assert_int_equal(vc_diag_kept(d), 1);
  assert_int_equal(vc_diag_status(d), VC_OK);
  assert_int_equal(vc_status_exit_code(VC_WARN), 0);
  assert_string_equal(vc_status_name(VC_WARN), "warning");
  vc_diag_add(d, VC_E_INPUT, "a.csv", 3, 1, "bad");
  assert_int_equal(vc_diag_count(d), 1);
  assert_int_equal(vc_diag_status(d), VC_E_INPUT);
  char *out = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&out, &len);
  vc_diag_print(d, f);
  fclose(f);
  assert_string_equal(out, "a.csv:2:1: warning: invisible\na.csv:3:1: bad\n");
  free(out);
  vc_diag_clear(d);
  assert_int_equal(vc_diag_warnings(d), 0);
  vc_diag_free(d);
}

/* A long message is kept whole up to 8 KiB (Vietnamese takes two or three
 * bytes a letter); beyond, it is cut between characters, never inside one. */
static void test_long(void **st) {
  (void)st;
  vc_diag_t *d = vc_diag_create();
  char *val = malloc(20001);
  assert_non_null(val);
  for (int i = 0; i < 3000; i++) memcpy(val + 2 * i, "\xC3\xA1", 2); /* á */
  val[6000] = '\0';
  vc_diag_add(d, VC_E_INPUT, NULL, 0, 0, "[%s]", val);
  const char *m = vc_diag_get(d, 0)->msg;
  assert_int_equal(strlen(m), 6002);
  assert_int_equal(m[6001], ']');
  for (int i = 0; i < 19998; i += 3) memcpy(val + i, "\xE1\xBA\xAB", 3); /* ẫ */
  val[19998] = '\0';
  vc_diag_add(d, VC_E_INPUT, NULL, 0, 0, "x%s", val);
  m = vc_diag_get(d, 1)->msg;
  size_t n = strlen(m);
  assert_true(n < 8192 && n > 8180);
  assert_int_equal((n - 1) % 3, 0); /* "x" and whole letters only */
  assert_int_equal(strstr(m, "\\x{"), NULL);
  free(val);
  vc_diag_free(d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_escaped),
      cmocka_unit_test(test_warnings),
      cmocka_unit_test(test_long),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
