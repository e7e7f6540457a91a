/* test_print.c - printing through a real CUPS scheduler (issue 10, point 6).
 *
 * The group setup starts cupsd on a loopback port in a temporary folder
 * (tests/tools/cups-server.sh, or $VC_CUPS_SERVER_SH) with the queues
 * "pdf" (each job's PDF lands in OUT/job-ID.pdf), "stopped", "rejecting",
 * "broken" (its device fails) and "slow" (its device never finishes); the
 * teardown stops it by its pid.  What arrives is checked from outside with
 * poppler (pdfinfo, pdftotext). */
#include "testutil.h"

#include <cups/cups.h>
#include <hpdf.h>
#include <sys/stat.h>
#include <unistd.h>

#include "print/print.h"

static char g_dir[64];       /* the test's temporary folder */
static char g_srv[128];      /* its CUPS server folder */
static char g_server[64];    /* 127.0.0.1:PORT */
static const char *g_script; /* cups-server.sh */

static int group_setup(void **state) {
  char *out = NULL;
  g_script = getenv("VC_CUPS_SERVER_SH");
  if (!g_script || !*g_script) g_script = "tests/tools/cups-server.sh";
  snprintf(g_dir, sizeof g_dir, "/tmp/vc-print-XXXXXX");
  if (!mkdtemp(g_dir)) return -1;
  chmod(g_dir, 0755); /* user lp runs the filters under it */
  snprintf(g_srv, sizeof g_srv, "%s/cups", g_dir);
  /* Our pid: should this test crash, the server's watcher stops it. */
  int rc = sh(&out, "%s start %s %ld 2>&1", g_script, g_srv, (long)getpid());
  const char *s = out ? strstr(out, "CUPS_SERVER=") : NULL;
  if (rc != 0 || !s) {
    fprintf(stderr, "test_print: could not start a CUPS server: %s\n", out ? out : "");
    free(out);
    return -1;
  }
  snprintf(g_server, sizeof g_server, "%.*s", (int)strcspn(s + 12, "\n"), s + 12);
  free(out);
  /* Not exported: the library must reach the server it was given, not
   * CUPS_SERVER's; the commands below get it on their command line. */
  return 0;
}

static int group_teardown(void **state) {
  sh(NULL, "%s stop %s >/dev/null 2>&1; rm -rf %s", g_script, g_srv, g_dir);
  return 0;
}

/* A PDF of n pages reading "LABEL page K of N" into path, or into memory
 * (*mem, *len; caller frees) when path is NULL. */
static void make_pdf(const char *path, const char *label, int n, unsigned char **mem,
                     size_t *len) {
  HPDF_Doc pdf = HPDF_New(NULL, NULL);
  assert_non_null(pdf);
  HPDF_Font font = HPDF_GetFont(pdf, "Helvetica", NULL);
  for (int k = 1; k <= n; k++) {
    char text[128];
    HPDF_Page page = HPDF_AddPage(pdf);
    HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT);
    snprintf(text, sizeof text, "%s page %d of %d", label, k, n);
    HPDF_Page_BeginText(page);
    HPDF_Page_SetFontAndSize(page, font, 24);
    HPDF_Page_TextOut(page, 60, 700, text);
    HPDF_Page_EndText(page);
  }
  if (path) {
    assert_int_equal(HPDF_SaveToFile(pdf, path), HPDF_OK);
  } else {
    assert_int_equal(HPDF_SaveToStream(pdf), HPDF_OK);
    HPDF_UINT32 size = HPDF_GetStreamSize(pdf);
    *mem = malloc(size);
    assert_non_null(*mem);
    assert_int_equal(HPDF_ReadFromStream(pdf, *mem, &size), HPDF_OK);
    *len = size;
  }
  HPDF_Free(pdf);
}

/* The first diagnostic's message ("" when none). */
static const char *first_msg(const vc_diag_t *d) {
  return vc_diag_kept(d) ? vc_diag_get(d, 0)->msg : "";
}

