/*
 * test_pdf_stream.c - one PDF written page by page (pdf-stream.c), read back
 * from outside: qpdf --check, pdfinfo, pdftotext of chosen pages, pdffonts,
 * the image objects qpdf sees.  The document crosses libharu's 512-page node
 * of the page tree, uses more different images than a document may hold at
 * once (each written and dropped with its page), and one shared image that
 * must be stored once.  Run again under LC_ALL=fr_FR.UTF-8.
 */
#include "testutil.h"
#include "testpng.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "render/pdf.h"


static const char FONT[] = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";

/* A w x h RGB PNG of one colour (r, g, b): distinct colours give distinct
 * files, so distinct images. */
static void write_png(const char *path, unsigned w, unsigned h, unsigned char r,
                      unsigned char g, unsigned char b) {
  size_t row = 1 + (size_t)w * 3, raw_len = row * h;
  unsigned char *raw = calloc(1, raw_len);
  assert_non_null(raw);
  for (unsigned y = 0; y < h; y++)
    for (unsigned x = 0; x < w; x++) {
      unsigned char *px = raw + y * row + 1 + x * 3;
      px[0] = r, px[1] = g, px[2] = b;
    }
  testpng_write(path, w, h, 8, 2, raw, raw_len, NULL, 0, NULL, 0);
  free(raw);
}

static void photo_path(char *buf, size_t cap, long i) {
  snprintf(buf, cap, "%s/photo-%04ld.png", test_dir, i);
}

#define PAGES 700L
#define PHOTOS 300L /* more than VC_PDF_MAX_IMAGES at once */

/* Page i (0-based): its name, a shared logo, and for i < PHOTOS its own
 * photo. */
static void draw_page(vc_pdf_t *p, int font, long i, const char *logo) {
  char line[96], photo[128];
  assert_true(vc_pdf_page(p, 400, 300));
  int n = snprintf(line, sizeof line, "Trang %ld: Nguyễn Thị Ánh", i + 1);
  assert_true(vc_pdf_text(p, font, 14, 0, 0, 0, 20, 250, line, (size_t)n));
  assert_true(vc_pdf_image(p, logo, 300, 200, 40, 40));
  if (i < PHOTOS) {
    photo_path(photo, sizeof photo, i);
    assert_true(vc_pdf_image(p, photo, 20, 20, 60, 80));
  }
}

static char *page_text(const char *pdf, long page) {
  char *out;
  assert_int_equal(sh(&out, "pdftotext -enc UTF-8 -f %ld -l %ld '%s' - | "
                            "grep -v '^[[:space:]]*$'", page, page, pdf), 0);
  return out;
}

