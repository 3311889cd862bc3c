#!/usr/bin/env bash
# make down: stops everything make up started (services, then PostgreSQL).
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tools/stack.sh"
stack_stop_all "$top/var/run"
"$top/tools/pg.sh" stop "$top/var/pg"
echo "ofwatch is down"
