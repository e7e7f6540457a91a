/*
 * kiosk-session.c - the kiosk's sessions: a bounded table of cookies, each
 * with its CSRF token, its staff rights and the refs its searches handed
 * out (random names of records, valid for that session only: no one can
 * ask for a record no search of theirs returned).  One mutex guards it all;
 * callers get copies.
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kiosk/kiosk-private.h"

typedef struct {
  char ref[VC__ID_LEN];
  char key[128];
} ref_t;

typedef struct {
  char id[VC__ID_LEN]; /* "" = free slot */
  char csrf[VC__ID_LEN];
  double seen, staff_seen;
  bool staff;
  ref_t refs[VC__REFS_MAX]; /* a ring: next overwrites the oldest */
  int nrefs, next;
} session_t;

struct vc__sessions {
  pthread_mutex_t mu;
  session_t *s;
  size_t max;
  double idle_s, staff_idle_s;
};

void vc__kiosk_random_id(char id[VC__ID_LEN]) {
  unsigned char b[16];
  randombytes_buf(b, sizeof b);
  sodium_bin2hex(id, VC__ID_LEN, b, sizeof b);
}

double vc__kiosk_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

vc__sessions_t *vc__sessions_create(size_t max, double idle_s, double staff_idle_s) {
  vc__sessions_t *t = calloc(1, sizeof *t);
  if (!t) return NULL;
  t->s = calloc(max, sizeof *t->s);
  if (!t->s) {
    free(t);
    return NULL;
  }
  t->max = max;
  t->idle_s = idle_s;
  t->staff_idle_s = staff_idle_s;
  pthread_mutex_init(&t->mu, NULL);
  return t;
}

void vc__sessions_free(vc__sessions_t *t) {
  if (!t) return;
  pthread_mutex_destroy(&t->mu);
  sodium_memzero(t->s, t->max * sizeof *t->s);
  free(t->s);
  free(t);
}

/* Ids are compared in constant time: a cookie is a secret. */
static bool same_id(const char *a, const char *b) {
  return strlen(b) == VC__ID_LEN - 1 && sodium_memcmp(a, b, VC__ID_LEN - 1) == 0;
}

/* The live session of id, or NULL; an idle one is forgotten on the way.
 * Under t->mu. */
static session_t *find(vc__sessions_t *t, const char *id, double now) {
  if (!id || strlen(id) != VC__ID_LEN - 1) return NULL;
  for (size_t i = 0; i < t->max; i++) {
    session_t *s = &t->s[i];
    if (!s->id[0] || !same_id(s->id, id)) continue;
    if (now - s->seen > t->idle_s) {
      memset(s, 0, sizeof *s);
      return NULL;
    }
    return s;
  }
  return NULL;
}

/* A slot for a new session: a free one, else the least recently seen
 * (its refs go with it).  Under t->mu. */
static session_t *slot(vc__sessions_t *t) {
  session_t *old = &t->s[0];
  for (size_t i = 0; i < t->max; i++) {
    if (!t->s[i].id[0]) return &t->s[i];
    if (t->s[i].seen < old->seen) old = &t->s[i];
  }
  memset(old, 0, sizeof *old);
  return old;
}

static void info(const vc__sessions_t *t, const session_t *s, double now,
                 vc__session_info_t *out) {
  memcpy(out->id, s->id, VC__ID_LEN);
  memcpy(out->csrf, s->csrf, VC__ID_LEN);
  out->staff = s->staff && now - s->staff_seen <= t->staff_idle_s;
}

bool vc__session_get(vc__sessions_t *t, const char *id, double now, bool create,
                     vc__session_info_t *out) {
  memset(out, 0, sizeof *out);
  pthread_mutex_lock(&t->mu);
  session_t *s = find(t, id, now);
  if (s) {
    if (s->staff && now - s->staff_seen > t->staff_idle_s) s->staff = false;
    s->seen = now;
    if (s->staff) s->staff_seen = now;
  } else if (create) {
    s = slot(t);
    vc__kiosk_random_id(s->id);
    vc__kiosk_random_id(s->csrf);
    s->seen = now;
    out->fresh = true;
  }
  if (s) info(t, s, now, out);
  pthread_mutex_unlock(&t->mu);
  return s != NULL;
}

bool vc__session_csrf_ok(vc__sessions_t *t, const char *id, const char *token) {
  if (!token) return false;
  pthread_mutex_lock(&t->mu);
  session_t *s = find(t, id, vc__kiosk_now());
  bool ok = s && same_id(s->csrf, token);
  pthread_mutex_unlock(&t->mu);
  return ok;
}

bool vc__session_ref_add(vc__sessions_t *t, const char *id, const char *key,
                         char ref[VC__ID_LEN]) {
  pthread_mutex_lock(&t->mu);
  session_t *s = find(t, id, vc__kiosk_now());
  if (s) {
    ref_t *r = &s->refs[s->next];
    vc__kiosk_random_id(r->ref);
    snprintf(r->key, sizeof r->key, "%s", key);
    memcpy(ref, r->ref, VC__ID_LEN);
    s->next = (s->next + 1) % VC__REFS_MAX;
    if (s->nrefs < VC__REFS_MAX) s->nrefs++;
  }
  pthread_mutex_unlock(&t->mu);
  return s != NULL;
}

bool vc__session_ref_key(vc__sessions_t *t, const char *id, const char *ref, char *key,
                         size_t n) {
  bool ok = false;
  if (!ref || strlen(ref) != VC__ID_LEN - 1) return false;
  pthread_mutex_lock(&t->mu);
  session_t *s = find(t, id, vc__kiosk_now());
  for (int i = 0; s && i < s->nrefs && !ok; i++)
    if (same_id(s->refs[i].ref, ref)) {
      snprintf(key, n, "%s", s->refs[i].key);
      ok = true;
    }
  pthread_mutex_unlock(&t->mu);
  return ok;
}

void vc__session_reset(vc__sessions_t *t, const char *id) {
  pthread_mutex_lock(&t->mu);
  session_t *s = find(t, id, vc__kiosk_now());
  if (s) {
    sodium_memzero(s->refs, sizeof s->refs);
    s->nrefs = s->next = 0;
  }
  pthread_mutex_unlock(&t->mu);
}

void vc__session_staff(vc__sessions_t *t, const char *id, bool on, double now) {
  pthread_mutex_lock(&t->mu);
  session_t *s = find(t, id, now);
  if (s) {
    s->staff = on;
    s->staff_seen = now;
  }
  pthread_mutex_unlock(&t->mu);
}

size_t vc__sessions_count(vc__sessions_t *t) {
  size_t n = 0;
  pthread_mutex_lock(&t->mu);
  for (size_t i = 0; i < t->max; i++) n += t->s[i].id[0] != 0;
  pthread_mutex_unlock(&t->mu);
  return n;
}
