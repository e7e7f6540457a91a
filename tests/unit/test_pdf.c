/*
 * test_pdf.c - the PDF writer, checked from outside: the files it writes go
 * through tests/tools/pdf_glyphs.py (every glyph drawn is in the embedded
 * subset, composites complete), pdftotext (exact text), poppler's stderr
 * (no warning at all), qpdf --check.  Run again under LC_ALL=fr_FR.UTF-8.
 */
#include "testutil.h"
#include "testpng.h"

#include <dirent.h>
#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "render/pdf.h"

static char g_tool[1024];   /* tests/tools/pdf_glyphs.py */

/* ---- helpers ---------------------------------------------------------------- */

static void path_in(char *buf, size_t cap, const char *name) {
  snprintf(buf, cap, "%s/%s", test_dir, name);
}

static bool file_exists(const char *p) {
  struct stat st;
  return stat(p, &st) == 0;
}

/* The checks every PDF written here must pass; fonts = how many embedded
 * TrueType fonts pdf_glyphs.py must have checked. */
static void check_pdf(const char *pdf, int fonts) {
  char *out, want[64];
  int rc = sh(&out, "/usr/bin/python3 '%s' '%s' 2>&1", g_tool, pdf);
  if (rc != 0) fail_msg("pdf_glyphs.py failed:\n%s", out);
  snprintf(want, sizeof want, " %d embedded TrueType fonts checked", fonts);
  if (!strstr(out, want)) fail_msg("pdf_glyphs.py: expected%s:\n%s", want, out);
  free(out);
  /* poppler must stay silent: no syntax warning of any kind */
  rc = sh(&out, "pdftotext '%s' /dev/null 2>&1; pdffonts '%s' 2>&1 >/dev/null;"
                " pdftoppm -r 20 '%s' 2>&1 >/dev/null",
          pdf, pdf, pdf);
  if (out[0]) fail_msg("poppler complained about %s:\n%s", pdf, out);
  free(out);
  rc = sh(&out, "qpdf --check '%s' 2>&1", pdf);
  if (rc != 0 || !strstr(out, "No syntax or stream encoding errors"))
    fail_msg("qpdf --check %s:\n%s", pdf, out);
  free(out);
}

/* Non-empty lines of pdftotext's output, joined with '\n'. */
static char *extract_text(const char *pdf) {
  char *out;
  assert_int_equal(sh(&out, "pdftotext -enc UTF-8 '%s' - | grep -v '^[[:space:]]*$'",
                      pdf), 0);
  return out;
}

/* ---- Vietnamese text in each font ---------------------------------------- */

static const char *const VI[] = {"Nguyễn Thị Thu Thảo", "NGUYỄN VĂN ẪN",
                                 "Trường Ự ự Ẫ ẫ Ỡ ỡ"};
static const char VI_JOINED[] =
    "Nguyễn Thị Thu Thảo\nNGUYỄN VĂN ẪN\nTrường Ự ự Ẫ ẫ Ỡ ỡ\n";

typedef struct font_case {
  const char *label, *path;
} font_case_t;

static font_case_t F_DEJAVU = {"DejaVuSans",
                               "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"};
static font_case_t F_DEJAVU_SB = {
    "DejaVuSerifBold", "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf"};
static font_case_t F_NOTO = {
    "NotoSerif", "/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf"};
static font_case_t F_LATO = {"Lato",
                             "/usr/share/fonts/truetype/lato/Lato-Regular.ttf"};
/* Debian 12's fonts-ebgaramond ships CFF .otf only; the TrueType build
 * scripts/deps.sh test fetches is used (the same file on every machine,
 * whatever else is installed). */
static font_case_t F_GARAMOND = {"EBGaramond", NULL};

static const char *find_garamond_ttf(void) {
  const char *f = ".cache/test-fonts/EBGaramond-Regular.ttf";
  return access(f, R_OK) == 0 ? f : NULL;
}

/* Writes the three Vietnamese lines in font, one page; returns the file. */
static void write_vi(const char *font, const char *name, bool repairs,
                     char *out, size_t cap) {
  vc_diag_t *d = vc_diag_create();
  vc_pdf_t *p = vc_pdf_create("Giấy khen", d);
  assert_non_null(p);
  vc_pdf_set_repairs(p, repairs);
  int f = vc_pdf_font(p, font, 0);
  assert_true(f >= 0);
  assert_true(vc_pdf_page(p, 595.28, 841.89));
  for (int i = 0; i < 3; i++)
    assert_true(vc_pdf_text(p, f, 24, 0.1, 0.1, 0.4, 60, 700 - 80 * i, VI[i],
                            strlen(VI[i])));
  path_in(out, cap, name);
  assert_true(vc_pdf_save_file(p, out));
  expect_no_diag(d);
  vc_pdf_free(p);
  vc_diag_free(d);
}