#define assert_has(hay, needle)                                                \
  do {                                                                         \
    if (!strstr((hay), (needle))) fail_msg("'%s' not in: %s", (needle), (hay)); \
  } while (0)

static const vc_print_follow_t quick = {.poll_ms = 100, .pending_timeout_ms = 30000};

/* Pages of the PDF job ID printed to the "pdf" queue. */
static int printed_pages(int id) {
  char *out = NULL;
  assert_int_equal(sh(&out, "pdfinfo %s/out/job-%d.pdf | sed -n 's/^Pages: *//p'", g_srv, id), 0);
  int n = atoi(out);
  free(out);
  return n;
}

static char *printed_text(int id) {
  char *out = NULL;
  assert_int_equal(sh(&out, "pdftotext %s/out/job-%d.pdf -", g_srv, id), 0);
  return out;
}

static void test_queues(void **state) {
  vc_diag_t *d = vc_diag_create();
  vc_print_t *p = vc_print_open(g_server, d);
  assert_non_null(p);
  vc_print_queues_t *q = vc_print_queues_list(p, d);
  assert_non_null(q);
  assert_int_equal(vc_print_queues_count(q), 5);
  const char *want[] = {"broken", "pdf", "rejecting", "slow", "stopped"};
  for (size_t i = 0; i < 5; i++) assert_string_equal(vc_print_queue_name(q, i), want[i]);
  long i = vc_print_queues_find(q, "PDF");
  assert_int_equal(i, 1);
  assert_int_equal(vc_print_queue_state(q, 1), VC_PRINTER_IDLE);
  assert_true(vc_print_queue_accepting(q, 1));
  i = vc_print_queues_find(q, "stopped");
  assert_int_equal(vc_print_queue_state(q, (size_t)i), VC_PRINTER_STOPPED);
  assert_has(vc_print_queue_reasons(q, (size_t)i), "paused");
  assert_string_equal(vc_print_queue_message(q, (size_t)i), "paused by the test");
  assert_true(vc_print_queue_accepting(q, (size_t)i));
  i = vc_print_queues_find(q, "rejecting");
  assert_false(vc_print_queue_accepting(q, (size_t)i));
  assert_int_equal(vc_print_queues_find(q, "nope"), -1);
  char line[512];
  assert_string_equal(vc_print_queue_line(q, 1, line, sizeof line), "pdf: idle, accepting jobs; pdf");
  assert_string_equal(vc_print_queue_line(q, (size_t)vc_print_queues_find(q, "stopped"), line,
                                          sizeof line),
                      "stopped: stopped, accepting jobs; stopped; reasons: paused; \"paused by the test\"");
  vc_print_queues_free(q);
  assert_int_equal(vc_diag_count(d), 0);
  vc_print_close(p);
  vc_diag_free(d);
}

