/*
 * pdf.c - the PDF writer over libharu 2.3.0 (see pdf.h).
 *
 * libharu's error handler only records the error in the vc_pdf_t; every call
 * is checked and a failure becomes a diag.  Failures that leave the document
 * consistent (a font or image that cannot be loaded) are cleared with
 * HPDF_ResetError; any other makes the document unusable (libharu errors
 * are sticky, issue #78), and later calls fail at once without more diags.
 *
 * Text is drawn in libharu's UTF-8 mode: a Type0 font, Identity-H, whose
 * 2-byte codes are the BMP code points, mapped to glyphs by a CIDToGIDMap
 * stream.  The code points drawn with each font are recorded here, to build
 * the /ToUnicode map libharu gets wrong (repairs in hpdf-fix.c).
 */
#include "render/pdf.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <hpdf.h>

#include "core/text.h"
#include "render/hpdf-fix.h"
#include "render/image.h"
#include "render/pdf-private.h"

/* Page tree nodes of at most this many pages: without them libharu stops
 * at 32,767 pages (one array of kids). */
#define PAGES_PER_NODE 512
/* Largest coordinate libharu writes (HPDF_LIMIT_MAX_REAL). */
#define COORD_MAX 32767.0

typedef struct pdf_font {
  char *path;
  int index;
  HPDF_Font font;
  /* Handle whose entry holds the state: this one, or an earlier one when
   * libharu hands back the same font (two files, one PostScript name);
   * -1 for a font libharu made but vncert cannot use (kept for the repairs,
   * as libharu writes it anyway). */
  int owner;
  uint8_t used[VC_CP_BITMAP_BYTES]; /* code points drawn (for /ToUnicode) */
} pdf_font_t;

typedef struct pdf_image {
  char *path;
  HPDF_Image img; /* NULL: unusable, why says why (repeated on each use) */
  char *why;
  vc_status_t st;
  vc_img_info_t info;
  uint32_t hash;  /* of path */
} pdf_image_t;

struct vc_pdf {
  HPDF_Doc doc;
  vc_diag_t *d;
  HPDF_STATUS err, detail; /* first error the handler saw since last check */
  bool failed;             /* unusable after a libharu failure */
  bool saved;              /* finished: no more drawing */
  bool repairs;
  HPDF_Page page;
  long pages;
  pdf_font_t **fonts;
  int nfonts;
  pdf_image_t *images;
  size_t nimages, images_cap;
  uint32_t *slot;     /* open hash on path: 1 + index into images, 0 = free */
  size_t nslot;
  size_t held;        /* images whose data is in memory (not yet streamed) */
  bool streamed;      /* pages go to a file as drawn (pdf-stream.c) */
  /* Graphics state last written on the current page, to skip repeats. */
  struct {
    int font;
    double size, fill[3], stroke[3], width, dash;
  } gs;
};

static void on_error(HPDF_STATUS e, HPDF_STATUS detail, void *user) {
  vc_pdf_t *p = user;
  if (p->err == 0) { /* keep the first: later ones are its echoes */
    p->err = e;
    p->detail = detail;
  }
}

/* After a libharu call: true when it succeeded (ret_ok) and the handler saw
 * nothing.  Otherwise adds a diag ("<doing>: <why> (code)") and either resets
 * the error (fatal false: the document is still consistent) or marks the
 * document unusable. */
static bool check(vc_pdf_t *p, bool ret_ok, const char *file, bool fatal,
                  const char *doing) {
  if (ret_ok && p->err == 0) return true;
  HPDF_STATUS e = p->err ? p->err : HPDF_GetError(p->doc);
  HPDF_STATUS det = p->err ? p->detail : HPDF_GetErrorDetail(p->doc);
  vc_status_t st = e == HPDF_FAILD_TO_ALLOC_MEM ? VC_E_NOMEM
                   : (e == HPDF_FILE_IO_ERROR || e == HPDF_FILE_OPEN_ERROR)
                       ? VC_E_IO
                       : VC_E_PDF;
  vc_diag_add(p->d, st, file, 0, 0, "%s: %s (libharu error 0x%04X, detail %u)",
              doing, vc__hpdf_error_text(e), (unsigned)e, (unsigned)det);
  p->err = p->detail = 0;
  if (fatal) p->failed = true;
  else HPDF_ResetError(p->doc);
  return false;
}

/* May the document still be changed?  Adds a diag when not, except after a
 * failure (one diag is enough for a broken document). */
