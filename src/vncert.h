/*
 * vncert.h - the public API of libvncert: Vietnamese award certificates and
 * receipts from school recipient lists.  This header is the whole of what a
 * front end (the vncert command, the kiosk, the ledger) uses; it includes
 * only standard headers and is installed alone (pkg-config vncert).
 *
 * Lifecycle: open a template (vc_engine_create), open a list bound to it
 * (vc_data_load), then any number of: choose records (vc_data_choose,
 * vc_data_search), check or render one record to memory
 * (vc_record_check, vc_record_render); free the data, then the engine.
 * Whole jobs over files (render to one PDF, volumes or one file per
 * record, check, proof, data) take a vc_job_t and open everything
 * themselves.  docs/api.md has the walk-through and an example.
 *
 * Errors: nothing in the library prints, exits or aborts on bad input.
 * Every problem is recorded, with its file, line and column, in the
 * vc_diag_t given to the call; functions return a status, a count, NULL
 * or false.  A VC_WARN item is a warning only.
 *
 * Ownership: what a function returns newly made (create, load, render,
 * expand) belongs to the caller and has a matching free; pointers into an
 * engine or a data set (names, values, infos) live as long as it.
 *
 * Threads: an engine and a data set are read-only once made, except for
 * vc_data_set_images_dir; several threads may then call vc_record_*,
 * vc_data_search, vc_data_value and vc_data_choose on the same ones at
 * once.  A vc_diag_t is used by one thread at a time: give each thread its
 * own.  A job is one thread's; it may be stopped from anywhere through
 * its `cancel` flag.
 */
#ifndef VNCERT_H
#define VNCERT_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The library's version (the vncert command's too). */
#define VNCERT_VERSION "0.1.0"

/* ---- diagnostics ----------------------------------------------------- */

typedef enum vc_status {
  VC_OK = 0,
  VC_E_INPUT,    /* a problem in the user's data or template (exit 1) */
  VC_E_USAGE,    /* wrong command line or option (exit 2) */
  VC_E_IO,       /* a file cannot be read or written (exit 1) */
  VC_E_LIMIT,    /* input beyond a documented size cap (exit 1) */
  VC_E_FONT,     /* font missing, unusable or lacking a glyph (exit 1) */
  VC_E_NOMEM,    /* out of memory */
  VC_E_PDF,      /* the PDF library failed */
  VC_E_INTERNAL, /* a bug in vncert */
  VC_E_CANCELLED, /* stopped on request (Ctrl-C); nothing was written */
  VC_WARN        /* a warning, not a problem: something the user should know
                  * (invisible characters in a printed value, stale files);
                  * exit 0, not counted by vc_diag_count/vc_diag_status */
} vc_status_t;

/* A list of problems: a run reports every problem it finds, not only the
 * first.  Not thread-safe: one list per thread. */
typedef struct vc_diag vc_diag_t;

/* One recorded problem.  Strings belong to the list.  Messages and file
 * names are stored safe for a terminal: control and invisible characters
 * from the data are written \u{1B}, \u{200B}, stray bytes \x{FF}. */
typedef struct vc_diag_item {
  vc_status_t status;
  const char *file;   /* may be NULL */
  int line;           /* physical line (spreadsheet row), 1-based; 0 = none */
  int col;            /* 1-based column; 0 = not applicable */
  const char *msg;
} vc_diag_item_t;

/* The list keeps at most this many items; later ones are only counted. */
#define VC_DIAG_MAX 1000

/* Creates an empty list; the caller owns it (vc_diag_free).  NULL on no
 * memory. */
vc_diag_t *vc_diag_create(void);
/* Frees the list and its items; safe with NULL. */
void vc_diag_free(vc_diag_t *d);
/* Number of problems (errors, not warnings) recorded, including those
 * beyond VC_DIAG_MAX. */
size_t vc_diag_count(const vc_diag_t *d);
/* Number of warnings recorded. */
size_t vc_diag_warnings(const vc_diag_t *d);
/* True for a warning status. */
#define vc_status_is_warning(st) ((st) == VC_WARN)
/* Number of items kept (<= VC_DIAG_MAX), and item i of them in order of
 * recording (owned by the list; NULL when i is out of range): how a front
 * end walks the list to show it its own way. */
size_t vc_diag_kept(const vc_diag_t *d);
const vc_diag_item_t *vc_diag_get(const vc_diag_t *d, size_t i);
/* Status of the first problem (not warning) recorded, VC_OK when none. */
vc_status_t vc_diag_status(const vc_diag_t *d);
/* Drops every item (keeps the list, for the next call). */
void vc_diag_clear(vc_diag_t *d);
/* Prints "file:line:col: message" lines ("file:line:col: warning: message"
 * for warnings), then "(N more problems)" if any were only counted. */
void vc_diag_print(const vc_diag_t *d, FILE *fp);
/* Process exit code for a status: 0 ok or warning, 2 usage, 1 anything
 * else. */
int vc_status_exit_code(vc_status_t st);
/* A short name of a status ("input", "nomem", "warning"...); static. */
const char *vc_status_name(vc_status_t st);

/* ---- reading a list -------------------------------------------------- */

/* One field a header must hold: its names (key and aliases).  Filled by
 * the engine from the template; front ends leave it NULL. */
typedef struct vc_shape_field {
  const char *const *names;
  int nnames;
} vc_shape_field_t;

/* Where the table is in a sheet laid out by a school (all zero: the header
 * found by the template's fields or by its look). */
typedef struct vc_shape_opts {
  const vc_shape_field_t *fields; /* the template's required fields, or NULL */
  int nfields;
  long header_row;   /* > 0: the header is on this line (row) */
  long last_row;     /* > 0: the records end on this line (row) */
  bool visible_only; /* hidden and filtered-out rows are left out */
} vc_shape_opts_t;

/* What was passed over, for a summary.  Lines are physical lines (CSV) or
 * spreadsheet rows. */
typedef struct vc_shape_info {
  long header_line;              /* 0 when no header was found */
  long above_first, above_last;  /* non-blank rows above the header (0: none) */
  long above_rows;
  long below_first, below_last;  /* rows after the records, passed over */
  long below_rows;
  long hidden_included;          /* hidden records kept */
  long hidden_left_out;          /* hidden rows left out (visible_only) */
} vc_shape_info_t;

/* How to read a list (all zero: by its content). */
typedef struct vc_read_opts {
  const char *encoding; /* NULL = by BOM, else strict UTF-8; or "utf-8",
                           "utf-16", "utf-16le", "utf-16be", "windows-1258"
                           ("cp1258"), "tcvn3" ("tcvn", "tcvn5712-1") */
  const char *sheet;    /* workbooks: sheet name; NULL = the first */
  vc_shape_opts_t shape; /* where the header and the end of the table are */
} vc_read_opts_t;

/* What reading found, for a summary. */
typedef struct vc_read_info {
  char encoding[32];  /* "UTF-8", "UTF-8 (BOM)", "UTF-16LE (BOM)", "UTF-16BE",
                         "Windows-1258", "TCVN3", "xlsx", "ods" */
  char delimiter;     /* ',', ';', '\t', or 0 for workbooks */
  long skipped_lines; /* blank lines skipped */
  vc_shape_info_t shape; /* the header's line, rows passed over, hidden rows */
} vc_read_info_t;

/* Checks an encoding name before any file is read: VC_OK for NULL, "" and
 * the names vncert reads (case, '-', '_' and spaces do not matter).  Else
 * VC_E_USAGE with a diag listing them (VNI: how to convert it).  Reading
 * checks it too; this is for a front end's settings form. */
vc_status_t vc_encoding_check(const char *encoding, vc_diag_t *d);

/* ---- a template and a list ------------------------------------------- */

/* A loaded template with its fonts resolved. */
typedef struct vc_engine vc_engine_t;
/* A recipient list bound to an engine's fields. */
typedef struct vc_data vc_data_t;

