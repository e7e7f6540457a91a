/*
 * print.h - printing through CUPS (issue 10): the queues and their state, what
 * a printer supports, sending a PDF as a job and following it to its end.
 *
 * Everything goes through libcups to a CUPS scheduler (never by running lp),
 * so a job has an id and a state vncert can follow and record.  A document
 * counts as printed only when CUPS says its job completed: every other end
 * (cancelled, aborted, held, printer stopped, waiting past a timeout, server
 * gone, stopped following) is an error in the vc_diag_t naming the queue, the
 * state and CUPS's reasons.  Nothing here prints or exits.
 *
 * A vc_print_t is one connection to one CUPS server; use it from one thread
 * at a time (libcups keeps its last error per thread).
 */
#ifndef VC_PRINT_H
#define VC_PRINT_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/diag.h"

typedef struct vc_print vc_print_t;
typedef struct vc_print_queues vc_print_queues_t;
typedef struct vc_print_caps vc_print_caps_t;

/* A queue's state, as IPP's printer-state. */
typedef enum vc_printer_state {
  VC_PRINTER_UNKNOWN = 0,
  VC_PRINTER_IDLE = 3,
  VC_PRINTER_PROCESSING = 4,
  VC_PRINTER_STOPPED = 5
} vc_printer_state_t;

/* How following a job ended (or where it is when not followed). */
typedef enum vc_print_outcome {
  VC_PRINT_ACCEPTED = 0,  /* sent and accepted, not followed (no_wait) */
  VC_PRINT_COMPLETED,     /* CUPS says the job completed: the one success */
  VC_PRINT_CANCELLED,     /* cancelled (by a user, an administrator, CUPS) */
  VC_PRINT_ABORTED,       /* aborted by CUPS (a filter or the device failed) */
  VC_PRINT_HELD,          /* held: waits for someone to release it */
  VC_PRINT_PRINTER_STOPPED, /* the printer (or the job) stopped, job unfinished */
  VC_PRINT_TIMEOUT,       /* still pending after the pending timeout */
  VC_PRINT_SERVER_GONE,   /* the CUPS server stopped answering */
  VC_PRINT_LEFT,          /* following stopped by the caller; job left in CUPS */
  VC_PRINT_NOT_SENT,      /* never sent (a fault before CUPS accepted it) */
  VC_PRINT_UNKNOWN        /* CUPS no longer knows the job (history cleared): whether
                           * it printed cannot be told, so it is not counted */
} vc_print_outcome_t;

/* A word for an outcome ("completed", "printer-stopped"...), for logs and
 * ledgers; static. */
const char *vc_print_outcome_name(vc_print_outcome_t o);
/* "idle", "processing", "stopped", "unknown"; static. */
const char *vc_printer_state_name(vc_printer_state_t s);

/* ---- The connection ---------------------------------------------------- */

/* Connects to a CUPS server: "host", "host:port" or a local socket path;
 * NULL = the usual one (CUPS_SERVER, client.conf, the local scheduler).
 * Caller owns the result (vc_print_close).  NULL when the server cannot be
 * reached (VC_E_IO: "is CUPS running?") or on no memory. */
vc_print_t *vc_print_open(const char *server, vc_diag_t *d);
void vc_print_close(vc_print_t *p);
/* The server as "host:port" (or the socket path); owned by p. */
const char *vc_print_server(const vc_print_t *p);

/* ---- Queues ------------------------------------------------------------ */

/* Every queue of the server with its state, in name order.  Caller owns the
 * result (vc_print_queues_free); NULL with a diagnostic when the server
 * fails.  A server without queues gives an empty list. */
