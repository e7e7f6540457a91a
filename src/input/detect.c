/*
 * detect.c - naming the old Vietnamese encoding of a file that is not UTF-8
 * (see detect.h).
 *
 * How: the bytes are read three ways - Windows-1258 and TCVN3 through
 * iconv, VNI through a small table of our own - and each reading is scored
 * by the share of its words (runs of letters holding a non-ASCII character)
 * that are valid Vietnamese syllables.  Vietnamese is a good test of
 * itself: every syllable is onset + vowel group + final from short lists,
 * with at most one tone mark.  A reading in the wrong code page turns
 * "Nguyễn" into "NguyÔn", "Nguyờịn" or "Nguyeăn", none of which parse, so the
 * right reading scores near 1 and the others near 0 (tests/unit/test_decode.c
 * checks this both ways on lists of names and on files of two lines).
 * ASCII-only words say nothing and are not counted.
 */
#include "input/detect.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "core/text.h"
#include "input/iconv-utf8.h"

/* ------------------------------------------------------------ syllables */

/* Letters are reduced to one byte each: the 17 consonant letters as
 * themselves, 'D' for đ, and the twelve vowels a ă â e ê i o ô ơ u ư y as
 * a A B e E i o O P u U y. */
static const char *const ONSETS[] = {"ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph",
                                     "th",  "tr", "qu", "b",  "c",  "d",  "D",  "g",
                                     "h",   "k",  "l",  "m",  "n",  "p",  "r",  "s",
                                     "t",   "v",  "x",  ""};
static const char *const CODAS[] = {"ng", "nh", "ch", "c", "m", "n", "p", "t", ""};
/* Vowel groups that may take a final consonant... */
static const char *const NUCLEI_OPEN[] = {
    "a",  "A",  "B",  "e",  "E",  "i",  "o",  "O",  "P",  "u",  "U",  "y",
    "iE", "oa", "oA", "oe", "uB", "uE", "uO", "uP", "UP", "uy", "yE", "uyE", "oo"};
/* ...and those ending in a glide, which may not. */
static const char *const NUCLEI_CLOSED[] = {
    "ai", "ao", "au", "ay", "Bu", "By", "eo", "Eu", "ia",  "iu",  "oi",  "Oi",
    "Pi", "ua", "ui", "Ua", "Ui", "Uu", "iEu", "oai", "oay", "oeo", "uBy", "uOi",
    "UPi", "UPu", "uya", "uyu", "yEu", "oao", "uP"};

#define N_OF(a) (sizeof(a) / sizeof *(a))

/* True when s[0..n) is one of the nlist strings of list. */
static bool in_list(const char *s, size_t n, const char *const *list, size_t nlist) {
  for (size_t i = 0; i < nlist; i++)
    if (strlen(list[i]) == n && memcmp(list[i], s, n) == 0) return true;
  return false;
}

/* True for the symbol of a vowel (see the alphabet above). */
static bool is_vowel(char c) { return c && strchr("aABeEioOPuUy", c) != NULL; }

/* A word reduced to letter symbols and its tone. */
typedef struct {
  char sym[16];
  size_t n;
  int tones; /* tone marks seen */
  int tone;  /* 0 ngang, 1 huyền, 2 hỏi, 3 ngã, 4 sắc, 5 nặng */
} syl_t;

/* Adds one decomposed code point (base letter or mark) to the syllable;
 * false when it cannot be part of a Vietnamese syllable. */
static bool syl_add(syl_t *y, int32_t c) {
  if (c >= 'a' && c <= 'z') {
    if (c == 'f' || c == 'j' || c == 'w' || c == 'z' || y->n >= sizeof y->sym - 1)
      return false;
    y->sym[y->n++] = (char)c;
    return true;
  }
  if (c == 0x111) { /* đ: no decomposition */
    if (y->n >= sizeof y->sym - 1) return false;
    y->sym[y->n++] = 'D';
    return true;
  }
  if (y->n == 0) return false; /* a mark with no letter */
  char *last = &y->sym[y->n - 1];
  switch (c) {
  case 0x302: /* circumflex */
    if (*last == 'a') *last = 'B';
    else if (*last == 'e') *last = 'E';
    else if (*last == 'o') *last = 'O';
    else return false;
    return true;
  case 0x306: /* breve */
    if (*last != 'a') return false;
    *last = 'A';
    return true;
  case 0x31B: /* horn */
    if (*last == 'o') *last = 'P';
    else if (*last == 'u') *last = 'U';
    else return false;
    return true;
  }
  int tone = c == 0x300 ? 1 : c == 0x309 ? 2 : c == 0x303 ? 3 : c == 0x301 ? 4 : c == 0x323 ? 5 : 0;
  if (!tone || !is_vowel(*last) || y->tones++) return false;
  y->tone = tone;
  return true;
}

