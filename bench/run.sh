#!/bin/bash
# vncert's speed and size against the ReportLab peer (`make bench`).
#
# Usage: bench/run.sh BINARY
#   SHARED=DIR   the shared folder holding bench/ (default: ../shared beside
#                the repository); without it the peer is skipped and the data
#                are made by this script instead.
#   RUNS=3       runs per measurement (the median wall time is reported).
#   N=10000      recipients of the main run; BIG=100000 for the runs of one big
#                PDF and of volumes.
#   READ_N=100000 rows of the reading run (issue 3): vc_input_read on the same
#                list as UTF-8 CSV, UTF-16LE "Unicode Text", Windows-1258,
#                TCVN3 and .xlsx, timed by read_bench (READ_RUNS=5 runs, the
#                median) and written by xlsx-bench, both built beside BINARY
#                by `make bench`; without them that part is skipped.
#
#   REC_N=200    renders of the one-page-to-memory run (issue 8): record_bench,
#                built beside BINARY by `make bench`, renders records of
#                examples/giay-khen.csv with templates/giay-khen.yaml through
#                vc_record_render (the kiosk's path) after a warm-up; the
#                median wall time is the target, the median CPU time is shown
#                beside it (a busy machine inflates the first, not the second).
#   DESK_N=50    previews of the print desk (issue 12): desk_bench, built beside
#                BINARY, opens a desk on the same template and list (a scratch
#                ledger, no printer) and times vc_desk_preview at 1000 px (the
#                page drawn to PDF, rendered by poppler, PNG encoded).
#   QR_N=2000 QR_RUNS=5: the signed QR code's cost per certificate (issue 11):
#                QR_N Giấy khen with and without the qr: element, alternating.
#   PRINT_RUNS=11 runs of `vncert render giay-khen --rows 1 --print pdf --no-wait`
#                (issue 10, point 7): one certificate from the start of the
#                command to the job accepted by CUPS, to a scheduler started
#                by tests/tools/cups-server.sh (needs root and cupsd; skipped
#                otherwise); the median wall time is the target.
#
# Everything happens in a temporary directory that is removed at the end.
# Prints a table, then each target with "met" or "MISSED", then one line
# "bench: N targets met, N missed".  Exit 1 only when a run itself failed.
set -u
export LC_ALL=C.UTF-8 # decimal points in every number printed here

