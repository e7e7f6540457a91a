/*
 * list.c - a list document (issue 13): every chosen record is one row of
 * one table, drawn over as many pages as it takes (format:
 * templates/README.md, "Lists"; the section: template/template-list.h).
 *
 * Two passes: every row is laid out once to know its height (and find every
 * problem, as `check` does), the pages are cut from those heights, then
 * each page is laid out again and drawn, so "Trang 1/3" knows the 3 and
 * memory holds one height per row, not the rows' text.  A row never splits
 * across pages; the totals row and the end block (the amount in words, the
 * signatures) stay on the page of the last row, which moves to a new page
 * with them when they do not fit below it.
 */
#include "job/engine-private.h"
#include "job/job-private.h"
#include "template/template-list.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/i18n.h"
#include "core/money.h"
#include "core/text.h"

#define MM VC_MM_TO_PT

/* One list job's working state; coordinates in pt from the page's top. */
typedef struct vc_listjob {
  vc_job_ctx_t *c;
  const vc_template_t *t;
  const vc_list_t *l;
  vc_textlayout_t *tl;  /* per column: the current row's cells */
  vc_textlayout_t etl;  /* an element of every_page or end */
  vc_el_t *cell, *head; /* per column: a row's and the header's cell, at y 0 */
  double *row_h;        /* per chosen row: its height */
  long *first;          /* per page: its first chosen row; [npages] = n */
  long npages;
  double head_h, total_h;
  long row;             /* the table row the lookups read */
  bool proof;           /* drawing onto a proof's page (proof.c draws the rest) */
  const char *sum_as;   /* while the totals row is laid out: the sum */
  char stt[24], tong[24], so_dong[24], trang[24], so_trang[24];
} listjob_t;

/* The lookup of the list's texts: its own placeholders, then the data's
 * (row x->row). */
static const char *lookup(void *ud, const char *name) {
  const listjob_t *x = ud;
  switch (vc_list_special(name)) {
  case VC_LIST_STT: return x->stt;
  case VC_LIST_TONG: return x->tong;
  case VC_LIST_SO_DONG: return x->so_dong;
  case VC_LIST_TRANG: return x->trang;
  case VC_LIST_SO_TRANG: return x->so_trang;
  default: break;
  }
  if (x->sum_as && !strcmp(name, x->l->total_field)) return x->sum_as;
  return vc_data_value(x->c->data, x->row, name);
}

/* engine-private.h: the list's placeholders bound to the data, each unknown
 * one reported at its place in the template. */
int vc__list_resolve(vc_data_t *data, vc_diag_t *d) {
  const vc_list_t *l = data->e->tpl->list;
  int ok = 1;
  /* every text of the list, its own placeholders left out */
  for (size_t k = 0; k < l->ncols + l->nevery + l->nend; k++) {
    const vc_el_t *el = k < l->ncols ? NULL
                        : k < l->ncols + l->nevery ? &l->every[k - l->ncols]
                                                   : &l->end[k - l->ncols - l->nevery];
    const vc_expr_t *x = el ? el->text : l->cols[k].value;
    if (!x) continue;
    vc_seg_t *segs = calloc(x->nsegs ? x->nsegs : 1, sizeof *segs);
    if (!segs) {
      vc__nomem(d, data->e->tpl->path, _("binding the list's placeholders"));
      return -1;
    }
    vc_expr_t only = *x;
    only.segs = segs, only.nsegs = 0;
    for (size_t s = 0; s < x->nsegs; s++)
      if (x->segs[s].name && vc_list_special(x->segs[s].name) < 0) segs[only.nsegs++] = x->segs[s];
    int r = vc__data_resolve_expr(data, SIZE_MAX, &only, d);
    free(segs);
    if (r < 0) return -1;
    if (r == 0) ok = 0;
  }
  return ok;
}

/* A cell of column k as a text element at y 0: one size, as many lines as
 * the text takes (the row grows). */
