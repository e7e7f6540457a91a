/*
 * choose.c - which records a job uses, in which order: --rows, --where,
 * --match, --sort, and the unique key check.  Shared by every command that
 * reads DATA.
 */
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/text.h"
#include "job/job-private.h"

/* The column holding people's full names when no template says so. */
int vc__job_name_col(const vc_table_t *t) {
  static const char *names[] = {"ho_ten", "ho_va_ten", "ho_ten_sinh_vien",
                                "ho_va_ten_sinh_vien", "ten", "name", "full_name"};
  for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
    int c = vc_table_find_col(t, names[i]);
    if (c >= 0) return c;
  }
  return -1;
}

/* Applies one --sort key list, last key first so the first one decides. */
static bool apply_sort(const vc_job_t *job, const vc_table_t *t, int name_col,
                       vc_selection_t *sel, vc_diag_t *d) {
  char *spec = strdup(job->sort);
  if (!spec) return false;
  char *keys[16];
  int n = 0;
  for (char *save = NULL, *k = strtok_r(spec, ",", &save); k && n < 16;
       k = strtok_r(NULL, ",", &save))
    keys[n++] = k;
  bool ok = true;
  for (int i = n - 1; i >= 0 && ok; i--) {
    char *k = keys[i];
    while (*k == ' ') k++;
    char *folded = vc_text_fold_key(k);
    /* "ten": the class-list order; "ten-dem-ho": given, middle, family. */
    vc_name_order_t order = VC_NAME_NONE;
    if (folded && (!strcmp(folded, "ten") || !strcmp(folded, "ho_ten")))
      order = VC_NAME_TEN_HO_DEM;
    else if (folded && !strcmp(folded, "ten_dem_ho"))
      order = VC_NAME_TEN_DEM_HO;
    bool by_name = order != VC_NAME_NONE;
    int col = by_name ? name_col : (folded ? vc_table_find_col(t, folded) : -1);
    if (col < 0 && by_name) {
      vc_diag_add(d, VC_E_USAGE, NULL, 0, 0,
                  "--sort: %s has no column \"%s\" (no column of full names such as "
                  "\"Họ và tên\")", vc_table_name(t), k);
      ok = false;
    } else if (col < 0) {
      vc_diag_add(d, VC_E_USAGE, NULL, 0, 0, "--sort: %s has no column \"%s\"",
                  vc_table_name(t), k);
      ok = false;
    } else {
      ok = vc_selection_sort(sel, t, col, order, job->tones);
    }
    free(folded);
  }
  free(spec);
  return ok;
}

/* --match: zero matches, or several on a reprint, are said plainly. */
static vc_status_t apply_match(const vc_job_t *job, const vc_table_t *t,
                               int name_col, bool one, vc_selection_t *sel,
                               vc_diag_t *d, long *matched) {
  if (name_col < 0) {
    vc_diag_add(d, VC_E_USAGE, NULL, 0, 0,
                "--match: %s has no column of names (such as \"Họ và tên\")",
                vc_table_name(t));
    return VC_E_USAGE;
  }
  const char *m = job->match;
  while (*m == ' ') m++;
  if (!*m) {
    vc_diag_add(d, VC_E_USAGE, NULL, 0, 0, "--match needs some of a name to look for");
    return VC_E_USAGE;
  }
  long searched = sel->n;
  long n = vc_selection_match(sel, t, name_col, job->match);
  if (n < 0) return vc__nomem(d, vc_table_name(t), _("matching names"));
  *matched = n;
  if (n == 0) {
    vc_diag_add(d, VC_E_INPUT, vc_table_name(t), 0, 0,
                vc__ngettext("no record matches \"%s\" in column \"%s\" (%ld record "
                             "searched; accents and capitals do not matter)",
                             "no record matches \"%s\" in column \"%s\" (%ld records "
                             "searched; accents and capitals do not matter)",
                             (unsigned long)searched),
                job->match, vc_table_col_header(t, name_col), searched);
    return VC_E_INPUT;
  }
  if (n > 1 && one && !job->all_matches) {
    char list[900] = "";
    size_t len = 0;
    for (long i = 0; i < n && i < 8 && len < sizeof list - 120; i++) {
      long r = sel->rows[i];
      int w = snprintf(list + len, sizeof list - len, _("\n    line %d: %s"), vc_table_row_line(t, r),
                       vc_table_get(t, r, name_col));
      if (w > 0) len += (size_t)w;
    }
    vc_diag_add(d, VC_E_INPUT, vc_table_name(t), 0, 0,
                "%ld records match \"%s\"; type more of the name, choose one with "
                "--rows, or print them all with --all-matches:%s%s",
                n, job->match, list, n > 8 ? "\n    ..." : "");
    return VC_E_INPUT;
  }
  return VC_OK;
}

/* After a selection call failed: its usage problem was said, or else it
 * ran out of memory, which is said here. */
static vc_status_t failed(vc_diag_t *d, size_t before, const vc_table_t *t) {
  if (vc_diag_count(d) > before) return VC_E_USAGE;
  return vc__nomem(d, vc_table_name(t), _("choosing records"));
}

vc_status_t vc__job_choose(const vc_job_t *job, const vc_table_t *t, int name_col,
                          bool one, vc_selection_t *sel, vc_diag_t *d,
                          vc_job_result_t *res) {
  size_t before = vc_diag_count(d);
  if (!vc_selection_parse(job->rows, vc_table_nrows(t), sel, d))
    return failed(d, before, t);
  for (int i = 0; i < job->nwhere; i++)
    if (!vc_selection_where(sel, t, job->where[i], d))
      return failed(d, before, t);
  if (job->match) {
    long matched = 0;
    vc_status_t st = apply_match(job, t, name_col, one, sel, d, &matched);
    if (res) res->matched = matched;
    if (st != VC_OK) return st;
  }
  if (job->sort && *job->sort && !apply_sort(job, t, name_col, sel, d))
    return failed(d, before, t);
  /* One output per key, never two: repeats are errors wherever they are. */
  int key = -1;
  if (job->key) {
    key = vc_table_find_col(t, job->key);
    if (key < 0) {
      vc_diag_add(d, VC_E_USAGE, NULL, 0, 0, "--key: %s has no column \"%s\"",
                  vc_table_name(t), job->key);
      return VC_E_USAGE;
    }
  } else {
    key = vc_table_find_col(t, "ma_sv");
  }
  long repeats = key >= 0 ? vc_table_check_unique(t, key, d) : 0;
  if (repeats < 0) return vc__nomem(d, vc_table_name(t), _("checking the keys"));
  if (repeats > 0) return VC_E_INPUT;
  return VC_OK;
}
