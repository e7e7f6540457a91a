/*
 * ledger-pg.c - the ledger on a PostgreSQL server (libpq), for schools
 * where several print stations, kiosks and the finance office share one.
 *
 * The same schema as SQLite's (types aside) and the same guarantees: write
 * transactions are serialised by one transaction-scoped advisory lock (as
 * SQLite's BEGIN IMMEDIATE does), so a serial is counted and checked free
 * under the lock, and lock_timeout is the busy timeout.  Statements are
 * prepared once per connection.  libpq's notices are not printed (library
 * code never prints).
 */
#include "ledger/ledger-private.h"

#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#define STMT_CACHE 48
/* The advisory lock key of ledger writers: "VCLG". */
#define WRITER_LOCK "SELECT pg_advisory_xact_lock(1447249991)"

struct vc__ldb {
  PGconn *conn;
  char *where; /* for messages, without a password */
  const char *cache[STMT_CACHE];
};

static void quiet(void *arg, const char *msg) {
  (void)arg;
  (void)msg;
}

/* A message for a failed statement, by its SQLSTATE. */
static void fail(vc__ldb_t *b, vc_diag_t *d, const PGresult *res,
                 const char *doing) {
  const char *code = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
  const char *why = "failed";
  vc_status_t st = VC_E_IO;
  if (!code) code = "";
  if (PQstatus(b->conn) == CONNECTION_BAD) why = "lost its server connection";
  else if (!strcmp(code, "55P03") || !strcmp(code, "57014"))
    why = "is locked by another program for too long (another vncert run?)";
  else if (!strcmp(code, "53100")) why = "cannot grow: the server's disk is full";
  else if (!strcmp(code, "25006") || !strcmp(code, "42501"))
    why = "cannot be written (read-only or no permission)";
  else if (!strncmp(code, "23", 2)) {
    why = "refused a change that would break its rules";
    st = VC_E_INTERNAL;
  } else if (!strcmp(code, "53200")) {
    vc_diag_add(d, VC_E_NOMEM, b->where, 0, 0, "the ledger's server is out of memory");
    return;
  }
  const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(b->conn);
  char clean[512];
  snprintf(clean, sizeof clean, "%s", msg && *msg ? msg : PQerrorMessage(b->conn));
  clean[strcspn(clean, "\n")] = '\0';
  vc_diag_add(d, st, b->where, 0, 0, "ledger %s (while %s: %s)", why, doing, clean);
}

/* Runs a statement without parameters; true when it worked. */
static bool simple(vc__ldb_t *b, const char *sql, const char *doing,
                   vc_diag_t *d) {
  PGresult *res = PQexec(b->conn, sql);
  ExecStatusType s = PQresultStatus(res);
  bool ok = s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK;
  if (!ok) fail(b, d, res, doing);
  PQclear(res);
  return ok;
}

static void pg_close(vc__ldb_t *b) {
  if (!b) return;
  PQfinish(b->conn);
  free(b->where);
  free(b);
}

static vc_status_t pg_exec(vc__ldb_t *b, const char *sql, vc_diag_t *d) {
  return simple(b, sql, "updating its schema", d) ? VC_OK : VC_E_IO;
}

static vc_status_t pg_begin(vc__ldb_t *b, bool write, vc_diag_t *d) {
  if (!simple(b, "BEGIN", "starting", d)) return VC_E_IO;
  /* reads (the log) plan each query for its values: a prepared statement's
   * generic plan read a million events by hash join for one person's name */
  if (!write && !simple(b, "SET LOCAL plan_cache_mode = force_custom_plan",
                        "starting", d)) {
    simple(b, "ROLLBACK", "rolling back", NULL);
    return VC_E_IO;
  }
  if (write && !simple(b, WRITER_LOCK, "waiting for other writers", d)) {
    simple(b, "ROLLBACK", "rolling back", NULL);
    return VC_E_IO;
  }
  return VC_OK;
}

static vc_status_t pg_commit(vc__ldb_t *b, vc_diag_t *d) {
  if (simple(b, "COMMIT", "committing", d)) return VC_OK;
  simple(b, "ROLLBACK", "rolling back", NULL);
  return VC_E_IO;
}

