/*
 * test_api.c - the public API of vncert.h that front ends call on a loaded
 * template and list: vc_record_render (the page a job draws, byte for byte
 * in its content; from two threads at once; never a PDF for a bad record),
 * vc_record_check, vc_data_search (ranking, accents, the student ID,
 * limits, short and bad input), vc_data_choose.  Runs under ThreadSanitizer
 * too (THREAD_UNIT in the Makefile).
 */
#include "testutil.h"

#include <limits.h>
#include <pthread.h>
#include <unistd.h>

#include "vncert.h"

static char tmpdir[PATH_MAX];
static char names_csv[PATH_MAX + 32];

static const char *const TPL = "templates/giay-khen.yaml";
static const char *const EX = "examples/giay-khen.csv";

typedef struct {
  vc_engine_t *e;
  vc_data_t *ex;    /* examples/giay-khen.csv */
  vc_data_t *names; /* the search list below */
} fixture_t;

/* Names chosen for the ranking: exact, whole words with fewer or more
 * other words, a prefix only, accents and đ, an ID that is also text. */
static const char NAMES[] =
    "ma_sv,ho_ten,lop,thanh_tich\n"
    "SV01,Nguyễn Thị Thu Thảo,K19MN,Đã có thành tích\n"  /* 0 */
    "SV02,Lê Thảo,K19MN,Đã có thành tích\n"              /* 1 */
    "SV03,Nguyễn Thảo,K19TH,Đã có thành tích\n"          /* 2 */
    "SV04,Phạm Thảo Nguyên,K19TH,Đã có thành tích\n"     /* 3 */
    "SV05,Vũ Thị Thanh,K20MN,Đã có thành tích\n"         /* 4 */
    "SV06,Đặng Văn Đức,K20MN,Đã có thành tích\n"         /* 5 */
    "sv07,Hà Thảoly,K20MN,Đã có thành tích\n"            /* 6 */
    "SV08,Thảo Ly,K20MN,Đã có thành tích\n";             /* 7 */

static int setup(void **state) {
  if (!test_fonts_configured()) return -1;
  if (access(TPL, R_OK) != 0) { /* run from elsewhere: the tree of this file */
    char root[PATH_MAX];
    snprintf(root, sizeof root, "%s", __FILE__);
    char *cut = strstr(root, "tests/unit/");
    if (!cut) return -1;
    *cut = '\0';
    if (chdir(root) != 0) return -1;
  }
  snprintf(tmpdir, sizeof tmpdir, "/tmp/vc-api-XXXXXX");
  if (!mkdtemp(tmpdir)) return -1;
  snprintf(names_csv, sizeof names_csv, "%s/names.csv", tmpdir);
  FILE *f = fopen(names_csv, "w");
  if (!f) return -1;
  fputs(NAMES, f);
  fclose(f);
  fixture_t *fx = calloc(1, sizeof *fx);
  vc_diag_t *d = vc_diag_create();
  fx->e = vc_engine_create(TPL, "fonts", d);
  if (fx->e) fx->ex = vc_data_load(fx->e, EX, NULL, d);
  if (fx->e) fx->names = vc_data_load(fx->e, names_csv, NULL, d);
  if (!fx->ex || !fx->names || vc_diag_count(d)) {
    vc_diag_print(d, stderr);
    return -1;
  }
  vc_diag_free(d);
  *state = fx;
  return 0;
}

static int teardown(void **state) {
  fixture_t *fx = *state;
  if (fx) {
    vc_data_free(fx->ex);
    vc_data_free(fx->names);
    vc_engine_free(fx->e);
    free(fx);
  }
  char *out = NULL;
  sh(&out, "rm -rf '%s'", tmpdir);
  free(out);
  return 0;
}

/* The decompressed content stream of a one-page PDF's page, and its text
 * (pdftotext -layout), through qpdf and poppler: what the page draws. */
static char *page_of(const char *pdf) {
  char *out = NULL;
  int rc = sh(&out,
              "c=$(qpdf --show-pages '%s' | sed -n '/content:/{n;s/ *\\([0-9]*\\) 0 R/\\1/p}') && "
              "qpdf --show-object=\"$c\" --filtered-stream-data '%s' | od -An -tx1 && "
              "pdftotext -layout '%s' -",
              pdf, pdf, pdf);
  assert_int_equal(rc, 0);
  return out;
}

static void write_file(const char *path, const unsigned char *buf, size_t len) {
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(buf, 1, len, f), len);
  assert_int_equal(fclose(f), 0);
}

