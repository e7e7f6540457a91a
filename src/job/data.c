/*
 * data.c - `vncert data`: the records exactly as vncert understood them, as
 * CSV on standard output, so a clerk (or a script) can see what will be
 * printed before any paper is used.
 *
 * Streaming: a list chosen without --rows, --where, --match or --sort is
 * read in pieces and each record printed as soon as it is read.  Memory is
 * the header, one record and the set of keys seen for the unique-key check
 * (vc_keyset: one folded key and a line per distinct key, not the
 * records); workbooks also hold their shared strings and styles, inherent
 * to the format (vc_workbook_stream_mem).  Text files stream in UTF-8, and
 * in UTF-16 and the code pages through chunked iconv (vc_input_stream).
 * The output, messages and exit status are those of the table path, with
 * one exception: a fatal problem found after the first records (more than
 * VC_CSV_MAX_ROWS rows, no memory, a damaged workbook) comes after the
 * records printed before it, where the table path prints none.  The table
 * path (vc_input_read) serves --sort (it needs all records), --rows,
 * --where and --match (the selection functions work on a table), standard
 * input, and files whose refusal decode.c words on the whole file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "input/reader.h"
#include "input/workbook.h"
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

/* ---- the streaming path ---- */

typedef struct streamer {
  const vc_job_t *job;
  FILE *out;
  vc_csv_stream_t *s;
  bool started;   /* header seen: key chosen, header line printed */
  bool no_key;    /* --key names no column: nothing is printed */
  int key;        /* key column, or -1 */
  vc_keyset_t *ks;
  long records;
  char *buf;      /* the output line being built */
  size_t cap;
} streamer_t;

/* Appends n bytes to the output line at *len; false on no memory. */
static bool put_bytes(streamer_t *st, size_t *len, const char *s, size_t n) {
  if (*len + n > st->cap) {
    size_t ncap = st->cap ? st->cap : 4096;
    while (ncap < *len + n) ncap *= 2;
    char *nb = realloc(st->buf, ncap);
    if (!nb) return false;
    st->buf = nb;
    st->cap = ncap;
  }
  memcpy(st->buf + *len, s, n);
  *len += n;
  return true;
}

/* Once the header is known: the key column and the header line. */
static void stream_begin(streamer_t *st) {
  const vc_table_t *h = vc_csv_stream_header(st->s);
  st->started = true;
  st->key = vc_table_find_col(h, st->job->key ? st->job->key : "ma_sv");
  if (st->job->key && st->key < 0) {
    st->no_key = true;
    return;
  }
  fputs("line", st->out);
  for (int c = 0; c < vc_table_ncols(h); c++) {
    fputc(',', st->out);
    put_field(st->out, vc_table_col_header(h, c));
  }
  fputs("\r\n", st->out);
}

/* Each record as it is read (vc_csv_row_fn). */
static bool stream_row(void *ud, int line, const char *const *vals, const size_t *lens,
                       int n, bool ok) {
  streamer_t *st = ud;
  if (!st->started) stream_begin(st);
  st->records++;
  if (st->key >= 0 && !vc_keyset_add(st->ks, vals[st->key], line)) return false;
  if (!ok || st->no_key) return true; /* its problem is reported */
  /* one write per record, quoting as put_field does */
  char num[16];
  size_t len = 0;
  if (!put_bytes(st, &len, num, (size_t)snprintf(num, sizeof num, "%d", line))) return false;
  for (int c = 0; c < n; c++) {
    if (!put_bytes(st, &len, ",", 1)) return false;
    const char *v = vals[c];
    if (!strpbrk(v, ",\"\r\n")) {
      if (!put_bytes(st, &len, v, lens[c])) return false;
      continue;
    }
    if (!put_bytes(st, &len, "\"", 1)) return false;
    for (const char *q; (q = strchr(v, '"')); v = q + 1)
      if (!put_bytes(st, &len, v, (size_t)(q - v) + 1) || !put_bytes(st, &len, "\"", 1))
        return false;
    if (!put_bytes(st, &len, v, strlen(v)) || !put_bytes(st, &len, "\"", 1)) return false;
  }
  if (!put_bytes(st, &len, "\r\n", 2)) return false;
  fwrite(st->buf, 1, len, st->out);
  return true;
}

