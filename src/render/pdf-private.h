/*
 * pdf-private.h - private to src/render (functions vc__*): the document's
 * body pdf.c and pdf-draw.c share, what the split and stream writers
 * (pdf-split.c, pdf-stream.c) need from pdf.c, and the set of files they
 * write into.
 */
#ifndef VC_PDF_PRIVATE_H
#define VC_PDF_PRIVATE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/uio.h>

#include <hpdf.h>

#include "render/hpdf-fix.h"
#include "render/hpdf-pin.h"
#include "render/image.h"
#include "render/pdf.h"

/* ---- the document's body, for pdf.c (document, fonts, pages, saving) and
 * pdf-draw.c (text, shapes, images) ---- */

typedef struct vc_pdf_font_ent {
  char *path;
  int index;
  HPDF_Font font;
  /* Handle whose entry holds the state: this one, or an earlier one when
   * libharu hands back the same font (two files, one PostScript name);
   * -1 for a font libharu made but vncert cannot use (kept for the repairs,
   * as libharu writes it anyway). */
  int owner;
  uint8_t used[VC_CP_BITMAP_BYTES]; /* code points drawn (for /ToUnicode) */
} vc_pdf_font_ent_t;

typedef struct vc_pdf_img_ent {
  char *path;
  HPDF_Image img; /* NULL: unusable, why says why (repeated on each use) */
  char *why;
  vc_status_t st;
  vc_img_info_t info;
  uint32_t hash;  /* of path */
} vc_pdf_img_ent_t;

struct vc_pdf {
  HPDF_Doc doc;
  vc_diag_t *d;
  HPDF_STATUS err, detail; /* first error the handler saw since last check */
  bool failed;             /* unusable after a libharu failure */
  bool saved;              /* finished: no more drawing */
  bool repairs;
  HPDF_Page page;
  long pages;
  vc_pdf_font_ent_t **fonts;
  int nfonts;
  vc_pdf_img_ent_t *images;
  size_t nimages, images_cap;
  uint32_t *slot;     /* open hash on path: 1 + index into images, 0 = free */
  size_t nslot;
  size_t held;        /* images whose data is in memory (not yet streamed) */
  bool streamed;      /* pages go to a file as drawn (pdf-stream.c) */
  /* Graphics state last written on the current page, to skip repeats. */
  struct {
    int font;
    double size, fill[3], stroke[3], width, dash;
  } gs;
};

/* The libharu document behind p (owned by p). */
HPDF_Doc vc__pdf_hpdf(vc_pdf_t *p);
/* The diag list p reports into. */
vc_diag_t *vc__pdf_diag(vc_pdf_t *p);

/* Ends drawing and applies the repairs a save applies (nested composites,
 * /ToUnicode, font slimming), without writing anything: afterwards every
 * object of the document is as a save would write it.  false + diag, and
 * the document unusable, on failure.  Safe to call again. */
bool vc__pdf_finish_objects(vc_pdf_t *p);

/* The check after a libharu call: true when ret_ok and libharu's error
 * handler saw nothing.  Otherwise adds a diag ("<doing>: <why> (code)",
 * naming file when not NULL) and either resets the error (fatal false: the
 * document is still consistent) or marks the document unusable. */
bool vc__pdf_check(vc_pdf_t *p, bool ret_ok, const char *file, bool fatal,
                   const char *doing);
/* May the document still be changed (and, with need_page, is there a page to
 * draw on)?  Adds a diag when not, except after a failure (one diag is
 * enough for a broken document). */
bool vc__pdf_drawable(vc_pdf_t *p, bool need_page);

/* For pdf-stream.c: marks p as written page by page (false + diag when a
 * page exists already); ends the current page (the next drawing needs
 * vc_pdf_page); tells p that an image's data went to the file (it no longer
 * counts against VC_PDF_MAX_IMAGES). */
bool vc__pdf_begin_stream(vc_pdf_t *p);
void vc__pdf_end_page(vc_pdf_t *p);
void vc__pdf_image_streamed(vc_pdf_t *p);
/* True when p can be saved whole (it was not streamed); else false + diag. */
bool vc__pdf_whole(vc_pdf_t *p);

/* Writes all of iov[0..n) (changed: used up) to fd, going on after a
 * partial write or EINTR: the one write loop of src/render.  false with
 * errno (EIO for a write of nothing). */
bool vc__pdf_write_iov(int fd, struct iovec *iov, int n);

/* Writes iov[0..n) as a new file for `name` in f's directory, under a
 * temporary name created exclusively; the file joins f (committed or
 * removed with it).  false + diag (into d) on failure, nothing left. */
bool vc__pdf_files_add(vc_pdf_files_t *f, const char *name,
                      const struct iovec *iov, int n, vc_diag_t *d);

#endif
