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

/* The first row of a query, copied. */
typedef struct row {
  bool got, oom;
  int n;
  char *c[12];
} row_t;

static void row_clear(row_t *r) {
  for (int i = 0; i < r->n; i++) free(r->c[i]);
  memset(r, 0, sizeof *r);
}

static bool grab(const char *const *cells, int ncols, void *ud) {
  row_t *r = ud;
  row_clear(r);
  r->got = true;
  r->n = ncols < 12 ? ncols : 12;
  for (int i = 0; i < r->n; i++)
    if (cells[i] && !(r->c[i] = strdup(cells[i]))) r->oom = true;
  return false;
}

/* Runs sql and keeps its first row in *r (cleared first): 1 with a row, 0
 * without, -1 on error (diagnosed). */
static int first_row(vc_ledger_t *l, const char *sql, int np,
                     const char *const *p, row_t *r, vc_diag_t *d) {
  row_clear(r);
  long n = vc__ledger_run(l, sql, np, p, grab, r, d);
  if (n < 0) return -1;
  if (r->oom) {
    vc_diag_add(d, VC_E_NOMEM, NULL, 0, 0, "out of memory reading the ledger");
    return -1;
  }
  return r->got;
}

static const char *i64s(char buf[24], int64_t v) {
  snprintf(buf, 24, "%lld", (long long)v);
  return buf;
}

/* NULL for NULL or "": nullable columns never hold "" (so an export can
 * write SQL NULL as an empty field). */
static const char *nz(const char *s) { return s && *s ? s : NULL; }

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
  const char *p[12] = {doc, kind, i64s(at, now), day, l->operator_name,
                       l->host, nz(reason), nz(th), nz(vh),
                       job ? nz(job[0]) : NULL, job ? nz(job[1]) : NULL,
                       job ? nz(job[2]) : NULL};
  if (!id) return vc__ledger_run(l, SQL_EVENT, 12, p, NULL, NULL, d) == 1
                      ? VC_OK : VC_E_IO;
  row_t r = {0};
  int got = first_row(l, SQL_EVENT_ID, 12, p, &r, d);
  if (got == 1) *id = r.c[0] ? strtoll(r.c[0], NULL, 10) : 0;
  row_clear(&r);
  return got == 1 ? VC_OK : VC_E_IO;
}

/* Runs one multi-row INSERT per VC__LEDGER_MULTI rows: p[0] is the
 * document, then `per` parameters per row. */
static vc_status_t insert_rows(vc_ledger_t *l, int kind, const char **p,
                               size_t rows, size_t per, vc_diag_t *d) {
  for (size_t at = 0; at < rows; at += VC__LEDGER_MULTI) {
    size_t n = rows - at < VC__LEDGER_MULTI ? rows - at : VC__LEDGER_MULTI;
    const char *sql = vc__ledger_multi_sql(l, kind, n, d);
    const char *save = p[at * per];
    p[at * per] = p[0]; /* the document's id before this piece's rows */
    long r = sql ? vc__ledger_run(l, sql, (int)(1 + n * per), p + at * per,
                                  NULL, NULL, d) : -1;
    p[at * per] = save;
    if (r < 0) return vc_diag_status(d) ? vc_diag_status(d) : VC_E_IO;
  }
  return VC_OK;
}

/* The record's values and the words of its folded name, for doc: one
 * statement each (a batch records thousands). */
static vc_status_t add_values(vc_ledger_t *l, const char *doc,
                              const vc_ledger_req_t *q, const char *fold,
                              vc_diag_t *d) {
  size_t n = q->nfields, nw = 0;
  char *pos = malloc(n * 24 + 1), *words = strdup(fold);
  const char **p = malloc((1 + 3 * n + strlen(fold) / 2 + 2) * sizeof *p);
  vc_status_t st = VC_E_NOMEM;
  if (!pos || !words || !p) {
    vc_diag_add(d, VC_E_NOMEM, NULL, 0, 0, "out of memory recording values");
    goto out;
  }
  p[0] = doc;
  for (size_t i = 0; i < n; i++) {
    p[1 + 3 * i] = i64s(pos + 24 * i, (int64_t)i);
    p[2 + 3 * i] = q->fields[i].name;
    p[3 + 3 * i] = q->fields[i].value ? q->fields[i].value : "";
  }
  st = insert_rows(l, VC__MULTI_VALUES, p, n, 3, d);
  char *save = NULL;
  for (char *s = strtok_r(words, " ", &save); s; s = strtok_r(NULL, " ", &save))
    p[1 + nw++] = s;
  if (st == VC_OK) st = insert_rows(l, VC__MULTI_WORDS, p, nw, 1, d);
out:
  free(pos);
  free(words);
  free(p);
  return st;
}

