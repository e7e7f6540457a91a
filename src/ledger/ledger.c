/*
 * ledger.c - opening a ledger on its backend, the clock, SHA-256 hashes
 * (libsodium), serial patterns and the name matching of the log.
 */
#include "ledger/ledger-private.h"

#include <pwd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "core/i18n.h"

void vc__ledger_fail(const vc_ledger_t *l, vc_diag_t *d, vc_status_t st,
                     const char *fmt, ...) {
  char msg[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, vc__gettext(fmt), ap);
  va_end(ap);
  vc_diag_add(d, st, l->where, 0, 0, "ledger %s", msg);
}

int64_t vc__ledger_now(const vc_ledger_t *l) {
  return l->fixed_now ? l->fixed_now : (int64_t)time(NULL);
}

void vc__ledger_day(int64_t t, char out[16]) {
  time_t tt = (time_t)t;
  struct tm tm;
  if (!localtime_r(&tt, &tm)) memset(&tm, 0, sizeof tm);
  snprintf(out, 16, "%04d-%02d-%02d", (tm.tm_year + 1900) % 10000,
           (tm.tm_mon + 1) % 100, tm.tm_mday % 100);
}

long vc__ledger_run(vc_ledger_t *l, const char *sql, int np,
                    const char *const *p, vc__lrow_fn fn, void *ud,
                    vc_diag_t *d) {
  return l->ops->run(l->db, sql, np, p, fn, ud, d);
}

/* What each kind of vc__ledger_multi_sql repeats: the statement's head,
 * one row's text (with "%s" where each parameter goes, numbered after
 * `first` fixed ones), the parameters per row, the separator, the tail. */
static const struct multi_kind {
  const char *head, *row, *sep, *tail;
  int first, per;
} MULTI[VC__MULTI_KINDS] = {
    [VC__MULTI_VALUES] = {"INSERT INTO document_values(doc_id, position, name, value) VALUES ",
                          "($1, %s, %s, %s)", ", ", "", 1, 3},
    [VC__MULTI_WORDS] = {"INSERT INTO name_words(word, doc_id) VALUES ", "(%s, $1)", ", ",
                         " ON CONFLICT DO NOTHING", 1, 1},
    [VC__MULTI_DOCS] = {"INSERT INTO documents(serial, pattern, template_path,"
                        " template_hash, record_key, values_hash, name, name_fold, state,"
                        " reserved_at, replaces, reason) VALUES ",
                        "(%s, %s, %s, %s, %s, %s, %s, %s, 'pending', %s, %s, %s)", ", ", "",
                        0, 11},
    [VC__MULTI_DOCS_ID] = {"INSERT INTO documents(serial, pattern, template_path,"
                        " template_hash, record_key, values_hash, name, name_fold, state,"
                        " reserved_at, replaces, reason) VALUES ",
                        "(%s, %s, %s, %s, %s, %s, %s, %s, 'pending', %s, %s, %s)", ", ", " RETURNING id, record_key",
                        0, 11},
    [VC__MULTI_VALUES4] = {"INSERT INTO document_values(doc_id, position, name, value) VALUES ",
                           "(%s, %s, %s, %s)", ", ", "", 0, 4},
    /* a new document's words, each once (ledger-reserve.c): no ON CONFLICT,
     * which costs PostgreSQL a speculative insertion per row */
    [VC__MULTI_WORDS2] = {"INSERT INTO name_words(word, doc_id) VALUES ", "(%s, %s)", ", ",
                          "", 0, 2},
    [VC__MULTI_FIND] = {"SELECT " VC__FOUND_COLS " FROM documents d LEFT JOIN revocations r"
                        " ON r.doc_id = d.id WHERE d.template_path = $1 AND d.state IN"
                        " ('issued', 'pending', 'revoked') AND d.record_key IN (",
                        "%s", ", ", ")", 1, 1},
    [VC__MULTI_TAKEN] = {"SELECT serial FROM documents WHERE serial IN (", "%s", ", ", ")", 0, 1},
    [VC__MULTI_IDS] = {"SELECT id, record_key FROM documents WHERE template_path = $1 AND"
                       " state = 'pending' AND record_key IN (", "%s", ", ", ")", 1, 1},
};

