/* test_hpdf_abi.c - the parts of libharu 2.3.0's private structures that
 * the repairs read and write (src/render/hpdf-fix.c, hpdf-slim.c,
 * pdf-png.c, pdf-split.c, pdf-draw.c's QR rectangles; pdf-stream.c uses
 * the same): sizes and offsets as
 * 2.3.0 lays them out on LP64 Linux, the constants they compare against,
 * and a live document whose fields must hold what the font file and the
 * calls made put there, so a libhpdf binary that differs from its headers
 * fails here rather than in a PDF. */
#include "testutil.h"

#include <stddef.h>
#include <unistd.h>

#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_font.h>
#include <hpdf_fontdef.h>
#include <hpdf_list.h>
#include <hpdf_mmgr.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>

#include "render/hpdf-fix.h"
#include "render/hpdf-pin.h"

static void test_version(void **st) {
  (void)st;
  /* The headers (checked when compiling, hpdf-pin.h) and the library
   * actually linked must both be 2.3.0. */
  assert_string_equal(HPDF_VERSION_TEXT, VC_HPDF_PINNED_TEXT);
  assert_string_equal(HPDF_GetVersion(), VC_HPDF_PINNED_TEXT);
}

typedef struct {
  const char *what;
  size_t got, want;
} layout_t;

#define SIZE(t, n) {"sizeof " #t, sizeof(t), n}
#define OFF(t, f, n) {"offsetof " #t "." #f, offsetof(t, f), n}

/* Every field the repairs use, with its 2.3.0 offset on LP64 Linux
 * (x86_64, aarch64), and the size of every structure they walk. */
