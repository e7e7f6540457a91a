/*
 * print-job.c - sending a PDF to a CUPS queue as one job and following it to
 * its end; runs of volumes as several jobs (issue 10, points 1, 2, 4, 5).
 *
 * The document goes through libcups's destination API (cupsCreateDestJob,
 * cupsStartDestDocument, cupsWriteRequestData, cupsFinishDestDocument), so
 * the job id comes back and the job can be followed; running lp would give
 * neither reliably.  Following polls Get-Job-Attributes and the queue's
 * state: simpler than IPP notifications and it notices a server that went
 * away (a subscription would just fall silent).
 *
 * A PDF file too long for one job (point 4) is counted and cut into parts
 * with libqpdf: `vncert print FILE.pdf` reads PDFs vncert did not draw, so
 * its own page splitter cannot be used.  qpdf's job interface copies the
 * chosen pages with everything they use (fonts, images) and drops the
 * rest, as the qpdf command does; its messages go to a logger of ours,
 * never to the terminal (library code prints nothing).
 */
#include <errno.h>
#include <qpdf/qpdf-c.h>
#include <qpdf/qpdfjob-c.h>
#include <qpdf/qpdflogger-c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/i18n.h"
#include "core/text.h"
#include "print/print-private.h"

/* ---- Sending ------------------------------------------------------------- */

typedef struct source {
  const char *path;             /* file, or NULL for memory */
  FILE *fp;
  const unsigned char *mem;
  size_t len;
} source_t;

/* The job options for CUPS; *n of them in *opts (caller frees with
 * cupsFreeOptions).  False on no memory. */
static bool encode_opts(const vc_print_opts_t *o, int *n, cups_option_t **opts) {
  char num[16];
  int want = 0;
  *n = 0;
  *opts = NULL;
  if (!o) return true;
  if (o->copies > 0) {
    snprintf(num, sizeof num, "%d", o->copies);
    *n = cupsAddOption(CUPS_COPIES, num, *n, opts), want++;
  }
  if (o->media && vc__print_media_pwg(o->media))
    *n = cupsAddOption(CUPS_MEDIA, vc__print_media_pwg(o->media), *n, opts), want++;
  if (o->orientation && vc__print_orientation_enum(o->orientation)) {
    snprintf(num, sizeof num, "%d", vc__print_orientation_enum(o->orientation));
    *n = cupsAddOption(CUPS_ORIENTATION, num, *n, opts), want++;
  }
  if (o->sides) *n = cupsAddOption(CUPS_SIDES, o->sides, *n, opts), want++;
  return *n == want;
}

/* Refuses a queue that is missing, stopped or rejecting, before anything is
 * sent: CUPS would take the job and let it wait unseen. */
vc_status_t vc_print_queue_check(vc_print_t *p, const char *queue, vc_diag_t *d) {
  vc__queue_state_t qs;
  char why[600], said[600] = "";
  vc_status_t st = vc__print_queue_state(p, queue, &qs, d);
  if (st != VC_OK) return st;
  if (!qs.found) return vc__print_no_queue(p, queue, d);
  vc__print_reasons_clause(qs.reasons, why, sizeof why);
  if (qs.message[0]) vc__print_said(qs.message, said, sizeof said);
  if (qs.state == VC_PRINTER_STOPPED) {
    vc_diag_add(d, VC_E_IO, NULL, 0, 0,
                "printer '%s' is stopped (paused)%s%s; nothing was sent: fix the printer, "
                "start the queue again (cupsenable %s) and print again",
                queue, why, said, queue);
    return VC_E_IO;
  }
  if (!qs.accepting) {
    vc_diag_add(d, VC_E_IO, NULL, 0, 0,
                "printer '%s' is not accepting jobs%s%s; nothing was sent: ask whoever runs "
                "the printer, or let it accept jobs again (cupsaccept %s)",
                queue, why, said, queue);
    return VC_E_IO;
  }
  return VC_OK;
}

