/*
 * print-caps.c - what a queue's printer supports (copies, media, orientation,
 * sides), asked from the printer through cupsCopyDestInfo, and the check of
 * a job's options against it (issue 10, point 1).
 *
 * Why check before sending: CUPS accepts a job with options the printer
 * cannot do and quietly drops them (duplex on a simplex printer prints one
 * side), so the clerk learns at the printer; refusing first names what the
 * printer can do instead.
 */
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/text.h"
#include "print/print-private.h"

typedef struct strlist {
  char **v;
  size_t n;
} strlist_t;

struct vc_print_caps {
  char *queue;
  int copies_max;
  strlist_t media, orient, sides;
  char *media_def, *sides_def;
};

static const char *const orient_names[] = {"portrait", "landscape", "reverse-landscape",
                                           "reverse-portrait"}; /* IPP enums 3..6 */

static void strlist_free(strlist_t *l) {
  for (size_t i = 0; i < l->n; i++) free(l->v[i]);
  free(l->v);
}

/* Copies an attribute's values (keywords, or orientation enums as their
 * keywords) into l.  False on no memory. */
static bool strlist_from(strlist_t *l, ipp_attribute_t *a) {
  int c = a ? ippGetCount(a) : 0;
  if (c <= 0) return true;
  if (!(l->v = calloc((size_t)c, sizeof *l->v))) return false;
  for (int i = 0; i < c; i++) {
    const char *s;
    if (ippGetValueTag(a) == IPP_TAG_ENUM) {
      int e = ippGetInteger(a, i);
      if (e < 3 || e > 6) continue;
      s = orient_names[e - 3];
    } else {
      s = ippGetString(a, i, NULL);
    }
    if (!s) continue;
    if (!(l->v[l->n] = strdup(s))) return false;
    l->n++;
  }
  return true;
}

void vc_print_caps_free(vc_print_caps_t *c) {
  if (!c) return;
  strlist_free(&c->media);
  strlist_free(&c->orient);
  strlist_free(&c->sides);
  free(c->queue);
  free(c->media_def);
  free(c->sides_def);
  free(c);
}

/* The value of an option's default as a new string ("" when none). */
static char *default_of(vc_print_t *p, cups_dest_t *dest, cups_dinfo_t *info, const char *opt) {
  ipp_attribute_t *a = cupsFindDestDefault(p->http, dest, info, opt);
  const char *s = a && ippGetValueTag(a) != IPP_TAG_BEGIN_COLLECTION ? ippGetString(a, 0, NULL)
                                                                     : NULL;
  return strdup(s ? s : "");
}

vc_print_caps_t *vc_print_caps_get(vc_print_t *p, const char *queue, vc_diag_t *d) {
  vc__queue_state_t qs;
  if (vc__print_queue_state(p, queue, &qs, d) != VC_OK) return NULL;
  if (!qs.found) {
    vc__print_no_queue(p, queue, d);
    return NULL;
  }
  cups_dest_t *dest = vc__print_dest(p, queue);
  if (!dest) {
    vc_diag_add(d, VC_E_NOMEM, NULL, 0, 0, "out of memory reading what '%s' supports", queue);
    return NULL;
  }
  cups_dinfo_t *info = cupsCopyDestInfo(p->http, dest);
  if (!info) {
    char what[300];
    snprintf(what, sizeof what, _("asking printer '%s' what it supports"), queue);
    vc__print_fault(p, NULL, d, what);
    cupsFreeDests(1, dest);
    return NULL;
  }
  vc_print_caps_t *c = calloc(1, sizeof *c);
  bool ok = c && (c->queue = strdup(queue));
  if (ok) {
    ipp_attribute_t *a = cupsFindDestSupported(p->http, dest, info, CUPS_COPIES);
    int upper = 1;
    if (a && ippGetValueTag(a) == IPP_TAG_RANGE) ippGetRange(a, 0, &upper);
    else if (a && ippGetValueTag(a) == IPP_TAG_INTEGER) upper = ippGetInteger(a, 0);
    c->copies_max = upper > 0 ? upper : 1;
    ok = strlist_from(&c->media, cupsFindDestSupported(p->http, dest, info, CUPS_MEDIA)) &&
         strlist_from(&c->orient,
                      cupsFindDestSupported(p->http, dest, info, CUPS_ORIENTATION)) &&
         strlist_from(&c->sides, cupsFindDestSupported(p->http, dest, info, CUPS_SIDES)) &&
         (c->media_def = default_of(p, dest, info, CUPS_MEDIA)) &&
         (c->sides_def = default_of(p, dest, info, CUPS_SIDES));
  }
  cupsFreeDestInfo(info);
  cupsFreeDests(1, dest);
  if (!ok) {
    vc_print_caps_free(c);
    vc_diag_add(d, VC_E_NOMEM, NULL, 0, 0, "out of memory reading what '%s' supports", queue);
    return NULL;
  }
  return c;
}

