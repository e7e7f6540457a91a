/* test_ledger_crash.c - the ledger and the files on disk agree whatever
 * happens (issue 9, point 3), on SQLite and on a real PostgreSQL server:
 * batches killed with SIGKILL at random moments, many times, then rerun;
 * two batches and a reprint at once; a ledger locked for too long.  Real
 * processes (fork), real files. */
#include "test_ledger_fx.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/wait.h>

#define NREC 120
#define CHUNK 8

static void key_of(int i, char *key, size_t n) { snprintf(key, n, "K%04d", i); }

/* Writes out/KEY: "SERIAL\n", as a renderer commits a file: a temporary,
 * fsync, rename; with l, the ledger's confirmation of t[0..n) is prepared
 * (vc_ledger_confirm_begin) before the rename, as a batch prepares it while
 * its last pages are drawn, and committed after it. */
static bool write_doc(const char *out, const char *key, const char *serial,
                      vc_ledger_t *l, const vc_ledger_ticket_t *t, int n,
                      vc_diag_t *d) {
  char tmp[512], path[512];
  snprintf(tmp, sizeof tmp, "%s/.%s.%d", out, key, (int)getpid());
  snprintf(path, sizeof path, "%s/%s", out, key);
  int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return false;
  char line[200];
  int len = snprintf(line, sizeof line, "%s\n", serial);
  bool ok = write(fd, line, (size_t)len) == len && fsync(fd) == 0;
  close(fd);
  if (ok && l) ok = vc_ledger_confirm_begin(l, t, (size_t)n, d) == VC_OK;
  ok = ok && rename(tmp, path) == 0;
  if (l && ok) ok = vc_ledger_confirm_end(l, true, d) == VC_OK;
  return ok;
}

/* A batch over NREC records in chunks: reserve, write, confirm.  Runs in a
 * child; exits 0 when done. */
static void batch(const char *where, const char *out, const char *tpl,
                  const char *pattern) {
  vc_diag_t *d = vc_diag_create();
  vc_ledger_opts_t o = {.create = true, .busy_timeout_ms = 60000,
                        .operator_name = "batch", .host = "test"};
  vc_ledger_t *l = vc_ledger_open(where, &o, d);
  if (!l) {
    vc_diag_print(d, stderr);
    _exit(3);
  }
  for (int s = 0; s < NREC; s += CHUNK) {
    fx_rec_t r[CHUNK];
    vc_ledger_req_t q[CHUNK];
    vc_ledger_ticket_t t[CHUNK];
    int n = NREC - s < CHUNK ? NREC - s : CHUNK;
    for (int i = 0; i < n; i++) {
      char key[16], name[64];
      key_of(s + i, key, sizeof key);
      snprintf(name, sizeof name, "Học Sinh %d", s + i);
      fx_rec(&r[i], tpl, key, name, "100.000");
      r[i].q.pattern = pattern;
      q[i] = r[i].q;
    }
    if (vc_ledger_reserve(l, q, (size_t)n, t, d) != VC_OK) break;
    /* odd chunks: the confirmation prepared before the last file's rename */
    bool prep = (s / CHUNK) % 2 == 1;
    for (int i = 0; i < n; i++)
      if (!write_doc(out, r[i].key, t[i].serial, prep && i == n - 1 ? l : NULL, t, n, d))
        _exit(4);
    if (!prep && vc_ledger_confirm(l, t, (size_t)n, d) != VC_OK) break;
  }
  int rc = vc_diag_count(d) ? 1 : 0;
  if (rc) vc_diag_print(d, stderr);
  vc_ledger_close(l);
  vc_diag_free(d);
  _exit(rc);
}

/* The file of key: its serial ("" when there is none). */
static void file_serial(const char *out, const char *key, char *serial, size_t n) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s", out, key);
  serial[0] = '\0';
  FILE *f = fopen(path, "r");
  if (!f) return;
  if (fgets(serial, (int)n, f)) serial[strcspn(serial, "\n")] = '\0';
  fclose(f);
}

/* What must hold at any moment: every document the ledger calls issued has
 * its file with its serial; every file's serial belongs to its own key in
 * the ledger (issued or pending).  Returns how many are issued. */
