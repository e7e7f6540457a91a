/*
 * kiosk-private.h - what the files of src/kiosk share: the session table
 * (sessions, refs, CSRF tokens), the tickets, the rate limits and the PIN's
 * lockout (pure parts, unit-tested: tests/unit/test_kiosk.c), and the
 * server's state and request seen by the handlers.
 */
#ifndef VC_KIOSK_PRIVATE_H
#define VC_KIOSK_PRIVATE_H

#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "kiosk/kiosk.h"
#include "vncert.h"

/* The kiosk's caps (docs/limits.md). */
#define VC__KIOSK_BODY_MAX 4096       /* a POST's body (413 beyond) */
#define VC__KIOSK_QUERY_MAX 100       /* a search's text, bytes (400 beyond) */
#define VC__KIOSK_THREADS 4           /* libmicrohttpd's thread pool */
#define VC__KIOSK_CONNS 64            /* connections at once */
#define VC__KIOSK_CONNS_PER_IP 16     /* connections at once from one address */
#define VC__KIOSK_CONN_MEMORY 32768   /* a request's headers and URL (431/414 beyond) */
#define VC__KIOSK_SESSIONS 512        /* sessions kept (the least recent forgotten) */
#define VC__KIOSK_TICKETS 256         /* tickets kept (ended ones make room) */
#define VC__KIOSK_CLIENTS 1024        /* addresses whose rate limits are kept */

/* Random ids (sessions, CSRF tokens, refs, tickets): 16 bytes in hex. */
#define VC__ID_LEN 33
/* crypto_pwhash_STRBYTES (checked in kiosk-pin.c) */
#define VC__PIN_HASH_LEN 128

/* Fills id with a new random id (libsodium). */
void vc__kiosk_random_id(char id[VC__ID_LEN]);
/* Seconds of CLOCK_MONOTONIC. */
double vc__kiosk_now(void);

/* ---- sessions (kiosk-session.c) ------------------------------------- */
typedef struct vc__sessions vc__sessions_t;
typedef struct vc__session_info {
  char id[VC__ID_LEN];
  char csrf[VC__ID_LEN];
  bool staff;  /* logged in and not idle past the staff timeout */
  bool fresh;  /* made by this call: the cookie must be set */
} vc__session_info_t;

/* A table of at most max sessions, forgotten after idle_s seconds without a
 * request (staff rights after staff_idle_s).  NULL on no memory. */
vc__sessions_t *vc__sessions_create(size_t max, double idle_s, double staff_idle_s);
void vc__sessions_free(vc__sessions_t *t);
/* The session of id (marked used at now) into *out; when there is none and
 * create, a new one (the oldest idle evicted when full).  False when none
 * was found or made. */
bool vc__session_get(vc__sessions_t *t, const char *id, double now, bool create,
                     vc__session_info_t *out);
/* Whether token is the session's CSRF token (constant time). */
bool vc__session_csrf_ok(vc__sessions_t *t, const char *id, const char *token);
/* A new ref naming key for this session only (the oldest of more than
 * VC__REFS_MAX dropped) into ref.  False when the session is gone. */
#define VC__REFS_MAX 50
bool vc__session_ref_add(vc__sessions_t *t, const char *id, const char *key,
                         char ref[VC__ID_LEN]);
/* The key a ref of this session names into key (n bytes); false when the
 * session never handed out that ref (or it was dropped). */
bool vc__session_ref_key(vc__sessions_t *t, const char *id, const char *ref, char *key,
                         size_t n);
/* Forgets the session's refs (the page went back to the start). */
void vc__session_reset(vc__sessions_t *t, const char *id);
/* Gives or takes the session's staff rights (at now). */
void vc__session_staff(vc__sessions_t *t, const char *id, bool on, double now);
/* Sessions in the table (tests). */
size_t vc__sessions_count(vc__sessions_t *t);

/* ---- tickets (kiosk-ticket.c): one print request's life --------------- */
typedef enum vc__tstate {
  VC__T_AWAITING = 0, /* awaiting-staff: confirm mode */
  VC__T_WAITING,      /* waiting-printer: the printer cannot print now */
  VC__T_SENDING,      /* being handed to CUPS (shown as printing) */
  VC__T_PRINTING,     /* CUPS has the job */
  VC__T_COMPLETED,
  VC__T_FAILED,
  VC__T_CANCELLED
} vc__tstate_t;
#define VC__T_BIT(s) (1u << (s))
#define VC__T_LIVE (VC__T_BIT(VC__T_AWAITING) | VC__T_BIT(VC__T_WAITING) | \
                    VC__T_BIT(VC__T_SENDING) | VC__T_BIT(VC__T_PRINTING))

