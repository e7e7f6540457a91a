/*
 * ledger.h - the issuance ledger (issue 9): every document vncert issues,
 * its serial, the values it was made from, and every render, print and
 * reprint of it, in SQLite (a file) or PostgreSQL (a shared server).
 *
 * Why two steps to issue (reserve, then confirm): "issued" in the ledger must
 * always mean "its file was written".  vc_ledger_reserve allocates the serial
 * and records the document as pending in one transaction; the caller writes
 * and commits its files; vc_ledger_confirm marks it issued with a render
 * event.  A run killed in between leaves a pending document, and the rerun's
 * reserve for the same key and template gets the same serial back: never a
 * serial used twice, never one issued without its document (docs/ledger.md).
 *
 * Every function records its problems into the vc_diag_t given and returns a
 * status; a failed call leaves the ledger as it was (one transaction).
 */
#ifndef VC_LEDGER_H
#define VC_LEDGER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/diag.h"

typedef struct vc_ledger vc_ledger_t;

/* The schema version this build writes; a ledger with a newer one is
 * refused, an older one is upgraded in place when opened. */
#define VC_LEDGER_SCHEMA 4

typedef struct vc_ledger_opts {
  const char *operator_name; /* events' operator; NULL = the login name */
  const char *host;          /* events' host; NULL = gethostname() */
  int busy_timeout_ms;       /* wait for another writer; 0 = 10000 */
  bool create;               /* create the ledger when missing (SQLite) */
  bool read_only;            /* queries only (vncert log) */
  int64_t now;               /* a fixed clock (tests, replays), Unix seconds;
                              * 0 = the real one */
} vc_ledger_opts_t;

/* Opens the ledger at `where`: a file path (SQLite), or a PostgreSQL URI
 * ("postgresql://..." / "postgres://...") or libpq connection string
 * ("host=... dbname=..."; recognised by a '=' before any '/').  A new
 * ledger gets the current schema, an older one is migrated; a file that is
 * not a vncert ledger, a newer schema, a corrupt or unreadable file are
 * errors (VC_E_INPUT / VC_E_IO) naming it.  NULL on failure.  Caller owns
 * the result (vc_ledger_close). */
vc_ledger_t *vc_ledger_open(const char *where, const vc_ledger_opts_t *o,
                            vc_diag_t *d);
void vc_ledger_close(vc_ledger_t *l);
/* "sqlite" or "postgresql". */
const char *vc_ledger_backend(const vc_ledger_t *l);
/* Schema version of the open ledger (after any migration). */
int vc_ledger_schema(const vc_ledger_t *l);

/* ---- hashes: SHA-256 as 64 lower-case hex digits (sha256sum's) ---- */
#define VC_LEDGER_HASH_LEN 65
/* Hash of a file's content (the template).  VC_E_IO naming it if it cannot
 * be read. */
vc_status_t vc_ledger_hash_file(const char *path, char out[VC_LEDGER_HASH_LEN],
                                vc_diag_t *d);

/* One value of a record: a template field and its cleaned text. */
typedef struct vc_ledger_field {
  const char *name;
  const char *value;
} vc_ledger_field_t;

/* Hash of a record's values, independent of their order: the same values
 * under the same names give the same hash. */
vc_status_t vc_ledger_hash_values(const vc_ledger_field_t *f, size_t n,
                                  char out[VC_LEDGER_HASH_LEN], vc_diag_t *d);

/* ---- serial patterns ----
 * Literal text with {year} (4 digits of the issue year, local time), {yy}
 * (2 digits), {seq} (the counter) or {seq:0N} / {seq:N} (zero-padded to N
 * digits, N <= 12); "{{" and "}}" are literal braces.  {seq} must appear
 * exactly once; it counts per pattern and year from 1.  Checks p (for the
 * template loader); VC_E_INPUT with the reason. */
vc_status_t vc_ledger_pattern_check(const char *p, vc_diag_t *d);
/* The serial for seq in year; false when out is too small or p is bad. */
bool vc_ledger_pattern_format(const char *p, int year, int64_t seq, char *out,
                              size_t outlen);

