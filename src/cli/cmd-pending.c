/*
 * cmd-pending.c - what the ledger says is not printed yet (issue 10, point
 * 3): asking CUPS how the jobs it holds as not ended did end, and `vncert
 * print --pending`, which draws those documents again from the values the
 * ledger recorded (vc_job_unprinted_csv) and prints them as render --print
 * does, recorded the same way.
 */
#define _GNU_SOURCE /* mkdtemp */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"

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
    fprintf(stderr, "vncert: the print jobs' states are as last recorded (CUPS was not "
            "asked about the jobs not ended)\n");
  } else if (changed && !cfg->quiet) {
    fprintf(stderr, "vncert: CUPS told how %ld document%s' print job%s ended; recorded\n",
            changed, changed == 1 ? "" : "s", changed == 1 ? "" : "s");
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
    fprintf(stderr, "vncert: cannot make a temporary folder: %s\n", strerror(errno));
    dir[0] = '\0';
    return 1;
  }
  snprintf(csv, clen, "%s/chua-in.csv", dir);
  FILE *fp = fopen(csv, "w");
  vc_diag_t *d = vc_diag_create();
  vc_status_t st = fp && d ? vc_job_unprinted_csv(&cfg->job, fp, tpath, tlen, count, queued, d)
                           : VC_E_IO;
  if (fp && fclose(fp) != 0 && st == VC_OK) st = VC_E_IO;
  if (d) vc_diag_print(d, stderr);
  if (st != VC_OK)
    fprintf(stderr, "vncert: nothing was sent to the printer\n");
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
    fprintf(stderr, "vncert: print --pending takes no file (it prints what the ledger says "
            "is not printed yet) and needs --printer QUEUE\n");
    cli_usage(CMD_PRINT, stderr);
    return 2;
  }
  char dir[PATH_MAX], csv[PATH_MAX + 16], tpath[PATH_MAX];
  long count = 0, queued = 0;
  cli_print_refresh(cfg); /* a job completed since is not printed twice */
  int code = pending_list(cfg, dir, sizeof dir, csv, sizeof csv, tpath, sizeof tpath, &count,
                          &queued);
  if (!code && !count && !queued && !cfg->quiet)
    fprintf(stderr, "vncert: every issued document%s%s has printed: nothing to print\n",
            cfg->job.template_path ? " of " : "",
            cfg->job.template_path ? cfg->job.template_path : "");
  else if (!code && !count && !cfg->quiet)
    fprintf(stderr, "vncert: nothing printed: the %ld document%s not printed yet wait%s in "
            "CUPS (above)\n", queued, queued == 1 ? "" : "s", queued == 1 ? "s" : "");
  if (code || !count) { /* documents waiting in CUPS are not printed: 1 */
    pending_clean(dir, csv);
    return code ? code : queued ? 1 : 0;
  }
  if (!cfg->quiet)
    fprintf(stderr, "vncert: %ld document%s of %s not printed yet: drawn again from the "
            "ledger\n", count, count == 1 ? "" : "s", tpath);
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
