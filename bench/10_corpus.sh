#!/usr/bin/env bash
# Corpus load: every report of ../shared/corpus/reports through ingest,
# store, analytics and notify on a fresh database, against pdftotext over
# the same files with 2 parallel processes, measured in the same run.
#
#   figure: ofwatch time / pdftotext time          target <= 1.15
#   memory: each service idle and at peak          target < 32 MiB each
#           (PDF worker processes reported apart)
#   scaling: 1x, 2x, 4x the corpus (copies with a line appended after
#           %%EOF, so they are new documents saying the same things):
#           processor time per document at 4x / at 1x   target <= 1.10
#           (wall-clock time per document beside it)
#
# The machine is shared, so wall-clock times move with whatever else runs:
# pdftotext runs before and after the ofwatch load and the ratio uses the
# mean of the two, and the processor time of both sides (every ofwatch
# process, its PDF workers and PostgreSQL's backends; pdftotext's
# processes) is printed beside it, which other load does not change.
# OFWATCH_BENCH_SCALES="1 2 4" picks the scales; OFWATCH_BENCH_CORPUS
# another directory of PDFs.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

scales=${OFWATCH_BENCH_SCALES:-1 2 4}
target_ratio=1.15 target_mib=32 target_scaling=1.10

if [ ! -d "$bench_corpus" ]; then
  bench_skip "corpus load" "no corpus at $bench_corpus"
  exit 0
fi
if ! command -v pdftotext >/dev/null; then
  bench_skip "corpus load" "pdftotext is not installed (apt-get install poppler-utils)"
  exit 0
fi
mapfile -t files < <(find "$bench_corpus" -name '*.pdf' | sort)
work=$(mktemp -d /tmp/ofwatch-bench-corpus.XXXXXX)
trap 'bench_stack_stop; rm -rf "$work"' EXIT

