#!/usr/bin/env bash
#   tests/fuzz/run.sh [SECONDS] — builds every libFuzzer target in tests/fuzz
#   with clang -fsanitize=fuzzer,address,undefined against the extraction
#   sources, then runs each for SECONDS (default 20) from its seed corpus in
#   tests/fuzz/corpus/<target>/. Exits non-zero on the first crash, leak or
#   undefined behaviour; the reproducer is left in build/fuzz/.
#   Run from the repository root.
set -euo pipefail

SECONDS_EACH="${1:-20}"
OUT=build/fuzz
CC="${FUZZ_CC:-clang}"
mkdir -p "$OUT"

# The generated protobuf code the sources include.
make -s build/gen/ofwatch/v1/facts.pb-c.h build/gen/ofwatch/v1/vocab.pb-c.h \
        build/gen/ofwatch/v1/events.pb-c.h build/gen/ofwatch/v1/service.pb-c.h \
        build/gen/ofwatch/v1/security.pb-c.h >/dev/null

# (liblinear and libstemmer, for the findings classifier, have no
# pkg-config file; they are linked by name below.)
PKGS="libprotobuf-c poppler-glib libcrypto jansson libczmq libcurl libxml-2.0"
SOURCES="lib/extract/*.c lib/common/ow_register.c lib/common/ow_date.c lib/common/ow_csv.c lib/common/ow_pb.c \
         lib/common/ow_vocab.c build/gen/ofwatch/v1/*.pb-c.c \
         lib/common/ow_check.c lib/common/ow_config.c lib/common/ow_rights.c lib/common/ow_json.c \
         lib/common/ow_pbjson.c lib/common/ow_wire.c lib/common/ow_log.c \
         services/ingest/verify.c services/notify/webhook_url.c"
FLAGS="-std=gnu11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined \
       -fno-sanitize-recover=undefined -Ilib/common -Ilib/extract -Ibuild/gen -Iservices/ingest -Iservices/notify \
       -DOW_DEFAULT_DATA_DIR=\"$(pwd)/data\""

# The sources once, instrumented for coverage, into one archive.
rm -rf "$OUT/obj" && mkdir -p "$OUT/obj"
for source in $SOURCES; do
    object="$OUT/obj/$(echo "$source" | tr '/' '_').o"
    # shellcheck disable=SC2086
    $CC ${FLAGS/-fsanitize=fuzzer,/-fsanitize=fuzzer-no-link,} $(pkg-config --cflags $PKGS) \
        -c "$source" -o "$object" &
done
wait
rm -f "$OUT/libfuzzsrc.a"
ar rcs "$OUT/libfuzzsrc.a" "$OUT"/obj/*.o

status=0
for source in tests/fuzz/fuzz_*.c; do
    target=$(basename "$source" .c)
    echo "fuzz: building $target"
    # shellcheck disable=SC2086
    $CC $FLAGS $(pkg-config --cflags $PKGS) "$source" "$OUT/libfuzzsrc.a" \
        $(pkg-config --libs $PKGS) -llinear -lstemmer -o "$OUT/$target"
    corpus="tests/fuzz/corpus/${target#fuzz_}"
    mkdir -p "$corpus"
    work="$OUT/corpus-${target#fuzz_}"
    mkdir -p "$work"
    echo "fuzz: running $target for ${SECONDS_EACH}s"
    if ! (cd "$OUT" && ASAN_OPTIONS=detect_leaks=1 "./$target" -max_total_time="$SECONDS_EACH" \
            -max_len=65536 -timeout=10 -rss_limit_mb=4096 -print_final_stats=0 \
            "../../$work" "../../$corpus" > "$target.log" 2>&1); then
        echo "fuzz: $target FAILED; see $OUT/$target.log"
        tail -40 "$OUT/$target.log"
        status=1
    fi
done
[ "$status" -eq 0 ] && echo "fuzz: every target ran clean"
exit "$status"
