/*
 * print-follow.c - following a CUPS job to its end, cancelling it, and the
 * calls a CLI makes: one file, or a run of volumes (issue 10, points 2, 4, 5).
 *
 * Only job-state "completed" counts as printed.  Every other end says what
 * CUPS said (the job's and the printer's reasons, the printer's message), so
 * a clerk reading it knows whether to add paper, start the queue or call
 * someone, and whether the job is still waiting in CUPS.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/i18n.h"
#include "print/print-private.h"

/* A job as one Get-Job-Attributes says it. */
typedef struct job_seen {
  int state; /* IPP job-state, 0 unknown */
  long pages;
  char reasons[512];
  char message[512];
  char queue[256]; /* the queue it is on (last part of job-printer-uri) */
} job_seen_t;

static const char *job_state_name(int s) {
  static const char *const names[] = {N_("pending"),   N_("held"),    N_("processing"),
                                      N_("stopped"),   N_("cancelled"), N_("aborted"),
                                      N_("completed")};
  return s >= 3 && s <= 9 ? names[s - 3] : N_("unknown");
}

static long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Sleeps ms in short slices so a cancel is seen soon.  True when cancelled. */
static bool nap(int ms, volatile sig_atomic_t *cancel) {
  for (; ms > 0; ms -= 50) {
    if (cancel && *cancel) return true;
    struct timespec ts = {0, (ms < 50 ? ms : 50) * 1000000L};
    nanosleep(&ts, NULL);
  }
  return cancel && *cancel;
}

/* Asks CUPS about a job.  False when the request failed (server gone). */
static bool get_job(vc_print_t *p, int id, job_seen_t *js) {
  static const char *const want[] = {"job-state", "job-state-reasons",
                                     "job-impressions-completed", "job-printer-state-message",
                                     "job-printer-uri"};
  char uri[256];
  ipp_t *req = ippNewRequest(IPP_OP_GET_JOB_ATTRIBUTES);
  if (!req) return false;
  httpAssembleURIf(HTTP_URI_CODING_ALL, uri, sizeof uri, "ipp", NULL, "localhost", p->port,
                   "/jobs/%d", id);
  ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_URI, "job-uri", NULL, uri);
  ippAddStrings(req, IPP_TAG_OPERATION, IPP_TAG_KEYWORD, "requested-attributes",
                (int)(sizeof want / sizeof *want), NULL, want);
  ipp_t *resp = cupsDoRequest(p->http, req, "/");
  if (!resp || cupsLastError() > IPP_STATUS_OK_EVENTS_COMPLETE) {
    ippDelete(resp);
    return false;
  }
  ipp_attribute_t *a;
  js->state = (a = ippFindAttribute(resp, "job-state", IPP_TAG_ENUM)) ? ippGetInteger(a, 0) : 0;
  a = ippFindAttribute(resp, "job-impressions-completed", IPP_TAG_INTEGER);
  js->pages = a ? ippGetInteger(a, 0) : -1;
  vc__print_join(ippFindAttribute(resp, "job-state-reasons", IPP_TAG_KEYWORD), js->reasons,
                 sizeof js->reasons);
  vc__print_join(ippFindAttribute(resp, "job-printer-state-message", IPP_TAG_TEXT), js->message,
                 sizeof js->message);
  a = ippFindAttribute(resp, "job-printer-uri", IPP_TAG_URI);
  const char *puri = a ? ippGetString(a, 0, NULL) : NULL;
  const char *slash = puri ? strrchr(puri, '/') : NULL;
  snprintf(js->queue, sizeof js->queue, "%s", slash ? slash + 1 : "");
  ippDelete(resp);
  return true;
}

/* The parts of a message about a job that did not complete, as a person
 * reads them: CUPS's reasons described (vc_print_reasons_text), "none"
 * left out, the printer's own words in quotes. */
typedef struct said {
  char job[512];      /* the job's reasons */
  char printer[600];  /* "; reasons: R" or "" */
  char message[600];  /* "; the printer says: \"M\"" or "" */
} said_t;

static void say(const job_seen_t *js, const vc__queue_state_t *qs, said_t *s) {
  const char *pm = qs->message[0] ? qs->message : js->message;
  vc_print_reasons_text(js->reasons, s->job, sizeof s->job);
  vc__print_reasons_clause(qs->reasons, s->printer, sizeof s->printer);
  s->message[0] = '\0';
  if (pm[0]) vc__print_said(pm, s->message, sizeof s->message);
}

