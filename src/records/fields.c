/*
 * fields.c - binding a template's field specs to a table's columns, and the
 * per-row checks (see fields.h).
 *
 * The binding copies what it needs from the specs (they belong to the
 * template, which may be freed first) but only points at the table: the
 * table must outlive the binding.  After creation a binding is only read, so
 * several threads may use it at once.
 */
#include "records/fields.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/i18n.h"
#include "core/money.h"
#include "core/text.h"

typedef struct bfield {
  char *key;  /* as the template declares it */
  char *fkey; /* vc_text_fold_key(key) */
  int col;    /* -1 when no column matched */
  bool required, has_dflt;
  vc_field_type_t type;
} bfield_t;

struct vc_binding {
  const vc_table_t *t; /* borrowed */
  bfield_t *f;
  size_t n;
  bool missing; /* a required field without default has no column */
};

/* Appends text to out (size outlen, already holding a string), never
 * splitting a UTF-8 character; returns false when it did not all fit. */
static bool cat_utf8(char *out, size_t outlen, const char *text) {
  size_t used = strlen(out), n = strlen(text);
  if (used + n < outlen) {
    memcpy(out + used, text, n + 1);
    return true;
  }
  size_t room = outlen - used - 1;
  while (room > 0 && ((unsigned char)text[room] & 0xC0) == 0x80) room--;
  memcpy(out + used, text, room);
  out[used + room] = '\0';
  return false;
}

/* A value for quoting in a message: at most 80 bytes, cut on a character
 * boundary with "..." appended. */
static void short_value(const char *v, char *out, size_t outlen) {
  vc_text_cut(v, 80, SIZE_MAX, "...", out, outlen);
}

/* Lists the table's column headers ("STT", "Họ tên", ...) into out, cut
 * with "..." when too long. */
static void list_columns(const vc_table_t *t, char *out, size_t outlen) {
  out[0] = '\0';
  int nc = vc_table_ncols(t);
  int shown = 0;
  for (int c = 0; c < nc; c++) {
    const char *h = vc_table_col_header(t, c);
    if (!h || !h[0]) continue;
    char item[160];
    char hv[90];
    short_value(h, hv, sizeof hv);
    snprintf(item, sizeof item, "%s\"%s\"", shown ? ", " : "", hv);
    if (strlen(out) + strlen(item) + 8 >= outlen) {
      cat_utf8(out, outlen, ", ...");
      return;
    }
    cat_utf8(out, outlen, item);
    shown++;
  }
  if (!shown) cat_utf8(out, outlen, _("(none with a name)"));
}

/* The columns of t the field answers to, by its key or an alias (folded):
 * the first in f->col, a second one (an error) in *second, -1 when none.
 * false on no memory. */
static bool find_columns(bfield_t *f, const vc_field_spec_t *sp,
                         const vc_table_t *t, int *second) {
  size_t ncand = 1 + sp->naliases;
  char **cand = calloc(ncand, sizeof *cand);
  if (!cand) return false;
  cand[0] = f->fkey;
  bool ok = true;
  for (size_t a = 0; a < sp->naliases; a++)
    if (sp->aliases[a] && !(cand[1 + a] = vc_text_fold_key(sp->aliases[a]))) ok = false;
  *second = -1;
  for (int c = 0, nc = vc_table_ncols(t); ok && c < nc; c++) {
    const char *k = vc_table_col_key(t, c);
    if (!k[0]) continue;
    for (size_t a = 0; a < ncand; a++) {
      if (cand[a] && strcmp(cand[a], k) == 0) {
        if (f->col < 0)
          f->col = c;
        else if (*second < 0)
          *second = c;
        break;
      }
    }
  }
  for (size_t a = 1; a < ncand; a++) free(cand[a]);
  free(cand);
  return ok;
}

/* A required field without a column: the names looked for and the columns
 * there are. */
static void report_missing(const bfield_t *f, const vc_field_spec_t *sp,
                           const vc_table_t *t, const char *tmpl_path, vc_diag_t *d) {
  char cols[640], names[300] = "";
  const char *dname = vc_table_name(t);
  list_columns(t, cols, sizeof cols);
  for (size_t a = 0; a < sp->naliases; a++) {
    if (!sp->aliases[a]) continue;
    char item[120];
    char av[90];
    short_value(sp->aliases[a], av, sizeof av);
    snprintf(item, sizeof item, ", \"%s\"", av);
    if (!cat_utf8(names, sizeof names, item)) break;
  }
  vc_diag_add(d, VC_E_INPUT, tmpl_path, sp->line, 0,
              "the required field \"%s\" has no column in %s (looked for \"%s\"%s); "
              "the columns there are: %s",
              f->key, dname[0] ? dname : _("the data"), f->key, names, cols);
}

