/*
 * read_bench.c - how fast vc_input_read turns a list into a table, per
 * encoding path (issue 3, point 9).
 *
 * Usage: read_bench FILE [RUNS=5] [ENCODING]
 * Reads FILE RUNS times with vc_input_read and prints one line:
 *   FILE  ENCODING-USED  ROWS rows  median S s  R rows/s  peak P MB
 * The median wall time of the runs is reported; peak is the process's
 * largest resident set (ru_maxrss) after the first run (later runs only
 * show what malloc kept), so run one file per process to compare paths.
 * Exit 1 when the file cannot be read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include "core/diag.h"
#include "input/reader.h"
#include "records/table.h"

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s FILE [RUNS] [ENCODING]\n", argv[0]);
    return 2;
  }
  int runs = argc > 2 ? atoi(argv[2]) : 5;
  if (runs < 1 || runs > 1000) runs = 5;
  vc_read_opts_t opts = {.encoding = argc > 3 ? argv[3] : NULL};
  double *t = calloc((size_t)runs, sizeof *t);
  if (!t) return 1;
  long rows = 0;
  struct rusage ru;
  vc_read_info_t info = {0};
  for (int i = 0; i < runs; i++) {
    vc_diag_t *d = vc_diag_create();
    double t0 = now();
    vc_table_t *tab = vc_input_read(argv[1], &opts, &info, d);
    t[i] = now() - t0;
    if (!tab) {
      vc_diag_print(d, stderr);
      vc_diag_free(d);
      free(t);
      return 1;
    }
    rows = vc_table_nrows(tab);
    vc_table_free(tab);
    vc_diag_free(d);
    if (i == 0) getrusage(RUSAGE_SELF, &ru);
  }
  qsort(t, (size_t)runs, sizeof *t, cmp_double);
  double med = t[runs / 2];
  /* the C locale's printf: '.' decimals whatever LC_ALL says */
  printf("%s  %s  %ld rows  median %.4f s  %.0f rows/s  peak %.1f MB\n", argv[1],
         info.encoding, rows, med, med > 0 ? (double)rows / med : 0.0,
         (double)ru.ru_maxrss / 1024.0);
  free(t);
  return 0;
}
