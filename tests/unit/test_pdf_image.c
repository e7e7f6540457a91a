/*
 * test_pdf_image.c - PNG images in the PDF (src/render/pdf-png.c), checked
 * from outside: PNGs of each kind are written here (a small encoder with
 * every row filter, Adam7 interlacing, several IDAT chunks), drawn, and the
 * page rendered by pdftoppm is compared pixel by pixel with the source;
 * poppler must stay silent and qpdf --check clean.  Copied PNGs must carry
 * their IDAT bytes untouched; images are stored once however many pages use
 * them, also in the one-file-per-page split.  Damaged files are refused
 * with a diag naming the file, and the document stays usable.
 */
#define _GNU_SOURCE /* memmem */
#include "testutil.h"
#include "testpng.h"

#include <locale.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "render/pdf.h"

#define K 9 /* device pixels per image pixel: odd, so blocks have a centre */


/* ---- helpers ------------------------------------------------------------- */

static void path_in(char *buf, size_t cap, const char *name) {
  snprintf(buf, cap, "%s/%s", test_dir, name);
}

/* Asserts d holds an item of status st about file `file` whose message has
 * `part`, then clears d. */
static void expect_diag(vc_diag_t *d, vc_status_t st, const char *file,
                        const char *part) {
  bool found = false;
  for (size_t i = 0; i < vc_diag_kept(d); i++) {
    const vc_diag_item_t *it = vc_diag_get(d, i);
    if (it->status == st && strstr(it->msg, part) && it->file &&
        !strcmp(it->file, file))
      found = true;
  }
  if (!found) {
    vc_diag_print(d, stderr);
    fail_msg("no diag %s on %s containing \"%s\"", vc_status_name(st), file,
             part);
  }
  vc_diag_clear(d);
}

/* qpdf --check clean, poppler silent. */
static void check_pdf(const char *pdf) {
  char *out;
  sh(&out,
     "pdftotext '%s' /dev/null 2>&1; pdfimages -list '%s' 2>&1 >/dev/null;"
     " pdftoppm -r 20 '%s' 2>&1 >/dev/null",
     pdf, pdf, pdf);
  if (out[0]) fail_msg("poppler complained about %s:\n%s", pdf, out);
  free(out);
  int rc = sh(&out, "qpdf --check '%s' 2>&1", pdf);
  if (rc != 0 || !strstr(out, "No syntax or stream encoding errors") ||
      strstr(out, "WARNING"))
    fail_msg("qpdf --check %s:\n%s", pdf, out);
  free(out);
}

/* Image XObjects in a file (an image with a mask counts twice). */
static int images_in(const char *pdf) {
  char *out;
  sh(&out,
     "qpdf --qdf --object-streams=disable '%s' - | grep -ac '/Subtype /Image'",
     pdf);
  int n = atoi(out);
  free(out);
  return n;
}

/* ---- a small PNG encoder ------------------------------------------------- */

typedef struct spec {
  const char *name;
  unsigned w, h, type, depth;
  bool interlace, trns;
  int filter;      /* row filter 0-4, or -1: all five in turn */
  size_t idat_max; /* IDAT chunks of at most this many bytes; 0: one */
  bool copied;     /* expected to be embedded as it is */
  bool opaque;     /* alpha: every pixel opaque (no mask expected) */
} spec_t;

static unsigned nch(unsigned type) {
  return type == 2 ? 3 : type == 6 ? 4 : type == 4 ? 2 : 1;
}

static unsigned npal(const spec_t *s) {
  return s->depth < 8 ? 1u << s->depth : 200;
}

static void palette(unsigned i, unsigned char rgb[3]) {
  rgb[0] = (unsigned char)(i * 53 + 11);
  rgb[1] = (unsigned char)(i * 101 + 7);
  rgb[2] = (unsigned char)(i * 29 + 200);
}

static unsigned char pal_alpha(unsigned i) { return (unsigned char)(i * 97); }

/* Sample c of pixel (x, y): a pattern covering the whole range. */
static unsigned sample(const spec_t *s, unsigned x, unsigned y, unsigned c) {
  unsigned max = s->type == 3 ? npal(s) : 1u << s->depth;
  if ((s->type == 4 || s->type == 6) && c == nch(s->type) - 1)
    return s->opaque ? 255 : (x * 5 + y * 3) % 4 * 85; /* 0, 85, 170, 255 */
  return (x * 7 + y * 13 + c * 31) % max;
}

