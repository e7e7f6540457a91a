/*
 * workbook-xlsx.c - Office Open XML spreadsheets (.xlsx, .xlsm): the parts
 * are found through the package's relationships, as Excel does, not by
 * their usual names (other writers place them elsewhere):
 *   _rels/.rels -> the workbook part -> its .rels -> sheets, shared
 *   strings, styles.
 *
 * Decisions:
 *  - without --sheet, the first sheet that is not hidden (a hidden sheet is
 *    usually a lookup table the user never sees);
 *  - a cell shows: its shared or inline string (rich-text runs joined,
 *    phonetic guides left out, _xHHHH_ escapes decoded), a number through
 *    its style's number format (workbook-format.c), TRUE/FALSE, or the
 *    cached result of a formula.  An Excel error value (#REF!, #N/A) is a
 *    problem of that cell: it would otherwise be printed on a certificate;
 *    so is a formula with no saved result (a file written by a program and
 *    never opened in a spreadsheet), rather than an empty value;
 *  - merged cells: a first pass reads the <mergeCell> ranges (after the
 *    rows in the file), then values merged over rows are handed to each row
 *    (workbook-merge.c);
 *  - hidden rows (hidden="1", also rows an autofilter hides) are read like
 *    the others and reported to the sink (vc__wb_sink_hidden).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/text.h"
#include "input/workbook-private.h"

#define MAX_RELS 10000
#define SST_LONG 0x80000000u /* flag in an offset: the string was too long */

typedef struct {
  char *id, *type, *target;
} rel_t;

typedef struct {
  char *name, *rid;
  bool hidden;
} xsheet_t;

typedef struct {
  long id;
  char *code;
} numfmt_t;

typedef struct xlsx {
  vc_wb_t *w;
  rel_t *rels;
  int nrels, caprels;

  char *book;     /* the workbook part */
  xsheet_t *sheets;
  int nsheets, capsheets;
  bool date1904;

  char *sst; /* shared strings, cleaned, NUL-separated */
  size_t sstlen, sstcap;
  uint32_t *sstoff;
  long nsst, capsst;
  bool in_si;

  long *xf_fmt; /* number format id of each cell format (cellXfs) */
  long nxf, capxf;
  vc_wb_fmt_t **xf_cache;
  numfmt_t *numfmts;
  long nnumfmt, capnumfmt;
  bool in_cellxfs;

  int rph; /* inside a phonetic run: not shown */

  /* the sheet */
  vc_wb_sink_t *sink;
  vc_wb_merge_t *merge;
  const char *sheet_name;
  bool in_data, in_row, in_cell, in_is;
  bool formula, has_v; /* the cell has <f>, <v> */
  long row, col, next_col, style;
  char type; /* 's' shared, 't' inline/str, 'b', 'e', 'd', 'n' */
} xlsx_t;

/* Grows *p (n used of *cap, elements of size sz) for one more. */
static bool grow(void **p, long n, long *cap, size_t sz) {
  if (n < *cap) return true;
  long nc = *cap ? *cap * 2 : 16;
  void *q = realloc(*p, (size_t)nc * sz);
  if (!q) return false;
  *p = q;
  *cap = nc;
  return true;
}

static bool grow_int(void **p, int n, int *cap, size_t sz) {
  long c = *cap;
  bool ok = grow(p, n, &c, sz);
  *cap = (int)c;
  return ok;
}

static bool ends_with(const char *s, const char *suf) {
  size_t n = strlen(s), k = strlen(suf);
  return n >= k && strcmp(s + n - k, suf) == 0;
}

/* dir/target resolved: "/x" is from the root; "." and ".." segments are
 * applied.  New string or NULL on no memory. */
