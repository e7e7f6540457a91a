/*
 * ledger-issue.c - issuing documents in two steps (reserve, confirm),
 * reprints, print jobs and revocations.  Each call is one write transaction: all of it is
 * recorded or none of it.
 */
#include "ledger/ledger-private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/mem.h"
#include "core/text.h"

/* ---- what ledger-reserve.c shares (ledger-private.h) ---- */

void vc__ledger_row_clear(vc__lrow_t *r) {
  for (int i = 0; i < r->n; i++) free(r->c[i]);
  memset(r, 0, sizeof *r);
}

bool vc__ledger_grab(const char *const *cells, int ncols, void *ud) {
  vc__lrow_t *r = ud;
  vc__ledger_row_clear(r);
  r->got = true;
  r->n = ncols < 12 ? ncols : 12;
  for (int i = 0; i < r->n; i++)
    if (cells[i] && !(r->c[i] = strdup(cells[i]))) r->oom = true;
  return false;
}

/* Runs sql and keeps its first row in *r (cleared first): 1 with a row, 0
 * without, -1 on error (diagnosed). */
int vc__ledger_first_row(vc_ledger_t *l, const char *sql, int np,
                     const char *const *p, vc__lrow_t *r, vc_diag_t *d) {
  vc__ledger_row_clear(r);
  long n = vc__ledger_run(l, sql, np, p, vc__ledger_grab, r, d);
  if (n < 0) return -1;
  if (r->oom) {
    vc_diag_add(d, VC_E_NOMEM, NULL, 0, 0, "out of memory reading the ledger");
    return -1;
  }
  return r->got;
}

const char *vc__ledger_i64(char buf[24], int64_t v) {
  snprintf(buf, 24, "%lld", (long long)v);
  return buf;
}

/* NULL for NULL or "": nullable columns never hold "" (so an export can
 * write SQL NULL as an empty field). */
const char *vc__ledger_nz(const char *s) { return s && *s ? s : NULL; }

bool vc__ledger_writable(const vc_ledger_t *l, vc_diag_t *d) {
  if (!l->read_only) return true;
  vc__ledger_fail(l, d, VC_E_USAGE, "was opened for reading only");
  return false;
}

#define EVENT_INSERT                                                           \
  "INSERT INTO events(doc_id, kind, at, day, operator, host, reason,"          \
  " template_hash, values_hash, queue, job_id, job_state)"                     \
  " VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)"
/* Why two: SQLite makes a temporary table for each RETURNING statement
 * (a batch recorded 10,000 pages 15 times slower with it). */
static const char SQL_EVENT[] = EVENT_INSERT;
static const char SQL_EVENT_ID[] = EVENT_INSERT " RETURNING id";

/* Records an event of document doc; its id in *id (may be NULL). */
static vc_status_t add_event(vc_ledger_t *l, const char *doc, const char *kind,
                             const char *reason, const char *th,
                             const char *vh, const char *const job[3],
                             int64_t *id, vc_diag_t *d) {
  char at[24], day[16];
  int64_t now = vc__ledger_now(l);
  vc__ledger_day(now, day);
  const char *p[12] = {doc, kind, vc__ledger_i64(at, now), day, l->operator_name,
                       l->host, vc__ledger_nz(reason), vc__ledger_nz(th), vc__ledger_nz(vh),
                       job ? vc__ledger_nz(job[0]) : NULL, job ? vc__ledger_nz(job[1]) : NULL,
                       job ? vc__ledger_nz(job[2]) : NULL};
  if (!id) return vc__ledger_run(l, SQL_EVENT, 12, p, NULL, NULL, d) == 1
                      ? VC_OK : VC_E_IO;
  vc__lrow_t r = {0};
  int got = vc__ledger_first_row(l, SQL_EVENT_ID, 12, p, &r, d);
  if (got == 1) *id = r.c[0] ? strtoll(r.c[0], NULL, 10) : 0;
  vc__ledger_row_clear(&r);
  return got == 1 ? VC_OK : VC_E_IO;
}


