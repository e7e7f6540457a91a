/*
 * ledger-move.c - a whole ledger as CSV lines and back (vncert ledger
 * export/import), to move it between SQLite and PostgreSQL losslessly.
 *
 * The format (docs/ledger.md): RFC 4180 CSV in UTF-8 (libcsv), one row per
 * line, its first field the kind: meta, counter, document, value, event,
 * each with the columns of its table in a fixed order.  SQL NULL is an
 * empty field: the ledger never stores "" in a column that may be NULL
 * (ledger-issue.c's nz), so nothing is lost.  name_words are not written:
 * import makes them again from name_fold.
 */
#include "core/i18n.h"
#include "ledger/ledger-private.h"

#include <stdlib.h>
#include <string.h>

#include <csv.h>

/* ---- export ---- */

typedef struct out_walk {
  FILE *f;
  const char *kind;
  bool bad;
} out_walk_t;

static bool put_row(const char *const *c, int n, void *ud) {
  out_walk_t *w = ud;
  if (fputs(w->kind, w->f) == EOF) w->bad = true;
  for (int i = 0; i < n; i++) {
    fputc(',', w->f);
    if (c[i] && csv_fwrite(w->f, c[i], strlen(c[i])) != 0) w->bad = true;
  }
  if (fputc('\n', w->f) == EOF) w->bad = true;
  return !w->bad;
}

static const struct table {
  const char *kind;
  int ncols;
  const char *select, *insert;
  unsigned nullable; /* bit i: column i may be NULL */
  unsigned numeric;  /* bit i: column i is an integer */
} TABLES[] = {
    {"meta", 2, "SELECT name, value FROM vncert_ledger ORDER BY name", NULL, 0, 0},
    {"counter", 3,
     "SELECT pattern, year, last FROM serial_counters ORDER BY pattern, year",
     "INSERT INTO serial_counters(pattern, year, last) VALUES($1, $2, $3)", 0,
     0x6},
    {"document", 15,
     "SELECT id, serial, pattern, template_path, template_hash, record_key,"
     " values_hash, name, name_fold, state, reserved_at, issued_at, issued_day,"
     " replaces, reason FROM documents ORDER BY id",
     "INSERT INTO documents(id, serial, pattern, template_path, template_hash,"
     " record_key, values_hash, name, name_fold, state, reserved_at, issued_at,"
     " issued_day, replaces, reason) VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9,"
     " $10, $11, $12, $13, $14, $15)",
     0x7806, 0x2C01},
    {"value", 4,
     "SELECT doc_id, position, name, value FROM document_values ORDER BY"
     " doc_id, position",
     "INSERT INTO document_values(doc_id, position, name, value) VALUES($1,"
     " $2, $3, $4)",
     0, 0x3},
    {"event", 13,
     "SELECT id, doc_id, kind, at, day, operator, host, reason, template_hash,"
     " values_hash, queue, job_id, job_state FROM events ORDER BY id",
     "INSERT INTO events(id, doc_id, kind, at, day, operator, host, reason,"
     " template_hash, values_hash, queue, job_id, job_state) VALUES($1, $2,"
     " $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
     0x1F80, 0xB},
    {"revocation", 7,
     "SELECT serial, doc_id, reason, at, day, operator, host FROM revocations ORDER BY serial",
     "INSERT INTO revocations(serial, doc_id, reason, at, day, operator, host) VALUES($1, $2,"
     " $3, $4, $5, $6, $7)",
     0x2, 0xA},
};
#define NTABLES (sizeof TABLES / sizeof TABLES[0])

vc_status_t vc_ledger_export(vc_ledger_t *l, FILE *out, vc_diag_t *d) {
  /* one read transaction: a consistent picture while others write */
  vc_status_t st = l->ops->begin(l->db, false, d);
  if (st != VC_OK) return st;
  for (size_t i = 0; i < NTABLES && st == VC_OK; i++) {
    out_walk_t w = {.f = out, .kind = TABLES[i].kind};
    if (vc__ledger_run(l, TABLES[i].select, 0, NULL, put_row, &w, d) < 0)
      st = VC_E_IO;
    else if (w.bad || ferror(out)) {
      vc__ledger_fail(l, d, VC_E_IO, "export could not be written");
      st = VC_E_IO;
    }
  }
  l->ops->rollback(l->db);
  return st;
}

/* ---- import ---- */

#define MAX_FIELDS 16

typedef struct in_walk {
  vc_ledger_t *l;
  vc_diag_t *d;
  const char *name;
  long line;
  int n;
  char *f[MAX_FIELDS + 1];
  size_t len[MAX_FIELDS + 1];
  bool failed, seen_meta;
} in_walk_t;

static void field_cb(void *s, size_t len, void *ud) {
  in_walk_t *w = ud;
  if (w->failed) return;
  if (w->n > MAX_FIELDS) {
    w->n++;
    return;
  }
  char *c = malloc(len + 1);
  if (!c) {
    vc_diag_add(w->d, VC_E_NOMEM, w->name, (int)w->line, 0, "out of memory importing");
    w->failed = true;
    return;
  }
  memcpy(c, s, len);
  c[len] = '\0';
  w->f[w->n] = c;
  w->len[w->n] = len;
  w->n++;
}

static bool integer(const char *s) {
  if (*s == '-') s++;
  if (!*s || strlen(s) > 18) return false;
  for (; *s; s++)
    if (*s < '0' || *s > '9') return false;
  return true;
}

