/* test_ledger.c - the ledger's behaviour (issue 9), the same tests on SQLite
 * and on a real PostgreSQL server: serials, the same document kept, new
 * issues, interrupted runs resumed, reprints, print jobs, the log's filters,
 * totals, export and import between the backends. */
#include "test_ledger_fx.h"

static void test_patterns(void **state) {
  fx_t *fx = *state;
  char out[64];
  assert_true(vc_ledger_pattern_format("{year}/GK-{seq:04}", 2026, 7, out, sizeof out));
  assert_string_equal(out, "2026/GK-0007");
  assert_true(vc_ledger_pattern_format("HB{yy}-{seq}{{x}}", 2027, 12345, out, sizeof out));
  assert_string_equal(out, "HB27-12345{x}");
  assert_int_equal(vc_ledger_pattern_check("GK-{year}", fx->d), VC_E_INPUT);
  expect_diag_st(fx->d, VC_E_INPUT, "{seq} exactly once");
  assert_int_equal(vc_ledger_pattern_check("{seq}{seq}", fx->d), VC_E_INPUT);
  expect_diag_st(fx->d, VC_E_INPUT, "{seq} exactly once");
  assert_int_equal(vc_ledger_pattern_check("{so}-{seq}", fx->d), VC_E_INPUT);
  expect_diag_st(fx->d, VC_E_INPUT, "unknown placeholder");
  assert_int_equal(vc_ledger_pattern_check("{seq:99}", fx->d), VC_E_INPUT);
  expect_diag_st(fx->d, VC_E_INPUT, "width");
  assert_int_equal(vc_ledger_pattern_check("{seq", fx->d), VC_E_INPUT);
  expect_diag_st(fx->d, VC_E_INPUT, "without its '}'");
  assert_int_equal(vc_ledger_pattern_check("{seq:3}", fx->d), VC_OK);
}

static void test_hashes(void **state) {
  fx_t *fx = *state;
  vc_ledger_field_t a[2] = {{"ho_ten", "An"}, {"lop", "3A"}};
  vc_ledger_field_t b[2] = {{"lop", "3A"}, {"ho_ten", "An"}};
  vc_ledger_field_t c[2] = {{"ho_ten", "An3"}, {"lop", "A"}};
  char ha[VC_LEDGER_HASH_LEN], hb[VC_LEDGER_HASH_LEN], hc[VC_LEDGER_HASH_LEN];
  fx_ok(fx, vc_ledger_hash_values(a, 2, ha, fx->d));
  fx_ok(fx, vc_ledger_hash_values(b, 2, hb, fx->d));
  fx_ok(fx, vc_ledger_hash_values(c, 2, hc, fx->d));
  assert_string_equal(ha, hb);    /* order does not matter */
  assert_string_not_equal(ha, hc); /* where a value ends does */
  /* the template hash is sha256sum's */
  char path[400], h[VC_LEDGER_HASH_LEN], *want = NULL;
  snprintf(path, sizeof path, "%s/tpl-%d.yaml", fx->dir, fx->n);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs("serial: \"{year}/GK-{seq:04}\"\n", f);
  fclose(f);
  fx_ok(fx, vc_ledger_hash_file(path, h, fx->d));
  assert_int_equal(sh(&want, "sha256sum %s | cut -c1-64", path), 0);
  want[64] = '\0';
  assert_string_equal(h, want);
  free(want);
  strcat(path, ".missing");
  assert_int_equal(vc_ledger_hash_file(path, h, fx->d), VC_E_IO);
  expect_diag_st(fx->d, VC_E_IO, "cannot be read");
}

static void test_serials(void **state) {
  fx_t *fx = *state;
  vc_ledger_t *l = fx_open(fx, T0);
  assert_int_equal(vc_ledger_schema(l), VC_LEDGER_SCHEMA);
  assert_string_equal(vc_ledger_backend(l), fx->pg ? "postgresql" : "sqlite");
  fx_rec_t r[3];
  fx_rec(&r[0], "giay-khen.yaml", "HS001", "Nguyễn Thị Thu Thảo", "500.000");
  fx_rec(&r[1], "giay-khen.yaml", "HS002", "Trần Văn Đức", "300.000");
  fx_rec(&r[2], "giay-khen.yaml", "HS003", "Lê Minh", "0");
  vc_ledger_req_t q[3] = {r[0].q, r[1].q, r[2].q};
  vc_ledger_ticket_t t[3];
  fx_ok(fx, vc_ledger_reserve(l, q, 3, t, fx->d));
  for (int i = 0; i < 3; i++) {
    char want[32];
    snprintf(want, sizeof want, "2026/GK-%04d", i + 1);
    assert_string_equal(t[i].serial, want);
    assert_int_equal(t[i].res, VC_LEDGER_NEW);
  }
  assert_int_equal(vc_ledger_pending_count(l, fx->d), 3);
  fx_ok(fx, vc_ledger_confirm(l, t, 3, fx->d));
  assert_int_equal(vc_ledger_pending_count(l, fx->d), 0);
  /* the same record, the same template: the same document */
  vc_ledger_ticket_t again;
  fx_ok(fx, vc_ledger_reserve(l, &r[1].q, 1, &again, fx->d));
  assert_int_equal(again.res, VC_LEDGER_EXISTS);
  assert_string_equal(again.serial, "2026/GK-0002");
  assert_false(again.values_changed);
  fx_ok(fx, vc_ledger_confirm(l, &again, 1, fx->d));
  /* its values changed: still the same document, said so */
  snprintf(r[1].money, sizeof r[1].money, "350.000");
  fx_ok(fx, vc_ledger_reserve(l, &r[1].q, 1, &again, fx->d));
  assert_int_equal(again.res, VC_LEDGER_EXISTS);
  assert_true(again.values_changed);
  assert_false(again.template_changed);
  /* another template: another document, its own serial */
  fx_rec_t hb;
  fx_rec(&hb, "bien-nhan.yaml", "HS002", "Trần Văn Đức", "1.000.000");
  hb.q.pattern = "HB-{seq:03}";
  fx_issue(fx, l, &hb.q, &again);
  assert_string_equal(again.serial, "HB-001");
  vc_ledger_close(l);
  /* next year the counter starts again */
  l = fx_open(fx, T0 + 40 * DAY);
  fx_rec_t y;
  fx_rec(&y, "giay-khen.yaml", "HS104", "Phạm Hà", "1");
  fx_issue(fx, l, &y.q, &again);
  assert_string_equal(again.serial, "2027/GK-0001");
  /* a pattern whose serial another already gave is skipped over */
  fx_rec(&y, "khac.yaml", "HS105", "Phạm Hà", "1");
  y.q.pattern = "2027/GK-{seq:04}";
  fx_issue(fx, l, &y.q, &again);
  assert_string_equal(again.serial, "2027/GK-0002");
  vc_ledger_close(l);
}

