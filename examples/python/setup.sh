#!/usr/bin/env bash
# Creates a virtualenv with grpcio + grpcio-tools (cached under $HOME/.cache/jobmatch) and
# generates the stubs. Prints the virtualenv's python.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="${JOBMATCH_PY_VENV:-$HOME/.cache/jobmatch/venv-grpc}"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import grpc, grpc_tools" 2>/dev/null; then
  python3 -m venv "$venv" >&2
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt" >&2
fi
PYTHON="$venv/bin/python" bash "$here/generate.sh" >&2
echo "$venv/bin/python"
