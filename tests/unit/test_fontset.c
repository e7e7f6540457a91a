/*
 * test_fontset.c - font lookup, coverage, widths against libharu itself,
 * fallback and listing.  Needs the bundled fonts/ directory (found from the
 * working directory or from this file's path) and the fonts of
 * tests/tools/test-fonts.sh (FONTCONFIG_FILE, set by `make check-unit`):
 * DejaVu, Lato, Debian's Noto Serif and Sans, EB Garamond as CFF .otf only.
 */
#define _GNU_SOURCE /* nftw */
#include "testutil.h"

#include <ftw.h>
#include <hpdf.h>
#include <limits.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include "font/fontset.h"

static char fonts_dir[PATH_MAX];   /* realpath of the bundled fonts/ */
static char tmp_home[64];          /* HOME and XDG_* point here */
static vc_fontset_t *fs;

/* The 134 precomposed Vietnamese letters (a..y with every tone, both cases,
 * đ and Đ included), plus the plain vowels they are built on. */
static const char VN_LETTERS[] =
    "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợ"
    "uùúủũụưừứửữựyỳýỷỹỵđ"
    "AÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬEÈÉẺẼẸÊỀẾỂỄỆIÌÍỈĨỊOÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢ"
    "UÙÚỦŨỤƯỪỨỬỮỰYỲÝỶỸỴĐ";

static size_t dec(const char *s, int32_t *cp) { /* valid UTF-8 only */
  const unsigned char *p = (const unsigned char *)s;
  if (p[0] < 0x80) return *cp = p[0], 1;
  if (p[0] < 0xE0) return *cp = (p[0] & 0x1F) << 6 | (p[1] & 0x3F), 2;
  if (p[0] < 0xF0)
    return *cp = (p[0] & 0x0F) << 12 | (p[1] & 0x3F) << 6 | (p[2] & 0x3F), 3;
  return *cp = (p[0] & 0x07) << 18 | (p[1] & 0x3F) << 12 |
               (p[2] & 0x3F) << 6 | (p[3] & 0x3F), 4;
}

static size_t enc(int32_t cp, char *out) {
  if (cp < 0x80) return out[0] = (char)cp, 1;
  if (cp < 0x800)
    return out[0] = (char)(0xC0 | cp >> 6), out[1] = (char)(0x80 | (cp & 0x3F)), 2;
  out[0] = (char)(0xE0 | cp >> 12);
  out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
  out[2] = (char)(0x80 | (cp & 0x3F));
  return 3;
}

static const char *msg0(vc_diag_t *d) {
  const vc_diag_item_t *it = vc_diag_get(d, 0);
  return it ? it->msg : "";
}

static bool is_bundled(const vc_font_t *f) {
  size_t n = strlen(fonts_dir);
  return strncmp(vc_font_path(f), fonts_dir, n) == 0 && vc_font_path(f)[n] == '/';
}

static int rm_entry(const char *path, const struct stat *sb, int flag,
                    struct FTW *ftw) {
  (void)sb, (void)flag, (void)ftw;
  return remove(path);
}

