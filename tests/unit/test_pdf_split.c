/*
 * test_pdf_split.c - one PDF per page (pdf-split.c) and the set of files
 * that appear together (pdf-files.c), checked from outside: every file goes
 * through qpdf --check, poppler (silent), pdftotext and
 * tests/tools/pdf_glyphs.py.  Failures must leave neither a temporary nor a
 * final file.  Run again under LC_ALL=fr_FR.UTF-8.
 */
#include "testutil.h"
#include "testpng.h"

#include <dirent.h>
#include <locale.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "render/pdf.h"

static char g_root[1024]; /* the repository (tests/tools, fonts/) */

/* ---- helpers ---------------------------------------------------------------- */

/* Entries of dir (all, hidden included), as "a b c " in sorted order. */
static char *listing(const char *dir) {
  char *out;
  sh(&out, "cd '%s' 2>/dev/null && LC_ALL=C ls -A | LC_ALL=C sort | tr '\\n' ' '",
     dir);
  return out;
}

static void expect_listing(const char *dir, const char *want) {
  char *got = listing(dir);
  if (strcmp(got, want)) fail_msg("%s holds \"%s\", expected \"%s\"", dir, got, want);
  free(got);
}

/* qpdf --check, poppler silent, pdf_glyphs.py with `fonts` TrueType fonts,
 * one page, exactly `text` extracted (non-empty lines joined by '\n'). */
static void check_file(const char *pdf, int fonts, const char *text) {
  char *out, want[64];
  int rc = sh(&out, "/usr/bin/python3 '%stests/tools/pdf_glyphs.py' '%s' 2>&1",
              g_root, pdf);
  snprintf(want, sizeof want, " %d embedded TrueType fonts checked", fonts);
  if (rc != 0 || !strstr(out, want))
    fail_msg("pdf_glyphs.py %s (expected%s):\n%s", pdf, want, out);
  free(out);
  sh(&out, "pdftotext '%s' /dev/null 2>&1; pdffonts '%s' 2>&1 >/dev/null;"
           " pdftoppm -r 20 '%s' 2>&1 >/dev/null",
     pdf, pdf, pdf);
  if (out[0]) fail_msg("poppler complained about %s:\n%s", pdf, out);
  free(out);
  rc = sh(&out, "qpdf --check '%s' 2>&1", pdf);
  if (rc != 0 || !strstr(out, "No syntax or stream encoding errors") ||
      strstr(out, "WARNING"))
    fail_msg("qpdf --check %s:\n%s", pdf, out);
  free(out);
  assert_int_equal(sh(&out, "qpdf --show-npages '%s'", pdf), 0);
  assert_string_equal(out, "1\n");
  free(out);
  assert_int_equal(
      sh(&out, "pdftotext -enc UTF-8 '%s' - | grep -v '^[[:space:]]*$'", pdf), 0);
  assert_string_equal(out, text);
  free(out);
}

/* Image XObjects in a file (an RGBA PNG counts twice: image and mask). */
static int images_in(const char *pdf) {
  char *out;
  sh(&out, "qpdf --qdf --object-streams=disable '%s' - | grep -ac '/Subtype /Image'",
     pdf);
  int n = atoi(out);
  free(out);
  return n;
}

/* An 8-bit PNG of w x h, colour type `type` (2 RGB, 6 RGBA), a gradient. */
static void write_png(const char *path, unsigned w, unsigned h, int type) {
  testpng_gradient(path, w, h, 8, type, false);
}

/* ---- a document of n pages ---------------------------------------------------- */

static const char *const NAMES[] = {"Nguyễn Thị Thu Thảo", "Đinh Văn Đức",
                                    "Lương Thị Mẫn", "NGUYỄN VĂN ẪN",
                                    "Trường Ự ự Ẫ ẫ Ỡ ỡ", "Hoàng Văn Thành"};
#define NNAMES 6

static char g_serif[1100], g_sans[1100], g_rgba[256], g_rgb[256];

/* What page i shows: its name in the serif font, then (except every 6th
 * page, which uses one font only) a line in the sans font; the RGBA image on
 * every page, the RGB one on every third page (shared by some pages only). */
static void page_text(long i, char *buf, size_t cap) {
  if (i % 6 == 5)
    snprintf(buf, cap, "%s\n", NAMES[i % NNAMES]);
  else
    snprintf(buf, cap, "%s\nSố %ld - Giấy khen\n", NAMES[i % NNAMES], i + 1);
}

