/*
 * job.c - render, split, volumes, check (see job.h).
 *
 * One PDF: records are laid out and drawn in one pass; the first problem
 * stops drawing (the document is discarded) but laying out goes on, so every
 * problem is reported in one run.  Several files (split, volumes): a check
 * pass first, so a problem in record 9,000 is found before file 1 is written.
 */
#include "job/job.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/text.h"
#include "job/engine-private.h"
#include "job/job-private.h"
#include "render/pdf.h"

/* What every job starts with: engine, data, selection. */
typedef struct ctx {
  vc_engine_t *e;
  vc_data_t *data;
  vc_selection_t sel;
  vc_pagelayout_t *pl;
  FILE *tsv;
} ctx_t;

static void ctx_free(ctx_t *c) {
  if (c->tsv) fclose(c->tsv);
  vc_pagelayout_free(c->pl);
  vc_selection_free(&c->sel);
  vc_data_free(c->data);
  vc_engine_free(c->e);
  memset(c, 0, sizeof *c);
}

static vc_status_t fail(vc_diag_t *d) {
  vc_status_t st = vc_diag_status(d);
  return st == VC_OK ? VC_E_INTERNAL : st;
}

static vc_status_t ctx_open(ctx_t *c, const vc_job_t *job, vc_diag_t *d,
                            vc_job_result_t *res) {
  memset(c, 0, sizeof *c);
  c->e = vc_engine_create(job->template_path, job->fonts_dir, d);
  if (!c->e) return fail(d);
  c->data = job->data_path ? vc_data_load(c->e, job->data_path, &job->read, d)
                           : vc_data_sample(c->e);
  if (!c->data) return fail(d);
  const vc_table_t *t = vc_data_table(c->data);
  int name_col = vc_data_col(c->data, "ho_ten");
  if (name_col < 0) name_col = vc_job_name_col(t);
  /* a reprint by name must find exactly one person */
  vc_status_t st = vc_job_choose(job, t, name_col, true, &c->sel, d, res);
  if (st != VC_OK) return st;
  if (!vc_data_check_rows(c->data, c->sel.rows, c->sel.n, d)) return VC_E_NOMEM;
  c->pl = vc_pagelayout_create(c->e);
  if (!c->pl) return VC_E_NOMEM;
  if (job->layout_tsv && !(c->tsv = fopen(job->layout_tsv, "w"))) {
    vc_diag_add(d, VC_E_IO, job->layout_tsv, 0, 0, "cannot write: %s", strerror(errno));
    return VC_E_IO;
  }
  return VC_OK;
}

/* Lays out every selected record, only to find problems.  Returns count. */
static long check_all(ctx_t *c, const vc_job_t *job, vc_diag_t *d) {
  long problems = 0;
  for (long i = 0; i < c->sel.n; i++) {
    problems += vc_page_layout(c->pl, c->data, c->sel.rows[i], d) > 0;
    if (job->progress && (i + 1) % 1000 == 0) job->progress(job->progress_ud, i + 1, c->sel.n);
  }
  return problems;
}

vc_status_t vc_job_check(const vc_job_t *job, vc_diag_t *d, vc_job_result_t *res) {
  ctx_t c;
  vc_status_t st = ctx_open(&c, job, d, res);
  if (st == VC_OK && vc_data_usable(c.data)) check_all(&c, job, d);
  if (res) res->records = c.sel.n;
  ctx_free(&c);
  if (st != VC_OK) return st;
  return vc_diag_count(d) ? fail(d) : VC_OK;
}

/* Writes records sel[from, to) into one PDF at path. */
static vc_status_t write_pdf(ctx_t *c, const vc_job_t *job, long from, long to,
                             const char *path, bool checked, vc_diag_t *d,
                             vc_job_result_t *res) {
  vc_pdf_t *pdf = vc_pdf_create(vc_engine_title(c->e), d);
  if (!pdf) return fail(d);
  long problems = 0;
  for (long i = from; i < to; i++) {
    int p = vc_page_layout(c->pl, c->data, c->sel.rows[i], d);
    if (p > 0 || !vc_data_row_ok(c->data, c->sel.rows[i])) {
      problems++;
      if (pdf) vc_pdf_free(pdf), pdf = NULL; /* nothing will be written */
    } else if (pdf) {
      if (!vc_page_draw(c->pl, pdf, d)) {
        vc_pdf_free(pdf);
        return fail(d);
      }
      if (c->tsv) vc_page_dump(c->pl, vc_pdf_page_count(pdf), c->tsv);
    }
    if (job->progress && (i + 1) % 1000 == 0) job->progress(job->progress_ud, i + 1, c->sel.n);
  }
  (void)checked;
  if (!pdf || problems) {
    vc_pdf_free(pdf);
    return fail(d);
  }
  bool ok = vc_pdf_save_file(pdf, path);
  if (ok && res) {
    res->pages += vc_pdf_page_count(pdf);
    res->files++;
  }
  vc_pdf_free(pdf);
  return ok ? VC_OK : fail(d);
}

