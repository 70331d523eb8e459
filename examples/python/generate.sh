#!/usr/bin/env bash
# Generates the Python gRPC stubs of jobmatch.v2 (and of v1, still served for one release) from
# proto/ into examples/python/generated/ (not committed). grpc_tools brings
# google/protobuf/timestamp.proto; google/type/date.proto is in proto/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
python="${PYTHON:-python3}"
rm -rf "$here/generated"
mkdir -p "$here/generated"
"$python" -m grpc_tools.protoc -I "$root/proto" \
  --python_out="$here/generated" --grpc_python_out="$here/generated" \
  "$root/proto/google/type/date.proto" \
  "$root/proto/jobmatch/v1/jobmatch.proto" \
  "$root/proto/jobmatch/v2/jobmatch.proto"
echo "generated stubs in $here/generated"