static void cell_el(const vc_list_t *l, double x_mm, double w_mm, size_t font,
                    double size, vc_halign_t align, vc_el_t *el) {
  memset(el, 0, sizeof *el);
  el->kind = VC_EL_TEXT;
  el->x = x_mm + l->padding;
  el->y = l->padding;
  el->w = w_mm - 2 * l->padding > 1 ? w_mm - 2 * l->padding : 1;
  el->h = 2000; /* no height limit: the row takes what its text needs */
  el->font = font;
  el->size = el->min_size = size;
  el->max_lines = VC_LAYOUT_MAX_LINES;
  el->line_spacing = l->line_spacing;
  el->align = align;
}

/* The height a laid-out cell needs, padding included (0: empty). */
static double cell_h(const listjob_t *x, const vc_textlayout_t *tl) {
  return tl->nlines ? tl->ink_y1 - tl->ink_y0 + 2 * x->l->padding * MM : 0;
}

/* Lays out text s in cell el into tl; false after a problem (reported at
 * file:line:col, about `what`, a column, when d is not NULL). */
static bool fit(listjob_t *x, vc_textlayout_t *tl, const vc_el_t *el, const char *s,
                const char *file, int line, int col, const char *what, vc_diag_t *d) {
  const vc_engine_t *e = x->c->e;
  tl->nlines = 0;
  if (!*s) return true;
  if (!vc_layout_text(tl, el, e->fonts[el->font], e->fs, s, strlen(s))) {
    if (d) vc__nomem(d, file, _("laying out the list"));
    return false;
  }
  if (tl->missing_cp) {
    char ch[8] = {0};
    vc_utf8_encode(tl->missing_cp, ch);
    if (d)
      vc_diag_add(d, VC_E_FONT, file, line, col,
                  "%s: character U+%04X '%s' cannot be drawn with the font '%s' "
                  "(the list's font)", what, (unsigned)tl->missing_cp, ch,
                  vc_font_family(e->fonts[el->font]));
    return false;
  }
  if (!tl->fits) {
    char sh[100];
    if (d)
      vc_diag_add(d, VC_E_INPUT, file, line, col,
                  "%s: \"%s\" is more than %d lines in its column: make the column wider",
                  what, vc_text_shorten(tl->text, sh, sizeof sh), VC_LAYOUT_MAX_LINES);
    return false;
  }
  return true;
}

/* Lays out chosen row i's cells into x->tl; its height, or -1 after a
 * problem (reported when d is not NULL). */
static double layout_row(listjob_t *x, long i, vc_diag_t *d) {
  const vc_list_t *l = x->l;
  const vc_data_t *data = x->c->data;
  x->row = x->c->sel.rows[i];
  snprintf(x->stt, sizeof x->stt, "%ld", i + 1);
  const char *file = vc_data_name(data);
  int line = vc_data_row_line(data, x->row);
  double h = l->row_height * MM;
  bool ok = true;
  for (size_t k = 0; k < l->ncols; k++) {
    char err[256];
    char *s = vc_expr_eval(l->cols[k].value, lookup, x, err, sizeof err);
    if (!s) {
      if (d) vc_diag_add(d, VC_E_INPUT, file, line, 0, "%s", err);
      x->tl[k].nlines = 0, ok = false;
      continue;
    }
    const vc_expr_t *v = l->cols[k].value;
    int col = 0;
    for (size_t sg = 0; sg < v->nsegs && col <= 0; sg++)
      if (v->segs[sg].name) col = vc_data_col(data, v->segs[sg].name) + 1;
    char what[160];
    snprintf(what, sizeof what, _("column \"%s\""), col > 0 ? vc_table_col_header(data->table, col - 1)
                                                       : l->cols[k].title ? l->cols[k].title : "");
    ok = fit(x, &x->tl[k], &x->cell[k], s, file, line, col > 0 ? col : 0, what, d) && ok;
    free(s);
    if (cell_h(x, &x->tl[k]) > h) h = cell_h(x, &x->tl[k]);
  }
  return ok ? h : -1;
}

/* Lays out the totals row into x->tl (the label across the columns before
 * the total's, the sum in it); its height. */
