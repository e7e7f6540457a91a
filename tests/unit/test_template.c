/* test_template.c - loading templates: a complete one and its tree, the
 * defaults, and each class of problem with its line:col and message. */
#include "testutil.h"

#include <locale.h>
#include <sys/stat.h>
#include <unistd.h>

#include "template/template-tree.h"

static char g_dir[64];    /* a scratch directory with the files templates name */
static char g_path[128];  /* g_dir/t.yaml: where the templates "are" */

static const char *const FILES[] = {"nen.png", "logo.png", "anh.JPG",
                                    "fonts/MyFont.ttf", "t.yaml", "big.yaml"};

static void put(const char *name, const char *text, size_t len) {
  char p[256];
  snprintf(p, sizeof p, "%s/%s", g_dir, name);
  FILE *f = fopen(p, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(text, 1, len, f), len);
  fclose(f);
}

static int setup(void **st) {
  (void)st;
  strcpy(g_dir, "/tmp/vc_tmpl_XXXXXX");
  if (!mkdtemp(g_dir)) return -1;
  snprintf(g_path, sizeof g_path, "%s/t.yaml", g_dir);
  char p[128];
  snprintf(p, sizeof p, "%s/fonts", g_dir);
  mkdir(p, 0755);
  for (int i = 0; i < 4; i++) put(FILES[i], "x", 1);
  return 0;
}

static int teardown(void **st) {
  (void)st;
  char p[256];
  for (size_t i = 0; i < sizeof FILES / sizeof *FILES; i++) {
    snprintf(p, sizeof p, "%s/%s", g_dir, FILES[i]);
    unlink(p);
  }
  snprintf(p, sizeof p, "%s/fonts", g_dir);
  rmdir(p);
  rmdir(g_dir);
  return 0;
}

static vc_template_t *load(const char *yaml, vc_diag_t *d) {
  return vc_template_load_mem(yaml, strlen(yaml), g_path, d);
}

/* Loads yaml expecting success. */
static vc_template_t *load_ok(const char *yaml) {
  vc_diag_t *d = vc_diag_create();
  vc_template_t *t = load(yaml, d);
  vc_diag_print(d, stderr);
  assert_non_null(t);
  assert_int_equal(vc_diag_count(d), 0);
  vc_diag_free(d);
  return t;
}

/* Loads yaml expecting failure with a problem at line:col whose message
 * contains want (and want2 when not NULL). */
static void expect2(const char *yaml, int line, int col, const char *want,
                    const char *want2) {
  vc_diag_t *d = vc_diag_create();
  assert_null(load(yaml, d));
  assert_true(vc_diag_count(d) > 0);
  bool found = false;
  for (size_t i = 0; i < vc_diag_kept(d); i++) {
    const vc_diag_item_t *it = vc_diag_get(d, i);
    if (it->line == line && it->col == col && strstr(it->msg, want) &&
        (!want2 || strstr(it->msg, want2))) {
      assert_string_equal(it->file, g_path);
      assert_true(it->status == VC_E_INPUT || it->status == VC_E_LIMIT);
      found = true;
    }
  }
  if (!found) {
    fprintf(stderr, "wanted %d:%d: %s\n", line, col, want);
    vc_diag_print(d, stderr);
  }
  assert_true(found);
  vc_diag_free(d);
}
static void expect(const char *yaml, int line, int col, const char *want) {
  expect2(yaml, line, col, want, NULL);
}

#define EL_OK "elements:\n  - text: x\n    box: [10, 10, 50, 10]\n"

static const char FULL[] =
    "# Giấy khen — A4 ngang\n"
    "title: Giấy khen\n"
    "page:\n"
    "  size: A4\n"
    "  orientation: landscape\n"
    "fonts:\n"
    "  serif:      {family: Noto Serif}\n"
    "  serif-bold: {family: Noto Serif, style: Bold}\n"
    "  own:        {file: fonts/MyFont.ttf}\n"
    "fields:\n"
    "  ho_ten:   {aliases: [Họ và tên, Họ tên, Tên], required: true}\n"
    "  ma_sv:    {aliases: [Mã SV, Mã sinh viên, MSSV], required: true}\n"
    "  lop:      {aliases: [Lớp]}\n"
    "  so_tien:  {aliases: [Số tiền], type: amount, required: true}\n"
    "  ngay:     {type: date, default: \"2024-12-19\"}\n"
    "values:\n"
    "  truong: TRƯỜNG CAO ĐẲNG SƯ PHẠM LẠNG SƠN\n"
    "  noi_ky: Lạng Sơn\n"
    "  ngay_ky: 2024-12-19\n"
    "sample:\n"
    "  ho_ten: Nguyễn Thị Thu Thảo\n"
    "background: nen.png\n"
    "elements:\n"
    "  - rect: [8, 8, 281, 194]\n"
    "    stroke: \"#96161c\"\n"
    "    width: 1.2\n"
    "    radius: 4\n"
    "    fill: none\n"
    "  - line: [100, 40, 197, 40]\n"
    "    width: 0.4\n"
    "    dash: 2\n"
    "  - ellipse: [10, 20, 30, 15]\n"
    "    fill: gold\n"
    "    stroke: none\n"
    "  - text: \"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\"\n"
    "    box: [150, 12, 130, 8]\n"
    "    font: serif-bold\n"
    "    size: 13\n"
    "    align: center\n"
    "    valign: middle\n"
    "    color: navy\n"
    "  - text: \"{ho_ten|upper}\"\n"
    "    box: [20, 70, 257, 16]\n"
    "    size: 28\n"
    "    min_size: 16\n"
    "  - text: \"{thanh_tich}\"\n"
    "    box: [40, 95, 217, 28]\n"
    "    size: 16.5\n"
    "    max_lines: 3\n"
    "    line_spacing: 1.3\n"
    "    fallback: true\n"
    "    align: right\n"
    "    valign: bottom\n"
    "  - image: logo.png\n"
    "    box: [20, 12, 20, 20]\n"
    "    fit: stretch\n"
    "  - image: \"{anh}\"\n"
    "    box: [250, 150, 30, 40]\n";

