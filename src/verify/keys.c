/*
 * keys.c - the school's Ed25519 keys (docs/verify.md section 1): making a
 * pair, loading the private key for signing (refused when others can read
 * it, as ssh does), loading the public keys a verifier trusts.  libsodium
 * does the cryptography and the base64.
 */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/i18n.h"
#include "core/text.h"
#include "core/mem.h"
#include "verify/verify-private.h"

#define PUB_TAG "vncert-ed25519-v1"
#define SEC_TAG "vncert-ed25519-secret-v1"
#define KEY_FILE_MAX 1024
#define COMMENT_MAX 200

struct vc_signer {
  unsigned char sk[crypto_sign_SECRETKEYBYTES];
  unsigned char id[4];
  char key_id[VC_VERIFY_KEYID_LEN];
};

typedef struct ring_key {
  unsigned char pk[32], id[4];
  char key_id[VC_VERIFY_KEYID_LEN], fp[VC_VERIFY_FINGERPRINT_LEN], comment[COMMENT_MAX + 1];
} ring_key_t;

struct vc_keyring {
  ring_key_t *keys;
  size_t n, cap;
};

void vc__key_ids(const unsigned char pk[32], unsigned char id[4], char fingerprint[65]) {
  unsigned char h[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(h, pk, 32);
  memcpy(id, h, 4);
  if (fingerprint) sodium_bin2hex(fingerprint, 65, h, sizeof h);
}

/* Decodes a standard base64 token of exactly 32 bytes; false otherwise. */
static bool b64_32(const char *tok, size_t len, unsigned char out[32]) {
  size_t got = 0;
  const char *end = NULL;
  if (len != 44) return false;
  return sodium_base642bin(out, 32, tok, len, NULL, &got, &end,
                           sodium_base64_VARIANT_ORIGINAL) == 0 &&
         got == 32 && end == tok + len;
}

/* Reads a key file of at most KEY_FILE_MAX bytes into buf (NUL-ended);
 * *open_mode (may be NULL) gets the permission bits group and others have
 * (a private key's caller refuses them).  false with the reason in d. */
static bool read_key_file(const char *path, char *buf, unsigned *open_mode, vc_diag_t *d) {
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK); /* a FIFO must not hang us */
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0) {
    vc_diag_add(d, VC_E_IO, path, 0, 0, "cannot read the key file: %s", strerror(errno));
    if (fd >= 0) close(fd);
    return false;
  }
  bool ok = false;
  if (!S_ISREG(st.st_mode))
    vc_diag_add(d, VC_E_INPUT, path, 0, 0, "is not a key file (not a regular file)");
  else if (st.st_size > KEY_FILE_MAX || st.st_size < 20)
    vc_diag_add(d, VC_E_INPUT, path, 0, 0, "is not a vncert key file (%lld bytes)",
                (long long)st.st_size);
  else {
    ssize_t n = read(fd, buf, (size_t)st.st_size);
    ok = n == st.st_size;
    if (ok) buf[n] = '\0';
    else vc_diag_add(d, VC_E_IO, path, 0, 0, "cannot read the key file");
  }
  if (open_mode) *open_mode = (unsigned)(st.st_mode & 077);
  close(fd);
  return ok;
}

/* Splits "TAG KEYID BASE64[ COMMENT]\n" of a key file: the key (32 bytes)
 * checked against the key id; comment (may be NULL: none allowed) gets the
 * rest.  Line ends and blank space after the line are let go: a public key
 * mailed, or opened and saved in Notepad, comes back with CRLF or an empty
 * line, and is the same key.  false with the reason in d. */