static void test_caps_and_options(void **state) {
  vc_diag_t *d = vc_diag_create();
  vc_print_t *p = vc_print_open(g_server, d);
  assert_non_null(p);
  vc_print_caps_t *c = vc_print_caps_get(p, "pdf", d);
  assert_non_null(c);
  assert_true(vc_print_caps_copies_max(c) > 1);
  bool a4 = false, a5 = false;
  for (size_t i = 0; i < vc_print_caps_media_count(c); i++) {
    a4 |= !strcmp(vc_print_caps_media(c, i), "iso_a4_210x297mm");
    a5 |= !strcmp(vc_print_caps_media(c, i), "iso_a5_148x210mm");
  }
  assert_true(a4 && a5);
  vc_print_opts_t ok = {.copies = 2, .media = "A4", .orientation = "landscape",
                        .sides = "two-sided-long-edge"};
  assert_int_equal(vc_print_opts_check(c, &ok, d), VC_OK);
  ok.media = "iso_a5_148x210mm";
  assert_int_equal(vc_print_opts_check(c, &ok, d), VC_OK);
  assert_int_equal(vc_diag_count(d), 0);

  vc_print_opts_t bad = {.media = "Napkin"};
  assert_int_equal(vc_print_opts_check(c, &bad, d), VC_E_USAGE);
  assert_has(first_msg(d), "'pdf' has no paper size 'Napkin'");
  assert_has(first_msg(d), "'A4' (iso_a4_210x297mm)");
  vc_diag_clear(d);
  bad = (vc_print_opts_t){.copies = vc_print_caps_copies_max(c) + 1, .sides = "three-sided",
                          .orientation = "sideways"};
  assert_int_equal(vc_print_opts_check(c, &bad, d), VC_E_USAGE);
  assert_int_equal(vc_diag_count(d), 3);
  char max[32];
  snprintf(max, sizeof max, "1 to %d copies", vc_print_caps_copies_max(c));
  assert_has(vc_diag_get(d, 0)->msg, max);
  assert_has(vc_diag_get(d, 1)->msg, "portrait");
  assert_has(vc_diag_get(d, 2)->msg, "two-sided-long-edge");
  vc_print_caps_free(c);
  vc_diag_clear(d);
  assert_null(vc_print_caps_get(p, "nope", d));
  assert_has(first_msg(d), "no printer queue 'nope'");
  vc_print_close(p);
  vc_diag_free(d);
}

/* Counts the progress reports and keeps the last state. */
typedef struct seen {
  int calls;
  char state[32];
  long pages;
} seen_t;

static int on_progress(const vc_print_progress_t *pr, void *ud) {
  seen_t *s = ud;
  char line[512], want[128];
  snprintf(want, sizeof want, "job %d on 'pdf': %s", pr->job_id, pr->state);
  assert_has(vc_print_progress_line(pr, line, sizeof line), want);
  s->calls++;
  snprintf(s->state, sizeof s->state, "%s", pr->state);
  s->pages = pr->pages;
  return 0;
}

/* The job-name CUPS keeps for a job (IPP Get-Job-Attributes); caller frees. */
static char *cups_job_name(int id) {
  char uri[128];
  http_t *http = httpConnect2("127.0.0.1", atoi(strchr(g_server, ':') + 1), NULL, AF_UNSPEC,
                              HTTP_ENCRYPTION_NEVER, 1, 5000, NULL);
  assert_non_null(http);
  ipp_t *req = ippNewRequest(IPP_OP_GET_JOB_ATTRIBUTES);
  snprintf(uri, sizeof uri, "ipp://localhost/jobs/%d", id);
  ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_URI, "job-uri", NULL, uri);
  /* job-name is private to the job's owner (CUPS's JobPrivateValues) */
  ippAddString(req, IPP_TAG_OPERATION, IPP_TAG_NAME, "requesting-user-name", NULL, cupsUser());
  ipp_t *resp = cupsDoRequest(http, req, "/");
  ipp_attribute_t *a = resp ? ippFindAttribute(resp, "job-name", IPP_TAG_ZERO) : NULL;
  char *name = strdup(a ? ippGetString(a, 0, NULL) : "");
  ippDelete(resp);
  httpClose(http);
  return name;
}

