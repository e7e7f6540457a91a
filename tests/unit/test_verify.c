/* test_verify.c - format v1 of the signed QR code (docs/verify.md): the
 * vectors of tests/data/verify-vectors.json (written by an independent
 * Python implementation), the canonical form, the digits, the key files,
 * and the size of the QR code of typical certificates. */
#include "testutil.h"

#include <jansson.h>
#include <qrencode.h>
#include <sys/stat.h>
#include <zlib.h>

#include "core/text.h"

#include "template/template-tree.h"
#include "verify/verify-private.h"

static json_t *vectors;

static int setup(void **state) {
  char path[1024];
  json_error_t err;
  if (test_dir_make("verify") != 0) return -1;
  if (!test_repo_file(path, sizeof path, "tests/data/verify-vectors.json")) return -1;
  vectors = json_load_file(path, 0, &err);
  return vectors ? 0 : -1;
}

static int teardown(void **state) {
  json_decref(vectors);
  return test_dir_teardown(state);
}

static const char *jstr(json_t *o, const char *k) {
  const char *s = json_string_value(json_object_get(o, k));
  return s ? s : "";
}

/* The vectors' key labelled id ("A", "B"). */
static json_t *vec_key(const char *id) {
  size_t i;
  json_t *k;
  json_array_foreach(json_object_get(vectors, "keys"), i, k) {
    if (!strcmp(jstr(k, "id"), id) || !strcmp(jstr(k, "label"), id)) return k;
  }
  fail_msg("no key %s in the vectors", id);
  return NULL;
}