static const layout_t LAYOUT[] = {
    /* objects: headers, proxies, lists, arrays, dicts (pdf-split.c) */
    SIZE(HPDF_Obj_Header, 8),
    OFF(HPDF_Obj_Header, obj_id, 0),
    OFF(HPDF_Obj_Header, gen_no, 4),
    OFF(HPDF_Obj_Header, obj_class, 6),
    SIZE(HPDF_Proxy_Rec, 16),
    OFF(HPDF_Proxy_Rec, header, 0),
    OFF(HPDF_Proxy_Rec, obj, 8),
    SIZE(HPDF_List_Rec, 40),
    OFF(HPDF_List_Rec, count, 24),
    OFF(HPDF_List_Rec, obj, 32),
    SIZE(HPDF_Array_Rec, 32),
    OFF(HPDF_Array_Rec, header, 0),
    OFF(HPDF_Array_Rec, mmgr, 8),
    OFF(HPDF_Array_Rec, list, 24),
    SIZE(HPDF_DictElement_Rec, 136),
    OFF(HPDF_DictElement_Rec, key, 0),
    OFF(HPDF_DictElement_Rec, value, 128),
    SIZE(HPDF_Dict_Rec, 96),
    OFF(HPDF_Dict_Rec, header, 0),
    OFF(HPDF_Dict_Rec, mmgr, 8),
    OFF(HPDF_Dict_Rec, list, 24),
    OFF(HPDF_Dict_Rec, before_write_fn, 32),
    OFF(HPDF_Dict_Rec, write_fn, 40),
    OFF(HPDF_Dict_Rec, after_write_fn, 48),
    OFF(HPDF_Dict_Rec, free_fn, 56),
    OFF(HPDF_Dict_Rec, stream, 64),
    OFF(HPDF_Dict_Rec, attr, 88),
    /* streams (hpdf-slim.c mem_copy, pdf-split.c's callback writer) */
    SIZE(HPDF_Stream_Rec, 88),
    OFF(HPDF_Stream_Rec, type, 4),
    OFF(HPDF_Stream_Rec, size, 24),
    OFF(HPDF_Stream_Rec, attr, 80),
    /* the document and its xref (pdf-split.c, pdf-png.c) */
    SIZE(HPDF_Xref_Rec, 56),
    OFF(HPDF_Xref_Rec, start_offset, 16),
    OFF(HPDF_Xref_Rec, entries, 24),
    OFF(HPDF_Xref_Rec, prev, 40),
    SIZE(HPDF_XrefEntry_Rec, 24),
    OFF(HPDF_XrefEntry_Rec, obj, 16),
    SIZE(HPDF_Doc_Rec, 200),
    OFF(HPDF_Doc_Rec, pdf_version, 4),
    OFF(HPDF_Doc_Rec, mmgr, 8),
    OFF(HPDF_Doc_Rec, catalog, 16),
    OFF(HPDF_Doc_Rec, xref, 32),
    OFF(HPDF_Doc_Rec, page_list, 64),
    OFF(HPDF_Doc_Rec, info, 104),
    /* a page's attributes: its content stream (pdf-draw.c, QR codes) */
    SIZE(HPDF_PageAttr_Rec, 136),
    OFF(HPDF_PageAttr_Rec, gmode, 88),
    OFF(HPDF_PageAttr_Rec, contents, 96),
    OFF(HPDF_PageAttr_Rec, stream, 104),
    /* fonts (hpdf-fix.c, hpdf-slim.c) */
    SIZE(HPDF_FontAttr_Rec, 88),
    OFF(HPDF_FontAttr_Rec, type, 0),
    OFF(HPDF_FontAttr_Rec, fontdef, 24),
    OFF(HPDF_FontAttr_Rec, descendant_font, 64),
    OFF(HPDF_FontAttr_Rec, map_stream, 72),
    OFF(HPDF_FontAttr_Rec, cmap_stream, 80),
    SIZE(HPDF_FontDef_Rec, 256),
    OFF(HPDF_FontDef_Rec, sig_bytes, 0),
    OFF(HPDF_FontDef_Rec, mmgr, 136),
    OFF(HPDF_FontDef_Rec, type, 152),
    OFF(HPDF_FontDef_Rec, missing_width, 216),
    OFF(HPDF_FontDef_Rec, descriptor, 224),
    OFF(HPDF_FontDef_Rec, attr, 248),
    SIZE(HPDF_TTF_CmapRange, 72),
    OFF(HPDF_TTF_CmapRange, format, 0),
    OFF(HPDF_TTF_CmapRange, seg_count_x2, 6),
    OFF(HPDF_TTF_CmapRange, search_range, 8),
    OFF(HPDF_TTF_CmapRange, entry_selector, 10),
    OFF(HPDF_TTF_CmapRange, range_shift, 12),
    OFF(HPDF_TTF_CmapRange, end_count, 16),
    OFF(HPDF_TTF_CmapRange, start_count, 32),
    OFF(HPDF_TTF_CmapRange, id_delta, 40),
    OFF(HPDF_TTF_CmapRange, id_range_offset, 48),
    OFF(HPDF_TTF_CmapRange, glyph_id_array, 56),
    OFF(HPDF_TTF_CmapRange, glyph_id_array_count, 64),
    SIZE(HPDF_TTF_GryphOffsets, 24),
    OFF(HPDF_TTF_GryphOffsets, base_offset, 0),
    OFF(HPDF_TTF_GryphOffsets, offsets, 8),
    OFF(HPDF_TTF_GryphOffsets, flgs, 16),
    SIZE(HPDF_TTF_FontHeader, 56),
    OFF(HPDF_TTF_FontHeader, index_to_loc_format, 50),
    SIZE(HPDF_TTFTable, 16),
    OFF(HPDF_TTFTable, tag, 0),
    OFF(HPDF_TTFTable, length, 12),
    SIZE(HPDF_TTF_OffsetTbl, 24),
    OFF(HPDF_TTF_OffsetTbl, num_tables, 4),
    OFF(HPDF_TTF_OffsetTbl, table, 16),
    SIZE(HPDF_TTFontDefAttr_Rec, 432),
    OFF(HPDF_TTFontDefAttr_Rec, header, 168),
    OFF(HPDF_TTFontDefAttr_Rec, glyph_tbl, 224),
    OFF(HPDF_TTFontDefAttr_Rec, num_glyphs, 248),
    OFF(HPDF_TTFontDefAttr_Rec, offset_tbl, 288),
    OFF(HPDF_TTFontDefAttr_Rec, cmap, 312),
    OFF(HPDF_TTFontDefAttr_Rec, embedding, 412),
    OFF(HPDF_TTFontDefAttr_Rec, stream, 424),
};

static void test_layout(void **st) {
  (void)st;
#if __SIZEOF_POINTER__ != 8 || __SIZEOF_INT__ != 4 || !defined(__linux__)
  fprintf(stderr, "(the layout table is for LP64 Linux: skipped here; the "
                  "live document test still runs)\n");
  skip();
#endif
  int bad = 0;
  for (size_t i = 0; i < sizeof LAYOUT / sizeof *LAYOUT; i++)
    if (LAYOUT[i].got != LAYOUT[i].want) {
      fprintf(stderr, "%s is %zu, libharu 2.3.0 has %zu\n", LAYOUT[i].what,
              LAYOUT[i].got, LAYOUT[i].want);
      bad++;
    }
  assert_int_equal(bad, 0);
}