/* ---- issuing ---- */
typedef struct vc_ledger_req {
  const char *template_path; /* identifies the template (as the CLI names it) */
  const char *template_hash; /* vc_ledger_hash_file of it */
  const char *pattern;       /* serial pattern; NULL = documents without serial */
  const char *key;           /* the record's key (unique in the data) */
  const char *name;          /* the person's name, for search; may be NULL */
  const vc_ledger_field_t *fields; /* the record's values, recorded */
  size_t nfields;
  bool new_issue;            /* issue a new document although one exists */
  const char *reason;        /* why (required with new_issue) */
} vc_ledger_req_t;

typedef enum vc_ledger_res {
  VC_LEDGER_NEW,     /* a new document, pending: write it, then confirm */
  VC_LEDGER_RESUMED, /* a pending one from an interrupted run, same serial */
  VC_LEDGER_EXISTS   /* already issued: same serial (a render again) */
} vc_ledger_res_t;

#define VC_LEDGER_SERIAL_MAX 128
typedef struct vc_ledger_ticket {
  int64_t doc_id;
  vc_ledger_res_t res;
  char serial[VC_LEDGER_SERIAL_MAX]; /* "" without a pattern */
  bool values_changed;   /* EXISTS/RESUMED: the stored values differ */
  bool template_changed; /* EXISTS/RESUMED: the stored template hash differs */
} vc_ledger_ticket_t;

/* Reserves n documents in one transaction (all or none): for each request,
 * the issued document of its key and template (EXISTS), or the pending one
 * a killed run left (RESUMED; its values are updated to these), or a new
 * pending document with the next serial (NEW).  With new_issue a pending
 * or NEW document is given even when one is issued; confirming it replaces
 * the old one.  tickets[n] are filled. */
vc_status_t vc_ledger_reserve(vc_ledger_t *l, const vc_ledger_req_t *req,
                              size_t n, vc_ledger_ticket_t *tickets,
                              vc_diag_t *d);

/* The same, telling fn(done, ud) every few tickets that tickets[0..done)
 * are filled, so a caller may start drawing pages with their serials while
 * the rest are reserved (job/issue.c does, on a second thread).  Those
 * tickets are not recorded yet: nothing made from them may be committed
 * before this call has returned VC_OK (on failure, none is recorded). */
typedef void (*vc_ledger_progress_fn)(size_t done, void *ud);
vc_status_t vc_ledger_reserve_each(vc_ledger_t *l, const vc_ledger_req_t *req,
                                   size_t n, vc_ledger_ticket_t *tickets,
                                   vc_ledger_progress_fn fn, void *ud,
                                   vc_diag_t *d);

/* Marks the documents of n tickets issued (once their files are committed)
 * and records an event for each in one transaction: "render" (or
 * "new-issue" with the request's reason for a new issue, the old document
 * then "replaced").  Confirming an EXISTS ticket records a render event. */
vc_status_t vc_ledger_confirm(vc_ledger_t *l, const vc_ledger_ticket_t *t,
                              size_t n, vc_diag_t *d);

/* The same in two steps, for a caller that prepares the confirmation
 * while its files are still being written (job/issue.c, on its reserving
 * thread): _begin records it all in a transaction left open (holding the
 * writers' lock: begin it shortly before the files are done); once they
 * are committed, _end commits it, or rolls it back (commit false) when
 * they are not.  A process killed in between leaves the documents
 * pending, as if nothing had been prepared.  On failure _begin leaves no
 * transaction open. */
vc_status_t vc_ledger_confirm_begin(vc_ledger_t *l, const vc_ledger_ticket_t *t,
                                    size_t n, vc_diag_t *d);
vc_status_t vc_ledger_confirm_end(vc_ledger_t *l, bool commit, vc_diag_t *d);

/* Documents left pending by interrupted runs (reserved, never confirmed),
 * and removes them with release: for a run that will not be redone. */
long vc_ledger_pending_count(vc_ledger_t *l, vc_diag_t *d);
vc_status_t vc_ledger_release(vc_ledger_t *l, const vc_ledger_ticket_t *t,
                              size_t n, vc_diag_t *d);

