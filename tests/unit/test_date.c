/* test_date.c - parsing and the Nghị định 30/2020 date line. */
#include "testutil.h"

#include <locale.h>

#include "core/date.h"

static void parse_accepted_forms(void **state) {
  static const struct { const char *s; int y, m, d; } ok[] = {
      {"2025-01-05", 2025, 1, 5}, {"05/01/2025", 2025, 1, 5},
      {"5/1/2025", 2025, 1, 5},   {"05-01-2025", 2025, 1, 5},
      {"05.01.2025", 2025, 1, 5}, {"2025/01/05", 2025, 1, 5},
      {"2025-1-5", 2025, 1, 5},   {"19/12/2024", 2024, 12, 19},
      {"29/02/2024", 2024, 2, 29}, {"29/02/2000", 2000, 2, 29},
      {"31/12/2999", 2999, 12, 31}, {"01/01/1900", 1900, 1, 1},
      {"30/04/1975", 1975, 4, 30}, {"31/01/2023", 2023, 1, 31},
  };
  for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
    vc_date_t d = {0, 0, 0};
    char why[128] = "";
    if (!vc_date_parse(ok[i].s, &d, why, sizeof why))
      fail_msg("rejected '%s': %s", ok[i].s, why);
    assert_int_equal(d.year, ok[i].y);
    assert_int_equal(d.month, ok[i].m);
    assert_int_equal(d.day, ok[i].d);
  }
}

static void parse_rejects(void **state) {
  static const char *const bad[] = {
      "31/02/2024", "29/02/2023", "29/02/1900", "30/02/2024", "31/04/2024",
      "31/06/2024", "31/09/2024", "31/11/2024", "01/13/2024", "00/01/2024",
      "32/01/2024", "01/00/2024", "31/12/1899", "01/01/3000", "",
      "abc",        "05/01/25",   "05/01-2025", "5/1/2025 ",  " 5/1/2025",
      "05/01/2025 10:00", "2025-01-05T00:00", "1/2/3/4", "005/01/2025",
      "05/001/2025", "05/01/02025", "-1/01/2025", "2025-001-05", "2025-01",
      "05/01/", "/01/2025", "05//2025", "2025-13-01", "2025-02-30",
      "ngày 05 tháng 01 năm 2025", "45662", "05 01 2025", "05/01/2025/",
      "99999/01/2025"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    vc_date_t d = {7, 7, 7};
    char why[128] = "";
    if (vc_date_parse(bad[i], &d, why, sizeof why))
      fail_msg("accepted '%s' as %d-%d-%d", bad[i], d.year, d.month, d.day);
    assert_int_equal(d.year, 7); /* untouched */
    if (!why[0]) fail_msg("no reason for '%s'", bad[i]);
  }
  assert_false(vc_date_parse(NULL, NULL, NULL, 0));
}

static void valid_calendar(void **state) {
  assert_true(vc_date_valid((vc_date_t){2024, 2, 29}));
  assert_false(vc_date_valid((vc_date_t){2023, 2, 29}));
  assert_false(vc_date_valid((vc_date_t){2100, 2, 29}));
  assert_true(vc_date_valid((vc_date_t){2400, 2, 29}));
  assert_false(vc_date_valid((vc_date_t){2024, 0, 1}));
  assert_false(vc_date_valid((vc_date_t){2024, 13, 1}));
  assert_false(vc_date_valid((vc_date_t){1899, 12, 31}));
  assert_false(vc_date_valid((vc_date_t){3000, 1, 1}));
  assert_false(vc_date_valid((vc_date_t){2024, 4, 31}));
}

