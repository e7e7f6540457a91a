/*
 * shape.c - header, records and footer of a list (see shape.h).
 *
 * Decisions:
 *  - With the template's required fields, the header is the first row
 *    holding every one of them (by any of its names, folded): nothing
 *    else a school types above a table names "Họ và tên" and "Mã SV"
 *    together.  When no row does, the header is found by its look as
 *    without a template, so the fields' binding (records/fields.c) names
 *    what is missing as it always did.
 *  - By its look: the first row with at least two values, most of them
 *    text (not numbers or dates), that is not a title line ("CỘNG HÒA XÃ
 *    HỘI CHỦ NGHĨA VIỆT NAM", "DANH SÁCH ...", "TRƯỜNG ..." on a row of at
 *    most two values), followed by a row no more than twice as wide: a
 *    title row holds one or two values over a wider table.  When no row
 *    qualifies, the first row is the header, as before this module.
 *  - The end: once the header is known, a row is not a record when it is
 *    a total ("Tổng cộng", "Cộng", or a lone number in the table's main
 *    columns), a place-and-date line ("Lạng Sơn, ngày ... tháng ... năm"),
 *    a signature or note ("Người lập biểu", "Hiệu trưởng", "Ghi chú"), or
 *    has none of the main columns (the template's required fields, else
 *    every named column but STT).  After such a row, a row that does not
 *    fill every main column (the signers' names) is not one either.
 *    These rows are held; if the file ends, they are passed over and
 *    reported (a warning naming the lines, and the summary).  If a record
 *    follows them, each is an error at its line: the table has a hole, and
 *    guessing which side is the list would print or drop certificates.
 *  - --header-row and --last-row decide instead; --visible-only drops
 *    hidden rows before anything else looks at them.
 */
#include "input/shape.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/text.h"

/* A row held before the header or in a possible footer: one allocation. */
typedef struct held {
  vc_shape_row_t row;
  size_t bytes;
  const char *why; /* footer rows: why it is not a record */
} held_t;

struct vc_shape {
  vc_shape_opts_t o;
  const char *name;
  vc_diag_t *d;
  vc_shape_header_fn on_header;
  vc_shape_record_fn on_record;
  void *ud;
  bool stop;

  bool have_header;
  held_t *head[VC_SHAPE_MAX_HEAD_ROWS];
  int nhead;
  size_t head_bytes;

  int ncols;
  unsigned char *core; /* per header column: a main column */
  int ncore;
  held_t *tail[VC_SHAPE_MAX_TAIL_ROWS];
  int ntail;
  size_t tail_bytes;

  vc_shape_info_t info;
};

/* ---- held rows ---- */

/* A copy of row (values included), owned by the caller; NULL on no memory
 * (said in s->d, s stopped). */
static held_t *hold(vc_shape_t *s, const vc_shape_row_t *r) {
  size_t bytes = 0;
  for (int i = 0; i < r->n; i++) bytes += r->lens[i] + 1;
  size_t n = (size_t)r->n;
  held_t *h = malloc(sizeof *h + n * (sizeof(char *) + sizeof(size_t)) + bytes);
  if (!h) {
    vc_diag_add(s->d, VC_E_NOMEM, s->name, 0, 0, "out of memory");
    s->stop = true;
    return NULL;
  }
  const char **vals = (const char **)(h + 1);
  size_t *lens = (size_t *)(vals + n);
  char *p = (char *)(lens + n);
  for (int i = 0; i < r->n; i++) {
    memcpy(p, r->vals[i], r->lens[i]);
    p[r->lens[i]] = '\0';
    vals[i] = p;
    lens[i] = r->lens[i];
    p += r->lens[i] + 1;
  }
  h->row = *r;
  h->row.vals = vals;
  h->row.lens = lens;
  h->bytes = bytes + n * 16 + sizeof *h;
  h->why = NULL;
  return h;
}

/* Folded key of v (vc_text_fold_key), or NULL on no memory. */
static char *fold(const char *v) { return vc_text_fold_key(v); }

/* True when key k starts with word w as a whole word ("tong_cong_..."). */
static bool starts_word(const char *k, const char *w) {
  size_t n = strlen(w);
  return strncmp(k, w, n) == 0 && (k[n] == '\0' || k[n] == '_');
}

