/*
 * desk-print.c - printing one person's certificate at the desk: the first
 * print issues its document (serial) in the ledger, a reprint needs a
 * reason and carries the reprint mark; each job recorded "pending" once
 * CUPS took it, its end once known (vc_desk_job); a job that ended
 * without completing sent again (vc_desk_retry); the printer's state.
 *
 * Why all of a print under the desk's lock: the state read, the check of
 * the queue, the issue and the job must be one step, or two screens
 * printing the same person at once would print them twice.  The drawing
 * (tens of milliseconds) is the only long part; searches and previews do
 * not take the lock.
 *
 * A document issued but never printed whose values changed (a corrected
 * list reloaded) is issued anew with the corrected values (a new serial,
 * the old document "replaced", the reason recorded): what was issued was
 * never handed to anyone.  A reprint of changed values is refused, naming
 * each field: the printed paper holds the old values, and replacing it is
 * staff's decision (vncert reprint --force).
 */
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "desk/desk-private.h"

#define RE_ISSUE_REASON "values corrected before the first print (print desk)"

/* Draws row with serial and mark and sends it as one job, named as the
 * CLI names its jobs ("Giấy khen — Nông Thị Thảo"); the job id in *job_id.
 * Under mu.  Nothing is recorded here. */
static vc_status_t send(vc_desk_t *k, const vc__desk_list_t *li, long row, const char *serial,
                        const char *mark, int *job_id, vc_diag_t *d) {
  unsigned char *pdf = NULL;
  size_t len = 0;
  vc_status_t st = vc_record_render_issued(k->e, li->data, row, serial, mark, &pdf, &len, d);
  if (st != VC_OK) return st;
  char title[512], media[64];
  snprintf(title, sizeof title, "%s — %s", vc_engine_title(k->e),
           vc__desk_cell(li, row, li->name_col));
  vc_print_opts_t po = {.media = vc_print_media_for(vc_engine_page_w_pt(k->e),
                                                    vc_engine_page_h_pt(k->e), media,
                                                    sizeof media)};
  vc_print_result_t res = {0};
  st = vc_print_submit_mem(k->p, k->queue, pdf, len, title, &po, &res, d);
  free(pdf);
  if (st == VC_E_IO && !res.job_id) vc__desk_cups_drop(k);
  *job_id = st == VC_OK ? res.job_id : 0;
  return st;
}

/* Records job_id on queue as holding document doc, "pending"; cancels the
 * job when it cannot be recorded (it would print unaccounted for). */
static vc_status_t record_sent(vc_desk_t *k, int64_t doc, int job_id, vc_diag_t *d) {
  char id[24];
  snprintf(id, sizeof id, "%d", job_id);
  vc_status_t st = vc_ledger_print(k->l, doc, k->queue, id, "pending", NULL, d);
  if (st != VC_OK) {
    vc_diag_add(d, st, NULL, 0, 0, "job %d was cancelled: the ledger could not record it",
                job_id);
    vc_print_cancel(k->p, k->queue, job_id, d);
  }
  return st;
}

/* The very first print of a document (or one after a job that did not
 * complete): reserved in the ledger (its serial), drawn, sent, then
 * confirmed and its print recorded.  A failed send gives a new
 * reservation back.  Under mu. */
