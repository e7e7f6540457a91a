/*
 * job.c - render into one PDF or into volumes, and check (see job.h); the
 * one-file-per-record split is in split.c.
 *
 * One PDF: records are laid out and drawn in one pass, and each finished
 * page goes to the file at once (vc_pdf_stream), so memory does not grow
 * with the list.  The first problem stops drawing (the file is dropped) but
 * laying out goes on, so every problem is reported in one run.  Volumes and
 * standard output: a check pass first, so a problem in record 9,000 is
 * found before anything is written (standard output cannot be taken back).
 *
 * Every file of a run is written into one vc_pdf_files_t set and appears
 * only when the whole run succeeded: a failure or Ctrl-C part-way leaves no
 * file and no temporary behind.
 */
#include "job/job-private.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/i18n.h"
#include "core/text.h"
#include "job/engine-private.h"
#include "job/job-private.h"
#include "render/pdf.h"

void vc__job_ctx_free(vc_job_ctx_t *c) {
  if (c->tsv) fclose(c->tsv);
  vc_pagelayout_free(c->pl);
  vc_selection_free(&c->sel);
  vc_data_free(c->data);
  vc_engine_free(c->e);
  memset(c, 0, sizeof *c);
}

vc_status_t vc__nomem(vc_diag_t *d, const char *file, const char *what) {
  /* TRANSLATORS: %s is what was being done, one of the messages that start
   * with a verb ("naming the volumes", "reading the list", ...). */
  vc_diag_add(d, VC_E_NOMEM, file, 0, 0, "out of memory %s", what);
  return VC_E_NOMEM;
}

vc_status_t vc__job_fail(vc_diag_t *d) {
  vc_status_t st = vc_diag_status(d);
  return st == VC_OK ? VC_E_INTERNAL : st;
}

bool vc__job_cancelled(const vc_job_t *job, vc_diag_t *d) {
  if (!job->cancel || !*job->cancel) return false;
  if (vc_diag_status(d) != VC_E_CANCELLED)
    vc_diag_add(d, VC_E_CANCELLED, NULL, 0, 0, "interrupted: nothing was written");
  return true;
}

void vc__job_progress(const vc_job_t *job, long done, long total) {
  if (job->progress && (done % 1000 == 0 || done == total))
    job->progress(job->progress_ud, done, total);
}

vc_status_t vc__job_ctx_open(vc_job_ctx_t *c, const vc_job_t *job, vc_diag_t *d,
                             vc_job_result_t *res) {
  memset(c, 0, sizeof *c);
  /* an unknown --encoding is a usage error, said before the template */
  vc_status_t est = vc_encoding_check(job->read.encoding, d);
  if (est != VC_OK) return est;
  c->e = vc_engine_create(job->template_path, job->fonts_dir, d);
  if (!c->e) return vc__job_fail(d);
  if (job->calibration) { /* the printer's (issue 13, point 2) */
    if (!vc_calibration_load(job->calibration, &c->e->calib, d)) return vc__job_fail(d);
    c->e->calibrated = true;
  }
  c->data = job->data_path ? vc_data_load(c->e, job->data_path, &job->read, d)
                           : vc_data_sample(c->e, d);
  if (!c->data) return vc__job_fail(d);
  if (res) res->read = *vc_data_read_info(c->data);
  if (!vc_data_set_images_dir(c->data, job->images_dir, d)) return VC_E_USAGE;
  const vc_table_t *t = vc_data_table(c->data);
  int name_col = vc_data_col(c->data, "ho_ten");
  if (name_col < 0) name_col = vc__job_name_col(t);
  /* a reprint by name must find exactly one person */
  vc_status_t st = vc__job_choose(job, t, name_col, true, &c->sel, d, res);
  if (st != VC_OK) return st;
  if (!vc__data_check_rows(c->data, c->sel.rows, c->sel.n, d)) return VC_E_NOMEM; /* said */
  c->pl = vc_pagelayout_create(c->e, d);
  if (!c->pl) return VC_E_NOMEM; /* said */
  if (job->layout_tsv && !(c->tsv = tmpfile())) {
    vc_diag_add(d, VC_E_IO, job->layout_tsv, 0, 0,
                "cannot make a temporary file for it: %s", strerror(errno));
    return VC_E_IO;
  }
  return VC_OK;
}

