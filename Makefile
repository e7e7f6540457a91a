# vncert - award certificates and receipts for Vietnamese schools.
#   make demo    install missing packages, build, render the shipped examples
#   make test    the whole test suite (unit, end-to-end, again in Vietnamese (vi_VN) and under
#                tr_TR, ASan+UBSan, TSan, fuzz)
#   make bench   speed against ReportLab (../shared/bench), and the kiosk under load
#   make install PREFIX=/usr/local DESTDIR=  (the command, its templates and fonts,
#                and the library: libvncert.a, vncert.h, vncert.pc)

PREFIX  ?= /usr/local
DESTDIR ?=
BUILD   ?= build
CC      ?= cc

PKGS    := fontconfig freetype2 libutf8proc yaml-0.1 libpng zlib libzip expat \
           sqlite3 libpq libsodium libqrencode libqpdf jansson poppler-glib cairo \
           libmicrohttpd
# CFLAGS/LDFLAGS are the user's (optimisation, sanitizers); the project's own
# flags are added separately so overriding CFLAGS on the command line keeps them.
CFLAGS  ?= -O2 -g
VC_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wno-unused-parameter \
           -Wstrict-prototypes -Wmissing-prototypes -Isrc \
           $(shell pkg-config --cflags $(PKGS) 2>/dev/null) \
           -DVC_DATADIR='"$(PREFIX)/share/vncert"' -DVC_LOCALEDIR='"$(PREFIX)/share/locale"'
VC_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lhpdf -lcsv -lpthread -lm
# libcups (src/print): Debian 12's libcups2-dev has cups-config, no cups.pc.
VC_CFLAGS += $(shell cups-config --cflags 2>/dev/null)
VC_LIBS += $(shell cups-config --libs 2>/dev/null || echo -lcups)

LIB_SRC := $(sort $(filter-out src/cli/% src/kiosk/%,$(wildcard src/*/*.c)))
CLI_SRC := $(sort $(wildcard src/cli/*.c))
# The kiosk (issue 12): a front end like the CLI, linked into the command.
# Its pages (src/kiosk/www/*, any file put there) and the bundled Noto Sans
# are built in: xxd -i into one generated file and a table name -> bytes.
KIOSK_SRC := $(sort $(wildcard src/kiosk/*.c))
KIOSK_WWW := $(sort $(wildcard src/kiosk/www/*.*)) fonts/NotoSans/NotoSans-Regular.ttf \
             fonts/NotoSans/NotoSans-Bold.ttf
KIOSK_GEN := $(BUILD)/gen/kiosk-assets.c
KIOSK_LIST := $(BUILD)/gen/kiosk-www.list
KIOSK_OBJ := $(KIOSK_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/kiosk-assets.o
# The verification page's sources, built into the library (vncert verify-page):
# xxd -i into one generated file, its arrays const (src/verify/page-assets.h).
PAGE_SRC := src/verify/page/page.html src/verify/page/page.css src/verify/page/page.js \
            src/verify/page/vendor/noble-ed25519.js
PAGE_GEN := $(BUILD)/gen/page-assets.c
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/page-assets.o
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/%.o)
# The version, from the public header (vncert.pc says it too).
VERSION := $(shell sed -n 's/^\#define VNCERT_VERSION "\(.*\)"/\1/p' src/vncert.h)
HEADERS := $(wildcard src/*.h src/*/*.h)
# The message catalogues (po/LANG.po), compiled where the program finds them.
PO_LANGS := vi
MO := $(PO_LANGS:%=$(BUILD)/locale/%/LC_MESSAGES/vncert.mo)
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

.PHONY: FORCE all deps demo test check-unit check-e2e check-threads bench install uninstall clean fuzz \
        fuzz-long hpdf-check lint-size pot po-update check-po check-e2e-vi

all: $(BUILD)/vncert $(MO)

deps:
	@scripts/deps.sh build

# libharu: the repairs in src/render use 2.3.0's private structures
# (src/render/hpdf-pin.h refuses any other version too, in compiler words);
# this says it in plain words before anything is compiled.
hpdf-check:
	@v=$$(printf '#include <hpdf_version.h>\nHPDF_VERSION_TEXT\n' | \
	  $(CC) $(CFLAGS) $(CPPFLAGS) -E -P -x c - 2>/dev/null | tr -d '" ' | tail -1); \
	if [ "$$v" != 2.3.0 ]; then \
	  case "$$v" in [0-9]*) found="libharu $$v was found";; \
	    *) found="libharu's headers (hpdf_version.h) were not found";; esac; \
	  echo "vncert needs libharu (libhpdf) version 2.3.0 exactly, but $$found."; \
	  echo "Its repairs (src/render/hpdf-fix.c, hpdf-slim.c, pdf-split.c) use the private"; \
	  echo "structures of 2.3.0, so any other version is refused rather than risk broken PDFs."; \
	  echo "What to do: install Debian 12's libhpdf-dev 2.3.0+dfsg-1 (make deps, or"; \
	  echo "apt-get install libhpdf-dev), or point CFLAGS and LDFLAGS at a libharu 2.3.0 build."; \
	  exit 1; \
	fi

