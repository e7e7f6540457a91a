/*
 * pdf-split.c - one PDF file per page of a finished document (see pdf.h).
 *
 * Why: a libharu document per recipient costs ~20 ms (font setup, then
 * deflating each font program at save).  Here all pages are drawn into one
 * document, its objects are finished once (the repairs of a save), and
 * libharu serialises each object once; the files are cut from those bytes.
 *
 * How, over libharu 2.3.0's exported internals (hpdf_objects.h): the xref
 * lists every object; dicts and arrays hold other indirect objects through
 * HPDF_Proxy values, which HPDF_Obj_Write prints as "<obj_id> 0 R" from the
 * target's header at the time of writing.
 *  1. What each page needs: a walk from the page dict over proxies (not its
 *     /Parent).  An object needed by one page only is that page's (its dict,
 *     content stream, stream lengths); one needed by several is shared
 *     (fonts, descriptors, font programs, ToUnicode and CIDToGIDMap streams,
 *     images), and so is /Info, written in every file.
 *  2. Numbers: libharu's numbers span the whole batch (thousands), and a
 *     file's xref table must cover 0..its largest number, at 20 bytes per
 *     entry.  So objects get new numbers, by changing the id in their
 *     headers: shared objects 1..m, the same in every file; then per file
 *     the Catalog m+1, a one-page Pages node m+2 (the page's /Parent, which
 *     gets that number while the page dict is written) and the page's own
 *     objects from m+3.  Shared objects refer to shared objects only, so
 *     their bytes are the same in every file: they are serialised once and
 *     reused.  A shared object a page does not use becomes a free entry.
 *     The headers' ids are restored at the end: the document can still be
 *     saved whole.
 *  3. Order: objects are written in libharu's order, as its own save does,
 *     because a stream's /Length is an object after the stream, set while
 *     the stream is written.
 * Fonts create their descriptor and font program only in their
 * before-write function; it is run first (it runs once per definition), and
 * the number of objects must not change while writing.
 */
#include "core/i18n.h"
#include "render/pdf-private.h"
#include "render/hpdf-fix.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf_doc.h>
#include <hpdf_list.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>

#define SHARED (-1L)
#define ID_MASK 0x00FFFFFFu

/* ---- output buffer -------------------------------------------------------- */

typedef struct buf {
  unsigned char *b;
  size_t n, cap;
  bool oom;
} buf_t;

static void put(buf_t *b, const void *s, size_t n) {
  if (b->oom) return;
  if (n > b->cap - b->n) {
    size_t cap = b->cap ? b->cap : 4096;
    while (cap - b->n < n) cap *= 2;
    unsigned char *nb = realloc(b->b, cap);
    if (!nb) {
      b->oom = true;
      return;
    }
    b->b = nb;
    b->cap = cap;
  }
  memcpy(b->b + b->n, s, n);
  b->n += n;
}

static void put_str(buf_t *b, const char *s) { put(b, s, strlen(s)); }

/* Decimal, locale-free; width > 0 pads with zeros (xref entries). */
static void put_uint(buf_t *b, unsigned long v, int width) {
  char t[24];
  int k = 0;
  do t[k++] = (char)('0' + v % 10); while ((v /= 10) != 0);
  while (k < width) t[k++] = '0';
  char o[24];
  for (int i = 0; i < k; i++) o[i] = t[k - 1 - i];
  put(b, o, (size_t)k);
}

static void put_ref(buf_t *b, const char *before, unsigned long id,
                    const char *after) {
  put_str(b, before);
  put_uint(b, id, 0);
  put_str(b, " 0 R");
  put_str(b, after);
}

/* ---- state of one split --------------------------------------------------- */

