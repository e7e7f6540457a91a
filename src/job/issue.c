/*
 * issue.c - the ledger side of a job (issue 9, docs/ledger.md): which
 * ledger, each chosen record's document and serial reserved before any
 * file is written, confirmed once the files are committed (or released
 * when the run failed), so "issued" always means "written".
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "core/i18n.h"
#include "job/engine-private.h"
#include "job/job-private.h"
#include "ledger/ledger.h"

char *vc_ledger_default_path(long long now) {
  const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
  time_t t = (time_t)now;
  struct tm tm;
  if (!localtime_r(&t, &tm)) return NULL;
  int first = tm.tm_year + 1900 - (tm.tm_mon < 7); /* from 1 August */
  char buf[PATH_MAX];
  int n;
  if (xdg && *xdg == '/')
    n = snprintf(buf, sizeof buf, "%s/vncert/so-cap-phat-%d-%d.sqlite", xdg, first, first + 1);
  else if (home && *home)
    n = snprintf(buf, sizeof buf, "%s/.local/share/vncert/so-cap-phat-%d-%d.sqlite", home,
                 first, first + 1);
  else
    return NULL;
  return n > 0 && (size_t)n < sizeof buf ? strdup(buf) : NULL;
}

/* mkdir -p of path's folder (the default ledger's). */
static void make_parents(char *path) {
  for (char *s = strchr(path + 1, '/'); s; s = strchr(s + 1, '/')) {
    *s = '\0';
    mkdir(path, 0777); /* EEXIST is fine; other failures: the open says */
    *s = '/';
  }
}

vc_ledger_t *vc__job_ledger_open(const vc_job_t *job, bool read_only, vc_diag_t *d) {
  char *def = NULL;
  const char *where = job->ledger;
  if (!where) {
    if (!(def = vc_ledger_default_path((long long)time(NULL)))) {
      vc_diag_add(d, VC_E_USAGE, NULL, 0, 0,
                  "no ledger named and no home folder for the default one: use --ledger FILE");
      return NULL;
    }
    if (!read_only) make_parents(def);
    where = def;
  }
  vc_ledger_opts_t o = {.operator_name = job->operator_name, .create = !read_only,
                        .read_only = read_only};
  vc_ledger_t *l = vc_ledger_open(where, &o, d);
  free(def);
  return l;
}

/* The key column a ledger identifies records by: --key, else ma_sv. */
int vc__job_key_col(const vc_job_t *job, const vc_table_t *t, vc_diag_t *d) {
  int col = vc_table_find_col(t, job->key ? job->key : "ma_sv");
  if (col < 0)
    vc_diag_add(d, VC_E_USAGE, vc_table_name(t), 0, 0,
                "the ledger knows each person by a unique column: this list has no "
                "\"%s\"; name one with --key COLUMN", job->key ? job->key : "ma_sv");
  return col;
}

/* Adds name = its value for row to out[*n] unless already there. */
static void add_field(const vc_data_t *data, long row, const char *name,
                      vc_ledger_field_t *out, size_t *n) {
  for (size_t i = 0; i < *n; i++)
    if (!strcmp(out[i].name, name)) return;
  const char *v = vc_data_value(data, row, name);
  if (v) out[(*n)++] = (vc_ledger_field_t){name, v};
}

vc_status_t vc__job_row_fields(const vc_data_t *data, long row, vc_ledger_field_t **out,
                               size_t *n, vc_diag_t *d) {
  const vc_template_t *t = data->e->tpl;
  *n = 0;
  *out = calloc(t->nfields + data->nres + 1, sizeof **out);
  if (!*out) return vc__nomem(d, vc_data_name(data), _("recording the values"));
  /* The record as the template knows it: its declared fields, the columns
   * its page prints, and so_tien (the finance office's totals) when the
   * list has it.  Other columns (a row number, notes) may change freely. */
  for (size_t k = 0; k < t->nfields; k++)
    if (vc_binding_col(data->bind, t->fields[k].key) >= 0 || t->fields[k].dflt)
      add_field(data, row, t->fields[k].key, *out, n);
  for (size_t k = 0; k < data->nres; k++)
    if (data->res[k].col >= 0) add_field(data, row, data->res[k].name, *out, n);
  if (vc_data_col(data, "so_tien") >= 0) add_field(data, row, "so_tien", *out, n);
  return VC_OK;
}

