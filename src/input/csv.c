/*
 * csv.c - reading a delimited UTF-8 text file into a vc_table_t through
 * libcsv (see csv.h for the guarantees).
 *
 * How the physical line numbers are known: libcsv has no notion of lines, so
 * the buffer is fed to csv_parse one physical line at a time (up to and
 * including its LF).  The only record terminator libcsv is given is LF, so
 * its row callback fires exactly at the end of a fed line, and a record that
 * is still open after a line (a quoted value with a line break) simply
 * continues into the next one.  Before feeding a line while no record is
 * open, we look whether libcsv will start a record on it (any byte that its
 * ROW_NOT_BEGUN state does not skip); if so that line is the record's line.
 *
 * Streaming: the core (vc_csv_stream_*) takes the input in pieces cut
 * anywhere; a line may then be fed in several parts (the look above is
 * repeated on each part until a record starts or the line ends).  The
 * input is held only until the first record is complete, to decide the
 * BOM, the line end and the delimiter as the whole-buffer reader did; the
 * CR hooks are set when a first CR arrives (before it, libcsv's own tests
 * mean the same).  vc_csv_read_mem_info is this core fed one piece.
 *
 * Decisions:
 *  - libcsv runs with CSV_STRICT | CSV_STRICT_FINI.  A quote inside a value
 *    that does not start with a quote (`Trường "Hoa Sen"`) or text after a
 *    closing quote (`"abc"x`) is an error for that row, not a guess: Excel
 *    never writes either, and the lenient reading can swallow delimiters.
 *    The row is kept, marked bad, with the values read before the error; the
 *    rest of that physical line is skipped and reading goes on.
 *  - CR is not a terminator: a CR before LF is treated as white space outside
 *    quotes (and removed before LF inside quotes), so LF, CRLF and mixed line
 *    ends all work.  A file with no LF at all but CRs (old Mac "CSV") uses CR
 *    as its line end.
 *  - A record whose values are all empty after cleaning (a line of spaces,
 *    NBSPs, or only delimiters, as Excel writes for formatted empty rows) is
 *    skipped like a blank line, before or after the header.
 *  - A file with no header at all (empty, blank, only delimiters) is an
 *    error and gives NULL; a header-only file gives a table with no rows.
 *  - Problems with the header itself (invalid UTF-8, stray quote, too many
 *    columns), the file-size and row-count caps, and UTF-16 files are fatal
 *    (NULL): no usable table can be built.  Row problems never are.
 *  - At most VC_CSV_MAX_TEXT_REPORTS encoding problems are reported one by one (a
 *    Windows-1258 file would otherwise give one per row); the rest are
 *    counted in a closing message, their rows still marked bad.
 *  - Which record is the header, which rows above it are titles and where
 *    the records end is src/input/shape.c's decision (the same for
 *    workbooks): every record that is not blank goes there and comes back
 *    as the header or as a record, maybe after later ones were read (so a
 *    record carries its own state: shape row flags).  The input side, in
 *    pieces, is csv-stream.c.
 */
#include "input/csv-private.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/mem.h"
#include "core/text.h"

/* ---- small helpers ---- */


static const char *delim_name(unsigned char c) {
  return c == '\t' ? "TAB" : c == ';' ? "';'" : "','";
}

void vc__csv_fatal(vc_csv_stream_t *r, vc_status_t st, int line, int col, const char *msg) {
  vc_diag_add(r->d, st, r->name, line, col, "%s", vc__gettext(msg));
  r->stop = true;
}

/* Describes column col (0-based) of the record being read, for messages:
 * `column "Họ và tên"`, `column 3` (blank header), or the header's own. */
void vc__csv_col_desc(const vc_csv_stream_t *r, int col, char *out, size_t outlen) {
  if (!r->have_header) { /* named after the likely header, once one is seen */
    const char *g = vc_shape_guess_name(r->shape, col);
    char sg[84];
    if (g && g[0])
      snprintf(out, outlen, _("column \"%s\""), vc_text_shorten(g, sg, sizeof sg));
    else if (vc_shape_guess_width(r->shape))
      snprintf(out, outlen, _("column %d"), col + 1);
    else
      snprintf(out, outlen, _("the header, column %d"), col + 1);
    return;
  }
  const char *h = col < r->cols.n ? vc_table_col_header(r->t, col) : NULL;
  char sh[84];
  if (h && h[0])
    snprintf(out, outlen, _("column \"%s\""), vc_text_shorten(h, sh, sizeof sh));
  else if (col < r->cols.n)
    snprintf(out, outlen, _("column %d"), col + 1);
  else
    snprintf(out, outlen, _("column %d (past the header's %d columns)"), col + 1, r->cols.n);
}

