/*
 * cmd-log.c - `vncert log` (issue 9, point 5): who printed what, when, as a
 * table or CSV, or the totals of so_tien; options checked here, the
 * listing in the library (vc_job_log).
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/i18n.h"

int cli_log(cli_config_t *cfg) {
  if (cfg->npositional) {
    fputs(_("vncert: log takes no file arguments (the ledger is --ledger FILE)\n"), stderr);
    cli_usage_hint(CMD_LOG, stderr);
    return 2;
  }
  vc_diag_t *d = vc_diag_create();
  if (!d) return 1;
  long rows = 0;
  /* what is printed: ask CUPS first how the jobs not ended did end */
  if (cfg->log.unprinted || (cfg->log.kind && !strcmp(cfg->log.kind, "print")))
    cli_print_refresh(cfg);
  vc_status_t st = vc_job_log(&cfg->job, &cfg->log, stdout, &rows, d);
  int code = cli_finish(st, d, NULL);
  if (st == VC_OK && rows == 0 && !cfg->log.csv)
    fputs(cfg->log.unprinted ? _("vncert: every issued document has printed\n")
                             : _("vncert: nothing in the ledger matches\n"), stderr);
  vc_diag_free(d);
  return code;
}