static void test_print_memory(void **state) {
  const char *title = "Giấy khen — K19MN — 10 tờ";
  unsigned char *pdf;
  size_t len;
  make_pdf(NULL, "memory", 3, &pdf, &len);
  vc_diag_t *d = vc_diag_create();
  vc_print_t *p = vc_print_open(g_server, d);
  assert_non_null(p);
  vc_print_result_t res;
  assert_int_equal(vc_print_submit_mem(p, "pdf", pdf, len, title, NULL, &res, d), VC_OK);
  assert_true(res.job_id > 0);
  assert_int_equal(res.outcome, VC_PRINT_ACCEPTED);
  seen_t seen = {0};
  vc_print_follow_t f = quick;
  f.progress = on_progress;
  f.progress_ud = &seen;
  assert_int_equal(vc_print_follow(p, "pdf", &f, &res, d), VC_OK);
  assert_int_equal(res.outcome, VC_PRINT_COMPLETED);
  assert_true(seen.calls >= 1);
  assert_string_equal(seen.state, "completed");
  assert_int_equal(res.pages, 3); /* job-impressions-completed, as CUPS counted */
  assert_int_equal(seen.pages, 3);
  assert_int_equal(printed_pages(res.job_id), 3);
  char *text = printed_text(res.job_id);
  assert_has(text, "memory page 1 of 3");
  assert_has(text, "memory page 3 of 3");
  free(text);
  assert_str_take(cups_job_name(res.job_id), title);
  char *got = NULL;
  assert_int_equal(sh(&got, "cat %s/out/job-%d.title", g_srv, res.job_id), 0);
  assert_string_equal(got, title); /* as the backend received it */
  free(got);
  assert_int_equal(sh(NULL, "CUPS_SERVER=%s lpstat -W completed -o pdf | grep -q '^pdf-%d '", g_server, res.job_id), 0);
  assert_int_equal(vc_diag_count(d), 0);
  free(pdf);
  vc_print_close(p);
  vc_diag_free(d);
}

static void test_print_file_options(void **state) {
  char path[128];
  snprintf(path, sizeof path, "%s/two.pdf", g_dir);
  make_pdf(path, "file", 2, NULL, NULL);
  vc_diag_t *d = vc_diag_create();
  vc_print_t *p = vc_print_open(g_server, d);
  vc_print_opts_t o = {.copies = 2, .media = "A5"};
  vc_print_result_t res;
  assert_int_equal(vc_print_file(p, "pdf", path, "two", &o, &quick, &res, d), VC_OK);
  assert_int_equal(res.outcome, VC_PRINT_COMPLETED);
  assert_int_equal(printed_pages(res.job_id), 4); /* pdftopdf made the copies */
  char *out = NULL;
  assert_int_equal(sh(&out, "pdfinfo %s/out/job-%d.pdf | grep '^Page size'", g_srv, res.job_id), 0);
  assert_has(out, "420 x 595"); /* A5, in whole points */
  free(out);
  /* no_wait: back once CUPS took it, not followed. */
  assert_int_equal(vc_print_file(p, "pdf", path, "two", NULL, NULL, &res, d), VC_OK);
  assert_int_equal(res.outcome, VC_PRINT_ACCEPTED);
  assert_true(res.job_id > 0);
  /* An option the printer lacks: refused, nothing sent. */
  o = (vc_print_opts_t){.media = "Napkin"};
  assert_int_equal(vc_print_file(p, "pdf", path, "two", &o, &quick, &res, d), VC_E_USAGE);
  assert_int_equal(res.outcome, VC_PRINT_NOT_SENT);
  assert_int_equal(res.job_id, 0);
  vc_diag_clear(d);
  /* Not a PDF. */
  assert_int_equal(vc_print_file(p, "pdf", "Makefile", "x", NULL, NULL, &res, d), VC_E_INPUT);
  assert_has(first_msg(d), "not a PDF");
  vc_print_close(p);
  vc_diag_free(d);
}

/* Sends a one-page PDF to queue; returns the status, the message in msg. */
static vc_status_t send_one(const char *queue, vc_print_result_t *res, char *msg, size_t n) {
  unsigned char *pdf;
  size_t len;
  make_pdf(NULL, queue, 1, &pdf, &len);
  vc_diag_t *d = vc_diag_create();
  vc_print_t *p = vc_print_open(g_server, d);
  assert_non_null(p);
  vc_status_t st = vc_print_submit_mem(p, queue, pdf, len, "one", NULL, res, d);
  snprintf(msg, n, "%s", first_msg(d));
  vc_print_close(p);
  vc_diag_free(d);
  free(pdf);
  return st;
}

