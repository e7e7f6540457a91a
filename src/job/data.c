/*
 * data.c - `vncert data`: the records exactly as vncert understood them, as
 * CSV on standard output, so a clerk (or a script) can see what will be
 * printed before any paper is used.
 *
 * One reading path: the list is read as one stream of records
 * (vc_input_each) in any form (CSV/TSV in any encoding, standard input,
 * .xlsx, .ods).  Without --sort each record that passes --rows, the
 * --where conditions and --match is printed as soon as it is read: memory
 * is the reader's (never the file),
 * one record and the set of keys seen for the unique-key check (vc_keyset:
 * one folded key and a line per distinct key, not the records), and for
 * --rows a flag per record; workbooks also hold the archive, their shared
 * strings and styles, inherent to the format.  A fatal problem found after
 * the first records (more than VC_CSV_MAX_ROWS rows, no memory, a damaged
 * workbook) comes after the records printed before it.  --rows checks its
 * numbers against the count of records before any is shown: a regular
 * file is read twice, first only counting; standard input, a file whose
 * first reading fails or numbers that do not fit are read into a table as
 * --sort (it needs every record) is (vc_input_read), so every message is
 * the one choosing from the table gives.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/i18n.h"
#include "core/text.h"

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
  long chosen;    /* records that pass --rows, every --where and --match */
  bool *want;     /* --rows: a flag per record, or NULL for all */
  char *typed;    /* --match: its text folded, or NULL (not UTF-8: none) */
  int name_col;   /* --match: the column of names, or -1 */
  bool bad_match; /* --match cannot be used: said at the end */
  long searched;  /* --match: records that pass --rows and --where */
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
  if (p->job->match) {
    const char *m = p->job->match + strspn(p->job->match, " ");
    p->name_col = vc__job_name_col(h);
    p->bad_match = p->name_col < 0 || !*m;
  }
  p->key = vc_table_find_col(h, p->job->key ? p->job->key : "ma_sv");
  if (p->bad_match) return;
  if (p->job->key && p->key < 0) {
    p->no_key = true;
    return;
  }
  print_header(p->out, h);
}

/* Each record as it is read (vc_record_fn): its key noted, then printed
 * when it passes --rows, every --where and --match, unless its problem is
 * reported. */
static bool stream_row(void *ud, vc_table_t *h, const vc_record_t *rec) {
  printer_t *p = ud;
  if (!p->started) stream_begin(p, h);
  long r = p->records++;
  if (p->key >= 0 && !vc_keyset_add(p->ks, rec->vals[p->key], rec->line)) return false;
  if (p->bad_where || p->bad_match || (p->want && !p->want[r])) return true;
  for (int i = 0; i < p->job->nwhere; i++) {
    int pass = vc_where_test(p->where[i], rec->vals);
    if (pass <= 0) return pass == 0;
  }
  if (p->job->match) {
    p->searched++;
    int m = p->typed ? vc_match_test(p->typed, rec->vals[p->name_col]) : 0;
    if (m <= 0) return m == 0;
  }
  p->chosen++;
  return !rec->ok || p->no_key || print_record(p, rec);
}

/* After the last record of a stream with --match: a column of names or a
 * text missing, or no record found, said as choosing from the table says
 * it (the header is still shown when nothing matched, and the keys are
 * then not checked).  Several matches are no problem here. */
