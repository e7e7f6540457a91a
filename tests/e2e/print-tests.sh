# shellcheck shell=bash
# End-to-end tests of printing through CUPS (issue 10): `vncert printers`,
# `vncert print`, `vncert render --print` against a real CUPS scheduler that
# tests/tools/cups-server.sh starts on a loopback port (queues pdf, stopped,
# rejecting, broken, slow); the PDF each job hands the device lands in
# $PR_DIR/out/job-ID.pdf with its job name in job-ID.title.  Checks what
# arrives (pages, names, job name), each fault, refused options, --no-wait,
# Ctrl-C, a run of 5,001 certificates as two jobs, and the scheduler stopped
# mid-run (last: it ends the server).  Nothing is left running.
# Sourced by tests/e2e/run.sh: uses its $ROOT, $W, $BIN, $EX_GK, $TPL_GK,
# t, problem, first.  About 40 s (the 5,001-page run is most of it).

# Not under $W: cupsd's filters run as user lp, who must reach the folder
# (mktemp makes 0700 folders).
PR_BASE=$(mktemp -d "${TMPDIR:-/tmp}/vncert-e2e-cups.XXXXXX") && chmod 755 "$PR_BASE"
PR_DIR="$PR_BASE/cups"
PR_OUT="$PR_DIR/out"
PR_UP=0

pr_start() { # once, by the first print test that runs
  local o
  [ "$PR_UP" = 1 ] && return 0
  [ -d "$PR_DIR" ] && { problem "the CUPS test server could not be started earlier"; return 1; }
  if ! o=$("$ROOT/tests/tools/cups-server.sh" start "$PR_DIR" "$$" 2>&1); then
    problem "cups-server.sh start failed: $o"
    return 1
  fi
  export CUPS_SERVER=${o#CUPS_SERVER=}
  PR_UP=1
}

# pr LABEL ARGS...: runs vncert (120 s cap); stdout in $W/pr-LABEL.out,
# stderr in .err, the exit status in $RC.
pr() {
  local label=$1
  shift
  timeout 120 "$BIN" "$@" >"$W/pr-$label.out" 2>"$W/pr-$label.err"
  RC=$?
  CMD="vncert $*" vi_back "$W/pr-$label.err" "$W/pr-$label.out"
}
pr_expect() { # LABEL CODE TEXT: exit CODE and TEXT on stderr
  [ "$RC" -eq "$2" ] || problem "$1: exit $RC, not $2:"$'\n'"$(first "$W/pr-$1.err" 6)"
  grep -qF -- "$3" "$W/pr-$1.err" || problem "$1: no '$3' on stderr:"$'\n'"$(first "$W/pr-$1.err" 6)"
}
pr_jobs() { find "$PR_OUT" -name 'job-*.pdf' 2>/dev/null | wc -l; }
pr_pages() { pdfinfo "$1" 2>/dev/null | sed -n 's/^Pages: *//p'; }

test_print_printers() {
  pr_start || return
  pr printers printers
  [ "$RC" -eq 0 ] || problem "printers: exit $RC:"$'\n'"$(first "$W/pr-printers.err")"
  local q
  for q in broken pdf rejecting slow stopped; do
    grep -q "^$q" "$W/pr-printers.out" || problem "printers does not list $q"
  done
  grep '^stopped' "$W/pr-printers.out" | grep -q 'stopped.*paused by the test' ||
    problem "printers: the stopped queue without its state and message: $(grep '^stopped' "$W/pr-printers.out")"
  grep '^rejecting' "$W/pr-printers.out" | grep -q 'not accepting' ||
    problem "printers: the rejecting queue not said to refuse jobs"
}

# render --print without -o: the class's records arrive, named.
test_print_render() {
  pr_start || return
  local n before id f
  n=$(grep -c ',K19MN,' "$EX_GK")
  before=$(pr_jobs)
  mkdir -p "$W/pr-tmp" # its own TMPDIR: other runs on this machine use /tmp
  TMPDIR="$W/pr-tmp" pr render render "$TPL_GK" "$EX_GK" -w lop=K19MN --print pdf
  pr_expect render 0 "completed"
  [ "$(pr_jobs)" -eq $((before + 1)) ] || problem "render --print: $(($(pr_jobs) - before)) jobs arrived, not 1"
  id=$(sed -n "s/^vncert: job \([0-9]*\) on 'pdf' completed$/\1/p" "$W/pr-render.err")
  f="$PR_OUT/job-$id.pdf"
  [ -f "$f" ] || { problem "render --print: no $f"; return; }
  [ "$(pr_pages "$f")" = "$n" ] || problem "render --print: $(pr_pages "$f") pages arrived, not $n"
  [ "$(cat "$PR_OUT/job-$id.title")" = "Giấy khen — K19MN — $n tờ" ] ||
    problem "render --print: job name '$(cat "$PR_OUT/job-$id.title")'"
  pdfinfo "$f" | grep -q 'Page size:.*(A4)' || problem "render --print: not on A4: $(pdfinfo "$f" | grep 'Page size')"
  pdftotext "$f" - | grep -qE "Hoàng Thị Ngọc Ánh|HOÀNG THỊ NGỌC ÁNH" || problem "render --print: a name is missing from the printed PDF"
  pdftotext "$f" - | grep -qE "Nông Văn Lực|NÔNG VĂN LỰC" && problem "render --print: a K19TH name was printed"
  ls "$W/pr-tmp"/vncert-print.* >/dev/null 2>&1 && problem "render --print left a temporary folder"
}

# render --print QUEUE with QUEUE's calibration profile saved (issue 13,
# point 2): what arrives is moved by the profile's offsets, exactly.
test_print_calibrated() {
  pr_start || return
  local id x0 x1 y0 y1
  mkdir -p "$W/pcal/vncert/calibration"
  printf 'offset_x: 10\noffset_y: -5\n' >"$W/pcal/vncert/calibration/pdf.yaml"
  # portrait (a landscape page reaches the device turned): the envelope labels
  pr cal0 render "$ROOT/templates/nhan-phong-bi.yaml" "$ROOT/examples/hoc-bong.csv" --print pdf
  pr_expect cal0 0 "completed"
  id=$(sed -n "s/^vncert: job \([0-9]*\) on 'pdf' completed$/\1/p" "$W/pr-cal0.err")
  read -r x0 y0 < <(pdftotext -bbox "$PR_OUT/job-$id.pdf" - | sed -n 's/.*<word xMin="\([0-9.]*\)" yMin="\([0-9.]*\)".*/\1 \2/p' | head -1)
  XDG_CONFIG_HOME="$W/pcal" pr cal1 render "$ROOT/templates/nhan-phong-bi.yaml" "$ROOT/examples/hoc-bong.csv" --print pdf
  pr_expect cal1 0 "completed"
  id=$(sed -n "s/^vncert: job \([0-9]*\) on 'pdf' completed$/\1/p" "$W/pr-cal1.err")
  read -r x1 y1 < <(pdftotext -bbox "$PR_OUT/job-$id.pdf" - | sed -n 's/.*<word xMin="\([0-9.]*\)" yMin="\([0-9.]*\)".*/\1 \2/p' | head -1)
  awk -v a="$x0" -v b="$x1" -v c="$y0" -v e="$y1" 'BEGIN {m = 72 / 25.4
    exit !(a != "" && b != "" && (b - a - 10 * m) ^ 2 < 0.01 && (e - c + 5 * m) ^ 2 < 0.01)}' ||
    problem "render --print pdf with pdf's profile: the first word at ($x1, $y1) pt, not ($x0, $y0) moved by (10, -5) mm"
}

