/*
 * layout.c - line breaking and shrink-to-fit (see layout.h).
 *
 * Widths are summed as integers in 1/1000 em, exactly the units the PDF's
 * /W array uses, so what we measure is what a viewer draws.  Our own breaking
 * because libharu's cuts inside UTF-8 characters and breaks only at ASCII
 * spaces.
 */
#include "layout/layout.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"
#include "core/text.h"

/* The font for one character: the main font, or a fallback when allowed. */
typedef struct meas {
  const vc_font_t *font;
  vc_fontset_t *fs;
  bool fallback;
} meas_t;

static const vc_font_t *font_for(const meas_t *m, int32_t cp) {
  if (vc_font_has(m->font, cp)) return m->font;
  if (m->fallback && m->fs) return vc_fontset_fallback(m->fs, cp, m->font);
  return NULL;
}

/* Decodes one character at s[i]; invalid bytes count as one U+FFFD-wide
 * nothing (the text was validated before, this only keeps us safe). */
static size_t next_cp(const char *s, size_t n, size_t i, int32_t *cp) {
  unsigned char c = (unsigned char)s[i];
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  size_t k = vc_utf8_decode(s + i, n - i, cp);
  if (k == 0) {
    *cp = 0xFFFD;
    return 1;
  }
  return k;
}

/* Characters (not bytes) in s[0..n). */
static size_t count_chars(const char *s, size_t n) {
  size_t c = 0;
  for (size_t i = 0; i < n; i++) c += ((unsigned char)s[i] & 0xC0) != 0x80;
  return c;
}

static long adv(const meas_t *m, int32_t cp) {
  const vc_font_t *f = font_for(m, cp);
  return f ? vc_font_advance(f, cp) : 0;
}

/* Width of s[a..b) in 1/1000 em. */
static long width_units(const meas_t *m, const char *s, size_t a, size_t b) {
  long w = 0;
  int32_t cp;
  for (size_t i = a; i < b;) {
    i += next_cp(s, b, i, &cp);
    w += adv(m, cp);
  }
  return w;
}

/* Greedy breaking in font units: `limit` is the line width in 1/1000 em. */
static int break_lines(const meas_t *m, const char *s, size_t n, long limit,
                       int max_lines, size_t *starts, size_t *ends) {
  int nl = 0;
  size_t pos = 0;
  const long space = adv(m, ' ');
  while (pos <= n) {
    /* skip the spaces a break consumed */
    while (pos < n && s[pos] == ' ') pos++;
    size_t line_start = pos, line_end = pos, i = pos;
    long w = 0;
    bool hard = false;
    while (i < n) {
      if (s[i] == '\n') {
        hard = true;
        break;
      }
      /* the next word [i, j) */
      size_t j = i;
      long ww = 0;
      int32_t cp;
      while (j < n && s[j] != ' ' && s[j] != '\n') {
        size_t k = next_cp(s, n, j, &cp);
        ww += adv(m, cp);
        j += k;
      }
      long add = (line_end > line_start ? space : 0) + ww;
      if (w + add <= limit) {
        w += add;
        line_end = j;
        i = j;
        while (i < n && s[i] == ' ') i++;
        continue;
      }
      if (line_end > line_start) break; /* word goes to the next line */
      /* A word wider than the whole line: break between characters. */
      size_t k = i;
      while (k < j) {
        size_t step = next_cp(s, n, k, &cp);
        long a = adv(m, cp);
        if (w + a > limit && k > i) break;
        w += a;
        k += step;
      }
      line_end = k;
      i = k;
      break;
    }
    if (nl < max_lines) {
      starts[nl] = line_start;
      ends[nl] = line_end;
    }
    nl++;
    if (nl > max_lines) return nl;
    pos = (hard && i < n) ? i + 1 : i;
    if (pos >= n && !(hard && i < n)) break;
  }
  return nl;
}

