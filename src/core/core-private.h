/*
 * core-private.h - private to src/core: what its files share and nothing
 * outside uses.
 */
#ifndef VC_CORE_PRIVATE_H
#define VC_CORE_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>

/* Writes the reason for a failed parse into why (whylen bytes; nothing when
 * why is NULL) and returns false, for `return vc__why_fail(...)`.  Callers
 * format only fixed strings and %s, which no locale changes. */
bool vc__why_fail(char *why, size_t whylen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
