/*
 * workbook-sheet.c - the rows of one sheet as records, the same rules as
 * the CSV reader (src/input/csv.c) where they apply.  Each record is handed
 * on when its row ends, to the caller's vc_record_fn (w->row;
 * vc_table_add_record when the table is built: vc_workbook_read_mem).  Only the header (as a table with no rows), the
 * current row and per-column notes are kept; the caps count what the table
 * would hold, so both ways stop at the same place with the same message.
 *
 * Decisions:
 *  - the header, the title rows above it and the rows under the records
 *    that are not records are found by src/input/shape.c, as for CSV: each
 *    row with a value goes there, and comes back as the header or a record;
 *    empty rows are skipped; line numbers are spreadsheet row numbers, so
 *    messages point at what the user sees;
 *  - a row the spreadsheet hides (or filters out) is said so by the format
 *    code (vc__wb_sink_hidden) and the shape counts it or leaves it out;
 *  - the header's width is its last non-empty cell; a blank header cell
 *    between named ones makes a column with no name, which may stay empty;
 *  - a value to the right of the header (a note typed beside the table) is
 *    not silently dropped: each such column is reported once, naming the
 *    first cell, as the CSV reader reports a value under a blank header.  A
 *    row is never "shifted" in a spreadsheet, so the rows stay good;
 *  - a problem with a cell (an Excel error value, a value too long) is
 *    reported with the sheet and the cell reference and marks the row bad;
 *    structural problems (rows out of order, caps) are fatal.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/mem.h"
#include "core/text.h"
#include "input/workbook-private.h"

#define MAX_EXTRA 16 /* columns right of the header reported one by one */

typedef struct {
  uint32_t off, len;
} span_t;

struct vc_wb_sink {
  vc_wb_t *w;
  char *sheet; /* for messages */
  vc_table_t *t; /* the columns, and the rows when not streaming */
  vc_record_fn fn; /* where records go */
  void *ud;
  long nrows;           /* records delivered */

  long row;  /* current row number */
  long last; /* last row number ended (0: none) */

  /* values of the current row (columns below VC_CSV_MAX_COLS) */
  span_t *vals;
  int width; /* 1 + highest column holding a value */
  char *buf;
  size_t blen, bcap;
  bool row_any, row_bad;
  bool row_hidden; /* vc__wb_sink_hidden said so */
  long wide_col; /* before the header: first column past the cap, or -1 */
  vc_shape_t *shape;
  vc_shape_info_t *info_out; /* vc_workbook_set_shape's, or NULL */
  const char **fv; /* the row handed to the shape: VC_CSV_MAX_COLS */
  size_t *fl;

  bool have_header;
  vc_shape_columns_t cols; /* once the header is known */
  uint64_t text;   /* bytes of values stored so far */

  struct {
    long col, row;
  } extra[MAX_EXTRA];
  int nextra;
  long extra_more;
  unsigned char extra_seen[VC_WB_MAX_COLNUM / 8 + 1]; /* bit per column */
};

static bool sheet_header(void *ud, const vc_shape_row_t *h);
static bool sheet_record(void *ud, const vc_shape_row_t *r);

/* Creates a sink (see workbook-private.h). */
vc_wb_sink_t *vc__wb_sink_create(vc_wb_t *w, const char *sheet) {
  vc_wb_sink_t *s = calloc(1, sizeof *s);
  if (s) {
    char sh[200];
    s->w = w;
    s->sheet = strdup(vc_text_shorten(sheet ? sheet : "", sh, sizeof sh));
    s->t = vc_table_create(w->name);
    s->vals = calloc(VC_CSV_MAX_COLS, sizeof *s->vals);
    s->wide_col = -1;
    s->fn = w->row;
    s->ud = w->row_ud;
    s->fv = calloc(VC_CSV_MAX_COLS, sizeof *s->fv);
    s->fl = calloc(VC_CSV_MAX_COLS, sizeof *s->fl);
    s->info_out = w->shape_info;
    s->shape = vc_shape_create(w->shape, w->name, w->d, sheet_header, sheet_record, s);
  }
  if (!s || !s->sheet || !s->t || !s->vals || !s->fv || !s->fl || !s->shape) {
    vc__wb_sink_free(s);
    vc__wb_fail(w, VC_E_NOMEM, N_("out of memory"));
    return NULL;
  }
  return s;
}

