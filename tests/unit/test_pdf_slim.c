/*
 * test_pdf_slim.c - the speed and size repairs of hpdf-slim.c: the flat
 * code-to-glyph map gives every code the glyph libharu gave it before; /W,
 * /CIDToGIDMap and the font program list only what is drawn and stay
 * exact (widths, glyph ids, glyph data, checksums); the files still pass
 * every check of test_pdf.c and are small.
 */
#include "testutil.h"

#include <locale.h>
#include <stdbool.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <hpdf.h>
#include <hpdf_font.h>
#include <hpdf_fontdef.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>

#include "render/hpdf-fix.h"
#include "render/pdf.h"

static char g_tool[1024]; /* tests/tools/pdf_glyphs.py */

static const char *const FONTS[] = {
    "/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/lato/Lato-Regular.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf",
};
#define NFONTS (sizeof FONTS / sizeof *FONTS)
static const char VI[] = "Nguyễn Thị Thu Thảo NGUYỄN VĂN ẪN Trường Ự ự Ẫ ẫ Ỡ ỡ";

/* ---- helpers ---------------------------------------------------------------- */

static uint32_t be16(const unsigned char *b) { return (uint32_t)(b[0] << 8 | b[1]); }
static uint32_t be32(const unsigned char *b) {
  return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static uint32_t sum32(const unsigned char *b, size_t n) {
  uint32_t s = 0;
  for (size_t i = 0; i < n; i += 4) {
    unsigned char t[4] = {0};
    memcpy(t, b + i, n - i < 4 ? n - i : 4);
    s += be32(t);
  }
  return s;
}

/* The table `tag` of a font program, or NULL. */
static const unsigned char *table(const unsigned char *b, size_t n,
                                  const char *tag, uint32_t *len) {
  unsigned nt = be16(b + 4);
  for (unsigned i = 0; i < nt && 12 + 16 * (i + 1) <= n; i++) {
    const unsigned char *e = b + 12 + 16 * i;
    if (memcmp(e, tag, 4) == 0 && be32(e + 8) <= n &&
        be32(e + 12) <= n - be32(e + 8)) {
      *len = be32(e + 12);
      return b + be32(e + 8);
    }
  }
  return NULL;
}

/* Asserts what a font reader checks: directory fields, every table inside
 * the file, 4-byte aligned, with its checksum, and the whole-file sum. */
static void check_sfnt(const unsigned char *b, size_t n) {
  assert_true(n >= 12);
  unsigned nt = be16(b + 4), range = 1, sel = 0;
  while (range * 2 <= nt) range *= 2, sel++;
  assert_int_equal(be16(b + 6), 16 * range);
  assert_int_equal(be16(b + 8), sel);
  assert_int_equal(be16(b + 10), 16 * nt - 16 * range);
  for (unsigned i = 0; i < nt; i++) {
    const unsigned char *e = b + 12 + 16 * i;
    uint32_t off = be32(e + 8), len = be32(e + 12);
    assert_true(off % 4 == 0 && off <= n && len <= n - off);
    uint32_t want = sum32(b + off, len);
    if (!memcmp(e, "head", 4)) want -= be32(b + off + 8);
    assert_int_equal(be32(e + 4), want);
  }
  assert_int_equal(sum32(b, n), 0xB1B0AFBA);
}

/* Spec lookup in a (3,1) format-4 'cmap' subtable. */
static unsigned cmap4_gid(const unsigned char *cm, uint32_t cmlen, unsigned cp) {
  assert_true(cmlen >= 12 && be16(cm + 2) >= 1);
  const unsigned char *s = cm + be32(cm + 8);
  assert_int_equal(be16(s), 4);
  unsigned segs = be16(s + 6) / 2;
  const unsigned char *ends = s + 14, *starts = ends + 2 * segs + 2,
                      *deltas = starts + 2 * segs, *iros = deltas + 2 * segs;
  for (unsigned i = 0; i < segs; i++) {
    if (cp > be16(ends + 2 * i)) continue;
    if (cp < be16(starts + 2 * i)) return 0;
    assert_int_equal(be16(iros + 2 * i), 0);
    return (cp + be16(deltas + 2 * i)) & 0xFFFF;
  }
  return 0;
}

static void on_error(HPDF_STATUS e, HPDF_STATUS detail, void *user) {
  fail_msg("libharu error 0x%04X (detail %u)", (unsigned)e, (unsigned)detail);
}

/* A document with font `path` loaded (not yet made a font): *name. */
static HPDF_Doc doc_with(const char *path, const char **name) {
  HPDF_Doc doc = HPDF_New(on_error, NULL);
  assert_non_null(doc);
  assert_int_equal(HPDF_UseUTFEncodings(doc), HPDF_OK);
  assert_int_equal(HPDF_SetCompressionMode(doc, HPDF_COMP_ALL), HPDF_OK);
  *name = HPDF_LoadTTFontFromFile(doc, path, HPDF_TRUE);
  assert_non_null(*name);
  return doc;
}

static HPDF_TTF_CmapRange *cmap_of(HPDF_Doc doc, const char *name) {
  HPDF_FontDef def = HPDF_Doc_FindFontDef(doc, name);
  assert_non_null(def);
  return &((HPDF_TTFontDefAttr)def->attr)->cmap;
}

/* ---- the flat map ------------------------------------------------------------ */

/* For every code, GetGlyphid answers the same before and after, our own
 * lookup agrees with it, and a second call changes nothing. */
static void test_fast_cmap_same_glyphs(void **state) {
  uint16_t *before = malloc(65536 * sizeof *before);
  assert_non_null(before);
  for (size_t k = 0; k < NFONTS; k++) {
    const char *name;
    HPDF_Doc doc = doc_with(FONTS[k], &name);
    HPDF_FontDef def = HPDF_Doc_FindFontDef(doc, name);
    HPDF_TTF_CmapRange *c = cmap_of(doc, name);
    assert_true(c->seg_count_x2 > 4);
    unsigned mapped = 0;
    for (unsigned cp = 0; cp <= 0xFFFF; cp++) {
      before[cp] = HPDF_TTFontDef_GetGlyphid(def, (HPDF_UINT16)cp);
      assert_int_equal(vc__hpdf_cmap_gid(c, cp), before[cp]);
      mapped += before[cp] != 0;
    }
    assert_true(mapped > 500); /* a real Unicode map */
    for (int round = 0; round < 2; round++) {
      assert_true(vc__hpdf_fast_cmap(doc, name));
      assert_int_equal(c->seg_count_x2, 4);
      assert_int_equal(c->glyph_id_array_count, 0xFFFF);
      for (unsigned cp = 0; cp <= 0xFFFF; cp++)
        if (HPDF_TTFontDef_GetGlyphid(def, (HPDF_UINT16)cp) != before[cp])
          fail_msg("%s: U+%04X: glyph %u, was %u", FONTS[k], cp,
                   HPDF_TTFontDef_GetGlyphid(def, (HPDF_UINT16)cp), before[cp]);
    }
    /* libharu builds its font over the new map and frees it with its own. */
    HPDF_Font font = HPDF_GetFont(doc, name, "UTF-8");
    assert_non_null(font);
    assert_true(vc__hpdf_font_ok(font));
    HPDF_TTFontDefAttr a = vc__hpdf_tt_attr(font);
    for (unsigned cp = 0; cp <= 0xFFFF; cp++)
      assert_int_equal(vc__hpdf_has_glyph(font, cp),
                       before[cp] != 0 && before[cp] < a->num_glyphs);
    HPDF_Free(doc);
  }
  free(before);
}

/* Odd but legal maps: unsorted segments (the first whose end covers a code
 * decides, as in libharu), a glyph id array with a delta, negative and
 * wrapping deltas, code FFFF mapped. */
static void test_fast_cmap_odd_maps(void **state) {
  const char *name;
  HPDF_Doc doc = doc_with(FONTS[1], &name);
  HPDF_FontDef def = HPDF_Doc_FindFontDef(doc, name);
  HPDF_TTF_CmapRange *c = cmap_of(doc, name);
  HPDF_MMgr mm = def->mmgr;
  HPDF_FreeMem(mm, c->end_count), HPDF_FreeMem(mm, c->start_count);
  HPDF_FreeMem(mm, c->id_delta), HPDF_FreeMem(mm, c->id_range_offset);
  if (c->glyph_id_array) HPDF_FreeMem(mm, c->glyph_id_array);
  enum { S = 5 };
  static const HPDF_UINT16 end[S] = {0x1FF, 0x7F, 0x30FF, 0x4000, 0xFFFF};
  static const HPDF_UINT16 start[S] = {0x100, 0x20, 0x3000, 0x3F00, 0xFFFF};
  static const HPDF_INT16 delta[S] = {-0x100 + 5, 3, 7, -0x3F00, 78};
  /* segment 2: 256 entries from glyph_id_array[0]; idx = iro/2 + cp-start -
   * (5-2), so iro = 6 */
  static const HPDF_UINT16 iro[S] = {0, 0, 6, 0, 0};
  c->end_count = HPDF_GetMem(mm, sizeof end);
  c->start_count = HPDF_GetMem(mm, sizeof start);
  c->id_delta = HPDF_GetMem(mm, sizeof delta);
  c->id_range_offset = HPDF_GetMem(mm, sizeof iro);
  c->glyph_id_array = HPDF_GetMem(mm, 256 * sizeof(HPDF_UINT16));
  memcpy(c->end_count, end, sizeof end);
  memcpy(c->start_count, start, sizeof start);
  memcpy(c->id_delta, delta, sizeof delta);
  memcpy(c->id_range_offset, iro, sizeof iro);
  for (unsigned i = 0; i < 256; i++) c->glyph_id_array[i] = (HPDF_UINT16)(i * 3 % 50);
  c->glyph_id_array_count = 256;
  c->seg_count_x2 = 2 * S;
  uint16_t *before = malloc(65536 * sizeof *before);
  assert_non_null(before);
  for (unsigned cp = 0; cp <= 0xFFFF; cp++) {
    before[cp] = HPDF_TTFontDef_GetGlyphid(def, (HPDF_UINT16)cp);
    assert_int_equal(vc__hpdf_cmap_gid(c, cp), before[cp]);
  }
  assert_int_equal(before[0x41], 0);           /* hidden by segment 0 */
  assert_int_equal(before[0x105], 10);         /* 0x105 - 0x100 + 5 */
  assert_int_equal(before[0x3002], 6 + 7);     /* array entry 2, plus delta */
  assert_int_equal(before[0x3F01], 1);         /* negative delta */
  assert_int_equal(before[0xFFFF], 77);        /* wraps: FFFF + 78 */
  assert_true(vc__hpdf_fast_cmap(doc, name));
  for (unsigned cp = 0; cp <= 0xFFFF; cp++)
    assert_int_equal(HPDF_TTFontDef_GetGlyphid(def, (HPDF_UINT16)cp), before[cp]);
  free(before);
  HPDF_Free(doc);
}

/* ---- the font program ----------------------------------------------------- */

/* Slimming the original file of a font: same glyph data, metrics of the
 * glyphs kept, 'post' header, a 'cmap' with exactly the pairs. */
static void test_sfnt_slim_tables(void **state) {
  size_t n;
  unsigned char *in = slurp(FONTS[1], &n);
  const char *name;
  HPDF_Doc doc = doc_with(FONTS[1], &name);
  HPDF_TTF_CmapRange *c = cmap_of(doc, name);
  unsigned ng = be16(table(in, n, "maxp", &(uint32_t){0}) + 4);
  uint8_t *used = calloc(ng, 1);
  vc_sfnt_map_t map[64];
  size_t nmap = 0;
  static const uint16_t cps[] = {' ', 'A', 'B', 'C', 'N', 'g', 0xE0, 0x1EA0, 0x1EEA};
  used[0] = 1;
  for (size_t i = 0; i < sizeof cps / sizeof *cps; i++) {
    map[nmap] = (vc_sfnt_map_t){cps[i], vc__hpdf_cmap_gid(c, cps[i])};
    assert_true(map[nmap].gid > 0 && map[nmap].gid < ng);
    used[map[nmap++].gid] = 1;
  }
  size_t m;
  unsigned char *out = vc__sfnt_slim(in, n, used, ng, map, nmap, &m);
  assert_non_null(out);
  assert_true(m < n);
  check_sfnt(out, m);
  assert_int_equal(be16(out + 4), be16(in + 4));
  uint32_t li, lo;
  const unsigned char *ti, *to;
  /* Tables other than these three are the same bytes. */
  for (unsigned i = 0; i < be16(in + 4); i++) {
    char tag[5] = {0};
    memcpy(tag, in + 12 + 16 * i, 4);
    ti = table(in, n, tag, &li);
    to = table(out, m, tag, &lo);
    assert_non_null(to);
    if (!strcmp(tag, "post") || !strcmp(tag, "hmtx") || !strcmp(tag, "cmap"))
      continue;
    assert_int_equal(li, lo);
    if (!strcmp(tag, "head")) /* but checkSumAdjustment */
      assert_memory_equal(ti + 12, to + 12, li - 12);
    else
      assert_memory_equal(ti, to, li);
  }
  ti = table(in, n, "post", &li), to = table(out, m, "post", &lo);
  assert_int_equal(lo, 32);
  assert_int_equal(be32(to), 0x00030000);
  assert_memory_equal(ti + 4, to + 4, 28);
  unsigned nhm = be16(table(in, n, "hhea", &li) + 34);
  ti = table(in, n, "hmtx", &li), to = table(out, m, "hmtx", &lo);
  assert_int_equal(li, lo);
  for (unsigned g = 0; g < ng; g++) {
    size_t at = g < nhm ? 4 * g : 4 * nhm + 2 * (g - nhm), w = g < nhm ? 4 : 2;
    if (used[g]) {
      assert_memory_equal(ti + at, to + at, w);
    } else if (g + 1 == nhm) { /* its advance serves the glyphs after it */
      assert_memory_equal(ti + at, to + at, 2);
      assert_int_equal(be16(to + at + 2), 0);
    } else {
      for (size_t k = 0; k < w; k++) assert_int_equal(to[at + k], 0);
    }
  }
  to = table(out, m, "cmap", &lo);
  for (unsigned cp = 0; cp <= 0xFFFF; cp++) {
    unsigned want = 0;
    for (size_t i = 0; i < nmap; i++)
      if (map[i].code == cp) want = map[i].gid;
    assert_int_equal(cmap4_gid(to, lo, cp), want);
  }
  /* fontTools (what pdf_glyphs.py uses) reads every table. */
  char path[128], *o;
  snprintf(path, sizeof path, "%s/slim.ttf", test_dir);
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(out, 1, m, f), m);
  fclose(f);
  int rc = sh(&o, "/usr/bin/python3 -c 'import sys\nfrom fontTools.ttLib import TTFont\n"
                  "f = TTFont(sys.argv[1])\n[f[t] for t in f.keys()]\n"
                  "print(len(f.getBestCmap()), f[\"post\"].formatType)' '%s' 2>&1",
              path);
  assert_int_equal(rc, 0);
  assert_string_equal(o, "9 3.0\n");
  free(o);
  free(out);
  /* No map: 'cmap' kept as it was. */
  out = vc__sfnt_slim(in, n, used, ng, NULL, 0, &m);
  assert_non_null(out);
  check_sfnt(out, m);
  ti = table(in, n, "cmap", &li), to = table(out, m, "cmap", &lo);
  assert_int_equal(li, lo);
  assert_memory_equal(ti, to, li);
  free(out);
  free(used);
  free(in);
  HPDF_Free(doc);
}

