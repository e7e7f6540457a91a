/*
 * collate.c - Vietnamese collation (see collate.h).
 *
 * Everything goes through one sort key, so vc_collate_text and memcmp of keys
 * agree by construction.  A key has three levels, each compared only when the
 * ones before are equal:
 *
 *   primary    letters in Vietnamese order, digits, symbols, word breaks
 *   secondary  the tone of each word (a syllable property: "Hoà" and "Hòa"
 *              carry the same tone, wherever the mark sits)
 *   tertiary   case (lower first), then marks that are not Vietnamese
 *              (ü, ç) and leading zeros of numbers
 *
 * Level bytes (a level is a run of self-delimiting units; the first byte of
 * a unit tells its length, so two keys stay aligned up to their first
 * difference):
 *   0x00                    end of a level (lowest: "An" < "Anh")
 *   primary   0x01          word break (white space)
 *             0x02 c c c    symbol or punctuation, by code point
 *             0x03 n n n n  number: count of significant digits (big
 *                d...      endian), then the digits: "K9" < "K10"
 *             0x10..0x30    a Latin letter (Vietnamese alphabet, with f j w z
 *                           at their nearest place)
 *             0x80 c c c    any other letter (Greek, ø, ß, CJK), after z,
 *                           by code point of its lower case
 *   secondary 0x01          end of a word; before it, one byte per tone mark
 *                           in the word (none for ngang), 0x02..0x06
 *   tertiary  0x01 / 0x02   a letter in lower / upper case
 *             0x05 n n n n  a number's leading zeros ("1" < "01")
 *             0x08 c c c    a non-Vietnamese mark on the letter before
 *
 * Names are keyed part by part: given name (last word), then either the
 * words before it as one text (VC_NAME_TEN_HO_DEM: a school's "Họ đệm"
 * column) or the middle words and the family name (first word) apart
 * (VC_NAME_TEN_DEM_HO), each part with its primary and secondary level, then
 * the tertiary level of the whole name.  So "Anh" and "Ánh" are separate
 * groups of a class list, while case never decides before the last part.
 *
 * Decomposition comes from utf8proc; the only tables here are the Vietnamese
 * alphabet and the five tone marks.
 */
#include "records/collate.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "core/text.h"

/* Vowel-shaping marks that make letters of their own (ă â ê ô ơ ư). */
#define MARK_BREVE 0x0306
#define MARK_CIRC 0x0302
#define MARK_HORN 0x031B

/* The alphabet a ă â b c d đ e ê (f) g h i (j) k l m n o ô ơ p q r s t u ư
 * v (w) x y (z): weight of each ASCII letter; the shaped letters take the
 * slots right after their base (see letter_weight). */
static const unsigned char base_weight[26] = {
    0,  /* a; ă 1, â 2 */
    3,  /* b */
    4,  /* c */
    5,  /* d; đ 6 */
    7,  /* e; ê 8 */
    9,  /* f */
    10, /* g */
    11, /* h */
    12, /* i */
    13, /* j */
    14, /* k */
    15, /* l */
    16, /* m */
    17, /* n */
    18, /* o; ô 19, ơ 20 */
    21, /* p */
    22, /* q */
    23, /* r */
    24, /* s */
    25, /* t */
    26, /* u; ư 27 */
    28, /* v */
    29, /* w */
    30, /* x */
    31, /* y */
    32, /* z */
};
#define LETTER_BASE 0x10

/* Tone weights on the secondary level, per order; index by tone_index(). */
enum { TONE_HUYEN, TONE_HOI, TONE_NGA, TONE_SAC, TONE_NANG, TONE_NONE };
static const unsigned char tone_weight[2][5] = {
    /* huyền hỏi ngã sắc nặng */
    {2, 3, 4, 5, 6}, /* VC_TONES_VIETLEX: ngang huyền hỏi ngã sắc nặng */
    {3, 4, 5, 2, 6}, /* VC_TONES_SAC_FIRST: ngang sắc huyền hỏi ngã nặng */
};

static int tone_index(int32_t c) {
  switch (c) {
  case 0x0300: return TONE_HUYEN;
  case 0x0309: return TONE_HOI;
  case 0x0303: return TONE_NGA;
  case 0x0301: return TONE_SAC;
  case 0x0323: return TONE_NANG;
  default: return TONE_NONE;
  }
}

/* ---------------------------------------------------------------- buffers */

/* A growable byte buffer that may start in caller storage (the stack), so
 * comparing two short strings allocates nothing. */
typedef struct {
  unsigned char *p;
  size_t n, cap;
  bool heap, failed;
} buf_t;

static void buf_init(buf_t *b, unsigned char *mem, size_t cap) {
  b->p = mem;
  b->n = 0;
  b->cap = cap;
  b->heap = false;
  b->failed = false;
}

