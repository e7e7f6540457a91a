/* test_text.c - UTF-8, NFC, white space, case mapping and folding. */
#include "testutil.h"

#include <locale.h>

#include <utf8proc.h>

#include "core/text.h"

/* Every Vietnamese vowel in the six tones (ngang, huyền, hỏi, ngã, sắc,
 * nặng), precomposed, lower and upper case, one vowel a row. */
static const char *const VOWELS_LO[] = {
    "aàảãáạ", "ăằẳẵắặ", "âầẩẫấậ", "eèẻẽéẹ", "êềểễếệ", "iìỉĩíị",
    "oòỏõóọ", "ôồổỗốộ", "ơờởỡớợ", "uùủũúụ", "ưừửữứự", "yỳỷỹýỵ"};
static const char *const VOWELS_UP[] = {
    "AÀẢÃÁẠ", "ĂẰẲẴẮẶ", "ÂẦẨẪẤẬ", "EÈẺẼÉẸ", "ÊỀỂỄẾỆ", "IÌỈĨÍỊ",
    "OÒỎÕÓỌ", "ÔỒỔỖỐỘ", "ƠỜỞỠỚỢ", "UÙỦŨÚỤ", "ƯỪỬỮỨỰ", "YỲỶỸÝỴ"};
static const char VOWELS_BASE[] = "aaaeeiooouuy";
#define NVOW (sizeof VOWELS_LO / sizeof *VOWELS_LO)

static char *nfc_of(const char *s) { return vc_text_nfc(s, strlen(s)); }
static char *clean_of(const char *s) { return vc_text_clean(s, strlen(s)); }

/* ---------------------------------------------------------------- UTF-8 */

static void utf8_valid_accepts(void **state) {
  static const char *const ok[] = {
      "", "abc", "Nguyễn Thị Thu Thảo", "\xc2\x80", "\xdf\xbf", "\xe0\xa0\x80",
      "\xed\x9f\xbf" /* U+D7FF */, "\xee\x80\x80" /* U+E000 */,
      "\xef\xbf\xbf", "\xf0\x90\x80\x80", "\xf4\x8f\xbf\xbf" /* U+10FFFF */,
      "😀"};
  for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
    size_t off = 777;
    assert_true(vc_utf8_valid(ok[i], strlen(ok[i]), &off));
    assert_int_equal(off, 777); /* untouched on success */
  }
  /* An embedded NUL is valid UTF-8 when the length is given. */
  assert_true(vc_utf8_valid("a\0b", 3, NULL));
}

static void utf8_valid_rejects_with_offset(void **state) {
  static const struct { const char *s; size_t off; } bad[] = {
      {"\xc0\x80", 0},              /* overlong NUL */
      {"ab\xc0\x80", 2},            /* overlong after ASCII */
      {"\xc1\xbf", 0},              /* overlong U+007F */
      {"\xe0\x80\xaf", 0},          /* overlong 3-byte '/' */
      {"\xf0\x80\x80\xaf", 0},      /* overlong 4-byte '/' */
      {"\xed\xa0\x80", 0},          /* surrogate U+D800 */
      {"x\xed\xa0\x80", 1},         /* surrogate after ASCII */
      {"\xed\xbf\xbf", 0},          /* surrogate U+DFFF */
      {"abc\xe1\x80", 3},           /* truncated 3-byte at the end */
      {"\xc3", 0},                  /* truncated 2-byte */
      {"\xf0\x9f\x98", 0},          /* truncated 4-byte */
      {"\xf5\x80\x80\x80", 0},      /* F5 never starts a sequence */
      {"ok\xf5", 2},
      {"\xf4\x90\x80\x80", 0},      /* above U+10FFFF */
      {"\xff", 0},
      {"\xfe", 0},
      {"a\x80", 1},                 /* stray continuation */
      {"\xc3(", 0},                 /* bad continuation */
      {"\xe1\x80(", 0},
      {"ễ\xc0", 3},                 /* after a valid 3-byte letter */
      {"Nguyễn\xe1\x80", 8},
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    size_t off = 999;
    if (vc_utf8_valid(bad[i].s, strlen(bad[i].s), &off)) fail_msg("accepted case %zu", i);
    if (off != bad[i].off) fail_msg("case %zu: offset %zu, want %zu", i, off, bad[i].off);
    assert_false(vc_utf8_valid(bad[i].s, strlen(bad[i].s), NULL));
  }
  /* A length that cuts a character in two makes it invalid. */
  size_t off = 0;
  assert_false(vc_utf8_valid("aễ", 3, &off));
  assert_int_equal(off, 1);
}

