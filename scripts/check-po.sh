#!/bin/sh
# The message catalogues are complete (issue 14, point 4): every string the
# sources mark has a translation in po/LANG.po, none fuzzy, and each
# translation keeps its message's printf directives (msgfmt --check).
# Usage: scripts/check-po.sh LANG...   Prints "po: N passed, N failed".
set -u
cd "$(dirname "$0")/.." || exit 2
pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# the template as the sources make it now, not as committed
make -s pot >/dev/null 2>"$tmp/xgettext.err" || { cat "$tmp/xgettext.err"; echo "po: 0 passed, 1 failed"; exit 1; }
for l in "$@"; do
  po=po/$l.po
  if ! msgfmt --check --statistics -o /dev/null "$po" 2>"$tmp/stats"; then
    echo "FAIL $po: msgfmt --check refuses it:"; sed 's/^/    /' "$tmp/stats"
    fail=$((fail + 1)); continue
  fi
  echo "     $po: $(cat "$tmp/stats")"
  if grep -Eq 'untranslated|fuzzy' "$tmp/stats"; then
    echo "FAIL $po: not every message is translated"; fail=$((fail + 1))
  else
    echo "ok   $po: every message translated, none fuzzy"; pass=$((pass + 1))
  fi
  # msgcmp counts untranslated and fuzzy entries as missing
  if msgcmp "$po" po/vncert.pot 2>"$tmp/cmp"; then
    echo "ok   $po: holds every string the sources mark"; pass=$((pass + 1))
  else
    echo "FAIL $po: strings of the sources it lacks (make po-update, then translate):"
    sed 's/^/    /' "$tmp/cmp" | head -40; fail=$((fail + 1))
  fi
done
echo "po: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