static void buf_release(buf_t *b) {
  if (b->heap) free(b->p);
  b->p = NULL;
  b->heap = false;
}

/* Makes room for k more bytes; false (and failed set) on no memory. */
static bool buf_reserve(buf_t *b, size_t k) {
  if (b->failed) return false;
  if (b->cap - b->n >= k) return true;
  if (k > SIZE_MAX / 2 - b->n) {
    b->failed = true;
    return false;
  }
  size_t ncap = b->cap ? b->cap : 64;
  while (ncap - b->n < k) ncap *= 2;
  unsigned char *np = b->heap ? realloc(b->p, ncap) : malloc(ncap);
  if (!np) {
    b->failed = true;
    return false;
  }
  if (!b->heap && b->n) memcpy(np, b->p, b->n);
  b->p = np;
  b->cap = ncap;
  b->heap = true;
  return true;
}

static void put1(buf_t *b, unsigned v) {
  if (buf_reserve(b, 1)) b->p[b->n++] = (unsigned char)v;
}

static void put_bytes(buf_t *b, const unsigned char *s, size_t k) {
  if (k && buf_reserve(b, k)) {
    memcpy(b->p + b->n, s, k);
    b->n += k;
  }
}

/* A tag byte then a 24-bit code point (every code point fits). */
static void put_cp(buf_t *b, unsigned tag, int32_t c) {
  unsigned char u[4] = {(unsigned char)tag, (unsigned char)(c >> 16),
                        (unsigned char)(c >> 8), (unsigned char)c};
  put_bytes(b, u, 4);
}

static void put32_at(buf_t *b, size_t at, uint32_t v) {
  if (b->failed) return;
  b->p[at] = (unsigned char)(v >> 24);
  b->p[at + 1] = (unsigned char)(v >> 16);
  b->p[at + 2] = (unsigned char)(v >> 8);
  b->p[at + 3] = (unsigned char)v;
}

/* --------------------------------------------------------- the key builder */

typedef struct {
  buf_t *pri, *sec, *ter;
  vc_tone_order_t tones;
  bool word_open;     /* a word has started and not yet ended */
  bool space_pending; /* white space seen after a word: owe a word break */
  int letter;         /* pending Latin letter: ASCII base 'a'..'z', 'đ' as
                       * 0x111, or 0 when none; its primary waits for marks */
  int shape;          /* MARK_BREVE / MARK_CIRC / MARK_HORN taken by letter */
  bool in_number;
  size_t num_at;      /* offset of the number's length field in pri */
  uint32_t num_digits, num_zeros;
} keyer_t;

/* Primary weight of a pending letter with its shaping mark (shapes() has
 * already checked the pair): the shaped letters follow their base. */
static unsigned letter_weight(int letter, int shape) {
  if (letter == 0x111) return LETTER_BASE + 6; /* đ */
  unsigned w = base_weight[letter - 'a'];
  switch (shape) {
  case MARK_BREVE: return LETTER_BASE + w + 1;                      /* ă */
  case MARK_CIRC: return LETTER_BASE + w + (letter == 'a' ? 2 : 1); /* â ê ô */
  case MARK_HORN: return LETTER_BASE + w + (letter == 'o' ? 2 : 1); /* ơ ư */
  default: return LETTER_BASE + w;
  }
}

/* Does this mark turn the pending letter into another Vietnamese letter? */
static bool shapes(int letter, int32_t mark) {
  switch (mark) {
  case MARK_BREVE: return letter == 'a';
  case MARK_CIRC: return letter == 'a' || letter == 'e' || letter == 'o';
  case MARK_HORN: return letter == 'o' || letter == 'u';
  default: return false;
  }
}

static void flush_letter(keyer_t *k) {
  if (!k->letter) return;
  put1(k->pri, letter_weight(k->letter, k->shape));
  k->letter = 0;
  k->shape = 0;
}

static void end_number(keyer_t *k) {
  if (!k->in_number) return;
  put32_at(k->pri, k->num_at, k->num_digits);
  if (k->num_zeros) {
    unsigned char u[5] = {0x05, (unsigned char)(k->num_zeros >> 24),
                          (unsigned char)(k->num_zeros >> 16),
                          (unsigned char)(k->num_zeros >> 8),
                          (unsigned char)k->num_zeros};
    put_bytes(k->ter, u, 5);
  }
  k->in_number = false;
}

/* Ends whatever element is pending (before another element or the end). */
static void end_element(keyer_t *k) {
  flush_letter(k);
  end_number(k);
}

/* A non-space element starts: open the word, paying a pending word break. */
static void start_element(keyer_t *k) {
  end_element(k);
  if (k->space_pending) put1(k->pri, 0x01);
  k->space_pending = false;
  k->word_open = true;
}