/* The next free serial of pattern for the year of now, counted inside the
 * transaction; skips serials another pattern already gave. */
static vc_status_t next_serial(vc_ledger_t *l, const char *pattern,
                               char out[VC_LEDGER_SERIAL_MAX], vc_diag_t *d) {
  time_t now = (time_t)vc__ledger_now(l);
  struct tm tm;
  localtime_r(&now, &tm);
  char year[24];
  i64s(year, tm.tm_year + 1900);
  row_t r = {0};
  for (int tries = 0; tries < 10000; tries++) {
    const char *p[2] = {pattern, year};
    if (vc__ledger_run(l,
                       "INSERT INTO serial_counters(pattern, year, last)"
                       " VALUES($1, $2, 1) ON CONFLICT(pattern, year) DO UPDATE"
                       " SET last = serial_counters.last + 1",
                       2, p, NULL, NULL, d) != 1 ||
        first_row(l, "SELECT last FROM serial_counters WHERE pattern = $1 AND"
                     " year = $2", 2, p, &r, d) != 1)
      break;
    int64_t seq = strtoll(r.c[0] ? r.c[0] : "0", NULL, 10);
    if (!vc_ledger_pattern_format(pattern, tm.tm_year + 1900, seq, out,
                                  VC_LEDGER_SERIAL_MAX)) {
      vc_ledger_pattern_check(pattern, d);
      break;
    }
    const char *ps[1] = {out};
    int taken = first_row(l, "SELECT 1 FROM documents WHERE serial = $1", 1,
                          ps, &r, d);
    if (taken == 0) {
      row_clear(&r);
      return VC_OK;
    }
    if (taken < 0) break;
  }
  row_clear(&r);
  if (!vc_diag_status(d))
    vc__ledger_fail(l, d, VC_E_INTERNAL, "found no free serial for \"%s\"",
                    pattern);
  return vc_diag_status(d);
}

/* The issued and the pending document of a template and key (either or
 * both may be missing), from one query. */
typedef struct both {
  row_t issued, pending;
} both_t;

static bool grab_state(const char *const *cells, int ncols, void *ud) {
  both_t *b = ud;
  if (ncols < 5 || !cells[4]) return true;
  row_t *r = !strcmp(cells[4], "issued") ? &b->issued : &b->pending;
  grab(cells, ncols, r);
  return true;
}