/* Checks o against the printer (only when o asks for something). */
static vc_status_t check_opts(vc_print_t *p, const char *queue, const vc_print_opts_t *o,
                              vc_diag_t *d) {
  if (!o || (!o->copies && !o->media && !o->orientation && !o->sides)) return VC_OK;
  vc_print_caps_t *c = vc_print_caps_get(p, queue, d);
  if (!c) return vc_diag_status(d) ? vc_diag_status(d) : VC_E_IO;
  vc_status_t st = vc_print_opts_check(c, o, d);
  vc_print_caps_free(c);
  return st;
}

/* Streams the document into the started request.  False on a failure
 * (reading: diagnostic added, *read_failed set). */
static bool send_document(vc_print_t *p, source_t *src, bool *read_failed, vc_diag_t *d) {
  char buf[32768]; /* on the stack: the kiosk sends from several threads */
  if (!src->path)
    for (size_t off = 0; off < src->len;) {
      size_t n = src->len - off < sizeof buf ? src->len - off : sizeof buf;
      if (cupsWriteRequestData(p->http, (const char *)src->mem + off, n) != HTTP_STATUS_CONTINUE)
        return false;
      off += n;
    }
  else
    for (size_t n; (n = fread(buf, 1, sizeof buf, src->fp)) > 0;)
      if (cupsWriteRequestData(p->http, buf, n) != HTTP_STATUS_CONTINUE) return false;
  if (src->path && ferror(src->fp)) {
    vc_diag_add(d, VC_E_IO, src->path, 0, 0, "cannot read the PDF to print: %s", strerror(errno));
    *read_failed = true;
    return false;
  }
  return true;
}

/* Creates the job, sends the document; on a failure after the job was
 * created the job is cancelled, so no half document prints. */
static vc_status_t send_job(vc_print_t *p, const char *queue, cups_dest_t *dest,
                            cups_dinfo_t *info, source_t *src, const char *title,
                            const vc_print_opts_t *o, vc_print_result_t *res, vc_diag_t *d) {
  int nopt, id = 0;
  cups_option_t *opts;
  char what[400];
  if (!encode_opts(o, &nopt, &opts)) {
    cupsFreeOptions(nopt, opts);
    vc_diag_add(d, VC_E_NOMEM, src->path, 0, 0, "out of memory preparing the print job");
    return VC_E_NOMEM;
  }
  ipp_status_t ist = cupsCreateDestJob(p->http, dest, info, &id, title, nopt, opts);
  cupsFreeOptions(nopt, opts);
  if (ist == IPP_STATUS_ERROR_NOT_ACCEPTING_JOBS) {
    vc_diag_add(d, VC_E_IO, src->path, 0, 0,
                "printer '%s' is not accepting jobs (%s); nothing was sent (cupsaccept %s lets "
                "it accept jobs again)",
                queue, cupsLastErrorString(), queue);
    return VC_E_IO;
  }
  if (ist > IPP_STATUS_OK_EVENTS_COMPLETE || id <= 0) {
    snprintf(what, sizeof what, _("a job for printer '%s'"), queue);
    return vc__print_fault(p, src->path, d, what);
  }
  const char *docname = src->path ? strrchr(src->path, '/') : NULL;
  docname = docname ? docname + 1 : src->path ? src->path : title;
  bool read_failed = false;
  if (cupsStartDestDocument(p->http, dest, info, id, docname, CUPS_FORMAT_PDF, 0, NULL, 1) !=
          HTTP_STATUS_CONTINUE ||
      !send_document(p, src, &read_failed, d) ||
      cupsFinishDestDocument(p->http, dest, info) > IPP_STATUS_OK_EVENTS_COMPLETE) {
    if (!read_failed) {
      snprintf(what, sizeof what, _("the document of job %d for printer '%s'"), id, queue);
      vc__print_fault(p, src->path, d, what);
    }
    cupsCancelDestJob(p->http, dest, id);
    return VC_E_IO;
  }
  res->job_id = id;
  res->outcome = VC_PRINT_ACCEPTED;
  return VC_OK;
}

