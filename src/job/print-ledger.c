/*
 * print-ledger.c - printing with the ledger (issue 10, point 3): the
 * documents a render issued, recorded with the CUPS job that holds them
 * ("pending" as CUPS takes it, then its end once known); asking CUPS later
 * about the jobs nobody followed to their end; and, for `vncert print
 * --pending`, the issued documents no completed job printed, as a list
 * (CSV) made of the values the ledger stored, for render to draw again with
 * the same template and serials.
 *
 * Why the job layer: it is the one that knows both the ledger (issue.c
 * opens it the same way for render) and the print outcomes; the CLI and
 * the kiosk only pass ids along.  Why from the ledger's values and not the
 * clerk's spreadsheet: the document to print is the one issued, whatever
 * became of the list since; a template changed since issue would draw
 * another document, so it is refused, naming the document, as a reprint
 * is (reprint.c).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "job/job-private.h"
#include "ledger/ledger.h"

struct vc_print_record {
  vc_ledger_t *l;
};

vc_status_t vc__job_issue_docs(const vc_job_issue_t *is, vc_job_result_t *res, vc_diag_t *d) {
  free(res->docs);
  res->docs = malloc((size_t)(is->n ? is->n : 1) * sizeof *res->docs);
  if (!res->docs) return vc__nomem(d, NULL, _("keeping the documents to print"));
  for (long i = 0; i < is->n; i++) res->docs[i] = (long long)is->tickets[i].doc_id;
  return VC_OK;
}

vc_print_record_t *vc_print_record_open(const vc_job_t *job, vc_diag_t *d) {
  vc_print_record_t *r = calloc(1, sizeof *r);
  if (!r) {
    vc__nomem(d, job->ledger, _("recording the print jobs"));
    return NULL;
  }
  if (!(r->l = vc__job_ledger_open(job, false, d))) {
    free(r);
    return NULL;
  }
  return r;
}

void vc_print_record_close(vc_print_record_t *r) {
  if (!r) return;
  vc_ledger_close(r->l);
  free(r);
}

vc_ledger_t *vc_print_record_ledger(vc_print_record_t *r) { return r->l; }

const char *vc_print_record_state(vc_print_outcome_t o) {
  switch (o) {
  case VC_PRINT_COMPLETED: return "completed";
  case VC_PRINT_CANCELLED: return "cancelled";
  case VC_PRINT_ABORTED: return "aborted";
  case VC_PRINT_HELD: return "held";
  case VC_PRINT_PRINTER_STOPPED: return "stopped";
  case VC_PRINT_TIMEOUT: return "timed-out";
  case VC_PRINT_UNKNOWN: return "unknown";
  default: return NULL; /* accepted, left, server gone: it may still print */
  }
}

vc_status_t vc_print_record_sent(vc_print_record_t *r, const long long *docs, size_t n,
                                 const char *queue, int job_id, vc_diag_t *d) {
  char id[24];
  snprintf(id, sizeof id, "%d", job_id);
  int64_t *ids = malloc((n ? n : 1) * sizeof *ids);
  if (!ids) return vc__nomem(d, NULL, _("recording the print jobs"));
  for (size_t i = 0; i < n; i++) ids[i] = (int64_t)docs[i];
  vc_status_t st = vc_ledger_print_job(r->l, ids, n, queue, id, "pending", d);
  free(ids);
  return st;
}

vc_status_t vc_print_record_end(vc_print_record_t *r, const char *queue, int job_id,
                                vc_print_outcome_t o, vc_diag_t *d) {
  const char *state = vc_print_record_state(o);
  char id[24];
  if (!state || job_id <= 0) return VC_OK;
  snprintf(id, sizeof id, "%d", job_id);
  return vc_ledger_print_job_state(r->l, queue, id, state, d) < 0 ? vc__job_fail(d) : VC_OK;
}

/* The jobs not ended, copied out of the ledger's iteration (the ledger is
 * written to while CUPS is asked). */
typedef struct open_jobs {
  char (*queue)[256];
  int *id;
  size_t n, cap;
  bool oom;
} open_jobs_t;

/* Keeps one job not ended (vc_ledger_job_fn); false on no memory. */
static bool add_job(const char *queue, const char *job_id, long docs, void *ud) {
  open_jobs_t *j = ud;
  (void)docs;
  if (j->n == j->cap) {
    size_t cap = j->cap ? j->cap * 2 : 16;
    char(*q)[256] = realloc(j->queue, cap * sizeof *q);
    if (q) j->queue = q;
    int *id = q ? realloc(j->id, cap * sizeof *id) : NULL;
    if (id) j->id = id;
    if (!q || !id) return !(j->oom = true);
    j->cap = cap;
  }
  snprintf(j->queue[j->n], sizeof j->queue[j->n], "%s", queue);
  j->id[j->n++] = atoi(job_id);
  return true;
}