/* Damaged or unexpected programs are refused (NULL), never read past. */
static void test_sfnt_slim_refuses(void **state) {
  size_t n, m;
  unsigned char *in = slurp(FONTS[0], &n);
  unsigned ng = be16(table(in, n, "maxp", &(uint32_t){0}) + 4);
  uint8_t *used = calloc(ng + 1, 1);
  assert_null(vc__sfnt_slim(NULL, 0, used, ng, NULL, 0, &m));
  for (size_t cut = 0; cut < 400; cut += 7) /* directory cut short */
    assert_null(vc__sfnt_slim(in, cut, used, ng, NULL, 0, &m));
  assert_null(vc__sfnt_slim(in, n, used, ng + 1, NULL, 0, &m)); /* count */
  assert_null(vc__sfnt_slim(in, n, NULL, ng, NULL, 0, &m));
  unsigned char *bad = malloc(n);
  assert_non_null(bad);
  for (unsigned i = 0; i < be16(in + 4); i++) { /* a table past the end */
    memcpy(bad, in, n);
    bad[12 + 16 * i + 12] = 0x7F;
    assert_null(vc__sfnt_slim(bad, n, used, ng, NULL, 0, &m));
  }
  memcpy(bad, in, n); /* too many tables */
  bad[4] = 0x10;
  assert_null(vc__sfnt_slim(bad, n, used, ng, NULL, 0, &m));
  free(bad);
  free(used);
  free(in);
}

