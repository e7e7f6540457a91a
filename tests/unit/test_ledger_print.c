/* test_ledger_print.c - print jobs in the ledger (issue 10, point 3) on
 * both backends: a job's documents recorded pending, its end given to the
 * events not ended, the jobs not ended listed, and the issued documents no
 * completed job printed. */
#include "test_ledger_fx.h"

#include <limits.h>

typedef struct seen {
  char text[512];
  long n;
} seen_t;

static bool see_job(const char *queue, const char *job_id, long docs, void *ud) {
  seen_t *s = ud;
  size_t at = strlen(s->text);
  snprintf(s->text + at, sizeof s->text - at, "%s/%s:%ld ", queue, job_id, docs);
  s->n++;
  return true;
}

static bool see_doc(const vc_ledger_unprinted_t *u, void *ud) {
  seen_t *s = ud;
  size_t at = strlen(s->text);
  snprintf(s->text + at, sizeof s->text - at, "%s=%s ", u->key,
           u->job_state ? u->job_state : "never");
  s->n++;
  return true;
}

/* The jobs not ended, as "queue/id:docs ". */
static const char *jobs(fx_t *fx, vc_ledger_t *l, seen_t *s) {
  memset(s, 0, sizeof *s);
  long n = vc_ledger_pending_jobs(l, see_job, s, fx->d);
  assert_int_equal(n, s->n);
  return s->text;
}

/* The documents not printed (of tpl, or all), as "key=last-state ". */
static const char *unprinted(fx_t *fx, vc_ledger_t *l, const char *tpl, seen_t *s) {
  memset(s, 0, sizeof *s);
  long n = vc_ledger_unprinted(l, tpl, see_doc, s, fx->d);
  if (n < 0) vc_diag_print(fx->d, stderr);
  assert_int_equal(n, s->n);
  return s->text;
}

static void test_print_jobs(void **state) {
  fx_t *fx = *state;
  vc_ledger_t *l = fx_open(fx, T0);
  fx_rec_t r[4];
  vc_ledger_ticket_t t[4];
  const char *keys[4] = {"HS1", "HS2", "HS3", "HS4"};
  for (int i = 0; i < 4; i++) {
    fx_rec(&r[i], i < 3 ? "gk.yaml" : "bn.yaml", keys[i], "Lê Văn Tám", "1.000");
    fx_issue(fx, l, &r[i].q, &t[i]);
  }
  seen_t s;
  assert_string_equal(unprinted(fx, l, NULL, &s), "HS1=never HS2=never HS3=never HS4=never ");
  assert_string_equal(unprinted(fx, l, "bn.yaml", &s), "HS4=never ");
  /* one job of HS1 and HS2, one of HS3 */
  int64_t a[2] = {t[0].doc_id, t[1].doc_id}, b[1] = {t[2].doc_id};
  fx_ok(fx, vc_ledger_print_job(l, a, 2, "pdf", "7", "pending", fx->d));
  fx_ok(fx, vc_ledger_print_job(l, b, 1, "slow", "8", "pending", fx->d));
  assert_string_equal(jobs(fx, l, &s), "pdf/7:2 slow/8:1 ");
  assert_int_equal(vc_ledger_print_job_state(l, "pdf", "7", "completed", fx->d), 2);
  assert_int_equal(vc_ledger_print_job_state(l, "slow", "8", "timed-out", fx->d), 1);
  /* an ended job is not changed again; one not ended is */
  assert_int_equal(vc_ledger_print_job_state(l, "pdf", "7", "cancelled", fx->d), 0);
  assert_string_equal(jobs(fx, l, &s), "slow/8:1 ");
  assert_string_equal(unprinted(fx, l, "gk.yaml", &s), "HS3=timed-out ");
  assert_int_equal(vc_ledger_print_job_state(l, "slow", "8", "cancelled", fx->d), 1);
  assert_string_equal(jobs(fx, l, &s), "");
  assert_string_equal(unprinted(fx, l, NULL, &s), "HS3=cancelled HS4=never ");
  /* printed again, completed: printed; the log shows both jobs */
  fx_ok(fx, vc_ledger_print_job(l, b, 1, "pdf", "9", "pending", fx->d));
  assert_string_equal(unprinted(fx, l, "gk.yaml", &s), "HS3=pending ");
  assert_int_equal(vc_ledger_print_job_state(l, "pdf", "9", "completed", fx->d), 1);
  assert_string_equal(unprinted(fx, l, "gk.yaml", &s), "");
  vc_ledger_filter_t f = {.kind = "print", .key = "HS3"};
  assert_int_equal(fx_log_count(fx, l, &f), 2);
  /* another station's job (its own CUPS) is not this one's to ask about */
  vc_ledger_opts_t o2 = {.host = "may-in-2", .operator_name = "co.hoa"};
  vc_ledger_t *l2 = vc_ledger_open(fx->where, &o2, fx->d);
  assert_non_null(l2);
  int64_t c[1] = {t[3].doc_id};
  fx_ok(fx, vc_ledger_print_job(l2, c, 1, "pdf", "7", "pending", fx->d));
  assert_string_equal(jobs(fx, l, &s), "");
  assert_string_equal(jobs(fx, l2, &s), "pdf/7:1 ");
  /* nor is its job 7's end: this station's job 7 of the same queue is another job */
  fx_ok(fx, vc_ledger_print_job(l, a, 2, "pdf", "7", "pending", fx->d));
  assert_int_equal(vc_ledger_print_job_state(l2, "pdf", "7", "completed", fx->d), 1);
  assert_string_equal(jobs(fx, l2, &s), "");
  assert_string_equal(jobs(fx, l, &s), "pdf/7:2 ");
  assert_int_equal(vc_ledger_print_job_state(l, "pdf", "7", "completed", fx->d), 2);
  assert_string_equal(jobs(fx, l, &s), "");
  vc_ledger_close(l2);
  vc_ledger_close(l);
  /* read-only: nothing recorded */
  vc_ledger_opts_t o = {.read_only = true};
  l = vc_ledger_open(fx->where, &o, fx->d);
  assert_non_null(l);
  assert_int_equal(vc_ledger_print_job(l, b, 1, "pdf", "10", "pending", fx->d), VC_E_USAGE);
  assert_int_equal(vc_ledger_print_job_state(l, "pdf", "9", "aborted", fx->d), -1);
  vc_ledger_close(l);
  vc_diag_clear(fx->d);
}

