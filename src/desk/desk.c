/*
 * desk.c - the print desk (issue 12; vncert.h, "a print desk"): opening
 * the template, the list and the ledger once for a kiosk's day; the list
 * swapped on reload while calls in flight finish on the old one; finding
 * people and the record of a key.
 *
 * Why a refcount and not a read-write lock: a preview or a print holds the
 * list for the whole drawing (tens of milliseconds); a reload must neither
 * wait for every kiosk screen to go quiet nor free what one still draws.
 *
 * The preview (issue 12, point 2) is drawn by poppler from the very PDF
 * bytes a print sends, so what the person checks is what comes out of the
 * printer.  Which serial: the document's once issued (and the next reprint
 * mark once printed: the next print is a reprint); before that the
 * template's sample serial, as a proof shows it, so that the layout does
 * not move when the real one is given.
 */
#include <cairo.h>
#include <poppler.h>
#include <stdlib.h>
#include <string.h>

#include "core/i18n.h"
#include "core/text.h"
#include "desk/desk-private.h"
#include "records/table.h"

/* FNV-1a of a folded key. */
static size_t key_hash(const char *s) {
  uint64_t h = 1469598103934665603ULL;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
  return (size_t)h;
}

static void list_free(vc__desk_list_t *li) {
  if (!li) return;
  vc_data_free(li->data);
  free(li->slots);
  free(li);
}

/* The key map of li: each row's folded key to its row.  false on no
 * memory (said). */
static bool index_keys(vc__desk_list_t *li, vc_diag_t *d) {
  const vc_table_t *t = vc_data_table(li->data);
  long n = vc_data_count(li->data);
  li->nslots = 16;
  while (li->nslots < (size_t)n * 2 + 2) li->nslots *= 2;
  if (!(li->slots = calloc(li->nslots, sizeof *li->slots))) goto oom;
  for (long r = 0; r < n; r++) {
    char *f = vc_text_fold_search(vc_table_get(t, r, li->key_col));
    if (!f) goto oom;
    size_t i = key_hash(f) & (li->nslots - 1);
    while (li->slots[i]) i = (i + 1) & (li->nslots - 1);
    li->slots[i] = r + 1; /* keys are unique: checked before */
    free(f);
  }
  return true;
oom:
  vc_diag_add(d, VC_E_NOMEM, vc_data_name(li->data), 0, 0, "out of memory indexing the keys");
  return false;
}

long vc__desk_row(const vc__desk_list_t *li, const char *key) {
  char *f = key ? vc_text_fold_search(key) : NULL;
  long row = -1;
  if (!f || !*f) {
    free(f);
    return -1;
  }
  const vc_table_t *t = vc_data_table(li->data);
  for (size_t i = key_hash(f) & (li->nslots - 1); li->slots[i] && row < 0;
       i = (i + 1) & (li->nslots - 1)) {
    char *g = vc_text_fold_search(vc_table_get(t, li->slots[i] - 1, li->key_col));
    if (g && !strcmp(f, g)) row = li->slots[i] - 1;
    free(g);
  }
  free(f);
  return row;
}

long vc__desk_row_said(const vc__desk_list_t *li, const char *key, vc_diag_t *d) {
  long row = vc__desk_row(li, key);
  if (row < 0)
    vc_diag_add(d, VC_E_INPUT, vc_data_name(li->data), 0, 0,
                "no record of the list has this key");
  return row;
}

void vc__desk_copy(char *dst, size_t n, const char *s) {
  vc_text_cut(s ? s : "", n - 1, SIZE_MAX, "…", dst, n);
}

const char *vc__desk_cell(const vc__desk_list_t *li, long row, int col) {
  return col < 0 ? "" : vc_table_get(vc_data_table(li->data), row, col);
}

/* What reading the list said (tmp) into d: as it is when the list cannot
 * be used at all, else its problems as warnings (those records cannot
 * print; the others can, and a ceremony does not stop for one row). */
