/*
 * money.c - parsing, formatting and reading Vietnamese amounts (see money.h
 * and ../shared/notes/vietnamese-conventions.md).
 *
 * No locale-dependent call touches a number: digits are produced and read by
 * hand, so output is the same under any LC_NUMERIC.
 */
#include "core/money.h"

#include <stdio.h>
#include <string.h>

#include "core/core-private.h"

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* Currency suffixes accepted after the number, compared case-insensitively
 * (ASCII letters, and Đ/đ): đ, VNĐ, VND, ₫. */
static bool suffix_ok(const char *p) {
  char low[16];
  size_t k = 0;
  for (; *p; p++) {
    if (k + 2 >= sizeof low) return false;
    unsigned char c = (unsigned char)*p;
    if (c >= 'A' && c <= 'Z') c = (unsigned char)(c + 32);
    /* Đ is C4 90, đ is C4 91. */
    if (c == 0x90 && k > 0 && (unsigned char)low[k - 1] == 0xC4) c = 0x91;
    low[k++] = (char)c;
  }
  low[k] = '\0';
  return !strcmp(low, "\xc4\x91") || !strcmp(low, "vn\xc4\x91") ||
         !strcmp(low, "vnd") || !strcmp(low, "\xe2\x82\xab");
}

bool vc_money_parse(const char *s, uint64_t *out, char *why, size_t whylen) {
  if (!s || !*s) return vc__why_fail(why, whylen, "empty amount");
  if (*s == '-') return vc__why_fail(why, whylen, "negative amount");
  if (*s == '+') return vc__why_fail(why, whylen, "amount starts with '+'");
  if (!is_digit(*s))
    return vc__why_fail(why, whylen, "not an amount in digits (e.g. 5.000.000)");

  const char *p = s;
  char sep = 0;       /* the one separator kind of this amount, if any */
  size_t group = 0;   /* digits in the current group */
  size_t ngroups = 1; /* groups seen so far */
  uint64_t v = 0;
  for (; is_digit(*p) || *p == '.' || *p == ','; p++) {
    if (is_digit(*p)) {
      unsigned d = (unsigned)(*p - '0');
      if (v > (VC_MONEY_MAX - d) / 10)
        return vc__why_fail(why, whylen, "amount too large (above 999.999.999.999.999.999)");
      v = v * 10 + d;
      group++;
      if (sep && group > 3)
        return vc__why_fail(why, whylen, "groups after a separator must have 3 digits");
      continue;
    }
    if (sep && *p != sep)
      return vc__why_fail(why, whylen, "mixes '.' and ',' separators");
    if (group == 0)
      return vc__why_fail(why, whylen, "misplaced separator '%c'", *p);
    if (ngroups == 1 && group > 3)
      return vc__why_fail(why, whylen, "first group before '%c' has more than 3 digits", *p);
    if (ngroups > 1 && group != 3)
      return vc__why_fail(why, whylen, "groups after a separator must have 3 digits");
    sep = *p;
    group = 0;
    ngroups++;
  }
  if (group == 0) return vc__why_fail(why, whylen, "amount ends with a separator");
  if (sep && group != 3) /* "5.000,5", "5,5", "5.000.00" */
    return vc__why_fail(why, whylen,
                "decimals or a short last group (VND amounts have no decimals)");
  /* A leading zero ("05.000") suggests a code or a typo, not an amount. */
  if (s[0] == '0' && p - s > 1)
    return vc__why_fail(why, whylen, "amount has a leading zero");

  if (*p) {
    const char *q = p;
    if (*q == ' ') q++;
    if (!*q || !suffix_ok(q))
      return vc__why_fail(why, whylen, "unexpected text after the amount "
                               "(allowed: đ, VNĐ, VND, ₫)");
  }
  if (out) *out = v;
  return true;
}

bool vc_money_format(uint64_t v, vc_money_suffix_t sfx, char *out, size_t outlen) {
  char rev[32]; /* digits and dots, least significant first */
  size_t k = 0;
  int n = 0;
  do {
    if (n && n % 3 == 0) rev[k++] = '.';
    rev[k++] = (char)('0' + v % 10);
    v /= 10;
    n++;
  } while (v);
  const char *suffix = sfx == VC_MONEY_SUFFIX_D     ? " \xc4\x91"
                       : sfx == VC_MONEY_SUFFIX_VND  ? " VN\xc4\x90"
                       : sfx == VC_MONEY_SUFFIX_DONG ? " \xe2\x82\xab"
                                                     : "";
  size_t sl = strlen(suffix);
  if (!out || outlen < k + sl + 1) {
    if (out && outlen) out[0] = '\0';
    return false;
  }
  for (size_t i = 0; i < k; i++) out[i] = rev[k - 1 - i];
  memcpy(out + k, suffix, sl + 1);
  return true;
}