static char *resolve(const char *dir, const char *target) {
  size_t dn = target[0] == '/' ? 0 : strlen(dir);
  char *tmp = malloc(dn + strlen(target) + 2);
  char *out = malloc(dn + strlen(target) + 2);
  if (!tmp || !out) {
    free(tmp);
    free(out);
    return NULL;
  }
  sprintf(tmp, "%.*s%s", (int)dn, dir, target);
  size_t len = 0;
  char *save = NULL;
  for (char *seg = strtok_r(tmp, "/", &save); seg; seg = strtok_r(NULL, "/", &save)) {
    if (!strcmp(seg, ".")) continue;
    if (!strcmp(seg, "..")) {
      while (len > 0 && out[len - 1] != '/') len--;
      if (len > 0) len--;
      continue;
    }
    if (len) out[len++] = '/';
    size_t k = strlen(seg);
    memcpy(out + len, seg, k);
    len += k;
  }
  out[len] = '\0';
  free(tmp);
  return out;
}

/* Directory of a part, with its '/' ("xl/" for "xl/workbook.xml"). */
static char *dir_of(const char *part) {
  const char *sl = strrchr(part, '/');
  size_t n = sl ? (size_t)(sl - part) + 1 : 0;
  char *d = malloc(n + 1);
  if (d) {
    memcpy(d, part, n);
    d[n] = '\0';
  }
  return d;
}

static void nomem(vc_wb_xml_t *x) { vc__wb_xml_fail(x, VC_E_NOMEM, "out of memory"); }

/* ---- relationships ---- */

static void free_rels(xlsx_t *X) {
  for (int i = 0; i < X->nrels; i++) {
    free(X->rels[i].id);
    free(X->rels[i].type);
    free(X->rels[i].target);
  }
  free(X->rels);
  X->rels = NULL;
  X->nrels = X->caprels = 0;
}

static void rels_start(vc_wb_xml_t *x, int ns, const char *local, const char **atts) {
  xlsx_t *X = x->ud;
  if (strcmp(local, "Relationship") != 0) return;
  const char *id = vc__wb_attr(x, atts, VC_NS_NONE, "Id");
  const char *type = vc__wb_attr(x, atts, VC_NS_NONE, "Type");
  const char *target = vc__wb_attr(x, atts, VC_NS_NONE, "Target");
  const char *mode = vc__wb_attr(x, atts, VC_NS_NONE, "TargetMode");
  if (!id || !type || !target || (mode && strcmp(mode, "Internal") != 0)) return;
  if (X->nrels >= MAX_RELS) {
    vc__wb_xml_fail(x, VC_E_LIMIT, "the part %s lists more than %d relationships", x->part,
                   MAX_RELS);
    return;
  }
  if (!grow_int((void **)&X->rels, X->nrels, &X->caprels, sizeof *X->rels)) {
    nomem(x);
    return;
  }
  rel_t *r = &X->rels[X->nrels];
  r->id = strdup(id);
  r->type = strdup(type);
  r->target = strdup(target);
  X->nrels++;
  if (!r->id || !r->type || !r->target) nomem(x);
}

/* Reads a .rels part into X->rels (replacing what was there).  A missing
 * part leaves none. */
static bool read_rels(xlsx_t *X, const char *part) {
  free_rels(X);
  vc_wb_xml_t x = {.w = X->w, .ud = X, .start = rels_start};
  return vc__wb_parse_part(&x, part) >= 0;
}

/* First relationship whose type ends with suffix, or NULL. */
static const rel_t *rel_by_type(const xlsx_t *X, const char *suffix) {
  for (int i = 0; i < X->nrels; i++)
    if (ends_with(X->rels[i].type, suffix)) return &X->rels[i];
  return NULL;
}

static const rel_t *rel_by_id(const xlsx_t *X, const char *id) {
  for (int i = 0; i < X->nrels; i++)
    if (!strcmp(X->rels[i].id, id)) return &X->rels[i];
  return NULL;
}

/* ---- workbook.xml ---- */