static void test_vietnamese_font(void **state) {
  font_case_t *fc = *state;
  const char *font = fc->path ? fc->path : find_garamond_ttf();
  if (!font) skip();
  char pdf[256], name[64];
  snprintf(name, sizeof name, "vi-%s.pdf", fc->label);
  write_vi(font, name, true, pdf, sizeof pdf);
  check_pdf(pdf, 1);
  char *text = extract_text(pdf);
  assert_string_equal(text, VI_JOINED);
  free(text);
}

/* Without the repairs the defects show, and the checks catch them: proof
 * that both the repairs and the checker work. */
static void test_without_repairs_defects_show(void **state) {
  char pdf[256], *out;
  write_vi(F_DEJAVU.path, "norepair.pdf", false, pdf, sizeof pdf);
  assert_int_equal(sh(&out, "/usr/bin/python3 '%s' '%s' 2>&1", g_tool, pdf), 1);
  assert_non_null(strstr(out, "component missing from the subset"));
  assert_non_null(strstr(out, "U+1EAA"));
  free(out);
  sh(&out, "pdftotext '%s' /dev/null 2>&1", pdf);
  assert_non_null(strstr(out, "begincidrange"));
  free(out);
}

/* Several fonts on one page and on several pages, each with its own map. */
static void test_mixed_fonts(void **state) {
  vc_diag_t *d = vc_diag_create();
  vc_pdf_t *p = vc_pdf_create(NULL, d);
  const char *paths[] = {F_DEJAVU.path, F_DEJAVU_SB.path, F_NOTO.path,
                         F_LATO.path};
  int h[4];
  for (int i = 0; i < 4; i++) {
    h[i] = vc_pdf_font(p, paths[i], 0);
    assert_true(h[i] >= 0);
  }
  assert_int_equal(vc_pdf_font(p, F_DEJAVU.path, 0), h[0]); /* cached */
  for (int pg = 0; pg < 3; pg++) {
    assert_true(vc_pdf_page(p, 400, 300));
    for (int i = 0; i < 4; i++) {
      const char *s = VI[(i + pg) % 3];
      assert_true(vc_pdf_text(p, h[i], 12, 0, 0, 0, 20, 250 - 50 * i, s,
                              strlen(s)));
    }
  }
  char pdf[256];
  path_in(pdf, sizeof pdf, "mixed.pdf");
  assert_true(vc_pdf_save_file(p, pdf));
  expect_no_diag(d);
  vc_pdf_free(p);
  vc_diag_free(d);
  check_pdf(pdf, 4);
}

static void test_otf_refused_document_usable(void **state) {
  vc_diag_t *d = vc_diag_create();
  vc_pdf_t *p = vc_pdf_create(NULL, d);
  assert_int_equal(
      vc_pdf_font(p, "/usr/share/fonts/opentype/ebgaramond/EBGaramond12-Regular.otf",
                  0),
      -1);
  expect_diag_st(d, VC_E_FONT, "TrueType (.ttf)");
  assert_int_equal(vc_pdf_font(p, "/nonexistent/font.ttf", 0), -1);
  expect_diag_st(d, VC_E_FONT, "cannot open font");
  assert_int_equal(vc_pdf_font(p, F_DEJAVU.path, 2), -1);
  expect_diag_st(d, VC_E_FONT, "face index 2");
  int f = vc_pdf_font(p, F_DEJAVU.path, 0);
  assert_true(f >= 0);
  assert_true(vc_pdf_page(p, 200, 100));
  assert_true(vc_pdf_text(p, f, 20, 0, 0, 0, 10, 40, "Ẫn", strlen("Ẫn")));
  char pdf[256];
  path_in(pdf, sizeof pdf, "after-otf.pdf");
  assert_true(vc_pdf_save_file(p, pdf));
  expect_no_diag(d);
  vc_pdf_free(p);
  vc_diag_free(d);
  check_pdf(pdf, 1);
}

/* Fonts libharu itself refuses (damaged, same name as one loaded, no such
 * face in a collection) leave the document usable; a collection works. */
