/*
 * collate.h - Vietnamese order, as a class list is sorted: by given name
 * (tên), then the rest of the name as written, family name first (họ đệm),
 * which is what a school gets sorting its "Tên" then "Họ đệm" columns:
 * Bạch Minh Khoa, Đào Anh Khoa, Phạm Hữu Khoa.  (Given, middle, family
 * name is an option.)  Letters a ă â b c d đ e ê g h i k l
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

#include "vncert.h"

/* vc_tone_order_t is public (vncert.h). */

/* How a full name is ordered (the value 1, "a name", is the usual order). */
typedef enum {
  VC_NAME_NONE = 0,   /* not a name: plain text order */
  VC_NAME_TEN_HO_DEM, /* given name, then family and middle names as written:
                       * Bạch Minh Khoa, Đào Anh Khoa, Phạm Hữu Khoa */
  VC_NAME_TEN_DEM_HO  /* given name, then middle names, then family name:
                       * Đào Anh Khoa, Phạm Hữu Khoa, Bạch Minh Khoa */
} vc_name_order_t;

/* Compares two NFC strings as Vietnamese text: letters of the whole string
 * first (word by word: "An Bình" < "Anh"), then the tones word by word, then
 * case (lower first) as the last tie-breaker.  <0, 0, >0; NULL is "". */
int vc_collate_text(const char *a, const char *b, vc_tone_order_t tones);

/* Compares two full names in class-list order (VC_NAME_TEN_HO_DEM): given
 * name (last word) first, then the words before it as one text, family
 * name first; each part by letters then tones (so every "Anh" precedes
 * every "Ánh"); case only after both parts.  (VC_NAME_TEN_DEM_HO orders
 * the middle words, then the family name (first word), after the given
 * name: through vc_collate_key.) */
int vc_collate_name(const char *a, const char *b, vc_tone_order_t tones);

/* Builds a binary sort key for s (memcmp order, shorter first on a common
 * prefix, == vc_collate_text order), so large lists sort fast.  Returns a new
 * buffer (caller frees) and its length, NULL on no memory.  A name order
 * other than VC_NAME_NONE gives the vc_collate_name order. */
unsigned char *vc_collate_key(const char *s, vc_name_order_t name,
                              vc_tone_order_t tones, size_t *len);

#endif