/* The streaming path: -1 when the file is not for it (nothing done), else
 * the job's status in *stp. */
/* After the last record of a stream: the --key problem or the repeated
 * keys, both reported after the records as the table path does. */
static vc_status_t stream_end(const streamer_t *st, const vc_table_t *h, vc_diag_t *d,
                              vc_job_result_t *res) {
  if (st->no_key) {
    vc_diag_add(d, VC_E_USAGE, NULL, 0, 0, "--key: %s has no column \"%s\"",
                vc_table_name(h), st->job->key);
    return VC_E_USAGE;
  }
  long repeats = st->key >= 0 ? vc_keyset_report(st->ks, vc_table_name(h), st->key,
                                                 vc_table_col_header(h, st->key), d)
                              : 0;
  if (res) res->records = st->records;
  if (repeats > 0) return VC_E_INPUT;
  return vc_diag_count(d) ? vc_diag_status(d) : VC_OK;
}

static int data_stream(const vc_job_t *job, FILE *out, vc_diag_t *d, vc_read_info_t *info,
                       vc_job_result_t *res, vc_status_t *stp) {
  if (job->rows || job->nwhere || job->match || (job->sort && *job->sort) || !job->data_path)
    return -1;
  streamer_t st = {.job = job, .out = out, .key = -1};
  st.ks = vc_keyset_create();
  st.s = st.ks ? vc_csv_stream_open(job->data_path, d, stream_row, &st) : NULL;
  if (!st.s) {
    vc_keyset_free(st.ks);
    return -1;
  }
  vc_csv_stream_set_shape(st.s, &job->read.shape);
  int rc = vc_input_stream(job->data_path, &job->read, st.s, info, d);
  if (rc > 0) {
    const vc_table_t *h = vc_csv_stream_header(st.s);
    if (!st.started) stream_begin(&st);
    *stp = stream_end(&st, h, d, res);
  } else if (rc == 0) {
    vc_status_t s = vc_diag_status(d);
    *stp = s == VC_OK ? VC_E_INPUT : s;
  }
  vc_csv_stream_free(st.s);
  vc_keyset_free(st.ks);
  free(st.buf);
  return rc;
}

/* ---- the workbook streaming path ---- */

/* A workbook's records as the sheet is parsed (vc_workbook_row_fn): the
 * header line first, then stream_row, as for CSV. */
static bool wb_row(void *ud, const vc_table_t *h, int line, const char *const *vals,
                   const size_t *lens, int n, bool ok) {
  streamer_t *st = ud;
  if (!st->started) {
    st->started = true;
    st->key = vc_table_find_col(h, st->job->key ? st->job->key : "ma_sv");
    if (st->job->key && st->key < 0) {
      st->no_key = true;
    } else {
      fputs("line", st->out);
      for (int c = 0; c < vc_table_ncols(h); c++) {
        fputc(',', st->out);
        put_field(st->out, vc_table_col_header(h, c));
      }
      fputs("\r\n", st->out);
    }
  }
  return n < 0 || stream_row(st, line, vals, lens, n, ok);
}

/* A regular file starting like a ZIP archive, read whole (the archive must
 * be in memory for libzip; a compressed workbook is small), or NULL: not
 * for this path (anything odd goes to vc_input_read and its messages). */
static char *wb_slurp(const char *path, size_t *lenp) {
  FILE *f = strcmp(path, "-") == 0 ? NULL : fopen(path, "rb");
  if (!f) return NULL;
  char *buf = NULL, head[4];
  struct stat sb;
  if (fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size >= 4 &&
      (unsigned long long)sb.st_size <= VC_CSV_MAX_BYTES && fread(head, 1, 4, f) == 4 &&
      vc_workbook_sniff(head, 4) && (buf = malloc((size_t)sb.st_size + 1))) {
    memcpy(buf, head, 4);
    size_t len = 4 + fread(buf + 4, 1, (size_t)sb.st_size - 4, f);
    if (len != (size_t)sb.st_size || ferror(f) || fgetc(f) != EOF) {
      free(buf);
      buf = NULL;
    }
    *lenp = len;
  }
  fclose(f);
  return buf;
}

