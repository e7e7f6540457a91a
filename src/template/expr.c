/*
 * expr.c - placeholders in template text: "Lớp: {lop|upper}" is compiled
 * once at load into literal and placeholder segments, then evaluated for
 * every record (tens of thousands of times a second, so evaluation writes
 * into one growing buffer and formats amounts and dates on the stack).
 *
 * Syntax: {name}, {name|filter|filter}, {name|default:"text"} (or
 * default:text, or default:'text'), spaces around | and : allowed, {{ and }}
 * for literal braces.  The name is kept as written (NFC); the lookup folds it.
 */
#include "template/template-internal.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "core/date.h"
#include "core/i18n.h"
#include "core/mem.h"
#include "core/money.h"
#include "core/text.h"

/* In vc_filter_kind_t order. */
static const char *const filter_names[] = {
    "upper", "lower", "title", "capfirst", "vnd", "number",
    "words", "words_dong", "date", "date_short", "default"};
#define NFILTERS (sizeof filter_names / sizeof *filter_names)
#define FILTER_LIST                                                          \
  "upper, lower, title, capfirst, vnd, number, words, words_dong, date, "   \
  "date_short, default"

/* ---- parsing ---- */

typedef struct pstate {
  const char *s;
  size_t i;
  int line, col, col0; /* position of s[i]; col0 = column after a newline */
  const char *file;
  vc_diag_t *d;
  int nerr;
  bool nomem;
} pstate_t;