# calibrate --print QUEUE (issue 13, point 2): the calibration page arrives,
# on A4, named; with -o it is also kept; a bad queue is said, nothing sent.
test_print_calibrate_page() {
  pr_start || return
  local id f before
  mkdir -p "$W/calp-tmp" # its own TMPDIR: other runs' folders come and go in /tmp
  TMPDIR="$W/calp-tmp" pr calp calibrate --print pdf
  pr_expect calp 0 "completed"
  id=$(sed -n "s/^vncert: job \([0-9]*\) on 'pdf' completed$/\1/p" "$W/pr-calp.err")
  f="$PR_OUT/job-$id.pdf"
  [ -f "$f" ] || { problem "calibrate --print: no $f"; return; }
  [ "$(pr_pages "$f")" = 1 ] || problem "calibrate --print: $(pr_pages "$f") pages arrived, not 1"
  pdftotext "$f" - | grep -q 'A (20; 20 mm)' && pdftotext "$f" - | grep -q 'C (20; 277 mm)' ||
    problem "calibrate --print: what arrived is not the calibration page"
  pdfinfo "$f" | grep -q 'Page size:.*(A4)' || problem "calibrate --print: not on A4"
  [ "$(cat "$PR_OUT/job-$id.title" 2>/dev/null)" = "Hiệu chỉnh máy in" ] ||
    problem "calibrate --print: job name '$(cat "$PR_OUT/job-$id.title" 2>/dev/null)'"
  [ -z "$(ls -A "$W/calp-tmp")" ] || problem "calibrate --print left a temporary folder: $(ls "$W/calp-tmp")"
  pr calpo calibrate --print pdf -o "$W/calp.pdf" -q
  [ "$RC" -eq 0 ] && pdftotext "$W/calp.pdf" - | grep -q 'A (20; 20 mm)' ||
    problem "calibrate --print -o: exit $RC, or no page kept"
  before=$(pr_jobs)
  pr calpx calibrate --print nosuch
  pr_expect calpx 1 "there is no printer queue 'nosuch'"
  grep -q "nothing was sent to the printer" "$W/pr-calpx.err" || problem "calibrate --print nosuch: 'nothing was sent' not said"
  [ "$(pr_jobs)" -eq "$before" ] || problem "calibrate --print nosuch: a job arrived"
}