static void close_to(double got, double want) {
  if (got < want - 1e-9 || got > want + 1e-9) fprintf(stderr, "%g != %g\n", got, want);
  assert_true(got > want - 1e-9 && got < want + 1e-9);
}

static void test_full(void **st) {
  (void)st;
  vc_template_t *t = load_ok(FULL);
  char p[256];
  assert_string_equal(t->path, g_path);
  assert_string_equal(t->dir, g_dir);
  assert_string_equal(t->title, "Giấy khen");
  close_to(t->page_w, 297);
  close_to(t->page_h, 210);
  /* fonts */
  assert_int_equal(t->nfonts, 3);
  assert_string_equal(t->fonts[0].name, "serif");
  assert_string_equal(t->fonts[0].family, "Noto Serif");
  assert_null(t->fonts[0].style);
  assert_string_equal(t->fonts[1].style, "Bold");
  assert_null(t->fonts[2].family);
  snprintf(p, sizeof p, "%s/fonts/MyFont.ttf", g_dir);
  assert_string_equal(t->fonts[2].file, p);
  assert_int_equal(t->fonts[2].line, 9);
  /* fields */
  assert_int_equal(t->nfields, 5);
  assert_string_equal(t->fields[0].key, "ho_ten");
  assert_int_equal(t->fields[0].naliases, 3);
  assert_string_equal(t->fields[0].aliases[1], "Họ tên");
  assert_true(t->fields[0].required);
  assert_int_equal(t->fields[0].line, 11);
  assert_false(t->fields[2].required);
  assert_int_equal(t->fields[3].type, VC_FIELD_AMOUNT);
  assert_int_equal(t->fields[4].type, VC_FIELD_DATE);
  assert_int_equal(t->fields[4].naliases, 0);
  assert_string_equal(t->fields[4].dflt, "2024-12-19");
  assert_null(t->fields[3].dflt);
  /* values, sample, background */
  assert_int_equal(t->nvalues, 3);
  assert_string_equal(t->values[0].key, "truong");
  assert_string_equal(t->values[0].value, "TRƯỜNG CAO ĐẲNG SƯ PHẠM LẠNG SƠN");
  assert_string_equal(t->values[2].value, "2024-12-19");
  assert_int_equal(t->nsample, 1);
  assert_string_equal(t->sample[0].value, "Nguyễn Thị Thu Thảo");
  snprintf(p, sizeof p, "%s/nen.png", g_dir);
  assert_string_equal(t->background, p);
  /* elements */
  assert_int_equal(t->nels, 8);
  const vc_el_t *e = t->els;
  assert_int_equal(e[0].kind, VC_EL_RECT);
  assert_int_equal(e[0].line, 24);
  close_to(e[0].x, 8), close_to(e[0].y, 8), close_to(e[0].w, 281), close_to(e[0].h, 194);
  assert_true(e[0].has_stroke);
  close_to(e[0].stroke.r, 0x96 / 255.0);
  close_to(e[0].stroke.g, 0x16 / 255.0);
  close_to(e[0].stroke.b, 0x1c / 255.0);
  close_to(e[0].stroke_width, 1.2);
  close_to(e[0].radius, 4);
  assert_false(e[0].has_fill);
  assert_int_equal(e[1].kind, VC_EL_LINE);
  close_to(e[1].x, 100), close_to(e[1].y, 40), close_to(e[1].w, 97), close_to(e[1].h, 0);
  close_to(e[1].dash, 2);
  close_to(e[1].stroke_width, 0.4);
  assert_int_equal(e[2].kind, VC_EL_ELLIPSE);
  assert_false(e[2].has_stroke);
  assert_true(e[2].has_fill);
  assert_true(e[2].fill.r > 0.8 && e[2].fill.b < 0.3);
  assert_int_equal(e[3].kind, VC_EL_TEXT);
  assert_true(vc_expr_is_static(e[3].text));
  assert_string_equal(e[3].text->segs[0].lit, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
  assert_int_equal(e[3].font, 1);
  close_to(e[3].size, 13), close_to(e[3].min_size, 13);
  assert_int_equal(e[3].align, VC_ALIGN_CENTER);
  assert_int_equal(e[3].valign, VC_VALIGN_MIDDLE);
  close_to(e[3].color.b, 128 / 255.0);
  assert_false(e[3].text->segs[0].name);
  assert_int_equal(e[4].font, 0);
  close_to(e[4].size, 28), close_to(e[4].min_size, 16);
  assert_string_equal(e[4].text->segs[0].name, "ho_ten");
  assert_int_equal(e[4].text->segs[0].line, 42);
  assert_int_equal(e[4].text->segs[0].col, 12);
  close_to(e[5].size, 16.5), close_to(e[5].min_size, 16.5);
  assert_int_equal(e[5].max_lines, 3);
  close_to(e[5].line_spacing, 1.3);
  assert_true(e[5].fallback);
  assert_int_equal(e[5].align, VC_ALIGN_RIGHT);
  assert_int_equal(e[5].valign, VC_VALIGN_BOTTOM);
  assert_int_equal(e[6].kind, VC_EL_IMAGE);
  assert_true(vc_expr_is_static(e[6].src));
  snprintf(p, sizeof p, "%s/logo.png", g_dir);
  assert_string_equal(e[6].src->segs[0].lit, p);
  assert_false(e[6].contain);
  assert_false(vc_expr_is_static(e[7].src));
  assert_string_equal(e[7].src->segs[0].name, "anh");
  assert_true(e[7].contain);
  vc_template_free(t);
}

static void test_defaults(void **st) {
  (void)st;
  vc_template_t *t = load_ok("elements:\n"
                             "  - text: Xin chào\n"
                             "    box: [10, 10, 50, 10]\n"
                             "  - rect: [5, 5, 10, 10]\n"
                             "  - image: anh.JPG\n"
                             "    box: [0, 0, 210, 297]\n");
  close_to(t->page_w, 210);
  close_to(t->page_h, 297);
  assert_null(t->title);
  assert_null(t->background);
  assert_int_equal(t->nfields, 0);
  assert_int_equal(t->nfonts, 1);
  assert_string_equal(t->fonts[0].name, "serif");
  assert_string_equal(t->fonts[0].family, "Noto Serif");
  const vc_el_t *e = &t->els[0];
  assert_int_equal(e->font, 0);
  close_to(e->size, 12), close_to(e->min_size, 12);
  assert_int_equal(e->max_lines, 1);
  close_to(e->line_spacing, 1.2);
  assert_int_equal(e->align, VC_ALIGN_LEFT);
  assert_int_equal(e->valign, VC_VALIGN_TOP);
  close_to(e->color.r + e->color.g + e->color.b, 0);
  assert_false(e->fallback);
  e = &t->els[1];
  assert_true(e->has_stroke);
  close_to(e->stroke.r + e->stroke.g + e->stroke.b, 0);
  close_to(e->stroke_width, 0.3);
  assert_false(e->has_fill);
  close_to(e->radius, 0);
  close_to(e->dash, 0);
  assert_true(t->els[2].contain);
  vc_template_free(t);
}

static void test_load_file(void **st) {
  (void)st;
  put("t.yaml", FULL, strlen(FULL));
  vc_diag_t *d = vc_diag_create();
  vc_template_t *t = vc_template_load(g_path, d);
  assert_non_null(t);
  assert_int_equal(t->nels, 8);
  vc_template_free(t);
  /* A relative path: the directory is still made absolute. */
  char cwd[512];
  assert_non_null(getcwd(cwd, sizeof cwd));
  assert_int_equal(chdir(g_dir), 0);
  t = vc_template_load("t.yaml", d);
  assert_int_equal(chdir(cwd), 0);
  assert_non_null(t);
  assert_string_equal(t->dir, g_dir);
  assert_string_equal(t->path, "t.yaml");
  vc_template_free(t);
  assert_int_equal(vc_diag_count(d), 0);
  assert_null(vc_template_load("/nonexistent/t.yaml", d));
  assert_int_equal(vc_diag_status(d), VC_E_IO);
  vc_diag_free(d);
  vc_template_free(NULL);
}

static void test_pages(void **st) {
  (void)st;
  vc_template_t *t = load_ok("page: {size: [100, 200]}\n" EL_OK);
  close_to(t->page_w, 100), close_to(t->page_h, 200);
  vc_template_free(t);
  t = load_ok("page: {size: [100, 200], orientation: landscape}\n"
              "elements:\n  - text: x\n    box: [150, 10, 50, 10]\n");
  close_to(t->page_w, 200), close_to(t->page_h, 100);
  vc_template_free(t);
  t = load_ok("page:\n  size: letter\n" EL_OK);
  close_to(t->page_w, 215.9), close_to(t->page_h, 279.4);
  vc_template_free(t);
  t = load_ok("page:\n" EL_OK); /* an empty section means the defaults */
  close_to(t->page_w, 210), close_to(t->page_h, 297);
  vc_template_free(t);
  t = load_ok("page: {size: A5, orientation: portrait}\n" EL_OK);
  close_to(t->page_w, 148), close_to(t->page_h, 210);
  vc_template_free(t);
  expect("page:\n  size: A44\n" EL_OK, 2, 9, "did you mean 'A4'");
  expect("page:\n  size: [5, 100]\n" EL_OK, 2, 9, "between 10 and 5080");
  expect("page:\n  orientation: landscpe\n" EL_OK, 2, 16, "did you mean 'landscape'");
}

static void test_unknown_keys(void **st) {
  (void)st;
  expect2(EL_OK "    alling: left\n", 4, 5, "unknown key 'alling'", "did you mean 'align'");
  expect2("elemnts:\n  - text: x\n", 1, 1, "unknown key 'elemnts'",
          "did you mean 'elements'");
  expect2("page:\n  sise: A4\n" EL_OK, 2, 3, "unknown key 'sise'", "did you mean 'size'");
  expect2("fonts:\n  a: {famly: X}\n" EL_OK, 2, 7, "did you mean 'family'", NULL);
  expect2("fields:\n  a: {requried: true}\n" EL_OK, 2, 7, "did you mean 'required'", NULL);
  expect2("whatever: 1\n" EL_OK, 1, 1, "unknown key 'whatever'", "background, elements");
  expect2(EL_OK "    radius: 2\n", 4, 5, "'radius' does not apply to a text element", NULL);
  expect2("elements:\n  - rect: [1, 1, 5, 5]\n    color: red\n", 3, 5,
          "use stroke: for its outline and fill:", NULL);
  expect2("elements:\n  - image: logo.png\n    box: [1, 1, 5, 5]\n    size: 3\n", 4, 5,
          "'size' does not apply to an image element (it is for text)", NULL);
  expect2("elements:\n  - txt: hi\n", 2, 5, "did you mean 'text'", NULL);
  expect2("elements:\n  - box: [0, 0, 1, 1]\n", 2, 5, "draws nothing", NULL);
  expect2("elements:\n  - rect: [0, 0, 1, 1]\n    text: x\n", 3, 5,
          "both rect: and text:", NULL);
}

/* serial: the ledger's pattern, checked where it is written (issue 9). */
static void test_serial(void **st) {
  (void)st;
  vc_template_t *t = load_ok("serial: \"{year}/GK-{seq:04}\"\n" EL_OK);
  assert_string_equal(t->serial, "{year}/GK-{seq:04}");
  vc_template_free(t);
  t = load_ok(EL_OK);
  assert_null(t->serial);
  vc_template_free(t);
  expect2("serial: \"{year}/GK\"\n" EL_OK, 1, 9, "serial:", "{seq}");
  expect2("title: x\nserial: \"{seq}-{seq}\"\n" EL_OK, 2, 9, "serial:", NULL);
}

static void test_duplicates(void **st) {
  (void)st;
  expect2("page: {size: A4}\npage: {size: A5}\n" EL_OK, 2, 1,
          "'page' is written twice", "line 1");
  expect2(EL_OK "    size: 10\n    size: 12\n", 5, 5, "'size' is written twice", NULL);
}

static void test_colours(void **st) {
  (void)st;
  vc_template_t *t = load_ok("elements:\n  - rect: [1, 1, 5, 5]\n    stroke: '#fff'\n"
                             "    fill: DarkRed\n");
  close_to(t->els[0].stroke.g, 1);
  close_to(t->els[0].fill.r, 0x8b / 255.0);
  vc_template_free(t);
  expect2(EL_OK "    color: \"#12345g\"\n", 4, 12, "'#12345g' is not a colour", NULL);
  expect2(EL_OK "    color: purpl\n", 4, 12, "unknown colour 'purpl'", NULL);
  expect2(EL_OK "    color: golld\n", 4, 12, "did you mean 'gold'", NULL);
  expect2(EL_OK "    color: #96161c\n", 4, 11, "must be quoted", "\"#96161c\"");
  expect2(EL_OK "    color: none\n", 4, 12, "'none' is not possible", NULL);
}

static void test_off_page(void **st) {
  (void)st;
  const char *head = "page: {size: A4, orientation: landscape}\nelements:\n";
  char y[512];
  snprintf(y, sizeof y, "%s  - text: Họ và tên\n    box: [250, 10, 50, 10]\n", head);
  expect2(y, 4, 10, "element 1 (text \"Họ và tên\") goes past the page's right edge",
          "reaches 300 mm; the page is 297 x 210 mm");
  snprintf(y, sizeof y, "%s  - rect: [10, 10, 10, 10]\n  - rect: [10, 200.5, 10, 10]\n",
           head);
  expect2(y, 4, 11, "element 2 (rect) goes past the page's bottom edge",
          "reaches 210.5 mm");
  snprintf(y, sizeof y, "%s  - line: [-1, 10, 10, 10]\n", head);
  expect(y, 3, 11, "left edge");
  snprintf(y, sizeof y, "%s  - image: logo.png\n    box: [0, -2, 10, 10]\n", head);
  expect(y, 4, 10, "top edge");
  /* Touching the edges is fine. */
  snprintf(y, sizeof y, "%s  - rect: [0, 0, 297, 210]\n", head);
  vc_template_free(load_ok(y));
  expect("elements:\n  - rect: [1, 1, 0, 5]\n", 2, 11, "greater than 0");
  expect("elements:\n  - line: [1, 1, 1, 1]\n", 2, 11, "no length");
  expect("elements:\n  - text: x\n", 2, 5, "needs box:");
  expect("elements:\n  - text: x\n    box: [1, 2, 3]\n", 3, 10, "must be 4 numbers");
}

static void test_fonts(void **st) {
  (void)st;
  const char *fonts = "fonts:\n  serif: {family: Noto Serif}\n"
                      "  serif-bold: {family: Noto Serif, style: Bold}\n";
  char y[512];
  snprintf(y, sizeof y, "%s" EL_OK "    font: serif-bld\n", fonts);
  expect2(y, 7, 11, "font: 'serif-bld' is not declared", "did you mean 'serif-bold'");
  snprintf(y, sizeof y, "%s" EL_OK "    font: fancy\n", fonts);
  expect2(y, 7, 11, "'fancy' is not declared", "(declared: serif, serif-bold)");
  /* Without fonts, "serif" is the implicit default. */
  vc_template_free(load_ok(EL_OK "    font: serif\n"));
  expect("fonts:\n  a: {family: X, file: fonts/MyFont.ttf}\n" EL_OK, 2, 6,
         "either family: (an installed font) or file:");
  expect("fonts:\n  a: {style: Bold}\n" EL_OK, 2, 6, "needs family:");
  expect("fonts:\n  a: {file: fonts/Nope.ttf}\n" EL_OK, 2, 13, "file not found");
  expect("fonts:\n  a: {file: fonts\\MyFont.ttf}\n" EL_OK, 2, 13, "write / between folders");
  /* Only a refused complex key: reported, and nothing leaks (found by
   * fuzz_template in a 10-minute run; ASan's leak check fails it before). */
  expect("fonts:\n ? &serifle: Biên lak thu p", 2, 4, "must be plain names");
  vc_template_t *t = load_ok("fonts:\n  body: Noto Sans\n" EL_OK);
  assert_string_equal(t->fonts[0].family, "Noto Sans");
  vc_template_free(t);
}

static void test_filters_and_placeholders(void **st) {
  (void)st;
  expect2(EL_OK "  - text: \"Lớp {lop|uper}\"\n    box: [10, 30, 50, 10]\n", 4, 21,
          "unknown filter 'uper'", "did you mean 'upper'");
  expect(EL_OK "  - text: \"a } b\"\n    box: [10, 30, 50, 10]\n", 4, 14,
         "literal brace");
  /* Placeholders are not checked against fields at load: the data decides. */
  vc_template_t *t = load_ok("elements:\n  - text: \"{khong_co} {Họ và tên|title}\"\n"
                             "    box: [10, 10, 50, 10]\n");
  assert_string_equal(t->els[0].text->segs[2].name, "Họ và tên");
  vc_template_free(t);
  expect("elements:\n  - text: {ho_ten}\n    box: [10, 10, 50, 10]\n", 2, 11,
         "must be put in quotes");
  /* Positions inside a block scalar. */
  expect("elements:\n  - text: |\n      Kính gửi\n      ông {ten|lowr}\n"
         "    box: [10, 10, 50, 10]\n", 4, 16, "unknown filter 'lowr'");
}

static void test_images(void **st) {
  (void)st;
  expect2("elements:\n  - image: nothere.png\n    box: [1, 1, 5, 5]\n", 2, 12,
          "image: nothere.png: file not found", g_dir);
  expect("elements:\n  - image: logo.gif\n    box: [1, 1, 5, 5]\n", 2, 12,
         "not a PNG or JPEG");
  expect("background: nen.jpg\n" EL_OK, 1, 13, "file not found");
  expect("background: fonts\n" EL_OK, 1, 13, "not a PNG or JPEG");
  expect("elements:\n  - image: \"{anh|uper}\"\n    box: [1, 1, 5, 5]\n", 2, 18,
         "unknown filter");
  char y[256];
  snprintf(y, sizeof y, "background: %s/logo.png\n" EL_OK, g_dir); /* absolute */
  vc_template_t *t = load_ok(y);
  assert_non_null(strstr(t->background, "logo.png"));
  assert_null(t->form);
  vc_template_free(t);
  /* form: the pre-printed blank's scan, found like background: */
  expect("form: mau.png\n" EL_OK, 1, 7, "file not found");
  expect("form: fonts\n" EL_OK, 1, 7, "not a PNG or JPEG");
  t = load_ok("form: logo.png\n" EL_OK);
  assert_non_null(t->form);
  assert_non_null(strstr(t->form, "/logo.png"));
  assert_null(t->background);
  vc_template_free(t);
}

static void test_sizes(void **st) {
  (void)st;
  expect(EL_OK "    size: 0\n", 4, 11, "size: must be greater than 0");
  expect(EL_OK "    size: -2\n", 4, 11, "size: must be greater than 0");
  expect(EL_OK "    size: 10\n    min_size: 12\n", 5, 15, "larger than size");
  expect(EL_OK "    min_size: 13\n", 4, 15, "larger than size (12)");
  /* Print below 4 pt cannot be read: refused where it is written. */
  expect2(EL_OK "    min_size: 3.5\n", 4, 15, "min_size: 3.5 pt is too small", "smallest is 4 pt");
  expect2(EL_OK "    size: 3\n", 4, 11, "size: 3 pt is too small", "smallest is 4 pt");
  expect(EL_OK "    size: 3\n    min_size: 2\n", 5, 15, "min_size: 2 pt is too small");
  vc_template_free(load_ok(EL_OK "    size: 12\n    min_size: 4\n"));
  vc_template_free(load_ok(EL_OK "    size: 4\n"));
  expect(EL_OK "    max_lines: 0\n", 4, 16, "from 1 to 50");
  expect(EL_OK "    max_lines: 51\n", 4, 16, "from 1 to 50");
  expect(EL_OK "    max_lines: 2.5\n", 4, 16, "whole number");
  expect(EL_OK "    line_spacing: 3.5\n", 4, 19, "at least 0.5 and at most 3");
  expect(EL_OK "    size: twelve\n", 4, 11, "'twelve' is not a number");
  expect(EL_OK "    size: 12pt\n", 4, 11, "write the number only");
  expect(EL_OK "    size:\n", 4, 10, "size: needs a value");
  expect(EL_OK "    fallback: maybe\n", 4, 15, "true or false");
  expect("elements:\n  - rect: [1, 1, 5, 5]\n    width: 0\n", 3, 12, "greater than 0");
  expect("elements:\n  - rect: [1, 1, 5, 5]\n    radius: 3\n", 3, 13, "more than half");
}

static void test_numbers_locale(void **st) {
  (void)st;
  /* A French locale writes 1,25: our numbers must not care. */
  char *old = strdup(setlocale(LC_ALL, NULL));
  if (!setlocale(LC_ALL, "fr_FR.UTF-8")) fprintf(stderr, "(fr_FR.UTF-8 missing)\n");
  vc_template_t *t = load_ok("elements:\n  - rect: [1.5, 2.25, 10.125, 5]\n"
                             "    width: 0.75\n    dash: .5\n");
  close_to(t->els[0].x, 1.5);
  close_to(t->els[0].y, 2.25);
  close_to(t->els[0].w, 10.125);
  close_to(t->els[0].stroke_width, 0.75);
  close_to(t->els[0].dash, 0.5);
  vc_template_free(t);
  expect2(EL_OK "    size: 10,5\n", 4, 11, "'10,5' is not a number", "use a dot");
  /* Messages print numbers with a dot too. */
  expect2("elements:\n  - rect: [200.5, 1, 10, 5]\n", 2, 11, "reaches 210.5 mm", NULL);
  setlocale(LC_ALL, old);
  free(old);
}

/* Keywords are matched the same under every locale: with strcasecmp, a
 * Turkish locale (where 'I' folds to dotless 'ı') refused valign: MIDDLE. */
static void test_keywords_locale(void **st) {
  (void)st;
  static const char *const names[] = {"tr_TR.UTF-8", "fr_FR.UTF-8"};
  int tried = 0;
  for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
    locale_t loc = newlocale(LC_ALL_MASK, names[i], (locale_t)0);
    if (!loc) {
      fprintf(stderr, "(%s is not generated here: add \"%s UTF-8\" to "
              "/etc/locale.gen and run locale-gen; skipped)\n", names[i], names[i]);
      continue;
    }
    locale_t old = uselocale(loc);
    tried++;
    vc_template_t *t = load_ok("page: {size: LETTER, orientation: LANDSCAPE}\n"
                               "elements:\n  - text: x\n    box: [10, 10, 50, 10]\n"
                               "    valign: MIDDLE\n    align: RIGHT\n"
                               "    color: WHITE\n    fallback: YES\n"
                               "  - rect: [1, 1, 5, 5]\n    stroke: SILVER\n"
                               "    fill: NONE\n"
                               "  - image: anh.JPG\n    box: [1, 1, 5, 5]\n");
    assert_int_equal(t->els[0].valign, VC_VALIGN_MIDDLE);
    assert_int_equal(t->els[0].align, VC_ALIGN_RIGHT);
    close_to(t->els[0].color.r, 1.0);
    assert_true(t->els[0].fallback);
    close_to(t->els[1].stroke.r, 0xc0 / 255.0);
    assert_false(t->els[1].has_fill);
    close_to(t->page_w, 279.4);
    vc_template_free(t);
    /* Numbers in messages keep their dot. */
    expect2("elements:\n  - rect: [200.5, 1, 10, 5]\n", 2, 11, "reaches 210.5 mm", NULL);
    uselocale(old);
    freelocale(loc);
  }
  if (!tried) skip();
}

