/*
 * engine-private.h - bodies of the engine's types, shared by engine.c
 * (template, fonts, data) and page.c (laying out and drawing a record).
 */
#ifndef VC_ENGINE_PRIVATE_H
#define VC_ENGINE_PRIVATE_H

#include "font/fontset.h"
#include "job/engine.h"
#include "layout/layout.h"
#include "records/fields.h"
#include "records/table.h"
#include "template/template-tree.h"
#include "verify/verify.h"

struct vc_engine {
  vc_template_t *tpl;
  vc_fontset_t *fs;
  const vc_font_t **fonts;   /* per template font */
  vc_textlayout_t *static_tl; /* per element; used where is_static */
  bool *is_static;
  vc_signer_t **signers;      /* per element: a qr:'s private key, else NULL */
  vc_calibration_t calib;     /* the printer's (issue 13), when calibrated */
  bool calibrated;
};

/* Where a placeholder's value comes from, decided once per data set. */
typedef struct vc_resolved {
  const char *name;  /* the template's own string: compared by pointer */
  int col;           /* table column, or -1 */
  const char *dflt;  /* field default, or NULL */
  const char *value; /* template value, or NULL */
  bool declared;     /* a declared field (empty when no column) */
  int ledger;        /* VC__LEDGER_SERIAL / _MARK: the ledger gives it, or 0 */
} vc_resolved_t;

/* {serial} and {reprint_mark}: given by the ledger (job/issue.c) when the
 * data and the template have nothing of that name. */
enum { VC__LEDGER_SERIAL = 1, VC__LEDGER_MARK = 2 };

struct vc_data {
  const vc_engine_t *e;
  vc_table_t *table;
  vc_binding_t *bind;
  bool *bad;          /* per row: a problem was reported for it */
  bool unusable;      /* a problem that concerns every row */
  vc_resolved_t *res;
  size_t nres, res_cap;
  int *el_col;        /* per element: 1-based column of its first field, 0 */
  char *dir;          /* the data file's directory (per-record photos) */
  /* Folders per-record images may come from, resolved (realpath): the data
   * file's and --images; NULL when not set or not resolvable. */
  char *img_dirs[2];
  vc_read_info_t info; /* what reading found (the header's line, rows passed over) */
  /* The ledger's values (job/issue.c sets them before drawing): per table
   * row its serial (NULL rows: none), and the reprint mark; "" without. */
  const char *const *serials;
  const char *reprint_mark;
  /* While the serials are still being reserved (job/issue.c, on another
   * thread): waits until row's serial is known or the reservation ended,
   * and returns it (NULL: none).  NULL when the serials are all known. */
  const char *(*serial_wait)(void *ud, long row);
  void *serial_ud;
  /* vc_data_search_prepare's index (search.c), or NULL */
  struct vc_search_index *search;
};
typedef struct vc_search_index vc_search_index_t;
/* search.c: frees an index of a list of nrows rows; safe with NULL. */
void vc__search_index_free(vc_search_index_t *ix, long nrows);

/* A record's values as a page is laid out: the data's, except {serial}
 * and {reprint_mark} when serial / mark are set (a desk draws one
 * document with its own serial and mark per call, while other threads
 * draw other records of the same data: they cannot go through
 * data->serials). */
typedef struct vc_lookup_ud {
  const vc_data_t *data;
  long row;
  const char *serial, *mark; /* NULL: the data's */
} vc_lookup_ud_t;
/* Resolves the placeholders of x (element i's, or SIZE_MAX for none):
 * each name once; an unknown one is reported at its place in the template.
 * 1, 0 after reporting one, -1 on no memory. */
int vc__data_resolve_expr(vc_data_t *data, size_t i, const vc_expr_t *x, vc_diag_t *d);
/* list.c (issue 13): the same for a list's columns and blocks, its own
 * placeholders ({stt}, {tong}, ...) aside. */
int vc__list_resolve(vc_data_t *data, vc_diag_t *d);

/* vc_lookup_fn over a vc_lookup_ud_t. */
const char *vc__data_lookup(void *ud, const char *name);
/* False when a problem concerns every row (missing column, unknown
 * placeholder): nothing can be rendered. */
bool vc__data_usable(const vc_data_t *data);
/* Checks the chosen rows' values (required, amounts, dates); problems of
 * other rows are not reported.  false only on no memory. */
bool vc__data_check_rows(vc_data_t *data, const long *rows, long n, vc_diag_t *d);

struct vc_pagelayout {
  const vc_engine_t *e;
  const vc_data_t *data;
  long row;
  vc_textlayout_t *tl; /* per element, for text that changes per record */
  char **img;          /* per element, the image file for this record */
  vc_verify_values_t **qr_vals; /* per qr: element, this record's values to sign */
  bool *qr_small_said; /* per element: "module too small" said once per job, not per page */
  const char *serial, *mark; /* this page's {serial} / {reprint_mark}; NULL: the data's */
};

/* page.c: a qr: element of one record, its values checked into pl (the
 * number of problems reported, with the data's line); signed, encoded and
 * drawn. */
int vc__page_layout_qr(vc_pagelayout_t *pl, const vc_data_t *data, long row, size_t i,
                       vc_diag_t *d);
bool vc__page_draw_qr(const vc_pagelayout_t *pl, size_t i, double ph, vc_pdf_t *pdf,
                      vc_diag_t *d);
/* page.c: the printer's calibration applied to the page just started (its
 * height h_pt); true without one. */
bool vc__page_calibrate(const vc_engine_t *e, vc_pdf_t *pdf, double h_pt);
/* engine.c: loads the private key of every qr: element of e. */
bool vc__engine_load_signers(vc_engine_t *e, vc_diag_t *d);

#endif