static void test_refused_queues(void **state) {
  char msg[1024];
  vc_print_result_t res;
  assert_int_equal(send_one("nope", &res, msg, sizeof msg), VC_E_IO);
  assert_has(msg, "no printer queue 'nope'");
  assert_has(msg, "broken, pdf, rejecting, slow, stopped");
  assert_int_equal(res.outcome, VC_PRINT_NOT_SENT);
  assert_int_equal(send_one("stopped", &res, msg, sizeof msg), VC_E_IO);
  assert_has(msg, "printer 'stopped' is stopped");
  assert_has(msg, "paused by the test");
  assert_has(msg, "cupsenable stopped");
  assert_int_equal(res.job_id, 0);
  assert_int_equal(send_one("rejecting", &res, msg, sizeof msg), VC_E_IO);
  assert_has(msg, "printer 'rejecting' is not accepting jobs");
  assert_has(msg, "closed by the test");
  assert_int_equal(res.job_id, 0);
  assert_int_equal(sh(NULL, "CUPS_SERVER=%s lpstat -o stopped rejecting | grep -q .", g_server), 1); /* no job at all */
}

static void test_device_fails(void **state) {
  char msg[1024];
  vc_print_result_t res;
  assert_int_equal(send_one("broken", &res, msg, sizeof msg), VC_OK);
  vc_diag_t *d = vc_diag_create();
  vc_print_t *p = vc_print_open(g_server, d);
  assert_int_equal(vc_print_follow(p, "broken", &quick, &res, d), VC_E_IO);
  assert_int_equal(res.outcome, VC_PRINT_PRINTER_STOPPED);
  assert_has(first_msg(d), "printer 'broken' stopped");
  assert_has(first_msg(d), "device failed");
  assert_has(first_msg(d), "not counted as printed");
  vc_print_close(p);
  vc_diag_free(d);
}

static int stop_at_processing(const vc_print_progress_t *pr, void *ud) {
  return !strcmp(pr->state, "processing");
}

static void test_pending_held_cancelled(void **state) {
  char msg[1024];
  vc_print_result_t first, second, third;
  assert_int_equal(send_one("slow", &first, msg, sizeof msg), VC_OK);
  assert_int_equal(send_one("slow", &second, msg, sizeof msg), VC_OK);
  assert_int_equal(send_one("slow", &third, msg, sizeof msg), VC_OK);
  vc_diag_t *d = vc_diag_create();
  vc_print_t *p = vc_print_open(g_server, d);
  /* The first prints for ever: the caller stops following it. */
  vc_print_follow_t f = quick;
  f.progress = stop_at_processing;
  assert_int_equal(vc_print_follow(p, "slow", &f, &first, d), VC_E_CANCELLED);
  assert_int_equal(first.outcome, VC_PRINT_LEFT);
  assert_has(first_msg(d), "stays in the queue");
  vc_diag_clear(d);
  /* Ctrl-C (the cancel flag) stops following too. */
  volatile sig_atomic_t stop = 1;
  f = quick;
  f.cancel = &stop;
  assert_int_equal(vc_print_follow(p, "slow", &f, &first, d), VC_E_CANCELLED);
  assert_int_equal(first.outcome, VC_PRINT_LEFT);
  vc_diag_clear(d);
  /* The second waits behind it past the timeout. */
  f = quick;
  f.pending_timeout_ms = 800;
  assert_int_equal(vc_print_follow(p, "slow", &f, &second, d), VC_E_IO);
  assert_int_equal(second.outcome, VC_PRINT_TIMEOUT);
  assert_has(first_msg(d), "waited on printer 'slow' for more than 1 s");
  vc_print_progress_t pr = {7, "slow", "processing", "job-printing", 2, VC_PRINTER_PROCESSING,
                            "media-empty-error", "Paper out"};
  char line[256];
  assert_string_equal(vc_print_progress_line(&pr, line, sizeof line),
                      "job 7 on 'slow': processing, 2 pages printed; printer: media-empty-error: "
                      "\"Paper out\"");
  assert_has(first_msg(d), "media-empty-warning"); /* the printer's reason, from the device */
  vc_diag_clear(d);
  /* The third is held. */
  assert_int_equal(sh(NULL, "CUPS_SERVER=%s lp -i %d -H hold >/dev/null 2>&1", g_server, third.job_id), 0);
  assert_int_equal(vc_print_follow(p, "slow", &quick, &third, d), VC_E_IO);
  assert_int_equal(third.outcome, VC_PRINT_HELD);
  assert_has(first_msg(d), "is held (job-hold-until-specified)");
  vc_diag_clear(d);
  /* Cancelled jobs are not printed. */
  assert_int_equal(vc_print_cancel(p, "slow", second.job_id, d), VC_OK);
  assert_int_equal(vc_print_follow(p, "slow", &quick, &second, d), VC_E_IO);
  assert_int_equal(second.outcome, VC_PRINT_CANCELLED);
  assert_has(first_msg(d), "was cancelled");
  vc_print_cancel(p, "slow", third.job_id, d);
  vc_diag_clear(d);
  /* A job CUPS does not know is not taken for printed. */
  vc_print_result_t ghost = {.job_id = 999999};
  assert_int_equal(vc_print_follow(p, "slow", &quick, &ghost, d), VC_E_IO);
  assert_int_equal(ghost.outcome, VC_PRINT_UNKNOWN);
  assert_has(first_msg(d), "does not know job 999999");
  vc_print_close(p);
  vc_diag_free(d);
}

