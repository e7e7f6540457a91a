/*
 * shape.h - where the table is in a list laid out as schools lay it out in
 * Excel: title rows above the header, the header itself, the records, and
 * the rows under them that are not records (a "Tổng cộng" row, the place
 * and date, "Người lập biểu" and the signer's name, notes).
 *
 * Both readers (csv.c and workbook-sheet.c) feed it their rows, blank rows
 * already skipped, so the rules exist once and the CSV saved from a sheet
 * reads as the sheet does.  It calls the reader back with the header once
 * it is decided and with each record, in order; rows it passes over are
 * counted in vc_shape_info_t for the summary (library code never prints).
 *
 * Memory: the rows before the header are held until it is decided (at most
 * VC_SHAPE_MAX_HEAD_ROWS rows or VC_SHAPE_MAX_HELD bytes), and rows after
 * the records that may be the footer (at most VC_SHAPE_MAX_TAIL_ROWS rows
 * or VC_SHAPE_MAX_HELD bytes); nothing else.
 */
#ifndef VC_SHAPE_H
#define VC_SHAPE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/diag.h"
#include "records/table.h"

#define VC_SHAPE_MAX_HEAD_ROWS 100  /* rows looked at for the header */
#define VC_SHAPE_MAX_TAIL_ROWS 200  /* rows after the records held as a footer */
#define VC_SHAPE_MAX_HELD (1u << 20) /* bytes of values held either way */

/* vc_shape_field_t, vc_shape_opts_t and vc_shape_info_t are public
 * (vncert.h). */

/* A row as a reader hands it over: n cleaned values (vals[i], lens[i]),
 * valid during the call only.  nfields and flags are the reader's own
 * (CSV: fields read, parse state) and come back unchanged. */
typedef struct vc_shape_row {
  int line;
  int n;
  const char *const *vals;
  const size_t *lens;
  bool bad;     /* a problem with the row was already reported */
  bool hidden;  /* hidden or filtered out in the spreadsheet */
  int nfields;
  unsigned flags;
} vc_shape_row_t;

/* The reader's side: the header row once decided (false: a fatal problem,
 * reported), and each record, in order (false: stop; reported by the
 * reader).  A record's row.bad may be set by the shape (a non-record among
 * records, reported here). */
typedef bool (*vc_shape_header_fn)(void *ud, const vc_shape_row_t *row);
typedef bool (*vc_shape_record_fn)(void *ud, const vc_shape_row_t *row);

typedef struct vc_shape vc_shape_t;

/* A new shape finder (caller frees with vc_shape_free); opts may be NULL
 * and is copied (the field names are not: they must outlive it); name is
 * kept for messages.  NULL on no memory (reported). */
vc_shape_t *vc_shape_create(const vc_shape_opts_t *opts, const char *name, vc_diag_t *d,
                            vc_shape_header_fn on_header, vc_shape_record_fn on_record,
                            void *ud);
void vc_shape_free(vc_shape_t *s);

/* The next non-blank row.  false once reading must stop (a fatal problem,
 * reported, or a callback said stop). */
bool vc_shape_feed(vc_shape_t *s, const vc_shape_row_t *row);
/* End of the rows: decides the header if still open, reports the rows
 * passed over after the records, fills *info (may be NULL).  false on a
 * fatal problem (reported). */
bool vc_shape_finish(vc_shape_t *s, vc_shape_info_t *info);

/* Before the header is decided: the text of column col in the row that is
 * likeliest to become the header (for messages that name a column), or
 * NULL.  Owned by s. */
const char *vc_shape_guess_name(const vc_shape_t *s, int col);
/* Width of that row (0: none yet). */
int vc_shape_guess_width(const vc_shape_t *s);

/* The reader's side once the header is decided, the same for every reader
 * (csv.c, workbook-sheet.c): the table's columns, the line of each
 * column's first value (a blank header is fine only over an empty column)
 * and the record being handed on.  Zeroed before vc_shape_columns_start;
 * the messages stay the reader's (lines or cells). */
typedef struct vc_shape_columns {
  int n;            /* columns: the header's values */
  int header_line;
  long *first_line; /* per column: line of its first non-empty value (0: none) */
  const char **vals; /* the record handed on: n values */
  size_t *lens;
} vc_shape_columns_t;

/* Adds the header row h's values as t's columns and makes room for the
 * records.  false on no memory (not reported: the reader says it). */
bool vc_shape_columns_start(vc_shape_columns_t *c, vc_table_t *t, const vc_shape_row_t *h);
/* The first column before column j whose name folds as j's does ("Lớp" and
 * "LỚP"), or -1: two such columns make one unreachable.  Blank names have
 * no twin. */
int vc_shape_columns_twin(const vc_table_t *t, int j);
/* row as a record of the header's c->n values (past the row's end ""),
 * first_line noted; valid until the next call.  *bytes (may be NULL) is
 * what its non-empty values would take in a table (each + NUL). */
vc_record_t vc_shape_columns_record(vc_shape_columns_t *c, const vc_shape_row_t *row,
                                    size_t *bytes);
void vc_shape_columns_free(vc_shape_columns_t *c);

#endif
