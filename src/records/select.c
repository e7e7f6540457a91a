/*
 * select.c - record selection by number (see select.h).
 */
#include "records/select.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Reads a positive decimal number at *p (no locale, no sign). */
static bool read_num(const char **p, long *out) {
  const char *s = *p;
  long v = 0;
  if (!isdigit((unsigned char)*s)) return false;
  while (isdigit((unsigned char)*s)) {
    if (v > 100000000L) return false;
    v = v * 10 + (*s++ - '0');
  }
  *p = s;
  *out = v;
  return true;
}

static void skip_sp(const char **p) {
  while (**p == ' ' || **p == '\t') (*p)++;
}

bool vc_selection_parse(const char *spec, long nrows, vc_selection_t *sel,
                        vc_diag_t *d) {
  sel->rows = NULL;
  sel->n = 0;
  bool *want = calloc((size_t)(nrows > 0 ? nrows : 1), 1);
  if (!want) return false;
  bool all = !spec || !*spec;
  const char *p = spec;
  while (!all && *p) {
    long a, b;
    skip_sp(&p);
    const char *part = p;
    if (!read_num(&p, &a)) goto bad;
    b = a;
    skip_sp(&p);
    if (*p == '-') {
      p++;
      skip_sp(&p);
      if (!read_num(&p, &b)) goto bad;
      skip_sp(&p);
    }
    if (a < 1 || b < a) goto bad;
    if (b > nrows) {
      vc_diag_add(d, VC_E_USAGE, NULL, 0, 0,
                  "--rows: record %ld does not exist (the data has %ld record%s)",
                  b, nrows, nrows == 1 ? "" : "s");
      free(want);
      return false;
    }
    for (long r = a; r <= b; r++) want[r - 1] = true;
    if (*p == ',') p++;
    else if (*p) goto bad;
    continue;
  bad:
    vc_diag_add(d, VC_E_USAGE, NULL, 0, 0,
                "--rows: cannot read \"%.*s\": write record numbers and ranges "
                "like 3,7-9 (1 = the first record after the header)",
                (int)strcspn(part, ","), part);
    free(want);
    return false;
  }
  sel->rows = malloc(sizeof *sel->rows * (size_t)(nrows > 0 ? nrows : 1));
  if (!sel->rows) {
    free(want);
    return false;
  }
  for (long r = 0; r < nrows; r++)
    if (all || want[r]) sel->rows[sel->n++] = r;
  free(want);
  return true;
}

void vc_selection_free(vc_selection_t *sel) {
  free(sel->rows);
  sel->rows = NULL;
  sel->n = 0;
}