# The corpus N times over: copy 1 is the files themselves, copy k > 1 the
# same files with "%ofwatch bench copy k" appended (PDF readers ignore
# what follows %%EOF), under the same names so publication dates still
# come from them.
make_copies() {
  local n=$1 k f rel
  rm -rf "$work/copies"
  for k in $(seq 1 "$n"); do
    for f in "${files[@]}"; do
      rel=${f#"$bench_corpus"/}
      mkdir -p "$work/copies/$k/$(dirname "$rel")"
      if [ "$k" = 1 ]; then ln -s "$f" "$work/copies/$k/$rel"
      else { cat "$f"; printf '\n%%ofwatch bench copy %d\n' "$k"; } >"$work/copies/$k/$rel"; fi
    done
  done
}

# pdftotext_x2: the wall-clock and processor seconds of pdftotext over
# every file, two at a time: "WALL CPU".
pdftotext_x2() {
  local start wall
  start=$(bench_now)
  bench_timed "$work/pdftotext.time" \
    xargs -0 -P2 -n1 sh -c 'pdftotext -q "$0" - >/dev/null' < <(printf '%s\0' "${files[@]}")
  wall=$(bench_elapsed "$start")
  echo "$wall $(bench_time_cpu "$work/pdftotext.time")"
}

# load N: a fresh stack, the corpus N times through `ofwatch submit`, until
# analytics and notify have caught up. Sets load_seconds, submit_seconds,
# load_stored, load_rejected, load_events, the memory figures (KiB) and
# the processor time (bench_cpu_total, bench_cpu_parts).
declare -A idle_kib peak_kib
load() {
  local n=$1 start sampler name json
  make_copies "$n"
  bench_stack_start || return 1
  for name in "${OFWATCH_SERVICES[@]}"; do
    idle_kib[$name]=$(bench_status_kib "$(bench_pid "$name")" VmRSS)
  done
  bench_cpu_start
  sampler=$(bench_sample_workers "$(bench_pid ingest)" "$work/workers")
  json="$work/submit.json"
  start=$(bench_now)
  bench_timed "$work/submit.time" \
    "$bench_bin/ofwatch" submit --json "$work/copies" >"$json" 2>"$work/submit.err"
  submit_seconds=$(bench_elapsed "$start")
  load_events=$(bench_settle 600) || { kill "$sampler"; return 1; }
  load_seconds=$(bench_elapsed "$start")
  kill "$sampler"; wait "$sampler" 2>/dev/null
  for name in "${OFWATCH_SERVICES[@]}"; do
    peak_kib[$name]=$(bench_status_kib "$(bench_pid "$name")" VmHWM)
  done
  bench_cpu_since "ofwatch submit" "$(bench_time_cpu "$work/submit.time")"
  read -r workers_kib workers_seen <"$work/workers" || { workers_kib=0; workers_seen=0; }
  load_stored=$(grep -c '"ok":true' "$json")
  load_rejected=$(grep -c '"ok":false' "$json")
  bench_stack_stop
}

echo "corpus: ${#files[@]} PDFs, $(du -shL "$bench_corpus" | cut -f1), $bench_corpus"
echo "commands: pdftotext -q FILE - (xargs -P2); ofwatch submit --json DIR, then until analytics and notify reach store's last seq"

read -r pdf_before pdf_cpu_before < <(pdftotext_x2)
declare -A seconds cpu_seconds
for n in $scales; do
  if ! load "$n"; then
    echo "corpus load ${n}x: FAILED (the stack did not come up or settle)"
    bench_failed=1
    bench_stack_stop
    continue
  fi
  seconds[$n]=$load_seconds cpu_seconds[$n]=$bench_cpu_total
  echo "corpus load ${n}x: $((n * ${#files[@]})) files, $load_stored stored, $load_rejected rejected, $load_events events, $load_seconds s (submit returned after $submit_seconds s)"
  [ "$n" = 1 ] || continue
  read -r pdf_after pdf_cpu_after < <(pdftotext_x2)
  pdf=$(BENCH_FMT=%.1f bench_calc "($pdf_before + $pdf_after) / 2")
  pdf_cpu=$(BENCH_FMT=%.1f bench_calc "($pdf_cpu_before + $pdf_cpu_after) / 2")
  ratio=$(bench_calc "$load_seconds / $pdf")
  echo "corpus load: ofwatch $load_seconds s, pdftotext x2 $pdf s ($pdf_before s before, $pdf_after s after), ratio $ratio (target <= $target_ratio): $(bench_check "$ratio" "<=" "$target_ratio")"
  echo "corpus processor time: ofwatch $bench_cpu_total s ($bench_cpu_parts), pdftotext $pdf_cpu s, ratio $(bench_calc "$bench_cpu_total / $pdf_cpu") (no target: the work done, whatever else the machine runs)"
  for name in "${OFWATCH_SERVICES[@]}"; do
    echo "memory $name: idle $(bench_mib "${idle_kib[$name]}") MiB, peak $(bench_mib "${peak_kib[$name]}") MiB (target < $target_mib MiB): $(bench_check "${peak_kib[$name]:-0}" "<" $((target_mib * 1024)))"
  done
  if [ "${workers_seen:-0}" -gt 0 ]; then
    echo "memory PDF workers: largest peak $(bench_mib "$workers_kib") MiB over $workers_seen process(es) (workers and the children they decode in; reported apart, no target)"
  else
    echo "memory PDF workers: none seen (ingest decodes PDFs in its own process, counted above)"
  fi
done

# Per document, against 1x: processor time says whether the work grows
# faster than the corpus (a scan that grows with the tables would show
# here); wall-clock time also moves with whatever else the machine runs.
if [ -n "${seconds[1]:-}" ]; then
  line="corpus scaling:"
  for n in $scales; do
    [ -n "${seconds[$n]:-}" ] || continue
    line="$line ${n}x $(BENCH_FMT=%.1f bench_calc "${cpu_seconds[$n]} * 1000 / ($n * ${#files[@]})") ms processor time, $(BENCH_FMT=%.1f bench_calc "${seconds[$n]} * 1000 / ($n * ${#files[@]})") ms wall a file;"
  done
  largest=$(echo "$scales" | tr ' ' '\n' | sort -n | tail -1)
  if [ "$largest" != 1 ] && [ -n "${seconds[$largest]:-}" ]; then
    growth=$(bench_calc "(${cpu_seconds[$largest]} / $largest) / ${cpu_seconds[1]}")
    wall_growth=$(bench_calc "(${seconds[$largest]} / $largest) / ${seconds[1]}")
    echo "$line"
    echo "corpus scaling ${largest}x/1x: processor time a file $growth (target <= $target_scaling): $(bench_check "$growth" "<=" "$target_scaling"); wall a file $wall_growth"
  else
    echo "${line%;}"
  fi
fi
bench_exit
