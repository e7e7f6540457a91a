/*
 * test_decode.c - encodings (src/input/decode.c), recognising old code pages
 * (src/input/detect.c) and reading a list from a file whatever its form
 * (src/input/reader.c).
 *
 * Every legacy sample is made here by encoding known Vietnamese text with
 * iconv(3) (glibc "CP1258", "TCVN5712-1", "UTF-16LE"/"BE"), or, for VNI,
 * which iconv lacks, with a small encoder below written from the VNI
 * Windows table independently of detect.c's.
 */
#include "testutil.h"

#include <iconv.h>
#include <sys/stat.h>
#include <unistd.h>

#include <utf8proc.h>

#include "core/diag.h"
#include "core/text.h"
#include "input/csv.h"
#include "input/decode.h"
#include "input/detect.h"
#include "input/iconv-utf8.h"
#include "input/reader.h"
#include "records/table.h"

/* A class list: 12 names covering every vowel shape and most tones. */
static const char LIST[] =
    "ma_sv,Họ và tên,Lớp,Ngày sinh\n"
    "SV01,Nguyễn Thị Thu Thảo,12A1,19/12/2007\n"
    "SV02,Trần Văn Đức,12A1,01/02/2007\n"
    "SV03,Lê Hoàng Ánh Dương,12A2,05/05/2007\n"
    "SV04,Phạm Ngọc Huyền,12A2,07/07/2007\n"
    "SV05,Hoàng Minh Tuấn,12A3,09/09/2007\n"
    "SV06,Đặng Thùy Linh,12A3,10/10/2007\n"
    "SV07,Vũ Quốc Cường,12A4,11/11/2007\n"
    "SV08,Bùi Thị Nguyệt,12A4,12/12/2007\n"
    "SV09,Đỗ Hữu Nghĩa,12A5,13/01/2007\n"
    "SV10,Ngô Kiều Phượng,12A5,14/02/2007\n"
    "SV11,Huỳnh Bảo Khương,12A6,15/03/2007\n"
    "SV12,Dương Xuân Yến,12A6,16/04/2007\n";

/* Short files: two or three lines, as a teacher's quick list is. */
static const char *const SHORT[] = {
    "Họ và tên,Lớp\nNguyễn Văn An,12A\n",
    "ho_ten\nTrần Thị Bích\n",
    "HỌ VÀ TÊN,LỚP\nNGUYỄN THỊ THU THẢO,12A\nĐẶNG VĂN ĐỨC,12B\n",
    "ma,ten,ghi chu\n1,An,đã nộp\n2,Bình,chưa nộp\n",
    "ho_ten,lop\nPhạm Quỳnh Hương,10A\nLương Thế Vinh,10B\n",
};
#define NSHORT (sizeof SHORT / sizeof *SHORT)

/* ------------------------------------------------------------- helpers */

/* utf8 (NUL-terminated) encoded with iconv into a new buffer; *n = length. */
static char *encode(const char *to, const char *utf8, size_t *n) {
  iconv_t cd = iconv_open(to, "UTF-8");
  assert_true(cd != (iconv_t)-1);
  size_t il = strlen(utf8), cap = il * 4 + 16, ol = cap;
  char *out = malloc(cap), *ip = (char *)utf8, *op = out;
  assert_non_null(out);
  assert_true(iconv(cd, &ip, &il, &op, &ol) != (size_t)-1);
  assert_true(iconv(cd, NULL, NULL, &op, &ol) != (size_t)-1);
  iconv_close(cd);
  *n = (size_t)(op - out);
  return out;
}

/* VNI Windows, from the published table: a toned or shaped vowel is the
 * base letter followed by one modifier byte; đ ơ ư and the i/ỵ forms are one
 * byte; capitals use the byte 0x20 below.  Input: NFC UTF-8. */
static char *vni_encode(const char *utf8, size_t *n) {
  /* modifier for (shape, tone): shape 0 none, 1 circumflex, 2 breve */
  static const unsigned char MOD[3][6] = {{0, 0xF8, 0xFB, 0xF5, 0xF9, 0xEF},
                                          {0xE2, 0xE0, 0xE5, 0xE3, 0xE1, 0xE4},
                                          {0xEA, 0xE8, 0xFA, 0xFC, 0xE9, 0xEB}};
  static const unsigned char I_FORM[6] = {'i', 0xEC, 0xE6, 0xF3, 0xED, 0xF2};
  size_t len = strlen(utf8), o = 0;
  unsigned char *out = malloc(len * 2 + 1);
  assert_non_null(out);
  for (size_t i = 0; i < len;) {
    int32_t c;
    size_t k = vc_utf8_decode(utf8 + i, len - i, &c);
    assert_true(k > 0);
    i += k;
    if (c < 0x80) {
      out[o++] = (unsigned char)c;
      continue;
    }
    bool up = utf8proc_tolower(c) != c;
    int32_t lc = utf8proc_tolower(c);
    unsigned char sh = up ? 0x20 : 0; /* capitals sit 0x20 lower */
    if (lc == 0x111) {
      out[o++] = (unsigned char)(0xF1 - sh);
      continue;
    }
    utf8proc_int32_t d[4];
    int last;
    utf8proc_ssize_t m = utf8proc_decompose_char(lc, d, 4, UTF8PROC_DECOMPOSE, &last);
    int shape = 0, tone = 0;
    bool horn = false;
    for (utf8proc_ssize_t j = 1; j < m; j++) {
      switch (d[j]) {
      case 0x302: shape = 1; break;
      case 0x306: shape = 2; break;
      case 0x31B: horn = true; break;
      case 0x300: tone = 1; break;
      case 0x309: tone = 2; break;
      case 0x303: tone = 3; break;
      case 0x301: tone = 4; break;
      case 0x323: tone = 5; break;
      default: fail_msg("no VNI form for U+%04X", (unsigned)c);
      }
    }
    char base = (char)d[0];
    if (base == 'i') {
      out[o++] = (unsigned char)(I_FORM[tone] - (tone ? sh : (up ? 0x20 : 0)));
    } else if (base == 'y' && tone == 5) {
      out[o++] = (unsigned char)(0xEE - sh);
    } else {
      if (horn) out[o++] = (unsigned char)((base == 'o' ? 0xF4 : 0xF6) - sh);
      else out[o++] = (unsigned char)(up ? base - 0x20 : base);
      if (shape || tone) out[o++] = (unsigned char)(MOD[shape][tone] - sh);
    }
  }
  out[o] = 0;
  *n = o;
  return (char *)out;
}

