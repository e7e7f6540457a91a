/*
 * page-qr.c - a record's signed QR code (issue 11, docs/verify.md): its
 * values evaluated like any text, cleaned and shortened by the rule of the
 * format (a warning says so), signed with the template's key, encoded by
 * libqrencode; drawn as vector rectangles on a white square (the quiet
 * zone of 4 modules is inside the element's size) under a link to the URL.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/text.h"
#include "job/engine-private.h"
#include "render/pdf.h"

#define QUIET 4             /* modules of light margin on each side */
#define MODULE_MIN_MM 0.30  /* below this a printed code scans poorly */

/* Element i's signed values for row, raw (evaluated) into raw[]; false
 * with the problem reported (the caller frees raw[] either way). */
static bool eval_values(const vc_pagelayout_t *pl, const vc_data_t *data, long row, size_t i,
                        char *raw[VC_QR_NVALS], vc_diag_t *d) {
  const vc_el_t *el = &pl->e->tpl->els[i];
  vc_lookup_ud_t ud = {data, row};
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
    if (!(raw[VC_QR_AMOUNT] = strdup(buf))) return snprintf(why, whylen, "out of memory"), false;
  }
  vc_date_t dt = vc_date_today();
  if (*raw[VC_QR_DATE] && !vc_date_parse(raw[VC_QR_DATE], &dt, why, whylen)) return false;
  snprintf(buf, sizeof buf, "%04d-%02d-%02d", dt.year, dt.month, dt.day);
  free(raw[VC_QR_DATE]);
  if (!(raw[VC_QR_DATE] = strdup(buf))) return snprintf(why, whylen, "out of memory"), false;
  return true;
}

/* Says which values the code signs shortened (docs/verify.md section 2). */
static void warn_short(const vc_data_t *data, long row, const vc_el_t *el, unsigned cut,
                       const vc_verify_values_t *v, vc_diag_t *d) {
  for (int k = 0; k < 2; k++) {
    if (!(cut & (k ? VC_VERIFY_SHORT_AWARD : VC_VERIFY_SHORT_NAME))) continue;
    vc_diag_add(d, VC_WARN, vc_data_name(data), vc_data_row_line(data, row), 0,
                "the QR code (template line %d) signs the %s shortened to %d characters: "
                "\"%s\"", el->line, k ? "award" : "name",
                k ? VC_VERIFY_AWARD_MAX : VC_VERIFY_NAME_MAX, k ? v->award : v->name);
  }
}

int vc__page_layout_qr(vc_pagelayout_t *pl, const vc_data_t *data, long row, size_t i,
                       vc_diag_t *d) {
  const vc_el_t *el = &pl->e->tpl->els[i];
  char *raw[VC_QR_NVALS] = {0}, why[320] = "";
  vc_verify_values_t v;
  unsigned cut = 0;
  vc_qr_free(pl->qr[i]);
  free(pl->qr_url[i]);
  pl->qr[i] = NULL;
  pl->qr_url[i] = NULL;
  bool ok = eval_values(pl, data, row, i, raw, d);
  if (!ok) goto out;
  ok = normalise(raw, why, sizeof why) &&
       vc_verify_prepare(raw[VC_QR_SERIAL], raw[VC_QR_NAME], raw[VC_QR_AWARD],
                         raw[VC_QR_AMOUNT], raw[VC_QR_DATE], &v, &cut, why, sizeof why) &&
       (pl->qr_url[i] = vc_signer_url(pl->e->signers[i], el->qr_url, &v, why, sizeof why)) &&
       (pl->qr[i] = vc_qr_encode(pl->qr_url[i], why, sizeof why));
  if (!ok) {
    vc_diag_add(d, VC_E_INPUT, vc_data_name(data), vc_data_row_line(data, row),
                data->el_col[i], "the QR code (template line %d): %s", el->line, why);
    goto out;
  }
  warn_short(data, row, el, cut, &v, d);
  double module = el->w / (pl->qr[i]->width + 2 * QUIET);
  if (module < MODULE_MIN_MM) {
    char a[32], b[32];
    vc_diag_add(d, VC_WARN, vc_data_name(data), vc_data_row_line(data, row), 0,
                "the QR code (template line %d) needs version %d: at %s mm a module is "
                "%s mm, too small to scan well; make it larger or the values shorter",
                el->line, pl->qr[i]->version, vc_text_fmt_num(el->w, a, sizeof a),
                vc_text_fmt_num(module, b, sizeof b));
  }
out:
  for (int k = 0; k < VC_QR_NVALS; k++) free(raw[k]);
  return ok ? 0 : 1;
}

bool vc__page_draw_qr(const vc_pagelayout_t *pl, size_t i, double ph, vc_pdf_t *pdf) {
  const vc_el_t *el = &pl->e->tpl->els[i];
  const vc_qr_t *q = pl->qr[i];
  if (!q) return true; /* a record with a problem is not drawn */
  double x = el->x * VC_MM_TO_PT, size = el->w * VC_MM_TO_PT;
  double y = ph - (el->y + el->h) * VC_MM_TO_PT; /* the bottom, in PDF terms */
  double m = size / (q->width + 2 * QUIET);
  vc_pdf_style_t white = {.fill = true, .fr = 1, .fg = 1, .fb = 1};
  return vc_pdf_rect(pdf, &white, x, y, size, size, 0) &&
         vc_pdf_modules(pdf, q->dark, q->width, x + QUIET * m, y + QUIET * m, m) &&
         vc_pdf_link(pdf, x, y, size, size, pl->qr_url[i]);
}
