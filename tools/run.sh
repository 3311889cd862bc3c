#!/usr/bin/env bash
# make run: everything up, the bundled samples fed in, then what was
# stored and every event published, each in a section of its own (the
# submission's progress first, the event stream after it, so the two
# never interleave); runs until Ctrl-C, then stops all of it. What the
# watch service says about Ofsted's site (a pass, a new publication, a
# site it cannot reach) joins the stream, each line marked "watch:".
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

# The watch's log grows across runs: its lines from this start on.
seen=$(cat "$top/var/log/watch.log" 2>/dev/null | wc -l)

section "starting ofwatch" "make up: PostgreSQL under ./var and the services"
"$top/tools/up.sh" || exit 1

section "submitting the bundled samples" "ofwatch submit samples/: one line per document"
"$bin/ofwatch" submit "$top/samples" || true

section "Herefordshire's history" "ofwatch history herefordshire"
"$bin/ofwatch" history herefordshire || true

section "events published, then new ones as they come" \
        "ofwatch events --from 1 --follow, and what the watch service says; Ctrl-C stops everything"
# tail ends with this script.
tail -n +$((seen + 1)) -F --pid=$$ "$top/var/log/watch.log" 2>/dev/null \
  | grep --line-buffered -E '"level":"(warn|error)"|"msg":"(pass complete|stored a new publication|Ofsted.s site can be read again)"' \
  | sed -u 's/^/watch: /' &
printf '%6s  %-10s  %-20s  %-9s  %s\n' seq "occurred" type authority "what happened"
"$bin/ofwatch" events --from 1 --follow &
follower=$!
wait "$follower"
