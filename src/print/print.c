/*
 * print.c - the connection to a CUPS server, its queues with their state,
 * and what a queue's printer supports (issue 10, point 1).
 *
 * The queues are asked with our own IPP requests (CUPS-Get-Printers,
 * Get-Printer-Attributes) rather than cupsGetDests: those give
 * printer-state-message, the words a clerk needs ("Paper jam in tray 2"),
 * and tell a missing queue from a server that failed.
 */
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/mem.h"
#include "core/text.h"
#include "print/print-private.h"

static const char *const outcome_names[] = {
    "accepted", "completed", "cancelled", "aborted", "held", "printer-stopped",
    "timeout", "server-gone", "left", "not-sent", "unknown"};

const char *vc_print_outcome_name(vc_print_outcome_t o) {
  return (unsigned)o < sizeof outcome_names / sizeof *outcome_names ? outcome_names[o]
                                                                     : "unknown";
}

const char *vc_printer_state_name(vc_printer_state_t s) {
  switch (s) {
  case VC_PRINTER_IDLE: return N_("idle");
  case VC_PRINTER_PROCESSING: return N_("processing");
  case VC_PRINTER_STOPPED: return N_("stopped");
  default: return N_("unknown");
  }
}

/* ---- Connection ---------------------------------------------------------- */

/* Splits "host", "host:port", "[v6]:port" or "/socket" into p->host/port. */
static void parse_server(vc_print_t *p, const char *server) {
  const char *colon = strrchr(server, ':');
  p->port = ippPort();
  if (server[0] == '/') {
    snprintf(p->host, sizeof p->host, "%s", server);
    snprintf(p->server, sizeof p->server, "%s", server);
    return;
  }
  size_t hlen = strlen(server);
  if (colon && colon[1] && strspn(colon + 1, "0123456789") == strlen(colon + 1) &&
      (server[0] == '[' || !memchr(server, ':', (size_t)(colon - server)))) {
    p->port = atoi(colon + 1);
    hlen = (size_t)(colon - server);
  }
  if (hlen >= 2 && server[0] == '[' && server[hlen - 1] == ']')
    snprintf(p->host, sizeof p->host, "%.*s", (int)(hlen - 2), server + 1);
  else
    snprintf(p->host, sizeof p->host, "%.*s", (int)hlen, server);
  snprintf(p->server, sizeof p->server, "%s:%d", p->host, p->port);
}

vc_print_t *vc_print_open(const char *server, vc_diag_t *d) {
  vc_print_t *p = calloc(1, sizeof *p);
  if (!p) {
    vc_diag_add(d, VC_E_NOMEM, NULL, 0, 0, "out of memory connecting to CUPS");
    return NULL;
  }
  parse_server(p, server && *server ? server : cupsServer());
  p->http = httpConnect2(p->host, p->port, NULL, AF_UNSPEC, cupsEncryption(), 1, 5000, NULL);
  if (!p->http) {
    vc_diag_add(d, VC_E_IO, NULL, 0, 0,
                "cannot reach the CUPS print server at %s (%s): is CUPS running? "
                "(start it with 'systemctl start cups', or check CUPS_SERVER)",
                p->server, cupsLastErrorString());
    free(p);
    return NULL;
  }
  return p;
}

void vc_print_close(vc_print_t *p) {
  if (!p) return;
  httpClose(p->http);
  free(p);
}

const char *vc_print_server(const vc_print_t *p) { return p->server; }

bool vc__print_server_lost(void) {
  ipp_status_t st = cupsLastError();
  return st == IPP_STATUS_ERROR_SERVICE_UNAVAILABLE || st == IPP_STATUS_ERROR_INTERNAL;
}

vc_status_t vc__print_fault(vc_print_t *p, const char *file, vc_diag_t *d, const char *what) {
  if (vc__print_server_lost())
    vc_diag_add(d, VC_E_IO, file, 0, 0,
                "the CUPS print server at %s stopped answering while %s (%s): "
                "is CUPS still running?",
                p->server, what, cupsLastErrorString());
  else
    vc_diag_add(d, VC_E_IO, file, 0, 0, "CUPS (%s) refused %s: %s", p->server, what,
                cupsLastErrorString());
  return VC_E_IO;
}

