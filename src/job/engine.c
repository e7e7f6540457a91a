/*
 * engine.c - template + fonts + data → laid-out pages (see engine.h).
 *
 * Placeholders are resolved once per data set (to a column, a default or a
 * template value), so laying out a record is a few lookups by pointer, not a
 * string search: this runs 10,000+ times a second.
 */
#include "job/engine-private.h"
#include "job/job-private.h"

#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/i18n.h"
#include "core/mem.h"
#include "core/text.h"
#include "input/decode.h"
#include "input/reader.h"

/* What the template lets one text box expand to must be drawable in one
 * piece, or `check` would pass what `render` refuses. */
_Static_assert(VC_TEXT_MAX_BYTES <= VC_PDF_TEXT_MAX_BYTES,
               "a text box may hold more than the PDF writer draws at once");

/* ---- engine ---------------------------------------------------------- */

static void tl_free_all(vc_textlayout_t *tl, size_t n) {
  if (!tl) return;
  for (size_t i = 0; i < n; i++) vc_textlayout_free(&tl[i]);
  free(tl);
}

void vc_engine_free(vc_engine_t *e) {
  if (!e) return;
  for (size_t i = 0; e->signers && i < e->tpl->nels; i++) vc_signer_free(e->signers[i]);
  free(e->signers);
  tl_free_all(e->static_tl, e->tpl ? e->tpl->nels : 0);
  free(e->is_static);
  free(e->fonts);
  vc_fontset_free(e->fs);
  vc_template_free(e->tpl);
  free(e);
}

/* Lays out the elements whose text never changes, once. */
static bool layout_static(vc_engine_t *e, vc_diag_t *d) {
  const vc_template_t *t = e->tpl;
  bool ok = true;
  for (size_t i = 0; i < t->nels; i++) {
    const vc_el_t *el = &t->els[i];
    if (el->kind != VC_EL_TEXT || !vc_expr_is_static(el->text)) continue;
    char err[256];
    char *s = vc_expr_eval(el->text, NULL, NULL, err, sizeof err);
    if (!s) {
      vc_diag_add(d, VC_E_INPUT, t->path, el->line, 0, "%s", err);
      ok = false;
      continue;
    }
    vc_textlayout_t *tl = &e->static_tl[i];
    bool mem = vc_layout_text(tl, el, e->fonts[el->font], e->fs, s, strlen(s));
    free(s);
    if (!mem) {
      vc_diag_add(d, VC_E_NOMEM, NULL, 0, 0, "out of memory");
      return false;
    }
    e->is_static[i] = true;
    if (tl->missing_cp) {
      char ch[8] = {0};
      vc_utf8_encode(tl->missing_cp, ch);
      vc_diag_add(d, VC_E_FONT, t->path, el->line, 0,
                  "the font '%s' has no character U+%04X '%s' (character %zu of "
                  "the text); use another font or set 'fallback: true'",
                  vc_font_family(e->fonts[el->font]), (unsigned)tl->missing_cp,
                  ch, tl->missing_col);
      ok = false;
    }
    if (!tl->fits) {
      char pt[32], sh[100];
      vc_diag_add(d, VC_E_INPUT, t->path, el->line, 0,
                  "the text \"%s\" does not fit its box even at %s pt: make "
                  "the box larger, allow more lines or a smaller min_size",
                  vc_text_shorten(tl->text, sh, sizeof sh),
                  vc_text_fmt_num(el->min_size, pt, sizeof pt));
      ok = false;
    }
  }
  return ok;
}

bool vc__engine_load_signers(vc_engine_t *e, vc_diag_t *d) {
  const vc_template_t *t = e->tpl;
  if (!(e->signers = calloc(t->nels ? t->nels : 1, sizeof *e->signers))) {
    vc_diag_add(d, VC_E_NOMEM, t->path, 0, 0, "out of memory loading the template");
    return false;
  }
  bool ok = true;
  for (size_t i = 0; i < t->nels; i++) {
    const vc_el_t *el = &t->els[i];
    if (el->kind != VC_EL_QR) continue;
    /* The published DEMO key (the shipped templates', key: DEMO) is said
     * where it matters: verify and the page show its comment, "DEMO ...". */
    e->signers[i] = el->qr_key ? vc_signer_load(el->qr_key, d) : vc_signer_demo(d);
    if (!e->signers[i]) ok = false;
  }
  return ok;
}

