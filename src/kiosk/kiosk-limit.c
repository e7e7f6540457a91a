/*
 * kiosk-limit.c - per-client rate limits (token buckets in a bounded table:
 * a client seen least recently is forgotten first, so a flood of addresses
 * costs a fixed amount of memory) and the staff PIN's lockout (global: a
 * brute-forcer can change address, so the lock is not per client).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/kiosk-private.h"

typedef struct {
  char client[64]; /* "" = free */
  double seen;
  double tokens[VC__LIM_N];
  double at[VC__LIM_N]; /* when tokens[i] was last refilled */
} bucket_t;

struct vc__limits {
  pthread_mutex_t mu;
  bucket_t *b;
  size_t max;
  double rate[VC__LIM_N], burst[VC__LIM_N];
};

vc__limits_t *vc__limits_create(size_t max, const double rate[VC__LIM_N],
                                const double burst[VC__LIM_N]) {
  vc__limits_t *l = calloc(1, sizeof *l);
  if (!l) return NULL;
  l->b = calloc(max, sizeof *l->b);
  if (!l->b) {
    free(l);
    return NULL;
  }
  l->max = max;
  memcpy(l->rate, rate, sizeof l->rate);
  memcpy(l->burst, burst, sizeof l->burst);
  pthread_mutex_init(&l->mu, NULL);
  return l;
}

void vc__limits_free(vc__limits_t *l) {
  if (!l) return;
  pthread_mutex_destroy(&l->mu);
  free(l->b);
  free(l);
}

/* The client's buckets, made full when new (in a free slot or the least
 * recently seen one's).  Under l->mu. */
static bucket_t *client_buckets(vc__limits_t *l, const char *client, double now) {
  bucket_t *old = &l->b[0], *b = NULL;
  for (size_t i = 0; i < l->max && !b; i++) {
    if (!strcmp(l->b[i].client, client) && l->b[i].client[0]) b = &l->b[i];
    else if (!l->b[i].client[0] || l->b[i].seen < old->seen) old = &l->b[i];
  }
  if (!b) {
    b = old;
    memset(b, 0, sizeof *b);
    snprintf(b->client, sizeof b->client, "%s", client[0] ? client : "?");
    for (int i = 0; i < VC__LIM_N; i++) {
      b->tokens[i] = l->burst[i];
      b->at[i] = now;
    }
  }
  b->seen = now;
  return b;
}

bool vc__limit_take(vc__limits_t *l, const char *client, vc__lim_t which, double now,
                    int *retry_after) {
  pthread_mutex_lock(&l->mu);
  bucket_t *b = client_buckets(l, client, now);
  double r = l->rate[which];
  b->tokens[which] += (now - b->at[which]) * r;
  if (b->tokens[which] > l->burst[which]) b->tokens[which] = l->burst[which];
  b->at[which] = now;
  bool ok = b->tokens[which] >= 1.0;
  if (ok) b->tokens[which] -= 1.0;
  else if (retry_after) {
    double wait = r > 0 ? (1.0 - b->tokens[which]) / r : 60;
    *retry_after = wait < 1 ? 1 : (int)ceil(wait);
  }
  pthread_mutex_unlock(&l->mu);
  return ok;
}

void vc__lockout_init(vc__lockout_t *l, double base_s) {
  memset(l, 0, sizeof *l);
  pthread_mutex_init(&l->mu, NULL);
  l->base_s = base_s;
}

void vc__lockout_destroy(vc__lockout_t *l) { pthread_mutex_destroy(&l->mu); }

int vc__lockout_wait(vc__lockout_t *l, double now) {
  pthread_mutex_lock(&l->mu);
  double left = l->until - now;
  pthread_mutex_unlock(&l->mu);
  return left > 0 ? (int)ceil(left) : 0;
}

int vc__lockout_fail(vc__lockout_t *l, double now, int *left) {
  int locked = 0;
  pthread_mutex_lock(&l->mu);
  if (++l->fails >= VC__PIN_TRIES) {
    /* base, 2 base, 4 base ... capped at a day */
    double s = l->base_s * (double)(1L << (l->level < 12 ? l->level : 12));
    if (s > 86400) s = 86400;
    l->until = now + s;
    l->level++;
    l->fails = 0;
    locked = (int)ceil(s);
  }
  if (left) *left = VC__PIN_TRIES - l->fails;
  pthread_mutex_unlock(&l->mu);
  return locked;
}

void vc__lockout_ok(vc__lockout_t *l) {
  pthread_mutex_lock(&l->mu);
  l->fails = l->level = 0;
  l->until = 0;
  pthread_mutex_unlock(&l->mu);
}
