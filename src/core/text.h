/*
 * text.h - UTF-8 and Vietnamese text rules: validation, NFC, white space,
 * case mapping, folding for header matching and for search.  Built on
 * utf8proc (no Unicode tables of our own).
 *
 * All functions returning char * return a new NUL-terminated string the
 * caller frees with free(); they return NULL only when out of memory (or,
 * where stated, on invalid UTF-8).
 */
#ifndef VC_TEXT_H
#define VC_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vncert.h"

/* Checks that s[0..n) is valid UTF-8 (no overlongs, no surrogates, no
 * code points above U+10FFFF).  On failure stores the byte offset of the first
 * bad byte in *bad_off (if not NULL) and returns false: that is the start of
 * the first sequence that does not decode (for "ab\xED\xA0\x80", a
 * surrogate, the offset is 2), so a message can point at the character. */
bool vc_utf8_valid(const char *s, size_t n, size_t *bad_off);

/* Decodes one code point from s[0..n) (n > 0).  Returns its length in bytes
 * (1-4) and stores it in *cp; returns 0 for invalid UTF-8. */
size_t vc_utf8_decode(const char *s, size_t n, int32_t *cp);

/* Encodes cp into out (at least 4 bytes); returns length.  A value that is
 * not a Unicode scalar (negative, surrogate, above U+10FFFF) is written as
 * U+FFFD. */
size_t vc_utf8_encode(int32_t cp, char *out);

/* Number of code points in a valid UTF-8 string. */
size_t vc_utf8_len(const char *s);

/* The cleaning every data value gets: NFC, leading/trailing white space
 * removed, every run of white space (Unicode White_Space, including U+00A0,
 * tabs, CR, LF) collapsed to one U+0020.  NULL if s is not valid UTF-8 or
 * contains a NUL byte (the result could not carry it). */
char *vc_text_clean(const char *s, size_t n);

/* NFC only (no white-space change).  NULL if invalid UTF-8 or a NUL byte. */
char *vc_text_nfc(const char *s, size_t n);

/* The fast path of vc_text_clean, for readers' hot loops (no allocation):
 * when s[0..n) is valid UTF-8 without NUL and every character is one NFC
 * cannot change (ASCII, Latin with all precomposed Vietnamese letters,
 * general punctuation, currency signs), writes the cleaned value to out
 * (room for n bytes; no NUL added) and returns its length.  Otherwise
 * returns SIZE_MAX, out's content is undefined, and the caller uses
 * vc_text_clean. */
size_t vc_text_clean_fast(const char *s, size_t n, char *out);

/* Vietnamese-correct case mapping of a valid UTF-8 string, result in NFC:
 * upper ("đễ" -> "ĐỄ"), lower, title (first letter of each space-separated
 * word upper, rest lower: "nguyễn thị THU" -> "Nguyễn Thị Thu"),
 * capfirst (first letter upper, the rest unchanged).  "Letter" means the
 * first letter before any digit: "(nguyễn" -> "(Nguyễn", "3a" stays "3a".
 * These and the folds below return NULL for NULL or invalid UTF-8. */
char *vc_text_upper(const char *s);
char *vc_text_lower(const char *s);
char *vc_text_title(const char *s);
char *vc_text_capfirst(const char *s);

/* Folding for header names: lower case, diacritics removed, đ/Đ -> d,
 * every run of characters that are not letters or digits -> one '_',
 * no leading/trailing '_'.  "Họ và tên" -> "ho_va_ten", "Mã SV" -> "ma_sv". */
char *vc_text_fold_key(const char *s);

/* Folding for search: lower case, diacritics removed, đ -> d, white space
 * collapsed to single spaces, trimmed.  "Nguyễn Thị  Thu Thảo" ->
 * "nguyen thi thu thao". */
char *vc_text_fold_search(const char *s);

/* The one rule for finding a person by a typed name (--match, the
 * ledger's search): do the words of typed occur, in order, as whole words
 * of name, the last typed word allowed to be a prefix?  Both are folded by
 * vc_text_fold_search.  Typed text with no words matches nothing, so an
 * empty search never selects a whole class. */
bool vc_text_words_match(const char *name, const char *typed);

/* s itself when shorter than buflen, else its start cut between characters
 * with "..." written into buf (buflen >= 8): file text quoted in messages
 * stays short and whole. */
const char *vc_text_shorten(const char *s, char *buf, size_t buflen);

/* The one shortener behind every quoted value in a message: the start of s,
 * at most max_bytes bytes and max_chars characters (SIZE_MAX: no limit),
 * never cut inside a character, then mark ("..." or "…") when anything was
 * left out; written into out (outsz >= 1: the bytes are capped so the
 * text, the mark and the NUL fit; no mark when only it would not).  Returns
 * out. */
const char *vc_text_cut(const char *s, size_t max_bytes, size_t max_chars,
                        const char *mark, char *out, size_t outsz);

/* Edit distance of two short words for "did you mean" (bytes, ASCII case
 * ignored; a swap of neighbours is one edit).  SIZE_MAX past 64 bytes. */
size_t vc_text_edit_distance(const char *a, const char *b);

/* Strips diacritics but keeps case (đ -> d, Đ -> D): for file names. */
char *vc_text_strip_marks(const char *s);

/* A copy of s, "" for NULL (a database NULL, an unset option): the
 * caller's (free), NULL on no memory. */
char *vc_text_dup_or_empty(const char *s);

/* ---- the same under every locale ----
 * strcasecmp, tolower and printf("%f") follow the locale main() sets
 * (setlocale(LC_ALL, "")): under tr_TR 'I' does not fold to 'i', so
 * "MIDDLE" != "middle", and under fr_FR 1.5 prints as "1,5".  Keywords,
 * file extensions and numbers go through these instead. */

/* 'A'-'Z' to 'a'-'z'; every other value unchanged. */
int vc_ascii_lower(int c);
/* Compares like strcasecmp with only ASCII letters folded (other bytes,
 * UTF-8 included, compare as they are); the ncase form looks at n bytes at
 * most, like strncasecmp. */
int vc_ascii_casecmp(const char *a, const char *b);
int vc_ascii_ncasecmp(const char *a, const char *b, size_t n);

/* v with at most two decimals and a dot ("280", "215.9", "0.25", "-3"),
 * for messages; "(huge)" beyond +-1e15.  Returns out. */
char *vc_text_fmt_num(double v, char *out, size_t outlen);

/* ---- hostile text (issue 6, point 9) ----
 * Invisible format characters: Unicode category Cf (by utf8proc), among
 * them U+200B-U+200F (zero-width space, joiners, LRM, RLM), U+202A-U+202E
 * (bidi embeddings and overrides), U+2060-U+2064, U+2066-U+2069 (bidi
 * isolates), U+FEFF (BOM / zero-width no-break space), U+00AD (soft
 * hyphen).  They print as nothing, so two values that look the same differ,
 * and the bidi ones reorder what follows ("0210456\u202Efdp.exe"). */
bool vc_text_invisible(int32_t cp);
/* s without its invisible format characters (invalid UTF-8 is copied as
 * it is).  *dropped (may be NULL) gets how many were left out. */
char *vc_text_drop_invisible(const char *s, size_t *dropped);
/* vc_text_escape is public (vncert.h). */
/* True when s[0..n) has something vc_text_escape would change. */
bool vc_text_needs_escape(const char *s, size_t n, bool keep_breaks);

#endif
