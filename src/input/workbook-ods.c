/*
 * workbook-ods.c - OpenDocument spreadsheets (.ods, LibreOffice Calc): the
 * sheets are the top-level table:table elements of content.xml.
 *
 * Decisions:
 *  - a cell shows its paragraphs (<text:p>, joined by a line break that
 *    cleaning turns into a space): that is the text Calc displayed when it
 *    saved, with the number formats of the author's locale already applied.
 *    Two exceptions: a date cell is shown as dd/mm/yyyy from its
 *    office:date-value (as xlsx dates are: a month-first display would be
 *    misread), and a cell with no paragraph falls back to its value;
 *  - repeated rows and cells (table:number-rows-repeated, LibreOffice writes
 *    a million empty rows at the end) are never expanded when empty; a
 *    repeated row with values is expanded, within the row cap;
 *  - annotations, drawings and tables nested in a cell are skipped;
 *  - a cell whose formula failed (calcext:value-type="error", or without
 *    it a formula showing "Err:502" or "#DIV/0!") is a problem of that
 *    cell, as in xlsx; so is a formula with no saved result (written by a
 *    program and never opened in a spreadsheet);
 *  - a date shows a time only when Calc displayed one (its style has
 *    hours): "19/12/2024" for a date style, "19/12/2024 00:00" with hours;
 *  - a number Calc showed as a fraction ("8 1/2") reads as General ("8,5"),
 *    as in xlsx;
 *  - merged cells (table:number-rows-spanned) give their value to each row
 *    of the merge (workbook-merge.c); the covered cells below the top-left
 *    one in its column are ignored;
 *  - hidden and filtered rows (table:visibility collapse/filter) are read
 *    and reported to the sink (vc__wb_sink_hidden);
 *  - an encrypted file (a password set in Calc) is named as such.
 *  - without --sheet one pass reads the first visible sheet; with --sheet a
 *    first pass lists the sheets, then the chosen one is read.
 */
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/text.h"
#include "input/workbook-private.h"

#define ATTR_MAX 64       /* office:value and the like: numbers and dates */
#define MAX_HIDDEN 10000  /* hidden table styles remembered */
#define FIRST_VISIBLE -1  /* target: the first sheet not hidden */
#define LIST_ONLY -2      /* target: only list the sheets */

typedef struct ods {
  vc_wb_t *w;
  int target;  /* index of the sheet to read, or FIRST_VISIBLE / LIST_ONLY */
  int reading; /* index being read, -1 before */

  char **hidden_styles;
  int nhidden;
  char *cur_style; /* the table style being read */

  char **names;
  bool *hidden;
  int nsheets;
  int depth; /* table:table nesting */
  bool active;

  vc_wb_sink_t *sink;
  vc_wb_merge_t *merge;
  long rowno; /* rows used so far */
  long row_repeat;
  bool in_row, beyond;
  long col, col_repeat;
  bool in_cell, error, formula, has_sv;
  int paragraphs;
  int skip; /* depth inside an element whose text is not shown */
  char vtype[16], value[ATTR_MAX], date[ATTR_MAX], boolean[8], time[ATTR_MAX];
  char *sval; /* office:string-value, when given */
} ods_t;

static void nomem(vc_wb_xml_t *x) { vc__wb_xml_fail(x, VC_E_NOMEM, "out of memory"); }

/* Copies an attribute into a fixed buffer ("" when absent or too long). */
static void copy_attr(char *dst, size_t n, const char *v) {
  dst[0] = '\0';
  if (v && strlen(v) < n) strcpy(dst, v);
}

/* A count attribute (repeats, spaces): at least 1, at most max. */
static long count_attr(vc_wb_xml_t *x, const char **atts, int ns, const char *local, long max) {
  const char *v = vc__wb_attr(x, atts, ns, local);
  long n;
  if (!v || !vc__wb_parse_long(v, max, &n) || n < 1) return 1;
  return n;
}

static bool is_hidden_style(const ods_t *O, const char *name) {
  for (int i = 0; name && i < O->nhidden; i++)
    if (!strcmp(O->hidden_styles[i], name)) return true;
  return false;
}

