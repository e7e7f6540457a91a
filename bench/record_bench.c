/*
 * record_bench.c - one certificate page rendered to memory through the
 * public API (vc_record_render), as the kiosk's preview and print path
 * calls it: the template and list loaded once, then N renders of records
 * in turn after a warm-up, each timed alone.  Only vncert.h.
 *
 * Usage: record_bench TEMPLATE LIST FONTS_DIR [N=200]
 * Prints "record: N renders  median M ms  max X ms  cpu C ms  size B
 * bytes": wall time (median, slowest) and the median CPU time of the
 * rendering thread, which a busy machine does not inflate.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "vncert.h"

static double now_ms(clockid_t clock) {
  struct timespec ts;
  clock_gettime(clock, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  if (argc < 4 || argc > 5) {
    fprintf(stderr, "usage: %s TEMPLATE LIST FONTS_DIR [N]\n", argv[0]);
    return 2;
  }
  long n = argc == 5 ? atol(argv[4]) : 200;
  if (n < 1) n = 1;
  vc_diag_t *d = vc_diag_create();
  vc_engine_t *e = d ? vc_engine_create(argv[1], argv[3], d) : NULL;
  vc_data_t *data = e ? vc_data_load(e, argv[2], NULL, d) : NULL;
  double *ms = malloc((size_t)n * sizeof *ms), *cpu = malloc((size_t)n * sizeof *cpu);
  if (!data || !ms || !cpu || vc_data_count(data) < 1) {
    vc_diag_print(d, stderr);
    return 1;
  }
  long rows = vc_data_count(data);
  size_t size = 0;
  for (long i = -20; i < n; i++) { /* 20 renders of warm-up, not timed */
    unsigned char *pdf;
    size_t len;
    double t0 = now_ms(CLOCK_MONOTONIC), c0 = now_ms(CLOCK_THREAD_CPUTIME_ID);
    vc_status_t st = vc_record_render(e, data, (i + 20) % rows, &pdf, &len, d);
    double t1 = now_ms(CLOCK_MONOTONIC), c1 = now_ms(CLOCK_THREAD_CPUTIME_ID);
    if (st != VC_OK) {
      vc_diag_print(d, stderr);
      return 1;
    }
    free(pdf);
    if (i >= 0) ms[i] = t1 - t0, cpu[i] = c1 - c0;
    size = len;
  }
  qsort(ms, (size_t)n, sizeof *ms, cmp_double);
  qsort(cpu, (size_t)n, sizeof *cpu, cmp_double);
  printf("record: %ld renders  median %.2f ms  max %.2f ms  cpu %.2f ms  size %zu bytes\n", n,
         ms[n / 2], ms[n - 1], cpu[n / 2], size);
  free(ms);
  free(cpu);
  vc_data_free(data);
  vc_engine_free(e);
  vc_diag_free(d);
  return 0;
}
