"""What it means for a rule's example to hold: the one definition that the test suite (for the
built-in packs) and `claimcheck extract --rules` (for a user's) both apply.

A match example holds when the article text yields a claim of its rule, with the trigger it
names, whose every field the example names (value, value_high, unit, comparator, speaker)
says the same. A no-match example holds when the text yields no claim of the rule's kind (for
an ignore rule: no figure, date or ranking at all).
"""
from __future__ import annotations

import math

from .extract import extract
from .model import Claim
from .rules import MatchExample, Rule, RuleSet

FIELDS = ("value", "value_high", "unit", "comparator", "speaker")


def _same(field: str, want, c: Claim) -> bool:
    if field == "speaker":  # the name as the example writes it, within the resolved one (王 of 王建国)
        return c.speaker is not None and want in c.speaker.name
    got = getattr(c, field)
    if isinstance(want, (int, float)) and isinstance(got, (int, float)) and not isinstance(got, bool):
        return math.isclose(got, want, rel_tol=1e-9)
    return got == want


def _shown(c: Claim) -> str:
    parts = [f"{c.trigger.text}={c.value}" if c.value is not None else c.trigger.text]
    parts += [f"{k}={getattr(c, k)}" for k in ("value_high", "unit", "comparator") if getattr(c, k) is not None]
    if c.speaker is not None:
        parts.append(f"speaker={c.speaker.name}")
    return " ".join(parts)


def match_problem(rule: Rule, ex: MatchExample, rules: RuleSet) -> str | None:
    """Why a match example does not hold (`should match ... but found ...`), or None when it does."""
    got = [c for c in extract(ex.text, ex.date or rule.pack.example_date, rules=rules) if c.rule == rule.id]
    if ex.trigger is not None:
        got = [c for c in got if c.trigger.text == ex.trigger]
    want = {k: getattr(ex, k) for k in FIELDS if getattr(ex, k) is not None}
    if any(all(_same(k, v, c) for k, v in want.items()) for c in got):
        return None
    seen = ", ".join(_shown(c) for c in got) or "nothing"
    return (f"example {ex.text!r} should match{' ' + repr(ex.trigger) if ex.trigger else ''} "
            f"{want or ''} but found {seen}")


def no_match_problem(rule: Rule, text: str, rules: RuleSet) -> str | None:
    """Why a no-match example does not hold (`should not match but found ...`), or None."""
    kinds = {"quantity", "date", "ranking"} if rule.kind == "ignore" else {rule.kind}
    bad = [c for c in extract(text, rule.pack.example_date, rules=rules) if c.kind.value in kinds]
    if not bad:
        return None
    return f"example {text!r} should not match but found {', '.join(c.trigger.text for c in bad)}"


def failures(rules: RuleSet, only_user: bool = True) -> list[str]:
    """Every example that does not hold, as `file:line:col: rule ID: what`. Examples marked
    `todo` (known gaps) are not checked. With `only_user`, the built-in packs are left to the
    test suite."""
    problems = []
    for r in rules.rules:
        if only_user and r.builtin:
            continue
        for ex, where in zip(r.spec.examples.match, r.match_at):
            if not ex.todo and (why := match_problem(r, ex, rules)):
                problems.append(f"{where}: rule {r.id}: {why}")
        for text, where in zip(r.spec.examples.no_match, r.no_match_at):
            if why := no_match_problem(r, text, rules):
                problems.append(f"{where}: rule {r.id}: {why}")
    return problems