/* The message for a job that did not complete; returns its status. */
static vc_status_t report(vc_print_t *p, const char *q, vc_print_outcome_t o, int id,
                          const job_seen_t *js, const vc__queue_state_t *qs, int timeout_ms,
                          vc_diag_t *d) {
  said_t s;
  say(js, qs, &s);
  switch (o) {
  case VC_PRINT_CANCELLED:
    vc_diag_add(d, VC_E_IO, NULL, 0, 0,
                "job %d on printer '%s' was cancelled (%s); it is not counted as printed",
                id, q, s.job);
    break;
  case VC_PRINT_ABORTED:
    vc_diag_add(d, VC_E_IO, NULL, 0, 0,
                "job %d on printer '%s' was aborted by CUPS (%s)%s; it was not printed", id,
                q, s.job, s.message);
    break;
  case VC_PRINT_HELD:
    vc_diag_add(d, VC_E_IO, NULL, 0, 0,
                "job %d on printer '%s' is held (%s): it waits until someone releases it "
                "(lp -i %d -H resume) or cancels it (cancel %d); not counted as printed",
                id, q, s.job, id, id);
    break;
  case VC_PRINT_PRINTER_STOPPED:
    vc_diag_add(d, VC_E_IO, NULL, 0, 0,
                "printer '%s' stopped (state: %s)%s%s; job %d waits in the queue (%s) and is "
                "not counted as printed: fix the printer, then start the queue again "
                "(cupsenable %s)",
                q, _(vc_printer_state_name(qs->state)), s.printer, s.message, id,
                _(job_state_name(js->state)), q);
    break;
  case VC_PRINT_TIMEOUT:
    vc_diag_add(d, VC_E_IO, NULL, 0, 0,
                "job %d has waited on printer '%s' for more than %d s without starting "
                "(printer %s)%s%s; it stays in the queue, not counted as printed "
                "(cancel %d removes it)",
                id, q, (timeout_ms + 999) / 1000, _(vc_printer_state_name(qs->state)),
                s.printer, s.message, id);
    break;
  case VC_PRINT_SERVER_GONE:
    vc_diag_add(d, VC_E_IO, NULL, 0, 0,
                "the CUPS print server at %s stopped answering while job %d on printer '%s' "
                "was %s: it is not counted as printed; when CUPS runs again the job may still "
                "print (see 'lpstat -o %s')",
                p->server, id, q, _(job_state_name(js->state)), q);
    break;
  case VC_PRINT_UNKNOWN:
    vc_diag_add(d, VC_E_IO, NULL, 0, 0,
                "CUPS (%s) does not know job %d on printer '%s' (any more: its job history "
                "may have been cleared); whether it printed cannot be told, so it is not "
                "counted as printed",
                p->server, id, q);
    break;
  case VC_PRINT_LEFT:
    vc_diag_add(d, VC_E_CANCELLED, NULL, 0, 0,
                "stopped following job %d on printer '%s' (%s); it stays in the queue and is "
                "not counted as printed (cancel %d removes it)",
                id, q, _(job_state_name(js->state)), id);
    return VC_E_CANCELLED;
  default: return VC_OK;
  }
  return VC_E_IO;
}

/* A job state as a person reads it: its first word ("processing", from
 * job_state_name) in the user's language, the reasons that may follow in
 * parentheses described (vc_print_reasons_text). */
static void state_shown(const char *state, char *buf, size_t n) {
  size_t w = strcspn(state, " ");
  const char *rest = state + w, *shown = state;
  char rs[512] = "";
  for (int s = 3; s <= 10 && shown == state; s++) {
    const char *name = job_state_name(s);
    if (strlen(name) == w && !strncmp(state, name, w)) shown = _(name);
  }
  size_t rl = strlen(rest);
  if (rl > 3 && !strncmp(rest, " (", 2) && rest[rl - 1] == ')') {
    char raw[512];
    snprintf(raw, sizeof raw, "%.*s", (int)(rl - 3), rest + 2);
    vc_print_reasons_text(raw, rs, sizeof rs);
    rest = "";
  }
  if (shown == state) snprintf(buf, n, "%s", state);
  else snprintf(buf, n, "%s%s%s%s%s", shown, rest, rs[0] ? " (" : "", rs, rs[0] ? ")" : "");
}

