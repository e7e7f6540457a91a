/*
 * desk-staff.c - what a desk's staff page shows: how many of the list are
 * printed, the last jobs, the day's events as CSV for the finance office.
 * All read from the ledger (the desk's handle, under its lock; the CSV
 * through `vncert log`'s own code, which opens the ledger read-only).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "desk/desk-private.h"

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
  snprintf(j->queue, sizeof j->queue, "%s", r->queue ? r->queue : "");
  snprintf(j->name, sizeof j->name, "%s", r->name ? r->name : "");
  long row = vc__desk_row(w->li, r->key);
  /* the ledger keeps no class: the current list's, when it still has them */
  snprintf(j->class_name, sizeof j->class_name, "%s",
           row >= 0 ? vc__desk_cell(w->li, row, w->li->class_col) : "");
  snprintf(j->serial, sizeof j->serial, "%s", r->serial ? r->serial : "");
  j->reprint = reprint;
  snprintf(j->state, sizeof j->state, "%s", r->job_state ? r->job_state : "");
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
