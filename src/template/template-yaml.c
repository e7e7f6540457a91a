/*
 * template-yaml.c - the template's YAML text to a node tree (libyaml event
 * API), with positions, and the loader's problem reporting.
 *
 * Why the event API and our own tree: libyaml's document API silently
 * resolves aliases into shared nodes (billion-laughs stays possible when the
 * tree is walked) and gives no way to refuse anchors; events let us refuse
 * them, cap depth and node count as we go, and NFC every string once.
 */
#include "template/template-internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "core/i18n.h"
#include "core/mem.h"
#include "core/text.h"

/* ---- problems ---- */

void vc__tctx_err_at(vc_tctx_t *c, int line, int col, vc_status_t st,
                    const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vc_diag_addv(c->d, st, c->path, line, col, fmt, ap);
  va_end(ap);
  c->nerr++;
}

void vc__tctx_err(vc_tctx_t *c, const vc_tnode_t *n, vc_status_t st,
                 const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vc_diag_addv(c->d, st, c->path, n ? n->line : 0, n ? n->col : 0, fmt, ap);
  va_end(ap);
  c->nerr++;
}

void vc__tctx_nomem(vc_tctx_t *c) {
  vc_diag_add(c->d, VC_E_NOMEM, c->path, 0, 0, "out of memory");
  c->nerr++;
}

/* ---- positions ---- */

/* Builds the table of line starts once; false when out of memory. */
static bool line_table(vc_tctx_t *c) {
  if (c->line_starts) return true;
  size_t n = 1;
  for (size_t i = 0; i < c->len; i++)
    if (c->buf[i] == '\n') n++;
  c->line_starts = malloc(n * sizeof *c->line_starts);
  if (!c->line_starts) return false;
  c->line_starts[0] = 0;
  c->nlines = 1;
  for (size_t i = 0; i < c->len; i++)
    if (c->buf[i] == '\n') c->line_starts[c->nlines++] = i + 1;
  return true;
}

/* 1-based line and column (in code points, like libyaml's marks) of a byte
 * offset, for problems found outside libyaml (invalid UTF-8). */
static void offset_pos(const vc_tctx_t *c, size_t off, int *line, int *col) {
  int l = 1;
  size_t start = 0;
  for (size_t i = 0; i < off && i < c->len; i++)
    if (c->buf[i] == '\n') l++, start = i + 1;
  if (l == 1 && c->len >= 3 && memcmp(c->buf, "\xEF\xBB\xBF", 3) == 0 && off >= 3)
    start = 3; /* libyaml does not count the byte-order mark */
  int k = 1;
  for (size_t i = start; i < off; i++)
    if (((unsigned char)c->buf[i] & 0xC0) != 0x80) k++;
  *line = l;
  *col = k;
}

void vc__tnode_text_pos(vc_tctx_t *c, const vc_tnode_t *n, int *line, int *col) {
  *line = n->line;
  *col = n->col + (n->style == VC_TN_QUOTED ? 1 : 0);
  if (n->style != VC_TN_BLOCK || !line_table(c)) return;
  /* A block scalar's text starts on a later line, indented: find the first
   * line after the indicator that is not blank. */
  for (size_t l = (size_t)n->line; l < c->nlines; l++) {
    size_t i = c->line_starts[l], k = 0;
    while (i + k < c->len && c->buf[i + k] == ' ') k++;
    if (i + k < c->len && c->buf[i + k] != '\n' && c->buf[i + k] != '\r') {
      *line = (int)l + 1;
      *col = (int)k + 1;
      return;
    }
  }
}

/* ---- suggestions ---- */