/* A batch larger than a chunk (256) and than a PostgreSQL IN list (32),
 * mixing documents already issued, pending ones an interrupted run left,
 * and a serial another pattern gave: each found or made once, serials
 * unique, values and names recorded, confirmed by ranges. */
static void test_big_batch(void **state) {
  fx_t *fx = *state;
  vc_ledger_t *l = fx_open(fx, T0);
  enum { N = 600 };
  fx_rec_t *r = calloc(N, sizeof *r);
  vc_ledger_req_t *q = calloc(N, sizeof *q);
  vc_ledger_ticket_t *t = calloc(N, sizeof *t), old[10], left[5], other;
  assert_true(r && q && t);
  for (int i = 0; i < N; i++) {
    char key[16], name[64];
    snprintf(key, sizeof key, "HS%04d", i);
    snprintf(name, sizeof name, "Nguyễn Văn Số%d", i);
    fx_rec(&r[i], "giay-khen.yaml", key, name, "100.000");
    q[i] = r[i].q;
  }
  /* what PostgreSQL's COPY text would read as escapes, kept as given */
  snprintf(r[598].money, sizeof r[598].money, "a\\b\tc\nd\re\\.");
  fx_ok(fx, vc_ledger_reserve(l, q + 100, 10, old, fx->d)); /* issued before */
  fx_ok(fx, vc_ledger_confirm(l, old, 10, fx->d));
  fx_ok(fx, vc_ledger_reserve(l, q + 300, 5, left, fx->d)); /* a killed run's */
  fx_rec_t o;
  fx_rec(&o, "khac.yaml", "X1", "Lê Khác", "1");
  o.q.pattern = "{year}/GK-03{seq:02}"; /* gives 2026/GK-0301 */
  fx_issue(fx, l, &o.q, &other);
  assert_string_equal(other.serial, "2026/GK-0301");
  fx_ok(fx, vc_ledger_reserve(l, q, N, t, fx->d));
  for (int i = 0; i < N; i++) {
    if (i >= 100 && i < 110) {
      assert_int_equal(t[i].res, VC_LEDGER_EXISTS);
      assert_string_equal(t[i].serial, old[i - 100].serial);
    } else if (i >= 300 && i < 305) {
      assert_int_equal(t[i].res, VC_LEDGER_RESUMED);
      assert_string_equal(t[i].serial, left[i - 300].serial);
    } else {
      assert_int_equal(t[i].res, VC_LEDGER_NEW);
    }
    assert_string_not_equal(t[i].serial, "2026/GK-0301");
    for (int k = 0; k < i; k++) {
      assert_string_not_equal(t[i].serial, t[k].serial);
      assert_true(t[i].doc_id != t[k].doc_id);
    }
  }
  assert_int_equal(vc_ledger_pending_count(l, fx->d), N - 10);
  fx_ok(fx, vc_ledger_confirm(l, t, N, fx->d));
  assert_int_equal(vc_ledger_pending_count(l, fx->d), 0);
  vc_ledger_filter_t f = {.kind = "render"};
  assert_int_equal(fx_log_count(fx, l, &f), N + 10 + 1);
  f = (vc_ledger_filter_t){.name = "nguyen van so599"};
  assert_int_equal(fx_log_count(fx, l, &f), 1);
  vc_ledger_doc_t *doc = NULL;
  fx_ok(fx, vc_ledger_find(l, "giay-khen.yaml", "HS0599", NULL, &doc, fx->d));
  assert_non_null(doc);
  assert_string_equal(doc->serial, t[599].serial);
  assert_string_equal(doc->state, "issued");
  assert_int_equal(doc->nfields, 3);
  assert_string_equal(doc->fields[1].value, "Nguyễn Văn Số599");
  vc_ledger_doc_free(doc);
  fx_ok(fx, vc_ledger_find(l, "giay-khen.yaml", "HS0598", NULL, &doc, fx->d));
  assert_non_null(doc);
  assert_string_equal(doc->fields[2].value, "a\\b\tc\nd\re\\.");
  vc_ledger_doc_free(doc);
  free(r);
  free(q);
  free(t);
  vc_ledger_close(l);
}

