/*
 * ledger-sqlite.c - the ledger in an SQLite file (libsqlite3): WAL so that
 * `vncert log` reads while a batch writes, a busy timeout so two batches
 * wait for each other instead of failing, foreign keys on, synchronous=FULL
 * so a committed reservation survives a power cut (a serial printed on paper
 * must never be handed out again).
 */
#include "core/i18n.h"
#include "ledger/ledger-private.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sqlite3.h>

/* Prepared statements kept by the address of their SQL text (constants). */
#define STMT_CACHE 160

struct vc__ldb {
  sqlite3 *db;
  char *path;
  int busy_ms;
  struct {
    const char *sql;
    sqlite3_stmt *st;
    int *at; /* param_map's */
  } cache[STMT_CACHE];
};

/* A message for an SQLite failure in words a school clerk can act on;
 * the library's own text follows. */
static void fail(vc__ldb_t *b, vc_diag_t *d, int rc, const char *doing) {
  const char *why;
  vc_status_t st = VC_E_IO;
  /* overwritten pages do not always read as SQLITE_CORRUPT: a length gone
   * wild reads as "too big" (the ledger's values are all small), a damaged
   * schema page as an error that says "malformed" */
  if ((rc & 0xff) == SQLITE_TOOBIG ||
      ((rc & 0xff) == SQLITE_ERROR && b->db &&
       strstr(sqlite3_errmsg(b->db), "malformed")))
    rc = SQLITE_CORRUPT;
  switch (rc & 0xff) {
  case SQLITE_NOTADB:
    why = _("is not a vncert ledger (not an SQLite database)");
    st = VC_E_INPUT;
    break;
  case SQLITE_CORRUPT:
    why = _("is damaged (the database is corrupt); restore it from a backup");
    break;
  case SQLITE_READONLY:
    why = _("cannot be written (read-only file, folder or medium)");
    break;
  case SQLITE_BUSY:
  case SQLITE_LOCKED:
    why = _("is locked by another program for too long (another vncert run?)");
    break;
  case SQLITE_IOERR: {
    /* a failed write (no space, file size limit, medium gone): say why */
    int e = b->db ? sqlite3_system_errno(b->db) : 0;
    vc_diag_add(d, VC_E_IO, b->path, 0, 0,
                "ledger could not be written or read on the disk%s%s%s; "
                "nothing of it was recorded (while %s)",
                e ? " (" : "", e ? strerror(e) : "", e ? ")" : "", _(doing));
    return;
  }
  case SQLITE_FULL:
    why = _("cannot grow: the disk is full");
    break;
  case SQLITE_CANTOPEN:
    why = _("cannot be opened");
    break;
  case SQLITE_NOMEM:
    vc_diag_add(d, VC_E_NOMEM, b->path, 0, 0, "out of memory in the ledger");
    return;
  case SQLITE_CONSTRAINT:
    why = _("refused a change that would break its rules");
    st = VC_E_INTERNAL;
    break;
  default:
    why = _("failed");
    break;
  }
  /* SQLite's own words, in English whatever the language: quoted */
  vc_diag_add(d, st, b->path, 0, 0, "ledger %s (while %s: \"%s\")", why, _(doing),
              b->db ? sqlite3_errmsg(b->db) : sqlite3_errstr(rc));
}

static void sq_close(vc__ldb_t *b) {
  if (!b) return;
  for (int i = 0; i < STMT_CACHE; i++)
    if (b->cache[i].st) sqlite3_finalize(b->cache[i].st), free(b->cache[i].at);
  sqlite3_close(b->db);
  free(b->path);
  free(b);
}

static vc_status_t sq_exec(vc__ldb_t *b, const char *sql, vc_diag_t *d) {
  int rc = sqlite3_exec(b->db, sql, NULL, NULL, NULL);
  if (rc == SQLITE_OK) return VC_OK;
  fail(b, d, rc, N_("updating its schema"));
  return vc_diag_status(d) ? vc_diag_status(d) : VC_E_IO;
}