/* The words of a document's name_fold, as reserve records them. */
static bool add_words(in_walk_t *w, const char *doc, const char *fold) {
  char word[256];
  for (const char *s = fold; *s;) {
    size_t n = strcspn(s, " ");
    if (n > 0 && n < sizeof word) {
      memcpy(word, s, n);
      word[n] = '\0';
      const char *p[2] = {word, doc};
      if (vc__ledger_run(w->l, "INSERT INTO name_words(word, doc_id) VALUES($1,"
                               " $2) ON CONFLICT DO NOTHING", 2, p, NULL, NULL,
                         w->d) < 0)
        return false;
    }
    s += n;
    s += strspn(s, " ");
  }
  return true;
}

/* One CSV row: checked, then inserted. */
static bool import_row(in_walk_t *w) {
  const struct table *t = NULL;
  for (size_t i = 0; i < NTABLES; i++)
    if (w->n > 0 && !strcmp(w->f[0], TABLES[i].kind)) t = &TABLES[i];
  const char *why = NULL;
  if (!t) why = N_("unknown kind of row (meta, counter, document, value, event, revocation)");
  else if (w->n - 1 != t->ncols) why = N_("wrong number of fields");
  else if (!w->seen_meta && strcmp(t->kind, "meta"))
    why = N_("not a vncert ledger export (it starts with meta rows)");
  for (int i = 0; !why && i < t->ncols; i++)
    if ((t->numeric >> i & 1) && w->len[i + 1] > 0 && !integer(w->f[i + 1]))
      why = N_("a number field holds something else");
  if (!why && !strcmp(t->kind, "meta")) {
    if (!strcmp(w->f[1], "application") && strcmp(w->f[2], "vncert-ledger"))
      why = N_("not a vncert ledger export");
    if (!strcmp(w->f[1], "schema") && atoi(w->f[2]) > VC_LEDGER_SCHEMA)
      why = N_("made by a newer vncert (a newer ledger schema)");
    w->seen_meta = true;
    return !why || (vc_diag_add(w->d, VC_E_INPUT, w->name, (int)w->line, 0,
                                "%s", _(why)), false);
  }
  if (why) {
    vc_diag_add(w->d, VC_E_INPUT, w->name, (int)w->line, 0, "%s", _(why));
    return false;
  }
  const char *p[MAX_FIELDS];
  for (int i = 0; i < t->ncols; i++)
    p[i] = (t->nullable >> i & 1) && w->len[i + 1] == 0 ? NULL : w->f[i + 1];
  if (vc__ledger_run(w->l, t->insert, t->ncols, p, NULL, NULL, w->d) < 0)
    return false;
  return strcmp(t->kind, "document") || add_words(w, w->f[1], w->f[9]);
}

static void row_cb(int c, void *ud) {
  in_walk_t *w = ud;
  (void)c;
  w->line++;
  if (!w->failed && w->n > 0 && !import_row(w)) w->failed = true;
  for (int i = 0; i < w->n && i <= MAX_FIELDS; i++) free(w->f[i]);
  w->n = 0;
}

static bool count_row(const char *const *c, int n, void *ud) {
  *(long *)ud = n > 0 && c[0] ? strtol(c[0], NULL, 10) : 0;
  return false;
}

vc_status_t vc_ledger_import(vc_ledger_t *l, FILE *in, const char *in_name,
                             vc_diag_t *d) {
  if (l->read_only) {
    vc__ledger_fail(l, d, VC_E_USAGE, "was opened for reading only");
    return VC_E_USAGE;
  }
  struct csv_parser p;
  if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0) {
    vc_diag_add(d, VC_E_NOMEM, in_name, 0, 0, "out of memory importing");
    return VC_E_NOMEM;
  }
  in_walk_t w = {.l = l, .d = d, .name = in_name};
  vc_status_t st = l->ops->begin(l->db, true, d);
  long docs = -1;
  if (st == VC_OK &&
      (vc__ledger_run(l, "SELECT (SELECT count(*) FROM documents) + (SELECT"
                         " count(*) FROM serial_counters)", 0, NULL, count_row,
                      &docs, d) < 0 || docs != 0)) {
    if (docs > 0)
      vc__ledger_fail(l, d, VC_E_INPUT, "already holds documents: import goes "
                      "into a new, empty ledger only");
    st = VC_E_INPUT;
  }
  char buf[65536];
  size_t n;
  while (st == VC_OK && !w.failed && (n = fread(buf, 1, sizeof buf, in)) > 0)
    if (csv_parse(&p, buf, n, field_cb, row_cb, &w) != n) {
      vc_diag_add(d, VC_E_INPUT, in_name, (int)w.line + 1, 0,
                  "not CSV as an export writes it (%s)",
                  csv_strerror(csv_error(&p)));
      w.failed = true;
    }
  if (st == VC_OK && !w.failed && ferror(in)) {
    vc_diag_add(d, VC_E_IO, in_name, 0, 0, "cannot be read");
    w.failed = true;
  }
  if (st == VC_OK && !w.failed) csv_fini(&p, field_cb, row_cb, &w);
  for (int i = 0; i < w.n && i <= MAX_FIELDS; i++) free(w.f[i]);
  csv_free(&p);
  if (st == VC_OK && !w.failed && !w.seen_meta) {
    vc_diag_add(d, VC_E_INPUT, in_name, 0, 0, "is empty: not a ledger export");
    w.failed = true;
  }
  if (st == VC_OK && !w.failed && l->ops->after_import &&
      l->ops->exec(l->db, l->ops->after_import, d) != VC_OK)
    w.failed = true;
  if (st == VC_OK && w.failed) st = vc_diag_status(d) ? vc_diag_status(d) : VC_E_INPUT;
  if (st == VC_OK) return l->ops->commit(l->db, d);
  l->ops->rollback(l->db);
  return st;
}
