#!/bin/sh
# Runs each cmocka test binary given; prints the totals as
# "unit: N passed, N failed" and fails if any test failed or crashed.
pass=0 fail=0
for t in "$@"; do
  out=$("$t" 2>&1); rc=$?
  printf '%s\n' "$out" | grep -E '^\[  (FAILED|PASSED|  OK|ERROR) ' | grep -v '^\[       OK' || true
  p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | awk '{s+=$1} END {print s+0}')
  f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | awk '{s+=$1} END {print s+0}')
  if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then
    echo "$t: crashed or failed (exit $rc)"; printf '%s\n' "$out" | tail -20; f=1
  fi
  [ "$f" -gt 0 ] && printf '%s\n' "$out" | grep -E 'FAILED|ERROR|Failure|failed' | head -20
  pass=$((pass + p)); fail=$((fail + f))
done
echo "unit: $pass passed, $fail failed"
[ $fail -eq 0 ]
