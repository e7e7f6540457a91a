/* fuzzutil.h - invariants every fuzz target checks on the problems reported. */
#ifndef VC_FUZZUTIL_H
#define VC_FUZZUTIL_H

#include <stdlib.h>
#include <string.h>

#include "core/diag.h"
#include "core/text.h"
#include "records/table.h"

/* Aborts (a finding) when a reported problem is malformed: no message, a
 * negative position, a message cut inside a character, or "out of memory" /
 * "internal" on the small inputs a fuzzer gives (that would hide a bug). */
static void fuzz_check_diags(const vc_diag_t *d) __attribute__((unused));
static void fuzz_check_diags(const vc_diag_t *d) {
  for (size_t i = 0; i < vc_diag_kept(d); i++) {
    const vc_diag_item_t *it = vc_diag_get(d, i);
    if (!it || !it->msg || it->line < 0 || it->col < 0) abort();
    if (!vc_utf8_valid(it->msg, strlen(it->msg), NULL)) abort();
    if (it->status == VC_E_NOMEM || it->status == VC_E_INTERNAL) abort();
  }
}

/* Aborts unless v is what the readers promise for every value: valid UTF-8,
 * no line breaks, already clean (vc_text_clean leaves it as it is). */
static void fuzz_check_value(const char *v) __attribute__((unused));
static void fuzz_check_value(const char *v) {
  if (!v) abort();
  size_t n = strlen(v);
  if (!vc_utf8_valid(v, n, NULL)) abort();
  if (memchr(v, '\r', n) || memchr(v, '\n', n)) abort();
  char *c = vc_text_clean(v, n);
  if (c && strcmp(c, v) != 0) abort(); /* NULL = out of memory: not our finding */
  free(c);
}

/* Aborts unless a table read from any input keeps the readers' promises:
 * every header and value clean (fuzz_check_value), every column keyed, and
 * record lines strictly ascending. */
static void fuzz_check_table(const vc_table_t *t) __attribute__((unused));
static void fuzz_check_table(const vc_table_t *t) {
  int nc = vc_table_ncols(t);
  for (int c = 0; c < nc; c++) {
    fuzz_check_value(vc_table_col_header(t, c));
    if (!vc_table_col_key(t, c)) abort();
  }
  int last = 0;
  for (long r = 0; r < vc_table_nrows(t); r++) {
    int line = vc_table_row_line(t, r);
    if (line <= last) abort();
    last = line;
    (void)vc_table_row_ok(t, r);
    for (int c = 0; c < nc; c++) fuzz_check_value(vc_table_get(t, r, c));
  }
}
#endif
