#!/usr/bin/env bash
# Structured records: a feed of 100,000 findings and judgements about
# every authority (bench/bench_records.c: one national JSON feed in files
# of 10,000 records, in the shape of CONTRACTS.md section 4, each file
# about every authority) through `ofwatch submit` into
# PostgreSQL with all its events, until analytics and notify have caught
# up; against `psql \copy` of the same rows into a plain table of the same
# cluster, in the same run.
#
#   rate: records stored a second                   target >= 50,000 /s
#   ratio: ofwatch's rate / the bare copy's         target >= 0.5
#
# A record counts as stored when its row is in PostgreSQL (judgement,
# finding); the feed's count is printed beside it, so a record extraction
# does not read shows as missing rather than as speed.
# OFWATCH_BENCH_RECORDS changes the count.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

records=${OFWATCH_BENCH_RECORDS:-100000}
target_rate=50000 target_ratio=0.5
work=$(mktemp -d /tmp/ofwatch-bench-records.XXXXXX)
trap 'bench_stack_stop; rm -rf "$work"' EXIT

if ! read -r files generated < <("$bench_progs/bench_records" "$work" "$records"); then
  echo "records: FAILED (bench_records could not write the feed)"
  exit 1
fi
if ! bench_stack_start; then
  echo "records: FAILED (the stack did not come up)"
  exit 1
fi
echo "feed: $generated records (judgements and findings) about every authority in $files JSON files of $(du -sh "$work/feed" | cut -f1); the same rows in a $(du -sh "$work/rows.csv" | cut -f1) CSV"
echo "commands: psql -c '\\copy plain FROM rows.csv CSV'; ofwatch submit FEED_DIR, then until analytics and notify reach store's last seq"

# The bare copy, on the stack's own cluster before ofwatch writes to it.
bench_psql -c "CREATE TABLE bench_plain (authority text, start_date date, kind text,
                 what text, value text, text text)" >/dev/null
start=$(bench_now)
bench_psql -c "\\copy bench_plain FROM '$work/rows.csv' CSV" >/dev/null
copy_seconds=$(BENCH_FMT=%.3f bench_calc "$(bench_now) - $start")
copied=$(bench_psql -c "SELECT count(*) FROM bench_plain")
bench_psql -c "DROP TABLE bench_plain" >/dev/null
copy_rate=$(BENCH_FMT=%.0f bench_calc "$copied / $copy_seconds")

bench_cpu_start
start=$(bench_now)
bench_timed "$work/submit.time" \
  "$bench_bin/ofwatch" submit --json "$work/feed" >"$work/submit.json" 2>"$work/submit.err"
submit_seconds=$(bench_elapsed "$start")
if ! events=$(bench_settle 600); then
  echo "records: FAILED (analytics and notify did not catch up within 600 s)"
  exit 1
fi
seconds=$(BENCH_FMT=%.3f bench_calc "$(bench_now) - $start")
bench_cpu_since "ofwatch submit" "$(bench_time_cpu "$work/submit.time")"
rejected=$(grep -c '"ok":false' "$work/submit.json")
stored=$(bench_psql -c "SELECT (SELECT count(*) FROM judgement) + (SELECT count(*) FROM finding)")
rate=$(BENCH_FMT=%.0f bench_calc "$stored / $seconds")
ratio=$(bench_calc "$rate / $copy_rate")

echo "records bare copy: psql \\copy $copied rows in $copy_seconds s, $copy_rate rows/s"
echo "records ofwatch: $files files ($rejected rejected), $stored of $generated records stored, $events events, $seconds s (submit returned after $submit_seconds s)"
if [ "$stored" -lt "$generated" ]; then
  echo "records missing: $((generated - stored)) of the feed's records were not stored (see the report: extraction of JSON feeds)"
fi
echo "records rate: ofwatch $rate records/s (target >= $target_rate/s): $(bench_check "$rate" ">=" "$target_rate")"
echo "records ratio: ofwatch $rate/s, psql \\copy $copy_rate/s, ratio $ratio (target >= $target_ratio): $(bench_check "$ratio" ">=" "$target_ratio")"
echo "records processor time: $bench_cpu_total s ($bench_cpu_parts)"
bench_exit
