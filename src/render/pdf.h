/*
 * pdf.h - the PDF writer: a thin layer over libharu 2.3.0 that also repairs
 * its defects (../shared/notes/libharu-2.3.0.md): nested composite glyphs
 * kept whole in font subsets, a valid /ToUnicode map, more than 32,767
 * pages, errors recorded instead of lost, PNGs embedded without its libpng
 * decode (most copied as they are, pdf-png.c), images that would crash or
 * mislead it refused, atomic file output; and fonts set up fast and
 * embedded with only what is drawn (hpdf-slim.c: ~10 KB a font instead of
 * ~50 KB).
 *
 * Coordinates are PDF points with the origin at the bottom-left of the
 * page.  One vc_pdf_t is one document; use one per thread.
 */
#ifndef VC_PDF_H
#define VC_PDF_H

#include <stdbool.h>
#include <stddef.h>

#include "core/diag.h"

typedef struct vc_pdf vc_pdf_t;

/* New document.  title (UTF-8) may be NULL.  NULL (with a diag) on failure.
 * Every later problem is reported into d, which must outlive the document.
 * After a failure of the PDF library the document is unusable: later calls
 * return false (or -1) without adding more diags, and saving fails. */
vc_pdf_t *vc_pdf_create(const char *title, vc_diag_t *d);
/* Frees the document and everything it holds; safe with NULL. */
void vc_pdf_free(vc_pdf_t *p);

/* Most fonts and distinct image files in one document, most bytes of text
 * in one vc_pdf_text call (VC_E_LIMIT beyond).  Image caps are in image.h,
 * font file caps in hpdf-fix.h; all are listed in docs/limits.md. */
#define VC_PDF_MAX_FONTS 64
#define VC_PDF_MAX_IMAGES 256
/* Images whose data is in memory (loaded, not yet streamed to a file):
 * what VC_PDF_MAX_IMAGES counts. */
size_t vc_pdf_images_held(const vc_pdf_t *p);
#define VC_PDF_TEXT_MAX_BYTES 16384

/* Page content is compressed by default (fonts and images always are).
 * Must be called before the first page; false with a diag otherwise. */
bool vc_pdf_set_compression(vc_pdf_t *p, bool content);
/* For tests and diagnosis only: without the repairs, libharu's defects show
 * (missing accents, invalid /ToUnicode).  On by default. */
void vc_pdf_set_repairs(vc_pdf_t *p, bool on);

/* Loads a TrueType font file (face index for .ttc) for use in this document,
 * embedded as a subset; returns a handle >= 0, or -1 with a diag.  Loading
 * the same path twice returns the same handle.  A CFF-flavoured .otf is
 * refused (VC_E_FONT).  A font that cannot be loaded leaves the document
 * usable. */
int vc_pdf_font(vc_pdf_t *p, const char *path, int face_index);

/* Starts a new page (the previous one is finished). */
bool vc_pdf_page(vc_pdf_t *p, double w_pt, double h_pt);
long vc_pdf_page_count(const vc_pdf_t *p);
/* Saves the graphics state and moves the origin to (x, y) pt, until
 * vc_pdf_pop: what is drawn between lands in a label's cell (issue 13).
 * Pushes do not nest. */
bool vc_pdf_push_at(vc_pdf_t *p, double x, double y);
bool vc_pdf_pop(vc_pdf_t *p);
/* Scales what the page draws next by (sx, sy) and moves it by (x, y) pt,
 * until the page ends: a printer's calibration, right after vc_pdf_page. */
bool vc_pdf_scale_move(vc_pdf_t *p, double sx, double sy, double x, double y);

/* Draws valid NFC UTF-8 text (BMP only) at baseline (x, y) in an RGB colour
 * (0..1).  s need not be terminated.  Refused (false + diag, nothing drawn,
 * document still usable): invalid UTF-8, control characters, characters
 * above U+FFFF (VC_E_INTERNAL: the caller should have caught them), a
 * character the font has no glyph for (VC_E_FONT), more than
 * VC_PDF_TEXT_MAX_BYTES (VC_E_LIMIT). */
bool vc_pdf_text(vc_pdf_t *p, int font, double size, double r, double g,
                 double b, double x, double y, const char *s, size_t n);

