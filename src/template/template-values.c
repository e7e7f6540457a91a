/*
 * template-values.c - typed values out of template nodes: keys, text,
 * numbers (locale-independent), booleans, colours, choices and file paths.
 * Each reader reports its own problem, worded for the clerk who edits the
 * file, and returns false so the caller simply moves on to the next key.
 */
#include "template/template-internal.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/i18n.h"
#include "core/text.h"

/* ---- keys ---- */

const vc_tnode_t *vc__tn_get(const vc_tnode_t *n, const char *key) {
  if (!n || n->kind != VC_TN_MAP) return NULL;
  for (size_t i = 0; i + 1 < n->nkids; i += 2)
    if (n->kids[i]->kind == VC_TN_SCALAR && !strcmp(n->kids[i]->str, key))
      return n->kids[i + 1];
  return NULL;
}

static int key_cmp(const void *a, const void *b) {
  const vc_tnode_t *x = *(const vc_tnode_t *const *)a;
  const vc_tnode_t *y = *(const vc_tnode_t *const *)b;
  int r = strcmp(x->str, y->str);
  if (r) return r;
  if (x->line != y->line) return x->line < y->line ? -1 : 1;
  return x->col < y->col ? -1 : x->col > y->col;
}

/* Reports each repeated key once, at the repetition.  Sorting keeps this
 * O(n log n) for large `values:` sections. */
static void check_duplicates(vc_tctx_t *c, const vc_tnode_t *n,
                             const char *where) {
  size_t nk = 0;
  const vc_tnode_t **keys = malloc((n->nkids / 2 + 1) * sizeof *keys);
  if (!keys) {
    vc__tctx_nomem(c);
    return;
  }
  for (size_t i = 0; i + 1 < n->nkids; i += 2)
    if (n->kids[i]->kind == VC_TN_SCALAR) keys[nk++] = n->kids[i];
  qsort(keys, nk, sizeof *keys, key_cmp);
  for (size_t i = 1; i < nk; i++) {
    size_t first = i - 1;
    while (i < nk && !strcmp(keys[i]->str, keys[first]->str)) {
      vc__tctx_err(c, keys[i], VC_E_INPUT,
                  "'%s' is written twice in %s (first on line %d); keep one",
                  keys[i]->str, where, keys[first]->line);
      i++;
    }
  }
  free(keys);
}

bool vc__tn_check_keys(vc_tctx_t *c, const vc_tnode_t *n,
                      const char *const *known, const char *where) {
  if (!n || n->kind != VC_TN_MAP) {
    vc__tctx_err(c, n, VC_E_INPUT,
                "%s must be a group of \"key: value\" lines", where);
    return false;
  }
  size_t nknown = 0;
  while (known && known[nknown]) nknown++;
  for (size_t i = 0; i + 1 < n->nkids; i += 2) {
    const vc_tnode_t *k = n->kids[i];
    if (k->kind != VC_TN_SCALAR) {
      vc__tctx_err(c, k, VC_E_INPUT, "keys in %s must be plain names", where);
      continue;
    }
    if (!known) continue;
    size_t j = 0;
    while (j < nknown && strcmp(known[j], k->str)) j++;
    if (j < nknown) continue;
    const char *s = vc__tmpl_suggest(k->str, known, nknown);
    if (s) {
      vc__tctx_err(c, k, VC_E_INPUT,
                  "unknown key '%s' in %s; did you mean '%s'?", k->str, where,
                  s);
    } else {
      char list[512] = "";
      size_t used = 0;
      for (j = 0; j < nknown && used < sizeof list; j++)
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%s",
                                 j ? ", " : "", known[j]);
      vc__tctx_err(c, k, VC_E_INPUT,
                  "unknown key '%s' in %s; the keys allowed there are: %s",
                  k->str, where, list);
    }
  }
  check_duplicates(c, n, where);
  return true;
}

/* ---- scalars ---- */

/* Common checks: a scalar with a value.  Reports and returns false. */
static bool need_scalar(vc_tctx_t *c, const vc_tnode_t *n, const char *key,
                        const char *what) {
  if (n->kind != VC_TN_SCALAR) {
    vc__tctx_err(c, n, VC_E_INPUT,
                 n->kind == VC_TN_SEQ ? N_("%s: must be %s, not a list")
                                      : N_("%s: must be %s, not a group of keys"),
                 key, what);
    return false;
  }
  if (n->null) {
    vc__tctx_err(c, n, VC_E_INPUT, "%s: needs a value (%s)", key, what);
    return false;
  }
  return true;
}

bool vc__tn_string(vc_tctx_t *c, const vc_tnode_t *n, const char *key,
                  const char **out) {
  if (!need_scalar(c, n, key, _("text"))) return false;
  *out = n->str;
  return true;
}

