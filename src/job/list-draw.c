/*
 * list-draw.c - one page of a list document (issue 13): the first page's
 * header block, the every_page elements, the column headers, the page's
 * rows, and on the last page the totals row and the end block; the table's
 * rules (see list.c for how the pages are cut).
 *
 * Layouts are made with the page's top as y 0 and moved down when drawn
 * (dy), so a row is laid out the same wherever it lands.
 */
#include "job/list-private.h"

#include <stdio.h>
#include <string.h>

#define MM VC_MM_TO_PT

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
static bool draw_els(vc_listjob_t *x, vc_pdf_t *pdf, const vc_el_t *els, size_t n,
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
      ok = vc__list_layout_el(x, el, d) && draw_tl(pdf, &x->etl, el->color, dy, ph);
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
static bool draw_cells(vc_listjob_t *x, vc_pdf_t *pdf, double y, double h, double ph) {
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
static bool hrule(const vc_listjob_t *x, vc_pdf_t *pdf, const vc_pdf_style_t *st, double y,
                  double ph) {
  double x0 = x->l->x * MM, x1 = x0;
  for (size_t k = 0; k < x->l->ncols; k++) x1 += x->l->cols[k].w * MM;
  return vc_pdf_line(pdf, st, x0, ph - y, x1, ph - y);
}

/* The vertical rules from y0 to y1: at the table's edges and between
 * columns from column `from` on (the totals row's label spans the first). */
static bool vrules(const vc_listjob_t *x, vc_pdf_t *pdf, const vc_pdf_style_t *st, double y0,
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
static bool draw_head(vc_listjob_t *x, vc_pdf_t *pdf, double y, double ph) {
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
static bool draw_block(vc_listjob_t *x, vc_pdf_t *pdf, long p, double pw, double ph,
                       vc_diag_t *d) {
  if (p == 0) return vc_page_draw_content(x->c->pl, pdf, d);
  return !x->t->background || vc_pdf_image(pdf, x->t->background, 0, 0, pw, ph);
}

bool vc__list_draw_page(vc_listjob_t *x, vc_pdf_t *pdf, long p, vc_diag_t *d) {
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
    ok = vc__list_layout_row(x, i, d) >= 0 && draw_cells(x, pdf, y, h, ph) &&
         hrule(x, pdf, &rule, y + h, ph);
    y += h;
  }
  ok = ok && vrules(x, pdf, &rule, top, y, 0, ph);
  if (!ok || p + 1 < x->npages) return ok;
  if (l->total_field) { /* the last page: totals, then the end block */
    vc__list_layout_total(x);
    ok = draw_cells(x, pdf, y, x->total_h, ph) && hrule(x, pdf, &rule, y + x->total_h, ph) &&
         vrules(x, pdf, &rule, y, y + x->total_h, l->total_col, ph);
    y += x->total_h;
  }
  return ok && draw_els(x, pdf, l->end, l->nend, y, ph, d);
}
