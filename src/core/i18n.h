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

#define VC_TEXTDOMAIN "vncert"

/* The translation of msgid in the current LC_MESSAGES, or msgid itself;
 * the result is static (owned by the catalogue), never freed. */
const char *vc__gettext(const char *msgid) __attribute__((format_arg(1)));
/* The form for n of a message with a plural (English: one, many). */
const char *vc__ngettext(const char *one, const char *many, unsigned long n)
    __attribute__((format_arg(1), format_arg(2)));

#define _(s) vc__gettext(s)
#define N_(s) (s) /* marked for xgettext, translated where it is shown */

#endif
