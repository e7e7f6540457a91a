/*
 * pdf-png.c - PNG files into PDF image XObjects (see hpdf-fix.h).
 *
 * Why: libharu decodes a PNG with libpng, keeps the raw samples and
 * deflates them again when saving: a 0.7 MB photographic background meant
 * a libpng decode, 6.5 MB of raw samples and their compression, ~100 ms for
 * a one-page reprint.  A PDF Flate stream with the PNG predictors
 * (/DecodeParms << /Predictor 15 ... >>) is exactly a PNG's IDAT data, so a
 * non-interlaced grey, RGB or palette PNG without transparency is copied as
 * it is.  The rest (interlaced, alpha channel, palette with tRNS) is decoded
 * once here with libpng and handed to libharu as samples, the alpha as a
 * compressed /SMask; libharu never reads a PNG file itself (its libpng
 * error handling aborts the process on damaged data).
 *
 * Checks before copying, without libpng: chunk lengths and CRCs, chunk
 * order, then the IDAT stream inflated (output discarded) to confirm it
 * ends, with a valid checksum, exactly after rows x (1 + row bytes) bytes,
 * every row starting with a filter type 0-4.  An ancillary chunk with a bad
 * CRC is ignored, as libpng does; a critical one refuses the file.
 *
 * Colour: gAMA, cHRM, sRGB and iCCP are ignored, as libharu ignores them:
 * samples go out as DeviceGray / DeviceRGB, which viewers show as sRGB, the
 * usual case for such files.
 *
 * libharu writes a stream dict's /Filter from its `filter` field and drops
 * any /Filter entry when that is NONE; the copied stream keeps NONE (its
 * bytes are written untouched) and names /FlateDecode through the dict's
 * write_fn, which libharu calls while writing the dict (also in
 * pdf-split.c's per-page files).
 */
#include "core/i18n.h"
#include "core/mem.h"
#include "render/hpdf-fix.h"
#include "render/image.h"

#include <errno.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>
#include <zlib.h>

#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>

/* A PNG file in memory and what its chunks say. */
typedef struct png {
  const char *path;
  vc_diag_t *d;
  const unsigned char *b; /* the whole file */
  size_t n;
  uint32_t w, h;
  unsigned depth, type;
  bool interlaced;
  const unsigned char *plte; /* RGB triples, nplte of them */
  unsigned nplte;
  const unsigned char *trns; /* palette alphas (type 3 only), ntrns */
  unsigned ntrns;
  bool key;    /* tRNS on grey or RGB: a colour key (refused) */
  size_t idat; /* offset of the first IDAT chunk */
} png_t;

static bool damaged(png_t *g, const char *why) {
  vc_diag_add(g->d, VC_E_INPUT, g->path, 0, 0,
              "damaged PNG file (%s): save it again as an 8-bit PNG or as a JPEG", why);
  return false;
}

static bool not_png(png_t *g, const char *why) {
  vc_diag_add(g->d, VC_E_INPUT, g->path, 0, 0, "not a valid PNG file (%s)",
              why);
  return false;
}

/* Samples per pixel of a PNG colour type. */
static unsigned channels(unsigned type) {
  return type == 2 ? 3 : type == 4 ? 2 : type == 6 ? 4 : 1;
}

/* The image header (IHDR's 13 bytes): valid, 8 bits or less, within the
 * caps.  false after a diag. */
static bool header_ok(png_t *g, const unsigned char *ih) {
  g->w = vc_be32(ih);
  g->h = vc_be32(ih + 4);
  g->depth = ih[8];
  g->type = ih[9];
  g->interlaced = ih[12] == 1;
  unsigned dp = g->depth;
  bool valid;
  switch (g->type) {
  case 0: valid = dp == 1 || dp == 2 || dp == 4 || dp == 8 || dp == 16; break;
  case 3: valid = dp == 1 || dp == 2 || dp == 4 || dp == 8; break;
  case 2: case 4: case 6: valid = dp == 8 || dp == 16; break;
  default: valid = false;
  }
  if (!valid || g->w == 0 || g->h == 0 || g->w > 0x7FFFFFFF ||
      g->h > 0x7FFFFFFF || ih[10] != 0 || ih[11] != 0 || ih[12] > 1)
    return not_png(g, _("bad image header"));
  if (dp == 16) {
    vc_diag_add(g->d, VC_E_INPUT, g->path, 0, 0,
                "PNG with 16 bits per sample, which vncert does not embed: "
                "save it as an 8-bit PNG or as a JPEG");
    return false;
  }
  if ((unsigned long long)g->w * g->h >
          (unsigned long long)VC_PDF_IMAGE_MAX_PIXELS ||
      g->w > VC_PDF_IMAGE_MAX_SIDE || g->h > VC_PDF_IMAGE_MAX_SIDE) {
    vc_diag_add(g->d, VC_E_LIMIT, g->path, 0, 0,
                "image of %lu x %lu pixels is larger than the limit (%ld "
                "pixels, %d on a side): scale it down",
                (unsigned long)g->w, (unsigned long)g->h,
                VC_PDF_IMAGE_MAX_PIXELS, VC_PDF_IMAGE_MAX_SIDE);
    return false;
  }
  return true;
}

