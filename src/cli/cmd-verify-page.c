/*
 * cmd-verify-page.c - `vncert verify-page --keys A.pub[,B.pub] -o PAGE.html
 * [--school NAME]` (issue 11, point 5): the school's verification page.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

/* Splits the comma-separated list into files[] (pointers into list, which
 * is modified); their number, or 0 when empty, too many or with an empty
 * name (said). */
static size_t split_keys(char *list, const char *files[], size_t max) {
  size_t n = 0;
  for (char *p = list, *comma;; p = comma + 1) {
    comma = strchr(p, ',');
    if (comma) *comma = '\0';
    if (*p == '\0' || n == max) {
      fprintf(stderr, "vncert: --keys takes 1 to %zu file names separated by commas\n", max);
      return 0;
    }
    files[n++] = p;
    if (!comma) return n;
  }
}

int cli_verify_page(cli_config_t *cfg) {
  if (!cfg->vp.keys || !cfg->vp.out || cfg->npositional != 0) {
    fprintf(stderr, "vncert: verify-page needs --keys and -o, and nothing else\n");
    cli_usage(CMD_VERIFY_PAGE, stderr);
    return 2;
  }
  char *list = strdup(cfg->vp.keys);
  const char *files[VC_VERIFY_PAGE_MAX_KEYS];
  size_t n = list ? split_keys(list, files, VC_VERIFY_PAGE_MAX_KEYS) : 0;
  if (n == 0) {
    free(list);
    return list ? 2 : 1;
  }
  vc_diag_t *d = vc_diag_create();
  if (!d) {
    free(list);
    return 1;
  }
  vc_verify_page_t p = {.key_files = files, .nkeys = n, .school = cfg->vp.school};
  vc_status_t st = vc_verify_page_write(&p, cfg->vp.out, d);
  int code = cli_finish(st, d, "the page was not written");
  if (st == VC_OK && !cfg->quiet)
    fprintf(stderr, "vncert: verification page written to %s (%zu key%s)\n", cfg->vp.out, n,
            n == 1 ? "" : "s");
  vc_diag_free(d);
  free(list);
  return code;
}