/* Record `row` through vc_record_render and through a job (--rows): the
 * same page content and text. */
static void render_like_job(fixture_t *fx, long row) {
  vc_diag_t *d = vc_diag_create();
  unsigned char *pdf = NULL;
  size_t len = 0;
  assert_int_equal(vc_record_render(fx->e, fx->ex, row, &pdf, &len, d), VC_OK);
  assert_int_equal(vc_diag_count(d), 0);
  assert_non_null(pdf);
  assert_true(len > 1000 && memcmp(pdf, "%PDF-", 5) == 0);
  char mem[PATH_MAX + 32], job_pdf[PATH_MAX + 32], rows[32];
  snprintf(mem, sizeof mem, "%s/mem-%ld.pdf", tmpdir, row);
  snprintf(job_pdf, sizeof job_pdf, "%s/job-%ld.pdf", tmpdir, row);
  snprintf(rows, sizeof rows, "%ld", row + 1);
  write_file(mem, pdf, len);
  free(pdf);
  vc_job_t job = {.template_path = TPL, .data_path = EX, .fonts_dir = "fonts", .out = job_pdf,
                  .rows = rows};
  vc_job_result_t res = {0};
  assert_int_equal(vc_job_render(&job, d, &res), VC_OK);
  assert_int_equal(res.pages, 1);
  char *a = page_of(mem), *b = page_of(job_pdf);
  assert_true(strlen(a) > 200);
  assert_string_equal(a, b);
  /* the record's own name is on it (upper-cased by the template) */
  const char *name = vc_data_value(fx->ex, row, "ho_ten");
  assert_non_null(name);
  assert_non_null(strstr(a, row == 0 ? "HOÀNG THỊ NGỌC ÁNH" : ""));
  free(a);
  free(b);
  vc_diag_free(d);
}

static void test_render_equals_job(void **state) {
  fixture_t *fx = *state;
  render_like_job(fx, 0);
  render_like_job(fx, vc_data_count(fx->ex) - 1);
}

typedef struct {
  fixture_t *fx;
  long row;
  const unsigned char *want;
  size_t want_len;
  int same; /* renders equal to want */
} worker_t;

static void *render_worker(void *arg) {
  worker_t *w = arg;
  vc_diag_t *d = vc_diag_create();
  for (int i = 0; i < 8; i++) {
    unsigned char *pdf = NULL;
    size_t len = 0;
    if (vc_record_render(w->fx->e, w->fx->ex, w->row, &pdf, &len, d) == VC_OK &&
        len == w->want_len && memcmp(pdf, w->want, len) == 0)
      w->same++;
    free(pdf);
  }
  vc_diag_free(d);
  return NULL;
}

/* Two threads render two records at once on one engine and data; each
 * gets, every time, the bytes one thread alone gets. */
static void test_render_threads(void **state) {
  fixture_t *fx = *state;
  worker_t w[2] = {{fx, 1, NULL, 0, 0}, {fx, 4, NULL, 0, 0}};
  unsigned char *want[2];
  for (int i = 0; i < 2; i++) {
    assert_int_equal(vc_record_render(fx->e, fx->ex, w[i].row, &want[i], &w[i].want_len, NULL),
                     VC_OK);
    w[i].want = want[i];
  }
  assert_false(w[0].want_len == w[1].want_len && !memcmp(want[0], want[1], w[0].want_len));
  pthread_t th[2];
  for (int i = 0; i < 2; i++) assert_int_equal(pthread_create(&th[i], NULL, render_worker, &w[i]), 0);
  for (int i = 0; i < 2; i++) assert_int_equal(pthread_join(th[i], NULL), 0);
  assert_int_equal(w[0].same, 8);
  assert_int_equal(w[1].same, 8);
  free(want[0]);
  free(want[1]);
}