/* "out.pdf" -> "out-001.pdf". */
static char *volume_name(const char *out, long k, long nvol) {
  const char *dot = strrchr(out, '.');
  const char *slash = strrchr(out, '/');
  if (!dot || (slash && dot < slash) || vc_ascii_casecmp(dot, ".pdf") != 0) dot = out + strlen(out);
  int digits = nvol >= 1000 ? (nvol >= 10000 ? 5 : 4) : 3;
  size_t n = strlen(out) + 16;
  char *s = malloc(n);
  if (s) snprintf(s, n, "%.*s-%0*ld%s", (int)(dot - out), out, digits, k, *dot ? dot : ".pdf");
  return s;
}

static vc_status_t render_volumes(ctx_t *c, const vc_job_t *job, vc_diag_t *d,
                                  vc_job_result_t *res) {
  long nvol = (c->sel.n + job->volume_pages - 1) / job->volume_pages;
  for (long k = 0; k < nvol; k++) {
    char *name = volume_name(job->out, k + 1, nvol);
    if (!name) return VC_E_NOMEM;
    long from = k * job->volume_pages;
    long to = from + job->volume_pages < c->sel.n ? from + job->volume_pages : c->sel.n;
    vc_status_t st = write_pdf(c, job, from, to, name, true, d, res);
    free(name);
    if (st != VC_OK) return st;
  }
  return VC_OK;
}

/* --split draws up to this many records into one document, then cuts it
 * into one file per record (pdf-split.c): the per-document costs (font
 * setup, font programs) are paid once per batch, and memory stays bounded
 * (two documents at most: one being drawn, one being written). */
#define SPLIT_BATCH 1000

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

/* Draws records sel[from, to), one page each, into a new document reporting
 * into pd (layout problems go to d).  NULL after a diag. */
static vc_pdf_t *split_draw(ctx_t *c, const vc_job_t *job, long from, long to,
                            vc_diag_t *pd, vc_diag_t *d) {
  vc_pdf_t *pdf = vc_pdf_create(vc_engine_title(c->e), pd);
  for (long i = from; pdf && i < to; i++) {
    long row = c->sel.rows[i];
    if (vc_page_layout(c->pl, c->data, row, d) > 0 || !vc_data_row_ok(c->data, row) ||
        !vc_page_draw(c->pl, pdf, d)) {
      vc_pdf_free(pdf);
      return NULL;
    }
    if (c->tsv) vc_page_dump(c->pl, 1, c->tsv); /* page 1 of its own file */
    if (job->progress && (i + 1) % 1000 == 0) job->progress(job->progress_ud, i + 1, c->sel.n);
  }
  return pdf;
}

/* Writes one file per selected record, names[i] being "<dir>/<name>".  A
 * batch is cut into files on a second thread while the next one is drawn
 * (libharu documents are independent; each is used by one thread at a
 * time): about a fifth less wall time for 10,000 files on two cores.  The
 * files appear only when all are written and on disk, so a failed run
 * leaves none of them (vc_pdf_files_commit). */
