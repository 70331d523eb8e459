#!/usr/bin/env python3
"""Writes tests/fixtures/<name>.json: reference embeddings made by sentence-transformers.

Run once per model, by hand, never in CI (it needs PyTorch):

    python3 -m venv ~/.cache/jobmatch/venv-ref
    ~/.cache/jobmatch/venv-ref/bin/pip install sentence-transformers
    HF_HUB_OFFLINE=1 OMP_WAIT_POLICY=PASSIVE ~/.cache/jobmatch/venv-ref/bin/python \
        scripts/make-reference-vectors.py models/all-MiniLM-L6-v2 tests/fixtures/minilm_reference.json
"""
import json
import sys

import sentence_transformers
import torch
from sentence_transformers import SentenceTransformer

SENTENCES = [
    "We hire a welder for TIG and CO2 welding of steel pipes.",
    "Junior software QA tester: write test cases and file defects in Jira.",
    "Accountant for a small manufacturing company; payroll and tax filing.",
    "Nursing assistant in a rehabilitation hospital, three shifts.",
    "CNC lathe operator for automotive parts, day and night shifts.",
    "용접기능사 자격증 소지자 우대, 기숙사 제공",
    "전산회계 1급을 취득했고 더존 프로그램을 사용할 수 있습니다.",
    "Python으로 테스트 자동화 스크립트를 작성했습니다.",
    "a",
    "Graduated from a specialised high school in 2025 and looking for a job close to home in Hwaseong.",
]

def main():
    model_dir, out_path = sys.argv[1], sys.argv[2]
    model = SentenceTransformer(model_dir, device="cpu")
    vectors = model.encode(SENTENCES, normalize_embeddings=True, convert_to_numpy=True)
    fixture = {
        "model": model_dir,
        "produced_by": f"sentence-transformers {sentence_transformers.__version__}, torch {torch.__version__}, CPU",
        "normalized": True,
        "sentences": SENTENCES,
        "vectors": [[round(float(x), 7) for x in v] for v in vectors],
    }
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(fixture, f, ensure_ascii=False)
    print(f"wrote {len(SENTENCES)} vectors of dimension {vectors.shape[1]} to {out_path}")

if __name__ == "__main__":
    main()
