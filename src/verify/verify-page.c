/*
 * verify-page.c - the school's verification page (docs/verify-page.md): one
 * self-contained HTML file, the sources of
 * src/verify/page built in, with the public keys, the revocation list and the
 * format's dictionary embedded as JSON, and a Content-Security-Policy that lets
 * only its own script and style run and forbids every connection.
 */
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/diag.h"
#include "verify/page-assets.h"
#include "verify/page-private.h"
#include "verify/verify-private.h"

/* A growing byte string; ok turns false on the first failed allocation. */
typedef struct {
  char *s;
  size_t n, cap;
  bool ok;
} buf_t;

/* Appends n bytes to b (b owns its memory). */
static void put(buf_t *b, const void *p, size_t n) {
  if (!b->ok) return;
  if (b->n + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->n + n + 1) cap *= 2;
    char *s = realloc(b->s, cap);
    if (!s) { b->ok = false; return; }
    b->s = s;
    b->cap = cap;
  }
  memcpy(b->s + b->n, p, n);
  b->n += n;
  b->s[b->n] = '\0';
}

static void puts_(buf_t *b, const char *s) { put(b, s, strlen(s)); }

/* The JSON text made safe inside <script type="application/json">: every '<'
 * (only ever inside strings) becomes \u003c, so neither "</script" nor "<!--"
 * can end or change the element.  Appends to b. */
static void put_script_json(buf_t *b, const char *json) {
  for (const char *p = json; *p; p++) {
    if (*p == '<') puts_(b, "\\u003c");
    else put(b, p, 1);
  }
}

/* base64 (standard alphabet, padded) of n bytes; caller frees; NULL: no memory. */
static char *base64(const unsigned char *p, size_t n) {
  size_t len = sodium_base64_encoded_len(n, sodium_base64_VARIANT_ORIGINAL);
  char *s = malloc(len);
  if (s) sodium_bin2base64(s, len, p, n, sodium_base64_VARIANT_ORIGINAL);
  return s;
}

/* Sets key k of object o to a string (json_string: checked UTF-8); false on a
 * value that is not UTF-8 or no memory. */
static bool set_str(json_t *o, const char *k, const char *v) {
  json_t *s = json_string(v ? v : "");
  return s && json_object_set_new(o, k, s) == 0;
}

/* The keys as [{id, key, comment}]; NULL on no memory or a comment not UTF-8. */
static json_t *keys_json(const vc__page_input_t *in) {
  json_t *a = json_array();
  for (size_t i = 0; a && i < in->nkeys; i++) {
    const vc__page_key_t *k = &in->keys[i];
    char id[9];
    char *pub = base64(k->pub, sizeof k->pub);
    json_t *o = json_object();
    sodium_bin2hex(id, sizeof id, k->id, sizeof k->id);
    bool ok = pub && o && set_str(o, "id", id) && set_str(o, "key", pub) &&
              set_str(o, "comment", k->comment) && json_array_append(a, o) == 0;
    free(pub);
    json_decref(o);
    if (!ok) { json_decref(a); return NULL; }
  }
  return a;
}

/* The revocations as [{serial, reason, date}]; NULL as keys_json. */
static json_t *revoked_json(const vc__page_input_t *in) {
  json_t *a = json_array();
  for (size_t i = 0; a && i < in->nrevoked; i++) {
    const vc_revocation_t *r = &in->revoked[i];
    json_t *o = json_object();
    bool ok = o && set_str(o, "serial", r->serial) && set_str(o, "reason", r->reason) &&
              set_str(o, "date", r->date) && json_array_append(a, o) == 0;
    json_decref(o);
    if (!ok) { json_decref(a); return NULL; }
  }
  return a;
}

/* The page's data as JSON text (jansson; caller frees); NULL with a diag. */
static char *data_json(const vc__page_input_t *in, vc_diag_t *d) {
  json_t *o = json_object();
  char *dict = base64(in->dict, in->dict_len);
  bool ok = o && dict && set_str(o, "school", in->school) && set_str(o, "made", in->made) &&
            set_str(o, "dict", dict) && json_object_set_new(o, "keys", keys_json(in)) == 0 &&
            json_object_set_new(o, "revoked", revoked_json(in)) == 0;
  char *text = ok ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
  free(dict);
  json_decref(o);
  if (!text)
    vc_diag_add(d, VC_E_INPUT, NULL, 0, 0,
                "the page's data could not be written as JSON (a name, comment or reason "
                "that is not UTF-8, or no memory)");
  return text;
}

