#!/usr/bin/env python3
"""Writes assets/japan-coast.txt: Japan's coastline for the map view's Japan panel.

Source: Natural Earth's Admin 0 countries at 1:50m (public domain), as TopoJSON in the
npm package world-atlas (version pinned below), fetched with `npm pack`. Japan is the
country with ISO 3166 numeric id 392. Its rings are decoded, simplified
(Douglas-Peucker, tolerance TOLERANCE degrees), rings smaller than MIN_AREA square
degrees dropped, and written one ring a line as `lon,lat` pairs with two decimals.

Run from the repository root: python3 tools/japan-coast.py (needs npm and python3).
"""

import json
import os
import subprocess
import sys
import tarfile
import tempfile

PACKAGE = "world-atlas@2.0.2"
FILE = "package/countries-50m.json"
JAPAN = "392"
TOLERANCE = 0.03
MIN_AREA = 0.02
OUT = "assets/japan-coast.txt"


def fetch():
    with tempfile.TemporaryDirectory() as d:
        subprocess.run(["npm", "pack", "--silent", PACKAGE], cwd=d, check=True,
                       stdout=subprocess.DEVNULL)
        tgz = [f for f in os.listdir(d) if f.endswith(".tgz")][0]
        with tarfile.open(os.path.join(d, tgz)) as t:
            return json.load(t.extractfile(FILE))


def arcs(topo):
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    out = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        out.append(pts)
    return out


def ring(indices, decoded):
    pts = []
    for i in indices:
        a = decoded[i] if i >= 0 else list(reversed(decoded[~i]))
        pts.extend(a if not pts else a[1:])
    return pts


def simplify(pts, tol):
    if len(pts) < 3:
        return pts
    (x1, y1), (x2, y2) = pts[0], pts[-1]
    dx, dy = x2 - x1, y2 - y1
    norm = (dx * dx + dy * dy) ** 0.5
    best, at = -1.0, 0
    for i in range(1, len(pts) - 1):
        px, py = pts[i]
        if norm == 0:
            d = ((px - x1) ** 2 + (py - y1) ** 2) ** 0.5
        else:
            d = abs(dy * px - dx * py + x2 * y1 - y2 * x1) / norm
        if d > best:
            best, at = d, i
    if best <= tol:
        return [pts[0], pts[-1]]
    return simplify(pts[: at + 1], tol)[:-1] + simplify(pts[at:], tol)


def area(pts):
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(pts, pts[1:] + pts[:1]))) / 2


def main():
    topo = fetch()
    decoded = arcs(topo)
    geoms = [g for g in topo["objects"]["countries"]["geometries"] if g.get("id") == JAPAN]
    if len(geoms) != 1:
        sys.exit("no single geometry with id 392 (Japan)")
    g = geoms[0]
    polygons = g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]]
    rings = []
    for polygon in polygons:
        outer = ring(polygon[0], decoded)
        if area(outer) < MIN_AREA:
            continue
        closed = simplify(outer, TOLERANCE)
        if len(closed) >= 4:
            rings.append(closed)
    rings.sort(key=area, reverse=True)
    with open(OUT, "w") as f:
        f.write("# Japan's coastline for linkj's map: Natural Earth 1:50m Admin 0 countries\n")
        f.write(f"# (public domain), from the npm package {PACKAGE}, by tools/japan-coast.py\n")
        f.write(f"# (simplified to {TOLERANCE} degrees, rings under {MIN_AREA} square degrees dropped).\n")
        f.write("# One ring a line: lon,lat pairs.\n")
        for r in rings:
            f.write(" ".join(f"{x:.2f},{y:.2f}" for x, y in r) + "\n")
    print(f"{OUT}: {len(rings)} rings, {sum(len(r) for r in rings)} points", file=sys.stderr)


if __name__ == "__main__":
    main()
