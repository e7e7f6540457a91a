/*
 * server.c - the kiosk's HTTP side over libmicrohttpd: every request goes
 * through one handler that bounds its body, checks the access token, the
 * session and the CSRF token, routes it (pages and assets here, the JSON
 * interface in kiosk-api.c and kiosk-staff.c), and every response gets
 * the headers docs/kiosk-api.md promises (CSP and the others).
 */
#define _GNU_SOURCE
#include <microhttpd.h>
#include <netdb.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "kiosk/kiosk-private.h"

static const char CSP[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "font-src 'self'; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; "
    "base-uri 'none'";

/* The contract's headers, the session cookie when the session is new. */
static void common_headers(vc__req_t *r, struct MHD_Response *resp) {
  MHD_add_response_header(resp, "Content-Security-Policy", CSP);
  MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
  MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
  MHD_add_response_header(resp, "X-Frame-Options", "DENY");
  if (!strncmp(r->path, "/api/", 5)) MHD_add_response_header(resp, "Cache-Control", "no-store");
  if (r->have_session && r->s.fresh) {
    char c[VC__ID_LEN + 64];
    snprintf(c, sizeof c, "vk=%s; HttpOnly; SameSite=Strict; Path=/", r->s.id);
    MHD_add_response_header(resp, "Set-Cookie", c);
  }
}

static int queue(vc__req_t *r, unsigned status, struct MHD_Response *resp) {
  if (!resp) return MHD_NO;
  common_headers(r, resp);
  enum MHD_Result res = MHD_queue_response(r->conn, status, resp);
  MHD_destroy_response(resp);
  if (r->k->cfg->verbose) { /* the path as decoded may hold anything: escaped */
    char *p = vc_text_escape(r->path, strlen(r->path), false);
    fprintf(stderr, "kiosk: %s %s %s %u\n", r->ip, r->post ? "POST" : "GET", p ? p : "?", status);
    free(p);
  }
  return res;
}

int vc__reply_bytes(vc__req_t *r, unsigned status, const char *type, const void *data,
                    size_t len, const char *disposition) {
  struct MHD_Response *resp =
      MHD_create_response_from_buffer(len, (void *)data, MHD_RESPMEM_MUST_COPY);
  if (!resp) return MHD_NO;
  MHD_add_response_header(resp, "Content-Type", type);
  if (disposition) MHD_add_response_header(resp, "Content-Disposition", disposition);
  return queue(r, status, resp);
}

int vc__reply_json(vc__req_t *r, unsigned status, json_t *obj) {
  char *s = obj ? json_dumps(obj, JSON_COMPACT) : NULL;
  json_decref(obj);
  static const char NOMEM[] = "{\"error\":\"internal\",\"message\":\"Lỗi hệ thống.\"}";
  if (!s) return vc__reply_bytes(r, 500, "application/json; charset=utf-8", NOMEM, sizeof NOMEM - 1, NULL);
  int res = vc__reply_bytes(r, status, "application/json; charset=utf-8", s, strlen(s), NULL);
  free(s);
  return res;
}

int vc__reply_error(vc__req_t *r, unsigned status, const char *word, const char *msg) {
  return vc__reply_json(r, status, json_pack("{s:s, s:s}", "error", word, "message", msg));
}

int vc__reply_retry(vc__req_t *r, const char *word, const char *msg, int seconds) {
  char *s = NULL;
  json_t *o = json_pack("{s:s, s:s, s:i}", "error", word, "message", msg, "retry_after", seconds);
  if (o) s = json_dumps(o, JSON_COMPACT);
  json_decref(o);
  if (!s) return MHD_NO;
  struct MHD_Response *resp = MHD_create_response_from_buffer(strlen(s), s, MHD_RESPMEM_MUST_FREE);
  if (!resp) {
    free(s);
    return MHD_NO;
  }
  char ra[16];
  snprintf(ra, sizeof ra, "%d", seconds);
  MHD_add_response_header(resp, "Content-Type", "application/json; charset=utf-8");
  MHD_add_response_header(resp, "Retry-After", ra);
  return queue(r, 429, resp);
}

const char *vc__req_arg(vc__req_t *r, const char *name) {
  return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *vc__req_str(vc__req_t *r, const char *name) {
  return r->json ? json_string_value(json_object_get(r->json, name)) : NULL;
}

bool vc__req_limit(vc__req_t *r, vc__lim_t which, int *res) {
  int wait = 1;
  if (vc__limit_take(r->k->limits, r->ip, which, vc__kiosk_now(), &wait)) return true;
  *res = vc__reply_retry(r, "rate", "Bạn thao tác nhanh quá. Mời bạn thử lại sau giây lát.", wait);
  return false;
}

/* ---- pages and assets --------------------------------------------------- */

static int reply_asset(vc__req_t *r, const char *name) {
  const unsigned char *data;
  size_t len;
  const char *type;
  if (!vc__asset_find(name, &data, &len, &type))
    return vc__reply_error(r, 404, "not-found", "Không tìm thấy trang này.");
  struct MHD_Response *resp =
      MHD_create_response_from_buffer(len, (void *)data, MHD_RESPMEM_PERSISTENT);
  if (!resp) return MHD_NO;
  MHD_add_response_header(resp, "Content-Type", type);
  MHD_add_response_header(resp, "Cache-Control", "no-cache");
  return queue(r, 200, resp);
}

/* Asset names are one plain file name: no '/', no leading dot. */
static bool plain_name(const char *s) {
  if (!*s || *s == '.') return false;
  for (; *s; s++)
    if (*s == '/' || *s == '\\' || (unsigned char)*s < 0x20) return false;
  return true;
}

/* ---- the access token (non-loopback binds) -------------------------------- */

/* Constant time whatever the lengths: both are hashed first. */
static bool token_ok(const vc__kiosk_t *k, const char *given) {
  if (!given) return false;
  unsigned char a[32], b[32];
  crypto_generichash(a, sizeof a, (const unsigned char *)given, strlen(given), NULL, 0);
  crypto_generichash(b, sizeof b, (const unsigned char *)k->token, strlen(k->token), NULL, 0);
  return sodium_memcmp(a, b, sizeof a) == 0;
}

/* 0 when the request may go on; else the result of the queued 303/403. */
static int check_token(vc__req_t *r, bool *done) {
  *done = false;
  if (!r->k->token[0]) return MHD_YES;
  const char *cookie = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, "vkt");
  if (token_ok(r->k, cookie)) return MHD_YES;
  *done = true;
  const char *given = vc__req_arg(r, "token");
  if (!r->post && !strcmp(r->path, "/") && token_ok(r->k, given)) {
    struct MHD_Response *resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    if (!resp) return MHD_NO;
    char c[400];
    snprintf(c, sizeof c, "vkt=%s; HttpOnly; SameSite=Strict; Path=/", r->k->token);
    MHD_add_response_header(resp, "Set-Cookie", c);
    MHD_add_response_header(resp, "Location", "/");
    return queue(r, 303, resp);
  }
  return vc__reply_error(r, 403, "access", "Máy này chưa được phép dùng trang in giấy khen.");
}

/* ---- routing -------------------------------------------------------------- */

/* The session of the request's cookie (made for the pages and
 * /api/session when missing). */
static void load_session(vc__req_t *r, bool create) {
  const char *id = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, "vk");
  r->have_session = vc__session_get(r->k->sessions, id, vc__kiosk_now(), create, &r->s);
}