if [ $# -ne 1 ]; then
  echo "usage: $0 BINARY" >&2
  exit 2
fi
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=$1
case $BIN in /*) ;; *) BIN=$PWD/$BIN ;; esac
[ -x "$BIN" ] || { echo "bench: $BIN is not an executable" >&2; exit 2; }
SHARED=${SHARED:-$ROOT/../shared}
PEER="$SHARED/bench"
PY=/usr/bin/python3
RUNS=${RUNS:-3}
N=${N:-10000}
BIG=${BIG:-100000}
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "bench: $TIME is missing (Debian package 'time')" >&2; exit 2; }

W=$(mktemp -d "${TMPDIR:-/tmp}/vncert-bench.XXXXXX") || exit 2
trap 'rm -rf "$W"' EXIT
trap 'exit 130' INT TERM
cd "$W" || exit 2
FAILED=0

say() { printf '%s\n' "$*" >&2; }

# ---- data -------------------------------------------------------------------
have_peer=1
if [ ! -f "$PEER/gen_csv.py" ] || [ ! -f "$PEER/gen_bg.py" ] || [ ! -f "$PEER/giaykhen_reportlab.py" ]; then
  say "bench: $PEER (SHARED=$SHARED) has no peer scripts: the ReportLab peer is skipped,"
  say "       the data are made by this script"
  have_peer=0
elif ! "$PY" -c 'import reportlab' 2>/dev/null; then
  say "bench: python3-reportlab is not installed for $PY: the ReportLab peer is skipped"
  have_peer=2
fi

gen_csv() { # N OUT
  if [ -f "$PEER/gen_csv.py" ]; then
    "$PY" "$PEER/gen_csv.py" "$1" "$2"
  else
    "$PY" - "$1" "$2" <<'EOF'
import sys
ho = ["Nguyễn", "Hoàng", "Nông", "Lương", "Vi", "Triệu", "Lăng", "Hà", "Đinh", "Lộc"]
dem = ["Thị", "Văn", "Hồng", "Ngọc", "Đức", "Thu", "Minh"]
ten = ["Thảo", "Lực", "Mẫn", "Vỹ", "Dương", "Hường", "Ánh", "Đạt", "Nhung", "Tình"]
tt = ["Đã có thành tích xuất sắc trong phong trào hiến máu tình nguyện năm 2024",
      "Đã có thành tích xuất sắc trong học tập và rèn luyện năm học 2023–2024"]
n = int(sys.argv[1])
with open(sys.argv[2], "w", encoding="utf-8") as f:
    f.write("ma_sv,ho_ten,lop,thanh_tich,so_tien\n")
    for i in range(1, n + 1):
        name = "%s %s %s" % (ho[i % 10], dem[(i // 10) % 7], ten[(i * 7) % 10])
        f.write("SV2024-%04d,%s,K%dMN,%s,5000000\n" % (i, name, 19 + i % 4, tt[i % 2]))
EOF
  fi
}
gen_bg() { # OUT
  if [ -f "$PEER/gen_bg.py" ]; then
    "$PY" "$PEER/gen_bg.py" "$1"
  else
    "$PY" - "$1" <<'EOF'
import random, struct, sys, zlib
W, H = 1754, 1240
rng = random.Random(2024)
raw = bytearray()
for y in range(H):
    raw.append(0)
    for x in range(W):
        n = rng.randrange(12)
        raw += bytes((241 + n, 236 + n, 221 + n))
def chunk(k, d):
    return struct.pack(">I", len(d)) + k + d + struct.pack(">I", zlib.crc32(k + d) & 0xFFFFFFFF)
open(sys.argv[1], "wb").write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", W, H, 8, 2, 0, 0, 0))
    + chunk(b"IDAT", zlib.compress(bytes(raw), 6)) + chunk(b"IEND", b""))
EOF
  fi
}

say "bench: making the data (background, $N and $BIG recipients)..."
gen_bg bg.png || { say "bench: cannot make the background"; exit 1; }
gen_csv "$N" recipients.csv || exit 1
gen_csv "$BIG" big.csv || exit 1
cp "$ROOT/bench/giaykhen-bench.yaml" t.yaml
REG=/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf
BOLD=/usr/share/fonts/truetype/noto/NotoSerif-Bold.ttf
for f in "$REG" "$BOLD"; do
  [ -f "$f" ] || { say "bench: $f is missing (Debian package fonts-noto-core)"; exit 1; }
done

# ---- measuring --------------------------------------------------------------
# measure CLEANUP-CMD -- CMD...: RUNS runs (one only when it takes over a
# minute); sets WALL (median, s) and RSS (largest peak resident set, MB).
# CLEANUP-CMD runs before each run.
measure() {
  local clean=$1 t0 t1 walls="" rss=0 m
  shift 2
  for _ in $(seq "$RUNS"); do
    eval "$clean"
    t0=$(date +%s%N)
    if ! "$TIME" -f '%M' -o rss.txt "$@" >run.out 2>run.err; then
      say "bench: FAILED: $*"
      sed 's/^/    /' run.err | head -8 >&2
      FAILED=$((FAILED + 1))
      WALL=0 RSS=0
      return 1
    fi
    t1=$(date +%s%N)
    walls="$walls $(((t1 - t0) / 1000))" # microseconds
    m=$(tail -1 rss.txt)
    [ "$m" -gt "$rss" ] && rss=$m
    # a run of more than a minute is measured once: that is plenty
    if [ $(((t1 - t0) / 1000000000)) -ge 60 ]; then
      say "bench: (one run took $(((t1 - t0) / 1000000000)) s: not repeated)"
      break
    fi
  done
  WALL=$(printf '%s\n' $walls | sort -n | awk '{a[NR]=$1} END {printf "%.3f", a[int((NR+1)/2)]/1e6}')
  RSS=$(awk -v k="$rss" 'BEGIN {printf "%.0f", k/1024}')
}
fsize() { stat -c %s "$1" 2>/dev/null || echo 0; }
pages() {
  if command -v pdfinfo >/dev/null; then pdfinfo "$1" 2>/dev/null | sed -n 's/^Pages: *//p'; else echo "?"; fi
}
ROWS=""
row() { # TOOL N WALL RSS SIZE-BYTES (empty: -)
  local rate kb size
  rate=$(awk -v n="$2" -v w="$3" 'BEGIN {if (w > 0) printf "%.0f", n/w; else print "-"}')
  if [ -n "$5" ]; then
    size=$(awk -v b="$5" 'BEGIN {printf "%.2f MB", b/1e6}')
    kb=$(awk -v b="$5" -v n="$2" 'BEGIN {printf "%.3f", b/1000/n}')
  else
    size="-" kb="-"
  fi
  ROWS="$ROWS$(printf '| %-34s | %7s | %8s s | %8s | %6s | %11s | %7s |' "$1" "$2" "$3" "$rate" "$4" "$size" "$kb")"$'\n'
}

say "bench: vncert, $N certificates into one PDF..."
measure 'rm -f vn.pdf' -- "$BIN" render t.yaml recipients.csv -o vn.pdf -q
VN_WALL=$WALL VN_RSS=$RSS VN_SIZE=$(fsize vn.pdf)
[ "$(pages vn.pdf)" = "$N" ] || [ "$(pages vn.pdf)" = "?" ] || { say "bench: vn.pdf has $(pages vn.pdf) pages, expected $N"; FAILED=$((FAILED + 1)); }
row "vncert (bench template)" "$N" "$VN_WALL" "$VN_RSS" "$VN_SIZE"

