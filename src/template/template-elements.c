/*
 * template-elements.c - the `elements:` list: text boxes, rectangles, lines,
 * ellipses, images and signed QR codes, with their defaults and the checks a
 * clerk needs (on the page, sizes that make sense, fonts that exist, filters
 * that exist).
 */
#include "template/template-internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/text.h"

/* In vc_el_kind_t order. */
static const char *const kind_names[] = {"text", "rect", "line", "ellipse",
                                         "image", "qr", NULL};
static const char *const text_keys[] = {
    "text",      "box",          "font",  "size",   "min_size", "max_lines",
    "line_spacing", "align",     "valign", "color", "fallback", NULL};
static const char *const rect_keys[] = {"rect", "stroke", "width", "radius",
                                        "fill", "dash",   NULL};
static const char *const line_keys[] = {"line", "stroke", "width", "dash", NULL};
static const char *const ellipse_keys[] = {"ellipse", "stroke", "width",
                                           "fill",    "dash",   NULL};
static const char *const image_keys[] = {"image", "box", "fit", NULL};
static const char *const qr_keys[] = {"qr",   "url",    "key",  "serial", "name",
                                      "award", "amount", "date", NULL};
static const char *const *const kind_keys[] = {text_keys,    rect_keys,  line_keys,
                                               ellipse_keys, image_keys, qr_keys};
#define NKINDS 6

/* Sizes beyond these are typing mistakes, not designs. */
#define MAX_FONT_PT 500.0
/* Below this, print cannot be read: text never shrinks further
 * (docs/limits.md). */
#define MIN_FONT_PT 4.0
#define MAX_STROKE_MM 50.0
#define MAX_DASH_MM 100.0
#define EDGE_EPS 0.01 /* mm of tolerance for boxes touching the page edge */

static const char *const *keys_of(int kind) {
  return kind_keys[kind];
}

/* "an image", "an ellipse", else "a text": each message is written out
 * whole with its article (other languages need no article). */
static bool takes_an(int kind) {
  return kind == VC_EL_IMAGE || kind == VC_EL_ELLIPSE;
}

static bool in_list(const char *const *l, const char *s) {
  for (; *l; l++)
    if (!strcmp(*l, s)) return true;
  return false;
}

/* "element 3 (text "CỘNG HÒA XÃ HỘI...")" for messages. */
static void describe(char *out, size_t outlen, size_t idx, int kind,
                     const vc_tnode_t *v) {
  if (v->kind != VC_TN_SCALAR || v->null) {
    snprintf(out, outlen, _("element %zu (%s)"), idx, kind_names[kind]);
    return;
  }
  char cut[128];
  snprintf(out, outlen, _("element %zu (%s \"%s\")"), idx, kind_names[kind],
           vc_text_cut(v->str, SIZE_MAX, 30, "...", cut, sizeof cut));
}

/* Reports a box that is not (entirely) on the page. */
static void check_on_page(vc_tctx_t *c, const vc_tnode_t *n, const char *desc,
                          const double *b, bool is_line) {
  const vc_template_t *t = c->t;
  if (c->page_unsure) return;
  char a1[32], a2[32], pw[32], ph[32];
  vc_text_fmt_num(t->page_w, pw, sizeof pw);
  vc_text_fmt_num(t->page_h, ph, sizeof ph);
  double x2 = is_line ? b[2] : b[0] + b[2], y2 = is_line ? b[3] : b[1] + b[3];
  const char *what = NULL;
  double got = 0;
  if (b[0] < -EDGE_EPS || (is_line && b[2] < -EDGE_EPS))
    what = N_("left edge"), got = b[0] < b[2] || !is_line ? b[0] : b[2];
  else if (b[1] < -EDGE_EPS || (is_line && b[3] < -EDGE_EPS))
    what = N_("top edge"), got = b[1] < b[3] || !is_line ? b[1] : b[3];
  else if (x2 > t->page_w + EDGE_EPS || (is_line && b[0] > t->page_w + EDGE_EPS))
    what = N_("right edge"), got = x2 > b[0] || !is_line ? x2 : b[0];
  else if (y2 > t->page_h + EDGE_EPS || (is_line && b[1] > t->page_h + EDGE_EPS))
    what = N_("bottom edge"), got = y2 > b[1] || !is_line ? y2 : b[1];
  if (!what) return;
  vc_text_fmt_num(got, a1, sizeof a1);
  vc_text_fmt_num(what[0] == 'l' || what[0] == 'r' ? t->page_w : t->page_h, a2,
                  sizeof a2);
  vc__tctx_err(c, n, VC_E_INPUT,
              t->sheet ? N_("%s goes past the label's %s (reaches %s mm; the label is %s x %s mm)")
                       : N_("%s goes past the page's %s (reaches %s mm; the page is %s x %s mm)"),
              desc, _(what), a1, pw, ph);
}