vc_engine_t *vc_engine_create(const char *template_path, const char *fonts_dir,
                              vc_diag_t *d) {
  vc_engine_t *e = calloc(1, sizeof *e);
  if (!e) {
    vc_diag_add(d, VC_E_NOMEM, template_path, 0, 0, "out of memory loading the template");
    return NULL;
  }
  e->tpl = vc_template_load(template_path, d);
  if (!e->tpl) goto fail;
  e->fs = vc_fontset_create(fonts_dir, d);
  if (!e->fs) goto fail;
  const vc_template_t *t = e->tpl;
  e->fonts = calloc(t->nfonts ? t->nfonts : 1, sizeof *e->fonts);
  e->static_tl = calloc(t->nels ? t->nels : 1, sizeof *e->static_tl);
  e->is_static = calloc(t->nels ? t->nels : 1, sizeof *e->is_static);
  if (!e->fonts || !e->static_tl || !e->is_static) {
    vc_diag_add(d, VC_E_NOMEM, template_path, 0, 0, "out of memory loading the template");
    goto fail;
  }
  bool ok = true;
  for (size_t i = 0; i < t->nfonts; i++) {
    const vc_tfont_t *tf = &t->fonts[i];
    e->fonts[i] = vc_fontset_find(e->fs, tf->family, tf->style, tf->file,
                                  t->path, tf->line, d);
    if (!e->fonts[i]) ok = false;
  }
  if (!ok || !layout_static(e, d) || !vc__engine_load_signers(e, d)) goto fail;
  return e;
fail:
  vc_engine_free(e);
  return NULL;
}

double vc_engine_page_w_pt(const vc_engine_t *e) { return e->tpl->page_w * VC_MM_TO_PT; }
double vc_engine_page_h_pt(const vc_engine_t *e) { return e->tpl->page_h * VC_MM_TO_PT; }
const char *vc_engine_title(const vc_engine_t *e) { return e->tpl->title; }

bool vc_engine_demo_signed(const vc_engine_t *e) {
  for (size_t i = 0; e->signers && i < e->tpl->nels; i++)
    if (e->signers[i] && vc_signer_is_demo(e->signers[i])) return true;
  return false;
}
const char *vc_engine_serial_pattern(const vc_engine_t *e) { return e->tpl->serial; }

/* The engine's inputs checked or listed for a front end (vncert.h). */
vc_status_t vc_encoding_check(const char *encoding, vc_diag_t *d) {
  return vc_decode_check(encoding, d);
}

bool vc_fonts_list_vi(const char *fonts_dir, vc_font_info_t **list, size_t *n,
                      vc_diag_t *d) {
  *list = NULL;
  *n = 0;
  vc_fontset_t *fs = vc_fontset_create(fonts_dir, d);
  if (!fs) return false;
  *n = vc_fontset_list_vi(fs, list);
  vc_fontset_free(fs);
  return true;
}

/* ---- data ------------------------------------------------------------ */

static long row_of_line(const vc_table_t *t, int line);

void vc_data_free(vc_data_t *data) {
  if (!data) return;
  vc__search_index_free(data->search, vc_data_count(data));
  vc_binding_free(data->bind);
  vc_table_free(data->table);
  free(data->bad);
  free(data->res);
  free(data->el_col);
  free(data->dir);
  free(data->img_dirs[0]);
  free(data->img_dirs[1]);
  free(data);
}