static void test_constants(void **st) {
  (void)st;
  /* Values the repairs compare object headers and fonts against. */
  assert_int_equal(HPDF_OTYPE_INDIRECT, 0x40000000);
  assert_int_equal(HPDF_OTYPE_HIDDEN, 0x10000000);
  assert_int_equal(HPDF_OCLASS_ANY, 0xFF);
  assert_int_equal(HPDF_OCLASS_ARRAY, 0x10);
  assert_int_equal(HPDF_OCLASS_DICT, 0x11);
  assert_int_equal(HPDF_OCLASS_PROXY, 0x12);
  assert_int_equal(HPDF_OSUBCLASS_FONT, 0x100);
  assert_int_equal(HPDF_OSUBCLASS_CATALOG, 0x200);
  assert_int_equal(HPDF_OSUBCLASS_PAGES, 0x300);
  assert_int_equal(HPDF_OSUBCLASS_PAGE, 0x400);
  assert_int_equal(HPDF_FONTDEF_SIG_BYTES, 0x464F4E54);
  assert_int_equal(HPDF_FONT_TYPE0_TT, 4);
  assert_int_equal(HPDF_FONTDEF_TYPE_TRUETYPE, 1);
  assert_int_equal(HPDF_STREAM_MEMORY, 3);
  assert_int_equal(HPDF_LIMIT_MAX_NAME_LEN, 127);
}

/* ---- a live document ---- */

static const char FONT[] = "fonts/NotoSerif/NotoSerif-Regular.ttf";

static unsigned be16(const unsigned char *b) { return (unsigned)(b[0] << 8 | b[1]); }
static unsigned long be32(const unsigned char *b) {
  return (unsigned long)b[0] << 24 | (unsigned long)b[1] << 16 |
         (unsigned long)b[2] << 8 | b[3];
}

/* What the font file itself says: table count, glyph count, loca format
 * and where glyf starts. */
typedef struct {
  unsigned ntables, nglyphs, loca_format;
  unsigned long glyf_off;
} font_facts_t;

static void read_facts(font_facts_t *ff) {
  FILE *f = fopen(FONT, "rb");
  assert_non_null(f);
  static unsigned char b[1 << 16];
  size_t n = fread(b, 1, sizeof b, f);
  fclose(f);
  assert_true(n > 12);
  memset(ff, 0, sizeof *ff);
  ff->ntables = be16(b + 4);
  unsigned long head = 0, maxp = 0;
  for (unsigned i = 0; i < ff->ntables && 12 + 16 * (i + 1) <= n; i++) {
    const unsigned char *e = b + 12 + 16 * i;
    if (!memcmp(e, "glyf", 4)) ff->glyf_off = be32(e + 8);
    if (!memcmp(e, "head", 4)) head = be32(e + 8);
    if (!memcmp(e, "maxp", 4)) maxp = be32(e + 8);
  }
  assert_true(head && head + 54 <= n && maxp && maxp + 6 <= n && ff->glyf_off);
  ff->loca_format = be16(b + head + 50);
  ff->nglyphs = be16(b + maxp + 4);
}

static void on_error(HPDF_STATUS e, HPDF_STATUS detail, void *ud) {
  (void)ud;
  fprintf(stderr, "libharu error %#lx (%lu)\n", (unsigned long)e,
          (unsigned long)detail);
}

/* The value of key in dict d, from its element list (as pdf-split.c reads
 * it). */
static void *dict_value(HPDF_Dict d, const char *key) {
  for (HPDF_UINT i = 0; i < d->list->count; i++) {
    HPDF_DictElement e = d->list->obj[i];
    if (!strcmp(e->key, key)) return e->value;
  }
  return NULL;
}