/* The jobs of a big run (issue 10, point 4): at most 5,000 pages each, in
 * order, the last one holding the rest. */
static void test_plan(void **state) {
  long first, count;
  assert_int_equal(vc_print_plan(5000, 0, 0, &first, &count), 1);
  assert_int_equal(first, 0);
  assert_int_equal(count, 5000);
  assert_int_equal(vc_print_plan(5001, VC_PRINT_MAX_PAGES, 1, &first, &count), 2);
  assert_int_equal(first, 5000);
  assert_int_equal(count, 1);
  assert_int_equal(vc_print_plan(10001, 5000, 0, &first, &count), 3);
  assert_int_equal(count, 5000);
  vc_print_plan(10001, 5000, 1, &first, &count);
  assert_int_equal(first, 5000);
  assert_int_equal(count, 5000);
  vc_print_plan(10001, 5000, 2, &first, &count);
  assert_int_equal(first, 10000);
  assert_int_equal(count, 1);
  vc_print_plan(10001, 5000, 3, &first, &count); /* past the end: nothing */
  assert_int_equal(count, 0);
  assert_int_equal(vc_print_plan(7, 3, 2, &first, &count), 3);
  assert_int_equal(first, 6);
  assert_int_equal(count, 1);
  assert_int_equal(vc_print_plan(0, 3, 0, NULL, NULL), 0);
}

/* A PDF file cut with qpdf: the pages asked for, in order, nothing else;
 * a file that is not a PDF is said so. */
static void test_pdf_parts(void **state) {
  char path[128], part[128], *out = NULL;
  snprintf(path, sizeof path, "%s/seven.pdf", g_dir);
  snprintf(part, sizeof part, "%s/seven-2.pdf", g_dir);
  make_pdf(path, "seven", 7, NULL, NULL);
  vc_diag_t *d = vc_diag_create();
  assert_int_equal(vc_print_pdf_pages(path, d), 7);
  assert_int_equal(vc_print_pdf_extract(path, 3, 3, part, d), VC_OK);
  assert_int_equal(vc_diag_count(d), 0);
  assert_int_equal(sh(&out, "pdftotext %s - | grep -o 'page [0-9] of 7' | tr '\\n' ,", part), 0);
  assert_string_equal(out, "page 4 of 7,page 5 of 7,page 6 of 7,");
  free(out);
  assert_int_equal(vc_print_pdf_pages("Makefile", d), -1);
  assert_int_equal(vc_diag_get(d, 0)->status, VC_E_INPUT);
  assert_has(first_msg(d), "is not a PDF");
  vc_diag_clear(d);
  assert_int_equal(vc_print_pdf_extract(path, 7, 2, part, d), VC_E_IO); /* pages 8-9 of 7 */
  assert_has(first_msg(d), "could not be copied");
  vc_diag_free(d);
}

