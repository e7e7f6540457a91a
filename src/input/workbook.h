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

/* Streams a workbook's sheet: each record is handed to fn (records/table.h)
 * as the sheet's XML is parsed, and kept only if fn keeps it
 * (vc_table_add_record: vc_workbook_read_mem).  shape (may be NULL: by
 * their look) says how the header and the end of the table are found;
 * info (may be NULL) is cleared, and filled when the sheet was read.
 * Memory: the ZIP archive (buf, the caller's), the shared strings and
 * styles (xlsx; inherent to the format, they are needed for any row), and
 * one row.  Returns the sheet's table (its columns, and the rows fn added;
 * caller frees) once every record was delivered and the whole-sheet checks
 * reported, or NULL + diag on a fatal problem - which may come after
 * records were delivered (a cap, a damaged row order). */
vc_table_t *vc_workbook_stream_mem(const char *buf, size_t len, const char *name,
                                   const char *sheet, const vc_shape_opts_t *shape,
                                   vc_shape_info_t *info, vc_record_fn fn, void *ud,
                                   vc_diag_t *d);

/* True when buf is an OLE2 compound file (the container of .xls files)
 * holding an encrypted Office document: the "EncryptionInfo" and
 * "EncryptedPackage" streams an .xlsx saved with a password to open has.
 * Looks at the directory only (a bounded walk). */
bool vc_workbook_is_encrypted(const char *buf, size_t len);

/* True when a workbook (vc_workbook_sniff) says it is OpenDocument in its
 * first, uncompressed entry ("mimetype"), as the reader reports the kind. */
bool vc_workbook_is_ods(const char *buf, size_t len);

#endif