/* ------------------------------------------------------------------ words */

typedef struct {
  char *out;
  size_t len, cap;
  bool ok;
} sink_t;

/* Appends a word, with a space before it unless it is the first. */
static void put(sink_t *k, const char *w) {
  size_t wl = strlen(w), need = wl + (k->len ? 1 : 0);
  if (!k->ok || k->len + need + 1 > k->cap) {
    k->ok = false;
    return;
  }
  if (k->len) k->out[k->len++] = ' ';
  memcpy(k->out + k->len, w, wl + 1);
  k->len += wl;
}

static const char *const DIGIT[10] = {
    "không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"};

/* Reads one group of three digits h t u.  full: read the hundreds even when
 * h == 0 ("không trăm"), as every group after the leading one is. */
static void read_group(sink_t *k, unsigned g, bool full, unsigned flags) {
  unsigned h = g / 100, t = g / 10 % 10, u = g % 10;
  bool hundreds = full || h > 0;
  if (hundreds) {
    put(k, DIGIT[h]);
    put(k, "trăm");
  }
  if (t == 0) {
    if (u == 0) return;
    /* Zero tens before a unit; a lone leading unit ("năm") has none. */
    if (hundreds) put(k, flags & VC_WORDS_LE ? "lẻ" : "linh");
    put(k, DIGIT[u]); /* after linh: một, bốn, năm stay as they are */
    return;
  }
  if (t == 1) {
    put(k, "mười");
    if (u == 5) put(k, "lăm");
    else if (u) put(k, DIGIT[u]); /* mười một, mười bốn */
    return;
  }
  put(k, DIGIT[t]);
  put(k, "mươi");
  if (u == 1) put(k, "mốt");
  else if (u == 4) put(k, flags & VC_WORDS_BON ? "bốn" : "tư");
  else if (u == 5) put(k, "lăm");
  else if (u) put(k, DIGIT[u]);
}

bool vc_money_words(uint64_t v, unsigned flags, char *out, size_t outlen) {
  sink_t k = {out, 0, outlen, out && outlen};
  if (k.ok) out[0] = '\0';
  if (v > VC_MONEY_MAX) k.ok = false;
  if (!k.ok) return false;
  if (v == 0) {
    put(&k, "không");
    return k.ok;
  }
  const char *nghin = flags & VC_WORDS_NGAN ? "ngàn" : "nghìn";
  const char *ty = flags & VC_WORDS_TI ? "tỉ" : "tỷ";
  /* Six groups of three digits, g[5] the highest.  Above tỷ the amount is a
   * count of tỷ read with its own triệu/nghìn: 10^12 = một nghìn tỷ,
   * 10^15 = một triệu tỷ, 1.001.000.000.000 = một nghìn không trăm linh
   * một tỷ. */
  unsigned g[6];
  uint64_t r = v;
  for (int i = 0; i < 6; i++) g[i] = (unsigned)(r % 1000), r /= 1000;
  const char *scale[6] = {NULL, nghin, "triệu", NULL, nghin, "triệu"};
  bool started = false;
  for (int i = 5; i >= 0; i--) {
    if (g[i]) {
      read_group(&k, g[i], started, flags);
      if (scale[i]) put(&k, scale[i]);
      started = true;
    }
    if (i == 3 && (g[5] || g[4] || g[3])) put(&k, ty);
  }
  if (!k.ok) out[0] = '\0';
  return k.ok;
}

bool vc_money_words_dong(uint64_t v, unsigned flags, char *out, size_t outlen) {
  if (!vc_money_words(v, flags, out, outlen)) return false;
  /* Every reading starts with không/một/hai/ba/bốn/năm/sáu/bảy/tám/chín/
   * mười: the first letter is always ASCII. */
  if (out[0] >= 'a' && out[0] <= 'z') out[0] = (char)(out[0] - 32);
  sink_t k = {out, strlen(out), outlen, true};
  put(&k, "đồng");
  if (v > 0 && v % 1000 == 0) put(&k, "chẵn");
  if (!k.ok) out[0] = '\0';
  return k.ok;
}