static vc_status_t sq_begin(vc__ldb_t *b, bool write, vc_diag_t *d) {
  int rc = sqlite3_exec(b->db, write ? "BEGIN IMMEDIATE" : "BEGIN", NULL,
                        NULL, NULL);
  if (rc == SQLITE_OK) return VC_OK;
  fail(b, d, rc, write ? N_("starting to record") : N_("starting to read"));
  return VC_E_IO;
}

static vc_status_t sq_commit(vc__ldb_t *b, vc_diag_t *d) {
  int rc = sqlite3_exec(b->db, "COMMIT", NULL, NULL, NULL);
  if (rc == SQLITE_OK) return VC_OK;
  fail(b, d, rc, N_("committing"));
  sqlite3_exec(b->db, "ROLLBACK", NULL, NULL, NULL);
  return VC_E_IO;
}

static void sq_rollback(vc__ldb_t *b) {
  if (!sqlite3_get_autocommit(b->db))
    sqlite3_exec(b->db, "ROLLBACK", NULL, NULL, NULL);
}

/* The prepared statement of sql, made once; NULL on failure (diagnosed). */
static sqlite3_stmt *stmt_of(vc__ldb_t *b, const char *sql, vc_diag_t *d) {
  int i;
  for (i = 0; i < STMT_CACHE && b->cache[i].sql; i++)
    if (b->cache[i].sql == sql) return b->cache[i].st;
  sqlite3_stmt *st = NULL;
  int rc = sqlite3_prepare_v3(b->db, sql, -1,
                              i < STMT_CACHE ? SQLITE_PREPARE_PERSISTENT : 0,
                              &st, NULL);
  if (rc != SQLITE_OK) {
    fail(b, d, rc, N_("preparing a query"));
    return NULL;
  }
  if (i < STMT_CACHE) {
    b->cache[i].sql = sql;
    b->cache[i].st = st;
  }
  return st;
}

static bool cached(const vc__ldb_t *b, const sqlite3_stmt *st) {
  for (int i = 0; i < STMT_CACHE && b->cache[i].sql; i++)
    if (b->cache[i].st == st) return true;
  return false;
}

/* The bind indexes of parameters "$1".."$np" of a cached statement
 * (0: not in the text), found once: SQLite looks a name up along all of
 * them, and a chunk's statements have hundreds.  NULL when st is not
 * cached or on no memory (then looked up by name). */
static const int *param_map(vc__ldb_t *b, sqlite3_stmt *st) {
  int i;
  for (i = 0; i < STMT_CACHE && b->cache[i].sql && b->cache[i].st != st; i++) {}
  if (i == STMT_CACHE || !b->cache[i].sql) return NULL;
  if (b->cache[i].at) return b->cache[i].at;
  int np = sqlite3_bind_parameter_count(st);
  int *at = calloc((size_t)np + 1, sizeof *at);
  for (int k = 1; at && k <= np; k++) {
    const char *nm = sqlite3_bind_parameter_name(st, k);
    int v = nm && nm[0] == '$' ? atoi(nm + 1) : 0;
    if (v >= 1 && v <= np) at[v - 1] = k;
  }
  return b->cache[i].at = at;
}

static long sq_run(vc__ldb_t *b, const char *sql, int np, const char *const *p,
                   vc__lrow_fn fn, void *ud, vc_diag_t *d) {
  sqlite3_stmt *st = stmt_of(b, sql, d);
  if (!st) return -1;
  const int *map = param_map(b, st);
  int mapped = map ? sqlite3_bind_parameter_count(st) : 0;
  for (int i = 0; i < np; i++) {
    char name[16];
    if (!map) snprintf(name, sizeof name, "$%d", i + 1);
    int at = map ? (i < mapped ? map[i] : 0) : sqlite3_bind_parameter_index(st, name);
    if (at == 0) continue; /* a parameter the text does not use */
    int rc = p[i] ? sqlite3_bind_text(st, at, p[i], -1, SQLITE_STATIC)
                  : sqlite3_bind_null(st, at);
    if (rc != SQLITE_OK) {
      fail(b, d, rc, N_("binding a value"));
      sqlite3_reset(st);
      return -1;
    }
  }
  long rows = 0;
  int rc;
  bool more = true;
  const char *cells[32];
  while (more && (rc = sqlite3_step(st)) == SQLITE_ROW) {
    rows++;
    if (!fn) continue;
    int n = sqlite3_column_count(st);
    if (n > 32) n = 32;
    for (int c = 0; c < n; c++)
      cells[c] = (const char *)sqlite3_column_text(st, c);
    more = fn(cells, n, ud);
  }
  if (more && rc != SQLITE_DONE) {
    fail(b, d, rc, N_("recording or reading"));
    rows = -1;
  } else if (sqlite3_column_count(st) == 0) {
    rows = sqlite3_changes(b->db);
  }
  sqlite3_reset(st);
  sqlite3_clear_bindings(st);
  if (!cached(b, st)) sqlite3_finalize(st);
  return rows;
}

