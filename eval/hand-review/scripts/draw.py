import json
import random
from collections import Counter

from load import load

a = load()
N = len(a)
print("N =", N)
random.seed(20261203)
idx = sorted(random.sample(range(N), 150))
dates = dict(line.rstrip("\n").split("\t") for line in open("/work/coord/review-work/dates.tsv"))
out = []
for i in idx:
    f, c = a[i]
    out.append(
        dict(
            i=i,
            file=f,
            date=dates[f],
            **{
                k: c.get(k)
                for k in [
                    "id",
                    "kind",
                    "text",
                    "span",
                    "trigger",
                    "value",
                    "value_high",
                    "unit",
                    "speaker",
                    "comparator",
                    "rule",
                ]
            },
        )
    )
json.dump(out, open("sample.json", "w"), ensure_ascii=False, indent=0)
print(Counter(o["kind"] for o in out))
