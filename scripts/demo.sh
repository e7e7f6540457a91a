#!/bin/sh
# Renders the shipped examples into out/ (`make demo`): checks the lists first,
# then the certificates, the receipts (one file and one file per student) and
# a proof sheet, and says where each PDF is and how many pages it has.
# Running it again replaces what an earlier run made.
#
# Usage: scripts/demo.sh BINARY
set -u

if [ $# -ne 1 ]; then
  echo "usage: $0 BINARY" >&2
  exit 2
fi
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=$1
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
if [ ! -x "$BIN" ]; then
  echo "demo: $BIN is not an executable (run make first)" >&2
  exit 1
fi
OUT=$ROOT/out
GK_T=$ROOT/templates/giay-khen.yaml
GK_D=$ROOT/examples/giay-khen.csv
BN_T=$ROOT/templates/bien-nhan-hoc-bong.yaml
BN_D=$ROOT/examples/hoc-bong.csv

step() { # WHAT CMD...: runs a step; stops the demo when it fails
  what=$1
  shift
  echo "== $what"
  if ! "$@"; then
    echo "demo: FAILED: $what" >&2
    echo "demo: the command was: $*" >&2
    exit 1
  fi
}

# Page count: pdfinfo when poppler-utils is there, else the page objects.
pages() {
  if command -v pdfinfo >/dev/null 2>&1; then
    pdfinfo "$1" 2>/dev/null | sed -n 's/^Pages: *//p'
  else
    LC_ALL=C grep -ao '/Type */Page[^s]' "$1" | wc -l | tr -d ' '
  fi
}

mkdir -p "$OUT" || exit 1
step "check the certificate list" "$BIN" check "$GK_T" "$GK_D"
step "check the scholarship list" "$BIN" check "$BN_T" "$BN_D"
step "certificates (Giấy khen)" "$BIN" render "$GK_T" "$GK_D" -o "$OUT/giay-khen.pdf"
step "receipts (Biên nhận học bổng)" "$BIN" render "$BN_T" "$BN_D" -o "$OUT/bien-nhan-hoc-bong.pdf"
rm -rf "$OUT/bien-nhan"
step "one receipt per student" "$BIN" render "$BN_T" "$BN_D" --split "$OUT/bien-nhan" --name '{ma_sv}-{ho_ten}'
step "proof sheet of the certificate" "$BIN" proof "$GK_T" -o "$OUT/giay-khen-proof.pdf"

echo
echo "The PDFs:"
status=0
for f in "$OUT/giay-khen.pdf" "$OUT/bien-nhan-hoc-bong.pdf" "$OUT/giay-khen-proof.pdf"; do
  if [ -s "$f" ]; then
    echo "  $f  (pages: $(pages "$f"))"
  else
    echo "  $f  MISSING" >&2
    status=1
  fi
done
n=0
for f in "$OUT"/bien-nhan/*.pdf; do
  [ -f "$f" ] || continue
  n=$((n + 1))
  echo "  $f  (pages: $(pages "$f"))"
done
if [ $n -eq 0 ]; then
  echo "  $OUT/bien-nhan/: no PDF" >&2
  status=1
fi
exit $status
