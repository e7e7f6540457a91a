/*
 * fontset.c - the font set: fontconfig with the bundled directory added for
 * this set only, lookup by family and style, fallback for missing characters,
 * the list of Vietnamese fonts (see fontset.h).
 *
 * Locking: each set's mutex guards its tables (loaded fonts, answered
 * requests, fallback answers); fontconfig calls also hold vc__fc_lock.  Fonts
 * are immutable once loaded, so their readers take no lock.
 */
#include "font/fontset-private.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>

#include "core/i18n.h"
#include "core/mem.h"
#include "core/text.h"

static int cmp_str_p(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Growable string for messages; on no memory it just stops growing. */
typedef struct { char buf[600]; size_t len; } msg_t;
static void msg_add(msg_t *m, const char *s) {
  size_t n = strlen(s);
  if (m->len + n >= sizeof m->buf) n = sizeof m->buf - 1 - m->len;
  memcpy(m->buf + m->len, s, n);
  m->len += n;
  m->buf[m->len] = 0;
}

/* ---- the bundled directory ------------------------------------------------ */

/* .ttf .otf .ttc .otc in any case (ASCII only: no locale's case rules). */
static bool is_font_name(const char *name) {
  static const char *const ext[] = {".ttf", ".otf", ".ttc", ".otc"};
  size_t n = strlen(name);
  if (name[0] == '.' || n < 5) return false;
  char low[5];
  for (int i = 0; i < 4; i++) {
    char c = name[n - 4 + i];
    low[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
  }
  low[4] = 0;
  for (size_t i = 0; i < sizeof ext / sizeof *ext; i++)
    if (strcmp(low, ext[i]) == 0) return true;
  return false;
}

typedef struct {
  char **files;
  size_t n, cap, seen; /* seen: directory entries looked at */
} scan_t;

/* Adds the font files of dir to sc (and, when depth > 0, those of each
 * folder directly inside it).  False on a cap or no memory, with a diag. */
static bool scan_dir(scan_t *sc, const char *dir, int depth, const char *top,
                     vc_diag_t *d) {
  DIR *dp = opendir(dir);
  if (!dp) return true; /* an unreadable subfolder is skipped */
  bool ok = true;
  struct dirent *e;
  while (ok && (e = readdir(dp))) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    if (++sc->seen > VC_FONTSET_MAX_DIR_ENTRIES) {
      vc_diag_add(d, VC_E_LIMIT, top, 0, 0,
                  "the fonts folder holds more than %d files and folders (with "
                  "the folders directly inside it): give a folder holding only "
                  "fonts", VC_FONTSET_MAX_DIR_ENTRIES);
      ok = false;
      break;
    }
    size_t len = strlen(dir) + strlen(e->d_name) + 2;
    char *path = malloc(len);
    if (!path) {
      vc_diag_add(d, VC_E_NOMEM, NULL, 0, 0, "out of memory");
      ok = false;
      break;
    }
    snprintf(path, len, "%s/%s", dir, e->d_name);
    struct stat st;
    if (stat(path, &st) != 0) {
      free(path);
    } else if (S_ISDIR(st.st_mode)) {
      if (depth > 0 && e->d_name[0] != '.') ok = scan_dir(sc, path, depth - 1, top, d);
      free(path);
    } else if (!S_ISREG(st.st_mode) || !is_font_name(e->d_name)) {
      free(path);
    } else if (sc->n >= VC_FONTSET_MAX_FONT_FILES) {
      free(path);
      vc_diag_add(d, VC_E_LIMIT, top, 0, 0,
                  "the fonts folder holds more than %d font files: give a folder "
                  "holding only the fonts to use", VC_FONTSET_MAX_FONT_FILES);
      ok = false;
    } else {
      if (!vc_array_grow(&sc->files, sc->n, &sc->cap, sizeof *sc->files, 16)) {
        free(path);
        vc_diag_add(d, VC_E_NOMEM, NULL, 0, 0, "out of memory");
        ok = false;
        break;
      }
      sc->files[sc->n++] = path;
    }
  }
  closedir(dp);
  return ok;
}

/* Adds the bundled fonts to the set's config: the font files (.ttf .otf .ttc
 * .otc) in the directory and in the folders directly inside it, no deeper,
 * so that a directory such as /usr is looked through in an instant rather
 * than scanned for minutes (fontconfig's own FcConfigAppFontAddDir goes
 * down the whole tree).  vc__fc_lock held.  False with a diag. */
static bool add_bundled(vc_fontset_t *fs, vc_diag_t *d) {
  scan_t sc = {0};
  bool ok = scan_dir(&sc, fs->bundled, 1, fs->bundled, d);
  if (ok && sc.n == 0) {
    vc_diag_add(d, VC_E_FONT, fs->bundled, 0, 0,
                "no font file (.ttf, .otf, .ttc) in this fonts folder or in the "
                "folders directly inside it");
    ok = false;
  }
  if (ok) qsort(sc.files, sc.n, sizeof *sc.files, cmp_str_p);
  /* a file fontconfig cannot read is left out, as it would be installed */
  for (size_t i = 0; ok && i < sc.n; i++)
    FcConfigAppFontAddFile(fs->cfg, (const FcChar8 *)sc.files[i]);
  for (size_t i = 0; i < sc.n; i++) free(sc.files[i]);
  free(sc.files);
  return ok;
}

/* ---- the set -------------------------------------------------------------- */

vc_fontset_t *vc_fontset_create(const char *bundled_dir, vc_diag_t *d) {
  vc_fontset_t *fs = calloc(1, sizeof *fs);
  if (!fs) {
    vc_diag_add(d, VC_E_NOMEM, NULL, 0, 0, "out of memory");
    return NULL;
  }
  pthread_mutex_init(&fs->mu, NULL);
  if (FT_Init_FreeType(&fs->ft)) {
    fs->ft = NULL;
    vc_diag_add(d, VC_E_FONT, NULL, 0, 0, "FreeType could not be initialised");
    goto fail;
  }
  if (bundled_dir) {
    struct stat st;
    fs->bundled = realpath(bundled_dir, NULL);
    if (!fs->bundled || stat(fs->bundled, &st) != 0 || !S_ISDIR(st.st_mode)) {
      /* the caller named it: a usage problem, not the user's data */
      vc_diag_add(d, VC_E_USAGE, bundled_dir, 0, 0, "fonts folder %s",
                  fs->bundled ? _("is a file, not a folder") : strerror(errno));
      goto fail;
    }
  }
  pthread_mutex_lock(&vc__fc_lock);
  /* The configuration FONTCONFIG_FILE names, else the system's. */
  fs->cfg = FcInitLoadConfigAndFonts();
  bool ok = fs->cfg != NULL;
  /* App fonts belong to this config only: bundled fonts work uninstalled. */
  bool added = !ok || !fs->bundled || add_bundled(fs, d);
  pthread_mutex_unlock(&vc__fc_lock);
  if (!ok) vc_diag_add(d, VC_E_FONT, NULL, 0, 0, "fontconfig could not be initialised");
  if (!ok || !added) goto fail;
  return fs;
fail:
  vc_fontset_free(fs);
  return NULL;
}

void vc_fontset_free(vc_fontset_t *fs) {
  if (!fs) return;
  for (size_t i = 0; i < fs->nfonts; i++) vc__font_free(fs->fonts[i]);
  for (size_t i = 0; i < fs->nreqs; i++) {
    free(fs->reqs[i].family);
    free(fs->reqs[i].style);
    free(fs->reqs[i].file);
  }
  free(fs->reqs);
  free(fs->fb);
  free(fs->chosen);
  if (fs->cfg) {
    pthread_mutex_lock(&vc__fc_lock);
    FcConfigDestroy(fs->cfg);
    pthread_mutex_unlock(&vc__fc_lock);
  }
  if (fs->ft) FT_Done_FreeType(fs->ft);
  free(fs->bundled);
  pthread_mutex_destroy(&fs->mu);
  free(fs);
}

/* ---- find by family ------------------------------------------------------ */

/* Index of the family value equal to `family`, -1 if none.  Family and
 * style values pair up by index (typographic names, then legacy ones). */
static int family_index(FcPattern *p, const char *family) {
  for (int i = 0; vc__fc_str(p, FC_FAMILY, i); i++)
    if (vc__font_same_name(vc__fc_str(p, FC_FAMILY, i), family)) return i;
  return -1;
}

static const char *style_at(FcPattern *p, int i) {
  const char *s = vc__fc_str(p, FC_STYLE, i);
  return s ? s : vc__fc_str(p, FC_STYLE, 0);
}

/* Understands "Bold", "Semibold Italic", "BoldOblique", "Regular", ... as an
 * OpenType weight and slant; false for anything else ("Condensed"). */
static bool parse_style(const char *style, int *weight, bool *italic) {
  /* A table of names, shaped like template-values.c's colours on purpose. */
  static const struct { const char *w; int v; } W[] = {
      {"", 400},          {"regular", 400},    {"normal", 400},
      {"book", 400},      {"roman", 400},      {"thin", 100},
      {"hairline", 100},  {"extralight", 200}, {"ultralight", 200},
      {"light", 300},     {"semilight", 350},  {"demilight", 350},
      {"medium", 500},    {"semibold", 600},   {"demibold", 600},
      {"bold", 700},      {"extrabold", 800},  {"ultrabold", 800},
      {"heavy", 800},     {"black", 900}};
  char s[64];
  size_t n = 0;
  for (const char *p = style; *p; p++) {
    if (*p == ' ' || *p == '-' || *p == '_') continue;
    if (n + 1 >= sizeof s) return false;
    s[n++] = (char)((*p >= 'A' && *p <= 'Z') ? *p + 32 : *p);
  }
  s[n] = 0;
  *italic = false;
  if (n >= 6 && strcmp(s + n - 6, "italic") == 0) *italic = true, s[n -= 6] = 0;
  else if (n >= 7 && strcmp(s + n - 7, "oblique") == 0) *italic = true, s[n -= 7] = 0;
  if (*italic && n >= 7 && strcmp(s + n - 7, "regular") == 0) s[n -= 7] = 0;
  for (size_t i = 0; i < sizeof W / sizeof *W; i++)
    if (strcmp(s, W[i].w) == 0) { *weight = W[i].v; return true; }
  return false;
}

/* Chooses among the faces of one family (vc__fc_lock held): the style name
 * paired with that family name, then any style name, then weight and slant.
 * Ties go to normal width, then TrueType over CFF (families shipping both),
 * then the bundled copy (the files vncert is tested with), then file name.
 * Choosing ourselves among the faces of the family asked, rather than taking
 * FcFontMatch's best guess, is what rules out silent substitution. */
static FcPattern *choose_style(vc_fontset_t *fs, FcFontSet *set,
                               const char *family, const char *style) {
  int weight = 400;
  bool italic = false, sem = parse_style(style, &weight, &italic);
  for (int pass = 0; pass < 3; pass++) {
    FcPattern *best = NULL;
    int bestscore = INT_MAX;
    for (int i = 0; i < set->nfont; i++) {
      FcPattern *p = set->fonts[i];
      int fi = family_index(p, family), score;
      const char *file = vc__fc_str(p, FC_FILE, 0);
      if (fi < 0 || !file) continue;
      if (pass == 0) {
        if (!vc__font_same_name(style_at(p, fi), style)) continue;
        score = 0;
      } else if (pass == 1) {
        bool any = false;
        for (int k = 0; vc__fc_str(p, FC_STYLE, k); k++)
          any = any || vc__font_same_name(vc__fc_str(p, FC_STYLE, k), style);
        if (!any) continue;
        score = 0;
      } else {
        if (!sem) break;
        int dw = abs((int)FcWeightToOpenType(vc__fc_int(p, FC_WEIGHT, 80)) - weight);
        if (dw >= 50 || (vc__fc_int(p, FC_SLANT, 0) > 0) != italic) continue;
        score = dw;
      }
      score = score * 10000 + abs(vc__fc_int(p, FC_WIDTH, 100) - 100) * 4 +
              (vc__fc_is_truetype(p) ? 0 : 2) + (vc__path_under(file, fs->bundled) ? 0 : 1);
      if (score < bestscore || (score == bestscore &&
                                strcmp(file, vc__fc_str(best, FC_FILE, 0)) < 0))
        best = p, bestscore = score;
    }
    if (best) return best;
  }
  return NULL;
}

static size_t list_vi_locked(vc_fontset_t *fs, vc_font_info_t **out);

/* "font family 'X' is not installed; did you mean 'Y'? fonts that can draw
 * Vietnamese: A, B, ..." (vc__fc_lock held). */
static void report_missing_family(vc_fontset_t *fs, const char *family,
                                  const char *where, int line, vc_diag_t *d) {
  msg_t m = {.len = 0};
  m.buf[0] = 0;
  FcPattern *all = FcPatternCreate();
  FcObjectSet *os = FcObjectSetBuild(FC_FAMILY, NULL);
  FcFontSet *set = all && os ? FcFontList(fs->cfg, all, os) : NULL;
  const char *near = NULL;
  size_t bestd = strlen(family) / 4 + 1; /* typos, not other fonts */
  for (int i = 0; set && i < set->nfont; i++)
    for (int k = 0; vc__fc_str(set->fonts[i], FC_FAMILY, k); k++) {
      const char *f = vc__fc_str(set->fonts[i], FC_FAMILY, k);
      size_t dist = vc_text_edit_distance(family, f);
      if (dist <= bestd && (!near || dist < bestd)) near = f, bestd = dist;
    }
  if (near) {
    char dym[300];
    snprintf(dym, sizeof dym, _("did you mean '%s'? "), near);
    msg_add(&m, dym);
  }
  vc_font_info_t *vi = NULL;
  size_t n = list_vi_locked(fs, &vi), shown = 0;
  const char *names[6];
  msg_add(&m, _("fonts that can draw Vietnamese: "));
  for (int bundled = 1; bundled >= 0; bundled--) /* bundled ones first */
    for (size_t i = 0; i < n && shown < 6; i++) {
      bool dup = false;
      for (size_t k = 0; k < shown && !dup; k++)
        dup = strcmp(names[k], vi[i].family) == 0;
      if (dup || vi[i].bundled != bundled || !vi[i].embeddable) continue;
      msg_add(&m, shown ? ", " : "");
      msg_add(&m, vi[i].family);
      names[shown++] = vi[i].family;
    }
  if (!shown) msg_add(&m, _("none installed"));
  vc_font_info_free(vi, n);
  static const char *const generic[] = {"serif", "sans-serif", "sans",
                                        "monospace", "mono", "cursive",
                                        "fantasy", "system-ui"};
  bool gen = false;
  for (size_t i = 0; i < sizeof generic / sizeof *generic; i++)
    gen = gen || vc__font_same_name(family, generic[i]);
  vc_diag_add(d, VC_E_FONT, where, line, 0,
              gen ? N_("'%s' is a generic name, not a font family: name one; %s")
                  : N_("font family '%s' is not installed; %s"),
              family, m.buf);
  if (set) FcFontSetDestroy(set);
  if (os) FcObjectSetDestroy(os);
  if (all) FcPatternDestroy(all);
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* "font family 'X' has no style 'Y'; its styles: A, B" (vc__fc_lock held). */
static void report_missing_style(FcFontSet *set, const char *family,
                                 const char *style, const char *where, int line,
                                 vc_diag_t *d) {
  const char *names[64];
  size_t n = 0;
  for (int i = 0; i < set->nfont && n < 64; i++) {
    int fi = family_index(set->fonts[i], family);
    const char *s = fi < 0 ? NULL : style_at(set->fonts[i], fi);
    bool dup = false;
    for (size_t k = 0; s && k < n && !dup; k++) dup = strcmp(names[k], s) == 0;
    if (s && !dup) names[n++] = s;
  }
  qsort(names, n, sizeof *names, cmp_str);
  msg_t m = {.len = 0};
  m.buf[0] = 0;
  for (size_t i = 0; i < n; i++) {
    msg_add(&m, i ? ", " : "");
    msg_add(&m, names[i]);
  }
  vc_diag_add(d, VC_E_FONT, where, line, 0,
              "font family '%s' has no style '%s'; its styles: %s", family,
              style, n ? m.buf : _("(none)"));
}

/* Finds family+style (set mutex held). */
static vc_font_t *find_family(vc_fontset_t *fs, const char *family,
                              const char *style, const char *where, int line,
                              vc_diag_t *d) {
  char *path = NULL;
  int index = 0;
  pthread_mutex_lock(&vc__fc_lock);
  FcPattern *pat = FcPatternCreate();
  FcObjectSet *os = FcObjectSetBuild(FC_FAMILY, FC_STYLE, FC_FILE, FC_INDEX,
                                     FC_WEIGHT, FC_SLANT, FC_WIDTH,
                                     FC_FONTFORMAT, NULL);
  FcFontSet *set = NULL;
  if (pat && os &&
      FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)family))
    set = FcFontList(fs->cfg, pat, os); /* every face of that family only */
  if (!set) {
    vc_diag_add(d, VC_E_NOMEM, where, line, 0, "out of memory");
  } else if (set->nfont == 0) {
    report_missing_family(fs, family, where, line, d);
  } else {
    FcPattern *p = choose_style(fs, set, family, style);
    if (!p) {
      report_missing_style(set, family, style, where, line, d);
    } else {
      index = vc__fc_int(p, FC_INDEX, 0);
      if (!(path = strdup(vc__fc_str(p, FC_FILE, 0))))
        vc_diag_add(d, VC_E_NOMEM, where, line, 0, "out of memory");
    }
  }
  if (set) FcFontSetDestroy(set);
  if (os) FcObjectSetDestroy(os);
  if (pat) FcPatternDestroy(pat);
  pthread_mutex_unlock(&vc__fc_lock);
  vc_font_t *f = path ? vc__font_load(fs, path, index, where, line, d) : NULL;
  free(path);
  return f;
}

