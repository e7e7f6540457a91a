/*
 * template.c - loading a template: the file, the top-level sections (title,
 * page, fonts, fields, values, sample, background) and the checks across
 * them; elements are in template-elements.c.  Format: templates/README.md.
 *
 * Every section is read even after a problem, so a clerk sees all mistakes
 * of the file in one run; the template is returned only when there was none.
 */
#include "template/template-internal.h"
#include "template/template-list.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/date.h"
#include "core/i18n.h"
#include "core/money.h"
#include "core/text.h"
#include "ledger/ledger.h"
#include "template/sheet.h"

static const char *const top_keys[] = {"title",  "page",       "fonts",
                                       "fields", "values",     "sample",
                                       "background", "elements", "serial",
                                       "list", "sheet", "form", NULL};

/* ---- page ---- */

static const struct { const char *name; double w, h; } page_sizes[] = {
    {"A3", 297, 420},      {"A4", 210, 297},        {"A5", 148, 210},
    {"A6", 105, 148},      {"B5", 176, 250},        {"Letter", 215.9, 279.4},
    {"Legal", 215.9, 355.6}};
#define NSIZES (sizeof page_sizes / sizeof *page_sizes)

/* PDF viewers cap pages at 200 inches; below 10 mm nothing fits. */
#define PAGE_MIN_MM 10.0
#define PAGE_MAX_MM 5080.0

static void read_page(vc_tctx_t *c, const vc_tnode_t *page) {
  static const char *const keys[] = {"size", "orientation", NULL};
  static const char *const orients[] = {"portrait", "landscape", NULL};
  vc_template_t *t = c->t;
  t->page_w = 210, t->page_h = 297; /* A4 portrait unless told otherwise */
  if (!page || !vc__tn_check_keys(c, page, keys, _("the page section"))) return;
  /* Boxes cannot be checked against a page we are not sure of: that would
   * only repeat a problem here once per element. */
  size_t nerr0 = c->nerr;
  const vc_tnode_t *size = vc__tn_get(page, "size");
  if (size && size->kind == VC_TN_SEQ) {
    double wh[2];
    if (vc__tn_numbers(c, size, "size", wh, 2)) {
      char a[32], b[32];
      if (wh[0] < PAGE_MIN_MM || wh[0] > PAGE_MAX_MM || wh[1] < PAGE_MIN_MM ||
          wh[1] > PAGE_MAX_MM)
        vc__tctx_err(c, size, VC_E_INPUT,
                    "size: [%s, %s] mm is not a possible page; each side must "
                    "be between 10 and 5080 mm", vc_text_fmt_num(wh[0], a, sizeof a),
                    vc_text_fmt_num(wh[1], b, sizeof b));
      else
        t->page_w = wh[0], t->page_h = wh[1];
    }
  } else if (size) {
    const char *s;
    if (vc__tn_string(c, size, "size", &s)) {
      const char *names[NSIZES];
      size_t i = 0;
      for (; i < NSIZES; i++) {
        names[i] = page_sizes[i].name;
        if (!vc_ascii_casecmp(s, page_sizes[i].name)) break;
      }
      if (i < NSIZES) {
        t->page_w = page_sizes[i].w, t->page_h = page_sizes[i].h;
      } else {
        char dym[160];
        vc__tctx_err(c, size, VC_E_INPUT,
                    "size: unknown paper size '%s'%s; use A3, A4, A5, A6, "
                    "B5, Letter, Legal or [width, height] in mm", s,
                    vc__tmpl_did_you_mean(vc__tmpl_suggest(s, names, NSIZES), dym, sizeof dym));
      }
    }
  }
  const vc_tnode_t *on = vc__tn_get(page, "orientation");
  int o = 0;
  if (on && vc__tn_enum(c, on, "orientation", orients, &o)) {
    /* Named sizes are stored portrait; an explicit orientation also turns a
     * custom [w, h] the asked way round. */
    double lo = t->page_w < t->page_h ? t->page_w : t->page_h;
    double hi = t->page_w < t->page_h ? t->page_h : t->page_w;
    t->page_w = o ? hi : lo;
    t->page_h = o ? lo : hi;
  }
  c->page_unsure = c->nerr != nerr0;
}

/* ---- fonts ---- */