static void test_long_document(void **state) {
  (void)state;
  char logo[128], pdf[128], *out;
  snprintf(logo, sizeof logo, "%s/logo.png", test_dir);
  write_png(logo, 32, 32, 200, 30, 30);
  for (long i = 0; i < PHOTOS; i++) {
    char photo[128];
    photo_path(photo, sizeof photo, i);
    write_png(photo, 12, 16, (unsigned char)(i % 256), (unsigned char)(i / 256), 77);
  }
  snprintf(pdf, sizeof pdf, "%s/long.pdf", test_dir);
  int fd = open(pdf, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  assert_true(fd >= 0);
  vc_diag_t *d = vc_diag_create();
  vc_pdf_t *p = vc_pdf_create("Giấy khen", d);
  int font = vc_pdf_font(p, FONT, 0);
  assert_true(font >= 0);
  vc_pdf_stream_t *s = vc_pdf_stream_open(p, fd);
  assert_non_null(s);
  for (long i = 0; i < PAGES; i++) {
    draw_page(p, font, i, logo);
    /* flush at uneven intervals: 1 page, then 3, 7, ... */
    if (i % 7 == 0 || i % 3 == 0) {
      assert_true(vc_pdf_stream_flush(s));
      if (vc_pdf_images_held(p) > 2)
        fail_msg("page %ld: %zu images still held after a flush", i + 1,
                 vc_pdf_images_held(p));
    }
  }
  assert_true(vc_pdf_stream_close(s));
  expect_no_diag(d);
  unsigned long long bytes = vc_pdf_stream_bytes(s);
  vc_pdf_stream_free(s);
  vc_pdf_free(p);
  vc_diag_free(d);
  assert_int_equal(close(fd), 0);

  struct stat st;
  assert_int_equal(stat(pdf, &st), 0);
  assert_int_equal((unsigned long long)st.st_size, bytes);
  assert_int_equal(sh(&out, "qpdf --check '%s' 2>&1", pdf), 0);
  if (!strstr(out, "No syntax or stream encoding errors")) fail_msg("qpdf: %s", out);
  free(out);
  assert_int_equal(sh(&out, "pdfinfo '%s' 2>&1 | sed -n 's/^Pages: *//p'", pdf), 0);
  assert_string_equal(out, "700\n");
  free(out);
  /* pages on both sides of the 512 boundary keep their own content */
  static const long probe[] = {1, 300, 512, 513, 700};
  for (size_t k = 0; k < sizeof probe / sizeof *probe; k++) {
    char want[96];
    snprintf(want, sizeof want, "Trang %ld: Nguyễn Thị Ánh\n", probe[k]);
    out = page_text(pdf, probe[k]);
    assert_string_equal(out, want);
    free(out);
  }
  /* one embedded subset font, written once at the end */
  assert_int_equal(sh(&out, "pdffonts '%s' | tail -n +3 | awk '{print $(NF-4), $(NF-3)}'",
                      pdf), 0);
  assert_string_equal(out, "yes yes\n");
  free(out);
  /* the logo once and each photo once: PHOTOS + 1 image objects */
  assert_int_equal(sh(&out, "qpdf --qdf --object-streams=disable '%s' - | "
                            "grep -a -c '/Subtype /Image'", pdf), 0);
  char want[32];
  snprintf(want, sizeof want, "%ld\n", PHOTOS + 1);
  assert_string_equal(out, want);
  free(out);
  /* the photo on page 250 is that page's own (its colour: R = 249) */
  assert_int_equal(sh(&out, "cd '%s' && pdfimages -f 250 -l 250 -png long.pdf im && "
                            "python3 -c \"import zlib,sys;d=open('im-001.png','rb').read();"
                            "i=d.index(b'IDAT');print(zlib.decompress(d[i+4:])[1])\"",
                      test_dir), 0);
  assert_string_equal(out, "249\n");
  free(out);
}

/* A write that fails (the disk full) is reported, and nothing claims
 * success. */
static void test_write_fails(void **state) {
  (void)state;
  int fd = open("/dev/full", O_WRONLY);
  if (fd < 0) skip();
  vc_diag_t *d = vc_diag_create();
  vc_pdf_t *p = vc_pdf_create(NULL, d);
  int font = vc_pdf_font(p, FONT, 0);
  assert_true(font >= 0);
  vc_pdf_stream_t *s = vc_pdf_stream_open(p, fd);
  bool ok = s != NULL;
  for (int i = 0; ok && i < 50; i++) {
    assert_true(vc_pdf_page(p, 400, 300));
    assert_true(vc_pdf_text(p, font, 14, 0, 0, 0, 20, 250, "Lực", 4));
    ok = vc_pdf_stream_flush(s);
  }
  if (ok) ok = vc_pdf_stream_close(s);
  assert_false(ok);
  expect_diag_st(d, VC_E_IO, strerror(ENOSPC)); /* the reason, in the locale's words */
  vc_pdf_stream_free(s);
  vc_pdf_free(p);
  vc_diag_free(d);
  close(fd);
}

/* To a pipe (standard output of `-o -`): no position to ask, no seeking;
 * the offsets in the cross-reference table are counted by the writer. */
static void test_through_a_pipe(void **state) {
  (void)state;
  char pdf[128], *out;
  snprintf(pdf, sizeof pdf, "%s/piped.pdf", test_dir);
  char cmd[256];
  snprintf(cmd, sizeof cmd, "cat > '%s'", pdf);
  FILE *pipe = popen(cmd, "w");
  assert_non_null(pipe);
  vc_diag_t *d = vc_diag_create();
  vc_pdf_t *p = vc_pdf_create(NULL, d);
  int font = vc_pdf_font(p, FONT, 0);
  vc_pdf_stream_t *s = vc_pdf_stream_open(p, fileno(pipe));
  assert_non_null(s);
  for (int i = 0; i < 3; i++) {
    assert_true(vc_pdf_page(p, 400, 300));
    assert_true(vc_pdf_text(p, font, 14, 0, 0, 0, 20, 250, "Đặng Văn Ẩn", strlen("Đặng Văn Ẩn")));
    assert_true(vc_pdf_stream_flush(s));
  }
  assert_true(vc_pdf_stream_close(s));
  expect_no_diag(d);
  vc_pdf_stream_free(s);
  vc_pdf_free(p);
  vc_diag_free(d);
  assert_int_equal(pclose(pipe), 0);
  assert_int_equal(sh(&out, "qpdf --check '%s' >/dev/null 2>&1 && pdftotext -enc UTF-8 "
                            "'%s' - | grep -c 'Đặng Văn Ẩn'", pdf, pdf), 0);
  assert_string_equal(out, "3\n");
  free(out);
}

static int setup(void **state) { return test_dir_make("test_pdf_stream"); }

int main(void) {
  setlocale(LC_ALL, ""); /* the fr_FR run must reach the code under test */
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_long_document),
      cmocka_unit_test(test_write_fails),
      cmocka_unit_test(test_through_a_pipe),
  };
  return cmocka_run_group_tests(tests, setup, test_dir_teardown);
}
