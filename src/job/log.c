/*
 * log.c - `vncert log` and `vncert ledger export|import` (issue 9, points
 * 5-6): the ledger's events as a table for a terminal or as CSV for the
 * finance office (UTF-8 with a BOM, which Excel needs to read Vietnamese),
 * the totals of so_tien, and moving a whole ledger through a CSV file;
 * `vncert revoke` and the list of revocations (issue 11).
 */
#define _GNU_SOURCE /* strptime */
#include <csv.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/i18n.h"
#include "core/money.h"
#include "core/text.h"
#include "job/job-private.h"
#include "ledger/ledger.h"

/* "YYYY-MM-DD" -> local midnight of that day (+ days), Unix seconds; -1
 * when it is not such a day. */
static int64_t day_start(const char *s, int plus_days) {
  struct tm tm = {0};
  char *end = strptime(s, "%Y-%m-%d", &tm);
  if (!end || *end) return -1;
  tm.tm_mday += plus_days;
  tm.tm_isdst = -1;
  time_t t = mktime(&tm);
  return t == (time_t)-1 ? -1 : (int64_t)t;
}

/* The log's filter from its options.  false + VC_E_USAGE diag. */
static bool make_filter(const vc_log_opts_t *lo, vc_ledger_filter_t *f, char *tpath,
                        vc_diag_t *d) {
  *f = (vc_ledger_filter_t){.key = lo->key, .name = lo->match, .serial = lo->serial,
                            .kind = lo->kind};
  static const char *const kinds[] = {"render", "print", "reprint", "new-issue", "revoke"};
  bool known = !lo->kind;
  for (size_t i = 0; !known && i < sizeof kinds / sizeof *kinds; i++)
    known = !strcmp(lo->kind, kinds[i]);
  if (!known) {
    vc_diag_add(d, VC_E_USAGE, NULL, 0, 0,
                "--kind is render, print, reprint, new-issue or revoke, not '%s'", lo->kind);
    return false;
  }
  if (lo->template_path) /* as render recorded it: the real path */
    f->template_path = realpath(lo->template_path, tpath) ? tpath : lo->template_path;
  if ((lo->from && (f->from = day_start(lo->from, 0)) < 0) ||
      (lo->to && (f->to = day_start(lo->to, 1)) < 0)) {
    vc_diag_add(d, VC_E_USAGE, NULL, 0, 0, "--from and --to take a day as YYYY-MM-DD, not '%s'",
                lo->from && f->from < 0 ? lo->from : lo->to);
    return false;
  }
  return true;
}

typedef struct log_out {
  FILE *out;
  bool csv;
  long rows;
} log_out_t;

void vc__job_csv_row(FILE *out, const char *const *v, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (i) fputc(',', out);
    if (v[i]) csv_fwrite(out, v[i], strlen(v[i]));
  }
  fputs("\r\n", out); /* RFC 4180, and what Excel writes */
}

/* One cell of the table: v cut to width characters and padded to it. */
static void put_cell(FILE *out, const char *v, size_t width) {
  char buf[256];
  vc_text_cut(v ? v : "", sizeof buf - 8, width, "…", buf, sizeof buf);
  size_t chars = vc_utf8_len(buf);
  fprintf(out, "%s%*s", buf, (int)(width - chars + 1), "");
}

/* A heading over a column of numbers: right-aligned to width characters
 * (never cut), then a space. */
static void put_rcell(FILE *out, const char *v, size_t width) {
  size_t chars = vc_utf8_len(v);
  fprintf(out, "%*s%s ", chars < width ? (int)(width - chars) : 0, "", v);
}

static const size_t COLW[] = {19, 9, 16, 10, 26, 22, 10};

static bool log_row(const vc_ledger_row_t *r, void *ud) {
  log_out_t *o = ud;
  char when[32];
  time_t t = (time_t)r->at;
  struct tm tm;
  strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", localtime_r(&t, &tm));
  const char *tbase = r->template_path ? strrchr(r->template_path, '/') : NULL;
  tbase = tbase ? tbase + 1 : r->template_path;
  if (o->csv) {
    const char *v[] = {when, r->kind, r->serial, r->key, r->name, r->state, tbase,
                       r->operator_name, r->host, r->reason, r->queue, r->job_id, r->job_state};
    vc__job_csv_row(o->out, v, sizeof v / sizeof *v);
  } else {
    const char *v[] = {when, r->kind, r->serial, r->key, r->name, tbase, r->operator_name};
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) put_cell(o->out, v[i], COLW[i]);
    if (r->queue) /* a print: where, which job, how it ended */
      /* TRANSLATORS: `vncert log`: printer queue, job number, CUPS state
       * (completed, pending...; kept in English, as the ledger has them) */
      fprintf(o->out, _("%s job %s: %s\n"), r->queue, r->job_id ? r->job_id : "?",
              r->job_state ? r->job_state : "?");
    else
      fprintf(o->out, "%s\n", r->reason ? r->reason : "");
  }
  o->rows++;
  return !ferror(o->out);
}

