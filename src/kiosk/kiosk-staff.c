/*
 * kiosk-staff.c - the staff interface behind the PIN (docs/kiosk-api.md,
 * "Staff"): login with the lockout, the printer and its reasons, counts,
 * jobs and tickets, the print mode, confirm / cancel / retry, reload of the
 * list, reprints, the day's log as CSV; and the poller that follows the
 * tickets CUPS has and resends those that waited for the printer.
 */
#define _GNU_SOURCE
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/i18n.h"
#include "kiosk/kiosk-private.h"

int vc__req_pin(vc__req_t *r, const char *pin, int *res) {
  vc__kiosk_t *k = r->k;
  int wait = vc__lockout_wait(&k->lockout, vc__kiosk_now());
  if (wait > 0) {
    *res = vc__reply_retry(r, "locked", "Sai mã PIN nhiều lần. Mời thử lại sau.", wait);
    return -1;
  }
  /* one check at a time: each takes 64 MiB, and the count stays exact */
  pthread_mutex_lock(&k->pin_mu);
  bool ok = pin && vc__pin_verify(k->pin_hash, pin);
  int left = 0, locked = 0;
  if (ok) vc__lockout_ok(&k->lockout);
  else locked = vc__lockout_fail(&k->lockout, vc__kiosk_now(), &left);
  pthread_mutex_unlock(&k->pin_mu);
  if (ok) return 0;
  if (locked) {
    fprintf(stderr, _("kiosk: %d wrong staff PINs (last from %s): PIN refused for %d s\n"),
            VC__PIN_TRIES, r->ip, locked);
    *res = vc__reply_retry(r, "locked", "Sai mã PIN nhiều lần. Mời thử lại sau.", locked);
  } else {
    fprintf(stderr, _("kiosk: a wrong staff PIN from %s (%d more before the lockout)\n"), r->ip,
            left);
    *res = vc__reply_json(r, 401, json_pack("{s:s, s:s, s:i}", "error", "pin", "message",
                                            "Mã PIN không đúng.", "left", left));
  }
  return -1;
}

static int staff_login(vc__req_t *r) {
  int res;
  if (vc__req_pin(r, vc__req_str(r, "pin"), &res) != 0) return res;
  vc__session_staff(r->k->sessions, r->s.id, true, vc__kiosk_now());
  return vc__reply_json(r, 200, json_pack("{s:b}", "ok", 1));
}

static int staff_logout(vc__req_t *r) {
  vc__session_staff(r->k->sessions, r->s.id, false, vc__kiosk_now());
  return vc__reply_json(r, 200, json_pack("{s:b}", "ok", 1));
}

static const char *printer_word(vc_printer_state_t s) {
  return s == VC_PRINTER_IDLE ? "idle" : s == VC_PRINTER_PROCESSING ? "processing"
         : s == VC_PRINTER_STOPPED ? "stopped" : "unknown";
}

static json_t *printer_json(vc__kiosk_t *k) {
  vc_desk_printer_t p;
  memset(&p, 0, sizeof p);
  vc_diag_t *d = vc_diag_create();
  vc_status_t st = d ? vc_desk_printer(k->desk, &p, d) : VC_E_NOMEM;
  const vc_diag_item_t *it = st != VC_OK && d ? vc_diag_get(d, 0) : NULL;
  json_t *o = json_pack("{s:s, s:b, s:b, s:o, s:o, s:o}", "state",
                        st == VC_OK ? printer_word(p.state) : "unknown", "ready",
                        st == VC_OK && p.ready, "accepting", st == VC_OK && p.accepting,
                        "reasons", vc__jstr(p.reasons), "message", vc__jstr(p.message),
                        "error", vc__jstr(it ? it->msg : ""));
  vc_diag_free(d);
  return o;
}

static json_t *counts_json(vc__kiosk_t *k) {
  long printed = 0, not_printed = 0;
  vc_diag_t *d = vc_diag_create();
  if (d) vc_desk_counts(k->desk, &printed, &not_printed, d);
  vc_diag_free(d);
  return json_pack("{s:I, s:I, s:I}", "records", (json_int_t)vc_desk_count(k->desk), "printed",
                   (json_int_t)printed, "not_printed", (json_int_t)not_printed);
}

#define JOBS_MAX 20