/* Statement i's rows for run_many's callback. */
typedef struct many {
  vc__lrows_fn fn;
  void *ud;
  size_t i;
} many_t;

static bool many_row(const char *const *cells, int ncols, void *ud) {
  many_t *m = ud;
  return m->fn(m->i, cells, ncols, m->ud);
}

/* One after the other: a local file has no round trips to save. */
static vc_status_t sq_run_many(vc__ldb_t *b, vc__lstmt_t *s, size_t n,
                               vc__lrows_fn fn, void *ud, vc_diag_t *d) {
  many_t m = {fn, ud, 0};
  for (m.i = 0; m.i < n; m.i++) {
    s[m.i].result = sq_run(b, s[m.i].sql, s[m.i].np, s[m.i].p, fn ? many_row : NULL, &m, d);
    if (s[m.i].result < 0) return vc_diag_status(d) ? vc_diag_status(d) : VC_E_IO;
  }
  return VC_OK;
}

static int sq_empty(vc__ldb_t *b, vc_diag_t *d) {
  sqlite3_stmt *st = NULL;
  int rc = sqlite3_prepare_v2(b->db, "SELECT count(*) FROM sqlite_master", -1,
                              &st, NULL);
  if (rc == SQLITE_OK) rc = sqlite3_step(st);
  if (rc != SQLITE_ROW) {
    fail(b, d, rc, N_("opening"));
    sqlite3_finalize(st);
    return -1;
  }
  int n = sqlite3_column_int(st, 0);
  sqlite3_finalize(st);
  return n == 0;
}

/* The schema, per version.  v1 was the first ledger; v2 added the print
 * job's queue, CUPS id and final state to events; v3 took the foreign keys
 * off document_values and name_words (SQLite cannot drop a constraint: the
 * two tables are made again, their rows copied). */
static const char SQ_V1[] =
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
    "PRAGMA application_id = 1447249991;"; /* 'VCLG' */
static const char SQ_V2[] = VC__LEDGER_V2_SQL;
static const char SQ_V3[] =
    "CREATE TABLE document_values_3(doc_id INTEGER NOT NULL, position INTEGER NOT"
    " NULL, name TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY(doc_id, position))"
    " WITHOUT ROWID;"
    "INSERT INTO document_values_3 SELECT doc_id, position, name, value FROM"
    " document_values;"
    "DROP TABLE document_values;"
    "ALTER TABLE document_values_3 RENAME TO document_values;"
    "CREATE TABLE name_words_3(word TEXT NOT NULL, doc_id INTEGER NOT NULL,"
    " PRIMARY KEY(word, doc_id)) WITHOUT ROWID;"
    "INSERT INTO name_words_3 SELECT word, doc_id FROM name_words;"
    "DROP TABLE name_words;"
    "ALTER TABLE name_words_3 RENAME TO name_words;"
    "CREATE INDEX name_words_doc ON name_words(doc_id);"
    "UPDATE vncert_ledger SET value = '3' WHERE name = 'schema';";
static const char SQ_V4[] = VC__LEDGER_V4_SQL;
static const char *const SQ_MIGRATIONS[] = {NULL, SQ_V1, SQ_V2, SQ_V3,
                                                SQ_V4};

