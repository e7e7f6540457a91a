/*
 * workbook-merge.c - merged cells: a value merged over several rows (the
 * class over its students) belongs to every row of the merge.  Both
 * formats hand their cell values to the sink through here (vc__wb_merge_*),
 * so the table and the streamed records get the same values.
 *
 * Decisions (docs/data.md):
 *  - the top-left value is given to each row of the merge, in the merge's
 *    first column; a merge over several columns is not filled sideways (the
 *    other cells read as the file has them, normally empty);
 *  - the cells a merge covers in its first column are ignored (Excel keeps
 *    nothing there; LibreOffice may keep a hidden value, which is not shown);
 *  - a row that has no value of its own stays empty (skipped like any blank
 *    row): a merged class reaching past the last student makes no record;
 *  - a top-left cell with a problem (an error value) makes each row of the
 *    merge a row with a problem, naming the top-left cell;
 *  - merges starting in a column past VC_CSV_MAX_COLS are ignored (no table
 *    reaches them); at most VC_WB_MAX_MERGES merges over rows are kept.
 * Only one merge per column is active at a time (merges do not overlap in a
 * valid file; a later one replaces an earlier one), so the work per row is
 * bounded by the columns that have one.
 */
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "input/workbook-private.h"

typedef struct {
  long r1, r2, c;
} range_t;

typedef struct {
  long r1, r2;  /* rows of the active merge; r2 0 = none */
  char *v;      /* top-left value (a copy), NULL when none was given */
  size_t n;
  bool clean, bad;
} active_t;

struct vc_wb_merge {
  vc_wb_t *w;
  range_t *r; /* merges not yet started, sorted by r1 once vc__wb_merge_sort ran */
  long n, cap, next;
  long row;   /* current row */
  bool own;   /* the current row has a value of its own */
  active_t col[VC_CSV_MAX_COLS];
  int act[VC_CSV_MAX_COLS]; /* columns with an active merge */
  int nact;
};

/* A new, empty set of merges for w's sheet (caller frees); NULL on no
 * memory (reported). */
vc_wb_merge_t *vc__wb_merge_create(vc_wb_t *w) {
  vc_wb_merge_t *m = calloc(1, sizeof *m);
  if (!m) vc__wb_fail(w, VC_E_NOMEM, N_("out of memory"));
  else m->w = w;
  return m;
}

void vc__wb_merge_free(vc_wb_merge_t *m) {
  if (!m) return;
  for (int i = 0; i < m->nact; i++) free(m->col[m->act[i]].v);
  free(m->r);
  free(m);
}

/* Makes (r1, r2) the active merge of column c, dropping the one before. */
static void activate(vc_wb_merge_t *m, long r1, long r2, long c) {
  active_t *a = &m->col[c];
  if (!a->r2) m->act[m->nact++] = (int)c;
  free(a->v);
  *a = (active_t){.r1 = r1, .r2 = r2};
}

/* Adds the merge rows r1..r2, columns c1..c2 (1-based rows, 0-based
 * columns).  A merge within one row, or starting past the columns read, is
 * not kept.  A merge starting at or above the current row is active at
 * once (ods: found in its top-left cell).  -1 when more than
 * VC_WB_MAX_MERGES (the caller reports), 0 on no memory, 1 done. */
int vc__wb_merge_add(vc_wb_merge_t *m, long r1, long c1, long r2, long c2) {
  (void)c2;
  if (r2 <= r1 || r1 < 1 || c1 < 0 || c1 >= VC_CSV_MAX_COLS) return 1;
  if (m->row && r1 <= m->row) {
    if (r2 >= m->row) activate(m, r1, r2, c1);
    return 1;
  }
  if (m->n >= VC_WB_MAX_MERGES) return -1;
  if (m->n == m->cap) {
    long cap = m->cap ? m->cap * 2 : 64;
    range_t *r = realloc(m->r, (size_t)cap * sizeof *r);
    if (!r) return 0;
    m->r = r;
    m->cap = cap;
  }
  m->r[m->n++] = (range_t){r1, r2, c1};
  return 1;
}

static int cmp_range(const void *a, const void *b) {
  const range_t *x = a, *y = b;
  if (x->r1 != y->r1) return x->r1 < y->r1 ? -1 : 1;
  return x->c < y->c ? -1 : x->c > y->c;
}

/* Orders the merges added so far by their first row (xlsx: they come after
 * the rows, gathered by a first pass). */
void vc__wb_merge_sort(vc_wb_merge_t *m) {
  if (m->n > 1) qsort(m->r + m->next, (size_t)(m->n - m->next), sizeof *m->r, cmp_range);
}

/* Starts row `row` (ascending): ends the merges above it, starts those
 * whose first row is reached (a merge whose top row is absent starts with
 * no value). */
