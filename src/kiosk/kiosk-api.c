/*
 * kiosk-api.c - the awardee's JSON interface (docs/kiosk-api.md): session,
 * search, doc, preview, print (and a reprint with the staff PIN), ticket.
 * Records are only ever named by the refs of this session's searches, and
 * what goes back is a name and a class: never a key, an ID or an amount.
 */
#define _GNU_SOURCE
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "kiosk/kiosk-private.h"

static const char MSG_REF[] = "Không tìm thấy. Mời bạn tìm lại tên của mình.";
static const char MSG_QUEUED[] = "Giấy khen này đang được in. Mời bạn chờ.";
static const char MSG_BUSY[] = "Hệ thống đang bận. Mời bạn thử lại sau giây lát.";

void vc__diag_log(const char *what, const vc_diag_t *d) {
  if (!d || !vc_diag_kept(d)) return;
  fprintf(stderr, "kiosk: %s:\n", what);
  vc_diag_print(d, stderr);
}

json_t *vc__jstr(const char *s) {
  json_t *j = json_string(s ? s : "");
  if (j) return j;
  /* not UTF-8 (a text cut short, a byte from a file): escaped, never dropped */
  char *e = vc_text_escape(s, strlen(s), false);
  j = e ? json_string(e) : NULL;
  free(e);
  return j;
}

json_t *vc__diag_lines(const vc_diag_t *d) {
  json_t *a = json_array();
  for (size_t i = 0; a && d && i < vc_diag_kept(d); i++) {
    const vc_diag_item_t *it = vc_diag_get(d, i);
    char line[1200];
    if (it->file && it->line)
      snprintf(line, sizeof line, "%s:%d:%d: %s%s", it->file, it->line, it->col,
               it->status == VC_WARN ? _("warning: ") : "", it->msg);
    else
      snprintf(line, sizeof line, "%s%s%s%s", it->file ? it->file : "", it->file ? ": " : "",
               it->status == VC_WARN ? _("warning: ") : "", it->msg);
    json_array_append_new(a, vc__jstr(line));
  }
  return a;
}

static int api_session(vc__req_t *r) {
  vc__kiosk_t *k = r->k;
  return vc__reply_json(
      r, 200,
      json_pack("{s:s, s:s, s:s, s:i, s:b, s:b}", "csrf", r->s.csrf, "title",
                vc_desk_title(k->desk), "mode", atomic_load(&k->confirm) ? "confirm" : "direct",
                "idle_seconds", k->cfg->idle_seconds > 0 ? k->cfg->idle_seconds : 60, "staff",
                (int)r->s.staff, "demo", (int)vc_desk_demo_signed(k->desk)));
}

static int api_reset(vc__req_t *r) {
  vc__session_reset(r->k->sessions, r->s.id);
  vc__tickets_disown(r->k->tickets, r->s.id);
  return vc__reply_json(r, 200, json_object());
}

#define SEARCH_MAX 5

int vc__search(vc__req_t *r) {
  int res;
  if (!vc__req_limit(r, VC__LIM_SEARCH, &res)) return res;
  const char *q = vc__req_arg(r, "q");
  if (!q) q = "";
  if (strlen(q) > VC__KIOSK_QUERY_MAX) return vc__reply_error(r, 400, "too-long", "Tên tìm kiếm quá dài.");
  vc_desk_hit_t hits[SEARCH_MAX];
  vc_diag_t *d = vc_diag_create();
  long n = d ? vc_desk_search(r->k->desk, q, hits, SEARCH_MAX, d) : -1;
  vc_diag_free(d);
  if (n < 0) return vc__reply_error(r, 500, "busy", MSG_BUSY);
  json_t *list = json_array();
  for (long i = 0; list && i < n; i++) {
    char ref[VC__ID_LEN];
    if (!vc__session_ref_add(r->k->sessions, r->s.id, hits[i].key, ref)) break;
    json_array_append_new(list, json_pack("{s:s, s:o, s:o}", "ref", ref, "name",
                                          vc__jstr(hits[i].name), "class",
                                          vc__jstr(hits[i].class_name)));
  }
  memset(hits, 0, sizeof hits); /* keys do not outlive the request */
  return vc__reply_json(r, 200, json_pack("{s:o}", "results", list ? list : json_array()));
}

/* The key behind the request's ref (argument or body member "ref") into
 * key; false once a 404 is queued (*res). */
