/*
 * decode.c - the bytes of a text file to UTF-8 (see decode.h): byte-order
 * marks, UTF-16, Windows-1258 and TCVN3 through glibc's iconv, and a refusal
 * that names the line, the byte and the likely encoding for anything else.
 *
 * Decisions:
 *  - Without a BOM or --encoding the input must be strict UTF-8.  A file
 *    that is not is never read by guessing, even when detect.c names its
 *    encoding with confidence: a wrong guess prints wrong names on
 *    certificates, while the error costs one re-run with the --encoding it
 *    spells out.
 *  - A BOM that contradicts --encoding is an error, not a tie-break: both
 *    are explicit, and either choice could print garbage.  A BOM that agrees
 *    (utf-8 + UTF-8 BOM, utf-16/utf-16le + FF FE) is dropped.
 *  - --encoding windows-1258 or tcvn3 on a file that is valid UTF-8 holding
 *    Vietnamese letters is refused: reading it would give "Nguyá»…n".
 *  - UTF-8 input is returned as is (BOM dropped): the CSV reader makes
 *    every value NFC, so a whole-file pass here would only cost time.
 *    Converted input is made NFC line by line (Windows-1258 keeps tones as
 *    combining marks; glibc composes most but not all of them).
 *  - Output is capped at VC_CSV_MAX_BYTES, the CSV reader's own cap.
 */
#include "input/decode.h"

#include <errno.h>
#include <iconv.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/text.h"
#include "input/csv.h"
#include "input/detect.h"
#include "input/iconv-utf8.h"

/* At most this many "not UTF-8 here" places are listed one by one. */
/* How much of a file read with --encoding windows-1258/tcvn3 is checked for
 * being clearly another code page (thousands of words: plenty). */
#define CHECK_SAMPLE (64u << 10)

typedef enum {
  ENC_AUTO, ENC_UTF8, ENC_UTF16, ENC_UTF16LE, ENC_UTF16BE, ENC_CP1258, ENC_TCVN3,
  ENC_VNI, ENC_UNKNOWN
} enc_t;

typedef enum { BOM_NONE, BOM_UTF8, BOM_UTF16LE, BOM_UTF16BE, BOM_UTF32 } bom_t;

/* Accepted --encoding spellings, compared without case, '-', '_' or spaces. */
static const struct { const char *alias; enc_t enc; } ALIASES[] = {
    {"utf8", ENC_UTF8},          {"utf16", ENC_UTF16},       {"utf16le", ENC_UTF16LE},
    {"utf16be", ENC_UTF16BE},    {"windows1258", ENC_CP1258}, {"cp1258", ENC_CP1258},
    {"win1258", ENC_CP1258},     {"tcvn3", ENC_TCVN3},       {"tcvn", ENC_TCVN3},
    {"tcvn57121", ENC_TCVN3},    {"tcvn5712", ENC_TCVN3},    {"abc", ENC_TCVN3},
    {"vni", ENC_VNI},            {"vniwindows", ENC_VNI}};

static const char *const ENC_SHOW[] = {"UTF-8", "UTF-8", "UTF-16", "UTF-16LE", "UTF-16BE",
                                       "Windows-1258", "TCVN3", "VNI", "?"};

