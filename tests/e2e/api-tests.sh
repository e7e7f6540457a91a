# shellcheck shell=bash
# End-to-end tests of the public API (issue 8, point 1): `make install`
# with DESTDIR puts libvncert.a, vncert.h and vncert.pc beside the command;
# examples/api/tim-va-in.c, built against that installed copy with
# pkg-config only, finds a person by a name typed without accents, renders
# the certificate to memory and writes it; the PDF is checked from outside
# (pdftotext, pdffonts) and against the page `vncert render` draws.
# Sourced by tests/e2e/run.sh: uses its $ROOT, $W, $EX_GK, t, problem,
# first, pdf_ok.  Reuses test_install's build folder when it ran (a whole
# build takes a minute on two cores).  About 3 s after that build.

API="$W/api"
API_PREFIX="$API/prefix"

# make install DESTDIR=... (then moved into place, as a package manager
# would) and the example built against it.  Sets API_BIN, or a problem.
api_install() {
  local mf b="$W/install/b" san=""
  API_BIN=""
  mkdir -p "$API"
  mf=$(printf '%s' "${MAKEFLAGS:-}" | sed -e 's/--jobserver-[a-z]*=[^ ]*//g' -e 's/\(^\| \)-j[0-9]*//g')
  if ! MAKEFLAGS="$mf" timeout 300 make -s -C "$ROOT" -j"$(nproc)" BUILD="$b" PREFIX="$API_PREFIX" \
    DESTDIR="$API/dest" install >"$API/make.log" 2>&1; then
    problem "make DESTDIR=... install failed:"$'\n'"$(tail -5 "$API/make.log")"
    return 1
  fi
  rm -rf "$API_PREFIX"
  mv "$API/dest$API_PREFIX" "$API_PREFIX" || { problem "no $API/dest$API_PREFIX"; return 1; }
  local f
  for f in lib/libvncert.a include/vncert.h lib/pkgconfig/vncert.pc bin/vncert; do
    [ -f "$API_PREFIX/$f" ] || problem "make install did not install $f"
  done
  export PKG_CONFIG_PATH="$API_PREFIX/lib/pkgconfig"
  # the header stands alone: standard C, nothing but itself
  printf '#include <vncert.h>\nint main(void) { return vc_diag_count(0) != 0; }\n' >"$API/alone.c"
  cc -std=c99 -pedantic -Wall -Wextra -Werror -fsyntax-only -I"$API_PREFIX/include" "$API/alone.c" \
    2>"$API/alone.err" || problem "vncert.h does not compile alone (C99):"$'\n'"$(first "$API/alone.err" 6)"
  # a library built with sanitizers (the ASan run) needs them at link time
  nm "$API_PREFIX/lib/libvncert.a" 2>/dev/null | grep -q __asan_ && san="-fsanitize=address,undefined"
  # shellcheck disable=SC2046 # pkg-config's words
  if ! cc -std=c99 -Wall -Wextra -Werror $san -o "$API/tim-va-in" "$ROOT/examples/api/tim-va-in.c" \
    $(pkg-config --static --cflags --libs vncert) 2>"$API/cc.err"; then
    problem "examples/api/tim-va-in.c does not build against the installed vncert:"$'\n'"$(first "$API/cc.err" 6)"
    return 1
  fi
  API_BIN="$API/tim-va-in"
}

test_api_example() {
  api_install || return
  local tpl fonts rc
  tpl="$(pkg-config --variable=templatesdir vncert)/giay-khen.yaml"
  fonts=$(pkg-config --variable=fontsdir vncert)
  [ -f "$tpl" ] || { problem "pkg-config --variable=templatesdir vncert: no $tpl"; return; }
  (cd "$API" && timeout 60 "$API_BIN" "$tpl" "$EX_GK" "hoang thi ngoc anh" anh.pdf "$fonts" \
    >"$API/anh.out" 2>"$API/anh.err")
  rc=$?
  [ $rc -eq 0 ] || { problem "tim-va-in \"hoang thi ngoc anh\": exit $rc:"$'\n'"$(first "$API/anh.err" 6)"; return; }
  grep -q '^1\. Hoàng Thị Ngọc Ánh (K19MN)$' "$API/anh.out" ||
    problem "tim-va-in did not list Hoàng Thị Ngọc Ánh first:"$'\n'"$(first "$API/anh.out" 4)"
  pdftotext "$API/anh.pdf" "$API/anh.txt" 2>/dev/null
  grep -q 'HOÀNG THỊ NGỌC ÁNH' "$API/anh.txt" ||
    problem "pdftotext of the example's PDF lacks the name:"$'\n'"$(first "$API/anh.txt" 6)"
  pdffonts "$API/anh.pdf" 2>/dev/null | awk 'NR > 2 && $(NF-4) != "yes" {bad = 1} END {exit bad || NR < 3}' ||
    problem "pdffonts: a font of the example's PDF is not embedded:"$'\n'"$(pdffonts "$API/anh.pdf" 2>&1 | head -6)"
  pdf_ok "$API/anh.pdf"
  # the same page `vncert render` draws for that record (record 1)
  "$API_PREFIX/bin/vncert" render "$tpl" "$EX_GK" --rows 1 -o "$API/job.pdf" -q 2>"$API/job.err" ||
    problem "vncert render --rows 1:"$'\n'"$(first "$API/job.err" 4)"
  pdftotext -layout "$API/anh.pdf" "$API/a.txt" 2>/dev/null
  pdftotext -layout "$API/job.pdf" "$API/j.txt" 2>/dev/null
  if [ ! -s "$API/a.txt" ] || ! cmp -s "$API/a.txt" "$API/j.txt"; then
    problem "the page rendered to memory differs from the job's (pdftotext -layout):"$'\n'"$(diff "$API/a.txt" "$API/j.txt" | head -6)"
  fi
  # nobody found: said, exit 1, nothing written
  (cd "$API" && timeout 60 "$API_BIN" "$tpl" "$EX_GK" "zzz qqq" none.pdf "$fonts" >/dev/null 2>"$API/none.err")
  rc=$?
  [ $rc -eq 1 ] || problem "tim-va-in with no match: exit $rc, expected 1"
  grep -q 'no one' "$API/none.err" || problem "tim-va-in with no match said:"$'\n'"$(first "$API/none.err" 3)"
  [ ! -e "$API/none.pdf" ] || problem "tim-va-in with no match wrote none.pdf"
}

test_api_uninstall() {
  [ -d "$API_PREFIX" ] || { problem "no installed copy (test_api_example failed)"; return; }
  local mf
  mf=$(printf '%s' "${MAKEFLAGS:-}" | sed -e 's/--jobserver-[a-z]*=[^ ]*//g' -e 's/\(^\| \)-j[0-9]*//g')
  MAKEFLAGS="$mf" make -s -C "$ROOT" BUILD="$W/install/b" PREFIX="$API_PREFIX" uninstall >"$API/un.log" 2>&1 ||
    problem "make uninstall failed:"$'\n'"$(tail -3 "$API/un.log")"
  local f
  for f in lib/libvncert.a include/vncert.h lib/pkgconfig/vncert.pc bin/vncert share/vncert; do
    [ ! -e "$API_PREFIX/$f" ] || problem "make uninstall left $f"
  done
}

t "api: make install DESTDIR= (libvncert.a, vncert.h, vncert.pc); examples/api/tim-va-in.c built with pkg-config finds and renders a record" test_api_example
t "api: make uninstall removes the library, the header and vncert.pc" test_api_uninstall
