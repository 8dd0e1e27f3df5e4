"""Differential test of quantity values: claimcheck against cn2an, an independent parser.

cn2an is a development tool only, never a dependency of claimcheck or its tests. Install it
into the virtual environment first:

    . .venv/bin/activate && pip install cn2an

Then, from the project folder:

    python eval/differential_cn2an.py [--docs ../shared/corpus-real/docs] [--sources ../shared/corpus-real/SOURCES.tsv]

Every article is extracted (s* files dated from SOURCES.tsv, t* files 2018-03-25); the numeral
of every quantity trigger is read by cn2an, and every disagreement is listed with its article
and sentence. A trigger cn2an cannot read is counted apart ("cn2an cannot read"), as is a
trigger of a form this script does not compare (ranges, sums of 元/角/分, X年半).
"""
from __future__ import annotations

import argparse
import csv
import re
import sys
import unicodedata
from collections import Counter
from decimal import Decimal
from pathlib import Path

try:
    import cn2an
except ImportError:  # pragma: no cover - a development tool
    sys.exit("cn2an is not installed: . .venv/bin/activate && pip install cn2an")

from claims import extract

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared"
DEFAULT_DATE = "2018-03-25"

_NUM = "0-9.零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟萬億兩貳參陸叄点點仨俩"
_RUN = re.compile(rf"[负負-]?[{_NUM}]+")
_NUM_SET = set("0123456789０１２３４５６７８９.．零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟萬億兩貳參陸")
# Forms compared by what they mean, not by a numeral alone.
_SKIP_RULES = ("quantity.range", "quantity.neighbours", "quantity.money-parts", "quantity.race-time",
               "quantity.doubling", "quantity.cheng-range", "quantity.percent-range", "quantity.half-share")


def _cn2an(text: str) -> Decimal | None:
    text = text.replace("點", "点").replace("萬", "万").replace("億", "亿").replace("兩", "两")
    text = text.replace("負", "负").replace("仨", "三").replace("俩", "两")
    if text.startswith("-"):
        text = "负" + text[1:]
    try:
        return Decimal(str(cn2an.cn2an(text, "smart")))
    except Exception:  # cn2an raises ValueError and others on what it cannot read
        return None


def reference(claim) -> tuple[str, Decimal | None]:
    """(what was compared, cn2an's value of the trigger's numeral) for one quantity claim."""
    t = unicodedata.normalize("NFKC", claim.trigger.text).replace(",", "").replace(" ", "")
    rule = claim.rule
    if rule in _SKIP_RULES or (claim.value_high is not None):
        return "skipped", None
    if rule == "quantity.half" or "半" in t:
        return "skipped", None
    if rule in ("quantity.percent", "quantity.fraction", "quantity.cheng"):
        m = re.search(rf"([负負-]?)(?:百分之([{_NUM}]+)|([{_NUM}]+)%|([{_NUM}]+)分之([{_NUM}]+)|([0-9]+)/([0-9]+)|([{_NUM}]+)成([{_NUM}]?))", t)
        if not m or "又" in t:
            return "skipped", None
        sign = -1 if m[1] else 1
        if m[2] or m[3]:
            v = _cn2an(m[2] or m[3])
            return "ratio", None if v is None else sign * v / 100
        if m[4]:
            den, num = _cn2an(m[4]), _cn2an(m[5])
            return "ratio", None if not den or num is None else sign * num / den
        if m[6]:
            return "ratio", sign * Decimal(m[7] and m[6]) / Decimal(m[7])
        tenths, extra = _cn2an(m[8]), _cn2an(m[9]) if m[9] else Decimal(0)
        if tenths is None or extra is None:
            return "ratio", None
        return "ratio", sign * (tenths / 10 + extra / 100)
    # A count or amount: the numeral with its 万/亿, without 多/余/几 or 个 (100多万, 三个亿).
    t = re.sub(r"(?<=[0-9零一二两三四五六七八九十百千])[多余餘几幾个個](?=[万亿])", "", t)
    runs = _RUN.findall(t)
    if not runs:
        return "no numeral", None
    return "number", _cn2an(max(runs, key=len))


def close(a: Decimal, b: float) -> bool:
    return abs(a - Decimal(str(b))) <= abs(a) * Decimal("1e-9") + Decimal("1e-12")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", default=str(SHARED / "corpus-real" / "docs"))
    ap.add_argument("--sources", default=str(SHARED / "corpus-real" / "SOURCES.tsv"))
    args = ap.parse_args(argv)
    dates = {}
    with open(args.sources, encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            # stamp 2023-07-26 16:20, or with a two-digit year (23-08-18 05:39); some have none
            m = re.search(r"stamp (\d{2}|\d{4})-(\d{2})-(\d{2})", row["item"])
            if m:
                year = m[1] if len(m[1]) == 4 else "20" + m[1]
                dates[row["file"]] = f"{year}-{m[2]}-{m[3]}"
    counts: Counter = Counter()
    lines = []
    for path in sorted(Path(args.docs).glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        date = dates.get(path.name) if path.name.startswith("s") else DEFAULT_DATE
        for c in extract(text, date):
            if c.kind.value != "quantity":
                continue
            counts["quantity triggers"] += 1
            # Independent of both parsers: a numeral character just outside the trigger means the
            # claim holds part of a number (3亿 of 3亿2万, 5成 of 3.5成).
            ts, te = c.trigger.start, c.trigger.end
            before, after = text[ts - 1 : ts], text[te : te + 1]
            if (before and before in _NUM_SET and text[ts : ts + 1] in _NUM_SET) or \
                    (after and after in _NUM_SET and text[te - 1 : te] in _NUM_SET):
                counts["numeral continues outside the trigger"] += 1
                lines.append(f"CUT         {path.name}  {text[max(0, ts - 4):te + 4]!r}: {c.trigger.text!r} -> {c.value}"
                             f"  [{c.rule}]")
            how, ref = reference(c)
            if how in ("skipped", "no numeral"):
                counts[f"not compared ({how})"] += 1
                continue
            if ref is None:
                counts["cn2an cannot read"] += 1
                lines.append(f"unreadable  {path.name}  {c.trigger.text!r} -> {c.value}  [{c.rule}]  {c.text}")
                continue
            counts["compared"] += 1
            if not isinstance(c.value, (int, float)) or not close(ref, c.value):
                counts["disagreements"] += 1
                lines.append(f"DISAGREE    {path.name}  {c.trigger.text!r}: claimcheck {c.value}, cn2an {ref}"
                             f"  [{c.rule}]  {c.text}")
    for line in lines:
        print(line)
    print()
    for k, v in counts.items():
        print(f"{k}: {v}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