static bool ref_key(vc__req_t *r, char *key, size_t n, int *res) {
  const char *ref = r->post ? vc__req_str(r, "ref") : vc__req_arg(r, "ref");
  if (vc__session_ref_key(r->k->sessions, r->s.id, ref, key, n)) return true;
  *res = vc__reply_error(r, 404, "ref", MSG_REF);
  return false;
}

static const char *state_word(vc_desk_state_t s) {
  return s == VC_DESK_PRINTED ? "printed" : s == VC_DESK_QUEUED ? "queued" : "new";
}

static int api_doc(vc__req_t *r) {
  char key[128];
  int res;
  if (!ref_key(r, key, sizeof key, &res)) return res;
  vc_desk_doc_t doc;
  vc_diag_t *d = vc_diag_create();
  vc_status_t st = d ? vc_desk_doc(r->k->desk, key, &doc, d) : VC_E_NOMEM;
  vc_diag_free(d);
  if (st != VC_OK) return vc__reply_error(r, 404, "ref", MSG_REF);
  return vc__reply_json(r, 200, json_pack("{s:o, s:o, s:s}", "name", vc__jstr(doc.name),
                                          "class", vc__jstr(doc.class_name), "state",
                                          state_word(doc.state)));
}

static int api_preview(vc__req_t *r) {
  char key[128];
  int res;
  if (!vc__req_limit(r, VC__LIM_PREVIEW, &res)) return res;
  if (!ref_key(r, key, sizeof key, &res)) return res;
  const char *w = vc__req_arg(r, "w");
  char *end = NULL;
  long width = w ? strtol(w, &end, 10) : 1000;
  if (w && (end == w || *end || width < 200 || width > 2400))
    return vc__reply_error(r, 400, "width", "Yêu cầu không đúng dạng.");
  unsigned char *png = NULL;
  size_t len = 0;
  vc_diag_t *d = vc_diag_create();
  vc_status_t st = d ? vc_desk_preview(r->k->desk, key, (int)width, &png, &len, d) : VC_E_NOMEM;
  if (st != VC_OK) {
    vc__diag_log(_("a preview could not be drawn"), d);
    vc_diag_free(d);
    free(png);
    return vc__reply_error(r, 422, "record",
                           "Giấy khen này cần cán bộ kiểm tra lại. Mời bạn gặp cán bộ hỗ trợ.");
  }
  vc_diag_free(d);
  res = vc__reply_bytes(r, 200, "image/png", png, len, NULL);
  free(png);
  return res;
}

/* The one-line first problem of d, for staff. */
static void first_line(const vc_diag_t *d, char *why, size_t n) {
  const vc_diag_item_t *it = d ? vc_diag_get(d, 0) : NULL;
  snprintf(why, n, "%s", it ? it->msg : "");
}

void vc__ticket_send(vc__kiosk_t *k, const char *id, unsigned from) {
  vc__ticket_t tk;
  int had = vc__ticket_move(k->tickets, id, from, VC__T_SENDING, &tk);
  if (had < 0 || !(VC__T_BIT(had) & from)) return; /* someone else sends it */
  vc_diag_t *d = vc_diag_create();
  int job = 0;
  vc_status_t st;
  if (!d) st = VC_E_NOMEM;
  else if (had == VC__T_FAILED && tk.job > 0) st = vc_desk_retry(k->desk, tk.job, &job, d);
  else st = vc_desk_print(k->desk, tk.key, tk.reprint ? tk.reason : NULL, &job, d);
  char why[256];
  first_line(d, why, sizeof why);
  if (st == VC_OK)
    vc__ticket_set(k->tickets, id, VC__T_PRINTING, job, "");
  else if (st == VC_E_IO)
    vc__ticket_set(k->tickets, id, VC__T_WAITING, 0, why);
  else
    vc__ticket_set(k->tickets, id, VC__T_FAILED, 0, why);
  if (st != VC_OK) vc__diag_log(_("a print could not be sent"), d);
  vc_diag_free(d);
}

/* A reprint asked at the kiosk: the staff PIN and a reason.  0 when both
 * are right, else -1 with the queued answer's result in *res. */
static int reprint_ok(vc__req_t *r, const char *pin, const char *reason, int *res) {
  if (vc__req_pin(r, pin, res) != 0) return -1;
  if (!reason || !*reason || strlen(reason) > 200) {
    *res = vc__reply_error(r, 400, "reason", "Cần ghi lý do in lại.");
    return -1;
  }
  return 0;
}