static void test_new_issue(void **state) {
  fx_t *fx = *state;
  vc_ledger_t *l = fx_open(fx, T0);
  fx_rec_t r;
  fx_rec(&r, "giay-khen.yaml", "HS001", "Nguyễn Thị Thu Thảo", "500.000");
  vc_ledger_ticket_t t1, t2;
  fx_issue(fx, l, &r.q, &t1);
  r.q.new_issue = true;
  assert_int_equal(vc_ledger_reserve(l, &r.q, 1, &t2, fx->d), VC_E_USAGE);
  expect_diag_st(fx->d, VC_E_USAGE, "give a reason");
  r.q.reason = "giấy cũ bị rách";
  fx_ok(fx, vc_ledger_reserve(l, &r.q, 1, &t2, fx->d));
  assert_int_equal(t2.res, VC_LEDGER_NEW);
  assert_string_equal(t2.serial, "2026/GK-0002");
  /* until confirmed, the old one is the document */
  vc_ledger_doc_t *doc = NULL;
  fx_ok(fx, vc_ledger_find(l, "giay-khen.yaml", "HS001", NULL, &doc, fx->d));
  assert_string_equal(doc->serial, "2026/GK-0001");
  vc_ledger_doc_free(doc);
  fx_ok(fx, vc_ledger_confirm(l, &t2, 1, fx->d));
  fx_ok(fx, vc_ledger_find(l, "giay-khen.yaml", "HS001", NULL, &doc, fx->d));
  assert_string_equal(doc->serial, "2026/GK-0002");
  vc_ledger_doc_free(doc);
  fx_ok(fx, vc_ledger_find(l, NULL, NULL, "2026/GK-0001", &doc, fx->d));
  assert_string_equal(doc->state, "replaced");
  vc_ledger_doc_free(doc);
  vc_ledger_filter_t f = {.kind = "new-issue"};
  assert_int_equal(fx_log_count(fx, l, &f), 1);
  /* without --new-issue, the new one is kept */
  r.q.new_issue = false;
  fx_ok(fx, vc_ledger_reserve(l, &r.q, 1, &t1, fx->d));
  assert_string_equal(t1.serial, "2026/GK-0002");
  assert_int_equal(t1.res, VC_LEDGER_EXISTS);
  vc_ledger_close(l);
}

static void test_resume(void **state) {
  fx_t *fx = *state;
  vc_ledger_t *l = fx_open(fx, T0);
  fx_rec_t a, b;
  fx_rec(&a, "giay-khen.yaml", "HS001", "An", "1");
  fx_rec(&b, "giay-khen.yaml", "HS002", "Bình", "2");
  vc_ledger_req_t q[2] = {a.q, b.q};
  vc_ledger_ticket_t t[2], u[2];
  fx_ok(fx, vc_ledger_reserve(l, q, 2, t, fx->d));
  vc_ledger_close(l); /* the run stops before writing its files */
  l = fx_open(fx, T0 + 60);
  assert_int_equal(vc_ledger_pending_count(l, fx->d), 2);
  /* nothing pending is a document */
  vc_ledger_doc_t *doc = (void *)1;
  fx_ok(fx, vc_ledger_find(l, "giay-khen.yaml", "HS001", NULL, &doc, fx->d));
  assert_null(doc);
  snprintf(b.money, sizeof b.money, "3");
  q[1] = b.q;
  fx_ok(fx, vc_ledger_reserve(l, q, 2, u, fx->d));
  for (int i = 0; i < 2; i++) {
    assert_int_equal(u[i].res, VC_LEDGER_RESUMED);
    assert_string_equal(u[i].serial, t[i].serial);
    assert_int_equal(u[i].doc_id, t[i].doc_id);
  }
  assert_false(u[0].values_changed);
  assert_true(u[1].values_changed);
  fx_ok(fx, vc_ledger_confirm(l, u, 2, fx->d));
  fx_ok(fx, vc_ledger_find(l, "giay-khen.yaml", "HS002", NULL, &doc, fx->d));
  assert_non_null(doc);
  assert_string_equal(doc->fields[2].value, "3"); /* this run's values */
  assert_int_equal(doc->issued_at, T0 + 60);
  vc_ledger_doc_free(doc);
  /* a released reservation goes; its serial is not given again */
  fx_rec_t c;
  fx_rec(&c, "giay-khen.yaml", "HS003", "Chi", "1");
  fx_ok(fx, vc_ledger_reserve(l, &c.q, 1, t, fx->d));
  assert_string_equal(t[0].serial, "2026/GK-0003");
  fx_ok(fx, vc_ledger_release(l, t, 1, fx->d));
  assert_int_equal(vc_ledger_pending_count(l, fx->d), 0);
  fx_ok(fx, vc_ledger_reserve(l, &c.q, 1, t, fx->d));
  assert_string_equal(t[0].serial, "2026/GK-0004");
  /* releasing an issued document's ticket changes nothing */
  fx_ok(fx, vc_ledger_release(l, u, 1, fx->d));
  fx_ok(fx, vc_ledger_find(l, "giay-khen.yaml", "HS001", NULL, &doc, fx->d));
  assert_non_null(doc);
  vc_ledger_doc_free(doc);
  vc_ledger_close(l);
}