static bool chunk_is(const unsigned char *c, const char *type) {
  return memcmp(c + 4, type, 4) == 0;
}

/* Walks every chunk of g->b: lengths, CRCs, order; notes the palette,
 * transparency and where the image data starts.  Stops after IEND (bytes
 * after it are ignored; a file that ends cleanly after its image data
 * without IEND is accepted, the inflate check tells whether the data is
 * whole).  false after a diag. */
static bool parse(png_t *g) {
  const unsigned char *b = g->b;
  size_t n = g->n;
  if (n < 33 || memcmp(b, "\x89PNG\r\n\x1a\n", 8) || vc_be32(b + 8) != 13 ||
      !chunk_is(b + 8, "IHDR"))
    return not_png(g, _("no image header"));
  if (crc32(0, b + 12, 17) != vc_be32(b + 29))
    return damaged(g, _("checksum error in the image header"));
  if (!header_ok(g, b + 16)) return false;
  bool in_idat = false, idat_done = false;
  char why[80];
  for (size_t at = 33; at < n;) {
    if (n - at < 12 || vc_be32(b + at) > n - at - 12) {
      if (g->idat || (n - at >= 8 && chunk_is(b + at, "IDAT")))
        return damaged(g, _("the file is cut short"));
      return not_png(g, _("damaged or truncated before the image data"));
    }
    uint32_t len = vc_be32(b + at);
    const unsigned char *c = b + at, *data = c + 8;
    for (int i = 4; i < 8; i++)
      if (!((c[i] | 0x20) >= 'a' && (c[i] | 0x20) <= 'z'))
        return damaged(g, _("bad chunk name"));
    bool critical = !(c[4] & 0x20), idat = chunk_is(c, "IDAT");
    if (!idat && in_idat) idat_done = true;
    in_idat = idat;
    size_t here = at;
    at += 12 + (size_t)len;
    if (crc32(0, c + 4, len + 4) != vc_be32(data + len)) {
      if (!critical) continue; /* libpng drops such chunks too */
      snprintf(why, sizeof why, _("checksum error in its %.4s chunk"), c + 4);
      return damaged(g, why);
    }
    if (idat) {
      if (idat_done) return damaged(g, _("image data chunks apart"));
      if (!g->idat) {
        if (g->type == 3 && !g->plte)
          return not_png(g, _("palette image without a palette"));
        g->idat = here;
      }
    } else if (chunk_is(c, "IEND")) {
      break;
    } else if (chunk_is(c, "PLTE")) {
      /* A palette is only used by palette images (a hint otherwise). */
      if (g->type != 3) continue;
      if (g->plte || g->idat || len == 0 || len % 3 || len > 768)
        return damaged(g, _("bad palette"));
      g->plte = data;
      g->nplte = len / 3;
    } else if (chunk_is(c, "tRNS")) {
      /* Misplaced, or with an alpha channel: libpng ignores it. */
      if (g->idat || g->type == 4 || g->type == 6) continue;
      if (g->type != 3) {
        g->key = true;
      } else if (g->plte && len > 0 && len <= g->nplte) {
        g->trns = data; /* otherwise invalid, ignored as libpng does */
        g->ntrns = len;
      }
    } else if (critical) {
      snprintf(why, sizeof why, _("unknown critical chunk %.4s"), c + 4);
      return damaged(g, why);
    }
  }
  if (!g->idat)
    return not_png(g, _("damaged or truncated before the image data"));
  if (g->key) {
    vc_diag_add(g->d, VC_E_INPUT, g->path, 0, 0,
                "PNG with a transparent colour key (tRNS chunk), which "
                "vncert does not support: save it as a PNG with an alpha "
                "channel (8-bit RGBA) or as a JPEG");
    return false;
  }
  return true;
}