static double layout_total(listjob_t *x) {
  const vc_list_t *l = x->l;
  for (size_t k = 0; k < l->ncols; k++) x->tl[k].nlines = 0;
  double span = 0;
  for (size_t k = 0; k < l->total_col; k++) span += l->cols[k].w;
  vc_el_t lab, sum;
  cell_el(l, l->x, span, l->header_font, l->size, VC_ALIGN_CENTER, &lab);
  double at = l->x + span;
  const vc_list_col_t *tc = &l->cols[l->total_col];
  cell_el(l, at, tc->w, l->header_font, l->size, tc->align, &sum);
  x->row = x->c->sel.rows[0];
  x->sum_as = x->tong;
  char err[256];
  char *s = vc_expr_eval(tc->value, lookup, x, err, sizeof err);
  x->sum_as = NULL;
  if (span > 0) fit(x, &x->tl[0], &lab, l->total_label, NULL, 0, 0, NULL, NULL);
  /* the sum column's own pattern, shown with the sum ("20.000.000") */
  if (s) fit(x, &x->tl[l->total_col], &sum, s, NULL, 0, 0, NULL, NULL);
  free(s);
  double h = l->row_height * MM;
  for (size_t k = 0; k < l->ncols; k++)
    if (cell_h(x, &x->tl[k]) > h) h = cell_h(x, &x->tl[k]);
  return h;
}

/* Lays out a text element of every_page or end into x->etl; false after a
 * problem (reported when d is not NULL, at the template's line). */
static bool layout_el(listjob_t *x, const vc_el_t *el, vc_diag_t *d) {
  const char *tp = x->t->path;
  char err[256];
  x->row = x->c->sel.rows[0];
  char *s = vc_expr_eval(el->text, lookup, x, err, sizeof err);
  if (!s) {
    if (d) vc_diag_add(d, VC_E_INPUT, tp, el->line, 0, "%s", err);
    return false;
  }
  const vc_engine_t *e = x->c->e;
  bool ok = vc_layout_text(&x->etl, el, e->fonts[el->font], e->fs, s, strlen(s));
  if (!ok && d) vc__nomem(d, tp, _("laying out the list"));
  if (ok && (x->etl.missing_cp || !x->etl.fits)) {
    char sh[100];
    const char *shown = vc_text_shorten(x->etl.text, sh, sizeof sh);
    const char *family = vc_font_family(e->fonts[el->font]);
    if (d && x->etl.missing_cp)
      vc_diag_add(d, VC_E_FONT, tp, el->line, 0,
                  "\"%s\": a character cannot be drawn with the font '%s'", shown, family);
    else if (d)
      vc_diag_add(d, VC_E_INPUT, tp, el->line, 0,
                  "\"%s\" does not fit its box (font '%s'): make the box larger", shown, family);
    ok = false;
  }
  free(s);
  return ok;
}

/* ---- the job's state ---- */

static void lj_free(listjob_t *x) {
  for (size_t k = 0; x->tl && k < x->l->ncols; k++) vc_textlayout_free(&x->tl[k]);
  vc_textlayout_free(&x->etl);
  free(x->tl);
  free(x->cell);
  free(x->head);
  free(x->row_h);
  free(x->first);
}

static bool lj_init(listjob_t *x, vc_job_ctx_t *c, vc_diag_t *d) {
  memset(x, 0, sizeof *x);
  x->c = c;
  x->t = c->e->tpl;
  const vc_list_t *l = x->l = x->t->list;
  size_t nc = l->ncols ? l->ncols : 1, n = (size_t)c->sel.n + 1;
  x->tl = calloc(nc, sizeof *x->tl);
  x->cell = calloc(nc, sizeof *x->cell);
  x->head = calloc(nc, sizeof *x->head);
  x->row_h = calloc(n, sizeof *x->row_h);
  x->first = calloc(n + 1, sizeof *x->first);
  vc_textlayout_init(&x->etl);
  if (!x->tl || !x->cell || !x->head || !x->row_h || !x->first) {
    vc__nomem(d, x->t->path, _("laying out the list"));
    return false;
  }
  double at = l->x;
  for (size_t k = 0; k < l->ncols; k++) {
    const vc_list_col_t *col = &l->cols[k];
    vc_textlayout_init(&x->tl[k]);
    cell_el(l, at, col->w, l->font, l->size, col->align, &x->cell[k]);
    cell_el(l, at, col->w, l->header_font, l->header_size, VC_ALIGN_CENTER, &x->head[k]);
    at += col->w;
  }
  snprintf(x->so_dong, sizeof x->so_dong, "%ld", c->sel.n);
  strcpy(x->tong, "0");
  return true;
}