/* First problem whose message contains sub, or a failure listing them. */
static const vc_diag_item_t *need(const vc_diag_t *d, const char *sub) {
  for (size_t i = 0; i < vc_diag_kept(d); i++) {
    const vc_diag_item_t *it = vc_diag_get(d, i);
    if (strstr(it->msg, sub)) return it;
  }
  vc_diag_print(d, stderr);
  fail_msg("no problem containing \"%s\"", sub);
  return NULL;
}

/* vc_decode into a fresh diag list; also checks the result is valid UTF-8
 * (NFC when checked_nfc) or that NULL came with a reason. */
static char *dec(const char *buf, size_t n, const char *enc, vc_diag_t **dp, char *used) {
  *dp = vc_diag_create();
  assert_non_null(*dp);
  size_t len = 0;
  char *out = vc_decode(buf, n, enc, "t.csv", &len, used, *dp);
  if (out) {
    assert_int_equal(strlen(out), len);
    assert_true(vc_utf8_valid(out, len, NULL));
  } else {
    assert_true(vc_diag_count(*dp) > 0);
  }
  return out;
}

/* Writes n bytes to a new temporary file; returns its path (static). */
static const char *tmpfile_with(const void *data, size_t n) {
  static char path[64];
  strcpy(path, "/tmp/vc-test-decode-XXXXXX");
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  assert_int_equal(write(fd, data, n), (ssize_t)n);
  close(fd);
  return path;
}

/* NFC of s through utf8proc directly (the expected value). */
static char *ref_nfc(const char *s) {
  return (char *)utf8proc_NFC((const utf8proc_uint8_t *)s);
}

/* Asserts that decoding the LIST sample (enc/encname) gives LIST exactly. */
static void round_trip(const char *iconv_name, const char *opt, const char *used_want) {
  size_t n;
  char *raw = encode(iconv_name, LIST, &n);
  vc_diag_t *d;
  char used[32];
  char *out = dec(raw, n, opt, &d, used);
  assert_non_null(out);
  assert_string_equal(out, LIST);
  assert_string_equal(used, used_want);
  free(out);
  free(raw);
  vc_diag_free(d);
}

/* ----------------------------------------------------------- streaming */

typedef struct { char *s; size_t n; } sink_t;

static bool sink_add(void *ud, const char *s, size_t n) {
  sink_t *k = ud;
  k->s = realloc(k->s, k->n + n + 1);
  assert_non_null(k->s);
  memcpy(k->s + k->n, s, n);
  k->n += n;
  k->s[k->n] = '\0';
  return true;
}

/* Streams raw[0..n) in pieces of `piece` bytes; the output (NULL when the
 * stream refused to open or failed). */
static char *stream_pieces(const char *raw, size_t n, const char *opt, size_t piece,
                           char *used) {
  bool more;
  vc_decode_stream_t *ds = vc_decode_stream_open(raw, n, n, opt, "t.csv", used, &more, NULL);
  assert_false(more); /* the whole file was given */
  if (!ds) return NULL;
  sink_t k = {calloc(1, 1), 0};
  bool ok = true;
  for (size_t i = 0; ok && i < n; i += piece)
    ok = vc_decode_stream_feed(ds, raw + i, n - i < piece ? n - i : piece, false, sink_add, &k);
  if (ok) ok = vc_decode_stream_feed(ds, NULL, 0, true, sink_add, &k);
  assert_true(ok || vc_decode_stream_failed(ds));
  vc_decode_stream_free(ds);
  if (!ok) {
    free(k.s);
    return NULL;
  }
  return k.s;
}

/* Pieces of any size, down to 1 byte, give what vc_decode gives. */
static void stream_equals_decode(void **st) {
  (void)st;
  /* NFD tones (Windows-1258 keeps them combining), CRLF and a quoted line
   * break: every kind of piece boundary */
  static const char *const TEXT[] = {LIST,
                                     "ma_sv,ho_ten\r\nSV1,\"Nguye\xCC\x83n\r\nThi\xCC\xA3\"\r\n"
                                     "SV2,Tr\xE1\xBA\xA7n \xC4\x90\xE1\xBB\xA9" "c\r\n"};
  static const struct { const char *iconv, *opt, *bom; } ENC[] = {
      {"UTF-16LE", NULL, "\xFF\xFE"},         {"UTF-16LE", "utf-16le", ""},
      {"UTF-16BE", "utf-16", "\xFE\xFF"},     {"UTF-16BE", "utf-16be", ""},
      {"CP1258", "windows-1258", ""},          {"TCVN5712-1", "tcvn3", ""},
      {"UTF-8", NULL, ""},                     {"UTF-8", "utf-8", "\xEF\xBB\xBF"}};
  static const size_t PIECES[] = {1, 2, 3, 5, 7, 64, 100000};
  for (size_t t = 0; t < sizeof TEXT / sizeof *TEXT; t++)
    for (size_t e = 0; e < sizeof ENC / sizeof *ENC; e++) {
      size_t rn;
      char *raw = encode(ENC[e].iconv, TEXT[t], &rn);
      size_t bl = strlen(ENC[e].bom), n = bl + rn;
      char *file = malloc(n + 1);
      memcpy(file, ENC[e].bom, bl);
      memcpy(file + bl, raw, rn);
      vc_diag_t *d;
      char used[32], sused[32];
      char *want = dec(file, n, ENC[e].opt, &d, used);
      assert_non_null(want);
      for (size_t p = 0; p < sizeof PIECES / sizeof *PIECES; p++) {
        char *got = stream_pieces(file, n, ENC[e].opt, PIECES[p], sused);
        assert_non_null(got);
        /* a UTF-8 BOM is passed on, for the CSV reader to leave out */
        size_t keep = strcmp(ENC[e].iconv, "UTF-8") == 0 ? bl : 0;
        assert_memory_equal(got, ENC[e].bom, keep);
        assert_string_equal(got + keep, want);
        assert_string_equal(sused, used);
        free(got);
      }
      free(want);
      vc_diag_free(d);
      free(raw);
      free(file);
    }
}

