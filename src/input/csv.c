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
 *  - At most MAX_TEXT_REPORTS encoding problems are reported one by one (a
 *    Windows-1258 file would otherwise give one per row); the rest are
 *    counted in a closing message, their rows still marked bad.
 */
#include "input/csv.h"

#include <csv.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/text.h"

#define MAX_TEXT_REPORTS 20
#define UTF8_HINT "the file is not UTF-8 \xe2\x80\x94 save it as \"CSV UTF-8\" in Excel"

/* One stored value of the record being read: offset and length in sbuf. */
typedef struct { size_t off, len; } span_t;

typedef struct vc_csv_stream {
  const char *name;
  vc_diag_t *d;
  vc_table_t *t;
  unsigned char delim, term;
  bool has_cr;      /* some CR in the text: libcsv needs our hooks */

  int cur_line;     /* physical line being fed */
  int rec_line;     /* physical line where the open record started */
  size_t rec_off;   /* byte offset of that line */
  bool in_record;

  /* the record being read */
  int nfields;      /* fields seen, including ones not stored */
  bool rec_bad;     /* a problem was reported for it */
  bool rec_parse;   /* libcsv stopped on it (field count is meaningless) */
  bool rec_any;     /* some value is not empty after cleaning */
  bool rec_wide;    /* more than VC_CSV_MAX_COLS fields */
  char *sbuf;
  size_t slen, scap;
  span_t *vals;     /* at most VC_CSV_MAX_COLS */
  int nvals;

  bool have_header;
  int ncols;
  int header_line;
  vc_shape_opts_t sopts; /* how the header and the end are found */
  vc_shape_t *shape;     /* created with the first record */
  vc_shape_info_t sinfo;
  const char **fptrs;    /* the record handed to the shape: VC_CSV_MAX_COLS */
  size_t *flens;
  long *first_value_line; /* per column: line of its first non-empty value */

  long skipped;      /* physical lines of skipped blank records */
  long text_errors;  /* encoding problems found, reported or not */
  bool stop;         /* fatal: stop reading, return NULL */

  /* streaming (vc_csv_stream_*): input arrives in pieces */
  vc_csv_row_fn fn;  /* each data record */
  void *ud;
  struct csv_parser p;
  bool pinit;        /* p is initialised */
  bool ready;        /* BOM, line end and delimiter decided */
  unsigned char *hold; /* input kept until then (the first record at most) */
  size_t hlen, hcap;
  size_t fed_bytes;
  bool skip_line;    /* after a parse error: rest of the physical line */
  int last_field_line; /* line on which the last field of the record ended */
  size_t text_off;   /* bytes given to run_lines so far (its slices line up on it) */
  bool field_long;   /* the value being read is over VC_CSV_MAX_FIELD (see trim_long) */
  size_t run_at;     /* its trailing white space was cut to end here (0: not) */
  long nrows;
  const char **ptrs; /* per column, for fn */
  size_t *lens;
} reader_t;

/* ---- small helpers ---- */

/* libcsv hooks: it gives no user data to these, hence one pair per terminator. */
static int space_lf(unsigned char c) { return c == ' ' || c == '\t' || c == '\r'; }
static int space_cr(unsigned char c) { return c == ' ' || c == '\t'; }
static int term_lf(unsigned char c) { return c == '\n'; }
static int term_cr(unsigned char c) { return c == '\r'; }

static const char *delim_name(unsigned char c) {
  return c == '\t' ? "TAB" : c == ';' ? "';'" : "','";
}

static void fatal(reader_t *r, vc_status_t st, int line, int col, const char *msg) {
  vc_diag_add(r->d, st, r->name, line, col, "%s", msg);
  r->stop = true;
}

/* Describes column col (0-based) of the record being read, for messages:
 * `column "Họ và tên"`, `column 3` (blank header), or the header's own. */