/* Shapes.  Widths in pt; colours 0..1; stroke/fill chosen by flags (neither:
 * nothing drawn, true); width and dash 0..100 pt; dash 0 = solid, otherwise
 * dashes and gaps of that length rounded to whole points.  rect: corner
 * (x, y), size w x h, corners rounded with radius (clamped to half the
 * shorter side).  ellipse: inscribed in that box.  line: stroke only. */
typedef struct vc_pdf_style {
  bool stroke, fill;
  double sr, sg, sb, fr, fg, fb;
  double width, dash;
} vc_pdf_style_t;
bool vc_pdf_rect(vc_pdf_t *p, const vc_pdf_style_t *st, double x, double y,
                 double w, double h, double radius);
bool vc_pdf_ellipse(vc_pdf_t *p, const vc_pdf_style_t *st, double x, double y,
                    double w, double h);
bool vc_pdf_line(vc_pdf_t *p, const vc_pdf_style_t *st, double x1, double y1,
                 double x2, double y2);

/* A QR code (issue 11): the dark modules of a width x width symbol (dark:
 * row by row from the top, 1 = dark) as black rectangles, one per run of
 * dark modules in a row, in one path filled once; (x, y) is the symbol's
 * bottom-left corner (its quiet zone is the caller's margin), m the size
 * of a module, in pt.  width is at most VC_PDF_MODULES_MAX (a version 40
 * symbol); larger is VC_E_INTERNAL. */
#define VC_PDF_MODULES_MAX 177
bool vc_pdf_modules(vc_pdf_t *p, const unsigned char *dark, int width, double x, double y,
                    double m);
/* A link annotation over the box (no border) opening uri (printable ASCII):
 * a viewer makes the QR code clickable, and `vncert verify FILE.pdf` reads
 * the URL from it. */
bool vc_pdf_link(vc_pdf_t *p, double x, double y, double w, double h, const char *uri);

/* Draws a PNG or JPEG file into the box.  The image is checked first (PNG
 * of at most 8 bits per sample whose data is whole, tRNS only on palettes;
 * baseline or progressive 8-bit JPEG) and loaded once per document however
 * many pages use it.  On an unusable image: false and a diag naming the
 * file, why and what to do (repeated on each use); the document stays
 * usable. */
bool vc_pdf_image(vc_pdf_t *p, const char *path, double x, double y, double w,
                  double h);
/* Checks an image file exactly as vc_pdf_image would before drawing it
 * (type, size, every byte of a PNG's data), in a document of its own that
 * is thrown away: what this accepts draws.  false + diag naming the file,
 * why and what to do. */
bool vc_pdf_image_check(const char *path, vc_diag_t *d);
/* Pixel size of an image file (to keep aspect ratio), from its headers;
 * false with a diag on failure. */
bool vc_pdf_image_size(vc_pdf_t *p, const char *path, double *w, double *h);

/* Finishes the document and writes it to path as a set of one file (see
 * vc_pdf_files_t: written nameless, synced, then put in place; a link is
 * written through).  On failure nothing is left under path (an existing
 * file stays as it was).
 * After a save the document takes no more drawing; saving again (file or
 * memory) writes the same document. */
bool vc_pdf_save_file(vc_pdf_t *p, const char *path);
/* Finishes the document into a malloc'd buffer (*buf, *len; caller frees).
 * false with a diag, *buf = NULL, on failure. */
bool vc_pdf_save_mem(vc_pdf_t *p, unsigned char **buf, size_t *len);

/* ---- output files that appear whole, together, or not at all (pdf-files.c) */

/* A set of new files in one directory that appear together.  A file being
 * written has no name (O_TMPFILE) or one in a hidden directory
 * ".vncert-XXXXXX" of the target directory, which its process keeps locked;
 * vc_pdf_files_commit puts all the data on disk, then gives every file its
 * name.  Until then no final name is touched, and vc_pdf_files_free removes
 * everything written.  Opening a set removes the hidden directories that
 * runs killed before their end left behind.  One thread at a time. */
typedef struct vc_pdf_files vc_pdf_files_t;

/* Opens the existing directory dir for a set of files.  overwrite: commit
 * may replace existing files (never a folder); otherwise a final name that
 * exists fails the commit.  NULL + diag (VC_E_IO, VC_E_NOMEM) on failure. */