/* Bad calls and bad records: a status, a reason, no PDF, no leak. */
static void test_render_refused(void **state) {
  fixture_t *fx = *state;
  vc_diag_t *d = vc_diag_create();
  unsigned char *pdf = (unsigned char *)"x";
  size_t len = 7;
  long n = vc_data_count(fx->ex);
  assert_int_equal(vc_record_render(fx->e, fx->ex, n, &pdf, &len, d), VC_E_USAGE);
  assert_null(pdf);
  assert_int_equal(len, 0);
  assert_int_equal(vc_record_render(fx->e, fx->ex, -1, &pdf, &len, d), VC_E_USAGE);
  assert_int_equal(vc_record_render(NULL, fx->ex, 0, &pdf, &len, d), VC_E_USAGE);
  assert_int_equal(vc_record_render(fx->e, NULL, 0, &pdf, &len, d), VC_E_USAGE);
  assert_int_equal(vc_record_render(fx->e, fx->ex, 0, NULL, &len, d), VC_E_USAGE);
  assert_int_equal(vc_diag_count(d), 5);
  vc_diag_clear(d);
  /* a record without its required name: said at its line, never drawn */
  char bad[PATH_MAX + 32];
  snprintf(bad, sizeof bad, "%s/bad.csv", tmpdir);
  FILE *f = fopen(bad, "w");
  assert_non_null(f);
  fputs("ma_sv,ho_ten,lop,thanh_tich\nSV1,Lê Thảo,K19,Giỏi\nSV2,,K19,Giỏi\n", f);
  fclose(f);
  vc_data_t *data = vc_data_load(fx->e, bad, NULL, d);
  assert_non_null(data);
  assert_int_equal(vc_record_render(fx->e, data, 1, &pdf, &len, d), VC_E_INPUT);
  assert_null(pdf);
  assert_int_equal(vc_diag_get(d, vc_diag_kept(d) - 1)->line, 3);
  assert_true(vc_record_check(fx->e, data, 1, d) > 0);
  vc_diag_clear(d);
  /* the other record prints */
  assert_int_equal(vc_record_check(fx->e, data, 0, d), 0);
  assert_int_equal(vc_record_render(fx->e, data, 0, &pdf, &len, d), VC_OK);
  assert_non_null(pdf);
  free(pdf);
  vc_data_free(data);
  vc_diag_free(d);
}

/* Searches names and returns the rows found as "r,r,r". */
static const char *found(const vc_data_t *data, const char *text, long max) {
  static char buf[256];
  long rows[16];
  vc_diag_t *d = vc_diag_create();
  long n = vc_data_search(data, text, max, rows, d);
  assert_int_equal(vc_diag_count(d), 0);
  vc_diag_free(d);
  buf[0] = '\0';
  for (long i = 0; i < n; i++)
    snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%ld", i ? "," : "", rows[i]);
  return buf;
}

static void test_search_rank(void **state) {
  fixture_t *fx = *state;
  /* the whole name first, then whole words with fewer other words, then a
   * prefix only; ties in class-list order (Lê Thảo before Nguyễn Thảo) */
  assert_string_equal(found(fx->names, "thao", 16), "7,1,2,3,0,6");
  assert_string_equal(found(fx->names, "nguyen thao", 16), "2,0");
  assert_string_equal(found(fx->names, "nguyen thi thu thao", 16), "0");
  /* accents and capitals optional, either way; đ is d */
  assert_string_equal(found(fx->names, "Thảo", 16), found(fx->names, "THAO", 16));
  assert_string_equal(found(fx->names, "dang van duc", 16), "5");
  assert_string_equal(found(fx->names, "Đặng Đức", 16), "5");
  /* the last word a prefix, as typed key by key */
  assert_string_equal(found(fx->names, "nguyen th", 16), "2,0");
  assert_string_equal(found(fx->names, "xyz", 16), "");
}

static void test_search_id(void **state) {
  fixture_t *fx = *state;
  /* a scanned ID, any case, found first and once */
  assert_string_equal(found(fx->names, "SV03", 16), "2");
  assert_string_equal(found(fx->names, "sv07", 16), "6");
  assert_string_equal(found(fx->names, " SV07 ", 16), "6");
  assert_string_equal(found(fx->names, "SV0", 16), ""); /* IDs match whole */
  /* the example list: the ID of its first record */
  const char *id = vc_data_value(fx->ex, 0, "ma_sv");
  assert_string_equal(found(fx->ex, id, 5), "0");
}

static void test_search_limits(void **state) {
  fixture_t *fx = *state;
  assert_string_equal(found(fx->names, "thao", 2), "7,1");
  assert_string_equal(found(fx->names, "thao", 0), "");
  /* fewer than 2 letters find nothing: a kiosk starts at the second */
  assert_string_equal(found(fx->names, "", 16), "");
  assert_string_equal(found(fx->names, "   ", 16), "");
  assert_string_equal(found(fx->names, "t", 16), "");
  assert_string_equal(found(fx->names, "Đ", 16), "");
  assert_string_equal(found(fx->names, "th", 16), "7,1,2,6,3,4,0");
}

