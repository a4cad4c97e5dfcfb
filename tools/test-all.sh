#!/usr/bin/env bash
# npm test: lint, typecheck and build every project, then every jest test one project at a
# time (fault tests stop the broker, so nothing runs alongside them). Always runs the jest
# tests, even when a static check failed, and ends with the line `N passed, N failed`
# (also written to tmp/test-summary.txt). Exit status is non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p tmp
log=tmp/test-output.log
static_rc=0
echo "== lint, typecheck, build"
npx nx run-many -t lint typecheck build --outputStyle=static || static_rc=$?
echo "== jest (one project at a time)"
npx nx run-many -t test --parallel=1 --outputStyle=stream -- --runInBand 2>&1 | tee "$log"
test_rc=${PIPESTATUS[0]}
# Jest's summary line per project: "Tests:       1 failed, 2 skipped, 16 passed, 17 total"
passed=0; failed=0
while IFS= read -r line; do
  p=$(grep -oE '[0-9]+ passed' <<<"$line" | grep -oE '[0-9]+' || true)
  f=$(grep -oE '[0-9]+ failed' <<<"$line" | grep -oE '[0-9]+' || true)
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done < <(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '(^|[[:space:]])Tests:[[:space:]]+.*total')
# A suite that cannot even load reports no tests: count each as one failure.
broken=$(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -c 'Test suite failed to run' || true)
failed=$((failed + broken))
if [ "$test_rc" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
summary="$passed passed, $failed failed"
# CI shows only the tail of the log: repeat which suites and tests failed, with their first lines, just above the totals.
if [ "$failed" -gt 0 ]; then
  echo "== failures (details above, and in $log)"
  sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^[^ ]*:? *(FAIL |  ● )' | grep -v '● Console' | head -40
  sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -A12 -E '^[^ ]*:? +● .* › ' | head -80
  # A suite that failed outside its tests (an afterAll hook, an error thrown between tests): why.
  sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -A12 -E '^[^ ]*:? +● Test suite failed to run' | head -40
fi
echo "$summary" > tmp/test-summary.txt
[ "$static_rc" -ne 0 ] && echo "lint/typecheck/build FAILED (exit $static_rc)"
echo "$summary"
[ "$static_rc" -eq 0 ] && [ "$test_rc" -eq 0 ] && [ "$failed" -eq 0 ]