static void end_word(keyer_t *k) {
  end_element(k);
  if (k->word_open) put1(k->sec, 0x01);
  k->word_open = false;
}

static bool is_space(int32_t c) {
  if (c == ' ' || (c >= 0x09 && c <= 0x0D)) return true;
  if (c < 0x85) return false;
  if (c == 0x85) return true;
  utf8proc_category_t g = utf8proc_category(c);
  return g == UTF8PROC_CATEGORY_ZS || g == UTF8PROC_CATEGORY_ZL ||
         g == UTF8PROC_CATEGORY_ZP;
}

static void mark(keyer_t *k, int32_t c) {
  if (k->in_number) end_number(k);
  if (!k->word_open) start_element(k);
  int t = tone_index(c);
  if (t != TONE_NONE) {
    put1(k->sec, tone_weight[k->tones == VC_TONES_SAC_FIRST][t]);
  } else if (k->letter && !k->shape && shapes(k->letter, c)) {
    k->shape = (int)c;
  } else {
    put_cp(k->ter, 0x08, c);
  }
}

static void digit(keyer_t *k, int c) {
  if (!k->in_number) {
    start_element(k);
    k->in_number = true;
    k->num_digits = k->num_zeros = 0;
    put1(k->pri, 0x03);
    k->num_at = k->pri->n;
    put_bytes(k->pri, (const unsigned char *)"\0\0\0\0", 4);
  }
  if (c == '0' && k->num_digits == 0) {
    if (k->num_zeros < UINT32_MAX) k->num_zeros++;
    return;
  }
  put1(k->pri, (unsigned)c);
  if (k->num_digits < UINT32_MAX) k->num_digits++;
}

/* One code point of decomposed text. */
static void feed(keyer_t *k, int32_t c) {
  if (c >= '0' && c <= '9') {
    digit(k, (int)c);
    return;
  }
  if (is_space(c)) {
    if (k->word_open) { /* leading and repeated spaces owe nothing */
      end_word(k);
      k->space_pending = true;
    }
    return;
  }
  bool upper = false;
  int32_t low = c;
  if (c < 0x80) {
    if (c >= 'A' && c <= 'Z') {
      low = c + 32;
      upper = true;
    }
  } else {
    utf8proc_category_t g = utf8proc_category(c);
    if (g == UTF8PROC_CATEGORY_MN || g == UTF8PROC_CATEGORY_MC ||
        g == UTF8PROC_CATEGORY_ME) {
      mark(k, c);
      return;
    }
    if (g < UTF8PROC_CATEGORY_LU || g > UTF8PROC_CATEGORY_LO) {
      start_element(k);
      put_cp(k->pri, 0x02, c);
      return;
    }
    low = utf8proc_tolower(c);
    upper = low != c;
  }
  if ((low >= 'a' && low <= 'z') || low == 0x111) {
    start_element(k);
    k->letter = (int)low;
    put1(k->ter, upper ? 0x02 : 0x01);
  } else if (c < 0x80) { /* ASCII punctuation and symbols */
    start_element(k);
    put_cp(k->pri, 0x02, c);
  } else {
    start_element(k);
    put_cp(k->pri, 0x80, low);
    put1(k->ter, upper ? 0x02 : 0x01);
  }
}

/* Keys s[0..n): primary into pri, secondary into sec, tertiary appended to
 * ter.  Invalid UTF-8 bytes count as U+FFFD (a symbol). */
static void key_span(const char *s, size_t n, vc_tone_order_t tones, buf_t *pri,
                     buf_t *sec, buf_t *ter) {
  keyer_t k = {pri, sec, ter, tones, false, false, 0, 0, false, 0, 0, 0};
  size_t i = 0;
  while (i < n) {
    unsigned char b = (unsigned char)s[i];
    if (b < 0x80) {
      feed(&k, b);
      i++;
      continue;
    }
    int32_t c;
    size_t len = vc_utf8_decode(s + i, n - i, &c);
    if (len == 0) {
      c = 0xFFFD;
      len = 1;
    }
    i += len;
    utf8proc_int32_t dec[8];
    utf8proc_ssize_t m = utf8proc_decompose_char(c, dec, 8, UTF8PROC_DECOMPOSE, NULL);
    if (m < 1 || m > 8) { /* cannot happen for canonical decomposition */
      feed(&k, c);
      continue;
    }
    for (utf8proc_ssize_t j = 0; j < m; j++) feed(&k, dec[j]);
  }
  end_word(&k);
}

/* Word spans of s (white-space separated); returns how many (at most max),
 * storing the first and last word in *first / *last. */
typedef struct {
  size_t start, len;
} span_t;