static vc_status_t write_split(ctx_t *c, const vc_job_t *job, char **names, size_t dirlen,
                               vc_diag_t *d, vc_job_result_t *res) {
  long n = c->sel.n;
  const char **base = malloc((size_t)n * sizeof *base);
  if (!base) return VC_E_NOMEM;
  for (long i = 0; i < n; i++) base[i] = names[i] + dirlen + 1;
  vc_pdf_files_t *files = vc_pdf_files_open(job->split_dir, job->overwrite, d);
  /* libharu's UTF-8 font setup puts 128 KiB arrays on the stack. */
  pthread_attr_t attr;
  bool have_attr = pthread_attr_init(&attr) == 0;
  if (have_attr) pthread_attr_setstacksize(&attr, 8u << 20);
  split_batch_t b = {0};
  pthread_t th;
  bool running = false, ok = files != NULL;
  for (long from = 0; ok && from < n; from += SPLIT_BATCH) {
    long to = n - from > SPLIT_BATCH ? from + SPLIT_BATCH : n;
    vc_diag_t *pd = vc_diag_create();
    vc_pdf_t *pdf = pd ? split_draw(c, job, from, to, pd, d) : NULL;
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
  if (ok) ok = vc_pdf_files_commit(files, d);
  if (ok && res) {
    res->files += n;
    res->pages += n;
  }
  vc_pdf_files_free(files);
  free(base);
  return ok ? VC_OK : fail(d);
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Split: names for every record first, so collisions and existing files
 * stop the job before anything is written. */
static vc_status_t render_split(ctx_t *c, const vc_job_t *job, vc_diag_t *d,
                                vc_job_result_t *res) {
  const char *pattern = job->name_pattern ? job->name_pattern : "{ma_sv}";
  char **names = calloc((size_t)(c->sel.n ? c->sel.n : 1), sizeof *names);
  char **sorted = calloc((size_t)(c->sel.n ? c->sel.n : 1), sizeof *sorted);
  vc_status_t st = VC_OK;
  if (!names || !sorted) {
    st = VC_E_NOMEM;
    goto out;
  }
  struct stat sb;
  if (stat(job->split_dir, &sb) != 0) {
    if (mkdir(job->split_dir, 0777) != 0) {
      vc_diag_add(d, VC_E_IO, job->split_dir, 0, 0, "cannot create the directory: %s", strerror(errno));
      st = VC_E_IO;
      goto out;
    }
  } else if (!S_ISDIR(sb.st_mode)) {
    vc_diag_add(d, VC_E_IO, job->split_dir, 0, 0, "not a directory");
    st = VC_E_IO;
    goto out;
  }
  size_t dirlen = strlen(job->split_dir);
  for (long i = 0; i < c->sel.n; i++) {
    long row = c->sel.rows[i];
    char *raw = vc_data_expand(c->data, row, pattern, d);
    if (!raw) {
      if (i == 0) goto out; /* an unknown placeholder: said once, not per record */
      continue;
    }
    char *safe = vc_filename_safe(raw, job->ascii_names);
    free(raw);
    if (!safe) {
      st = VC_E_NOMEM;
      goto out;
    }
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
    if (!names[i]) {
      st = VC_E_NOMEM;
      goto out;
    }
    if (!job->overwrite && stat(names[i], &sb) == 0)
      vc_diag_add(d, VC_E_INPUT, vc_data_name(c->data), vc_data_row_line(c->data, row), 0,
                  "%s already exists; it is not overwritten (use --overwrite "
                  "to replace it)", names[i]);
  }
  if (vc_diag_count(d)) goto out;
  /* Collisions, compared case-insensitively (FAT, NTFS, macOS). */
  for (long i = 0; i < c->sel.n; i++) {
    sorted[i] = vc_text_lower(names[i]);
    if (!sorted[i]) {
      st = VC_E_NOMEM;
      goto out;
    }
  }
  qsort(sorted, (size_t)c->sel.n, sizeof *sorted, cmp_str);
  for (long i = 1; i < c->sel.n; i++) {
    if (strcmp(sorted[i - 1], sorted[i]) != 0) continue;
    long first = -1;
    for (long j = 0; j < c->sel.n; j++) {
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
    while (i + 1 < c->sel.n && strcmp(sorted[i], sorted[i + 1]) == 0) i++;
  }
  if (vc_diag_count(d)) goto out;
  if (check_all(c, job, d) > 0 || vc_diag_count(d)) goto out;
  st = write_split(c, job, names, dirlen, d, res);
out:
  for (long i = 0; names && i < c->sel.n; i++) free(names[i]);
  for (long i = 0; sorted && i < c->sel.n; i++) free(sorted[i]);
  free(names);
  free(sorted);
  if (st == VC_OK && vc_diag_count(d)) st = fail(d);
  return st;
}

vc_status_t vc_job_render(const vc_job_t *job, vc_diag_t *d, vc_job_result_t *res) {
  if (!vc_job_outputs_safe(job, d)) return VC_E_USAGE;
  ctx_t c;
  vc_status_t st = ctx_open(&c, job, d, res);
  if (st == VC_OK && res) res->records = c.sel.n;
  if (st == VC_OK && !vc_data_usable(c.data)) st = fail(d);
  if (st == VC_OK && c.sel.n == 0) {
    vc_diag_add(d, VC_E_INPUT, vc_data_name(c.data), 0, 0, "no records to print");
    st = VC_E_INPUT;
  }
  if (st == VC_OK) {
    if (job->split_dir) st = render_split(&c, job, d, res);
    else if (job->volume_pages > 0) { /* always OUT-001.pdf...: predictable */
      if (check_all(&c, job, d) > 0 || vc_diag_count(d)) st = fail(d);
      else st = render_volumes(&c, job, d, res);
    } else
      st = write_pdf(&c, job, 0, c.sel.n, job->out, false, d, res);
  }
  ctx_free(&c);
  if (st == VC_OK && vc_diag_count(d)) st = fail(d);
  return st;
}
