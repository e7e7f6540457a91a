/*
 * hpdf-fix.c - repairs of libharu 2.3.0 that need its internal structures,
 * and the checks of image files done before anything reads them (see
 * hpdf-fix.h; PNG files in pdf-png.c).
 *
 * Structures used (installed headers of the same 2.3.0 build):
 *   HPDF_Font (a dict) -> attr (HPDF_FontAttr) -> fontdef -> attr
 *   (HPDF_TTFontDefAttr): glyph_tbl.flgs[] decides which glyphs the subsetter
 *   copies at save time (RecreateGLYF copies glyph i when flgs[i] == 1 and
 *   keeps every glyph id), glyph_tbl.offsets[] is the loca table,
 *   glyph_tbl.base_offset the file offset of glyf, stream the open font file.
 *   FontAttr.cmap_stream is the stream libharu attached as /ToUnicode when it
 *   created the font; nothing rewrites it later, so replacing its content
 *   before saving is what gets written.
 *   HPDF_Page (a dict) -> attr (HPDF_PageAttr) -> stream: the page's
 *   content stream, where HPDF_Page_Rectangle and the other operators
 *   append their bytes.
 */
#include "core/i18n.h"
#include "render/hpdf-fix.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <hpdf_doc.h>
#include <hpdf_font.h>
#include <hpdf_fontdef.h>
#include <hpdf_objects.h>
#include <hpdf_pages.h>
#include <hpdf_streams.h>

#include "core/mem.h"

HPDF_TTFontDefAttr vc__hpdf_tt_attr(HPDF_Font font) {
  if (!font || !font->attr) return NULL;
  HPDF_FontAttr fa = (HPDF_FontAttr)font->attr;
  if (fa->type != HPDF_FONT_TYPE0_TT) return NULL;
  HPDF_FontDef def = fa->fontdef;
  if (!def || def->sig_bytes != HPDF_FONTDEF_SIG_BYTES ||
      def->type != HPDF_FONTDEF_TYPE_TRUETYPE || !def->attr)
    return NULL;
  return (HPDF_TTFontDefAttr)def->attr;
}

static bool each_ref(void *v, const char *skip, vc_hpdf_ref_fn fn, void *ctx,
                     int depth) {
  const HPDF_Obj_Header *h = v;
  if (!v || (h->obj_id & HPDF_OTYPE_HIDDEN)) return true;
  if (depth > 32) return false;
  switch (h->obj_class & HPDF_OCLASS_ANY) {
  case HPDF_OCLASS_PROXY:
    return fn(((HPDF_Proxy)v)->obj, ctx);
  case HPDF_OCLASS_ARRAY: {
    HPDF_List l = ((HPDF_Array)v)->list;
    for (HPDF_UINT i = 0; i < l->count; i++)
      if (!each_ref(l->obj[i], NULL, fn, ctx, depth + 1)) return false;
    return true;
  }
  case HPDF_OCLASS_DICT: {
    HPDF_List l = ((HPDF_Dict)v)->list;
    for (HPDF_UINT i = 0; i < l->count; i++) {
      HPDF_DictElement e = l->obj[i];
      if (skip && !strcmp(e->key, skip)) continue;
      if (!each_ref(e->value, NULL, fn, ctx, depth + 1)) return false;
    }
    return true;
  }
  default:
    return true;
  }
}

bool vc__hpdf_each_ref(void *v, const char *skip, vc_hpdf_ref_fn fn, void *ctx) {
  return each_ref(v, skip, fn, ctx, 0);
}

HPDF_Stream vc__hpdf_page_stream(HPDF_Page page) {
  const HPDF_Obj_Header *h = (const HPDF_Obj_Header *)page;
  if (!page || (h->obj_class & HPDF_OCLASS_ANY) != HPDF_OCLASS_DICT ||
      (h->obj_class & 0xFF00u) != HPDF_OSUBCLASS_PAGE || !page->attr)
    return NULL;
  return ((HPDF_PageAttr)page->attr)->stream;
}