/* True when key k holds the words a, b, c in that order. */
static bool has_words(const char *k, const char *a, const char *b, const char *c) {
  const char *want[3] = {a, b, c};
  int at = 0;
  for (const char *p = k; *p && at < 3;) {
    if (starts_word(p, want[at])) at++;
    const char *u = strchr(p, '_');
    if (!u) break;
    p = u + 1;
  }
  return at == 3;
}

/* A value that is a number, an amount or a date rather than text. */
static bool value_like(const char *v, size_t n) {
  bool digit = false;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)v[i];
    if (c >= '0' && c <= '9') digit = true;
    else if (!strchr(".,/-: %", c) && c != 0xC4 && c != 0x91) return false; /* đ */
  }
  return digit;
}

static int count_values(const vc_shape_row_t *r) {
  int k = 0;
  for (int i = 0; i < r->n; i++) k += r->lens[i] > 0;
  return k;
}

/* First non-empty value's folded key (caller frees), NULL when none. */
static char *first_key(const vc_shape_row_t *r) {
  for (int i = 0; i < r->n; i++)
    if (r->lens[i]) return fold(r->vals[i]);
  return NULL;
}

/* A title line: the state's motto, the list's title, the school's name. */
static bool title_row(const vc_shape_row_t *r) {
  static const char *const marks[] = {"cong_hoa", "doc_lap", "danh_sach", "truong",
                                      "so_giao_duc", "bo_giao_duc", "phong_giao_duc",
                                      "uy_ban", "ubnd", "bang_diem", "ket_qua"};
  if (count_values(r) > 2) return false;
  char *k = first_key(r);
  bool hit = false;
  for (size_t i = 0; k && i < sizeof marks / sizeof *marks && !hit; i++)
    hit = starts_word(k, marks[i]) && strcmp(k, marks[i]) != 0;
  free(k);
  return hit;
}

/* Could be the header by its look (see the decisions above). */
static bool header_like(const vc_shape_row_t *r) {
  int n = 0, text = 0;
  for (int i = 0; i < r->n; i++) {
    if (!r->lens[i]) continue;
    n++;
    text += !value_like(r->vals[i], r->lens[i]);
  }
  return n >= 2 && text * 2 > n && !title_row(r);
}

/* Fields of the options found in the row. */
static int fields_found(const vc_shape_t *s, const vc_shape_row_t *r) {
  char *keys[64];
  int nk = 0, found = 0;
  for (int i = 0; i < r->n && nk < 64; i++)
    if (r->lens[i] && (keys[nk] = fold(r->vals[i]))) nk++;
  for (int f = 0; f < s->o.nfields; f++) {
    bool hit = false;
    for (int a = 0; a < s->o.fields[f].nnames && !hit; a++) {
      char *fk = fold(s->o.fields[f].names[a]);
      for (int i = 0; fk && i < nk && !hit; i++) hit = strcmp(keys[i], fk) == 0;
      free(fk);
    }
    found += hit;
  }
  for (int i = 0; i < nk; i++) free(keys[i]);
  return found;
}

/* ---- the header ---- */

/* Index among the held rows of the header, -1 when more rows are needed
 * (final: the file ended or the cap was reached, so decide now). */
static int choose_header(const vc_shape_t *s, bool final) {
  if (s->o.nfields > 0) {
    for (int i = 0; i < s->nhead; i++)
      if (fields_found(s, &s->head[i]->row) == s->o.nfields) return i;
    if (!final) return -1;
  }
  for (int i = 0; i < s->nhead; i++) {
    const vc_shape_row_t *r = &s->head[i]->row;
    if (!header_like(r)) continue;
    if (i + 1 == s->nhead) return final ? i : -1;
    if (count_values(&s->head[i + 1]->row) <= 2 * count_values(r)) return i;
  }
  return final && s->nhead ? 0 : -1;
}

static bool body_row(vc_shape_t *s, const vc_shape_row_t *r);

/* The main columns of the header row h (see the decisions above). */
static bool set_core(vc_shape_t *s, const vc_shape_row_t *h) {
  s->ncols = h->n;
  s->core = calloc((size_t)h->n + 1, 1);
  if (!s->core) return false;
  for (int i = 0; i < h->n; i++) {
    if (!h->lens[i]) continue;
    char *k = fold(h->vals[i]);
    if (!k) return false;
    bool main = false;
    if (s->o.nfields > 0) {
      for (int f = 0; f < s->o.nfields && !main; f++)
        for (int a = 0; a < s->o.fields[f].nnames && !main; a++) {
          char *fk = fold(s->o.fields[f].names[a]);
          main = fk && strcmp(fk, k) == 0;
          free(fk);
        }
    } else {
      main = strcmp(k, "stt") && strcmp(k, "tt") && strcmp(k, "so_tt") &&
             strcmp(k, "so_thu_tu") && strcmp(k, "ghi_chu");
    }
    free(k);
    s->core[i] = main;
    s->ncore += main;
  }
  return true;
}

