/*
 * data.c - `vncert data`: the records exactly as vncert understood them, as
 * CSV on standard output, so a clerk (or a script) can see what will be
 * printed before any paper is used.
 *
 * One reading path: the list is read as one stream of records
 * (vc_input_each) in any form (CSV/TSV in any encoding, standard input,
 * .xlsx, .ods).  Without --rows, --match or --sort each record that
 * passes the --where conditions is printed as soon as it is read: memory
 * is the reader's (never the file),
 * one record and the set of keys seen for the unique-key check (vc_keyset:
 * one folded key and a line per distinct key, not the records); workbooks
 * also hold the archive, their shared strings and styles, inherent to the
 * format.  A fatal problem found after the first records (more than
 * VC_CSV_MAX_ROWS rows, no memory, a damaged workbook) comes after the
 * records printed before it.  --rows (its numbers are checked against the
 * count of records before any is shown), --sort (it needs every record)
 * and, for now, --match gather the stream into a table first
 * (vc_input_read).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/reader.h"
#include "job/job-private.h"

/* RFC 4180: quote a value only when it holds a delimiter, a quote or a line
 * break; double the quotes inside. */
static void put_field(FILE *out, const char *v) {
  if (!strpbrk(v, ",\"\r\n")) {
    fputs(v, out);
    return;
  }
  fputc('"', out);
  for (; *v; v++) {
    if (*v == '"') fputc('"', out);
    fputc(*v, out);
  }
  fputc('"', out);
}

/* ---- the records, as they are read ---- */

typedef struct printer {
  const vc_job_t *job;
  FILE *out;
  bool started;   /* header seen: key chosen, header line printed */
  bool no_key;    /* --key names no column: nothing is printed */
  int key;        /* key column (streaming: checked here), or -1 */
  vc_keyset_t *ks;
  vc_where_t **where; /* the --where conditions, once the header is known */
  int bad_where;  /* 1 + the first --where that names no column, or 0 */
  long records;   /* records read */
  long chosen;    /* records that pass every --where */
  char *buf;      /* the output line being built */
  size_t cap;
} printer_t;

/* Appends n bytes to the output line at *len; false on no memory. */
static bool put_bytes(printer_t *p, size_t *len, const char *s, size_t n) {
  if (*len + n > p->cap) {
    size_t ncap = p->cap ? p->cap : 4096;
    while (ncap < *len + n) ncap *= 2;
    char *nb = realloc(p->buf, ncap);
    if (!nb) return false;
    p->buf = nb;
    p->cap = ncap;
  }
  memcpy(p->buf + *len, s, n);
  *len += n;
  return true;
}

/* The header line. */
static void print_header(FILE *out, const vc_table_t *h) {
  fputs("line", out);
  for (int c = 0; c < vc_table_ncols(h); c++) {
    fputc(',', out);
    put_field(out, vc_table_col_header(h, c));
  }
  fputs("\r\n", out);
}

/* One record's line, in one write, quoting as put_field does; false on no
 * memory. */
static bool print_record(printer_t *p, const vc_record_t *rec) {
  char num[16];
  size_t len = 0;
  if (!put_bytes(p, &len, num, (size_t)snprintf(num, sizeof num, "%d", rec->line))) return false;
  for (int c = 0; c < rec->n; c++) {
    if (!put_bytes(p, &len, ",", 1)) return false;
    const char *v = rec->vals[c];
    if (!strpbrk(v, ",\"\r\n")) {
      if (!put_bytes(p, &len, v, rec->lens[c])) return false;
      continue;
    }
    if (!put_bytes(p, &len, "\"", 1)) return false;
    for (const char *q; (q = strchr(v, '"')); v = q + 1)
      if (!put_bytes(p, &len, v, (size_t)(q - v) + 1) || !put_bytes(p, &len, "\"", 1))
        return false;
    if (!put_bytes(p, &len, v, strlen(v)) || !put_bytes(p, &len, "\"", 1)) return false;
  }
  if (!put_bytes(p, &len, "\r\n", 2)) return false;
  fwrite(p->buf, 1, len, p->out);
  return true;
}

/* Once the header is known: the --where conditions, the key column and
 * the header line.  A condition that cannot be used is said at the end,
 * after the reader's messages, as when the table is chosen from. */
static void stream_begin(printer_t *p, const vc_table_t *h) {
  p->started = true;
  vc_diag_t *scratch = p->job->nwhere ? vc_diag_create() : NULL;
  for (int i = 0; i < p->job->nwhere && !p->bad_where; i++)
    if (!scratch || !(p->where[i] = vc_where_compile(h, p->job->where[i], scratch)))
      p->bad_where = i + 1;
  vc_diag_free(scratch);
  if (p->bad_where) return;
  p->key = vc_table_find_col(h, p->job->key ? p->job->key : "ma_sv");
  if (p->job->key && p->key < 0) {
    p->no_key = true;
    return;
  }
  print_header(p->out, h);
}

/* Each record as it is read (vc_record_fn): its key noted, then printed
 * when it passes every --where, unless its problem is reported. */
