/*
 * reader.h - reading a recipient list whatever form it comes in: CSV/TSV in
 * UTF-8, UTF-16 (Excel's "Unicode Text"), Windows-1258 or TCVN3, or an Excel
 * (.xlsx) / OpenDocument (.ods) workbook.  Everything ends as a vc_table_t of
 * cleaned UTF-8 NFC values with physical line numbers (or spreadsheet row
 * numbers) for messages.
 */
#ifndef VC_READER_H
#define VC_READER_H

#include <stdbool.h>

#include "core/diag.h"
#include "vncert.h"
#include "input/csv.h"
#include "input/shape.h"
#include "records/table.h"

/* vc_read_opts_t and vc_read_info_t are public (vncert.h). */

/* Reads path (kind chosen by content: ZIP magic -> workbook, else text;
 * "-" is standard input, "(stdin)" in messages).  info may be NULL; it is
 * filled as far as reading got.  NULL
 * when nothing usable (VC_E_IO for a missing file or folder, VC_E_LIMIT,
 * VC_E_USAGE for an unknown --encoding or --sheet on a text file,
 * VC_E_INPUT for the content), else the table with bad rows marked and
 * problems in d. */
vc_table_t *vc_input_read(const char *path, const vc_read_opts_t *opts,
                          vc_read_info_t *info, vc_diag_t *d);

/* Reads path into the streaming CSV reader s (see csv.h), in pieces of
 * VC_INPUT_CHUNK bytes, without ever holding the file, when it is a regular
 * file of strict UTF-8 text (with or without a UTF-8 BOM, no zero byte)
 * read with no --encoding and no --sheet, or one vc_decode_stream_open
 * takes (UTF-16, Windows-1258, TCVN3; no --sheet).  A first pass checks
 * that, piece by piece; a second one feeds s and finishes it.  Returns -1 when the file
 * is anything else (nothing was fed to s, nothing added to d: use
 * vc_input_read, whose messages and refusals stay the only ones), 0 when
 * reading failed (as vc_input_read returning NULL; reasons in d), 1 when it
 * was read (problems with rows in d).  info (may be NULL) as vc_input_read. */
#define VC_INPUT_CHUNK (1u << 20)
int vc_input_stream(const char *path, const vc_read_opts_t *opts, vc_csv_stream_t *s,
                    vc_read_info_t *info, vc_diag_t *d);

#endif