static void col_desc(const reader_t *r, int col, char *out, size_t outlen) {
  if (!r->have_header) { /* named after the likely header, once one is seen */
    const char *g = vc_shape_guess_name(r->shape, col);
    char sg[84];
    if (g && g[0])
      snprintf(out, outlen, "column \"%s\"", vc_text_shorten(g, sg, sizeof sg));
    else if (vc_shape_guess_width(r->shape))
      snprintf(out, outlen, "column %d", col + 1);
    else
      snprintf(out, outlen, "the header, column %d", col + 1);
    return;
  }
  const char *h = col < r->ncols ? vc_table_col_header(r->t, col) : NULL;
  char sh[84];
  if (h && h[0])
    snprintf(out, outlen, "column \"%s\"", vc_text_shorten(h, sh, sizeof sh));
  else if (col < r->ncols)
    snprintf(out, outlen, "column %d", col + 1);
  else
    snprintf(out, outlen, "column %d (past the header's %d columns)", col + 1, r->ncols);
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
static void text_error(reader_t *r, int col, const unsigned char *s, size_t n,
                       size_t bad, bool nul) {
  r->rec_bad = true;
  if (++r->text_errors > MAX_TEXT_REPORTS) return;
  char cd[600];
  col_desc(r, col, cd, sizeof cd);
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
                "invalid UTF-8 in %s (byte 0x%02X at character %zu): " UTF8_HINT, cd,
                s[bad], ch);
}

/* Makes room for n more bytes and a NUL in the record's scratch store. */
static bool reserve(reader_t *r, size_t n) {
  if (r->slen + n + 1 > r->scap) {
    size_t ncap = r->scap ? r->scap : 4096;
    while (ncap < r->slen + n + 1) ncap *= 2;
    char *nb = realloc(r->sbuf, ncap);
    if (!nb) return false;
    r->sbuf = nb;
    r->scap = ncap;
  }
  return true;
}

/* Appends a cleaned value, NUL-terminated, to the record's scratch store.
 * v may already sit at the store's end (written there by the fast path). */