/* Reads [x, y, w, h] (or [x1, y1, x2, y2] for a line) and checks it. */
static bool read_box(vc_tctx_t *c, const vc_tnode_t *n, const char *key,
                     const char *desc, bool is_line, double *b) {
  if (!vc__tn_numbers(c, n, key, b, 4)) return false;
  char w[32], h[32];
  if (is_line) {
    if (b[0] == b[2] && b[1] == b[3]) {
      vc__tctx_err(c, n, VC_E_INPUT, "%s: the line has no length (both ends "
                  "are the same point)", desc);
      return false;
    }
  } else if (b[2] <= 0 || b[3] <= 0) {
    vc__tctx_err(c, n, VC_E_INPUT,
                "%s: width and height must be greater than 0 (got %s x %s mm)",
                desc, vc_text_fmt_num(b[2], w, sizeof w),
                vc_text_fmt_num(b[3], h, sizeof h));
    return false;
  }
  check_on_page(c, n, desc, b, is_line);
  return true;
}

/* The box: of a text or an image element, which must have one. */
static void el_box(vc_tctx_t *c, const vc_tnode_t *m, const char *desc, vc_el_t *el) {
  const vc_tnode_t *n = vc__tn_get(m, "box");
  double b[4];
  if (!n)
    vc__tctx_err(c, m, VC_E_INPUT, "%s: needs box: [x, y, width, height] in mm", desc);
  else if (read_box(c, n, "box", desc, false, b))
    el->x = b[0], el->y = b[1], el->w = b[2], el->h = b[3];
}

/* A number within [lo, hi] (lo excluded when lo_open). */
static bool read_range(vc_tctx_t *c, const vc_tnode_t *n, const char *key,
                       double lo, bool lo_open, double hi, const char *unit,
                       double *out) {
  double v;
  if (!vc__tn_number(c, n, key, &v)) return false;
  if ((lo_open ? v <= lo : v < lo) || v > hi) {
    char a[32], b[32], g[32];
    vc__tctx_err(c, n, VC_E_INPUT,
                 lo_open ? N_("%s: must be greater than %s and at most %s%s (got %s)")
                         : N_("%s: must be at least %s and at most %s%s (got %s)"),
                key, vc_text_fmt_num(lo, a, sizeof a), vc_text_fmt_num(hi, b, sizeof b),
                unit, vc_text_fmt_num(v, g, sizeof g));
    return false;
  }
  *out = v;
  return true;
}

/* A text or image value written {like this} unquoted is a YAML mapping. */
static bool quoted_hint(vc_tctx_t *c, const vc_tnode_t *v, const char *key) {
  if (v->kind == VC_TN_SCALAR) return false;
  if (v->kind == VC_TN_MAP)
    vc__tctx_err(c, v, VC_E_INPUT,
                "%s: text starting with { must be put in quotes, like %s: "
                "\"{ho_ten}\"", key, key);
  else
    vc__tctx_err(c, v, VC_E_INPUT,
                "%s: text starting with [ must be put in quotes", key);
  return true;
}

static vc_expr_t *compile(vc_tctx_t *c, const vc_tnode_t *v) {
  int line, col;
  vc__tnode_text_pos(c, v, &line, &col);
  vc_expr_t *e = vc_expr_parse(v->str, c->path, line, col, c->d);
  if (!e) c->nerr++; /* reported by vc_expr_parse */
  return e;
}