static void utf8_decode_encode_roundtrip(void **state) {
  static const int32_t cps[] = {0, 0x41, 0x7F, 0x80, 0xFF, 0x111, 0x7FF, 0x800,
                                0x1EC5, 0xD7FF, 0xE000, 0xFFFD, 0xFFFF,
                                0x10000, 0x1F600, 0x10FFFF};
  static const size_t lens[] = {1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 4, 4, 4};
  for (size_t i = 0; i < sizeof cps / sizeof *cps; i++) {
    char buf[4];
    size_t n = vc_utf8_encode(cps[i], buf);
    assert_int_equal(n, lens[i]);
    int32_t back = -1;
    assert_int_equal(vc_utf8_decode(buf, n, &back), n);
    assert_int_equal(back, cps[i]);
    assert_true(vc_utf8_valid(buf, n, NULL));
    assert_int_equal(vc_utf8_decode(buf, n - 1 ? n - 1 : 1, &back), n == 1 ? 1 : 0);
  }
  int32_t cp = 0;
  assert_int_equal(vc_utf8_decode("ễx", 4, &cp), 3);
  assert_int_equal(cp, 0x1EC5);
  assert_int_equal(vc_utf8_decode("\xc0\x80", 2, &cp), 0);
  assert_int_equal(vc_utf8_decode("\xed\xa0\x80", 3, &cp), 0);
  assert_int_equal(vc_utf8_decode("\xf5\x80\x80\x80", 4, &cp), 0);
  assert_int_equal(vc_utf8_decode("\x80", 1, &cp), 0);
}

static void utf8_encode_invalid_gives_replacement(void **state) {
  static const int32_t bad[] = {-1, 0xD800, 0xDFFF, 0x110000, INT32_MAX};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    char buf[4];
    assert_int_equal(vc_utf8_encode(bad[i], buf), 3);
    assert_memory_equal(buf, "\xef\xbf\xbd", 3);
  }
}

static void utf8_len_counts_code_points(void **state) {
  assert_int_equal(vc_utf8_len(""), 0);
  assert_int_equal(vc_utf8_len("abc"), 3);
  assert_int_equal(vc_utf8_len("Nguyễn"), 6);
  assert_int_equal(vc_utf8_len("e\u0302\u0303"), 3);
  assert_int_equal(vc_utf8_len("😀đ"), 2);
}

/* ------------------------------------------------------------------ NFC */

static void nfc_composes_nfd(void **state) {
  assert_str_take(nfc_of("e\u0302\u0303"), "ễ");
  /* Canonical order: dot below (ccc 220) before circumflex (ccc 230). */
  assert_str_take(nfc_of("a\u0323\u0302"), "ậ");
  /* The other order is reordered, not left with a loose mark. */
  assert_str_take(nfc_of("a\u0302\u0323"), "ậ");
  assert_str_take(nfc_of("a\u0323\u0306"), "ặ");
  assert_str_take(nfc_of("u\u031b\u0323"), "ự");
  assert_str_take(nfc_of("o\u031b\u0300"), "ờ");
  assert_str_take(nfc_of("Nguye\u0302\u0303n Thi\u0323 Thu Tha\u0309o"),
                  "Nguyễn Thị Thu Thảo");
  /* Partly composed input: ê + tilde. */
  assert_str_take(nfc_of("\u00ea\u0303"), "ễ");
  /* Combining hook above after an uppercase base. */
  assert_str_take(nfc_of("A\u0309"), "Ả");
}

