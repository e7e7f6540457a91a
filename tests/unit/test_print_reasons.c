/* test_print_reasons.c - CUPS's reasons as a person reads them
 * (vc_print_reasons_text), in English and in Vietnamese, without a CUPS
 * server.  Vietnamese: LANGUAGE=vi over C.UTF-8 (no vi_VN locale needed),
 * the catalogue build/locale (found beside build/tests/, or
 * VNCERT_LOCALEDIR). */
#include "testutil.h"

#include <locale.h>

#include "core/i18n.h"
#include "print/print.h"

/* Switches the messages' language: "vi", or NULL for English. */
static void language(const char *lang) {
  if (lang) setenv("LANGUAGE", lang, 1);
  else unsetenv("LANGUAGE");
  /* gettext keeps what it found per locale name, not per LANGUAGE: a
   * change of locale makes it look again */
  setlocale(LC_ALL, "C");
  setlocale(LC_ALL, "C.UTF-8");
}

static const char *text(const char *reasons) {
  static char buf[1024];
  return vc_print_reasons_text(reasons, buf, sizeof buf);
}

/* English: the keywords themselves, so output and the scripts that grep it
 * do not change; "none" says nothing. */
static void test_english(void **state) {
  language(NULL);
  assert_string_equal(text("media-empty-warning"), "media-empty-warning");
  assert_string_equal(text("paused, media-jam-error, toner-low-report"),
                      "paused, media-jam-error, toner-low-report");
  assert_string_equal(text("job-canceled-by-user"), "job-canceled-by-user");
  assert_string_equal(text("none"), "");
  assert_string_equal(text(""), "");
  assert_string_equal(text(NULL), "");
  assert_string_equal(text("none, paused"), "paused");
  assert_string_equal(text("com.acme-widget-jam-error"), "com.acme-widget-jam-error");
}

/* Vietnamese: each keyword described, its severity said apart; a vendor's
 * keyword (suffix included) as it is. */
static void test_vietnamese(void **state) {
  language("vi");
  if (!strcmp(_("stopped"), "stopped")) fail_msg("no Vietnamese catalogue (make all first)");
  assert_string_equal(text("media-empty"), "hết giấy");
  assert_string_equal(text("media-empty-warning"), "hết giấy (cảnh báo)");
  assert_string_equal(text("media-low-report"), "sắp hết giấy (thông báo)");
  assert_string_equal(text("media-jam-error, cover-open"),
                      "kẹt giấy (báo lỗi), nắp máy in đang mở");
  assert_string_equal(text("none, paused"), "đã tạm dừng");
  assert_string_equal(text("none"), "");
  assert_string_equal(text("job-canceled-by-user"), "người dùng đã hủy lệnh in");
  assert_string_equal(text("com.acme-widget-jam-error, paused"),
                      "com.acme-widget-jam-error, đã tạm dừng");
  assert_string_equal(text("acme-warning"), "acme-warning"); /* not ours: kept whole */
  language(NULL);
}

/* A progress line in Vietnamese: the job's and the printer's reasons
 * described, the printer's own words in quotes, untouched. */
static void test_progress_line(void **state) {
  vc_print_progress_t pr = {7, "slow", "processing (job-printing)", "job-printing", 2,
                            VC_PRINTER_PROCESSING, "none, media-empty-error", "Paper out"};
  char line[512];
  language(NULL);
  assert_string_equal(vc_print_progress_line(&pr, line, sizeof line),
                      "job 7 on 'slow': processing (job-printing), 2 pages printed; printer: "
                      "media-empty-error: \"Paper out\"");
  pr.printer_reasons = "none";
  assert_string_equal(vc_print_progress_line(&pr, line, sizeof line),
                      "job 7 on 'slow': processing (job-printing), 2 pages printed; printer: "
                      "\"Paper out\"");
  language("vi");
  pr.printer_reasons = "media-empty-error";
  vc_print_progress_line(&pr, line, sizeof line);
  assert_non_null(strstr(line, "đang in (đang in ra giấy)"));
  assert_non_null(strstr(line, "hết giấy (báo lỗi): \"Paper out\""));
  assert_null(strstr(line, "media"));
  language(NULL);
}

/* A buffer too small is cut, never overrun; a zero-size one is left alone. */
static void test_small_buffer(void **state) {
  char small[8], none[1] = {'x'};
  language(NULL);
  vc_print_reasons_text("media-empty-warning, paused", small, sizeof small);
  assert_string_equal(small, "media-e");
  assert_ptr_equal(vc_print_reasons_text("paused", none, 0), none);
  assert_int_equal(none[0], 'x');
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_english),
      cmocka_unit_test(test_vietnamese),
      cmocka_unit_test(test_progress_line),
      cmocka_unit_test(test_small_buffer),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
