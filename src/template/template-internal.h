/*
 * template-internal.h - private to src/template: shared by the files of the
 * template loader only (template.c, template-yaml.c, template-values.c,
 * template-elements.c, expr.c), named vc__*.  Not for other folders: they
 * read template-tree.h.
 *
 * The loader first turns the YAML text into a small tree of vc_tnode_t (so
 * sections can be read in any order and every node keeps its line:col), then
 * walks that tree section by section, reporting every problem it finds.
 */
#ifndef VC_TEMPLATE_INTERNAL_H
#define VC_TEMPLATE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "template/template-tree.h"

/* Caps beyond the public ones: the schema is at most 4 levels deep, so a
 * deeper file is a mistake or an attack; the node cap bounds memory. */
#define VC_TN_MAX_DEPTH 24
#define VC_TN_MAX_NODES 200000

typedef enum { VC_TN_SCALAR = 0, VC_TN_SEQ, VC_TN_MAP } vc_tn_kind_t;

/* Scalar styles, as written (only the ones the loader cares about). */
enum { VC_TN_PLAIN = 0, VC_TN_QUOTED, VC_TN_BLOCK };

typedef struct vc_tnode {
  vc_tn_kind_t kind;
  int line, col;           /* 1-based position where the node starts */
  int end_line;            /* 1-based line where it ends */
  int style;               /* VC_TN_PLAIN / QUOTED / BLOCK (scalars) */
  bool null;               /* plain empty, "~" or "null" (or a refused alias) */
  char *str;               /* scalar text, NFC, NUL-terminated ("" if null) */
  size_t len;
  struct vc_tnode **kids;  /* SEQ: items; MAP: key0, value0, key1, value1... */
  size_t nkids, cap;
} vc_tnode_t;

/* State of one load. */
typedef struct vc_tctx {
  const char *path;        /* for messages */
  vc_diag_t *d;
  size_t nerr;             /* problems this load recorded */
  vc_template_t *t;        /* the tree being filled */
  bool page_unsure;        /* page: had a problem: skip on-page checks */
  const char *buf;         /* the file text */
  size_t len;
  size_t *line_starts;     /* byte offset of each line, built on demand */
  size_t nlines;
} vc_tctx_t;

/* ---- template-yaml.c ---- */

/* Parses c->buf into a node tree (caller frees with vc__tnode_free).  Returns
 * NULL after reporting when the text is not UTF-8, not YAML, empty, or beyond
 * a cap; refused constructs (anchors, aliases, tags) are reported but the
 * tree is still returned so that later sections get checked too. */
vc_tnode_t *vc__tnode_parse(vc_tctx_t *c);
void vc__tnode_free(vc_tnode_t *n);

/* Records a problem at n (or at line 0 when n is NULL) and counts it. */
void vc__tctx_err(vc_tctx_t *c, const vc_tnode_t *n, vc_status_t st,
                 const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Same at an explicit position. */
void vc__tctx_err_at(vc_tctx_t *c, int line, int col, vc_status_t st,
                    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Records "out of memory" (once is enough to fail the load). */
void vc__tctx_nomem(vc_tctx_t *c);

/* Where the text of scalar n starts (after an opening quote; for a block
 * scalar, the first content line and its indentation). */
void vc__tnode_text_pos(vc_tctx_t *c, const vc_tnode_t *n, int *line, int *col);

/* The candidate closest to word (edit distance, case-insensitive) when it is
 * close enough to be a likely typo, else NULL.  Used for keys, filters,
 * colours and font names. */
const char *vc__tmpl_suggest(const char *word, const char *const *cands,
                            size_t n);
/* " (did you mean 'SUG'?)" in the user's language, written into buf (n
 * bytes) and returned; "" when sug is NULL. */
const char *vc__tmpl_did_you_mean(const char *sug, char *buf, size_t n);

/* ---- template-values.c: reading typed values from nodes ---- */

/* Checks a mapping's keys against known (NULL-terminated): reports keys that
 * are not scalars, unknown keys (with the closest known one) and duplicates.
 * `where` names the mapping in messages ("the page section").  Returns false
 * if n is not a mapping (reported). */
bool vc__tn_check_keys(vc_tctx_t *c, const vc_tnode_t *n,
                      const char *const *known, const char *where);
/* Value of key in mapping n (first occurrence), NULL when absent. */
const vc_tnode_t *vc__tn_get(const vc_tnode_t *n, const char *key);

/* Each reader reports its own problem (naming `key`) and returns false. */
bool vc__tn_string(vc_tctx_t *c, const vc_tnode_t *n, const char *key,
                  const char **out);
bool vc__tn_number(vc_tctx_t *c, const vc_tnode_t *n, const char *key,
                  double *out);
bool vc__tn_int(vc_tctx_t *c, const vc_tnode_t *n, const char *key, int *out);
bool vc__tn_bool(vc_tctx_t *c, const vc_tnode_t *n, const char *key, bool *out);
/* A sequence of exactly count numbers ([x, y, w, h]). */
bool vc__tn_numbers(vc_tctx_t *c, const vc_tnode_t *n, const char *key,
                   double *out, size_t count);
/* A colour "#rrggbb", "#rgb" or a name; "none" allowed when none != NULL
 * (then *none is set). */
bool vc__tn_color(vc_tctx_t *c, const vc_tnode_t *n, const char *key,
                 vc_color_t *out, bool *none);
/* One of choices (NULL-terminated); *out is its index. */
bool vc__tn_enum(vc_tctx_t *c, const vc_tnode_t *n, const char *key,
                const char *const *choices, int *out);

/* Resolves a file named in the template against its directory, checks it is
 * a readable regular file and, when images is true, that its extension is
 * .png/.jpg/.jpeg.  Returns the absolute path (caller frees) or NULL after
 * reporting at n. */
char *vc__tmpl_resolve_file(vc_tctx_t *c, const vc_tnode_t *n, const char *key,
                           const char *rel, bool images);

/* Locale-independent decimal ("12", "-0.5", "1.25"): no exponents, no
 * thousands separators.  Returns false when s is not such a number. */
bool vc__tmpl_parse_decimal(const char *s, double *out);

/* Numbers in messages: vc_text_fmt_num (core/text.h). */

/* ---- template-elements.c ---- */

/* Reads the elements sequence into c->t->els (page and fonts already read). */
void vc__tmpl_read_elements(vc_tctx_t *c, const vc_tnode_t *seq);
/* ---- template-elements.c: the qr: element ---- */

/* The printed size of a QR code, quiet zone included (docs/limits.md). */
#define VC_QR_MIN_MM 20
#define VC_QR_MAX_MM 200
/* Reads a qr: element's url:, key: and the values it signs (defaults from
 * the template's fields) into el. */
void vc__tmpl_read_qr(vc_tctx_t *c, vc_el_t *el, const vc_tnode_t *m, const char *desc);

/* ---- template-sheet.c: the sheet: section (labels, issue 13) ---- */

/* Reads a sheet: section (n may be NULL: none) into c->t->sheet; a product
 * sets the paper (then page, the page: section, must be NULL). */
void vc__tmpl_read_sheet(vc_tctx_t *c, const vc_tnode_t *n, const vc_tnode_t *page);

/* Frees what one element owns (not the element itself). */
void vc__tmpl_el_clear(vc_el_t *el);

/* ---- template-list.c: the list: section (issue 13) ---- */
/* Reads it into c->t->list (fonts, fields and page already read). */
void vc__tmpl_read_list(vc_tctx_t *c, const vc_tnode_t *m);

#endif
