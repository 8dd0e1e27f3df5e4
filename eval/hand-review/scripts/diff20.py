"""For the recall articles: claims the baseline emitted that the frozen extractor no longer emits (same kind, overlapping trigger), and new ones."""

import sys

import yaml


def claims(d, f):
    y = yaml.safe_load(open(f"{d}/{f.replace('.txt', '.claims.yaml')}"))
    return [
        (
            c["kind"],
            c["trigger"]["start"],
            c["trigger"]["end"],
            c["trigger"]["text"],
            c.get("value"),
            (c.get("speaker") or {}).get("name"),
        )
        for c in y.get("claims") or []
    ]


def ov(a, b):
    return a[0] == b[0] and a[1] < b[2] and b[1] < a[2]


for f in sys.argv[1:] or [line.strip() for line in open("/work/coord/review-work/recall20.txt")]:
    B = claims("/work/coord/baseline-out", f)
    A = claims("/work/coord/review-after/out", f)
    gone = [b for b in B if not any(ov(b, a) for a in A)]
    new = [a for a in A if not any(ov(a, b) for b in B)]
    print(f"== {f} before {len(B)} after {len(A)}")
    for g in gone:
        print("   - gone", g)
    for g in new:
        print("   + new ", g)