static vc_status_t stream_match_end(printer_t *p, const vc_table_t *h, vc_diag_t *d,
                                    vc_job_result_t *res) {
  if (res) res->matched = p->chosen;
  if (p->name_col < 0) {
    vc_diag_add(d, VC_E_USAGE, NULL, 0, 0,
                "--match: %s has no column of names (such as \"Họ và tên\")",
                vc_table_name(h));
    return VC_E_USAGE;
  }
  if (p->bad_match) {
    vc_diag_add(d, VC_E_USAGE, NULL, 0, 0, "--match needs some of a name to look for");
    return VC_E_USAGE;
  }
  if (p->chosen > 0) return VC_OK;
  if (p->no_key) print_header(p->out, h);
  if (res) res->records = 0;
  vc_diag_add(d, VC_E_INPUT, vc_table_name(h), 0, 0,
              vc__ngettext("no record matches \"%s\" in column \"%s\" (%ld record "
                           "searched; accents and capitals do not matter)",
                           "no record matches \"%s\" in column \"%s\" (%ld records "
                           "searched; accents and capitals do not matter)",
                           (unsigned long)p->searched),
              p->job->match, vc_table_col_header(h, p->name_col), p->searched);
  return VC_E_INPUT;
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
  if (p->job->match) {
    vc_status_t st = stream_match_end(p, h, d, res);
    if (st != VC_OK) return st;
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
  vc_status_t st = vc__job_choose(p->job, t, vc__job_name_col(t), false, &sel, d, res);
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

/* Counts the records of the first reading (vc_record_fn). */
static bool count_row(void *ud, vc_table_t *h, const vc_record_t *rec) {
  (void)h;
  (void)rec;
  ++*(long *)ud;
  return true;
}

/* --rows on a stream: the flag per record, from a first reading of a
 * regular file that only counts; NULL (the table is read instead) for
 * standard input or anything not a regular file, a first reading that
 * fails, numbers that do not fit the count, or no memory - choosing from
 * the table then says what is wrong as it always did. */
static bool *rows_from_count(const vc_job_t *job) {
  struct stat st;
  if (!strcmp(job->data_path, "-") || stat(job->data_path, &st) || !S_ISREG(st.st_mode))
    return NULL;
  vc_diag_t *scratch = vc_diag_create();
  long n = 0;
  vc_table_t *t = scratch ? vc_input_each(job->data_path, &job->read, count_row, &n, NULL,
                                          scratch)
                          : NULL;
  bool *want = t ? vc_rows_want(job->rows, n, scratch) : NULL;
  vc_table_free(t);
  vc_diag_free(scratch);
  return want;
}

/* The stream's state for --match, --where and the keys; false on no
 * memory (said in d). */
static bool stream_prepare(printer_t *p, const vc_job_t *job, vc_diag_t *d) {
  const char *m = job->match;
  bool ok = (p->ks = vc_keyset_create()) &&
            (p->where = calloc((size_t)job->nwhere + 1, sizeof *p->where)) &&
            (!m || !vc_utf8_valid(m, strlen(m), NULL) || (p->typed = vc_text_fold_search(m)));
  if (!ok) vc_diag_add(d, VC_E_NOMEM, job->data_path, 0, 0, "out of memory");
  return ok;
}

/* One reading path: the list's records as one stream (vc_input_each),
 * printed as they come, or kept in a table when a choice needs all of them
 * (vc_input_read is that stream gathered). */
vc_status_t vc_job_data(const vc_job_t *job, FILE *out, vc_diag_t *d,
                        vc_read_info_t *info, vc_job_result_t *res) {
  printer_t p = {.job = job, .out = out, .key = -1, .name_col = -1};
  bool table = job->sort && *job->sort;
  if (!table && job->rows) table = !(p.want = rows_from_count(job));
  vc_status_t st = VC_E_NOMEM;
  vc_table_t *t = NULL;
  if (table)
    t = vc_input_read(job->data_path, &job->read, info, d);
  else if (stream_prepare(&p, job, d))
    t = vc_input_each(job->data_path, &job->read, stream_row, &p, info, d);
  else
    goto done;
  if (!t) {
    st = vc_diag_status(d);
    if (st == VC_OK) st = VC_E_INPUT;
  } else {
    st = table ? print_chosen(&p, t, d, res) : stream_end(&p, t, d, res);
  }
done:
  vc_table_free(t);
  vc_keyset_free(p.ks);
  for (int i = 0; p.where && i < job->nwhere; i++) vc_where_free(p.where[i]);
  free(p.where);
  free(p.want);
  free(p.typed);
  free(p.buf);
  return st;
}
