/*
 * payload.c - the payload of format v1 (docs/verify.md sections 3 to 5):
 * version, key id, signature and the values compressed with the preset
 * dictionary, written as decimal digits after the page's URL (the signer's
 * side; the pieces the verifier reads it with), and the URL's QR code.
 */
#include <errno.h>
#include <pthread.h>
#include <qrencode.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "core/i18n.h"
#include "verify/verify-private.h"

/* Digits of a last group of k bytes (section 4), k = 0..7. */
static const int GROUP_DIGITS[8] = {0, 3, 5, 8, 10, 13, 15, 17};

/* One prepared z_stream kept between payloads: deflateInit2 allocates
 * ~300 KiB and clears its 128 KiB hash table each time, which took longer
 * than compressing a payload (35 us a payload against 13 us after
 * deflateReset, same bytes).  One caller at a time holds it (the split's
 * threads sign concurrently): z_take hands it over under the lock, or a
 * new stream when another caller has it; z_give keeps one and frees the
 * others.  The kept one lives until the process ends (reachable from here). */
static pthread_mutex_t z_mu = PTHREAD_MUTEX_INITIALIZER;
static z_stream *z_spare;

static z_stream *z_take(void) {
  pthread_mutex_lock(&z_mu);
  z_stream *z = z_spare;
  z_spare = NULL;
  pthread_mutex_unlock(&z_mu);
  if (z && deflateReset(z) == Z_OK) return z;
  if (z) {
    deflateEnd(z);
    free(z);
  }
  z = calloc(1, sizeof *z);
  if (z && deflateInit2(z, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY) == Z_OK) return z;
  free(z);
  return NULL;
}

static void z_give(z_stream *z) {
  pthread_mutex_lock(&z_mu);
  if (!z_spare) {
    z_spare = z;
    z = NULL;
  }
  pthread_mutex_unlock(&z_mu);
  if (z) {
    deflateEnd(z);
    free(z);
  }
}

size_t vc__verify_deflate(const unsigned char *in, size_t n, unsigned char *out, size_t cap) {
  z_stream *z = z_take();
  if (!z) return 0;
  size_t len = 0;
  if (deflateSetDictionary(z, (const Bytef *)vc__verify_dict, (uInt)vc__verify_dict_len) ==
      Z_OK) {
    z->next_in = (Bytef *)(uintptr_t)in;
    z->avail_in = (uInt)n;
    z->next_out = out;
    z->avail_out = (uInt)cap;
    if (deflate(z, Z_FINISH) == Z_STREAM_END) len = cap - z->avail_out;
  }
  z_give(z);
  return len;
}

size_t vc__verify_inflate(const unsigned char *in, size_t n, unsigned char *out, size_t cap,
                          char *why, size_t whylen) {
  z_stream z;
  memset(&z, 0, sizeof z);
  if (inflateInit2(&z, -15) != Z_OK) {
    snprintf(why, whylen, "%s", _("out of memory"));
    return SIZE_MAX;
  }
  size_t len = SIZE_MAX;
  int rc = inflateSetDictionary(&z, (const Bytef *)vc__verify_dict, (uInt)vc__verify_dict_len);
  if (rc == Z_OK) {
    z.next_in = (Bytef *)(uintptr_t)in;
    z.avail_in = (uInt)n;
    z.next_out = out;
    z.avail_out = (uInt)cap;
    rc = inflate(&z, Z_FINISH);
    if (rc == Z_STREAM_END && z.avail_in == 0) len = cap - z.avail_out;
    else if (rc == Z_STREAM_END) snprintf(why, whylen, "%s", _("bytes follow the compressed values"));
    else if (z.avail_out == 0) snprintf(why, whylen, _("the values inflate beyond %zu bytes"), cap);
    else snprintf(why, whylen, "%s", _("the compressed values are broken or cut short"));
  } else {
    snprintf(why, whylen, "%s", _("the DEFLATE dictionary was refused"));
  }
  inflateEnd(&z);
  return len;
}

void vc__verify_digits(const unsigned char *p, size_t n, char *out) {
  size_t o = 0;
  for (size_t i = 0; i < n; i += 7) {
    size_t k = n - i < 7 ? n - i : 7;
    unsigned long long v = 0;
    for (size_t j = 0; j < k; j++) v = v << 8 | p[i + j];
    o += (size_t)sprintf(out + o, "%0*llu", GROUP_DIGITS[k], v);
  }
  out[o] = '\0';
}

