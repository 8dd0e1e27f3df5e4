"""Re-extraction that keeps every decision.

A new extraction of a (possibly corrected) article is merged into its existing claim file:
a claim that is still there keeps its id and its review; a new claim arrives as pending; a
claim whose text left the article is kept, marked orphaned, never deleted. Each of these is
returned as an audit change.
"""
from __future__ import annotations

import difflib
from collections import defaultdict

from .audit import Change, now
from .manual import relocate
from .model import MANUAL_RULE, Claim, ClaimFile

REVIEW = ("status", "note", "evidence", "reason", "wording", "reviewed_by", "reviewed_at")
# What a claim asserts: if these differ, the editor must hear that the claim changed.
CONTENT = ("kind", "trigger", "value", "value_high", "unit", "currency", "comparator", "change", "compared", "speaker")


def _key(c: Claim) -> tuple:
    return (c.kind, c.trigger.text, repr(c.value), c.speaker.name if c.speaker else None)


def _summary(c: Claim) -> dict:
    out = {"kind": c.kind.value, "trigger": c.trigger.text, "text": c.text}
    if c.value is not None:
        out["value"] = c.value
    if c.speaker:
        out["speaker"] = c.speaker.name
    return out


def _content(c: Claim) -> dict:
    # Offsets move whenever text before the claim is edited; they are not what it asserts.
    d = c.model_dump(mode="json", include=set(CONTENT))
    d["trigger"] = c.trigger.text
    return d


def merge(old: ClaimFile, new: ClaimFile, min_similarity: float = 0.6, *,
          article: str | None = None) -> tuple[ClaimFile, list[Change]]:
    """Merge a fresh extraction into an existing claim file; return the result and its changes.

    Claims are paired first by id (the id hashes the claim's own clause), then, for claims
    whose clause was edited (a typo fixed), by kind, trigger, value and speaker with the most
    similar clause. A paired new claim takes the old id and review.

    Claims added by hand are not the extractor's to pair: they follow their words in `article`
    (the text `new` was extracted from), orphaned only when the words are gone, and a fresh
    claim of the same kind on the same words gives way to them. Without `article` they stay as
    they are.
    """
    manual = [c for c in old.claims if c.rule == MANUAL_RULE]
    old = old.model_copy(update={"claims": [c for c in old.claims if c.rule != MANUAL_RULE]})
    kept, manual_changes = _follow(manual, article)
    taken = {(c.kind, c.trigger.start, c.trigger.end) for c in kept}
    new = new.model_copy(update={"claims": [c for c in new.claims
                                            if (c.kind, c.trigger.start, c.trigger.end) not in taken]})
    merged, changes = _merge(old, new, min_similarity)
    claims = list(merged.claims)
    for c in kept:  # in article order among the live claims
        at = next((i for i, o in enumerate(claims) if o.orphaned_at is not None or o.trigger.start > c.trigger.start),
                  len(claims))
        claims.insert(at, c)
    return merged.model_copy(update={"claims": claims}), changes + manual_changes


def _follow(manual: list[Claim], article: str | None) -> tuple[list[Claim], list[Change]]:
    """Claims added by hand, where their words now are; those whose words left the article orphaned."""
    if article is None:
        return manual, []
    out, changes, when = [], [], now()
    for c in manual:
        moved = relocate(c, article)
        if moved is None:
            if c.orphaned_at is None:
                changes.append(Change(c.id, "orphaned", _summary(c), None))
                c = c.model_copy(update={"orphaned_at": when})
            out.append(c)
            continue
        if c.orphaned_at is not None:
            moved = moved.model_copy(update={"orphaned_at": None})
            changes.append(Change(c.id, "restored", None, _summary(moved)))
        out.append(moved)
    return out, changes


def _merge(old: ClaimFile, new: ClaimFile, min_similarity: float) -> tuple[ClaimFile, list[Change]]:
    old_by_id = {c.id: c for c in old.claims}
    paired: dict[int, Claim] = {}  # index in new.claims -> old claim
    used: set[str] = set()
    for i, c in enumerate(new.claims):
        prev = old_by_id.get(c.id)
        if prev is not None:
            paired[i] = prev
            used.add(prev.id)

    waiting: dict[tuple, list[Claim]] = defaultdict(list)
    for c in old.claims:
        if c.id not in used and c.orphaned_at is None:
            waiting[_key(c)].append(c)
    for i, c in enumerate(new.claims):
        if i in paired or not waiting.get(_key(c)):
            continue
        best = max(waiting[_key(c)], key=lambda o: difflib.SequenceMatcher(None, o.text, c.text).ratio())
        if difflib.SequenceMatcher(None, best.text, c.text).ratio() >= min_similarity:
            paired[i] = best
            used.add(best.id)
            waiting[_key(c)].remove(best)

    changes: list[Change] = []
    merged: list[Claim] = []
    for i, c in enumerate(new.claims):
        prev = paired.get(i)
        if prev is None:
            merged.append(c)
            changes.append(Change(c.id, "added", None, _summary(c)))
            continue
        keep = {f: getattr(prev, f) for f in REVIEW}
        merged.append(c.model_copy(update={"id": prev.id, **keep}))
        if _content(prev) != _content(c):
            changes.append(Change(prev.id, "changed", _content(prev), _content(c)))
        elif prev.orphaned_at is not None:
            changes.append(Change(prev.id, "restored", None, _summary(c)))
    when = now()
    for c in old.claims:
        if c.id in used:
            continue
        if c.orphaned_at is None:
            changes.append(Change(c.id, "orphaned", _summary(c), None))
            c = c.model_copy(update={"orphaned_at": when})
        merged.append(c)
    return new.model_copy(update={"claims": merged}), changes
