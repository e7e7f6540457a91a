/*
 * cmd-ledger.c - `vncert ledger export|import` (issue 9, point 6): a whole
 * ledger moved through a CSV file, SQLite <-> PostgreSQL.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/i18n.h"

int cli_ledger(cli_config_t *cfg) {
  const char *verb = cfg->npositional > 0 ? cfg->positional[0] : "";
  bool exp = !strcmp(verb, "export"), imp = !strcmp(verb, "import");
  if ((!exp && !imp) || cfg->npositional != 2) {
    fputs(_("vncert: ledger export FILE or ledger import FILE\n"), stderr);
    cli_usage_hint(CMD_LEDGER, stderr);
    return 2;
  }
  vc_diag_t *d = vc_diag_create();
  if (!d) return 1;
  const char *file = cfg->positional[1];
  vc_status_t st = exp ? vc_job_ledger_export(&cfg->job, file, d)
                       : vc_job_ledger_import(&cfg->job, file, d);
  int code = cli_finish(st, d, exp ? _("the export was not written") : _("nothing was imported"));
  if (st == VC_OK && !cfg->quiet)
    fprintf(stderr, exp ? _("vncert: ledger exported to %s\n") : _("vncert: ledger imported from %s\n"),
            file);
  vc_diag_free(d);
  return code;
}