static bool drawable(vc_pdf_t *p, bool need_page) {
  if (!p || p->failed) return false;
  if (p->saved) {
    vc_diag_add(p->d, VC_E_INTERNAL, NULL, 0, 0,
                "PDF document changed after it was saved");
    return false;
  }
  if (need_page && !p->page) {
    vc_diag_add(p->d, VC_E_INTERNAL, NULL, 0, 0, "PDF drawing before any page");
    return false;
  }
  return true;
}

static bool coords_ok(vc_pdf_t *p, const double *v, int n, const char *what) {
  for (int i = 0; i < n; i++)
    if (!isfinite(v[i]) || fabs(v[i]) > COORD_MAX) {
      vc_diag_add(p->d, VC_E_INTERNAL, NULL, 0, 0,
                  "%s: coordinate out of range or not a number", what);
      return false;
    }
  return true;
}

static void reset_gs(vc_pdf_t *p) {
  /* The PDF defaults at the start of every page's content. */
  p->gs.font = -1;
  p->gs.size = 0;
  for (int i = 0; i < 3; i++) p->gs.fill[i] = p->gs.stroke[i] = 0;
  p->gs.width = 1;
  p->gs.dash = 0;
}

vc_pdf_t *vc_pdf_create(const char *title, vc_diag_t *d) {
  vc_pdf_t *p = calloc(1, sizeof *p);
  if (!p) {
    vc_diag_add(d, VC_E_NOMEM, NULL, 0, 0, "out of memory");
    return NULL;
  }
  p->d = d;
  p->repairs = true;
  reset_gs(p);
  p->doc = HPDF_NewEx(on_error, NULL, NULL, 0, p);
  if (!p->doc) {
    vc_diag_add(d, VC_E_NOMEM, NULL, 0, 0, "cannot create a PDF document");
    free(p);
    return NULL;
  }
  /* Encoders are registered once per document (a second call fails
   * silently); the current encoder only affects /Info strings. */
  bool ok = HPDF_SetCompressionMode(p->doc, HPDF_COMP_ALL) == HPDF_OK &&
            HPDF_SetPagesConfiguration(p->doc, PAGES_PER_NODE) == HPDF_OK &&
            HPDF_UseUTFEncodings(p->doc) == HPDF_OK &&
            HPDF_SetCurrentEncoder(p->doc, "UTF-8") == HPDF_OK &&
            HPDF_SetInfoAttr(p->doc, HPDF_INFO_CREATOR, "vncert") == HPDF_OK &&
            (!title || !*title ||
             HPDF_SetInfoAttr(p->doc, HPDF_INFO_TITLE, title) == HPDF_OK);
  if (!check(p, ok, NULL, true, "creating the PDF document")) {
    vc_pdf_free(p);
    return NULL;
  }
  return p;
}

void vc_pdf_free(vc_pdf_t *p) {
  if (!p) return;
  if (p->doc) HPDF_Free(p->doc); /* also closes the font files */
  for (int i = 0; i < p->nfonts; i++) {
    free(p->fonts[i]->path);
    free(p->fonts[i]);
  }
  free(p->fonts);
  for (size_t i = 0; i < p->nimages; i++) {
    free(p->images[i].path);
    free(p->images[i].why);
  }
  free(p->images);
  free(p->slot);
  free(p);
}

void vc_pdf_set_repairs(vc_pdf_t *p, bool on) {
  if (p) p->repairs = on;
}

bool vc_pdf_set_compression(vc_pdf_t *p, bool content) {
  if (!drawable(p, false)) return false;
  if (p->pages > 0) {
    vc_diag_add(p->d, VC_E_INTERNAL, NULL, 0, 0,
                "PDF compression changed after the first page");
    return false;
  }
  HPDF_UINT mode = content ? HPDF_COMP_ALL : HPDF_COMP_ALL & ~HPDF_COMP_TEXT;
  return check(p, HPDF_SetCompressionMode(p->doc, mode) == HPDF_OK, NULL, true,
               "setting PDF compression");
}

/* ---- fonts ---------------------------------------------------------------- */

