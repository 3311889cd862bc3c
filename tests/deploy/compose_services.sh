#!/usr/bin/env bash
# Starts every service exactly as docker-compose.yml configures it (its
# environment, its command, its dependencies' health conditions) and runs
# compose's own healthchecks against them, with the real binaries and a
# real PostgreSQL. This machine has no Docker engine, so the containers'
# network is stood in for by a private network and mount namespace: the
# compose host names (postgres, store, ...) resolve to this namespace's
# loopback through an /etc/hosts visible only inside it, and the fixed
# ports cannot collide with anything running outside.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-build}
if [ "$(id -u)" -ne 0 ]; then
  echo "compose-services: skipped: creating a network namespace needs root"
  exit 0
fi
if ! unshare -m -n true 2>/dev/null; then
  echo "compose-services: skipped: this kernel or sandbox refuses new namespaces (unshare -m -n)"
  exit 0
fi
exec unshare -m -n /usr/bin/python3 "$top/tests/deploy/compose_services.py" "$top" "$top/$build/bin"