static void test_font_failures_and_collection(void **state) {
  size_t len;
  unsigned char *ttf = slurp(F_DEJAVU.path, &len);
  char cut[256], copy[256], ttc[256], pdf[256];
  path_in(cut, sizeof cut, "cut.ttf");
  path_in(copy, sizeof copy, "copy.ttf");
  path_in(ttc, sizeof ttc, "one.ttc");
  FILE *f = fopen(cut, "wb");
  fwrite(ttf, 1, 5000, f); /* tables point past the end */
  fclose(f);
  f = fopen(copy, "wb");
  fwrite(ttf, 1, len, f);
  fclose(f);
  /* a collection of one: header, then the font with its table offsets
   * moved by the header's 16 bytes */
  unsigned ntab = (unsigned)(ttf[4] << 8 | ttf[5]);
  for (unsigned i = 0; i < ntab; i++) {
    unsigned char *o = ttf + 12 + 16 * i + 8;
    uint32_t v = (uint32_t)o[0] << 24 | o[1] << 16 | o[2] << 8 | o[3];
    v += 16;
    o[0] = v >> 24, o[1] = v >> 16, o[2] = v >> 8, o[3] = v;
  }
  f = fopen(ttc, "wb");
  fwrite("ttcf\0\1\0\0\0\0\0\1\0\0\0\x10", 1, 16, f);
  fwrite(ttf, 1, len, f);
  fclose(f);
  free(ttf);

  vc_diag_t *d = vc_diag_create();
  vc_pdf_t *p = vc_pdf_create(NULL, d);
  assert_int_equal(vc_pdf_font(p, cut, 0), -1);
  expect_diag_st(d, VC_E_PDF, "loading font");
  assert_int_equal(vc_pdf_font(p, ttc, 1), -1);
  expect_diag_st(d, VC_E_PDF, "no such face");
  int a = vc_pdf_font(p, ttc, 0);
  assert_true(a >= 0);
  /* same PostScript name: libharu hands back the first font */
  int c = vc_pdf_font(p, copy, 0);
  assert_true(c >= 0 && c != a);
  int b = vc_pdf_font(p, F_LATO.path, 0);
  assert_true(b >= 0);
  assert_true(vc_pdf_page(p, 300, 300));
  assert_true(vc_pdf_text(p, a, 14, 0, 0, 0, 10, 250, VI[1], strlen(VI[1])));
  assert_true(vc_pdf_text(p, b, 14, 0, 0, 0, 10, 50, VI[2], strlen(VI[2])));
  assert_true(vc_pdf_text(p, c, 14, 0, 0, 0, 10, 150, "Ỡ ợ Thảo",
                          strlen("Ỡ ợ Thảo")));
  path_in(pdf, sizeof pdf, "collection.pdf");
  assert_true(vc_pdf_save_file(p, pdf));
  expect_no_diag(d);
  vc_pdf_free(p);
  vc_diag_free(d);
  check_pdf(pdf, 2);
  char *text = extract_text(pdf);
  assert_string_equal(text, "NGUYỄN VĂN ẪN\nỠ ợ Thảo\nTrường Ự ự Ẫ ẫ Ỡ ỡ\n");
  free(text);
}

/* Bad text is refused with a diag, nothing drawn, the document usable. */
static void test_text_errors(void **state) {
  vc_diag_t *d = vc_diag_create();
  vc_pdf_t *p = vc_pdf_create(NULL, d);
  int f = vc_pdf_font(p, F_LATO.path, 0);
  assert_false(vc_pdf_text(p, f, 12, 0, 0, 0, 10, 10, "A", 1));
  expect_diag_st(d, VC_E_INTERNAL, "before any page");
  assert_true(vc_pdf_page(p, 300, 200));
  assert_false(vc_pdf_text(p, f, 12, 0, 0, 0, 10, 10, "a\xC3(b", 4));
  expect_diag_st(d, VC_E_INTERNAL, "invalid UTF-8 at byte 1");
  assert_false(vc_pdf_text(p, f, 12, 0, 0, 0, 10, 10, "\xF0\x9F\x98\x80", 4));
  expect_diag_st(d, VC_E_INTERNAL, "beyond U+FFFF");
  assert_false(vc_pdf_text(p, f, 12, 0, 0, 0, 10, 10, "a\tb", 3));
  expect_diag_st(d, VC_E_INTERNAL, "control character");
  assert_false(vc_pdf_text(p, f, 12, 0, 0, 0, 10, 10, "Tên 中", strlen("Tên 中")));
  expect_diag_st(d, VC_E_FONT, "no glyph for U+4E2D");
  assert_false(vc_pdf_text(p, 7, 12, 0, 0, 0, 10, 10, "a", 1));
  expect_diag_st(d, VC_E_INTERNAL, "bad font handle");
  assert_false(vc_pdf_text(p, f, 12, 0, 0, 0, 1.0 / 0.0, 10, "a", 1));
  expect_diag_st(d, VC_E_INTERNAL, "not a number");
  assert_false(vc_pdf_page(p, 2, 100));
  expect_diag_st(d, VC_E_INPUT, "page size");
  /* n shorter than the string: only n bytes drawn */
  assert_true(vc_pdf_text(p, f, 12, 0, 0, 0, 10, 100, "Ẫn và", 4));
  assert_true(vc_pdf_text(p, f, 12, 0, 0, 0, 10, 10, "", 0));
  char pdf[256];
  path_in(pdf, sizeof pdf, "text-errors.pdf");
  assert_true(vc_pdf_save_file(p, pdf));
  expect_no_diag(d);
  assert_false(vc_pdf_page(p, 300, 200));
  expect_diag_st(d, VC_E_INTERNAL, "after it was saved");
  vc_pdf_free(p);
  vc_diag_free(d);
  check_pdf(pdf, 1);
  char *text = extract_text(pdf);
  assert_string_equal(text, "Ẫn\n");
  free(text);
}