int vc_pdf_font(vc_pdf_t *p, const char *path, int face_index) {
  if (!drawable(p, false)) return -1;
  for (int i = 0; i < p->nfonts; i++)
    if (p->fonts[i]->index == face_index && !strcmp(p->fonts[i]->path, path)) {
      if (p->fonts[i]->owner >= 0) return i;
      vc_diag_add(p->d, VC_E_FONT, path, 0, 0, "font has no usable Unicode "
                  "character map (a symbol font?)");
      return -1;
    }
  if (p->nfonts >= VC_PDF_MAX_FONTS) {
    vc_diag_add(p->d, VC_E_LIMIT, path, 0, 0,
                "more than %d fonts in one document", VC_PDF_MAX_FONTS);
    return -1;
  }
  int kind = vc__hpdf_font_file_kind(path, p->d);
  if (kind == 0) return -1;
  if (face_index < 0 || (kind == 1 && face_index != 0)) {
    vc_diag_add(p->d, VC_E_FONT, path, 0, 0,
                "face index %d does not exist in this font file", face_index);
    return -1;
  }
  pdf_font_t *f = calloc(1, sizeof *f);
  char *cpath = strdup(path);
  pdf_font_t **nf = realloc(p->fonts, (size_t)(p->nfonts + 1) * sizeof *nf);
  if (nf) p->fonts = nf;
  if (!f || !cpath || !nf) {
    free(f), free(cpath);
    vc_diag_add(p->d, VC_E_NOMEM, path, 0, 0, "out of memory");
    return -1;
  }
  f->path = cpath;
  f->index = face_index;
  const char *name =
      kind == 2 ? HPDF_LoadTTFontFromFile2(p->doc, path, (HPDF_UINT)face_index,
                                           HPDF_TRUE)
                : HPDF_LoadTTFontFromFile(p->doc, path, HPDF_TRUE);
  /* A font that fails to load leaves the document as it was. */
  if (!check(p, name != NULL, path, false, "loading font")) goto fail;
  /* Before HPDF_GetFont, which looks up every code (hpdf-slim.c). */
  if (!check(p, vc__hpdf_fast_cmap(p->doc, name), path, false, "loading font"))
    goto fail;
  /* A failure inside HPDF_GetFont can leave half a font among the objects
   * to write: the document is unusable then. */
  f->font = HPDF_GetFont(p->doc, name, "UTF-8");
  if (!check(p, f->font != NULL, path, true, "preparing font")) goto fail;
  f->owner = p->nfonts;
  for (int i = 0; i < p->nfonts; i++)
    if (p->fonts[i]->font == f->font) f->owner = p->fonts[i]->owner;
  if (!vc__hpdf_font_ok(f->font)) {
    vc_diag_add(p->d, VC_E_FONT, path, 0, 0, "font has no usable Unicode "
                "character map (a symbol font?)");
    f->owner = -1;
  }
  p->fonts[p->nfonts++] = f;
  return f->owner < 0 ? -1 : p->nfonts - 1;
fail:
  free(f->path);
  free(f);
  return -1;
}

/* ---- pages and text -------------------------------------------------------- */

/* A side within rounding of a limit is at the limit: 5080 mm is 14,400 pt
 * but computes a hair above it. */
static double side_in_range(double v) {
  if (v > HPDF_MAX_PAGE_SIZE && v < HPDF_MAX_PAGE_SIZE + 0.01) return HPDF_MAX_PAGE_SIZE;
  if (v < HPDF_MIN_PAGE_SIZE && v > HPDF_MIN_PAGE_SIZE - 0.01) return HPDF_MIN_PAGE_SIZE;
  return v;
}

bool vc_pdf_page(vc_pdf_t *p, double w_pt, double h_pt) {
  if (!drawable(p, false)) return false;
  w_pt = side_in_range(w_pt), h_pt = side_in_range(h_pt);
  if (!(w_pt >= HPDF_MIN_PAGE_SIZE && w_pt <= HPDF_MAX_PAGE_SIZE &&
        h_pt >= HPDF_MIN_PAGE_SIZE && h_pt <= HPDF_MAX_PAGE_SIZE)) {
    vc_diag_add(p->d, VC_E_INPUT, NULL, 0, 0,
                "page size out of range: each side must be 3 to 14400 pt");
    return false;
  }
  HPDF_Page pg = HPDF_AddPage(p->doc);
  bool ok = pg && HPDF_Page_SetWidth(pg, (HPDF_REAL)w_pt) == HPDF_OK &&
            HPDF_Page_SetHeight(pg, (HPDF_REAL)h_pt) == HPDF_OK;
  if (!check(p, ok, NULL, true, "adding a page")) return false;
  p->page = pg;
  p->pages++;
  reset_gs(p);
  return true;
}

long vc_pdf_page_count(const vc_pdf_t *p) { return p ? p->pages : 0; }

HPDF_Doc vc__pdf_hpdf(vc_pdf_t *p) { return p->doc; }
vc_diag_t *vc__pdf_diag(vc_pdf_t *p) { return p->d; }
bool vc__pdf_begin_stream(vc_pdf_t *p) {
  if (!drawable(p, false)) return false;
  if (p->pages > 0 || p->streamed) {
    vc_diag_add(p->d, VC_E_INTERNAL, NULL, 0, 0,
                "PDF streamed after its first page");
    return false;
  }
  p->streamed = true;
  return true;
}
void vc__pdf_end_page(vc_pdf_t *p) { p->page = NULL; }
void vc__pdf_image_streamed(vc_pdf_t *p) {
  if (p->held > 0) p->held--;
}
size_t vc_pdf_images_held(const vc_pdf_t *p) { return p ? p->held : 0; }
bool vc__pdf_hpdf_ok(vc_pdf_t *p, bool ret_ok, const char *doing) {
  return check(p, ret_ok, NULL, true, doing);
}

