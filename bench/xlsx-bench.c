/*
 * xlsx-bench.c - the workbook reader's benchmark (issue #3, point 9).
 *
 *   xlsx-bench gen IN.csv OUT.xlsx   the CSV as an Excel file, written by
 *                                    libxlsxwriter: text cells in shared
 *                                    strings, so_tien as a number formatted
 *                                    "#,##0" (as Excel itself writes it)
 *   xlsx-bench read FILE [RUNS]      reads FILE with vc_workbook_read_mem
 *                                    RUNS times (default 3); prints the
 *                                    median time, rows/s and peak memory
 *
 * Build: cc -O2 -Isrc bench/xlsx-bench.c build/libvncert.a $(pkg-config
 * --libs ... libzip expat xlsxwriter) -lcsv -lm
 */
#include <csv.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <xlsxwriter.h>

#include "core/diag.h"
#include "input/workbook.h"
#include "records/table.h"

static char *slurp(const char *path, size_t *len) {
  FILE *fp = fopen(path, "rb");
  if (!fp) return NULL;
  fseek(fp, 0, SEEK_END);
  long n = ftell(fp);
  fseek(fp, 0, SEEK_SET);
  char *b = malloc((size_t)n + 1);
  if (b && fread(b, 1, (size_t)n, fp) != (size_t)n) {
    free(b);
    b = NULL;
  }
  fclose(fp);
  *len = (size_t)n;
  return b;
}

typedef struct {
  lxw_worksheet *ws;
  lxw_format *money;
  lxw_row_t row;
  lxw_col_t col;
  int money_col;
} gen_t;

static void on_field(void *s, size_t n, void *ud) {
  gen_t *g = ud;
  char *v = malloc(n + 1);
  memcpy(v, s, n);
  v[n] = '\0';
  if (g->row > 0 && (int)g->col == g->money_col)
    worksheet_write_number(g->ws, g->row, g->col, strtod(v, NULL), g->money);
  else
    worksheet_write_string(g->ws, g->row, g->col, v, NULL);
  if (g->row == 0 && !strcmp(v, "so_tien")) g->money_col = (int)g->col;
  free(v);
  g->col++;
}

static void on_row(int c, void *ud) {
  gen_t *g = ud;
  g->row++;
  g->col = 0;
}

static int gen(const char *in, const char *out) {
  size_t len;
  char *b = slurp(in, &len);
  if (!b) return 1;
  lxw_workbook *wb = workbook_new(out);
  gen_t g = {workbook_add_worksheet(wb, "Danh s\xc3\xa1" "ch"), workbook_add_format(wb), 0, 0, -1};
  format_set_num_format(g.money, "#,##0");
  struct csv_parser p;
  csv_init(&p, 0);
  csv_parse(&p, b, len, on_field, on_row, &g);
  csv_fini(&p, on_field, on_row, &g);
  csv_free(&p);
  free(b);
  return workbook_close(wb) == LXW_NO_ERROR ? 0 : 1;
}

static double clock_s(clockid_t id) {
  struct timespec ts;
  clock_gettime(id, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static int readbench(const char *path, int runs) {
  size_t len;
  char *b = slurp(path, &len);
  if (!b) return 1;
  double t[64], cpu[64];
  long rows = 0;
  if (runs < 1) runs = 1;
  if (runs > 64) runs = 64;
  for (int i = 0; i < runs; i++) {
    vc_diag_t *d = vc_diag_create();
    double t0 = clock_s(CLOCK_MONOTONIC), c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
    vc_table_t *tab = vc_workbook_read_mem(b, len, path, NULL, d);
    t[i] = clock_s(CLOCK_MONOTONIC) - t0;
    cpu[i] = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
    if (!tab) {
      vc_diag_print(d, stderr);
      return 1;
    }
    rows = vc_table_nrows(tab);
    vc_table_free(tab);
    vc_diag_free(d);
  }
  qsort(t, (size_t)runs, sizeof t[0], cmp);
  qsort(cpu, (size_t)runs, sizeof cpu[0], cmp);
  double med = t[runs / 2];
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  printf("xlsx read: %ld rows, %zu bytes, median %.3f s of %d (CPU %.3f s), %.0f rows/s, "
         "peak RSS %ld MB\n",
         rows, len, med, runs, cpu[runs / 2], rows / med, ru.ru_maxrss / 1024);
  free(b);
  return 0;
}

int main(int argc, char **argv) {
  setlocale(LC_ALL, "C"); /* libxlsxwriter prints numbers with the locale's mark */
  if (argc == 4 && !strcmp(argv[1], "gen")) return gen(argv[2], argv[3]);
  if ((argc == 3 || argc == 4) && !strcmp(argv[1], "read"))
    return readbench(argv[2], argc == 4 ? atoi(argv[3]) : 3);
  fprintf(stderr, "usage: xlsx-bench gen IN.csv OUT.xlsx | read FILE [RUNS]\n");
  return 2;
}