static void nfc_every_vowel_from_nfd(void **state) {
  for (size_t i = 0; i < NVOW; i++) {
    const char *rows[2] = {VOWELS_LO[i], VOWELS_UP[i]};
    for (int r = 0; r < 2; r++) {
      char *nfd = (char *)utf8proc_NFD((const utf8proc_uint8_t *)rows[r]);
      assert_non_null(nfd);
      assert_string_not_equal(nfd, rows[r]); /* really decomposed */
      assert_str_take(nfc_of(nfd), rows[r]);
      free(nfd);
    }
  }
}

static void nfc_keeps_ascii_and_nfc(void **state) {
  assert_str_take(nfc_of(""), "");
  assert_str_take(nfc_of("  plain ASCII\t"), "  plain ASCII\t");
  assert_str_take(nfc_of("Trần  Văn Đức "), "Trần  Văn Đức ");
  /* n, not the terminator, bounds the input. */
  assert_str_take(vc_text_nfc("abcdef", 3), "abc");
  assert_str_take(vc_text_nfc("e\u0302\u0303xyz", 5), "ễ");
  assert_str_take(vc_text_nfc(NULL, 0), "");
}

static void nfc_rejects_invalid_and_nul(void **state) {
  assert_null(vc_text_nfc("\xc0\x80", 2));
  assert_null(vc_text_nfc("abc\xed\xa0\x80", 6));
  assert_null(vc_text_nfc("a\0b", 3));
  assert_null(vc_text_nfc("ễ", 2)); /* cut inside the letter */
}

/* The fast path (vc_text_clean_fast, also inside vc_text_clean and
 * vc_text_nfc) skips utf8proc for characters it deems NFC-inert.  Checks
 * every code point it accepts against utf8proc: combining class 0, its own
 * NFC, and never the second half of a canonical composition (the last code
 * point of any canonical decomposition). */
static void clean_fast_only_skips_inert_characters(void **state) {
  (void)state;
  static unsigned char accepted[0x110000 / 8];
  memset(accepted, 0, sizeof accepted);
  char buf[8], out[8];
  long naccepted = 0;
  for (int32_t cp = 1; cp <= 0x10FFFF; cp++) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    size_t n = vc_utf8_encode(cp, buf);
    size_t k = vc_text_clean_fast(buf, n, out);
    if (k == SIZE_MAX) continue;
    accepted[cp >> 3] |= (unsigned char)(1u << (cp & 7));
    naccepted++;
    const utf8proc_property_t *p = utf8proc_get_property(cp);
    assert_int_equal(p->combining_class, 0);
    buf[n] = '\0';
    utf8proc_uint8_t *nfc = utf8proc_NFC((const utf8proc_uint8_t *)buf);
    assert_non_null(nfc);
    assert_string_equal((char *)nfc, buf);
    free(nfc);
  }
  assert_true(naccepted > 1000); /* Latin and Vietnamese at least */
  for (int32_t cp = 0x80; cp <= 0x10FFFF; cp++) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    const utf8proc_property_t *p = utf8proc_get_property(cp);
    if (p->decomp_type != 0 || p->decomp_seqindex == UINT16_MAX) continue; /* not canonical */
    utf8proc_int32_t d[32];
    int last;
    utf8proc_ssize_t m = utf8proc_decompose_char(cp, d, 32, UTF8PROC_DECOMPOSE, &last);
    if (m < 2) continue;
    int32_t second = d[m - 1];
    assert_false(accepted[second >> 3] & (1u << (second & 7)));
  }
  /* the fast path gives what the full pipeline gives */
  const char *samples[] = {"  Nguyễn\u00a0 Thị\tThu  Thảo ", "ĐẶNG – “Hoa Sen” 5.000.000 ₫",
                           "a\r\n\r\nb", "", " "};
  for (size_t i = 0; i < sizeof samples / sizeof *samples; i++) {
    char o[128];
    size_t n = strlen(samples[i]);
    size_t k = vc_text_clean_fast(samples[i], n, o);
    assert_true(k != SIZE_MAX);
    o[k] = 0;
    assert_str_take(clean_of(samples[i]), o);
  }
  assert_int_equal(vc_text_clean_fast("e\u0301", 3, buf), SIZE_MAX); /* NFD */
  assert_int_equal(vc_text_clean_fast("a\0b", 3, buf), SIZE_MAX);
  assert_int_equal(vc_text_clean_fast("a\xe1", 2, buf), SIZE_MAX);
}

