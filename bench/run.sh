#!/usr/bin/env bash
# make bench: runs every bench/NN_*.sh in order and keeps what they print,
# with the machine and the date, in bench/results/latest.txt. Each script
# prints its figures with their target and whether it is met.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
export BUILD=${BUILD:-build} OFWATCH_BENCH_TOP=$top
out="$top/bench/results/latest.txt"
mkdir -p "$top/bench/results"
{
  echo "ofwatch benchmarks, $(date -u +%Y-%m-%dT%H:%MZ), commit $(git -C "$top" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
  echo
} | tee "$out"
status=0
for script in "$top"/bench/[0-9][0-9]_*.sh; do
  [ -e "$script" ] || continue
  echo "== $(basename "$script")" | tee -a "$out"
  bash "$script" 2>&1 | tee -a "$out"
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
  echo | tee -a "$out"
done
exit $status