/* ---- shapes ---------------------------------------------------------------- */

/* Grey value of pixel (x, y) (y from the top) of a 72 dpi rendering. */
static int pixel(const char *pgm, int x, int y) {
  FILE *f = fopen(pgm, "rb");
  assert_non_null(f);
  int w, h, max;
  assert_int_equal(fscanf(f, "P5 %d %d %d", &w, &h, &max), 3);
  fgetc(f);
  assert_true(x < w && y < h);
  fseek(f, (long)y * w + x, SEEK_CUR);
  int v = fgetc(f);
  fclose(f);
  return v;
}

static void test_shapes(void **state) {
  vc_diag_t *d = vc_diag_create();
  vc_pdf_t *p = vc_pdf_create(NULL, d);
  assert_true(vc_pdf_page(p, 200, 200));
  vc_pdf_style_t fill = {.fill = true, .fr = 0, .fg = 0, .fb = 0};
  vc_pdf_style_t both = {.stroke = true, .fill = true, .sr = 1, .fr = 0.2,
                         .fg = 0.2, .fb = 0.2, .width = 2};
  vc_pdf_style_t dashed = {.stroke = true, .sb = 1, .width = 0.75, .dash = 3};
  vc_pdf_style_t none = {0};
  assert_true(vc_pdf_rect(p, &fill, 10, 10, 40, 40, 0));          /* square */
  assert_true(vc_pdf_rect(p, &fill, 100, 100, 80, 80, 30));       /* rounded */
  assert_true(vc_pdf_ellipse(p, &both, 10, 120, 60, 40));
  assert_true(vc_pdf_line(p, &dashed, 10, 80, 190, 80));
  assert_true(vc_pdf_rect(p, &none, 0, 0, 10, 10, 0));
  assert_true(vc_pdf_rect(p, &fill, 60, 10, -5, 5, 99)); /* normalised */
  assert_false(vc_pdf_line(p, &(vc_pdf_style_t){.stroke = true, .width = 101},
                           0, 0, 1, 1));
  expect_diag_st(d, VC_E_INPUT, "line width");
  char pdf[256], pgm[256];
  path_in(pdf, sizeof pdf, "shapes.pdf");
  assert_true(vc_pdf_save_file(p, pdf));
  expect_no_diag(d);
  vc_pdf_free(p);
  vc_diag_free(d);
  check_pdf(pdf, 0);
  path_in(pgm, sizeof pgm, "shapes");
  assert_int_equal(sh(NULL, "pdftoppm -r 72 -gray -singlefile '%s' '%s'", pdf, pgm), 0);
  strcat(pgm, ".pgm");
  assert_true(pixel(pgm, 30, 170) < 50);   /* inside the square */
  assert_true(pixel(pgm, 60, 140) > 200);  /* outside it */
  assert_true(pixel(pgm, 140, 60) < 50);   /* middle of the rounded one */
  assert_true(pixel(pgm, 102, 98) > 200);  /* its cut-off corner */
  assert_true(pixel(pgm, 140, 98) < 50);   /* its straight top edge */
}

/* A version 40 symbol's worth of modules (177 a side: thousands of
 * rectangles, more than one buffer of the direct writer): a solid 10x10
 * block in the top-left corner, a light ring around it, a checkerboard
 * elsewhere.  The content stream holds the rectangles in module units, the
 * first written by libharu and the others in the same form, one fill; the
 * rendering has every module where it belongs; a shape drawn afterwards
 * still works (the graphics mode is libharu's again); 178 is refused. */
static int qr_dark(int r, int c) {
  if (r < 10 && c < 10) return 1;
  if ((r == 10 && c <= 10) || (c == 10 && r <= 10)) return 0;
  return (r + c) % 2;
}

