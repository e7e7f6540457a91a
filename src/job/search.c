/*
 * search.c - vc_data_search: records found as a person types at a kiosk,
 * best first (see vncert.h).  Names are matched by vc_selection_match, the
 * rule of --match, so the kiosk and the command find the same people; this
 * file only adds the student ID and the ranking.
 *
 * Cost: one pass over the list per call (a fold of each name), then a sort
 * of the matches.  A kiosk calls it on each keystroke, on lists of up to
 * tens of thousands: vc_data_search_prepare folds every name and places it
 * in class-list order once, and each search then only compares (at 50,000
 * records the fold alone was 60 ms a search).
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "job/engine-private.h"
#include "job/job-private.h"
#include "records/select.h"

/* Shorter text finds nothing: one letter would list half the school. */
#define SEARCH_MIN_CHARS 2

/* The student ID column: the one a job checks for uniqueness by default,
 * or a school's usual names for it; -1 when none. */
static int key_col(const vc_table_t *t) {
  static const char *names[] = {"ma_sv", "ma_hs", "ma_hoc_sinh", "mssv", "mahs"};
  for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
    int c = vc_table_find_col(t, names[i]);
    if (c >= 0) return c;
  }
  return -1;
}

typedef struct {
  long row;
  int rank; /* 0 the whole name, 1 whole words, 2 a prefix last */
  long extra; /* words of the name not typed */
  long pos;   /* place in class-list order: ties keep it */
} hit_t;

static int hit_cmp(const void *pa, const void *pb) {
  const hit_t *a = pa, *b = pb;
  if (a->rank != b->rank) return a->rank - b->rank;
  if (a->extra != b->extra) return a->extra < b->extra ? -1 : 1;
  return (a->pos > b->pos) - (a->pos < b->pos);
}

static long count_words(const char *s) {
  long n = *s ? 1 : 0;
  for (; *s; s++) n += *s == ' ';
  return n;
}

/* How well a matching name answers the typed text (both folded): the whole
 * name typed, every word typed whole (the last one too), or the last one a
 * prefix only.  false on no memory. */
static void rank_folded(const char *typed, const char *name, hit_t *h) {
  h->rank = 2;
  h->extra = count_words(name) - count_words(typed);
  const char *last = strrchr(typed, ' ');
  last = last ? last + 1 : typed;
  size_t ll = strlen(last);
  if (!strcmp(name, typed)) h->rank = 0;
  else
    for (const char *p = name; *p;) {
      const char *sp = strchr(p, ' ');
      size_t len = sp ? (size_t)(sp - p) : strlen(p);
      if (len == ll && !memcmp(p, last, ll)) h->rank = 1;
      if (!sp) break;
      p = sp + 1;
    }
}

static bool rank_hit(const char *typed, const char *value, hit_t *h) {
  h->rank = 2;
  char *name = vc_text_fold_search(value ? value : "");
  if (!name) return value && vc_utf8_valid(value, strlen(value), NULL) ? false : true;
  rank_folded(typed, name, h);
  free(name);
  return true;
}

/* True when s is ASCII without spaces: folding it only lowers its case. */
static bool ascii(const char *s) {
  for (; *s; s++)
    if ((unsigned char)*s >= 0x80 || (unsigned char)*s <= ' ') return false;
  return true;
}

/* Records whose ID is the text (folded: case and accents do not matter),
 * in file order, into rows[0..max).  Returns how many. */
static long find_ids(const vc_table_t *t, const char *folded, long max, long *rows) {
  int kc = key_col(t);
  long n = 0;
  for (long r = 0; kc >= 0 && r < vc_table_nrows(t) && n < max; r++) {
    const char *v = vc_table_get(t, r, kc);
    if (!v || !*v) continue;
    if (ascii(v)) { /* IDs mostly are: no folding (an allocation) per row */
      if (!vc_ascii_casecmp(v, folded)) rows[n++] = r;
      continue;
    }
    char *fv = vc_text_fold_search(v);
    if (fv && !strcmp(fv, folded)) rows[n++] = r;
    free(fv);
  }
  return n;
}

/* Ranks the name matches in sel (class-list order) into rows[at..max),
 * leaving out those already there.  Returns the new count, -1 on no
 * memory. */
static long rank_names(const vc_table_t *t, int col, const char *folded,
                       const vc_selection_t *sel, long at, long max, long *rows) {
  hit_t *hits = malloc((size_t)(sel->n ? sel->n : 1) * sizeof *hits);
  if (!hits) return -1;
  long nh = 0;
  for (long i = 0; i < sel->n; i++) {
    bool dup = false;
    for (long k = 0; k < at && !dup; k++) dup = rows[k] == sel->rows[i];
    if (dup) continue;
    hit_t h = {.row = sel->rows[i], .pos = i};
    if (!rank_hit(folded, vc_table_get(t, sel->rows[i], col), &h)) {
      free(hits);
      return -1;
    }
    hits[nh++] = h;
  }
  qsort(hits, (size_t)nh, sizeof *hits, hit_cmp);
  for (long i = 0; i < nh && at < max; i++) rows[at++] = hits[i].row;
  free(hits);
  return at;
}

/* The name matches of folded text, in class-list order, into sel.  false
 * on no memory. */
