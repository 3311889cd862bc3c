#!/usr/bin/env bash
# make up: the private PostgreSQL cluster under ./var and the five services
# in the background; returns once `ofwatch health` passes. Starts only
# what is not running, so it also restarts a service that died.
#
# OFWATCH_REPLICAS=N (default 1) starts N of every service instead, replica
# n on the default ports plus 100*(n-1) (ingest-2 on 7201, ...), and a
# streaming standby of PostgreSQL under ./var/pg-standby (port 7200) that
# every commit waits for; the services reach both servers through one
# multi-host connection string, and every client connects to every
# replica, so any one process can die without stopping the others.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tools/stack.sh"
bin="$top/build/bin"
var="$top/var"
mkdir -p "$var/run" "$var/log" "$var/keys"

pg_port=${OFWATCH_PG_PORT:-7100}
replicas=${OFWATCH_REPLICAS:-1}
[[ "$replicas" =~ ^[1-9]$ ]] || { echo "make up: OFWATCH_REPLICAS must be a number from 1 to 9" >&2; exit 1; }
if [ -z "${OFWATCH_PG:-}" ]; then
  export OFWATCH_PG
  OFWATCH_PG=$("$top/tools/pg.sh" start "$var/pg" "$pg_port")
  if [ "$replicas" -gt 1 ]; then
    standby_port=${OFWATCH_PG_STANDBY_PORT:-7200}
    "$top/tools/pg.sh" standby "$var/pg-standby" "$standby_port" "$pg_port" >/dev/null
    "$top/tools/pg.sh" synchronous "$var/pg" "$pg_port"
    OFWATCH_PG="host=127.0.0.1,127.0.0.1 port=$pg_port,$standby_port user=postgres dbname=ofwatch target_session_attrs=read-write"
    export OFWATCH_PG_READ=${OFWATCH_PG_READ:-"host=127.0.0.1,127.0.0.1 port=$standby_port,$pg_port user=postgres dbname=ofwatch target_session_attrs=prefer-standby"}
  elif [ -d "$var/pg-standby" ]; then
    # A single instance after replicas: commits must not wait for a
    # standby that is no longer started.
    "$top/tools/pg.sh" synchronous "$var/pg" "$pg_port" off
  fi
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
if [ "$replicas" -gt 1 ]; then
  # Replica n binds <variable>_n; every other process connects to the
  # list of all of them in <variable>.
  declare -A defaults=([OFWATCH_INGEST]=7101 [OFWATCH_STORE]=7102 [OFWATCH_STORE_EVENTS]=7103
    [OFWATCH_ANALYTICS]=7104 [OFWATCH_NOTIFY_PUB]=7105 [OFWATCH_NOTIFY_REPLAY]=7106
    [OFWATCH_WATCH]=7107)
  for variable in "${!defaults[@]}"; do
    list=""
    for n in $(seq "$replicas"); do
      export "${variable}_$n=tcp://127.0.0.1:$((defaults[$variable] + 100 * (n - 1)))"
      own="${variable}_$n"; list="${list:+$list,}${!own}"
    done
    export "$variable=$list"
  done
  for n in $(seq "$replicas"); do
    export "OFWATCH_HTTP_PORT_$n=$((${OFWATCH_HTTP_PORT:-7180} + 100 * (n - 1)))"
    for name in "${OFWATCH_SERVICES[@]}"; do
      port_var="OFWATCH_METRICS_PORT_${name^^}"
      export "${port_var}_$n=$((${!port_var} + 100 * (n - 1)))"
    done
  done
  for name in "${OFWATCH_SERVICES[@]}"; do
    for n in $(seq "$replicas"); do stack_start_replica "$bin" "$var/run" "$var/log" "$name" "$n"; done
  done
else
  stack_start_all "$bin" "$var/run" "$var/log"
fi
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
if [ "$replicas" -gt 1 ]; then
  echo "  $replicas replicas of every service; PostgreSQL primary on $pg_port, synchronous standby on ${standby_port:-?}"
  echo "  set OFWATCH_PG, OFWATCH_INGEST, OFWATCH_NOTIFY_PUB etc. to the same lists for the CLI: e.g. OFWATCH_INGEST=$OFWATCH_INGEST"
fi
echo "  $keys_note"
echo "  the CLI is $bin/ofwatch (make install PREFIX=... puts it on your PATH)"
if [ "${OFWATCH_WATCH_INTERVAL:-3600}" = 0 ]; then
  echo "  the watch service is idle (OFWATCH_WATCH_INTERVAL=0); its log: var/log/watch.log"
else
  echo "  the watch service reads ${OFWATCH_OFSTED_URL:-https://reports.ofsted.gov.uk/} every ${OFWATCH_WATCH_INTERVAL:-3600} s; its log: var/log/watch.log"
fi
