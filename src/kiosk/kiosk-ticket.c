/*
 * kiosk-ticket.c - tickets: the server-side state of each print request
 * (docs/kiosk-api.md): awaiting-staff -> (sending) -> printing ->
 * completed, or waiting-printer / failed (retried) / cancelled.  A bounded
 * table under one mutex; ended tickets make room for new ones, oldest
 * first.  Tickets live in memory only: the ledger is the state that
 * matters (a restarted kiosk loses tickets, never documents or prints).
 */
#include <stdlib.h>
#include <string.h>

#include "kiosk/kiosk-private.h"

struct vc__tickets {
  pthread_mutex_t mu;
  vc__ticket_t *t; /* id[0] == 0: free */
  size_t max;
};

vc__tickets_t *vc__tickets_create(size_t max) {
  vc__tickets_t *t = calloc(1, sizeof *t);
  if (!t) return NULL;
  t->t = calloc(max, sizeof *t->t);
  if (!t->t) {
    free(t);
    return NULL;
  }
  t->max = max;
  pthread_mutex_init(&t->mu, NULL);
  return t;
}

void vc__tickets_free(vc__tickets_t *t) {
  if (!t) return;
  pthread_mutex_destroy(&t->mu);
  free(t->t);
  free(t);
}

static bool live(const vc__ticket_t *tk) {
  return tk->id[0] && (VC__T_BIT(tk->state) & VC__T_LIVE);
}

/* Ticket id, or NULL.  Under t->mu. */
static vc__ticket_t *find(vc__tickets_t *t, const char *id) {
  if (!id || strlen(id) != VC__ID_LEN - 1) return NULL;
  for (size_t i = 0; i < t->max; i++)
    if (t->t[i].id[0] && !strcmp(t->t[i].id, id)) return &t->t[i];
  return NULL;
}

/* A free slot, else the oldest ended ticket's; NULL when all are live.
 * Under t->mu. */
static vc__ticket_t *slot(vc__tickets_t *t) {
  vc__ticket_t *old = NULL;
  for (size_t i = 0; i < t->max; i++) {
    vc__ticket_t *tk = &t->t[i];
    if (!tk->id[0]) return tk;
    if (!live(tk) && (!old || tk->made < old->made)) old = tk;
  }
  return old;
}

/* The live ticket of key, and whether it is owner's (1) or another
 * session's (-1); NULL when none.  Under t->mu. */
static vc__ticket_t *live_of_key(vc__tickets_t *t, const char *key, const char *owner,
                                 int *whose) {
  for (size_t i = 0; i < t->max; i++)
    if (live(&t->t[i]) && !strcmp(t->t[i].key, key)) {
      *whose = owner[0] && !strcmp(t->t[i].owner, owner) ? 1 : -1;
      return &t->t[i];
    }
  *whose = 0;
  return NULL;
}

int vc__ticket_add(vc__tickets_t *t, vc__ticket_t *tk) {
  int rc;
  pthread_mutex_lock(&t->mu);
  vc__ticket_t *had = live_of_key(t, tk->key, tk->owner, &rc), *s;
  if (had) {
    *tk = *had;
  } else if ((s = slot(t)) == NULL) {
    rc = -2;
  } else {
    vc__kiosk_random_id(tk->id);
    *s = *tk;
  }
  pthread_mutex_unlock(&t->mu);
  return rc;
}

int vc__ticket_of_key(vc__tickets_t *t, const char *key, const char *owner,
                      char id[VC__ID_LEN]) {
  int rc;
  pthread_mutex_lock(&t->mu);
  vc__ticket_t *had = live_of_key(t, key, owner, &rc);
  if (had) memcpy(id, had->id, VC__ID_LEN);
  pthread_mutex_unlock(&t->mu);
  return rc;
}