/* ---------------------------------------------------------------- clean */

static void clean_collapses_and_trims(void **state) {
  assert_str_take(clean_of("  a \u00a0 b\r\n"), "a b");
  assert_str_take(clean_of("a b"), "a b");
  assert_str_take(clean_of(""), "");
  assert_str_take(clean_of(" \t\r\n "), "");
  assert_str_take(clean_of("\u00a0\u3000"), "");
  assert_str_take(clean_of("\t\tNguye\u0302\u0303n  Va\u0306n\u2003A\u3000"),
                  "Nguyễn Văn A");
  assert_str_take(clean_of("x\r\n\r\ny"), "x y");
  assert_str_take(vc_text_clean("  ab  cd  ", 7), "ab c");
}

static void clean_knows_every_white_space(void **state) {
  static const char *const ws[] = {
      "\t", "\n", "\v", "\f", "\r", " ", "\xc2\x85", "\u00a0", "\u1680",
      "\u2000", "\u2001", "\u2002", "\u2003", "\u2004", "\u2005", "\u2006",
      "\u2007", "\u2008", "\u2009", "\u200a", "\u2028", "\u2029", "\u202f",
      "\u205f", "\u3000"};
  for (size_t i = 0; i < sizeof ws / sizeof *ws; i++) {
    char buf[32];
    snprintf(buf, sizeof buf, "%sá%s%sb%s", ws[i], ws[i], ws[i], ws[i]);
    char *got = clean_of(buf);
    assert_non_null(got);
    if (strcmp(got, "á b")) fail_msg("white space %zu: got '%s'", i, got);
    free(got);
  }
  /* Not White_Space: zero width space, word joiner, ASCII separators. */
  assert_str_take(clean_of("a\u200bb"), "a\u200bb");
  assert_str_take(clean_of("a\u2060b"), "a\u2060b");
  assert_str_take(clean_of("a\x1f" "b"), "a\x1f" "b");
}

static void clean_rejects_invalid(void **state) {
  assert_null(clean_of("  a\xff "));
  assert_null(clean_of("\xe1\x80"));
  assert_null(vc_text_clean("a\0b", 3));
}

/* ------------------------------------------------------------------ case */

static void upper_every_vowel(void **state) {
  for (size_t i = 0; i < NVOW; i++) {
    assert_str_take(vc_text_upper(VOWELS_LO[i]), VOWELS_UP[i]);
    assert_str_take(vc_text_lower(VOWELS_UP[i]), VOWELS_LO[i]);
    /* Decomposed input gives the same precomposed result. */
    char *nfd = (char *)utf8proc_NFD((const utf8proc_uint8_t *)VOWELS_LO[i]);
    assert_non_null(nfd);
    assert_str_take(vc_text_upper(nfd), VOWELS_UP[i]);
    free(nfd);
  }
  assert_str_take(vc_text_upper("đ"), "Đ");
  assert_str_take(vc_text_upper("ễ"), "Ễ");
  assert_str_take(vc_text_upper("ự"), "Ự");
  assert_str_take(vc_text_lower("Đ"), "đ");
  assert_str_take(vc_text_upper("e\u0302\u0303"), "Ễ");
}

static void upper_lower_names(void **state) {
  assert_str_take(vc_text_upper("Nguyễn Thị Thu Thảo"), "NGUYỄN THỊ THU THẢO");
  assert_str_take(vc_text_upper("đinh văn đức, lớp 12a1"), "ĐINH VĂN ĐỨC, LỚP 12A1");
  assert_str_take(vc_text_lower("ĐINH VĂN ĐỨC"), "đinh văn đức");
  assert_str_take(vc_text_upper("abc xyz 123"), "ABC XYZ 123");
  assert_str_take(vc_text_lower("ABC xyz 123"), "abc xyz 123");
  assert_str_take(vc_text_upper(""), "");
  assert_null(vc_text_upper(NULL));
  assert_null(vc_text_lower("\xc0\x80"));
}