bool vc__hpdf_prepare_fonts(HPDF_Doc doc) {
  HPDF_Xref x = doc->xref;
  for (HPDF_UINT i = 1; i < x->entries->count; i++) {
    HPDF_XrefEntry e = HPDF_Xref_GetEntry(x, i);
    const HPDF_Obj_Header *h = e->obj;
    if (!h || (h->obj_class & HPDF_OCLASS_ANY) != HPDF_OCLASS_DICT ||
        (h->obj_class & 0xFF00u) != HPDF_OSUBCLASS_FONT)
      continue;
    HPDF_Dict f = e->obj;
    if (f->before_write_fn && f->before_write_fn(f) != HPDF_OK) return false;
  }
  return true;
}

bool vc__hpdf_font_ok(HPDF_Font font) {
  HPDF_TTFontDefAttr a = vc__hpdf_tt_attr(font);
  return a && a->cmap.format == 4 && a->cmap.seg_count_x2 >= 2 &&
         a->glyph_tbl.flgs && a->glyph_tbl.offsets && a->num_glyphs > 0;
}

bool vc__hpdf_has_glyph(HPDF_Font font, uint32_t cp) {
  HPDF_TTFontDefAttr a = vc__hpdf_tt_attr(font);
  if (!a || cp > 0xFFFF) return false;
  const HPDF_TTF_CmapRange *c = &a->cmap;
  unsigned gid = 0;
  if (c->format == 0) {
    /* libharu masks the code to 8 bits: only Latin-1 is really covered. */
    if (cp > 0xFF || !c->glyph_id_array) return false;
    gid = c->glyph_id_array[cp];
  } else {
    gid = vc__hpdf_cmap_gid(c, cp);
  }
  return gid != 0 && gid < a->num_glyphs;
}

const char *vc__hpdf_error_text(HPDF_STATUS e) {
  switch (e) {
  case HPDF_FAILD_TO_ALLOC_MEM: return N_("out of memory");
  case HPDF_FILE_IO_ERROR: return N_("file read or write error");
  case HPDF_FILE_OPEN_ERROR: return N_("cannot open file");
  case HPDF_FONT_EXISTS: return N_("a font with the same name is already loaded");
  case HPDF_INVALID_DOCUMENT: return N_("document unusable after an earlier error");
  case HPDF_INVALID_PNG_IMAGE: return N_("invalid PNG image");
  case HPDF_INVALID_JPEG_DATA: return N_("invalid JPEG image");
  case HPDF_UNSUPPORTED_JPEG_FORMAT: return N_("unsupported JPEG format");
  case HPDF_LIBPNG_ERROR: return N_("PNG decoding error");
  case HPDF_INVALID_TTC_FILE: return N_("not a TrueType collection");
  case HPDF_INVALID_TTC_INDEX: return N_("no such face in the collection");
  case HPDF_TTF_CANNOT_EMBEDDING_FONT:
    return N_("the font's licence forbids embedding it");
  case HPDF_TTF_INVALID_CMAP: return N_("the font has no usable character map");
  case HPDF_TTF_INVALID_FOMAT: return N_("invalid TrueType font");
  case HPDF_TTF_MISSING_TABLE:
    return N_("the font lacks a TrueType table (CFF-flavoured OpenType?)");
  case HPDF_PAGE_INVALID_SIZE: return N_("invalid page size");
  case HPDF_PAGE_OUT_OF_RANGE: return N_("value out of range");
  case HPDF_REAL_OUT_OF_RANGE: return N_("number out of range");
  case HPDF_ARRAY_COUNT_ERR: return N_("too many items in one array");
  case HPDF_XREF_COUNT_ERR: return N_("too many objects in one document");
  case HPDF_ZLIB_ERROR: return N_("compression error");
  case HPDF_STREAM_EOF: return N_("unexpected end of data");
  default: return N_("PDF library error");
  }
}

/* ---- nested composite glyphs ------------------------------------------ */

/* Byte range of glyph gid inside glyf; false when empty or out of bounds. */
static bool glyph_range(HPDF_TTFontDefAttr a, unsigned gid, uint32_t glyf_len,
                        uint32_t *off, uint32_t *len) {
  uint32_t s = a->glyph_tbl.offsets[gid], e = a->glyph_tbl.offsets[gid + 1];
  if (a->header.index_to_loc_format == 0) {
    s *= 2;
    e *= 2;
  }
  if (e <= s || e > glyf_len) return false;
  *off = s;
  *len = e - s;
  return true;
}

