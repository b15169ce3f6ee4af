#!/bin/sh
# Configures and builds flint and its tests into ./build (or $FLINT_BUILD_DIR).
# Usage: tools/build.sh [TARGET...]   (default: everything)
set -eu
cd "$(dirname "$0")/.."
BUILD_DIR="${FLINT_BUILD_DIR:-build}"
cmake -S . -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
ninja -C "$BUILD_DIR" "$@"