char *vc_print_progress_line(const vc_print_progress_t *pr, char *buf, size_t n) {
  char pages[96] = "", state[700], rs[512], what[1100] = "", printer[1200] = "";
  const char *pm = pr->printer_message;
  vc_print_reasons_text(pr->printer_reasons, rs, sizeof rs);
  if (pr->pages >= 0)
    snprintf(pages, sizeof pages,
             vc__ngettext(", %ld page printed", ", %ld pages printed", (unsigned long)pr->pages),
             pr->pages);
  state_shown(pr->state, state, sizeof state);
  /* the printer's message in quotes: its own words, never translated */
  snprintf(what, sizeof what, "%s%s%s%s%s", rs, rs[0] && pm[0] ? ": " : "", pm[0] ? "\"" : "",
           pm, pm[0] ? "\"" : "");
  if (what[0]) snprintf(printer, sizeof printer, _("; printer: %s"), what);
  snprintf(buf, n, _("job %d on '%s': %s%s%s"), pr->job_id, pr->queue, state, pages, printer);
  return buf;
}

/* What the caller was last told, to tell only changes. */
typedef struct told {
  job_seen_t job;
  int pstate;
  char preasons[512];
} told_t;

/* Tells the caller when something changed; true when it asks to stop. */
static bool tell(const vc_print_follow_t *f, const char *q, int id, const job_seen_t *js,
                 const vc__queue_state_t *qs, told_t *last) {
  if (!f->progress ||
      (js->state == last->job.state && js->pages == last->job.pages &&
       !strcmp(js->reasons, last->job.reasons) && (int)qs->state == last->pstate &&
       !strcmp(qs->reasons, last->preasons)))
    return false;
  last->job = *js;
  last->pstate = (int)qs->state;
  snprintf(last->preasons, sizeof last->preasons, "%s", qs->reasons);
  vc_print_progress_t pr = {id, q, job_state_name(js->state), js->reasons, js->pages,
                            qs->state, qs->reasons, qs->message[0] ? qs->message : js->message};
  return f->progress(&pr, f->progress_ud) != 0;
}

/* Where one look at the job and its printer leaves it (ACCEPTED: go on). */
static vc_print_outcome_t judge(const job_seen_t *js, const vc__queue_state_t *qs,
                                long pending_ms, int timeout_ms) {
  switch (js->state) {
  case IPP_JSTATE_COMPLETED: return VC_PRINT_COMPLETED;
  case IPP_JSTATE_CANCELED: return VC_PRINT_CANCELLED;
  case IPP_JSTATE_ABORTED: return VC_PRINT_ABORTED;
  case IPP_JSTATE_HELD: return VC_PRINT_HELD;
  case IPP_JSTATE_STOPPED: return VC_PRINT_PRINTER_STOPPED;
  default: break;
  }
  if (qs->found && qs->state == VC_PRINTER_STOPPED) return VC_PRINT_PRINTER_STOPPED;
  if (js->state == IPP_JSTATE_PENDING && timeout_ms > 0 && pending_ms > timeout_ms)
    return VC_PRINT_TIMEOUT;
  return VC_PRINT_ACCEPTED;
}