# -o and --print: the file is written and the same pages printed; print FILE.
test_print_file() {
  pr_start || return
  local id
  pr o render "$TPL_GK" "$EX_GK" -r 1-3 -o "$W/pr3.pdf" --print pdf -q
  [ "$RC" -eq 0 ] || problem "render -o --print: exit $RC:"$'\n'"$(first "$W/pr-o.err")"
  [ "$(pr_pages "$W/pr3.pdf")" = 3 ] || problem "render -o --print: -o has $(pr_pages "$W/pr3.pdf") pages"
  pr file print "$W/pr3.pdf" --printer pdf
  pr_expect file 0 "completed"
  id=$(sed -n "s/^vncert: job \([0-9]*\) on 'pdf' completed$/\1/p" "$W/pr-file.err")
  [ "$(pr_pages "$PR_OUT/job-$id.pdf")" = 3 ] || problem "print FILE: $(pr_pages "$PR_OUT/job-$id.pdf") pages arrived"
  [ "$(cat "$PR_OUT/job-$id.title" 2>/dev/null)" = "pr3.pdf" ] || problem "print FILE: job name '$(cat "$PR_OUT/job-$id.title" 2>/dev/null)'"
}

test_print_no_wait() {
  pr_start || return
  local id n=0
  pr nowait print "$W/pr3.pdf" -P pdf --no-wait
  id=$(cat "$W/pr-nowait.out")
  if ! { [ "$RC" -eq 0 ] && [ "$id" -gt 0 ] 2>/dev/null; }; then
    problem "--no-wait: exit $RC, stdout '$id'"
    return
  fi
  grep -q 'completed' "$W/pr-nowait.err" && problem "--no-wait followed the job"
  while [ ! -f "$PR_OUT/job-$id.pdf" ] && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
  [ -f "$PR_OUT/job-$id.pdf" ] || problem "--no-wait: job $id never printed"
}

test_print_refused() {
  pr_start || return
  local before
  before=$(pr_jobs)
  pr media print "$W/pr3.pdf" -P pdf --media B0
  pr_expect media 2 "it supports: "
  grep -qF "'A4' (iso_a4_210x297mm)" "$W/pr-media.err" || problem "--media B0: A4 not among the sizes named"
  pr orient print "$W/pr3.pdf" -P pdf --orientation sideways
  pr_expect orient 2 "sideways"
  pr copies render "$TPL_GK" "$EX_GK" --print pdf --copies 0
  pr_expect copies 2 "--copies needs a whole number"
  pr split render "$TPL_GK" "$EX_GK" --print pdf --split "$W/prsplit"
  pr_expect split 2 "not with --split"
  [ "$(pr_jobs)" -eq "$before" ] || problem "a refused option still sent a job"
}

test_print_faults() {
  pr_start || return
  pr missing print "$W/pr3.pdf" -P nosuch
  pr_expect missing 1 "there is no printer queue 'nosuch'"
  pr stopped render "$TPL_GK" "$EX_GK" -r 1 --print stopped
  pr_expect stopped 1 "printer 'stopped' is stopped"
  pr rejecting print "$W/pr3.pdf" -P rejecting
  pr_expect rejecting 1 "not accepting jobs"
  pr broken print "$W/pr3.pdf" -P broken
  pr_expect broken 1 "printer 'broken' stopped"
  pr down print "$W/pr3.pdf" -P pdf --server 127.0.0.1:1
  pr_expect down 1 "is CUPS running?"
}

# slow: its first job never ends; the next waits past --timeout; Ctrl-C.
test_print_slow() {
  pr_start || return
  local pid
  pr slow1 print "$W/pr3.pdf" -P slow --no-wait
  pr slow2 print "$W/pr3.pdf" -P slow --timeout 1 -q
  pr_expect slow2 1 "without starting"
  timeout 60 "$BIN" print "$W/pr3.pdf" -P slow >"$W/pr-int.out" 2>"$W/pr-int.err" &
  pid=$!
  sleep 1.5
  kill -INT "$pid"
  wait "$pid"
  RC=$?
  CMD="vncert print, SIGINT" vi_back "$W/pr-int.err" "$W/pr-int.out"
  pr_expect int 130 "stopped following job"
}