static bool parse_key_line(const char *path, char *buf, const char *tag, unsigned char key[32],
                           char key_id[VC_VERIFY_KEYID_LEN], char *comment, vc_diag_t *d) {
  size_t n = strlen(buf);
  while (n > 0 && strchr(" \t\r\n", buf[n - 1])) buf[--n] = '\0';
  if (n == 0 || memchr(buf, '\n', n) || memchr(buf, '\r', n)) {
    vc_diag_add(d, VC_E_INPUT, path, 0, 0, "is not a vncert key file (one line expected)");
    return false;
  }
  char *f[4] = {buf, NULL, NULL, NULL};
  for (int i = 1; i < 4; i++) {
    char *sp = strchr(f[i - 1], ' ');
    if (!sp) break;
    *sp = '\0';
    f[i] = sp + 1;
  }
  if (strcmp(f[0], tag) != 0 || !f[1] || !f[2] || strlen(f[1]) != 8 ||
      (f[3] && !comment) || !b64_32(f[2], strlen(f[2]), key)) {
    vc_diag_add(d, VC_E_INPUT, path, 0, 0, "is not a vncert key file (expected '%s KEYID KEY%s')",
                tag, comment ? " [COMMENT]" : "");
    return false;
  }
  memcpy(key_id, f[1], 9);
  if (comment) {
    char why[160];
    const char *c = f[3] ? f[3] : "";
    if (strlen(c) > COMMENT_MAX || !vc__verify_text_ok(c, SIZE_MAX, N_("comment"), why, sizeof why)) {
      vc_diag_add(d, VC_E_INPUT, path, 0, 0, "the key's comment is too long or not text");
      return false;
    }
    snprintf(comment, COMMENT_MAX + 1, "%s", c);
  }
  return true;
}

/* The key id of pk as 8 hex digits. */
static void hex_id(const unsigned char id[4], char out[VC_VERIFY_KEYID_LEN]) {
  sodium_bin2hex(out, VC_VERIFY_KEYID_LEN, id, 4);
}

/* The published demonstration key (examples/khoa-DEMO.key, the same line):
 * what the shipped templates sign with (key: DEMO).  Its seed is public, so
 * anything it signs anyone can forge; verify shows its comment, "DEMO ...". */
static const char DEMO_KEY[] =
    "vncert-ed25519-secret-v1 77a7f0ed VsSu6QS5dNtO8UHHh+eEfSreCV/+W9tBjM6yCw0ycgs= DEMO\n";

/* Is pk the public half of the built-in DEMO key?  Decided by the key
 * itself, never by a file's comment: anyone can write " DEMO" after a key
 * of their own. */
bool vc__key_is_demo(const unsigned char pk[32]) {
  unsigned char seed[32], dpk[32], dsk[crypto_sign_SECRETKEYBYTES];
  const char *b64 = DEMO_KEY + sizeof SEC_TAG + 9; /* after the tag and the key id */
  if (!b64_32(b64, 44, seed)) return false;
  crypto_sign_seed_keypair(dpk, dsk, seed);
  sodium_memzero(dsk, sizeof dsk);
  return sodium_memcmp(pk, dpk, 32) == 0;
}

/* A signer from the text of a private key file (buf, wiped here); open_mode
 * the permission bits group and others have: refused unless the seed is
 * the published DEMO key's, which has nothing to hide.  NULL with the
 * reason. */
static vc_signer_t *signer_from(const char *path, char *buf, unsigned open_mode, vc_diag_t *d) {
  char kid[VC_VERIFY_KEYID_LEN], mark[COMMENT_MAX + 1] = "";
  unsigned char seed[32], pk[32];
  bool ok = parse_key_line(path, buf, SEC_TAG, seed, kid, mark, d);
  if (ok && *mark && strcmp(mark, "DEMO") != 0) { /* the DEMO key's file ends so */
    vc_diag_add(d, VC_E_INPUT, path, 0, 0, "is not a vncert key file (expected '%s KEYID KEY')",
                SEC_TAG);
    ok = false;
  }
  vc_signer_t *s = ok ? sodium_malloc(sizeof *s) : NULL;
  if (ok && !s) vc_diag_add(d, VC_E_NOMEM, path, 0, 0, "out of memory");
  if (s) {
    crypto_sign_seed_keypair(pk, s->sk, seed);
    vc__key_ids(pk, s->id, NULL);
    hex_id(s->id, s->key_id);
    if (strcmp(s->key_id, kid) != 0) {
      vc_diag_add(d, VC_E_INPUT, path, 0, 0,
                  "the key id %s in the file is not that of its key (%s): damaged", kid,
                  s->key_id);
      ok = false;
    } else if (open_mode && !vc__key_is_demo(pk)) {
      vc_diag_add(d, VC_E_INPUT, path, 0, 0,
                  "the private key is readable or writable by others: refused; make it "
                  "private with: chmod 600 '%s'", path);
      ok = false;
    }
    if (!ok) {
      vc_signer_free(s);
      s = NULL;
    }
  }
  sodium_memzero(seed, sizeof seed);
  return s;
}

