/* test_kiosk.c - the kiosk's pure parts (src/kiosk, issue 12): rate limits,
 * the PIN's lockout, the session table (refs of one session only, bounded,
 * CSRF tokens, staff rights expiring), tickets (their states and moves),
 * the PIN's hash and its file.  Linked with those objects only (the server
 * and the desk are tested end to end: tests/e2e/kiosk-tests.sh). */
#include "testutil.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kiosk/kiosk-private.h"

static int setup(void **state) { return sodium_init() < 0 ? -1 : 0; }

/* ---------------------------------------------------------------- limits */

static void limit_burst_then_rate(void **state) {
  const double rate[VC__LIM_N] = {10, 4, 1.0 / 3}, burst[VC__LIM_N] = {30, 8, 2};
  vc__limits_t *l = vc__limits_create(4, rate, burst);
  assert_non_null(l);
  int ok = 0, wait = 0;
  for (int i = 0; i < 40; i++) ok += vc__limit_take(l, "10.0.0.1", VC__LIM_SEARCH, 100.0, &wait);
  assert_int_equal(ok, 30); /* the burst, then nothing at the same instant */
  assert_true(wait >= 1);
  /* another client and another bucket are not touched */
  assert_true(vc__limit_take(l, "10.0.0.2", VC__LIM_SEARCH, 100.0, &wait));
  assert_true(vc__limit_take(l, "10.0.0.1", VC__LIM_PREVIEW, 100.0, &wait));
  /* half a second later: 5 more at 10/s */
  ok = 0;
  for (int i = 0; i < 10; i++) ok += vc__limit_take(l, "10.0.0.1", VC__LIM_SEARCH, 100.5, &wait);
  assert_int_equal(ok, 5);
  /* printing: 2 at once, then one per 3 s (Retry-After says so) */
  assert_true(vc__limit_take(l, "10.0.0.3", VC__LIM_PRINT, 100.0, &wait));
  assert_true(vc__limit_take(l, "10.0.0.3", VC__LIM_PRINT, 100.0, &wait));
  assert_false(vc__limit_take(l, "10.0.0.3", VC__LIM_PRINT, 100.0, &wait));
  assert_int_equal(wait, 3);
  assert_true(vc__limit_take(l, "10.0.0.3", VC__LIM_PRINT, 103.01, &wait));
  vc__limits_free(l);
}

static void limit_table_bounded(void **state) {
  const double rate[VC__LIM_N] = {1, 1, 1}, burst[VC__LIM_N] = {1, 1, 1};
  vc__limits_t *l = vc__limits_create(2, rate, burst);
  int wait;
  assert_true(vc__limit_take(l, "a", VC__LIM_SEARCH, 1, &wait));
  assert_false(vc__limit_take(l, "a", VC__LIM_SEARCH, 1, &wait));
  /* b and c push a out (least recently seen): a is new again, with a full
   * bucket, but the table never holds more than 2 */
  assert_true(vc__limit_take(l, "b", VC__LIM_SEARCH, 2, &wait));
  assert_true(vc__limit_take(l, "c", VC__LIM_SEARCH, 3, &wait));
  assert_false(vc__limit_take(l, "c", VC__LIM_SEARCH, 3, &wait));
  assert_true(vc__limit_take(l, "a", VC__LIM_SEARCH, 3, &wait));
  vc__limits_free(l);
}

static void lockout_doubles(void **state) {
  vc__lockout_t lo;
  vc__lockout_init(&lo, 60);
  int left = -1;
  for (int i = 1; i < VC__PIN_TRIES; i++) {
    assert_int_equal(vc__lockout_fail(&lo, 10, &left), 0);
    assert_int_equal(left, VC__PIN_TRIES - i);
  }
  assert_int_equal(vc__lockout_wait(&lo, 10), 0);
  assert_int_equal(vc__lockout_fail(&lo, 10, &left), 60);
  assert_int_equal(vc__lockout_wait(&lo, 10), 60);
  assert_int_equal(vc__lockout_wait(&lo, 69.5), 1);
  assert_int_equal(vc__lockout_wait(&lo, 70), 0);
  for (int i = 1; i < VC__PIN_TRIES; i++) vc__lockout_fail(&lo, 80, &left);
  assert_int_equal(vc__lockout_fail(&lo, 80, &left), 120); /* doubled */
  vc__lockout_ok(&lo);
  assert_int_equal(vc__lockout_wait(&lo, 81), 0);
  for (int i = 1; i < VC__PIN_TRIES; i++) vc__lockout_fail(&lo, 90, &left);
  assert_int_equal(vc__lockout_fail(&lo, 90, &left), 60); /* a success resets it */
  vc__lockout_destroy(&lo);
}