static void test_reprint(void **state) {
  fx_t *fx = *state;
  vc_ledger_t *l = fx_open(fx, T0);
  fx_rec_t r;
  fx_rec(&r, "bien-nhan.yaml", "HS007", "Võ Thị Sáu", "2.000.000");
  vc_ledger_ticket_t t;
  fx_issue(fx, l, &r.q, &t);
  vc_ledger_doc_t *doc = NULL;
  fx_ok(fx, vc_ledger_find(l, NULL, NULL, t.serial, &doc, fx->d));
  assert_non_null(doc);
  assert_string_equal(doc->key, "HS007");
  assert_string_equal(doc->name, "Võ Thị Sáu");
  assert_string_equal(doc->template_hash, r.q.template_hash);
  assert_int_equal(doc->nfields, 3);
  assert_string_equal(doc->fields[1].name, "ho_ten");
  assert_string_equal(doc->fields[2].value, "2.000.000");
  assert_int_equal(doc->reprints, 0);
  long nth = 0;
  assert_int_equal(vc_ledger_reprint(l, doc->id, "", NULL, NULL, 0, &nth, fx->d), VC_E_USAGE);
  expect_diag_st(fx->d, VC_E_USAGE, "give a reason");
  fx_ok(fx, vc_ledger_reprint(l, doc->id, "mất giấy", NULL, NULL, 0, &nth, fx->d));
  assert_int_equal(nth, 1);
  /* forced: the new values become the document's */
  vc_ledger_field_t nf[3] = {{"ma_hs", "HS007"}, {"ho_ten", "Võ Thị Sáu"},
                             {"so_tien", "2.500.000"}};
  fx_ok(fx, vc_ledger_reprint(l, doc->id, "sửa số tiền", NULL, nf, 3, &nth, fx->d));
  assert_int_equal(nth, 2);
  int64_t id = doc->id;
  char old_vh[VC_LEDGER_HASH_LEN];
  snprintf(old_vh, sizeof old_vh, "%s", doc->values_hash);
  vc_ledger_doc_free(doc);
  fx_ok(fx, vc_ledger_find(l, "bien-nhan.yaml", "HS007", NULL, &doc, fx->d));
  assert_int_equal(doc->reprints, 2);
  assert_string_equal(doc->fields[2].value, "2.500.000");
  assert_string_not_equal(doc->values_hash, old_vh);
  vc_ledger_doc_free(doc);
  vc_ledger_filter_t f = {.kind = "reprint", .serial = t.serial};
  assert_int_equal(fx_log_count(fx, l, &f), 2);
  /* print jobs, their final state later */
  int64_t ev = 0;
  fx_ok(fx, vc_ledger_print(l, id, "Canon-P1", "412", "pending", &ev, fx->d));
  assert_true(ev > 0);
  fx_ok(fx, vc_ledger_print_state(l, ev, "completed", fx->d));
  vc_status_t pst = vc_ledger_print_state(l, ev + 100, "completed", fx->d);
  if (pst != VC_E_INPUT) vc_diag_print(fx->d, stderr);
  assert_int_equal(pst, VC_E_INPUT);
  expect_diag_st(fx->d, VC_E_INPUT, "no print job");
  vc_ledger_close(l);
  /* a pending document is not reprinted */
  l = fx_open(fx, T0);
  fx_rec(&r, "bien-nhan.yaml", "HS008", "Ai", "1");
  fx_ok(fx, vc_ledger_reserve(l, &r.q, 1, &t, fx->d));
  assert_int_equal(vc_ledger_reprint(l, t.doc_id, "x", NULL, NULL, 0, &nth, fx->d), VC_E_INPUT);
  expect_diag_st(fx->d, VC_E_INPUT, "only an issued document");
  vc_ledger_close(l);
  if (!fx->pg) return;
  /* a password given never shows in a message */
  char where[700];
  snprintf(where, sizeof where, "%s password=bimat123", fx->where);
  vc_ledger_opts_t o = {.now = T0};
  l = vc_ledger_open(where, &o, fx->d);
  assert_non_null(l);
  assert_int_equal(vc_ledger_reprint(l, t.doc_id, "x", NULL, NULL, 0, &nth, fx->d), VC_E_INPUT);
  assert_int_equal(vc_diag_kept(fx->d), 1);
  const vc_diag_item_t *it = vc_diag_get(fx->d, 0);
  assert_null(strstr(it->msg, "bimat123"));
  assert_null(strstr(it->file, "bimat123"));
  assert_non_null(strstr(it->file, "password=***"));
  vc_diag_clear(fx->d);
  vc_ledger_close(l);
}

typedef struct seen {
  char kinds[256];
  char job_state[32];
  char reason[64];
} seen_t;

static bool see(const vc_ledger_row_t *r, void *ud) {
  seen_t *s = ud;
  strcat(s->kinds, r->kind);
  strcat(s->kinds, ";");
  if (r->job_state) snprintf(s->job_state, sizeof s->job_state, "%s", r->job_state);
  if (r->reason) snprintf(s->reason, sizeof s->reason, "%s", r->reason);
  return true;
}

