/*
 * diag.h - status codes and the diagnostics list every module reports into.
 *
 * Why a list and not one error: `vncert check` must report every problem in
 * one run, and a renderer called from a kiosk thread must hand its errors back
 * instead of printing or exiting.  Library code never prints and never exits;
 * it adds to a vc_diag_t and returns a vc_status_t.
 */
#ifndef VC_DIAG_H
#define VC_DIAG_H

#include <stdarg.h>

#include "vncert.h" /* vc_status_t, vc_diag_t, vc_diag_item_t and the public calls */

/* Records a problem.  Safe with d == NULL (then it is dropped).  The list
 * keeps at most VC_DIAG_MAX items; later ones are only counted.
 * The message and file name are stored made safe for a terminal (issue 6,
 * point 9), whatever text from the data they quote: control characters
 * (but the line breaks and tabs of a message; values never hold any),
 * DEL, C1 controls and invisible format characters (zero-width space,
 * bidi controls, BOM...) are written \u{1B}, \u{200B} (hex code point),
 * bytes that are not UTF-8 \x{FF} (vc_text_escape); so no module has to
 * think of it, and a message never retitles a terminal or reverses text.
 * A status VC_WARN records a warning: kept and printed ("warning: "), but
 * not counted by vc_diag_count nor seen by vc_diag_status; past
 * VC_DIAG_MAX items warnings are only counted (vc_diag_warnings). */
void vc_diag_add(vc_diag_t *d, vc_status_t st, const char *file, int line,
                 int col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
void vc_diag_addv(vc_diag_t *d, vc_status_t st, const char *file, int line,
                  int col, const char *fmt, va_list ap)
    __attribute__((format(printf, 6, 0)));

#endif
