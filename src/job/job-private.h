/*
 * job-private.h - shared by the job files (job.c, choose.c, data.c).
 */
#ifndef VC_JOB_PRIVATE_H
#define VC_JOB_PRIVATE_H

#include "job/job.h"
#include "records/select.h"
#include "records/table.h"

/* Builds the selection for a job over table t: --rows, then each --where,
 * then --match (on name_col; with one = true, several matches are an error
 * unless --all-matches), then --sort, then checks the key column is unique.
 * Fills sel (caller frees with vc_selection_free) and res->matched.
 * Returns VC_OK or the status of the problem (in d). */
vc_status_t vc_job_choose(const vc_job_t *job, const vc_table_t *t, int name_col,
                          bool one, vc_selection_t *sel, vc_diag_t *d,
                          vc_job_result_t *res);

/* The column of full names in a table without a template: ho_ten,
 * ho_va_ten, ... (folded header names); -1 when none. */
int vc_job_name_col(const vc_table_t *t);

#endif
