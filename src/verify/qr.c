/*
 * qr.c - a QR code's modules from libqrencode (error correction M, the
 * smallest version that holds the text), for the renderer to draw as
 * vector paths.
 */
#include <errno.h>
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verify/verify.h"

vc_qr_t *vc_qr_encode(const char *text, char *why, size_t whylen) {
  /* version 0: the smallest that holds it; 8-bit hint with case kept, so
   * libqrencode splits the digits into a numeric segment itself */
  QRcode *c = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  if (!c) {
    snprintf(why, whylen, "%s", errno == ERANGE ? "the text does not fit in a QR code"
                                                : "the QR encoder failed");
    return NULL;
  }
  vc_qr_t *q = malloc(sizeof *q);
  size_t n = (size_t)c->width * (size_t)c->width;
  unsigned char *dark = q ? malloc(n) : NULL;
  if (!dark) {
    free(q);
    QRcode_free(c);
    snprintf(why, whylen, "out of memory");
    return NULL;
  }
  for (size_t i = 0; i < n; i++) dark[i] = c->data[i] & 1; /* bit 0: dark */
  q->width = c->width;
  q->version = c->version;
  q->dark = dark;
  QRcode_free(c);
  return q;
}

void vc_qr_free(vc_qr_t *q) {
  if (!q) return;
  free(q->dark);
  free(q);
}