static bool store_value(reader_t *r, const char *v, size_t n) {
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

static void record_reset(reader_t *r) {
  r->nfields = r->nvals = 0;
  r->slen = 0;
  r->rec_bad = r->rec_parse = r->rec_any = r->rec_wide = false;
  r->in_record = r->field_long = false;
  r->run_at = 0;
}

/* Line on which the value being read began: a value starts right after the
 * delimiter that ended the one before it, or where the record began. */
static int field_line(const reader_t *r) {
  return r->nfields ? r->last_field_line : r->rec_line;
}

/* Reports that the value in column col (0-based) is over the cap.  In the
 * header it is fatal at once: no column could be found, and reading on
 * would only cost time. */
static void long_value(reader_t *r, int col, int line) {
  char cd[600];
  col_desc(r, col, cd, sizeof cd);
  vc_diag_add(r->d, VC_E_LIMIT, r->name, line, col + 1,
              "the value in %s is longer than the 64 KiB (%u bytes) vncert reads in one "
              "value: shorten it, or check for a quote (\") that is never closed",
              cd, VC_CSV_MAX_FIELD);
  r->rec_bad = true;
  if (!r->have_header && !vc_shape_guess_width(r->shape) && !r->sopts.header_row &&
      !r->sopts.nfields)
    fatal(r, VC_E_INPUT, r->rec_line, 0, "the header line cannot be read, so no column can be found");
}

/* ---- libcsv callbacks ---- */

/* Field callback: checks the raw bytes, cleans, stores.  libcsv hands us its
 * own writable buffer, valid only during the call. */
static void on_field(void *data, size_t n, void *ud) {
  reader_t *r = ud;
  if (r->stop) return;
  unsigned char *s = data;
  if (!s) n = 0;
  int line = field_line(r);
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
    long_value(r, col, line);
    if (!r->stop && !store_value(r, "", 0)) fatal(r, VC_E_NOMEM, 0, 0, "out of memory");
    return;
  }
  /* the usual value (ASCII or precomposed Vietnamese): validated, cleaned
   * and written straight into the store in one pass */
  if (!reserve(r, n)) {
    fatal(r, VC_E_NOMEM, 0, 0, "out of memory");
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
      if (!store_value(r, "", 0)) fatal(r, VC_E_NOMEM, 0, 0, "out of memory");
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
  if (!c || !store_value(r, c, strlen(c))) fatal(r, VC_E_NOMEM, 0, 0, "out of memory");
  free(c);
}

/* Bits of vc_shape_row_t.flags: the record's own state, which comes back
 * with it when the shape hands it over (maybe after later records were
 * read); the lines it ran over past its first are the bits above them. */
#define ROW_PARSE 1u /* libcsv stopped on it: its field count means nothing */
#define ROW_WIDE 2u  /* more than VC_CSV_MAX_COLS fields */
#define ROW_SPAN_SHIFT 2

/* The header, once the shape decided it (vc_shape_header_fn): creates the
 * columns, checks duplicate names.  false when fatal (reported). */
static bool take_header(void *ud, const vc_shape_row_t *h) {
  reader_t *r = ud;
  if (h->flags & ROW_WIDE) {
    vc_diag_add(r->d, VC_E_LIMIT, r->name, h->line, 0,
                "the header has %d columns, more than the %d allowed", h->nfields,
                VC_CSV_MAX_COLS);
    r->stop = true;
    return false;
  }
  if (h->bad) { /* already reported; column names are unknown */
    fatal(r, VC_E_INPUT, h->line, 0, "the header line cannot be read, so no column can be found");
    return false;
  }
  for (int i = 0; i < h->n; i++) {
    if (vc_table_add_column(r->t, h->vals[i]) < 0) {
      fatal(r, VC_E_NOMEM, 0, 0, "out of memory");
      return false;
    }
  }
  r->ncols = h->n;
  r->have_header = true;
  r->header_line = h->line;
  r->first_value_line = calloc((size_t)r->ncols + 1, sizeof *r->first_value_line);
  r->ptrs = calloc((size_t)r->ncols + 1, sizeof *r->ptrs);
  r->lens = calloc((size_t)r->ncols + 1, sizeof *r->lens);
  if (!r->first_value_line || !r->ptrs || !r->lens) {
    fatal(r, VC_E_NOMEM, 0, 0, "out of memory");
    return false;
  }
  /* two headers that fold to the same key would make one unreachable */
  for (int j = 1; j < r->ncols; j++) {
    const char *kj = vc_table_col_key(r->t, j);
    if (!kj[0]) continue;
    for (int i = 0; i < j; i++) {
      if (strcmp(vc_table_col_key(r->t, i), kj) == 0) {
        char si[84], sj[84];
        vc_diag_add(r->d, VC_E_INPUT, r->name, h->line, j + 1,
                    "columns %d \"%s\" and %d \"%s\" have the same name (ignoring case "
                    "and accents): rename or delete one of them",
                    i + 1, vc_text_shorten(vc_table_col_header(r->t, i), si, sizeof si), j + 1,
                    vc_text_shorten(vc_table_col_header(r->t, j), sj, sizeof sj));
        break;
      }
    }
  }
  return true;
}

/* A data record, as the shape hands it over (vc_shape_record_fn): the
 * field count check, then the caller's function. */
static bool take_record(void *ud, const vc_shape_row_t *row) {
  reader_t *r = ud;
  if (r->nrows >= VC_CSV_MAX_ROWS) {
    vc_diag_add(r->d, VC_E_LIMIT, r->name, row->line, 0,
                "more than %d rows: split the file", VC_CSV_MAX_ROWS);
    r->stop = true;
    return false;
  }
  r->nrows++;
  bool bad = row->bad;
  int nset = row->n < r->ncols ? row->n : r->ncols;
  for (int c = 0; c < r->ncols; c++) {
    bool have = c < nset;
    r->ptrs[c] = have ? row->vals[c] : "";
    r->lens[c] = have ? row->lens[c] : 0;
    if (have && row->lens[c] && !r->first_value_line[c]) r->first_value_line[c] = row->line;
  }
  if (!(row->flags & ROW_PARSE) && row->nfields != r->ncols) {
    char span[64] = "";
    int extra = (int)(row->flags >> ROW_SPAN_SHIFT);
    if (extra)
      snprintf(span, sizeof span, " (it runs over lines %d-%d)", row->line, row->line + extra);
    vc_diag_add(r->d, VC_E_INPUT, r->name, row->line, 0,
                "row has %d fields, the header has %d%s: check for a missing or extra "
                "%s or quote (\") in this row",
                row->nfields, r->ncols, span, delim_name(r->delim));
    bad = true;
  }
  if (!r->fn(r->ud, row->line, r->ptrs, r->lens, r->ncols, !bad)) {
    fatal(r, VC_E_NOMEM, 0, 0, "out of memory");
    return false;
  }
  return true;
}

/* End of a record (libcsv's row callback, or our own after an error): a
 * skipped empty record, or a row for the shape to place. */
static void finish_record(reader_t *r) {
  if (r->stop) return;
  if (!r->rec_any && !r->rec_bad) { /* blank: all values empty */
    r->skipped += r->cur_line - r->rec_line + 1;
    record_reset(r);
    return;
  }
  if (!r->shape &&
      !(r->shape = vc_shape_create(&r->sopts, r->name, r->d, take_header, take_record, r))) {
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

static void on_row(int c, void *ud) {
  (void)c;
  finish_record(ud);
}

/* ---- set-up ---- */

/* True when libcsv, at the start of a record, would not skip every byte of
 * s[0..n) (the terminator excluded): a record starts on this line. */
static bool line_starts_record(const reader_t *r, const unsigned char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    unsigned char c = s[i];
    if (c == r->term) continue;
    if (c == ' ' || (c == '\t' && r->delim != '\t') || (c == '\r' && r->term == '\n'))
      continue;
    return true;
  }
  return false;
}

/* Picks the delimiter from the first physical record that is not blank and
 * holds one (title lines above the table may hold none): the most frequent
 * of ',' ';' TAB outside quotes; ties prefer ',' then ';' then TAB; none at
 * all gives ',' (a one-column file), known at the end of the window. */
static unsigned char detect_delim(const unsigned char *s, size_t n, unsigned char term,
                                  bool *done) {
  size_t i = 0;
  *done = false;
  for (;;) { /* skip lines of white space (with NBSP, which Excel leaves) */
    size_t j = i;
    for (;;) {
      if (j < n && s[j] != term && (s[j] == ' ' || s[j] == '\t' || s[j] == '\r'))
        j++;
      else if (j + 1 < n && s[j] == 0xC2 && s[j + 1] == 0xA0)
        j += 2;
      else
        break;
    }
    if (j < n && s[j] == term) {
      i = j + 1;
      continue;
    }
    break;
  }
  size_t comma = 0, semi = 0, tab = 0;
  bool inq = false;
  for (; i < n; i++) {
    unsigned char c = s[i];
    if (c == '"')
      inq = !inq; /* a doubled quote toggles twice: no net change */
    else if (inq)
      continue;
    else if (c == term) {
      /* a title line with no separator at all ("DANH SÁCH ...") above
       * the table says nothing: the first record that has one decides */
      if (comma + semi + tab == 0) continue;
      *done = true; /* the whole first record with a separator was seen */
      break;
    } else if (c == ',')
      comma++;
    else if (c == ';')
      semi++;
    else if (c == '\t')
      tab++;
  }
  if (comma >= semi && comma >= tab) return ',';
  return semi >= tab ? ';' : '\t';
}

static bool parser_init(struct csv_parser *p, const reader_t *r) {
  if (csv_init(p, CSV_STRICT | CSV_STRICT_FINI) != 0) return false;
  csv_set_delim(p, r->delim);
  /* Without any CR, libcsv's built-in tests (space: ' ' TAB; end: CR LF)
   * mean exactly what our hooks mean, and spare a call per byte. */
  if (r->has_cr) {
    csv_set_space_func(p, r->term == '\n' ? space_lf : space_cr);
    csv_set_term_func(p, r->term == '\n' ? term_lf : term_cr);
  }
  csv_set_blk_size(p, 16u << 10); /* libcsv grows its field buffer linearly */
  return true;
}

/* ---- the streaming core ---- */

/* libcsv gathers a value whole in its own buffer before handing it to
 * on_field, so a 255 MB value would cost 255 MB.  It is fed in slices of at
 * most SLICE bytes, and after each one that ends at a multiple of SLICE in
 * the text or at a line end the value being gathered is looked at through
 * csv.h's public parser state (between two csv_parse calls its fields are
 * libcsv's whole state: it works on copies during a call):
 *  - its length so far, not counting the white space at its end (which
 *    libcsv drops at the end of an unquoted value, `spaces`) nor the closing
 *    quote it may hold, only grows: once over VC_CSV_MAX_FIELD the value is
 *    too long whatever follows.  It is marked (field_long, reported by
 *    on_field where the value ends; at once in the header, which is fatal)
 *    and libcsv's buffer emptied but for the bytes its state counts on (one
 *    white space byte and the quote), so reading goes on to the value's end;
 *  - a run of white space at its end longer than VC_CSV_MAX_FIELD is cut to
 *    one byte (run_at: the length left).  If the value goes on after it, the
 *    run was inside it and the value is too long; if it ends there, libcsv
 *    drops the run anyway.
 * The cap is so exact however the input is cut, and a value costs at most
 * SLICE + VC_CSV_MAX_FIELD bytes. */
#define SLICE (64u << 10)

static void trim_long(reader_t *r) {
  struct csv_parser *p = &r->p;
  if (!r->field_long) {
    size_t kept = p->spaces + 1; /* white space at the end, and a quote */
    bool over = p->entry_pos > VC_CSV_MAX_FIELD + kept ||
                (r->run_at && p->entry_pos - p->spaces >= r->run_at);
    if (!over) {
      if (p->spaces > VC_CSV_MAX_FIELD) { /* a long run at the end: cut */
        p->entry_pos -= p->spaces - 1;
        p->spaces = 1;
        r->run_at = p->entry_pos;
      }
      return;
    }
    r->field_long = true;
    if (!r->have_header && !vc_shape_guess_width(r->shape) && !r->sopts.header_row &&
        !r->sopts.nfields) { /* the first row, a likely header: fatal, say it now */
      long_value(r, r->nfields, field_line(r));
      return;
    }
  }
  if (p->entry_pos <= SLICE) return;
  if (p->spaces > 1) p->spaces = 1;
  p->entry_pos = p->spaces + 1;
}

/* Feeds s[0..n) (BOM and prelude already dealt with) physical line by
 * physical line; a line may be cut anywhere between two calls. */
static void run_lines(reader_t *r, const unsigned char *s, size_t n) {
  if (!r->has_cr && memchr(s, '\r', n)) { /* from now on libcsv needs our hooks */
    r->has_cr = true;
    csv_set_space_func(&r->p, r->term == '\n' ? space_lf : space_cr);
    csv_set_term_func(&r->p, r->term == '\n' ? term_lf : term_cr);
  }
  size_t pos = 0;
  while (pos < n && !r->stop) {
    const unsigned char *eol = memchr(s + pos, r->term, n - pos);
    size_t end = eol ? (size_t)(eol - s) + 1 : n;
    if (!r->skip_line) {
      /* a line of only skipped bytes so far may still start a record */
      if (!r->in_record && line_starts_record(r, s + pos, end - pos)) {
        r->in_record = true;
        r->rec_line = r->cur_line;
      } else if (!r->in_record && eol) {
        r->skipped++; /* blank or only spaces: libcsv makes no record of it */
      }
      for (size_t at = pos; at < end && !r->stop;) {
        size_t room = SLICE - (r->text_off + at) % SLICE;
        size_t len = end - at < room ? end - at : room;
        size_t fed = csv_parse(&r->p, s + at, len, on_field, on_row, r);
        if (fed < len && !r->stop) {
          if (csv_error(&r->p) != CSV_EPARSE) {
            fatal(r, VC_E_NOMEM, r->cur_line, 0, "out of memory");
            break;
          }
          /* strict-mode stop: a quote where none may stand */
          char cd[600];
          col_desc(r, r->nfields, cd, sizeof cd);
          vc_diag_add(r->d, VC_E_INPUT, r->name, r->cur_line, r->nfields + 1,
                      "a quote (\") in the middle of the value in %s: put the whole value in "
                      "quotes and double each quote inside it, e.g. \"Trường \"\"Hoa Sen\"\"\"",
                      cd);
          r->rec_bad = r->rec_parse = true;
          finish_record(r);
          csv_free(&r->p);
          r->pinit = false;
          if (!parser_init(&r->p, r)) {
            fatal(r, VC_E_NOMEM, 0, 0, "out of memory");
            break;
          }
          r->pinit = true;
          r->skip_line = !eol; /* the rest of the line is skipped */
          break;
        }
        at += len;
        if (r->p.entry_pos > VC_CSV_MAX_FIELD && (len == room || (eol && at == end)))
          trim_long(r);
      }
    }
    pos = end;
    if (eol) {
      r->cur_line++;
      r->skip_line = false;
    }
  }
  r->text_off += n;
}

/* Decides the BOM, the line end and the delimiter once s[0..n) holds the
 * whole first record or HEAD_WINDOW bytes after the BOM (or the whole
 * input, at eof), then reads it.  false when more input is needed.  The
 * window bounds what is held (and looked at again on each piece) before
 * reading starts: a header longer than it is over the caps in any usual
 * file, and its first megabyte says the delimiter and the line end. */
#define HEAD_WINDOW (1u << 20)
static bool start(reader_t *r, const unsigned char *s, size_t n, bool eof) {
  if (n < 3 && !eof) return false;
  if (n >= 2 && ((s[0] == 0xFF && s[1] == 0xFE) || (s[0] == 0xFE && s[1] == 0xFF))) {
    vc_diag_add(r->d, VC_E_INPUT, r->name, 0, 0,
                "the file is UTF-16 (Excel's \"Unicode Text\"), not UTF-8: save it as "
                "\"CSV UTF-8\" in Excel");
    r->stop = true;
    return true;
  }
  size_t skip = n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF ? 3 : 0;
  bool full = eof || n - skip >= HEAD_WINDOW;
  size_t w = full && !eof ? skip + HEAD_WINDOW : n;
  bool has_lf = memchr(s, '\n', w) != NULL;
  if (!has_lf && !full) return false; /* a file of CR line ends only is known at its end */
  bool has_cr = w && memchr(s, '\r', w);
  unsigned char term = has_cr && !has_lf ? '\r' : '\n';
  bool done;
  unsigned char delim = detect_delim(s + skip, w - skip, term, &done);
  if (!done && !full) return false;
  r->term = term;
  r->delim = delim;
  r->has_cr = has_cr;
  if (!parser_init(&r->p, r)) {
    fatal(r, VC_E_NOMEM, 0, 0, "out of memory");
    return true;
  }
  r->pinit = r->ready = true;
  run_lines(r, s + skip, n - skip);
  return true;
}

/* Creates a streaming reader (see csv.h). */
vc_csv_stream_t *vc_csv_stream_open(const char *name, vc_diag_t *diags, vc_csv_row_fn fn,
                                    void *ud) {
  if (!name) name = "(input)";
  reader_t *r = calloc(1, sizeof *r);
  if (r) {
    r->name = name;
    r->d = diags;
    r->term = '\n';
    r->cur_line = 1;
    r->fn = fn;
    r->ud = ud;
    r->t = vc_table_create(name);
    r->vals = malloc(VC_CSV_MAX_COLS * sizeof *r->vals);
    r->fptrs = malloc(VC_CSV_MAX_COLS * sizeof *r->fptrs);
    r->flens = malloc(VC_CSV_MAX_COLS * sizeof *r->flens);
  }
  if (!r || !r->t || !r->vals || !r->fptrs || !r->flens) {
    vc_diag_add(diags, VC_E_NOMEM, name, 0, 0, "out of memory");
    vc_csv_stream_free(r);
    return NULL;
  }
  return r;
}

/* Reads buf[0..len) (see csv.h). */
bool vc_csv_stream_feed(vc_csv_stream_t *r, const char *buf, size_t len) {
  if (r->stop) return false;
  const unsigned char *s = (const unsigned char *)buf;
  r->fed_bytes += len;
  if (r->fed_bytes > VC_CSV_MAX_BYTES) {
    fatal(r, VC_E_LIMIT, 0, 0, "the file is more than the 256 MB vncert reads: split it");
    return false;
  }
  if (r->ready) {
    run_lines(r, s, len);
    return !r->stop;
  }
  if (!r->hlen && start(r, s, len, false)) return !r->stop; /* no copy needed */
  if (r->hlen + len > r->hcap) {
    size_t ncap = r->hcap ? r->hcap : 64u << 10;
    while (ncap < r->hlen + len) ncap *= 2;
    unsigned char *nb = realloc(r->hold, ncap);
    if (!nb) {
      fatal(r, VC_E_NOMEM, 0, 0, "out of memory");
      return false;
    }
    r->hold = nb;
    r->hcap = ncap;
  }
  if (len) memcpy(r->hold + r->hlen, s, len);
  r->hlen += len;
  if (start(r, r->hold, r->hlen, false)) {
    free(r->hold);
    r->hold = NULL;
    r->hlen = r->hcap = 0;
  }
  return !r->stop;
}

/* Ends the input (see csv.h). */
bool vc_csv_stream_finish(vc_csv_stream_t *r, vc_csv_info_t *info) {
  if (info) memset(info, 0, sizeof *info);
  if (!r->stop && !r->ready) {
    start(r, r->hold ? r->hold : (const unsigned char *)"", r->hlen, true);
    free(r->hold);
    r->hold = NULL;
    r->hlen = r->hcap = 0;
  }
  if (info) info->delimiter = (char)r->delim;
  if (!r->stop && r->pinit && csv_fini(&r->p, on_field, on_row, r) != 0) {
    /* strict mode: a quoted value opens a field, so the open quote stands
     * on the line where the field before it ended (or the record began) */
    int qline = r->nfields ? r->last_field_line : r->rec_line;
    char cd[600];
    col_desc(r, r->nfields, cd, sizeof cd);
    vc_diag_add(r->d, VC_E_INPUT, r->name, qline, r->nfields + 1,
                "the quoted value in %s that starts on this line is never closed: add the "
                "missing closing quote (\"); everything after it was read as part of it",
                cd);
    r->rec_bad = r->rec_parse = true;
    finish_record(r);
  }
  if (!r->stop && r->shape && !vc_shape_finish(r->shape, &r->sinfo)) r->stop = true;
  if (!r->stop && !r->have_header)
    fatal(r, VC_E_INPUT, 0, 0, "the file is empty: there is no header line");
  if (!r->stop) { /* a blank header is fine only over an empty column */
    for (int c = 0; c < r->ncols; c++) {
      const char *h = vc_table_col_header(r->t, c);
      if (!h[0] && r->first_value_line[c])
        vc_diag_add(r->d, VC_E_INPUT, r->name, r->header_line, c + 1,
                    "column %d has no name in the header but has values (first on line "
                    "%ld): give it a name",
                    c + 1, r->first_value_line[c]);
    }
  }
  if (r->text_errors > MAX_TEXT_REPORTS)
    vc_diag_add(r->d, VC_E_INPUT, r->name, 0, 0,
                "%ld more values are not valid UTF-8 (not listed; their rows are skipped): "
                UTF8_HINT,
                r->text_errors - MAX_TEXT_REPORTS);
  if (info) {
    info->skipped_lines = r->skipped;
    info->shape = r->sinfo;
  }
  return !r->stop;
}

/* How the header and the end of the table are found (see csv.h). */
void vc_csv_stream_set_shape(vc_csv_stream_t *r, const vc_shape_opts_t *o) {
  if (r && !r->shape) r->sopts = o ? *o : (vc_shape_opts_t){0};
}

/* The header read so far, as a table of columns (NULL before it). */
const vc_table_t *vc_csv_stream_header(const vc_csv_stream_t *r) {
  return r && r->have_header ? r->t : NULL;
}

void vc_csv_stream_free(vc_csv_stream_t *r) {
  if (!r) return;
  if (r->pinit) csv_free(&r->p);
  vc_table_free(r->t);
  free(r->hold);
  free(r->sbuf);
  free(r->vals);
  free(r->ptrs);
  free(r->lens);
  free(r->first_value_line);
  free(r->fptrs);
  free(r->flens);
  vc_shape_free(r->shape);
  free(r);
}

/* ---- the table reader, on the streaming core ---- */

/* Row callback of vc_csv_read_mem_info: the record becomes a table row. */
static bool table_row(void *ud, int line, const char *const *vals, const size_t *lens, int n,
                      bool ok) {
  vc_table_t *t = ((reader_t *)ud)->t;
  long row = vc_table_add_row(t, line);
  if (row < 0) return false;
  for (int c = 0; c < n; c++)
    if (lens[c] && !vc_table_set_cell(t, row, c, vals[c], lens[c])) return false;
  if (!ok) vc_table_mark_bad(t, row);
  return true;
}

/* A reader building a table (see csv.h). */
vc_csv_stream_t *vc_csv_stream_open_table(const char *name, vc_diag_t *diags) {
  reader_t *r = vc_csv_stream_open(name, diags, table_row, NULL);
  if (r) r->ud = r;
  return r;
}

/* Its table, once read (see csv.h). */
vc_table_t *vc_csv_stream_take_table(vc_csv_stream_t *r) {
  if (!r || r->stop || r->fn != table_row) return NULL;
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
  reader_t *r = vc_csv_stream_open_table(name, diags);
  if (!r) return NULL;
  vc_csv_stream_feed(r, buf ? buf : "", len);
  vc_table_t *t = vc_csv_stream_finish(r, info) ? vc_csv_stream_take_table(r) : NULL;
  vc_csv_stream_free(r);
  return t;
}

