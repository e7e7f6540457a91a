/* test_money.c - parsing, formatting and amounts in words, checked against
 * the rules in shared/notes/vietnamese-conventions.md. */
#include "testutil.h"

#include <locale.h>

#include "core/money.h"
#include "core/text.h"

/* ---------------------------------------------------------------- parse */

static void parse_accepts_clerk_forms(void **state) {
  static const char *const forms[] = {
      "5000000",       "5.000.000",     "5,000,000",     "5.000.000 đ",
      "5.000.000đ",    "5.000.000 VNĐ", "5.000.000 vnđ", "5.000.000 ₫",
      "5.000.000 VND", "5.000.000VNĐ",  "5,000,000 đ",   "5000000 đ",
      "5.000.000₫",    "5.000.000 Đ",   "5.000.000 vnd"};
  for (size_t i = 0; i < sizeof forms / sizeof *forms; i++) {
    uint64_t v = 0;
    char why[128] = "";
    if (!vc_money_parse(forms[i], &v, why, sizeof why))
      fail_msg("rejected '%s': %s", forms[i], why);
    assert_int_equal(v, 5000000);
  }
}

static void parse_values(void **state) {
  static const struct { const char *s; uint64_t v; } ok[] = {
      {"0", 0},
      {"1", 1},
      {"999", 999},
      {"1.000", 1000},
      {"1,000", 1000},
      {"12.345.678", 12345678},
      {"100.000 đ", 100000},
      {"999.999.999.999.999.999", 999999999999999999ULL},
      {"999999999999999999", 999999999999999999ULL},
      {"0 đ", 0},
  };
  for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
    uint64_t v = 12345;
    char why[128] = "";
    if (!vc_money_parse(ok[i].s, &v, why, sizeof why))
      fail_msg("rejected '%s': %s", ok[i].s, why);
    assert_int_equal(v, ok[i].v);
  }
}

static void parse_rejects(void **state) {
  static const char *const bad[] = {
      "",          "-5000",       "-5.000.000",   "năm triệu",
      "5tr",       "5 triệu",     "5.000.00",     "5.0000.000",
      "5.000,000", "5,000.000",   "5.000.000,00", "5000,5",
      "5000.5",    "5,5",         "+5000",        "+5.000",
      ".500",      "5.",          "5..000",       "5.000.",
      "1.000.000.000.000.000.000", "1000000000000000000",
      "99999999999999999999999",   "18446744073709551616",
      " 5000",     "5000 ",       "5.000.000  đ", "5.000.000 $",
      "5.000.000 đồng", "5.000.000 đ.", "05.000",   "007",
      "5 000 000", "1e6",         "0x10",         "5.000.000 VNĐĐ",
      "đ 5.000",   "5.000.000 dd", "(5.000)",     "5\u00a0000"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    uint64_t v = 4242;
    char why[128] = "";
    if (vc_money_parse(bad[i], &v, why, sizeof why))
      fail_msg("accepted '%s' as %llu", bad[i], (unsigned long long)v);
    assert_int_equal(v, 4242); /* untouched */
    if (!why[0]) fail_msg("no reason for '%s'", bad[i]);
  }
  assert_false(vc_money_parse(NULL, NULL, NULL, 0));
}

static void parse_reasons(void **state) {
  char why[128];
  uint64_t v;
  assert_false(vc_money_parse("-5000", &v, why, sizeof why));
  assert_non_null(strstr(why, "negative"));
  assert_false(vc_money_parse("", &v, why, sizeof why));
  assert_non_null(strstr(why, "empty"));
  assert_false(vc_money_parse("5.000,000", &v, why, sizeof why));
  assert_non_null(strstr(why, "mixes"));
  assert_false(vc_money_parse("5.000.00", &v, why, sizeof why));
  assert_non_null(strstr(why, "decimals"));
  assert_false(vc_money_parse("1000000000000000000", &v, why, sizeof why));
  assert_non_null(strstr(why, "too large"));
  /* A short why buffer is truncated, not overrun. */
  char tiny[4] = "xxx";
  assert_false(vc_money_parse("abc", &v, tiny, sizeof tiny));
  assert_int_equal(strlen(tiny), 3);
}

/* --------------------------------------------------------------- format */