static void test_log(void **state) {
  fx_t *fx = *state;
  const char *names[] = {"Nguyễn Thị Thu Thảo", "Nguyễn Văn Thảo", "Trần Thị Thu",
                         "Đặng Đức Thắng", "Thảo Nguyên"};
  for (int i = 0; i < 5; i++) {
    vc_ledger_t *l = fx_open(fx, T0 + i * DAY);
    fx_rec_t r;
    char key[16];
    snprintf(key, sizeof key, "HS%03d", i);
    fx_rec(&r, i < 3 ? "giay-khen.yaml" : "bien-nhan.yaml", key, names[i], "1.000");
    vc_ledger_ticket_t t;
    fx_issue(fx, l, &r.q, &t);
    vc_ledger_close(l);
  }
  vc_ledger_t *l = fx_open(fx, T0 + 9 * DAY);
  vc_ledger_doc_t *doc;
  fx_ok(fx, vc_ledger_find(l, "giay-khen.yaml", "HS001", NULL, &doc, fx->d));
  int64_t ev;
  fx_ok(fx, vc_ledger_print(l, doc->id, "P1", "9", "completed", &ev, fx->d));
  vc_ledger_doc_free(doc);
  vc_ledger_filter_t f = {0};
  assert_int_equal(fx_log_count(fx, l, &f), 6);
  f = (vc_ledger_filter_t){.key = "HS001"};
  seen_t s = {0};
  assert_int_equal(vc_ledger_log(l, &f, see, &s, fx->d), 2);
  assert_string_equal(s.kinds, "render;print;");
  assert_string_equal(s.job_state, "completed");
  /* names as --match finds them */
  const struct { const char *typed; long n; } m[] = {
      {"thao", 4}, {"THẢO", 4}, {"nguyen thao", 3}, {"thu thao", 1}, {"tha", 5},
      {"thi thao nguyen", 0}, {"dang duc", 1}, {"đức", 1}, {"thu", 2},
      {"  ", 0}, {"nguyen thi th", 1}};
  for (size_t i = 0; i < sizeof m / sizeof m[0]; i++) {
    f = (vc_ledger_filter_t){.name = m[i].typed};
    long got = fx_log_count(fx, l, &f);
    if (got != m[i].n) fprintf(stderr, "name \"%s\": %ld rows\n", m[i].typed, got);
    assert_int_equal(got, m[i].n);
  }
  f = (vc_ledger_filter_t){.serial = "2026/GK-0004"};
  assert_int_equal(fx_log_count(fx, l, &f), 1);
  f = (vc_ledger_filter_t){.template_path = "bien-nhan.yaml"};
  assert_int_equal(fx_log_count(fx, l, &f), 2);
  f = (vc_ledger_filter_t){.from = T0 + DAY, .to = T0 + 3 * DAY};
  assert_int_equal(fx_log_count(fx, l, &f), 2);
  f = (vc_ledger_filter_t){.kind = "print"};
  assert_int_equal(fx_log_count(fx, l, &f), 1);
  f = (vc_ledger_filter_t){.name = "thao", .template_path = "giay-khen.yaml", .kind = "render"};
  assert_int_equal(fx_log_count(fx, l, &f), 2);
  f = (vc_ledger_filter_t){.limit = 4};
  assert_int_equal(fx_log_count(fx, l, &f), 4);
  vc_ledger_close(l);
  /* read only: the log, nothing recorded */
  vc_ledger_opts_t o = {.read_only = true};
  l = vc_ledger_open(fx->where, &o, fx->d);
  assert_non_null(l);
  f = (vc_ledger_filter_t){0};
  assert_int_equal(fx_log_count(fx, l, &f), 6);
  fx_rec_t r;
  fx_rec(&r, "giay-khen.yaml", "HS900", "X", "1");
  vc_ledger_ticket_t t;
  assert_int_equal(vc_ledger_reserve(l, &r.q, 1, &t, fx->d), VC_E_USAGE);
  expect_diag_st(fx->d, VC_E_USAGE, "reading only");
  vc_ledger_close(l);
}

typedef struct sums {
  char text[512];
} sums_t;

static bool add_sum(const vc_ledger_total_t *t, void *ud) {
  sums_t *s = ud;
  char line[160];
  snprintf(line, sizeof line, "%s %s %llu %ld %ld|", t->template_path, t->day,
           (unsigned long long)t->sum, t->documents, t->bad);
  strcat(s->text, line);
  return true;
}

static void test_totals(void **state) {
  fx_t *fx = *state;
  const struct { int day; const char *tpl, *money; } rows[] = {
      {0, "bien-nhan.yaml", "1.500.000"}, {0, "bien-nhan.yaml", "2000000 đ"},
      {1, "bien-nhan.yaml", "500.000"},   {0, "giay-khen.yaml", "không"},
      {1, "bien-nhan.yaml", "250.000 VNĐ"}};
  for (int i = 0; i < 5; i++) {
    vc_ledger_t *l = fx_open(fx, T0 + rows[i].day * DAY);
    fx_rec_t r;
    char key[16];
    snprintf(key, sizeof key, "K%d", i);
    fx_rec(&r, rows[i].tpl, key, "Ai", rows[i].money);
    vc_ledger_ticket_t t;
    fx_issue(fx, l, &r.q, &t);
    vc_ledger_close(l);
  }
  vc_ledger_t *l = fx_open(fx, T0);
  sums_t s = {0};
  assert_int_equal(vc_ledger_totals(l, "so_tien", NULL, add_sum, &s, fx->d), 3);
  assert_string_equal(s.text, "bien-nhan.yaml 2026-12-05 3500000 2 0|"
                              "bien-nhan.yaml 2026-12-06 750000 2 0|"
                              "giay-khen.yaml 2026-12-05 0 1 1|");
  memset(&s, 0, sizeof s);
  vc_ledger_filter_t f = {.from = T0 + DAY};
  assert_int_equal(vc_ledger_totals(l, "so_tien", &f, add_sum, &s, fx->d), 1);
  assert_string_equal(s.text, "bien-nhan.yaml 2026-12-06 750000 2 0|");
  vc_ledger_close(l);
}

/* Imports export a into the empty ledger l, exports it to b: the same
 * bytes. */