$(BUILD)/%.o: %.c $(HEADERS) | hpdf-check
	@mkdir -p $(dir $@)
	$(CC) $(VC_CFLAGS) $(CFLAGS) -c -o $@ $<

$(PAGE_GEN): $(PAGE_SRC) src/verify/page-assets.h
	@mkdir -p $(dir $@)
	@{ echo '#include "verify/page-assets.h"'; \
	  for f in $(PAGE_SRC); do \
	    xxd -i -n vc__asset_$$(basename $$f | tr '.-' '__') $$f | sed 's/^unsigned/const unsigned/'; \
	  done; } > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/page-assets.o: $(PAGE_GEN) | hpdf-check
	$(CC) $(VC_CFLAGS) $(CFLAGS) -c -o $@ $<

# One array per file (vc__kasset_N) and the table vc__kiosk_assets naming them
# by the file's base name (src/kiosk/kiosk-assets.h).
# The list of files, rewritten only when it changes: a file removed from www/
# makes the table again too.
$(KIOSK_LIST): FORCE
	@mkdir -p $(dir $@)
	@echo '$(KIOSK_WWW)' | cmp -s - $@ || echo '$(KIOSK_WWW)' > $@
$(KIOSK_GEN): $(KIOSK_WWW) $(KIOSK_LIST) src/kiosk/kiosk-assets.h
	@mkdir -p $(dir $@)
	@{ echo '#include "kiosk/kiosk-assets.h"'; n=0; \
	  for f in $(KIOSK_WWW); do \
	    xxd -i -n vc__kasset_$$n $$f | sed -e '/_len = /d' -e 's/^unsigned/static const unsigned/'; \
	    n=$$((n+1)); \
	  done; echo 'const vc__asset_t vc__kiosk_assets[] = {'; n=0; \
	  for f in $(KIOSK_WWW); do \
	    echo "  {\"$$(basename $$f)\", vc__kasset_$$n, sizeof vc__kasset_$$n},"; n=$$((n+1)); \
	  done; echo '  {0, 0, 0}};'; } > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/kiosk-assets.o: $(KIOSK_GEN) | hpdf-check
	$(CC) $(VC_CFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/libvncert.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/vncert: $(CLI_OBJ) $(KIOSK_OBJ) $(BUILD)/libvncert.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(CLI_OBJ) $(KIOSK_OBJ) $(BUILD)/libvncert.a $(VC_LIBS) $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c tests/unit/testutil.h tests/unit/testpng.h $(BUILD)/libvncert.a
	@mkdir -p $(dir $@)
	$(CC) $(VC_CFLAGS) $(CFLAGS) $(shell pkg-config --cflags xlsxwriter jansson 2>/dev/null) -Itests/unit $(LDFLAGS) -o $@ $< $(BUILD)/libvncert.a $(VC_LIBS) $(LDLIBS) -lcmocka \
	  $(shell pkg-config --libs xlsxwriter jansson 2>/dev/null)

# Tests that read the messages in Vietnamese need the catalogue.
$(BUILD)/tests/test_print_reasons: $(MO)

# The kiosk's pure parts (sessions, tickets, limits, PIN) without its server
# and the desk under it (those are tested end to end).
KIOSK_PURE := $(addprefix $(BUILD)/src/kiosk/,kiosk-session.o kiosk-ticket.o kiosk-limit.o kiosk-pin.o)
$(BUILD)/tests/test_kiosk: tests/unit/test_kiosk.c tests/unit/testutil.h $(KIOSK_PURE) $(BUILD)/libvncert.a
	@mkdir -p $(dir $@)
	$(CC) $(VC_CFLAGS) $(CFLAGS) -Itests/unit $(LDFLAGS) -o $@ $< $(KIOSK_PURE) $(BUILD)/libvncert.a \
	  $(VC_LIBS) $(LDLIBS) -lcmocka

# The two README commands --------------------------------------------------
demo:
	@scripts/deps.sh build
	@$(MAKE) --no-print-directory all
	@scripts/demo.sh $(BUILD)/vncert

test:
	@scripts/deps.sh test
	@scripts/test.sh

# Pieces the test script calls ------------------------------------------------
# Tests see only the fonts tests/tools/test-fonts.sh lists (FONTCONFIG_FILE),
# whatever else this machine has installed.
TEST_FONTS = FONTCONFIG_FILE=$$(tests/tools/test-fonts.sh $(BUILD)/test-fonts) && export FONTCONFIG_FILE &&
check-unit: $(UNIT_BIN)
	@$(TEST_FONTS) tests/run-unit.sh $(UNIT_BIN)

check-e2e: $(BUILD)/vncert $(MO)
	@$(TEST_FONTS) tests/e2e/run.sh $(BUILD)/vncert
# The e2e suite in Vietnamese: its checks read the output back-translated
# (tests/tools/vi_messages.py), English left in it fails (part of `make test`).
check-e2e-vi: $(BUILD)/vncert $(MO)
	@$(TEST_FONTS) env -u LC_ALL LANG=vi_VN.UTF-8 tests/e2e/run.sh $(BUILD)/vncert

# The tests of the code that runs threads; `make test` runs them again in a
# ThreadSanitizer build (BUILD=build-tsan CFLAGS=-fsanitize=thread).
THREAD_UNIT := $(BUILD)/tests/test_fontset $(BUILD)/tests/test_pdf_split $(BUILD)/tests/test_api \
               $(BUILD)/tests/test_desk
check-threads: $(BUILD)/vncert $(THREAD_UNIT)
	@$(TEST_FONTS) tests/threads.sh $(BUILD)/vncert $(THREAD_UNIT)

# Functions over 80 lines in src/ (docs/HACKING.md: split where a reader is
# helped): listed longest first, and a failure when there is any.
lint-size:
	@out=$$(find src -name '*.c' | sort | xargs awk -v MAX=80 -f scripts/fn-size.awk); \
	if [ -n "$$out" ]; then echo "functions over 80 lines:"; echo "$$out" | sort -rn; exit 1; fi

FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/fuzz/%)
# The library is compiled once for all targets (it was once per target: most
# of CI's fuzz time), instrumented for coverage without libFuzzer's main.
FUZZ_CC := clang -std=gnu11 -g -O1 -fsanitize=address,undefined -Isrc $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
FUZZ_OBJ := $(LIB_SRC:%.c=$(BUILD)/fuzz/obj/%.o) $(BUILD)/fuzz/obj/page-assets.o
$(BUILD)/fuzz/obj/%.o: %.c $(HEADERS) | hpdf-check
	@mkdir -p $(dir $@)
	@$(FUZZ_CC) -fsanitize=fuzzer-no-link -c -o $@ $<
