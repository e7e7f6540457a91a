/*
 * workbook-show.c - numbers as the spreadsheet shows them: a cell's value
 * through its compiled number format (workbook-format.c).
 *
 * Decisions (docs/data.md):
 *  - separators are the Vietnamese ones whatever the file's author saw:
 *    '.' between thousands, ',' before decimals ("5.000.000", "8,5",
 *    "5.000.000,00").  Excel stores "#,##0" and lets the viewer's locale pick
 *    the marks; vncert's amount parser takes either, and the Vietnamese form
 *    is the one printed on a certificate;
 *  - General: integers in full up to 15 digits ("5000000", a 12-digit
 *    citizen ID stays whole, as in a widened column); other numbers with at
 *    most 10 significant digits, trailing zeros dropped ("8,5"); very large
 *    or tiny ones as "1,23457E+15".  Values are taken to 15 significant
 *    digits, Excel's precision (0.1+0.2 shows 0,3), and rounded half away
 *    from zero on those digits, as Excel does (2.5 with "0" shows 3);
 *  - every date format shows the date as dd/mm/yyyy, whatever order the
 *    format had (the built-in short date is the viewer's locale's anyway,
 *    and a month-first date would be misread later); a time part is added
 *    as HH:MM or HH:MM:SS (24-hour); time-only formats give HH:MM[:SS];
 *    elapsed [h] formats give total hours.  Serial dates follow Excel: the
 *    1900 system with its fictitious 29/02/1900 (serial 60) and serial 0
 *    shown as 00/01/1900, or the 1904 system.  A negative or too large date
 *    (Excel shows #####) is shown as a General number.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/workbook-format-private.h"

/* ---- output buffer ---- */

typedef struct {
  char *p;
  size_t len, cap; /* cap includes the NUL */
} out_t;

static void put(out_t *o, const char *s, size_t n) {
  if (o->len + 1 >= o->cap) return;
  size_t room = o->cap - 1 - o->len;
  if (n > room) {
    n = room;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) n--; /* whole characters */
  }
  memcpy(o->p + o->len, s, n);
  o->len += n;
  o->p[o->len] = '\0';
}
static void putc1(out_t *o, char c) { put(o, &c, 1); }
static void puts1(out_t *o, const char *s) { put(o, s, strlen(s)); }

/* ---- numbers ---- */

/* v rounded to 15 significant digits, as Excel keeps and shows numbers. */
static double round15(double v) {
  if (v == 0 || !isfinite(v)) return v;
  if (fabs(v) < 1e15 && v == floor(v)) return v; /* integers: already exact */
  char b[40];
  snprintf(b, sizeof b, "%.14e", v);
  return strtod(b, NULL);
}

/* A number >= 0 as decimal digits: d[0].d[1..nd) x 10^e (nd 0 = zero).
 * Rounding is done on these digits, half away from zero as Excel does
 * (printf would round 2.5 to 2). */
typedef struct {
  char d[24];
  int nd, e;
} dec_t;

/* x (finite, >= 0) to its 15 significant digits, trailing zeros dropped. */
static void dec_of(double x, dec_t *r) {
  char b[40];
  r->nd = 0;
  r->e = 0;
  if (!(x > 0)) return;
  if (x < 1e15 && x == floor(x)) { /* the common case, without printf */
    unsigned long long u = (unsigned long long)x;
    int n = 0;
    while (u) {
      b[n++] = (char)('0' + u % 10);
      u /= 10;
    }
    r->e = n - 1;
    while (n > 0) r->d[r->nd++] = b[--n];
    while (r->nd > 0 && r->d[r->nd - 1] == '0') r->nd--;
    return;
  }
  snprintf(b, sizeof b, "%.14e", x);
  r->d[r->nd++] = b[0];
  for (const char *p = b + 2; *p >= '0' && *p <= '9'; p++) r->d[r->nd++] = *p;
  const char *e = strchr(b, 'e');
  r->e = e ? atoi(e + 1) : 0;
  while (r->nd > 0 && r->d[r->nd - 1] == '0') r->nd--;
}

/* Rounds r to dec digits after the decimal point. */
static void dec_round(dec_t *r, int dec) {
  int k = r->e + 1 + dec; /* digits kept */
  if (k >= r->nd) return;
  if (k < 0) {
    r->nd = 0;
    return;
  }
  bool up = r->d[k] >= '5';
  r->nd = k;
  if (up) {
    int i = k - 1;
    while (i >= 0 && r->d[i] == '9') r->d[i--] = '0';
    if (i >= 0) {
      r->d[i]++;
    } else { /* 9.99 -> 10.0 */
      memmove(r->d + 1, r->d, (size_t)r->nd);
      r->d[0] = '1';
      r->nd++;
      r->e++;
    }
  }
  while (r->nd > 0 && r->d[r->nd - 1] == '0') r->nd--;
}

