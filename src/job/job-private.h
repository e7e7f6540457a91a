/*
 * job-private.h - shared by the job files (job.c, split.c, choose.c,
 * proof.c, names.c, data.c).  Functions private to the folder are named
 * vc__<thing>_<verb>.
 */
#ifndef VC_JOB_PRIVATE_H
#define VC_JOB_PRIVATE_H

#include "job/engine.h"
#include "records/select.h"
#include "records/table.h"
#include "vncert.h"

/* Builds the selection for a job over table t: --rows, then each --where,
 * then --match (on name_col; with one = true, several matches are an error
 * unless --all-matches), then --sort, then checks the key column is unique.
 * Fills sel (caller frees with vc_selection_free) and res->matched.
 * Returns VC_OK or the status of the problem (in d). */
vc_status_t vc__job_choose(const vc_job_t *job, const vc_table_t *t, int name_col,
                          bool one, vc_selection_t *sel, vc_diag_t *d,
                          vc_job_result_t *res);

/* The column of full names in a table without a template: ho_ten,
 * ho_va_ten, ... (folded header names); -1 when none. */
int vc__job_name_col(const vc_table_t *t);

/* What every job over a template starts with: engine, data, selection,
 * the page layout, and the layout dump (into a temporary file, copied to
 * job->layout_tsv only when the job succeeds). */
typedef struct vc_job_ctx {
  vc_engine_t *e;
  vc_data_t *data;
  vc_selection_t sel;
  vc_pagelayout_t *pl;
  FILE *tsv;
} vc_job_ctx_t;

/* True when the job was asked to stop; adds the diag (once). */
bool vc__job_cancelled(const vc_job_t *job, vc_diag_t *d);
/* Reports progress every 1,000 records and at the end. */
void vc__job_progress(const vc_job_t *job, long done, long total);
/* Lays out every selected record, only to find problems (stops when
 * cancelled).  Returns the number of records with problems. */
long vc__job_check_all(vc_job_ctx_t *c, const vc_job_t *job, vc_diag_t *d);
/* --split: one PDF per selected record into job->split_dir (split.c). */
vc_status_t vc__job_split(vc_job_ctx_t *c, const vc_job_t *job, vc_diag_t *d,
                         vc_job_result_t *res);
/* False (+ a usage diag) when an output path of the job (-o, the layout
 * dump) names one of its input files: nothing the user gave is ever
 * written over. */
bool vc__job_outputs_safe(const vc_job_t *job, vc_diag_t *d);
/* The same for one more output path (a volume). */
bool vc__job_output_safe(const vc_job_t *job, const char *path, vc_diag_t *d);

/* Adds "out of memory <what>" (VC_E_NOMEM) for file (may be NULL) and
 * returns VC_E_NOMEM: no failure path of a job ends without a reason. */
vc_status_t vc__nomem(vc_diag_t *d, const char *file, const char *what);

/* The status to return after a problem: d's, VC_E_INTERNAL when d has
 * none. */
vc_status_t vc__job_fail(vc_diag_t *d);

#endif
