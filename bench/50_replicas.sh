#!/usr/bin/env bash
# Two replicas: the records and events benchmarks (40_records.sh,
# 20_events.sh) again, against two of every service and a PostgreSQL
# primary with a synchronous streaming standby, as `OFWATCH_REPLICAS=2
# make up` runs them; each figure is printed beside the single-instance
# one of this run (bench/results/latest.txt, which `make bench` writes as
# it goes). The targets are the single instance's: an arrangement with
# no single point of failure should not cost more than they allow.
#
# Every commit now waits until the standby has applied it (an
# acknowledgement survives the primary), so this measures what that
# safety costs as much as what the second replicas add.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
latest=${OFWATCH_BENCH_RESULTS:-$bench_top/bench/results/latest.txt}
replicas=${OFWATCH_BENCH_REPLICAS:-2}
[ "$replicas" -ge 2 ] || replicas=2

# single PATTERN: the single-instance line of this run matching PATTERN.
single() {
  local line
  line=$(grep -m1 -- "$1" "$latest" 2>/dev/null | grep -v '^two replicas' || true)
  echo "${line:-(no single-instance figure in this run: run make bench, or bench/run.sh)}"
}

echo "two replicas: $replicas of every service, PostgreSQL primary and synchronous standby (remote_apply)"
status=0
for script in 40_records.sh 20_events.sh; do
  out=$(OFWATCH_BENCH_REPLICAS=$replicas bash "$here/$script" 2>&1) || status=1
  while IFS= read -r line; do
    case $line in
      "records rate:"*|"records ratio:"*|"commit-to-subscriber latency"*|"fan-out to"*)
        echo "  single instance: $(single "${line%%:*}:")"
        echo "  two replicas:    $line" ;;
      *FAILED*|*missing*|*"only "*)
        echo "  two replicas:    $line" ;;
    esac
  done <<<"$out"
done
exit $status
