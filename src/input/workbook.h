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
#include "records/table.h"

/* True when buf starts like a ZIP archive (PK\3\4). */
bool vc_workbook_sniff(const char *buf, size_t len);

/* Reads a workbook from memory.  sheet NULL = the first sheet.  NULL + diag
 * when it is not a readable workbook or the sheet does not exist (the
 * message lists the sheets). */
vc_table_t *vc_workbook_read_mem(const char *buf, size_t len, const char *name,
                                 const char *sheet, vc_diag_t *d);

#endif