/* Reads f, size bytes from its start, into g->b (malloc'd, caller frees).
 * false after a diag. */
static bool slurp(png_t *g, FILE *f, long size) {
  unsigned char *b = malloc(size > 0 ? (size_t)size : 1);
  if (!b) {
    vc_diag_add(g->d, VC_E_NOMEM, g->path, 0, 0, "out of memory");
    return false;
  }
  size_t got = fseek(f, 0, SEEK_SET) == 0 ? fread(b, 1, (size_t)size, f) : 0;
  if (got != (size_t)size) {
    vc_diag_add(g->d, VC_E_IO, g->path, 0, 0, "cannot read image: %s",
                ferror(f) ? strerror(errno) : _("the file changed meanwhile"));
    free(b);
    return false;
  }
  g->b = b;
  g->n = got;
  return true;
}

bool vc__png_probe(FILE *f, long size, const char *path, vc_img_info_t *info,
                  vc_diag_t *d) {
  png_t g = {.path = path, .d = d};
  if (!slurp(&g, f, size)) return false;
  bool ok = parse(&g);
  free((void *)g.b);
  if (!ok) return false;
  info->kind = VC_IMG_PNG;
  info->width = g.w;
  info->height = g.h;
  return true;
}

/* ---- the copy: checks, then the XObject ---------------------------------- */

/* Bytes of a row of w pixels' samples (without PNG's filter byte). */
static size_t row_bytes(const png_t *g, uint32_t w) {
  return ((size_t)w * channels(g->type) * g->depth + 7) / 8;
}

/* The rows of the inflated image data: nseg runs of rows[i] rows of
 * len[i] bytes (filter byte included); one run, or one per non-empty Adam7
 * pass.  Returns nseg. */
static int row_runs(const png_t *g, uint32_t rows[7], size_t len[7]) {
  static const unsigned char X0[7] = {0, 4, 0, 2, 0, 1, 0},
                             Y0[7] = {0, 0, 4, 0, 2, 0, 1},
                             DX[7] = {8, 8, 4, 4, 2, 2, 1},
                             DY[7] = {8, 8, 8, 4, 4, 2, 2};
  if (!g->interlaced) {
    rows[0] = g->h;
    len[0] = 1 + row_bytes(g, g->w);
    return 1;
  }
  int n = 0;
  for (int p = 0; p < 7; p++) {
    uint32_t w = g->w > X0[p] ? (g->w - X0[p] + DX[p] - 1) / DX[p] : 0;
    uint32_t h = g->h > Y0[p] ? (g->h - Y0[p] + DY[p] - 1) / DY[p] : 0;
    if (w && h) {
      rows[n] = h;
      len[n++] = 1 + row_bytes(g, w);
    }
  }
  return n;
}

/* Inflates the image data, discarding it: true when it is one complete zlib
 * stream (checksum included) of exactly the rows the header says, each
 * starting with a filter type 0-4, with nothing after it.  false after a
 * diag. */