static void pass_read_diags(vc_diag_t *tmp, bool usable, vc_diag_t *d) {
  for (size_t i = 0; i < vc_diag_kept(tmp); i++) {
    const vc_diag_item_t *it = vc_diag_get(tmp, i);
    if (usable && it->status != VC_WARN)
      vc_diag_add(d, VC_WARN, it->file, it->line, it->col,
                  "this record cannot be printed: %s", it->msg);
    else
      vc_diag_add(d, usable ? VC_WARN : it->status, it->file, it->line, it->col, "%s",
                  it->msg);
  }
}

/* Reads the list and checks what a desk needs of it: usable as a whole,
 * the key column present and unique, at least one record.  A new list
 * with one use (the desk's), or NULL after the problems. */
static vc__desk_list_t *list_load(vc_desk_t *k, vc_diag_t *d) {
  vc__desk_list_t *li = calloc(1, sizeof *li);
  vc_diag_t *tmp = li ? vc_diag_create() : NULL;
  if (!tmp) {
    free(li);
    vc_diag_add(d, VC_E_NOMEM, k->job.data_path, 0, 0, "out of memory reading the list");
    return NULL;
  }
  li->refs = 1;
  size_t before = vc_diag_count(d);
  li->data = vc_data_load(k->e, k->job.data_path, &k->job.read, tmp);
  bool usable = li->data && vc_data_usable(li->data);
  pass_read_diags(tmp, usable, d);
  vc_diag_free(tmp);
  long *rows = NULL, n = 0;
  if (!usable || (k->job.images_dir && !vc_data_set_images_dir(li->data, k->job.images_dir, d)))
    goto bad;
  if (vc_data_choose(li->data, &k->job, &rows, &n, d) != VC_OK) goto bad;
  free(rows);
  li->key_col = vc_table_find_col(vc_data_table(li->data), k->job.key);
  li->name_col = vc_data_col(li->data, "ho_ten");
  li->class_col = vc_data_col(li->data, "lop");
  if (vc_data_count(li->data) < 1) {
    vc_diag_add(d, VC_E_INPUT, vc_data_name(li->data), 0, 0, "the list has no record");
    goto bad;
  }
  if (li->key_col < 0 || vc_diag_count(d) > before || !index_keys(li, d) ||
      !vc_data_search_prepare(li->data, d))
    goto bad;
  return li;
bad:
  if (vc_diag_count(d) == before)
    vc_diag_add(d, VC_E_INPUT, k->job.data_path, 0, 0, "the list cannot be used");
  list_free(li);
  return NULL;
}

vc__desk_list_t *vc__desk_list_get(vc_desk_t *k) {
  pthread_mutex_lock(&k->list_mu);
  vc__desk_list_t *li = k->cur;
  li->refs++;
  pthread_mutex_unlock(&k->list_mu);
  return li;
}

void vc__desk_list_put(vc_desk_t *k, vc__desk_list_t *li) {
  pthread_mutex_lock(&k->list_mu);
  bool last = --li->refs == 0;
  pthread_mutex_unlock(&k->list_mu);
  if (last) list_free(li);
}

vc_print_t *vc__desk_cups(vc_desk_t *k, vc_diag_t *d) {
  if (!k->p) k->p = vc_print_open(k->server, d);
  return k->p;
}

void vc__desk_cups_drop(vc_desk_t *k) {
  vc_print_close(k->p);
  k->p = NULL;
}