/* Loads the template (a YAML file) and every font it names.  fonts_dir is
 * the bundled fonts folder (NULL: installed fonts only).  The caller owns
 * the engine (vc_engine_free).  NULL with diags on any problem. */
vc_engine_t *vc_engine_create(const char *template_path, const char *fonts_dir,
                              vc_diag_t *d);
/* Frees the engine; every data set loaded with it must be freed first.
 * Safe with NULL. */
void vc_engine_free(vc_engine_t *e);
/* Page size in PDF points, and the template's title (owned by e). */
double vc_engine_page_w_pt(const vc_engine_t *e);
double vc_engine_page_h_pt(const vc_engine_t *e);
const char *vc_engine_title(const vc_engine_t *e);
/* Whether a qr: element of the template signs with vncert's published DEMO
 * key (key: DEMO, or its file): codes that anyone can make, for trying
 * vncert only.  Front ends say so before real certificates are printed. */
bool vc_engine_demo_signed(const vc_engine_t *e);

/* Reads a list (CSV in UTF-8, UTF-16, Windows-1258 or TCVN3; .xlsx; .ods;
 * "-" = standard input) and binds it to the engine's fields; ro may be
 * NULL.  Every problem found (reading, binding) goes to d.  Returns the
 * data even when some rows have problems (vc_data_row_ok), NULL when the
 * file cannot be used at all.  The caller owns it (vc_data_free); it keeps
 * a pointer to e. */
vc_data_t *vc_data_load(vc_engine_t *e, const char *path,
                        const vc_read_opts_t *ro, vc_diag_t *d);
/* The template's sample record, as a data set of one row (for proofs).
 * The caller owns it (vc_data_free).  NULL only on no memory (said). */
vc_data_t *vc_data_sample(vc_engine_t *e, vc_diag_t *d);
/* Frees the data; safe with NULL. */
void vc_data_free(vc_data_t *data);
/* What reading the list found (owned by data; all zero for the sample). */
const vc_read_info_t *vc_data_read_info(const vc_data_t *data);
/* Lets per-record images ({anh}) come from folder `extra` too, besides the
 * data file's own folder.  Not while other threads use the data.  false +
 * diag (VC_E_USAGE) when extra is not a folder. */
bool vc_data_set_images_dir(vc_data_t *data, const char *extra, vc_diag_t *d);
/* Number of records; records are numbered from 0 in file order. */
long vc_data_count(const vc_data_t *data);
/* The physical line (spreadsheet row) of a record, for messages. */
int vc_data_row_line(const vc_data_t *data, long row);
/* False when reading already found a problem with the record (or with
 * the whole list). */
bool vc_data_row_ok(const vc_data_t *data, long row);
/* The list's file name as messages give it (owned by data). */
const char *vc_data_name(const vc_data_t *data);
/* Column bound to a template field or header name, -1 when none. */
int vc_data_col(const vc_data_t *data, const char *name);
/* Value of a placeholder name for a record (template fields, then the
 * list's columns, then template values): "ho_ten", "lop".  Owned by data;
 * NULL when the name is unknown. */
const char *vc_data_value(const vc_data_t *data, long row, const char *name);
/* Expands a {placeholder} pattern for a record ("{ma_sv}-{ho_ten}").
 * Returns a new string (caller frees) or NULL with a diag. */
char *vc_data_expand(const vc_data_t *data, long row, const char *pattern,
                     vc_diag_t *d);

/* ---- one record ------------------------------------------------------ */

/* Checks one record as a job would before printing it: its values
 * (required fields, amounts, dates) and its page (every placeholder known,
 * every character drawable, every text fitting).  Each problem goes to d
 * with the list's file, the record's line and column.  Returns the number
 * of problems (0: it prints), -1 when row is out of range or on no memory
 * (with a diag).  Thread-safe on a shared engine and data. */
long vc_record_check(const vc_engine_t *e, const vc_data_t *data, long row,
                     vc_diag_t *d);

/* Renders one record's page as a one-page PDF in memory: the same page,
 * drawn the same way, as the record's page in a job's PDF (the kiosk's
 * preview and print path).  On success *pdf (malloc'd, the caller frees
 * it) and *len are set and VC_OK returned; otherwise *pdf is NULL, *len 0,
 * and the status of the first problem is returned with every problem in d
 * (a record with a problem is never drawn).  Never exits, never leaks;
 * thread-safe on a shared engine and data. */
vc_status_t vc_record_render(const vc_engine_t *e, const vc_data_t *data, long row,
                             unsigned char **pdf, size_t *len, vc_diag_t *d);

/* ---- choosing records ------------------------------------------------ */

/* Finds records by what a person types at a kiosk, best first, into
 * rows[0..max): an exact match of the key column (ma_sv, or ma_hs, the
 * student ID; case does not matter: a barcode scanner's input), then
 * names matched as --match matches them (accents and capitals optional,
 * every word typed matches a word of the name, in order; the last word may
 * be a prefix), those matching whole words and more of the name first,
 * then in class-list order.  Text shorter than 2 letters (after trimming)
 * finds nothing.  Returns the number of rows stored (<= max), -1 on bad
 * arguments or no memory (with a diag).  Thread-safe on a shared data. */
long vc_data_search(const vc_data_t *data, const char *text, long max, long *rows,
                    vc_diag_t *d);
/* Prepares data for many searches (a kiosk's keystrokes on a list of tens
 * of thousands): every name folded and placed in class-list order once, so
 * that each vc_data_search only compares.  Finds the same records in the
 * same order.  Not while other threads use the data.  false with a diag on
 * no memory (searches then work as before). */
bool vc_data_search_prepare(vc_data_t *data, vc_diag_t *d);

/* The tone order for sorting names. */
typedef enum {
  VC_TONES_VIETLEX = 0, /* ngang, huyền, hỏi, ngã, sắc, nặng (CLDR vi) */
  VC_TONES_SAC_FIRST    /* ngang, sắc, huyền, hỏi, ngã, nặng */
} vc_tone_order_t;

/* Progress of a job: done of total records. */
typedef void (*vc_progress_fn)(void *ud, long done, long total);

/* A whole job over files.  Zero it, then fill what is wanted. */
typedef struct vc_job {
  const char *template_path;
  const char *data_path;     /* NULL for proof without data */
  const char *fonts_dir;     /* bundled fonts, NULL = none */
  const char *out;           /* output PDF (or volume base name); "-" stdout */
  const char *split_dir;     /* one PDF per record into this directory */
  const char *name_pattern;  /* file names for split: "{ma_sv}-{ho_ten}" */
  bool ascii_names;          /* strip diacritics from split names */
  bool overwrite;            /* split: replace existing files */
  vc_read_opts_t read;       /* encoding, sheet, where the table is */
  /* Choosing and ordering records, in this order: */
  const char *rows;          /* "3,7-9" (1 = first record), NULL = all */
  const char **where;        /* "column=value" conditions, ANDed */
  int nwhere;
  const char *match;         /* find people by (part of) their name */
  bool all_matches;          /* match may select several records */
  const char *sort;          /* "ten" (class-list name order), "ten-dem-ho" or columns, comma-separated */
  vc_tone_order_t tones;
  const char *key;           /* column that must be unique; NULL = ma_sv if present */
  long volume_pages;         /* 0 = one file */
  const char *layout_tsv;    /* write the layout dump here (tests) */
  const char *images_dir;    /* per-record images may also come from here */
  vc_progress_fn progress;
  void *progress_ud;
  /* Set (non-zero) from anywhere, a signal handler included, to stop the
   * job: it ends with VC_E_CANCELLED and writes nothing.  NULL: never. */
  volatile sig_atomic_t *cancel;
  /* The issuance ledger (docs/ledger.md): used when ledger is set or the
   * template declares `serial:`; render then gives each record its
   * document and serial ({serial} on the page), recorded. */
  const char *ledger;        /* SQLite file or PostgreSQL URI / libpq string;
                              * NULL = vc_ledger_default_path() */
  const char *operator_name; /* events' operator; NULL = the login name */
  bool new_issue;            /* new documents, new serials (needs reason) */
  const char *reason;        /* why: a new issue, a reprint */
  bool keep_docs;            /* render: the documents issued into res->docs */
  /* Label sheets (issue 13): for a template with a sheet: section only. */
  struct {
    int start;               /* the first label used on the first sheet, 1-based
                              * (a partly used sheet); 0 = 1 */
    int copies;              /* labels per record; 0 = 1 */
    const char *copies_from; /* or: the column holding each record's count */
    bool down;               /* fill the sheet column by column (default: row by row) */
    bool outlines;           /* draw every label's edge (a test on plain paper) */
  } labels;
  /* A printer's calibration (vc_calibration_load's name or path) applied to
   * every page drawn; NULL: none. */
  const char *calibration;
} vc_job_t;

