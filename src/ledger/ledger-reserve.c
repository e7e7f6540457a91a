/*
 * ledger-reserve.c - reserving documents (the first of the two steps of
 * issuing, ledger.h): each request's document found or made pending with
 * its serial, in one write transaction.
 */
#include "core/i18n.h"
#include "ledger/ledger-private.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/text.h"

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
    p[1 + 3 * i] = vc__ledger_i64(pos + 24 * i, (int64_t)i);
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
  vc__ledger_i64(year, tm.tm_year + 1900);
  vc__lrow_t r = {0};
  for (int tries = 0; tries < 10000; tries++) {
    const char *p[2] = {pattern, year};
    if (vc__ledger_run(l,
                       "INSERT INTO serial_counters(pattern, year, last)"
                       " VALUES($1, $2, 1) ON CONFLICT(pattern, year) DO UPDATE"
                       " SET last = serial_counters.last + 1",
                       2, p, NULL, NULL, d) != 1 ||
        vc__ledger_first_row(l, "SELECT last FROM serial_counters WHERE pattern = $1 AND"
                     " year = $2", 2, p, &r, d) != 1)
      break;
    int64_t seq = strtoll(r.c[0] ? r.c[0] : "0", NULL, 10);
    if (!vc_ledger_pattern_format(pattern, tm.tm_year + 1900, seq, out,
                                  VC_LEDGER_SERIAL_MAX)) {
      vc_ledger_pattern_check(pattern, d);
      break;
    }
    const char *ps[1] = {out};
    int taken = vc__ledger_first_row(l, "SELECT 1 FROM documents WHERE serial = $1", 1,
                          ps, &r, d);
    if (taken == 0) {
      vc__ledger_row_clear(&r);
      return VC_OK;
    }
    if (taken < 0) break;
  }
  vc__ledger_row_clear(&r);
  if (!vc_diag_status(d))
    vc__ledger_fail(l, d, VC_E_INTERNAL, "found no free serial for \"%s\"",
                    pattern);
  return vc_diag_status(d);
}

/* The issued, the pending and the newest revoked document of a template
 * and key (any may be missing), from one query (VC__FOUND_COLS). */
typedef struct both {
  vc__lrow_t issued, pending, revoked;
} both_t;

/* Keeps a found row (VC__FOUND_COLS) in its place of b. */
static void keep_found(const char *const *cells, int ncols, both_t *b) {
  if (ncols < 8 || !cells[0] || !cells[4]) return;
  vc__lrow_t *r = !strcmp(cells[4], "issued")    ? &b->issued
                  : !strcmp(cells[4], "pending") ? &b->pending
                                                 : &b->revoked;
  if (r == &b->revoked && r->got && r->c[0] &&
      strtoll(cells[0], NULL, 10) < strtoll(r->c[0], NULL, 10))
    return; /* revoked twice (revoked, issued anew, revoked): the newer one */
  vc__ledger_grab(cells, ncols, r);
}

static bool grab_state(const char *const *cells, int ncols, void *ud) {
  keep_found(cells, ncols, ud);
  return true;
}

/* A key whose certificate was revoked, none issued since, is issued again
 * only when asked (new_issue, with its reason): it must not come back
 * silently under a fresh serial.  true when q may go on; false (said,
 * naming the key, the serial, the day and the reason) when refused. */
static bool revoked_ok(vc_ledger_t *l, const vc_ledger_req_t *q, const both_t *b,
                       vc_diag_t *d) {
  if (!b->revoked.got || b->issued.got || q->new_issue) return true;
  const vc__lrow_t *r = &b->revoked;
  vc__ledger_fail(l, d, VC_E_INPUT,
                  "refuses to issue record %s again: its certificate %s was revoked on %s "
                  "(%s); a new one is issued only with --new-issue and --reason",
                  q->key, r->c[1] ? r->c[1] : _("(no serial)"), r->c[6] ? r->c[6] : "?",
                  r->c[7] ? r->c[7] : _("no reason recorded"));
  return false;
}

