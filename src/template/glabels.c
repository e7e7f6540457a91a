/*
 * glabels.c - label products in gLabels' template XML (sheet.h): Debian's
 * glabels-data (/usr/share/libglabels-3.0/templates), vncert's presets
 * (templates/sheets/vncert-presets.xml) and the user's own files, read with
 * expat.  What is read of the format:
 *   <Template brand part size="A4"|"US-Letter"|"Other" width height
 *             description|_description [equiv="other part of the brand"]>
 *     <Label-rectangle width height round> | <Label-round radius> |
 *     <Label-ellipse width height> | <Label-cd radius>
 *       <Layout nx ny x0 y0 dx dy/>...
 * Lengths carry their unit ("99.1mm", "0.5in", "12pt"; bare: points).  Only
 * the first label of a product is read (gLabels' own rule); roll labels
 * (Label-continuous) and products on paper sizes not known here are passed
 * over: they are not sheets vncert can place records on.
 */
#include "template/sheet.h"

#include <dirent.h>
#include <expat.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/i18n.h"
#include "core/mem.h"
#include "core/text.h"

struct vc_sheet_db {
  vc_sheet_t *items;
  char **equiv;      /* per item: the part it copies, or NULL */
  size_t n, cap, ecap;
};

/* Caps: one products file at most 16 MiB (glabels-data's largest is 300 KiB),
 * at most 20,000 products in all. */
#define FILE_MAX (16u << 20)
#define PRODUCTS_MAX 20000

static const struct { const char *id; double w, h; } papers[] = {
    {"A4", 210, 297},           {"US-Letter", 215.9, 279.4}, {"US-Legal", 215.9, 355.6},
    {"A3", 297, 420},           {"A5", 148, 210},            {"A6", 105, 148},
    {"B5", 176, 250},           {"US-Executive", 184.15, 266.7}};

bool vc_sheet_length(const char *s, double *mm) {
  if (!s) return false;
  size_t n = strlen(s), k = n;
  while (k > 0 && ((s[k - 1] >= 'a' && s[k - 1] <= 'z') || (s[k - 1] >= 'A' && s[k - 1] <= 'Z'))) k--;
  char num[64];
  if (k == 0 || k >= sizeof num) return false;
  memcpy(num, s, k);
  num[k] = '\0';
  /* strtod reads decimal commas under fr_FR: by hand, digits, one dot and an
   * exponent (gLabels writes "3.93386e-16pt") */
  double v = 0, scale = 0;
  const char *p = num;
  bool neg = *p == '-', digits = false;
  if (*p == '-' || *p == '+') p++;
  for (; *p && *p != 'e' && *p != 'E'; p++) {
    if (*p == '.' && scale == 0) scale = 1;
    else if (*p >= '0' && *p <= '9') {
      digits = true;
      if (scale) scale /= 10, v += (*p - '0') * scale;
      else v = v * 10 + (*p - '0');
    } else
      return false;
  }
  if (*p) { /* e-16 */
    bool eneg = p[1] == '-';
    int e = 0;
    p += p[1] == '-' || p[1] == '+' ? 2 : 1;
    if (!*p) return false;
    for (; *p; p++) {
      if (*p < '0' || *p > '9' || e > 99) return false;
      e = e * 10 + (*p - '0');
    }
    while (e-- > 0) v = eneg ? v / 10 : v * 10;
  }
  if (!digits || v > 1e6) return false;
  const char *u = s + k;
  double f;
  if (!*u || !vc_ascii_casecmp(u, "pt")) f = 25.4 / 72;
  else if (!vc_ascii_casecmp(u, "mm")) f = 1;
  else if (!vc_ascii_casecmp(u, "cm")) f = 10;
  else if (!vc_ascii_casecmp(u, "in")) f = 25.4;
  else if (!vc_ascii_casecmp(u, "pc")) f = 25.4 / 6;
  else return false;
  *mm = (neg ? -v : v) * f;
  return true;
}

/* ---- one file's parse ---- */

typedef struct parse {
  vc_sheet_db_t *db;
  XML_Parser x;
  const char *path;
  vc_diag_t *d;
  int depth, tpl_depth; /* tpl_depth: the open <Template>'s, or 0 */
  bool in_label, label_done, skip, nomem;
  vc_sheet_t cur;
  char *equiv;
} parse_t;

