/*
 * print-split.c - a PDF file too long for one CUPS job (issue 10, point 4),
 * counted and cut into parts with libqpdf: `vncert print FILE.pdf` reads
 * PDFs vncert did not draw, so its own page splitter cannot be used.
 *
 * Why qpdf's job interface for the cutting: it copies the chosen pages with
 * everything they use (fonts, images) and drops the rest, as the qpdf
 * command does; its messages go to a logger of ours, never to the
 * terminal (library code prints nothing).
 */
#include <qpdf/qpdf-c.h>
#include <qpdf/qpdfjob-c.h>
#include <qpdf/qpdflogger-c.h>
#include <stdio.h>
#include <string.h>

#include "print/print-private.h"

long vc_print_pdf_pages(const char *path, vc_diag_t *d) {
  qpdf_data q = qpdf_init();
  long n = -1;
  qpdf_silence_errors(q);
  qpdf_set_suppress_warnings(q, QPDF_TRUE);
  if (qpdf_read(q, path, NULL) & QPDF_ERRORS) {
    qpdf_error e = qpdf_get_error(q);
    vc_diag_add(d, VC_E_INPUT, path, 0, 0, "is not a PDF that can be read (%s)",
                e ? qpdf_get_error_full_text(q, e) : "qpdf could not open it");
  } else {
    int k = qpdf_get_num_pages(q);
    if (k >= 0) n = k;
    else vc_diag_add(d, VC_E_INPUT, path, 0, 0, "its pages cannot be counted (a damaged PDF)");
  }
  qpdf_cleanup(&q);
  return n;
}

/* qpdf's error messages, kept for the diagnostic (the last 400 bytes). */
typedef struct said {
  char text[400];
} said_t;

static int keep_error(char const *data, size_t len, void *ud) {
  said_t *s = ud;
  size_t have = strlen(s->text);
  if (have + len >= sizeof s->text) have = 0;
  if (len >= sizeof s->text) len = sizeof s->text - 1;
  memcpy(s->text + have, data, len);
  s->text[have + len] = '\0';
  return 0;
}

vc_status_t vc_print_pdf_extract(const char *path, long first, long count, const char *out,
                                 vc_diag_t *d) {
  char range[64];
  snprintf(range, sizeof range, "%ld-%ld", first + 1, first + count);
  const char *argv[] = {"qpdf", path, "--pages", ".", range, "--", out, NULL};
  said_t said = {{0}};
  qpdflogger_handle log = qpdflogger_create();
  qpdflogger_set_info(log, qpdf_log_dest_discard, NULL, NULL);
  qpdflogger_set_warn(log, qpdf_log_dest_discard, NULL, NULL);
  qpdflogger_set_error(log, qpdf_log_dest_custom, keep_error, &said);
  qpdfjob_handle j = qpdfjob_init();
  qpdfjob_set_logger(j, log);
  int rc = qpdfjob_initialize_from_argv(j, argv);
  if (rc == 0) rc = qpdfjob_run(j);
  qpdfjob_cleanup(&j);
  qpdflogger_cleanup(&log);
  if (rc == 0 || rc == 3) return VC_OK; /* 3: warnings only */
  char *nl = strchr(said.text, '\n');
  if (nl) *nl = '\0';
  vc_diag_add(d, VC_E_IO, path, 0, 0, "pages %s could not be copied to %s (%s)", range, out,
              said.text[0] ? said.text : "qpdf failed");
  return VC_E_IO;
}