# ---- issue 13, point 5: a list of $N rows, one table over many pages -------
say "bench: vncert, a list of $N rows (templates/danh-sach-ky-nhan.yaml)..."
measure 'rm -f list.pdf' -- "$BIN" render "$ROOT/templates/danh-sach-ky-nhan.yaml" recipients.csv -o list.pdf -q
LIST_WALL=$WALL LIST_RSS=$RSS
row "vncert list (danh-sach-ky-nhan)" "$N" "$LIST_WALL" "$LIST_RSS" "$(fsize list.pdf)"
rm -f list.pdf
# Labels (issue 13, point 5): the same recipients on envelope labels, 14 to an
# A4 sheet (templates/nhan-phong-bi.yaml on "Decal A4 2x7"), at least as fast
# per record as the certificates above.
say "bench: vncert, $N envelope labels on 2x7 sheets into one PDF..."
measure 'rm -f lb.pdf' -- "$BIN" render "$ROOT/templates/nhan-phong-bi.yaml" recipients.csv -o lb.pdf -q
LB_WALL=$WALL LB_RSS=$RSS
LB_PAGES=$(((N + 13) / 14))
[ "$(pages lb.pdf)" = "$LB_PAGES" ] || [ "$(pages lb.pdf)" = "?" ] ||
  { say "bench: lb.pdf has $(pages lb.pdf) pages, expected $LB_PAGES"; FAILED=$((FAILED + 1)); }
row "vncert labels (nhan-phong-bi, 2x7)" "$N" "$LB_WALL" "$LB_RSS" "$(fsize lb.pdf)"
rm -f lb.pdf

# ---- issue 9, point 8: what the ledger adds to a batch ---------------------
# The shipped Giấy khen printing "Số hiệu: {serial}" beside its decision
# number: with `serial: "{year}/GK-{seq:04}"` issuing all $N certificates in a
# new ledger (SQLite file; a new database on the local PostgreSQL of
# tests/tools/pg-server.sh, fsync on), against the same template without the
# pattern (no ledger; {serial} prints nothing).  LEDGER_RUNS (5) runs of each,
# alternating, so that the machine's load falls on both alike; the medians of
# wall and CPU time (user + system: the process, both threads) are compared.
LEDGER_RUNS=${LEDGER_RUNS:-5}
sed -e 's|  - text: "Số: {so_qd}"|  - text: "Số: {so_qd}   Số hiệu: {serial}"|' \
  "$ROOT/templates/giay-khen.yaml" >gk.yaml
sed -e 's|^title: Giấy khen|title: Giấy khen\nserial: "{year}/GK-{seq:04}"|' gk.yaml >gk-serial.yaml
grep -q '^serial:' gk-serial.yaml && grep -q '{serial}' gk.yaml ||
  { say "bench: FAILED: cannot make the ledger's templates from templates/giay-khen.yaml"; FAILED=$((FAILED + 1)); }
