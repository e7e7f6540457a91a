/*
 * template-tree.h - the element tree of a loaded template, as the layout and
 * the engine read it (src/layout, src/job): not private to src/template.
 * Everything here is owned by the vc_template_t and freed with it.
 *
 * Units: lengths in millimetres, origin at the page's top-left corner, y
 * growing downwards (as a clerk measures on paper); font sizes in points.
 */
#ifndef VC_TEMPLATE_TREE_H
#define VC_TEMPLATE_TREE_H

#include <stdbool.h>
#include <stddef.h>

#include "records/fields.h"
#include "template/template.h"

typedef struct vc_color { double r, g, b; } vc_color_t; /* 0..1 */

typedef enum { VC_ALIGN_LEFT = 0, VC_ALIGN_CENTER, VC_ALIGN_RIGHT } vc_halign_t;
typedef enum { VC_VALIGN_TOP = 0, VC_VALIGN_MIDDLE, VC_VALIGN_BOTTOM } vc_valign_t;

/* ---- placeholders: "Lớp: {lop|upper}" compiles to segments ---- */

typedef enum {
  VC_FILTER_UPPER = 0,  /* vc_text_upper */
  VC_FILTER_LOWER,
  VC_FILTER_TITLE,
  VC_FILTER_CAPFIRST,
  VC_FILTER_VND,        /* amount -> "5.000.000 đ" */
  VC_FILTER_NUMBER,     /* amount -> "5.000.000" */
  VC_FILTER_WORDS,      /* amount -> "năm triệu" */
  VC_FILTER_WORDS_DONG, /* amount -> "Năm triệu đồng chẵn" */
  VC_FILTER_DATE,       /* date -> "ngày 05 tháng 01 năm 2025" */
  VC_FILTER_DATE_SHORT, /* date -> "05/01/2025" */
  VC_FILTER_DEFAULT     /* arg used when the value is empty */
} vc_filter_kind_t;

typedef struct vc_filter {
  vc_filter_kind_t kind;
  char *arg; /* VC_FILTER_DEFAULT's value, else NULL */
} vc_filter_t;

typedef struct vc_seg {
  char *lit;            /* literal text, or NULL for a placeholder */
  char *name;           /* placeholder name as written (NFC) */
  vc_filter_t *filters; /* applied left to right */
  size_t nfilters;
  int line, col;        /* where the placeholder stands in the template */
} vc_seg_t;

typedef struct vc_expr {
  vc_seg_t *segs;
  size_t nsegs;
  int line, col;        /* where the text starts in the template */
  size_t lit_bytes;     /* length of its literal text, placeholders aside */
} vc_expr_t;

/* Value lookup for evaluation: returns the cleaned value of `name` for the
 * current record, or NULL when no such field exists (""  = empty value). */
typedef const char *(*vc_lookup_fn)(void *ud, const char *name);

/* Evaluates e.  Returns a new NFC string (caller frees), or NULL when a
 * placeholder is unknown or a filter cannot apply (amount/date that does not
 * parse), or the result would be longer than VC_TEXT_MAX_BYTES; then err
 * holds a one-line reason naming the placeholder. */
char *vc_expr_eval(const vc_expr_t *e, vc_lookup_fn get, void *ud, char *err,
                   size_t errlen);
/* Same for one text of a page: the result may also not be longer than the
 * *page_left bytes the page still has (NULL page_left: no page cap), and on
 * success *page_left is reduced by its length.  Expansion stops as soon as
 * a cap would be passed; err then names the template line and the
 * placeholder being filled in, whose name is stored in *over (may be NULL;
 * set to NULL for other failures or when the template's own text is the
 * cause). */
char *vc_expr_eval_page(const vc_expr_t *e, vc_lookup_fn get, void *ud,
                        size_t *page_left, const char **over, char *err,
                        size_t errlen);
/* Parses a string with {placeholders}; "{{" and "}}" are literal braces.
 * line/col locate the string in the template for messages.  NULL + diag on
 * syntax error or unknown filter. */
vc_expr_t *vc_expr_parse(const char *s, const char *file, int line, int col,
                         vc_diag_t *d);