long vc__job_check_all(vc_job_ctx_t *c, const vc_job_t *job, vc_diag_t *d) {
  if (c->e->tpl->list) return vc__list_check(c, job, d); /* issue 13 */
  long problems = 0;
  for (long i = 0; i < c->sel.n && !vc__job_cancelled(job, d); i++) {
    problems += vc_page_layout(c->pl, c->data, c->sel.rows[i], d) > 0;
    vc__job_progress(job, i + 1, c->sel.n);
  }
  return problems;
}

vc_status_t vc_job_check(const vc_job_t *job, vc_diag_t *d, vc_job_result_t *res) {
  vc_job_ctx_t c;
  vc_status_t st = vc__job_ctx_open(&c, job, d, res);
  if (st == VC_OK) st = vc__job_labels_check(&c, job, d); /* labels: sheet.c */
  if (st == VC_OK && vc__data_usable(c.data)) {
    vc__job_check_all(&c, job, d);
    vc__job_labels_check_counts(&c, job, d);
  }
  if (res) res->records = c.sel.n;
  vc__job_ctx_free(&c);
  if (st != VC_OK) return st;
  return vc_diag_count(d) ? vc__job_fail(d) : VC_OK;
}

/* Writes records sel[from, to) as one PDF to fd, page by page.  Without
 * `checked` a problem stops drawing but every record is still laid out, to
 * report all problems.  false after a diag. */
static bool write_pdf(vc_job_ctx_t *c, const vc_job_t *job, long from, long to,
                      int fd, bool checked, vc_diag_t *d) {
  vc_pdf_t *pdf = vc_pdf_create(vc_engine_title(c->e), d);
  vc_pdf_stream_t *s = pdf ? vc_pdf_stream_open(pdf, fd) : NULL;
  bool ok = s != NULL;
  for (long i = from; i < to && (ok || !checked); i++) {
    if (vc__job_cancelled(job, d)) {
      ok = false;
      break;
    }
    long row = c->sel.rows[i];
    if (vc_page_layout(c->pl, c->data, row, d) > 0 || !vc_data_row_ok(c->data, row))
      ok = false; /* nothing will be written; the rest is still checked */
    else if (ok && !(vc_page_draw(c->pl, pdf, d) && vc_pdf_stream_flush(s)))
      break; /* an I/O or PDF failure: the rest cannot be drawn either */
    else if (ok && c->tsv)
      vc_page_dump(c->pl, vc_pdf_page_count(pdf), c->tsv);
    if (ok) vc__job_issue_page(c->is);
    vc__job_progress(job, i + 1, c->sel.n);
  }
  ok = ok && vc_pdf_stream_close(s);
  vc_pdf_stream_free(s);
  vc_pdf_free(pdf);
  return ok && !vc_diag_count(d);
}

/* "out.pdf" -> "out-001.pdf". */
char *vc_job_volume_name(const char *out, long k, long nvol) {
  const char *dot = strrchr(out, '.');
  const char *slash = strrchr(out, '/');
  if (!dot || (slash && dot < slash) || vc_ascii_casecmp(dot, ".pdf") != 0) dot = out + strlen(out);
  int digits = nvol >= 1000 ? (nvol >= 10000 ? 5 : 4) : 3;
  size_t n = strlen(out) + 16;
  char *s = malloc(n);
  if (s) snprintf(s, n, "%.*s-%0*ld%s", (int)(dot - out), out, digits, k, *dot ? dot : ".pdf");
  return s;
}