static size_t split_words(const char *s, size_t n, span_t *first, span_t *last) {
  size_t count = 0, i = 0;
  while (i < n) {
    int32_t c;
    size_t len = vc_utf8_decode(s + i, n - i, &c);
    if (len == 0) len = 1, c = 0xFFFD;
    if (is_space(c)) {
      i += len;
      continue;
    }
    size_t start = i;
    while (i < n) {
      len = vc_utf8_decode(s + i, n - i, &c);
      if (len == 0) len = 1, c = 0xFFFD;
      if (is_space(c)) break;
      i += len;
    }
    span_t w = {start, i - start};
    if (count == 0) *first = w;
    *last = w;
    count++;
  }
  return count;
}

/* Builds the full key of s into out (levels joined by 0x00).  Scratch
 * buffers start in stack storage.  false on no memory. */
static bool build_key(const char *s, vc_name_order_t name, vc_tone_order_t tones,
                      buf_t *out) {
  if (!s) s = "";
  size_t n = strlen(s);
  unsigned char m1[256], m2[64], m3[128];
  buf_t pri, sec, ter;
  buf_init(&pri, m1, sizeof m1);
  buf_init(&sec, m2, sizeof m2);
  buf_init(&ter, m3, sizeof m3);

  if (name == VC_NAME_NONE) {
    key_span(s, n, tones, &pri, &sec, &ter);
    put_bytes(out, pri.p, pri.n);
    put1(out, 0);
    put_bytes(out, sec.p, sec.n);
    put1(out, 0);
  } else {
    span_t first = {0, 0}, last = {0, 0};
    size_t words = split_words(s, n, &first, &last);
    /* given; then family and middle as written (everything before the
     * given name), or middle (between first and last) and family */
    span_t parts[3] = {{0, 0}, {0, 0}, {0, 0}};
    int nparts = name == VC_NAME_TEN_DEM_HO ? 3 : 2;
    if (words >= 1) parts[0] = last;
    if (words >= 2 && nparts == 2) {
      parts[1].start = first.start;
      parts[1].len = last.start - first.start; /* spaces after it are trimmed */
    } else if (words >= 2) {
      size_t mid = first.start + first.len;
      parts[1].start = mid;
      parts[1].len = last.start - mid; /* spaces around it are trimmed */
      parts[2] = first;
    }
    for (int p = 0; p < nparts; p++) {
      pri.n = sec.n = 0;
      key_span(s + parts[p].start, parts[p].len, tones, &pri, &sec, &ter);
      put_bytes(out, pri.p, pri.n);
      put1(out, 0);
      put_bytes(out, sec.p, sec.n);
      put1(out, 0);
    }
  }
  put_bytes(out, ter.p, ter.n);
  bool ok = !pri.failed && !sec.failed && !ter.failed && !out->failed;
  buf_release(&pri);
  buf_release(&sec);
  buf_release(&ter);
  return ok;
}

/* Builds a sort key; the caller frees it.  NULL (and *len 0) on no memory;
 * s NULL is taken as "". */
unsigned char *vc_collate_key(const char *s, vc_name_order_t name,
                              vc_tone_order_t tones, size_t *len) {
  buf_t out;
  buf_init(&out, NULL, 0);
  if (len) *len = 0;
  if (!build_key(s, name, tones, &out)) {
    buf_release(&out);
    return NULL;
  }
  if (!out.heap) { /* empty key: still hand back a buffer the caller frees */
    out.p = malloc(1);
    if (!out.p) return NULL;
  }
  if (len) *len = out.n;
  return out.p;
}

/* Compares by keys built in stack storage; falls back to byte order only when
 * memory runs out (an order, if not the Vietnamese one, rather than a crash). */
static int compare(const char *a, const char *b, vc_name_order_t name,
                   vc_tone_order_t tones) {
  unsigned char ma[512], mb[512];
  buf_t ka, kb;
  buf_init(&ka, ma, sizeof ma);
  buf_init(&kb, mb, sizeof mb);
  int r;
  if (build_key(a, name, tones, &ka) && build_key(b, name, tones, &kb)) {
    size_t n = ka.n < kb.n ? ka.n : kb.n;
    r = memcmp(ka.p, kb.p, n);
    if (r == 0) r = (ka.n > kb.n) - (ka.n < kb.n);
  } else {
    r = strcmp(a ? a : "", b ? b : "");
  }
  buf_release(&ka);
  buf_release(&kb);
  return r < 0 ? -1 : r > 0;
}

/* <0, 0, >0 as a comes before, with, after b (NULL taken as ""). */
int vc_collate_text(const char *a, const char *b, vc_tone_order_t tones) {
  return compare(a, b, VC_NAME_NONE, tones);
}

/* Class-list order of two full names (NULL taken as ""). */
int vc_collate_name(const char *a, const char *b, vc_tone_order_t tones) {
  return compare(a, b, VC_NAME_TEN_HO_DEM, tones);
}