/* Adds chosen row i's amount to *sum; false after a problem. */
static bool add_amount(listjob_t *x, long i, unsigned long long *sum, vc_diag_t *d) {
  const vc_data_t *data = x->c->data;
  long row = x->c->sel.rows[i];
  const char *v = vc_data_value(data, row, x->l->total_field);
  uint64_t a = 0;
  char why[128];
  if (!v || !*v) return true; /* an empty amount adds nothing */
  if (!vc_money_parse(v, &a, why, sizeof why)) { /* the row checks said it */
    return false;
  }
  if (a > VC_MONEY_MAX - *sum) {
    vc_diag_add(d, VC_E_INPUT, vc_data_name(data), vc_data_row_line(data, row),
                vc_data_col(data, x->l->total_field) + 1,
                "the total of %s passes %llu, the largest amount vncert writes in words",
                x->l->total_field, (unsigned long long)VC_MONEY_MAX);
    return false;
  }
  *sum += a;
  return true;
}

/* ---- the first pass: every row measured, the pages cut ---- */

/* Measures the header row, every chosen row, the total and the end block's
 * texts, reporting every problem.  Returns the number of problems. */
static long measure(listjob_t *x, const vc_job_t *job, vc_diag_t *d) {
  const vc_list_t *l = x->l;
  vc_job_ctx_t *c = x->c;
  long problems = 0;
  unsigned long long sum = 0;
  x->head_h = 0;
  for (size_t k = 0; k < l->ncols; k++) {
    if (!fit(x, &x->tl[k], &x->head[k], l->cols[k].title ? l->cols[k].title : "",
             x->t->path, l->cols[k].line, 0, _("the column's title"), d))
      problems++;
    if (cell_h(x, &x->tl[k]) > x->head_h) x->head_h = cell_h(x, &x->tl[k]);
  }
  /* the header block (the first page's elements) reads the first row */
  if (!x->proof && c->sel.n > 0 && vc_page_layout(c->pl, c->data, c->sel.rows[0], d) > 0)
    problems++;
  for (long i = 0; i < c->sel.n && !vc__job_cancelled(job, d); i++) {
    if (!vc_data_row_ok(c->data, c->sel.rows[i])) {
      problems++; /* its problem was reported with the row checks */
      continue;
    }
    x->row_h[i] = layout_row(x, i, d);
    if (x->row_h[i] < 0) problems++;
    if (l->total_field && !add_amount(x, i, &sum, d)) problems++;
    vc__job_progress(job, i + 1, c->sel.n);
  }
  snprintf(x->tong, sizeof x->tong, "%llu", sum);
  x->total_h = l->total_field && c->sel.n > 0 ? layout_total(x) : 0;
  /* the page numbers are not known yet: their widest likely form */
  snprintf(x->trang, sizeof x->trang, "%ld", c->sel.n + 1);
  snprintf(x->so_trang, sizeof x->so_trang, "%ld", c->sel.n + 1);
  for (size_t k = 0; k < l->nevery + l->nend && c->sel.n > 0; k++) {
    const vc_el_t *el = k < l->nevery ? &l->every[k] : &l->end[k - l->nevery];
    if (el->kind == VC_EL_TEXT && !layout_el(x, el, d)) problems++;
  }
  return problems;
}

/* Cuts the pages from the rows' heights into x->first.  false after a
 * problem (a row or the end block taller than a page). */
