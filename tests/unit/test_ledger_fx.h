/* test_ledger_fx.h - what the ledger tests share: one fresh ledger per test
 * on either backend, so the same tests run against SQLite (a file in a
 * temporary folder) and PostgreSQL (a real server of tests/tools/pg-server.sh
 * in a temporary folder, a new database per test).  PostgreSQL missing is a
 * failure, not a skip (CI installs it). */
#ifndef TEST_LEDGER_FX_H
#define TEST_LEDGER_FX_H

#include "testutil.h"

#include <signal.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>
#include <sqlite3.h>

#include "ledger/ledger.h"

typedef struct fx {
  bool pg;
  char dir[256];     /* temporary folder (SQLite files, or the server's) */
  char admin[512];   /* PostgreSQL: conninfo of database postgres */
  char where[600];   /* this test's ledger */
  int n;             /* tests so far: names the next ledger */
  vc_diag_t *d;
} fx_t;

static fx_t FX_SQ = {.pg = false}, FX_PG = {.pg = true};
#define FX_UNUSED __attribute__((unused))

/* Group setup of a backend: its folder (and server). */
static FX_UNUSED int fx_group_setup(fx_t *fx) {
  snprintf(fx->dir, sizeof fx->dir, "/tmp/vcl.XXXXXX");
  if (!mkdtemp(fx->dir)) return -1;
  if (!fx->pg) return 0;
  char pgdir[300];
  snprintf(pgdir, sizeof pgdir, "%s/pg", fx->dir);
  chmod(fx->dir, 0755);
  char *out = NULL;
  int rc = sh(&out, "tests/tools/pg-server.sh start %s", pgdir);
  if (rc != 0) {
    fprintf(stderr, "ledger tests: the PostgreSQL test server did not start "
                    "(tests/tools/pg-server.sh; Debian package postgresql)\n");
    free(out);
    return -1;
  }
  out[strcspn(out, "\n")] = '\0';
  snprintf(fx->admin, sizeof fx->admin, "%s", out);
  free(out);
  return 0;
}

static FX_UNUSED int fx_group_teardown(fx_t *fx) {
  if (fx->pg) sh(NULL, "tests/tools/pg-server.sh stop %s/pg", fx->dir);
  sh(NULL, "rm -rf %s", fx->dir);
  return 0;
}

/* Runs one SQL statement as the server's administrator. */
static FX_UNUSED bool fx_pg_admin(const fx_t *fx, const char *sql) {
  PGconn *c = PQconnectdb(fx->admin);
  bool ok = PQstatus(c) == CONNECTION_OK;
  if (ok) {
    PGresult *r = PQexec(c, sql);
    ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
    if (!ok) fprintf(stderr, "%s: %s", sql, PQerrorMessage(c));
    PQclear(r);
  }
  PQfinish(c);
  return ok;
}

/* Runs SQL statements in this test's ledger, behind the ledger's back. */
static FX_UNUSED bool fx_sql(const fx_t *fx, const char *sql) {
  if (fx->pg) {
    PGconn *c = PQconnectdb(fx->where);
    PGresult *r = PQexec(c, sql);
    bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    if (!ok) fprintf(stderr, "%s: %s", sql, PQerrorMessage(c));
    PQclear(r);
    PQfinish(c);
    return ok;
  }
  sqlite3 *db;
  char *err = NULL;
  bool ok = sqlite3_open(fx->where, &db) == SQLITE_OK &&
            sqlite3_exec(db, sql, NULL, NULL, &err) == SQLITE_OK;
  if (!ok) fprintf(stderr, "%s: %s\n", sql, err ? err : sqlite3_errmsg(db));
  sqlite3_free(err);
  sqlite3_close(db);
  return ok;
}

/* The first cell of a query in this test's ledger, behind the ledger's
 * back, in out ("" for NULL or no row). */
static FX_UNUSED void fx_sql_cell(const fx_t *fx, const char *sql, char *out, size_t n) {
  out[0] = '\0';
  if (fx->pg) {
    PGconn *c = PQconnectdb(fx->where);
    PGresult *r = PQexec(c, sql);
    if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) > 0 && !PQgetisnull(r, 0, 0))
      snprintf(out, n, "%s", PQgetvalue(r, 0, 0));
    PQclear(r);
    PQfinish(c);
    return;
  }
  sqlite3 *db;
  sqlite3_stmt *st = NULL;
  if (sqlite3_open(fx->where, &db) == SQLITE_OK &&
      sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
    snprintf(out, n, "%s", (const char *)sqlite3_column_text(st, 0));
  sqlite3_finalize(st);
  sqlite3_close(db);
}

/* A new, empty ledger location for the next test (not created yet). */
static FX_UNUSED void fx_next(fx_t *fx) {
  fx->n++;
  if (fx->pg) {
    char sql[64];
    snprintf(sql, sizeof sql, "CREATE DATABASE t%d", fx->n);
    assert_true(fx_pg_admin(fx, sql));
    char *h = strstr(fx->admin, "dbname=");
    snprintf(fx->where, sizeof fx->where, "%.*sdbname=t%d", (int)(h - fx->admin),
             fx->admin, fx->n);
  } else {
    snprintf(fx->where, sizeof fx->where, "%s/ledger-%d.sqlite", fx->dir, fx->n);
  }
}