/* A top-level table starts: records it, and decides whether to read it. */
static void table_start(vc_wb_xml_t *x, ods_t *O, const char **atts) {
  if (O->nsheets >= VC_WB_MAX_SHEETS) {
    vc__wb_xml_fail(x, VC_E_LIMIT, "the workbook has more than %d sheets", VC_WB_MAX_SHEETS);
    return;
  }
  const char *name = vc__wb_attr(x, atts, VC_NS_TABLE, "name");
  bool hid = is_hidden_style(O, vc__wb_attr(x, atts, VC_NS_TABLE, "style-name"));
  char **nn = realloc(O->names, (size_t)(O->nsheets + 1) * sizeof *nn);
  if (nn) O->names = nn;
  bool *nh = nn ? realloc(O->hidden, (size_t)(O->nsheets + 1) * sizeof *nh) : NULL;
  if (nh) O->hidden = nh;
  if (!nn || !nh || !(O->names[O->nsheets] = strdup(name ? name : ""))) {
    nomem(x);
    return;
  }
  O->hidden[O->nsheets] = hid;
  int idx = O->nsheets++;
  if (O->reading >= 0 || O->target == LIST_ONLY) return;
  if (O->target == idx || (O->target == FIRST_VISIBLE && !hid)) {
    O->reading = idx;
    O->active = true;
    O->sink = vc__wb_sink_create(O->w, O->names[idx]);
    O->merge = O->sink ? vc__wb_merge_create(O->w) : NULL;
    if (!O->merge) vc__wb_xml_stop(x);
  }
}

/* Values of the cell attributes that matter. */
static void cell_start(vc_wb_xml_t *x, ods_t *O, const char **atts) {
  O->in_cell = true;
  O->paragraphs = 0;
  O->col_repeat = count_attr(x, atts, VC_NS_TABLE, "number-columns-repeated", VC_WB_MAX_COLNUM);
  copy_attr(O->vtype, sizeof O->vtype, vc__wb_attr(x, atts, VC_NS_OFFICE, "value-type"));
  copy_attr(O->value, sizeof O->value, vc__wb_attr(x, atts, VC_NS_OFFICE, "value"));
  copy_attr(O->date, sizeof O->date, vc__wb_attr(x, atts, VC_NS_OFFICE, "date-value"));
  copy_attr(O->boolean, sizeof O->boolean, vc__wb_attr(x, atts, VC_NS_OFFICE, "boolean-value"));
  copy_attr(O->time, sizeof O->time, vc__wb_attr(x, atts, VC_NS_OFFICE, "time-value"));
  O->formula = vc__wb_attr(x, atts, VC_NS_TABLE, "formula") != NULL;
  const char *sv = vc__wb_attr(x, atts, VC_NS_OFFICE, "string-value");
  free(O->sval);
  O->sval = NULL;
  O->has_sv = sv != NULL;
  if (sv && strlen(sv) <= VC_CSV_MAX_FIELD && !(O->sval = strdup(sv))) nomem(x);
  long span = count_attr(x, atts, VC_NS_TABLE, "number-rows-spanned", VC_WB_MAX_ROWNUM);
  if (span > 1 && O->in_row && O->merge) {
    long cols = count_attr(x, atts, VC_NS_TABLE, "number-columns-spanned", VC_WB_MAX_COLNUM);
    long row = O->rowno - O->row_repeat + 1;
    int rc = vc__wb_merge_add(O->merge, row, O->col, row + span - 1, O->col + cols - 1);
    if (!rc) nomem(x);
  }
  O->error = false;
  for (size_t i = 0; atts[i]; i += 2) { /* calcext:value-type="error" */
    const char *l = strrchr(atts[i], '\n');
    if (l && !strcmp(l + 1, "value-type") && !strcmp(atts[i + 1], "error")) O->error = true;
  }
  vc__wb_xml_collect(x, true);
  x->collect = false;
}

/* True when Calc showed a number as a fraction ("1/2", "8 1/2", "-3 3/4"):
 * read as General instead, as xlsx does with "# ?/?". */
static bool shows_fraction(const char *s, size_t n) {
  size_t i = 0, d1 = 0, d2 = 0;
  if (i < n && s[i] == '-') i++;
  size_t start = i;
  while (i < n && s[i] >= '0' && s[i] <= '9') i++;
  if (i < n && s[i] == ' ' && i > start) { /* whole part */
    i++;
    start = i;
    while (i < n && s[i] >= '0' && s[i] <= '9') i++;
  }
  d1 = i - start;
  if (!d1 || i >= n || s[i] != '/') return false;
  i++;
  start = i;
  while (i < n && s[i] >= '0' && s[i] <= '9') i++;
  d2 = i - start;
  return d2 && i == n;
}