static void round_trip(fx_t *fx, vc_ledger_t *l, const char *a, const char *b) {
  FILE *f = fopen(a, "r");
  assert_non_null(f);
  fx_ok(fx, vc_ledger_import(l, f, a, fx->d));
  fclose(f);
  f = fopen(b, "w");
  assert_non_null(f);
  fx_ok(fx, vc_ledger_export(l, f, fx->d));
  fclose(f);
  assert_int_equal(sh(NULL, "cmp -s %s %s", a, b), 0);
}

/* Export, import into the other backend's kind of ledger (SQLite for a
 * PostgreSQL one and the reverse through a second SQLite file), export
 * again: the same text. */
static void test_export_import(void **state) {
  fx_t *fx = *state;
  vc_ledger_t *l = fx_open(fx, T0);
  fx_rec_t r;
  vc_ledger_ticket_t t;
  fx_rec(&r, "giay-khen.yaml", "HS1", "Nguyễn \"Tí\", Hà", "1.000");
  fx_issue(fx, l, &r.q, &t);
  r.q.new_issue = true;
  r.q.reason = "in sai\nlần 1";
  fx_issue(fx, l, &r.q, &t);
  fx_ok(fx, vc_ledger_revoke(l, t.serial, "cấp nhầm, \"lần 2\"", fx->d)); /* exported too */
  fx_rec(&r, "bien-nhan.yaml", "HS2", "", "");
  r.q.pattern = NULL;
  fx_issue(fx, l, &r.q, &t);
  fx_ok(fx, vc_ledger_reprint(l, t.doc_id, "mất", NULL, NULL, 0, NULL, fx->d));
  int64_t ev;
  fx_ok(fx, vc_ledger_print(l, t.doc_id, "Q", NULL, NULL, &ev, fx->d));
  fx_rec(&r, "giay-khen.yaml", "HS3", "Chờ", "1");
  fx_ok(fx, vc_ledger_reserve(l, &r.q, 1, &t, fx->d)); /* pending stays pending */
  char a[400], b[400], c[400];
  snprintf(a, sizeof a, "%s/export-%d-a.csv", fx->dir, fx->n);
  snprintf(b, sizeof b, "%s/export-%d-b.csv", fx->dir, fx->n);
  snprintf(c, sizeof c, "%s/import-%d.sqlite", fx->dir, fx->n);
  FILE *f = fopen(a, "w");
  fx_ok(fx, vc_ledger_export(l, f, fx->d));
  fclose(f);
  /* into a non-empty ledger: refused, nothing changed */
  f = fopen(a, "r");
  assert_int_equal(vc_ledger_import(l, f, a, fx->d), VC_E_INPUT);
  fclose(f);
  expect_diag_st(fx->d, VC_E_INPUT, "already holds documents");
  vc_ledger_close(l);
  vc_ledger_opts_t o = {.create = true};
  vc_ledger_t *m = vc_ledger_open(c, &o, fx->d);
  assert_non_null(m);
  round_trip(fx, m, a, b);
  /* the imported ledger works on: serials go on, names are found */
  fx_rec(&r, "giay-khen.yaml", "HS4", "Hà", "1");
  fx_issue(fx, m, &r.q, &t);
  assert_string_equal(t.serial, "2026/GK-0004");
  vc_ledger_filter_t lf = {.name = "ha"}; /* two of HS1 and its revocation, one of HS4 */
  assert_int_equal(fx_log_count(fx, m, &lf), 4);
  vc_ledger_close(m);
  /* and back into a new ledger of this backend */
  fx_next(fx);
  l = fx_open(fx, T0);
  round_trip(fx, l, a, b);
  fx_rec(&r, "giay-khen.yaml", "HS5", "Hà", "1");
  fx_issue(fx, l, &r.q, &t);
  assert_string_equal(t.serial, "2026/GK-0004");
  vc_ledger_close(l);
  /* a file that is not an export: refused, nothing recorded */
  fx_next(fx);
  l = fx_open(fx, T0);
  f = fopen(b, "w");
  fputs("meta,application,vncert-ledger\ndocument,1,x\n", f);
  fclose(f);
  f = fopen(b, "r");
  assert_int_equal(vc_ledger_import(l, f, b, fx->d), VC_E_INPUT);
  fclose(f);
  expect_diag_st(fx->d, VC_E_INPUT, "wrong number of fields");
  f = fopen(b, "w");
  fputs("counter,x,2026,1\n", f);
  fclose(f);
  f = fopen(b, "r");
  assert_int_equal(vc_ledger_import(l, f, b, fx->d), VC_E_INPUT);
  fclose(f);
  expect_diag_st(fx->d, VC_E_INPUT, "not a vncert ledger export");
  assert_int_equal(vc_ledger_pending_count(l, fx->d), 0);
  vc_ledger_filter_t none = {0};
  assert_int_equal(fx_log_count(fx, l, &none), 0);
  vc_ledger_close(l);
}

/* A value row of a document that does not exist: refused while the
 * foreign key is there (SQLite checks keys only when told to). */
static bool orphan_ok(fx_t *fx) {
  bool ok = fx_sql(fx, fx->pg ? "INSERT INTO document_values VALUES(999999, 0, 'x', 'y')"
                              : "PRAGMA foreign_keys = ON;"
                                "INSERT INTO document_values VALUES(999999, 0, 'x', 'y')");
  if (ok) assert_true(fx_sql(fx, "DELETE FROM document_values WHERE doc_id = 999999"));
  return ok;
}

/* A schema 2 ledger (values and name words with their foreign keys, as
 * schema 2 made them) is upgraded in place (3: the keys gone; 4: revocations), every row
 * kept, names still found. */