vc_status_t vc_print_record_refresh(vc_print_record_t *r, const char *server, long *changed,
                                    vc_diag_t *d) {
  open_jobs_t j = {0};
  long total = 0;
  vc_status_t st = VC_OK;
  vc_print_t *p = NULL;
  if (vc_ledger_pending_jobs(r->l, add_job, &j, d) < 0) st = vc__job_fail(d);
  else if (j.oom) st = vc__nomem(d, NULL, _("reading the print jobs"));
  else if (j.n && !(p = vc_print_open(server, d))) st = vc__job_fail(d);
  for (size_t i = 0; st == VC_OK && i < j.n; i++) {
    vc_print_outcome_t o;
    char id[24];
    if ((st = vc_print_job_state(p, j.queue[i], j.id[i], &o, d)) != VC_OK) break;
    const char *state = vc_print_record_state(o);
    if (!state || o == VC_PRINT_HELD || o == VC_PRINT_PRINTER_STOPPED)
      continue; /* still in CUPS's queue: what it was */
    snprintf(id, sizeof id, "%d", j.id[i]);
    long n = vc_ledger_print_job_state(r->l, j.queue[i], id, state, d);
    if (n < 0) st = vc__job_fail(d);
    else total += n;
  }
  vc_print_close(p);
  free(j.queue);
  free(j.id);
  if (changed) *changed = total;
  return st;
}

/* ---- print --pending ---- */

/* The unprinted documents, copied out of the ledger's iteration. */
typedef struct pending {
  char **tpath, **key, **serial;
  size_t n, cap;
  bool oom;
  long queued;        /* documents left out: their job is still in CUPS */
  vc_diag_t *d;
  char last_job[320]; /* the last job named as still in CUPS */
} pending_t;

/* True (after a warning naming the job, once) when u's job is still in
 * CUPS's queue (pending, held, a stopped printer, waiting past vncert's
 * timeout): it may yet print, so printing the document again now could
 * print it twice. */
static bool still_queued(const vc_ledger_unprinted_t *u, pending_t *p) {
  static const char *const open[] = {"pending", "held", "stopped", "timed-out"};
  bool queued = false;
  for (size_t i = 0; u->job_state && i < sizeof open / sizeof *open; i++)
    queued = queued || !strcmp(u->job_state, open[i]);
  char job[320];
  snprintf(job, sizeof job, "%s/%s", u->queue ? u->queue : "", u->job_id ? u->job_id : "");
  if (queued && strcmp(job, p->last_job) != 0) {
    snprintf(p->last_job, sizeof p->last_job, "%s", job);
    vc_diag_add(p->d, VC_WARN, NULL, 0, 0,
                "job %s on printer '%s' is still in CUPS (%s) and may yet print: its "
                "documents (%s first) are not printed again; `cancel %s` first to print "
                "them here", u->job_id ? u->job_id : "?", u->queue ? u->queue : "?",
                u->job_state, u->name ? u->name : u->key, u->job_id ? u->job_id : "?");
  }
  p->queued += queued;
  return queued;
}

/* Keeps one unprinted document unless its job is still in CUPS
 * (vc_ledger_unprinted_fn); false on no memory. */
static bool add_pending(const vc_ledger_unprinted_t *u, void *ud) {
  pending_t *p = ud;
  if (still_queued(u, p)) return true;
  if (p->n == p->cap) {
    size_t cap = p->cap ? p->cap * 2 : 64;
    char **a = realloc(p->tpath, cap * sizeof *a);
    if (a) p->tpath = a;
    char **b = a ? realloc(p->key, cap * sizeof *b) : NULL;
    if (b) p->key = b;
    char **c = b ? realloc(p->serial, cap * sizeof *c) : NULL;
    if (c) p->serial = c;
    if (!c) return !(p->oom = true);
    p->cap = cap;
  }
  p->tpath[p->n] = strdup(u->template_path ? u->template_path : "");
  p->key[p->n] = strdup(u->key ? u->key : "");
  p->serial[p->n] = strdup(u->serial ? u->serial : "");
  if (!p->tpath[p->n] || !p->key[p->n] || !p->serial[p->n]) p->oom = true;
  p->n++;
  return !p->oom;
}

/* Frees what add_pending kept. */
static void pending_free(pending_t *p) {
  for (size_t i = 0; i < p->n; i++) {
    free(p->tpath[i]);
    free(p->key[i]);
    free(p->serial[i]);
  }
  free(p->tpath);
  free(p->key);
  free(p->serial);
}

/* The documents' template when the caller named none: the one they all
 * share, else a usage error naming those there are. */
static const char *one_template(const pending_t *p, vc_diag_t *d) {
  for (size_t i = 1; i < p->n; i++)
    if (strcmp(p->tpath[i], p->tpath[0]) != 0) {
      vc_diag_add(d, VC_E_USAGE, NULL, 0, 0,
                  "documents of several templates wait to be printed (%s, %s, ...): "
                  "choose one with --template FILE", p->tpath[0], p->tpath[i]);
      return NULL;
    }
  return p->n ? p->tpath[0] : NULL;
}

/* The CSV's columns: the key column first, then every stored field's name
 * in the order first met.  A new array of names owned by docs; NULL on no
 * memory. */
