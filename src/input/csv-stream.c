/*
 * csv-stream.c - the CSV reader's input side (see csv.c for its decisions):
 * pieces cut anywhere become physical lines fed to libcsv in slices, the
 * BOM, line end and delimiter are decided on the first piece(s), and a
 * value over the cap is found while it is read, never gathered.
 */
#include "input/csv-private.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/text.h"

/* libcsv hooks: it gives no user data to these, hence one pair per terminator. */
static int space_lf(unsigned char c) { return c == ' ' || c == '\t' || c == '\r'; }
static int space_cr(unsigned char c) { return c == ' ' || c == '\t'; }
static int term_lf(unsigned char c) { return c == '\n'; }
static int term_cr(unsigned char c) { return c == '\r'; }

/* ---- set-up ---- */

/* True when libcsv, at the start of a record, would not skip every byte of
 * s[0..n) (the terminator excluded): a record starts on this line. */
static bool line_starts_record(const vc_csv_stream_t *r, const unsigned char *s, size_t n) {
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

static bool parser_init(struct csv_parser *p, const vc_csv_stream_t *r) {
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
 * vc__csv_on_field, so a 255 MB value would cost 255 MB.  It is fed in slices of at
 * most SLICE bytes, and after each one that ends at a multiple of SLICE in
 * the text or at a line end the value being gathered is looked at through
 * csv.h's public parser state (between two csv_parse calls its fields are
 * libcsv's whole state: it works on copies during a call):
 *  - its length so far, not counting the white space at its end (which
 *    libcsv drops at the end of an unquoted value, `spaces`) nor the closing
 *    quote it may hold, only grows: once over VC_CSV_MAX_FIELD the value is
 *    too long whatever follows.  It is marked (field_long, reported by
 *    on_field where the value ends; at once in the header, which is vc__csv_fatal)
 *    and libcsv's buffer emptied but for the bytes its state counts on (one
 *    white space byte and the quote), so reading goes on to the value's end;
 *  - a run of white space at its end longer than VC_CSV_MAX_FIELD is cut to
 *    one byte (run_at: the length left).  If the value goes on after it, the
 *    run was inside it and the value is too long; if it ends there, libcsv
 *    drops the run anyway.
 * The cap is so exact however the input is cut, and a value costs at most
 * SLICE + VC_CSV_MAX_FIELD bytes. */
#define SLICE (64u << 10)

static void trim_long(vc_csv_stream_t *r) {
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
        !r->sopts.nfields) { /* the first row, a likely header: vc__csv_fatal, say it now */
      vc__csv_long_value(r, r->nfields, vc__csv_field_line(r));
      return;
    }
  }
  if (p->entry_pos <= SLICE) return;
  if (p->spaces > 1) p->spaces = 1;
  p->entry_pos = p->spaces + 1;
}

/* Feeds s[0..n) (BOM and prelude already dealt with) physical line by
 * physical line; a line may be cut anywhere between two calls. */
static void run_lines(vc_csv_stream_t *r, const unsigned char *s, size_t n) {
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
        size_t fed = csv_parse(&r->p, s + at, len, vc__csv_on_field, vc__csv_on_row, r);
        if (fed < len && !r->stop) {
          if (csv_error(&r->p) != CSV_EPARSE) {
            vc__csv_fatal(r, VC_E_NOMEM, r->cur_line, 0, N_("out of memory"));
            break;
          }
          /* strict-mode stop: a quote where none may stand */
          char cd[600];
          vc__csv_col_desc(r, r->nfields, cd, sizeof cd);
          vc_diag_add(r->d, VC_E_INPUT, r->name, r->cur_line, r->nfields + 1,
                      "a quote (\") in the middle of the value in %s: put the whole value in "
                      "quotes and double each quote inside it, e.g. \"Trường \"\"Hoa Sen\"\"\"",
                      cd);
          r->rec_bad = r->rec_parse = true;
          vc__csv_finish_record(r);
          csv_free(&r->p);
          r->pinit = false;
          if (!parser_init(&r->p, r)) {
            vc__csv_fatal(r, VC_E_NOMEM, 0, 0, N_("out of memory"));
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
static bool start(vc_csv_stream_t *r, const unsigned char *s, size_t n, bool eof) {
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
    vc__csv_fatal(r, VC_E_NOMEM, 0, 0, N_("out of memory"));
    return true;
  }
  r->pinit = r->ready = true;
  run_lines(r, s + skip, n - skip);
  return true;
}

/* Creates a streaming reader (see csv.h). */
vc_csv_stream_t *vc_csv_stream_open(const char *name, vc_diag_t *diags, vc_record_fn fn,
                                    void *ud) {
  if (!name) name = "(input)";
  vc_csv_stream_t *r = calloc(1, sizeof *r);
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
    vc__csv_fatal(r, VC_E_LIMIT, 0, 0, N_("the file is more than the 256 MB vncert reads: split it"));
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
      vc__csv_fatal(r, VC_E_NOMEM, 0, 0, N_("out of memory"));
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
  if (!r->stop && r->pinit && csv_fini(&r->p, vc__csv_on_field, vc__csv_on_row, r) != 0) {
    /* strict mode: a quoted value opens a field, so the open quote stands
     * on the line where the field before it ended (or the record began) */
    int qline = r->nfields ? r->last_field_line : r->rec_line;
    char cd[600];
    vc__csv_col_desc(r, r->nfields, cd, sizeof cd);
    vc_diag_add(r->d, VC_E_INPUT, r->name, qline, r->nfields + 1,
                "the quoted value in %s that starts on this line is never closed: add the "
                "missing closing quote (\"); everything after it was read as part of it",
                cd);
    r->rec_bad = r->rec_parse = true;
    vc__csv_finish_record(r);
  }
  if (!r->stop && r->shape && !vc_shape_finish(r->shape, &r->sinfo)) r->stop = true;
  if (!r->stop && !r->have_header)
    vc__csv_fatal(r, VC_E_INPUT, 0, 0, N_("the file is empty: there is no header line"));
  if (!r->stop) { /* a blank header is fine only over an empty column */
    for (int c = 0; c < r->cols.n; c++) {
      const char *h = vc_table_col_header(r->t, c);
      if (!h[0] && r->cols.first_line[c])
        vc_diag_add(r->d, VC_E_INPUT, r->name, r->cols.header_line, c + 1,
                    "column %d has no name in the header but has values (first on line "
                    "%ld): give it a name",
                    c + 1, r->cols.first_line[c]);
    }
  }
  if (r->text_errors > VC_CSV_MAX_TEXT_REPORTS)
    vc_diag_add(r->d, VC_E_INPUT, r->name, 0, 0,
                vc__ngettext("%ld more value is not valid UTF-8 (not listed; its row is "
                             "skipped): the file is not UTF-8 \xe2\x80\x94 save it as "
                             "\"CSV UTF-8\" in Excel",
                             "%ld more values are not valid UTF-8 (not listed; their rows are "
                             "skipped): the file is not UTF-8 \xe2\x80\x94 save it as "
                             "\"CSV UTF-8\" in Excel",
                             (unsigned long)(r->text_errors - VC_CSV_MAX_TEXT_REPORTS)),
                r->text_errors - VC_CSV_MAX_TEXT_REPORTS);
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
  vc_shape_columns_free(&r->cols);
  free(r->fptrs);
  free(r->flens);
  vc_shape_free(r->shape);
  free(r);
}