/* vc_data_search_prepare: the same records in the same order, for every
 * kind of query of the tests above, on a second load of each list (the
 * fixture's stay unprepared). */
static void test_search_prepared(void **state) {
  fixture_t *fx = *state;
  static const char *const q[] = {"thao", "nguyen thao", "nguyen thi thu thao", "Thảo",
                                  "THAO", "dang van duc", "Đặng Đức", "nguyen th", "xyz",
                                  "SV03", " sv07 ", "SV0", "th", "t", "", "ly", "thi"};
  const vc_data_t *lists[2] = {fx->names, fx->ex};
  const char *paths[2] = {names_csv, EX};
  for (int l = 0; l < 2; l++) {
    vc_diag_t *d = vc_diag_create();
    vc_data_t *p = vc_data_load(fx->e, paths[l], NULL, d);
    assert_non_null(p);
    assert_true(vc_data_search_prepare(p, d));
    assert_int_equal(vc_diag_count(d), 0);
    for (size_t i = 0; i < sizeof q / sizeof *q; i++)
      for (long max = 1; max <= 16; max *= 4) {
        char want[256];
        snprintf(want, sizeof want, "%s", found(lists[l], q[i], max));
        assert_string_equal(found(p, q[i], max), want);
      }
    /* and the hand-checked order of test_search_rank */
    if (l == 0) assert_string_equal(found(p, "thao", 16), "7,1,2,3,0,6");
    vc_data_free(p);
    vc_diag_free(d);
  }
}

static void test_search_bad_input(void **state) {
  fixture_t *fx = *state;
  vc_diag_t *d = vc_diag_create();
  long rows[5];
  assert_int_equal(vc_data_search(NULL, "thao", 5, rows, d), -1);
  assert_int_equal(vc_data_search(fx->names, NULL, 5, rows, d), -1);
  assert_int_equal(vc_data_search(fx->names, "thao", 5, NULL, d), -1);
  assert_int_equal(vc_data_search(fx->names, "thao", -1, rows, d), -1);
  assert_int_equal(vc_diag_count(d), 4);
  assert_int_equal(vc_diag_status(d), VC_E_USAGE);
  vc_diag_clear(d);
  /* not UTF-8, control characters, a huge paste: nothing found, no harm */
  assert_int_equal(vc_data_search(fx->names, "th\xff\xfe", 5, rows, d), 0);
  assert_int_equal(vc_data_search(fx->names, "\x1b]0;x\x07", 5, rows, d), 0);
  size_t big = 1 << 20;
  char *huge = malloc(big + 1);
  assert_non_null(huge);
  for (size_t i = 0; i < big; i++) huge[i] = i % 7 == 6 ? ' ' : 'a';
  huge[big] = '\0';
  assert_int_equal(vc_data_search(fx->names, huge, 5, rows, d), 0);
  free(huge);
  assert_int_equal(vc_diag_count(d), 0);
  vc_diag_free(d);
}

/* vc_data_choose: a job's --where and --sort over a loaded list. */
static void test_choose(void **state) {
  fixture_t *fx = *state;
  vc_diag_t *d = vc_diag_create();
  const char *where[] = {"lop=K20MN"};
  vc_job_t job = {.where = where, .nwhere = 1, .sort = "ten"};
  long *rows = NULL, n = 0;
  assert_int_equal(vc_data_choose(fx->names, &job, &rows, &n, d), VC_OK);
  assert_int_equal(n, 4); /* Vũ Thị Thanh, Đặng Văn Đức, Hà Thảoly, Thảo Ly */
  assert_int_equal(rows[0], 5); /* Đức */
  assert_int_equal(rows[1], 7); /* Ly */
  assert_int_equal(rows[2], 4); /* Thanh */
  assert_int_equal(rows[3], 6); /* Thảoly */
  free(rows);
  vc_job_t one = {.match = "thao"}; /* several for a reprint: an error */
  assert_int_equal(vc_data_choose(fx->names, &one, &rows, &n, d), VC_E_INPUT);
  assert_null(rows);
  assert_int_equal(n, 0);
  vc_diag_free(d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_render_equals_job), cmocka_unit_test(test_render_threads),
      cmocka_unit_test(test_render_refused),    cmocka_unit_test(test_search_rank),
      cmocka_unit_test(test_search_id),         cmocka_unit_test(test_search_limits),
      cmocka_unit_test(test_search_bad_input),  cmocka_unit_test(test_search_prepared),
      cmocka_unit_test(test_choose),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
