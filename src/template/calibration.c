/*
 * calibration.c - printer calibration profiles (issue 13, point 2; vncert.h):
 * a small YAML file per printer the user may read and edit, read with the
 * template loader's YAML tree (so a mistake is named by file:line:col as in
 * a template) and written whole.
 *
 *   # vncert: calibration of printer "hp-phong-dao-tao"
 *   offset_x: 1.5     # mm, + moves everything right
 *   offset_y: -0.8    # mm, + moves everything down
 *   scale_x: 1        # 0.995 shrinks across by 0.5 %
 *   scale_y: 0.995
 */
#include "template/template-internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/i18n.h"
#include "core/text.h"

#define OFFSET_MAX 20.0
#define SCALE_MIN 0.9
#define SCALE_MAX 1.1
#define FILE_MAX 65536

static bool name_ok(const char *n) {
  if (!*n || strlen(n) > 127 || *n == '.') return false;
  for (const char *p = n; *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
          *p == '.' || *p == '_' || *p == '-'))
      return false;
  return true;
}

/* The calibration folder: $XDG_CONFIG_HOME or ~/.config, vncert/calibration. */
static bool folder(char *out, size_t n) {
  const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
  if (xdg && *xdg) snprintf(out, n, "%s/vncert/calibration", xdg);
  else if (home && *home) snprintf(out, n, "%s/.config/vncert/calibration", home);
  else return false;
  return true;
}

char *vc_calibration_path(const char *name) {
  if (!name) return NULL;
  if (strchr(name, '/')) return strdup(name);
  char dir[4096];
  if (!name_ok(name) || !folder(dir, sizeof dir)) return NULL;
  size_t n = strlen(dir) + strlen(name) + 8;
  char *p = malloc(n);
  if (p) snprintf(p, n, "%s/%s.yaml", dir, name);
  return p;
}

/* One value of the profile at key, in [lo, hi]; *v unchanged when absent. */
static void value(vc_tctx_t *c, const vc_tnode_t *root, const char *key, double lo, double hi,
                  double *v) {
  const vc_tnode_t *n = vc__tn_get(root, key);
  if (!n || !vc__tn_number(c, n, key, v)) return;
  if (*v < lo || *v > hi) {
    char a[32], b[32];
    vc__tctx_err(c, n, VC_E_INPUT, "%s: must be from %s to %s", key,
                 vc_text_fmt_num(lo, a, sizeof a), vc_text_fmt_num(hi, b, sizeof b));
  }
}

static char *slurp(const char *path, size_t *len, vc_diag_t *d) {
  FILE *fp = fopen(path, "rb");
  if (!fp) {
    vc_diag_add(d, VC_E_IO, path, 0, 0, "cannot open the calibration profile: %s%s",
                strerror(errno), errno == ENOENT ? _(" (vncert calibrate --save makes one)") : "");
    return NULL;
  }
  char *buf = malloc(FILE_MAX + 1);
  size_t n = buf ? fread(buf, 1, FILE_MAX + 1, fp) : 0;
  fclose(fp);
  if (!buf) vc_diag_add(d, VC_E_NOMEM, path, 0, 0, "out of memory");
  else if (n > FILE_MAX) vc_diag_add(d, VC_E_LIMIT, path, 0, 0, "a calibration profile is at most 64 KiB");
  if (!buf || n > FILE_MAX) return free(buf), NULL;
  *len = n;
  return buf;
}