vc_print_queues_t *vc_print_queues_list(vc_print_t *p, vc_diag_t *d);
void vc_print_queues_free(vc_print_queues_t *q);
size_t vc_print_queues_count(const vc_print_queues_t *q);
/* Index of a queue by name, or -1.  Names compare without case (as CUPS). */
long vc_print_queues_find(const vc_print_queues_t *q, const char *name);
/* The strings belong to the list; "" when CUPS gave none. */
const char *vc_print_queue_name(const vc_print_queues_t *q, size_t i);
const char *vc_print_queue_info(const vc_print_queues_t *q, size_t i);
const char *vc_print_queue_location(const vc_print_queues_t *q, size_t i);
vc_printer_state_t vc_print_queue_state(const vc_print_queues_t *q, size_t i);
/* printer-state-reasons joined with ", " ("none" when all is well). */
const char *vc_print_queue_reasons(const vc_print_queues_t *q, size_t i);
/* printer-state-message: the printer's or the administrator's own words. */
const char *vc_print_queue_message(const vc_print_queues_t *q, size_t i);
bool vc_print_queue_accepting(const vc_print_queues_t *q, size_t i);
bool vc_print_queue_is_default(const vc_print_queues_t *q, size_t i);

/* One line about queue i for `vncert printers` (into buf, n bytes; returns
 * buf): "NAME (default): idle, accepting jobs; INFO, LOCATION" then, when
 * not all is well, "; reasons: R; MESSAGE". */
char *vc_print_queue_line(const vc_print_queues_t *q, size_t i, char *buf, size_t n);

/* ---- What a printer supports -------------------------------------------- */

/* Job options; zero / NULL fields leave the printer's default. */
typedef struct vc_print_opts {
  int copies;              /* 0 = default (1) */
  const char *media;       /* "A4", "a5", "Letter" or a PWG name "iso_a4_210x297mm" */
  const char *orientation; /* "portrait", "landscape", "reverse-landscape", "reverse-portrait" */
  const char *sides;       /* "one-sided", "two-sided-long-edge", "two-sided-short-edge" */
} vc_print_opts_t;

/* What the queue supports, asked from the printer (its IPP attributes).
 * Caller owns the result (vc_print_caps_free); NULL with a diagnostic for a
 * missing queue or a server fault. */
vc_print_caps_t *vc_print_caps_get(vc_print_t *p, const char *queue, vc_diag_t *d);
void vc_print_caps_free(vc_print_caps_t *c);
/* Highest number of copies (1 when the printer does not say). */
int vc_print_caps_copies_max(const vc_print_caps_t *c);
/* Supported values (PWG media names, orientation and sides keywords), and
 * the printer's defaults ("" when none); strings belong to c. */
size_t vc_print_caps_media_count(const vc_print_caps_t *c);
const char *vc_print_caps_media(const vc_print_caps_t *c, size_t i);
const char *vc_print_caps_media_default(const vc_print_caps_t *c);
size_t vc_print_caps_orientation_count(const vc_print_caps_t *c);
const char *vc_print_caps_orientation(const vc_print_caps_t *c, size_t i);
size_t vc_print_caps_sides_count(const vc_print_caps_t *c);
const char *vc_print_caps_sides(const vc_print_caps_t *c, size_t i);
const char *vc_print_caps_sides_default(const vc_print_caps_t *c);

/* Checks options against what the queue supports: VC_OK, or VC_E_USAGE with
 * one diagnostic per refused option naming what the printer supports
 * ("printer 'X' cannot print on media 'B0'; it supports: A4, A5, ..."). */
vc_status_t vc_print_opts_check(const vc_print_caps_t *c, const vc_print_opts_t *o,
                                vc_diag_t *d);

/* ---- Jobs -------------------------------------------------------------- */

/* A job's progress, given to the callback when its state or page count
 * changes.  Strings are valid during the call only. */
typedef struct vc_print_progress {
  int job_id;
  const char *queue;
  const char *state;          /* job-state: "pending", "processing", ... */
  const char *job_reasons;    /* job-state-reasons, ", "-joined */
  long pages;                 /* pages printed as the printer reports; -1 unknown */
  vc_printer_state_t printer; /* the queue's state */
  const char *printer_reasons;/* printer-state-reasons ("media-empty-error"...) */
  const char *printer_message;/* printer-state-message */
} vc_print_progress_t;

