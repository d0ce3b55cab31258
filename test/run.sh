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

# Count the TAP result lines themselves: ava's footer is missing when its reporter dies (a timed-out hook).
ava_pass=$(grep -E '^ok [0-9]+ ' "$tap" | grep -cvE '# (SKIP|TODO)' || true)
ava_skip=$(grep -E '^ok [0-9]+ ' "$tap" | grep -cE '# (SKIP|TODO)' || true)
ava_fail=$(grep -cE '^not ok [0-9]+ ' "$tap" || true)
passed=$((passed + ava_pass))
failed=$((failed + ava_fail))
skipped=$((skipped + ava_skip))
if [ "$ava_status" -ne 0 ] && [ "$ava_fail" -eq 0 ]; then
  echo "# ava exited with status $ava_status without a failed test: counted as one failure"
  failed=$((failed + 1))
fi

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
