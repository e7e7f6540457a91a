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
#include "input/csv.h"
#include "input/shape.h"
#include "records/table.h"

typedef struct vc_read_opts {
  const char *encoding; /* NULL = by BOM, else strict UTF-8; or "utf-8",
                           "utf-16", "utf-16le", "utf-16be", "windows-1258"
                           ("cp1258"), "tcvn3" ("tcvn", "tcvn5712-1") */
  const char *sheet;    /* workbooks: sheet name; NULL = the first */
  vc_shape_opts_t shape; /* where the header and the end of the table are:
                            the template's required fields, --header-row,
                            --last-row, --visible-only (src/input/shape.h) */
} vc_read_opts_t;

/* What was used, for `vncert data`'s report on standard error. */
typedef struct vc_read_info {
  char encoding[32];  /* "UTF-8", "UTF-8 (BOM)", "UTF-16LE (BOM)", "UTF-16BE",
                         "Windows-1258", "TCVN3", "xlsx", "ods" */
  char delimiter;     /* ',', ';', '\t', or 0 for workbooks */
  long skipped_lines; /* blank lines skipped */
  vc_shape_info_t shape; /* the header's line, rows passed over, hidden rows */
} vc_read_info_t;

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
