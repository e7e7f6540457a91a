/*
 * verify_bench.c - the speed of `vncert verify` on one payload (issue 11,
 * point 4: under 5 ms), for `make bench`.
 *
 *   verify_bench [N]
 *
 * Signs N (2,000) certificates of varied names and awards with a fresh key
 * (signing is the render's cost per QR code: the values, DEFLATE with the
 * dictionary, Ed25519, the digits, libqrencode), then verifies each URL
 * with a keyring of three keys and a revocation list of 1,000 serials
 * (digits, inflate, the checks, Ed25519).  Prints the median and slowest
 * per payload of each and "met"/"MISSED" against 5 ms.  Exit 1 only when a
 * step failed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "verify/verify.h"

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int cmp_d(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static const char *HO[] = {"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Âu Dương", "Lương"};
static const char *TEN[] = {"Thị Thu Thảo", "Văn Bình", "Ngọc Bảo Trâm", "Minh Khôi",
                            "Khánh Linh Vũ Trường", "Hữu Phước"};
static const char *AWARD[] = {
    "Đã có thành tích xuất sắc trong phong trào hiến máu tình nguyện năm 2024",
    "Vô địch giải cờ vua nhanh dành cho lứa tuổi thiếu niên toàn quốc tổ chức tại Đà Nẵng",
    "Học bổng khuyến khích học tập học kỳ I năm học 2026-2027",
    "Có sáng kiến cải tiến mô hình trồng rau sạch trong khuôn viên nhà trường"};

/* Median and slowest of t[0..n) (sorted here), with the verdict. */
static void report(const char *what, double *t, int n) {
  qsort(t, (size_t)n, sizeof *t, cmp_d);
  printf("%-44s median %.3f ms, slowest %.3f ms: %s (target < 5 ms)\n", what, t[n / 2],
         t[n - 1], t[n / 2] < 5 ? "met" : "MISSED");
}

/* Makes three key pairs in dir; the first one's signer into *s. */
static vc_keyring_t *keys(const char *dir, vc_signer_t **s, vc_diag_t *d) {
  char base[300], path[3][320];
  const char *paths[3];
  for (int i = 0; i < 3; i++) {
    snprintf(base, sizeof base, "%s/k%d", dir, i);
    if (vc_key_generate(base, "bench", NULL, NULL, d) != VC_OK) return NULL;
    snprintf(path[i], sizeof path[i], "%s.pub", base);
    paths[i] = path[i];
  }
  snprintf(base, sizeof base, "%s/k0.key", dir);
  *s = vc_signer_load(base, d);
  return *s ? vc_keyring_load(paths, 3, d) : NULL;
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 2000;
  char dir[] = "/tmp/vc_verify_bench.XXXXXX", why[320];
  vc_diag_t *d = vc_diag_create();
  vc_signer_t *s = NULL;
  vc_keyring_t *ring = n > 0 && mkdtemp(dir) ? keys(dir, &s, d) : NULL;
  size_t cnt = (size_t)(n > 0 ? n : 1);
  double *ts = calloc(cnt, sizeof *ts), *tv = calloc(cnt, sizeof *tv);
  char **urls = calloc(cnt, sizeof *urls);
  static char serials[1000][24];
  vc_revocation_t rev[1000];
  for (int i = 0; i < 1000; i++) {
    snprintf(serials[i], sizeof serials[i], "2026/GK-%05d", 90000 + i);
    rev[i] = (vc_revocation_t){serials[i], "bench", "2026-06-01"};
  }
  int bad = !ring || !urls || !ts || !tv;
  for (int i = 0; !bad && i < n; i++) {
    char name[128], serial[32];
    snprintf(name, sizeof name, "%s %s", HO[i % 7], TEN[i % 6]);
    snprintf(serial, sizeof serial, "2026/GK-%05d", i);
    vc_verify_values_t v;
    unsigned cut;
    double t0 = now_ms();
    vc_qr_t *q = NULL;
    bad = !vc_verify_prepare(serial, name, AWARD[i % 4], i % 3 ? "" : "2500000", "2026-05-20",
                             &v, &cut, why, sizeof why) ||
          !(urls[i] = vc_signer_url(s, "https://truong.example/xac-minh", &v, why, sizeof why)) ||
          !(q = vc_qr_encode(urls[i], why, sizeof why));
    ts[i] = now_ms() - t0;
    vc_qr_free(q);
  }
  for (int i = 0; !bad && i < n; i++) {
    vc_verify_result_t r;
    double t0 = now_ms();
    bad = vc_verify_text(urls[i], ring, rev, 1000, &r, d) != VC_OK || r.verdict != VC_VERIFY_VALID;
    tv[i] = now_ms() - t0;
  }
  if (!bad) {
    report("sign + encode one QR code", ts, n);
    report("verify one payload (3 keys, 1,000 revoked)", tv, n);
  } else {
    vc_diag_print(d, stderr);
    fprintf(stderr, "verify_bench: failed: %s\n", why);
  }
  for (int i = 0; urls && i < n; i++) free(urls[i]);
  free(urls), free(ts), free(tv);
  vc_keyring_free(ring);
  vc_signer_free(s);
  vc_diag_free(d);
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0) bad = 1;
  return bad;
}