/* What the cell that just ended shows, into v/n (v may point at b); true
 * when that is its gathered text. */
static bool cell_value(vc_wb_xml_t *x, ods_t *O, char *b, size_t blen, const char **v,
                       size_t *n) {
  *v = "";
  *n = 0;
  double d;
  if (!strcmp(O->vtype, "date") &&
      (*n = vc__wb_iso_date_shown(O->date, O->paragraphs ? x->text : NULL,
                                 O->paragraphs ? x->tlen : 0, b, blen))) {
    *v = b;
  } else if (O->paragraphs && !strcmp(O->vtype, "float") && shows_fraction(x->text, x->tlen) &&
             vc__wb_parse_double(O->value, strlen(O->value), &d)) {
    *n = vc__wb_fmt_number(NULL, d, false, b, blen);
    *v = b;
  } else if (O->paragraphs) {
    *v = x->text ? x->text : "";
    *n = x->tlen;
    return true;
  } else if ((!strcmp(O->vtype, "float") || !strcmp(O->vtype, "currency")) &&
             vc__wb_parse_double(O->value, strlen(O->value), &d)) {
    *n = vc__wb_fmt_number(NULL, d, false, b, blen);
    *v = b;
  } else if (!strcmp(O->vtype, "percentage") &&
             vc__wb_parse_double(O->value, strlen(O->value), &d)) {
    *n = vc__wb_fmt_number(NULL, d * 100, false, b, blen - 1);
    b[(*n)++] = '%';
    b[*n] = '\0';
    *v = b;
  } else if (!strcmp(O->vtype, "boolean") && O->boolean[0]) {
    *v = !strcmp(O->boolean, "true") ? "TRUE" : "FALSE";
    *n = strlen(*v);
  } else if (O->sval) {
    *v = O->sval;
    *n = strlen(O->sval);
  }
  return false;
}

/* True when a formula cell has nothing saved to show: no text and no value
 * for its type (a program wrote the formula and nothing computed it). */
static bool no_result(const ods_t *O) {
  if (!O->formula || O->paragraphs || O->has_sv) return false;
  const char *t = O->vtype;
  if (!strcmp(t, "date")) return !O->date[0];
  if (!strcmp(t, "time")) return !O->time[0];
  if (!strcmp(t, "boolean")) return !O->boolean[0];
  if (!strcmp(t, "float") || !strcmp(t, "percentage") || !strcmp(t, "currency"))
    return !O->value[0];
  return true; /* no type, or a string with no text */
}

/* True when the text a formula shows is a spreadsheet error: LibreOffice's
 * "Err:502" or Excel's "#DIV/0!", "#N/A" and the like (files written
 * without calcext:value-type). */
static bool error_text(const char *s, size_t n) {
  static const char *const errs[] = {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?",
                                     "#NUM!",  "#N/A",    "#GETTING_DATA"};
  if (n == 7 && !memcmp(s, "Err:", 4) && s[4] >= '0' && s[4] <= '9' && s[5] >= '0' &&
      s[5] <= '9' && s[6] >= '0' && s[6] <= '9')
    return true;
  for (size_t i = 0; i < sizeof errs / sizeof errs[0]; i++)
    if (strlen(errs[i]) == n && !memcmp(errs[i], s, n)) return true;
  return false;
}

