"""A peer's own test suite: Recognizers-Text's Chinese number, unit and duration specs.

Every case of Specs/Number/Chinese, Specs/NumberWithUnit/Chinese and DurationParser.json is run
through `claims.extract`, the phrase placed in a sentence that makes it a claim, the case's
reference date as the document's date. A case is right when every figure the peer finds comes
out as a claim with its value; wrong when a claim over one of them has another value; missing
otherwise. Where GUIDE.md's convention is not the peer's, or a case is not a claim at all, the
case is listed by class with the reason in eval/peer-suites/conventions-numbers.yaml, and the
test holds us to what GUIDE.md says instead (never a silent skip). The pass rate by file is
printed (`pytest -s`).
"""
from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import pytest
import yaml

from claims import extract

from .conftest import ROOT, SHARED

SPECS = SHARED / "peer-suites" / "recognizers-text" / "Specs"
CONVENTIONS = ROOT / "eval" / "peer-suites" / "conventions-numbers.yaml"
FILES = [
    "Number/Chinese/NumberModel.json",
    "Number/Chinese/NumberRangeModel.json",
    "Number/Chinese/PercentModel.json",
    "NumberWithUnit/Chinese/CurrencyModel.json",
    "NumberWithUnit/Chinese/DimensionModel.json",
    "NumberWithUnit/Chinese/AgeModel.json",
    "DateTime/Chinese/DurationParser.json",
]
# Where a wrong value is never tolerated (issue 13: numbers, percentages and currency).
STRICT = {"NumberModel.json", "PercentModel.json", "CurrencyModel.json"}
FLOOR = 0.95

pytestmark = pytest.mark.skipif(not SPECS.exists(), reason="shared/peer-suites is not beside this clone")


@dataclass
class Probe:
    start: int  # in the sentence
    end: int
    value: Decimal | None  # None: no claim may touch it


@dataclass
class Outcome:
    file: str
    input: str
    verdict: str  # right, wrong, missing, not-applicable
    cls: str | None
    detail: str = ""


def _conventions():
    data = yaml.safe_load(CONVENTIONS.read_text(encoding="utf-8"))
    out = []
    for entry in data["classes"]:
        assert entry.get("reason"), entry
        assert entry["expect"] in ("not-applicable", "no-claim", "value-or-nothing", "points", "values"), entry
        out.append(entry)
    return out


def _in_running_text(file: str, text: str, results) -> bool:
    """The peer's number model reads every numeral of a sentence; several numbers, or one inside
    other words with no unit of ours after it, are not the one figure-with-unit a claim is."""
    if file != "NumberModel.json" or not results:
        return False
    return len(results) > 1 or results[0][1] - results[0][0] < len(text.strip())


def _class_of(conventions, file: str, text: str, results):
    for c in conventions:
        if c.get("files") and file not in c["files"]:
            continue
        if "inputs" in c and text in c["inputs"]:
            return c
        if "match" in c and re.search(c["match"], text):
            return c
        if c.get("shape") == "in-running-text" and _in_running_text(file, text, results):
            return c
        if not any(k in c for k in ("inputs", "match", "shape")):
            return c  # a whole file
    return None


def _number(s) -> Decimal | None:
    if s is None:
        return None
    s = str(s).strip()
    scale = Decimal(1)
    if s.endswith("%"):
        s, scale = s[:-1], Decimal("0.01")
    try:
        return Decimal(s) * scale
    except InvalidOperation:
        return None


_TIMEX = re.compile(r"P(?:T)?([0-9.]+)([YMWDHS])")


def _results(file: str, case: dict) -> list[tuple[int, int, Decimal | None]]:
    """(start, end exclusive, value) of every figure the peer expects, in the input."""
    out = []
    for r in case.get("Results", []):
        if "Length" in r:  # DateTime specs
            m = _TIMEX.fullmatch(r["Value"]["Timex"])
            value = Decimal(m[1]) if m else None
            out.append((r["Start"], r["Start"] + r["Length"], value))
        else:
            res = r.get("Resolution") or {}
            value = _number(res.get("value"))
            out.append((r["Start"], r["End"] + 1, value))
    return out


_PREFIX = "据统计，"


def _sentence(file: str, text: str, results) -> tuple[str, int]:
    """The sentence a case is read in, and where the input starts in it."""
    stripped = text.strip()
    if file == "DurationParser.json":
        return f"{_PREFIX}历时{text}。", len(_PREFIX) + 2
    if file == "PercentModel.json":
        return f"{_PREFIX}占比为{text}。", len(_PREFIX) + 3
    if file == "NumberModel.json" and len(results) == 1 and results[0][1] - results[0][0] >= len(stripped) \
            and "分之" not in stripped and "/" not in stripped and "／" not in stripped:
        # A numeral alone is not a claim (GUIDE.md): it is counted, as 个 of something.
        return f"{_PREFIX}共有{text.rstrip()}个。", len(_PREFIX) + 2
    if file == "NumberModel.json" and ("分之" in stripped or "/" in stripped or "／" in stripped) and len(results) == 1:
        return f"{_PREFIX}占比为{text}。", len(_PREFIX) + 3
    return f"{_PREFIX}{text}。", len(_PREFIX)


