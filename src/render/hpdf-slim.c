/*
 * hpdf-slim.c - speed and size repairs of libharu 2.3.0's UTF-8 TrueType
 * fonts (see hpdf-fix.h).
 *
 * Speed: HPDF_GetFont(.., "UTF-8") asks HPDF_TTFontDef_GetGlyphid for each
 * of the 65,535 codes, and GetGlyphid walks the format-4 segments one by
 * one (about 47 million instructions per font).  vc__hpdf_fast_cmap gives
 * the definition an equivalent map of two segments whose first covers
 * 0000-FFFE through glyph_id_array, so the walk stops at once.  GetGlyphid
 * (2.3.0, checked against the installed binary) computes, for the first
 * segment i with code <= end_count[i]: 0 if start_count[i] > code; else
 * code + id_delta[i] when id_range_offset[i] == 0; else
 * glyph_id_array[idx] + id_delta[i] with idx = id_range_offset[i] / 2 +
 * (code - start_count[i]) - (seg_count - i), 0 when idx > count.  The arrays
 * are libharu's (HPDF_GetMem on the definition's mmgr): its free function
 * releases ours.  The font's own 'cmap' table is copied from the file when
 * the subset is written, so the arrays never reach the output.
 *
 * Size: libharu writes, for every font, /W with the width of every code the
 * font maps, a CIDToGIDMap of all 65,535 codes and a font program with the
 * whole 'post' (glyph names), 'hmtx' and 'cmap' of the file: about 50 KB
 * per font.  vc__hpdf_slim_font rewrites /W and the map for the codes drawn
 * only, and has libharu write the font program (its before-write function
 * of the Type0 font, which runs SaveFontData once per definition) so that
 * the bytes can be rewritten before the document is: 'post' becomes format
 * 3 (no names), the metrics of glyphs not embedded become zero, 'cmap' maps
 * the drawn codes only; glyph ids, outlines, hinting and 'name' (copyright
 * and licence notices) are kept.
 */
#include "core/mem.h"
#include "render/hpdf-fix.h"

#include <stdlib.h>
#include <string.h>

#include <hpdf_font.h>
#include <hpdf_fontdef.h>
#include <hpdf_mmgr.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>

#define ALL_BUT_LAST 0xFFFFu /* codes 0000-FFFE: the first flat segment */

/* ---- code -> glyph map ------------------------------------------------- */

/* True when c already is the map vc__hpdf_fast_cmap makes. */
static bool is_flat(const HPDF_TTF_CmapRange *c) {
  return c->seg_count_x2 == 4 && c->glyph_id_array_count == ALL_BUT_LAST &&
         c->start_count[0] == 0 && c->end_count[0] == 0xFFFE &&
         c->id_range_offset[0] == 4 && c->id_delta[0] == 0 &&
         c->start_count[1] == 0xFFFF && c->end_count[1] == 0xFFFF &&
         c->id_range_offset[1] == 0;
}

