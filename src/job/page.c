/*
 * page.c - one record's page: expand every element, fit the text, sign and
 * encode its QR code, report what cannot be drawn, then draw it into a PDF
 * (see engine.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/date.h"
#include "core/i18n.h"
#include "core/text.h"
#include "job/engine-private.h"
#include "render/pdf.h"

vc_pagelayout_t *vc_pagelayout_create(const vc_engine_t *e, vc_diag_t *d) {
  vc_pagelayout_t *pl = calloc(1, sizeof *pl);
  if (!pl) {
    vc_diag_add(d, VC_E_NOMEM, NULL, 0, 0, "out of memory laying out a page");
    return NULL;
  }
  size_t n = e->tpl->nels ? e->tpl->nels : 1;
  pl->e = e;
  pl->tl = calloc(n, sizeof *pl->tl);
  pl->img = calloc(n, sizeof *pl->img);
  pl->qr_vals = calloc(n, sizeof *pl->qr_vals);
  pl->qr_small_said = calloc(n, sizeof *pl->qr_small_said);
  if (!pl->tl || !pl->img || !pl->qr_vals || !pl->qr_small_said) {
    vc_pagelayout_free(pl);
    vc_diag_add(d, VC_E_NOMEM, NULL, 0, 0, "out of memory laying out a page");
    return NULL;
  }
  return pl;
}

void vc_pagelayout_free(vc_pagelayout_t *pl) {
  if (!pl) return;
  size_t n = pl->e->tpl->nels;
  for (size_t i = 0; pl->tl && i < n; i++) vc_textlayout_free(&pl->tl[i]);
  for (size_t i = 0; pl->img && i < n; i++) free(pl->img[i]);
  for (size_t i = 0; pl->qr_vals && i < n; i++) free(pl->qr_vals[i]);
  free(pl->tl);
  free(pl->img);
  free(pl->qr_vals);
  free(pl->qr_small_said);
  free(pl);
}

/* The header of an element's first data column, for messages. */
static const char *col_name(const vc_data_t *data, size_t el) {
  int c = data->el_col[el];
  return c ? vc_table_col_header(data->table, c - 1) : _("(template text)");
}

/* Finds which bound column of the record holds cp, to point the clerk at the
 * right cell.  Returns a 1-based column or 0. */
static int column_with(const vc_data_t *data, long row, int32_t cp) {
  char ch[8] = {0};
  vc_utf8_encode(cp, ch);
  for (int c = 0; c < vc_table_ncols(data->table); c++)
    if (strstr(vc_table_get(data->table, row, c), ch)) return c + 1;
  return 0;
}

/* The file a per-record image path from the data names, inside one of the
 * data's image folders (the data file's, --images).  Returns a malloc'd
 * real path, or NULL with *why set: an absolute path, one that leads out
 * of the folders (through ".." or a link), a missing file, not a regular
 * file. */
static char *image_in_folders(const vc_data_t *data, const char *p,
                              const char **why) {
  if (p[0] == '/' || p[0] == '~') {
    *why = _("is not a path inside the data file's folder: give it relative to "
             "that folder (or to the --images folder)");
    return NULL;
  }
  *why = _("was not found in the data file's folder");
  if (data->img_dirs[1])
    *why = _("was not found in the data file's folder nor in the --images folder");
  for (int k = 0; k < 2; k++) {
    const char *base = data->img_dirs[k];
    if (!base) continue;
    size_t n = strlen(base) + strlen(p) + 2;
    char *cand = malloc(n);
    if (!cand) {
      *why = _("could not be looked for: out of memory");
      return NULL;
    }
    snprintf(cand, n, "%s/%s", base, p);
    char *real = realpath(cand, NULL);
    free(cand);
    if (!real) continue;
    size_t bl = strlen(base);
    bool inside = !strncmp(real, base, bl) && (real[bl] == '/' || !strcmp(base, "/"));
    struct stat st;
    if (!inside) {
      *why = _("leads out of the data file's folder (\"..\" or a link): keep the "
               "images in that folder, or give --images");
    } else if (stat(real, &st) != 0 || !S_ISREG(st.st_mode)) {
      *why = _("is not a file");
    } else {
      return real;
    }
    free(real);
  }
  return NULL;
}