typedef struct split {
  vc_pdf_t *p;
  vc_diag_t *d;
  HPDF_Doc doc;
  uint32_t nobj;     /* xref entries: ids 0..nobj-1 */
  void **obj;        /* by libharu id */
  uint32_t *hdr_id;  /* header obj_id as libharu set it (restored) */
  long *owner;       /* 0 unused, page index + 1, or SHARED */
  uint32_t *newid;   /* shared objects: 1..m */
  uint32_t m, *shared; /* shared ids in new order */
  size_t *soff, *slen; /* bytes of shared object j in sbuf */
  buf_t sbuf;
  uint64_t *closure;  /* per shared object: the shared objects it needs */
  bool *closure_done;
  uint32_t words;     /* 64-bit words per closure bitmap */
  uint32_t *stack;
  uint32_t *page_id;  /* libharu id of each page dict */
  long *start;        /* page k's own objects: list[start[k]..start[k+1]) */
  uint32_t *list;     /* in libharu's order */
  uint64_t *need;     /* per page: the shared objects it needs (words) */
  uint32_t info_nid;  /* new number of /Info, 0 when none */
  HPDF_Stream out;    /* libharu writes into *cur through it */
  buf_t *cur;
  bool bad;           /* a diag was added */
} split_t;

static HPDF_STATUS to_buf(HPDF_Stream st, const HPDF_BYTE *ptr, HPDF_UINT n) {
  split_t *s = st->attr;
  put(s->cur, ptr, n);
  return s->cur->oom ? HPDF_FAILD_TO_ALLOC_MEM : HPDF_OK;
}

static bool fail(split_t *s, vc_status_t st, const char *what) {
  if (!s->bad) vc_diag_add(s->d, st, NULL, 0, 0, "one PDF per page: %s", _(what));
  s->bad = true;
  return false;
}

/* libharu's id of an indirect object; nobj when it is not one of the
 * document's (then the split is refused: it would print a dangling
 * reference). */
static uint32_t id_of(const split_t *s, void *o) {
  const HPDF_Obj_Header *h = o;
  uint32_t id = h->obj_id & ID_MASK;
  if (!(h->obj_id & HPDF_OTYPE_INDIRECT) || id == 0 || id >= s->nobj ||
      s->obj[id] != o || h->gen_no != 0)
    return s->nobj;
  return id;
}

/* ---- references ----------------------------------------------------------- */

typedef bool (*ref_fn)(split_t *s, uint32_t id, void *ctx);

typedef struct ref_wrap {
  split_t *s;
  ref_fn fn;
  void *ctx;
} ref_wrap_t;

static bool wrap_ref(void *o, void *ctx) {
  ref_wrap_t *w = ctx;
  uint32_t id = id_of(w->s, o);
  if (id == w->s->nobj)
    return fail(w->s, VC_E_INTERNAL, N_("a reference to an unknown object"));
  return w->fn(w->s, id, w->ctx);
}

/* Calls fn for each indirect object that value v refers to (see
 * vc__hpdf_each_ref); `skip` names a key of v (a dict) to leave out. */
static bool each_ref(split_t *s, void *v, const char *skip, ref_fn fn,
                     void *ctx) {
  ref_wrap_t w = {s, fn, ctx};
  return vc__hpdf_each_ref(v, skip, wrap_ref, &w) ||
         fail(s, VC_E_INTERNAL, N_("objects nested too deeply"));
}

/* ---- who needs what --------------------------------------------------------- */

typedef struct mark_ctx {
  long who;
  uint32_t top;
} mark_ctx_t;

static bool mark_ref(split_t *s, uint32_t id, void *ctx) {
  mark_ctx_t *c = ctx;
  unsigned sub = ((HPDF_Obj_Header *)s->obj[id])->obj_class & 0xFF00u;
  if (sub == HPDF_OSUBCLASS_PAGE || sub == HPDF_OSUBCLASS_PAGES ||
      sub == HPDF_OSUBCLASS_CATALOG)
    return fail(s, VC_E_INTERNAL, N_("a page refers to another page"));
  long o = s->owner[id];
  if (o == SHARED || o == c->who) return true; /* seen in this walk */
  s->owner[id] = o == 0 ? c->who : SHARED;
  s->stack[c->top++] = id;
  return true;
}

/* Marks everything reachable from object `root` as needed by `who` (page
 * index + 1, or SHARED).  An object that becomes shared is walked again, so
 * that what it needs becomes shared too; one already shared is not: each
 * object is walked at most twice in all. */
