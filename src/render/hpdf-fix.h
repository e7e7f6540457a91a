/*
 * hpdf-fix.h - private to src/render (functions vc__*): repairs of libharu
 * 2.3.0 defects that reach into its internal structures
 * (../shared/notes/libharu-2.3.0.md) and of its slowness and size with fonts
 * (hpdf-slim.c).  Image files are image.h's.
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
/* True when code point cp is set in the bitmap m. */
static inline bool vc__cp_bit(const uint8_t *m, unsigned cp) {
  return (m[cp >> 3] >> (cp & 7)) & 1;
}

/* The TrueType definition behind a font pdf.c made, or NULL for any other
 * kind (the repairs only know this layout).  Owned by the document. */
HPDF_TTFontDefAttr vc__hpdf_tt_attr(HPDF_Font font);

/* A readable phrase for a libharu error code. */
const char *vc__hpdf_error_text(HPDF_STATUS e);

/* Marks as used, in the subset libharu will embed for font, every component
 * of every glyph already marked, recursively (libharu 2.3.0 follows one
 * level only, so accents of Vietnamese letters vanish).  Glyphs are read
 * through libharu's own open font stream, i.e. exactly the bytes its
 * subsetter copies.  *added (may be NULL) receives the number of glyphs
 * newly marked.  false + diag (VC_E_PDF / VC_E_NOMEM, naming label) when
 * the font is not of the expected kind or cannot be read. */
bool vc__hpdf_mark_components(HPDF_Font font, const char *label,
                             unsigned *added, vc_diag_t *d);

/* Replaces the content of font's /ToUnicode stream (libharu writes its
 * encoding CMap there, which is not a valid ToUnicode map) with a CMapType 2
 * map sending each code in `used` to the same UTF-16BE value: in UTF-8 mode
 * libharu's 2-byte codes are the BMP code points.  Safe to call again (the
 * stream is rewritten).  false + diag (naming label) on failure. */
bool vc__hpdf_write_tounicode(HPDF_Font font,
                             const uint8_t used[VC_CP_BITMAP_BYTES],
                             const char *label, vc_diag_t *d);

/* True when font is the kind the repairs know: a Type0 font over an
 * embedded TrueType definition with a Unicode (format 4) character map. */
bool vc__hpdf_font_ok(HPDF_Font font);

/* True when the font has a glyph other than .notdef for BMP code point cp
 * (the glyph libharu will draw).  Never touches libharu's error state. */
bool vc__hpdf_has_glyph(HPDF_Font font, uint32_t cp);

/* The content stream of page, the one libharu's drawing operators write
 * to (its private page attributes), or NULL when page is not a page.
 * Owned by the document; written only while libharu's graphics mode says
 * the bytes belong there (pdf-draw.c's QR rectangles, in a path). */
HPDF_Stream vc__hpdf_page_stream(HPDF_Page page);

/* ---- walking the object graph (pdf-split.c, pdf-stream.c) ---- */

/* Calls fn(target, ctx) for each indirect object that value v refers to
 * (its HPDF_Proxy values), looking through direct arrays and dicts and
 * skipping hidden values as libharu's writer does; `skip` names a key of v
 * (a dict) to leave out.  false when fn returns false, or when direct
 * values nest more than 32 deep (a document libharu did not make). */
typedef bool (*vc_hpdf_ref_fn)(void *obj, void *ctx);
bool vc__hpdf_each_ref(void *v, const char *skip, vc_hpdf_ref_fn fn, void *ctx);

/* Runs the before-write function of every font dict of doc, as a save
 * would: it makes their descriptors and font programs (once).  Afterwards
 * writing an object adds no new ones.  false when libharu fails (its error
 * handler has been told). */
bool vc__hpdf_prepare_fonts(HPDF_Doc doc);

/* The glyph id HPDF_TTFontDef_GetGlyphid returns for BMP code point cp from
 * a format-4 map, with 0 where libharu would read outside its arrays. */
uint16_t vc__hpdf_cmap_gid(const HPDF_TTF_CmapRange *c, unsigned cp);
/* The same for cp in segment i of the map's segs segments (the first whose
 * end is >= cp): what a walk over all codes uses without searching. */
uint16_t vc__hpdf_cmap_seg_gid(const HPDF_TTF_CmapRange *c, unsigned segs, unsigned i,
                              unsigned cp);

/* ---- speed and size (hpdf-slim.c) ---- */

/* Gives the TrueType definition of font `name` (as HPDF_LoadTTFontFromFile
 * returned it) an equivalent code-to-glyph map that libharu resolves in one
 * step: call it before HPDF_GetFont, which looks up all 65,535 codes.  Every
 * code maps to the same glyph as before.  Does nothing for other kinds of
 * font or map, or when done already.  false only when libharu could not
 * allocate (its error handler has been told); the font stays as it was. */
bool vc__hpdf_fast_cmap(HPDF_Doc doc, const char *name);

/* Shrinks what libharu writes for font (made by HPDF_GetFont "UTF-8"):
 * /W and /CIDToGIDMap list only the code points in `used` (the text drawn;
 * the map ends at the highest one), and the font program is written now,
 * with its glyph names ('post' format 3), the metrics of glyphs not
 * embedded and the 'cmap' entries of codes not drawn removed.  Call after
 * vc__hpdf_mark_components and after the last text is drawn.  Safe to call
 * again (the program is only written once).  false + diag (naming label)
 * after a libharu failure: the document is unusable then. */
bool vc__hpdf_slim_font(HPDF_Font font, const uint8_t used[VC_CP_BITMAP_BYTES],
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
unsigned char *vc__sfnt_slim(const unsigned char *in, size_t n,
                            const uint8_t *glyph_used, unsigned nglyphs,
                            const vc_sfnt_map_t *map, size_t nmap,
                            size_t *out_len);

/* Looks at the first bytes of a font file before libharu does: 1 for a
 * TrueType font, 2 for a TrueType collection (.ttc); 0 after a diag
 * (VC_E_FONT: cannot open, CFF-flavoured .otf, not a font). */
int vc__hpdf_font_file_kind(const char *path, vc_diag_t *d);
#define VC_PDF_FONT_MAX_BYTES (64L << 20)

#endif
