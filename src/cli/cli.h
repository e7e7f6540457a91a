/*
 * cli.h - the vncert command's configuration and option parser.  The CLI is
 * a client of the library like any other: options fill one struct, the
 * subcommand hands it to a job.
 */
#ifndef VC_CLI_H
#define VC_CLI_H

#include <stdbool.h>

#include "vncert.h"

typedef enum {
  CMD_NONE = 0,
  CMD_RENDER = 1 << 0,
  CMD_CHECK = 1 << 1,
  CMD_PROOF = 1 << 2,
  CMD_FONTS = 1 << 3,
  CMD_WORDS = 1 << 4,
  CMD_DATA = 1 << 5,
  /* printing (issue 10) */
  CMD_PRINT = 1 << 6,
  CMD_PRINTERS = 1 << 7,
  /* the issuance ledger (issue 9) */
  CMD_REPRINT = 1 << 8,
  CMD_LOG = 1 << 9,
  CMD_LEDGER = 1 << 10,
  /* verifiable certificates (issue 11) */
  CMD_KEYGEN = 1 << 11,
  CMD_VERIFY = 1 << 12,
  CMD_REVOKE = 1 << 13,
  CMD_VERIFY_PAGE = 1 << 14,
  /* the ceremony-day kiosk (issue 12) */
  CMD_KIOSK = 1 << 15,
  CMD_KIOSK_PIN = 1 << 16,
  /* label sheets (issue 13) */
  CMD_SHEETS = 1 << 17,
  CMD_CALIBRATE = 1 << 18
} cli_cmd_t;

#define CLI_MAX_WHERE 16

typedef struct cli_config {
  cli_cmd_t cmd;
  vc_job_t job;
  const char *positional[4];
  int npositional;
  bool help, version, quiet;
  /* words */
  bool dong, ngan, le, ti, bon;
  /* fonts */
  bool all_fonts;
  const char *volume_pages_arg;
  const char *header_row_arg, *last_row_arg;
  const char *tones_arg;
  const char *where_list[CLI_MAX_WHERE];
  /* the ledger's commands: reprint (rp), log (log) */
  vc_reprint_t rp;
  vc_log_opts_t log;
  /* printing (issue 10): print, printers, render --print; all as typed */
  struct {
    const char *queue, *server, *copies, *media, *orientation, *sides, *timeout;
    const char *job_pages;
    bool no_wait, pending;
  } pr;
  /* keygen, verify, revoke, verify-page (issue 11): as typed */
  struct {
    const char *out, *comment, *keys, *reason, *school;
  } vf;
  /* kiosk, kiosk-pin (issue 12): as typed */
  struct {
    const char *port, *bind, *pin_file, *token_file, *idle, *search_rate;
    bool confirm, verbose, overwrite;
  } ki;
  /* label sheets (issue 13): render/check options as typed; sheets --products */
  struct {
    const char *start, *copies, *order, *products;
  } lb;
  /* calibrate (issue 13, point 2): as typed */
  struct {
    const char *out, *save, *measured;
  } cal;
} cli_config_t;

/* Parses argv into cfg.  Returns 0 on success, 2 on a usage error (message
 * already printed to stderr). */
int cli_parse(int argc, char **argv, cli_config_t *cfg);
/* Prints the usage of one command (or the overview for CMD_NONE). */
void cli_usage(cli_cmd_t cmd, FILE *fp);
/* After a wrong command line: the command's usage line and where its
 * options are told (the whole help would push the error off the screen);
 * the list of commands when there is no command. */
void cli_usage_hint(cli_cmd_t cmd, FILE *fp);
const char *cli_cmd_name(cli_cmd_t cmd);
/* The characters (not bytes) of UTF-8 text s, to pad a terminal's columns:
 * translated words hold letters of several bytes. */
int cli_chars(const char *s);

/* The ledger's commands (cmd-reprint.c, cmd-log.c, cmd-ledger.c); each
 * returns the exit code.  cli_run_job is vncert.c's render path. */
int cli_reprint(cli_config_t *cfg);
int cli_log(cli_config_t *cfg);
int cli_ledger(cli_config_t *cfg);
int cli_finish(vc_status_t st, vc_diag_t *d, const char *what_failed);
/* cmd-print.c: `vncert printers`, `vncert print FILE.pdf --printer Q`, and
 * the printing part of `render --print Q`.  Each returns the exit code
 * (messages said on stderr); cancel is the Ctrl-C flag. */
int cli_cmd_printers(cli_config_t *cfg);
int cli_cmd_print(cli_config_t *cfg, volatile sig_atomic_t *cancel);
/* Also in cmd-print.c: prints path as `print` does (one job, or parts of
 * at most --job-pages, followed), named head, on media unless --media
 * says; with make, the file is first made by make(cfg, path, d) (0, or the
 * exit code after saying why), in a temporary folder of its own when path
 * is NULL, once the queue and the options are known good.  The exit code. */
typedef int (*cli_print_make_fn)(cli_config_t *cfg, const char *path, vc_diag_t *d);
int cli_print_file(cli_config_t *cfg, const char *path, cli_print_make_fn make,
                   const char *head, const char *media, volatile sig_atomic_t *cancel);
/* Also in cmd-print.c: `vncert print --pending` (the ledger's documents not
 * printed yet, drawn again and printed), and asking CUPS how the jobs the
 * ledger holds as not ended did end (print --pending, log --unprinted). */
int cli_print_pending(cli_config_t *cfg, volatile sig_atomic_t *cancel);
void cli_print_refresh(cli_config_t *cfg);
/* cmd-verify.c: `vncert keygen`, `verify`, `revoke`, `verify-page`; the exit code. */
int cli_cmd_verify(cli_config_t *cfg);
/* cmd-kiosk.c: `vncert kiosk TEMPLATE DATA --printer Q` (the template's
 * path already found) and `vncert kiosk-pin FILE`; the exit code. */
int cli_kiosk(cli_config_t *cfg);
int cli_kiosk_pin(cli_config_t *cfg);
/* cmd-sheets.c: `vncert sheets [TEXT]` (the label products), the exit
 * code; cli_label_options turns --start, --label-copies, --order into
 * cfg->job.labels: 0, or 2 after saying why. */
int cli_cmd_sheets(cli_config_t *cfg);
/* cmd-calibrate.c: `vncert calibrate`, the exit code; cancel is the
 * Ctrl-C flag (--print follows the job). */
int cli_cmd_calibrate(cli_config_t *cfg, volatile sig_atomic_t *cancel);
int cli_label_options(cli_config_t *cfg);
/* render --print: _begin checks the print options, the queue and what the
 * printer supports before anything is rendered, and points an -o-less job
 * at a temporary folder; NULL with *code the exit code (said).  _end sends
 * what the render wrote when st is VC_OK, follows it, frees c; the exit
 * code. */
typedef struct cli_print cli_print_t;
cli_print_t *cli_render_print_begin(cli_config_t *cfg, volatile sig_atomic_t *cancel,
                                    int *code);
int cli_render_print_end(cli_print_t *c, cli_config_t *cfg, vc_status_t st,
                         const vc_job_result_t *res);

#endif
