#!/bin/sh
# The tests of the code that runs on two threads, for a ThreadSanitizer build
# (`make test` runs `make BUILD=build-tsan CFLAGS=-fsanitize=thread ...
# check-threads`, which calls this): the font set's locks (test_fontset's
# threads), the one-file-per-page writer (test_pdf_split), and a real
# `render --split` of 3,000 records, whose 1,000-record batches are cut into
# files on a second thread while the next batch is drawn (src/job/job.c), and
# renders issuing 3,000 serials in a new ledger, whose reservation and
# confirmation run on a second thread while the pages that print the serials
# are drawn (src/job/issue.c): one PDF, then --split.  test_desk's threads
# search and preview on one print desk while another reloads its list
# (src/desk: the list swapped under a lock, freed by its last user); the
# libraries its preview draws with are not instrumented, and their own
# races are suppressed (tests/tsan-libs.supp), not vncert's.
#
# Usage: tests/threads.sh BINARY UNIT-TEST...
# Any ThreadSanitizer report fails the test that printed it (halt_on_error,
# exit code 66).  Prints one closing line "threads: N passed, N failed".
set -u
if [ $# -lt 1 ]; then
  echo "usage: $0 BINARY UNIT-TEST..." >&2
  exit 2
fi
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=$1
shift
TSAN_OPTIONS="halt_on_error=1 exitcode=66 second_deadlock_stack=1 suppressions=$ROOT/tests/tsan-libs.supp ${TSAN_OPTIONS:-}"
export TSAN_OPTIONS
pass=0 fail=0

# the unit tests, through the usual runner
if [ $# -gt 0 ]; then
  out=$("$ROOT/tests/run-unit.sh" "$@" 2>&1)
  printf '%s\n' "$out" | grep -v '^unit: '
  p=$(printf '%s\n' "$out" | sed -n 's/^unit: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
  f=$(printf '%s\n' "$out" | sed -n 's/^unit: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
  [ -n "$p" ] || { p=0; f=1; echo "unit tests: no summary line"; }
  pass=$((pass + p)) fail=$((fail + f))
  echo "unit tests: $p passed, $f failed"
fi

# render --split of 3,000 records: three batches, two of them overlapping
W=$(mktemp -d "${TMPDIR:-/tmp}/vncert-threads.XXXXXX") || exit 2
trap 'rm -rf "$W"' EXIT
{
  echo "ma_sv,ho_ten,lop,thanh_tich,so_tien"
  i=1
  while [ $i -le 3000 ]; do
    printf 'SV%05d,Nguyễn Văn Đức %d,K%dMN,Đã có thành tích xuất sắc,500000\n' $i $i $((19 + i % 4))
    i=$((i + 1))
  done
} >"$W/data.csv"
timeout 600 "$BIN" render "$ROOT/templates/giay-khen.yaml" "$W/data.csv" \
  --split "$W/out" --name '{ma_sv}' -q >"$W/out.log" 2>&1
rc=$?
n=$(find "$W/out" -name 'SV*.pdf' 2>/dev/null | wc -l)
if [ $rc -eq 0 ] && [ "$n" -eq 3000 ] && ! grep -q ThreadSanitizer "$W/out.log"; then
  echo "ok   render --split, 3,000 records on two threads"
  pass=$((pass + 1))
else
  echo "FAIL render --split, 3,000 records on two threads: exit $rc, $n files"
  head -40 "$W/out.log" | sed 's/^/    /'
  fail=$((fail + 1))
fi
# the ledger's thread: serials published while the pages print them
sed -e 's|^title: Giấy khen|title: Giấy khen\nserial: "{year}/GK-{seq:04}"|' \
    -e 's|  - text: "Số: {so_qd}"|  - text: "Số: {so_qd}   Số hiệu: {serial}"|' \
    "$ROOT/templates/giay-khen.yaml" >"$W/gk-serial.yaml"
for how in one split; do
  if [ $how = one ]; then set -- -o "$W/l.pdf"; else set -- --split "$W/lsplit" --name '{ma_sv}'; fi
  timeout 600 "$BIN" render "$W/gk-serial.yaml" "$W/data.csv" "$@" --ledger "$W/l-$how.sqlite" \
    -q >"$W/l.log" 2>&1
  rc=$?
  y=$(date +%Y)
  if [ $how = one ]; then
    last=$(pdftotext -f 3000 -l 3000 "$W/l.pdf" - 2>/dev/null | grep -o "$y/GK-[0-9]*")
  else
    last=$(pdftotext "$W/lsplit/SV03000.pdf" - 2>/dev/null | grep -o "$y/GK-[0-9]*")
  fi
  if [ $rc -eq 0 ] && [ "$last" = "$y/GK-3000" ] && ! grep -q ThreadSanitizer "$W/l.log"; then
    echo "ok   render $how with a ledger, 3,000 serials from a second thread"
    pass=$((pass + 1))
  else
    echo "FAIL render $how with a ledger, 3,000 serials from a second thread: exit $rc, last serial '$last'"
    head -40 "$W/l.log" | sed 's/^/    /'
    fail=$((fail + 1))
  fi
done
echo "threads: $pass passed, $fail failed"
[ $fail -eq 0 ]