/* Chooses records of a loaded list by a job's rows, where, match (with
 * all_matches false, several matches are an error), sort, tones and key
 * (repeated keys are errors).  Stores a new array of record numbers in
 * *rows (caller frees; NULL when none) and its length in *n.  Returns
 * VC_OK or the status of the first problem (in d). */
vc_status_t vc_data_choose(const vc_data_t *data, const vc_job_t *job, long **rows,
                           long *n, vc_diag_t *d);

/* ---- jobs ------------------------------------------------------------ */

/* What a job did, for a summary. */
typedef struct vc_job_result {
  long records;   /* records selected */
  long pages;     /* pages written */
  long files;     /* files written */
  long matched;   /* records match found */
  long stale;     /* temporary files of killed runs removed */
  vc_read_info_t read; /* what reading the list found (render, check, proof) */
  /* render, for a print job's name and paper (issue 10): the template's
   * title and page size (PDF points), and the class (column lop) every
   * chosen record shares ("" when they differ or the list has none). */
  char title[256];
  char common_class[128];
  double page_w_pt, page_h_pt;
  /* render with job->keep_docs and a ledger: each chosen record's document
   * id in the ledger, in page order (`records` of them), to record the
   * print jobs (vc_print_record_*); NULL otherwise.  Caller frees (free). */
  long long *docs;
  /* render: the template's QR codes are signed with the published DEMO key
   * (vc_engine_demo_signed) */
  bool demo_signed;
} vc_job_result_t;

/* Each returns VC_OK or the status of the first problem; all problems are
 * in d; res may be NULL.  On any problem, or when cancelled, nothing is
 * written: every file of a run (one PDF, its volumes, the split files, the
 * layout dump) appears whole at the end, together, or not at all.
 * render: job->out "-" writes the PDF to standard output (after checking
 * every record first).  check: reads and lays out every chosen record,
 * writes nothing.  proof: the template over a millimetre grid with every
 * box outlined, filled with the sample (or the first chosen record). */
vc_status_t vc_job_render(const vc_job_t *job, vc_diag_t *d, vc_job_result_t *res);
vc_status_t vc_job_check(const vc_job_t *job, vc_diag_t *d, vc_job_result_t *res);
vc_status_t vc_job_proof(const vc_job_t *job, vc_diag_t *d, vc_job_result_t *res);
/* The name of volume k (from 1) of nvol that render writes for job->out
 * with volume_pages: "out.pdf" -> "out-001.pdf" (4 or 5 digits from 1,000 or
 * 10,000 volumes).  A new string (free), NULL on no memory. */
char *vc_job_volume_name(const char *out, long k, long nvol);
/* The records as vncert reads them, as CSV (UTF-8 NFC, RFC 4180) on out: a
 * first column "line", then the file's columns.  No template needed.  What
 * reading found goes to *info. */
vc_status_t vc_job_data(const vc_job_t *job, FILE *out, vc_diag_t *d,
                        vc_read_info_t *info, vc_job_result_t *res);

/* ---- the issuance ledger (docs/ledger.md) ---------------------------- */

/* The template's serial pattern (`serial:`), or NULL; owned by e. */
const char *vc_engine_serial_pattern(const vc_engine_t *e);
/* Where a ledger is kept when none is named: $XDG_DATA_HOME (else
 * ~/.local/share)/vncert/so-cap-phat-YYYY-YYYY.sqlite, the school year of
 * `now` (Unix seconds; a new one from 1 August).  Returns a new string
 * (caller frees), NULL when neither variable is set or on no memory. */
char *vc_ledger_default_path(long long now);

/* Which document to print again (one of key, serial, or job->match). */
typedef struct vc_reprint {
  const char *key;    /* the record's key value (the --key column's) */
  const char *serial; /* the document's serial */
  bool force;         /* the data or template changed: print the new ones */
} vc_reprint_t;

/* Prints one issued document again to job->out: same serial, the
 * template's {reprint_mark} "Bản in lại lần N", recorded with job->reason
 * once the file is written.  When the record's values or the template
 * changed since it was issued, refuses (VC_E_INPUT) with a diag per field
 * changed ("field: old → new"), unless rp->force.  res as render's. */
vc_status_t vc_job_reprint(const vc_job_t *job, const vc_reprint_t *rp, vc_diag_t *d,
                           vc_job_result_t *res);

/* What `vncert log` lists (all NULL: every event). */
typedef struct vc_log_opts {
  const char *key, *match, *serial, *template_path, *kind;
  const char *from, *to; /* days YYYY-MM-DD, both included */
  bool csv;              /* CSV with a UTF-8 BOM (Excel), else a table */
  bool totals;           /* so_tien per template and day instead of events */
  bool unprinted;        /* the issued documents no completed print job holds
                          * (of template_path when given), with their last
                          * print job, instead of events */
} vc_log_opts_t;
/* Writes the events (or totals) of the ledger job->ledger to out.  Opens it
 * read-only; the number of rows in *rows. */
vc_status_t vc_job_log(const vc_job_t *job, const vc_log_opts_t *lo, FILE *out,
                       long *rows, vc_diag_t *d);
/* `ledger export FILE` / `ledger import FILE`: the whole ledger job->ledger
 * as CSV (docs/ledger.md), or a new empty ledger filled from one. */
vc_status_t vc_job_ledger_export(const vc_job_t *job, const char *file, vc_diag_t *d);
vc_status_t vc_job_ledger_import(const vc_job_t *job, const char *file, vc_diag_t *d);

/* `vncert print --pending`: the issued documents of job->ledger that no
 * completed print job holds, of job->template_path (NULL: of the one
 * template they share; several are a usage error), written to out as CSV
 * made of the values the ledger stored, the key column (job->key, else
 * ma_sv) first: render it with that template and the ledger to draw the
 * same documents, serials included.  The template's real path in tpath
 * (tlen bytes), the documents in *count (0: none waits).  A template whose
 * content changed since a document was issued is refused (VC_E_INPUT, the
 * document named), as a reprint is.  Documents whose last job CUPS still
 * holds (not ended: it may yet print) are left out, counted in *queued,
 * with a warning naming the job to cancel first. */
vc_status_t vc_job_unprinted_csv(const vc_job_t *job, FILE *out, char *tpath, size_t tlen,
                                 long *count, long *queued, vc_diag_t *d);

/* Makes a string safe as a file name on every file system (no '/', '\\',
 * control or invisible characters, nothing Windows refuses, at most 200
 * bytes); diacritics stripped when ascii.  Returns a new string (caller
 * frees), "_" for an empty result; NULL on no memory. */
char *vc_filename_safe(const char *name, bool ascii);

/* ---- what the vncert command needs besides ---------------------------- */

/* Variants for amounts in words (bit flags); 0 = the usual words. */
enum {
  VC_WORDS_NGAN = 1, /* "ngàn" instead of "nghìn" */
  VC_WORDS_LE = 2,   /* "lẻ" instead of "linh" */
  VC_WORDS_TI = 4,   /* "tỉ" instead of "tỷ" */
  VC_WORDS_BON = 8   /* "bốn" instead of "tư" after mươi */
};

