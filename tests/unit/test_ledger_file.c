/* test_ledger_file.c - an SQLite ledger file as schools will have them
 * (issue 9, points 1 and 7): one an older vncert wrote (schema 1, made here
 * with its own SQL) upgraded in place, one from a newer vncert refused,
 * files that are not ledgers, a damaged one, a read-only one, a disk that
 * fills up: a clear message, nothing half-recorded. */
#include "test_ledger_fx.h"

#include <sys/resource.h>
#include <sys/wait.h>

/* The schema 1 ledger as the first vncert with a ledger wrote it, holding
 * one issued document with its render event.  A copy of SQ_V1
 * (ledger-sqlite.c) on purpose: what a school's old ledger holds is frozen,
 * and an upgrade must be tested from it even if SQ_V1 were ever changed. */
static const char V1[] =
    "CREATE TABLE vncert_ledger(name TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE serial_counters(pattern TEXT NOT NULL, year INTEGER NOT NULL,"
    " last INTEGER NOT NULL, PRIMARY KEY(pattern, year));"
    "CREATE TABLE documents(id INTEGER PRIMARY KEY, serial TEXT UNIQUE,"
    " pattern TEXT, template_path TEXT NOT NULL, template_hash TEXT NOT NULL,"
    " record_key TEXT NOT NULL, values_hash TEXT NOT NULL, name TEXT NOT NULL,"
    " name_fold TEXT NOT NULL, state TEXT NOT NULL CHECK (state IN"
    " ('pending','issued','replaced','revoked')), reserved_at INTEGER NOT NULL,"
    " issued_at INTEGER, issued_day TEXT,"
    " replaces INTEGER REFERENCES documents(id), reason TEXT);"
    "CREATE UNIQUE INDEX documents_pending ON documents(template_path,"
    " record_key) WHERE state = 'pending';"
    "CREATE UNIQUE INDEX documents_issued ON documents(template_path,"
    " record_key) WHERE state = 'issued';"
    "CREATE INDEX documents_key ON documents(record_key);"
    "CREATE TABLE document_values(doc_id INTEGER NOT NULL REFERENCES"
    " documents(id), position INTEGER NOT NULL, name TEXT NOT NULL,"
    " value TEXT NOT NULL, PRIMARY KEY(doc_id, position)) WITHOUT ROWID;"
    "CREATE TABLE name_words(word TEXT NOT NULL, doc_id INTEGER NOT NULL"
    " REFERENCES documents(id), PRIMARY KEY(word, doc_id)) WITHOUT ROWID;"
    "CREATE INDEX name_words_doc ON name_words(doc_id);"
    "CREATE TABLE events(id INTEGER PRIMARY KEY, doc_id INTEGER NOT NULL"
    " REFERENCES documents(id), kind TEXT NOT NULL CHECK (kind IN"
    " ('render','print','reprint','new-issue','revoke')), at INTEGER NOT NULL,"
    " day TEXT NOT NULL, operator TEXT NOT NULL, host TEXT NOT NULL,"
    " reason TEXT, template_hash TEXT, values_hash TEXT);"
    "CREATE INDEX events_doc ON events(doc_id);"
    "CREATE INDEX events_at ON events(at);"
    "INSERT INTO vncert_ledger VALUES('application', 'vncert-ledger');"
    "INSERT INTO vncert_ledger VALUES('schema', '1');"
    "INSERT INTO serial_counters VALUES('{year}/GK-{seq:04}', 2026, 1);"
    "INSERT INTO documents VALUES(1, '2026/GK-0001', '{year}/GK-{seq:04}',"
    " 'giay-khen.yaml', 'aa', 'HS1', 'bb', 'Lý Thường Kiệt', 'ly thuong kiet',"
    " 'issued', 1796439600, 1796439600, '2026-12-05', NULL, NULL);"
    "INSERT INTO document_values VALUES(1, 0, 'ho_ten', 'Lý Thường Kiệt');"
    "INSERT INTO name_words VALUES('ly', 1), ('thuong', 1), ('kiet', 1);"
    "INSERT INTO events VALUES(1, 1, 'render', 1796439600, '2026-12-05',"
    " 'co.lan', 'may-1', NULL, 'aa', 'bb');";

static void sql_file(const char *path, const char *sql) {
  sqlite3 *db;
  assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
  char *err = NULL;
  int rc = sqlite3_exec(db, sql, NULL, NULL, &err);
  if (rc != SQLITE_OK) fprintf(stderr, "%s\n", err);
  assert_int_equal(rc, SQLITE_OK);
  sqlite3_close(db);
}

