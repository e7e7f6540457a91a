/*
 * print-record.c - print jobs in the ledger (issue 10, point 3): the
 * documents a render issued, recorded with the CUPS job that holds them,
 * "pending" as CUPS takes it and its end once known; and asking CUPS later
 * about the jobs nobody followed to their end.
 *
 * Why the job layer: it is the one that knows both the ledger (issue.c
 * opens it the same way for render) and the print outcomes; the CLI and
 * the kiosk only pass ids along.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "job/job-private.h"
#include "ledger/ledger.h"

struct vc_print_record {
  vc_ledger_t *l;
};

vc_status_t vc__job_issue_docs(const vc_job_issue_t *is, vc_job_result_t *res, vc_diag_t *d) {
  free(res->docs);
  res->docs = malloc((size_t)(is->n ? is->n : 1) * sizeof *res->docs);
  if (!res->docs) return vc__nomem(d, NULL, "keeping the documents to print");
  for (long i = 0; i < is->n; i++) res->docs[i] = (long long)is->tickets[i].doc_id;
  return VC_OK;
}

vc_print_record_t *vc_print_record_open(const vc_job_t *job, vc_diag_t *d) {
  vc_print_record_t *r = calloc(1, sizeof *r);
  if (!r) {
    vc__nomem(d, job->ledger, "recording the print jobs");
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
  if (!ids) return vc__nomem(d, NULL, "recording the print jobs");
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
  else if (j.oom) st = vc__nomem(d, NULL, "reading the print jobs");
  else if (j.n && !(p = vc_print_open(server, d))) st = vc__job_fail(d);
  for (size_t i = 0; st == VC_OK && i < j.n; i++) {
    vc_print_outcome_t o;
    char id[24];
    if ((st = vc_print_job_state(p, j.id[i], &o, d)) != VC_OK) break;
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