/* The document a new one replaces: the issued one, else the revoked one. */
static const char *replaced_id(const both_t *b) {
  return b->issued.got ? b->issued.c[0] : b->revoked.got ? b->revoked.c[0] : NULL;
}

/* One request inside the open transaction. */
static vc_status_t reserve_one(vc_ledger_t *l, const vc_ledger_req_t *q,
                               const char *vh, const char *fold,
                               vc_ledger_ticket_t *t, vc_diag_t *d) {
  memset(t, 0, sizeof *t);
  both_t b = {0};
  vc__lrow_t r = {0}, *issued = &b.issued;
  const char *pf[2] = {q->template_path, q->key};
  vc_status_t st = VC_E_IO;
  if (vc__ledger_run(l, "SELECT " VC__FOUND_COLS " FROM documents d LEFT JOIN"
                        " revocations r ON r.doc_id = d.id WHERE d.template_path = $1 AND"
                        " d.record_key = $2 AND d.state IN ('issued', 'pending', 'revoked')",
                     2, pf, grab_state, &b, d) < 0)
    goto out;
  if (b.issued.oom || b.pending.oom || b.revoked.oom) {
    vc_diag_add(d, VC_E_NOMEM, NULL, 0, 0, "out of memory reading the ledger");
    goto out;
  }
  if (!revoked_ok(l, q, &b, d)) {
    st = VC_E_INPUT;
    goto out;
  }
  bool has = issued->got;
  vc__lrow_t *found = has && !q->new_issue ? issued : b.pending.got ? &b.pending : NULL;
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
                           q->name ? q->name : "", fold, replaced_id(&b),
                           q->new_issue ? vc__ledger_nz(q->reason) : NULL};
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
  const char *pn[11] = {vc__ledger_nz(t->serial), vc__ledger_nz(q->pattern), q->template_path,
                        q->template_hash, q->key, vh, q->name ? q->name : "",
                        fold, vc__ledger_i64(now, vc__ledger_now(l)), replaced_id(&b),
                        q->new_issue ? vc__ledger_nz(q->reason) : NULL};
  if (vc__ledger_run(l,
                     "INSERT INTO documents(serial, pattern, template_path,"
                     " template_hash, record_key, values_hash, name, name_fold,"
                     " state, reserved_at, replaces, reason) VALUES($1, $2, $3,"
                     " $4, $5, $6, $7, $8, 'pending', $9, $10, $11)",
                     11, pn, NULL, NULL, d) != 1 ||
      vc__ledger_first_row(l, "SELECT id FROM documents WHERE template_path = $1 AND"
                   " record_key = $2 AND state = 'pending'", 2, pf, &r, d) != 1)
    goto out;
  t->doc_id = strtoll(r.c[0], NULL, 10);
  t->res = VC_LEDGER_NEW;
  st = add_values(l, r.c[0], q, fold, d);