/* Copies the caller's strings (they may not outlive the call) into k->job. */
static bool copy_opts(vc_desk_t *k, const vc_desk_opts_t *o) {
  const char *src[VC__DESK_NSTRS] = {
      o->template_path, o->data_path, o->fonts_dir, o->images_dir, o->ledger,
      o->key ? o->key : "ma_sv", o->queue, o->cups_server,
      o->operator_name ? o->operator_name : "kiosk", o->read.encoding, o->read.sheet};
  for (int i = 0; i < VC__DESK_NSTRS; i++)
    if (src[i] && !(k->strs[i] = strdup(src[i]))) return false;
  k->job.template_path = k->strs[0];
  k->job.data_path = k->strs[1];
  k->job.fonts_dir = k->strs[2];
  k->job.images_dir = k->strs[3];
  k->job.ledger = k->strs[4];
  k->job.key = k->strs[5];
  k->queue = k->strs[6];
  k->server = k->strs[7];
  k->job.operator_name = k->strs[8];
  k->job.read = o->read;
  k->job.read.encoding = k->strs[9];
  k->job.read.sheet = k->strs[10];
  k->job.read.shape.fields = NULL; /* the engine's, filled as the list is read */
  k->job.read.shape.nfields = 0;
  return true;
}

/* The ledger, and this host's jobs it holds as not ended asked about
 * (a CUPS that does not answer is only a warning: the desk opens). */
static bool open_ledger(vc_desk_t *k, vc_diag_t *d) {
  if (!(k->rec = vc_print_record_open(&k->job, d))) return false;
  k->l = vc_print_record_ledger(k->rec);
  vc_diag_t *quiet = vc_diag_create();
  if (quiet && vc_print_record_refresh(k->rec, k->server, NULL, quiet) != VC_OK)
    vc_diag_add(d, VC_WARN, NULL, 0, 0,
                "the print jobs not ended could not be asked about (%s): their state "
                "stays as the ledger knows it", vc_diag_kept(quiet) ?
                vc_diag_get(quiet, 0)->msg : _("CUPS did not answer"));
  vc_diag_free(quiet);
  return true;
}

vc_desk_t *vc_desk_open(const vc_desk_opts_t *o, vc_diag_t *d) {
  if (!o || !o->template_path || !o->data_path || !o->queue || !*o->queue) {
    vc_diag_add(d, VC_E_USAGE, NULL, 0, 0, "a print desk needs a template, a list and a "
                "printer queue");
    return NULL;
  }
  vc_desk_t *k = calloc(1, sizeof *k);
  if (k) {
    pthread_mutex_init(&k->list_mu, NULL);
    pthread_mutex_init(&k->mu, NULL);
  }
  if (!k || !copy_opts(k, o)) {
    vc_diag_add(d, VC_E_NOMEM, NULL, 0, 0, "out of memory opening the print desk");
    vc_desk_free(k);
    return NULL;
  }
  if (!realpath(k->job.template_path, k->tpath))
    snprintf(k->tpath, sizeof k->tpath, "%s", k->job.template_path);
  bool ok = vc_ledger_hash_file(k->job.template_path, k->thash, d) == VC_OK &&
            (k->e = vc_engine_create(k->job.template_path, k->job.fonts_dir, d)) &&
            (k->cur = list_load(k, d)) && open_ledger(k, d);
  if (!ok) {
    vc_desk_free(k);
    return NULL;
  }
  return k;
}

void vc_desk_free(vc_desk_t *k) {
  if (!k) return;
  if (k->cur) vc__desk_list_put(k, k->cur);
  vc_print_record_close(k->rec);
  vc_print_close(k->p);
  vc_engine_free(k->e);
  pthread_mutex_destroy(&k->list_mu);
  pthread_mutex_destroy(&k->mu);
  for (int i = 0; i < VC__DESK_NSTRS; i++) free(k->strs[i]);
  free(k);
}

vc_status_t vc_desk_reload(vc_desk_t *k, long *count, vc_diag_t *d) {
  if (!k) {
    vc_diag_add(d, VC_E_USAGE, NULL, 0, 0, "vc_desk_reload: no desk");
    return VC_E_USAGE;
  }
  vc__desk_list_t *li = list_load(k, d);
  if (!li) {
    if (count) *count = vc_desk_count(k);
    vc_status_t st = vc_diag_status(d);
    return st == VC_OK ? VC_E_INPUT : st;
  }
  pthread_mutex_lock(&k->list_mu);
  vc__desk_list_t *old = k->cur;
  k->cur = li;
  pthread_mutex_unlock(&k->list_mu);
  vc__desk_list_put(k, old); /* freed now, or by its last user */
  if (count) *count = vc_data_count(li->data);
  return VC_OK;
}

