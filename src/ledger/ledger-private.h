/*
 * ledger-private.h - what the ledger's files share: the small driver each
 * backend (ledger-sqlite.c, ledger-pg.c) provides, and the ledger itself.
 *
 * Why the logic is written once above a driver: the two backends must give
 * the same guarantees, so reserve/confirm, the migrations' order and the
 * queries are the same code; a driver only runs SQL.  The SQL is written
 * once too, with $1, $2... parameters in order (SQLite reads them as named
 * parameters), text in and text out; what differs (types, the writers'
 * lock) is in the drivers and the schema tables of ledger-schema.c.
 */
#ifndef VC_LEDGER_PRIVATE_H
#define VC_LEDGER_PRIVATE_H

#include "ledger/ledger.h"

typedef struct vc__ldb vc__ldb_t;

/* Rows of one multi-row INSERT at most (values of a record, words of a
 * name); more go in several. */
#define VC__LEDGER_MULTI 32
enum { VC__MULTI_VALUES, VC__MULTI_WORDS };

/* A result row: ncols cells as text, NULL for SQL NULL; valid during the
 * callback.  Returning false stops the rows. */
typedef bool (*vc__lrow_fn)(const char *const *cells, int ncols, void *ud);

typedef struct vc__ledger_ops {
  const char *name; /* "sqlite", "postgresql" */
  void (*close)(vc__ldb_t *db);
  /* A transaction; write ones are serialised between all processes (SQLite
   * BEGIN IMMEDIATE, PostgreSQL an advisory lock), waiting the busy
   * timeout at most. */
  vc_status_t (*begin)(vc__ldb_t *db, bool write, vc_diag_t *d);
  vc_status_t (*commit)(vc__ldb_t *db, vc_diag_t *d);
  void (*rollback)(vc__ldb_t *db);
  /* Statements without parameters or rows (the schema). */
  vc_status_t (*exec)(vc__ldb_t *db, const char *sql, vc_diag_t *d);
  /* One statement with np text parameters (NULL = SQL NULL); fn (may be
   * NULL) gets each row.  Returns the rows given by a statement that gives
   * rows, else the rows it changed; -1 on error (diagnosed).
   * `sql` must be a string constant: drivers keep prepared statements by
   * its address. */
  long (*run)(vc__ldb_t *db, const char *sql, int np, const char *const *p,
              vc__lrow_fn fn, void *ud, vc_diag_t *d);
  /* True when the ledger holds no table at all (a new file, an empty
   * database); -1 on error. */
  int (*empty)(vc__ldb_t *db, vc_diag_t *d);
  /* The schema, per version (index 1..VC_LEDGER_SCHEMA): the SQL that
   * brings version i-1 to i. */
  const char *const *migrations;
  /* A row when the table $1 exists. */
  const char *table_sql;
  /* After an import with explicit ids (PostgreSQL's identity sequences);
   * NULL when nothing is needed. */
  const char *after_import;
} vc__ledger_ops_t;

struct vc_ledger {
  const vc__ledger_ops_t *ops;
  vc__ldb_t *db;
  char *where;     /* as given, for messages (a URI without its password) */
  char *operator_name, *host;
  int64_t fixed_now;
  int schema;
  bool read_only;
  char *multi[2][VC__LEDGER_MULTI + 1]; /* vc__ledger_multi_sql's texts */
};

/* Schema 2 (both backends): the print job's queue, CUPS id and state. */
#define VC__LEDGER_V2_SQL                                                      \
  "ALTER TABLE events ADD COLUMN queue TEXT;"                                  \
  "ALTER TABLE events ADD COLUMN job_id TEXT;"                                 \
  "ALTER TABLE events ADD COLUMN job_state TEXT;"                              \
  "CREATE INDEX events_kind ON events(kind, at);"                              \
  "UPDATE vncert_ledger SET value = '2' WHERE name = 'schema';"

/* Schema 3 (both backends; issue 11): revoked serials, with the reason
 * shown to whoever verifies the certificate.  (BIGINT: SQLite gives it
 * integer affinity.)  A step of its own: the lead renumbers it at merge. */
#define VC__LEDGER_V3_SQL                                                      \
  "CREATE TABLE revocations(serial TEXT PRIMARY KEY, doc_id BIGINT"            \
  " REFERENCES documents(id), reason TEXT NOT NULL, at BIGINT NOT NULL,"       \
  " day TEXT NOT NULL, operator TEXT NOT NULL, host TEXT NOT NULL);"          \
  "UPDATE vncert_ledger SET value = '3' WHERE name = 'schema';"

/* The drivers: open `where` (a path / a libpq string), NULL on failure
 * with the reason recorded.  *ops is set to the driver's table. */
vc__ldb_t *vc__ledger_sqlite_open(const char *where, const vc_ledger_opts_t *o,
                                  const vc__ledger_ops_t **ops, vc_diag_t *d);
vc__ldb_t *vc__ledger_pg_open(const char *where, const vc_ledger_opts_t *o,
                              const vc__ledger_ops_t **ops, vc_diag_t *d);

/* Schema check and migration at open (ledger-schema.c). */
vc_status_t vc__ledger_schema_open(vc_ledger_t *l, bool create, vc_diag_t *d);

/* The ledger's clock, and a Unix time's local day "YYYY-MM-DD". */
int64_t vc__ledger_now(const vc_ledger_t *l);
void vc__ledger_day(int64_t t, char out[16]);

/* Runs on the ledger's driver; see vc__ledger_ops_t.run. */
long vc__ledger_run(vc_ledger_t *l, const char *sql, int np,
                    const char *const *p, vc__lrow_fn fn, void *ud,
                    vc_diag_t *d);

/* The text of one INSERT of `rows` rows (1..VC__LEDGER_MULTI), made once
 * per ledger (drivers keep statements by the text's address): VALUES
 * takes $1 = doc_id then position, name, value per row; WORDS $1 = doc_id
 * then one word per row.  NULL on no memory (diagnosed). */
const char *vc__ledger_multi_sql(vc_ledger_t *l, int kind, size_t rows,
                                 vc_diag_t *d);

/* Records where a ledger error came from: "ledger WHERE: what". */
void vc__ledger_fail(const vc_ledger_t *l, vc_diag_t *d, vc_status_t st,
                     const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#endif
