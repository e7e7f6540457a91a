/* test_calibration.c - printer calibration (issue 13, point 2): profile
 * names and paths, saving and reading back (4 decimals, under any locale),
 * what the user measured turned into the correction, and the problems of a
 * profile file named by line:col. */
#include "testutil.h"

#include <locale.h>
#include <math.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vncert.h"

#define NEAR(a, b, e) assert_true(fabs((a) - (b)) < (e))

static char g_dir[64];

static int setup(void **st) {
  (void)st;
  strcpy(g_dir, "/tmp/vc_calib_XXXXXX");
  if (!mkdtemp(g_dir)) return -1;
  setenv("XDG_CONFIG_HOME", g_dir, 1);
  return 0;
}

static int teardown(void **st) {
  (void)st;
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
  return system(cmd) == 0 ? 0 : -1;
}

static void put(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

static void test_paths(void **st) {
  (void)st;
  char want[128];
  snprintf(want, sizeof want, "%s/vncert/calibration/hp-P2035.yaml", g_dir);
  assert_str_take(vc_calibration_path("hp-P2035"), want);
  assert_str_take(vc_calibration_path("./my.yaml"), "./my.yaml");
  assert_null(vc_calibration_path(""));
  assert_null(vc_calibration_path("có dấu"));
  assert_null(vc_calibration_path(".hidden"));
}

static void test_save_load(void **st) {
  (void)st;
  vc_diag_t *d = vc_diag_create();
  vc_calibration_t c = {1.5, -0.8, 0.9953, 1.0021}, r;
  assert_true(vc_calibration_save("hp", &c, d));
  setlocale(LC_ALL, "fr_FR.UTF-8"); /* decimal commas must not reach the file */
  assert_true(vc_calibration_load("hp", &r, d));
  setlocale(LC_ALL, "");
  NEAR(r.offset_x, 1.5, 1e-9), NEAR(r.offset_y, -0.8, 1e-9);
  NEAR(r.scale_x, 0.9953, 1e-9), NEAR(r.scale_y, 1.0021, 1e-9);
  assert_int_equal(vc_diag_count(d), 0);
  vc_calibration_t bad = {25, 0, 1, 1};
  assert_false(vc_calibration_save("hp", &bad, d));
  assert_false(vc_calibration_load("nobody", &r, d));
  vc_diag_free(d);
}

static void test_measured(void **st) {
  (void)st;
  vc_calibration_t c;
  const double exact[4] = {20, 20, 190, 277};
  assert_true(vc_calibration_from_measured(exact, &c));
  NEAR(c.offset_x, 0, 1e-9), NEAR(c.offset_y, 0, 1e-9);
  NEAR(c.scale_x, 1, 1e-9), NEAR(c.scale_y, 1, 1e-9);
  /* a printer 1.5 mm right, 1 mm down, 1% wide: drawing corrected by the
   * profile lands where it should: off + s (o + k p) = p */
  const double m[4] = {1.5 + 1.01 * 20, 21, 1.5 + 1.01 * 190, 1 + 277};
  assert_true(vc_calibration_from_measured(m, &c));
  for (double p = 0; p <= 200; p += 50) {
    NEAR(1.5 + 1.01 * (c.offset_x + c.scale_x * p), p, 1e-9);
    NEAR(1 + 1.0 * (c.offset_y + c.scale_y * p), p, 1e-9);
  }
  const double swapped[4] = {190, 20, 20, 277};
  assert_false(vc_calibration_from_measured(swapped, &c));
}

static void test_bad_files(void **st) {
  (void)st;
  char p[128];
  snprintf(p, sizeof p, "%s/bad.yaml", g_dir);
  struct { const char *text, *msg; int line; } cases[] = {
      {"offset_x: 1\nscale_x: 2\n", "scale_x: must be from 0.9 to 1.1", 2},
      {"offset_x: 1\noffset_z: 2\n", "offset_z", 2},
      {"offset_x: 1,5\n", "offset_x", 1},
      {"", "empty", 0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    put(p, cases[i].text);
    vc_diag_t *d = vc_diag_create();
    vc_calibration_t r;
    assert_false(vc_calibration_load(p, &r, d));
    const vc_diag_item_t *it = vc_diag_get(d, 0);
    assert_non_null(it);
    if (!strstr(it->msg, cases[i].msg) || (cases[i].line && it->line != cases[i].line)) {
      vc_diag_print(d, stderr);
      fail_msg("case %zu: want \"%s\" at line %d", i, cases[i].msg, cases[i].line);
    }
    vc_diag_free(d);
  }
}

int main(void) {
  setlocale(LC_ALL, "");
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_paths),
      cmocka_unit_test(test_save_load),
      cmocka_unit_test(test_measured),
      cmocka_unit_test(test_bad_files),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
