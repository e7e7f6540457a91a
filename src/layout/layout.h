/*
 * layout.h - fitting text into a box: line breaking at spaces, shrink to
 * fit, alignment, and fallback fonts for characters the main font lacks.
 * Knows fonts' metrics, nothing about PDF.
 *
 * Coordinates are points with the origin at the page's top-left corner, y
 * growing downwards (the convention of `pdftotext -bbox`), so layouts can be
 * compared with what a PDF reader extracts.
 */
#ifndef VC_LAYOUT_H
#define VC_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "font/fontset.h"
#include "template/template-tree.h"

#define VC_MM_TO_PT (72.0 / 25.4)
#define VC_LAYOUT_MAX_LINES 50

/* A run of characters drawn with one font on one line. */
typedef struct vc_run {
  const vc_font_t *font;
  size_t off, len; /* bytes of vc_textlayout.text */
  double x;        /* left edge, pt from the page's left */
  double w;        /* advance width, pt */
} vc_run_t;

typedef struct vc_line {
  double x, baseline, w; /* left, baseline (pt from top), width */
  size_t first_run, nruns;
} vc_line_t;

/* The laid-out text of one box.  Owns its text and arrays; reusable across
 * calls (vc_textlayout_reset keeps the memory). */
typedef struct vc_textlayout {
  char *text;          /* the text drawn, NFC */
  size_t text_len, text_cap;
  double size;         /* chosen font size, pt */
  vc_line_t lines[VC_LAYOUT_MAX_LINES];
  int nlines;
  vc_run_t *runs;
  size_t nruns, runs_cap;
  double box_x0, box_y0, box_x1, box_y1; /* the element's box, pt */
  double ink_y0, ink_y1;                 /* top of first line, bottom of last */
  bool fits;           /* false: does not fit even at min_size */
  int32_t missing_cp;  /* first character no font can draw, or 0 */
  size_t missing_col;  /* its 1-based character position in the text */
} vc_textlayout_t;

void vc_textlayout_init(vc_textlayout_t *tl);
void vc_textlayout_free(vc_textlayout_t *tl);

/* Lays out `text` (valid NFC UTF-8) for text element `el` with main font
 * `font`.  The size is the largest of el->size, el->size - 0.5, ...,
 * el->min_size at which the text breaks into at most el->max_lines lines
 * that fit the box's width and height; centred text on several lines is
 * then broken evenly (the same number of lines, each as wide as the others
 * allow).  Characters the font lacks are drawn
 * with vc_fontset_fallback() when el->fallback (fs may be NULL otherwise).
 * Returns false only on no memory; fitting problems are reported through
 * tl->fits and tl->missing_cp (the layout then still holds the min-size
 * attempt, clipped to the box). */
bool vc_layout_text(vc_textlayout_t *tl, const vc_el_t *el,
                    const vc_font_t *font, vc_fontset_t *fs, const char *text,
                    size_t len);

/* Splits `text` into at most max_lines lines no wider than width_pt at
 * `size`, breaking at spaces; a word longer than a line is broken between
 * characters (never inside one).  Stores each line's [start, end) byte
 * offsets in starts/ends (arrays of max_lines).  Returns the number of lines
 * needed; a value > max_lines means it does not fit (only the first
 * max_lines are stored).  Exposed for tests. */
int vc_layout_break(const vc_font_t *font, const char *text, size_t len,
                    double size, double width_pt, int max_lines,
                    size_t *starts, size_t *ends);

#endif