static void test_fields(void **st) {
  (void)st;
  vc_template_t *t = load_ok("fields:\n  lop: {aliases: Lớp}\n  ghi_chu:\n"
                             "  so_tien_2: {type: amount, default: 5.000.000 đ}\n" EL_OK);
  assert_int_equal(t->nfields, 3);
  assert_int_equal(t->fields[0].naliases, 1);
  assert_string_equal(t->fields[0].aliases[0], "Lớp");
  assert_int_equal(t->fields[1].naliases, 0);
  assert_string_equal(t->fields[2].dflt, "5.000.000 đ");
  vc_template_free(t);
  expect2("fields:\n  Họ tên: {aliases: [Họ và tên]}\n" EL_OK, 2, 3,
          "field name 'Họ tên' must be lower-case", "like ho_ten");
  expect("fields:\n  ho__ten:\n" EL_OK, 2, 3, "field name 'ho__ten'");
  expect("fields:\n  ngay: {type: date, default: 31/02/2024}\n" EL_OK, 2, 31,
         "'31/02/2024' is not a date");
  expect("fields:\n  tien: {type: amount, default: 5tr}\n" EL_OK, 2, 33, "not an amount");
  expect("fields:\n  tien: {type: money}\n" EL_OK, 2, 16, "not one of text, amount, date");
  expect2("fields:\n  ho_ten: {aliases: [Tên]}\n  ten: {aliases: [Họ]}\n" EL_OK, 3, 3,
          "'ten' would match the same column as 'Tên'", "line 2");
  expect2("fields:\n  truong:\nvalues:\n  Trường: X\n" EL_OK, 4, 3,
          "'Trường' is the same placeholder name as 'truong'", NULL);
  expect("fields:\n  a: [x]\n" EL_OK, 2, 6, "write its details in braces");
}