out:
  vc__ledger_row_clear(&b.issued);
  vc__ledger_row_clear(&b.pending);
  vc__ledger_row_clear(&b.revoked);
  vc__ledger_row_clear(&r);
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
  if (q->new_issue && !vc__ledger_nz(q->reason)) {
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


vc_status_t vc_ledger_reserve(vc_ledger_t *l, const vc_ledger_req_t *req,
                              size_t n, vc_ledger_ticket_t *tickets,
                              vc_diag_t *d) {
  return vc_ledger_reserve_each(l, req, n, tickets, NULL, NULL, d);
}

/* ---- a chunk of requests at once ----
 * Why: one statement per query and per page cost 9 statements a page, a
 * round trip each on PostgreSQL (10 s for 10,000 pages).  A chunk finds
 * its documents, counts its serials once, and inserts its documents, values
 * and name words as multi-row statements, sent together (run_many: one
 * PostgreSQL pipeline per step).  Anything unusual in a chunk (several
 * templates or patterns, a key twice, an interrupted run's document to
 * resume) goes through reserve_one instead, one request at a time. */
#define CHUNK 256

typedef struct slot {
  const vc_ledger_req_t *q;
  vc_ledger_ticket_t *t;
  char vh[VC_LEDGER_HASH_LEN];
  char *fold;
  both_t found; /* its issued, pending and revoked documents */
  bool taken; /* its serial is given already: it needs another */
  char id[24]; /* its new document's */
} slot_t;

typedef struct chunk {
  vc_ledger_t *l;
  slot_t *s;
  size_t n;
  slot_t **fresh; /* the NEW ones */
  size_t nfresh;
  size_t group; /* fresh slots per statement, for id_row */
} chunk_t;

static int cmp_key(const void *a, const void *b) {
  return strcmp((*(slot_t *const *)a)->q->key, (*(slot_t *const *)b)->q->key);
}

/* One template, one pattern, each key once: the chunk can go at once. */
static bool chunk_simple(chunk_t *c) {
  const vc_ledger_req_t *q0 = c->s[0].q;
  for (size_t i = 0; i < c->n; i++) {
    const vc_ledger_req_t *q = c->s[i].q;
    if (strcmp(q->template_path, q0->template_path) ||
        strcmp(q->pattern ? q->pattern : "", q0->pattern ? q0->pattern : ""))
      return false;
    c->fresh[i] = &c->s[i];
  }
  qsort(c->fresh, c->n, sizeof *c->fresh, cmp_key);
  for (size_t i = 1; i < c->n; i++)
    if (!strcmp(c->fresh[i - 1]->q->key, c->fresh[i]->q->key)) return false;
  return true;
}

/* Statements of `per` parameters per item (after `fixed` shared ones), at
 * most `max` items each, over the items list: what run_many sends. */
typedef struct batch {
  vc__lstmt_t *st;
  const char **p;
  size_t nst;
} batch_t;

static void batch_free(batch_t *b) {
  free(b->st);
  free(b->p);
  memset(b, 0, sizeof *b);
}

/* Makes the statements of `kind` over items[0..n): item i's parameters are
 * item(i, out).  false on no memory (diagnosed). */
typedef void (*item_fn)(void *ud, size_t i, const char **out);
static bool batch_make(vc_ledger_t *l, int kind, const char *const *fixed, int nfixed,
                       size_t n, int per, size_t max, item_fn item, void *ud, batch_t *b,
                       vc_diag_t *d) {
  size_t nst = (n + max - 1) / max;
  b->st = calloc(nst ? nst : 1, sizeof *b->st);
  b->p = malloc(((size_t)nfixed * nst + n * (size_t)per + 1) * sizeof *b->p);
  b->nst = 0;
  if (!b->st || !b->p) {
    vc_diag_add(d, VC_E_NOMEM, NULL, 0, 0, "out of memory recording");
    return false;
  }
  const char **p = b->p;
  for (size_t at = 0; at < n; at += max) {
    size_t k = n - at < max ? n - at : max;
    const char *sql = vc__ledger_multi_sql(l, kind, k, d);
    if (!sql) return false;
    b->st[b->nst++] = (vc__lstmt_t){sql, nfixed + (int)k * per, p, 0};
    for (int f = 0; f < nfixed; f++) *p++ = fixed[f];
    for (size_t i = at; i < at + k; i++, p += per) item(ud, i, p);
  }
  return true;
}

static vc_status_t batch_run(vc_ledger_t *l, batch_t *b, vc__lrows_fn fn, void *ud,
                             vc_diag_t *d) {
  return l->ops->run_many(l->db, b->st, b->nst, fn, ud, d);
}

static void key_item(void *ud, size_t i, const char **out) {
  *out = ((chunk_t *)ud)->s[i].q->key;
}

/* The slot of key among statement i's keys (in_max per statement). */
static slot_t *slot_of(chunk_t *c, size_t i, const char *key) {
  size_t k = (size_t)c->l->ops->in_max;
  for (size_t j = i * k; key && j < c->n && j < (i + 1) * k; j++)
    if (!strcmp(c->s[j].q->key, key)) return &c->s[j];
  return NULL;
}

static bool found_row(size_t i, const char *const *cells, int ncols, void *ud) {
  slot_t *s = ncols >= 8 ? slot_of(ud, i, cells[5]) : NULL;
  if (s) keep_found(cells, ncols, &s->found);
  return true;
}

/* Each slot's issued and pending documents; tickets of those found filled
 * (RESUMED ones go through reserve_one); the rest listed in c->fresh. */
static vc_status_t chunk_find(chunk_t *c, vc_diag_t *d) {
  batch_t b;
  const char *tpl = c->s[0].q->template_path;
  int k = c->l->ops->in_max;
  vc_status_t st = batch_make(c->l, VC__MULTI_FIND, &tpl, 1, c->n, 1, (size_t)k, key_item, c,
                              &b, d) ? batch_run(c->l, &b, found_row, c, d) : VC_E_NOMEM;
  batch_free(&b);
  c->nfresh = 0;
  for (size_t i = 0; st == VC_OK && i < c->n; i++) {
    slot_t *s = &c->s[i];
    both_t *fb = &s->found;
    if (fb->issued.oom || fb->pending.oom || fb->revoked.oom) {
      vc_diag_add(d, VC_E_NOMEM, NULL, 0, 0, "out of memory reading the ledger");
      return VC_E_NOMEM;
    }
    if (!revoked_ok(c->l, s->q, fb, d)) return VC_E_INPUT;
    vc__lrow_t *f = fb->issued.got && !s->q->new_issue ? &fb->issued
                    : fb->pending.got ? &fb->pending : NULL;
    if (f == &fb->pending) { /* an interrupted run's: takes this run's values */
      st = reserve_one(c->l, s->q, s->vh, s->fold, s->t, d);
    } else if (f) {
      memset(s->t, 0, sizeof *s->t);
      s->t->doc_id = strtoll(f->c[0], NULL, 10);
      snprintf(s->t->serial, sizeof s->t->serial, "%s", f->c[1] ? f->c[1] : "");
      s->t->values_changed = strcmp(f->c[2], s->vh) != 0;
      s->t->template_changed = strcmp(f->c[3], s->q->template_hash) != 0;
      s->t->res = VC_LEDGER_EXISTS;
    } else {
      memset(s->t, 0, sizeof *s->t);
      s->t->res = VC_LEDGER_NEW;
      c->fresh[c->nfresh++] = s;
    }
  }
  return st;
}

static void serial_item(void *ud, size_t i, const char **out) {
  *out = ((chunk_t *)ud)->fresh[i]->t->serial;
}

static bool taken_row(size_t i, const char *const *cells, int ncols, void *ud) {
  chunk_t *c = ud;
  size_t k = (size_t)c->l->ops->in_max;
  for (size_t j = i * k; ncols > 0 && cells[0] && j < c->nfresh && j < (i + 1) * k; j++)
    if (!strcmp(c->fresh[j]->t->serial, cells[0])) c->fresh[j]->taken = true;
  return true;
}

/* Serials for the fresh slots: the counter read once, each given the next
 * number, those another pattern already gave skipped (checked together,
 * again for the replacements), the counter written once. */
static vc_status_t chunk_serials(chunk_t *c, vc_diag_t *d) {
  const char *pattern = c->s[0].q->pattern;
  if (!pattern || !*pattern || !c->nfresh) return VC_OK;
  time_t now = (time_t)vc__ledger_now(c->l);
  struct tm tm;
  localtime_r(&now, &tm);
  char year[24], last[24];
  const char *pc[3] = {pattern, vc__ledger_i64(year, tm.tm_year + 1900), NULL};
  vc__lrow_t r = {0};
  int got = vc__ledger_first_row(c->l, "SELECT last FROM serial_counters WHERE"
                                 " pattern = $1 AND year = $2", 2, pc, &r, d);
  int64_t seq = got == 1 && r.c[0] ? strtoll(r.c[0], NULL, 10) : 0;
  vc__ledger_row_clear(&r);
  if (got < 0) return vc_diag_status(d) ? vc_diag_status(d) : VC_E_IO;
  for (size_t j = 0; j < c->nfresh; j++) c->fresh[j]->taken = true;
  for (int tries = 0;; tries++) {
    bool any = false;
    for (size_t j = 0; j < c->nfresh; j++) {
      if (!c->fresh[j]->taken) continue;
      any = true;
      c->fresh[j]->taken = false;
      if (!vc_ledger_pattern_format(pattern, tm.tm_year + 1900, ++seq, c->fresh[j]->t->serial,
                                    VC_LEDGER_SERIAL_MAX))
        return vc_ledger_pattern_check(pattern, d) != VC_OK
                   ? vc_diag_status(d)
                   : (vc__ledger_fail(c->l, d, VC_E_INPUT, "cannot make a serial of at most"
                                      " %d bytes from \"%s\"", VC_LEDGER_SERIAL_MAX - 1,
                                      pattern), VC_E_INPUT);
    }
    if (!any) break;
    if (tries > 10000) {
      vc__ledger_fail(c->l, d, VC_E_INTERNAL, "found no free serial for \"%s\"", pattern);
      return VC_E_INTERNAL;
    }
    batch_t b;
    vc_status_t st = batch_make(c->l, VC__MULTI_TAKEN, NULL, 0, c->nfresh, 1,
                                (size_t)c->l->ops->in_max, serial_item, c, &b, d)
                         ? batch_run(c->l, &b, taken_row, c, d) : VC_E_NOMEM;
    batch_free(&b);
    if (st != VC_OK) return st;
  }
  pc[2] = vc__ledger_i64(last, seq);
  return vc__ledger_run(c->l, "INSERT INTO serial_counters(pattern, year, last)"
                              " VALUES($1, $2, $3) ON CONFLICT(pattern, year) DO UPDATE"
                              " SET last = $3", 3, pc, NULL, NULL, d) == 1
             ? VC_OK : (vc_diag_status(d) ? vc_diag_status(d) : VC_E_IO);
}

typedef struct doc_ud {
  chunk_t *c;
  char now[24];
} doc_ud_t;

static void doc_item(void *ud, size_t i, const char **out) {
  doc_ud_t *u = ud;
  slot_t *s = u->c->fresh[i];
  const vc_ledger_req_t *q = s->q;
  const char *p[11] = {vc__ledger_nz(s->t->serial), vc__ledger_nz(q->pattern),
                       q->template_path, q->template_hash, q->key, s->vh,
                       q->name ? q->name : "", s->fold, u->now,
                       replaced_id(&s->found),
                       q->new_issue ? vc__ledger_nz(q->reason) : NULL};
  memcpy(out, p, sizeof p);
}

static void fresh_key_item(void *ud, size_t i, const char **out) {
  *out = ((chunk_t *)ud)->fresh[i]->q->key;
}

static bool id_row(size_t i, const char *const *cells, int ncols, void *ud) {
  chunk_t *c = ud;
  size_t k = c->group;
  for (size_t j = i * k; ncols >= 2 && cells[0] && cells[1] && j < c->nfresh &&
                         j < (i + 1) * k; j++)
    if (!strcmp(c->fresh[j]->q->key, cells[1])) {
      snprintf(c->fresh[j]->id, sizeof c->fresh[j]->id, "%s", cells[0]);
      c->fresh[j]->t->doc_id = strtoll(cells[0], NULL, 10);
    }
  return true;
}

/* The fresh documents, pending, and their ids. */
static vc_status_t chunk_insert(chunk_t *c, vc_diag_t *d) {
  doc_ud_t u = {c, ""};
  vc__ledger_i64(u.now, vc__ledger_now(c->l));
  batch_t b;
  bool ret = c->l->ops->returning;
  c->group = VC__LEDGER_MULTI;
  vc_status_t st = batch_make(c->l, ret ? VC__MULTI_DOCS_ID : VC__MULTI_DOCS, NULL, 0,
                              c->nfresh, 11, VC__LEDGER_MULTI, doc_item, &u, &b, d)
                       ? batch_run(c->l, &b, ret ? id_row : NULL, c, d) : VC_E_NOMEM;
  batch_free(&b);
  c->group = (size_t)c->l->ops->in_max;
  const char *tpl = c->s[0].q->template_path;
  if (st == VC_OK && !ret)
    st = batch_make(c->l, VC__MULTI_IDS, &tpl, 1, c->nfresh, 1, (size_t)c->l->ops->in_max,
                    fresh_key_item, c, &b, d) ? batch_run(c->l, &b, id_row, c, d) : VC_E_NOMEM;
  batch_free(&b);
  for (size_t j = 0; st == VC_OK && j < c->nfresh; j++)
    if (!c->fresh[j]->id[0]) {
      vc__ledger_fail(c->l, d, VC_E_INTERNAL, "lost the document just recorded for %s",
                      c->fresh[j]->q->key);
      st = VC_E_INTERNAL;
    }
  return st;
}

/* The values and name words of the fresh documents, as rows of
 * (doc, position, name, value) and (word, doc). */
typedef struct rows_ud {
  const char **v; /* 4 or 2 per row */
  int per;
} rows_ud_t;

static void row_item(void *ud, size_t i, const char **out) {
  rows_ud_t *u = ud;
  memcpy(out, u->v + i * (size_t)u->per, (size_t)u->per * sizeof *out);
}

static vc_status_t chunk_values(chunk_t *c, vc_diag_t *d) {
  size_t nv = 0, nw = 0, maxf = 0;
  for (size_t j = 0; j < c->nfresh; j++) {
    slot_t *s = c->fresh[j];
    nv += s->q->nfields;
    if (s->q->nfields > maxf) maxf = s->q->nfields;
    nw += strlen(s->fold) / 2 + 1; /* words are separated: at most this many */
  }
  const char **v = malloc((4 * nv + 2 * nw + 1) * sizeof *v);
  char (*pos)[24] = malloc((maxf + 1) * sizeof *pos);
  vc_status_t st = VC_E_NOMEM;
  batch_t b = {0};
  if (!v || !pos) {
    vc_diag_add(d, VC_E_NOMEM, NULL, 0, 0, "out of memory recording values");
    goto out;
  }
  for (size_t f = 0; f < maxf; f++) vc__ledger_i64(pos[f], (int64_t)f);
  const char **w = v + 4 * nv, **p = v;
  size_t kw = 0;
  for (size_t j = 0; j < c->nfresh; j++) {
    slot_t *s = c->fresh[j];
    for (size_t f = 0; f < s->q->nfields; f++, p += 4) {
      p[0] = s->id;
      p[1] = pos[f];
      p[2] = s->q->fields[f].name;
      p[3] = s->q->fields[f].value ? s->q->fields[f].value : "";
    }
    char *save = NULL; /* the fold is not needed whole any more */
    size_t first = kw;
    for (char *t = strtok_r(s->fold, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
      bool again = false; /* "Thu Thu": one row */
      for (size_t k = first; k < kw && !again; k++) again = !strcmp(w[2 * k], t);
      if (again) continue;
      w[2 * kw] = t;
      w[2 * kw++ + 1] = s->id;
    }
  }
  rows_ud_t uv = {v, 4}, uw = {w, 2};
  if (c->l->ops->copy) {
    st = c->l->ops->copy(c->l->db, "COPY document_values(doc_id, position, name, value)"
                                   " FROM STDIN", v, nv, 4, d);
    if (st == VC_OK)
      st = c->l->ops->copy(c->l->db, "COPY name_words(word, doc_id) FROM STDIN", w, kw, 2, d);
    goto out;
  }
  st = batch_make(c->l, VC__MULTI_VALUES4, NULL, 0, nv, 4, VC__LEDGER_MULTI, row_item, &uv,
                  &b, d) ? batch_run(c->l, &b, NULL, NULL, d) : VC_E_NOMEM;
  batch_free(&b);
  if (st == VC_OK)
    st = batch_make(c->l, VC__MULTI_WORDS2, NULL, 0, kw, 2, VC__LEDGER_MULTI, row_item, &uw,
                    &b, d) ? batch_run(c->l, &b, NULL, NULL, d) : VC_E_NOMEM;
  batch_free(&b);
out:
  free(v);
  free(pos);
  return st;
}

/* Requests req[0..n) (n <= CHUNK) inside the open transaction. */
static vc_status_t reserve_chunk(vc_ledger_t *l, const vc_ledger_req_t *req, size_t n,
                                 vc_ledger_ticket_t *tickets, vc_diag_t *d) {
  slot_t *s = calloc(n, sizeof *s);
  slot_t **fresh = calloc(n, sizeof *fresh);
  chunk_t c = {l, s, n, fresh, 0, 0};
  vc_status_t st = VC_OK;
  if (!s || !fresh) {
    vc_diag_add(d, VC_E_NOMEM, NULL, 0, 0, "out of memory recording");
    n = 0;
    st = VC_E_NOMEM;
  }
  for (size_t i = 0; i < n && st == VC_OK; i++) {
    s[i].q = &req[i];
    s[i].t = &tickets[i];
    if (!(s[i].fold = vc_text_fold_search(req[i].name ? req[i].name : ""))) {
      vc_diag_add(d, VC_E_NOMEM, NULL, 0, 0, "out of memory (or a name that "
                  "is not UTF-8) recording %s", req[i].key);
      st = VC_E_NOMEM;
    } else {
      st = vc_ledger_hash_values(req[i].fields, req[i].nfields, s[i].vh, d);
    }
  }
  if (st == VC_OK && !chunk_simple(&c)) {
    for (size_t i = 0; st == VC_OK && i < n; i++)
      st = reserve_one(l, &req[i], s[i].vh, s[i].fold, &tickets[i], d);
  } else if (st == VC_OK) {
    st = chunk_find(&c, d);
    if (st == VC_OK && c.nfresh) st = chunk_serials(&c, d);
    if (st == VC_OK && c.nfresh) st = chunk_insert(&c, d);
    if (st == VC_OK && c.nfresh) st = chunk_values(&c, d);
  }
  for (size_t i = 0; i < n; i++) {
    free(s[i].fold);
    vc__ledger_row_clear(&s[i].found.issued);
    vc__ledger_row_clear(&s[i].found.pending);
    vc__ledger_row_clear(&s[i].found.revoked);
  }
  free(s);
  free(fresh);
  if (st != VC_OK && !vc_diag_status(d)) st = VC_E_IO;
  return st;
}

vc_status_t vc_ledger_reserve_each(vc_ledger_t *l, const vc_ledger_req_t *req,
                                   size_t n, vc_ledger_ticket_t *tickets,
                                   vc_ledger_progress_fn fn, void *ud,
                                   vc_diag_t *d) {
  if (!vc__ledger_writable(l, d)) return VC_E_USAGE;
  for (size_t i = 0; i < n; i++)
    if (!req_ok(l, &req[i], d)) return vc_diag_status(d);
  vc_status_t st = l->ops->begin(l->db, true, d);
  for (size_t i = 0; st == VC_OK && i < n; i += CHUNK) {
    size_t k = n - i < CHUNK ? n - i : CHUNK;
    st = reserve_chunk(l, req + i, k, tickets + i, d);
    if (st != VC_OK) l->ops->rollback(l->db);
    else if (fn) fn(i + k, ud);
  }
  if (st == VC_OK) st = l->ops->commit(l->db, d);
  return st;
}
