#!/usr/bin/env bash
# The whole test suite: fetches the model the real-model tests need, then runs cargo test.
# CI (.ci/run) calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
# Build cache outside the clone, so a warm machine rebuilds fast.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/jobmatch/target}"
bash scripts/fetch-model.sh
cargo test --locked "$@"
