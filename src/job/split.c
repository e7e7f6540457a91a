/*
 * split.c - --split: one PDF per selected record (see job.h).
 *
 * Names for every record come first, so collisions and existing files stop
 * the job before anything is written; then a check pass; only then is the
 * folder created (when missing) and anything written.
 *
 * Records are drawn in batches into one document each, which pdf-split.c
 * cuts into one file per page: the per-document costs (font setup, font
 * programs) are paid once per batch.  A batch ends at SPLIT_BATCH records,
 * or earlier when it holds SPLIT_MAX_IMAGES images (per-record photos stay
 * in memory until the batch is cut).  A batch is cut into files on a
 * second thread while the next one is drawn (libharu documents are
 * independent; each is used by one thread at a time): about a fifth less
 * wall time for 10,000 files on two cores.  All files go into one
 * vc_pdf_files_t set: they appear only when all are written and on disk.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/i18n.h"
#include "core/text.h"
#include "job/engine.h"
#include "job/job-private.h"
#include "render/pdf.h"

#define SPLIT_BATCH 1000
#define SPLIT_MAX_IMAGES 64

/* One batch being cut into files, on a thread of its own. */
typedef struct split_batch {
  vc_pdf_t *pdf;            /* freed by split_batch_run */
  vc_diag_t *d;             /* the document's diag list: one thread at a time */
  const char *const *names; /* file names in the split directory */
  long n;
  vc_pdf_files_t *files;
  bool ok;
} split_batch_t;

static void *split_batch_run(void *arg) {
  split_batch_t *b = arg;
  b->ok = vc_pdf_split(b->pdf, b->names, b->n, b->files);
  vc_pdf_free(b->pdf);
  b->pdf = NULL;
  return NULL;
}

/* Moves b's diags into d and frees them; returns whether the batch went
 * well. */
static bool split_batch_end(split_batch_t *b, vc_diag_t *d) {
  for (size_t i = 0; b->d && i < vc_diag_kept(b->d); i++) {
    const vc_diag_item_t *it = vc_diag_get(b->d, i);
    vc_diag_add(d, it->status, it->file, it->line, it->col, "%s", it->msg);
  }
  vc_diag_free(b->d);
  b->d = NULL;
  return b->ok;
}

/* Draws records from sel[from] on, one page each, into a new document
 * reporting into pd (layout problems go to d), until `to`, SPLIT_BATCH
 * records or SPLIT_MAX_IMAGES images.  Returns the end of the batch, with
 * *out the document; *out NULL after a diag. */
static long split_draw(vc_job_ctx_t *c, const vc_job_t *job, long from, long to,
                       vc_pdf_t **out, vc_diag_t *pd, vc_diag_t *d) {
  vc_pdf_t *pdf = vc_pdf_create(vc_engine_title(c->e), pd);
  long i = from;
  if (to - from > SPLIT_BATCH) to = from + SPLIT_BATCH;
  for (; pdf && i < to && vc_pdf_images_held(pdf) < SPLIT_MAX_IMAGES; i++) {
    long row = c->sel.rows[i];
    if (vc__job_cancelled(job, d) || vc_page_layout(c->pl, c->data, row, d) > 0 ||
        !vc_data_row_ok(c->data, row) || !vc_page_draw(c->pl, pdf, d)) {
      vc_pdf_free(pdf);
      pdf = NULL;
      break;
    }
    if (c->tsv) vc_page_dump(c->pl, 1, c->tsv); /* page 1 of its own file */
    vc__job_issue_page(c->is);
    vc__job_progress(job, i + 1, c->sel.n);
  }
  *out = pdf;
  return i;
}

