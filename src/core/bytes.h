/*
 * bytes.h - big-endian numbers in file formats (JPEG segment lengths, PNG
 * chunks, TrueType tables): the one reader of each, inline because the
 * font slimmer calls them for every glyph.
 */
#ifndef VC_BYTES_H
#define VC_BYTES_H

#include <stdint.h>

/* The 16- and 32-bit big-endian numbers at b. */
static inline uint16_t vc_be16(const unsigned char *b) {
  return (uint16_t)(b[0] << 8 | b[1]);
}
static inline uint32_t vc_be32(const unsigned char *b) {
  return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

#endif
