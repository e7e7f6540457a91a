/*
 * sheet.c - render onto sheets of labels (issue 13): each chosen record,
 * laid out once, is drawn into as many cells as it has copies, in order
 * across or down, from the --start cell of the first sheet; a full sheet is
 * written at once (vc_pdf_stream), so memory does not grow with the list.
 * One PDF, or volumes of --volume-pages sheets each (render --print makes
 * them: CUPS jobs have at most 5,000 pages).
 * As for certificates, the first problem stops drawing but every record is
 * still laid out (and its count read), to report all problems in one run;
 * the file appears only when the whole run succeeded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/i18n.h"
#include "core/text.h"
#include "job/engine-private.h"
#include "job/job-private.h"
#include "render/pdf.h"
#include "template/sheet.h"

/* A record has at most this many labels (a typo of 10000 is not a wish). */
#define COPIES_MAX 1000

static bool labels_asked(const vc_job_t *job) {
  return job->labels.start || job->labels.copies || job->labels.copies_from ||
         job->labels.down || job->labels.outlines;
}

static int copies_of(const vc_job_ctx_t *c, const vc_job_t *job, long row, vc_diag_t *d);

vc_status_t vc__job_labels_check(vc_job_ctx_t *c, const vc_job_t *job, vc_diag_t *d) {
  const vc_sheet_t *s = c->e->tpl->sheet;
  const char *tp = c->e->tpl->path;
  if (!s) {
    if (!labels_asked(job)) return VC_OK;
    vc_diag_add(d, VC_E_USAGE, tp, 0, 0,
                "--start, --label-copies, --copies-from, --order and --outlines are for "
                "label templates (a sheet: section), and this template has none");
    return VC_E_USAGE;
  }
  if (job->split_dir || job->layout_tsv) {
    vc_diag_add(d, VC_E_USAGE, tp, 0, 0,
                "labels go into PDFs of whole sheets: --split and --layout-tsv are for "
                "certificates");
    return VC_E_USAGE;
  }
  int n = vc_sheet_ncells(s);
  if (job->labels.start < 0 || job->labels.start > n) {
    vc_diag_add(d, VC_E_USAGE, tp, 0, 0, "--start %d: this sheet has labels 1 to %d",
                job->labels.start, n);
    return VC_E_USAGE;
  }
  if (job->labels.copies < 0 || job->labels.copies > COPIES_MAX ||
      (job->labels.copies && job->labels.copies_from)) {
    vc_diag_add(d, VC_E_USAGE, tp, 0, 0,
                "--label-copies: a number from 1 to %d, or --copies-from a column, not both",
                COPIES_MAX);
    return VC_E_USAGE;
  }
  if (job->labels.copies_from && vc_data_col(c->data, job->labels.copies_from) < 0) {
    vc_diag_add(d, VC_E_USAGE, vc_data_name(c->data), 0, 0,
                "--copies-from %s: the list has no such column", job->labels.copies_from);
    return VC_E_USAGE;
  }
  /* a record of 0 labels is not printed, so not issued either: it leaves
   * the selection before the ledger reserves anything (a bad count stays,
   * to be reported with the others) */
  if (!job->labels.copies_from) return VC_OK;
  long kept = 0, had = c->sel.n;
  for (long i = 0; i < had; i++)
    if (copies_of(c, job, c->sel.rows[i], NULL) != 0) c->sel.rows[kept++] = c->sel.rows[i];
  c->sel.n = kept;
  if (had > 0 && kept == 0) {
    vc_diag_add(d, VC_E_INPUT, vc_data_name(c->data), 0, 0,
                "no labels to print: every chosen record has 0 copies");
    return VC_E_INPUT;
  }
  return VC_OK;
}

/* The number of labels of row: --label-copies, or its --copies-from cell (a
 * whole number 0..COPIES_MAX).  -1 after reporting a bad cell. */
static int copies_of(const vc_job_ctx_t *c, const vc_job_t *job, long row, vc_diag_t *d) {
  if (!job->labels.copies_from) return job->labels.copies ? job->labels.copies : 1;
  int col = vc_data_col(c->data, job->labels.copies_from);
  const char *v = vc_table_get(vc_data_table(c->data), row, col);
  long n = 0;
  const char *p = v;
  for (; *p >= '0' && *p <= '9' && n <= COPIES_MAX; p++) n = n * 10 + (*p - '0');
  if (!*v || *p || n > COPIES_MAX) {
    char cut[64];
    vc_diag_add(d, VC_E_INPUT, vc_data_name(c->data), vc_data_row_line(c->data, row), col + 1,
                "column \"%s\": \"%s\" is not a number of labels (a whole number from 0 to %d)",
                job->labels.copies_from, vc_text_cut(v, 40, SIZE_MAX, "...", cut, sizeof cut),
                COPIES_MAX);
    return -1;
  }
  return (int)n;
}