static void perr(pstate_t *p, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void perr(pstate_t *p, int line, int col, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vc_diag_addv(p->d, VC_E_INPUT, p->file, line, col, fmt, ap);
  va_end(ap);
  p->nerr++;
}

/* Moves one byte forward keeping line:col (columns count code points). */
static void adv(pstate_t *p) {
  unsigned char ch = (unsigned char)p->s[p->i++];
  if (ch == '\n') p->line++, p->col = p->col0;
  else if ((ch & 0xC0) != 0x80) p->col++;
}

static void skip_spaces(pstate_t *p) {
  while (p->s[p->i] == ' ' || p->s[p->i] == '\t') adv(p);
}

static char *dup_trimmed(const char *s, size_t n) {
  while (n && (*s == ' ' || *s == '\t')) s++, n--;
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
  return vc_text_nfc(s, n);
}

typedef struct segvec { vc_seg_t *v; size_t n, cap; } segvec_t;

static vc_seg_t *seg_push(segvec_t *sv) {
  if (!vc_array_grow(&sv->v, sv->n, &sv->cap, sizeof *sv->v, 4)) return NULL;
  vc_seg_t *sg = &sv->v[sv->n++];
  memset(sg, 0, sizeof *sg);
  return sg;
}

static void seg_clear(vc_seg_t *sg) {
  free(sg->lit);
  free(sg->name);
  for (size_t i = 0; i < sg->nfilters; i++) free(sg->filters[i].arg);
  free(sg->filters);
}

/* Reads a default's value after "default:" (p at its first character).
 * Quoted values may hold | and }; \" \' and \\ escape.  Returns a new string
 * or NULL (reported, or out of memory when p->nomem). */
static char *read_arg(pstate_t *p) {
  skip_spaces(p);
  char q = p->s[p->i];
  if (q != '"' && q != '\'') {
    size_t start = p->i;
    while (p->s[p->i] && p->s[p->i] != '|' && p->s[p->i] != '}' &&
           p->s[p->i] != '{')
      adv(p);
    char *r = dup_trimmed(p->s + start, p->i - start);
    if (!r) p->nomem = true;
    return r;
  }
  int l = p->line, c = p->col;
  adv(p);
  size_t cap = 16, n = 0;
  char *out = malloc(cap);
  if (!out) return p->nomem = true, NULL;
  while (p->s[p->i] && p->s[p->i] != q) {
    if (p->s[p->i] == '\\' && (p->s[p->i + 1] == q || p->s[p->i + 1] == '\\'))
      adv(p);
    if (n + 2 > cap) {
      char *o = realloc(out, cap *= 2);
      if (!o) return free(out), p->nomem = true, NULL;
      out = o;
    }
    out[n++] = p->s[p->i];
    adv(p);
  }
  if (!p->s[p->i]) {
    perr(p, l, c, "the quote opened here is never closed");
    free(out);
    return NULL;
  }
  adv(p); /* closing quote */
  out[n] = '\0';
  char *r = vc_text_nfc(out, n);
  free(out);
  if (!r) p->nomem = true;
  return r;
}

/* Parses one filter after '|' and appends it to sg's filters (p just after
 * the '|'); an unknown or misused filter is reported and skipped.  Returns
 * false when the placeholder cannot be read further (reported, or p->nomem). */
static bool read_filter(pstate_t *p, vc_seg_t *sg, const char *ph) {
  skip_spaces(p);
  int l = p->line, c = p->col;
  size_t start = p->i;
  while ((p->s[p->i] >= 'a' && p->s[p->i] <= 'z') ||
         (p->s[p->i] >= 'A' && p->s[p->i] <= 'Z') ||
         (p->s[p->i] >= '0' && p->s[p->i] <= '9') || p->s[p->i] == '_')
    adv(p);
  size_t len = p->i - start;
  char name[32];
  snprintf(name, sizeof name, "%.*s", (int)(len < 31 ? len : 31), p->s + start);
  skip_spaces(p);
  char *arg = NULL;
  bool has_arg = p->s[p->i] == ':';
  if (has_arg) {
    adv(p);
    if (!(arg = read_arg(p))) return false;
    skip_spaces(p);
  }
  size_t k = 0;
  while (k < NFILTERS && (len != strlen(filter_names[k]) ||
                          memcmp(filter_names[k], p->s + start, len)))
    k++;
  bool ok = true;
  if (len == 0) {
    perr(p, l, c, "a filter name is missing after | in %s", ph);
    ok = false;
  } else if (k == NFILTERS) {
    char dym[160];
    perr(p, l, c, "unknown filter '%s' in %s%s; the filters are: %s", name, ph,
         vc__tmpl_did_you_mean(vc__tmpl_suggest(name, filter_names, NFILTERS), dym, sizeof dym),
         FILTER_LIST);
    ok = false;
  } else if (k == VC_FILTER_DEFAULT && !has_arg) {
    perr(p, l, c, "the default filter needs a value, like {name|default:\"...\"}");
    ok = false;
  } else if (k != VC_FILTER_DEFAULT && has_arg) {
    perr(p, l, c, "the filter '%s' takes no value (only default: does)", name);
    ok = false;
  }
  if (ok) {
    vc_filter_t *nf = realloc(sg->filters, (sg->nfilters + 1) * sizeof *nf);
    if (!nf) {
      free(arg);
      return p->nomem = true, false;
    }
    sg->filters = nf;
    nf[sg->nfilters].kind = (vc_filter_kind_t)k;
    nf[sg->nfilters++].arg = arg;
  } else {
    free(arg);
  }
  return true;
}

/* Parses a placeholder (p at its '{').  Returns false when parsing of the
 * whole string must stop (unclosed brace, out of memory). */
static bool read_placeholder(pstate_t *p, segvec_t *sv) {
  int l = p->line, c = p->col;
  size_t open = p->i;
  /* The placeholder's text, for messages. */
  size_t end = open + 1;
  char q = 0;
  bool after_colon = false; /* a quote opens only a default's value */
  for (; p->s[end]; end++) {
    char ch = p->s[end];
    if (q) {
      if (ch == '\\' && p->s[end + 1]) end++;
      else if (ch == q) q = 0;
      continue;
    }
    if (ch == '}' || ch == '{') break;
    if ((ch == '"' || ch == '\'') && after_colon) q = ch;
    if (ch == ':') after_colon = true;
    else if (ch != ' ' && ch != '\t') after_colon = false;
  }
  if (p->s[end] != '}') {
    perr(p, l, c,
         "the { opened here is not closed; write {name} for a placeholder or "
         "{{ for a literal brace");
    return false;
  }
  char ph[96];
  size_t phlen = end - open + 1; /* what follows the } is not shown */
  vc_text_cut(p->s + open, phlen > 80 ? 80 : phlen, SIZE_MAX,
              phlen > 80 ? "..." : "", ph, sizeof ph);
  adv(p);
  size_t start = p->i;
  while (p->s[p->i] != '|' && p->s[p->i] != '}') adv(p);
  vc_seg_t *sg = seg_push(sv);
  if (!sg) return p->nomem = true, false;
  sg->line = l;
  sg->col = c;
  sg->name = dup_trimmed(p->s + start, p->i - start);
  if (!sg->name) return p->nomem = true, false;
  if (!*sg->name)
    perr(p, l, c, "empty placeholder %s: write a field name between the braces "
                  "(or {{ and }} for literal braces)", ph);
  while (p->s[p->i] == '|') {
    adv(p);
    if (!read_filter(p, sg, ph)) return false;
    if (p->s[p->i] != '|' && p->s[p->i] != '}') {
      char ch[8] = "";
      int32_t cp;
      size_t cl = p->s[p->i] ? vc_utf8_decode(p->s + p->i, strnlen(p->s + p->i, 4), &cp) : 0;
      if (cl) memcpy(ch, p->s + p->i, cl);
      perr(p, p->line, p->col, "unexpected '%s' in %s", ch, ph);
      while (p->s[p->i] && p->s[p->i] != '}') adv(p);
      if (!p->s[p->i]) return false;
    }
  }
  adv(p); /* '}' */
  return true;
}

/* Appends pending literal text as a segment. */
static bool flush_lit(pstate_t *p, segvec_t *sv, char *lit, size_t *nlit) {
  if (!*nlit) return true;
  vc_seg_t *sg = seg_push(sv);
  if (!sg || !(sg->lit = vc_text_nfc(lit, *nlit))) return p->nomem = true, false;
  *nlit = 0;
  return true;
}

vc_expr_t *vc_expr_parse(const char *s, const char *file, int line, int col,
                         vc_diag_t *d) {
  if (!s) s = "";
  pstate_t p = {.s = s, .line = line, .col = col, .col0 = col, .file = file, .d = d};
  size_t slen = strlen(s), bad;
  if (!vc_utf8_valid(s, slen, &bad)) {
    vc_diag_add(d, VC_E_INPUT, file, line, col, "text is not valid UTF-8");
    return NULL;
  }
  segvec_t sv = {0};
  char *lit = malloc(slen + 1); /* literal text never exceeds the input */
  size_t nlit = 0;
  bool go = lit != NULL;
  if (!go) p.nomem = true;
  while (go && s[p.i]) {
    char ch = s[p.i];
    if ((ch == '{' || ch == '}') && s[p.i + 1] == ch) {
      lit[nlit++] = ch;
      adv(&p), adv(&p);
    } else if (ch == '}') {
      perr(&p, p.line, p.col, "a } without its {; write }} for a literal brace");
      adv(&p);
    } else if (ch == '{') {
      go = flush_lit(&p, &sv, lit, &nlit) && read_placeholder(&p, &sv);
    } else {
      lit[nlit++] = ch;
      adv(&p);
    }
  }
  if (go) flush_lit(&p, &sv, lit, &nlit);
  free(lit);
  if (p.nomem) vc_diag_add(d, VC_E_NOMEM, file, line, col, "out of memory");
  vc_expr_t *e = NULL;
  if (!p.nerr && !p.nomem && (e = malloc(sizeof *e))) {
    e->segs = sv.v;
    e->nsegs = sv.n;
    e->line = line;
    e->col = col;
    e->lit_bytes = 0;
    for (size_t i = 0; i < sv.n; i++)
      if (sv.v[i].lit) e->lit_bytes += strlen(sv.v[i].lit);
    return e;
  }
  if (!p.nerr && !p.nomem) vc_diag_add(d, VC_E_NOMEM, file, line, col, "out of memory");
  for (size_t i = 0; i < sv.n; i++) seg_clear(&sv.v[i]);
  free(sv.v);
  return NULL;
}

void vc_expr_free(vc_expr_t *e) {
  if (!e) return;
  for (size_t i = 0; i < e->nsegs; i++) seg_clear(&e->segs[i]);
  free(e->segs);
  free(e);
}

bool vc_expr_is_static(const vc_expr_t *e) {
  if (!e) return true;
  for (size_t i = 0; i < e->nsegs; i++)
    if (!e->segs[i].lit) return false;
  return true;
}

/* ---- evaluation ---- */

typedef struct obuf { char *p; size_t n, cap; bool nfc; } obuf_t;

/* True when s starts with a character that could combine with the one
 * before it (then the joined result needs NFC again). */
static bool starts_combining(const char *s, size_t n) {
  if ((unsigned char)s[0] < 0x80) return false;
  int32_t cp;
  if (!vc_utf8_decode(s, n < 4 ? n : 4, &cp)) return false;
  const utf8proc_property_t *pr = utf8proc_get_property(cp);
  return pr->combining_class != 0 || pr->category == UTF8PROC_CATEGORY_MN ||
         pr->category == UTF8PROC_CATEGORY_MC || (cp >= 0x1160 && cp <= 0x11FF);
}

static bool ob_put(obuf_t *b, const char *s, size_t n) {
  if (b->n && n && starts_combining(s, n)) b->nfc = true;
  while (b->n + n + 1 > b->cap) /* doubles: b->cap is never 0 here */
    if (!vc_array_grow(&b->p, b->cap, &b->cap, 1, 64)) return false;
  memcpy(b->p + b->n, s, n);
  b->n += n;
  b->p[b->n] = '\0';
  return true;
}

/* "{name|filter}: "value" is not <what> (<why>)" into err, the value cut
 * at 40 bytes, for a value a filter cannot read.  Returns NULL. */
static const char *not_a(const vc_seg_t *sg, const vc_filter_t *f, const char *v,
                         const char *what, const char *why, char *err, size_t errlen) {
  char cut[48];
  snprintf(err, errlen, _("{%s|%s}: \"%s\" is not %s (%s)"), sg->name, filter_names[f->kind],
           vc_text_cut(v, 40, SIZE_MAX, "...", cut, sizeof cut), what, why);
  return NULL;
}

/* Applies sg's filters to value.  Returns the result (pointing into value,
 * a filter argument, fbuf or *owned) or NULL with err filled. */
static const char *apply_filters(const vc_seg_t *sg, const char *value,
                                 char **owned, char *fbuf, size_t fblen,
                                 char *err, size_t errlen) {
  const char *cur = value;
  char why[160];
  for (size_t k = 0; k < sg->nfilters; k++) {
    const vc_filter_t *f = &sg->filters[k];
    if (f->kind == VC_FILTER_DEFAULT) {
      if (!*cur) cur = f->arg;
      continue;
    }
    if (!*cur) continue; /* requiredness is checked elsewhere */
    char *r = NULL;
    uint64_t v;
    vc_date_t dt;
    bool ok = true;
    switch (f->kind) {
    case VC_FILTER_UPPER: r = vc_text_upper(cur); break;
    case VC_FILTER_LOWER: r = vc_text_lower(cur); break;
    case VC_FILTER_TITLE: r = vc_text_title(cur); break;
    case VC_FILTER_CAPFIRST: r = vc_text_capfirst(cur); break;
    case VC_FILTER_VND: case VC_FILTER_NUMBER:
    case VC_FILTER_WORDS: case VC_FILTER_WORDS_DONG:
      if (!vc_money_parse(cur, &v, why, sizeof why))
        return not_a(sg, f, cur, _("an amount"), why, err, errlen);
      /* cur is no longer read: fbuf may be both source and destination. */
      if (f->kind == VC_FILTER_VND) ok = vc_money_format(v, VC_MONEY_SUFFIX_D, fbuf, fblen);
      else if (f->kind == VC_FILTER_NUMBER) ok = vc_money_format(v, VC_MONEY_SUFFIX_NONE, fbuf, fblen);
      else if (f->kind == VC_FILTER_WORDS) ok = vc_money_words(v, 0, fbuf, fblen);
      else ok = vc_money_words_dong(v, 0, fbuf, fblen);
      break;
    case VC_FILTER_DATE: case VC_FILTER_DATE_SHORT:
      if (!vc_date_parse(cur, &dt, why, sizeof why))
        return not_a(sg, f, cur, _("a date"), why, err, errlen);
      ok = f->kind == VC_FILTER_DATE ? vc_date_format_line(dt, fbuf, fblen)
                                     : vc_date_format_short(dt, fbuf, fblen);
      break;
    default: break;
    }
    if (f->kind <= VC_FILTER_CAPFIRST) {
      if (!r) {
        snprintf(err, errlen, _("{%s|%s}: out of memory"), sg->name, filter_names[f->kind]);
        return NULL;
      }
      free(*owned);
      *owned = r;
      cur = r;
    } else {
      if (!ok) {
        snprintf(err, errlen, _("{%s|%s}: result too long"), sg->name, filter_names[f->kind]);
        return NULL;
      }
      free(*owned);
      *owned = NULL;
      cur = fbuf;
    }
  }
  return cur;
}

/* Explains a text refused for its length: which cap, the template line,
 * and the placeholder being filled in (sg NULL: the literal text). */
static void too_long(const vc_expr_t *e, const vc_seg_t *sg, size_t piece,
                     bool page, char *err, size_t errlen) {
  char at[64] = "";
  if (e->line > 0) snprintf(at, sizeof at, _("template line %d: "), e->line);
  unsigned cap = page ? VC_PAGE_TEXT_MAX_BYTES : VC_TEXT_MAX_BYTES;
  if (sg)
    snprintf(err, errlen,
             page ? _("%sonce {%s} is filled in (%zu bytes for this record), the texts of the "
                      "page would be longer than %u bytes, the most one page holds")
                  : _("%sonce {%s} is filled in (%zu bytes for this record), the text would be "
                      "longer than %u bytes, the most one text box holds"),
             at, sg->name, piece, cap);
  else
    snprintf(err, errlen,
             page ? _("%sthe texts of the page would be longer than %u bytes, the most one "
                      "page holds")
                  : _("%sthe text would be longer than %u bytes, the most one text box holds"),
             at, cap);
}

char *vc_expr_eval(const vc_expr_t *e, vc_lookup_fn get, void *ud, char *err,
                   size_t errlen) {
  return vc_expr_eval_page(e, get, ud, NULL, NULL, err, errlen);
}

char *vc_expr_eval_page(const vc_expr_t *e, vc_lookup_fn get, void *ud,
                        size_t *page_left, const char **over, char *err,
                        size_t errlen) {
  char errbuf[8];
  if (!err || !errlen) err = errbuf, errlen = sizeof errbuf;
  err[0] = '\0';
  if (over) *over = NULL;
  /* The cap is checked before each piece is added, so a value repeated
   * ten thousand times stops at the first copy past it. */
  size_t max = VC_TEXT_MAX_BYTES;
  bool page_cap = page_left && *page_left < max;
  if (page_cap) max = *page_left;
  obuf_t b = {.cap = 64};
  for (size_t i = 0; e && i < e->nsegs && b.cap <= max; i++)
    b.cap += e->segs[i].lit ? strlen(e->segs[i].lit) : 32;
  if (b.cap > max + 1) b.cap = max + 1;
  if (!(b.p = malloc(b.cap))) {
    snprintf(err, errlen, "%s", _("out of memory"));
    return NULL;
  }
  b.p[0] = '\0';
  char fbuf[1024]; /* amounts in words and dates: well under this */
  for (size_t i = 0; e && i < e->nsegs; i++) {
    const vc_seg_t *sg = &e->segs[i];
    const char *piece = sg->lit;
    char *owned = NULL;
    if (!piece) {
      const char *value = get ? get(ud, sg->name) : NULL;
      if (!value) {
        snprintf(err, errlen, _("unknown placeholder {%s}: no such column, "
                 "field or value"), sg->name);
        free(b.p);
        return NULL;
      }
      piece = apply_filters(sg, value, &owned, fbuf, sizeof fbuf, err, errlen);
      if (!piece) {
        free(owned);
        free(b.p);
        return NULL;
      }
    }
    size_t plen = strlen(piece);
    if (plen > max - b.n) {
      too_long(e, sg->lit ? NULL : sg, plen, page_cap, err, errlen);
      if (over && !sg->lit) *over = sg->name;
      free(owned);
      free(b.p);
      return NULL;
    }
    bool ok = ob_put(&b, piece, plen);
    free(owned);
    if (!ok) {
      snprintf(err, errlen, "%s", _("out of memory"));
      free(b.p);
      return NULL;
    }
  }
  char *r = b.p;
  if (b.nfc) { /* a value began with a combining mark: recompose across the join */
    r = vc_text_nfc(b.p, b.n);
    free(b.p);
    if (!r) {
      snprintf(err, errlen, "%s", _("invalid UTF-8 in a value"));
      return NULL;
    }
  }
  if (page_left) *page_left -= strlen(r);
  return r;
}