static bool mark(split_t *s, uint32_t root, long who) {
  mark_ctx_t c = {who, 0};
  s->owner[root] = who;
  s->stack[c.top++] = root;
  while (c.top > 0) {
    uint32_t id = s->stack[--c.top];
    const char *skip = id == root && who != SHARED ? "Parent" : NULL;
    if (!each_ref(s, s->obj[id], skip, mark_ref, &c)) return false;
  }
  return true;
}

/* ---- shared closures ------------------------------------------------------ */

static uint64_t *closure_of(split_t *s, uint32_t j);

static bool closure_ref(split_t *s, uint32_t id, void *ctx) {
  uint64_t *into = ctx;
  if (s->owner[id] != SHARED)
    return fail(s, VC_E_INTERNAL, N_("a shared object refers to a page's"));
  uint32_t k = s->newid[id] - 1;
  if (into[k / 64] & (1ull << (k % 64))) return true;
  into[k / 64] |= 1ull << (k % 64);
  return each_ref(s, s->obj[id], NULL, closure_ref, into);
}

/* Bitmap of the shared objects shared object j (0-based new number) needs,
 * itself included; computed once.  NULL after a diag. */
static uint64_t *closure_of(split_t *s, uint32_t j) {
  uint64_t *bm = s->closure + (size_t)j * s->words;
  if (s->closure_done[j]) return bm;
  bm[j / 64] |= 1ull << (j % 64);
  if (!each_ref(s, s->obj[s->shared[j]], NULL, closure_ref, bm))
    return NULL;
  s->closure_done[j] = true;
  return bm;
}

static bool need_ref(split_t *s, uint32_t id, void *ctx) {
  if (s->owner[id] != SHARED) return true; /* the page's own */
  uint64_t *need = ctx, *bm = closure_of(s, s->newid[id] - 1);
  if (!bm) return false;
  for (uint32_t w = 0; w < s->words; w++) need[w] |= bm[w];
  return true;
}

/* ---- writing ---------------------------------------------------------------- */

/* Serialises object id (its header already renumbered to nid) into *b. */
static bool write_obj(split_t *s, buf_t *b, uint32_t id, uint32_t nid) {
  put_uint(b, nid, 0);
  put_str(b, " 0 obj\n");
  s->cur = b;
  HPDF_STATUS r = HPDF_Obj_WriteValue(s->obj[id], s->out, NULL);
  put_str(b, "\nendobj\n");
  if (b->oom) return fail(s, VC_E_NOMEM, N_("out of memory"));
  if (!vc__pdf_check(s->p, r == HPDF_OK, NULL, true, N_("writing one PDF per page"))) {
    s->bad = true;
    return false;
  }
  return true;
}

static void renumber(void *o, uint32_t nid) {
  HPDF_Obj_Header *h = o;
  h->obj_id = (h->obj_id & ~ID_MASK) | nid;
}

/* One xref line: 10-digit offset (or next free number), generation, type. */
static void xref_line(buf_t *b, unsigned long off, unsigned gen, char type) {
  put_uint(b, off, 10);
  put_str(b, " ");
  put_uint(b, gen, 5);
  char t[3] = {' ', type, '\0'};
  put_str(b, t);
  put_str(b, "\r\n");
}

/* The file's head and the shared objects that need marks, as pieces of
 * sbuf in iov (contiguous objects in one piece) after iov[0] = head.
 * off[j + 1] is shared object j's offset in the file (0: not in it).
 * Returns the number of pieces; *pos is the bytes they hold. */
static int shared_pieces(const split_t *s, const uint64_t *need, char *head,
                         size_t hlen, size_t *off, struct iovec *iov, size_t *pos) {
  int niov = 0;
  iov[niov++] = (struct iovec){head, hlen};
  *pos = hlen;
  for (uint32_t j = 0; j < s->m; j++) {
    off[j + 1] = 0;
    if (!(need[j / 64] & (1ull << (j % 64)))) continue;
    off[j + 1] = *pos;
    unsigned char *at = s->sbuf.b + s->soff[j];
    struct iovec *last = &iov[niov - 1];
    if (niov > 1 && (unsigned char *)last->iov_base + last->iov_len == at)
      last->iov_len += s->slen[j]; /* contiguous: one piece */
    else
      iov[niov++] = (struct iovec){at, s->slen[j]};
    *pos += s->slen[j];
  }
  return niov;
}

