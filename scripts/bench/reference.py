#!/usr/bin/env python3
"""The Python reference for the embedding benchmark: sentence-transformers + PyTorch on the CPU,
on the same model directory, texts and queries as jobmatch. Prints one JSON line.

    reference.py MODEL_DIR TEXTS QUERIES BATCH
"""
import json
import resource
import statistics
import sys
import time
import tomllib
from pathlib import Path

import torch
from sentence_transformers import SentenceTransformer, models


def load(model_dir: Path):
    settings = {}
    toml = model_dir / "jobmatch-model.toml"
    if toml.exists():
        settings = tomllib.loads(toml.read_text())
    max_tokens = settings.get("max_tokens", 512)
    if (model_dir / "modules.json").exists():
        model = SentenceTransformer(str(model_dir), device="cpu")
    else:
        word = models.Transformer(str(model_dir), max_seq_length=max_tokens)
        pooling = models.Pooling(word.get_word_embedding_dimension(), pooling_mode=settings.get("pooling", "mean"))
        model = SentenceTransformer(modules=[word, pooling, models.Normalize()], device="cpu")
    model.max_seq_length = min(model.max_seq_length or max_tokens, max_tokens)
    return model, settings.get("query_prefix", ""), settings.get("passage_prefix", "")


def main():
    model_dir, texts_path, queries_path, batch = Path(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
    texts = Path(texts_path).read_text(encoding="utf-8").splitlines()
    queries = Path(queries_path).read_text(encoding="utf-8").splitlines()
    model, query_prefix, passage_prefix = load(model_dir)
    torch.set_num_threads(2)
    model.encode([passage_prefix + t for t in texts[:batch]], batch_size=batch)  # warm-up
    start = time.perf_counter()
    model.encode([passage_prefix + t for t in texts], batch_size=batch, normalize_embeddings=True)
    batch_seconds = time.perf_counter() - start
    latencies = []
    for q in queries:
        start = time.perf_counter()
        model.encode([query_prefix + q], batch_size=1, normalize_embeddings=True)
        latencies.append((time.perf_counter() - start) * 1000)
    print(json.dumps({
        "engine": f"sentence-transformers + torch {torch.__version__}",
        "batch": batch,
        "texts_per_s": len(texts) / batch_seconds,
        "query_p50_ms": statistics.median(latencies),
        "query_p95_ms": sorted(latencies)[int(len(latencies) * 0.95) - 1],
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }))


if __name__ == "__main__":
    main()