/* print --pending's list of documents, written as CSV: whole, or, on a
 * full disk (/dev/full), VC_E_IO said, not a shorter list as if whole. */
static void test_unprinted_csv(void **state) {
  fx_t *fx = *state;
  char tpl[PATH_MAX], real[PATH_MAX], hash[VC_LEDGER_HASH_LEN], tpath[PATH_MAX];
  snprintf(tpl, sizeof tpl, "%s/gk-%d.yaml", fx->dir, fx->n);
  FILE *f = fopen(tpl, "w");
  assert_non_null(f);
  fputs("title: Giấy khen\n", f);
  assert_int_equal(fclose(f), 0);
  assert_non_null(realpath(tpl, real));
  fx_ok(fx, vc_ledger_hash_file(real, hash, fx->d));
  vc_ledger_t *l = fx_open(fx, T0);
  fx_rec_t r;
  vc_ledger_ticket_t t;
  fx_rec(&r, real, "HS1", "Lê Văn Tám", "1.000");
  r.q.template_hash = hash;
  fx_issue(fx, l, &r.q, &t);
  vc_ledger_close(l);
  vc_job_t job = {.ledger = fx->where, .template_path = tpl, .key = "ma_hs"};
  long count = 0, queued = 0;
  char text[256] = "";
  f = tmpfile();
  assert_non_null(f);
  fx_ok(fx, vc_job_unprinted_csv(&job, f, tpath, sizeof tpath, &count, &queued, fx->d));
  assert_int_equal(count, 1);
  rewind(f);
  assert_int_equal(fread(text, 1, sizeof text - 1, f) > 0, 1);
  fclose(f);
  assert_string_equal(text, "\"ma_hs\",\"ho_ten\",\"so_tien\"\r\n"
                            "\"HS1\",\"Lê Văn Tám\",\"1.000\"\r\n");
  f = fopen("/dev/full", "w");
  assert_non_null(f);
  assert_int_equal(vc_job_unprinted_csv(&job, f, tpath, sizeof tpath, &count, &queued, fx->d),
                   VC_E_IO);
  assert_true(ferror(f));
  fclose(f);
  expect_diag_st(fx->d, VC_E_IO, "the list of the 1 documents to print could not be written");
}

