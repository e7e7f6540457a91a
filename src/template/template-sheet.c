/*
 * template-sheet.c - a template's `sheet:` section (issue 13): labels in a
 * grid on a sheet of paper, either a product by name (read from gLabels'
 * template XML: sheet.h, glabels.c) or a custom grid.  Also the geometry of
 * a sheet's cells.  Format: templates/README.md, "Label sheets".
 *
 *   sheet: {product: "Avery L7163"}          # paper and grid from the product
 *   sheet: {product: "X 12", products: my-sheets.xml}  # from a file of one's own
 *   sheet:                                   # custom: the paper is page:'s
 *     label: [99.1, 38.1]                    # width, height (mm)
 *     grid: [2, 7]                           # columns, rows
 *     margins: [4.65, 15.15]                 # left, top (default: centred)
 *     pitch: [101.6, 38.1]                   # across, down (default: the label)
 *     shape: rectangle | rounded | round | ellipse
 *     radius: 2                              # rounded corners (mm)
 *
 * The elements of such a template are one label's, in mm from the label's
 * top-left corner.
 */
#include "template/template-internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/text.h"
#include "template/sheet.h"

/* Slack on the paper's edges: products' sizes are rounded to 0.1 mm. */
#define EDGE 0.5

/* ---- geometry ---- */

int vc_sheet_ncells(const vc_sheet_t *s) {
  int n = 0;
  for (int g = 0; g < s->ngrids; g++) n += s->grids[g].nx * s->grids[g].ny;
  return n;
}

bool vc_sheet_cell(const vc_sheet_t *s, int i, bool down, double *x, double *y) {
  for (int g = 0; g < s->ngrids && i >= 0; g++) {
    const vc_sheet_grid_t *gr = &s->grids[g];
    int n = gr->nx * gr->ny;
    if (i >= n) {
      i -= n;
      continue;
    }
    int col = down ? i / gr->ny : i % gr->nx, row = down ? i % gr->ny : i / gr->nx;
    *x = gr->x0 + col * gr->dx;
    *y = gr->y0 + row * gr->dy;
    return true;
  }
  return false;
}

bool vc_sheet_check(const vc_sheet_t *s, char *why, size_t whylen) {
  char a[32], b[32], c[32];
  if (vc_sheet_ncells(s) > VC_SHEET_MAX_CELLS) {
    snprintf(why, whylen, _("%d labels on one sheet; the most is %d"), vc_sheet_ncells(s),
             VC_SHEET_MAX_CELLS);
    return false;
  }
  for (int g = 0; g < s->ngrids; g++) {
    const vc_sheet_grid_t *gr = &s->grids[g];
    double x2 = gr->x0 + (gr->nx - 1) * gr->dx + s->label_w;
    double y2 = gr->y0 + (gr->ny - 1) * gr->dy + s->label_h;
    if (gr->x0 < -EDGE || gr->y0 < -EDGE) {
      snprintf(why, whylen, _("the first label starts off the paper (at %s, %s mm)"),
               vc_text_fmt_num(gr->x0, a, sizeof a), vc_text_fmt_num(gr->y0, b, sizeof b));
      return false;
    }
    if (x2 > s->paper_w + EDGE || y2 > s->paper_h + EDGE) {
      bool across = x2 > s->paper_w + EDGE;
      snprintf(why, whylen,
               across ? _("the last label of a row reaches %s mm, past the paper's width of %s mm")
                      : _("the last label of a column reaches %s mm, past the paper's height of "
                          "%s mm"),
               vc_text_fmt_num(across ? x2 : y2, a, sizeof a),
               vc_text_fmt_num(across ? s->paper_w : s->paper_h, c, sizeof c));
      return false;
    }
  }
  return true;
}

void vc_sheet_clear(vc_sheet_t *s) {
  if (!s) return;
  free(s->brand);
  free(s->part);
  free(s->description);
  free(s->source);
  memset(s, 0, sizeof *s);
}

void vc_sheet_free(vc_sheet_t *s) {
  vc_sheet_clear(s);
  free(s);
}

static bool dup_str(char **dst, const char *src) {
  *dst = src ? strdup(src) : NULL;
  return !src || *dst;
}

