/* test_verify_page.c - the verification page's writer (src/verify/verify-page.c):
 * the data read back as JSON, nothing in it able to end its <script> element,
 * the CSP's hashes those of the script and style the page holds, the keys
 * from a keyring, and a page that cannot be written. */
#include "testutil.h"

#include <jansson.h>
#include <sodium.h>
#include <sys/stat.h>

#include "verify/page-private.h"

/* Test key A of tests/data/verify-vectors.json. */
#define KEY_A_ID "6808c1d9"
#define KEY_A_B64 "WyeZx43guE5/hIOf9EezXDz+KYazFVBtb9wexR8Gb5w="

static int setup(void **state) {
  (void)state;
  return sodium_init() < 0 ? -1 : test_dir_make("verify_page");
}

/* Writes text to test_dir/name; its path in a static buffer. */
static const char *put_file(const char *name, const char *text) {
  static char path[128];
  snprintf(path, sizeof path, "%s/%s", test_dir, name);
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
  return path;
}

/* The text between the first `open` and the next "</script>" or "</style>"
 * of html (malloc'd). */
static char *between(const char *html, const char *open, const char *close) {
  const char *a = strstr(html, open);
  assert_non_null(a);
  a += strlen(open);
  const char *b = strstr(a, close);
  assert_non_null(b);
  return strndup(a, (size_t)(b - a));
}

/* "'sha256-BASE64'" of s. */
static void hash_src(const char *s, char out[80]) {
  unsigned char h[crypto_hash_sha256_BYTES];
  char b[64];
  crypto_hash_sha256(h, (const unsigned char *)s, strlen(s));
  sodium_bin2base64(b, sizeof b, h, sizeof h, sodium_base64_VARIANT_ORIGINAL);
  snprintf(out, 80, "'sha256-%s'", b);
}

/* A page from values with every character that could end a <script> early. */
static void test_page_data_and_csp(void **state) {
  (void)state;
  vc__page_key_t k = {{0x68, 0x08, 0xc1, 0xd9}, {1, 2, 3}, "Hiệu trưởng </script><!--<script>"};
  vc_revocation_t r = {"2026/GK-0003", "Cấp nhầm </SCRIPT> người", "2026-06-01"};
  const unsigned char dict[] = "Giấy khen";
  vc__page_input_t in = {.school = "Trường \"CĐSP\" Lạng Sơn", .made = "2026-06-02",
                         .keys = &k, .nkeys = 1, .revoked = &r, .nrevoked = 1,
                         .dict = dict, .dict_len = sizeof dict - 1};
  char path[128];
  snprintf(path, sizeof path, "%s/page.html", test_dir);
  vc_diag_t *d = vc_diag_create();
  assert_int_equal(vc__page_write(&in, path, d), VC_OK);
  size_t n;
  char *html = (char *)slurp(path, &n);
  char *data = between(html, "<script type=\"application/json\" id=\"vc-data\">", "</script>");
  /* Nothing in the data can end or change its element: no '<' at all. */
  assert_null(strchr(data, '<'));
  json_error_t err;
  json_t *o = json_loads(data, 0, &err);
  assert_non_null(o);
  assert_string_equal(json_string_value(json_object_get(o, "made")), "2026-06-02");
  assert_string_equal(json_string_value(json_object_get(o, "school")), in.school);
  assert_string_equal(json_string_value(json_object_get(o, "dict")), "R2nhuqV5IGtoZW4=");
  json_t *key = json_array_get(json_object_get(o, "keys"), 0);
  assert_string_equal(json_string_value(json_object_get(key, "id")), "6808c1d9");
  assert_string_equal(json_string_value(json_object_get(key, "comment")), k.comment);
  json_t *rev = json_array_get(json_object_get(o, "revoked"), 0);
  assert_string_equal(json_string_value(json_object_get(rev, "reason")), r.reason);
  assert_string_equal(json_string_value(json_object_get(rev, "date")), "2026-06-01");
  json_decref(o);
  /* The CSP lets exactly the page's own script and style run, and nothing connect. */
  char *script = between(html, "<script type=\"module\">", "</script>");
  char *style = between(html, "<style>", "</style>");
  char want[80], csp[512];
  hash_src(script, want);
  snprintf(csp, sizeof csp, "default-src 'none'; script-src %s; style-src ", want);
  hash_src(style, want);
  strcat(csp, want);
  assert_non_null(strstr(html, csp));
  assert_non_null(strstr(script, "verifyAsync"));     /* the bundled library */
  assert_non_null(strstr(script, "importKey('raw'")); /* and the page's verifier */
  assert_null(strstr(html, "@SCRIPT@"));
  free(script);
  free(style);
  free(data);
  free(html);
  vc_diag_free(d);
}