bool vc__ticket_get(vc__tickets_t *t, const char *id, vc__ticket_t *out) {
  pthread_mutex_lock(&t->mu);
  vc__ticket_t *tk = find(t, id);
  if (tk) *out = *tk;
  pthread_mutex_unlock(&t->mu);
  return tk != NULL;
}

int vc__ticket_move(vc__tickets_t *t, const char *id, unsigned from, vc__tstate_t to,
                    vc__ticket_t *out) {
  int had = -1;
  pthread_mutex_lock(&t->mu);
  vc__ticket_t *tk = find(t, id);
  if (tk) {
    had = (int)tk->state;
    if (VC__T_BIT(tk->state) & from) tk->state = to;
    if (out) *out = *tk;
  }
  pthread_mutex_unlock(&t->mu);
  return had;
}

void vc__ticket_set(vc__tickets_t *t, const char *id, vc__tstate_t state, int job,
                    const char *why) {
  pthread_mutex_lock(&t->mu);
  vc__ticket_t *tk = find(t, id);
  if (tk) {
    tk->state = state;
    if (job > 0) tk->job = job;
    if (why) snprintf(tk->why, sizeof tk->why, "%s", why);
  }
  pthread_mutex_unlock(&t->mu);
}

static int newest_first(const void *a, const void *b) {
  double x = ((const vc__ticket_t *)a)->made, y = ((const vc__ticket_t *)b)->made;
  return x < y ? 1 : x > y ? -1 : 0;
}

size_t vc__tickets_list(vc__tickets_t *t, unsigned mask, vc__ticket_t *out, size_t max) {
  size_t n = 0, all = 0;
  pthread_mutex_lock(&t->mu);
  for (size_t i = 0; i < t->max; i++)
    if (t->t[i].id[0] && (VC__T_BIT(t->t[i].state) & mask)) all++;
  vc__ticket_t *tmp = all ? malloc(all * sizeof *tmp) : NULL;
  for (size_t i = 0; tmp && i < t->max; i++)
    if (t->t[i].id[0] && (VC__T_BIT(t->t[i].state) & mask)) tmp[n++] = t->t[i];
  pthread_mutex_unlock(&t->mu);
  if (!tmp) return 0;
  qsort(tmp, n, sizeof *tmp, newest_first);
  if (n > max) n = max;
  memcpy(out, tmp, n * sizeof *tmp);
  free(tmp);
  return n;
}

void vc__tickets_disown(vc__tickets_t *t, const char *owner) {
  pthread_mutex_lock(&t->mu);
  for (size_t i = 0; i < t->max; i++)
    if (t->t[i].id[0] && !strcmp(t->t[i].owner, owner)) t->t[i].owner[0] = '\0';
  pthread_mutex_unlock(&t->mu);
}

const char *vc__tstate_name(vc__tstate_t s) {
  switch (s) {
    case VC__T_AWAITING: return "awaiting-staff";
    case VC__T_WAITING: return "waiting-printer";
    case VC__T_SENDING:
    case VC__T_PRINTING: return "printing";
    case VC__T_COMPLETED: return "completed";
    case VC__T_FAILED: return "failed";
    case VC__T_CANCELLED: return "cancelled";
  }
  return "failed";
}

/* Short and friendly: an awardee reads it standing at the screen. */
const char *vc__tstate_message(vc__tstate_t s) {
  switch (s) {
    case VC__T_AWAITING: return "Mời bạn chờ cán bộ xác nhận để in.";
    case VC__T_WAITING: return "Máy in đang tạm dừng. Mời bạn chờ cán bộ hỗ trợ.";
    case VC__T_SENDING:
    case VC__T_PRINTING: return "Đang in giấy khen của bạn…";
    case VC__T_COMPLETED: return "Đã in xong. Chúc mừng bạn!";
    case VC__T_FAILED: return "Chưa in được. Mời bạn gặp cán bộ hỗ trợ.";
    case VC__T_CANCELLED: return "Lệnh in đã được huỷ. Mời bạn gặp cán bộ hỗ trợ.";
  }
  return "";
}
