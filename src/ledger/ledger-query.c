/*
 * ledger-query.c - the log (events with their documents, filtered) and the
 * totals of an amount column, for `vncert log`.
 *
 * Why a few fixed queries and not one built from the filters: each backend
 * keeps its statements prepared by their text, and each variant leads with
 * the filter that has an index (key, serial, a word of the name), so a query
 * over a million events reads only the rows it returns.  The other filters
 * are "(CAST($n AS T) IS NULL OR ...)" tests in all of them.
 *
 * Print jobs (issue 10, point 3) are recorded per job, not per event: a
 * run of 5,000 certificates is one CUPS job, so its documents are recorded
 * in one transaction when it is sent and updated together by (queue, job
 * id) when it ends; a later command that learns the job's state from CUPS
 * updates them the same way.
 */
#include "ledger/ledger-private.h"

#include <stdlib.h>
#include <string.h>

#include "core/money.h"
#include "core/text.h"

#define LOG_COLS                                                               \
  "SELECT e.id, e.doc_id, e.at, e.kind, d.serial, d.template_path,"            \
  " d.record_key, d.name, d.state, e.operator, e.host, e.reason, e.queue,"     \
  " e.job_id, e.job_state, d.name_fold FROM events e JOIN documents d ON"      \
  " d.id = e.doc_id WHERE "
#define LOG_COMMON                                                             \
  " (CAST($1 AS TEXT) IS NULL OR d.record_key = $1)"                           \
  " AND (CAST($2 AS TEXT) IS NULL OR d.serial = $2)"                           \
  " AND (CAST($5 AS TEXT) IS NULL OR d.template_path = $5)"                    \
  " AND (CAST($6 AS TEXT) IS NULL OR e.kind = $6)"                             \
  " AND (CAST($7 AS BIGINT) IS NULL OR e.at >= $7)"                            \
  " AND (CAST($8 AS BIGINT) IS NULL OR e.at < $8)"                            \
  " AND (CAST($3 AS TEXT) IS NULL OR CAST($4 AS TEXT) IS NOT NULL)"            \
  " ORDER BY e.id"

static const char SQL_LOG_KEY[] = LOG_COLS "d.record_key = $1 AND" LOG_COMMON;
static const char SQL_LOG_SERIAL[] = LOG_COLS "d.serial = $2 AND" LOG_COMMON;
/* By name: the documents holding the rarest typed word ($3..$4) and, when
 * another whole word was typed, the next rarest ($10: looked up by its
 * key for each of them), whose folded name holds every typed word in
 * order ($9, "%w1%w2%": a superset of what --match finds, which log_row
 * then keeps), before their events are read.  Why not the documents of
 * both words intersected: in Vietnamese names every word may be common
 * ("nguyen", "van"), and sorting two long ranges of name_words together
 * was the slow tail (100-280 ms over a million events).  Two texts, not
 * "$10 IS NULL OR EXISTS": PostgreSQL cannot make a semi-join of an OR,
 * and then scanned every document for the LIKE. */
static const char SQL_LOG_NAME[] =
    LOG_COLS "d.id IN (SELECT w.doc_id FROM name_words w WHERE w.word >= $3 AND"
             " w.word < $4) AND d.name_fold LIKE $9 AND" LOG_COMMON;
static const char SQL_LOG_NAME2[] =
    LOG_COLS "d.id IN (SELECT w.doc_id FROM name_words w WHERE w.word >= $3 AND"
             " w.word < $4 AND EXISTS (SELECT 1 FROM name_words x WHERE x.word = $10"
             " AND x.doc_id = w.doc_id)) AND d.name_fold LIKE $9 AND" LOG_COMMON;
static const char SQL_LOG_ALL[] = LOG_COLS "1 = 1 AND" LOG_COMMON;

typedef struct log_walk {
  vc_ledger_row_fn fn;
  void *ud;
  const char *typed; /* folded name typed, or NULL */
  long given, limit;
} log_walk_t;

static int64_t num(const char *s) { return s ? strtoll(s, NULL, 10) : 0; }

static bool log_row(const char *const *c, int n, void *ud) {
  log_walk_t *w = ud;
  if (n < 16) return false;
  if (w->typed && !vc_text_words_match(c[15] ? c[15] : "", w->typed))
    return true;
  vc_ledger_row_t r = {
      .event_id = num(c[0]), .doc_id = num(c[1]), .at = num(c[2]),
      .kind = c[3], .serial = c[4], .template_path = c[5], .key = c[6],
      .name = c[7], .state = c[8], .operator_name = c[9], .host = c[10],
      .reason = c[11], .queue = c[12], .job_id = c[13], .job_state = c[14]};
  w->given++;
  if (!w->fn(&r, w->ud)) return false;
  return !(w->limit > 0 && w->given >= w->limit);
}