const char *vc__ledger_multi_sql(vc_ledger_t *l, int kind, size_t rows,
                                 vc_diag_t *d) {
  if (kind < 0 || kind >= VC__MULTI_KINDS || rows < 1 || rows > VC__LEDGER_MULTI) return NULL;
  if (l->multi[kind][rows]) return l->multi[kind][rows];
  const struct multi_kind *m = &MULTI[kind];
  size_t cap = strlen(m->head) + strlen(m->tail) + rows * (strlen(m->row) + 8 * (size_t)m->per + 4) + 1;
  char *s = malloc(cap);
  if (!s) {
    vc_diag_add(d, VC_E_NOMEM, NULL, 0, 0, "out of memory recording values");
    return NULL;
  }
  size_t k = (size_t)snprintf(s, cap, "%s", m->head);
  int at = m->first + 1; /* the next parameter's number */
  for (size_t i = 0; i < rows; i++) {
    if (i) k += (size_t)snprintf(s + k, cap - k, "%s", m->sep);
    for (const char *r = m->row; *r; r++) {
      if (r[0] == '%' && r[1] == 's') {
        k += (size_t)snprintf(s + k, cap - k, "$%d", at++);
        r++;
      } else if (k + 1 < cap) {
        s[k++] = *r;
        s[k] = '\0';
      }
    }
  }
  snprintf(s + k, cap - k, "%s", m->tail);
  return l->multi[kind][rows] = s;
}

/* A PostgreSQL URI or a libpq "key=value" string (a '=' before any '/'). */
static bool is_postgres(const char *w) {
  if (strncmp(w, "postgresql://", 13) == 0 || strncmp(w, "postgres://", 11) == 0)
    return true;
  const char *eq = strchr(w, '='), *sl = strchr(w, '/');
  return eq && (!sl || eq < sl);
}

/* `where` for messages: the password of a URI ("user:PASS@") or of a
 * "password=PASS" setting replaced by "***".  NULL on no memory. */
static char *shown_where(const char *w) {
  size_t n = strlen(w);
  char *s = malloc(n + 4);
  if (!s) return NULL;
  const char *sch = strstr(w, "://"), *cut = NULL, *resume = NULL;
  const char *at = sch ? strchr(sch + 3, '@') : NULL;
  const char *slash = sch ? strchr(sch + 3, '/') : NULL;
  if (at && (!slash || at < slash)) {
    cut = memchr(sch + 3, ':', (size_t)(at - sch - 3));
    if (cut) cut++, resume = at;
  }
  const char *pw = strstr(w, "password=");
  if (!cut && pw) {
    cut = pw + 9;
    resume = cut + strcspn(cut, " ");
  }
  if (!cut) {
    memcpy(s, w, n + 1);
    return s;
  }
  size_t k = (size_t)(cut - w);
  memcpy(s, w, k);
  memcpy(s + k, "***", 3);
  memcpy(s + k + 3, resume, strlen(resume) + 1);
  return s;
}

static char *default_operator(void) {
  char buf[256];
  if (getlogin_r(buf, sizeof buf) == 0 && buf[0]) return strdup(buf);
  struct passwd *pw = getpwuid(geteuid());
  return strdup(pw && pw->pw_name ? pw->pw_name : "unknown");
}

static char *default_host(void) {
  char buf[256];
  if (gethostname(buf, sizeof buf) != 0) return strdup("unknown");
  buf[sizeof buf - 1] = '\0';
  return strdup(buf);
}