/* Raw row bytes (without filter byte) of `cols` pixels x0, x0+dx, ... */
static size_t pack_row(const spec_t *s, unsigned y, unsigned x0, unsigned dx,
                       unsigned cols, unsigned char *out) {
  unsigned ch = nch(s->type), d = s->depth;
  size_t bits = 0;
  size_t n = ((size_t)cols * ch * d + 7) / 8;
  memset(out, 0, n);
  for (unsigned i = 0; i < cols; i++)
    for (unsigned c = 0; c < ch; c++) {
      unsigned v = sample(s, x0 + i * dx, y, c);
      if (d == 16) {
        out[bits / 8] = (unsigned char)v;
        out[bits / 8 + 1] = (unsigned char)v;
      } else {
        out[bits / 8] |= (unsigned char)(v << (8 - d - bits % 8));
      }
      bits += d;
    }
  return n;
}

static unsigned char paeth(int a, int b, int c) {
  int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);
  return (unsigned char)(pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
}

/* Appends filter byte ft and the filtered row to out. */
static unsigned char *filter_row(int ft, const unsigned char *raw,
                                 const unsigned char *prev, size_t n,
                                 unsigned bpp, unsigned char *out) {
  *out++ = (unsigned char)ft;
  for (size_t i = 0; i < n; i++) {
    int a = i >= bpp ? raw[i - bpp] : 0, b = prev[i],
        c = i >= bpp ? prev[i - bpp] : 0, p = 0;
    switch (ft) {
    case 1: p = a; break;
    case 2: p = b; break;
    case 3: p = (a + b) / 2; break;
    case 4: p = paeth(a, b, c); break;
    }
    *out++ = (unsigned char)(raw[i] - p);
  }
  return out;
}

/* The data to compress: filtered rows, per Adam7 pass when interlaced. */
static unsigned char *raw_data(const spec_t *s, size_t *len) {
  static const unsigned A7[7][4] = {{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8},
                                    {2, 0, 4, 4}, {0, 2, 2, 4}, {1, 0, 2, 2},
                                    {0, 1, 1, 2}};
  unsigned bpp = (nch(s->type) * s->depth + 7) / 8;
  size_t rowmax = ((size_t)s->w * nch(s->type) * s->depth + 7) / 8;
  unsigned char *out = malloc((rowmax + 1) * s->h * 2 + 64);
  unsigned char *raw = malloc(rowmax + 1), *prev = malloc(rowmax + 1), *o = out;
  assert_true(out && raw && prev);
  int row = 0;
  for (int pass = 0; pass < (s->interlace ? 7 : 1); pass++) {
    const unsigned *a =
        s->interlace ? A7[pass] : (const unsigned[]){0, 0, 1, 1};
    unsigned cols = s->w > a[0] ? (s->w - a[0] + a[2] - 1) / a[2] : 0;
    memset(prev, 0, rowmax + 1);
    for (unsigned y = a[1]; cols && y < s->h; y += a[3]) {
      size_t n = pack_row(s, y, a[0], a[2], cols, raw);
      int ft = s->filter >= 0 ? s->filter : row++ % 5;
      o = filter_row(ft, raw, prev, n, bpp, o);
      memcpy(prev, raw, n);
    }
  }
  free(raw);
  free(prev);
  *len = (size_t)(o - out);
  return out;
}

/* Oddities for the damaged-file tests. */
typedef struct quirks {
  const char *before_idat; /* a chunk of that name (4 letters) */
  bool between_idat;       /* a tEXt chunk between two IDAT chunks */
  bool no_iend;
} quirks_t;