/* Writes text to test_dir/name with mode; returns the path (static). */
static const char *put_file(const char *name, const char *text, mode_t mode) {
  static char path[4][256];
  static int turn;
  char *p = path[turn++ % 4];
  snprintf(p, 256, "%s/%s", test_dir, name);
  unlink(p);
  FILE *f = fopen(p, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
  assert_int_equal(chmod(p, mode), 0);
  return p;
}

static void values_from(json_t *o, vc_verify_values_t *v) {
  memset(v, 0, sizeof *v);
  snprintf(v->serial, sizeof v->serial, "%s", jstr(o, "serial"));
  snprintf(v->name, sizeof v->name, "%s", jstr(o, "name"));
  snprintf(v->award, sizeof v->award, "%s", jstr(o, "award"));
  snprintf(v->amount, sizeof v->amount, "%s", jstr(o, "amount"));
  snprintf(v->date, sizeof v->date, "%s", jstr(o, "date"));
}

static void hex_of(const unsigned char *b, size_t n, char *out) {
  for (size_t i = 0; i < n; i++) sprintf(out + 2 * i, "%02x", b[i]);
}

static void dictionary_is_the_documented_file(void **state) {
  char path[1024];
  size_t n;
  assert_true(test_repo_file(path, sizeof path, "docs/verify-dict-v1.txt"));
  unsigned char *f = slurp(path, &n);
  assert_int_equal(n, vc__verify_dict_len);
  assert_memory_equal(f, vc__verify_dict, n);
  size_t len;
  assert_ptr_equal(vc_verify_dictionary(&len), vc__verify_dict);
  assert_int_equal(len, n);
  free(f);
}

/* Each vector with values the rules allow: MESSAGE is the vector's, byte for
 * byte (a malformed one's values are refused before any MESSAGE). */
static void message_matches_vectors(void **state) {
  size_t i;
  json_t *vec;
  int checked = 0;
  json_array_foreach(json_object_get(vectors, "vectors"), i, vec) {
    json_t *vals = json_object_get(vec, "values");
    if (!vals || !strcmp(jstr(vec, "expect"), "malformed")) continue;
    vc_verify_values_t v;
    values_from(vals, &v);
    unsigned char body[VC__VERIFY_BODY_MAX], msg[VC__VERIFY_BODY_MAX + 32];
    char why[200], hex[2 * sizeof msg + 1];
    size_t blen = vc__verify_body(&v, body, why, sizeof why);
    if (!blen) fail_msg("%s: %s", jstr(vec, "name"), why);
    const char *kid = jstr(vec_key(jstr(vec, "key")), "key_id");
    size_t mlen = vc__verify_message(body, blen, kid, msg);
    hex_of(msg, mlen, hex);
    assert_string_equal(hex, jstr(vec, "message_hex"));
    checked++;
  }
  assert_true(checked >= 8);
}

/* Signing the vectors' valid values with their key gives their signature
 * and a URL that verifies (and, with the same zlib, their digits). */
static void signer_matches_vectors(void **state) {
  size_t i;
  json_t *vec;
  vc_diag_t *d = vc_diag_create();
  json_array_foreach(json_object_get(vectors, "vectors"), i, vec) {
    if (strncmp(jstr(vec, "name"), "valid-", 6) != 0) continue;
    json_t *k = vec_key(jstr(vec, "key"));
    vc_signer_t *s = vc_signer_load(put_file("k.key", jstr(k, "secret_file"), 0600), d);
    assert_non_null(s);
    vc_verify_values_t v;
    values_from(json_object_get(vec, "values"), &v);
    char why[200];
    char *url = vc_signer_url(s, "", &v, why, sizeof why);
    assert_non_null(url);
    unsigned char pay[VC__VERIFY_PAYLOAD_MAX];
    size_t n = vc__verify_undigits(url + 1, strlen(url + 1), pay, why, sizeof why);
    assert_true(n != SIZE_MAX);
    char hex[129];
    hex_of(pay + 5, 64, hex);
    assert_string_equal(hex, jstr(vec, "signature_hex"));
    if (!strcmp(zlibVersion(), "1.2.13")) assert_string_equal(url + 1, jstr(vec, "digits"));
    free(url);
    vc_signer_free(s);
  }
  vc_diag_free(d);
}

/* Every vector's digits (and its URL) get the expected verdict. */
static void verdicts_match_vectors(void **state) {
  size_t i, j;
  json_t *vec, *r;
  vc_revocation_t rev[4];
  size_t nrev = 0;
  json_array_foreach(json_object_get(vectors, "revocations"), j, r) {
    rev[nrev++] = (vc_revocation_t){jstr(r, "serial"), jstr(r, "reason"), jstr(r, "date")};
  }
  vc_diag_t *d = vc_diag_create();
  json_array_foreach(json_object_get(vectors, "vectors"), i, vec) {
    const char *paths[2];
    json_t *kid;
    size_t nk = 0;
    json_array_foreach(json_object_get(vec, "keys"), j, kid) {
      char name[32];
      snprintf(name, sizeof name, "%zu.pub", nk);
      paths[nk++] = put_file(name, jstr(vec_key(json_string_value(kid)), "public_file"), 0644);
    }
    vc_keyring_t *ring = vc_keyring_load(paths, nk, d);
    assert_non_null(ring);
    for (int form = 0; form < 2; form++) {
      vc_verify_result_t res;
      const char *text = form ? jstr(vec, "url") : jstr(vec, "digits");
      if (form && !*text) continue;
      assert_int_equal(vc_verify_text(text, ring, rev, nrev, &res, d), VC_OK);
      if (strcmp(vc_verify_verdict_name(res.verdict), jstr(vec, "expect")))
        fail_msg("%s: %s (%s)", jstr(vec, "name"), vc_verify_verdict_name(res.verdict), res.why);
      if (res.verdict == VC_VERIFY_VALID) {
        assert_string_equal(res.values.name, jstr(json_object_get(vec, "values"), "name"));
        assert_string_equal(res.values.key_id, jstr(vec_key(jstr(vec, "key")), "key_id"));
      }
      if (res.verdict == VC_VERIFY_REVOKED) assert_string_equal(res.why, jstr(vec, "reason"));
    }
    vc_keyring_free(ring);
  }
  vc_diag_free(d);
}

static void shortening_matches_vectors(void **state) {
  size_t i;
  json_t *s;
  json_array_foreach(json_object_get(vectors, "shorten"), i, s) {
    vc_verify_values_t v;
    unsigned cut;
    char why[200];
    bool name = !strcmp(jstr(s, "field"), "name");
    assert_true(vc_verify_prepare("", name ? jstr(s, "input") : "Lê An",
                                  name ? "" : jstr(s, "input"), "", "2026-05-20", &v, &cut,
                                  why, sizeof why));
    assert_string_equal(name ? v.name : v.award, jstr(s, "output"));
    bool longer = strcmp(jstr(s, "output"), jstr(s, "input")) != 0 &&
                  strstr(jstr(s, "output"), "…");
    assert_int_equal(cut != 0, longer);
  }
}

static const vc_verify_values_t BASE = {"2026/GK-0001", "Nguyễn Thị Thu Thảo",
                                        "Học sinh Giỏi năm học 2025-2026", "", "2026-05-20",
                                        ""};

/* The message of v under key id "0a1b2c3d" into out; its length. */
static size_t message_of(const vc_verify_values_t *v, unsigned char *out) {
  unsigned char body[VC__VERIFY_BODY_MAX];
  char why[200];
  size_t n = vc__verify_body(v, body, why, sizeof why);
  if (!n) fail_msg("%s", why);
  return vc__verify_message(body, n, "0a1b2c3d", out);
}

/* Same values, same bytes; any one value changed, other bytes; moving text
 * from one field to the next changes them too (the lengths frame them). */
static void canonical_form(void **state) {
  unsigned char a[512], b[512];
  size_t na = message_of(&BASE, a), nb = message_of(&BASE, b);
  assert_int_equal(na, nb);
  assert_memory_equal(a, b, na);
  assert_memory_equal(a, "vncert-v1\0", 10);
  for (int f = 0; f < 6; f++) {
    vc_verify_values_t v = BASE;
    switch (f) {
    case 0: strcpy(v.serial, "2026/GK-0002"); break;
    case 1: strcpy(v.name, "Nguyễn Thị Thu Thào"); break;
    case 2: strcpy(v.award, "Học sinh Giỏi năm học 2025-2027"); break;
    case 3: strcpy(v.amount, "1"); break;
    case 4: strcpy(v.date, "2026-05-21"); break;
    case 5: strcpy(v.serial, "2026/GK-0001N"), strcpy(v.name, "guyễn Thị Thu Thảo"); break;
    }
    nb = message_of(&v, b);
    assert_false(na == nb && !memcmp(a, b, na));
  }
  unsigned char body[VC__VERIFY_BODY_MAX];
  char why[200];
  size_t n = vc__verify_body(&BASE, body, why, sizeof why);
  unsigned char m1[512], m2[512];
  size_t k1 = vc__verify_message(body, n, "0a1b2c3d", m1);
  size_t k2 = vc__verify_message(body, n, "0a1b2c3e", m2);
  assert_false(k1 == k2 && !memcmp(m1, m2, k1)); /* the key id is signed */
}

/* Values the signer must refuse (and the verifier with them). */
static void canonical_rules(void **state) {
  static const struct { int field; const char *value; } bad[] = {
      {3, "0123"},        {3, "12a"},         {3, "1234567890123456"}, {4, "2026-02-30"},
      {4, "20-05-2026"},  {4, ""},            {1, "Lê\x01An"},         {1, "Le\xCC\x82 An"},
      {2, "\xC3\x28"},    {1, "Nguyễn Văn An Nguyễn Văn An Nguyễn Văn An Nguyễn Văn An Nguyễn Văn"},
      /* what the signer's cleaning changes, format characters, years out of range */
      {1, "Lê  An"},      {1, " Lê An"},      {0, "2026/GK-1 "},     {1, "Lê\u00a0An"},
      {1, "Lê\tAn"},      {1, "Lê \u202eAn"}, {2, "Giỏi\u200b"},     {1, "Lê\u00adAn"},
      {1, "\uFEFFLê An"}, {4, "1899-12-31"},  {4, "3000-01-01"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    vc_verify_values_t v = BASE;
    char *dst[] = {v.serial, v.name, v.award, v.amount, v.date};
    snprintf(dst[bad[i].field], 200, "%s", bad[i].value);
    unsigned char body[VC__VERIFY_BODY_MAX];
    char why[200] = "";
    if (vc__verify_body(&v, body, why, sizeof why)) fail_msg("accepted '%s'", bad[i].value);
    assert_true(why[0]);
  }
  /* ZWNJ and ZWJ are the format characters a value may hold; years at the ends */
  vc_verify_values_t v = BASE;
  strcpy(v.award, "Giải Nhất\u200c cờ vua\u200d");
  strcpy(v.date, "2999-12-31");
  unsigned char body[VC__VERIFY_BODY_MAX];
  char why[200] = "";
  if (!vc__verify_body(&v, body, why, sizeof why)) fail_msg("%s", why);
  strcpy(v.date, "1900-01-01");
  assert_true(vc__verify_body(&v, body, why, sizeof why) > 0);
}

/* The signer cleans white space and NFC, and says what it shortened. */
static void prepare_cleans_and_shortens(void **state) {
  vc_verify_values_t v;
  unsigned cut;
  char why[200];
  assert_true(vc_verify_prepare(" 2026/GK-0001 ", "Le\xCC\x82\xCC\x80   Văn\u00a0An", "x", "",
                                "2026-05-20", &v, &cut, why, sizeof why));
  assert_string_equal(v.name, "Lề Văn An");
  assert_string_equal(v.serial, "2026/GK-0001");
  assert_int_equal(cut, 0);
  char award[1024] = "";
  for (int i = 0; i < 20; i++) strcat(award, "Giỏi xuất sắc ");
  assert_true(vc_verify_prepare("", "An", award, "", "2026-05-20", &v, &cut, why, sizeof why));
  assert_int_equal(cut, VC_VERIFY_SHORT_AWARD);
  assert_true(vc_utf8_len(v.award) <= 160);
  assert_non_null(strstr(v.award, "sắc…") ? v.award : strstr(v.award, "Giỏi…"));
  /* no space in the second half: cut at 59 characters, not inside a letter */
  char name[300] = "";
  for (int i = 0; i < 70; i++) strcat(name, "ễ");
  assert_true(vc_verify_prepare("", name, "", "", "2026-05-20", &v, &cut, why, sizeof why));
  assert_int_equal(vc_utf8_len(v.name), 60);
  assert_false(vc_verify_prepare("", "An", "", "1.000", "2026-05-20", &v, &cut, why,
                                 sizeof why));
  /* a bidi override is no white space the cleaning takes: nothing is signed */
  assert_false(vc_verify_prepare("", "An \u202eoảhT", "", "", "2026-05-20", &v, &cut, why,
                                 sizeof why));
  assert_non_null(strstr(why, "format character (U+202E)"));
}

/* Digits round-trip for every length; a length not in the table, a group
 * too large and a letter are refused. */
static void digits(void **state) {
  unsigned char p[300], q[VC__VERIFY_PAYLOAD_MAX];
  char s[800], why[200];
  for (size_t i = 0; i < sizeof p; i++) p[i] = (unsigned char)(i * 37 + 255);
  for (size_t n = 1; n < sizeof p; n++) {
    vc__verify_digits(p, n, s);
    static const size_t last[7] = {0, 3, 5, 8, 10, 13, 15};
    assert_int_equal(strlen(s), n / 7 * 17 + last[n % 7]);
    assert_int_equal(vc__verify_undigits(s, strlen(s), q, why, sizeof why), n);
    assert_memory_equal(p, q, n);
  }
  memset(p, 0xFF, 7);
  vc__verify_digits(p, 7, s);
  assert_string_equal(s, "72057594037927935");
  assert_int_equal(vc__verify_undigits("72057594037927936", 17, q, why, sizeof why), SIZE_MAX);
  assert_int_equal(vc__verify_undigits("256", 3, q, why, sizeof why), SIZE_MAX);
  assert_int_equal(vc__verify_undigits("1234", 4, q, why, sizeof why), SIZE_MAX);
  assert_int_equal(vc__verify_undigits("12a", 3, q, why, sizeof why), SIZE_MAX);
}

/* vc_verify_fits says yes exactly when signing works: values near every
 * limit, of characters that compress badly (4-byte CJK) and well.  (With
 * the limits of section 2 even the worst values compress under the
 * payload's 1,024 bytes: UTF-8 has too little entropy per byte.) */
static void fits_means_signable(void **state) {
  vc_diag_t *d = vc_diag_create();
  vc_signer_t *s = vc_signer_demo(d);
  unsigned seed = 7;
  int refused = 0, signed_ = 0;
  for (int round = 0; round < 40; round++) {
    char name[300] = "", award[700] = "", serial[128] = "";
    int nn = 30 + round % 31, na = 80 + (round * 7) % 81;
    for (int k = 0; k < nn; k++) {
      seed = seed * 1103515245u + 12345u;
      char ch[5];
      ch[vc_utf8_encode((int32_t)(round % 2 ? 0x20000 + (seed >> 16) % 20000 : 'a' + (seed >> 16) % 26), ch)] = 0;
      strcat(name, ch);
    }
    for (int k = 0; k < na; k++) {
      seed = seed * 1103515245u + 12345u;
      char ch[5];
      ch[vc_utf8_encode((int32_t)(round % 3 ? 0x20000 + (seed >> 16) % 20000 : 0x1EA0 + (seed >> 16) % 90), ch)] = 0;
      strcat(award, ch);
    }
    for (int k = 0; k < 127 - round % 50; k++) serial[k] = (char)('!' + (seed >> (k % 16)) % 90);
    vc_verify_values_t v;
    unsigned cut;
    char why[320];
    assert_true(vc_verify_prepare(serial, name, award, "123456789012345", "2026-05-20", &v,
                                  &cut, why, sizeof why));
    bool fits = vc_verify_fits(&v, why, sizeof why);
    char *url = vc_signer_url(s, "https://x.vn/a", &v, why, sizeof why);
    assert_int_equal(fits, url != NULL);
    refused += !fits, signed_ += fits;
    free(url);
  }
  assert_int_equal(refused, 0);
  assert_int_equal(signed_, 40);
  vc_signer_free(s);
  vc_diag_free(d);
}

/* A payload whose values inflate beyond 4 KiB is refused, not inflated. */
static void zip_bomb_refused(void **state) {
  static unsigned char zeros[200000];
  unsigned char pay[VC__VERIFY_PAYLOAD_MAX] = {1};
  size_t z = vc__verify_deflate(zeros, sizeof zeros, pay + VC__VERIFY_HEAD,
                                sizeof pay - VC__VERIFY_HEAD);
  assert_true(z > 0);
  char digits_s[3000];
  vc__verify_digits(pay, VC__VERIFY_HEAD + z, digits_s);
  vc_verify_result_t res;
  vc_diag_t *d = vc_diag_create();
  assert_int_equal(vc_verify_text(digits_s, NULL, NULL, 0, &res, d), VC_OK);
  assert_int_equal(res.verdict, VC_VERIFY_MALFORMED);
  assert_non_null(strstr(res.why, "beyond"));
  vc_diag_free(d);
}

/* keygen: two files, the private one 0600, never replaced; the key signs
 * what its public file verifies. */
static void keygen_pair(void **state) {
  char base[256], kid[VC_VERIFY_KEYID_LEN], fp[VC_VERIFY_FINGERPRINT_LEN], path[300];
  snprintf(base, sizeof base, "%s/truong", test_dir);
  vc_diag_t *d = vc_diag_create();
  assert_int_equal(vc_key_generate(base, "THCS Lê Lợi 2026-2027", kid, fp, d), VC_OK);
  assert_int_equal(strlen(kid), 8);
  assert_int_equal(strlen(fp), 64);
  assert_memory_equal(kid, fp, 8);
  struct stat st;
  snprintf(path, sizeof path, "%s.key", base);
  assert_int_equal(stat(path, &st), 0);
  assert_int_equal(st.st_mode & 0777, 0600);
  size_t n;
  unsigned char *text = slurp(path, &n);
  assert_true(n < 100 && !strncmp((char *)text, "vncert-ed25519-secret-v1 ", 25));
  free(text);
  vc_signer_t *s = vc_signer_load(path, d);
  assert_non_null(s);
  assert_string_equal(vc_signer_key_id(s), kid);
  snprintf(path, sizeof path, "%s.pub", base);
  const char *paths[] = {path};
  vc_keyring_t *ring = vc_keyring_load(paths, 1, d);
  assert_non_null(ring);
  const char *c;
  vc_keyring_key(ring, 0, NULL, NULL, &c);
  assert_string_equal(c, "THCS Lê Lợi 2026-2027");
  assert_int_equal(vc_keyring_count(ring), 1);
  unsigned char id[4];
  vc__key_ids(vc_keyring_public_key(ring, 0), id, NULL);
  char hex[9];
  hex_of(id, 4, hex);
  assert_string_equal(hex, kid);
  vc_verify_values_t v = BASE;
  char why[200];
  char *url = vc_signer_url(s, "https://x.vn/a", &v, why, sizeof why);
  vc_verify_result_t res;
  assert_int_equal(vc_verify_text(url, ring, NULL, 0, &res, d), VC_OK);
  assert_int_equal(res.verdict, VC_VERIFY_VALID);
  free(url);
  vc_keyring_free(ring);
  vc_signer_free(s);
  /* never replaces either file */
  assert_int_equal(vc_key_generate(base, NULL, kid, fp, d), VC_E_IO);
  expect_diag_st(d, VC_E_IO, "never replaced");
  vc_diag_free(d);
}

/* A private key open to others, a key file that is not one, a key id that
 * does not match: each refused with its reason. */
static void key_files_refused(void **state) {
  json_t *a = vec_key("A");
  const char *sec = jstr(a, "secret_file"), *pub = jstr(a, "public_file");
  vc_diag_t *d = vc_diag_create();
  static const mode_t open_modes[] = {0644, 0640, 0604, 0620, 0660};
  for (size_t i = 0; i < sizeof open_modes / sizeof *open_modes; i++) {
    assert_null(vc_signer_load(put_file("a.key", sec, open_modes[i]), d));
    expect_diag_st(d, VC_E_INPUT, "chmod 600");
  }
  vc_signer_t *s = vc_signer_load(put_file("a.key", sec, 0400), d);
  assert_non_null(s);
  vc_signer_free(s);
  char bad[512];
  snprintf(bad, sizeof bad, "vncert-ed25519-secret-v2 %s", sec + 25); /* another tag */
  assert_null(vc_signer_load(put_file("b.key", bad, 0600), d));
  expect_diag_st(d, VC_E_INPUT, "not a vncert key file");
  snprintf(bad, sizeof bad, "vncert-ed25519-secret-v1 0000%s", sec + 29); /* another id */
  assert_null(vc_signer_load(put_file("b.key", bad, 0600), d));
  expect_diag_st(d, VC_E_INPUT, "damaged");
  snprintf(bad, sizeof bad, "%.*sx\n", (int)strlen(sec) - 2, sec); /* base64 broken */
  assert_null(vc_signer_load(put_file("b.key", bad, 0600), d));
  expect_diag_st(d, VC_E_INPUT, "not a vncert key file");
  snprintf(bad, sizeof bad, "%s%s", sec, sec); /* two lines */
  assert_null(vc_signer_load(put_file("b.key", bad, 0600), d));
  expect_diag_st(d, VC_E_INPUT, "one line");
  /* CRLF and an empty line after it (Notepad, a mail): the same key */
  snprintf(bad, sizeof bad, "%.*s\r\n\r\n", (int)strlen(sec) - 1, sec);
  s = vc_signer_load(put_file("c.key", bad, 0600), d);
  assert_non_null(s);
  vc_signer_free(s);
  snprintf(bad, sizeof bad, "%.*s\r\n \n", (int)strlen(pub) - 1, pub);
  const char *crlf[] = {put_file("c.pub", bad, 0644)};
  vc_keyring_t *kr = vc_keyring_load(crlf, 1, d);
  assert_non_null(kr);
  vc_keyring_free(kr);
  assert_null(vc_signer_load(put_file("b.key", pub, 0600), d)); /* the public one */
  expect_diag_st(d, VC_E_INPUT, "not a vncert key file");
  assert_null(vc_signer_load(test_dir, d)); /* a folder */
  expect_diag_st(d, VC_E_INPUT, "not a regular file");
  char big[2000];
  memset(big, 'a', sizeof big - 1);
  big[sizeof big - 1] = '\0';
  assert_null(vc_signer_load(put_file("b.key", big, 0600), d));
  expect_diag_st(d, VC_E_INPUT, "bytes");
  const char *paths[] = {put_file("a.pub", sec, 0644)}; /* a private key as public */
  assert_null(vc_keyring_load(paths, 1, d));
  expect_diag_st(d, VC_E_INPUT, "not a vncert key file");
  vc_diag_free(d);
}

/* Writes a one-page PDF whose /Annots holds n links (the same object n
 * times: small to write, n links to read) at test_dir/name; its path. */
static const char *links_pdf(const char *name, long n) {
  static char path[256];
  snprintf(path, sizeof path, "%s/%s", test_dir, name);
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  long off[6];
  fputs("%PDF-1.4\n", f);
  off[1] = ftell(f);
  fputs("1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n", f);
  off[2] = ftell(f);
  fputs("2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n", f);
  off[3] = ftell(f);
  fputs("3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] /Annots 4 0 R >> "
        "endobj\n", f);
  off[4] = ftell(f);
  fputs("4 0 obj [", f);
  for (long i = 0; i < n; i++) fputs(" 5 0 R", f);
  fputs(" ] endobj\n", f);
  off[5] = ftell(f);
  fputs("5 0 obj << /Type /Annot /Subtype /Link /Rect [0 0 1 1] /A << /S /URI "
        "/URI (https://x.vn/a#1) >> >> endobj\n", f);
  long xref = ftell(f);
  fputs("xref\n0 6\n0000000000 65535 f \n", f);
  for (int i = 1; i < 6; i++) fprintf(f, "%010ld 00000 n \n", off[i]);
  fprintf(f, "trailer << /Size 6 /Root 1 0 R >>\nstartxref\n%ld\n%%%%EOF\n", xref);
  assert_int_equal(fclose(f), 0);
  return path;
}

/* A PDF's links are read up to 100,000; one more is an error, never a
 * silent success with links left unverified. */
static void pdf_links_capped(void **state) {
  vc_diag_t *d = vc_diag_create();
  char **uris;
  size_t n;
  assert_int_equal(vc_verify_pdf_uris(links_pdf("full.pdf", 100000), &uris, &n, d), VC_OK);
  assert_int_equal(n, 100000);
  assert_string_equal(uris[99999], "https://x.vn/a#1");
  for (size_t i = 0; i < n; i++) free(uris[i]);
  free(uris);
  expect_no_diag(d);
  assert_int_equal(vc_verify_pdf_uris(links_pdf("over.pdf", 100001), &uris, &n, d), VC_E_INPUT);
  assert_null(uris);
  assert_int_equal(n, 0);
  expect_diag_st(d, VC_E_INPUT, "more than 100000 links");
  vc_diag_free(d);
}

/* Whether a private key is the DEMO key is its seed's, not its comment's:
 * a school's own key ending in " DEMO" is refused when others can read it
 * (and loads at 0600, the comment being the DEMO file's). */
static void demo_comment_is_no_demo_key(void **state) {
  json_t *a = vec_key("A");
  const char *sec = jstr(a, "secret_file");
  char text[512];
  snprintf(text, sizeof text, "%.*s DEMO\n", (int)strlen(sec) - 1, sec);
  vc_diag_t *d = vc_diag_create();
  static const mode_t open_modes[] = {0644, 0604, 0640};
  for (size_t i = 0; i < sizeof open_modes / sizeof *open_modes; i++) {
    assert_null(vc_signer_load(put_file("a.key", text, open_modes[i]), d));
    expect_diag_st(d, VC_E_INPUT, "chmod 600");
  }
  vc_signer_t *s = vc_signer_load(put_file("a.key", text, 0600), d);
  assert_non_null(s);
  assert_string_equal(vc_signer_key_id(s), jstr(a, "key_id"));
  vc_signer_free(s);
  vc_diag_free(d);
}

/* The built-in DEMO key (key: DEMO) is examples/khoa-DEMO.key, which loads
 * whatever its mode (a published key hides nothing), and
 * examples/khoa-DEMO.pub verifies what it signs. */
static void demo_key_is_the_shipped_one(void **state) {
  char path[1024], pub[1024];
  vc_diag_t *d = vc_diag_create();
  assert_true(test_repo_file(path, sizeof path, "examples/khoa-DEMO.key"));
  assert_true(test_repo_file(pub, sizeof pub, "examples/khoa-DEMO.pub"));
  size_t n;
  unsigned char *text = slurp(path, &n);
  vc_signer_t *f = vc_signer_load(put_file("demo.key", (char *)text, 0644), d);
  free(text);
  vc_signer_t *s = vc_signer_demo(d);
  assert_non_null(f);
  assert_non_null(s);
  assert_string_equal(vc_signer_key_id(s), vc_signer_key_id(f));
  const char *paths[] = {pub};
  vc_keyring_t *ring = vc_keyring_load(paths, 1, d);
  assert_non_null(ring);
  vc_verify_values_t v = BASE;
  char why[200];
  char *url = vc_signer_url(s, "https://x.vn/a", &v, why, sizeof why);
  vc_verify_result_t res;
  assert_int_equal(vc_verify_text(url, ring, NULL, 0, &res, d), VC_OK);
  assert_int_equal(res.verdict, VC_VERIFY_VALID);
  assert_non_null(strstr(res.key_comment, "DEMO"));
  free(url);
  vc_keyring_free(ring);
  vc_signer_free(s);
  vc_signer_free(f);
  vc_diag_free(d);
}

/* Loads a template of one qr: element written `body`; expects the load to
 * fail with `part` in a message (NULL: to succeed, returned). */
static vc_template_t *qr_template(const char *body, const char *part) {
  char text[2048];
  snprintf(text, sizeof text,
           "page: {size: A4}\nfields:\n  ho_ten: {required: true}\n  thanh_tich: {}\n"
           "values:\n  ngay_ky: 2026-05-20\nelements:\n  - qr: %s\n", body);
  vc_diag_t *d = vc_diag_create();
  vc_template_t *t = vc_template_load(put_file("t.yaml", text, 0644), d);
  if (part) {
    assert_null(t);
    expect_diag_st(d, VC_E_INPUT, part);
  } else if (!t) {
    vc_diag_print(d, stderr);
    fail_msg("refused: %s", body);
  }
  vc_diag_free(d);
  return t;
}

/* The qr: element: its size, url:, key: (DEMO or a file), defaults. */
static void qr_element(void **state) {
  qr_template("[10, 10, 19]\n    url: https://a.vn/x\n    key: DEMO", "the size must be 20");
  qr_template("[10, 10, 25]\n    url: ftp://a.vn/x\n    key: DEMO", "is not a web address");
  qr_template("[10, 10, 25]\n    url: https://a.vn/x#y\n    key: DEMO", "no #");
  qr_template("[10, 10, 25]\n    url: https://a.vn/xác\n    key: DEMO", "no accents");
  qr_template("[10, 10, 25]\n    key: DEMO", "needs url:");
  qr_template("[10, 10, 25]\n    url: https://a.vn/x", "needs key:");
  qr_template("[10, 10, 25]\n    url: https://a.vn/x\n    key: none.key", "file not found");
  qr_template("[290, 10, 25]\n    url: https://a.vn/x\n    key: DEMO", "right edge");
  qr_template("[10, 10, 25]\n    url: https://a.vn/x\n    key: DEMO\n    size: 3", "does not apply to a qr element");
  vc_template_t *t = qr_template("[10, 10, 25]\n    url: https://a.vn/x\n    key: DEMO", NULL);
  const vc_el_t *el = &t->els[0];
  assert_int_equal(el->kind, VC_EL_QR);
  assert_null(el->qr_key); /* the DEMO key */
  assert_string_equal(el->qr_val[VC_QR_NAME]->segs[0].name, "ho_ten");
  assert_string_equal(el->qr_val[VC_QR_AWARD]->segs[0].name, "thanh_tich");
  assert_string_equal(el->qr_val[VC_QR_DATE]->segs[0].name, "ngay_ky");
  assert_null(el->qr_val[VC_QR_AMOUNT]);
  assert_null(el->qr_val[VC_QR_SERIAL]);
  assert_true(el->w == 25 && el->h == 25);
  vc_template_free(t);
  t = qr_template("[10, 10, 25]\n    url: https://a.vn/x\n    key: DEMO\n    award: \"Giải {ho_ten}\"",
                  NULL);
  assert_string_equal(t->els[0].qr_val[VC_QR_AWARD]->segs[0].lit, "Giải ");
  vc_template_free(t);
}

/* The QR code of typical certificates (a 30-character name, an
 * 80-character award not in the dictionary, a 35-character URL) is at
 * most version 10 at level M. */
static void typical_fits_version_10(void **state) {
  static const char *const cases[][2] = {
      {"Âu Dương Khánh Linh Vũ Trường", "Vô địch giải cờ vua nhanh dành cho lứa tuổi thiếu niên "
                                        "toàn quốc tổ chức tại Đà Nẵng hè"},
      {"Lưu Hoàng Yến Nhi Đào Thị Mỹ", "Người nhặt được ví tiền trả lại cho người đánh rơi, "
                                       "nêu gương sáng về lòng trung thực"},
      {"Châu Ngọc Bảo Trâm Lại Văn Hưng", "Thủ khoa đầu vào ngành Sư phạm Mầm non hệ chính "
                                          "quy khóa tuyển sinh mùa thu vừa qua"},
      {"Kha Minh Triết Mai Thị Ngọc Hà", "Có sáng kiến cải tiến mô hình trồng rau sạch trong "
                                         "khuôn viên nhà trường được nhân rộng"},
      {"Ông Thị Xuân Hạ Quách Văn Lực", "Đội trưởng đội bóng rổ nữ giành ngôi á quân hội thao "
                                        "sinh viên khu vực duyên hải phía Bắc"},
      {"Ngô Bảo Châu Phan Thị Kim Loan", "Ghi bàn thắng quyết định trong trận chung kết giải "
                                         "bóng đá mini nam học sinh khối mười"},
  };
  vc_diag_t *d = vc_diag_create();
  vc_signer_t *s = vc_signer_load(put_file("t.key", jstr(vec_key("A"), "secret_file"), 0600), d);
  assert_non_null(s);
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    vc_verify_values_t v;
    unsigned cut;
    char why[200];
    assert_true(vc_verify_prepare("2026/GK-0123", cases[i][0], cases[i][1], "", "2026-05-20",
                                  &v, &cut, why, sizeof why));
    assert_int_equal(cut, 0);
    char *url = vc_signer_url(s, "https://thcs-le-loi.edu.vn/xac-minh", &v, why, sizeof why);
    assert_non_null(url);
    vc_qr_t *q = vc_qr_encode(url, why, sizeof why);
    assert_non_null(q);
    print_message("%zu+%zu chars: %zu digits, version %d\n", vc_utf8_len(v.name),
                  vc_utf8_len(v.award), strlen(strchr(url, '#') + 1), q->version);
    assert_true(vc_utf8_len(v.name) >= 28 && vc_utf8_len(v.award) >= 78);
    assert_true(q->version <= 10);
    vc_qr_free(q);
    free(url);
  }
  vc_signer_free(s);
  vc_diag_free(d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(dictionary_is_the_documented_file),
      cmocka_unit_test(message_matches_vectors),
      cmocka_unit_test(signer_matches_vectors),
      cmocka_unit_test(verdicts_match_vectors),
      cmocka_unit_test(shortening_matches_vectors),
      cmocka_unit_test(canonical_form),
      cmocka_unit_test(canonical_rules),
      cmocka_unit_test(prepare_cleans_and_shortens),
      cmocka_unit_test(digits),
      cmocka_unit_test(zip_bomb_refused),
      cmocka_unit_test(fits_means_signable),
      cmocka_unit_test(keygen_pair),
      cmocka_unit_test(key_files_refused),
      cmocka_unit_test(pdf_links_capped),
      cmocka_unit_test(demo_comment_is_no_demo_key),
      cmocka_unit_test(demo_key_is_the_shipped_one),
      cmocka_unit_test(qr_element),
      cmocka_unit_test(typical_fits_version_10),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
