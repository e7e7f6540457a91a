/*
 * table.c - the recipients table (see table.h).
 *
 * Layout, chosen so that 100,000 rows x 5 columns load with a few dozen
 * mallocs instead of half a million:
 *   - every string (headers, keys, values) is copied into an arena of big
 *     blocks owned by the table; nothing is freed one by one;
 *   - cells are one flat array of pointers, row-major (row * ncols + col),
 *     grown by doubling; an empty or unset cell points at a shared "";
 *   - per-row line numbers and ok flags are two parallel arrays.
 * Columns must therefore all be added before the first row.
 *
 * Once built, a table is only read: every getter is safe to call from several
 * threads at once.
 */
#include "records/table.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"

/* Arena blocks: big enough that a typical class list fits in a few. */
#define ARENA_BLOCK (256u << 10)

typedef struct block {
  struct block *next;
  size_t used, size;
  char data[]; /* flexible array: the strings */
} block_t;

struct vc_table {
  char *name;
  block_t *blocks; /* newest first; the head is the one being filled */

  int ncols, capcols;
  const char **headers; /* into the arena */
  const char **keys;    /* into the arena; "" when the header folds to nothing */

  long nrows, caprows;
  const char **cells; /* nrows * ncols pointers */
  int *lines;
  unsigned char *ok; /* per row: bit 0 ok, bit 1 hidden in the spreadsheet */
};

static const char empty_str[] = "";

/* Copies s[0..n) plus a NUL into the arena; NULL on no memory.  A value larger
 * than a quarter block gets a block of its own, put behind the head so the
 * head's free space is not wasted. */
static const char *arena_copy(vc_table_t *t, const char *s, size_t n) {
  if (n == 0) return empty_str;
  if (n >= SIZE_MAX - sizeof(block_t) - 1) return NULL;
  size_t need = n + 1;
  block_t *b = t->blocks;
  if (!b || b->size - b->used < need) {
    bool own = need > ARENA_BLOCK / 4;
    size_t size = own ? need : ARENA_BLOCK;
    block_t *nb = malloc(sizeof *nb + size);
    if (!nb) return NULL;
    nb->used = 0;
    nb->size = size;
    if (own && b) { /* keep filling the current head */
      nb->next = b->next;
      b->next = nb;
    } else {
      nb->next = b;
      t->blocks = nb;
    }
    b = nb;
  }
  char *p = b->data + b->used;
  memcpy(p, s, n);
  p[n] = '\0';
  b->used += need;
  return p;
}

/* Creates an empty table; the caller owns it (vc_table_free).  name is
 * copied (NULL is taken as "").  NULL on no memory. */
vc_table_t *vc_table_create(const char *name) {
  vc_table_t *t = calloc(1, sizeof *t);
  if (!t) return NULL;
  t->name = strdup(name ? name : "");
  if (!t->name) {
    free(t);
    return NULL;
  }
  return t;
}

/* Frees the table and every string it handed out.  NULL is fine. */
void vc_table_free(vc_table_t *t) {
  if (!t) return;
  block_t *b = t->blocks;
  while (b) {
    block_t *n = b->next;
    free(b);
    b = n;
  }
  free(t->headers);
  free(t->keys);
  free(t->cells);
  free(t->lines);
  free(t->ok);
  free(t->name);
  free(t);
}

/* Adds a column with header text `header` (copied as is; readers clean it
 * first) and key vc_text_fold_key(header).  Columns must all be added before
 * the first row.  Returns the new column's index, or -1 on no memory, on a
 * NULL header, or when rows already exist. */
int vc_table_add_column(vc_table_t *t, const char *header) {
  if (!t || !header || t->nrows > 0 || t->capcols > INT_MAX / 2) return -1;
  if (t->ncols == t->capcols) {
    int ncap = t->capcols ? t->capcols * 2 : 8;
    const char **h = realloc(t->headers, (size_t)ncap * sizeof *h);
    if (!h) return -1;
    t->headers = h;
    const char **k = realloc(t->keys, (size_t)ncap * sizeof *k);
    if (!k) return -1;
    t->keys = k;
    t->capcols = ncap;
  }
  char *key = vc_text_fold_key(header);
  if (!key) return -1;
  const char *hc = arena_copy(t, header, strlen(header));
  const char *kc = hc ? arena_copy(t, key, strlen(key)) : NULL;
  free(key);
  if (!kc) return -1;
  t->headers[t->ncols] = hc;
  t->keys[t->ncols] = kc;
  return t->ncols++;
}

/* Appends a row that starts on physical line `line`, all cells empty, marked
 * ok.  Returns its index, or -1 on no memory (or too many rows). */
