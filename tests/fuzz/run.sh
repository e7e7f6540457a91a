#!/bin/sh
# Runs each libFuzzer target briefly (`make test` calls this).
#
# Builds the targets with `make fuzz` (skip with FUZZ_NOBUILD=1), then runs
# every build/fuzz/fuzz_* for FUZZ_TIME seconds (default 20) on a temporary
# copy of its seed corpus tests/fuzz/corpus/<name>/ (name without "fuzz_"),
# so new inputs found do not land in the repository.  A crashing input is
# kept in build/fuzz/artifacts/.
# With FUZZ_CORPUS=dir (`make fuzz-long` sets it to build/fuzz/corpus), each
# target's corpus is dir/<name> instead, seeded from the repository and kept
# between runs, so a long run carries on where the previous one stopped.
# FUZZ_TARGETS="fuzz_template fuzz_csv" runs only those targets.
# Prints one line per target, then exactly one closing line
# "fuzz: N passed, N failed" (N = targets); exits non-zero on any failure.
set -u
cd "$(dirname "$0")/../.." || exit 2
BUILD=${BUILD:-build}
TIME=${FUZZ_TIME:-20}
pass=0 fail=0
# undefined behaviour must fail the run, not just print
UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export UBSAN_OPTIONS

if [ "${FUZZ_NOBUILD:-0}" != 1 ]; then
  if ! make -s -j"$(nproc 2>/dev/null || echo 2)" fuzz >"${TMPDIR:-/tmp}/vc-fuzz-build.$$" 2>&1; then
    tail -30 "${TMPDIR:-/tmp}/vc-fuzz-build.$$"
    echo "fuzz targets: build failed"
    fail=$((fail + 1))
  fi
  rm -f "${TMPDIR:-/tmp}/vc-fuzz-build.$$"
fi

mkdir -p "$BUILD/fuzz/artifacts"
for bin in "$BUILD"/fuzz/fuzz_*; do
  [ -f "$bin" ] && [ -x "$bin" ] || continue
  name=$(basename "$bin")
  short=${name#fuzz_}
  case " ${FUZZ_TARGETS:-$name} " in *" $name "*) ;; *) continue ;; esac
  if [ -n "${FUZZ_CORPUS:-}" ]; then
    work="$FUZZ_CORPUS/$short"
    mkdir -p "$work" || exit 2
  else
    work=$(mktemp -d "${TMPDIR:-/tmp}/vc-fuzz-$short.XXXXXX") || exit 2
  fi
  for seeds in "tests/fuzz/corpus/$short" "tests/fuzz/corpus/$name"; do
    [ -d "$seeds" ] && cp -R "$seeds/." "$work/" 2>/dev/null
  done
  log=$(mktemp "${TMPDIR:-/tmp}/vc-fuzz-$short.log.XXXXXX") || exit 2
  "$bin" -max_total_time="$TIME" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$BUILD/fuzz/artifacts/$name-" \
    "$work" >"$log" 2>&1
  rc=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  if [ $rc -eq 0 ]; then
    if [ -n "${FUZZ_CORPUS:-}" ]; then
      echo "$name: ok, ${runs:-?} runs in ${TIME} s, corpus $work: $(ls "$work" | wc -l) inputs"
    else
      echo "$name: ok, ${runs:-?} runs in ${TIME} s"
    fi
    pass=$((pass + 1))
  else
    echo "$name: FAILED (exit $rc), input kept in $BUILD/fuzz/artifacts/"
    grep -E 'ERROR|SUMMARY|runtime error|Test unit written' "$log" | head -20
    fail=$((fail + 1))
  fi
  [ -n "${FUZZ_CORPUS:-}" ] || rm -rf "$work"
  rm -f "$log"
done

echo "fuzz: $pass passed, $fail failed"
[ $fail -eq 0 ]