/* Number of code points in the valid UTF-8 prefix s[0..n). */
static size_t count_chars(const unsigned char *s, size_t n) {
  size_t k = 0;
  for (size_t i = 0; i < n; i++) k += (s[i] & 0xC0) != 0x80;
  return k;
}

/* Number of terminator bytes in s[0..n). */
static int count_term(const unsigned char *s, size_t n, unsigned char term) {
  int k = 0;
  for (size_t i = 0; i < n; i++) k += s[i] == term;
  return k;
}

/* Reports an encoding problem (NUL byte or invalid UTF-8) at byte `bad` of a
 * field of n bytes that ends on the current line. */
static void text_error(vc_csv_stream_t *r, int col, const unsigned char *s, size_t n,
                       size_t bad, bool nul) {
  r->rec_bad = true;
  if (++r->text_errors > VC_CSV_MAX_TEXT_REPORTS) return;
  char cd[600];
  vc__csv_col_desc(r, col, cd, sizeof cd);
  /* the field may span lines: name the line the bad byte is on */
  int line = r->cur_line - count_term(s + bad, n - bad, r->term);
  size_t ch = count_chars(s, bad) + 1;
  if (nul)
    vc_diag_add(r->d, VC_E_INPUT, r->name, line, col + 1,
                "zero byte in %s (at character %zu): the file is not UTF-8 text "
                "\xe2\x80\x94 if it was saved as \"Unicode Text\", save it as "
                "\"CSV UTF-8\" in Excel instead",
                cd, ch);
  else
    vc_diag_add(r->d, VC_E_INPUT, r->name, line, col + 1,
                "invalid UTF-8 in %s (byte 0x%02X at character %zu): the file is not UTF-8 "
                "\xe2\x80\x94 save it as \"CSV UTF-8\" in Excel",
                cd,
                s[bad], ch);
}

/* Makes room for n more bytes and a NUL in the record's scratch store. */
static bool reserve(vc_csv_stream_t *r, size_t n) {
  return vc_array_reserve(&r->sbuf, r->slen, n + 1, &r->scap, 1, 4096);
}

/* Appends a cleaned value, NUL-terminated, to the record's scratch store.
 * v may already sit at the store's end (written there by the fast path). */
static bool store_value(vc_csv_stream_t *r, const char *v, size_t n) {
  if (!reserve(r, n)) return false;
  if (v != r->sbuf + r->slen) memcpy(r->sbuf + r->slen, v, n);
  r->vals[r->nvals].off = r->slen;
  r->vals[r->nvals].len = n;
  r->sbuf[r->slen + n] = '\0';
  r->nvals++;
  r->slen += n + 1;
  if (n) r->rec_any = true;
  return true;
}

static void record_reset(vc_csv_stream_t *r) {
  r->nfields = r->nvals = 0;
  r->slen = 0;
  r->rec_bad = r->rec_parse = r->rec_any = r->rec_wide = false;
  r->in_record = r->field_long = false;
  r->run_at = 0;
}

/* Line on which the value being read began: a value starts right after the
 * delimiter that ended the one before it, or where the record began. */
int vc__csv_field_line(const vc_csv_stream_t *r) {
  return r->nfields ? r->last_field_line : r->rec_line;
}

/* Reports that the value in column col (0-based) is over the cap.  In the
 * header it is fatal at once: no column could be found, and reading on
 * would only cost time. */
void vc__csv_long_value(vc_csv_stream_t *r, int col, int line) {
  char cd[600];
  vc__csv_col_desc(r, col, cd, sizeof cd);
  vc_diag_add(r->d, VC_E_LIMIT, r->name, line, col + 1,
              "the value in %s is longer than the 64 KiB (%u bytes) vncert reads in one "
              "value: shorten it, or check for a quote (\") that is never closed",
              cd, VC_CSV_MAX_FIELD);
  r->rec_bad = true;
  if (!r->have_header && !vc_shape_guess_width(r->shape) && !r->sopts.header_row &&
      !r->sopts.nfields)
    vc__csv_fatal(r, VC_E_INPUT, r->rec_line, 0, N_("the header line cannot be read, so no column can be found"));
}

/* ---- libcsv callbacks ---- */

/* Field callback: checks the raw bytes, cleans, stores.  libcsv hands us its
 * own writable buffer, valid only during the call. */
