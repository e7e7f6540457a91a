/*
 * ledger_bench.c - the ledger's speed (issue 9, point 8), for `make bench`.
 *
 *   ledger_bench [--pg] [--pairs N] [--docs N] [--chunk N] [--runs N]
 *   ledger_bench --query LEDGER [--docs N]   only the queries (2.), on a
 *                big ledger this bench made and kept (--keep: its folder
 *                and PostgreSQL server are left, and named, at the end)
 *
 * 1. N (10,000) reserve+confirm pairs, in chunks of 500 (one reserve and
 *    one confirm transaction each), in a new ledger, on one thread: what the
 *    ledger's work costs.  Not a target by itself: a batch does it on a
 *    second thread while it draws (job/issue.c), and what that adds to a
 *    batch is measured by bench/run.sh (issue 9, point 8).
 * 2. A ledger of 1,000,000 events (250,000 documents issued through the API,
 *    then three print events each), then `vncert log` queries by key and by
 *    a person's name (median and slowest of 50 each).
 * SQLite in a temporary folder; with --pg the same against a PostgreSQL
 * server started by tests/tools/pg-server.sh (fsync on) in another.
 * Prints one line per measurement, and "met"/"MISSED" for the queries'
 * target: each under 50 ms.  Exit 1 only when a step failed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>
#include <sqlite3.h>

#include "ledger/ledger.h"

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static const char *HO[] = {"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh",
                           "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ",
                           "Ngô", "Dương", "Lý"};
static const char *DEM[] = {"Thị", "Văn", "Minh", "Thu", "Ngọc", "Hữu",
                            "Thanh", "Đức", "Gia", "Bảo", "Phương", "Quốc"};
static const char *TEN[] = {"An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Hải",
                            "Hạnh", "Hiếu", "Hoa", "Hùng", "Hương", "Khánh",
                            "Lan", "Linh", "Long", "Mai", "Minh", "Nam", "Ngân",
                            "Nhung", "Phong", "Phúc", "Quân", "Quỳnh", "Sơn",
                            "Tâm", "Thảo", "Thắng", "Trang", "Trung", "Tuấn",
                            "Uyên", "Vân", "Việt", "Yến"};
#define N_OF(a) (sizeof a / sizeof a[0])

/* The i-th recipient: key, name, values. */
typedef struct rec {
  char key[16], name[96], lop[8], money[16];
  vc_ledger_field_t f[5];
  vc_ledger_req_t q;
} rec_t;

static void make_rec(rec_t *r, long i, const char *hash) {
  unsigned long h = (unsigned long)i * 2654435761UL;
  snprintf(r->key, sizeof r->key, "HS%07ld", i);
  snprintf(r->name, sizeof r->name, "%s %s %s %s", HO[h % N_OF(HO)],
           DEM[(h >> 8) % N_OF(DEM)], DEM[(h >> 13) % N_OF(DEM)],
           TEN[(h >> 17) % N_OF(TEN)]);
  snprintf(r->lop, sizeof r->lop, "%ld%c", 1 + (long)(h >> 21) % 12,
           'A' + (int)((h >> 25) % 6));
  snprintf(r->money, sizeof r->money, "%ld.000", 100 + (long)(h >> 5) % 900);
  r->f[0] = (vc_ledger_field_t){"ma_hs", r->key};
  r->f[1] = (vc_ledger_field_t){"ho_ten", r->name};
  r->f[2] = (vc_ledger_field_t){"lop", r->lop};
  r->f[3] = (vc_ledger_field_t){"thanh_tich", "Học sinh giỏi"};
  r->f[4] = (vc_ledger_field_t){"so_tien", r->money};
  r->q = (vc_ledger_req_t){.template_path = "giay-khen.yaml",
                           .template_hash = hash,
                           .pattern = "{year}/GK-{seq:06}", .key = r->key,
                           .name = r->name, .fields = r->f, .nfields = 5};
}

/* Issues records [from, to) in chunks: reserve, (files), confirm. */
static int issue(vc_ledger_t *l, long from, long to, long chunk, vc_diag_t *d) {
  static const char *hash =
      "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
  rec_t *r = malloc((size_t)chunk * sizeof *r);
  vc_ledger_req_t *q = malloc((size_t)chunk * sizeof *q);
  vc_ledger_ticket_t *t = malloc((size_t)chunk * sizeof *t);
  int rc = r && q && t ? 0 : 1;
  for (long s = from; rc == 0 && s < to; s += chunk) {
    long n = to - s < chunk ? to - s : chunk;
    for (long i = 0; i < n; i++) {
      make_rec(&r[i], s + i, hash);
      q[i] = r[i].q;
    }
    if (vc_ledger_reserve(l, q, (size_t)n, t, d) != VC_OK ||
        vc_ledger_confirm(l, t, (size_t)n, d) != VC_OK)
      rc = 1;
  }
  free(r);
  free(q);
  free(t);
  return rc;
}