/* Volumes of an earlier run that this one did not replace: "OUT-NNN.pdf"
 * beside the new ones with a number past nvol (or another width).  Each is
 * named in a warning, so that it is not printed by mistake; none is
 * removed (they are the user's files now). */
static void warn_stale_volumes(const char *dir, const char *first, long nvol,
                               vc_diag_t *d) {
  /* first = "OUT-001.pdf": the stem is what comes before the digits */
  const char *dash = strrchr(first, '-');
  const char *ext = dash ? strchr(dash, '.') : NULL;
  if (!dash || !ext) return;
  size_t stem = (size_t)(dash - first) + 1, elen = strlen(ext);
  DIR *dp = opendir(dir);
  long seen = 0;
  for (struct dirent *e; dp && (e = readdir(dp)) != NULL;) {
    const char *nm = e->d_name;
    size_t n = strlen(nm), k = stem;
    if (n <= stem + elen || strncmp(nm, first, stem) != 0 ||
        vc_ascii_casecmp(nm + n - elen, ext) != 0)
      continue;
    long num = 0;
    while (k < n - elen && nm[k] >= '0' && nm[k] <= '9' && num < 10000000)
      num = num * 10 + (nm[k++] - '0');
    if (k != n - elen || k == stem) continue;
    int width = (int)(k - stem), want = nvol >= 1000 ? (nvol >= 10000 ? 5 : 4) : 3;
    if ((num >= 1 && num <= nvol && width == want) || ++seen > 20) continue;
    vc_diag_add(d, VC_WARN, nm, 0, 0,
                vc__ngettext("this volume is from an earlier run, not this one (which "
                             "wrote %ld volume): delete it so that it is not printed by "
                             "mistake",
                             "this volume is from an earlier run, not this one (which "
                             "wrote %ld volumes): delete it so that it is not printed by "
                             "mistake",
                             (unsigned long)nvol),
                nvol);
  }
  if (dp) closedir(dp);
}

/* Every volume into one set of files: all appear at the end, or none. */
static vc_status_t render_volumes(vc_job_ctx_t *c, const vc_job_t *job, vc_diag_t *d,
                                  vc_job_result_t *res) {
  long nvol = (c->sel.n + job->volume_pages - 1) / job->volume_pages;
  char *dir = NULL, *base = NULL, *first = NULL;
  vc_pdf_files_t *files = NULL;
  vc_status_t st = VC_OK;
  /* every name first: none may be an input file or a link */
  for (long k = 1; k <= nvol && st == VC_OK; k++) {
    char *name = vc_job_volume_name(job->out, k, nvol);
    struct stat sb;
    if (!name) st = vc__nomem(d, job->out, _("naming the volumes"));
    else if (!vc__job_output_safe(job, name, d)) st = VC_E_USAGE;
    else if (lstat(name, &sb) == 0 && S_ISLNK(sb.st_mode)) {
      vc_diag_add(d, VC_E_IO, name, 0, 0,
                  "this volume name is a link: vncert does not write volumes "
                  "through links; remove it or choose another -o name");
      st = VC_E_IO;
    }
    if (k == 1 && st == VC_OK && !vc_pdf_out_path(name, &dir, &first, d)) st = vc__job_fail(d);
    free(name);
  }
  if (st == VC_OK && !(files = vc_pdf_files_open(dir, true, d))) st = vc__job_fail(d);
  for (long k = 0; st == VC_OK && k < nvol; k++) {
    free(base);
    char *name = vc_job_volume_name(job->out, k + 1, nvol);
    const char *slash = name ? strrchr(name, '/') : NULL;
    base = name && slash ? strdup(slash + 1) : name;
    if (name && slash) free(name);
    if (!base) {
      st = vc__nomem(d, job->out, _("naming the volumes"));
      break;
    }
    long from = k * job->volume_pages;
    long to = from + job->volume_pages < c->sel.n ? from + job->volume_pages : c->sel.n;
    int fd = vc_pdf_files_begin(files, base, d);
    bool ok = fd >= 0 && write_pdf(c, job, from, to, fd, true, d);
    if (fd >= 0 && !vc_pdf_files_end(files, ok, d)) ok = false;
    if (!ok) st = vc__job_fail(d);
  }
  /* the serials on the pages are recorded before any file is named */
  if (st == VC_OK && (!vc__job_issue_wait(c->is, d) || !vc_pdf_files_commit(files, d)))
    st = vc__job_fail(d);
  if (st == VC_OK) {
    res->files += nvol;
    res->pages += c->sel.n;
    warn_stale_volumes(dir, first, nvol, d);
  }
  if (res) res->stale += vc_pdf_files_stale_removed(files);
  vc_pdf_files_free(files);
  free(base);
  free(dir);
  free(first);
  return st;
}