/* ---- one document: reprints ---- */
typedef struct vc_ledger_doc {
  int64_t id;
  char *serial, *template_path, *template_hash, *key, *values_hash, *name;
  char *state;        /* pending, issued, replaced, revoked */
  int64_t issued_at;  /* 0 while pending */
  long reprints;      /* reprint events so far */
  vc_ledger_field_t *fields; /* stored values, in their recorded order */
  size_t nfields;
} vc_ledger_doc_t;

/* The current (issued) document of key under template_path, or the one of
 * serial (then key and template_path are ignored; pass NULL).  *out = NULL
 * when there is none (not an error).  Caller frees with vc_ledger_doc_free. */
vc_status_t vc_ledger_find(vc_ledger_t *l, const char *template_path,
                           const char *key, const char *serial,
                           vc_ledger_doc_t **out, vc_diag_t *d);
void vc_ledger_doc_free(vc_ledger_doc_t *doc);

/* Records a reprint of an issued document: the event with reason, template
 * and values hashes.  With fields (forced: the data or the template changed)
 * the document's stored values and hashes become these, and the event says
 * "forced".  Returns its ordinal in *nth (1 for the first reprint). */
vc_status_t vc_ledger_reprint(vc_ledger_t *l, int64_t doc_id,
                              const char *reason, const char *template_hash,
                              const vc_ledger_field_t *fields, size_t nfields,
                              long *nth, vc_diag_t *d);

/* A print job of a document: queue, CUPS job id; its state ("pending",
 * "completed", "aborted", ...) updated later by the event id. */
vc_status_t vc_ledger_print(vc_ledger_t *l, int64_t doc_id, const char *queue,
                            const char *job_id, const char *state,
                            int64_t *event_id, vc_diag_t *d);
vc_status_t vc_ledger_print_state(vc_ledger_t *l, int64_t event_id,
                                  const char *state, vc_diag_t *d);

/* ---- print jobs (ledger-query.c, issue 10 point 3) ----
 * The n documents one CUPS job holds, one print event each, with the queue,
 * the job id and state (usually "pending" as CUPS takes it), in one
 * transaction. */
vc_status_t vc_ledger_print_job(vc_ledger_t *l, const int64_t *docs, size_t n,
                                const char *queue, const char *job_id,
                                const char *state, vc_diag_t *d);
/* The job's state ("completed", "aborted", ...) for its print events not
 * ended yet (pending, held, stopped, timed-out: CUPS may still print
 * them); returns how many changed, -1 on error (diagnosed). */
long vc_ledger_print_job_state(vc_ledger_t *l, const char *queue,
                               const char *job_id, const char *state,
                               vc_diag_t *d);
/* Calls fn for each job this host (the ledger's host) sent whose print
 * events are not ended (oldest first), with its document count; fn
 * returning false stops.  The jobs given, -1 on error. */
typedef bool (*vc_ledger_job_fn)(const char *queue, const char *job_id,
                                 long docs, void *ud);
long vc_ledger_pending_jobs(vc_ledger_t *l, vc_ledger_job_fn fn, void *ud,
                            vc_diag_t *d);
/* An issued document that no completed CUPS job printed, with its last
 * print job (queue, job_id and job_state NULL when never sent). */
typedef struct vc_ledger_unprinted {
  int64_t doc_id;
  const char *serial, *template_path, *template_hash, *key, *name;
  const char *queue, *job_id, *job_state;
} vc_ledger_unprinted_t;
typedef bool (*vc_ledger_unprinted_fn)(const vc_ledger_unprinted_t *u,
                                       void *ud);
/* Calls fn for each such document of template_path (NULL: of every
 * template), oldest first; strings live during the call.  The documents
 * given, -1 on error. */
long vc_ledger_unprinted(vc_ledger_t *l, const char *template_path,
                         vc_ledger_unprinted_fn fn, void *ud, vc_diag_t *d);