static double clamp01(double v) { return v > 0 ? (v < 1 ? v : 1) : 0; }

static bool set_fill(vc_pdf_t *p, double r, double g, double b) {
  r = clamp01(r), g = clamp01(g), b = clamp01(b);
  if (r == p->gs.fill[0] && g == p->gs.fill[1] && b == p->gs.fill[2])
    return true;
  p->gs.fill[0] = r, p->gs.fill[1] = g, p->gs.fill[2] = b;
  return HPDF_Page_SetRGBFill(p->page, (HPDF_REAL)r, (HPDF_REAL)g,
                              (HPDF_REAL)b) == HPDF_OK;
}

static bool set_stroke(vc_pdf_t *p, double r, double g, double b) {
  r = clamp01(r), g = clamp01(g), b = clamp01(b);
  if (r == p->gs.stroke[0] && g == p->gs.stroke[1] && b == p->gs.stroke[2])
    return true;
  p->gs.stroke[0] = r, p->gs.stroke[1] = g, p->gs.stroke[2] = b;
  return HPDF_Page_SetRGBStroke(p->page, (HPDF_REAL)r, (HPDF_REAL)g,
                                (HPDF_REAL)b) == HPDF_OK;
}

/* Checks every character of s can be drawn with f (the checks libharu does
 * not do: it skips invalid UTF-8, draws spaces above U+FFFF and boxes for
 * missing glyphs, all silently) and records the code points drawn. */
static bool text_ok(vc_pdf_t *p, pdf_font_t *f, const char *s, size_t n) {
  int32_t cp;
  for (size_t i = 0; i < n;) {
    size_t at = i, k = vc_utf8_decode(s + i, n - i, &cp);
    const char *why = NULL;
    i += k;
    if (!k) why = "invalid UTF-8";
    else if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) why = "control character";
    else if (cp > 0xFFFF) why = "character beyond U+FFFF (not supported)";
    if (why) {
      vc_diag_add(p->d, VC_E_INTERNAL, NULL, 0, 0,
                  "text for the PDF: %s at byte %zu", why, at);
      return false;
    }
    uint8_t *bits = &f->used[cp >> 3], m = (uint8_t)(1u << (cp & 7));
    if (*bits & m) continue; /* seen before: known to have a glyph */
    if (!vc__hpdf_has_glyph(f->font, (uint32_t)cp)) {
      vc_diag_add(p->d, VC_E_FONT, f->path, 0, 0,
                  "font has no glyph for U+%04lX (\"%.*s\")", (long)cp,
                  (int)(i - at), s + at);
      return false;
    }
    *bits |= m;
  }
  return true;
}

bool vc_pdf_text(vc_pdf_t *p, int font, double size, double r, double g,
                 double b, double x, double y, const char *s, size_t n) {
  if (!drawable(p, true)) return false;
  double xy[2] = {x, y};
  if (!coords_ok(p, xy, 2, "text")) return false;
  if (font < 0 || font >= p->nfonts || p->fonts[font]->owner < 0 ||
      !(size > 0 && size <= HPDF_MAX_FONTSIZE)) {
    vc_diag_add(p->d, VC_E_INTERNAL, NULL, 0, 0,
                "text: bad font handle %d or size out of range", font);
    return false;
  }
  if (n == 0) return true;
  if (n > VC_PDF_TEXT_MAX_BYTES) {
    vc_diag_add(p->d, VC_E_LIMIT, NULL, 0, 0,
                "text of %zu bytes is longer than the limit of %d", n,
                VC_PDF_TEXT_MAX_BYTES);
    return false;
  }
  font = p->fonts[font]->owner;
  pdf_font_t *f = p->fonts[font];
  if (!text_ok(p, f, s, n)) return false;
  /* libharu wants a terminated string; short texts stay on the stack. */
  char small[256], *t = n < sizeof small ? small : malloc(n + 1);
  if (!t) {
    vc_diag_add(p->d, VC_E_NOMEM, NULL, 0, 0, "out of memory");
    return false;
  }
  memcpy(t, s, n);
  t[n] = '\0';
  bool ok = HPDF_Page_BeginText(p->page) == HPDF_OK;
  if (ok && (p->gs.font != font || p->gs.size != size)) {
    ok = HPDF_Page_SetFontAndSize(p->page, f->font, (HPDF_REAL)size) == HPDF_OK;
    p->gs.font = font;
    p->gs.size = size;
  }
  ok = ok && set_fill(p, r, g, b) &&
       HPDF_Page_MoveTextPos(p->page, (HPDF_REAL)x, (HPDF_REAL)y) == HPDF_OK &&
       HPDF_Page_ShowText(p->page, t) == HPDF_OK &&
       HPDF_Page_EndText(p->page) == HPDF_OK;
  if (t != small) free(t);
  return check(p, ok, NULL, true, "drawing text");
}