static bool count_row(const char *const *c, int n, void *ud) {
  *(long *)ud = n > 0 && c[0] ? strtol(c[0], NULL, 10) : 0;
  return false;
}

/* The range of name_words holding typed word w (n bytes): w whole, or
 * every word starting with it when prefix (U+10FFFF sorts after them all
 * byte-wise; no word holds U+0001). */
static void word_range(const char *w, size_t n, bool prefix, char *lo,
                       char *hi, size_t len) {
  if (n + 5 > len) n = len - 5;
  memcpy(lo, w, n);
  lo[n] = '\0';
  memcpy(hi, w, n);
  if (prefix) memcpy(hi + n, "\xF4\x8F\xBF\xBF", 5);
  else memcpy(hi + n, "\x01", 2);
}

/* The typed words to look up by index: the one fewest names hold (its
 * range in lo/hi; the last typed word is a prefix) and the next fewest of
 * the whole words ("" when none), each counted up to 5,000 (a common
 * surname costs little).  false on error. */
static bool probe(vc_ledger_t *l, const char *typed, char lo[256], char hi[256],
                  char next_word[256], vc_diag_t *d) {
  long best = -1, second = -1;
  char a[256], b[256], prev[256] = "";
  bool prev_whole = false;
  next_word[0] = '\0';
  for (const char *s = typed; *s;) {
    size_t n = strcspn(s, " ");
    const char *next = s + n + strspn(s + n, " ");
    word_range(s, n, !*next, a, b, sizeof a);
    const char *p[2] = {a, b};
    long c = -1;
    if (vc__ledger_run(l, "SELECT count(*) FROM (SELECT 1 FROM name_words"
                          " WHERE word >= $1 AND word < $2 LIMIT 5000) w",
                       2, p, count_row, &c, d) < 0)
      return false;
    bool whole = *next != '\0';
    if (best < 0 || c < best) { /* the old best may be the second */
      if (best >= 0 && prev_whole) second = best, memcpy(next_word, prev, 256);
      best = c;
      memcpy(lo, a, 256);
      memcpy(hi, b, 256);
      memcpy(prev, a, 256);
      prev_whole = whole;
    } else if (whole && (second < 0 || c < second)) {
      second = c;
      memcpy(next_word, a, 256);
    }
    s = next;
  }
  return true;
}

/* "%w1%w2%...%": the typed words in order, for LIKE; "%" when a word holds
 * a character LIKE would read as a wildcard (then log_row alone tests). */
static void like_of(const char *typed, char *out, size_t len) {
  size_t k = 0;
  out[k++] = '%';
  for (const char *s = typed; *s && k + 2 < len; s++) {
    if (*s == '%' || *s == '_' || *s == '\\') {
      k = 1;
      break;
    }
    out[k++] = *s == ' ' ? '%' : *s;
  }
  if (out[k - 1] != '%') out[k++] = '%';
  out[k] = '\0';
}

long vc_ledger_log(vc_ledger_t *l, const vc_ledger_filter_t *f,
                   vc_ledger_row_fn fn, void *ud, vc_diag_t *d) {
  static const vc_ledger_filter_t none = {0};
  if (!f) f = &none;
  log_walk_t w = {.fn = fn, .ud = ud, .limit = f->limit};
  char *typed = NULL, lo[256] = "", hi[256] = "", word2[256] = "", like[512] = "%";
  char from[24], to[24];
  const char *sql = SQL_LOG_ALL;
  if (f->name) {
    typed = vc_text_fold_search(f->name);
    if (!typed) {
      vc_diag_add(d, VC_E_NOMEM, NULL, 0, 0, "out of memory searching names");
      return -1;
    }
    if (!*typed) { /* as --match: blank text matches nobody */
      free(typed);
      return 0;
    }
    w.typed = typed;
  }
  if (f->key) sql = SQL_LOG_KEY;
  else if (f->serial) sql = SQL_LOG_SERIAL;
  else if (typed) sql = SQL_LOG_NAME;
  snprintf(from, sizeof from, "%lld", (long long)f->from);
  snprintf(to, sizeof to, "%lld", (long long)f->to);
  bool rd = l->ops->begin(l->db, false, d) == VC_OK;
  if (rd && sql == SQL_LOG_NAME && !probe(l, typed, lo, hi, word2, d)) {
    l->ops->rollback(l->db);
    free(typed);
    return -1;
  }
  bool by_name = sql == SQL_LOG_NAME;
  if (by_name) like_of(typed, like, sizeof like);
  if (by_name && word2[0]) sql = SQL_LOG_NAME2;
  const char *p[10] = {f->key, f->serial, by_name ? lo : NULL, by_name ? hi : NULL,
                       f->template_path, f->kind, f->from ? from : NULL,
                       f->to ? to : NULL, like, word2[0] ? word2 : NULL};
  long n = rd ? vc__ledger_run(l, sql, sql == SQL_LOG_NAME2 ? 10 : by_name ? 9 : 8, p,
                               log_row, &w, d) : -1;
  if (rd) l->ops->rollback(l->db);
  free(typed);
  return n < 0 ? -1 : w.given;
}