vc_status_t vc_print_follow(vc_print_t *p, const char *queue, const vc_print_follow_t *f,
                            vc_print_result_t *res, vc_diag_t *d) {
  const vc_print_follow_t none = {0};
  if (!f) f = &none;
  int poll = f->poll_ms > 0 ? f->poll_ms : 500;
  int grace = f->server_grace_ms > 0 ? f->server_grace_ms : 5000;
  job_seen_t js = {0};
  told_t last = {.job.state = -1, .pstate = -1};
  vc__queue_state_t qs = {0};
  long lost_since = -1, pending_since = -1;
  vc_print_outcome_t o = VC_PRINT_ACCEPTED;
  vc_diag_t *quiet = vc_diag_create(); /* a failed look is retried, not reported */
  if (!quiet) {
    vc_diag_add(d, VC_E_NOMEM, NULL, 0, 0, "out of memory following a print job");
    return VC_E_NOMEM;
  }
  js.pages = -1;
  while (o == VC_PRINT_ACCEPTED) {
    long now = now_ms();
    if (f->cancel && *f->cancel) {
      o = VC_PRINT_LEFT;
      break;
    }
    job_seen_t seen = {0};
    vc_diag_clear(quiet);
    bool got = get_job(p, res->job_id, &seen);
    if (!got && cupsLastError() == IPP_STATUS_ERROR_NOT_FOUND) {
      o = VC_PRINT_UNKNOWN;
      break;
    }
    if (!got ||
        vc__print_queue_state(p, queue, &qs, quiet) != VC_OK) {
      if (lost_since < 0) lost_since = now;
      if (now - lost_since >= grace) o = VC_PRINT_SERVER_GONE;
      else if (nap(poll, f->cancel)) o = VC_PRINT_LEFT;
      continue;
    }
    lost_since = -1;
    js = seen;
    if (js.pages >= 0) res->pages = js.pages;
    pending_since = js.state == IPP_JSTATE_PENDING ? (pending_since < 0 ? now : pending_since)
                                                   : -1;
    if (tell(f, queue, res->job_id, &js, &qs, &last)) {
      o = VC_PRINT_LEFT;
      break;
    }
    o = judge(&js, &qs, pending_since < 0 ? 0 : now - pending_since, f->pending_timeout_ms);
    if (o == VC_PRINT_ACCEPTED && nap(poll, f->cancel)) o = VC_PRINT_LEFT;
  }
  vc_diag_free(quiet);
  res->outcome = o;
  if (o == VC_PRINT_COMPLETED) return VC_OK;
  return report(p, queue, o, res->job_id, &js, &qs, f->pending_timeout_ms, d);
}

vc_status_t vc_print_cancel(vc_print_t *p, const char *queue, int job_id, vc_diag_t *d) {
  char what[300];
  ipp_t *req = vc__print_queue_request(p, IPP_OP_CANCEL_JOB, queue, d);
  if (!req) return VC_E_NOMEM;
  ippAddInteger(req, IPP_TAG_OPERATION, IPP_TAG_INTEGER, "job-id", job_id);
  ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", NULL, cupsUser());
  ippDelete(cupsDoRequest(p->http, req, "/jobs/"));
  if (cupsLastError() <= IPP_STATUS_OK_EVENTS_COMPLETE) return VC_OK;
  snprintf(what, sizeof what, _("cancelling job %d on printer '%s'"), job_id, queue);
  return vc__print_fault(p, NULL, d, what);
}

vc_status_t vc_print_file(vc_print_t *p, const char *queue, const char *path, const char *title,
                          const vc_print_opts_t *o, const vc_print_follow_t *f,
                          vc_print_result_t *res, vc_diag_t *d) {
  vc_status_t st = vc_print_submit_file(p, queue, path, title, o, res, d);
  if (st != VC_OK || !f) return st;
  return vc_print_follow(p, queue, f, res, d);
}

/* One look at job job_id, and at its queue too when qs is not NULL (then a
 * pending job on a stopped printer is VC_PRINT_PRINTER_STOPPED); the
 * job's attributes in *js.  VC_E_IO (said) when the server fails. */
static vc_status_t look(vc_print_t *p, const char *queue, int job_id, vc__queue_state_t *qs,
                        job_seen_t *js, vc_print_outcome_t *o, vc_diag_t *d) {
  char what[64];
  if (!get_job(p, job_id, js)) {
    if (cupsLastError() == IPP_STATUS_ERROR_NOT_FOUND) {
      *o = VC_PRINT_UNKNOWN;
      return VC_OK;
    }
    snprintf(what, sizeof what, _("asking about job %d"), job_id);
    return vc__print_fault(p, NULL, d, what);
  }
  if (js->queue[0] && strcmp(js->queue, queue) != 0) { /* another server's job of that id */
    *o = VC_PRINT_NOT_SENT;
    return VC_OK;
  }
  vc__queue_state_t none = {0};
  vc_status_t st = qs ? vc__print_queue_state(p, queue, qs, d) : VC_OK;
  if (st != VC_OK) return st;
  *o = judge(js, qs ? qs : &none, 0, 0);
  return VC_OK;
}

vc_status_t vc_print_job_state(vc_print_t *p, const char *queue, int job_id,
                               vc_print_outcome_t *o, vc_diag_t *d) {
  job_seen_t js = {0};
  return look(p, queue, job_id, NULL, &js, o, d);
}