static void test_invalid_utf8(void **st) {
  (void)st;
  expect2("title: Gi\xe1y khen\n" EL_OK "  - text: \"Lạng S\xff\"\n", 1, 10,
          "invalid UTF-8", "0xE1");
  expect2("title: Gi\xe1y khen\n" EL_OK "  - text: \"Lạng S\xff\"\n", 5, 18,
          "invalid UTF-8", "0xFF");
  /* A byte-order mark is fine. */
  vc_template_free(load_ok("\xef\xbb\xbftitle: A\n" EL_OK));
}

/* yaml (ASCII) as UTF-16 or UTF-32, little or big endian, with or without
 * a byte-order mark: one clear message, not a cascade. */
static void expect_wide(const char *yaml, int unit, bool big, bool bom,
                        const char *want) {
  size_t n = strlen(yaml), len = 0;
  unsigned char *b = calloc((n + 1) * (size_t)unit, 1);
  assert_non_null(b);
  for (size_t i = 0; i <= n; i++) {
    if (i == 0 && !bom) continue;
    unsigned ch = i == 0 ? 0xFEFF : (unsigned char)yaml[i - 1];
    for (int k = 0; k < unit; k++)
      b[len + (size_t)(big ? unit - 1 - k : k)] = (unsigned char)(ch >> (8 * k));
    len += (size_t)unit;
  }
  vc_diag_t *d = vc_diag_create();
  assert_null(vc_template_load_mem((const char *)b, len, g_path, d));
  if (vc_diag_count(d) != 1 || !strstr(vc_diag_get(d, 0)->msg, want))
    vc_diag_print(d, stderr);
  assert_int_equal(vc_diag_count(d), 1);
  assert_non_null(strstr(vc_diag_get(d, 0)->msg, want));
  assert_non_null(strstr(vc_diag_get(d, 0)->msg, "save it as UTF-8"));
  assert_int_equal(vc_diag_get(d, 0)->line, 1);
  vc_diag_free(d);
  free(b);
}