static void book_start(vc_wb_xml_t *x, int ns, const char *local, const char **atts) {
  xlsx_t *X = x->ud;
  if (!strcmp(local, "workbookPr")) {
    const char *v = vc__wb_attr(x, atts, VC_NS_NONE, "date1904");
    X->date1904 = v && (!strcmp(v, "1") || !strcmp(v, "true"));
  } else if (!strcmp(local, "sheet")) {
    const char *name = vc__wb_attr(x, atts, VC_NS_NONE, "name");
    const char *rid = vc__wb_attr(x, atts, VC_NS_OREL, "id");
    const char *state = vc__wb_attr(x, atts, VC_NS_NONE, "state");
    if (!name || !rid) return;
    if (X->nsheets >= VC_WB_MAX_SHEETS) {
      vc__wb_xml_fail(x, VC_E_LIMIT, "the workbook has more than %d sheets", VC_WB_MAX_SHEETS);
      return;
    }
    if (!grow_int((void **)&X->sheets, X->nsheets, &X->capsheets, sizeof *X->sheets)) {
      nomem(x);
      return;
    }
    xsheet_t *s = &X->sheets[X->nsheets++];
    s->name = strdup(name);
    s->rid = strdup(rid);
    s->hidden = state && strcmp(state, "visible") != 0;
    if (!s->name || !s->rid) nomem(x);
  }
}

/* ---- styles.xml: number formats of the cell formats ---- */

static void styles_start(vc_wb_xml_t *x, int ns, const char *local, const char **atts) {
  xlsx_t *X = x->ud;
  if (!strcmp(local, "cellXfs")) {
    X->in_cellxfs = true;
  } else if (!strcmp(local, "xf") && X->in_cellxfs) {
    if (X->nxf >= VC_WB_MAX_STYLES) return; /* later cells read as General */
    if (!grow((void **)&X->xf_fmt, X->nxf, &X->capxf, sizeof *X->xf_fmt)) {
      nomem(x);
      return;
    }
    long id = 0;
    const char *v = vc__wb_attr(x, atts, VC_NS_NONE, "numFmtId");
    if (v && !vc__wb_parse_long(v, 1L << 30, &id)) id = 0;
    X->xf_fmt[X->nxf++] = id;
  } else if (!strcmp(local, "numFmt")) {
    const char *id = vc__wb_attr(x, atts, VC_NS_NONE, "numFmtId");
    const char *code = vc__wb_attr(x, atts, VC_NS_NONE, "formatCode");
    long n;
    if (!id || !code || !vc__wb_parse_long(id, 1L << 30, &n)) return;
    if (X->nnumfmt >= VC_WB_MAX_STYLES) return;
    if (!grow((void **)&X->numfmts, X->nnumfmt, &X->capnumfmt, sizeof *X->numfmts)) {
      nomem(x);
      return;
    }
    X->numfmts[X->nnumfmt].id = n;
    X->numfmts[X->nnumfmt].code = strdup(code);
    if (!X->numfmts[X->nnumfmt++].code) nomem(x);
  }
}

static void styles_end(vc_wb_xml_t *x, int ns, const char *local) {
  xlsx_t *X = x->ud;
  if (!strcmp(local, "cellXfs")) X->in_cellxfs = false;
}

static int cmp_numfmt(const void *a, const void *b) {
  long x = ((const numfmt_t *)a)->id, y = ((const numfmt_t *)b)->id;
  return x < y ? -1 : x > y;
}

/* The compiled format of cell format (style) s; NULL = General. */
static const vc_wb_fmt_t *style_fmt(xlsx_t *X, long s) {
  if (s < 0 || s >= X->nxf) return NULL;
  if (X->xf_cache[s]) return X->xf_cache[s];
  long id = X->xf_fmt[s];
  if (id == 0) return NULL;
  numfmt_t key = {id, NULL};
  const numfmt_t *nf = X->nnumfmt ? bsearch(&key, X->numfmts, (size_t)X->nnumfmt,
                                            sizeof *X->numfmts, cmp_numfmt)
                                  : NULL;
  const char *code = nf ? nf->code : vc__wb_fmt_builtin(id);
  X->xf_cache[s] = vc__wb_fmt_compile(code, strlen(code));
  if (!X->xf_cache[s]) vc__wb_fail(X->w, VC_E_NOMEM, N_("out of memory"));
  return X->xf_cache[s];
}

/* ---- sharedStrings.xml ---- */

