/*
 * kiosk.h - `vncert kiosk` (issue 12): the ceremony-day kiosk, an HTTP front
 * end over the print desk (vc_desk_*) like src/cli is a command-line one.
 * What the CLI calls; the rest is private to src/kiosk (kiosk-private.h).
 */
#ifndef VC_KIOSK_H
#define VC_KIOSK_H

#include <signal.h>
#include <stdbool.h>

#include "vncert.h"

typedef struct vc_kiosk_config {
  vc_desk_opts_t desk;       /* template, list, ledger, queue, CUPS server */
  const char *bind;          /* numeric address; NULL = 127.0.0.1 */
  int port;                  /* 0 = any free port (said at start) */
  const char *pin_file;      /* the staff PIN's hash (vncert kiosk-pin); needed */
  const char *token_file;    /* access token for a non-loopback bind */
  int idle_seconds;          /* the awardee's page returns to the start */
  bool confirm;              /* start in "staff confirms each print" */
  double search_rate;        /* searches per second per client (burst 3x) */
  bool verbose;              /* one line per request on stderr */
} vc_kiosk_config_t;

/* Runs the kiosk until SIGINT or SIGTERM: opens the desk, serves, then
 * stops the server and frees everything.  Returns the exit code (0 after a
 * clean stop; 1 when it cannot start, said on stderr). */
int vc_kiosk_run(const vc_kiosk_config_t *c);

/* `vncert kiosk-pin FILE`: reads a new PIN (4-12 digits) twice without
 * echo from a terminal, or one line from standard input, and writes its
 * slow hash to FILE (mode 0600; an existing FILE only with overwrite).
 * Returns the exit code (said on stderr). */
int vc_kiosk_pin_command(const char *path, bool overwrite);

#endif