/* Width of the widest word of s[0..n) in 1/1000 em. */
static long widest_word(const meas_t *m, const char *s, size_t n) {
  long best = 0;
  for (size_t i = 0; i < n;) {
    while (i < n && (s[i] == ' ' || s[i] == '\n')) i++;
    size_t j = i;
    while (j < n && s[j] != ' ' && s[j] != '\n') j++;
    long w = width_units(m, s, i, j);
    if (w > best) best = w;
    i = j;
  }
  return best;
}

/* Centred text on nl > 1 lines: the narrowest line width that still needs
 * only nl lines, so the lines come out even ("TÔN NỮ HOÀNG THỊ MINH" over
 * "NGUYỆT PHƯƠNG THẢO NGỌC ANH" rather than a last line of one word).  Never
 * below the widest word, so no word is cut that was whole.  Greedy line
 * counts only grow as the width shrinks, hence the bisection. */
static long balanced_limit(const meas_t *m, const char *s, size_t n, long limit,
                           int nl) {
  size_t st[VC_LAYOUT_MAX_LINES], en[VC_LAYOUT_MAX_LINES];
  long lo = widest_word(m, s, n), hi = limit;
  if (lo >= hi) return limit;
  while (lo < hi) {
    long mid = lo + (hi - lo) / 2;
    if (break_lines(m, s, n, mid, nl, st, en) <= nl) hi = mid;
    else lo = mid + 1;
  }
  return hi;
}

int vc_layout_break(const vc_font_t *font, const char *text, size_t len,
                    double size, double width_pt, int max_lines,
                    size_t *starts, size_t *ends) {
  meas_t m = {font, NULL, false};
  long limit = (long)floor(width_pt * 1000.0 / size + 1e-6);
  return break_lines(&m, text, len, limit, max_lines, starts, ends);
}

void vc_textlayout_init(vc_textlayout_t *tl) { memset(tl, 0, sizeof *tl); }

void vc_textlayout_free(vc_textlayout_t *tl) {
  free(tl->text);
  free(tl->runs);
  memset(tl, 0, sizeof *tl);
}

static bool add_run(vc_textlayout_t *tl, const vc_font_t *f, size_t off,
                    size_t len, double x, double w) {
  if (!vc_array_grow(&tl->runs, tl->nruns, &tl->runs_cap, sizeof *tl->runs, 16))
    return false;
  tl->runs[tl->nruns++] = (vc_run_t){f, off, len, x, w};
  return true;
}

/* Vertical extent of a line of type in 1/1000 em: the font's ascent and
 * descent, or the real ink of stacked Vietnamese marks when taller. */
static double font_top(const vc_font_t *f) {
  int a = vc_font_ascent(f), t = vc_font_vn_top(f);
  return a > t ? a : t;
}
static double font_bottom(const vc_font_t *f) {
  int d = vc_font_descent(f), b = vc_font_vn_bottom(f);
  return -(d < b ? d : b);
}

/* Splits one line into runs of one font and places it. */
static bool place_line(vc_textlayout_t *tl, const meas_t *m, const vc_el_t *el,
                       size_t a, size_t b, double baseline) {
  vc_line_t *ln = &tl->lines[tl->nlines];
  ln->first_run = tl->nruns;
  ln->baseline = baseline;
  double scale = tl->size / 1000.0;
  double x = 0;
  size_t i = a;
  const char *s = tl->text;
  while (i < b) {
    int32_t cp;
    size_t k = next_cp(s, b, i, &cp);
    const vc_font_t *f = font_for(m, cp);
    if (!f) {
      if (!tl->missing_cp) {
        tl->missing_cp = cp;
        tl->missing_col = count_chars(s, i) + 1;
      }
      i += k;
      continue;
    }
    size_t j = i + k;
    long w = vc_font_advance(f, cp);
    while (j < b) {
      size_t k2 = next_cp(s, b, j, &cp);
      if (font_for(m, cp) != f) break;
      w += vc_font_advance(f, cp);
      j += k2;
    }
    if (!add_run(tl, f, i, j - i, x, w * scale)) return false;
    x += w * scale;
    i = j;
  }
  ln->nruns = tl->nruns - ln->first_run;
  ln->w = x;
  double bw = tl->box_x1 - tl->box_x0;
  switch (el->align) {
  case VC_ALIGN_CENTER: ln->x = tl->box_x0 + (bw - x) / 2; break;
  case VC_ALIGN_RIGHT: ln->x = tl->box_x1 - x; break;
  default: ln->x = tl->box_x0; break;
  }
  for (size_t r = ln->first_run; r < tl->nruns; r++) tl->runs[r].x += ln->x;
  tl->nlines++;
  return true;
}