static bool paginate(listjob_t *x, vc_diag_t *d) {
  const vc_list_t *l = x->l;
  long n = x->c->sel.n, p = 0;
  const double bottom = l->bottom * MM, next_top = l->top_next * MM + x->head_h;
  double y = l->top * MM + x->head_h;
  x->first[0] = 0;
  for (long i = 0; i < n; i++) {
    if (y + x->row_h[i] > bottom + 1e-6 && i > x->first[p]) {
      x->first[++p] = i;
      y = next_top;
    }
    if (y + x->row_h[i] > bottom + 1e-6) {
      const vc_data_t *data = x->c->data;
      vc_diag_add(d, VC_E_INPUT, vc_data_name(data), vc_data_row_line(data, x->c->sel.rows[i]), 0,
                  "this row is taller than a page of the list: shorten its text or "
                  "widen its columns");
      return false;
    }
    y += x->row_h[i];
  }
  /* the totals and the end block never stand alone on a page */
  const double end = x->total_h + l->end_h * MM;
  if (y + end > bottom + 1e-6) {
    if (n - 1 > x->first[p]) x->first[++p] = n - 1;
    if (next_top + x->row_h[n - 1] + end > bottom + 1e-6 || n == 1) {
      char mm[32];
      vc_diag_add(d, VC_E_INPUT, x->t->path, l->line, 0,
                  "the list's total and end block (%s mm) do not fit on a page "
                  "with its last row: make end: height smaller or bottom: lower",
                  vc_text_fmt_num(end / MM, mm, sizeof mm));
      return false;
    }
  }
  x->npages = p + 1;
  x->first[x->npages] = n;
  snprintf(x->so_trang, sizeof x->so_trang, "%ld", x->npages);
  return true;
}

long vc__list_check(vc_job_ctx_t *c, const vc_job_t *job, vc_diag_t *d) {
  listjob_t x;
  long problems = 0;
  if (!lj_init(&x, c, d)) problems = 1;
  else if ((problems = measure(&x, job, d)) == 0 && c->sel.n > 0 && !paginate(&x, d))
    problems = 1;
  lj_free(&x);
  return problems;
}

/* ---- a page drawn ----
 *
 * Layouts are made with the page's top as y 0 and moved down when drawn
 * (dy), so a row is laid out the same wherever it lands. */

/* Draws laid-out text dy pt lower than laid out. */
static bool draw_tl(vc_pdf_t *pdf, const vc_textlayout_t *tl, vc_color_t col, double dy,
                    double ph) {
  for (int i = 0; i < tl->nlines; i++) {
    const vc_line_t *ln = &tl->lines[i];
    for (size_t r = ln->first_run; r < ln->first_run + ln->nruns; r++) {
      const vc_run_t *run = &tl->runs[r];
      int h = vc_pdf_font(pdf, vc_font_path(run->font), vc_font_face_index(run->font));
      if (h < 0 || !vc_pdf_text(pdf, h, tl->size, col.r, col.g, col.b, run->x,
                                ph - ln->baseline - dy, tl->text + run->off, run->len))
        return false;
    }
  }
  return true;
}

/* The elements of every_page (dy 0) or of the end block (dy: its top). */
static bool draw_els(listjob_t *x, vc_pdf_t *pdf, const vc_el_t *els, size_t n,
                     double dy, double ph, vc_diag_t *d) {
  for (size_t i = 0; i < n; i++) {
    const vc_el_t *el = &els[i];
    double ex = el->x * MM, ey = el->y * MM + dy, w = el->w * MM, h = el->h * MM;
    vc_pdf_style_t st = {.stroke = el->has_stroke, .fill = el->has_fill,
                         .sr = el->stroke.r, .sg = el->stroke.g, .sb = el->stroke.b,
                         .fr = el->fill.r, .fg = el->fill.g, .fb = el->fill.b,
                         .width = el->stroke_width * MM, .dash = el->dash * MM};
    bool ok = true;
    switch (el->kind) {
    case VC_EL_TEXT:
      ok = layout_el(x, el, d) && draw_tl(pdf, &x->etl, el->color, dy, ph);
      break;
    case VC_EL_RECT: ok = vc_pdf_rect(pdf, &st, ex, ph - ey - h, w, h, el->radius * MM); break;
    case VC_EL_ELLIPSE: ok = vc_pdf_ellipse(pdf, &st, ex, ph - ey - h, w, h); break;
    case VC_EL_LINE: ok = vc_pdf_line(pdf, &st, ex, ph - ey, ex + w, ph - ey - h); break;
    case VC_EL_IMAGE:
      if (el->src && vc_expr_is_static(el->src) && el->src->nsegs == 1)
        ok = vc_pdf_image(pdf, el->src->segs[0].lit, ex, ph - ey - h, w, h);
      break;
    case VC_EL_QR: break; /* refused in a list's blocks when the template is read */
    }
    if (!ok) return false;
  }
  return true;
}

/* The laid-out cells of one row (x->tl) into a row of height h whose top is
 * y, each cell's text centred in the row's height. */
