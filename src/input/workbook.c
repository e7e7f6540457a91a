/*
 * workbook.c - reading an .xlsx or .ods file (see workbook.h): the ZIP
 * archive through libzip (from memory), each XML part through expat, and
 * the helpers both formats share.  The formats themselves are in
 * workbook-xlsx.c and workbook-ods.c, rows into a table in
 * workbook-sheet.c, number formats in workbook-format.c, the archive's
 * entries in workbook-zip.c.
 *
 * Safety, for files that may come from anywhere:
 *  - every part is read as a stream and its uncompressed bytes are counted
 *    as they come (never trusting the sizes the archive claims), against a
 *    per-part and a whole-workbook cap: a ZIP bomb stops at the cap;
 *  - a DOCTYPE is refused outright: spreadsheets never have one, and it is
 *    where entity expansion ("billion laughs") and external entities live;
 *  - element nesting is capped; values longer than VC_CSV_MAX_FIELD are
 *    refused with a message rather than gathered.
 *  - the thread runs in the "C" locale while reading (uselocale), so
 *    strtod and snprintf use '.' whatever LC_ALL says.
 */
#include "input/workbook.h"

#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/text.h"
#include "input/workbook-private.h"

/* True when buf starts like a ZIP archive's first local file header. */
bool vc_workbook_sniff(const char *buf, size_t len) {
  return buf && len >= 4 && memcmp(buf, "PK\x03\x04", 4) == 0;
}

/* ---- reporting ---- */

/* Reports a fatal workbook-level problem and marks the read as failed. */
void vc__wb_fail(vc_wb_t *w, vc_status_t st, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vc_diag_addv(w->d, st, w->name, 0, 0, fmt, ap);
  va_end(ap);
  w->failed = true;
}

/* Stops the parse of the current part without error. */
void vc__wb_xml_stop(vc_wb_xml_t *x) {
  if (!x->stop) XML_StopParser(x->p, XML_FALSE);
  x->stop = true;
}

/* Reports a fatal problem found in the part being parsed, and stops. */
void vc__wb_xml_fail(vc_wb_xml_t *x, vc_status_t st, const char *fmt, ...) {
  if (x->w->failed) { /* one fatal message is enough */
    vc__wb_xml_stop(x);
    return;
  }
  va_list ap;
  va_start(ap, fmt);
  vc_diag_addv(x->w->d, st, x->w->name, 0, 0, fmt, ap);
  va_end(ap);
  x->w->failed = true;
  vc__wb_xml_stop(x);
}

/* ---- names and namespaces ---- */

static const struct {
  const char *uri;
  int id;
} known_ns[] = {
    {"http://schemas.openxmlformats.org/spreadsheetml/2006/main", VC_NS_SSML},
    {"http://purl.oclc.org/ooxml/spreadsheetml/main", VC_NS_SSML},
    {"http://schemas.openxmlformats.org/officeDocument/2006/relationships", VC_NS_OREL},
    {"http://purl.oclc.org/ooxml/officeDocument/relationships", VC_NS_OREL},
    {"http://schemas.openxmlformats.org/package/2006/relationships", VC_NS_PREL},
    {"urn:oasis:names:tc:opendocument:xmlns:office:1.0", VC_NS_OFFICE},
    {"urn:oasis:names:tc:opendocument:xmlns:table:1.0", VC_NS_TABLE},
    {"urn:oasis:names:tc:opendocument:xmlns:text:1.0", VC_NS_TEXT},
    {"urn:oasis:names:tc:opendocument:xmlns:style:1.0", VC_NS_STYLE},
    {"http://www.w3.org/XML/1998/namespace", VC_NS_XML},
};

/* Id of the namespace URI u[0..n), through a small cache: the same few URIs
 * come on every element. */
static int ns_id(vc_wb_xml_t *x, const char *u, size_t n) {
  for (unsigned i = 0; i < 4; i++)
    if (x->nscache[i].len == n && memcmp(x->nscache[i].uri, u, n) == 0) {
      x->nslast = i;
      return x->nscache[i].id;
    }
  int id = VC_NS_OTHER;
  for (size_t i = 0; i < sizeof known_ns / sizeof known_ns[0]; i++)
    if (strlen(known_ns[i].uri) == n && memcmp(known_ns[i].uri, u, n) == 0) {
      id = known_ns[i].id;
      break;
    }
  if (n < sizeof x->nscache[0].uri) {
    unsigned k = x->nsnext++ % 4;
    x->nslast = k;
    memcpy(x->nscache[k].uri, u, n);
    x->nscache[k].len = n;
    x->nscache[k].id = id;
  }
  return id;
}