/* -------------------------------------------------------------- sessions */

static void session_refs_are_per_session(void **state) {
  vc__sessions_t *t = vc__sessions_create(8, 1800, 600);
  vc__session_info_t a, b, again;
  double now = vc__kiosk_now();
  assert_true(vc__session_get(t, NULL, now, true, &a));
  assert_true(a.fresh);
  assert_int_equal(strlen(a.id), 32);
  assert_true(vc__session_get(t, "not-a-session", now, true, &b));
  assert_string_not_equal(a.id, b.id);
  assert_true(vc__session_get(t, a.id, now, false, &again));
  assert_false(again.fresh);
  assert_string_equal(again.csrf, a.csrf);
  assert_false(vc__session_get(t, "0123456789abcdef0123456789abcdef", now, false, &again));

  char ref[VC__ID_LEN], key[128];
  assert_true(vc__session_ref_add(t, a.id, "0210001", ref));
  assert_true(vc__session_ref_key(t, a.id, ref, key, sizeof key));
  assert_string_equal(key, "0210001");
  assert_false(vc__session_ref_key(t, b.id, ref, key, sizeof key)); /* another session */
  assert_false(vc__session_ref_key(t, a.id, "0210001", key, sizeof key)); /* a key is no ref */
  assert_false(vc__session_ref_key(t, a.id, NULL, key, sizeof key));
  /* CSRF: the session's own token only */
  assert_true(vc__session_csrf_ok(t, a.id, a.csrf));
  assert_false(vc__session_csrf_ok(t, a.id, b.csrf));
  assert_false(vc__session_csrf_ok(t, a.id, NULL));
  assert_false(vc__session_csrf_ok(t, a.id, ""));
  vc__session_reset(t, a.id);
  assert_false(vc__session_ref_key(t, a.id, ref, key, sizeof key));
  vc__sessions_free(t);
}

static void session_refs_bounded(void **state) {
  vc__sessions_t *t = vc__sessions_create(2, 1800, 600);
  vc__session_info_t a;
  vc__session_get(t, NULL, vc__kiosk_now(), true, &a);
  char first[VC__ID_LEN], ref[VC__ID_LEN], key[128];
  vc__session_ref_add(t, a.id, "k0", first);
  for (int i = 1; i <= VC__REFS_MAX; i++) {
    char k[16];
    snprintf(k, sizeof k, "k%d", i);
    assert_true(vc__session_ref_add(t, a.id, k, ref));
  }
  assert_false(vc__session_ref_key(t, a.id, first, key, sizeof key)); /* the oldest went */
  assert_true(vc__session_ref_key(t, a.id, ref, key, sizeof key));
  assert_string_equal(key, "k50");
  vc__sessions_free(t);
}

static void session_table_bounded_and_idle(void **state) {
  vc__sessions_t *t = vc__sessions_create(3, 100, 10);
  vc__session_info_t s[5], x;
  for (int i = 0; i < 5; i++) assert_true(vc__session_get(t, NULL, 1000 + i, true, &s[i]));
  assert_int_equal(vc__sessions_count(t), 3);
  assert_false(vc__session_get(t, s[0].id, 1005, false, &x)); /* evicted, oldest first */
  assert_false(vc__session_get(t, s[1].id, 1005, false, &x));
  assert_true(vc__session_get(t, s[4].id, 1005, false, &x));
  /* staff rights end after 10 s idle; the session after 100 s */
  vc__session_staff(t, s[4].id, true, 1005);
  assert_true(vc__session_get(t, s[4].id, 1010, false, &x) && x.staff);
  assert_true(vc__session_get(t, s[4].id, 1021, false, &x));
  assert_false(x.staff);
  assert_false(vc__session_get(t, s[4].id, 1200, false, &x));
  vc__sessions_free(t);
}

/* --------------------------------------------------------------- tickets */

static vc__ticket_t ticket(const char *owner, const char *key) {
  vc__ticket_t tk;
  memset(&tk, 0, sizeof tk);
  snprintf(tk.owner, sizeof tk.owner, "%s", owner);
  snprintf(tk.key, sizeof tk.key, "%s", key);
  tk.made = vc__kiosk_now();
  return tk;
}

