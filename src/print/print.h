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

/* The module's calls are public (the CLI and the kiosk print through
 * them): they are declared in vncert.h, under "printing through CUPS". */
#include "core/diag.h"
#include "vncert.h"

#endif
