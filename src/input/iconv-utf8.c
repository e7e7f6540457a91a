/*
 * iconv-utf8.c - converting a buffer to UTF-8 with iconv (see iconv-utf8.h).
 * The buffer grows as needed up to the caller's cap, so a file in a code
 * page is converted in one pass without guessing its UTF-8 size.
 */
#include "input/iconv-utf8.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

char *vc_iconv_utf8(const char *from, const char *in, size_t inlen, size_t max_out,
                    bool skip_bad, size_t *outlen, size_t *nbad, size_t *bad_off,
                    vc_conv_err_t *why) {
  *outlen = *nbad = *bad_off = 0;
  *why = VC_CONV_OK;
  iconv_t cd = iconv_open("UTF-8", from);
  if (cd == (iconv_t)-1) {
    *why = VC_CONV_NOICONV;
    return NULL;
  }
  size_t unit = strncmp(from, "UTF-16", 6) == 0 ? 2 : 1;
  /* first guess: 1.5x, enough for UTF-16 and for mostly-ASCII code pages */
  size_t cap = inlen / 2 * 3 + 64;
  if (cap > max_out) cap = max_out;
  char *out = malloc(cap + 1);
  if (!out) {
    iconv_close(cd);
    *why = VC_CONV_NOMEM;
    return NULL;
  }
  char *ip = (char *)in, *op = out;
  size_t il = inlen, ol = cap;
  bool flushing = false; /* stateful decoders hold the last letter back */
  for (;;) {
    size_t r = flushing ? iconv(cd, NULL, NULL, &op, &ol) : iconv(cd, &ip, &il, &op, &ol);
    if (r != (size_t)-1) {
      if (flushing) break;
      flushing = true;
      continue;
    }
    if (errno == E2BIG) {
      size_t used = (size_t)(op - out);
      if (cap >= max_out) {
        *why = VC_CONV_LIMIT;
        break;
      }
      size_t ncap = cap > max_out / 2 ? max_out : cap * 2;
      char *nb = realloc(out, ncap + 1);
      if (!nb) {
        *why = VC_CONV_NOMEM;
        break;
      }
      out = nb;
      op = out + used;
      ol = ncap - used;
      cap = ncap;
    } else if (errno == EILSEQ && skip_bad && !flushing) {
      size_t adv = il < unit ? il : unit;
      ip += adv;
      il -= adv;
      (*nbad)++;
    } else if (errno == EINVAL && skip_bad && !flushing) {
      il = 0; /* a cut character at the end: dropped */
      (*nbad)++;
    } else {
      *bad_off = (size_t)(ip - in);
      *why = errno == EINVAL ? VC_CONV_TRUNC : VC_CONV_BAD;
      break;
    }
  }
  iconv_close(cd);
  if (*why != VC_CONV_OK) {
    free(out);
    return NULL;
  }
  *outlen = (size_t)(op - out);
  out[*outlen] = '\0';
  return out;
}
