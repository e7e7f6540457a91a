/* test_collate.c - Vietnamese collation: letters, tones, names, keys. */
#include "testutil.h"

#include "records/collate.h"

/* Asserts that list[] is strictly increasing under vc_collate_text. */
static void assert_chain(const char *const *list, size_t n, vc_tone_order_t tones) {
  for (size_t i = 0; i + 1 < n; i++) {
    if (vc_collate_text(list[i], list[i + 1], tones) >= 0 ||
        vc_collate_text(list[i + 1], list[i], tones) <= 0)
      fail_msg("expected \"%s\" < \"%s\"", list[i], list[i + 1]);
  }
}

#define CHAIN(tones, ...)                                                      \
  do {                                                                         \
    const char *const l_[] = {__VA_ARGS__};                                    \
    assert_chain(l_, sizeof l_ / sizeof *l_, tones);                           \
  } while (0)

static void test_tone_order_vietlex(void **state) {
  (void)state;
  /* ngang < huyền < hỏi < ngã < sắc < nặng */
  CHAIN(VC_TONES_VIETLEX, "a", "à", "ả", "ã", "á", "ạ");
  CHAIN(VC_TONES_VIETLEX, "ma", "mà", "mả", "mã", "má", "mạ");
  CHAIN(VC_TONES_VIETLEX, "Anh", "Ánh");
  CHAIN(VC_TONES_VIETLEX, "Bà", "Bá");
}

static void test_tone_order_sac_first(void **state) {
  (void)state;
  /* ngang < sắc < huyền < hỏi < ngã < nặng */
  CHAIN(VC_TONES_SAC_FIRST, "a", "á", "à", "ả", "ã", "ạ");
  CHAIN(VC_TONES_SAC_FIRST, "Bá", "Bà");
  assert_true(vc_collate_text("Bá", "Bà", VC_TONES_VIETLEX) > 0);
}

static void test_letter_order(void **state) {
  (void)state;
  /* the alphabet, lower and upper case; f j w z at their ASCII place */
  CHAIN(VC_TONES_VIETLEX, "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g",
        "h", "i", "j", "k", "l", "m", "n", "o", "ô", "ơ", "p", "q", "r", "s",
        "t", "u", "ư", "v", "w", "x", "y", "z");
  CHAIN(VC_TONES_VIETLEX, "A", "Ă", "Â", "B", "C", "D", "Đ", "E", "Ê", "G", "H",
        "I", "K", "L", "M", "N", "O", "Ô", "Ơ", "P", "Q", "R", "S", "T", "U",
        "Ư", "V", "X", "Y");
  CHAIN(VC_TONES_VIETLEX, "An", "Ăn", "Ân", "Bình");
  CHAIN(VC_TONES_VIETLEX, "Dũng", "Đạt", "Em");
  CHAIN(VC_TONES_VIETLEX, "Duy", "Dư", "Dương"); /* ư after u */
  CHAIN(VC_TONES_VIETLEX, "Hồ", "Hơn", "Hùng");
  /* letters beyond Latin come after z; foreign marks only break ties */
  CHAIN(VC_TONES_VIETLEX, "zeta", "ø", "ω");
  CHAIN(VC_TONES_VIETLEX, "u", "ü", "ua");
  CHAIN(VC_TONES_VIETLEX, "c", "ç", "ch");
}

static void test_letters_before_tones(void **state) {
  (void)state;
  CHAIN(VC_TONES_VIETLEX, "Ác", "Ăn");   /* a < ă decides, not the tone */
  CHAIN(VC_TONES_VIETLEX, "Ánh", "Anha"); /* shorter first at primary */
  CHAIN(VC_TONES_VIETLEX, "Bá", "Bac");
  CHAIN(VC_TONES_VIETLEX, "Luyến", "Lượng"); /* u < ư before any tone */
  /* tones compared word by word, left to right */
  CHAIN(VC_TONES_VIETLEX, "Ba Bà", "Bà Ba");
  /* whole words: "An Bình" before "Anh" */
  CHAIN(VC_TONES_VIETLEX, "An", "An Bình", "Anh");
}

