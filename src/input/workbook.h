/*
 * workbook.h - reading the first (or a named) sheet of an Excel .xlsx or
 * OpenDocument .ods file straight into a table, the way the user sees it in
 * the spreadsheet: numbers formatted as shown (a number with format
 * "#.##0" reads "5.000.000"; a date cell reads "19/12/2024"), text cells as
 * typed (leading zeros kept).  Messages name the file, the sheet and the
 * cell ("B7").  Line numbers in the table are spreadsheet row numbers.
 */
#ifndef VC_WORKBOOK_H
#define VC_WORKBOOK_H

#include <stdbool.h>
#include <stddef.h>

#include "core/diag.h"
#include "input/shape.h"
#include "records/table.h"

/* True when buf starts like a ZIP archive (PK\3\4). */
bool vc_workbook_sniff(const char *buf, size_t len);

/* Reads a workbook from memory.  sheet NULL = the first sheet.  NULL + diag
 * when it is not a readable workbook or the sheet does not exist (the
 * message lists the sheets). */
vc_table_t *vc_workbook_read_mem(const char *buf, size_t len, const char *name,
                                 const char *sheet, vc_diag_t *d);

/* One record of a sheet being streamed: header is the table of columns (no
 * rows), line the spreadsheet row number, vals[0..n) the values (n = the
 * header's columns; "" for an empty cell; lens their lengths), ok false when
 * a problem with a cell of the row was reported.  Return false to stop (no
 * memory: the read fails with "out of memory"). */
typedef bool (*vc_workbook_row_fn)(void *ud, const vc_table_t *header, int line,
                                   const char *const *vals, const size_t *lens, int n,
                                   bool ok);

/* Streams a workbook's sheet: as vc_workbook_read_mem, but each record is
 * handed to fn as the sheet's XML is parsed (vals valid during the call
 * only) and never kept.  Same header and skipped-row rules, caps and
 * messages (the table reader is built on this).  Memory: the ZIP archive
 * (buf, the caller's), the shared strings and styles (xlsx; inherent to the
 * format, they are needed for any row), and one row.  Returns the header
 * (columns, no rows; caller frees) once every record was delivered and the
 * whole-sheet checks reported, or NULL + diag on a fatal problem - which
 * may come after records were delivered (a cap, a damaged row order). */
vc_table_t *vc_workbook_stream_mem(const char *buf, size_t len, const char *name,
                                   const char *sheet, vc_workbook_row_fn fn, void *ud,
                                   vc_diag_t *d);

/* How the next vc_workbook_read_mem or vc_workbook_stream_mem on this
 * thread finds the header and the end of the table (o copied; NULL: by
 * their look), and where it puts what it found (info, may be NULL;
 * cleared now, filled when the sheet was read).  Used once: the read
 * after it starts from no options again.  (A setting rather than a
 * parameter so the reading functions keep their signatures.) */
void vc_workbook_set_shape(const vc_shape_opts_t *o, vc_shape_info_t *info);

/* True when buf is an OLE2 compound file (the container of .xls files)
 * holding an encrypted Office document: the "EncryptionInfo" and
 * "EncryptedPackage" streams an .xlsx saved with a password to open has.
 * Looks at the directory only (a bounded walk). */
bool vc_workbook_is_encrypted(const char *buf, size_t len);

/* True when a workbook (vc_workbook_sniff) says it is OpenDocument in its
 * first, uncompressed entry ("mimetype"), as the reader reports the kind. */
bool vc_workbook_is_ods(const char *buf, size_t len);

#endif