/* ---- the whole font, in a document ---------------------------------------- */

/* Size of b deflated as libharu does (zlib's default level). */
static size_t deflated(const unsigned char *b, size_t n) {
  uLongf cap = compressBound(n);
  unsigned char *z = malloc(cap);
  assert_non_null(z);
  assert_int_equal(compress2(z, &cap, b, n, Z_DEFAULT_COMPRESSION), Z_OK);
  free(z);
  return cap;
}

static unsigned char *stream_bytes(HPDF_Stream s, size_t *len) {
  *len = s->size;
  unsigned char *b = malloc(s->size + 1), *p = b;
  assert_non_null(b);
  for (HPDF_UINT i = 0; i < HPDF_MemStream_GetBufCount(s); i++) {
    HPDF_UINT k;
    HPDF_BYTE *part = HPDF_MemStream_GetBufPtr(s, i, &k);
    memcpy(p, part, k);
    p += k;
  }
  assert_int_equal((size_t)(p - b), *len);
  return b;
}

/* A document drawing VI in font k, repairs applied up to (not) slimming. */
static HPDF_Font draw_vi(size_t k, HPDF_Doc *doc, uint8_t *used) {
  const char *name;
  *doc = doc_with(FONTS[k], &name);
  assert_true(vc__hpdf_fast_cmap(*doc, name));
  HPDF_Font font = HPDF_GetFont(*doc, name, "UTF-8");
  HPDF_Page pg = HPDF_AddPage(*doc);
  assert_int_equal(HPDF_Page_BeginText(pg), HPDF_OK);
  assert_int_equal(HPDF_Page_SetFontAndSize(pg, font, 12), HPDF_OK);
  assert_int_equal(HPDF_Page_MoveTextPos(pg, 40, 400), HPDF_OK);
  assert_int_equal(HPDF_Page_ShowText(pg, VI), HPDF_OK);
  assert_int_equal(HPDF_Page_EndText(pg), HPDF_OK);
  memset(used, 0, VC_CP_BITMAP_BYTES);
  for (const unsigned char *s = (const unsigned char *)VI; *s;) {
    unsigned cp = *s++;
    if (cp >= 0xE0) cp = (cp & 0x0F) << 12 | (s[0] & 0x3F) << 6 | (s[1] & 0x3F), s += 2;
    else if (cp >= 0xC0) cp = (cp & 0x1F) << 6 | (s[0] & 0x3F), s++;
    used[cp >> 3] |= (uint8_t)(1u << (cp & 7));
  }
  vc_diag_t *d = vc_diag_create();
  assert_true(vc__hpdf_mark_components(font, "t", NULL, d));
  assert_true(vc__hpdf_write_tounicode(font, used, "t", d));
  assert_int_equal(vc_diag_count(d), 0);
  vc_diag_free(d);
  return font;
}