int vc_print_caps_copies_max(const vc_print_caps_t *c) { return c->copies_max; }
size_t vc_print_caps_media_count(const vc_print_caps_t *c) { return c->media.n; }
const char *vc_print_caps_media(const vc_print_caps_t *c, size_t i) { return c->media.v[i]; }
const char *vc_print_caps_media_default(const vc_print_caps_t *c) { return c->media_def; }
size_t vc_print_caps_orientation_count(const vc_print_caps_t *c) { return c->orient.n; }
const char *vc_print_caps_orientation(const vc_print_caps_t *c, size_t i) {
  return c->orient.v[i];
}
size_t vc_print_caps_sides_count(const vc_print_caps_t *c) { return c->sides.n; }
const char *vc_print_caps_sides(const vc_print_caps_t *c, size_t i) { return c->sides.v[i]; }
const char *vc_print_caps_sides_default(const vc_print_caps_t *c) { return c->sides_def; }

const char *vc__print_media_pwg(const char *name) {
  pwg_media_t *m = pwgMediaForPWG(name);
  if (!m) m = pwgMediaForLegacy(name);
  if (!m) m = pwgMediaForPPD(name);
  return m ? m->pwg : NULL;
}

int vc__print_orientation_enum(const char *name) {
  for (int i = 0; i < 4; i++)
    if (!vc_ascii_casecmp(name, orient_names[i])) return i + 3;
  return 0;
}

/* "'A4' (iso_a4_210x297mm), 'A5' (...), ..." for a message: the names a
 * clerk knows first, at most 24 of them.  Each value in quotes, as the
 * refused one: a value to type back (--orientation landscape), not words to
 * translate. */
static void list_words(const strlist_t *l, bool media, char *buf, size_t n) {
  size_t used = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < l->n && used < n; i++) {
    pwg_media_t *m = media ? pwgMediaForPWG(l->v[i]) : NULL;
    int w = i == 24 ? snprintf(buf + used, n - used, _(", ... (%zu in all)"), l->n)
            : m && m->ppd ? snprintf(buf + used, n - used, "%s'%s' (%s)", i ? ", " : "",
                                     m->ppd, l->v[i])
                          : snprintf(buf + used, n - used, "%s'%s'", i ? ", " : "", l->v[i]);
    if (w < 0 || i == 24) break;
    used += (size_t)w;
  }
  if (!l->n) snprintf(buf, n, "%s", _("(the printer names none)"));
}

static bool in_list(const strlist_t *l, const char *s) {
  for (size_t i = 0; i < l->n; i++)
    if (!vc_ascii_casecmp(l->v[i], s)) return true;
  return false;
}

vc_status_t vc_print_opts_check(const vc_print_caps_t *c, const vc_print_opts_t *o,
                                vc_diag_t *d) {
  char words[1200];
  vc_status_t st = VC_OK;
  if (!o) return VC_OK;
  if (o->copies < 0 || o->copies > c->copies_max) {
    vc_diag_add(d, VC_E_USAGE, NULL, 0, 0,
                "printer '%s' cannot print %d copies: it prints 1 to %d copies of a job",
                c->queue, o->copies, c->copies_max);
    st = VC_E_USAGE;
  }
  if (o->media) {
    const char *pwg = vc__print_media_pwg(o->media);
    if (!pwg || !in_list(&c->media, pwg)) {
      list_words(&c->media, true, words, sizeof words);
      vc_diag_add(d, VC_E_USAGE, NULL, 0, 0,
                  "printer '%s' has no paper size '%s'%s; it supports: %s", c->queue, o->media,
                  pwg ? "" : _(" (not a paper size CUPS knows)"), words);
      st = VC_E_USAGE;
    }
  }
  if (o->orientation) {
    int e = vc__print_orientation_enum(o->orientation);
    if (!e || (c->orient.n && !in_list(&c->orient, orient_names[e - 3]))) {
      list_words(&c->orient, false, words, sizeof words);
      vc_diag_add(d, VC_E_USAGE, NULL, 0, 0,
                  "printer '%s' cannot print in orientation '%s'; it supports: %s", c->queue,
                  o->orientation, words);
      st = VC_E_USAGE;
    }
  }
  if (o->sides && !in_list(&c->sides, o->sides)) {
    list_words(&c->sides, false, words, sizeof words);
    vc_diag_add(d, VC_E_USAGE, NULL, 0, 0, "printer '%s' cannot print sides '%s'; it supports: %s",
                c->queue, o->sides, words);
    st = VC_E_USAGE;
  }
  return st;
}

/* libcups knows every standard size; one it does not know comes back as a
 * "custom_..." name, which printers rarely list, so none is given then. */
const char *vc_print_media_for(double w_pt, double h_pt, char *buf, size_t n) {
  double a = w_pt < h_pt ? w_pt : h_pt, b = w_pt < h_pt ? h_pt : w_pt;
  if (!buf || !n || a <= 0) return NULL;
  /* points to hundredths of a millimetre */
  pwg_media_t *m = pwgMediaForSize((int)(a * 2540.0 / 72.0 + 0.5), (int)(b * 2540.0 / 72.0 + 0.5));
  if (!m || !m->pwg || !strncmp(m->pwg, "custom_", 7) || strlen(m->pwg) >= n) return NULL;
  memcpy(buf, m->pwg, strlen(m->pwg) + 1);
  return buf;
}