# 5,001 certificates: two jobs, 5,000 pages then 1, in order.
test_print_big() {
  pr_start || return
  local before ids a b
  "$PY" - "$EX_GK" >"$W/big.csv" <<'PYEOF'
import sys
rows = open(sys.argv[1], encoding="utf-8").read().splitlines()
print(rows[0])
body = [r.split(",", 1)[1] for r in rows[1:]]
for i in range(5001):
    print("%07d,%s" % (i + 1, body[i % len(body)]))
PYEOF
  before=$(pr_jobs)
  timeout 600 "$BIN" render "$TPL_GK" "$W/big.csv" --print pdf -q >"$W/pr-big.out" 2>"$W/pr-big.err"
  RC=$?
  CMD="vncert render --print (5,001 pages)" vi_back "$W/pr-big.err" "$W/pr-big.out"
  [ "$RC" -eq 0 ] || { problem "5,001 pages: exit $RC:"$'\n'"$(first "$W/pr-big.err" 6)"; return; }
  [ "$(pr_jobs)" -eq $((before + 2)) ] || problem "5,001 pages: $(($(pr_jobs) - before)) jobs, not 2"
  ids=$(find "$PR_OUT" -name 'job-*.title' -printf '%f\n' | sed 's/job-\([0-9]*\).title/\1/' | sort -n | tail -2)
  a=$(echo "$ids" | head -1) b=$(echo "$ids" | tail -1)
  [ "$(pr_pages "$PR_OUT/job-$a.pdf")" = 5000 ] || problem "5,001 pages: the first job has $(pr_pages "$PR_OUT/job-$a.pdf") pages"
  [ "$(pr_pages "$PR_OUT/job-$b.pdf")" = 1 ] || problem "5,001 pages: the second job has $(pr_pages "$PR_OUT/job-$b.pdf") pages"
  if ! { grep -q '(1/2)' "$PR_OUT/job-$a.title" && grep -q '(2/2)' "$PR_OUT/job-$b.title"; }; then
    problem "5,001 pages: job names '$(cat "$PR_OUT/job-$a.title")', '$(cat "$PR_OUT/job-$b.title")'"
  fi
}

# Last: the scheduler stops while a job is followed; then nothing runs.
test_print_server_gone() {
  pr_start || return
  local pid lpid cpid
  cpid=$(cat "$PR_DIR/cupsd.pid")
  timeout 60 "$BIN" print "$W/pr3.pdf" -P slow --timeout 0 >"$W/pr-gone.out" 2>"$W/pr-gone.err" &
  pid=$!
  # the same with a ledger: the job recorded, not as printed
  timeout 60 "$BIN" render "$TPL_GK" "$EX_GK" -r 1 --ledger "$W/pr-gone.sqlite" --print slow \
    --timeout 0 >"$W/pr-goneL.out" 2>"$W/pr-goneL.err" &
  lpid=$!
  sleep 2.5
  "$ROOT/tests/tools/cups-server.sh" stop "$PR_DIR" >/dev/null 2>&1
  PR_UP=0
  wait "$pid"
  RC=$?
  CMD="vncert print, cupsd gone" vi_back "$W/pr-gone.err" "$W/pr-gone.out"
  pr_expect gone 1 "stopped answering"
  wait "$lpid"
  RC=$?
  CMD="vncert render --print, cupsd gone" vi_back "$W/pr-goneL.err" "$W/pr-goneL.out"
  pr_expect goneL 1 "stopped answering"
  [ "$(pl_states "$W/pr-gone.sqlite")" = pending ] ||
    problem "server gone with a ledger: print events $(pl_states "$W/pr-gone.sqlite" | tr '\n' ' '), not pending"
  kill -0 "$cpid" 2>/dev/null && problem "cupsd ($cpid) still runs after the tests"
}

t print_printers test_print_printers
t print_render test_print_render
t print_file test_print_file
t print_calibrated test_print_calibrated
t print_calibrate_page test_print_calibrate_page
t print_no_wait test_print_no_wait
t print_refused test_print_refused
t print_faults test_print_faults
t print_slow test_print_slow
t print_big test_print_big
# shellcheck source=tests/e2e/print-ledger-tests.sh
. "$ROOT/tests/e2e/print-ledger-tests.sh"
t print_ledger_recorded test_print_ledger_recorded
t print_ledger_faults test_print_ledger_faults
t print_ledger_no_wait test_print_ledger_no_wait
t print_ledger_pending test_print_ledger_pending
t print_job_pages test_print_job_pages
t print_job_pages_ledger test_print_job_pages_ledger
t print_server_gone test_print_server_gone
if [ "$PR_UP" = 1 ]; then
  "$ROOT/tests/tools/cups-server.sh" stop "$PR_DIR" >/dev/null 2>&1
  PR_UP=0
fi
rm -rf "$PR_BASE"
