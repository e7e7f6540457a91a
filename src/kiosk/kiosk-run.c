/*
 * kiosk-run.c - `vncert kiosk`: checks what it needs before opening
 * anything (the PIN file, the address and its access token), opens the
 * desk, starts the server and the ticket poller, says what to open, then
 * waits for SIGINT/SIGTERM and stops everything in order.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/i18n.h"
#include "kiosk/kiosk-private.h"

/* Tests shorten the timeouts (a slow client's, the PIN lockout's) through
 * the environment; a kiosk in use never sets these. */
static double env_seconds(const char *name, double dflt) {
  const char *v = getenv(name);
  char *end;
  double x = v ? strtod(v, &end) : 0;
  return v && end != v && !*end && x > 0 && x < 86400 ? x : dflt;
}

unsigned vc__kiosk_conn_timeout(void) {
  return (unsigned)env_seconds("VNCERT_KIOSK_TEST_TIMEOUT", 10);
}

/* The listening address from --bind (numeric IPv4 or IPv6) into ss, and
 * whether it is loopback.  False (said) when it is not an address. */
static bool parse_bind(const char *bind, struct sockaddr_storage *ss, int port, bool *loopback) {
  memset(ss, 0, sizeof *ss);
  struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
  struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
  if (inet_pton(AF_INET, bind, &a4->sin_addr) == 1) {
    a4->sin_family = AF_INET;
    a4->sin_port = htons((uint16_t)port);
    *loopback = (ntohl(a4->sin_addr.s_addr) >> 24) == 127;
    return true;
  }
  if (inet_pton(AF_INET6, bind, &a6->sin6_addr) == 1) {
    a6->sin6_family = AF_INET6;
    a6->sin6_port = htons((uint16_t)port);
    *loopback = IN6_IS_ADDR_LOOPBACK(&a6->sin6_addr);
    return true;
  }
  fprintf(stderr, _("vncert: --bind needs a numeric address (127.0.0.1, 0.0.0.0, ::1), not '%s'\n"),
          bind);
  return false;
}

/* The access token's file: its first line, at least 16 characters of
 * letters, digits, '-' or '_' (it goes into a URL and a cookie). */
static bool load_token(const char *path, char *tok, size_t n) {
  FILE *f = fopen(path, "re");
  if (!f) {
    fprintf(stderr, "vncert: --access-token-file %s: %s\n", path, strerror(errno));
    return false;
  }
  bool got = fgets(tok, (int)n, f) != NULL;
  fclose(f);
  tok[got ? strcspn(tok, "\r\n") : 0] = '\0';
  size_t len = strlen(tok), ok = strspn(tok, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                             "0123456789-_");
  if (len < 16 || ok != len || len > 200) {
    fprintf(stderr, _("vncert: --access-token-file %s: the token (its first line) must be 16 to "
                      "200 letters, digits, '-' or '_' (e.g. head -c 24 /dev/urandom | base64 | "
                      "tr '+/' '-_')\n"),
            path);
    sodium_memzero(tok, n);
    return false;
  }
  return true;
}

/* The PIN, the address and its token, checked before the desk is opened.
 * False when the kiosk must not start (said). */
static bool check_access(vc__kiosk_t *k, struct sockaddr_storage *ss) {
  const vc_kiosk_config_t *c = k->cfg;
  char why[512];
  if (!c->pin_file) {
    fputs(_("vncert: the kiosk needs a staff PIN: make one with 'vncert kiosk-pin "
            "kiosk.pin' and start with --pin-file kiosk.pin\n"), stderr);
    return false;
  }
  if (!vc__pin_load(c->pin_file, k->pin_hash, why, sizeof why)) {
    fprintf(stderr, "vncert: --pin-file %s\n", why);
    return false;
  }
  bool loopback;
  if (!parse_bind(c->bind ? c->bind : "127.0.0.1", ss, c->port, &loopback)) return false;
  if (!loopback && !c->token_file) {
    fprintf(stderr, _("vncert: --bind %s would let any machine on the network print and search "
                      "the list: give --access-token-file FILE (tablets then open "
                      "http://HOST:PORT/?token=TOKEN once)\n"), c->bind);
    return false;
  }
  return !c->token_file || load_token(c->token_file, k->token, sizeof k->token);
}

/* The tables, the limits, the locks.  False on no memory. */
static bool make_state(vc__kiosk_t *k) {
  double rate[VC__LIM_N] = {k->cfg->search_rate > 0 ? k->cfg->search_rate : 10, 4, 1.0 / 3};
  double burst[VC__LIM_N] = {rate[0] * 3, 8, 2};
  k->sessions = vc__sessions_create(VC__KIOSK_SESSIONS, 30 * 60, 10 * 60);
  k->tickets = vc__tickets_create(VC__KIOSK_TICKETS);
  k->limits = vc__limits_create(VC__KIOSK_CLIENTS, rate, burst);
  vc__lockout_init(&k->lockout, env_seconds("VNCERT_KIOSK_TEST_LOCKOUT", 60));
  pthread_mutex_init(&k->pin_mu, NULL);
  pthread_mutex_init(&k->poll_mu, NULL);
  pthread_cond_init(&k->poll_cv, NULL);
  atomic_init(&k->confirm, k->cfg->confirm);
  atomic_init(&k->stopping, false);
  return k->sessions && k->tickets && k->limits;
}

static void free_state(vc__kiosk_t *k) {
  vc__sessions_free(k->sessions);
  vc__tickets_free(k->tickets);
  vc__limits_free(k->limits);
  vc__lockout_destroy(&k->lockout);
  pthread_mutex_destroy(&k->pin_mu);
  pthread_mutex_destroy(&k->poll_mu);
  pthread_cond_destroy(&k->poll_cv);
  vc_desk_free(k->desk);
  sodium_memzero(k->token, sizeof k->token);
}