const char *vc__tmpl_suggest(const char *word, const char *const *cands,
                            size_t n) {
  const char *best = NULL;
  size_t bestd = SIZE_MAX;
  for (size_t i = 0; i < n; i++) {
    size_t dd = vc_text_edit_distance(word, cands[i]);
    if (dd < bestd) bestd = dd, best = cands[i];
  }
  /* Close enough: one or two edits, and not most of the word. */
  size_t len = strlen(word);
  size_t limit = len <= 3 ? 1 : len <= 6 ? 2 : 3;
  return (best && bestd <= limit && bestd < len) ? best : NULL;
}

const char *vc__tmpl_did_you_mean(const char *sug, char *buf, size_t n) {
  if (!sug) return "";
  snprintf(buf, n, _(" (did you mean '%s'?)"), sug);
  return buf;
}

/* ---- the tree ---- */

void vc__tnode_free(vc_tnode_t *n) {
  if (!n) return;
  for (size_t i = 0; i < n->nkids; i++) vc__tnode_free(n->kids[i]);
  free(n->kids);
  free(n->str);
  free(n);
}

static vc_tnode_t *node_new(vc_tn_kind_t kind, yaml_mark_t start,
                            yaml_mark_t end) {
  vc_tnode_t *n = calloc(1, sizeof *n);
  if (!n) return NULL;
  n->kind = kind;
  n->line = (int)start.line + 1;
  n->col = (int)start.column + 1;
  n->end_line = (int)end.line + 1;
  return n;
}

static bool node_add(vc_tnode_t *parent, vc_tnode_t *kid) {
  if (!vc_array_grow(&parent->kids, parent->nkids, &parent->cap, sizeof *parent->kids, 8))
    return false;
  parent->kids[parent->nkids++] = kid;
  return true;
}

/* Fills a scalar node from the event: NUL check, NFC, null detection. */
static bool scalar_fill(vc_tctx_t *c, vc_tnode_t *n, const yaml_event_t *ev) {
  const char *v = (const char *)ev->data.scalar.value;
  size_t len = ev->data.scalar.length;
  switch (ev->data.scalar.style) {
  case YAML_SINGLE_QUOTED_SCALAR_STYLE:
  case YAML_DOUBLE_QUOTED_SCALAR_STYLE: n->style = VC_TN_QUOTED; break;
  case YAML_LITERAL_SCALAR_STYLE:
  case YAML_FOLDED_SCALAR_STYLE: n->style = VC_TN_BLOCK; break;
  default: n->style = VC_TN_PLAIN; break;
  }
  if (memchr(v, '\0', len)) {
    /* Only a "\0" escape gets here; C strings cannot carry it. */
    vc__tctx_err(c, n, VC_E_INPUT, "text contains a NUL character (\\0)");
    len = strlen(v);
  }
  n->str = vc_text_nfc(v, len);
  if (!n->str) {
    if (vc_utf8_valid(v, len, NULL)) return false;
    vc__tctx_err(c, n, VC_E_INPUT, "text is not valid UTF-8");
    n->str = strdup("");
    if (!n->str) return false;
  }
  n->len = strlen(n->str);
  if (n->style == VC_TN_PLAIN &&
      (n->len == 0 || !strcmp(n->str, "~") || !strcmp(n->str, "null") ||
       !strcmp(n->str, "Null") || !strcmp(n->str, "NULL")))
    n->null = true;
  return true;
}

/* Reports a libyaml failure with its position and a hint for the usual
 * clerk mistakes. */
