/*
 * cmd-sheets.c - label sheets on the command line (issue 13): `vncert
 * sheets [TEXT]` lists the label products a template's sheet: {product:
 * ...} may name, and the render options of labels, read into the job.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/i18n.h"

/* A whole number from lo to hi, or -1. */
static long whole(const char *s, long lo, long hi) {
  long v = 0;
  if (!s || !*s) return -1;
  for (const char *p = s; *p; p++) {
    if (*p < '0' || *p > '9' || v > hi) return -1;
    v = v * 10 + (*p - '0');
  }
  return v >= lo && v <= hi ? v : -1;
}

int cli_label_options(cli_config_t *cfg) {
  bool bad = true;
  if (cfg->lb.start && (cfg->job.labels.start = (int)whole(cfg->lb.start, 1, 2000)) < 0)
    fprintf(stderr, _("vncert: --start needs a label number (1 = the sheet's first label), "
                      "not '%s'\n"), cfg->lb.start);
  else if (cfg->lb.copies && (cfg->job.labels.copies = (int)whole(cfg->lb.copies, 1, 1000)) < 0)
    fprintf(stderr, _("vncert: --label-copies needs a number of labels per record, 1 to 1000, "
                      "not '%s'\n"), cfg->lb.copies);
  else if (cfg->lb.order && strcmp(cfg->lb.order, "across") && strcmp(cfg->lb.order, "down"))
    fprintf(stderr, _("vncert: --order needs across (row by row) or down (column by column), "
                      "not '%s'\n"), cfg->lb.order);
  else
    bad = false;
  if (bad) {
    cli_usage_hint(cfg->cmd, stderr);
    return 2;
  }
  cfg->job.labels.down = cfg->lb.order && !strcmp(cfg->lb.order, "down");
  return 0;
}

/* mm to 0.1 mm, the same under every locale ("99.1", "210"). */
static const char *mm(double v, char *out, size_t n) {
  long t = (long)(v * 10 + (v < 0 ? -0.5 : 0.5));
  if (t % 10) snprintf(out, n, "%ld.%ld", t / 10, labs(t % 10));
  else snprintf(out, n, "%ld", t / 10);
  return out;
}

int cli_cmd_sheets(cli_config_t *cfg) {
  char text[512] = ""; /* `vncert sheets avery 7163`: the words together */
  for (int i = 0; i < cfg->npositional; i++) {
    size_t at = strlen(text);
    snprintf(text + at, sizeof text - at, "%s%s", i ? " " : "", cfg->positional[i]);
  }
  vc_diag_t *d = vc_diag_create();
  if (!d) return 1;
  vc_sheet_info_t *list = NULL;
  size_t n = 0;
  const char *extra[1] = {cfg->lb.products};
  bool ok = vc_sheets_search(text, extra,
                             cfg->lb.products ? 1 : 0, &list, &n, d);
  if (!ok) {
    int code = cli_finish(vc_diag_status(d), d, _("cannot list the label products"));
    vc_diag_free(d);
    return code;
  }
  vc_diag_print(d, stderr); /* a products file with a problem: warnings */
  for (size_t i = 0; i < n; i++) {
    const vc_sheet_info_t *s = &list[i];
    char lw[32], lh[32], pw[32], ph[32];
    /* TRANSLATORS: brand part, labels per sheet (columns x rows), label size
     * and shape, paper size, description: for people, by tabs */
    printf(_("%s %s\t%d per sheet (%dx%d)\t%s x %s mm %s\ton %s x %s mm\t%s\n"), s->brand, s->part,
           s->per_sheet, s->columns, s->rows, mm(s->label_w_mm, lw, sizeof lw),
           mm(s->label_h_mm, lh, sizeof lh), s->shape, mm(s->paper_w_mm, pw, sizeof pw),
           mm(s->paper_h_mm, ph, sizeof ph), s->description);
  }
  if (!cfg->quiet)
    fprintf(stderr, n ? vc__ngettext("%zu label product (sheet: {product: \"BRAND PART\"} in a template)\n",
                                     "%zu label products (sheet: {product: \"BRAND PART\"} in a template)\n", n)
                      : _("%zu label products found (sheet: {product: \"BRAND PART\"} in a template)\n"),
            n);
  free(list);
  vc_diag_free(d);
  return n ? 0 : 1;
}