/* "'sha256-BASE64'" of n bytes, the CSP source that lets exactly that inline
 * script or style run; caller frees; NULL: no memory. */
static char *csp_hash(const void *p, size_t n) {
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(h, p, n);
  char *b = base64(h, sizeof h);
  char *s = b ? malloc(strlen(b) + 11) : NULL;
  if (s) sprintf(s, "'sha256-%s'", b);
  free(b);
  return s;
}

/* The script: the vendored library then page.js, one module (page.js says why). */
static void put_script(buf_t *b) {
  put(b, vc__asset_noble_ed25519_js, vc__asset_noble_ed25519_js_len);
  puts_(b, "\n");
  put(b, vc__asset_page_js, vc__asset_page_js_len);
}

/* Fills page.html's @NAME@ marks with the values given (names[i] -> vals[i]);
 * appends to out.  Other text, '@' included, is copied as it is. */
static void fill(buf_t *out, const char *const names[], const buf_t *const vals[], size_t n) {
  const char *p = (const char *)vc__asset_page_html;
  const char *end = p + vc__asset_page_html_len, *run = p;
  while (p < end) {
    size_t i = n;
    if (*p == '@')
      for (i = 0; i < n; i++) {
        size_t len = strlen(names[i]);
        if ((size_t)(end - p) >= len && memcmp(p, names[i], len) == 0) break;
      }
    if (i == n) { p++; continue; }
    put(out, run, (size_t)(p - run));
    put(out, vals[i]->s, vals[i]->n);
    p += strlen(names[i]);
    run = p;
  }
  put(out, run, (size_t)(end - run));
}

/* The whole page for in, into out (owned by the caller); VC_OK or a diag. */
static vc_status_t page_build(const vc__page_input_t *in, buf_t *out, vc_diag_t *d) {
  buf_t script = {.ok = true}, style = {.ok = true}, data = {.ok = true}, csp = {.ok = true};
  char *json = data_json(in, d);
  if (!json) return VC_E_INPUT;
  put_script(&script);
  put(&style, vc__asset_page_css, vc__asset_page_css_len);
  put_script_json(&data, json);
  free(json);
  char *sh = script.ok ? csp_hash(script.s, script.n) : NULL;
  char *ch = style.ok ? csp_hash(style.s, style.n) : NULL;
  if (sh && ch) {
    puts_(&csp, "default-src 'none'; script-src ");
    puts_(&csp, sh);
    puts_(&csp, "; style-src ");
    puts_(&csp, ch);
    puts_(&csp, "; base-uri 'none'; form-action 'none'");
  }
  free(sh);
  free(ch);
  static const char *const names[] = {"@CSP@", "@STYLE@", "@DATA@", "@SCRIPT@"};
  const buf_t *const vals[] = {&csp, &style, &data, &script};
  bool ok = sh && ch && csp.ok && data.ok;
  if (ok) fill(out, names, vals, 4);
  free(script.s);
  free(style.s);
  free(data.s);
  free(csp.s);
  if (!ok || !out->ok) {
    vc_diag_add(d, VC_E_NOMEM, NULL, 0, 0, "out of memory making the verification page");
    return VC_E_NOMEM;
  }
  return VC_OK;
}

/* Writes n bytes to path through a temporary beside it, renamed over path at
 * the end, so a page already on a web host is never seen half written.  Mode
 * 0644: a web server reads it (mkstemp's 0600 would hide it). */