/* Largest piece given to a sink_max. */
static size_t max_emit;
static bool sink_max(void *ud, const char *s, size_t n) {
  if (n > max_emit) max_emit = n;
  return sink_add(ud, s, n);
}

/* A line of 1 MiB (NFD tones, so where it may be cut matters) streams in
 * pieces that are never the whole line, and gives what vc_decode gives:
 * the CSV reader meets a long value as it comes (issue 6, point 11). */
static void stream_long_lines(void **st) {
  (void)st;
  size_t cap = 3u << 20, len = 0;
  char *text = malloc(cap);
  assert_non_null(text);
  len += (size_t)sprintf(text, "ma_sv,ghi_chu\r\nSV1,\"");
  while (len < (1u << 20)) len += (size_t)sprintf(text + len, "Nguye\xCC\x83n Thi\xCC\xA3 ");
  len += (size_t)sprintf(text + len, "\"\r\nSV2,ok\r\n");
  static const struct { const char *iconv, *opt; } ENC[] = {
      {"UTF-16LE", "utf-16le"}, {"CP1258", "windows-1258"}};
  for (size_t e = 0; e < sizeof ENC / sizeof *ENC; e++) {
    size_t n;
    char *raw = encode(ENC[e].iconv, text, &n);
    vc_diag_t *d;
    char used[32];
    char *want = dec(raw, n, ENC[e].opt, &d, used);
    assert_non_null(want);
    static const size_t PIECES[] = {4093, 1u << 20};
    for (size_t p = 0; p < sizeof PIECES / sizeof *PIECES; p++) {
      bool more;
      vc_decode_stream_t *ds =
          vc_decode_stream_open(raw, n, n, ENC[e].opt, "t.csv", used, &more, NULL);
      assert_non_null(ds);
      sink_t k = {calloc(1, 1), 0};
      max_emit = 0;
      bool ok = true;
      for (size_t i = 0; ok && i < n; i += PIECES[p])
        ok = vc_decode_stream_feed(ds, raw + i, n - i < PIECES[p] ? n - i : PIECES[p], false,
                                   sink_max, &k);
      if (ok) ok = vc_decode_stream_feed(ds, NULL, 0, true, sink_max, &k);
      assert_true(ok);
      vc_decode_stream_free(ds);
      assert_string_equal(k.s, want);
      if (PIECES[p] < (1u << 16) && max_emit > (256u << 10))
        fail_msg("%s: a piece of %zu bytes given at once", ENC[e].opt, max_emit);
      free(k.s);
    }
    free(want);
    vc_diag_free(d);
    free(raw);
  }
  free(text);
}

/* What vc_decode refuses, the stream refuses: it does not open (saying
 * why), or it fails (vc_decode_stream_explain then words the problem). */
static void stream_refuses_what_decode_refuses(void **st) {
  (void)st;
  char used[32];
  size_t n;
  bool more;
  char *raw = encode("CP1258", LIST, &n);
  /* UTF-8 is read by the same stream, as vc_decode reads it */
  char *u = stream_pieces(LIST, strlen(LIST), NULL, 3, used);
  assert_non_null(u);
  assert_string_equal(used, "UTF-8");
  free(u);
  vc_diag_t *d = vc_diag_create();
  assert_null(vc_decode_stream_open(raw, n, n, "vni", "t.csv", used, &more, d));
  assert_int_equal(vc_diag_count(d), 1);
  /* the UTF-8 letters read as a code page; a contradicting BOM */
  assert_null(vc_decode_stream_open(LIST, strlen(LIST), strlen(LIST), "tcvn3", "t.csv", used,
                                    &more, d));
  assert_null(vc_decode_stream_open("\xFF\xFE" "a\0", 4, 4, "utf-16be", "t.csv", used, &more, d));
  assert_null(vc_decode_stream_open("a\0b\0", 4, 4, "utf-16", "t.csv", used, &more, d));
  assert_int_equal(vc_diag_count(d), 4);
  assert_false(more);
  vc_diag_free(d);
  /* a byte Windows-1258 does not define, in any piece */
  raw[n / 2] = (char)0x81;
  for (size_t p = 1; p <= 4; p++) assert_null(stream_pieces(raw, n, "windows-1258", p, used));
  free(raw);
  /* UTF-16 cut in the middle of a character */
  raw = encode("UTF-16LE", LIST, &n);
  for (size_t p = 1; p <= 4; p++) assert_null(stream_pieces(raw, n - 1, "utf-16le", p, used));
  free(raw);
}

/* -------------------------------------------------------------- UTF-16 */

/* Excel's "Unicode Text": UTF-16LE with BOM, TAB-separated, CRLF; read by
 * vc_input_read without any option. */
static void utf16le_bom_tab_needs_no_option(void **st) {
  (void)st;
  const char *text = "Họ và tên\tLớp\r\nNguyễn Thị Thu Thảo\t12A1\r\nTrần Văn Đức\t12A2\r\n";
  size_t n;
  char *raw = encode("UTF-16LE", text, &n);
  char *file = malloc(n + 2);
  memcpy(file, "\xFF\xFE", 2);
  memcpy(file + 2, raw, n);
  const char *path = tmpfile_with(file, n + 2);
  vc_diag_t *d = vc_diag_create();
  vc_read_info_t info;
  vc_table_t *t = vc_input_read(path, NULL, &info, d);
  assert_non_null(t);
  assert_int_equal(vc_diag_count(d), 0);
  assert_string_equal(info.encoding, "UTF-16LE (BOM)");
  assert_int_equal(info.delimiter, '\t');
  assert_int_equal(vc_table_ncols(t), 2);
  assert_int_equal(vc_table_nrows(t), 2);
  assert_string_equal(vc_table_col_header(t, 0), "Họ và tên");
  assert_string_equal(vc_table_get(t, 0, 0), "Nguyễn Thị Thu Thảo");
  assert_string_equal(vc_table_get(t, 1, 1), "12A2");
  assert_int_equal(vc_table_row_line(t, 1), 3);
  vc_table_free(t);
  vc_diag_free(d);
  unlink(path);
  free(file);
  free(raw);
}

