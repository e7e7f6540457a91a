/*
 * template-list.c - the `list:` section (issue 13): a table document, one
 * row per record, with column headers on every page, a totals row and an
 * end block kept with the last rows (format: templates/README.md, "Lists";
 * the tree: template-list.h; drawn by src/job/list.c).
 */
#include "template/template-internal.h"
#include "template/template-list.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/text.h"

static const char *const list_keys[] = {
    "x", "top", "top_next", "bottom", "font", "size", "header_font", "header_size",
    "padding", "row_height", "line_spacing", "header_fill", "rule", "columns",
    "total", "every_page", "end", NULL};
static const char *const col_keys[] = {"title", "width", "align", "value", NULL};
static const char *const total_keys[] = {"field", "label", NULL};
static const char *const end_keys[] = {"height", "elements", NULL};
static const char *const specials[] = {"stt", "tong", "so_dong", "trang", "so_trang", NULL};

/* A list of more columns than this does not fit a page. */
#define MAX_COLS 30

int vc_list_special(const char *name) {
  for (int i = 0; specials[i]; i++)
    if (!strcmp(specials[i], name)) return i;
  return -1;
}

static void els_free(vc_el_t *els, size_t n) {
  for (size_t i = 0; i < n; i++) vc__tmpl_el_clear(&els[i]);
  free(els);
}

void vc_list_free(vc_list_t *l) {
  if (!l) return;
  for (size_t i = 0; i < l->ncols; i++) {
    free(l->cols[i].title);
    vc_expr_free(l->cols[i].value);
  }
  free(l->cols);
  free(l->total_field);
  free(l->total_label);
  els_free(l->every, l->nevery);
  els_free(l->end, l->nend);
  free(l);
}

/* The index of a font declared in the fonts section, reported at n when
 * there is none of that name. */
static void font_of(vc_tctx_t *c, const vc_tnode_t *n, const char *key, size_t *out) {
  const char *s;
  if (!n || !vc__tn_string(c, n, key, &s)) return;
  const vc_template_t *t = c->t;
  for (size_t i = 0; i < t->nfonts; i++)
    if (!strcmp(t->fonts[i].name, s)) {
      *out = i;
      return;
    }
  vc__tctx_err(c, n, VC_E_INPUT, "%s: '%s' is not declared in the fonts section", key, s);
}

/* A number of key in m within [lo, hi], into *out when present. */
static void number_in(vc_tctx_t *c, const vc_tnode_t *m, const char *key, double lo,
                      double hi, double *out) {
  const vc_tnode_t *n = vc__tn_get(m, key);
  double v;
  if (!n || !vc__tn_number(c, n, key, &v)) return;
  if (v < lo || v > hi) {
    char a[32], b[32], g[32];
    vc__tctx_err(c, n, VC_E_INPUT, "%s: must be from %s to %s (got %s)", key,
                 vc_text_fmt_num(lo, a, sizeof a), vc_text_fmt_num(hi, b, sizeof b),
                 vc_text_fmt_num(v, g, sizeof g));
    return;
  }
  *out = v;
}

/* The elements of a sub-list, read by the elements reader (which fills
 * c->t->els): the template's own elements are set aside meanwhile. */
static void sub_elements(vc_tctx_t *c, const vc_tnode_t *seq, vc_el_t **els, size_t *n) {
  vc_template_t *t = c->t;
  vc_el_t *keep = t->els;
  size_t nkeep = t->nels, bytes = t->static_text_bytes;
  t->els = NULL, t->nels = 0;
  vc__tmpl_read_elements(c, seq);
  *els = t->els, *n = t->nels;
  for (size_t i = 0; i < *n; i++)
    if ((*els)[i].kind == VC_EL_QR ||
        ((*els)[i].kind == VC_EL_IMAGE && !vc_expr_is_static((*els)[i].src)))
      vc__tctx_err_at(c, (*els)[i].line, 1, VC_E_INPUT,
                      "a list's every_page and end blocks take texts, shapes and "
                      "fixed images, not a qr: or a per-record image");
  t->els = keep, t->nels = nkeep, t->static_text_bytes = bytes;
}

