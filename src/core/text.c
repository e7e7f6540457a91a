/*
 * text.c - UTF-8 validation, NFC, white space, case mapping and folding
 * (see text.h).
 *
 * Every transformation runs one pipeline: validate -> per-code-point mapping
 * (case, đ) -> canonical decomposition -> optional removal of Mn marks ->
 * canonical composition -> output pass (white-space collapse or key
 * separators).  utf8proc does the Unicode work; pure-ASCII input skips it,
 * since ASCII is already NFC and maps case within ASCII.
 */
#include "core/text.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "core/core-private.h"
#include "core/i18n.h"

/* ---------------------------------------------------------------- UTF-8 */

size_t vc_utf8_decode(const char *s, size_t n, int32_t *cp) {
  const unsigned char *u = (const unsigned char *)s;
  if (!s || n == 0) return 0;
  unsigned c = u[0];
  if (c < 0x80) {
    if (cp) *cp = (int32_t)c;
    return 1;
  }
  size_t len;
  uint32_t v;
  /* C0, C1 and F5..FF can only start overlongs or values above U+10FFFF. */
  if (c >= 0xC2 && c <= 0xDF) len = 2, v = c & 0x1F;
  else if (c >= 0xE0 && c <= 0xEF) len = 3, v = c & 0x0F;
  else if (c >= 0xF0 && c <= 0xF4) len = 4, v = c & 0x07;
  else return 0;
  if (n < len) return 0;
  for (size_t i = 1; i < len; i++) {
    if ((u[i] & 0xC0) != 0x80) return 0;
    v = (v << 6) | (u[i] & 0x3F);
  }
  if (len == 3 && (v < 0x800 || (v >= 0xD800 && v <= 0xDFFF))) return 0;
  if (len == 4 && (v < 0x10000 || v > 0x10FFFF)) return 0;
  if (cp) *cp = (int32_t)v;
  return len;
}

