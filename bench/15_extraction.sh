#!/usr/bin/env bash
# Extraction beside decoding: over every report of the corpus, the
# processor time of extraction from the decoded text (classifying,
# authority, dates, judgements, findings, themes) as a share of poppler's
# text decoding of the same PDFs, in one process (bench/bench_extraction.c).
#
#   figure: extraction / decoding                   target < 5%
set -uo pipefail
. "$(dirname "$0")/lib.sh"

target_percent=5
if [ ! -d "$bench_corpus" ]; then
  bench_skip "extraction" "no corpus at $bench_corpus"
  exit 0
fi
echo "command: bench_extraction CORPUS/*/*.pdf (processor time: extract_decode once, extract_text the fastest of 5)"
mapfile -t pdfs < <(find "$bench_corpus" -name '*.pdf' | sort)
if ! read -r files decode extract slowest slowest_s < <("$bench_progs/bench_extraction" "${pdfs[@]}"); then
  echo "extraction: FAILED (bench_extraction found no PDFs or could not load the register)"
  exit 1
fi
percent=$(bench_calc "100 * $extract / $decode")
echo "extraction: $files PDFs, decoding (poppler) $decode s, extraction $extract s, $percent% of decoding (target < $target_percent%): $(bench_check "$percent" "<" "$target_percent")"
echo "extraction slowest file: ${slowest#"$bench_corpus"/} $(BENCH_FMT=%.1f bench_calc "$slowest_s * 1000") ms"
bench_exit
