#!/usr/bin/env bash
# The whole suite: typecheck, lint, then every ava test. Ends with one line "N passed, N failed, N skipped"
# that counts the ava tests plus the typecheck and the lint as one test each. Extra arguments go to ava.
set -u
cd "$(dirname "$0")/.."

passed=0
failed=0
skipped=0
check() {
  local name=$1
  shift
  echo "# $name: $*"
  if "$@"; then
    passed=$((passed + 1))
  else
    echo "# $name FAILED"
    failed=$((failed + 1))
  fi
}

check typecheck npx --no-install tsc -p . --noEmit
check lint npx --no-install eslint --max-warnings 0 .

tap=$(mktemp)
trap 'rm -f "$tap"' EXIT
npx --no-install ava --tap "$@" | tee "$tap"
ava_status=${PIPESTATUS[0]}

count() { grep -E "^# $1 [0-9]+$" "$tap" | tail -n 1 | awk '{print $3}'; }
ava_pass=$(count pass)
ava_fail=$(count fail)
ava_skip=$(count skip)
if [ -z "$ava_pass" ] && [ -z "$ava_fail" ]; then
  echo "# ava did not report its counts (exit status $ava_status)"
  ava_fail=1
fi
passed=$((passed + ${ava_pass:-0}))
failed=$((failed + ${ava_fail:-0}))
skipped=$((skipped + ${ava_skip:-0}))
if [ "$ava_status" -ne 0 ] && [ "${ava_fail:-0}" -eq 0 ]; then
  echo "# ava exited with status $ava_status"
  failed=$((failed + 1))
fi

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