/* Catalog, Pages and page k's own objects (numbered after the shared ones,
 * m + 3 + i; the page's parent becomes the Pages object) into pb, which
 * starts at pos in the file; their offsets in off.  false on a problem
 * (reported). */
static bool own_objects(split_t *s, long k, buf_t *pb, size_t pos, size_t *off) {
  const uint32_t *ids = s->list + s->start[k];
  uint32_t cnt = (uint32_t)(s->start[k + 1] - s->start[k]);
  uint32_t m = s->m, cat = m + 1, pages = m + 2;
  uint32_t page_nid = 0;
  for (uint32_t i = 0; i < cnt; i++) {
    renumber(s->obj[ids[i]], m + 3 + i);
    if (ids[i] == s->page_id[k]) page_nid = m + 3 + i;
  }
  HPDF_Dict parent =
      HPDF_Dict_GetItem(s->obj[s->page_id[k]], "Parent", HPDF_OCLASS_DICT);
  if (!page_nid || !parent) return fail(s, VC_E_INTERNAL, N_("a page without its parent"));
  renumber(parent, pages);
  off[cat] = pos + pb->n;
  put_uint(pb, cat, 0);
  put_ref(pb, " 0 obj\n<< /Type /Catalog /Pages ", pages, " >>\nendobj\n");
  off[pages] = pos + pb->n;
  put_uint(pb, pages, 0);
  put_ref(pb, " 0 obj\n<< /Type /Pages /Kids [ ", page_nid,
          " ] /Count 1 >>\nendobj\n");
  bool ok = true;
  for (uint32_t i = 0; ok && i < cnt; i++) {
    off[m + 3 + i] = pos + pb->n;
    ok = write_obj(s, pb, ids[i], m + 3 + i);
  }
  return ok;
}

/* The xref of a file of size object numbers (offsets in off; pb starts at
 * pos in the file) and the trailer, into pb.  One subsection 0..size-1;
 * the shared numbers this page does not use are free entries, chained from
 * entry 0 as the format wants (each holds the next free number). */
static void write_xref(split_t *s, buf_t *pb, size_t pos, const size_t *off, uint32_t size) {
  uint32_t m = s->m;
  size_t xref_at = pos + pb->n;
  put_str(pb, "xref\n0 ");
  put_uint(pb, size, 0);
  put_str(pb, "\n");
  uint32_t *nxt = s->stack; /* free now: the walks are done */
  nxt[m] = 0; /* nxt[j] = first free number after j */
  for (uint32_t j = m; j-- > 0;) nxt[j] = off[j + 1] ? nxt[j + 1] : j + 1;
  xref_line(pb, nxt[0], 65535, 'f');
  for (uint32_t id = 1; id < size; id++) {
    if (id > m || off[id]) xref_line(pb, off[id], 0, 'n');
    else xref_line(pb, nxt[id], 0, 'f');
  }
  put_str(pb, "trailer\n<< /Size ");
  put_uint(pb, size, 0);
  put_ref(pb, " /Root ", m + 1, "");
  if (s->info_nid) put_ref(pb, " /Info ", s->info_nid, "");
  put_str(pb, " >>\nstartxref\n");
  put_uint(pb, xref_at, 0);
  put_str(pb, "\n%%EOF\n");
}

/* Writes the file of page k: header, the shared objects it needs (bytes
 * from sbuf), Catalog, Pages, its own objects, xref, trailer; adds it to
 * files under name.  pb is scratch space.  false on a problem (reported). */