/* ---- totals ---- */

typedef struct total_walk {
  vc_ledger_total_fn fn;
  void *ud;
  char *tpl, *day;
  vc_ledger_total_t cur;
  long groups;
  bool stop, oom;
} total_walk_t;

static bool flush(total_walk_t *w) {
  if (!w->tpl) return true;
  w->cur.template_path = w->tpl;
  w->cur.day = w->day;
  w->groups++;
  bool go = w->fn(&w->cur, w->ud);
  free(w->tpl);
  free(w->day);
  w->tpl = w->day = NULL;
  memset(&w->cur, 0, sizeof w->cur);
  return go;
}

static bool total_row(const char *const *c, int n, void *ud) {
  total_walk_t *w = ud;
  if (n < 3) return false;
  const char *tpl = c[0] ? c[0] : "", *day = c[1] ? c[1] : "";
  if (w->tpl && (strcmp(w->tpl, tpl) || strcmp(w->day, day)) && !flush(w)) {
    w->stop = true;
    return false;
  }
  if (!w->tpl) {
    w->tpl = strdup(tpl);
    w->day = strdup(day);
    if (!w->tpl || !w->day) {
      w->oom = true;
      return false;
    }
  }
  uint64_t v;
  w->cur.documents++;
  if (c[2] && vc_money_parse(c[2], &v, NULL, 0) && w->cur.sum + v >= w->cur.sum)
    w->cur.sum += v;
  else
    w->cur.bad++;
  return true;
}

long vc_ledger_totals(vc_ledger_t *l, const char *column,
                      const vc_ledger_filter_t *f, vc_ledger_total_fn fn,
                      void *ud, vc_diag_t *d) {
  static const vc_ledger_filter_t none = {0};
  if (!f) f = &none;
  total_walk_t w = {.fn = fn, .ud = ud};
  char from[24], to[24];
  snprintf(from, sizeof from, "%lld", (long long)f->from);
  snprintf(to, sizeof to, "%lld", (long long)f->to);
  const char *p[4] = {column ? column : "so_tien", f->template_path,
                      f->from ? from : NULL, f->to ? to : NULL};
  bool rd = l->ops->begin(l->db, false, d) == VC_OK;
  long n = rd ? vc__ledger_run(
                    l,
                    "SELECT d.template_path, d.issued_day, v.value FROM"
                    " documents d LEFT JOIN document_values v ON v.doc_id ="
                    " d.id AND v.name = $1 WHERE d.state = 'issued'"
                    " AND (CAST($2 AS TEXT) IS NULL OR d.template_path = $2)"
                    " AND (CAST($3 AS BIGINT) IS NULL OR d.issued_at >= $3)"
                    " AND (CAST($4 AS BIGINT) IS NULL OR d.issued_at < $4)"
                    " ORDER BY d.template_path, d.issued_day, d.id",
                    4, p, total_row, &w, d)
              : -1;
  if (rd) l->ops->rollback(l->db);
  if (w.oom) vc_diag_add(d, VC_E_NOMEM, NULL, 0, 0, "out of memory summing");
  if (n >= 0 && !w.oom && !w.stop) flush(&w);
  free(w.tpl);
  free(w.day);
  return n < 0 || w.oom ? -1 : w.groups;
}

/* ---- print jobs ---- */

static const char SQL_PRINT[] =
    "INSERT INTO events(doc_id, kind, at, day, operator, host, queue, job_id,"
    " job_state) VALUES($1, 'print', $2, $3, $4, $5, $6, $7, $8)";
/* A job "not ended" may still print: CUPS keeps it queued (pending, held,
 * a stopped printer, waiting past vncert's timeout). */