/* One ticket inside the open transaction. */
static vc_status_t confirm_one(vc_ledger_t *l, const vc_ledger_ticket_t *t,
                               vc_diag_t *d) {
  char id[24], at[24], day[16];
  vc__ledger_i64(id, t->doc_id);
  const char *p[1] = {id};
  vc__lrow_t r = {0};
  vc_status_t st = VC_E_IO;
  /* the usual case in one statement: a pending document replacing none */
  vc__ledger_day(vc__ledger_now(l), day);
  const char *pu[3] = {id, vc__ledger_i64(at, vc__ledger_now(l)), day};
  long changed = vc__ledger_run(
      l, "UPDATE documents SET state = 'issued', issued_at = $2, issued_day ="
         " $3 WHERE id = $1 AND state = 'pending' AND replaces IS NULL AND"
         " reason IS NULL", 3, pu, NULL, NULL, d);
  if (changed == 1) {
    const char *pe[5] = {id, at, day, l->operator_name, l->host};
    if (vc__ledger_run(l, "INSERT INTO events(doc_id, kind, at, day, operator,"
                          " host, template_hash, values_hash) SELECT id,"
                          " 'render', $2, $3, $4, $5, template_hash,"
                          " values_hash FROM documents WHERE id = $1",
                       5, pe, NULL, NULL, d) == 1)
      st = VC_OK;
    goto out;
  }
  int got = changed < 0 ? -1 : 0;
  if (got < 0) goto out;
  got = vc__ledger_first_row(l, "SELECT state, replaces, reason, template_hash,"
                         " values_hash FROM documents WHERE id = $1",
                      1, p, &r, d);
  if (got == 0)
    vc__ledger_fail(l, d, VC_E_INTERNAL, "has no document %s to confirm", id);
  if (got != 1) goto out;
  if (strcmp(r.c[0], "issued") == 0) {
    st = add_event(l, id, "render", NULL, r.c[3], r.c[4], NULL, NULL, d);
    goto out;
  }
  if (strcmp(r.c[0], "pending") != 0) {
    vc__ledger_fail(l, d, VC_E_INTERNAL, "document %s is %s, not pending", id,
                    r.c[0]);
    goto out;
  }
  const char *pr[1] = {r.c[1]};
  if (r.c[1] &&
      vc__ledger_run(l, "UPDATE documents SET state = 'replaced' WHERE id = $1"
                        " AND state = 'issued'",
                     1, pr, NULL, NULL, d) < 0)
    goto out;
  if (vc__ledger_run(l, "UPDATE documents SET state = 'issued', issued_at = $2,"
                        " issued_day = $3 WHERE id = $1",
                     3, pu, NULL, NULL, d) < 0)
    goto out;
  st = add_event(l, id, r.c[1] || r.c[2] ? "new-issue" : "render", r.c[2],
                 r.c[3], r.c[4], NULL, NULL, d);
out:
  vc__ledger_row_clear(&r);
  return st;
}

/* Tickets of consecutive documents from one reservation (a batch's new
 * ones, or a batch issued before being rendered again) are confirmed
 * together, by their id range, when every document in it is issued or
 * simply pending (no new issue): three statements for the whole run
 * instead of two per page.  Inside the open transaction; *done = false
 * (and nothing changed) when the range must go one by one. */