void vc__wb_merge_row(vc_wb_merge_t *m, long row) {
  m->row = row;
  m->own = false;
  for (int i = 0; i < m->nact;) {
    active_t *a = &m->col[m->act[i]];
    if (a->r2 < row) {
      free(a->v);
      *a = (active_t){0};
      m->act[i] = m->act[--m->nact];
    } else {
      i++;
    }
  }
  while (m->next < m->n && m->r[m->next].r1 <= row) {
    const range_t *r = &m->r[m->next++];
    if (r->r2 >= row) activate(m, r->r1, r->r2, r->c);
  }
}

/* True when (current row, col) is covered by a merge from a row above: its
 * own content is not shown. */
bool vc__wb_merge_covered(const vc_wb_merge_t *m, long col) {
  return col >= 0 && col < VC_CSV_MAX_COLS && m->col[col].r2 && m->col[col].r1 < m->row;
}

/* A cell value of the current row, on its way to the sink: kept when it is
 * a merge's top-left value, and counted as the row's own. */
void vc__wb_merge_value(vc_wb_merge_t *m, vc_wb_sink_t *s, long col, const char *v, size_t n,
                       bool clean) {
  for (size_t i = 0; i < n && !m->own; i++)
    if ((unsigned char)v[i] > ' ') m->own = true;
  if (col >= 0 && col < VC_CSV_MAX_COLS && m->col[col].r2 && m->col[col].r1 == m->row && n) {
    active_t *a = &m->col[col];
    free(a->v);
    a->v = malloc(n);
    if (!a->v) {
      vc__wb_fail(m->w, VC_E_NOMEM, N_("out of memory"));
      return;
    }
    memcpy(a->v, v, n);
    a->n = n;
    a->clean = clean;
  }
  vc__wb_sink_value(s, col, v, n, clean);
}

/* A problem was reported with cell col of the current row: the row is not
 * empty, and a merge's top-left cell passes the problem on. */
void vc__wb_merge_problem(vc_wb_merge_t *m, long col) {
  m->own = true;
  if (col >= 0 && col < VC_CSV_MAX_COLS && m->col[col].r2 && m->col[col].r1 == m->row)
    m->col[col].bad = true;
}

/* Before the current row ends: when it has a value of its own, each merge
 * from a row above gives it its top-left value (or its problem). */
void vc__wb_merge_fill(vc_wb_merge_t *m, vc_wb_sink_t *s) {
  if (!m->own) return;
  for (int i = 0; i < m->nact; i++) {
    long c = m->act[i];
    const active_t *a = &m->col[c];
    if (a->r1 >= m->row) continue;
    if (a->v) vc__wb_sink_value(s, c, a->v, a->n, a->clean);
    if (a->bad) {
      char top[40];
      vc__wb_cellref(c, a->r1, top, sizeof top);
      vc__wb_sink_problem(s, c, VC_E_INPUT,
                         "the cell is merged with %s above it, whose value cannot be used "
                         "(see %s)",
                         top, top);
    }
  }
}

/* ---- xlsx: <mergeCell ref="B5:B9"/>, after the rows: a first pass ---- */

/* Parses "B5" at *p: 0-based column, row; advances *p.  false when it is
 * not a cell reference. */
static bool parse_ref(const char **p, long *col, long *row) {
  const char *s = *p;
  long c = 0, r = 0;
  int k = 0;
  for (; (s[k] >= 'A' && s[k] <= 'Z') || (s[k] >= 'a' && s[k] <= 'z'); k++)
    if (c <= VC_WB_MAX_COLNUM) c = c * 26 + ((s[k] | 0x20) - 'a' + 1);
  if (!k) return false;
  int j = k;
  for (; s[j] >= '0' && s[j] <= '9'; j++)
    if (r <= VC_WB_MAX_ROWNUM) r = r * 10 + (s[j] - '0');
  if (j == k || r < 1) return false;
  *col = c - 1;
  *row = r;
  *p = s + j;
  return true;
}

/* The first pass is a byte scanner, not expat: it only has to find
 * <x:mergeCell ref="..."/>, and an expat pass over the whole sheet added two
 * thirds to the time `vncert data` takes on a 300,000-row sheet (8.8 MB);
 * the scan adds about a tenth (1.2 s -> 1.33 s).  The rows' pass still parses every byte with expat, so
 * a file that is not well-formed is refused there.  Comments, CDATA and
 * processing instructions are skipped; '>' inside quoted attribute values
 * does not end a tag. */
enum { S_TEXT, S_NAME, S_TAG, S_MERGE, S_SKIP };

typedef struct {
  vc_wb_merge_t *m;
  int state;
  char quote;      /* inside a quoted attribute value (S_TAG, S_MERGE) */
  char name[16];   /* the element name so far (S_NAME) */
  size_t nlen;
  char att[256];   /* a mergeCell's attributes (S_MERGE); longer: not one */
  size_t alen;
  char term;       /* S_SKIP: the repeated character before '>' ... */
  int need, seen;  /* ... needed (2 for "-->" and "]]>", 1 for "?>"), seen */
  bool failed;
} scan_t;

