#!/usr/bin/env bash
# Generates the Python gRPC stubs from proto/ into examples/python/generated/ (not committed).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
python="${PYTHON:-python3}"
rm -rf "$here/generated"
mkdir -p "$here/generated"
"$python" -m grpc_tools.protoc -I "$root/proto" \
  --python_out="$here/generated" --grpc_python_out="$here/generated" \
  "$root/proto/jobmatch/v1/jobmatch.proto"
echo "generated stubs in $here/generated"
