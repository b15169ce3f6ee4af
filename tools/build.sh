#!/bin/sh
# Configures and builds flint and its tests into ./build (or $FLINT_BUILD_DIR).
# Usage: tools/build.sh [TARGET...]   (default: everything)
set -eu
cd "$(dirname "$0")/.."
BUILD_DIR="${FLINT_BUILD_DIR:-build}"
# ccache when the machine has it (a developer's; CI builds without).
LAUNCHER=""
if command -v ccache >/dev/null 2>&1; then LAUNCHER="-DCMAKE_CXX_COMPILER_LAUNCHER=ccache"; fi
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo $LAUNCHER >/dev/null
ninja -C "$BUILD_DIR" "$@"