static void read_text(vc_tctx_t *c, vc_el_t *el, const vc_tnode_t *m,
                      const char *desc) {
  static const char *const aligns[] = {"left", "center", "right", NULL};
  static const char *const valigns[] = {"top", "middle", "bottom", NULL};
  const vc_template_t *t = c->t;
  const vc_tnode_t *v = vc__tn_get(m, "text"), *n;
  const char *s;
  if (!quoted_hint(c, v, "text") && vc__tn_string(c, v, "text", &s) &&
      (el->text = compile(c, v)) && el->text->lit_bytes > VC_TEXT_MAX_BYTES)
    vc__tctx_err_at(c, el->text->line, el->text->col, VC_E_LIMIT,
                   "text: %zu bytes, more than the %u one text box holds",
                   el->text->lit_bytes, VC_TEXT_MAX_BYTES);
  el_box(c, m, desc, el);
  if ((n = vc__tn_get(m, "font")) && vc__tn_string(c, n, "font", &s)) {
    size_t i = 0;
    const char *names[64];
    for (; i < t->nfonts && strcmp(t->fonts[i].name, s); i++)
      if (i < 64) names[i] = t->fonts[i].name;
    if (i < t->nfonts) {
      el->font = i;
    } else {
      const char *sug = vc__tmpl_suggest(s, names, t->nfonts < 64 ? t->nfonts : 64);
      char list[256] = "";
      size_t used = 0;
      for (size_t j = 0; j < t->nfonts && used < sizeof list; j++)
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%s",
                                 j ? ", " : "", t->fonts[j].name);
      if (sug)
        vc__tctx_err(c, n, VC_E_INPUT, "font: '%s' is not declared in the fonts section; "
                    "did you mean '%s'?", s, sug);
      else
        vc__tctx_err(c, n, VC_E_INPUT, "font: '%s' is not declared in the fonts section "
                    "(declared: %s)", s, list);
    }
  }
  bool size_ok = true, min_ok = false;
  const vc_tnode_t *sn = vc__tn_get(m, "size"), *mn = vc__tn_get(m, "min_size");
  if (sn) size_ok = read_range(c, sn, "size", 0, true, MAX_FONT_PT, " pt", &el->size);
  el->min_size = el->size;
  if (mn && (min_ok = read_range(c, mn, "min_size", 0, true, MAX_FONT_PT, " pt",
                                 &el->min_size)) &&
      size_ok && el->min_size > el->size) {
    char a[32], b2[32];
    vc__tctx_err(c, mn, VC_E_INPUT,
                "min_size: %s is larger than size (%s); min_size is how far "
                "the text may shrink", vc_text_fmt_num(el->min_size, a, sizeof a),
                vc_text_fmt_num(el->size, b2, sizeof b2));
  } else if ((mn ? min_ok : sn && size_ok) && el->min_size < MIN_FONT_PT) {
    /* Without min_size, size is also the smallest the text gets. */
    char a[32];
    vc__tctx_err(c, mn ? mn : sn, VC_E_INPUT,
                "%s: %s pt is too small to read on paper; the smallest is 4 pt",
                mn ? "min_size" : "size", vc_text_fmt_num(el->min_size, a, sizeof a));
  }
  if ((n = vc__tn_get(m, "max_lines")) && vc__tn_int(c, n, "max_lines", &el->max_lines) &&
      (el->max_lines < 1 || el->max_lines > 50))
    vc__tctx_err(c, n, VC_E_INPUT, "max_lines: must be from 1 to 50 (got %d)",
                el->max_lines);
  if ((n = vc__tn_get(m, "line_spacing")))
    read_range(c, n, "line_spacing", 0.5, false, 3, _(" times the size"),
               &el->line_spacing);
  int k;
  if ((n = vc__tn_get(m, "align")) && vc__tn_enum(c, n, "align", aligns, &k))
    el->align = (vc_halign_t)k;
  if ((n = vc__tn_get(m, "valign")) && vc__tn_enum(c, n, "valign", valigns, &k))
    el->valign = (vc_valign_t)k;
  if ((n = vc__tn_get(m, "color"))) vc__tn_color(c, n, "color", &el->color, NULL);
  if ((n = vc__tn_get(m, "fallback"))) vc__tn_bool(c, n, "fallback", &el->fallback);
}