static void read_fonts(vc_tctx_t *c, const vc_tnode_t *fonts) {
  static const char *const keys[] = {"family", "style", "file", NULL};
  vc_template_t *t = c->t;
  if (fonts && fonts->kind == VC_TN_SCALAR && fonts->null) fonts = NULL;
  if (fonts && vc__tn_check_keys(c, fonts, NULL, _("the fonts section")) && fonts->nkids) {
    t->fonts = calloc(fonts->nkids / 2, sizeof *t->fonts);
    if (!t->fonts) { vc__tctx_nomem(c); return; }
    for (size_t i = 0; i + 1 < fonts->nkids; i += 2) {
      const vc_tnode_t *k = fonts->kids[i], *v = fonts->kids[i + 1];
      if (k->kind != VC_TN_SCALAR) continue;
      vc_tfont_t *f = &t->fonts[t->nfonts++];
      f->line = k->line;
      if (!(f->name = strdup(k->str))) { vc__tctx_nomem(c); return; }
      const char *s;
      if (!*k->str) vc__tctx_err(c, k, VC_E_INPUT, "a font needs a name");
      if (v->kind == VC_TN_SCALAR) { /* serif: Noto Serif */
        if (vc__tn_string(c, v, k->str, &s) && !(f->family = strdup(s)))
          { vc__tctx_nomem(c); return; }
        continue;
      }
      char where[160];
      snprintf(where, sizeof where, _("font '%.100s'"), k->str);
      if (!vc__tn_check_keys(c, v, keys, where)) continue;
      const vc_tnode_t *fam = vc__tn_get(v, "family"), *sty = vc__tn_get(v, "style"),
                       *file = vc__tn_get(v, "file");
      if (fam && file) {
        vc__tctx_err(c, v, VC_E_INPUT,
                    "font '%s': give either family: (an installed font) or "
                    "file: (a font file), not both", k->str);
      } else if (!fam && !file) {
        vc__tctx_err(c, v, VC_E_INPUT,
                    "font '%s': needs family: (e.g. Noto Serif) or file: (a "
                    ".ttf/.otf file)", k->str);
      }
      if (fam && vc__tn_string(c, fam, "family", &s) && !(f->family = strdup(s)))
        { vc__tctx_nomem(c); return; }
      if (sty && file)
        vc__tctx_err(c, sty, VC_E_INPUT,
                    "style: applies to family: fonts; a font file has its own "
                    "style");
      else if (sty && vc__tn_string(c, sty, "style", &s) && !(f->style = strdup(s)))
        { vc__tctx_nomem(c); return; }
      if (file && vc__tn_string(c, file, "file", &s))
        f->file = vc__tmpl_resolve_file(c, file, "file", s, false);
    }
  }
  if (t->nfonts == 0) { /* the documented default */
    /* The map may have been allocated and then held only refused keys
     * (e.g. a complex "? key"): replace it, not leak it. */
    free(t->fonts);
    if (!(t->fonts = calloc(1, sizeof *t->fonts))) { vc__tctx_nomem(c); return; }
    t->nfonts = 1;
    t->fonts[0].name = strdup("serif");
    t->fonts[0].family = strdup("Noto Serif");
    if (!t->fonts[0].name || !t->fonts[0].family) vc__tctx_nomem(c);
  }
}

/* ---- fields ---- */

/* A field key is what vc_text_fold_key() produces: [a-z0-9] words joined by
 * single '_'. */
static bool valid_field_key(const char *k) {
  if (!*k || *k == '_') return false;
  for (const char *p = k; *p; p++) {
    bool ok = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_';
    if (!ok || (*p == '_' && (p[1] == '_' || p[1] == '\0'))) return false;
  }
  return true;
}

static bool add_alias(vc_tctx_t *c, vc_field_spec_t *f, const vc_tnode_t *n) {
  const char *s;
  if (!vc__tn_string(c, n, "aliases", &s)) return true;
  if (!*s) {
    vc__tctx_err(c, n, VC_E_INPUT, "aliases: an empty column name");
    return true;
  }
  if (!(f->aliases[f->naliases] = strdup(s))) return false;
  f->naliases++;
  return true;
}