/* Above-the-header bookkeeping. */
static void note_above(vc_shape_t *s, int line) {
  if (!s->info.above_first) s->info.above_first = line;
  s->info.above_last = line;
  s->info.above_rows++;
}

/* Row h is the header: its main columns noted, then the reader's
 * on_header.  false when reading must stop (reported). */
static bool header_is(vc_shape_t *s, const vc_shape_row_t *h) {
  s->have_header = true;
  s->info.header_line = h->line;
  if (!set_core(s, h)) {
    vc_diag_add(s->d, VC_E_NOMEM, s->name, 0, 0, "out of memory");
    s->stop = true;
  }
  if (!s->stop && !s->on_header(s->ud, h)) s->stop = true;
  return !s->stop;
}

/* Makes held row idx the header; the rows before it were above, the rows
 * after it go on as body rows. */
static bool take_header(vc_shape_t *s, int idx) {
  for (int i = 0; i < idx; i++) note_above(s, s->head[i]->row.line);
  header_is(s, &s->head[idx]->row);
  for (int i = idx + 1; i < s->nhead && !s->stop; i++) body_row(s, &s->head[i]->row);
  for (int i = 0; i < s->nhead; i++) free(s->head[i]);
  s->nhead = 0;
  s->head_bytes = 0;
  return !s->stop;
}

/* ---- the end of the table ---- */

/* Why r is not a record (an N_() phrase for messages), or NULL when it may be
 * one; in_tail: a footer row came before it. */
static const char *not_record(const vc_shape_t *s, const vc_shape_row_t *r, bool in_tail) {
  static const char *const sign[] = {"nguoi_lap", "nguoi_lap_bieu", "nguoi_ky", "hieu_truong",
                                     "pho_hieu_truong", "ke_toan", "thu_truong", "thu_quy",
                                     "ky_ten", "xac_nhan", "t_m", "tm", "kt", "giam_doc",
                                     "chu_tich", "truong_phong", "lanh_dao"};
  const char *why = NULL;
  int f0 = 0;
  while (f0 < r->n && !r->lens[f0]) f0++;
  /* "Tổng", "Cộng" start with T or C: other records (a number, most names)
   * are not folded, which would cost a third of the reading time */
  char c0 = f0 < r->n ? r->vals[f0][0] : 0;
  char *fk = c0 == 'T' || c0 == 't' || c0 == 'C' || c0 == 'c' ? first_key(r) : NULL;
  if (fk && (starts_word(fk, "tong_cong") || starts_word(fk, "tong_so") || !strcmp(fk, "cong") ||
             !strcmp(fk, "tong")))
    why = N_("a total");
  free(fk);
  /* the words of a signature block stand alone on sparse rows; on a full
   * row "Kế toán" is a class or a department */
  int nv = why ? 0 : count_values(r);
  for (int i = 0; i < r->n && !why && nv <= 2; i++) {
    if (!r->lens[i]) continue;
    char *k = fold(r->vals[i]);
    if (!k) break;
    if (has_words(k, "ngay", "thang", "nam"))
      why = N_("the place and date");
    else if (starts_word(k, "ghi_chu") || starts_word(k, "luu_y"))
      why = N_("a note");
    for (size_t m = 0; !why && m < sizeof sign / sizeof *sign; m++)
      if (starts_word(k, sign[m]) && (strlen(k) > 2 || strcmp(k, sign[m]))) why = N_("a signature");
    free(k);
  }
  if (why || s->ncore == 0) return why;
  int filled = 0, last = -1;
  for (int i = 0; i < r->n && i < s->ncols; i++)
    if (s->core[i] && r->lens[i]) filled++, last = i;
  if (filled == 0) return N_("its main columns are empty");
  if (filled == 1 && s->ncore >= 2 && value_like(r->vals[last], r->lens[last]))
    return N_("a total");
  /* under a footer, only a row with every main column filled looks like a
   * record: the signers' names sit in the name and amount columns */
  if (in_tail && filled < s->ncore) return N_("a name or note under the table");
  return NULL;
}