/* One request inside the open transaction. */
static vc_status_t reserve_one(vc_ledger_t *l, const vc_ledger_req_t *q,
                               const char *vh, const char *fold,
                               vc_ledger_ticket_t *t, vc_diag_t *d) {
  memset(t, 0, sizeof *t);
  both_t b = {0};
  row_t r = {0}, *issued = &b.issued;
  const char *pf[2] = {q->template_path, q->key};
  vc_status_t st = VC_E_IO;
  if (vc__ledger_run(l, "SELECT id, serial, values_hash, template_hash, state"
                        " FROM documents WHERE template_path = $1 AND"
                        " record_key = $2 AND state IN ('issued', 'pending')",
                     2, pf, grab_state, &b, d) < 0)
    goto out;
  if (b.issued.oom || b.pending.oom) {
    vc_diag_add(d, VC_E_NOMEM, NULL, 0, 0, "out of memory reading the ledger");
    goto out;
  }
  bool has = issued->got;
  row_t *found = has && !q->new_issue ? issued : b.pending.got ? &b.pending : NULL;
  if (found) {
    t->doc_id = strtoll(found->c[0], NULL, 10);
    snprintf(t->serial, sizeof t->serial, "%s", found->c[1] ? found->c[1] : "");
    t->values_changed = strcmp(found->c[2], vh) != 0;
    t->template_changed = strcmp(found->c[3], q->template_hash) != 0;
    t->res = found == issued ? VC_LEDGER_EXISTS : VC_LEDGER_RESUMED;
    st = VC_OK;
    if (t->res == VC_LEDGER_RESUMED) {
      /* the interrupted run's reservation takes this run's values */
      const char *pu[7] = {found->c[0], vh, q->template_hash,
                           q->name ? q->name : "", fold,
                           has ? issued->c[0] : NULL,
                           q->new_issue ? nz(q->reason) : NULL};
      if (vc__ledger_run(l,
                         "UPDATE documents SET values_hash = $2,"
                         " template_hash = $3, name = $4, name_fold = $5,"
                         " replaces = $6, reason = $7 WHERE id = $1",
                         7, pu, NULL, NULL, d) < 0 ||
          vc__ledger_run(l, "DELETE FROM document_values WHERE doc_id = $1",
                         1, pu, NULL, NULL, d) < 0 ||
          vc__ledger_run(l, "DELETE FROM name_words WHERE doc_id = $1", 1, pu,
                         NULL, NULL, d) < 0)
        st = VC_E_IO;
      else
        st = add_values(l, found->c[0], q, fold, d);
    }
    goto out;
  }
  if (q->pattern && *q->pattern &&
      next_serial(l, q->pattern, t->serial, d) != VC_OK)
    goto out;
  char now[24];
  const char *pn[11] = {nz(t->serial), nz(q->pattern), q->template_path,
                        q->template_hash, q->key, vh, q->name ? q->name : "",
                        fold, i64s(now, vc__ledger_now(l)),
                        has ? issued->c[0] : NULL,
                        q->new_issue ? nz(q->reason) : NULL};
  if (vc__ledger_run(l,
                     "INSERT INTO documents(serial, pattern, template_path,"
                     " template_hash, record_key, values_hash, name, name_fold,"
                     " state, reserved_at, replaces, reason) VALUES($1, $2, $3,"
                     " $4, $5, $6, $7, $8, 'pending', $9, $10, $11)",
                     11, pn, NULL, NULL, d) != 1 ||
      first_row(l, "SELECT id FROM documents WHERE template_path = $1 AND"
                   " record_key = $2 AND state = 'pending'", 2, pf, &r, d) != 1)
    goto out;
  t->doc_id = strtoll(r.c[0], NULL, 10);
  t->res = VC_LEDGER_NEW;
  st = add_values(l, r.c[0], q, fold, d);
out:
  row_clear(&b.issued);
  row_clear(&b.pending);
  row_clear(&r);
  if (st != VC_OK && !vc_diag_status(d)) st = VC_E_IO;
  return st;
}

/* What a request must hold before anything is recorded. */
static bool req_ok(const vc_ledger_t *l, const vc_ledger_req_t *q,
                   vc_diag_t *d) {
  if (!q->template_path || !*q->template_path || !q->template_hash ||
      strlen(q->template_hash) != VC_LEDGER_HASH_LEN - 1 || !q->key || !*q->key) {
    vc__ledger_fail(l, d, VC_E_INTERNAL,
                    "was asked to record a document without its template, "
                    "template hash or key");
    return false;
  }
  if (q->new_issue && !nz(q->reason)) {
    vc__ledger_fail(l, d, VC_E_USAGE,
                    "records why a new document is issued: give a reason "
                    "(for %s)", q->key);
    return false;
  }
  for (size_t i = 0; i < q->nfields; i++)
    if (!q->fields[i].name) {
      vc__ledger_fail(l, d, VC_E_INTERNAL, "was given a value without a name");
      return false;
    }
  return !q->pattern || !*q->pattern || vc_ledger_pattern_check(q->pattern, d) == VC_OK;
}

static bool writable(const vc_ledger_t *l, vc_diag_t *d) {
  if (!l->read_only) return true;
  vc__ledger_fail(l, d, VC_E_USAGE, "was opened for reading only");
  return false;
}

