/*
 * cmd-calibrate.c - `vncert calibrate` (issue 13, point 2): writes the
 * calibration page (-o) or prints it (--print QUEUE, as `vncert print`
 * does), or turns what was measured on it into a printer's
 * profile (--save NAME --measured AX,AY,BX,CY), which `render --calibration
 * NAME` (or `render --print NAME`) then applies to every page.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/i18n.h"

/* "21.5,19.2,191.1,276" into m[4], a dot for decimals under every locale
 * (a comma separates the numbers).  false when it is not four numbers. */
static bool four_numbers(const char *s, double m[4]) {
  for (int i = 0; i < 4; i++) {
    double v = 0, scale = 0;
    bool digits = false;
    for (; *s && *s != ','; s++) {
      if (*s == '.' && !scale) scale = 1;
      else if (*s >= '0' && *s <= '9' && v < 1e6) {
        digits = true;
        if (scale) scale /= 10, v += (*s - '0') * scale;
        else v = v * 10 + (*s - '0');
      } else
        return false;
    }
    if (!digits || (i < 3 && *s != ',') || (i == 3 && *s)) return false;
    m[i] = v;
    if (*s) s++;
  }
  return true;
}

/* Writes the calibration page to path for --print (cli_print_make_fn): 0
 * (what d holds is said with the job), or the exit code after saying why. */
static int page_to_print(cli_config_t *cfg, const char *path, vc_diag_t *d) {
  vc_status_t st = vc_calibration_page(path, cfg->job.fonts_dir, d);
  if (st == VC_OK) return 0;
  int code = cli_finish(st, d, _("the calibration page was not written"));
  fputs(_("vncert: nothing was sent to the printer\n"), stderr);
  return code;
}

int cli_cmd_calibrate(cli_config_t *cfg, volatile sig_atomic_t *cancel) {
  const char *out = cfg->cal.out, *name = cfg->cal.save, *queue = cfg->pr.queue;
  if (!(out || queue) == !name || (name && !cfg->cal.measured) ||
      (!name && cfg->cal.measured) || cfg->npositional) {
    fputs(_("vncert: calibrate needs either -o PAGE.pdf or --print QUEUE (the page "
            "to print and measure) or --save NAME --measured AX,AY,BX,CY\n"), stderr);
    cli_usage_hint(cfg->cmd, stderr);
    return 2;
  }
  if (queue) { /* on A4 (the page's size), at 100% */
    char a4[64];
    const char *media = vc_print_media_for(210 * 72 / 25.4, 297 * 72 / 25.4, a4, sizeof a4);
    return cli_print_file(cfg, out, page_to_print, "Hiệu chỉnh máy in", media, cancel);
  }
  vc_diag_t *d = vc_diag_create();
  if (!d) return 1;
  int code = 0;
  if (out) {
    vc_status_t st = vc_calibration_page(out, cfg->job.fonts_dir, d);
    code = cli_finish(st, d, st == VC_OK ? NULL : _("the calibration page was not written"));
    if (st == VC_OK && !cfg->quiet)
      printf(_("vncert: calibration page written to %s: print it at 100%% and measure A, B, C\n"), out);
  } else {
    double m[4];
    vc_calibration_t c;
    if (!four_numbers(cfg->cal.measured, m) || !vc_calibration_from_measured(m, &c)) {
      fprintf(stderr, _("vncert: --measured needs four distances in mm, AX,AY,BX,CY (e.g. "
                        "21.5,19.2,191.1,276), as measured on the calibration page, not '%s'\n"),
              cfg->cal.measured);
      vc_diag_free(d);
      return 2;
    }
    bool ok = vc_calibration_save(name, &c, d);
    code = cli_finish(ok ? VC_OK : vc_diag_status(d), d, ok ? NULL : _("no profile was saved"));
    char *path = ok ? vc_calibration_path(name) : NULL;
    if (path && !cfg->quiet) printf(_("vncert: calibration of %s saved to %s\n"), name, path);
    free(path);
  }
  vc_diag_free(d);
  return code;
}