/* Writes a PNG of spec s whose IDAT data is z (zlen bytes). */
static void write_png_z(const char *path, const spec_t *s,
                        const unsigned char *z, size_t zlen,
                        const quirks_t *q) {
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  testpng_begin(f, s->w, s->h, s->depth, s->type, s->interlace);
  chunk(f, "gAMA", (const unsigned char *)"\0\0\xb1\x8f", 4); /* ignored */
  if (s->type == 3) {
    unsigned char plte[768], t[256];
    for (unsigned i = 0; i < npal(s); i++) {
      palette(i, plte + 3 * i);
      t[i] = pal_alpha(i);
    }
    chunk(f, "PLTE", plte, 3 * npal(s));
    if (s->trns) chunk(f, "tRNS", t, npal(s));
  } else if (s->trns) {
    chunk(f, "tRNS", (const unsigned char *)"\0\1\0\2\0\3",
          s->type == 2 ? 6 : 2);
  }
  if (q && q->before_idat)
    chunk(f, q->before_idat, (const unsigned char *)"x", 1);
  size_t step = s->idat_max ? s->idat_max : zlen;
  for (size_t at = 0; at < zlen; at += step) {
    if (q && q->between_idat && at > 0)
      chunk(f, "tEXt", (const unsigned char *)"a\0b", 3);
    chunk(f, "IDAT", z + at, zlen - at < step ? zlen - at : step);
  }
  if (!q || !q->no_iend) chunk(f, "IEND", NULL, 0);
  fclose(f);
}

static unsigned char *compress_all(const unsigned char *raw, size_t len,
                                   size_t *zlen) {
  uLongf n = compressBound(len);
  unsigned char *z = malloc(n + 16); /* room for trailing junk */
  assert_non_null(z);
  assert_int_equal(compress2(z, &n, raw, len, 9), Z_OK);
  *zlen = n;
  return z;
}

static void write_png(const char *path, const spec_t *s) {
  size_t len, zlen;
  unsigned char *raw = raw_data(s, &len), *z = compress_all(raw, len, &zlen);
  write_png_z(path, s, z, zlen, NULL);
  free(raw);
  free(z);
}

/* ---- rendering and comparing --------------------------------------------- */

typedef struct ppm {
  int w, h;
  unsigned char *px; /* RGB */
} ppm_t;

/* Page `page` of pdf rendered at 72 dpi (1 pt = 1 pixel); poppler silent. */
static ppm_t render(const char *pdf, int page) {
  char base[256], path[300], *out;
  path_in(base, sizeof base, "render");
  sh(&out, "pdftoppm -r 72 -f %d -l %d -singlefile '%s' '%s' 2>&1", page, page,
     pdf, base);
  if (out[0]) fail_msg("pdftoppm complained about %s:\n%s", pdf, out);
  free(out);
  snprintf(path, sizeof path, "%s.ppm", base);
  size_t n;
  unsigned char *b = slurp(path, &n);
  ppm_t p = {0};
  int off = 0;
  assert_int_equal(sscanf((char *)b, "P6 %d %d 255%n", &p.w, &p.h, &off), 2);
  assert_true(off > 0 && n >= (size_t)off + 1 + (size_t)p.w * p.h * 3);
  p.px = malloc((size_t)p.w * p.h * 3);
  memcpy(p.px, b + off + 1, (size_t)p.w * p.h * 3);
  free(b);
  return p;
}

/* The colour pixel (x, y) of s should show over a white page. */
static void expected(const spec_t *s, unsigned x, unsigned y, int rgb[3]) {
  unsigned v0 = sample(s, x, y, 0), alpha = 255;
  if (s->type == 3) {
    unsigned char c[3];
    palette(v0, c);
    for (int i = 0; i < 3; i++) rgb[i] = c[i];
    if (s->trns) alpha = pal_alpha(v0);
  } else {
    unsigned max = (1u << s->depth) - 1;
    for (int i = 0; i < 3; i++)
      rgb[i] = (int)((s->type == 2 || s->type == 6 ? sample(s, x, y, i) : v0) *
                     255 / max);
    if (s->type == 4 || s->type == 6) alpha = sample(s, x, y, nch(s->type) - 1);
  }
  for (int i = 0; i < 3; i++)
    rgb[i] = (rgb[i] * (int)alpha + 255 * (255 - (int)alpha) + 127) / 255;
}

/* Every pixel of s, drawn K x K from (ox, oy) pixels from the top-left of
 * the rendered page, within 2 of what it should be. */