vc_ledger_t *vc_ledger_open(const char *where, const vc_ledger_opts_t *o,
                            vc_diag_t *d) {
  static const vc_ledger_opts_t none = {0};
  if (!o) o = &none;
  if (!where || !*where) {
    vc_diag_add(d, VC_E_USAGE, NULL, 0, 0, "no ledger given");
    return NULL;
  }
  if (sodium_init() < 0) {
    vc_diag_add(d, VC_E_INTERNAL, NULL, 0, 0, "libsodium cannot start");
    return NULL;
  }
  vc_ledger_t *l = calloc(1, sizeof *l);
  if (!l) goto nomem;
  l->where = shown_where(where);
  l->operator_name = o->operator_name ? strdup(o->operator_name) : default_operator();
  l->host = o->host ? strdup(o->host) : default_host();
  if (!l->where || !l->operator_name || !l->host) goto nomem;
  l->fixed_now = o->now;
  l->read_only = o->read_only;
  l->db = is_postgres(where) ? vc__ledger_pg_open(where, o, &l->ops, d)
                             : vc__ledger_sqlite_open(where, o, &l->ops, d);
  if (!l->db) {
    vc_ledger_close(l);
    return NULL;
  }
  /* a PostgreSQL ledger is created in the database given: the database is
   * the ledger, so it is always created when empty */
  bool create = o->create || strcmp(l->ops->name, "postgresql") == 0;
  if (vc__ledger_schema_open(l, create, d) != VC_OK) {
    vc_ledger_close(l);
    return NULL;
  }
  return l;
nomem:
  vc_diag_add(d, VC_E_NOMEM, where, 0, 0, "out of memory opening the ledger");
  vc_ledger_close(l);
  return NULL;
}

void vc_ledger_close(vc_ledger_t *l) {
  if (!l) return;
  if (l->db) l->ops->close(l->db);
  for (int k = 0; k < VC__MULTI_KINDS; k++)
    for (int i = 0; i <= VC__LEDGER_MULTI; i++) free(l->multi[k][i]);
  free(l->where);
  free(l->operator_name);
  free(l->host);
  free(l);
}

const char *vc_ledger_backend(const vc_ledger_t *l) { return l->ops->name; }
int vc_ledger_schema(const vc_ledger_t *l) { return l->schema; }

/* ---- hashes ---- */

static void to_hex(const unsigned char *h, char out[VC_LEDGER_HASH_LEN]) {
  sodium_bin2hex(out, VC_LEDGER_HASH_LEN, h, crypto_hash_sha256_BYTES);
}

vc_status_t vc_ledger_hash_file(const char *path, char out[VC_LEDGER_HASH_LEN],
                                vc_diag_t *d) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    vc_diag_add(d, VC_E_IO, path, 0, 0, "cannot be read to hash it");
    return VC_E_IO;
  }
  if (sodium_init() < 0) {
    fclose(f);
    vc_diag_add(d, VC_E_INTERNAL, NULL, 0, 0, "libsodium cannot start");
    return VC_E_INTERNAL;
  }
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  unsigned char buf[65536];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0)
    crypto_hash_sha256_update(&st, buf, n);
  bool bad = ferror(f);
  fclose(f);
  if (bad) {
    vc_diag_add(d, VC_E_IO, path, 0, 0, "cannot be read to hash it");
    return VC_E_IO;
  }
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&st, h);
  to_hex(h, out);
  return VC_OK;
}

static int by_name(const void *a, const void *b) {
  const vc_ledger_field_t *x = *(const vc_ledger_field_t *const *)a;
  const vc_ledger_field_t *y = *(const vc_ledger_field_t *const *)b;
  return strcmp(x->name, y->name);
}

/* Each name and value with its length before it, sorted by name: no two
 * different sets of values give the same bytes. */