vc_status_t vc_ledger_reserve(vc_ledger_t *l, const vc_ledger_req_t *req,
                              size_t n, vc_ledger_ticket_t *tickets,
                              vc_diag_t *d) {
  if (!writable(l, d)) return VC_E_USAGE;
  for (size_t i = 0; i < n; i++)
    if (!req_ok(l, &req[i], d)) return vc_diag_status(d);
  vc_status_t st = l->ops->begin(l->db, true, d);
  for (size_t i = 0; st == VC_OK && i < n; i++) {
    char vh[VC_LEDGER_HASH_LEN];
    char *fold = vc_text_fold_search(req[i].name ? req[i].name : "");
    if (!fold) {
      vc_diag_add(d, VC_E_NOMEM, NULL, 0, 0, "out of memory (or a name that "
                  "is not UTF-8) recording %s", req[i].key);
      st = VC_E_NOMEM;
    } else {
      st = vc_ledger_hash_values(req[i].fields, req[i].nfields, vh, d);
      if (st == VC_OK) st = reserve_one(l, &req[i], vh, fold, &tickets[i], d);
    }
    free(fold);
    if (st != VC_OK) l->ops->rollback(l->db);
  }
  if (st == VC_OK) st = l->ops->commit(l->db, d);
  return st;
}

