#!/usr/bin/env python3
"""The Python reference for the embedding benchmark: sentence-transformers + PyTorch on the CPU in
float32, on the same model directory, texts and queries as jobmatch. Prints one JSON line.

    reference.py MODEL_DIR TEXTS QUERIES BATCH [--vectors OUT.json]

The model directory stores float16 weights; transformers would load them as float16 (slow on the
CPU), so the model is loaded with dtype float32 and checked. --vectors writes the normalised vectors
of the first 64 texts and the first 20 queries, from the timed runs, as
{"texts": [[...], ...], "queries": [[...], ...]} (for scripts/bench/agree.py).
"""
import time
import tomllib
from pathlib import Path

from common import VECTOR_QUERIES, arguments, report

import torch
from sentence_transformers import SentenceTransformer

try:  # sentence-transformers >= 6
    from sentence_transformers.sentence_transformer import modules as models
except ImportError:
    from sentence_transformers import models



def load(model_dir: Path):
    settings = {}
    toml = model_dir / "jobmatch-model.toml"
    if toml.exists():
        settings = tomllib.loads(toml.read_text())
    max_tokens = settings.get("max_tokens", 512)
    fp32 = {"dtype": torch.float32}
    if (model_dir / "modules.json").exists():
        model = SentenceTransformer(str(model_dir), device="cpu", model_kwargs=fp32)
    else:
        word = models.Transformer(str(model_dir), max_seq_length=max_tokens, model_kwargs=fp32)
        dimension = getattr(word, "get_embedding_dimension", None) or word.get_word_embedding_dimension
        pooling = models.Pooling(dimension(), pooling_mode=settings.get("pooling", "mean"))
        model = SentenceTransformer(modules=[word, pooling, models.Normalize()], device="cpu")
    model = model.float()
    dtypes = {p.dtype for p in model.parameters()}
    assert dtypes == {torch.float32}, f"parameters are not all float32: {dtypes}"
    model.max_seq_length = min(model.max_seq_length or max_tokens, max_tokens)
    return model, settings.get("query_prefix", ""), settings.get("passage_prefix", "")


def main():
    args, texts, queries = arguments()
    batch = args.batch
    model, query_prefix, passage_prefix = load(args.model_dir)
    torch.set_num_threads(2)
    passages = [passage_prefix + t for t in texts]
    # Tokens as the model sees them: prefix, special tokens, truncation at max_seq_length, no padding.
    tokens = sum(len(ids) for ids in model.tokenizer(passages, truncation=True, max_length=model.max_seq_length)["input_ids"])

    with torch.inference_mode():
        model.encode(passages[:batch], batch_size=batch)  # warm-up
        start = time.perf_counter()
        text_vectors = model.encode(passages, batch_size=batch, normalize_embeddings=True)
        batch_seconds = time.perf_counter() - start
        latencies, query_vectors = [], []
        for q in queries:
            start = time.perf_counter()
            vector = model.encode([query_prefix + q], batch_size=1, normalize_embeddings=True)
            latencies.append((time.perf_counter() - start) * 1000)
            if len(query_vectors) < VECTOR_QUERIES:
                query_vectors.append(vector[0])
    engine = f"sentence-transformers {__import__('sentence_transformers').__version__} + torch {torch.__version__}"
    dtype = str(next(model.parameters()).dtype).removeprefix("torch.")
    report(args, engine, dtype, texts, batch_seconds, tokens, latencies, text_vectors, query_vectors)


if __name__ == "__main__":
    main()