/* Glyph components are listed first in a composite glyph; 4 KiB holds
 * hundreds of them (real fonts use 2-4) and keeps the stack small. */
#define GLYPH_READ_MAX 4096
/* TrueType's maxComponentDepth is 1-3 in real fonts; deeper is corrupt. */
#define COMPONENT_DEPTH_MAX 16

enum {
  ARG_WORDS = 0x0001, HAVE_SCALE = 0x0008, MORE = 0x0020,
  HAVE_XY_SCALE = 0x0040, HAVE_2X2 = 0x0080
};

/* The length of the font's glyf table (the last entry of that name);
 * false when it has none. */
static bool glyf_length(HPDF_TTFontDefAttr a, uint32_t *len) {
  bool found = false;
  for (unsigned i = 0; a->offset_tbl.table && i < a->offset_tbl.num_tables; i++)
    if (memcmp(a->offset_tbl.table[i].tag, "glyf", 4) == 0) {
      *len = a->offset_tbl.table[i].length;
      found = true;
    }
  return found;
}

bool vc__hpdf_mark_components(HPDF_Font font, const char *label,
                             unsigned *added, vc_diag_t *d) {
  if (added) *added = 0;
  HPDF_TTFontDefAttr a = vc__hpdf_tt_attr(font);
  if (!a) {
    vc_diag_add(d, VC_E_INTERNAL, label, 0, 0,
                "font is not an embedded TrueType font as expected");
    return false;
  }
  unsigned n = a->num_glyphs;
  if (!a->embedding || !a->stream || n == 0) return true; /* nothing embedded */
  if (!a->glyph_tbl.flgs || !a->glyph_tbl.offsets) {
    vc_diag_add(d, VC_E_PDF, label, 0, 0, "font has no glyph table");
    return false;
  }
  uint32_t glyf_len;
  if (!glyf_length(a, &glyf_len)) return true; /* nothing can be composite */

  /* Work list of (glyph, depth); each glyph is queued at most once, which
   * also stops cycles in corrupt fonts. */
  uint16_t *stack = malloc(n * sizeof *stack);
  unsigned char *depth = calloc(n, 1);
  unsigned char *seen = calloc(n, 1);
  if (!stack || !depth || !seen) {
    free(stack), free(depth), free(seen);
    vc_diag_add(d, VC_E_NOMEM, label, 0, 0, "out of memory");
    return false;
  }
  unsigned top = 0, count = 0;
  bool ok = true;
  for (unsigned g = 0; g < n; g++)
    if (a->glyph_tbl.flgs[g] == 1) {
      seen[g] = 1;
      stack[top++] = (uint16_t)g;
    }
  unsigned char buf[GLYPH_READ_MAX];
  while (top > 0 && ok) {
    unsigned g = stack[--top];
    uint32_t off, len;
    if (!glyph_range(a, g, glyf_len, &off, &len) || len < 10) continue;
    HPDF_UINT got = len < GLYPH_READ_MAX ? len : GLYPH_READ_MAX;
    if (HPDF_Stream_Seek(a->stream, (HPDF_INT)(a->glyph_tbl.base_offset + off),
                         HPDF_SEEK_SET) != HPDF_OK ||
        HPDF_Stream_Read(a->stream, buf, &got) != HPDF_OK) {
      vc_diag_add(d, VC_E_PDF, label, 0, 0,
                  "cannot read glyph %u from the font file", g);
      ok = false;
      break;
    }
    if ((int16_t)vc_be16(buf) >= 0) continue; /* simple glyph */
    unsigned p = 10;
    for (;;) {
      if (p + 4 > got) break; /* truncated: keep what was found */
      unsigned flags = vc_be16(buf + p), comp = vc_be16(buf + p + 2);
      p += 4 + ((flags & ARG_WORDS) ? 4 : 2);
      if (flags & HAVE_SCALE) p += 2;
      else if (flags & HAVE_XY_SCALE) p += 4;
      else if (flags & HAVE_2X2) p += 8;
      if (comp < n) {
        if (a->glyph_tbl.flgs[comp] != 1) {
          a->glyph_tbl.flgs[comp] = 1;
          count++;
        }
        if (!seen[comp] && depth[g] < COMPONENT_DEPTH_MAX) {
          seen[comp] = 1;
          depth[comp] = (unsigned char)(depth[g] + 1);
          stack[top++] = (uint16_t)comp;
        }
      }
      if (!(flags & MORE)) break;
    }
  }
  free(stack);
  free(depth);
  free(seen);
  if (added) *added = count;
  return ok;
}