/* Appends a cleaned string (or a too-long marker) to the table. */
static void sst_add(vc_wb_xml_t *x, xlsx_t *X) {
  if (X->nsst >= VC_WB_MAX_STRINGS) {
    vc__wb_xml_fail(x, VC_E_LIMIT, "the workbook has more than %d different texts",
                   VC_WB_MAX_STRINGS);
    return;
  }
  if (!grow((void **)&X->sstoff, X->nsst, &X->capsst, sizeof *X->sstoff)) {
    nomem(x);
    return;
  }
  char *c = NULL;
  size_t n = 0;
  if (!x->tlong) {
    n = x->tlen;
    vc__wb_unescape_x(x->text ? x->text : "", &n);
    c = vc_text_clean(x->text ? x->text : "", n);
    if (!c) {
      nomem(x);
      return;
    }
    n = strlen(c);
  }
  if (X->sstlen + n + 1 > X->sstcap) {
    size_t cap = X->sstcap ? X->sstcap : 64u << 10;
    while (cap < X->sstlen + n + 1) cap *= 2;
    char *b = cap < SST_LONG ? realloc(X->sst, cap) : NULL;
    if (!b) {
      free(c);
      nomem(x);
      return;
    }
    X->sst = b;
    X->sstcap = cap;
  }
  if (n) memcpy(X->sst + X->sstlen, c, n);
  X->sst[X->sstlen + n] = '\0';
  X->sstoff[X->nsst++] = (uint32_t)X->sstlen | (x->tlong ? SST_LONG : 0);
  X->sstlen += n + 1;
  free(c);
}

static void sst_start(vc_wb_xml_t *x, int ns, const char *local, const char **atts) {
  xlsx_t *X = x->ud;
  if (!strcmp(local, "si")) {
    X->in_si = true;
    X->rph = 0;
    vc__wb_xml_collect(x, true);
    x->collect = false;
  } else if (!strcmp(local, "rPh")) {
    X->rph++;
  } else if (!strcmp(local, "t") && X->in_si && !X->rph) {
    vc__wb_xml_collect(x, false);
  }
}

static void sst_end(vc_wb_xml_t *x, int ns, const char *local) {
  xlsx_t *X = x->ud;
  if (!strcmp(local, "t")) {
    x->collect = false;
  } else if (!strcmp(local, "rPh")) {
    if (X->rph) X->rph--;
  } else if (!strcmp(local, "si") && X->in_si) {
    X->in_si = false;
    sst_add(x, X);
  }
}

/* ---- the sheet ---- */

/* Column (0-based) of a reference "BC12"; -1 when it has no letters. */
static long ref_col(const char *r) {
  long c = 0;
  int k = 0;
  for (; (r[k] >= 'A' && r[k] <= 'Z') || (r[k] >= 'a' && r[k] <= 'z'); k++) {
    if (c <= VC_WB_MAX_COLNUM) c = c * 26 + ((r[k] | 0x20) - 'a' + 1);
  }
  return k ? c - 1 : -1;
}

