#!/usr/bin/env bash
# make down: stops everything make up started (services, then PostgreSQL).
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tools/stack.sh"
stack_stop_all "$top/var/run"
# Replicas (OFWATCH_REPLICAS=N make up), whatever their number.
for pidfile in "$top"/var/run/*-[0-9].pid; do
  [ -e "$pidfile" ] || continue
  name=$(basename "$pidfile" .pid)
  stack_stop_service "$top/var/run" "$name"
done
"$top/tools/pg.sh" stop "$top/var/pg-standby"
"$top/tools/pg.sh" stop "$top/var/pg"
echo "ofwatch is down"
