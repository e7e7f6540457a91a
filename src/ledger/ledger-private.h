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
enum {
  VC__MULTI_VALUES,  /* $1 = doc_id, then position, name, value per row */
  VC__MULTI_WORDS,   /* $1 = doc_id, then a word per row */
  VC__MULTI_DOCS,    /* a pending document per row: 11 parameters (reserve) */
  VC__MULTI_VALUES4, /* doc_id, position, name, value per row */
  VC__MULTI_WORDS2,  /* word, doc_id per row */
  VC__MULTI_FIND,    /* $1 = template; the documents of these keys */
  VC__MULTI_TAKEN,   /* the serials among these that are given */
  VC__MULTI_IDS,     /* $1 = template; the pending documents' ids of these keys */
  VC__MULTI_DOCS_ID, /* DOCS giving each new document's id and key */
  VC__MULTI_KINDS
};

/* A result row: ncols cells as text, NULL for SQL NULL; valid during the
 * callback.  Returning false stops the rows. */
typedef bool (*vc__lrow_fn)(const char *const *cells, int ncols, void *ud);

/* One statement of a batch (run_many): its text (a constant or a
 * vc__ledger_multi_sql text), parameters, and after the run the rows it
 * gave or changed. */
typedef struct vc__lstmt {
  const char *sql;
  int np;
  const char *const *p;
  long result;
} vc__lstmt_t;
/* A row of statement i of a batch. */
typedef bool (*vc__lrows_fn)(size_t i, const char *const *cells, int ncols,
                             void *ud);

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
  /* Runs n statements in order (PostgreSQL: in one pipeline, one round
   * trip); fn gets each row with its statement's index.  VC_OK, or the
   * first failure (diagnosed; the transaction is then to be rolled back). */
  vc_status_t (*run_many)(vc__ldb_t *db, vc__lstmt_t *s, size_t n,
                          vc__lrows_fn fn, void *ud, vc_diag_t *d);
  /* Keys per "IN (...)" list worth sending in one statement: SQLite makes
   * a temporary table for a list (slower than one statement per key),
   * PostgreSQL saves a round trip per key. */
  int in_max;
  /* Rows of `per` text cells each (never NULL) into the table and columns
   * of a "COPY t(c, ...) FROM STDIN" text, the fastest way in (PostgreSQL:
   * a batch's values and name words, 70,000 rows for 10,000 pages, took
   * 0.8 s as multi-row INSERTs).  NULL: multi-row INSERTs are used. */
  vc_status_t (*copy)(vc__ldb_t *db, const char *copy_sql, const char *const *cells,
                      size_t rows, int per, vc_diag_t *d);
  /* INSERT ... RETURNING is cheap (PostgreSQL; SQLite makes a temporary
   * table for each: the ids are looked up after instead). */
  bool returning;
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
  char *multi[VC__MULTI_KINDS][VC__LEDGER_MULTI + 1]; /* vc__ledger_multi_sql's */
};

/* Schema 3 (both backends, their own SQL): document_values and name_words
 * lose their foreign keys to documents.  Why: checking them was 60% of
 * inserting a batch's values and name words on PostgreSQL (0.35 s of
 * 10,000 pages' 0.6 s), and the code keeps them right: they are written
 * only for the document made or found in the same transaction, and
 * removed before it (release, resume).  events keep theirs.
 *
 * Schema 2 (both backends): the print job's queue, CUPS id and state. */
#define VC__LEDGER_V2_SQL                                                      \
  "ALTER TABLE events ADD COLUMN queue TEXT;"                                  \
  "ALTER TABLE events ADD COLUMN job_id TEXT;"                                 \
  "ALTER TABLE events ADD COLUMN job_state TEXT;"                              \
  "CREATE INDEX events_kind ON events(kind, at);"                              \
  "UPDATE vncert_ledger SET value = '2' WHERE name = 'schema';"

/* Schema 4 (both backends; issue 11): revoked serials, with the reason
 * shown to whoever verifies the certificate.  (BIGINT: SQLite gives it
 * integer affinity.)  Indexed by document: a reservation joins it to the
 * documents it finds, and PostgreSQL writers plan without table scans
 * (enable_seqscan off), so without it every chunk read all documents. */
#define VC__LEDGER_V4_SQL                                                      \
  "CREATE TABLE revocations(serial TEXT PRIMARY KEY, doc_id BIGINT"            \
  " REFERENCES documents(id), reason TEXT NOT NULL, at BIGINT NOT NULL,"       \
  " day TEXT NOT NULL, operator TEXT NOT NULL, host TEXT NOT NULL);"          \
  "CREATE INDEX revocations_doc ON revocations(doc_id);"                       \
  "UPDATE vncert_ledger SET value = '4' WHERE name = 'schema';"

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

/* The columns of a key's documents found before reserving (ledger-reserve.c,
 * VC__MULTI_FIND), of documents d LEFT JOIN revocations r: a revoked one
 * comes with the day and the reason it was revoked. */
#define VC__FOUND_COLS                                                         \
  "d.id, d.serial, d.values_hash, d.template_hash, d.state, d.record_key,"    \
  " r.day, r.reason"

/* The first row of a query, copied (ledger-issue.c). */
typedef struct vc__lrow {
  bool got, oom;
  int n;
  char *c[12];
} vc__lrow_t;
void vc__ledger_row_clear(vc__lrow_t *r);
/* A vc__lrow_fn keeping the row in the vc__lrow_t ud; stops the rows. */
bool vc__ledger_grab(const char *const *cells, int ncols, void *ud);
/* Runs sql and keeps its first row in *r (cleared first): 1 with a row, 0
 * without, -1 on error (diagnosed). */
int vc__ledger_first_row(vc_ledger_t *l, const char *sql, int np,
                         const char *const *p, vc__lrow_t *r, vc_diag_t *d);
/* v in decimal, in buf. */
const char *vc__ledger_i64(char buf[24], int64_t v);
/* NULL for NULL or "": nullable columns never hold "" (so an export can
 * write SQL NULL as an empty field). */
const char *vc__ledger_nz(const char *s);
/* false (diagnosed) for a ledger opened read-only. */
bool vc__ledger_writable(const vc_ledger_t *l, vc_diag_t *d);

/* Records where a ledger error came from: "ledger WHERE: what". */
void vc__ledger_fail(const vc_ledger_t *l, vc_diag_t *d, vc_status_t st,
                     const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#endif
