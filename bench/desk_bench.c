/*
 * desk_bench.c - the kiosk's preview (issue 12, point 2): a print desk
 * opened on a template and a list (a new ledger in a scratch folder; no
 * printer is asked), then N previews of records in turn as 1000-pixel PNGs
 * (draw the page to PDF, poppler renders it, PNG encoded), each timed
 * alone after a warm-up.  Only vncert.h.
 *
 * Usage: desk_bench TEMPLATE LIST FONTS_DIR [N=50]
 * Prints "desk: N previews 1000 px  median M ms  max X ms  cpu C ms  png B
 * bytes".
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
  long n = argc == 5 ? atol(argv[4]) : 50;
  if (n < 1) n = 1;
  char dir[] = "/tmp/vncert-desk-bench.XXXXXX", ledger[64];
  if (!mkdtemp(dir)) return 1;
  snprintf(ledger, sizeof ledger, "%s/ledger.sqlite", dir);
  vc_diag_t *d = vc_diag_create();
  vc_desk_opts_t o = {.template_path = argv[1], .data_path = argv[2], .fonts_dir = argv[3],
                      .ledger = ledger, .queue = "none", .cups_server = "127.0.0.1:1"};
  vc_desk_t *k = d ? vc_desk_open(&o, d) : NULL;
  long rows = k ? vc_desk_count(k) : 0;
  double *ms = malloc((size_t)n * sizeof *ms), *cpu = malloc((size_t)n * sizeof *cpu);
  vc_desk_hit_t *hits = rows > 0 ? calloc((size_t)rows, sizeof *hits) : NULL;
  if (!k || !ms || !cpu || !hits) {
    vc_diag_print(d, stderr);
    return 1;
  }
  /* the keys a kiosk holds: from searches, as its screen gets them */
  long nkeys = vc_desk_search(k, "thi", hits, rows, d);
  if (nkeys < 1) nkeys = vc_desk_search(k, "van", hits, rows, d);
  if (nkeys < 1) {
    fprintf(stderr, "desk_bench: no record found by searching 'thi' or 'van'\n");
    return 1;
  }
  size_t size = 0;
  for (long i = -5; i < n; i++) { /* 5 previews of warm-up, not timed */
    unsigned char *png;
    size_t len;
    double t0 = now_ms(CLOCK_MONOTONIC), c0 = now_ms(CLOCK_THREAD_CPUTIME_ID);
    vc_status_t st = vc_desk_preview(k, hits[(i + 5) % nkeys].key, 1000, &png, &len, d);
    double t1 = now_ms(CLOCK_MONOTONIC), c1 = now_ms(CLOCK_THREAD_CPUTIME_ID);
    if (st != VC_OK) {
      vc_diag_print(d, stderr);
      return 1;
    }
    free(png);
    if (i >= 0) ms[i] = t1 - t0, cpu[i] = c1 - c0;
    size = len;
  }
  qsort(ms, (size_t)n, sizeof *ms, cmp_double);
  qsort(cpu, (size_t)n, sizeof *cpu, cmp_double);
  printf("desk: %ld previews 1000 px  median %.2f ms  max %.2f ms  cpu %.2f ms  png %zu bytes\n",
         n, ms[n / 2], ms[n - 1], cpu[n / 2], size);
  free(ms);
  free(cpu);
  free(hits);
  vc_desk_free(k);
  vc_diag_free(d);
  remove(ledger);
  remove(dir);
  return 0;
}
