#!/usr/bin/env python3
"""ONNX Runtime (float32, optimised graph) on the benchmark's model directory, texts and queries, as a
third engine beside the sentence-transformers reference and jobmatch. Prints one JSON line with the
same keys as reference.py; logs go to stderr.

    ort.py MODEL_DIR TEXTS QUERIES BATCH [--vectors OUT.json]

First run: exports the model to ONNX with torch (transformers AutoModel in float32; inputs input_ids,
attention_mask, token_type_ids; dynamic batch and sequence axes; opset 17), then optimises it with
onnxruntime.transformers.optimizer (model_type "bert", kept in float32). Both are cached under
~/.cache/jobmatch/onnx/<model dir name>-<first 12 hex of sha256 of model.safetensors>/; the export
runs in a child process so that torch never enters this process (its peak RSS is ONNX Runtime's).

Session: 2 intra-op threads, 1 inter-op, sequential, all graph optimisations. Texts are tokenised with
the `tokenizers` package from tokenizer.json (passage_prefix / query_prefix of jobmatch-model.toml,
truncation at max_tokens), sorted by token length and run in batches of BATCH padded to the longest
of each batch; mean pooling over the attention mask (CLS where 1_Pooling says so), L2-normalised.
Timed: the whole text set (tokenisation included), then each query alone.
"""
import hashlib
import json
import subprocess
import sys
import time
import tomllib
from pathlib import Path

from common import VECTOR_QUERIES, arguments, report

OPSET = 17


def settings_of(model_dir: Path) -> dict:
    toml = model_dir / "jobmatch-model.toml"
    return tomllib.loads(toml.read_text()) if toml.exists() else {}


def pooling_of(model_dir: Path, settings: dict) -> str:
    config = model_dir / "1_Pooling" / "config.json"
    if config.exists():
        pooling = json.loads(config.read_text())
        if pooling.get("pooling_mode_cls_token"):
            return "cls"
        if pooling.get("pooling_mode_mean_tokens"):
            return "mean"
        raise SystemExit(f"{config}: only mean or CLS pooling is supported")
    pooling = settings.get("pooling", "mean")
    if pooling not in ("mean", "cls"):
        raise SystemExit(f"pooling {pooling!r}: only mean or cls is supported")
    return pooling


def cache_dir(model_dir: Path) -> Path:
    digest = hashlib.sha256()
    with open(model_dir / "model.safetensors", "rb") as f:
        for chunk in iter(lambda: f.read(1 << 22), b""):
            digest.update(chunk)
    name = model_dir.resolve().name
    return Path.home() / ".cache" / "jobmatch" / "onnx" / f"{name}-{digest.hexdigest()[:12]}"


def export(model_dir: Path, out: Path) -> None:
    """Child process: torch export, then the BERT optimiser; writes out/model.onnx and out/model-opt.onnx."""
    import torch
    from transformers import AutoModel

    config = json.loads((model_dir / "config.json").read_text())
    out.mkdir(parents=True, exist_ok=True)
    raw, optimised = out / "model.onnx", out / "model-opt.onnx"
    if not raw.exists():
        # eager attention: the plain MatMul/Softmax pattern that the optimiser's attention fusion knows.
        model = AutoModel.from_pretrained(str(model_dir), dtype=torch.float32, attn_implementation="eager").float().eval()
        assert {p.dtype for p in model.parameters()} == {torch.float32}

        class Encoder(torch.nn.Module):
            def __init__(self, bert):
                super().__init__()
                self.bert = bert

            def forward(self, input_ids, attention_mask, token_type_ids):
                return self.bert(input_ids=input_ids, attention_mask=attention_mask,
                                 token_type_ids=token_type_ids).last_hidden_state

        encoder = Encoder(model).eval()
        sample = (torch.ones(2, 16, dtype=torch.int64), torch.ones(2, 16, dtype=torch.int64),
                  torch.zeros(2, 16, dtype=torch.int64))
        names = ["input_ids", "attention_mask", "token_type_ids"]
        tmp = out / "model.onnx.tmp"
        with torch.no_grad():
            try:
                torch.onnx.export(encoder, sample, str(tmp), input_names=names, output_names=["last_hidden_state"],
                                  opset_version=OPSET, dynamo=False, do_constant_folding=True,
                                  dynamic_axes={**{n: {0: "batch", 1: "sequence"} for n in names},
                                                "last_hidden_state": {0: "batch", 1: "sequence"}})
            except Exception as e:  # the TorchScript exporter is deprecated: fall back on torch.export
                print(f"TorchScript export failed ({e}); using the dynamo exporter", file=sys.stderr)
                batch, seq = torch.export.Dim("batch"), torch.export.Dim("sequence", max=config.get("max_position_embeddings", 512))
                program = torch.onnx.export(encoder, sample, input_names=names, output_names=["last_hidden_state"],
                                            opset_version=OPSET, dynamo=True,
                                            dynamic_shapes={n: {0: batch, 1: seq} for n in names})
                program.save(str(tmp), external_data=False)
        tmp.rename(raw)
        print(f"exported {raw}", file=sys.stderr)
    if not optimised.exists():
        from onnxruntime.transformers.optimizer import optimize_model

        opt = optimize_model(str(raw), model_type="bert", num_heads=config["num_attention_heads"],
                             hidden_size=config["hidden_size"], opt_level=None)  # float32: no float16 conversion
        print(f"fused operators: {opt.get_fused_operator_statistics()}", file=sys.stderr)
        tmp = out / "model-opt.onnx.tmp"
        opt.save_model_to_file(str(tmp))
        tmp.rename(optimised)
        print(f"optimised {optimised}", file=sys.stderr)


