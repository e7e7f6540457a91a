/*
 * detect.h - private to src/input: recognising which old Vietnamese
 * encoding a file that is not UTF-8 was written in, so the error can name
 * it, and the iconv conversion the decoder and the detector share.
 *
 * Not a public API: decode.c and the unit tests use it.
 */
#ifndef VC_DETECT_H
#define VC_DETECT_H

#include <stdbool.h>
#include <stddef.h>

/* What a file's bytes most likely are.  VC_GUESS_NONE: no clear winner. */
typedef enum vc_guess {
  VC_GUESS_NONE = 0,
  VC_GUESS_CP1258, /* Windows-1258: Excel's plain "CSV" on Vietnamese Windows */
  VC_GUESS_TCVN3,  /* TCVN 5712 (ABC, .VnTime fonts) */
  VC_GUESS_VNI,    /* VNI Windows (VNI-Times fonts): not read, only named */
  VC_GUESS_NCAND   /* number of candidates + 1 */
} vc_guess_t;

/* The verdict and how it was reached (for tests and tuning). */
typedef struct vc_detect {
  vc_guess_t guess;
  long words[VC_GUESS_NCAND]; /* words with a non-ASCII letter, per reading */
  long valid[VC_GUESS_NCAND]; /* of those, valid Vietnamese syllables */
  double score[VC_GUESS_NCAND]; /* valid / words (0 when no words or the
                                   reading is impossible) */
} vc_detect_t;

/* The thresholds of a clear winner (docs/data.md explains them): at least
 * VC_DETECT_MIN_VALID valid syllables, a score of at least VC_DETECT_MIN_SCORE
 * and at least VC_DETECT_MARGIN above every other reading. */
#define VC_DETECT_MIN_VALID 2
#define VC_DETECT_MIN_SCORE 0.80
#define VC_DETECT_MARGIN 0.30
/* Only this much of a file is looked at (cut at a line end). */
#define VC_DETECT_SAMPLE (1u << 20)

/* Reads buf[0..len) as Windows-1258, TCVN3 and VNI and scores how
 * Vietnamese each reading looks.  Fills *out (may be NULL) and returns the
 * guess.  Never fails: without memory it returns VC_GUESS_NONE. */
vc_guess_t vc_detect_legacy(const char *buf, size_t len, vc_detect_t *out);

/* True when the UTF-8 word s[0..n) (any case, NFC or NFD) is one valid
 * Vietnamese syllable: an onset, a vowel group and a final from the
 * language's inventory, at most one tone mark, and only sắc or nặng before
 * a final c, ch, p or t.  A single letter counts as valid (initials). */
bool vc_detect_syllable(const char *s, size_t n);

/* 'L' or 'B' when the zero bytes of the first 64 KiB of buf[0..n) sit
 * where UTF-16LE or BE text of mostly ASCII puts them (a quarter of the
 * units at least, on one side only), else 0; *even and *odd (may be NULL)
 * get the counts of zero bytes at even and odd offsets there. */
char vc_detect_utf16(const char *buf, size_t n, size_t *even, size_t *odd);

/* Offset of the first letter only Vietnamese uses (ă đ ơ ư, a precomposed
 * toned vowel U+1EA0-U+1EF9, or a combining tone mark) in the valid UTF-8
 * buf[0..n), or SIZE_MAX. */
size_t vc_detect_first_vietnamese(const char *buf, size_t n);

#endif