/* Writes one file per selected record, names[i] being "<dir>/<name>". */
static vc_status_t write_split(vc_job_ctx_t *c, const vc_job_t *job, char **names,
                               size_t dirlen, vc_diag_t *d, vc_job_result_t *res) {
  long n = c->sel.n;
  const char **base = malloc((size_t)n * sizeof *base);
  if (!base) return vc__nomem(d, job->split_dir, _("naming the files"));
  for (long i = 0; i < n; i++) base[i] = names[i] + dirlen + 1;
  vc_pdf_files_t *files = vc_pdf_files_open(job->split_dir, job->overwrite, d);
  /* libharu's UTF-8 font setup puts 128 KiB arrays on the stack. */
  pthread_attr_t attr;
  bool have_attr = pthread_attr_init(&attr) == 0;
  if (have_attr) pthread_attr_setstacksize(&attr, 8u << 20);
  split_batch_t b = {0};
  pthread_t th;
  bool running = false, ok = files != NULL;
  for (long from = 0, to; ok && from < n; from = to) {
    vc_diag_t *pd = vc_diag_create();
    vc_pdf_t *pdf = NULL;
    if (!pd) vc__nomem(d, job->split_dir, _("writing the files"));
    to = pd ? split_draw(c, job, from, n, &pdf, pd, d) : from;
    if (running) {
      pthread_join(th, NULL);
      running = false;
      ok = split_batch_end(&b, d);
    }
    if (!pdf || !ok) {
      vc_pdf_free(pdf);
      b = (split_batch_t){.d = pd};
      split_batch_end(&b, d);
      ok = false;
      break;
    }
    b = (split_batch_t){pdf, pd, base + from, to - from, files, false};
    /* The last batch has nothing to overlap with: cut it here. */
    running = to < n && have_attr && pthread_create(&th, &attr, split_batch_run, &b) == 0;
    if (!running) {
      split_batch_run(&b);
      ok = split_batch_end(&b, d);
    }
  }
  if (running) {
    pthread_join(th, NULL);
    ok = split_batch_end(&b, d) && ok;
  }
  if (have_attr) pthread_attr_destroy(&attr);
  if (ok && vc__job_cancelled(job, d)) ok = false; /* the last batch's files too */
  if (ok) ok = vc__job_issue_wait(c->is, d) && vc_pdf_files_commit(files, d);
  if (ok) {
    res->files += n;
    res->pages += n;
  }
  res->stale += vc_pdf_files_stale_removed(files);
  vc_pdf_files_free(files);
  free(base);
  return ok ? VC_OK : vc__job_fail(d);
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Each record's file name "<dir>/<name>.pdf" into names[]; problems (an
 * empty name, an existing file without --overwrite) into d.  VC_OK, or
 * the status that stops the job at once. */
static vc_status_t make_names(vc_job_ctx_t *c, const vc_job_t *job, char **names,
                              vc_diag_t *d) {
  const char *pattern = job->name_pattern ? job->name_pattern : "{ma_sv}";
  size_t dirlen = strlen(job->split_dir);
  struct stat sb;
  for (long i = 0; i < c->sel.n; i++) {
    long row = c->sel.rows[i];
    char *raw = vc_data_expand(c->data, row, pattern, d);
    if (!raw) {
      if (i == 0) return vc__job_fail(d); /* an unknown placeholder: said once */
      continue;
    }
    char *safe = vc_filename_safe(raw, job->ascii_names);
    free(raw);
    if (!safe) return vc__nomem(d, job->split_dir, _("naming the files"));
    if (!strcmp(safe, "_")) { /* nothing usable left of the name */
      vc_diag_add(d, VC_E_INPUT, vc_data_name(c->data), vc_data_row_line(c->data, row), 0,
                  "--name '%s' gives an empty file name for this record: are its "
                  "columns empty?", pattern);
      free(safe);
      continue;
    }
    size_t n = dirlen + strlen(safe) + 6;
    names[i] = malloc(n);
    if (names[i]) snprintf(names[i], n, "%s/%s.pdf", job->split_dir, safe);
    free(safe);
    if (!names[i]) return vc__nomem(d, job->split_dir, _("naming the files"));
    if (!job->overwrite && stat(names[i], &sb) == 0)
      vc_diag_add(d, VC_E_INPUT, vc_data_name(c->data), vc_data_row_line(c->data, row), 0,
                  "%s already exists; it is not overwritten (use --overwrite "
                  "to replace it)", names[i]);
  }
  return VC_OK;
}