/* Integer digits (no leading zeros, "" for zero) and exactly dec fraction
 * digits of r. */
static void dec_split(const dec_t *r, int dec, char *ip, size_t iplen, char *fp, size_t fplen) {
  size_t n = 0;
  if (r->nd)
    for (int p = 0; p <= r->e && n + 1 < iplen; p++) ip[n++] = p < r->nd ? r->d[p] : '0';
  ip[n] = '\0';
  n = 0;
  for (int j = 0; j < dec && n + 1 < fplen; j++) {
    int p = r->e + 1 + j;
    fp[n++] = r->nd && p >= 0 && p < r->nd ? r->d[p] : '0';
  }
  fp[n] = '\0';
}

/* Puts a digit string, its decimal point shown as ','. */
static void put_decimal(out_t *o, const char *ip, const char *fp) {
  puts1(o, ip[0] ? ip : "0");
  if (fp[0]) {
    putc1(o, ',');
    puts1(o, fp);
  }
}

/* Drops trailing zeros of a fraction. */
static void trim_zeros(char *fp) {
  size_t n = strlen(fp);
  while (n > 0 && fp[n - 1] == '0') n--;
  fp[n] = '\0';
}

/* General format of v into o. */
static void general(out_t *o, double v) {
  char ip[400], fp[VC_WB_MAX_DEC + 2], b[16];
  if (!isfinite(v)) {
    puts1(o, v < 0 ? "-#NUM!" : "#NUM!");
    return;
  }
  dec_t r;
  dec_of(fabs(v), &r);
  if (!r.nd) {
    putc1(o, '0');
    return;
  }
  if (v < 0) putc1(o, '-');
  if (r.e >= 15 || r.e < -9) { /* 1,23457E+15 */
    int ex = r.e;
    r.e = 0;
    dec_round(&r, 5);
    if (r.e) { /* 9.999995 rounded up to 10 */
      r.e = 0;
      ex++;
    }
    dec_split(&r, 5, ip, sizeof ip, fp, sizeof fp);
    trim_zeros(fp);
    put_decimal(o, ip, fp);
    snprintf(b, sizeof b, "E%c%02d", ex < 0 ? '-' : '+', ex < 0 ? -ex : ex);
    puts1(o, b);
    return;
  }
  /* up to 10 significant digits (all of them for an integer) */
  int dec = r.e >= 9 ? 0 : 9 - r.e;
  if (dec > VC_WB_MAX_DEC) dec = VC_WB_MAX_DEC;
  dec_round(&r, dec);
  dec_split(&r, dec, ip, sizeof ip, fp, sizeof fp);
  trim_zeros(fp);
  put_decimal(o, ip, fp);
}

/* x's digits for a section with dec decimals: the integer and fraction
 * digits in ip and fp; returns the power of ten an exponent section shows
 * (it leaves nint digits before the point; ##0.0E+0: a multiple of nint). */
static long section_digits(const vc__wb_section_t *sec, double x, int dec, char *ip, size_t ipn,
                           char *fp, size_t fpn) {
  long e10 = 0;
  dec_t r;
  dec_of(x, &r);
  if (sec->exp && r.nd) {
    int nint = sec->nint > 0 ? sec->nint : 1;
    long e = r.e;
    bool eng = sec->int_hash && nint > 1;
    e10 = eng ? (long)floor((double)e / nint) * nint : e - (nint - 1);
    r.e = (int)(e - e10);
    dec_round(&r, dec);
    if (r.e + 1 > nint) { /* rounding carried into one more digit */
      long shift = eng ? nint : 1;
      e10 += shift;
      r.e -= (int)shift;
    }
  } else {
    dec_round(&r, dec);
  }
  dec_split(&r, dec, ip, ipn, fp, fpn);
  return e10;
}