static int setup(void **state) {
  (void)state;
  if (!test_fonts_configured()) return -1;
  const char *dir = "fonts";
  char alt[PATH_MAX];
  if (access("fonts/NotoSerif/NotoSerif-Regular.ttf", R_OK) != 0) {
    /* __FILE__ is .../tests/unit/test_fontset.c */
    snprintf(alt, sizeof alt, "%s", __FILE__);
    char *cut = strstr(alt, "tests/unit/");
    if (cut) strcpy(cut, "fonts");
    dir = alt;
  }
  if (!realpath(dir, fonts_dir)) {
    fprintf(stderr, "bundled fonts/ not found: run from the source tree\n");
    return -1;
  }
  /* Bundled fonts must work without being installed for this user: point
   * HOME and the XDG directories at an empty place. */
  snprintf(tmp_home, sizeof tmp_home, "/tmp/vc-fontset-XXXXXX");
  if (!mkdtemp(tmp_home)) return -1;
  setenv("HOME", tmp_home, 1);
  setenv("XDG_CONFIG_HOME", tmp_home, 1);
  setenv("XDG_DATA_HOME", tmp_home, 1);
  setenv("XDG_CACHE_HOME", tmp_home, 1);
  vc_diag_t *d = vc_diag_create();
  fs = vc_fontset_create(fonts_dir, d);
  if (!fs) vc_diag_print(d, stderr);
  vc_diag_free(d);
  return fs ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  vc_fontset_free(fs);
  nftw(tmp_home, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
  return 0;
}

static void test_bundled_found(void **state) {
  (void)state;
  vc_diag_t *d = vc_diag_create();
  vc_font_t *f = vc_fontset_find(fs, "Noto Serif", NULL, NULL, "t.yaml", 3, d);
  assert_non_null(f);
  assert_int_equal(vc_diag_count(d), 0);
  assert_true(is_bundled(f));
  assert_string_equal(vc_font_family(f), "Noto Serif");
  assert_string_equal(vc_font_style(f), "Regular");
  assert_int_equal(vc_font_face_index(f), 0);
  /* the same request, and the same in other spelling, give the same font */
  assert_ptr_equal(vc_fontset_find(fs, "Noto Serif", "Regular", NULL, NULL, 0, d), f);
  assert_ptr_equal(vc_fontset_find(fs, "noto serif", "regular", NULL, NULL, 0, d), f);
  /* hhea metrics of Noto Serif (1000 units/em) */
  assert_int_equal(vc_font_ascent(f), 1069);
  assert_int_equal(vc_font_descent(f), -293);
  assert_int_equal(vc_font_cap_height(f), 714);
  /* stacked marks reach far above the cap height, dots below the baseline */
  assert_true(vc_font_vn_top(f) > vc_font_cap_height(f) + 150);
  assert_true(vc_font_vn_top(f) <= vc_font_ascent(f));
  assert_true(vc_font_vn_bottom(f) < -150);
  assert_true(vc_font_vn_bottom(f) >= vc_font_descent(f));
  assert_int_equal(vc_diag_count(d), 0);
  vc_diag_free(d);
}

static void test_without_bundled_dir(void **state) {
  (void)state;
  vc_diag_t *d = vc_diag_create();
  vc_fontset_t *plain = vc_fontset_create(NULL, d);
  assert_non_null(plain);
  /* Debian's copy (fonts-noto-core, in the test fonts) is found instead */
  vc_font_t *f = vc_fontset_find(plain, "Noto Serif", "Bold", NULL, NULL, 0, NULL);
  assert_non_null(f);
  assert_false(is_bundled(f));
  assert_string_equal(strrchr(vc_font_path(f), '/'), "/NotoSerif-Bold.ttf");
  vc_fontset_free(plain);
  assert_int_equal(vc_diag_count(d), 0);
  assert_null(vc_fontset_create("/nonexistent/fonts", d));
  assert_int_equal(vc_diag_status(d), VC_E_USAGE);
  vc_diag_free(d);
}

/* A link named tmp_home/rel to target. */
static void make_link(const char *target, const char *rel) {
  char path[PATH_MAX];
  snprintf(path, sizeof path, "%s/%s", tmp_home, rel);
  assert_int_equal(symlink(target, path), 0);
}

/* The bundled directory: a folder (a file or a missing path is a usage
 * error); its fonts and those of the folders directly inside it are used,
 * deeper ones not (so /usr is looked through at once, not scanned for
 * minutes); a folder without fonts or with too many entries is refused. */
static void test_bundled_dir_rules(void **state) {
  (void)state;
  char dir[PATH_MAX], file[PATH_MAX + 16], serif[PATH_MAX + 64];
  vc_diag_t *d = vc_diag_create();
  snprintf(serif, sizeof serif, "%s/NotoSerif/NotoSerif-Regular.ttf", fonts_dir);
  /* a file */
  assert_null(vc_fontset_create(serif, d));
  assert_int_equal(vc_diag_status(d), VC_E_USAGE);
  assert_non_null(strstr(msg0(d), "is a file, not a folder"));
  vc_diag_clear(d);
  /* fonts one level down are found; two levels down are not */
  snprintf(dir, sizeof dir, "%s/b1", tmp_home);
  assert_int_equal(mkdir(dir, 0700), 0);
  snprintf(file, sizeof file, "%s/Sub", dir);
  assert_int_equal(mkdir(file, 0700), 0);
  make_link(serif, "b1/Sub/Serif.TTF");
  vc_fontset_t *one = vc_fontset_create(dir, d);
  assert_non_null(one);
  vc_font_t *f = vc_fontset_find(one, "Noto Serif", NULL, NULL, NULL, 0, d);
  assert_non_null(f);
  assert_string_equal(vc_font_path(f), serif);
  vc_fontset_free(one);
  snprintf(dir, sizeof dir, "%s/b2", tmp_home);
  assert_int_equal(mkdir(dir, 0700), 0);
  snprintf(file, sizeof file, "%s/a", dir);
  assert_int_equal(mkdir(file, 0700), 0);
  snprintf(file, sizeof file, "%s/a/b", dir);
  assert_int_equal(mkdir(file, 0700), 0);
  make_link(serif, "b2/a/b/Serif.ttf");
  assert_null(vc_fontset_create(dir, d));
  assert_int_equal(vc_diag_status(d), VC_E_FONT);
  assert_non_null(strstr(msg0(d), "no font file"));
  vc_diag_clear(d);
  /* too many entries: refused at once, whatever they are */
  snprintf(dir, sizeof dir, "%s/b3", tmp_home);
  assert_int_equal(mkdir(dir, 0700), 0);
  for (int i = 0; i <= VC_FONTSET_MAX_DIR_ENTRIES; i++) {
    snprintf(file, sizeof file, "%s/%05d.txt", dir, i);
    FILE *fp = fopen(file, "w");
    assert_non_null(fp);
    fclose(fp);
  }
  assert_null(vc_fontset_create(dir, d));
  assert_int_equal(vc_diag_status(d), VC_E_LIMIT);
  assert_non_null(strstr(msg0(d), "more than 10000 files and folders"));
  vc_diag_free(d);
}

static void test_system_font(void **state) {
  (void)state;
  vc_diag_t *d = vc_diag_create();
  vc_font_t *f = vc_fontset_find(fs, "DejaVu Sans", NULL, NULL, NULL, 0, d);
  assert_non_null(f);
  assert_false(is_bundled(f));
  assert_string_equal(vc_font_family(f), "DejaVu Sans");
  /* "Regular" is called "Book" there; the condensed face is not taken */
  assert_string_equal(strrchr(vc_font_path(f), '/'), "/DejaVuSans.ttf");
  assert_ptr_equal(vc_fontset_find(fs, "DejaVu Sans", "Book", NULL, NULL, 0, d), f);
  vc_font_t *bo = vc_fontset_find(fs, "DejaVu Sans", "Bold Oblique", NULL, NULL, 0, d);
  assert_non_null(bo);
  assert_string_equal(strrchr(vc_font_path(bo), '/'), "/DejaVuSans-BoldOblique.ttf");
  /* the same file named directly is the same font */
  assert_ptr_equal(vc_fontset_find(fs, NULL, NULL, vc_font_path(f), NULL, 0, d), f);
  assert_int_equal(vc_diag_count(d), 0);
  vc_diag_free(d);
}

static void test_missing_family(void **state) {
  (void)state;
  vc_diag_t *d = vc_diag_create();
  assert_null(vc_fontset_find(fs, "Times New Romn", "Bold", NULL, "a.yaml", 7, d));
  assert_int_equal(vc_diag_count(d), 1);
  const vc_diag_item_t *it = vc_diag_get(d, 0);
  assert_int_equal(it->status, VC_E_FONT);
  assert_string_equal(it->file, "a.yaml");
  assert_int_equal(it->line, 7);
  assert_non_null(strstr(it->msg, "font family 'Times New Romn' is not installed"));
  assert_non_null(strstr(it->msg, "fonts that can draw Vietnamese: "));
  assert_non_null(strstr(it->msg, "Noto Serif"));
  assert_null(strstr(it->msg, "EB Garamond")); /* CFF: not suggested */
  vc_diag_clear(d);
  /* a near miss of an installed family is pointed out */
  assert_null(vc_fontset_find(fs, "DejaVu Snas", NULL, NULL, NULL, 0, d));
  assert_non_null(strstr(msg0(d), "did you mean 'DejaVu Sans'?"));
  vc_diag_clear(d);
  /* generic names are aliases, not families: no silent substitution */
  assert_null(vc_fontset_find(fs, "serif", NULL, NULL, NULL, 0, d));
  assert_int_equal(vc_diag_status(d), VC_E_FONT);
  assert_non_null(strstr(msg0(d), "'serif' is a generic name, not a font family"));
  vc_diag_clear(d);
  assert_null(vc_fontset_find(fs, NULL, NULL, NULL, NULL, 0, d));
  assert_int_equal(vc_diag_status(d), VC_E_INPUT);
  vc_diag_free(d);
}

static void test_styles(void **state) {
  (void)state;
  vc_diag_t *d = vc_diag_create();
  static const char *const want[][2] = {{"Bold", "/NotoSerif-Bold.ttf"},
                                        {"Italic", "/NotoSerif-Italic.ttf"},
                                        {"Bold Italic", "/NotoSerif-BoldItalic.ttf"},
                                        {"BoldItalic", "/NotoSerif-BoldItalic.ttf"}};
  for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
    vc_font_t *f = vc_fontset_find(fs, "Noto Serif", want[i][0], NULL, NULL, 0, d);
    assert_non_null(f);
    assert_true(is_bundled(f));
    assert_string_equal(strrchr(vc_font_path(f), '/'), want[i][1]);
  }
  vc_font_t *b = vc_fontset_find(fs, "Noto Sans", "Bold", NULL, NULL, 0, d);
  assert_non_null(b);
  assert_string_equal(vc_font_style(b), "Bold");
  assert_true(is_bundled(b));
  assert_int_equal(vc_diag_count(d), 0);
  vc_diag_free(d);
}