static void read_field(vc_tctx_t *c, vc_field_spec_t *f, const vc_tnode_t *k,
                       const vc_tnode_t *v) {
  static const char *const keys[] = {"aliases", "required", "type", "default", NULL};
  static const char *const types[] = {"text", "amount", "date", NULL};
  if (!valid_field_key(k->str)) {
    char *fk = vc_text_fold_key(k->str);
    vc__tctx_err(c, k, VC_E_INPUT,
                "field name '%s' must be lower-case letters a-z, digits and _ "
                "(like %s); put the spreadsheet's spellings under aliases:",
                k->str, fk && *fk ? fk : "ho_ten");
    free(fk);
  }
  if (v->kind == VC_TN_SCALAR && v->null) return;
  char where[160];
  snprintf(where, sizeof where, _("field '%.100s'"), k->str);
  if (v->kind != VC_TN_MAP) {
    vc__tctx_err(c, v, VC_E_INPUT,
                "field '%s': write its details in braces, like %s: {aliases: "
                "[Họ và tên], required: true}", k->str, k->str);
    return;
  }
  if (!vc__tn_check_keys(c, v, keys, where)) return;
  const vc_tnode_t *al = vc__tn_get(v, "aliases"), *rq = vc__tn_get(v, "required"),
                   *ty = vc__tn_get(v, "type"), *df = vc__tn_get(v, "default");
  if (al) {
    size_t n = al->kind == VC_TN_SEQ ? al->nkids : 1;
    if (!(f->aliases = calloc(n ? n : 1, sizeof *f->aliases))) { vc__tctx_nomem(c); return; }
    if (al->kind == VC_TN_SEQ) {
      for (size_t i = 0; i < al->nkids; i++)
        if (!add_alias(c, f, al->kids[i])) { vc__tctx_nomem(c); return; }
    } else if (!add_alias(c, f, al)) {
      { vc__tctx_nomem(c); return; }
    }
  }
  if (rq) vc__tn_bool(c, rq, "required", &f->required);
  int type = 0;
  if (ty && vc__tn_enum(c, ty, "type", types, &type)) f->type = (vc_field_type_t)type;
  const char *s;
  if (df && vc__tn_string(c, df, "default", &s)) {
    if (!(f->dflt = strdup(s))) { vc__tctx_nomem(c); return; }
    char why[160];
    uint64_t amount;
    vc_date_t date;
    if (f->type == VC_FIELD_AMOUNT && *s && !vc_money_parse(s, &amount, why, sizeof why))
      vc__tctx_err(c, df, VC_E_INPUT, "default: '%s' is not an amount (%s)", s, why);
    if (f->type == VC_FIELD_DATE && *s && !vc_date_parse(s, &date, why, sizeof why))
      vc__tctx_err(c, df, VC_E_INPUT, "default: '%s' is not a date (%s)", s, why);
  }
}

static void read_fields(vc_tctx_t *c, const vc_tnode_t *fields) {
  vc_template_t *t = c->t;
  if (!vc__tn_check_keys(c, fields, NULL, _("the fields section")) || !fields->nkids) return;
  if (!(t->fields = calloc(fields->nkids / 2, sizeof *t->fields)))
    { vc__tctx_nomem(c); return; }
  for (size_t i = 0; i + 1 < fields->nkids; i += 2) {
    const vc_tnode_t *k = fields->kids[i];
    if (k->kind != VC_TN_SCALAR) continue;
    vc_field_spec_t *f = &t->fields[t->nfields++];
    f->line = k->line;
    if (!(f->key = strdup(k->str))) { vc__tctx_nomem(c); return; }
    read_field(c, f, k, fields->kids[i + 1]);
  }
}

/* ---- values and sample: name -> text ---- */

static void read_kv(vc_tctx_t *c, const vc_tnode_t *map, const char *where,
                    vc_kv_t **out, size_t *nout) {
  if (!vc__tn_check_keys(c, map, NULL, where) || !map->nkids) return;
  if (!(*out = calloc(map->nkids / 2, sizeof **out))) { vc__tctx_nomem(c); return; }
  for (size_t i = 0; i + 1 < map->nkids; i += 2) {
    const vc_tnode_t *k = map->kids[i], *v = map->kids[i + 1];
    if (k->kind != VC_TN_SCALAR) continue;
    const char *s = "";
    if (!(v->kind == VC_TN_SCALAR && v->null) && !vc__tn_string(c, v, k->str, &s))
      continue;
    vc_kv_t *kv = &(*out)[(*nout)++];
    kv->key = strdup(k->str);
    kv->value = strdup(s);
    if (!kv->key || !kv->value) { vc__tctx_nomem(c); return; }
    char *fk = vc_text_fold_key(k->str);
    if (fk && !*fk)
      vc__tctx_err(c, k, VC_E_INPUT, "'%s' cannot be used as a placeholder "
                  "name; use letters or digits", k->str);
    free(fk);
  }
}