/* One document still to print (log --unprinted): its last print job, or
 * "not sent". */
static bool unprinted_row(const vc_ledger_unprinted_t *u, void *ud) {
  log_out_t *o = ud;
  char last[320];
  const char *tbase = u->template_path ? strrchr(u->template_path, '/') : NULL;
  tbase = tbase ? tbase + 1 : u->template_path;
  if (u->queue)
    /* TRANSLATORS: `vncert log --unprinted`: printer queue, job number,
     * CUPS state (completed, pending...; kept in English) */
    snprintf(last, sizeof last, _("%s job %s: %s"), u->queue, u->job_id ? u->job_id : "?",
             u->job_state ? u->job_state : "?");
  else /* TRANSLATORS: `vncert log --unprinted`: the document never went to a printer */
    snprintf(last, sizeof last, "%s", _("not sent"));
  if (o->csv) {
    const char *v[] = {u->serial, u->key, u->name, tbase, u->queue, u->job_id, u->job_state};
    vc__job_csv_row(o->out, v, sizeof v / sizeof *v);
  } else {
    const char *v[] = {u->serial, u->key, u->name, tbase};
    static const size_t w[] = {16, 10, 26, 22};
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) put_cell(o->out, v[i], w[i]);
    fprintf(o->out, "%s\n", last);
  }
  o->rows++;
  return !ferror(o->out);
}

/* The header of log --unprinted. */
static void unprinted_head(FILE *out, bool csv) {
  static const char *const head[] = {"serial", "key", "name", "template", "queue", "job_id",
                                     "job_state"};
  if (csv) {
    vc__job_csv_row(out, head, sizeof head / sizeof *head);
    return;
  }
  /* TRANSLATORS: the headings of `vncert log --unprinted` on a terminal
   * (cut to 16, 10, 26, 22 characters) */
  static const char *const shown[] = {N_("serial"), N_("key"), N_("name"), N_("template")};
  static const size_t w[] = {16, 10, 26, 22};
  for (size_t i = 0; i < 4; i++) put_cell(out, _(shown[i]), w[i]);
  fprintf(out, "%s\n", _("last print job"));
}

static bool total_row(const vc_ledger_total_t *t, void *ud) {
  log_out_t *o = ud;
  char sum[48], docs[24], bad[24];
  vc_money_format(t->sum, VC_MONEY_SUFFIX_NONE, sum, sizeof sum);
  snprintf(docs, sizeof docs, "%ld", t->documents);
  snprintf(bad, sizeof bad, "%ld", t->bad);
  const char *tbase = strrchr(t->template_path, '/');
  tbase = tbase ? tbase + 1 : t->template_path;
  if (o->csv) {
    const char *v[] = {tbase, t->day, docs, sum, bad};
    vc__job_csv_row(o->out, v, 5);
  } else {
    put_cell(o->out, tbase, 28);
    put_cell(o->out, t->day, 10);
    fprintf(o->out, "%8s %18s %s\n", docs, sum, t->bad ? bad : "");
  }
  o->rows++;
  return !ferror(o->out);
}