#define NOT_ENDED " job_state IN ('pending', 'held', 'stopped', 'timed-out')"
/* A job id is CUPS's on one station: a shared ledger holds other stations'
 * job 42 too, so the host is matched as SQL_PENDING_JOBS does. */
static const char SQL_JOB_STATE[] =
    "UPDATE events SET job_state = $3 WHERE kind = 'print' AND queue = $1"
    " AND job_id = $2 AND host = $4 AND" NOT_ENDED;
static const char SQL_PENDING_JOBS[] =
    "SELECT queue, job_id, count(*) FROM events WHERE kind = 'print' AND"
    " host = $1 AND" NOT_ENDED " GROUP BY queue, job_id ORDER BY min(id)";
/* The issued documents without a completed print, with their last print
 * job's queue, id and state (none: never sent). */
static const char SQL_UNPRINTED[] =
    "SELECT d.id, d.serial, d.template_path, d.template_hash, d.record_key,"
    " d.name, e.queue, e.job_id, e.job_state FROM documents d LEFT JOIN"
    " events e ON e.id = (SELECT max(id) FROM events WHERE doc_id = d.id AND"
    " kind = 'print') WHERE d.state = 'issued'"
    " AND (CAST($1 AS TEXT) IS NULL OR d.template_path = $1)"
    " AND NOT EXISTS (SELECT 1 FROM events c WHERE c.doc_id = d.id AND"
    " c.kind = 'print' AND c.job_state = 'completed') ORDER BY d.id";

/* Refuses to write a ledger opened for reading; true when it may. */
static bool can_write(const vc_ledger_t *l, vc_diag_t *d) {
  if (!l->read_only) return true;
  vc__ledger_fail(l, d, VC_E_USAGE, "was opened for reading only");
  return false;
}

vc_status_t vc_ledger_print_job(vc_ledger_t *l, const int64_t *docs, size_t n,
                                const char *queue, const char *job_id,
                                const char *state, vc_diag_t *d) {
  if (!can_write(l, d)) return VC_E_USAGE;
  if (!n) return VC_OK;
  vc_status_t st = l->ops->begin(l->db, true, d);
  if (st != VC_OK) return st;
  char doc[24], at[24], day[16];
  int64_t now = vc__ledger_now(l);
  vc__ledger_day(now, day);
  snprintf(at, sizeof at, "%lld", (long long)now);
  const char *p[8] = {doc, at, day, l->operator_name, l->host, queue, job_id, state};
  for (size_t i = 0; i < n && st == VC_OK; i++) {
    snprintf(doc, sizeof doc, "%lld", (long long)docs[i]);
    if (vc__ledger_run(l, SQL_PRINT, 8, p, NULL, NULL, d) != 1)
      st = vc_diag_status(d) ? vc_diag_status(d) : VC_E_IO;
  }
  if (st == VC_OK) return l->ops->commit(l->db, d);
  l->ops->rollback(l->db);
  return st;
}

long vc_ledger_print_job_state(vc_ledger_t *l, const char *queue,
                               const char *job_id, const char *state,
                               vc_diag_t *d) {
  if (!can_write(l, d)) return -1;
  const char *p[4] = {queue, job_id, state, l->host};
  return vc__ledger_run(l, SQL_JOB_STATE, 4, p, NULL, NULL, d);
}

/* A read's walk: the caller's function (the one its row function calls)
 * and the rows given to it. */
typedef struct walk {
  union {
    vc_ledger_job_fn job;
    vc_ledger_unprinted_fn doc;
    vc_ledger_print_fn print;
    vc_ledger_key_fn key;
  } fn;
  void *ud;
  long given;
} walk_t;

/* Runs one query in a read transaction of its own, each row to row(w);
 * returns the rows given to the caller, or -1 (the reasons in d). */
static long read_walk(vc_ledger_t *l, const char *sql, int np, const char *const *p,
                      vc__lrow_fn row, walk_t *w, vc_diag_t *d) {
  if (l->ops->begin(l->db, false, d) != VC_OK) return -1;
  long n = vc__ledger_run(l, sql, np, p, row, w, d);
  l->ops->rollback(l->db);
  return n < 0 ? -1 : w->given;
}

/* One job not ended to the caller's function (vc__lrow_fn). */
static bool job_row(const char *const *c, int n, void *ud) {
  walk_t *w = ud;
  if (n < 3 || !c[0] || !c[1]) return true;
  w->given++;
  return w->fn.job(c[0], c[1], c[2] ? strtol(c[2], NULL, 10) : 0, w->ud);
}