static void test_missing_style(void **state) {
  (void)state;
  vc_diag_t *d = vc_diag_create();
  assert_null(vc_fontset_find(fs, "Noto Serif", "Black", NULL, "b.yaml", 2, d));
  assert_int_equal(vc_diag_status(d), VC_E_FONT);
  assert_string_equal(msg0(d), "font family 'Noto Serif' has no style 'Black'; "
                               "its styles: Bold, Bold Italic, Italic, Regular");
  vc_diag_clear(d);
  assert_null(vc_fontset_find(fs, "Noto Sans", "Condensed", NULL, NULL, 0, d));
  assert_non_null(strstr(msg0(d), "no style 'Condensed'"));
  vc_diag_free(d);
}

/* A CFF-flavoured .otf that draws Vietnamese, as fc-list sees it, or NULL
 * (asked in a child process so this one's fontconfig state stays ours). */
static char *find_cff_file(char *family, size_t fam_size) {
  FILE *p = popen("fc-list ':fontformat=CFF:lang=vi' file family 2>/dev/null"
                  " | sort", "r");
  char line[1024], *file = NULL;
  if (!p) return NULL;
  if (fgets(line, sizeof line, p)) {
    char *colon = strstr(line, ": ");
    if (colon) {
      *colon = 0;
      char *fam = colon + 2;
      fam[strcspn(fam, ",\n")] = 0;
      snprintf(family, fam_size, "%s", fam);
      file = strdup(line);
    }
  }
  pclose(p);
  return file;
}