static void yaml_problem(vc_tctx_t *c, const yaml_parser_t *p, size_t bom) {
  if (p->error == YAML_MEMORY_ERROR) {
    vc__tctx_nomem(c);
    return;
  }
  int line, col;
  if (p->error == YAML_READER_ERROR) {
    offset_pos(c, p->problem_offset + bom, &line, &col);
  } else {
    line = (int)p->problem_mark.line + 1;
    col = (int)p->problem_mark.column + 1;
  }
  const char *problem = p->problem ? p->problem : _("unknown problem");
  const char *hint = "";
  if (strstr(problem, "mapping values are not allowed"))
    hint = _("; text containing \": \" must be put in quotes");
  else if (strstr(problem, "cannot start any token"))
    hint = _("; indent with spaces, not tabs, and quote text starting with @ or `");
  else if (strstr(problem, "control characters"))
    hint = _("; an invisible control character is here: delete and retype this "
             "part");
  else if (strstr(problem, "did not find expected key") ||
           strstr(problem, "did not find expected '-'"))
    hint = _("; check the indentation of this line and the one above");
  if (p->context && p->error != YAML_READER_ERROR)
    vc__tctx_err_at(c, line, col, VC_E_INPUT,
                   "YAML syntax error: %s %s (line %d, column %d)%s",
                   problem, p->context, (int)p->context_mark.line + 1,
                   (int)p->context_mark.column + 1, hint);
  else
    vc__tctx_err_at(c, line, col, VC_E_INPUT, "YAML syntax error: %s%s",
                   problem, hint);
}

/* Reports invalid UTF-8 sequences (the first 20) and returns false if any. */
static bool check_utf8(vc_tctx_t *c) {
  size_t pos = 0, bad, nbad = 0;
  /* Twenty are enough to see the pattern (and keep this linear). */
  while (nbad < 20 && pos < c->len &&
         !vc_utf8_valid(c->buf + pos, c->len - pos, &bad)) {
    size_t off = pos + bad;
    int line, col;
    offset_pos(c, off, &line, &col);
    nbad++;
    vc__tctx_err_at(c, line, col, VC_E_INPUT,
                   "invalid UTF-8 (byte 0x%02X); save the template as UTF-8",
                   (unsigned char)c->buf[off]);
    pos = off + 1; /* resynchronise on the next lead byte */
    while (pos < c->len && ((unsigned char)c->buf[pos] & 0xC0) == 0x80) pos++;
  }
  return nbad == 0;
}

/* Anchors, aliases and tags are refused: a clerk's template never needs
 * them, and aliases are the billion-laughs vector. */
static void refuse_extras(vc_tctx_t *c, const vc_tnode_t *n,
                          const unsigned char *anchor,
                          const unsigned char *tag) {
  if (anchor)
    vc__tctx_err(c, n, VC_E_INPUT,
                "YAML anchors (&%s) are not supported in templates; write the "
                "value out in full", (const char *)anchor);
  if (tag) {
    /* Show the tag as it was written: "!!str", not its expansion. */
    const char *t = (const char *)tag, *std = "tag:yaml.org,2002:";
    bool short_form = !strncmp(t, std, strlen(std));
    vc__tctx_err(c, n, VC_E_INPUT,
                "YAML tags (%s%s) are not supported in templates",
                short_form ? "!!" : "", short_form ? t + strlen(std) : t);
  }
}

/* A template saved as UTF-16 or UTF-32 (Notepad's "Unicode", Word's
 * "Unicode text") would give a cascade of UTF-8 or YAML errors: say once
 * what it is.  Told by its byte-order mark, or without one by NUL bytes at
 * every other position of ASCII text (keys are ASCII).  Any other NUL byte
 * means the file is not text at all.  Returns false after reporting. */