static bool match_names(const vc_table_t *t, int col,
                        const char *text, vc_selection_t *sel) {
  if (!vc_selection_parse(NULL, vc_table_nrows(t), sel, NULL)) return false;
  if (vc_selection_match(sel, t, col, text) < 0) return false;
  return sel->n < 2 || vc_selection_sort(sel, t, col, VC_NAME_TEN_HO_DEM, VC_TONES_VIETLEX);
}

/* What vc_data_search_prepare keeps: per row its name folded (NULL: none
 * can match it) and its place in class-list order. */
struct vc_search_index {
  int col;
  char **folded;
  long *pos;
};

void vc__search_index_free(vc_search_index_t *ix, long nrows) {
  if (!ix) return;
  for (long r = 0; ix->folded && r < nrows; r++) free(ix->folded[r]);
  free(ix->folded);
  free(ix->pos);
  free(ix);
}

/* The name column searched: ho_ten's, else the list's name column. */
static int name_col(const vc_data_t *data) {
  int col = vc_data_col(data, "ho_ten");
  return col >= 0 ? col : vc__job_name_col(vc_data_table(data));
}

bool vc_data_search_prepare(vc_data_t *data, vc_diag_t *d) {
  if (!data) return false;
  const vc_table_t *t = vc_data_table(data);
  long nr = vc_table_nrows(t);
  vc_search_index_t *ix = calloc(1, sizeof *ix);
  vc_selection_t sel = {0};
  bool ok = ix && (ix->folded = calloc((size_t)nr + 1, sizeof *ix->folded)) &&
            (ix->pos = calloc((size_t)nr + 1, sizeof *ix->pos));
  if (ok) ix->col = name_col(data);
  for (long r = 0; ok && ix->col >= 0 && r < nr; r++) {
    const char *v = vc_table_get(t, r, ix->col);
    ix->folded[r] = vc_text_fold_search(v ? v : "");
    /* a value that is not UTF-8 never matches (as unprepared); else no memory */
    if (!ix->folded[r] && !(v && !vc_utf8_valid(v, strlen(v), NULL))) ok = false;
  }
  /* class-list order of every row: the order of a sort of the matches alone,
   * as the sort is stable (file order breaks ties) */
  if (ok && ix->col >= 0)
    ok = vc_selection_parse(NULL, nr, &sel, NULL) &&
         (sel.n < 2 || vc_selection_sort(&sel, t, ix->col, VC_NAME_TEN_HO_DEM, VC_TONES_VIETLEX));
  for (long i = 0; ok && ix->col >= 0 && i < sel.n; i++) ix->pos[sel.rows[i]] = i;
  vc_selection_free(&sel);
  if (!ok) {
    vc__search_index_free(ix, nr);
    vc_diag_add(d, VC_E_NOMEM, vc_data_name(data), 0, 0, "out of memory preparing the search");
    return false;
  }
  vc__search_index_free(data->search, nr);
  data->search = ix;
  return true;
}

/* The name matches of folded text through the index, best first, into
 * rows[at..max) (those already there left out).  The new count, -1 on no
 * memory. */
static long search_indexed(const vc_data_t *data, const char *folded, long at, long max,
                           long *rows) {
  const vc_search_index_t *ix = data->search;
  long nr = vc_data_count(data), nh = 0, cap = 0;
  hit_t *hits = NULL;
  for (long r = 0; ix->col >= 0 && r < nr; r++) {
    if (!ix->folded[r] || !vc_text_words_match(ix->folded[r], folded)) continue;
    bool dup = false;
    for (long k = 0; k < at && !dup; k++) dup = rows[k] == r;
    if (dup) continue;
    if (nh == cap) {
      cap = cap ? cap * 2 : 64;
      hit_t *nhits = realloc(hits, (size_t)cap * sizeof *hits);
      if (!nhits) return free(hits), -1;
      hits = nhits;
    }
    hit_t h = {.row = r, .pos = ix->pos[r]};
    rank_folded(folded, ix->folded[r], &h);
    hits[nh++] = h;
  }
  if (nh) qsort(hits, (size_t)nh, sizeof *hits, hit_cmp);
  for (long i = 0; i < nh && at < max; i++) rows[at++] = hits[i].row;
  free(hits);
  return at;
}

long vc_data_search(const vc_data_t *data, const char *text, long max, long *rows,
                    vc_diag_t *d) {
  if (!data || !text || max < 0 || (max > 0 && !rows)) {
    vc_diag_add(d, VC_E_USAGE, NULL, 0, 0,
                "vc_data_search: needs a list, the text typed and room for the results");
    return -1;
  }
  if (max == 0 || !vc_utf8_valid(text, strlen(text), NULL)) return 0;
  char *folded = vc_text_fold_search(text);
  if (!folded) {
    vc_diag_add(d, VC_E_NOMEM, vc_data_name(data), 0, 0, "out of memory searching");
    return -1;
  }
  const vc_table_t *t = vc_data_table(data);
  long n = 0;
  if (vc_utf8_len(folded) >= SEARCH_MIN_CHARS) {
    n = find_ids(t, folded, max, rows);
    int col = name_col(data);
    vc_selection_t sel = {0};
    if (n < max && data->search) {
      n = search_indexed(data, folded, n, max, rows);
    } else if (n < max && col >= 0) {
      n = match_names(t, col, text, &sel) ? rank_names(t, col, folded, &sel, n, max, rows)
                                                : -1;
      vc_selection_free(&sel);
    }
  }
  free(folded);
  if (n < 0) vc_diag_add(d, VC_E_NOMEM, vc_data_name(data), 0, 0, "out of memory searching");
  return n;
}
