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
#include "core/i18n.h"
#include "ledger/ledger-private.h"

#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#define STMT_CACHE 160
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
  const char *why = _("failed");
  vc_status_t st = VC_E_IO;
  if (!code) code = "";
  if (PQstatus(b->conn) == CONNECTION_BAD) why = _("lost its server connection");
  else if (!strcmp(code, "55P03") || !strcmp(code, "57014"))
    why = _("is locked by another program for too long (another vncert run?)");
  else if (!strcmp(code, "53100")) why = _("cannot grow: the server's disk is full");
  else if (!strcmp(code, "25006") || !strcmp(code, "42501"))
    why = _("cannot be written (read-only or no permission)");
  else if (!strncmp(code, "23", 2)) {
    why = _("refused a change that would break its rules");
    st = VC_E_INTERNAL;
  } else if (!strcmp(code, "53200")) {
    vc_diag_add(d, VC_E_NOMEM, b->where, 0, 0, "the ledger's server is out of memory");
    return;
  }
  const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(b->conn);
  char clean[512];
  snprintf(clean, sizeof clean, "%s", msg && *msg ? msg : PQerrorMessage(b->conn));
  clean[strcspn(clean, "\n")] = '\0';
  vc_diag_add(d, st, b->where, 0, 0, "ledger %s (while %s: \"%s\")", why, _(doing), clean);
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
  return simple(b, sql, N_("updating its schema"), d) ? VC_OK : VC_E_IO;
}

static vc_status_t pg_begin(vc__ldb_t *b, bool write, vc_diag_t *d) {
  if (!simple(b, "BEGIN", N_("starting"), d)) return VC_E_IO;
  /* reads (the log) plan each query for its values: a prepared statement's
   * generic plan read a million events by hash join for one person's name */
  if (!write && !simple(b, "SET LOCAL plan_cache_mode = force_custom_plan",
                        N_("starting"), d)) {
    simple(b, "ROLLBACK", N_("rolling back"), NULL);
    return VC_E_IO;
  }
  /* The writers' statements are prepared once and planned once, often on
   * a new ledger's empty tables: without this, a plan made then scans the
   * whole table ever after (a 10,000-page batch looked each page up in all
   * the documents before it).  Every one of them has its index. */
  if (write && !simple(b, "SET LOCAL enable_seqscan = off; " WRITER_LOCK,
                       N_("waiting for other writers"), d)) {
    simple(b, "ROLLBACK", N_("rolling back"), NULL);
    return VC_E_IO;
  }
  return VC_OK;
}

static vc_status_t pg_commit(vc__ldb_t *b, vc_diag_t *d) {
  if (simple(b, "COMMIT", N_("committing"), d)) return VC_OK;
  simple(b, "ROLLBACK", N_("rolling back"), NULL);
  return VC_E_IO;
}

