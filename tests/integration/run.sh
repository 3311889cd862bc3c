#!/usr/bin/env bash
# Integration tests against real PostgreSQL and the real services.
#
# For each test program: a new temporary directory, a private PostgreSQL
# cluster and the five services on free loopback ports (watch idle), so a
# test never touches a developer's ./var and never sees another test's data. The
# program gets the stack's OFWATCH_* variables plus OFWATCH_TEST_BIN (the
# binaries), OFWATCH_TEST_RUN (pid files: tests may kill and restart) and
# OFWATCH_TEST_TOP (the repository). After it, services are stopped with
# SIGTERM and their logs checked for sanitizer reports and crashes.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/tools/stack.sh"
build=${BUILD:-build}
bin="$top/$build/bin"
passed=0 failed=0

# Under the sanitizers these programs are not run again: they load the
# whole 224-report corpus, which exercises no code path the other programs
# do not, and would take most of CI's time. The plain pass runs them.
SANITIZER_SKIP="test_analytics_corpus"

run_one() {
  local test=$1 name dir
  name=$(basename "$test")
  if [[ "$build" == *san* ]] && [[ " $SANITIZER_SKIP " == *" $name "* ]]; then
    echo "== $name: skipped under the sanitizers (loads the whole corpus; the plain pass runs it)"
    return
  fi
  dir=$(mktemp -d "/tmp/ofwatch-it.XXXXXX")
  export STACK_PORTS_FILE=$dir/ports
  export OFWATCH_TEST_BIN=$bin OFWATCH_TEST_RUN=$dir/run OFWATCH_TEST_TOP=$top
  export OFWATCH_TEST_LOG=$dir/log OFWATCH_LOG=${OFWATCH_LOG:-info}
  export OFWATCH_KEYS=$dir/keys
  # analytics' pages are tested by the programs that ask for them.
  export OFWATCH_HTTP_PORT=${OFWATCH_HTTP_PORT:-0}
  export OFWATCH_INGEST=tcp://127.0.0.1:$(stack_free_port)
  export OFWATCH_STORE=tcp://127.0.0.1:$(stack_free_port)
  export OFWATCH_STORE_EVENTS=tcp://127.0.0.1:$(stack_free_port)
  export OFWATCH_ANALYTICS=tcp://127.0.0.1:$(stack_free_port)
  export OFWATCH_NOTIFY_PUB=tcp://127.0.0.1:$(stack_free_port)
  export OFWATCH_NOTIFY_REPLAY=tcp://127.0.0.1:$(stack_free_port)
  export OFWATCH_WATCH=tcp://127.0.0.1:$(stack_free_port)
  # Nothing leaves loopback: the watch service starts idle, pointed at a
  # port where nothing listens; tests that watch start their own stand-in
  # of Ofsted's site and restart it against that.
  export OFWATCH_WATCH_INTERVAL=0 OFWATCH_OFSTED_URL=http://127.0.0.1:1/
  export OFWATCH_PG_DIR=$dir/pg OFWATCH_PG_PORT=$(stack_free_port)
  local service port_var
  for service in "${OFWATCH_SERVICES[@]}"; do
    port_var="OFWATCH_METRICS_PORT_${service^^}"
    export "$port_var=$(stack_free_port)"
  done
  # Sanitizer builds: leaks and errors end the process with a report.
  export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
  export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$top/tests/lsan.supp:print_suppressions=0}
  mkdir -p "$dir/run" "$dir/log" "$dir/keys"

  local ok=1
  # CURVE keys before any service starts, as make up makes them: the
  # servers' pair, every service's own key and the local-admin
  # (inspectorate) certificate tests and the CLI present.
  export OFWATCH_CERT=$OFWATCH_KEYS/local-admin.cert
  if ! stack_make_keys "$bin"; then
    echo "integration: cannot make keys for $name" >&2; ok=0
  fi
  if [ $ok = 1 ] && ! OFWATCH_PG=$("$top/tools/pg.sh" start "$OFWATCH_PG_DIR" "$OFWATCH_PG_PORT"); then
    echo "integration: cannot start PostgreSQL for $name" >&2; ok=0
  fi
  export OFWATCH_PG
  if [ $ok = 1 ]; then
    stack_start_all "$bin" "$dir/run" "$dir/log"
    stack_wait_healthy "$bin" 60 || { echo "integration: services not healthy for $name" >&2; ok=0; }
  fi
  if [ $ok = 1 ]; then
    echo "== $name"
    "$test" || ok=0
  fi
  stack_stop_all "$dir/run"
  "$top/tools/pg.sh" stop "$OFWATCH_PG_DIR"
  if grep -lE "ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|Segmentation fault" "$dir"/log/*.log >/dev/null 2>&1; then
    echo "integration: a service reported a sanitizer error or crash during $name:" >&2
    grep -hE -A30 "ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:" "$dir"/log/*.log | head -80 >&2
    ok=0
  fi
  if [ $ok = 1 ]; then
    passed=$((passed + 1)); rm -rf "$dir"
  else
    failed=$((failed + 1))
    echo "integration: $name FAILED; service logs (last lines):" >&2
    for f in "$dir"/log/*.log; do echo "--- $f" >&2; tail -15 "$f" >&2; done
    rm -rf "$dir/pg"
  fi
}

for test in "$@"; do run_one "$test"; done
echo "integration programs: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