/* ---- shapes ---------------------------------------------------------------- */

/* Sets colours, width and dash for a shape; false + diag on a bad style. */
static bool style_set(vc_pdf_t *p, const vc_pdf_style_t *st, bool *ok) {
  if (!(isfinite(st->width) && st->width >= 0 && st->width <= HPDF_MAX_LINEWIDTH) ||
      !(isfinite(st->dash) && st->dash >= 0 && st->dash <= HPDF_MAX_DASH_PATTERN)) {
    vc_diag_add(p->d, VC_E_INPUT, NULL, 0, 0,
                "line width and dash length must be 0 to 100 pt");
    return false;
  }
  *ok = true;
  if (st->fill) *ok = set_fill(p, st->fr, st->fg, st->fb);
  if (!st->stroke) return true;
  *ok = *ok && set_stroke(p, st->sr, st->sg, st->sb);
  if (*ok && st->width != p->gs.width) {
    *ok = HPDF_Page_SetLineWidth(p->page, (HPDF_REAL)st->width) == HPDF_OK;
    p->gs.width = st->width;
  }
  if (*ok && st->dash != p->gs.dash) {
    /* libharu takes whole points only (1..100). */
    HPDF_UINT16 on = (HPDF_UINT16)(st->dash < 1 ? 1 : lround(st->dash));
    *ok = st->dash > 0 ? HPDF_Page_SetDash(p->page, &on, 1, 0) == HPDF_OK
                       : HPDF_Page_SetDash(p->page, NULL, 0, 0) == HPDF_OK;
    p->gs.dash = st->dash;
  }
  return true;
}

static bool paint(vc_pdf_t *p, const vc_pdf_style_t *st) {
  if (st->fill && st->stroke) return HPDF_Page_FillStroke(p->page) == HPDF_OK;
  if (st->fill) return HPDF_Page_Fill(p->page) == HPDF_OK;
  return HPDF_Page_Stroke(p->page) == HPDF_OK;
}

/* Common start of a shape: false when nothing is to be drawn (*ok says
 * whether that is an error). */
static bool shape_begin(vc_pdf_t *p, const vc_pdf_style_t *st, const double *v,
                        int nv, bool *ok) {
  *ok = false;
  if (!drawable(p, true) || !coords_ok(p, v, nv, "shape")) return false;
  if (!st) {
    vc_diag_add(p->d, VC_E_INTERNAL, NULL, 0, 0, "shape without a style");
    return false;
  }
  if (!st->stroke && !st->fill) {
    *ok = true; /* an invisible shape */
    return false;
  }
  bool set_ok;
  if (!style_set(p, st, &set_ok)) return false;
  if (!set_ok) {
    *ok = check(p, false, NULL, true, "setting the drawing style");
    return false;
  }
  return true;
}

