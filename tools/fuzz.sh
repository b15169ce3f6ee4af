#!/bin/sh
# Builds the libFuzzer target for the config parser with clang (ASan + UBSan)
# into build-fuzz/ and runs it for SECONDS (default 60). Fails on a crash, a
# leak, a timeout (10 s per input), an out-of-memory or any sanitizer report;
# the offending input is left in build-fuzz/artifacts/.
# Usage: tools/fuzz.sh [SECONDS]
# Env: FLINT_FUZZ_BUILD_DIR (build-fuzz), FLINT_FUZZ_RSS_MB (2048),
#      FLINT_FUZZ_ARGS (extra libFuzzer flags, e.g. "-jobs=2 -workers=2").
set -eu
cd "$(dirname "$0")/.."
SECONDS_TO_RUN="${1:-60}"
BUILD_DIR="${FLINT_FUZZ_BUILD_DIR:-build-fuzz}"
RSS_MB="${FLINT_FUZZ_RSS_MB:-2048}"
FUZZER="$BUILD_DIR/tests/fuzz/parse_fuzz"

CC=clang CXX=clang++ cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DFLINT_FUZZ=ON -DFLINT_BUILD_TESTS=OFF >/dev/null
if ! ninja -C "$BUILD_DIR" parse_fuzz >"$BUILD_DIR/build.log" 2>&1; then
  cat "$BUILD_DIR/build.log" >&2
  exit 1
fi

# The corpus lives in the build dir and grows from run to run; the seeds are
# the fixture configs, and every input that once broke the parser is replayed.
CORPUS="$BUILD_DIR/corpus"
ARTIFACTS="$BUILD_DIR/artifacts"
mkdir -p "$CORPUS" "$ARTIFACTS"
for f in tests/fixtures/configs/*.ign tests/fuzz/regressions/*; do
  [ -f "$f" ] && cp "$f" "$CORPUS/seed-$(basename "$f")"
done

echo "fuzz: parse_fuzz for ${SECONDS_TO_RUN}s (corpus $CORPUS)"
# shellcheck disable=SC2086
if ! "$FUZZER" -max_total_time="$SECONDS_TO_RUN" -rss_limit_mb="$RSS_MB" \
  -timeout=10 -dict=tests/fuzz/ignition.dict -artifact_prefix="$ARTIFACTS/" \
  -print_final_stats=1 ${FLINT_FUZZ_ARGS:-} "$CORPUS" >"$BUILD_DIR/fuzz.log" 2>&1; then
  tail -n 60 "$BUILD_DIR/fuzz.log" >&2
  echo "fuzz: FAILED; reproduce with $FUZZER <artifact> (full log: $BUILD_DIR/fuzz.log)" >&2
  ls -l "$ARTIFACTS" >&2
  exit 1
fi
grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' "$BUILD_DIR/fuzz.log" || true
echo "fuzz: no crash, leak, timeout or sanitizer report"