static void sheet_start(vc_wb_xml_t *x, int ns, const char *local, const char **atts) {
  xlsx_t *X = x->ud;
  if (!X->in_data) {
    if (!strcmp(local, "sheetData")) X->in_data = true;
    return;
  }
  const char *l = local;
  if (l[0] == 'c' && !l[1]) {
    if (!X->in_row) return;
    const char *r = vc__wb_attr(x, atts, VC_NS_NONE, "r");
    const char *t = vc__wb_attr(x, atts, VC_NS_NONE, "t");
    const char *s = vc__wb_attr(x, atts, VC_NS_NONE, "s");
    long col = r ? ref_col(r) : -1;
    X->col = col >= 0 ? col : X->next_col;
    X->next_col = X->col + 1;
    X->type = !t                      ? 'n'
              : !strcmp(t, "s")       ? 's'
              : !strcmp(t, "str")     ? 't'
              : !strcmp(t, "inlineStr") ? 't'
              : !strcmp(t, "b")       ? 'b'
              : !strcmp(t, "e")       ? 'e'
              : !strcmp(t, "d")       ? 'd'
                                      : 'n';
    X->style = 0;
    if (s && !vc__wb_parse_long(s, 1L << 30, &X->style)) X->style = 0;
    X->in_cell = true;
    X->in_is = false;
    X->formula = X->has_v = false;
    X->rph = 0;
    vc__wb_xml_collect(x, true);
    x->collect = false;
  } else if (X->in_cell) {
    if (!strcmp(l, "v")) {
      X->has_v = true;
      vc__wb_xml_collect(x, true);
    } else if (!strcmp(l, "f")) {
      X->formula = true;
    } else if (!strcmp(l, "is")) {
      X->in_is = true;
      vc__wb_xml_collect(x, true);
      x->collect = false;
    } else if (!strcmp(l, "rPh")) {
      X->rph++;
    } else if (!strcmp(l, "t") && X->in_is && !X->rph) {
      vc__wb_xml_collect(x, false);
    }
  } else if (!strcmp(l, "row") && !X->in_row) { /* a row in a row: ignored */
    const char *r = vc__wb_attr(x, atts, VC_NS_NONE, "r");
    long row;
    if (!r || !vc__wb_parse_long(r, VC_WB_MAX_ROWNUM + 1, &row) || row < 1)
      row = X->row + 1;
    X->row = row;
    X->next_col = 0;
    X->in_row = vc__wb_sink_row(X->sink, row);
    if (!X->in_row) {
      vc__wb_xml_stop(x);
      return;
    }
    vc__wb_merge_row(X->merge, row);
    const char *h = vc__wb_attr(x, atts, VC_NS_NONE, "hidden");
    if (h && (!strcmp(h, "1") || !strcmp(h, "true"))) vc__wb_sink_hidden(X->sink, true);
  }
}

/* A value of the current cell, through the merges to the sink. */
static void put(xlsx_t *X, const char *v, size_t n, bool clean) {
  vc__wb_merge_value(X->merge, X->sink, X->col, v, n, clean);
}

/* Hands a text value through the style's text section, if it has one. */
static void text_value(vc_wb_xml_t *x, xlsx_t *X, const char *v, size_t n, bool clean) {
  char *f = NULL;
  if (!vc__wb_fmt_text(style_fmt(X, X->style), v, n, &f)) {
    nomem(x);
    return;
  }
  if (f) {
    put(X, f, strlen(f), true);
    free(f);
  } else {
    put(X, v, n, clean);
  }
}

/* False for plain ASCII without white space (most formatted numbers), which
 * cleaning would leave as it is. */
static bool needs_clean(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x80 || c <= ' ') return true;
  }
  return false;
}

/* A problem with the current cell: marked in the merges (a merged range
 * then shows no value) and reported by the sink, the row marked bad. */
static void __attribute__((format(printf, 3, 4)))
problem(xlsx_t *X, vc_status_t st, const char *fmt, ...) {
  char msg[1200];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, vc__gettext(fmt), ap);
  va_end(ap);
  vc__wb_merge_problem(X->merge, X->col);
  vc__wb_sink_problem(X->sink, X->col, st, "%s", msg);
}

/* A shared-string cell: v[0..n) is the index into the workbook's table. */
static void shared_text(vc_wb_xml_t *x, xlsx_t *X, const char *v, size_t n) {
  char sh[48];
  long i;
  if (!n) return;
  if (!vc__wb_parse_long(v, VC_WB_MAX_STRINGS, &i) || i >= X->nsst) {
    problem(X, VC_E_INPUT,
            "the cell refers to text number %s, which the workbook does not "
            "have: the file is damaged",
            vc_text_shorten(v, sh, sizeof sh));
    return;
  }
  uint32_t off = X->sstoff[i];
  if (off & SST_LONG) {
    problem(X, VC_E_LIMIT, "the value is more than %u bytes long", VC_CSV_MAX_FIELD);
    return;
  }
  uint32_t end = i + 1 < X->nsst ? X->sstoff[i + 1] & ~SST_LONG : (uint32_t)X->sstlen;
  text_value(x, X, X->sst + off, end - off - 1, false);
}

