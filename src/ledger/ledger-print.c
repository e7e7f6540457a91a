/*
 * ledger-print.c - print jobs in the ledger (issue 10, point 3): the
 * documents one CUPS job holds, recorded as "pending" when CUPS takes the
 * job and given the job's final state later; the jobs still pending (to
 * ask CUPS again); and the issued documents no completed job printed yet.
 *
 * Why per job and not per event: a run of 5,000 certificates is one CUPS
 * job, so its documents are recorded in one transaction when it is sent and
 * updated together by (queue, job id) when it ends; a later command that
 * learns the job's state from CUPS updates them the same way.
 */
#include "ledger/ledger-private.h"

#include <stdlib.h>
#include <string.h>

static const char SQL_PRINT[] =
    "INSERT INTO events(doc_id, kind, at, day, operator, host, queue, job_id,"
    " job_state) VALUES($1, 'print', $2, $3, $4, $5, $6, $7, $8)";
/* A job "not ended" may still print: CUPS keeps it queued (pending, held,
 * a stopped printer, waiting past vncert's timeout). */
#define NOT_ENDED " job_state IN ('pending', 'held', 'stopped', 'timed-out')"
static const char SQL_JOB_STATE[] =
    "UPDATE events SET job_state = $3 WHERE kind = 'print' AND queue = $1"
    " AND job_id = $2 AND" NOT_ENDED;
static const char SQL_PENDING_JOBS[] =
    "SELECT queue, job_id, count(*) FROM events WHERE kind = 'print' AND"
    NOT_ENDED " GROUP BY queue, job_id ORDER BY min(id)";
/* The issued documents without a completed print, with their last print
 * job's queue, id and state (none: never sent). */
static const char SQL_UNPRINTED[] =
    "SELECT d.id, d.serial, d.template_path, d.template_hash, d.record_key,"
    " d.name, e.queue, e.job_id, e.job_state FROM documents d LEFT JOIN"
    " events e ON e.id = (SELECT max(id) FROM events WHERE doc_id = d.id AND"
    " kind = 'print') WHERE d.state = 'issued'"
    " AND (CAST($1 AS TEXT) IS NULL OR d.template_path = $1)"
    " AND NOT EXISTS (SELECT 1 FROM events c WHERE c.doc_id = d.id AND"
    " c.kind = 'print' AND c.job_state = 'completed') ORDER BY d.id";

/* Refuses to write a ledger opened for reading; true when it may. */
static bool can_write(const vc_ledger_t *l, vc_diag_t *d) {
  if (!l->read_only) return true;
  vc__ledger_fail(l, d, VC_E_USAGE, "was opened for reading only");
  return false;
}

vc_status_t vc_ledger_print_job(vc_ledger_t *l, const int64_t *docs, size_t n,
                                const char *queue, const char *job_id,
                                const char *state, vc_diag_t *d) {
  if (!can_write(l, d)) return VC_E_USAGE;
  if (!n) return VC_OK;
  vc_status_t st = l->ops->begin(l->db, true, d);
  if (st != VC_OK) return st;
  char doc[24], at[24], day[16];
  int64_t now = vc__ledger_now(l);
  vc__ledger_day(now, day);
  snprintf(at, sizeof at, "%lld", (long long)now);
  const char *p[8] = {doc, at, day, l->operator_name, l->host, queue, job_id, state};
  for (size_t i = 0; i < n && st == VC_OK; i++) {
    snprintf(doc, sizeof doc, "%lld", (long long)docs[i]);
    if (vc__ledger_run(l, SQL_PRINT, 8, p, NULL, NULL, d) != 1)
      st = vc_diag_status(d) ? vc_diag_status(d) : VC_E_IO;
  }
  if (st == VC_OK) return l->ops->commit(l->db, d);
  l->ops->rollback(l->db);
  return st;
}

long vc_ledger_print_job_state(vc_ledger_t *l, const char *queue,
                               const char *job_id, const char *state,
                               vc_diag_t *d) {
  if (!can_write(l, d)) return -1;
  const char *p[3] = {queue, job_id, state};
  return vc__ledger_run(l, SQL_JOB_STATE, 3, p, NULL, NULL, d);
}

typedef struct job_walk {
  vc_ledger_job_fn fn;
  void *ud;
  long given;
} job_walk_t;

static bool job_row(const char *const *c, int n, void *ud) {
  job_walk_t *w = ud;
  if (n < 3 || !c[0] || !c[1]) return true;
  w->given++;
  return w->fn(c[0], c[1], c[2] ? strtol(c[2], NULL, 10) : 0, w->ud);
}

long vc_ledger_pending_jobs(vc_ledger_t *l, vc_ledger_job_fn fn, void *ud,
                            vc_diag_t *d) {
  job_walk_t w = {fn, ud, 0};
  if (l->ops->begin(l->db, false, d) != VC_OK) return -1;
  long n = vc__ledger_run(l, SQL_PENDING_JOBS, 0, NULL, job_row, &w, d);
  l->ops->rollback(l->db);
  return n < 0 ? -1 : w.given;
}

typedef struct doc_walk {
  vc_ledger_unprinted_fn fn;
  void *ud;
  long given;
} doc_walk_t;

static bool doc_row(const char *const *c, int n, void *ud) {
  doc_walk_t *w = ud;
  if (n < 9) return false;
  vc_ledger_unprinted_t u = {
      .doc_id = c[0] ? strtoll(c[0], NULL, 10) : 0, .serial = c[1],
      .template_path = c[2], .template_hash = c[3], .key = c[4],
      .name = c[5], .queue = c[6], .job_id = c[7], .job_state = c[8]};
  w->given++;
  return w->fn(&u, w->ud);
}

long vc_ledger_unprinted(vc_ledger_t *l, const char *template_path,
                         vc_ledger_unprinted_fn fn, void *ud, vc_diag_t *d) {
  doc_walk_t w = {fn, ud, 0};
  const char *p[1] = {template_path};
  if (l->ops->begin(l->db, false, d) != VC_OK) return -1;
  long n = vc__ledger_run(l, SQL_UNPRINTED, 1, p, doc_row, &w, d);
  l->ops->rollback(l->db);
  return n < 0 ? -1 : w.given;
}