static void test_qr_modules(void **state) {
  (void)state;
  enum { W = VC_PDF_MODULES_MAX };
  static unsigned char dark[W * W];
  for (int r = 0; r < W; r++)
    for (int c = 0; c < W; c++) dark[r * W + c] = (unsigned char)qr_dark(r, c);
  vc_diag_t *d = vc_diag_create();
  vc_pdf_t *p = vc_pdf_create(NULL, d);
  assert_true(vc_pdf_page(p, 540, 540));
  assert_true(vc_pdf_modules(p, dark, W, 3, 3, 3));
  vc_pdf_style_t red = {.fill = true, .fr = 1};
  assert_true(vc_pdf_rect(p, &red, 535, 535, 5, 5, 0));
  assert_false(vc_pdf_modules(p, dark, W + 1, 3, 3, 1));
  expect_diag_st(d, VC_E_INTERNAL, "178 modules");
  char pdf[256], qdf[256], pgm[256];
  path_in(pdf, sizeof pdf, "modules.pdf");
  assert_true(vc_pdf_save_file(p, pdf));
  expect_no_diag(d);
  vc_pdf_free(p);
  vc_diag_free(d);
  check_pdf(pdf, 0);

  path_in(qdf, sizeof qdf, "modules.qdf");
  assert_int_equal(sh(NULL, "qpdf --qdf --object-streams=disable '%s' '%s'", pdf, qdf), 0);
  char *out;
  assert_int_equal(sh(&out, "grep -c ' re$' '%s'", qdf), 0);
  long n = strtol(out, NULL, 10);
  free(out);
  /* the block, the checkerboard's single modules one each, the red square */
  long want = 2;
  for (int r = 0; r < W; r++)
    for (int c = 0; c < W; c++) want += (r >= 10 || c >= 10) && dark[r * W + c];
  assert_int_equal(n, want);
  assert_int_equal(sh(&out, "tr '\\n' '|' < '%s'", qdf), 0);
  assert_non_null(strstr(out, "0 167 10 10 re|11 176 1 1 re|13 176 1 1 re|"));
  assert_non_null(strstr(out, "175 0 1 1 re|f|Q|"));
  free(out);

  path_in(pgm, sizeof pgm, "modules");
  assert_int_equal(sh(NULL, "pdftoppm -r 72 -gray -singlefile '%s' '%s'", pdf, pgm), 0);
  strcat(pgm, ".pgm");
  /* module (r, c) spans x 3+3c..6+3c and, from the top, y 6+3r..9+3r */
  for (int r = 0; r < W; r += 7)
    for (int c = 0; c < W; c += 5) {
      int v = pixel(pgm, 4 + 3 * c, 7 + 3 * r);
      if (dark[r * W + c] ? v > 50 : v < 200)
        fail_msg("module (%d, %d): grey %d", r, c, v);
    }
  assert_true(pixel(pgm, 537, 2) > 50 && pixel(pgm, 537, 2) < 200); /* red, in grey */
}

/* ---- scale -------------------------------------------------------------------- */

static void test_40000_pages(void **state) {
  vc_diag_t *d = vc_diag_create();
  vc_pdf_t *p = vc_pdf_create(NULL, d);
  assert_true(vc_pdf_set_compression(p, false));
  for (long i = 0; i < 40000; i++)
    if (!vc_pdf_page(p, 3, 3)) fail_msg("page %ld failed", i + 1);
  assert_int_equal(vc_pdf_page_count(p), 40000);
  assert_false(vc_pdf_set_compression(p, true)); /* too late */
  expect_diag_st(d, VC_E_INTERNAL, "after the first page");
  char pdf[256], *out;
  path_in(pdf, sizeof pdf, "40000.pdf");
  assert_true(vc_pdf_save_file(p, pdf));
  expect_no_diag(d);
  vc_pdf_free(p);
  vc_diag_free(d);
  assert_int_equal(sh(&out, "pdfinfo '%s' 2>&1 | sed -n 's/^Pages: *//p'", pdf), 0);
  assert_string_equal(out, "40000\n");
  free(out);
  assert_int_equal(sh(&out, "qpdf --show-npages '%s' 2>&1", pdf), 0);
  assert_string_equal(out, "40000\n");
  free(out);
}

/* ---- saving ------------------------------------------------------------------- */

/* A small document with one line of text. */
static vc_pdf_t *small_doc(vc_diag_t *d) {
  vc_pdf_t *p = vc_pdf_create("Thử", d);
  int f = vc_pdf_font(p, F_NOTO.path, 0);
  assert_true(f >= 0);
  assert_true(vc_pdf_page(p, 300, 100));
  assert_true(vc_pdf_text(p, f, 14, 0, 0, 0, 10, 50, VI[0], strlen(VI[0])));
  return p;
}

static int count_entries(const char *prefix) {
  DIR *dir = opendir(test_dir);
  assert_non_null(dir);
  int n = 0;
  struct dirent *e;
  while ((e = readdir(dir)))
    if (!strncmp(e->d_name, prefix, strlen(prefix))) n++;
  closedir(dir);
  return n;
}

static void test_save_missing_dir(void **state) {
  vc_diag_t *d = vc_diag_create();
  vc_pdf_t *p = small_doc(d);
  char pdf[256];
  path_in(pdf, sizeof pdf, "no-such-dir/out.pdf");
  assert_false(vc_pdf_save_file(p, pdf));
  expect_diag_st(d, VC_E_IO, "cannot write there");
  assert_false(file_exists(pdf));
  assert_false(vc_pdf_save_file(p, ""));
  expect_diag_st(d, VC_E_IO, "no file name");
  vc_pdf_free(p);
  vc_diag_free(d);
}

/* A write that fails half-way (file size limit) leaves the old file and no
 * temporary file. */