vc_font_t *vc_fontset_find(vc_fontset_t *fs, const char *family,
                           const char *style, const char *file,
                           const char *where, int line, vc_diag_t *d) {
  if (!fs) return NULL;
  if ((!file || !*file) && (!family || !*family)) {
    vc_diag_add(d, VC_E_INPUT, where, line, 0, "no font family or file given");
    return NULL;
  }
  if (!style || !*style) style = "Regular";
  if ((family && strlen(family) > 200) || strlen(style) > 60) {
    vc_diag_add(d, VC_E_LIMIT, where, line, 0, "font name too long");
    return NULL;
  }
  if (file && *file) family = NULL;
  pthread_mutex_lock(&fs->mu);
  vc_font_t *f = NULL;
  for (size_t i = 0; i < fs->nreqs && !f; i++) {
    req_t *r = &fs->reqs[i];
    if (file && *file ? (r->file && strcmp(r->file, file) == 0)
                      : (r->family && vc__font_same_name(r->family, family) &&
                         vc__font_same_name(r->style, style)))
      f = r->font;
  }
  if (!f) {
    if (family) {
      f = find_family(fs, family, style, where, line, d);
    } else {
      char *real = realpath(file, NULL);
      if (!real)
        vc_diag_add(d, VC_E_IO, where, line, 0, "cannot read font file '%s': %s",
                    file, strerror(errno));
      else
        f = vc__font_load(fs, real, 0, where, line, d);
      free(real);
    }
    /* remembering is only a speed-up: no memory for it is no failure */
    if (f && vc_array_grow(&fs->reqs, fs->nreqs, &fs->capreqs, sizeof *fs->reqs, 8)) {
      req_t *r = &fs->reqs[fs->nreqs];
      r->family = family ? strdup(family) : NULL;
      r->style = family ? strdup(style) : NULL;
      r->file = family ? NULL : strdup(file);
      r->font = f;
      if ((family && r->family && r->style) || (!family && r->file)) fs->nreqs++;
      else free(r->family), free(r->style), free(r->file);
    }
  }
  pthread_mutex_unlock(&fs->mu);
  return f;
}