void vc__print_join(ipp_attribute_t *a, char *buf, size_t n) {
  size_t used = 0;
  buf[0] = '\0';
  for (int i = 0, c = a ? ippGetCount(a) : 0; i < c && used < n; i++) {
    const char *s = ippGetString(a, i, NULL);
    int w = snprintf(buf + used, n - used, "%s%s", i ? ", " : "", s ? s : "");
    if (w < 0) break;
    used += (size_t)w;
  }
}

/* The queue's printer-uri on p's server into uri (n bytes). */
static void queue_uri(const vc_print_t *p, const char *queue, char *uri, size_t n) {
  httpAssembleURIf(HTTP_URI_CODING_ALL, uri, (int)n, "ipp", NULL, "localhost", p->port,
                   "/printers/%s", queue);
}

ipp_t *vc__print_queue_request(const vc_print_t *p, ipp_op_t op, const char *queue,
                               vc_diag_t *d) {
  char uri[1024];
  ipp_t *req = ippNewRequest(op);
  if (!req) {
    vc_diag_add(d, VC_E_NOMEM, NULL, 0, 0, "out of memory asking CUPS about '%s'", queue);
    return NULL;
  }
  queue_uri(p, queue, uri, sizeof uri);
  ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_URI, "printer-uri", NULL, uri);
  return req;
}

vc_status_t vc__print_queue_state(vc_print_t *p, const char *queue, vc__queue_state_t *st,
                                  vc_diag_t *d) {
  static const char *const want[] = {"printer-state", "printer-state-reasons",
                                     "printer-state-message", "printer-is-accepting-jobs"};
  memset(st, 0, sizeof *st);
  ipp_t *req = vc__print_queue_request(p, IPP_OP_GET_PRINTER_ATTRIBUTES, queue, d);
  if (!req) return VC_E_NOMEM;
  ippAddStrings(req, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes",
                (int)(sizeof want / sizeof *want), NULL, want);
  ipp_t *resp = cupsDoRequest(p->http, req, "/");
  if (cupsLastError() == IPP_STATUS_ERROR_NOT_FOUND) {
    ippDelete(resp);
    return VC_OK;
  }
  if (!resp || cupsLastError() > IPP_STATUS_OK_EVENTS_COMPLETE) {
    ippDelete(resp);
    char what[300];
    snprintf(what, sizeof what, _("asking about printer '%s'"), queue);
    return vc__print_fault(p, NULL, d, what);
  }
  ipp_attribute_t *a;
  st->found = true;
  if ((a = ippFindAttribute(resp, "printer-state", IPP_TAG_ENUM)))
    st->state = (vc_printer_state_t)ippGetInteger(a, 0);
  st->accepting = (a = ippFindAttribute(resp, "printer-is-accepting-jobs", IPP_TAG_BOOLEAN)) &&
                  ippGetBoolean(a, 0);
  vc__print_join(ippFindAttribute(resp, "printer-state-reasons", IPP_TAG_KEYWORD),
                 st->reasons, sizeof st->reasons);
  vc__print_join(ippFindAttribute(resp, "printer-state-message", IPP_TAG_TEXT), st->message,
                 sizeof st->message);
  ippDelete(resp);
  return VC_OK;
}

cups_dest_t *vc__print_dest(vc_print_t *p, const char *queue) {
  cups_dest_t *dests = NULL;
  char uri[1024];
  queue_uri(p, queue, uri, sizeof uri);
  if (cupsAddDest(queue, NULL, 0, &dests) != 1) {
    cupsFreeDests(0, dests);
    return NULL;
  }
  dests->num_options =
      cupsAddOption("printer-uri-supported", uri, dests->num_options, &dests->options);
  /* cupsCopyDestInfo on a connection to another server than the thread's
   * default takes it for the printer itself and asks at "device-uri":
   * the queue on this server is that printer. */
  dests->num_options = cupsAddOption("device-uri", uri, dests->num_options, &dests->options);
  if (dests->num_options != 2) {
    cupsFreeDests(1, dests);
    return NULL;
  }
  return dests;
}

/* ---- Queues -------------------------------------------------------------- */