static void test_cff_rejected(void **state) {
  (void)state;
  char family[128];
  char *file = find_cff_file(family, sizeof family);
  if (!file) {
    fprintf(stderr, "no CFF font installed (fonts-ebgaramond): skipped\n");
    skip();
  }
  vc_diag_t *d = vc_diag_create();
  assert_null(vc_fontset_find(fs, NULL, NULL, file, "c.yaml", 4, d));
  assert_int_equal(vc_diag_status(d), VC_E_FONT);
  assert_non_null(strstr(msg0(d), "is CFF-flavoured OpenType"));
  assert_non_null(strstr(msg0(d), "use a TrueType font instead, e.g. '"));
  /* EB Garamond is a serif: the bundled serif is proposed */
  if (strcmp(family, "EB Garamond") == 0)
    assert_non_null(strstr(msg0(d), "e.g. 'Noto Serif' (bundled with vncert)"));
  vc_diag_clear(d);
  assert_null(vc_fontset_find(fs, family, NULL, NULL, "c.yaml", 5, d));
  assert_int_equal(vc_diag_count(d), 1);
  assert_non_null(strstr(msg0(d), "is CFF-flavoured OpenType"));
  vc_diag_free(d);
  free(file);
}

/* Three tiny fonts made with fontTools: "Vc Twin" as both CFF .otf and
 * TrueType .ttf, and "Vc Locked" whose licence flags forbid embedding. */