long vc_desk_count(vc_desk_t *k) {
  if (!k) return 0;
  vc__desk_list_t *li = vc__desk_list_get(k);
  long n = vc_data_count(li->data);
  vc__desk_list_put(k, li);
  return n;
}

const char *vc_desk_title(const vc_desk_t *k) { return k ? vc_engine_title(k->e) : ""; }
bool vc_desk_demo_signed(const vc_desk_t *k) { return k && vc_engine_demo_signed(k->e); }

long vc_desk_search(vc_desk_t *k, const char *text, vc_desk_hit_t *hits, long max,
                    vc_diag_t *d) {
  if (!k || !text || (!hits && max > 0) || max < 0) {
    vc_diag_add(d, VC_E_USAGE, NULL, 0, 0, "vc_desk_search: no desk, text or room for hits");
    return -1;
  }
  if (!max) return 0;
  vc__desk_list_t *li = vc__desk_list_get(k);
  if (max > vc_data_count(li->data)) max = vc_data_count(li->data);
  long *rows = malloc((size_t)max * sizeof *rows);
  if (!rows) {
    vc__desk_list_put(k, li);
    vc_diag_add(d, VC_E_NOMEM, NULL, 0, 0, "out of memory searching");
    return -1;
  }
  long n = vc_data_search(li->data, text, max, rows, d);
  for (long i = 0; i < n; i++) {
    snprintf(hits[i].key, sizeof hits[i].key, "%s", vc__desk_cell(li, rows[i], li->key_col));
    VC__DESK_COPY(hits[i].name, vc__desk_cell(li, rows[i], li->name_col));
    VC__DESK_COPY(hits[i].class_name, vc__desk_cell(li, rows[i], li->class_col));
  }
  vc__desk_list_put(k, li);
  free(rows);
  return n;
}

/* ---- the preview ---- */

#define PREVIEW_MIN_PX 200
#define PREVIEW_MAX_PX 2400

/* A growing PNG in memory (cairo's write callback). */
typedef struct png_buf {
  unsigned char *p;
  size_t len, cap;
  bool oom;
} png_buf_t;

static cairo_status_t png_write(void *ud, const unsigned char *data, unsigned int n) {
  png_buf_t *b = ud;
  if (b->len + n > b->cap) {
    size_t cap = b->cap ? b->cap * 2 : 65536;
    while (cap < b->len + n) cap *= 2;
    unsigned char *q = realloc(b->p, cap);
    if (!q) {
      b->oom = true;
      return CAIRO_STATUS_NO_MEMORY;
    }
    b->p = q;
    b->cap = cap;
  }
  memcpy(b->p + b->len, data, n);
  b->len += n;
  return CAIRO_STATUS_SUCCESS;
}

/* The first page of the PDF pdf[0..len) as a PNG width_px wide, on white,
 * into *png (caller frees) and *out_len.  VC_E_PDF / VC_E_NOMEM said. */
