/*
 * pdf-stream.c - one PDF written to a file while it is drawn (see pdf.h).
 *
 * Why: libharu keeps a whole document in memory until it is saved, about
 * 12 KB a page: 1.2 GB for 100,000 certificates.  Here each finished page
 * is written at once, with libharu's own object writer, and its memory is
 * given back; what stays is what later pages or the end need.
 *
 * How, over libharu 2.3.0's exported internals (hpdf_objects.h):
 *  - Objects keep libharu's numbers: a reference is printed from the target
 *    object's header, so a page written now refers correctly to a font that
 *    is written at the end.  The cross-reference table is ours: an offset
 *    for each object written, a free entry for each one freed unwritten.
 *  - Flushing a page writes the page dict, then every object it reaches and
 *    that is not written yet (its content stream, images), each before the
 *    /Length object its stream sets while being written.  Fonts are not
 *    followed: they grow with every page (glyphs used) and are written at
 *    the end, repaired and subset like a whole save does.
 *  - Then the page's memory goes: its content stream and the /Length
 *    numbers are freed and dropped from libharu's object table; the page
 *    dict and the images are emptied but stay, as small shells, because
 *    libharu still holds them (the page tree's /Kids, the page list, the
 *    image cache of pdf.c, which draws an image again by its shell).  A
 *    shell is never written again; the page tree, written at the end, gets
 *    the shells' numbers through /Kids and counts them by their class.
 *
 * The output goes through a buffer to a descriptor that is never seeked,
 * so standard output works too; offsets are counted here (64-bit).
 */
#include "core/i18n.h"
#include "render/pdf-private.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hpdf_doc.h>
#include <hpdf_list.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>

#include "core/mem.h"
#include "render/hpdf-fix.h"

#define BUF_SIZE (256u << 10)
#define ID_MASK 0x00FFFFFFu

struct vc_pdf_stream {
  vc_pdf_t *p;
  HPDF_Doc doc;
  vc_diag_t *d;
  int fd;
  unsigned char *buf;
  size_t blen;
  unsigned long long pos; /* bytes written, buffered ones included */
  int err;                /* errno of a failed write, 0 */
  HPDF_Stream w;          /* libharu writes through to_buf */
  unsigned long long *off; /* by libharu id: offset + 1; 0 = not written */
  size_t noff;
  HPDF_UINT pages_done;   /* pages of the page list already written */
  /* objects reached from the page being flushed, to write then free */
  void **stack;
  bool *direct;           /* the entry was reached from the page itself */
  size_t nstack, stack_cap;
  void **done;            /* written during this flush */
  size_t ndone, done_cap;
  bool bad, closed;
};

/* ---- output --------------------------------------------------------------- */

static bool fail(vc_pdf_stream_t *s, vc_status_t st, const char *what) {
  if (!s->bad) vc_diag_add(s->d, st, NULL, 0, 0, "writing the PDF: %s", _(what));
  s->bad = true;
  return false;
}

static bool drain_buf(vc_pdf_stream_t *s) {
  struct iovec v = {.iov_base = s->buf, .iov_len = s->blen};
  if (!s->err && !vc__pdf_write_iov(s->fd, &v, 1)) s->err = errno;
  s->blen = 0;
  return !s->err;
}

static void put(vc_pdf_stream_t *s, const void *p, size_t n) {
  const unsigned char *b = p;
  s->pos += n;
  while (n > 0 && !s->err) {
    size_t k = BUF_SIZE - s->blen < n ? BUF_SIZE - s->blen : n;
    memcpy(s->buf + s->blen, b, k);
    s->blen += k, b += k, n -= k;
    if (s->blen == BUF_SIZE) drain_buf(s);
  }
}

static void put_str(vc_pdf_stream_t *s, const char *t) { put(s, t, strlen(t)); }

/* Decimal, locale-free; width > 0 pads with zeros (xref entries). */
static void put_uint(vc_pdf_stream_t *s, unsigned long long v, int width) {
  char t[24], o[24];
  int k = 0;
  do t[k++] = (char)('0' + v % 10); while ((v /= 10) != 0);
  while (k < width) t[k++] = '0';
  for (int i = 0; i < k; i++) o[i] = t[k - 1 - i];
  put(s, o, (size_t)k);
}