static void utf16be_bom(void **st) {
  (void)st;
  size_t n;
  char *raw = encode("UTF-16BE", LIST, &n);
  char *file = malloc(n + 2);
  memcpy(file, "\xFE\xFF", 2);
  memcpy(file + 2, raw, n);
  vc_diag_t *d;
  char used[32];
  char *out = dec(file, n + 2, NULL, &d, used);
  assert_non_null(out);
  assert_string_equal(out, LIST);
  assert_string_equal(used, "UTF-16BE (BOM)");
  free(out);
  vc_diag_free(d);
  /* --encoding utf-16 takes the BOM's word for the byte order */
  out = dec(file, n + 2, "utf-16", &d, used);
  assert_non_null(out);
  assert_string_equal(out, LIST);
  free(out);
  vc_diag_free(d);
  free(file);
  free(raw);
}

/* UTF-16 without a BOM: only with utf-16le/be; named when not given. */
static void utf16_without_bom(void **st) {
  (void)st;
  round_trip("UTF-16LE", "utf-16le", "UTF-16LE");
  round_trip("UTF-16BE", "UTF-16BE", "UTF-16BE");
  size_t n;
  char *raw = encode("UTF-16LE", LIST, &n);
  vc_diag_t *d;
  assert_null(dec(raw, n, NULL, &d, NULL));
  assert_int_equal(need(d, "--encoding utf-16le")->line, 1);
  vc_diag_free(d);
  assert_null(dec(raw, n, "utf-16", &d, NULL));
  need(d, "needs a byte-order mark");
  vc_diag_free(d);
  assert_null(dec(raw, n, "utf-16be", &d, NULL));
  need(d, "run again with --encoding utf-16le");
  vc_diag_free(d);
  free(raw);
  /* a UTF-8 file is not UTF-16 */
  assert_null(dec(LIST, strlen(LIST), "utf-16le", &d, NULL));
  need(d, "no zero bytes");
  vc_diag_free(d);
}

/* A lone surrogate and a cut last character: named with their line. */
static void utf16_damaged(void **st) {
  (void)st;
  vc_diag_t *d;
  const char lone[] = "\xFF\xFEh\0i\0\n\0x\0\x00\xDC\n\0";
  assert_null(dec(lone, sizeof lone - 1, NULL, &d, NULL));
  const vc_diag_item_t *it = need(d, "bytes 0x00 0xDC are not UTF-16LE");
  assert_int_equal(it->line, 2);
  assert_int_equal(it->col, 2);
  vc_diag_free(d);
  const char odd[] = "\xFF\xFEh\0\n\0i\0j";
  assert_null(dec(odd, sizeof odd - 1, NULL, &d, NULL));
  assert_int_equal(need(d, "ends in the middle of a UTF-16LE character")->line, 2);
  vc_diag_free(d);
}

/* ------------------------------------------------------- code pages */

/* Windows-1258 stores "ễ" as ê + combining tilde: the output is NFC,
 * byte for byte the original. */
static void windows_1258_gives_nfc(void **st) {
  (void)st;
  size_t n;
  char *raw = encode("CP1258", LIST, &n);
  assert_non_null(memchr(raw, 0xDE, n)); /* combining tilde: the sample is real */
  assert_non_null(memchr(raw, 0xF2, n)); /* combining dot below */
  free(raw);
  round_trip("CP1258", "windows-1258", "Windows-1258");
  round_trip("CP1258", "cp1258", "Windows-1258");
  round_trip("CP1258", "Windows_1258", "Windows-1258");
  /* A + grave + dot below: glibc composes À and leaves the dot; NFC puts
   * the dot below first (Ạ + grave), which the line pass must do */
  vc_diag_t *d;
  char *out = dec("A\xCC\xF2,x\n", 6, "windows-1258", &d, NULL);
  char *want = ref_nfc("A\xCC\x80\xCC\xA3,x\n");
  assert_string_equal(out, want);
  assert_string_equal(out, "\xE1\xBA\xA0\xCC\x80,x\n");
  free(want);
  free(out);
  vc_diag_free(d);
}

/* TCVN3: precomposed letters, the combining tone bytes 0xB0-0xB4 (glibc's
 * converter holds a letter back to compose it: the last one must come out),
 * and output far longer than the input (the buffer grows mid-letter). */
static void tcvn3_precomposed_combining_and_flush(void **st) {
  (void)st;
  round_trip("TCVN5712-1", "tcvn3", "TCVN3");
  round_trip("TCVN5712-1", "TCVN5712-1", "TCVN3");
  vc_diag_t *d;
  /* "Nguyê" + combining ngã, "Th" "a" + combining hỏi "o", ends on a vowel */
  const char two[] = "ten\nNguy\xAA\xB2n Tha\xB1o\nLa";
  char *out = dec(two, sizeof two - 1, "tcvn", &d, NULL);
  assert_non_null(out);
  assert_string_equal(out, "ten\nNguyễn Thảo\nLa");
  free(out);
  vc_diag_free(d);
  out = dec("a\xB0", 2, "tcvn3", &d, NULL); /* a combining byte last */
  assert_string_equal(out, "à");
  free(out);
  vc_diag_free(d);
  /* 30,000 "ễ" (one byte each, three in UTF-8), no line end */
  size_t n = 30000;
  char *raw = malloc(n);
  memset(raw, 0xAA, n); /* TCVN3 ê */
  for (size_t i = 1; i < n; i += 2) raw[i] = (char)0xB2;
  out = dec(raw, n, "tcvn3", &d, NULL);
  assert_non_null(out);
  assert_int_equal(strlen(out), n / 2 * 3);
  for (size_t i = 0; i < n / 2; i++) assert_memory_equal(out + 3 * i, "ễ", 3);
  free(out);
  free(raw);
  vc_diag_free(d);
}

