"""Every example of every rule pack: texts a rule must find (with their values) and must not."""
from __future__ import annotations

import math

import pytest

from claims.extract import extract
from claims.rules import load_rules

_RULES = load_rules()


def _match_cases():
    for r in _RULES.rules:
        for i, ex in enumerate(r.spec.examples.match):
            marks = [pytest.mark.xfail(reason="known gap (todo)", strict=True)] if ex.todo else []
            yield pytest.param(r, ex, id=f"{r.id}:match{i}", marks=marks)


def _no_match_cases():
    for r in _RULES.rules:
        for i, text in enumerate(r.spec.examples.no_match):
            yield pytest.param(r, text, id=f"{r.id}:no{i}")


def _same(a, b) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(a, b, rel_tol=1e-9)
    return a == b


@pytest.mark.parametrize("rule,ex", list(_match_cases()))
def test_rule_finds_its_examples(rule, ex):
    date = ex.date or rule.pack.example_date
    claims = [c for c in extract(ex.text, date, rules=_RULES) if c.rule == rule.id]
    assert claims, f"{rule.id} found nothing in {ex.text!r}"
    if ex.trigger is not None:
        claims = [c for c in claims if c.trigger.text == ex.trigger]
        assert claims, f"{rule.id}: no claim with trigger {ex.trigger!r} in {ex.text!r}"
    c = claims[0]
    for field in ("value", "value_high", "unit", "comparator"):
        want = getattr(ex, field)
        if want is not None:
            assert _same(getattr(c, field), want), f"{field}: want {want!r}, got {getattr(c, field)!r}"
    if ex.speaker is not None:
        assert c.speaker is not None and ex.speaker in c.speaker.name


@pytest.mark.parametrize("rule,text", list(_no_match_cases()))
def test_rule_ignores_its_counterexamples(rule, text):
    kinds = {"quantity", "date", "ranking"} if rule.kind == "ignore" else {rule.kind}
    found = [c for c in extract(text, rule.pack.example_date, rules=_RULES) if c.kind.value in kinds]
    assert not found, f"{rule.id}: {text!r} gave {[(c.kind.value, c.trigger.text) for c in found]}"


def test_every_rule_has_an_example():
    missing = [r.id for r in _RULES.rules if not r.spec.examples.match and not r.spec.examples.no_match]
    assert not missing