bool vc__hpdf_fast_cmap(HPDF_Doc doc, const char *name) {
  HPDF_FontDef def = doc && name ? HPDF_Doc_FindFontDef(doc, name) : NULL;
  if (!def || def->sig_bytes != HPDF_FONTDEF_SIG_BYTES ||
      def->type != HPDF_FONTDEF_TYPE_TRUETYPE || !def->attr)
    return true;
  HPDF_TTF_CmapRange *c = &((HPDF_TTFontDefAttr)def->attr)->cmap;
  if (c->format != 4 || c->seg_count_x2 < 2 || !c->end_count ||
      !c->start_count || !c->id_delta || !c->id_range_offset || is_flat(c))
    return true;
  HPDF_MMgr mm = def->mmgr;
  HPDF_UINT16 *gids = HPDF_GetMem(mm, ALL_BUT_LAST * sizeof *gids);
  HPDF_UINT16 *end = gids ? HPDF_GetMem(mm, 2 * sizeof *end) : NULL;
  HPDF_UINT16 *start = end ? HPDF_GetMem(mm, 2 * sizeof *start) : NULL;
  HPDF_INT16 *delta = start ? HPDF_GetMem(mm, 2 * sizeof *delta) : NULL;
  HPDF_UINT16 *iro = delta ? HPDF_GetMem(mm, 2 * sizeof *iro) : NULL;
  if (!iro) {
    void *got[] = {gids, end, start, delta};
    for (size_t k = 0; k < 4; k++)
      if (got[k]) HPDF_FreeMem(mm, got[k]);
    return false; /* libharu's handler has the allocation error */
  }
  /* One pass: the first segment ending at or after cp only moves forward
   * as cp grows (the set of such segments shrinks), sorted or not. */
  unsigned segs = c->seg_count_x2 / 2u, i = 0;
  for (unsigned cp = 0; cp < ALL_BUT_LAST; cp++) {
    while (i < segs && cp > c->end_count[i]) i++;
    gids[cp] = i < segs ? vc__hpdf_cmap_seg_gid(c, segs, i, cp) : 0;
  }
  uint16_t last = vc__hpdf_cmap_gid(c, 0xFFFF);
  /* Segment 0: idx = 4 / 2 + cp - (2 - 0) = cp.  Segment 1 (FFFF, which
   * format 4 requires to end the list): FFFF + delta wraps to `last`. */
  start[0] = 0, end[0] = 0xFFFE, delta[0] = 0, iro[0] = 4;
  start[1] = 0xFFFF, end[1] = 0xFFFF, iro[1] = 0;
  delta[1] = (HPDF_INT16)(uint16_t)(last + 1u);
  HPDF_FreeMem(mm, c->end_count);
  HPDF_FreeMem(mm, c->start_count);
  HPDF_FreeMem(mm, c->id_delta);
  HPDF_FreeMem(mm, c->id_range_offset);
  if (c->glyph_id_array) HPDF_FreeMem(mm, c->glyph_id_array);
  c->end_count = end;
  c->start_count = start;
  c->id_delta = delta;
  c->id_range_offset = iro;
  c->glyph_id_array = gids;
  c->glyph_id_array_count = ALL_BUT_LAST;
  c->seg_count_x2 = 4;
  c->search_range = 4, c->entry_selector = 1, c->range_shift = 0;
  return true;
}

/* ---- font program -------------------------------------------------------- */

static void wr16(unsigned char *b, uint32_t v) {
  b[0] = (unsigned char)(v >> 8), b[1] = (unsigned char)v;
}
static void wr32(unsigned char *b, uint32_t v) {
  wr16(b, v >> 16), wr16(b + 2, v);
}
static uint32_t tag_of(const char *s) { return vc_be32((const unsigned char *)s); }

/* TrueType checksum: big-endian words, the last one padded with zeros. */
static uint32_t checksum(const unsigned char *b, size_t n) {
  uint32_t sum = 0;
  size_t i = 0;
  for (; i + 4 <= n; i += 4) sum += vc_be32(b + i);
  if (i < n) {
    unsigned char t[4] = {0};
    memcpy(t, b + i, n - i);
    sum += vc_be32(t);
  }
  return sum;
}

typedef struct table {
  uint32_t tag, len;
  const unsigned char *data; /* into the input, or own */
  unsigned char *own;        /* replacement, malloc'd */
} table_t;

#define SFNT_MAX_TABLES 64
#define CMAP_MAX_SEGS 8000 /* keeps the subtable under 64 KiB */

/* A (3,1) format-4 'cmap' for the pairs (codes ascending, below FFFF, glyph
 * ids non-zero): a segment per run of codes whose glyph ids follow them,
 * then the closing FFFF segment.  NULL when too many segments or no
 * memory. */