static void test_case_and_equivalence(void **state) {
  (void)state;
  /* tone is a property of the syllable: old and new placement are equal */
  assert_int_equal(vc_collate_text("Hoà", "Hòa", VC_TONES_VIETLEX), 0);
  assert_int_equal(vc_collate_text("Thuỷ", "Thủy", VC_TONES_VIETLEX), 0);
  /* case only breaks ties, lower first */
  CHAIN(VC_TONES_VIETLEX, "an", "An", "AN", "ăn");
  CHAIN(VC_TONES_VIETLEX, "hòa", "HOÀ");
  CHAIN(VC_TONES_VIETLEX, "đa", "Đa", "Đá");
  /* NFD and NFC are the same text */
  assert_int_equal(vc_collate_text("Nguye\xcc\x82\xcc\x83n", "Nguyễn", VC_TONES_VIETLEX), 0);
  assert_int_equal(vc_collate_text("", "", VC_TONES_VIETLEX), 0);
  assert_int_equal(vc_collate_text(NULL, "", VC_TONES_VIETLEX), 0);
  /* white-space runs are one break; ends do not count */
  assert_int_equal(vc_collate_text(" An  Bình ", "An Bình", VC_TONES_VIETLEX), 0);
}

static void test_digits(void **state) {
  (void)state;
  CHAIN(VC_TONES_VIETLEX, "", "a b", "a-b", "a0", "a9", "a10", "aa");
  CHAIN(VC_TONES_VIETLEX, "-", "9", "10", "a", "ă"); /* symbols, digits, letters */
  CHAIN(VC_TONES_VIETLEX, "K9", "K10", "K19MN", "K100");
  CHAIN(VC_TONES_VIETLEX, "10A2", "10A10", "11A1");
  CHAIN(VC_TONES_VIETLEX, "1", "01", "001", "2");
  CHAIN(VC_TONES_VIETLEX, "Lớp 9", "Lớp 10", "Lớp 10A");
  /* a long run compares by length, then digits */
  CHAIN(VC_TONES_VIETLEX, "99999999999999999999", "100000000000000000000");
}

static int cmp_name_vietlex(const void *a, const void *b) {
  return vc_collate_name(*(const char *const *)a, *(const char *const *)b,
                         VC_TONES_VIETLEX);
}

static void test_name_order(void **state) {
  (void)state;
  /* Given name, then the rest as written, family name first: what a school
   * gets sorting its "Tên" column, then "Họ đệm". */
  const char *want[] = {
      "Nguyễn An",            /* "Nguyễn" before "Nguyễn Văn" */
      "Nguyễn Văn An",
      "Trần Văn An",
      "Lê Văn Anh",           /* every Anh before every Ánh */
      "Trần Thị Ánh",
      "Lê Văn Bình",          /* Bình ties: "Lê Văn" before "Phạm Thị" */
      "Phạm Thị Bình",
      "Đỗ Minh Đức",
      "Bạch Minh Khoa",       /* Khoa ties: Bạch, Đào, Phạm */
      "Đào Anh Khoa",
      "Phạm Hữu Khoa",
      "Hoàng Văn Thảo",       /* Thảo ties: "Hoàng Văn" before "Nguyễn Thị Thu" */
      "Nguyễn Thị Thu Thảo",
      "Vũ Thị Yến",
  };
  size_t n = sizeof want / sizeof *want;
  const char *got[sizeof want / sizeof *want];
  for (size_t i = 0; i < n; i++) got[i] = want[(i * 5 + 3) % n]; /* shuffled */
  qsort(got, n, sizeof *got, cmp_name_vietlex);
  for (size_t i = 0; i < n; i++) assert_string_equal(got[i], want[i]);

  /* case never decides before the family name */
  assert_true(vc_collate_name("NGUYỄN VĂN AN", "Trần Văn An", VC_TONES_VIETLEX) < 0);
  assert_true(vc_collate_name("Nguyễn Văn An", "NGUYỄN VĂN AN", VC_TONES_VIETLEX) < 0);
  /* one word, blank, extra spaces */
  assert_true(vc_collate_name("An", "Nguyễn Văn An", VC_TONES_VIETLEX) < 0);
  assert_true(vc_collate_name("", "An", VC_TONES_VIETLEX) < 0);
  assert_int_equal(vc_collate_name("  Lê  Văn   Bình ", "Lê Văn Bình", VC_TONES_VIETLEX), 0);
  /* tone option applies to names too */
  assert_true(vc_collate_name("Lê Bá", "Lê Bà", VC_TONES_VIETLEX) > 0);
  assert_true(vc_collate_name("Lê Bá", "Lê Bà", VC_TONES_SAC_FIRST) < 0);
}

static int sign(int x) { return (x > 0) - (x < 0); }

static int cmp_name_dem_ho(const void *a, const void *b);

static int key_cmp(const char *a, const char *b, vc_name_order_t name,
                   vc_tone_order_t t) {
  size_t la, lb;
  unsigned char *ka = vc_collate_key(a, name, t, &la);
  unsigned char *kb = vc_collate_key(b, name, t, &lb);
  assert_non_null(ka);
  assert_non_null(kb);
  size_t n = la < lb ? la : lb;
  int r = memcmp(ka, kb, n);
  if (r == 0) r = (la > lb) - (la < lb);
  free(ka);
  free(kb);
  return sign(r);
}

