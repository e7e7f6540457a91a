/*
 * fontset-private.h - private to src/font: what fontset.c (the set: lookup,
 * fallback, listing) and fontload.c (one font: checks, metrics, widths)
 * share, named vc__*.  Other folders use fontset.h.
 */
#ifndef VC_FONTSET_PRIVATE_H
#define VC_FONTSET_PRIVATE_H

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <fontconfig/fontconfig.h>
#include <ft2build.h>
#include FT_FREETYPE_H

#include "font/fontset.h"

/* A face's kind, for fallback and alternatives of the same kind. */
typedef enum vc_font_cls {
  VC_FONT_CLS_SERIF,
  VC_FONT_CLS_SANS,
  VC_FONT_CLS_MONO
} vc_font_cls_t;

struct vc_font {
  char *path, *family, *style;
  int index;
  int ascent, descent, cap_height, vn_top, vn_bottom;
  int weight;   /* OpenType weight class, 100..900 */
  bool italic;
  vc_font_cls_t cls;
  int16_t adv[0x10000]; /* 1/1000 em as libharu writes it; -1 = no glyph */
};

typedef struct { char *family, *style, *file; vc_font_t *font; } req_t;
typedef struct { int32_t cp; uint32_t like; vc_font_t *font; } fb_t;
typedef struct { uint32_t like; vc_font_t *font; } chosen_t;

struct vc_fontset {
  pthread_mutex_t mu;
  FcConfig *cfg;
  FT_Library ft;
  char *bundled;                 /* realpath of the bundled dir, or NULL */
  vc_font_t *fonts[VC_FONTSET_MAX_FONTS];
  size_t nfonts;
  req_t *reqs;                   /* find() requests already answered */
  size_t nreqs, capreqs;
  fb_t *fb;                      /* fallback answers: open hash on (cp, like) */
  size_t fbcap, fbused;
  chosen_t *chosen;              /* fallback fonts picked so far, in order */
  size_t nchosen, capchosen;
};

/* fontconfig 2.14 shares caches between configs and is not safe when two
 * configs are used at once, so every fontconfig call, whatever the set, is
 * made holding this lock.  Lock order: the set's mutex, then this. */
extern pthread_mutex_t vc__fc_lock;

/* Loads path/index into the set, or returns it if already loaded (the same
 * file through a symbolic link is the same font: vc_font_path is the real
 * path).  Checks
 * everything libharu 2.3.0 needs to embed it and, when it cannot, says what
 * to use instead.  Set mutex held, vc__fc_lock not held (taken when needed).
 * Result owned by the set; NULL with a diag (d may be NULL). */
vc_font_t *vc__font_load(vc_fontset_t *fs, const char *path, int index,
                        const char *where, int line, vc_diag_t *d);
void vc__font_free(vc_font_t *f);

/* Font names compare as fontconfig does: ignoring blanks and ASCII case. */
static inline bool vc__font_same_name(const char *a, const char *b) {
  if (!a || !b) return false;
  for (;;) {
    while (*a == ' ') a++;
    while (*b == ' ') b++;
    int x = (unsigned char)*a, y = (unsigned char)*b;
    if (x >= 'A' && x <= 'Z') x += 32;
    if (y >= 'A' && y <= 'Z') y += 32;
    if (x != y) return false;
    if (!x) return true;
    a++, b++;
  }
}

/* Value i of a string property, NULL when absent. */
static inline const char *vc__fc_str(FcPattern *p, const char *obj, int i) {
  FcChar8 *s = NULL;
  return FcPatternGetString(p, obj, i, &s) == FcResultMatch ? (char *)s : NULL;
}

/* The English name when the font says which is which, else the first. */
static inline const char *vc__fc_en(FcPattern *p, const char *obj, const char *langobj) {
  for (int i = 0; vc__fc_str(p, obj, i); i++) {
    const char *l = vc__fc_str(p, langobj, i);
    if (l && strcmp(l, "en") == 0) return vc__fc_str(p, obj, i);
  }
  return vc__fc_str(p, obj, 0);
}

static inline int vc__fc_int(FcPattern *p, const char *obj, int dflt) {
  int v;
  return FcPatternGetInteger(p, obj, 0, &v) == FcResultMatch ? v : dflt;
}

static inline bool vc__path_under(const char *path, const char *dir) {
  size_t n = dir ? strlen(dir) : 0;
  return n && strncmp(path, dir, n) == 0 && path[n] == '/';
}

static inline bool vc__fc_is_truetype(FcPattern *p) {
  const char *fmt = vc__fc_str(p, FC_FONTFORMAT, 0);
  return fmt && strcmp(fmt, "TrueType") == 0;
}

#endif