/* One look at a job sent earlier: its end, a job of another queue (another
 * server's id), a job CUPS does not know. */
static void test_job_state(void **state) {
  char path[128];
  snprintf(path, sizeof path, "%s/state.pdf", g_dir);
  make_pdf(path, "state", 1, NULL, NULL);
  vc_diag_t *d = vc_diag_create();
  vc_print_t *p = vc_print_open(g_server, d);
  vc_print_result_t res = {0};
  assert_int_equal(vc_print_file(p, "pdf", path, "state", NULL, &quick, &res, d), VC_OK);
  vc_print_outcome_t o;
  assert_int_equal(vc_print_job_state(p, "pdf", res.job_id, &o, d), VC_OK);
  assert_int_equal(o, VC_PRINT_COMPLETED);
  assert_int_equal(vc_print_job_state(p, "broken", res.job_id, &o, d), VC_OK);
  assert_int_equal(o, VC_PRINT_NOT_SENT);
  assert_int_equal(vc_print_job_state(p, "pdf", 987654, &o, d), VC_OK);
  assert_int_equal(o, VC_PRINT_UNKNOWN);
  assert_int_equal(vc_diag_count(d), 0);
  vc_print_close(p);
  vc_diag_free(d);
}

static void test_volumes(void **state) {
  char paths[3][128];
  const char *pp[3];
  const int pages[3] = {2, 1, 3};
  for (int i = 0; i < 3; i++) {
    char label[32];
    snprintf(paths[i], sizeof paths[i], "%s/vol-%d.pdf", g_dir, i + 1);
    snprintf(label, sizeof label, "volume %d", i + 1);
    make_pdf(paths[i], label, pages[i], NULL, NULL);
    pp[i] = paths[i];
  }
  vc_diag_t *d = vc_diag_create();
  vc_print_t *p = vc_print_open(g_server, d);
  vc_print_result_t res[3];
  assert_int_equal(vc_print_volumes(p, "pdf", pp, 3, "Giấy khen", NULL, &quick, NULL, NULL, res, d), VC_OK);
  for (int i = 0; i < 3; i++) {
    char label[32], title[64], *got = NULL;
    assert_int_equal(res[i].outcome, VC_PRINT_COMPLETED);
    if (i) assert_true(res[i].job_id > res[i - 1].job_id); /* in order */
    assert_int_equal(printed_pages(res[i].job_id), pages[i]);
    char *text = printed_text(res[i].job_id);
    snprintf(label, sizeof label, "volume %d page %d of %d", i + 1, pages[i], pages[i]);
    assert_has(text, label);
    free(text);
    snprintf(title, sizeof title, "Giấy khen (%d/3)", i + 1);
    assert_int_equal(sh(&got, "cat %s/out/job-%d.title", g_srv, res[i].job_id), 0);
    assert_string_equal(got, title);
    free(got);
  }
  /* A fault stops the run: the later volumes are not sent. */
  assert_int_equal(vc_print_volumes(p, "stopped", pp, 3, "x", NULL, &quick, NULL, NULL, res, d), VC_E_IO);
  assert_int_equal(res[0].outcome, VC_PRINT_NOT_SENT);
  assert_int_equal(res[2].outcome, VC_PRINT_NOT_SENT);
  assert_int_equal(vc_diag_count(d), 2);
  assert_has(vc_diag_get(d, 1)->msg, "volumes 2 to 3 of 'x' were not sent");
  vc_print_close(p);
  vc_diag_free(d);
}

