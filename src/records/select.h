/*
 * select.h - choosing which records to use and in what order: `--rows 3,7-9`
 * (record numbers, 1 = the first record after the header), `--where`,
 * `--match`, `--sort`, all narrowing or reordering one selection list; and
 * the key column's uniqueness check.  Typical order of calls: parse (rows),
 * where (each), match, sort.
 */
#ifndef VC_SELECT_H
#define VC_SELECT_H

#include <stdbool.h>

#include "core/diag.h"
#include "records/collate.h"
#include "records/table.h"

/* A list of 0-based row indexes without repeats, in output order: ascending
 * (file order) until vc_selection_sort reorders it. */
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

/* The records spec names as one flag per record (caller frees), checked
 * against nrows with vc_selection_parse's messages, so a stream can choose
 * as it reads; NULL on a bad spec (said in d) or no memory (not said). */
bool *vc_rows_want(const char *spec, long nrows, vc_diag_t *d);
void vc_selection_free(vc_selection_t *sel);

/* Keeps only the rows whose column (found by vc_table_find_col on the part
 * before the first '=') equals the value after it, compared after white-space
 * cleaning and case folding but with diacritics significant: "lop=k19mn"
 * keeps "K19MN", "xep_loai=kha" does not keep "Khá" (names are found with
 * --match).  Several --where are ANDed: call once per condition.  A spec
 * without '=' or an unknown column: VC_E_USAGE listing the columns, false,
 * selection unchanged.  false without a diagnostic: no memory. */
bool vc_selection_where(vc_selection_t *sel, const vc_table_t *t,
                        const char *spec, vc_diag_t *d);

/* The same condition, record by record, for readers that keep no table:
 * compiled against the columns of t (the header; the same messages and
 * NULL as vc_selection_where; NULL without a diagnostic: no memory), then
 * tested on each record's values (vals[i] for column i): 1 when it passes,
 * 0 when not, -1 on no memory. */
typedef struct vc_where vc_where_t;
vc_where_t *vc_where_compile(const vc_table_t *t, const char *spec, vc_diag_t *d);
int vc_where_test(const vc_where_t *w, const char *const *vals);
void vc_where_free(vc_where_t *w);

/* Keeps only the rows matching text the way a person types a name: case-
 * and diacritic-insensitive (đ -> d), every word of text must match a whole
 * word of the row's name column (`col`, usually ho_ten) in order, not
 * necessarily adjacent; the last word typed may be a prefix.  For "Nguyễn
 * Thị Thu Thảo": "nguyen thi thu thao", "Thảo", "thu thao", "nguyen thao",
 * "tha" match; "thi thao nguyen" does not.  Empty or blank text matches
 * nothing.  Returns the number of rows kept, -1 on no memory (selection
 * unchanged). */
long vc_selection_match(vc_selection_t *sel, const vc_table_t *t, int col,
                        const char *text);

/* Whether one name value matches typed, text already folded by
 * vc_text_fold_search (so a stream folds it once), by the rule of
 * vc_selection_match: 1 or 0 (a value that is not UTF-8 matches
 * nothing), -1 on no memory. */
int vc_match_test(const char *typed, const char *value);

/* Sorts the selected rows by a column: Vietnamese name order for a name
 * column (name: the order, see collate.h); otherwise (VC_NAME_NONE) by what
 * the non-blank values are: all
 * digit strings -> numerically, equal numbers by string ("007" before "7");
 * all amounts (vc_money_parse) -> by amount; else vc_collate_text.  Blank
 * values go last.  Stable: ties keep the selection's current order.  false
 * on no memory or a bad column (selection unchanged). */
bool vc_selection_sort(vc_selection_t *sel, const vc_table_t *t, int col,
                       vc_name_order_t name, vc_tone_order_t tones);

/* Reports every repeated value of the key column (white space already
 * collapsed by the reader; compared case-insensitively, diacritics kept:
 * "sv01" repeats "SV01") as one VC_E_INPUT diagnostic per repeat, at the
 * repeat's line and the key column (1-based), naming the first occurrence's
 * line.  Blank keys are not checked here.  Returns the number of repeats,
 * -1 on no memory or a bad column. */
long vc_table_check_unique(const vc_table_t *t, int col, vc_diag_t *d);

/* The same check, record by record, for readers that keep no table: a set
 * of the keys seen, each stored once (folded) with its first line, so its
 * size is proportional to the number of distinct keys, not to the records.
 * add: v may be NULL or blank (ignored); false on no memory.  report: adds
 * the repeats' diagnostics (as vc_table_check_unique, in the order they
 * were added; col 0-based) and returns how many there were. */
typedef struct vc_keyset vc_keyset_t;
vc_keyset_t *vc_keyset_create(void);
void vc_keyset_free(vc_keyset_t *ks);
bool vc_keyset_add(vc_keyset_t *ks, const char *v, int line);
long vc_keyset_report(const vc_keyset_t *ks, const char *file, int col, const char *header,
                      vc_diag_t *d);

#endif