/* ---- fallback ------------------------------------------------------------ */

static uint32_t like_key(const vc_font_t *like) {
  if (!like) return 0;
  return (uint32_t)like->weight << 8 | (uint32_t)like->italic << 4 |
         (uint32_t)like->cls | 1u << 31;
}

static fb_t *fb_slot(vc_fontset_t *fs, int32_t cp, uint32_t key) {
  size_t mask = fs->fbcap - 1;
  size_t h = ((uint32_t)cp * 2654435761u ^ key * 40503u) & mask;
  while (fs->fb[h].cp >= 0 && !(fs->fb[h].cp == cp && fs->fb[h].like == key))
    h = (h + 1) & mask;
  return &fs->fb[h];
}

/* Remembers an answer (even "none"); silently skipped on no memory. */
static void fb_put(vc_fontset_t *fs, int32_t cp, uint32_t key, vc_font_t *f) {
  if ((fs->fbused + 1) * 2 > fs->fbcap) {
    size_t oc = fs->fbcap, nc = oc ? oc * 2 : 256;
    fb_t *old = fs->fb, *n = malloc(nc * sizeof *n);
    if (!n) return;
    for (size_t i = 0; i < nc; i++) n[i].cp = -1;
    fs->fb = n, fs->fbcap = nc;
    for (size_t i = 0; i < oc; i++)
      if (old[i].cp >= 0) *fb_slot(fs, old[i].cp, old[i].like) = old[i];
    free(old);
  }
  fb_t *s = fb_slot(fs, cp, key);
  if (s->cp < 0) fs->fbused++;
  s->cp = cp, s->like = key, s->font = f;
}