static int check_agree(fx_t *fx, const char *out) {
  vc_ledger_opts_t o = {.read_only = true};
  vc_ledger_t *l = vc_ledger_open(fx->where, &o, fx->d);
  if (!l) return 0; /* killed before the ledger was made */
  int issued = 0;
  for (int i = 0; i < NREC; i++) {
    char key[16], fs[VC_LEDGER_SERIAL_MAX];
    key_of(i, key, sizeof key);
    file_serial(out, key, fs, sizeof fs);
    vc_ledger_doc_t *doc = NULL;
    fx_ok(fx, vc_ledger_find(l, "giay-khen.yaml", key, NULL, &doc, fx->d));
    if (doc) {
      issued++;
      if (strcmp(doc->serial, fs) != 0)
        fprintf(stderr, "%s issued as %s, its file says \"%s\"\n", key, doc->serial, fs);
      assert_string_equal(doc->serial, fs);
      vc_ledger_doc_free(doc);
    }
    if (fs[0]) {
      fx_ok(fx, vc_ledger_find(l, NULL, NULL, fs, &doc, fx->d));
      assert_non_null(doc); /* no file whose serial the ledger lost */
      assert_string_equal(doc->key, key);
      vc_ledger_doc_free(doc);
    }
  }
  vc_ledger_close(l);
  return issued;
}

/* Every record issued once, serials 1..NREC each once. */
static void check_complete(fx_t *fx) {
  vc_ledger_opts_t o = {.read_only = true};
  vc_ledger_t *l = vc_ledger_open(fx->where, &o, fx->d);
  assert_non_null(l);
  assert_int_equal(vc_ledger_pending_count(l, fx->d), 0);
  bool seen[NREC + 1] = {false};
  for (int i = 0; i < NREC; i++) {
    char key[16];
    key_of(i, key, sizeof key);
    vc_ledger_doc_t *doc = NULL;
    fx_ok(fx, vc_ledger_find(l, "giay-khen.yaml", key, NULL, &doc, fx->d));
    assert_non_null(doc);
    int seq = atoi(doc->serial + strlen("2026/GK-"));
    assert_true(seq >= 1 && seq <= NREC);
    assert_false(seen[seq]);
    seen[seq] = true;
    vc_ledger_doc_free(doc);
  }
  vc_ledger_close(l);
}

static void run_killed(fx_t *fx, int kills) {
  char out[400];
  snprintf(out, sizeof out, "%s/out-%d", fx->dir, fx->n);
  assert_int_equal(mkdir(out, 0755), 0);
  unsigned seed = (unsigned)time(NULL) ^ (unsigned)getpid();
  srand(seed);
  /* how long a whole batch takes here, so the kills fall all along one
   * (a batch of another template into a folder of its own) */
  char probe[420];
  snprintf(probe, sizeof probe, "%s-probe", out);
  assert_int_equal(mkdir(probe, 0755), 0);
  struct timespec a, b;
  clock_gettime(CLOCK_MONOTONIC, &a);
  pid_t pp = fork();
  if (pp == 0) batch(fx->where, probe, "probe.yaml", "P-{seq}");
  int pst;
  waitpid(pp, &pst, 0);
  assert_true(WIFEXITED(pst) && WEXITSTATUS(pst) == 0);
  clock_gettime(CLOCK_MONOTONIC, &b);
  long span = (b.tv_sec - a.tv_sec) * 1000000L + (b.tv_nsec - a.tv_nsec) / 1000;
  int done = 0, last = 0, issuing = 0;
  for (int k = 0; k < kills; k++) {
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) batch(fx->where, out, "giay-khen.yaml", "{year}/GK-{seq:04}");
    /* the first half anywhere in the first third of a batch (a rerun goes
     * on from where the last one stopped: they fall while records are
     * being issued), the rest anywhere in a whole batch (most of them while
     * issued records are rendered again) */
    long window = k < kills / 2 ? span / 3 : span;
    usleep((useconds_t)(rand() % (window + 1)));
    if (last < NREC) issuing++;
    kill(pid, SIGKILL);
    int st;
    waitpid(pid, &st, 0);
    if (WIFEXITED(st) && WEXITSTATUS(st) == 0) done++;
    else if (WIFEXITED(st)) fail_msg("batch failed (exit %d), seed %u", WEXITSTATUS(st), seed);
    int now = check_agree(fx, out);
    assert_true(now >= last); /* nothing issued is ever lost */
    last = now;
  }
  pid_t pid = fork();
  if (pid == 0) batch(fx->where, out, "giay-khen.yaml", "{year}/GK-{seq:04}");
  int st;
  waitpid(pid, &st, 0);
  assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
  assert_int_equal(check_agree(fx, out), NREC);
  check_complete(fx);
  fprintf(stderr, "  %d kills (%d while records were being issued, %d batches "
                  "ended first; %d of %d issued before the last run), seed %u\n",
          kills, issuing, done, last, NREC, seed);
}

static void test_kill9(void **state) {
  fx_t *fx = *state;
  run_killed(fx, fx->pg ? 25 : 40);
}

/* Reprints of K0000 until n succeeded (it is issued by a batch running at
 * the same time); exits with the number. */