static bool idat_check(png_t *g) {
  enum { OUT = 1 << 16 };
  uint32_t rows[7];
  size_t len[7];
  int nseg = row_runs(g, rows, len), seg = 0;
  unsigned long long want = 0, got = 0, row = 0; /* row: next row's offset */
  for (int i = 0; i < nseg; i++) want += (unsigned long long)rows[i] * len[i];
  uint32_t left = rows[0]; /* rows left in run seg */
  unsigned char *out = malloc(OUT);
  z_stream z;
  memset(&z, 0, sizeof z);
  if (!out || inflateInit(&z) != Z_OK) {
    free(out);
    vc_diag_add(g->d, VC_E_NOMEM, g->path, 0, 0, "out of memory");
    return false;
  }
  const char *why = NULL;
  size_t at = g->idat;
  int r = Z_OK;
  while (!why && r != Z_STREAM_END) {
    if (z.avail_in == 0) {
      if (g->n - at < 12 || !chunk_is(g->b + at, "IDAT")) {
        why = _("the compressed image data is cut short");
        break;
      }
      z.next_in = (unsigned char *)g->b + at + 8;
      z.avail_in = vc_be32(g->b + at);
      at += 12 + (size_t)z.avail_in;
      continue;
    }
    z.next_out = out;
    z.avail_out = OUT;
    r = inflate(&z, Z_NO_FLUSH);
    /* Z_BUF_ERROR with input left cannot happen with room for output. */
    if ((r != Z_OK && r != Z_STREAM_END && r != Z_BUF_ERROR) ||
        (r == Z_BUF_ERROR && z.avail_in > 0)) {
      why = _("corrupt compressed image data");
      break;
    }
    size_t k = OUT - z.avail_out;
    if (k > want - got) {
      why = _("more image data than its size");
      break;
    }
    while (seg < nseg && row < got + k) {
      if (out[row - got] > 4) why = _("unknown row filter");
      row += len[seg];
      if (--left == 0 && ++seg < nseg) left = rows[seg];
    }
    got += k;
  }
  if (!why && got != want) why = _("less image data than its size");
  /* Bytes after the stream would be copied too: refuse them. */
  for (; !why && g->n - at >= 12 && chunk_is(g->b + at, "IDAT");
       at += 12 + (size_t)vc_be32(g->b + at))
    z.avail_in += vc_be32(g->b + at);
  if (!why && z.avail_in > 0)
    why = _("data after the end of the compressed image");
  inflateEnd(&z);
  free(out);
  return why ? damaged(g, why) : true;
}

static HPDF_STATUS write_flate_filter(HPDF_Dict dict, HPDF_Stream s) {
  (void)dict;
  return HPDF_Stream_WriteStr(s, "/Filter /FlateDecode\012");
}

/* A new image XObject in doc (in its xref: owned by doc), with its stream
 * reserved for `size` bytes of data.  NULL when libharu failed (its error
 * is set in doc); a half-made object may stay in the xref, unreferenced. */
static HPDF_Dict new_image(HPDF_Doc doc, uint32_t w, uint32_t h, unsigned bpc,
                           size_t size) {
  HPDF_Dict img = HPDF_DictStream_New(doc->mmgr, doc->xref);
  if (!img) return NULL;
  img->header.obj_class |= HPDF_OSUBCLASS_XOBJECT;
  /* One block of memory for the data rather than thousands of 4 KiB ones. */
  size_t block = size > (1u << 20) ? 1u << 20 : size < 4096 ? 4096 : size;
  HPDF_Stream s = HPDF_MemStream_New(doc->mmgr, (HPDF_UINT)block);
  if (!s) return NULL;
  HPDF_Stream_Free(img->stream);
  img->stream = s;
  bool ok = HPDF_Dict_AddName(img, "Type", "XObject") == HPDF_OK &&
            HPDF_Dict_AddName(img, "Subtype", "Image") == HPDF_OK &&
            HPDF_Dict_AddNumber(img, "Width", (HPDF_INT32)w) == HPDF_OK &&
            HPDF_Dict_AddNumber(img, "Height", (HPDF_INT32)h) == HPDF_OK &&
            HPDF_Dict_AddNumber(img, "BitsPerComponent", (HPDF_INT32)bpc) ==
                HPDF_OK;
  return ok ? img : NULL;
}

/* /ColorSpace of g's samples: grey, RGB, or its palette. */
static bool set_colour_space(HPDF_Dict img, const png_t *g) {
  if (g->type != 3)
    return HPDF_Dict_AddName(img, "ColorSpace",
                             g->type == 2 || g->type == 6 ? "DeviceRGB"
                                                          : "DeviceGray") ==
           HPDF_OK;
  HPDF_Array cs = HPDF_Array_New(img->mmgr);
  if (!cs || HPDF_Dict_Add(img, "ColorSpace", cs) != HPDF_OK) return false;
  return HPDF_Array_AddName(cs, "Indexed") == HPDF_OK &&
         HPDF_Array_AddName(cs, "DeviceRGB") == HPDF_OK &&
         HPDF_Array_AddNumber(cs, (HPDF_INT32)g->nplte - 1) == HPDF_OK &&
         HPDF_Array_Add(cs, HPDF_Binary_New(img->mmgr, (HPDF_BYTE *)g->plte,
                                            g->nplte * 3)) == HPDF_OK;
}