long vc_ledger_pending_jobs(vc_ledger_t *l, vc_ledger_job_fn fn, void *ud,
                            vc_diag_t *d) {
  walk_t w = {.fn.job = fn, .ud = ud};
  const char *p[1] = {l->host};
  return read_walk(l, SQL_PENDING_JOBS, 1, p, job_row, &w, d);
}

/* One unprinted document to the caller's function (vc__lrow_fn). */
static bool doc_row(const char *const *c, int n, void *ud) {
  walk_t *w = ud;
  if (n < 9) return false;
  vc_ledger_unprinted_t u = {
      .doc_id = c[0] ? strtoll(c[0], NULL, 10) : 0, .serial = c[1],
      .template_path = c[2], .template_hash = c[3], .key = c[4],
      .name = c[5], .queue = c[6], .job_id = c[7], .job_state = c[8]};
  w->given++;
  return w->fn.doc(&u, w->ud);
}

long vc_ledger_unprinted(vc_ledger_t *l, const char *template_path,
                         vc_ledger_unprinted_fn fn, void *ud, vc_diag_t *d) {
  walk_t w = {.fn.doc = fn, .ud = ud};
  const char *p[1] = {template_path};
  return read_walk(l, SQL_UNPRINTED, 1, p, doc_row, &w, d);
}

/* ---- a print desk's questions (issue 12) ---- */

/* The print events of a template's documents, newest first, of one job
 * (this host's: a job id is its CUPS's) or of all; reprint: an earlier
 * print of the same document completed. */
static const char SQL_PRINTS[] =
    "SELECT e.id, e.doc_id, e.at, e.kind, d.serial, d.template_path,"
    " d.record_key, d.name, d.state, e.operator, e.host, e.reason, e.queue,"
    " e.job_id, e.job_state, CASE WHEN EXISTS (SELECT 1 FROM events p WHERE"
    " p.doc_id = e.doc_id AND p.kind = 'print' AND p.job_state = 'completed'"
    " AND p.id < e.id) THEN 1 ELSE 0 END FROM events e JOIN documents d ON"
    " d.id = e.doc_id WHERE e.kind = 'print' AND d.template_path = $1"
    " AND (CAST($2 AS TEXT) IS NULL OR (e.queue = $2 AND e.job_id = $3"
    " AND e.host = $4)) ORDER BY e.id DESC LIMIT CAST($5 AS BIGINT)";
static const char SQL_PRINTED_KEYS[] =
    "SELECT d.record_key FROM documents d WHERE d.state = 'issued' AND"
    " d.template_path = $1 AND EXISTS (SELECT 1 FROM events c WHERE c.doc_id ="
    " d.id AND c.kind = 'print' AND c.job_state = 'completed')";

/* One print event to the caller's function (vc__lrow_fn). */
static bool print_row(const char *const *c, int n, void *ud) {
  walk_t *w = ud;
  if (n < 16) return false;
  vc_ledger_row_t r = {
      .event_id = num(c[0]), .doc_id = num(c[1]), .at = num(c[2]),
      .kind = c[3], .serial = c[4], .template_path = c[5], .key = c[6],
      .name = c[7], .state = c[8], .operator_name = c[9], .host = c[10],
      .reason = c[11], .queue = c[12], .job_id = c[13], .job_state = c[14]};
  w->given++;
  return w->fn.print(&r, num(c[15]) != 0, w->ud);
}

long vc_ledger_prints(vc_ledger_t *l, const char *template_path, const char *queue,
                      const char *job_id, long limit, vc_ledger_print_fn fn, void *ud,
                      vc_diag_t *d) {
  walk_t w = {.fn.print = fn, .ud = ud};
  char lim[24];
  snprintf(lim, sizeof lim, "%ld", limit > 0 ? limit : 1000000000L);
  const char *p[5] = {template_path, queue, job_id, l->host, lim};
  return read_walk(l, SQL_PRINTS, 5, p, print_row, &w, d);
}

/* One key to the caller's function (vc__lrow_fn). */
static bool key_row(const char *const *c, int n, void *ud) {
  walk_t *w = ud;
  if (n < 1 || !c[0]) return true;
  w->given++;
  return w->fn.key(c[0], w->ud);
}

long vc_ledger_printed_keys(vc_ledger_t *l, const char *template_path, vc_ledger_key_fn fn,
                            void *ud, vc_diag_t *d) {
  walk_t w = {.fn.key = fn, .ud = ud};
  const char *p[1] = {template_path};
  return read_walk(l, SQL_PRINTED_KEYS, 1, p, key_row, &w, d);
}