static void title_case(void **state) {
  assert_str_take(vc_text_title("nguyễn thị THU"), "Nguyễn Thị Thu");
  assert_str_take(vc_text_title("NGUYỄN THỊ THU THẢO"), "Nguyễn Thị Thu Thảo");
  assert_str_take(vc_text_title("đinh văn đức"), "Đinh Văn Đức");
  assert_str_take(vc_text_title("ễ ự ậ"), "Ễ Ự Ậ");
  assert_str_take(vc_text_title("ÂU DƯƠNG"), "Âu Dương");
  assert_str_take(vc_text_title("  lê   văn a"), "  Lê   Văn A");
  assert_str_take(vc_text_title("trần\u00a0anh"), "Trần\u00a0Anh");
  assert_str_take(vc_text_title("nguye\u0302\u0303n"), "Nguyễn");
  assert_str_take(vc_text_title("(nguyễn)"), "(Nguyễn)");
  assert_str_take(vc_text_title("lớp 12a1"), "Lớp 12a1");
  assert_str_take(vc_text_title("abc DEF"), "Abc Def");
  assert_str_take(vc_text_title(""), "");
  /* A digraph takes its title form, not its capital. */
  assert_str_take(vc_text_title("\u01c6em"), "\u01c5em");
}

static void capfirst(void **state) {
  assert_str_take(vc_text_capfirst("năm triệu đồng"), "Năm triệu đồng");
  assert_str_take(vc_text_capfirst("ấy THẾ"), "Ấy THẾ");
  assert_str_take(vc_text_capfirst("đồng"), "Đồng");
  assert_str_take(vc_text_capfirst("e\u0302\u0303 a"), "Ễ a");
  assert_str_take(vc_text_capfirst(" a b"), " A b");
  assert_str_take(vc_text_capfirst("«năm»"), "«Năm»");
  assert_str_take(vc_text_capfirst("3 con"), "3 con");
  assert_str_take(vc_text_capfirst("Already"), "Already");
  assert_str_take(vc_text_capfirst(""), "");
}

/* --------------------------------------------------------------- folding */

static void fold_key_headers(void **state) {
  assert_str_take(vc_text_fold_key("Họ và tên"), "ho_va_ten");
  assert_str_take(vc_text_fold_key("HỌ VÀ TÊN"), "ho_va_ten");
  assert_str_take(vc_text_fold_key("  Mã SV "), "ma_sv");
  assert_str_take(vc_text_fold_key("Số tiền (đ)"), "so_tien_d");
  assert_str_take(vc_text_fold_key("Ho\u0323 va\u0300 te\u0302n"), "ho_va_ten");
  assert_str_take(vc_text_fold_key("Mã\u00a0SV"), "ma_sv");
  assert_str_take(vc_text_fold_key("Ngày sinh"), "ngay_sinh");
  assert_str_take(vc_text_fold_key("Điểm TB"), "diem_tb");
  assert_str_take(vc_text_fold_key("ĐƠN VỊ"), "don_vi");
  assert_str_take(vc_text_fold_key("Lớp 12A1"), "lop_12a1");
  assert_str_take(vc_text_fold_key("__a__b__"), "a_b");
  assert_str_take(vc_text_fold_key("STT"), "stt");
  assert_str_take(vc_text_fold_key("Giải/Thành tích"), "giai_thanh_tich");
  assert_str_take(vc_text_fold_key("!!!"), "");
  assert_str_take(vc_text_fold_key(""), "");
  assert_null(vc_text_fold_key("M\xe3 SV")); /* Latin-1, not UTF-8 */
}

