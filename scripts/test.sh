#!/bin/sh
# The whole test suite (`make test`): unit and end-to-end tests, again under a
# decimal-comma locale (fr_FR) and a locale with its own case rules (tr_TR),
# again under ASan+UBSan, the threaded code under ThreadSanitizer, then each
# fuzz target briefly.
# Prints one closing line "tests: N passed, N failed".
set -u
cd "$(dirname "$0")/.." || exit 2
J=$(nproc 2>/dev/null || echo 2)
total_p=0 total_f=0
tally() { # reads a "...: N passed, N failed" line from file $1
  line=$(grep -E '^[a-z0-9 ()=_.-]*: [0-9]+ passed, [0-9]+ failed' "$1" | tail -1)
  p=$(echo "$line" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed.*/\1/p')
  f=$(echo "$line" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed.*/\2/p')
  [ -n "$p" ] || { p=0; f=1; echo "($2: no summary line: counted as a failure)"; }
  total_p=$((total_p + p)); total_f=$((total_f + f))
}
run() { # name, command...
  name=$1; shift
  echo "== $name"
  log=$(mktemp)
  t0=$(date +%s)
  "$@" >"$log" 2>&1; rc=$?
  cat "$log"
  echo "($name took $(($(date +%s) - t0)) s)"
  tally "$log" "$name"
  if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then total_f=$((total_f + 1)); echo "($name exited $rc)"; fi
  rm -f "$log"
}
make -s -j"$J" all >/dev/null || { echo "build failed"; make all; echo "tests: 0 passed, 1 failed"; exit 1; }
run "unit (C locale)" env LC_ALL=C.UTF-8 make -s -j"$J" check-unit
run "e2e (C locale)" env LC_ALL=C.UTF-8 make -s check-e2e
# The two locale passes at once: each is one process at a time (the e2e
# scripts find free ports and work in their own folders), so on two cores
# they take about the time of one.
locale_pass() { # LOCALE: its unit and e2e runs, into the log files of run_logged
  run_logged "unit ($1)" env LC_ALL="$1.UTF-8" make -s check-unit
  run_logged "e2e ($1)" env LC_ALL="$1.UTF-8" make -s check-e2e
}
run_logged() { # as run, but only writes "$LOGS/<name>.log" and ".rc" (tallied later)
  lf="$LOGS/$(echo "$1" | tr -c 'A-Za-z0-9\n' _)"
  t0=$(date +%s)
  { shift; "$@"; } >"$lf.log" 2>&1
  echo "$? $(($(date +%s) - t0))" >"$lf.rc"
}
LOGS=$(mktemp -d)
locale_pass fr_FR & pf=$!
locale_pass tr_TR & pt=$!
wait $pf $pt
for name in "unit (fr_FR)" "e2e (fr_FR)" "unit (tr_TR)" "e2e (tr_TR)"; do
  lf="$LOGS/$(echo "$name" | tr -c 'A-Za-z0-9\n' _)"
  echo "== $name"
  cat "$lf.log"
  read -r rc secs <"$lf.rc"
  echo "($name took $secs s, beside the other locale's)"
  tally "$lf.log" "$name"
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then total_f=$((total_f + 1)); echo "($name exited $rc)"; fi
done
rm -rf "$LOGS"
ASAN="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
run "unit (ASan+UBSan)" make -s -j"$J" BUILD=build-asan CFLAGS="$ASAN" LDFLAGS="-fsanitize=address,undefined" check-unit
run "e2e (ASan+UBSan)" make -s -j"$J" BUILD=build-asan CFLAGS="$ASAN" LDFLAGS="-fsanitize=address,undefined" check-e2e
# the code that runs on two threads (font set, render --split), under TSan
TSAN="-O1 -g -fsanitize=thread"
run "threads (TSan)" make -s -j"$J" BUILD=build-tsan CFLAGS="$TSAN" LDFLAGS="-fsanitize=thread" check-threads
run "fuzz" tests/fuzz/run.sh
echo "tests: $total_p passed, $total_f failed"
[ $total_f -eq 0 ]