static void test_upgrade_v2(void **state) {
  fx_t *fx = *state;
  vc_ledger_t *l = fx_open(fx, T0);
  fx_rec_t r;
  vc_ledger_ticket_t t;
  fx_rec(&r, "giay-khen.yaml", "HS001", "Nguyễn Thị Thu Thảo", "500.000");
  fx_issue(fx, l, &r.q, &t);
  vc_ledger_close(l);
  assert_true(orphan_ok(fx));
  assert_true(fx_sql(fx, fx->pg
      ? "ALTER TABLE document_values ADD CONSTRAINT document_values_doc_id_fkey"
        " FOREIGN KEY (doc_id) REFERENCES documents(id);"
        "ALTER TABLE name_words ADD CONSTRAINT name_words_doc_id_fkey"
        " FOREIGN KEY (doc_id) REFERENCES documents(id);"
        "DROP TABLE revocations;"
        "UPDATE vncert_ledger SET value = '2' WHERE name = 'schema'"
      : "CREATE TABLE v2(doc_id INTEGER NOT NULL REFERENCES documents(id), position"
        " INTEGER NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL,"
        " PRIMARY KEY(doc_id, position)) WITHOUT ROWID;"
        "INSERT INTO v2 SELECT * FROM document_values; DROP TABLE document_values;"
        "ALTER TABLE v2 RENAME TO document_values;"
        "CREATE TABLE w2(word TEXT NOT NULL, doc_id INTEGER NOT NULL REFERENCES"
        " documents(id), PRIMARY KEY(word, doc_id)) WITHOUT ROWID;"
        "INSERT INTO w2 SELECT * FROM name_words; DROP TABLE name_words;"
        "ALTER TABLE w2 RENAME TO name_words;"
        "CREATE INDEX name_words_doc ON name_words(doc_id);"
        "DROP TABLE revocations;"
        "UPDATE vncert_ledger SET value = '2' WHERE name = 'schema'"));
  assert_false(orphan_ok(fx));
  l = fx_open(fx, T0);
  assert_int_equal(vc_ledger_schema(l), VC_LEDGER_SCHEMA);
  vc_ledger_doc_t *doc = NULL;
  fx_ok(fx, vc_ledger_find(l, "giay-khen.yaml", "HS001", NULL, &doc, fx->d));
  assert_non_null(doc);
  assert_string_equal(doc->serial, t.serial);
  assert_int_equal(doc->nfields, 3);
  assert_string_equal(doc->fields[1].value, "Nguyễn Thị Thu Thảo");
  vc_ledger_doc_free(doc);
  vc_ledger_filter_t f = {.name = "thu thao"};
  assert_int_equal(fx_log_count(fx, l, &f), 1);
  vc_ledger_close(l);
  assert_true(orphan_ok(fx));
}

/* Revocation (issue 11): an issued serial only, once; listed with its
 * reason and day; a revoke event; the record may be issued anew. */
/* The document key's new one replaces, as text ("" for none). */
static const char *replaces_of(fx_t *fx, int64_t doc, char out[32]) {
  char sql[96];
  snprintf(sql, sizeof sql, "SELECT replaces FROM documents WHERE id = %lld", (long long)doc);
  fx_sql_cell(fx, sql, out, 32);
  return out;
}

/* After HS1's certificate t1 was revoked: rendering HS1 again is refused
 * (one request, a chunk of several, a mixed chunk through reserve_one),
 * nothing reserved; with new_issue and a reason it is issued anew,
 * replacing the revoked document, which stays revoked.  HS2 (t2) is
 * revoked here and issued anew through the one-at-a-time path. */
static void revoked_again(fx_t *fx, vc_ledger_t *l, const vc_ledger_ticket_t *t1,
                          const vc_ledger_ticket_t *t2) {
  fx_rec_t r[3];
  vc_ledger_ticket_t t[3];
  char want[256], got[32];
  snprintf(want, sizeof want, "refuses to issue record HS1 again: its certificate %s was "
           "revoked on 2026-12-05 (Cấp nhầm người nhận)", t1->serial);
  long pending = vc_ledger_pending_count(l, fx->d);
  fx_rec(&r[0], "giay-khen.yaml", "HS1", "Lê Văn Tám", "1");
  fx_rec(&r[1], "giay-khen.yaml", "HS4", "Mới", "1");
  fx_rec(&r[2], "bien-nhan.yaml", "HS5", "Khác", "1");
  vc_ledger_req_t one[1] = {r[0].q}, chunk[2] = {r[0].q, r[1].q}, mixed[2] = {r[2].q, r[0].q};
  assert_int_equal(vc_ledger_reserve(l, one, 1, t, fx->d), VC_E_INPUT);
  expect_diag_st(fx->d, VC_E_INPUT, want);
  assert_int_equal(vc_ledger_reserve(l, chunk, 2, t, fx->d), VC_E_INPUT);
  expect_diag_st(fx->d, VC_E_INPUT, want);
  assert_int_equal(vc_ledger_reserve(l, mixed, 2, t, fx->d), VC_E_INPUT);
  expect_diag_st(fx->d, VC_E_INPUT, want);
  assert_int_equal(vc_ledger_pending_count(l, fx->d), pending);
  /* asked for: a new serial replacing the revoked document (a chunk) */
  chunk[0].new_issue = true;
  chunk[0].reason = "Sửa tên";
  fx_ok(fx, vc_ledger_reserve(l, chunk, 2, t, fx->d));
  fx_ok(fx, vc_ledger_confirm(l, t, 2, fx->d));
  assert_int_equal(t[0].res, VC_LEDGER_NEW);
  assert_string_not_equal(t[0].serial, t1->serial);
  snprintf(want, sizeof want, "%lld", (long long)t1->doc_id);
  assert_string_equal(replaces_of(fx, t[0].doc_id, got), want);
  assert_string_equal(replaces_of(fx, t[1].doc_id, got), "");
  vc_ledger_doc_t *doc = NULL;
  fx_ok(fx, vc_ledger_find(l, NULL, NULL, t1->serial, &doc, fx->d));
  assert_string_equal(doc->state, "revoked");
  vc_ledger_doc_free(doc);
  /* then an ordinary render finds the new one */
  fx_ok(fx, vc_ledger_reserve(l, one, 1, &t[2], fx->d));
  assert_int_equal(t[2].res, VC_LEDGER_EXISTS);
  assert_string_equal(t[2].serial, t[0].serial);
  /* the one-at-a-time path (two templates): HS2 revoked, issued anew */
  fx_ok(fx, vc_ledger_revoke(l, t2->serial, "Sai lớp", fx->d));
  fx_rec(&r[0], "giay-khen.yaml", "HS2", "Võ Thị Sáu", "1");
  mixed[1] = r[0].q;
  mixed[1].new_issue = true;
  mixed[1].reason = "Sửa lớp";
  fx_ok(fx, vc_ledger_reserve(l, mixed, 2, t, fx->d));
  fx_ok(fx, vc_ledger_confirm(l, t, 2, fx->d));
  snprintf(want, sizeof want, "%lld", (long long)t2->doc_id);
  assert_string_equal(replaces_of(fx, t[1].doc_id, got), want);
  assert_string_not_equal(t[1].serial, t2->serial);
}