static void test_live_document(void **st) {
  (void)st;
  if (access(FONT, R_OK) != 0) {
    fprintf(stderr, "(%s missing: run from the repository)\n", FONT);
    skip();
  }
  font_facts_t ff;
  read_facts(&ff);
  HPDF_Doc doc = HPDF_New(on_error, NULL);
  assert_non_null(doc);
  assert_int_equal(HPDF_UseUTFEncodings(doc), HPDF_OK);
  assert_int_equal(HPDF_SetInfoAttr(doc, HPDF_INFO_CREATOR, "vncert"), HPDF_OK);
  const char *name = HPDF_LoadTTFontFromFile(doc, FONT, HPDF_TRUE);
  assert_non_null(name);
  HPDF_Font font = HPDF_GetFont(doc, name, "UTF-8");
  assert_non_null(font);
  HPDF_Page p1 = HPDF_AddPage(doc), p2 = HPDF_AddPage(doc);
  assert_non_null(p1);
  assert_non_null(p2);

  /* The document: version, page list, xref, info. */
  assert_int_equal(doc->pdf_version, HPDF_VER_13);
  assert_ptr_equal(doc->mmgr, font->mmgr);
  assert_int_equal(doc->page_list->count, 2);
  assert_ptr_equal(HPDF_List_ItemAt(doc->page_list, 0), p1);
  assert_ptr_equal(doc->page_list->obj[1], p2);
  HPDF_Xref x = doc->xref;
  assert_null(x->prev);
  assert_int_equal(x->start_offset, 0);
  assert_true(x->entries->count > 5);
  for (HPDF_UINT i = 1; i < x->entries->count; i++) {
    HPDF_XrefEntry e = HPDF_Xref_GetEntry(x, i);
    const HPDF_Obj_Header *h = e->obj;
    assert_non_null(h);
    assert_int_equal(h->obj_id & 0x00FFFFFFu, i);
    assert_true(h->obj_id & HPDF_OTYPE_INDIRECT);
    assert_int_equal(h->gen_no, 0);
  }
  assert_non_null(doc->info);
  assert_int_equal(doc->info->header.obj_class & HPDF_OCLASS_ANY, HPDF_OCLASS_DICT);
  assert_int_equal(doc->catalog->header.obj_class & 0xFF00u, HPDF_OSUBCLASS_CATALOG);

  /* A page dict: its /Parent is a proxy to the Pages node, /MediaBox a
   * direct array of 4 numbers, the dict's mmgr the document's. */
  HPDF_Dict page = p1;
  assert_int_equal(page->header.obj_class & 0xFF00u, HPDF_OSUBCLASS_PAGE);
  assert_ptr_equal(page->mmgr, doc->mmgr);
  const HPDF_Obj_Header *parent = dict_value(page, "Parent");
  assert_non_null(parent);
  assert_int_equal(parent->obj_class & HPDF_OCLASS_ANY, HPDF_OCLASS_PROXY);
  const HPDF_Obj_Header *pages = ((HPDF_Proxy)parent)->obj;
  assert_int_equal(pages->obj_class & 0xFF00u, HPDF_OSUBCLASS_PAGES);
  HPDF_Array box = dict_value(page, "MediaBox");
  assert_non_null(box);
  assert_int_equal(box->header.obj_class & HPDF_OCLASS_ANY, HPDF_OCLASS_ARRAY);
  assert_int_equal(box->list->count, 4);
  assert_ptr_equal(box->mmgr, doc->mmgr);

  /* The page's content stream: the one HPDF_Page_Rectangle appends to, and
   * the stream of its /Contents dict; what pdf-draw.c appends after it is
   * written as it is. */
  HPDF_Stream cs = vc__hpdf_page_stream(p1);
  assert_non_null(cs);
  assert_ptr_equal(cs, ((HPDF_PageAttr)page->attr)->stream);
  assert_ptr_equal(cs, ((HPDF_PageAttr)page->attr)->contents->stream);
  assert_null(vc__hpdf_page_stream(doc->catalog));
  HPDF_UINT32 before = cs->size;
  assert_int_equal(HPDF_Page_Rectangle(p1, 1, 2, 30, 4), HPDF_OK);
  assert_int_equal(HPDF_Page_GetGMode(p1), HPDF_GMODE_PATH_OBJECT);
  assert_int_equal(((HPDF_PageAttr)page->attr)->gmode, HPDF_GMODE_PATH_OBJECT);
  assert_int_equal(cs->size, before + strlen("1 2 30 4 re\n"));
  assert_int_equal(HPDF_Stream_Write(cs, (const HPDF_BYTE *)"5 6 7 8 re\n", 11), HPDF_OK);
  assert_int_equal(HPDF_Page_Fill(p1), HPDF_OK);
  assert_int_equal(HPDF_Page_GetGMode(p1), HPDF_GMODE_PAGE_DESCRIPTION);
  assert_int_equal(cs->size, before + strlen("1 2 30 4 re\n5 6 7 8 re\nf\n"));
  char got[64] = {0};
  HPDF_UINT n = (HPDF_UINT)(cs->size - before);
  assert_int_equal(HPDF_Stream_Seek(cs, (HPDF_INT)before, HPDF_SEEK_SET), HPDF_OK);
  assert_int_equal(HPDF_Stream_Read(cs, (HPDF_BYTE *)got, &n), HPDF_OK);
  assert_string_equal(got, "1 2 30 4 re\n5 6 7 8 re\nf\n");

  /* The font: Type0 over a TrueType definition holding what the file says. */
  assert_int_equal(font->header.obj_class & 0xFF00u, HPDF_OSUBCLASS_FONT);
  assert_non_null(font->before_write_fn);
  HPDF_FontAttr fa = font->attr;
  assert_int_equal(fa->type, HPDF_FONT_TYPE0_TT);
  assert_non_null(fa->descendant_font);
  assert_non_null(fa->map_stream);
  assert_int_equal(fa->map_stream->stream->type, HPDF_STREAM_MEMORY);
  /* CIDToGIDMap: two bytes for each of the codes 0000-FFFE. */
  assert_int_equal(fa->map_stream->stream->size, 2 * 65535);
  assert_non_null(fa->cmap_stream);
  assert_int_equal(fa->cmap_stream->stream->type, HPDF_STREAM_MEMORY);
  HPDF_FontDef def = fa->fontdef;
  assert_ptr_equal(def, HPDF_Doc_FindFontDef(doc, name));
  assert_int_equal(def->sig_bytes, HPDF_FONTDEF_SIG_BYTES);
  assert_int_equal(def->type, HPDF_FONTDEF_TYPE_TRUETYPE);
  assert_ptr_equal(def->mmgr, doc->mmgr);
  assert_null(def->descriptor); /* made by the before-write function */
  assert_int_equal(def->missing_width,
                   HPDF_TTFontDef_GetGidWidth(def, 0)); /* .notdef's */
  HPDF_TTFontDefAttr a = def->attr;
  assert_int_equal(a->num_glyphs, ff.nglyphs);
  assert_int_equal(a->offset_tbl.num_tables, ff.ntables);
  bool glyf = false;
  for (unsigned i = 0; i < a->offset_tbl.num_tables; i++)
    if (!memcmp(a->offset_tbl.table[i].tag, "glyf", 4)) {
      glyf = true;
      assert_true(a->offset_tbl.table[i].length > 0);
    }
  assert_true(glyf);
  assert_int_equal(a->glyph_tbl.base_offset, ff.glyf_off);
  assert_int_equal(a->header.index_to_loc_format, (int)ff.loca_format);
  assert_non_null(a->glyph_tbl.offsets);
  assert_non_null(a->glyph_tbl.flgs);
  assert_int_equal(a->glyph_tbl.flgs[0], 1); /* .notdef always embedded */
  assert_true(a->embedding);
  assert_non_null(a->stream);
  const HPDF_TTF_CmapRange *c = &a->cmap;
  assert_int_equal(c->format, 4);
  assert_true(c->seg_count_x2 >= 2 && c->seg_count_x2 % 2 == 0);
  assert_non_null(c->end_count);
  assert_non_null(c->start_count);
  assert_non_null(c->id_delta);
  assert_non_null(c->id_range_offset);
  assert_int_equal(c->end_count[c->seg_count_x2 / 2 - 1], 0xFFFF);
  /* 'A' maps to the glyph libharu itself looks up. */
  assert_int_equal(HPDF_TTFontDef_GetGlyphid(def, 'A') != 0, 1);

  /* A memory stream's size field follows what is written. */
  HPDF_Stream s = HPDF_MemStream_New(doc->mmgr, 64);
  assert_non_null(s);
  assert_int_equal(HPDF_Stream_Write(s, (const HPDF_BYTE *)"abcdef", 6), HPDF_OK);
  assert_int_equal(s->size, 6);
  assert_int_equal(s->type, HPDF_STREAM_MEMORY);
  HPDF_Stream_Free(s);
  HPDF_Free(doc);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_version),
      cmocka_unit_test(test_layout),
      cmocka_unit_test(test_constants),
      cmocka_unit_test(test_live_document),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