static void format_amounts(void **state) {
  static const struct { uint64_t v; vc_money_suffix_t s; const char *want; } c[] = {
      {0, VC_MONEY_SUFFIX_D, "0 đ"},
      {5, VC_MONEY_SUFFIX_D, "5 đ"},
      {999, VC_MONEY_SUFFIX_NONE, "999"},
      {1000, VC_MONEY_SUFFIX_D, "1.000 đ"},
      {100000, VC_MONEY_SUFFIX_NONE, "100.000"},
      {5000000, VC_MONEY_SUFFIX_D, "5.000.000 đ"},
      {5000000, VC_MONEY_SUFFIX_VND, "5.000.000 VNĐ"},
      {5000000, VC_MONEY_SUFFIX_DONG, "5.000.000 ₫"},
      {5000000, VC_MONEY_SUFFIX_NONE, "5.000.000"},
      {12345678, VC_MONEY_SUFFIX_NONE, "12.345.678"},
      {999999999999999999ULL, VC_MONEY_SUFFIX_NONE, "999.999.999.999.999.999"},
      {UINT64_MAX, VC_MONEY_SUFFIX_NONE, "18.446.744.073.709.551.615"},
  };
  for (size_t i = 0; i < sizeof c / sizeof *c; i++) {
    char out[64];
    assert_true(vc_money_format(c[i].v, c[i].s, out, sizeof out));
    assert_string_equal(out, c[i].want);
    /* What we print, we read back. */
    uint64_t back;
    if (c[i].v <= VC_MONEY_MAX) {
      assert_true(vc_money_parse(out, &back, NULL, 0));
      assert_int_equal(back, c[i].v);
    }
  }
}

static void format_buffer_limits(void **state) {
  char out[16];
  assert_true(vc_money_format(5000000, VC_MONEY_SUFFIX_D, out, sizeof "5.000.000 đ"));
  assert_string_equal(out, "5.000.000 đ");
  assert_false(vc_money_format(5000000, VC_MONEY_SUFFIX_D, out, sizeof "5.000.000 đ" - 1));
  assert_string_equal(out, "");
  assert_false(vc_money_format(5, VC_MONEY_SUFFIX_NONE, out, 1));
  assert_false(vc_money_format(5, VC_MONEY_SUFFIX_NONE, NULL, 0));
}

/* ---------------------------------------------------------------- words */

typedef struct { uint64_t v; unsigned flags; const char *want; } wcase_t;

static void check_words(const wcase_t *c, size_t n) {
  for (size_t i = 0; i < n; i++) {
    char out[512];
    if (!vc_money_words(c[i].v, c[i].flags, out, sizeof out))
      fail_msg("no words for %llu", (unsigned long long)c[i].v);
    if (strcmp(out, c[i].want))
      fail_msg("%llu (flags %u): got '%s', want '%s'", (unsigned long long)c[i].v,
               c[i].flags, out, c[i].want);
  }
}

static void words_small(void **state) {
  static const wcase_t c[] = {
      {0, 0, "không"},
      {1, 0, "một"},
      {4, 0, "bốn"},
      {5, 0, "năm"},
      {10, 0, "mười"},
      {11, 0, "mười một"},
      {14, 0, "mười bốn"},
      {15, 0, "mười lăm"},
      {20, 0, "hai mươi"},
      {21, 0, "hai mươi mốt"},
      {24, 0, "hai mươi tư"},
      {25, 0, "hai mươi lăm"},
      {41, 0, "bốn mươi mốt"},
      {44, 0, "bốn mươi tư"},
      {45, 0, "bốn mươi lăm"},
      {55, 0, "năm mươi lăm"},
      {95, 0, "chín mươi lăm"},
      {99, 0, "chín mươi chín"},
      {100, 0, "một trăm"},
      {101, 0, "một trăm linh một"},
      {104, 0, "một trăm linh bốn"},
      {105, 0, "một trăm linh năm"},
      {110, 0, "một trăm mười"},
      {111, 0, "một trăm mười một"},
      {114, 0, "một trăm mười bốn"},
      {115, 0, "một trăm mười lăm"},
      {121, 0, "một trăm hai mươi mốt"},
      {204, 0, "hai trăm linh bốn"},
      {224, 0, "hai trăm hai mươi tư"},
      {305, 0, "ba trăm linh năm"},
      {999, 0, "chín trăm chín mươi chín"},
  };
  check_words(c, sizeof c / sizeof *c);
}

static void words_thousands_and_zero_groups(void **state) {
  static const wcase_t c[] = {
      {1000, 0, "một nghìn"},
      {1001, 0, "một nghìn không trăm linh một"},
      {1004, 0, "một nghìn không trăm linh bốn"},
      {1005, 0, "một nghìn không trăm linh năm"},
      {1010, 0, "một nghìn không trăm mười"},
      {1015, 0, "một nghìn không trăm mười lăm"},
      {1021, 0, "một nghìn không trăm hai mươi mốt"},
      {1100, 0, "một nghìn một trăm"},
      {10000, 0, "mười nghìn"},
      {15000, 0, "mười lăm nghìn"},
      {21000, 0, "hai mươi mốt nghìn"},
      {24000, 0, "hai mươi tư nghìn"},
      {105000, 0, "một trăm linh năm nghìn"},
      {1000000, 0, "một triệu"},
      {5000000, 0, "năm triệu"},
      {3000500, 0, "ba triệu năm trăm"},
      {3000050, 0, "ba triệu không trăm năm mươi"},
      {1000001, 0, "một triệu không trăm linh một"},
      {1000010, 0, "một triệu không trăm mười"},
      {1000100, 0, "một triệu một trăm"},
      {1001000, 0, "một triệu không trăm linh một nghìn"},
      {1005000, 0, "một triệu không trăm linh năm nghìn"},
      {2050000, 0, "hai triệu không trăm năm mươi nghìn"},
      {50000000, 0, "năm mươi triệu"},
      {500000000, 0, "năm trăm triệu"},
      {12345678, 0,
       "mười hai triệu ba trăm bốn mươi lăm nghìn sáu trăm bảy mươi tám"},
  };
  check_words(c, sizeof c / sizeof *c);
}