/* One ticket inside the open transaction. */
static vc_status_t confirm_one(vc_ledger_t *l, const vc_ledger_ticket_t *t,
                               vc_diag_t *d) {
  char id[24], at[24], day[16];
  i64s(id, t->doc_id);
  const char *p[1] = {id};
  row_t r = {0};
  vc_status_t st = VC_E_IO;
  /* the usual case in one statement: a pending document replacing none */
  vc__ledger_day(vc__ledger_now(l), day);
  const char *pu[3] = {id, i64s(at, vc__ledger_now(l)), day};
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
  got = first_row(l, "SELECT state, replaces, reason, template_hash,"
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
  row_clear(&r);
  return st;
}

vc_status_t vc_ledger_confirm(vc_ledger_t *l, const vc_ledger_ticket_t *t,
                              size_t n, vc_diag_t *d) {
  if (!writable(l, d)) return VC_E_USAGE;
  vc_status_t st = l->ops->begin(l->db, true, d);
  for (size_t i = 0; st == VC_OK && i < n; i++) {
    st = confirm_one(l, &t[i], d);
    if (st != VC_OK) l->ops->rollback(l->db);
  }
  if (st == VC_OK) st = l->ops->commit(l->db, d);
  return st;
}

long vc_ledger_pending_count(vc_ledger_t *l, vc_diag_t *d) {
  row_t r = {0};
  int got = first_row(l, "SELECT count(*) FROM documents WHERE state ="
                         " 'pending'", 0, NULL, &r, d);
  long n = got == 1 && r.c[0] ? strtol(r.c[0], NULL, 10) : -1;
  row_clear(&r);
  return n;
}

vc_status_t vc_ledger_release(vc_ledger_t *l, const vc_ledger_ticket_t *t,
                              size_t n, vc_diag_t *d) {
  if (!writable(l, d)) return VC_E_USAGE;
  vc_status_t st = l->ops->begin(l->db, true, d);
  for (size_t i = 0; st == VC_OK && i < n; i++) {
    if (t[i].res == VC_LEDGER_EXISTS) continue;
    char id[24];
    const char *p[1] = {i64s(id, t[i].doc_id)};
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

static bool add_field(const char *const *cells, int ncols, void *ud) {
  vc_ledger_doc_t *doc = ud;
  if (ncols < 2) return true;
  vc_ledger_field_t *f = realloc(doc->fields, (doc->nfields + 1) * sizeof *f);
  if (!f) return false;
  doc->fields = f;
  f[doc->nfields].name = strdup(cells[0] ? cells[0] : "");
  f[doc->nfields].value = strdup(cells[1] ? cells[1] : "");
  doc->nfields++;
  return f[doc->nfields - 1].name && f[doc->nfields - 1].value;
}

static char *dup0(const char *s) { return strdup(s ? s : ""); }

vc_status_t vc_ledger_find(vc_ledger_t *l, const char *template_path,
                           const char *key, const char *serial,
                           vc_ledger_doc_t **out, vc_diag_t *d) {
  *out = NULL;
  row_t r = {0};
  int got;
  if (serial) {
    const char *p[1] = {serial};
    got = first_row(l, "SELECT id, serial, template_path, template_hash,"
                       " record_key, values_hash, name, state, issued_at FROM"
                       " documents WHERE serial = $1", 1, p, &r, d);
  } else {
    const char *p[2] = {template_path ? template_path : "", key ? key : ""};
    got = first_row(l, "SELECT id, serial, template_path, template_hash,"
                       " record_key, values_hash, name, state, issued_at FROM"
                       " documents WHERE template_path = $1 AND record_key = $2"
                       " AND state = 'issued'", 2, p, &r, d);
  }
  if (got != 1) {
    row_clear(&r);
    return got == 0 ? VC_OK : vc_diag_status(d);
  }
  vc_ledger_doc_t *doc = calloc(1, sizeof *doc);
  row_t c = {0};
  const char *pid[2] = {r.c[0], "reprint"};
  bool ok = doc && (doc->serial = dup0(r.c[1])) && (doc->template_path = dup0(r.c[2])) &&
            (doc->template_hash = dup0(r.c[3])) && (doc->key = dup0(r.c[4])) &&
            (doc->values_hash = dup0(r.c[5])) && (doc->name = dup0(r.c[6])) &&
            (doc->state = dup0(r.c[7]));
  if (ok) {
    doc->id = strtoll(r.c[0], NULL, 10);
    doc->issued_at = r.c[8] ? strtoll(r.c[8], NULL, 10) : 0;
    ok = first_row(l, "SELECT count(*) FROM events WHERE doc_id = $1 AND"
                      " kind = $2", 2, pid, &c, d) == 1;
    doc->reprints = ok && c.c[0] ? strtol(c.c[0], NULL, 10) : 0;
    if (ok) {
      long n = vc__ledger_run(l, "SELECT name, value FROM document_values"
                                 " WHERE doc_id = $1 ORDER BY position",
                              1, pid, add_field, doc, d);
      ok = n >= 0 && (size_t)n == doc->nfields;
      if (n >= 0 && !ok)
        vc_diag_add(d, VC_E_NOMEM, NULL, 0, 0, "out of memory reading the ledger");
    }
  } else {
    vc_diag_add(d, VC_E_NOMEM, NULL, 0, 0, "out of memory reading the ledger");
  }
  row_clear(&r);
  row_clear(&c);
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
    const char *pv[4] = {id, i64s(pos, (int64_t)i), f[i].name,
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
  if (!writable(l, d)) return VC_E_USAGE;
  if (!nz(reason)) {
    vc__ledger_fail(l, d, VC_E_USAGE, "records why a document is printed "
                    "again: give a reason");
    return VC_E_USAGE;
  }
  vc_status_t st = l->ops->begin(l->db, true, d);
  if (st != VC_OK) return st;
  char id[24], vh[VC_LEDGER_HASH_LEN], why[1024];
  i64s(id, doc_id);
  const char *p[2] = {id, "reprint"};
  row_t r = {0}, c = {0};
  st = VC_E_IO;
  int got = first_row(l, "SELECT state, template_hash, values_hash FROM"
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
  if (first_row(l, "SELECT count(*) FROM events WHERE doc_id = $1 AND kind = $2",
                2, p, &c, d) != 1)
    goto out;
  if (nth) *nth = strtol(c.c[0], NULL, 10);
  st = VC_OK;
out:
  row_clear(&r);
  row_clear(&c);
  if (st == VC_OK) return l->ops->commit(l->db, d);
  l->ops->rollback(l->db);
  return vc_diag_status(d) ? vc_diag_status(d) : VC_E_IO;
}

vc_status_t vc_ledger_print(vc_ledger_t *l, int64_t doc_id, const char *queue,
                            const char *job_id, const char *state,
                            int64_t *event_id, vc_diag_t *d) {
  if (!writable(l, d)) return VC_E_USAGE;
  vc_status_t st = l->ops->begin(l->db, true, d);
  if (st != VC_OK) return st;
  char id[24];
  const char *job[3] = {queue, job_id, state};
  st = add_event(l, i64s(id, doc_id), "print", NULL, NULL, NULL, job, event_id, d);
  if (st == VC_OK) st = l->ops->commit(l->db, d);
  else l->ops->rollback(l->db);
  return st;
}

vc_status_t vc_ledger_print_state(vc_ledger_t *l, int64_t event_id,
                                  const char *state, vc_diag_t *d) {
  if (!writable(l, d)) return VC_E_USAGE;
  char id[24];
  const char *p[2] = {i64s(id, event_id), nz(state)};
  row_t r = {0};
  long got = vc__ledger_run(l, "UPDATE events SET job_state = $2 WHERE id ="
                                " $1 AND kind = 'print'", 2, p, NULL, NULL, d);
  row_clear(&r);
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
