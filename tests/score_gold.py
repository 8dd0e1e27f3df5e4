#!/usr/bin/env python3
"""Score extracted claims against gold claims (see GUIDE.md).

A copy of shared/gold/score.py, so that the development corpus in tests/corpus can be
scored from a fresh clone where shared/ is absent.

Pair mode:   score.py GOLD.yaml PRED.yaml [--docs DIR]
Batch mode:  score.py --gold-dir DIR --docs DIR --cmd 'claimcheck extract {doc} -o {out}'
             runs the command once per gold file ({doc}: article path, {out}: a temp YAML
             path, {date}: the gold document date) and scores the union.
Options:     --min P,R,V  exit 1 unless precision, recall and value accuracy reach these.
             --quiet      totals only; --json  machine-readable totals.

Prediction files are read leniently: a mapping with `claims:` or a bare list; each claim has
`kind`, `span` ([start, end] or {start, end}), optional `trigger` (same shapes), and a value
in `value`, `date`, `values[].value` or `quantity.value`; `speaker` is a string or {name}.
"""
from __future__ import annotations

import argparse
import json
import math
import pathlib
import shlex
import subprocess
import sys
import tempfile

import yaml

KINDS = ("quantity", "date", "attribution", "ranking")


def _interval(obj):
    if obj is None:
        return None
    if isinstance(obj, dict):
        if "start" in obj and "end" in obj:
            return int(obj["start"]), int(obj["end"])
        return None
    if isinstance(obj, (list, tuple)) and len(obj) == 2:
        return int(obj[0]), int(obj[1])
    return None


def _values(claim):
    out = []
    for key in ("value", "date"):
        if key in claim and claim[key] is not None:
            out.append(claim[key])
    for v in claim.get("values") or []:
        out.append(v.get("value") if isinstance(v, dict) else v)
    q = claim.get("quantity")
    if isinstance(q, dict) and q.get("value") is not None:
        out.append(q["value"])
    return out


def _speaker(claim):
    s = claim.get("speaker")
    if isinstance(s, dict):
        s = s.get("name") or s.get("text")
    return s or ""


def load_predictions(path):
    data = yaml.safe_load(pathlib.Path(path).read_text(encoding="utf-8"))
    claims = data.get("claims", []) if isinstance(data, dict) else (data or [])
    preds = []
    for c in claims:
        span = _interval(c.get("span"))
        trig = _interval(c.get("trigger")) or span
        if span is None and trig is not None:
            span = trig
        if span is None or c.get("kind") not in KINDS:
            continue
        preds.append({"kind": c["kind"], "span": span, "trigger": trig,
                      "values": _values(c), "speaker": _speaker(c), "raw": c})
    return preds


def load_gold(path, docs_dir):
    gold = yaml.safe_load(pathlib.Path(path).read_text(encoding="utf-8"))
    doc_path = pathlib.Path(docs_dir) / gold["doc"]
    text = doc_path.read_bytes().decode("utf-8")
    claims = []
    for g in gold["claims"]:
        start, found = -1, 0
        while found < g.get("nth", 1):
            start = text.find(g["anchor"], start + 1)
            if start < 0:
                raise SystemExit(f"{path}: anchor {g['anchor']!r} #{g.get('nth', 1)} not in {doc_path}")
            found += 1
        claims.append(dict(g, span=(start, start + len(g["anchor"]))))
    return gold, doc_path, text, claims


def _overlap(a, b):
    return a[0] < b[1] and b[0] < a[1]


def _value_ok(g, p):
    kind = g["kind"]
    if kind == "quantity":
        want = float(g["value"])
        for v in p["values"]:
            try:
                if math.isclose(float(v), want, rel_tol=1e-9, abs_tol=1e-12):
                    return True
            except (TypeError, ValueError):
                continue
        return False
    if kind == "date":
        return any(str(v) == str(g["value"]) for v in p["values"])
    if kind == "attribution":
        return str(g.get("speaker", "")) in p["speaker"]
    return True


def score_doc(gold_claims, preds):
    pairs = []
    for gi, g in enumerate(gold_claims):
        for pi, p in enumerate(preds):
            if p["kind"] == g["kind"] and _overlap(p["span"], g["span"]):
                hit = 0 if _overlap(p["trigger"], g["span"]) else 1
                dist = abs((p["trigger"][0] + p["trigger"][1]) - (g["span"][0] + g["span"][1]))
                pairs.append((bool(g.get("optional")), hit, dist, gi, pi))
    pairs.sort()
    g_match, p_match = {}, {}
    for _, _, _, gi, pi in pairs:
        if gi not in g_match and pi not in p_match:
            g_match[gi], p_match[pi] = pi, gi
    return g_match, p_match


