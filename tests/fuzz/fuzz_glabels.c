/*
 * fuzz_glabels.c - libFuzzer target for the label products reader (issue
 * 13, src/template/glabels.c): gLabels template XML through expat, lengths
 * and their units, equiv= resolution, then finding, suggesting and every
 * product's cells.  Any input must give products or problems, never a
 * crash, a leak or undefined behaviour.
 */
#include <stddef.h>
#include <stdint.h>

#include "template/sheet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  vc_diag_t *d = vc_diag_create();
  vc_sheet_db_t *db = vc_sheet_db_create();
  if (!d || !db) __builtin_trap();
  vc_sheet_db_parse(db, (const char *)data, size, "fuzz.xml", d);
  vc_sheet_db_finish(db);
  for (size_t i = 0; i < vc_sheet_db_count(db); i++) {
    const vc_sheet_t *s = vc_sheet_db_get(db, i);
    double x, y;
    char why[200];
    for (int k = 0; k < 50 && vc_sheet_cell(s, k, k & 1, &x, &y); k++) {
    }
    vc_sheet_check(s, why, sizeof why);
  }
  const vc_sheet_t *near[5];
  vc_sheet_db_find(db, "Avery L7163");
  vc_sheet_db_suggest(db, "Avery L7163", near, 5);
  vc_sheet_db_free(db);
  vc_diag_free(d);
  return 0;
}