/* ---- /ToUnicode -------------------------------------------------------- */

static char *hex4(char *o, unsigned v) {
  static const char X[] = "0123456789ABCDEF";
  *o++ = '<';
  for (int s = 12; s >= 0; s -= 4) *o++ = X[(v >> s) & 15];
  *o++ = '>';
  return o;
}

static char *dec(char *o, unsigned v) { /* locale-free unsigned */
  char t[12];
  int k = 0;
  do t[k++] = (char)('0' + v % 10); while ((v /= 10) != 0);
  while (k) *o++ = t[--k];
  return o;
}

/* Buffered writer into the ToUnicode stream (few large writes). */
typedef struct tu_out {
  HPDF_Stream s;
  char buf[1024];
  size_t n;
  bool ok;
} tu_out_t;

static void put(tu_out_t *o, const char *s, size_t n) {
  if (o->n + n > sizeof o->buf) {
    if (HPDF_Stream_Write(o->s, (const HPDF_BYTE *)o->buf, (HPDF_UINT)o->n) !=
        HPDF_OK)
      o->ok = false;
    o->n = 0;
  }
  memcpy(o->buf + o->n, s, n);
  o->n += n;
}
static void puts_(tu_out_t *o, const char *s) { put(o, s, strlen(s)); }

/* Emits the entries of one kind in blocks of at most 100, as the CMap
 * syntax requires.  Entries are runs of used code points within one high
 * byte (a bfrange may only vary the last byte): runs of two or more become
 * bfrange lines (ranges = true), single codes bfchar lines.  total = how
 * many entries of that kind there are. */
static void emit(tu_out_t *o, const uint8_t *used, bool ranges,
                 unsigned total) {
  unsigned left_in_block = 0, left = total;
  unsigned cp = 0;
  while (cp <= 0xFFFF && left > 0) {
    if (!vc__cp_bit(used, cp)) {
      cp++;
      continue;
    }
    unsigned lo = cp;
    while (cp < 0xFFFF && (cp & 0xFF) != 0xFF && vc__cp_bit(used, cp + 1)) cp++;
    unsigned hi = cp++;
    if ((hi > lo) != ranges) continue;
    char line[40], *e = line;
    if (left_in_block == 0) {
      left_in_block = left < 100 ? left : 100;
      e = dec(e, left_in_block);
      const char *kw = ranges ? " beginbfrange\n" : " beginbfchar\n";
      memcpy(e, kw, strlen(kw));
      e += strlen(kw);
      put(o, line, (size_t)(e - line));
      e = line;
    }
    e = hex4(e, lo);
    *e++ = ' ';
    if (ranges) {
      e = hex4(e, hi);
      *e++ = ' ';
    }
    e = hex4(e, lo);
    *e++ = '\n';
    put(o, line, (size_t)(e - line));
    left--;
    if (--left_in_block == 0) puts_(o, ranges ? "endbfrange\n" : "endbfchar\n");
  }
}

