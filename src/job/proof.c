/*
 * proof.c - `vncert proof`: the template drawn with sample text, every box
 * outlined and labelled with its template line, over a millimetre grid, for
 * lining up with a pre-printed form or a background.  A template's form:
 * (the scan of the pre-printed blank) is drawn under it all, here only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "job/engine-private.h"
#include "job/job-private.h"
#include "records/select.h"

#define MM VC_MM_TO_PT

static void grid(vc_pdf_t *pdf, int font, double pw, double ph) {
  /* light enough to read the page through, under everything drawn */
  vc_pdf_style_t fine = {.stroke = true, .sr = 0.86, .sg = 0.92, .sb = 0.99, .width = 0.2};
  vc_pdf_style_t bold = {.stroke = true, .sr = 0.62, .sg = 0.78, .sb = 0.96, .width = 0.3};
  for (int mm = 0; mm * MM <= pw + 0.01; mm += 5) {
    vc_pdf_line(pdf, mm % 10 ? &fine : &bold, mm * MM, 0, mm * MM, ph);
    if (mm % 10 == 0 && mm > 0 && font >= 0) {
      char lab[16];
      int n = snprintf(lab, sizeof lab, "%d", mm);
      vc_pdf_text(pdf, font, 5, 0.2, 0.4, 0.8, mm * MM + 0.8, ph - 6, lab, (size_t)n);
    }
  }
  for (int mm = 0; mm * MM <= ph + 0.01; mm += 5) {
    vc_pdf_line(pdf, mm % 10 ? &fine : &bold, 0, ph - mm * MM, pw, ph - mm * MM);
    if (mm % 10 == 0 && mm > 0 && font >= 0) {
      char lab[16];
      int n = snprintf(lab, sizeof lab, "%d", mm);
      vc_pdf_text(pdf, font, 5, 0.2, 0.4, 0.8, 1, ph - mm * MM - 5.5, lab, (size_t)n);
    }
  }
}

/* Outlines each element's box and labels it "L12 text" (template line). */
static void boxes(const vc_template_t *t, vc_pdf_t *pdf, int font, double ph) {
  static const char *kind[] = {"text", "rect", "line", "ellipse", "image", "qr"};
  for (size_t i = 0; i < t->nels; i++) {
    const vc_el_t *el = &t->els[i];
    vc_pdf_style_t st = {.stroke = true, .width = 0.5, .dash = 2};
    if (el->kind == VC_EL_TEXT) st.sr = 0.85, st.sg = 0.1, st.sb = 0.6;
    else if (el->kind == VC_EL_IMAGE) st.sr = 0.1, st.sg = 0.6, st.sb = 0.2;
    else st.sr = 0.95, st.sg = 0.5, st.sb = 0.0;
    double x = el->x * MM, y = el->y * MM, w = el->w * MM, h = el->h * MM;
    if (el->kind == VC_EL_LINE) {
      /* a line's "box" is its bounding rectangle */
      if (w < 0) x += w, w = -w;
      if (h < 0) y += h, h = -h;
    }
    vc_pdf_rect(pdf, &st, x, ph - y - h, w, h, 0);
    if (font >= 0) {
      char lab[48];
      int n = snprintf(lab, sizeof lab, "L%d %s", el->line, kind[el->kind]);
      vc_pdf_text(pdf, font, 4.5, st.sr, st.sg, st.sb, x + 0.5, ph - y - 4.5, lab, (size_t)n);
    }
  }
}

/* A template's {serial} in a proof (no ledger is opened for a proof): the
 * first serial of this year's count, as the pattern prints it, so that its
 * box shows the width real ones take. */
bool vc_engine_sample_serial(const vc_engine_t *e, char *buf, size_t len) {
  const char *pattern = vc_engine_serial_pattern(e);
  time_t now = time(NULL);
  struct tm tm;
  return pattern && localtime_r(&now, &tm) &&
         vc_ledger_pattern_format(pattern, tm.tm_year + 1900, 1, buf, len);
}