void vc_expr_free(vc_expr_t *e);
/* True when e has no placeholder (its text never changes). */
bool vc_expr_is_static(const vc_expr_t *e);

/* ---- fonts named in the template ---- */

typedef struct vc_tfont {
  char *name;   /* the template's own name for it, e.g. "serif-bold" */
  char *family; /* fontconfig family, or NULL when file is set */
  char *style;  /* fontconfig style ("Bold", "Italic"...), or NULL */
  char *file;   /* absolute path to a font file, or NULL */
  int line;
} vc_tfont_t;

/* ---- elements, drawn in file order ---- */

typedef enum {
  VC_EL_TEXT = 0, VC_EL_RECT, VC_EL_LINE, VC_EL_ELLIPSE, VC_EL_IMAGE,
  VC_EL_QR /* issue 11: the signed verification QR code (docs/verify.md) */
} vc_el_kind_t;

/* The values a QR code signs, in vc_el_t.qr_val (docs/verify.md section 2). */
enum { VC_QR_SERIAL = 0, VC_QR_NAME, VC_QR_AWARD, VC_QR_AMOUNT, VC_QR_DATE, VC_QR_NVALS };

typedef struct vc_el {
  vc_el_kind_t kind;
  int line;               /* line of the element in the template */
  double x, y, w, h;      /* box; for LINE: (x,y) start and (x+w, y+h) end */

  /* shapes (RECT, LINE, ELLIPSE) */
  bool has_stroke, has_fill;
  vc_color_t stroke, fill;
  double stroke_width;    /* mm */
  double radius;          /* RECT corner radius, mm */
  double dash;            /* dash length in mm, 0 = solid */

  /* TEXT */
  vc_expr_t *text;
  size_t font;            /* index into vc_template.fonts */
  double size, min_size;  /* pt; min_size == size means no shrinking */
  int max_lines;          /* >= 1 */
  double line_spacing;    /* multiple of the size, e.g. 1.2 */
  vc_halign_t align;
  vc_valign_t valign;
  vc_color_t color;
  bool fallback;          /* may draw missing characters with another font */

  /* IMAGE: a file (static path, resolved) or a per-record path expression */
  vc_expr_t *src;
  bool contain;           /* keep aspect ratio inside the box (default) */

  /* QR: a square of w = h mm, quiet zone included */
  char *qr_url;           /* the school's verification page (printable ASCII) */
  char *qr_key;           /* the private key file, absolute; NULL: the DEMO key */
  vc_expr_t *qr_val[VC_QR_NVALS]; /* NULL: empty (the date: the day of the run) */
} vc_el_t;

typedef struct vc_kv { char *key, *value; } vc_kv_t;

struct vc_template {
  char *path;        /* as given */
  char *dir;         /* its directory, for relative paths */
  char *title;       /* document title (PDF metadata), may be NULL */
  char *serial;      /* the ledger's serial pattern (`serial:`), or NULL */
  double page_w, page_h; /* mm, orientation applied */

  vc_tfont_t *fonts;
  size_t nfonts;

  vc_field_spec_t *fields;
  size_t nfields;

  vc_kv_t *values;   /* template-wide constants: {truong}, {noi_ky} ... */
  size_t nvalues;
  vc_kv_t *sample;   /* sample record for `vncert proof` */
  size_t nsample;

  char *background;  /* absolute path of a PNG/JPEG covering the page, or NULL */
  char *form;        /* the pre-printed blank's scan (PNG/JPEG), absolute, or
                      * NULL: under a proof only, never printed (the paper has it) */

  vc_el_t *els;
  size_t nels;
  size_t static_text_bytes; /* the texts without placeholders, together */

  /* issue 13: a table document, one row per record (template-list.h), or
   * NULL: one page per record */
  struct vc_list *list;
  /* issue 13: a sheet of labels (template/sheet.h), or NULL.  page_w/h are
   * then the sheet's paper, and the elements are one label's. */
  struct vc_sheet *sheet;
};

/* The area the elements are drawn in (mm): a label's for a sheet, else the
 * page. */
void vc_template_area(const vc_template_t *t, double *w, double *h);

#endif