static bool stream_row(void *ud, vc_table_t *h, const vc_record_t *rec) {
  printer_t *p = ud;
  if (!p->started) stream_begin(p, h);
  p->records++;
  if (p->key >= 0 && !vc_keyset_add(p->ks, rec->vals[p->key], rec->line)) return false;
  if (p->bad_where) return true;
  for (int i = 0; i < p->job->nwhere; i++) {
    int pass = vc_where_test(p->where[i], rec->vals);
    if (pass <= 0) return pass == 0;
  }
  p->chosen++;
  return !rec->ok || p->no_key || print_record(p, rec);
}

/* After the last record of a stream: the --key problem or the repeated
 * keys, both reported after the records as the table path does. */
static vc_status_t stream_end(printer_t *p, const vc_table_t *h, vc_diag_t *d,
                              vc_job_result_t *res) {
  if (!p->started) stream_begin(p, h);
  if (p->bad_where) { /* said now, after the reader's messages */
    size_t before = vc_diag_count(d);
    vc_where_free(vc_where_compile(h, p->job->where[p->bad_where - 1], d));
    if (vc_diag_count(d) > before) return VC_E_USAGE;
    vc_diag_add(d, VC_E_NOMEM, NULL, 0, 0, "out of memory");
    return VC_E_NOMEM;
  }
  if (p->no_key) {
    vc_diag_add(d, VC_E_USAGE, NULL, 0, 0, "--key: %s has no column \"%s\"",
                vc_table_name(h), p->job->key);
    return VC_E_USAGE;
  }
  long repeats = p->key >= 0 ? vc_keyset_report(p->ks, vc_table_name(h), p->key,
                                                vc_table_col_header(h, p->key), d)
                             : 0;
  if (res) res->records = p->chosen;
  if (repeats > 0) return VC_E_INPUT;
  return vc_diag_count(d) ? vc_diag_status(d) : VC_OK;
}

/* The chosen records of the whole list (--rows, --where, --match, --sort),
 * in their order.  Problems in the records (a repeated key) are reported
 * and the records still shown, as for any bad row: that is what this
 * command is for. */
static vc_status_t print_chosen(printer_t *p, const vc_table_t *t, vc_diag_t *d,
                                vc_job_result_t *res) {
  vc_selection_t sel = {0};
  vc_status_t st = vc_job_choose(p->job, t, vc_job_name_col(t), false, &sel, d, res);
  int n = vc_table_ncols(t);
  const char **vals = calloc((size_t)n + 1, sizeof *vals);
  size_t *lens = calloc((size_t)n + 1, sizeof *lens);
  if (!vals || !lens) {
    vc_diag_add(d, VC_E_NOMEM, vc_table_name(t), 0, 0, "out of memory");
    st = VC_E_NOMEM;
  }
  if (st == VC_OK || (st == VC_E_INPUT && sel.rows)) {
    print_header(p->out, t);
    for (long i = 0; i < sel.n; i++) {
      long r = sel.rows[i];
      if (!vc_table_row_ok(t, r)) continue; /* its problem is reported */
      for (int c = 0; c < n; c++) lens[c] = strlen(vals[c] = vc_table_get(t, r, c));
      vc_record_t rec = {.line = vc_table_row_line(t, r), .n = n, .vals = vals, .lens = lens,
                         .ok = true};
      if (!print_record(p, &rec)) {
        vc_diag_add(d, VC_E_NOMEM, vc_table_name(t), 0, 0, "out of memory");
        st = VC_E_NOMEM;
        break;
      }
    }
    if (res) res->records = sel.n;
  }
  free(vals);
  free(lens);
  vc_selection_free(&sel);
  if (st == VC_OK && vc_diag_count(d)) st = vc_diag_status(d);
  return st;
}

/* ---- the command ---- */

/* One reading path: the list's records as one stream (vc_input_each),
 * printed as they come, or kept in a table when a choice needs all of them
 * (vc_input_read is that stream gathered). */
vc_status_t vc_job_data(const vc_job_t *job, FILE *out, vc_diag_t *d,
                        vc_read_info_t *info, vc_job_result_t *res) {
  printer_t p = {.job = job, .out = out, .key = -1};
  bool choose = job->rows || job->match || (job->sort && *job->sort);
  vc_status_t st;
  if (!choose && (!(p.ks = vc_keyset_create()) ||
                  !(p.where = calloc((size_t)job->nwhere + 1, sizeof *p.where)))) {
    vc_keyset_free(p.ks);
    free(p.where);
    vc_diag_add(d, VC_E_NOMEM, job->data_path, 0, 0, "out of memory");
    return VC_E_NOMEM;
  }
  vc_table_t *t = choose ? vc_input_read(job->data_path, &job->read, info, d)
                         : vc_input_each(job->data_path, &job->read, stream_row, &p, info, d);
  if (!t) {
    st = vc_diag_status(d);
    if (st == VC_OK) st = VC_E_INPUT;
  } else {
    st = choose ? print_chosen(&p, t, d, res) : stream_end(&p, t, d, res);
  }
  vc_table_free(t);
  vc_keyset_free(p.ks);
  for (int i = 0; p.where && i < job->nwhere; i++) vc_where_free(p.where[i]);
  free(p.where);
  free(p.buf);
  return st;
}
