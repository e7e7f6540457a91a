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
#endif