def _judge(file: str, case: dict, conventions) -> Outcome:
    text = case["Input"]
    results = _results(file, case)
    conv = _class_of(conventions, file, text, results)
    expect = conv["expect"] if conv else None
    cls = conv["class"] if conv else None
    if expect == "values":
        results = [(s, e, Decimal(str(v)) if v is not None else None)
                   for (s, e, _), v in zip(results, conv["values"][text], strict=True)]
    if expect == "points":
        results = [(s, e, v * 100 if v is not None else None) for s, e, v in results]
    sentence, offset = _sentence(file, text, results)
    date = (case.get("Context") or {}).get("ReferenceDateTime", "2023-04-12")[:10]
    claims = [c for c in extract(sentence, date) if c.kind.value == "quantity"]
    probes = [Probe(s + offset, e + offset, v) for s, e, v in results]
    if expect == "no-claim" or (not probes and expect != "not-applicable"):
        # Nothing here is a figure: no claim may touch the input.
        bad = [c for c in claims if c.trigger.end > offset and c.trigger.start < offset + len(text)]
        if bad:
            return Outcome(file, text, "wrong", cls, ", ".join(f"{c.trigger.text}={c.value}" for c in bad))
        return Outcome(file, text, "right", cls)
    verdict, details = "right", []
    for p in probes:
        touching = [c for c in claims if c.trigger.start < p.end and c.trigger.end > p.start]
        if p.value is None:
            continue
        if expect == "not-applicable" and len(touching) > 1:
            continue  # e.g. a date's parts: each claim has its own figure
        good = [c for c in touching if isinstance(c.value, (int, float))
                and abs(Decimal(str(c.value)) - p.value) <= abs(p.value) * Decimal("1e-9") + Decimal("1e-12")]
        others = [c for c in touching if c not in good]
        if others and not good:
            verdict = "wrong"
            details.append(f"{sentence[p.start:p.end]}: " + ", ".join(f"{c.trigger.text}={c.value}" for c in others))
        elif not good and verdict != "wrong":
            if expect not in ("value-or-nothing", "not-applicable"):
                verdict = "missing"
                details.append(f"{sentence[p.start:p.end]}: nothing")
    if expect == "not-applicable" and verdict == "right":
        verdict = "not-applicable"  # run all the same: a wrong value is never excused
    return Outcome(file, text, verdict, cls, "; ".join(details))


def _run():
    conventions = _conventions()
    outcomes = []
    for rel in FILES:
        cases = json.loads((SPECS / rel).read_text(encoding="utf-8-sig"))
        name = rel.rsplit("/", 1)[1]
        outcomes.extend(_judge(name, case, conventions) for case in cases)
    return outcomes


@pytest.fixture(scope="module")
def outcomes():
    return _run()


def _report(outcomes) -> str:
    by_file: dict[str, Counter] = defaultdict(Counter)
    for o in outcomes:
        by_file[o.file][o.verdict] += 1
    lines = [f"{'file':28s} {'cases':>5s} {'n/a':>5s} {'right':>5s} {'wrong':>5s} {'miss':>5s}  rate"]
    total = Counter()
    for f, c in by_file.items():
        total.update(c)
        applicable = c["right"] + c["wrong"] + c["missing"]
        rate = c["right"] / applicable if applicable else 1.0
        lines.append(f"{f:28s} {sum(c.values()):5d} {c['not-applicable']:5d} {c['right']:5d} {c['wrong']:5d} "
                     f"{c['missing']:5d}  {rate:.3f}")
    applicable = total["right"] + total["wrong"] + total["missing"]
    lines.append(f"{'all':28s} {sum(total.values()):5d} {total['not-applicable']:5d} {total['right']:5d} "
                 f"{total['wrong']:5d} {total['missing']:5d}  {total['right'] / applicable:.3f}")
    for o in outcomes:
        if o.verdict in ("wrong", "missing"):
            lines.append(f"  {o.verdict:7s} {o.file}: {o.input!r} {o.detail}")
    return "\n".join(lines)


def test_peer_suite_pass_rate(outcomes):
    print("\n" + _report(outcomes))
    applicable = [o for o in outcomes if o.verdict != "not-applicable"]
    right = sum(o.verdict == "right" for o in applicable)
    assert right / len(applicable) >= FLOOR, _report(outcomes)


def test_no_wrong_value_in_numbers_percentages_and_currency(outcomes):
    wrong = [o for o in outcomes if o.verdict == "wrong" and o.file in STRICT]
    assert not wrong, "\n".join(f"{o.file}: {o.input!r} {o.detail}" for o in wrong)


def test_every_listed_case_exists():
    """A convention names real cases: a typo would skip nothing and hide nothing."""
    inputs = {rel.rsplit("/", 1)[1]: {c["Input"] for c in json.loads((SPECS / rel).read_text(encoding="utf-8-sig"))}
              for rel in FILES}
    everything = set().union(*inputs.values())
    for c in _conventions():
        for text in c.get("inputs", []):
            scope = set().union(*(inputs[f] for f in c["files"])) if c.get("files") else everything
            assert text in scope, (c["class"], text)