vc_status_t vc_job_log(const vc_job_t *job, const vc_log_opts_t *lo, FILE *out, long *rows,
                       vc_diag_t *d) {
  char tpath[PATH_MAX];
  vc_ledger_filter_t f;
  *rows = 0;
  if (!make_filter(lo, &f, tpath, d)) return VC_E_USAGE;
  vc_ledger_t *l = vc__job_ledger_open(job, true, d);
  if (!l) return vc__job_fail(d);
  log_out_t o = {out, lo->csv, 0};
  if (lo->csv) fputs("\xEF\xBB\xBF", out); /* the BOM: Excel reads UTF-8 only with it */
  if (lo->unprinted) {
    unprinted_head(out, lo->csv);
  } else if (lo->csv) {
    static const char *const head[] = {"time", "kind", "serial", "key", "name", "state",
                                       "template", "operator", "host", "reason", "queue",
                                       "job_id", "job_state"};
    static const char *const thead[] = {"template", "day", "documents", "so_tien", "not_amounts"};
    if (lo->totals) vc__job_csv_row(out, thead, 5);
    else vc__job_csv_row(out, head, sizeof head / sizeof *head);
  } else if (lo->totals) {
    /* TRANSLATORS: the headings of `vncert log --totals` on a terminal:
     * template, day, number of documents, the so_tien column (its name),
     * values of so_tien that are not amounts */
    put_cell(out, _("template"), 28);
    put_cell(out, _("day"), 10);
    put_rcell(out, _("documents"), 8);
    put_rcell(out, "so_tien", 18);
    fprintf(out, "%s\n", _("not amounts"));
  } else {
    /* TRANSLATORS: the headings of `vncert log` on a terminal (cut to 19,
     * 9, 16, 10, 26, 22, 10 characters): time, kind of event, serial, key
     * (the student ID), name, template, operator, reason */
    static const char *const h[] = {N_("time"), N_("kind"),     N_("serial"),  N_("key"),
                                    N_("name"), N_("template"), N_("operator")};
    for (size_t i = 0; i < sizeof h / sizeof *h; i++) put_cell(out, _(h[i]), COLW[i]);
    fprintf(out, "%s\n", _("reason"));
  }
  long n = lo->totals      ? vc_ledger_totals(l, "so_tien", &f, total_row, &o, d)
           : lo->unprinted ? vc_ledger_unprinted(l, f.template_path, unprinted_row, &o, d)
                           : vc_ledger_log(l, &f, log_row, &o, d);
  vc_ledger_close(l);
  *rows = o.rows;
  return n < 0 ? vc__job_fail(d) : VC_OK;
}

vc_status_t vc_job_ledger_export(const vc_job_t *job, const char *file, vc_diag_t *d) {
  vc_ledger_t *l = vc__job_ledger_open(job, true, d);
  if (!l) return vc__job_fail(d);
  bool to_stdout = !strcmp(file, "-");
  FILE *fp = to_stdout ? stdout : fopen(file, "wx"); /* never over another file */
  vc_status_t st = VC_OK;
  if (!fp) {
    if (errno == EEXIST)
      vc_diag_add(d, VC_E_IO, file, 0, 0,
                  "cannot write the export: %s (choose a new file name)", strerror(errno));
    else
      vc_diag_add(d, VC_E_IO, file, 0, 0, "cannot write the export: %s", strerror(errno));
    st = VC_E_IO;
  } else
    st = vc_ledger_export(l, fp, d);
  if (fp && !to_stdout && (fclose(fp) != 0 || st != VC_OK)) {
    if (st == VC_OK) {
      vc_diag_add(d, VC_E_IO, file, 0, 0, "cannot write the export: %s", strerror(errno));
      st = VC_E_IO;
    }
    remove(file); /* no half export left to be imported */
  }
  vc_ledger_close(l);
  return st;
}

vc_status_t vc_job_ledger_import(const vc_job_t *job, const char *file, vc_diag_t *d) {
  FILE *fp = !strcmp(file, "-") ? stdin : fopen(file, "rb");
  if (!fp) {
    vc_diag_add(d, VC_E_IO, file, 0, 0, "cannot read: %s", strerror(errno));
    return VC_E_IO;
  }
  vc_ledger_t *l = vc__job_ledger_open(job, false, d);
  vc_status_t st = l ? vc_ledger_import(l, fp, file, d) : vc__job_fail(d);
  vc_ledger_close(l);
  if (fp != stdin) fclose(fp);
  return st;
}

/* ---- `vncert revoke` and a ledger's revocations (issue 11): opened as
 * the other ledger commands open it (vc__job_ledger_open) ---- */

vc_status_t vc_job_revoke(const vc_job_t *job, const char *serial, const char *reason,
                          vc_diag_t *d) {
  if (!job->ledger) {
    vc_diag_add(d, VC_E_USAGE, NULL, 0, 0, "revoke needs the ledger: --ledger FILE");
    return VC_E_USAGE;
  }
  vc_ledger_t *l = vc__job_ledger_open(job, false, d);
  if (!l) return vc__job_fail(d);
  vc_status_t st = vc_ledger_revoke(l, serial, reason, d);
  vc_ledger_close(l);
  return st;
}

vc_status_t vc_job_revocations(const vc_job_t *job, vc_revocation_t **list, size_t *n,
                               vc_diag_t *d) {
  *list = NULL;
  *n = 0;
  vc_ledger_t *l = vc__job_ledger_open(job, true, d);
  if (!l) return vc__job_fail(d);
  vc_status_t st = vc_ledger_revocations(l, list, n, d);
  vc_ledger_close(l);
  return st;
}
