/*
 * workbook-private.h - what the workbook reader's files share (workbook.c:
 * XML plumbing; workbook-zip.c: the ZIP archive's entries, protected files;
 * workbook-sheet.c: rows into a table; workbook-merge.c: merged cells;
 * workbook-xlsx.c, workbook-ods.c: the two formats; workbook-format.c:
 * Excel number formats).  Not for other modules: workbook.h is the API.
 *
 * Why expat is wrapped: every part is parsed the same guarded way (no
 * DOCTYPE, nesting depth capped, bytes counted against the caps), and
 * element names arrive as (namespace id, local name) so the format code
 * never depends on the prefixes a writer chose.
 */
#ifndef VC_WORKBOOK_PRIVATE_H
#define VC_WORKBOOK_PRIVATE_H

#include <expat.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <zip.h>

#include "core/diag.h"
#include "input/csv.h"
#include "input/workbook.h"
#include "records/table.h"

/* Caps (docs/limits.md).  Rows, columns and the length of one value are the
 * CSV reader's (VC_CSV_MAX_ROWS, VC_CSV_MAX_COLS, VC_CSV_MAX_FIELD); the
 * workbook file itself is capped at VC_CSV_MAX_BYTES. */
#define VC_WB_MAX_PART (256u << 20)  /* one XML part, uncompressed */
#define VC_WB_MAX_TOTAL (512u << 20) /* all parts read, uncompressed */
#define VC_WB_MAX_ENTRIES 10000      /* files in the ZIP archive */
#define VC_WB_MAX_SHEETS 1000
#define VC_WB_MAX_STRINGS 8000000   /* xlsx shared strings */
#define VC_WB_MAX_STYLES 65536      /* xlsx cell formats and number formats */
#define VC_WB_MAX_DEPTH 256         /* XML element nesting */
#define VC_WB_MAX_TOKEN (1u << 20)  /* one XML tag with its attributes, or comment */
#define VC_WB_MAX_ROWNUM (1L << 24) /* highest spreadsheet row number */
#define VC_WB_MAX_COLNUM 16384      /* highest column (XFD), as Excel */
/* What a sheet may expand to: a shared string used a million times, or a
 * repeated ODS row, costs a few bytes in the file but a copy in the table. */
#define VC_WB_MAX_CELLS (16L << 20)       /* table rows x columns */
#define VC_WB_MAX_TEXT (256ULL << 20)      /* bytes of all values stored */
#define VC_WB_MAX_MERGES (1L << 20) /* merged ranges over several rows, one sheet */

/* One workbook being read. */
typedef struct vc_wb {
  const char *name; /* file name for messages */
  vc_diag_t *d;
  zip_t *zip;
  uint64_t total; /* uncompressed bytes read so far, all parts */
  bool failed;    /* a fatal problem was reported: give up */
  vc_record_fn row; /* where records go (vc_table_add_record: into the table) */
  void *row_ud;
  const vc_shape_opts_t *shape; /* how the header and the end are found, or NULL */
  vc_shape_info_t *shape_info;  /* what the shape found, or NULL */
} vc_wb_t;

/* Namespaces the readers care about (ids, not URIs). */
enum {
  VC_NS_NONE = 0, /* no namespace */
  VC_NS_OTHER,
  VC_NS_SSML,    /* SpreadsheetML main (transitional or strict) */
  VC_NS_OREL,    /* officeDocument relationships (r:id) */
  VC_NS_PREL,    /* package relationships (.rels files) */
  VC_NS_OFFICE,  /* ODF office: */
  VC_NS_TABLE,   /* ODF table: */
  VC_NS_TEXT,    /* ODF text: */
  VC_NS_STYLE,   /* ODF style: */
  VC_NS_XML      /* the xml: prefix */
};

typedef struct vc_wb_xml vc_wb_xml_t;
typedef void (*vc_wb_start_fn)(vc_wb_xml_t *x, int ns, const char *local,
                               const char **atts);
typedef void (*vc_wb_end_fn)(vc_wb_xml_t *x, int ns, const char *local);