/* Parses an amount as clerks type it: "5000000", "5.000.000", "5,000,000",
 * "5.000.000 đ", "5.000.000 VNĐ", "5.000.000 ₫" (NFC, trimmed).  On failure
 * writes a short reason into why and returns false.  Thread-safe. */
bool vc_money_parse(const char *s, uint64_t *out, char *why, size_t whylen);
/* Amount in words, lower case, NFC: 5000000 -> "năm triệu", 0 -> "không".
 * Writes into out; false if it does not fit.  Thread-safe. */
bool vc_money_words(uint64_t v, unsigned flags, char *out, size_t outlen);
/* The receipt form: "Năm triệu đồng chẵn" (" chẵn" for a non-zero whole
 * multiple of 1000), no final period. */
bool vc_money_words_dong(uint64_t v, unsigned flags, char *out, size_t outlen);

/* A font file that can draw Vietnamese. */
typedef struct vc_font_info {
  char *family, *style, *path;
  bool bundled;     /* from the bundled directory */
  bool embeddable;  /* TrueType: false for CFF-flavoured OpenType (and
                     * Type 1 or bitmap fonts) */
} vc_font_info_t;
/* Every installed or bundled (fonts_dir, may be NULL) font covering
 * Vietnamese, one entry per file, sorted by family then style.  Stores a
 * new array in *list (NULL when empty; free with vc_font_info_free) and its
 * length in *n.  false + diag when fonts cannot be listed. */
bool vc_fonts_list_vi(const char *fonts_dir, vc_font_info_t **list, size_t *n,
                      vc_diag_t *d);
void vc_font_info_free(vc_font_info_t *v, size_t n);

/* Text from the data made safe for a terminal, as messages are: control
 * characters (but line breaks and tabs with keep_breaks), DEL, C1 controls
 * and invisible format characters written \u{1B}, bytes that are not
 * UTF-8 \x{FF}.  Returns a new string (caller frees), NULL on no memory. */
char *vc_text_escape(const char *s, size_t n, bool keep_breaks);

/* ---- label sheets (issue 13, templates/README.md) ---------------------- */

/* A label product (gLabels' template XML: Debian's glabels-data, vncert's
 * presets templates/sheets/, the user's ~/.config/vncert/sheets/). */
typedef struct vc_sheet_info {
  char brand[64], part[64], description[200], source[256];
  double paper_w_mm, paper_h_mm, label_w_mm, label_h_mm;
  int per_sheet;       /* labels on one sheet */
  int columns, rows;   /* of its first grid */
  const char *shape;   /* "rectangle", "round", "ellipse" */
} vc_sheet_info_t;
/* The products whose brand, part or description hold every word of text
 * (accents and case ignored; NULL or "": all), from the default places
 * and the files or folders of extra (nextra of them), sorted by brand then
 * part.  A new array in *list (free), its length in *n.  false + diag when
 * a file of extra cannot be read, or on no memory. */
bool vc_sheets_search(const char *text, const char *const *extra, size_t nextra,
                      vc_sheet_info_t **list, size_t *n, vc_diag_t *d);
/* Where vncert's own files are (the presets: DIR/templates/sheets) when
 * not installed: the command sets it from where it runs; VNCERT_DATADIR
 * wins.  Not copied: dir must stay. */
void vc_sheets_set_data_dir(const char *dir);

/* ---- printer calibration (issue 13, point 2) ---------------------------- */

/* How far one printer is off: what it prints at (x, y) mm from the paper's
 * top-left corner lands at (offset_x + scale_x * x, offset_y + scale_y * y)
 * once corrected, i.e. the correction applied to every page.  Offsets in mm
 * (+: right, down), -20 to 20; scales 0.9 to 1.1. */
typedef struct vc_calibration {
  double offset_x, offset_y, scale_x, scale_y;
} vc_calibration_t;
/* The profile file of a name (letters, digits, '.', '_', '-': a CUPS queue's
 * name): ~/.config/vncert/calibration/NAME.yaml ($XDG_CONFIG_HOME); a name
 * holding '/' is a file's path itself.  A new string (free), NULL when the
 * name is not one or no home is known. */
char *vc_calibration_path(const char *name);
/* Reads a profile (a YAML file the user may edit: offset_x, offset_y,
 * scale_x, scale_y; missing ones are 0 or 1).  false + diag (file:line:col)
 * when it cannot be read or a value is out of range. */
bool vc_calibration_load(const char *name, vc_calibration_t *c, vc_diag_t *d);
/* Writes a profile (made with its folder when missing, replaced whole).
 * false + diag. */
bool vc_calibration_save(const char *name, const vc_calibration_t *c, vc_diag_t *d);
/* The calibration page (A4 portrait): rulers along the edges and crosshairs
 * at known places, with how to measure them, into out.  fonts_dir: the
 * bundled fonts (may be NULL).  VC_OK or the status of the problem (in d). */
vc_status_t vc_calibration_page(const char *out, const char *fonts_dir, vc_diag_t *d);
/* The profile from what was measured on the printed page (mm from the
 * paper's left edge to A and B, from its top edge to A and C: m = {AX, AY,
 * BX, CY}).  false when the numbers cannot be (A and B, or A and C, too
 * close or swapped). */
bool vc_calibration_from_measured(const double m[4], vc_calibration_t *c);

/* ---- printing through CUPS (issue 10) --------------------------------- */

/* Sending PDFs to a CUPS queue through libcups and following each job to
 * its end.  A document counts as printed only when CUPS says its job
 * completed: every other end (cancelled, aborted, held, printer stopped,
 * pending past a timeout, server gone, stopped following) is an error in
 * the vc_diag_t naming the queue, the state and CUPS's reasons.  A
 * vc_print_t is one connection to one server, used from one thread at a
 * time (libcups keeps its last error per thread).  docs/printing.md. */

typedef struct vc_print vc_print_t;
typedef struct vc_print_queues vc_print_queues_t;
typedef struct vc_print_caps vc_print_caps_t;

/* A queue's state, as IPP's printer-state. */
typedef enum vc_printer_state {
  VC_PRINTER_UNKNOWN = 0,
  VC_PRINTER_IDLE = 3,
  VC_PRINTER_PROCESSING = 4,
  VC_PRINTER_STOPPED = 5
} vc_printer_state_t;

/* How following a job ended (or where it is when not followed). */
typedef enum vc_print_outcome {
  VC_PRINT_ACCEPTED = 0,  /* sent and accepted, not followed (no_wait) */
  VC_PRINT_COMPLETED,     /* CUPS says the job completed: the one success */
  VC_PRINT_CANCELLED,     /* cancelled (by a user, an administrator, CUPS) */
  VC_PRINT_ABORTED,       /* aborted by CUPS (a filter or the device failed) */
  VC_PRINT_HELD,          /* held: waits for someone to release it */
  VC_PRINT_PRINTER_STOPPED, /* the printer (or the job) stopped, job unfinished */
  VC_PRINT_TIMEOUT,       /* still pending after the pending timeout */
  VC_PRINT_SERVER_GONE,   /* the CUPS server stopped answering */
  VC_PRINT_LEFT,          /* following stopped by the caller; job left in CUPS */
  VC_PRINT_NOT_SENT,      /* never sent (a fault before CUPS accepted it) */
  VC_PRINT_UNKNOWN        /* CUPS no longer knows the job (history cleared): whether
                           * it printed cannot be told, so it is not counted */
} vc_print_outcome_t;

/* A word for an outcome ("completed", "printer-stopped"...), for logs and
 * ledgers; static. */
const char *vc_print_outcome_name(vc_print_outcome_t o);
/* "idle", "processing", "stopped", "unknown"; static.  The English word:
 * what is shown to a person goes through the catalogue (po/vi.po holds
 * each). */
