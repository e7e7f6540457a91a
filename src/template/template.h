/*
 * template.h - a certificate template: page, fonts, fields, decoration and
 * text boxes, read from a YAML file a clerk can edit (docs:
 * templates/README.md).  The tree is in template-private.h; layout and
 * renderers read it there.
 */
#ifndef VC_TEMPLATE_H
#define VC_TEMPLATE_H

#include <stddef.h>

#include "core/diag.h"

typedef struct vc_template vc_template_t;

/* Caps: a template file is at most 1 MiB, 2000 elements. */
#define VC_TEMPLATE_MAX_BYTES (1u << 20)
#define VC_TEMPLATE_MAX_ELEMENTS 2000

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
