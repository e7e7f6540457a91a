/*
 * print-reasons.c - CUPS's reasons as a person reads them (issue 14).
 *
 * printer-state-reasons and job-state-reasons are IPP keywords ("media-
 * empty-warning", "job-canceled-by-user"): code compares them as they are,
 * but a clerk under LANG=vi_VN.UTF-8 must read why the printer does not
 * print in Vietnamese.  Each keyword below is its own English description
 * (so English output stays the keywords, which people search for and
 * scripts grep), translated in po/vi.po; a -report/-warning/-error suffix
 * is said apart; a keyword not here (a vendor's) stays as it is.
 */
#include <string.h>

#include "core/i18n.h"
#include "print/print-private.h"

/* RFC 8011 5.4.12, PWG 5100.9, CUPS's own; then job-state-reasons
 * (RFC 8011 5.3.8, PWG 5100.7) that CUPS reports. */
static const char *const known[] = {
    /* TRANSLATORS: an IPP printer-state-reasons keyword: why the printer does
       not print, as a clerk reads it ("media-empty": "out of paper").  The
       English is the keyword itself; every keyword of the list below (ending
       with "cups-waiting-for-job-completed") is one of these. */
    N_("other"), N_("paused"), N_("shutdown"), N_("offline"), N_("connecting-to-device"),
    N_("timed-out"), N_("stopping"), N_("moving-to-paused"), N_("stopped-partly"),
    N_("hold-new-jobs"), N_("deactivated"), N_("media-needed"), N_("media-empty"),
    N_("media-low"), N_("media-jam"), N_("toner-low"), N_("toner-empty"),
    N_("marker-supply-low"), N_("marker-supply-empty"), N_("marker-waste-almost-full"),
    N_("marker-waste-full"), N_("opc-near-eol"), N_("opc-life-over"), N_("door-open"),
    N_("cover-open"), N_("interlock-open"), N_("input-tray-missing"),
    N_("output-tray-missing"), N_("output-area-almost-full"), N_("output-area-full"),
    N_("fuser-over-temp"), N_("fuser-under-temp"), N_("spool-area-full"),
    N_("cups-missing-filter"), N_("cups-insecure-filter"),
    N_("cups-waiting-for-job-completed"),
    /* TRANSLATORS: an IPP job-state-reasons keyword: where a print job is
       or why it ended ("job-canceled-by-user").  The English is the keyword
       itself; every keyword of the list below (ending with
       "cups-held-for-authentication") is one of these. */
    N_("job-incoming"), N_("job-data-insufficient"), N_("document-access-error"),
    N_("submission-interrupted"), N_("job-outgoing"), N_("job-hold-until-specified"),
    N_("resources-are-not-ready"), N_("printer-stopped-partly"), N_("printer-stopped"),
    N_("job-interpreting"), N_("job-queued"), N_("job-transforming"),
    N_("job-queued-for-marker"), N_("job-printing"), N_("job-canceled-by-user"),
    N_("job-canceled-by-operator"), N_("job-canceled-at-device"), N_("aborted-by-system"),
    N_("unsupported-document-format"), N_("document-format-error"),
    N_("processing-to-stop-point"), N_("service-off-line"), N_("job-completed-successfully"),
    N_("job-completed-with-warnings"), N_("job-completed-with-errors"),
    N_("job-restartable"), N_("queued-in-device"), N_("cups-held-for-authentication")};

/* The keyword of the table that s (len bytes) is, or NULL. */
static const char *lookup(const char *s, size_t len) {
  for (size_t i = 0; i < sizeof known / sizeof *known; i++)
    if (strlen(known[i]) == len && !strncmp(s, known[i], len)) return known[i];
  return NULL;
}

/* True when s (len bytes) ends with suffix, and what precedes it is a
 * keyword of the table (into *k). */
static bool severity(const char *s, size_t len, const char *suffix, const char **k) {
  size_t sl = strlen(suffix);
  return len > sl && !strncmp(s + len - sl, suffix, sl) && (*k = lookup(s, len - sl));
}

/* One keyword (len bytes at s) as a person reads it, into buf (n bytes). */
static void describe(const char *s, size_t len, char *buf, size_t n) {
  const char *k = lookup(s, len);
  if (k)
    snprintf(buf, n, "%s", _(k));
  else if (severity(s, len, "-report", &k))
    /* TRANSLATORS: a printer's reason said as a report (for information):
       %s is the reason described; "media-low-report" */
    snprintf(buf, n, _("%s-report"), _(k));
  else if (severity(s, len, "-warning", &k))
    /* TRANSLATORS: a printer's reason said as a warning (it still prints):
       %s is the reason described; "media-empty-warning" */
    snprintf(buf, n, _("%s-warning"), _(k));
  else if (severity(s, len, "-error", &k))
    /* TRANSLATORS: a printer's reason said as an error (it cannot print):
       %s is the reason described; "media-jam-error" */
    snprintf(buf, n, _("%s-error"), _(k));
  else
    snprintf(buf, n, "%.*s", (int)len, s);
}

void vc__print_reasons_clause(const char *reasons, char *buf, size_t n) {
  char rs[512];
  if (*vc_print_reasons_text(reasons, rs, sizeof rs))
    snprintf(buf, n, _("; reasons: %s"), rs);
  else if (n)
    buf[0] = '\0';
}

void vc__print_said(const char *message, char *buf, size_t n) {
  /* TRANSLATORS: %s is the printer's (or its administrator's) own message,
     never translated: it stays in double quotes */
  snprintf(buf, n, _("; the printer says: \"%s\""), message);
}

char *vc_print_reasons_text(const char *reasons, char *buf, size_t n) {
  size_t used = 0;
  char one[256];
  if (!buf || !n) return buf;
  buf[0] = '\0';
  for (const char *s = reasons ? reasons : ""; *s && used < n;) {
    s += strspn(s, ", ");
    size_t len = strcspn(s, ", ");
    if (!len) break;
    if (!(len == 4 && !strncmp(s, "none", 4))) {
      describe(s, len, one, sizeof one);
      int w = snprintf(buf + used, n - used, "%s%s", used ? ", " : "", one);
      if (w < 0) break;
      used += (size_t)w;
    }
    s += len;
  }
  return buf;
}
