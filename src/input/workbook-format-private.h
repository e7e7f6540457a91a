/*
 * workbook-format-private.h - a compiled number format, shared by
 * workbook-format.c (compiling the code) and workbook-show.c (showing a
 * value through it).
 */
#ifndef VC_WORKBOOK_FORMAT_PRIVATE_H
#define VC_WORKBOOK_FORMAT_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "input/workbook-private.h"

#define MAX_DEC 30 /* decimals shown at most */

enum { TK_LIT, TK_DIG, TK_POINT, TK_EXP, TK_PCT, TK_AT, TK_GEN, TK_DATE };
enum { PART_INT, PART_FRAC, PART_EXP };
enum { SEC_NUM, SEC_DATE, SEC_FRACTION };

typedef struct {
  unsigned char kind;
  char ch;            /* TK_DIG: '0' '#' '?'; TK_EXP: '+' '-'; TK_DATE: letter */
  unsigned char part; /* TK_DIG: PART_* */
  uint16_t off, len;  /* TK_LIT: text in lits */
} tok_t;

typedef struct {
  tok_t *toks;
  int ntoks;
  int kind;
  int nint, nfrac, nexp, nexp0;
  bool group, point, exp, has_at, has_gen, int_hash;
  int scale, pct;
  bool has_cond;
  char cop[3];
  double cval;
  /* date sections */
  bool d_date, d_time, d_sec, d_min, d_hour, d_elapsed;
  char elapsed; /* 'h', 'm' or 's': the unit in brackets */
} section_t;

struct vc_wb_fmt {
  int nsec;
  section_t sec[4];
  tok_t *toks;
  char *lits;
  size_t nlits;
};

#endif
