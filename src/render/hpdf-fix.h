/*
 * hpdf-fix.h - private to src/render: repairs of libharu 2.3.0 defects that
 * reach into its internal structures (../shared/notes/libharu-2.3.0.md),
 * its slowness and size with fonts (hpdf-slim.c), checks of image files
 * before anything reads them, and PNGs made into images without libharu's
 * PNG loader (pdf-png.c).
 *
 * Only src/render uses these.  They take fonts made by pdf.c (HPDF_GetFont with
 * the "UTF-8" encoder over an embedded TrueType file) and refuse any other
 * kind rather than guess at its layout.
 */
#ifndef VC_HPDF_FIX_H
#define VC_HPDF_FIX_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <hpdf.h>
#include <hpdf_fontdef.h>

#include "core/diag.h"
#include "render/hpdf-pin.h"

/* One bit per BMP code point (bit cp & 7 of byte cp >> 3). */
#define VC_CP_BITMAP_BYTES 8192

/* The TrueType definition behind a font pdf.c made, or NULL for any other
 * kind (the repairs only know this layout).  Owned by the document. */
HPDF_TTFontDefAttr vc_hpdf_tt_attr(HPDF_Font font);

/* A readable phrase for a libharu error code. */
const char *vc_hpdf_error_text(HPDF_STATUS e);

/* Marks as used, in the subset libharu will embed for font, every component
 * of every glyph already marked, recursively (libharu 2.3.0 follows one
 * level only, so accents of Vietnamese letters vanish).  Glyphs are read
 * through libharu's own open font stream, i.e. exactly the bytes its
 * subsetter copies.  *added (may be NULL) receives the number of glyphs
 * newly marked.  false + diag (VC_E_PDF / VC_E_NOMEM, naming label) when
 * the font is not of the expected kind or cannot be read. */
bool vc_hpdf_mark_components(HPDF_Font font, const char *label,
                             unsigned *added, vc_diag_t *d);

/* Replaces the content of font's /ToUnicode stream (libharu writes its
 * encoding CMap there, which is not a valid ToUnicode map) with a CMapType 2
 * map sending each code in `used` to the same UTF-16BE value: in UTF-8 mode
 * libharu's 2-byte codes are the BMP code points.  Safe to call again (the
 * stream is rewritten).  false + diag (naming label) on failure. */
bool vc_hpdf_write_tounicode(HPDF_Font font,
                             const uint8_t used[VC_CP_BITMAP_BYTES],
                             const char *label, vc_diag_t *d);

/* True when font is the kind the repairs know: a Type0 font over an
 * embedded TrueType definition with a Unicode (format 4) character map. */
bool vc_hpdf_font_ok(HPDF_Font font);

/* True when the font has a glyph other than .notdef for BMP code point cp
 * (the glyph libharu will draw).  Never touches libharu's error state. */
bool vc_hpdf_has_glyph(HPDF_Font font, uint32_t cp);

/* ---- walking the object graph (pdf-split.c, pdf-stream.c) ---- */

/* Calls fn(target, ctx) for each indirect object that value v refers to
 * (its HPDF_Proxy values), looking through direct arrays and dicts and
 * skipping hidden values as libharu's writer does; `skip` names a key of v
 * (a dict) to leave out.  false when fn returns false, or when direct
 * values nest more than 32 deep (a document libharu did not make). */
typedef bool (*vc_hpdf_ref_fn)(void *obj, void *ctx);
bool vc_hpdf_each_ref(void *v, const char *skip, vc_hpdf_ref_fn fn, void *ctx);

/* Runs the before-write function of every font dict of doc, as a save
 * would: it makes their descriptors and font programs (once).  Afterwards
 * writing an object adds no new ones.  false when libharu fails (its error
 * handler has been told). */
bool vc_hpdf_prepare_fonts(HPDF_Doc doc);

/* ---- speed and size (hpdf-slim.c) ---- */

/* The glyph id HPDF_TTFontDef_GetGlyphid returns for BMP code point cp from
 * a format-4 map, with 0 where libharu would read outside its arrays. */
uint16_t vc_hpdf_cmap_gid(const HPDF_TTF_CmapRange *c, unsigned cp);

/* Gives the TrueType definition of font `name` (as HPDF_LoadTTFontFromFile
 * returned it) an equivalent code-to-glyph map that libharu resolves in one
 * step: call it before HPDF_GetFont, which looks up all 65,535 codes.  Every
 * code maps to the same glyph as before.  Does nothing for other kinds of
 * font or map, or when done already.  false only when libharu could not
 * allocate (its error handler has been told); the font stays as it was. */
bool vc_hpdf_fast_cmap(HPDF_Doc doc, const char *name);

