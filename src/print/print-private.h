/*
 * print-private.h - what print.c (connection, queues, capabilities) and
 * print-job.c (sending and following jobs) share.  Not public.
 */
#ifndef VC_PRINT_PRIVATE_H
#define VC_PRINT_PRIVATE_H

#include <cups/cups.h>

#include "print/print.h"

struct vc_print {
  http_t *http;
  char server[300]; /* as the user gave it or CUPS's default, for messages */
  char host[256];   /* host name or socket path */
  int port;
};

/* A queue's state as one Get-Printer-Attributes says it. */
typedef struct vc__queue_state {
  bool found;
  vc_printer_state_t state;
  bool accepting;
  char reasons[512]; /* ", "-joined printer-state-reasons */
  char message[512]; /* printer-state-message */
} vc__queue_state_t;

/* Looks up one queue (found false when it does not exist: not a fault
 * here).  VC_OK, or VC_E_IO / VC_E_NOMEM with a diagnostic when the server
 * fails. */
vc_status_t vc__print_queue_state(vc_print_t *p, const char *queue, vc__queue_state_t *st,
                                  vc_diag_t *d);

/* Records "there is no printer queue 'X' on the CUPS server S", naming the
 * queues there are; returns VC_E_IO. */
vc_status_t vc__print_no_queue(vc_print_t *p, const char *queue, vc_diag_t *d);

/* Records a failed request to the server: when the connection is gone,
 * "the CUPS server S stopped answering"; else CUPS's own words
 * (cupsLastErrorString) after what was asked.  Returns VC_E_IO. */
vc_status_t vc__print_fault(vc_print_t *p, const char *file, vc_diag_t *d, const char *what);

/* True when the last request failed because the server could not be reached. */
bool vc__print_server_lost(void);

/* A destination for queue on p's server, made here rather than by
 * cupsGetNamedDest: that one asks the server of CUPS_SERVER / client.conf
 * (the thread's default), not p's.  Caller frees (cupsFreeDests(1, dest));
 * NULL on no memory. */
cups_dest_t *vc__print_dest(vc_print_t *p, const char *queue);

/* "; the printer says: \"MESSAGE\"" in the user's language into buf (n
 * bytes): a printer-state-message is the printer's or its administrator's
 * own words, shown in double quotes, never translated. */
void vc__print_said(const char *message, char *buf, size_t n);
/* "; reasons: R" with R described (vc_print_reasons_text) into buf (n
 * bytes), or "" when there is nothing to say ("none", no reasons). */
void vc__print_reasons_clause(const char *reasons, char *buf, size_t n);

/* Joins the values of a keyword/name attribute with ", " into buf (""
 * for NULL). */
void vc__print_join(ipp_attribute_t *a, char *buf, size_t n);

/* A new IPP request op about queue (its printer-uri set); caller owns it
 * (cupsDoRequest frees it).  NULL (+ VC_E_NOMEM) on no memory. */
ipp_t *vc__print_queue_request(const vc_print_t *p, ipp_op_t op, const char *queue,
                               vc_diag_t *d);

/* The PWG name ("iso_a4_210x297mm") of a paper size given as PWG, legacy
 * ("a4") or PPD ("A4") name; NULL for none CUPS knows.  Static (CUPS's). */
const char *vc__print_media_pwg(const char *name);
/* IPP orientation-requested enum (3..6) of a keyword, 0 for none. */
int vc__print_orientation_enum(const char *name);

#endif
