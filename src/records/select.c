/*
 * select.c - choosing records (see select.h): by number, by column value, by
 * a typed name; sorting them; and the key column's uniqueness check.
 */
#include "records/select.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/money.h"
#include "core/text.h"

/* Reads a positive decimal number at *p (no locale, no sign). */
static bool read_num(const char **p, long *out) {
  const char *s = *p;
  long v = 0;
  if (!isdigit((unsigned char)*s)) return false;
  while (isdigit((unsigned char)*s)) {
    if (v > 100000000L) return false;
    v = v * 10 + (*s++ - '0');
  }
  *p = s;
  *out = v;
  return true;
}

static void skip_sp(const char **p) {
  while (**p == ' ' || **p == '\t') (*p)++;
}

bool *vc_rows_want(const char *spec, long nrows, vc_diag_t *d) {
  bool all = !spec || !*spec;
  bool *want = calloc((size_t)(nrows > 0 ? nrows : 1), 1);
  if (!want) return NULL;
  if (all) memset(want, 1, (size_t)(nrows > 0 ? nrows : 0));
  const char *p = spec;
  while (!all && *p) {
    long a, b;
    skip_sp(&p);
    const char *part = p;
    if (!read_num(&p, &a)) goto bad;
    b = a;
    skip_sp(&p);
    if (*p == '-') {
      p++;
      skip_sp(&p);
      if (!read_num(&p, &b)) goto bad;
      skip_sp(&p);
    }
    if (a < 1 || b < a) goto bad;
    if (b > nrows) {
      vc_diag_add(d, VC_E_USAGE, NULL, 0, 0,
                  vc__ngettext("--rows: record %ld does not exist (the data has %ld record)",
                               "--rows: record %ld does not exist (the data has %ld records)",
                               (unsigned long)nrows),
                  b, nrows);
      free(want);
      return NULL;
    }
    for (long r = a; r <= b; r++) want[r - 1] = true;
    if (*p == ',') p++;
    else if (*p) goto bad;
    continue;
  bad:
    vc_diag_add(d, VC_E_USAGE, NULL, 0, 0,
                "--rows: cannot read \"%.*s\": write record numbers and ranges "
                "like 3,7-9 (1 = the first record after the header)",
                (int)strcspn(part, ","), part);
    free(want);
    return NULL;
  }
  return want;
}

bool vc_selection_parse(const char *spec, long nrows, vc_selection_t *sel,
                        vc_diag_t *d) {
  sel->rows = NULL;
  sel->n = 0;
  bool *want = vc_rows_want(spec, nrows, d);
  if (!want) return false;
  sel->rows = malloc(sizeof *sel->rows * (size_t)(nrows > 0 ? nrows : 1));
  if (!sel->rows) {
    free(want);
    return false;
  }
  for (long r = 0; r < nrows; r++)
    if (want[r]) sel->rows[sel->n++] = r;
  free(want);
  return true;
}

void vc_selection_free(vc_selection_t *sel) {
  free(sel->rows);
  sel->rows = NULL;
  sel->n = 0;
}

/* ------------------------------------------------------------ shared bits */

static bool is_ascii(const char *s) {
  for (; *s; s++)
    if ((unsigned char)*s >= 0x80) return false;
  return true;
}

/* At most `max` characters of s in out, "…" when cut: values in messages
 * stay readable even when a cell holds a megabyte. */
static const char *clip(const char *s, size_t max, char *out, size_t outsz) {
  return vc_text_cut(s, SIZE_MAX, max, "\xe2\x80\xa6", out, outsz);
}

/* Keeps the rows whose flag is set, in their current order. */
static void keep(vc_selection_t *sel, const bool *ok) {
  long k = 0;
  for (long i = 0; i < sel->n; i++)
    if (ok[i]) sel->rows[k++] = sel->rows[i];
  sel->n = k;
}

/* ------------------------------------------------------------------ where */

/* Lists the columns as `"Mã SV" (ma_sv), ...` into out, stopping with
 * "and N more" before the message would outgrow a diagnostic. */
