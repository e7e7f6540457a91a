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

#define VC_WB_MAX_DEC 30 /* decimals shown at most */

enum { VC_WB_TK_LIT, VC_WB_TK_DIG, VC_WB_TK_POINT, VC_WB_TK_EXP, VC_WB_TK_PCT, VC_WB_TK_AT, VC_WB_TK_GEN, VC_WB_TK_DATE };
enum { VC_WB_PART_INT, VC_WB_PART_FRAC, VC_WB_PART_EXP };
enum { VC_WB_SEC_NUM, VC_WB_SEC_DATE, VC_WB_SEC_FRACTION };

typedef struct {
  unsigned char kind;
  char ch;            /* VC_WB_TK_DIG: '0' '#' '?'; VC_WB_TK_EXP: '+' '-'; VC_WB_TK_DATE: letter */
  unsigned char part; /* VC_WB_TK_DIG: PART_* */
  uint16_t off, len;  /* VC_WB_TK_LIT: text in lits */
} vc__wb_tok_t;

typedef struct {
  vc__wb_tok_t *toks;
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
} vc__wb_section_t;

struct vc_wb_fmt {
  int nsec;
  vc__wb_section_t sec[4];
  vc__wb_tok_t *toks;
  char *lits;
  size_t nlits;
};

#endif
