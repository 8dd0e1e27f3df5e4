"""Join sample.json (draw.py) with ../verdicts.tsv into after.tsv, in the columns of review-before.tsv."""

import json

S = json.load(open("sample.json"))
V = [line.rstrip("\n").split("\t") for line in open("../verdicts.tsv", encoding="utf-8")]
assert len(S) == len(V) == 150
N = int(open("N.txt").read())
print(
    f"# sample: 150 claims drawn with random.seed(20261203); random.sample(range({N}),150) over all claims of "
    "/work/coord/review-after/out/*.claims.yaml (270 articles = corpus-real minus real2_all.txt; extractor 73b9e81; "
    "files sorted by name, claims in file order)"
)
print("\t".join(["file", "claim_id", "kind", "trigger", "value", "speaker", "verdict", "reason", "flags"]))
for n, (o, v) in enumerate(zip(S, V)):
    assert int(v[0]) == n
    val = o["value"]
    if o.get("value_high") is not None:
        val = f"{val}~{o['value_high']}"
    if val is None:
        val = ""
    sp = (o.get("speaker") or {}).get("name", "")
    print(
        "\t".join(
            str(x).replace("\t", " ").replace("\n", " ")
            for x in [o["file"], o["id"], o["kind"], o["trigger"]["text"], val, sp, v[1], v[3], v[2]]
        )
    )