static void fold_search_names(void **state) {
  assert_str_take(vc_text_fold_search("Đinh Thị  Tình"), "dinh thi tinh");
  assert_str_take(vc_text_fold_search("Nguyễn Thị  Thu Thảo"), "nguyen thi thu thao");
  assert_str_take(vc_text_fold_search("  ĐỖ\tVĂN\u00a0 "), "do van");
  assert_str_take(vc_text_fold_search("Lê-Văn"), "le-van");
  assert_str_take(vc_text_fold_search("dinh thi tinh"), "dinh thi tinh");
  assert_str_take(vc_text_fold_search("Đi\u0323nh"), "dinh");
  for (size_t i = 0; i < NVOW; i++) {
    char want[8];
    memset(want, VOWELS_BASE[i], 6);
    want[6] = '\0';
    assert_str_take(vc_text_fold_search(VOWELS_LO[i]), want);
    assert_str_take(vc_text_fold_search(VOWELS_UP[i]), want);
  }
}

static void strip_marks_keeps_case(void **state) {
  assert_str_take(vc_text_strip_marks("Nguyễn Văn Đức"), "Nguyen Van Duc");
  assert_str_take(vc_text_strip_marks("Đinh Thị Tình"), "Dinh Thi Tinh");
  assert_str_take(vc_text_strip_marks("ĐỖ  đỗ"), "DO  do");
  assert_str_take(vc_text_strip_marks("Nguye\u0302\u0303n"), "Nguyen");
  assert_str_take(vc_text_strip_marks("Ỵ ự ậ"), "Y u a");
  assert_str_take(vc_text_strip_marks("plain.pdf"), "plain.pdf");
  /* Letters without a decomposition stay. */
  assert_str_take(vc_text_strip_marks("\u00f8"), "\u00f8");
  for (size_t i = 0; i < NVOW; i++) {
    char want[8];
    memset(want, VOWELS_BASE[i] - 32, 6);
    want[6] = '\0';
    assert_str_take(vc_text_strip_marks(VOWELS_UP[i]), want);
  }
}

static void invalid_input_gives_null_everywhere(void **state) {
  static const char *const bad[] = {"\xc0\x80", "a\xed\xa0\x80", "\xe1\x80",
                                    "\xf5\x80\x80\x80", "x\x80"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    assert_null(vc_text_upper(bad[i]));
    assert_null(vc_text_lower(bad[i]));
    assert_null(vc_text_title(bad[i]));
    assert_null(vc_text_capfirst(bad[i]));
    assert_null(vc_text_fold_key(bad[i]));
    assert_null(vc_text_fold_search(bad[i]));
    assert_null(vc_text_strip_marks(bad[i]));
    assert_null(clean_of(bad[i]));
    assert_null(nfc_of(bad[i]));
  }
  assert_null(vc_text_fold_search(NULL));
  assert_null(vc_text_strip_marks(NULL));
}

/* Keywords and numbers in messages: the same under a locale whose 'I'
 * does not fold to 'i' (tr_TR) and one with decimal commas (fr_FR),
 * switched for this thread only. */