static void test_utf16(void **st) {
  (void)st;
  const char *y = "title: Giay khen\n" EL_OK;
  expect_wide(y, 2, false, true, "saved as UTF-16");
  expect_wide(y, 2, true, true, "saved as UTF-16");
  expect_wide(y, 2, false, false, "saved as UTF-16");
  expect_wide(y, 2, true, false, "saved as UTF-16");
  expect_wide(y, 4, false, true, "saved as UTF-32");
  expect_wide(y, 4, true, true, "saved as UTF-32");
  /* A NUL byte elsewhere: not text, said at its place. */
  static const char nul[] = "title: a\nelements:\n  - text: \"x\0y\"\n";
  vc_diag_t *d = vc_diag_create();
  assert_null(vc_template_load_mem(nul, sizeof nul - 1, g_path, d));
  assert_int_equal(vc_diag_count(d), 1);
  assert_int_equal(vc_diag_get(d, 0)->line, 3);
  assert_int_equal(vc_diag_get(d, 0)->col, 13);
  assert_non_null(strstr(vc_diag_get(d, 0)->msg, "not a text file"));
  vc_diag_free(d);
}

static void test_anchors_aliases(void **st) {
  (void)st;
  const char *y = "values:\n  a: &x Lạng Sơn\n  b: *x\n" EL_OK;
  expect(y, 2, 6, "YAML anchors (&x) are not supported");
  expect(y, 3, 6, "YAML aliases (*x) are not supported");
  expect("values:\n  a: !!str 5\n" EL_OK, 2, 6, "YAML tags (!!str)");
  /* The classic billion laughs is refused at once, cheaply. */
  expect("a: &a [\"lol\",\"lol\"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
         "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n" EL_OK, 3, 8, "aliases (*b)");
}