/* Streams a workbook's sheet (vc_workbook_stream_mem): memory is the
 * archive, the shared strings and styles, one record and the key set.
 * -1 when not for this path, else 0/1 and *stp as data_stream. */
static int data_workbook(const vc_job_t *job, FILE *out, vc_diag_t *d, vc_read_info_t *info,
                         vc_job_result_t *res, vc_status_t *stp) {
  if (job->rows || job->nwhere || job->match || (job->sort && *job->sort) || !job->data_path ||
      job->read.encoding)
    return -1;
  size_t len = 0;
  char *buf = wb_slurp(job->data_path, &len);
  if (!buf) return -1;
  vc_read_info_t scratch;
  if (!info) info = &scratch;
  memset(info, 0, sizeof *info);
  snprintf(info->encoding, sizeof info->encoding, "%s", vc_workbook_is_ods(buf, len) ? "ods" : "xlsx");
  streamer_t st = {.job = job, .out = out, .key = -1};
  st.ks = vc_keyset_create();
  vc_workbook_set_shape(&job->read.shape, &info->shape);
  vc_table_t *h = st.ks ? vc_workbook_stream_mem(buf, len, job->data_path, job->read.sheet,
                                                 wb_row, &st, d)
                        : NULL;
  vc_workbook_set_shape(NULL, NULL); /* when the file never reached a sheet */
  free(buf);
  if (!st.ks) vc_diag_add(d, VC_E_NOMEM, job->data_path, 0, 0, "out of memory");
  if (h) {
    if (!st.started) wb_row(&st, h, 0, NULL, NULL, -1, true);
    *stp = stream_end(&st, h, d, res);
  } else {
    vc_status_t s = vc_diag_status(d);
    *stp = s == VC_OK ? VC_E_INPUT : s;
  }
  vc_table_free(h);
  vc_keyset_free(st.ks);
  free(st.buf);
  return h ? 1 : 0;
}

/* ---- the command ---- */

vc_status_t vc_job_data(const vc_job_t *job, FILE *out, vc_diag_t *d,
                        vc_read_info_t *info, vc_job_result_t *res) {
  vc_status_t sst = VC_OK;
  if (data_workbook(job, out, d, info, res, &sst) >= 0) return sst;
  if (data_stream(job, out, d, info, res, &sst) >= 0) return sst;
  vc_table_t *t = vc_input_read(job->data_path, &job->read, info, d);
  if (!t) {
    vc_status_t st = vc_diag_status(d);
    return st == VC_OK ? VC_E_INPUT : st;
  }
  vc_selection_t sel = {0};
  vc_status_t st = vc_job_choose(job, t, vc_job_name_col(t), false, &sel, d, res);
  /* Problems in the records (a repeated key) are reported and the records
   * still shown, as for any bad row: that is what this command is for. */
  if (st == VC_OK || (st == VC_E_INPUT && sel.rows)) {
    fputs("line", out);
    for (int c = 0; c < vc_table_ncols(t); c++) {
      fputc(',', out);
      put_field(out, vc_table_col_header(t, c));
    }
    fputs("\r\n", out);
    for (long i = 0; i < sel.n; i++) {
      long r = sel.rows[i];
      if (!vc_table_row_ok(t, r)) continue; /* its problem is reported */
      fprintf(out, "%d", vc_table_row_line(t, r));
      for (int c = 0; c < vc_table_ncols(t); c++) {
        fputc(',', out);
        put_field(out, vc_table_get(t, r, c));
      }
      fputs("\r\n", out);
    }
    if (res) res->records = sel.n;
  }
  vc_selection_free(&sel);
  vc_table_free(t);
  if (st == VC_OK && vc_diag_count(d)) st = vc_diag_status(d);
  return st;
}
