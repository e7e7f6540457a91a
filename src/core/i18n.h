/*
 * i18n.h - vncert's messages in the user's language (GNU gettext, issue 14).
 *
 * Every user-facing string of the library and the command is looked up in
 * the "vncert" text domain (po/vi.po): dgettext, never gettext, so a program
 * that embeds libvncert keeps its own domain.  The language is the calling
 * program's LC_MESSAGES (vncert calls setlocale; a program that does not
 * gets English).  vc_diag_add translates its format itself, so its callers
 * pass plain literals; everything else that is shown is wrapped in _().
 *
 * `_` and `N_` are the one exception to "no unprefixed macros in shared
 * headers": they are gettext's own convention, which xgettext and every
 * translator know.
 */
#ifndef VC_I18N_H
#define VC_I18N_H

#include <stdbool.h>
#include <stddef.h>

#define VC_TEXTDOMAIN "vncert"

/* The translation of msgid in the current LC_MESSAGES, or msgid itself;
 * the result is static (owned by the catalogue), never freed. */
const char *vc__gettext(const char *msgid) __attribute__((format_arg(1)));
/* The form for n of a message with a plural (English: one, many). */
const char *vc__ngettext(const char *one, const char *many, unsigned long n)
    __attribute__((format_arg(1), format_arg(2)));

/* The folder `up` levels above the running program's own folder (0: the
 * folder holding the program, 1: its parent), written into out (n bytes).
 * The catalogue and the command's fonts and templates are both found
 * beside the program this way.  Returns false when /proc/self/exe cannot
 * be read, the program is that high up, or out is too small. */
bool vc__program_dir(char *out, size_t n, int up);

#define _(s) vc__gettext(s)
#define N_(s) (s) /* marked for xgettext, translated where it is shown */

#endif