static unsigned char *build_cmap(const vc_sfnt_map_t *map, size_t n,
                                 uint32_t *len) {
  size_t segs = 1;
  for (size_t k = 0; k < n; k++)
    if (k == 0 || map[k].code != map[k - 1].code + 1 ||
        map[k].gid - map[k].code != map[k - 1].gid - map[k - 1].code)
      segs++;
  if (segs > CMAP_MAX_SEGS) return NULL;
  uint32_t sub = 16 + 8 * (uint32_t)segs;
  unsigned char *b = calloc(1, 12 + sub);
  if (!b) return NULL;
  wr16(b + 2, 1);                   /* one subtable */
  wr16(b + 4, 3), wr16(b + 6, 1);   /* Windows, Unicode BMP */
  wr32(b + 8, 12);
  unsigned char *s = b + 12;
  unsigned range = 1, sel = 0;
  while (range * 2 <= segs) range *= 2, sel++;
  wr16(s, 4), wr16(s + 2, sub);
  wr16(s + 6, 2 * (uint32_t)segs);
  wr16(s + 8, 2 * range), wr16(s + 10, sel);
  wr16(s + 12, 2 * ((uint32_t)segs - range));
  unsigned char *ends = s + 14, *starts = ends + 2 * segs + 2,
                *deltas = starts + 2 * segs; /* idRangeOffsets stay 0 */
  size_t g = 0;
  for (size_t k = 0; k < n; k++) {
    bool fresh = k == 0 || map[k].code != map[k - 1].code + 1 ||
                 map[k].gid - map[k].code != map[k - 1].gid - map[k - 1].code;
    if (fresh) {
      if (k > 0) g++;
      wr16(starts + 2 * g, map[k].code);
      wr16(deltas + 2 * g, (uint32_t)(map[k].gid - map[k].code) & 0xFFFF);
    }
    wr16(ends + 2 * g, map[k].code);
  }
  if (n > 0) g++;
  wr16(ends + 2 * g, 0xFFFF), wr16(starts + 2 * g, 0xFFFF);
  wr16(deltas + 2 * g, 1); /* FFFF + 1 wraps to glyph 0 */
  *len = 12 + sub;
  return b;
}

/* post made version 3 (no glyph names, 32 bytes) in its own copy: the
 * names are of no use in an embedded font.  false on no memory. */
static bool post_v3(table_t *post) {
  if (!post || post->len < 32 || vc_be32(post->data) == 0x00030000) return true;
  if (!(post->own = malloc(32))) return false;
  memcpy(post->own, post->data, 32);
  wr32(post->own, 0x00030000);
  post->len = 32;
  return true;
}

/* hmtx with the metrics of unused glyphs zeroed, in its own copy (left as
 * it is when its size does not match nhm long entries).  false on no
 * memory. */
static bool hmtx_unused_zero(table_t *hmtx, const uint8_t *glyph_used, unsigned nglyphs,
                             unsigned nhm) {
  if (!hmtx || nhm < 1 || nhm > nglyphs || hmtx->len < 4 * nhm + 2 * (nglyphs - nhm))
    return true;
  if (!(hmtx->own = malloc(hmtx->len))) return false;
  memcpy(hmtx->own, hmtx->data, hmtx->len);
  for (unsigned g = 0; g < nglyphs; g++) {
    if (glyph_used[g] == 1) continue;
    if (g + 1 < nhm) memset(hmtx->own + 4 * g, 0, 4);
    /* The last full entry's advance is that of every glyph after it. */
    else if (g + 1 == nhm) memset(hmtx->own + 4 * g + 2, 0, 2);
    else memset(hmtx->own + 4 * nhm + 2 * (g - nhm), 0, 2);
  }
  return true;
}

/* The font file from its nt tables (each its own copy if it has one, else
 * the original), with in's version, the directory, the checksums and
 * head's checkSumAdjustment.  The caller's buffer (*out_len bytes), NULL
 * on no memory. */