/* Splits expat's "URI\nlocal" (or "local") into a namespace id and the local
 * name. */
static const char *split_name(vc_wb_xml_t *x, const char *name, int *ns) {
  /* the URI of the last element first: one compare instead of a scan */
  unsigned last = x->nslast;
  size_t ln = x->nscache[last].len;
  if (ln && strncmp(name, x->nscache[last].uri, ln) == 0 && name[ln] == '\n') {
    *ns = x->nscache[last].id;
    return name + ln + 1;
  }
  const char *sep = strchr(name, '\n');
  if (!sep) {
    *ns = VC_NS_NONE;
    return name;
  }
  *ns = ns_id(x, name, (size_t)(sep - name));
  return sep + 1;
}

/* Value of attribute (ns, local), or NULL. */
const char *vc__wb_attr(vc_wb_xml_t *x, const char **atts, int ns, const char *local) {
  for (size_t i = 0; atts[i]; i += 2) {
    const char *a = atts[i];
    if (ns == VC_NS_NONE) { /* an unprefixed name has no '\n' */
      if (strcmp(a, local) == 0) return atts[i + 1];
      continue;
    }
    int ans;
    const char *l = split_name(x, a, &ans);
    if (ans == ns && strcmp(l, local) == 0) return atts[i + 1];
  }
  return NULL;
}

/* ---- expat callbacks ---- */

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **atts) {
  vc_wb_xml_t *x = ud;
  x->unheard = 0;
  if (x->stop) return;
  if (++x->depth > VC_WB_MAX_DEPTH) {
    vc__wb_xml_fail(x, VC_E_LIMIT,
                   "the part %s nests XML elements more than %d deep: this is not a "
                   "spreadsheet vncert can read",
                   x->part, VC_WB_MAX_DEPTH);
    return;
  }
  int ns;
  const char *local = split_name(x, name, &ns);
  if (x->start) x->start(x, ns, local, atts);
}

static void XMLCALL on_end(void *ud, const XML_Char *name) {
  vc_wb_xml_t *x = ud;
  x->unheard = 0;
  if (x->stop) return;
  int ns;
  const char *local = split_name(x, name, &ns);
  if (x->end) x->end(x, ns, local);
  x->depth--;
}

/* Appends to the gathered text (see workbook-private.h). */
void vc__wb_xml_append(vc_wb_xml_t *x, const char *s, size_t n) {
  if (x->stop) return;
  if (x->tlen + n > VC_CSV_MAX_FIELD) {
    x->tlong = true;
    n = VC_CSV_MAX_FIELD - x->tlen;
    if (!n) return;
  }
  if (x->tlen + n + 1 > x->tcap) {
    size_t cap = x->tcap ? x->tcap : 256;
    while (cap < x->tlen + n + 1) cap *= 2;
    char *t = realloc(x->text, cap);
    if (!t) {
      vc__wb_xml_fail(x, VC_E_NOMEM, "out of memory");
      return;
    }
    x->text = t;
    x->tcap = cap;
  }
  memcpy(x->text + x->tlen, s, n);
  x->tlen += n;
  x->text[x->tlen] = '\0';
}

static void XMLCALL on_chars(void *ud, const XML_Char *s, int len) {
  vc_wb_xml_t *x = ud;
  x->unheard = 0;
  if (x->collect && len > 0) vc__wb_xml_append(x, s, (size_t)len);
}

/* Anything else expat finds whole (see xml_feed). */
static void XMLCALL on_comment(void *ud, const XML_Char *data) {
  (void)data;
  ((vc_wb_xml_t *)ud)->unheard = 0;
}
static void XMLCALL on_pi(void *ud, const XML_Char *target, const XML_Char *data) {
  (void)target, (void)data;
  ((vc_wb_xml_t *)ud)->unheard = 0;
}
static void XMLCALL on_decl(void *ud, const XML_Char *version, const XML_Char *encoding,
                            int standalone) {
  (void)version, (void)encoding, (void)standalone;
  ((vc_wb_xml_t *)ud)->unheard = 0;
}

/* Spreadsheets never carry a DOCTYPE; refusing it closes the door on entity
 * expansion and external entities whatever expat's own protections. */