size_t vc__verify_undigits(const char *s, size_t len, unsigned char *out, char *why,
                           size_t whylen) {
  if (len > VC__VERIFY_DIGITS_MAX) {
    snprintf(why, whylen, _("%zu digits: more than the %d a payload has"), len,
             VC__VERIFY_DIGITS_MAX);
    return SIZE_MAX;
  }
  size_t last = 0; /* bytes of the last group, from len mod 17 */
  while (last < 7 && GROUP_DIGITS[last] != (int)(len % 17)) last++;
  if (last == 7) {
    snprintf(why, whylen, _("%zu digits is not the length of a payload (section 4)"), len);
    return SIZE_MAX;
  }
  size_t o = 0;
  for (size_t i = 0; i < len;) {
    size_t k = len - i >= 17 ? 7 : last, nd = (size_t)GROUP_DIGITS[k];
    unsigned long long v = 0;
    for (size_t j = 0; j < nd; j++) {
      char c = s[i + j];
      if (c < '0' || c > '9') {
        snprintf(why, whylen, _("a character that is not a digit at position %zu"), i + j + 1);
        return SIZE_MAX;
      }
      v = v * 10 + (unsigned)(c - '0'); /* 17 digits < 2^64 */
    }
    if (v >> (8 * k) != 0) {
      snprintf(why, whylen, _("the group of digits at position %zu is too large"), i + 1);
      return SIZE_MAX;
    }
    for (size_t j = 0; j < k; j++) out[o + j] = (unsigned char)(v >> (8 * (k - 1 - j)));
    o += k;
    i += nd;
  }
  return o;
}

bool vc_verify_fits(const vc_verify_values_t *v, char *why, size_t whylen) {
  unsigned char body[VC__VERIFY_BODY_MAX], z[VC__VERIFY_PAYLOAD_MAX];
  size_t blen = vc__verify_body_raw(v, body); /* vc_verify_prepare checked them */
  /* DEFLATE never grows data by more than its stored blocks' 5 bytes per
   * 16 KiB (and one for the end): the usual case needs no compressing */
  if (blen + 16 <= sizeof z - VC__VERIFY_HEAD) return true;
  if (vc__verify_deflate(body, blen, z, sizeof z - VC__VERIFY_HEAD)) return true;
  snprintf(why, whylen, _("the values do not fit in a payload of %d bytes: shorten them"),
           VC__VERIFY_PAYLOAD_MAX);
  return false;
}

char *vc_signer_url(const vc_signer_t *s, const char *base, vc_verify_values_t *v,
                    char *why, size_t whylen) {
  unsigned char body[VC__VERIFY_BODY_MAX], msg[VC__VERIFY_BODY_MAX + 32];
  unsigned char pay[VC__VERIFY_PAYLOAD_MAX];
  snprintf(v->key_id, sizeof v->key_id, "%s", vc_signer_key_id(s));
  size_t blen = vc__verify_body(v, body, why, whylen);
  if (!blen) return NULL;
  size_t mlen = vc__verify_message(body, blen, v->key_id, msg);
  pay[0] = VC__VERIFY_VERSION;
  vc__signer_sign(s, msg, mlen, pay + 5, pay + 1);
  size_t zlen = vc__verify_deflate(body, blen, pay + VC__VERIFY_HEAD,
                                   sizeof pay - VC__VERIFY_HEAD);
  if (!zlen) {
    snprintf(why, whylen, _("the values do not fit in a payload of %d bytes"),
             VC__VERIFY_PAYLOAD_MAX);
    return NULL;
  }
  size_t plen = VC__VERIFY_HEAD + zlen, blen2 = strlen(base);
  char *url = malloc(blen2 + 1 + plen / 7 * 17 + 18);
  if (!url) {
    snprintf(why, whylen, "%s", _("out of memory"));
    return NULL;
  }
  memcpy(url, base, blen2);
  url[blen2] = '#';
  vc__verify_digits(pay, plen, url + blen2 + 1);
  return url;
}

/* ---- the QR code: a payload's URL as modules, from libqrencode (error
 * correction M, the smallest version that holds it), for the renderer to
 * draw as vector paths ---- */

vc_qr_t *vc_qr_encode(const char *text, char *why, size_t whylen) {
  /* version 0: the smallest that holds it; 8-bit hint with case kept, so
   * libqrencode splits the digits into a numeric segment itself */
  QRcode *c = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  if (!c) {
    snprintf(why, whylen, "%s", errno == ERANGE ? _("the text does not fit in a QR code")
                                                : _("the QR encoder failed"));
    return NULL;
  }
  vc_qr_t *q = malloc(sizeof *q);
  size_t n = (size_t)c->width * (size_t)c->width;
  unsigned char *dark = q ? malloc(n) : NULL;
  if (!dark) {
    free(q);
    QRcode_free(c);
    snprintf(why, whylen, "%s", _("out of memory"));
    return NULL;
  }
  for (size_t i = 0; i < n; i++) dark[i] = c->data[i] & 1; /* bit 0: dark */
  q->width = c->width;
  q->version = c->version;
  q->dark = dark;
  QRcode_free(c);
  return q;
}

void vc_qr_free(vc_qr_t *q) {
  if (!q) return;
  free(q->dark);
  free(q);
}