static void tickets_states(void **state) {
  vc__tickets_t *t = vc__tickets_create(2);
  vc__ticket_t a = ticket("s1", "k1"), b = ticket("s2", "k1"), c = ticket("s1", "k1"), out;
  assert_int_equal(vc__ticket_add(t, &a), 0);
  assert_int_equal(strlen(a.id), 32);
  assert_int_equal(vc__ticket_add(t, &b), -1); /* another session's live ticket */
  assert_int_equal(vc__ticket_add(t, &c), 1);  /* the same session: its ticket again */
  assert_string_equal(c.id, a.id);
  char id[VC__ID_LEN];
  assert_int_equal(vc__ticket_of_key(t, "k1", "s1", id), 1);
  assert_int_equal(vc__ticket_of_key(t, "k1", "s2", id), -1);
  assert_int_equal(vc__ticket_of_key(t, "k2", "s1", id), 0);
  /* confirm moves awaiting -> sending once; a second confirm finds it moved */
  unsigned from = VC__T_BIT(VC__T_AWAITING);
  assert_int_equal(vc__ticket_move(t, a.id, from, VC__T_SENDING, &out), VC__T_AWAITING);
  assert_int_equal(vc__ticket_move(t, a.id, from, VC__T_SENDING, &out), VC__T_SENDING);
  assert_int_equal(vc__ticket_move(t, "nope", from, VC__T_SENDING, &out), -1);
  vc__ticket_set(t, a.id, VC__T_PRINTING, 42, "");
  assert_true(vc__ticket_get(t, a.id, &out));
  assert_int_equal(out.job, 42);
  assert_string_equal(vc__tstate_name(out.state), "printing");
  /* full of live tickets: refused; an ended one makes room */
  vc__ticket_t d = ticket("s3", "k2"), e = ticket("s3", "k3");
  assert_int_equal(vc__ticket_add(t, &d), 0);
  assert_int_equal(vc__ticket_add(t, &e), -2);
  vc__ticket_set(t, a.id, VC__T_COMPLETED, 0, NULL);
  assert_int_equal(vc__ticket_add(t, &e), 0);
  assert_false(vc__ticket_get(t, a.id, &out));
  vc__ticket_t list[4];
  assert_int_equal(vc__tickets_list(t, VC__T_LIVE, list, 4), 2);
  vc__tickets_disown(t, "s3");
  assert_true(vc__ticket_get(t, d.id, &out));
  assert_string_equal(out.owner, "");
  vc__tickets_free(t);
}

/* ------------------------------------------------------------------- PIN */

static void pin_hash_and_file(void **state) {
  assert_true(vc__pin_valid("1234"));
  assert_true(vc__pin_valid("123456789012"));
  assert_false(vc__pin_valid("123"));
  assert_false(vc__pin_valid("1234567890123"));
  assert_false(vc__pin_valid("12a4"));
  assert_false(vc__pin_valid(NULL));
  char hash[VC__PIN_HASH_LEN], back[VC__PIN_HASH_LEN], why[256];
  assert_true(vc__pin_hash("2468", hash));
  assert_true(vc__pin_verify(hash, "2468"));
  assert_false(vc__pin_verify(hash, "2469"));
  assert_false(vc__pin_verify(hash, "24680"));
  char path[] = "/tmp/vncert-pin-XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  assert_true(write(fd, hash, strlen(hash)) == (ssize_t)strlen(hash));
  assert_int_equal(write(fd, "\n", 1), 1);
  close(fd);
  assert_true(vc__pin_load(path, back, why, sizeof why));
  assert_string_equal(back, hash);
  assert_true(vc__pin_verify(back, "2468"));
  FILE *f = fopen(path, "w");
  fputs("2468\n", f); /* a PIN in clear is not a PIN file */
  fclose(f);
  assert_false(vc__pin_load(path, back, why, sizeof why));
  assert_non_null(strstr(why, "vncert kiosk-pin"));
  unlink(path);
  assert_false(vc__pin_load(path, back, why, sizeof why));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(limit_burst_then_rate),
      cmocka_unit_test(limit_table_bounded),
      cmocka_unit_test(lockout_doubles),
      cmocka_unit_test(session_refs_are_per_session),
      cmocka_unit_test(session_refs_bounded),
      cmocka_unit_test(session_table_bounded_and_idle),
      cmocka_unit_test(tickets_states),
      cmocka_unit_test(pin_hash_and_file),
  };
  return cmocka_run_group_tests(tests, setup, NULL);
}