/* One column: title, width, align, value. */
static void read_col(vc_tctx_t *c, vc_list_col_t *col, const vc_tnode_t *m, size_t idx) {
  static const char *const aligns[] = {"left", "center", "right", NULL};
  char where[96];
  snprintf(where, sizeof where, _("column %zu of the list"), idx + 1);
  col->line = m->line;
  if (!vc__tn_check_keys(c, m, col_keys, where)) return;
  const vc_tnode_t *n;
  const char *s;
  if ((n = vc__tn_get(m, "title")) && vc__tn_string(c, n, "title", &s) &&
      !(col->title = strdup(s)))
    vc__tctx_nomem(c);
  if (!n) vc__tctx_err(c, m, VC_E_INPUT, "%s: needs title: (the column's header)", where);
  if (!vc__tn_get(m, "width"))
    vc__tctx_err(c, m, VC_E_INPUT, "%s: needs width: (mm)", where);
  number_in(c, m, "width", 2, 1000, &col->w);
  int k;
  if ((n = vc__tn_get(m, "align")) && vc__tn_enum(c, n, "align", aligns, &k))
    col->align = (vc_halign_t)k;
  n = vc__tn_get(m, "value");
  if (n && n->kind != VC_TN_SCALAR)
    vc__tctx_err(c, n, VC_E_INPUT, "value: text starting with { must be put in quotes, "
                 "like value: \"{ho_ten}\"");
  else if (n && vc__tn_string(c, n, "value", &s)) {
    int line, cl;
    vc__tnode_text_pos(c, n, &line, &cl);
    if (!(col->value = vc_expr_parse(s, c->path, line, cl, c->d))) c->nerr++;
  } else if (!n && !(col->value = vc_expr_parse("", c->path, m->line, m->col, c->d)))
    c->nerr++; /* no value: an empty cell, e.g. for signing */
}

/* columns: of list m, each read_col. */
static void read_cols(vc_tctx_t *c, vc_list_t *l, const vc_tnode_t *m) {
  const vc_tnode_t *seq = vc__tn_get(m, "columns");
  if (!seq || seq->kind != VC_TN_SEQ || seq->nkids == 0) {
    vc__tctx_err(c, seq ? seq : m, VC_E_INPUT,
                 "list: needs columns:, a list of columns, each starting with - "
                 "(title, width, align, value)");
    return;
  }
  if (seq->nkids > MAX_COLS) {
    vc__tctx_err(c, seq, VC_E_LIMIT, "list: more than %d columns", MAX_COLS);
    return;
  }
  if (!(l->cols = calloc(seq->nkids, sizeof *l->cols))) {
    vc__tctx_nomem(c);
    return;
  }
  double w = 0;
  for (size_t i = 0; i < seq->nkids; i++) {
    read_col(c, &l->cols[l->ncols], seq->kids[i], i);
    w += l->cols[l->ncols++].w;
  }
  if (!c->page_unsure && l->x + w > c->t->page_w + 0.01) {
    char a[32], b[32];
    vc__tctx_err(c, seq, VC_E_INPUT,
                 "list: the columns reach %s mm from the left, past the page's "
                 "width (%s mm): make them narrower", vc_text_fmt_num(l->x + w, a, sizeof a),
                 vc_text_fmt_num(c->t->page_w, b, sizeof b));
  }
}

/* True when x has a placeholder of that name. */
static bool uses(const vc_expr_t *x, const char *name) {
  for (size_t s = 0; x && s < x->nsegs; s++)
    if (x->segs[s].name && !strcmp(x->segs[s].name, name)) return true;
  return false;
}

/* total: {field: so_tien, label: "Tổng cộng"}: the field must be a
 * declared amount, shown by some column. */
