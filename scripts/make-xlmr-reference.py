#!/usr/bin/env python3
"""Writes tests/fixtures/xlmr-tiny/ (a tiny XLM-RoBERTa model with fixed random weights) and
tests/fixtures/xlmr_tiny_reference.json (its sentence vectors, made by Hugging Face transformers'
own XLM-RoBERTa implementation).

XLM-RoBERTa and RoBERTa number positions from `pad_token_id + 1` (transformers'
`create_position_ids_from_input_ids`), BERT from 0; the reference checks that jobmatch's loader
does the same. Run once, by hand, never in CI (it needs JAX; transformers' PyTorch wheels are
gigabytes, its Flax implementation of the same model is not):

    python3 -m venv ~/.cache/jobmatch/venv-xlmr
    ~/.cache/jobmatch/venv-xlmr/bin/pip install "transformers==4.46.3" "flax==0.8.5" \
        "jax[cpu]==0.4.30" tokenizers safetensors "numpy<2"
    ~/.cache/jobmatch/venv-xlmr/bin/python scripts/make-xlmr-reference.py
"""
import json
import pathlib

import jax
import numpy as np
from safetensors.numpy import save_file
from tokenizers import Tokenizer, models, pre_tokenizers, processors
from transformers import FlaxXLMRobertaModel, XLMRobertaConfig

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "tests/fixtures/xlmr-tiny"
REFERENCE = ROOT / "tests/fixtures/xlmr_tiny_reference.json"

WORDS = (
    "we hire a welder for tig and co2 welding of steel pipes cnc lathe operator "
    "junior accountant payroll nursing assistant hospital shifts dormitory training "
    "용접 기능사 자격증 우대 기숙사 제공 선반 가공 회계 간호 조무사 교대 근무 화성시 부산"
).split()
SENTENCES = [
    "we hire a welder for tig and co2 welding of steel pipes",
    "cnc lathe operator",
    "junior accountant payroll",
    "용접 기능사 자격증 우대 기숙사 제공",
    "간호 조무사 교대 근무 hospital shifts",
    "a",
    "선반 가공 화성시 부산 dormitory training training training training training",
]


def tokenizer() -> Tokenizer:
    """A word-level tokenizer with XLM-R's special tokens: <s>=0, <pad>=1, </s>=2, <unk>=3."""
    vocab = {"<s>": 0, "<pad>": 1, "</s>": 2, "<unk>": 3}
    for word in WORDS:
        vocab.setdefault(word, len(vocab))
    tok = Tokenizer(models.WordLevel(vocab, unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    tok.post_processor = processors.RobertaProcessing(("</s>", 2), ("<s>", 0))
    return tok


def torch_names(params) -> dict:
    """Flax parameter tree → the PyTorch names and layouts of transformers' XLMRobertaModel."""
    out = {}

    def walk(prefix, node):
        for key, value in node.items():
            name = f"{prefix}.{key}" if prefix else key
            if isinstance(value, dict):
                walk(name, value)
                continue
            value = np.asarray(value, dtype=np.float32)
            if key == "kernel":
                out[name[: -len(".kernel")] + ".weight"] = np.ascontiguousarray(value.T)
            elif key == "embedding":
                out[name[: -len(".embedding")] + ".weight"] = value
            elif key == "scale":
                out[name[: -len(".scale")] + ".weight"] = value
            else:
                out[name] = value

    walk("", params)
    return {k: v for k, v in out.items() if not k.startswith("pooler.")}


def main() -> None:
    tok = tokenizer()
    config = XLMRobertaConfig(
        vocab_size=tok.get_vocab_size(),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=4,
        intermediate_size=64,
        max_position_embeddings=130,
        type_vocab_size=1,
        pad_token_id=1,
        bos_token_id=0,
        eos_token_id=2,
        initializer_range=0.3,
        layer_norm_eps=1e-5,
        hidden_act="gelu",
    )
    model = FlaxXLMRobertaModel(config, seed=0, dtype=jax.numpy.float32)
    OUT.mkdir(parents=True, exist_ok=True)
    tok.save(str(OUT / "tokenizer.json"))
    config_dict = config.to_diff_dict()
    config_dict.pop("transformers_version", None)
    (OUT / "config.json").write_text(json.dumps(config_dict, indent=2, sort_keys=True) + "\n")
    save_file(torch_names(model.params), str(OUT / "model.safetensors"))
    (OUT / "model.safetensors").chmod(0o644)

    encodings = [tok.encode(s) for s in SENTENCES]
    longest = max(len(e.ids) for e in encodings)
    ids = np.full((len(SENTENCES), longest), config.pad_token_id, dtype=np.int32)
    mask = np.zeros_like(ids)
    for row, encoding in enumerate(encodings):
        ids[row, : len(encoding.ids)] = encoding.ids
        mask[row, : len(encoding.ids)] = 1
    def pool(position_ids=None):
        out = model(input_ids=ids, attention_mask=mask, position_ids=position_ids)
        hidden = np.asarray(out.last_hidden_state)
        pooled = (hidden * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
        return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)

    pooled = pool()  # transformers' own position ids: pad_token_id + 1 onwards
    bert_like = pool(np.broadcast_to(np.arange(longest), ids.shape))
    worst = float((pooled * bert_like).sum(1).min())
    print(f"lowest cosine between the reference and BERT-numbered positions: {worst:.4f}")
    assert worst < 0.99, "the fixture would not tell the two numberings apart"
    REFERENCE.write_text(
        json.dumps(
            {
                "made_by": "transformers 4.46.3 FlaxXLMRobertaModel, mean pooling, L2-normalised",
                "sentences": SENTENCES,
                "token_ids": [e.ids for e in encodings],
                "vectors": [[round(float(x), 7) for x in v] for v in pooled],
            },
            ensure_ascii=False,
        )
        + "\n"
    )
    print(f"wrote {OUT} and {REFERENCE}")


if __name__ == "__main__":
    main()
