/*
 * fontset.h - finding fonts (fontconfig, with the bundled fonts/ directory
 * added at run time) and knowing what they can draw (FreeType): coverage,
 * advance widths as the PDF will use them, vertical metrics.
 *
 * A vc_font_t is immutable after loading, so layout threads may read it
 * concurrently.  Fontconfig calls are serialised inside the fontset.
 */
#ifndef VC_FONTSET_H
#define VC_FONTSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/diag.h"

typedef struct vc_fontset vc_fontset_t;
typedef struct vc_font vc_font_t;

/* Creates a font set: the fonts of the fontconfig configuration that
 * FONTCONFIG_FILE names, else of the system's (the tests use their own, see
 * tests/tools/test-fonts.sh), plus, for this set only, the font files of
 * bundled_dir (may be NULL) and of the folders directly inside it, no deeper.
 * bundled_dir missing or not a directory is VC_E_USAGE; more than
 * VC_FONTSET_MAX_DIR_ENTRIES entries looked at or VC_FONTSET_MAX_FONT_FILES
 * font files is VC_E_LIMIT; no font file in it is VC_E_FONT.  Returns NULL
 * (with a diag) on failure.  Caller frees with vc_fontset_free, which frees
 * every font. */
vc_fontset_t *vc_fontset_create(const char *bundled_dir, vc_diag_t *d);
void vc_fontset_free(vc_fontset_t *fs);

/* Finds and loads a font: either `file` (absolute path) or fontconfig's best
 * match for family + style (style NULL = Regular).  A family fontconfig does
 * not really have (it substituted another) is an error naming what was asked
 * and suggesting families that can draw Vietnamese.  A CFF-flavoured .otf is
 * an error naming a TrueType alternative when one is known.  Messages carry
 * where/line (the template location asking).  Result owned by the set;
 * the same request returns the same font.  Among copies of the same face the
 * bundled one wins (reprints look the same everywhere).  Thread-safe. */
vc_font_t *vc_fontset_find(vc_fontset_t *fs, const char *family,
                           const char *style, const char *file,
                           const char *where, int line, vc_diag_t *d);

/* A TrueType font that fontconfig says can draw cp, preferring one like
 * `like` (same weight/slant, serif vs sans; like may be NULL).  Returns
 * `like` itself when it has cp.  NULL if none, and always above U+FFFF.
 * Answers are cached per (cp, kind of `like`); owned by the set.
 * Thread-safe. */
vc_font_t *vc_fontset_fallback(vc_fontset_t *fs, int32_t cp,
                               const vc_font_t *like);

/* Every installed or bundled font family that covers Vietnamese
 * (fontconfig ":lang=vi"), one entry per file, sorted by family then style
 * (English names).  Returns the count and stores a new array in *out (NULL
 * when 0) that the caller frees with vc_font_info_free(*out, count). */
size_t vc_fontset_list_vi(vc_fontset_t *fs, vc_font_info_t **out);
/* vc_font_info_t and vc_font_info_free are public (vncert.h). */

const char *vc_font_path(const vc_font_t *f);
int vc_font_face_index(const vc_font_t *f);    /* index inside a .ttc */
const char *vc_font_family(const vc_font_t *f);
const char *vc_font_style(const vc_font_t *f);
bool vc_font_has(const vc_font_t *f, int32_t cp);
/* Advance width in 1/1000 em exactly as libharu puts it in the PDF:
 * (int16)(advance * 1000 / units_per_em) of the glyph for cp; 0 if missing.
 * Code points above U+FFFF are never covered (libharu limit). */
int vc_font_advance(const vc_font_t *f, int32_t cp);
/* Width of a UTF-8 string s[0..n) at size pt, in pt: sum of advances (the
 * same as HPDF_Font_TextWidth * size / 1000).  Invalid UTF-8 bytes, missing
 * characters and code points above U+FFFF add nothing.  No allocation. */
double vc_font_text_width(const vc_font_t *f, const char *s, size_t n, double size);
/* Ascender / descender (descender negative) in 1/1000 em, from hhea (what
 * libharu writes as /Ascent /Descent), rounded away from the baseline. */
int vc_font_ascent(const vc_font_t *f);
int vc_font_descent(const vc_font_t *f);
/* Cap height in 1/1000 em (for optical centring): top of 'H'. */
int vc_font_cap_height(const vc_font_t *f);

/* Real ink extent of Vietnamese letters, in 1/1000 em: the highest glyph top
 * over every Vietnamese capital (stacked marks: "Ẫ", "Ỗ", ...) and the lowest
 * glyph bottom over letters with a dot below or a descender ("Ậ Ỵ g j p q y
 * ự").  Layout uses these, not ascent/descent, to keep ink inside a box.
 * Fall back to ascent/descent when the font has none of those letters. */
int vc_font_vn_top(const vc_font_t *f);
int vc_font_vn_bottom(const vc_font_t *f);

/* Most fonts a set loads (requested plus fallbacks): each costs 128 KiB of
 * width table.  Beyond it vc_fontset_find fails with VC_E_LIMIT. */
#define VC_FONTSET_MAX_FONTS 64
/* What vc_fontset_create looks through in bundled_dir (the directory and the
 * folders directly inside it): entries, and font files among them. */
#define VC_FONTSET_MAX_DIR_ENTRIES 10000
#define VC_FONTSET_MAX_FONT_FILES 1000

#endif