class Engine:
    def __init__(self, model_path: Path, model_dir: Path, settings: dict, pooling: str):
        import numpy as np
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.np = np
        options = ort.SessionOptions()
        options.intra_op_num_threads = 2
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = ort.InferenceSession(str(model_path), options, providers=["CPUExecutionProvider"])
        for i in self.session.get_inputs():
            assert i.type == "tensor(int64)", i
        out = self.session.get_outputs()[0]
        assert out.type == "tensor(float)", f"model output is {out.type}, not float32"
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=settings.get("max_tokens", 512))
        config = json.loads((model_dir / "config.json").read_text())
        self.pad_id = self.tokenizer.token_to_id("<pad>") if self.tokenizer.token_to_id("<pad>") is not None \
            else config.get("pad_token_id", 0)
        self.pooling = pooling
        self.input_names = {i.name for i in self.session.get_inputs()}

    def tokenize(self, texts):
        return [e.ids for e in self.tokenizer.encode_batch(texts, add_special_tokens=True)]

    def run(self, ids_list):
        """One forward pass over a batch of token id lists; returns the normalised vectors."""
        np = self.np
        width = max(len(ids) for ids in ids_list)
        input_ids = np.full((len(ids_list), width), self.pad_id, dtype=np.int64)
        mask = np.zeros((len(ids_list), width), dtype=np.int64)
        for row, ids in enumerate(ids_list):
            input_ids[row, :len(ids)] = ids
            mask[row, :len(ids)] = 1
        feeds = {"input_ids": input_ids, "attention_mask": mask, "token_type_ids": np.zeros_like(input_ids)}
        hidden = self.session.run(None, {k: v for k, v in feeds.items() if k in self.input_names})[0]
        if self.pooling == "cls":
            pooled = hidden[:, 0, :]
        else:
            m = mask[:, :, None].astype(np.float32)
            pooled = (hidden * m).sum(axis=1) / np.maximum(m.sum(axis=1), 1e-9)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)

    def embed_sorted(self, texts, batch):
        """Vectors of texts in their order, computed in batches of similar token length."""
        np = self.np
        ids = self.tokenize(texts)
        order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
        vectors = [None] * len(ids)
        for start in range(0, len(order), batch):
            chunk = order[start:start + batch]
            for i, v in zip(chunk, self.run([ids[i] for i in chunk])):
                vectors[i] = v
        return np.stack(vectors), sum(len(x) for x in ids)


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "--export":
        export(Path(sys.argv[2]), Path(sys.argv[3]))
        return
    args, texts, queries = arguments()
    model_dir, batch = args.model_dir, args.batch
    settings = settings_of(model_dir)
    pooling = pooling_of(model_dir, settings)

    cache = cache_dir(model_dir)
    optimised = cache / "model-opt.onnx"
    if not optimised.exists():
        print(f"exporting {model_dir} to {cache} (once)", file=sys.stderr)
        subprocess.run([sys.executable, __file__, "--export", str(model_dir), str(cache)],
                       check=True, stdout=sys.stderr)

    import onnxruntime as ort

    engine = Engine(optimised, model_dir, settings, pooling)
    passage_prefix, query_prefix = settings.get("passage_prefix", ""), settings.get("query_prefix", "")
    passages = [passage_prefix + t for t in texts]

    engine.embed_sorted(passages[:batch], batch)  # warm-up
    start = time.perf_counter()
    text_vectors, tokens = engine.embed_sorted(passages, batch)
    batch_seconds = time.perf_counter() - start
    latencies, query_vectors = [], []
    for q in queries:
        start = time.perf_counter()
        vector = engine.run(engine.tokenize([query_prefix + q]))
        latencies.append((time.perf_counter() - start) * 1000)
        if len(query_vectors) < VECTOR_QUERIES:
            query_vectors.append(vector[0])
    report(args, f"onnxruntime {ort.__version__} optimised graph", "float32", texts, batch_seconds,
           tokens, latencies, text_vectors, query_vectors)


if __name__ == "__main__":
    main()
