/* test_sheet.c - label sheets (issue 13): gLabels lengths and their units,
 * the XML reader (rectangles, round and CD labels, several layouts, equiv=,
 * size="Other", what is passed over), finding and suggesting products,
 * cells across and down, and the template's sheet: section. */
#include "testutil.h"

#include <locale.h>

#include "template/sheet.h"
#include "template/template-tree.h"

#define NEAR(a, b) assert_true(fabs((a) - (b)) < 1e-6)
#include <math.h>

static void test_lengths(void **st) {
  (void)st;
  double v;
  assert_true(vc_sheet_length("99.1mm", &v)), NEAR(v, 99.1);
  assert_true(vc_sheet_length("1in", &v)), NEAR(v, 25.4);
  assert_true(vc_sheet_length("72pt", &v)), NEAR(v, 25.4);
  assert_true(vc_sheet_length("72", &v)), NEAR(v, 25.4); /* bare: points */
  assert_true(vc_sheet_length("2cm", &v)), NEAR(v, 20);
  assert_true(vc_sheet_length("1pc", &v)), NEAR(v, 25.4 / 6);
  assert_true(vc_sheet_length("3.93386e-16pt", &v)), assert_true(v < 1e-12);
  assert_true(vc_sheet_length("1.5E2mm", &v)), NEAR(v, 150);
  assert_false(vc_sheet_length("", &v));
  assert_false(vc_sheet_length("mm", &v));
  assert_false(vc_sheet_length("1,5mm", &v)); /* no decimal commas, whatever the locale */
  assert_false(vc_sheet_length("2furlongs", &v));
  assert_false(vc_sheet_length("1e", &v));
  assert_false(vc_sheet_length("1..2mm", &v));
}

static const char XML[] =
    "<?xml version=\"1.0\"?>\n<Glabels-templates>\n"
    "  <Template brand=\"Avery\" part=\"7163\" size=\"A4\" _description=\"Mailing labels\">\n"
    "    <Meta category=\"label\"/>\n"
    "    <Label-rectangle id=\"0\" width=\"280.9\" height=\"108\" round=\"5\">\n"
    "      <Markup-margin size=\"5\"/>\n"
    "      <Layout nx=\"2\" ny=\"7\" x0=\"9.5\" y0=\"43\" dx=\"292\" dy=\"108\"/>\n"
    "    </Label-rectangle>\n  </Template>\n"
    "  <Template brand=\"Avery\" part=\"L7163\" equiv=\"7163\"/>\n"
    "  <Template brand=\"Avery\" part=\"5160\" size=\"US-Letter\" description=\"Address\">\n"
    "    <Label-rectangle id=\"0\" width=\"2.625in\" height=\"1in\" round=\"in\">\n"
    "      <Layout nx=\"3\" ny=\"10\" x0=\"0.15625in\" y0=\"0.5in\" dx=\"2.78125in\" dy=\"1in\"/>\n"
    "    </Label-rectangle>\n  </Template>\n"
    "  <Template brand=\"Ray\" part=\"CD 9\" size=\"A4\">\n"
    "    <Label-cd id=\"0\" radius=\"56.5mm\" hole=\"18.5mm\">\n"
    "      <Layout nx=\"1\" ny=\"2\" x0=\"7mm\" y0=\"10mm\" dx=\"113mm\" dy=\"164mm\"/>\n"
    "      <Layout nx=\"1\" ny=\"1\" x0=\"90mm\" y0=\"92mm\" dx=\"113mm\" dy=\"113mm\"/>\n"
    "    </Label-cd>\n"
    "    <Label-rectangle id=\"1\" width=\"5mm\" height=\"5mm\">\n"
    "      <Layout nx=\"9\" ny=\"9\" x0=\"0\" y0=\"0\" dx=\"5mm\" dy=\"5mm\"/>\n"
    "    </Label-rectangle>\n  </Template>\n"
    "  <Template brand=\"X\" part=\"custom\" size=\"Other\" width=\"100mm\" height=\"50mm\">\n"
    "    <Label-ellipse id=\"0\" width=\"40mm\" height=\"20mm\">\n"
    "      <Layout nx=\"2\" ny=\"1\" x0=\"\" y0=\"5mm\" dx=\"50mm\"/>\n"
    "    </Label-ellipse>\n  </Template>\n"
    "  <Template brand=\"X\" part=\"roll\" size=\"Other\" width=\"62mm\" height=\"100mm\">\n"
    "    <Label-continuous id=\"0\" width=\"62mm\"/>\n  </Template>\n"
    "  <Template brand=\"X\" part=\"envelope\" size=\"number10\">\n"
    "    <Label-rectangle id=\"0\" width=\"1in\" height=\"1in\">\n"
    "      <Layout nx=\"1\" ny=\"1\" x0=\"0\" y0=\"0\"/>\n"
    "    </Label-rectangle>\n  </Template>\n"
    "  <Template brand=\"X\" part=\"broken\" size=\"A4\">\n"
    "    <Label-rectangle id=\"0\" width=\"1in\" height=\"1in\">\n"
    "      <Layout nx=\"zero\" ny=\"1\" x0=\"0\" y0=\"0\"/>\n"
    "    </Label-rectangle>\n  </Template>\n"
    "</Glabels-templates>\n";