static vc_status_t confirm_range(vc_ledger_t *l, int64_t lo, int64_t hi,
                                 bool *done, vc_diag_t *d) {
  char a[24], b[24], at[24], day[16], want[24];
  int64_t now = vc__ledger_now(l);
  vc__ledger_day(now, day);
  const char *p[6] = {vc__ledger_i64(a, lo), vc__ledger_i64(b, hi), vc__ledger_i64(at, now), day,
                      l->operator_name, l->host};
  vc__lrow_t r = {0};
  *done = false;
  int got = vc__ledger_first_row(l, "SELECT count(*) FROM documents WHERE id BETWEEN $1"
                         " AND $2 AND (state = 'issued' OR (state = 'pending'"
                         " AND replaces IS NULL AND reason IS NULL))",
                      2, p, &r, d);
  bool all = got == 1 && r.c[0] && !strcmp(r.c[0], vc__ledger_i64(want, hi - lo + 1));
  vc__ledger_row_clear(&r);
  if (got < 0) return vc_diag_status(d) ? vc_diag_status(d) : VC_E_IO;
  if (!all) return VC_OK;
  if (vc__ledger_run(l, "INSERT INTO events(doc_id, kind, at, day, operator,"
                        " host, template_hash, values_hash) SELECT id,"
                        " 'render', $3, $4, $5, $6, template_hash, values_hash"
                        " FROM documents WHERE id BETWEEN $1 AND $2 ORDER BY id",
                     6, p, NULL, NULL, d) != hi - lo + 1 ||
      vc__ledger_run(l, "UPDATE documents SET state = 'issued', issued_at ="
                        " $3, issued_day = $4 WHERE id BETWEEN $1 AND $2 AND"
                        " state = 'pending'", 4, p, NULL, NULL, d) < 0)
    return vc_diag_status(d) ? vc_diag_status(d) : VC_E_IO;
  *done = true;
  return VC_OK;
}

/* A run of at least this many consecutive documents is confirmed by range. */
#define CONFIRM_RANGE_MIN 4

vc_status_t vc_ledger_confirm_begin(vc_ledger_t *l, const vc_ledger_ticket_t *t,
                                    size_t n, vc_diag_t *d) {
  if (!vc__ledger_writable(l, d)) return VC_E_USAGE;
  vc_status_t st = l->ops->begin(l->db, true, d);
  for (size_t i = 0, k; st == VC_OK && i < n; i = k) {
    for (k = i + 1; k < n && t[k].doc_id == t[k - 1].doc_id + 1; k++) {}
    bool done = false;
    if (k - i >= CONFIRM_RANGE_MIN)
      st = confirm_range(l, t[i].doc_id, t[k - 1].doc_id, &done, d);
    for (size_t j = i; st == VC_OK && !done && j < k; j++)
      st = confirm_one(l, &t[j], d);
    if (st != VC_OK) l->ops->rollback(l->db);
  }
  return st;
}

vc_status_t vc_ledger_confirm_end(vc_ledger_t *l, bool commit, vc_diag_t *d) {
  if (commit) return l->ops->commit(l->db, d);
  l->ops->rollback(l->db);
  return VC_OK;
}

vc_status_t vc_ledger_confirm(vc_ledger_t *l, const vc_ledger_ticket_t *t,
                              size_t n, vc_diag_t *d) {
  vc_status_t st = vc_ledger_confirm_begin(l, t, n, d);
  return st == VC_OK ? vc_ledger_confirm_end(l, true, d) : st;
}

long vc_ledger_pending_count(vc_ledger_t *l, vc_diag_t *d) {
  vc__lrow_t r = {0};
  int got = vc__ledger_first_row(l, "SELECT count(*) FROM documents WHERE state ="
                         " 'pending'", 0, NULL, &r, d);
  long n = got == 1 && r.c[0] ? strtol(r.c[0], NULL, 10) : -1;
  vc__ledger_row_clear(&r);
  return n;
}

vc_status_t vc_ledger_release(vc_ledger_t *l, const vc_ledger_ticket_t *t,
                              size_t n, vc_diag_t *d) {
  if (!vc__ledger_writable(l, d)) return VC_E_USAGE;
  vc_status_t st = l->ops->begin(l->db, true, d);
  for (size_t i = 0; st == VC_OK && i < n; i++) {
    if (t[i].res == VC_LEDGER_EXISTS) continue;
    char id[24];
    const char *p[1] = {vc__ledger_i64(id, t[i].doc_id)};
    /* only a pending document goes: an issued one stays whatever asks */
    if (vc__ledger_run(l, "DELETE FROM document_values WHERE doc_id = $1 AND"
                          " doc_id IN (SELECT id FROM documents WHERE state ="
                          " 'pending')", 1, p, NULL, NULL, d) < 0 ||
        vc__ledger_run(l, "DELETE FROM name_words WHERE doc_id = $1 AND"
                          " doc_id IN (SELECT id FROM documents WHERE state ="
                          " 'pending')", 1, p, NULL, NULL, d) < 0 ||
        vc__ledger_run(l, "DELETE FROM documents WHERE id = $1 AND state ="
                          " 'pending'", 1, p, NULL, NULL, d) < 0) {
      st = VC_E_IO;
      l->ops->rollback(l->db);
    }
  }
  if (st == VC_OK) st = l->ops->commit(l->db, d);
  return st;
}