/* Frees the sink and the table it holds, if any. */
void vc__wb_sink_free(vc_wb_sink_t *s) {
  if (!s) return;
  vc_table_free(s->t);
  free(s->sheet);
  free(s->vals);
  free(s->buf);
  vc_shape_columns_free(&s->cols);
  free(s->fv);
  free(s->fl);
  vc_shape_free(s->shape);
  free(s);
}

/* Starts a row (see workbook-private.h). */
bool vc__wb_sink_row(vc_wb_sink_t *s, long row) {
  if (s->w->failed) return false;
  if (row <= s->last) {
    vc__wb_fail(s->w, VC_E_INPUT,
               N_("the workbook is damaged: in sheet \"%s\", row %ld comes after row %ld: "
                  "open it in Excel and save it again"),
               s->sheet, row, s->last);
    return false;
  }
  if (row > VC_WB_MAX_ROWNUM) {
    vc__wb_fail(s->w, VC_E_LIMIT, N_("sheet \"%s\" has a row numbered %ld, beyond the %ld rows vncert reads"),
               s->sheet, row, VC_WB_MAX_ROWNUM);
    return false;
  }
  s->row = row;
  for (int c = 0; c < s->width; c++) s->vals[c].len = 0; /* a row never ended */
  s->width = 0;
  s->blen = 0;
  s->row_any = s->row_bad = s->row_hidden = false;
  s->wide_col = -1;
  return true;
}

/* The current row is hidden or filtered out (see workbook-private.h). */
void vc__wb_sink_hidden(vc_wb_sink_t *s, bool hidden) {
  if (s) s->row_hidden = hidden;
}

/* Reports a problem with a cell of the current row and marks the row bad. */
void vc__wb_sink_problem(vc_wb_sink_t *s, long col, vc_status_t st, const char *fmt, ...) {
  char ref[40], msg[1200];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, vc__gettext(fmt), ap);
  va_end(ap);
  vc__wb_cellref(col, s->row, ref, sizeof ref);
  int line = s->row > VC_WB_MAX_ROWNUM ? 0 : (int)s->row;
  int c = col + 1 > VC_WB_MAX_COLNUM ? 0 : (int)(col + 1);
  vc_diag_add(s->w->d, st, s->w->name, line, c, "sheet \"%s\", cell %s: %s", s->sheet, ref, msg);
  s->row_bad = true;
}

/* Stores v[0..n) for column col of the current row. */
static bool store(vc_wb_sink_t *s, long col, const char *v, size_t n) {
  if (!vc_array_reserve(&s->buf, s->blen, n + 1, &s->bcap, 1, 4096)) return false;
  memcpy(s->buf + s->blen, v, n);
  s->buf[s->blen + n] = '\0';
  s->vals[col].off = (uint32_t)s->blen;
  s->vals[col].len = (uint32_t)n;
  s->blen += n + 1;
  if (col + 1 > s->width) s->width = (int)col + 1;
  return true;
}

/* Notes a value right of the header (reported at the end). */
static void note_extra(vc_wb_sink_t *s, long col, long row) {
  long b = col < VC_WB_MAX_COLNUM ? col : VC_WB_MAX_COLNUM;
  if (s->extra_seen[b / 8] & (1u << (b % 8))) return;
  s->extra_seen[b / 8] |= (unsigned char)(1u << (b % 8));
  if (s->nextra < MAX_EXTRA) {
    s->extra[s->nextra].col = col;
    s->extra[s->nextra].row = row;
    s->nextra++;
  } else {
    s->extra_more++;
  }
}

/* A value of the current row (see workbook-private.h). */
void vc__wb_sink_value(vc_wb_sink_t *s, long col, const char *v, size_t n, bool clean) {
  if (s->w->failed || col < 0) return;
  if (n > VC_CSV_MAX_FIELD) {
    vc__wb_sink_problem(s, col, VC_E_LIMIT, "the value is %zu bytes long, more than the %u allowed", n,
                       VC_CSV_MAX_FIELD);
    return;
  }
  char *c = NULL;
  if (clean) {
    c = vc_text_clean(v, n);
    if (!c) { /* the XML parser gives valid UTF-8 without NUL: no memory */
      vc__wb_fail(s->w, VC_E_NOMEM, N_("out of memory"));
      return;
    }
    v = c;
    n = strlen(c);
  }
  if (n) {
    s->row_any = true;
    if (s->have_header ? col >= s->cols.n : col >= VC_CSV_MAX_COLS) {
      if (s->have_header)
        note_extra(s, col, s->row);
      else if (s->wide_col < 0)
        s->wide_col = col;
    } else if (!store(s, col, v, n)) {
      vc__wb_fail(s->w, VC_E_NOMEM, N_("out of memory"));
    }
  }
  free(c);
}

