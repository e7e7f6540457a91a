/*
 * template-qr.c - what a `qr:` element signs (issue 11, docs/verify.md):
 * the school's verification page (url:), its private key (key:, relative
 * to the template), and the values, each a placeholder text like any other
 * (defaults from the template's fields, so that the shipped templates need
 * no more than url: and key:).
 */
#include "template/template-internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The keys of the signed values, in VC_QR_* order, and the field each
 * takes when the template declares it and the element says nothing. */
static const char *const VAL_KEYS[VC_QR_NVALS] = {"serial", "name", "award", "amount",
                                                  "date"};
static const char *const DEFAULT_FIELDS[VC_QR_NVALS][4] = {
    {NULL}, /* serial: {serial} when the template has a serial: pattern */
    {"ho_ten", "ten", NULL},
    {"thanh_tich", "hoc_bong", "noi_dung", NULL},
    {"so_tien", NULL},
    {"ngay_ky", "ngay_cap", NULL}, /* date: else the day of the run */
};

#define URL_MAX 200

/* A verification page's URL: http(s)://, printable ASCII, no fragment of
 * its own (the payload is the fragment), at most URL_MAX bytes. */
static void read_url(vc_tctx_t *c, vc_el_t *el, const vc_tnode_t *m, const char *desc) {
  const vc_tnode_t *n = vc__tn_get(m, "url");
  const char *s;
  if (!n) {
    vc__tctx_err(c, m, VC_E_INPUT,
                 "%s: needs url: the school's verification page (made with vncert "
                 "verify-page), like url: \"https://truong.edu.vn/xac-minh\"", desc);
    return;
  }
  if (!vc__tn_string(c, n, "url", &s)) return;
  bool ascii = true;
  for (const char *p = s; *p; p++) ascii = ascii && *p > 0x20 && *p < 0x7F;
  if ((strncmp(s, "https://", 8) && strncmp(s, "http://", 7)) || strlen(s) > URL_MAX ||
      !ascii || strchr(s, '#')) {
    vc__tctx_err(c, n, VC_E_INPUT,
                 "url: '%s' is not a web address starting with https:// (at most %d "
                 "characters, no spaces, no accents, no #)", s, URL_MAX);
    return;
  }
  if (!(el->qr_url = strdup(s))) vc__tctx_nomem(c);
}

/* The field (or template value: ngay_ky) a value defaults to, or NULL. */
static const char *default_field(const vc_template_t *t, int v) {
  for (int k = 0; DEFAULT_FIELDS[v][k]; k++) {
    for (size_t i = 0; i < t->nfields; i++)
      if (!strcmp(t->fields[i].key, DEFAULT_FIELDS[v][k])) return DEFAULT_FIELDS[v][k];
    for (size_t i = 0; i < t->nvalues; i++)
      if (!strcmp(t->values[i].key, DEFAULT_FIELDS[v][k])) return DEFAULT_FIELDS[v][k];
  }
  return NULL;
}

/* One signed value: as written, else its default ("{ho_ten}"), else none. */
static void read_value(vc_tctx_t *c, vc_el_t *el, const vc_tnode_t *m, int v) {
  const vc_tnode_t *n = vc__tn_get(m, VAL_KEYS[v]);
  const char *s;
  int line, col;
  if (n) {
    if (!vc__tn_string(c, n, VAL_KEYS[v], &s)) return;
    vc__tnode_text_pos(c, n, &line, &col);
    if (!(el->qr_val[v] = vc_expr_parse(s, c->path, line, col, c->d))) c->nerr++;
    return;
  }
  char dflt[64];
  const char *f = default_field(c->t, v);
  if (v == VC_QR_SERIAL && c->t->serial) f = "serial";
  if (!f) return;
  snprintf(dflt, sizeof dflt, "{%s}", f);
  if (!(el->qr_val[v] = vc_expr_parse(dflt, c->path, m->line, 1, c->d))) c->nerr++;
}

void vc__tmpl_read_qr(vc_tctx_t *c, vc_el_t *el, const vc_tnode_t *m, const char *desc) {
  read_url(c, el, m, desc);
  const vc_tnode_t *n = vc__tn_get(m, "key");
  const char *s;
  if (!n)
    vc__tctx_err(c, m, VC_E_INPUT,
                 "%s: needs key: the school's private key file (made with vncert keygen), "
                 "relative to the template", desc);
  else if (vc__tn_string(c, n, "key", &s) && strcmp(s, "DEMO") != 0)
    el->qr_key = vc__tmpl_resolve_file(c, n, "key", s, false);
  /* key: DEMO: the published demonstration key built into vncert (a file
   * named DEMO is written ./DEMO) */
  for (int v = 0; v < VC_QR_NVALS; v++) read_value(c, el, m, v);
  if (!el->qr_val[VC_QR_NAME])
    vc__tctx_err(c, m, VC_E_INPUT,
                 "%s: needs name: the recipient's name to sign, like name: \"{ho_ten}\"",
                 desc);
}
