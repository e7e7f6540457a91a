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
#include "ledger/ledger.h"
#include "records/table.h"
#include "render/pdf.h"
#include "vncert.h"

typedef struct vc_pagelayout vc_pagelayout_t;

/* The table behind the data (for selections); owned by the data. */
const vc_table_t *vc_data_table(const vc_data_t *data);
/* False when a problem concerns every record (a missing column, an
 * unknown placeholder): nothing can be drawn from the data. */
bool vc_data_usable(const vc_data_t *data);

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

/* vc_record_render with the ledger's values of one document: {serial}
 * and {reprint_mark} are serial and mark (NULL: the data's, as
 * vc_record_render), for this call only, so that threads drawing other
 * records of the same data are not affected (the print desk). */
vc_status_t vc_record_render_issued(const vc_engine_t *e, const vc_data_t *data, long row,
                                    const char *serial, const char *mark, unsigned char **pdf,
                                    size_t *len, vc_diag_t *d);

/* The reprint mark of a document's nth reprint ("Bản in lại lần N") into
 * buf (n bytes); returns buf.  What `vncert reprint` and the desk print. */
char *vc_reprint_mark_format(long nth, char *buf, size_t n);

/* A serial standing for the one a document will be issued (before the
 * ledger gives it, in proofs and previews): the first of this year's count
 * as e's serial: pattern prints it, into buf (n bytes).  false when the
 * template has no pattern. */
bool vc_engine_sample_serial(const vc_engine_t *e, char *buf, size_t n);

/* The ledger r records in (owned by r), for a caller that also issues
 * documents in it (the desk: one ledger handle). */
vc_ledger_t *vc_print_record_ledger(vc_print_record_t *r);

/* The values the page prints from the list for row, as the ledger records
 * them: a new array (caller frees; strings owned by data) in *out, its
 * length in *n. */
vc_status_t vc_record_fields(const vc_data_t *data, long row, vc_ledger_field_t **out,
                             size_t *n, vc_diag_t *d);

/* What changed in a document since it was issued (its stored values and
 * template hash against f[0..n) and thash): one diag per field ("old →
 * new"), warnings with force, errors (and a closing one saying how to
 * reprint anyway) without.  The number of changes. */
long vc_reprint_diff(const vc_ledger_doc_t *doc, const vc_ledger_field_t *f, size_t n,
                     const char *thash, bool force, const char *data_name, vc_diag_t *d);

#endif