static void compare(const ppm_t *pg, const spec_t *s, int ox, int oy) {
  for (unsigned y = 0; y < s->h; y++)
    for (unsigned x = 0; x < s->w; x++) {
      int px = ox + (int)x * K + K / 2, py = oy + (int)y * K + K / 2, want[3];
      assert_true(px < pg->w && py < pg->h);
      const unsigned char *got = pg->px + ((size_t)py * pg->w + px) * 3;
      expected(s, x, y, want);
      for (int i = 0; i < 3; i++)
        if (abs(got[i] - want[i]) > 2)
          fail_msg("%s: pixel (%u, %u) is %d %d %d, expected %d %d %d", s->name,
                   x, y, got[0], got[1], got[2], want[0], want[1], want[2]);
    }
}

/* Draws s on a page of its size (image at the top-left, K pt a pixel). */
static void draw(vc_pdf_t *p, const char *png, const spec_t *s, double ph,
                 double x, double top) {
  double w = s->w * K, h = s->h * K;
  assert_true(vc_pdf_image(p, png, x, ph - top - h, w, h));
}

/* ---- each kind of PNG ---------------------------------------------------- */

static spec_t S_GREY1 = {"grey1", 13, 11, 0, 1, .filter = -1, .copied = true};
static spec_t S_GREY2 = {"grey2", 13, 11, 0, 2, .filter = -1, .copied = true};
static spec_t S_GREY4 = {"grey4", 13, 11, 0, 4, .filter = -1, .copied = true};
static spec_t S_GREY8 = {"grey8", 13, 11, 0, 8, .filter = -1, .copied = true};
static spec_t S_RGB8 = {"rgb8", 13, 11, 2, 8, .filter = -1, .idat_max = 50,
                        .copied = true};
static spec_t S_RGB8_PAETH = {"rgb8p",       17, 9, 2, 8, .filter = 4,
                              .copied = true};
static spec_t S_PAL1 = {"pal1", 13, 11, 3, 1, .filter = -1, .copied = true};
static spec_t S_PAL2 = {"pal2", 13, 11, 3, 2, .filter = -1, .copied = true};
static spec_t S_PAL4 = {"pal4", 13, 11, 3, 4, .filter = -1, .copied = true};
static spec_t S_PAL8 = {"pal8", 13, 11, 3, 8, .filter = -1, .copied = true};
static spec_t S_IGREY2 = {"igrey2",          13,          11, 0, 2,
                          .interlace = true, .filter = -1};
static spec_t S_IRGB8 = {"irgb8",           13,          11, 2, 8,
                         .interlace = true, .filter = -1};
static spec_t S_IPAL4 = {"ipal4",           13,          11, 3, 4,
                         .interlace = true, .filter = -1};
static spec_t S_RGBA = {"rgba", 13, 11, 6, 8, .filter = -1};
static spec_t S_IRGBA = {"irgba",           13,          11, 6, 8,
                         .interlace = true, .filter = -1};
static spec_t S_GA = {"ga", 13, 11, 4, 8, .filter = -1};
static spec_t S_RGBA_OPAQUE = {"rgba1",       13, 11, 6, 8, .filter = 1,
                               .opaque = true};
static spec_t S_PAL2T = {"pal2t", 13, 11, 3, 2, .trns = true, .filter = -1};
static spec_t S_PAL8T = {"pal8t", 13, 11, 3, 8, .trns = true, .filter = -1};

static void test_kind(void **state) {
  const spec_t *s = *state;
  char png[256], pdf[256], name[64];
  snprintf(name, sizeof name, "%s.png", s->name);
  path_in(png, sizeof png, name);
  snprintf(name, sizeof name, "%s.pdf", s->name);
  path_in(pdf, sizeof pdf, name);
  write_png(png, s);
  vc_diag_t *d = vc_diag_create();
  vc_pdf_t *p = vc_pdf_create(NULL, d);
  double pw = s->w * K + 20, ph = s->h * K + 20, w, h;
  assert_true(vc_pdf_image_size(p, png, &w, &h));
  assert_true(w == s->w && h == s->h);
  assert_true(vc_pdf_page(p, pw, ph));
  draw(p, png, s, ph, 10, 10);
  assert_true(vc_pdf_save_file(p, pdf));
  expect_no_diag(d);
  vc_pdf_free(p);
  vc_diag_free(d);
  check_pdf(pdf);
  ppm_t pg = render(pdf, 1);
  compare(&pg, s, 10, 10);
  free(pg.px);
  bool masked = !s->opaque && (s->trns || s->type == 4 || s->type == 6);
  assert_int_equal(images_in(pdf), masked ? 2 : 1);
  /* copied: the PNG's compressed data is in the PDF byte for byte */
  size_t plen, flen;
  unsigned char *pb = slurp(pdf, &plen), *fb = slurp(png, &flen);
  size_t zlen, rlen;
  unsigned char *raw = raw_data(s, &rlen), *z = compress_all(raw, rlen, &zlen);
  assert_int_equal(memmem(pb, plen, z, zlen) != NULL, s->copied);
  assert_int_equal(memmem(pb, plen, "/Predictor 15", 13) != NULL, s->copied);
  if (s->copied) assert_true(plen < flen + 2000);
  free(pb), free(fb), free(raw), free(z);
}