static void words_billions_and_above(void **state) {
  static const wcase_t c[] = {
      {1000000000ULL, 0, "một tỷ"},
      {1000000001ULL, 0, "một tỷ không trăm linh một"},
      {2000000024ULL, 0, "hai tỷ không trăm hai mươi tư"},
      {1500000000ULL, 0, "một tỷ năm trăm triệu"},
      {1000000000000ULL, 0, "một nghìn tỷ"},
      {1000000000001ULL, 0, "một nghìn tỷ không trăm linh một"},
      {1001000000000ULL, 0, "một nghìn không trăm linh một tỷ"},
      {1000001000000ULL, 0, "một nghìn tỷ không trăm linh một triệu"},
      {1000000000000000ULL, 0, "một triệu tỷ"},
      {5000000000000000ULL, 0, "năm triệu tỷ"},
      {1000005000000000ULL, 0, "một triệu không trăm linh năm tỷ"},
      {123456789012345678ULL, 0,
       "một trăm hai mươi ba triệu bốn trăm năm mươi sáu nghìn bảy trăm tám "
       "mươi chín tỷ không trăm mười hai triệu ba trăm bốn mươi lăm nghìn sáu "
       "trăm bảy mươi tám"},
      {999999999999999999ULL, 0,
       "chín trăm chín mươi chín triệu chín trăm chín mươi chín nghìn chín "
       "trăm chín mươi chín tỷ chín trăm chín mươi chín triệu chín trăm chín "
       "mươi chín nghìn chín trăm chín mươi chín"},
  };
  check_words(c, sizeof c / sizeof *c);
}

static void words_flag_variants(void **state) {
  static const wcase_t c[] = {
      /* VC_WORDS_BON: only the "tư" after mươi changes. */
      {24, VC_WORDS_BON, "hai mươi bốn"},
      {14, VC_WORDS_BON, "mười bốn"},
      {104, VC_WORDS_BON, "một trăm linh bốn"},
      {44, VC_WORDS_BON, "bốn mươi bốn"},
      {21, VC_WORDS_BON, "hai mươi mốt"},
      /* VC_WORDS_LE */
      {105, VC_WORDS_LE, "một trăm lẻ năm"},
      {1001, VC_WORDS_LE, "một nghìn không trăm lẻ một"},
      {1005000, VC_WORDS_LE, "một triệu không trăm lẻ năm nghìn"},
      {115, VC_WORDS_LE, "một trăm mười lăm"},
      /* VC_WORDS_NGAN */
      {1000, VC_WORDS_NGAN, "một ngàn"},
      {1005000, VC_WORDS_NGAN, "một triệu không trăm linh năm ngàn"},
      {1000000000000ULL, VC_WORDS_NGAN, "một ngàn tỷ"},
      {5000000, VC_WORDS_NGAN, "năm triệu"},
      /* VC_WORDS_TI */
      {1000000000ULL, VC_WORDS_TI, "một tỉ"},
      {1000000000000ULL, VC_WORDS_TI, "một nghìn tỉ"},
      {1000000000000000ULL, VC_WORDS_TI, "một triệu tỉ"},
      {999, VC_WORDS_TI, "chín trăm chín mươi chín"},
      /* All together. */
      {2000001024ULL, VC_WORDS_NGAN | VC_WORDS_LE | VC_WORDS_TI | VC_WORDS_BON,
       "hai tỉ không trăm lẻ một ngàn không trăm hai mươi bốn"},
      {2000001024ULL, 0,
       "hai tỷ không trăm linh một nghìn không trăm hai mươi tư"},
      {0, VC_WORDS_NGAN | VC_WORDS_LE | VC_WORDS_TI | VC_WORDS_BON, "không"},
  };
  check_words(c, sizeof c / sizeof *c);
}

/* Rules checked on every amount below 100.000 and on samples above:
 * the reading never contains the forms the note calls wrong. */
