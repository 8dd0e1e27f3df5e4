import json
import sys

import yaml

S = json.load(open("sample.json"))


def txt(f):
    return open("/work/shared/corpus-real/docs/" + f, "rb").read().decode("utf-8")


allc = {}
lo, hi = int(sys.argv[1]), int(sys.argv[2])
for n, o in enumerate(S[lo:hi], lo):
    t = txt(o["file"])
    tr = o["trigger"]
    s, e = tr["start"], tr["end"]
    assert t[s:e] == tr["text"], (o["file"], o["id"])
    # sentence context
    a = max(0, s - 150)
    b = min(len(t), e + 100)
    ctx = (t[a:s] + "【" + t[s:e] + "】" + t[e:b]).replace("\r", "\\r").replace("\n", "⏎")
    d = yaml.safe_load(open("/work/coord/review-after/out/" + o["file"].replace(".txt", ".claims.yaml")))
    c = [x for x in d["claims"] if x["id"] == o["id"]][0]
    extra = {k: c[k] for k in c if k in ("change", "compared", "comparator", "value_high", "speaker", "unit")}
    print(
        f"#{n} {o['file']} date={o['date'] or d['document'].get('date')} {o['id']} {o['kind']} rule={o['rule']} trig={tr['text']!r} value={o['value']!r} {extra}"
    )
    print("   text:", o["text"].replace("\n", "⏎"))
    print("   ctx :", ctx)
    print()
