/*
 * fontload.c - loading one font with FreeType: can libharu embed it, what can
 * it draw, how wide is each character (see fontset.h, fontset-private.h).
 *
 * Why the care with widths: libharu 2.3.0 writes each glyph's width into the
 * PDF as (HPDF_INT16)(HPDF_UINT16)(advance * 1000 / unitsPerEm), truncating,
 * from hmtx, for the glyph its (3,1) format-4 cmap gives.  Layout must measure
 * with exactly those numbers or centred and right-aligned text drifts, so each
 * font gets a full BMP table of them at load and is never changed again
 * (layout threads read it without locks).  The FreeType face is closed as
 * soon as the tables are filled.
 */
#include "font/fontset-private.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>

#include FT_ADVANCES_H
#include FT_FONT_FORMATS_H
#include FT_OUTLINE_H
#include FT_TRUETYPE_TABLES_H
#include FT_TRUETYPE_TAGS_H

#include "core/i18n.h"
#include "core/text.h"

pthread_mutex_t vc__fc_lock = PTHREAD_MUTEX_INITIALIZER;

/* Every Vietnamese capital (for the top of stacked marks) and the letters
 * reaching lowest (dot below, descenders). */
static const char VN_UPPER[] =
    "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ";
static const char VN_LOW[] =
    "ẠẶẬẸỆỊỌỘỢỤỰỴạặậẹệịọộợụựỵgjpqyýỳỷỹ";

/* ---- small helpers ------------------------------------------------------ */

static bool fc_has_vi(FcPattern *p) {
  FcLangSet *ls = NULL;
  return FcPatternGetLangSet(p, FC_LANG, 0, &ls) == FcResultMatch &&
         FcLangSetHasLang(ls, (const FcChar8 *)"vi") != FcLangDifferentLang;
}

static const char *base_name(const char *path) {
  const char *s = strrchr(path, '/');
  return s ? s + 1 : path;
}

/* Serif, sans or monospace, from OS/2: the IBM family class when set, else
 * PANOSE (Latin text: serif styles 11-15 are sans), else the name. */
static vc_font_cls_t classify_face(FT_Face face) {
  const TT_OS2 *os2 = FT_Get_Sfnt_Table(face, FT_SFNT_OS2);
  if (FT_IS_FIXED_WIDTH(face)) return VC_FONT_CLS_MONO;
  if (os2) {
    int fc = os2->sFamilyClass >> 8;
    if ((fc >= 1 && fc <= 5) || fc == 7) return VC_FONT_CLS_SERIF;
    if (fc == 8) return VC_FONT_CLS_SANS;
    if (os2->panose[0] == 2 && os2->panose[1] >= 2)
      return os2->panose[1] >= 11 ? VC_FONT_CLS_SANS : VC_FONT_CLS_SERIF;
  }
  if (face->family_name && strstr(face->family_name, "Sans"))
    return VC_FONT_CLS_SANS;
  return VC_FONT_CLS_SERIF;
}

static int classify_path(vc_fontset_t *fs, const char *path, int index) {
  FT_Face face;
  if (FT_New_Face(fs->ft, path, index, &face)) return -1;
  int c = classify_face(face);
  FT_Done_Face(face);
  return c;
}

/* ---- TrueType alternatives for a font libharu cannot embed ------------ */

/* First acceptable font in a sorted set: TrueType, draws Vietnamese, not a
 * variable-font instance, same kind (serif/sans/mono), not `avoid`'s family. */
static char *pick_alternative(vc_fontset_t *fs, FcFontSet *set, vc_font_cls_t cls,
                              const char *avoid) {
  for (int i = 0; set && i < set->nfont && i < 40; i++) {
    FcPattern *p = set->fonts[i];
    const char *file = vc__fc_str(p, FC_FILE, 0);
    const char *fam = vc__fc_en(p, FC_FAMILY, FC_FAMILYLANG);
    int idx = vc__fc_int(p, FC_INDEX, 0);
    if (!file || !fam || !vc__fc_is_truetype(p) || !fc_has_vi(p) || idx >> 16)
      continue;
    if (avoid && vc__font_same_name(fam, avoid)) continue;
    if (classify_path(fs, file, idx) != (int)cls) continue;
    const char *note = vc__path_under(file, fs->bundled) ? _(" (bundled with vncert)") : "";
    size_t n = strlen(fam) + strlen(note) + 8;
    char *s = malloc(n);
    if (s) snprintf(s, n, "'%s'%s", fam, note);
    return s;
  }
  return NULL;
}

