/*
 * csv.h - reading a delimited text file (UTF-8, RFC 4180) into a table of
 * cleaned values, through libcsv.
 *
 * What it guarantees (issue #2, point 3): delimiter ',' ';' or TAB chosen
 * from the header line; UTF-8 with or without BOM; LF, CRLF or mixed line
 * ends, no CR left in values; invalid UTF-8 is an error naming the line;
 * every value NFC, trimmed, white space collapsed; blank lines skipped; line
 * numbers are physical lines where the record starts (header = 1); a row with
 * too few or too many fields is an error for that row.
 */
#ifndef VC_CSV_H
#define VC_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "core/diag.h"
#include "input/shape.h"
#include "records/table.h"

/* Caps (documented in docs/limits.md).  Beyond them: VC_E_LIMIT. */
#define VC_CSV_MAX_BYTES (256u << 20)  /* whole file */
#define VC_CSV_MAX_FIELD (64u << 10)   /* one value, bytes */
#define VC_CSV_MAX_COLS 1024
#define VC_CSV_MAX_ROWS 2000000

/* Reads a CSV file from a memory buffer.  `name` is used in messages.
 * Returns a new table (caller frees with vc_table_free) or NULL when the
 * file cannot be read at all (then diags say why).  Row-level problems are
 * added to diags as VC_E_INPUT with file, line and column, and the row is
 * kept but marked bad (vc_table_row_ok() false).  */
vc_table_t *vc_csv_read_mem(const char *buf, size_t len, const char *name,
                            vc_diag_t *diags);

/* What vc_csv_read_mem_info found, for `vncert data`'s report. */
typedef struct vc_csv_info {
  char delimiter;     /* ',', ';' or '\t' (0 when nothing was read) */
  long skipped_lines; /* physical lines skipped: blank, only white space, or
                         only delimiters (Excel's formatted empty rows) */
  vc_shape_info_t shape; /* where the header was, rows passed over */
} vc_csv_info_t;

/* vc_csv_read_mem that also fills *info (may be NULL), as far as reading
 * got even when it returns NULL. */
vc_table_t *vc_csv_read_mem_info(const char *buf, size_t len, const char *name,
                                 vc_diag_t *diags, vc_csv_info_t *info);

/* ---- streaming: the same reading, record by record ----
 * For commands that print each record as it is read (`vncert data`), and
 * for reading a file into a table without holding the file: the memory
 * held is the header, the current record and libcsv's buffer (at most
 * 128 KiB however long a value is: a value over VC_CSV_MAX_FIELD is found
 * too long while it is read, and not gathered), plus, until the first
 * record is complete, at most 1 MiB of the input before it (the BOM, line
 * end and delimiter are decided on the first record, or on its first MiB
 * when it is longer).  Messages,
 * line numbers and values are those of vc_csv_read_mem_info, which is built
 * on this. */
typedef struct vc_csv_stream vc_csv_stream_t;

/* Each data record (not the header, not skipped blank ones) goes, in
 * order, to a vc_record_fn (records/table.h), with the reader's table of
 * columns. */

/* A new reader (caller frees with vc_csv_stream_free); NULL on no memory
 * (with a diag).  `name` is kept (not copied) for messages. */
vc_csv_stream_t *vc_csv_stream_open(const char *name, vc_diag_t *diags,
                                    vc_record_fn fn, void *ud);
/* How the header and the end of the table are found (src/input/shape.h);
 * before the first piece is fed (later calls change nothing).  o is
 * copied; the field names it points to must outlive the reader.  Without
 * this call, the header is found by its look. */
void vc_csv_stream_set_shape(vc_csv_stream_t *s, const vc_shape_opts_t *o);
/* Reads the next len bytes of the file; a piece may end anywhere (inside a
 * line, a quoted value or a UTF-8 sequence).  false once reading stopped on
 * a fatal problem (in diags); later calls do nothing. */
bool vc_csv_stream_feed(vc_csv_stream_t *s, const char *buf, size_t len);
/* Ends the input: the last record, the file-wide checks and *info (may be
 * NULL).  true when vc_csv_read_mem_info would have returned a table. */
bool vc_csv_stream_finish(vc_csv_stream_t *s, vc_csv_info_t *info);
/* After vc_csv_stream_finish returned true, the reader's table (caller
 * frees): the columns, and the rows its vc_record_fn added (all of them
 * with vc_table_add_record); else NULL. */
vc_table_t *vc_csv_stream_take_table(vc_csv_stream_t *s);
/* The header as a table of columns and no rows, once read; else NULL.
 * Owned by the reader. */
const vc_table_t *vc_csv_stream_header(const vc_csv_stream_t *s);
void vc_csv_stream_free(vc_csv_stream_t *s);

#endif