static vc_status_t write_file(const char *path, const char *s, size_t n, vc_diag_t *d) {
  size_t len = strlen(path);
  char *tmp = malloc(len + 8);
  if (!tmp) {
    vc_diag_add(d, VC_E_NOMEM, path, 0, 0, "out of memory");
    return VC_E_NOMEM;
  }
  memcpy(tmp, path, len);
  memcpy(tmp + len, ".XXXXXX", 8);
  int fd = mkstemp(tmp);
  bool ok = fd >= 0 && fchmod(fd, 0644) == 0;
  for (size_t done = 0; ok && done < n;) {
    ssize_t w = write(fd, s + done, n - done);
    if (w < 0 && errno == EINTR) continue;
    ok = w > 0;
    if (ok) done += (size_t)w;
  }
  int err = errno;
  if (fd >= 0 && close(fd) != 0 && ok) { ok = false; err = errno; }
  if (ok && rename(tmp, path) != 0) { ok = false; err = errno; }
  if (!ok) {
    if (fd >= 0) unlink(tmp);
    vc_diag_add(d, VC_E_IO, path, 0, 0, "cannot write the page: %s", strerror(err));
  }
  free(tmp);
  return ok ? VC_OK : VC_E_IO;
}

/* Today's date as YYYY-MM-DD (UTC) into s[11]. */
static void today(char s[11]) {
  time_t t = time(NULL);
  struct tm tm;
  gmtime_r(&t, &tm);
  if (strftime(s, 11, "%Y-%m-%d", &tm) != 10) s[0] = '\0';
}

vc_status_t vc__page_write(const vc__page_input_t *in, const char *path, vc_diag_t *d) {
  if (sodium_init() < 0) {
    vc_diag_add(d, VC_E_INTERNAL, NULL, 0, 0, "libsodium could not start");
    return VC_E_INTERNAL;
  }
  vc__page_input_t copy = *in;
  char date[11];
  if (!copy.made) { today(date); copy.made = date; }
  buf_t page = {.ok = true};
  vc_status_t st = page_build(&copy, &page, d);
  if (st == VC_OK) st = write_file(path, page.s, page.n, d);
  free(page.s);
  return st;
}

/* The page for p's keyring: each key's id, key and comment taken from it
 * (vc__keyring_find), the format's dictionary (verify-dict.c). */
vc_status_t vc_verify_page_write(const vc_verify_page_t *p, const char *out, vc_diag_t *d) {
  size_t n = vc_keyring_count(p->keys);
  if (n == 0 || n > VC_VERIFY_PAGE_MAX_KEYS) {
    vc_diag_add(d, VC_E_USAGE, NULL, 0, 0, "the page needs 1 to %d public keys, not %zu",
                VC_VERIFY_PAGE_MAX_KEYS, n);
    return VC_E_USAGE;
  }
  if (sodium_init() < 0) {
    vc_diag_add(d, VC_E_INTERNAL, NULL, 0, 0, "libsodium could not start");
    return VC_E_INTERNAL;
  }
  vc__page_key_t keys[VC_VERIFY_PAGE_MAX_KEYS];
  for (size_t i = 0; i < n; i++) {
    const char *id = NULL;
    vc_keyring_key(p->keys, i, &id, NULL, &keys[i].comment);
    const unsigned char *pub = NULL;
    if (sodium_hex2bin(keys[i].id, sizeof keys[i].id, id, strlen(id), NULL, NULL, NULL) == 0)
      pub = vc__keyring_find(p->keys, keys[i].id, NULL);
    if (!pub) {
      vc_diag_add(d, VC_E_INTERNAL, NULL, 0, 0, "key %s is not in its own keyring", id);
      return VC_E_INTERNAL;
    }
    memcpy(keys[i].pub, pub, sizeof keys[i].pub);
    /* The shipped DEMO key, whatever its file's comment says: its private
     * half is published. */
    if (vc__key_is_demo(pub))
      vc_diag_add(d, VC_WARN, NULL, 0, 0,
                  "key %s is a DEMO key, which anyone can sign with: this page will call "
                  "their forgeries valid; make the school's own (vncert keygen -o truong)", id);
  }
  vc__page_input_t in = {.school = p->school, .keys = keys, .nkeys = n,
                         .revoked = p->revoked, .nrevoked = p->nrevoked,
                         .dict = (const unsigned char *)vc__verify_dict,
                         .dict_len = vc__verify_dict_len};
  return vc__page_write(&in, out, d);
}