/* The ref="B5:B9" of a mergeCell's attributes, added to the merges. */
static void scan_merge(scan_t *S) {
  S->att[S->alen] = '\0';
  const char *p = S->att; /* the attributes, after the name's white space */
  for (;; p++) {
    p = strstr(p, "ref");
    if (!p) return;
    if (p == S->att || p[-1] == ' ' || p[-1] == '\t' || p[-1] == '\n' || p[-1] == '\r') break;
  }
  p += 3;
  while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') p++;
  if (*p++ != '=') return;
  while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') p++;
  char q = *p++;
  long c1, r1, c2, r2;
  if ((q != '"' && q != '\'') || !parse_ref(&p, &c1, &r1) || *p++ != ':' ||
      !parse_ref(&p, &c2, &r2) || *p != q || r2 < r1 || c2 < c1)
    return; /* not a range: nothing to fill */
  int rc = vc__wb_merge_add(S->m, r1, c1, r2, c2);
  if (rc < 0)
    vc__wb_fail(S->m->w, VC_E_LIMIT,
               N_("the sheet has more than %ld ranges of cells merged over several rows: "
                  "this is not a list vncert can read"),
               VC_WB_MAX_MERGES);
  else if (!rc)
    vc__wb_fail(S->m->w, VC_E_NOMEM, N_("out of memory"));
  S->failed = rc <= 0;
}

/* The element name ended (at c): what to do with the rest of the tag. */
static void scan_named(scan_t *S, char c) {
  const char *local = memchr(S->name, ':', S->nlen);
  local = local ? local + 1 : S->name;
  size_t ln = S->nlen - (size_t)(local - S->name);
  bool merge = ln == 9 && !memcmp(local, "mergeCell", 9);
  S->quote = 0;
  S->alen = 0;
  if (c == '>') S->state = S_TEXT;
  else S->state = merge ? S_MERGE : S_TAG;
}

static bool scan_feed(void *ud, const char *b, size_t n) {
  scan_t *S = ud;
  for (size_t i = 0; i < n && !S->failed; i++) {
    char c = b[i];
    switch (S->state) {
    case S_TEXT: {
      const char *lt = memchr(b + i, '<', n - i);
      if (!lt) return true;
      i = (size_t)(lt - b);
      S->state = S_NAME;
      S->nlen = 0;
      break;
    }
    case S_NAME:
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '/' || c == '>') {
        scan_named(S, c);
        break;
      }
      if (S->nlen < sizeof S->name) S->name[S->nlen++] = c;
      if (S->nlen == 3 && !memcmp(S->name, "!--", 3))
        S->state = S_SKIP, S->term = '-', S->need = 2, S->seen = 0;
      else if (S->nlen == 8 && !memcmp(S->name, "![CDATA[", 8))
        S->state = S_SKIP, S->term = ']', S->need = 2, S->seen = 0;
      else if (S->nlen == 1 && c == '?')
        S->state = S_SKIP, S->term = '?', S->need = 1, S->seen = 0;
      break;
    case S_TAG:
    case S_MERGE:
      if (S->quote) {
        if (c == S->quote) S->quote = 0;
      } else if (c == '"' || c == '\'') {
        S->quote = c;
      } else if (c == '>') {
        if (S->state == S_MERGE && S->alen < sizeof S->att) scan_merge(S);
        S->state = S_TEXT;
        break;
      }
      if (S->state == S_MERGE && S->alen < sizeof S->att - 1) S->att[S->alen++] = c;
      else if (S->state == S_MERGE) S->alen = sizeof S->att; /* too long */
      break;
    case S_SKIP:
      if (c == S->term) {
        if (S->seen < S->need) S->seen++;
      } else if (c == '>' && S->seen == S->need) {
        S->state = S_TEXT;
      } else {
        S->seen = 0;
      }
      break;
    }
  }
  return !S->failed;
}

/* Reads the merges of the xlsx sheet part `part` (a pass that looks only at
 * <mergeCell>, which Excel writes after the rows: the rows' pass needs them
 * first).  Its bytes do not count against VC_WB_MAX_TOTAL a second time
 * (the part's own cap still holds).  false on a problem (reported). */
bool vc__wb_merge_read_xlsx(vc_wb_merge_t *m, const char *part) {
  vc_wb_t *w = m->w;
  uint64_t total = w->total;
  scan_t S = {.m = m, .state = S_TEXT};
  int rc = vc__wb_read_raw(w, part, scan_feed, &S);
  w->total = total;
  if (rc < 0 || w->failed) return false;
  vc__wb_merge_sort(m);
  return true;
}