/* A byte Windows-1258 does not define: its line, column and value. */
static void undefined_byte_is_located(void **st) {
  (void)st;
  /* 0x81 0x8A 0x8D-0x90 0x9A 0x9D 0x9E are undefined in glibc's CP1258 */
  const char data[] = "ho_ten,lop\nNguy\xEA\xDEn An,5A\nL\xEA X\x81y,5B\n";
  vc_diag_t *d;
  assert_null(dec(data, sizeof data - 1, "windows-1258", &d, NULL));
  const vc_diag_item_t *it = need(d, "byte 0x81 is not a Windows-1258 character");
  assert_int_equal(it->line, 3);
  assert_int_equal(it->col, 5);
  assert_int_equal(it->status, VC_E_INPUT);
  vc_diag_free(d);
}

/* NFD UTF-8 (Unikey's "Unicode tổ hợp", macOS) comes out NFC from the
 * whole reader. */
static void nfd_utf8_comes_out_nfc(void **st) {
  (void)st;
  utf8proc_uint8_t *nfd = utf8proc_NFD((const utf8proc_uint8_t *)LIST);
  const char *path = tmpfile_with(nfd, strlen((char *)nfd));
  vc_diag_t *d = vc_diag_create();
  vc_read_info_t info;
  vc_table_t *t = vc_input_read(path, NULL, &info, d);
  assert_non_null(t);
  assert_string_equal(info.encoding, "UTF-8");
  assert_string_equal(vc_table_col_header(t, 1), "Họ và tên");
  assert_string_equal(vc_table_get(t, 0, 1), "Nguyễn Thị Thu Thảo");
  assert_string_equal(vc_table_get(t, 10, 1), "Huỳnh Bảo Khương");
  assert_string_equal(vc_table_get(t, 5, 1), "Đặng Thùy Linh");
  vc_table_free(t);
  vc_diag_free(d);
  unlink(path);
  free(nfd);
}

/* --------------------------------------------------------- detection */