static bool write_page(split_t *s, long k, buf_t *pb, const char *name,
                       vc_pdf_files_t *files) {
  uint32_t cnt = (uint32_t)(s->start[k + 1] - s->start[k]);
  const uint64_t *need = s->need + (size_t)k * s->words;
  char head[32];
  int v = 2 + (int)s->doc->pdf_version; /* HPDF_VER_12 is 0 */
  if (v < 3 || v > 7) v = 3;
  memcpy(head, "%PDF-1.x\n%\xb7\xbe\xad\xaa\n", 16);
  head[7] = (char)('0' + v);
  const size_t hlen = 15;

  uint32_t size = s->m + 3 + cnt;
  size_t *off = malloc((size_t)size * sizeof *off);
  struct iovec *iov = malloc((size_t)(s->m + 2) * sizeof *iov);
  if (!off || !iov) {
    free(off), free(iov);
    return fail(s, VC_E_NOMEM, N_("out of memory"));
  }
  size_t pos;
  int niov = shared_pieces(s, need, head, hlen, off, iov, &pos);
  pb->n = 0;
  bool ok = own_objects(s, k, pb, pos, off);
  if (ok) write_xref(s, pb, pos, off, size);
  if (ok && pb->oom) ok = fail(s, VC_E_NOMEM, N_("out of memory"));
  if (ok) {
    iov[niov++] = (struct iovec){pb->b, pb->n};
    ok = vc__pdf_files_add(files, name, iov, niov, s->d);
    if (!ok) s->bad = true;
  }
  free(off);
  free(iov);
  return ok;
}

/* ---- the split ----------------------------------------------------------- */

/* Descriptors and font programs are made by the fonts' before-write
 * functions: run them now, as a save would (each makes them once). */
static bool make_lazy_objects(split_t *s) {
  if (vc__pdf_check(s->p, vc__hpdf_prepare_fonts(s->doc), NULL, true, N_("preparing fonts")))
    return true;
  s->bad = true;
  return false;
}

/* Who needs what (steps 1 and 2 of the header comment, before any header
 * is renumbered: the walks read libharu's ids). */
static bool plan(split_t *s, long n) {
  size_t no = s->nobj;
  s->obj = calloc(no, sizeof *s->obj);
  s->hdr_id = calloc(no, sizeof *s->hdr_id);
  s->owner = calloc(no, sizeof *s->owner);
  s->newid = calloc(no, sizeof *s->newid);
  s->stack = calloc(no + 1, sizeof *s->stack);
  s->list = calloc(no, sizeof *s->list);
  s->page_id = calloc((size_t)n, sizeof *s->page_id);
  s->start = calloc((size_t)n + 2, sizeof *s->start);
  if (!s->obj || !s->hdr_id || !s->owner || !s->newid || !s->stack ||
      !s->list || !s->page_id || !s->start)
    return fail(s, VC_E_NOMEM, N_("out of memory"));
  for (uint32_t i = 1; i < s->nobj; i++) {
    HPDF_XrefEntry e = HPDF_Xref_GetEntry(s->doc->xref, i);
    s->obj[i] = e->obj;
    s->hdr_id[i] = e->obj ? ((HPDF_Obj_Header *)e->obj)->obj_id : 0;
  }
  for (long k = 0; k < n; k++) {
    uint32_t id = id_of(s, HPDF_List_ItemAt(s->doc->page_list, (HPDF_UINT)k));
    if (id == s->nobj || s->owner[id] != 0)
      return fail(s, VC_E_INTERNAL, N_("unexpected page structure"));
    s->page_id[k] = id;
    if (!mark(s, id, k + 1)) return false;
  }
  uint32_t info = s->doc->info ? id_of(s, s->doc->info) : 0;
  if (info == s->nobj) return fail(s, VC_E_INTERNAL, N_("unexpected /Info"));
  if (info && !mark(s, info, SHARED)) return false;
  for (uint32_t i = 1; i < s->nobj; i++)
    if (s->owner[i] == SHARED) s->newid[i] = ++s->m;
  s->info_nid = info ? s->newid[info] : 0;
  s->words = s->m / 64 + 1;
  s->shared = calloc(s->m + 1, sizeof *s->shared);
  s->closure = calloc((size_t)(s->m + 1) * s->words, sizeof *s->closure);
  s->closure_done = calloc(s->m + 1, sizeof *s->closure_done);
  s->need = calloc((size_t)n * s->words, sizeof *s->need);
  if (!s->shared || !s->closure || !s->closure_done || !s->need)
    return fail(s, VC_E_NOMEM, N_("out of memory"));
  for (uint32_t i = 1; i < s->nobj; i++)
    if (s->owner[i] == SHARED) s->shared[s->newid[i] - 1] = i;
  /* Each page's own objects, by page, in libharu's order. */
  for (uint32_t i = 1; i < s->nobj; i++) /* counts, then where each begins */
    if (s->owner[i] > 0) s->start[s->owner[i]]++;
  for (long k = 1; k <= n; k++) s->start[k] += s->start[k - 1];
  for (uint32_t i = 1; i < s->nobj; i++) /* start[k] moves to page k's end */
    if (s->owner[i] > 0) s->list[s->start[s->owner[i] - 1]++] = i;
  memmove(s->start + 1, s->start, (size_t)n * sizeof *s->start);
  s->start[0] = 0;
  /* The shared objects each page needs, /Info in every file. */
  for (long k = 0; k < n; k++) {
    uint64_t *need = s->need + (size_t)k * s->words;
    if (info && !need_ref(s, info, need)) return false;
    for (long i = s->start[k]; i < s->start[k + 1]; i++) {
      uint32_t id = s->list[i];
      if (!each_ref(s, s->obj[id], id == s->page_id[k] ? "Parent" : NULL,
                    need_ref, need))
        return false;
    }
  }
  return true;
}