static json_t *jobs_json(vc__kiosk_t *k) {
  vc_desk_job_info_t *jobs = calloc(JOBS_MAX, sizeof *jobs);
  vc_diag_t *d = vc_diag_create();
  long n = jobs && d ? vc_desk_jobs(k->desk, jobs, JOBS_MAX, d) : -1;
  json_t *a = json_array();
  for (long i = 0; a && i < n; i++) {
    char at[8] = "";
    time_t t = (time_t)jobs[i].at;
    struct tm tm;
    if (localtime_r(&t, &tm)) strftime(at, sizeof at, "%H:%M", &tm);
    json_array_append_new(
        a, json_pack("{s:i, s:o, s:o, s:o, s:b, s:o, s:s}", "job", jobs[i].job_id, "name",
                     vc__jstr(jobs[i].name), "class", vc__jstr(jobs[i].class_name), "serial",
                     vc__jstr(jobs[i].serial), "reprint", (int)jobs[i].reprint, "state",
                     vc__jstr(jobs[i].state), "at", at));
  }
  free(jobs);
  vc_diag_free(d);
  return a;
}

#define TICKETS_SHOWN 50

static json_t *tickets_json(vc__kiosk_t *k) {
  vc__ticket_t *t = calloc(TICKETS_SHOWN, sizeof *t);
  size_t n = t ? vc__tickets_list(k->tickets, ~0u, t, TICKETS_SHOWN) : 0;
  json_t *a = json_array();
  for (size_t i = 0; a && i < n; i++)
    json_array_append_new(
        a, json_pack("{s:s, s:o, s:o, s:b, s:s, s:o, s:i}", "ticket", t[i].id, "name",
                     vc__jstr(t[i].name), "class", vc__jstr(t[i].class_name), "reprint",
                     (int)t[i].reprint, "state", vc__tstate_name(t[i].state), "message",
                     vc__jstr(t[i].why[0] ? t[i].why : vc__tstate_message(t[i].state)),
                     "job", t[i].job));
  free(t);
  return a;
}

static int staff_status(vc__req_t *r) {
  vc__kiosk_t *k = r->k;
  return vc__reply_json(r, 200,
                        json_pack("{s:o, s:o, s:s, s:o, s:o}", "printer", printer_json(k),
                                  "counts", counts_json(k), "mode",
                                  atomic_load(&k->confirm) ? "confirm" : "direct", "jobs",
                                  jobs_json(k), "tickets", tickets_json(k)));
}

static int staff_mode(vc__req_t *r) {
  const char *m = vc__req_str(r, "mode");
  if (!m || (strcmp(m, "direct") && strcmp(m, "confirm")))
    return vc__reply_error(r, 400, "mode", _("mode is direct or confirm"));
  atomic_store(&r->k->confirm, !strcmp(m, "confirm"));
  fprintf(stderr, _("kiosk: print mode set to %s by staff\n"), m);
  return vc__reply_json(r, 200, json_pack("{s:b, s:s}", "ok", 1, "mode", m));
}

/* confirm, cancel, retry: the ticket moved from the states `from`, or 404
 * / 409 with its state. */
static int ticket_action(vc__req_t *r, unsigned from, bool cancel) {
  const char *id = vc__req_str(r, "ticket");
  vc__ticket_t tk;
  if (!vc__ticket_get(r->k->tickets, id, &tk))
    return vc__reply_error(r, 404, "ticket", _("no such ticket"));
  if (cancel) {
    int had = vc__ticket_move(r->k->tickets, id, from, VC__T_CANCELLED, &tk);
    if (had < 0 || !(VC__T_BIT(had) & from)) goto state;
  } else {
    if (!(VC__T_BIT(tk.state) & from)) goto state;
    vc__ticket_send(r->k, id, from);
    vc__ticket_get(r->k->tickets, id, &tk);
  }
  return vc__reply_json(r, 200, json_pack("{s:b, s:s, s:o}", "ok", 1, "state",
                                          vc__tstate_name(tk.state), "message",
                                          vc__jstr(tk.why)));
state:
  return vc__reply_json(r, 409, json_pack("{s:s, s:s, s:s}", "error", "state", "message",
                                          _("the ticket is not in a state for this"), "state",
                                          vc__tstate_name(tk.state)));
}