long vc__job_labels_check_counts(const vc_job_ctx_t *c, const vc_job_t *job, vc_diag_t *d) {
  long bad = 0;
  for (long i = 0; job->labels.copies_from && i < c->sel.n; i++)
    bad += copies_of(c, job, c->sel.rows[i], d) < 0;
  return bad;
}

/* Every cell's edge, thin and grey, for a test print on plain paper. */
static bool outlines(vc_pdf_t *pdf, const vc_sheet_t *s, bool down) {
  vc_pdf_style_t st = {.stroke = true, .sr = 0.6, .sg = 0.6, .sb = 0.6, .width = 0.3};
  const double ph = s->paper_h * VC_MM_TO_PT, w = s->label_w * VC_MM_TO_PT,
               h = s->label_h * VC_MM_TO_PT;
  double x, y;
  for (int i = 0; vc_sheet_cell(s, i, down, &x, &y); i++) {
    double px = x * VC_MM_TO_PT, py = ph - y * VC_MM_TO_PT - h;
    bool ok = s->shape == VC_SHEET_RECT
                  ? vc_pdf_rect(pdf, &st, px, py, w, h, s->radius * VC_MM_TO_PT)
                  : vc_pdf_ellipse(pdf, &st, px, py, w, h);
    if (!ok) return false;
  }
  return true;
}

/* Where the next label goes: the document and the sheet being filled, its
 * next cell; with volumes, the set of files and how many sheets each. */
typedef struct place {
  const vc_job_t *job;
  const char *title;
  vc_pdf_files_t *files; /* volumes: where the next one opens; NULL: one file */
  int fd;
  vc_pdf_t *pdf;
  vc_pdf_stream_t *s;
  const vc_sheet_t *sheet;
  bool down, outlines;
  int cell, ncells;
  long pages;                         /* in all */
  long per_vol, nvol, vol, vol_pages; /* volumes: sheets per file, files, this one's */
} place_t;

static bool doc_open(place_t *p, vc_diag_t *d) {
  p->pdf = vc_pdf_create(p->title, d);
  p->s = p->pdf ? vc_pdf_stream_open(p->pdf, p->fd) : NULL;
  return p->s != NULL;
}

/* Ends the current document, written whole when ok (a volume's file ended
 * in its set).  Returns ok when all went well. */
static bool doc_close(place_t *p, bool ok, vc_diag_t *d) {
  ok = ok && p->s && vc_pdf_stream_close(p->s);
  vc_pdf_stream_free(p->s);
  vc_pdf_free(p->pdf);
  p->s = NULL, p->pdf = NULL;
  if (p->files && p->fd >= 0 && !vc_pdf_files_end(p->files, ok, d)) ok = false;
  if (p->files) p->fd = -1;
  return ok;
}

/* The next volume's file and document (the current one ended). */
static bool next_volume(place_t *p, vc_diag_t *d) {
  if (p->vol && !doc_close(p, true, d)) return false;
  char *name = vc_job_volume_name(p->job->out, ++p->vol, p->nvol);
  const char *slash = name ? strrchr(name, '/') : NULL;
  p->fd = name ? vc_pdf_files_begin(p->files, slash ? slash + 1 : name, d) : -1;
  if (!name) vc__nomem(d, p->job->out, _("naming the volumes"));
  free(name);
  p->vol_pages = 0;
  return p->fd >= 0 && doc_open(p, d);
}

/* Draws the laid-out record into the next cell, starting a sheet (and
 * writing the full one, or starting the next volume) when needed.  false
 * after a diag. */
static bool put(place_t *p, const vc_pagelayout_t *pl, vc_diag_t *d) {
  const vc_sheet_t *s = p->sheet;
  if (!p->pages || p->cell == p->ncells) {
    if (p->per_vol && p->vol_pages == p->per_vol) {
      if (!next_volume(p, d)) return false;
    } else if (p->pages && !vc_pdf_stream_flush(p->s)) {
      return false;
    }
    if (!vc_pdf_page(p->pdf, s->paper_w * VC_MM_TO_PT, s->paper_h * VC_MM_TO_PT) ||
        !vc__page_calibrate(pl->e, p->pdf, s->paper_h * VC_MM_TO_PT))
      return false;
    if (p->outlines && !outlines(p->pdf, s, p->down)) return false;
    if (p->pages++) p->cell = 0;
    p->vol_pages++;
  }
  double x, y;
  if (!vc_sheet_cell(s, p->cell++, p->down, &x, &y)) return false;
  return vc_pdf_push_at(p->pdf, x * VC_MM_TO_PT, (s->paper_h - y - s->label_h) * VC_MM_TO_PT) &&
         vc_page_draw_content(pl, p->pdf, d) && vc_pdf_pop(p->pdf);
}

