#!/usr/bin/env python3
"""Agreement of embedding engines: the cosine of each engine's vectors against the reference's, for
texts and queries separately. Vectors files are {"texts": [[...], ...], "queries": [[...], ...]}
(reference.py / ort.py --vectors, jobmatch bench-embed --vectors-out). Exits 1 if any minimum
cosine is below 0.999 (or a file's counts or dimensions differ from the reference's).

    agree.py REF.json OTHER.json...
"""
import json
import math
import sys
from pathlib import Path

THRESHOLD = 0.999


def cosine(a, b):
    dot = sum(x * y for x, y in zip(a, b))
    na, nb = math.sqrt(sum(x * x for x in a)), math.sqrt(sum(y * y for y in b))
    return dot / (na * nb) if na and nb else 0.0


def main():
    if len(sys.argv) < 3:
        raise SystemExit(__doc__)
    ref_path = Path(sys.argv[1])
    ref = json.loads(ref_path.read_text())
    ok = True
    print(f"agreement with {ref_path.name} (cosine; fails below {THRESHOLD}):")
    for path in map(Path, sys.argv[2:]):
        other = json.loads(path.read_text())
        parts = []
        for kind in ("texts", "queries"):
            a, b = ref.get(kind, []), other.get(kind, [])
            if len(a) != len(b) or not a or any(len(x) != len(y) for x, y in zip(a, b)):
                dims = sorted({len(x) for x in b})
                parts.append(f"{kind}: {len(b)} vectors of dims {dims} vs the reference's {len(a)} of {len(a[0]) if a else 0}")
                ok = False
                continue
            cosines = [cosine(x, y) for x, y in zip(a, b)]
            low = min(cosines)
            ok &= low >= THRESHOLD
            parts.append(f"{kind} ({len(cosines)}): min {low:.7f} mean {sum(cosines) / len(cosines):.7f}"
                         f" (largest 1 - cos {1 - low:.1e})"
                         + ("" if low >= THRESHOLD else "  BELOW"))
        print(f"  {path.name}: " + "; ".join(parts))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