static vc_pdf_t *make_doc(long n, vc_diag_t *d) {
  vc_pdf_t *p = vc_pdf_create("Giấy khen", d);
  assert_non_null(p);
  int serif = vc_pdf_font(p, g_serif, 0), sans = vc_pdf_font(p, g_sans, 0);
  assert_true(serif >= 0 && sans >= 0);
  for (long i = 0; i < n; i++) {
    char line[128];
    assert_true(vc_pdf_page(p, 420, 297));
    assert_true(vc_pdf_image(p, g_rgba, 10, 10, 40, 40));
    if (i % 3 == 0) assert_true(vc_pdf_image(p, g_rgb, 60, 10, 40, 30));
    const char *name = NAMES[i % NNAMES];
    assert_true(vc_pdf_text(p, serif, 18, 0, 0, 0.3, 40, 220, name, strlen(name)));
    if (i % 6 != 5) {
      snprintf(line, sizeof line, "Số %ld - Giấy khen", i + 1);
      assert_true(vc_pdf_text(p, sans, 12, 0.5, 0, 0, 40, 180, line, strlen(line)));
    }
    vc_pdf_style_t st = {.stroke = true, .sr = 0.6, .width = 1.5};
    assert_true(vc_pdf_rect(p, &st, 5, 5, 410, 287, 4));
  }
  expect_no_diag(d);
  return p;
}

/* names[i] = "p-<i+1>.pdf" (static storage for n <= 2000). */
static const char *const *file_names(long n) {
  static char store[2000][32];
  static const char *ptr[2000];
  assert_true(n <= 2000);
  for (long i = 0; i < n; i++) {
    snprintf(store[i], sizeof store[i], "p-%ld.pdf", i + 1);
    ptr[i] = store[i];
  }
  return ptr;
}

static void make_dir(char *buf, size_t cap, const char *name) {
  snprintf(buf, cap, "%s/%s", test_dir, name);
  assert_int_equal(mkdir(buf, 0777), 0);
}

/* ---- tests ------------------------------------------------------------------ */

static void test_split_files(void **state) {
  enum { N = 8 };
  char dir[256], path[512], want[256];
  make_dir(dir, sizeof dir, "split");
  vc_diag_t *d = vc_diag_create();
  vc_pdf_t *p = make_doc(N, d);
  vc_pdf_files_t *f = vc_pdf_files_open(dir, false, d);
  assert_non_null(f);
  assert_true(vc_pdf_split(p, file_names(N), N, f));
  expect_no_diag(d);
  assert_int_equal(vc_pdf_files_count(f), N);
  /* nothing under a final name before the commit: the files have no name
   * yet (O_TMPFILE), or one in vncert's hidden folder */
  char *ls = listing(dir);
  assert_null(strstr(ls, "p-"));
  assert_true(!*ls || !strncmp(ls, ".vncert-", 8));
  free(ls);
  assert_true(vc_pdf_files_commit(f, d));
  expect_no_diag(d);
  vc_pdf_files_free(f);
  expect_listing(dir, "p-1.pdf p-2.pdf p-3.pdf p-4.pdf p-5.pdf p-6.pdf "
                      "p-7.pdf p-8.pdf ");
  for (long i = 0; i < N; i++) {
    snprintf(path, sizeof path, "%s/p-%ld.pdf", dir, i + 1);
    page_text(i, want, sizeof want);
    check_file(path, i % 6 == 5 ? 1 : 2, want);
    /* only what the page uses: the RGB image on every third page */
    assert_int_equal(images_in(path), i % 3 == 0 ? 3 : 2);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_true(st.st_size < 100000);
  }
  /* the document itself can still be saved whole */
  snprintf(path, sizeof path, "%s/assets/whole.pdf", test_dir);
  assert_true(vc_pdf_save_file(p, path));
  expect_no_diag(d);
  char *out;
  assert_int_equal(sh(&out, "qpdf --show-npages '%s'", path), 0);
  assert_int_equal(atoi(out), N);
  free(out);
  vc_pdf_free(p);
  vc_diag_free(d);
}

/* More pages than one node of libharu's page tree (512): pages under other
 * parents, and shared objects written once for all. */