typedef struct vc__ticket {
  char id[VC__ID_LEN];
  char owner[VC__ID_LEN]; /* the session that asked; "" once it reset */
  char key[128];
  char name[256], class_name[128];
  bool reprint;
  char reason[256];
  vc__tstate_t state;
  char why[256];          /* for staff: CUPS's reasons, the refusal */
  int job;                /* the CUPS job, 0 before */
  double made;
} vc__ticket_t;
typedef struct vc__tickets vc__tickets_t;

vc__tickets_t *vc__tickets_create(size_t max);
void vc__tickets_free(vc__tickets_t *t);
/* Adds tk (its id made here).  A live ticket of the same key is returned
 * instead in *tk: 1 when it is tk->owner's own, -1 another session's.
 * 0 for a new ticket, -2 when the table is full of live tickets. */
int vc__ticket_add(vc__tickets_t *t, vc__ticket_t *tk);
/* The live ticket of key into id: 1 when owner's, -1 another session's,
 * 0 when there is none. */
int vc__ticket_of_key(vc__tickets_t *t, const char *key, const char *owner,
                      char id[VC__ID_LEN]);
/* A copy of ticket id into *out; false when unknown. */
bool vc__ticket_get(vc__tickets_t *t, const char *id, vc__ticket_t *out);
/* Moves ticket id to state `to` when its state is in the mask `from`
 * (copy into *out, may be NULL).  Returns the state it had, or -1 when
 * unknown: a move happened only when (1 << result) & from. */
int vc__ticket_move(vc__tickets_t *t, const char *id, unsigned from, vc__tstate_t to,
                    vc__ticket_t *out);
/* Sets ticket id's state, job (when job > 0) and why (when not NULL). */
void vc__ticket_set(vc__tickets_t *t, const char *id, vc__tstate_t state, int job,
                    const char *why);
/* Copies of at most max tickets whose state is in mask, newest first;
 * returns how many. */
size_t vc__tickets_list(vc__tickets_t *t, unsigned mask, vc__ticket_t *out, size_t max);
/* The tickets of owner are no longer that session's. */
void vc__tickets_disown(vc__tickets_t *t, const char *owner);
/* "awaiting-staff", "waiting-printer", "printing", ... */
const char *vc__tstate_name(vc__tstate_t s);

/* ---- rate limits and the PIN's lockout (kiosk-limit.c) ---------------- */
typedef enum { VC__LIM_SEARCH = 0, VC__LIM_PREVIEW, VC__LIM_PRINT, VC__LIM_N } vc__lim_t;
typedef struct vc__limits vc__limits_t;
/* Token buckets per client: rate[i] per second, at most burst[i] at once,
 * for at most max clients (the least recently seen forgotten). */
vc__limits_t *vc__limits_create(size_t max, const double rate[VC__LIM_N],
                                const double burst[VC__LIM_N]);
void vc__limits_free(vc__limits_t *l);
/* Takes one token of client's bucket `which`; false (and the seconds to
 * wait, at least 1, in *retry_after) when empty. */
bool vc__limit_take(vc__limits_t *l, const char *client, vc__lim_t which, double now,
                    int *retry_after);

/* Global (a brute-forcer changes address): VC__PIN_TRIES failures lock
 * for base_s seconds, doubled at each lock; a success resets it. */
#define VC__PIN_TRIES 5
typedef struct vc__lockout {
  pthread_mutex_t mu;
  int fails, level;
  double base_s, until;
} vc__lockout_t;
void vc__lockout_init(vc__lockout_t *l, double base_s);
void vc__lockout_destroy(vc__lockout_t *l);
/* Seconds before a PIN may be tried again (0: now). */
int vc__lockout_wait(vc__lockout_t *l, double now);
/* One failure: the seconds of the lock it starts (0 when none), and the
 * tries left before one in *left. */
int vc__lockout_fail(vc__lockout_t *l, double now, int *left);
void vc__lockout_ok(vc__lockout_t *l);

/* ---- the PIN (kiosk-pin.c) ------------------------------------------- */
/* 4 to 12 ASCII digits. */
bool vc__pin_valid(const char *pin);
/* The slow hash of pin into hash (crypto_pwhash_str, interactive limits). */
bool vc__pin_hash(const char *pin, char hash[VC__PIN_HASH_LEN]);
/* Whether pin matches hash (crypto_pwhash_str_verify: constant time). */
bool vc__pin_verify(const char *hash, const char *pin);
/* Reads a PIN file into hash; false with the reason in why. */
bool vc__pin_load(const char *path, char hash[VC__PIN_HASH_LEN], char *why, size_t n);

