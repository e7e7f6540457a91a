/*
 * page-private.h - the verification page's writer (verify-page.c), shared
 * inside src/verify: the page is made from values already loaded (keys,
 * revocations, the format's dictionary).
 */
#ifndef VC_PAGE_PRIVATE_H
#define VC_PAGE_PRIVATE_H

#include <stddef.h>
#include <stdint.h>

#include "vncert.h"

/* One public key: its id (the first 4 bytes of SHA-256 of pub), the key, and
 * the comment shown beside a valid certificate ("Hiệu trưởng 2026-2027"). */
typedef struct {
  uint8_t id[4];
  uint8_t pub[32];
  const char *comment;
} vc__page_key_t;

/* What one page holds (nothing owned: the caller's). */
typedef struct {
  const char *school;                 /* shown at the top; NULL: none */
  const char *made;                   /* YYYY-MM-DD; NULL: today (UTC) */
  const vc__page_key_t *keys;
  size_t nkeys;
  const vc_revocation_t *revoked;
  size_t nrevoked;
  const unsigned char *dict;          /* the format's preset DEFLATE dictionary */
  size_t dict_len;
} vc__page_input_t;

/* Writes the page for in to path (through a temporary renamed over it).
 * Owns nothing of in.  VC_OK, or VC_E_INPUT (text not UTF-8), VC_E_IO,
 * VC_E_NOMEM with a diag. */
vc_status_t vc__page_write(const vc__page_input_t *in, const char *path, vc_diag_t *d);

#endif