static vc_status_t pdf_to_png(const unsigned char *pdf, size_t len, int width_px,
                              unsigned char **png, size_t *out_len, vc_diag_t *d) {
  GBytes *bytes = g_bytes_new_static(pdf, len);
  GError *err = NULL;
  PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL, &err);
  PopplerPage *page = doc ? poppler_document_get_page(doc, 0) : NULL;
  vc_status_t st = VC_OK;
  png_buf_t b = {0};
  if (!page) {
    vc_diag_add(d, VC_E_PDF, NULL, 0, 0, "the page could not be read back to show it (%s)",
                err ? err->message : _("no page"));
    st = VC_E_PDF;
  } else {
    double w, h;
    poppler_page_get_size(page, &w, &h);
    double scale = width_px / w;
    int height_px = (int)(h * scale + 0.5);
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width_px, height_px);
    cairo_t *cr = cairo_create(s);
    cairo_set_source_rgb(cr, 1, 1, 1);
    cairo_paint(cr);
    cairo_scale(cr, scale, scale);
    poppler_page_render(page, cr);
    cairo_destroy(cr);
    cairo_surface_flush(s);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS ||
        cairo_surface_write_to_png_stream(s, png_write, &b) != CAIRO_STATUS_SUCCESS) {
      if (b.oom)
        vc_diag_add(d, VC_E_NOMEM, NULL, 0, 0, "out of memory showing the page");
      else
        vc_diag_add(d, VC_E_PDF, NULL, 0, 0, "the page could not be drawn as an image (%dx%d)",
                    width_px, height_px);
      st = b.oom ? VC_E_NOMEM : VC_E_PDF;
    }
    cairo_surface_destroy(s);
  }
  if (page) g_object_unref(page);
  if (doc) g_object_unref(doc);
  if (err) g_error_free(err);
  g_bytes_unref(bytes);
  if (st != VC_OK) free(b.p);
  *png = st == VC_OK ? b.p : NULL;
  *out_len = st == VC_OK ? b.len : 0;
  return st;
}

/* The serial and mark key's next print will carry (see the top), into
 * serial / mark ("" mark: none).  Under mu for the ledger. */
static vc_status_t next_values(vc_desk_t *k, const char *key, char *serial, size_t ns,
                               char *mark, size_t nm, vc_diag_t *d) {
  vc__desk_state_t s;
  serial[0] = mark[0] = '\0';
  pthread_mutex_lock(&k->mu);
  vc_status_t st = vc__desk_state(k, key, &s, d);
  pthread_mutex_unlock(&k->mu);
  if (st != VC_OK) return st;
  if (s.doc) {
    snprintf(serial, ns, "%s", s.doc->serial ? s.doc->serial : "");
    if (s.state == VC_DESK_PRINTED) vc_reprint_mark_format(s.doc->reprints + 1, mark, nm);
  } else if (!vc_engine_sample_serial(k->e, serial, ns)) {
    serial[0] = '\0';
  }
  vc_ledger_doc_free(s.doc);
  return VC_OK;
}

vc_status_t vc_desk_preview(vc_desk_t *k, const char *key, int width_px,
                            unsigned char **png, size_t *len, vc_diag_t *d) {
  if (png) *png = NULL;
  if (len) *len = 0;
  if (!k || !key || !png || !len) {
    vc_diag_add(d, VC_E_USAGE, NULL, 0, 0, "vc_desk_preview: no desk, key or result");
    return VC_E_USAGE;
  }
  if (width_px < PREVIEW_MIN_PX || width_px > PREVIEW_MAX_PX) {
    vc_diag_add(d, VC_E_USAGE, NULL, 0, 0, "a preview is %d to %d pixels wide, not %d",
                PREVIEW_MIN_PX, PREVIEW_MAX_PX, width_px);
    return VC_E_USAGE;
  }
  vc__desk_list_t *li = vc__desk_list_get(k);
  long row = vc__desk_row_said(li, key, d);
  char serial[VC_LEDGER_SERIAL_MAX], mark[64];
  unsigned char *pdf = NULL;
  size_t n = 0;
  vc_status_t st = row < 0 ? VC_E_INPUT
                           : next_values(k, vc__desk_cell(li, row, li->key_col), serial,
                                         sizeof serial, mark, sizeof mark, d);
  if (st == VC_OK)
    st = vc_record_render_issued(k->e, li->data, row, serial, *mark ? mark : NULL, &pdf, &n, d);
  if (st == VC_OK) st = pdf_to_png(pdf, n, width_px, png, len, d);
  free(pdf);
  vc__desk_list_put(k, li);
  return st;
}
