/*
 * names.c - file names from data (see vc_filename_safe in job.h).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/text.h"
#include "job/job-private.h"

#define NAME_MAX_BYTES 200

static bool reserved_dos(const char *s) {
  static const char *dev[] = {"CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3",
                              "COM4", "COM5", "COM6", "COM7", "COM8", "COM9",
                              "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6",
                              "LPT7", "LPT8", "LPT9"};
  size_t stem = strcspn(s, ".");
  for (size_t i = 0; i < sizeof dev / sizeof *dev; i++)
    if (strlen(dev[i]) == stem && vc_ascii_ncasecmp(s, dev[i], stem) == 0) return true;
  return false;
}

char *vc_filename_safe(const char *name, bool ascii) {
  /* invisible format characters first (issue 6, point 9): three names that
   * all show as 0210456.pdf must be one name, and U+202E must not turn
   * "0210456<U+202E>fdp.exe" into a name that shows as "0210456exe.pdf" */
  char *seen = vc_text_drop_invisible(name, NULL);
  if (!seen) return NULL;
  char *src = ascii ? vc_text_strip_marks(seen) : vc_text_nfc(seen, strlen(seen));
  free(seen);
  if (!src) return NULL;
  size_t n = strlen(src);
  char *out = malloc(n + 3);
  if (!out) {
    free(src);
    return NULL;
  }
  size_t o = 0;
  for (size_t i = 0; i < n;) {
    unsigned char c = (unsigned char)src[i];
    int32_t cp = c;
    size_t k = c < 0x80 ? 1 : vc_utf8_decode(src + i, n - i, &cp);
    if (k == 0) { /* cannot happen after NFC; stay safe */
      i++;
      continue;
    }
    bool bad = cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) ||
               (cp < 0x80 && strchr("/\\<>:\"|?*", (int)cp));
    if (o + (bad ? 1 : k) > NAME_MAX_BYTES) break;
    if (bad) {
      if (o == 0 || out[o - 1] != '_') out[o++] = '_';
    } else {
      memcpy(out + o, src + i, k);
      o += k;
    }
    i += k;
  }
  free(src);
  out[o] = '\0';
  /* no leading/trailing dots or spaces (Windows drops them silently) */
  size_t a = 0;
  while (out[a] == '.' || out[a] == ' ') a++;
  while (o > a && (out[o - 1] == '.' || out[o - 1] == ' ')) out[--o] = '\0';
  memmove(out, out + a, o - a + 1);
  if (!*out) strcpy(out, "_");
  else if (reserved_dos(out)) {
    size_t len = strlen(out);
    memmove(out + 1, out, len + 1);
    out[0] = '_';
  }
  return out;
}

/* True when a and b name the same existing file (device and inode). */
static bool same_file(const char *a, const char *b) {
  struct stat sa, sb;
  return a && b && stat(a, &sa) == 0 && stat(b, &sb) == 0 &&
         sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

bool vc__job_output_safe(const vc_job_t *job, const char *path, vc_diag_t *d) {
  const char *ins[] = {job->data_path, job->template_path};
  for (size_t k = 0; k < 2; k++)
    if (same_file(path, ins[k])) {
      if (k == 0)
        vc_diag_add(d, VC_E_USAGE, path, 0, 0,
                    "this is the data file: vncert never writes over its input; "
                    "choose another output name");
      else
        vc_diag_add(d, VC_E_USAGE, path, 0, 0,
                    "this is the template file: vncert never writes over its input; "
                    "choose another output name");
      return false;
    }
  return true;
}

bool vc__job_outputs_safe(const vc_job_t *job, vc_diag_t *d) {
  bool ok = !job->out || vc__job_output_safe(job, job->out, d);
  return (!job->layout_tsv || vc__job_output_safe(job, job->layout_tsv, d)) && ok;
}
