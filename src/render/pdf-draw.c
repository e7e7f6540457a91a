/*
 * pdf-draw.c - drawing on the current page of a vc_pdf_t (see pdf.h): text
 * (checked character by character: libharu checks none), shapes, and the
 * images a document holds (each file loaded once, found by a hash on its
 * path).  The document, its fonts, pages and saving are pdf.c's.
 */
#include "core/i18n.h"
#include "render/pdf.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf.h>

#include "core/mem.h"
#include "core/text.h"
#include "render/hpdf-fix.h"
#include "render/image.h"
#include "render/pdf-private.h"

/* Largest coordinate libharu writes (HPDF_LIMIT_MAX_REAL). */
#define COORD_MAX 32767.0

static bool coords_ok(vc_pdf_t *p, const double *v, int n, const char *what) {
  for (int i = 0; i < n; i++)
    if (!isfinite(v[i]) || fabs(v[i]) > COORD_MAX) {
      vc_diag_add(p->d, VC_E_INTERNAL, NULL, 0, 0,
                  "%s: coordinate out of range or not a number", _(what));
      return false;
    }
  return true;
}

static double clamp01(double v) { return v > 0 ? (v < 1 ? v : 1) : 0; }

/* Sets a fill or stroke colour (set: HPDF_Page_SetRGBFill or ...Stroke)
 * unless the page has it already (last[3], the graphics state kept). */
static bool set_rgb(vc_pdf_t *p, double last[3], double r, double g, double b,
                    HPDF_STATUS (*set)(HPDF_Page, HPDF_REAL, HPDF_REAL, HPDF_REAL)) {
  r = clamp01(r), g = clamp01(g), b = clamp01(b);
  if (r == last[0] && g == last[1] && b == last[2]) return true;
  last[0] = r, last[1] = g, last[2] = b;
  return set(p->page, (HPDF_REAL)r, (HPDF_REAL)g, (HPDF_REAL)b) == HPDF_OK;
}

static bool set_fill(vc_pdf_t *p, double r, double g, double b) {
  return set_rgb(p, p->gs.fill, r, g, b, HPDF_Page_SetRGBFill);
}

static bool set_stroke(vc_pdf_t *p, double r, double g, double b) {
  return set_rgb(p, p->gs.stroke, r, g, b, HPDF_Page_SetRGBStroke);
}

/* Checks every character of s can be drawn with f (the checks libharu does
 * not do: it skips invalid UTF-8, draws spaces above U+FFFF and boxes for
 * missing glyphs, all silently) and records the code points drawn. */
static bool text_ok(vc_pdf_t *p, vc_pdf_font_ent_t *f, const char *s, size_t n) {
  int32_t cp;
  for (size_t i = 0; i < n;) {
    unsigned char c = (unsigned char)s[i]; /* ASCII without the call: most text */
    size_t at = i, k = c < 0x80 ? (cp = c, 1) : vc_utf8_decode(s + i, n - i, &cp);
    const char *why = NULL;
    i += k;
    if (!k) why = _("invalid UTF-8");
    else if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) why = _("control character");
    else if (cp > 0xFFFF) why = _("character beyond U+FFFF (not supported)");
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
  if (!vc__pdf_drawable(p, true)) return false;
  double xy[2] = {x, y};
  if (!coords_ok(p, xy, 2, N_("text"))) return false;
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
  vc_pdf_font_ent_t *f = p->fonts[font];
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
  return vc__pdf_check(p, ok, NULL, true, N_("drawing text"));
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
  if (!vc__pdf_drawable(p, true) || !coords_ok(p, v, nv, N_("shape"))) return false;
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
    *ok = vc__pdf_check(p, false, NULL, true, N_("setting the drawing style"));
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
  return vc__pdf_check(p, ok, NULL, true, N_("drawing a rectangle"));
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
  return vc__pdf_check(p, ok, NULL, true, N_("drawing an ellipse"));
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
  return vc__pdf_check(p, ok, NULL, true, N_("drawing a line"));
}

/* ---- QR codes ---------------------------------------------------------------- */

/* The run of dark modules [c, e) of a row, and nothing more: dark from c
 * to e, light (or the edge) on both sides. */