/* ---- one document ---- */

/* The document whose stored values are being read, and the room in its
 * fields array. */
typedef struct {
  vc_ledger_doc_t *doc;
  size_t cap;
} fields_read_t;

/* One stored value (name, value) added to the document's fields
 * (a vc__lrow_fn; ud: fields_read_t).  false on no memory. */
static bool add_field(const char *const *cells, int ncols, void *ud) {
  fields_read_t *fr = ud;
  vc_ledger_doc_t *doc = fr->doc;
  if (ncols < 2) return true;
  if (!vc_array_grow(&doc->fields, doc->nfields, &fr->cap, sizeof *doc->fields, 16))
    return false;
  vc_ledger_field_t *f = &doc->fields[doc->nfields++];
  f->name = vc_text_dup_or_empty(cells[0]);
  f->value = vc_text_dup_or_empty(cells[1]);
  return f->name && f->value;
}

vc_status_t vc_ledger_find(vc_ledger_t *l, const char *template_path,
                           const char *key, const char *serial,
                           vc_ledger_doc_t **out, vc_diag_t *d) {
  *out = NULL;
  vc__lrow_t r = {0};
  int got;
  if (serial) {
    const char *p[1] = {serial};
    got = vc__ledger_first_row(l, "SELECT id, serial, template_path, template_hash,"
                       " record_key, values_hash, name, state, issued_at FROM"
                       " documents WHERE serial = $1", 1, p, &r, d);
  } else {
    const char *p[2] = {template_path ? template_path : "", key ? key : ""};
    got = vc__ledger_first_row(l, "SELECT id, serial, template_path, template_hash,"
                       " record_key, values_hash, name, state, issued_at FROM"
                       " documents WHERE template_path = $1 AND record_key = $2"
                       " AND state = 'issued'", 2, p, &r, d);
  }
  if (got != 1) {
    vc__ledger_row_clear(&r);
    return got == 0 ? VC_OK : vc_diag_status(d);
  }
  vc_ledger_doc_t *doc = calloc(1, sizeof *doc);
  vc__lrow_t c = {0};
  const char *pid[2] = {r.c[0], "reprint"};
  bool ok = doc && (doc->serial = vc_text_dup_or_empty(r.c[1])) &&
            (doc->template_path = vc_text_dup_or_empty(r.c[2])) &&
            (doc->template_hash = vc_text_dup_or_empty(r.c[3])) &&
            (doc->key = vc_text_dup_or_empty(r.c[4])) &&
            (doc->values_hash = vc_text_dup_or_empty(r.c[5])) &&
            (doc->name = vc_text_dup_or_empty(r.c[6])) &&
            (doc->state = vc_text_dup_or_empty(r.c[7]));
  if (ok) {
    doc->id = strtoll(r.c[0], NULL, 10);
    doc->issued_at = r.c[8] ? strtoll(r.c[8], NULL, 10) : 0;
    ok = vc__ledger_first_row(l, "SELECT count(*) FROM events WHERE doc_id = $1 AND"
                      " kind = $2", 2, pid, &c, d) == 1;
    doc->reprints = ok && c.c[0] ? strtol(c.c[0], NULL, 10) : 0;
    if (ok) {
      fields_read_t fr = {.doc = doc};
      long n = vc__ledger_run(l, "SELECT name, value FROM document_values"
                                 " WHERE doc_id = $1 ORDER BY position",
                              1, pid, add_field, &fr, d);
      ok = n >= 0 && (size_t)n == doc->nfields;
      if (n >= 0 && !ok)
        vc_diag_add(d, VC_E_NOMEM, NULL, 0, 0, "out of memory reading the ledger");
    }
  } else {
    vc_diag_add(d, VC_E_NOMEM, NULL, 0, 0, "out of memory reading the ledger");
  }
  vc__ledger_row_clear(&r);
  vc__ledger_row_clear(&c);
  if (!ok) {
    vc_ledger_doc_free(doc);
    return vc_diag_status(d) ? vc_diag_status(d) : VC_E_IO;
  }
  *out = doc;
  return VC_OK;
}