timed() { # OUTVAR CMD...: appends "wall cpu" (s) of one run to OUTVAR
  local t0 t1 cpu
  t0=$(date +%s%N)
  if ! "$TIME" -f '%U %S' -o cpu.txt "${@:2}" >run.out 2>run.err; then
    say "bench: FAILED: ${*:2}"; sed 's/^/    /' run.err | head -4 >&2
    FAILED=$((FAILED + 1)); return 1
  fi
  t1=$(date +%s%N)
  cpu=$(tail -1 cpu.txt | awk '{printf "%.3f", $1 + $2}')
  printf -v "$1" '%s %s' "${!1}" "$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", (b-a)/1e9}'):$cpu"
}
median() { printf '%s\n' $1 | cut -d: -f"$2" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ledger_alt() { # BACKEND(sqlite|pg) CONN: alternating runs; sets L_* medians
  local k off="" on="" where
  for k in $(seq "$LEDGER_RUNS"); do
    rm -f gk.pdf gkl.pdf ledger.sqlite*
    timed off "$BIN" render gk.yaml recipients.csv -o gk.pdf -q || return 1
    if [ "$1" = pg ]; then
      psql "$2" -qc "CREATE DATABASE bench$k" >/dev/null || { FAILED=$((FAILED + 1)); return 1; }
      where="${2%dbname=*}dbname=bench$k"
    else
      where=ledger.sqlite
    fi
    timed on "$BIN" render gk-serial.yaml recipients.csv -o gkl.pdf -q --ledger "$where" || return 1
  done
  if command -v pdftotext >/dev/null; then # poppler-utils (the tests' group)
    [ "$(pdftotext -l 1 gkl.pdf - 2>/dev/null | grep -c "Số hiệu: $(date +%Y)/GK-0001")" = 1 ] ||
      { say "bench: FAILED: the ledger's run printed no serial"; FAILED=$((FAILED + 1)); }
  fi
  L_OFF=$(median "$off" 1) L_ON=$(median "$on" 1) L_OFF_CPU=$(median "$off" 2) L_ON_CPU=$(median "$on" 2)
  L_RUNS="without:$off / with:$on"
}
say "bench: the ledger, $N Giấy khen, $LEDGER_RUNS alternating runs (SQLite)..."
LEDGER_SQ="" LEDGER_PG=""
if ledger_alt sqlite ""; then
  LEDGER_SQ="$L_OFF $L_ON $L_OFF_CPU $L_ON_CPU $(cut -d' ' -f1-3 /proc/loadavg)"
  row "giay-khen, no ledger (median)" "$N" "$L_OFF" "" ""
  row "giay-khen, new SQLite ledger" "$N" "$L_ON" "" ""
  say "bench:   runs (wall:cpu s) $L_RUNS"
fi
PG_BASE=$(mktemp -d "${TMPDIR:-/tmp}/vcpg.XXXXXX") && chmod 755 "$PG_BASE"
if PG_CONN=$(FSYNC=on "$ROOT/tests/tools/pg-server.sh" start "$PG_BASE/pg" 2>pg.err); then
  say "bench: the ledger, $N Giấy khen, $LEDGER_RUNS alternating runs (PostgreSQL)..."
  if ledger_alt pg "$PG_CONN"; then
    LEDGER_PG="$L_OFF $L_ON $L_OFF_CPU $L_ON_CPU $(cut -d' ' -f1-3 /proc/loadavg)"
    row "giay-khen, new PostgreSQL ledger" "$N" "$L_ON" "" ""
    say "bench:   runs (wall:cpu s) $L_RUNS"
  fi
  "$ROOT/tests/tools/pg-server.sh" stop "$PG_BASE/pg" >/dev/null 2>&1
else
  say "bench: FAILED: no PostgreSQL test server ($(head -2 pg.err))"
  FAILED=$((FAILED + 1))
fi
rm -rf "$PG_BASE"

# ---- the signed QR code's cost (issue 11) -----------------------------------
# QR_N (2,000) Giấy khen made from examples/giay-khen.csv (its rows repeated,
# each with its own ma_sv), rendered with the shipped template (it has a qr:
# element: signing, DEFLATE, libqrencode, ~500 rectangles a page) and with
# the same template without it; QR_RUNS (5) runs of each, alternating; the
# difference of the medians, per certificate, is the code's cost.
QR_N=${QR_N:-2000}
QR_RUNS=${QR_RUNS:-5}
QR_COST=""
sed -e '/^  - qr: /,+2d' "$ROOT/templates/giay-khen.yaml" >gk-noqr.yaml
"$PY" - "$ROOT/examples/giay-khen.csv" "$QR_N" qr.csv <<'EOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8", newline="")))
out = csv.writer(open(sys.argv[3], "w", encoding="utf-8", newline=""))
out.writerow(rows[0])
for i in range(int(sys.argv[2])):
    r = list(rows[1 + i % (len(rows) - 1)])
    r[0] = "%07d" % (1000000 + i)
    out.writerow(r)
EOF
if grep -q '^  - qr: ' "$ROOT/templates/giay-khen.yaml" && ! grep -q '^  - qr: ' gk-noqr.yaml; then
  say "bench: the QR code's cost, $QR_N Giấy khen, $QR_RUNS alternating runs..."
  qon="" qoff=""
  for _ in $(seq "$QR_RUNS"); do
    timed qon "$BIN" render "$ROOT/templates/giay-khen.yaml" qr.csv -o qr.pdf -q || break
    timed qoff "$BIN" render gk-noqr.yaml qr.csv -o noqr.pdf -q || break
  done
  # shellcheck disable=SC2086 # one run a word
  if [ "$(printf '%s\n' $qoff | grep -c .)" = "$QR_RUNS" ]; then
    QR_COST="$(median "$qon" 1) $(median "$qoff" 1) $(median "$qon" 2) $(median "$qoff" 2)"
    row "giay-khen + QR code (median)" "$QR_N" "$(median "$qon" 1)" "" "$(fsize qr.pdf)"
    row "giay-khen, no QR code (median)" "$QR_N" "$(median "$qoff" 1)" "" "$(fsize noqr.pdf)"
    say "bench:   runs (wall:cpu s) with:$qon / without:$qoff"
  fi
else
  say "bench: FAILED: cannot make the template without qr: from templates/giay-khen.yaml"
  FAILED=$((FAILED + 1))
fi
rm -f qr.csv qr.pdf noqr.pdf gk-noqr.yaml

RL_WALL=""
if [ $have_peer -eq 1 ]; then
  say "bench: ReportLab, $N certificates..."
  measure 'rm -f rl.pdf' -- "$PY" "$PEER/giaykhen_reportlab.py" recipients.csv bg.png rl.pdf "$REG" "$BOLD"
  RL_WALL=$WALL RL_RSS=$RSS RL_SIZE=$(fsize rl.pdf)
  row "ReportLab $("$PY" -c 'import reportlab; print(reportlab.Version)')" "$N" "$RL_WALL" "$RL_RSS" "$RL_SIZE"
fi

say "bench: vncert --split, $N files (templates/giay-khen.yaml)..."
measure 'rm -rf split' -- "$BIN" render "$ROOT/templates/giay-khen.yaml" recipients.csv --split split --name '{ma_sv}' -q
SPLIT_WALL=$WALL SPLIT_RSS=$RSS
SPLIT_FILES=$(find split -name '*.pdf' 2>/dev/null | wc -l)
SPLIT_MAX=$(find split -name '*.pdf' -printf '%s\n' 2>/dev/null | sort -n | tail -1)
SPLIT_TOTAL=$(du -sb split 2>/dev/null | cut -f1)
[ "$SPLIT_FILES" -eq "$N" ] || { say "bench: --split made $SPLIT_FILES files, expected $N"; FAILED=$((FAILED + 1)); }
row "vncert --split (giay-khen.yaml)" "$N" "$SPLIT_WALL" "$SPLIT_RSS" "${SPLIT_TOTAL:-0}"
rm -rf split

say "bench: one certificate reprinted (--rows 1)..."
measure 'rm -f one.pdf' -- "$BIN" render t.yaml recipients.csv -o one.pdf --rows 1 -q
ONE_WALL=$WALL ONE_RSS=$RSS
row "vncert --rows 1 (reprint)" 1 "$ONE_WALL" "$ONE_RSS" "$(fsize one.pdf)"

say "bench: vncert, $BIG certificates into one PDF..."
measure 'rm -f huge.pdf' -- "$BIN" render t.yaml big.csv -o huge.pdf -q
HUGE_WALL=$WALL HUGE_RSS=$RSS HUGE_SIZE=$(fsize huge.pdf)
[ "$(pages huge.pdf)" = "$BIG" ] || [ "$(pages huge.pdf)" = "?" ] || { say "bench: huge.pdf has $(pages huge.pdf) pages, expected $BIG"; FAILED=$((FAILED + 1)); }
row "vncert, one PDF" "$BIG" "$HUGE_WALL" "$HUGE_RSS" "$HUGE_SIZE"
rm -f huge.pdf

say "bench: vncert, $BIG certificates in volumes of 10,000 pages..."
measure 'rm -f big*.pdf' -- "$BIN" render t.yaml big.csv -o big.pdf --volume-pages 10000 -q
BIG_WALL=$WALL BIG_RSS=$RSS
BIG_SIZE=$(cat big*.pdf 2>/dev/null | wc -c) # big.pdf when one volume is enough
BIG_VOLS=$(find . -maxdepth 1 -name "big*.pdf" | wc -l)
[ "$BIG_VOLS" -eq $(((BIG + 9999) / 10000)) ] || { say "bench: $BIG_VOLS volumes, expected $(((BIG + 9999) / 10000))"; FAILED=$((FAILED + 1)); }
row "vncert --volume-pages 10000" "$BIG" "$BIG_WALL" "$BIG_RSS" "$BIG_SIZE"
rm -f big*.pdf

# The background must be stored once, however many pages draw it.
IMAGES="?"
if command -v qpdf >/dev/null; then
  if timeout 120 "$BIN" render t.yaml recipients.csv -o hundred.pdf --rows 1-100 -q 2>run.err; then
    IMAGES=$(qpdf --qdf --object-streams=disable hundred.pdf - 2>/dev/null | grep -ac '/Subtype /Image')
  else
    say "bench: FAILED: render --rows 1-100"
    FAILED=$((FAILED + 1))
  fi
fi

# ---- reading a list, each encoding path (issue 3, point 9) ------------------
READ_N=${READ_N:-100000}
READ_RUNS=${READ_RUNS:-5}
RB=$(dirname "$BIN")/read_bench
XB=$(dirname "$BIN")/xlsx-bench
READ_TABLE="" READ_UTF8="" READ_XLSX="" LAST_RATE=""
read_path() { # LABEL FILE [ENCODING]: one row of the reading table
  local label=$1 file=$2 enc=${3:-} o rows med rate peak
  LAST_RATE=""
  # the file must read cleanly, or the speed of an error path is measured
  if ! "$BIN" data "$file" -q ${enc:+--encoding "$enc"} >read.out 2>read.err; then
    say "bench: FAILED: vncert data $file ${enc:+--encoding $enc} does not read cleanly:"
    sed 's/^/    /' read.err | head -4 >&2
    FAILED=$((FAILED + 1))
    return 1
  fi
  if ! o=$("$RB" "$file" "$READ_RUNS" ${enc:+"$enc"} 2>read.err); then
    say "bench: FAILED: read_bench $file $enc"
    sed 's/^/    /' read.err | head -4 >&2
    FAILED=$((FAILED + 1))
    return 1
  fi
  # FILE  ENCODING  ROWS rows  median S s  R rows/s  peak P MB
  read -r rows med rate peak <<<"$(printf '%s\n' "$o" |
    sed -E 's/.* ([0-9]+) rows  median ([0-9.]+) s  ([0-9]+) rows\/s  peak ([0-9.]+) MB$/\1 \2 \3 \4/')"
  if [ "$rows" != "$READ_N" ]; then
    say "bench: FAILED: read_bench $file: '$o', expected $READ_N rows"
    FAILED=$((FAILED + 1))
    return 1
  fi
  READ_TABLE="$READ_TABLE$(printf '| %-36s | %8s | %7s | %8s s | %9s | %7s |' "$label" \
    "$(awk -v b="$(fsize "$file")" 'BEGIN {printf "%.1f MB", b/1e6}')" "$rows" "$med" "$rate" "$peak")"$'\n'
  LAST_RATE=$rate
}
if [ ! -x "$RB" ]; then
  say "bench: $RB is missing (make $(dirname "$BIN")/read_bench): reading speed not measured"
