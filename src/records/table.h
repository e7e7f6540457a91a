/*
 * table.h - the recipients: a header and rows of cleaned UTF-8 values, each
 * row remembering the physical line it started on.  Readers (CSV now, xlsx
 * and legacy encodings later) fill it; everything after reads it.
 *
 * Memory: all strings live in one arena owned by the table.
 */
#ifndef VC_TABLE_H
#define VC_TABLE_H

#include <stdbool.h>
#include <stddef.h>

typedef struct vc_table vc_table_t;

/* Creates an empty table named `name` (the file name used in messages). */
vc_table_t *vc_table_create(const char *name);
void vc_table_free(vc_table_t *t);

/* Building (used by readers).  Values are copied.  add_row returns the new
 * row index or -1 on no memory; set_cell stores a value for a column of the
 * last row. */
int vc_table_add_column(vc_table_t *t, const char *header);
long vc_table_add_row(vc_table_t *t, int line);
bool vc_table_set_cell(vc_table_t *t, long row, int col, const char *v, size_t n);
void vc_table_mark_bad(vc_table_t *t, long row);

const char *vc_table_name(const vc_table_t *t);
int vc_table_ncols(const vc_table_t *t);
long vc_table_nrows(const vc_table_t *t);
/* Original header text and its folded key (vc_text_fold_key). */
const char *vc_table_col_header(const vc_table_t *t, int col);
const char *vc_table_col_key(const vc_table_t *t, int col);
/* Column whose folded key equals fold_key(name), or -1. */
int vc_table_find_col(const vc_table_t *t, const char *name);
/* Value of a cell ("" for a missing one); never NULL for valid indexes. */
const char *vc_table_get(const vc_table_t *t, long row, int col);
int vc_table_row_line(const vc_table_t *t, long row);
bool vc_table_row_ok(const vc_table_t *t, long row);
/* Hidden (or filtered out) in the spreadsheet it came from. */
void vc_table_mark_hidden(vc_table_t *t, long row);
bool vc_table_row_hidden(const vc_table_t *t, long row);

/* One record as every reader hands it on (src/input: CSV in any encoding,
 * .xlsx, .ods): the line (or spreadsheet row) it starts on, its n values
 * (n = the header's columns; "" for a missing one; each NUL-terminated,
 * lens[i] bytes, cleaned and NFC), valid only during the call; ok false
 * when a problem with it was reported; hidden when the spreadsheet hides
 * or filters it out. */
typedef struct vc_record {
  int line;
  int n;
  const char *const *vals;
  const size_t *lens;
  bool ok;
  bool hidden;
} vc_record_t;

/* Where a reader hands each record, in order: t is the reader's table of
 * columns (the header), to which the consumer may add rows (vc_input_read
 * adds each record; readers never look at rows).  Returning false stops
 * reading (reported as out of memory). */
typedef bool (*vc_record_fn)(void *ud, vc_table_t *t, const vc_record_t *rec);

/* Adds rec to t as a row (bad and hidden marks included); false on no
 * memory.  The table builder of every reader (a vc_record_fn with ud
 * unused). */
bool vc_table_add_record(void *ud, vc_table_t *t, const vc_record_t *rec);

#endif