/* Which vowel groups the finals nh/ch and ng/c follow ("anh", "ích",
 * "ương", "oóc"; never "ơng" or "inh"-like "ing"): these pairings are what
 * tells a real syllable from letters a wrong code page happened to make. */
static bool coda_fits(const char *nuc, size_t ln, const char *coda) {
  static const char *const PALATAL[] = {"a", "E", "i", "y", "oa", "uE", "uy"};
  static const char *const VELAR[] = {"a",  "A",  "B",  "e",  "o",  "O",  "oo", "u",  "U",
                                      "iE", "yE", "uO", "UP", "oa", "oA", "uB", "oe"};
  bool oo = ln == 2 && nuc[0] == 'o' && nuc[1] == 'o';
  if (!strcmp(coda, "nh") || !strcmp(coda, "ch")) return in_list(nuc, ln, PALATAL, N_OF(PALATAL));
  if (!strcmp(coda, "ng") || !strcmp(coda, "c")) return in_list(nuc, ln, VELAR, N_OF(VELAR));
  return !oo; /* "oo" only in "boong", "moóc" */
}

/* Onset + nucleus + coda, tried every way the letters allow. */
static bool syl_parse(const syl_t *y) {
  if (y->n == 1) return true; /* an initial: "Đ.", "Ư" */
  for (size_t o = 0; o < N_OF(ONSETS); o++) {
    size_t lo = strlen(ONSETS[o]);
    if (lo >= y->n || memcmp(y->sym, ONSETS[o], lo) != 0) continue;
    for (size_t k = 0; k < N_OF(CODAS); k++) {
      size_t lc = strlen(CODAS[k]);
      if (lo + lc >= y->n || memcmp(y->sym + y->n - lc, CODAS[k], lc) != 0) continue;
      const char *nuc = y->sym + lo;
      size_t ln = y->n - lo - lc;
      bool ok = in_list(nuc, ln, NUCLEI_OPEN, N_OF(NUCLEI_OPEN)) ||
                (lc == 0 && in_list(nuc, ln, NUCLEI_CLOSED, N_OF(NUCLEI_CLOSED)));
      if (!ok || !coda_fits(nuc, ln, CODAS[k])) continue;
      /* a stopped final (c ch p t) takes only the sắc or nặng tone */
      bool stop = lc && strchr("cpt", CODAS[k][0]);
      if (stop && y->tone != 4 && y->tone != 5) continue;
      return true;
    }
  }
  return false;
}

bool vc_detect_syllable(const char *s, size_t n) {
  syl_t y = {.n = 0};
  size_t i = 0;
  while (i < n) {
    int32_t c;
    size_t k = vc_utf8_decode(s + i, n - i, &c);
    if (k == 0) return false;
    i += k;
    c = utf8proc_tolower(c);
    utf8proc_int32_t d[8];
    int last = 0;
    utf8proc_ssize_t m = utf8proc_decompose_char(c, d, 8, UTF8PROC_DECOMPOSE, &last);
    if (m < 1 || m > 8) return false;
    for (utf8proc_ssize_t j = 0; j < m; j++)
      if (!syl_add(&y, d[j])) return false;
  }
  return y.n > 0 && syl_parse(&y);
}

/* --------------------------------------------------------------- scoring */

/* Word separators: ASCII other than letters, and the spaces, punctuation
 * and currency signs a real file in any code page has between words. */