static const char GEN_FONTS_PY[] =
    "import sys\n"
    "from fontTools.fontBuilder import FontBuilder\n"
    "from fontTools.pens.t2CharStringPen import T2CharStringPen\n"
    "from fontTools.pens.ttGlyphPen import TTGlyphPen\n"
    "def draw(pen):\n"
    "    pen.moveTo((50, 0)); pen.lineTo((300, 700)); pen.lineTo((550, 0)); pen.closePath()\n"
    "def build(path, family, cff, fstype=0):\n"
    "    fb = FontBuilder(1000, isTTF=not cff)\n"
    "    names = [\".notdef\", \"A\", \"space\"]\n"
    "    fb.setupGlyphOrder(names)\n"
    "    fb.setupCharacterMap({0x41: \"A\", 0x20: \"space\"})\n"
    "    adv = {\".notdef\": 500, \"A\": 600, \"space\": 250}\n"
    "    if cff:\n"
    "        cs = {}\n"
    "        for g in names:\n"
    "            pen = T2CharStringPen(adv[g], None)\n"
    "            if g == \"A\": draw(pen)\n"
    "            cs[g] = pen.getCharString()\n"
    "        fb.setupCFF(family.replace(\" \", \"\") + \"-Regular\", {\"FullName\": family}, cs, {})\n"
    "    else:\n"
    "        gl = {}\n"
    "        for g in names:\n"
    "            pen = TTGlyphPen(None)\n"
    "            if g == \"A\": draw(pen)\n"
    "            gl[g] = pen.glyph()\n"
    "        fb.setupGlyf(gl)\n"
    "    fb.setupHorizontalMetrics({g: (adv[g], 0) for g in names})\n"
    "    fb.setupHorizontalHeader(ascent=800, descent=-200)\n"
    "    fb.setupNameTable({\"familyName\": family, \"styleName\": \"Regular\"})\n"
    "    fb.setupOS2(sTypoAscender=800, sTypoDescender=-200, usWinAscent=800, usWinDescent=200, fsType=fstype)\n"
    "    fb.setupPost()\n"
    "    fb.save(path)\n"
    "d = sys.argv[1]\n"
    "build(d + \"/VcTwin-Regular.otf\", \"Vc Twin\", True)\n"
    "build(d + \"/VcTwin-Regular.ttf\", \"Vc Twin\", False)\n"
    "build(d + \"/VcLocked-Regular.ttf\", \"Vc Locked\", False, fstype=2)\n";

static bool make_fonts(const char *dir) {
  char cmd[256];
  snprintf(cmd, sizeof cmd, "/usr/bin/python3 - %s 2>/dev/null", dir);
  FILE *p = popen(cmd, "w");
  if (!p) return false;
  fputs(GEN_FONTS_PY, p);
  return pclose(p) == 0;
}