/* Asks fontconfig (set mutex held): fonts sorted by coverage of cp, then
 * closeness to `like`; the first TrueType one that really has cp. */
static vc_font_t *fallback_search(vc_fontset_t *fs, int32_t cp,
                                  const vc_font_t *like) {
  char *cand[8]; /* on the heap: layout threads may have small stacks */
  int cidx[8], nc = 0;
  pthread_mutex_lock(&vc__fc_lock);
  FcPattern *pat = FcPatternCreate();
  FcCharSet *cs = FcCharSetCreate();
  if (pat && cs && FcCharSetAddChar(cs, (FcChar32)cp)) {
    int w = like ? like->weight : 400, cls = like ? like->cls : VC_FONT_CLS_SERIF;
    FcPatternAddCharSet(pat, FC_CHARSET, cs);
    FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)(
        cls == VC_FONT_CLS_MONO ? "monospace" : cls == VC_FONT_CLS_SANS ? "sans-serif" : "serif"));
    FcPatternAddInteger(pat, FC_WEIGHT, FcWeightFromOpenType(w));
    FcPatternAddInteger(pat, FC_SLANT, like && like->italic ? FC_SLANT_ITALIC
                                                            : FC_SLANT_ROMAN);
    FcConfigSubstitute(fs->cfg, pat, FcMatchPattern);
    FcDefaultSubstitute(pat);
    FcResult r;
    FcFontSet *set = FcFontSort(fs->cfg, pat, FcFalse, NULL, &r);
    for (int i = 0; set && i < set->nfont && nc < 8; i++) {
      FcPattern *p = set->fonts[i];
      FcCharSet *fcs = NULL;
      const char *file = vc__fc_str(p, FC_FILE, 0);
      int idx = vc__fc_int(p, FC_INDEX, 0);
      if (!file || idx >> 16 || !vc__fc_is_truetype(p) ||
          FcPatternGetCharSet(p, FC_CHARSET, 0, &fcs) != FcResultMatch ||
          !FcCharSetHasChar(fcs, (FcChar32)cp))
        continue;
      if ((cand[nc] = strdup(file))) cidx[nc++] = idx;
    }
    if (set) FcFontSetDestroy(set);
  }
  if (cs) FcCharSetDestroy(cs);
  if (pat) FcPatternDestroy(pat);
  pthread_mutex_unlock(&vc__fc_lock);
  vc_font_t *found = NULL;
  for (int i = 0; i < nc; i++) {
    vc_font_t *f = found ? NULL : vc__font_load(fs, cand[i], cidx[i], NULL, 0, NULL);
    if (f && vc_font_has(f, cp)) found = f;
    free(cand[i]);
  }
  return found;
}