/* ---- names that would reach the same column or placeholder ---- */

typedef struct name_ent {
  char *fold;
  const vc_tnode_t *node;
  const char *text; /* as written */
  long owner;       /* field index, or -1 - value index */
} name_ent_t;

static int ent_cmp(const void *a, const void *b) {
  const name_ent_t *x = a, *y = b;
  int r = strcmp(x->fold, y->fold);
  if (r) return r;
  return (x->node->line > y->node->line) - (x->node->line < y->node->line);
}

static bool ent_add(name_ent_t *v, size_t *n, const vc_tnode_t *node,
                    const char *text, long owner) {
  char *f = vc_text_fold_key(text);
  if (!f) return false;
  if (!*f) return free(f), true;
  v[*n].fold = f;
  v[*n].node = node;
  v[*n].text = text;
  v[*n].owner = owner;
  (*n)++;
  return true;
}

/* Two fields claiming one column, or a value shadowing a field, make the
 * result depend on order: reported instead.  Sorting keeps it O(n log n). */
static void check_names(vc_tctx_t *c, const vc_tnode_t *fields,
                        const vc_tnode_t *values) {
  size_t cap = 0, n = 0;
  if (fields && fields->kind == VC_TN_MAP) {
    for (size_t i = 0; i + 1 < fields->nkids; i += 2) {
      const vc_tnode_t *al = vc__tn_get(fields->kids[i + 1], "aliases");
      cap += 1 + (al ? (al->kind == VC_TN_SEQ ? al->nkids : 1) : 0);
    }
  }
  if (values && values->kind == VC_TN_MAP) cap += values->nkids / 2;
  if (!cap) return;
  name_ent_t *v = calloc(cap, sizeof *v);
  if (!v) { vc__tctx_nomem(c); return; }
  bool ok = true;
  long fi = 0;
  for (size_t i = 0; ok && fields && fields->kind == VC_TN_MAP && i + 1 < fields->nkids; i += 2) {
    const vc_tnode_t *k = fields->kids[i];
    if (k->kind != VC_TN_SCALAR) continue;
    ok = ent_add(v, &n, k, k->str, fi);
    const vc_tnode_t *al = vc__tn_get(fields->kids[i + 1], "aliases");
    if (al && al->kind == VC_TN_SCALAR && !al->null)
      ok = ok && ent_add(v, &n, al, al->str, fi);
    for (size_t j = 0; ok && al && al->kind == VC_TN_SEQ && j < al->nkids; j++)
      if (al->kids[j]->kind == VC_TN_SCALAR && !al->kids[j]->null)
        ok = ent_add(v, &n, al->kids[j], al->kids[j]->str, fi);
    fi++;
  }
  long vi = 0;
  for (size_t i = 0; ok && values && values->kind == VC_TN_MAP && i + 1 < values->nkids; i += 2)
    if (values->kids[i]->kind == VC_TN_SCALAR)
      ok = ent_add(v, &n, values->kids[i], values->kids[i]->str, -1 - vi++);
  if (!ok) vc__tctx_nomem(c);
  qsort(v, n, sizeof *v, ent_cmp);
  for (size_t i = 0, run = 0; i < n; i++) {
    if (i == 0 || strcmp(v[i].fold, v[run].fold)) {
      run = i;
      continue;
    }
    const name_ent_t *a = &v[run], *b = &v[i];
    if (a->owner == b->owner) continue;
    if (a->owner >= 0 && b->owner >= 0)
      vc__tctx_err(c, b->node, VC_E_INPUT,
                  "'%s' would match the same column as '%s' of another field "
                  "(line %d); a column belongs to one field only",
                  b->text, a->text, a->node->line);
    else
      vc__tctx_err(c, b->node, VC_E_INPUT,
                  "'%s' is the same placeholder name as '%s' (line %d); "
                  "rename one of them", b->text, a->text, a->node->line);
  }
  for (size_t i = 0; i < n; i++) free(v[i].fold);
  free(v);
}

/* ---- serial: the ledger's pattern (issue 9) ---- */

/* `serial: "{year}/GK-{seq:04}"`: documents of this template get serials
 * from the issuance ledger; checked here so a bad pattern is a template
 * problem with its line, not a ledger one. */