static void test_upgrade_v1(void **state) {
  fx_t *fx = *state;
  sql_file(fx->where, V1);
  /* read only: not upgraded, said so */
  vc_ledger_opts_t ro = {.read_only = true};
  assert_null(vc_ledger_open(fx->where, &ro, fx->d));
  expect_diag_st(fx->d, VC_E_INPUT, "older schema 1");
  vc_ledger_t *l = fx_open(fx, T0);
  assert_int_equal(vc_ledger_schema(l), VC_LEDGER_SCHEMA);
  vc_ledger_doc_t *doc = NULL;
  fx_ok(fx, vc_ledger_find(l, "giay-khen.yaml", "HS1", NULL, &doc, fx->d));
  assert_non_null(doc);
  assert_string_equal(doc->serial, "2026/GK-0001");
  assert_string_equal(doc->fields[0].value, "Lý Thường Kiệt");
  int64_t ev;
  /* what schema 2 added: a print job's queue and state */
  fx_ok(fx, vc_ledger_print(l, doc->id, "P1", "77", "completed", &ev, fx->d));
  vc_ledger_doc_free(doc);
  fx_rec_t r;
  vc_ledger_ticket_t t;
  fx_rec(&r, "giay-khen.yaml", "HS2", "Trần Hưng Đạo", "1");
  fx_issue(fx, l, &r.q, &t);
  assert_string_equal(t.serial, "2026/GK-0002");
  vc_ledger_filter_t f = {.name = "thuong kiet"};
  assert_int_equal(fx_log_count(fx, l, &f), 2);
  vc_ledger_close(l);
  l = fx_open(fx, T0); /* opened again: nothing more to do */
  assert_int_equal(vc_ledger_schema(l), VC_LEDGER_SCHEMA);
  vc_ledger_close(l);
}

static void test_newer_refused(void **state) {
  fx_t *fx = *state;
  vc_ledger_t *l = fx_open(fx, T0);
  vc_ledger_close(l);
  sql_file(fx->where, "UPDATE vncert_ledger SET value = '99' WHERE name = 'schema'");
  vc_ledger_opts_t o = {.create = true};
  assert_null(vc_ledger_open(fx->where, &o, fx->d));
  expect_diag_st(fx->d, VC_E_INPUT, "written by a newer vncert (ledger schema 99");
  char *out = NULL;
  assert_int_equal(sh(&out, "sqlite3 %s \"SELECT value FROM vncert_ledger WHERE "
                            "name = 'schema'\"", fx->where), 0);
  assert_string_equal(out, "99\n"); /* left as it was */
  free(out);
}

static void test_not_ledgers(void **state) {
  fx_t *fx = *state;
  vc_ledger_opts_t o = {.create = true};
  FILE *f = fopen(fx->where, "w");
  fputs("ma_hs,ho_ten\nHS1,An\n", f); /* the data given as the ledger */
  fclose(f);
  assert_null(vc_ledger_open(fx->where, &o, fx->d));
  expect_diag_st(fx->d, VC_E_INPUT, "is not a vncert ledger (not an SQLite database)");
  fx_next(fx);
  sql_file(fx->where, "CREATE TABLE diem(ma_hs TEXT, diem REAL)");
  assert_null(vc_ledger_open(fx->where, &o, fx->d));
  expect_diag_st(fx->d, VC_E_INPUT, "is not a vncert ledger (a database with other tables)");
  fx_next(fx);
  sql_file(fx->where, "CREATE TABLE vncert_ledger(name TEXT, value TEXT)");
  assert_null(vc_ledger_open(fx->where, &o, fx->d));
  expect_diag_st(fx->d, VC_E_INPUT, "does not say so");
  fx_next(fx);
  vc_ledger_opts_t no = {.create = false};
  assert_null(vc_ledger_open(fx->where, &no, fx->d));
  expect_diag_st(fx->d, VC_E_IO, "no ledger here");
  assert_null(vc_ledger_open(fx->dir, &o, fx->d));
  expect_diag_st(fx->d, VC_E_INPUT, "not a regular file");
}

static void test_damaged(void **state) {
  fx_t *fx = *state;
  vc_ledger_t *l = fx_open(fx, T0);
  for (int i = 0; i < 300; i++) {
    fx_rec_t r;
    vc_ledger_ticket_t t;
    char key[16];
    snprintf(key, sizeof key, "HS%d", i);
    fx_rec(&r, "giay-khen.yaml", key, "Nguyễn Văn Một Hai Ba", "1.000.000");
    fx_ok(fx, vc_ledger_reserve(l, &r.q, 1, &t, fx->d));
  }
  vc_ledger_close(l); /* the last connection: the WAL goes into the file */
  /* pages 2 to 5 overwritten, as a failing disk or a half copy leaves it */
  assert_int_equal(sh(NULL, "dd if=/dev/urandom of=%s bs=4096 seek=1 count=4 "
                            "conv=notrunc 2>/dev/null", fx->where), 0);
  vc_ledger_opts_t o = {.now = T0};
  l = vc_ledger_open(fx->where, &o, fx->d);
  if (l) { /* the damage may show only on use */
    vc_ledger_filter_t f = {.name = "mot"};
    long n = vc_ledger_log(l, &f, fx_count_row, &(long){0}, fx->d);
    fx_rec_t r;
    vc_ledger_ticket_t t;
    fx_rec(&r, "giay-khen.yaml", "HS9999", "X", "1");
    vc_status_t st = vc_ledger_reserve(l, &r.q, 1, &t, fx->d);
    assert_true(n < 0 || st != VC_OK);
    vc_ledger_close(l);
  }
  expect_diag_st(fx->d, VC_E_IO, "is damaged (the database is corrupt)");
}

