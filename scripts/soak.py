#!/usr/bin/env python3
"""Soak test: kill -9 the real `jobmatch serve` binary under mixed load, many times over.

Not run in CI. Each cycle starts the server on one persistent data directory, waits for gRPC
health SERVING (restart time = process start -> SERVING), then runs in threads: batches of
seekers and of postings (unique ids, 5 a batch, one unary Upsert after another) and concurrent
RecommendPostings / RecommendCandidates / GetSeeker calls. 0-2 s after the first acknowledged
batch it SIGKILLs the server. The next start checks that every id of the previous cycle's
acknowledged batches is readable (NOT_FOUND = lost) and that each batch that was not
acknowledged (the one cut by the kill) is all there or not there at all; after the last cycle
every id acknowledged during the run is checked once more. Exit status 1 if an acknowledged
write was lost or a batch half-written. No record text is printed or logged (only ids).

    python3 scripts/soak.py                  # re-execs under examples/python/setup.sh's venv
    "$(bash examples/python/setup.sh)" scripts/soak.py --cycles 100 --json /tmp/soak.json

The binary (--binary-source, default the cached debug build) is copied to /tmp/soak-bin first,
so a rebuild cannot swap it mid-run. The work directory (data/ unless --data-dir, server.log) is
printed at the start and deleted at the end unless --keep or anything was lost.
"""
import argparse, atexit, json, os, random, shutil, signal, socket, statistics, subprocess, sys
import tempfile, threading, time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GEN = ROOT / "examples/python/generated"
BATCH = 5
REGIONS = ["경기도 화성시", "경기도 평택시", "경기도 안성시", "충청남도 아산시"]
TRADES = [("용접 생산직", "용접기능사 보유, 배관 용접 현장실습"), ("CNC 선반", "CNC 선반 가공 실습 1년"),
          ("전기 설비", "전기기능사 취득, 배전반 조립"), ("품질 검사", "치수 측정과 검사 성적서 작성")]


sys.path.insert(0, str(Path(__file__).resolve().parent))
from grpc_env import ensure_grpc, wait_serving  # noqa: E402

ensure_grpc(__file__)
import grpc  # noqa: E402
from jobmatch.v1 import jobmatch_pb2 as pb, jobmatch_pb2_grpc as pb_grpc  # noqa: E402


def free_port():
    """A port nobody listens on now (the server binds it a moment later)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """One `jobmatch serve` child process on a fresh port."""

    def __init__(self, args, log):
        self.addr = f"127.0.0.1:{free_port()}"
        self.started = time.monotonic()
        self.proc = subprocess.Popen(
            [args.binary, "serve", "--listen", self.addr, "--data-dir", args.data_dir,
             "--model", args.model, "--no-auth", *args.server_arg], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log,
            env={**os.environ, "JOBMATCH_LOG": "info,qdrant_edge=error", "NO_COLOR": "1"})
        atexit.register(lambda p=self.proc: p.poll() is None and p.kill())  # on errors, ^C
        self.channel = grpc.insecure_channel(self.addr)
        self.stub = pb_grpc.MatchingStub(self.channel)

    def wait_serving(self, timeout=120.0):
        """Seconds from the start until the server reports SERVING (grpc.health.v1)."""
        return wait_serving(self.channel, self.proc, self.started, timeout, None)

    def kill9(self):
        """SIGKILL: no shutdown code runs. The channel stays open (calls on it fail UNAVAILABLE)."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()


def records(kind, cycle, n):
    """Batch n of cycle: 5 seekers or postings with unique ids."""
    out = []
    for j in range(BATCH):
        rid, (title, text) = f"c{cycle}-{kind}{n}-{j}", random.choice(TRADES)
        loc = pb.Location(region=random.choice(REGIONS))
        if kind == "s":
            out.append(pb.Seeker(id=rid, display_name=f"Seeker {rid}", headline=f"{title} 희망",
                                 resume=f"{text}. 배치 {n}의 {j}번째 지원자입니다.", home=loc,
                                 education_track=1, birth_year=2004))
        else:
            out.append(pb.Posting(id=rid, company_id=f"co-{rid}", company_name=f"Company {rid}",
                                  title=f"{title} 사원 모집", description=f"{text} 우대. 공고 {n}-{j}.",
                                  location=loc, openings=1, sector="manufacturing",
                                  employment_type=1))
    return out