void vc_ledger_doc_free(vc_ledger_doc_t *doc) {
  if (!doc) return;
  free(doc->serial);
  free(doc->template_path);
  free(doc->template_hash);
  free(doc->key);
  free(doc->values_hash);
  free(doc->name);
  free(doc->state);
  for (size_t i = 0; i < doc->nfields; i++) {
    free((char *)doc->fields[i].name);
    free((char *)doc->fields[i].value);
  }
  free(doc->fields);
  free(doc);
}

/* Inside the transaction: a forced reprint's new values become the
 * document's. */
static vc_status_t replace_values(vc_ledger_t *l, const char *id,
                                  const char *th, const vc_ledger_field_t *f,
                                  size_t n, char vh[VC_LEDGER_HASH_LEN],
                                  vc_diag_t *d) {
  vc_status_t st = vc_ledger_hash_values(f, n, vh, d);
  if (st != VC_OK) return st;
  const char *p[3] = {id, vh, th};
  if (vc__ledger_run(l, "UPDATE documents SET values_hash = $2,"
                        " template_hash = $3 WHERE id = $1", 3, p, NULL, NULL, d) < 0 ||
      vc__ledger_run(l, "DELETE FROM document_values WHERE doc_id = $1", 1, p,
                     NULL, NULL, d) < 0)
    return VC_E_IO;
  char pos[24];
  for (size_t i = 0; i < n; i++) {
    const char *pv[4] = {id, vc__ledger_i64(pos, (int64_t)i), f[i].name,
                         f[i].value ? f[i].value : ""};
    if (vc__ledger_run(l, "INSERT INTO document_values(doc_id, position, name,"
                          " value) VALUES($1, $2, $3, $4)", 4, pv, NULL, NULL, d) < 0)
      return VC_E_IO;
  }
  return VC_OK;
}

vc_status_t vc_ledger_reprint(vc_ledger_t *l, int64_t doc_id,
                              const char *reason, const char *template_hash,
                              const vc_ledger_field_t *fields, size_t nfields,
                              long *nth, vc_diag_t *d) {
  if (!vc__ledger_writable(l, d)) return VC_E_USAGE;
  if (!vc__ledger_nz(reason)) {
    vc__ledger_fail(l, d, VC_E_USAGE, "records why a document is printed "
                    "again: give a reason");
    return VC_E_USAGE;
  }
  vc_status_t st = l->ops->begin(l->db, true, d);
  if (st != VC_OK) return st;
  char id[24], vh[VC_LEDGER_HASH_LEN], why[1024];
  vc__ledger_i64(id, doc_id);
  const char *p[2] = {id, "reprint"};
  vc__lrow_t r = {0}, c = {0};
  st = VC_E_IO;
  int got = vc__ledger_first_row(l, "SELECT state, template_hash, values_hash FROM"
                         " documents WHERE id = $1", 1, p, &r, d);
  if (got == 1 && strcmp(r.c[0], "issued") != 0)
    vc__ledger_fail(l, d, VC_E_INPUT, "document %s is %s: only an issued "
                    "document is reprinted", id, r.c[0]);
  else if (got == 0)
    vc__ledger_fail(l, d, VC_E_INPUT, "has no document %s", id);
  if (got != 1 || strcmp(r.c[0], "issued") != 0) goto out;
  const char *th = template_hash ? template_hash : r.c[1];
  snprintf(vh, sizeof vh, "%s", r.c[2]);
  snprintf(why, sizeof why, "%s%s", fields ? "[forced] " : "", reason);
  if (fields && replace_values(l, id, th, fields, nfields, vh, d) != VC_OK) goto out;
  if (add_event(l, id, "reprint", why, th, vh, NULL, NULL, d) != VC_OK) goto out;
  if (vc__ledger_first_row(l, "SELECT count(*) FROM events WHERE doc_id = $1 AND kind = $2",
                2, p, &c, d) != 1)
    goto out;
  if (nth) *nth = strtol(c.c[0], NULL, 10);
  st = VC_OK;
out:
  vc__ledger_row_clear(&r);
  vc__ledger_row_clear(&c);
  if (st == VC_OK) return l->ops->commit(l->db, d);
  l->ops->rollback(l->db);
  return vc_diag_status(d) ? vc_diag_status(d) : VC_E_IO;
}