/* A guarded expat parse of one part.  Fill start/end/ud, then call
 * vc__wb_parse_part.  Handlers stop the parse with vc__wb_xml_stop (done) or
 * vc__wb_xml_fail (an error, already reported). */
struct vc_wb_xml {
  vc_wb_t *w;
  const char *part; /* the part being parsed, for messages (maybe cut short) */
  char pshort[128];
  XML_Parser p;
  int depth;
  bool stop; /* a handler asked to stop */
  void *ud;
  vc_wb_start_fn start;
  vc_wb_end_fn end;

  /* text of the current element(s), gathered while collect is true; at most
   * VC_CSV_MAX_FIELD bytes are kept, tlong says more were given */
  bool collect;
  char *text;
  size_t tlen, tcap;
  bool tlong;
  size_t unheard; /* bytes given to expat since its last callback */

  /* last namespace URIs seen and their ids (URIs repeat on every element) */
  struct {
    char uri[96];
    size_t len;
    int id;
  } nscache[4];
  unsigned nsnext; /* next entry to replace */
  unsigned nslast; /* entry of the last hit: tried first */
};

#define VC_WB_CHUNK (64u << 10) /* bytes read from an entry at a time */

/* ---- workbook.c: XML parts ---- */

/* Parses the ZIP entry `part` with x's handlers (x->w and the handlers set;
 * the rest is initialised here).  Returns 1 when parsed (or stopped as done),
 * 0 when the part does not exist (nothing reported: the caller decides),
 * -1 on an error (reported, w->failed set).  x->text is freed. */
int vc__wb_parse_part(vc_wb_xml_t *x, const char *part);

