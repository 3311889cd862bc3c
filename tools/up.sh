#!/usr/bin/env bash
# make up: the private PostgreSQL cluster under ./var and the five services
# in the background; returns once `ofwatch health` passes. Starts only
# what is not running, so it also restarts a service that died.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tools/stack.sh"
bin="$top/build/bin"
var="$top/var"
mkdir -p "$var/run" "$var/log" "$var/keys"

pg_port=${OFWATCH_PG_PORT:-7100}
if [ -z "${OFWATCH_PG:-}" ]; then
  export OFWATCH_PG
  OFWATCH_PG=$("$top/tools/pg.sh" start "$var/pg" "$pg_port")
fi
export OFWATCH_KEYS=${OFWATCH_KEYS:-$var/keys}
# Every socket speaks CURVE: the servers' certificate, each service's own
# key and the local-admin client certificate the CLI presents by default
# (inspectorate: it may do everything but write to store), made once.
if ! stack_make_keys "$bin"; then
  echo "make up: cannot make the keys in $OFWATCH_KEYS" >&2
  exit 1
fi
# Metrics on the ports the containers use (docker-compose.yml).
export OFWATCH_METRICS_PORT_INGEST=${OFWATCH_METRICS_PORT_INGEST:-9101}
export OFWATCH_METRICS_PORT_STORE=${OFWATCH_METRICS_PORT_STORE:-9102}
export OFWATCH_METRICS_PORT_ANALYTICS=${OFWATCH_METRICS_PORT_ANALYTICS:-9104}
export OFWATCH_METRICS_PORT_NOTIFY=${OFWATCH_METRICS_PORT_NOTIFY:-9105}
export OFWATCH_METRICS_PORT_WATCH=${OFWATCH_METRICS_PORT_WATCH:-9107}
stack_start_all "$bin" "$var/run" "$var/log"
if ! stack_wait_healthy "$bin" 60; then
  echo "make up: the services did not become healthy; see $var/log/" >&2
  exit 1
fi
# The CLI finds the keys from any directory through the user's config
# directory (ow_config.h): link it to this stack's keys. A directory of
# the user's own there is left alone.
config_dir="${XDG_CONFIG_HOME:-$HOME/.config}/ofwatch"
[[ "$config_dir" == /* ]] || config_dir="$HOME/.config/ofwatch"
keys_note="OFWATCH_KEYS=$OFWATCH_KEYS"
if [ "$OFWATCH_KEYS" = "$var/keys" ] && mkdir -p "$config_dir" 2>/dev/null; then
  if [ -L "$config_dir/keys" ] || [ ! -e "$config_dir/keys" ]; then
    ln -sfn "$var/keys" "$config_dir/keys"
    keys_note="keys in $var/keys, linked from $config_dir/keys so the CLI finds them from any directory"
  else
    keys_note="keys in $var/keys ($config_dir/keys is a directory of yours, left alone: set OFWATCH_KEYS=$var/keys)"
  fi
fi
echo "ofwatch is up: ingest ${OFWATCH_INGEST:-tcp://127.0.0.1:7101}, notify ${OFWATCH_NOTIFY_PUB:-tcp://127.0.0.1:7105}; logs in var/log/"
echo "  $keys_note"
echo "  the CLI is $bin/ofwatch (make install PREFIX=... puts it on your PATH)"
if [ "${OFWATCH_WATCH_INTERVAL:-3600}" = 0 ]; then
  echo "  the watch service is idle (OFWATCH_WATCH_INTERVAL=0); its log: var/log/watch.log"
else
  echo "  the watch service reads ${OFWATCH_OFSTED_URL:-https://reports.ofsted.gov.uk/} every ${OFWATCH_WATCH_INTERVAL:-3600} s; its log: var/log/watch.log"
fi