static vc_sheet_db_t *db_of(const char *xml, vc_diag_t *d) {
  vc_sheet_db_t *db = vc_sheet_db_create();
  assert_non_null(db);
  assert_true(vc_sheet_db_parse(db, xml, strlen(xml), "p.xml", d));
  vc_sheet_db_finish(db);
  return db;
}

static void test_reader(void **st) {
  (void)st;
  vc_diag_t *d = vc_diag_create();
  vc_sheet_db_t *db = db_of(XML, d);
  /* 7163, L7163, 5160, CD 9, custom; roll and envelope passed over
   * silently, broken with a warning at its line */
  assert_int_equal(vc_sheet_db_count(db), 5);
  assert_int_equal(vc_diag_count(d), 0);
  assert_int_equal(vc_diag_warnings(d), 1);
  assert_int_equal(vc_diag_get(d, 0)->line, 40); /* its <Layout> */
  const vc_sheet_t *s = vc_sheet_db_find(db, "Avery L7163");
  assert_non_null(s);
  assert_string_equal(s->part, "L7163"); /* equiv: its own name, 7163's sizes */
  assert_string_equal(s->description, "Mailing labels");
  NEAR(s->label_w, 280.9 * 25.4 / 72);
  NEAR(s->label_h, 38.1);
  NEAR(s->radius, 5 * 25.4 / 72);
  NEAR(s->paper_w, 210);
  assert_int_equal(vc_sheet_ncells(s), 14);
  double x, y;
  assert_true(vc_sheet_cell(s, 3, false, &x, &y)); /* row 2, column 2 */
  NEAR(x, (9.5 + 292) * 25.4 / 72);
  NEAR(y, (43 + 108) * 25.4 / 72);
  assert_true(vc_sheet_cell(s, 3, true, &x, &y)); /* down: column 1, row 4 */
  NEAR(x, 9.5 * 25.4 / 72);
  NEAR(y, (43 + 3 * 108) * 25.4 / 72);
  assert_false(vc_sheet_cell(s, 14, false, &x, &y));
  s = vc_sheet_db_find(db, "avery 5160"); /* case and spaces do not matter */
  assert_non_null(s);
  NEAR(s->paper_w, 215.9);
  NEAR(s->label_w, 66.675);
  NEAR(s->radius, 0); /* round="in": 0, as gLabels reads it */
  assert_true(vc_sheet_cell(s, 29, false, &x, &y));
  NEAR(x, (0.15625 + 2 * 2.78125) * 25.4);
  NEAR(y, 9.5 * 25.4);
  s = vc_sheet_db_find(db, "CD 9"); /* the part alone: one brand has it */
  assert_non_null(s);
  assert_int_equal(s->shape, VC_SHEET_ROUND);
  NEAR(s->label_w, 113);
  assert_int_equal(vc_sheet_ncells(s), 3); /* two layouts; the second label ignored */
  assert_true(vc_sheet_cell(s, 2, false, &x, &y));
  NEAR(x, 90), NEAR(y, 92);
  s = vc_sheet_db_find(db, "X custom");
  assert_non_null(s);
  assert_int_equal(s->shape, VC_SHEET_ELLIPSE);
  NEAR(s->paper_w, 100), NEAR(s->paper_h, 50);
  assert_true(vc_sheet_cell(s, 1, false, &x, &y));
  NEAR(x, 50), NEAR(y, 5); /* x0="" is 0 */
  assert_null(vc_sheet_db_find(db, "X roll"));
  assert_null(vc_sheet_db_find(db, "7163 Avery"));
  const vc_sheet_t *near[5];
  size_t k = vc_sheet_db_suggest(db, "Avery L7136", near, 5);
  assert_true(k >= 1);
  assert_string_equal(near[0]->part, "L7163");
  vc_sheet_db_free(db);
  vc_diag_free(d);
}