static void test_revoke(void **state) {
  fx_t *fx = *state;
  vc_ledger_t *l = fx_open(fx, T0);
  fx_rec_t r;
  vc_ledger_ticket_t t1, t2, p;
  fx_rec(&r, "giay-khen.yaml", "HS1", "Lê Văn Tám", "1");
  fx_issue(fx, l, &r.q, &t1);
  fx_rec(&r, "giay-khen.yaml", "HS2", "Võ Thị Sáu", "1");
  fx_issue(fx, l, &r.q, &t2);
  fx_rec(&r, "giay-khen.yaml", "HS3", "Chờ", "1");
  fx_ok(fx, vc_ledger_reserve(l, &r.q, 1, &p, fx->d));
  fx_ok(fx, vc_ledger_revoke(l, t1.serial, "Cấp nhầm người nhận", fx->d));
  assert_int_equal(vc_ledger_revoke(l, t1.serial, "lại", fx->d), VC_E_INPUT);
  expect_diag_st(fx->d, VC_E_INPUT, "already revoked on");
  assert_int_equal(vc_ledger_revoke(l, "2026/GK-9999", "x", fx->d), VC_E_INPUT);
  expect_diag_st(fx->d, VC_E_INPUT, "no document with the serial 2026/GK-9999");
  assert_int_equal(vc_ledger_revoke(l, p.serial, "x", fx->d), VC_E_INPUT);
  expect_diag_st(fx->d, VC_E_INPUT, "never issued");
  vc_revocation_t *list;
  size_t n;
  fx_ok(fx, vc_ledger_revocations(l, &list, &n, fx->d));
  assert_int_equal(n, 1);
  assert_string_equal(list[0].serial, t1.serial);
  assert_string_equal(list[0].reason, "Cấp nhầm người nhận");
  assert_int_equal(strlen(list[0].date), 10);
  vc_revocations_free(list, n);
  vc_ledger_filter_t f = {.kind = "revoke"};
  assert_int_equal(fx_log_count(fx, l, &f), 1);
  revoked_again(fx, l, &t1, &t2);
  vc_ledger_close(l);
}

/* What is not this vncert's ledger is refused, named, left alone. */
static void test_refused(void **state) {
  fx_t *fx = *state;
  vc_ledger_opts_t o = {.create = true};
  assert_true(fx_sql(fx, "CREATE TABLE diem(ma_hs TEXT, diem REAL)"));
  assert_null(vc_ledger_open(fx->where, &o, fx->d));
  expect_diag_st(fx->d, VC_E_INPUT, "is not a vncert ledger (a database with other tables)");
  fx_next(fx);
  vc_ledger_close(fx_open(fx, T0));
  assert_true(fx_sql(fx, "UPDATE vncert_ledger SET value = '99' WHERE name = 'schema'"));
  assert_null(vc_ledger_open(fx->where, &o, fx->d));
  expect_diag_st(fx->d, VC_E_INPUT, "written by a newer vncert (ledger schema 99");
  char back[96];
  snprintf(back, sizeof back, "UPDATE vncert_ledger SET value = '%d' WHERE name = 'schema'",
           VC_LEDGER_SCHEMA);
  assert_true(fx_sql(fx, back));
  vc_ledger_t *l = fx_open(fx, T0); /* it was left as it was */
  assert_int_equal(vc_ledger_pending_count(l, fx->d), 0);
  vc_ledger_close(l);
  if (!fx->pg) return;
  char where[700];
  snprintf(where, sizeof where, "host=%s/nowhere dbname=t1", fx->dir);
  assert_null(vc_ledger_open(where, &o, fx->d));
  expect_diag_st(fx->d, VC_E_IO, "cannot be reached");
}

int main(void) {
  struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_patterns, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_hashes, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_serials, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_big_batch, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_new_issue, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_resume, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_reprint, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_log, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_totals, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_export_import, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_upgrade_v2, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_refused, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_revoke, fx_setup, fx_teardown),
  };
  FX_RUN(tests);
}
