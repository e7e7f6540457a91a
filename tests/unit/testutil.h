/* testutil.h - common includes for the cmocka unit tests. */
#ifndef VC_TESTUTIL_H
#define VC_TESTUTIL_H
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

/* Asserts that a freshly allocated string equals want, then frees it. */
#define assert_str_take(got, want)                                             \
  do {                                                                         \
    char *got_ = (got);                                                        \
    assert_non_null(got_);                                                     \
    assert_string_equal(got_, (want));                                         \
    free(got_);                                                                \
  } while (0)

#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

/* Tests that ask fontconfig run with the configuration of
 * tests/tools/test-fonts.sh (the Makefile's check-unit sets FONTCONFIG_FILE),
 * so other fonts installed on the machine change nothing.  Call it from a
 * group setup: false (with a message) when it is not set. */
static bool test_fonts_configured(void) __attribute__((unused));
static bool test_fonts_configured(void) {
  const char *f = getenv("FONTCONFIG_FILE");
  if (f && *f) return true;
  fprintf(stderr, "FONTCONFIG_FILE is not set: run this test through `make "
                  "check-unit` (it uses tests/tools/test-fonts.sh)\n");
  return false;
}

#include "core/diag.h"

/* Runs a shell command (the tests check PDFs from outside with poppler,
 * qpdf and tests/tools/pdf_glyphs.py); returns its exit status; *out (may
 * be NULL) gets its stdout (malloc'd, caller frees). */
static int sh(char **out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3), unused));
static int sh(char **out, const char *fmt, ...) {
  char cmd[4096];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(cmd, sizeof cmd, fmt, ap);
  va_end(ap);
  FILE *f = popen(cmd, "r");
  assert_non_null(f);
  size_t cap = 4096, len = 0, n;
  char *buf = malloc(cap);
  assert_non_null(buf);
  while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
    len += n;
    if (cap - len < 2) {
      buf = realloc(buf, cap *= 2);
      assert_non_null(buf);
    }
  }
  buf[len] = '\0';
  int st = pclose(f);
  if (out) *out = buf;
  else free(buf);
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

/* Asserts the diag list holds an item with status st whose message has
 * `part`, then clears the list. */
static void expect_diag_st(vc_diag_t *d, vc_status_t st, const char *part)
    __attribute__((unused));
static void expect_diag_st(vc_diag_t *d, vc_status_t st, const char *part) {
  bool found = false;
  for (size_t i = 0; i < vc_diag_kept(d); i++) {
    const vc_diag_item_t *it = vc_diag_get(d, i);
    if (it->status == st && strstr(it->msg, part)) found = true;
  }
  if (!found) {
    vc_diag_print(d, stderr);
    fail_msg("no diag %s containing \"%s\"", vc_status_name(st), part);
  }
  vc_diag_clear(d);
}

/* The whole file at path (malloc'd, NUL-terminated; caller frees). */
static unsigned char *slurp(const char *path, size_t *len) __attribute__((unused));
static unsigned char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  rewind(f);
  unsigned char *b = malloc((size_t)n + 1);
  assert_non_null(b);
  assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
  fclose(f);
  b[n] = '\0';
  *len = (size_t)n;
  return b;
}

/* Removes a test's scratch directory (kept when VC_KEEP_TMP is set, to
 * look at what a failing test wrote); returns rm's status. */
static int remove_scratch(const char *dir) __attribute__((unused));
static int remove_scratch(const char *dir) {
  if (getenv("VC_KEEP_TMP")) return 0;
  return sh(NULL, "rm -rf '%s'", dir);
}

/* ---- a test group's files ---- */

/* The scratch directory of the test program's group. */
static char test_dir[64] __attribute__((unused));

/* A group setup's first step: a new scratch directory
 * /tmp/vc_<name>.XXXXXX in test_dir.  0, or -1 as a setup returns it. */
static int test_dir_make(const char *name) __attribute__((unused));
static int test_dir_make(const char *name) {
  snprintf(test_dir, sizeof test_dir, "/tmp/vc_%s.XXXXXX", name);
  return mkdtemp(test_dir) ? 0 : -1;
}

/* The group teardown: removes test_dir (see remove_scratch). */
static int test_dir_teardown(void **state) __attribute__((unused));
static int test_dir_teardown(void **state) {
  (void)state;
  return remove_scratch(test_dir);
}

/* rel ("tests/tools/pdf_glyphs.py", "fonts/...") in the source tree, found
 * from where this header is, into out.  true when that file is readable. */
static bool test_repo_file(char *out, size_t n, const char *rel) __attribute__((unused));
static bool test_repo_file(char *out, size_t n, const char *rel) {
  const char *src = __FILE__, *cut = strstr(src, "tests/unit/");
  snprintf(out, n, "%.*s%s", cut ? (int)(cut - src) : 0, src, rel);
  return access(out, R_OK) == 0;
}

/* Files of this process may grow to `bytes` only, and a write past that
 * fails (EFBIG) instead of killing it, until test_fsize_restore(&saved). */
typedef struct test_fsize {
  struct rlimit old;
  void (*prev)(int);
} test_fsize_t;
static void test_fsize_limit(test_fsize_t *saved, rlim_t bytes) __attribute__((unused));
static void test_fsize_limit(test_fsize_t *saved, rlim_t bytes) {
  assert_int_equal(getrlimit(RLIMIT_FSIZE, &saved->old), 0);
  struct rlimit lim = saved->old;
  lim.rlim_cur = bytes;
  saved->prev = signal(SIGXFSZ, SIG_IGN);
  assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
}
static void test_fsize_restore(test_fsize_t *saved) __attribute__((unused));
static void test_fsize_restore(test_fsize_t *saved) {
  assert_int_equal(setrlimit(RLIMIT_FSIZE, &saved->old), 0);
  signal(SIGXFSZ, saved->prev);
}

/* First recorded problem whose message contains sub, or NULL. */
static const vc_diag_item_t *find_diag(const vc_diag_t *d, const char *sub)
    __attribute__((unused));
static const vc_diag_item_t *find_diag(const vc_diag_t *d, const char *sub) {
  for (size_t i = 0; i < vc_diag_kept(d); i++) {
    const vc_diag_item_t *it = vc_diag_get(d, i);
    if (strstr(it->msg, sub)) return it;
  }
  return NULL;
}

/* Asserts a problem containing sub was recorded for file at line:col with
 * status st. */
static void expect_diag_at(const vc_diag_t *d, const char *sub, const char *file, int line,
                           int col, vc_status_t st) __attribute__((unused));
static void expect_diag_at(const vc_diag_t *d, const char *sub, const char *file, int line,
                           int col, vc_status_t st) {
  const vc_diag_item_t *it = find_diag(d, sub);
  if (!it) {
    vc_diag_print(d, stderr);
    fail_msg("no problem containing \"%s\"", sub);
  }
  assert_string_equal(it->file, file);
  assert_int_equal(it->line, line);
  assert_int_equal(it->col, col);
  assert_int_equal(it->status, st);
}

/* Asserts nothing was reported. */
static void expect_no_diag(vc_diag_t *d) __attribute__((unused));
static void expect_no_diag(vc_diag_t *d) {
  if (vc_diag_count(d)) {
    vc_diag_print(d, stderr);
    fail_msg("unexpected diags");
  }
}
#endif
