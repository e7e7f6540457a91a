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
#include <stddef.h>
#include <stdio.h>

typedef enum vc_status {
  VC_OK = 0,
  VC_E_INPUT,    /* a problem in the user's data or template (exit 1) */
  VC_E_USAGE,    /* wrong command line (exit 2) */
  VC_E_IO,       /* a file cannot be read or written (exit 1) */
  VC_E_LIMIT,    /* input beyond a documented size cap (exit 1) */
  VC_E_FONT,     /* font missing, unusable or lacking a glyph (exit 1) */
  VC_E_NOMEM,    /* out of memory */
  VC_E_PDF,      /* the PDF library failed */
  VC_E_INTERNAL, /* a bug in vncert */
  VC_E_CANCELLED, /* stopped on request (Ctrl-C); nothing was written */
  VC_WARN        /* a warning, not a problem: something the user should know
                  * (invisible characters in a printed value, stale files);
                  * exit 0, not counted by vc_diag_count/vc_diag_status */
} vc_status_t;

typedef struct vc_diag vc_diag_t;

/* One recorded problem.  Strings belong to the list. */
typedef struct vc_diag_item {
  vc_status_t status;
  const char *file;   /* may be NULL */
  int line;           /* physical line, 1-based; 0 = not applicable */
  int col;            /* 1-based column; 0 = not applicable */
  const char *msg;
} vc_diag_item_t;

/* Creates an empty list; caller owns it (vc_diag_free).  NULL on no memory. */
vc_diag_t *vc_diag_create(void);
void vc_diag_free(vc_diag_t *d);

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
#define VC_DIAG_MAX 1000
void vc_diag_add(vc_diag_t *d, vc_status_t st, const char *file, int line,
                 int col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
void vc_diag_addv(vc_diag_t *d, vc_status_t st, const char *file, int line,
                  int col, const char *fmt, va_list ap)
    __attribute__((format(printf, 6, 0)));

/* Number of problems (errors, not warnings) recorded, including those
 * beyond VC_DIAG_MAX. */
size_t vc_diag_count(const vc_diag_t *d);
/* Number of warnings recorded. */
size_t vc_diag_warnings(const vc_diag_t *d);
/* True for a warning status. */
#define vc_status_is_warning(st) ((st) == VC_WARN)
/* Number kept (<= VC_DIAG_MAX) and access to them in order of recording. */
size_t vc_diag_kept(const vc_diag_t *d);
const vc_diag_item_t *vc_diag_get(const vc_diag_t *d, size_t i);
/* Status of the first problem (not warning) recorded, VC_OK when there is
 * none. */
vc_status_t vc_diag_status(const vc_diag_t *d);
/* Drops every item (keeps the list). */
void vc_diag_clear(vc_diag_t *d);

/* Prints "file:line:col: message" lines ("file:line:col: warning: message"
 * for warnings), then "(N more problems)" if any were only counted. */
void vc_diag_print(const vc_diag_t *d, FILE *fp);

/* Process exit code for a status: 0 ok or warning, 2 usage, 1 anything
 * else. */
int vc_status_exit_code(vc_status_t st);
const char *vc_status_name(vc_status_t st);

#endif