static vc_status_t first_print(vc_desk_t *k, const vc__desk_list_t *li, long row,
                               const char *key, int *job_id, vc_diag_t *d) {
  vc_ledger_field_t *f = NULL;
  size_t nf = 0;
  size_t before = vc_diag_count(d);
  /* a record with a problem is refused before the ledger gives it a serial */
  long bad = vc_record_check(k->e, li->data, row, d);
  if (bad != 0) return bad < 0 || vc_diag_count(d) == before ? VC_E_INTERNAL : vc_diag_status(d);
  vc_status_t st = vc_record_fields(li->data, row, &f, &nf, d);
  if (st != VC_OK) return st;
  const char *name = vc__desk_cell(li, row, li->name_col);
  vc_ledger_req_t req = {.template_path = k->tpath, .template_hash = k->thash,
                         .pattern = vc_engine_serial_pattern(k->e), .key = key,
                         .name = *name ? name : NULL, .fields = f, .nfields = nf};
  vc_ledger_ticket_t t = {0};
  st = vc_ledger_reserve(k->l, &req, 1, &t, d);
  if (st == VC_OK && t.res == VC_LEDGER_EXISTS && (t.values_changed || t.template_changed)) {
    req.new_issue = true;
    req.reason = RE_ISSUE_REASON;
    st = vc_ledger_reserve(k->l, &req, 1, &t, d);
  }
  if (st == VC_OK) st = send(k, li, row, t.serial, NULL, job_id, d);
  if (st != VC_OK && t.res != VC_LEDGER_EXISTS && t.doc_id) {
    vc_diag_t *quiet = vc_diag_create();
    vc_ledger_release(k->l, &t, 1, quiet);
    vc_diag_free(quiet);
  }
  free(f);
  if (st != VC_OK) return st;
  if ((st = vc_ledger_confirm(k->l, &t, 1, d)) != VC_OK) {
    vc_print_cancel(k->p, k->queue, *job_id, d);
    vc_diag_add(d, st, NULL, 0, 0, "job %d was cancelled: the ledger could not issue the "
                "document", *job_id);
    return st;
  }
  return record_sent(k, t.doc_id, *job_id, d);
}

/* A reprint of the printed document doc: its values must be those issued;
 * drawn with its serial and the next reprint mark, sent, then recorded (the
 * reprint with its reason, the print).  Under mu. */
static vc_status_t reprint(vc_desk_t *k, const vc__desk_list_t *li, long row,
                           const vc_ledger_doc_t *doc, const char *reason, int *job_id,
                           vc_diag_t *d) {
  vc_ledger_field_t *f = NULL;
  size_t nf = 0;
  vc_status_t st = vc_record_fields(li->data, row, &f, &nf, d);
  if (st == VC_OK &&
      vc_reprint_diff(doc, f, nf, k->thash, false, vc_data_name(li->data), d) > 0)
    st = VC_E_INPUT;
  free(f);
  char mark[64];
  vc_reprint_mark_format(doc->reprints + 1, mark, sizeof mark);
  if (st == VC_OK) st = send(k, li, row, doc->serial ? doc->serial : "", mark, job_id, d);
  long nth = 0;
  if (st == VC_OK &&
      (st = vc_ledger_reprint(k->l, doc->id, reason, k->thash, NULL, 0, &nth, d)) != VC_OK) {
    vc_print_cancel(k->p, k->queue, *job_id, d);
    vc_diag_add(d, st, NULL, 0, 0, "job %d was cancelled: the ledger could not record the "
                "reprint", *job_id);
  }
  return st == VC_OK ? record_sent(k, doc->id, *job_id, d) : st;
}

/* Why key's document may not be printed now (reason: a reprint), said;
 * VC_OK when it may. */
static vc_status_t may_print(const vc__desk_state_t *s, const char *reason, vc_diag_t *d) {
  if (s->state == VC_DESK_QUEUED) {
    vc_diag_add(d, VC_E_INPUT, NULL, 0, 0,
                "job %d holding this certificate is still in the printer's queue: it is "
                "not sent again (it would print twice)", s->open_jobs[0]);
    return VC_E_INPUT;
  }
  if (!reason && s->state == VC_DESK_PRINTED) {
    vc_diag_add(d, VC_E_INPUT, NULL, 0, 0,
                "this certificate was printed already (%s): printing it again is a "
                "reprint, which needs a reason", s->doc && s->doc->serial && *s->doc->serial
                ? s->doc->serial : _("no serial"));
    return VC_E_INPUT;
  }
  if (reason && s->state != VC_DESK_PRINTED) {
    vc_diag_add(d, VC_E_INPUT, NULL, 0, 0,
                "this certificate was never printed: a reprint is only of a printed one "
                "(print it without a reason)");
    return VC_E_INPUT;
  }
  return VC_OK;
}

