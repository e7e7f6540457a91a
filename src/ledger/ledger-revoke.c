/*
 * ledger-revoke.c - revoked certificates (issue 11, docs/verify.md section
 * 7): `vncert revoke` records the serial, the reason and the day; `verify
 * --ledger` and the verification page read the list.  Kept in a table of
 * its own (not only the document's state) because it is what a verifier
 * needs, whole, with the words to show.
 */
#include "ledger/ledger-private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

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
