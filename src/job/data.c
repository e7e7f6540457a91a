/*
 * data.c - `vncert data`: the records exactly as vncert understood them, as
 * CSV on standard output, so a clerk (or a script) can see what will be
 * printed before any paper is used.
 */
#include <stdio.h>
#include <string.h>

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

vc_status_t vc_job_data(const vc_job_t *job, FILE *out, vc_diag_t *d,
                        vc_read_info_t *info, vc_job_result_t *res) {
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