static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
                               const XML_Char *pubid, int has_internal) {
  vc_wb_xml_t *x = ud;
  vc__wb_xml_fail(x, VC_E_INPUT,
                 "the part %s has a DOCTYPE declaration, which no spreadsheet has: the "
                 "file was not written by a spreadsheet program and is refused",
                 x->part);
}

static void XMLCALL on_entity(void *ud, const XML_Char *name, int is_param,
                              const XML_Char *value, int value_len, const XML_Char *base,
                              const XML_Char *sysid, const XML_Char *pubid,
                              const XML_Char *notation) {
  vc_wb_xml_t *x = ud;
  vc__wb_xml_fail(x, VC_E_INPUT, "the part %s declares XML entities: refused", x->part);
}

/* Starts gathering character data; clear drops what was gathered before. */
void vc__wb_xml_collect(vc_wb_xml_t *x, bool clear) {
  x->collect = true;
  if (clear) {
    x->tlen = 0;
    x->tlong = false;
    if (x->text) x->text[0] = '\0';
  }
}

static void *xml_getbuf(void *ud) {
  vc_wb_xml_t *x = ud;
  return XML_GetBuffer(x->p, (int)VC_WB_CHUNK);
}

/* Hands n bytes to expat; false when parsing is over (stopped or failed).
 * expat gathers a tag with its attributes (or a comment) whole before
 * reporting it, and looks at all of it again on each chunk: a 255 MB
 * attribute in a 300 KB workbook would take minutes and 255 MB.  Every
 * callback resets `unheard`; when VC_WB_MAX_TOKEN bytes have gone in with
 * no callback, the part is refused (a chunk counts whole: a token of up to
 * VC_WB_MAX_TOKEN - CHUNK bytes always passes).  Text is reported as it
 * comes, so a long value never counts here (its own cap is in
 * vc__wb_xml_append). */
static bool xml_feed(void *ud, size_t n, bool last) {
  vc_wb_xml_t *x = ud;
  x->unheard += n;
  if (x->unheard > VC_WB_MAX_TOKEN && !x->stop) {
    vc__wb_fail(x->w, VC_E_LIMIT,
               N_("the workbook cannot be read: its part %s has an XML tag, attribute or "
                  "comment longer than %u MB, which spreadsheet programs never write (the "
                  "file is damaged or was not made by one)"),
               x->part, VC_WB_MAX_TOKEN >> 20);
    return false;
  }
  if (XML_ParseBuffer(x->p, (int)n, last) == XML_STATUS_ERROR) {
    if (!x->stop) {
      enum XML_Error e = XML_GetErrorCode(x->p);
      if (e == XML_ERROR_NO_MEMORY)
        vc__wb_fail(x->w, VC_E_NOMEM, N_("out of memory"));
      else
        vc__wb_fail(x->w, VC_E_INPUT,
                   N_("the workbook is damaged: its part %s is not well-formed XML (line "
                      "%lu, column %lu: %s)"),
                   x->part, (unsigned long)XML_GetCurrentLineNumber(x->p),
                   (unsigned long)XML_GetCurrentColumnNumber(x->p) + 1, XML_ErrorString(e));
    }
    return false;
  }
  return !x->stop;
}

/* Parses a part with x's handlers (see workbook-private.h). */
int vc__wb_parse_part(vc_wb_xml_t *x, const char *part) {
  vc_wb_t *w = x->w;
  x->part = vc_text_shorten(part, x->pshort, sizeof x->pshort);
  x->depth = 0;
  x->stop = false;
  x->collect = false;
  x->tlen = 0;
  x->tlong = false;
  x->nsnext = x->nslast = 0;
  x->unheard = 0;
  memset(x->nscache, 0, sizeof x->nscache);
  x->p = XML_ParserCreateNS(NULL, '\n');
  if (!x->p) {
    vc__wb_fail(w, VC_E_NOMEM, N_("out of memory"));
    return -1;
  }
  XML_SetUserData(x->p, x);
  XML_SetElementHandler(x->p, on_start, on_end);
  XML_SetCharacterDataHandler(x->p, on_chars);
  XML_SetCommentHandler(x->p, on_comment);
  XML_SetProcessingInstructionHandler(x->p, on_pi);
  XML_SetXmlDeclHandler(x->p, on_decl);
  XML_SetStartDoctypeDeclHandler(x->p, on_doctype);
  XML_SetEntityDeclHandler(x->p, on_entity);
  XML_SetParamEntityParsing(x->p, XML_PARAM_ENTITY_PARSING_NEVER);
  int rc = vc__wb_read_entry(w, part, false, xml_getbuf, xml_feed, x);
  XML_ParserFree(x->p);
  x->p = NULL;
  free(x->text);
  x->text = NULL;
  x->tcap = x->tlen = 0;
  if (rc == 1 && w->failed) rc = -1;
  return rc;
}

