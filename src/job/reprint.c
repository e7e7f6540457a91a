/*
 * reprint.c - one issued document printed again (issue 9, point 4): the
 * same serial, the template's {reprint_mark}, the event recorded once the
 * file is committed.  A document whose record or template changed since
 * it was issued is not silently printed with other data: the changes are
 * listed field by field and the reprint refused, unless forced.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/text.h"
#include "job/engine-private.h"
#include "job/job-private.h"
#include "ledger/ledger.h"

/* The document asked for: by serial, else the issued one of the chosen
 * record's key.  NULL after a diag. */
static vc_ledger_doc_t *find_doc(vc_ledger_t *l, const vc_reprint_t *rp, const char *tpath,
                                 const char *key, vc_diag_t *d) {
  vc_ledger_doc_t *doc = NULL;
  if (vc_ledger_find(l, rp->serial ? NULL : tpath, rp->serial ? NULL : key, rp->serial, &doc,
                     d) != VC_OK)
    return NULL;
  if (!doc && rp->serial)
    vc_diag_add(d, VC_E_INPUT, NULL, 0, 0, "no document has the serial %s in this ledger",
                rp->serial);
  else if (!doc)
    vc_diag_add(d, VC_E_INPUT, NULL, 0, 0,
                "%s has no issued document of this template: render it first (a reprint "
                "prints again what was issued)", key);
  else if (strcmp(doc->state, "issued") != 0) {
    /* one sentence per state: the ledger's words are not shown as they are */
    if (!strcmp(doc->state, "replaced"))
      vc_diag_add(d, VC_E_INPUT, NULL, 0, 0, "the document %s is replaced, not issued: it is "
                  "not printed again (print the one that replaced it)", doc->serial);
    else if (!strcmp(doc->state, "revoked"))
      vc_diag_add(d, VC_E_INPUT, NULL, 0, 0, "the document %s is revoked, not issued: it is "
                  "not printed again", doc->serial);
    else if (!strcmp(doc->state, "pending"))
      vc_diag_add(d, VC_E_INPUT, NULL, 0, 0, "the document %s is pending (its run did not "
                  "finish), not issued: it is not printed again", doc->serial);
    else
      vc_diag_add(d, VC_E_INPUT, NULL, 0, 0, "the document %s is %s, not issued: it is not "
                  "printed again", doc->serial, doc->state);
    vc_ledger_doc_free(doc);
    doc = NULL;
  }
  return doc;
}

/* What changed since issue, one diag per field ("old → new"); the number
 * of changes.  Warnings with force (the reprint goes on), errors without. */
long vc_reprint_diff(const vc_ledger_doc_t *doc, const vc_ledger_field_t *f, size_t n,
                     const char *thash, bool force, const char *data_name, vc_diag_t *d) {
  vc_status_t st = force ? VC_WARN : VC_E_INPUT;
  long changes = 0;
  char a[96], b[96], what[160];
  /* a template without serial: issues documents with none: name its key */
  if (doc->serial && doc->serial[0])
    snprintf(what, sizeof what, "%s", doc->serial);
  else
    snprintf(what, sizeof what, _("the document of %s"), doc->key ? doc->key : "?");
  for (size_t i = 0; i < n; i++) {
    const char *old = NULL;
    for (size_t k = 0; k < doc->nfields && !old; k++)
      if (!strcmp(doc->fields[k].name, f[i].name)) old = doc->fields[k].value;
    if (old && !strcmp(old, f[i].value)) continue;
    vc_text_cut(old ? old : _("(none)"), 80, 60, "…", a, sizeof a);
    vc_text_cut(f[i].value, 80, 60, "…", b, sizeof b);
    vc_diag_add(d, st, data_name, 0, 0, "%s changed since %s was issued: \"%s\" → \"%s\"",
                f[i].name, what, a, b);
    changes++;
  }
  for (size_t k = 0; k < doc->nfields; k++) {
    bool kept = false;
    for (size_t i = 0; i < n && !kept; i++) kept = !strcmp(doc->fields[k].name, f[i].name);
    if (kept) continue;
    vc_text_cut(doc->fields[k].value, 80, 60, "…", a, sizeof a);
    vc_diag_add(d, st, data_name, 0, 0, "%s changed since %s was issued: \"%s\" → (none)",
                doc->fields[k].name, what, a);
    changes++;
  }
  if (strcmp(doc->template_hash, thash) != 0) {
    vc_diag_add(d, st, doc->template_path, 0, 0,
                "the template changed since %s was issued (its content is not the same)",
                what);
    changes++;
  }
  if (changes && !force)
    vc_diag_add(d, VC_E_INPUT, NULL, 0, 0, "not reprinted: the document would differ from "
                "the one issued; fix the data, or reprint with --force to issue it with "
                "the new values (recorded)");
  return changes;
}

char *vc_reprint_mark_format(long nth, char *buf, size_t n) {
  snprintf(buf, n, "Bản in lại lần %ld", nth);
  return buf;
}

