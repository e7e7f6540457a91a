/*
 * verify.h - signing certificates' values and drawing them as a QR code
 * (issue 11, docs/verify.md), for the rest of the library: the engine signs
 * each record's values (vc_signer_*), the renderer draws the modules
 * (vc_qr_*).  What front ends call (keygen, verify) is in vncert.h.
 */
#ifndef VC_VERIFY_H
#define VC_VERIFY_H

#include <stdbool.h>
#include <stddef.h>

#include "core/diag.h"

/* A private key loaded for signing. */
typedef struct vc_signer vc_signer_t;

/* Loads a private key file (docs/verify.md section 1): refused when it is
 * not a regular file, is readable or writable by group or others (like
 * ssh; but a DEMO key), or is not a key file whose key id matches its seed.  NULL with the
 * reason in d.  Caller owns it (vc_signer_free wipes the key). */
vc_signer_t *vc_signer_load(const char *path, vc_diag_t *d);
/* The published demonstration key (examples/khoa-DEMO.key; key: DEMO in a
 * template): for trying vncert out, never for real certificates. */
vc_signer_t *vc_signer_demo(vc_diag_t *d);
void vc_signer_free(vc_signer_t *s);
/* The signer's key id (8 hex digits). */
const char *vc_signer_key_id(const vc_signer_t *s);
/* Whether s is the published DEMO key (whatever file it came from): what it
 * signs anyone can sign. */
bool vc_signer_is_demo(const vc_signer_t *s);

/* Which values vc_signer_prepare shortened (bits). */
#define VC_VERIFY_SHORT_NAME 1u
#define VC_VERIFY_SHORT_AWARD 2u

/* The signer's side of docs/verify.md section 2: cleans each raw value (NFC,
 * white space), shortens a long name or award (the bits in *shortened),
 * checks serial, amount and date, writes v (its key_id left for
 * vc_signer_url).  false with why when a value cannot be signed. */
bool vc_verify_prepare(const char *serial, const char *name, const char *award,
                       const char *amount, const char *date, vc_verify_values_t *v,
                       unsigned *shortened, char *why, size_t whylen);

/* True when v, as vc_verify_prepare made it (so keeping the rules), fits a
 * payload once compressed: then vc_signer_url cannot refuse it.  Cheap:
 * compresses only values near the limit.  false with why. */
bool vc_verify_fits(const vc_verify_values_t *v, char *why, size_t whylen);

/* The URL base#digits of v (prepared) signed by s: a new string the caller
 * frees, or NULL with why (a value breaks a rule, no memory). */
char *vc_signer_url(const vc_signer_t *s, const char *base, vc_verify_values_t *v,
                    char *why, size_t whylen);

/* A QR code's modules: width x width, row by row from the top, 1 = dark. */
typedef struct vc_qr {
  int width;
  int version;
  unsigned char *dark;
} vc_qr_t;

/* Encodes text at error correction M, the smallest version that holds it
 * (libqrencode, 8-bit hint: it puts the digits in a numeric segment).
 * NULL with why when it does not fit any version or on no memory. */
vc_qr_t *vc_qr_encode(const char *text, char *why, size_t whylen);
void vc_qr_free(vc_qr_t *q);

#endif