/* One print event as "key:job:state[:reprint] " (vc_ledger_print_fn). */
static bool see_print(const vc_ledger_row_t *r, bool reprint, void *ud) {
  seen_t *s = ud;
  size_t at = strlen(s->text);
  snprintf(s->text + at, sizeof s->text - at, "%s:%s:%s%s ", r->key, r->job_id, r->job_state,
           reprint ? ":reprint" : "");
  s->n++;
  return true;
}

static bool see_key(const char *key, void *ud) {
  seen_t *s = ud;
  size_t at = strlen(s->text);
  snprintf(s->text + at, sizeof s->text - at, "%s ", key);
  s->n++;
  return true;
}

/* The print desk's questions (issue 12): a template's print events newest
 * first (all, the last N, one job of this host), whether each is a
 * reprint, and the keys a completed job printed. */
static void test_desk_queries(void **state) {
  fx_t *fx = *state;
  vc_ledger_t *l = fx_open(fx, T0);
  fx_rec_t r[3];
  vc_ledger_ticket_t t[3];
  const char *keys[3] = {"HS1", "HS2", "HS3"};
  for (int i = 0; i < 3; i++) {
    fx_rec(&r[i], i < 2 ? "gk.yaml" : "bn.yaml", keys[i], "Lê Văn Tám", "1.000");
    fx_issue(fx, l, &r[i].q, &t[i]);
  }
  int64_t a[1] = {t[0].doc_id}, b[1] = {t[1].doc_id}, c[1] = {t[2].doc_id};
  fx_ok(fx, vc_ledger_print_job(l, a, 1, "pdf", "1", "pending", fx->d));
  fx_ok(fx, vc_ledger_print_job(l, b, 1, "pdf", "2", "pending", fx->d));
  fx_ok(fx, vc_ledger_print_job(l, c, 1, "pdf", "3", "pending", fx->d));
  assert_int_equal(vc_ledger_print_job_state(l, "pdf", "1", "completed", fx->d), 1);
  assert_int_equal(vc_ledger_print_job_state(l, "pdf", "2", "aborted", fx->d), 1);
  fx_ok(fx, vc_ledger_print_job(l, a, 1, "pdf", "4", "pending", fx->d)); /* a reprint */
  seen_t s = {0};
  assert_int_equal(vc_ledger_prints(l, "gk.yaml", NULL, NULL, 0, see_print, &s, fx->d), 3);
  assert_string_equal(s.text, "HS1:4:pending:reprint HS2:2:aborted HS1:1:completed ");
  memset(&s, 0, sizeof s);
  assert_int_equal(vc_ledger_prints(l, "gk.yaml", NULL, NULL, 2, see_print, &s, fx->d), 2);
  assert_string_equal(s.text, "HS1:4:pending:reprint HS2:2:aborted ");
  memset(&s, 0, sizeof s);
  assert_int_equal(vc_ledger_prints(l, "gk.yaml", "pdf", "2", 0, see_print, &s, fx->d), 1);
  assert_string_equal(s.text, "HS2:2:aborted ");
  memset(&s, 0, sizeof s);
  assert_int_equal(vc_ledger_prints(l, "gk.yaml", "pdf", "3", 0, see_print, &s, fx->d), 0);
  /* another station's job 2 is not this one's */
  vc_ledger_opts_t o2 = {.host = "may-in-2"};
  vc_ledger_t *l2 = vc_ledger_open(fx->where, &o2, fx->d);
  assert_non_null(l2);
  assert_int_equal(vc_ledger_prints(l2, "gk.yaml", "pdf", "2", 0, see_print, &s, fx->d), 0);
  vc_ledger_close(l2);
  memset(&s, 0, sizeof s);
  assert_int_equal(vc_ledger_printed_keys(l, "gk.yaml", see_key, &s, fx->d), 1);
  assert_string_equal(s.text, "HS1 ");
  memset(&s, 0, sizeof s);
  assert_int_equal(vc_ledger_printed_keys(l, "bn.yaml", see_key, &s, fx->d), 0);
  vc_ledger_close(l);
}

int main(void) {
  struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_print_jobs, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_unprinted_csv, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_desk_queries, fx_setup, fx_teardown),
  };
  FX_RUN(tests);
}