static void read_shape(vc_tctx_t *c, vc_el_t *el, const vc_tnode_t *m,
                       const char *desc) {
  const char *key = kind_names[el->kind];
  double b[4];
  const vc_tnode_t *n = vc__tn_get(m, key);
  bool is_line = el->kind == VC_EL_LINE;
  bool box_ok = read_box(c, n, key, desc, is_line, b);
  if (box_ok) {
    el->x = b[0], el->y = b[1];
    el->w = is_line ? b[2] - b[0] : b[2];
    el->h = is_line ? b[3] - b[1] : b[3];
  }
  bool none;
  if ((n = vc__tn_get(m, "stroke")) && vc__tn_color(c, n, "stroke", &el->stroke, &none))
    el->has_stroke = !none;
  if ((n = vc__tn_get(m, "fill")) && vc__tn_color(c, n, "fill", &el->fill, &none))
    el->has_fill = !none;
  if ((n = vc__tn_get(m, "width")))
    read_range(c, n, "width", 0, true, MAX_STROKE_MM, " mm", &el->stroke_width);
  if ((n = vc__tn_get(m, "dash")))
    read_range(c, n, "dash", 0, false, MAX_DASH_MM, " mm", &el->dash);
  if ((n = vc__tn_get(m, "radius")) &&
      read_range(c, n, "radius", 0, false, 1000, " mm", &el->radius) && box_ok &&
      (el->radius > el->w / 2 || el->radius > el->h / 2)) {
    char r[32];
    vc__tctx_err(c, n, VC_E_INPUT,
                "radius: %s mm is more than half the rectangle's width or height",
                vc_text_fmt_num(el->radius, r, sizeof r));
  }
}

static vc_expr_t *static_expr(char *text) {
  vc_expr_t *e = calloc(1, sizeof *e);
  vc_seg_t *sg = calloc(1, sizeof *sg);
  if (!e || !sg) {
    free(e), free(sg), free(text);
    return NULL;
  }
  sg->lit = text;
  e->segs = sg;
  e->nsegs = 1;
  return e;
}

static void read_image(vc_tctx_t *c, vc_el_t *el, const vc_tnode_t *m,
                       const char *desc) {
  static const char *const fits[] = {"contain", "stretch", NULL};
  const vc_tnode_t *v = vc__tn_get(m, "image"), *n;
  const char *s;
  if (!quoted_hint(c, v, "image") && vc__tn_string(c, v, "image", &s)) {
    vc_expr_t *e = compile(c, v);
    if (e && vc_expr_is_static(e)) {
      /* A fixed file: resolve and check it now, keep its absolute path. */
      char err[64];
      char *rel = vc_expr_eval(e, NULL, NULL, err, sizeof err);
      vc_expr_free(e);
      e = NULL;
      char *abs = rel ? vc__tmpl_resolve_file(c, v, "image", rel, true) : NULL;
      if (!rel) vc__tctx_nomem(c);
      free(rel);
      if (abs && !(e = static_expr(abs))) vc__tctx_nomem(c);
    }
    el->src = e; /* a per-record "{anh}" stays an expression */
  }
  el_box(c, m, desc, el);
  int k;
  if ((n = vc__tn_get(m, "fit")) && vc__tn_enum(c, n, "fit", fits, &k))
    el->contain = k == 0;
}

/* qr: [x, y, size]: a square on the page, at least VC_QR_MIN_MM wide so
 * that a phone reads it; url:, key: and the signed values in
 * vc__tmpl_read_qr below. */
static void read_qr(vc_tctx_t *c, vc_el_t *el, const vc_tnode_t *m, const char *desc) {
  const vc_tnode_t *n = vc__tn_get(m, "qr");
  double b[4];
  if (vc__tn_numbers(c, n, "qr", b, 3)) {
    char got[32];
    if (b[2] < VC_QR_MIN_MM || b[2] > VC_QR_MAX_MM)
      vc__tctx_err(c, n, VC_E_INPUT,
                   "%s: the size must be %d to %d mm (got %s), quiet zone included: "
                   "smaller codes do not scan reliably once printed",
                   desc, VC_QR_MIN_MM, VC_QR_MAX_MM, vc_text_fmt_num(b[2], got, sizeof got));
    b[3] = b[2];
    check_on_page(c, n, desc, b, false);
    el->x = b[0], el->y = b[1], el->w = el->h = b[2];
  }
  vc__tmpl_read_qr(c, el, m, desc);
}