bool vc_calibration_load(const char *name, vc_calibration_t *out, vc_diag_t *d) {
  static const char *const keys[] = {"offset_x", "offset_y", "scale_x", "scale_y", NULL};
  char *path = vc_calibration_path(name);
  if (!path) {
    vc_diag_add(d, VC_E_USAGE, name, 0, 0,
                "not a calibration name (letters, digits, '.', '_', '-'), nor a file's path");
    return false;
  }
  size_t len = 0;
  char *buf = slurp(path, &len, d);
  vc_template_t t = {0};
  vc_tctx_t c = {.path = path, .d = d, .buf = buf, .len = len, .t = &t};
  vc_calibration_t v = {0, 0, 1, 1};
  vc_tnode_t *root = buf ? vc__tnode_parse(&c) : NULL;
  if (root && vc__tn_check_keys(&c, root, keys, _("the calibration profile"))) {
    value(&c, root, "offset_x", -OFFSET_MAX, OFFSET_MAX, &v.offset_x);
    value(&c, root, "offset_y", -OFFSET_MAX, OFFSET_MAX, &v.offset_y);
    value(&c, root, "scale_x", SCALE_MIN, SCALE_MAX, &v.scale_x);
    value(&c, root, "scale_y", SCALE_MIN, SCALE_MAX, &v.scale_y);
  }
  bool ok = buf && root && !c.nerr;
  vc__tnode_free(root);
  free(c.line_starts);
  free(buf);
  free(path);
  if (ok) *out = v;
  return ok;
}

/* v with up to 4 decimals, a dot under every locale ("0.995", "-1.5", "1"):
 * vc_text_fmt_num keeps 2, too few for a scale. */
static const char *num4(double v, char *out, size_t n) {
  long t = (long)(v * 10000 + (v < 0 ? -0.5 : 0.5));
  long ip = labs(t) / 10000, fp = labs(t) % 10000;
  int w = 4;
  while (fp && fp % 10 == 0) fp /= 10, w--;
  if (fp) snprintf(out, n, "%s%ld.%0*ld", t < 0 ? "-" : "", ip, w, fp);
  else snprintf(out, n, "%s%ld", t < 0 && ip ? "-" : "", ip);
  return out;
}

/* mkdir -p for the folder of path. */
static bool make_dirs(char *path) {
  for (char *s = path + 1; (s = strchr(s, '/')); s++) {
    *s = '\0';
    bool ok = mkdir(path, 0755) == 0 || errno == EEXIST;
    *s = '/';
    if (!ok) return false;
  }
  return true;
}

bool vc_calibration_save(const char *name, const vc_calibration_t *v, vc_diag_t *d) {
  if (!(v->offset_x >= -OFFSET_MAX && v->offset_x <= OFFSET_MAX && v->offset_y >= -OFFSET_MAX &&
        v->offset_y <= OFFSET_MAX && v->scale_x >= SCALE_MIN && v->scale_x <= SCALE_MAX &&
        v->scale_y >= SCALE_MIN && v->scale_y <= SCALE_MAX)) {
    vc_diag_add(d, VC_E_USAGE, name, 0, 0,
                "offsets must be from -20 to 20 mm and scales from 0.9 to 1.1");
    return false;
  }
  char *path = vc_calibration_path(name);
  if (!path) {
    vc_diag_add(d, VC_E_USAGE, name, 0, 0, "not a calibration name (letters, digits, '.', '_', '-')");
    return false;
  }
  size_t n = strlen(path) + 8;
  char *tmp = malloc(n);
  FILE *fp = NULL;
  if (tmp) snprintf(tmp, n, "%s.new", path);
  bool ok = tmp && make_dirs(path) && (fp = fopen(tmp, "w"));
  if (ok) {
    char a[4][32];
    fprintf(fp,
            "# vncert: calibration of printer \"%s\" (vncert calibrate; edit freely)\n"
            "offset_x: %s   # mm, + moves everything right\n"
            "offset_y: %s   # mm, + moves everything down\n"
            "scale_x: %s    # 1 = as drawn; 0.995 shrinks across by 0.5 %%\n"
            "scale_y: %s\n", name, num4(v->offset_x, a[0], 32), num4(v->offset_y, a[1], 32),
            num4(v->scale_x, a[2], 32), num4(v->scale_y, a[3], 32));
    ok = !ferror(fp);
    ok = fclose(fp) == 0 && ok && rename(tmp, path) == 0;
  }
  if (!ok) {
    vc_diag_add(d, VC_E_IO, path, 0, 0, "cannot write the calibration profile: %s", strerror(errno));
    if (tmp) unlink(tmp);
  }
  free(tmp);
  free(path);
  return ok;
}
