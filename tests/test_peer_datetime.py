"""A peer's own test suite for dates: Recognizers-Text's Chinese DateTime specs through `extract`.

Every case of DateParser.json, DatePeriodParser.json and DateTimeModel.json is run (durations
are the quantity rules' business, DurationParser.json is not read here): the case's input, in
a sentence, is extracted with the case's reference date as the article's date, and each date
the peer finds must come out as one claim with the peer's value. Where GUIDE.md resolves a
date differently (a year-less date takes the document's year, a quarter resolves to its year,
a lunar or imperial-era date has no Gregorian value, ...) the case is listed, with the reason,
in eval/peer-suites/conventions-dates.yaml, which says what we give instead; a case whose
peer value is not a plain ISO date and is not listed fails the test, so nothing is skipped
silently.

Run with `-s` to see the pass rate by file and every wrong value.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from dataclasses import dataclass, field

import pytest
import yaml

from claims import extract

from .conftest import ROOT, SHARED

SPECS = SHARED / "peer-suites" / "recognizers-text" / "Specs" / "DateTime" / "Chinese"
FILES = ("DateParser", "DatePeriodParser", "DateTimeModel")
CONVENTIONS = ROOT / "eval" / "peer-suites" / "conventions-dates.yaml"
LEAD = "据悉，"  # puts the peer's phrase in a news sentence, where a date is a claim
FLOOR = 0.95

pytestmark = pytest.mark.skipif(not SPECS.is_dir(), reason="shared/peer-suites is not beside this clone")


@dataclass
class Found:
    text: str
    start: int  # in the peer's input
    end: int
    kind: str  # the peer's type: date, daterange, datetime, time, duration, set, ...
    timex: str


@dataclass
class Case:
    file: str
    input: str
    ref: str | None
    found: list[Found]
    key: str = field(init=False)

    def __post_init__(self):
        self.key = f"{self.file}|{self.input}|{self.ref or ''}"


def _found(r: dict) -> Found:
    if "Resolution" in r:  # DateTimeModel: End is inclusive
        kind = r["TypeName"].rsplit(".", 1)[-1]
        timex = (r["Resolution"].get("values") or [{}])[0].get("timex", "")
        return Found(r["Text"], r["Start"], r["End"] + 1, kind, timex)
    return Found(r["Text"], r["Start"], r["Start"] + r["Length"], r["Type"], r["Value"].get("Timex", ""))


def load_cases() -> list[Case]:
    cases = []
    for name in FILES:
        for c in json.loads((SPECS / f"{name}.json").read_text(encoding="utf-8-sig")):
            ref = (c.get("Context") or {}).get("ReferenceDateTime")
            cases.append(Case(name, c["Input"], ref and ref[:10], [_found(r) for r in c.get("Results", [])]))
    return cases


def load_conventions() -> dict:
    return yaml.safe_load(CONVENTIONS.read_text(encoding="utf-8"))


_ISO = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2}(?:T\d{2}(?::\d{2}){0,2})?)?)?")
_DAY_RANGE = re.compile(r"\((\d{4}-\d{2}-\d{2}),(\d{4}-\d{2}-\d{2}),P\d+D\)")


def _clock(value: str) -> str:
    # 2016-11-07T18 is their hour precision; GUIDE writes clock times with minutes.
    return value + ":00" if re.fullmatch(r".*T\d{2}", value) else value


def literal(timex: str):
    """The peer's value where it is already a GUIDE value (a full date, month, year, clock time
    or day range), else None: such a case must be listed with what GUIDE gives instead."""
    if _ISO.fullmatch(timex):
        try:
            dt.date.fromisoformat(timex[:10]) if len(timex) >= 10 else None
        except ValueError:
            return None  # 2019-02-29: no such day
        return _clock(timex)
    if m := _DAY_RANGE.fullmatch(timex):
        return {"value": m[1], "high": m[2]}
    return None


def _claims_over(claims, start: int, end: int):
    return [c for c in claims if c.kind.value == "date" and c.trigger.start < end and start < c.trigger.end]


def _coarser(value: str, expect: str) -> bool:
    # 2021 for 2021-01-04 (2021年的第一周): the year is right, the text's finer part unread.
    return len(value) < len(expect) and expect.startswith(value)


def judge(expect, over) -> str:
    """'right', 'missing' or 'wrong' for one expected date and the date claims over its text.
    A claim at a coarser precision than expected (the year of 2021年的第一周), or the two ends of
    a range claimed apart, is missing, not wrong: what it says is true."""
    if expect is None:
        return "right" if not over else "wrong"
    if not over:
        return "missing"
    if isinstance(expect, list):
        got = [c.value for c in over]
        return "right" if got == expect else "wrong"
    if isinstance(expect, dict):
        if len(over) == 1 and over[0].value == expect["value"] and over[0].value_high == expect["high"]:
            return "right"
        ends = (expect["value"], expect["high"])
        parts = all(c.value_high is None and any(c.value == e or _coarser(c.value, e) for e in ends) for c in over)
        return "missing" if parts else "wrong"
    if len(over) == 1 and over[0].value == expect and over[0].value_high is None:
        return "right"
    return "missing" if len(over) == 1 and over[0].value_high is None and _coarser(over[0].value, expect) else "wrong"


def run_case(case: Case, listed: dict | None):
    """(verdict, detail) for a whole case: right only when every date in it is right."""
    sentence = LEAD + case.input + ("" if case.input.endswith(("。", "？", "?", "！")) else "。")
    claims = extract(sentence, date=case.ref)
    expects = listed["expect"] if listed else [literal(f.timex) for f in case.found]
    if not isinstance(expects, list) or len(expects) != max(len(case.found), 1 if listed else 0):
        raise AssertionError(f"{case.key}: expect must list one value per date the peer finds")
    verdicts, details = [], []
    if not case.found:  # the peer finds no date here; a listed case may say GUIDE finds some
        got = [c.value for c in claims if c.kind.value == "date"]
        verdicts.append("right" if got == (expects[0] if listed else []) else "wrong")
        details.append(f"want {expects[0] if listed else []}, got {got}")
    for f, expect in zip(case.found, expects):
        if expect == "n/a":
            continue  # a duration inside a case about dates (2分钟前价格创30分钟高)
        over = _claims_over(claims, len(LEAD) + f.start, len(LEAD) + f.end)
        v = judge(expect, over)
        verdicts.append(v)
        details.append(f"{f.text}: want {expect!r}, got {[(c.trigger.text, c.value, c.value_high) for c in over]}")
    for v in ("wrong", "missing"):
        if v in verdicts:
            return v, "; ".join(details)
    return "right", "; ".join(details)


def score():
    conv = load_conventions()
    listed = {f"{c['file']}|{c['input']}|{c.get('ref') or ''}": c for c in conv["cases"]}
    by_file: dict[str, Counter] = {name: Counter() for name in FILES}
    problems, wrong, missing = [], [], []
    for case in load_cases():
        entry = listed.pop(case.key, None)
        kinds = {f.kind for f in case.found}
        if entry is None and kinds and kinds <= set(conv["not_applicable"]):
            by_file[case.file]["not applicable"] += 1
            continue
        if entry is not None and entry.get("applicable") is False:
            by_file[case.file]["not applicable"] += 1
            continue
        if entry is None and any(literal(f.timex) is None for f in case.found):
            problems.append(f"{case.key}: the peer's value {[f.timex for f in case.found]} is not a GUIDE value; "
                            f"list the case in {CONVENTIONS.name} with what GUIDE gives and why")
            continue
        verdict, detail = run_case(case, entry)
        by_file[case.file][verdict] += 1
        by_file[case.file]["listed" if entry else "as theirs"] += 1
        if verdict == "wrong":
            wrong.append(f"{case.key}: {detail}")
        elif verdict == "missing":
            missing.append(f"{case.key}: {detail}")
    problems += [f"{key}: listed in {CONVENTIONS.name} but not a case of the peer's files" for key in listed]
    return by_file, wrong, missing, problems


def report(by_file, wrong, missing) -> tuple[int, int]:
    total_right = total = 0
    print()
    for name, n in by_file.items():
        applicable = n["right"] + n["wrong"] + n["missing"]
        total_right += n["right"]
        total += applicable
        print(f"{name:18} {n['right']:4}/{applicable:<4} right ({n['right'] / max(applicable, 1):.1%}), "
              f"{n['wrong']} wrong value(s), {n['missing']} missing; {n['listed']} by a listed convention, "
              f"{n['not applicable']} not applicable")
    print(f"{'all':18} {total_right:4}/{total:<4} right ({total_right / max(total, 1):.1%})")
    for line in wrong:
        print("  WRONG  ", line)
    for line in missing:
        print("  missing", line)
    return total_right, total


def test_peer_datetime_suite():
    by_file, wrong, missing, problems = score()
    assert not problems, "\n".join(problems)
    right, total = report(by_file, wrong, missing)
    assert total > 300
    assert right / total >= FLOOR, f"{right}/{total} right, below the floor of {FLOOR:.0%}"
    assert not wrong, f"{len(wrong)} wrong value(s):\n" + "\n".join(wrong)


def test_conventions_give_reasons():
    conv = load_conventions()
    reasons = conv["reasons"]
    for name, why in conv["not_applicable"].items():
        assert why.strip(), name
    for c in conv["cases"]:
        assert c.get("reason") in reasons, f"{c['input']}: reason {c.get('reason')!r} is not one of reasons"
