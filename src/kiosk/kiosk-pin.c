/*
 * kiosk-pin.c - the staff PIN: kept only as a slow hash (libsodium's
 * crypto_pwhash_str, Argon2id, interactive limits: a stolen file costs a
 * guesser about 0.1 s and 64 MiB a try), checked in constant time, and
 * `vncert kiosk-pin FILE` that makes the file.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include "core/i18n.h"
#include "kiosk/kiosk-private.h"

_Static_assert(crypto_pwhash_STRBYTES <= VC__PIN_HASH_LEN, "PIN hash buffer");

bool vc__pin_valid(const char *pin) {
  size_t n = pin ? strlen(pin) : 0;
  if (n < 4 || n > 12) return false;
  for (size_t i = 0; i < n; i++)
    if (pin[i] < '0' || pin[i] > '9') return false;
  return true;
}

bool vc__pin_hash(const char *pin, char hash[VC__PIN_HASH_LEN]) {
  return crypto_pwhash_str(hash, pin, strlen(pin), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                           crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0;
}

bool vc__pin_verify(const char *hash, const char *pin) {
  /* a malformed PIN is refused without hashing, by the same rule for all */
  if (!vc__pin_valid(pin)) return false;
  return crypto_pwhash_str_verify(hash, pin, strlen(pin)) == 0;
}

bool vc__pin_load(const char *path, char hash[VC__PIN_HASH_LEN], char *why, size_t n) {
  FILE *f = fopen(path, "re");
  if (!f) {
    snprintf(why, n, "%s: %s", path, strerror(errno));
    return false;
  }
  char line[VC__PIN_HASH_LEN + 2] = "";
  bool got = fgets(line, sizeof line, f) != NULL;
  fclose(f);
  line[strcspn(line, "\r\n")] = '\0';
  /* "$argon2id$v=19$m=...,t=...,p=...$salt$hash" */
  if (!got || strncmp(line, "$argon2id$", 10) != 0 || strlen(line) >= crypto_pwhash_STRBYTES) {
    snprintf(why, n, _("%s: not a PIN file (make one with: vncert kiosk-pin %s)"), path, path);
    return false;
  }
  memcpy(hash, line, strlen(line) + 1);
  return true;
}

/* One line without echo from the terminal fd (echo restored after).  False
 * on end of input. */
static bool read_hidden(int fd, const char *prompt, char *buf, size_t n) {
  struct termios old, quiet;
  fputs(prompt, stderr);
  fflush(stderr);
  bool tty = tcgetattr(fd, &old) == 0;
  if (tty) {
    quiet = old;
    quiet.c_lflag &= ~(tcflag_t)ECHO;
    quiet.c_lflag |= ECHONL;
    tcsetattr(fd, TCSAFLUSH, &quiet);
  }
  FILE *in = fdopen(dup(fd), "r");
  bool ok = in && fgets(buf, (int)n, in) != NULL;
  if (in) fclose(in);
  if (tty) tcsetattr(fd, TCSAFLUSH, &old);
  buf[ok ? strcspn(buf, "\r\n") : 0] = '\0';
  return ok;
}

/* The new PIN into pin (n bytes): twice from a terminal, once from a pipe.
 * 0, or the exit code (said). */
static int ask_pin(char *pin, size_t n) {
  char again[64];
  if (isatty(STDIN_FILENO)) {
    if (!read_hidden(STDIN_FILENO, _("New staff PIN (4-12 digits): "), pin, n) ||
        !read_hidden(STDIN_FILENO, _("The same PIN again: "), again, sizeof again)) {
      fputs(_("vncert: no PIN was typed; nothing was written\n"), stderr);
      return 1;
    }
    bool same = strcmp(pin, again) == 0;
    sodium_memzero(again, sizeof again);
    if (!same) {
      fputs(_("vncert: the two PINs differ; nothing was written\n"), stderr);
      return 1;
    }
  } else if (!fgets(pin, (int)n, stdin)) {
    fputs(_("vncert: no PIN on standard input; nothing was written\n"), stderr);
    return 1;
  } else {
    pin[strcspn(pin, "\r\n")] = '\0';
  }
  if (!vc__pin_valid(pin)) {
    fputs(_("vncert: a PIN is 4 to 12 digits (0-9); nothing was written\n"), stderr);
    return 1;
  }
  return 0;
}

/* Writes the line to path, mode 0600: a new file (O_EXCL), or replacing
 * one through a temporary renamed over it.  0 or 1 (said). */
static int write_pin_file(const char *path, const char *line, bool overwrite) {
  char tmp[4096];
  int w = snprintf(tmp, sizeof tmp, "%s.XXXXXX", path);
  if (w < 0 || (size_t)w >= sizeof tmp) {
    fprintf(stderr, _("vncert: %s: name too long\n"), path);
    return 1;
  }
  int fd = overwrite ? mkostemp(tmp, O_CLOEXEC)
                     : open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST)
      fprintf(stderr, _("vncert: %s: %s (give --overwrite to replace it)\n"), path, strerror(errno));
    else
      fprintf(stderr, "vncert: %s: %s\n", path, strerror(errno));
    return 1;
  }
  size_t len = strlen(line);
  bool ok = fchmod(fd, 0600) == 0 && write(fd, line, len) == (ssize_t)len && fsync(fd) == 0;
  int e = errno;
  ok = close(fd) == 0 && ok;
  if (ok && overwrite && rename(tmp, path) != 0) {
    e = errno;
    ok = false;
  }
  if (!ok) {
    unlink(overwrite ? tmp : path);
    fprintf(stderr, "vncert: %s: %s\n", path, strerror(e));
    return 1;
  }
  return 0;
}

int vc_kiosk_pin_command(const char *path, bool overwrite) {
  if (sodium_init() < 0) {
    fputs(_("vncert: libsodium could not start\n"), stderr);
    return 1;
  }
  if (!overwrite && access(path, F_OK) == 0) {
    fprintf(stderr, _("vncert: %s exists (give --overwrite to replace it)\n"), path);
    return 1;
  }
  char pin[64], hash[VC__PIN_HASH_LEN], line[VC__PIN_HASH_LEN + 1];
  int rc = ask_pin(pin, sizeof pin);
  if (rc == 0 && !vc__pin_hash(pin, hash)) {
    fputs(_("vncert: out of memory hashing the PIN\n"), stderr);
    rc = 1;
  }
  sodium_memzero(pin, sizeof pin);
  if (rc) return rc;
  snprintf(line, sizeof line, "%s\n", hash);
  rc = write_pin_file(path, line, overwrite);
  if (rc == 0)
    fprintf(stderr, _("vncert: the staff PIN's hash was written to %s (start the kiosk "
                      "with --pin-file %s)\n"), path, path);
  return rc;
}
