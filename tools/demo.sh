#!/bin/sh
# flint's main job on the built-in example: validate a bootstrap-style
# config and run the stages that exist against a scratch root.
set -eu
cd "$(dirname "$0")/.."
tools/install-deps.sh build
tools/build.sh >/dev/null
EXAMPLE=tests/fixtures/configs/bootstrap-example.ign
echo "== flint validate $EXAMPLE"
build/flint validate "$EXAMPLE"
echo "== the config is valid"