else
  say "bench: reading $READ_N rows in each encoding and as .xlsx..."
  gen_csv "$READ_N" read.csv || exit 1
  # Excel's "Unicode Text": UTF-16LE with a byte-order mark, TAB, CRLF
  "$PY" - read.csv read-utf16.txt <<'EOF'
import csv, io, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8", newline="")))
buf = io.StringIO()
csv.writer(buf, delimiter="\t", lineterminator="\r\n").writerows(rows)
open(sys.argv[2], "wb").write(b"\xff\xfe" + buf.getvalue().encode("utf-16-le"))
EOF
  iconv -f UTF-8 -t CP1258 read.csv >read-1258.csv
  # TCVN3 has no en dash
  sed 's/–/-/g' read.csv | iconv -f UTF-8 -t TCVN5712-1 >read-tcvn3.csv
  read_path "UTF-8 CSV" read.csv && READ_UTF8=$LAST_RATE
  read_path "UTF-16LE + BOM, TAB (Unicode Text)" read-utf16.txt
  read_path "Windows-1258 CSV (--encoding)" read-1258.csv windows-1258
  read_path "TCVN3 CSV (--encoding)" read-tcvn3.csv tcvn3
  if [ -x "$XB" ] && "$XB" gen read.csv read.xlsx; then
    read_path ".xlsx (libxlsxwriter, #,##0 amounts)" read.xlsx && READ_XLSX=$LAST_RATE
  else
    say "bench: FAILED: cannot make the .xlsx file ($XB: make $(dirname "$BIN")/xlsx-bench; libxlsxwriter-dev)"
    FAILED=$((FAILED + 1))
  fi
  rm -f read.csv read-utf16.txt read-1258.csv read-tcvn3.csv read.xlsx read.out read.err