/* A number cell: v[0..n) shown through the cell's style (date, money...). */
static void number_value(xlsx_t *X, const char *v, size_t n) {
  char b[512], sh[48];
  double d;
  if (!n) return;
  if (!vc__wb_parse_double(v, n, &d)) {
    problem(X, VC_E_INPUT,
            "the cell should hold a number but holds \"%s\": the file is "
            "damaged",
            vc_text_shorten(v, sh, sizeof sh));
    return;
  }
  const vc_wb_fmt_t *f = style_fmt(X, X->style);
  if (X->w->failed) return;
  size_t k = vc__wb_fmt_number(f, d, X->date1904, b, sizeof b);
  put(X, b, k, needs_clean(b, k));
}

/* The value of the cell that just ended, by its type (t="..."). */
static void cell_end(vc_wb_xml_t *x, xlsx_t *X) {
  char *v = x->text ? x->text : "";
  size_t n = x->tlen;
  if (vc__wb_merge_covered(X->merge, X->col)) return; /* shows the merge's value */
  /* a text formula's saved result may be "" (<v></v>): only <v> missing says
   * it was never computed */
  if (X->formula && (!X->has_v || (!n && X->type != 't'))) {
    problem(X, VC_E_INPUT,
            "the cell holds a formula with no saved result (the file was "
            "written by a program and never opened in a spreadsheet): open "
            "it in Excel or LibreOffice, save it, and try again");
    return;
  }
  if (X->col >= VC_WB_MAX_COLNUM) {
    if (n) problem(X, VC_E_INPUT, "the cell is beyond column XFD");
    return;
  }
  if (x->tlong) {
    problem(X, VC_E_LIMIT, "the value is more than %u bytes long", VC_CSV_MAX_FIELD);
    return;
  }
  char b[512], sh[48];
  size_t k;
  switch (X->type) {
  case 's':
    shared_text(x, X, v, n);
    return;
  case 't':
    vc__wb_unescape_x(v, &n);
    text_value(x, X, v, n, true);
    return;
  case 'b':
    if (n) put(X, v[0] == '1' ? "TRUE" : "FALSE", v[0] == '1' ? 4 : 5, false);
    return;
  case 'e':
    put(X, v, n, true);
    problem(X, VC_E_INPUT,
            "the cell shows the Excel error %s (its formula cannot be "
            "computed): correct it in Excel",
            n ? vc_text_shorten(v, sh, sizeof sh) : "#VALUE!");
    return;
  case 'd':
    if ((k = vc__wb_iso_date(v, b, sizeof b)))
      put(X, b, k, false);
    else
      put(X, v, n, true);
    return;
  default:
    number_value(X, v, n);
  }
}

static void sheet_end(vc_wb_xml_t *x, int ns, const char *local) {
  xlsx_t *X = x->ud;
  if (!X->in_data) return;
  const char *l = local;
  if (l[0] == 'c' && !l[1]) {
    if (!X->in_cell) return;
    X->in_cell = false;
    x->collect = false;
    cell_end(x, X);
    if (X->w->failed) vc__wb_xml_stop(x);
  } else if (X->in_cell) {
    if (!strcmp(l, "v") || !strcmp(l, "t") || !strcmp(l, "f")) {
      x->collect = false;
    } else if (!strcmp(l, "rPh")) {
      if (X->rph) X->rph--;
    } else if (!strcmp(l, "is")) {
      X->in_is = false;
    }
  } else if (!strcmp(l, "row")) {
    if (X->in_row) {
      vc__wb_merge_fill(X->merge, X->sink);
      vc__wb_sink_end_row(X->sink, 1);
    }
    X->in_row = false;
    if (X->w->failed) vc__wb_xml_stop(x);
  } else if (!strcmp(l, "sheetData")) {
    X->in_data = false;
    vc__wb_xml_stop(x); /* what follows (merges, drawings) is not needed */
  }
}

/* ---- putting it together ---- */

static void xlsx_free(xlsx_t *X) {
  free_rels(X);
  for (int i = 0; i < X->nsheets; i++) {
    free(X->sheets[i].name);
    free(X->sheets[i].rid);
  }
  free(X->sheets);
  free(X->book);
  free(X->sst);
  free(X->sstoff);
  free(X->xf_fmt);
  if (X->xf_cache)
    for (long i = 0; i < X->nxf; i++) vc__wb_fmt_free(X->xf_cache[i]);
  free(X->xf_cache);
  for (long i = 0; i < X->nnumfmt; i++) free(X->numfmts[i].code);
  free(X->numfmts);
  vc__wb_merge_free(X->merge);
}