def tally(results):
    t = {k: dict(tp=0, fn=0, fp=0, vok=0, vn=0) for k in KINDS}
    for gold_claims, preds, g_match, p_match in results:
        for gi, g in enumerate(gold_claims):
            if g.get("optional"):
                continue
            row = t[g["kind"]]
            if gi in g_match:
                row["tp"] += 1
                if g["kind"] != "ranking" and ("value" in g or "speaker" in g):
                    row["vn"] += 1
                    row["vok"] += _value_ok(g, preds[g_match[gi]])
            else:
                row["fn"] += 1
        for pi, p in enumerate(preds):
            if pi not in p_match:
                t[p["kind"]]["fp"] += 1
    return t


def _ratio(a, b):
    return a / b if b else 1.0


def totals(t):
    tp = sum(r["tp"] for r in t.values())
    fp = sum(r["fp"] for r in t.values())
    fn = sum(r["fn"] for r in t.values())
    vok = sum(r["vok"] for r in t.values())
    vn = sum(r["vn"] for r in t.values())
    p, r = _ratio(tp, tp + fp), _ratio(tp, tp + fn)
    f = 2 * p * r / (p + r) if p + r else 0.0
    return dict(precision=p, recall=r, f1=f, value_accuracy=_ratio(vok, vn), tp=tp, fp=fp, fn=fn)


def report(t, details, quiet):
    print(f"{'kind':<12}{'gold':>6}{'pred':>6}{'P':>7}{'R':>7}{'value':>7}")
    for k in KINDS:
        r = t[k]
        print(f"{k:<12}{r['tp'] + r['fn']:>6}{r['tp'] + r['fp']:>6}"
              f"{_ratio(r['tp'], r['tp'] + r['fp']):>7.2f}{_ratio(r['tp'], r['tp'] + r['fn']):>7.2f}"
              f"{_ratio(r['vok'], r['vn']):>7.2f}")
    if not quiet:
        for line in details:
            print(line)
    s = totals(t)
    print(f"precision {s['precision']:.3f} recall {s['recall']:.3f} f1 {s['f1']:.3f} "
          f"value_accuracy {s['value_accuracy']:.3f}")
    return s


def explain(text, gold_claims, preds, g_match, p_match, name):
    def ctx(span):
        a, b = span
        return text[max(0, a - 12):a] + "[" + text[a:b] + "]" + text[b:b + 12]
    lines = []
    for gi, g in enumerate(gold_claims):
        if g.get("optional"):
            continue
        if gi not in g_match:
            lines.append(f"  miss {name} {g['kind']}: {ctx(g['span'])!r}")
        elif not _value_ok(g, preds[g_match[gi]]):
            p = preds[g_match[gi]]
            got = p["speaker"] if g["kind"] == "attribution" else p["values"]
            want = g.get("speaker") if g["kind"] == "attribution" else g.get("value")
            lines.append(f"  wrong {name} {g['kind']}: {ctx(g['span'])!r} want {want!r} got {got!r}")
    for pi, p in enumerate(preds):
        if pi not in p_match:
            lines.append(f"  extra {name} {p['kind']}: {ctx(p['trigger'])!r}")
    return lines


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("gold", nargs="?")
    ap.add_argument("pred", nargs="?")
    ap.add_argument("--docs", default=str(pathlib.Path(__file__).resolve().parent.parent / "seeds"))
    ap.add_argument("--gold-dir")
    ap.add_argument("--cmd")
    ap.add_argument("--min")
    ap.add_argument("--quiet", action="store_true")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)

    jobs = []
    if args.gold_dir:
        if not args.cmd:
            ap.error("--gold-dir needs --cmd")
        jobs = sorted(pathlib.Path(args.gold_dir).glob("*.gold.yaml"))
    elif args.gold and args.pred:
        jobs = [pathlib.Path(args.gold)]
    else:
        ap.error("give GOLD PRED, or --gold-dir with --cmd")

    results, details = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for gpath in jobs:
            gold, doc_path, text, gold_claims = load_gold(gpath, args.docs)
            if args.cmd:
                out = pathlib.Path(tmp) / (gpath.stem + ".yaml")
                cmd = args.cmd.format(doc=shlex.quote(str(doc_path)), out=shlex.quote(str(out)),
                                      date=shlex.quote(str(gold.get("date", ""))))
                proc = subprocess.run(cmd, shell=True, capture_output=True, text=True)
                if proc.returncode != 0 or not out.exists():
                    print(f"{gpath.name}: extraction failed ({proc.returncode}): {proc.stderr[-500:]}")
                    preds = []
                else:
                    preds = load_predictions(out)
            else:
                preds = load_predictions(args.pred)
            g_match, p_match = score_doc(gold_claims, preds)
            results.append((gold_claims, preds, g_match, p_match))
            details += explain(text, gold_claims, preds, g_match, p_match, gpath.name.split(".")[0])

    t = tally(results)
    if args.json:
        s = totals(t)
        print(json.dumps(dict(s, by_kind=t), ensure_ascii=False))
    else:
        s = report(t, details, args.quiet)
    if args.min:
        need = [float(x) for x in args.min.split(",")]
        got = [s["precision"], s["recall"], s["value_accuracy"]]
        if any(g < n for g, n in zip(got, need)):
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