static void read_serial(vc_tctx_t *c, const vc_tnode_t *n) {
  const char *s;
  if (!n || (n->kind == VC_TN_SCALAR && n->null) || !vc__tn_string(c, n, "serial", &s))
    return;
  vc_diag_t *pd = vc_diag_create();
  if (!pd) { vc__tctx_nomem(c); return; }
  if (vc_ledger_pattern_check(s, pd) != VC_OK) {
    const vc_diag_item_t *it = vc_diag_get(pd, 0);
    vc__tctx_err(c, n, VC_E_INPUT, "serial: %s", it ? it->msg : _("not a serial pattern"));
  } else if (!(c->t->serial = strdup(s)))
    vc__tctx_nomem(c);
  vc_diag_free(pd);
}

/* ---- the whole file ---- */

static void read_sections(vc_tctx_t *c, const vc_tnode_t *root) {
  vc_template_t *t = c->t;
  vc__tn_check_keys(c, root, top_keys, _("the template"));
  const char *s;
  const vc_tnode_t *n;
  if ((n = vc__tn_get(root, "title")) && !(n->kind == VC_TN_SCALAR && n->null) &&
      vc__tn_string(c, n, "title", &s) && !(t->title = strdup(s)))
    { vc__tctx_nomem(c); return; }
  if ((n = vc__tn_get(root, "page")) && n->kind == VC_TN_SCALAR && n->null) n = NULL;
  read_page(c, n);
  vc__tmpl_read_sheet(c, vc__tn_get(root, "sheet"), n); /* labels: issue 13 */
  read_serial(c, vc__tn_get(root, "serial"));
  read_fonts(c, vc__tn_get(root, "fonts"));
  const vc_tnode_t *fields = vc__tn_get(root, "fields");
  const vc_tnode_t *values = vc__tn_get(root, "values");
  if (fields && !(fields->kind == VC_TN_SCALAR && fields->null)) read_fields(c, fields);
  if (values && !(values->kind == VC_TN_SCALAR && values->null))
    read_kv(c, values, _("the values section"), &t->values, &t->nvalues);
  if ((n = vc__tn_get(root, "sample")) && !(n->kind == VC_TN_SCALAR && n->null))
    read_kv(c, n, _("the sample section"), &t->sample, &t->nsample);
  check_names(c, fields, values);
  if ((n = vc__tn_get(root, "background")) && vc__tn_string(c, n, "background", &s))
    t->background = vc__tmpl_resolve_file(c, n, "background", s, true);
  /* the pre-printed blank's scan: proof draws it, the paper already has it */
  if ((n = vc__tn_get(root, "form")) && vc__tn_string(c, n, "form", &s)) {
    if (t->sheet)
      vc__tctx_err_at(c, n->line, n->col, VC_E_INPUT,
                      "form: is the scan of a whole pre-printed page; a sheet of labels "
                      "(sheet:) has none (try --outlines for a test print)");
    else
      t->form = vc__tmpl_resolve_file(c, n, "form", s, true);
  }
  /* a sheet's elements are a label's: checked against the label */
  double pw = t->page_w, ph = t->page_h;
  vc_template_area(t, &t->page_w, &t->page_h);
  if ((n = vc__tn_get(root, "elements")))
    vc__tmpl_read_elements(c, n);
  t->page_w = pw, t->page_h = ph;
  if (!n)
    vc__tctx_err_at(c, 1, 1, VC_E_INPUT,
                   "the template has no elements: section, so it would print "
                   "nothing");
  if ((n = vc__tn_get(root, "list"))) {
    if (t->sheet) /* a sheet places records on labels, a list in rows: not both */
      vc__tctx_err_at(c, n->line, n->col, VC_E_INPUT,
                      "a template is a sheet of labels (sheet:) or a list (list:), not both");
    else
      vc__tmpl_read_list(c, n); /* issue 13 */
  }
}

/* The template's directory, absolute when the current one is known. */
static char *dir_of(const char *path) {
  const char *slash = strrchr(path, '/');
  char *d = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path))
                  : strdup(".");
  if (!d || d[0] == '/') return d;
  char cwd[4096];
  if (!getcwd(cwd, sizeof cwd)) return d;
  size_t need = strlen(cwd) + strlen(d) + 2;
  char *abs = malloc(need);
  if (abs) snprintf(abs, need, "%s/%s", cwd, strcmp(d, ".") ? d : "");
  if (abs && abs[strlen(abs) - 1] == '/' && strlen(abs) > 1) abs[strlen(abs) - 1] = '\0';
  free(d);
  return abs;
}