/* ---- built-in files (kiosk-assets.c; table generated by the Makefile) -- */
/* The file of that base name: its bytes, length and content type; false
 * when there is none. */
bool vc__asset_find(const char *name, const unsigned char **data, size_t *len,
                    const char **type);

/* ---- the server (server.c) and its handlers --------------------------- */
struct MHD_Daemon;
struct sockaddr;
typedef struct vc__kiosk {
  const vc_kiosk_config_t *cfg;
  vc_desk_t *desk;
  vc__sessions_t *sessions;
  vc__tickets_t *tickets;
  vc__limits_t *limits;
  vc__lockout_t lockout;
  pthread_mutex_t pin_mu;          /* one PIN check at a time (64 MiB each) */
  char pin_hash[VC__PIN_HASH_LEN];
  char token[256];                 /* access token; "" = none needed */
  atomic_bool confirm;             /* staff confirms each print */
  atomic_bool stopping;
  pthread_mutex_t poll_mu;         /* the poller's sleep */
  pthread_cond_t poll_cv;
} vc__kiosk_t;

/* One request as the handlers see it. */
typedef struct vc__req {
  vc__kiosk_t *k;
  struct MHD_Connection *conn;
  const char *path;
  bool post;
  char ip[64];
  vc__session_info_t s;
  bool have_session;
  char *body;
  size_t len;
  bool too_big;
  json_t *json; /* a POST's body, an object */
} vc__req_t;

typedef int (*vc__handler_fn)(vc__req_t *r);

/* Starts the server on addr (*port: 0 = any; the bound one is put back);
 * NULL when it cannot (said by libmicrohttpd under --verbose). */
struct MHD_Daemon *vc__server_start(vc__kiosk_t *k, const struct sockaddr *addr, int *port);
/* Seconds an idle or slow connection is kept (kiosk-run.c). */
unsigned vc__kiosk_conn_timeout(void);

/* Responses (server.c); each returns the MHD_Result of queueing it. */
int vc__reply_json(vc__req_t *r, unsigned status, json_t *obj); /* steals obj */
int vc__reply_error(vc__req_t *r, unsigned status, const char *word, const char *msg);
int vc__reply_retry(vc__req_t *r, const char *word, const char *msg, int seconds);
int vc__reply_bytes(vc__req_t *r, unsigned status, const char *type, const void *data,
                    size_t len, const char *disposition);
/* A GET argument, or NULL. */
const char *vc__req_arg(vc__req_t *r, const char *name);
/* A POST body's string member, or NULL. */
const char *vc__req_str(vc__req_t *r, const char *name);
/* Takes one token of the client's limit; false once a 429 is queued
 * (*res its result). */
bool vc__req_limit(vc__req_t *r, vc__lim_t which, int *res);
/* Checks pin against the staff PIN under the lockout; 0 when right, else
 * the queued 401/429's MHD result is in *res and -1 is returned. */
int vc__req_pin(vc__req_t *r, const char *pin, int *res);
/* A JSON string of s; text that is not UTF-8 is escaped (vc_text_escape)
 * rather than lost.  NULL only on no memory. */
json_t *vc__jstr(const char *s);
/* Staff-facing text of d's items into a new JSON array. */
json_t *vc__diag_lines(const vc_diag_t *d);
/* Prints d to stderr for staff, prefixed by what. */
void vc__diag_log(const char *what, const vc_diag_t *d);

/* The awardee's interface (kiosk-api.c) and staff's (kiosk-staff.c):
 * the handler of method/path, or NULL; *flags say what it needs. */
#define VC__NEED_SESSION 1u
#define VC__NEED_STAFF 2u
vc__handler_fn vc__api_route(bool post, const char *path, unsigned *flags);
vc__handler_fn vc__staff_route(bool post, const char *path, unsigned *flags);
/* Sends ticket id to CUPS (from awaiting, waiting-printer or failed) and
 * moves it on: printing, waiting-printer or failed (kiosk-api.c). */
void vc__ticket_send(vc__kiosk_t *k, const char *id, unsigned from);
/* The Vietnamese sentence for an awardee about a ticket's state. */
const char *vc__tstate_message(vc__tstate_t s);
/* Follows the printing tickets and resends those waiting for the printer
 * once it is ready, until k->stopping (kiosk-staff.c: the poller). */
void *vc__poller(void *kp);
/* Search shared by both interfaces: results as refs of r's session. */
int vc__search(vc__req_t *r);

#endif
