/*
 * kiosk-assets.c - the built-in files by name (a fixed table made at build
 * time: nothing is read from the file system at run time, so no path a
 * client sends can reach a file) and their content types.
 */
#include <string.h>

#include "kiosk/kiosk-assets.h"
#include "kiosk/kiosk-private.h"

/* By extension; anything else is refused rather than served untyped. */
static const char *type_of(const char *name) {
  static const struct {
    const char *ext, *type;
  } TYPES[] = {
      {".html", "text/html; charset=utf-8"},   {".css", "text/css; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"}, {".ttf", "font/ttf"},
      {".woff2", "font/woff2"},                {".woff", "font/woff"},
      {".png", "image/png"},                   {".svg", "image/svg+xml"},
      {".ico", "image/x-icon"},                {".json", "application/json"},
  };
  const char *dot = strrchr(name, '.');
  for (size_t i = 0; dot && i < sizeof TYPES / sizeof *TYPES; i++)
    if (!strcmp(dot, TYPES[i].ext)) return TYPES[i].type;
  return NULL;
}

bool vc__asset_find(const char *name, const unsigned char **data, size_t *len,
                    const char **type) {
  for (const vc__asset_t *a = vc__kiosk_assets; a->name; a++) {
    if (strcmp(a->name, name) != 0) continue;
    *type = type_of(a->name);
    if (!*type) return false;
    *data = a->data;
    *len = a->len;
    return true;
  }
  return false;
}
