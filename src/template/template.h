/*
 * template.h - a certificate template: page, fonts, fields, decoration and
 * text boxes, read from a YAML file a clerk can edit (docs:
 * templates/README.md).  The tree is in template-tree.h; layout and
 * the engine read it there.
 */
#ifndef VC_TEMPLATE_H
#define VC_TEMPLATE_H

#include <stddef.h>

#include "core/diag.h"

typedef struct vc_template vc_template_t;

/* Caps: a template file is at most 1 MiB, 2000 elements. */
#define VC_TEMPLATE_MAX_BYTES (1u << 20)
#define VC_TEMPLATE_MAX_ELEMENTS 2000

/* Caps on text once the placeholders are filled in (docs/limits.md), so a
 * huge value repeated in the template costs no more than the cap: one text
 * box at most VC_TEXT_MAX_BYTES, which is also the most the PDF writer
 * draws in one piece (VC_PDF_TEXT_MAX_BYTES, checked in src/job/engine.c),
 * so `check` refuses what `render` would; all the texts of one page at most
 * VC_PAGE_TEXT_MAX_BYTES.  A Giấy khen's longest text is a few hundred
 * bytes; 16 KiB is 50 full lines of small print. */
#define VC_TEXT_MAX_BYTES 16384
#define VC_PAGE_TEXT_MAX_BYTES 65536

/* Reads and validates a template file.  Every problem is added to d as
 * "path:line:col: message" (VC_E_INPUT); returns NULL if any was found.
 * Relative paths inside (background, images, font files) are resolved
 * against the template's directory.  Caller frees with vc_template_free. */
vc_template_t *vc_template_load(const char *path, vc_diag_t *d);
/* Same from memory; `path` names it in messages and gives the directory. */
vc_template_t *vc_template_load_mem(const char *buf, size_t len,
                                    const char *path, vc_diag_t *d);
void vc_template_free(vc_template_t *t);

#endif
