/* fuzzutil.h - invariants every fuzz target checks on the problems reported. */
#ifndef VC_FUZZUTIL_H
#define VC_FUZZUTIL_H

#include <stdlib.h>
#include <string.h>

#include "core/diag.h"
#include "core/text.h"

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
#endif