static HPDF_STATUS to_buf(HPDF_Stream st, const HPDF_BYTE *ptr, HPDF_UINT n) {
  vc_pdf_stream_t *s = st->attr;
  put(s, ptr, n);
  return s->err ? HPDF_FILE_IO_ERROR : HPDF_OK;
}

/* The write error as a diag, once. */
static bool io_ok(vc_pdf_stream_t *s) {
  if (!s->err) return true;
  if (!s->bad)
    vc_diag_add(s->d, VC_E_IO, NULL, 0, 0, "cannot write the PDF file: %s",
                strerror(s->err));
  s->bad = true;
  return false;
}

/* ---- objects -------------------------------------------------------------- */

/* libharu's id of an indirect object of the document; 0 when o is not one
 * (a reference that would dangle). */
static uint32_t id_of(const vc_pdf_stream_t *s, void *o) {
  const HPDF_Obj_Header *h = o;
  uint32_t id = h->obj_id & ID_MASK;
  HPDF_List l = s->doc->xref->entries;
  if (!(h->obj_id & HPDF_OTYPE_INDIRECT) || id == 0 || id >= l->count ||
      ((HPDF_XrefEntry)l->obj[id])->obj != o)
    return 0;
  return id;
}

static bool written(const vc_pdf_stream_t *s, uint32_t id) {
  return id < s->noff && s->off[id] != 0;
}

/* Writes object o (number id): "id 0 obj ... endobj". */
static bool write_obj(vc_pdf_stream_t *s, void *o, uint32_t id) {
  if (id >= s->noff) {
    size_t n = s->noff ? s->noff : 4096;
    while (n <= id) n *= 2;
    unsigned long long *no = realloc(s->off, n * sizeof *no);
    if (!no) return fail(s, VC_E_NOMEM, N_("out of memory"));
    memset(no + s->noff, 0, (n - s->noff) * sizeof *no);
    s->off = no;
    s->noff = n;
  }
  s->off[id] = s->pos + 1;
  put_uint(s, id, 0);
  put_str(s, " 0 obj\n");
  HPDF_STATUS r = HPDF_Obj_WriteValue(o, s->w, NULL);
  put_str(s, "\nendobj\n");
  if (!io_ok(s)) return false;
  if (!vc__pdf_check(s->p, r == HPDF_OK, NULL, true, N_("writing the PDF"))) {
    s->bad = true;
    return false;
  }
  return true;
}

static unsigned sub_of(const void *o) {
  return ((const HPDF_Obj_Header *)o)->obj_class & 0xFF00u;
}

static bool push(vc_pdf_stream_t *s, void *o, bool direct) {
  if (s->nstack == s->stack_cap) {
    size_t n = s->stack_cap ? s->stack_cap * 2 : 64;
    void **ns = realloc(s->stack, n * sizeof *ns);
    bool *nd = ns ? realloc(s->direct, n * sizeof *nd) : NULL;
    if (ns) s->stack = ns;
    if (!ns || !nd) return fail(s, VC_E_NOMEM, N_("out of memory"));
    s->direct = nd;
    s->stack_cap = n;
  }
  s->direct[s->nstack] = direct;
  s->stack[s->nstack++] = o;
  return true;
}

typedef struct reach {
  vc_pdf_stream_t *s;
  bool from_page;
} reach_t;

/* Each object a page (or what it reaches) refers to: fonts wait for the
 * end, the rest is written with the page unless written already. */
static bool reach(void *o, void *ctx) {
  reach_t *r = ctx;
  vc_pdf_stream_t *s = r->s;
  uint32_t id = id_of(s, o);
  if (!id) return fail(s, VC_E_INTERNAL, N_("a reference to an unknown object"));
  unsigned sub = sub_of(o);
  if (sub == HPDF_OSUBCLASS_FONT) return true;
  if (sub == HPDF_OSUBCLASS_PAGE || sub == HPDF_OSUBCLASS_PAGES ||
      sub == HPDF_OSUBCLASS_CATALOG)
    return fail(s, VC_E_INTERNAL, N_("a page refers to another page"));
  return written(s, id) || push(s, o, r->from_page);
}

/* Empties a dict that must stay as a shell: keeps its header (number and
 * class) and memory manager, frees its entries, its stream and, for a
 * page, its drawing state. */