vc_signer_t *vc_signer_load(const char *path, vc_diag_t *d) {
  char buf[KEY_FILE_MAX + 1];
  unsigned open_mode = 0;
  if (sodium_init() < 0) {
    vc_diag_add(d, VC_E_INTERNAL, NULL, 0, 0, "libsodium cannot start");
    return NULL;
  }
  if (!read_key_file(path, buf, &open_mode, d)) return NULL;
  vc_signer_t *s = signer_from(path, buf, open_mode, d);
  sodium_memzero(buf, sizeof buf);
  return s;
}

vc_signer_t *vc_signer_demo(vc_diag_t *d) {
  char buf[sizeof DEMO_KEY];
  if (sodium_init() < 0) {
    vc_diag_add(d, VC_E_INTERNAL, NULL, 0, 0, "libsodium cannot start");
    return NULL;
  }
  memcpy(buf, DEMO_KEY, sizeof buf);
  return signer_from(_("the DEMO key"), buf, 0, d);
}

void vc_signer_free(vc_signer_t *s) {
  if (s) sodium_free(s); /* wipes it */
}

const char *vc_signer_key_id(const vc_signer_t *s) { return s->key_id; }

/* libsodium's secret key is the seed then the public key. */
bool vc_signer_is_demo(const vc_signer_t *s) {
  return s && vc__key_is_demo(s->sk + crypto_sign_SEEDBYTES);
}

void vc__signer_sign(const vc_signer_t *s, const unsigned char *m, size_t n,
                     unsigned char sig[64], unsigned char id[4]) {
  crypto_sign_detached(sig, NULL, m, n, s->sk);
  memcpy(id, s->id, 4);
}

/* Creates path with O_EXCL and mode, writes text, fsyncs; -1 on failure
 * (then nothing of it is left, errno kept for the message). */
static int write_new(const char *path, mode_t mode, const char *text) {
  int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) return -1;
  size_t n = strlen(text);
  bool ok = fchmod(fd, mode) == 0 && write(fd, text, n) == (ssize_t)n && fsync(fd) == 0;
  int err = errno;
  if (close(fd) != 0) ok = false;
  if (!ok) {
    unlink(path);
    errno = err;
    return -1;
  }
  return 0;
}

/* The two file names of a key pair; false when too long. */
static bool pair_paths(const char *base, char *key, char *pub, size_t n) {
  return (size_t)snprintf(key, n, "%s.key", base) < n &&
         (size_t)snprintf(pub, n, "%s.pub", base) < n;
}

vc_status_t vc_key_generate(const char *base, const char *comment,
                            char key_id[VC_VERIFY_KEYID_LEN],
                            char fingerprint[VC_VERIFY_FINGERPRINT_LEN], vc_diag_t *d) {
  char kpath[4096], ppath[4096], why[160], kid[VC_VERIFY_KEYID_LEN], fp[65];
  char b64[64], line[KEY_FILE_MAX];
  unsigned char seed[32], pk[32], sk[crypto_sign_SECRETKEYBYTES], id[4];
  if (!pair_paths(base, kpath, ppath, sizeof kpath)) {
    vc_diag_add(d, VC_E_USAGE, base, 0, 0, "the key file name is too long");
    return VC_E_USAGE;
  }
  if (comment && (strlen(comment) > COMMENT_MAX ||
                  !vc__verify_text_ok(comment, SIZE_MAX, N_("comment"), why, sizeof why))) {
    vc_diag_add(d, VC_E_USAGE, NULL, 0, 0, "the key's comment: at most %d bytes of NFC text",
                COMMENT_MAX);
    return VC_E_USAGE;
  }
  if (sodium_init() < 0) {
    vc_diag_add(d, VC_E_INTERNAL, NULL, 0, 0, "libsodium cannot start");
    return VC_E_INTERNAL;
  }
  randombytes_buf(seed, sizeof seed);
  crypto_sign_seed_keypair(pk, sk, seed);
  sodium_memzero(sk, sizeof sk);
  vc__key_ids(pk, id, fp);
  hex_id(id, kid);
  sodium_bin2base64(b64, sizeof b64, pk, 32, sodium_base64_VARIANT_ORIGINAL);
  snprintf(line, sizeof line, "%s %s %s%s%s\n", PUB_TAG, kid, b64,
           comment && *comment ? " " : "", comment ? comment : "");
  if (write_new(ppath, 0644, line) != 0) {
    vc_diag_add(d, VC_E_IO, ppath, 0, 0, "cannot create the public key file: %s%s",
                strerror(errno), errno == EEXIST ? _(" (never replaced: choose another name)") : "");
    sodium_memzero(seed, sizeof seed);
    return VC_E_IO;
  }
  sodium_bin2base64(b64, sizeof b64, seed, 32, sodium_base64_VARIANT_ORIGINAL);
  snprintf(line, sizeof line, "%s %s %s\n", SEC_TAG, kid, b64);
  int rc = write_new(kpath, 0600, line);
  int err = errno;
  sodium_memzero(seed, sizeof seed);
  sodium_memzero(b64, sizeof b64);
  sodium_memzero(line, sizeof line);
  if (rc != 0) {
    unlink(ppath);
    vc_diag_add(d, VC_E_IO, kpath, 0, 0, "cannot create the private key file: %s%s",
                strerror(err), err == EEXIST ? _(" (never replaced: choose another name)") : "");
    return VC_E_IO;
  }
  if (key_id) memcpy(key_id, kid, sizeof kid);
  if (fingerprint) memcpy(fingerprint, fp, sizeof fp);
  return VC_OK;
}