/* The header row (vc_shape_header_fn): refused when past the column cap or
 * unreadable, else the columns (vc_shape_columns_start) and names that
 * fold alike, reported by cell.  false when fatal (reported). */
static bool sheet_header(void *ud, const vc_shape_row_t *hr) {
  vc_wb_sink_t *s = ud;
  long hrow = hr->line;
  if (hr->flags) { /* a value past the cap: its column is in nfields */
    char ref[40];
    vc__wb_cellref(hr->nfields, hrow, ref, sizeof ref);
    vc__wb_fail(s->w, VC_E_LIMIT,
               N_("sheet \"%s\": the header row %ld has a value in cell %s, past the %d "
                  "columns vncert reads"),
               s->sheet, hrow, ref, VC_CSV_MAX_COLS);
    return false;
  }
  if (hr->n == 0) { /* only problems, already reported: no column names */
    vc__wb_fail(s->w, VC_E_INPUT,
               N_("sheet \"%s\": the header row %ld cannot be read, so no column can be found"),
               s->sheet, hrow);
    return false;
  }
  if (!vc_shape_columns_start(&s->cols, s->t, hr)) {
    vc__wb_fail(s->w, VC_E_NOMEM, N_("out of memory"));
    return false;
  }
  s->have_header = true;
  for (int j = 1; j < s->cols.n; j++) {
    int i = vc_shape_columns_twin(s->t, j);
    if (i < 0) continue;
    char ri[40], rj[40], si[84], sj[84];
    vc__wb_cellref(i, hrow, ri, sizeof ri);
    vc__wb_cellref(j, hrow, rj, sizeof rj);
    vc_diag_add(s->w->d, VC_E_INPUT, s->w->name, (int)hrow, j + 1,
                "sheet \"%s\": the headers in %s \"%s\" and %s \"%s\" are the same name "
                "(ignoring case and accents): rename or delete one of them",
                s->sheet, ri, vc_text_shorten(vc_table_col_header(s->t, i), si, sizeof si), rj,
                vc_text_shorten(vc_table_col_header(s->t, j), sj, sizeof sj));
  }
  return true;
}

/* A record as the shape hands it over (vc_shape_record_fn): delivered
 * (vc_shape_columns_record) after the caps, counted as the table would
 * hold the records.  false to stop (reported). */
static bool sheet_record(void *ud, const vc_shape_row_t *rec) {
  vc_wb_sink_t *s = ud;
  long row = rec->line;
  if (s->nrows >= VC_CSV_MAX_ROWS) {
    vc__wb_fail(s->w, VC_E_LIMIT, N_("sheet \"%s\" has more than %d rows: split it"), s->sheet,
               VC_CSV_MAX_ROWS);
    return false;
  }
  if (row > VC_WB_MAX_ROWNUM) {
    vc__wb_fail(s->w, VC_E_LIMIT, N_("sheet \"%s\" has a row numbered %ld, beyond the %ld rows vncert reads"),
               s->sheet, row, VC_WB_MAX_ROWNUM);
    return false;
  }
  if ((s->nrows + 1) * (long)s->cols.n > VC_WB_MAX_CELLS) {
    vc__wb_fail(s->w, VC_E_LIMIT,
               N_("sheet \"%s\" has more than %ld cells (rows x columns): split it"), s->sheet,
               VC_WB_MAX_CELLS);
    return false;
  }
  for (int c = s->cols.n; c < rec->n; c++) /* held before the header was known */
    if (rec->lens[c]) note_extra(s, c, row);
  size_t bytes;
  vc_record_t out = vc_shape_columns_record(&s->cols, rec, &bytes);
  s->text += bytes;
  if (s->text > VC_WB_MAX_TEXT) {
    vc__wb_fail(s->w, VC_E_LIMIT,
               N_("the values of sheet \"%s\" add up to more than %llu MB: split it"), s->sheet,
               VC_WB_MAX_TEXT >> 20);
    return false;
  }
  s->nrows++;
  if (!s->fn(s->ud, s->t, &out) && !s->w->failed)
    vc__wb_fail(s->w, VC_E_NOMEM, N_("out of memory"));
  return !s->w->failed;
}