vc_status_t vc_record_fields(const vc_data_t *data, long row, vc_ledger_field_t **out,
                             size_t *n, vc_diag_t *d) {
  return vc__job_row_fields(data, row, out, n, d);
}

/* The template as the ledger names it: its real path (the same file from
 * any folder), and its hash.  false after a diag. */
bool vc__job_template_id(const vc_job_t *job, char path[PATH_MAX],
                         char hash[VC_LEDGER_HASH_LEN], vc_diag_t *d) {
  if (!realpath(job->template_path, path)) snprintf(path, PATH_MAX, "%s", job->template_path);
  return vc_ledger_hash_file(job->template_path, hash, d) == VC_OK;
}

/* What every chosen record's request needs, into is (the requests
 * themselves are made by fill_requests). */
static vc_status_t make_requests(vc_job_ctx_t *c, const vc_job_t *job, vc_job_issue_t *is,
                                 vc_diag_t *d) {
  const vc_table_t *t = vc_data_table(c->data);
  int key = vc__job_key_col(job, t, d), name = vc_data_col(c->data, "ho_ten");
  if (key < 0) return VC_E_USAGE;
  if (name < 0) name = vc__job_name_col(t);
  long n = c->sel.n;
  is->n = n;
  is->req = calloc((size_t)(n ? n : 1), sizeof *is->req);
  is->tickets = calloc((size_t)(n ? n : 1), sizeof *is->tickets);
  is->fields = calloc((size_t)(n ? n : 1), sizeof *is->fields);
  is->serials = calloc((size_t)vc_data_count(c->data) + 1, sizeof *is->serials);
  if (!is->req || !is->tickets || !is->fields || !is->serials)
    return vc__nomem(d, job->template_path, _("reserving the serials"));
  if (!vc__job_template_id(job, is->tpath, is->thash, d)) return vc__job_fail(d);
  is->data = c->data;
  is->key_col = key;
  is->name_col = name;
  is->proto = (vc_ledger_req_t){.template_path = is->tpath, .template_hash = is->thash,
                                .pattern = vc_engine_serial_pattern(c->e),
                                .new_issue = job->new_issue, .reason = job->reason};
  return VC_OK;
}

/* Each chosen record's request (on the reserving thread: a few tens of
 * milliseconds for 10,000; the data are only read). */
static vc_status_t fill_requests(vc_job_issue_t *is, vc_diag_t *d) {
  const vc_table_t *t = vc_data_table(is->data);
  for (long i = 0; i < is->n; i++) {
    long row = is->rows[i];
    size_t nf;
    vc_status_t st = vc__job_row_fields(is->data, row, &is->fields[i], &nf, d);
    if (st != VC_OK) return st;
    is->req[i] = is->proto;
    is->req[i].key = vc_table_get(t, row, is->key_col);
    is->req[i].name = is->name_col >= 0 ? vc_table_get(t, row, is->name_col) : NULL;
    is->req[i].fields = is->fields[i];
    is->req[i].nfields = nf;
  }
  return VC_OK;
}

/* Publishes tickets [published, done) to the drawing thread: each row's
 * serial pointer is stored after its ticket is filled. */
static void reserve_progress(size_t done, void *ud) {
  vc_job_issue_t *is = ud;
  pthread_mutex_lock(&is->mu);
  for (size_t i = is->published; i < done; i++)
    __atomic_store_n(&is->serials[is->rows[i]], is->tickets[i].serial, __ATOMIC_RELEASE);
  is->published = done;
  pthread_cond_broadcast(&is->cv);
  pthread_mutex_unlock(&is->mu);
}