/* ---- damaged and refused files ------------------------------------------- */

typedef enum damage {
  D_CRC,        /* a byte of IDAT changed, CRC left */
  D_DATA,       /* a byte of the compressed data changed, CRC correct */
  D_CUT,        /* the file ends inside IDAT */
  D_ZCUT,       /* the compressed data ends early (whole chunks) */
  D_SHORT,      /* one row fewer than the header says */
  D_LONG,       /* one row more */
  D_FILTER,     /* a row filter type 5 */
  D_TRAILING,   /* bytes after the end of the zlib stream */
  D_CRITICAL,   /* an unknown critical chunk */
  D_APART,      /* IDAT chunks with another chunk between */
} damage_t;

/* Writes s into path with damage dm. */
static void write_damaged(const char *path, const spec_t *s, damage_t dm) {
  size_t len, zlen;
  unsigned char *raw = raw_data(s, &len);
  size_t rowlen = len / s->h;
  if (dm == D_SHORT) len -= rowlen;
  if (dm == D_LONG) {
    memcpy(raw + len, raw + len - rowlen, rowlen);
    len += rowlen;
  }
  if (dm == D_FILTER) raw[s->interlace ? 0 : rowlen * 3] = 5; /* a row start */
  unsigned char *z = compress_all(raw, len, &zlen);
  quirks_t q = {0};
  spec_t t = *s;
  switch (dm) {
  case D_DATA: z[zlen / 2] ^= 0x5A; break;
  case D_ZCUT: zlen -= 8; break;
  case D_TRAILING: memcpy(z + zlen, "junk", 4), zlen += 4; break;
  case D_CRITICAL: q.before_idat = "ZZZZ"; break;
  case D_APART: q.between_idat = true, t.idat_max = zlen / 2 + 1; break;
  default: break;
  }
  write_png_z(path, &t, z, zlen, &q);
  if (dm == D_CRC || dm == D_CUT) { /* in the last IDAT chunk's data */
    size_t n;
    unsigned char *b = slurp(path, &n), *c = NULL;
    for (unsigned char *h = b; (h = memmem(h, n - (size_t)(h - b), "IDAT", 4));
         h++)
      c = h;
    assert_non_null(c);
    uint32_t clen = (uint32_t)c[-4] << 24 | c[-3] << 16 | c[-2] << 8 | c[-1];
    long data = (long)(c - b) + 4;
    free(b);
    if (dm == D_CUT) {
      assert_int_equal(truncate(path, data + clen / 2), 0);
    } else {
      FILE *f = fopen(path, "r+b");
      fseek(f, data + clen / 2, SEEK_SET);
      int v = fgetc(f);
      fseek(f, data + clen / 2, SEEK_SET);
      fputc(v ^ 0x10, f);
      fclose(f);
    }
  }
  free(raw);
  free(z);
}

