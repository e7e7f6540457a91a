/*
 * ledger-schema.c - what a ledger is when opened: a new one gets the
 * current schema, an older one is upgraded in place (one transaction: a
 * failed upgrade leaves it as it was), a newer one or something that is not
 * a vncert ledger is refused with words saying so.
 */
#include "ledger/ledger-private.h"

#include <stdlib.h>
#include <string.h>

static bool one_text(const char *const *cells, int ncols, void *ud) {
  char **out = ud;
  free(*out);
  *out = ncols > 0 && cells[0] ? strdup(cells[0]) : strdup("");
  return true;
}

/* The stored schema version: >0, 0 when the file is not a vncert ledger
 * (diagnosed), -1 on error. */
static int stored_version(vc_ledger_t *l, vc_diag_t *d) {
  const char *p[1] = {"vncert_ledger"};
  long n = l->ops->run(l->db, l->ops->table_sql, 1, p, NULL, NULL, d);
  if (n < 0) return -1;
  if (n == 0) {
    vc__ledger_fail(l, d, VC_E_INPUT,
                    "is not a vncert ledger (a database with other tables); "
                    "give a new file or the school's ledger");
    return 0;
  }
  char *app = NULL, *ver = NULL;
  const char *pa[1] = {"application"}, *pv[1] = {"schema"};
  n = l->ops->run(l->db, "SELECT value FROM vncert_ledger WHERE name = $1", 1,
                  pa, one_text, &app, d);
  if (n >= 0)
    n = l->ops->run(l->db, "SELECT value FROM vncert_ledger WHERE name = $1",
                    1, pv, one_text, &ver, d);
  int v = -1;
  if (n >= 0) {
    if (!app || strcmp(app, "vncert-ledger") != 0 || !ver || atoi(ver) <= 0) {
      vc__ledger_fail(l, d, VC_E_INPUT,
                      "is not a vncert ledger (its vncert_ledger table does "
                      "not say so)");
      v = 0;
    } else {
      v = atoi(ver);
    }
  }
  free(app);
  free(ver);
  return v;
}

/* Runs the migrations from version `from` to the current one. */
static vc_status_t migrate(vc_ledger_t *l, int from, vc_diag_t *d) {
  for (int v = from + 1; v <= VC_LEDGER_SCHEMA; v++) {
    vc_status_t st = l->ops->exec(l->db, l->ops->migrations[v], d);
    if (st != VC_OK) return st;
  }
  return VC_OK;
}

/* Creates or upgrades inside one write transaction, looking again once the
 * writers' lock is held: another process may have done it meanwhile. */
static vc_status_t upgrade(vc_ledger_t *l, vc_diag_t *d) {
  vc_status_t st = l->ops->begin(l->db, true, d);
  if (st != VC_OK) return st;
  int empty = l->ops->empty(l->db, d);
  int v = empty == 1 ? 0 : empty == 0 ? stored_version(l, d) : -1;
  if (empty < 0 || v < 0 || (empty == 0 && v == 0)) {
    l->ops->rollback(l->db);
    return vc_diag_status(d) ? vc_diag_status(d) : VC_E_IO;
  }
  if (v > VC_LEDGER_SCHEMA) {
    l->ops->rollback(l->db);
    l->schema = v;
    return VC_OK; /* the caller refuses it */
  }
  st = migrate(l, v, d);
  if (st == VC_OK) st = l->ops->commit(l->db, d);
  else l->ops->rollback(l->db);
  if (st == VC_OK) l->schema = VC_LEDGER_SCHEMA;
  return st;
}

vc_status_t vc__ledger_schema_open(vc_ledger_t *l, bool create, vc_diag_t *d) {
  int empty = l->ops->empty(l->db, d);
  if (empty < 0) return vc_diag_status(d) ? vc_diag_status(d) : VC_E_IO;
  int v = 0;
  if (empty) {
    if (l->read_only || !create) {
      vc__ledger_fail(l, d, VC_E_INPUT,
                      "is empty: no document was ever recorded in it");
      return VC_E_INPUT;
    }
  } else {
    v = stored_version(l, d);
    if (v <= 0) return v == 0 ? VC_E_INPUT : VC_E_IO;
  }
  if (v < VC_LEDGER_SCHEMA && !l->read_only) {
    vc_status_t st = upgrade(l, d);
    if (st != VC_OK) return st;
    v = l->schema;
  }
  if (v > VC_LEDGER_SCHEMA) {
    vc__ledger_fail(l, d, VC_E_INPUT,
                    "was written by a newer vncert (ledger schema %d; this "
                    "vncert knows up to %d): use that vncert or a newer one; "
                    "nothing was changed",
                    v, VC_LEDGER_SCHEMA);
    return VC_E_INPUT;
  }
  if (v < VC_LEDGER_SCHEMA) {
    vc__ledger_fail(l, d, VC_E_INPUT,
                    "has the older schema %d: open it once for writing (any "
                    "vncert run with --ledger) to upgrade it to %d",
                    v, VC_LEDGER_SCHEMA);
    return VC_E_INPUT;
  }
  l->schema = v;
  return VC_OK;
}