/* Syllables: real ones pass, what wrong code pages make does not. */
static void syllables(void **st) {
  (void)st;
  const char *good[] = {"Nguyễn", "Thị", "Văn", "Trần", "Lớp", "ngày", "Quỳnh", "khuyến",
                        "giếng", "Hường", "Nghĩa", "Đ", "NGUYỄN", "xoong", "thuở", "Khuya",
                        "Nguye\xcc\x82\xcc\x83n" /* NFD */, "oanh", "Tuấn", "Yến"};
  for (size_t i = 0; i < sizeof good / sizeof *good; i++)
    if (!vc_detect_syllable(good[i], strlen(good[i]))) fail_msg("%s rejected", good[i]);
  const char *bad[] = {"NguyÔn", "Th¶o", "Nguyeăn", "Vaên", "Lừỡp", "café", "noọp", "sơng",
                       "ThÞ", "thàt", "Nguyờịn", "§øc", "Zürich", "ab", "ìnhp"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    if (vc_detect_syllable(bad[i], strlen(bad[i]))) fail_msg("%s accepted", bad[i]);
}

/* Bytes of text in one of the three legacy encodings. */
static char *legacy(vc_guess_t g, const char *text, size_t *n) {
  if (g == VC_GUESS_VNI) return vni_encode(text, n);
  return encode(g == VC_GUESS_CP1258 ? "CP1258" : "TCVN5712-1", text, n);
}

/* Each encoding is recognised, on the list and on every short file, with
 * the right reading near 1 and the others far below. */
static void detection_both_ways(void **st) {
  (void)st;
  for (int g = VC_GUESS_CP1258; g < VC_GUESS_NCAND; g++) {
    for (size_t s = 0; s <= NSHORT; s++) {
      const char *text = s < NSHORT ? SHORT[s] : LIST;
      size_t n;
      char *raw = legacy((vc_guess_t)g, text, &n);
      vc_detect_t r;
      vc_guess_t got = vc_detect_legacy(raw, n, &r);
      if (got != (vc_guess_t)g)
        fail_msg("encoding %d, sample %zu: guessed %d (scores %.2f %.2f %.2f)", g, s, got,
                 r.score[1], r.score[2], r.score[3]);
      assert_true(r.score[g] >= 0.99);
      for (int o = VC_GUESS_CP1258; o < VC_GUESS_NCAND; o++)
        if (o != g) assert_true(r.score[o] <= 0.5);
      free(raw);
    }
  }
}

/* Too little evidence, or not Vietnamese at all: no name is given. */
static void detection_abstains(void **st) {
  (void)st;
  const char one_word[] = "ten,diem\nL\xFD,9\n"; /* "Lý" in Windows-1258 */
  assert_int_equal(vc_detect_legacy(one_word, sizeof one_word - 1, NULL), VC_GUESS_NONE);
  const char french[] = "nom\nRen\xE9" "e Caf\xE9\nFran\xE7ois M\xFCller\nH\xE9l\xE8ne\n";
  assert_int_equal(vc_detect_legacy(french, sizeof french - 1, NULL), VC_GUESS_NONE);
  const char junk[] = "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xd8\xc3\xa9";
  assert_int_equal(vc_detect_legacy(junk, sizeof junk - 1, NULL), VC_GUESS_NONE);
  vc_diag_t *d;
  assert_null(dec(one_word, sizeof one_word - 1, NULL, &d, NULL));
  const vc_diag_item_t *it = need(d, "this file is not UTF-8 (byte 0xFD here)");
  assert_int_equal(it->line, 2);
  assert_int_equal(it->col, 2);
  need(d, "--encoding windows-1258");
  vc_diag_free(d);
}

/* The refusal names the encoding, the line and the column of the first
 * byte that is not UTF-8, and the way out. */
static void refusal_names_the_encoding(void **st) {
  (void)st;
  static const char *const want[] = {
      [VC_GUESS_CP1258] = "this file is not UTF-8; it looks like Windows-1258 (Excel's plain "
                          "\"CSV\" on a Vietnamese Windows). Run again with --encoding "
                          "windows-1258, or save it as \"CSV UTF-8\" in Excel.",
      [VC_GUESS_TCVN3] = "it looks like TCVN3 (ABC, the old \".VnTime\" fonts). Run again with "
                         "--encoding tcvn3",
      [VC_GUESS_VNI] = "it looks like VNI (the \"VNI-Times\" fonts), which vncert does not read. "
                       "Convert the text to Unicode with UniKey's toolkit"};
  for (int g = VC_GUESS_CP1258; g < VC_GUESS_NCAND; g++) {
    size_t n;
    char *raw = legacy((vc_guess_t)g, LIST, &n);
    vc_diag_t *d;
    assert_null(dec(raw, n, NULL, &d, NULL));
    const vc_diag_item_t *it = need(d, want[g]);
    /* "ma_sv,Họ": ọ is one byte in TCVN3 (column 8), o + a mark byte in
     * Windows-1258 and VNI (the mark is column 9) */
    assert_int_equal(it->line, 1);
    assert_int_equal(it->col, g == VC_GUESS_TCVN3 ? 8 : 9);
    assert_int_equal(it->status, VC_E_INPUT);
    assert_int_equal(vc_diag_count(d), 1);
    vc_diag_free(d);
    /* --encoding utf-8 is the same strict check */
    assert_null(dec(raw, n, "utf-8", &d, NULL));
    need(d, want[g]);
    vc_diag_free(d);
    free(raw);
  }
}

/* The evidence is looked for where the file stops being ASCII, however far
 * into it (a long ASCII preamble, then Windows-1258 names). */
static void detection_starts_at_the_first_letter(void **st) {
  (void)st;
  size_t pre = 3u << 20, n;
  char *raw = encode("CP1258", LIST, &n);
  char *file = malloc(pre + n);
  memset(file, 'x', pre);
  for (size_t i = 99; i < pre; i += 100) file[i] = '\n';
  memcpy(file + pre, raw, n);
  vc_diag_t *d;
  assert_null(dec(file, pre + n, NULL, &d, NULL));
  const vc_diag_item_t *it = need(d, "it looks like Windows-1258");
  assert_int_equal(it->line, (int)(pre / 100) + 1); /* after pre / 100 line ends */
  vc_diag_free(d);
  /* and an explicit wrong code page is caught there too */
  free(raw);
  raw = encode("TCVN5712-1", LIST, &n);
  memcpy(file + pre, raw, n);
  assert_null(dec(file, pre + n, "windows-1258", &d, NULL));
  need(d, "it looks like TCVN3");
  vc_diag_free(d);
  free(file);
  free(raw);
}

/* UTF-8 with a few stray bytes: each place is listed, no code page named. */
static void stray_bytes_in_utf8_are_listed(void **st) {
  (void)st;
  /* A few stray bytes in a UTF-8 file pass through the decoder untouched:
   * the CSV reader then reports each bad value (line, column, header)
   * together with every other problem of the file, in one run. */
  char buf[1024];
  snprintf(buf, sizeof buf, "%sSV99,Ren\xE9" "e Caf\xE9,12A1,01/01/2007\nSV98,short\n", LIST);
  vc_diag_t *d = vc_diag_create();
  size_t len = strlen(buf), outlen = 0;
  char *out = vc_decode(buf, len, NULL, "t.csv", &outlen, NULL, d);
  assert_non_null(out);
  assert_int_equal(outlen, len);
  assert_int_equal(vc_diag_count(d), 0);
  assert_memory_equal(out, buf, len);
  vc_table_t *t = vc_csv_read_mem(out, len, "list.csv", d);
  assert_non_null(t);
  assert_int_equal(vc_diag_count(d), 2);
  const vc_diag_item_t *a = vc_diag_get(d, 0), *b = vc_diag_get(d, 1);
  assert_non_null(strstr(a->msg, "UTF-8"));
  assert_int_equal(a->line, 14);
  assert_int_equal(a->col, 2);
  assert_int_equal(b->line, 15); /* the short row is reported as well */
  vc_table_free(t);
  free(out);
  vc_diag_free(d);
}

/* ------------------------------------------------- options and BOMs */

static void bom_and_option(void **st) {
  (void)st;
  vc_diag_t *d;
  char used[32];
  char buf[64];
  /* UTF-8 BOM: dropped, with or without --encoding utf-8 */
  const char u8[] = "\xEF\xBB\xBFten\nAn\n";
  char *out = dec(u8, sizeof u8 - 1, NULL, &d, used);
  assert_string_equal(out, "ten\nAn\n");
  assert_string_equal(used, "UTF-8 (BOM)");
  free(out);
  vc_diag_free(d);
  out = dec(u8, sizeof u8 - 1, "UTF8", &d, used);
  assert_string_equal(out, "ten\nAn\n");
  free(out);
  vc_diag_free(d);
  /* a BOM that contradicts the option is an error, whichever they are */
  const struct { const char *bom, *opt, *msg; } bad[] = {
      {"\xEF\xBB\xBF", "windows-1258", "UTF-8 byte-order mark, but --encoding windows-1258"},
      {"\xEF\xBB\xBF", "utf-16", "UTF-8 byte-order mark"},
      {"\xFF\xFE", "utf-16be", "UTF-16LE byte-order mark"},
      {"\xFE\xFF", "utf-16le", "UTF-16BE byte-order mark"},
      {"\xFF\xFE", "utf-8", "UTF-16LE byte-order mark"},
      {"\xFF\xFE", "tcvn3", "UTF-16LE byte-order mark, but --encoding tcvn3"},
  };
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    size_t bl = strlen(bad[i].bom);
    memcpy(buf, bad[i].bom, bl);
    memcpy(buf + bl, "a\0\n\0", 4);
    assert_null(dec(buf, bl + 4, bad[i].opt, &d, NULL));
    assert_int_equal(need(d, bad[i].msg)->status, VC_E_INPUT);
    vc_diag_free(d);
  }
  /* UTF-16LE BOM with utf-16le: dropped */
  out = dec("\xFF\xFE" "a\0\n\0", 6, "utf-16le", &d, used);
  assert_string_equal(out, "a\n");
  assert_string_equal(used, "UTF-16LE (BOM)");
  free(out);
  vc_diag_free(d);
  /* UTF-32 is named, not misread */
  assert_null(dec("\xFF\xFE\0\0a\0\0\0", 8, NULL, &d, NULL));
  need(d, "UTF-32");
  vc_diag_free(d);
}

