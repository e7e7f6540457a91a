/*
 * pdf-uris.c - the URIs of a PDF's link annotations, read with libqpdf's C
 * API (no PDF parser of our own): vncert places a link over every QR code
 * it draws, so `vncert verify FILE.pdf` finds each certificate's payload
 * without decoding an image.
 */
#include <qpdf/qpdf-c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "verify/verify-private.h"

#define URIS_MAX 100000 /* a PDF of that many certificates is already huge */

typedef struct uri_list {
  char **v;
  size_t n, cap;
  bool nomem;
} uri_list_t;

/* Adds s (copied) to l; records no memory. */
static void list_add(uri_list_t *l, const char *s) {
  char *c = strdup(s);
  if (!c || !vc_array_grow(&l->v, l->n, &l->cap, sizeof *l->v, 16)) {
    free(c);
    l->nomem = true;
    return;
  }
  l->v[l->n++] = c;
}

/* The URI of one annotation when it is a link to a URI, else NULL. */
static const char *link_uri(qpdf_data q, qpdf_oh annot) {
  if (!qpdf_oh_is_dictionary(q, annot)) return NULL;
  if (!qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, annot, "/Subtype"), "/Link"))
    return NULL;
  qpdf_oh a = qpdf_oh_get_key(q, annot, "/A");
  if (!qpdf_oh_is_dictionary(q, a) ||
      !qpdf_oh_is_name_and_equals(q, qpdf_oh_get_key(q, a, "/S"), "/URI"))
    return NULL;
  qpdf_oh uri = qpdf_oh_get_key(q, a, "/URI");
  return qpdf_oh_is_string(q, uri) ? qpdf_oh_get_utf8_value(q, uri) : NULL;
}

/* Every link URI of page i into l. */
static void page_uris(qpdf_data q, size_t i, uri_list_t *l) {
  qpdf_oh annots = qpdf_oh_get_key(q, qpdf_get_page_n(q, i), "/Annots");
  int n = qpdf_oh_is_array(q, annots) ? qpdf_oh_get_array_n_items(q, annots) : 0;
  for (int k = 0; k < n && !l->nomem && l->n < URIS_MAX; k++) {
    const char *u = link_uri(q, qpdf_oh_get_array_item(q, annots, k));
    if (u) list_add(l, u);
  }
  qpdf_oh_release_all(q); /* handles of one page at a time */
}

vc_status_t vc_verify_pdf_uris(const char *path, char ***uris, size_t *n, vc_diag_t *d) {
  uri_list_t l = {0};
  vc_status_t st = VC_OK;
  *uris = NULL;
  *n = 0;
  qpdf_data q = qpdf_init();
  if (!q) {
    vc_diag_add(d, VC_E_NOMEM, path, 0, 0, "out of memory");
    return VC_E_NOMEM;
  }
  qpdf_silence_errors(q);
  qpdf_set_suppress_warnings(q, QPDF_TRUE);
  int pages = -1;
  if ((qpdf_read(q, path, NULL) & QPDF_ERRORS) == 0) pages = qpdf_get_num_pages(q);
  if (pages < 0) {
    const char *msg = qpdf_has_error(q) ? qpdf_get_error_message_detail(q, qpdf_get_error(q))
                                        : "unknown error";
    vc_diag_add(d, VC_E_INPUT, path, 0, 0, "cannot be read as a PDF: %s", msg);
    st = VC_E_INPUT;
  }
  for (int i = 0; i < pages && !l.nomem; i++) page_uris(q, (size_t)i, &l);
  qpdf_cleanup(&q);
  if (l.nomem) {
    vc_diag_add(d, VC_E_NOMEM, path, 0, 0, "out of memory");
    st = VC_E_NOMEM;
  }
  if (st != VC_OK) {
    for (size_t i = 0; i < l.n; i++) free(l.v[i]);
    free(l.v);
    return st;
  }
  *uris = l.v;
  *n = l.n;
  return VC_OK;
}