static void empty_dict(HPDF_Dict d) {
  if (d->free_fn) d->free_fn(d); /* a page's attr and graphics state */
  d->free_fn = NULL;
  d->attr = NULL;
  d->before_write_fn = d->after_write_fn = NULL;
  d->write_fn = NULL;
  for (HPDF_UINT i = 0; i < d->list->count; i++) {
    HPDF_DictElement e = d->list->obj[i];
    HPDF_Obj_Free(d->mmgr, e->value);
    HPDF_FreeMem(d->mmgr, e);
  }
  HPDF_List_Clear(d->list);
  if (d->stream) HPDF_Stream_Free(d->stream);
  d->stream = NULL;
}

/* Frees object o (number id) for good: out of libharu's table first. */
static void free_obj(vc_pdf_stream_t *s, void *o, uint32_t id) {
  HPDF_XrefEntry e = s->doc->xref->entries->obj[id];
  e->obj = NULL;
  HPDF_Obj_ForceFree(s->doc->mmgr, o);
}

/* Writes page `page` and what it reaches that is not written yet, then
 * gives their memory back (see the header comment). */
static bool flush_page(vc_pdf_stream_t *s, HPDF_Dict page) {
  uint32_t pid = id_of(s, page);
  if (!pid || sub_of(page) != HPDF_OSUBCLASS_PAGE || written(s, pid))
    return fail(s, VC_E_INTERNAL, N_("unexpected page structure"));
  s->nstack = s->ndone = 0;
  if (!write_obj(s, page, pid)) return false;
  reach_t r = {s, true};
  if (!vc__hpdf_each_ref(page, "Parent", reach, &r))
    return fail(s, VC_E_INTERNAL, N_("unexpected page structure"));
  r.from_page = false;
  while (s->nstack > 0) {
    void *o = s->stack[--s->nstack];
    bool direct = s->direct[s->nstack];
    uint32_t id = id_of(s, o);
    if (written(s, id)) continue; /* reached twice */
    if (!write_obj(s, o, id)) return false;
    if (!vc_array_grow(&s->done, s->ndone, &s->done_cap, sizeof *s->done, 64))
      return fail(s, VC_E_NOMEM, N_("out of memory"));
    s->done[s->ndone++] = o;
    /* an image drawn by the page: pdf.c stops counting its data */
    if (direct && sub_of(o) == HPDF_OSUBCLASS_XOBJECT) vc__pdf_image_streamed(s->p);
    if (!vc__hpdf_each_ref(o, NULL, reach, &r))
      return fail(s, VC_E_INTERNAL, N_("unexpected object structure"));
  }
  /* Memory back: shells for what libharu or pdf.c still point to; content
   * streams, numbers (their /Length) and link annotations (a QR code's:
   * only the page's /Annots, emptied, points to them) freed; anything else
   * stays. */
  empty_dict(page);
  for (size_t i = 0; i < s->ndone; i++) {
    void *o = s->done[i];
    const HPDF_Obj_Header *h = o;
    unsigned cls = h->obj_class & HPDF_OCLASS_ANY;
    if (sub_of(o) == HPDF_OSUBCLASS_XOBJECT) empty_dict(o);
    else if (cls == HPDF_OCLASS_NUMBER || sub_of(o) == HPDF_OSUBCLASS_ANNOTATION ||
             (cls == HPDF_OCLASS_DICT && !sub_of(o) && ((HPDF_Dict)o)->stream))
      free_obj(s, o, id_of(s, o));
  }
  return true;
}

/* ---- the API ---------------------------------------------------------------- */

vc_pdf_stream_t *vc_pdf_stream_open(vc_pdf_t *p, int fd) {
  if (!p || fd < 0) return NULL;
  vc_diag_t *d = vc__pdf_diag(p);
  vc_pdf_stream_t *s = calloc(1, sizeof *s);
  if (s) s->buf = malloc(BUF_SIZE);
  if (!s || !s->buf) {
    free(s);
    vc_diag_add(d, VC_E_NOMEM, NULL, 0, 0, "out of memory");
    return NULL;
  }
  s->p = p;
  s->d = d;
  s->fd = fd;
  s->doc = vc__pdf_hpdf(p);
  if (!vc__pdf_begin_stream(p)) {
    vc_pdf_stream_free(s);
    return NULL;
  }
  s->w = HPDF_CallbackWriter_New(s->doc->mmgr, to_buf, s);
  if (!s->w) {
    vc__pdf_check(p, false, NULL, true, N_("writing the PDF"));
    vc_pdf_stream_free(s);
    return NULL;
  }
  /* The header libharu writes: version, then a comment of high bytes that
   * tells transfer programs the file is binary. */
  int v = 2 + (int)s->doc->pdf_version; /* HPDF_VER_12 is 0 */
  char head[16];
  memcpy(head, "%PDF-1.x\n%\xb7\xbe\xad\xaa\n", 15);
  head[7] = (char)('0' + (v < 3 || v > 7 ? 3 : v));
  put(s, head, 15);
  return s;
}