static void test_not_xml(void **st) {
  (void)st;
  vc_diag_t *d = vc_diag_create();
  vc_sheet_db_t *db = vc_sheet_db_create();
  const char *bad[] = {"", "<a>", "not xml", "<Glabels-templates><Template></Glabels-templates>",
                       "<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;&x;</a><b/>"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    assert_false(vc_sheet_db_parse(db, bad[i], strlen(bad[i]), "bad.xml", d));
    assert_int_equal(vc_diag_status(d), VC_E_INPUT);
  }
  vc_sheet_db_finish(db);
  assert_int_equal(vc_sheet_db_count(db), 0);
  vc_sheet_db_free(db);
  vc_diag_free(d);
}

static void test_check(void **st) {
  (void)st;
  vc_sheet_t s = {.paper_w = 210, .paper_h = 297, .label_w = 99.1, .label_h = 38.1, .ngrids = 1};
  s.grids[0] = (vc_sheet_grid_t){2, 7, 4.65, 15.15, 101.6, 38.1};
  char why[200];
  assert_true(vc_sheet_check(&s, why, sizeof why));
  s.grids[0].nx = 3;
  assert_false(vc_sheet_check(&s, why, sizeof why));
  assert_non_null(strstr(why, "past the paper's width of 210 mm"));
  s.grids[0].nx = 2, s.grids[0].y0 = -3;
  assert_false(vc_sheet_check(&s, why, sizeof why));
  assert_non_null(strstr(why, "off the paper"));
}

static vc_template_t *load(const char *yaml, vc_diag_t *d) {
  return vc_template_load_mem(yaml, strlen(yaml), "/tmp/t.yaml", d);
}

static void test_template_section(void **st) {
  (void)st;
  vc_diag_t *d = vc_diag_create();
  vc_template_t *t = load("page: {size: A5, orientation: landscape}\n"
                          "sheet: {label: [60, 30], grid: [3, 4], pitch: [65, 34], shape: rounded, radius: 3}\n"
                          "elements:\n  - text: x\n    box: [1, 1, 58, 28]\n", d);
  vc_diag_print(d, stderr);
  assert_non_null(t);
  NEAR(t->page_w, 210), NEAR(t->page_h, 148); /* the paper stays the page */
  double w, h;
  vc_template_area(t, &w, &h);
  NEAR(w, 60), NEAR(h, 30);
  NEAR(t->sheet->grids[0].x0, (210 - 2 * 65 - 60) / 2.0); /* no margins: centred */
  NEAR(t->sheet->radius, 3);
  vc_template_free(t);
  struct { const char *yaml, *msg; } bad[] = {
      {"sheet: {label: [60, 30]}\n", "needs product:"},
      {"sheet: {label: [60, 30], grid: [2.5, 3]}\n", "whole numbers"},
      {"sheet: {label: [60, 30], grid: [2, 3], pitch: [50, 30]}\n", "overlap"},
      {"sheet: {label: [60, 30], grid: [4, 3]}\n", "does not fit its paper"},
      {"sheet: {label: [60, 30], grid: [2, 3], shape: hexagon}\n", "shape"},
      {"sheet: {label: [60, 30], grid: [2, 3], radius: 2}\n", "rounded only"},
      {"sheet: {label: [40, 30], grid: [2, 3], shape: round}\n", "equal"},
      {"sheet: {product: X, grid: [2, 3]}\n", "either product:"},
      {"sheet: {product: X}\npage: {size: A5}\n", "leave page: out"},
      {"sheet: {products: a.xml, label: [60, 30], grid: [2, 3]}\n", "product:, which is missing"},
      {"sheet: {lable: [60, 30]}\n", "lable"},
      {"sheet: {label: [60, 30], grid: [2, 3]}\nelements:\n  - text: x\n    box: [30, 1, 40, 10]\n",
       "past the label's right edge"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    vc_diag_clear(d);
    char y[512];
    snprintf(y, sizeof y, "%s%s", bad[i].yaml,
             strstr(bad[i].yaml, "elements") ? "" : "elements:\n  - text: x\n    box: [1, 1, 5, 5]\n");
    assert_null(load(y, d));
    bool found = false;
    for (size_t k = 0; k < vc_diag_kept(d); k++)
      found |= strstr(vc_diag_get(d, k)->msg, bad[i].msg) != NULL;
    if (!found) {
      vc_diag_print(d, stderr);
      fail_msg("case %zu: no \"%s\"", i, bad[i].msg);
    }
  }
  vc_diag_free(d);
}

int main(void) {
  setlocale(LC_ALL, "");
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_lengths),
      cmocka_unit_test(test_reader),
      cmocka_unit_test(test_not_xml),
      cmocka_unit_test(test_check),
      cmocka_unit_test(test_template_section),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