static FX_UNUSED int fx_setup(void **state) {
  fx_t *fx = *state;
  fx_next(fx);
  fx->d = vc_diag_create();
  return fx->d ? 0 : -1;
}

static FX_UNUSED int fx_teardown(void **state) {
  fx_t *fx = *state;
  vc_diag_free(fx->d);
  fx->d = NULL;
  return 0;
}

/* Opens this test's ledger (created), at a fixed clock. */
static vc_ledger_t *fx_open(fx_t *fx, int64_t now) {
  vc_ledger_opts_t o = {.create = true, .now = now, .operator_name = "co.lan",
                        .host = "may-in-1", .busy_timeout_ms = 5000};
  vc_ledger_t *l = vc_ledger_open(fx->where, &o, fx->d);
  if (!l) vc_diag_print(fx->d, stderr);
  assert_non_null(l);
  return l;
}

/* Prints the diagnostics when a call failed, then asserts it did not. */
#define fx_ok(fx, call)                                                        \
  do {                                                                         \
    vc_status_t st_ = (call);                                                  \
    if (st_ != VC_OK) vc_diag_print((fx)->d, stderr);                          \
    assert_int_equal(st_, VC_OK);                                              \
  } while (0)

/* 2026-12-05 10:00 in Vietnam (the tests set TZ=Asia/Ho_Chi_Minh). */
#define T0 INT64_C(1796439600)
#define DAY INT64_C(86400)

/* A request for the record of key with name and so_tien, template tpl. */
typedef struct fx_rec {
  vc_ledger_field_t f[3];
  vc_ledger_req_t q;
  char key[32], name[96], money[32];
} fx_rec_t;

static FX_UNUSED void fx_rec(fx_rec_t *r, const char *tpl, const char *key,
                   const char *name, const char *money) {
  static const char *hash =
      "0000000000000000000000000000000000000000000000000000000000000001";
  memset(r, 0, sizeof *r);
  snprintf(r->key, sizeof r->key, "%s", key);
  snprintf(r->name, sizeof r->name, "%s", name);
  snprintf(r->money, sizeof r->money, "%s", money);
  r->f[0] = (vc_ledger_field_t){"ma_hs", r->key};
  r->f[1] = (vc_ledger_field_t){"ho_ten", r->name};
  r->f[2] = (vc_ledger_field_t){"so_tien", r->money};
  r->q = (vc_ledger_req_t){.template_path = tpl, .template_hash = hash,
                           .pattern = "{year}/GK-{seq:04}", .key = r->key,
                           .name = r->name, .fields = r->f, .nfields = 3};
}

/* Reserves and confirms one record; its ticket in *t. */
static FX_UNUSED void fx_issue(fx_t *fx, vc_ledger_t *l, const vc_ledger_req_t *q,
                     vc_ledger_ticket_t *t) {
  fx_ok(fx, vc_ledger_reserve(l, q, 1, t, fx->d));
  fx_ok(fx, vc_ledger_confirm(l, t, 1, fx->d));
}

/* Counts the log rows of filter f. */
static FX_UNUSED bool fx_count_row(const vc_ledger_row_t *r, void *ud) {
  (void)r;
  (*(long *)ud)++;
  return true;
}
static FX_UNUSED long fx_log_count(fx_t *fx, vc_ledger_t *l, const vc_ledger_filter_t *f) {
  long n = 0;
  long got = vc_ledger_log(l, f, fx_count_row, &n, fx->d);
  if (got < 0) vc_diag_print(fx->d, stderr);
  assert_int_equal(got, n);
  return n;
}

/* The two groups of one test list. */
#define FX_RUN(tests)                                                          \
  do {                                                                         \
    setenv("TZ", "Asia/Ho_Chi_Minh", 1);                                       \
    tzset();                                                                   \
    for (size_t i_ = 0; i_ < sizeof tests / sizeof tests[0]; i_++)             \
      tests[i_].initial_state = &FX_SQ;                                        \
    int sq_ = cmocka_run_group_tests_name("ledger on SQLite", tests,           \
                                          fx_sq_setup, fx_sq_teardown);        \
    for (size_t i_ = 0; i_ < sizeof tests / sizeof tests[0]; i_++)             \
      tests[i_].initial_state = &FX_PG;                                        \
    int pg_ = cmocka_run_group_tests_name("ledger on PostgreSQL", tests,       \
                                          fx_pg_setup, fx_pg_teardown);        \
    return sq_ + pg_;                                                          \
  } while (0)

static FX_UNUSED int fx_sq_setup(void **s) { (void)s; return fx_group_setup(&FX_SQ); }
static FX_UNUSED int fx_sq_teardown(void **s) { (void)s; return fx_group_teardown(&FX_SQ); }
static FX_UNUSED int fx_pg_setup(void **s) { (void)s; return fx_group_setup(&FX_PG); }
static FX_UNUSED int fx_pg_teardown(void **s) { (void)s; return fx_group_teardown(&FX_PG); }

#endif
