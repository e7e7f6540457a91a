/*
 * mem.h - bytes in memory, inline (they run in hot loops): the one reader
 * of big-endian numbers in file formats (JPEG segment lengths, PNG chunks,
 * TrueType tables) and the one growth policy for arrays (each doubles,
 * from a first size).
 */
#ifndef VC_MEM_H
#define VC_MEM_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The 16- and 32-bit big-endian numbers at b. */
static inline uint16_t vc_be16(const unsigned char *b) {
  return (uint16_t)(b[0] << 8 | b[1]);
}
static inline uint32_t vc_be32(const unsigned char *b) {
  return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/* Room for need more items in an array: arrayp points to the array pointer
 * (any element type), n items are in use, *cap allocated, each item_size
 * bytes.  When they do not fit, doubles *cap (from first when 0) until
 * they do and reallocates once.  false on no memory, the array and *cap
 * unchanged (the caller adds the diag). */
static inline bool vc_array_reserve(void *arrayp, size_t n, size_t need, size_t *cap,
                                    size_t item_size, size_t first) {
  if (need <= *cap && n <= *cap - need) return true;
  if (need > SIZE_MAX - n) return false;
  size_t nc = *cap ? *cap : first;
  while (nc < n + need) {
    if (nc > SIZE_MAX / 2) return false;
    nc *= 2;
  }
  void *old, *nv;
  if (nc > SIZE_MAX / item_size) return false;
  memcpy(&old, arrayp, sizeof old); /* void ** would not alias a T ** */
  if (!(nv = realloc(old, nc * item_size))) return false;
  memcpy(arrayp, &nv, sizeof nv);
  *cap = nc;
  return true;
}

/* Room for one more item (vc_array_reserve of 1): the usual append. */
static inline bool vc_array_grow(void *arrayp, size_t n, size_t *cap,
                                 size_t item_size, size_t first) {
  return vc_array_reserve(arrayp, n, 1, cap, item_size, first);
}

#endif