vc_sheet_t *vc_sheet_dup(const vc_sheet_t *s) {
  vc_sheet_t *c = malloc(sizeof *c);
  if (!c) return NULL;
  *c = *s;
  c->brand = c->part = c->description = c->source = NULL;
  if (!dup_str(&c->brand, s->brand) || !dup_str(&c->part, s->part) ||
      !dup_str(&c->description, s->description) || !dup_str(&c->source, s->source)) {
    vc_sheet_free(c);
    return NULL;
  }
  return c;
}

/* ---- product: ---- */

/* The product named at n from the default places (and `products:`, first);
 * a copy into c->t->sheet, the paper into the page.  An unknown name is
 * reported with the closest ones. */
static void read_product(vc_tctx_t *c, const vc_tnode_t *n, const vc_tnode_t *file) {
  const char *name, *f;
  if (!vc__tn_string(c, n, "product", &name)) return;
  vc_sheet_db_t *db = vc_sheet_db_create();
  vc_diag_t *tmp = vc_diag_create();
  if (!db || !tmp) goto nomem;
  if (file && vc__tn_string(c, file, "products", &f)) {
    char *path = vc__tmpl_resolve_file(c, file, "products", f, false);
    if (path && !vc_sheet_db_add_path(db, path, tmp)) {
      const vc_diag_item_t *it = vc_diag_get(tmp, vc_diag_kept(tmp) - 1);
      vc__tctx_err(c, file, VC_E_INPUT, "products: %s (its line %d)",
                   it ? it->msg : _("cannot be read"), it ? it->line : 0);
    }
    free(path);
  }
  if (!vc_sheet_db_add_defaults(db, tmp)) goto nomem;
  vc_sheet_db_finish(db);
  const vc_sheet_t *s = vc_sheet_db_find(db, name);
  if (!s) {
    const vc_sheet_t *near[5];
    size_t k = vc_sheet_db_suggest(db, name, near, 5);
    char list[600] = "";
    for (size_t i = 0; i < k; i++) {
      size_t at = strlen(list);
      snprintf(list + at, sizeof list - at, "%s\"%s %s\"", i ? ", " : "", near[i]->brand,
               near[i]->part);
    }
    if (k)
      vc__tctx_err(c, n, VC_E_INPUT,
                   "product: no label product \"%s\" is known; the closest: %s (`vncert "
                   "sheets TEXT` searches them; %zu known)", name, list, vc_sheet_db_count(db));
    else
      vc__tctx_err(c, n, VC_E_INPUT,
                   "product: no label product \"%s\" is known (`vncert sheets TEXT` "
                   "searches them; %zu known)", name, vc_sheet_db_count(db));
  } else if (!(c->t->sheet = vc_sheet_dup(s))) {
    goto nomem;
  } else {
    c->t->page_w = s->paper_w, c->t->page_h = s->paper_h;
  }
  vc_sheet_db_free(db);
  vc_diag_free(tmp);
  return;
nomem:
  vc__tctx_nomem(c);
  vc_sheet_db_free(db);
  vc_diag_free(tmp);
}

/* ---- a custom grid ---- */

/* A pair [a, b] of positive numbers (what = its names in messages). */
static bool pair(vc_tctx_t *c, const vc_tnode_t *n, const char *key, const char *what,
                 double *out, bool positive) {
  if (n->kind != VC_TN_SEQ || n->nkids != 2) {
    vc__tctx_err(c, n, VC_E_INPUT, "%s: must be two numbers, %s", key, what);
    return false;
  }
  if (!vc__tn_number(c, n->kids[0], key, &out[0]) || !vc__tn_number(c, n->kids[1], key, &out[1]))
    return false;
  if (positive ? (out[0] <= 0 || out[1] <= 0) : (out[0] < 0 || out[1] < 0)) {
    vc__tctx_err(c, n, VC_E_INPUT,
                 positive ? N_("%s: both numbers must be more than 0")
                          : N_("%s: both numbers must be 0 or more"), key);
    return false;
  }
  return true;
}

