# What the benchmark scripts share; sourced by bench/NN_*.sh.
#
# Each benchmark starts its own private stack like the integration harness
# does (a temporary directory, a private PostgreSQL, the five services on
# free loopback ports), so a benchmark never touches ./var and always
# starts from an empty database. Figures are printed as one line each,
# with the target and whether it is met:
#
#   corpus load: ofwatch 123.4 s, pdftotext x2 110.2 s, ratio 1.12 (target <= 1.15): met

bench_top=${OFWATCH_BENCH_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
. "$bench_top/tools/stack.sh"
bench_build=${BUILD:-build}
bench_bin="$bench_top/$bench_build/bin"
bench_progs="$bench_top/$bench_build/bench"
bench_corpus=${OFWATCH_BENCH_CORPUS:-$bench_top/../shared/corpus/reports}
bench_failed=0

# bench_now: seconds since the epoch with nanoseconds, for differences.
bench_now() { date +%s.%N; }

# bench_elapsed START: seconds since START (from bench_now), 0.1 s precision.
bench_elapsed() { awk -v s="$1" -v e="$(bench_now)" 'BEGIN { printf "%.1f", e - s }'; }

# bench_calc EXPR: awk arithmetic, printed with the format in BENCH_FMT.
bench_calc() { awk "BEGIN { printf \"${BENCH_FMT:-%.2f}\", $1 }"; }

# bench_verdict OK: "met" or "NOT met". Called inside $(...), a subshell,
# so a target not met is noted in a file named after this script's shell
# ($$ is the same in its subshells), which bench_exit reads.
bench_not_met="${TMPDIR:-/tmp}/ofwatch-bench-not-met.$$"
bench_verdict() {
  if [ "$1" = 1 ]; then echo met; else : >>"$bench_not_met"; echo "NOT met"; fi
}

# bench_exit: ends a benchmark script, failing (and so failing `make
# bench`) when a target was not met or bench_failed was set.
bench_exit() {
  if [ -e "$bench_not_met" ]; then rm -f "$bench_not_met"; bench_failed=1; fi
  exit "$bench_failed"
}

# bench_check VALUE OP LIMIT: prints the verdict of `VALUE OP LIMIT`
# (OP one of <= >= <).
bench_check() {
  bench_verdict "$(awk -v v="$1" -v l="$3" "BEGIN { print (v $2 l) ? 1 : 0 }")"
}

# bench_skip WHAT WHY: a figure that could not be measured, and why.
bench_skip() { echo "$1: not measured: $2"; }

# bench_stack_start: a private stack in a new temporary directory
# (BENCH_DIR), its OFWATCH_* variables exported. Ports are chosen free but
# may be taken before a service binds them, so a stack that does not come
# up is tried again on other ports. False when it never does (the reason
# is printed).
bench_stack_start() {
  local attempt
  for attempt in 1 2 3; do
    bench_stack_try && return 0
    bench_stack_stop
  done
  return 1
}

bench_stack_try() {
  BENCH_DIR=$(mktemp -d "/tmp/ofwatch-bench.XXXXXX")
  export OFWATCH_LOG=${OFWATCH_BENCH_LOG:-warn} OFWATCH_KEYS=$BENCH_DIR/keys
  local var service port_var
  for var in INGEST STORE STORE_EVENTS ANALYTICS NOTIFY_PUB NOTIFY_REPLAY WATCH; do
    export "OFWATCH_$var=tcp://127.0.0.1:$(stack_free_port)"
  done
  # The watch service idles: benchmarks never read Ofsted's site.
  export OFWATCH_WATCH_INTERVAL=0 OFWATCH_OFSTED_URL=http://127.0.0.1:1/
  for service in "${OFWATCH_SERVICES[@]}"; do
    port_var="OFWATCH_METRICS_PORT_${service^^}"
    export "$port_var=$(stack_free_port)"
  done
  export OFWATCH_PG_DIR=$BENCH_DIR/pg OFWATCH_PG_PORT=$(stack_free_port)
  export OFWATCH_HTTP_PORT=0         # analytics' web pages: not measured here
  mkdir -p "$BENCH_DIR/run" "$BENCH_DIR/log" "$BENCH_DIR/keys"
  # CURVE, as make up makes it: the servers' pair, every service's own
  # key and the inspectorate certificate the CLI and the benchmark
  # programs present.
  export OFWATCH_CERT=$OFWATCH_KEYS/local-admin.cert
  if ! stack_make_keys "$bench_bin"; then
    echo "bench: cannot make keys" >&2
    return 1
  fi
  if ! OFWATCH_PG=$("$bench_top/tools/pg.sh" start "$OFWATCH_PG_DIR" "$OFWATCH_PG_PORT"); then
    echo "bench: cannot start PostgreSQL" >&2
    return 1
  fi
  export OFWATCH_PG
  stack_start_all "$bench_bin" "$BENCH_DIR/run" "$BENCH_DIR/log"
  # As stack_wait_healthy, and giving up at once when a service stopped.
  local deadline=$((SECONDS + 60))
  while [ "$SECONDS" -lt "$deadline" ]; do
    for service in "${OFWATCH_SERVICES[@]}"; do
      if ! stack_alive "$BENCH_DIR/run" "$service"; then
        echo "bench: $service stopped at start: $(tail -1 "$BENCH_DIR/log/$service.log")" >&2
        return 1
      fi
    done
    "$bench_bin/ofwatch" health >/dev/null 2>&1 && return 0
    sleep 0.25
  done
  echo "bench: the services did not become healthy; logs in $BENCH_DIR/log" >&2
  return 1
}

# bench_stack_stop: stops what bench_stack_start started and removes its
# directory (kept, with the logs, when KEEP is set).
bench_stack_stop() {
  [ -n "${BENCH_DIR:-}" ] || return 0
  stack_stop_all "$BENCH_DIR/run"
  "$bench_top/tools/pg.sh" stop "$OFWATCH_PG_DIR"
  if [ -n "${OFWATCH_BENCH_KEEP:-}" ]; then echo "bench: kept $BENCH_DIR" >&2; else rm -rf "$BENCH_DIR"; fi
  BENCH_DIR=
}

# bench_pid NAME: the process id of a service of the running stack.
bench_pid() { cat "$BENCH_DIR/run/$1.pid"; }

# bench_psql SQL...: psql on the stack's database, unaligned, tuples only.
bench_psql() {
  local bindir
  bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$OFWATCH_PG_PORT" -U postgres \
    -d ofwatch -tA "$@"
}

# bench_settle SECONDS: waits until analytics and notify have followed the
# log to its end (with analytics' derived events included); false when
# they have not within SECONDS.
bench_settle() {
  "$bench_progs/bench_settle" "$1"
}

# bench_status_kib PID FIELD: VmRSS or VmHWM of a process in KiB (empty
# when it has gone).
bench_status_kib() {
  awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status" 2>/dev/null
}

# bench_mib KIB: KiB as MiB with one decimal.
bench_mib() { BENCH_FMT=%.1f bench_calc "${1:-0} / 1024"; }

# bench_descendants PID: the process ids of PID's children, theirs, and so
# on. Read with shell builtins alone, so sampling while a benchmark runs
# takes next to nothing from it.
bench_descendants() {
  bench_found=()
  bench_descendants_into "$1"
  [ ${#bench_found[@]} -eq 0 ] || printf '%s\n' "${bench_found[@]}"
}

bench_descendants_into() {
  local f kid kids
  for f in /proc/"$1"/task/*/children; do
    kids=()
    { read -r -a kids <"$f"; } 2>/dev/null
    for kid in "${kids[@]}"; do
      bench_found+=("$kid")
      bench_descendants_into "$kid"
    done
  done
}

# bench_read_hwm PID: sets bench_hwm to the process's VmHWM in KiB (empty
# when it has gone), with builtins alone.
bench_read_hwm() {
  local key value rest
  bench_hwm=
  { while read -r key value rest; do
      if [ "$key" = VmHWM: ]; then bench_hwm=$value; return; fi
    done <"/proc/$1/status"; } 2>/dev/null
}

# bench_cpu PID...: processor seconds (user + system) used so far by each
# PID and its descendants, those still running and those reaped.
bench_cpu() {
  local pid ticks=0 t
  for pid in "$@"; do
    for t in $(for p in "$pid" $(bench_descendants "$pid"); do
                 awk '{ sub(/^.*\) /, ""); print $12 + $13 + $14 + $15 }' "/proc/$p/stat" 2>/dev/null
               done); do
      ticks=$((ticks + t))
    done
  done
  BENCH_FMT=%.1f bench_calc "$ticks / $(getconf CLK_TCK)"
}

# bench_postmaster: the process id of the stack's PostgreSQL server.
bench_postmaster() { head -1 "$OFWATCH_PG_DIR/data/postmaster.pid"; }

# bench_cpu_start: notes the processor time each service (with its PDF
# workers) and PostgreSQL have used so far.
declare -A bench_cpu_at
bench_cpu_start() {
  local name
  for name in "${OFWATCH_SERVICES[@]}"; do
    bench_cpu_at[$name]=$(bench_cpu "$(bench_pid "$name")")
  done
  bench_cpu_at[postgres]=$(bench_cpu "$(bench_postmaster)")
}

# bench_cpu_since CLIENT_NAME CLIENT_SECONDS: the processor time used
# since bench_cpu_start, with the client's own: sets bench_cpu_total and
# bench_cpu_parts ("ingest and its PDF workers 1.2, store 0.3, ...").
bench_cpu_since() {
  local name used label
  bench_cpu_total=$2 bench_cpu_parts=
  for name in "${OFWATCH_SERVICES[@]}" postgres; do
    if [ "$name" = postgres ]; then used=$(bench_cpu "$(bench_postmaster)")
    else used=$(bench_cpu "$(bench_pid "$name")"); fi
    used=$(BENCH_FMT=%.1f bench_calc "$used - ${bench_cpu_at[$name]}")
    case $name in ingest) label="ingest and its PDF workers" ;; postgres) label=PostgreSQL ;; *) label=$name ;; esac
    bench_cpu_parts="$bench_cpu_parts$label $used, "
    bench_cpu_total=$(BENCH_FMT=%.1f bench_calc "$bench_cpu_total + $used")
  done
  bench_cpu_parts="$bench_cpu_parts$1 $2"
}

# bench_timed FILE COMMAND...: runs COMMAND, its input and output where
# the caller sends bench_timed's, and writes the user and system seconds
# it and its children used to FILE (bash's own `time`).
bench_timed() {
  local file=$1 TIMEFORMAT='%U %S'
  shift
  { time "$@" 2>&3; } 3>&2 2>"$file"
}

# bench_time_cpu FILE: the user + system seconds bench_timed wrote.
bench_time_cpu() { tail -1 "$1" | awk '{ printf "%.1f", $1 + $2 }'; }

# bench_sample_workers PARENT OUT: in the background, every 0.2 s, the
# largest VmHWM of any descendant of PARENT (PDF workers and the children
# they decode each document in) and how many were seen, written to OUT
# until the sampler is killed. Prints the sampler's pid.
bench_sample_workers() {
  local parent=$1 out=$2
  (
    peak=0
    declare -A seen=()
    while :; do
      bench_found=()
      bench_descendants_into "$parent"
      for child in "${bench_found[@]}"; do
        bench_read_hwm "$child"
        [ -n "$bench_hwm" ] || continue
        seen[$child]=1
        [ "$bench_hwm" -gt "$peak" ] && peak=$bench_hwm
      done
      echo "$peak ${#seen[@]}" >"$out"
      sleep 0.2
    done
  ) >/dev/null 2>&1 &
  echo $!
}