/* Adds the public key file at path to k; false with the reason in d. */
static bool ring_add(vc_keyring_t *k, const char *path, vc_diag_t *d) {
  char buf[KEY_FILE_MAX + 1];
  ring_key_t r;
  memset(&r, 0, sizeof r);
  if (!read_key_file(path, buf, NULL, d) ||
      !parse_key_line(path, buf, PUB_TAG, r.pk, r.key_id, r.comment, d))
    return false;
  char kid[VC_VERIFY_KEYID_LEN];
  vc__key_ids(r.pk, r.id, r.fp);
  hex_id(r.id, kid);
  if (strcmp(kid, r.key_id) != 0) {
    vc_diag_add(d, VC_E_INPUT, path, 0, 0,
                "the key id %s in the file is not that of its key (%s): damaged", r.key_id, kid);
    return false;
  }
  for (size_t i = 0; i < k->n; i++)
    if (!memcmp(k->keys[i].id, r.id, 4)) {
      if (!memcmp(k->keys[i].pk, r.pk, 32)) return true; /* the same key twice */
      vc_diag_add(d, VC_E_INPUT, path, 0, 0, "another key given has the same key id %s", kid);
      return false;
    }
  if (!vc_array_grow(&k->keys, k->n, &k->cap, sizeof *k->keys, 4)) {
    vc_diag_add(d, VC_E_NOMEM, path, 0, 0, "out of memory");
    return false;
  }
  k->keys[k->n++] = r;
  return true;
}

vc_keyring_t *vc_keyring_load(const char *const *paths, size_t n, vc_diag_t *d) {
  if (sodium_init() < 0) {
    vc_diag_add(d, VC_E_INTERNAL, NULL, 0, 0, "libsodium cannot start");
    return NULL;
  }
  vc_keyring_t *k = calloc(1, sizeof *k);
  if (!k) {
    vc_diag_add(d, VC_E_NOMEM, NULL, 0, 0, "out of memory");
    return NULL;
  }
  bool ok = true;
  for (size_t i = 0; i < n; i++) ok = ring_add(k, paths[i], d) && ok;
  if (!ok) {
    vc_keyring_free(k);
    return NULL;
  }
  return k;
}

void vc_keyring_free(vc_keyring_t *k) {
  if (!k) return;
  free(k->keys);
  free(k);
}

size_t vc_keyring_count(const vc_keyring_t *k) { return k ? k->n : 0; }

void vc_keyring_key(const vc_keyring_t *k, size_t i, const char **key_id,
                    const char **fingerprint, const char **comment) {
  if (key_id) *key_id = k->keys[i].key_id;
  if (fingerprint) *fingerprint = k->keys[i].fp;
  if (comment) *comment = k->keys[i].comment;
}

const unsigned char *vc_keyring_public_key(const vc_keyring_t *k, size_t i) {
  return k->keys[i].pk;
}

const unsigned char *vc__keyring_find(const vc_keyring_t *k, const unsigned char id[4],
                                      const char **comment) {
  for (size_t i = 0; k && i < k->n; i++)
    if (!memcmp(k->keys[i].id, id, 4)) {
      if (comment) *comment = k->keys[i].comment;
      return k->keys[i].pk;
    }
  return NULL;
}