static void cell_end(vc_wb_xml_t *x, ods_t *O) {
  O->in_cell = false;
  x->collect = false;
  char b[512];
  const char *v;
  size_t n;
  bool toolong = cell_value(x, O, b, sizeof b, &v, &n) && x->tlong;
  long col = O->col, rep = O->col_repeat;
  O->col = col + rep > VC_WB_MAX_COLNUM ? VC_WB_MAX_COLNUM : col + rep;
  bool nores = no_result(O);
  if (O->formula && !O->error && n && error_text(v, n)) O->error = true;
  if (!n && !toolong && !O->error && !nores) return;
  if (O->beyond) {
    vc__wb_xml_fail(x, VC_E_LIMIT, "the sheet has a value in a row numbered beyond %ld",
                   VC_WB_MAX_ROWNUM);
    return;
  }
  if (!O->in_row) return;
  /* a repeated value: every copy up to one past the column cap (which the
   * sink reports); the rest would say nothing new */
  long last = col + rep;
  if (last > VC_CSV_MAX_COLS + 1) last = col < VC_CSV_MAX_COLS + 1 ? VC_CSV_MAX_COLS + 1 : col + 1;
  while (col < last && vc__wb_merge_covered(O->merge, col)) col++; /* shows the merge's */
  if (col >= last) return;
  if (toolong || nores) { /* reported once, for the first copy */
    vc__wb_merge_problem(O->merge, col);
    if (toolong)
      vc__wb_sink_problem(O->sink, col, VC_E_LIMIT, "the value is more than %u bytes long",
                         VC_CSV_MAX_FIELD);
    else
      vc__wb_sink_problem(O->sink, col, VC_E_INPUT,
                         "the cell holds a formula with no saved result (the file was "
                         "written by a program and never opened in a spreadsheet): open "
                         "it in LibreOffice or Excel, save it, and try again");
    return;
  }
  for (long c = col; c < last && !O->w->failed; c++) {
    if (c > col && vc__wb_merge_covered(O->merge, c)) continue;
    vc__wb_merge_value(O->merge, O->sink, c, v, n, true);
    if (O->error && c == col) {
      char sh[48];
      vc__wb_merge_problem(O->merge, c);
      if (n)
        vc__wb_sink_problem(O->sink, c, VC_E_INPUT,
                           "the cell shows an error (%s): its formula cannot be computed; "
                           "correct it",
                           vc_text_shorten(v, sh, sizeof sh));
      else
        vc__wb_sink_problem(O->sink, c, VC_E_INPUT,
                           "the cell shows an error (error): its formula cannot be "
                           "computed; correct it");
    }
  }
}

static void ods_start(vc_wb_xml_t *x, int ns, const char *local, const char **atts) {
  ods_t *O = x->ud;
  if (O->skip) {
    O->skip++;
    return;
  }
  if (O->in_cell) {
    if (ns != VC_NS_TEXT) {
      O->skip = 1;
      x->collect = false;
    } else if (!strcmp(local, "p") || !strcmp(local, "h")) {
      if (O->paragraphs++) vc__wb_xml_append(x, "\n", 1);
      vc__wb_xml_collect(x, false);
    } else if (!strcmp(local, "s") || !strcmp(local, "tab")) {
      vc__wb_xml_append(x, " ", 1); /* runs of spaces become one when cleaned */
    } else if (!strcmp(local, "line-break")) {
      vc__wb_xml_append(x, "\n", 1);
    } else if (!strcmp(local, "note") || !strcmp(local, "ruby-text")) {
      O->skip = 1;
      x->collect = false;
    }
    return;
  }
  if (ns == VC_NS_TABLE) {
    if (!strcmp(local, "table")) {
      if (O->depth++ == 0) table_start(x, O, atts);
    } else if (O->active && O->depth == 1) {
      if (!strcmp(local, "table-row")) {
        O->row_repeat = count_attr(x, atts, VC_NS_TABLE, "number-rows-repeated", VC_WB_MAX_ROWNUM);
        long row = O->rowno + 1;
        O->rowno = row + O->row_repeat - 1 > VC_WB_MAX_ROWNUM ? VC_WB_MAX_ROWNUM + 1
                                                              : row + O->row_repeat - 1;
        O->beyond = row > VC_WB_MAX_ROWNUM;
        O->col = 0;
        O->in_row = !O->beyond && vc__wb_sink_row(O->sink, row);
        if (!O->beyond && !O->in_row) vc__wb_xml_stop(x);
        if (O->in_row) {
          vc__wb_merge_row(O->merge, row);
          const char *vis = vc__wb_attr(x, atts, VC_NS_TABLE, "visibility");
          if (vis && (!strcmp(vis, "collapse") || !strcmp(vis, "filter")))
            vc__wb_sink_hidden(O->sink, true);
        }
      } else if (!strcmp(local, "table-cell") || !strcmp(local, "covered-table-cell")) {
        cell_start(x, O, atts);
      }
    }
  } else if (ns == VC_NS_STYLE) {
    if (!strcmp(local, "style")) {
      const char *fam = vc__wb_attr(x, atts, VC_NS_STYLE, "family");
      const char *name = vc__wb_attr(x, atts, VC_NS_STYLE, "name");
      free(O->cur_style);
      O->cur_style = fam && name && !strcmp(fam, "table") ? strdup(name) : NULL;
    } else if (!strcmp(local, "table-properties") && O->cur_style) {
      const char *disp = vc__wb_attr(x, atts, VC_NS_TABLE, "display");
      if (disp && !strcmp(disp, "false") && O->nhidden < MAX_HIDDEN) {
        char **h = realloc(O->hidden_styles, (size_t)(O->nhidden + 1) * sizeof *h);
        if (!h) {
          nomem(x);
          return;
        }
        O->hidden_styles = h;
        h[O->nhidden++] = O->cur_style;
        O->cur_style = NULL;
      }
    }
  }
}