const char *vc_printer_state_name(vc_printer_state_t s);
/* CUPS's reasons (printer-state-reasons or job-state-reasons keywords,
 * ", "-joined as vc_print_queue_reasons gives them) as a person reads them,
 * in the user's language (into buf, n bytes; returns buf): each keyword IPP
 * and CUPS define described (in English the keyword itself:
 * "media-empty-warning"; in Vietnamese "hết giấy (cảnh báo)"), its
 * -report/-warning/-error said apart; any other keyword (a vendor's) as it
 * is; "none" left out: "" when there is nothing to say. */
char *vc_print_reasons_text(const char *reasons, char *buf, size_t n);

/* ---- The connection ---------------------------------------------------- */

/* Connects to a CUPS server: "host", "host:port" or a local socket path;
 * NULL = the usual one (CUPS_SERVER, client.conf, the local scheduler).
 * Caller owns the result (vc_print_close).  NULL when the server cannot be
 * reached (VC_E_IO: "is CUPS running?") or on no memory. */
vc_print_t *vc_print_open(const char *server, vc_diag_t *d);
void vc_print_close(vc_print_t *p);
/* The server as "host:port" (or the socket path); owned by p. */
const char *vc_print_server(const vc_print_t *p);

/* ---- Queues ------------------------------------------------------------ */

/* Every queue of the server with its state, in name order.  Caller owns the
 * result (vc_print_queues_free); NULL with a diagnostic when the server
 * fails.  A server without queues gives an empty list. */
vc_print_queues_t *vc_print_queues_list(vc_print_t *p, vc_diag_t *d);
void vc_print_queues_free(vc_print_queues_t *q);
size_t vc_print_queues_count(const vc_print_queues_t *q);
/* Index of a queue by name, or -1.  Names compare without case (as CUPS). */
long vc_print_queues_find(const vc_print_queues_t *q, const char *name);
/* The strings belong to the list; "" when CUPS gave none. */
const char *vc_print_queue_name(const vc_print_queues_t *q, size_t i);
const char *vc_print_queue_info(const vc_print_queues_t *q, size_t i);
const char *vc_print_queue_location(const vc_print_queues_t *q, size_t i);
vc_printer_state_t vc_print_queue_state(const vc_print_queues_t *q, size_t i);
/* printer-state-reasons joined with ", " ("none" when all is well). */
const char *vc_print_queue_reasons(const vc_print_queues_t *q, size_t i);
/* printer-state-message: the printer's or the administrator's own words. */
const char *vc_print_queue_message(const vc_print_queues_t *q, size_t i);
bool vc_print_queue_accepting(const vc_print_queues_t *q, size_t i);
bool vc_print_queue_is_default(const vc_print_queues_t *q, size_t i);

/* One line about queue i for `vncert printers` (into buf, n bytes; returns
 * buf): "NAME (default): idle, accepting jobs; INFO, LOCATION" then, when
 * not all is well, "; reasons: R" (vc_print_reasons_text) and the printer's
 * message in double quotes ("; \"Paper jam\""). */
char *vc_print_queue_line(const vc_print_queues_t *q, size_t i, char *buf, size_t n);

/* ---- What a printer supports -------------------------------------------- */

/* Job options; zero / NULL fields leave the printer's default. */
typedef struct vc_print_opts {
  int copies;              /* 0 = default (1) */
  const char *media;       /* "A4", "a5", "Letter" or a PWG name "iso_a4_210x297mm" */
  const char *orientation; /* "portrait", "landscape", "reverse-landscape", "reverse-portrait" */
  const char *sides;       /* "one-sided", "two-sided-long-edge", "two-sided-short-edge" */
} vc_print_opts_t;

/* What the queue supports, asked from the printer (its IPP attributes).
 * Caller owns the result (vc_print_caps_free); NULL with a diagnostic for a
 * missing queue or a server fault. */
vc_print_caps_t *vc_print_caps_get(vc_print_t *p, const char *queue, vc_diag_t *d);
void vc_print_caps_free(vc_print_caps_t *c);
/* Highest number of copies (1 when the printer does not say). */
int vc_print_caps_copies_max(const vc_print_caps_t *c);
/* Supported values (PWG media names, orientation and sides keywords), and
 * the printer's defaults ("" when none); strings belong to c. */
size_t vc_print_caps_media_count(const vc_print_caps_t *c);
const char *vc_print_caps_media(const vc_print_caps_t *c, size_t i);
const char *vc_print_caps_media_default(const vc_print_caps_t *c);
size_t vc_print_caps_orientation_count(const vc_print_caps_t *c);
const char *vc_print_caps_orientation(const vc_print_caps_t *c, size_t i);
size_t vc_print_caps_sides_count(const vc_print_caps_t *c);
const char *vc_print_caps_sides(const vc_print_caps_t *c, size_t i);
const char *vc_print_caps_sides_default(const vc_print_caps_t *c);

/* Checks options against what the queue supports: VC_OK, or VC_E_USAGE with
 * one diagnostic per refused option naming what the printer supports
 * ("printer 'X' has no paper size 'B0'; it supports: 'A4'
 * (iso_a4_210x297mm), ...": each value in quotes, a value to type back). */
vc_status_t vc_print_opts_check(const vc_print_caps_t *c, const vc_print_opts_t *o,
                                vc_diag_t *d);

/* ---- Jobs -------------------------------------------------------------- */

/* A job's progress, given to the callback when its state or page count
 * changes.  Strings are valid during the call only. */
typedef struct vc_print_progress {
  int job_id;
  const char *queue;
  const char *state;          /* job-state: "pending", "processing", ... */
  const char *job_reasons;    /* job-state-reasons, ", "-joined */
  long pages;                 /* pages printed as the printer reports; -1 unknown */
  vc_printer_state_t printer; /* the queue's state */
  const char *printer_reasons;/* printer-state-reasons ("media-empty-error"...) */
  const char *printer_message;/* printer-state-message */
} vc_print_progress_t;

/* One line for a progress report (into buf, n bytes; returns buf):
 * "job 12 on 'X': processing, 3 pages printed; printer: media-empty-error:
 * \"Paper out\""; the printer part only when it has reasons (described:
 * vc_print_reasons_text) or a message (in double quotes: its own words). */
char *vc_print_progress_line(const vc_print_progress_t *pr, char *buf, size_t n);

/* Return non-zero to stop following (outcome VC_PRINT_LEFT). */
typedef int (*vc_print_progress_fn)(const vc_print_progress_t *pr, void *ud);

/* How to follow a job; NULL where one is asked for means "do not follow"
 * (no_wait: return once CUPS accepted the job). */
typedef struct vc_print_follow {
  int poll_ms;            /* between two looks at the job; 0 = 500 */
  int pending_timeout_ms; /* give up when the job has not started after this; 0 = never */
  int server_grace_ms;    /* how long a server that stopped answering is retried; 0 = 5000 */
  vc_print_progress_fn progress; /* may be NULL */
  void *progress_ud;
  /* Set (non-zero) from anywhere, a signal handler included, to stop
   * following (VC_PRINT_LEFT, VC_E_CANCELLED): the job stays in CUPS. */
  volatile sig_atomic_t *cancel;
} vc_print_follow_t;

/* What happened to one job. */
typedef struct vc_print_result {
  int job_id;                 /* 0 when never accepted */
  vc_print_outcome_t outcome;
  long pages;                 /* pages the printer reported printed; -1 unknown */
} vc_print_result_t;

/* Sends a PDF (a file, or len bytes in memory) to the queue as one job named
 * title (UTF-8, cut to 255 bytes between characters), with options checked
 * against the printer first (o may be NULL).  A missing, stopped or
 * rejecting queue is refused before anything is sent.  res->job_id is the
 * CUPS job id once accepted (outcome VC_PRINT_ACCEPTED).  VC_OK, or the
 * fault's status with a message (the job is cancelled if CUPS had created
 * it but did not get the whole document). */