/* A default must itself be valid, or every empty value would fail later. */
static void check_default(const bfield_t *f, const vc_field_spec_t *sp,
                          const char *tmpl_path, vc_diag_t *d) {
  if (!sp->dflt || !sp->dflt[0] || f->type == VC_FIELD_TEXT) return;
  char why[160] = "";
  uint64_t amount;
  vc_date_t date;
  bool good = f->type == VC_FIELD_AMOUNT
                  ? vc_money_parse(sp->dflt, &amount, why, sizeof why)
                  : vc_date_parse(sp->dflt, &date, why, sizeof why);
  char dv[90];
  short_value(sp->dflt, dv, sizeof dv);
  if (good) return;
  if (f->type == VC_FIELD_AMOUNT)
    vc_diag_add(d, VC_E_INPUT, tmpl_path, sp->line, 0,
                "the default \"%s\" of field \"%s\" is not an amount: %s", dv, f->key, why);
  else
    vc_diag_add(d, VC_E_INPUT, tmpl_path, sp->line, 0,
                "the default \"%s\" of field \"%s\" is not a date: %s", dv, f->key, why);
}

/* Binds specs to t's columns (see fields.h).  Caller owns the binding
 * (vc_binding_free); t must outlive it; specs need not.  Problems go to d:
 * missing required columns and invalid defaults at tmpl_path:line, a field
 * matching two columns at the data file's header.  NULL only on no memory
 * (with a diag). */
vc_binding_t *vc_binding_create(const vc_field_spec_t *specs, size_t nspecs,
                                const vc_table_t *t, const char *tmpl_path,
                                vc_diag_t *d) {
  vc_binding_t *b = calloc(1, sizeof *b);
  if (!b || (nspecs && !(b->f = calloc(nspecs, sizeof *b->f)))) goto nomem;
  b->t = t;
  for (size_t i = 0; i < nspecs; i++) {
    const vc_field_spec_t *sp = &specs[i];
    bfield_t *f = &b->f[b->n];
    f->col = -1;
    f->required = sp->required;
    f->type = sp->type;
    f->has_dflt = sp->dflt != NULL;
    f->key = strdup(sp->key ? sp->key : "");
    f->fkey = f->key ? vc_text_fold_key(f->key) : NULL;
    b->n++;
    int second;
    if (!f->key || !f->fkey || !find_columns(f, sp, t, &second)) goto nomem;
    if (second >= 0) {
      char h1[90], h2[90];
      short_value(vc_table_col_header(t, f->col), h1, sizeof h1);
      short_value(vc_table_col_header(t, second), h2, sizeof h2);
      vc_diag_add(d, VC_E_INPUT, vc_table_name(t), 1, second + 1,
                  "columns %d \"%s\" and %d \"%s\" are both the field \"%s\" of %s "
                  "(line %d): rename or delete one of them",
                  f->col + 1, h1, second + 1, h2, f->key,
                  tmpl_path ? tmpl_path : _("the template"), sp->line);
    }
    if (f->col < 0 && f->required && !f->has_dflt) {
      report_missing(f, sp, t, tmpl_path, d);
      b->missing = true;
    }
    check_default(f, sp, tmpl_path, d);
  }
  return b;
nomem:
  vc_diag_add(d, VC_E_NOMEM, tmpl_path, 0, 0, "out of memory");
  vc_binding_free(b);
  return NULL;
}

void vc_binding_free(vc_binding_t *b) {
  if (!b) return;
  for (size_t i = 0; i < b->n; i++) {
    free(b->f[i].key);
    free(b->f[i].fkey);
  }
  free(b->f);
  free(b);
}

/* Column bound to a declared field (by its exact key, then its folded key);
 * for undeclared names the table column whose folded header equals
 * vc_text_fold_key(key).  -1 when none (a declared field without a column
 * does not fall back: its aliases were already tried). */
int vc_binding_col(const vc_binding_t *b, const char *key) {
  if (!b || !key) return -1;
  for (size_t i = 0; i < b->n; i++)
    if (strcmp(b->f[i].key, key) == 0) return b->f[i].col;
  char *fk = vc_text_fold_key(key);
  if (!fk) return -1;
  int col = -2;
  for (size_t i = 0; i < b->n && col == -2; i++)
    if (fk[0] && strcmp(b->f[i].fkey, fk) == 0) col = b->f[i].col;
  free(fk);
  return col != -2 ? col : vc_table_find_col(b->t, key);
}

