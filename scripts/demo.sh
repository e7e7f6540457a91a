#!/bin/sh
# Renders the shipped examples into out/ (`make demo`): checks the lists first,
# then the certificates, the receipts (one file and one file per student), the
# list every recipient signs (issue 13), envelope labels (a sheet of 14) and a
# proof sheet, and says where each PDF is and how many pages it has.
# Then the same from the workbook a school keeps (examples/danh-sach-khen-thuong.xlsx:
# title rows, merged class cells, a total row and a signature block): sheet
# "Khen thưởng" (the first) as certificates, sheet "Học bổng" as receipts.
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
DS_T=$ROOT/templates/danh-sach-ky-nhan.yaml
BN_D=$ROOT/examples/hoc-bong.csv
XL_D=$ROOT/examples/danh-sach-khen-thuong.xlsx
XL_HB="Học bổng"
LB_T=$ROOT/templates/nhan-phong-bi.yaml

LOG=$(mktemp) || exit 1
trap 'rm -f "$LOG"' EXIT
step() { # WHAT CMD...: runs a step, its messages shown and kept in $LOG;
  # stops the demo when it fails
  what=$1
  shift
  echo "== $what"
  "$@" 2>"$LOG"
  rc=$?
  cat "$LOG" >&2
  if [ $rc -ne 0 ]; then
    echo "demo: FAILED: $what" >&2
    echo "demo: the command was: $*" >&2
    exit 1
  fi
}
# Pages per file, from vncert's own summary of the last step ("vncert: 10
# pages in 1 file: ...", "4 pages in 4 files in DIR", "proof written to ...
# (1 page)"): no PDF tool needed.
pages_per_file() {
  sed -n -e 's/^vncert: \([0-9][0-9]*\) pages\{0,1\} in \([0-9][0-9]*\) files\{0,1\}.*/\1 \2/p' \
    -e 's/^vncert: proof written to .* (\([0-9][0-9]*\) pages\{0,1\})$/\1 1/p' "$LOG" |
    tail -1 | awk '$2 > 0 { print $1 / $2 }'
}

mkdir -p "$OUT" || exit 1
step "check the certificate list" "$BIN" check "$GK_T" "$GK_D"
step "check the scholarship list" "$BIN" check "$BN_T" "$BN_D"
step "certificates (Giấy khen)" "$BIN" render "$GK_T" "$GK_D" -o "$OUT/giay-khen.pdf"
P_GK=$(pages_per_file)
step "receipts (Biên nhận học bổng)" "$BIN" render "$BN_T" "$BN_D" -o "$OUT/bien-nhan-hoc-bong.pdf"
P_BN=$(pages_per_file)
step "the list every recipient signs (Danh sách nhận học bổng)" "$BIN" render "$DS_T" "$BN_D" -o "$OUT/danh-sach-ky-nhan.pdf"
P_DS=$(pages_per_file)
rm -rf "$OUT/bien-nhan"
step "one receipt per student" "$BIN" render "$BN_T" "$BN_D" --split "$OUT/bien-nhan" --name '{ma_sv}-{ho_ten}'
P_ONE=$(pages_per_file)
step "envelope labels (Nhãn phong bì), 14 on an A4 sheet" "$BIN" render "$LB_T" "$BN_D" -o "$OUT/nhan-phong-bi.pdf"
P_LB=$(pages_per_file)
step "proof sheet of the certificate" "$BIN" proof "$GK_T" -o "$OUT/giay-khen-proof.pdf"
P_PROOF=$(pages_per_file)
step "check the school's workbook, sheet Khen thưởng" "$BIN" check "$GK_T" "$XL_D"
step "check the school's workbook, sheet $XL_HB" "$BIN" check "$BN_T" "$XL_D" --sheet "$XL_HB"
step "certificates from the workbook" "$BIN" render "$GK_T" "$XL_D" -o "$OUT/danh-sach-giay-khen.pdf"
P_XGK=$(pages_per_file)
step "receipts from the workbook" "$BIN" render "$BN_T" "$XL_D" --sheet "$XL_HB" -o "$OUT/danh-sach-bien-nhan.pdf"
P_XBN=$(pages_per_file)
step "the signed list from the workbook" "$BIN" render "$DS_T" "$XL_D" --sheet "$XL_HB" -o "$OUT/danh-sach-ky-nhan-xlsx.pdf"
P_XDS=$(pages_per_file)

echo
echo "The PDFs:"
status=0
for fp in "$OUT/giay-khen.pdf:$P_GK" "$OUT/bien-nhan-hoc-bong.pdf:$P_BN" \
  "$OUT/danh-sach-ky-nhan.pdf:$P_DS" \
  "$OUT/giay-khen-proof.pdf:$P_PROOF" "$OUT/danh-sach-giay-khen.pdf:$P_XGK" \
  "$OUT/danh-sach-bien-nhan.pdf:$P_XBN" "$OUT/danh-sach-ky-nhan-xlsx.pdf:$P_XDS" \
  "$OUT/nhan-phong-bi.pdf:$P_LB"; do
  f=${fp%:*} p=${fp##*:}
  if [ -s "$f" ]; then
    echo "  $f  (pages: ${p:-?})"
  else
    echo "  $f  MISSING" >&2
    status=1
  fi
done
n=0
for f in "$OUT"/bien-nhan/*.pdf; do
  [ -f "$f" ] || continue
  n=$((n + 1))
  echo "  $f  (pages: ${P_ONE:-?})"
done
if [ $n -eq 0 ]; then
  echo "  $OUT/bien-nhan/: no PDF" >&2
  status=1
fi
exit $status