static void reprinter(const char *where, int n) {
  vc_diag_t *d = vc_diag_create();
  vc_ledger_opts_t o = {.busy_timeout_ms = 60000, .operator_name = "quay"};
  vc_ledger_t *l = NULL;
  int done = 0;
  for (int tries = 0; tries < 20000 && done < n; tries++) {
    if (!l) l = vc_ledger_open(where, &o, d);
    vc_ledger_doc_t *doc = NULL;
    if (l && vc_ledger_find(l, "giay-khen.yaml", "K0000", NULL, &doc, d) == VC_OK && doc) {
      long nth;
      if (vc_ledger_reprint(l, doc->id, "mất giấy", NULL, NULL, 0, &nth, d) == VC_OK)
        done++;
      vc_ledger_doc_free(doc);
    }
    vc_diag_clear(d);
    usleep(1000);
  }
  vc_ledger_close(l);
  vc_diag_free(d);
  _exit(done);
}

static bool count_kind(const vc_ledger_row_t *r, void *ud) {
  long *n = ud;
  if (!strcmp(r->kind, "render")) n[0]++;
  else if (!strcmp(r->kind, "reprint")) n[1]++;
  return true;
}

static void test_concurrent(void **state) {
  fx_t *fx = *state;
  char out[400];
  snprintf(out, sizeof out, "%s/out-%d", fx->dir, fx->n);
  assert_int_equal(mkdir(out, 0755), 0);
  vc_ledger_t *l = fx_open(fx, 0); /* made before: the three race on use */
  vc_ledger_close(l);
  pid_t p[3];
  for (int i = 0; i < 3; i++) {
    p[i] = fork();
    assert_true(p[i] >= 0);
    if (p[i] == 0) {
      if (i < 2) batch(fx->where, out, "giay-khen.yaml", "{year}/GK-{seq:04}");
      reprinter(fx->where, 5);
    }
  }
  int st[3];
  for (int i = 0; i < 3; i++) waitpid(p[i], &st[i], 0);
  assert_true(WIFEXITED(st[0]) && WEXITSTATUS(st[0]) == 0);
  assert_true(WIFEXITED(st[1]) && WEXITSTATUS(st[1]) == 0);
  assert_true(WIFEXITED(st[2]) && WEXITSTATUS(st[2]) == 5);
  assert_int_equal(check_agree(fx, out), NREC);
  check_complete(fx);
  l = fx_open(fx, 0);
  long n[2] = {0, 0};
  vc_ledger_filter_t f = {0};
  assert_true(vc_ledger_log(l, &f, count_kind, n, fx->d) >= 0);
  assert_int_equal(n[0], 2 * NREC); /* each batch's render of each record */
  assert_int_equal(n[1], 5);
  vc_ledger_close(l);
}

/* Another program holds the writers' lock: a reserve waits its busy
 * timeout, fails saying so, and records nothing. */
static void test_locked(void **state) {
  fx_t *fx = *state;
  vc_ledger_t *l = fx_open(fx, T0);
  vc_ledger_close(l);
  sqlite3 *sq = NULL;
  PGconn *pg = NULL;
  if (fx->pg) {
    pg = PQconnectdb(fx->where);
    assert_int_equal(PQstatus(pg), CONNECTION_OK);
    PQclear(PQexec(pg, "BEGIN"));
    PGresult *r = PQexec(pg, "SELECT pg_advisory_xact_lock(1447249991)");
    assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
    PQclear(r);
  } else {
    assert_int_equal(sqlite3_open(fx->where, &sq), SQLITE_OK);
    assert_int_equal(sqlite3_exec(sq, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
  }
  vc_ledger_opts_t o = {.busy_timeout_ms = 300, .now = T0};
  l = vc_ledger_open(fx->where, &o, fx->d);
  assert_non_null(l);
  fx_rec_t r;
  fx_rec(&r, "giay-khen.yaml", "HS1", "An", "1");
  vc_ledger_ticket_t t;
  assert_int_equal(vc_ledger_reserve(l, &r.q, 1, &t, fx->d), VC_E_IO);
  expect_diag_st(fx->d, VC_E_IO, "locked by another program for too long");
  if (pg) PQfinish(pg);
  else sqlite3_close(sq);
  assert_int_equal(vc_ledger_pending_count(l, fx->d), 0);
  fx_issue(fx, l, &r.q, &t);
  assert_string_equal(t.serial, "2026/GK-0001"); /* nothing was used */
  vc_ledger_close(l);
}

int main(void) {
  struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_kill9, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_concurrent, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_locked, fx_setup, fx_teardown),
  };
  FX_RUN(tests);
}