/* Which kind an element is; reports none or several.  -1 when unusable. */
static int element_kind(vc_tctx_t *c, const vc_tnode_t *m, size_t idx) {
  int kind = -1;
  const vc_tnode_t *first = NULL;
  for (size_t i = 0; i + 1 < m->nkids; i += 2) {
    const vc_tnode_t *k = m->kids[i];
    if (k->kind != VC_TN_SCALAR) continue;
    for (int j = 0; kind_names[j]; j++) {
      if (strcmp(k->str, kind_names[j])) continue;
      if (kind < 0) {
        kind = j, first = k;
      } else if (strcmp(first->str, k->str)) {
        vc__tctx_err(c, k, VC_E_INPUT,
                    "element %zu has both %s: and %s:; an element draws one "
                    "thing, so make two elements (each starting with -)",
                    idx, first->str, k->str);
        return -2;
      }
    }
  }
  if (kind >= 0) return kind;
  for (size_t i = 0; i + 1 < m->nkids; i += 2) {
    const vc_tnode_t *k = m->kids[i];
    const char *sug = k->kind == VC_TN_SCALAR ? vc__tmpl_suggest(k->str, kind_names, NKINDS) : NULL;
    if (sug) {
      vc__tctx_err(c, k, VC_E_INPUT, "unknown key '%s' in element %zu; did you "
                  "mean '%s'?", k->str, idx, sug);
      return -1;
    }
  }
  vc__tctx_err(c, m, VC_E_INPUT,
              "element %zu draws nothing: it needs one of text:, rect:, line:, "
              "ellipse:, image:, qr:", idx);
  return -1;
}

/* Checks an element's keys: unknown ones (with a suggestion) and ones that
 * belong to another kind of element. */
static void check_el_keys(vc_tctx_t *c, const vc_tnode_t *m, int kind,
                          const char *desc) {
  const char *const *mine = keys_of(kind);
  size_t nmine = 0;
  while (mine[nmine]) nmine++;
  vc__tn_check_keys(c, m, NULL, desc); /* key shapes and duplicates */
  for (size_t i = 0; i + 1 < m->nkids; i += 2) {
    const vc_tnode_t *k = m->kids[i];
    if (k->kind != VC_TN_SCALAR || in_list(mine, k->str)) continue;
    int other = -1;
    for (int j = 0; j < NKINDS && other < 0; j++)
      if (in_list(keys_of(j), k->str)) other = j;
    const char *sug = vc__tmpl_suggest(k->str, mine, nmine);
    if (sug)
      vc__tctx_err(c, k, VC_E_INPUT, "unknown key '%s' in %s; did you mean '%s'?",
                  k->str, desc, sug);
    else if (kind != VC_EL_TEXT && kind != VC_EL_IMAGE && !strcmp(k->str, "color"))
      vc__tctx_err(c, k, VC_E_INPUT,
                   takes_an(kind) ? N_("an %s has no color:; use stroke: for its outline and "
                                       "fill: for its inside")
                                  : N_("a %s has no color:; use stroke: for its outline and "
                                       "fill: for its inside"),
                   kind_names[kind]);
    else if (other >= 0)
      vc__tctx_err(c, k, VC_E_INPUT,
                   takes_an(kind) ? N_("'%s' does not apply to an %s element (it is for %s)")
                                  : N_("'%s' does not apply to a %s element (it is for %s)"),
                   k->str, kind_names[kind], kind_names[other]);
    else
      vc__tctx_err(c, k, VC_E_INPUT, "unknown key '%s' in %s", k->str, desc);
  }
}

static void el_defaults(vc_el_t *el, int kind) {
  memset(el, 0, sizeof *el);
  el->kind = (vc_el_kind_t)kind;
  el->size = el->min_size = 12;
  el->max_lines = 1;
  el->line_spacing = 1.2;
  el->has_stroke = kind != VC_EL_TEXT && kind != VC_EL_IMAGE && kind != VC_EL_QR;
  el->stroke_width = 0.3;
  el->contain = true; /* colours are black: all zero */
}