/* Resolves element i's per-record image for `row` into pl->img[i] (NULL:
 * no image for this record) and checks the file as drawing it would.
 * Returns the number of problems reported (with the data line). */
static int layout_image(vc_pagelayout_t *pl, const vc_data_t *data, long row,
                        size_t i, vc_diag_t *d) {
  const vc_el_t *el = &pl->e->tpl->els[i];
  const char *file = vc_data_name(data);
  const int line = vc_data_row_line(data, row);
  free(pl->img[i]);
  pl->img[i] = NULL;
  char err[256];
  vc_lookup_ud_t ud = {data, row, pl->serial, pl->mark};
  char *p = vc_expr_eval(el->src, vc__data_lookup, &ud, err, sizeof err);
  if (!p) {
    vc_diag_add(d, VC_E_INPUT, file, line, data->el_col[i], "%s", err);
    return 1;
  }
  if (!*p) { /* no photo for this record: the box stays empty */
    free(p);
    return 0;
  }
  const char *why = NULL;
  char *real = image_in_folders(data, p, &why);
  if (!real) {
    /* TRANSLATORS: the last %s says what is wrong with the image: "was not
     * found in the data file's folder", "is not a file", ... */
    vc_diag_add(d, why ? VC_E_INPUT : VC_E_NOMEM, file, line, data->el_col[i],
                "column \"%s\": the image \"%s\" %s", col_name(data, i), p,
                why ? why : _("(out of memory)"));
    free(p);
    return 1;
  }
  /* The checks drawing does, now, so that `check` finds what `render`
   * would refuse, and the message names the record's line. */
  vc_diag_t *tmp = vc_diag_create();
  bool ok = tmp && vc_pdf_image_check(real, tmp);
  if (!ok) {
    const vc_diag_item_t *it = vc_diag_get(tmp, 0);
    vc_diag_add(d, it ? it->status : VC_E_NOMEM, file, line, data->el_col[i],
                "column \"%s\": the image \"%s\": %s", col_name(data, i), p,
                it ? it->msg : _("out of memory"));
    free(real);
    real = NULL;
  }
  vc_diag_free(tmp);
  free(p);
  pl->img[i] = real;
  return ok ? 0 : 1;
}