/* A text that is not UTF-8 cannot be JSON: refused, nothing written. */
static void test_page_refuses_bad_text(void **state) {
  (void)state;
  vc__page_key_t k = {{0}, {0}, "bad \xff comment"};
  const unsigned char dict[] = "x";
  vc__page_input_t in = {.keys = &k, .nkeys = 1, .dict = dict, .dict_len = 1};
  char path[128];
  struct stat st;
  snprintf(path, sizeof path, "%s/bad.html", test_dir);
  vc_diag_t *d = vc_diag_create();
  assert_int_equal(vc__page_write(&in, path, d), VC_E_INPUT);
  expect_diag_st(d, VC_E_INPUT, "not UTF-8");
  assert_int_not_equal(stat(path, &st), 0);
  vc_diag_free(d);
}

/* The page from a keyring (vc_keyring_load: its refusals are test_verify's):
 * each key's id, key and comment; none or too many is a usage error; an
 * unwritable place is VC_E_IO, nothing left behind. */
static void test_keyring_counts_and_io(void **state) {
  (void)state;
  const char *good = put_file("a.pub", "vncert-ed25519-v1 " KEY_A_ID " " KEY_A_B64
                                       " THCS Lê Lợi 2026-2027\n");
  char out[128];
  snprintf(out, sizeof out, "%s/xac-minh.html", test_dir);
  vc_diag_t *d = vc_diag_create();
  vc_keyring_t *k = vc_keyring_load(&good, 1, d);
  assert_non_null(k);
  vc_verify_page_t p = {.keys = k, .school = "THCS Lê Lợi"};
  assert_int_equal(vc_verify_page_write(&p, out, d), VC_OK);
  size_t n;
  char *html = (char *)slurp(out, &n);
  assert_non_null(strstr(html, "\"comment\":\"THCS Lê Lợi 2026-2027\",\"id\":\"" KEY_A_ID
                               "\",\"key\":\"" KEY_A_B64 "\""));
  free(html);
  snprintf(out, sizeof out, "%s/no-such-folder/xac-minh.html", test_dir);
  assert_int_equal(vc_verify_page_write(&p, out, d), VC_E_IO);
  expect_diag_st(d, VC_E_IO, "cannot write the page");
  char glob[160];
  snprintf(glob, sizeof glob, "ls %s | grep -c xac-minh", test_dir);
  char *ls = NULL;
  sh(&ls, "%s", glob);
  assert_string_equal(ls, "1\n"); /* the first page, no temporary */
  free(ls);
  vc_keyring_free(k);
  p.keys = NULL; /* an empty keyring */
  assert_int_equal(vc_verify_page_write(&p, out, d), VC_E_USAGE);
  expect_diag_st(d, VC_E_USAGE, "1 to 16 public keys");
  vc_diag_free(d);
}

/* The DEMO key is known by its key, not its comment: its public file with
 * another comment is still warned about; a school's key whose comment
 * starts "DEMO" is not. */
static void test_demo_key_warned_by_key(void **state) {
  (void)state;
  char path[1024], line[512], out[128];
  assert_true(test_repo_file(path, sizeof path, "examples/khoa-DEMO.pub"));
  size_t n;
  char *demo = (char *)slurp(path, &n);
  const char *end = strchr(strchr(strchr(demo, ' ') + 1, ' ') + 1, ' '); /* after the key */
  snprintf(line, sizeof line, "%.*s THCS Lê Lợi 2026-2027\n", (int)(end - demo), demo);
  free(demo);
  snprintf(out, sizeof out, "%s/xac-minh.html", test_dir);
  const char *renamed = put_file("truong.pub", line);
  vc_diag_t *d = vc_diag_create();
  vc_keyring_t *k = vc_keyring_load(&renamed, 1, d);
  assert_non_null(k);
  vc_verify_page_t p = {.keys = k};
  assert_int_equal(vc_verify_page_write(&p, out, d), VC_OK);
  expect_diag_st(d, VC_WARN, "key 77a7f0ed is a DEMO key");
  vc_keyring_free(k);
  const char *mine = put_file("a.pub", "vncert-ed25519-v1 " KEY_A_ID " " KEY_A_B64
                                       " DEMO của trường\n");
  k = vc_keyring_load(&mine, 1, d);
  assert_non_null(k);
  p.keys = k;
  assert_int_equal(vc_verify_page_write(&p, out, d), VC_OK);
  assert_int_equal(vc_diag_kept(d), 0);
  vc_keyring_free(k);
  vc_diag_free(d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_page_data_and_csp),
      cmocka_unit_test(test_page_refuses_bad_text),
      cmocka_unit_test(test_keyring_counts_and_io),
      cmocka_unit_test(test_demo_key_warned_by_key),
  };
  return cmocka_run_group_tests(tests, setup, test_dir_teardown);
}
