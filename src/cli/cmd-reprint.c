/*
 * cmd-reprint.c - `vncert reprint`: one issued document printed again
 * (issue 9, point 4).  The library compares, renders and records; this
 * checks the command line and says what happened.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/i18n.h"

int cli_reprint(cli_config_t *cfg) {
  vc_job_t *j = &cfg->job;
  int ways = !!cfg->rp.key + !!cfg->rp.serial + !!j->match;
  const char *why = ways != 1 ? _("reprint needs one of --key ID, --match TEXT, --serial S")
                  : !j->reason || !*j->reason ? _("reprint needs --reason TEXT (recorded)")
                  : !j->out || !*j->out ? _("where should the PDF go? give -o FILE.pdf")
                  : !strcmp(j->out, "-") ? _("reprint writes a file: give -o FILE.pdf") : NULL;
  if (why) {
    fprintf(stderr, "vncert: %s\n", why);
    cli_usage_hint(CMD_REPRINT, stderr);
    return 2;
  }
  vc_diag_t *d = vc_diag_create();
  if (!d) return 1;
  vc_job_result_t res = {0};
  vc_status_t st = vc_job_reprint(j, &cfg->rp, d, &res);
  int code = cli_finish(st, d, st == VC_E_CANCELLED ? NULL : _("nothing was written or recorded"));
  if (st == VC_OK && !cfg->quiet)
    fprintf(stderr, _("vncert: reprint written to %s and recorded\n"), j->out);
  vc_diag_free(d);
  return code;
}