int vc_page_layout(vc_pagelayout_t *pl, const vc_data_t *data, long row,
                   vc_diag_t *d) {
  const vc_engine_t *e = pl->e;
  const vc_template_t *t = e->tpl;
  pl->data = data;
  pl->row = row;
  if (!vc_data_row_ok(data, row)) return 1; /* already reported */
  const char *file = vc_data_name(data);
  const int line = vc_data_row_line(data, row);
  vc_lookup_ud_t ud = {data, row, pl->serial, pl->mark};
  int problems = 0;
  /* The texts that change per record share what the fixed ones leave. */
  size_t page_left = VC_PAGE_TEXT_MAX_BYTES - t->static_text_bytes;
  for (size_t i = 0; i < t->nels; i++) {
    const vc_el_t *el = &t->els[i];
    char err[256];
    if (el->kind == VC_EL_IMAGE && el->src && !vc_expr_is_static(el->src)) {
      problems += layout_image(pl, data, row, i, d);
      continue;
    }
    if (el->kind == VC_EL_QR) {
      problems += vc__page_layout_qr(pl, data, row, i, d);
      continue;
    }
    if (el->kind != VC_EL_TEXT || e->is_static[i]) continue;
    const char *over;
    char *s = vc_expr_eval_page(el->text, vc__data_lookup, &ud, &page_left,
                                &over, err, sizeof err);
    if (!s) {
      int col = over ? vc_binding_col(data->bind, over) + 1 : 0;
      vc_diag_add(d, over ? VC_E_LIMIT : VC_E_INPUT, file, line,
                  col > 0 ? col : data->el_col[i], "%s", err);
      problems++;
      continue;
    }
    vc_textlayout_t *tl = &pl->tl[i];
    const vc_font_t *font = e->fonts[el->font];
    bool mem = vc_layout_text(tl, el, font, e->fs, s, strlen(s));
    free(s);
    if (!mem) {
      vc_diag_add(d, VC_E_NOMEM, NULL, 0, 0, "out of memory");
      return problems + 1;
    }
    if (tl->missing_cp) {
      char ch[8] = {0};
      vc_utf8_encode(tl->missing_cp, ch);
      int col = column_with(data, row, tl->missing_cp);
      const char *cname = col ? vc_table_col_header(data->table, col - 1) : col_name(data, i);
      if (el->fallback)
        vc_diag_add(d, VC_E_FONT, file, line, col,
                    "column \"%s\": character U+%04X '%s' cannot be drawn with "
                    "the font '%s' nor any installed font (template line %d)",
                    cname, (unsigned)tl->missing_cp, ch, vc_font_family(font), el->line);
      else
        vc_diag_add(d, VC_E_FONT, file, line, col,
                    "column \"%s\": character U+%04X '%s' cannot be drawn with "
                    "the font '%s' (template line %d)",
                    cname, (unsigned)tl->missing_cp, ch, vc_font_family(font), el->line);
      problems++;
    }
    if (!tl->fits) {
      char pt[32], sh[100];
      vc_diag_add(d, VC_E_INPUT, file, line, data->el_col[i],
                  vc__ngettext("column \"%s\": \"%s\" does not fit its box (template "
                               "line %d) even at %s pt in %d line",
                               "column \"%s\": \"%s\" does not fit its box (template "
                               "line %d) even at %s pt in %d lines",
                               (unsigned long)el->max_lines),
                  col_name(data, i), vc_text_shorten(tl->text, sh, sizeof sh), el->line,
                  vc_text_fmt_num(el->min_size, pt, sizeof pt), el->max_lines);
      problems++;
    }
  }
  return problems;
}

static void style_of(const vc_el_t *el, vc_pdf_style_t *st) {
  st->stroke = el->has_stroke;
  st->fill = el->has_fill;
  st->sr = el->stroke.r, st->sg = el->stroke.g, st->sb = el->stroke.b;
  st->fr = el->fill.r, st->fg = el->fill.g, st->fb = el->fill.b;
  st->width = el->stroke_width * VC_MM_TO_PT;
  st->dash = el->dash * VC_MM_TO_PT;
}

static bool draw_text(const vc_textlayout_t *tl, const vc_el_t *el, double ph,
                      vc_pdf_t *pdf) {
  for (int l = 0; l < tl->nlines; l++) {
    const vc_line_t *ln = &tl->lines[l];
    for (size_t r = ln->first_run; r < ln->first_run + ln->nruns; r++) {
      const vc_run_t *run = &tl->runs[r];
      int h = vc_pdf_font(pdf, vc_font_path(run->font), vc_font_face_index(run->font));
      if (h < 0) return false;
      if (!vc_pdf_text(pdf, h, tl->size, el->color.r, el->color.g, el->color.b,
                       run->x, ph - ln->baseline, tl->text + run->off, run->len))
        return false;
    }
  }
  return true;
}

/* An image inside its box, keeping its aspect ratio unless told not to. */
static bool draw_image(vc_pdf_t *pdf, const char *path, const vc_el_t *el,
                       double ph) {
  double x = el->x * VC_MM_TO_PT, y = el->y * VC_MM_TO_PT;
  double w = el->w * VC_MM_TO_PT, h = el->h * VC_MM_TO_PT;
  double iw, ih;
  if (el->contain && vc_pdf_image_size(pdf, path, &iw, &ih) && iw > 0 && ih > 0) {
    double s = w / iw < h / ih ? w / iw : h / ih;
    x += (w - iw * s) / 2, y += (h - ih * s) / 2;
    w = iw * s, h = ih * s;
  }
  return vc_pdf_image(pdf, path, x, ph - y - h, w, h);
}

