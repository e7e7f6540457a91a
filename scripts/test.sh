#!/bin/sh
# The whole test suite (`make test`): the message catalogues complete, unit
# and end-to-end tests; again in Vietnamese under vi_VN (the messages turned
# back to English for the checks, English left in them counted; vi_VN also
# writes numbers with a decimal comma) and under tr_TR (its own case rules);
# again under ASan+UBSan, the threaded code under ThreadSanitizer, then each
# fuzz target briefly.
# Passes run in two lanes, one per core (each pass is mostly one process at
# a time; the e2e scripts find free ports and work in their own folders),
# balanced by their usual times.  A line says when each pass ends; the logs
# are printed whole, in order, once both lanes ended.
# Prints one closing line "tests: N passed, N failed".
set -u
cd "$(dirname "$0")/.." || exit 2
J=$(nproc 2>/dev/null || echo 2)
total_p=0 total_f=0
LOGS=$(mktemp -d)
trap 'rm -rf "$LOGS"' EXIT
tally() { # reads a "...: N passed, N failed" line from file $1
  line=$(grep -E '^[a-z0-9 ()=_.-]*: [0-9]+ passed, [0-9]+ failed' "$1" | tail -1)
  p=$(echo "$line" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed.*/\1/p')
  f=$(echo "$line" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed.*/\2/p')
  [ -n "$p" ] || { p=0; f=1; echo "($2: no summary line: counted as a failure)"; }
  total_p=$((total_p + p)); total_f=$((total_f + f))
}
logname() { echo "$LOGS/$(echo "$1" | tr -c 'A-Za-z0-9\n' _)"; }
run() { # NAME COMMAND...: runs it, its output and status into the log files
  lf=$(logname "$1")
  t0=$(date +%s)
  name=$1
  { shift; "$@"; } >"$lf.log" 2>&1
  rc=$?
  echo "$rc $(($(date +%s) - t0))" >"$lf.rc"
  echo "($name: ended, exit $rc, $(($(date +%s) - t0)) s)"
}
report() { # NAME...: prints each run's log, its time, and counts it
  for name in "$@"; do
    lf=$(logname "$name")
    echo "== $name"
    cat "$lf.log"
    read -r rc secs <"$lf.rc"
    echo "($name took $secs s)"
    tally "$lf.log" "$name"
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then total_f=$((total_f + 1)); echo "($name exited $rc)"; fi
  done
}
lanes() { # two lists of passes (commands of this script), one per core
  ( eval "$1" ) & pa=$!
  ( eval "$2" ) & pb=$!
  wait $pa $pb
}
ASAN="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
TSAN="-O1 -g -fsanitize=thread"
plain() { # LOCALE (C, tr_TR)
  # the unit tests check the library's English messages: LANGUAGE=en keeps
  # them English in any locale (the e2e run in Vietnamese checks the others)
  run "unit ($1)" env LC_ALL="$1.UTF-8" LANGUAGE=en make -s -j"$J" check-unit
  run "e2e ($1)" env LC_ALL="$1.UTF-8" make -s check-e2e
}
vietnamese() {
  run "unit (vi_VN)" env LC_ALL=vi_VN.UTF-8 LANGUAGE=en make -s -j"$J" check-unit
  run "e2e (vi_VN)" make -s check-e2e-vi
}
asan() {
  run "unit (ASan+UBSan)" make -s -j"$J" BUILD=build-asan CFLAGS="$ASAN" LDFLAGS="-fsanitize=address,undefined" check-unit
  run "e2e (ASan+UBSan)" make -s -j"$J" BUILD=build-asan CFLAGS="$ASAN" LDFLAGS="-fsanitize=address,undefined" check-e2e
}
# the code that runs on two threads (font set, render --split, the desk), under TSan
tsan() { run "threads (TSan)" make -s -j"$J" BUILD=build-tsan CFLAGS="$TSAN" LDFLAGS="-fsanitize=thread" check-threads; }
fuzz() { run "fuzz" tests/fuzz/run.sh; }

make -s -j"$J" all >/dev/null || { echo "build failed"; make all; echo "tests: 0 passed, 1 failed"; exit 1; }
run "po" scripts/check-po.sh vi
report "po"
# usual times on two cores: ASan 820 s, C 710, Vietnamese 600, tr_TR 490,
# fuzz 205, TSan 95
lanes "asan; plain tr_TR; fuzz" "plain C; vietnamese; tsan"
report "unit (C)" "e2e (C)" "unit (ASan+UBSan)" "e2e (ASan+UBSan)" \
  "unit (vi_VN)" "e2e (vi_VN)" "unit (tr_TR)" "e2e (tr_TR)" "threads (TSan)" "fuzz"
echo "tests: $total_p passed, $total_f failed"
[ $total_f -eq 0 ]