/* Shrinks what libharu writes for font (made by HPDF_GetFont "UTF-8"):
 * /W and /CIDToGIDMap list only the code points in `used` (the text drawn;
 * the map ends at the highest one), and the font program is written now,
 * with its glyph names ('post' format 3), the metrics of glyphs not
 * embedded and the 'cmap' entries of codes not drawn removed.  Call after
 * vc_hpdf_mark_components and after the last text is drawn.  Safe to call
 * again (the program is only written once).  false + diag (naming label)
 * after a libharu failure: the document is unusable then. */
bool vc_hpdf_slim_font(HPDF_Font font, const uint8_t used[VC_CP_BITMAP_BYTES],
                       const char *label, vc_diag_t *d);

/* One entry of a font's character map: code point and glyph id. */
typedef struct vc_sfnt_map {
  uint16_t code, gid;
} vc_sfnt_map_t;

/* A smaller copy of a TrueType font program (in, n bytes) with the same
 * glyph ids and glyph data: 'post' of format 3; the 'hmtx' entries of
 * glyphs whose glyph_used[] is not 1 zeroed (nglyphs must be the font's
 * glyph count); 'cmap' holding only `map` (codes ascending, below U+FFFF,
 * glyph ids non-zero; NULL keeps 'cmap'); table checksums and
 * head.checkSumAdjustment recomputed.  Returns a malloc'd buffer (*out_len
 * bytes; caller frees), or NULL when the input is not such a font or on
 * out of memory. */
unsigned char *vc_sfnt_slim(const unsigned char *in, size_t n,
                            const uint8_t *glyph_used, unsigned nglyphs,
                            const vc_sfnt_map_t *map, size_t nmap,
                            size_t *out_len);

/* Looks at the first bytes of a font file before libharu does: 1 for a
 * TrueType font, 2 for a TrueType collection (.ttc); 0 after a diag
 * (VC_E_FONT: cannot open, CFF-flavoured .otf, not a font). */
int vc_hpdf_font_file_kind(const char *path, vc_diag_t *d);
#define VC_PDF_FONT_MAX_BYTES (64L << 20)

/* Image files: the largest vncert reads. */
#define VC_PDF_IMAGE_MAX_BYTES (32L << 20)   /* file size */
#define VC_PDF_IMAGE_MAX_PIXELS 30000000L     /* width x height */
#define VC_PDF_IMAGE_MAX_SIDE 20000            /* pixels */

typedef enum vc_img_kind { VC_IMG_PNG = 1, VC_IMG_JPEG } vc_img_kind_t;
typedef struct vc_img_info {
  vc_img_kind_t kind;
  unsigned long width, height; /* pixels */
} vc_img_info_t;

/* Checks an image file before anything else reads it, from its headers:
 * a PNG of 8 bits or less per sample without a tRNS colour key (palette
 * transparency is fine), whose chunks are whole with correct checksums
 * (the pixel data is checked when loading, vc_png_image); a JPEG baseline,
 * extended or progressive, 8-bit, 1, 3 or 4 components (libharu copies
 * JPEG data without decoding it); within the caps above.  Fills info.
 * false + diag naming the file, why, and what to do. */
bool vc_img_probe(const char *path, vc_img_info_t *info, vc_diag_t *d);

/* Loads an image file into doc for drawing, after the checks above: a
 * JPEG is given to libharu (which copies its data), a PNG goes through
 * vc_png_image.  Fills info.  Returns the image, owned by doc.  NULL with
 * *refused true after a diag (nothing added to doc); NULL with *refused
 * false when libharu failed: its error is set in doc, and an unreferenced
 * object may stay in it (harmless). */
HPDF_Image vc_img_load(HPDF_Doc doc, const char *path, vc_img_info_t *info,
                       bool *refused, vc_diag_t *d);

/* ---- PNG (pdf-png.c) ---- */

/* vc_img_probe for a PNG: f is the open file, size bytes (read from its
 * start).  Checks all chunks (lengths, order, CRCs), not the pixel data. */
bool vc_png_probe(FILE *f, long size, const char *path, vc_img_info_t *info,
                  vc_diag_t *d);

/* Makes an image XObject in doc from the PNG file f (open, size bytes,
 * read from its start) named path.  A non-interlaced grey, RGB or palette
 * PNG without tRNS is embedded as it is (its compressed data, with
 * /DecodeParms for PNG predictors) once its chunks and its inflated data
 * are checked; any other PNG is decoded once with libpng and embedded as
 * samples (Flate), with an /SMask for an alpha channel or palette
 * transparency.  libharu never reads the file.  Fills info.  Returns and
 * reports as vc_img_load. */
HPDF_Image vc_png_image(HPDF_Doc doc, FILE *f, long size, const char *path,
                        vc_img_info_t *info, bool *refused, vc_diag_t *d);

#endif