/* ---- small parsers ---- */

/* Parses a plain decimal number (see workbook-private.h). */
bool vc__wb_parse_double(const char *s, size_t n, double *out) {
  char tmp[400];
  if (n == 0 || n >= sizeof tmp) return false;
  size_t i = 0, digits = 0;
  if (s[i] == '-' || s[i] == '+') i++;
  while (i < n && s[i] >= '0' && s[i] <= '9') i++, digits++;
  if (i < n && s[i] == '.') {
    i++;
    while (i < n && s[i] >= '0' && s[i] <= '9') i++, digits++;
  }
  if (!digits) return false;
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    i++;
    if (i < n && (s[i] == '-' || s[i] == '+')) i++;
    size_t ed = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9') i++, ed++;
    if (!ed) return false;
  }
  if (i != n) return false;
  if (n <= 15 && digits == n) { /* plain integers (most cells): exact, no strtod */
    double v = 0;
    for (size_t k = 0; k < n; k++) v = v * 10 + (s[k] - '0');
    *out = v;
    return true;
  }
  memcpy(tmp, s, n);
  tmp[n] = '\0';
  double v = strtod(tmp, NULL); /* the C locale is in force (see top) */
  if (v != v) return false;
  /* out of range gives +-HUGE_VAL: keep it, the formatter shows it plainly */
  *out = v;
  return true;
}

/* Parses digits only, saturating at max. */
bool vc__wb_parse_long(const char *s, long max, long *out) {
  if (!s || !*s) return false;
  long v = 0;
  for (; *s; s++) {
    if (*s < '0' || *s > '9') return false;
    if (v <= max) v = v * 10 + (*s - '0');
  }
  *out = v > max ? max : v;
  return true;
}

/* "B7" for column 1 (0-based), row 7. */
void vc__wb_cellref(long col0, long row, char *out, size_t outlen) {
  char letters[16];
  int k = sizeof letters - 1;
  letters[k] = '\0';
  long c = col0 + 1;
  if (c < 1) c = 1;
  while (c > 0 && k > 0) {
    c--;
    letters[--k] = (char)('A' + c % 26);
    c /= 26;
  }
  snprintf(out, outlen, "%s%ld", letters + k, row);
}

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Value of "_xHHHH_" at s[i..n), or -1. */
static long x_escape(const char *s, size_t i, size_t n) {
  if (i + 7 > n || s[i] != '_' || s[i + 1] != 'x' || s[i + 6] != '_') return -1;
  long v = 0;
  for (size_t k = i + 2; k < i + 6; k++) {
    int h = hexval(s[k]);
    if (h < 0) return -1;
    v = v * 16 + h;
  }
  return v;
}

/* Decodes _xHHHH_ escapes in place (see workbook-private.h). */
void vc__wb_unescape_x(char *s, size_t *n) {
  size_t len = *n;
  if (len < 7 || !memchr(s, '_', len)) return;
  size_t r = 0, w = 0;
  while (r < len) {
    long cp = s[r] == '_' ? x_escape(s, r, len) : -1;
    if (cp < 0) {
      s[w++] = s[r++];
      continue;
    }
    r += 7;
    if (cp >= 0xD800 && cp <= 0xDBFF) { /* a UTF-16 pair, as Excel writes */
      long lo = x_escape(s, r, len);
      if (lo >= 0xDC00 && lo <= 0xDFFF) {
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        r += 7;
      }
    }
    if (cp == '\t' || cp == '\n' || cp == '\r') {
      s[w++] = (char)cp;
    } else if (cp < 0x20 || cp == 0x7F) {
      /* other control characters cannot be shown: dropped */
    } else {
      w += vc_utf8_encode((int32_t)cp, s + w); /* a lone surrogate becomes U+FFFD */
    }
  }
  *n = w;
}

/* ---- choosing the sheet ---- */

