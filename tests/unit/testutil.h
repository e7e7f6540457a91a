/* testutil.h - common includes for the cmocka unit tests. */
#ifndef VC_TESTUTIL_H
#define VC_TESTUTIL_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

/* Asserts that a freshly allocated string equals want, then frees it. */
#define assert_str_take(got, want)                                             \
  do {                                                                         \
    char *got_ = (got);                                                        \
    assert_non_null(got_);                                                     \
    assert_string_equal(got_, (want));                                         \
    free(got_);                                                                \
  } while (0)
#endif