/* How many integer digits a section shows for il digits of the number. */
static long int_digits_shown(const vc__wb_section_t *sec, size_t il) {
  if (sec->nint == 0) return (long)il;
  long total = 0, k = sec->nint - 1;
  for (int t = 0; t < sec->ntoks; t++) {
    const vc__wb_tok_t *tk = &sec->toks[t];
    if (tk->kind != VC_WB_TK_DIG || tk->part != VC_WB_PART_INT) continue;
    if (k == sec->nint - 1 && (long)il > sec->nint) total += (long)il - sec->nint;
    if (k < (long)il || tk->ch == '0') total++;
    k--;
  }
  return total;
}

/* The exponent placeholder number ej (from 0): the exponent's extra digits
 * go with the first one. */
static void exp_digit(out_t *o, const vc__wb_section_t *sec, const vc__wb_tok_t *tk,
                      const char *ep, int ej) {
  size_t el = strlen(ep);
  int left = sec->nexp - ej; /* placeholders left, this one included */
  if (ej == 0 && (int)el > sec->nexp) put(o, ep, el - (size_t)sec->nexp);
  if (left <= (int)el)
    putc1(o, ep[el - (size_t)left]);
  else if (tk->ch == '0')
    putc1(o, '0');
}

/* Shows x >= 0 through a number section's tokens. */
static void number_section(out_t *o, const vc_wb_fmt_t *f, const vc__wb_section_t *sec, double x,
                           bool minus) {
  char ip[400], fp[VC_WB_MAX_DEC + 2], ep[24] = "";
  int dec = sec->nfrac > VC_WB_MAX_DEC ? VC_WB_MAX_DEC : sec->nfrac;
  for (int k = 0; k < sec->pct; k++) x *= 100;
  for (int k = 0; k < sec->scale; k++) x /= 1000;
  if (!isfinite(x)) {
    general(o, x);
    return;
  }
  long e10 = section_digits(sec, x, dec, ip, sizeof ip, fp, sizeof fp);
  if (sec->exp) snprintf(ep, sizeof ep, "%ld", e10 < 0 ? -e10 : e10);
  bool zero = !ip[0] && strspn(fp, "0") == strlen(fp);
  if (minus && !zero) putc1(o, '-');

  /* integer digits per placeholder, right-aligned; extra digits go to the
   * leftmost one; '#' shows nothing, '?' a space, past the number */
  size_t il = strlen(ip);
  long total = int_digits_shown(sec, il); /* for the thousands marks */
  long shown = 0;
  long k = sec->nint - 1;
  size_t flast = strlen(fp); /* fraction digits up to the last non-zero */
  while (flast > 0 && fp[flast - 1] == '0') flast--;
  int fj = 0, ej = 0;
  bool int_done = sec->nint == 0;
#define DIGIT(c)                                                                    \
  do {                                                                              \
    if (sec->group && shown > 0 && (total - shown) % 3 == 0) putc1(o, '.');        \
    putc1(o, (c));                                                                  \
    shown++;                                                                        \
  } while (0)
  for (int t = 0; t < sec->ntoks; t++) {
    const vc__wb_tok_t *tk = &sec->toks[t];
    switch (tk->kind) {
    case VC_WB_TK_LIT: put(o, f->lits + tk->off, tk->len); break;
    case VC_WB_TK_PCT: putc1(o, '%'); break;
    case VC_WB_TK_GEN: general(o, x); break;
    case VC_WB_TK_POINT:
      if (!int_done) { /* no integer placeholder: the digits still show */
        for (size_t i = 0; i < il; i++) DIGIT(ip[i]);
        int_done = true;
      }
      putc1(o, ',');
      break;
    case VC_WB_TK_EXP:
      putc1(o, 'E');
      if (e10 < 0)
        putc1(o, '-');
      else if (tk->ch == '+')
        putc1(o, '+');
      break;
    case VC_WB_TK_DIG:
      if (tk->part == VC_WB_PART_INT) {
        if (k == sec->nint - 1 && (long)il > sec->nint)
          for (size_t i = 0; i < il - (size_t)sec->nint; i++) DIGIT(ip[i]);
        if (k < (long)il)
          DIGIT(ip[il - 1 - (size_t)k]);
        else if (tk->ch == '0')
          DIGIT('0');
        else if (tk->ch == '?')
          putc1(o, ' ');
        if (k == 0) int_done = true;
        k--;
      } else if (tk->part == VC_WB_PART_FRAC) {
        if (fj < dec) {
          if ((size_t)fj < flast || tk->ch == '0')
            putc1(o, fp[fj]);
          else if (tk->ch == '?')
            putc1(o, ' ');
        }
        fj++;
      } else {
        exp_digit(o, sec, tk, ep, ej++);
      }
      break;
    default: break;
    }
  }
#undef DIGIT
}

