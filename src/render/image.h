/*
 * image.h - private to src/render (functions vc__*): the image files vncert
 * draws (PNG, JPEG): checked from their headers before anything reads them
 * (image-probe.c), then loaded into a document (vc__img_load; PNG through
 * pdf-png.c).  Nothing here is about libharu's internals (hpdf-fix.h is).
 */
#ifndef VC_IMAGE_H
#define VC_IMAGE_H

#include <hpdf.h>
#include <stdbool.h>
#include <stdio.h>

#include "core/diag.h"

/* Image files: the largest vncert reads. */
#define VC_PDF_IMAGE_MAX_BYTES (32L << 20)   /* file size */
#define VC_PDF_IMAGE_MAX_PIXELS 30000000L     /* width x height */
#define VC_PDF_IMAGE_MAX_SIDE 20000            /* pixels */

typedef enum vc_img_kind { VC_IMG_PNG = 1, VC_IMG_JPEG } vc_img_kind_t;
typedef struct vc_img_info {
  vc_img_kind_t kind;
  unsigned long width, height; /* pixels */
} vc_img_info_t;

/* Checks an image file before anything else reads it, from its headers:
 * a PNG of 8 bits or less per sample without a tRNS colour key (palette
 * transparency is fine), whose chunks are whole with correct checksums
 * (the pixel data is checked when loading, vc__png_image); a JPEG baseline,
 * extended or progressive, 8-bit, 1, 3 or 4 components (libharu copies
 * JPEG data without decoding it); within the caps above.  Fills info.
 * false + diag naming the file, why, and what to do. */
bool vc__img_probe(const char *path, vc_img_info_t *info, vc_diag_t *d);

/* Loads an image file into doc for drawing, after the checks above: a
 * JPEG is given to libharu (which copies its data), a PNG goes through
 * vc__png_image.  Fills info.  Returns the image, owned by doc.  NULL with
 * *refused true after a diag (nothing added to doc); NULL with *refused
 * false when libharu failed: its error is set in doc, and an unreferenced
 * object may stay in it (harmless). */
HPDF_Image vc__img_load(HPDF_Doc doc, const char *path, vc_img_info_t *info,
                       bool *refused, vc_diag_t *d);

/* ---- PNG (pdf-png.c) ---- */

/* vc__img_probe for a PNG: f is the open file, size bytes (read from its
 * start).  Checks all chunks (lengths, order, CRCs), not the pixel data. */
bool vc__png_probe(FILE *f, long size, const char *path, vc_img_info_t *info,
                  vc_diag_t *d);

/* Makes an image XObject in doc from the PNG file f (open, size bytes,
 * read from its start) named path.  A non-interlaced grey, RGB or palette
 * PNG without tRNS is embedded as it is (its compressed data, with
 * /DecodeParms for PNG predictors) once its chunks and its inflated data
 * are checked; any other PNG is decoded once with libpng and embedded as
 * samples (Flate), with an /SMask for an alpha channel or palette
 * transparency.  libharu never reads the file.  Fills info.  Returns and
 * reports as vc__img_load. */
HPDF_Image vc__png_image(HPDF_Doc doc, FILE *f, long size, const char *path,
                        vc_img_info_t *info, bool *refused, vc_diag_t *d);

#endif