static bool count(const vc_ledger_row_t *r, void *ud) {
  (void)r;
  (*(long *)ud)++;
  return true;
}

static double cpu_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int cmp_d(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static int targets_met, targets_missed;
static void target(const char *what, double got, double limit) {
  bool ok = got <= limit;
  printf("  %-58s %9.1f ms  (target %.0f ms) %s\n", what, got, limit,
         ok ? "met" : "MISSED");
  if (ok) targets_met++;
  else targets_missed++;
}

static double thread_cpu_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* 50 queries of one kind; median and slowest against 50 ms (wall), with
 * this process's CPU time for each beside (a loaded machine stretches the
 * first; the server's share is not in the second). */
static int queries(vc_ledger_t *l, long docs, bool by_name, vc_diag_t *d) {
  double t[50], cpu[50];
  long rows = 0;
  for (int k = 0; k < 50; k++) {
    rec_t r;
    make_rec(&r, (long)((unsigned long)(k + 1) * 7919UL % (unsigned long)docs), "");
    vc_ledger_filter_t f = {0};
    if (by_name) f.name = r.name;
    else f.key = r.key;
    double a = now_ms(), c = thread_cpu_ms();
    long n = 0;
    if (vc_ledger_log(l, &f, count, &n, d) < 0) return 1;
    t[k] = now_ms() - a;
    cpu[k] = thread_cpu_ms() - c;
    rows += n;
  }
  qsort(t, 50, sizeof t[0], cmp_d);
  qsort(cpu, 50, sizeof cpu[0], cmp_d);
  char what[120];
  snprintf(what, sizeof what, "log by %s, median of 50 (%.1f rows each)",
           by_name ? "full name" : "key", (double)rows / 50);
  target(what, t[25], 50);
  snprintf(what, sizeof what, "log by %s, slowest of 50", by_name ? "full name" : "key");
  target(what, t[49], 50);
  printf("  %-58s %9.1f / %.1f ms\n", "  the same, this process's CPU time, median / slowest",
         cpu[25], cpu[49]);
  return 0;
}

/* Adds three print events per document with one statement per backend. */
static int more_events(const char *where, bool pg) {
  static const char *sql =
      "INSERT INTO events(doc_id, kind, at, day, operator, host, queue, job_id,"
      " job_state) SELECT d.id, 'print', d.issued_at + k.n, d.issued_day,"
      " 'bench', 'bench', 'P1', 'J', 'completed' FROM documents d, (SELECT 1"
      " AS n UNION ALL SELECT 2 UNION ALL SELECT 3) k ORDER BY d.id, k.n";
  if (pg) {
    PGconn *c = PQconnectdb(where);
    PGresult *r = PQexec(c, sql);
    int rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : 1;
    if (rc) fprintf(stderr, "%s", PQerrorMessage(c));
    PQclear(r);
    /* what autovacuum does to a ledger in use (inserts trigger it since
     * PostgreSQL 13): statistics, and the visibility map that lets the
     * name search read name_words' index alone */
    if (!rc) PQclear(PQexec(c, "VACUUM ANALYZE"));
    PQfinish(c);
    return rc;
  }
  sqlite3 *db;
  if (sqlite3_open(where, &db) != SQLITE_OK) return 1;
  int rc = sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : 1;
  if (!rc) sqlite3_exec(db, "ANALYZE", NULL, NULL, NULL);
  sqlite3_close(db);
  return rc;
}

static int run(const char *label, const char *pairs_where, const char *big_where,
               bool pg, long pairs, long docs, long chunk, int runs) {
  vc_diag_t *d = vc_diag_create();
  vc_ledger_opts_t o = {.create = true, .operator_name = "bench", .host = "bench"};
  int rc = 0;
  printf("%s:\n", label);
  double best = 1e30, best_cpu = 1e30;
  for (int k = 0; k < runs && rc == 0; k++) {
    char where[600];
    snprintf(where, sizeof where, pg ? "%s%d" : "%s-%d", pairs_where, k);
    vc_ledger_t *l = vc_ledger_open(where, &o, d);
    if (!l) { rc = 1; break; }
    double a = now_ms(), c = cpu_ms();
    rc = issue(l, 0, pairs, chunk, d);
    double t = now_ms() - a;
    if (t < best) best = t;
    if (cpu_ms() - c < best_cpu) best_cpu = cpu_ms() - c;
    vc_ledger_close(l);
  }
  char what[120];
  snprintf(what, sizeof what, "reserve+confirm per 10,000 (%ld, chunks of %ld, best of %d)",
           pairs, chunk, runs);
  if (rc == 0) printf("  %-58s %9.1f ms\n", what, best * 10000.0 / (double)pairs);
  /* the machine's load stretches wall time; this process's own CPU time
   * (the server's is not in it) says what the ledger code costs */
  if (rc == 0)
    printf("  %-58s %9.1f ms\n", "  the same per 10,000, this process's CPU time",
           best_cpu * 10000.0 / (double)pairs);
  vc_ledger_t *l = rc ? NULL : vc_ledger_open(big_where, &o, d);
  if (l) {
    double a = now_ms();
    rc = issue(l, 0, docs, 5000, d);
    char made[80];
    snprintf(made, sizeof made, "%ld documents issued (making the big ledger)", docs);
    printf("  %-58s %9.0f ms\n", made, now_ms() - a);
    vc_ledger_close(l);
    if (rc == 0) rc = more_events(big_where, pg);
    vc_ledger_opts_t ro = {.read_only = true};
    l = rc ? NULL : vc_ledger_open(big_where, &ro, d);
    long n = 0;
    vc_ledger_filter_t all = {0};
    if (l && vc_ledger_log(l, &all, count, &n, d) >= 0)
      printf("  %-58s %9ld\n", "events in the big ledger", n);
    if (l) rc = queries(l, docs, false, d) || queries(l, docs, true, d);
    vc_ledger_close(l);
  }
  if (vc_diag_count(d)) {
    vc_diag_print(d, stderr);
    rc = 1;
  }
  vc_diag_free(d);
  return rc;
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IOLBF, 0); /* lines show as they come */
  long pairs = 10000, docs = 250000, chunk = 500;
  int runs = 3;
  bool pg = false, keep = false;
  const char *query = NULL;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--pg")) pg = true;
    else if (i + 1 < argc && !strcmp(argv[i], "--query")) query = argv[++i];
    else if (!strcmp(argv[i], "--keep")) keep = true;
    else if (i + 1 < argc && !strcmp(argv[i], "--pairs")) pairs = atol(argv[++i]);
    else if (i + 1 < argc && !strcmp(argv[i], "--docs")) docs = atol(argv[++i]);
    else if (i + 1 < argc && !strcmp(argv[i], "--chunk")) chunk = atol(argv[++i]);
    else if (i + 1 < argc && !strcmp(argv[i], "--runs")) runs = atoi(argv[++i]);
    else {
      fprintf(stderr, "usage: %s [--pg] [--pairs N] [--docs N] [--chunk N] [--runs N]\n",
              argv[0]);
      return 2;
    }
  }
  if (pairs < 1 || docs < 100 || chunk < 1 || runs < 1) return 2;
  if (query) {
    vc_diag_t *d = vc_diag_create();
    vc_ledger_opts_t ro = {.read_only = true};
    vc_ledger_t *l = vc_ledger_open(query, &ro, d);
    int rc = !l || queries(l, docs, false, d) || queries(l, docs, true, d);
    if (vc_diag_count(d)) vc_diag_print(d, stderr);
    vc_ledger_close(l);
    vc_diag_free(d);
    printf("ledger bench: %d targets met, %d missed\n", targets_met, targets_missed);
    return rc;
  }
  char dir[] = "/tmp/vclb.XXXXXX";
  if (!mkdtemp(dir)) return 1;
  char a[600], b[600], cmd[800];
  snprintf(a, sizeof a, "%s/pairs.sqlite", dir);
  snprintf(b, sizeof b, "%s/big.sqlite", dir);
  int rc = run("ledger on SQLite (a file, WAL, synchronous=FULL)", a, b, false,
               pairs, docs, chunk, runs);
  if (pg && rc == 0) {
    snprintf(cmd, sizeof cmd, "chmod 755 %s && FSYNC=on tests/tools/pg-server.sh "
             "start %s/pg", dir, dir);
    FILE *p = popen(cmd, "r");
    char conn[512] = "";
    if (!p || !fgets(conn, sizeof conn, p)) rc = 1;
    if (p && pclose(p) != 0) rc = 1;
    conn[strcspn(conn, "\n")] = '\0';
    PGconn *c = rc ? NULL : PQconnectdb(conn);
    for (int k = 0; c && k < runs; k++) {
      char sql[64];
      snprintf(sql, sizeof sql, "CREATE DATABASE pairs%d", k);
      PQclear(PQexec(c, sql));
    }
    if (c) PQclear(PQexec(c, "CREATE DATABASE big"));
    PQfinish(c);
    char *db = strstr(conn, "dbname=");
    if (db) *db = '\0';
    snprintf(a, sizeof a, "%sdbname=pairs", conn);
    snprintf(b, sizeof b, "%sdbname=big", conn);
    if (rc == 0)
      rc = run("ledger on PostgreSQL 15 (local socket, fsync on)", a, b, true,
               pairs, docs, chunk, runs);
    snprintf(cmd, sizeof cmd, "tests/tools/pg-server.sh stop %s/pg", dir);
    if (!keep && system(cmd) != 0) rc = 1;
    if (keep) printf("kept: PostgreSQL %s (stop: %s)\n", b, cmd);
  }
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  if (keep) printf("kept: %s (remove: %s)\n", dir, cmd);
  else if (system(cmd) != 0) rc = 1;
  printf("ledger bench: %d targets met, %d missed\n", targets_met, targets_missed);
  return rc;
}