static const char **columns(vc_ledger_doc_t *const *docs, size_t n, const char *keycol,
                            size_t *ncols) {
  size_t cap = 1;
  for (size_t i = 0; i < n; i++) cap += docs[i]->nfields;
  const char **cols = calloc(cap, sizeof *cols);
  if (!cols) return NULL;
  cols[0] = keycol;
  *ncols = 1;
  for (size_t i = 0; i < n; i++)
    for (size_t k = 0; k < docs[i]->nfields; k++) {
      size_t c = 0;
      while (c < *ncols && strcmp(cols[c], docs[i]->fields[k].name)) c++;
      if (c == *ncols) cols[(*ncols)++] = docs[i]->fields[k].name;
    }
  return cols;
}

/* Writes docs as CSV on out: a header, one row each, flushed.  VC_OK, or
 * the status (said): a failed write (a full disk) is VC_E_IO, not a
 * shorter list printed as if whole. */
static vc_status_t write_docs(vc_ledger_doc_t *const *docs, size_t n, const char *keycol,
                              FILE *out, vc_diag_t *d) {
  size_t ncols = 0;
  const char **cols = columns(docs, n, keycol, &ncols);
  const char **row = cols ? calloc(ncols, sizeof *row) : NULL;
  if (!row) {
    free(cols);
    return vc__nomem(d, NULL, _("listing the documents to print"));
  }
  errno = 0; /* what a failed write leaves is said */
  vc__job_csv_row(out, cols, ncols);
  for (size_t i = 0; i < n; i++) {
    row[0] = docs[i]->key;
    for (size_t c = 1; c < ncols; c++) {
      row[c] = NULL;
      for (size_t k = 0; k < docs[i]->nfields && !row[c]; k++)
        if (!strcmp(docs[i]->fields[k].name, cols[c])) row[c] = docs[i]->fields[k].value;
    }
    vc__job_csv_row(out, row, ncols);
  }
  free(row);
  free(cols);
  if (fflush(out) == 0 && !ferror(out)) return VC_OK;
  vc_diag_add(d, VC_E_IO, NULL, 0, 0, "the list of the %zu documents to print could not be "
              "written: %s", n, strerror(errno ? errno : EIO));
  return VC_E_IO;
}

/* The documents of p under tpath from the ledger, checked against the
 * template's hash now, written as CSV; how many in *count. */
static vc_status_t docs_csv(vc_ledger_t *l, const pending_t *p, const char *tpath,
                            const char *thash, const char *keycol, FILE *out, long *count,
                            vc_diag_t *d) {
  vc_ledger_doc_t **docs = calloc(p->n ? p->n : 1, sizeof *docs);
  size_t n = 0;
  if (!docs) return vc__nomem(d, NULL, _("listing the documents to print"));
  for (size_t i = 0; i < p->n; i++) {
    if (strcmp(p->tpath[i], tpath) != 0) continue;
    if (vc_ledger_find(l, tpath, p->key[i], NULL, &docs[n], d) != VC_OK) break;
    if (!docs[n]) continue; /* replaced meanwhile: not this document any more */
    if (strcmp(docs[n]->template_hash, thash) != 0)
      vc_diag_add(d, VC_E_INPUT, tpath, 0, 0,
                  "the template changed since the document %s of %s was issued: it would "
                  "print another document; put back the template it was issued with, or "
                  "issue it anew (render --new-issue --reason ...)", p->serial[i], p->key[i]);
    n++;
  }
  if (!vc_diag_count(d)) write_docs(docs, n, keycol, out, d); /* a fault is in d */
  for (size_t i = 0; i < n; i++) vc_ledger_doc_free(docs[i]);
  free(docs);
  *count = (long)n;
  return vc_diag_count(d) ? vc__job_fail(d) : VC_OK;
}

vc_status_t vc_job_unprinted_csv(const vc_job_t *job, FILE *out, char *tpath, size_t tlen,
                                 long *count, long *queued, vc_diag_t *d) {
  pending_t p = {.d = d};
  char real[PATH_MAX], hash[VC_LEDGER_HASH_LEN];
  const char *want = NULL, *keycol = job->key ? job->key : "ma_sv";
  *count = *queued = 0;
  if (job->template_path) /* as render recorded it: the real path */
    want = realpath(job->template_path, real) ? real : job->template_path;
  vc_ledger_t *l = vc__job_ledger_open(job, true, d);
  if (!l) return vc__job_fail(d);
  vc_status_t st = VC_OK;
  if (vc_ledger_unprinted(l, want, add_pending, &p, d) < 0) st = vc__job_fail(d);
  else if (p.oom) st = vc__nomem(d, NULL, _("listing the documents to print"));
  else if (p.n && !want && !(want = one_template(&p, d))) st = VC_E_USAGE;
  if (st == VC_OK && p.n) {
    snprintf(tpath, tlen, "%s", want);
    if (vc_ledger_hash_file(want, hash, d) != VC_OK) st = vc__job_fail(d);
    else st = docs_csv(l, &p, want, hash, keycol, out, count, d);
  }
  *queued = p.queued;
  pending_free(&p);
  vc_ledger_close(l);
  return st;
}