vc_font_t *vc_fontset_fallback(vc_fontset_t *fs, int32_t cp,
                               const vc_font_t *like) {
  if (!fs || cp < 0 || cp > 0xFFFF) return NULL;
  if (like && vc_font_has(like, cp)) return (vc_font_t *)like;
  uint32_t key = like_key(like);
  vc_font_t *f = NULL;
  pthread_mutex_lock(&fs->mu);
  if (fs->fbcap) {
    fb_t *s = fb_slot(fs, cp, key);
    if (s->cp == cp) {
      f = s->font;
      pthread_mutex_unlock(&fs->mu);
      return f;
    }
  }
  /* A fallback font already used for this kind of text keeps the look
   * consistent (one font for a whole name in another script). */
  for (size_t i = 0; i < fs->nchosen && !f; i++)
    if (fs->chosen[i].like == key && vc_font_has(fs->chosen[i].font, cp))
      f = fs->chosen[i].font;
  if (!f && (f = fallback_search(fs, cp, like))) {
    if (vc_array_grow(&fs->chosen, fs->nchosen, &fs->capchosen, sizeof *fs->chosen, 8))
      fs->chosen[fs->nchosen].like = key, fs->chosen[fs->nchosen++].font = f;
  }
  fb_put(fs, cp, key, f);
  pthread_mutex_unlock(&fs->mu);
  return f;
}