bool vc_page_draw(const vc_pagelayout_t *pl, vc_pdf_t *pdf, vc_diag_t *d) {
  double w, h; /* a sheet's record alone: one label (reprint, split) */
  vc_template_area(pl->e->tpl, &w, &h);
  if (!vc_pdf_page(pdf, w * VC_MM_TO_PT, h * VC_MM_TO_PT) ||
      !vc__page_calibrate(pl->e, pdf, h * VC_MM_TO_PT))
    return false;
  return vc_page_draw_content(pl, pdf, d);
}

bool vc__page_calibrate(const vc_engine_t *e, vc_pdf_t *pdf, double h_pt) {
  if (!e->calibrated) return true;
  /* (x, y) from the top-left -> (ox + sx x, oy + sy y); in PDF space, whose
   * y grows upwards from the bottom: y' = sy y + h (1 - sy) - oy */
  const vc_calibration_t *c = &e->calib;
  return vc_pdf_scale_move(pdf, c->scale_x, c->scale_y, c->offset_x * VC_MM_TO_PT,
                           h_pt * (1 - c->scale_y) - c->offset_y * VC_MM_TO_PT);
}

bool vc_page_draw_content(const vc_pagelayout_t *pl, vc_pdf_t *pdf, vc_diag_t *d) {
  const vc_engine_t *e = pl->e;
  const vc_template_t *t = e->tpl;
  double aw, ah; /* a sheet's label is drawn in its cell by the caller's transform */
  vc_template_area(t, &aw, &ah);
  const double pw = aw * VC_MM_TO_PT, ph = ah * VC_MM_TO_PT;
  if (t->background && !vc_pdf_image(pdf, t->background, 0, 0, pw, ph)) return false;
  for (size_t i = 0; i < t->nels; i++) {
    const vc_el_t *el = &t->els[i];
    vc_pdf_style_t st;
    double x = el->x * VC_MM_TO_PT, y = el->y * VC_MM_TO_PT;
    double w = el->w * VC_MM_TO_PT, h = el->h * VC_MM_TO_PT;
    bool ok = true;
    switch (el->kind) {
    case VC_EL_RECT:
      style_of(el, &st);
      ok = vc_pdf_rect(pdf, &st, x, ph - y - h, w, h, el->radius * VC_MM_TO_PT);
      break;
    case VC_EL_ELLIPSE:
      style_of(el, &st);
      ok = vc_pdf_ellipse(pdf, &st, x, ph - y - h, w, h);
      break;
    case VC_EL_LINE:
      style_of(el, &st);
      ok = vc_pdf_line(pdf, &st, x, ph - y, x + w, ph - y - h);
      break;
    case VC_EL_TEXT:
      ok = draw_text(e->is_static[i] ? &e->static_tl[i] : &pl->tl[i], el, ph, pdf);
      break;
    case VC_EL_IMAGE: {
      const char *path = NULL;
      if (el->src && !vc_expr_is_static(el->src)) path = pl->img[i];
      else if (el->src && el->src->nsegs == 1) path = el->src->segs[0].lit;
      if (path) ok = draw_image(pdf, path, el, ph);
      break;
    }
    case VC_EL_QR:
      ok = vc__page_draw_qr(pl, i, ph, pdf, d);
      break;
    }
    if (!ok) return false;
  }
  return true;
}

void vc_page_dump(const vc_pagelayout_t *pl, long page, FILE *fp) {
  const vc_template_t *t = pl->e->tpl;
  for (size_t i = 0; i < t->nels; i++) {
    if (t->els[i].kind != VC_EL_TEXT) continue;
    const vc_textlayout_t *tl = pl->e->is_static[i] ? &pl->e->static_tl[i] : &pl->tl[i];
    for (int l = 0; l < tl->nlines; l++) {
      const vc_line_t *ln = &tl->lines[l];
      size_t a = ln->nruns ? tl->runs[ln->first_run].off : 0;
      size_t b = ln->nruns ? tl->runs[ln->first_run + ln->nruns - 1].off +
                                 tl->runs[ln->first_run + ln->nruns - 1].len : 0;
      /* %.3f would print decimal commas under some locales: use integers. */
      fprintf(fp, "%ld\t%d\t%ld\t%ld\t%ld\t%ld\t%ld\t%.*s\n", page, t->els[i].line,
              (long)(tl->box_x0 * 1000), (long)(tl->box_y0 * 1000),
              (long)(tl->box_x1 * 1000), (long)(tl->box_y1 * 1000),
              (long)(tl->size * 1000), (int)(b - a), tl->text + a);
    }
  }
}

