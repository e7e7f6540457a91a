/*
 * desk-ledger.c - what the ledger, the only state a desk keeps, says:
 * where a record's document stands (vc_desk_doc; a desk opened again after
 * a crash knows every print and reprint), and what staff see (how many of
 * the list are printed, the last jobs, the day's events as CSV for the
 * finance office).  All under the desk's lock (its ledger handle), but the
 * CSV, written by `vncert log`'s own code, which opens the ledger
 * read-only.
 *
 * A job the ledger holds as not ended is asked about once more when a
 * document is looked at (CUPS may have finished it since), so a kiosk that
 * stopped following a job does not show it queued for ever.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "desk/desk-private.h"

vc_print_outcome_t vc__desk_outcome(const char *state) {
  if (!state || !strcmp(state, "pending")) return VC_PRINT_ACCEPTED;
  for (int o = VC_PRINT_ACCEPTED; o <= VC_PRINT_UNKNOWN; o++) {
    const char *w = vc_print_record_state((vc_print_outcome_t)o);
    if (w && !strcmp(w, state)) return (vc_print_outcome_t)o;
  }
  return VC_PRINT_UNKNOWN;
}

/* True for the ledger's words of a job CUPS may still print. */
static bool not_ended(const char *state) {
  static const char *const open[] = {"pending", "held", "stopped", "timed-out"};
  for (size_t i = 0; state && i < sizeof open / sizeof *open; i++)
    if (!strcmp(state, open[i])) return true;
  return false;
}

/* One print event of the key's documents, kept when it is the current
 * document's (vc_ledger_row_fn); events come oldest first. */
static bool on_event(const vc_ledger_row_t *r, void *ud) {
  vc__desk_state_t *s = ud;
  if (r->doc_id != s->doc->id) return true;
  int id = r->job_id ? atoi(r->job_id) : 0;
  s->printed += r->job_state && !strcmp(r->job_state, "completed");
  s->job_id = id;
  s->job_outcome = vc__desk_outcome(r->job_state);
  bool seen = false;
  for (int i = 0; i < s->nopen; i++) seen = seen || s->open_jobs[i] == id;
  if (not_ended(r->job_state) && !seen && s->nopen < 8) s->open_jobs[s->nopen++] = id;
  return true;
}

vc_status_t vc__desk_state(vc_desk_t *k, const char *key, vc__desk_state_t *s,
                           vc_diag_t *d) {
  memset(s, 0, sizeof *s);
  s->job_outcome = VC_PRINT_NOT_SENT;
  vc_status_t st = vc_ledger_find(k->l, k->tpath, key, NULL, &s->doc, d);
  if (st != VC_OK || !s->doc) return st;
  vc_ledger_filter_t f = {.key = s->doc->key, .template_path = k->tpath, .kind = "print"};
  if (vc_ledger_log(k->l, &f, on_event, s, d) < 0) {
    vc_ledger_doc_free(s->doc);
    s->doc = NULL;
    st = vc_diag_status(d);
    return st == VC_OK ? VC_E_IO : st;
  }
  s->state = s->nopen ? VC_DESK_QUEUED : s->printed ? VC_DESK_PRINTED : VC_DESK_NEW;
  return VC_OK;
}

vc_status_t vc__desk_job_look(vc_desk_t *k, int job_id, vc_print_outcome_t *o, char *why,
                              size_t n, vc_diag_t *d) {
  vc_print_t *p = vc__desk_cups(k, d);
  if (!p) return VC_E_IO;
  vc_status_t st = vc_print_job_look(p, k->queue, job_id, o, why, n, d);
  if (st != VC_OK) {
    vc__desk_cups_drop(k); /* the next call connects again */
    return st;
  }
  if (*o == VC_PRINT_NOT_SENT) return VC_OK; /* not this queue's: nothing to record */
  return vc_print_record_end(k->rec, k->queue, job_id, *o, d);
}

vc_status_t vc__desk_state_fresh(vc_desk_t *k, const char *key, vc__desk_state_t *s,
                                 vc_diag_t *d) {
  vc_status_t st = vc__desk_state(k, key, s, d);
  if (st != VC_OK || !s->nopen) return st;
  vc_diag_t *quiet = vc_diag_create();
  if (!quiet) return VC_OK;
  for (int i = 0; i < s->nopen; i++) {
    vc_print_outcome_t o;
    if (vc__desk_job_look(k, s->open_jobs[i], &o, NULL, 0, quiet) != VC_OK) break;
  }
  vc_diag_free(quiet);
  vc_ledger_doc_free(s->doc);
  return vc__desk_state(k, key, s, d);
}

vc_status_t vc_desk_doc(vc_desk_t *k, const char *key, vc_desk_doc_t *out, vc_diag_t *d) {
  if (!k || !key || !out) {
    vc_diag_add(d, VC_E_USAGE, NULL, 0, 0, "vc_desk_doc: no desk, key or result");
    return VC_E_USAGE;
  }
  memset(out, 0, sizeof *out);
  out->job_outcome = VC_PRINT_NOT_SENT;
  vc__desk_list_t *li = vc__desk_list_get(k);
  long row = vc__desk_row_said(li, key, d);
  vc_status_t st = row < 0 ? VC_E_INPUT : VC_OK;
  if (st == VC_OK) {
    VC__DESK_COPY(out->name, vc__desk_cell(li, row, li->name_col));
    VC__DESK_COPY(out->class_name, vc__desk_cell(li, row, li->class_col));
    vc__desk_state_t s;
    const char *tkey = vc__desk_cell(li, row, li->key_col);
    pthread_mutex_lock(&k->mu);
    st = vc__desk_state_fresh(k, tkey, &s, d);
    pthread_mutex_unlock(&k->mu);
    if (st == VC_OK && s.doc) {
      out->state = s.state;
      VC__DESK_COPY(out->serial, s.doc->serial);
      out->printed = s.printed;
      out->reprints = s.doc->reprints;
      out->job_id = s.job_id;
      out->job_outcome = s.job_outcome;
    }
    if (st == VC_OK) vc_ledger_doc_free(s.doc);
  }
  vc__desk_list_put(k, li);
  return st;
}