/* One line for a progress report (into buf, n bytes; returns buf):
 * "job 12 on 'X': processing, 3 pages printed; printer: media-empty-error
 * (Paper out)"; the printer part only when it has reasons or a message. */
char *vc_print_progress_line(const vc_print_progress_t *pr, char *buf, size_t n);

/* Return non-zero to stop following (outcome VC_PRINT_LEFT). */
typedef int (*vc_print_progress_fn)(const vc_print_progress_t *pr, void *ud);

/* How to follow a job; NULL where one is asked for means "do not follow"
 * (no_wait: return once CUPS accepted the job). */
typedef struct vc_print_follow {
  int poll_ms;            /* between two looks at the job; 0 = 500 */
  int pending_timeout_ms; /* give up when the job has not started after this; 0 = never */
  int server_grace_ms;    /* how long a server that stopped answering is retried; 0 = 5000 */
  vc_print_progress_fn progress; /* may be NULL */
  void *progress_ud;
  /* Set (non-zero) from anywhere, a signal handler included, to stop
   * following (VC_PRINT_LEFT, VC_E_CANCELLED): the job stays in CUPS. */
  volatile sig_atomic_t *cancel;
} vc_print_follow_t;

/* What happened to one job. */
typedef struct vc_print_result {
  int job_id;                 /* 0 when never accepted */
  vc_print_outcome_t outcome;
  long pages;                 /* pages the printer reported printed; -1 unknown */
} vc_print_result_t;

/* Sends a PDF (a file, or len bytes in memory) to the queue as one job named
 * title (UTF-8, cut to 255 bytes between characters), with options checked
 * against the printer first (o may be NULL).  A missing, stopped or
 * rejecting queue is refused before anything is sent.  res->job_id is the
 * CUPS job id once accepted (outcome VC_PRINT_ACCEPTED).  VC_OK, or the
 * fault's status with a message (the job is cancelled if CUPS had created
 * it but did not get the whole document). */
vc_status_t vc_print_submit_file(vc_print_t *p, const char *queue, const char *path,
                                 const char *title, const vc_print_opts_t *o,
                                 vc_print_result_t *res, vc_diag_t *d);
vc_status_t vc_print_submit_mem(vc_print_t *p, const char *queue, const void *pdf,
                                size_t len, const char *title, const vc_print_opts_t *o,
                                vc_print_result_t *res, vc_diag_t *d);

/* Follows job res->job_id of queue to its end (f says how), calling the
 * progress callback on each change; sets res->outcome and res->pages.
 * VC_OK only for VC_PRINT_COMPLETED; VC_E_CANCELLED when the caller stopped
 * following; VC_E_IO with a message for every other end. */
vc_status_t vc_print_follow(vc_print_t *p, const char *queue, const vc_print_follow_t *f,
                            vc_print_result_t *res, vc_diag_t *d);

/* Cancels a job (the CLI's "cancel the job" after Ctrl-C). */
vc_status_t vc_print_cancel(vc_print_t *p, const char *queue, int job_id, vc_diag_t *d);

/* What a CLI calls: sends the file and, unless f is NULL (no_wait),
 * follows it.  Same statuses as vc_print_submit_file + vc_print_follow. */
vc_status_t vc_print_file(vc_print_t *p, const char *queue, const char *path,
                          const char *title, const vc_print_opts_t *o,
                          const vc_print_follow_t *f, vc_print_result_t *res,
                          vc_diag_t *d);

/* A run of volumes (files of at most N pages each, see job.h) as n jobs, in
 * order, named "title (i/n)": each is followed to its end before the next
 * is sent; the first that does not complete stops the run (the later ones
 * are VC_PRINT_NOT_SENT).  With f NULL each is only sent, in order.
 * res has n entries (caller's).  VC_OK when every volume completed (or was
 * accepted, f NULL). */
vc_status_t vc_print_volumes(vc_print_t *p, const char *queue, const char *const *paths,
                             size_t n, const char *title, const vc_print_opts_t *o,
                             const vc_print_follow_t *f, vc_print_result_t *res,
                             vc_diag_t *d);

#endif
