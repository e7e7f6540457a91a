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
 *
 * This file: the document, its fonts and pages, and saving it whole;
 * drawing on a page is pdf-draw.c's.
 */
#include "core/i18n.h"
#include "render/pdf.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf.h>

#include "render/pdf-private.h"

/* Page tree nodes of at most this many pages: without them libharu stops
 * at 32,767 pages (one array of kids). */
#define PAGES_PER_NODE 512

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
bool vc__pdf_check(vc_pdf_t *p, bool ret_ok, const char *file, bool fatal,
                  const char *doing) {
  if (ret_ok && p->err == 0) return true;
  HPDF_STATUS e = p->err ? p->err : HPDF_GetError(p->doc);
  HPDF_STATUS det = p->err ? p->detail : HPDF_GetErrorDetail(p->doc);
  vc_status_t st = e == HPDF_FAILD_TO_ALLOC_MEM ? VC_E_NOMEM
                   : (e == HPDF_FILE_IO_ERROR || e == HPDF_FILE_OPEN_ERROR)
                       ? VC_E_IO
                       : VC_E_PDF;
  vc_diag_add(p->d, st, file, 0, 0, "%s: %s (libharu error 0x%04X, detail %u)",
              _(doing), _(vc__hpdf_error_text(e)), (unsigned)e, (unsigned)det);
  p->err = p->detail = 0;
  if (fatal) p->failed = true;
  else HPDF_ResetError(p->doc);
  return false;
}

/* May the document still be changed?  Adds a diag when not, except after a
 * failure (one diag is enough for a broken document). */
bool vc__pdf_drawable(vc_pdf_t *p, bool need_page) {
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
  if (!vc__pdf_check(p, ok, NULL, true, N_("creating the PDF document"))) {
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
  if (!vc__pdf_drawable(p, false)) return false;
  if (p->pages > 0) {
    vc_diag_add(p->d, VC_E_INTERNAL, NULL, 0, 0,
                "PDF compression changed after the first page");
    return false;
  }
  HPDF_UINT mode = content ? HPDF_COMP_ALL : HPDF_COMP_ALL & ~HPDF_COMP_TEXT;
  return vc__pdf_check(p, HPDF_SetCompressionMode(p->doc, mode) == HPDF_OK, NULL, true,
               N_("setting PDF compression"));
}

/* ---- fonts ---------------------------------------------------------------- */

int vc_pdf_font(vc_pdf_t *p, const char *path, int face_index) {
  if (!vc__pdf_drawable(p, false)) return -1;
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
  vc_pdf_font_ent_t *f = calloc(1, sizeof *f);
  char *cpath = strdup(path);
  vc_pdf_font_ent_t **nf = realloc(p->fonts, (size_t)(p->nfonts + 1) * sizeof *nf);
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
  if (!vc__pdf_check(p, name != NULL, path, false, N_("loading font"))) goto fail;
  /* Before HPDF_GetFont, which looks up every code (hpdf-slim.c). */
  if (!vc__pdf_check(p, vc__hpdf_fast_cmap(p->doc, name), path, false, N_("loading font")))
    goto fail;
  /* A failure inside HPDF_GetFont can leave half a font among the objects
   * to write: the document is unusable then. */
  f->font = HPDF_GetFont(p->doc, name, "UTF-8");
  if (!vc__pdf_check(p, f->font != NULL, path, true, N_("preparing font"))) goto fail;
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

/* ---- pages -------------------------------------------------------- */

/* A side within rounding of a limit is at the limit: 5080 mm is 14,400 pt
 * but computes a hair above it. */
static double side_in_range(double v) {
  if (v > HPDF_MAX_PAGE_SIZE && v < HPDF_MAX_PAGE_SIZE + 0.01) return HPDF_MAX_PAGE_SIZE;
  if (v < HPDF_MIN_PAGE_SIZE && v > HPDF_MIN_PAGE_SIZE - 0.01) return HPDF_MIN_PAGE_SIZE;
  return v;
}

bool vc_pdf_page(vc_pdf_t *p, double w_pt, double h_pt) {
  if (!vc__pdf_drawable(p, false)) return false;
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
  if (!vc__pdf_check(p, ok, NULL, true, N_("adding a page"))) return false;
  p->page = pg;
  p->pages++;
  reset_gs(p);
  return true;
}

long vc_pdf_page_count(const vc_pdf_t *p) { return p ? p->pages : 0; }

/* Labels (issue 13): a label's drawing moved into its cell. */
bool vc_pdf_push_at(vc_pdf_t *p, double x, double y) {
  if (!vc__pdf_drawable(p, true)) return false;
  bool ok = HPDF_Page_GSave(p->page) == HPDF_OK &&
            HPDF_Page_Concat(p->page, 1, 0, 0, 1, (HPDF_REAL)x, (HPDF_REAL)y) == HPDF_OK;
  return vc__pdf_check(p, ok, NULL, true, N_("moving to a label"));
}

bool vc_pdf_pop(vc_pdf_t *p) {
  if (!vc__pdf_drawable(p, true)) return false;
  bool ok = HPDF_Page_GRestore(p->page) == HPDF_OK;
  /* the state is back to the push's, which the cache did not keep: values
   * no drawing uses, so the next one is written again */
  p->gs.font = -1;
  p->gs.size = p->gs.width = p->gs.dash = -1;
  for (int i = 0; i < 3; i++) p->gs.fill[i] = p->gs.stroke[i] = -1;
  return vc__pdf_check(p, ok, NULL, true, N_("ending a label"));
}

/* Calibration (issue 13, point 2): the whole page scaled and moved. */
bool vc_pdf_scale_move(vc_pdf_t *p, double sx, double sy, double x, double y) {
  if (!vc__pdf_drawable(p, true)) return false;
  bool ok = HPDF_Page_Concat(p->page, (HPDF_REAL)sx, 0, 0, (HPDF_REAL)sy, (HPDF_REAL)x,
                             (HPDF_REAL)y) == HPDF_OK;
  return vc__pdf_check(p, ok, NULL, true, N_("calibrating the page"));
}

HPDF_Doc vc__pdf_hpdf(vc_pdf_t *p) { return p->doc; }
vc_diag_t *vc__pdf_diag(vc_pdf_t *p) { return p->d; }
bool vc__pdf_begin_stream(vc_pdf_t *p) {
  if (!vc__pdf_drawable(p, false)) return false;
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
    vc_pdf_font_ent_t *f = p->fonts[i];
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
  if (!vc__pdf_check(p, HPDF_SaveToStream(p->doc) == HPDF_OK, NULL, true,
             N_("writing the PDF")))
    return false;
  return vc__pdf_check(p, HPDF_ResetStream(p->doc) == HPDF_OK, NULL, true,
               N_("reading the PDF back"));
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
      ok = vc__pdf_check(p, false, NULL, true, N_("reading the PDF back"));
    }
  }
  free(buf);
  if (ok && !vc__pdf_check(p, true, NULL, true, N_("reading the PDF back"))) ok = false;
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