/* The encoding an --encoding value names; ENC_AUTO for NULL or "". */
static enc_t lookup(const char *e) {
  if (!e || !e[0]) return ENC_AUTO;
  char k[24];
  size_t n = 0;
  for (; *e; e++) {
    char c = *e;
    if (c == '-' || c == '_' || c == ' ') continue;
    if (n + 1 >= sizeof k) return ENC_UNKNOWN;
    k[n++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
  }
  k[n] = '\0';
  for (size_t i = 0; i < sizeof ALIASES / sizeof *ALIASES; i++)
    if (strcmp(k, ALIASES[i].alias) == 0) return ALIASES[i].enc;
  return ENC_UNKNOWN;
}

/* Checks an --encoding value before any file is read (see decode.h). */
vc_status_t vc_decode_check(const char *encoding, vc_diag_t *d) {
  enc_t e = lookup(encoding);
  if (e == ENC_VNI) {
    vc_diag_add(d, VC_E_USAGE, NULL, 0, 0,
                "VNI is not supported: convert the text to Unicode with UniKey's toolkit "
                "(Ctrl+Shift+F6; source \"VNI Windows\", destination \"Unicode\"), then "
                "save it as \"CSV UTF-8\" in Excel");
    return VC_E_USAGE;
  }
  if (e == ENC_UNKNOWN) {
    vc_diag_add(d, VC_E_USAGE, NULL, 0, 0,
                "unknown encoding \"%.40s\": vncert reads utf-8, utf-16 (utf-16le, "
                "utf-16be), windows-1258 (cp1258) and tcvn3",
                encoding);
    return VC_E_USAGE;
  }
  return VC_OK;
}

/* The byte-order mark s starts with, and its length in *skip (0 for
 * UTF-32, which is refused, not skipped). */
static bom_t sniff_bom(const unsigned char *s, size_t n, size_t *skip) {
  *skip = 0;
  if (n >= 4 && ((s[0] == 0xFF && s[1] == 0xFE && !s[2] && !s[3]) ||
                 (!s[0] && !s[1] && s[2] == 0xFE && s[3] == 0xFF)))
    return BOM_UTF32;
  if (n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF) return *skip = 3, BOM_UTF8;
  if (n >= 2 && s[0] == 0xFF && s[1] == 0xFE) return *skip = 2, BOM_UTF16LE;
  if (n >= 2 && s[0] == 0xFE && s[1] == 0xFF) return *skip = 2, BOM_UTF16BE;
  return BOM_NONE;
}

/* A BOM's encoding, for messages. */
static const char *bom_show(bom_t b) {
  return b == BOM_UTF8 ? "UTF-8" : b == BOM_UTF16LE ? "UTF-16LE" : "UTF-16BE";
}

/* ------------------------------------------------------------ positions */

/* Line (1-based) and character column of byte off in UTF-8-ish text: each
 * byte that does not decode counts as one character. */
static void pos_utf8(const unsigned char *s, size_t off, int *line, int *col) {
  size_t start = 0;
  long ln = 1;
  for (size_t i = 0; i < off; i++)
    if (s[i] == '\n') ln++, start = i + 1;
  long c = 1;
  for (size_t i = start; i < off;) {
    size_t k = vc_utf8_decode((const char *)s + i, off - i, NULL);
    i += k ? k : 1;
    c++;
  }
  *line = (int)ln;
  *col = (int)c;
}

/* Offset where the line holding byte off starts. */
static size_t line_start(const unsigned char *s, size_t off) {
  while (off > 0 && s[off - 1] != '\n') off--;
  return off;
}

/* Same for a one-byte code page: the column counts bytes. */
static void pos_bytes(const unsigned char *s, size_t off, int *line, int *col) {
  size_t start = 0;
  long ln = 1;
  for (size_t i = 0; i < off; i++)
    if (s[i] == '\n') ln++, start = i + 1;
  *line = (int)ln;
  *col = (int)(off - start + 1);
}

/* Same for UTF-16 (be: big-endian), off even: lines end at U+000A units,
 * columns count 16-bit units. */
static void pos_utf16(const unsigned char *s, size_t off, bool be, int *line, int *col) {
  long ln = 1, c = 1;
  for (size_t i = 0; i + 2 <= off; i += 2) {
    unsigned u = be ? (unsigned)(s[i] << 8 | s[i + 1]) : (unsigned)(s[i] | s[i + 1] << 8);
    if (u == 0x0A) ln++, c = 1;
    else c++;
  }
  *line = (int)ln;
  *col = (int)c;
}

/* ------------------------------------------------------------------ NFC */

/* Pieces longer than this are cut before a character NFC never joins to
 * what precedes it (ASCII, precomposed Vietnamese: vc_text_clean_fast
 * accepts it alone), or at any character start in a run of 64 KiB without
 * one - longer than any CSV value may be anyway. */
#define NFC_PIECE (64u << 10)

/* True when the character starting at s[0] (of n bytes left) is a safe
 * place to cut for NFC. */
static bool nfc_cut_ok(const char *s, size_t n) {
  if ((unsigned char)s[0] < 0x80) return true;
  char tmp[4];
  size_t k = vc_utf8_decode(s, n, NULL);
  return k && vc_text_clean_fast(s, k, tmp) != SIZE_MAX;
}

/* NFC of converted text, line by line (lines and NUL bytes are kept, so
 * line numbers stay the file's; CRLF becomes LF).  New buffer or NULL (no
 * memory, or output over the cap: *limit set).  used NULL: s[0..n) is the
 * rest of the text; else more may follow, so the last piece is left when
 * it is not complete (no line end, and not known to be long: the same cuts
 * as on the whole text), and *used says how much of s was done. */
static char *nfc_lines(const char *s, size_t n, size_t *outlen, bool *limit, size_t *used) {
  size_t cap = n + n / 8 + 64, len = 0;
  char *out = malloc(cap + 1);
  *limit = false;
  if (!out) return NULL;
  size_t i = 0;
  while (i < n) {
    size_t j = i;
    while (j < n && j - i < NFC_PIECE && s[j] != '\n' && s[j] != '\0') j++;
    if (used && j == n) break; /* the piece may go on */
    if (j < n && j - i >= NFC_PIECE) { /* long: cut where NFC allows */
      size_t k = j;
      while (k > i + 1 && (((unsigned char)s[k] & 0xC0) == 0x80 || !nfc_cut_ok(s + k, n - k)))
        k--;
      if (k == i + 1) {
        k = j;
        while (k > i + 1 && ((unsigned char)s[k] & 0xC0) == 0x80) k--;
      }
      j = k;
    }
    size_t pl = j - i; /* a CR before the LF is left out (see copy_crlf) */
    if (pl && j < n && s[j] == '\n' && s[j - 1] == '\r') pl--;
    char *c = pl ? vc_text_nfc(s + i, pl) : NULL;
    size_t cl = c ? strlen(c) : 0;
    if (pl && !c) { /* converted text is valid UTF-8 without NUL */
      free(out);
      return NULL;
    }
    size_t sep = j < n && (s[j] == '\n' || s[j] == '\0');
    if (len + cl + sep > VC_CSV_MAX_BYTES) {
      free(c);
      free(out);
      *limit = true;
      return NULL;
    }
    if (len + cl + sep > cap) {
      size_t ncap = cap * 2 > len + cl + sep ? cap * 2 : len + cl + sep;
      char *nb = realloc(out, ncap + 1);
      if (!nb) {
        free(c);
        free(out);
        return NULL;
      }
      out = nb;
      cap = ncap;
    }
    if (cl) memcpy(out + len, c, cl);
    free(c);
    len += cl;
    if (sep) out[len++] = s[j];
    i = j + sep;
  }
  out[len] = '\0';
  *outlen = len;
  if (used) *used = i;
  return out;
}

/* ------------------------------------------------------------ refusals */

/* What to say about a file detect.c recognised, after "this file is not
 * UTF-8; ". */
static const char *guess_advice(vc_guess_t g) {
  switch (g) {
  case VC_GUESS_CP1258:
    return _("it looks like Windows-1258 (Excel's plain \"CSV\" on a Vietnamese Windows). "
             "Run again with --encoding windows-1258, or save it as \"CSV UTF-8\" in Excel.");
  case VC_GUESS_TCVN3:
    return _("it looks like TCVN3 (ABC, the old \".VnTime\" fonts). Run again with --encoding "
             "tcvn3, or convert the text to Unicode with UniKey's toolkit (Ctrl+Shift+F6; "
             "source \"TCVN3 (ABC)\", destination \"Unicode\") and save it as \"CSV UTF-8\".");
  case VC_GUESS_VNI:
    return _("it looks like VNI (the \"VNI-Times\" fonts), which vncert does not read. Convert "
             "the text to Unicode with UniKey's toolkit (Ctrl+Shift+F6; source \"VNI Windows\", "
             "destination \"Unicode\"), then save it as \"CSV UTF-8\" in Excel.");
  default:
    return NULL;
  }
}

/* End of the run of bytes at i that do not decode as UTF-8. */
static size_t skip_bad_run(const unsigned char *s, size_t n, size_t i) {
  while (i < n && s[i] >= 0x80 && !vc_utf8_decode((const char *)s + i, n - i, NULL)) i++;
  return i;
}

/* The file is not valid UTF-8 (first bad byte at bad).  Either it is UTF-8
 * with a few stray bytes — then true, and nothing is said here: the CSV
 * reader reports each bad value with its line, column and header, beside
 * every other problem of the file — or an old code page (named when
 * detect.c is sure), refused with a diag (false).  Linear in the file. */
static bool stray_or_refuse(const unsigned char *s, size_t n, size_t bad, const char *name,
                            vc_diag_t *d) {
  /* the evidence: multi-byte characters vs runs of bad bytes, around the
   * first bad byte (a window, so a huge file costs no more) */
  size_t w0 = bad > VC_DETECT_SAMPLE / 2 ? bad - VC_DETECT_SAMPLE / 2 : 0;
  while (w0 < bad && (s[w0] & 0xC0) == 0x80) w0++;
  size_t w1 = n - w0 > VC_DETECT_SAMPLE ? w0 + VC_DETECT_SAMPLE : n;
  size_t good = 0, spots = 0;
  for (size_t i = w0; i < w1;) {
    if (s[i] < 0x80) {
      i++;
      continue;
    }
    size_t k = vc_utf8_decode((const char *)s + i, w1 - i, NULL);
    if (k) {
      good++;
      i += k;
    } else {
      spots++;
      i = skip_bad_run(s, w1, i);
    }
  }
  if (good >= 3 && good >= 4 * spots) return true; /* UTF-8 with something pasted in */
  int line, col;
  pos_utf8(s, bad, &line, &col);
  size_t from = line_start(s, bad); /* the evidence starts there */
  const char *advice = guess_advice(vc_detect_legacy((const char *)s + from, n - from, NULL));
  if (advice)
    vc_diag_add(d, VC_E_INPUT, name, line, col, "this file is not UTF-8; %s", advice);
  else
    vc_diag_add(d, VC_E_INPUT, name, line, col,
                "this file is not UTF-8 (byte 0x%02X here): save it as \"CSV UTF-8\" in Excel. "
                "If it is in an old "
                "Vietnamese code page, run again with --encoding windows-1258 (Excel's plain "
                "\"CSV\") or --encoding tcvn3 (ABC, \".VnTime\" fonts), and check the result "
                "with `vncert data`",
                s[bad]);
  return false;
}

/* Zero bytes in a file read as UTF-8: UTF-16 without a BOM is named;
 * anything else is left to the CSV reader (which reports each place).
 * true when refused. */
static bool refuse_utf16_shape(const unsigned char *s, size_t n, const char *name,
                               vc_diag_t *d) {
  const unsigned char *z = memchr(s, 0, n);
  if (!z) return false;
  char shape = vc_detect_utf16((const char *)s, n, NULL, NULL);
  if (!shape) return false;
  int line, col;
  pos_utf8(s, (size_t)(z - s), &line, &col);
  vc_diag_add(d, VC_E_INPUT, name, line, 0,
              "this file is not UTF-8: it looks like UTF-16%s without a byte-order mark "
              "(every other byte is zero). Run again with --encoding utf-16%s, or save it as "
              "\"CSV UTF-8\" in Excel",
              shape == 'L' ? "LE" : "BE", shape == 'L' ? "le" : "be");
  return true;
}

/* ---------------------------------------------------------------- paths */

/* Fills the caller's 32-byte "encoding used" (when given). */
static void set_used(char *used, const char *what, bool bom) {
  if (used) snprintf(used, 32, "%s%s", what, bom ? " (BOM)" : "");
}

/* Copies s[0..n) to out (which may be s, or before it in the same buffer)
 * leaving out each CR that stands before an LF; returns the length.  Why:
 * with no CR left, the CSV reader lets libcsv use its own (inline) tests
 * for white space and line ends, a quarter faster on Excel's CRLF files;
 * CRLF and LF mean the same to it. */
static size_t copy_crlf(char *out, const char *s, size_t n) {
  size_t o = 0, i = 0;
  while (i < n) {
    const char *cr = memchr(s + i, '\r', n - i);
    size_t end = cr ? (size_t)(cr - s) : n;
    if (out + o != s + i) memmove(out + o, s + i, end - i);
    o += end - i;
    i = end;
    if (!cr) break;
    if (i + 1 < n && s[i + 1] == '\n') { /* dropped */
      i++;
      continue;
    }
    out[o++] = '\r';
    i++;
  }
  return o;
}
/* The checks made before converting with enc (see read_converted): 1 when
 * the file may be converted, 0 when refused (a diag in d, which may be
 * NULL).  s[0..avail) is the start of the file's n bytes after the BOM; -1
 * (nothing said) when the answer needs more of it. */
static int convert_precheck(const unsigned char *s, size_t avail, size_t n, enc_t enc,
                            bool bom, const char *name, vc_diag_t *d) {
  bool utf16 = enc == ENC_UTF16LE || enc == ENC_UTF16BE;
  const char *show = ENC_SHOW[enc];
  bool part = avail < n;
  int line, col;
  if (!utf16) { /* a UTF-8 file read as a code page would be mojibake */
    if (part) { /* valid so far: the whole file must be seen */
      size_t cut = 0;
      while (cut < 3 && cut < avail && (s[avail - 1 - cut] & 0x80)) cut++;
      if (vc_utf8_valid((const char *)s, avail - cut, NULL)) return -1;
    } else {
      size_t v = vc_utf8_valid((const char *)s, n, NULL) ? vc_detect_first_vietnamese((const char *)s, n) : SIZE_MAX;
      if (v != SIZE_MAX) {
        pos_utf8(s, v, &line, &col);
        size_t k = vc_utf8_decode((const char *)s + v, n - v, NULL);
        vc_diag_add(d, VC_E_INPUT, name, line, col,
                    "this file is already UTF-8 (\"%.*s\" here is a Vietnamese letter in UTF-8), "
                    "not %s: run again without --encoding",
                    (int)k, (const char *)s + v, show);
        return 0;
      }
    }
  } else if (!bom && n >= 16) { /* the zero bytes must be where the option says */
    if (part && avail < (64u << 10)) return -1;
    size_t ze, zo;
    char shape = vc_detect_utf16((const char *)s, avail, &ze, &zo);
    if (!ze && !zo) {
      vc_diag_add(d, VC_E_INPUT, name, 0, 0,
                  "this file has no zero bytes, so it is not %s (UTF-16 writes \"a\" as two "
                  "bytes, one of them zero): run again without --encoding",
                  show);
      return 0;
    }
    if (shape && shape != (enc == ENC_UTF16LE ? 'L' : 'B')) {
      vc_diag_add(d, VC_E_INPUT, name, 0, 0,
                  "the zero bytes of this file are where UTF-16%s has them, not %s: run again "
                  "with --encoding utf-16%s",
                  shape == 'L' ? "LE" : "BE", show, shape == 'L' ? "le" : "be");
      return 0;
    }
  }
  if (!utf16) { /* the code page given must not be clearly the wrong one */
    size_t from = 0; /* whole lines, from the first with a letter beyond ASCII */
    while (from < avail && s[from] < 0x80) from++;
    if (part && (from == avail || from + CHECK_SAMPLE > avail)) return -1;
    from = from < n ? line_start(s, from) : 0;
    size_t m = n - from < CHECK_SAMPLE ? n - from : CHECK_SAMPLE;
    while (from + m < n && m > 0 && s[from + m - 1] != '\n') m--;
    if (m == 0) m = n - from < CHECK_SAMPLE ? n - from : CHECK_SAMPLE;
    vc_guess_t g = vc_detect_legacy((const char *)s + from, m, NULL);
    vc_guess_t chosen = enc == ENC_CP1258 ? VC_GUESS_CP1258 : VC_GUESS_TCVN3;
    if (g != VC_GUESS_NONE && g != chosen) {
      vc_diag_add(d, VC_E_INPUT, name, 0, 0,
                  "read as %s this file gives words that are not Vietnamese; %s", show,
                  guess_advice(g));
      return 0;
    }
  }
  return 1;
}

static const char *const ICONV_NAME[] = {[ENC_UTF16LE] = "UTF-16LE", [ENC_UTF16BE] = "UTF-16BE",
                                         [ENC_CP1258] = "CP1258", [ENC_TCVN3] = "TCVN5712-1"};

/* ------------------------------------------------------------ the stream */

typedef enum { WHY_NONE, WHY_BAD, WHY_TRUNC, WHY_LIMIT, WHY_NOMEM } why_t;

struct vc_decode_stream {
  iconv_t cd;      /* (iconv_t)-1 for UTF-8 */
  enc_t enc;       /* ENC_UTF8 (also for no --encoding), UTF-16LE/BE, a code page */
  size_t bom;      /* BOM bytes at the start of the file */
  size_t skip;     /* BOM bytes still to drop (UTF-8's goes to the CSV reader) */
  bool tolerant;   /* UTF-8 with stray bytes, passed on (vc_decode_stream_explain) */
  /* UTF-8: a whole pass checked every byte; the next passes do not check
   * them again (the CSV reader still refuses a value that is not UTF-8, so
   * a file changed between two passes is still caught, value by value) */
  bool passed, checked;
  char in[8];      /* input held for the next piece: a cut sequence (and a CR) */
  size_t inlen;
  char *conv;      /* text waiting for its line end (UTF-8: the piece) */
  size_t clen, ccap;
  size_t raw, out; /* bytes converted, and given out after NFC */
  size_t consumed; /* input bytes (after the BOM) iconv has taken */
  why_t why;       /* why feeding failed */
  bool failed, stopped;
};

/* The checks decode makes on the start of the file (BOM against the
 * option, UTF-32, the code page against the text): the encoding to read
 * with and the BOM's length, or ENC_UNKNOWN with a diag (refused) or with
 * *more set and nothing said (needs more than head). */
static enc_t open_checks(const unsigned char *s, size_t avail, size_t total,
                         const char *encoding, const char *name, size_t *skip, bool *bom,
                         bool *more, vc_diag_t *d) {
  enc_t enc = lookup(encoding);
  bom_t b = sniff_bom(s, avail, skip);
  *bom = b != BOM_NONE;
  if (b == BOM_UTF32) {
    vc_diag_add(d, VC_E_INPUT, name, 0, 0,
                "the file is UTF-32, which vncert does not read: save it as \"CSV UTF-8\" in "
                "Excel");
    return ENC_UNKNOWN;
  }
  if (b != BOM_NONE) { /* the BOM decides; an option must agree with it */
    bool agree = enc == ENC_AUTO || (enc == ENC_UTF8 && b == BOM_UTF8) ||
                 (enc == ENC_UTF16 && b != BOM_UTF8) ||
                 (enc == ENC_UTF16LE && b == BOM_UTF16LE) ||
                 (enc == ENC_UTF16BE && b == BOM_UTF16BE);
    if (!agree) {
      vc_diag_add(d, VC_E_INPUT, name, 1, 0,
                  "the file starts with a %s byte-order mark, but --encoding %s was given: the "
                  "mark says how the file is written, so run again without --encoding",
                  bom_show(b), encoding);
      return ENC_UNKNOWN;
    }
    enc = b == BOM_UTF8 ? ENC_UTF8 : b == BOM_UTF16LE ? ENC_UTF16LE : ENC_UTF16BE;
  } else if (enc == ENC_UTF16) {
    vc_diag_add(d, VC_E_INPUT, name, 1, 0,
                "--encoding utf-16 needs a byte-order mark at the start of the file, and this "
                "file has none: run again with --encoding utf-16le or utf-16be (Excel's "
                "\"Unicode Text\" is utf-16le)");
    return ENC_UNKNOWN;
  }
  if (enc == ENC_AUTO || enc == ENC_UTF8) return ENC_UTF8;
  int pre = convert_precheck(s + *skip, avail - *skip, total - *skip, enc, *bom, name, d);
  if (pre < 0) *more = true;
  return pre == 1 ? enc : ENC_UNKNOWN;
}

/* Opens the decoder on the start of the file (see decode.h). */
vc_decode_stream_t *vc_decode_stream_open(const char *head, size_t avail, size_t total,
                                          const char *encoding, const char *name, char *used,
                                          bool *more, vc_diag_t *d) {
  const unsigned char *s = (const unsigned char *)(head ? head : "");
  *more = false;
  if (used) used[0] = '\0';
  if (!name) name = "(input)";
  if (vc_decode_check(encoding, d) != VC_OK) return NULL;
  if (total > VC_CSV_MAX_BYTES) {
    vc_diag_add(d, VC_E_LIMIT, name, 0, 0,
                "the file is %zu MB, more than the %u MB vncert reads: split it", total >> 20,
                VC_CSV_MAX_BYTES >> 20);
    return NULL;
  }
  if (avail > total) avail = total;
  if (avail < 4 && avail < total) { /* a BOM is decided on its 4 bytes */
    *more = true;
    return NULL;
  }
  size_t skip = 0;
  bool bom = false;
  enc_t enc = open_checks(s, avail, total, encoding, name, &skip, &bom, more, d);
  if (enc == ENC_UNKNOWN) return NULL;
  vc_decode_stream_t *st = calloc(1, sizeof *st);
  if (!st) {
    vc_diag_add(d, VC_E_NOMEM, name, 0, 0, "out of memory");
    return NULL;
  }
  st->cd = (iconv_t)-1;
  if (enc != ENC_UTF8 && (st->cd = iconv_open("UTF-8", ICONV_NAME[enc])) == (iconv_t)-1) {
    vc_diag_add(d, VC_E_INTERNAL, name, 0, 0,
                "this system's iconv cannot convert from %s (%s): glibc's gconv modules are "
                "missing",
                ENC_SHOW[enc], ICONV_NAME[enc]);
    free(st);
    return NULL;
  }
  st->enc = enc;
  st->bom = skip;
  st->skip = enc == ENC_UTF8 ? 0 : skip;
  set_used(used, ENC_SHOW[enc], bom);
  return st;
}

/* Back to the start of the file, for another pass (see decode.h). */
void vc_decode_stream_rewind(vc_decode_stream_t *st) {
  if (st->cd != (iconv_t)-1) iconv(st->cd, NULL, NULL, NULL, NULL);
  st->skip = st->enc == ENC_UTF8 ? 0 : st->bom;
  st->inlen = st->clen = st->raw = st->out = st->consumed = 0;
  st->why = WHY_NONE;
  st->checked = st->checked || (st->passed && !st->failed && !st->stopped);
  st->passed = st->failed = st->stopped = false;
}

void vc_decode_stream_free(vc_decode_stream_t *st) {
  if (!st) return;
  if (st->cd != (iconv_t)-1) iconv_close(st->cd);
  free(st->conv);
  free(st);
}

/* Marks the stream failed, and why. */
static bool fail(vc_decode_stream_t *st, why_t why) {
  st->why = why;
  st->failed = true;
  return false;
}

/* Room for n more bytes in st->conv; false on no memory. */
static bool conv_room(vc_decode_stream_t *st, size_t n) {
  if (st->ccap - st->clen >= n) return true;
  size_t ncap = st->ccap ? st->ccap : 1u << 16;
  while (ncap - st->clen < n) ncap *= 2;
  char *nb = realloc(st->conv, ncap);
  if (!nb) return false;
  st->conv = nb;
  st->ccap = ncap;
  return true;
}

/* Converts *ip[0..*il) (or flushes, ip NULL) onto st->conv.  Stops at a cut
 * sequence (left in ip and il); false (st->why) on a byte the encoding
 * does not define, the cap, or no memory. */
static bool stream_iconv(vc_decode_stream_t *st, char **ip, size_t *il) {
  for (;;) {
    if (!conv_room(st, 256)) return fail(st, WHY_NOMEM);
    char *op = st->conv + st->clen;
    size_t ol = st->ccap - st->clen;
    char *from = ip ? *ip : NULL;
    size_t r = ip ? iconv(st->cd, ip, il, &op, &ol) : iconv(st->cd, NULL, NULL, &op, &ol);
    int e = errno;
    if (ip) st->consumed += (size_t)(*ip - from);
    st->raw += (size_t)(op - (st->conv + st->clen));
    st->clen = (size_t)(op - st->conv);
    if (st->raw > VC_CSV_MAX_BYTES) return fail(st, WHY_LIMIT);
    if (r != (size_t)-1) return true;
    if (e == E2BIG) continue;
    if (e == EINVAL && ip) return true;
    return fail(st, e == EINVAL ? WHY_TRUNC : WHY_BAD);
  }
}

/* NFC of the complete lines and long-line pieces in st->conv (all of it
 * when last), given to emit; false on a problem (st->why) or when emit
 * says stop (st->stopped).  A long line goes out in NFC_PIECE pieces, so
 * the CSV reader meets it (and its cap) as it comes instead of after it
 * was gathered whole. */
static bool stream_lines(vc_decode_stream_t *st, bool last, vc_decode_emit_fn emit, void *ud) {
  size_t n = 0, upto = 0;
  bool limit = false;
  char *o = nfc_lines(st->conv, st->clen, &n, &limit, last ? NULL : &upto);
  if (last) upto = st->clen;
  if (!o || n > VC_CSV_MAX_BYTES - st->out) {
    free(o);
    return fail(st, o || limit ? WHY_LIMIT : WHY_NOMEM);
  }
  st->out += n;
  bool go = !emit || !n || emit(ud, o, n);
  free(o);
  if (!go) return st->stopped = true, false;
  if (upto) {
    memmove(st->conv, st->conv + upto, st->clen - upto);
    st->clen -= upto;
  }
  return true;
}

/* Bytes at the end of s[0..n) that begin a UTF-8 sequence the piece cuts
 * (0-3): they wait for the next piece. */
static size_t utf8_cut(const unsigned char *s, size_t n) {
  size_t p = n, k = 0;
  while (p > 0 && k < 3 && (s[p - 1] & 0xC0) == 0x80) p--, k++;
  if (p == 0) return 0;
  unsigned char c = s[--p];
  size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
  return n - p < need ? n - p : 0;
}

/* UTF-8 text: checked (strict: no zero byte, valid UTF-8; not when
 * tolerant), then given out with each CR before an LF left out, as the CSV
 * reader wants it.  A sequence cut by the end of the piece, and a CR
 * ending it, wait for the next one. */
static bool utf8_feed(vc_decode_stream_t *st, const char *in, size_t n, bool last,
                      vc_decode_emit_fn emit, void *ud) {
  st->clen = 0;
  if (!conv_room(st, st->inlen + n + 1)) return fail(st, WHY_NOMEM);
  memcpy(st->conv, st->in, st->inlen);
  if (n) memcpy(st->conv + st->inlen, in, n);
  size_t m = st->inlen + n;
  unsigned char *s = (unsigned char *)st->conv;
  size_t keep = last ? 0 : utf8_cut(s, m);
  size_t body = m - keep;
  if (!st->tolerant && !st->checked &&
      ((body && memchr(s, 0, body)) || !vc_utf8_valid(st->conv, body, NULL)))
    return fail(st, WHY_BAD);
  if (!last && body && s[body - 1] == '\r') body--, keep++;
  if (emit) {
    size_t o = copy_crlf(st->conv, st->conv, body);
    if (o && !emit(ud, st->conv, o)) return st->stopped = true, false;
  }
  memcpy(st->in, st->conv + m - keep, keep);
  st->inlen = keep;
  st->passed = last;
  return true;
}

/* Feeds the file's next n bytes (see decode.h). */
bool vc_decode_stream_feed(vc_decode_stream_t *st, const char *in, size_t n, bool last,
                           vc_decode_emit_fn emit, void *ud) {
  if (st->failed || st->stopped) return false;
  size_t drop = st->skip < n ? st->skip : n;
  st->skip -= drop;
  in += drop;
  n -= drop;
  if (st->enc == ENC_UTF8) return utf8_feed(st, in, n, last, emit, ud);
  while (st->inlen && n) { /* complete the cut sequence first */
    st->in[st->inlen++] = *in++;
    n--;
    char *ip = st->in;
    size_t il = st->inlen;
    if (!stream_iconv(st, &ip, &il)) return false;
    memmove(st->in, ip, il);
    st->inlen = il;
    if (il >= sizeof st->in) return fail(st, WHY_BAD);
  }
  char *ip = (char *)in;
  size_t il = n;
  if (n && !stream_iconv(st, &ip, &il)) return false;
  if (il) {
    if (st->inlen + il > sizeof st->in) return fail(st, WHY_BAD);
    memcpy(st->in + st->inlen, ip, il);
    st->inlen += il;
  }
  if (last) {
    if (st->inlen) return fail(st, WHY_TRUNC);
    if (!stream_iconv(st, NULL, NULL)) return false;
  }
  return stream_lines(st, last, emit, ud);
}

bool vc_decode_stream_failed(const vc_decode_stream_t *st) { return st->failed; }

/* Why converting failed, from the file s[0..n) after the BOM. */
static void explain_converted(const vc_decode_stream_t *st, const unsigned char *s, size_t n,
                              const char *name, vc_diag_t *d) {
  bool utf16 = st->enc == ENC_UTF16LE || st->enc == ENC_UTF16BE;
  const char *show = ENC_SHOW[st->enc];
  size_t off = st->consumed < n ? st->consumed : n;
  int line, col;
  if (utf16) pos_utf16(s, off & ~(size_t)1, st->enc == ENC_UTF16BE, &line, &col);
  else pos_bytes(s, off, &line, &col);
  switch (st->why) {
  case WHY_BAD:
    if (utf16) {
      vc_diag_add(d, VC_E_INPUT, name, line, col,
                  "bytes 0x%02X 0x%02X are not %s (half of a surrogate pair alone): the file "
                  "is damaged or not %s",
                  off < n ? s[off] : 0, off + 1 < n ? s[off + 1] : 0, show, show);
    } else {
      const char *advice = guess_advice(vc_detect_legacy((const char *)s, n, NULL));
      unsigned char b = off < n ? s[off] : 0;
      if (advice)
        vc_diag_add(d, VC_E_INPUT, name, line, col,
                    "byte 0x%02X is not a %s character, so the file is not %s; %s", b, show,
                    show, advice);
      else
        vc_diag_add(d, VC_E_INPUT, name, line, col,
                    "byte 0x%02X is not a %s character, so the file is not %s: run again "
                    "without --encoding to have it checked",
                    b, show, show);
    }
    break;
  case WHY_TRUNC:
    vc_diag_add(d, VC_E_INPUT, name, line, 0,
                "the file ends in the middle of a %s character (an odd number of bytes, or "
                "half a surrogate pair): it was cut short",
                show);
    break;
  case WHY_LIMIT:
    vc_diag_add(d, VC_E_LIMIT, name, 0, 0,
                "converted to UTF-8 the file is more than the %u MB vncert reads: split it",
                VC_CSV_MAX_BYTES >> 20);
    break;
  default:
    vc_diag_add(d, VC_E_NOMEM, name, 0, 0, "out of memory converting the file");
  }
}

/* Says why a feed failed, from the whole file (see decode.h). */
bool vc_decode_stream_explain(vc_decode_stream_t *st, const char *buf, size_t len,
                              const char *name, vc_diag_t *d) {
  if (!name) name = "(input)";
  const unsigned char *s = (const unsigned char *)(buf ? buf : "") + st->bom;
  size_t n = len > st->bom ? len - st->bom : 0;
  if (st->enc == ENC_UTF8 && st->why == WHY_NOMEM)
    return vc_diag_add(d, VC_E_NOMEM, name, 0, 0, "out of memory"), false;
  if (st->enc != ENC_UTF8) { /* the checks of the whole file come first */
    if (convert_precheck(s, n, n, st->enc, st->bom > 0, name, d) == 1)
      explain_converted(st, s, n, name, d);
    return false;
  }
  /* UTF-16 without a BOM is named; other zero bytes and stray bytes in
   * UTF-8 text are the CSV reader's to report, value by value */
  if (refuse_utf16_shape(s, n, name, d)) return false;
  size_t bad = 0;
  if (!vc_utf8_valid((const char *)s, n, &bad) && !stray_or_refuse(s, n, bad, name, d))
    return false;
  vc_decode_stream_rewind(st);
  st->tolerant = true;
  return true;
}

/* Emitter gathering the text in a memory stream (vc_decode). */
static bool gather(void *ud, const char *s, size_t n) { return fwrite(s, 1, n, ud) == n; }

/* Decodes buf to UTF-8: the stream fed the whole buffer (see decode.h). */
char *vc_decode(const char *buf, size_t len, const char *encoding, const char *name,
                size_t *outlen, char *used, vc_diag_t *d) {
  if (outlen) *outlen = 0;
  if (used) used[0] = '\0';
  if (!name) name = "(input)";
  if (!buf && len) {
    vc_diag_add(d, VC_E_INTERNAL, name, 0, 0, "no data given");
    return NULL;
  }
  if (!buf) buf = "";
  bool more;
  char show[32] = "";
  vc_decode_stream_t *st = vc_decode_stream_open(buf, len, len, encoding, name, show, &more, d);
  if (!st) return NULL;
  char *out = NULL;
  size_t olen = 0, from = st->enc == ENC_UTF8 ? st->bom : 0; /* its BOM left out */
  FILE *g = open_memstream(&out, &olen);
  bool ok = g && vc_decode_stream_feed(st, buf + from, len - from, true, gather, g);
  if (g && !ok && vc_decode_stream_failed(st) &&
      vc_decode_stream_explain(st, buf, len, name, d)) {
    rewind(g); /* stray bytes in UTF-8: passed on, the CSV reader names them */
    ok = vc_decode_stream_feed(st, buf + from, len - from, true, gather, g);
    if (!ok && vc_decode_stream_failed(st)) vc_decode_stream_explain(st, buf, len, name, d);
  }
  if (g && fclose(g) != 0) ok = false;
  if (!ok && !vc_decode_stream_failed(st)) /* gathering ran out of memory */
    vc_diag_add(d, VC_E_NOMEM, name, 0, 0, "out of memory");
  vc_decode_stream_free(st);
  if (!ok) {
    free(out);
    return NULL;
  }
  if (outlen) *outlen = olen;
  if (used) memcpy(used, show, sizeof show);
  return out;
}