vc_status_t vc_ledger_print(vc_ledger_t *l, int64_t doc_id, const char *queue,
                            const char *job_id, const char *state,
                            int64_t *event_id, vc_diag_t *d) {
  if (!vc__ledger_writable(l, d)) return VC_E_USAGE;
  vc_status_t st = l->ops->begin(l->db, true, d);
  if (st != VC_OK) return st;
  char id[24];
  const char *job[3] = {queue, job_id, state};
  st = add_event(l, vc__ledger_i64(id, doc_id), "print", NULL, NULL, NULL, job, event_id, d);
  if (st == VC_OK) st = l->ops->commit(l->db, d);
  else l->ops->rollback(l->db);
  return st;
}

vc_status_t vc_ledger_print_state(vc_ledger_t *l, int64_t event_id,
                                  const char *state, vc_diag_t *d) {
  if (!vc__ledger_writable(l, d)) return VC_E_USAGE;
  char id[24];
  const char *p[2] = {vc__ledger_i64(id, event_id), vc__ledger_nz(state)};
  vc__lrow_t r = {0};
  long got = vc__ledger_run(l, "UPDATE events SET job_state = $2 WHERE id ="
                                " $1 AND kind = 'print'", 2, p, NULL, NULL, d);
  vc__ledger_row_clear(&r);
  if (got == 0)
    vc__ledger_fail(l, d, VC_E_INPUT, "has no print job %s", id);
  return got == 1 ? VC_OK : vc_diag_status(d);
}

/* ---- revoked certificates (issue 11, docs/verify.md section 7): `vncert
 * revoke` records the serial, the reason and the day; `verify --ledger` and
 * the verification page read the list.  A table of its own (not only the
 * document's state) because it is what a verifier needs, whole, with the
 * words to show ---- */

/* The state and id of the document with a serial, and any revocation. */
typedef struct doc_state {
  bool got, oom;
  char id[24], state[16], day[16], reason[256];
} doc_state_t;

static bool grab_doc(const char *const *c, int n, void *ud) {
  doc_state_t *s = ud;
  s->got = true;
  if (n >= 4) {
    snprintf(s->id, sizeof s->id, "%s", c[0] ? c[0] : "");
    snprintf(s->state, sizeof s->state, "%s", c[1] ? c[1] : "");
    snprintf(s->day, sizeof s->day, "%s", c[2] ? c[2] : "");
    snprintf(s->reason, sizeof s->reason, "%s", c[3] ? c[3] : "");
  }
  return false;
}

