#!/usr/bin/env python3
"""Calls a running jobmatch server from Python through jobmatch.v2: ModelInfo, Embed and RecommendCandidates.

    bash examples/python/setup.sh            # virtualenv + generated stubs; prints its python
    ~/.cache/jobmatch/venv-grpc/bin/python examples/python/example.py --addr 127.0.0.1:50051 --posting p001

Embed returns exactly the vectors the server stores, so notebooks can study the production
embeddings. Prints one JSON object (for scripts and the test that runs this file).
"""
import argparse
import json
import math
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "generated"))

import grpc  # noqa: E402
from jobmatch.v2 import jobmatch_pb2, jobmatch_pb2_grpc  # noqa: E402


def cosine(a, b):
    dot = sum(x * y for x, y in zip(a, b))
    return dot / (math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--addr", default="127.0.0.1:50051", help="server host:port")
    parser.add_argument("--posting", default="p001", help="posting id to recommend seekers for")
    parser.add_argument("--top-k", type=int, default=5)
    parser.add_argument("--token", default=os.environ.get("JOBMATCH_TOKEN"),
                        help="platform token for RecommendCandidates (default: $JOBMATCH_TOKEN)")
    parser.add_argument("--admin-token", default=os.environ.get("JOBMATCH_ADMIN_TOKEN"),
                        help="admin token for ModelInfo and Embed (default: $JOBMATCH_ADMIN_TOKEN)")
    args = parser.parse_args()
    bearer = lambda token: [("authorization", f"Bearer {token}")] if token else None
    platform, admin = bearer(args.token), bearer(args.admin_token)

    with grpc.insecure_channel(args.addr) as channel:
        stub = jobmatch_pb2_grpc.MatchingStub(channel)
        info = stub.ModelInfo(jobmatch_pb2.ModelInfoRequest(), metadata=admin)
        query = stub.Embed(jobmatch_pb2.EmbedRequest(texts=["용접기능사 자격증이 있습니다", "I can do TIG welding"], is_query=True), metadata=admin)
        passage = stub.Embed(jobmatch_pb2.EmbedRequest(texts=["용접 생산직 사원 모집"], is_query=False), metadata=admin)
        recommendation = stub.RecommendCandidates(
            jobmatch_pb2.RecommendCandidatesRequest(
                posting_id=args.posting,
                options=jobmatch_pb2.RankingOptions(top_k=args.top_k),
            ),
            metadata=platform,
        )
        try:
            stub.GetPosting(jobmatch_pb2.GetPostingRequest(id="no-such-posting"), metadata=platform)
            missing = "found"
        except grpc.RpcError as error:
            missing = error.code().name

    print(json.dumps({
        "model": info.name,
        "dimension": info.dimension,
        "vector_lengths": [len(v.values) for v in query.vectors],
        "similarity_ko_en": cosine(query.vectors[0].values, query.vectors[1].values),
        "similarity_query_passage": cosine(query.vectors[0].values, passage.vectors[0].values),
        "candidates": [
            {
                "seeker_id": c.seeker_id,
                "region": c.region_name,
                "final": c.score.final_score,
                "semantic": c.score.semantic_similarity,
                "distance_km": c.score.distance_km,
            }
            for c in recommendation.candidates
        ],
        # v2 gives the ranking parameters once per response.
        "fusion": jobmatch_pb2.Fusion.Name(recommendation.parameters.fusion),
        "semantic_weight": recommendation.parameters.semantic_weight,
        "unknown_posting": missing,
    }, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
