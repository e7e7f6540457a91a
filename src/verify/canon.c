/*
 * canon.c - the canonical form of format v1 (docs/verify.md section 2): the
 * values a certificate signs, their rules, BODY and MESSAGE.  One set of
 * values gives one byte string; the verifier's parser refuses anything the
 * signer could not have written, so two payloads never show the same text
 * for different signed bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "core/date.h"
#include "core/i18n.h"
#include "core/text.h"
#include "verify/verify-private.h"

/* Unsigned LEB128 of n (< 16384 here) into out; its length (1 or 2). */
static size_t leb_put(size_t n, unsigned char *out) {
  size_t k = 0;
  do {
    unsigned char b = (unsigned char)(n & 0x7F);
    n >>= 7;
    out[k++] = (unsigned char)(b | (n ? 0x80 : 0));
  } while (n);
  return k;
}

/* Reads a shortest-form LEB128 number of at most 2 bytes at b[*pos]; false
 * when cut short, longer, or not the shortest form. */
static bool leb_get(const unsigned char *b, size_t n, size_t *pos, size_t *val) {
  if (*pos >= n) return false;
  unsigned char b0 = b[(*pos)++];
  if (!(b0 & 0x80)) {
    *val = b0;
    return true;
  }
  if (*pos >= n) return false;
  unsigned char b1 = b[(*pos)++];
  if (b1 & 0x80 || b1 == 0) return false; /* 3 bytes, or not the shortest */
  *val = (size_t)(b0 & 0x7F) | (size_t)b1 << 7;
  return true;
}

/* The checks of vc__verify_text_ok; value: also those of a signed value
 * (vc__verify_value_ok): no format character but ZWNJ/ZWJ, and the
 * signer's cleaning (vc_text_clean) changes nothing. */
static bool text_check(const char *s, size_t max_chars, const char *field, bool value,
                       char *why, size_t whylen) {
  size_t n = strlen(s), chars = 0;
  if (!vc_utf8_valid(s, n, NULL)) {
    snprintf(why, whylen, _("the %s is not valid UTF-8"), _(field));
    return false;
  }
  for (size_t i = 0; i < n;) {
    int32_t cp;
    i += vc_utf8_decode(s + i, n - i, &cp);
    chars++;
    utf8proc_category_t c = utf8proc_category(cp);
    if (c == UTF8PROC_CATEGORY_CC) {
      snprintf(why, whylen, _("the %s holds a control character (U+%04X)"), _(field),
               (unsigned)cp);
      return false;
    }
    /* bidi controls (U+202E), zero-width spaces, soft hyphens: invisible,
     * they would make two values look alike; ZWNJ/ZWJ shape some scripts */
    if (value && c == UTF8PROC_CATEGORY_CF && cp != 0x200C && cp != 0x200D) {
      snprintf(why, whylen, _("the %s holds an invisible format character (U+%04X)"), _(field),
               (unsigned)cp);
      return false;
    }
  }
  if (chars > max_chars) {
    snprintf(why, whylen, _("the %s has %zu characters (at most %zu)"), _(field), chars,
             max_chars);
    return false;
  }
  /* Vietnamese text is nearly always characters NFC cannot change: the
   * fast path says so without allocating (this runs for every record) */
  char fast[256];
  if (n <= sizeof fast && vc_text_clean_fast(s, n, fast) == n && !memcmp(fast, s, n))
    return true;
  char *norm = value ? vc_text_clean(s, n) : vc_text_nfc(s, n);
  bool same = norm && strcmp(norm, s) == 0;
  free(norm);
  if (!same && value)
    snprintf(why, whylen, _("the %s is not as the signer writes it (NFC, single spaces, none "
             "at either end)"), _(field));
  else if (!same)
    snprintf(why, whylen, _("the %s is not in Unicode NFC"), _(field));
  return same;
}

bool vc__verify_text_ok(const char *s, size_t max_chars, const char *field, char *why,
                        size_t whylen) {
  return text_check(s, max_chars, field, false, why, whylen);
}

bool vc__verify_value_ok(const char *s, size_t max_chars, const char *field, char *why,
                         size_t whylen) {
  return text_check(s, max_chars, field, true, why, whylen);
}