/* Appends `"name"` (with " (hidden)") to a growing list message. */
static void list_sheets(char *out, size_t outlen, const char *const *names,
                        const bool *hidden, int n) {
  size_t len = 0;
  out[0] = '\0';
  for (int i = 0; i < n; i++) {
    char item[160], sh[100];
    snprintf(item, sizeof item, "%s\"%s\"%s", i ? ", " : "", vc_text_shorten(names[i], sh, sizeof sh),
             hidden[i] ? _(" (hidden)") : "");
    size_t k = strlen(item);
    if (len + k + 8 >= outlen) {
      snprintf(out + len, outlen - len, ", ...");
      return;
    }
    memcpy(out + len, item, k + 1);
    len += k;
  }
}

/* Picks the sheet to read (see workbook-private.h). */
int vc__wb_choose_sheet(vc_wb_t *w, const char *const *names, const bool *hidden, int n,
                       const char *want) {
  if (n == 0) {
    vc__wb_fail(w, VC_E_INPUT, N_("the workbook has no sheets"));
    return -1;
  }
  if (!want) {
    for (int i = 0; i < n; i++)
      if (!hidden[i]) return i;
    return 0;
  }
  int found = -1;
  char *wn = vc_text_nfc(want, strlen(want));
  for (int i = 0; i < n && found < 0 && wn; i++) {
    char *nn = vc_text_nfc(names[i], strlen(names[i]));
    if (nn && strcmp(nn, wn) == 0) found = i;
    free(nn);
  }
  free(wn);
  if (found >= 0) return found;
  char *wk = vc_text_fold_key(want);
  int nmatch = 0;
  for (int i = 0; i < n && wk && wk[0]; i++) {
    char *k = vc_text_fold_key(names[i]);
    if (k && strcmp(k, wk) == 0) {
      if (!nmatch) found = i;
      nmatch++;
    }
    free(k);
  }
  free(wk);
  if (nmatch == 1) return found;
  char list[640], sw[100];
  list_sheets(list, sizeof list, names, hidden, n);
  /* want comes from the command line: maybe not UTF-8, shown as given */
  if (nmatch > 1)
    vc__wb_fail(w, VC_E_USAGE,
               N_("--sheet \"%s\" matches several sheets (ignoring case and accents): "
                  "give the exact name; the sheets are %s"),
               vc_text_shorten(want, sw, sizeof sw), list);
  else
    vc__wb_fail(w, VC_E_USAGE, N_("there is no sheet \"%s\" in the workbook; its sheets are %s"),
               vc_text_shorten(want, sw, sizeof sw), list);
  return -1;
}

/* ---- the entry point ---- */

/* Message for a file libzip cannot open as an archive. */
static void open_error(vc_wb_t *w, zip_error_t *ze) {
  int code = zip_error_code_zip(ze);
  if (code == ZIP_ER_MEMORY)
    vc__wb_fail(w, VC_E_NOMEM, N_("out of memory"));
  else if (code == ZIP_ER_NOZIP)
    vc__wb_fail(w, VC_E_INPUT,
               N_("the file starts like an Excel (.xlsx) or OpenDocument (.ods) workbook but "
                  "is not a complete ZIP archive: it was cut short or damaged (copy it again)"));
  else
    vc__wb_fail(w, VC_E_INPUT,
               N_("the workbook is damaged (%s): open it in Excel and save it again"),
               zip_error_strerror(ze));
}

/* Tells xlsx from ods by the archive's contents and reads the sheet. */
static vc_table_t *dispatch(vc_wb_t *w, const char *sheet) {
  char *mime = vc__wb_read_small(w, "mimetype", 200);
  if (mime) {
    bool ods = strncmp(mime, "application/vnd.oasis.opendocument.spreadsheet", 46) == 0;
    if (!ods && strncmp(mime, "application/vnd.oasis.opendocument.", 35) == 0) {
      char sh[64];
      vc__wb_fail(w, VC_E_INPUT,
                 N_("the file is an OpenDocument document of another kind (%s), not a "
                    "spreadsheet"),
                 vc_text_shorten(mime + 35, sh, sizeof sh));
      free(mime);
      return NULL;
    }
    free(mime);
    if (ods) return vc__wb_ods_read(w, sheet);
  }
  if (vc__wb_has_part(w, "[Content_Types].xml") || vc__wb_has_part(w, "_rels/.rels"))
    return vc__wb_xlsx_read(w, sheet);
  if (vc__wb_has_part(w, "content.xml")) return vc__wb_ods_read(w, sheet);
  vc__wb_fail(w, VC_E_INPUT,
             N_("the file is a ZIP archive but not an Excel (.xlsx) or OpenDocument (.ods) "
                "spreadsheet"));
  return NULL;
}