$(BUILD)/fuzz/obj/page-assets.o: $(PAGE_GEN) | hpdf-check
	@mkdir -p $(dir $@)
	@$(FUZZ_CC) -fsanitize=fuzzer-no-link -c -o $@ $<
$(BUILD)/fuzz/libvncert-fuzz.a: $(FUZZ_OBJ)
	@rm -f $@
	@ar rcs $@ $^
$(FUZZ_BIN): $(BUILD)/fuzz/%: tests/fuzz/%.c tests/fuzz/fuzzutil.h $(BUILD)/fuzz/libvncert-fuzz.a
	@mkdir -p $(dir $@)
	$(FUZZ_CC) -fsanitize=fuzzer -o $@ $< $(BUILD)/fuzz/libvncert-fuzz.a $(VC_LIBS)
fuzz: $(FUZZ_BIN)

# Release check: each target for FUZZ_TIME seconds (default 10 minutes; a
# leak in the template loader needed that long to show).  The corpus grows
# under $(BUILD)/fuzz/corpus between runs; `make test` keeps its short runs.
# FUZZ_TARGETS="fuzz_template ..." limits the run to those targets.
FUZZ_TIME ?= 600
FUZZ_TARGETS ?=
fuzz-long: $(if $(FUZZ_TARGETS),$(FUZZ_TARGETS:%=$(BUILD)/fuzz/%),$(FUZZ_BIN))
	@FUZZ_NOBUILD=1 FUZZ_TIME=$(FUZZ_TIME) FUZZ_CORPUS=$(BUILD)/fuzz/corpus BUILD=$(BUILD) \
	  FUZZ_TARGETS="$(FUZZ_TARGETS)" tests/fuzz/run.sh

