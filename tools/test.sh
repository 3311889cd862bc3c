#!/usr/bin/env bash
# make test: every suite, first as built and then under AddressSanitizer
# and UndefinedBehaviorSanitizer, and the deployment checks. Stops at the
# end, not at the first failure, so one run shows everything that is
# wrong; exits non-zero when anything failed.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
passed=0 failed=0
failures=()

step() {
  local name=$1; shift
  echo
  echo "==== $name"
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); failures+=("$name"); fi
}

step "build"                         make -j2 build
step "unit tests"                    make unit
step "integration tests"             make integration
step "CLI from any directory"         env BUILD=build tests/cli/from_anywhere.sh
step "deployment files"              tests/deploy/check_deploy.sh
step "services as compose runs them" env BUILD=build tests/deploy/compose_services.sh
if [ -x tests/fuzz/run.sh ]; then
  step "fuzzing"                     tests/fuzz/run.sh
fi
step "sanitizer build"               make -j2 SAN=1 build
step "unit tests (ASan/UBSan)"       make SAN=1 unit
step "integration tests (ASan/UBSan, leaks)" make SAN=1 integration

echo
for f in "${failures[@]}"; do echo "FAILED: $f"; done
echo "suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
