/*
 * pdf-private.h - private to src/render (functions vc__*): what the split and stream
 * writers (pdf-split.c, pdf-stream.c) need from pdf.c, and the set of
 * files they write into.
 */
#ifndef VC_PDF_PRIVATE_H
#define VC_PDF_PRIVATE_H

#include <stdbool.h>
#include <sys/uio.h>

#include <hpdf.h>

#include "render/hpdf-pin.h"
#include "render/pdf.h"

/* The libharu document behind p (owned by p). */
HPDF_Doc vc__pdf_hpdf(vc_pdf_t *p);
/* The diag list p reports into. */
vc_diag_t *vc__pdf_diag(vc_pdf_t *p);

/* Ends drawing and applies the repairs a save applies (nested composites,
 * /ToUnicode, font slimming), without writing anything: afterwards every
 * object of the document is as a save would write it.  false + diag, and
 * the document unusable, on failure.  Safe to call again. */
bool vc__pdf_finish_objects(vc_pdf_t *p);

/* pdf.c's check after a libharu call: true when ret_ok and libharu's error
 * handler saw nothing; otherwise a diag ("<doing>: <why>") and the document
 * is unusable. */
bool vc__pdf_hpdf_ok(vc_pdf_t *p, bool ret_ok, const char *doing);

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