/* vc_desk_print with mu held and the list li taken. */
static vc_status_t print_locked(vc_desk_t *k, const vc__desk_list_t *li, long row,
                                const char *reason, int *job_id, vc_diag_t *d) {
  const char *key = vc__desk_cell(li, row, li->key_col);
  vc_print_t *p = vc__desk_cups(k, d);
  vc_status_t st = p ? vc_print_queue_check(p, k->queue, d) : VC_E_IO;
  if (st != VC_OK) {
    vc__desk_cups_drop(k); /* a CUPS restarted since: connect again next time */
    return st;             /* nothing recorded, nothing issued */
  }
  vc__desk_state_t s;
  if ((st = vc__desk_state_fresh(k, key, &s, d)) != VC_OK) return st;
  st = may_print(&s, reason, d);
  if (st == VC_OK)
    st = reason ? reprint(k, li, row, s.doc, reason, job_id, d)
                : first_print(k, li, row, key, job_id, d);
  vc_ledger_doc_free(s.doc);
  return st;
}

vc_status_t vc_desk_print(vc_desk_t *k, const char *key, const char *reason,
                          int *job_id, vc_diag_t *d) {
  if (job_id) *job_id = 0;
  if (!k || !key || !job_id) {
    vc_diag_add(d, VC_E_USAGE, NULL, 0, 0, "vc_desk_print: no desk, key or job id");
    return VC_E_USAGE;
  }
  if (reason && !*reason) {
    vc_diag_add(d, VC_E_INPUT, NULL, 0, 0, "a reprint needs a reason (recorded)");
    return VC_E_INPUT;
  }
  vc__desk_list_t *li = vc__desk_list_get(k);
  long row = vc__desk_row_said(li, key, d);
  vc_status_t st = VC_E_INPUT;
  if (row >= 0) {
    pthread_mutex_lock(&k->mu);
    st = print_locked(k, li, row, reason, job_id, d);
    pthread_mutex_unlock(&k->mu);
  }
  vc__desk_list_put(k, li);
  return st;
}

/* The keys of the documents job job_id holds (vc_ledger_print_fn). */
typedef struct job_keys {
  char key[8][128];
  int n;
} job_keys_t;

static bool on_job_doc(const vc_ledger_row_t *r, bool reprint_of, void *ud) {
  job_keys_t *j = ud;
  bool seen = false;
  for (int i = 0; i < j->n; i++) seen = seen || !strcmp(j->key[i], r->key ? r->key : "");
  if (!seen && j->n < 8) snprintf(j->key[j->n++], sizeof j->key[0], "%s", r->key ? r->key : "");
  return j->n < 8;
}

/* Whether job job_id ended without completing (said when not); a job
 * still in CUPS's queue (held, a stopped printer, waiting) is cancelled
 * first, so that it can never print too.  Under mu. */
static vc_status_t ended_unprinted(vc_desk_t *k, int job_id, vc_diag_t *d) {
  vc_print_outcome_t o;
  vc_status_t st = vc__desk_job_look(k, job_id, &o, NULL, 0, d);
  if (st != VC_OK) return st;
  switch (o) {
  case VC_PRINT_HELD:
  case VC_PRINT_PRINTER_STOPPED:
  case VC_PRINT_TIMEOUT:
    if ((st = vc_print_cancel(k->p, k->queue, job_id, d)) != VC_OK) return st;
    return vc_print_record_end(k->rec, k->queue, job_id, VC_PRINT_CANCELLED, d);
  case VC_PRINT_CANCELLED:
  case VC_PRINT_ABORTED:
  case VC_PRINT_UNKNOWN: return VC_OK;
  case VC_PRINT_COMPLETED:
    vc_diag_add(d, VC_E_INPUT, NULL, 0, 0, "job %d completed: it is not sent again", job_id);
    return VC_E_INPUT;
  case VC_PRINT_ACCEPTED:
    vc_diag_add(d, VC_E_INPUT, NULL, 0, 0, "job %d is still printing: it is not sent again",
                job_id);
    return VC_E_INPUT;
  default:
    vc_diag_add(d, VC_E_INPUT, NULL, 0, 0,
                "job %d is not one of this desk's: it is not sent again", job_id);
    return VC_E_INPUT;
  }
}