static const char *attr(const XML_Char **a, const char *name) {
  for (; a && a[0]; a += 2)
    if (!strcmp(a[0], name)) return a[1];
  return NULL;
}

static void warn(parse_t *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn(parse_t *p, const char *fmt, ...) {
  char msg[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, vc__gettext(fmt), ap);
  va_end(ap);
  vc_diag_add(p->d, VC_WARN, p->path, (int)XML_GetCurrentLineNumber(p->x), 0, "%s", msg);
}

static bool len_attr(parse_t *p, const XML_Char **a, const char *name, double *mm) {
  const char *v = attr(a, name);
  if (v && vc_sheet_length(v, mm) && *mm >= 0) return true;
  return false;
}

static void template_start(parse_t *p, const XML_Char **a) {
  vc_sheet_clear(&p->cur);
  free(p->equiv);
  p->equiv = NULL;
  p->tpl_depth = p->depth;
  p->in_label = p->label_done = p->skip = false;
  const char *brand = attr(a, "brand"), *part = attr(a, "part"), *size = attr(a, "size");
  const char *desc = attr(a, "description");
  if (!desc) desc = attr(a, "_description");
  const char *eq = attr(a, "equiv");
  if (!brand || !part || (!size && !eq)) {
    p->skip = true;
    return;
  }
  p->cur.brand = strdup(brand);
  p->cur.part = strdup(part);
  p->cur.description = desc ? strdup(desc) : NULL;
  p->cur.source = strdup(p->path);
  if (!p->cur.brand || !p->cur.part || (desc && !p->cur.description) || !p->cur.source)
    p->nomem = true;
  if (eq) {
    if (!(p->equiv = strdup(eq))) p->nomem = true;
    return;
  }
  size_t i = 0;
  for (; i < sizeof papers / sizeof *papers; i++)
    if (!strcmp(size, papers[i].id)) break;
  if (i < sizeof papers / sizeof *papers) {
    p->cur.paper_w = papers[i].w, p->cur.paper_h = papers[i].h;
  } else if (!strcmp(size, "Other")) {
    if (!len_attr(p, a, "width", &p->cur.paper_w) || !len_attr(p, a, "height", &p->cur.paper_h))
      warn(p, "product %s: size=\"Other\" needs width= and height=; passed over", part), p->skip = true;
  } else {
    p->skip = true; /* a paper vncert does not know (roll, envelope): not a sheet */
  }
}

static void label_start(parse_t *p, const char *el, const XML_Char **a) {
  vc_sheet_t *s = &p->cur;
  p->in_label = true;
  bool ok;
  if (!strcmp(el, "Label-rectangle")) {
    s->shape = VC_SHEET_RECT;
    ok = len_attr(p, a, "width", &s->label_w) && len_attr(p, a, "height", &s->label_h);
    if (attr(a, "round") && !len_attr(p, a, "round", &s->radius)) s->radius = 0; /* as gLabels */
  } else if (!strcmp(el, "Label-ellipse")) {
    s->shape = VC_SHEET_ELLIPSE;
    ok = len_attr(p, a, "width", &s->label_w) && len_attr(p, a, "height", &s->label_h);
  } else if (!strcmp(el, "Label-round") || !strcmp(el, "Label-cd")) {
    double r;
    s->shape = VC_SHEET_ROUND;
    ok = len_attr(p, a, "radius", &r);
    s->label_w = s->label_h = 2 * r;
  } else { /* Label-continuous, Label-path: not a grid of cells */
    p->skip = true;
    return;
  }
  if (!ok) warn(p, "product %s: a label without a readable size; passed over", s->part), p->skip = true;
}

static void layout_start(parse_t *p, const XML_Char **a) {
  vc_sheet_t *s = &p->cur;
  if (s->ngrids == VC_SHEET_MAX_GRIDS) {
    warn(p, "product %s: more than 4 layouts; passed over", s->part);
    p->skip = true;
    return;
  }
  vc_sheet_grid_t *g = &s->grids[s->ngrids];
  const char *nx = attr(a, "nx"), *ny = attr(a, "ny");
  g->nx = nx ? atoi(nx) : 0, g->ny = ny ? atoi(ny) : 0;
  /* an empty x0 or y0 is 0, as gLabels reads it */
  const char *x0 = attr(a, "x0"), *y0 = attr(a, "y0");
  bool ok = g->nx >= 1 && g->ny >= 1 && g->nx <= VC_SHEET_MAX_CELLS && g->ny <= VC_SHEET_MAX_CELLS &&
            x0 && y0 && (!*x0 || len_attr(p, a, "x0", &g->x0)) &&
            (!*y0 || len_attr(p, a, "y0", &g->y0));
  if (x0 && !*x0) g->x0 = 0;
  if (y0 && !*y0) g->y0 = 0;
  g->dx = g->dy = 0;
  if (ok && attr(a, "dx")) ok = len_attr(p, a, "dx", &g->dx);
  if (ok && attr(a, "dy")) ok = len_attr(p, a, "dy", &g->dy);
  if (!ok) {
    warn(p, "product %s: a <Layout> without readable nx, ny, x0, y0, dx, dy; passed over", s->part);
    p->skip = true;
    return;
  }
  s->ngrids++;
}

static void XMLCALL on_start(void *ud, const XML_Char *el, const XML_Char **a) {
  parse_t *p = ud;
  p->depth++;
  if (!strcmp(el, "Template")) {
    if (!p->tpl_depth) template_start(p, a);
    return;
  }
  if (!p->tpl_depth || p->skip || p->equiv) return;
  if (!strncmp(el, "Label-", 6) && !p->in_label && !p->label_done)
    label_start(p, el, a);
  else if (!strcmp(el, "Layout") && p->in_label)
    layout_start(p, a);
}

static bool db_push(vc_sheet_db_t *db, vc_sheet_t *s, char *equiv) {
  if (db->n >= PRODUCTS_MAX) return false;
  size_t cap = db->cap;
  if (!vc_array_grow(&db->items, db->n, &db->cap, sizeof *db->items, 256)) return false;
  if (!vc_array_grow(&db->equiv, db->n, &db->ecap, sizeof *db->equiv, 256)) {
    db->cap = cap > db->cap ? cap : db->cap;
    return false;
  }
  db->items[db->n] = *s;
  db->equiv[db->n++] = equiv;
  memset(s, 0, sizeof *s);
  return true;
}

static void XMLCALL on_end(void *ud, const XML_Char *el) {
  parse_t *p = ud;
  if (p->tpl_depth && p->depth == p->tpl_depth && !strcmp(el, "Template")) {
    p->tpl_depth = 0;
    bool whole = p->equiv || (p->cur.ngrids > 0 && p->cur.label_w > 0 && p->cur.label_h > 0);
    if (!p->skip && p->cur.brand && whole) {
      if (!db_push(p->db, &p->cur, p->equiv)) {
        if (p->db->n < PRODUCTS_MAX) p->nomem = true;
        free(p->equiv);
      }
      p->equiv = NULL;
    }
    vc_sheet_clear(&p->cur);
  } else if (p->in_label && !strncmp(el, "Label-", 6)) {
    p->in_label = false;
    p->label_done = true;
  }
  p->depth--;
}

bool vc_sheet_db_parse(vc_sheet_db_t *db, const char *buf, size_t len, const char *path,
                       vc_diag_t *d) {
  parse_t p = {.db = db, .path = path, .d = d};
  if (len > FILE_MAX) {
    vc_diag_add(d, VC_E_LIMIT, path, 0, 0, "the label products file is larger than 16 MiB");
    return false;
  }
  if (!(p.x = XML_ParserCreate("UTF-8"))) {
    vc_diag_add(d, VC_E_NOMEM, path, 0, 0, "out of memory reading label products");
    return false;
  }
  XML_SetUserData(p.x, &p);
  XML_SetElementHandler(p.x, on_start, on_end);
  bool ok = XML_Parse(p.x, buf, (int)len, 1) == XML_STATUS_OK;
  if (!ok && !p.nomem)
    vc_diag_add(d, VC_E_INPUT, path, (int)XML_GetCurrentLineNumber(p.x),
                (int)XML_GetCurrentColumnNumber(p.x) + 1,
                "not a gLabels templates file: %s", XML_ErrorString(XML_GetErrorCode(p.x)));
  if (p.nomem) vc_diag_add(d, VC_E_NOMEM, path, 0, 0, "out of memory reading label products");
  XML_ParserFree(p.x);
  vc_sheet_clear(&p.cur);
  free(p.equiv);
  return ok && !p.nomem;
}

/* ---- files and folders ---- */

static bool add_file(vc_sheet_db_t *db, const char *path, vc_diag_t *d) {
  FILE *fp = fopen(path, "rb");
  if (!fp) {
    vc_diag_add(d, VC_E_IO, path, 0, 0, "cannot open this label products file");
    return false;
  }
  size_t cap = 1 << 16, n = 0;
  char *buf = malloc(cap);
  while (buf) {
    if (n == cap) {
      char *nb = cap <= FILE_MAX ? realloc(buf, cap * 2) : NULL;
      if (!nb) break;
      buf = nb, cap *= 2;
    }
    size_t got = fread(buf + n, 1, cap - n, fp);
    if (!got) break;
    n += got;
  }
  fclose(fp);
  bool ok = buf && vc_sheet_db_parse(db, buf, n, path, d);
  if (!buf) vc_diag_add(d, VC_E_NOMEM, path, 0, 0, "out of memory reading label products");
  free(buf);
  return ok;
}

static int name_cmp(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

bool vc_sheet_db_add_path(vc_sheet_db_t *db, const char *path, vc_diag_t *d) {
  struct stat st;
  if (stat(path, &st) != 0) {
    vc_diag_add(d, VC_E_IO, path, 0, 0, "no such label products file or folder");
    return false;
  }
  if (!S_ISDIR(st.st_mode)) return add_file(db, path, d);
  DIR *dp = opendir(path);
  if (!dp) return true;
  char **names = NULL;
  size_t n = 0, cap = 0;
  bool ok = true;
  for (struct dirent *e; ok && (e = readdir(dp));) {
    size_t l = strlen(e->d_name);
    if (l < 5 || vc_ascii_casecmp(e->d_name + l - 4, ".xml") || !strcmp(e->d_name, "paper-sizes.xml") ||
        !strcmp(e->d_name, "categories.xml") || e->d_name[0] == '.')
      continue;
    ok = vc_array_grow(&names, n, &cap, sizeof *names, 16) && (names[n] = strdup(e->d_name));
    if (ok) n++;
  }
  closedir(dp);
  /* file order decides which of two same-named products is found: sorted */
  if (names) qsort(names, n, sizeof *names, name_cmp);
  for (size_t i = 0; i < n; i++) {
    char full[4096];
    snprintf(full, sizeof full, "%s/%s", path, names[i]);
    if (ok && !add_file(db, full, d) && vc_diag_status(d) == VC_E_NOMEM) ok = false;
    free(names[i]);
  }
  free(names);
  if (!ok && vc_diag_status(d) != VC_E_NOMEM)
    vc_diag_add(d, VC_E_NOMEM, path, 0, 0, "out of memory reading label products");
  return ok;
}

#ifndef VC_DATADIR /* the Makefile's; a build without it (the fuzz targets) */
#define VC_DATADIR "/usr/local/share/vncert"
#endif
static const char *g_data_dir;

void vc_sheets_set_data_dir(const char *dir) { g_data_dir = dir; }

bool vc_sheet_db_add_defaults(vc_sheet_db_t *db, vc_diag_t *d) {
  char p[4096];
  struct stat st;
  const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
  if (xdg && *xdg) snprintf(p, sizeof p, "%s/vncert/sheets", xdg);
  else if (home && *home) snprintf(p, sizeof p, "%s/.config/vncert/sheets", home);
  else p[0] = '\0';
  bool ok = true;
  if (*p && stat(p, &st) == 0) ok = vc_sheet_db_add_path(db, p, d) || vc_diag_status(d) != VC_E_NOMEM;
  const char *dd = getenv("VNCERT_DATADIR");
  if (!dd || !*dd) dd = g_data_dir;
  if (!dd) dd = VC_DATADIR;
  snprintf(p, sizeof p, "%s/templates/sheets", dd);
  if (ok && stat(p, &st) == 0) ok = vc_sheet_db_add_path(db, p, d) || vc_diag_status(d) != VC_E_NOMEM;
  const char *gl = getenv("VNCERT_GLABELS_DIR");
  if (!gl) gl = "/usr/share/libglabels-3.0/templates";
  if (ok && *gl && stat(gl, &st) == 0) ok = vc_sheet_db_add_path(db, gl, d) || vc_diag_status(d) != VC_E_NOMEM;
  return ok;
}

/* ---- the set ---- */

vc_sheet_db_t *vc_sheet_db_create(void) { return calloc(1, sizeof(vc_sheet_db_t)); }

void vc_sheet_db_free(vc_sheet_db_t *db) {
  if (!db) return;
  for (size_t i = 0; i < db->n; i++) vc_sheet_clear(&db->items[i]), free(db->equiv[i]);
  free(db->items);
  free(db->equiv);
  free(db);
}

size_t vc_sheet_db_count(const vc_sheet_db_t *db) { return db ? db->n : 0; }
const vc_sheet_t *vc_sheet_db_get(const vc_sheet_db_t *db, size_t i) { return &db->items[i]; }

/* "Avery L7163" -> "averyl7163": ASCII folded, spaces dropped (UTF-8 kept). */
static void norm(const char *s, char *out, size_t n) {
  size_t k = 0;
  for (; s && *s && k + 1 < n; s++)
    if (*s != ' ' && *s != '\t') out[k++] = (char)vc_ascii_lower((unsigned char)*s);
  out[k] = '\0';
}

static void key_of(const vc_sheet_t *s, char *out, size_t n) {
  char both[512];
  snprintf(both, sizeof both, "%s %s", s->brand ? s->brand : "", s->part ? s->part : "");
  norm(both, out, n);
}

void vc_sheet_db_finish(vc_sheet_db_t *db) {
  for (size_t i = 0; i < db->n; i++) {
    if (!db->equiv[i]) continue;
    vc_sheet_t *s = &db->items[i];
    const vc_sheet_t *src = NULL;
    for (size_t j = 0; j < db->n && !src; j++)
      if (!db->equiv[j] && !strcmp(db->items[j].brand, s->brand) &&
          !strcmp(db->items[j].part, db->equiv[i]))
        src = &db->items[j];
    free(db->equiv[i]);
    db->equiv[i] = NULL;
    if (src) { /* the geometry and description of the one it copies */
      char *keep[3] = {s->brand, s->part, s->source};
      vc_sheet_t *c = vc_sheet_dup(src);
      if (c) {
        free(c->brand), free(c->part), free(c->source);
        c->brand = keep[0], c->part = keep[1], c->source = keep[2];
        free(s->description);
        *s = *c;
        free(c);
        continue;
      }
    }
    s->ngrids = 0; /* unresolved: kept out of searches and finds */
  }
}

const vc_sheet_t *vc_sheet_db_find(const vc_sheet_db_t *db, const char *name) {
  char want[512], k[512];
  norm(name, want, sizeof want);
  if (!*want) return NULL;
  const vc_sheet_t *by_part = NULL;
  int nparts = 0;
  for (size_t i = 0; i < db->n; i++) {
    const vc_sheet_t *s = &db->items[i];
    if (!s->ngrids) continue;
    key_of(s, k, sizeof k);
    if (!strcmp(k, want)) return s;
    norm(s->part, k, sizeof k);
    if (!strcmp(k, want) && (!by_part || strcmp(by_part->brand, s->brand))) by_part = s, nparts++;
  }
  return nparts == 1 ? by_part : NULL;
}

size_t vc_sheet_db_suggest(const vc_sheet_db_t *db, const char *name, const vc_sheet_t **out,
                           size_t max) {
  char want[512], k[512];
  norm(name, want, sizeof want);
  size_t best[16], n = 0;
  if (max > 16) max = 16;
  size_t *score = calloc(db->n ? db->n : 1, sizeof *score);
  if (!score) return 0;
  for (size_t i = 0; i < db->n; i++) {
    const vc_sheet_t *s = &db->items[i];
    score[i] = SIZE_MAX;
    if (!s->ngrids) continue;
    key_of(s, k, sizeof k);
    size_t dk = vc_text_edit_distance(want, k);
    norm(s->part, k, sizeof k);
    size_t dp = vc_text_edit_distance(want, k) + 1; /* the brand left out: a little further */
    score[i] = dk < dp ? dk : dp;
    if (*want && strstr(k, want)) score[i] = 1;
    /* insertion into the best so far, in order */
    size_t at = n < max ? n++ : max;
    while (at > 0 && score[best[at - 1]] > score[i]) {
      if (at < max) best[at] = best[at - 1];
      at--;
    }
    if (at < max) best[at] = i;
  }
  size_t m = 0;
  for (size_t i = 0; i < n; i++)
    if (score[best[i]] <= strlen(want) / 2 + 2) out[m++] = &db->items[best[i]];
  free(score);
  return m;
}

/* ---- vncert sheets: the public search (vncert.h) ---- */

static int info_cmp(const void *a, const void *b) {
  const vc_sheet_info_t *x = a, *y = b;
  int r = vc_ascii_casecmp(x->brand, y->brand);
  return r ? r : vc_ascii_casecmp(x->part, y->part);
}

/* Does every word of folded `want` occur in the product's folded text? */
static bool matches(const vc_sheet_t *s, const char *want) {
  char hay[800], sz[64], a[32], b[32];
  snprintf(sz, sizeof sz, "%sx%s", vc_text_fmt_num(s->label_w, a, sizeof a),
           vc_text_fmt_num(s->label_h, b, sizeof b));
  snprintf(hay, sizeof hay, "%s %s %s %s", s->brand, s->part, s->description ? s->description : "", sz);
  char *f = vc_text_fold_search(hay);
  if (!f) return false;
  bool ok = true;
  const char *w = want;
  while (ok && *w) {
    const char *e = strchr(w, ' ');
    size_t n = e ? (size_t)(e - w) : strlen(w);
    char word[128];
    snprintf(word, sizeof word, "%.*s", (int)(n < sizeof word ? n : sizeof word - 1), w);
    ok = strstr(f, word) != NULL;
    w += n;
    while (*w == ' ') w++;
  }
  free(f);
  return ok;
}

static void info_of(const vc_sheet_t *s, vc_sheet_info_t *o) {
  static const char *const shapes[] = {"rectangle", "round", "ellipse"};
  snprintf(o->brand, sizeof o->brand, "%s", s->brand);
  snprintf(o->part, sizeof o->part, "%s", s->part);
  snprintf(o->description, sizeof o->description, "%s", s->description ? s->description : "");
  snprintf(o->source, sizeof o->source, "%s", s->source ? s->source : "");
  o->paper_w_mm = s->paper_w, o->paper_h_mm = s->paper_h;
  o->label_w_mm = s->label_w, o->label_h_mm = s->label_h;
  o->per_sheet = vc_sheet_ncells(s);
  o->columns = s->grids[0].nx, o->rows = s->grids[0].ny;
  o->shape = shapes[s->shape];
}

bool vc_sheets_search(const char *text, const char *const *extra, size_t nextra,
                      vc_sheet_info_t **list, size_t *n, vc_diag_t *d) {
  *list = NULL;
  *n = 0;
  vc_sheet_db_t *db = vc_sheet_db_create();
  char *want = vc_text_fold_search(text ? text : "");
  bool ok = db && want;
  for (size_t i = 0; ok && i < nextra; i++) ok = vc_sheet_db_add_path(db, extra[i], d);
  if (ok) ok = vc_sheet_db_add_defaults(db, d);
  if (ok) vc_sheet_db_finish(db);
  vc_sheet_info_t *out = ok ? calloc(db->n ? db->n : 1, sizeof *out) : NULL;
  if (ok && !out) ok = false;
  for (size_t i = 0; ok && i < db->n; i++)
    if (db->items[i].ngrids && matches(&db->items[i], want)) info_of(&db->items[i], &out[(*n)++]);
  if (ok && *n) qsort(out, *n, sizeof *out, info_cmp);
  if (!ok && (!db || !want || vc_diag_status(d) == VC_OK))
    vc_diag_add(d, VC_E_NOMEM, NULL, 0, 0, "out of memory listing label products");
  if (!ok) free(out), out = NULL, *n = 0;
  *list = out;
  free(want);
  vc_sheet_db_free(db);
  return ok;
}