static bool is_sep(int32_t c) {
  if (c < 0x80) return !((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
  return c == 0x85 || c == 0xA0 || (c >= 0x2000 && c <= 0x206F) ||
         (c >= 0x20A0 && c <= 0x20CF) || c == 0xFEFF;
}

/* Counts the words of s[0..n) (valid UTF-8) that hold a non-ASCII code
 * point, and how many of them are valid syllables. */
static void score_text(const char *s, size_t n, long *words, long *valid) {
  size_t i = 0;
  *words = *valid = 0;
  while (i < n) {
    int32_t c;
    size_t k = vc_utf8_decode(s + i, n - i, &c);
    if (k == 0 || is_sep(c)) {
      i += k ? k : 1;
      continue;
    }
    size_t start = i;
    bool wide = false;
    while (i < n) {
      k = vc_utf8_decode(s + i, n - i, &c);
      if (k == 0 || is_sep(c)) break;
      wide |= c >= 0x80;
      i += k;
    }
    if (!wide) continue;
    (*words)++;
    if (vc_detect_syllable(s + start, i - start)) (*valid)++;
  }
}

/* ------------------------------------------------------------------ VNI */

/* VNI Windows writes most toned vowels as an ASCII vowel followed by a
 * modifier byte ("Nguyeãn" = Nguyễn); a few letters are one byte.  Lower
 * case bytes are listed; upper case ones are 0x20 lower.  Only used to
 * recognise VNI: vncert does not read it. */
static const struct { unsigned char b; uint16_t shape, tone; } VNI_MOD[] = {
    {0xF9, 0, 0x301},     {0xF8, 0, 0x300},     {0xFB, 0, 0x309},     {0xF5, 0, 0x303},
    {0xEF, 0, 0x323},     {0xE2, 0x302, 0},     {0xE1, 0x302, 0x301}, {0xE0, 0x302, 0x300},
    {0xE5, 0x302, 0x309}, {0xE3, 0x302, 0x303}, {0xE4, 0x302, 0x323}, {0xEA, 0x306, 0},
    {0xE9, 0x306, 0x301}, {0xE8, 0x306, 0x300}, {0xFA, 0x306, 0x309}, {0xFC, 0x306, 0x303},
    {0xEB, 0x306, 0x323}};
static const struct { unsigned char b; char base; uint16_t mark; } VNI_ONE[] = {
    {0xF4, 'o', 0x31B}, {0xF6, 'u', 0x31B}, {0xF1, 0, 0},       {0xED, 'i', 0x301},
    {0xEC, 'i', 0x300}, {0xE6, 'i', 0x309}, {0xF3, 'i', 0x303}, {0xF2, 'i', 0x323},
    {0xEE, 'y', 0x323}};

/* Reads s[0..n) as VNI into a new UTF-8 string (decomposed; bytes VNI does
 * not use become U+FFFD).  NULL on no memory. */
static char *vni_decode(const unsigned char *s, size_t n, size_t *outlen) {
  char *out = malloc(n * 6 + 1); /* a byte gives at most two 2-byte marks + base */
  if (!out) return NULL;
  size_t len = 0;
  bool after_vowel = false;
  for (size_t i = 0; i < n; i++) {
    unsigned char b = s[i];
    if (b < 0x80) {
      out[len++] = (char)b;
      after_vowel = b && strchr("aeiouyAEIOUY", b);
      continue;
    }
    bool upper = b < 0xE0;
    unsigned char lb = upper ? (unsigned char)(b + 0x20) : b;
    bool done = false;
    for (size_t k = 0; k < N_OF(VNI_ONE) && !done; k++) {
      if (VNI_ONE[k].b != lb) continue;
      if (!VNI_ONE[k].base) { /* đ Đ */
        len += vc_utf8_encode(upper ? 0x110 : 0x111, out + len);
      } else {
        out[len++] = (char)(upper ? VNI_ONE[k].base - 0x20 : VNI_ONE[k].base);
        len += vc_utf8_encode(VNI_ONE[k].mark, out + len);
      }
      after_vowel = VNI_ONE[k].mark == 0x31B; /* ơ ư take modifiers */
      done = true;
    }
    for (size_t k = 0; k < N_OF(VNI_MOD) && !done; k++) {
      if (VNI_MOD[k].b != lb || !after_vowel) continue;
      if (VNI_MOD[k].shape) len += vc_utf8_encode(VNI_MOD[k].shape, out + len);
      if (VNI_MOD[k].tone) len += vc_utf8_encode(VNI_MOD[k].tone, out + len);
      after_vowel = false;
      done = true;
    }
    if (!done) {
      len += vc_utf8_encode(0xFFFD, out + len);
      after_vowel = false;
    }
  }
  out[len] = '\0';
  *outlen = len;
  return out;
}

/* ------------------------------------------------------------- verdict */

vc_guess_t vc_detect_legacy(const char *buf, size_t len, vc_detect_t *out) {
  vc_detect_t r;
  memset(&r, 0, sizeof r);
  if (!buf) len = 0;
  if (len > VC_DETECT_SAMPLE) { /* bounded time: a sample of whole lines */
    const char *nl = NULL;
    for (size_t i = VC_DETECT_SAMPLE; i > 0 && !nl; i--)
      if (buf[i - 1] == '\n') nl = buf + i;
    len = nl ? (size_t)(nl - buf) : VC_DETECT_SAMPLE;
  }
  for (int g = VC_GUESS_CP1258; g < VC_GUESS_NCAND; g++) {
    size_t n = 0, nbad = 0, off = 0;
    vc_conv_err_t why = VC_CONV_OK;
    char *text;
    if (g == VC_GUESS_VNI)
      text = vni_decode((const unsigned char *)buf, len, &n);
    else
      text = vc_iconv_utf8(g == VC_GUESS_CP1258 ? "CP1258" : "TCVN5712-1", buf, len,
                           4 * len + 64, true, &n, &nbad, &off, &why);
    if (!text) continue;
    score_text(text, n, &r.words[g], &r.valid[g]);
    free(text);
    /* Excel never writes a byte its code page lacks: one rules it out */
    if (nbad) r.valid[g] = 0;
    r.score[g] = r.words[g] ? (double)r.valid[g] / (double)r.words[g] : 0.0;
  }
  int best = VC_GUESS_NONE;
  for (int g = VC_GUESS_CP1258; g < VC_GUESS_NCAND; g++)
    if (best == VC_GUESS_NONE || r.score[g] > r.score[best]) best = g;
  bool clear = r.valid[best] >= VC_DETECT_MIN_VALID && r.score[best] >= VC_DETECT_MIN_SCORE;
  for (int g = VC_GUESS_CP1258; g < VC_GUESS_NCAND && clear; g++)
    if (g != best && r.score[best] - r.score[g] < VC_DETECT_MARGIN) clear = false;
  r.guess = clear ? (vc_guess_t)best : VC_GUESS_NONE;
  if (out) *out = r;
  return r.guess;
}

/* Counts zero bytes at even and odd offsets in the first 64 KiB. */
static void zero_pattern(const unsigned char *s, size_t n, size_t *even, size_t *odd) {
  *even = *odd = 0;
  if (n > (64u << 10)) n = 64u << 10;
  for (size_t i = 0; i < n; i++)
    if (!s[i]) (i & 1) ? (*odd)++ : (*even)++;
}

/* Where the zero bytes sit (see detect.h). */
char vc_detect_utf16(const char *buf, size_t n, size_t *even, size_t *odd) {
  const unsigned char *s = (const unsigned char *)buf;
  size_t ze, zo;
  zero_pattern(s, n, &ze, &zo);
  if (even) *even = ze;
  if (odd) *odd = zo;
  size_t units = (n < (64u << 10) ? n : (64u << 10)) / 2;
  if (units && zo * 4 >= units && ze * 8 <= zo) return 'L';
  if (units && ze * 4 >= units && zo * 8 <= ze) return 'B';
  return 0;
}

/* The first letter only Vietnamese uses (see detect.h). */
size_t vc_detect_first_vietnamese(const char *buf, size_t n) {
  const unsigned char *s = (const unsigned char *)buf;
  for (size_t i = 0; i + 1 < n; i++) {
    unsigned a = s[i], b = s[i + 1];
    if ((a == 0xC4 && (b == 0x82 || b == 0x83 || b == 0x90 || b == 0x91)) ||
        (a == 0xC6 && (b == 0xA0 || b == 0xA1 || b == 0xAF || b == 0xB0)) ||
        (a == 0xCC && (b == 0x80 || b == 0x81 || b == 0x83 || b == 0x89 || b == 0xA3)) ||
        (a == 0xE1 && i + 2 < n &&
         ((b == 0xBA && s[i + 2] >= 0xA0) || (b == 0xBB && s[i + 2] <= 0xB9))))
      return i;
  }
  return SIZE_MAX;
}