void vc__tmpl_read_elements(vc_tctx_t *c, const vc_tnode_t *seq) {
  vc_template_t *t = c->t;
  if (seq->kind == VC_TN_SCALAR && seq->null) {
    vc__tctx_err(c, seq, VC_E_INPUT,
                "elements: needs a list of elements, each starting with - on "
                "its own line");
    return;
  }
  if (seq->kind != VC_TN_SEQ) {
    vc__tctx_err(c, seq, VC_E_INPUT,
                "elements: must be a list, each element starting with - on its "
                "own line");
    return;
  }
  size_t n = seq->nkids;
  if (n > VC_TEMPLATE_MAX_ELEMENTS) {
    vc__tctx_err(c, seq->kids[VC_TEMPLATE_MAX_ELEMENTS], VC_E_LIMIT,
                "more than %d elements; that is beyond the limit",
                VC_TEMPLATE_MAX_ELEMENTS);
    n = VC_TEMPLATE_MAX_ELEMENTS;
  }
  if (n == 0) {
    vc__tctx_err(c, seq, VC_E_INPUT, "elements: is empty, so nothing would be printed");
    return;
  }
  if (!(t->els = calloc(n, sizeof *t->els))) {
    vc__tctx_nomem(c);
    return;
  }
  for (size_t i = 0; i < n; i++) {
    const vc_tnode_t *m = seq->kids[i];
    if (m->kind != VC_TN_MAP) {
      vc__tctx_err(c, m, VC_E_INPUT,
                  "element %zu must be a group of \"key: value\" lines, like "
                  "- text: \"...\"", i + 1);
      continue;
    }
    int kind = element_kind(c, m, i + 1);
    if (kind < 0) continue;
    char desc[160];
    describe(desc, sizeof desc, i + 1, kind, vc__tn_get(m, kind_names[kind]));
    check_el_keys(c, m, kind, desc);
    vc_el_t *el = &t->els[t->nels++];
    el_defaults(el, kind);
    el->line = m->line;
    if (kind == VC_EL_TEXT) read_text(c, el, m, desc);
    else if (kind == VC_EL_IMAGE) read_image(c, el, m, desc);
    else if (kind == VC_EL_QR) read_qr(c, el, m, desc);
    else read_shape(c, el, m, desc);
    if (!el->text || !vc_expr_is_static(el->text)) continue;
    /* Texts without placeholders are on every page: they must leave room. */
    size_t before = t->static_text_bytes;
    t->static_text_bytes += el->text->lit_bytes;
    if (before <= VC_PAGE_TEXT_MAX_BYTES && t->static_text_bytes > VC_PAGE_TEXT_MAX_BYTES)
      vc__tctx_err_at(c, el->text->line, el->text->col, VC_E_LIMIT,
                     "with this text the texts of the page are more than %u "
                     "bytes, the most one page holds", VC_PAGE_TEXT_MAX_BYTES);
  }
}

void vc__tmpl_el_clear(vc_el_t *el) {
  vc_expr_free(el->text);
  vc_expr_free(el->src);
  el->text = el->src = NULL;
  free(el->qr_url);
  free(el->qr_key);
  el->qr_url = el->qr_key = NULL;
  for (int i = 0; i < VC_QR_NVALS; i++) {
    vc_expr_free(el->qr_val[i]);
    el->qr_val[i] = NULL;
  }
}

/* ---- what a `qr:` element signs (issue 11, docs/verify.md): the school's
 * verification page (url:), its private key (key:, relative to the
 * template; DEMO: the published demonstration key the shipped templates
 * sign with, so that copies of them work anywhere), and the values, each a
 * placeholder text like any other (defaults from the template's fields) ---- */

/* The keys of the signed values, in VC_QR_* order, and the field each
 * takes when the template declares it and the element says nothing. */
static const char *const VAL_KEYS[VC_QR_NVALS] = {"serial", "name", "award", "amount",
                                                  "date"};
static const char *const DEFAULT_FIELDS[VC_QR_NVALS][4] = {
    {NULL}, /* serial: {serial} when the template has a serial: pattern */
    {"ho_ten", "ten", NULL},
    {"thanh_tich", "hoc_bong", "noi_dung", NULL},
    {"so_tien", NULL},
    {"ngay_ky", "ngay_cap", NULL}, /* date: else the day of the run */
};

