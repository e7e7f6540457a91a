#!/bin/sh
# Renders the shipped examples into out/ (`make demo`): checks the lists first,
# then the certificates, the receipts (one file and one file per student), the
# list every recipient signs (issue 13), envelope labels (a sheet of 14) and a
# proof sheet, and says where each PDF is and how many pages it has (read
# from the PDFs: vncert may speak any language).
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
# Pages of a PDF vncert wrote, read from the file itself (its page tree's
# /Count, the largest: the root's), so that no PDF tool is needed and the
# language vncert speaks does not matter.
pdf_pages() {
  [ -s "$1" ] || return 0
  LC_ALL=C grep -ao '/Count [0-9][0-9]*' "$1" | awk '$2 > m { m = $2 } END { if (m) print m }'
}

mkdir -p "$OUT" || exit 1
step "check the certificate list" "$BIN" check "$GK_T" "$GK_D"
step "check the scholarship list" "$BIN" check "$BN_T" "$BN_D"
step "certificates (Giấy khen)" "$BIN" render "$GK_T" "$GK_D" -o "$OUT/giay-khen.pdf"
step "receipts (Biên nhận học bổng)" "$BIN" render "$BN_T" "$BN_D" -o "$OUT/bien-nhan-hoc-bong.pdf"
step "the list every recipient signs (Danh sách nhận học bổng)" "$BIN" render "$DS_T" "$BN_D" -o "$OUT/danh-sach-ky-nhan.pdf"
rm -rf "$OUT/bien-nhan"
step "one receipt per student" "$BIN" render "$BN_T" "$BN_D" --split "$OUT/bien-nhan" --name '{ma_sv}-{ho_ten}'
step "envelope labels (Nhãn phong bì), 14 on an A4 sheet" "$BIN" render "$LB_T" "$BN_D" -o "$OUT/nhan-phong-bi.pdf"
step "proof sheet of the certificate" "$BIN" proof "$GK_T" -o "$OUT/giay-khen-proof.pdf"
step "check the school's workbook, sheet Khen thưởng" "$BIN" check "$GK_T" "$XL_D"
step "check the school's workbook, sheet $XL_HB" "$BIN" check "$BN_T" "$XL_D" --sheet "$XL_HB"
step "certificates from the workbook" "$BIN" render "$GK_T" "$XL_D" -o "$OUT/danh-sach-giay-khen.pdf"
step "receipts from the workbook" "$BIN" render "$BN_T" "$XL_D" --sheet "$XL_HB" -o "$OUT/danh-sach-bien-nhan.pdf"
step "the signed list from the workbook" "$BIN" render "$DS_T" "$XL_D" --sheet "$XL_HB" -o "$OUT/danh-sach-ky-nhan-xlsx.pdf"

P_GK=$(pdf_pages "$OUT/giay-khen.pdf") P_BN=$(pdf_pages "$OUT/bien-nhan-hoc-bong.pdf")
P_DS=$(pdf_pages "$OUT/danh-sach-ky-nhan.pdf") P_LB=$(pdf_pages "$OUT/nhan-phong-bi.pdf")
P_PROOF=$(pdf_pages "$OUT/giay-khen-proof.pdf") P_XGK=$(pdf_pages "$OUT/danh-sach-giay-khen.pdf")
P_XBN=$(pdf_pages "$OUT/danh-sach-bien-nhan.pdf") P_XDS=$(pdf_pages "$OUT/danh-sach-ky-nhan-xlsx.pdf")
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
  echo "  $f  (pages: $(pdf_pages "$f"))"
done
if [ $n -eq 0 ]; then
  echo "  $OUT/bien-nhan/: no PDF" >&2
  status=1
fi
exit $status