/* On the thread, once the last pages are being drawn: the confirmation
 * recorded in a transaction left open, committed after the files
 * (vc__job_issue_end), so that what remains after them is one commit.
 * Begun this late because it holds the writers' lock; not at all when the
 * drawing failed.  A failure here only means confirming the usual way. */
static void prepare_confirm(vc_job_issue_t *is) {
  pthread_mutex_lock(&is->mu);
  while (!is->over && __atomic_load_n(&is->drawn, __ATOMIC_ACQUIRE) < is->start_at)
    pthread_cond_wait(&is->cv, &is->mu);
  bool go = !is->over || is->drawn_ok;
  pthread_mutex_unlock(&is->mu);
  vc_diag_t *quiet = go ? vc_diag_create() : NULL;
  is->prepared = quiet && vc_ledger_confirm_begin(is->l, is->tickets, (size_t)is->n,
                                                  quiet) == VC_OK;
  vc_diag_free(quiet);
}

/* The reservation (one transaction), on its own thread or inline; wakes
 * whoever waits for a serial when it ends, either way. */
static void *reserve_run(void *arg) {
  vc_job_issue_t *is = arg;
  vc_status_t st = fill_requests(is, is->td);
  if (st == VC_OK)
    st = vc_ledger_reserve_each(is->l, is->req, (size_t)is->n, is->tickets,
                                is->th_made ? reserve_progress : NULL, is, is->td);
  if (st == VC_OK && !is->th_made)
    for (long i = 0; i < is->n; i++) is->serials[is->rows[i]] = is->tickets[i].serial;
  if (is->th_made) pthread_mutex_lock(&is->mu);
  is->reserved = st == VC_OK;
  is->finished = true;
  if (is->th_made) {
    pthread_cond_broadcast(&is->cv);
    pthread_mutex_unlock(&is->mu);
  }
  if (st == VC_OK && is->on_thread) prepare_confirm(is); /* inline, none would wake it */
  return NULL;
}

void vc__job_issue_page(vc_job_issue_t *is) {
  if (!is || !is->th_made) return;
  if (__atomic_add_fetch(&is->drawn, 1, __ATOMIC_RELEASE) != is->start_at) return;
  pthread_mutex_lock(&is->mu);
  pthread_cond_broadcast(&is->cv);
  pthread_mutex_unlock(&is->mu);
}

/* The drawing is over (ok: its files are about to be committed); then the
 * thread is waited for. */
static void drawing_over(vc_job_issue_t *is, bool ok) {
  if (!is->running) return;
  pthread_mutex_lock(&is->mu);
  is->over = true;
  is->drawn_ok = ok;
  pthread_cond_broadcast(&is->cv);
  pthread_mutex_unlock(&is->mu);
  pthread_join(is->th, NULL);
  is->running = false;
}

/* vc_data_t's serial_wait: row's serial once published, or NULL when the
 * reservation ended without it (failed: the run will not commit). */
static const char *serial_wait(void *ud, long row) {
  vc_job_issue_t *is = ud;
  pthread_mutex_lock(&is->mu);
  while (!__atomic_load_n(&is->serials[row], __ATOMIC_ACQUIRE) && !is->finished)
    pthread_cond_wait(&is->cv, &is->mu);
  pthread_mutex_unlock(&is->mu);
  return __atomic_load_n(&is->serials[row], __ATOMIC_ACQUIRE);
}