class Load:
    """The mixed load of one cycle, in threads, until the server is killed."""

    def __init__(self, stub, cycle, known, stats):
        self.stub, self.cycle, self.known, self.stats = stub, cycle, known, stats
        self.killed, self.first_ack, self.lock = threading.Event(), threading.Event(), threading.Lock()
        self.acked = {"s": [], "p": []}    # ids of acknowledged batches
        self.unacked = {"s": [], "p": []}  # batches (lists of ids) not acknowledged
        self.threads = [threading.Thread(target=self.writer, args=(k,)) for k in "sp"]
        self.threads += [threading.Thread(target=self.reader) for _ in range(2)]

    def writer(self, kind):
        """Upserts batch after batch until a call fails after the kill."""
        call = self.stub.UpsertSeekers if kind == "s" else self.stub.UpsertPostings
        for n in range(10**9):
            batch = records(kind, self.cycle, n)
            ids = [r.id for r in batch]
            try:
                req = pb.UpsertSeekersRequest(seekers=batch) if kind == "s" else \
                    pb.UpsertPostingsRequest(postings=batch)
                call(req, timeout=60)
            except grpc.RpcError as e:
                with self.lock:
                    self.unacked[kind].append(ids)
                    if not self.killed.is_set():
                        self.stats["write_errors"][e.code().name] += 1
                if self.killed.is_set():
                    return
                continue
            with self.lock:
                self.acked[kind].extend(ids)
                self.known[kind].extend(ids)
            self.first_ack.set()

    def reader(self):
        """Recommendations and reads of known ids until the kill."""
        while not self.killed.is_set():
            with self.lock:
                seekers, postings = self.known["s"], self.known["p"]
                sid = random.choice(seekers) if seekers else None
                pid = random.choice(postings) if postings else None
            op = random.choice(["RecommendPostings", "RecommendCandidates", "GetSeeker"])
            if (op == "RecommendCandidates" and pid is None) or (op != "RecommendCandidates" and sid is None):
                time.sleep(0.05)
                continue
            opts = pb.RankingOptions(top_k=5)
            try:
                if op == "RecommendPostings":
                    self.stub.RecommendPostings(pb.RecommendPostingsRequest(seeker_id=sid, options=opts), timeout=60)
                elif op == "RecommendCandidates":
                    self.stub.RecommendCandidates(pb.RecommendCandidatesRequest(posting_id=pid, options=opts), timeout=60)
                else:
                    self.stub.GetSeeker(pb.GetRequest(id=sid), timeout=60)
                self.stats["reads_ok"][op] += 1
            except grpc.RpcError as e:
                if self.killed.is_set():
                    self.stats["reads_cut_by_kill"] += 1
                else:
                    self.stats["reads_failed"][f"{op}:{e.code().name}"] += 1


def present(stub, kind, ids):
    """{id: True/False} by GetSeeker/GetPosting; NOT_FOUND = False; other errors retried."""
    call = stub.GetSeeker if kind == "s" else stub.GetPosting
    out = {}
    for start in range(0, len(ids), 64):
        chunk = ids[start:start + 64]
        futures = {i: call.future(pb.GetRequest(id=i), timeout=60) for i in chunk}
        for i, f in futures.items():
            for attempt in range(5):
                try:
                    (f if attempt == 0 else call.future(pb.GetRequest(id=i), timeout=60)).result()
                    out[i] = True
                    break
                except grpc.RpcError as e:
                    if e.code() == grpc.StatusCode.NOT_FOUND:
                        out[i] = False
                        break
                    if attempt == 4:
                        raise RuntimeError(f"GetRequest {i}: {e.code().name} {e.details()}")
                    time.sleep(0.5)
    return out