fi

# ---- one record to memory, the kiosk's path (issue 8) -----------------------
REC=$(dirname "$BIN")/record_bench
REC_N=${REC_N:-200}
REC_MS="" REC_CPU=""
if [ ! -x "$REC" ]; then
  say "bench: $REC is missing (make $(dirname "$BIN")/record_bench): one page to memory not measured"
else
  say "bench: one Giấy khen page to memory, $REC_N renders..."
  # record: N renders  median M ms  max X ms  cpu C ms  size B bytes
  if o=$("$REC" "$ROOT/templates/giay-khen.yaml" "$ROOT/examples/giay-khen.csv" "$ROOT/fonts" "$REC_N" 2>rec.err); then
    read -r REC_MS REC_CPU <<<"$(printf '%s\n' "$o" | sed -E 's/.* median ([0-9.]+) ms .* cpu ([0-9.]+) ms .*/\1 \2/')"
  else
    say "bench: FAILED: record_bench"
    sed 's/^/    /' rec.err | head -4 >&2
    FAILED=$((FAILED + 1))
  fi
fi

# ---- the print desk's preview, the kiosk's screen (issue 12) -----------------
DESK=$(dirname "$BIN")/desk_bench
DESK_N=${DESK_N:-50}
DESK_MS="" DESK_CPU=""
if [ ! -x "$DESK" ]; then
  say "bench: $DESK is missing (make $(dirname "$BIN")/desk_bench): the desk's preview not measured"
else
  say "bench: the desk's preview of a Giấy khen, 1000 px PNG, $DESK_N previews..."
  # desk: N previews 1000 px  median M ms  max X ms  cpu C ms  png B bytes
  if o=$("$DESK" "$ROOT/templates/giay-khen.yaml" "$ROOT/examples/giay-khen.csv" "$ROOT/fonts" "$DESK_N" 2>desk.err); then
    read -r DESK_MS DESK_CPU <<<"$(printf '%s\n' "$o" | sed -E 's/.* median ([0-9.]+) ms .* cpu ([0-9.]+) ms .*/\1 \2/')"
  else
    say "bench: FAILED: desk_bench"
    sed 's/^/    /' desk.err | head -4 >&2
    FAILED=$((FAILED + 1))
  fi
  rm -f desk.err
fi