static int staff_confirm(vc__req_t *r) {
  return ticket_action(r, VC__T_BIT(VC__T_AWAITING), false);
}
static int staff_cancel(vc__req_t *r) {
  return ticket_action(r, VC__T_BIT(VC__T_AWAITING) | VC__T_BIT(VC__T_WAITING) |
                              VC__T_BIT(VC__T_FAILED), true);
}
static int staff_retry(vc__req_t *r) {
  return ticket_action(r, VC__T_BIT(VC__T_WAITING) | VC__T_BIT(VC__T_FAILED), false);
}

static int staff_reload(vc__req_t *r) {
  long n = 0;
  vc_diag_t *d = vc_diag_create();
  vc_status_t st = d ? vc_desk_reload(r->k->desk, &n, d) : VC_E_NOMEM;
  json_t *lines = vc__diag_lines(d);
  vc__diag_log(st == VC_OK ? _("the list was read again") : _("the list was NOT read again"), d);
  vc_diag_free(d);
  if (st != VC_OK)
    return vc__reply_json(r, 422, json_pack("{s:b, s:o}", "ok", 0, "errors", lines));
  return vc__reply_json(r, 200,
                        json_pack("{s:b, s:I, s:o}", "ok", 1, "records", (json_int_t)n,
                                  "warnings", lines));
}

/* A reprint from the staff page: the ref of a staff search, a reason. */
static int staff_reprint(vc__req_t *r) {
  char key[128];
  const char *ref = vc__req_str(r, "ref"), *reason = vc__req_str(r, "reason");
  if (!vc__session_ref_key(r->k->sessions, r->s.id, ref, key, sizeof key))
    return vc__reply_error(r, 404, "ref", _("unknown ref (search again)"));
  if (!reason || !*reason || strlen(reason) > 200)
    return vc__reply_error(r, 400, "reason", _("a reprint needs a reason (at most 200 bytes)"));
  vc_desk_doc_t doc;
  vc_diag_t *d = vc_diag_create();
  vc_status_t st = d ? vc_desk_doc(r->k->desk, key, &doc, d) : VC_E_NOMEM;
  vc_diag_free(d);
  if (st != VC_OK) return vc__reply_error(r, 404, "ref", _("unknown ref (search again)"));
  if (doc.state != VC_DESK_PRINTED)
    return vc__reply_error(r, 409, "state", doc.state == VC_DESK_QUEUED
                                                ? _("it is being printed now")
                                                : _("never printed yet: print it, not a reprint"));
  vc__ticket_t tk;
  memset(&tk, 0, sizeof tk);
  snprintf(tk.key, sizeof tk.key, "%s", key);
  snprintf(tk.name, sizeof tk.name, "%s", doc.name);
  snprintf(tk.class_name, sizeof tk.class_name, "%s", doc.class_name);
  tk.reprint = true;
  snprintf(tk.reason, sizeof tk.reason, "%s", reason);
  tk.made = vc__kiosk_now();
  int rc = vc__ticket_add(r->k->tickets, &tk);
  if (rc != 0) return vc__reply_error(r, 409, "queued", _("a print of it is on its way"));
  vc__ticket_send(r->k, tk.id, VC__T_BIT(VC__T_AWAITING));
  return vc__reply_json(r, 200, json_pack("{s:s}", "ticket", tk.id));
}

/* YYYY-MM-DD, digits where digits go. */
static bool is_day(const char *s) {
  if (strlen(s) != 10 || s[4] != '-' || s[7] != '-') return false;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return false;
  return true;
}

static int staff_log(vc__req_t *r) {
  const char *day = vc__req_arg(r, "day");
  if (day && !is_day(day)) return vc__reply_error(r, 400, "day", _("day is YYYY-MM-DD"));
  char *buf = NULL, today[11];
  size_t len = 0;
  time_t now = time(NULL);
  struct tm tm;
  strftime(today, sizeof today, "%Y-%m-%d", localtime_r(&now, &tm));
  FILE *mem = open_memstream(&buf, &len);
  vc_diag_t *d = vc_diag_create();
  vc_status_t st = mem && d ? vc_desk_log_csv(r->k->desk, day ? day : today, mem, d) : VC_E_NOMEM;
  if (mem) fclose(mem);
  vc__diag_log(_("the log could not be read"), d);
  vc_diag_free(d);
  int res;
  if (st != VC_OK) {
    res = vc__reply_error(r, 500, "log", _("the ledger could not be read (see the kiosk's messages)"));
  } else {
    char disp[80];
    snprintf(disp, sizeof disp, "attachment; filename=\"nhat-ky-%s.csv\"", day ? day : today);
    res = vc__reply_bytes(r, 200, "text/csv; charset=utf-8", buf, len, disp);
  }
  free(buf);
  return res;
}

