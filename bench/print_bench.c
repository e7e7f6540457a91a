/*
 * print_bench.c - how long sending one certificate to CUPS takes, from the
 * start (connecting to the server) to the job accepted by CUPS (issue 10,
 * point 7: under 150 ms).
 *
 * Usage: print_bench SERVER QUEUE PDF [RUNS=20]
 *   SERVER  "host:port" of a CUPS scheduler (tests/tools/cups-server.sh start
 *           DIR starts one with a queue "pdf"), "" for CUPS's default
 *   PDF     a one-page PDF (one certificate), read into memory first
 * Each run opens a connection, checks the queue, sends the PDF from memory
 * as a job (vc_print_submit_mem): that is timed; then it waits, untimed,
 * for the job to complete and closes.  Prints one line:
 *   print: RUNS runs  median M ms  min A ms  max B ms  (target < 150 ms: met|MISSED)
 * The printing itself (pdftopdf, the device) comes after "accepted" and is
 * not timed.  Exit 1 when a run fails (its messages on stderr).
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "core/diag.h"
#include "print/print.h"

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* The whole file in memory (caller frees); NULL when it cannot be read. */
static unsigned char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 1 << 16, n = 0, got;
  unsigned char *buf = malloc(cap);
  while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
    n += got;
    if (n == cap) {
      unsigned char *nb = realloc(buf, cap *= 2);
      if (!nb) free(buf);
      buf = nb;
    }
  }
  fclose(f);
  *len = n;
  return buf;
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: %s SERVER QUEUE PDF [RUNS]\n", argv[0]);
    return 2;
  }
  int runs = argc > 4 ? atoi(argv[4]) : 20;
  if (runs < 1 || runs > 1000) runs = 20;
  size_t len;
  unsigned char *pdf = slurp(argv[3], &len);
  double *ms = calloc((size_t)runs, sizeof *ms);
  vc_diag_t *d = vc_diag_create();
  if (!pdf || !ms || !d) {
    fprintf(stderr, "%s: cannot read %s\n", argv[0], argv[3]);
    return 1;
  }
  for (int i = 0; i < runs; i++) {
    double t0 = now_ms();
    vc_print_t *p = vc_print_open(argv[1], d);
    vc_print_result_t res = {0};
    if (p) vc_print_submit_mem(p, argv[2], pdf, len, "print_bench", NULL, &res, d);
    ms[i] = now_ms() - t0;
    /* Untimed: the job printed before the next run, so each run meets an
     * idle scheduler, as one certificate does (not one run's pdftopdf
     * competing with the next run's request). */
    vc_print_follow_t f = {.poll_ms = 20};
    if (p && res.outcome == VC_PRINT_ACCEPTED) vc_print_follow(p, argv[2], &f, &res, d);
    vc_print_close(p);
    if (vc_diag_count(d) || res.outcome != VC_PRINT_COMPLETED) {
      vc_diag_print(d, stderr);
      return 1;
    }
  }
  qsort(ms, (size_t)runs, sizeof *ms, cmp_double);
  printf("print: %d runs  median %.1f ms  min %.1f ms  max %.1f ms  (target < 150 ms: %s)\n",
         runs, ms[runs / 2], ms[0], ms[runs - 1], ms[runs / 2] < 150 ? "met" : "MISSED");
  free(ms);
  free(pdf);
  vc_diag_free(d);
  return 0;
}