bool vc_pdf_rect(vc_pdf_t *p, const vc_pdf_style_t *st, double x, double y,
                 double w, double h, double radius) {
  double v[5] = {x, y, w, h, radius};
  bool ok;
  if (!shape_begin(p, st, v, 5, &ok)) return ok;
  if (w < 0) x += w, w = -w;
  if (h < 0) y += h, h = -h;
  double r = radius > 0 ? radius : 0;
  if (r > w / 2) r = w / 2;
  if (r > h / 2) r = h / 2;
  HPDF_Page pg = p->page;
  if (r <= 0) {
    ok = HPDF_Page_Rectangle(pg, (HPDF_REAL)x, (HPDF_REAL)y, (HPDF_REAL)w,
                             (HPDF_REAL)h) == HPDF_OK;
  } else {
    /* Quarter circles as Bézier arcs: control points at 0.5523 r. */
    double k = 0.5522847498 * r, x2 = x + w, y2 = y + h;
#define F(v) ((HPDF_REAL)(v))
    ok = HPDF_Page_MoveTo(pg, F(x + r), F(y)) == HPDF_OK &&
         HPDF_Page_LineTo(pg, F(x2 - r), F(y)) == HPDF_OK &&
         HPDF_Page_CurveTo(pg, F(x2 - r + k), F(y), F(x2), F(y + r - k), F(x2),
                           F(y + r)) == HPDF_OK &&
         HPDF_Page_LineTo(pg, F(x2), F(y2 - r)) == HPDF_OK &&
         HPDF_Page_CurveTo(pg, F(x2), F(y2 - r + k), F(x2 - r + k), F(y2),
                           F(x2 - r), F(y2)) == HPDF_OK &&
         HPDF_Page_LineTo(pg, F(x + r), F(y2)) == HPDF_OK &&
         HPDF_Page_CurveTo(pg, F(x + r - k), F(y2), F(x), F(y2 - r + k), F(x),
                           F(y2 - r)) == HPDF_OK &&
         HPDF_Page_LineTo(pg, F(x), F(y + r)) == HPDF_OK &&
         HPDF_Page_CurveTo(pg, F(x), F(y + r - k), F(x + r - k), F(y), F(x + r),
                           F(y)) == HPDF_OK &&
         HPDF_Page_ClosePath(pg) == HPDF_OK;
#undef F
  }
  ok = ok && paint(p, st);
  return check(p, ok, NULL, true, "drawing a rectangle");
}

bool vc_pdf_ellipse(vc_pdf_t *p, const vc_pdf_style_t *st, double x, double y,
                    double w, double h) {
  double v[4] = {x, y, w, h};
  bool ok;
  if (!shape_begin(p, st, v, 4, &ok)) return ok;
  ok = HPDF_Page_Ellipse(p->page, (HPDF_REAL)(x + w / 2), (HPDF_REAL)(y + h / 2),
                         (HPDF_REAL)fabs(w / 2), (HPDF_REAL)fabs(h / 2)) ==
           HPDF_OK &&
       paint(p, st);
  return check(p, ok, NULL, true, "drawing an ellipse");
}

bool vc_pdf_line(vc_pdf_t *p, const vc_pdf_style_t *st, double x1, double y1,
                 double x2, double y2) {
  double v[4] = {x1, y1, x2, y2};
  vc_pdf_style_t s;
  if (st) {
    s = *st;
    s.fill = false; /* a line has no inside */
  }
  bool ok;
  if (!shape_begin(p, st ? &s : NULL, v, 4, &ok)) return ok;
  ok = HPDF_Page_MoveTo(p->page, (HPDF_REAL)x1, (HPDF_REAL)y1) == HPDF_OK &&
       HPDF_Page_LineTo(p->page, (HPDF_REAL)x2, (HPDF_REAL)y2) == HPDF_OK &&
       HPDF_Page_Stroke(p->page) == HPDF_OK;
  return check(p, ok, NULL, true, "drawing a line");
}

/* ---- images ---------------------------------------------------------------- */

static uint32_t path_hash(const char *s) { /* FNV-1a */
  uint32_t h = 2166136261u;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
  return h;
}

/* Index of path in p->images, or -1; *at receives the free slot where it
 * would go. */
static long image_find(const vc_pdf_t *p, const char *path, uint32_t h, size_t *at) {
  if (!p->nslot) return -1;
  size_t i = h & (p->nslot - 1);
  for (; p->slot[i]; i = (i + 1) & (p->nslot - 1)) {
    const pdf_image_t *e = &p->images[p->slot[i] - 1];
    if (e->hash == h && !strcmp(e->path, path)) return (long)p->slot[i] - 1;
  }
  *at = i;
  return -1;
}

/* Room for one more image: the array, and the hash kept at most half full.
 * false on no memory. */
static bool image_room(vc_pdf_t *p) {
  if (p->nimages == p->images_cap) {
    size_t cap = p->images_cap ? p->images_cap * 2 : 16;
    pdf_image_t *ni = realloc(p->images, cap * sizeof *ni);
    if (!ni) return false;
    p->images = ni;
    p->images_cap = cap;
  }
  if ((p->nimages + 1) * 2 <= p->nslot) return true;
  size_t ns = p->nslot ? p->nslot * 2 : 64;
  uint32_t *slot = calloc(ns, sizeof *slot);
  if (!slot || p->nimages >= UINT32_MAX - 1) {
    free(slot);
    return false;
  }
  for (size_t k = 0; k < p->nimages; k++) {
    size_t i = p->images[k].hash & (ns - 1);
    while (slot[i]) i = (i + 1) & (ns - 1);
    slot[i] = (uint32_t)k + 1;
  }
  free(p->slot);
  p->slot = slot;
  p->nslot = ns;
  return true;
}

/* The image for path, loaded on first use; a file that failed is
 * remembered and its diag repeated.  NULL after a diag. */