/* POST rules of the contract: JSON, a small body, the session's token. */
static int check_post(vc__req_t *r, bool *done) {
  *done = true;
  const char *ct = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Content-Type");
  if (r->too_big)
    return vc__reply_error(r, 413, "too-large", "Yêu cầu quá lớn.");
  if (!r->have_session ||
      !vc__session_csrf_ok(r->k->sessions, r->s.id,
                           MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-CSRF-Token")))
    return vc__reply_error(r, 403, "csrf", "Phiên làm việc đã hết. Mời bạn tải lại trang.");
  if (!ct || strncmp(ct, "application/json", 16) != 0 || (ct[16] && ct[16] != ';'))
    return vc__reply_error(r, 415, "type", "Yêu cầu không đúng dạng.");
  json_error_t err;
  r->json = json_loadb(r->body ? r->body : "", r->len, JSON_REJECT_DUPLICATES, &err);
  if (!json_is_object(r->json))
    return vc__reply_error(r, 400, "bad-request", "Yêu cầu không đúng dạng.");
  *done = false;
  return MHD_YES;
}

static int route_api(vc__req_t *r) {
  unsigned flags = 0;
  vc__handler_fn fn = !strncmp(r->path, "/api/staff/", 11)
                          ? vc__staff_route(r->post, r->path, &flags)
                          : vc__api_route(r->post, r->path, &flags);
  if (!fn) return vc__reply_error(r, 404, "not-found", "Không tìm thấy.");
  load_session(r, !strcmp(r->path, "/api/session"));
  bool done;
  int res;
  if (r->post && (res = check_post(r, &done), done)) return res;
  if ((flags & VC__NEED_SESSION) && !r->have_session)
    return vc__reply_error(r, 403, "session", "Phiên làm việc đã hết. Mời bạn tải lại trang.");
  if ((flags & VC__NEED_STAFF) && !(r->have_session && r->s.staff))
    return vc__reply_error(r, 403, "staff", "Cần cán bộ đăng nhập.");
  return fn(r);
}

static int route(vc__req_t *r) {
  bool done;
  int res = check_token(r, &done);
  if (done) return res;
  if (!strncmp(r->path, "/api/", 5)) return route_api(r);
  if (r->post) return vc__reply_error(r, 404, "not-found", "Không tìm thấy trang này.");
  if (!strcmp(r->path, "/") || !strcmp(r->path, "/staff")) {
    load_session(r, true);
    return reply_asset(r, r->path[1] ? "staff.html" : "index.html");
  }
  if (!strncmp(r->path, "/assets/", 8) && plain_name(r->path + 8)) {
    const char *dot = strrchr(r->path, '.');
    if (dot && strcmp(dot, ".html") != 0) return reply_asset(r, r->path + 8);
  }
  return vc__reply_error(r, 404, "not-found", "Không tìm thấy trang này.");
}

/* ---- libmicrohttpd's callbacks ------------------------------------------- */

static void client_ip(struct MHD_Connection *c, char *ip, size_t n) {
  const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  snprintf(ip, n, "?");
  if (!ci || !ci->client_addr) return;
  socklen_t len = ci->client_addr->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
                                                         : sizeof(struct sockaddr_in);
  getnameinfo(ci->client_addr, len, ip, (socklen_t)n, NULL, 0, NI_NUMERICHOST);
}

/* The body is gathered up to VC__KIOSK_BODY_MAX; beyond, the rest is read and
 * dropped and the answer is 413 (a Content-Length too big at once). */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload, size_t *upload_size, void **con_cls) {
  vc__req_t *r = *con_cls;
  if (!r) {
    if (!(r = calloc(1, sizeof *r))) return MHD_NO;
    r->k = cls;
    r->conn = conn;
    r->path = url;
    r->post = !strcmp(method, "POST");
    client_ip(conn, r->ip, sizeof r->ip);
    *con_cls = r;
    const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
    if (strcmp(method, "GET") && strcmp(method, "POST") && strcmp(method, "HEAD"))
      return vc__reply_error(r, 405, "method", "Không hỗ trợ.");
    if (cl && strtoull(cl, NULL, 10) > VC__KIOSK_BODY_MAX)
      return vc__reply_error(r, 413, "too-large", "Yêu cầu quá lớn.");
    return MHD_YES;
  }
  if (*upload_size) {
    if (!r->too_big && r->len + *upload_size <= VC__KIOSK_BODY_MAX) {
      char *b = realloc(r->body, r->len + *upload_size + 1);
      if (!b) return MHD_NO;
      memcpy(b + r->len, upload, *upload_size);
      r->body = b;
      r->len += *upload_size;
    } else {
      r->too_big = true;
    }
    *upload_size = 0;
    return MHD_YES;
  }
  return (enum MHD_Result)route(r);
}

static void on_done(void *cls, struct MHD_Connection *c, void **con_cls,
                    enum MHD_RequestTerminationCode why) {
  vc__req_t *r = *con_cls;
  if (!r) return;
  json_decref(r->json);
  free(r->body);
  free(r);
  *con_cls = NULL;
}

static void on_log(void *cls, const char *fmt, va_list ap) {
  const vc__kiosk_t *k = cls;
  if (!k->cfg->verbose) return;
  fputs("kiosk: libmicrohttpd: ", stderr);
  vfprintf(stderr, fmt, ap);
}

struct MHD_Daemon *vc__server_start(vc__kiosk_t *k, const struct sockaddr *addr, int *port) {
  unsigned flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG;
  if (addr->sa_family == AF_INET6) flags |= MHD_USE_IPv6;
  struct MHD_Daemon *d = MHD_start_daemon(
      flags, (uint16_t)*port, NULL, NULL, on_request, k,
      MHD_OPTION_EXTERNAL_LOGGER, on_log, k, /* first: it then has every message */
      MHD_OPTION_SOCK_ADDR, addr,
      MHD_OPTION_THREAD_POOL_SIZE, (unsigned)VC__KIOSK_THREADS,
      MHD_OPTION_CONNECTION_LIMIT, (unsigned)VC__KIOSK_CONNS,
      MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)VC__KIOSK_CONNS_PER_IP,
      MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)vc__kiosk_conn_timeout(),
      MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)VC__KIOSK_CONN_MEMORY,
      MHD_OPTION_NOTIFY_COMPLETED, on_done, k,
      MHD_OPTION_END);
  if (d) {
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    if (di) *port = di->port;
  }
  return d;
}
