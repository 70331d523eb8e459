#!/usr/bin/env bash
# The whole test suite: fetches the model the real-model tests need, then runs cargo test.
# CI (.ci/run) calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
# Build cache outside the clone, so a warm machine rebuilds fast.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/jobmatch/target}"
bash scripts/fetch-model.sh
# The Python example's virtualenv and generated stubs (a test runs the example against a server).
JOBMATCH_PYTHON="$(bash examples/python/setup.sh)"
export JOBMATCH_PYTHON
cargo test --locked --workspace "$@"
