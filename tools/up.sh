#!/usr/bin/env bash
# make up: the private PostgreSQL cluster under ./var and the four services
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
stack_start_all "$bin" "$var/run" "$var/log"
if ! stack_wait_healthy "$bin" 60; then
  echo "make up: the services did not become healthy; see $var/log/" >&2
  exit 1
fi
echo "ofwatch is up: ingest ${OFWATCH_INGEST:-tcp://127.0.0.1:7101}, notify ${OFWATCH_NOTIFY_PUB:-tcp://127.0.0.1:7105}; logs in var/log/"