static unsigned char *write_sfnt(const unsigned char *in, table_t *t, unsigned nt,
                                 const table_t *head, size_t *out_len) {
  size_t total = 12 + 16 * (size_t)nt;
  for (unsigned i = 0; i < nt; i++) {
    if (t[i].own) t[i].data = t[i].own;
    total += (t[i].len + 3u) & ~(size_t)3;
  }
  unsigned char *out = calloc(1, total);
  if (!out) return NULL;
  unsigned range = 1, sel = 0;
  while (range * 2 <= nt) range *= 2, sel++;
  wr32(out, vc_be32(in));
  wr16(out + 4, nt), wr16(out + 6, 16 * range), wr16(out + 8, sel);
  wr16(out + 10, 16 * (nt - range));
  size_t at = 12 + 16 * (size_t)nt, head_at = 0;
  for (unsigned i = 0; i < nt; i++) {
    unsigned char *e = out + 12 + 16 * i;
    memcpy(out + at, t[i].data, t[i].len);
    wr32(e, t[i].tag);
    wr32(e + 4, checksum(t[i].data, t[i].len));
    wr32(e + 8, (uint32_t)at), wr32(e + 12, t[i].len);
    if (&t[i] == head) head_at = at;
    at += (t[i].len + 3u) & ~(size_t)3;
  }
  wr32(out + head_at + 8, 0xB1B0AFBAu - checksum(out, total));
  *out_len = total;
  return out;
}

unsigned char *vc__sfnt_slim(const unsigned char *in, size_t n,
                            const uint8_t *glyph_used, unsigned nglyphs,
                            const vc_sfnt_map_t *map, size_t nmap,
                            size_t *out_len) {
  *out_len = 0;
  if (!in || n < 12) return NULL;
  unsigned nt = vc_be16(in + 4);
  if (nt == 0 || nt > SFNT_MAX_TABLES || 12 + 16 * (size_t)nt > n) return NULL;
  table_t t[SFNT_MAX_TABLES];
  table_t *head = NULL, *maxp = NULL, *hhea = NULL, *hmtx = NULL, *post = NULL,
          *cmap = NULL;
  for (unsigned i = 0; i < nt; i++) {
    const unsigned char *e = in + 12 + 16 * i;
    uint32_t off = vc_be32(e + 8), len = vc_be32(e + 12);
    if (off > n || len > n - off) return NULL;
    t[i] = (table_t){vc_be32(e), len, in + off, NULL};
    uint32_t tg = t[i].tag;
    if (tg == tag_of("head")) head = &t[i];
    else if (tg == tag_of("maxp")) maxp = &t[i];
    else if (tg == tag_of("hhea")) hhea = &t[i];
    else if (tg == tag_of("hmtx")) hmtx = &t[i];
    else if (tg == tag_of("post")) post = &t[i];
    else if (tg == tag_of("cmap")) cmap = &t[i];
  }
  /* Only a font whose glyph count is the one the flags describe. */
  if (!head || head->len < 54 || vc_be32(head->data + 12) != 0x5F0F3CF5 || !maxp ||
      maxp->len < 6 || vc_be16(maxp->data + 4) != nglyphs || !hhea ||
      hhea->len < 36 || !glyph_used)
    return NULL;
  unsigned nhm = vc_be16(hhea->data + 34);
  bool ok = post_v3(post) && hmtx_unused_zero(hmtx, glyph_used, nglyphs, nhm);
  if (ok && cmap && map) {
    uint32_t len;
    unsigned char *b = build_cmap(map, nmap, &len);
    if (b) cmap->own = b, cmap->len = len;
  }
  if (ok && (ok = (head->own = malloc(head->len)) != NULL)) {
    memcpy(head->own, head->data, head->len);
    wr32(head->own + 8, 0); /* checkSumAdjustment, set at the end */
  }
  unsigned char *out = ok ? write_sfnt(in, t, nt, head, out_len) : NULL;
  for (unsigned i = 0; i < nt; i++) free(t[i].own);
  return out;
}

/* ---- the font's objects ---------------------------------------------------- */

/* Copies a libharu memory stream into a malloc'd buffer (*len bytes).  NULL
 * when it is no memory stream or out of memory; never sets libharu errors
 * (its reader reports the end of the data as one). */