/* ---- listing ------------------------------------------------------------- */

static int cmp_info(const void *a, const void *b) {
  const vc_font_info_t *x = a, *y = b;
  int c = strcmp(x->family, y->family);
  if (!c) c = strcmp(x->style, y->style);
  return c ? c : strcmp(x->path, y->path);
}

/* vc__fc_lock held. */
static size_t list_vi_locked(vc_fontset_t *fs, vc_font_info_t **out) {
  *out = NULL;
  FcPattern *pat = FcPatternCreate();
  FcObjectSet *os = FcObjectSetBuild(FC_FAMILY, FC_FAMILYLANG, FC_STYLE,
                                     FC_STYLELANG, FC_FILE, FC_INDEX,
                                     FC_FONTFORMAT, NULL);
  FcFontSet *set = NULL;
  if (pat && os && FcPatternAddString(pat, FC_LANG, (const FcChar8 *)"vi"))
    set = FcFontList(fs->cfg, pat, os);
  size_t n = 0;
  vc_font_info_t *v = set && set->nfont ? calloc((size_t)set->nfont, sizeof *v) : NULL;
  for (int i = 0; v && i < set->nfont; i++) {
    FcPattern *p = set->fonts[i];
    const char *fam = vc__fc_en(p, FC_FAMILY, FC_FAMILYLANG);
    const char *st = vc__fc_en(p, FC_STYLE, FC_STYLELANG);
    const char *file = vc__fc_str(p, FC_FILE, 0);
    if (!fam || !file || vc__fc_int(p, FC_INDEX, 0) >> 16) continue; /* named
      instances of a variable font are not separate files */
    v[n].family = strdup(fam);
    v[n].style = strdup(st ? st : "");
    v[n].path = strdup(file);
    v[n].bundled = vc__path_under(file, fs->bundled);
    v[n].embeddable = vc__fc_is_truetype(p); /* CFF, Type 1, bitmaps: no */
    if (!v[n].family || !v[n].style || !v[n].path) {
      vc_font_info_free(v, n + 1);
      v = NULL, n = 0;
      break;
    }
    n++;
  }
  if (v && n) qsort(v, n, sizeof *v, cmp_info);
  if (v && !n) free(v), v = NULL;
  if (set) FcFontSetDestroy(set);
  if (os) FcObjectSetDestroy(os);
  if (pat) FcPatternDestroy(pat);
  *out = v;
  return n;
}

size_t vc_fontset_list_vi(vc_fontset_t *fs, vc_font_info_t **out) {
  if (!out) return 0;
  *out = NULL;
  if (!fs) return 0;
  pthread_mutex_lock(&fs->mu);
  pthread_mutex_lock(&vc__fc_lock);
  size_t n = list_vi_locked(fs, out);
  pthread_mutex_unlock(&vc__fc_lock);
  pthread_mutex_unlock(&fs->mu);
  return n;
}

void vc_font_info_free(vc_font_info_t *v, size_t n) {
  if (!v) return;
  for (size_t i = 0; i < n; i++) {
    free(v[i].family);
    free(v[i].style);
    free(v[i].path);
  }
  free(v);
}
