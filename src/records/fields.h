/*
 * fields.h - what a template expects of the data (field specs) and the
 * binding of those fields to a table's columns, with per-row checks.
 *
 * A field is found by its key or any alias, compared after
 * vc_text_fold_key(), so "Họ và tên", "HỌ VÀ TÊN" and "ho ten" all reach the
 * same column wherever it stands.
 */
#ifndef VC_FIELDS_H
#define VC_FIELDS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/diag.h"
#include "records/table.h"

typedef enum {
  VC_FIELD_TEXT = 0,
  VC_FIELD_AMOUNT, /* must parse with vc_money_parse */
  VC_FIELD_DATE    /* must parse with vc_date_parse */
} vc_field_type_t;

/* One expected field, as the template declares it.  Owned by the template. */
typedef struct vc_field_spec {
  char *key;          /* the name placeholders use, e.g. "ho_ten" */
  char **aliases;     /* other header spellings */
  size_t naliases;
  bool required;      /* empty value is an error (unless dflt) */
  vc_field_type_t type;
  char *dflt;         /* value used when empty, or NULL */
  int line;           /* line in the template file, for messages */
} vc_field_spec_t;

typedef struct vc_binding vc_binding_t;

/* Binds specs to the table's columns.  A spec that matches no column is an
 * error when required (message names the template file:line and lists the
 * columns found), else the field is simply empty.  Two columns matching one
 * spec is an error.  Returns the binding (caller frees) even when problems
 * were recorded, NULL only on no memory. */
vc_binding_t *vc_binding_create(const vc_field_spec_t *specs, size_t nspecs,
                                const vc_table_t *t, const char *tmpl_path,
                                vc_diag_t *d);
void vc_binding_free(vc_binding_t *b);

/* Column of a field key (or any column whose folded header equals the folded
 * key, for fields the template did not declare), -1 when none. */
int vc_binding_col(const vc_binding_t *b, const char *key);

/* Checks every row: empty required values, amounts and dates that do not
 * parse.  Each problem is reported with the table's file, the row's line and
 * the 1-based column, naming the header.  Marks bad rows in `bad` (array of
 * nrows bools, may be NULL).  Returns the number of bad rows. */
long vc_binding_check_rows(const vc_binding_t *b, const vc_table_t *t,
                           bool *bad, vc_diag_t *d);

#endif
