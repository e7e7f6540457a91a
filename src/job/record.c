/*
 * record.c - one record of a loaded list, for front ends that hold an
 * engine and a data set (the kiosk): check it, render its page to memory,
 * choose records by a job's options (see vncert.h).
 *
 * Everything here only reads the engine and the data, so that several
 * threads may call it at once: the row checks a job records in data->bad
 * (vc__data_check_rows) are made here into a diag of the call's own and
 * kept for the row asked for.
 */
#include <stdlib.h>
#include <string.h>

#include "job/engine-private.h"
#include "job/job-private.h"
#include "records/fields.h"

/* Why a record the reader or the binding already refused is not drawn. */
static bool row_usable(const vc_data_t *data, long row, vc_diag_t *d) {
  if (!vc__data_usable(data)) {
    vc_diag_add(d, VC_E_INPUT, vc_data_name(data), 0, 0,
                "the list has a problem that concerns every record (reported when it "
                "was read): no record can be printed from it");
    return false;
  }
  if (!vc_data_row_ok(data, row)) {
    vc_diag_add(d, VC_E_INPUT, vc_data_name(data), vc_data_row_line(data, row), 0,
                "this record has a problem reported when the list was read");
    return false;
  }
  return true;
}

/* The value checks of every row (required, amounts, dates), kept for one
 * row: the binding checks the whole table, into a list of this call's.
 * Returns the number of problems added to d, -1 on no memory. */
static long check_values(const vc_data_t *data, long row, vc_diag_t *d) {
  vc_diag_t *tmp = vc_diag_create();
  if (!tmp) {
    vc_diag_add(d, VC_E_NOMEM, vc_data_name(data), 0, 0, "out of memory");
    return -1;
  }
  vc_binding_check_rows(data->bind, data->table, NULL, tmp);
  int line = vc_data_row_line(data, row);
  long n = 0;
  for (size_t i = 0; i < vc_diag_kept(tmp); i++) {
    const vc_diag_item_t *it = vc_diag_get(tmp, i);
    if (it->line != line) continue;
    vc_diag_add(d, it->status, it->file, it->line, it->col, "%s", it->msg);
    n += it->status != VC_WARN;
  }
  vc_diag_free(tmp);
  return n;
}

/* Lays out a checked record into pl.  Returns the number of problems, -1
 * on a bad argument (said). */
static long layout_record(vc_pagelayout_t *pl, const vc_data_t *data, long row,
                          vc_diag_t *d) {
  if (row < 0 || row >= vc_data_count(data)) {
    vc_diag_add(d, VC_E_USAGE, vc_data_name(data), 0, 0,
                "record %ld asked for, the list has %ld (numbered from 0)", row,
                vc_data_count(data));
    return -1;
  }
  if (!row_usable(data, row, d)) return 1;
  /* as a job does: the values, then the page, each problem said */
  long bad = check_values(data, row, d);
  if (bad < 0) return -1;
  return bad + vc_page_layout(pl, data, row, d);
}

long vc_record_check(const vc_engine_t *e, const vc_data_t *data, long row,
                     vc_diag_t *d) {
  if (!e || !data) {
    vc_diag_add(d, VC_E_USAGE, NULL, 0, 0, "vc_record_check: no template or no list");
    return -1;
  }
  vc_pagelayout_t *pl = vc_pagelayout_create(e, d);
  if (!pl) return -1;
  long n = layout_record(pl, data, row, d);
  vc_pagelayout_free(pl);
  return n;
}

vc_status_t vc_record_render(const vc_engine_t *e, const vc_data_t *data, long row,
                             unsigned char **pdf, size_t *len, vc_diag_t *d) {
  return vc_record_render_issued(e, data, row, NULL, NULL, pdf, len, d);
}

vc_status_t vc_record_render_issued(const vc_engine_t *e, const vc_data_t *data, long row,
                                    const char *serial, const char *mark, unsigned char **pdf,
                                    size_t *len, vc_diag_t *d) {
  if (pdf) *pdf = NULL;
  if (len) *len = 0;
  if (!e || !data || !pdf || !len || data->e != e) {
    vc_diag_add(d, VC_E_USAGE, NULL, 0, 0,
                "vc_record_render: needs a template, a list loaded with it and "
                "where to put the PDF");
    return VC_E_USAGE;
  }
  if (e->tpl->list) { /* issue 13: one table of every record, not a page each */
    vc_diag_add(d, VC_E_USAGE, e->tpl->path, 0, 0,
                "this template is a list (one table of every record): render it "
                "as a job, not one record at a time");
    return VC_E_USAGE;
  }
  size_t before = vc_diag_count(d);
  vc_pagelayout_t *pl = vc_pagelayout_create(e, d);
  vc_pdf_t *doc = NULL;
  if (pl) {
    pl->serial = serial;
    pl->mark = mark;
  }
  bool ok = pl && layout_record(pl, data, row, d) == 0;
  /* the same document a job starts (title, defaults) and the same drawing:
   * the page is the one the job's PDF holds for this record */
  if (ok) ok = (doc = vc_pdf_create(vc_engine_title(e), d)) != NULL;
  ok = ok && vc_page_draw(pl, doc, d) && vc_pdf_save_mem(doc, pdf, len);
  vc_pdf_free(doc);
  vc_pagelayout_free(pl);
  if (ok && vc_diag_count(d) == before) return VC_OK;
  free(*pdf);
  *pdf = NULL;
  *len = 0;
  if (vc_diag_count(d) == before)
    vc_diag_add(d, VC_E_INTERNAL, vc_data_name(data), 0, 0,
                "the page of record %ld was not drawn, for no reason given", row);
  vc_status_t st = vc_diag_status(d);
  return st == VC_OK ? VC_E_INTERNAL : st;
}

vc_status_t vc_data_choose(const vc_data_t *data, const vc_job_t *job, long **rows,
                           long *n, vc_diag_t *d) {
  if (rows) *rows = NULL;
  if (n) *n = 0;
  if (!data || !job || !rows || !n) {
    vc_diag_add(d, VC_E_USAGE, NULL, 0, 0, "vc_data_choose: no list, no job or no result");
    return VC_E_USAGE;
  }
  const vc_table_t *t = vc_data_table(data);
  int name_col = vc_data_col(data, "ho_ten");
  if (name_col < 0) name_col = vc__job_name_col(t);
  vc_selection_t sel = {0};
  vc_status_t st = vc__job_choose(job, t, name_col, true, &sel, d, NULL);
  if (st == VC_E_NOMEM && vc_diag_status(d) != VC_E_NOMEM)
    vc_diag_add(d, VC_E_NOMEM, vc_data_name(data), 0, 0, "out of memory choosing records");
  if (st != VC_OK) {
    vc_selection_free(&sel);
    return st;
  }
  *rows = sel.n ? sel.rows : NULL;
  *n = sel.n;
  if (!sel.n) free(sel.rows);
  return VC_OK;
}