static const vc_kv_t *find_kv(const vc_kv_t *kv, size_t n, const char *name) {
  for (size_t i = 0; i < n; i++)
    if (strcmp(kv[i].key, name) == 0) return &kv[i];
  char *k = vc_text_fold_key(name);
  const vc_kv_t *hit = NULL;
  for (size_t i = 0; k && i < n && !hit; i++) {
    char *k2 = vc_text_fold_key(kv[i].key);
    if (k2 && strcmp(k, k2) == 0) hit = &kv[i];
    free(k2);
  }
  free(k);
  return hit;
}

static const vc_field_spec_t *find_field(const vc_template_t *t, const char *name) {
  for (size_t i = 0; i < t->nfields; i++)
    if (strcmp(t->fields[i].key, name) == 0) return &t->fields[i];
  return NULL;
}

/* Resolves one placeholder name for this data set. */
static void resolve_name(vc_data_t *data, const char *name, vc_resolved_t *r) {
  const vc_template_t *t = data->e->tpl;
  r->name = name;
  r->col = vc_binding_col(data->bind, name);
  const vc_field_spec_t *f = find_field(t, name);
  r->dflt = f ? f->dflt : NULL;
  r->declared = f != NULL;
  const vc_kv_t *kv = find_kv(t->values, t->nvalues, name);
  r->value = kv ? kv->value : NULL;
  r->ledger = 0;
  if (r->col < 0 && !f && !kv) { /* the data's own serial column wins */
    if (!strcmp(name, "serial")) r->ledger = VC__LEDGER_SERIAL;
    else if (!strcmp(name, "reprint_mark")) r->ledger = VC__LEDGER_MARK;
    r->declared = r->ledger != 0;
  }
}

/* engine-private.h: x's placeholders bound (element i's; list.c passes
 * SIZE_MAX); 1, 0 after reporting an unknown one, -1 on no memory. */
int vc__data_resolve_expr(vc_data_t *data, size_t i, const vc_expr_t *x, vc_diag_t *d) {
  const vc_template_t *t = data->e->tpl;
  int ok = 1;
  for (size_t s = 0; s < x->nsegs; s++) {
    const char *name = x->segs[s].name;
    if (!name) continue;
    bool seen = false;
    for (size_t k = 0; k < data->nres && !seen; k++) seen = data->res[k].name == name;
    if (seen) continue;
    if (!vc_array_grow(&data->res, data->nres, &data->res_cap, sizeof *data->res, 16)) {
      vc__nomem(d, vc_table_name(data->table), _("binding the template's placeholders"));
      return -1;
    }
    vc_resolved_t *r = &data->res[data->nres++];
    resolve_name(data, name, r);
    if (r->col < 0 && !r->value && !r->declared) {
      vc_diag_add(d, VC_E_INPUT, t->path, x->segs[s].line, x->segs[s].col,
                  "unknown placeholder {%s}: %s has no such column and the "
                  "template declares no such field or value",
                  name, data->table ? vc_table_name(data->table) : _("the data"));
      ok = 0;
    }
  }
  if (i != SIZE_MAX && !data->el_col[i])
    for (size_t s = 0; s < x->nsegs && !data->el_col[i]; s++)
      if (x->segs[s].name) {
        int c = vc_binding_col(data->bind, x->segs[s].name);
        if (c >= 0) data->el_col[i] = c + 1;
      }
  return ok;
}

/* Walks every placeholder of the template: texts, per-record images, the
 * values a QR code signs. */
static bool resolve_all(vc_data_t *data, vc_diag_t *d) {
  const vc_template_t *t = data->e->tpl;
  bool ok = true;
  for (size_t i = 0; i < t->nels; i++) {
    const vc_el_t *el = &t->els[i];
    const vc_expr_t *const *xs = el->kind == VC_EL_TEXT    ? (const vc_expr_t *const *)&el->text
                                 : el->kind == VC_EL_IMAGE ? (const vc_expr_t *const *)&el->src
                                 : (const vc_expr_t *const *)el->qr_val;
    int n = el->kind == VC_EL_QR ? VC_QR_NVALS : el->kind == VC_EL_TEXT || el->kind == VC_EL_IMAGE;
    for (int k = 0; k < n; k++) {
      int r = xs[k] ? vc__data_resolve_expr(data, i, xs[k], d) : 1;
      if (r < 0) return false;
      if (r == 0) ok = false;
    }
  }
  if (t->list) { /* issue 13: the list's own texts (list.c) */
    int r = vc__list_resolve(data, d);
    if (r < 0) return false;
    if (r == 0) ok = false;
  }
  return ok;
}

