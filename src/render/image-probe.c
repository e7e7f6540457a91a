/*
 * image-probe.c - an image file's headers checked before libharu or libpng
 * reads it (see image.h): its kind by content, not by name, its size within
 * the caps, and a JPEG's markers walked as libharu's reader will.
 */
#include "core/i18n.h"
#include "render/image.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/mem.h"

static bool rd(FILE *f, void *buf, size_t n) { return fread(buf, 1, n, f) == n; }

/* Walks the marker segments like libharu's own reader does (one segment
 * after another, each with its length) up to the frame header. */
static bool jpeg_probe(FILE *f, const char *path, vc_img_info_t *info,
                       vc_diag_t *d) {
  unsigned char m[4];
  if (fseek(f, 2, SEEK_SET) != 0) goto bad;
  for (int guard = 0; guard < 10000; guard++) {
    if (!rd(f, m, 4) || m[0] != 0xFF) goto bad;
    unsigned mk = m[1], len = vc_be16(m + 2);
    if (mk == 0xD9 || mk == 0xDA || len < 2) goto bad; /* no frame header */
    bool sof = mk >= 0xC0 && mk <= 0xCF && mk != 0xC4 && mk != 0xC8 &&
               mk != 0xCC;
    if (!sof) {
      if (fseek(f, (long)len - 2, SEEK_CUR) != 0) goto bad;
      continue;
    }
    unsigned char s[6];
    if (len < 8 || !rd(f, s, 6)) goto bad;
    if (mk != 0xC0 && mk != 0xC1 && mk != 0xC2) {
      vc_diag_add(d, VC_E_INPUT, path, 0, 0,
                  "JPEG using %s coding, which PDF readers do not all "
                  "support: save it as a baseline JPEG",
                  (mk == 0xC3 || mk == 0xC7 || mk == 0xCB || mk == 0xCF)
                      ? _("lossless")
                      : (mk >= 0xC9 ? _("arithmetic") : _("hierarchical")));
      return false;
    }
    unsigned prec = s[0], hgt = vc_be16(s + 1), w = vc_be16(s + 3), nc = s[5];
    if (prec != 8 || (nc != 1 && nc != 3 && nc != 4)) {
      vc_diag_add(d, VC_E_INPUT, path, 0, 0,
                  "JPEG with %u-bit samples and %u colour components; only "
                  "8-bit grey, RGB or CMYK JPEGs can be used: save it as an "
                  "ordinary 8-bit RGB JPEG",
                  prec, nc);
      return false;
    }
    if (w == 0 || hgt == 0) goto bad;
    if ((unsigned long)w * hgt > (unsigned long)VC_PDF_IMAGE_MAX_PIXELS ||
        w > VC_PDF_IMAGE_MAX_SIDE || hgt > VC_PDF_IMAGE_MAX_SIDE) {
      vc_diag_add(d, VC_E_LIMIT, path, 0, 0,
                  "image of %u x %u pixels is larger than the limit (%ld "
                  "pixels, %d on a side): scale it down",
                  w, hgt, VC_PDF_IMAGE_MAX_PIXELS, VC_PDF_IMAGE_MAX_SIDE);
      return false;
    }
    info->kind = VC_IMG_JPEG;
    info->width = w;
    info->height = hgt;
    return true;
  }
bad:
  vc_diag_add(d, VC_E_INPUT, path, 0, 0,
              "not a valid JPEG file (damaged, or no frame header)");
  return false;
}

/* Opens an image file: a regular file of at most VC_PDF_IMAGE_MAX_BYTES
 * (*size bytes), PNG or JPEG by its signature (*kind).  The caller closes
 * it.  NULL after a diag. */
static FILE *img_open(const char *path, long *size, vc_img_kind_t *kind,
                      vc_diag_t *d) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    vc_diag_add(d, VC_E_IO, path, 0, 0, "cannot open image: %s",
                strerror(errno));
    return NULL;
  }
  struct stat st;
  unsigned char sig[8] = {0};
  bool ok = false;
  if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
    vc_diag_add(d, VC_E_IO, path, 0, 0, "image is not a regular file");
  } else if (st.st_size > VC_PDF_IMAGE_MAX_BYTES) {
    vc_diag_add(d, VC_E_LIMIT, path, 0, 0,
                "image file of %lld bytes is larger than the limit of %ld "
                "bytes: make it smaller (JPEG, or fewer pixels)",
                (long long)st.st_size, VC_PDF_IMAGE_MAX_BYTES);
  } else if (!rd(f, sig, 8) && st.st_size >= 8) {
    vc_diag_add(d, VC_E_IO, path, 0, 0, "cannot read image: %s",
                strerror(errno));
  } else if (!memcmp(sig, "\x89PNG\r\n\x1a\n", 8)) {
    *kind = VC_IMG_PNG;
    ok = true;
  } else if (sig[0] == 0xFF && sig[1] == 0xD8 && sig[2] == 0xFF) {
    *kind = VC_IMG_JPEG;
    ok = true;
  } else {
    vc_diag_add(d, VC_E_INPUT, path, 0, 0,
                "not a PNG or JPEG image (unknown file type): save it as "
                "PNG or JPEG");
  }
  if (ok) {
    *size = (long)st.st_size;
    return f;
  }
  fclose(f);
  return NULL;
}

bool vc__img_probe(const char *path, vc_img_info_t *info, vc_diag_t *d) {
  long size;
  vc_img_kind_t kind;
  FILE *f = img_open(path, &size, &kind, d);
  if (!f) return false;
  bool ok = kind == VC_IMG_PNG ? vc__png_probe(f, size, path, info, d)
                               : jpeg_probe(f, path, info, d);
  fclose(f);
  return ok;
}

HPDF_Image vc__img_load(HPDF_Doc doc, const char *path, vc_img_info_t *info,
                       bool *refused, vc_diag_t *d) {
  *refused = true;
  long size;
  vc_img_kind_t kind;
  FILE *f = img_open(path, &size, &kind, d);
  if (!f) return NULL;
  HPDF_Image img = NULL;
  if (kind == VC_IMG_PNG) {
    img = vc__png_image(doc, f, size, path, info, refused, d);
  } else if (jpeg_probe(f, path, info, d)) {
    *refused = false; /* libharu copies JPEG data as it is */
    img = HPDF_LoadJpegImageFromFile(doc, path);
  }
  fclose(f);
  return img;
}