vc_pdf_files_t *vc__job_out_open(const char *path, int *fd, vc_diag_t *d) {
  char *dir, *name;
  *fd = -1;
  if (!vc_pdf_out_path(path, &dir, &name, d)) return NULL;
  vc_pdf_files_t *files = vc_pdf_files_open(dir, true, d); /* keeps its copies */
  if (files) *fd = vc_pdf_files_begin(files, name, d);
  free(dir);
  free(name);
  return files;
}

bool vc__job_out_close(vc_pdf_files_t *files, int fd, bool ok, vc_job_issue_t *is,
                       long *stale, vc_diag_t *d) {
  if (fd >= 0 && !vc_pdf_files_end(files, ok, d)) ok = false;
  ok = ok && fd >= 0 && vc__job_issue_wait(is, d) && vc_pdf_files_commit(files, d);
  if (stale) *stale += vc_pdf_files_stale_removed(files);
  vc_pdf_files_free(files);
  return ok;
}

/* One PDF at job->out, or on standard output for "-". */
vc_status_t vc__job_render_one(vc_job_ctx_t *c, const vc_job_t *job, vc_diag_t *d,
                               vc_job_result_t *res) {
  if (!strcmp(job->out, "-")) { /* cannot be taken back: check first */
    if (vc__job_check_all(c, job, d) > 0 || vc_diag_count(d)) return vc__job_fail(d);
    if (!write_pdf(c, job, 0, c->sel.n, STDOUT_FILENO, true, d)) return vc__job_fail(d);
    res->pages += c->sel.n;
    res->files++;
    return VC_OK;
  }
  int fd;
  vc_pdf_files_t *files = vc__job_out_open(job->out, &fd, d);
  bool ok = fd >= 0 && write_pdf(c, job, 0, c->sel.n, fd, false, d);
  if (!vc__job_out_close(files, fd, ok, c->is, &res->stale, d)) return vc__job_fail(d);
  res->pages += c->sel.n;
  res->files++;
  return VC_OK;
}

/* The layout dump, from its temporary file to job->layout_tsv, whole. */
static bool save_tsv(FILE *tsv, const char *path, vc_diag_t *d) {
  int fd;
  vc_pdf_files_t *files = vc__job_out_open(path, &fd, d);
  bool ok = fd >= 0 && fflush(tsv) == 0 && fseek(tsv, 0, SEEK_SET) == 0;
  char buf[1 << 16];
  for (size_t n; ok && (n = fread(buf, 1, sizeof buf, tsv)) > 0;)
    for (size_t at = 0; ok && at < n;) {
      ssize_t w = write(fd, buf + at, n - at);
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) ok = false;
      else at += (size_t)w;
    }
  if (fd >= 0 && !ok) vc_diag_add(d, VC_E_IO, path, 0, 0, "cannot write: %s", strerror(errno));
  return vc__job_out_close(files, fd, ok && !ferror(tsv), NULL, NULL, d);
}

/* What a print job's name and paper come from (vc_job_result_t), cut
 * between characters when too long. */
