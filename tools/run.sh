#!/usr/bin/env bash
# make run: everything up, the bundled samples fed in, then what was
# stored and every event published, each in a section of its own (the
# submission's progress first, the event stream after it, so the two
# never interleave); runs until Ctrl-C, then stops all of it.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
bin="$top/build/bin"
follower=""

stop() {
  trap - INT TERM EXIT
  [ -n "$follower" ] && kill "$follower" 2>/dev/null && wait "$follower" 2>/dev/null
  echo
  "$top/tools/down.sh"
  exit 0
}
trap stop INT TERM EXIT

section() {
  echo
  echo "== $1"
  [ $# -gt 1 ] && echo "   ($2)"
  echo
}

section "starting ofwatch" "make up: PostgreSQL under ./var and the services"
"$top/tools/up.sh" || exit 1

section "submitting the bundled samples" "ofwatch submit samples/: one line per document"
"$bin/ofwatch" submit "$top/samples" || true

section "Herefordshire's history" "ofwatch history herefordshire"
"$bin/ofwatch" history herefordshire || true

section "events published, then new ones as they come" \
        "ofwatch events --from 1 --follow; Ctrl-C stops everything"
printf '%6s  %-10s  %-20s  %-9s  %s\n' seq "occurred" type authority "what happened"
"$bin/ofwatch" events --from 1 --follow &
follower=$!
wait "$follower"