vc_status_t vc_desk_retry(vc_desk_t *k, int job_id, int *new_job_id, vc_diag_t *d) {
  if (new_job_id) *new_job_id = 0;
  if (!k || job_id <= 0 || !new_job_id) {
    vc_diag_add(d, VC_E_USAGE, NULL, 0, 0, "vc_desk_retry: no desk, job id or new job id");
    return VC_E_USAGE;
  }
  job_keys_t j = {.n = 0};
  char id[24];
  snprintf(id, sizeof id, "%d", job_id);
  vc__desk_list_t *li = vc__desk_list_get(k);
  pthread_mutex_lock(&k->mu);
  vc_status_t st = vc_ledger_prints(k->l, k->tpath, k->queue, id, 0, on_job_doc, &j, d) < 0
                       ? VC_E_IO : VC_OK;
  if (st == VC_OK && !j.n) {
    vc_diag_add(d, VC_E_INPUT, NULL, 0, 0, "job %d holds no certificate of this desk", job_id);
    st = VC_E_INPUT;
  }
  if (st == VC_OK) st = ended_unprinted(k, job_id, d);
  /* A desk's job holds one document; each is sent as its own job. */
  for (int i = 0; st == VC_OK && i < j.n; i++) {
    long row = vc__desk_row_said(li, j.key[i], d);
    st = row < 0 ? VC_E_INPUT : print_locked(k, li, row, NULL, new_job_id, d);
  }
  pthread_mutex_unlock(&k->mu);
  vc__desk_list_put(k, li);
  return st;
}

/* True when no reason in a ", "-joined list is an error ("-error" ends
 * those that stop the printer; warnings and reports do not). */
static bool no_error(const char *reasons) {
  for (const char *s = strstr(reasons, "-error"); s; s = strstr(s + 1, "-error"))
    if (s[6] == '\0' || s[6] == ',') return false;
  return true;
}

vc_status_t vc_desk_printer(vc_desk_t *k, vc_desk_printer_t *out, vc_diag_t *d) {
  if (!k || !out) {
    vc_diag_add(d, VC_E_USAGE, NULL, 0, 0, "vc_desk_printer: no desk or no result");
    return VC_E_USAGE;
  }
  memset(out, 0, sizeof *out);
  pthread_mutex_lock(&k->mu);
  vc_print_t *p = vc__desk_cups(k, d);
  vc_print_queues_t *q = p ? vc_print_queues_list(p, d) : NULL;
  long i = q ? vc_print_queues_find(q, k->queue) : -1;
  vc_status_t st = VC_OK;
  if (p && !q) vc__desk_cups_drop(k);
  if (!q) st = VC_E_IO;
  else if (i < 0) {
    vc_diag_add(d, VC_E_IO, NULL, 0, 0, "there is no printer queue '%s' on the CUPS server %s",
                k->queue, vc_print_server(p));
    st = VC_E_IO;
  } else {
    const char *r = vc_print_queue_reasons(q, (size_t)i);
    out->state = vc_print_queue_state(q, (size_t)i);
    out->accepting = vc_print_queue_accepting(q, (size_t)i);
    VC__DESK_COPY(out->reasons, strcmp(r, "none") ? r : "");
    VC__DESK_COPY(out->message, vc_print_queue_message(q, (size_t)i));
    out->ready = out->accepting && out->state != VC_PRINTER_STOPPED &&
                 out->state != VC_PRINTER_UNKNOWN && no_error(out->reasons);
  }
  vc_print_queues_free(q);
  pthread_mutex_unlock(&k->mu);
  return st;
}