static void ascii_and_numbers_under_every_locale(void **st) {
  (void)st;
  static const char *const names[] = {"C", "tr_TR.UTF-8", "fr_FR.UTF-8"};
  int tried = 0;
  for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
    locale_t loc = newlocale(LC_ALL_MASK, names[i], (locale_t)0);
    if (!loc) {
      fprintf(stderr, "(%s is not generated here: add \"%s UTF-8\" to "
              "/etc/locale.gen and run locale-gen; checked without it)\n",
              names[i], names[i]);
      continue;
    }
    locale_t old = uselocale(loc);
    tried++;
    assert_int_equal(vc_ascii_casecmp("MIDDLE", "middle"), 0);
    assert_int_equal(vc_ascii_casecmp("LightGray", "lightgray"), 0);
    assert_int_equal(vc_ascii_casecmp(".PDF", ".pdf"), 0);
    assert_true(vc_ascii_casecmp("middle", "midde") > 0);
    assert_true(vc_ascii_casecmp("abc", "ABCD") < 0);
    /* Only ASCII folds: dotted capital I and ı are other letters. */
    assert_true(vc_ascii_casecmp("\xc4\xb0", "i") != 0);
    assert_true(vc_ascii_casecmp("\xc4\xb1", "i") != 0);
    assert_int_equal(vc_ascii_ncasecmp("con.pdf", "CON", 3), 0);
    assert_true(vc_ascii_ncasecmp("coin", "CON", 3) != 0);
    assert_int_equal(vc_ascii_lower('I'), 'i');
    assert_int_equal(vc_ascii_lower(0xC4), 0xC4);
    char b[32];
    assert_string_equal(vc_text_fmt_num(8.5, b, sizeof b), "8.5");
    assert_string_equal(vc_text_fmt_num(215.9, b, sizeof b), "215.9");
    assert_string_equal(vc_text_fmt_num(-0.25, b, sizeof b), "-0.25");
    assert_string_equal(vc_text_fmt_num(280, b, sizeof b), "280");
    assert_string_equal(vc_text_fmt_num(1e16, b, sizeof b), "(huge)");
    uselocale(old);
    freelocale(loc);
  }
  assert_true(tried >= 1);
}

/* Issue 6, point 9: exactly the listed invisible characters, and the Cf
 * category around them; nothing a Vietnamese name uses. */
static void invisible_characters(void **st) {
  (void)st;
  static const int32_t yes[] = {0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x202A, 0x202B,
                                0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069,
                                0xFEFF, 0x00AD, 0x2060, 0xE0041};
  static const int32_t no[] = {'a', ' ', 0x00A0, 0x0110, 0x01B0, 0x1EA0, 0x0303, 0x2010,
                               0x2028, 0x3000, 0x1B, 0x7F, 0x85, 0xFFFD, -1, 0x110000};
  for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
    if (!vc_text_invisible(yes[i])) fail_msg("U+%04X not invisible", (unsigned)yes[i]);
  for (size_t i = 0; i < sizeof no / sizeof *no; i++)
    if (vc_text_invisible(no[i])) fail_msg("U+%04X invisible", (unsigned)no[i]);
  size_t k;
  char *s = vc_text_drop_invisible("\xE2\x80\x8B" "0210456\xE2\x80\xAE" "fdp.exe\xEF\xBB\xBF"
                                   " Nguy\xE1\xBB\x85n\xFF", &k);
  assert_string_equal(s, "0210456fdp.exe Nguy\xE1\xBB\x85n\xFF");
  assert_int_equal(k, 3);
  free(s);
}

/* Controls, C1, DEL and invisible characters escaped; text, Vietnamese and
 * a backslash kept; line breaks kept only when asked; idempotent. */
static void escape_for_terminal(void **st) {
  (void)st;
  const char *in = "a\x1B]0;PWNED\x07" "b\tc\nd\x7F\xC2\x9B\xE2\x80\x8B\xE2\x80\xAE\xFF"
                   "\\ \xE1\xBB\x85";
  char *e = vc_text_escape(in, strlen(in), false);
  assert_string_equal(e, "a\\u{1B}]0;PWNED\\u{7}b\\u{9}c\\u{A}d\\u{7F}\\u{9B}\\u{200B}"
                         "\\u{202E}\\x{FF}\\ \xE1\xBB\x85");
  assert_false(vc_text_needs_escape(e, strlen(e), false));
  char *e2 = vc_text_escape(e, strlen(e), false);
  assert_string_equal(e2, e);
  free(e2);
  free(e);
  e = vc_text_escape("x\ty\r\nz\x00w\rv", 10, true);
  assert_string_equal(e, "x\ty\r\nz\\u{0}w\\u{D}v");
  free(e);
  assert_false(vc_text_needs_escape("Nguy\xE1\xBB\x85n", 8, false));
}

/* The one shortener: bytes, characters, the mark only when cut, never
 * inside a character, never past the buffer. */