# ---- render --print (issue 10) ----------------------------------------------
PRINT_MS="" PRINT_LIB_MS=""
PRINT_RUNS=${PRINT_RUNS:-11}
PR_BASE=$(mktemp -d "${TMPDIR:-/tmp}/vncert-bench-cups.XXXXXX") && chmod 755 "$PR_BASE"
if o=$("$ROOT/tests/tools/cups-server.sh" start "$PR_BASE/cups" "$$" 2>&1); then
  say "bench: render --print, one certificate, $PRINT_RUNS runs..."
  pms=""
  for _ in $(seq "$PRINT_RUNS"); do
    t0=$(date +%s%N)
    if ! CUPS_SERVER=${o#CUPS_SERVER=} "$BIN" render "$ROOT/templates/giay-khen.yaml" \
      "$ROOT/examples/giay-khen.csv" --rows 1 --print pdf --no-wait -q >/dev/null 2>print.err; then
      say "bench: FAILED: render --print"; sed 's/^/    /' print.err | head -4 >&2
      FAILED=$((FAILED + 1)); pms=""; break
    fi
    pms="$pms $((($(date +%s%N) - t0) / 1000))"
  done
  # shellcheck disable=SC2086 # one number a word
  [ -n "$pms" ] && PRINT_MS=$(printf '%s\n' $pms | sort -n | awk '{a[NR]=$1} END {printf "%.0f", a[int((NR+1)/2)]/1e3}')
  # the library part alone (bench/print_bench.c): connect, check, send from memory
  PB=$(dirname "$BIN")/print_bench
  if [ -x "$PB" ] && [ -f one.pdf ]; then
    pb=$("$PB" "${o#CUPS_SERVER=}" pdf one.pdf 20 2>print.err) ||
      { say "bench: FAILED: print_bench"; sed 's/^/    /' print.err | head -4 >&2; FAILED=$((FAILED + 1)); }
    PRINT_LIB_MS=$(printf '%s\n' "$pb" | sed -n 's/.*median \([0-9.]*\) ms.*/\1/p')
  fi
  "$ROOT/tests/tools/cups-server.sh" stop "$PR_BASE/cups" >/dev/null 2>&1
else
  say "bench: no CUPS test server ($o): render --print not measured"
fi
rm -rf "$PR_BASE"

# ---- report -----------------------------------------------------------------
echo
echo "$("$BIN" --version 2>/dev/null | head -1) on $(nproc) cores, median of $RUNS runs (whole process)"
echo
printf '| %-34s | %7s | %10s | %8s | %6s | %11s | %7s |\n' tool N "wall" "rate/s" "peak MB" "PDF size" "KB/cert"
echo "| ---------------------------------- | ------- | ---------- | -------- | ------ | ----------- | ------- |"
printf '%s' "$ROWS"
echo "(KB = 1000 bytes; the --split size is all files together)"
echo
if [ -n "$READ_TABLE" ]; then
  echo "reading a list of $READ_N rows (vc_input_read, median of $READ_RUNS runs; peak = the process after one read)"
  echo
  printf '| %-36s | %8s | %7s | %10s | %9s | %7s |\n' "path" "file" "rows" "wall" "rows/s" "peak MB"
  echo "| ------------------------------------ | -------- | ------- | ---------- | --------- | ------- |"
  printf '%s' "$READ_TABLE"
  echo
fi

met=0 missed=0
target() { # DESCRIPTION VALUE OK(0/1)
  if [ "$3" = 1 ]; then
    met=$((met + 1))
    printf '  met     %-46s %s\n' "$1" "$2"
  else
    missed=$((missed + 1))
    printf '  MISSED  %-46s %s\n' "$1" "$2"
  fi
}
ge() { awk -v a="$1" -v b="$2" 'BEGIN {print (a >= b) ? 1 : 0}'; }
lt() { awk -v a="$1" -v b="$2" 'BEGIN {print (a < b) ? 1 : 0}'; }
echo "targets:"
if [ -n "$RL_WALL" ] && [ "$VN_WALL" != 0 ]; then
  ratio=$(awk -v r="$RL_WALL" -v v="$VN_WALL" 'BEGIN {printf "%.2f", r / v}')
  target "rate >= 3x ReportLab's" "vncert/ReportLab rate = ${ratio}x" "$(ge "$ratio" 3)"
else
  echo "  (no ReportLab run: no ratio)"
fi
ledger_target() { # LABEL LIMIT(%) "OFF ON OFF_CPU ON_CPU LOAD1 LOAD5 LOAD15"
  local off on offc onc l1 l5 l15
  read -r off on offc onc l1 l5 l15 <<<"$3"
  target "$1 <= +$2% of without" "$(awk -v a="$on" -v b="$off" -v c="$onc" -v e="$offc" \
    'BEGIN {printf "%+.1f%% (median wall %.3f s vs %.3f s; CPU %.3f s vs %.3f s, %+.1f%%)", (a/b-1)*100, a, b, c, e, (c/e-1)*100}'); load $l1 $l5 $l15" \
    "$(ge "$(awk -v b="$off" -v p="$2" 'BEGIN {printf "%.3f", b*(1+p/100)}')" "$on")"
}
if [ -n "$LEDGER_SQ" ]; then ledger_target "ledger (SQLite), $N Giấy khen" 10 "$LEDGER_SQ"; fi
if [ -n "$LEDGER_PG" ]; then ledger_target "ledger (PostgreSQL), $N Giấy khen" 25 "$LEDGER_PG"; fi
if [ -n "$QR_COST" ]; then
  read -r qa qb qca qcb <<<"$QR_COST"
  qms=$(awk -v a="$qa" -v b="$qb" -v n="$QR_N" 'BEGIN {printf "%.3f", (a-b)*1000/n}')
  target "QR code <= 0.3 ms per certificate ($QR_N)" "$qms ms (median wall $qa s vs $qb s; CPU $(awk -v a="$qca" -v b="$qcb" -v n="$QR_N" 'BEGIN {printf "%.3f", (a-b)*1000/n}') ms)" "$(ge 0.3 "$qms")"
fi
target "list: rows/s >= certificates/s ($N)" "$(awk -v l="$LIST_WALL" -v c="$VN_WALL" -v n="$N" \
  'BEGIN {if (l > 0 && c > 0) printf "%.0f rows/s vs %.0f certificates/s", n/l, n/c; else print "-"}')" \
  "$([ "$LIST_WALL" != 0 ] && ge "$VN_WALL" "$LIST_WALL" || echo 0)"
target "peak memory < 150 MB ($N in one PDF)" "$VN_RSS MB" "$(lt "$VN_RSS" 150)"
target "labels on 2x7 sheets at least as fast per record as certificates" \
  "$(awk -v l="$LB_WALL" -v c="$VN_WALL" -v n="$N" 'BEGIN {printf "%.3f ms vs %.3f ms per record", l*1000/n, c*1000/n}')" \
  "$(ge "$VN_WALL" "$LB_WALL")"
target "peak memory < 150 MB ($BIG in one PDF)" "$HUGE_RSS MB" "$(lt "$HUGE_RSS" 150)"
target "peak memory < 150 MB ($BIG in volumes)" "$BIG_RSS MB" "$(lt "$BIG_RSS" 150)"
kb=$(awk -v b="$VN_SIZE" -v n="$N" 'BEGIN {printf "%.3f", b/1000/n}')
target "<= 1.1 KB per certificate" "$kb KB" "$(ge 1.1 "$kb")"
fps=$(awk -v n="$SPLIT_FILES" -v w="$SPLIT_WALL" 'BEGIN {if (w > 0) printf "%.0f", n/w; else print 0}')
target "--split >= 1000 files/s" "$fps files/s" "$(ge "$fps" 1000)"
target "--split: each file < 100 KB" "largest $(awk -v b="${SPLIT_MAX:-0}" 'BEGIN {printf "%.1f", b/1000}') KB" "$(lt "${SPLIT_MAX:-0}" 100000)"
target "reprint (--rows 1) < 100 ms" "$(awk -v w="$ONE_WALL" 'BEGIN {printf "%.0f", w*1000}') ms" "$(lt "$ONE_WALL" 0.1)"
target "background stored once (100 pages)" "$IMAGES image XObject(s)" "$([ "$IMAGES" = 1 ] && echo 1 || echo 0)"
if [ -n "$REC_MS" ]; then
  target "one Giấy khen page to memory < 20 ms" "median $REC_MS ms of $REC_N (CPU $REC_CPU ms)" "$(lt "$REC_MS" 20)"
fi
if [ -n "$DESK_MS" ]; then
  target "the desk's preview, 1000 px PNG < 300 ms" "median $DESK_MS ms of $DESK_N (CPU $DESK_CPU ms)" "$(lt "$DESK_MS" 300)"
fi
if [ -n "$PRINT_MS" ]; then
  target "render --print, start to job accepted, one certificate < 150 ms" "median $PRINT_MS ms of $PRINT_RUNS" "$(lt "$PRINT_MS" 150)"
fi
if [ -n "$PRINT_LIB_MS" ]; then
  target "print_bench: connect to job accepted (library) < 150 ms" "median $PRINT_LIB_MS ms of 20" "$(lt "$PRINT_LIB_MS" 150)"
fi
if [ -x "$RB" ]; then
  target "read UTF-8 CSV >= 1,000,000 rows/s" "${READ_UTF8:-0} rows/s" "$(ge "${READ_UTF8:-0}" 1000000)"
  target "read .xlsx >= 200,000 rows/s" "${READ_XLSX:-0} rows/s" "$(ge "${READ_XLSX:-0}" 200000)"
fi
echo
[ $FAILED -eq 0 ] || echo "($FAILED runs FAILED: see above)"
echo "bench: $met targets met, $missed missed"
[ $FAILED -eq 0 ]