/* A record: straight to the reader. */
static bool deliver(vc_shape_t *s, const vc_shape_row_t *r) {
  if (r->hidden) s->info.hidden_included++;
  if (!s->on_record(s->ud, r)) s->stop = true;
  return !s->stop;
}

/* The held footer rows turn out to be inside the table (a record follows
 * on line `next`, or too many of them): each is an error at its line and
 * goes to the reader marked bad. */
static void tail_inside(vc_shape_t *s, int next) {
  for (int i = 0; i < s->ntail; i++) {
    held_t *h = s->tail[i];
    if (next)
      vc_diag_add(s->d, VC_E_INPUT, s->name, h->row.line, 0,
                  "this row is not a record (%s), but records follow it (line %d): "
                  "delete it, fill it in, or end the table before it with --last-row",
                  _(h->why), next);
    else
      vc_diag_add(s->d, VC_E_INPUT, s->name, h->row.line, 0,
                  "this row is not a record (%s), and more than %d such rows follow the "
                  "table: end the table with --last-row",
                  _(h->why), VC_SHAPE_MAX_TAIL_ROWS);
    h->row.bad = true;
    if (!s->stop) deliver(s, &h->row);
    free(h);
  }
  s->ntail = 0;
  s->tail_bytes = 0;
}

/* A row after the header. */
static bool body_row(vc_shape_t *s, const vc_shape_row_t *r) {
  if (s->o.last_row > 0 && r->line > s->o.last_row) {
    if (!s->info.below_first) s->info.below_first = r->line;
    s->info.below_last = r->line;
    s->info.below_rows++;
    return true;
  }
  /* a row with a reported problem is one the user must see as a record */
  const char *why = s->o.last_row > 0 || r->bad ? NULL : not_record(s, r, s->ntail > 0);
  if (!why) {
    if (s->ntail) tail_inside(s, r->line);
    return !s->stop && deliver(s, r);
  }
  held_t *h = hold(s, r);
  if (!h) return false;
  h->why = why;
  if (s->ntail == VC_SHAPE_MAX_TAIL_ROWS || s->tail_bytes + h->bytes > VC_SHAPE_MAX_HELD)
    tail_inside(s, 0);
  s->tail[s->ntail++] = h;
  s->tail_bytes += h->bytes;
  return !s->stop;
}

/* ---- the API ---- */

vc_shape_t *vc_shape_create(const vc_shape_opts_t *opts, const char *name, vc_diag_t *d,
                            vc_shape_header_fn on_header, vc_shape_record_fn on_record,
                            void *ud) {
  vc_shape_t *s = calloc(1, sizeof *s);
  if (!s) {
    vc_diag_add(d, VC_E_NOMEM, name, 0, 0, "out of memory");
    return NULL;
  }
  if (opts) s->o = *opts;
  s->name = name;
  s->d = d;
  s->on_header = on_header;
  s->on_record = on_record;
  s->ud = ud;
  return s;
}

void vc_shape_free(vc_shape_t *s) {
  if (!s) return;
  for (int i = 0; i < s->nhead; i++) free(s->head[i]);
  for (int i = 0; i < s->ntail; i++) free(s->tail[i]);
  free(s->core);
  free(s);
}

/* The next row (see shape.h). */
bool vc_shape_feed(vc_shape_t *s, const vc_shape_row_t *r) {
  if (s->stop) return false;
  if (r->hidden && s->o.visible_only) {
    s->info.hidden_left_out++;
    return true;
  }
  if (s->have_header) return body_row(s, r);
  if (s->o.header_row > 0) {
    if (r->line < s->o.header_row) {
      note_above(s, r->line);
      return true;
    }
    if (r->line > s->o.header_row) {
      vc_diag_add(s->d, VC_E_USAGE, s->name, (int)s->o.header_row, 0,
                  "--header-row %ld: that row is empty (the next row with values is %d)",
                  s->o.header_row, r->line);
      s->stop = true;
      return false;
    }
    return header_is(s, r);
  }
  held_t *h = hold(s, r);
  if (!h) return false;
  s->head[s->nhead++] = h;
  s->head_bytes += h->bytes;
  bool full = s->nhead == VC_SHAPE_MAX_HEAD_ROWS || s->head_bytes > VC_SHAPE_MAX_HELD;
  int idx = choose_header(s, full);
  if (idx >= 0) return take_header(s, idx);
  return true;
}

