/* test_csv_stream.c - the streaming CSV reader (vc_csv_stream_*, src/input/
 * csv.c): records arrive one by one, with the lines, values, problems and
 * report of the table reader however the input is cut; and the key set
 * (vc_keyset_*, src/records/select.c) used with it. */
#include "testutil.h"

#include <malloc.h>
#include <stdarg.h>

#include "core/diag.h"
#include "input/csv.h"
#include "records/select.h"
#include "records/table.h"

/* A growing text: what a reading gave, written out to compare two. */
typedef struct {
  char *s;
  size_t len, cap;
  int nrec;
} out_t;

static void addf(out_t *o, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  assert_true(n >= 0);
  if (o->len + (size_t)n + 1 > o->cap) {
    o->cap = (o->len + (size_t)n + 1) * 2;
    o->s = realloc(o->s, o->cap);
    assert_non_null(o->s);
  }
  va_start(ap, fmt);
  vsnprintf(o->s + o->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  o->len += (size_t)n;
}

static void add_record(out_t *o, int line, const char *const *vals, int n, bool ok) {
  addf(o, "%d%s", line, ok ? "" : " bad");
  for (int c = 0; c < n; c++) addf(o, "|%s", vals[c]);
  addf(o, "\n");
}

static void add_diags(out_t *o, const vc_diag_t *d) {
  for (size_t i = 0; i < vc_diag_kept(d); i++) {
    const vc_diag_item_t *it = vc_diag_get(d, i);
    addf(o, "! %d:%d %d %s\n", it->line, it->col, (int)it->status, it->msg);
  }
}

static void add_header(out_t *o, const vc_table_t *t) {
  addf(o, "header");
  for (int c = 0; t && c < vc_table_ncols(t); c++) addf(o, "|%s", vc_table_col_header(t, c));
  addf(o, "\n");
}

/* The table reader's result, written out. */
static char *by_table(const char *s, size_t n) {
  out_t o = {0};
  vc_diag_t *d = vc_diag_create();
  vc_csv_info_t info;
  vc_table_t *t = vc_csv_read_mem_info(s, n, "t.csv", d, &info);
  if (t) {
    add_header(&o, t);
    const char *vals[64];
    for (long r = 0; r < vc_table_nrows(t); r++) {
      int nc = vc_table_ncols(t);
      assert_true(nc <= 64);
      for (int c = 0; c < nc; c++) vals[c] = vc_table_get(t, r, c);
      add_record(&o, vc_table_row_line(t, r), vals, nc, vc_table_row_ok(t, r));
    }
  }
  add_diags(&o, d);
  addf(&o, "%s delim %d skipped %ld\n", t ? "table" : "NULL", info.delimiter,
       info.skipped_lines);
  vc_table_free(t);
  vc_diag_free(d);
  return o.s;
}

static bool on_rec(void *ud, vc_table_t *t, const vc_record_t *r) {
  out_t *o = ud;
  assert_non_null(t);
  for (int c = 0; c < r->n; c++) assert_int_equal(strlen(r->vals[c]), r->lens[c]);
  add_record(o, r->line, r->vals, r->n, r->ok);
  o->nrec++;
  return true;
}

/* The streaming reader's result when s is fed in pieces: cuts[0..ncuts)
 * are increasing offsets where a piece ends (step > 0: every step bytes). */
static char *by_stream(const char *s, size_t n, const size_t *cuts, int ncuts, size_t step) {
  out_t rec = {0}, o = {0};
  addf(&rec, "%s", "");
  vc_diag_t *d = vc_diag_create();
  vc_csv_stream_t *st = vc_csv_stream_open("t.csv", d, on_rec, &rec);
  assert_non_null(st);
  size_t pos = 0;
  for (int i = 0; i <= ncuts && !step; i++) {
    size_t end = i < ncuts ? cuts[i] : n;
    vc_csv_stream_feed(st, s + pos, end - pos);
    pos = end;
  }
  for (; step && pos < n; pos += step)
    vc_csv_stream_feed(st, s + pos, pos + step <= n ? step : n - pos);
  vc_csv_info_t info;
  bool ok = vc_csv_stream_finish(st, &info);
  if (ok) {
    add_header(&o, vc_csv_stream_header(st));
    addf(&o, "%s", rec.s);
  }
  add_diags(&o, d);
  addf(&o, "%s delim %d skipped %ld\n", ok ? "table" : "NULL", info.delimiter,
       info.skipped_lines);
  vc_csv_stream_free(st);
  vc_diag_free(d);
  free(rec.s);
  return o.s;
}

static const char *const TRICKY[] = {
    "ma_sv,ho_ten\r\nSV1,\"Nguyễn\r\nVăn An\"\r\n\r\n  \r\nSV2,Bình\r\nsv1,x\r\n",
    "\xef\xbb\xbfma_sv;ho_ten;lop\nA;\"x;y\";1\nB;c\n;;\nC;d;e;f\n\"D;\"q\"r;2\nE;ố;3\n",
    "a,b\n1,\"never closed\nmore\nlines",
    "a,b\r1,2\r\r3,\"x\ry\"\r",
    "",
    "\n\n  \n",
    "ma_sv\n",
    "a,,c\n1,2,3\n4,,\n",
    "h\n\"a\"\"b\",\n",
    "a,b\n1,\xff\xfe\n2,\"x\n\xc3\"\n",
    "a,a\n1,2\n",
    "x,y\n1,2\r\r\n3,\"a\rb\"\n",
    "\n \n\"h 1\",\"h\n2\"\n\"v\",\"w\nz\"\n9,\"a\"x\n",
    "a\tb\n1\t2\n \t \n3\t\"4\t5\"\n",
    "ten;\xc2\xa0\n  \xc2\xa0Lê  Thị   Hồng\xc2\xa0 ;x\n",
    "\xff\xfe" "a\0,\0b\0",
};
#define NTRICKY (sizeof TRICKY / sizeof *TRICKY)

/* Records are handed over one by one, as soon as each is complete. */
static void test_records_one_by_one(void **state) {
  (void)state;
  out_t o = {0};
  vc_diag_t *d = vc_diag_create();
  vc_csv_stream_t *st = vc_csv_stream_open("t.csv", d, on_rec, &o);
  assert_non_null(st);
  assert_null(vc_csv_stream_header(st));
  const char *pieces[] = {"ma_sv,ho", "_ten\n", "SV1,An\nSV2,\"B", "\nC\"", "\n\n\nSV3,",
                          "D\n"};
  const int want[] = {0, 0, 1, 1, 2, 3};
  for (int i = 0; i < 6; i++) {
    assert_true(vc_csv_stream_feed(st, pieces[i], strlen(pieces[i])));
    assert_int_equal(o.nrec, want[i]);
  }
  const vc_table_t *h = vc_csv_stream_header(st);
  assert_non_null(h);
  assert_int_equal(vc_table_ncols(h), 2);
  assert_int_equal(vc_table_nrows(h), 0);
  assert_string_equal(vc_table_col_header(h, 1), "ho_ten");
  vc_csv_info_t info;
  assert_true(vc_csv_stream_finish(st, &info));
  assert_int_equal(o.nrec, 3);
  assert_string_equal(o.s, "2|SV1|An\n3|SV2|B C\n7|SV3|D\n");
  assert_int_equal(info.delimiter, ',');
  assert_int_equal(info.skipped_lines, 2);
  assert_int_equal(vc_diag_count(d), 0);
  vc_csv_stream_free(st);
  vc_diag_free(d);
  free(o.s);
}

/* Fed one byte at a time, or cut once anywhere, or in pieces of every size
 * up to 9: the same records, lines, problems and report as the table. */
static void test_every_cut_equals_table(void **state) {
  (void)state;
  for (size_t k = 0; k < NTRICKY; k++) {
    const char *s = TRICKY[k];
    size_t n = k == NTRICKY - 1 ? 8 : strlen(s); /* the last holds NULs */
    char *want = by_table(s, n);
    for (size_t step = 1; step < 10; step++) {
      char *got = by_stream(s, n, NULL, 0, step);
      if (strcmp(got, want)) fail_msg("input %zu, pieces of %zu:\n%s---\n%s", k, step, want, got);
      free(got);
    }
    for (size_t cut = 0; cut <= n; cut++) {
      char *got = by_stream(s, n, &cut, 1, 0);
      if (strcmp(got, want)) fail_msg("input %zu, cut at %zu:\n%s---\n%s", k, cut, want, got);
      free(got);
    }
    free(want);
  }
}

/* A larger file cut at every 4093rd byte (a prime: cuts fall everywhere
 * in the lines and multi-byte letters). */
static void test_large_file_in_pieces(void **state) {
  (void)state;
  out_t f = {0};
  addf(&f, "ma_sv,ho_ten,ghi_chu\r\n");
  for (int i = 0; i < 3000; i++) {
    if (i % 37 == 0) addf(&f, "\r\n");
    if (i % 53 == 0) addf(&f, "SV%d,\"Trần\r\nThị %d\",\"a \"\"b\"\", c\"\r\n", i, i);
    else if (i % 71 == 0) addf(&f, "SV%d,bad \"q\",1\r\n", i);
    else addf(&f, "SV%d,Lê Văn Ánh %d,ốồ\r\n", i, i);
  }
  char *want = by_table(f.s, f.len);
  char *got = by_stream(f.s, f.len, NULL, 0, 4093);
  assert_string_equal(got, want);
  free(got);
  free(want);
  free(f.s);
}

/* Values at and over the 64 KiB cap (issue 6, point 11): the cap holds
 * exactly (quotes doubled inside count once, white space at the end not at
 * all, however long), a long value - even one running over lines - is
 * reported on the line and column where it starts, the rows after it are
 * read, and every way of cutting the input gives the same. */
static void test_long_values(void **state) {
  (void)state;
  const size_t cap = VC_CSV_MAX_FIELD;
  out_t f = {0};
  addf(&f, "a,b,c\n");
  addf(&f, "1,%*s,z\n", (int)cap, "");                 /* 2: spaces only: empty */
  addf(&f, "2,x%*s,z\n", (int)cap - 1, "y");           /* 3: exactly the cap */
  addf(&f, "3,x%*s,z\n", (int)cap, "y");               /* 4: one byte over */
  addf(&f, "4,\"");                                     /* 5: cap quotes, doubled */
  for (size_t i = 0; i < cap; i++) addf(&f, "\"\"");
  addf(&f, "\"  ,z\n");
  addf(&f, "5,\"%s\n%*s\",z\n", "first line", (int)(3 * cap), "w"); /* 6-7 */
  addf(&f, "6,x%*s,z\n", (int)(3 * cap), " ");        /* 8: trailing spaces */
  addf(&f, "7,x%*sy,z\n", (int)(3 * cap), " ");       /* 9: the same inside */
  addf(&f, "8,\"x\"%*s,z\n", (int)(3 * cap), " ");   /* 10: after a quote */
  addf(&f, "9,ok,z\n");                                /* 11 */
  char *want = by_table(f.s, f.len);
  assert_non_null(strstr(want, "\n2|1||z\n"));
  assert_non_null(strstr(want, "\n3|2|x"));
  assert_non_null(strstr(want, "\n4 bad|3||z\n"));
  assert_non_null(strstr(want, "\n5|4|\"\"\""));
  assert_non_null(strstr(want, "\n6 bad|5||z\n"));
  assert_non_null(strstr(want, "\n8|6|x|z\n"));
  assert_non_null(strstr(want, "\n9 bad|7||z\n"));
  assert_non_null(strstr(want, "\n10|8|x|z\n"));
  assert_non_null(strstr(want, "\n11|9|ok|z\n"));
  assert_non_null(strstr(want, "! 4:2 4 the value in column \"b\" is longer than the 64 KiB"));
  assert_non_null(strstr(want, "! 6:2 4 the value in column \"b\" is longer than the 64 KiB"));
  assert_non_null(strstr(want, "! 9:2 4 the value in column \"b\" is longer than the 64 KiB"));
  static const size_t steps[] = {4093, 65536, 65537, 1u << 20};
  for (size_t i = 0; i < sizeof steps / sizeof *steps; i++) {
    char *got = by_stream(f.s, f.len, NULL, 0, steps[i]);
    if (strcmp(got, want)) fail_msg("pieces of %zu differ", steps[i]);
    free(got);
  }
  free(want);
  free(f.s);
}

/* A header value over the cap is fatal at once: two messages, no table. */
static void test_long_header(void **state) {
  (void)state;
  out_t f = {0};
  addf(&f, "ma_sv,\"%*s", (int)(4 * VC_CSV_MAX_FIELD), "x");
  addf(&f, "\"\nSV1,a\n");
  char *want = by_table(f.s, f.len);
  assert_non_null(strstr(want, "! 1:2 4 the value in the header, column 2 is longer"));
  assert_non_null(strstr(want, "! 1:0 1 the header line cannot be read"));
  assert_non_null(strstr(want, "NULL delim 44"));
  char *got = by_stream(f.s, f.len, NULL, 0, 4093);
  assert_string_equal(got, want);
  free(got);
  free(want);
  free(f.s);
}

/* Memory while a 32 MiB value is read in pieces stays that of a few
 * slices: libcsv's buffer is emptied as the value goes (before the cap was
 * enforced while reading, it held the whole value). */
static void test_long_value_memory(void **state) {
  (void)state;
  out_t rec = {0};
  vc_diag_t *d = vc_diag_create();
  vc_csv_stream_t *st = vc_csv_stream_open("t.csv", d, on_rec, &rec);
  assert_non_null(st);
  static char piece[1u << 16];
  memset(piece, 'x', sizeof piece);
  const char *head = "ma_sv,ho_ten\nSV1,\"";
  assert_true(vc_csv_stream_feed(st, head, strlen(head)));
  size_t base = mallinfo2().uordblks + mallinfo2().hblkhd, most = 0;
  for (int i = 0; i < 512; i++) {
    assert_true(vc_csv_stream_feed(st, piece, sizeof piece));
    struct mallinfo2 mi = mallinfo2();
    size_t used = mi.uordblks + mi.hblkhd - base;
    if (used > most) most = used;
  }
  assert_true(vc_csv_stream_feed(st, "\"\nSV2,b\n", 8));
  assert_true(vc_csv_stream_finish(st, NULL));
  if (most > (1u << 20)) fail_msg("%zu bytes held while reading a 32 MiB value", most);
  assert_int_equal(rec.nrec, 2);
  assert_non_null(strstr(rec.s, "2 bad|SV1|\n3|SV2|b\n"));
  vc_csv_stream_free(st);
  vc_diag_free(d);
  free(rec.s);
}

/* A header over the 1 MiB window that decides the delimiter: its first
 * megabyte decides, however the input is cut. */
static void test_header_window(void **state) {
  (void)state;
  out_t f = {0};
  for (int c = 0; c < 20; c++) addf(&f, "%sh%d%*s", c ? ";" : "", c, 60000, "x");
  addf(&f, "\n1;2\n");
  char *want = by_table(f.s, f.len);
  assert_non_null(strstr(want, "table delim 59 "));
  assert_non_null(strstr(want, "row has 2 fields, the header has 20"));
  static const size_t steps[] = {4093, 1u << 20};
  for (size_t i = 0; i < sizeof steps / sizeof *steps; i++) {
    char *got = by_stream(f.s, f.len, NULL, 0, steps[i]);
    if (strcmp(got, want)) fail_msg("pieces of %zu differ", steps[i]);
    free(got);
  }
  free(want);
  free(f.s);
}

/* The key set reports what vc_table_check_unique does. */
static void test_keyset(void **state) {
  (void)state;
  vc_keyset_t *ks = vc_keyset_create();
  assert_non_null(ks);
  char key[32];
  for (int i = 0; i < 5000; i++) { /* enough to grow a few times */
    snprintf(key, sizeof key, "SV%d", i);
    assert_true(vc_keyset_add(ks, key, i + 2));
  }
  assert_true(vc_keyset_add(ks, "sv7", 9000));   /* case does not matter */
  assert_true(vc_keyset_add(ks, "", 9001));      /* blank: not checked */
  assert_true(vc_keyset_add(ks, NULL, 9002));
  assert_true(vc_keyset_add(ks, "Đặng", 9003));
  assert_true(vc_keyset_add(ks, "đẶNG", 9004));
  vc_diag_t *d = vc_diag_create();
  assert_int_equal(vc_keyset_report(ks, "t.csv", 0, "ma_sv", d), 2);
  const vc_diag_item_t *it = vc_diag_get(d, 0);
  assert_int_equal(it->line, 9000);
  assert_int_equal(it->col, 1);
  assert_non_null(strstr(it->msg, "already used on line 9:"));
  it = vc_diag_get(d, 1);
  assert_int_equal(it->line, 9004);
  assert_non_null(strstr(it->msg, "already used on line 9003:"));
  vc_diag_free(d);
  vc_keyset_free(ks);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_records_one_by_one),
      cmocka_unit_test(test_every_cut_equals_table),
      cmocka_unit_test(test_large_file_in_pieces),
      cmocka_unit_test(test_keyset),
      cmocka_unit_test(test_long_values),
      cmocka_unit_test(test_long_header),
      cmocka_unit_test(test_long_value_memory),
      cmocka_unit_test(test_header_window),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
