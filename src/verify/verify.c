/*
 * verify.c - the verifier (docs/verify.md section 3, "Reading the
 * payload"): from a URL or its digits to a verdict, in the document's
 * order, so that every implementation says the same of the same payload;
 * and the URLs a PDF's links hold (libqpdf), for `vncert verify FILE.pdf`.
 */
#include <qpdf/qpdf-c.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/mem.h"
#include "core/text.h"
#include "verify/verify-private.h"

const char *vc_verify_verdict_name(vc_verify_verdict_t v) {
  switch (v) {
  case VC_VERIFY_VALID: return "valid";
  case VC_VERIFY_MALFORMED: return "malformed";
  case VC_VERIFY_UNKNOWN_KEY: return "unknown-key";
  case VC_VERIFY_TAMPERED: return "tampered";
  case VC_VERIFY_REVOKED: return "revoked";
  }
  return "malformed";
}

/* The digits of text: what follows the first '#' of a URL, else text;
 * white space at both ends (a scanner's line break) left out.  *len set. */
static const char *digits_of(const char *text, size_t *len) {
  const char *h = strchr(text, '#');
  const char *s = h ? h + 1 : text;
  while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') s++;
  size_t n = strlen(s);
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
    n--;
  *len = n;
  return s;
}

/* Steps 1 to 3: digits to payload to values; false (malformed, why in res)
 * on any fault.  pay gets the payload, *plen its length. */
static bool read_payload(const char *text, unsigned char *pay, size_t *plen,
                         vc_verify_result_t *res) {
  size_t n;
  const char *s = digits_of(text, &n);
  size_t k = vc__verify_undigits(s, n, pay, res->why, sizeof res->why);
  if (k == SIZE_MAX) return false;
  if (k < VC__VERIFY_HEAD + 1) {
    snprintf(res->why, sizeof res->why, _("too short to be a payload (%zu bytes)"), k);
    return false;
  }
  if (pay[0] != VC__VERIFY_VERSION) {
    snprintf(res->why, sizeof res->why, _("unknown format version %u"), pay[0]);
    return false;
  }
  unsigned char body[VC__VERIFY_BODY_MAX];
  size_t blen = vc__verify_inflate(pay + VC__VERIFY_HEAD, k - VC__VERIFY_HEAD, body,
                                   sizeof body, res->why, sizeof res->why);
  if (blen == SIZE_MAX ||
      !vc__verify_body_parse(body, blen, &res->values, res->why, sizeof res->why))
    return false;
  sodium_bin2hex(res->values.key_id, sizeof res->values.key_id, pay + 1, 4);
  *plen = k;
  return true;
}

/* Step 5: the signature of the payload over the rebuilt MESSAGE. */
static bool signature_ok(const unsigned char *pay, const vc_verify_values_t *v,
                         const unsigned char pk[32]) {
  unsigned char body[VC__VERIFY_BODY_MAX], msg[VC__VERIFY_BODY_MAX + 32];
  char why[64];
  size_t blen = vc__verify_body(v, body, why, sizeof why);
  if (!blen) return false;
  size_t mlen = vc__verify_message(body, blen, v->key_id, msg);
  return crypto_sign_verify_detached(pay + 5, msg, mlen, pk) == 0;
}

vc_status_t vc_verify_text(const char *text, const vc_keyring_t *keys,
                           const vc_revocation_t *rev, size_t nrev, vc_verify_result_t *res,
                           vc_diag_t *d) {
  unsigned char pay[VC__VERIFY_PAYLOAD_MAX];
  size_t plen = 0;
  memset(res, 0, sizeof *res);
  if (sodium_init() < 0) {
    vc_diag_add(d, VC_E_INTERNAL, NULL, 0, 0, "libsodium cannot start");
    return VC_E_INTERNAL;
  }
  res->verdict = VC_VERIFY_MALFORMED;
  if (!read_payload(text, pay, &plen, res)) {
    memset(&res->values, 0, sizeof res->values);
    return VC_OK;
  }
  res->have_values = true;
  const char *comment = NULL;
  const unsigned char *pk = vc__keyring_find(keys, pay + 1, &comment);
  if (!pk) {
    res->verdict = VC_VERIFY_UNKNOWN_KEY;
    snprintf(res->why, sizeof res->why, _("signed by key %s, which is not among the keys given"),
             res->values.key_id);
    return VC_OK;
  }
  snprintf(res->key_comment, sizeof res->key_comment, "%s", comment ? comment : "");
  if (!signature_ok(pay, &res->values, pk)) {
    res->verdict = VC_VERIFY_TAMPERED;
    snprintf(res->why, sizeof res->why, "%s",
             _("the signature does not match the values: they were changed after signing"));
    return VC_OK;
  }
  res->verdict = VC_VERIFY_VALID;
  for (size_t i = 0; *res->values.serial && i < nrev; i++)
    if (rev[i].serial && !strcmp(rev[i].serial, res->values.serial)) {
      res->verdict = VC_VERIFY_REVOKED;
      snprintf(res->why, sizeof res->why, "%s", rev[i].reason ? rev[i].reason : "");
      snprintf(res->revoked_on, sizeof res->revoked_on, "%s", rev[i].date ? rev[i].date : "");
      break;
    }
  return VC_OK;
}

/* ---- the URIs of a PDF's link annotations, read with libqpdf's C API (no
 * PDF parser of our own): vncert places a link over every QR code it
 * draws, so `vncert verify FILE.pdf` finds each certificate's payload
 * without decoding an image ---- */

#define URIS_MAX 100000 /* a PDF of that many certificates is already huge */

typedef struct uri_list {
  char **v;
  size_t n, cap;
  bool nomem, full; /* full: a link past URIS_MAX was left unread */
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
  for (int k = 0; k < n && !l->nomem && !l->full; k++) {
    const char *u = link_uri(q, qpdf_oh_get_array_item(q, annots, k));
    if (u && l->n == URIS_MAX) l->full = true;
    else if (u) list_add(l, u);
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
                                        : _("unknown error");
    vc_diag_add(d, VC_E_INPUT, path, 0, 0, "cannot be read as a PDF: %s", msg);
    st = VC_E_INPUT;
  }
  for (int i = 0; i < pages && !l.nomem && !l.full; i++) page_uris(q, (size_t)i, &l);
  qpdf_cleanup(&q);
  if (l.nomem) {
    vc_diag_add(d, VC_E_NOMEM, path, 0, 0, "out of memory");
    st = VC_E_NOMEM;
  } else if (l.full) { /* never a success with links left unverified */
    char num[32];
    vc_diag_add(d, VC_E_INPUT, path, 0, 0,
                "has more than %s links: too many to verify in one run (split the PDF)",
                vc_text_fmt_num(URIS_MAX, num, sizeof num));
    st = VC_E_INPUT;
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