vc_status_t vc_print_job_look(vc_print_t *p, const char *queue, int job_id,
                              vc_print_outcome_t *o, char *line, size_t n, vc_diag_t *d) {
  job_seen_t js = {.pages = -1};
  vc__queue_state_t qs = {0};
  vc_status_t st = look(p, queue, job_id, &qs, &js, o, d);
  if (st != VC_OK || !line || !n) return st;
  if (*o == VC_PRINT_UNKNOWN || *o == VC_PRINT_NOT_SENT) {
    snprintf(line, n, _("job %d on '%s': not known to CUPS (any more)"), job_id, queue);
    return VC_OK;
  }
  char state[600];
  snprintf(state, sizeof state, "%s%s%.512s%s", job_state_name(js.state),
           js.reasons[0] ? " (" : "", js.reasons, js.reasons[0] ? ")" : "");
  vc_print_progress_t pr = {job_id, queue, state, js.reasons, js.pages, qs.state, qs.reasons,
                            qs.message[0] ? qs.message : js.message};
  vc_print_progress_line(&pr, line, n);
  return VC_OK;
}

/* Job i of a run: sent, told to the hook, followed, told again.  A job the
 * hook refuses as sent is cancelled: the caller could not account for it. */
static vc_status_t volume_job(vc_print_t *p, const char *queue, const char *path,
                              const char *name, const vc_print_opts_t *o,
                              const vc_print_follow_t *f, vc_print_job_fn hook, void *ud,
                              size_t i, vc_print_result_t *res, vc_diag_t *d) {
  vc_status_t st = vc_print_submit_file(p, queue, path, name, o, res, d);
  if (st != VC_OK) return st;
  if (hook && (st = hook(i, res, ud, d)) != VC_OK) {
    vc_diag_t *quiet = vc_diag_create();
    if (quiet && vc_print_cancel(p, queue, res->job_id, quiet) == VC_OK) {
      vc_diag_add(d, st, NULL, 0, 0, "job %d on printer '%s' was cancelled: it could not be "
                  "recorded", res->job_id, queue);
      res->outcome = VC_PRINT_CANCELLED;
    } else { /* neither: the clerk must know a job is out there, unaccounted for */
      const vc_diag_item_t *why = quiet ? vc_diag_get(quiet, 0) : NULL;
      vc_diag_add(d, VC_WARN, NULL, 0, 0, "job %d on printer '%s' could not be recorded nor "
                  "cancelled (%s): it may still print and is not recorded in the ledger; "
                  "`cancel %d` removes it", res->job_id, queue,
                  why && why->msg ? why->msg : _("out of memory"), res->job_id);
    }
    vc_diag_free(quiet);
    return st;
  }
  if (!f) return VC_OK;
  st = vc_print_follow(p, queue, f, res, d);
  vc_status_t hst = hook ? hook(i, res, ud, d) : VC_OK;
  return st != VC_OK ? st : hst;
}

vc_status_t vc_print_volumes(vc_print_t *p, const char *queue, const char *const *paths,
                             size_t n, const char *title, const vc_print_opts_t *o,
                             const vc_print_follow_t *f, vc_print_job_fn hook, void *ud,
                             vc_print_result_t *res, vc_diag_t *d) {
  char name[512];
  for (size_t i = 0; i < n; i++) res[i] = (vc_print_result_t){0, VC_PRINT_NOT_SENT, -1};
  for (size_t i = 0; i < n; i++) {
    if (n > 1) snprintf(name, sizeof name, "%s (%zu/%zu)", title ? title : "vncert", i + 1, n);
    else snprintf(name, sizeof name, "%s", title ? title : "vncert");
    vc_status_t st = volume_job(p, queue, paths[i], name, o, f, hook, ud, i, &res[i], d);
    if (st != VC_OK) {
      if (i + 1 < n)
        vc_diag_add(d, st, NULL, 0, 0,
                    "volumes %zu to %zu of '%s' were not sent to printer '%s' (print them once "
                    "the fault above is fixed)",
                    i + 2, n, title ? title : "vncert", queue);
      return st;
    }
  }
  return VC_OK;
}

long vc_print_plan(long pages, long per, long i, long *first, long *count) {
  if (per <= 0) per = VC_PRINT_MAX_PAGES;
  if (pages <= 0) pages = 0;
  long jobs = pages ? (pages - 1) / per + 1 : 0;
  long from = i * per, to = from + per < pages ? from + per : pages;
  if (first) *first = i >= 0 && i < jobs ? from : 0;
  if (count) *count = i >= 0 && i < jobs ? to - from : 0;
  return jobs;
}