/* Ends the row (see workbook-private.h). */
void vc__wb_sink_end_row(vc_wb_sink_t *s, long repeat) {
  if (s->w->failed) return;
  if (repeat < 1) repeat = 1;
  long first = s->row;
  s->last = first + repeat - 1;
  if (s->row_any || s->row_bad) {
    for (int c = 0; c < s->width; c++) {
      s->fv[c] = s->vals[c].len ? s->buf + s->vals[c].off : "";
      s->fl[c] = s->vals[c].len;
    }
    vc_shape_row_t r = {.n = s->width, .vals = s->fv, .lens = s->fl, .bad = s->row_bad,
                        .hidden = s->row_hidden, .nfields = (int)s->wide_col,
                        .flags = s->wide_col >= 0 && !s->have_header};
    for (long i = 0; i < repeat && !s->w->failed; i++) {
      if (first + i > VC_WB_MAX_ROWNUM) {
        vc__wb_fail(s->w, VC_E_LIMIT,
                   N_("sheet \"%s\" has a row numbered %ld, beyond the %ld rows vncert reads"),
                   s->sheet, first + i, VC_WB_MAX_ROWNUM);
        break;
      }
      r.line = (int)(first + i);
      if (!vc_shape_feed(s->shape, &r) && !s->w->failed) s->w->failed = true;
    }
  }
  for (int c = 0; c < s->width; c++) s->vals[c].len = 0;
  s->width = 0;
  s->blen = 0;
}

/* The finished table, after the whole-sheet checks. */
vc_table_t *vc__wb_sink_finish(vc_wb_sink_t *s) {
  vc_wb_t *w = s->w;
  vc_shape_info_t si;
  if (!w->failed && !vc_shape_finish(s->shape, &si)) w->failed = true;
  if (!w->failed && s->info_out) *s->info_out = si;
  if (!w->failed && !s->have_header)
    vc__wb_fail(w, VC_E_INPUT, N_("sheet \"%s\" is empty: there is no header row"), s->sheet);
  if (w->failed) {
    vc__wb_sink_free(s);
    return NULL;
  }
  for (int c = 0; c < s->cols.n; c++) { /* a blank header only over an empty column */
    const char *h = vc_table_col_header(s->t, c);
    if (h[0] || !s->cols.first_line[c]) continue;
    char ref[40], first[40];
    vc__wb_cellref(c, s->cols.header_line, ref, sizeof ref);
    vc__wb_cellref(c, s->cols.first_line[c], first, sizeof first);
    vc_diag_add(w->d, VC_E_INPUT, w->name, s->cols.header_line, c + 1,
                "sheet \"%s\", cell %s: the header is empty but the column has values "
                "(first in %s): give it a name",
                s->sheet, ref, first);
  }
  for (int i = 0; i < s->nextra; i++) {
    char first[40], ref[40];
    vc__wb_cellref(s->extra[i].col, s->extra[i].row, first, sizeof first);
    vc__wb_cellref(s->extra[i].col, s->cols.header_line, ref, sizeof ref);
    long col = s->extra[i].col + 1;
    vc_diag_add(w->d, VC_E_INPUT, w->name, (int)s->extra[i].row,
                col > VC_WB_MAX_COLNUM ? 0 : (int)col,
                "sheet \"%s\", cell %s: a value right of the table, in a column with no "
                "header (row %ld ends before it): give the column a name in %s, or delete "
                "the value",
                s->sheet, first, (long)s->cols.header_line, ref);
  }
  if (s->extra_more)
    vc_diag_add(w->d, VC_E_INPUT, w->name, 0, 0,
                vc__ngettext("sheet \"%s\": %ld more column right of the table has values "
                             "but no header",
                             "sheet \"%s\": %ld more columns right of the table have values "
                             "but no header",
                             (unsigned long)s->extra_more),
                s->sheet, s->extra_more);
  vc_table_t *t = s->t;
  s->t = NULL;
  vc__wb_sink_free(s);
  return t;
}