/* A new ticket for the document, sent at once unless staff confirm. */
static int make_ticket(vc__req_t *r, const char *key, const vc_desk_doc_t *doc,
                       const char *reason) {
  vc__ticket_t tk;
  memset(&tk, 0, sizeof tk);
  snprintf(tk.owner, sizeof tk.owner, "%s", r->s.id);
  snprintf(tk.key, sizeof tk.key, "%s", key);
  snprintf(tk.name, sizeof tk.name, "%s", doc->name);
  snprintf(tk.class_name, sizeof tk.class_name, "%s", doc->class_name);
  tk.reprint = reason != NULL;
  snprintf(tk.reason, sizeof tk.reason, "%s", reason ? reason : "");
  tk.state = VC__T_AWAITING;
  tk.made = vc__kiosk_now();
  int rc = vc__ticket_add(r->k->tickets, &tk);
  if (rc == -2) return vc__reply_error(r, 503, "busy", MSG_BUSY);
  if (rc == -1) return vc__reply_error(r, 409, "queued", MSG_QUEUED);
  /* a PIN typed at the kiosk is staff's consent: a reprint goes at once */
  if (rc == 0 && (!atomic_load(&r->k->confirm) || reason))
    vc__ticket_send(r->k, tk.id, VC__T_BIT(VC__T_AWAITING));
  return vc__reply_json(r, 200, json_pack("{s:s}", "ticket", tk.id));
}

static int api_print(vc__req_t *r) {
  char key[128];
  int res;
  if (!vc__req_limit(r, VC__LIM_PRINT, &res)) return res;
  if (!ref_key(r, key, sizeof key, &res)) return res;
  const char *pin = vc__req_str(r, "pin"), *reason = vc__req_str(r, "reason");
  vc_desk_doc_t doc;
  vc_diag_t *d = vc_diag_create();
  vc_status_t st = d ? vc_desk_doc(r->k->desk, key, &doc, d) : VC_E_NOMEM;
  vc_diag_free(d);
  if (st != VC_OK) return vc__reply_error(r, 404, "ref", MSG_REF);
  if (doc.state == VC_DESK_PRINTED && !pin)
    return vc__reply_error(r, 409, "needs-staff",
                           "Giấy khen này đã được in. In lại cần cán bộ xác nhận.");
  if (pin && reprint_ok(r, pin, reason, &res) != 0) return res;
  if (pin && doc.state != VC_DESK_PRINTED)
    return vc__reply_error(r, 409, "state", "Giấy khen này chưa in xong lần nào.");
  if (doc.state == VC_DESK_QUEUED) {
    /* the session's own ticket again (a second tap), else a job in CUPS */
    char id[VC__ID_LEN];
    if (vc__ticket_of_key(r->k->tickets, key, r->s.id, id) != 1)
      return vc__reply_error(r, 409, "queued", MSG_QUEUED);
    return vc__reply_json(r, 200, json_pack("{s:s}", "ticket", id));
  }
  return make_ticket(r, key, &doc, pin ? reason : NULL);
}

static int api_ticket(vc__req_t *r) {
  vc__ticket_t tk;
  const char *id = vc__req_arg(r, "t");
  if (!vc__ticket_get(r->k->tickets, id, &tk) ||
      (!r->s.staff && (!tk.owner[0] || strcmp(tk.owner, r->s.id) != 0)))
    return vc__reply_error(r, 404, "ticket", "Không tìm thấy lệnh in này.");
  return vc__reply_json(r, 200, json_pack("{s:s, s:s}", "state", vc__tstate_name(tk.state),
                                          "message", vc__tstate_message(tk.state)));
}

vc__handler_fn vc__api_route(bool post, const char *path, unsigned *flags) {
  static const struct {
    bool post;
    const char *path;
    vc__handler_fn fn;
  } ROUTES[] = {
      {false, "/api/session", api_session}, {true, "/api/reset", api_reset},
      {false, "/api/search", vc__search},   {false, "/api/doc", api_doc},
      {false, "/api/preview", api_preview}, {true, "/api/print", api_print},
      {false, "/api/ticket", api_ticket},
  };
  *flags = VC__NEED_SESSION;
  for (size_t i = 0; i < sizeof ROUTES / sizeof *ROUTES; i++)
    if (ROUTES[i].post == post && !strcmp(ROUTES[i].path, path)) return ROUTES[i].fn;
  return NULL;
}
