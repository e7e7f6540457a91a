/*
 * iconv-utf8.h - one conversion to UTF-8 through iconv, shared by the
 * decoder (src/input/decode.c: reading a file in a legacy encoding) and the
 * detector (src/input/detect.c: reading a sample the way a guess would),
 * so that neither calls into the other.
 */
#ifndef VC_ICONV_UTF8_H
#define VC_ICONV_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* Converts in[0..inlen) from the iconv encoding `from` to UTF-8, in one pass
 * into a growing buffer (NUL-terminated, caller frees).  Output beyond
 * max_out bytes stops it.  skip_bad: bytes the encoding does not define are
 * skipped and counted in *nbad instead of stopping.  Returns the buffer and
 * its length in *outlen, or NULL with *why set:
 *   VC_CONV_BAD  an undefined byte (sequence) at *bad_off,
 *   VC_CONV_TRUNC the input ends inside a character (at *bad_off),
 *   VC_CONV_LIMIT output over max_out, VC_CONV_NOMEM, VC_CONV_NOICONV. */
typedef enum vc_conv_err {
  VC_CONV_OK = 0,
  VC_CONV_BAD,
  VC_CONV_TRUNC,
  VC_CONV_LIMIT,
  VC_CONV_NOMEM,
  VC_CONV_NOICONV
} vc_conv_err_t;
char *vc_iconv_utf8(const char *from, const char *in, size_t inlen, size_t max_out,
                    bool skip_bad, size_t *outlen, size_t *nbad, size_t *bad_off,
                    vc_conv_err_t *why);

#endif