/* The caller's title, cut to IPP's 255 bytes between characters. */
static vc_status_t job_title(const char *title, char *out, size_t n, vc_diag_t *d) {
  size_t len = title ? strlen(title) : 0;
  if (len > n - 1) {
    len = n - 1;
    while (len && ((unsigned char)title[len] & 0xC0) == 0x80) len--;
  }
  if (len && !vc_utf8_valid(title, len, NULL)) {
    vc_diag_add(d, VC_E_USAGE, NULL, 0, 0, "the print job's name is not UTF-8 text");
    return VC_E_USAGE;
  }
  snprintf(out, n, "%.*s", (int)len, title ? title : "");
  if (!*out) snprintf(out, n, "vncert");
  return VC_OK;
}

static vc_status_t submit(vc_print_t *p, const char *queue, source_t *src, const char *title,
                          const vc_print_opts_t *o, vc_print_result_t *res, vc_diag_t *d) {
  char name[256];
  *res = (vc_print_result_t){0, VC_PRINT_NOT_SENT, -1};
  vc_status_t st = job_title(title, name, sizeof name, d);
  if (st == VC_OK) st = vc_print_queue_check(p, queue, d);
  if (st == VC_OK) st = check_opts(p, queue, o, d);
  if (st != VC_OK) return st;
  cups_dest_t *dest = vc__print_dest(p, queue);
  cups_dinfo_t *info = dest ? cupsCopyDestInfo(p->http, dest) : NULL;
  if (!dest) {
    vc_diag_add(d, VC_E_NOMEM, src->path, 0, 0, "out of memory preparing the print job");
    st = VC_E_NOMEM;
  } else if (!info) {
    char what[300];
    snprintf(what, sizeof what, _("looking up printer '%s'"), queue);
    st = vc__print_fault(p, src->path, d, what);
  } else {
    st = send_job(p, queue, dest, info, src, name, o, res, d);
  }
  cupsFreeDestInfo(info);
  cupsFreeDests(dest ? 1 : 0, dest);
  return st;
}

vc_status_t vc_print_submit_mem(vc_print_t *p, const char *queue, const void *pdf, size_t len,
                                const char *title, const vc_print_opts_t *o,
                                vc_print_result_t *res, vc_diag_t *d) {
  source_t src = {.mem = pdf, .len = len};
  if (len < 5 || memcmp(pdf, "%PDF-", 5)) {
    *res = (vc_print_result_t){0, VC_PRINT_NOT_SENT, -1};
    vc_diag_add(d, VC_E_INPUT, NULL, 0, 0, "the document to print is not a PDF");
    return VC_E_INPUT;
  }
  return submit(p, queue, &src, title, o, res, d);
}

vc_status_t vc_print_submit_file(vc_print_t *p, const char *queue, const char *path,
                                 const char *title, const vc_print_opts_t *o,
                                 vc_print_result_t *res, vc_diag_t *d) {
  source_t src = {.path = path};
  char head[5];
  *res = (vc_print_result_t){0, VC_PRINT_NOT_SENT, -1};
  if (!(src.fp = fopen(path, "rb"))) {
    vc_diag_add(d, VC_E_IO, path, 0, 0, "cannot open the PDF to print: %s", strerror(errno));
    return VC_E_IO;
  }
  if (fread(head, 1, 5, src.fp) != 5 || memcmp(head, "%PDF-", 5)) {
    fclose(src.fp);
    vc_diag_add(d, VC_E_INPUT, path, 0, 0, "not a PDF file: only PDF files are printed");
    return VC_E_INPUT;
  }
  rewind(src.fp);
  vc_status_t st = submit(p, queue, &src, title, o, res, d);
  fclose(src.fp);
  return st;
}

/* ---- A PDF file cut into jobs (qpdf) ------------------------------------- */

long vc_print_pdf_pages(const char *path, vc_diag_t *d) {
  qpdf_data q = qpdf_init();
  long n = -1;
  qpdf_silence_errors(q);
  qpdf_set_suppress_warnings(q, QPDF_TRUE);
  if (qpdf_read(q, path, NULL) & QPDF_ERRORS) {
    qpdf_error e = qpdf_get_error(q);
    vc_diag_add(d, VC_E_INPUT, path, 0, 0, "is not a PDF that can be read (%s)",
                e ? qpdf_get_error_full_text(q, e) : _("qpdf could not open it"));
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
              said.text[0] ? said.text : _("qpdf failed"));
  return VC_E_IO;
}