bool vc__tmpl_parse_decimal(const char *s, double *out) {
  static const double p10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                               1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                               1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  const char *p = s;
  bool neg = false, any = false;
  if (*p == '+' || *p == '-') neg = *p++ == '-';
  uint64_t mant = 0;
  int sig = 0, scale = 0;
  for (; *p >= '0' && *p <= '9'; p++, any = true) {
    if (sig >= 18) return false; /* far beyond any sensible size */
    mant = mant * 10 + (uint64_t)(*p - '0');
    if (mant) sig++;
  }
  if (*p == '.') {
    for (p++; *p >= '0' && *p <= '9'; p++, any = true) {
      if (sig >= 18 || scale >= 22) continue; /* precision is plenty */
      mant = mant * 10 + (uint64_t)(*p - '0');
      if (mant) sig++;
      scale++;
    }
  }
  if (!any || *p) return false;
  double v = (double)mant / p10[scale];
  *out = neg ? -v : v;
  return true;
}

/* Explains why a number did not parse, for the usual mistakes. */
static const char *number_hint(const char *s) {
  size_t n = strlen(s);
  if (strchr(s, ',')) return _("; use a dot for decimals (1.5, not 1,5)");
  if (n > 2 && (!vc_ascii_casecmp(s + n - 2, "mm") || !vc_ascii_casecmp(s + n - 2, "pt") ||
                !vc_ascii_casecmp(s + n - 2, "cm")))
    return _("; write the number only (lengths are in mm, font sizes in pt)");
  if (strpbrk(s, "eE")) return _("; write it as a plain decimal");
  return "";
}

bool vc__tn_number(vc_tctx_t *c, const vc_tnode_t *n, const char *key,
                  double *out) {
  if (!need_scalar(c, n, key, _("a number"))) return false;
  if (!vc__tmpl_parse_decimal(n->str, out)) {
    vc__tctx_err(c, n, VC_E_INPUT, "%s: '%s' is not a number%s", key, n->str,
                number_hint(n->str));
    return false;
  }
  return true;
}

bool vc__tn_int(vc_tctx_t *c, const vc_tnode_t *n, const char *key, int *out) {
  double v;
  if (!vc__tn_number(c, n, key, &v)) return false;
  if (v != (double)(long)v || v > 1e9 || v < -1e9) {
    vc__tctx_err(c, n, VC_E_INPUT, "%s: must be a whole number (got %s)", key,
                n->str);
    return false;
  }
  *out = (int)v;
  return true;
}

bool vc__tn_bool(vc_tctx_t *c, const vc_tnode_t *n, const char *key, bool *out) {
  static const char *const yes[] = {"true", "yes", "on", NULL};
  static const char *const no[] = {"false", "no", "off", NULL};
  if (!need_scalar(c, n, key, _("true or false"))) return false;
  for (int i = 0; yes[i]; i++) {
    if (!vc_ascii_casecmp(n->str, yes[i])) return *out = true, true;
    if (!vc_ascii_casecmp(n->str, no[i])) return *out = false, true;
  }
  vc__tctx_err(c, n, VC_E_INPUT, "%s: must be true or false (got '%s')", key,
              n->str);
  return false;
}

bool vc__tn_numbers(vc_tctx_t *c, const vc_tnode_t *n, const char *key,
                   double *out, size_t count) {
  const char *shape = count == 2 ? _("[width, height]")
                      : !strcmp(key, "line") ? "[x1, y1, x2, y2]"
                                             : _("[x, y, width, height]");
  if (n->kind != VC_TN_SEQ || n->nkids != count) {
    vc__tctx_err(c, n, VC_E_INPUT, "%s: must be %zu numbers in mm, like %s",
                key, count, shape);
    return false;
  }
  bool ok = true;
  for (size_t i = 0; i < count; i++)
    ok &= vc__tn_number(c, n->kids[i], key, &out[i]);
  return ok;
}

/* ---- colours ---- */

/* A table of names, shaped like fontset.c's weights on purpose. */
static const struct { const char *name; unsigned rgb; } color_names[] = {
    {"black", 0x000000},   {"white", 0xffffff},    {"red", 0xff0000},
    {"darkred", 0x8b0000}, {"maroon", 0x800000},   {"gold", 0xd4af37},
    {"yellow", 0xffff00},  {"orange", 0xffa500},   {"brown", 0xa52a2a},
    {"navy", 0x000080},    {"blue", 0x0000ff},     {"darkblue", 0x00008b},
    {"green", 0x008000},   {"darkgreen", 0x006400}, {"gray", 0x808080},
    {"grey", 0x808080},    {"silver", 0xc0c0c0},   {"lightgray", 0xd3d3d3},
};
#define NCOLORS (sizeof color_names / sizeof *color_names)

static int hexval(int ch) {
  if (ch >= '0' && ch <= '9') return ch - '0';
  if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
  if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
  return -1;
}

static vc_color_t rgb_color(unsigned rgb) {
  vc_color_t col = {((rgb >> 16) & 255) / 255.0, ((rgb >> 8) & 255) / 255.0,
                    (rgb & 255) / 255.0};
  return col;
}