/* A hook that cannot record the job it is told of: it is gone from CUPS
 * already (cancelled here), so vncert's own cancel fails too. */
static vc_status_t unrecordable(size_t i, const vc_print_result_t *res, void *ud,
                                vc_diag_t *d) {
  (void)i;
  vc_print_cancel(ud, "slow", res->job_id, d);
  vc_diag_add(d, VC_E_IO, "so.sqlite", 0, 0, "ledger is locked");
  return VC_E_IO;
}

/* A job neither recorded nor cancelled is said (a warning naming it): it
 * may still print, unaccounted for. */
static void test_volume_unrecorded(void **state) {
  char path[128], want[128];
  snprintf(path, sizeof path, "%s/unrec.pdf", g_dir);
  make_pdf(path, "unrecorded", 1, NULL, NULL);
  const char *pp[1] = {path};
  vc_diag_t *d = vc_diag_create();
  vc_print_t *p = vc_print_open(g_server, d);
  vc_print_result_t res[1];
  assert_int_equal(vc_print_volumes(p, "slow", pp, 1, "x", NULL, &quick, unrecordable, p, res, d),
                   VC_E_IO);
  assert_true(res[0].job_id > 0);
  assert_int_not_equal(res[0].outcome, VC_PRINT_CANCELLED);
  snprintf(want, sizeof want, "job %d on printer 'slow' could not be recorded nor cancelled",
           res[0].job_id);
  bool said = false;
  for (size_t i = 0; i < vc_diag_kept(d); i++)
    if (vc_diag_get(d, i)->status == VC_WARN && strstr(vc_diag_get(d, i)->msg, want))
      said = true;
  if (!said) vc_diag_print(d, stderr);
  assert_true(said);
  vc_print_close(p);
  vc_diag_free(d);
}

/* The scheduler stopped while a job is followed (the callback stops it). */
static int stop_server(const vc_print_progress_t *pr, void *ud) {
  int *done = ud;
  if (!*done) {
    *done = 1;
    sh(NULL, "%s stop %s >/dev/null 2>&1", g_script, g_srv);
  }
  return 0;
}

static void test_server_gone(void **state) {
  char msg[1024];
  vc_print_result_t res;
  assert_int_equal(send_one("slow", &res, msg, sizeof msg), VC_OK);
  vc_diag_t *d = vc_diag_create();
  vc_print_t *p = vc_print_open(g_server, d);
  int done = 0;
  vc_print_follow_t f = {.poll_ms = 100, .server_grace_ms = 600, .progress = stop_server,
                         .progress_ud = &done};
  assert_int_equal(vc_print_follow(p, "slow", &f, &res, d), VC_E_IO);
  assert_int_equal(res.outcome, VC_PRINT_SERVER_GONE);
  assert_has(first_msg(d), "stopped answering");
  assert_has(first_msg(d), "not counted as printed");
  vc_print_close(p);
  vc_diag_clear(d);
  /* And a server that is not running at all. */
  assert_null(vc_print_open(g_server, d));
  assert_has(first_msg(d), "cannot reach the CUPS print server");
  assert_has(first_msg(d), "is CUPS running?");
  vc_diag_free(d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_queues),
      cmocka_unit_test(test_caps_and_options),
      cmocka_unit_test(test_print_memory),
      cmocka_unit_test(test_print_file_options),
      cmocka_unit_test(test_refused_queues),
      cmocka_unit_test(test_device_fails),
      cmocka_unit_test(test_pending_held_cancelled),
      cmocka_unit_test(test_plan),
      cmocka_unit_test(test_job_state),
      cmocka_unit_test(test_pdf_parts),
      cmocka_unit_test(test_volumes),
      cmocka_unit_test(test_volume_unrecorded),
      cmocka_unit_test(test_server_gone), /* last: it stops the server */
  };
  return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