/* Names a TrueType font to use instead of one libharu cannot embed
 * (vc__fc_lock held): for a CFF font, the same family as TrueType if installed
 * (some families ship both); else a bundled font of the same kind (serif,
 * sans, mono), else any installed one.  Caller frees; NULL = none. */
static char *alternative(vc_fontset_t *fs, const char *family, bool cff,
                         int weight, bool italic, vc_font_cls_t cls) {
  char *alt = NULL;
  FcPattern *pat = FcPatternCreate();
  FcObjectSet *os = FcObjectSetBuild(FC_FAMILY, FC_FAMILYLANG, FC_STYLE,
                                     FC_FILE, FC_WEIGHT, FC_SLANT, NULL);
  if (!pat || !os) goto out;
  FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)family);
  FcPatternAddString(pat, FC_FONTFORMAT, (const FcChar8 *)"TrueType");
  FcFontSet *same = cff ? FcFontList(fs->cfg, pat, os) : NULL;
  if (same && same->nfont > 0) { /* closest weight and slant wins */
    int best = -1, bestd = INT_MAX;
    for (int i = 0; i < same->nfont; i++) {
      FcPattern *p = same->fonts[i];
      int d = abs((int)FcWeightToOpenType(vc__fc_int(p, FC_WEIGHT, 80)) - weight) +
              ((vc__fc_int(p, FC_SLANT, 0) > 0) != italic ? 1000 : 0);
      if (d < bestd) bestd = d, best = i;
    }
    FcPattern *p = same->fonts[best];
    const char *st = vc__fc_str(p, FC_STYLE, 0), *file = vc__fc_str(p, FC_FILE, 0);
    /* room for the words in any language: 160 bytes */
    size_t n = strlen(family) + (st ? strlen(st) : 0) + (file ? strlen(file) : 0) + 160;
    if ((alt = malloc(n)))
      snprintf(alt, n, _("the TrueType version of '%s' (style '%s', %s)"), family,
               st ? st : "?", file ? file : "?");
  }
  if (same) FcFontSetDestroy(same);
  if (alt) goto out;

  FcPatternDestroy(pat);
  pat = FcPatternCreate();
  if (!pat) goto out;
  FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)(cls == VC_FONT_CLS_MONO ? "monospace"
                                                       : cls == VC_FONT_CLS_SANS ? "sans-serif"
                                                                                 : "serif"));
  FcPatternAddString(pat, FC_LANG, (const FcChar8 *)"vi");
  FcPatternAddInteger(pat, FC_WEIGHT, FcWeightFromOpenType(weight));
  FcPatternAddInteger(pat, FC_SLANT, italic ? FC_SLANT_ITALIC : FC_SLANT_ROMAN);
  FcConfigSubstitute(fs->cfg, pat, FcMatchPattern);
  FcDefaultSubstitute(pat);
  FcResult r;
  FcFontSet *app = FcConfigGetFonts(fs->cfg, FcSetApplication);
  if (app && app->nfont > 0) {
    FcFontSet *sorted = FcFontSetSort(fs->cfg, &app, 1, pat, FcFalse, NULL, &r);
    alt = pick_alternative(fs, sorted, cls, family);
    if (sorted) FcFontSetDestroy(sorted);
  }
  if (!alt) {
    FcFontSet *sorted = FcFontSort(fs->cfg, pat, FcFalse, NULL, &r);
    alt = pick_alternative(fs, sorted, cls, family);
    if (sorted) FcFontSetDestroy(sorted);
  }
out:
  if (pat) FcPatternDestroy(pat);
  if (os) FcObjectSetDestroy(os);
  return alt;
}

/* ---- loading one font --------------------------------------------------- */

static bool has_table(FT_Face face, FT_ULong tag) {
  FT_ULong len = 0;
  return FT_Load_Sfnt_Table(face, tag, 0, NULL, &len) == 0 && len > 0;
}