static void test_yaml_syntax(void **st) {
  (void)st;
  expect("elements:\n\t- text: x\n", 2, 1, "indent with spaces");
  expect("elements:\n  - text: Lạng Sơn, ngày: 5\n", 2, 25, "must be put in quotes");
  expect("elements:\n  - text: \"abc\n", 3, 1, "YAML syntax error");
  expect("", 1, 1, "the template is empty");
  expect("# nothing\n", 1, 1, "the template is empty");
  expect("- a\n- b\n", 1, 1, "a template must be a list of \"key: value\"");
  expect("title: a\n---\ntitle: b\n", 2, 1, "one YAML document");
  expect("title: x\n", 1, 1, "no elements: section");
  expect("elements:\n", 1, 10, "elements: needs");
  expect("elements: []\n", 1, 11, "elements: is empty");
}

static void test_limits(void **st) {
  (void)st;
  /* Too large, from memory and from a file. */
  size_t n = VC_TEMPLATE_MAX_BYTES + 10;
  char *big = malloc(n + 1);
  assert_non_null(big);
  memset(big, '#', n);
  big[n] = '\0';
  vc_diag_t *d = vc_diag_create();
  assert_null(vc_template_load_mem(big, n, g_path, d));
  assert_int_equal(vc_diag_status(d), VC_E_LIMIT);
  assert_non_null(strstr(vc_diag_get(d, 0)->msg, "limit"));
  vc_diag_clear(d);
  put("big.yaml", big, n);
  char p[256];
  snprintf(p, sizeof p, "%s/big.yaml", g_dir);
  assert_null(vc_template_load(p, d));
  assert_int_equal(vc_diag_status(d), VC_E_LIMIT);
  vc_diag_clear(d);
  free(big);
  /* Too many elements. */
  size_t cap = 64 + 40 * (VC_TEMPLATE_MAX_ELEMENTS + 1);
  char *y = malloc(cap), *w = y;
  w += sprintf(w, "elements:\n");
  for (int i = 0; i <= VC_TEMPLATE_MAX_ELEMENTS; i++)
    w += sprintf(w, "  - rect: [1, 1, 2, 2]\n");
  assert_null(load(y, d));
  assert_int_equal(vc_diag_status(d), VC_E_LIMIT);
  assert_int_equal(vc_diag_get(d, 0)->line, VC_TEMPLATE_MAX_ELEMENTS + 2);
  vc_diag_clear(d);
  free(y);
  /* A text box's own text beyond what one box holds, and fixed texts that
   * together leave no room on the page (each 16,000 bytes: 5 pass 64 KiB). */
  size_t tn = VC_TEXT_MAX_BYTES + 1;
  y = malloc(tn + 128);
  w = y + sprintf(y, "elements:\n  - text: ");
  memset(w, 'a', tn);
  strcpy(w + tn, "\n    box: [1, 1, 50, 10]\n");
  assert_null(load(y, d));
  assert_int_equal(vc_diag_status(d), VC_E_LIMIT);
  assert_int_equal(vc_diag_get(d, 0)->line, 2);
  assert_int_equal(vc_diag_get(d, 0)->col, 11);
  assert_non_null(strstr(vc_diag_get(d, 0)->msg, "16385 bytes, more than the 16384"));
  vc_diag_clear(d);
  free(y);
  y = malloc(6 * 16100 + 64);
  w = y + sprintf(y, "elements:\n");
  char *fifth = NULL;
  for (int i = 0; i < 5; i++) {
    if (i == 4) fifth = w;
    w += sprintf(w, "  - text: ");
    memset(w, 'b', 16000);
    w += 16000;
    w += sprintf(w, "\n    box: [1, 1, 50, 10]\n");
  }
  assert_null(load(y, d));
  assert_int_equal(vc_diag_count(d), 1);
  assert_int_equal(vc_diag_get(d, 0)->line, 2 + 4 * 2);
  assert_non_null(strstr(vc_diag_get(d, 0)->msg, "more than 65536 bytes, the most one page holds"));
  vc_diag_clear(d);
  /* Four are fine, and known to the template. */
  *fifth = '\0';
  vc_template_t *t = load(y, d);
  vc_diag_print(d, stderr);
  assert_non_null(t);
  assert_int_equal(t->static_text_bytes, 4 * 16000);
  vc_template_free(t);
  free(y);
  /* Deep nesting. */
  char deep[256] = "a: ";
  for (int i = 0; i < 60; i++) strcat(deep, "[");
  assert_null(load(deep, d));
  assert_non_null(strstr(vc_diag_get(d, 0)->msg, "nested"));
  vc_diag_free(d);
}