/* The caller's locale with every category "C" but LC_MESSAGES: numbers
 * and text are read the same everywhere, and messages stay in the user's
 * language (dgettext follows the thread's LC_MESSAGES).  NULL: no memory. */
static locale_t c_but_messages(void) {
  locale_t base = duplocale(uselocale((locale_t)0));
  if (!base) return (locale_t)0;
  locale_t c = newlocale(LC_ALL_MASK & ~LC_MESSAGES_MASK, "C", base);
  if (!c) freelocale(base);
  return c;
}

/* Reads (fn NULL) or streams a workbook from memory (see workbook.h).  buf
 * is not modified and must stay valid during the call only.  The table is
 * the caller's. */
static vc_table_t *read_mem(const char *buf, size_t len, const char *name, const char *sheet,
                            const vc_shape_opts_t *shape, vc_shape_info_t *info,
                            vc_record_fn fn, void *ud, vc_diag_t *d) {
  if (info) memset(info, 0, sizeof *info);
  if (!name) name = "(input)";
  if (!buf && len) {
    vc_diag_add(d, VC_E_INTERNAL, name, 0, 0, "no data given");
    return NULL;
  }
  if (len > VC_CSV_MAX_BYTES) {
    vc_diag_add(d, VC_E_LIMIT, name, 0, 0,
                "the file is %zu MB, more than the %u MB vncert reads: split it",
                len >> 20, VC_CSV_MAX_BYTES >> 20);
    return NULL;
  }
  locale_t cloc = c_but_messages();
  if (!cloc) {
    vc_diag_add(d, VC_E_NOMEM, name, 0, 0, "out of memory");
    return NULL;
  }
  locale_t old = uselocale(cloc);
  vc_wb_t w = {.name = name, .d = d, .row = fn, .row_ud = ud, .shape = shape,
               .shape_info = info};
  vc_table_t *t = NULL;
  zip_error_t ze;
  zip_error_init(&ze);
  zip_source_t *src = zip_source_buffer_create(len ? buf : "", len, 0, &ze);
  if (src) w.zip = zip_open_from_source(src, ZIP_RDONLY, &ze);
  if (!w.zip) {
    if (src) zip_source_free(src);
    open_error(&w, &ze);
  } else if (zip_get_num_entries(w.zip, 0) > VC_WB_MAX_ENTRIES) {
    vc__wb_fail(&w, VC_E_LIMIT,
               N_("the workbook holds more than %d files: this is not a spreadsheet "
                  "vncert can read"),
               VC_WB_MAX_ENTRIES);
  } else {
    t = dispatch(&w, sheet);
    if (w.failed) { /* never half a table with a fatal problem */
      vc_table_free(t);
      t = NULL;
    } else if (!t) {
      vc__wb_fail(&w, VC_E_INTERNAL, N_("the workbook could not be read"));
    }
  }
  if (w.zip) zip_discard(w.zip);
  zip_error_fini(&ze);
  uselocale(old);
  freelocale(cloc);
  return t;
}

vc_table_t *vc_workbook_read_mem(const char *buf, size_t len, const char *name,
                                 const char *sheet, vc_diag_t *d) {
  return read_mem(buf, len, name, sheet, NULL, NULL, vc_table_add_record, NULL, d);
}

vc_table_t *vc_workbook_stream_mem(const char *buf, size_t len, const char *name,
                                   const char *sheet, const vc_shape_opts_t *shape,
                                   vc_shape_info_t *info, vc_record_fn fn, void *ud,
                                   vc_diag_t *d) {
  if (!fn) {
    vc_diag_add(d, VC_E_INTERNAL, name ? name : "(input)", 0, 0, "no record handler given");
    return NULL;
  }
  return read_mem(buf, len, name, sheet, shape, info, fn, ud, d);
}

/* An OpenDocument file stores its type first, uncompressed: "mimetype"
 * then "application/vnd.oasis.opendocument.spreadsheet". */
bool vc_workbook_is_ods(const char *buf, size_t len) {
  static const char mt[] = "opendocument.spreadsheet";
  if (!buf || len < 80 || memcmp(buf + 30, "mimetype", 8) != 0) return false;
  for (size_t i = 38; i + sizeof mt - 1 <= len && i < 120; i++)
    if (memcmp(buf + i, mt, sizeof mt - 1) == 0) return true;
  return false;
}
