/*
 * cmd-kiosk.c - `vncert kiosk` and `vncert kiosk-pin`: the options checked
 * and handed to the kiosk (src/kiosk), which does the rest.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/i18n.h"
#include "kiosk/kiosk.h"

/* A whole number in [lo, hi] from an option's text; false (said) otherwise. */
static bool number(const char *opt, const char *v, long lo, long hi, long *out) {
  char *end;
  errno = 0;
  long n = strtol(v, &end, 10);
  if (errno || end == v || *end || n < lo || n > hi) {
    fprintf(stderr, _("vncert: %s needs a whole number from %ld to %ld, not '%s'\n"), opt, lo, hi, v);
    return false;
  }
  *out = n;
  return true;
}

int cli_kiosk(cli_config_t *cfg) {
  vc_kiosk_config_t c;
  memset(&c, 0, sizeof c);
  long port = 8080, idle = 60, rate = 10;
  if (!cfg->pr.queue) {
    fputs(_("vncert: kiosk needs --printer QUEUE (vncert printers lists them)\n"), stderr);
    cli_usage_hint(CMD_KIOSK, stderr);
    return 2;
  }
  if ((cfg->ki.port && !number("--port", cfg->ki.port, 0, 65535, &port)) ||
      (cfg->ki.idle && !number("--idle", cfg->ki.idle, 10, 3600, &idle)) ||
      (cfg->ki.search_rate && !number("--search-rate", cfg->ki.search_rate, 1, 100000, &rate)))
    return 2;
  c.desk.template_path = cfg->job.template_path;
  c.desk.data_path = cfg->job.data_path;
  c.desk.fonts_dir = cfg->job.fonts_dir;
  c.desk.read = cfg->job.read;
  c.desk.images_dir = cfg->job.images_dir;
  c.desk.ledger = cfg->job.ledger;
  c.desk.key = cfg->job.key;
  c.desk.queue = cfg->pr.queue;
  c.desk.cups_server = cfg->pr.server;
  c.bind = cfg->ki.bind;
  c.port = (int)port;
  c.pin_file = cfg->ki.pin_file;
  c.token_file = cfg->ki.token_file;
  c.idle_seconds = (int)idle;
  c.confirm = cfg->ki.confirm;
  c.search_rate = (double)rate;
  c.verbose = cfg->ki.verbose;
  return vc_kiosk_run(&c);
}

int cli_kiosk_pin(cli_config_t *cfg) {
  if (cfg->npositional != 1) {
    fputs(_("vncert: kiosk-pin needs the FILE to write the PIN's hash to\n"), stderr);
    cli_usage_hint(CMD_KIOSK_PIN, stderr);
    return 2;
  }
  return vc_kiosk_pin_command(cfg->positional[0], cfg->ki.overwrite);
}