/* job with "KEYCOL=value" as its only condition (the record of a key). */
static vc_status_t select_key(const vc_job_t *job, const char *value, vc_job_t *out,
                              char **spec, vc_diag_t *d) {
  *out = *job;
  const char *col = job->key ? job->key : "ma_sv";
  size_t n = strlen(col) + strlen(value) + 2;
  if (!(*spec = malloc(n))) return vc__nomem(d, NULL, _("finding the record"));
  snprintf(*spec, n, "%s=%s", col, value);
  out->where = (const char **)spec;
  out->nwhere = 1;
  out->match = NULL;
  return VC_OK;
}

/* The record of the document, rendered with its serial and the mark, then
 * recorded.  c is open on the one record. */
static vc_status_t reprint_doc(vc_job_ctx_t *c, const vc_job_t *job, vc_ledger_t *l,
                               const vc_ledger_doc_t *doc, const vc_reprint_t *rp,
                               const char *thash, vc_diag_t *d, vc_job_result_t *res) {
  long row = c->sel.rows[0];
  vc_ledger_field_t *f = NULL;
  size_t nf = 0;
  vc_status_t st = vc__job_row_fields(c->data, row, &f, &nf, d);
  long changes = st == VC_OK ? vc_reprint_diff(doc, f, nf, thash, rp->force,
                                           vc_data_name(c->data), d) : 0;
  if (st == VC_OK && changes && !rp->force) st = VC_E_INPUT;
  const char **serials = st == VC_OK ? calloc((size_t)vc_data_count(c->data) + 1,
                                              sizeof *serials) : NULL;
  if (st == VC_OK && !serials) st = vc__nomem(d, job->out, _("reprinting"));
  char mark[64];
  /* The mark says which reprint this is; another station's at the same
   * moment may take the same number, the ledger keeps both events. */
  vc_reprint_mark_format(doc->reprints + 1, mark, sizeof mark);
  if (st == VC_OK) {
    serials[row] = doc->serial;
    c->data->serials = serials;
    c->data->reprint_mark = mark;
    st = vc__job_render_one(c, job, d, res);
  }
  long nth = 0;
  if (st == VC_OK && vc_ledger_reprint(l, doc->id, job->reason, thash,
                                       changes ? f : NULL, changes ? nf : 0, &nth, d) != VC_OK) {
    vc_diag_add(d, VC_E_IO, job->out, 0, 0, "written, but the reprint was not recorded");
    st = vc__job_fail(d);
  }
  c->data->serials = NULL;
  c->data->reprint_mark = NULL;
  free(serials);
  free(f);
  return st;
}

vc_status_t vc_job_reprint(const vc_job_t *job, const vc_reprint_t *rp, vc_diag_t *d,
                           vc_job_result_t *res) {
  vc_job_result_t local = {0};
  if (!res) res = &local;
  if (!job->reason || !*job->reason) {
    vc_diag_add(d, VC_E_USAGE, NULL, 0, 0, "a reprint needs a reason (recorded)");
    return VC_E_USAGE;
  }
  if (!vc__job_outputs_safe(job, d)) return VC_E_USAGE;
  char tpath[PATH_MAX], thash[VC_LEDGER_HASH_LEN];
  if (!vc__job_template_id(job, tpath, thash, d)) return vc__job_fail(d);
  vc_ledger_t *l = vc__job_ledger_open(job, false, d);
  if (!l) return vc__job_fail(d);
  vc_ledger_doc_t *doc = rp->serial ? find_doc(l, rp, tpath, NULL, d) : NULL;
  vc_job_t j = *job;
  char *spec = NULL;
  vc_status_t st = rp->serial && !doc ? vc__job_fail(d) : VC_OK;
  const char *key = doc ? doc->key : rp->key;
  if (st == VC_OK && key) st = select_key(job, key, &j, &spec, d);
  vc_job_ctx_t c;
  memset(&c, 0, sizeof c);
  if (st == VC_OK) st = vc__job_ctx_open(&c, &j, d, res);
  if (st == VC_OK && c.sel.n != 1) {
    if (key)
      vc_diag_add(d, VC_E_INPUT, vc_data_name(c.data), 0, 0, "no record of %s in this list",
                  key);
    else
      vc_diag_add(d, VC_E_INPUT, vc_data_name(c.data), 0, 0,
                  "no record of this name in this list");
    st = VC_E_INPUT;
  }
  if (st == VC_OK && !doc) {
    int kc = vc__job_key_col(job, vc_data_table(c.data), d);
    if (kc < 0) st = VC_E_USAGE;
    else if (!(doc = find_doc(l, rp, tpath, vc_table_get(vc_data_table(c.data),
                                                          c.sel.rows[0], kc), d)))
      st = vc__job_fail(d);
  }
  if (st == VC_OK) st = reprint_doc(&c, &j, l, doc, rp, thash, d, res);
  if (st == VC_OK && vc_diag_count(d)) st = vc__job_fail(d);
  vc__job_ctx_free(&c);
  vc_ledger_doc_free(doc);
  vc_ledger_close(l);
  free(spec);
  return st;
}