static void test_failed_save_keeps_old_file(void **state) {
  char pdf[256];
  path_in(pdf, sizeof pdf, "keep.pdf");
  FILE *f = fopen(pdf, "w");
  fputs("OLD CONTENT", f);
  fclose(f);
  vc_diag_t *d = vc_diag_create();
  vc_pdf_t *p = small_doc(d);
  test_fsize_t fsize;
  test_fsize_limit(&fsize, 4096);
  bool saved = vc_pdf_save_file(p, pdf);
  test_fsize_restore(&fsize);
  assert_false(saved);
  expect_diag_st(d, VC_E_IO, "cannot write the PDF file");
  char buf[64] = {0};
  f = fopen(pdf, "r");
  assert_non_null(fgets(buf, sizeof buf, f));
  fclose(f);
  assert_string_equal(buf, "OLD CONTENT");
  assert_int_equal(count_entries(".keep.pdf."), 0);
  /* the same document saves fine afterwards, over the old file */
  assert_true(vc_pdf_save_file(p, pdf));
  expect_no_diag(d);
  assert_int_equal(count_entries(".keep.pdf."), 0);
  vc_pdf_free(p);
  vc_diag_free(d);
  check_pdf(pdf, 1);
}

static void test_save_mem(void **state) {
  vc_diag_t *d = vc_diag_create();
  vc_pdf_t *p = small_doc(d);
  unsigned char *buf;
  size_t len;
  assert_true(vc_pdf_save_mem(p, &buf, &len));
  assert_true(len > 1000);
  assert_memory_equal(buf, "%PDF-1.", 7);
  assert_memory_equal(buf + len - 6, "%%EOF\n", 6);
  char pdf[256], pdf2[256];
  path_in(pdf, sizeof pdf, "mem.pdf");
  FILE *f = fopen(pdf, "wb");
  assert_int_equal(fwrite(buf, 1, len, f), len);
  fclose(f);
  /* saving again gives the same document */
  path_in(pdf2, sizeof pdf2, "mem2.pdf");
  assert_true(vc_pdf_save_file(p, pdf2));
  struct stat st;
  assert_int_equal(stat(pdf2, &st), 0);
  assert_int_equal((size_t)st.st_size, len);
  free(buf);
  expect_no_diag(d);
  vc_pdf_free(p);
  vc_diag_free(d);
  check_pdf(pdf, 1);
  char *text = extract_text(pdf), *title;
  assert_string_equal(text, "Nguyễn Thị Thu Thảo\n");
  free(text);
  assert_int_equal(sh(&title, "pdfinfo '%s' | sed -n 's/^Title: *//p'", pdf), 0);
  assert_string_equal(title, "Thử\n");
  free(title);
}

/* Numbers in the PDF have dots whatever the locale (fr_FR run). */
static void test_numbers_locale_free(void **state) {
  const char *lc = getenv("LC_ALL");
  if (lc && !strncmp(lc, "fr_FR", 5)) /* the run is really decimal-comma */
    assert_string_equal(localeconv()->decimal_point, ",");
  vc_diag_t *d = vc_diag_create();
  vc_pdf_t *p = vc_pdf_create(NULL, d);
  assert_true(vc_pdf_set_compression(p, false));
  int f = vc_pdf_font(p, F_DEJAVU.path, 0);
  assert_true(vc_pdf_page(p, 300.5, 200.25));
  assert_true(vc_pdf_text(p, f, 10.5, 0.5, 0.25, 0, 10.5, 20.25, "Số 1,5", strlen("Số 1,5")));
  vc_pdf_style_t st = {.stroke = true, .width = 0.75};
  assert_true(vc_pdf_line(p, &st, 1.5, 2.5, 100.5, 2.5));
  char pdf[256], *out;
  path_in(pdf, sizeof pdf, "numbers.pdf");
  assert_true(vc_pdf_save_file(p, pdf));
  expect_no_diag(d);
  vc_pdf_free(p);
  vc_diag_free(d);
  assert_int_equal(sh(&out, "grep -a -c -e '^10.5 20.25 Td$' -e '^0.75 w$' "
                            "-e '^/F1 10.5 Tf$' -e '^0.5 0.25 0 rg$' "
                            "-e '300.5 200.25 \\]' '%s'", pdf), 0);
  assert_string_equal(out, "5\n");
  free(out);
  /* no number with a decimal comma anywhere in the page content */
  assert_int_equal(sh(&out, "grep -a -c -E '[0-9],[0-9]+ (Td|w|Tf|rg|m|l)$' '%s'",
                      pdf), 1);
  assert_string_equal(out, "0\n");
  free(out);
  check_pdf(pdf, 1);
}

/* ---- images ------------------------------------------------------------------- */

/* A baseline grey JPEG of w x h (multiples of 8), all mid-grey: one DC and
 * one AC Huffman code of one bit each, every block "DC diff 0, EOB". */