static void job_names(const vc_job_ctx_t *c, vc_job_result_t *res) {
  const char *t = vc_engine_title(c->e);
  vc_text_cut(t ? t : "", SIZE_MAX, SIZE_MAX, "…", res->title, sizeof res->title);
  res->page_w_pt = vc_engine_page_w_pt(c->e);
  res->page_h_pt = vc_engine_page_h_pt(c->e);
  res->demo_signed = vc_engine_demo_signed(c->e);
  const char *lop = NULL;
  if (c->sel.n > 0 && vc_data_col(c->data, "lop") >= 0) {
    lop = vc_data_value(c->data, c->sel.rows[0], "lop");
    for (long i = 1; lop && i < c->sel.n; i++) {
      const char *v = vc_data_value(c->data, c->sel.rows[i], "lop");
      if (!v || strcmp(v, lop)) lop = NULL;
    }
  }
  vc_text_cut(lop ? lop : "", SIZE_MAX, SIZE_MAX, "…", res->common_class,
              sizeof res->common_class);
}

vc_status_t vc_job_render(const vc_job_t *job, vc_diag_t *d, vc_job_result_t *res) {
  if (!vc__job_outputs_safe(job, d)) return VC_E_USAGE;
  vc_job_result_t local = {0};
  if (!res) res = &local;
  vc_job_ctx_t c;
  vc_status_t st = vc__job_ctx_open(&c, job, d, res);
  if (st == VC_OK) st = vc__job_labels_check(&c, job, d); /* labels: sheet.c */
  if (st == VC_OK) res->records = c.sel.n;
  if (st == VC_OK) job_names(&c, res);
  if (st == VC_OK && !vc__data_usable(c.data)) st = vc__job_fail(d);
  if (st == VC_OK && c.sel.n == 0) {
    vc_diag_add(d, VC_E_INPUT, vc_data_name(c.data), 0, 0, "no records to print");
    st = VC_E_INPUT;
  }
  /* the ledger: reserved before any file, confirmed after them (issue.c) */
  vc_job_issue_t *is = NULL;
  /* issue 13: a list is one document of every record, not issued ones */
  bool list = st == VC_OK && c.e->tpl->list;
  if (list) st = vc__list_render(&c, job, d, res);
  if (st == VC_OK && !list) st = vc__job_issue_begin(&c, job, &is, d);
  if (st == VC_OK && !list) {
    if (c.e->tpl->sheet) st = vc__job_render_sheet(&c, job, d, res);
    else if (job->split_dir) st = vc__job_split(&c, job, d, res);
    else if (job->volume_pages > 0) { /* always OUT-001.pdf...: predictable */
      if (vc__job_check_all(&c, job, d) > 0 || vc_diag_count(d)) st = vc__job_fail(d);
      else st = render_volumes(&c, job, d, res);
    } else
      st = vc__job_render_one(&c, job, d, res);
  }
  if (st == VC_OK && vc_diag_count(d)) st = vc__job_fail(d);
  if (is && vc__job_issue_end(is, st == VC_OK, d) != VC_OK && st == VC_OK) {
    vc_diag_add(d, VC_E_IO, job->out ? job->out : job->split_dir, 0, 0,
                "written, but not recorded as issued: the rerun finishes it");
    st = vc__job_fail(d);
  }
  if (st == VC_OK && is && job->keep_docs) st = vc__job_issue_docs(is, res, d);
  vc__job_issue_free(is);
  if (st != VC_OK) res->files = res->pages = 0;
  /* The dump goes last, and only for a run that wrote its PDFs (which stay
   * written when the dump fails: the message says so). */
  if (st == VC_OK && c.tsv && !save_tsv(c.tsv, job->layout_tsv, d)) {
    vc_diag_add(d, VC_E_IO, job->layout_tsv, 0, 0,
                "the layout dump was not written; the PDF files were");
    st = vc__job_fail(d);
  }
  vc__job_ctx_free(&c);
  return st;
}