/* Finds the workbook part from the package relationships. */
static bool find_book(xlsx_t *X) {
  vc_wb_t *w = X->w;
  if (!read_rels(X, "_rels/.rels")) return false;
  const rel_t *r = rel_by_type(X, "/officeDocument");
  X->book = resolve("", r ? r->target : "xl/workbook.xml");
  if (!X->book) {
    vc__wb_fail(w, VC_E_NOMEM, N_("out of memory"));
    return false;
  }
  if (ends_with(X->book, ".bin") || vc__wb_has_part(w, "xl/workbook.bin")) {
    vc__wb_fail(w, VC_E_INPUT,
               N_("the file is an Excel binary workbook (.xlsb): save it as .xlsx (Excel "
                  "Workbook) and try again"));
    return false;
  }
  if (ends_with(X->book, "document.xml")) {
    vc__wb_fail(w, VC_E_INPUT, N_("the file is a Word document, not a spreadsheet"));
    return false;
  }
  if (ends_with(X->book, "presentation.xml")) {
    vc__wb_fail(w, VC_E_INPUT, N_("the file is a PowerPoint presentation, not a spreadsheet"));
    return false;
  }
  if (!vc__wb_has_part(w, X->book)) {
    char sh[128];
    vc__wb_fail(w, VC_E_INPUT, N_("the file is not an Excel workbook: it has no workbook part (%s)"),
               vc_text_shorten(X->book, sh, sizeof sh));
    return false;
  }
  return true;
}

/* Path of the part that the workbook's relationship of type suffix names,
 * else dir + fallback; NULL on no memory (reported). */
static char *book_part(xlsx_t *X, const char *dir, const char *suffix, const char *fallback) {
  const rel_t *r = rel_by_type(X, suffix);
  char *p = resolve(dir, r ? r->target : fallback);
  if (!p) vc__wb_fail(X->w, VC_E_NOMEM, N_("out of memory"));
  return p;
}

/* The workbook part and its relationships read, the sheet chosen (want,
 * else the first shown): its index in X->sheets, or -1 (reported).  *dir
 * is the workbook part's folder (the caller frees it). */
static int choose_sheet(xlsx_t *X, const char *want, char **dir) {
  vc_wb_t *w = X->w;
  if (!find_book(X)) return -1;
  vc_wb_xml_t x = {.w = w, .ud = X, .start = book_start};
  if (vc__wb_parse_part(&x, X->book) < 0) return -1;
  *dir = dir_of(X->book);
  const char *base = strrchr(X->book, '/') ? strrchr(X->book, '/') + 1 : X->book;
  char *rels = *dir ? malloc(strlen(*dir) + strlen(base) + 16) : NULL;
  const char **names = calloc((size_t)X->nsheets + 1, sizeof *names);
  bool *hidden = calloc((size_t)X->nsheets + 1, sizeof *hidden);
  int k = -1;
  if (!rels || !names || !hidden) {
    vc__wb_fail(w, VC_E_NOMEM, N_("out of memory"));
  } else {
    sprintf(rels, "%s_rels/%s.rels", *dir, base);
    if (read_rels(X, rels)) {
      for (int i = 0; i < X->nsheets; i++) {
        names[i] = X->sheets[i].name;
        hidden[i] = X->sheets[i].hidden;
      }
      k = vc__wb_choose_sheet(w, names, hidden, X->nsheets, want);
    }
  }
  free(rels);
  free(names);
  free(hidden);
  return k;
}

/* Path of sheet sh's part (the caller frees it); NULL when the workbook
 * names none, when it is a chart and not cells, or on no memory
 * (reported). */