/* ---- a record's signed QR code (issue 11, docs/verify.md): its values
 * evaluated like any text, cleaned and shortened by the rule of the format
 * (a warning says so), signed with the template's key, encoded by
 * libqrencode; drawn as vector rectangles on a white square (the quiet
 * zone of 4 modules is inside the element's size) under a link to the URL ---- */

#define QUIET 4             /* modules of light margin on each side */
#define MODULE_MIN_MM 0.30  /* below this a printed code scans poorly */

/* Element i's signed values for row, raw (evaluated) into raw[]; false
 * with the problem reported (the caller frees raw[] either way). */
static bool eval_values(const vc_pagelayout_t *pl, const vc_data_t *data, long row, size_t i,
                        char *raw[VC_QR_NVALS], vc_diag_t *d) {
  const vc_el_t *el = &pl->e->tpl->els[i];
  vc_lookup_ud_t ud = {data, row, pl->serial, pl->mark};
  char err[256];
  for (int k = 0; k < VC_QR_NVALS; k++) {
    raw[k] = el->qr_val[k] ? vc_expr_eval(el->qr_val[k], vc__data_lookup, &ud, err, sizeof err)
                           : strdup("");
    if (!raw[k]) {
      vc_diag_add(d, VC_E_INPUT, vc_data_name(data), vc_data_row_line(data, row),
                  data->el_col[i], "the QR code (template line %d): %s", el->line, err);
      return false;
    }
  }
  return true;
}

/* The amount as digits and the date as YYYY-MM-DD (the day of the run when
 * empty), in place of what raw[] holds; false with why. */
static bool normalise(char *raw[VC_QR_NVALS], char *why, size_t whylen) {
  char buf[32];
  if (*raw[VC_QR_AMOUNT]) {
    uint64_t v;
    if (!vc_money_parse(raw[VC_QR_AMOUNT], &v, why, whylen)) return false;
    snprintf(buf, sizeof buf, "%llu", (unsigned long long)v);
    free(raw[VC_QR_AMOUNT]);
    if (!(raw[VC_QR_AMOUNT] = strdup(buf)))
      return snprintf(why, whylen, "%s", _("out of memory")), false;
  }
  vc_date_t dt = vc_date_today();
  if (*raw[VC_QR_DATE] && !vc_date_parse(raw[VC_QR_DATE], &dt, why, whylen)) return false;
  snprintf(buf, sizeof buf, "%04d-%02d-%02d", dt.year, dt.month, dt.day);
  free(raw[VC_QR_DATE]);
  if (!(raw[VC_QR_DATE] = strdup(buf)))
    return snprintf(why, whylen, "%s", _("out of memory")), false;
  return true;
}

/* Says which values the code signs shortened (docs/verify.md section 2). */
static void warn_short(const vc_data_t *data, long row, const vc_el_t *el, unsigned cut,
                       const vc_verify_values_t *v, vc_diag_t *d) {
  for (int k = 0; k < 2; k++) {
    if (!(cut & (k ? VC_VERIFY_SHORT_AWARD : VC_VERIFY_SHORT_NAME))) continue;
    if (k)
      vc_diag_add(d, VC_WARN, vc_data_name(data), vc_data_row_line(data, row), 0,
                  "the QR code (template line %d) signs the award shortened to %d "
                  "characters: \"%s\"", el->line, VC_VERIFY_AWARD_MAX, v->award);
    else
      vc_diag_add(d, VC_WARN, vc_data_name(data), vc_data_row_line(data, row), 0,
                  "the QR code (template line %d) signs the name shortened to %d "
                  "characters: \"%s\"", el->line, VC_VERIFY_NAME_MAX, v->name);
  }
}

