/*
 * list-private.h - a list document's state (issue 13), shared by list.c
 * (measuring every row, the pages, the job) and list-draw.c (drawing a
 * page).  The section itself: template/template-list.h.
 */
#ifndef VC_LIST_PRIVATE_H
#define VC_LIST_PRIVATE_H

#include "job/engine-private.h"
#include "job/job-private.h"
#include "template/template-list.h"

/* One list job's working state; coordinates in pt from the page's top. */
typedef struct vc_listjob {
  vc_job_ctx_t *c;
  const vc_template_t *t;
  const vc_list_t *l;
  vc_textlayout_t *tl;  /* per column: the current row's cells */
  vc_textlayout_t etl;  /* an element of every_page or end */
  vc_el_t *cell, *head; /* per column: a row's and the header's cell, at y 0 */
  double *row_h;        /* per chosen row: its height */
  long *first;          /* per page: its first chosen row; [npages] = n */
  long npages;
  double head_h, total_h;
  long row;             /* the table row the lookups read */
  bool proof;           /* drawing onto a proof's page (proof.c draws the rest) */
  const char *sum_as;   /* while the totals row is laid out: the sum */
  char stt[24], tong[24], so_dong[24], trang[24], so_trang[24];
} vc_listjob_t;

/* list.c: the lookup of the list's texts: its own placeholders, then the
 * data's (row x->row). */
const char *vc__list_lookup(void *ud, const char *name);
/* Lays out chosen row i's cells into x->tl; its height, or -1 after a
 * problem (reported when d is not NULL). */
double vc__list_layout_row(vc_listjob_t *x, long i, vc_diag_t *d);
/* Lays out the totals row into x->tl (the label in the first cell, the sum
 * in the total's column); its height. */
double vc__list_layout_total(vc_listjob_t *x);
/* Lays out a text element of every_page or end into x->etl; false after a
 * problem (reported when d is not NULL, at the template's line). */
bool vc__list_layout_el(vc_listjob_t *x, const vc_el_t *el, vc_diag_t *d);

/* list-draw.c: page p (0-based) of the list, as a new page of pdf. */
bool vc__list_draw_page(vc_listjob_t *x, vc_pdf_t *pdf, long p, vc_diag_t *d);

#endif