vc_status_t vc_desk_job(vc_desk_t *k, int job_id, vc_print_outcome_t *o, char *why,
                        size_t n, vc_diag_t *d) {
  if (why && n) why[0] = '\0';
  if (!k || !o || job_id <= 0) {
    vc_diag_add(d, VC_E_USAGE, NULL, 0, 0, "vc_desk_job: no desk, no job id or no result");
    return VC_E_USAGE;
  }
  pthread_mutex_lock(&k->mu);
  vc_status_t st = vc__desk_job_look(k, job_id, o, why, n, d);
  pthread_mutex_unlock(&k->mu);
  return st;
}

/* ---- for staff ---- */

/* The printed keys counted against the current list (vc_ledger_key_fn). */
typedef struct printed_walk {
  const vc__desk_list_t *li;
  long printed;
} printed_walk_t;

static bool on_printed(const char *key, void *ud) {
  printed_walk_t *w = ud;
  w->printed += vc__desk_row(w->li, key) >= 0;
  return true;
}

vc_status_t vc_desk_counts(vc_desk_t *k, long *printed, long *not_printed, vc_diag_t *d) {
  if (printed) *printed = 0;
  if (not_printed) *not_printed = 0;
  if (!k) {
    vc_diag_add(d, VC_E_USAGE, NULL, 0, 0, "vc_desk_counts: no desk");
    return VC_E_USAGE;
  }
  vc__desk_list_t *li = vc__desk_list_get(k);
  printed_walk_t w = {li, 0};
  pthread_mutex_lock(&k->mu);
  long n = vc_ledger_printed_keys(k->l, k->tpath, on_printed, &w, d);
  pthread_mutex_unlock(&k->mu);
  long total = vc_data_count(li->data);
  vc__desk_list_put(k, li);
  if (n < 0) return vc_diag_status(d) != VC_OK ? vc_diag_status(d) : VC_E_IO;
  if (printed) *printed = w.printed;
  if (not_printed) *not_printed = total - w.printed;
  return VC_OK;
}

/* The jobs copied out of the ledger's iteration (vc_ledger_print_fn). */
typedef struct jobs_walk {
  const vc__desk_list_t *li;
  vc_desk_job_info_t *jobs;
  long n, max;
} jobs_walk_t;

static bool on_print(const vc_ledger_row_t *r, bool reprint, void *ud) {
  jobs_walk_t *w = ud;
  vc_desk_job_info_t *j = &w->jobs[w->n++];
  memset(j, 0, sizeof *j);
  j->job_id = r->job_id ? atoi(r->job_id) : 0;
  VC__DESK_COPY(j->queue, r->queue);
  VC__DESK_COPY(j->name, r->name);
  long row = vc__desk_row(w->li, r->key);
  /* the ledger keeps no class: the current list's, when it still has them */
  VC__DESK_COPY(j->class_name, row >= 0 ? vc__desk_cell(w->li, row, w->li->class_col) : "");
  VC__DESK_COPY(j->serial, r->serial);
  j->reprint = reprint;
  VC__DESK_COPY(j->state, r->job_state);
  j->outcome = vc__desk_outcome(r->job_state);
  j->at = (long long)r->at;
  return w->n < w->max;
}

long vc_desk_jobs(vc_desk_t *k, vc_desk_job_info_t *jobs, long max, vc_diag_t *d) {
  if (!k || max < 0 || (!jobs && max > 0)) {
    vc_diag_add(d, VC_E_USAGE, NULL, 0, 0, "vc_desk_jobs: no desk or no room for the jobs");
    return -1;
  }
  if (!max) return 0;
  vc__desk_list_t *li = vc__desk_list_get(k);
  jobs_walk_t w = {li, jobs, 0, max};
  pthread_mutex_lock(&k->mu);
  long n = vc_ledger_prints(k->l, k->tpath, NULL, NULL, max, on_print, &w, d);
  pthread_mutex_unlock(&k->mu);
  vc__desk_list_put(k, li);
  return n < 0 ? -1 : w.n;
}

vc_status_t vc_desk_log_csv(vc_desk_t *k, const char *day, FILE *out, vc_diag_t *d) {
  if (!k || !out) {
    vc_diag_add(d, VC_E_USAGE, NULL, 0, 0, "vc_desk_log_csv: no desk or no output");
    return VC_E_USAGE;
  }
  char today[11];
  if (!day) {
    time_t now = time(NULL);
    struct tm tm;
    if (!localtime_r(&now, &tm) || !strftime(today, sizeof today, "%Y-%m-%d", &tm)) {
      vc_diag_add(d, VC_E_INTERNAL, NULL, 0, 0, "today's date could not be told");
      return VC_E_INTERNAL;
    }
    day = today;
  }
  vc_log_opts_t lo = {.from = day, .to = day, .csv = true};
  long rows = 0;
  return vc_job_log(&k->job, &lo, out, &rows, d);
}
