/*
 * hpdf-pin.h - the one libharu version vncert's repairs were checked
 * against.  hpdf-fix.c, hpdf-slim.c, pdf-png.c, pdf-split.c read and write
 * libharu 2.3.0's private structures (hpdf_objects.h, hpdf_fontdef.h,
 * hpdf_doc.h...); another version may lay them out differently and the
 * repairs would then corrupt memory or PDFs silently.  So any other version
 * is refused when compiling (the Makefile says the same before compiling;
 * tests/unit/test_hpdf_abi.c checks the layout itself).
 */
#ifndef VC_HPDF_PIN_H
#define VC_HPDF_PIN_H

#include <hpdf_version.h>

#define VC_HPDF_PINNED_TEXT "2.3.0"

#if !defined(HPDF_MAJOR_VERSION) || HPDF_MAJOR_VERSION != 2 || \
    HPDF_MINOR_VERSION != 3 || HPDF_BUGFIX_VERSION != 0
#ifdef HPDF_VERSION_TEXT
#pragma message("libharu found: " HPDF_VERSION_TEXT " (hpdf_version.h)")
#endif
#error "vncert needs libharu (libhpdf) 2.3.0 exactly: its repairs use 2.3.0's private structures. Install Debian 12's libhpdf-dev (2.3.0+dfsg-1), e.g. apt-get install libhpdf-dev=2.3.0+dfsg-1+b1, or point CFLAGS/LDFLAGS at a 2.3.0 build."
#endif

#endif