static void test_all_problems_at_once(void **st) {
  (void)st;
  vc_diag_t *d = vc_diag_create();
  assert_null(load("page: {size: A4, orientaton: landscape}\n"
                   "elements:\n"
                   "  - text: \"{a|uper}\"\n"
                   "    box: [10, 10, 500, 10]\n"
                   "    color: purpl\n"
                   "  - image: nothere.png\n"
                   "    box: [1, 1, 5, 5]\n"
                   "    size: 3\n",
                   d));
  assert_int_equal(vc_diag_count(d), 6);
  assert_int_equal(vc_diag_status(d), VC_E_INPUT);
  vc_diag_free(d);
  /* No diag list given: still NULL, no crash. */
  assert_null(load("elements:\n  - txt: x\n", NULL));
}

int main(void) {
  setlocale(LC_ALL, "");
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_full),
      cmocka_unit_test(test_defaults),
      cmocka_unit_test(test_load_file),
      cmocka_unit_test(test_pages),
      cmocka_unit_test(test_unknown_keys),
      cmocka_unit_test(test_duplicates),
      cmocka_unit_test(test_serial),
      cmocka_unit_test(test_colours),
      cmocka_unit_test(test_off_page),
      cmocka_unit_test(test_fonts),
      cmocka_unit_test(test_filters_and_placeholders),
      cmocka_unit_test(test_images),
      cmocka_unit_test(test_sizes),
      cmocka_unit_test(test_numbers_locale),
      cmocka_unit_test(test_keywords_locale),
      cmocka_unit_test(test_fields),
      cmocka_unit_test(test_invalid_utf8),
      cmocka_unit_test(test_utf16),
      cmocka_unit_test(test_anchors_aliases),
      cmocka_unit_test(test_yaml_syntax),
      cmocka_unit_test(test_limits),
      cmocka_unit_test(test_all_problems_at_once),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
