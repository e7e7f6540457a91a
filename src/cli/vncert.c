/*
 * vncert.c - the command: parse options, find the bundled data, run a job,
 * print its problems and a summary.  Everything else is in the library.
 */
#define _GNU_SOURCE /* fopencookie */
#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/i18n.h"
#include "vncert.h"

#ifndef VC_DATADIR
#define VC_DATADIR "/usr/local/share/vncert"
#endif

static bool is_dir(const char *p) {
  struct stat st;
  return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool is_file(const char *p) {
  struct stat st;
  return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* The directory holding vncert's own files (fonts/, templates/): beside the
 * source tree when run from it (build/vncert), else the installed data dir. */
static const char *data_dir(void) {
  static char buf[PATH_MAX];
  const char *env = getenv("VNCERT_DATADIR");
  if (env && is_dir(env)) return env;
  char exe[PATH_MAX];
  for (int up = 0; up < 2; up++) { /* build/vncert, build-x/y/vncert */
    if (!vc__program_dir(exe, sizeof exe, up)) break;
    /* installed: PREFIX/bin/vncert next to PREFIX/share/vncert */
    snprintf(buf, sizeof buf, "%.*s/../share/vncert", (int)(sizeof buf - 32), exe);
    if (up == 0 && is_dir(buf)) return buf;
    snprintf(buf, sizeof buf, "%.*s/fonts", (int)(sizeof buf - 16), exe);
    char tpl[PATH_MAX];
    snprintf(tpl, sizeof tpl, "%.*s/templates", (int)(sizeof tpl - 16), exe);
    if (is_dir(buf) && is_dir(tpl)) {
      snprintf(buf, sizeof buf, "%s", exe);
      return buf;
    }
  }
  return VC_DATADIR;
}

/* "giay-khen" finds the shipped template when no such file is here. */
static const char *template_path(const char *arg, char *buf, size_t n) {
  if (is_file(arg) || strchr(arg, '/')) return arg;
  snprintf(buf, n, "%s/templates/%s%s", data_dir(), arg,
           strstr(arg, ".yaml") ? "" : ".yaml");
  return is_file(buf) ? buf : arg;
}

static void progress(void *ud, long done, long total) {
  (void)ud;
  fputc('\r', stderr);
  fprintf(stderr, _("vncert: %ld/%ld records"), done, total);
  if (done == total) fputc('\n', stderr);
  fflush(stderr);
}

/* Ctrl-C, SIGTERM, SIGHUP during a job: the job stops at the next record
 * and removes what it wrote, then the process ends by the same signal.  A
 * second signal ends it at once (the handler is reset), and a later run
 * removes what that leaves. */
static volatile sig_atomic_t g_signal;

static void on_signal(int sig) { g_signal = sig; }

static void catch_signals(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sa.sa_flags = (int)SA_RESETHAND;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGHUP, &sa, NULL);
}

/* After a job stopped by a signal: end the way that signal ends a
 * process, so that a shell or script sees it. */
static void end_by_signal(void) {
  if (!g_signal) return;
  int sig = (int)g_signal;
  signal(sig, SIG_DFL);
  raise(sig);
}

static int finish(vc_status_t st, vc_diag_t *d, const char *what_failed) {
  vc_diag_print(d, stderr);
  if (st != VC_OK && what_failed)
    fprintf(stderr, "vncert: %s\n", what_failed);
  return vc_status_exit_code(st);
}

int cli_finish(vc_status_t st, vc_diag_t *d, const char *what_failed) {
  return finish(st, d, what_failed);
}

/* The command's exit code once standard output is flushed and closed: any
 * write to it that failed (a full disk, a closed pipe, > /dev/full), now or
 * earlier, is said and makes it 1, so a cut-short list never looks like a
 * success. */
static int stdout_errno; /* of the first failed flush of standard output */

static void flush_stdout(void) {
  errno = 0;
  if (fflush(stdout) != 0 && !stdout_errno) stdout_errno = errno ? errno : EIO;
}

static int stdout_done(int code) {
  flush_stdout();
  int e = stdout_errno;
  bool bad = e || ferror(stdout);
  errno = 0;
  if (fclose(stdout) != 0) {
    bad = true;
    if (!e) e = errno;
  }
  if (!bad) return code;
  fprintf(stderr, _("vncert: cannot write to standard output: %s\n"),
          e ? strerror(e) : _("write error"));
  return code ? code : 1;
}

static int cmd_words(cli_config_t *cfg) {
  if (cfg->npositional != 1) {
    fputs(_("vncert: words needs one amount\n"), stderr);
    cli_usage_hint(CMD_WORDS, stderr);
    return 2;
  }
  uint64_t v;
  char why[128], out[1024];
  if (!vc_money_parse(cfg->positional[0], &v, why, sizeof why)) {
    fprintf(stderr, _("vncert: \"%s\" is not an amount: %s\n"), cfg->positional[0], why);
    return 1;
  }
  unsigned fl = (cfg->ngan ? VC_WORDS_NGAN : 0) | (cfg->le ? VC_WORDS_LE : 0) |
                (cfg->ti ? VC_WORDS_TI : 0) | (cfg->bon ? VC_WORDS_BON : 0);
  bool ok = cfg->dong ? vc_money_words_dong(v, fl, out, sizeof out)
                      : vc_money_words(v, fl, out, sizeof out);
  if (!ok) return 1;
  puts(out);
  return 0;
}

static int cmd_fonts(cli_config_t *cfg, const char *fonts_dir) {
  vc_diag_t *d = vc_diag_create();
  vc_font_info_t *list = NULL;
  size_t n = 0;
  if (!d || !vc_fonts_list_vi(fonts_dir, &list, &n, d)) {
    int code = finish(d ? vc_diag_status(d) : VC_E_NOMEM, d, _("cannot read the fonts"));
    vc_diag_free(d);
    return code;
  }
  printf(vc__ngettext("Fonts that can draw Vietnamese (%zu file):\n",
                      "Fonts that can draw Vietnamese (%zu files):\n", n), n);
  for (size_t i = 0; i < n; i++) {
    const vc_font_info_t *f = &list[i];
    if (i == 0 || strcmp(list[i - 1].family, f->family) != 0) printf("%s\n", f->family);
    const char *where = f->bundled ? _("bundled") : _("installed");
    int pad = 9 - cli_chars(where); /* characters, not bytes */
    printf("    %-22s %s%*s%s", f->style, where, pad > 0 ? pad : 0, "",
           f->embeddable ? "" : _("  NOT USABLE: CFF outlines (.otf); use a TrueType .ttf"));
    if (cfg->all_fonts) printf("  %s", f->path);
    putchar('\n');
  }
  vc_font_info_free(list, n);
  vc_diag_free(d);
  return 0;
}

/* `vncert data` on a terminal (issue 6, point 9): a value holding ESC ] 0;
 * ... BEL would retitle the terminal, one holding U+202E would reverse the
 * line.  There the records are shown with every control character but line
 * ends (LF, CR LF) and tabs, and every invisible format character, written \u{1B},
 * \u{202E} (vc_text_escape), as in messages; to a file or a pipe the CSV
 * is the exact data.  A stdio stream over stdout (fopencookie) escapes
 * what goes through it, holding back a UTF-8 sequence cut between two
 * writes. */
typedef struct {
  FILE *to;
  char held[4];
  size_t nheld;
} tty_out_t;

/* Bytes at the end of s[0..n) to hold for the next write: an incomplete
 * UTF-8 sequence (1-3), or a CR whose LF may come next (kept as a line
 * end then, escaped otherwise). */
static size_t utf8_tail(const char *s, size_t n) {
  if (n && s[n - 1] == '\r') return 1;
  size_t k = 0;
  while (k < 3 && k < n && ((unsigned char)s[n - 1 - k] & 0xC0) == 0x80) k++;
  if (k == n) return 0;
  unsigned char c = (unsigned char)s[n - 1 - k];
  size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
  return k + 1 < need ? k + 1 : 0;
}

static bool tty_put(tty_out_t *t, const char *s, size_t n) {
  char *e = vc_text_escape(s, n, true);
  if (!e) return false;
  size_t len = strlen(e);
  bool ok = fwrite(e, 1, len, t->to) == len;
  free(e);
  return ok;
}

static ssize_t tty_write(void *cookie, const char *buf, size_t n) {
  tty_out_t *t = cookie;
  char *all = malloc(t->nheld + n + 1);
  if (!all) return -1;
  memcpy(all, t->held, t->nheld);
  memcpy(all + t->nheld, buf, n);
  size_t len = t->nheld + n, cut = utf8_tail(all, len);
  bool ok = tty_put(t, all, len - cut);
  memcpy(t->held, all + len - cut, cut);
  t->nheld = cut;
  free(all);
  return ok ? (ssize_t)n : -1;
}

static int tty_close(void *cookie) {
  tty_out_t *t = cookie;
  bool ok = !t->nheld || tty_put(t, t->held, t->nheld);
  free(t);
  return ok ? 0 : EOF;
}

/* stdout itself when it is not a terminal, else the escaping stream (NULL
 * on no memory). */
static FILE *data_out(void) {
  if (!isatty(STDOUT_FILENO)) return stdout;
  tty_out_t *t = calloc(1, sizeof *t);
  if (!t) return NULL;
  t->to = stdout;
  FILE *f = fopencookie(t, "w", (cookie_io_functions_t){.write = tty_write, .close = tty_close});
  if (!f) free(t);
  return f;
}

/* The summary's lines about the table's shape (issue 7): where the header
 * was when it was not the first line, what was passed over above and below,
 * hidden rows.  Nothing when the list is a bare table. */
static void print_shape(FILE *fp, const char *path, const vc_read_info_t *ri) {
  const vc_shape_info_t *s = &ri->shape;
  /* whole sentences for a workbook's rows and a text file's lines: a
   * translation may need its own words for each */
  bool wb = !strcmp(ri->encoding, "xlsx") || !strcmp(ri->encoding, "ods");
  if (s->header_line > 1 || s->above_rows) {
    fprintf(fp, wb ? _("vncert: %s: header on row %ld") : _("vncert: %s: header on line %ld"),
            path, s->header_line);
    if (s->above_rows == 1)
      fprintf(fp, wb ? _("; row %ld (title) passed over") : _("; line %ld (title) passed over"),
              s->above_first);
    else if (s->above_rows > 1)
      fprintf(fp,
              wb ? _("; rows %ld-%ld (title, %ld with values) passed over")
                 : _("; lines %ld-%ld (title, %ld with values) passed over"),
              s->above_first, s->above_last, s->above_rows);
    fputc('\n', fp);
  }
  if (s->below_rows == 1)
    fprintf(fp,
            wb ? _("vncert: %s: row %ld after the table passed over\n")
               : _("vncert: %s: line %ld after the table passed over\n"),
            path, s->below_first);
  else if (s->below_rows > 1)
    fprintf(fp,
            wb ? _("vncert: %s: rows %ld-%ld after the table passed over (%ld with values)\n")
               : _("vncert: %s: lines %ld-%ld after the table passed over (%ld with values)\n"),
            path, s->below_first, s->below_last, s->below_rows);
  if (s->hidden_included)
    fprintf(fp, vc__ngettext("vncert: %s: %ld hidden row included (--visible-only leaves them out)\n",
                             "vncert: %s: %ld hidden rows included (--visible-only leaves them out)\n",
                             (unsigned long)s->hidden_included),
            path, s->hidden_included);
  if (s->hidden_left_out)
    fprintf(fp, vc__ngettext("vncert: %s: %ld hidden row left out (--visible-only)\n",
                             "vncert: %s: %ld hidden rows left out (--visible-only)\n",
                             (unsigned long)s->hidden_left_out),
            path, s->hidden_left_out);
}

/* --header-row / --last-row: a row number, or -1 (said). */
static long row_arg(const char *opt, const char *v) {
  char *end;
  errno = 0;
  long n = strtol(v, &end, 10);
  if (errno || end == v || *end || n < 1 || n > 16777216) {
    fprintf(stderr, _("vncert: %s needs a line (row) number from 1, not '%s'\n"), opt, v);
    return -1;
  }
  return n;
}

/* `vncert data`'s summary: what was read, and how many match --match. */
static void data_summary(const cli_config_t *cfg, const vc_read_info_t *info,
                         const vc_job_result_t *res, const char *delim, size_t errors) {
  char recs[64], blank[96], errs[64];
  snprintf(recs, sizeof recs, vc__ngettext("%ld record", "%ld records", (unsigned long)res->records),
           res->records);
  snprintf(blank, sizeof blank, vc__ngettext("%ld blank line skipped", "%ld blank lines skipped",
                                             (unsigned long)info->skipped_lines),
           info->skipped_lines);
  snprintf(errs, sizeof errs, vc__ngettext("%zu error", "%zu errors", errors), errors);
  fprintf(stderr, _("vncert: %s: encoding %s, delimiter %s, %s, %s, %s\n"), cfg->job.data_path,
          info->encoding, delim, recs, blank, errs);
  if (cfg->job.match)
    fprintf(stderr, vc__ngettext("vncert: %ld record match \"%s\"\n",
                                 "vncert: %ld records match \"%s\"\n", (unsigned long)res->matched),
            res->matched, cfg->job.match);
}

static int cmd_data(cli_config_t *cfg) {
  if (cfg->npositional != 1) {
    fputs(_("vncert: data needs one DATA file\n"), stderr);
    cli_usage_hint(CMD_DATA, stderr);
    return 2;
  }
  cfg->job.data_path = cfg->positional[0];
  vc_diag_t *d = vc_diag_create();
  if (!d) return 1;
  vc_read_info_t info;
  memset(&info, 0, sizeof info);
  vc_job_result_t res = {0};
  FILE *out = data_out();
  if (!out) {
    vc_diag_free(d);
    fputs(_("vncert: out of memory\n"), stderr);
    return 1;
  }
  vc_status_t st = vc_job_data(&cfg->job, out, d, &info, &res);
  if (out != stdout && fclose(out) != 0 && !stdout_errno) stdout_errno = errno ? errno : EIO;
  flush_stdout(); /* the records before the messages; errors: stdout_done */
  vc_diag_print(d, stderr);
  if (!cfg->quiet && info.encoding[0]) {
    const char *delim = info.delimiter == ',' ? "','" : info.delimiter == ';' ? "';'"
                      : info.delimiter == '\t' ? "TAB" : _("none (workbook)");
    data_summary(cfg, &info, &res, delim, vc_diag_count(d));
    print_shape(stderr, cfg->job.data_path, &info);
  }
  vc_diag_free(d);
  return vc_status_exit_code(st);
}

/* --tones, --header-row, --last-row: what reading and sorting take.
 * 0, or the exit code of a usage error (said).  --encoding is the
 * library's to check: an unknown one is refused before any file is read. */
static int read_options(cli_config_t *cfg) {
  if (cfg->tones_arg) {
    if (!strcmp(cfg->tones_arg, "vietlex") || !strcmp(cfg->tones_arg, "cldr"))
      cfg->job.tones = VC_TONES_VIETLEX;
    else if (!strcmp(cfg->tones_arg, "sac-first"))
      cfg->job.tones = VC_TONES_SAC_FIRST;
    else {
      fprintf(stderr, _("vncert: --tones is vietlex or sac-first, not '%s'\n"), cfg->tones_arg);
      return 2;
    }
  }
  vc_shape_opts_t *sh = &cfg->job.read.shape;
  if (cfg->header_row_arg && (sh->header_row = row_arg("--header-row", cfg->header_row_arg)) < 0)
    return 2;
  if (cfg->last_row_arg && (sh->last_row = row_arg("--last-row", cfg->last_row_arg)) < 0)
    return 2;
  if (sh->header_row && sh->last_row && sh->last_row <= sh->header_row) {
    fprintf(stderr, _("vncert: --last-row %ld is not below --header-row %ld\n"), sh->last_row,
            sh->header_row);
    return 2;
  }
  return 0;
}

/* Options that would do nothing, or contradict each other, for the files a
 * job writes: mistakes worth saying.  0 or 2 (said). */
static int output_options(const cli_config_t *cfg) {
  const vc_job_t *j = &cfg->job;
  const char *alone = !j->split_dir ? (j->name_pattern ? "--name"
                      : j->overwrite ? "--overwrite" : j->ascii_names ? "--ascii" : NULL)
                                    : NULL;
  const char *why = NULL;
  if (alone) {
    if (!strcmp(alone, "--overwrite"))
      fputs(_("vncert: --overwrite goes with --split DIR (-o always replaces its file, and "
              "only by a complete new one)\n"), stderr);
    else
      fprintf(stderr, _("vncert: %s goes with --split DIR\n"), alone);
    return 2;
  }
  if (j->split_dir && !*j->split_dir) why = _("--split needs the name of a folder");
  else if (j->out && !*j->out) why = _("-o needs a file name (or '-' for standard output)");
  else if (j->layout_tsv && !*j->layout_tsv) why = _("--layout-tsv needs a file name");
  else if (cfg->volume_pages_arg && j->split_dir)
    why = _("--volume-pages goes with -o FILE.pdf, not --split (which writes one file per record)");
  else if (cfg->volume_pages_arg && j->out && !strcmp(j->out, "-"))
    why = _("--volume-pages writes several files: give -o FILE.pdf, not -o -");
  else if (cfg->cmd == CMD_PROOF && j->out && !strcmp(j->out, "-"))
    why = _("proof writes a file: give -o FILE.pdf");
  if (why) {
    fprintf(stderr, "vncert: %s\n", why);
    return 2;
  }
  if (j->images_dir && !is_dir(j->images_dir)) {
    fprintf(stderr, _("vncert: --images %s: not a folder\n"), j->images_dir);
    return 2;
  }
  if (cfg->pr.queue && (j->split_dir || (j->out && !strcmp(j->out, "-")))) {
    fprintf(stderr, _("vncert: --print prints one PDF: not with %s\n"),
            j->split_dir ? "--split" : "-o -");
    return 2;
  }
  if ((cfg->cmd == CMD_RENDER && !j->split_dir && !j->out && !cfg->pr.queue) || (cfg->cmd == CMD_PROOF && !j->out)) {
    fputs(cfg->cmd == CMD_RENDER ? _("vncert: where should the PDF go? give -o FILE.pdf "
                                     "(or --split DIR)\n")
                                 : _("vncert: where should the PDF go? give -o FILE.pdf\n"),
          stderr);
    cli_usage_hint(cfg->cmd, stderr);
    return 2;
  }
  if (j->split_dir && j->out) {
    fputs(_("vncert: choose -o FILE.pdf or --split DIR, not both\n"), stderr);
    return 2;
  }
  return 0;
}

/* --volume-pages N.  0 or 2 (said). */
static int volume_option(cli_config_t *cfg) {
  if (!cfg->volume_pages_arg) return 0;
  char *end;
  errno = 0;
  long v = strtol(cfg->volume_pages_arg, &end, 10);
  if (errno || *end || v < 1 || v > 10000000) {
    fprintf(stderr, _("vncert: --volume-pages needs a whole number of pages, not '%s'\n"),
            cfg->volume_pages_arg);
    return 2;
  }
  cfg->job.volume_pages = v;
  return 0;
}

/* `vncert check`: the problems, or a one-line all clear. */
static int report_check(const cli_config_t *cfg, vc_status_t st, const vc_diag_t *d,
                        const vc_job_result_t *res) {
  vc_diag_print(d, stderr);
  if (st == VC_OK) {
    if (!cfg->quiet) {
      unsigned long n = (unsigned long)res->records;
      printf(vc_diag_warnings(d)
                 ? vc__ngettext("%s: %ld record, no problems found (see the warnings above)\n",
                                "%s: %ld records, no problems found (see the warnings above)\n", n)
                 : vc__ngettext("%s: %ld record, no problems found\n",
                                "%s: %ld records, no problems found\n", n),
             cfg->job.data_path, res->records);
      print_shape(stdout, cfg->job.data_path, &res->read);
    }
  } else if (vc_diag_count(d)) {
    fprintf(stderr, vc__ngettext("vncert: %zu problem found; nothing was printed\n",
                                 "vncert: %zu problems found; nothing was printed\n",
                                 vc_diag_count(d)),
            vc_diag_count(d));
  }
  return vc_status_exit_code(st);
}

/* render's last line: "10 pages in 10 files in DIR", "... in 1 file: OUT". */
static void render_written(const vc_job_t *j, const vc_job_result_t *res) {
  char pages[64], files[64];
  snprintf(pages, sizeof pages, vc__ngettext("%ld page", "%ld pages", (unsigned long)res->pages),
           res->pages);
  snprintf(files, sizeof files, vc__ngettext("%ld file", "%ld files", (unsigned long)res->files),
           res->files);
  if (j->split_dir) /* TRANSLATORS: "10 pages" in "10 files" in the folder DIR */
    fprintf(stderr, _("vncert: %s in %s in %s\n"), pages, files, j->split_dir);
  else if (j->volume_pages)
    fprintf(stderr, _("vncert: %s in %s\n"), pages, files);
  else /* TRANSLATORS: "10 pages" in "1 file": the file's name, or "standard output" */
    fprintf(stderr, _("vncert: %s in %s: %s\n"), pages, files,
            strcmp(j->out, "-") ? j->out : _("standard output"));
}

/* `vncert render`: the problems, then what was written. */
static int report_render(const cli_config_t *cfg, vc_status_t st, vc_diag_t *d,
                         const vc_job_result_t *res) {
  const vc_job_t *j = &cfg->job;
  if (j->match && res->matched > 0 && !cfg->quiet)
    fprintf(stderr, vc__ngettext("vncert: %ld record matches \"%s\"\n",
                                 "vncert: %ld records match \"%s\"\n", (unsigned long)res->matched),
            res->matched, j->match);
  int code = finish(st, d, st == VC_E_CANCELLED ? NULL
                           : res->files == 0 ? _("nothing was written")
                                             : _("stopped; the files listed above were written"));
  if (!cfg->quiet && j->data_path) print_shape(stderr, j->data_path, &res->read);
  if (res->stale && !cfg->quiet)
    fprintf(stderr, vc__ngettext("vncert: removed %ld temporary file left by an earlier run "
                                 "that was stopped\n",
                                 "vncert: removed %ld temporary files left by an earlier run "
                                 "that was stopped\n", (unsigned long)res->stale),
            res->stale);
  if (st == VC_OK && !cfg->quiet) render_written(j, res);
  /* said, not warned: the shipped templates' codes are a demonstration,
   * and a school must not print real certificates with them */
  if (st == VC_OK && res->demo_signed && !cfg->quiet)
    fputs(_("vncert: note: the QR codes are signed with vncert's public DEMO key "
            "(key: DEMO): anyone can make codes that verify with it. For real "
            "certificates make the school's key (vncert keygen -o truong) and name it "
            "in the template (key: truong.key)\n"), stderr);
  return code;
}

/* render, check or proof once the options are checked. */
/* render --print QUEUE: QUEUE's calibration profile when one was saved
 * (issue 13, point 2). */
static void queue_calibration(cli_config_t *cfg) {
  if (cfg->cmd != CMD_RENDER || cfg->job.calibration || !cfg->pr.queue) return;
  char *path = vc_calibration_path(cfg->pr.queue);
  if (path && !strchr(cfg->pr.queue, '/') && is_file(path)) cfg->job.calibration = cfg->pr.queue;
  free(path);
}

static int run_job(cli_config_t *cfg) {
  queue_calibration(cfg);
  if (!cfg->quiet && isatty(2)) cfg->job.progress = progress;
  cfg->job.cancel = &g_signal;
  if (cfg->cmd != CMD_CHECK) catch_signals();
  vc_diag_t *d = vc_diag_create();
  if (!d) return 1;
  vc_job_result_t res = {0};
  vc_status_t st;
  int code;
  if (cfg->cmd == CMD_CHECK) {
    st = vc_job_check(&cfg->job, d, &res);
    code = report_check(cfg, st, d, &res);
  } else if (cfg->cmd == CMD_PROOF) {
    st = vc_job_proof(&cfg->job, d, &res);
    code = finish(st, d, _("the proof was not written"));
    if (st == VC_OK && !cfg->quiet)
      fprintf(stderr, vc__ngettext("vncert: proof written to %s (%ld page)\n",
                                   "vncert: proof written to %s (%ld pages)\n",
                                   (unsigned long)res.pages),
              cfg->job.out, res.pages);
  } else {
    cli_print_t *pr = cfg->pr.queue ? cli_render_print_begin(cfg, &g_signal, &code) : NULL;
    if (cfg->pr.queue && !pr) {
      vc_diag_free(d);
      return code;
    }
    st = vc_job_render(&cfg->job, d, &res);
    code = report_render(cfg, st, d, &res);
    if (pr) code = cli_render_print_end(pr, cfg, st, &res);
    free(res.docs);
    if (g_signal) st = VC_E_CANCELLED; /* Ctrl-C while following the job */
  }
  vc_diag_free(d);
  if (st == VC_E_CANCELLED) end_by_signal();
  return code;
}

/* The bundled fonts: --fonts-dir, else the ones installed beside vncert.
 * 0 or 2 (said).  buf holds the default's path. */
static int fonts_option(cli_config_t *cfg, char *buf, size_t n) {
  if (cfg->job.fonts_dir && !is_dir(cfg->job.fonts_dir)) {
    fprintf(stderr, _("vncert: --fonts-dir %s: %s\n"), cfg->job.fonts_dir,
            access(cfg->job.fonts_dir, F_OK) == 0 ? _("not a folder") : _("no such folder"));
    cli_usage_hint(cfg->cmd, stderr);
    return 2;
  }
  snprintf(buf, n, "%s/fonts", data_dir());
  if (!cfg->job.fonts_dir) cfg->job.fonts_dir = is_dir(buf) ? buf : NULL;
  return 0;
}

static int run(int argc, char **argv) {
  cli_config_t cfg;
  int rc = cli_parse(argc, argv, &cfg);
  if (rc) return rc;
  if (cfg.version) {
    printf("vncert %s\n", VNCERT_VERSION);
    return 0;
  }
  if (cfg.help) {
    cli_usage(cfg.cmd, stdout);
    return 0;
  }
  if (cfg.cmd & (CMD_KEYGEN | CMD_VERIFY | CMD_REVOKE | CMD_VERIFY_PAGE))
    return cli_cmd_verify(&cfg);
  if (cfg.cmd == CMD_KIOSK_PIN) return cli_kiosk_pin(&cfg);
  vc_sheets_set_data_dir(data_dir()); /* label products: the presets beside vncert */
  if (cfg.cmd == CMD_SHEETS) return cli_cmd_sheets(&cfg);
  char fonts[PATH_MAX];
  if ((rc = fonts_option(&cfg, fonts, sizeof fonts)) != 0) return rc;
  if (cfg.cmd == CMD_WORDS) return cmd_words(&cfg);
  if (cfg.cmd == CMD_CALIBRATE) {
    if (cfg.pr.queue) catch_signals();
    rc = cli_cmd_calibrate(&cfg, &g_signal);
    end_by_signal();
    return rc;
  }
  if (cfg.cmd == CMD_FONTS) return cmd_fonts(&cfg, cfg.job.fonts_dir);
  if ((rc = read_options(&cfg)) != 0) return rc;
  if (cfg.cmd == CMD_DATA) return cmd_data(&cfg);
  if (cfg.cmd == CMD_LOG) return cli_log(&cfg);       /* the ledger's commands */
  if (cfg.cmd == CMD_LEDGER) return cli_ledger(&cfg);
  if (cfg.cmd == CMD_PRINTERS) return cli_cmd_printers(&cfg);
  if (cfg.cmd == CMD_PRINT) {
    catch_signals();
    rc = cli_cmd_print(&cfg, &g_signal);
    end_by_signal();
    return rc;
  }

  const int need = cfg.cmd == CMD_PROOF ? 1 : 2;
  if (cfg.npositional != need) {
    fprintf(stderr, need == 1 ? _("vncert: %s needs a TEMPLATE\n")
                              : _("vncert: %s needs a TEMPLATE and a DATA file\n"),
            cli_cmd_name(cfg.cmd));
    cli_usage_hint(cfg.cmd, stderr);
    return 2;
  }
  char tbuf[PATH_MAX];
  cfg.job.template_path = template_path(cfg.positional[0], tbuf, sizeof tbuf);
  if (need == 2) cfg.job.data_path = cfg.positional[1];
  if (cfg.cmd == CMD_KIOSK) return cli_kiosk(&cfg);
  if (cfg.cmd == CMD_REPRINT) { /* stopped like a render: nothing written */
    cfg.job.cancel = &g_signal;
    catch_signals();
    rc = cli_reprint(&cfg);
    end_by_signal();
    return rc;
  }
  if ((rc = output_options(&cfg)) != 0 || (rc = volume_option(&cfg)) != 0 ||
      (rc = cli_label_options(&cfg)) != 0)
    return rc;
  return run_job(&cfg);
}

int main(int argc, char **argv) {
  /* Only for messages: every number in data and PDFs is locale-free. */
  setlocale(LC_ALL, "");
  return stdout_done(run(argc, argv));
}