vc_status_t vc_ledger_hash_values(const vc_ledger_field_t *f, size_t n,
                                  char out[VC_LEDGER_HASH_LEN], vc_diag_t *d) {
  const vc_ledger_field_t *stack[64], **sorted = stack;
  if (n > 64 && !(sorted = malloc(n * sizeof *sorted))) {
    vc_diag_add(d, VC_E_NOMEM, NULL, 0, 0, "out of memory hashing values");
    return VC_E_NOMEM;
  }
  for (size_t i = 0; i < n; i++) sorted[i] = &f[i];
  qsort(sorted, n, sizeof *sorted, by_name);
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  for (size_t i = 0; i < n; i++) {
    const char *s[2] = {sorted[i]->name, sorted[i]->value ? sorted[i]->value : ""};
    for (int k = 0; k < 2; k++) {
      size_t len = strlen(s[k]);
      unsigned char lb[8];
      for (int j = 0; j < 8; j++) lb[j] = (unsigned char)(len >> (8 * j));
      crypto_hash_sha256_update(&st, lb, 8);
      crypto_hash_sha256_update(&st, (const unsigned char *)s[k], len);
    }
  }
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256_final(&st, h);
  to_hex(h, out);
  if (sorted != stack) free(sorted);
  return VC_OK;
}

/* ---- serial patterns ---- */

/* Walks p: writes the serial for (year, seq) into out when out is not
 * NULL; counts the {seq} placeholders in *nseq.  NULL when fine, else why. */
static const char *pattern_walk(const char *p, int year, int64_t seq,
                                char *out, size_t outlen, int *nseq) {
  size_t k = 0;
  char tmp[32];
  *nseq = 0;
  for (const char *s = p; *s; s++) {
    const char *piece = tmp;
    size_t plen;
    if ((s[0] == '{' && s[1] == '{') || (s[0] == '}' && s[1] == '}')) {
      tmp[0] = *s++;
      plen = 1;
    } else if (*s == '}') {
      return N_("a '}' without its '{' (write \"}}\" for a brace)");
    } else if (*s == '{') {
      const char *e = strchr(s, '}');
      if (!e) return N_("a '{' without its '}' (write \"{{\" for a brace)");
      size_t n = (size_t)(e - s - 1);
      int width = 0;
      if (n == 4 && !memcmp(s + 1, "year", 4)) {
        snprintf(tmp, sizeof tmp, "%04d", year);
      } else if (n == 2 && !memcmp(s + 1, "yy", 2)) {
        snprintf(tmp, sizeof tmp, "%02d", year % 100);
      } else if (n >= 3 && !memcmp(s + 1, "seq", 3)) {
        if (n > 3) {
          if (s[4] != ':' || n < 5 || n > 7) return N_("{seq:N} wants a width N from 1 to 12");
          for (size_t i = 5; i <= n; i++)
            if (s[i] < '0' || s[i] > '9') return N_("{seq:N} wants a width N from 1 to 12");
          width = atoi(s + 5);
          if (width < 1 || width > 12) return N_("{seq:N} wants a width N from 1 to 12");
        }
        snprintf(tmp, sizeof tmp, "%0*lld", width, (long long)seq);
        (*nseq)++;
      } else {
        return N_("an unknown placeholder (known: {year}, {yy}, {seq}, {seq:04})");
      }
      plen = strlen(tmp);
      s = e;
    } else {
      piece = s;
      plen = 1;
    }
    if (out) {
      if (k + plen >= outlen) return N_("the serial is too long");
      memcpy(out + k, piece, plen);
    }
    k += plen;
  }
  if (out) out[k] = '\0';
  if (*nseq != 1) return N_("it must hold {seq} exactly once (the counter)");
  if (k >= VC_LEDGER_SERIAL_MAX) return N_("the serial is too long");
  return NULL;
}

vc_status_t vc_ledger_pattern_check(const char *p, vc_diag_t *d) {
  int nseq;
  const char *why = p ? pattern_walk(p, 2026, 1, NULL, 0, &nseq) : N_("it is empty");
  if (!why && !*p) why = N_("it is empty");
  if (!why) return VC_OK;
  vc_diag_add(d, VC_E_INPUT, NULL, 0, 0, "serial pattern \"%s\": %s",
              p ? p : "", _(why));
  return VC_E_INPUT;
}

bool vc_ledger_pattern_format(const char *p, int year, int64_t seq, char *out,
                              size_t outlen) {
  int nseq;
  return pattern_walk(p, year, seq, out, outlen, &nseq) == NULL;
}
