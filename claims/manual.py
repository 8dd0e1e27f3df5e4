"""Claims an editor adds by hand: the extractor missed them.

The editor names the words (a selection in the article view, or `claimcheck add --text`) and
the kind; the value, unit and speaker are proposed by the engine's own normalizers where they
can be, and the editor may change them before saving. Such a claim has the rule `manual` and
records who added it. Re-extraction keeps it where its words still are (`relocate`): it is
orphaned only when they have left the article.
"""
from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import re
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from . import store
from .errors import FileError
from .extract import analyse
from .model import MANUAL_RULE, Claim, ClaimFile, Kind, Speaker
from .rules import RuleSet
from .text import decode, paragraphs, split, trim

if TYPE_CHECKING:  # review imports merge, which imports this module
    from .review import Review

VALUE_FIELDS = ("value", "value_high", "unit", "currency", "comparator", "change", "compared")
_PREFIX = {Kind.quantity: "q", Kind.date: "d", Kind.attribution: "a", Kind.ranking: "r"}


def occurrences(text: str, words: str) -> list[int]:
    """Where `words` start in `text`, in order (overlapping occurrences included)."""
    out, i = [], text.find(words)
    while words and i >= 0:
        out.append(i)
        i = text.find(words, i + 1)
    return out


def find(text: str, words: str, nth: int = 1) -> tuple[int, int]:
    """The [start, end) of the `nth` occurrence (1-based) of `words` in the article."""
    if not words:
        raise FileError(["--text is empty: give the words of the claim as the article writes them"])
    at = occurrences(text, words)
    if not at:
        raise FileError([f"{words!r} is not in the article"])
    if not 1 <= nth <= len(at):
        raise FileError([f"{words!r} occurs {len(at)} time{'s' if len(at) != 1 else ''} in the article; "
                         f"--nth {nth} is not one of them"])
    return at[nth - 1], at[nth - 1] + len(words)


