/*
 * diag.c - the diagnostics list (see diag.h).
 */
#include "core/diag.h"

#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/mem.h"
#include "core/text.h"

struct vc_diag {
  vc_diag_item_t *items;
  size_t kept, cap;
  size_t total;      /* problems recorded, kept or not */
  size_t warnings;   /* warnings recorded, kept or not */
  size_t kept_warn;  /* warnings among the kept items */
};

vc_diag_t *vc_diag_create(void) { return calloc(1, sizeof(vc_diag_t)); }

static void item_free(vc_diag_item_t *it) {
  free((char *)it->file);
  free((char *)it->msg);
}

void vc_diag_clear(vc_diag_t *d) {
  if (!d) return;
  for (size_t i = 0; i < d->kept; i++) item_free(&d->items[i]);
  d->kept = d->total = d->warnings = d->kept_warn = 0;
}

void vc_diag_free(vc_diag_t *d) {
  if (!d) return;
  vc_diag_clear(d);
  free(d->items);
  free(d);
}

void vc_diag_addv(vc_diag_t *d, vc_status_t st, const char *file, int line,
                  int col, const char *fmt, va_list ap) {
  if (!d) return;
  if (vc_status_is_warning(st))
    d->warnings++;
  else
    d->total++;
  if (d->kept >= VC_DIAG_MAX) return;
  if (!vc_array_grow(&d->items, d->kept, &d->cap, sizeof *d->items, 16))
    return; /* counted, not kept: better than failing the caller */
  /* the message in the user's language: callers pass English literals,
   * extracted by xgettext (--keyword=vc_diag_add:6) into po/vncert.pot.
   * Most fit the stack buffer; a longer one (a list of names, Vietnamese
   * text at two or three bytes a letter) gets the heap, up to a cap. */
  enum { SHORT = 1024, CAP = 8192 };
  char small[SHORT], *buf = small;
  size_t size = sizeof small;
  const char *f = vc__gettext(fmt);
  va_list again;
  va_copy(again, ap);
  int n = vsnprintf(small, sizeof small, f, ap);
  if (n >= SHORT) {
    size = (size_t)n < CAP ? (size_t)n + 1 : CAP;
    char *big = malloc(size);
    if (big) {
      buf = big;
      n = vsnprintf(buf, size, f, again);
    } else {
      size = sizeof small; /* the cut message is better than none */
    }
  }
  va_end(again);
  if (n < 0) buf[0] = '\0'; /* a bad conversion: the item is still kept */
  if (n >= (int)size) { /* cut between characters, not inside one */
    size_t k = size - 1;
    while (k > 0 && ((unsigned char)buf[k] & 0xC0) == 0x80) k--;
    buf[k] = '\0';
  }
  vc_diag_item_t *it = &d->items[d->kept];
  it->status = st;
  it->file = file ? vc_text_escape(file, strlen(file), false) : NULL;
  it->line = line;
  it->col = col;
  it->msg = vc_text_escape(buf, strlen(buf), true); /* a list may take lines */
  if (buf != small) free(buf);
  if (!it->msg || (file && !it->file)) {
    free((char *)it->file);
    free((char *)it->msg);
    return;
  }
  d->kept++;
  if (vc_status_is_warning(st)) d->kept_warn++;
}

void vc_diag_add(vc_diag_t *d, vc_status_t st, const char *file, int line,
                 int col, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vc_diag_addv(d, st, file, line, col, fmt, ap);
  va_end(ap);
}

size_t vc_diag_count(const vc_diag_t *d) { return d ? d->total : 0; }
size_t vc_diag_kept(const vc_diag_t *d) { return d ? d->kept : 0; }
size_t vc_diag_warnings(const vc_diag_t *d) { return d ? d->warnings : 0; }

const vc_diag_item_t *vc_diag_get(const vc_diag_t *d, size_t i) {
  return (d && i < d->kept) ? &d->items[i] : NULL;
}

vc_status_t vc_diag_status(const vc_diag_t *d) {
  if (!d || d->total == 0) return VC_OK;
  for (size_t i = 0; i < d->kept; i++)
    if (!vc_status_is_warning(d->items[i].status)) return d->items[i].status;
  return VC_E_INTERNAL;
}

void vc_diag_print(const vc_diag_t *d, FILE *fp) {
  if (!d) return;
  for (size_t i = 0; i < d->kept; i++) {
    const vc_diag_item_t *it = &d->items[i];
    if (it->file) fputs(it->file, fp), fputc(':', fp);
    if (it->line > 0) fprintf(fp, "%d:", it->line);
    if (it->line > 0 && it->col > 0) fprintf(fp, "%d:", it->col);
    fprintf(fp, "%s%s%s\n", (it->file || it->line) ? " " : "",
            vc_status_is_warning(it->status) ? _("warning: ") : "", it->msg);
  }
  size_t shown = d->kept - d->kept_warn;
  if (d->total > shown)
    fprintf(fp, vc__ngettext("(%zu more problem not shown)\n",
                             "(%zu more problems not shown)\n",
                             d->total - shown),
            d->total - shown);
}

int vc_status_exit_code(vc_status_t st) {
  switch (st) {
  case VC_OK: return 0;
  case VC_WARN: return 0;
  case VC_E_USAGE: return 2;
  case VC_E_CANCELLED: return 130; /* as a shell reports Ctrl-C */
  default: return 1;
  }
}

const char *vc_status_name(vc_status_t st) {
  static const char *names[] = {"ok",   "input", "usage", "io",      "limit",
                                "font", "nomem", "pdf",   "internal",
                                "cancelled", "warning"};
  return (unsigned)st < sizeof names / sizeof *names ? names[st] : "?";
}
