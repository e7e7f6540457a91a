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

/* What vncert reads, and how (one decoder, vc_decode_stream_*, which the
 * file's reader feeds in pieces; vc_decode feeds it one buffer):
 * - encoding NULL (or ""): a UTF-8 BOM (dropped) or UTF-16LE/BE BOM
 *   (dropped, converted) decides; without one the input must be strict
 *   UTF-8.  When it is not, the error names the line and column (character)
 *   of the first invalid byte and, when detection is sure (see
 *   docs/data.md), names the encoding: TCVN3 and Windows-1258 with the
 *   --encoding to use, VNI as not supported with how to convert it.  A file
 *   that is UTF-8 but for a few stray bytes is passed on as it is, stray
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
 * stores tones as combining marks); UTF-8 input is passed on as it is (the
 * CSV reader makes every value NFC).  Line breaks are kept, so line numbers
 * in the result are the file's; CRLF becomes LF (the same to the CSV
 * reader, and faster for it).  Input and output are capped at
 * VC_CSV_MAX_BYTES (VC_E_LIMIT).  Refusals are VC_E_INPUT diags naming the
 * file, VC_E_USAGE for an unknown encoding name, VC_E_LIMIT, VC_E_NOMEM.
 * The encoding's display name ("UTF-8", "UTF-8 (BOM)", "UTF-16LE (BOM)",
 * "UTF-16BE", "Windows-1258", "TCVN3", ...) goes to `used` (>= 32 bytes). */

/* Decodes buf[0..len) whole: a new NUL-terminated buffer (caller frees) and
 * its length in *outlen (may be NULL), or NULL with a diag naming `name`.
 * used may be NULL. */
char *vc_decode(const char *buf, size_t len, const char *encoding,
                const char *name, size_t *outlen, char *used, vc_diag_t *d);

/* Checks an --encoding value before any file is read: VC_OK for NULL, ""
 * and the names vncert reads, compared without case, '-', '_' or spaces:
 * utf-8, utf-16, utf-16le, utf-16be, windows-1258 (cp1258, win1258), tcvn3
 * (tcvn, tcvn5712-1, abc).  Else VC_E_USAGE with a diag (no file name):
 * VNI gets "not supported" and how to convert, anything else the list. */
vc_status_t vc_decode_check(const char *encoding, vc_diag_t *d);

/* The decoder, in pieces.  Opened on the start of the file (head[0..avail)
 * of its total bytes; 1 MiB is enough for every check made first): the
 * checks of the start (BOM against --encoding, UTF-32, the code page
 * against the text) refuse with a diag, NULL; NULL with *more set and
 * nothing said when a check needs more than head (open again with the whole
 * file).  used as above, set when opened. */
typedef struct vc_decode_stream vc_decode_stream_t;
typedef bool (*vc_decode_emit_fn)(void *ud, const char *s, size_t n);
vc_decode_stream_t *vc_decode_stream_open(const char *head, size_t avail, size_t total,
                                          const char *encoding, const char *name, char *used,
                                          bool *more, vc_diag_t *d);
/* Feeds the file's next n bytes (from its first, BOM included; last: the
 * end of the file).  The text, in UTF-8, goes to emit (may be NULL: only
 * checking) in runs of complete lines (a UTF-8 file's BOM is passed on:
 * the CSV reader leaves it out; any other is dropped), a line longer than 64 KiB in pieces
 * (never gathered whole); a sequence cut by the end of a piece waits for
 * the next.  false when emit returned false, or when the bytes cannot be
 * read as they are (vc_decode_stream_failed: a byte that is not UTF-8 or
 * not of the encoding, a zero byte in UTF-8, a cut character at the end,
 * over VC_CSV_MAX_BYTES, no memory); nothing is said then: see explain. */
bool vc_decode_stream_feed(vc_decode_stream_t *st, const char *in, size_t n, bool last,
                           vc_decode_emit_fn emit, void *ud);
bool vc_decode_stream_failed(const vc_decode_stream_t *st);
/* After a failed feed, says why from the whole file buf[0..len) (the
 * evidence: where the bad byte is, what the text looks like): false with
 * the refusal in d; true when the only problem is bytes that are not UTF-8
 * (or zero bytes) in a UTF-8 file that is not UTF-16: the stream is then
 * rewound and passes them on, for the CSV reader to name value by value. */
bool vc_decode_stream_explain(vc_decode_stream_t *st, const char *buf, size_t len,
                              const char *name, vc_diag_t *d);
/* Back to the start of the file, for another pass. */
void vc_decode_stream_rewind(vc_decode_stream_t *st);
void vc_decode_stream_free(vc_decode_stream_t *st);

#endif