static void test_damaged(void **state) {
  static const struct {
    damage_t dm;
    const char *says;
  } cases[] = {
      {D_CRC, "checksum error in its IDAT chunk"},
      {D_DATA, "corrupt compressed image data"},
      {D_CUT, "cut short"},
      {D_ZCUT, "cut short"},
      {D_SHORT, "less image data"},
      {D_LONG, "more image data"},
      {D_FILTER, "unknown row filter"},
      {D_TRAILING, "data after the end"},
      {D_CRITICAL, "unknown critical chunk ZZZZ"},
      {D_APART, "image data chunks apart"},
  };
  const spec_t *kinds[] = {&S_RGB8, &S_PAL2, &S_GREY1, &S_IRGB8, &S_RGBA};
  vc_diag_t *d = vc_diag_create();
  vc_pdf_t *p = vc_pdf_create(NULL, d);
  assert_true(vc_pdf_page(p, 200, 200));
  for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++)
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
      const spec_t *s = kinds[k];
      char path[256], name[64];
      snprintf(name, sizeof name, "bad-%s-%zu.png", s->name, i);
      path_in(path, sizeof path, name);
      write_damaged(path, s, cases[i].dm);
      assert_false(vc_pdf_image(p, path, 0, 0, 50, 50));
      expect_diag(d, VC_E_INPUT, path, cases[i].says);
      assert_false(vc_pdf_image(p, path, 0, 0, 50, 50)); /* said again */
      expect_diag(d, VC_E_INPUT, path, "PNG file");
    }
  /* refused kinds */
  char path[256];
  spec_t deep = {"deep", 8, 8, 2, 16, .filter = 0};
  path_in(path, sizeof path, "deep.png");
  write_png(path, &deep);
  assert_false(vc_pdf_image(p, path, 0, 0, 10, 10));
  expect_diag(d, VC_E_INPUT, path, "16 bits");
  spec_t key = {"key", 8, 8, 2, 8, .trns = true, .filter = 0};
  path_in(path, sizeof path, "key.png");
  write_png(path, &key);
  assert_false(vc_pdf_image(p, path, 0, 0, 10, 10));
  expect_diag(d, VC_E_INPUT, path, "tRNS");
  spec_t gkey = {"gkey", 8, 8, 0, 4, .trns = true, .filter = 0};
  path_in(path, sizeof path, "gkey.png");
  write_png(path, &gkey);
  assert_false(vc_pdf_image(p, path, 0, 0, 10, 10));
  expect_diag(d, VC_E_INPUT, path, "tRNS");
  /* the document is still fine */
  char pdf[256];
  path_in(pdf, sizeof pdf, "damaged.pdf");
  assert_true(vc_pdf_save_file(p, pdf));
  expect_no_diag(d);
  vc_pdf_free(p);
  vc_diag_free(d);
  check_pdf(pdf);
}

/* Oddities that are no damage: an ancillary chunk with a bad CRC is
 * dropped (as libpng does), a missing IEND after whole data is accepted. */
static void test_tolerated(void **state) {
  const spec_t *s = &S_RGB8;
  char a[256], b[256], pdf[256];
  size_t len, zlen;
  unsigned char *raw = raw_data(s, &len), *z = compress_all(raw, len, &zlen);
  path_in(a, sizeof a, "anc.png");
  quirks_t q = {.before_idat = "teXt"};
  write_png_z(a, s, z, zlen, &q);
  FILE *f = fopen(a, "r+b"); /* the teXt chunk's data byte */
  size_t at = 0;
  unsigned char *fb = slurp(a, &at);
  unsigned char *hit = memmem(fb, at, "teXtx", 5);
  assert_non_null(hit);
  fseek(f, (long)(hit - fb) + 4, SEEK_SET);
  fputc('y', f);
  fclose(f);
  free(fb);
  path_in(b, sizeof b, "noend.png");
  q = (quirks_t){.no_iend = true};
  write_png_z(b, s, z, zlen, &q);
  free(raw), free(z);
  vc_diag_t *d = vc_diag_create();
  vc_pdf_t *p = vc_pdf_create(NULL, d);
  double ph = s->h * K + 20;
  assert_true(vc_pdf_page(p, 2 * s->w * K + 30, ph));
  draw(p, a, s, ph, 10, 10);
  draw(p, b, s, ph, 20 + s->w * K, 10);
  path_in(pdf, sizeof pdf, "tolerated.pdf");
  assert_true(vc_pdf_save_file(p, pdf));
  expect_no_diag(d);
  vc_pdf_free(p);
  vc_diag_free(d);
  check_pdf(pdf);
  ppm_t pg = render(pdf, 1);
  compare(&pg, s, 10, 10);
  compare(&pg, s, 20 + (int)s->w * K, 10);
  free(pg.px);
}