static void write_jpeg(const char *path, unsigned w, unsigned h, int sof) {
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  static const unsigned char head[] = {0xFF, 0xD8, 0xFF, 0xDB, 0, 67, 0};
  fwrite(head, 1, sizeof head, f);
  for (int i = 0; i < 64; i++) fputc(1, f);
  unsigned char sofm[] = {0xFF, (unsigned char)sof, 0, 11, 8, h >> 8, h, w >> 8,
                          w, 1, 1, 0x11, 0};
  fwrite(sofm, 1, sizeof sofm, f);
  for (int t = 0; t < 2; t++) { /* DC then AC table: one code '0' -> 0x00 */
    unsigned char dht[22] = {0xFF, 0xC4, 0, 20, (unsigned char)(t << 4), 1};
    fwrite(dht, 1, sizeof dht, f);
  }
  static const unsigned char sos[] = {0xFF, 0xDA, 0, 8, 1, 1, 0, 0, 63, 0};
  fwrite(sos, 1, sizeof sos, f);
  unsigned blocks = (w / 8) * (h / 8), bits = 2 * blocks;
  for (unsigned i = 0; i < bits / 8; i++) fputc(0, f);
  if (bits % 8) fputc(0xFF >> (bits % 8), f);
  fputc(0xFF, f);
  fputc(0xD9, f);
  fclose(f);
}

static void test_images_stored_once(void **state) {
  char png[256], rgba[256], jpg[256], pdf[256], *out;
  path_in(png, sizeof png, "rgb.png");
  path_in(rgba, sizeof rgba, "rgba.png");
  path_in(jpg, sizeof jpg, "grey.jpg");
  testpng_gradient(png, 40, 30, 8, 2, false);
  testpng_gradient(rgba, 20, 20, 8, 6, false);
  write_jpeg(jpg, 16, 8, 0xC0);
  vc_diag_t *d = vc_diag_create();
  vc_pdf_t *p = vc_pdf_create(NULL, d);
  double w, h;
  assert_true(vc_pdf_image_size(p, jpg, &w, &h));
  assert_true(w == 16 && h == 8);
  for (int i = 0; i < 3; i++) {
    assert_true(vc_pdf_page(p, 200, 200));
    assert_true(vc_pdf_image(p, png, 10, 10, 80, 60));
    assert_true(vc_pdf_image(p, jpg, 100, 10, 64, 32));
    assert_true(vc_pdf_image(p, rgba, 100, 100, 40, 40));
    assert_true(vc_pdf_image(p, png, 10, 100, 40, 30));
  }
  assert_true(vc_pdf_image_size(p, png, &w, &h));
  assert_true(w == 40 && h == 30);
  path_in(pdf, sizeof pdf, "images.pdf");
  assert_true(vc_pdf_save_file(p, pdf));
  expect_no_diag(d);
  vc_pdf_free(p);
  vc_diag_free(d);
  check_pdf(pdf, 0);
  /* three images plus the alpha mask of the RGBA one, whatever the pages */
  assert_int_equal(sh(&out, "qpdf --qdf --object-streams=disable '%s' - | "
                            "grep -a -c '/Subtype /Image'", pdf), 0);
  assert_string_equal(out, "4\n");
  free(out);
  assert_int_equal(sh(&out, "pdfimages -list '%s' | tail -n +3 | wc -l", pdf), 0);
  assert_string_equal(out, "15\n"); /* 3 pages x (4 uses + 1 smask) */
  free(out);
  /* the alpha mask is compressed too (libharu leaves it raw) */
  assert_int_equal(sh(&out, "pdfimages -list '%s' | awk '$3 == \"smask\" && "
                            "$14 != \"100%%\"' | wc -l", pdf), 0);
  assert_string_equal(out, "3\n");
  free(out);
}