def verify(stub, acked, unacked, report):
    """Checks acknowledged ids (lost ones go to report) and unacked batches (all-or-nothing)."""
    for kind in "sp":
        found = present(stub, kind, acked[kind])
        report["lost"].extend(sorted(i for i, ok in found.items() if not ok))
        report["checked"] += len(found)
        for batch in unacked[kind]:
            n = sum(present(stub, kind, batch).values())
            report["inflight_batches"] += 1
            report["inflight_written"] += n == BATCH
            if 0 < n < BATCH:
                report["half_written"].append(f"{batch[0]}..{batch[-1]} ({n}/{BATCH})")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cycles", type=int, default=100)
    ap.add_argument("--max-seconds", type=float, default=1800, help="stop starting cycles after this")
    ap.add_argument("--model", default="models/all-MiniLM-L6-v2")
    ap.add_argument("--binary-source", default=str(Path.home() / ".cache/jobmatch/target/debug/jobmatch"))
    ap.add_argument("--binary", default="/tmp/soak-bin/jobmatch", help="where the copy is run from")
    ap.add_argument("--data-dir", help="default: a fresh temporary directory")
    ap.add_argument("--server-arg", action="append", default=[],
                    help="extra `serve` argument, repeatable (e.g. --server-arg=--maintenance-interval-secs=1)")
    ap.add_argument("--seed", type=int, default=int(time.time()))
    ap.add_argument("--keep", action="store_true", help="keep the data directory")
    ap.add_argument("--json", help="also write the report here")
    args = ap.parse_args()
    random.seed(args.seed)
    Path(args.binary).parent.mkdir(parents=True, exist_ok=True)
    if not (Path(args.binary).exists() and Path(args.binary).samefile(args.binary_source)):
        shutil.copy2(args.binary_source, args.binary + ".tmp")
        os.replace(args.binary + ".tmp", args.binary)
    work = Path(tempfile.mkdtemp(prefix="jobmatch-soak-"))
    args.data_dir = args.data_dir or str(work / "data")
    log = open(work / "server.log", "ab")
    print(f"soak: seed {args.seed}, data {args.data_dir}, log {work / 'server.log'}", flush=True)

    stats = {"write_errors": Counter(), "reads_ok": Counter(), "reads_failed": Counter(),
             "reads_cut_by_kill": 0}
    report = {"lost": [], "half_written": [], "checked": 0, "inflight_batches": 0, "inflight_written": 0}
    known, restarts, pending, cycles, stopped_early = {"s": [], "p": []}, [], None, 0, None
    began = time.monotonic()
    for cycle in range(args.cycles + 1):  # the extra start only verifies
        last = cycle == args.cycles or time.monotonic() - began > args.max_seconds
        if last and cycle < args.cycles:
            stopped_early = f"--max-seconds {args.max_seconds} reached after {cycle} cycles"
        server = Server(args, log)
        restarts.append(server.wait_serving())
        if pending:
            verify(server.stub, *pending, report)
        if last:
            break
        load = Load(server.stub, cycle, known, stats)
        for t in load.threads:
            t.start()
        if not load.first_ack.wait(120):
            raise RuntimeError(f"cycle {cycle}: no batch acknowledged within 120 s")
        time.sleep(random.uniform(0, 2))
        load.killed.set()
        server.kill9()
        for t in load.threads:
            t.join()
        server.channel.close()
        pending, cycles = (load.acked, load.unacked), cycle + 1
        n_acked = len(load.acked["s"]) + len(load.acked["p"])
        print(f"cycle {cycle + 1}/{args.cycles}: restart {restarts[-1]:.2f} s, {n_acked} acked, "
              f"lost so far {len(report['lost'])}, half-written {len(report['half_written'])}", flush=True)
    final = {"lost": [], "half_written": [], "checked": 0, "inflight_batches": 0, "inflight_written": 0}
    try:
        verify(server.stub, known, {"s": [], "p": []}, final)
    finally:
        server.kill9()
        server.channel.close()
    lost = sorted(set(report["lost"]) | set(final["lost"]))
    result = {
        "seed": args.seed, "binary_mtime": time.ctime(os.path.getmtime(args.binary)),
        "model": args.model, "server_args": args.server_arg, "cycles": cycles, "stopped_early": stopped_early,
        "acknowledged_writes": len(known["s"]) + len(known["p"]),
        "acknowledged_seekers": len(known["s"]), "acknowledged_postings": len(known["p"]),
        "acknowledged_lost": len(lost), "lost_ids": lost,
        "final_full_check": final["checked"],
        "batches_cut_or_failed": report["inflight_batches"],
        "of_which_fully_written": report["inflight_written"],
        "half_written_batches": len(report["half_written"]), "half_written": report["half_written"],
        "write_errors_while_serving": dict(stats["write_errors"]),
        "reads_ok": sum(stats["reads_ok"].values()), "reads_ok_by_rpc": dict(stats["reads_ok"]),
        "reads_failed_while_serving": sum(stats["reads_failed"].values()),
        "reads_failed_by_rpc": dict(stats["reads_failed"]), "reads_cut_by_kill": stats["reads_cut_by_kill"],
        "restarts": len(restarts), "restart_p50_s": round(statistics.median(restarts), 3),
        "restart_max_s": round(max(restarts), 3), "restart_min_s": round(min(restarts), 3),
        "wall_s": round(time.monotonic() - began, 1),
    }
    print(json.dumps(result, indent=2, ensure_ascii=False))
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    failed = bool(lost or report["half_written"])
    if failed or args.keep:
        print(f"soak: data kept in {work}", file=sys.stderr)
    else:
        shutil.rmtree(work)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
