/*
 * decode.h - turning the bytes of a text file into UTF-8: byte-order marks,
 * UTF-16, legacy Vietnamese code pages through iconv, and a clear refusal
 * (with the line and a suggested encoding) for anything else.
 */
#ifndef VC_DECODE_H
#define VC_DECODE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/diag.h"

/* Decodes buf[0..len) to UTF-8.
 * - encoding NULL (or ""): a UTF-8 BOM (dropped) or UTF-16LE/BE BOM
 *   (dropped, converted) decides; without one the input must be strict
 *   UTF-8.  When it is not, the error names the line and column (character)
 *   of the first invalid byte and, when detection is sure (see
 *   docs/data.md), names the encoding: TCVN3 and Windows-1258 with the
 *   --encoding to use, VNI as not supported with how to convert it.  A file
 *   that is UTF-8 but for a few stray bytes is returned as it is, stray
 *   bytes included: the CSV reader reports each bad value with its line,
 *   column and header, beside the file's other problems; UTF-16
 *   without a BOM is named with its --encoding.  Nothing is ever read by
 *   guessing.
 * - encoding given (names as in vc_decode_check): "utf-8" is checked like
 *   the default; "utf-16" needs a BOM; "utf-16le"/"utf-16be" take a file
 *   with or without their own BOM; "windows-1258" and "tcvn3" are converted
 *   through glibc iconv ("CP1258", "TCVN5712-1").  A BOM that contradicts
 *   the option is an error, as is a code page given for a file that is
 *   UTF-8 with Vietnamese letters.  A byte the encoding does not define is
 *   an error naming its line, column and value.
 * Converted text (UTF-16 and code pages) is NFC, line by line (Windows-1258
 * stores tones as combining marks); UTF-8 input is returned as it is (the
 * CSV reader makes every value NFC).  Line breaks are kept, so line numbers
 * in the result are the file's; CRLF becomes LF (the same to the CSV
 * reader, and faster for it).  Input and output are capped at
 * VC_CSV_MAX_BYTES (VC_E_LIMIT).
 * Returns a new NUL-terminated buffer (caller frees) and its length in
 * *outlen (may be NULL), or NULL with a diag naming `name`: VC_E_INPUT for
 * the file's bytes, VC_E_USAGE for an unknown encoding name, VC_E_LIMIT,
 * VC_E_NOMEM.  used (may be NULL, >= 32 bytes) receives the encoding's
 * display name: "UTF-8", "UTF-8 (BOM)", "UTF-16LE (BOM)", "UTF-16BE",
 * "Windows-1258", "TCVN3", ... */
char *vc_decode(const char *buf, size_t len, const char *encoding,
                const char *name, size_t *outlen, char *used, vc_diag_t *d);

/* vc_decode for a buffer the caller gives away: buf (from malloc, with room
 * for len + 1 bytes) is freed, or - for UTF-8 input, with its BOM moved
 * out - returned as the result, so a file is never held twice.  Same
 * result and diags as vc_decode; buf is freed on failure too. */
char *vc_decode_take(char *buf, size_t len, const char *encoding,
                     const char *name, size_t *outlen, char *used, vc_diag_t *d);

/* Checks an --encoding value before any file is read: VC_OK for NULL, ""
 * and the names vncert reads, compared without case, '-', '_' or spaces:
 * utf-8, utf-16, utf-16le, utf-16be, windows-1258 (cp1258, win1258), tcvn3
 * (tcvn, tcvn5712-1, abc).  Else VC_E_USAGE with a diag (no file name):
 * VNI gets "not supported" and how to convert, anything else the list. */
vc_status_t vc_decode_check(const char *encoding, vc_diag_t *d);

/* Copies s[0..n) to out (which may be s) leaving out each CR that stands
 * before an LF, as vc_decode does for UTF-8 text; returns the length.  A
 * CR ending s is kept: a caller reading in pieces holds it back. */
size_t vc_decode_drop_crlf(char *out, const char *s, size_t n);

/* Decoding a file in pieces, for reading it without holding it: UTF-16
 * (by BOM or --encoding utf-16le/be), Windows-1258 and TCVN3, giving out
 * the same bytes as vc_decode.  Opened on the start of the file
 * (head[0..avail) of its total bytes; 1 MiB is enough for every check
 * vc_decode makes first), or NULL when the file is not for this: UTF-8, an
 * --encoding the BOM contradicts, any refusal vc_decode would make, or a
 * check that needs more than head (then vc_decode on the whole file says
 * what it says).  used as vc_decode's. */
typedef struct vc_decode_stream vc_decode_stream_t;
typedef bool (*vc_decode_emit_fn)(void *ud, const char *s, size_t n);
vc_decode_stream_t *vc_decode_stream_open(const char *head, size_t avail, size_t total,
                                          const char *encoding, char *used);
/* Feeds the file's next n bytes (from its first, BOM included; last: the
 * end of the file).  Each run of complete lines, converted and NFC, goes to
 * emit (may be NULL: only checking), a line longer than 64 KiB in pieces
 * (never gathered whole); a sequence cut by the end of a piece waits for
 * the next.  false when emit returned false, or on a problem
 * (vc_decode_stream_failed: an undefined byte, a cut character at the end,
 * over VC_CSV_MAX_BYTES, no memory; vc_decode on the whole file gives its
 * message). */
bool vc_decode_stream_feed(vc_decode_stream_t *st, const char *in, size_t n, bool last,
                           vc_decode_emit_fn emit, void *ud);
bool vc_decode_stream_failed(const vc_decode_stream_t *st);
void vc_decode_stream_free(vc_decode_stream_t *st);

#endif
