"""Verdict counts, Wilson 95% intervals and per-kind tables for a review TSV (before.tsv / after.tsv)."""

import csv
import math
import sys
from collections import Counter, defaultdict

V = ["right", "wrong value", "wrong speaker", "wrong span", "not a claim"]


def wilson(k, n, z=1.96):
    p = k / n
    d = 1 + z * z / n
    c = p + z * z / (2 * n)
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return 100 * (c - h) / d, 100 * (c + h) / d


for path in sys.argv[1:]:
    rows = [
        r
        for r in csv.reader(open(path, encoding="utf-8"), delimiter="\t")
        if r and not r[0].startswith("#") and r[0] != "file"
    ]
    n = len(rows)
    c = Counter(r[6] for r in rows)
    nc = sum("name-contained" in r[8] for r in rows)
    print("==", path, "n =", n)
    for v in V:
        lo, hi = wilson(c[v], n)
        print(f"  {v:14s} {c[v]:3d} {100 * c[v] / n:5.1f}% ({lo:.1f}–{hi:.1f})")
    lo, hi = wilson(nc, n)
    print(f"  name-contained {nc:3d} {100 * nc / n:5.1f}% ({lo:.1f}–{hi:.1f})")
    k = c["right"] + nc
    lo, hi = wilson(k, n)
    print(f"  lenient right  {k:3d} {100 * k / n:5.1f}% ({lo:.1f}–{hi:.1f})")
    k = n - c["not a claim"]
    lo, hi = wilson(k, n)
    print(f"  real claims    {k:3d} {100 * k / n:5.1f}% ({lo:.1f}–{hi:.1f})")
    opt = [r for r in rows if "optional" in r[8]]
    print("  optional", len(opt), Counter(r[6] for r in opt))
    bk = defaultdict(Counter)
    nck = Counter()
    for r in rows:
        bk[r[2]][r[6]] += 1
        nck[r[2]] += "name-contained" in r[8]
    for k in ["quantity", "date", "attribution", "ranking"]:
        m = sum(bk[k].values())
        rr = bk[k]["right"]
        print(
            f"  | {k} | {m} | "
            + " | ".join(str(bk[k][v]) for v in V)
            + f" | {100 * rr / m:.0f}% | {100 * (rr + nck[k]) / m:.0f}% |"
        )