static char *dir_of(const char *path) {
  const char *slash = strrchr(path, '/');
  if (!slash) return strdup(".");
  if (slash == path) return strdup("/");
  return strndup(path, (size_t)(slash - path));
}

static vc_data_t *data_new(vc_engine_t *e, vc_table_t *table, const char *path,
                           vc_diag_t *d) {
  size_t before = vc_diag_count(d);
  vc_data_t *data = calloc(1, sizeof *data);
  if (!data) {
    vc_table_free(table);
    vc__nomem(d, path, _("reading the list"));
    return NULL;
  }
  data->e = e;
  data->table = table;
  data->dir = dir_of(path);
  data->img_dirs[0] = data->dir ? realpath(data->dir, NULL) : NULL;
  long n = vc_table_nrows(table);
  data->bad = calloc((size_t)(n ? n : 1), sizeof *data->bad);
  data->el_col = calloc(e->tpl->nels ? e->tpl->nels : 1, sizeof *data->el_col);
  data->bind = vc_binding_create(e->tpl->fields, e->tpl->nfields, table,
                                 e->tpl->path, d);
  if (!data->dir || !data->bad || !data->el_col || !data->bind) {
    if (data->bind || vc_diag_count(d) == before) vc__nomem(d, path, _("reading the list"));
    vc_data_free(data);
    return NULL;
  }
  for (long r = 0; r < n; r++) data->bad[r] = !vc_table_row_ok(table, r);
  if (!resolve_all(data, d)) data->unusable = true;
  return data;
}

/* The template's required fields as the header finder wants them (each:
 * its key, then its aliases), into o; *names and *fields are the caller's
 * to free (NULL when the template requires none).  false on no memory. */
static bool required_fields(const vc_template_t *tpl, vc_shape_opts_t *o,
                            const char ***names, vc_shape_field_t **fields) {
  size_t nn = 0, nf = 0;
  for (size_t i = 0; i < tpl->nfields; i++)
    if (tpl->fields[i].required) nn += 1 + tpl->fields[i].naliases, nf++;
  *names = NULL;
  *fields = NULL;
  if (!nf) return true;
  *names = calloc(nn, sizeof **names);
  *fields = calloc(nf, sizeof **fields);
  if (!*names || !*fields) return false;
  size_t at = 0, f = 0;
  for (size_t i = 0; i < tpl->nfields; i++) {
    const vc_field_spec_t *sp = &tpl->fields[i];
    if (!sp->required) continue;
    (*fields)[f].names = *names + at;
    (*fields)[f].nnames = (int)(1 + sp->naliases);
    (*names)[at++] = sp->key;
    for (size_t a = 0; a < sp->naliases; a++) (*names)[at++] = sp->aliases[a];
    f++;
  }
  o->fields = *fields;
  o->nfields = (int)nf;
  return true;
}

vc_data_t *vc_data_load(vc_engine_t *e, const char *path,
                        const vc_read_opts_t *ro, vc_diag_t *d) {
  size_t before = vc_diag_kept(d);
  /* the header is the first row holding the template's required fields */
  vc_read_opts_t o = ro ? *ro : (vc_read_opts_t){0};
  const char **names = NULL;
  vc_shape_field_t *fields = NULL;
  if (!o.shape.fields && !o.shape.header_row &&
      !required_fields(e->tpl, &o.shape, &names, &fields)) {
    free(names);
    free(fields);
    vc_diag_add(d, VC_E_NOMEM, path, 0, 0, "out of memory");
    return NULL;
  }
  vc_read_info_t info;
  vc_table_t *table = vc_input_read(path, &o, &info, d);
  free(names);
  free(fields);
  if (!table) return NULL;
  vc_data_t *data = data_new(e, table, path, d);
  if (!data) return NULL;
  data->info = info;
  /* A problem not tied to a bad record's line (header, missing column):
   * no record can be trusted. */
  for (size_t i = before; i < vc_diag_kept(d) && !data->unusable; i++) {
    const vc_diag_item_t *it = vc_diag_get(d, i);
    if (it->status == VC_WARN) continue;
    long hit = row_of_line(table, it->line);
    if (hit < 0 || !data->bad[hit]) data->unusable = true;
  }
  return data;
}

