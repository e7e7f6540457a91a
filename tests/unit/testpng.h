/* testpng.h - the one PNG writer of the tests, for those that make their own
 * images (valid, damaged, of every kind) to feed the PDF writer: the chunk
 * level, the signature and header, a whole file from its filtered rows, and
 * a gradient of any colour type. */
#ifndef VC_TESTPNG_H
#define VC_TESTPNG_H

#include "testutil.h"

#include <zlib.h>

#define TESTPNG_UNUSED __attribute__((unused))

/* A 32-bit big-endian number, as PNG stores lengths and CRCs. */
static TESTPNG_UNUSED void put32(FILE *f, uint32_t v) {
  unsigned char b[4] = {v >> 24, v >> 16, v >> 8, v};
  fwrite(b, 1, 4, f);
}

/* One chunk: length, type, data, CRC over type and data. */
static TESTPNG_UNUSED void chunk(FILE *f, const char *type, const unsigned char *data,
                                 size_t len) {
  put32(f, (uint32_t)len);
  fwrite(type, 1, 4, f);
  if (len) fwrite(data, 1, len, f);
  uLong crc = crc32(0, (const Bytef *)type, 4);
  if (len) crc = crc32(crc, data, (uInt)len);
  put32(f, (uint32_t)crc);
}

/* The signature and the IHDR chunk of a w x h PNG. */
static TESTPNG_UNUSED void testpng_begin(FILE *f, unsigned w, unsigned h, int depth,
                                         int type, bool interlace) {
  fwrite("\x89PNG\r\n\x1a\n", 1, 8, f);
  unsigned char ih[13] = {w >> 24, w >> 16, w >> 8, w, h >> 24, h >> 16, h >> 8, h,
                          (unsigned char)depth, (unsigned char)type, 0, 0, interlace};
  chunk(f, "IHDR", ih, 13);
}

/* Writes path: a PNG whose rows (each with its filter byte first) are raw,
 * compressed in one IDAT; PLTE and tRNS chunks when plte / trns are given. */
static TESTPNG_UNUSED void testpng_write(const char *path, unsigned w, unsigned h,
                                         int depth, int type, const unsigned char *raw,
                                         size_t raw_len, const unsigned char *plte,
                                         size_t plte_len, const unsigned char *trns,
                                         size_t trns_len) {
  uLongf zlen = compressBound(raw_len);
  unsigned char *z = malloc(zlen);
  assert_non_null(z);
  assert_int_equal(compress(z, &zlen, raw, raw_len), Z_OK);
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  testpng_begin(f, w, h, depth, type, false);
  if (plte) chunk(f, "PLTE", plte, plte_len);
  if (trns) chunk(f, "tRNS", trns, trns_len);
  chunk(f, "IDAT", z, (uint32_t)zlen);
  chunk(f, "IEND", NULL, 0);
  assert_int_equal(fclose(f), 0);
  free(z);
}

/* A w x h PNG of colour type `type` and `depth` bits filled with a gradient
 * (row y, byte i: y * 4 + i); a palette PNG gets four colours; with a tRNS
 * chunk when trns. */
static TESTPNG_UNUSED void testpng_gradient(const char *path, unsigned w, unsigned h,
                                            int depth, int type, bool trns) {
  int ch = type == 2 ? 3 : type == 6 ? 4 : type == 4 ? 2 : 1;
  size_t row = 1 + ((size_t)w * ch * depth + 7) / 8, raw_len = row * h;
  unsigned char *raw = calloc(1, raw_len);
  assert_non_null(raw);
  for (unsigned y = 0; y < h; y++)
    for (size_t i = 1; i < row; i++) raw[y * row + i] = (unsigned char)(y * 4 + i);
  static const unsigned char plte[3 * 4] = {0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255};
  static const unsigned char t[6] = {0, 1, 0, 2, 0, 3};
  testpng_write(path, w, h, depth, type, raw, raw_len, type == 3 ? plte : NULL,
                sizeof plte, trns ? t : NULL, type == 2 ? 6 : type == 0 ? 2 : 1);
  free(raw);
}
#endif