static void test_generated_fonts(void **state) {
  (void)state;
  char dir[128], file[192];
  snprintf(dir, sizeof dir, "%s/gen", tmp_home);
  if (mkdir(dir, 0700) != 0 || !make_fonts(dir)) {
    fprintf(stderr, "python3-fonttools unavailable: skipped\n");
    skip();
  }
  /* A config of our own, so the scan of this throw-away directory is cached
   * under tmp_home, not in /var/cache/fontconfig when run as root. */
  char conf[192];
  snprintf(conf, sizeof conf, "%s/fonts.conf", tmp_home);
  FILE *fp = fopen(conf, "w");
  assert_non_null(fp);
  fprintf(fp, "<?xml version=\"1.0\"?>\n<fontconfig><dir>%s</dir>"
              "<cachedir>%s/cache</cachedir></fontconfig>\n", dir, tmp_home);
  fclose(fp);
  char *test_conf = strdup(getenv("FONTCONFIG_FILE"));
  assert_non_null(test_conf);
  setenv("FONTCONFIG_FILE", conf, 1);
  vc_diag_t *d = vc_diag_create();
  vc_fontset_t *g = vc_fontset_create(NULL, d);
  setenv("FONTCONFIG_FILE", test_conf, 1);
  free(test_conf);
  assert_non_null(g);
  /* a family shipped both ways: the TrueType face is chosen */
  vc_font_t *f = vc_fontset_find(g, "Vc Twin", NULL, NULL, NULL, 0, d);
  assert_non_null(f);
  assert_non_null(strstr(vc_font_path(f), "/VcTwin-Regular.ttf"));
  assert_int_equal(vc_font_advance(f, 'A'), 600);
  /* its CFF file named directly: the TrueType twin is proposed */
  snprintf(file, sizeof file, "%s/VcTwin-Regular.otf", dir);
  assert_null(vc_fontset_find(g, NULL, NULL, file, NULL, 0, d));
  assert_non_null(strstr(msg0(d), "use a TrueType font instead, e.g. the "
                                  "TrueType version of 'Vc Twin' (style 'Regular', "));
  assert_non_null(strstr(msg0(d), "/VcTwin-Regular.ttf)"));
  vc_diag_clear(d);
  assert_null(vc_fontset_find(g, "Vc Locked", NULL, NULL, "l.yaml", 9, d));
  assert_int_equal(vc_diag_status(d), VC_E_FONT);
  assert_non_null(strstr(msg0(d), "does not allow embedding"));
  assert_null(strstr(msg0(d), "TrueType version")); /* not itself */
  vc_fontset_free(g);
  vc_diag_free(d);
}

static void test_bad_files(void **state) {
  (void)state;
  vc_diag_t *d = vc_diag_create();
  assert_null(vc_fontset_find(fs, NULL, NULL, "/nonexistent/x.ttf", NULL, 0, d));
  assert_int_equal(vc_diag_status(d), VC_E_IO);
  vc_diag_clear(d);
  char notfont[PATH_MAX + 32];
  snprintf(notfont, sizeof notfont, "%s/NotoSerif/OFL.txt", fonts_dir);
  assert_null(vc_fontset_find(fs, NULL, NULL, notfont, NULL, 0, d));
  assert_int_equal(vc_diag_status(d), VC_E_FONT);
  vc_diag_free(d);
}

static HPDF_Font hpdf_font(HPDF_Doc pdf, const char *path) {
  const char *name = HPDF_LoadTTFontFromFile(pdf, path, HPDF_TRUE);
  assert_non_null(name);
  HPDF_Font font = HPDF_GetFont(pdf, name, "UTF-8");
  assert_non_null(font);
  return font;
}