bool vc__hpdf_write_tounicode(HPDF_Font font,
                             const uint8_t used[VC_CP_BITMAP_BYTES],
                             const char *label, vc_diag_t *d) {
  HPDF_FontAttr fa = vc__hpdf_tt_attr(font) ? (HPDF_FontAttr)font->attr : NULL;
  HPDF_Dict cm = fa ? fa->cmap_stream : NULL;
  if (!cm || !cm->stream || cm->stream->type != HPDF_STREAM_MEMORY) {
    vc_diag_add(d, VC_E_INTERNAL, label, 0, 0,
                "font has no /ToUnicode stream of the expected kind");
    return false;
  }
  /* Count ranges and single codes first: each block states its size. */
  unsigned nranges = 0, nchars = 0;
  for (unsigned cp = 0; cp <= 0xFFFF; cp++) {
    if (!vc__cp_bit(used, cp)) continue;
    unsigned lo = cp;
    while (cp < 0xFFFF && (cp & 0xFF) != 0xFF && vc__cp_bit(used, cp + 1)) cp++;
    if (cp > lo) nranges++;
    else nchars++;
  }
  /* Keys of an encoding CMap that do not belong on a ToUnicode stream. */
  static const char *const drop[] = {"Type", "CMapName", "CIDSystemInfo",
                                     "WMode", "UseCMap"};
  for (size_t i = 0; i < sizeof drop / sizeof *drop; i++)
    HPDF_Dict_RemoveElement(cm, drop[i]); /* not found is fine */
  HPDF_MemStream_FreeData(cm->stream);

  tu_out_t o = {.s = cm->stream, .ok = true};
  puts_(&o, "/CIDInit /ProcSet findresource begin\n"
            "12 dict begin\n"
            "begincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) "
            "/Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def\n"
            "/CMapType 2 def\n"
            "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
  emit(&o, used, true, nranges);
  emit(&o, used, false, nchars);
  puts_(&o, "endcmap\n"
            "CMapName currentdict /CMap defineresource pop\n"
            "end\nend\n");
  if (o.n && HPDF_Stream_Write(o.s, (const HPDF_BYTE *)o.buf,
                               (HPDF_UINT)o.n) != HPDF_OK)
    o.ok = false;
  if (!o.ok)
    vc_diag_add(d, VC_E_PDF, label, 0, 0, "cannot write the /ToUnicode map");
  return o.ok;
}

/* ---- code -> glyph map (shared with hpdf-slim.c) ----------------------- */

/* What GetGlyphid returns for cp in segment i (the first whose end is >=
 * cp), with the bounds libharu lacks: 0 where it would read outside its
 * arrays. */
uint16_t vc__hpdf_cmap_seg_gid(const HPDF_TTF_CmapRange *c, unsigned segs, unsigned i,
                        unsigned cp) {
  if (c->start_count[i] > cp) return 0;
  if (c->id_range_offset[i] == 0) return (uint16_t)(cp + (unsigned)c->id_delta[i]);
  long idx = (long)(c->id_range_offset[i] / 2u) + (long)(cp - c->start_count[i]) -
             (long)(segs - i);
  if (idx < 0 || (unsigned long)idx >= c->glyph_id_array_count ||
      !c->glyph_id_array)
    return 0;
  return (uint16_t)(c->glyph_id_array[idx] + (unsigned)c->id_delta[i]);
}

uint16_t vc__hpdf_cmap_gid(const HPDF_TTF_CmapRange *c, unsigned cp) {
  unsigned segs = c->seg_count_x2 / 2u, i = 0;
  if (cp > 0xFFFF || segs == 0 || !c->end_count || !c->start_count ||
      !c->id_delta || !c->id_range_offset)
    return 0;
  while (i < segs && cp > c->end_count[i]) i++;
  return i < segs ? vc__hpdf_cmap_seg_gid(c, segs, i, cp) : 0;
}

/* ---- checks before libharu reads a file -------------------------------- */

int vc__hpdf_font_file_kind(const char *path, vc_diag_t *d) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    vc_diag_add(d, VC_E_FONT, path, 0, 0, "cannot open font: %s",
                strerror(errno));
    return 0;
  }
  unsigned char m[4] = {0};
  struct stat st;
  bool reg = fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode);
  size_t got = reg ? fread(m, 1, 4, f) : 0;
  fclose(f);
  if (reg && st.st_size > VC_PDF_FONT_MAX_BYTES) {
    vc_diag_add(d, VC_E_LIMIT, path, 0, 0,
                "font file of %lld bytes is larger than the limit of %ld",
                (long long)st.st_size, VC_PDF_FONT_MAX_BYTES);
    return 0;
  }
  if (got == 4 && !memcmp(m, "ttcf", 4)) return 2;
  if (got == 4 && (!memcmp(m, "\0\1\0\0", 4) || !memcmp(m, "true", 4)))
    return 1;
  if (got == 4 && !memcmp(m, "OTTO", 4))
    vc_diag_add(d, VC_E_FONT, path, 0, 0,
                "CFF-flavoured OpenType font (.otf), which the PDF library "
                "cannot embed: use a TrueType (.ttf) version of this font");
  else
    vc_diag_add(d, VC_E_FONT, path, 0, 0, "not a TrueType font file");
  return 0;
}
