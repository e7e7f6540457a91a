/*
 * xlsx-gen.c - writes the small Excel files of the end-to-end tests
 * (tests/e2e/data-tests.sh) with libxlsxwriter, as Excel would store them.
 *
 * Usage: xlsx-gen OUT.xlsx < SPEC
 * SPEC is UTF-8 text, one line each:
 *   sheet NAME       start a worksheet (the first line must be one)
 *   hide             hide the current worksheet
 *   activate         make it the sheet Excel opens at (needed when the
 *                    first one is hidden)
 *   anything else    one row: cells separated by TABs, each
 *                      text              a text cell (shared string)
 *                      =n|NUMBER|FORMAT  a number, shown through FORMAT
 *                                        ("" = General)
 *                      =d|YYYY-MM-DD|FORMAT  a date (a number with a date
 *                                        format, as Excel keeps dates)
 *                    an empty cell is left out; an empty line is an empty row
 * Exit 0 when written, 1 on a bad spec or a write error (message on stderr).
 * Built by the tests with: cc -o xlsx-gen xlsx-gen.c $(pkg-config --cflags
 * --libs xlsxwriter).  Not part of vncert.
 */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#define MAX_FORMATS 32

static lxw_workbook *wb;
static char *fmt_code[MAX_FORMATS];
static lxw_format *fmt_obj[MAX_FORMATS];
static int nfmt;

/* The format object for a number format code, made once per code. */
static lxw_format *format_for(const char *code) {
  if (!*code) return NULL;
  for (int i = 0; i < nfmt; i++)
    if (!strcmp(fmt_code[i], code)) return fmt_obj[i];
  if (nfmt == MAX_FORMATS) return NULL;
  fmt_code[nfmt] = strdup(code);
  fmt_obj[nfmt] = workbook_add_format(wb);
  format_set_num_format(fmt_obj[nfmt], code);
  return fmt_obj[nfmt++];
}

static int cell(lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, char *v) {
  if (!*v) return 0;
  if (v[0] == '=' && (v[1] == 'n' || v[1] == 'd') && v[2] == '|') {
    char *val = v + 3, *code = strchr(val, '|');
    if (!code) return -1;
    *code++ = '\0';
    if (v[1] == 'n')
      return worksheet_write_number(ws, r, c, strtod(val, NULL), format_for(code)) ? -1 : 0;
    lxw_datetime dt = {0, 0, 0, 0, 0, 0};
    if (sscanf(val, "%d-%d-%d", &dt.year, &dt.month, &dt.day) != 3) return -1;
    return worksheet_write_datetime(ws, r, c, &dt, format_for(code)) ? -1 : 0;
  }
  return worksheet_write_string(ws, r, c, v, NULL) ? -1 : 0;
}

int main(int argc, char **argv) {
  setlocale(LC_ALL, "C"); /* numbers in the XML with '.', whatever LC_ALL says */
  if (argc != 2) {
    fprintf(stderr, "usage: xlsx-gen OUT.xlsx < SPEC\n");
    return 2;
  }
  wb = workbook_new(argv[1]);
  if (!wb) return 1;
  lxw_worksheet *ws = NULL;
  lxw_row_t row = 0;
  char line[65536];
  int lineno = 0;
  while (fgets(line, sizeof line, stdin)) {
    lineno++;
    line[strcspn(line, "\r\n")] = '\0';
    if (!strncmp(line, "sheet ", 6)) {
      ws = workbook_add_worksheet(wb, line + 6);
      row = 0;
      if (!ws) {
        fprintf(stderr, "xlsx-gen: line %d: bad sheet name\n", lineno);
        return 1;
      }
      continue;
    }
    if (!ws) {
      fprintf(stderr, "xlsx-gen: line %d: no 'sheet NAME' before it\n", lineno);
      return 1;
    }
    if (!strcmp(line, "hide")) {
      worksheet_hide(ws);
      continue;
    }
    if (!strcmp(line, "activate")) {
      worksheet_activate(ws);
      worksheet_set_first_sheet(ws);
      continue;
    }
    lxw_col_t col = 0;
    char *p = line;
    for (;;) {
      char *tab = strchr(p, '\t');
      if (tab) *tab = '\0';
      if (cell(ws, row, col, p)) {
        fprintf(stderr, "xlsx-gen: line %d: bad cell '%s'\n", lineno, p);
        return 1;
      }
      col++;
      if (!tab) break;
      p = tab + 1;
    }
    row++;
  }
  lxw_error e = workbook_close(wb);
  if (e != LXW_NO_ERROR) {
    fprintf(stderr, "xlsx-gen: %s\n", lxw_strerror(e));
    return 1;
  }
  return 0;
}