/* Inside the write transaction: checks the document and records it all. */
static vc_status_t revoke_in(vc_ledger_t *l, const char *serial, const char *reason,
                             vc_diag_t *d) {
  doc_state_t s = {0};
  const char *p1[1] = {serial};
  if (vc__ledger_run(l, "SELECT d.id, d.state, r.day, r.reason FROM documents d LEFT JOIN"
                        " revocations r ON r.serial = d.serial WHERE d.serial = $1",
                     1, p1, grab_doc, &s, d) < 0)
    return VC_E_IO;
  if (!s.got) {
    vc__ledger_fail(l, d, VC_E_INPUT, "holds no document with the serial %s", serial);
    return VC_E_INPUT;
  }
  if (*s.day) {
    vc__ledger_fail(l, d, VC_E_INPUT, "%s was already revoked on %s: %s", serial, s.day,
                    s.reason);
    return VC_E_INPUT;
  }
  if (strcmp(s.state, "issued") != 0 && strcmp(s.state, "replaced") != 0) {
    vc__ledger_fail(l, d, VC_E_INPUT, "%s was never issued (it is %s): nothing to revoke",
                    serial, s.state);
    return VC_E_INPUT;
  }
  char at[24], day[16];
  int64_t now = vc__ledger_now(l);
  snprintf(at, sizeof at, "%lld", (long long)now);
  vc__ledger_day(now, day);
  const char *p[7] = {serial, s.id, reason, at, day, l->operator_name, l->host};
  if (vc__ledger_run(l, "INSERT INTO revocations(serial, doc_id, reason, at, day, operator,"
                        " host) VALUES($1, $2, $3, $4, $5, $6, $7)",
                     7, p, NULL, NULL, d) != 1 ||
      vc__ledger_run(l, "UPDATE documents SET state = 'revoked' WHERE id = $1", 1, p + 1,
                     NULL, NULL, d) != 1 ||
      vc__ledger_run(l, "INSERT INTO events(doc_id, kind, at, day, operator, host, reason,"
                        " template_hash, values_hash) SELECT id, 'revoke', $2, $3, $4, $5,"
                        " $6, template_hash, values_hash FROM documents WHERE id = $1",
                     6, (const char *const[]){s.id, at, day, l->operator_name, l->host, reason},
                     NULL, NULL, d) != 1)
    return vc_diag_status(d) ? vc_diag_status(d) : VC_E_IO;
  return VC_OK;
}

vc_status_t vc_ledger_revoke(vc_ledger_t *l, const char *serial, const char *reason,
                             vc_diag_t *d) {
  if (l->read_only) {
    vc__ledger_fail(l, d, VC_E_USAGE, "was opened for reading only");
    return VC_E_USAGE;
  }
  if (!serial || !*serial || !reason || !*reason) {
    vc__ledger_fail(l, d, VC_E_USAGE, "revoking needs a serial and a reason");
    return VC_E_USAGE;
  }
  vc_status_t st = l->ops->begin(l->db, true, d);
  if (st != VC_OK) return st;
  st = revoke_in(l, serial, reason, d);
  if (st == VC_OK) st = l->ops->commit(l->db, d);
  else l->ops->rollback(l->db);
  return st;
}

typedef struct rev_list {
  vc_revocation_t *v;
  size_t n, cap;
  bool oom;
} rev_list_t;

static bool grab_rev(const char *const *c, int n, void *ud) {
  rev_list_t *r = ud;
  if (!vc_array_grow(&r->v, r->n, &r->cap, sizeof *r->v, 16)) return !(r->oom = true);
  vc_revocation_t x = {n > 0 && c[0] ? strdup(c[0]) : NULL, n > 1 && c[1] ? strdup(c[1]) : NULL,
                       n > 2 && c[2] ? strdup(c[2]) : NULL};
  r->v[r->n++] = x;
  if (!x.serial || !x.reason || !x.date) r->oom = true;
  return !r->oom;
}

vc_status_t vc_ledger_revocations(vc_ledger_t *l, vc_revocation_t **out, size_t *n,
                                  vc_diag_t *d) {
  rev_list_t r = {0};
  *out = NULL;
  *n = 0;
  long got = vc__ledger_run(l, "SELECT serial, reason, day FROM revocations ORDER BY serial", 0,
                            NULL, grab_rev, &r, d);
  if (got < 0 || r.oom) {
    if (r.oom) vc_diag_add(d, VC_E_NOMEM, NULL, 0, 0, "out of memory reading the ledger");
    vc_revocations_free(r.v, r.n);
    return r.oom ? VC_E_NOMEM : VC_E_IO;
  }
  *out = r.v;
  *n = r.n;
  return VC_OK;
}

void vc_revocations_free(vc_revocation_t *list, size_t n) {
  for (size_t i = 0; list && i < n; i++) {
    free((char *)list[i].serial);
    free((char *)list[i].reason);
    free((char *)list[i].date);
  }
  free(list);
}