static unsigned char *mem_copy(HPDF_Stream s, size_t *len) {
  *len = 0;
  if (!s || s->type != HPDF_STREAM_MEMORY) return NULL;
  size_t size = s->size, at = 0;
  unsigned char *buf = malloc(size ? size : 1);
  if (!buf) return NULL;
  HPDF_UINT count = size ? HPDF_MemStream_GetBufCount(s) : 0;
  for (HPDF_UINT i = 0; i < count && at < size; i++) {
    HPDF_UINT piece = 0;
    HPDF_BYTE *b = HPDF_MemStream_GetBufPtr(s, i, &piece);
    if (!b) break;
    if (piece > size - at) piece = (HPDF_UINT)(size - at);
    memcpy(buf + at, b, piece);
    at += piece;
  }
  if (at != size) {
    free(buf);
    return NULL;
  }
  *len = size;
  return buf;
}

/* Replaces the content of a memory stream. */
static bool mem_set(HPDF_Stream s, const unsigned char *b, size_t n) {
  HPDF_MemStream_FreeData(s);
  return n == 0 || HPDF_Stream_Write(s, b, (HPDF_UINT)n) == HPDF_OK;
}

#define W_RUN_MAX 4096      /* widths in one `c [...]` (libharu: 32,767) */
#define W_ENTRIES_MAX 32000 /* items of /W itself */

/* Walks the drawn codes in /W order: calls add(ctx, cp, width, fresh) for
 * each width other than /DW, fresh when it starts a `c [...]` group.  The
 * glyph of a code is read from the old map (libharu's choice); widths are
 * HPDF_TTFontDef_GetGidWidth's, as libharu computed them.  Stops at the
 * first false from add. */
typedef bool (*w_fn)(void *ctx, unsigned cp, HPDF_INT16 width, bool fresh);
static bool walk_w(HPDF_FontDef def, const uint8_t *used,
                   const unsigned char *old, size_t oldlen, w_fn add,
                   void *ctx) {
  unsigned prev = 0, run = 0;
  for (unsigned cp = 0; cp <= 0xFFFF; cp++) {
    if (!vc__cp_bit(used, cp)) {
      if (!used[cp >> 3]) cp |= 7; /* skip a byte of nothing drawn */
      continue;
    }
    unsigned gid = 2 * (size_t)cp + 1 < oldlen ? vc_be16(old + 2 * cp) : 0;
    HPDF_INT16 width = HPDF_TTFontDef_GetGidWidth(def, (HPDF_UINT16)gid);
    if (width == def->missing_width) {
      run = 0;
      continue;
    }
    bool fresh = run == 0 || cp != prev + 1 || run >= W_RUN_MAX;
    if (fresh) run = 0;
    if (!add(ctx, cp, width, fresh)) return false;
    run++;
    prev = cp;
  }
  return true;
}

static bool w_count(void *ctx, unsigned cp, HPDF_INT16 width, bool fresh) {
  (void)cp, (void)width;
  if (fresh) *(size_t *)ctx += 2;
  return true;
}

typedef struct w_build {
  HPDF_Array w, sub;
} w_build_t;

static bool w_add(void *ctx, unsigned cp, HPDF_INT16 width, bool fresh) {
  w_build_t *b = ctx;
  if (fresh) {
    if (HPDF_Array_AddNumber(b->w, (HPDF_INT32)cp) != HPDF_OK) return false;
    b->sub = HPDF_Array_New(b->w->mmgr);
    if (!b->sub || HPDF_Array_Add(b->w, b->sub) != HPDF_OK) return false;
  }
  return HPDF_Array_AddNumber(b->sub, width) == HPDF_OK;
}

/* Replaces /W of the descendant font by the widths of the drawn codes in
 * the compact `c [w1 w2 ...]` form.  false after a libharu failure; a /W
 * that would be too long for libharu's arrays stays as it was. */
static bool rewrite_w(HPDF_Font font, HPDF_FontDef def, const uint8_t *used,
                      const unsigned char *old, size_t oldlen) {
  HPDF_Dict desc = ((HPDF_FontAttr)font->attr)->descendant_font;
  size_t items = 0;
  walk_w(def, used, old, oldlen, w_count, &items);
  if (items > W_ENTRIES_MAX) return true;
  if (items == 0) { /* every width is /DW */
    HPDF_Dict_RemoveElement(desc, "W");
    return true;
  }
  w_build_t b = {HPDF_Array_New(desc->mmgr), NULL};
  if (!b.w) return false;
  if (!walk_w(def, used, old, oldlen, w_add, &b)) {
    HPDF_Array_Free(b.w);
    return false;
  }
  return HPDF_Dict_Add(desc, "W", b.w) == HPDF_OK; /* frees the old one */
}