static void words_never_use_wrong_forms(void **state) {
  static const char *const wrong[] = {"mười tư", "linh lăm", "mười mốt",
                                      "linh mốt", "linh tư", "mươi năm",
                                      "mười năm", "không mươi", "  "};
  for (uint64_t v = 0; v < 100000; v++) {
    char out[512];
    assert_true(vc_money_words(v, 0, out, sizeof out));
    for (size_t i = 0; i < sizeof wrong / sizeof *wrong; i++)
      if (strstr(out, wrong[i])) fail_msg("%llu: '%s' has '%s'", (unsigned long long)v, out, wrong[i]);
    if (out[0] == ' ' || out[strlen(out) - 1] == ' ') fail_msg("%llu: spaces", (unsigned long long)v);
    /* A non-zero amount never starts with "không". */
    if (v && !strncmp(out, "không", strlen("không"))) fail_msg("%llu: '%s'", (unsigned long long)v, out);
    /* Output is NFC already. */
    if (v % 997 == 0) assert_str_take(vc_text_nfc(out, strlen(out)), out);
  }
}

static void words_limits(void **state) {
  char out[512];
  assert_false(vc_money_words(VC_MONEY_MAX + 1, 0, out, sizeof out));
  assert_false(vc_money_words(UINT64_MAX, 0, out, sizeof out));
  /* Exactly the bytes and the NUL fit; one less does not. */
  assert_true(vc_money_words(5000000, 0, out, sizeof "năm triệu"));
  assert_string_equal(out, "năm triệu");
  assert_false(vc_money_words(5000000, 0, out, sizeof "năm triệu" - 1));
  assert_string_equal(out, "");
  assert_false(vc_money_words(5, 0, NULL, 0));
  assert_false(vc_money_words(5, 0, out, 0));
}

static void words_dong_receipt(void **state) {
  static const wcase_t c[] = {
      {5000000, 0, "Năm triệu đồng chẵn"},
      {0, 0, "Không đồng"},
      {1, 0, "Một đồng"},
      {999, 0, "Chín trăm chín mươi chín đồng"},
      {1000, 0, "Một nghìn đồng chẵn"},
      {1500, 0, "Một nghìn năm trăm đồng"},
      {10500, 0, "Mười nghìn năm trăm đồng"},
      {15000, 0, "Mười lăm nghìn đồng chẵn"},
      {1005000, 0, "Một triệu không trăm linh năm nghìn đồng chẵn"},
      {3000500, 0, "Ba triệu năm trăm đồng"},
      {12345678, 0,
       "Mười hai triệu ba trăm bốn mươi lăm nghìn sáu trăm bảy mươi tám đồng"},
      {1000, VC_WORDS_NGAN, "Một ngàn đồng chẵn"},
      {1000000000ULL, VC_WORDS_TI, "Một tỉ đồng chẵn"},
      {24000, VC_WORDS_BON, "Hai mươi bốn nghìn đồng chẵn"},
      {105, VC_WORDS_LE, "Một trăm lẻ năm đồng"},
      {400000, 0, "Bốn trăm nghìn đồng chẵn"},
      {6000, 0, "Sáu nghìn đồng chẵn"},
      {7000, 0, "Bảy nghìn đồng chẵn"},
      {8000, 0, "Tám nghìn đồng chẵn"},
      {9000, 0, "Chín nghìn đồng chẵn"},
      {2000, 0, "Hai nghìn đồng chẵn"},
  };
  for (size_t i = 0; i < sizeof c / sizeof *c; i++) {
    char out[512];
    assert_true(vc_money_words_dong(c[i].v, c[i].flags, out, sizeof out));
    if (strcmp(out, c[i].want))
      fail_msg("%llu: got '%s', want '%s'", (unsigned long long)c[i].v, out, c[i].want);
  }
  char out[64];
  assert_true(vc_money_words_dong(5000000, 0, out, sizeof "Năm triệu đồng chẵn"));
  assert_false(vc_money_words_dong(5000000, 0, out, sizeof "Năm triệu đồng chẵn" - 1));
  assert_string_equal(out, "");
  assert_false(vc_money_words_dong(VC_MONEY_MAX + 1, 0, out, sizeof out));
}

int main(void) {
  setlocale(LC_ALL, ""); /* the suite runs again under fr_FR.UTF-8 */
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(parse_accepts_clerk_forms),
      cmocka_unit_test(parse_values),
      cmocka_unit_test(parse_rejects),
      cmocka_unit_test(parse_reasons),
      cmocka_unit_test(format_amounts),
      cmocka_unit_test(format_buffer_limits),
      cmocka_unit_test(words_small),
      cmocka_unit_test(words_thousands_and_zero_groups),
      cmocka_unit_test(words_billions_and_above),
      cmocka_unit_test(words_flag_variants),
      cmocka_unit_test(words_never_use_wrong_forms),
      cmocka_unit_test(words_limits),
      cmocka_unit_test(words_dong_receipt),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