static void cut_and_shorten(void **state) {
  (void)state;
  char out[64], small[8];
  assert_string_equal(vc_text_cut("abc", 3, SIZE_MAX, "...", out, sizeof out), "abc");
  assert_string_equal(vc_text_cut("abcd", 3, SIZE_MAX, "...", out, sizeof out), "abc...");
  /* "Đặng" is Đ(2) ặ(3) n g: 4 bytes stop before the ặ */
  assert_string_equal(vc_text_cut("Đặng Thu", 4, SIZE_MAX, "...", out, sizeof out), "Đ...");
  assert_string_equal(vc_text_cut("Đặng Thu", SIZE_MAX, 3, "\xe2\x80\xa6", out, sizeof out),
                      "Đặn\xe2\x80\xa6");
  assert_string_equal(vc_text_cut("Đặng", SIZE_MAX, 4, "...", out, sizeof out), "Đặng");
  /* the buffer caps it: 8 bytes hold 4 of text, "..." and the NUL */
  assert_string_equal(vc_text_cut("abcdefghij", SIZE_MAX, SIZE_MAX, "...", small, sizeof small),
                      "abcd...");
  char tiny[3]; /* no room for "...": the text is cut, no mark */
  assert_string_equal(vc_text_cut("abcdef", SIZE_MAX, SIZE_MAX, "...", tiny, sizeof tiny), "ab");
  const char *s = "short";
  assert_ptr_equal(vc_text_shorten(s, small, sizeof small), s);
  assert_string_equal(vc_text_shorten("Nguyễn Văn", small, sizeof small), "Nguy...");
  assert_string_equal(vc_text_shorten("Đặng Thu", small, sizeof small), "Đ...");
}

static void edit_distance_counts_typos(void **state) {
  (void)state;
  assert_int_equal(vc_text_edit_distance("align", "align"), 0);
  assert_int_equal(vc_text_edit_distance("ALIGN", "align"), 0);
  assert_int_equal(vc_text_edit_distance("alling", "align"), 2);
  assert_int_equal(vc_text_edit_distance("algin", "align"), 1); /* a swap */
  assert_int_equal(vc_text_edit_distance("", "abc"), 3);
  assert_int_equal(vc_text_edit_distance("Times New Roman", "Time New Roamn"), 2);
  char big[80];
  memset(big, 'a', sizeof big - 1);
  big[sizeof big - 1] = '\0';
  assert_true(vc_text_edit_distance(big, "a") == SIZE_MAX);
}

int main(void) {
  setlocale(LC_ALL, ""); /* the suite runs again under fr_FR.UTF-8 */
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(utf8_valid_accepts),
      cmocka_unit_test(utf8_valid_rejects_with_offset),
      cmocka_unit_test(utf8_decode_encode_roundtrip),
      cmocka_unit_test(utf8_encode_invalid_gives_replacement),
      cmocka_unit_test(utf8_len_counts_code_points),
      cmocka_unit_test(nfc_composes_nfd),
      cmocka_unit_test(nfc_every_vowel_from_nfd),
      cmocka_unit_test(nfc_keeps_ascii_and_nfc),
      cmocka_unit_test(nfc_rejects_invalid_and_nul),
      cmocka_unit_test(clean_collapses_and_trims),
      cmocka_unit_test(clean_knows_every_white_space),
      cmocka_unit_test(clean_rejects_invalid),
      cmocka_unit_test(upper_every_vowel),
      cmocka_unit_test(upper_lower_names),
      cmocka_unit_test(title_case),
      cmocka_unit_test(capfirst),
      cmocka_unit_test(fold_key_headers),
      cmocka_unit_test(fold_search_names),
      cmocka_unit_test(strip_marks_keeps_case),
      cmocka_unit_test(invalid_input_gives_null_everywhere),
      cmocka_unit_test(clean_fast_only_skips_inert_characters),
      cmocka_unit_test(ascii_and_numbers_under_every_locale),
      cmocka_unit_test(invisible_characters),
      cmocka_unit_test(escape_for_terminal),
      cmocka_unit_test(cut_and_shorten),
      cmocka_unit_test(edit_distance_counts_typos),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