vc_pdf_files_t *vc_pdf_files_open(const char *dir, bool overwrite,
                                  vc_diag_t *d);
/* Where a new file for path goes: *dir (malloc'd; "." when path has no
 * '/') and *name (malloc'd, no '/').  A symbolic link is written through:
 * the file it points to is the one replaced, the link stays.  false + diag
 * (VC_E_IO) when path ends in '/', names a folder, or is a link to nothing;
 * VC_E_NOMEM. */
bool vc_pdf_out_path(const char *path, char **dir, char **name, vc_diag_t *d);
/* Files waiting in the set. */
long vc_pdf_files_count(const vc_pdf_files_t *f);
/* Files of earlier, killed runs that opening the set removed. */
long vc_pdf_files_stale_removed(const vc_pdf_files_t *f);
/* Starts a new file of the set, to be named `name` (no '/') at the commit.
 * Returns a descriptor to write it through (owned by the set; one file is
 * written at a time), or -1 + diag. */
int vc_pdf_files_begin(vc_pdf_files_t *f, const char *name, vc_diag_t *d);
/* Ends the file begun last.  ok false: it was not written whole, and is
 * dropped.  Returns ok, false + diag when closing it fails. */
bool vc_pdf_files_end(vc_pdf_files_t *f, bool ok, vc_diag_t *d);
/* Makes the data of every file durable, gives each its final name, then
 * syncs the directory.  All or nothing: when a name cannot be given (a file
 * that appeared meanwhile without overwrite, the directory removed), the
 * names given so far are taken back and the files they replaced restored.
 * false + diag on failure.  The set is empty afterwards. */
bool vc_pdf_files_commit(vc_pdf_files_t *f, vc_diag_t *d);
/* Removes the files not committed, closes the directory, frees f.  Safe
 * with NULL. */
void vc_pdf_files_free(vc_pdf_files_t *f);

/* ---- one PDF written while it is drawn (pdf-stream.c) --------------------- */

/* Sends a document to a file page by page: vc_pdf_stream_flush writes the
 * pages drawn so far and frees them, so that memory stays bounded however
 * many pages the document has (the fonts, written at the end, and one small
 * record per page and per image stay).  Images are written with the first
 * page that uses them, then only their record stays. */
typedef struct vc_pdf_stream vc_pdf_stream_t;

/* Starts writing p to fd (a file or a pipe, written from its current
 * position; never closed here).  Before the first page.  After it, p takes
 * no vc_pdf_save_* or vc_pdf_split.  NULL + diag on failure. */
vc_pdf_stream_t *vc_pdf_stream_open(vc_pdf_t *p, int fd);
/* Writes the pages drawn so far (the current one is finished: the next
 * drawing needs vc_pdf_page).  false + diag on failure (then the file is
 * incomplete and p unusable). */
bool vc_pdf_stream_flush(vc_pdf_stream_t *s);
/* Writes the rest: the last pages, fonts (subset, repaired), page tree,
 * cross-reference table and trailer.  The file is then a complete PDF (its
 * data not yet synced).  false + diag on failure. */
bool vc_pdf_stream_close(vc_pdf_stream_t *s);
/* Bytes written so far. */
unsigned long long vc_pdf_stream_bytes(const vc_pdf_stream_t *s);
/* Frees the writer (not p, not the descriptor).  Safe with NULL. */
void vc_pdf_stream_free(vc_pdf_stream_t *s);

/* ---- one file per page (pdf-split.c) -------------------------------------- */

/* Writes each of the n = vc_pdf_page_count(p) pages of p as a complete
 * one-page PDF, page i for names[i] (a file name without '/' in f's
 * directory), into the set f.  p is finished as by a save (no more drawing;
 * it can still be saved whole afterwards).  Objects shared by pages (fonts,
 * images, /Info) are written once and their bytes reused in every file;
 * each file holds only the objects its page uses.  false + diag (into p's
 * list) on failure: the files already added stay in f, for
 * vc_pdf_files_free to remove. */
bool vc_pdf_split(vc_pdf_t *p, const char *const *names, long n,
                  vc_pdf_files_t *f);

#endif