void vc__csv_on_field(void *data, size_t n, void *ud) {
  vc_csv_stream_t *r = ud;
  if (r->stop) return;
  unsigned char *s = data;
  if (!s) n = 0;
  int line = vc__csv_field_line(r);
  int col = r->nfields++;
  bool was_long = r->field_long || (r->run_at && n >= r->run_at);
  r->field_long = false;
  r->run_at = 0;
  r->last_field_line = r->cur_line;
  if (col >= VC_CSV_MAX_COLS) { /* only counted; the row is wrong anyway */
    r->rec_wide = true;
    return;
  }
  if (was_long || n > VC_CSV_MAX_FIELD) {
    vc__csv_long_value(r, col, line);
    if (!r->stop && !store_value(r, "", 0)) vc__csv_fatal(r, VC_E_NOMEM, 0, 0, N_("out of memory"));
    return;
  }
  /* the usual value (ASCII or precomposed Vietnamese): validated, cleaned
   * and written straight into the store in one pass */
  if (!reserve(r, n)) {
    vc__csv_fatal(r, VC_E_NOMEM, 0, 0, N_("out of memory"));
    return;
  }
  size_t fast = vc_text_clean_fast((const char *)s, n, r->sbuf + r->slen);
  if (fast != SIZE_MAX) {
    store_value(r, r->sbuf + r->slen, fast); /* room reserved: cannot fail */
    return;
  }
  bool has_cr = n && r->term == '\n' && memchr(s, '\r', n);
  char *c = has_cr ? NULL : vc_text_clean((const char *)s, n);
  if (!c) { /* a CR, a NUL, invalid UTF-8, or no memory */
    const unsigned char *z = n ? memchr(s, 0, n) : NULL;
    size_t bad = 0;
    if (z || !vc_utf8_valid((const char *)s, n, &bad)) {
      text_error(r, col, s, n, z ? (size_t)(z - s) : bad, z != NULL);
      if (!store_value(r, "", 0)) vc__csv_fatal(r, VC_E_NOMEM, 0, 0, N_("out of memory"));
      return;
    }
    /* CR before LF inside a quoted value: drop the CR (outside quotes libcsv
     * already trimmed it as white space) */
    if (has_cr) {
      size_t w = 0;
      for (size_t i = 0; i < n; i++)
        if (!(s[i] == '\r' && i + 1 < n && s[i + 1] == '\n')) s[w++] = s[i];
      n = w;
    }
    c = vc_text_clean((const char *)s, n);
  }
  if (!c || !store_value(r, c, strlen(c))) vc__csv_fatal(r, VC_E_NOMEM, 0, 0, N_("out of memory"));
  free(c);
}

/* Bits of vc_shape_row_t.flags: the record's own state, which comes back
 * with it when the shape hands it over (maybe after later records were
 * read); the lines it ran over past its first are the bits above them. */
#define ROW_PARSE 1u /* libcsv stopped on it: its field count means nothing */
#define ROW_WIDE 2u  /* more than VC_CSV_MAX_COLS fields */
#define ROW_SPAN_SHIFT 2

/* The header, once the shape decided it (vc_shape_header_fn): refused when
 * too wide or unreadable, else the columns (vc_shape_columns_start) and
 * names that fold alike, reported by line.  false when fatal (reported). */
static bool csv_header(void *ud, const vc_shape_row_t *h) {
  vc_csv_stream_t *r = ud;
  if (h->flags & ROW_WIDE) {
    vc_diag_add(r->d, VC_E_LIMIT, r->name, h->line, 0,
                "the header has %d columns, more than the %d allowed", h->nfields,
                VC_CSV_MAX_COLS);
    r->stop = true;
    return false;
  }
  if (h->bad) { /* already reported; column names are unknown */
    vc__csv_fatal(r, VC_E_INPUT, h->line, 0, N_("the header line cannot be read, so no column can be found"));
    return false;
  }
  if (!vc_shape_columns_start(&r->cols, r->t, h)) {
    vc__csv_fatal(r, VC_E_NOMEM, 0, 0, N_("out of memory"));
    return false;
  }
  r->have_header = true;
  /* two headers that fold to the same key would make one unreachable */
  for (int j = 1; j < r->cols.n; j++) {
    int i = vc_shape_columns_twin(r->t, j);
    if (i < 0) continue;
    char si[84], sj[84];
    vc_diag_add(r->d, VC_E_INPUT, r->name, h->line, j + 1,
                "columns %d \"%s\" and %d \"%s\" have the same name (ignoring case "
                "and accents): rename or delete one of them",
                i + 1, vc_text_shorten(vc_table_col_header(r->t, i), si, sizeof si), j + 1,
                vc_text_shorten(vc_table_col_header(r->t, j), sj, sizeof sj));
  }
  return true;
}

/* A data record, as the shape hands it over (vc_shape_record_fn): the row
 * cap, the record (vc_shape_columns_record), the field count check, then
 * the caller's function.  false to stop (reported). */
