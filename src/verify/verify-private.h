/*
 * verify-private.h - what the files of src/verify share: the pieces of
 * format v1 (docs/verify.md) one by one, so that each is tested alone
 * against tests/data/verify-vectors.json.
 */
#ifndef VC_VERIFY_PRIVATE_H
#define VC_VERIFY_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "verify/verify.h"

/* The preset DEFLATE dictionary (verify-dict.c; docs/verify-dict-v1.txt). */
extern const char vc__verify_dict[];
extern const size_t vc__verify_dict_len;

#define VC__VERIFY_VERSION 0x01
#define VC__VERIFY_HEAD 69 /* version, key id, signature */
#define VC__VERIFY_PAYLOAD_MAX 1024
#define VC__VERIFY_BODY_MAX 4096
#define VC__VERIFY_DIGITS_MAX 2487 /* 1,024 bytes: 146 groups of 7, then 2 */
/* "vncert-v1" and its NUL: the domain tag that starts every message. */
#define VC__VERIFY_TAG "vncert-v1"
#define VC__VERIFY_TAG_LEN 10

/* ---- canon.c: values <-> BODY and MESSAGE ---- */
/* BODY of v (section 2) into out (room for VC__VERIFY_BODY_MAX); its
 * length, or 0 when v breaks a rule (then why says which). */
size_t vc__verify_body(const vc_verify_values_t *v, unsigned char *out,
                       char *why, size_t whylen);
/* The same without the checks, for values vc_verify_prepare made. */
size_t vc__verify_body_raw(const vc_verify_values_t *v, unsigned char *out);
/* Parses BODY b[0..n) into v (key_id left as it is): every check of
 * section 3 step 3.  false with why on any fault. */
bool vc__verify_body_parse(const unsigned char *b, size_t n, vc_verify_values_t *v,
                           char *why, size_t whylen);
/* MESSAGE = tag || body || F(key id) into out (room for body_len + 20). */
size_t vc__verify_message(const unsigned char *body, size_t body_len,
                          const char key_id[VC_VERIFY_KEYID_LEN], unsigned char *out);
/* True when s is valid UTF-8, NFC, without control characters and at most
 * max_chars code points (SIZE_MAX: no limit); else why. */
bool vc__verify_text_ok(const char *s, size_t max_chars, const char *field,
                        char *why, size_t whylen);
/* The same for a signed value (section 3 step 3): also no format character
 * (category Cf) but ZWNJ and ZWJ, and s is its own cleaned form
 * (vc_text_clean: no white space but single U+0020 between words). */
bool vc__verify_value_ok(const char *s, size_t max_chars, const char *field,
                         char *why, size_t whylen);

/* ---- payload.c: PAYLOAD <-> digits, DEFLATE with the dictionary ---- */
/* Raw DEFLATE of in[0..n) with the dictionary into out (cap bytes); its
 * length, 0 when it does not fit or zlib fails. */
size_t vc__verify_deflate(const unsigned char *in, size_t n, unsigned char *out, size_t cap);
/* Inflates in[0..n) with the dictionary into out (cap bytes at most: more
 * is an error, a zip bomb); the stream must end exactly at in + n.  Its
 * length, or SIZE_MAX with why. */
size_t vc__verify_inflate(const unsigned char *in, size_t n, unsigned char *out, size_t cap,
                          char *why, size_t whylen);
/* The digits of p[0..n) (section 4), NUL-terminated, into out (room for
 * n / 7 * 17 + 18 bytes). */
void vc__verify_digits(const unsigned char *p, size_t n, char *out);
/* The bytes of the digits s[0..len) into out (room for
 * VC__VERIFY_PAYLOAD_MAX); their number, or SIZE_MAX with why. */
size_t vc__verify_undigits(const char *s, size_t len, unsigned char *out, char *why,
                           size_t whylen);

/* ---- keys.c ---- */
/* The key id (4 bytes) and fingerprint (64 hex digits + NUL) of pk. */
void vc__key_ids(const unsigned char pk[32], unsigned char id[4], char fingerprint[65]);
/* True when pk is the built-in DEMO key's (its seed is published). */
bool vc__key_is_demo(const unsigned char pk[32]);
/* The public key and comment of the key whose id is id, or NULL. */
const unsigned char *vc__keyring_find(const vc_keyring_t *k, const unsigned char id[4],
                                      const char **comment);
/* Signs m[0..n) with s: the 64-byte signature into sig; the key id (4
 * raw bytes) into id. */
void vc__signer_sign(const vc_signer_t *s, const unsigned char *m, size_t n,
                     unsigned char sig[64], unsigned char id[4]);

#endif
