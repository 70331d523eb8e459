#!/usr/bin/env python3
"""jobmatch.v2 against jobmatch.v1 on one server: the same RecommendCandidates (and GetSeeker)
calls through each version, interleaved, so the ratio shows what v2's conversion layer costs.

    python="$(bash examples/python/setup.sh)"          # stubs of both versions
    "$python" scripts/bench-versions.py --addr 127.0.0.1:50051 --posting p002 --seeker s001 --calls 300

Needs a running server with those records (scripts/demo.sh leaves one, with authentication on:
pass --token with the demo's platform token). Prints one JSON line: p50/p95 per version and call,
and the v2/v1 ratios of the p50s.
"""
import argparse
import json
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "examples/python/generated"))

import grpc  # noqa: E402
from jobmatch.v1 import jobmatch_pb2 as v1, jobmatch_pb2_grpc as v1_grpc  # noqa: E402
from jobmatch.v2 import jobmatch_pb2 as v2, jobmatch_pb2_grpc as v2_grpc  # noqa: E402


def cpu_model():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def timed(call):
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1e3


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--addr", default="127.0.0.1:50051")
    ap.add_argument("--posting", default="p002")
    ap.add_argument("--seeker", default="s001")
    ap.add_argument("--calls", type=int, default=300, help="calls per version and RPC")
    ap.add_argument("--top-k", type=int, default=10)
    ap.add_argument("--token", default=None, help="platform token (none: no authorization header)")
    args = ap.parse_args()
    metadata = [("authorization", f"Bearer {args.token}")] if args.token else None
    with grpc.insecure_channel(args.addr) as channel:
        one, two = v1_grpc.MatchingStub(channel), v2_grpc.MatchingStub(channel)
        calls = {
            ("v1", "RecommendCandidates"): lambda: one.RecommendCandidates(
                v1.RecommendCandidatesRequest(posting_id=args.posting, options=v1.RankingOptions(top_k=args.top_k)),
                metadata=metadata),
            ("v2", "RecommendCandidates"): lambda: two.RecommendCandidates(
                v2.RecommendCandidatesRequest(posting_id=args.posting, options=v2.RankingOptions(top_k=args.top_k)),
                metadata=metadata),
            ("v1", "GetSeeker"): lambda: one.GetSeeker(v1.GetRequest(id=args.seeker), metadata=metadata),
            ("v2", "GetSeeker"): lambda: two.GetSeeker(v2.GetSeekerRequest(id=args.seeker), metadata=metadata),
        }
        for call in calls.values():  # warm both paths
            for _ in range(5):
                call()
        times = {key: [] for key in calls}
        for _ in range(args.calls):  # interleaved: both versions see the same load
            for key, call in calls.items():
                times[key].append(timed(call))
    result = {"date": time.strftime("%Y-%m-%d"), "cpu": cpu_model(), "calls": args.calls}
    for (version, rpc), samples in times.items():
        samples.sort()
        result[f"{version}_{rpc}_p50_ms"] = round(statistics.median(samples), 3)
        result[f"{version}_{rpc}_p95_ms"] = round(samples[int(0.95 * len(samples)) - 1], 3)
    for rpc in ("RecommendCandidates", "GetSeeker"):
        result[f"{rpc}_v2_over_v1_p50"] = round(result[f"v2_{rpc}_p50_ms"] / result[f"v1_{rpc}_p50_ms"], 3)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