/* /W, the map and the program after slimming, against libharu's own. */
static void test_slim_font_objects(void **state) {
  static uint8_t used[VC_CP_BITMAP_BYTES];
  for (size_t k = 0; k < NFONTS; k++) {
    HPDF_Doc ref_doc, doc;
    HPDF_Font ref = draw_vi(k, &ref_doc, used);
    HPDF_Font font = draw_vi(k, &doc, used);
    HPDF_FontAttr fa = font->attr;
    HPDF_FontDef def = fa->fontdef;
    vc_diag_t *d = vc_diag_create();
    for (int round = 0; round < 2; round++) /* the second changes nothing */
      assert_true(vc__hpdf_slim_font(font, used, "t", d));
    assert_int_equal(vc_diag_count(d), 0);
    vc_diag_free(d);
    /* /W: the drawn codes whose width is not /DW, each with its width. */
    HPDF_Array w = HPDF_Dict_GetItem(fa->descendant_font, "W", HPDF_OCLASS_ARRAY);
    assert_non_null(w);
    unsigned listed = 0, top = 0;
    for (HPDF_UINT i = 0; i + 1 < HPDF_Array_Items(w); i += 2) {
      HPDF_Number c0 = HPDF_Array_GetItem(w, i, HPDF_OCLASS_NUMBER);
      HPDF_Array ws = HPDF_Array_GetItem(w, i + 1, HPDF_OCLASS_ARRAY);
      assert_true(c0 && ws);
      for (HPDF_UINT j = 0; j < HPDF_Array_Items(ws); j++) {
        unsigned cp = (unsigned)c0->value + j;
        HPDF_Number wn = HPDF_Array_GetItem(ws, j, HPDF_OCLASS_NUMBER);
        assert_true((used[cp >> 3] >> (cp & 7)) & 1);
        assert_int_equal(wn->value,
                         HPDF_TTFontDef_GetCharWidth(def, (HPDF_UINT16)cp));
        assert_int_not_equal(wn->value, def->missing_width);
        listed++;
      }
    }
    unsigned drawn = 0, at_dw = 0;
    for (unsigned cp = 0; cp <= 0xFFFF; cp++)
      if ((used[cp >> 3] >> (cp & 7)) & 1) {
        drawn++, top = cp;
        at_dw += HPDF_TTFontDef_GetCharWidth(def, (HPDF_UINT16)cp) ==
                 def->missing_width;
      }
    assert_int_equal(listed + at_dw, drawn);
    /* The map: up to the highest code drawn, libharu's glyphs for those. */
    size_t ml, rl;
    unsigned char *m = stream_bytes(fa->map_stream->stream, &ml);
    unsigned char *r =
        stream_bytes(((HPDF_FontAttr)ref->attr)->map_stream->stream, &rl);
    assert_int_equal(ml, 2 * (top + 1));
    assert_int_equal(rl, 2 * 0xFFFF);
    for (unsigned cp = 0; cp <= top; cp++) {
      bool on = (used[cp >> 3] >> (cp & 7)) & 1;
      unsigned g = be16(m + 2 * cp);
      assert_int_equal(g, on ? be16(r + 2 * cp) : 0);
      if (on) assert_int_not_equal(g, 0);
    }
    free(m);
    free(r);
    /* The program: libharu's, with 'post', 'hmtx' and 'cmap' slimmed. */
    assert_int_equal(ref->before_write_fn(ref), HPDF_OK);
    HPDF_Dict ff = HPDF_Dict_GetItem(def->descriptor, "FontFile2", HPDF_OCLASS_DICT);
    HPDF_Dict rff = HPDF_Dict_GetItem(((HPDF_FontAttr)ref->attr)->fontdef->descriptor,
                                      "FontFile2", HPDF_OCLASS_DICT);
    unsigned char *p = stream_bytes(ff->stream, &ml);
    unsigned char *q = stream_bytes(rff->stream, &rl);
    HPDF_Number len1 = HPDF_Dict_GetItem(ff, "Length1", HPDF_OCLASS_NUMBER);
    assert_int_equal(len1->value, ml);
    /* deflated as in the file: about a quarter of libharu's */
    if (deflated(p, ml) * 2 > deflated(q, rl))
      fail_msg("%s: font program %zu bytes deflated, libharu's %zu", FONTS[k],
               deflated(p, ml), deflated(q, rl));
    check_sfnt(p, ml);
    static const char *const same[] = {"glyf", "loca", "name", "OS/2", "fpgm",
                                       "prep", "cvt ", "maxp", "hhea"};
    for (size_t i = 0; i < sizeof same / sizeof *same; i++) {
      uint32_t a, b;
      const unsigned char *ta = table(p, ml, same[i], &a);
      const unsigned char *tb = table(q, rl, same[i], &b);
      assert_true(ta && tb && a == b);
      assert_memory_equal(ta, tb, a);
    }
    free(p);
    free(q);
    /* Written, it passes every check. */
    char path[128], *o;
    snprintf(path, sizeof path, "%s/slim-%zu.pdf", test_dir, k);
    assert_int_equal(HPDF_SaveToFile(doc, path), HPDF_OK);
    int rc = sh(&o, "/usr/bin/python3 '%s' '%s' 2>&1; pdftotext '%s' - 2>&1; "
                    "pdffonts '%s' 2>&1 >/dev/null; pdftoppm -r 20 '%s' 2>&1 >/dev/null;"
                    " qpdf --check '%s' 2>&1 | grep -c 'No syntax'",
                g_tool, path, path, path, path, path);
    if (!strstr(o, "1 embedded TrueType fonts checked") || !strstr(o, VI) ||
        !strstr(o, "complete\n" /* pdf_glyphs */) || rc != 0)
      fail_msg("%s: %s", FONTS[k], o);
    char *after = strstr(o, VI) + strlen(VI);
    after += strspn(after, "\n\f");
    assert_string_equal(after, "1\n"); /* nothing from poppler, qpdf ok */
    free(o);
    HPDF_Free(ref_doc);
    HPDF_Free(doc);
  }
}