bool vc_utf8_valid(const char *s, size_t n, size_t *bad_off) {
  size_t i = 0;
  while (i < n) {
    /* eight ASCII bytes at a time: whole files are checked with this */
    while (i + 8 <= n) {
      uint64_t w;
      memcpy(&w, s + i, 8);
      if (w & 0x8080808080808080u) break;
      i += 8;
    }
    if (i >= n) break;
    unsigned char b = (unsigned char)s[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    /* the common two- and three-byte forms inline (E1-EC cannot be
     * overlong or surrogates) */
    if (b >= 0xC2 && b <= 0xDF && i + 1 < n && ((unsigned char)s[i + 1] & 0xC0) == 0x80) {
      i += 2;
      continue;
    }
    if (b >= 0xE1 && b <= 0xEC && i + 2 < n && ((unsigned char)s[i + 1] & 0xC0) == 0x80 &&
        ((unsigned char)s[i + 2] & 0xC0) == 0x80) {
      i += 3;
      continue;
    }
    size_t k = vc_utf8_decode(s + i, n - i, NULL);
    if (k == 0) {
      if (bad_off) *bad_off = i;
      return false;
    }
    i += k;
  }
  return true;
}

size_t vc_utf8_encode(int32_t cp, char *out) {
  unsigned char *o = (unsigned char *)out;
  if (cp < 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
    cp = 0xFFFD; /* visible in the output rather than silently dropped */
  uint32_t v = (uint32_t)cp;
  if (v < 0x80) {
    o[0] = (unsigned char)v;
    return 1;
  }
  if (v < 0x800) {
    o[0] = (unsigned char)(0xC0 | (v >> 6));
    o[1] = (unsigned char)(0x80 | (v & 0x3F));
    return 2;
  }
  if (v < 0x10000) {
    o[0] = (unsigned char)(0xE0 | (v >> 12));
    o[1] = (unsigned char)(0x80 | ((v >> 6) & 0x3F));
    o[2] = (unsigned char)(0x80 | (v & 0x3F));
    return 3;
  }
  o[0] = (unsigned char)(0xF0 | (v >> 18));
  o[1] = (unsigned char)(0x80 | ((v >> 12) & 0x3F));
  o[2] = (unsigned char)(0x80 | ((v >> 6) & 0x3F));
  o[3] = (unsigned char)(0x80 | (v & 0x3F));
  return 4;
}

size_t vc_utf8_len(const char *s) {
  size_t k = 0;
  if (!s) return 0;
  for (const unsigned char *u = (const unsigned char *)s; *u; u++)
    if ((*u & 0xC0) != 0x80) k++;
  return k;
}

/* ------------------------------------------------------ character classes */

/* Unicode White_Space (PropList.txt): a fixed list of 25 code points. */
static bool is_ws(int32_t c) {
  if (c == 0x20 || (c >= 0x09 && c <= 0x0D)) return true;
  if (c < 0x85) return false;
  return c == 0x85 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) ||
         c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

static bool is_letter(int32_t c) {
  if (c < 0x80) return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
  utf8proc_category_t k = utf8proc_category(c);
  return k >= UTF8PROC_CATEGORY_LU && k <= UTF8PROC_CATEGORY_LO;
}

static bool is_number(int32_t c) {
  if (c < 0x80) return c >= '0' && c <= '9';
  utf8proc_category_t k = utf8proc_category(c);
  return k >= UTF8PROC_CATEGORY_ND && k <= UTF8PROC_CATEGORY_NO;
}

/* Part of a header key: letters, numbers, and the spacing/enclosing marks
 * left after Mn removal (they belong to the letter before them). */
static bool is_key_char(int32_t c) {
  if (is_letter(c) || is_number(c)) return true;
  if (c < 0x80) return false;
  utf8proc_category_t k = utf8proc_category(c);
  return k >= UTF8PROC_CATEGORY_MN && k <= UTF8PROC_CATEGORY_ME;
}

static int32_t to_upper(int32_t c) {
  if (c < 0x80) return (c >= 'a' && c <= 'z') ? c - 32 : c;
  return utf8proc_toupper(c);
}

static int32_t to_lower(int32_t c) {
  if (c < 0x80) return (c >= 'A' && c <= 'Z') ? c + 32 : c;
  return utf8proc_tolower(c);
}

/* Title case rather than upper for a word's first letter: differs only for
 * digraphs such as U+01C6 (-> U+01C5, not U+01C4). */
static int32_t to_title(int32_t c) {
  if (c < 0x80) return to_upper(c);
  return utf8proc_totitle(c);
}

/* ------------------------------------------------------ per-code-point map */

typedef enum {
  MAP_NONE,
  MAP_UPPER,
  MAP_LOWER,
  MAP_TITLE,    /* first letter of each white-space word title, rest lower */
  MAP_CAPFIRST, /* first letter of the string title, rest unchanged */
  MAP_FOLD,     /* lower, then đ -> d */
  MAP_DD        /* đ -> d, Đ -> D (no case change) */
} map_mode_t;

typedef struct {
  map_mode_t mode;
  bool seen; /* TITLE: a letter/digit was seen in this word; CAPFIRST: in s */
} map_state_t;

/* Applied to each input code point before decomposition (so it sees
 * precomposed letters when the input has them, base letters otherwise). */
static int32_t map_cp(int32_t c, void *data) {
  map_state_t *st = data;
  switch (st->mode) {
  case MAP_NONE: return c;
  case MAP_UPPER: return to_upper(c);
  case MAP_LOWER: return to_lower(c);
  case MAP_TITLE:
    if (is_ws(c)) {
      st->seen = false;
      return c;
    }
    if (is_letter(c)) {
      bool first = !st->seen;
      st->seen = true;
      return first ? to_title(c) : to_lower(c);
    }
    if (is_number(c)) st->seen = true; /* "3a" stays "3a" */
    return c;
  case MAP_CAPFIRST:
    if (st->seen) return c;
    if (is_letter(c)) {
      st->seen = true;
      return to_title(c);
    }
    if (is_number(c)) st->seen = true;
    return c;
  case MAP_FOLD:
    c = to_lower(c);
    return c == 0x111 ? 'd' : c;
  case MAP_DD:
    return c == 0x111 ? 'd' : c == 0x110 ? 'D' : c;
  }
  return c;
}

/* utf8proc's callback type uses its own int32 typedef. */
static utf8proc_int32_t map_cb(utf8proc_int32_t c, void *data) {
  return map_cp(c, data);
}

/* ------------------------------------------------------------ output pass */

typedef enum {
  WS_KEEP,     /* output as is */
  WS_COLLAPSE, /* trim, runs of White_Space -> one ' ' */
  WS_KEY       /* trim, runs of non-key characters -> one '_' */
} ws_mode_t;

typedef struct {
  char *out; /* caller-sized: 4 bytes per code point + 1 */
  size_t len;
  ws_mode_t ws;
  bool pending; /* a separator is owed before the next kept character */
} emitter_t;

static void emit(emitter_t *e, int32_t c) {
  if (e->ws != WS_KEEP) {
    bool sep = e->ws == WS_COLLAPSE ? is_ws(c) : !is_key_char(c);
    if (sep) {
      e->pending = e->len > 0; /* nothing owed at the start: trims */
      return;
    }
    if (e->pending) e->out[e->len++] = e->ws == WS_COLLAPSE ? ' ' : '_';
    e->pending = false;
  }
  if (c < 0x80) e->out[e->len++] = (char)c;
  else e->len += vc_utf8_encode(c, e->out + e->len);
}

/* Shrinks the finished output to its length; the result is the caller's. */
static char *emit_finish(emitter_t *e) {
  e->out[e->len] = '\0';
  char *r = realloc(e->out, e->len + 1);
  return r ? r : e->out;
}

/* --------------------------------------------------------------- pipeline */

/* True for a code point that NFC leaves alone whatever surrounds it:
 * combining class 0, its own NFC, and never the second half of a
 * composition.  Covers Latin (with every precomposed Vietnamese letter),
 * general punctuation and currency signs, so ordinary Vietnamese values skip
 * utf8proc (the CSV reader's hot path).  U+2000/U+2001 (singletons) and the
 * combining marks from U+0300 are excluded; test_text.c checks every code
 * point of these ranges against utf8proc. */
static bool nfc_inert(int32_t c) {
  return c < 0x300 || (c >= 0x1E00 && c <= 0x1EFF) || (c >= 0x2010 && c <= 0x2027) ||
         (c >= 0x2030 && c <= 0x205E) || (c >= 0x20A0 && c <= 0x20C0);
}

/* Classifies s[0..n): -1 invalid UTF-8 or contains NUL (which a C string
 * cannot carry), 0 pure ASCII, 1 valid with non-ASCII. */
static int scan(const char *s, size_t n) {
  int r = 0;
  size_t i = 0;
  while (i < n) {
    unsigned char b = (unsigned char)s[i];
    if (b != 0 && b < 0x80) {
      i++;
      continue;
    }
    if (b == 0) return -1;
    size_t k = vc_utf8_decode(s + i, n - i, NULL);
    if (k == 0) return -1;
    r = 1;
    i += k;
  }
  return r;
}

/* Decomposes valid UTF-8 into a new UTF-32 buffer (NFD, map applied first);
 * stores the count in *len.  NULL on no memory or a utf8proc error. */
static int32_t *decompose(const char *s, size_t n, map_state_t *st,
                          size_t *len) {
  /* Canonical decomposition yields at most 1.5 code points per input byte;
   * the retry below only guards against a future Unicode surprise. */
  size_t cap = 2 * n + 4;
  map_mode_t mode = st->mode;
  for (int attempt = 0; attempt < 2; attempt++) {
    int32_t *buf = malloc(cap * sizeof *buf);
    if (!buf) return NULL;
    st->mode = mode;
    st->seen = false;
    utf8proc_ssize_t r = utf8proc_decompose_custom(
        (const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, buf,
        (utf8proc_ssize_t)cap, UTF8PROC_STABLE | UTF8PROC_DECOMPOSE, map_cb,
        st);
    if (r >= 0 && (size_t)r <= cap) {
      *len = (size_t)r;
      return buf;
    }
    free(buf);
    if (r < 0) return NULL;
    cap = (size_t)r + 1;
  }
  return NULL;
}

/* Fused validate + NFC check + white-space collapse for the common case
 * (see text.h).  Among nfc_inert code points the only non-ASCII White_Space
 * are U+0085 and U+00A0.  keep_ws: copy white space as is (NFC only). */
static size_t inert_pass(const char *s, size_t n, char *out, bool keep_ws) {
  const unsigned char *u = (const unsigned char *)s;
  size_t len = 0, i = 0;
  bool pending = false;
  while (i < n) {
    unsigned char b = u[i];
    if (b < 0x80) {
      if (b == 0) return SIZE_MAX;
      if (!keep_ws && (b == ' ' || (b >= 0x09 && b <= 0x0D))) {
        pending = len > 0; /* nothing owed at the start: trims */
        i++;
        continue;
      }
      if (pending) out[len++] = ' ';
      pending = false;
      out[len++] = (char)b;
      i++;
      continue;
    }
    int32_t c;
    size_t k;
    /* inline the usual two- and three-byte letters (E1-EC: no overlong or
     * surrogate to rule out); the rest through the full decoder */
    if (b >= 0xC2 && b <= 0xDF && i + 1 < n && (u[i + 1] & 0xC0) == 0x80) {
      k = 2;
      c = (int32_t)((b & 0x1Fu) << 6 | (u[i + 1] & 0x3Fu));
    } else if (b >= 0xE1 && b <= 0xEC && i + 2 < n && (u[i + 1] & 0xC0) == 0x80 &&
               (u[i + 2] & 0xC0) == 0x80) {
      k = 3;
      c = (int32_t)((b & 0x0Fu) << 12 | (u[i + 1] & 0x3Fu) << 6 | (u[i + 2] & 0x3Fu));
    } else {
      k = vc_utf8_decode(s + i, n - i, &c);
    }
    if (k == 0 || !nfc_inert(c)) return SIZE_MAX;
    if (!keep_ws && (c == 0x85 || c == 0xA0)) {
      pending = len > 0;
      i += k;
      continue;
    }
    if (pending) out[len++] = ' ';
    pending = false;
    memcpy(out + len, u + i, k);
    len += k;
    i += k;
  }
  return len;
}

size_t vc_text_clean_fast(const char *s, size_t n, char *out) {
  if (!s || !out) return n == 0 && out ? 0 : SIZE_MAX;
  return inert_pass(s, n, out, false);
}

/* The fast path as a new string: NULL when it does not apply (or no
 * memory: the slow path then fails the same way). */
static char *inert_string(const char *s, size_t n, bool keep_ws) {
  char *out = malloc(n + 1);
  if (!out) return NULL;
  size_t len = n ? inert_pass(s, n, out, keep_ws) : 0;
  if (len == SIZE_MAX) {
    free(out);
    return NULL;
  }
  out[len] = '\0';
  if (len + 64 < n) { /* give back a large saving only */
    char *r = realloc(out, len + 1);
    if (r) out = r;
  }
  return out;
}

/* The whole transformation; result is the caller's (free()), NULL on
 * invalid UTF-8, embedded NUL or no memory. */
static char *pipeline(const char *s, size_t n, map_mode_t mode, bool strip_mn,
                      ws_mode_t ws) {
  if (!s && n) return NULL;
  if (n > SIZE_MAX / 16) return NULL;
  int kind = scan(s, n);
  if (kind < 0) return NULL;
  map_state_t st = {mode, false};
  emitter_t e = {NULL, 0, ws, false};

  if (kind == 0) { /* ASCII: already NFC, no marks, case stays ASCII */
    e.out = malloc(n + 1);
    if (!e.out) return NULL;
    for (size_t i = 0; i < n; i++) emit(&e, map_cp((unsigned char)s[i], &st));
    return emit_finish(&e);
  }

  size_t len;
  int32_t *buf = decompose(s, n, &st, &len);
  if (!buf) return NULL;
  if (strip_mn) {
    size_t k = 0;
    for (size_t i = 0; i < len; i++)
      if (utf8proc_category(buf[i]) != UTF8PROC_CATEGORY_MN) buf[k++] = buf[i];
    len = k;
  }
  utf8proc_ssize_t r = utf8proc_normalize_utf32(
      buf, (utf8proc_ssize_t)len, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
  if (r < 0) {
    free(buf);
    return NULL;
  }
  len = (size_t)r;
  e.out = malloc(4 * len + 1);
  if (!e.out) {
    free(buf);
    return NULL;
  }
  for (size_t i = 0; i < len; i++) emit(&e, buf[i]);
  free(buf);
  return emit_finish(&e);
}

/* ------------------------------------------------------------- public API */

/* Both try the one-pass fast path first: most values are ASCII or
 * precomposed Vietnamese, already NFC. */
char *vc_text_clean(const char *s, size_t n) {
  char *r = s ? inert_string(s, n, false) : NULL;
  return r ? r : pipeline(s, n, MAP_NONE, false, WS_COLLAPSE);
}

char *vc_text_nfc(const char *s, size_t n) {
  char *r = s ? inert_string(s, n, true) : NULL;
  return r ? r : pipeline(s, n, MAP_NONE, false, WS_KEEP);
}

/* Same shape on purpose: each public function below is the pipeline with
 * its own choice of mapping, folding and white space. */
char *vc_text_upper(const char *s) {
  return s ? pipeline(s, strlen(s), MAP_UPPER, false, WS_KEEP) : NULL;
}

char *vc_text_lower(const char *s) {
  return s ? pipeline(s, strlen(s), MAP_LOWER, false, WS_KEEP) : NULL;
}

char *vc_text_title(const char *s) {
  return s ? pipeline(s, strlen(s), MAP_TITLE, false, WS_KEEP) : NULL;
}

char *vc_text_capfirst(const char *s) {
  return s ? pipeline(s, strlen(s), MAP_CAPFIRST, false, WS_KEEP) : NULL;
}

char *vc_text_fold_key(const char *s) {
  return s ? pipeline(s, strlen(s), MAP_FOLD, true, WS_KEY) : NULL;
}

char *vc_text_fold_search(const char *s) {
  return s ? pipeline(s, strlen(s), MAP_FOLD, true, WS_COLLAPSE) : NULL;
}

/* Whether w (n bytes) is a whole word of the name at or after *pos, the
 * first such (prefix: only its start); *pos moves past it.  Taking the
 * earliest word for each typed word never loses a match, so one pass
 * decides. */
static bool word_at(const char **pos, const char *w, size_t n, bool prefix) {
  for (const char *s = *pos; *s;) {
    const char *e = strchr(s, ' ');
    size_t len = e ? (size_t)(e - s) : strlen(s);
    if ((len == n || (prefix && len > n)) && !memcmp(s, w, n)) {
      *pos = s + len;
      return true;
    }
    s += len;
    while (*s == ' ') s++;
  }
  return false;
}

bool vc_text_words_match(const char *name, const char *typed) {
  const char *pos = name, *t = typed;
  bool any = false;
  while (*t) {
    while (*t == ' ') t++;
    if (!*t) break;
    const char *e = strchr(t, ' ');
    size_t n = e ? (size_t)(e - t) : strlen(t);
    bool last = !e || !e[strspn(e, " ")];
    if (!word_at(&pos, t, n, last)) return false;
    any = true;
    t += n;
  }
  return any;
}

char *vc_text_strip_marks(const char *s) {
  return s ? pipeline(s, strlen(s), MAP_DD, true, WS_KEEP) : NULL;
}

char *vc_text_dup_or_empty(const char *s) { return strdup(s ? s : ""); }

const char *vc_text_shorten(const char *s, char *buf, size_t buflen) {
  return strlen(s) < buflen ? s : vc_text_cut(s, SIZE_MAX, SIZE_MAX, "...", buf, buflen);
}

const char *vc_text_cut(const char *s, size_t max_bytes, size_t max_chars,
                        const char *mark, char *out, size_t outsz) {
  size_t ml = strlen(mark), i = 0, chars = 0;
  if (outsz <= ml) mark = "", ml = 0; /* no room for it: cut only */
  if (max_bytes > outsz - ml - 1) max_bytes = outsz - ml - 1;
  while (s[i] && chars < max_chars) {
    size_t k = 1; /* a character: its first byte and what continues it */
    while (((unsigned char)s[i + k] & 0xC0) == 0x80) k++;
    if (i + k > max_bytes) break;
    i += k, chars++;
  }
  memcpy(out, s, i);
  strcpy(out + i, s[i] ? mark : "");
  return out;
}

/* The optimal-string-alignment distance: a swap of two neighbours is one
 * edit ("alling" -> "align" is 2), as typos go.  Three rows of the table. */
size_t vc_text_edit_distance(const char *a, const char *b) {
  size_t la = strlen(a), lb = strlen(b), r0[65], r1[65], r2[65];
  size_t *prev2 = r0, *prev = r1, *cur = r2;
  if (la > 64 || lb > 64) return SIZE_MAX;
  for (size_t j = 0; j <= lb; j++) prev[j] = j;
  for (size_t i = 1; i <= la; i++) {
    cur[0] = i;
    int ai = vc_ascii_lower((unsigned char)a[i - 1]);
    for (size_t j = 1; j <= lb; j++) {
      int bj = vc_ascii_lower((unsigned char)b[j - 1]);
      size_t best = prev[j - 1] + (ai != bj);
      if (prev[j] + 1 < best) best = prev[j] + 1;
      if (cur[j - 1] + 1 < best) best = cur[j - 1] + 1;
      if (i > 1 && j > 1 && ai == vc_ascii_lower((unsigned char)b[j - 2]) &&
          vc_ascii_lower((unsigned char)a[i - 2]) == bj && prev2[j - 2] + 1 < best)
        best = prev2[j - 2] + 1;
      cur[j] = best;
    }
    size_t *t = prev2;
    prev2 = prev, prev = cur, cur = t;
  }
  return prev[lb];
}

/* ------------------------------------------------ locale-independent ASCII */

int vc_ascii_lower(int c) { return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c; }

int vc_ascii_ncasecmp(const char *a, const char *b, size_t n) {
  for (size_t i = 0; i < n; i++) {
    int x = vc_ascii_lower((unsigned char)a[i]), y = vc_ascii_lower((unsigned char)b[i]);
    if (x != y) return x - y;
    if (!x) break;
  }
  return 0;
}

int vc_ascii_casecmp(const char *a, const char *b) {
  return vc_ascii_ncasecmp(a, b, SIZE_MAX);
}

char *vc_text_fmt_num(double v, char *out, size_t outlen) {
  if (!(v > -1e15 && v < 1e15)) {
    snprintf(out, outlen, "%s", v > 0 ? "(huge)" : "(-huge)");
    return out;
  }
  /* Integers through %lld are locale-free; %f is not. */
  long long r = llround(v * 100);
  const char *sign = r < 0 ? "-" : "";
  if (r < 0) r = -r;
  long long ip = r / 100, fp = r % 100;
  if (fp == 0) snprintf(out, outlen, "%s%lld", sign, ip);
  else if (fp % 10 == 0) snprintf(out, outlen, "%s%lld.%lld", sign, ip, fp / 10);
  else snprintf(out, outlen, "%s%lld.%02lld", sign, ip, fp);
  return out;
}

/* ---- hostile text ---- */

bool vc_text_invisible(int32_t cp) {
  return cp >= 0x80 && utf8proc_codepoint_valid(cp) &&
         utf8proc_category(cp) == UTF8PROC_CATEGORY_CF;
}

char *vc_text_drop_invisible(const char *s, size_t *dropped) {
  size_t n = strlen(s), o = 0, k = 0;
  char *out = malloc(n + 1);
  if (!out) return NULL;
  for (size_t i = 0; i < n;) {
    int32_t cp = (unsigned char)s[i];
    size_t len = cp < 0x80 ? 1 : vc_utf8_decode(s + i, n - i, &cp);
    if (!len) len = 1, cp = -1; /* copied as it is */
    if (vc_text_invisible(cp)) k++;
    else memcpy(out + o, s + i, len), o += len;
    i += len;
  }
  out[o] = '\0';
  if (dropped) *dropped = k;
  return out;
}

/* How s[i..n) starts for vc_text_escape: its length in *len, and true when
 * it is written escaped (*cp: the code point, -1 for a byte not UTF-8). */
static bool escaped_at(const char *s, size_t n, size_t i, bool keep, size_t *len,
                       int32_t *cp) {
  unsigned char c = (unsigned char)s[i];
  if (c >= 0x20 && c < 0x7F) return *len = 1, false;
  if (c < 0x80) {
    *len = 1;
    *cp = c;
    return !(keep && (c == '\n' || c == '\t' || (c == '\r' && i + 1 < n && s[i + 1] == '\n')));
  }
  *len = vc_utf8_decode(s + i, n - i, cp);
  if (!*len) return *len = 1, *cp = -1, true;
  return (*cp >= 0x80 && *cp < 0xA0) || vc_text_invisible(*cp);
}

bool vc_text_needs_escape(const char *s, size_t n, bool keep_breaks) {
  size_t len;
  int32_t cp;
  for (size_t i = 0; i < n; i += len)
    if (escaped_at(s, n, i, keep_breaks, &len, &cp)) return true;
  return false;
}

char *vc_text_escape(const char *s, size_t n, bool keep_breaks) {
  size_t cap = n + 1, o = 0, len;
  int32_t cp;
  for (size_t i = 0; i < n; i += len) /* \u{10FFFF}: 10 bytes for one */
    if (escaped_at(s, n, i, keep_breaks, &len, &cp)) cap += 10;
  char *out = malloc(cap);
  if (!out) return NULL;
  for (size_t i = 0; i < n; i += len) {
    if (!escaped_at(s, n, i, keep_breaks, &len, &cp)) {
      memcpy(out + o, s + i, len);
      o += len;
    } else if (cp < 0) {
      o += (size_t)snprintf(out + o, cap - o, "\\x{%02X}", (unsigned char)s[i]);
    } else {
      o += (size_t)snprintf(out + o, cap - o, "\\u{%X}", (unsigned)cp);
    }
  }
  out[o] = '\0';
  return out;
}

bool vc__why_fail(char *why, size_t whylen, const char *fmt, ...) {
  if (why && whylen) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, whylen, vc__gettext(fmt), ap);
    va_end(ap);
  }
  return false;
}