static void list_columns(const vc_table_t *t, char *out, size_t outsz) {
  size_t len = 0;
  int nc = vc_table_ncols(t);
  out[0] = '\0';
  for (int c = 0; c < nc; c++) {
    char h[170], key[170], one[400];
    clip(vc_table_col_header(t, c), 40, h, sizeof h);
    clip(vc_table_col_key(t, c), 40, key, sizeof key);
    int w = strcmp(h, key) == 0 || !*key
                ? snprintf(one, sizeof one, "%s\"%s\"", c ? ", " : "", h)
                : snprintf(one, sizeof one, "%s\"%s\" (%s)", c ? ", " : "", h, key);
    if (w < 0 || (size_t)w >= sizeof one) return;
    if (len + (size_t)w + 24 >= outsz) {
      snprintf(out + len, outsz - len, _(" and %d more"), nc - c);
      return;
    }
    memcpy(out + len, one, (size_t)w + 1);
    len += (size_t)w;
  }
  if (nc == 0) snprintf(out, outsz, "%s", _("(none)"));
}

/* Comparison form of a --where value: cleaned white space and lower case;
 * diacritics kept ("Khá" is not "Kha").  NULL on no memory or bad UTF-8. */
static char *where_form(const char *s) {
  char *c = vc_text_clean(s, strlen(s));
  if (!c) return NULL;
  char *l = vc_text_lower(c);
  free(c);
  return l;
}

/* A --where condition: the column and the value's comparison form. */
struct vc_where {
  int col;
  char *want;
};

/* Compiles spec "column=value" against t's columns (see select.h). */
vc_where_t *vc_where_compile(const vc_table_t *t, const char *spec, vc_diag_t *d) {
  if (!t) return NULL;
  const char *eq = spec ? strchr(spec, '=') : NULL;
  char shown[200];
  if (spec && !vc_utf8_valid(spec, strlen(spec), NULL)) {
    vc_diag_add(d, VC_E_USAGE, NULL, 0, 0,
                "--where: the condition is not UTF-8 text (check the terminal's encoding)");
    return NULL;
  }
  if (!eq) {
    vc_diag_add(d, VC_E_USAGE, NULL, 0, 0,
                "--where: cannot read \"%s\": write COLUMN=VALUE, e.g. --where lop=K19MN",
                clip(spec ? spec : "", 60, shown, sizeof shown));
    return NULL;
  }
  char *colname = strndup(spec, (size_t)(eq - spec));
  if (!colname) return NULL;
  int col = vc_table_find_col(t, colname);
  if (col < 0) {
    char *trimmed = vc_text_clean(colname, strlen(colname));
    char cols[700];
    list_columns(t, cols, sizeof cols);
    if (!trimmed || !*trimmed)
      vc_diag_add(d, VC_E_USAGE, NULL, 0, 0,
                  "--where: \"%s\" names no column: write COLUMN=VALUE, e.g. "
                  "--where lop=K19MN; the columns are %s",
                  clip(spec, 60, shown, sizeof shown), cols);
    else
      vc_diag_add(d, VC_E_USAGE, NULL, 0, 0,
                  "--where: no column \"%s\" in %s; the columns are %s",
                  clip(trimmed, 60, shown, sizeof shown),
                  *vc_table_name(t) ? vc_table_name(t) : _("the data"), cols);
    free(trimmed);
    free(colname);
    return NULL;
  }
  free(colname);
  vc_where_t *w = malloc(sizeof *w);
  char *want = where_form(eq + 1);
  if (!w || !want) {
    free(w);
    free(want);
    return NULL;
  }
  w->col = col;
  w->want = want;
  return w;
}

/* Whether a record's values pass the condition (see select.h). */
int vc_where_test(const vc_where_t *w, const char *const *vals) {
  const char *v = vals[w->col];
  char *have = v ? where_form(v) : NULL;
  if (!have && v && vc_utf8_valid(v, strlen(v), NULL)) return -1; /* no memory */
  int ok = have && strcmp(have, w->want) == 0;
  free(have);
  return ok;
}

void vc_where_free(vc_where_t *w) {
  if (!w) return;
  free(w->want);
  free(w);
}

/* Keeps the rows whose column equals the value of spec "column=value"
 * (vc_where_compile, vc_where_test).  A malformed spec or an unknown
 * column is a VC_E_USAGE diagnostic and false, the selection unchanged;
 * false without a diagnostic means no memory. */
bool vc_selection_where(vc_selection_t *sel, const vc_table_t *t,
                        const char *spec, vc_diag_t *d) {
  if (!sel || !t) return false;
  vc_where_t *w = vc_where_compile(t, spec, d);
  bool *ok = w ? malloc((size_t)(sel->n > 0 ? sel->n : 1) * sizeof *ok) : NULL;
  if (!ok) {
    vc_where_free(w);
    return false;
  }
  const char **vals = calloc((size_t)w->col + 1, sizeof *vals); /* one column read */
  bool done = vals != NULL;
  for (long i = 0; done && i < sel->n; i++) {
    vals[w->col] = vc_table_get(t, sel->rows[i], w->col);
    int r = vc_where_test(w, vals);
    done = r >= 0;
    ok[i] = r > 0;
  }
  if (done) keep(sel, ok);
  free(vals);
  free(ok);
  vc_where_free(w);
  return done;
}