vc_status_t vc__job_issue_begin(vc_job_ctx_t *c, const vc_job_t *job, vc_job_issue_t **out,
                                vc_diag_t *d) {
  *out = NULL;
  if (!job->ledger && !vc_engine_serial_pattern(c->e)) return VC_OK; /* as before */
  if (job->new_issue && (!job->reason || !*job->reason)) {
    vc_diag_add(d, VC_E_USAGE, NULL, 0, 0, "--new-issue needs --reason TEXT: why a new one");
    return VC_E_USAGE;
  }
  if (!strcmp(job->out ? job->out : "", "-")) {
    vc_diag_add(d, VC_E_USAGE, NULL, 0, 0,
                "with a ledger the PDF must go to a file (-o FILE.pdf): a document "
                "sent to standard output cannot be known to be written");
    return VC_E_USAGE;
  }
  vc_job_issue_t *is = calloc(1, sizeof *is);
  if (!is) return vc__nomem(d, job->template_path, _("opening the ledger"));
  *out = is;
  is->rows = c->sel.rows;
  vc_status_t st = make_requests(c, job, is, d);
  if (st != VC_OK) return st;
  if (!(is->l = vc__job_ledger_open(job, false, d))) return vc__job_fail(d);
  /* the confirmation is prepared over the last quarter of the pages (at
   * most 5,000: the writers' lock is held from then on) */
  long tail = is->n / 4 > 5000 ? 5000 : is->n / 4 > 0 ? is->n / 4 : 1;
  is->start_at = is->n - tail;
  c->data->serials = (const char *const *)is->serials;
  c->is = is;
  if (!(is->td = vc_diag_create())) return vc__nomem(d, job->template_path, _("reserving"));
  is->th_made = pthread_mutex_init(&is->mu, NULL) == 0;
  if (is->th_made && pthread_cond_init(&is->cv, NULL) != 0) {
    pthread_mutex_destroy(&is->mu);
    is->th_made = false;
  }
  is->on_thread = is->th_made; /* before the thread reads it */
  is->running = is->th_made && pthread_create(&is->th, NULL, reserve_run, is) == 0;
  if (!is->running) is->on_thread = false;
  if (is->running) {
    c->data->serial_wait = serial_wait;
    c->data->serial_ud = is;
    return VC_OK;
  }
  reserve_run(is); /* no thread: all before drawing, as the ledger allows */
  return vc__job_issue_wait(is, d) ? VC_OK : vc__job_fail(d);
}

bool vc__job_issue_wait(vc_job_issue_t *is, vc_diag_t *d) {
  if (!is) return true;
  drawing_over(is, true);
  if (is->td && d) { /* the thread's problems, once */
    for (size_t i = 0; i < vc_diag_kept(is->td); i++) {
      const vc_diag_item_t *it = vc_diag_get(is->td, i);
      vc_diag_add(d, it->status, it->file, it->line, it->col, "%s", it->msg);
    }
    vc_diag_clear(is->td);
  }
  return is->reserved;
}

vc_status_t vc__job_issue_end(vc_job_issue_t *is, bool written, vc_diag_t *d) {
  if (!is) return VC_OK;
  drawing_over(is, written);
  if (!vc__job_issue_wait(is, d)) return VC_OK;
  bool prepared = is->prepared;
  is->prepared = false;
  if (written && prepared) return vc_ledger_confirm_end(is->l, true, d);
  if (written) return vc_ledger_confirm(is->l, is->tickets, (size_t)is->n, d);
  if (prepared) vc_ledger_confirm_end(is->l, false, d);
  /* The run failed (not killed): its new documents are given back; the
   * ones already issued stay as they were. */
  long k = 0;
  for (long i = 0; i < is->n; i++)
    if (is->tickets[i].res != VC_LEDGER_EXISTS) is->tickets[k++] = is->tickets[i];
  vc_diag_t *quiet = vc_diag_create(); /* the run's own problem is the one to say */
  if (k && quiet) vc_ledger_release(is->l, is->tickets, (size_t)k, quiet);
  vc_diag_free(quiet);
  return VC_OK;
}

void vc__job_issue_free(vc_job_issue_t *is) {
  if (!is) return;
  drawing_over(is, false); /* never left running; a prepared confirmation
                            * not ended is rolled back by the close */
  if (is->th_made) {
    pthread_mutex_destroy(&is->mu);
    pthread_cond_destroy(&is->cv);
  }
  vc_diag_free(is->td);
  for (long i = 0; is->fields && i < is->n; i++) free(is->fields[i]);
  free(is->fields);
  free(is->req);
  free(is->tickets);
  free(is->serials);
  vc_ledger_close(is->l);
  free(is);
}
