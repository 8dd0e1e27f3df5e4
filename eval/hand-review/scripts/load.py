import glob
import os

import yaml


def load():
    allc = []
    for p in sorted(glob.glob("/work/coord/review-after/out/*.claims.yaml")):
        d = yaml.safe_load(open(p, encoding="utf-8"))
        f = os.path.basename(p).replace(".claims.yaml", ".txt")
        for c in d.get("claims") or []:
            allc.append((f, c))
    return allc
