/*
 * page-assets.h - the verification page's sources (src/verify/page), built into
 * the library by the Makefile (xxd -i into $(BUILD)/gen/page-assets.c) so that an
 * installed vncert writes the page with no file beside it.  Included only from
 * src/verify and the generated file.
 */
#ifndef VC_PAGE_ASSETS_H
#define VC_PAGE_ASSETS_H

/* page.html: the page with @CSP@, @STYLE@, @DATA@ and @SCRIPT@ to fill in. */
extern const unsigned char vc__asset_page_html[];
extern const unsigned int vc__asset_page_html_len;
/* page.css: the inline style. */
extern const unsigned char vc__asset_page_css[];
extern const unsigned int vc__asset_page_css_len;
/* page.js: the verifier; runs after the vendored library, in the same module. */
extern const unsigned char vc__asset_page_js[];
extern const unsigned int vc__asset_page_js_len;
/* vendor/noble-ed25519.js: @noble/ed25519 3.2.0 (vendor/README.md). */
extern const unsigned char vc__asset_noble_ed25519_js[];
extern const unsigned int vc__asset_noble_ed25519_js_len;
#endif
