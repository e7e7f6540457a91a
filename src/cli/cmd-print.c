/*
 * cmd-print.c - printing through CUPS from the command line (issue 10):
 * `vncert printers`, `vncert print FILE.pdf --printer QUEUE` and the
 * printing half of `vncert render ... --print QUEUE`.  The library does the
 * talking to CUPS (vncert.h, "printing through CUPS"); this file turns the
 * options into its calls and says what happened.  With a ledger, each
 * job's documents are recorded; `print --pending` prints what the ledger
 * says is not printed yet, drawn again from the values it recorded
 * (vc_job_unprinted_csv), after asking CUPS how the jobs not ended did end.
 */
#define _GNU_SOURCE /* mkdtemp */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/i18n.h"

/* What printing needs once the options are read.  Owns p, caps and the
 * temporary folder (print_end). */
struct cli_print {
  vc_print_t *p;
  vc_print_caps_t *caps;   /* what the queue supports, asked once */
  const char *queue;
  vc_print_opts_t o;
  vc_print_follow_t f;
  bool no_wait, quiet;
  long per_job;            /* pages (records) per CUPS job: --job-pages / copies */
  vc_print_record_t *rec;  /* the ledger's print jobs; NULL without a ledger */
  const long long *docs;   /* the documents printed, one a page (res->docs) */
  long ndocs;
  char media[64];
  char head[512];          /* "Giấy khen — K19MN": the job name before the count */
  char tmpdir[PATH_MAX];   /* render --print without -o renders here; "" when none */
  char out[PATH_MAX + 32]; /* the job's -o then: volumes TMPDIR/print-001.pdf... */
  /* the parts cut from a file or the -o volumes (cut_parts), one job each:
   * part i is pages [part_first[i], +part_count[i]) of the run, so with a
   * ledger the documents docs[part_first[i]]... (one page a record) */
  char **parts;
  long *part_first, *part_count;
  size_t nparts;
};

/* A whole number in [lo, hi], or -1 (said). */
static long num_arg(const char *opt, const char *v, long lo, long hi) {
  char *end;
  errno = 0;
  long n = strtol(v, &end, 10);
  if (errno || end == v || *end || n < lo || n > hi) {
    fprintf(stderr, _("vncert: %s needs a whole number from %ld to %ld, not '%s'\n"), opt, lo,
            hi, v);
    return -1;
  }
  return n;
}

static int on_progress(const vc_print_progress_t *pr, void *ud) {
  char line[1024];
  (void)ud;
  fprintf(stderr, "vncert: %s\n", vc_print_progress_line(pr, line, sizeof line));
  return 0;
}

/* Fills c from the options: 0, or 2 (said). */
static int print_options(const cli_config_t *cfg, cli_print_t *c,
                         volatile sig_atomic_t *cancel) {
  memset(c, 0, sizeof *c);
  c->queue = cfg->pr.queue;
  c->quiet = cfg->quiet;
  c->no_wait = cfg->pr.no_wait;
  long v;
  if (cfg->pr.copies) {
    if ((v = num_arg("--copies", cfg->pr.copies, 1, 999)) < 0) return 2;
    c->o.copies = (int)v;
  }
  c->o.media = cfg->pr.media;
  c->o.orientation = cfg->pr.orientation;
  c->o.sides = cfg->pr.sides;
  c->f.pending_timeout_ms = 600 * 1000; /* a clerk should not wait unseen for ever */
  if (cfg->pr.timeout) {
    if ((v = num_arg("--timeout", cfg->pr.timeout, 0, 86400)) < 0) return 2;
    c->f.pending_timeout_ms = (int)v * 1000;
  }
  if (!cfg->quiet) c->f.progress = on_progress;
  c->f.cancel = cancel;
  long per = VC_PRINT_MAX_PAGES;
  if (cfg->pr.job_pages &&
      (per = num_arg("--job-pages", cfg->pr.job_pages, 1, VC_PRINT_MAX_PAGES)) < 0)
    return 2;
  /* a job of 3,000 pages in 2 copies is 6,000 sheets through pdftopdf */
  c->per_job = per / (c->o.copies > 1 ? c->o.copies : 1);
  if (c->per_job < 1) c->per_job = 1;
  return 0;
}

/* Connects (once) and checks the queue and the options against the
 * printer, so that a bad option or queue is said before anything is
 * rendered or sent; render --print checks again once the template's paper
 * is known.  0, or the exit code (said). */