static pdf_image_t *image_get(vc_pdf_t *p, const char *path) {
  uint32_t h = path_hash(path);
  size_t at = 0;
  long k = image_find(p, path, h, &at);
  if (k >= 0) {
    pdf_image_t *e = &p->images[k];
    if (e->img) return e;
    vc_diag_add(p->d, e->st, path, 0, 0, "%s", e->why ? e->why : "unusable image");
    return NULL;
  }
  if (p->held >= VC_PDF_MAX_IMAGES) {
    vc_diag_add(p->d, VC_E_LIMIT, path, 0, 0,
                "more than %d different images in memory at once in one "
                "document", VC_PDF_MAX_IMAGES);
    return NULL;
  }
  char *cpath = strdup(path);
  if (!cpath || !image_room(p)) {
    free(cpath);
    vc_diag_add(p->d, VC_E_NOMEM, path, 0, 0, "out of memory");
    return NULL;
  }
  image_find(p, path, h, &at); /* the hash may have grown */
  pdf_image_t *e = &p->images[p->nimages];
  memset(e, 0, sizeof *e);
  e->path = cpath;
  e->hash = h;
  p->slot[at] = (uint32_t)++p->nimages;
  size_t before = vc_diag_kept(p->d);
  bool refused;
  e->img = vc__img_load(p->doc, path, &e->info, &refused, p->d);
  /* A failed load leaves at most an unused object: not fatal. */
  if (e->img || !refused) {
    if (check(p, e->img != NULL, path, false, "loading image")) {
      p->held++;
      return e;
    }
    e->img = NULL;
  }
  /* Remember why, to say it again on every page that uses the file. */
  const vc_diag_item_t *it =
      vc_diag_kept(p->d) > before ? vc_diag_get(p->d, vc_diag_kept(p->d) - 1)
                                  : NULL;
  e->st = it ? it->status : VC_E_INPUT;
  e->why = it ? strdup(it->msg) : NULL;
  return NULL;
}

bool vc_pdf_image(vc_pdf_t *p, const char *path, double x, double y, double w,
                  double h) {
  if (!drawable(p, true)) return false;
  double v[4] = {x, y, w, h};
  if (!path || !coords_ok(p, v, 4, "image")) return false;
  pdf_image_t *e = image_get(p, path);
  if (!e) return false;
  bool ok = HPDF_Page_DrawImage(p->page, e->img, (HPDF_REAL)x, (HPDF_REAL)y,
                                (HPDF_REAL)w, (HPDF_REAL)h) == HPDF_OK;
  return check(p, ok, path, true, "drawing image");
}

bool vc_pdf_image_check(const char *path, vc_diag_t *d) {
  vc_pdf_t *p = vc_pdf_create(NULL, d);
  bool ok = p && image_get(p, path) != NULL;
  vc_pdf_free(p);
  return ok;
}

bool vc_pdf_image_size(vc_pdf_t *p, const char *path, double *w, double *h) {
  if (!p || !path) return false;
  vc_img_info_t info;
  const vc_img_info_t *use = NULL;
  size_t at;
  long k = image_find(p, path, path_hash(path), &at);
  if (k >= 0 && p->images[k].img) use = &p->images[k].info;
  if (!use) {
    if (!vc__img_probe(path, &info, p->d)) return false;
    use = &info;
  }
  *w = (double)use->width;
  *h = (double)use->height;
  return true;
}

/* ---- saving ---------------------------------------------------------------- */

/* The repairs a save applies (see pdf-private.h; pdf-split.c uses it too). */
bool vc__pdf_finish_objects(vc_pdf_t *p) {
  if (p->failed) {
    vc_diag_add(p->d, VC_E_PDF, NULL, 0, 0,
                "PDF not saved: the document is unusable after an earlier "
                "error");
    return false;
  }
  p->saved = true; /* no more drawing: the repairs read what was drawn */
  for (int i = 0; i < p->nfonts && p->repairs; i++) {
    pdf_font_t *f = p->fonts[i];
    if (f->owner >= 0 && f->owner != i) continue; /* done with its owner */
    if (!vc__hpdf_mark_components(f->font, f->path, NULL, p->d) ||
        !vc__hpdf_write_tounicode(f->font, f->used, f->path, p->d) ||
        !vc__hpdf_slim_font(f->font, f->used, f->path, p->d)) {
      p->err = p->detail = 0;
      p->failed = true;
      return false;
    }
  }
  return true;
}

bool vc__pdf_whole(vc_pdf_t *p) {
  if (!p->streamed) return true;
  vc_diag_add(p->d, VC_E_INTERNAL, NULL, 0, 0,
              "PDF saved whole after it was streamed to a file");
  return false;
}

