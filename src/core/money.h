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

#include "vncert.h"

/* Largest amount accepted: 999.999.999.999.999.999 (fits words' scale). */
#define VC_MONEY_MAX 999999999999999999ULL

/* vc_money_parse, vc_money_words, vc_money_words_dong and the VC_WORDS_*
 * flags are public (vncert.h). */

/* Suffix styles for formatting. */
typedef enum { VC_MONEY_SUFFIX_D = 0, /* "5.000.000 đ" */
               VC_MONEY_SUFFIX_VND,   /* "5.000.000 VNĐ" */
               VC_MONEY_SUFFIX_DONG,  /* "5.000.000 ₫" */
               VC_MONEY_SUFFIX_NONE   /* "5.000.000" */
} vc_money_suffix_t;

/* Writes the formatted amount into out (returns false if it does not fit). */
bool vc_money_format(uint64_t v, vc_money_suffix_t sfx, char *out, size_t outlen);

#endif
