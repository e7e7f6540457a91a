/*
 * i18n.c - where the catalogues are and the lookups (see i18n.h).
 */
#include "core/i18n.h"

#include <libintl.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef VC_LOCALEDIR /* the Makefile's; a build without it (the fuzz targets) */
#define VC_LOCALEDIR "/usr/local/share/locale"
#endif

static pthread_once_t once = PTHREAD_ONCE_INIT;
static char dir[PATH_MAX];

static int has_catalogue(const char *d) {
  char p[PATH_MAX + 64];
  struct stat sb;
  snprintf(p, sizeof p, "%s/vi/LC_MESSAGES/" VC_TEXTDOMAIN ".mo", d);
  return stat(p, &sb) == 0 && S_ISREG(sb.st_mode);
}

bool vc__program_dir(char *out, size_t n, int up) {
  char exe[PATH_MAX];
  ssize_t k = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (k <= 0) return false;
  exe[k] = '\0';
  for (int i = 0; i <= up; i++) {
    char *slash = strrchr(exe, '/');
    if (!slash || slash == exe) return false;
    *slash = '\0';
  }
  size_t len = strlen(exe);
  if (len >= n) return false;
  memcpy(out, exe, len + 1);
  return true;
}

/* VNCERT_LOCALEDIR; else beside the running program: build/locale in the
 * build tree (build/vncert, build/tests/x), PREFIX/share/locale when
 * installed; else the folder the build was configured for. */
static void find_dir(void) {
  const char *env = getenv("VNCERT_LOCALEDIR");
  if (env && *env && strlen(env) < sizeof dir) {
    snprintf(dir, sizeof dir, "%s", env);
    goto bind;
  }
  /* beside the program first: a build tree's catalogue, not an older one
   * installed on the same machine */
  static const char *const rel[] = {"/locale", "/../locale", "/../share/locale"};
  char base[PATH_MAX];
  for (int up = 0; up < 2 && vc__program_dir(base, sizeof base, up); up++)
    for (size_t i = 0; i < sizeof rel / sizeof *rel; i++) {
      int k = snprintf(dir, sizeof dir, "%s%s", base, rel[i]);
      if (k > 0 && (size_t)k < sizeof dir && has_catalogue(dir)) goto bind;
    }
  snprintf(dir, sizeof dir, "%s", VC_LOCALEDIR);
bind:
  bindtextdomain(VC_TEXTDOMAIN, dir);
  /* vncert writes UTF-8 everywhere (files, terminal, kiosk), whatever the
   * locale's own character set */
  bind_textdomain_codeset(VC_TEXTDOMAIN, "UTF-8");
}

const char *vc__gettext(const char *msgid) {
  if (!msgid || !*msgid) return msgid; /* "" would fetch the header */
  pthread_once(&once, find_dir);
  return dgettext(VC_TEXTDOMAIN, msgid);
}

const char *vc__ngettext(const char *one, const char *many, unsigned long n) {
  pthread_once(&once, find_dir);
  return dngettext(VC_TEXTDOMAIN, one, many, n);
}