/* YYYY-MM-DD exactly, a real date (vc_date_valid). */
static bool date_ok(const char *s) {
  if (strlen(s) != 10 || s[4] != '-' || s[7] != '-') return false;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return false;
  vc_date_t d = {atoi(s), atoi(s + 5), atoi(s + 8)};
  return vc_date_valid(d);
}

/* Empty, or 1 to VC_VERIFY_AMOUNT_MAX digits without a leading zero. */
static bool amount_ok(const char *s) {
  size_t n = strlen(s);
  if (n == 0) return true;
  if (n > VC_VERIFY_AMOUNT_MAX || (s[0] == '0' && n > 1)) return false;
  for (size_t i = 0; i < n; i++)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

/* Every rule of section 2 on v; false with why. */
static bool values_ok(const vc_verify_values_t *v, char *why, size_t whylen) {
  if (strlen(v->serial) > VC_VERIFY_SERIAL_MAX) {
    snprintf(why, whylen, _("the serial is longer than %d bytes"), VC_VERIFY_SERIAL_MAX);
    return false;
  }
  if (!vc__verify_value_ok(v->serial, SIZE_MAX, N_("serial"), why, whylen) ||
      !vc__verify_value_ok(v->name, VC_VERIFY_NAME_MAX, N_("name"), why, whylen) ||
      !vc__verify_value_ok(v->award, VC_VERIFY_AWARD_MAX, N_("award"), why, whylen))
    return false;
  if (!amount_ok(v->amount)) {
    snprintf(why, whylen, _("the amount is not a whole number of đồng (at most %d digits)"),
             VC_VERIFY_AMOUNT_MAX);
    return false;
  }
  if (!date_ok(v->date)) {
    snprintf(why, whylen, "%s", _("the date of issue is not a date written YYYY-MM-DD"));
    return false;
  }
  return true;
}

/* The five values of BODY in their order (section 2). */
static void body_fields(const vc_verify_values_t *v, const char *f[5]) {
  f[0] = v->serial, f[1] = v->name, f[2] = v->award, f[3] = v->amount, f[4] = v->date;
}

size_t vc__verify_body(const vc_verify_values_t *v, unsigned char *out, char *why,
                       size_t whylen) {
  return values_ok(v, why, whylen) ? vc__verify_body_raw(v, out) : 0;
}

size_t vc__verify_body_raw(const vc_verify_values_t *v, unsigned char *out) {
  const char *f[5];
  body_fields(v, f);
  size_t k = 0;
  for (int i = 0; i < 5; i++) { /* each value is capped far below the room */
    size_t n = strlen(f[i]);
    k += leb_put(n, out + k);
    memcpy(out + k, f[i], n);
    k += n;
  }
  return k;
}

bool vc__verify_body_parse(const unsigned char *b, size_t n, vc_verify_values_t *v,
                           char *why, size_t whylen) {
  char *dst[5] = {v->serial, v->name, v->award, v->amount, v->date};
  const size_t room[5] = {sizeof v->serial, sizeof v->name, sizeof v->award,
                          sizeof v->amount, sizeof v->date};
  size_t pos = 0;
  for (int i = 0; i < 5; i++) {
    size_t len;
    if (!leb_get(b, n, &pos, &len) || len > n - pos) {
      snprintf(why, whylen, "%s", _("the signed values are cut short or badly framed"));
      return false;
    }
    if (len >= room[i] || memchr(b + pos, 0, len)) {
      snprintf(why, whylen, "%s", _("a signed value is too long or holds a NUL byte"));
      return false;
    }
    memcpy(dst[i], b + pos, len);
    dst[i][len] = '\0';
    pos += len;
  }
  if (pos != n) {
    snprintf(why, whylen, "%s", _("bytes follow the signed values"));
    return false;
  }
  return values_ok(v, why, whylen);
}

size_t vc__verify_message(const unsigned char *body, size_t body_len,
                          const char key_id[VC_VERIFY_KEYID_LEN], unsigned char *out) {
  memcpy(out, VC__VERIFY_TAG, VC__VERIFY_TAG_LEN); /* with its NUL */
  memcpy(out + VC__VERIFY_TAG_LEN, body, body_len);
  size_t k = VC__VERIFY_TAG_LEN + body_len;
  out[k++] = 8;
  memcpy(out + k, key_id, 8);
  return k + 8;
}

/* Is cp a combining mark (kept with the letter before it)? */
static bool is_mark(int32_t cp) {
  utf8proc_category_t c = utf8proc_category(cp);
  return c == UTF8PROC_CATEGORY_MN || c == UTF8PROC_CATEGORY_MC || c == UTF8PROC_CATEGORY_ME;
}

/* The shortening rule of section 2 on a cleaned s: at most limit
 * characters, "…" ending a shortened one.  Writes into out (outsz bytes,
 * room for limit * 4 + 1); true when it shortened. */
static bool shorten(const char *s, size_t limit, char *out, size_t outsz) {
  size_t n = strlen(s), chars = 0, keep = 0, space = 0, space_at = 0;
  for (size_t i = 0; i < n; chars++) { /* find the byte end of limit-1 chars */
    int32_t cp;
    size_t k = vc_utf8_decode(s + i, n - i, &cp);
    if (chars == limit - 1) keep = i;
    if (cp == ' ' && chars < limit - 1) space = i, space_at = chars;
    i += k ? k : 1;
  }
  if (chars <= limit) {
    snprintf(out, outsz, "%s", s);
    return false;
  }
  size_t end = keep;
  if (space && space_at >= limit / 2) {
    end = space;
  } else {
    for (;;) { /* not between a letter and its combining mark */
      int32_t cp;
      if (end == 0 || !vc_utf8_decode(s + end, n - end, &cp) || !is_mark(cp)) break;
      do end--; while (end > 0 && ((unsigned char)s[end] & 0xC0) == 0x80);
    }
  }
  while (end > 0 && s[end - 1] == ' ') end--;
  snprintf(out, outsz, "%.*s…", (int)end, s);
  return true;
}

/* A raw value cleaned (NFC, white space) and, with a limit, shortened into
 * out (room for limit * 4 + 4 bytes); false with why.  Runs for every
 * record: the usual value takes the allocation-free path. */
static bool clean_into(const char *raw, const char *field, char *out, size_t outsz,
                       size_t limit, bool *cut, char *why, size_t whylen) {
  char stack[1024], *heap = NULL;
  const char *c = stack;
  size_t n = strlen(raw ? raw : ""), k;
  if (n < sizeof stack && (k = vc_text_clean_fast(raw ? raw : "", n, stack)) != SIZE_MAX)
    stack[k] = '\0';
  else if (!(c = heap = vc_text_clean(raw, n))) {
    snprintf(why, whylen, _("the %s is not valid UTF-8"), _(field));
    return false;
  }
  bool ok = true;
  *cut = false;
  if (limit) *cut = shorten(c, limit, out, outsz);
  else if (strlen(c) < outsz) memcpy(out, c, strlen(c) + 1);
  else ok = (snprintf(why, whylen, _("the %s is too long"), _(field)), false);
  free(heap);
  return ok;
}

bool vc_verify_prepare(const char *serial, const char *name, const char *award,
                       const char *amount, const char *date, vc_verify_values_t *v,
                       unsigned *shortened, char *why, size_t whylen) {
  bool cut_name = false, cut_award = false, no;
  memset(v, 0, sizeof *v);
  *shortened = 0;
  if (!clean_into(serial, N_("serial"), v->serial, sizeof v->serial, 0, &no, why, whylen) ||
      !clean_into(name, N_("name"), v->name, sizeof v->name, VC_VERIFY_NAME_MAX, &cut_name, why,
                  whylen) ||
      !clean_into(award, N_("award"), v->award, sizeof v->award, VC_VERIFY_AWARD_MAX, &cut_award,
                  why, whylen) ||
      !clean_into(amount, N_("amount"), v->amount, sizeof v->amount, 0, &no, why, whylen) ||
      !clean_into(date, N_("date"), v->date, sizeof v->date, 0, &no, why, whylen))
    return false;
  *shortened = (cut_name ? VC_VERIFY_SHORT_NAME : 0) | (cut_award ? VC_VERIFY_SHORT_AWARD : 0);
  return values_ok(v, why, whylen);
}