/* ------------------------------------------------------------------ match */

int vc_match_test(const char *typed, const char *value) {
  char *name = vc_text_fold_search(value ? value : "");
  if (!name) return value && vc_utf8_valid(value, strlen(value), NULL) ? -1 : 0;
  bool ok = vc_text_words_match(name, typed);
  free(name);
  return ok;
}

/* Keeps the rows whose name column matches text as a person types it (see
 * select.h): both sides through vc_text_fold_search, the rule
 * vc_text_words_match.  Returns the number kept, -1 on no memory
 * (selection unchanged); an invalid column or text that is not UTF-8
 * keeps nothing. */
long vc_selection_match(vc_selection_t *sel, const vc_table_t *t, int col,
                        const char *text) {
  if (!sel) return -1;
  if (!t || col < 0 || col >= vc_table_ncols(t) || !text ||
      !vc_utf8_valid(text, strlen(text), NULL)) { /* nothing can match it */
    sel->n = 0;
    return 0;
  }
  char *typed = vc_text_fold_search(text);
  bool *ok = malloc((size_t)(sel->n > 0 ? sel->n : 1) * sizeof *ok);
  if (!typed || !ok) {
    free(typed);
    free(ok);
    return -1;
  }
  for (long i = 0; i < sel->n; i++) {
    int m = vc_match_test(typed, vc_table_get(t, sel->rows[i], col));
    if (m < 0) {
      free(typed);
      free(ok);
      return -1;
    }
    ok[i] = m;
  }
  keep(sel, ok);
  free(typed);
  free(ok);
  return sel->n;
}

/* ------------------------------------------------------------------- sort */

typedef struct {
  unsigned char *key; /* owned */
  size_t len;
  long row, pos; /* pos: place before sorting, for stability */
  bool empty;
} sort_ent_t;

static int ent_cmp(const void *pa, const void *pb) {
  const sort_ent_t *a = pa, *b = pb;
  if (a->empty != b->empty) return a->empty ? 1 : -1; /* blanks last */
  size_t n = a->len < b->len ? a->len : b->len;
  int r = n ? memcmp(a->key, b->key, n) : 0;
  if (r == 0) r = (a->len > b->len) - (a->len < b->len);
  if (r == 0) r = (a->pos > b->pos) - (a->pos < b->pos);
  return r;
}

static bool all_digits(const char *s) {
  if (!*s) return false;
  for (; *s; s++)
    if (*s < '0' || *s > '9') return false;
  return true;
}

typedef enum { KIND_TEXT, KIND_DIGITS, KIND_AMOUNT } sort_kind_t;

/* What the non-empty values of the selected rows are. */
static sort_kind_t detect_kind(const vc_selection_t *sel, const vc_table_t *t, int col) {
  bool digits = true, amounts = true, any = false;
  for (long i = 0; i < sel->n && (digits || amounts); i++) {
    const char *v = vc_table_get(t, sel->rows[i], col);
    if (!v || !*v) continue;
    any = true;
    if (digits && !all_digits(v)) digits = false;
    if (!digits && amounts) {
      uint64_t x;
      char why[8];
      amounts = vc_money_parse(v, &x, why, sizeof why);
    }
  }
  if (!any) return KIND_TEXT;
  return digits ? KIND_DIGITS : amounts ? KIND_AMOUNT : KIND_TEXT;
}

/* Key for a digit string: significant-digit count, the digits, then the
 * string itself, so equal numbers ("007", "7") fall back to string order. */
static unsigned char *digits_key(const char *v, size_t *len) {
  const char *sig = v;
  while (*sig == '0') sig++;
  size_t ns = strlen(sig), nv = strlen(v);
  if (ns > UINT32_MAX) return NULL;
  unsigned char *k = malloc(4 + ns + nv + 1);
  if (!k) return NULL;
  k[0] = (unsigned char)(ns >> 24);
  k[1] = (unsigned char)(ns >> 16);
  k[2] = (unsigned char)(ns >> 8);
  k[3] = (unsigned char)ns;
  memcpy(k + 4, sig, ns);
  memcpy(k + 4 + ns, v, nv);
  *len = 4 + ns + nv;
  return k;
}

