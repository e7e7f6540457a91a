/*
 * kiosk-assets.h - the kiosk's built-in files: the Makefile writes
 * build/gen/kiosk-assets.c (xxd -i of every file of src/kiosk/www and the
 * bundled Noto Sans), ending in this table, name -> bytes, {0} last.
 */
#ifndef VC_KIOSK_ASSETS_H
#define VC_KIOSK_ASSETS_H

#include <stddef.h>

typedef struct vc__asset {
  const char *name; /* base name: "index.html", "NotoSans-Regular.ttf" */
  const unsigned char *data;
  size_t len;
} vc__asset_t;

extern const vc__asset_t vc__kiosk_assets[];

#endif
