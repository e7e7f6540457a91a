/*
 * template-list.h - a template's `list:` section (issue 13): a table
 * document instead of one page per record, as the engine reads it
 * (src/job/list.c).  Owned by the vc_template_t (its `list` field) and
 * freed with it.  Format: templates/README.md, "Lists".
 *
 * Units as in template-tree.h: mm from the page's top-left, sizes in pt.
 */
#ifndef VC_TEMPLATE_LIST_H
#define VC_TEMPLATE_LIST_H

#include "template/template-tree.h"

/* Placeholders a list's own texts may use besides the data's fields and
 * the template's values (vc_list_special). */
enum {
  VC_LIST_STT = 0, /* {stt}: the row's number, 1, 2, ... */
  VC_LIST_TONG,    /* {tong}: the sum of the total's field, digits */
  VC_LIST_SO_DONG, /* {so_dong}: how many rows */
  VC_LIST_TRANG,   /* {trang}: this page's number */
  VC_LIST_SO_TRANG /* {so_trang}: how many pages */
};

typedef struct vc_list_col {
  char *title;        /* the column header's text */
  double w;           /* mm */
  vc_halign_t align;
  vc_expr_t *value;   /* the cell's text per row */
  int line;           /* of the column in the template */
} vc_list_col_t;

typedef struct vc_list {
  int line;                 /* of `list:` */
  double x, top, top_next, bottom; /* mm: the table's left edge, its top on
                                    * the first and later pages, the lowest
                                    * its rows (and the end block) reach */
  size_t font, header_font; /* indexes into vc_template.fonts */
  double size, header_size; /* pt */
  double padding;           /* mm inside each cell */
  double row_height;        /* mm: the least a row takes (room to sign) */
  double line_spacing;      /* multiple of the size */
  bool has_header_fill;
  vc_color_t header_fill;
  double rule;              /* mm: the width of the table's lines */
  vc_list_col_t *cols;
  size_t ncols;
  /* total: NULL field: no totals row */
  char *total_field;        /* a declared amount field, e.g. so_tien */
  char *total_label;        /* "Tổng cộng" */
  size_t total_col;         /* the first column whose value uses the field */
  /* elements drawn on every page (absolute), and after the last row (y
   * from the end block's top: the totals words, the signatures) */
  vc_el_t *every;
  size_t nevery;
  vc_el_t *end;
  size_t nend;
  double end_h;             /* mm the end block needs below the table */
} vc_list_t;

/* The special placeholder of that name (VC_LIST_*), or -1. */
int vc_list_special(const char *name);

/* template-list.c: frees the section (safe with NULL). */
void vc_list_free(vc_list_t *l);

#endif