static unsigned char *amount_key(const char *v, size_t *len) {
  uint64_t x = 0;
  char why[8];
  if (!vc_money_parse(v, &x, why, sizeof why)) x = 0; /* detect_kind checked */
  unsigned char *k = malloc(8);
  if (!k) return NULL;
  for (int i = 0; i < 8; i++) k[i] = (unsigned char)(x >> (56 - 8 * i));
  *len = 8;
  return k;
}

/* Sorts the selection by column col (see select.h).  Blank values go last
 * in every kind, as in a spreadsheet.  Ties keep the selection's current
 * order, so sorting by B then by A orders by A, then B.  false on no memory
 * or a bad column (selection unchanged). */
bool vc_selection_sort(vc_selection_t *sel, const vc_table_t *t, int col,
                       vc_name_order_t name, vc_tone_order_t tones) {
  if (!sel || !t || col < 0 || col >= vc_table_ncols(t)) return false;
  if (sel->n < 2) return true;
  sort_kind_t kind = name ? KIND_TEXT : detect_kind(sel, t, col);
  sort_ent_t *e = calloc((size_t)sel->n, sizeof *e);
  if (!e) return false;
  bool ok = true;
  for (long i = 0; i < sel->n && ok; i++) {
    const char *v = vc_table_get(t, sel->rows[i], col);
    if (!v) v = "";
    e[i].row = sel->rows[i];
    e[i].pos = i;
    e[i].empty = !*v;
    if (e[i].empty) continue;
    switch (kind) {
    case KIND_DIGITS: e[i].key = digits_key(v, &e[i].len); break;
    case KIND_AMOUNT: e[i].key = amount_key(v, &e[i].len); break;
    case KIND_TEXT: e[i].key = vc_collate_key(v, name, tones, &e[i].len); break;
    }
    ok = e[i].key != NULL;
  }
  if (ok) {
    qsort(e, (size_t)sel->n, sizeof *e, ent_cmp);
    for (long i = 0; i < sel->n; i++) sel->rows[i] = e[i].row;
  }
  for (long i = 0; i < sel->n; i++) free(e[i].key);
  free(e);
  return ok;
}

/* ------------------------------------------------------------- uniqueness */

/* FNV-1a: plenty for an in-memory table of IDs. */
static uint64_t hash_str(const char *s) {
  uint64_t h = 1469598103934665603ULL;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
  return h;
}

/* Case-folded form of a key value; ASCII (the usual student ID) without a
 * trip through utf8proc.  Invisible format characters (zero-width space,
 * BOM, bidi controls: vc_text_invisible) are left out first: "0210456" and
 * "0210456" + U+200B look the same on paper and on screen, so they are the
 * same key.  NULL on no memory. */
static char *key_form(const char *v) {
  if (!is_ascii(v)) {
    char *seen = vc_text_drop_invisible(v, NULL);
    if (!seen) return NULL;
    char *l = vc_text_lower(seen);
    if (l) free(seen);
    return l ? l : seen; /* invalid UTF-8 cannot come from a reader */
  }
  char *l = strdup(v);
  if (l)
    for (char *p = l; *p; p++)
      if (*p >= 'A' && *p <= 'Z') *p = (char)(*p + 32);
  return l;
}

/* ---- the set of keys seen (see select.h) ---- */

/* off: 1 + arena offset, 0 = free; hash: the key's, so that probing past
 * other keys does not read the arena */
typedef struct { uint32_t off, hash; int line; } kslot_t;
typedef struct { int line, first; char *shown; } krepeat_t;

struct vc_keyset {
  char *arena;       /* folded keys, NUL-terminated, one after the other */
  size_t alen, acap;
  kslot_t *slot;
  size_t cap, used;
  krepeat_t *rep;    /* repeats, reported by vc_keyset_report */
  size_t nrep, rcap;
};

vc_keyset_t *vc_keyset_create(void) {
  vc_keyset_t *ks = calloc(1, sizeof *ks);
  if (!ks) return NULL;
  ks->cap = 1024;
  ks->slot = calloc(ks->cap, sizeof *ks->slot);
  if (!ks->slot) {
    free(ks);
    return NULL;
  }
  return ks;
}

void vc_keyset_free(vc_keyset_t *ks) {
  if (!ks) return;
  for (size_t i = 0; i < ks->nrep; i++) free(ks->rep[i].shown);
  free(ks->rep);
  free(ks->slot);
  free(ks->arena);
  free(ks);
}