/* Applies the repairs and has libharu write the whole file into its memory
 * stream.  After this the document takes no more drawing. */
static bool finish(vc_pdf_t *p) {
  if (!vc__pdf_whole(p) || !vc__pdf_finish_objects(p)) return false;
  if (!check(p, HPDF_SaveToStream(p->doc) == HPDF_OK, NULL, true,
             "writing the PDF"))
    return false;
  return check(p, HPDF_ResetStream(p->doc) == HPDF_OK, NULL, true,
               "reading the PDF back");
}

/* Copies the saved document, in pieces, to a callback.  false after a diag
 * (the callback adds its own). */
typedef bool (*sink_fn)(void *ctx, const unsigned char *b, size_t n);
static bool drain(vc_pdf_t *p, sink_fn sink, void *ctx) {
  enum { CHUNK = 1 << 16 };
  unsigned char *buf = malloc(CHUNK);
  if (!buf) {
    vc_diag_add(p->d, VC_E_NOMEM, NULL, 0, 0, "out of memory");
    return false;
  }
  HPDF_UINT32 left = HPDF_GetStreamSize(p->doc);
  bool ok = left > 0;
  while (ok && left > 0) {
    HPDF_UINT32 n = left < CHUNK ? left : CHUNK;
    HPDF_STATUS r = HPDF_ReadFromStream(p->doc, buf, &n);
    /* The last piece may come with "end of stream": that is no error. */
    if ((r == HPDF_OK || r == HPDF_STREAM_EOF) && n > 0 && n <= left) {
      if (p->err == HPDF_STREAM_EOF) {
        p->err = p->detail = 0;
        HPDF_ResetError(p->doc);
      }
      left -= n;
      ok = sink(ctx, buf, n);
    } else {
      ok = check(p, false, NULL, true, "reading the PDF back");
    }
  }
  free(buf);
  if (ok && !check(p, true, NULL, true, "reading the PDF back")) ok = false;
  return ok;
}

typedef struct fd_sink {
  int fd;
  int err; /* errno of the first failure */
} fd_sink_t;

static bool fd_write(void *ctx, const unsigned char *b, size_t n) {
  fd_sink_t *s = ctx;
  struct iovec v = {.iov_base = (void *)b, .iov_len = n};
  if (vc__pdf_write_iov(s->fd, &v, 1)) return true;
  s->err = errno;
  return false;
}

bool vc_pdf_save_file(vc_pdf_t *p, const char *path) {
  if (!p) return false;
  char *dir, *name;
  if (!vc_pdf_out_path(path, &dir, &name, p->d)) return false;
  vc_pdf_files_t *f = finish(p) ? vc_pdf_files_open(dir, true, p->d) : NULL;
  free(dir);
  if (!f) {
    free(name);
    return false;
  }
  fd_sink_t s = {.fd = vc_pdf_files_begin(f, name, p->d), .err = 0};
  bool ok = s.fd >= 0;
  if (ok) {
    ok = drain(p, fd_write, &s);
    if (s.err) /* drain failures have their diag already */
      vc_diag_add(p->d, VC_E_IO, path, 0, 0, "cannot write the PDF file: %s",
                  strerror(s.err));
    ok = vc_pdf_files_end(f, ok, p->d) && vc_pdf_files_commit(f, p->d);
  }
  vc_pdf_files_free(f);
  free(name);
  return ok;
}

typedef struct mem_sink {
  unsigned char *buf;
  size_t len, cap;
} mem_sink_t;

static bool mem_write(void *ctx, const unsigned char *b, size_t n) {
  mem_sink_t *m = ctx;
  if (n > m->cap - m->len) return false;
  memcpy(m->buf + m->len, b, n);
  m->len += n;
  return true;
}

bool vc_pdf_save_mem(vc_pdf_t *p, unsigned char **buf, size_t *len) {
  if (!p || !buf || !len) return false;
  *buf = NULL;
  *len = 0;
  if (!finish(p)) return false;
  size_t size = HPDF_GetStreamSize(p->doc);
  mem_sink_t m = {.buf = malloc(size ? size : 1), .len = 0, .cap = size};
  if (!m.buf) {
    vc_diag_add(p->d, VC_E_NOMEM, NULL, 0, 0, "out of memory");
    return false;
  }
  if (!drain(p, mem_write, &m) || m.len != size) {
    if (m.len != size)
      vc_diag_add(p->d, VC_E_PDF, NULL, 0, 0, "PDF size changed while copying");
    free(m.buf);
    return false;
  }
  *buf = m.buf;
  *len = m.len;
  return true;
}