/* Days since 1970-01-01 to a calendar date (proleptic Gregorian). */
static void civil(long z, int *y, int *m, int *d) {
  z += 719468;
  long era = (z >= 0 ? z : z - 146096) / 146097;
  long doe = z - era * 146097;
  long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  long yy = yoe + era * 400;
  long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  long mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = (int)(yy + (*m <= 2));
}

/* A serial date-time through a date section: dd/mm/yyyy [HH:MM[:SS]]. */
static bool date_section(out_t *o, const vc__wb_section_t *sec, double v, bool date1904) {
  double maxv = date1904 ? 2957004 : 2958466; /* past 31/12/9999 */
  if (!(v >= 0 && v < maxv)) return false;
  long days = (long)floor(v);
  long secs = lround((v - (double)days) * 86400.0);
  if (secs >= 86400) {
    days++;
    secs -= 86400;
  }
  char b[64];
  if (sec->d_date) {
    int y, m, d;
    if (date1904) {
      civil(days - 24107, &y, &m, &d);
    } else if (days == 0) { /* Excel's "00/01/1900" */
      y = 1900, m = 1, d = 0;
    } else if (days == 60) { /* the 1900 leap-year bug: 29/02/1900 */
      y = 1900, m = 2, d = 29;
    } else {
      civil(days - (days < 60 ? 25568 : 25569), &y, &m, &d);
    }
    snprintf(b, sizeof b, "%02d/%02d/%04d", d, m, y);
    puts1(o, b);
  }
  if (sec->d_time) {
    if (sec->d_date) putc1(o, ' ');
    long h = secs / 3600, mi = secs / 60 % 60, s = secs % 60;
    if (sec->d_elapsed) { /* total hours (or minutes) */
      if (sec->elapsed == 'h') h += days * 24;
      if (sec->elapsed == 'm' && !sec->d_hour) mi = (days * 86400 + secs) / 60;
      if (sec->elapsed == 's' && !sec->d_hour && !sec->d_min) s = days * 86400 + secs;
    }
    if (sec->d_hour || (!sec->d_min && !sec->d_sec))
      snprintf(b, sizeof b, "%02ld:%02ld", h, mi);
    else if (sec->d_min)
      snprintf(b, sizeof b, "%02ld", mi);
    else
      snprintf(b, sizeof b, "%02ld", s);
    puts1(o, b);
    if (sec->d_sec && (sec->d_hour || sec->d_min)) {
      snprintf(b, sizeof b, ":%02ld", s);
      puts1(o, b);
    }
  }
  return true;
}

static bool cond_true(const vc__wb_section_t *sec, double v) {
  const char *op = sec->cop;
  double c = sec->cval;
  if (!strcmp(op, "<")) return v < c;
  if (!strcmp(op, "<=")) return v <= c;
  if (!strcmp(op, ">")) return v > c;
  if (!strcmp(op, ">=")) return v >= c;
  if (!strcmp(op, "<>")) return v != c;
  return v == c;
}

/* Shows a number through a format (see workbook-private.h). */
size_t vc__wb_fmt_number(const vc_wb_fmt_t *f, double v, bool date1904, char *buf,
                        size_t outlen) {
  out_t o = {buf, 0, outlen};
  if (!outlen) return 0;
  buf[0] = '\0';
  if (!f || f->nsec == 0) {
    general(&o, v);
    return o.len;
  }
  v = round15(v);
  int nnum = f->nsec < 3 ? f->nsec : 3; /* the 4th is for text */
  const vc__wb_section_t *sec;
  bool minus = false;
  double x = fabs(v);
  if (f->sec[0].has_cond || (nnum > 1 && f->sec[1].has_cond)) {
    int pick = nnum - 1;
    for (int i = 0; i < nnum; i++)
      if (!f->sec[i].has_cond || cond_true(&f->sec[i], v)) {
        pick = i;
        break;
      }
    sec = &f->sec[pick];
    minus = v < 0 && (pick == 0 || sec->has_cond);
  } else if (nnum == 1 || v > 0 || (v == 0 && nnum == 2)) {
    sec = &f->sec[0];
    minus = v < 0;
  } else if (v < 0) {
    sec = &f->sec[1];
  } else {
    sec = &f->sec[2];
  }
  bool numeric = sec->nint || sec->nfrac || sec->has_gen || sec->kind != VC_WB_SEC_NUM;
  if (sec->kind == VC_WB_SEC_DATE) {
    if (date_section(&o, sec, v, date1904)) return o.len;
    general(&o, v);
  } else if (sec->kind == VC_WB_SEC_FRACTION || (!numeric && sec->has_at)) {
    general(&o, minus || sec == &f->sec[0] ? v : x);
  } else {
    number_section(&o, f, sec, x, minus);
  }
  return o.len;
}