bool vc_layout_text(vc_textlayout_t *tl, const vc_el_t *el,
                    const vc_font_t *font, vc_fontset_t *fs, const char *text,
                    size_t len) {
  if (len + 1 > tl->text_cap) {
    char *t = realloc(tl->text, len + 1);
    if (!t) return false;
    tl->text = t;
    tl->text_cap = len + 1;
  }
  memcpy(tl->text, text, len);
  tl->text[len] = '\0';
  tl->text_len = len;
  tl->nlines = 0;
  tl->nruns = 0;
  tl->missing_cp = 0;
  tl->missing_col = 0;
  tl->box_x0 = el->x * VC_MM_TO_PT;
  tl->box_y0 = el->y * VC_MM_TO_PT;
  tl->box_x1 = (el->x + el->w) * VC_MM_TO_PT;
  tl->box_y1 = (el->y + el->h) * VC_MM_TO_PT;

  meas_t m = {font, fs, el->fallback};
  const double bw = tl->box_x1 - tl->box_x0, bh = tl->box_y1 - tl->box_y0;
  const double top = font_top(font), bottom = font_bottom(font);
  const int maxl = el->max_lines < VC_LAYOUT_MAX_LINES ? el->max_lines : VC_LAYOUT_MAX_LINES;
  size_t starts[VC_LAYOUT_MAX_LINES], ends[VC_LAYOUT_MAX_LINES];
  double size = el->size;
  int n = 0;

  /* Single-line boxes: the size follows from one measurement. */
  if (maxl == 1 && !memchr(text, '\n', len)) {
    long w = width_units(&m, text, 0, len);
    if (w > 0 && w * size / 1000.0 > bw) size = floor(bw * 1000.0 / w * 2.0) / 2.0;
    if (size < el->min_size) size = el->min_size;
  }
  long limit;
  for (;;) {
    limit = (long)floor(bw * 1000.0 / size + 1e-6);
    n = break_lines(&m, text, len, limit, maxl, starts, ends);
    double h = (top + bottom) * size / 1000.0 +
               (n > 1 ? (n - 1) * size * el->line_spacing : 0);
    tl->fits = n <= maxl && h <= bh + 1e-6;
    if (tl->fits || size <= el->min_size) break;
    size -= 0.5;
    if (size < el->min_size) size = el->min_size;
  }
  tl->size = size;
  if (tl->fits && n > 1 && el->align == VC_ALIGN_CENTER) {
    long even = balanced_limit(&m, text, len, limit, n);
    if (even < limit) n = break_lines(&m, text, len, even, maxl, starts, ends);
  }
  if (n > maxl) n = maxl;

  /* Vertical placement of the block of n lines. */
  const double lead = size * el->line_spacing;
  double block = (top + bottom) * size / 1000.0 + (n - 1) * lead;
  double y0 = tl->box_y0;
  if (el->valign == VC_VALIGN_MIDDLE) y0 += (bh - block) / 2;
  else if (el->valign == VC_VALIGN_BOTTOM) y0 += bh - block;
  double baseline = y0 + top * size / 1000.0;
  tl->ink_y0 = y0;
  tl->ink_y1 = y0 + block;
  for (int i = 0; i < n; i++, baseline += lead)
    if (!place_line(tl, &m, el, starts[i], ends[i], baseline)) return false;
  /* A line that is still wider than the box (only when it does not fit). */
  for (int i = 0; i < tl->nlines; i++)
    if (tl->lines[i].w > bw + 1e-6) tl->fits = false;
  return true;
}