/* Glyph control box in font units; false when the font lacks cp. */
static bool glyph_box(FT_Face face, int32_t cp, FT_BBox *box) {
  FT_UInt gid = FT_Get_Char_Index(face, (FT_ULong)cp);
  if (!gid || FT_Load_Glyph(face, gid, FT_LOAD_NO_SCALE | FT_LOAD_NO_HINTING |
                                           FT_LOAD_NO_BITMAP))
    return false;
  if (face->glyph->format != FT_GLYPH_FORMAT_OUTLINE) return false;
  FT_Outline_Get_CBox(&face->glyph->outline, box);
  return true;
}

/* Font units to 1/1000 em, rounded away from the baseline (a safe bound). */
static int em_out(long v, int upm) {
  long t = v * 1000;
  return (int)(t >= 0 ? (t + upm - 1) / upm : -((-t + upm - 1) / upm));
}

/* The selected (3,1) format-4 cmap, the one libharu reads; false if none. */
static bool select_bmp_cmap(FT_Face face) {
  for (int i = 0; i < face->num_charmaps; i++) {
    FT_CharMap cm = face->charmaps[i];
    if (cm->platform_id == 3 && cm->encoding_id == 1 &&
        FT_Get_CMap_Format(cm) == 4)
      return FT_Set_Charmap(face, cm) == 0;
  }
  return false;
}

/* Fills everything but path/family/style from an open face. */
static void read_metrics(vc_font_t *f, FT_Face face) {
  unsigned upm = face->units_per_EM;
  FT_ULong code;
  FT_UInt gid;
  memset(f->adv, 0xFF, sizeof f->adv); /* every entry -1 */
  for (code = FT_Get_First_Char(face, &gid); gid != 0;
       code = FT_Get_Next_Char(face, code, &gid)) {
    FT_Fixed a;
    if (code > 0xFFFF) break; /* libharu only knows the BMP */
    if (FT_Get_Advance(face, gid, FT_LOAD_NO_SCALE, &a)) continue;
    /* libharu: (HPDF_INT16)(HPDF_UINT16)((HPDF_UINT)aw * 1000 / upm) */
    f->adv[code] = (int16_t)(uint16_t)((unsigned)a * 1000u / upm);
  }
  /* hhea, not OS/2 typo: it is what libharu writes as /Ascent /Descent and
   * what viewers and most layout programs space lines by, and it is the
   * larger of the two in most fonts (DejaVu Sans: hhea 0.929 em, typo 0.760
   * em).  Neither promises to enclose stacked Vietnamese marks ("Ẫ" reaches
   * 1.068 em in DejaVu Sans): vn_top/vn_bottom below measure the real ink. */
  const TT_HoriHeader *hh = FT_Get_Sfnt_Table(face, FT_SFNT_HHEA);
  const TT_OS2 *os2 = FT_Get_Sfnt_Table(face, FT_SFNT_OS2);
  long asc = hh ? hh->Ascender : 0, desc = hh ? hh->Descender : 0;
  if (asc == 0 && os2) asc = os2->sTypoAscender, desc = os2->sTypoDescender;
  f->ascent = em_out(asc, (int)upm);
  f->descent = em_out(desc, (int)upm);
  FT_BBox b;
  if (glyph_box(face, 'H', &b)) f->cap_height = em_out(b.yMax, (int)upm);
  else if (os2 && os2->version >= 2 && os2->sCapHeight > 0)
    f->cap_height = em_out(os2->sCapHeight, (int)upm);
  else f->cap_height = f->ascent * 7 / 10;
  long top = LONG_MIN, bottom = LONG_MAX;
  const char *s = VN_UPPER;
  for (size_t i = 0, n = strlen(VN_UPPER), k; i < n; i += k) {
    int32_t cp;
    if (!(k = vc_utf8_decode(s + i, n - i, &cp))) break;
    if (glyph_box(face, cp, &b) && b.yMax > top) top = b.yMax;
  }
  s = VN_LOW;
  for (size_t i = 0, n = strlen(VN_LOW), k; i < n; i += k) {
    int32_t cp;
    if (!(k = vc_utf8_decode(s + i, n - i, &cp))) break;
    if (glyph_box(face, cp, &b) && b.yMin < bottom) bottom = b.yMin;
  }
  f->vn_top = top == LONG_MIN ? f->ascent : em_out(top, (int)upm);
  f->vn_bottom = bottom == LONG_MAX ? f->descent : em_out(bottom, (int)upm);
  f->weight = os2 && os2->usWeightClass ? os2->usWeightClass
              : (face->style_flags & FT_STYLE_FLAG_BOLD) ? 700 : 400;
  f->italic = (face->style_flags & FT_STYLE_FLAG_ITALIC) != 0;
  f->cls = classify_face(face);
}