/* End of the rows (see shape.h). */
bool vc_shape_finish(vc_shape_t *s, vc_shape_info_t *info) {
  if (!s->stop && !s->have_header && s->nhead) take_header(s, choose_header(s, true));
  if (!s->stop && s->o.header_row > 0 && !s->have_header)
    vc_diag_add(s->d, VC_E_USAGE, s->name, 0, 0,
                "--header-row %ld: the list has no row with values there", s->o.header_row);
  if (!s->stop && s->ntail) {
    int first = s->tail[0]->row.line, last = s->tail[s->ntail - 1]->row.line;
    char what[160] = "";
    size_t w = 0;
    for (int i = 0; i < s->ntail && w < sizeof what - 40; i++) {
      if (i && s->tail[i]->why == s->tail[i - 1]->why) continue;
      const char *why = _(s->tail[i]->why);
      if (strstr(what, why)) continue;
      w += (size_t)snprintf(what + w, sizeof what - w, "%s%s", w ? ", " : "", why);
    }
    if (first == last)
      vc_diag_add(s->d, VC_WARN, s->name, first, 0,
                  "line %d, after the table, is not a record (%s): passed over", first, what);
    else
      vc_diag_add(s->d, VC_WARN, s->name, first, 0,
                  "lines %d-%d, after the table, are not records (%s): passed over", first,
                  last, what);
    if (!s->info.below_first || first < s->info.below_first) s->info.below_first = first;
    if (last > s->info.below_last) s->info.below_last = last;
    s->info.below_rows += s->ntail;
    for (int i = 0; i < s->ntail; i++) free(s->tail[i]);
    s->ntail = 0;
  }
  if (info) *info = s->info;
  return !s->stop;
}

/* The held row likeliest to be the header, or NULL. */
static const vc_shape_row_t *guess(const vc_shape_t *s) {
  if (!s || s->have_header || !s->nhead) return NULL;
  for (int i = 0; i < s->nhead; i++)
    if (s->o.nfields > 0 && fields_found(s, &s->head[i]->row) == s->o.nfields)
      return &s->head[i]->row;
  for (int i = 0; i < s->nhead; i++)
    if (header_like(&s->head[i]->row)) return &s->head[i]->row;
  return &s->head[0]->row;
}

const char *vc_shape_guess_name(const vc_shape_t *s, int col) {
  const vc_shape_row_t *g = guess(s);
  return g && col >= 0 && col < g->n ? g->vals[col] : NULL;
}

int vc_shape_guess_width(const vc_shape_t *s) {
  const vc_shape_row_t *g = guess(s);
  return g ? g->n : 0;
}

/* ---- the reader's side: columns and records ---- */

/* The columns from the header (see shape.h). */
bool vc_shape_columns_start(vc_shape_columns_t *c, vc_table_t *t, const vc_shape_row_t *h) {
  for (int i = 0; i < h->n; i++)
    if (vc_table_add_column(t, h->vals[i]) < 0) return false;
  c->n = h->n;
  c->header_line = h->line;
  c->first_line = calloc((size_t)c->n + 1, sizeof *c->first_line);
  c->vals = calloc((size_t)c->n + 1, sizeof *c->vals);
  c->lens = calloc((size_t)c->n + 1, sizeof *c->lens);
  return c->first_line && c->vals && c->lens;
}

/* An earlier column of the same folded name (see shape.h). */
int vc_shape_columns_twin(const vc_table_t *t, int j) {
  const char *kj = vc_table_col_key(t, j);
  if (!kj[0]) return -1;
  for (int i = 0; i < j; i++)
    if (strcmp(vc_table_col_key(t, i), kj) == 0) return i;
  return -1;
}

/* A row as the record handed on (see shape.h). */
vc_record_t vc_shape_columns_record(vc_shape_columns_t *c, const vc_shape_row_t *row,
                                    size_t *bytes) {
  size_t sum = 0;
  int have = row->n < c->n ? row->n : c->n;
  for (int i = 0; i < c->n; i++) {
    size_t len = i < have ? row->lens[i] : 0;
    c->vals[i] = len ? row->vals[i] : "";
    c->lens[i] = len;
    if (!len) continue;
    sum += len + 1;
    if (!c->first_line[i]) c->first_line[i] = row->line;
  }
  if (bytes) *bytes = sum;
  return (vc_record_t){.line = row->line, .n = c->n, .vals = c->vals, .lens = c->lens,
                       .ok = !row->bad, .hidden = row->hidden};
}

void vc_shape_columns_free(vc_shape_columns_t *c) {
  free(c->first_line);
  free(c->vals);
  free(c->lens);
}