/* The XObject whose stream is g's IDAT data as it is. */
static HPDF_Image copy_image(HPDF_Doc doc, const png_t *g) {
  size_t total = 0;
  for (size_t at = g->idat; g->n - at >= 12 && chunk_is(g->b + at, "IDAT");
       at += 12 + (size_t)vc_be32(g->b + at))
    total += vc_be32(g->b + at);
  HPDF_Dict img = new_image(doc, g->w, g->h, g->depth, total);
  if (!img || !set_colour_space(img, g)) return NULL;
  HPDF_Dict parms = HPDF_Dict_New(img->mmgr);
  if (!parms || HPDF_Dict_Add(img, "DecodeParms", parms) != HPDF_OK ||
      HPDF_Dict_AddNumber(parms, "Predictor", 15) != HPDF_OK ||
      HPDF_Dict_AddNumber(parms, "Colors", g->type == 2 ? 3 : 1) != HPDF_OK ||
      HPDF_Dict_AddNumber(parms, "BitsPerComponent", (HPDF_INT32)g->depth) !=
          HPDF_OK ||
      HPDF_Dict_AddNumber(parms, "Columns", (HPDF_INT32)g->w) != HPDF_OK)
    return NULL;
  img->filter = HPDF_STREAM_FILTER_NONE;
  img->write_fn = write_flate_filter;
  for (size_t at = g->idat; g->n - at >= 12 && chunk_is(g->b + at, "IDAT");
       at += 12 + (size_t)vc_be32(g->b + at)) {
    uint32_t len = vc_be32(g->b + at);
    if (len && HPDF_Stream_Write(img->stream, g->b + at + 8, len) != HPDF_OK)
      return NULL;
  }
  return img;
}

/* ---- the rest: decoded once with libpng ---------------------------------- */

typedef struct png_read {
  jmp_buf jb;
  char why[160];
  const unsigned char *b;
  size_t n, at;
} png_read_t;

static void on_error(png_structp png, png_const_charp msg) {
  png_read_t *c = png_get_error_ptr(png);
  snprintf(c->why, sizeof c->why, "%s", msg && *msg ? msg : _("libpng error"));
  longjmp(c->jb, 1);
}

static void on_warning(png_structp png, png_const_charp msg) {
  (void)png, (void)msg; /* as libharu: warnings do not stop a decode */
}

static void read_mem(png_structp png, png_bytep out, png_size_t len) {
  png_read_t *c = png_get_io_ptr(png);
  if (len > c->n - c->at) png_error(png, _("the file is cut short"));
  memcpy(out, c->b + c->at, len);
  c->at += len;
}

/* Decodes g into *pix (malloc'd, caller frees): h rows of *rowbytes,
 * de-interlaced, palette indices one per byte when the palette has tRNS
 * (for the mask), otherwise packed as in the file.  false after a diag. */
static bool decode(png_t *g, unsigned char **pix, size_t *rowbytes) {
  png_read_t *c = malloc(sizeof *c);
  png_structp png = c ? png_create_read_struct(PNG_LIBPNG_VER_STRING, c,
                                               on_error, on_warning)
                      : NULL;
  png_infop info = png ? png_create_info_struct(png) : NULL;
  if (!info) {
    if (png) png_destroy_read_struct(&png, NULL, NULL);
    free(c);
    vc_diag_add(g->d, VC_E_NOMEM, g->path, 0, 0, "out of memory");
    return false;
  }
  unsigned char *volatile buf = NULL;
  png_bytep *volatile rows = NULL;
  volatile bool ok = false;
  c->b = g->b;
  c->n = g->n;
  c->at = 0;
  c->why[0] = '\0'; /* stays empty when our own allocation fails */
  if (!setjmp(c->jb)) {
    png_set_read_fn(png, c, read_mem);
    png_read_info(png, info);
    if (g->trns) png_set_packing(png);
    (void)png_set_interlace_handling(png);
    png_read_update_info(png, info);
    size_t rb = png_get_rowbytes(png, info);
    buf = malloc(rb * g->h);
    rows = malloc(g->h * sizeof *rows);
    if (buf && rows) {
      for (uint32_t y = 0; y < g->h; y++) rows[y] = buf + y * rb;
      png_read_image(png, rows);
      png_read_end(png, NULL);
      *rowbytes = rb;
      ok = true;
    }
  }
  png_destroy_read_struct(&png, &info, NULL);
  free(rows);
  if (!ok) {
    free(buf);
    if (c->why[0])
      damaged(g, c->why);
    else
      vc_diag_add(g->d, VC_E_NOMEM, g->path, 0, 0, "out of memory");
  }
  free(c);
  *pix = ok ? buf : NULL;
  return ok;
}