#define URL_MAX 200

/* A verification page's URL: http(s)://, printable ASCII, no fragment of
 * its own (the payload is the fragment), at most URL_MAX bytes. */
static void read_url(vc_tctx_t *c, vc_el_t *el, const vc_tnode_t *m, const char *desc) {
  const vc_tnode_t *n = vc__tn_get(m, "url");
  const char *s;
  if (!n) {
    vc__tctx_err(c, m, VC_E_INPUT,
                 "%s: needs url: the school's verification page (made with vncert "
                 "verify-page), like url: \"https://truong.edu.vn/xac-minh\"", desc);
    return;
  }
  if (!vc__tn_string(c, n, "url", &s)) return;
  bool ascii = true;
  for (const char *p = s; *p; p++) ascii = ascii && *p > 0x20 && *p < 0x7F;
  if ((strncmp(s, "https://", 8) && strncmp(s, "http://", 7)) || strlen(s) > URL_MAX ||
      !ascii || strchr(s, '#')) {
    vc__tctx_err(c, n, VC_E_INPUT,
                 "url: '%s' is not a web address starting with https:// (at most %d "
                 "characters, no spaces, no accents, no #)", s, URL_MAX);
    return;
  }
  if (!(el->qr_url = strdup(s))) vc__tctx_nomem(c);
}

/* The field (or template value: ngay_ky) a value defaults to, or NULL. */
static const char *default_field(const vc_template_t *t, int v) {
  for (int k = 0; DEFAULT_FIELDS[v][k]; k++) {
    for (size_t i = 0; i < t->nfields; i++)
      if (!strcmp(t->fields[i].key, DEFAULT_FIELDS[v][k])) return DEFAULT_FIELDS[v][k];
    for (size_t i = 0; i < t->nvalues; i++)
      if (!strcmp(t->values[i].key, DEFAULT_FIELDS[v][k])) return DEFAULT_FIELDS[v][k];
  }
  return NULL;
}

/* One signed value: as written, else its default ("{ho_ten}"), else none. */
static void read_value(vc_tctx_t *c, vc_el_t *el, const vc_tnode_t *m, int v) {
  const vc_tnode_t *n = vc__tn_get(m, VAL_KEYS[v]);
  const char *s;
  int line, col;
  if (n) {
    if (!vc__tn_string(c, n, VAL_KEYS[v], &s)) return;
    vc__tnode_text_pos(c, n, &line, &col);
    if (!(el->qr_val[v] = vc_expr_parse(s, c->path, line, col, c->d))) c->nerr++;
    return;
  }
  char dflt[64];
  const char *f = default_field(c->t, v);
  if (v == VC_QR_SERIAL && c->t->serial) f = "serial";
  if (!f) return;
  snprintf(dflt, sizeof dflt, "{%s}", f);
  if (!(el->qr_val[v] = vc_expr_parse(dflt, c->path, m->line, 1, c->d))) c->nerr++;
}

void vc__tmpl_read_qr(vc_tctx_t *c, vc_el_t *el, const vc_tnode_t *m, const char *desc) {
  read_url(c, el, m, desc);
  const vc_tnode_t *n = vc__tn_get(m, "key");
  const char *s;
  if (!n)
    vc__tctx_err(c, m, VC_E_INPUT,
                 "%s: needs key: the school's private key file (made with vncert keygen), "
                 "relative to the template", desc);
  else if (vc__tn_string(c, n, "key", &s) && strcmp(s, "DEMO") != 0)
    el->qr_key = vc__tmpl_resolve_file(c, n, "key", s, false);
  /* key: DEMO: the published demonstration key built into vncert (a file
   * named DEMO is written ./DEMO) */
  for (int v = 0; v < VC_QR_NVALS; v++) read_value(c, el, m, v);
  if (!el->qr_val[VC_QR_NAME])
    vc__tctx_err(c, m, VC_E_INPUT,
                 "%s: needs name: the recipient's name to sign, like name: \"{ho_ten}\"",
                 desc);
}
