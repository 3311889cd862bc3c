#!/usr/bin/env bash
# Runs each unit test program from the repository root and sums up.
set -u
passed=0 failed=0
for test in "$@"; do
  if "$test"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAILED: $test" >&2; fi
done
echo "unit programs: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
