/*
 * fuzz_png.c - libFuzzer target for PNG images (src/render/pdf-png.c): the
 * chunk walk, the inflate check, the copy into the PDF and the libpng
 * decode of interlaced and transparent PNGs.  Any input must be drawn or
 * refused with a diag, never crash, leak or hit undefined behaviour, and a
 * drawn image must leave a document that saves.
 *
 * vc_pdf_image reads files, so each input is written to one temporary file
 * (made on the first call, removed at exit).  Mutations rarely keep chunk
 * CRCs right, which stops most inputs at the first check: inputs of odd
 * length get their CRCs recomputed, to reach the inflate check, the copy
 * and libpng.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zlib.h>

#include "render/pdf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char g_path[64];

static void remove_file(void) { unlink(g_path); }

static uint32_t be32(const uint8_t *b) {
  return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 |
         b[3];
}

/* Rewrites the CRC of every whole chunk of a PNG in b. */
static void fix_crcs(uint8_t *b, size_t n) {
  for (size_t at = 8; n >= 12 && at <= n - 12;) {
    uint32_t len = be32(b + at);
    if (len > n - at - 12) break;
    uint32_t c = (uint32_t)crc32(0, b + at + 4, len + 4);
    uint8_t *p = b + at + 8 + len;
    p[0] = (uint8_t)(c >> 24), p[1] = (uint8_t)(c >> 16);
    p[2] = (uint8_t)(c >> 8), p[3] = (uint8_t)c;
    at += 12 + (size_t)len;
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!g_path[0]) {
    snprintf(g_path, sizeof g_path, "/tmp/vc-fuzz-png-input.XXXXXX");
    int fd = mkstemp(g_path);
    if (fd < 0) __builtin_trap();
    close(fd);
    atexit(remove_file);
  }
  uint8_t *copy = malloc(size ? size : 1);
  if (!copy) __builtin_trap();
  memcpy(copy, data, size);
  if (size % 2) fix_crcs(copy, size);
  FILE *f = fopen(g_path, "wb");
  if (!f || fwrite(copy, 1, size, f) != size || fclose(f) != 0)
    __builtin_trap();
  free(copy);
  vc_diag_t *d = vc_diag_create();
  vc_pdf_t *p = vc_pdf_create(NULL, d);
  if (!p || !vc_pdf_page(p, 100, 100)) __builtin_trap();
  bool drawn = vc_pdf_image(p, g_path, 0, 0, 100, 100);
  if (drawn != (vc_diag_count(d) == 0)) __builtin_trap();
  unsigned char *pdf = NULL;
  size_t len = 0;
  if (!vc_pdf_save_mem(p, &pdf, &len)) __builtin_trap();
  free(pdf);
  vc_pdf_free(p);
  vc_diag_free(d);
  return 0;
}
