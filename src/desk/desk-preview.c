/*
 * desk-preview.c - the page that will print, as a PNG for a kiosk screen
 * (issue 12, point 2): drawn by poppler from the very PDF bytes a print
 * sends, so what the person checks is what comes out of the printer.
 *
 * Which serial: the document's once issued (and the next reprint mark
 * once printed: the next print is a reprint); before that the template's
 * sample serial, as a proof shows it, so the layout does not move when the
 * real one is given.
 */
#include <cairo.h>
#include <poppler.h>
#include <stdlib.h>
#include <string.h>

#include "desk/desk-private.h"

#define PREVIEW_MIN_PX 200
#define PREVIEW_MAX_PX 2400

/* A growing PNG in memory (cairo's write callback). */
typedef struct png_buf {
  unsigned char *p;
  size_t len, cap;
  bool oom;
} png_buf_t;

static cairo_status_t png_write(void *ud, const unsigned char *data, unsigned int n) {
  png_buf_t *b = ud;
  if (b->len + n > b->cap) {
    size_t cap = b->cap ? b->cap * 2 : 65536;
    while (cap < b->len + n) cap *= 2;
    unsigned char *q = realloc(b->p, cap);
    if (!q) {
      b->oom = true;
      return CAIRO_STATUS_NO_MEMORY;
    }
    b->p = q;
    b->cap = cap;
  }
  memcpy(b->p + b->len, data, n);
  b->len += n;
  return CAIRO_STATUS_SUCCESS;
}

/* The first page of the PDF pdf[0..len) as a PNG width_px wide, on white,
 * into *png (caller frees) and *out_len.  VC_E_PDF / VC_E_NOMEM said. */
static vc_status_t pdf_to_png(const unsigned char *pdf, size_t len, int width_px,
                              unsigned char **png, size_t *out_len, vc_diag_t *d) {
  GBytes *bytes = g_bytes_new_static(pdf, len);
  GError *err = NULL;
  PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL, &err);
  PopplerPage *page = doc ? poppler_document_get_page(doc, 0) : NULL;
  vc_status_t st = VC_OK;
  png_buf_t b = {0};
  if (!page) {
    vc_diag_add(d, VC_E_PDF, NULL, 0, 0, "the page could not be read back to show it (%s)",
                err ? err->message : "no page");
    st = VC_E_PDF;
  } else {
    double w, h;
    poppler_page_get_size(page, &w, &h);
    double scale = width_px / w;
    int height_px = (int)(h * scale + 0.5);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width_px, height_px);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, scale, scale);
    poppler_page_render(page, cr);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS ||
        cairo_surface_write_to_png_stream(s, png_write, &b) != CAIRO_STATUS_SUCCESS) {
      vc_diag_add(d, b.oom ? VC_E_NOMEM : VC_E_PDF, NULL, 0, 0,
                  b.oom ? "out of memory showing the page" : "the page could not be drawn "
                  "as an image (%dx%d)", width_px, height_px);
      st = b.oom ? VC_E_NOMEM : VC_E_PDF;
    }
    cairo_surface_destroy(s);
  }
  if (page) g_object_unref(page);
  if (doc) g_object_unref(doc);
  if (err) g_error_free(err);
  g_bytes_unref(bytes);
  if (st != VC_OK) free(b.p);
  *png = st == VC_OK ? b.p : NULL;
  *out_len = st == VC_OK ? b.len : 0;
  return st;
}

/* The serial and mark key's next print will carry (see the top), into
 * serial / mark ("" mark: none).  Under mu for the ledger. */
static vc_status_t next_values(vc_desk_t *k, const char *key, char *serial, size_t ns,
                               char *mark, size_t nm, vc_diag_t *d) {
  vc__desk_state_t s;
  serial[0] = mark[0] = '\0';
  pthread_mutex_lock(&k->mu);
  vc_status_t st = vc__desk_state(k, key, &s, d);
  pthread_mutex_unlock(&k->mu);
  if (st != VC_OK) return st;
  if (s.doc) {
    snprintf(serial, ns, "%s", s.doc->serial ? s.doc->serial : "");
    if (s.state == VC_DESK_PRINTED) vc_reprint_mark_format(s.doc->reprints + 1, mark, nm);
  } else if (!vc_engine_sample_serial(k->e, serial, ns)) {
    serial[0] = '\0';
  }
  vc_ledger_doc_free(s.doc);
  return VC_OK;
}

vc_status_t vc_desk_preview(vc_desk_t *k, const char *key, int width_px,
                            unsigned char **png, size_t *len, vc_diag_t *d) {
  if (png) *png = NULL;
  if (len) *len = 0;
  if (!k || !key || !png || !len) {
    vc_diag_add(d, VC_E_USAGE, NULL, 0, 0, "vc_desk_preview: no desk, key or result");
    return VC_E_USAGE;
  }
  if (width_px < PREVIEW_MIN_PX || width_px > PREVIEW_MAX_PX) {
    vc_diag_add(d, VC_E_USAGE, NULL, 0, 0, "a preview is %d to %d pixels wide, not %d",
                PREVIEW_MIN_PX, PREVIEW_MAX_PX, width_px);
    return VC_E_USAGE;
  }
  vc__desk_list_t *li = vc__desk_list_get(k);
  long row = vc__desk_row_said(li, key, d);
  char serial[VC_LEDGER_SERIAL_MAX], mark[64];
  unsigned char *pdf = NULL;
  size_t n = 0;
  vc_status_t st = row < 0 ? VC_E_INPUT
                           : next_values(k, vc__desk_cell(li, row, li->key_col), serial,
                                         sizeof serial, mark, sizeof mark, d);
  if (st == VC_OK)
    st = vc_record_render_issued(k->e, li->data, row, serial, *mark ? mark : NULL, &pdf, &n, d);
  if (st == VC_OK) st = pdf_to_png(pdf, n, width_px, png, len, d);
  free(pdf);
  vc__desk_list_put(k, li);
  return st;
}