/* Says on the page that the serial shown is a sample (bottom left). */
static void sample_note(vc_pdf_t *pdf, int font, const vc_engine_t *e, const char *serial) {
  char note[400];
  int n = snprintf(note, sizeof note,
                   "Số hiệu mẫu: %s (số đầu năm theo mẫu \"%s\"); số thật do sổ cấp "
                   "phát cấp khi in.", serial, vc_engine_serial_pattern(e));
  if (font >= 0 && n > 0 && (size_t)n < sizeof note)
    vc_pdf_text(pdf, font, 6, 0.85, 0.1, 0.6, 2 * MM, 2 * MM, note, (size_t)n);
}

vc_status_t vc_job_proof(const vc_job_t *job, vc_diag_t *d, vc_job_result_t *res) {
  if (!vc__job_outputs_safe(job, d)) return VC_E_USAGE;
  vc_status_t est = vc_encoding_check(job->read.encoding, d);
  if (est != VC_OK) return est;
  vc_engine_t *e = vc_engine_create(job->template_path, job->fonts_dir, d);
  if (!e) return vc_diag_status(d);
  vc_data_t *data = job->data_path ? vc_data_load(e, job->data_path, &job->read, d) : vc_data_sample(e, d);
  if (data && !vc_data_set_images_dir(data, job->images_dir, d)) {
    vc_data_free(data);
    data = NULL;
  }
  vc_pagelayout_t *pl = data ? vc_pagelayout_create(e, d) : NULL;
  vc_pdf_t *pdf = pl ? vc_pdf_create("Proof", d) : NULL;
  vc_status_t st = VC_OK;
  char serial[VC_LEDGER_SERIAL_MAX];
  const char **serials = NULL; /* every row's {serial}: the sample */
  if (!pdf) {
    st = vc_diag_count(d) ? vc_diag_status(d) : VC_E_NOMEM;
    goto out;
  }
  vc_selection_t sel = {0};
  long row = 0;
  if (job->rows && vc_selection_parse(job->rows, vc_data_count(data), &sel, d) && sel.n)
    row = sel.rows[0];
  vc_selection_free(&sel);
  if (vc_engine_sample_serial(e, serial, sizeof serial) &&
      (serials = calloc((size_t)vc_data_count(data) + 1, sizeof *serials))) {
    for (long i = 0; i <= vc_data_count(data); i++) serials[i] = serial;
    data->serials = serials;
  }
  /* Problems are reported, but the proof is drawn anyway: it is how one
   * sees what does not fit. */
  if (vc_data_count(data) > 0) vc_page_layout(pl, data, row, d);
  const vc_template_t *t = e->tpl;
  double aw, ah; /* a sheet's proof is one label, its elements' area */
  vc_template_area(t, &aw, &ah);
  double ph = ah * MM;
  if (!vc_pdf_page(pdf, aw * MM, ph)) {
    st = vc_diag_status(d);
    goto out;
  }
  int font = t->nfonts ? vc_pdf_font(pdf, vc_font_path(e->fonts[0]), vc_font_face_index(e->fonts[0])) : -1;
  /* the pre-printed form's scan under everything, for lining up */
  if (t->form && !vc_pdf_image(pdf, t->form, 0, 0, aw * MM, ph)) {
    st = vc__job_fail(d);
    goto out;
  }
  grid(pdf, font, aw * MM, ph);
  if (!vc_page_draw_content(pl, pdf, d) ||
      (t->list && vc_data_count(data) > 0 && !vc__list_proof(e, data, pl, row, pdf, d))) {
    st = vc_diag_status(d);
    goto out;
  }
  boxes(t, pdf, font, ph);
  if (serials) sample_note(pdf, font, e, serial);
  if (!vc_pdf_save_file(pdf, job->out)) st = vc_diag_status(d);
  else if (res) res->pages = 1, res->files = 1;
out:
  vc_pdf_free(pdf);
  vc_pagelayout_free(pl);
  vc_data_free(data);
  free(serials);
  vc_engine_free(e);
  return st;
}
