/*
 * reader.h - reading a recipient list whatever form it comes in: CSV/TSV in
 * UTF-8, UTF-16 (Excel's "Unicode Text"), Windows-1258 or TCVN3, or an Excel
 * (.xlsx) / OpenDocument (.ods) workbook.  Everything is read as one stream
 * of records of cleaned UTF-8 NFC values with physical line numbers (or
 * spreadsheet row numbers) for messages, which a table may be built from.
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
 * "-" is standard input, "(stdin)" in messages) as one stream of records:
 * the header is found (src/input/shape.h), then each record goes to fn
 * (records/table.h) in file order, with its line (or row), bad and hidden
 * marks, as soon as it is read; nothing else is kept.  Problems are
 * reported in d as they are found, a refusal of the whole file (its
 * encoding, its kind) before any record.  Returns the reader's table (the
 * columns, and any rows fn added to it; caller frees), or NULL when
 * nothing usable could be read (VC_E_IO for a missing file or folder,
 * VC_E_LIMIT, VC_E_USAGE for an unknown --encoding or --sheet on a text
 * file, VC_E_INPUT for the content) - which may come after records were
 * handed on (a cap, a damaged workbook).  info may be NULL; it is filled
 * as far as reading got. */
vc_table_t *vc_input_each(const char *path, const vc_read_opts_t *opts, vc_record_fn fn,
                          void *ud, vc_read_info_t *info, vc_diag_t *d);

/* vc_input_each with every record added to the table (bad rows marked). */
vc_table_t *vc_input_read(const char *path, const vc_read_opts_t *opts,
                          vc_read_info_t *info, vc_diag_t *d);

/* Text is read in pieces of this many bytes. */
#define VC_INPUT_CHUNK (1u << 20)

#endif