static int print_connect(const cli_config_t *cfg, cli_print_t *c, vc_diag_t *d) {
  if (!c->p) c->p = vc_print_open(cfg->pr.server, d);
  if (c->p && !c->caps) c->caps = vc_print_caps_get(c->p, c->queue, d);
  vc_status_t st = c->caps ? vc_print_opts_check(c->caps, &c->o, d) : vc_diag_status(d);
  if (st == VC_OK) return 0;
  vc_diag_print(d, stderr);
  fputs(_("vncert: nothing was sent to the printer\n"), stderr);
  return vc_status_exit_code(st);
}

/* Ends what c holds: the connection, the temporary folder and its files. */
static void print_end(cli_print_t *c) {
  vc_print_record_close(c->rec);
  c->rec = NULL;
  vc_print_caps_free(c->caps);
  c->caps = NULL;
  vc_print_close(c->p);
  c->p = NULL;
  for (size_t i = 0; i < c->nparts; i++) free(c->parts[i]);
  free(c->parts);
  free(c->part_first);
  free(c->part_count);
  c->parts = NULL;
  c->part_first = c->part_count = NULL;
  c->nparts = 0;
  if (!c->tmpdir[0]) return;
  DIR *dir = opendir(c->tmpdir);
  struct dirent *e;
  char path[PATH_MAX + 300];
  while (dir && (e = readdir(dir)) != NULL) {
    if (e->d_name[0] == '.') continue;
    snprintf(path, sizeof path, "%s/%s", c->tmpdir, e->d_name);
    unlink(path);
  }
  if (dir) closedir(dir);
  rmdir(c->tmpdir);
  c->tmpdir[0] = '\0';
}

/* Says how the jobs ended (the diagnostics, then a summary); the exit code. */
static int print_report(const cli_print_t *c, vc_status_t st, vc_diag_t *d,
                        const vc_print_result_t *res, size_t n) {
  vc_diag_print(d, stderr);
  size_t sent = 0;
  for (size_t i = 0; i < n; i++)
    if (res[i].job_id > 0) sent++;
  if (c->no_wait) {
    for (size_t i = 0; i < n; i++)
      if (res[i].job_id > 0) printf("%d\n", res[i].job_id);
    if (st == VC_OK && !c->quiet)
      fprintf(stderr, vc__ngettext("vncert: %zu job accepted by '%s' (not followed; `cancel ID` "
                                   "removes one)\n",
                                   "vncert: %zu jobs accepted by '%s' (not followed; `cancel ID` "
                                   "removes one)\n", sent),
              sent, c->queue);
  } else if (st == VC_OK && !c->quiet) {
    for (size_t i = 0; i < n; i++)
      fprintf(stderr, _("vncert: job %d on '%s' completed\n"), res[i].job_id, c->queue);
  } else if (st != VC_OK && st != VC_E_CANCELLED && n > 1 && sent < n) {
    fprintf(stderr, _("vncert: %zu of %zu jobs were not sent (volumes %zu to %zu)\n"),
            n - sent, n, sent + 1, n);
  }
  return vc_status_exit_code(st);
}

/* The ledger's side of job i (vc_print_job_fn): its documents "pending"
 * once CUPS took it, then how it ended. */
static vc_status_t record_job(size_t i, const vc_print_result_t *res, void *ud,
                              vc_diag_t *d) {
  cli_print_t *c = ud;
  if (res->outcome != VC_PRINT_ACCEPTED)
    return vc_print_record_end(c->rec, c->queue, res->job_id, res->outcome, d);
  long first, count;
  if (c->parts) {
    first = c->part_first[i];
    count = c->part_count[i];
  } else {
    vc_print_plan(c->ndocs, c->per_job, (long)i, &first, &count);
  }
  return vc_print_record_sent(c->rec, c->docs + first, (size_t)count, c->queue, res->job_id,
                              d);
}

/* Sends n files (one job each, in order, each followed unless no_wait)
 * named "HEAD — N tờ", each recorded in the ledger when c->rec; the exit
 * code (said). */