int vc__page_layout_qr(vc_pagelayout_t *pl, const vc_data_t *data, long row, size_t i,
                       vc_diag_t *d) {
  const vc_el_t *el = &pl->e->tpl->els[i];
  char *raw[VC_QR_NVALS] = {0}, why[320] = "";
  vc_verify_values_t v;
  unsigned cut = 0;
  free(pl->qr_vals[i]);
  pl->qr_vals[i] = NULL;
  bool ok = eval_values(pl, data, row, i, raw, d);
  if (!ok) goto out;
  /* Checked here (what can fail, `check` finds); signed and encoded only
   * when drawn: that is the cost (40 + 100 us), and it cannot fail. */
  ok = normalise(raw, why, sizeof why) &&
       vc_verify_prepare(raw[VC_QR_SERIAL], raw[VC_QR_NAME], raw[VC_QR_AWARD],
                         raw[VC_QR_AMOUNT], raw[VC_QR_DATE], &v, &cut, why, sizeof why) &&
       vc_verify_fits(&v, why, sizeof why);
  if (ok && !(pl->qr_vals[i] = malloc(sizeof v)))
    ok = (snprintf(why, sizeof why, "%s", _("out of memory")), false);
  if (ok) *pl->qr_vals[i] = v;
  if (!ok)
    vc_diag_add(d, VC_E_INPUT, vc_data_name(data), vc_data_row_line(data, row),
                data->el_col[i], "the QR code (template line %d): %s", el->line, why);
  else
    warn_short(data, row, el, cut, &v, d);
out:
  for (int k = 0; k < VC_QR_NVALS; k++) free(raw[k]);
  return ok ? 0 : 1;
}

bool vc__page_draw_qr(const vc_pagelayout_t *pl, size_t i, double ph, vc_pdf_t *pdf,
                      vc_diag_t *d) {
  const vc_el_t *el = &pl->e->tpl->els[i];
  if (!pl->qr_vals[i]) return true; /* a record with a problem is not drawn */
  char why[320];
  vc_verify_values_t v = *pl->qr_vals[i];
  char *url = vc_signer_url(pl->e->signers[i], el->qr_url, &v, why, sizeof why);
  vc_qr_t *q = url ? vc_qr_encode(url, why, sizeof why) : NULL;
  if (!q) { /* vc_verify_fits said it fits: only memory can fail */
    vc_diag_add(d, VC_E_NOMEM, NULL, 0, 0, "the QR code (template line %d): %s", el->line, why);
    free(url);
    return false;
  }
  double x = el->x * VC_MM_TO_PT, size = el->w * VC_MM_TO_PT;
  double y = ph - (el->y + el->h) * VC_MM_TO_PT; /* the bottom, in PDF terms */
  double m = size / (q->width + 2 * QUIET), module = el->w / (q->width + 2 * QUIET);
  if (module < MODULE_MIN_MM && !pl->qr_small_said[i]) { /* once: 10,000 pages, one warning */
    char a[32], b[32];
    pl->qr_small_said[i] = true;
    vc_diag_add(d, VC_WARN, vc_data_name(pl->data), vc_data_row_line(pl->data, pl->row), 0,
                "the QR code (template line %d) needs version %d: at %s mm a module is "
                "%s mm, too small to scan well; make it larger or the values shorter "
                "(said for the first such record only)",
                el->line, q->version, vc_text_fmt_num(el->w, a, sizeof a),
                vc_text_fmt_num(module, b, sizeof b));
  }
  vc_pdf_style_t white = {.fill = true, .fr = 1, .fg = 1, .fb = 1};
  bool ok = vc_pdf_rect(pdf, &white, x, y, size, size, 0) &&
            vc_pdf_modules(pdf, q->dark, q->width, x + QUIET * m, y + QUIET * m, m) &&
            vc_pdf_link(pdf, x, y, size, size, url);
  vc_qr_free(q);
  free(url);
  return ok;
}