static const vc__ledger_ops_t SQ_OPS = {
    .name = "sqlite",
    .close = sq_close,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .exec = sq_exec,
    .run = sq_run,
    .run_many = sq_run_many,
    .in_max = 1,
    .returning = false,
    .copy = NULL,
    .empty = sq_empty,
    .migrations = SQ_MIGRATIONS,
    .table_sql = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = $1",
    .after_import = NULL,
};

/* Pragmas once per connection; journal_mode=WAL is kept in the file. */
static bool setup(vc__ldb_t *b, const vc_ledger_opts_t *o, vc_diag_t *d) {
  sqlite3_busy_timeout(b->db, b->busy_ms);
  sqlite3_extended_result_codes(b->db, 1);
  int rc = sqlite3_exec(b->db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
  /* the first read: a file that is not a database fails here */
  if (rc == SQLITE_OK)
    rc = sqlite3_exec(b->db, "SELECT count(*) FROM sqlite_master", NULL, NULL,
                      NULL);
  if (rc == SQLITE_OK && !o->read_only)
    rc = sqlite3_exec(b->db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_exec(b->db, "PRAGMA synchronous = FULL", NULL, NULL, NULL);
  /* a batch's reservation changes a few MB in one transaction: with the
   * default 2 MB cache SQLite writes pages to the WAL before the commit,
   * some twice (a third of the reservation's time was the kernel's) */
  if (rc == SQLITE_OK)
    rc = sqlite3_exec(b->db, "PRAGMA cache_size = -32768", NULL, NULL, NULL);
  /* each multi-row statement inside a transaction keeps a statement
   * journal (what it changed, to undo it alone): in a temporary file by
   * default, 65,000 writes and 160 MB for 10,000 pages' reservation and
   * confirmation; in memory, a few MB at most */
  if (rc == SQLITE_OK)
    rc = sqlite3_exec(b->db, "PRAGMA temp_store = MEMORY", NULL, NULL, NULL);
  if (rc != SQLITE_OK) {
    fail(b, d, rc, N_("opening"));
    return false;
  }
  if (!o->read_only && sqlite3_db_readonly(b->db, "main") == 1) {
    vc_diag_add(d, VC_E_IO, b->path, 0, 0,
                "ledger cannot be written (read-only file, folder or "
                "medium): nothing can be recorded, so nothing is issued");
    return false;
  }
  return true;
}

vc__ldb_t *vc__ledger_sqlite_open(const char *where, const vc_ledger_opts_t *o,
                                  const vc__ledger_ops_t **ops, vc_diag_t *d) {
  struct stat sb;
  bool exists = stat(where, &sb) == 0;
  if (!exists && (o->read_only || !o->create)) {
    vc_diag_add(d, VC_E_IO, where, 0, 0, "no ledger here (%s)",
                strerror(errno));
    return NULL;
  }
  if (exists && !S_ISREG(sb.st_mode)) {
    vc_diag_add(d, VC_E_INPUT, where, 0, 0,
                "is not a vncert ledger (not a regular file)");
    return NULL;
  }
  vc__ldb_t *b = calloc(1, sizeof *b);
  if (!b || !(b->path = strdup(where))) {
    free(b);
    vc_diag_add(d, VC_E_NOMEM, where, 0, 0, "out of memory opening the ledger");
    return NULL;
  }
  b->busy_ms = o->busy_timeout_ms > 0 ? o->busy_timeout_ms : 10000;
  int flags = o->read_only ? SQLITE_OPEN_READONLY
                           : SQLITE_OPEN_READWRITE |
                                 (o->create ? SQLITE_OPEN_CREATE : 0);
  int rc = sqlite3_open_v2(where, &b->db, flags, NULL);
  if (rc != SQLITE_OK || !setup(b, o, d)) {
    if (rc != SQLITE_OK) fail(b, d, rc, N_("opening"));
    sq_close(b);
    return NULL;
  }
  *ops = &SQ_OPS;
  return b;
}