vc_status_t vc_print_submit_file(vc_print_t *p, const char *queue, const char *path,
                                 const char *title, const vc_print_opts_t *o,
                                 vc_print_result_t *res, vc_diag_t *d);
vc_status_t vc_print_submit_mem(vc_print_t *p, const char *queue, const void *pdf,
                                size_t len, const char *title, const vc_print_opts_t *o,
                                vc_print_result_t *res, vc_diag_t *d);

/* Follows job res->job_id of queue to its end (f says how), calling the
 * progress callback on each change; sets res->outcome and res->pages.
 * VC_OK only for VC_PRINT_COMPLETED; VC_E_CANCELLED when the caller stopped
 * following; VC_E_IO with a message for every other end. */
vc_status_t vc_print_follow(vc_print_t *p, const char *queue, const vc_print_follow_t *f,
                            vc_print_result_t *res, vc_diag_t *d);

/* Cancels a job (the CLI's "cancel the job" after Ctrl-C). */
vc_status_t vc_print_cancel(vc_print_t *p, const char *queue, int job_id, vc_diag_t *d);

/* What a CLI calls: sends the file and, unless f is NULL (no_wait),
 * follows it.  Same statuses as vc_print_submit_file + vc_print_follow. */
vc_status_t vc_print_file(vc_print_t *p, const char *queue, const char *path,
                          const char *title, const vc_print_opts_t *o,
                          const vc_print_follow_t *f, vc_print_result_t *res,
                          vc_diag_t *d);

/* Told of each job i of a run: once CUPS accepted it (res->outcome
 * VC_PRINT_ACCEPTED, res->job_id set) and, when followed, once it ended.
 * A status other than VC_OK stops the run; refusing an accepted job
 * cancels it (the caller could not account for it: a ledger that cannot
 * record it). */
typedef vc_status_t (*vc_print_job_fn)(size_t i, const vc_print_result_t *res, void *ud,
                                       vc_diag_t *d);

/* A run of volumes (files of at most vc_print_plan's pages each) as n jobs,
 * in order, named "title (i/n)" (n > 1): each is followed to its end before
 * the next is sent; the first that does not complete stops the run (the
 * later ones are VC_PRINT_NOT_SENT).  With f NULL each is only sent, in
 * order.  hook (may be NULL) is told of each job.  res has n entries
 * (caller's).  VC_OK when every volume completed (or was accepted, f NULL). */
vc_status_t vc_print_volumes(vc_print_t *p, const char *queue, const char *const *paths,
                             size_t n, const char *title, const vc_print_opts_t *o,
                             const vc_print_follow_t *f, vc_print_job_fn hook, void *ud,
                             vc_print_result_t *res, vc_diag_t *d);

/* Where job job_id of queue stands now, asked once (a job sent earlier,
 * --no-wait): VC_PRINT_COMPLETED, _CANCELLED, _ABORTED, _HELD,
 * _PRINTER_STOPPED, VC_PRINT_ACCEPTED while pending or processing,
 * VC_PRINT_UNKNOWN when CUPS no longer knows it, VC_PRINT_NOT_SENT when
 * the job of that id is on another queue (another server's job: nothing
 * can be told here).  VC_E_IO (said) when the server fails. */
vc_status_t vc_print_job_state(vc_print_t *p, const char *queue, int job_id,
                               vc_print_outcome_t *o, vc_diag_t *d);

/* The same, with the queue's state too (a job waiting on a stopped
 * printer is VC_PRINT_PRINTER_STOPPED), and a line for staff into line
 * (n bytes; may be NULL) as vc_print_progress_line writes it, the job's
 * reasons after its state: "job 12 on 'X': processing (job-printing);
 * printer: media-empty-error (Paper out)". */
vc_status_t vc_print_job_look(vc_print_t *p, const char *queue, int job_id,
                              vc_print_outcome_t *o, char *line, size_t n, vc_diag_t *d);

/* Refuses a missing, stopped or rejecting queue (VC_E_IO with CUPS's
 * reasons and what to do), as vc_print_submit_* does before sending: for a
 * caller with something to record before sending (the desk's ledger). */
vc_status_t vc_print_queue_check(vc_print_t *p, const char *queue, vc_diag_t *d);

/* The most pages one job holds: CUPS's pdftopdf breaks on very large jobs,
 * so a longer run goes as several jobs (vc_print_volumes). */
#define VC_PRINT_MAX_PAGES 5000

/* How a run of `pages` pages goes as jobs of at most `per` pages (per <= 0:
 * VC_PRINT_MAX_PAGES): returns the number of jobs, and with first / count
 * (may be NULL) job i's first page (from 0) and its page count (0 for an i
 * out of range).  5,001 pages: 2 jobs, of 5,000 and 1. */
long vc_print_plan(long pages, long per, long i, long *first, long *count);

/* The pages of a PDF file (libqpdf), for a file too long for one job; -1
 * with VC_E_INPUT naming it when it cannot be read as a PDF. */
long vc_print_pdf_pages(const char *path, vc_diag_t *d);
/* Writes pages [first, first + count) (from 0) of the PDF at path as a new
 * PDF at out, with what they use; VC_E_IO naming them on a failure. */
vc_status_t vc_print_pdf_extract(const char *path, long first, long count, const char *out,
                                 vc_diag_t *d);

/* The PWG media name ("iso_a4_210x297mm") of a page size in PDF points, in
 * either orientation, written into buf (n bytes); NULL when no standard
 * size is within 1 mm (then pass none, or ask the user).  For a template's
 * paper (vc_engine_page_w_pt/h_pt) so that CUPS does not fit the pages
 * onto the printer's default paper. */
const char *vc_print_media_for(double w_pt, double h_pt, char *buf, size_t n);

/* ---- print jobs in the ledger (issue 10, point 3; docs/printing.md) ----
 * A document counts as printed only when the CUPS job that held it
 * completed.  Each job's documents are recorded "pending" as CUPS takes
 * the job, then given its end: completed, cancelled, aborted, held,
 * stopped, timed-out or unknown (CUPS forgot it); "pending" stays while
 * nobody followed it (--no-wait, Ctrl-C, a server gone), for a later
 * vc_print_record_refresh to ask CUPS. */
typedef struct vc_print_record vc_print_record_t;
/* Opens job->ledger (or the default one, as render) to record prints.
 * NULL after a diag; caller closes. */
vc_print_record_t *vc_print_record_open(const vc_job_t *job, vc_diag_t *d);
void vc_print_record_close(vc_print_record_t *r);
/* CUPS job job_id on queue holds the n documents docs (vc_job_result_t.docs):
 * their print events, "pending", in one transaction. */
vc_status_t vc_print_record_sent(vc_print_record_t *r, const long long *docs, size_t n,
                                 const char *queue, int job_id, vc_diag_t *d);
/* The job's end (outcome) for its events still open; VC_PRINT_ACCEPTED,
 * _LEFT and _SERVER_GONE leave them pending (the job may still print). */
vc_status_t vc_print_record_end(vc_print_record_t *r, const char *queue, int job_id,
                                vc_print_outcome_t o, vc_diag_t *d);
/* The ledger's word for an outcome ("completed", "timed-out"...; NULL for
 * those that leave a job pending); static. */
const char *vc_print_record_state(vc_print_outcome_t o);
/* Asks the CUPS server (as vc_print_open's; connected only when there is
 * one) about every job this host sent that the ledger holds as not ended
 * (pending, held, stopped, timed-out) and records the ends it learns; the
 * events changed in *changed (may be NULL).  Why this host's only: with a
 * shared ledger, each station's jobs are on its own CUPS, whose job ids
 * another's repeats.  A server that does not answer is a fault (said);
 * jobs CUPS no longer knows become "unknown". */
vc_status_t vc_print_record_refresh(vc_print_record_t *r, const char *server, long *changed,
                                    vc_diag_t *d);