/* ---- the log (vncert log) ---- */
typedef struct vc_ledger_filter {
  const char *key;           /* exact record key */
  const char *name;          /* as --match: words in order, last a prefix */
  const char *serial;        /* exact */
  const char *template_path; /* exact */
  const char *kind;          /* event kind: render, print, reprint, ... */
  int64_t from, to;          /* event time in [from, to); 0 = open */
  long limit;                /* at most this many rows; 0 = all */
} vc_ledger_filter_t;

/* One event with its document.  Strings belong to the ledger's iteration;
 * copy what must outlive the callback. */
typedef struct vc_ledger_row {
  int64_t event_id, doc_id, at;
  const char *kind, *serial, *template_path, *key, *name, *state;
  const char *operator_name, *host, *reason, *queue, *job_id, *job_state;
} vc_ledger_row_t;

/* Calls fn for each event matching f, oldest first; fn returning false
 * stops.  Returns the number of rows given, -1 on error (diagnosed). */
typedef bool (*vc_ledger_row_fn)(const vc_ledger_row_t *r, void *ud);
long vc_ledger_log(vc_ledger_t *l, const vc_ledger_filter_t *f,
                   vc_ledger_row_fn fn, void *ud, vc_diag_t *d);

/* ---- a print desk's questions (issue 12) ---- */
/* A print event (r->kind "print") of template_path's documents, and
 * whether it is a reprint (an earlier print of its document completed);
 * strings live during the call. */
typedef bool (*vc_ledger_print_fn)(const vc_ledger_row_t *r, bool reprint, void *ud);
/* Calls fn for the last `limit` (0: all) print events of template_path's
 * documents, newest first; only job job_id on queue of this host when
 * queue is not NULL.  The events given, -1 on error (diagnosed). */
long vc_ledger_prints(vc_ledger_t *l, const char *template_path, const char *queue,
                      const char *job_id, long limit, vc_ledger_print_fn fn, void *ud,
                      vc_diag_t *d);
/* Calls fn with the key of each issued document of template_path that a
 * completed print job holds.  The keys given, -1 on error. */
typedef bool (*vc_ledger_key_fn)(const char *key, void *ud);
long vc_ledger_printed_keys(vc_ledger_t *l, const char *template_path, vc_ledger_key_fn fn,
                            void *ud, vc_diag_t *d);

/* Sums of one value column (so_tien) over issued documents, per template
 * and issue day (local "YYYY-MM-DD"), in template then day order; values
 * that are not amounts are counted in `bad`. */
typedef struct vc_ledger_total {
  const char *template_path, *day;
  uint64_t sum;
  long documents, bad;
} vc_ledger_total_t;
typedef bool (*vc_ledger_total_fn)(const vc_ledger_total_t *t, void *ud);
long vc_ledger_totals(vc_ledger_t *l, const char *column,
                      const vc_ledger_filter_t *f, vc_ledger_total_fn fn,
                      void *ud, vc_diag_t *d);

/* ---- moving a ledger (vncert ledger export/import) ----
 * The whole ledger as CSV lines (RFC 4180, UTF-8), the first field of each
 * the table (docs/ledger.md); import fills an empty ledger with them, ids
 * kept, in one transaction. */
vc_status_t vc_ledger_export(vc_ledger_t *l, FILE *out, vc_diag_t *d);
vc_status_t vc_ledger_import(vc_ledger_t *l, FILE *in, const char *in_name,
                             vc_diag_t *d);

/* ---- revocation (issue 11, docs/verify.md section 7) ----
 * Revokes the issued (or replaced) document with this serial: a row of
 * revocations (serial, reason, day), the document's state `revoked`, a
 * `revoke` event; one transaction.  VC_E_INPUT naming the serial when no
 * such document was issued, or it is already revoked (with when and why). */
vc_status_t vc_ledger_revoke(vc_ledger_t *l, const char *serial, const char *reason,
                             vc_diag_t *d);
/* Every revocation, in serial order: *out (free with vc_revocations_free)
 * and *n.  What `verify --ledger` refuses and a verification page embeds. */
vc_status_t vc_ledger_revocations(vc_ledger_t *l, vc_revocation_t **out, size_t *n,
                                  vc_diag_t *d);

#endif