/* Text through the text section (see workbook-private.h). */
bool vc__wb_fmt_text(const vc_wb_fmt_t *f, const char *s, size_t n, char **out) {
  *out = NULL;
  if (!f) return true;
  const vc__wb_section_t *sec = NULL;
  if (f->nsec == 4)
    sec = &f->sec[3];
  else if (f->nsec == 1 && f->sec[0].has_at)
    sec = &f->sec[0];
  if (!sec || (sec->ntoks == 1 && sec->toks[0].kind == VC_WB_TK_AT)) return true;
  size_t cap = n + f->nlits * 2 + 8;
  for (int t = 0; t < sec->ntoks; t++)
    if (sec->toks[t].kind == VC_WB_TK_AT) cap += n;
  char *b = malloc(cap);
  if (!b) return false;
  out_t o = {b, 0, cap};
  b[0] = '\0';
  for (int t = 0; t < sec->ntoks; t++) {
    const vc__wb_tok_t *tk = &sec->toks[t];
    if (tk->kind == VC_WB_TK_LIT) put(&o, f->lits + tk->off, tk->len);
    if (tk->kind == VC_WB_TK_AT) put(&o, s, n);
  }
  *out = b;
  return true;
}

/* "2024-12-19[T10:30[:00]]" as dd/mm/yyyy [HH:MM[:SS]] (see
 * workbook-private.h). */
/* An ISO date (see vc__wb_iso_date) with the time part chosen: tm -1 when
 * the time is not midnight, 0 never, 1 HH:MM, 2 HH:MM:SS. */
static size_t iso_date(const char *s, int tm, char *out, size_t outlen) {
  int y, m, d, h = 0, mi = 0, sec = 0, k = 0;
  if (!s || sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &k) != 3 || k != 10) return 0;
  if (y < 1 || m < 1 || m > 12 || d < 1 || d > 31) return 0;
  const char *t = s + k;
  bool has_time = false;
  if (*t == 'T') {
    int k2 = 0;
    if (sscanf(t + 1, "%2d:%2d%n", &h, &mi, &k2) == 2 && k2 == 5) {
      has_time = true;
      int k3 = 0;
      if (t[6] != ':' || sscanf(t + 7, "%2d%n", &sec, &k3) != 1 || k3 != 2) sec = 0;
    }
    if (h < 0 || h > 24 || mi < 0 || mi > 59 || sec < 0 || sec > 60) has_time = false;
  }
  if (!has_time) h = mi = sec = 0;
  if (tm < 0) tm = has_time && (h || mi || sec) ? (sec ? 2 : 1) : 0;
  int n;
  if (tm == 2)
    n = snprintf(out, outlen, "%02d/%02d/%04d %02d:%02d:%02d", d, m, y, h, mi, sec);
  else if (tm == 1)
    n = snprintf(out, outlen, "%02d/%02d/%04d %02d:%02d", d, m, y, h, mi);
  else
    n = snprintf(out, outlen, "%02d/%02d/%04d", d, m, y);
  return n > 0 && (size_t)n < outlen ? (size_t)n : 0;
}

size_t vc__wb_iso_date(const char *s, char *out, size_t outlen) {
  return iso_date(s, -1, out, outlen);
}

static bool digit(char c) { return c >= '0' && c <= '9'; }

/* An ISO date with the time part the displayed text has (see
 * workbook-private.h): a time shows as a digit, ':', two digits ("0:00",
 * "10:30:15"), which no date-only display has. */
size_t vc__wb_iso_date_shown(const char *s, const char *shown, size_t slen, char *out,
                            size_t outlen) {
  if (!shown || !slen) return iso_date(s, -1, out, outlen);
  int tm = 0;
  for (size_t i = 1; i + 2 < slen && !tm; i++)
    if (shown[i] == ':' && digit(shown[i - 1]) && digit(shown[i + 1]) && digit(shown[i + 2]))
      tm = i + 5 < slen && shown[i + 3] == ':' && digit(shown[i + 4]) && digit(shown[i + 5]) ? 2 : 1;
  return iso_date(s, tm, out, outlen);
}