static void pg_rollback(vc__ldb_t *b) {
  if (PQtransactionStatus(b->conn) != PQTRANS_IDLE)
    simple(b, "ROLLBACK", N_("rolling back"), NULL);
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
  if (!ok) fail(b, d, res, N_("preparing a query"));
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
    fail(b, d, res, N_("recording or reading"));
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

/* The rows of one result to fn, as statement i's. */
static void rows_of(const PGresult *res, size_t i, vc__lrows_fn fn, void *ud) {
  int nr = PQntuples(res), nc = PQnfields(res);
  const char *cells[32];
  if (nc > 32) nc = 32;
  for (int r = 0; fn && r < nr; r++) {
    for (int c = 0; c < nc; c++)
      cells[c] = PQgetisnull(res, r, c) ? NULL : PQgetvalue(res, r, c);
    if (!fn(i, cells, nc, ud)) break;
  }
}

/* Reads statement i's results in a pipeline (up to its NULL). */
static bool pipe_result(vc__ldb_t *b, vc__lstmt_t *s, size_t i, vc__lrows_fn fn,
                        void *ud, bool *failed, vc_diag_t *d) {
  PGresult *res = PQgetResult(b->conn);
  if (!res) return false;
  ExecStatusType st = PQresultStatus(res);
  if (st == PGRES_TUPLES_OK) {
    s[i].result = PQntuples(res);
    rows_of(res, i, fn, ud);
  } else if (st == PGRES_COMMAND_OK) {
    s[i].result = strtol(PQcmdTuples(res), NULL, 10);
  } else {
    s[i].result = -1;
    if (!*failed) fail(b, d, res, N_("recording"));
    *failed = true;
  }
  PQclear(res);
  while ((res = PQgetResult(b->conn))) PQclear(res); /* to its end */
  return true;
}

/* All n statements sent at once, then their results read: one round trip
 * instead of n (libpq's pipeline mode).  The results are few and small
 * (the caller sends a few hundred statements at most), so the server never
 * waits for us to read while we are still sending. */
static vc_status_t pg_run_many(vc__ldb_t *b, vc__lstmt_t *s, size_t n,
                               vc__lrows_fn fn, void *ud, vc_diag_t *d) {
  char (*names)[16] = malloc((n ? n : 1) * sizeof *names);
  if (!names) {
    vc_diag_add(d, VC_E_NOMEM, b->where, 0, 0, "out of memory recording");
    return VC_E_NOMEM;
  }
  bool failed = false;
  for (size_t i = 0; i < n && !failed; i++)
    failed = !prepared(b, s[i].sql, s[i].np, names[i], d);
  if (!failed && !PQenterPipelineMode(b->conn)) {
    fail(b, d, NULL, N_("starting a pipeline"));
    failed = true;
  }
  size_t sent = 0; /* only the statements sent: each has a result to read */
  while (!failed && sent < n) {
    int ok = names[sent][0]
                 ? PQsendQueryPrepared(b->conn, names[sent], s[sent].np, s[sent].p, NULL, NULL, 0)
                 : PQsendQueryParams(b->conn, s[sent].sql, s[sent].np, NULL, s[sent].p, NULL,
                                     NULL, 0);
    if (ok) {
      sent++;
    } else {
      fail(b, d, NULL, N_("sending"));
      failed = true;
    }
  }
  if (PQpipelineStatus(b->conn) != PQ_PIPELINE_OFF) {
    if (PQpipelineSync(b->conn)) {
      for (size_t i = 0; i < sent; i++)
        if (!pipe_result(b, s, i, fn, ud, &failed, d)) break;
      PGresult *res; /* the sync point */
      while ((res = PQgetResult(b->conn)) &&
             PQresultStatus(res) != PGRES_PIPELINE_SYNC)
        PQclear(res);
      PQclear(res);
    } else if (!failed) {
      fail(b, d, NULL, N_("sending"));
      failed = true;
    }
    /* still in a pipeline, the next statement would read this one's
     * leftovers: the connection cannot be trusted any more */
    if (!PQexitPipelineMode(b->conn)) {
      char why[256];
      snprintf(why, sizeof why, "%s", PQerrorMessage(b->conn));
      why[strcspn(why, "\n")] = '\0';
      vc_diag_add(d, VC_E_IO, b->where, 0, 0,
                  "ledger lost its server connection (while ending a pipeline: \"%s\")", why);
      failed = true;
    }
  }
  free(names);
  return failed ? (vc_diag_status(d) ? vc_diag_status(d) : VC_E_IO) : VC_OK;
}

/* Appends cell to the COPY text buffer, escaped (text format: backslash,
 * tab, newline, carriage return), then sep.  false on no memory. */
static bool copy_put(char **buf, size_t *len, size_t *cap, const char *cell, char sep) {
  size_t need = *len + 2 * strlen(cell) + 2;
  if (need > *cap) {
    size_t nc = need * 2;
    char *nb = realloc(*buf, nc);
    if (!nb) return false;
    *buf = nb;
    *cap = nc;
  }
  char *o = *buf + *len;
  for (const char *s = cell; *s; s++) {
    char e = *s == '\\' ? '\\' : *s == '\t' ? 't' : *s == '\n' ? 'n' : *s == '\r' ? 'r' : 0;
    if (e) *o++ = '\\', *o++ = e;
    else *o++ = *s;
  }
  *o++ = sep;
  *len = (size_t)(o - *buf);
  return true;
}

static vc_status_t pg_copy(vc__ldb_t *b, const char *copy_sql, const char *const *cells,
                           size_t rows, int per, vc_diag_t *d) {
  PGresult *res = PQexec(b->conn, copy_sql);
  if (PQresultStatus(res) != PGRES_COPY_IN) {
    fail(b, d, res, N_("recording"));
    PQclear(res);
    return VC_E_IO;
  }
  PQclear(res);
  char *buf = NULL;
  size_t len = 0, cap = 0;
  bool ok = true;
  for (size_t r = 0; ok && r < rows; r++) {
    for (int c = 0; ok && c < per; c++)
      ok = copy_put(&buf, &len, &cap, cells[r * (size_t)per + (size_t)c], c + 1 < per ? '\t' : '\n');
    if (ok && (len > 65536 || r + 1 == rows)) {
      ok = PQputCopyData(b->conn, buf, (int)len) == 1;
      len = 0;
    }
  }
  free(buf);
  if (PQputCopyEnd(b->conn, ok ? NULL : "vncert: out of memory") != 1) ok = false;
  vc_status_t st = VC_OK;
  while ((res = PQgetResult(b->conn))) {
    if (PQresultStatus(res) != PGRES_COMMAND_OK && st == VC_OK) {
      fail(b, d, res, N_("recording"));
      st = VC_E_IO;
    }
    PQclear(res);
  }
  if (!ok && st == VC_OK) {
    vc_diag_add(d, VC_E_NOMEM, b->where, 0, 0, "out of memory recording");
    st = VC_E_NOMEM;
  }
  return st;
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
/* v3: no foreign keys on document_values and name_words (ledger-private.h) */
static const char PG_V3[] =
    "ALTER TABLE document_values DROP CONSTRAINT IF EXISTS document_values_doc_id_fkey;"
    "ALTER TABLE name_words DROP CONSTRAINT IF EXISTS name_words_doc_id_fkey;"
    "UPDATE vncert_ledger SET value = '3' WHERE name = 'schema';";
/* v4: the revocations (issue 11) */
static const char PG_V4[] = VC__LEDGER_V4_SQL;
static const char *const PG_MIGRATIONS[] = {NULL, PG_V1, PG_V2, PG_V3,
                                                PG_V4};

static const vc__ledger_ops_t PG_OPS = {
    .name = "postgresql",
    .close = pg_close,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .exec = pg_exec,
    .run = pg_run,
    .run_many = pg_run_many,
    .in_max = 32,
    .returning = true,
    .copy = pg_copy,
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
  if (!b || !(b->where = strdup(_("PostgreSQL ledger")))) {
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
    snprintf(msg, sizeof msg, "%s", b->conn ? PQerrorMessage(b->conn) : _("no memory"));
    msg[strcspn(msg, "\n")] = '\0';
    vc_diag_add(d, VC_E_IO, b->where, 0, 0,
                "cannot be reached (%s)", msg);
    pg_close(b);
    return NULL;
  }
  char shown[512];
  snprintf(shown, sizeof shown, _("postgresql database %s on %s"), PQdb(b->conn),
           PQhost(b->conn));
  char *w = strdup(shown);
  if (w) free(b->where), b->where = w;
  PQsetNoticeProcessor(b->conn, quiet, NULL);
  char set[160];
  snprintf(set, sizeof set,
           "SET lock_timeout = %d; SET client_min_messages = warning;%s",
           o->busy_timeout_ms > 0 ? o->busy_timeout_ms : 10000,
           o->read_only ? " SET default_transaction_read_only = on;" : "");
  if (!simple(b, set, N_("opening"), d)) {
    pg_close(b);
    return NULL;
  }
  *ops = &PG_OPS;
  return b;
}