/* Stops the parse: done (no error). */
void vc__wb_xml_stop(vc_wb_xml_t *x);
/* Reports a fatal problem in the part (file-level, line 0) and stops. */
void vc__wb_xml_fail(vc_wb_xml_t *x, vc_status_t st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Starts gathering text (clears what was gathered) / keeps gathering. */
void vc__wb_xml_collect(vc_wb_xml_t *x, bool clear);
/* Appends s[0..n) to the gathered text whether collecting or not (within
 * the same cap). */
void vc__wb_xml_append(vc_wb_xml_t *x, const char *s, size_t n);
/* Value of the attribute (ns, local) in expat's atts, or NULL. */
const char *vc__wb_attr(vc_wb_xml_t *x, const char **atts, int ns, const char *local);

/* Reports a fatal workbook-level problem (line 0) and sets w->failed.
 * fmt is translated (vc_diag_addv): callers mark their literal N_(). */
void vc__wb_fail(vc_wb_t *w, vc_status_t st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Sheet choice shared by both formats: index of the sheet to read among n
 * named ones (hidden[i] true for hidden sheets).  want NULL = the first
 * visible sheet (the first of all if every one is hidden); else the exact
 * name (after NFC), then the one whose folded name matches.  -1 when none
 * or several match (reported with the list of sheets). */
int vc__wb_choose_sheet(vc_wb_t *w, const char *const *names, const bool *hidden, int n,
                       const char *want);

/* Parses a decimal number as written in the files ("5000000", "-1.5E-3"):
 * plain digits, sign, point and exponent only, in the C locale.  false for
 * anything else (hex, inf, nan, empty, trailing bytes). */
bool vc__wb_parse_double(const char *s, size_t n, double *out);
/* Parses a non-negative decimal integer (digits only, no sign), saturating
 * at max; false when s is not digits. */
bool vc__wb_parse_long(const char *s, long max, long *out);
/* Column letters ("A", "AB") of a 0-based column, and "B7" references. */
void vc__wb_cellref(long col0, long row, char *out, size_t outlen);

/* Decodes OOXML's _xHHHH_ escapes in s[0..*n) in place (control characters
 * become spaces, NUL is dropped, _x005F_ is "_"); updates *n. */
void vc__wb_unescape_x(char *s, size_t *n);

/* ---- workbook-zip.c: the archive's entries ---- */

/* Reads the entry `part` to the end: each piece (VC_WB_CHUNK bytes at most)
 * into the buffer getbuf(ud) gives, then feed(ud, n, last) (which returns
 * false to stop early), counting bytes against VC_WB_MAX_PART and
 * VC_WB_MAX_TOTAL.  1 done, 0 missing, -1 on an error (reported, w->failed
 * set; with quiet, nothing is reported and w->failed is untouched). */
typedef void *(*vc_wb_getbuf_fn)(void *ud);
typedef bool (*vc_wb_feed_fn)(void *ud, size_t n, bool last);
int vc__wb_read_entry(vc_wb_t *w, const char *part, bool quiet, vc_wb_getbuf_fn getbuf,
                     vc_wb_feed_fn feed, void *ud);
/* Reads the entry `part` as bytes, handing each piece to fn (which returns
 * false to stop), with the caps of vc__wb_parse_part.  1 read (or stopped),
 * 0 missing, -1 on an error (reported, w->failed set). */
typedef bool (*vc_wb_raw_fn)(void *ud, const char *b, size_t n);
int vc__wb_read_raw(vc_wb_t *w, const char *part, vc_wb_raw_fn fn, void *ud);
/* True when the archive has the entry (exact name, else ignoring case, else
 * with '\\' for '/'). */
bool vc__wb_has_part(vc_wb_t *w, const char *part);
/* Reads a small entry whole (at most max bytes) into a new NUL-terminated
 * buffer; NULL when missing, too big or unreadable (nothing reported). */
char *vc__wb_read_small(vc_wb_t *w, const char *part, size_t max);

/* ---- workbook-sheet.c: rows of one sheet, streamed (w->row) or into a table ---- */

typedef struct vc_wb_sink vc_wb_sink_t;

/* A new sink for the sheet named sheet (for messages); NULL on no memory
 * (reported). */
vc_wb_sink_t *vc__wb_sink_create(vc_wb_t *w, const char *sheet);
/* Starts spreadsheet row `row` (1-based, above the previous one).  false on
 * an out-of-order or too large row number (reported, w->failed). */
bool vc__wb_sink_row(vc_wb_sink_t *s, long row);
/* A cell of the current row: 0-based column, raw text v[0..n).  clean false
 * when v is already cleaned (shared strings).  Empty values may be skipped
 * by callers. */
void vc__wb_sink_value(vc_wb_sink_t *s, long col, const char *v, size_t n, bool clean);
/* A problem with a cell of the current row: reported with the sheet and cell
 * reference, the row marked bad. */
void vc__wb_sink_problem(vc_wb_sink_t *s, long col, vc_status_t st, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The current row is hidden (or filtered out) in the spreadsheet: called
 * after vc__wb_sink_row, before vc__wb_sink_end_row.  The shape counts it, or
 * leaves it out with --visible-only (src/input/shape.h). */
void vc__wb_sink_hidden(vc_wb_sink_t *s, bool hidden);
/* Ends the current row; it stands for `repeat` identical rows (ODS).  Rows
 * with no value are skipped; the others are delivered now, one record per
 * repeat (to w->row, else added to the table). */
void vc__wb_sink_end_row(vc_wb_sink_t *s, long repeat);
/* The finished table (caller owns it; only the columns when streaming) or
 * NULL (reported); frees the sink. */
vc_table_t *vc__wb_sink_finish(vc_wb_sink_t *s);
/* Frees the sink and any table being built (after a failure). */
void vc__wb_sink_free(vc_wb_sink_t *s);

/* ---- workbook-merge.c: values merged over several rows ---- */

typedef struct vc_wb_merge vc_wb_merge_t;

/* A new, empty set of merges for w's sheet (caller frees); NULL on no
 * memory (reported). */
vc_wb_merge_t *vc__wb_merge_create(vc_wb_t *w);
void vc__wb_merge_free(vc_wb_merge_t *m);
/* Adds the merge rows r1..r2, columns c1..c2 (1-based rows, 0-based
 * columns); kept only when it spans rows.  -1 when more than
 * VC_WB_MAX_MERGES (the caller reports), 0 on no memory, 1 done. */
int vc__wb_merge_add(vc_wb_merge_t *m, long r1, long c1, long r2, long c2);
/* Orders the merges added before the first row by their first row. */
void vc__wb_merge_sort(vc_wb_merge_t *m);
/* Starts row `row` (ascending, as vc__wb_sink_row). */
void vc__wb_merge_row(vc_wb_merge_t *m, long row);
/* True when cell col of the current row is covered by a merge from a row
 * above, in the merge's first column: the reader ignores its content. */
bool vc__wb_merge_covered(const vc_wb_merge_t *m, long col);
/* A value of the current row: noted (top-left of a merge, the row's own
 * value) and handed to vc__wb_sink_value. */
void vc__wb_merge_value(vc_wb_merge_t *m, vc_wb_sink_t *s, long col, const char *v, size_t n,
                       bool clean);
/* A problem was reported with cell col of the current row. */
void vc__wb_merge_problem(vc_wb_merge_t *m, long col);
/* Before vc__wb_sink_end_row: the merged values of the rows above, given to
 * the current row when it has a value of its own. */
void vc__wb_merge_fill(vc_wb_merge_t *m, vc_wb_sink_t *s);
/* Reads the <mergeCell> ranges of an xlsx sheet part before its rows are
 * read; false on a problem (reported; a missing part adds nothing). */
bool vc__wb_merge_read_xlsx(vc_wb_merge_t *m, const char *part);

/* ---- workbook-zip.c: files vncert cannot read, named for what they are ---- */

/* True when the ods archive's manifest says content.xml is encrypted
 * (a password set in LibreOffice); reads at most 1 MiB of it. */
bool vc__wb_ods_encrypted(vc_wb_t *w);

/* ---- workbook-format.c: numbers as Excel shows them ---- */

typedef struct vc_wb_fmt vc_wb_fmt_t;

/* Compiles a number format code ("#,##0", "dd/mm/yyyy", "0000000",
 * "General"); NULL on no memory.  Caller frees with vc__wb_fmt_free. */
vc_wb_fmt_t *vc__wb_fmt_compile(const char *code, size_t n);
/* The code of a built-in format id (0-81), "General" for unknown ids. */
const char *vc__wb_fmt_builtin(long id);
void vc__wb_fmt_free(vc_wb_fmt_t *f);
/* True when the format shows numbers as a date or time. */
bool vc__wb_fmt_is_date(const vc_wb_fmt_t *f);

/* Writes v as format f shows it (f NULL = General) into out (NUL-terminated,
 * cut to outlen); returns the length.  Thousands '.', decimal ','; dates
 * dd/mm/yyyy; date1904 selects the 1904 date system.  Must run in the C
 * locale (vc_workbook_read_mem sets it for the thread). */
size_t vc__wb_fmt_number(const vc_wb_fmt_t *f, double v, bool date1904, char *out,
                        size_t outlen);
/* Text s[0..n) through the format's text section (`"Lớp "@`); returns a new
 * string in *out (caller frees) or leaves *out NULL when the text shows as
 * it is.  false on no memory. */
bool vc__wb_fmt_text(const vc_wb_fmt_t *f, const char *s, size_t n, char **out);
/* A date or date-time written "2024-12-19" or "2024-12-19T10:30:00" shown
 * as the canonical date ("19/12/2024", with " 10:30" when the time is not
 * midnight); returns the length, 0 when s is not such a date. */
size_t vc__wb_iso_date(const char *s, char *out, size_t outlen);
/* The same, with the time part as `shown` (the text the spreadsheet
 * displayed) has it: none when it shows no time ("19/12/2024" for a
 * date-only style, whatever the hour), HH:MM or HH:MM:SS when it does
 * (midnight included).  shown NULL or empty: as vc__wb_iso_date. */
size_t vc__wb_iso_date_shown(const char *s, const char *shown, size_t slen, char *out,
                            size_t outlen);

/* ---- the two formats ---- */

/* Reads the chosen sheet of an xlsx / ods archive; NULL (reported) on
 * failure.  sheet NULL = the first visible one. */
vc_table_t *vc__wb_xlsx_read(vc_wb_t *w, const char *sheet);
vc_table_t *vc__wb_ods_read(vc_wb_t *w, const char *sheet);

#endif
