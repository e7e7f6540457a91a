/*
 * fuzz_csv.c - libFuzzer target for the CSV reader (src/input/csv.c), the
 * table it fills and the field binding over it.
 *
 * Besides "no crash, no leak, no UB", it checks what the reader promises of
 * every value it keeps: valid UTF-8, no CR or LF, already clean (cleaning it
 * again changes nothing), and line numbers that never go backwards.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/diag.h"
#include "fuzzutil.h"
#include "core/text.h"
#include "input/csv.h"
#include "records/fields.h"
#include "records/table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  vc_diag_t *d = vc_diag_create();
  if (!d) return 0;
  vc_table_t *t = vc_csv_read_mem((const char *)data, size, "fuzz.csv", d);
  if (t) {
    int nc = vc_table_ncols(t);
    long nr = vc_table_nrows(t);
    fuzz_check_table(t);
    for (int c = 0; c < nc; c++) { /* a named column is found at its own place */
      const char *k = vc_table_col_key(t, c);
      if (k[0] && vc_table_find_col(t, vc_table_col_header(t, c)) > c) abort();
    }
    /* the binding and row checks over whatever came out */
    static char *aliases[] = {"Họ và tên", "a"};
    vc_field_spec_t specs[] = {
        {.key = "ho_ten", .aliases = aliases, .naliases = 2, .required = true, .line = 1},
        {.key = "so_tien", .type = VC_FIELD_AMOUNT, .required = true, .line = 2},
        {.key = "ngay", .type = VC_FIELD_DATE, .dflt = "01/01/2025", .line = 3},
    };
    vc_binding_t *b = vc_binding_create(specs, 3, t, "fuzz.yaml", d);
    if (b) {
      bool *bad = nr ? calloc((size_t)nr, sizeof *bad) : NULL;
      long nbad = vc_binding_check_rows(b, t, bad, d);
      if (nbad < 0 || nbad > nr) abort();
      (void)vc_binding_col(b, nc ? vc_table_col_header(t, 0) : "x");
      free(bad);
      vc_binding_free(b);
    }
    vc_table_free(t);
  } else if (vc_diag_count(d) == 0) {
    abort(); /* NULL must come with a reason */
  }
  fuzz_check_diags(d);
  vc_diag_free(d);
  return 0;
}
