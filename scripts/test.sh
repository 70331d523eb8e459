#!/usr/bin/env bash
# The whole test suite: fetches the model the real-model tests need, runs the console's node
# unit tests, then cargo test.
# CI (.ci/run) calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
# Build cache outside the clone, so a warm machine rebuilds fast.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/jobmatch/target}"
bash scripts/fetch-model.sh
# The console's browser tests drive Debian's Chromium (headless), with a Hangul font for the
# screenshots; install them once.
if [ -z "${JOBMATCH_CHROMIUM:-}" ] && ! command -v chromium >/dev/null 2>&1; then
  echo "installing Debian's chromium for the console's browser tests ..."
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  if ! { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
      $sudo apt-get install -y -qq --no-install-recommends chromium fonts-nanum >/dev/null; }; then
    # Under CI the browser tests then fail loudly; elsewhere they say NOT RUN.
    echo "could not install chromium: the console's browser tests will not run" >&2
  fi
fi
# The console's pure modules (formatters, strings, routes, the map's projection, requests) have
# unit tests for node's built-in runner; Debian's nodejs is enough. Install it once.
if ! command -v node >/dev/null 2>&1; then
  echo "installing Debian's nodejs for the console's unit tests ..."
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends nodejs >/dev/null
fi
node --test assets/console/tests/
# The Python example's virtualenv and generated stubs (a test runs the example against a server).
JOBMATCH_PYTHON="$(bash examples/python/setup.sh)"
export JOBMATCH_PYTHON
cargo test --locked --workspace "$@"