static void test_images_refused(void **state) {
  char path[256];
  vc_diag_t *d = vc_diag_create();
  vc_pdf_t *p = vc_pdf_create(NULL, d);
  assert_true(vc_pdf_page(p, 100, 100));
  path_in(path, sizeof path, "deep.png");
  testpng_gradient(path, 8, 8, 16, 2, false);
  assert_false(vc_pdf_image(p, path, 0, 0, 10, 10));
  expect_diag_st(d, VC_E_INPUT, "save it as an 8-bit PNG or as a JPEG");
  assert_false(vc_pdf_image(p, path, 0, 0, 10, 10)); /* said again */
  expect_diag_st(d, VC_E_INPUT, "16 bits");
  double w, h;
  assert_false(vc_pdf_image_size(p, path, &w, &h));
  expect_diag_st(d, VC_E_INPUT, "16 bits");
  path_in(path, sizeof path, "key.png");
  testpng_gradient(path, 8, 8, 8, 2, true);
  assert_false(vc_pdf_image(p, path, 0, 0, 10, 10));
  expect_diag_st(d, VC_E_INPUT, "tRNS");
  path_in(path, sizeof path, "arith.jpg");
  write_jpeg(path, 8, 8, 0xC9);
  assert_false(vc_pdf_image(p, path, 0, 0, 10, 10));
  expect_diag_st(d, VC_E_INPUT, "arithmetic");
  path_in(path, sizeof path, "text.png");
  FILE *f = fopen(path, "w");
  fputs("not an image at all\n", f);
  fclose(f);
  assert_false(vc_pdf_image(p, path, 0, 0, 10, 10));
  expect_diag_st(d, VC_E_INPUT, "unknown file type");
  path_in(path, sizeof path, "huge.png");
  f = fopen(path, "w");
  fputs("\x89PNG\r\n\x1a\n", f);
  assert_int_equal(ftruncate(fileno(f), 33L << 20), 0);
  fclose(f);
  assert_false(vc_pdf_image(p, path, 0, 0, 10, 10));
  expect_diag_st(d, VC_E_LIMIT, "larger than the limit");
  path_in(path, sizeof path, "cut.png"); /* ends before its pixels */
  testpng_gradient(path, 8, 8, 8, 0, false);
  assert_int_equal(truncate(path, 40), 0);
  assert_false(vc_pdf_image(p, path, 0, 0, 10, 10));
  expect_diag_st(d, VC_E_INPUT, "truncated");
  /* damaged pixel data: libharu would make libpng abort the process */
  path_in(path, sizeof path, "crc.png");
  testpng_gradient(path, 30, 30, 8, 2, false);
  f = fopen(path, "r+b");
  fseek(f, -20, SEEK_END); /* inside the IDAT data */
  fputc(0x55, f);
  fclose(f);
  assert_false(vc_pdf_image(p, path, 0, 0, 10, 10));
  expect_diag_st(d, VC_E_INPUT, "damaged PNG file");
  path_in(path, sizeof path, "short.png");
  testpng_gradient(path, 30, 30, 8, 2, false);
  struct stat st;
  assert_int_equal(stat(path, &st), 0);
  assert_int_equal(truncate(path, st.st_size - 30), 0);
  assert_false(vc_pdf_image(p, path, 0, 0, 10, 10));
  expect_diag_st(d, VC_E_INPUT, "damaged PNG file");
  assert_false(vc_pdf_image(p, "/nonexistent.png", 0, 0, 10, 10));
  expect_diag_st(d, VC_E_IO, "cannot open image");
  /* small palette and grey PNGs are fine */
  path_in(path, sizeof path, "pal4.png");
  testpng_gradient(path, 9, 7, 4, 3, false);
  assert_true(vc_pdf_image(p, path, 0, 0, 10, 10));
  path_in(path, sizeof path, "pal8t.png");
  testpng_gradient(path, 9, 7, 8, 3, true);
  assert_true(vc_pdf_image(p, path, 20, 0, 10, 10));
  path_in(path, sizeof path, "pal2t.png"); /* tRNS on any palette */
  testpng_gradient(path, 9, 7, 2, 3, true);
  assert_true(vc_pdf_image(p, path, 30, 0, 10, 10));
  path_in(path, sizeof path, "grey1.png");
  testpng_gradient(path, 9, 7, 1, 0, false);
  assert_true(vc_pdf_image(p, path, 40, 0, 10, 10));
  char pdf[256];
  path_in(pdf, sizeof pdf, "refused.pdf");
  assert_true(vc_pdf_save_file(p, pdf));
  expect_no_diag(d);
  vc_pdf_free(p);
  vc_diag_free(d);
  check_pdf(pdf, 0);
}

/* ---- main ---------------------------------------------------------------------- */

static int setup(void **state) {
  if (test_dir_make("test_pdf") != 0) return -1;
  return test_repo_file(g_tool, sizeof g_tool, "tests/tools/pdf_glyphs.py") ? 0 : -1;
}

int main(void) {
  setlocale(LC_ALL, ""); /* the fr_FR run must reach the code under test */
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_prestate(test_vietnamese_font, &F_DEJAVU),
      cmocka_unit_test_prestate(test_vietnamese_font, &F_DEJAVU_SB),
      cmocka_unit_test_prestate(test_vietnamese_font, &F_NOTO),
      cmocka_unit_test_prestate(test_vietnamese_font, &F_LATO),
      cmocka_unit_test_prestate(test_vietnamese_font, &F_GARAMOND),
      cmocka_unit_test(test_without_repairs_defects_show),
      cmocka_unit_test(test_mixed_fonts),
      cmocka_unit_test(test_otf_refused_document_usable),
      cmocka_unit_test(test_font_failures_and_collection),
      cmocka_unit_test(test_text_errors),
      cmocka_unit_test(test_shapes),
      cmocka_unit_test(test_qr_modules),
      cmocka_unit_test(test_40000_pages),
      cmocka_unit_test(test_save_missing_dir),
      cmocka_unit_test(test_failed_save_keeps_old_file),
      cmocka_unit_test(test_save_mem),
      cmocka_unit_test(test_numbers_locale_free),
      cmocka_unit_test(test_images_stored_once),
      cmocka_unit_test(test_images_refused),
  };
  return cmocka_run_group_tests(tests, setup, test_dir_teardown);
}
