#!/usr/bin/env bash
# check_deploy.sh - the deployment step of `make test`.
#
# Checks docker-compose.yml and deploy/k8s/ without a Docker engine or a
# Kubernetes cluster:
#   1. docker-compose config -q    the Compose file is valid (when the
#                                  docker-compose command is installed)
#   2. yamllint                    YAML is well formed (deploy/.yamllint)
#   3. check_manifests.py          the files follow the deployment rules
#                                  (probes, resources, non-root, env only
#                                  from CONTRACTS.md variables, ports...)
# Prints "ok: ..." / "FAIL: ..." per check and ends with
# "deploy: N passed, M failed"; exits non-zero on any failure.
#
# Needs the Debian packages yamllint and python3-yaml (and docker-compose
# for step 1); the Makefile's bootstrap installs them.

set -u

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT" || exit 2

PYTHON=/usr/bin/python3      # the system one: it has python3-yaml
passed=0
failed=0

ok()   { echo "ok: $*";   passed=$((passed + 1)); }
fail() { echo "FAIL: $*"; failed=$((failed + 1)); }

# Runs a command; on failure shows its output indented under the FAIL line.
run_check() {
    local what="$1"; shift
    local out
    if out="$("$@" 2>&1)"; then
        ok "$what"
    else
        fail "$what"
        printf '%s\n' "$out" | sed 's/^/    /'
    fi
}

# 1. docker-compose config
if command -v docker-compose >/dev/null 2>&1; then
    # Validate without inheriting the caller's COMPOSE_* or .env surprises.
    run_check "docker-compose config -q accepts docker-compose.yml" \
        env -u COMPOSE_FILE -u COMPOSE_PROFILES \
        docker-compose --project-directory "$ROOT" -f docker-compose.yml config -q
    run_check "docker-compose config -q accepts docker-compose.yml with profile samples" \
        env -u COMPOSE_FILE -u COMPOSE_PROFILES \
        docker-compose --project-directory "$ROOT" -f docker-compose.yml \
        --profile samples config -q
else
    echo "skip: docker-compose not installed (Debian package docker-compose); Compose file not validated by it"
fi

# 2. yamllint
if command -v yamllint >/dev/null 2>&1; then
    run_check "yamllint (deploy/.yamllint) on docker-compose.yml and deploy/k8s/" \
        yamllint -c deploy/.yamllint docker-compose.yml deploy/k8s/
else
    fail "yamllint not installed (Debian package yamllint)"
fi

# 3. manifest rules
if [ ! -x "$PYTHON" ]; then
    fail "$PYTHON not found (Debian package python3)"
elif ! "$PYTHON" -c 'import yaml' >/dev/null 2>&1; then
    fail "PyYAML missing for $PYTHON (Debian package python3-yaml)"
else
    out="$("$PYTHON" tests/deploy/check_manifests.py 2>&1)"
    rc=$?
    printf '%s\n' "$out"
    n_ok=$(printf '%s\n' "$out" | grep -c '^ok: ')
    n_fail=$(printf '%s\n' "$out" | grep -c '^FAIL: ')
    passed=$((passed + n_ok))
    failed=$((failed + n_fail))
    if [ "$rc" -ne 0 ] && [ "$n_fail" -eq 0 ]; then
        fail "check_manifests.py exited $rc without naming a failure"
    fi
fi

echo "deploy: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