static bool same_run(const unsigned char *row, int width, int c, int e) {
  if ((c > 0 && row[c - 1]) || (e < width && row[e])) return false;
  for (int k = c; k < e; k++)
    if (!row[k]) return false;
  return true;
}

/* Buffered writer of "x y w h re" operators with whole-number operands
 * straight into the page's content stream: the bytes HPDF_Page_Rectangle
 * writes for whole numbers, without its four float conversions (each
 * clears a 512-byte buffer): they were a fifth of a render with QR codes. */
typedef struct re_out {
  HPDF_Stream s; /* the page's content stream; NULL until the first re */
  char buf[4096];
  size_t n;
  bool ok;
} re_out_t;

static bool re_flush(re_out_t *o) {
  if (o->n && HPDF_Stream_Write(o->s, (const HPDF_BYTE *)o->buf, (HPDF_UINT)o->n) != HPDF_OK)
    o->ok = false;
  o->n = 0;
  return o->ok;
}

/* Appends v (0..99999) in decimal and a separator. */
static void re_num(re_out_t *o, unsigned v, char sep) {
  char t[8];
  int k = 0;
  do t[k++] = (char)('0' + v % 10); while ((v /= 10) != 0 && k < 5);
  while (k) o->buf[o->n++] = t[--k];
  o->buf[o->n++] = sep;
}

/* The rectangle (x, y, w, h) in module units.  The first one goes through
 * HPDF_Page_Rectangle, which checks and sets the page's graphics mode (a
 * path object) and finds the content stream; the others are appended to
 * that stream as the same bytes, the mode staying what it is. */
static bool re_add(vc_pdf_t *p, re_out_t *o, unsigned x, unsigned y, unsigned w, unsigned h) {
  if (!o->s) {
    o->ok = HPDF_Page_Rectangle(p->page, (HPDF_REAL)x, (HPDF_REAL)y, (HPDF_REAL)w,
                                (HPDF_REAL)h) == HPDF_OK &&
            HPDF_Page_GetGMode(p->page) == HPDF_GMODE_PATH_OBJECT &&
            (o->s = vc__hpdf_page_stream(p->page)) != NULL;
    return o->ok;
  }
  if (o->n + 4 * 6 + 3 > sizeof o->buf && !re_flush(o)) return false;
  re_num(o, x, ' ');
  re_num(o, y, ' ');
  re_num(o, w, ' ');
  re_num(o, h, ' ');
  memcpy(o->buf + o->n, "re\n", 3);
  o->n += 3;
  return true;
}

bool vc_pdf_modules(vc_pdf_t *p, const unsigned char *dark, int width, double x, double y,
                    double m) {
  double v[4] = {x, y, x + width * m, y + width * m};
  if (!vc__pdf_drawable(p, true) || !coords_ok(p, v, 4, N_("QR code"))) return false;
  if (width <= 0 || width > VC_PDF_MODULES_MAX) {
    vc_diag_add(p->d, VC_E_INTERNAL, NULL, 0, 0, "QR code of %d modules a side", width);
    return false;
  }
  unsigned char *done = calloc((size_t)width * (size_t)width, 1);
  re_out_t *o = malloc(sizeof *o);
  if (!done || !o) {
    free(done);
    free(o);
    vc_diag_add(p->d, VC_E_NOMEM, NULL, 0, 0, "out of memory");
    return false;
  }
  o->s = NULL;
  o->n = 0;
  o->ok = true;
  /* In module units (the matrix scales them): "12 40 3 1 re" is a third of
   * the bytes of page coordinates, and a run repeated in the rows below is
   * one taller rectangle (a quarter fewer).  The fill is set before the
   * save, so the restore leaves the page's colour as p->gs knows it. */
  bool ok = set_fill(p, 0, 0, 0) && HPDF_Page_GSave(p->page) == HPDF_OK &&
            HPDF_Page_Concat(p->page, (HPDF_REAL)m, 0, 0, (HPDF_REAL)m, (HPDF_REAL)x,
                             (HPDF_REAL)y) == HPDF_OK;
  for (int r = 0; ok && r < width; r++) {
    const unsigned char *row = dark + (size_t)r * (size_t)width;
    for (int c = 0; ok && c < width;) {
      if (!row[c] || done[(size_t)r * (size_t)width + (size_t)c]) {
        c++;
        continue;
      }
      int e = c, h = 1;
      while (e < width && row[e]) e++;
      while (r + h < width && same_run(row + (size_t)h * (size_t)width, width, c, e)) {
        memset(done + (size_t)(r + h) * (size_t)width + (size_t)c, 1, (size_t)(e - c));
        h++;
      }
      /* row 0 is the top one */
      ok = re_add(p, o, (unsigned)c, (unsigned)(width - r - h), (unsigned)(e - c), (unsigned)h);
      c = e;
    }
  }
  bool any = o->s != NULL;
  ok = ok && re_flush(o);
  free(o);
  free(done);
  if (ok && any) ok = HPDF_Page_Fill(p->page) == HPDF_OK;
  ok = ok && HPDF_Page_GRestore(p->page) == HPDF_OK;
  return vc__pdf_check(p, ok, NULL, true, N_("drawing a QR code"));
}