/* ---- a print desk: one person at a time (the kiosk, issue 12) ---------
 * What a ceremony-day kiosk (or any front end serving people one at a time)
 * needs over one template, one list, one ledger and one CUPS queue: find a
 * person, show the page that will print, print it, follow the job, reprint
 * with a reason, reload a corrected list.  The ledger is the state: a desk
 * opened again (after a crash) knows every document, print and reprint.
 *
 * Records are named by their key value (the --key column, ma_sv by
 * default): it is stable across reloads.  Front ends must not show it.
 *
 * Threads: every function may be called from several threads at once on
 * one desk (a web server's); the ledger and CUPS connection are used under
 * the desk's lock, searching and drawing are not.  A reload swaps the list
 * while calls in flight finish on the old one. */
typedef struct vc_desk vc_desk_t;

typedef struct vc_desk_opts {
  const char *template_path;
  const char *data_path;
  const char *fonts_dir;      /* bundled fonts, NULL = none */
  vc_read_opts_t read;        /* encoding, sheet, where the table is */
  const char *images_dir;     /* per-record images may also come from here */
  const char *ledger;         /* NULL = vc_ledger_default_path() */
  const char *key;            /* the unique column; NULL = ma_sv */
  const char *queue;          /* the CUPS queue (needed; may be missing now) */
  const char *cups_server;    /* NULL = the usual one (vc_print_open) */
  const char *operator_name;  /* the ledger events' operator; NULL = "kiosk" */
} vc_desk_opts_t;

/* Opens the template, the list (whose key column must be there and unique)
 * and the ledger (created when missing), and asks CUPS about this host's
 * jobs the ledger holds as not ended.  A missing or stopped printer is not
 * a failure (vc_desk_printer says it).  NULL with diags when the template,
 * the list or the ledger cannot be used; rows with problems leave the desk
 * usable (they cannot print; vc_desk_preview and vc_desk_print say why).
 * Caller owns it (vc_desk_free). */
vc_desk_t *vc_desk_open(const vc_desk_opts_t *o, vc_diag_t *d);
/* Frees the desk; calls in flight must have returned.  Safe with NULL. */
void vc_desk_free(vc_desk_t *k);

/* Reads the list again (a corrected file).  On any problem that stops the
 * list from being used (unreadable, a missing or repeated key, fewer than
 * one record) the old list stays and the problems are in d; row problems
 * are warnings as at open.  The records in *count (may be NULL). */
vc_status_t vc_desk_reload(vc_desk_t *k, long *count, vc_diag_t *d);
/* Records in the current list. */
long vc_desk_count(vc_desk_t *k);
/* The template's title (owned by k), and whether its QR codes are signed
 * with the public DEMO key (vc_engine_demo_signed). */
const char *vc_desk_title(const vc_desk_t *k);
bool vc_desk_demo_signed(const vc_desk_t *k);

/* One search result: what a kiosk may show (name and class), and the key
 * to name the record with later (not to be shown). */
typedef struct vc_desk_hit {
  char key[128];
  char name[256];
  char class_name[128];
} vc_desk_hit_t;

/* vc_data_search on the current list: at most max hits into hits, best
 * first.  Returns their number (0 for text under 2 letters), -1 on bad
 * arguments or no memory (said). */
long vc_desk_search(vc_desk_t *k, const char *text, vc_desk_hit_t *hits, long max,
                    vc_diag_t *d);

/* Where a record's document stands, from the ledger. */
typedef enum vc_desk_state {
  VC_DESK_NEW = 0,   /* never printed: no completed job holds it, none in CUPS */
  VC_DESK_QUEUED,    /* a job holding it is in CUPS, not ended (pending,
                      * processing, held, printer stopped): printing it again
                      * now would print it twice */
  VC_DESK_PRINTED    /* a completed job printed it: another print is a reprint */
} vc_desk_state_t;

typedef struct vc_desk_doc {
  vc_desk_state_t state;
  char name[256], class_name[128];
  char serial[128];   /* "" before its first print issued it */
  long printed;       /* completed print jobs (first print and reprints) */
  long reprints;      /* reprint events */
  int job_id;         /* the last CUPS job holding it; 0 = none */
  vc_print_outcome_t job_outcome; /* that job's state as the ledger knows it */
} vc_desk_doc_t;

/* The record of key and its document.  VC_E_INPUT when no record has that
 * key (said, without echoing the key). */
vc_status_t vc_desk_doc(vc_desk_t *k, const char *key, vc_desk_doc_t *out, vc_diag_t *d);

/* The page that will print for key, as a PNG width_px wide (200 to 2400;
 * the height follows the page), drawn by poppler from the same PDF bytes a
 * print would send: the document's serial once issued (and, once printed,
 * the next reprint's mark: the next print is a reprint); before the first
 * print the serial is not yet given, and the template's sample serial
 * stands in its place (same layout).  *png (caller frees) and *len; a
 * record with a problem is not drawn (its problems in d). */
vc_status_t vc_desk_preview(vc_desk_t *k, const char *key, int width_px,
                            unsigned char **png, size_t *len, vc_diag_t *d);

/* Prints key's certificate on the desk's queue as one CUPS job.
 * reason NULL: a first print (also after a job that did not complete):
 * issues the document on its very first print (its serial, recorded),
 * refused with VC_E_INPUT when the state is VC_DESK_PRINTED (a reprint
 * needs a reason) or VC_DESK_QUEUED.  A document issued but never printed
 * whose values changed since (a corrected list) is issued anew with them
 * (a new serial; the old document "replaced", the reason recorded): the
 * old paper was never handed out.  reason given: a reprint of a printed
 * document, drawn with the template's reprint mark and recorded as a
 * reprint with the reason (refused when the state is not PRINTED, and,
 * naming each field, when the record's values changed since issue: staff
 * decide that with `vncert reprint --force`).
 * A missing, stopped or rejecting queue is refused before anything is
 * recorded (VC_E_IO, with CUPS's reason).  On VC_OK the job id is in
 * *job_id and the document's print event is recorded "pending"; it counts
 * as printed only once vc_desk_job says the job completed. */
vc_status_t vc_desk_print(vc_desk_t *k, const char *key, const char *reason,
                          int *job_id, vc_diag_t *d);

/* Asks CUPS once where job job_id (one of this desk's) stands: the outcome
 * in *o (VC_PRINT_ACCEPTED while pending or processing); once the job
 * ended its events are given their end in the ledger.  A one-line
 * progress or fault text for staff (CUPS's reasons) into why (n bytes; may
 * be NULL).  VC_E_IO when CUPS does not answer (said). */
vc_status_t vc_desk_job(vc_desk_t *k, int job_id, vc_print_outcome_t *o, char *why,
                        size_t n, vc_diag_t *d);

/* Sends again the documents of a job that ended without completing
 * (aborted, cancelled, stopped, timed out): a new job, recorded as a
 * first print (not a reprint).  A job still in CUPS's queue (held, on a
 * stopped printer, waiting) is cancelled first, so that it never prints
 * too (even when the new job is then refused: the queue still stopped).
 * Refused (VC_E_INPUT) for a job still printing or completed, not this
 * desk's, or whose document another job printed since (then a reprint
 * with a reason).  The new job id in *new_job_id. */
vc_status_t vc_desk_retry(vc_desk_t *k, int job_id, int *new_job_id, vc_diag_t *d);

/* The desk's printer as CUPS sees it now: state, reasons ("media-empty"
 * ...; "" when none), whether it accepts jobs.  VC_E_IO when the queue or
 * the server is missing (said: the reason to show staff). */
typedef struct vc_desk_printer {
  vc_printer_state_t state;
  bool accepting;
  bool ready;          /* idle or processing, accepting, no error reason */
  char reasons[256];
  char message[256];
} vc_desk_printer_t;
vc_status_t vc_desk_printer(vc_desk_t *k, vc_desk_printer_t *out, vc_diag_t *d);

