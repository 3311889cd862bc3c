# Starting and stopping ofwatch's processes; sourced by up.sh, down.sh,
# run.sh and the integration test harness, so there is one way to do it.
#
# Every function takes the run directory holding pid files (<name>.pid)
# and the log directory (<name>.log, JSON lines). Services read their
# configuration from the OFWATCH_* variables already exported.

# The services: each is started as ofwatch-<name> and presents its own
# service key, <name>.cert, to the others (stack_make_keys). Adding a
# service here is all it takes for make up, make run, the test harness
# and the benchmarks to give it a key and start it.
OFWATCH_SERVICES=(store ingest analytics notify watch)

# stack_make_keys BIN_DIR: the CURVE certificates in $OFWATCH_KEYS, made
# unless they exist: the servers' pair, a service key for every service
# above, and local-admin, the inspectorate key the CLI presents by
# default (its requests are not rate limited: it is the operator's).
stack_make_keys() {
  local bin=$1
  mkdir -p "$OFWATCH_KEYS"
  "$bin/ofwatch" keys services "${OFWATCH_SERVICES[@]}" >/dev/null || return 1
  if [ ! -f "$OFWATCH_KEYS/local-admin.cert" ]; then
    "$bin/ofwatch" keys new local-admin --role inspectorate --rate 0 >/dev/null || return 1
  fi
}

# stack_running PID: true while PID exists and is not a zombie (where
# nothing reaps orphans, a dead service lingers as one).
stack_running() {
  local state
  state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
  [ -n "$state" ] && [ "$state" != Z ]
}

# stack_alive RUN_DIR NAME: true when NAME's pid file names a live process.
stack_alive() {
  local pidfile="$1/$2.pid"
  [ -f "$pidfile" ] && stack_running "$(cat "$pidfile")"
}

# stack_start_service BIN_DIR RUN_DIR LOG_DIR NAME: starts NAME unless it
# runs. Its metrics port comes from OFWATCH_METRICS_PORT_<NAME> (e.g.
# OFWATCH_METRICS_PORT_STORE), since the services share one environment
# here while each container has its own.
stack_start_service() {
  local bin=$1 run=$2 log=$3 name=$4 port_var
  mkdir -p "$run" "$log"
  if stack_alive "$run" "$name"; then return 0; fi
  port_var="OFWATCH_METRICS_PORT_${name^^}"
  OFWATCH_METRICS_PORT=${!port_var:-${OFWATCH_METRICS_PORT:-0}} \
    nohup "$bin/ofwatch-$name" </dev/null >>"$log/$name.log" 2>&1 &
  echo $! >"$run/$name.pid"
}

# stack_start_all BIN_DIR RUN_DIR LOG_DIR: every service not running.
stack_start_all() {
  local name
  for name in "${OFWATCH_SERVICES[@]}"; do stack_start_service "$1" "$2" "$3" "$name"; done
}

# stack_stop_service RUN_DIR NAME [SIGNAL]: stops NAME, waiting up to 15 s
# for a clean exit (SIGTERM) before SIGKILL.
stack_stop_service() {
  local run=$1 name=$2 signal=${3:-TERM} pid i
  [ -f "$run/$name.pid" ] || return 0
  pid=$(cat "$run/$name.pid")
  if stack_running "$pid"; then
    kill -"$signal" "$pid" 2>/dev/null || true
    for i in $(seq 150); do stack_running "$pid" || break; sleep 0.1; done
    stack_running "$pid" && kill -KILL "$pid" 2>/dev/null
    # Reap it when it is our child, so sanitizer reports are flushed.
    wait "$pid" 2>/dev/null || true
  fi
  rm -f "$run/$name.pid"
}

stack_stop_all() {
  local name
  for name in watch notify analytics ingest store; do stack_stop_service "$1" "$name"; done
}

# stack_wait_healthy BIN_DIR SECONDS: until `ofwatch health` passes, or
# SECONDS have gone by (a failing check itself takes seconds, so this
# counts time, not tries).
stack_wait_healthy() {
  local bin=$1 deadline=$((SECONDS + $2))
  while [ "$SECONDS" -lt "$deadline" ]; do
    "$bin/ofwatch" health >/dev/null 2>&1 && return 0
    sleep 0.25
  done
  "$bin/ofwatch" health >&2 || true
  return 1
}

# stack_free_port: a TCP port on 127.0.0.1 nothing listens on now and
# not handed out before by this shell (the ports of one stack are chosen
# before any of them is bound). Callers use $(...), a subshell, so the
# ports handed out are remembered in a file, not a variable.
#
# Ports come from below the kernel's ephemeral range: a port in it can be
# taken between the check and the bind by any outgoing connection (a
# client, PostgreSQL's own), and a service then fails with "Address
# already in use".
STACK_PORTS_FILE=${STACK_PORTS_FILE:-${TMPDIR:-/tmp}/ofwatch-ports.$$}
stack_free_port() {
  local port low=10000 high
  read -r high _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || high=32768
  [ "$high" -gt $((low + 1000)) ] || { low=20000; high=50000; }
  while :; do
    port=$((low + RANDOM % (high - low)))
    grep -qx "$port" "$STACK_PORTS_FILE" 2>/dev/null && continue
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && continue
    echo "$port" >>"$STACK_PORTS_FILE"
    echo "$port"
    return
  done
}
