/*
 * collate.h - Vietnamese order, as a class list is sorted: by given name,
 * then middle name(s), then family name; letters a ă â b c d đ e ê g h i k l
 * m n o ô ơ p q r s t u ư v x y; letters decide before tones; tones ngang,
 * huyền, hỏi, ngã, sắc, nặng (or, as an option, ngang, sắc, huyền, hỏi, ngã,
 * nặng).  See ../shared/notes/vietnamese-conventions.md.
 *
 * Beyond the Vietnamese alphabet: f j w z sit at their ASCII place (f after
 * ê, j after i, w after v, z after y); other letters (ø, ß, Greek, CJK) come
 * after z by code point; marks that are not Vietnamese (ü, ç) only break
 * ties.  White space < punctuation and symbols < numbers < letters.  Digit
 * runs compare as numbers ("K9" < "K10", "10A2" < "10A10"; "1" < "01" as a
 * last tie-break).  A word's tone is a property of the word, not of the
 * vowel carrying the mark: "Hoà" and "Hòa" compare equal.
 */
#ifndef VC_COLLATE_H
#define VC_COLLATE_H

#include <stdbool.h>
#include <stddef.h>

typedef enum {
  VC_TONES_VIETLEX = 0, /* ngang, huyền, hỏi, ngã, sắc, nặng (CLDR vi) */
  VC_TONES_SAC_FIRST    /* ngang, sắc, huyền, hỏi, ngã, nặng */
} vc_tone_order_t;

/* Compares two NFC strings as Vietnamese text: letters of the whole string
 * first (word by word: "An Bình" < "Anh"), then the tones word by word, then
 * case (lower first) as the last tie-breaker.  <0, 0, >0; NULL is "". */
int vc_collate_text(const char *a, const char *b, vc_tone_order_t tones);

/* Compares two full names: given name (last word), then the middle words,
 * then the family name (first word), each part by letters then tones (so
 * every "Anh" precedes every "Ánh"); case only after all three parts. */
int vc_collate_name(const char *a, const char *b, vc_tone_order_t tones);

/* Builds a binary sort key for s (memcmp order, shorter first on a common
 * prefix, == vc_collate_text order), so large lists sort fast.  Returns a new
 * buffer (caller frees) and its length, NULL on no memory.  name = true
 * gives the vc_collate_name order. */
unsigned char *vc_collate_key(const char *s, bool name, vc_tone_order_t tones,
                              size_t *len);

#endif