/* Through the writer: a font loaded but never drawn, a second save of the
 * same document, and the size a one-page certificate comes to. */
static void test_pdf_small_and_stable(void **state) {
  vc_diag_t *d = vc_diag_create();
  vc_pdf_t *p = vc_pdf_create("Giấy khen", d);
  int f = vc_pdf_font(p, FONTS[0], 0), unused = vc_pdf_font(p, FONTS[2], 0);
  assert_true(f >= 0 && unused >= 0);
  assert_true(vc_pdf_page(p, 841.89, 595.28));
  assert_true(vc_pdf_text(p, f, 24, 0, 0, 0, 60, 400, VI, strlen(VI)));
  unsigned char *a, *b;
  size_t na, nb;
  assert_true(vc_pdf_save_mem(p, &a, &na));
  assert_true(vc_pdf_save_mem(p, &b, &nb));
  assert_int_equal(vc_diag_count(d), 0);
  assert_int_equal(na, nb);
  assert_memory_equal(a, b, na);
  char path[128], *o;
  snprintf(path, sizeof path, "%s/small.pdf", test_dir);
  FILE *fp = fopen(path, "wb");
  assert_non_null(fp);
  assert_int_equal(fwrite(a, 1, na, fp), na);
  fclose(fp);
  int rc = sh(&o, "/usr/bin/python3 '%s' '%s' >/dev/null 2>&1 && "
                  "pdffonts '%s' 2>&1 >/dev/null && qpdf --check '%s' 2>&1 | "
                  "grep -c 'No syntax'",
              g_tool, path, path, path);
  assert_int_equal(rc, 0);
  assert_string_equal(o, "1\n");
  free(o);
  /* Before: about 50 KB per font whatever was drawn. */
  if (na > 20000) fail_msg("two fonts, one drawn: %zu bytes", na);
  free(a);
  free(b);
  vc_pdf_free(p);
  vc_diag_free(d);
}

/* ---- main ---------------------------------------------------------------------- */

static int setup(void **state) {
  if (test_dir_make("test_slim") != 0) return -1;
  for (size_t k = 0; k < NFONTS; k++)
    if (access(FONTS[k], R_OK) != 0) return -1;
  return test_repo_file(g_tool, sizeof g_tool, "tests/tools/pdf_glyphs.py") ? 0 : -1;
}

int main(void) {
  setlocale(LC_ALL, ""); /* the fr_FR run must reach the code under test */
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_fast_cmap_same_glyphs),
      cmocka_unit_test(test_fast_cmap_odd_maps),
      cmocka_unit_test(test_sfnt_slim_tables),
      cmocka_unit_test(test_sfnt_slim_refuses),
      cmocka_unit_test(test_slim_font_objects),
      cmocka_unit_test(test_pdf_small_and_stable),
  };
  return cmocka_run_group_tests(tests, setup, test_dir_teardown);
}
