/*
 * fuzz_template.c - libFuzzer target for the template loader: YAML parsing,
 * the schema checks and placeholder compilation.  Any input must give either
 * a template or problems, never a crash, a leak or undefined behaviour.
 *
 * The path only names the input and gives the directory relative files are
 * looked up in; /tmp holds none of the names the seed corpus uses, so image
 * and font checks take their "file not found" path.
 */
#include <stddef.h>
#include <stdint.h>

#include "template/template-tree.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  vc_diag_t *d = vc_diag_create();
  vc_template_t *t = vc_template_load_mem((const char *)data, size,
                                          "/tmp/fuzz.yaml", d);
  /* A template is returned only when no problem was recorded. */
  if (t && vc_diag_count(d) != 0) __builtin_trap();
  if (!t && vc_diag_count(d) == 0 && d) __builtin_trap();
  vc_template_free(t);
  vc_diag_free(d);
  return 0;
}