bench: $(BUILD)/vncert $(BUILD)/read_bench $(BUILD)/xlsx-bench $(BUILD)/record_bench \
       $(BUILD)/ledger_bench $(BUILD)/print_bench $(BUILD)/verify_bench $(BUILD)/desk_bench
	@scripts/deps.sh bench
	@bench/run.sh $(BUILD)/vncert
	@$(BUILD)/ledger_bench --pg
	@$(BUILD)/verify_bench
	@bench/kiosk-bench.sh $(BUILD)/vncert

# Reading speed per encoding path and the .xlsx writer for it (bench/run.sh
# finds both beside the binary).
$(BUILD)/read_bench: bench/read_bench.c $(BUILD)/libvncert.a
	$(CC) $(VC_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libvncert.a $(VC_LIBS)

# One record to memory through the public API (vc_record_render), as the
# kiosk does; only vncert.h, like any front end.
$(BUILD)/record_bench: bench/record_bench.c $(BUILD)/libvncert.a
	$(CC) -Isrc $(CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libvncert.a $(VC_LIBS)

# The print desk's preview PNG (issue 12, point 2); only vncert.h.
$(BUILD)/desk_bench: bench/desk_bench.c $(BUILD)/libvncert.a
	$(CC) -Isrc $(CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libvncert.a $(VC_LIBS)

# Start to job accepted by CUPS for one certificate (issue 10, point 7).
$(BUILD)/print_bench: bench/print_bench.c $(BUILD)/libvncert.a
	$(CC) $(VC_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libvncert.a $(VC_LIBS)

# The issuance ledger's speed on SQLite and PostgreSQL (issue 9, point 8).
$(BUILD)/ledger_bench: bench/ledger_bench.c $(BUILD)/libvncert.a
	$(CC) $(VC_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libvncert.a $(VC_LIBS)

# Signing and verifying one QR code's payload (issue 11, point 4).
$(BUILD)/verify_bench: bench/verify_bench.c $(BUILD)/libvncert.a
	$(CC) $(VC_CFLAGS) $(CFLAGS) $(LDFLAGS) -o $@ $< $(BUILD)/libvncert.a $(VC_LIBS)

$(BUILD)/xlsx-bench: bench/xlsx-bench.c $(BUILD)/libvncert.a
	$(CC) $(VC_CFLAGS) $(CFLAGS) $(shell pkg-config --cflags xlsxwriter 2>/dev/null) $(LDFLAGS) -o $@ $< \
	  $(BUILD)/libvncert.a $(VC_LIBS) $(shell pkg-config --libs xlsxwriter 2>/dev/null)

# vncert.pc is made for this PREFIX from vncert.pc.in.  libvncert.a is a
# static library: `pkg-config --static --cflags --libs vncert`.
# Messages (issue 14) ---------------------------------------------------------
# po/vncert.pot: every marked string of src/ (xgettext; the keywords are the
# functions that translate their format themselves, see src/core/i18n.h).
# po/LANG.po: its translation, compiled into build/locale (where the built
# program finds it) and installed under share/locale.
XGETTEXT_KW := --keyword=_ --keyword=N_ --keyword=vc__gettext --keyword=vc__ngettext:1,2 \
  --keyword=vc_diag_add:6 --keyword=vc_diag_addv:6 --keyword=vc__why_fail:3 \
  --keyword=vc__wb_xml_fail:3 --keyword=vc__wb_sink_problem:4 --keyword=problem:3 \
  --keyword=vc__ledger_fail:4 --keyword=vc__tctx_err:4 --keyword=vc__tctx_err_at:5 \
  --keyword=perr:4 --keyword=warn:2 --keyword=usage_error:2
POT_SRC = $(sort $(wildcard src/*/*.c src/*/*.h))

$(BUILD)/locale/%/LC_MESSAGES/vncert.mo: po/%.po
	@mkdir -p $(dir $@)
	@msgfmt --check -o $@.tmp $< && mv $@.tmp $@

# The template of the catalogues, made again from the sources.
pot:
	@xgettext --from-code=UTF-8 --language=C --add-comments=TRANSLATORS: $(XGETTEXT_KW) \
	  --package-name=vncert --package-version=$(VERSION) --msgid-bugs-address="vncert issues" \
	  --sort-by-file -o po/vncert.pot $(POT_SRC)
# The catalogues brought up to the sources (new strings untranslated).
po-update: pot
	@for l in $(PO_LANGS); do msgmerge -q --update --backup=none po/$$l.po po/vncert.pot && msgattrib --no-obsolete -o po/$$l.po po/$$l.po; done
# Every string of the sources translated, none fuzzy (a test: scripts/check-po.sh).
check-po:
	@scripts/check-po.sh $(PO_LANGS)

install: $(BUILD)/vncert $(BUILD)/libvncert.a $(MO)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/vncert/templates $(DESTDIR)$(PREFIX)/share/vncert/fonts
	install -d $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/include
	install -m 755 $(BUILD)/vncert $(DESTDIR)$(PREFIX)/bin/vncert
	install -m 644 $(BUILD)/libvncert.a $(DESTDIR)$(PREFIX)/lib/libvncert.a
	install -m 644 src/vncert.h $(DESTDIR)$(PREFIX)/include/vncert.h
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(VERSION)|g' -e 's|@REQUIRES@|$(filter-out libpq poppler-glib cairo libmicrohttpd,$(PKGS))|g' \
	  vncert.pc.in >$(DESTDIR)$(PREFIX)/lib/pkgconfig/vncert.pc
	chmod 644 $(DESTDIR)$(PREFIX)/lib/pkgconfig/vncert.pc
	cp -R templates/. $(DESTDIR)$(PREFIX)/share/vncert/templates/
	cp -R fonts/. $(DESTDIR)$(PREFIX)/share/vncert/fonts/
	for l in $(PO_LANGS); do install -d $(DESTDIR)$(PREFIX)/share/locale/$$l/LC_MESSAGES; \
	  install -m 644 $(BUILD)/locale/$$l/LC_MESSAGES/vncert.mo $(DESTDIR)$(PREFIX)/share/locale/$$l/LC_MESSAGES/vncert.mo; done

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/vncert
	rm -f $(DESTDIR)$(PREFIX)/lib/libvncert.a $(DESTDIR)$(PREFIX)/include/vncert.h
	rm -f $(DESTDIR)$(PREFIX)/lib/pkgconfig/vncert.pc
	rm -rf $(DESTDIR)$(PREFIX)/share/vncert
	for l in $(PO_LANGS); do rm -f $(DESTDIR)$(PREFIX)/share/locale/$$l/LC_MESSAGES/vncert.mo; done

clean:
	rm -rf build build-* out
