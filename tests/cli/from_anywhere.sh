#!/usr/bin/env bash
# The CLI from any directory, as a new user meets it: a fresh clone of the
# repository, `make up`'s script, then `ofwatch health`, `submit` and
# `history herefordshire` from /tmp with no OFWATCH_KEYS or OFWATCH_CERT
# set: the keys are found through ~/.config/ofwatch/keys, which make up
# links. Without them, the CLI says where it looked for a certificate.
#
# The clone takes the programs already built (build/bin) rather than
# building again, and runs on free ports with a HOME of its own, so it
# disturbs no stack and no settings of the machine's user.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-build}
work=$(mktemp -d /tmp/ofwatch-anywhere.XXXXXX)
export STACK_PORTS_FILE=$work/ports
. "$top/tools/stack.sh"
passed=0 failed=0
check() {   # check NAME COMMAND...: counts a pass or a failure, says which
  if "${@:2}"; then passed=$((passed + 1)); echo "  ok    $1"
  else failed=$((failed + 1)); echo "  FAIL  $1"; fi
}
finish() {
  (cd "$work/ofwatch" 2>/dev/null && tools/down.sh >/dev/null 2>&1)
  rm -rf "$work"
}
trap finish EXIT

git clone -q "$top" "$work/ofwatch" || { echo "from_anywhere: cannot clone $top" >&2; exit 1; }
mkdir -p "$work/ofwatch/build" "$work/home"
cp -r "$top/$build/bin" "$work/ofwatch/build/bin"

unset OFWATCH_KEYS OFWATCH_CERT OFWATCH_PG XDG_CONFIG_HOME
export HOME=$work/home
export OFWATCH_PG_PORT=$(stack_free_port) OFWATCH_HTTP_PORT=0
for v in INGEST STORE STORE_EVENTS ANALYTICS NOTIFY_PUB NOTIFY_REPLAY WATCH; do
  export "OFWATCH_$v=tcp://127.0.0.1:$(stack_free_port)"
done
for s in INGEST STORE ANALYTICS NOTIFY WATCH; do export "OFWATCH_METRICS_PORT_$s=$(stack_free_port)"; done
# The watch service idles: nothing here reaches beyond loopback.
export OFWATCH_WATCH_INTERVAL=0 OFWATCH_OFSTED_URL=http://127.0.0.1:1/

up_output=$("$work/ofwatch/tools/up.sh" 2>&1)
check "make up's script brings the stack up" test $? -eq 0
check "make up says where the keys are" grep -q "linked from $HOME/.config/ofwatch/keys" <<<"$up_output"
check "the keys are linked from the user's config directory" \
  test "$(readlink "$HOME/.config/ofwatch/keys")" = "$work/ofwatch/var/keys"

ofwatch="$work/ofwatch/build/bin/ofwatch"
cd /tmp || exit 1
check "ofwatch health from /tmp" "$ofwatch" health
check "ofwatch submit from /tmp" "$ofwatch" submit "$work/ofwatch/samples/herefordshire"
history=$("$ofwatch" history herefordshire 2>&1)
check "ofwatch history herefordshire from /tmp" grep -q "2022-07-18" <<<"$history"

# Keys nowhere to be found: the CLI says where it looked.
mv "$HOME/.config/ofwatch/keys" "$HOME/.config/ofwatch/keys.away"
health=$("$ofwatch" health 2>&1)
check "without keys, health fails" test $? -ne 0
check "without keys, health names the certificate it looked for" \
  grep -q "no certificate at $HOME/.config/ofwatch/keys/local-admin.cert" <<<"$health"
mv "$HOME/.config/ofwatch/keys.away" "$HOME/.config/ofwatch/keys"

echo "cli from anywhere: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
