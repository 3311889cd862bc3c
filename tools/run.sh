#!/usr/bin/env bash
# make run: everything up, the bundled samples fed in, what was stored and
# every event published printed; runs until Ctrl-C, then stops all of it.
# What the watch service says about Ofsted's site (a pass, a new
# publication, a site it cannot reach) is printed as it says it.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
bin="$top/build/bin"
follower=""

stop() {
  trap - INT TERM EXIT
  [ -n "$follower" ] && kill "$follower" 2>/dev/null && wait "$follower" 2>/dev/null
  "$top/tools/down.sh"
  exit 0
}
trap stop INT TERM EXIT

# The watch's own lines from this start on (its log grows across runs);
# tail ends with this script.
seen=$(cat "$top/var/log/watch.log" 2>/dev/null | wc -l)
"$top/tools/up.sh" || exit 1
tail -n +$((seen + 1)) -F --pid=$$ "$top/var/log/watch.log" 2>/dev/null \
  | grep --line-buffered -E '"level":"(warn|error)"|"msg":"(pass complete|stored a new publication|Ofsted.s site can be read again)"' \
  | sed -u 's/^/watch: /' &
echo
echo "== events published (ofwatch events --from 1 --follow)"
"$bin/ofwatch" events --from 1 --follow &
follower=$!
sleep 0.5
echo
echo "== submitting the bundled samples (ofwatch submit samples/)"
"$bin/ofwatch" submit "$top/samples" || true
echo
echo "== Herefordshire's history (ofwatch history herefordshire)"
"$bin/ofwatch" history herefordshire || true
echo
echo "ofwatch is running; events keep printing as they come. Ctrl-C stops everything."
wait "$follower"
