/*
 * date.c - parsing and writing dates the Vietnamese way (see date.h).
 */
#include "core/date.h"

#include <stdio.h>
#include <time.h>

#include "core/core-private.h"

static bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int days_in_month(int y, int m) {
  static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : dm[m - 1];
}

bool vc_date_valid(vc_date_t d) {
  return d.year >= 1900 && d.year <= 2999 && d.month >= 1 && d.month <= 12 &&
         d.day >= 1 && d.day <= days_in_month(d.year, d.month);
}

/* Reads 1..maxd digits at *p into *v; returns the count read (0 = none). */
static int digits(const char **p, int maxd, int *v) {
  int n = 0, x = 0;
  while (n <= maxd && **p >= '0' && **p <= '9') {
    x = x * 10 + (**p - '0');
    (*p)++;
    n++;
  }
  *v = x;
  return n;
}

bool vc_date_parse(const char *s, vc_date_t *d, char *why, size_t whylen) {
  if (!s || !*s) return vc__why_fail(why, whylen, "empty date");
  const char *p = s;
  int a, b, c;
  /* Up to 5 digits are read so that "123/..." fails as too long rather than
   * being read as 12. */
  int na = digits(&p, 4, &a);
  char sep = *p;
  if (na == 0 || (sep != '/' && sep != '-' && sep != '.'))
    return vc__why_fail(why, whylen, "not a date (expected dd/mm/yyyy or yyyy-mm-dd)");
  p++;
  int nb = digits(&p, 4, &b);
  if (nb == 0 || *p != sep)
    return vc__why_fail(why, whylen, "not a date (expected dd/mm/yyyy or yyyy-mm-dd)");
  p++;
  int nc = digits(&p, 4, &c);
  if (nc == 0 || *p)
    return vc__why_fail(why, whylen, "not a date (expected dd/mm/yyyy or yyyy-mm-dd)");
  vc_date_t r;
  if (na == 4) { /* year first: ISO 8601 (also 2025/01/05, unambiguous) */
    if (nb > 2 || nc > 2)
      return vc__why_fail(why, whylen, "not a date (expected yyyy-mm-dd)");
    r.year = a, r.month = b, r.day = c;
  } else {
    if (na > 2 || nb > 2)
      return vc__why_fail(why, whylen, "not a date (expected dd/mm/yyyy, day first)");
    if (nc != 4) return vc__why_fail(why, whylen, "the year must have 4 digits");
    r.day = a, r.month = b, r.year = c;
  }
  if (r.year < 1900 || r.year > 2999)
    return vc__why_fail(why, whylen, "year %d out of range (1900-2999)", r.year);
  if (r.month < 1 || r.month > 12)
    return vc__why_fail(why, whylen, "no month %d", r.month);
  if (r.day < 1 || r.day > days_in_month(r.year, r.month))
    return vc__why_fail(why, whylen, "no day %d in %02d/%d", r.day, r.month, r.year);
  if (d) *d = r;
  return true;
}

vc_date_t vc_date_today(void) {
  vc_date_t d = {1970, 1, 1};
  time_t t = time(NULL);
  struct tm tm;
  if (t != (time_t)-1 && (localtime_r(&t, &tm) || gmtime_r(&t, &tm))) {
    d.year = tm.tm_year + 1900;
    d.month = tm.tm_mon + 1;
    d.day = tm.tm_mday;
  }
  return d;
}

/* Integers through snprintf("%d") are locale-independent (no grouping
 * without the ' flag), unlike floating point. */
bool vc_date_format_line(vc_date_t d, char *out, size_t outlen) {
  if (!out || !outlen) return false;
  out[0] = '\0';
  if (!vc_date_valid(d)) return false;
  /* Nghị định 30/2020: zero before days 1-9 and months 1-2 only. */
  int n = d.month <= 2
              ? snprintf(out, outlen, "ngày %02d tháng %02d năm %d", d.day,
                         d.month, d.year)
              : snprintf(out, outlen, "ngày %02d tháng %d năm %d", d.day,
                         d.month, d.year);
  if (n < 0 || (size_t)n >= outlen) {
    out[0] = '\0';
    return false;
  }
  return true;
}

bool vc_date_format_short(vc_date_t d, char *out, size_t outlen) {
  if (!out || !outlen) return false;
  out[0] = '\0';
  if (!vc_date_valid(d)) return false;
  int n = snprintf(out, outlen, "%02d/%02d/%d", d.day, d.month, d.year);
  if (n < 0 || (size_t)n >= outlen) {
    out[0] = '\0';
    return false;
  }
  return true;
}