static char *sheet_path(xlsx_t *X, const xsheet_t *sh, const char *dir) {
  char shn[100];
  const rel_t *r = rel_by_id(X, sh->rid);
  if (!r) {
    vc__wb_fail(X->w, VC_E_INPUT,
               N_("the workbook is damaged: sheet \"%s\" has no part: open it in Excel and "
                  "save it again"),
               vc_text_shorten(sh->name, shn, sizeof shn));
    return NULL;
  }
  if (!ends_with(r->type, "/worksheet")) {
    if (ends_with(r->type, "/chartsheet"))
      vc__wb_fail(X->w, VC_E_INPUT,
                  N_("sheet \"%s\" is a chart, not a table of cells: choose another with "
                     "--sheet"),
                  vc_text_shorten(sh->name, shn, sizeof shn));
    else
      vc__wb_fail(X->w, VC_E_INPUT,
                  N_("sheet \"%s\" is a special sheet, not a table of cells: choose another "
                     "with --sheet"),
                  vc_text_shorten(sh->name, shn, sizeof shn));
    return NULL;
  }
  char *p = resolve(dir, r->target);
  if (!p) vc__wb_fail(X->w, VC_E_NOMEM, N_("out of memory"));
  return p;
}

/* The styles (number formats) and the shared strings into X, each from
 * its part (a missing part reads as empty).  false on a problem
 * (reported). */
static bool read_styles_strings(xlsx_t *X, const char *dir) {
  char *styles = book_part(X, dir, "/styles", "styles.xml");
  char *strings = styles ? book_part(X, dir, "/sharedStrings", "sharedStrings.xml") : NULL;
  vc_wb_xml_t x = {.w = X->w, .ud = X, .start = styles_start, .end = styles_end};
  bool ok = strings && vc__wb_parse_part(&x, styles) >= 0;
  if (ok && X->nnumfmt) qsort(X->numfmts, (size_t)X->nnumfmt, sizeof *X->numfmts, cmp_numfmt);
  if (ok && !(X->xf_cache = calloc((size_t)X->nxf + 1, sizeof *X->xf_cache))) {
    vc__wb_fail(X->w, VC_E_NOMEM, N_("out of memory"));
    ok = false;
  }
  x = (vc_wb_xml_t){.w = X->w, .ud = X, .start = sst_start, .end = sst_end};
  ok = ok && vc__wb_parse_part(&x, strings) >= 0;
  free(styles);
  free(strings);
  return ok;
}

/* The cells of sheet sh (its part at path sheet), through the merges, to
 * the sink: the table, or NULL (reported). */
static vc_table_t *read_cells(xlsx_t *X, const xsheet_t *sh, const char *sheet) {
  vc_wb_t *w = X->w;
  char shn[100], shp[128];
  X->merge = vc__wb_merge_create(w);
  if (!X->merge || !vc__wb_merge_read_xlsx(X->merge, sheet)) return NULL;
  X->sink = vc__wb_sink_create(w, sh->name);
  if (!X->sink) return NULL;
  vc_wb_xml_t x = {.w = w, .ud = X, .start = sheet_start, .end = sheet_end};
  int rc = vc__wb_parse_part(&x, sheet);
  if (rc == 0)
    vc__wb_fail(w, VC_E_INPUT,
               N_("the workbook is damaged: the part %s of sheet \"%s\" is missing"),
               vc_text_shorten(sheet, shp, sizeof shp), vc_text_shorten(sh->name, shn, sizeof shn));
  if (rc <= 0 || w->failed) {
    vc__wb_sink_free(X->sink);
    return NULL;
  }
  return vc__wb_sink_finish(X->sink);
}

/* Reads the chosen sheet of an xlsx archive (see workbook-private.h). */
vc_table_t *vc__wb_xlsx_read(vc_wb_t *w, const char *want) {
  xlsx_t X = {.w = w};
  vc_table_t *t = NULL;
  char *dir = NULL, *sheet = NULL;
  int k = choose_sheet(&X, want, &dir);
  if (k >= 0 && (sheet = sheet_path(&X, &X.sheets[k], dir)) && read_styles_strings(&X, dir))
    t = read_cells(&X, &X.sheets[k], sheet);
  free(dir);
  free(sheet);
  xlsx_free(&X);
  return t;
}
