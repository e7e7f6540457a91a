/*
 * csv-private.h - what the CSV reader's two files share: csv.c (values,
 * records, the header and records through the shape finder, the table
 * reader) and csv-stream.c (the input in pieces, line by line, through
 * libcsv).  Not for other modules: csv.h is the API.
 */
#ifndef VC_CSV_PRIVATE_H
#define VC_CSV_PRIVATE_H

#include <csv.h>
#include <stdbool.h>
#include <stddef.h>

#include "input/csv.h"
#include "input/shape.h"

#define VC_CSV_MAX_TEXT_REPORTS 20

/* One stored value of the record being read: offset and length in sbuf. */
typedef struct { size_t off, len; } vc__csv_span_t;

struct vc_csv_stream {
  const char *name;
  vc_diag_t *d;
  vc_table_t *t;
  unsigned char delim, term;
  bool has_cr;      /* some CR in the text: libcsv needs our hooks */

  int cur_line;     /* physical line being fed */
  int rec_line;     /* physical line where the open record started */
  bool in_record;

  /* the record being read */
  int nfields;      /* fields seen, including ones not stored */
  bool rec_bad;     /* a problem was reported for it */
  bool rec_parse;   /* libcsv stopped on it (field count is meaningless) */
  bool rec_any;     /* some value is not empty after cleaning */
  bool rec_wide;    /* more than VC_CSV_MAX_COLS fields */
  char *sbuf;
  size_t slen, scap;
  vc__csv_span_t *vals;     /* at most VC_CSV_MAX_COLS */
  int nvals;

  bool have_header;
  vc_shape_columns_t cols; /* once the header is known */
  vc_shape_opts_t sopts; /* how the header and the end are found */
  vc_shape_t *shape;     /* created with the first record */
  vc_shape_info_t sinfo;
  const char **fptrs;    /* the record handed to the shape: VC_CSV_MAX_COLS */
  size_t *flens;

  long skipped;      /* physical lines of skipped blank records */
  long text_errors;  /* encoding problems found, reported or not */
  bool stop;         /* fatal: stop reading, return NULL */

  /* streaming (vc_csv_stream_*): input arrives in pieces */
  vc_record_fn fn;  /* each data record */
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
};

/* ---- csv.c ---- */

/* Reports a fatal problem and stops reading.  msg is an N_() literal,
 * translated here. */
void vc__csv_fatal(vc_csv_stream_t *r, vc_status_t st, int line, int col, const char *msg);
/* Describes column col (0-based) of the record being read, for messages. */
void vc__csv_col_desc(const vc_csv_stream_t *r, int col, char *out, size_t outlen);
/* Reports that the value in column col is over VC_CSV_MAX_FIELD. */
void vc__csv_long_value(vc_csv_stream_t *r, int col, int line);
/* Line on which the value being read began. */
int vc__csv_field_line(const vc_csv_stream_t *r);
/* libcsv's field and row callbacks (ud: the reader). */
void vc__csv_on_field(void *data, size_t n, void *ud);
void vc__csv_on_row(int c, void *ud);
/* Ends the record being read: skipped when blank, else to the shape. */
void vc__csv_finish_record(vc_csv_stream_t *r);

#endif