/* What reading the list found (see engine.h). */
const vc_read_info_t *vc_data_read_info(const vc_data_t *data) {
  static const vc_read_info_t none;
  return data ? &data->info : &none;
}

bool vc_data_set_images_dir(vc_data_t *data, const char *extra, vc_diag_t *d) {
  free(data->img_dirs[1]);
  data->img_dirs[1] = NULL;
  if (!extra) return true;
  struct stat st;
  if (stat(extra, &st) != 0 || !S_ISDIR(st.st_mode) ||
      !(data->img_dirs[1] = realpath(extra, NULL))) {
    vc_diag_add(d, VC_E_USAGE, extra, 0, 0, "--images: not a folder");
    return false;
  }
  return true;
}

/* The row of a physical line (rows are in file order), or -1. */
static long row_of_line(const vc_table_t *t, int line) {
  long lo = 0, hi = vc_table_nrows(t) - 1;
  while (lo <= hi && line > 0) {
    long mid = lo + (hi - lo) / 2;
    int l = vc_table_row_line(t, mid);
    if (l == line) return mid;
    if (l < line) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

bool vc__data_check_rows(vc_data_t *data, const long *rows, long n, vc_diag_t *d) {
  vc_diag_t *tmp = vc_diag_create();
  long nrows = vc_table_nrows(data->table);
  bool *want = calloc((size_t)(nrows ? nrows : 1), 1);
  if (!tmp || !want) {
    vc_diag_free(tmp);
    free(want);
    vc__nomem(d, vc_data_name(data), _("checking the records"));
    return false;
  }
  for (long i = 0; i < n; i++) want[rows[i]] = true;
  vc_binding_check_rows(data->bind, data->table, data->bad, tmp);
  /* Only the chosen records' problems: a reprint of one certificate is not
   * blocked by a wrong amount in another row. */
  for (size_t i = 0; i < vc_diag_kept(tmp); i++) {
    const vc_diag_item_t *it = vc_diag_get(tmp, i);
    long r = row_of_line(data->table, it->line);
    if (r < 0 || want[r])
      vc_diag_add(d, it->status, it->file, it->line, it->col, "%s", it->msg);
  }
  vc_diag_free(tmp);
  free(want);
  return true;
}

vc_data_t *vc_data_sample(vc_engine_t *e, vc_diag_t *d) {
  const vc_template_t *t = e->tpl;
  vc_table_t *table = vc_table_create("sample");
  if (!table) {
    vc__nomem(d, t->path, _("making the sample record"));
    return NULL;
  }
  long r = -1;
  bool ok = true;
  /* Every declared field, from the sample or a visible stand-in. */
  for (size_t i = 0; i < t->nfields && ok; i++) ok = vc_table_add_column(table, t->fields[i].key) >= 0;
  for (size_t i = 0; i < t->nsample && ok; i++)
    if (!find_field(t, t->sample[i].key)) ok = vc_table_add_column(table, t->sample[i].key) >= 0;
  if (ok) r = vc_table_add_row(table, 0);
  for (int c = 0; ok && r >= 0 && c < vc_table_ncols(table); c++) {
    const char *key = vc_table_col_header(table, c);
    const vc_kv_t *kv = find_kv(t->sample, t->nsample, key);
    const vc_field_spec_t *f = find_field(t, key);
    char stand[256];
    const char *v = kv ? kv->value : NULL;
    if (!v && f && f->dflt) v = f->dflt;
    if (!v && f && f->type == VC_FIELD_AMOUNT) v = "5000000";
    if (!v && f && f->type == VC_FIELD_DATE) v = "2024-12-19";
    if (!v) {
      snprintf(stand, sizeof stand, "«%s»", key);
      v = stand;
    }
    ok = vc_table_set_cell(table, r, c, v, strlen(v));
  }
  if (!ok || r < 0) {
    vc_table_free(table);
    vc__nomem(d, t->path, _("making the sample record"));
    return NULL;
  }
  return data_new(e, table, t->path, NULL);
}

long vc_data_count(const vc_data_t *data) { return vc_table_nrows(data->table); }
int vc_data_row_line(const vc_data_t *data, long row) { return vc_table_row_line(data->table, row); }
bool vc_data_row_ok(const vc_data_t *data, long row) {
  return !data->unusable && !data->bad[row];
}
const char *vc_data_name(const vc_data_t *data) { return vc_table_name(data->table); }
const vc_table_t *vc_data_table(const vc_data_t *data) { return data->table; }
int vc_data_col(const vc_data_t *data, const char *name) { return vc_binding_col(data->bind, name); }
bool vc__data_usable(const vc_data_t *data) { return !data->unusable; }
bool vc_data_usable(const vc_data_t *data) { return vc__data_usable(data); }

static const char *value_of(const vc_data_t *data, long row, const vc_resolved_t *r) {
  if (r->ledger == VC__LEDGER_SERIAL) {
    if (!data->serials) return "";
    /* published by the reserving thread (job/issue.c) */
    const char *s = __atomic_load_n(&data->serials[row], __ATOMIC_ACQUIRE);
    if (!s && data->serial_wait) s = data->serial_wait(data->serial_ud, row);
    return s ? s : "";
  }
  if (r->ledger == VC__LEDGER_MARK) return data->reprint_mark ? data->reprint_mark : "";
  if (r->col >= 0) {
    const char *v = vc_table_get(data->table, row, r->col);
    if (*v || !r->dflt) return v;
    return r->dflt;
  }
  if (r->dflt) return r->dflt;
  if (r->value) return r->value;
  return r->declared ? "" : NULL;
}

const char *vc_data_value(const vc_data_t *data, long row, const char *name) {
  for (size_t k = 0; k < data->nres; k++)
    if (data->res[k].name == name) return value_of(data, row, &data->res[k]);
  vc_resolved_t r;
  resolve_name((vc_data_t *)data, name, &r); /* reads only; cast for reuse */
  return value_of(data, row, &r);
}

/* Which of the ledger's values name is (VC__LEDGER_*), 0 for none. */
static int ledger_value(const vc_data_t *data, const char *name) {
  for (size_t k = 0; k < data->nres; k++)
    if (data->res[k].name == name) return data->res[k].ledger;
  vc_resolved_t r;
  resolve_name((vc_data_t *)data, name, &r); /* reads only; cast for reuse */
  return r.ledger;
}

const char *vc__data_lookup(void *ud, const char *name) {
  const vc_lookup_ud_t *u = ud;
  if (u->serial || u->mark) {
    int lv = ledger_value(u->data, name);
    if (lv == VC__LEDGER_SERIAL && u->serial) return u->serial;
    if (lv == VC__LEDGER_MARK && u->mark) return u->mark;
  }
  return vc_data_value(u->data, u->row, name);
}

char *vc_data_expand(const vc_data_t *data, long row, const char *pattern,
                     vc_diag_t *d) {
  vc_expr_t *x = vc_expr_parse(pattern, "--name", 1, 1, d);
  if (!x) return NULL;
  char err[256];
  vc_lookup_ud_t u = {data, row, NULL, NULL};
  char *s = vc_expr_eval(x, vc__data_lookup, &u, err, sizeof err);
  if (!s)
    vc_diag_add(d, VC_E_INPUT, vc_data_name(data), vc_data_row_line(data, row),
                0, "file name pattern: %s", err);
  vc_expr_free(x);
  return s;
}

