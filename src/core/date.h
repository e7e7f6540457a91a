/*
 * date.h - dates as written in Vietnamese documents (Nghị định 30/2020/NĐ-CP):
 * "ngày 05 tháng 01 năm 2025", "ngày 12 tháng 3 năm 2023".
 */
#ifndef VC_DATE_H
#define VC_DATE_H

#include <stdbool.h>
#include <stddef.h>

typedef struct vc_date { int year, month, day; } vc_date_t;

/* Parses "2025-01-05", "05/01/2025", "5/1/2025", "05-01-2025", "05.01.2025"
 * (day first unless the year comes first, as in ISO; one separator kind per
 * date; the year always has 4 digits).  Validates the calendar (leap years)
 * and the year range 1900-2999.  On failure writes a reason into why and
 * returns false. */
bool vc_date_parse(const char *s, vc_date_t *d, char *why, size_t whylen);

/* True when d is a real calendar date with 1900 <= year <= 2999 (the range
 * vc_date_parse accepts).  The formatters refuse other dates. */
bool vc_date_valid(vc_date_t d);

/* Today in local time. */
vc_date_t vc_date_today(void);

/* "ngày 05 tháng 01 năm 2025": day < 10 and months 1, 2 get a leading zero.
 * false if out is too small or d is not valid (vc_date_valid). */
bool vc_date_format_line(vc_date_t d, char *out, size_t outlen);

/* "05/01/2025".  false if out is too small or d is not valid. */
bool vc_date_format_short(vc_date_t d, char *out, size_t outlen);

#endif