static void read_total(vc_tctx_t *c, vc_list_t *l, const vc_tnode_t *m) {
  if (!vc__tn_check_keys(c, m, total_keys, _("the list's total"))) return;
  const vc_tnode_t *n = vc__tn_get(m, "field"), *lab = vc__tn_get(m, "label");
  const char *s;
  if (!n) {
    vc__tctx_err(c, m, VC_E_INPUT, "total: needs field: (the amount summed, e.g. so_tien)");
    return;
  }
  if (!vc__tn_string(c, n, "field", &s)) return;
  const vc_field_spec_t *f = NULL;
  for (size_t i = 0; i < c->t->nfields && !f; i++)
    if (!strcmp(c->t->fields[i].key, s)) f = &c->t->fields[i];
  if (!f || f->type != VC_FIELD_AMOUNT) {
    vc__tctx_err(c, n, VC_E_INPUT, "total: field '%s' must be declared in the fields "
                 "section with type: amount", s);
    return;
  }
  size_t k = 0;
  while (k < l->ncols && !uses(l->cols[k].value, s)) k++;
  if (k == l->ncols && l->ncols) {
    vc__tctx_err(c, n, VC_E_INPUT, "total: no column shows {%s}, so the sum has no "
                 "column to stand in", s);
    return;
  }
  l->total_col = k;
  if (!(l->total_field = strdup(s)) ||
      !(l->total_label = strdup(lab && vc__tn_string(c, lab, "label", &s) ? s : "Tổng cộng")))
    vc__tctx_nomem(c);
}

static void read_end(vc_tctx_t *c, vc_list_t *l, const vc_tnode_t *m) {
  if (!vc__tn_check_keys(c, m, end_keys, _("the list's end block"))) return;
  const vc_tnode_t *n = vc__tn_get(m, "elements");
  if (!vc__tn_get(m, "height"))
    vc__tctx_err(c, m, VC_E_INPUT, "end: needs height: (mm the block takes below the table)");
  number_in(c, m, "height", 0, c->t->page_h, &l->end_h);
  if (n) sub_elements(c, n, &l->end, &l->nend);
}

/* Where the table stands on the page, checked against the page. */
static void read_place(vc_tctx_t *c, vc_list_t *l, const vc_tnode_t *m) {
  const vc_template_t *t = c->t;
  l->x = 15, l->top = 20, l->top_next = 15, l->bottom = t->page_h - 15;
  number_in(c, m, "x", 0, t->page_w, &l->x);
  number_in(c, m, "top", 0, t->page_h, &l->top);
  number_in(c, m, "top_next", 0, t->page_h, &l->top_next);
  number_in(c, m, "bottom", 0, t->page_h, &l->bottom);
  if (!c->page_unsure && (l->bottom <= l->top + 20 || l->bottom <= l->top_next + 20))
    vc__tctx_err(c, m, VC_E_INPUT,
                 "list: bottom must be at least 20 mm below top and top_next: "
                 "the table needs room for its header and a row");
}

/* The cells' style: fonts, sizes, padding, rows, rules. */
static void read_style(vc_tctx_t *c, vc_list_t *l, const vc_tnode_t *m) {
  l->size = l->header_size = 11;
  l->padding = 1.2, l->row_height = 0, l->line_spacing = 1.2, l->rule = 0.25;
  font_of(c, vc__tn_get(m, "font"), "font", &l->font);
  l->header_font = l->font;
  font_of(c, vc__tn_get(m, "header_font"), "header_font", &l->header_font);
  number_in(c, m, "size", 4, 72, &l->size);
  l->header_size = l->size;
  number_in(c, m, "header_size", 4, 72, &l->header_size);
  number_in(c, m, "padding", 0, 20, &l->padding);
  number_in(c, m, "row_height", 0, 100, &l->row_height);
  number_in(c, m, "line_spacing", 0.8, 3, &l->line_spacing);
  number_in(c, m, "rule", 0, 5, &l->rule);
  const vc_tnode_t *n = vc__tn_get(m, "header_fill");
  bool none = false;
  if (n && vc__tn_color(c, n, "header_fill", &l->header_fill, &none)) l->has_header_fill = !none;
}

void vc__tmpl_read_list(vc_tctx_t *c, const vc_tnode_t *m) {
  if (!vc__tn_check_keys(c, m, list_keys, _("the list section"))) return;
  vc_list_t *l = calloc(1, sizeof *l);
  if (!l) {
    vc__tctx_nomem(c);
    return;
  }
  c->t->list = l;
  l->line = m->line;
  read_place(c, l, m);
  read_style(c, l, m);
  read_cols(c, l, m);
  const vc_tnode_t *n;
  if ((n = vc__tn_get(m, "total"))) read_total(c, l, n);
  if ((n = vc__tn_get(m, "every_page"))) sub_elements(c, n, &l->every, &l->nevery);
  if ((n = vc__tn_get(m, "end"))) read_end(c, l, n);
}