static int print_files(cli_print_t *c, const char *const *paths, size_t n, long pages,
                       vc_diag_t *d) {
  char title[640];
  if (pages > 0) snprintf(title, sizeof title, "%s — %ld tờ", c->head, pages);
  else snprintf(title, sizeof title, "%s", c->head);
  vc_print_result_t *res = calloc(n ? n : 1, sizeof *res);
  if (!res) {
    fputs(_("vncert: out of memory\n"), stderr);
    return 1;
  }
  const vc_print_follow_t *f = c->no_wait ? NULL : &c->f;
  vc_status_t st = vc_print_volumes(c->p, c->queue, paths, n, title, &c->o, f,
                                    c->rec ? record_job : NULL, c, res, d);
  int code = print_report(c, st, d, res, n);
  free(res);
  return code;
}

/* c's temporary folder, in TMPDIR (what it held goes in print_end); false
 * (said) when it cannot be made. */
static bool make_tmpdir(cli_print_t *c) {
  const char *tmp = getenv("TMPDIR");
  snprintf(c->tmpdir, sizeof c->tmpdir, "%s/vncert-print.XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (mkdtemp(c->tmpdir)) return true;
  fprintf(stderr, _("vncert: cannot make a temporary folder in %s: %s\n"), tmp && *tmp ? tmp : "/tmp",
          strerror(errno));
  c->tmpdir[0] = '\0';
  return false;
}

/* Room for n more parts in c's part arrays; false (said) on no memory. */
static bool parts_room(cli_print_t *c, size_t n) {
  size_t want = c->nparts + n + 1;
  char **p = realloc(c->parts, want * sizeof *p);
  if (p) c->parts = p;
  long *f = p ? realloc(c->part_first, want * sizeof *f) : NULL;
  if (f) c->part_first = f;
  long *k = f ? realloc(c->part_count, want * sizeof *k) : NULL;
  if (k) c->part_count = k;
  if (!k) fputs(_("vncert: out of memory cutting the run into print jobs\n"), stderr);
  return k != NULL;
}

/* Cuts the pages of src (pages of them, the run's from page0 on) into parts
 * of at most c->per_job pages with qpdf, in c's temporary folder (made
 * here), added to c->parts; the status (said in d, or on stderr for the
 * folder). */
static vc_status_t cut_parts(cli_print_t *c, const char *src, long pages, long page0,
                             vc_diag_t *d) {
  long n = vc_print_plan(pages, c->per_job, 0, NULL, NULL);
  if (!c->tmpdir[0] && !make_tmpdir(c)) return VC_E_IO;
  if (!parts_room(c, (size_t)n)) return VC_E_NOMEM;
  vc_status_t st = VC_OK;
  for (long i = 0; i < n && st == VC_OK; i++) {
    long first, count;
    vc_print_plan(pages, c->per_job, i, &first, &count);
    char *part;
    if (asprintf(&part, "%s/part-%05zu.pdf", c->tmpdir, c->nparts + 1) < 0) {
      fputs(_("vncert: out of memory cutting the run into print jobs\n"), stderr);
      return VC_E_NOMEM;
    }
    c->parts[c->nparts] = part;
    c->part_first[c->nparts] = page0 + first;
    c->part_count[c->nparts++] = count;
    st = vc_print_pdf_extract(src, first, count, part, d);
  }
  return st;
}

/* Sends c's parts (the exit code, said), or says why there are none: st. */
static int print_cut(cli_print_t *c, vc_status_t st, long pages, vc_diag_t *d) {
  if (st == VC_OK && c->nparts)
    return print_files(c, (const char *const *)c->parts, c->nparts, pages, d);
  vc_diag_print(d, stderr);
  fputs(_("vncert: nothing was sent to the printer\n"), stderr);
  return st == VC_OK ? 1 : vc_status_exit_code(st);
}

/* print FILE: one job, or for a file longer than a job holds, its parts cut
 * with qpdf (cut_parts), one job each, in order; the exit code (said). */
static int print_parts(cli_print_t *c, const char *path, vc_diag_t *d) {
  vc_diag_t *quiet = vc_diag_create(); /* not a PDF: the single job says so */
  long pages = quiet ? vc_print_pdf_pages(path, quiet) : -1;
  vc_diag_free(quiet);
  long n = vc_print_plan(pages, c->per_job, 0, NULL, NULL);
  if (n <= 1) return print_files(c, &path, 1, 0, d);
  if (!c->quiet)
    fprintf(stderr, _("vncert: %ld pages: printed as %ld jobs of at most %ld pages\n"), pages, n,
            c->per_job);
  return print_cut(c, cut_parts(c, path, pages, 0, d), 0, d);
}

int cli_cmd_print(cli_config_t *cfg, volatile sig_atomic_t *cancel) {
  if (cfg->pr.pending) return cli_print_pending(cfg, cancel);
  if (cfg->job.ledger || cfg->job.template_path) {
    fputs(_("vncert: --ledger and --template go with --pending (a PDF file's pages "
            "are not documents the ledger knows)\n"), stderr);
    return 2;
  }
  if (cfg->npositional != 1 || !cfg->pr.queue) {
    fputs(_("vncert: print needs one PDF file and --printer QUEUE\n"), stderr);
    cli_usage_hint(CMD_PRINT, stderr);
    return 2;
  }
  const char *path = cfg->positional[0];
  if (access(path, R_OK) != 0) {
    fprintf(stderr, "vncert: %s: %s\n", path, strerror(errno));
    return 1;
  }
  const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
  return cli_print_file(cfg, path, NULL, base, NULL, cancel);
}

int cli_print_file(cli_config_t *cfg, const char *path, cli_print_make_fn make,
                   const char *head, const char *media, volatile sig_atomic_t *cancel) {
  cli_print_t c;
  int code = print_options(cfg, &c, cancel);
  if (code) return code;
  if (!c.o.media) c.o.media = media;
  vc_diag_t *d = vc_diag_create();
  if (!d) return 1;
  if ((code = print_connect(cfg, &c, d)) == 0) {
    snprintf(c.head, sizeof c.head, "%s", head);
    if (make) { /* the file first, in our folder when there is no path */
      if (!path && make_tmpdir(&c)) snprintf(c.out, sizeof c.out, "%s/print.pdf", c.tmpdir);
      path = path ? path : c.out[0] ? c.out : NULL;
      code = path ? make(cfg, path, d) : 1;
    }
    if (code == 0) code = print_parts(&c, path, d);
  }
  print_end(&c);
  vc_diag_free(d);
  return code;
}

/* The job name's head, "Giấy khen — K19MN": the template's title, then the
 * class (lop) when every chosen record has the same one, else the list's
 * file name; and the template's paper as the media unless --media was
 * given.  From what the render found (res): the template is not opened
 * twice (issue 10, point 7: one certificate sent within 150 ms). */
static void render_names(const cli_config_t *cfg, const vc_job_result_t *res,
                         cli_print_t *c) {
  const char *title = res->title[0] ? res->title : "vncert";
  const char *list = strrchr(cfg->job.data_path, '/');
  list = list ? list + 1 : cfg->job.data_path;
  const char *dot = strrchr(list, '.');
  int stem = (int)(dot && dot > list ? dot - list : (long)strlen(list));
  if (res->common_class[0]) snprintf(c->head, sizeof c->head, "%s — %s", title, res->common_class);
  else snprintf(c->head, sizeof c->head, "%s — %.*s", title, stem, list);
  if (!c->o.media && vc_print_media_for(res->page_w_pt, res->page_h_pt, c->media,
                                        sizeof c->media))
    c->o.media = c->media;
}

cli_print_t *cli_render_print_begin(cli_config_t *cfg, volatile sig_atomic_t *cancel,
                                    int *code) {
  cli_print_t *c = calloc(1, sizeof *c);
  vc_diag_t *d = vc_diag_create();
  *code = 1;
  if (!c || !d) {
    fputs(_("vncert: out of memory\n"), stderr);
  } else if ((*code = print_options(cfg, c, cancel)) == 0) {
    *code = print_connect(cfg, c, d);
  }
  if (*code == 0 && !cfg->job.out) { /* nothing kept: a folder of our own */
    if (!make_tmpdir(c)) {
      *code = 1;
    } else {
      snprintf(c->out, sizeof c->out, "%s/print.pdf", c->tmpdir);
      cfg->job.out = c->out;
      cfg->job.volume_pages = c->per_job;
    }
  }
  cfg->job.keep_docs = true; /* recorded with the print jobs when a ledger is used */
  vc_diag_free(d);
  if (*code && c) {
    print_end(c);
    free(c);
    return NULL;
  }
  return c;
}

/* The files of folder dir, sorted (the volumes OUT-001.pdf, ...): a new
 * array of new strings in *paths, their count returned; -1 on a fault. */
static long list_volumes(const char *dir, char ***paths) {
  struct dirent **ents = NULL;
  int n = scandir(dir, &ents, NULL, alphasort), k = 0;
  if (n < 0) return -1;
  *paths = calloc((size_t)n + 1, sizeof **paths);
  for (int i = 0; i < n; i++) {
    if (*paths && ents[i]->d_name[0] != '.' &&
        asprintf(&(*paths)[k], "%s/%s", dir, ents[i]->d_name) >= 0)
      k++;
    free(ents[i]);
  }
  free(ents);
  return *paths ? k : -1;
}

/* The files -o wrote (out, or the volumes of --volume-pages) cut into
 * parts of at most c->per_job pages: not rendered again, which would issue
 * or record every document a second time.  A record is one page, so a
 * part's pages are its documents.  The status (said in d). */
static vc_status_t cut_output(cli_print_t *c, const cli_config_t *cfg,
                              const vc_job_result_t *res, vc_diag_t *d) {
  if (res->docs && res->pages != res->records) {
    fprintf(stderr, _("vncert: %s: %ld pages for %ld records: its print jobs cannot be matched "
                      "to the ledger's documents\n"), cfg->job.out, res->pages, res->records);
    return VC_E_INTERNAL;
  }
  long per = cfg->job.volume_pages, nvol = per > 0 ? (res->records + per - 1) / per : 1;
  vc_status_t st = VC_OK;
  for (long k = 0, page0 = 0; k < nvol && st == VC_OK; k++) {
    char *vol = per > 0 ? vc_job_volume_name(cfg->job.out, k + 1, nvol) : strdup(cfg->job.out);
    long pages = !vol ? -1 : per > 0 ? vc_print_pdf_pages(vol, d) : res->pages;
    if (!vol) {
      fputs(_("vncert: out of memory cutting the run into print jobs\n"), stderr);
      st = VC_E_NOMEM;
    } else {
      st = pages < 0 ? VC_E_INPUT : cut_parts(c, vol, pages, page0, d);
    }
    page0 += pages;
    free(vol);
  }
  return st;
}

/* Prints what the render wrote (c's volumes, or the -o file cut), recorded
 * in the ledger when the render used one; the exit code (said). */
static int render_send(cli_print_t *c, cli_config_t *cfg, const vc_job_result_t *res,
                       vc_diag_t *d) {
  if (res->docs && !(c->rec = vc_print_record_open(&cfg->job, d))) {
    vc_diag_print(d, stderr);
    fputs(_("vncert: nothing was sent to the printer (it could not be recorded)\n"), stderr);
    return 1;
  }
  c->docs = res->docs;
  c->ndocs = res->records;
  const char *one = cfg->job.out;
  if (one && !c->tmpdir[0] && !cfg->job.volume_pages && res->pages <= c->per_job)
    return print_files(c, &one, 1, res->pages, d);
  if (c->tmpdir[0]) { /* rendered in volumes of c->per_job into our folder */
    char **paths = NULL;
    long n = list_volumes(c->tmpdir, &paths);
    int code = n > 0 ? print_files(c, (const char *const *)paths, (size_t)n, res->pages, d)
                     : print_cut(c, VC_OK, res->pages, d);
    for (long i = 0; paths && i < n; i++) free(paths[i]);
    free(paths);
    return code;
  }
  if (!c->quiet)
    fprintf(stderr, _("vncert: %ld pages: printed as jobs of at most %ld pages\n"), res->pages,
            c->per_job);
  return print_cut(c, cut_output(c, cfg, res, d), res->pages, d);
}

int cli_render_print_end(cli_print_t *c, cli_config_t *cfg, vc_status_t st,
                         const vc_job_result_t *res) {
  int code = vc_status_exit_code(st);
  vc_diag_t *d = vc_diag_create();
  if (st == VC_OK && !d) code = 1;
  if (st == VC_OK && d) {
    render_names(cfg, res, c);
    if (!(c->o.media == c->media && (code = print_connect(cfg, c, d)) != 0))
      code = render_send(c, cfg, res, d);
  }
  vc_diag_free(d);
  print_end(c);
  free(c);
  return code;
}

/* One cell of the printers table: s, then spaces to width characters (not
 * bytes: the headings may be translated) and two more. */
static void cell(const char *s, int width) {
  int chars = cli_chars(s);
  printf("%s%*s  ", s, chars < width ? width - chars : 0, "");
}

/* `vncert printers` on a terminal: a table (for people: its words translated). */
static void printers_table(const vc_print_queues_t *q) {
  size_t n = vc_print_queues_count(q);
  /* TRANSLATORS: the headings of `vncert printers` on a terminal */
  const char *head[5] = {_("PRINTER"), _("STATE"), _("ACCEPTING"), _("DEFAULT"), _("REASONS")};
  const char *yes = _("yes"), *no = _("NO");
  int w[4] = {7, 10, 9, 7};
  for (int k = 0; k < 4; k++)
    if (cli_chars(head[k]) > w[k]) w[k] = cli_chars(head[k]);
  for (size_t i = 0; i < n; i++)
    if ((int)strlen(vc_print_queue_name(q, i)) > w[0]) w[0] = (int)strlen(vc_print_queue_name(q, i));
  for (int k = 0; k < 4; k++) cell(head[k], w[k]);
  printf("%s\n", head[4]);
  for (size_t i = 0; i < n; i++) {
    const char *msg = vc_print_queue_message(q, i);
    char rs[512];
    vc_print_reasons_text(vc_print_queue_reasons(q, i), rs, sizeof rs);
    cell(vc_print_queue_name(q, i), w[0]);
    cell(_(vc_printer_state_name(vc_print_queue_state(q, i))), w[1]);
    cell(vc_print_queue_accepting(q, i) ? yes : no, w[2]);
    cell(vc_print_queue_is_default(q, i) ? yes : "", w[3]);
    /* the printer's message in quotes: its own words, never translated */
    printf("%s%s%s%s%s\n", rs, *rs && *msg ? ": " : "", *msg ? "\"" : "", msg,
           *msg ? "\"" : "");
  }
}

int cli_cmd_printers(cli_config_t *cfg) {
  if (cfg->npositional) {
    fputs(_("vncert: printers takes no arguments\n"), stderr);
    cli_usage_hint(CMD_PRINTERS, stderr);
    return 2;
  }
  vc_diag_t *d = vc_diag_create();
  if (!d) return 1;
  vc_print_t *p = vc_print_open(cfg->pr.server, d);
  vc_print_queues_t *q = p ? vc_print_queues_list(p, d) : NULL;
  int code = vc_status_exit_code(vc_diag_status(d));
  if (!q) {
    vc_diag_print(d, stderr);
    code = code ? code : 1;
  } else if (!vc_print_queues_count(q)) {
    fprintf(stderr, _("vncert: the CUPS server %s has no printers (add one in the printer "
                      "settings, or with lpadmin)\n"), vc_print_server(p));
  } else if (isatty(STDOUT_FILENO)) {
    printers_table(q);
  } else {
    char line[2048];
    for (size_t i = 0; i < vc_print_queues_count(q); i++)
      printf("%s\n", vc_print_queue_line(q, i, line, sizeof line));
  }
  vc_print_queues_free(q);
  vc_print_close(p);
  vc_diag_free(d);
  return code;
}

/* ---- what the ledger says is not printed yet ---- */

/* True when the ledger the job names (or the default one) exists: asking
 * CUPS about it must not create one. */
static bool ledger_exists(const vc_job_t *job) {
  if (job->ledger) return true; /* a file or a server: opening it says */
  char *def = vc_ledger_default_path((long long)time(NULL));
  bool there = def && access(def, F_OK) == 0;
  free(def);
  return there;
}

void cli_print_refresh(cli_config_t *cfg) {
  if (!ledger_exists(&cfg->job)) return;
  vc_diag_t *d = vc_diag_create();
  if (!d) return;
  vc_print_record_t *r = vc_print_record_open(&cfg->job, d);
  long changed = 0;
  vc_status_t st = r ? vc_print_record_refresh(r, cfg->pr.server, &changed, d)
                     : vc_diag_status(d);
  if (st != VC_OK) { /* the listing still helps: say it may be behind */
    vc_diag_print(d, stderr);
    fputs(_("vncert: the print jobs' states are as last recorded (CUPS was not "
            "asked about the jobs not ended)\n"), stderr);
  } else if (changed && !cfg->quiet) {
    fprintf(stderr, vc__ngettext("vncert: CUPS told how %ld document's print job ended; recorded\n",
                                 "vncert: CUPS told how %ld documents' print jobs ended; recorded\n",
                                 (unsigned long)changed),
            changed);
  }
  vc_print_record_close(r);
  vc_diag_free(d);
}

/* The documents to print as a CSV file in folder dir (made here: the
 * caller removes it); their template's path in tpath.  0 with *count, or
 * the exit code (said). */
static int pending_list(cli_config_t *cfg, char *dir, size_t dlen, char *csv, size_t clen,
                        char *tpath, size_t tlen, long *count, long *queued) {
  const char *tmp = getenv("TMPDIR");
  snprintf(dir, dlen, "%s/vncert-pending.XXXXXX", tmp && *tmp ? tmp : "/tmp");
  if (!mkdtemp(dir)) {
    fprintf(stderr, _("vncert: cannot make a temporary folder: %s\n"), strerror(errno));
    dir[0] = '\0';
    return 1;
  }
  snprintf(csv, clen, "%s/chua-in.csv", dir);
  FILE *fp = fopen(csv, "w");
  vc_diag_t *d = vc_diag_create();
  if (!fp) fprintf(stderr, "vncert: %s: %s\n", csv, strerror(errno));
  vc_status_t st = fp && d ? vc_job_unprinted_csv(&cfg->job, fp, tpath, tlen, count, queued, d)
                           : fp ? VC_E_NOMEM : VC_E_IO;
  /* a full disk: a shorter list would print as if whole (the caller removes it) */
  bool bad = fp && ferror(fp);
  if (fp && fclose(fp) != 0) bad = true;
  if (bad) {
    fprintf(stderr, _("vncert: %s: the documents to print could not be written: %s\n"), csv,
            strerror(errno ? errno : EIO));
    if (st == VC_OK) st = VC_E_IO;
  }
  if (d) vc_diag_print(d, stderr);
  if (st != VC_OK)
    fputs(_("vncert: nothing was sent to the printer\n"), stderr);
  vc_diag_free(d);
  return st == VC_OK ? 0 : vc_status_exit_code(st);
}

/* Removes what pending_list made. */
static void pending_clean(const char *dir, const char *csv) {
  if (!dir[0]) return;
  unlink(csv);
  rmdir(dir);
}

int cli_print_pending(cli_config_t *cfg, volatile sig_atomic_t *cancel) {
  if (cfg->npositional || !cfg->pr.queue) {
    fputs(_("vncert: print --pending takes no file (it prints what the ledger says "
            "is not printed yet) and needs --printer QUEUE\n"), stderr);
    cli_usage_hint(CMD_PRINT, stderr);
    return 2;
  }
  char dir[PATH_MAX], csv[PATH_MAX + 16], tpath[PATH_MAX];
  long count = 0, queued = 0;
  cli_print_refresh(cfg); /* a job completed since is not printed twice */
  int code = pending_list(cfg, dir, sizeof dir, csv, sizeof csv, tpath, sizeof tpath, &count,
                          &queued);
  if (!code && !count && !queued && !cfg->quiet && cfg->job.template_path)
    fprintf(stderr, _("vncert: every issued document of %s has printed: nothing to print\n"),
            cfg->job.template_path);
  else if (!code && !count && !queued && !cfg->quiet)
    fputs(_("vncert: every issued document has printed: nothing to print\n"), stderr);
  else if (!code && !count && !cfg->quiet)
    fprintf(stderr, vc__ngettext("vncert: nothing printed: the %ld document not printed yet waits in "
                                 "CUPS (above)\n",
                                 "vncert: nothing printed: the %ld documents not printed yet wait in "
                                 "CUPS (above)\n", (unsigned long)queued),
            queued);
  if (code || !count) { /* documents waiting in CUPS are not printed: 1 */
    pending_clean(dir, csv);
    return code ? code : queued ? 1 : 0;
  }
  if (!cfg->quiet)
    fprintf(stderr, vc__ngettext("vncert: %ld document of %s not printed yet: drawn again from the "
                                 "ledger\n",
                                 "vncert: %ld documents of %s not printed yet: drawn again from the "
                                 "ledger\n", (unsigned long)count),
            count, tpath);
  cfg->job.template_path = tpath;
  cfg->job.data_path = csv;
  cli_print_t *c = cli_render_print_begin(cfg, cancel, &code);
  if (c) {
    vc_diag_t *d = vc_diag_create();
    vc_job_result_t res = {0};
    vc_status_t st = d ? vc_job_render(&cfg->job, d, &res) : VC_E_NOMEM;
    if (st != VC_OK && d) vc_diag_print(d, stderr);
    code = cli_render_print_end(c, cfg, st, &res);
    free(res.docs);
    vc_diag_free(d);
  }
  pending_clean(dir, csv);
  return code;
}