void vc__font_free(vc_font_t *f) {
  if (!f) return;
  free(f->path);
  free(f->family);
  free(f->style);
  free(f);
}

static vc_font_t *load_real(vc_fontset_t *fs, const char *path, int index,
                            const char *where, int line, vc_diag_t *d);

/* See fontset-private.h.  libharu's demands (load_real), from
 * hpdf_fontdef_tt.c: glyf outlines, a (3,1) format-4 cmap, an OS/2 table,
 * fsType not restricted. */
vc_font_t *vc__font_load(vc_fontset_t *fs, const char *asked, int index,
                        const char *where, int line, vc_diag_t *d) {
  /* One file, one font: fontconfig may name it through a symbolic link and
   * a template by its real path. */
  char *path = realpath(asked, NULL);
  if (!path) {
    vc_diag_add(d, errno == ENOMEM ? VC_E_NOMEM : VC_E_IO, where, line, 0,
                "cannot read font file '%s': %s", asked, strerror(errno));
    return NULL;
  }
  vc_font_t *f = load_real(fs, path, index, where, line, d);
  free(path);
  return f;
}

/* Why libharu 2.3.0 cannot embed face, NULL when it can; *cff true for
 * CFF-flavoured OpenType (its own message). */
static const char *embed_problem(FT_Face face, bool *cff) {
  const char *fmt = FT_Get_Font_Format(face);
  *cff = (fmt && strcmp(fmt, "CFF") == 0) || has_table(face, TTAG_CFF) ||
         has_table(face, TTAG_CFF2);
  const TT_OS2 *os2 = FT_Get_Sfnt_Table(face, FT_SFNT_OS2);
  if (*cff) return NULL;
  if (!FT_IS_SFNT(face) || !has_table(face, TTAG_glyf))
    return _("is not a TrueType font (.ttf with glyf outlines)");
  if (!select_bmp_cmap(face))
    return _("has no Unicode character map of the kind the PDF library reads "
             "(Windows Unicode BMP, format 4)");
  if (!os2) return _("has no OS/2 table, which the PDF library requires");
  if (os2->fsType & 0x0302)
    return _("does not allow embedding in documents (its licence flags)");
  if (face->units_per_EM < 16) return _("has an invalid units-per-em");
  return NULL;
}

/* Says why face (path) cannot be embedded and names an installed font of
 * the same kind that can.  Frees face. */
static void refuse_face(vc_fontset_t *fs, FT_Face face, bool cff, const char *why,
                        const char *path, const char *where, int line, vc_diag_t *d) {
  const TT_OS2 *os2 = FT_Get_Sfnt_Table(face, FT_SFNT_OS2);
  char fam[128];
  snprintf(fam, sizeof fam, "%s", face->family_name ? face->family_name : "?");
  int w = os2 && os2->usWeightClass ? os2->usWeightClass : 400;
  bool it = (face->style_flags & FT_STYLE_FLAG_ITALIC) != 0;
  vc_font_cls_t cls = classify_face(face);
  FT_Done_Face(face);
  pthread_mutex_lock(&vc__fc_lock);
  char *alt = alternative(fs, fam, cff, w, it, cls);
  pthread_mutex_unlock(&vc__fc_lock);
  if (cff)
    vc_diag_add(d, VC_E_FONT, where, line, 0,
                "font '%s' (%s) is CFF-flavoured OpenType, which the PDF "
                "library cannot embed; use a TrueType font instead%s%s",
                fam, base_name(path), alt ? _(", e.g. ") : "", alt ? alt : "");
  else
    vc_diag_add(d, VC_E_FONT, where, line, 0,
                "font '%s' (%s) %s; use another font%s%s", fam,
                base_name(path), why, alt ? _(", e.g. ") : "", alt ? alt : "");
  free(alt);
}

