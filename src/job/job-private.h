/*
 * job-private.h - shared by the job files (job.c, split.c, choose.c,
 * proof.c, names.c, data.c).  Functions private to the folder are named
 * vc__<thing>_<verb>.
 */
#ifndef VC_JOB_PRIVATE_H
#define VC_JOB_PRIVATE_H

#include <limits.h>
#include <pthread.h>

#include "job/engine.h"
#include "ledger/ledger.h"
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
  struct vc_job_issue *is; /* the ledger's reservation, or NULL */
} vc_job_ctx_t;

/* ---- the ledger side of a job (issue.c) ---- */
/* A run's documents: requests, tickets, each table row's serial. */
typedef struct vc_job_issue {
  vc_ledger_t *l;
  long n;                      /* chosen records */
  vc_ledger_req_t *req;
  vc_ledger_ticket_t *tickets;
  vc_ledger_field_t **fields;  /* per request; values owned by the data */
  const char **serials;        /* per table row, into tickets */
  char tpath[PATH_MAX], thash[VC_LEDGER_HASH_LEN];
  bool reserved;
  /* The reservation runs on a thread of its own while the pages are drawn
   * (issue 9, point 8): it publishes serials as they come (mu, cv guard
   * `published` and `finished`), then, once `start_at` pages are drawn,
   * prepares the confirmation (vc_ledger_confirm_begin) unless the drawing
   * is `over` first without `drawn_ok`; its problems go to td until
   * joined. */
  const long *rows;            /* the chosen rows, in request order */
  const vc_data_t *data;       /* what the requests are made of */
  int key_col, name_col;
  vc_ledger_req_t proto;       /* what every request shares */
  pthread_t th;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  size_t published;
  long drawn, start_at;        /* drawn: atomic */
  bool th_made, on_thread, running, finished, over, drawn_ok, prepared;
  vc_status_t rst;
  vc_diag_t *td;
} vc_job_issue_t;
/* Opens job->ledger (or the default one, made when missing unless
 * read_only).  Caller closes; NULL after a diag. */
vc_ledger_t *vc__job_ledger_open(const vc_job_t *job, bool read_only, vc_diag_t *d);
/* The ledger's key column (--key, else ma_sv); -1 + VC_E_USAGE diag. */
int vc__job_key_col(const vc_job_t *job, const vc_table_t *t, vc_diag_t *d);
/* The values the page prints from the list for row: a new array (caller
 * frees; strings owned by data) in *out, its length in *n. */
vc_status_t vc__job_row_fields(const vc_data_t *data, long row, vc_ledger_field_t **out,
                               size_t *n, vc_diag_t *d);
/* The template's real path and content hash.  false after a diag. */
bool vc__job_template_id(const vc_job_t *job, char path[PATH_MAX],
                         char hash[VC_LEDGER_HASH_LEN], vc_diag_t *d);
/* When the job uses a ledger: opens it and reserves every chosen record's
 * document (one transaction), serials into c->data.  *is NULL without a
 * ledger; else the caller ends it (vc__job_issue_end) and frees it. */
vc_status_t vc__job_issue_begin(vc_job_ctx_t *c, const vc_job_t *job,
                                vc_job_issue_t **is, vc_diag_t *d);
/* Before any file of the job is committed: waits for the reservation and
 * says whether it was recorded (else its problems are in d and nothing may
 * be committed).  true without a ledger. */
bool vc__job_issue_wait(struct vc_job_issue *is, vc_diag_t *d);
/* A page was drawn (the confirmation is prepared near the end). */
void vc__job_issue_page(struct vc_job_issue *is);
/* After the files: confirms (written) or gives back the new documents. */
vc_status_t vc__job_issue_end(vc_job_issue_t *is, bool written, vc_diag_t *d);
void vc__job_issue_free(vc_job_issue_t *is);
/* One CSV line (RFC 4180, CRLF) of n fields, NULL as empty (log.c). */
void vc__job_csv_row(FILE *out, const char *const *v, size_t n);
/* The run's document ids, in page order, into a new res->docs (print-ledger.c). */
vc_status_t vc__job_issue_docs(const vc_job_issue_t *is, vc_job_result_t *res, vc_diag_t *d);
/* ctx_open/ctx_free and one PDF at job->out, for reprint.c. */
vc_status_t vc__job_ctx_open(vc_job_ctx_t *c, const vc_job_t *job, vc_diag_t *d,
                             vc_job_result_t *res);
void vc__job_ctx_free(vc_job_ctx_t *c);
vc_status_t vc__job_render_one(vc_job_ctx_t *c, const vc_job_t *job, vc_diag_t *d,
                               vc_job_result_t *res);

/* True when the job was asked to stop; adds the diag (once). */
bool vc__job_cancelled(const vc_job_t *job, vc_diag_t *d);
/* Reports progress every 1,000 records and at the end. */
void vc__job_progress(const vc_job_t *job, long done, long total);
/* Lays out every selected record, only to find problems (stops when
 * cancelled).  Returns the number of records with problems. */
long vc__job_check_all(vc_job_ctx_t *c, const vc_job_t *job, vc_diag_t *d);
/* A list template (issue 13, list.c): every chosen row laid out and the
 * pages cut, only to find problems; the number of problems.  Render: the
 * list as one PDF at job->out. */
long vc__list_check(vc_job_ctx_t *c, const vc_job_t *job, vc_diag_t *d);
vc_status_t vc__list_render(vc_job_ctx_t *c, const vc_job_t *job, vc_diag_t *d,
                            vc_job_result_t *res);
/* A proof of a list: the table with one row (the sample, or the chosen
 * record), its total and end block, onto the current page of pdf.  false
 * when drawing failed. */
bool vc__list_proof(vc_engine_t *e, vc_data_t *data, vc_pagelayout_t *pl, long row,
                    vc_pdf_t *pdf, vc_diag_t *d);
/* --split: one PDF per selected record into job->split_dir (split.c). */
vc_status_t vc__job_split(vc_job_ctx_t *c, const vc_job_t *job, vc_diag_t *d,
                         vc_job_result_t *res);
/* ---- label sheets (sheet.c, issue 13) ---- */
/* The label options against the template (a sheet: or not), the sheet
 * and the list: VC_OK, or VC_E_USAGE with a diag.  With --copies-from,
 * the records of 0 labels leave c's selection (not drawn, not issued);
 * VC_E_INPUT with a diag when none is left. */
vc_status_t vc__job_labels_check(vc_job_ctx_t *c, const vc_job_t *job, vc_diag_t *d);
/* --copies-from: reports each chosen record whose count is not a number;
 * returns how many. */
long vc__job_labels_check_counts(const vc_job_ctx_t *c, const vc_job_t *job, vc_diag_t *d);
/* A sheet template's render: every label into one PDF at job->out. */
vc_status_t vc__job_render_sheet(vc_job_ctx_t *c, const vc_job_t *job, vc_diag_t *d,
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

/* One output file, named path only once whole (job.c): the set it is in
 * (NULL when path is refused), its descriptor in *fd (-1 + diag).  The
 * caller writes it, then always calls vc__job_out_close. */
vc_pdf_files_t *vc__job_out_open(const char *path, int *fd, vc_diag_t *d);
/* Ends that file (ok: written whole), waits for the issue (is, NULL: none)
 * and names it; adds the stale temporaries removed to *stale (NULL: not
 * counted) and frees files.  true when the file is named. */
bool vc__job_out_close(vc_pdf_files_t *files, int fd, bool ok, vc_job_issue_t *is,
                       long *stale, vc_diag_t *d);

#endif
