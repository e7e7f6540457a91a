/*
 * engine.h - the engine's calls that are not public (the public ones are
 * in vncert.h): a record's page laid out and drawn into a vc_pdf_t the
 * caller holds, for the jobs (job.c, split.c, proof.c) and the tests.
 *
 * Threads: after vc_engine_create and vc_data_load, an engine and a data set
 * are read-only; several threads may lay out and draw different records at
 * once, each with its own vc_pagelayout_t and vc_pdf_t.
 */
#ifndef VC_ENGINE_H
#define VC_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "core/diag.h"
#include "records/table.h"
#include "render/pdf.h"
#include "vncert.h"

typedef struct vc_pagelayout vc_pagelayout_t;

/* The table behind the data (for selections); owned by the data. */
const vc_table_t *vc_data_table(const vc_data_t *data);

/* Per-thread working memory for laying out one page; NULL on no memory
 * (with a diag when d is not NULL). */
vc_pagelayout_t *vc_pagelayout_create(const vc_engine_t *e, vc_diag_t *d);
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