/* Slot of folded key f: its own, or the free one where it belongs. */
static size_t ks_find(const vc_keyset_t *ks, const char *f, uint32_t h) {
  size_t i = h & (ks->cap - 1);
  while (ks->slot[i].off &&
         (ks->slot[i].hash != h || strcmp(ks->arena + ks->slot[i].off - 1, f) != 0))
    i = (i + 1) & (ks->cap - 1);
  return i;
}

static bool ks_grow(vc_keyset_t *ks) {
  kslot_t *old = ks->slot;
  size_t ocap = ks->cap;
  ks->slot = calloc(ocap * 2, sizeof *ks->slot);
  if (!ks->slot) {
    ks->slot = old;
    return false;
  }
  ks->cap = ocap * 2;
  for (size_t i = 0; i < ocap; i++)
    if (old[i].off) {
      size_t j = old[i].hash & (ks->cap - 1);
      while (ks->slot[j].off) j = (j + 1) & (ks->cap - 1);
      ks->slot[j] = old[i];
    }
  free(old);
  return true;
}

bool vc_keyset_add(vc_keyset_t *ks, const char *v, int line) {
  if (!v || !*v) return true;
  /* the usual short ASCII ID is folded here, without an allocation */
  char local[128];
  char *f = NULL;
  size_t vn = strlen(v);
  if (vn < sizeof local && is_ascii(v)) {
    for (size_t k = 0; k <= vn; k++)
      local[k] = (char)(v[k] >= 'A' && v[k] <= 'Z' ? v[k] + 32 : v[k]);
    f = local;
  } else if (!(f = key_form(v))) {
    return false;
  }
#define KS_DROP(f) do { if ((f) != local) free(f); } while (0)
  uint32_t h = (uint32_t)hash_str(f);
  size_t i = ks_find(ks, f, h);
  if (ks->slot[i].off) { /* a repeat: remembered for the report */
    KS_DROP(f);
    if (ks->nrep == ks->rcap) {
      size_t ncap = ks->rcap ? ks->rcap * 2 : 16;
      krepeat_t *nr = realloc(ks->rep, ncap * sizeof *nr);
      if (!nr) return false;
      ks->rep = nr;
      ks->rcap = ncap;
    }
    char kv[200];
    char *shown = strdup(clip(v, 40, kv, sizeof kv));
    if (!shown) return false;
    ks->rep[ks->nrep++] = (krepeat_t){line, ks->slot[i].line, shown};
    return true;
  }
  size_t n = strlen(f) + 1;
  if (ks->alen + n > ks->acap) {
    size_t ncap = ks->acap ? ks->acap : 4096;
    while (ncap < ks->alen + n) ncap *= 2;
    char *na = ncap <= UINT32_MAX ? realloc(ks->arena, ncap) : NULL;
    if (!na) {
      KS_DROP(f);
      return false;
    }
    ks->arena = na;
    ks->acap = ncap;
  }
  memcpy(ks->arena + ks->alen, f, n);
  KS_DROP(f);
#undef KS_DROP
  ks->slot[i] = (kslot_t){(uint32_t)(ks->alen + 1), h, line};
  ks->alen += n;
  if (++ks->used * 4 > ks->cap * 3 && !ks_grow(ks)) return false; /* load 3/4 */
  return true;
}

long vc_keyset_report(const vc_keyset_t *ks, const char *file, int col, const char *header,
                      vc_diag_t *d) {
  char hv[200];
  clip(header ? header : "", 40, hv, sizeof hv);
  for (size_t i = 0; i < ks->nrep; i++)
    vc_diag_add(d, VC_E_INPUT, file && *file ? file : NULL, ks->rep[i].line, col + 1,
                "the key \"%s\" in column \"%s\" is already used on line %d: "
                "each record needs its own",
                ks->rep[i].shown, hv, ks->rep[i].first);
  return (long)ks->nrep;
}

/* Reports each repeated key (see select.h), through a keyset. */
long vc_table_check_unique(const vc_table_t *t, int col, vc_diag_t *d) {
  if (!t || col < 0 || col >= vc_table_ncols(t)) return -1;
  vc_keyset_t *ks = vc_keyset_create();
  if (!ks) return -1;
  long n = vc_table_nrows(t);
  for (long r = 0; r < n; r++) {
    if (!vc_keyset_add(ks, vc_table_get(t, r, col), vc_table_row_line(t, r))) {
      vc_keyset_free(ks);
      return -1;
    }
  }
  long repeats = vc_keyset_report(ks, vc_table_name(t), col, vc_table_col_header(t, col), d);
  vc_keyset_free(ks);
  return repeats;
}
