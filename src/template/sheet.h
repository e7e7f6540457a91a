/*
 * sheet.h - sheets of labels (issue 13): the geometry of one sheet (paper,
 * label, the grid of cells), and the products read from gLabels' template
 * XML (glabels.c): Debian's glabels-data and vncert's own presets file.
 * A template with a `sheet:` section (template-sheet.c) holds one; the job
 * places records on its cells (job/sheet.c).
 *
 * Units: millimetres, origin at the paper's top-left corner, y down.
 */
#ifndef VC_SHEET_H
#define VC_SHEET_H

#include <stdbool.h>
#include <stddef.h>

#include "core/diag.h"

typedef enum { VC_SHEET_RECT = 0, VC_SHEET_ROUND, VC_SHEET_ELLIPSE } vc_sheet_shape_t;

/* One grid of identical cells (a gLabels <Layout>): nx columns, ny rows,
 * the first cell's top-left corner at (x0, y0), cells dx and dy apart. */
typedef struct vc_sheet_grid {
  int nx, ny;
  double x0, y0, dx, dy;
} vc_sheet_grid_t;

/* A sheet has at most this many grids (gLabels products have 1 or 2). */
#define VC_SHEET_MAX_GRIDS 4
/* Caps: at most 2,000 labels on one sheet; a label and a sheet's sides
 * from 1 to 5080 mm (the page's own limits). */
#define VC_SHEET_MAX_CELLS 2000

typedef struct vc_sheet {
  char *brand, *part;  /* a product's; NULL for a custom grid */
  char *description;   /* a product's, may be NULL */
  char *source;        /* the file it was read from, or NULL */
  double paper_w, paper_h;
  double label_w, label_h;
  vc_sheet_shape_t shape;
  double radius;       /* VC_SHEET_RECT: corner radius */
  vc_sheet_grid_t grids[VC_SHEET_MAX_GRIDS];
  int ngrids;
} vc_sheet_t;

/* Number of cells on one sheet. */
int vc_sheet_ncells(const vc_sheet_t *s);
/* Top-left corner (mm) of cell i (0-based), counting each grid in turn
 * across (row by row) or, with down, column by column.  false when i is not
 * a cell. */
bool vc_sheet_cell(const vc_sheet_t *s, int i, bool down, double *x, double *y);
/* Checks that every cell lies on the paper; false with a reason in why. */
bool vc_sheet_check(const vc_sheet_t *s, char *why, size_t whylen);
/* A deep copy (NULL on no memory); frees what a sheet owns. */
vc_sheet_t *vc_sheet_dup(const vc_sheet_t *s);
void vc_sheet_clear(vc_sheet_t *s);
void vc_sheet_free(vc_sheet_t *s);

/* ---- the products (glabels.c) ---- */

typedef struct vc_sheet_db vc_sheet_db_t;

vc_sheet_db_t *vc_sheet_db_create(void);
void vc_sheet_db_free(vc_sheet_db_t *db);
/* Adds the products of one gLabels template XML text.  Problems (not XML,
 * a product without sizes) go to d as warnings naming the file and line;
 * false only on no memory or when the text is not XML at all (then a
 * VC_E_INPUT item).  Products with an equiv= are resolved at the end
 * (vc_sheet_db_finish). */
bool vc_sheet_db_parse(vc_sheet_db_t *db, const char *buf, size_t len, const char *path,
                       vc_diag_t *d);
/* The same from a file, or every *.xml of a folder (paper-sizes.xml and
 * categories.xml are not products). */
bool vc_sheet_db_add_path(vc_sheet_db_t *db, const char *path, vc_diag_t *d);
/* The default places, in order: the user's own folder
 * ($XDG_CONFIG_HOME or ~/.config, vncert/sheets), vncert's presets
 * (VNCERT_DATADIR or the installed data, templates/sheets), gLabels'
 * database when installed.  Missing places are passed over. */
bool vc_sheet_db_add_defaults(vc_sheet_db_t *db, vc_diag_t *d);
/* Resolves equiv= products (same brand).  Call once after adding. */
void vc_sheet_db_finish(vc_sheet_db_t *db);
size_t vc_sheet_db_count(const vc_sheet_db_t *db);
const vc_sheet_t *vc_sheet_db_get(const vc_sheet_db_t *db, size_t i);
/* The product named "Brand Part" (or its part alone when only one brand
 * has it), ASCII case and spaces ignored; NULL when none. */
const vc_sheet_t *vc_sheet_db_find(const vc_sheet_db_t *db, const char *name);
/* Up to max products whose names are closest to name, best first; returns
 * how many were stored in out. */
size_t vc_sheet_db_suggest(const vc_sheet_db_t *db, const char *name, const vc_sheet_t **out,
                           size_t max);

/* A gLabels length ("99.1mm", "0.5in", "12pt", "2cm", "1pc", or a bare
 * number of points) in mm; false when it is not one. */
bool vc_sheet_length(const char *s, double *mm);

#endif