static void test_split_many(void **state) {
  enum { N = 1100 };
  char dir[256], path[512], want[256];
  make_dir(dir, sizeof dir, "many");
  vc_diag_t *d = vc_diag_create();
  vc_pdf_t *p = make_doc(N, d);
  vc_pdf_files_t *f = vc_pdf_files_open(dir, false, d);
  assert_true(vc_pdf_split(p, file_names(N), N, f));
  assert_true(vc_pdf_files_commit(f, d));
  expect_no_diag(d);
  vc_pdf_files_free(f);
  vc_pdf_free(p);
  vc_diag_free(d);
  char *out;
  sh(&out, "ls -A '%s' | wc -l", dir);
  assert_int_equal(atoi(out), N);
  free(out);
  static const long probe[] = {0, 511, 512, 513, 1023, 1024, N - 1};
  for (size_t k = 0; k < sizeof probe / sizeof *probe; k++) {
    long i = probe[k];
    snprintf(path, sizeof path, "%s/p-%ld.pdf", dir, i + 1);
    page_text(i, want, sizeof want);
    check_file(path, i % 6 == 5 ? 1 : 2, want);
  }
  /* the fonts' bytes are the same in every file that has them */
  assert_int_equal(sh(&out, "cd '%s' && for i in 1 2 700 1100; do "
                            "qpdf --show-object=3 --raw-stream-data p-$i.pdf | md5sum; "
                            "done | sort -u | wc -l", dir), 0);
  assert_int_equal(atoi(out), 1);
  free(out);
}

/* A write that fails (file size limit) leaves nothing at all. */
static void test_split_write_fails(void **state) {
  char dir[256];
  make_dir(dir, sizeof dir, "full");
  vc_diag_t *d = vc_diag_create();
  vc_pdf_t *p = make_doc(4, d);
  vc_pdf_files_t *f = vc_pdf_files_open(dir, false, d);
  test_fsize_t fsize;
  test_fsize_limit(&fsize, 4096);
  bool ok = vc_pdf_split(p, file_names(4), 4, f);
  test_fsize_restore(&fsize);
  assert_false(ok);
  expect_diag_st(d, VC_E_IO, "cannot write p-1.pdf");
  vc_pdf_files_free(f);
  expect_listing(dir, "");
  vc_pdf_free(p);
  vc_diag_free(d);
}

/* The directory removed before the files are written, or before the
 * commit; a directory that does not exist. */
static void test_split_dir_removed(void **state) {
  char dir[256], path[512];
  make_dir(dir, sizeof dir, "gone");
  vc_diag_t *d = vc_diag_create();
  vc_pdf_t *p = make_doc(3, d);
  vc_pdf_files_t *f = vc_pdf_files_open(dir, false, d);
  assert_int_equal(rmdir(dir), 0);
  assert_false(vc_pdf_split(p, file_names(3), 3, f));
  expect_diag_st(d, VC_E_IO, "cannot create p-1.pdf there");
  vc_pdf_files_free(f);
  vc_pdf_free(p);

  /* removed before the commit: nameless files (a few) and files in the
   * hidden folder (past 32) cannot be put on disk */
  static const struct { long n; const char *why; } when[] = {
      {3, "cannot put the files on disk"}, {40, "cannot put the files on disk"}};
  for (int k = 0; k < 2; k++) {
    assert_int_equal(mkdir(dir, 0777), 0);
    p = make_doc(when[k].n, d);
    f = vc_pdf_files_open(dir, false, d);
    assert_true(vc_pdf_split(p, file_names(when[k].n), when[k].n, f));
    char *out;
    sh(&out, "rm -rf '%s'", dir);
    free(out);
    assert_false(vc_pdf_files_commit(f, d));
    expect_diag_st(d, VC_E_IO, when[k].why);
    vc_pdf_files_free(f);
    vc_pdf_free(p);
    struct stat st;
    assert_int_not_equal(stat(dir, &st), 0);
  }

  snprintf(path, sizeof path, "%s/no/such/dir", test_dir);
  assert_null(vc_pdf_files_open(path, false, d));
  expect_diag_st(d, VC_E_IO, "cannot open the folder");
  snprintf(path, sizeof path, "%s/no", test_dir);
  struct stat st;
  assert_int_not_equal(stat(path, &st), 0);
  vc_diag_free(d);
}