/* Splits alpha off decoded samples: the colour samples move to the front
 * of pix (in place), the alphas go to *alpha (malloc'd w x h, caller frees;
 * NULL when every pixel is opaque).  For a palette with tRNS the alphas
 * come from it and pix stays.  false when out of memory. */
static bool split_alpha(const png_t *g, unsigned char *pix, size_t rb,
                        unsigned char **alpha) {
  size_t w = g->w, npix = w * g->h;
  unsigned char *a = malloc(npix);
  *alpha = NULL;
  if (!a) return false;
  bool opaque = true;
  if (g->type == 3) {
    for (size_t i = 0; i < npix; i++) {
      unsigned idx = pix[i]; /* one byte per index, rows of w bytes */
      a[i] = idx < g->ntrns ? g->trns[idx] : 255;
      opaque &= a[i] == 255;
    }
  } else {
    unsigned nc = g->type == 6 ? 3 : 1;
    unsigned char *o = pix;
    for (size_t y = 0; y < g->h; y++) {
      const unsigned char *s = pix + y * rb;
      for (size_t x = 0; x < w; x++, s += nc + 1) {
        for (unsigned k = 0; k < nc; k++) *o++ = s[k];
        a[y * w + x] = s[nc];
        opaque &= s[nc] == 255;
      }
    }
  }
  if (opaque) free(a);
  else *alpha = a;
  return true;
}

/* The XObject (and /SMask) for samples of g decoded by decode(). */
static HPDF_Image sample_image(HPDF_Doc doc, const png_t *g,
                               const unsigned char *pix, size_t len,
                               const unsigned char *alpha) {
  bool expanded = g->trns || g->type == 4 || g->type == 6; /* 8-bit */
  HPDF_Dict img = new_image(doc, g->w, g->h, expanded ? 8 : g->depth, len);
  if (!img || !set_colour_space(img, g)) return NULL;
  img->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
  if (HPDF_Stream_Write(img->stream, pix, (HPDF_UINT)len) != HPDF_OK)
    return NULL;
  if (!alpha) return img;
  size_t npix = (size_t)g->w * g->h;
  HPDF_Dict mask = new_image(doc, g->w, g->h, 8, npix);
  if (!mask || HPDF_Dict_AddName(mask, "ColorSpace", "DeviceGray") != HPDF_OK)
    return NULL;
  mask->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
  if (HPDF_Stream_Write(mask->stream, alpha, (HPDF_UINT)npix) != HPDF_OK ||
      HPDF_Dict_Add(img, "SMask", mask) != HPDF_OK)
    return NULL;
  return img;
}

HPDF_Image vc__png_image(HPDF_Doc doc, FILE *f, long size, const char *path,
                        vc_img_info_t *info, bool *refused, vc_diag_t *d) {
  *refused = true;
  png_t g = {.path = path, .d = d};
  if (!slurp(&g, f, size)) return NULL;
  if (!parse(&g)) {
    free((void *)g.b);
    return NULL;
  }
  info->kind = VC_IMG_PNG;
  info->width = g.w;
  info->height = g.h;
  HPDF_Image img = NULL;
  if (!idat_check(&g)) {
    /* refused */
  } else if (!g.interlaced && g.type != 4 && g.type != 6 && !g.trns) {
    *refused = false;
    img = copy_image(doc, &g);
  } else {
    unsigned char *pix, *alpha = NULL;
    size_t rb;
    if (decode(&g, &pix, &rb)) {
      size_t len = rb * g.h;
      bool has_alpha = g.trns || g.type == 4 || g.type == 6;
      if (has_alpha && !split_alpha(&g, pix, rb, &alpha)) {
        vc_diag_add(d, VC_E_NOMEM, path, 0, 0, "out of memory");
      } else {
        if (g.type == 4 || g.type == 6) /* the alpha channel split off */
          len = (size_t)g.w * g.h * (g.type == 6 ? 3 : 1);
        *refused = false;
        img = sample_image(doc, &g, pix, len, alpha);
      }
      free(pix);
      free(alpha);
    }
  }
  free((void *)g.b);
  return img;
}