bool vc_pdf_link(vc_pdf_t *p, double x, double y, double w, double h, const char *uri) {
  double v[4] = {x, y, x + w, y + h};
  if (!vc__pdf_drawable(p, true) || !coords_ok(p, v, 4, N_("link"))) return false;
  HPDF_Rect r = {(HPDF_REAL)x, (HPDF_REAL)y, (HPDF_REAL)(x + w), (HPDF_REAL)(y + h)};
  HPDF_Annotation a = HPDF_Page_CreateURILinkAnnot(p->page, r, uri);
  bool ok = a && HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0) == HPDF_OK;
  /* libharu points the annotation back at its page (/P, optional in PDF):
   * the page-by-page writer (pdf-stream.c, pdf-split.c) refuses an object
   * that refers to a page, so the link goes without it. */
  if (ok && HPDF_Dict_GetItem(a, "P", HPDF_OCLASS_DICT))
    ok = HPDF_Dict_RemoveElement(a, "P") == HPDF_OK;
  return vc__pdf_check(p, ok, NULL, true, N_("adding a link"));
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
    const vc_pdf_img_ent_t *e = &p->images[p->slot[i] - 1];
    if (e->hash == h && !strcmp(e->path, path)) return (long)p->slot[i] - 1;
  }
  *at = i;
  return -1;
}

/* Room for one more image: the array, and the hash kept at most half full.
 * false on no memory. */
static bool image_room(vc_pdf_t *p) {
  if (!vc_array_grow(&p->images, p->nimages, &p->images_cap, sizeof *p->images, 16))
    return false;
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
static vc_pdf_img_ent_t *image_get(vc_pdf_t *p, const char *path) {
  uint32_t h = path_hash(path);
  size_t at = 0;
  long k = image_find(p, path, h, &at);
  if (k >= 0) {
    vc_pdf_img_ent_t *e = &p->images[k];
    if (e->img) return e;
    vc_diag_add(p->d, e->st, path, 0, 0, "%s", e->why ? e->why : _("unusable image"));
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
  vc_pdf_img_ent_t *e = &p->images[p->nimages];
  memset(e, 0, sizeof *e);
  e->path = cpath;
  e->hash = h;
  p->slot[at] = (uint32_t)++p->nimages;
  size_t before = vc_diag_kept(p->d);
  bool refused;
  e->img = vc__img_load(p->doc, path, &e->info, &refused, p->d);
  /* A failed load leaves at most an unused object: not fatal. */
  if (e->img || !refused) {
    if (vc__pdf_check(p, e->img != NULL, path, false, N_("loading image"))) {
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
  if (!vc__pdf_drawable(p, true)) return false;
  double v[4] = {x, y, w, h};
  if (!path || !coords_ok(p, v, 4, N_("image"))) return false;
  vc_pdf_img_ent_t *e = image_get(p, path);
  if (!e) return false;
  bool ok = HPDF_Page_DrawImage(p->page, e->img, (HPDF_REAL)x, (HPDF_REAL)y,
                                (HPDF_REAL)w, (HPDF_REAL)h) == HPDF_OK;
  return vc__pdf_check(p, ok, path, true, N_("drawing image"));
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
