/*
 * money.h - Vietnamese amounts: parsing what clerks type, formatting
 * "5.000.000 đ", and reading amounts in words ("năm triệu") per
 * ../shared/notes/vietnamese-conventions.md.
 */
#ifndef VC_MONEY_H
#define VC_MONEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Largest amount accepted: 999.999.999.999.999.999 (fits words' scale). */
#define VC_MONEY_MAX 999999999999999999ULL

/* Parses an amount.  Accepted: "5000000", "5.000.000", "5,000,000",
 * "5.000.000 đ", "5.000.000đ", "5.000.000 VNĐ", "5.000.000 ₫" (the text is
 * already NFC and trimmed).  Groups after the first must have exactly three
 * digits; one separator kind per amount.  Rejected: empty, negative, words,
 * decimals ("5.000.00", "5000,5"), above VC_MONEY_MAX.  On failure writes a
 * short reason (Vietnamese-clerk readable English) into why and returns
 * false. */
bool vc_money_parse(const char *s, uint64_t *out, char *why, size_t whylen);

/* Suffix styles for formatting. */
typedef enum { VC_MONEY_SUFFIX_D = 0, /* "5.000.000 đ" */
               VC_MONEY_SUFFIX_VND,   /* "5.000.000 VNĐ" */
               VC_MONEY_SUFFIX_DONG,  /* "5.000.000 ₫" */
               VC_MONEY_SUFFIX_NONE   /* "5.000.000" */
} vc_money_suffix_t;

/* Writes the formatted amount into out (returns false if it does not fit). */
bool vc_money_format(uint64_t v, vc_money_suffix_t sfx, char *out, size_t outlen);

/* Variants for words (bit flags); 0 = the defaults of the conventions note. */
enum {
  VC_WORDS_NGAN = 1, /* "ngàn" instead of "nghìn" */
  VC_WORDS_LE = 2,   /* "lẻ" instead of "linh" */
  VC_WORDS_TI = 4,   /* "tỉ" instead of "tỷ" */
  VC_WORDS_BON = 8   /* "bốn" instead of "tư" after mươi */
};

/* Amount in words, lower case, NFC: 5000000 -> "năm triệu", 0 -> "không".
 * Writes into out; false if it does not fit. */
bool vc_money_words(uint64_t v, unsigned flags, char *out, size_t outlen);

/* The receipt form: "Năm triệu đồng chẵn" (first letter capitalised, then
 * " đồng", then " chẵn" when v is a whole multiple of 1000 and non-zero).
 * No final period (the template adds punctuation). */
bool vc_money_words_dong(uint64_t v, unsigned flags, char *out, size_t outlen);

#endif