bool vc__hpdf_slim_font(HPDF_Font font, const uint8_t used[VC_CP_BITMAP_BYTES],
                       const char *label, vc_diag_t *d) {
  HPDF_TTFontDefAttr a = vc__hpdf_tt_attr(font);
  HPDF_FontAttr fa = a ? (HPDF_FontAttr)font->attr : NULL;
  if (!fa || !fa->descendant_font || !fa->map_stream ||
      !fa->map_stream->stream || !a->glyph_tbl.flgs) {
    vc_diag_add(d, VC_E_INTERNAL, label, 0, 0,
                "font is not an embedded TrueType font as expected");
    return false;
  }
  HPDF_FontDef def = fa->fontdef;
  size_t oldlen;
  unsigned char *old = mem_copy(fa->map_stream->stream, &oldlen);
  unsigned top = 0, ndrawn = 0;
  for (unsigned cp = 0; cp <= 0xFFFF; cp++)
    if (vc__cp_bit(used, cp)) top = cp, ndrawn++;
  size_t maplen = 2 * ((size_t)top + 1);
  unsigned char *map = calloc(1, maplen);
  vc_sfnt_map_t *pairs = malloc((ndrawn ? ndrawn : 1) * sizeof *pairs);
  if (!old || !map || !pairs) {
    free(old), free(map), free(pairs);
    vc_diag_add(d, VC_E_NOMEM, label, 0, 0, "out of memory");
    return false;
  }
  /* The map keeps the glyph libharu chose for each drawn code (so a second
   * save reads the same); codes never drawn map to glyph 0. */
  size_t npairs = 0;
  for (unsigned cp = 0; cp <= top; cp++) {
    if (!vc__cp_bit(used, cp) || 2 * (size_t)cp + 1 >= oldlen) continue;
    memcpy(map + 2 * cp, old + 2 * cp, 2);
    unsigned gid = vc_be16(old + 2 * cp);
    if (gid != 0 && gid < a->num_glyphs && cp < 0xFFFF)
      pairs[npairs++] = (vc_sfnt_map_t){(uint16_t)cp, (uint16_t)gid};
  }
  bool ok = rewrite_w(font, def, used, old, oldlen) &&
            mem_set(fa->map_stream->stream, map, maplen);
  free(old);
  free(map);
  /* The font program is written once per definition, by the Type0 font's
   * before-write function; called here, libharu skips it when saving. */
  if (ok && a->embedding && !def->descriptor && font->before_write_fn) {
    ok = font->before_write_fn(font) == HPDF_OK && def->descriptor;
    HPDF_Dict ff = ok ? HPDF_Dict_GetItem(def->descriptor, "FontFile2",
                                          HPDF_OCLASS_DICT)
                      : NULL;
    HPDF_Number len1 = ff ? HPDF_Dict_GetItem(ff, "Length1", HPDF_OCLASS_NUMBER)
                          : NULL;
    size_t n = 0, slim_n = 0;
    unsigned char *prog = len1 ? mem_copy(ff->stream, &n) : NULL;
    unsigned char *slim = vc__sfnt_slim(prog, n, a->glyph_tbl.flgs,
                                       a->num_glyphs, pairs, npairs, &slim_n);
    /* Anything unexpected keeps libharu's program, which is valid. */
    if (slim && slim_n < n) {
      ok = mem_set(ff->stream, slim, slim_n);
      HPDF_Number_SetValue(len1, (HPDF_INT32)slim_n);
    }
    free(prog);
    free(slim);
  }
  free(pairs);
  if (!ok)
    vc_diag_add(d, VC_E_PDF, label, 0, 0,
                "cannot write the font's widths, glyph map or program");
  return ok;
}
