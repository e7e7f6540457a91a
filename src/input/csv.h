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

#include "core/diag.h"
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
} vc_csv_info_t;

/* vc_csv_read_mem that also fills *info (may be NULL), as far as reading
 * got even when it returns NULL. */
vc_table_t *vc_csv_read_mem_info(const char *buf, size_t len, const char *name,
                                 vc_diag_t *diags, vc_csv_info_t *info);

/* Same, reading the file at path (the path is the name in messages). */
vc_table_t *vc_csv_read_file(const char *path, vc_diag_t *diags);

#endif