static int cmp_name_dem_ho(const void *a, const void *b) {
  return key_cmp(*(const char *const *)a, *(const char *const *)b,
                 VC_NAME_TEN_DEM_HO, VC_TONES_VIETLEX);
}

/* The other order (--sort ten-dem-ho): given, middle, then family name. */
static void test_name_order_dem_ho(void **state) {
  (void)state;
  const char *want[] = {
      "Nguyễn An",    "Nguyễn Văn An",  "Trần Văn An",  "Lê Văn Anh",
      "Trần Thị Ánh", "Phạm Thị Bình",  "Lê Văn Bình",  "Đỗ Minh Đức",
      "Đào Anh Khoa", "Phạm Hữu Khoa",  "Bạch Minh Khoa",
      "Nguyễn Thị Thu Thảo", "Hoàng Văn Thảo", "Vũ Thị Yến",
  };
  size_t n = sizeof want / sizeof *want;
  const char *got[sizeof want / sizeof *want];
  for (size_t i = 0; i < n; i++) got[i] = want[(i * 5 + 2) % n]; /* shuffled */
  qsort(got, n, sizeof *got, cmp_name_dem_ho);
  for (size_t i = 0; i < n; i++) assert_string_equal(got[i], want[i]);
}

static void test_keys_agree(void **state) {
  (void)state;
  const char *s[] = {"", "a", "A", "à", "á", "ạ", "ă", "Ăn", "An", "An Bình", "Anh",
                     "Ánh", "Đạt", "Dũng", "Hoà", "Hòa", "HOÀ", "K9", "K10", "K010",
                     "10A2", "10A10", "ü", "ç", "-x", "ø", "Nguyễn Văn An",
                     "Trần Thị Ánh", "Lê Văn Anh", "Phạm Thị Bình", "Lê Văn Bình",
                     "Nguyễn Thị Thu Thảo", "NGUYỄN THỊ THU THẢO", "\xcc\x81x",
                     "a\xcc\x81\xcc\x81", "Ð", "\xff"};
  size_t n = sizeof s / sizeof *s;
  for (int t = 0; t < 2; t++)
    for (size_t i = 0; i < n; i++)
      for (size_t j = 0; j < n; j++) {
        assert_int_equal(key_cmp(s[i], s[j], VC_NAME_NONE, (vc_tone_order_t)t),
                         sign(vc_collate_text(s[i], s[j], (vc_tone_order_t)t)));
        assert_int_equal(key_cmp(s[i], s[j], VC_NAME_TEN_HO_DEM, (vc_tone_order_t)t),
                         sign(vc_collate_name(s[i], s[j], (vc_tone_order_t)t)));
        assert_int_equal(key_cmp(s[i], s[j], VC_NAME_TEN_DEM_HO, (vc_tone_order_t)t),
                         -key_cmp(s[j], s[i], VC_NAME_TEN_DEM_HO, (vc_tone_order_t)t));
        /* antisymmetry */
        assert_int_equal(sign(vc_collate_text(s[i], s[j], (vc_tone_order_t)t)),
                         -sign(vc_collate_text(s[j], s[i], (vc_tone_order_t)t)));
      }
  size_t len = 99;
  unsigned char *k = vc_collate_key(NULL, VC_NAME_NONE, VC_TONES_VIETLEX, &len);
  assert_non_null(k);
  assert_true(len > 0);
  free(k);
}

/* Keys of very long text (a million-character field) are built, and long
 * texts that differ only at the end still compare right. */
static void test_long_text(void **state) {
  (void)state;
  size_t n = 1000000;
  char *a = malloc(n * 2 + 3), *b = malloc(n * 2 + 3);
  assert_non_null(a);
  assert_non_null(b);
  for (size_t i = 0; i < n; i++) memcpy(a + 2 * i, "ă", 2);
  memcpy(b, a, 2 * n);
  strcpy(a + 2 * n, "a");
  strcpy(b + 2 * n, "b");
  assert_true(vc_collate_text(a, b, VC_TONES_VIETLEX) < 0);
  free(a);
  free(b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_tone_order_vietlex),
      cmocka_unit_test(test_tone_order_sac_first),
      cmocka_unit_test(test_letter_order),
      cmocka_unit_test(test_letters_before_tones),
      cmocka_unit_test(test_case_and_equivalence),
      cmocka_unit_test(test_digits),
      cmocka_unit_test(test_name_order),
      cmocka_unit_test(test_name_order_dem_ho),
      cmocka_unit_test(test_keys_agree),
      cmocka_unit_test(test_long_text),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