/* A code page given for a file that is UTF-8 would make mojibake. */
static void code_page_on_utf8_is_refused(void **st) {
  (void)st;
  vc_diag_t *d;
  assert_null(dec(LIST, strlen(LIST), "windows-1258", &d, NULL));
  const vc_diag_item_t *it = need(d, "already UTF-8 (\"ọ\" here");
  assert_int_equal(it->line, 1);
  assert_int_equal(it->col, 8);
  vc_diag_free(d);
  assert_null(dec(LIST, strlen(LIST), "tcvn3", &d, NULL));
  need(d, "not TCVN3: run again without --encoding");
  vc_diag_free(d);
  /* plain ASCII is the same in every code page: fine */
  char *out = dec("a,b\n1,2\n", 8, "windows-1258", &d, NULL);
  assert_string_equal(out, "a,b\n1,2\n");
  free(out);
  vc_diag_free(d);
}

/* The wrong code page given: refused with the right one named, since
 * reading would give mojibake ("NguyÔn" for TCVN3 read as Windows-1258). */
static void wrong_code_page_is_refused(void **st) {
  (void)st;
  static const struct { vc_guess_t g; const char *opt, *msg; } cases[] = {
      {VC_GUESS_TCVN3, "windows-1258", "read as Windows-1258 this file gives words that are "
                                       "not Vietnamese; it looks like TCVN3"},
      {VC_GUESS_CP1258, "tcvn3", "read as TCVN3 this file gives words that are not "
                                 "Vietnamese; it looks like Windows-1258"},
      {VC_GUESS_VNI, "windows-1258", "it looks like VNI"},
      {VC_GUESS_VNI, "tcvn3", "it looks like VNI"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    size_t n;
    char *raw = legacy(cases[i].g, LIST, &n);
    vc_diag_t *d;
    assert_null(dec(raw, n, cases[i].opt, &d, NULL));
    need(d, cases[i].msg);
    vc_diag_free(d);
    free(raw);
  }
  /* too little to tell: the option is obeyed */
  vc_diag_t *d;
  char *out = dec("ten\nL\xFD\n", 7, "tcvn3", &d, NULL);
  assert_non_null(out);
  free(out);
  vc_diag_free(d);
}

/* CRLF becomes LF (lone CRs stay), on every path, line numbers unchanged. */
static void crlf_becomes_lf(void **st) {
  (void)st;
  const char text[] = "a\r\nb\r\rc\r\n\r\nd\r";
  const char want[] = "a\nb\r\rc\n\nd\r";
  vc_diag_t *d;
  char *out = dec(text, sizeof text - 1, NULL, &d, NULL);
  assert_string_equal(out, want);
  free(out);
  vc_diag_free(d);
  size_t n;
  char *raw = encode("UTF-16LE", text, &n);
  out = dec(raw, n, "utf-16le", &d, NULL);
  assert_string_equal(out, want);
  free(out);
  free(raw);
  vc_diag_free(d);
  /* with a BOM to leave out */
  char *bom = malloc(sizeof text + 3);
  memcpy(bom, "\xEF\xBB\xBF", 3);
  memcpy(bom + 3, text, sizeof text - 1);
  d = vc_diag_create();
  size_t len;
  out = vc_decode(bom, sizeof text + 2, NULL, "t.csv", &len, NULL, d);
  assert_string_equal(out, want);
  assert_int_equal(len, sizeof want - 1);
  free(out);
  free(bom);
  vc_diag_free(d);
}

static void encoding_names(void **st) {
  (void)st;
  vc_diag_t *d = vc_diag_create();
  const char *ok[] = {NULL, "", "utf-8", "UTF8", "utf-16", "utf_16le", "UTF-16BE",
                      "windows-1258", "cp1258", "tcvn3", "TCVN", "tcvn5712-1", "abc"};
  for (size_t i = 0; i < sizeof ok / sizeof *ok; i++)
    assert_int_equal(vc_decode_check(ok[i], d), VC_OK);
  assert_int_equal(vc_diag_count(d), 0);
  assert_int_equal(vc_decode_check("latin1", d), VC_E_USAGE);
  need(d, "unknown encoding \"latin1\"");
  assert_int_equal(vc_decode_check("VNI", d), VC_E_USAGE);
  need(d, "VNI is not supported");
  vc_diag_free(d);
  assert_null(dec("a", 1, "ebcdic", &d, NULL));
  assert_int_equal(vc_diag_status(d), VC_E_USAGE);
  vc_diag_free(d);
}

/* ---------------------------------------------------------- limits */

static void caps(void **st) {
  (void)st;
  vc_diag_t *d;
  /* the size is checked before the bytes are looked at */
  assert_null(dec("x", (size_t)VC_CSV_MAX_BYTES + 1, NULL, &d, NULL));
  assert_int_equal(vc_diag_status(d), VC_E_LIMIT);
  vc_diag_free(d);
  /* the converted size too: 1000 "ế" (TCVN3 0xD5) are 3000 bytes of UTF-8 */
  char in[1000];
  memset(in, 0xD5, sizeof in);
  size_t len, nbad, off;
  vc_conv_err_t why;
  assert_null(vc_iconv_utf8("TCVN5712-1", in, sizeof in, 2999, false, &len, &nbad, &off, &why));
  assert_int_equal(why, VC_CONV_LIMIT);
  char *out = vc_iconv_utf8("TCVN5712-1", in, sizeof in, 3000, false, &len, &nbad, &off, &why);
  assert_non_null(out);
  assert_int_equal(len, 3000);
  free(out);
}

/* A long line without line ends is made NFC in pieces: same result as
 * whole. */
static void long_line_nfc(void **st) {
  (void)st;
  size_t reps = 20000, n, len = 0;
  char *text = malloc(reps * 10 + 1);
  for (size_t i = 0; i < reps; i++) { /* NFD "Thảo", NFC "Nguyễn": ~170 KB */
    const char *w = i % 2 ? "Tha\xCC\x89o " : "Nguy\xE1\xBB\x85n ";
    memcpy(text + len, w, strlen(w));
    len += strlen(w);
  }
  text[len] = '\0';
  char *raw = encode("CP1258", text, &n);
  vc_diag_t *d;
  char *out = dec(raw, n, "windows-1258", &d, NULL);
  char *want = ref_nfc(text);
  assert_string_equal(out, want);
  free(want);
  free(out);
  free(raw);
  free(text);
  vc_diag_free(d);
}

/* ---------------------------------------------------------- the reader */

static void reader_reports_what_it_used(void **st) {
  (void)st;
  /* ';' separated, blank and space-only lines, a record of delimiters */
  const char text[] = "\n  \nHọ tên;Lớp\n\nAn;5A\n;\nBình;5B\n";
  size_t n;
  char *raw = encode("CP1258", text, &n);
  const char *path = tmpfile_with(raw, n);
  vc_diag_t *d = vc_diag_create();
  vc_read_info_t info;
  vc_read_opts_t o = {.encoding = "windows-1258"};
  vc_table_t *t = vc_input_read(path, &o, &info, d);
  assert_non_null(t);
  assert_int_equal(vc_diag_count(d), 0);
  assert_string_equal(info.encoding, "Windows-1258");
  assert_int_equal(info.delimiter, ';');
  assert_int_equal(info.skipped_lines, 4);
  assert_int_equal(vc_table_nrows(t), 2);
  assert_string_equal(vc_table_get(t, 1, 0), "Bình");
  assert_int_equal(vc_table_row_line(t, 1), 7);
  vc_table_free(t);
  /* --sheet has no meaning for a text file */
  o.sheet = "Sheet1";
  assert_null(vc_input_read(path, &o, &info, d));
  assert_int_equal(need(d, "--sheet is for workbooks")->status, VC_E_USAGE);
  vc_diag_free(d);
  unlink(path);
  free(raw);
  /* without the option: refused, with the encoding named */
  raw = encode("CP1258", LIST, &n);
  path = tmpfile_with(raw, n);
  d = vc_diag_create();
  assert_null(vc_input_read(path, NULL, &info, d));
  const vc_diag_item_t *it = need(d, "--encoding windows-1258");
  assert_string_equal(it->file, path);
  vc_diag_free(d);
  unlink(path);
  free(raw);
}

static void reader_file_problems(void **st) {
  (void)st;
  vc_diag_t *d = vc_diag_create();
  assert_null(vc_input_read("/nonexistent-vncert-dir/list.csv", NULL, NULL, d));
  assert_int_equal(need(d, "the folder /nonexistent-vncert-dir does not exist")->status, VC_E_IO);
  assert_null(vc_input_read("/tmp/no-such-vncert-list.csv", NULL, NULL, d));
  need(d, "there is no such file");
  assert_null(vc_input_read("/tmp", NULL, NULL, d));
  need(d, "this is a folder, not a file");
  /* an .xls (OLE2) is named, not called "not UTF-8" */
  const char ole[] = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0\0";
  const char *path = tmpfile_with(ole, sizeof ole - 1);
  assert_null(vc_input_read(path, NULL, NULL, d));
  need(d, "Excel 97-2003 workbook (.xls)");
  unlink(path);
  /* an unknown --encoding before the file is even opened */
  vc_read_opts_t o = {.encoding = "koi8-r"};
  assert_null(vc_input_read("/tmp/no-such-vncert-list.csv", &o, NULL, d));
  assert_int_equal(vc_diag_status(d), VC_E_IO); /* the first problem recorded */
  need(d, "unknown encoding \"koi8-r\"");
  vc_diag_free(d);
  /* empty file: the CSV reader's message */
  path = tmpfile_with("", 0);
  d = vc_diag_create();
  vc_read_info_t info;
  assert_null(vc_input_read(path, NULL, &info, d));
  need(d, "the file is empty");
  assert_string_equal(info.encoding, "UTF-8");
  vc_diag_free(d);
  unlink(path);
}

/* CSV skipped-line counting, through csv.c's new entry point. */
static void csv_info_counts_skipped_lines(void **st) {
  (void)st;
  vc_diag_t *d = vc_diag_create();
  vc_csv_info_t ci;
  const char text[] = "\r\na\tb\r\n \t \r\n1\t\"x\n\ny\"\r\n\t\r\n\r\n2\t3";
  vc_table_t *t = vc_csv_read_mem_info(text, sizeof text - 1, "t.csv", d, &ci);
  assert_non_null(t);
  assert_int_equal(vc_diag_count(d), 0);
  assert_int_equal(ci.delimiter, '\t');
  assert_int_equal(ci.skipped_lines, 4); /* lines 1, 3, 7, 8; not 5-6 (quoted) */
  assert_int_equal(vc_table_nrows(t), 2);
  assert_int_equal(vc_table_row_line(t, 1), 9);
  vc_table_free(t);
  vc_diag_free(d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(utf16le_bom_tab_needs_no_option),
      cmocka_unit_test(utf16be_bom),
      cmocka_unit_test(utf16_without_bom),
      cmocka_unit_test(utf16_damaged),
      cmocka_unit_test(windows_1258_gives_nfc),
      cmocka_unit_test(tcvn3_precomposed_combining_and_flush),
      cmocka_unit_test(undefined_byte_is_located),
      cmocka_unit_test(nfd_utf8_comes_out_nfc),
      cmocka_unit_test(syllables),
      cmocka_unit_test(detection_both_ways),
      cmocka_unit_test(detection_abstains),
      cmocka_unit_test(refusal_names_the_encoding),
      cmocka_unit_test(detection_starts_at_the_first_letter),
      cmocka_unit_test(stray_bytes_in_utf8_are_listed),
      cmocka_unit_test(bom_and_option),
      cmocka_unit_test(code_page_on_utf8_is_refused),
      cmocka_unit_test(wrong_code_page_is_refused),
      cmocka_unit_test(crlf_becomes_lf),
      cmocka_unit_test(encoding_names),
      cmocka_unit_test(caps),
      cmocka_unit_test(long_line_nfc),
      cmocka_unit_test(reader_reports_what_it_used),
      cmocka_unit_test(reader_file_problems),
      cmocka_unit_test(csv_info_counts_skipped_lines),
      cmocka_unit_test(stream_equals_decode),
      cmocka_unit_test(stream_long_lines),
      cmocka_unit_test(stream_refuses_what_decode_refuses),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
