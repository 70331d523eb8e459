#!/usr/bin/env python3
"""Markdown table of an embedding benchmark run (scripts/bench-embed).

    summary.py MODEL_DIR [RESULTS...]     (RESULTS: files of lines "round N NAME {json}"; "-" or none: stdin)

Per engine, over the rounds: texts/s (min-max), tokens/s, the ratio of its mean texts/s to ONNX
Runtime's, query p50/p95 ms, the ratio of its mean p50 to ONNX Runtime's, the peak RSS (max) and the
share of the CPU's FP32 peak that the mean tokens/s makes in model arithmetic:
  FLOP per token = 2 x layers x (4 h^2 + 2 h ff) + 4 x layers x h x mean tokens per text   (config.json)
  FP32 peak      = cores (nproc) x 2 FMA units x lanes (16 with avx512f, 8 with avx2) x 2 FLOP x GHz
An engine line without tokens_per_s gets its tokens from its texts/s and the others' tokens per text
(the same texts and tokenizer), marked with "~".
"""
import json
import os
import re
import subprocess
import sys
from pathlib import Path

LINE = re.compile(r"^round\s+(\d+)\s+(\S+)\s+(\{.*\})\s*$")


def cpu_peak():
    """(GFLOP/s, how it was computed) for FP32 FMA on this machine."""
    cores = len(os.sched_getaffinity(0))
    cpuinfo = Path("/proc/cpuinfo").read_text(errors="replace") if Path("/proc/cpuinfo").exists() else ""
    flags = set()
    for line in cpuinfo.splitlines():
        if line.startswith("flags"):
            flags = set(line.split(":", 1)[1].split())
            break
    if "avx512f" in flags:
        lanes, isa = 16, "AVX-512"
    elif "avx2" in flags:
        lanes, isa = 8, "AVX2"
    else:
        lanes, isa = 4, "SSE (no avx2 flag)"
    ghz, source = None, None
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
        m = re.search(r"^CPU max MHz:\s*([\d.]+)", lscpu, re.M)
        if m and float(m.group(1)) > 0:
            ghz, source = float(m.group(1)) / 1000, "lscpu CPU max MHz"
    except (OSError, subprocess.CalledProcessError):
        pass
    if ghz is None:
        m = re.search(r"^cpu MHz\s*:\s*([\d.]+)", cpuinfo, re.M)
        if m and float(m.group(1)) > 0:
            ghz, source = float(m.group(1)) / 1000, "/proc/cpuinfo cpu MHz"
    if ghz is None:
        m = re.search(r"^model name\s*:.*?([\d.]+)\s*GHz", cpuinfo, re.M)
        if m:
            ghz, source = float(m.group(1)), "the GHz of the model name"
    if ghz is None:
        return None, f"FP32 peak: unknown (no clock found); {cores} cores, {isa}"
    peak = cores * 2 * lanes * 2 * ghz
    return peak, (f"FP32 peak: {cores} cores (nproc) x 2 FMA units x {lanes} lanes ({isa}) x 2 FLOP x "
                  f"{ghz:.2f} GHz ({source}) = {peak:.0f} GFLOP/s")


def span(values, fmt):
    lo, hi = min(values), max(values)
    return fmt.format(lo) if fmt.format(lo) == fmt.format(hi) else f"{fmt.format(lo)}–{fmt.format(hi)}"


def mean(values):
    return sum(values) / len(values)


def main():
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    model_dir = Path(sys.argv[1])
    sources = [sys.stdin.read() if p == "-" else Path(p).read_text(encoding="utf-8") for p in sys.argv[2:] or ["-"]]
    runs = {}  # name -> list of (round, report), in order of first appearance
    for text in sources:
        for line in text.splitlines():
            m = LINE.match(line.strip())
            if m:
                runs.setdefault(m.group(2), []).append((int(m.group(1)), json.loads(m.group(3))))
    if not runs:
        raise SystemExit("summary.py: no 'round N NAME {json}' lines")

    per_text = [r["tokens_per_s"] / r["texts_per_s"] for rs in runs.values() for _, r in rs
                if r.get("tokens_per_s") and r.get("texts_per_s")]
    mean_tokens = mean(per_text) if per_text else None

    config = json.loads((model_dir / "config.json").read_text())
    layers, h, ff = config["num_hidden_layers"], config["hidden_size"], config["intermediate_size"]
    dense = 2 * layers * (4 * h * h + 2 * h * ff)
    flop_per_token = dense + 4 * layers * h * (mean_tokens or 0)
    peak, peak_line = cpu_peak()

    def tokens_per_s(r):
        if r.get("tokens_per_s"):
            return r["tokens_per_s"], ""
        return (r["texts_per_s"] * mean_tokens, "~") if mean_tokens else (None, "")

    ort = next((rs for name, rs in runs.items()
                if name == "ort" or str(rs[0][1].get("engine", "")).startswith("onnxruntime")), None)
    ort_texts = mean([r["texts_per_s"] for _, r in ort]) if ort else None
    ort_p50 = mean([r["query_p50_ms"] for _, r in ort]) if ort else None

    rounds = sorted({n for rs in runs.values() for n, _ in rs})
    batch = sorted({r.get("batch") for rs in runs.values() for _, r in rs if r.get("batch") is not None})
    texts = sorted({r.get("texts") for rs in runs.values() for _, r in rs if r.get("texts") is not None})
    print(f"{len(rounds)} round(s); batch {', '.join(map(str, batch)) or '?'}; "
          f"{', '.join(map(str, texts)) or '?'} texts"
          + (f" of {mean_tokens:.1f} tokens on average" if mean_tokens else ""))
    print()
    estimated = False
    print("| engine | dtype | texts/s | tokens/s | ratio to ORT (texts/s) | query p50 ms | query p95 ms "
          "| ratio to ORT (p50) | peak RSS | share of FP32 peak |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name, rs in runs.items():
        reports = [r for _, r in rs]
        tps = [r["texts_per_s"] for r in reports]
        toks = [tokens_per_s(r) for r in reports]
        mark = "~" if any(m for _, m in toks) else ""
        estimated |= bool(mark)
        toks = [t for t, _ in toks if t is not None]
        p50 = [r["query_p50_ms"] for r in reports]
        p95 = [r["query_p95_ms"] for r in reports]
        rss = max(r.get("peak_rss_mb", 0) for r in reports)
        share = f"{mean(toks) * flop_per_token / 1e9 / peak:.0%}" if toks and peak and mean_tokens else "—"
        print("| " + " | ".join([
            f"{reports[0].get('engine', name)} ({name})",
            str(reports[0].get("dtype", "—")),
            span(tps, "{:.2f}"),
            (mark + span(toks, "{:.0f}")) if toks else "—",
            f"{mean(tps) / ort_texts:.2f}×" if ort_texts else "—",
            span(p50, "{:.1f}"),
            span(p95, "{:.1f}"),
            f"{mean(p50) / ort_p50:.2f}×" if ort_p50 else "—",
            f"{rss / 1024:.2f} GB",
            share,
        ]) + " |")
    print()
    if estimated:
        print("~: that engine reports no token count; tokens from its texts/s × the others' tokens per text.")
    print("Ratios and shares use the mean over the rounds; texts/s, tokens/s and latencies show min–max; "
          "peak RSS is the largest.")
    print(f"Model arithmetic: {flop_per_token / 1e6:.1f} MFLOP per token = 2 × {layers} layers × "
          f"(4·{h}² + 2·{h}·{ff}) + 4 × {layers} × {h} × {mean_tokens or 0:.1f} mean tokens per text (config.json).")
    print(peak_line + ".")


if __name__ == "__main__":
    main()
