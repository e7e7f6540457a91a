/*
 * select.h - choosing which records to use: `--rows 3,7-9` (record numbers,
 * 1 = the first record after the header), in file order.  Later: --where,
 * --match, --sort build on the same selection list.
 */
#ifndef VC_SELECT_H
#define VC_SELECT_H

#include <stdbool.h>

#include "core/diag.h"

/* A list of 0-based row indexes, ascending, without repeats. */
typedef struct vc_selection {
  long *rows;
  long n;
} vc_selection_t;

/* Parses spec ("3,7-9", spaces allowed) against nrows records.  spec NULL or
 * "" selects all.  Numbers out of range, reversed ranges and junk are usage
 * errors (VC_E_USAGE) naming the offending part.  Caller frees with
 * vc_selection_free. */
bool vc_selection_parse(const char *spec, long nrows, vc_selection_t *sel,
                        vc_diag_t *d);
void vc_selection_free(vc_selection_t *sel);

#endif