static void pg_rollback(vc__ldb_t *b) {
  if (PQtransactionStatus(b->conn) != PQTRANS_IDLE)
    simple(b, "ROLLBACK", "rolling back", NULL);
}

/* The name of sql's prepared statement ("" when the cache is full: then it
 * is parsed each time), preparing it the first time. */
static bool prepared(vc__ldb_t *b, const char *sql, int np, char name[16],
                     vc_diag_t *d) {
  int i;
  for (i = 0; i < STMT_CACHE && b->cache[i]; i++)
    if (b->cache[i] == sql) break;
  if (i == STMT_CACHE) {
    name[0] = '\0';
    return true;
  }
  snprintf(name, 16, "vc%d", i);
  if (b->cache[i]) return true;
  PGresult *res = PQprepare(b->conn, name, sql, np, NULL);
  bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
  if (!ok) fail(b, d, res, "preparing a query");
  else b->cache[i] = sql;
  PQclear(res);
  return ok;
}

static long pg_run(vc__ldb_t *b, const char *sql, int np, const char *const *p,
                   vc__lrow_fn fn, void *ud, vc_diag_t *d) {
  char name[16];
  if (!prepared(b, sql, np, name, d)) return -1;
  PGresult *res = name[0] ? PQexecPrepared(b->conn, name, np, p, NULL, NULL, 0)
                          : PQexecParams(b->conn, sql, np, NULL, p, NULL, NULL, 0);
  ExecStatusType s = PQresultStatus(res);
  if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
    fail(b, d, res, "recording or reading");
    PQclear(res);
    return -1;
  }
  if (s == PGRES_COMMAND_OK) {
    long changed = strtol(PQcmdTuples(res), NULL, 10);
    PQclear(res);
    return changed;
  }
  long rows = 0;
  int nr = PQntuples(res), nc = PQnfields(res);
  const char *cells[32];
  if (nc > 32) nc = 32;
  for (int r = 0; r < nr; r++) {
    rows++;
    if (!fn) continue;
    for (int c = 0; c < nc; c++)
      cells[c] = PQgetisnull(res, r, c) ? NULL : PQgetvalue(res, r, c);
    if (!fn(cells, nc, ud)) break;
  }
  PQclear(res);
  return rows;
}

static bool count_row(const char *const *cells, int ncols, void *ud) {
  *(long *)ud = ncols > 0 && cells[0] ? strtol(cells[0], NULL, 10) : 0;
  return false;
}

static int pg_empty(vc__ldb_t *b, vc_diag_t *d) {
  long n = -1;
  if (pg_run(b, "SELECT count(*) FROM pg_tables WHERE schemaname ="
                " current_schema()", 0, NULL, count_row, &n, d) < 0)
    return -1;
  return n == 0;
}

static const char PG_V1[] =
    "CREATE TABLE vncert_ledger(name TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE serial_counters(pattern TEXT NOT NULL, year BIGINT NOT NULL,"
    " last BIGINT NOT NULL, PRIMARY KEY(pattern, year));"
    "CREATE TABLE documents(id BIGINT GENERATED BY DEFAULT AS IDENTITY"
    " PRIMARY KEY, serial TEXT UNIQUE,"
    " pattern TEXT, template_path TEXT NOT NULL, template_hash TEXT NOT NULL,"
    " record_key TEXT NOT NULL, values_hash TEXT NOT NULL, name TEXT NOT NULL,"
    " name_fold TEXT NOT NULL, state TEXT NOT NULL CHECK (state IN"
    " ('pending','issued','replaced','revoked')), reserved_at BIGINT NOT NULL,"
    " issued_at BIGINT, issued_day TEXT,"
    " replaces BIGINT REFERENCES documents(id), reason TEXT);"
    "CREATE UNIQUE INDEX documents_pending ON documents(template_path,"
    " record_key) WHERE state = 'pending';"
    "CREATE UNIQUE INDEX documents_issued ON documents(template_path,"
    " record_key) WHERE state = 'issued';"
    "CREATE INDEX documents_key ON documents(record_key);"
    "CREATE TABLE document_values(doc_id BIGINT NOT NULL REFERENCES"
    " documents(id), position BIGINT NOT NULL, name TEXT NOT NULL,"
    " value TEXT NOT NULL, PRIMARY KEY(doc_id, position));"
    "CREATE TABLE name_words(word TEXT COLLATE \"C\" NOT NULL, doc_id BIGINT"
    " NOT NULL REFERENCES documents(id), PRIMARY KEY(word, doc_id));"
    "CREATE INDEX name_words_doc ON name_words(doc_id);"
    "CREATE TABLE events(id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY"
    " KEY, doc_id BIGINT NOT NULL REFERENCES documents(id), kind TEXT NOT NULL"
    " CHECK (kind IN ('render','print','reprint','new-issue','revoke')),"
    " at BIGINT NOT NULL, day TEXT NOT NULL, operator TEXT NOT NULL,"
    " host TEXT NOT NULL, reason TEXT, template_hash TEXT, values_hash TEXT);"
    "CREATE INDEX events_doc ON events(doc_id);"
    "CREATE INDEX events_at ON events(at);"
    "INSERT INTO vncert_ledger VALUES('application', 'vncert-ledger');"
    "INSERT INTO vncert_ledger VALUES('schema', '1');";
