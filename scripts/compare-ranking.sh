#!/usr/bin/env bash
# Compares ranking choices on every shipped labelled set (held-out split), each in one
# `jobmatch eval` run beside the reference rankers: query words and analysers (the lexical
# signal), and how distance and the commute are handled. The figures go to BENCHMARKS.md.
#
#   scripts/compare-ranking.sh [lexical|distance|all]   (default: all; writes target/compare-ranking/)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/jobmatch/target}"
which="${1:-all}"
case "$which" in all|lexical|distance) ;; *) echo "usage: $0 [lexical|distance|all]" >&2; exit 2 ;; esac
cargo build --locked --bin jobmatch >&2
bin="$CARGO_TARGET_DIR/debug/jobmatch"
out="${JOBMATCH_COMPARE_OUT:-$CARGO_TARGET_DIR/compare-ranking}"
mkdir -p "$out"

run() { # name, then eval flags
  local name="$1"; shift
  echo "== $name: jobmatch eval $*" >&2
  "$bin" eval "$@" --json "$out/$name.json" >"$out/$name.txt" 2>"$out/$name.log"
  python3 - "$out/$name.json" "$name" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
for s in report["sets"]:
    row = lambda name, summary: print(f"{sys.argv[2]:<28} {s['set']:<24} {name:<44} "
        f"nDCG@10 {summary['ndcg_at_10']['mean']:.3f} [{summary['ndcg_at_10']['low']:.3f}, {summary['ndcg_at_10']['high']:.3f}]  "
        f"Recall@10 {summary['recall_at_10']['mean']:.3f}")
    row("jobmatch (these settings)", s["models"][0]["summary"])
    for model, rows in s["ablation"]:
        for r in rows:
            if r["name"] == "sparse only":
                row("  sparse only", r["summary"])
PY
}

if [ "$which" != distance ]; then
  for analyser in stems+bigrams stems bigrams; do
    for words in 0 16; do
      run "lexical-$analyser-$words" --ablation --analyser "$analyser" --max-query-words "$words"
    done
  done
fi
if [ "$which" != lexical ]; then
  run "distance-filter-only" --seeker-commute filter --beyond-commute false
  run "distance-filter-then-beyond" --seeker-commute filter
  run "distance-penalty-absolute-km" --distance-scale absolute
  run "distance-penalty-commute-scale"
fi
echo "figures and full reports in $out" >&2
