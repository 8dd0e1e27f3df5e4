import sys

import yaml

abbr = {"quantity": "Q", "date": "D", "attribution": "A", "ranking": "R"}
for p in sys.argv[1:]:
    t = open("/work/shared/corpus-real/docs/" + p, "rb").read().decode()
    d = yaml.safe_load(open("/work/coord/review-after/out/" + p.replace(".txt", ".claims.yaml")))
    cs = sorted(d["claims"] or [], key=lambda c: (c["trigger"]["start"], -c["trigger"]["end"]))
    out = []
    pos = 0
    n = 0
    for c in cs:
        s, e = c["trigger"]["start"], c["trigger"]["end"]
        if s < pos:
            out.append(f"⟦+{abbr[c['kind']]}:{c['trigger']['text']}⟧")
            continue
        n += 1
        v = c.get("value")
        if c.get("value_high") is not None:
            v = f"{v}~{c['value_high']}"
        if c.get("unit"):
            v = f"{v} {c['unit']}"
        sp = c.get("speaker")
        sp = ("@" + sp["name"]) if sp else ""
        out.append(t[pos:s] + "⟦" + abbr[c["kind"]] + ":" + t[s:e] + ("=" + str(v) if v is not None else "") + sp + "⟧")
        pos = e
    out.append(t[pos:])
    print("=====", p, "date", d["document"].get("date"), "claims", len(cs))
    print("".join(out).replace("\r", "").replace("\n", "⏎\n"))
    print()