/* Gives the shared objects their numbers and serialises them into sbuf. */
static bool write_shared(split_t *s) {
  s->soff = calloc(s->m + 1, sizeof *s->soff);
  s->slen = calloc(s->m + 1, sizeof *s->slen);
  s->out = HPDF_CallbackWriter_New(s->doc->mmgr, to_buf, s);
  if (!s->soff || !s->slen || !s->out)
    return fail(s, VC_E_NOMEM, N_("out of memory"));
  for (uint32_t j = 0; j < s->m; j++) renumber(s->obj[s->shared[j]], j + 1);
  for (uint32_t j = 0; j < s->m; j++) {
    s->soff[j] = s->sbuf.n;
    if (!write_obj(s, &s->sbuf, s->shared[j], j + 1)) return false;
    s->slen[j] = s->sbuf.n - s->soff[j];
  }
  return true;
}

bool vc_pdf_split(vc_pdf_t *p, const char *const *names, long n,
                  vc_pdf_files_t *files) {
  if (!p || !files || (n > 0 && !names)) return false;
  vc_diag_t *d = vc__pdf_diag(p);
  if (!vc__pdf_whole(p)) return false;
  if (n != vc_pdf_page_count(p)) {
    vc_diag_add(d, VC_E_INTERNAL, NULL, 0, 0,
                "one PDF per page: %ld names for %ld pages", n,
                vc_pdf_page_count(p));
    return false;
  }
  if (!vc__pdf_finish_objects(p)) return false;
  if (n == 0) return true;
  split_t s = {.p = p, .d = d, .doc = vc__pdf_hpdf(p)};
  HPDF_Xref x = s.doc->xref;
  bool ok = true;
  if (x->prev || x->start_offset != 0 || !s.doc->page_list ||
      (long)s.doc->page_list->count != n)
    ok = fail(&s, VC_E_INTERNAL, N_("unexpected document structure"));
  ok = ok && make_lazy_objects(&s);
  s.nobj = x->entries->count;
  ok = ok && plan(&s, n) && write_shared(&s);
  buf_t pb = {0};
  for (long k = 0; ok && k < n; k++) ok = write_page(&s, k, &pb, names[k], files);
  if (ok && x->entries->count != s.nobj)
    ok = fail(&s, VC_E_INTERNAL, N_("objects were added while writing"));
  /* libharu's ids back: the document stays whole. */
  for (uint32_t i = 1; s.hdr_id && i < s.nobj; i++)
    if (s.obj[i]) ((HPDF_Obj_Header *)s.obj[i])->obj_id = s.hdr_id[i];
  if (s.out) HPDF_Stream_Free(s.out);
  free(pb.b);
  free(s.obj), free(s.hdr_id), free(s.owner), free(s.newid), free(s.stack);
  free(s.list), free(s.page_id), free(s.start), free(s.need);
  free(s.shared), free(s.soff), free(s.slen), free(s.closure);
  free(s.closure_done), free(s.sbuf.b);
  return ok;
}