/* Makes this test's ledger with one document issued (2026/GK-0001). */
static void one_issued(fx_t *fx) {
  vc_ledger_t *l = fx_open(fx, T0);
  fx_rec_t r;
  vc_ledger_ticket_t t;
  fx_rec(&r, "giay-khen.yaml", "HS1", "An", "1");
  fx_issue(fx, l, &r.q, &t);
  vc_ledger_close(l);
}

/* Runs fn in a child process (as user nobody when root: root writes any
 * file) and returns its exit status. */
static int as_child(void (*fn)(fx_t *), fx_t *fx, bool nobody) {
  fflush(stderr);
  pid_t p = fork();
  if (p == 0) {
    if (nobody && geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0)) _exit(9);
    fn(fx);
    _exit(0);
  }
  int st;
  waitpid(p, &st, 0);
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

/* In a child: exit 0 when a message holds a or b, else 2 (printed). */
static void said_or_exit(fx_t *fx, const char *a, const char *b) {
  for (size_t i = 0; i < vc_diag_kept(fx->d); i++) {
    const char *m = vc_diag_get(fx->d, i)->msg;
    if (strstr(m, a) || (b && strstr(m, b))) _exit(0);
  }
  vc_diag_print(fx->d, stderr);
  _exit(2);
}

/* exit 0: refused as read-only before anything; 1: opened; 2: other */
static void open_readonly(fx_t *fx) {
  vc_ledger_opts_t o = {.create = true};
  vc_ledger_t *l = vc_ledger_open(fx->where, &o, fx->d);
  if (l) _exit(1);
  said_or_exit(fx, "cannot be written", NULL);
}

static void test_read_only(void **state) {
  fx_t *fx = *state;
  char dir[400];
  snprintf(dir, sizeof dir, "%s/ro-%d", fx->dir, fx->n);
  assert_int_equal(mkdir(dir, 0755), 0);
  snprintf(fx->where, sizeof fx->where, "%s/so-cap-phat.sqlite", dir);
  one_issued(fx);
  assert_int_equal(chmod(fx->where, 0444), 0);
  assert_int_equal(chmod(dir, 0555), 0);
  chmod(fx->dir, 0755);
  assert_int_equal(as_child(open_readonly, fx, true), 0);
  chmod(dir, 0755);
}

/* Reserves 400 records with long values under a file size limit just above
 * the ledger's size: the disk "fills up" halfway. */
static void fill_up(fx_t *fx) {
  signal(SIGXFSZ, SIG_IGN);
  struct stat sb;
  stat(fx->where, &sb);
  struct rlimit rl = {(rlim_t)sb.st_size + 16384, (rlim_t)sb.st_size + 16384};
  setrlimit(RLIMIT_FSIZE, &rl);
  vc_ledger_opts_t o = {.now = T0};
  vc_ledger_t *l = vc_ledger_open(fx->where, &o, fx->d);
  if (!l) _exit(3);
  static fx_rec_t r[400];
  vc_ledger_req_t q[400];
  vc_ledger_ticket_t t[400];
  for (int i = 0; i < 400; i++) {
    char key[16], name[90];
    snprintf(key, sizeof key, "F%d", i);
    snprintf(name, sizeof name, "Nguyễn Thị Thanh Thuỷ Hoàng Phương Mai Anh %d", i);
    fx_rec(&r[i], "giay-khen.yaml", key, name, "1.000.000");
    q[i] = r[i].q;
  }
  vc_status_t st = vc_ledger_reserve(l, q, 400, t, fx->d);
  vc_ledger_close(l);
  if (st == VC_OK) _exit(1);
  said_or_exit(fx, "nothing of it was recorded", "disk is full");
}

static void test_disk_full(void **state) {
  fx_t *fx = *state;
  one_issued(fx);
  vc_ledger_t *l;
  fx_rec_t r;
  vc_ledger_ticket_t t;
  assert_int_equal(as_child(fill_up, fx, false), 0);
  l = fx_open(fx, T0);
  assert_int_equal(vc_ledger_pending_count(l, fx->d), 0); /* none of the 400 */
  vc_ledger_filter_t f = {0};
  assert_int_equal(fx_log_count(fx, l, &f), 1);
  fx_rec(&r, "giay-khen.yaml", "HS2", "Bình", "1");
  fx_issue(fx, l, &r.q, &t);
  assert_string_equal(t.serial, "2026/GK-0002");
  vc_ledger_close(l);
}

int main(void) {
  struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_upgrade_v1, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_newer_refused, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_not_ledgers, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_damaged, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_read_only, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(test_disk_full, fx_setup, fx_teardown),
  };
  setenv("TZ", "Asia/Ho_Chi_Minh", 1);
  tzset();
  for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++)
    tests[i].initial_state = &FX_SQ;
  return cmocka_run_group_tests_name("SQLite ledger files", tests, fx_sq_setup,
                                     fx_sq_teardown);
}