static void ods_end(vc_wb_xml_t *x, int ns, const char *local) {
  ods_t *O = x->ud;
  if (O->skip) {
    O->skip--;
    return;
  }
  if (O->in_cell) {
    if (ns == VC_NS_TEXT && (!strcmp(local, "p") || !strcmp(local, "h"))) {
      x->collect = false;
    } else if (ns == VC_NS_TABLE &&
               (!strcmp(local, "table-cell") || !strcmp(local, "covered-table-cell"))) {
      cell_end(x, O);
      if (O->w->failed) vc__wb_xml_stop(x);
    }
    return;
  }
  if (ns != VC_NS_TABLE) return;
  if (!strcmp(local, "table")) {
    if (--O->depth == 0 && O->active) {
      O->active = false;
      vc__wb_xml_stop(x); /* the sheet is read */
    }
  } else if (!strcmp(local, "table-row") && O->active && O->depth == 1) {
    if (O->in_row) {
      vc__wb_merge_fill(O->merge, O->sink);
      vc__wb_sink_end_row(O->sink, O->row_repeat);
    }
    O->in_row = false;
    if (O->w->failed) vc__wb_xml_stop(x);
  }
}

static void ods_reset(ods_t *O) {
  for (int i = 0; i < O->nsheets; i++) free(O->names[i]);
  free(O->names);
  free(O->hidden);
  for (int i = 0; i < O->nhidden; i++) free(O->hidden_styles[i]);
  free(O->hidden_styles);
  free(O->cur_style);
  free(O->sval);
  vc__wb_sink_free(O->sink);
  vc__wb_merge_free(O->merge);
  vc_wb_t *w = O->w;
  memset(O, 0, sizeof *O);
  O->w = w;
  O->reading = -1;
}

/* One pass over content.xml with target; 1 ok, -1 failed (reported). */
static int pass(ods_t *O, int target) {
  ods_reset(O);
  O->target = target;
  vc_wb_xml_t x = {.w = O->w, .ud = O, .start = ods_start, .end = ods_end};
  int rc = vc__wb_parse_part(&x, "content.xml");
  if (rc == 0)
    vc__wb_fail(O->w, VC_E_INPUT,
               N_("the OpenDocument file has no content.xml: it is damaged or not a "
                  "spreadsheet"));
  return rc == 1 && !O->w->failed ? 1 : -1;
}

/* Reads the chosen sheet of an ods archive (see workbook-private.h). */
vc_table_t *vc__wb_ods_read(vc_wb_t *w, const char *want) {
  ods_t O = {.w = w, .reading = -1};
  vc_table_t *t = NULL;
  int target = FIRST_VISIBLE;
  if (vc__wb_ods_encrypted(w)) {
    vc__wb_fail(w, VC_E_INPUT,
               N_("the workbook is password-protected (encrypted), so vncert cannot read it: "
                  "open it in LibreOffice, choose File > Save As, untick \"Save with "
                  "password\", save it, and try again"));
    return NULL;
  }
  if (want) {
    if (pass(&O, LIST_ONLY) < 0) goto done;
    target = vc__wb_choose_sheet(w, (const char *const *)O.names, O.hidden, O.nsheets, want);
    if (target < 0) goto done;
  }
  if (pass(&O, target) < 0) goto done;
  if (O.reading < 0) { /* every sheet hidden, or none */
    if (O.nsheets == 0) {
      vc__wb_fail(w, VC_E_INPUT, N_("the workbook has no sheets"));
      goto done;
    }
    if (pass(&O, 0) < 0) goto done;
  }
  if (!O.sink) goto done;
  t = vc__wb_sink_finish(O.sink);
  O.sink = NULL;
done:
  ods_reset(&O);
  return t;
}
