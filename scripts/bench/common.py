"""What the Python engines of the embedding benchmark share: arguments, inputs, the percentile
jobmatch uses, and the report (one JSON line, plus the vectors for scripts/bench/agree.py)."""
import argparse
import json
import math
import resource
from pathlib import Path

VECTOR_TEXTS, VECTOR_QUERIES = 64, 20


def arguments():
    """(args, texts, queries) of `ENGINE.py MODEL_DIR TEXTS QUERIES BATCH [--vectors OUT.json]`."""
    parser = argparse.ArgumentParser()
    parser.add_argument("model_dir", type=Path)
    parser.add_argument("texts", type=Path)
    parser.add_argument("queries", type=Path)
    parser.add_argument("batch", type=int)
    parser.add_argument("--vectors", type=Path, help="write the first 64 text and 20 query vectors here")
    args = parser.parse_args()
    read = lambda path: [l for l in path.read_text(encoding="utf-8").splitlines() if l.strip()]
    return args, read(args.texts), read(args.queries)


def percentile(sorted_values, p):
    """The same nearest-rank percentile as jobmatch's bench-embed."""
    return sorted_values[min(max(math.ceil(len(sorted_values) * p), 1), len(sorted_values)) - 1]


def report(args, engine, dtype, texts, batch_seconds, tokens, latencies, text_vectors, query_vectors):
    """Writes the vectors (with --vectors) and prints the engine's JSON line."""
    latencies = sorted(latencies)
    if args.vectors:
        args.vectors.write_text(json.dumps({
            "texts": [[float(x) for x in v] for v in text_vectors[:VECTOR_TEXTS]],
            "queries": [[float(x) for x in v] for v in query_vectors[:VECTOR_QUERIES]],
        }))
    print(json.dumps({
        "engine": engine,
        "dtype": dtype,
        "batch": args.batch,
        "texts": len(texts),
        "texts_per_s": len(texts) / batch_seconds,
        "tokens_per_s": tokens / batch_seconds,
        "query_p50_ms": percentile(latencies, 0.5),
        "query_p95_ms": percentile(latencies, 0.95),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }), flush=True)
