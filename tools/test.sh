#!/bin/sh
# The whole test suite on a fresh Debian bookworm machine (as root): installs
# the dependencies, builds, and runs every ctest label.
# Usage: tools/test.sh [ctest arguments, e.g. -L unit]   (FLINT_FUZZ_SECONDS: fuzz time, 60)
set -eu
cd "$(dirname "$0")/.."
tools/install-deps.sh all
tools/build.sh
BUILD_DIR="${FLINT_BUILD_DIR:-build}"
cd "$BUILD_DIR"
ctest --output-on-failure --timeout 900 "$@"
cd - >/dev/null
tools/fuzz.sh "${FLINT_FUZZ_SECONDS:-60}"  # a smoke run of the parser fuzzer