static bool draw_cells(listjob_t *x, vc_pdf_t *pdf, double y, double h, double ph) {
  static const vc_color_t black = {0, 0, 0};
  for (size_t k = 0; k < x->l->ncols; k++) {
    const vc_textlayout_t *tl = &x->tl[k];
    if (!tl->nlines) continue;
    double ink = tl->ink_y1 - tl->ink_y0;
    if (!draw_tl(pdf, tl, black, y + (h - ink) / 2 - tl->ink_y0, ph)) return false;
  }
  return true;
}

/* A horizontal rule across the table at y. */
static bool hrule(const listjob_t *x, vc_pdf_t *pdf, const vc_pdf_style_t *st, double y,
                  double ph) {
  double x0 = x->l->x * MM, x1 = x0;
  for (size_t k = 0; k < x->l->ncols; k++) x1 += x->l->cols[k].w * MM;
  return vc_pdf_line(pdf, st, x0, ph - y, x1, ph - y);
}

/* The vertical rules from y0 to y1: at the table's edges and between
 * columns from column `from` on (the totals row's label spans the first). */
static bool vrules(const listjob_t *x, vc_pdf_t *pdf, const vc_pdf_style_t *st, double y0,
                   double y1, size_t from, double ph) {
  double at = x->l->x * MM;
  bool ok = vc_pdf_line(pdf, st, at, ph - y0, at, ph - y1);
  for (size_t k = 0; k < x->l->ncols && ok; k++) {
    at += x->l->cols[k].w * MM;
    if (k + 1 >= from || k + 1 == x->l->ncols) ok = vc_pdf_line(pdf, st, at, ph - y0, at, ph - y1);
  }
  return ok;
}

/* The column headers at y (their background first). */
static bool draw_head(listjob_t *x, vc_pdf_t *pdf, double y, double ph) {
  const vc_list_t *l = x->l;
  if (l->has_header_fill) {
    double w = 0;
    for (size_t k = 0; k < l->ncols; k++) w += l->cols[k].w * MM;
    vc_pdf_style_t f = {.fill = true, .fr = l->header_fill.r, .fg = l->header_fill.g,
                        .fb = l->header_fill.b};
    if (!vc_pdf_rect(pdf, &f, l->x * MM, ph - y - x->head_h, w, x->head_h, 0)) return false;
  }
  for (size_t k = 0; k < l->ncols; k++) {
    vc_textlayout_t *tl = &x->tl[k];
    tl->nlines = 0;
    const char *s = l->cols[k].title ? l->cols[k].title : "";
    if (*s && !vc_layout_text(tl, &x->head[k], x->c->e->fonts[l->header_font], x->c->e->fs, s,
                              strlen(s)))
      return false;
  }
  return draw_cells(x, pdf, y, x->head_h, ph);
}

/* The first page's header block, or the background of a later page. */
static bool draw_block(listjob_t *x, vc_pdf_t *pdf, long p, double pw, double ph,
                       vc_diag_t *d) {
  if (p == 0) return vc_page_draw_content(x->c->pl, pdf, d);
  return !x->t->background || vc_pdf_image(pdf, x->t->background, 0, 0, pw, ph);
}

/* Page p (0-based) of the list: a new page of pdf, or onto the current one
 * for a proof. */
static bool draw_page(listjob_t *x, vc_pdf_t *pdf, long p, vc_diag_t *d) {
  const vc_list_t *l = x->l;
  const double pw = x->t->page_w * MM, ph = x->t->page_h * MM;
  vc_pdf_style_t rule = {.stroke = true, .width = l->rule * MM};
  snprintf(x->trang, sizeof x->trang, "%ld", p + 1);
  if (!x->proof && (!vc_pdf_page(pdf, pw, ph) || !draw_block(x, pdf, p, pw, ph, d)))
    return false;
  if (!draw_els(x, pdf, l->every, l->nevery, 0, ph, d))
    return false;
  const double top = (p ? l->top_next : l->top) * MM;
  double y = top + x->head_h;
  bool ok = draw_head(x, pdf, top, ph) && hrule(x, pdf, &rule, top, ph) &&
            hrule(x, pdf, &rule, y, ph);
  for (long i = x->first[p]; ok && i < x->first[p + 1]; i++) {
    double h = x->row_h[i];
    ok = layout_row(x, i, d) >= 0 && draw_cells(x, pdf, y, h, ph) &&
         hrule(x, pdf, &rule, y + h, ph);
    y += h;
  }
  ok = ok && vrules(x, pdf, &rule, top, y, 0, ph);
  if (!ok || p + 1 < x->npages) return ok;
  if (l->total_field) { /* the last page: totals, then the end block */
    layout_total(x);
    ok = draw_cells(x, pdf, y, x->total_h, ph) && hrule(x, pdf, &rule, y + x->total_h, ph) &&
         vrules(x, pdf, &rule, y, y + x->total_h, l->total_col, ph);
    y += x->total_h;
  }
  return ok && draw_els(x, pdf, l->end, l->nend, y, ph, d);
}