def clause_at(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause holding [start, end), as the extractor cuts clauses, stretched to hold all of it."""
    paras = paragraphs(text)
    _, clauses = split(text, paras)
    starts = [c.start for c in clauses]
    i = bisect.bisect_right(starts, start) - 1
    if i < 0:
        return start, end
    j = max(i, bisect.bisect_left(starts, end) - 1)
    first, last = trim(text, clauses[i]), trim(text, clauses[j])
    return min(first.start, start), max(last.end, end)


def _overlap(c: Claim, start: int, end: int) -> int:
    return min(c.trigger.end, end) - max(c.trigger.start, start)


def proposal(text: str, start: int, end: int, kind: Kind | str, *, date: str | dt.date | None = None,
             rules: RuleSet | None = None) -> dict:
    """What the normalizers make of the words at [start, end) as a claim of `kind`: the value
    fields (value, unit, comparator ...) and the speaker, where they can tell; {} otherwise.

    The engine is asked about the whole article first (a figure it found but gave another kind
    or other bounds; the speaker of the passage), then about the words alone."""
    kind = Kind(kind)
    found = analyse(text, date, rules).claims
    out: dict = {}
    same = [c for c in found if c.kind == kind and _overlap(c, start, end) > 0]
    if not same and kind != Kind.attribution:
        alone = [c for c in analyse(text[start:end], date, rules).claims if c.kind == kind]
        # Only a reading of (nearly) all the words: a part of them would be a different claim.
        same = [c for c in alone if (c.trigger.end - c.trigger.start) * 2 > end - start]
    if same:
        best = max(same, key=lambda c: _overlap(c, start, end) if c in found else c.trigger.end - c.trigger.start)
        out = {k: getattr(best, k) for k in VALUE_FIELDS if getattr(best, k) is not None}
        if best.speaker is not None:
            out["speaker"] = best.speaker
    if "speaker" not in out:
        # The speaker of the passage: an extracted claim whose clause holds the words.
        near = [c for c in found if c.speaker is not None and c.span.start <= start and end <= c.span.end]
        if near:
            out["speaker"] = near[0].speaker
    return out


def parse_value(s: str) -> int | float | str | None:
    """A value as an editor types it: a number when it reads as one (1,000 · 0.35), else the
    text (a date as 2023-06-30); None when empty."""
    s = s.strip()
    if not s:
        return None
    plain = s.replace(",", "")
    for number in (int, float):
        try:
            return number(plain)
        except ValueError:
            pass
    return s


def new_id(kind: Kind, clause: str, words: str, taken: set[str]) -> str:
    """An id of the extractor's shape, never one the file has (`m` marks it as added by hand)."""
    h = hashlib.sha1(f"{MANUAL_RULE}\x1f{kind.value}\x1f{clause}\x1f{words}".encode("utf-8", "surrogatepass"))
    base = f"{_PREFIX[kind]}m{h.hexdigest()[:9]}"
    cid, n = base, 1
    while cid in taken:
        n += 1
        cid = f"{base}-{n}"
    return cid


def build(text: str, start: int, end: int, kind: Kind | str, added_by: str, taken: set[str],
          fields: dict | None = None) -> Claim:
    """The claim for the words at [start, end), with `fields` (value, unit, speaker ...) as given.
    Raises ValueError (pydantic's) when a field is not valid."""
    kind = Kind(kind)
    if not 0 <= start < end <= len(text):
        raise FileError([f"[{start}, {end}) is not a span of the article (it has {len(text)} characters)"])
    fields = dict(fields or {})
    fields["value"] = checked_value(kind, fields.get("value"))
    fields["value_high"] = checked_value(kind, fields.get("value_high"))
    clause_start, clause_end = clause_at(text, start, end)
    clause, words = text[clause_start:clause_end], text[start:end]
    return Claim.model_validate({
        "id": new_id(kind, clause, words, taken),
        "kind": kind,
        "text": clause,
        "span": {"start": clause_start, "end": clause_end},
        "trigger": {"text": words, "start": start, "end": end},
        "rule": MANUAL_RULE,
        "added_by": added_by,
        **{k: v for k, v in (fields or {}).items() if v is not None and v != ""},
    })


_ISO = re.compile(r"(--|\d{4})(-\d{2}){0,2}(T\d{2}:\d{2}(:\d{2})?)?|--\d{2}-\d{2}")


def checked_value(kind: Kind, value: int | float | str | None) -> int | float | str | None:
    """A value as a claim of `kind` holds it: a quantity's a number, a date's ISO 8601 text
    (2023, 2023-06, 2023-06-30); FileError for anything else (a wrong value is worse than none)."""
    if value is None:
        return None
    if kind == Kind.quantity and not isinstance(value, int | float):
        raise FileError([f"a quantity's value is a number (1000, 0.35), not {value!r}"])
    if kind == Kind.date:
        value = str(value)
        if not _ISO.fullmatch(value):
            raise FileError([f"a date's value is written 2023, 2023-06 or 2023-06-30, not {value!r}"])
    return value


def relocate(c: Claim, text: str) -> Claim | None:
    """A claim added by hand, where its words are in the (edited) article: its own clause
    nearest its old place, else its words in their clause; None when they have left it."""
    if text[c.span.start:c.span.end] == c.text and text[c.trigger.start:c.trigger.end] == c.trigger.text:
        return c
    at = occurrences(text, c.text)
    if at:
        start = min(at, key=lambda i: abs(i - c.span.start))
        shift = start - c.span.start
        return c.model_copy(update={"span": c.span.model_copy(update={"start": start, "end": c.span.end + shift}),
                                    "trigger": c.trigger.model_copy(update={"start": c.trigger.start + shift,
                                                                            "end": c.trigger.end + shift})})
    at = occurrences(text, c.trigger.text)
    if not at:
        return None
    trigger_start = min(at, key=lambda i: abs(i - c.trigger.start))
    trigger_end = trigger_start + len(c.trigger.text)
    clause_start, clause_end = clause_at(text, trigger_start, trigger_end)
    return c.model_copy(update={"text": text[clause_start:clause_end],
                                "span": c.span.model_copy(update={"start": clause_start, "end": clause_end}),
                                "trigger": c.trigger.model_copy(update={"start": trigger_start, "end": trigger_end})})


def article_of(claim_file: Path, cf: ClaimFile) -> str:
    """The text of a claim file's article, as extracted (a claim is added to the words its
    offsets will point at). FileError when it cannot be found, read, or has changed since."""
    found = store.locate_article(claim_file, cf)
    if found is None:
        raise FileError([f"{claim_file}: its article {cf.document.path} is not found; nothing was added"])
    path, data = found
    if hashlib.sha256(data).hexdigest() != cf.document.sha256:
        raise FileError([f"{path}: the article has changed since its claims were extracted; re-extract it first "
                         f"(`claimcheck extract {path} -o {claim_file}` keeps every decision)"])
    return decode(data, str(path))[0]


def add_words(review: Review, words: str, kind: Kind | str, nth: int = 1, *, value: str | None = None,
              unit: str | None = None, speaker: str | None = None) -> Claim:
    """`claimcheck add`: the `nth` occurrence of `words` in the article, added to the open claim
    file as a claim of `kind`, with the normalizers' value, unit and speaker unless given."""
    text = article_of(review.path, review.cf)
    try:
        start, end = find(text, words, nth)
    except FileError as e:
        raise FileError([f"{review.path}: {e.problems[0]}; nothing was added"]) from None
    fields = proposal(text, start, end, kind, date=review.cf.document.date)
    if value is not None:
        fields = {k: v for k, v in fields.items() if k not in VALUE_FIELDS}  # a figure of one's own
        fields["value"] = parse_value(value)
    if unit is not None:
        fields["unit"] = unit.strip() or None
    if speaker is not None:
        fields["speaker"] = Speaker(name=speaker.strip()) if speaker.strip() else None
    try:
        claim = build(text, start, end, kind, review.reviewer, {c.id for c in review.cf.claims}, fields)
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(x) for x in first["loc"])
        raise FileError([f"{review.path}: {where}: {first['msg']}; nothing was added"]) from None
    except FileError as e:
        raise FileError([f"{review.path}: {e.problems[0]}; nothing was added"]) from None
    return review.add_claim(claim)