static bool check_not_wide(vc_tctx_t *c) {
  const unsigned char *b = (const unsigned char *)c->buf;
  size_t n = c->len;
  const char *kind = NULL;
  if (n >= 4 && (!memcmp(b, "\xFF\xFE\0\0", 4) || !memcmp(b, "\0\0\xFE\xFF", 4)))
    kind = "UTF-32";
  else if (n >= 2 && (!memcmp(b, "\xFF\xFE", 2) || !memcmp(b, "\xFE\xFF", 2)))
    kind = "UTF-16";
  const unsigned char *nul = memchr(b, 0, n);
  if (!kind && !nul) return true;
  if (!kind) {
    size_t look = n < 4096 ? n : 4096, zero[2] = {0, 0};
    for (size_t i = 0; i < look; i++) zero[i & 1] += b[i] == 0;
    size_t most = zero[0] > zero[1] ? zero[0] : zero[1];
    size_t least = zero[0] > zero[1] ? zero[1] : zero[0];
    if (most * 4 >= look && least * 8 <= most) kind = "UTF-16";
  }
  if (kind) {
    vc__tctx_err_at(c, 1, 1, VC_E_INPUT,
                   "the template is saved as %s; save it as UTF-8 (in Notepad: "
                   "File, Save As, Encoding: UTF-8)", kind);
  } else {
    int line, col;
    offset_pos(c, (size_t)(nul - b), &line, &col);
    vc__tctx_err_at(c, line, col, VC_E_INPUT,
                   "a NUL byte: this is not a text file; a template is plain "
                   "text saved as UTF-8");
  }
  return false;
}

/* The tree being built from libyaml's events: the open collections on a
 * stack, the first problem ending the walk. */
typedef struct tbuild {
  vc_tctx_t *c;
  vc_tnode_t *stack[VC_TN_MAX_DEPTH];
  size_t depth, nnodes;
  int ndocs;
  vc_tnode_t *root;
  bool done, failed;
} tbuild_t;

/* The node an event makes (an alias, a scalar, the start of a sequence or
 * mapping: *wants true, *push for a collection; NULL then means no memory),
 * or what the other events do: the end of the stream, a second document
 * refused, a collection's end line. */
static vc_tnode_t *event_node(tbuild_t *b, const yaml_event_t *ev, bool *wants,
                              bool *push) {
  vc_tctx_t *c = b->c;
  vc_tnode_t *n = NULL;
  *wants = *push = false;
  switch (ev->type) {
  case YAML_STREAM_END_EVENT: b->done = true; return NULL;
  case YAML_DOCUMENT_START_EVENT:
    if (++b->ndocs > 1) {
      vc__tctx_err_at(c, (int)ev->start_mark.line + 1, (int)ev->start_mark.column + 1,
                      VC_E_INPUT, "a template file holds one YAML document; remove "
                      "this second one (or the line with ---)");
      b->failed = true;
    }
    return NULL;
  case YAML_SEQUENCE_END_EVENT:
  case YAML_MAPPING_END_EVENT:
    if (b->depth > 0) b->stack[--b->depth]->end_line = (int)ev->end_mark.line + 1;
    return NULL;
  case YAML_ALIAS_EVENT:
    *wants = true;
    n = node_new(VC_TN_SCALAR, ev->start_mark, ev->end_mark);
    if (n && !(n->str = strdup(""))) {
      vc__tnode_free(n);
      return NULL;
    }
    if (!n) return NULL;
    n->null = true;
    vc__tctx_err(c, n, VC_E_INPUT,
                 "YAML aliases (*%s) are not supported in templates; write "
                 "the value out in full", (const char *)ev->data.alias.anchor);
    return n;
  case YAML_SCALAR_EVENT:
    *wants = true;
    if (!(n = node_new(VC_TN_SCALAR, ev->start_mark, ev->end_mark))) return NULL;
    refuse_extras(c, n, ev->data.scalar.anchor, ev->data.scalar.tag);
    if (!scalar_fill(c, n, ev)) {
      vc__tnode_free(n);
      return NULL;
    }
    return n;
  case YAML_SEQUENCE_START_EVENT:
    *wants = *push = true;
    if (!(n = node_new(VC_TN_SEQ, ev->start_mark, ev->end_mark))) return NULL;
    refuse_extras(c, n, ev->data.sequence_start.anchor,
                  ev->data.sequence_start.implicit ? NULL : ev->data.sequence_start.tag);
    return n;
  case YAML_MAPPING_START_EVENT:
    *wants = *push = true;
    if (!(n = node_new(VC_TN_MAP, ev->start_mark, ev->end_mark))) return NULL;
    refuse_extras(c, n, ev->data.mapping_start.anchor,
                  ev->data.mapping_start.implicit ? NULL : ev->data.mapping_start.tag);
    return n;
  default: return NULL;
  }
}