static place_t place_new(const vc_job_ctx_t *c, const vc_job_t *job, int fd) {
  const vc_sheet_t *sh = c->e->tpl->sheet;
  return (place_t){.job = job, .title = vc_engine_title(c->e), .fd = fd, .sheet = sh,
                   .down = job->labels.down, .outlines = job->labels.outlines,
                   .ncells = vc_sheet_ncells(sh),
                   .cell = job->labels.start > 0 ? job->labels.start - 1 : 0};
}

/* Every chosen record's labels into p's document(s), which are ended here.
 * Without `checked` a problem stops drawing but every record is still laid
 * out.  false after a diag. */
static bool write_sheets(vc_job_ctx_t *c, const vc_job_t *job, place_t *p, bool checked,
                         vc_diag_t *d) {
  bool ok = p->files ? true : doc_open(p, d);
  for (long i = 0; i < c->sel.n && (ok || !checked); i++) {
    if (vc__job_cancelled(job, d)) {
      ok = false;
      break;
    }
    long row = c->sel.rows[i];
    int n = copies_of(c, job, row, d);
    if (vc_page_layout(c->pl, c->data, row, d) > 0 || !vc_data_row_ok(c->data, row) || n < 0) {
      ok = false; /* nothing will be written; the rest is still checked */
      continue;
    }
    for (int k = 0; ok && k < n; k++)
      if (!put(p, c->pl, d)) { /* an I/O or PDF failure: the rest cannot be drawn */
        ok = false;
        checked = true;
      }
    if (ok) vc__job_issue_page(c->is);
    vc__job_progress(job, i + 1, c->sel.n);
  }
  return doc_close(p, ok, d) && !vc_diag_count(d);
}

/* --volume-pages N for labels: files of N sheets, OUT-001.pdf...  Checked
 * first (as certificates' volumes), so the number of sheets is known. */
static vc_status_t sheet_volumes(vc_job_ctx_t *c, const vc_job_t *job, vc_diag_t *d,
                                 vc_job_result_t *res) {
  if (vc__job_check_all(c, job, d) > 0 || vc__job_labels_check_counts(c, job, d) > 0 ||
      vc_diag_count(d))
    return vc__job_fail(d);
  place_t p = place_new(c, job, -1);
  long labels = p.cell;
  for (long i = 0; i < c->sel.n; i++) labels += copies_of(c, job, c->sel.rows[i], d);
  long sheets = (labels + p.ncells - 1) / p.ncells;
  p.per_vol = p.vol_pages = job->volume_pages;
  p.nvol = sheets > 0 ? (sheets + p.per_vol - 1) / p.per_vol : 1;
  char *dir = NULL, *first = NULL;
  vc_status_t st = VC_OK;
  for (long k = 1; k <= p.nvol && st == VC_OK; k++) { /* none may be an input */
    char *name = vc_job_volume_name(job->out, k, p.nvol);
    if (!name) st = vc__nomem(d, job->out, _("naming the volumes"));
    else if (!vc__job_output_safe(job, name, d)) st = VC_E_USAGE;
    else if (k == 1 && !vc_pdf_out_path(name, &dir, &first, d)) st = vc__job_fail(d);
    free(name);
  }
  if (st == VC_OK && !(p.files = vc_pdf_files_open(dir, true, d))) st = vc__job_fail(d);
  if (st == VC_OK && !(write_sheets(c, job, &p, true, d) && vc__job_issue_wait(c->is, d) &&
                       vc_pdf_files_commit(p.files, d)))
    st = vc__job_fail(d);
  if (st == VC_OK) res->pages += p.pages, res->files += p.nvol;
  res->stale += vc_pdf_files_stale_removed(p.files);
  vc_pdf_files_free(p.files);
  free(dir);
  free(first);
  return st;
}

vc_status_t vc__job_render_sheet(vc_job_ctx_t *c, const vc_job_t *job, vc_diag_t *d,
                                 vc_job_result_t *res) {
  if (!strcmp(job->out, "-")) { /* cannot be taken back: check first */
    place_t p = place_new(c, job, STDOUT_FILENO);
    if (vc__job_check_all(c, job, d) > 0 || vc__job_labels_check_counts(c, job, d) > 0 ||
        vc_diag_count(d) || !write_sheets(c, job, &p, true, d))
      return vc__job_fail(d);
    res->pages += p.pages;
    res->files++;
    return VC_OK;
  }
  if (job->volume_pages > 0) return sheet_volumes(c, job, d, res);
  int fd;
  vc_pdf_files_t *files = vc__job_out_open(job->out, &fd, d);
  place_t p = place_new(c, job, fd);
  bool ok = fd >= 0 && write_sheets(c, job, &p, false, d);
  if (!vc__job_out_close(files, fd, ok, c->is, &res->stale, d)) return vc__job_fail(d);
  res->pages += p.pages;
  res->files++;
  return VC_OK;
}