vc__handler_fn vc__staff_route(bool post, const char *path, unsigned *flags) {
  static const struct {
    bool post;
    const char *path;
    vc__handler_fn fn;
  } ROUTES[] = {
      {true, "/api/staff/login", staff_login},     {true, "/api/staff/logout", staff_logout},
      {false, "/api/staff/status", staff_status},  {true, "/api/staff/mode", staff_mode},
      {true, "/api/staff/confirm", staff_confirm}, {true, "/api/staff/cancel", staff_cancel},
      {true, "/api/staff/retry", staff_retry},     {true, "/api/staff/reload", staff_reload},
      {true, "/api/staff/reprint", staff_reprint}, {false, "/api/staff/search", vc__search},
      {false, "/api/staff/log.csv", staff_log},
  };
  for (size_t i = 0; i < sizeof ROUTES / sizeof *ROUTES; i++)
    if (ROUTES[i].post == post && !strcmp(ROUTES[i].path, path)) {
      *flags = VC__NEED_SESSION | (ROUTES[i].fn == staff_login ? 0 : VC__NEED_STAFF);
      return ROUTES[i].fn;
    }
  return NULL;
}

/* ---- the poller ---------------------------------------------------------- */

/* One look at a printing ticket's job: completed, failed (ended otherwise),
 * or still on its way (CUPS's reasons kept for staff). */
static void follow(vc__kiosk_t *k, const vc__ticket_t *tk) {
  vc_print_outcome_t o = VC_PRINT_ACCEPTED;
  char why[256] = "";
  vc_diag_t *d = vc_diag_create();
  vc_status_t st = d ? vc_desk_job(k->desk, tk->job, &o, why, sizeof why, d) : VC_E_NOMEM;
  vc_diag_free(d);
  if (st != VC_OK) return; /* CUPS does not answer: ask again later */
  if (o == VC_PRINT_COMPLETED)
    vc__ticket_set(k->tickets, tk->id, VC__T_COMPLETED, 0, "");
  else if (o == VC_PRINT_CANCELLED || o == VC_PRINT_ABORTED || o == VC_PRINT_UNKNOWN ||
           o == VC_PRINT_NOT_SENT)
    vc__ticket_set(k->tickets, tk->id, VC__T_FAILED, 0,
                   why[0] ? why : vc_print_outcome_name(o));
  else
    vc__ticket_set(k->tickets, tk->id, VC__T_PRINTING, 0, why);
}

/* Tickets waiting for the printer go on their own once it is ready (an
 * awardee should not wait for staff to press retry after paper is put in). */
static void resend_waiting(vc__kiosk_t *k, vc__ticket_t *t, size_t n) {
  vc_desk_printer_t p;
  vc_diag_t *d = vc_diag_create();
  bool ready = d && vc_desk_printer(k->desk, &p, d) == VC_OK && p.ready;
  vc_diag_free(d);
  for (size_t i = 0; ready && i < n && !atomic_load(&k->stopping); i++)
    vc__ticket_send(k, t[i].id, VC__T_BIT(VC__T_WAITING));
}

#define POLL_MAX 64

void *vc__poller(void *kp) {
  vc__kiosk_t *k = kp;
  vc__ticket_t *t = calloc(POLL_MAX, sizeof *t);
  for (unsigned round = 0; t && !atomic_load(&k->stopping); round++) {
    size_t n = vc__tickets_list(k->tickets, VC__T_BIT(VC__T_PRINTING), t, POLL_MAX);
    for (size_t i = 0; i < n && !atomic_load(&k->stopping); i++) follow(k, &t[i]);
    if (round % 2 == 1) {
      n = vc__tickets_list(k->tickets, VC__T_BIT(VC__T_WAITING), t, POLL_MAX);
      if (n) resend_waiting(k, t, n);
    }
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 1;
    pthread_mutex_lock(&k->poll_mu);
    if (!atomic_load(&k->stopping)) pthread_cond_timedwait(&k->poll_cv, &k->poll_mu, &until);
    pthread_mutex_unlock(&k->poll_mu);
  }
  free(t);
  return NULL;
}