static bool csv_record(void *ud, const vc_shape_row_t *row) {
  vc_csv_stream_t *r = ud;
  if (r->nrows >= VC_CSV_MAX_ROWS) {
    vc_diag_add(r->d, VC_E_LIMIT, r->name, row->line, 0,
                "more than %d rows: split the file", VC_CSV_MAX_ROWS);
    r->stop = true;
    return false;
  }
  r->nrows++;
  vc_record_t rec = vc_shape_columns_record(&r->cols, row, NULL);
  if (!(row->flags & ROW_PARSE) && row->nfields != r->cols.n) {
    char span[64] = "";
    int extra = (int)(row->flags >> ROW_SPAN_SHIFT);
    if (extra)
      snprintf(span, sizeof span, _(" (it runs over lines %d-%d)"), row->line, row->line + extra);
    vc_diag_add(r->d, VC_E_INPUT, r->name, row->line, 0,
                "row has %d fields, the header has %d%s: check for a missing or extra "
                "%s or quote (\") in this row",
                row->nfields, r->cols.n, span, delim_name(r->delim));
    rec.ok = false;
  }
  if (!r->fn(r->ud, r->t, &rec)) {
    vc__csv_fatal(r, VC_E_NOMEM, 0, 0, N_("out of memory"));
    return false;
  }
  return true;
}

/* End of a record (libcsv's row callback, or our own after an error): a
 * skipped empty record, or a row for the shape to place. */
void vc__csv_finish_record(vc_csv_stream_t *r) {
  if (r->stop) return;
  if (!r->rec_any && !r->rec_bad) { /* blank: all values empty */
    r->skipped += r->cur_line - r->rec_line + 1;
    record_reset(r);
    return;
  }
  if (!r->shape &&
      !(r->shape = vc_shape_create(&r->sopts, r->name, r->d, csv_header, csv_record, r))) {
    r->stop = true;
    return;
  }
  for (int c = 0; c < r->nvals; c++) {
    r->fptrs[c] = r->sbuf + r->vals[c].off;
    r->flens[c] = r->vals[c].len;
  }
  vc_shape_row_t row = {.line = r->rec_line, .n = r->nvals, .vals = r->fptrs,
                        .lens = r->flens, .bad = r->rec_bad, .nfields = r->nfields,
                        .flags = (r->rec_parse ? ROW_PARSE : 0) | (r->rec_wide ? ROW_WIDE : 0) |
                                 (unsigned)(r->cur_line - r->rec_line) << ROW_SPAN_SHIFT};
  if (!vc_shape_feed(r->shape, &row)) r->stop = true;
  record_reset(r);
}

void vc__csv_on_row(int c, void *ud) {
  (void)c;
  vc__csv_finish_record(ud);
}


/* ---- the table reader, on the streaming core ---- */

/* Its table, once read (see csv.h). */
vc_table_t *vc_csv_stream_take_table(vc_csv_stream_t *r) {
  if (!r || r->stop) return NULL;
  vc_table_t *t = r->t;
  r->t = NULL;
  return t;
}

/* Reads CSV text from buf[0..len) (see csv.h).  The table is the caller's
 * (vc_table_free); NULL when no table can be built, with the reason in
 * diags.  buf is not modified and need not be NUL-terminated. */
vc_table_t *vc_csv_read_mem(const char *buf, size_t len, const char *name,
                            vc_diag_t *diags) {
  return vc_csv_read_mem_info(buf, len, name, diags, NULL);
}

/* The reader itself; also reports the delimiter and the skipped lines in
 * *info when info is not NULL. */
vc_table_t *vc_csv_read_mem_info(const char *buf, size_t len, const char *name,
                                 vc_diag_t *diags, vc_csv_info_t *info) {
  if (info) memset(info, 0, sizeof *info);
  if (!name) name = "(input)";
  if (len > VC_CSV_MAX_BYTES) {
    vc_diag_add(diags, VC_E_LIMIT, name, 0, 0,
                "the file is %zu MB, more than the %u MB vncert reads: split it",
                len >> 20, VC_CSV_MAX_BYTES >> 20);
    return NULL;
  }
  if (!buf && len) {
    vc_diag_add(diags, VC_E_INTERNAL, name, 0, 0, "no data given");
    return NULL;
  }
  vc_csv_stream_t *r = vc_csv_stream_open(name, diags, vc_table_add_record, NULL);
  if (!r) return NULL;
  vc_csv_stream_feed(r, buf ? buf : "", len);
  vc_table_t *t = vc_csv_stream_finish(r, info) ? vc_csv_stream_take_table(r) : NULL;
  vc_csv_stream_free(r);
  return t;
}