/* Every code point the font has: our width is libharu's, exactly. */
static void compare_with_libharu(const char *family, const char *style) {
  vc_font_t *f = vc_fontset_find(fs, family, style, NULL, NULL, 0, NULL);
  assert_non_null(f);
  HPDF_Doc pdf = HPDF_New(NULL, NULL);
  assert_non_null(pdf);
  assert_int_equal(HPDF_UseUTFEncodings(pdf), HPDF_OK);
  HPDF_Font font = hpdf_font(pdf, vc_font_path(f));
  const char *name = "Nguyễn Thị Thu Thảo ẪỰ";
  HPDF_TextWidth tw = HPDF_Font_TextWidth(font, (const HPDF_BYTE *)name,
                                          (HPDF_UINT)strlen(name));
  assert_true(vc_font_text_width(f, name, strlen(name), 1000.0) == (double)tw.width);
  assert_true(vc_font_text_width(f, name, strlen(name), 12.0) ==
              (double)tw.width * 12.0 / 1000.0);
  int checked = 0;
  for (int32_t cp = 0x20; cp <= 0xFFFF; cp++) {
    if (!vc_font_has(f, cp) || (cp >= 0xD800 && cp <= 0xDFFF)) continue;
    char buf[4];
    size_t n = enc(cp, buf);
    tw = HPDF_Font_TextWidth(font, (const HPDF_BYTE *)buf, (HPDF_UINT)n);
    if ((HPDF_INT)tw.width != vc_font_advance(f, cp))
      fail_msg("%s %s U+%04X: libharu %u, ours %d", family, style, (unsigned)cp,
               tw.width, vc_font_advance(f, cp));
    checked++;
  }
  assert_true(checked > 500);
  HPDF_Free(pdf);
}

static void test_widths_match_libharu(void **state) {
  (void)state;
  compare_with_libharu("Noto Serif", "Regular");
  compare_with_libharu("Noto Serif", "Bold Italic");
  compare_with_libharu("Noto Sans", "Regular");
  compare_with_libharu("DejaVu Sans", "Regular"); /* 2048 units/em */
}

static void test_vietnamese_coverage(void **state) {
  (void)state;
  static const char *const fams[][2] = {
      {"Noto Serif", "Regular"}, {"Noto Serif", "Bold"},
      {"Noto Serif", "Italic"},  {"Noto Serif", "Bold Italic"},
      {"Noto Sans", "Regular"},  {"Noto Sans", "Bold"},
      {"Noto Sans", "Italic"},   {"Noto Sans", "Bold Italic"}};
  for (size_t k = 0; k < sizeof fams / sizeof *fams; k++) {
    vc_font_t *f = vc_fontset_find(fs, fams[k][0], fams[k][1], NULL, NULL, 0, NULL);
    assert_non_null(f);
    size_t precomposed = 0;
    for (const char *s = VN_LETTERS; *s;) {
      int32_t cp;
      s += dec(s, &cp);
      if (!vc_font_has(f, cp))
        fail_msg("%s %s lacks U+%04X", fams[k][0], fams[k][1], (unsigned)cp);
      assert_true(vc_font_advance(f, cp) > 0);
      precomposed += cp > 0x7F;
    }
    assert_int_equal(precomposed, 134);
    assert_true(vc_font_has(f, 0x20AB)); /* ₫ */
    assert_false(vc_font_has(f, 0x4E00)); /* 一 */
    assert_int_equal(vc_font_advance(f, 0x4E00), 0);
    assert_false(vc_font_has(f, 0x1F600)); /* above the BMP: never */
    assert_false(vc_font_has(f, -1));
  }
}

static void test_text_width(void **state) {
  (void)state;
  vc_font_t *f = vc_fontset_find(fs, "Noto Serif", NULL, NULL, NULL, 0, NULL);
  assert_non_null(f);
  assert_true(vc_font_text_width(f, "", 0, 12) == 0.0);
  double av = (vc_font_advance(f, 'A') + vc_font_advance(f, 'V')) * 10 / 1000.0;
  assert_true(vc_font_text_width(f, "AV", 2, 10) == av);
  /* n bounds the string, not the NUL */
  assert_true(vc_font_text_width(f, "AVX", 2, 10) == av);
  /* invalid bytes and characters above the BMP add nothing */
  assert_true(vc_font_text_width(f, "A\xff\xc3V", 4, 10) == av);
  assert_true(vc_font_text_width(f, "A\xf0\x9f\x98\x80V", 6, 10) == av);
  /* a truncated sequence at the end */
  assert_true(vc_font_text_width(f, "AV\xe1\xba", 4, 10) == av);
}