/* Counts for staff: records of the list printed (a completed job holds
 * their document) and not yet. */
vc_status_t vc_desk_counts(vc_desk_t *k, long *printed, long *not_printed, vc_diag_t *d);

/* The last jobs this desk's ledger holds for its template, newest first. */
typedef struct vc_desk_job_info {
  int job_id;
  char queue[128];
  char name[256], class_name[128];
  char serial[128];
  bool reprint;
  vc_print_outcome_t outcome;
  char state[32];      /* the ledger's word: pending, completed, aborted... */
  long long at;        /* Unix seconds the job was sent */
} vc_desk_job_info_t;
/* At most max into jobs; returns how many, -1 on error (said). */
long vc_desk_jobs(vc_desk_t *k, vc_desk_job_info_t *jobs, long max, vc_diag_t *d);

/* The ledger's events of day (YYYY-MM-DD; NULL = today) as CSV with a
 * UTF-8 BOM (vncert log --csv) on out. */
vc_status_t vc_desk_log_csv(vc_desk_t *k, const char *day, FILE *out, vc_diag_t *d);

/* ---- verifiable certificates (issue 11, docs/verify.md) ----------------
 * A certificate's QR code carries its values signed with the school's
 * Ed25519 key; anyone with the public key checks them offline. */

#define VC_VERIFY_KEYID_LEN 9       /* 8 hex digits + NUL */
#define VC_VERIFY_FINGERPRINT_LEN 65 /* 64 hex digits + NUL */
#define VC_VERIFY_NAME_MAX 60        /* characters (code points, NFC) */
#define VC_VERIFY_AWARD_MAX 160
#define VC_VERIFY_SERIAL_MAX 127     /* bytes */
#define VC_VERIFY_AMOUNT_MAX 15      /* digits */

/* The signed values, NFC UTF-8, "" when absent (docs/verify.md section 2). */
typedef struct vc_verify_values {
  char serial[VC_VERIFY_SERIAL_MAX + 1];
  char name[VC_VERIFY_NAME_MAX * 4 + 1];
  char award[VC_VERIFY_AWARD_MAX * 4 + 1];
  char amount[VC_VERIFY_AMOUNT_MAX + 1]; /* đồng, digits */
  char date[11];                         /* YYYY-MM-DD */
  char key_id[VC_VERIFY_KEYID_LEN];
} vc_verify_values_t;

typedef enum {
  VC_VERIFY_VALID = 0,
  VC_VERIFY_MALFORMED,   /* not a vncert payload, or broken */
  VC_VERIFY_UNKNOWN_KEY, /* signed by a key not among those given */
  VC_VERIFY_TAMPERED,    /* the signature does not match the values */
  VC_VERIFY_REVOKED      /* valid, but the school revoked the serial */
} vc_verify_verdict_t;

typedef struct vc_verify_result {
  vc_verify_verdict_t verdict;
  bool have_values;          /* values were read (every verdict but MALFORMED) */
  vc_verify_values_t values; /* as carried: signed only when VALID or REVOKED */
  char why[320];             /* malformed: what is wrong; revoked: the reason */
  char revoked_on[11];       /* revoked: YYYY-MM-DD */
  char key_comment[204];     /* the comment of the key that verified */
} vc_verify_result_t;

/* One revoked serial (the ledger's list, or the page's). */
typedef struct vc_revocation {
  const char *serial, *reason, *date;
} vc_revocation_t;

/* Frees a list of revocations (vc_job_revocations) and its strings. */
void vc_revocations_free(vc_revocation_t *list, size_t n);

/* `vncert revoke`: revokes the document with this serial in the ledger
 * job->ledger (docs/verify.md section 7), recorded with job->operator_name. */
vc_status_t vc_job_revoke(const vc_job_t *job, const char *serial, const char *reason,
                          vc_diag_t *d);
/* The revocations of the ledger job->ledger (opened read-only): serial,
 * reason, day, in serial order; *list freed with vc_revocations_free.  For
 * `verify --ledger` and the verification page. */
vc_status_t vc_job_revocations(const vc_job_t *job, vc_revocation_t **list, size_t *n,
                               vc_diag_t *d);

/* "valid", "malformed", "unknown-key", "tampered", "revoked". */
const char *vc_verify_verdict_name(vc_verify_verdict_t v);

/* Writes a new Ed25519 key pair: base.key (the seed; mode 0600, O_EXCL:
 * never replaces a file) and base.pub (public, one line with comment).
 * key_id and fingerprint (may be NULL) get the new key's.  VC_E_IO naming
 * the file when either exists or cannot be written (then neither is left). */
vc_status_t vc_key_generate(const char *base, const char *comment,
                            char key_id[VC_VERIFY_KEYID_LEN],
                            char fingerprint[VC_VERIFY_FINGERPRINT_LEN], vc_diag_t *d);

/* The public keys a verifier trusts. */
typedef struct vc_keyring vc_keyring_t;
/* Loads n public key files (docs/verify.md section 1); every fault (not a
 * key file, a key id that does not match, two files of one key) in d, and
 * NULL.  Caller owns the result. */
vc_keyring_t *vc_keyring_load(const char *const *paths, size_t n, vc_diag_t *d);
void vc_keyring_free(vc_keyring_t *k);
/* Number of keys, and key i's id, fingerprint and comment (for listings). */
size_t vc_keyring_count(const vc_keyring_t *k);
void vc_keyring_key(const vc_keyring_t *k, size_t i, const char **key_id,
                    const char **fingerprint, const char **comment);

/* Key i's 32-byte Ed25519 public key (a verification page embeds it). */
const unsigned char *vc_keyring_public_key(const vc_keyring_t *k, size_t i);
/* The preset DEFLATE dictionary of format v1 (docs/verify.md section 3; the
 * bytes of docs/verify-dict-v1.txt), *len its length: a verification page
 * embeds it. */
const char *vc_verify_dictionary(size_t *len);

/* Verifies text: a verification URL (what follows '#'), or the digits
 * alone; rev[0..nrev) the revoked serials (may be empty).  The verdict is
 * in *res; VC_OK whenever one was reached (an invalid certificate is a
 * verdict, not a failure), VC_E_NOMEM or VC_E_INTERNAL otherwise. */
vc_status_t vc_verify_text(const char *text, const vc_keyring_t *keys,
                           const vc_revocation_t *rev, size_t nrev, vc_verify_result_t *res,
                           vc_diag_t *d);

/* The URIs of the link annotations of a PDF (read with libqpdf), where
 * vncert puts each QR code's URL: *uris (caller frees each and the array),
 * *n.  VC_E_IO / VC_E_INPUT naming the file when it cannot be read, or
 * holds more than 100,000 links (then none is returned). */
vc_status_t vc_verify_pdf_uris(const char *path, char ***uris, size_t *n, vc_diag_t *d);

/* The school's verification page (docs/verify-page.md): what it embeds. */
typedef struct vc_verify_page {
  const vc_keyring_t *keys;       /* 1 to VC_VERIFY_PAGE_MAX_KEYS public keys */
  const vc_revocation_t *revoked; /* the revocations it refuses (vc_job_revocations) */
  size_t nrevoked;
  const char *school;             /* shown at the top of the page; NULL: none */
} vc_verify_page_t;
#define VC_VERIFY_PAGE_MAX_KEYS 16

/* Writes the school's verification page to out: one self-contained HTML file
 * (no request leaves it; its script verifies the URL's fragment in the
 * browser) embedding p's keys and revocations.  Written through a temporary
 * renamed over out.  VC_OK, or VC_E_USAGE (no key, too many), VC_E_INPUT (a
 * text not UTF-8), VC_E_IO, VC_E_NOMEM with a diag. */
vc_status_t vc_verify_page_write(const vc_verify_page_t *p, const char *out, vc_diag_t *d);

#ifdef __cplusplus
}
#endif

#endif