typedef struct queue {
  char *name, *info, *location, *reasons, *message;
  vc_printer_state_t state;
  bool accepting, is_default;
} queue_t;

struct vc_print_queues {
  queue_t *q;
  size_t n, cap;
};

void vc_print_queues_free(vc_print_queues_t *l) {
  if (!l) return;
  for (size_t i = 0; i < l->n; i++) {
    free(l->q[i].name); free(l->q[i].info); free(l->q[i].location);
    free(l->q[i].reasons); free(l->q[i].message);
  }
  free(l->q);
  free(l);
}

/* Adds one printer's attributes (from *a to the next separator) to l; moves
 * *a past them.  False on no memory. */
static bool add_queue(vc_print_queues_t *l, ipp_t *resp, ipp_attribute_t **a) {
  queue_t q = {0};
  char reasons[512] = "", message[512] = "";
  const char *name = NULL, *info = NULL, *loc = NULL;
  for (; *a && ippGetName(*a); *a = ippNextAttribute(resp)) {
    const char *an = ippGetName(*a);
    if (!strcmp(an, "printer-name")) name = ippGetString(*a, 0, NULL);
    else if (!strcmp(an, "printer-info")) info = ippGetString(*a, 0, NULL);
    else if (!strcmp(an, "printer-location")) loc = ippGetString(*a, 0, NULL);
    else if (!strcmp(an, "printer-state")) q.state = (vc_printer_state_t)ippGetInteger(*a, 0);
    else if (!strcmp(an, "printer-is-accepting-jobs")) q.accepting = ippGetBoolean(*a, 0);
    else if (!strcmp(an, "printer-state-reasons")) vc__print_join(*a, reasons, sizeof reasons);
    else if (!strcmp(an, "printer-state-message")) vc__print_join(*a, message, sizeof message);
  }
  if (!name) return true;
  if (!vc_array_grow(&l->q, l->n, &l->cap, sizeof *l->q, 8)) return false;
  q.name = strdup(name);
  q.info = vc_text_dup_or_empty(info);
  q.location = vc_text_dup_or_empty(loc);
  q.reasons = strdup(reasons);
  q.message = strdup(message);
  l->q[l->n++] = q;
  return q.name && q.info && q.location && q.reasons && q.message;
}

static int queue_cmp(const void *a, const void *b) {
  return strcmp(((const queue_t *)a)->name, ((const queue_t *)b)->name);
}

/* Marks the server's default queue (CUPS-Get-Default); none is no fault. */
static void mark_default(vc_print_t *p, vc_print_queues_t *l) {
  ipp_t *req = ippNewRequest(IPP_OP_CUPS_GET_DEFAULT);
  ipp_t *resp = req ? cupsDoRequest(p->http, req, "/") : NULL;
  ipp_attribute_t *a = resp ? ippFindAttribute(resp, "printer-name", IPP_TAG_NAME) : NULL;
  long i = a ? vc_print_queues_find(l, ippGetString(a, 0, NULL)) : -1;
  if (i >= 0) l->q[i].is_default = true;
  ippDelete(resp);
}

vc_print_queues_t *vc_print_queues_list(vc_print_t *p, vc_diag_t *d) {
  static const char *const want[] = {
      "printer-name", "printer-info", "printer-location", "printer-state",
      "printer-state-reasons", "printer-state-message", "printer-is-accepting-jobs"};
  vc_print_queues_t *l = calloc(1, sizeof *l);
  ipp_t *req = l ? ippNewRequest(IPP_OP_CUPS_GET_PRINTERS) : NULL;
  if (!req) {
    free(l);
    vc_diag_add(d, VC_E_NOMEM, NULL, 0, 0, "out of memory listing the printers");
    return NULL;
  }
  ippAddStrings(req, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes",
                (int)(sizeof want / sizeof *want), NULL, want);
  ipp_t *resp = cupsDoRequest(p->http, req, "/");
  if (cupsLastError() == IPP_STATUS_ERROR_NOT_FOUND) { /* no queues at all */
    ippDelete(resp);
    return l;
  }
  if (!resp || cupsLastError() > IPP_STATUS_OK_EVENTS_COMPLETE) {
    ippDelete(resp);
    vc_print_queues_free(l);
    vc__print_fault(p, NULL, d, _("listing the printers"));
    return NULL;
  }
  for (ipp_attribute_t *a = ippFirstAttribute(resp); a; a = a ? ippNextAttribute(resp) : NULL) {
    while (a && ippGetGroupTag(a) != IPP_TAG_PRINTER) a = ippNextAttribute(resp);
    if (a && !add_queue(l, resp, &a)) {
      ippDelete(resp);
      vc_print_queues_free(l);
      vc_diag_add(d, VC_E_NOMEM, NULL, 0, 0, "out of memory listing the printers");
      return NULL;
    }
  }
  ippDelete(resp);
  if (l->n) qsort(l->q, l->n, sizeof *l->q, queue_cmp);
  mark_default(p, l);
  return l;
}