/* ---- the second pass: the pages drawn into one PDF ---- */

/* Writes every page to fd.  false after a diag. */
static bool write_list(listjob_t *x, const vc_job_t *job, int fd, vc_diag_t *d) {
  vc_pdf_t *pdf = vc_pdf_create(vc_engine_title(x->c->e), d);
  vc_pdf_stream_t *s = pdf ? vc_pdf_stream_open(pdf, fd) : NULL;
  bool ok = s != NULL;
  for (long p = 0; ok && p < x->npages; p++) {
    if (vc__job_cancelled(job, d)) ok = false;
    else ok = draw_page(x, pdf, p, d) && vc_pdf_stream_flush(s);
  }
  ok = ok && vc_pdf_stream_close(s);
  vc_pdf_stream_free(s);
  vc_pdf_free(pdf);
  return ok && !vc_diag_count(d);
}

/* The list into one file at job->out ("-": standard output). */
static bool save_list(listjob_t *x, const vc_job_t *job, vc_diag_t *d) {
  if (!strcmp(job->out, "-")) return write_list(x, job, STDOUT_FILENO, d);
  int fd;
  vc_pdf_files_t *files = vc__job_out_open(job->out, &fd, d);
  bool ok = fd >= 0 && write_list(x, job, fd, d);
  return vc__job_out_close(files, fd, ok, NULL, NULL, d); /* a list: no ledger */
}

vc_status_t vc__list_render(vc_job_ctx_t *c, const vc_job_t *job, vc_diag_t *d,
                            vc_job_result_t *res) {
  if (job->split_dir || job->volume_pages > 0 || job->layout_tsv) {
    /* --layout-tsv too: it dumps certificates' boxes, a list has none (the
     * file came out empty) */
    vc_diag_add(d, VC_E_USAGE, job->template_path, 0, 0,
                "this template is a list: one document, so --split, --volume-pages and "
                "--layout-tsv do not apply");
    return VC_E_USAGE;
  }
  if (job->ledger || vc_engine_serial_pattern(c->e))
    vc_diag_add(d, VC_WARN, job->template_path, 0, 0,
                "this template is a list: it is not recorded in the issuance ledger "
                "(--ledger and serial: do not apply)");
  listjob_t x;
  bool ok = lj_init(&x, c, d) && measure(&x, job, d) == 0 && !vc_diag_count(d) &&
            paginate(&x, d) && save_list(&x, job, d);
  if (ok) res->pages += x.npages, res->files++;
  lj_free(&x);
  return ok ? VC_OK : vc__job_fail(d);
}

bool vc__list_proof(vc_engine_t *e, vc_data_t *data, vc_pagelayout_t *pl, long row,
                    vc_pdf_t *pdf, vc_diag_t *d) {
  static const vc_job_t job;
  vc_job_ctx_t c = {.e = e, .data = data, .pl = pl, .sel = {.rows = &row, .n = 1}};
  listjob_t x;
  bool ok = lj_init(&x, &c, d);
  x.proof = true;
  /* problems are said, and what can be drawn is drawn: the proof shows them */
  if (ok && vc_data_row_ok(data, row) && measure(&x, &job, d) == 0) {
    x.npages = 1, x.first[1] = 1;
    snprintf(x.so_trang, sizeof x.so_trang, "1");
    ok = draw_page(&x, pdf, 0, d);
  }
  lj_free(&x);
  return ok;
}