/* vc_font_load for a path already made real. */
static vc_font_t *load_real(vc_fontset_t *fs, const char *path, int index,
                            const char *where, int line, vc_diag_t *d) {
  for (size_t i = 0; i < fs->nfonts; i++)
    if (fs->fonts[i]->index == index && strcmp(fs->fonts[i]->path, path) == 0)
      return fs->fonts[i];
  if (fs->nfonts >= VC_FONTSET_MAX_FONTS) {
    vc_diag_add(d, VC_E_LIMIT, where, line, 0,
                "too many fonts (at most %d per job): cannot load '%s'",
                VC_FONTSET_MAX_FONTS, path);
    return NULL;
  }
  FILE *fp = fopen(path, "rb");
  if (!fp) {
    vc_diag_add(d, VC_E_IO, where, line, 0, "cannot read font file '%s': %s",
                path, strerror(errno));
    return NULL;
  }
  fclose(fp);
  if (index >> 16) {
    vc_diag_add(d, VC_E_FONT, where, line, 0,
                "font '%s' is a named instance of a variable font, which the "
                "PDF library cannot embed; use a static (non-variable) .ttf",
                path);
    return NULL;
  }
  FT_Face face;
  if (FT_New_Face(fs->ft, path, index, &face)) {
    vc_diag_add(d, VC_E_FONT, where, line, 0,
                "'%s' is not a font file FreeType can read", path);
    return NULL;
  }
  bool cff;
  const char *why = embed_problem(face, &cff);
  if (cff || why) {
    refuse_face(fs, face, cff, why, path, where, line, d);
    return NULL;
  }
  vc_font_t *f = calloc(1, sizeof *f);
  if (f) {
    f->path = strdup(path);
    f->family = strdup(face->family_name ? face->family_name : "");
    f->style = strdup(face->style_name ? face->style_name : "");
    f->index = index;
  }
  if (!f || !f->path || !f->family || !f->style) {
    FT_Done_Face(face);
    vc__font_free(f);
    vc_diag_add(d, VC_E_NOMEM, where, line, 0, "out of memory loading '%s'", path);
    return NULL;
  }
  read_metrics(f, face);
  FT_Done_Face(face);
  fs->fonts[fs->nfonts++] = f;
  return f;
}

/* ---- font accessors (no locks: a font never changes once loaded) -------- */

const char *vc_font_path(const vc_font_t *f) { return f->path; }
int vc_font_face_index(const vc_font_t *f) { return f->index; }
const char *vc_font_family(const vc_font_t *f) { return f->family; }
const char *vc_font_style(const vc_font_t *f) { return f->style; }
int vc_font_ascent(const vc_font_t *f) { return f->ascent; }
int vc_font_descent(const vc_font_t *f) { return f->descent; }
int vc_font_cap_height(const vc_font_t *f) { return f->cap_height; }
int vc_font_vn_top(const vc_font_t *f) { return f->vn_top; }
int vc_font_vn_bottom(const vc_font_t *f) { return f->vn_bottom; }

bool vc_font_has(const vc_font_t *f, int32_t cp) {
  return f && cp >= 0 && cp <= 0xFFFF && f->adv[cp] != -1;
}

int vc_font_advance(const vc_font_t *f, int32_t cp) {
  return vc_font_has(f, cp) ? f->adv[cp] : 0;
}

double vc_font_text_width(const vc_font_t *f, const char *s, size_t n,
                          double size) {
  const unsigned char *p = (const unsigned char *)s;
  long long sum = 0;
  size_t i = 0;
  if (!f || !s) return 0;
  while (i < n) {
    int32_t cp = p[i];
    if (cp < 0x80) { /* ASCII: most of every name and number */
      i++;
    } else {
      size_t k = vc_utf8_decode(s + i, n - i, &cp);
      if (!k) { i++; continue; } /* libharu skips invalid UTF-8 too */
      i += k;
      if (cp > 0xFFFF) continue;
    }
    if (f->adv[cp] != -1) sum += f->adv[cp];
  }
  return (double)sum * size / 1000.0;
}