size_t vc_print_queues_count(const vc_print_queues_t *l) { return l ? l->n : 0; }

long vc_print_queues_find(const vc_print_queues_t *l, const char *name) {
  for (size_t i = 0; l && name && i < l->n; i++)
    if (!vc_ascii_casecmp(l->q[i].name, name)) return (long)i;
  return -1;
}

const char *vc_print_queue_name(const vc_print_queues_t *l, size_t i) { return l->q[i].name; }
const char *vc_print_queue_info(const vc_print_queues_t *l, size_t i) { return l->q[i].info; }
const char *vc_print_queue_location(const vc_print_queues_t *l, size_t i) {
  return l->q[i].location;
}
vc_printer_state_t vc_print_queue_state(const vc_print_queues_t *l, size_t i) {
  return l->q[i].state;
}
const char *vc_print_queue_reasons(const vc_print_queues_t *l, size_t i) {
  return l->q[i].reasons;
}
const char *vc_print_queue_message(const vc_print_queues_t *l, size_t i) {
  return l->q[i].message;
}
bool vc_print_queue_accepting(const vc_print_queues_t *l, size_t i) { return l->q[i].accepting; }
bool vc_print_queue_is_default(const vc_print_queues_t *l, size_t i) {
  return l->q[i].is_default;
}

char *vc_print_queue_line(const vc_print_queues_t *l, size_t i, char *buf, size_t n) {
  const queue_t *q = &l->q[i];
  char why[600];
  vc__print_reasons_clause(q->reasons, why, sizeof why);
  /* the message in quotes: the printer's or its administrator's own words */
  snprintf(buf, n, "%s%s: %s, %s%s%s%s%s%s%s%s%s", q->name, q->is_default ? _(" (default)") : "",
           _(vc_printer_state_name(q->state)),
           q->accepting ? _("accepting jobs") : _("not accepting jobs"), q->info[0] ? "; " : "",
           q->info, q->location[0] ? ", " : "", q->location, why, q->message[0] ? "; \"" : "",
           q->message, q->message[0] ? "\"" : "");
  return buf;
}

vc_status_t vc__print_no_queue(vc_print_t *p, const char *queue, vc_diag_t *d) {
  vc_diag_t *quiet = vc_diag_create(); /* a failed listing only shortens the message */
  vc_print_queues_t *l = quiet ? vc_print_queues_list(p, quiet) : NULL;
  char names[512] = "";
  size_t used = 0;
  for (size_t i = 0; l && i < l->n && used < sizeof names; i++) {
    int w = snprintf(names + used, sizeof names - used, "%s%s", i ? ", " : "", l->q[i].name);
    if (w < 0) break;
    used += (size_t)w;
  }
  if (!l)
    vc_diag_add(d, VC_E_IO, NULL, 0, 0, "there is no printer queue '%s' on the CUPS server %s",
                queue, p->server);
  else if (l->n)
    vc_diag_add(d, VC_E_IO, NULL, 0, 0,
                "there is no printer queue '%s' on the CUPS server %s; its queues are: %s",
                queue, p->server, names);
  else
    vc_diag_add(d, VC_E_IO, NULL, 0, 0,
                "there is no printer queue '%s' on the CUPS server %s (it has no queues: "
                "add the printer in CUPS first)",
                queue, p->server);
  vc_print_queues_free(l);
  vc_diag_free(quiet);
  return VC_E_IO;
}
