/*
 * job.h - whole jobs over the engine: render a list into one PDF, into
 * volumes of N pages, or one PDF per recipient; check without rendering;
 * proof a template.  The CLI fills a vc_job_t from its options and calls one
 * of these; nothing here prints (progress goes through a callback).
 */
#ifndef VC_JOB_H
#define VC_JOB_H

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>

#include "core/diag.h"
#include "input/reader.h"
#include "records/collate.h"

typedef void (*vc_progress_fn)(void *ud, long done, long total);

typedef struct vc_job {
  const char *template_path;
  const char *data_path;     /* NULL for proof without data */
  const char *fonts_dir;     /* bundled fonts, NULL = none */
  const char *out;           /* output PDF (or volume base name) */
  const char *split_dir;     /* one PDF per record into this directory */
  const char *name_pattern;  /* file names for split: "{ma_sv}-{ho_ten}" */
  bool ascii_names;          /* strip diacritics from split names */
  bool overwrite;            /* split: replace existing files */
  vc_read_opts_t read;       /* --encoding, --sheet */
  const char *rows;          /* "3,7-9", NULL = all */
  const char **where;        /* "column=value" conditions, ANDed */
  int nwhere;
  const char *match;         /* find people by (part of) their name */
  bool all_matches;          /* --match may select several records */
  const char *sort;          /* "ten" (class-list name order), "ten-dem-ho" or columns, comma-separated */
  vc_tone_order_t tones;
  const char *key;           /* column that must be unique; NULL = ma_sv if present */
  long volume_pages;         /* 0 = one file */
  const char *layout_tsv;    /* write the layout dump here (tests) */
  const char *images_dir;    /* per-record images may also come from here */
  vc_progress_fn progress;
  void *progress_ud;
  /* Set (non-zero) from anywhere, a signal handler included, to stop the
   * job: it ends with VC_E_CANCELLED and writes nothing.  NULL: never. */
  volatile sig_atomic_t *cancel;
} vc_job_t;

/* What a job did, for the CLI's final message. */
typedef struct vc_job_result {
  long records;   /* records selected */
  long pages;     /* pages written */
  long files;     /* files written */
  long matched;   /* records --match found */
  long stale;     /* temporary files of killed runs removed */
  vc_read_info_t read; /* what reading the list found (render, check, proof) */
} vc_job_result_t;

/* Each returns VC_OK or the status of the first problem; all problems are
 * in d.  On any problem, or when cancelled, nothing is written: every file
 * of a run (one PDF, its volumes, the --split files, the layout dump)
 * appears whole at the end, together, or not at all.  job->out "-" writes
 * the PDF to standard output (after checking every record first). */
vc_status_t vc_job_render(const vc_job_t *job, vc_diag_t *d, vc_job_result_t *res);
vc_status_t vc_job_check(const vc_job_t *job, vc_diag_t *d, vc_job_result_t *res);
vc_status_t vc_job_proof(const vc_job_t *job, vc_diag_t *d, vc_job_result_t *res);
/* `vncert data`: the records as vncert reads them, as CSV (UTF-8 NFC, RFC
 * 4180) on out: a first column "line", then the file's columns.  A summary
 * (encoding, delimiter, counts) goes to *info.  No template needed. */
vc_status_t vc_job_data(const vc_job_t *job, FILE *out, vc_diag_t *d,
                        vc_read_info_t *info, vc_job_result_t *res);

/* Makes a string safe as a file name on every file system: no '/', '\\',
 * control characters or characters Windows refuses (<>:"|?*), no leading or
 * trailing dots and spaces, not a reserved DOS device name, at most 200
 * bytes (cut between characters); diacritics stripped when ascii.  Returns a
 * new string (caller frees), "_" for an empty result; NULL on no memory. */
char *vc_filename_safe(const char *name, bool ascii);

/* False (+ a usage diag) when an output path of the job (-o, the layout
 * dump) names one of its input files: nothing the user gave is ever
 * written over. */
bool vc_job_outputs_safe(const vc_job_t *job, vc_diag_t *d);
/* The same for one more output path (a volume). */
bool vc_job_output_safe(const vc_job_t *job, const char *path, vc_diag_t *d);

#endif
