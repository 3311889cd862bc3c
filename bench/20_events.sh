#!/usr/bin/env bash
# Events to subscribers: how soon a committed event reaches a SUB client
# on notify, and how many deliveries a second notify makes to ten of them.
#
#   latency at 1,000 events/s for 10 s: p50 and p99 of (arrival at a SUB
#   client on notify) - (recorded_at, stamped inside store's transaction),
#   so the commit itself is counted too              target p99 < 5 ms
#   fan-out: 50,000 events to 10 SUB clients, deliveries a second from the
#   first arrival to the last                        target >= 50,000 /s
#
# Events are written straight into the log with DeriveRequests
# (bench/bench_events.c), on a private stack like the integration tests'.
# OFWATCH_BENCH_RATE, OFWATCH_BENCH_SECONDS, OFWATCH_BENCH_BATCH (events a
# transaction, 10 by default: about what one document causes),
# OFWATCH_BENCH_SUBSCRIBERS and OFWATCH_BENCH_EVENTS change the load.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

rate=${OFWATCH_BENCH_RATE:-1000} seconds=${OFWATCH_BENCH_SECONDS:-10} batch=${OFWATCH_BENCH_BATCH:-10}
subscribers=${OFWATCH_BENCH_SUBSCRIBERS:-10} events=${OFWATCH_BENCH_EVENTS:-50000}
target_p99=5 target_fanout=50000
trap 'bench_stack_stop' EXIT

if ! bench_stack_start; then
  echo "events: FAILED (the stack did not come up)"
  exit 1
fi
echo "events: written with DeriveRequests to store, received by SUB clients on notify (CURVE), $(nproc) cores"

if read -r p50 p99 max received sent elapsed store_p50 store_p99 hop_p50 hop_p99 < <("$bench_progs/bench_events" latency "$rate" "$seconds" "$batch"); then
  echo "commit-to-subscriber latency at $rate events/s ($batch a transaction): $received of $sent events in $elapsed s, p50 $p50 ms, p99 $p99 ms, max $max ms (target p99 < $target_p99 ms): $(bench_check "$p99" "<" "$target_p99")"
  echo "  store's part (stamp, commit, publish; a SUB client on store's PUB): p50 $store_p50 ms, p99 $store_p99 ms; notify's hop (its arrival less store's, per event): p50 $hop_p50 ms, p99 $hop_p99 ms"
  [ "$received" = "$sent" ] || { echo "  (only $received of $sent events arrived)"; bench_failed=1; }
else
  echo "commit-to-subscriber latency: FAILED (see above)"; bench_failed=1
fi

if read -r total each received expected elapsed < <("$bench_progs/bench_events" fanout "$subscribers" "$events"); then
  echo "fan-out to $subscribers subscribers: $received of $expected deliveries in $elapsed s, $total deliveries/s ($each /s each) (target >= $target_fanout /s): $(bench_check "$total" ">=" "$target_fanout")"
  [ "$received" = "$expected" ] || { echo "  (only $received of $expected deliveries arrived)"; bench_failed=1; }
else
  echo "fan-out: FAILED (see above)"; bench_failed=1
fi
bench_exit