/* What an invisible character is, for the warning. */
static const char *invisible_name(int32_t cp) {
  switch (cp) {
  case 0x200B: return _("zero-width space");
  case 0x200C: return _("zero-width non-joiner");
  case 0x200D: return _("zero-width joiner");
  case 0x200E: return _("left-to-right mark");
  case 0x200F: return _("right-to-left mark");
  case 0xFEFF: return _("zero-width no-break space, a byte-order mark");
  case 0x00AD: return _("soft hyphen");
  case 0x2060: return _("word joiner");
  default:
    if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069))
      return _("a text-direction control");
    return _("an invisible format character");
  }
}

/* Warns (VC_WARN, not an error: the value prints as it looks) when a
 * printed value holds invisible format characters (vc_text_invisible):
 * they make it differ from the same text typed again (a search, a key, a
 * file name), and the direction controls reorder what follows them on
 * screen.  Names the first one, its code point and place. */
static void warn_invisible(const bfield_t *f, const vc_table_t *t, long r, const char *v,
                           const char *h, vc_diag_t *d) {
  size_t n = strlen(v), chars = 0, found = 0;
  int32_t first = 0;
  size_t at = 0;
  for (size_t i = 0; i < n;) {
    int32_t cp = (unsigned char)v[i];
    size_t k = cp < 0x80 ? 1 : vc_utf8_decode(v + i, n - i, &cp);
    if (!k) k = 1;
    chars++;
    if (vc_text_invisible(cp) && !found++) first = cp, at = chars;
    i += k;
  }
  if (!found) return;
  char sv[90], more[48] = "";
  short_value(v, sv, sizeof sv);
  if (found > 1) snprintf(more, sizeof more, _(" (and %zu more)"), found - 1);
  vc_diag_add(d, VC_WARN, vc_table_name(t), vc_table_row_line(t, r), f->col + 1,
              "\"%s\" in column \"%s\" holds an invisible character, U+%04X (%s), at "
              "character %zu%s: it prints as nothing, but the value then differs from the "
              "same text typed again%s; delete it",
              sv, h, (unsigned)first, invisible_name(first), at, more,
              (first >= 0x202A && first <= 0x202E) || (first >= 0x2066 && first <= 0x2069) ||
                      first == 0x200E || first == 0x200F
                  ? _(", and on screen the text after it is reordered")
                  : "");
}

/* Checks one field's value in one row; reports and returns false when bad. */
static bool check_value(const bfield_t *f, const vc_table_t *t, long r, vc_diag_t *d) {
  const char *v = vc_table_get(t, r, f->col);
  if (!v) return true;
  char h[90];
  short_value(vc_table_col_header(t, f->col), h, sizeof h);
  const char *file = vc_table_name(t);
  int line = vc_table_row_line(t, r);
  if (v[0]) warn_invisible(f, t, r, v, h, d);
  if (!v[0]) {
    if (f->has_dflt || !f->required) return true;
    vc_diag_add(d, VC_E_INPUT, file, line, f->col + 1,
                "column \"%s\" is empty, but the template needs a value for \"%s\"", h,
                f->key);
    return false;
  }
  if (f->type == VC_FIELD_TEXT) return true;
  char why[160] = "", sv[90];
  bool good;
  if (f->type == VC_FIELD_AMOUNT) {
    uint64_t amount;
    good = vc_money_parse(v, &amount, why, sizeof why);
  } else {
    vc_date_t date;
    good = vc_date_parse(v, &date, why, sizeof why);
  }
  if (good) return true;
  short_value(v, sv, sizeof sv);
  const char *because = why[0] ? why : _("not understood");
  if (f->type == VC_FIELD_AMOUNT)
    vc_diag_add(d, VC_E_INPUT, file, line, f->col + 1,
                "\"%s\" in column \"%s\" is not an amount: %s", sv, h, because);
  else
    vc_diag_add(d, VC_E_INPUT, file, line, f->col + 1,
                "\"%s\" in column \"%s\" is not a date: %s", sv, h, because);
  return false;
}

/* Checks every row of t (see fields.h).  Rows the reader already marked bad
 * are counted bad without further messages (their problem is reported);
 * when a required column is missing every row is bad (reported once, at
 * binding).  If bad is not NULL, bad[r] is set for every row, true or false.
 * Returns the number of bad rows. */
long vc_binding_check_rows(const vc_binding_t *b, const vc_table_t *t, bool *bad,
                           vc_diag_t *d) {
  long nbad = 0, nr = vc_table_nrows(t);
  for (long r = 0; r < nr; r++) {
    bool rb = !b || b->missing || !vc_table_row_ok(t, r);
    if (!rb) {
      /* every field, not just up to the first problem: one run, all problems */
      for (size_t i = 0; i < b->n; i++)
        if (b->f[i].col >= 0 && !check_value(&b->f[i], t, r, d)) rb = true;
    }
    if (bad) bad[r] = rb;
    nbad += rb;
  }
  return nbad;
}