/* ---- stored once, in the whole document and in the split ----------------- */

static void test_shared(void **state) {
  enum { N = 3 };
  const spec_t *kinds[] = {&S_RGB8, &S_RGBA, &S_PAL4};
  char png[3][256], pdf[256], dir[256];
  for (int i = 0; i < 3; i++) {
    char name[64];
    snprintf(name, sizeof name, "shared-%s.png", kinds[i]->name);
    path_in(png[i], sizeof png[i], name);
    write_png(png[i], kinds[i]);
  }
  vc_diag_t *d = vc_diag_create();
  vc_pdf_t *p = vc_pdf_create(NULL, d);
  const double pw = 3 * (13 * K + 10) + 10, ph = 11 * K + 20;
  for (int pg = 0; pg < N; pg++) {
    assert_true(vc_pdf_page(p, pw, ph));
    for (int i = 0; i < 3; i++)
      draw(p, png[i], kinds[i], ph, 10 + i * (13 * K + 10), 10);
    assert_true(vc_pdf_image(p, png[0], 0, 0, 5, 5)); /* again, small */
  }
  /* one file per page: each complete, with the images it uses */
  path_in(dir, sizeof dir, "split");
  assert_int_equal(mkdir(dir, 0777), 0);
  vc_pdf_files_t *f = vc_pdf_files_open(dir, false, d);
  assert_non_null(f);
  const char *names[N] = {"a.pdf", "b.pdf", "c.pdf"};
  assert_true(vc_pdf_split(p, names, N, f));
  assert_true(vc_pdf_files_commit(f, d));
  vc_pdf_files_free(f);
  expect_no_diag(d);
  for (int pg = 0; pg < N; pg++) {
    char one[300];
    snprintf(one, sizeof one, "%s/%s", dir, names[pg]);
    check_pdf(one);
    assert_int_equal(images_in(one), 4);
    ppm_t r = render(one, 1);
    for (int i = 0; i < 3; i++)
      compare(&r, kinds[i], 10 + i * (13 * K + 10), 10);
    free(r.px);
  }
  /* and the whole document: each image once */
  path_in(pdf, sizeof pdf, "shared.pdf");
  assert_true(vc_pdf_save_file(p, pdf));
  expect_no_diag(d);
  check_pdf(pdf);
  assert_int_equal(images_in(pdf), 4); /* three images and one mask */
  char *out;
  assert_int_equal(sh(&out, "pdfimages -list '%s' | tail -n +3 | wc -l", pdf),
                   0);
  assert_string_equal(out, "15\n"); /* 3 pages x (4 uses + 1 mask) */
  free(out);
  for (int pg = 1; pg <= N; pg++) {
    ppm_t r = render(pdf, pg);
    for (int i = 0; i < 3; i++)
      compare(&r, kinds[i], 10 + i * (13 * K + 10), 10);
    free(r.px);
  }
  vc_pdf_free(p);
  vc_diag_free(d);
}

/* ---- main ---------------------------------------------------------------- */

static int setup(void **state) { return test_dir_make("test_pdf_image"); }

#define KIND(s) cmocka_unit_test_prestate(test_kind, &(s))

int main(void) {
  setlocale(LC_ALL, ""); /* the fr_FR run must reach the code under test */
  const struct CMUnitTest tests[] = {
      KIND(S_GREY1),  KIND(S_GREY2), KIND(S_GREY4),  KIND(S_GREY8),
      KIND(S_RGB8),   KIND(S_RGB8_PAETH), KIND(S_PAL1), KIND(S_PAL2),
      KIND(S_PAL4),   KIND(S_PAL8),  KIND(S_IGREY2), KIND(S_IRGB8),
      KIND(S_IPAL4),  KIND(S_RGBA),  KIND(S_IRGBA),  KIND(S_GA),
      KIND(S_RGBA_OPAQUE), KIND(S_PAL2T), KIND(S_PAL8T),
      cmocka_unit_test(test_damaged),
      cmocka_unit_test(test_tolerated),
      cmocka_unit_test(test_shared),
  };
  return cmocka_run_group_tests(tests, setup, test_dir_teardown);
}
