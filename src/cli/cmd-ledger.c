/*
 * cmd-ledger.c - `vncert log` and `vncert ledger export|import` (issue 9,
 * points 5-6): options checked here, the work in the library.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

int cli_log(cli_config_t *cfg) {
  if (cfg->npositional) {
    fprintf(stderr, "vncert: log takes no file arguments (the ledger is --ledger FILE)\n");
    cli_usage(CMD_LOG, stderr);
    return 2;
  }
  vc_diag_t *d = vc_diag_create();
  if (!d) return 1;
  long rows = 0;
  vc_status_t st = vc_job_log(&cfg->job, &cfg->log, stdout, &rows, d);
  int code = cli_finish(st, d, NULL);
  if (st == VC_OK && rows == 0 && !cfg->log.csv)
    fprintf(stderr, "vncert: nothing in the ledger matches\n");
  vc_diag_free(d);
  return code;
}

int cli_ledger(cli_config_t *cfg) {
  const char *verb = cfg->npositional > 0 ? cfg->positional[0] : "";
  bool exp = !strcmp(verb, "export"), imp = !strcmp(verb, "import");
  if ((!exp && !imp) || cfg->npositional != 2) {
    fprintf(stderr, "vncert: ledger export FILE or ledger import FILE\n");
    cli_usage(CMD_LEDGER, stderr);
    return 2;
  }
  vc_diag_t *d = vc_diag_create();
  if (!d) return 1;
  const char *file = cfg->positional[1];
  vc_status_t st = exp ? vc_job_ledger_export(&cfg->job, file, d)
                       : vc_job_ledger_import(&cfg->job, file, d);
  int code = cli_finish(st, d, exp ? "the export was not written" : "nothing was imported");
  if (st == VC_OK && !cfg->quiet)
    fprintf(stderr, "vncert: %s %s\n", exp ? "ledger exported to" : "ledger imported from",
            file);
  vc_diag_free(d);
  return code;
}
