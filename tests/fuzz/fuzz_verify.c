/*
 * fuzz_verify.c - libFuzzer target for the verifier's payload parser
 * (src/verify: the digits, the inflate with the dictionary and its 4 KiB
 * cap, BODY's fields and their rules), as `vncert verify` and the page see
 * a scanned QR code.
 *
 * The first byte chooses the form: the input as text (a URL or digits), or
 * the rest as a payload's bytes written as digits (so that the fuzzer
 * reaches the inflate and the fields, past the digit rules).  Checks: no
 * crash, leak or UB; a verdict always; MALFORMED always says why; values
 * read are valid UTF-8 and NFC and within their limits; a payload that
 * parses is rebuilt into the same BODY (one set of values, one byte string).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "fuzzutil.h"
#include "verify/verify-private.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The values' promises: UTF-8, cleaned (NFC, single spaces), no control or
 * format characters, the limits. */
static void check_values(const vc_verify_values_t *v) {
  char why[320];
  if (!vc__verify_value_ok(v->serial, SIZE_MAX, "serial", why, sizeof why) ||
      !vc__verify_value_ok(v->name, VC_VERIFY_NAME_MAX, "name", why, sizeof why) ||
      !vc__verify_value_ok(v->award, VC_VERIFY_AWARD_MAX, "award", why, sizeof why) ||
      strlen(v->date) != 10 || strlen(v->key_id) != 8)
    abort();
}

/* Parses body[0..n) directly and, when it parses, checks it is canonical. */
static void body_round_trip(const uint8_t *b, size_t n) {
  vc_verify_values_t v;
  char why[320];
  static unsigned char again[VC__VERIFY_BODY_MAX];
  memset(&v, 0, sizeof v);
  if (n > VC__VERIFY_BODY_MAX || !vc__verify_body_parse(b, n, &v, why, sizeof why)) return;
  size_t k = vc__verify_body(&v, again, why, sizeof why);
  if (k != n || memcmp(again, b, n) != 0) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0 || size > 2 * VC__VERIFY_PAYLOAD_MAX) return 0;
  static char text[4 * VC__VERIFY_PAYLOAD_MAX];
  if (data[0] & 1) {
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
  } else {
    size_t n = size - 1 > VC__VERIFY_PAYLOAD_MAX ? VC__VERIFY_PAYLOAD_MAX : size - 1;
    vc__verify_digits(data + 1, n, text);
  }
  body_round_trip(data + 1, size - 1);
  vc_diag_t *d = vc_diag_create();
  if (!d) return 0;
  vc_verify_result_t res;
  vc_revocation_t rev = {"2026/GK-0003", "Cấp nhầm", "2026-06-01"};
  if (vc_verify_text(text, NULL, &rev, 1, &res, d) != VC_OK) abort();
  if (res.verdict == VC_VERIFY_MALFORMED && !res.why[0]) abort();
  if (res.verdict != VC_VERIFY_MALFORMED && res.verdict != VC_VERIFY_UNKNOWN_KEY) abort();
  if (res.have_values) check_values(&res.values);
  fuzz_check_diags(d);
  vc_diag_free(d);
  return 0;
}
