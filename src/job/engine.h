/*
 * engine.h - the library's front door: a loaded template with its fonts
 * resolved, bound to a recipient list, laying out and drawing one record's
 * page.  The CLI and (later) the kiosk are clients of this API.
 *
 * Threads: after vc_engine_create and vc_data_load, an engine and a data set
 * are read-only; several threads may lay out and draw different records at
 * once, each with its own vc_pagelayout_t and vc_pdf_t.
 */
#ifndef VC_ENGINE_H
#define VC_ENGINE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/diag.h"
#include "input/reader.h"
#include "records/table.h"
#include "render/pdf.h"

typedef struct vc_engine vc_engine_t;
typedef struct vc_data vc_data_t;
typedef struct vc_pagelayout vc_pagelayout_t;

/* Loads the template and every font it names.  fonts_dir is the bundled
 * fonts directory (NULL: none).  NULL with diags on any problem. */
vc_engine_t *vc_engine_create(const char *template_path, const char *fonts_dir,
                              vc_diag_t *d);
void vc_engine_free(vc_engine_t *e);
double vc_engine_page_w_pt(const vc_engine_t *e);
double vc_engine_page_h_pt(const vc_engine_t *e);
const char *vc_engine_title(const vc_engine_t *e);

/* Reads a recipient list and binds it to the engine's fields; every
 * problem found (reading, binding, row checks) goes to d.  Returns the data
 * even when rows have problems (vc_data_row_ok tells which), NULL when the
 * file cannot be used at all. */
vc_data_t *vc_data_load(vc_engine_t *e, const char *path,
                        const vc_read_opts_t *ro, vc_diag_t *d);
/* What reading the list found: its encoding, the header's line, the rows
 * passed over above and below the table, hidden rows (input/shape.h).
 * Owned by data; all zero for the sample. */
const vc_read_info_t *vc_data_read_info(const vc_data_t *data);
/* Lets per-record images ({anh}: a path from the data) come from folder
 * `extra` too, besides the data file's own folder (and its subfolders).
 * A path from the data may never be absolute or lead out of these folders
 * (through "..", or a link).  false + diag (VC_E_USAGE) when extra is not
 * a folder; VC_E_NOMEM. */
bool vc_data_set_images_dir(vc_data_t *data, const char *extra, vc_diag_t *d);
/* The template's sample record (for proofs); never fails but on no memory. */
vc_data_t *vc_data_sample(vc_engine_t *e);
void vc_data_free(vc_data_t *data);
long vc_data_count(const vc_data_t *data);
int vc_data_row_line(const vc_data_t *data, long row);
bool vc_data_row_ok(const vc_data_t *data, long row);
const char *vc_data_name(const vc_data_t *data);
/* The table behind the data (for selections); owned by the data. */
const vc_table_t *vc_data_table(const vc_data_t *data);
/* Column bound to a template field or header name, -1 when none. */
int vc_data_col(const vc_data_t *data, const char *name);
/* Value of a placeholder name for a row (fields, then columns, then template
 * values), NULL when unknown. */
const char *vc_data_value(const vc_data_t *data, long row, const char *name);
/* Expands a {placeholder} pattern for a row (file names for --split).
 * Returns a new string or NULL with a diag. */
char *vc_data_expand(const vc_data_t *data, long row, const char *pattern,
                     vc_diag_t *d);

/* Per-thread working memory for laying out one page. */
vc_pagelayout_t *vc_pagelayout_create(const vc_engine_t *e);
void vc_pagelayout_free(vc_pagelayout_t *pl);

/* Lays out every element for `row`.  Each problem (unknown placeholder,
 * bad amount, character no font can draw, text that does not fit even at
 * its minimum size) is added to d with the data file, the record's line and
 * the column.  Returns the number of problems (0 = ready to draw). */
int vc_page_layout(vc_pagelayout_t *pl, const vc_data_t *data, long row,
                   vc_diag_t *d);
/* Draws the laid-out page as a new page of pdf.  false + diag on failure. */
bool vc_page_draw(const vc_pagelayout_t *pl, vc_pdf_t *pdf, vc_diag_t *d);
/* Same, onto the current page (proofs draw a grid under it first). */
bool vc_page_draw_content(const vc_pagelayout_t *pl, vc_pdf_t *pdf, vc_diag_t *d);

/* Writes one tab-separated line per drawn text line of the last layout:
 * page, element line, text box x0 y0 x1 y1, ink x0 y0 x1 y1 (pt, top-left
 * origin), text.  For tests comparing with pdftotext -bbox. */
void vc_page_dump(const vc_pagelayout_t *pl, long page, FILE *fp);

#endif