bool vc__tn_color(vc_tctx_t *c, const vc_tnode_t *n, const char *key,
                 vc_color_t *out, bool *none) {
  if (n->kind == VC_TN_SCALAR && n->null) {
    /* The usual cause: `color: #96161c` unquoted is a comment in YAML. */
    vc__tctx_err(c, n, VC_E_INPUT,
                "%s: has no value; a colour written with # must be quoted, "
                "like %s: \"#96161c\"", key, key);
    return false;
  }
  if (!need_scalar(c, n, key, _("a colour"))) return false;
  const char *s = n->str;
  if (none) *none = false;
  if (!vc_ascii_casecmp(s, "none")) {
    if (none) return *none = true, true;
    vc__tctx_err(c, n, VC_E_INPUT, "%s: 'none' is not possible here", key);
    return false;
  }
  if (s[0] == '#') {
    size_t len = strlen(s + 1);
    unsigned rgb = 0;
    bool ok = len == 6 || len == 3;
    for (size_t i = 0; ok && i < len; i++) {
      int h = hexval((unsigned char)s[1 + i]);
      if (h < 0) ok = false;
      else rgb = rgb * (len == 3 ? 256 : 16) + (unsigned)(len == 3 ? h * 17 : h);
    }
    if (ok) return *out = rgb_color(rgb), true;
    vc__tctx_err(c, n, VC_E_INPUT,
                "%s: '%s' is not a colour; write # and six hex digits, like "
                "\"#96161c\"", key, s);
    return false;
  }
  const char *names[NCOLORS];
  for (size_t i = 0; i < NCOLORS; i++) {
    if (!vc_ascii_casecmp(s, color_names[i].name))
      return *out = rgb_color(color_names[i].rgb), true;
    names[i] = color_names[i].name;
  }
  char dym[160];
  vc__tctx_err(c, n, VC_E_INPUT,
              "%s: unknown colour '%s'%s; use \"#rrggbb\" or one of: "
              "black, white, red, darkred, maroon, gold, yellow, orange, "
              "brown, navy, blue, darkblue, green, darkgreen, gray, silver, "
              "lightgray", key, s,
              vc__tmpl_did_you_mean(vc__tmpl_suggest(s, names, NCOLORS), dym, sizeof dym));
  return false;
}

bool vc__tn_enum(vc_tctx_t *c, const vc_tnode_t *n, const char *key,
                const char *const *choices, int *out) {
  size_t nc = 0;
  while (choices[nc]) nc++;
  char list[256] = "";
  size_t used = 0;
  for (size_t i = 0; i < nc && used < sizeof list; i++)
    used += (size_t)snprintf(list + used, sizeof list - used, "%s%s",
                             i ? ", " : "", choices[i]);
  if (!need_scalar(c, n, key, list)) return false;
  for (size_t i = 0; i < nc; i++)
    if (!vc_ascii_casecmp(n->str, choices[i])) return *out = (int)i, true;
  char dym[160];
  vc__tctx_err(c, n, VC_E_INPUT, "%s: '%s' is not one of %s%s", key, n->str, list,
              vc__tmpl_did_you_mean(vc__tmpl_suggest(n->str, choices, nc), dym, sizeof dym));
  return false;
}

/* ---- files ---- */

static bool has_ext(const char *path, const char *ext) {
  size_t n = strlen(path), e = strlen(ext);
  return n > e && !vc_ascii_casecmp(path + n - e, ext);
}

char *vc__tmpl_resolve_file(vc_tctx_t *c, const vc_tnode_t *n, const char *key,
                           const char *rel, bool images) {
  if (!*rel) {
    vc__tctx_err(c, n, VC_E_INPUT, "%s: needs a file name", key);
    return NULL;
  }
  if (images && !has_ext(rel, ".png") && !has_ext(rel, ".jpg") &&
      !has_ext(rel, ".jpeg")) {
    vc__tctx_err(c, n, VC_E_INPUT,
                "%s: '%s' is not a PNG or JPEG file (.png, .jpg, .jpeg)", key,
                rel);
    return NULL;
  }
  const char *dir = c->t->dir;
  size_t need = strlen(dir) + strlen(rel) + 2;
  char *abs = malloc(need);
  if (!abs) {
    vc__tctx_nomem(c);
    return NULL;
  }
  if (rel[0] == '/') memcpy(abs, rel, strlen(rel) + 1);
  else snprintf(abs, need, "%s/%s", dir, rel);
  struct stat st;
  const char *why = NULL;
  if (stat(abs, &st) != 0)
    why = errno == ENOENT || errno == ENOTDIR ? _("file not found") : strerror(errno);
  else if (!S_ISREG(st.st_mode))
    why = _("not a file");
  else if (access(abs, R_OK) != 0)
    why = _("cannot be read");
  if (!why) return abs;
  vc__tctx_err(c, n, VC_E_INPUT, "%s: %s: %s (looked for %s)%s", key, rel, why,
              abs, strchr(rel, '\\') ? _("; write / between folders, not \\") : "");
  free(abs);
  return NULL;
}
