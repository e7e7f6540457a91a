/* testpng.h - the chunk level of a PNG writer, for tests that make their
 * own images (valid, damaged, of every kind) to feed the PDF writer. */
#ifndef VC_TESTPNG_H
#define VC_TESTPNG_H

#include <stdint.h>
#include <stdio.h>
#include <zlib.h>

/* A 32-bit big-endian number, as PNG stores lengths and CRCs. */
static void put32(FILE *f, uint32_t v) __attribute__((unused));
static void put32(FILE *f, uint32_t v) {
  unsigned char b[4] = {v >> 24, v >> 16, v >> 8, v};
  fwrite(b, 1, 4, f);
}

/* One chunk: length, type, data, CRC over type and data. */
static void chunk(FILE *f, const char *type, const unsigned char *data, size_t len)
    __attribute__((unused));
static void chunk(FILE *f, const char *type, const unsigned char *data, size_t len) {
  put32(f, (uint32_t)len);
  fwrite(type, 1, 4, f);
  if (len) fwrite(data, 1, len, f);
  uLong crc = crc32(0, (const Bytef *)type, 4);
  if (len) crc = crc32(crc, data, (uInt)len);
  put32(f, (uint32_t)crc);
}
#endif