/* Two records whose file names differ only in case (FAT, NTFS, macOS see
 * one file): each repeat named against the first.  VC_E_NOMEM or VC_OK. */
static vc_status_t find_collisions(vc_job_ctx_t *c, char **names, size_t dirlen,
                                   vc_diag_t *d) {
  long n = c->sel.n;
  char **sorted = calloc((size_t)(n ? n : 1), sizeof *sorted);
  vc_status_t st = sorted ? VC_OK : VC_E_NOMEM;
  for (long i = 0; st == VC_OK && i < n; i++)
    if (!(sorted[i] = vc_text_lower(names[i]))) st = VC_E_NOMEM;
  if (st == VC_OK) qsort(sorted, (size_t)n, sizeof *sorted, cmp_str);
  for (long i = 1; st == VC_OK && i < n; i++) {
    if (strcmp(sorted[i - 1], sorted[i]) != 0) continue;
    long first = -1;
    for (long j = 0; j < n; j++) {
      char *low = vc_text_lower(names[j]);
      bool same = low && strcmp(low, sorted[i]) == 0;
      free(low);
      if (!same) continue;
      if (first < 0) {
        first = j;
        continue;
      }
      vc_diag_add(d, VC_E_INPUT, vc_data_name(c->data), vc_data_row_line(c->data, c->sel.rows[j]), 0,
                  "the file name \"%s\" is the same as for the record on line "
                  "%d: add a unique column to --name (e.g. {ma_sv})",
                  names[j] + dirlen + 1, vc_data_row_line(c->data, c->sel.rows[first]));
      break;
    }
    while (i + 1 < n && strcmp(sorted[i], sorted[i + 1]) == 0) i++;
  }
  for (long i = 0; sorted && i < n; i++) free(sorted[i]);
  free(sorted);
  return st == VC_E_NOMEM ? vc__nomem(d, NULL, _("comparing the file names")) : st;
}

vc_status_t vc__job_split(vc_job_ctx_t *c, const vc_job_t *job, vc_diag_t *d,
                         vc_job_result_t *res) {
  char **names = calloc((size_t)(c->sel.n ? c->sel.n : 1), sizeof *names);
  if (!names) return vc__nomem(d, job->split_dir, _("naming the files"));
  vc_status_t st = VC_OK;
  bool made = false;
  struct stat sb;
  if (stat(job->split_dir, &sb) == 0 && !S_ISDIR(sb.st_mode)) {
    vc_diag_add(d, VC_E_IO, job->split_dir, 0, 0, "not a folder");
    st = VC_E_IO;
  }
  size_t dirlen = strlen(job->split_dir);
  if (st == VC_OK) st = make_names(c, job, names, d);
  if (st == VC_OK && !vc_diag_count(d)) st = find_collisions(c, names, dirlen, d);
  if (st == VC_OK && !vc_diag_count(d) && vc__job_check_all(c, job, d) == 0 &&
      !vc_diag_count(d)) {
    /* Everything checked: only now is the folder made. */
    if (mkdir(job->split_dir, 0777) == 0) made = true;
    else if (errno != EEXIST) {
      vc_diag_add(d, VC_E_IO, job->split_dir, 0, 0, "cannot create the folder: %s",
                  strerror(errno));
      st = VC_E_IO;
    }
    if (st == VC_OK) st = write_split(c, job, names, dirlen, d, res);
    if (st != VC_OK && made) rmdir(job->split_dir); /* only when empty */
  }
  for (long i = 0; i < c->sel.n; i++) free(names[i]);
  free(names);
  if (st == VC_OK && vc_diag_count(d)) st = vc__job_fail(d);
  return st;
}
