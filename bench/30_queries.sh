#!/usr/bin/env bash
# Query latency: with every report of ../shared/corpus and the seeds
# loaded, each question analytics answers, asked over its ROUTER as the
# CLI asks it (bench_queries), one at a time:
#
#   one authority (history, benchmark, themes)      target p99 < 2 ms
#   England (national, themes, export summary)      target p99 < 50 ms
#   rendered pages (report)                         reported, no target
#
# OFWATCH_BENCH_QUERIES sets how many of each (default 1000).
set -uo pipefail
. "$(dirname "$0")/lib.sh"

seeds=$bench_corpus/../../seeds
if [ ! -d "$bench_corpus" ]; then
  bench_skip "query latency" "no corpus at $bench_corpus"
  exit 0
fi
trap 'bench_stack_stop' EXIT
if ! bench_stack_start; then
  echo "query latency: FAILED (the stack did not come up)"
  exit 1
fi
"$bench_bin/ofwatch" submit "$bench_corpus" >/dev/null 2>&1
if [ -d "$seeds" ]; then
  # The seeds' publication dates and authority as their pages print them.
  "$bench_bin/ofwatch" submit --published 2023-06-22 "$seeds"/000_*.txt >/dev/null 2>&1
  "$bench_bin/ofwatch" submit --authority E06000019 --published 2014-09-11 "$seeds"/001_*.txt >/dev/null 2>&1
  "$bench_bin/ofwatch" submit --authority E06000019 "$seeds"/002_*.txt >/dev/null 2>&1
  "$bench_bin/ofwatch" submit "$seeds"/003_*.txt >/dev/null 2>&1
  "$bench_bin/ofwatch" submit --published 2020-09-23 "$seeds"/004_*.txt >/dev/null 2>&1
fi
if ! events=$(bench_settle 900); then
  echo "query latency: FAILED (analytics did not catch up with the log)"
  exit 1
fi
echo "loaded: $(find "$bench_corpus" -name '*.pdf' | wc -l) reports and the seeds, $events events"
"$bench_progs/bench_queries" "${OFWATCH_BENCH_QUERIES:-1000}"