static const char PG_V2[] = VC__LEDGER_V2_SQL;
static const char PG_V3[] = VC__LEDGER_V3_SQL;
static const char *const PG_MIGRATIONS[] = {NULL, PG_V1, PG_V2, PG_V3};

static const vc__ledger_ops_t PG_OPS = {
    .name = "postgresql",
    .close = pg_close,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .exec = pg_exec,
    .run = pg_run,
    .empty = pg_empty,
    .migrations = PG_MIGRATIONS,
    .table_sql = "SELECT 1 FROM pg_tables WHERE schemaname = current_schema()"
                 " AND tablename = $1",
    .after_import =
        "SELECT setval(pg_get_serial_sequence('documents', 'id'),"
        " (SELECT coalesce(max(id), 0) + 1 FROM documents), false);"
        "SELECT setval(pg_get_serial_sequence('events', 'id'),"
        " (SELECT coalesce(max(id), 0) + 1 FROM events), false);",
};

vc__ldb_t *vc__ledger_pg_open(const char *where, const vc_ledger_opts_t *o,
                              const vc__ledger_ops_t **ops, vc_diag_t *d) {
  vc__ldb_t *b = calloc(1, sizeof *b);
  /* messages name the server and database, never the string given (it
   * may hold a password) */
  if (!b || !(b->where = strdup("PostgreSQL ledger"))) {
    free(b);
    vc_diag_add(d, VC_E_NOMEM, NULL, 0, 0, "out of memory opening the ledger");
    return NULL;
  }
  /* a server that does not answer is given 10 s (libpq waits forever by
   * default); a connect_timeout in `where` comes after and wins */
  const char *const keys[] = {"connect_timeout", "dbname", NULL};
  const char *const vals[] = {"10", where, NULL};
  b->conn = PQconnectdbParams(keys, vals, 1);
  if (!b->conn || PQstatus(b->conn) != CONNECTION_OK) {
    char msg[512];
    snprintf(msg, sizeof msg, "%s", b->conn ? PQerrorMessage(b->conn) : "no memory");
    msg[strcspn(msg, "\n")] = '\0';
    vc_diag_add(d, VC_E_IO, b->where, 0, 0,
                "cannot be reached (%s)", msg);
    pg_close(b);
    return NULL;
  }
  char shown[512];
  snprintf(shown, sizeof shown, "postgresql database %s on %s", PQdb(b->conn),
           PQhost(b->conn));
  char *w = strdup(shown);
  if (w) free(b->where), b->where = w;
  PQsetNoticeProcessor(b->conn, quiet, NULL);
  char set[160];
  snprintf(set, sizeof set,
           "SET lock_timeout = %d; SET client_min_messages = warning;%s",
           o->busy_timeout_ms > 0 ? o->busy_timeout_ms : 10000,
           o->read_only ? " SET default_transaction_read_only = on;" : "");
  if (!simple(b, set, "opening", d)) {
    pg_close(b);
    return NULL;
  }
  *ops = &PG_OPS;
  return b;
}