long vc_table_add_row(vc_table_t *t, int line) {
  if (!t) return -1;
  if (t->nrows == t->caprows) {
    long ncap = t->caprows ? t->caprows * 2 : 64;
    size_t per = t->ncols > 0 ? (size_t)t->ncols : 1;
    if ((size_t)ncap > SIZE_MAX / sizeof(char *) / per) return -1;
    const char **c = realloc(t->cells, (size_t)ncap * per * sizeof *c);
    if (!c) return -1;
    t->cells = c;
    int *l = realloc(t->lines, (size_t)ncap * sizeof *l);
    if (!l) return -1;
    t->lines = l;
    unsigned char *o = realloc(t->ok, (size_t)ncap);
    if (!o) return -1;
    t->ok = o;
    t->caprows = ncap;
  }
  long r = t->nrows;
  for (int c = 0; c < t->ncols; c++) t->cells[(size_t)r * (size_t)t->ncols + (size_t)c] = empty_str;
  t->lines[r] = line;
  t->ok[r] = 1;
  return t->nrows++;
}

/* Stores a copy of v[0..n) (no NUL needed) as the value of (row, col).
 * false on no memory or an index out of range. */
bool vc_table_set_cell(vc_table_t *t, long row, int col, const char *v, size_t n) {
  if (!t || row < 0 || row >= t->nrows || col < 0 || col >= t->ncols) return false;
  if (!v && n) return false;
  const char *c = arena_copy(t, v, n);
  if (!c) return false;
  t->cells[(size_t)row * (size_t)t->ncols + (size_t)col] = c;
  return true;
}

/* Marks a row as not printable (its problem has been reported). */
void vc_table_mark_bad(vc_table_t *t, long row) {
  if (t && row >= 0 && row < t->nrows) t->ok[row] &= (unsigned char)~1u;
}

/* The name given at creation (owned by the table). */
const char *vc_table_name(const vc_table_t *t) { return t ? t->name : ""; }

int vc_table_ncols(const vc_table_t *t) { return t ? t->ncols : 0; }

long vc_table_nrows(const vc_table_t *t) { return t ? t->nrows : 0; }

/* Header text of a column (owned by the table); NULL for a bad index. */
const char *vc_table_col_header(const vc_table_t *t, int col) {
  return (t && col >= 0 && col < t->ncols) ? t->headers[col] : NULL;
}

/* Folded key of a column (owned by the table); NULL for a bad index. */
const char *vc_table_col_key(const vc_table_t *t, int col) {
  return (t && col >= 0 && col < t->ncols) ? t->keys[col] : NULL;
}

/* First column whose key equals vc_text_fold_key(name), or -1.  A name that
 * folds to "" never matches (columns with blank headers are unreachable). */
int vc_table_find_col(const vc_table_t *t, const char *name) {
  if (!t || !name) return -1;
  char *key = vc_text_fold_key(name);
  if (!key) return -1;
  int found = -1;
  if (key[0]) {
    for (int c = 0; c < t->ncols; c++) {
      if (strcmp(t->keys[c], key) == 0) {
        found = c;
        break;
      }
    }
  }
  free(key);
  return found;
}

/* Value of a cell, owned by the table: "" when empty or never set, NULL only
 * for an index out of range. */
const char *vc_table_get(const vc_table_t *t, long row, int col) {
  if (!t || row < 0 || row >= t->nrows || col < 0 || col >= t->ncols) return NULL;
  return t->cells[(size_t)row * (size_t)t->ncols + (size_t)col];
}

/* Physical line the row starts on; 0 for a bad index. */
int vc_table_row_line(const vc_table_t *t, long row) {
  return (t && row >= 0 && row < t->nrows) ? t->lines[row] : 0;
}

/* false when the row was marked bad or the index is out of range. */
bool vc_table_row_ok(const vc_table_t *t, long row) {
  return t && row >= 0 && row < t->nrows && (t->ok[row] & 1u);
}

/* Marks a row hidden (or filtered out) where it came from. */
void vc_table_mark_hidden(vc_table_t *t, long row) {
  if (t && row >= 0 && row < t->nrows) t->ok[row] |= 2u;
}

bool vc_table_row_hidden(const vc_table_t *t, long row) {
  return t && row >= 0 && row < t->nrows && (t->ok[row] & 2u);
}

/* Adds a reader's record as a row (see table.h). */
bool vc_table_add_record(void *ud, vc_table_t *t, const vc_record_t *rec) {
  (void)ud;
  long row = vc_table_add_row(t, rec->line);
  if (row < 0) return false;
  for (int c = 0; c < rec->n; c++)
    if (rec->lens[c] && !vc_table_set_cell(t, row, c, rec->vals[c], rec->lens[c])) return false;
  if (!rec->ok) vc_table_mark_bad(t, row);
  if (rec->hidden) vc_table_mark_hidden(t, row);
  return true;
}