static void read_custom(vc_tctx_t *c, const vc_tnode_t *m) {
  static const char *const shapes[] = {"rectangle", "rounded", "round", "ellipse", NULL};
  vc_sheet_t s = {.paper_w = c->t->page_w, .paper_h = c->t->page_h};
  const vc_tnode_t *label = vc__tn_get(m, "label"), *grid = vc__tn_get(m, "grid"),
                   *marg = vc__tn_get(m, "margins"), *pitch = vc__tn_get(m, "pitch"),
                   *shape = vc__tn_get(m, "shape"), *rad = vc__tn_get(m, "radius");
  size_t nerr = c->nerr;
  double wh[2] = {0}, g[2] = {0}, mg[2] = {0}, pt[2] = {0};
  if (!label || !grid) {
    vc__tctx_err(c, m, VC_E_INPUT,
                 "the sheet section needs product: (a label product's name) or label: "
                 "[width, height] and grid: [columns, rows]");
    return;
  }
  pair(c, label, "label", _("[width, height] in mm"), wh, true);
  if (pair(c, grid, "grid", _("[columns, rows]"), g, true) &&
      (g[0] != (int)g[0] || g[1] != (int)g[1] || g[0] * g[1] > VC_SHEET_MAX_CELLS))
    vc__tctx_err(c, grid, VC_E_INPUT, "grid: whole numbers of columns and rows, at most %d labels",
                 VC_SHEET_MAX_CELLS);
  if (pitch) pair(c, pitch, "pitch", _("[across, down] in mm from one label to the next"), pt, true);
  if (marg) pair(c, marg, "margins", _("[left, top] in mm to the first label"), mg, false);
  int sh = 0;
  if (shape) vc__tn_enum(c, shape, "shape", shapes, &sh);
  if (rad && vc__tn_number(c, rad, "radius", &s.radius) && (s.radius < 0 || sh != 1))
    vc__tctx_err(c, rad, VC_E_INPUT, "radius: for shape: rounded only, 0 or more mm");
  if (c->nerr != nerr) return;
  s.label_w = wh[0], s.label_h = wh[1];
  s.shape = sh == 0 || sh == 1 ? VC_SHEET_RECT : sh == 2 ? VC_SHEET_ROUND : VC_SHEET_ELLIPSE;
  if (sh == 2 && wh[0] != wh[1])
    return vc__tctx_err(c, label, VC_E_INPUT, "label: a round label's width and height are equal");
  vc_sheet_grid_t *gr = &s.grids[0];
  s.ngrids = 1;
  gr->nx = (int)g[0], gr->ny = (int)g[1];
  gr->dx = pitch ? pt[0] : wh[0], gr->dy = pitch ? pt[1] : wh[1];
  if (gr->dx < wh[0] || gr->dy < wh[1])
    return vc__tctx_err(c, pitch, VC_E_INPUT,
                        "pitch: less than the label's size: the labels would overlap");
  /* no margins: the grid centred on the paper */
  gr->x0 = marg ? mg[0] : (s.paper_w - (gr->nx - 1) * gr->dx - wh[0]) / 2;
  gr->y0 = marg ? mg[1] : (s.paper_h - (gr->ny - 1) * gr->dy - wh[1]) / 2;
  char why[200];
  if (!c->page_unsure && !vc_sheet_check(&s, why, sizeof why))
    return vc__tctx_err(c, m, VC_E_INPUT, "the sheet does not fit its paper: %s", why);
  if (!(c->t->sheet = vc_sheet_dup(&s))) vc__tctx_nomem(c);
}

void vc__tmpl_read_sheet(vc_tctx_t *c, const vc_tnode_t *n, const vc_tnode_t *page) {
  static const char *const keys[] = {"product", "products", "label", "grid", "margins",
                                     "pitch", "shape", "radius", NULL};
  if (!n || (n->kind == VC_TN_SCALAR && n->null)) return;
  if (!vc__tn_check_keys(c, n, keys, _("the sheet section"))) return;
  const vc_tnode_t *prod = vc__tn_get(n, "product"), *file = vc__tn_get(n, "products");
  if (!prod) {
    if (file) vc__tctx_err(c, file, VC_E_INPUT, "products: names a file for product:, which is missing");
    read_custom(c, n);
    return;
  }
  for (int i = 2; keys[i]; i++)
    if (vc__tn_get(n, keys[i]))
      return vc__tctx_err(c, vc__tn_get(n, keys[i]), VC_E_INPUT,
                          "%s: a product has its own sizes; give either product: or a "
                          "custom grid (label:, grid: ...)", keys[i]);
  if (page)
    return vc__tctx_err(c, page, VC_E_INPUT,
                        "page: the label product gives the paper; leave page: out");
  read_product(c, prod, file);
}

void vc_template_area(const vc_template_t *t, double *w, double *h) {
  *w = t->sheet ? t->sheet->label_w : t->page_w;
  *h = t->sheet ? t->sheet->label_h : t->page_h;
}