bool vc_pdf_stream_flush(vc_pdf_stream_t *s) {
  if (!s || s->bad || s->closed) return false;
  HPDF_List pages = s->doc->page_list;
  for (; s->pages_done < pages->count; s->pages_done++)
    if (!flush_page(s, pages->obj[s->pages_done])) return false;
  vc__pdf_end_page(s->p);
  return io_ok(s);
}

/* Cross-reference table and trailer: an offset for each object written;
 * the others (freed) are free entries, chained from entry 0 as the format
 * wants (each holds the next free number). */
static void write_xref(vc_pdf_stream_t *s, uint32_t n) {
  unsigned long long at = s->pos;
  put_str(s, "xref\n0 ");
  put_uint(s, n, 0);
  put_str(s, "\n");
  uint32_t next = 0; /* first free number after the one being written */
  uint32_t *nxt = malloc((size_t)n * sizeof *nxt);
  if (!nxt) {
    fail(s, VC_E_NOMEM, N_("out of memory"));
    return;
  }
  for (uint32_t id = n; id-- > 0;) {
    nxt[id] = next;
    if (id > 0 && !written(s, id)) next = id;
  }
  for (uint32_t id = 0; id < n; id++) {
    bool used = id > 0 && written(s, id);
    put_uint(s, used ? s->off[id] - 1 : nxt[id], 10);
    put_str(s, id == 0 ? " 65535 f\r\n" : used ? " 00000 n\r\n" : " 00000 f\r\n");
  }
  free(nxt);
  put_str(s, "trailer\n<< /Size ");
  put_uint(s, n, 0);
  put_str(s, " /Root ");
  put_uint(s, id_of(s, s->doc->catalog), 0);
  put_str(s, " 0 R");
  uint32_t info = s->doc->info ? id_of(s, s->doc->info) : 0;
  if (info) {
    put_str(s, " /Info ");
    put_uint(s, info, 0);
    put_str(s, " 0 R");
  }
  put_str(s, " >>\nstartxref\n");
  put_uint(s, at, 0);
  put_str(s, "\n%%EOF\n");
}

bool vc_pdf_stream_close(vc_pdf_stream_t *s) {
  if (!s || s->bad || s->closed) return false;
  if (s->doc->page_list->count == 0)
    return fail(s, VC_E_INTERNAL, N_("a document without pages"));
  if (!vc_pdf_stream_flush(s)) return false;
  s->closed = true;
  if (!vc__pdf_finish_objects(s->p)) return false;
  if (!id_of(s, s->doc->catalog)) return fail(s, VC_E_INTERNAL, N_("no catalog"));
  /* Everything not written yet, in libharu's order: fonts (whose
   * before-write functions may add their descriptors and programs: the
   * count is read again each time), page tree, catalog, /Info. */
  HPDF_List l = s->doc->xref->entries;
  for (uint32_t id = 1; id < l->count; id++) {
    void *o = ((HPDF_XrefEntry)l->obj[id])->obj;
    if (o && !written(s, id) && !write_obj(s, o, id)) return false;
  }
  if (l->count > ID_MASK) return fail(s, VC_E_LIMIT, N_("too many objects"));
  write_xref(s, (uint32_t)l->count);
  if (s->bad) return false;
  drain_buf(s);
  return io_ok(s);
}

unsigned long long vc_pdf_stream_bytes(const vc_pdf_stream_t *s) {
  return s ? s->pos : 0;
}

void vc_pdf_stream_free(vc_pdf_stream_t *s) {
  if (!s) return;
  if (s->w) HPDF_Stream_Free(s->w);
  free(s->buf);
  free(s->off);
  free(s->stack);
  free(s->direct);
  free(s->done);
  free(s);
}