/* Places n (NULL: no memory) under the innermost open collection, or as the
 * root; opens it when push.  Takes n; on a problem reports it and ends the
 * walk. */
static void tree_add(tbuild_t *b, vc_tnode_t *n, bool push, yaml_mark_t mark) {
  vc_tctx_t *c = b->c;
  if (!n) {
    vc__tctx_nomem(c);
    b->failed = true;
  } else if (++b->nnodes > VC_TN_MAX_NODES) {
    vc__tctx_err_at(c, (int)mark.line + 1, (int)mark.column + 1, VC_E_LIMIT,
                    "template has more than %d YAML values; that is beyond "
                    "the limit", VC_TN_MAX_NODES);
    vc__tnode_free(n);
    b->failed = true;
  } else if (push && b->depth >= VC_TN_MAX_DEPTH) {
    vc__tctx_err(c, n, VC_E_LIMIT, "nested more than %d levels deep", VC_TN_MAX_DEPTH);
    vc__tnode_free(n);
    b->failed = true;
  } else if (b->depth == 0 && b->root) {
    vc__tnode_free(n); /* cannot happen with one document; be safe */
  } else if (b->depth == 0) {
    b->root = n;
    if (push) b->stack[b->depth++] = n;
  } else if (!node_add(b->stack[b->depth - 1], n)) {
    vc__tnode_free(n);
    vc__tctx_nomem(c);
    b->failed = true;
  } else if (push) {
    b->stack[b->depth++] = n;
  }
}

/* The tree's root when it is a mapping; else reports what the file holds
 * instead, frees it and returns NULL. */
static vc_tnode_t *root_checked(vc_tctx_t *c, vc_tnode_t *root) {
  if (!root || (root->kind == VC_TN_SCALAR && root->null)) {
    vc__tctx_err_at(c, 1, 1, VC_E_INPUT,
                    "the template is empty; see templates/README.md for the "
                    "format");
  } else if (root->kind != VC_TN_MAP) {
    vc__tctx_err(c, root, VC_E_INPUT,
                 "a template must be a list of \"key: value\" lines (page:, "
                 "fonts:, elements: ...)");
  } else {
    return root;
  }
  vc__tnode_free(root);
  return NULL;
}

vc_tnode_t *vc__tnode_parse(vc_tctx_t *c) {
  if (!check_not_wide(c) || !check_utf8(c)) return NULL;
  yaml_parser_t p;
  if (!yaml_parser_initialize(&p)) {
    vc__tctx_nomem(c);
    return NULL;
  }
  /* libyaml, told the encoding, would not skip a byte-order mark (Excel and
   * Notepad write one): skip it here.  Columns then start after it. */
  size_t bom = c->len >= 3 && !memcmp(c->buf, "\xEF\xBB\xBF", 3) ? 3 : 0;
  yaml_parser_set_input_string(&p, (const unsigned char *)c->buf + bom,
                               c->len - bom);
  yaml_parser_set_encoding(&p, YAML_UTF8_ENCODING);
  tbuild_t b = {.c = c};
  while (!b.done && !b.failed) {
    yaml_event_t ev;
    if (!yaml_parser_parse(&p, &ev)) {
      yaml_problem(c, &p, bom);
      b.failed = true;
      break;
    }
    bool wants, push;
    vc_tnode_t *n = event_node(&b, &ev, &wants, &push);
    yaml_mark_t mark = ev.start_mark;
    yaml_event_delete(&ev);
    if (wants) tree_add(&b, n, push, mark);
  }
  yaml_parser_delete(&p);
  if (b.failed) {
    vc__tnode_free(b.root);
    return NULL;
  }
  return root_checked(c, b.root);
}