static void format_line_zero_rule(void **state) {
  static const struct { vc_date_t d; const char *want; } c[] = {
      {{2025, 1, 5}, "ngày 05 tháng 01 năm 2025"},
      {{2023, 3, 12}, "ngày 12 tháng 3 năm 2023"},
      {{2024, 12, 19}, "ngày 19 tháng 12 năm 2024"},
      {{2024, 2, 29}, "ngày 29 tháng 02 năm 2024"},
      {{2024, 10, 1}, "ngày 01 tháng 10 năm 2024"},
      {{2024, 11, 9}, "ngày 09 tháng 11 năm 2024"},
      {{2024, 9, 10}, "ngày 10 tháng 9 năm 2024"},
      {{1900, 1, 1}, "ngày 01 tháng 01 năm 1900"},
  };
  for (size_t i = 0; i < sizeof c / sizeof *c; i++) {
    char out[64];
    assert_true(vc_date_format_line(c[i].d, out, sizeof out));
    assert_string_equal(out, c[i].want);
  }
  /* Every month with day 10: zero only before 1 and 2. */
  static const char *const month[12] = {"01", "02", "3", "4", "5", "6",
                                        "7",  "8",  "9", "10", "11", "12"};
  for (int m = 1; m <= 12; m++) {
    char out[64], want[64];
    assert_true(vc_date_format_line((vc_date_t){2024, m, 10}, out, sizeof out));
    snprintf(want, sizeof want, "ngày 10 tháng %s năm 2024", month[m - 1]);
    assert_string_equal(out, want);
  }
}

static void format_limits(void **state) {
  char out[64];
  const char *want = "ngày 05 tháng 01 năm 2025";
  assert_true(vc_date_format_line((vc_date_t){2025, 1, 5}, out, strlen(want) + 1));
  assert_string_equal(out, want);
  assert_false(vc_date_format_line((vc_date_t){2025, 1, 5}, out, strlen(want)));
  assert_string_equal(out, "");
  assert_false(vc_date_format_line((vc_date_t){2023, 2, 29}, out, sizeof out));
  assert_false(vc_date_format_line((vc_date_t){0, 0, 0}, out, sizeof out));
  assert_false(vc_date_format_short((vc_date_t){2024, 13, 1}, out, sizeof out));
  assert_true(vc_date_format_short((vc_date_t){2025, 1, 5}, out, 11));
  assert_false(vc_date_format_short((vc_date_t){2025, 1, 5}, out, 10));
  assert_false(vc_date_format_short((vc_date_t){2025, 1, 5}, NULL, 0));
}

static void format_short(void **state) {
  char out[32];
  assert_true(vc_date_format_short((vc_date_t){2025, 1, 5}, out, sizeof out));
  assert_string_equal(out, "05/01/2025");
  assert_true(vc_date_format_short((vc_date_t){2024, 12, 19}, out, sizeof out));
  assert_string_equal(out, "19/12/2024");
}

/* Every day of a leap and a common year survives short form and back;
 * the day counts add up to 366 and 365. */
static void roundtrip_every_day(void **state) {
  static const int years[] = {1900, 2000, 2023, 2024, 2100};
  static const int ndays[] = {365, 366, 365, 366, 365};
  for (size_t k = 0; k < sizeof years / sizeof *years; k++) {
    int count = 0;
    for (int m = 1; m <= 12; m++)
      for (int d = 1; d <= 31; d++) {
        vc_date_t in = {years[k], m, d};
        if (!vc_date_valid(in)) continue;
        count++;
        char out[32];
        vc_date_t back;
        assert_true(vc_date_format_short(in, out, sizeof out));
        assert_true(vc_date_parse(out, &back, NULL, 0));
        assert_int_equal(back.year, in.year);
        assert_int_equal(back.month, in.month);
        assert_int_equal(back.day, in.day);
      }
    assert_int_equal(count, ndays[k]);
  }
}

static void today_is_valid(void **state) {
  vc_date_t t = vc_date_today();
  assert_true(vc_date_valid(t));
  assert_true(t.year >= 2024);
}

int main(void) {
  setlocale(LC_ALL, ""); /* the suite runs again under fr_FR.UTF-8 */
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(parse_accepted_forms),
      cmocka_unit_test(parse_rejects),
      cmocka_unit_test(valid_calendar),
      cmocka_unit_test(format_line_zero_rule),
      cmocka_unit_test(format_limits),
      cmocka_unit_test(format_short),
      cmocka_unit_test(roundtrip_every_day),
      cmocka_unit_test(today_is_valid),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
