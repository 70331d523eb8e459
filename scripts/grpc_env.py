"""Makes grpc and the generated jobmatch stubs importable for a script under scripts/: when they
are missing, re-runs the script under the virtualenv `examples/python/setup.sh` makes (as the tests
do)."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GEN = ROOT / "examples/python/generated"


def ensure_grpc(script: str):
    """Imports grpc and the stubs, re-exec'ing `script` under the setup.sh virtualenv when needed."""
    sys.path.insert(0, str(GEN))
    try:
        import grpc  # noqa: F401
        from jobmatch.v1 import jobmatch_pb2  # noqa: F401
    except ImportError:
        if os.environ.get("JOBMATCH_SCRIPT_REEXEC"):
            sys.exit("grpc or the stubs are missing even under the virtualenv")
        python = Path.home() / ".cache/jobmatch/venv-grpc/bin/python"
        if not (python.exists() and GEN.exists()):
            python = subprocess.run(["bash", str(ROOT / "examples/python/setup.sh")], check=True,
                                    capture_output=True, text=True).stdout.strip().splitlines()[-1]
        os.environ["JOBMATCH_SCRIPT_REEXEC"] = "1"
        os.execv(str(python), [str(python), script, *sys.argv[1:]])


def wait_serving(channel, proc, started, timeout, log_path=None):
    """Polls grpc.health.v1 Check on `channel` until SERVING; returns seconds since `started`
    (a time.monotonic()). Raises if `proc` exits first (with the log's tail when given) or on timeout."""
    import time

    import grpc

    check = channel.unary_unary("/grpc.health.v1.Health/Check",
                                request_serializer=bytes, response_deserializer=bytes)
    while time.monotonic() - started < timeout:
        if proc.poll() is not None:
            tail = log_path.read_text(errors="replace").splitlines()[-20:] if log_path else []
            raise RuntimeError(f"server exited with {proc.returncode} during start-up" +
                               "".join("\n" + line for line in tail))
        try:
            if check(b"", timeout=2.0) == b"\x08\x01":  # field 1 (status) = SERVING
                return time.monotonic() - started
        except grpc.RpcError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"server not SERVING after {timeout} s")