vc_template_t *vc_template_load_mem(const char *buf, size_t len,
                                    const char *path, vc_diag_t *d) {
  if (!buf) buf = "", len = 0; /* libyaml asserts on a NULL input */
  vc_tctx_t c = {.path = path ? path : "template", .d = d, .buf = buf, .len = len};
  if (len > VC_TEMPLATE_MAX_BYTES) {
    vc_diag_add(d, VC_E_LIMIT, c.path, 0, 0,
                "the template is %zu bytes; the limit is %u (1 MiB)", len,
                VC_TEMPLATE_MAX_BYTES);
    return NULL;
  }
  vc_template_t *t = calloc(1, sizeof *t);
  if (!t || !(t->path = strdup(c.path)) || !(t->dir = dir_of(c.path))) {
    vc_diag_add(d, VC_E_NOMEM, c.path, 0, 0, "out of memory");
    vc_template_free(t);
    return NULL;
  }
  c.t = t;
  vc_tnode_t *root = vc__tnode_parse(&c);
  if (root) read_sections(&c, root);
  vc__tnode_free(root);
  free(c.line_starts);
  if (c.nerr) {
    vc_template_free(t);
    return NULL;
  }
  return t;
}

vc_template_t *vc_template_load(const char *path, vc_diag_t *d) {
  FILE *fp = fopen(path, "rb");
  if (!fp) {
    vc_diag_add(d, VC_E_IO, path, 0, 0, "cannot open the template: %s",
                strerror(errno));
    return NULL;
  }
  /* Read at most one byte past the cap: enough to know it is too big,
   * whatever kind of file this is. */
  size_t cap = 64 * 1024, n = 0;
  char *buf = malloc(cap);
  while (buf) {
    if (n == cap) {
      size_t ncap = cap * 2 > VC_TEMPLATE_MAX_BYTES + 1 ? VC_TEMPLATE_MAX_BYTES + 1 : cap * 2;
      char *nb = ncap > cap ? realloc(buf, ncap) : NULL;
      if (!nb) break;
      buf = nb;
      cap = ncap;
    }
    size_t got = fread(buf + n, 1, cap - n, fp);
    n += got;
    if (got == 0) break;
  }
  bool err = ferror(fp);
  fclose(fp);
  if (!buf || (n == cap && n <= VC_TEMPLATE_MAX_BYTES)) {
    free(buf);
    vc_diag_add(d, VC_E_NOMEM, path, 0, 0, "out of memory");
    return NULL;
  }
  if (err) {
    free(buf);
    vc_diag_add(d, VC_E_IO, path, 0, 0, "cannot read the template");
    return NULL;
  }
  if (n > VC_TEMPLATE_MAX_BYTES) {
    free(buf);
    vc_diag_add(d, VC_E_LIMIT, path, 0, 0,
                "the template is larger than the limit of %u bytes (1 MiB)",
                VC_TEMPLATE_MAX_BYTES);
    return NULL;
  }
  vc_template_t *t = vc_template_load_mem(buf, n, path, d);
  free(buf);
  return t;
}

void vc_template_free(vc_template_t *t) {
  if (!t) return;
  free(t->path);
  free(t->dir);
  free(t->title);
  free(t->serial);
  for (size_t i = 0; i < t->nfonts; i++) {
    free(t->fonts[i].name);
    free(t->fonts[i].family);
    free(t->fonts[i].style);
    free(t->fonts[i].file);
  }
  free(t->fonts);
  for (size_t i = 0; i < t->nfields; i++) {
    vc_field_spec_t *f = &t->fields[i];
    free(f->key);
    for (size_t j = 0; j < f->naliases; j++) free(f->aliases[j]);
    free(f->aliases);
    free(f->dflt);
  }
  free(t->fields);
  for (size_t i = 0; i < t->nvalues; i++) free(t->values[i].key), free(t->values[i].value);
  free(t->values);
  for (size_t i = 0; i < t->nsample; i++) free(t->sample[i].key), free(t->sample[i].value);
  free(t->sample);
  free(t->background);
  free(t->form);
  vc_sheet_free(t->sheet);
  for (size_t i = 0; i < t->nels; i++) vc__tmpl_el_clear(&t->els[i]);
  free(t->els);
  vc_list_free(t->list);
  free(t);
}