static void test_fallback(void **state) {
  (void)state;
  vc_font_t *serif = vc_fontset_find(fs, "Noto Serif", NULL, NULL, NULL, 0, NULL);
  assert_non_null(serif);
  assert_false(vc_font_has(serif, 0x2713)); /* ✓ */
  vc_font_t *f = vc_fontset_fallback(fs, 0x2713, serif);
  assert_non_null(f);
  assert_true(vc_font_has(f, 0x2713));
  assert_ptr_equal(vc_fontset_fallback(fs, 0x2713, serif), f); /* cached */
  assert_false(vc_font_has(serif, 0x2192)); /* → */
  vc_font_t *g = vc_fontset_fallback(fs, 0x2192, serif);
  assert_non_null(g);
  assert_true(vc_font_has(g, 0x2192));
  /* a character the font has: itself */
  assert_ptr_equal(vc_fontset_fallback(fs, 'A', serif), serif);
  assert_null(vc_fontset_fallback(fs, 0x1F600, serif));
  assert_null(vc_fontset_fallback(fs, -5, NULL));
  vc_font_t *h = vc_fontset_fallback(fs, 0x2192, NULL);
  assert_true(!h || vc_font_has(h, 0x2192));
  /* U+E000 private use: normally nobody; must not crash either way */
  vc_font_t *pu = vc_fontset_fallback(fs, 0xE000, serif);
  assert_true(!pu || vc_font_has(pu, 0xE000));
}

static void test_list_vi(void **state) {
  (void)state;
  vc_font_info_t *v = NULL;
  size_t n = vc_fontset_list_vi(fs, &v);
  assert_true(n >= 8);
  assert_non_null(v);
  size_t bundled = 0, cff = 0;
  for (size_t i = 0; i < n; i++) {
    if (i > 0) assert_true(strcmp(v[i - 1].family, v[i].family) <= 0);
    if (v[i].bundled) {
      bundled++;
      assert_true(v[i].embeddable);
      assert_true(strcmp(v[i].family, "Noto Serif") == 0 ||
                  strcmp(v[i].family, "Noto Sans") == 0);
      assert_int_equal(strncmp(v[i].path, fonts_dir, strlen(fonts_dir)), 0);
    }
    if (strstr(v[i].path, ".otf")) cff++, assert_false(v[i].embeddable);
  }
  assert_int_equal(bundled, 8);
  vc_font_info_free(v, n);
  assert_int_equal(vc_fontset_list_vi(NULL, &v), 0);
  assert_null(v);
}

static void *thread_body(void *arg) {
  (void)arg;
  for (int i = 0; i < 50; i++) {
    vc_font_t *f = vc_fontset_find(fs, "Noto Sans", "Italic", NULL, NULL, 0, NULL);
    if (!f) return (void *)1;
    if (vc_font_text_width(f, "Thảo", strlen("Thảo"), 10) <= 0) return (void *)1;
    vc_font_t *g = vc_fontset_fallback(fs, 0x2600 + i, f);
    if (g && !vc_font_has(g, 0x2600 + i)) return (void *)1;
  }
  return NULL;
}

static void test_threads(void **state) {
  (void)state;
  pthread_t t[4];
  for (int i = 0; i < 4; i++) assert_int_equal(pthread_create(&t[i], NULL, thread_body, NULL), 0);
  for (int i = 0; i < 4; i++) {
    void *r;
    pthread_join(t[i], &r);
    assert_null(r);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_bundled_found),
      cmocka_unit_test(test_without_bundled_dir),
      cmocka_unit_test(test_bundled_dir_rules),
      cmocka_unit_test(test_system_font),
      cmocka_unit_test(test_missing_family),
      cmocka_unit_test(test_styles),
      cmocka_unit_test(test_missing_style),
      cmocka_unit_test(test_cff_rejected),
      cmocka_unit_test(test_generated_fonts),
      cmocka_unit_test(test_bad_files),
      cmocka_unit_test(test_widths_match_libharu),
      cmocka_unit_test(test_vietnamese_coverage),
      cmocka_unit_test(test_text_width),
      cmocka_unit_test(test_fallback),
      cmocka_unit_test(test_list_vi),
      cmocka_unit_test(test_threads),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