/* Opens the desk on the ledger named or the default one (*ledger: the one
 * used, caller frees).  NULL (said) when it cannot. */
static vc_desk_t *open_desk(const vc_kiosk_config_t *c, char **ledger) {
  vc_desk_opts_t o = c->desk;
  *ledger = o.ledger ? strdup(o.ledger) : vc_ledger_default_path((long long)time(NULL));
  o.ledger = *ledger;
  vc_diag_t *d = vc_diag_create();
  if (!d) return NULL;
  vc_desk_t *desk = *ledger ? vc_desk_open(&o, d) : NULL;
  vc_diag_print(d, stderr);
  if (!*ledger) fputs(_("vncert: no ledger: give --ledger FILE\n"), stderr);
  else if (!desk) fputs(_("vncert: the kiosk cannot start\n"), stderr);
  vc_diag_free(d);
  return desk;
}

/* What the person setting up the kiosk needs to know. */
static void banner(vc__kiosk_t *k, const char *ledger, int port) {
  const vc_kiosk_config_t *c = k->cfg;
  const char *host = c->bind ? c->bind : "127.0.0.1";
  bool v6 = strchr(host, ':') != NULL;
  char url[300];
  snprintf(url, sizeof url, "http://%s%s%s:%d/", v6 ? "[" : "",
           !strcmp(host, "0.0.0.0") ? "127.0.0.1" : host, v6 ? "]" : "", port);
  long n = vc_desk_count(k->desk);
  printf(vc__ngettext("vncert kiosk: %s, %ld record; ledger %s\n",
                      "vncert kiosk: %s, %ld records; ledger %s\n", (unsigned long)n),
         vc_desk_title(k->desk), n, ledger);
  vc_diag_t *d = vc_diag_create();
  vc_desk_printer_t p;
  char why[512];
  if (d && vc_desk_printer(k->desk, &p, d) == VC_OK) {
    if (p.ready)
      printf(_("Printer %s: ready\n"), c->desk.queue);
    else if (*vc_print_reasons_text(p.reasons, why, sizeof why))
      /* TRANSLATORS: the printer's state, then CUPS's reasons */
      printf(_("Printer %s: NOT READY (%s, %s)\n"), c->desk.queue,
             _(vc_printer_state_name(p.state)), why);
    else
      printf(_("Printer %s: NOT READY (%s)\n"), c->desk.queue,
             _(vc_printer_state_name(p.state)));
  } else {
    printf(_("Printer %s: NOT AVAILABLE now (%s); the kiosk serves, prints wait\n"),
           c->desk.queue,
           d && vc_diag_get(d, 0) ? vc_diag_get(d, 0)->msg : _("CUPS does not answer"));
  }
  vc_diag_free(d);
  if (vc_desk_demo_signed(k->desk))
    fputs(_("Note: the QR codes are signed with vncert's public DEMO key: not for real "
            "certificates (vncert keygen)\n"), stdout);
  if (k->token[0])
    printf(_("Listening on %s port %d for other machines: each opens "
             "http://THIS-HOST:%d/?token=TOKEN once (the token of %s)\n"), host, port, port,
           c->token_file);
  printf(_("Open on the kiosk: chromium --kiosk %s\n"), url);
  printf(_("Staff page: %sstaff\n"), url);
  fflush(stdout);
}

/* Serves until SIGINT/SIGTERM (blocked in every thread, taken here). */
static int serve(vc__kiosk_t *k, const struct sockaddr_storage *ss, const char *ledger) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, NULL);
  signal(SIGPIPE, SIG_IGN);
  int port = k->cfg->port;
  struct MHD_Daemon *mhd = vc__server_start(k, (const struct sockaddr *)ss, &port);
  if (!mhd) {
    fprintf(stderr, _("vncert: cannot listen on %s port %d (in use, or not this machine's "
                      "address?)\n"), k->cfg->bind ? k->cfg->bind : "127.0.0.1", k->cfg->port);
    return 1;
  }
  pthread_t poller;
  bool polling = pthread_create(&poller, NULL, vc__poller, k) == 0;
  banner(k, ledger, port);
  int sig = 0;
  sigwait(&set, &sig);
  fprintf(stderr, _("vncert: kiosk stopping (%s)\n"), sig == SIGINT ? "Ctrl-C" : "SIGTERM");
  pthread_mutex_lock(&k->poll_mu);
  atomic_store(&k->stopping, true);
  pthread_cond_broadcast(&k->poll_cv);
  pthread_mutex_unlock(&k->poll_mu);
  if (polling) pthread_join(poller, NULL);
  MHD_stop_daemon(mhd);
  return 0;
}

int vc_kiosk_run(const vc_kiosk_config_t *c) {
  if (sodium_init() < 0) {
    fputs(_("vncert: libsodium could not start\n"), stderr);
    return 1;
  }
  vc__kiosk_t *k = calloc(1, sizeof *k);
  if (!k) return 1;
  k->cfg = c;
  struct sockaddr_storage ss;
  int rc = 1;
  char *ledger = NULL;
  if (!check_access(k, &ss)) {
    free(k);
    return 1;
  }
  if (!make_state(k)) fputs(_("vncert: out of memory\n"), stderr);
  else if ((k->desk = open_desk(c, &ledger)) != NULL) rc = serve(k, &ss, ledger);
  free_state(k);
  free(ledger);
  sodium_memzero(k->pin_hash, sizeof k->pin_hash);
  free(k);
  return rc;
}