/* A final name taken meanwhile: never replaced without overwrite (and the
 * files already renamed are taken back); replaced with it. */
static void test_split_existing(void **state) {
  char dir[256], path[512];
  make_dir(dir, sizeof dir, "exist");
  snprintf(path, sizeof path, "%s/p-2.pdf", dir);
  FILE *fp = fopen(path, "w");
  fputs("signed copy", fp);
  fclose(fp);
  vc_diag_t *d = vc_diag_create();
  vc_pdf_t *p = make_doc(3, d);
  vc_pdf_files_t *f = vc_pdf_files_open(dir, false, d);
  assert_true(vc_pdf_split(p, file_names(3), 3, f));
  assert_false(vc_pdf_files_commit(f, d));
  expect_diag_st(d, VC_E_INPUT, "cannot give p-2.pdf its name");
  vc_pdf_files_free(f);
  expect_listing(dir, "p-2.pdf ");
  char buf[32] = {0};
  fp = fopen(path, "r");
  assert_non_null(fgets(buf, sizeof buf, fp));
  fclose(fp);
  assert_string_equal(buf, "signed copy");

  f = vc_pdf_files_open(dir, true, d);
  assert_true(vc_pdf_split(p, file_names(3), 3, f)); /* again: same files */
  assert_true(vc_pdf_files_commit(f, d));
  expect_no_diag(d);
  vc_pdf_files_free(f);
  expect_listing(dir, "p-1.pdf p-2.pdf p-3.pdf ");
  check_file(path, 2, "Đinh Văn Đức\nSố 2 - Giấy khen\n");
  vc_pdf_free(p);
  vc_diag_free(d);
}

static void test_split_misuse(void **state) {
  char dir[256];
  make_dir(dir, sizeof dir, "misuse");
  vc_diag_t *d = vc_diag_create();
  vc_pdf_t *p = make_doc(2, d);
  vc_pdf_files_t *f = vc_pdf_files_open(dir, false, d);
  assert_false(vc_pdf_split(p, file_names(3), 3, f));
  expect_diag_st(d, VC_E_INTERNAL, "3 names for 2 pages");
  static const char *const bad[] = {"ok.pdf", "a/b.pdf"};
  assert_false(vc_pdf_split(p, bad, 2, f));
  expect_diag_st(d, VC_E_INTERNAL, "bad file name");
  vc_pdf_files_free(f);
  expect_listing(dir, "");
  /* no more drawing after a split */
  assert_false(vc_pdf_page(p, 100, 100));
  expect_diag_st(d, VC_E_INTERNAL, "after it was saved");
  vc_pdf_free(p);
  vc_diag_free(d);
}

static int setup(void **state) {
  if (test_dir_make("test_split") != 0) return -1;
  test_repo_file(g_root, sizeof g_root, "");
  snprintf(g_serif, sizeof g_serif, "%sfonts/NotoSerif/NotoSerif-Regular.ttf", g_root);
  snprintf(g_sans, sizeof g_sans, "%sfonts/NotoSans/NotoSans-Bold.ttf", g_root);
  char assets[128];
  snprintf(assets, sizeof assets, "%s/assets", test_dir);
  if (mkdir(assets, 0777) != 0) return -1;
  snprintf(g_rgba, sizeof g_rgba, "%s/rgba.png", assets);
  snprintf(g_rgb, sizeof g_rgb, "%s/rgb.png", assets);
  write_png(g_rgba, 24, 24, 6);
  write_png(g_rgb, 40, 30, 2);
  char tool[1100];
  snprintf(tool, sizeof tool, "%stests/tools/pdf_glyphs.py", g_root);
  return access(tool, R_OK) == 0 && access(g_serif, R_OK) == 0 &&
                 access(g_sans, R_OK) == 0
             ? 0
             : -1;
}

int main(void) {
  setlocale(LC_ALL, ""); /* the fr_FR run must reach the code under test */
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_split_files),
      cmocka_unit_test(test_split_many),
      cmocka_unit_test(test_split_write_fails),
      cmocka_unit_test(test_split_dir_removed),
      cmocka_unit_test(test_split_existing),
      cmocka_unit_test(test_split_misuse),
  };
  return cmocka_run_group_tests(tests, setup, test_dir_teardown);
}
