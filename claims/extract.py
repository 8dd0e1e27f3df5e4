"""The extraction engine: text in, claims out.

bytes → text → paragraphs, sentences, clauses, quotations → rule matches → normalized values
→ one claim per anchor (the overlap policy below) → speakers → claims with stable ids.
"""
from __future__ import annotations

import bisect
import datetime as dt
import hashlib
from dataclasses import dataclass, field

from . import watchdog
from .errors import FileError
from .model import Claim, Speaker
from .normalize import NORMALIZERS, Context, match_start, whole_numerals
from .rules import MATCH_TIMEOUT, MIN_CHARS_PER_SECOND, Rule, RuleSet, load_rules
from .speakers import CueMatch, Vocabulary, attribute
from .text import Segment, dateline, is_traditional, paragraphs, quotes, split, trim

# Claims of kinds in one layer compete for the same characters (6月30日 is a date, not 30 日);
# kinds in different layers may overlap (a figure inside an attribution's clause).
_LAYER = {"quantity": "figure", "date": "figure", "ranking": "ranking", "attribution": "attribution"}
_PREFIX = {"quantity": "q", "date": "d", "attribution": "a", "ranking": "r"}


@dataclass
class Candidate:
    rule: Rule
    start: int
    end: int
    fields: dict | None  # None: a malformed figure that blocks its span and makes no claim
    match: object


@dataclass(slots=True)
class Found:
    """A claim as the engine settled it, before it is given its id and validated."""

    trigger: tuple[int, int]  # [start, end) of the words the claim is about
    kind: str
    span: tuple[int, int]  # the clause holding it (widened to hold the whole trigger)
    fields: dict  # what the normalizer read: value, unit, comparator, ...
    rule: str
    speaker: Speaker | None

    def order(self) -> tuple[int, int, str]:
        return (*self.trigger, self.kind)


@dataclass
class Extraction:
    claims: list[Claim]
    warnings: list[str] = field(default_factory=list)


def _trigger(m) -> tuple[int, int]:
    if "t" in m.re.groupindex:
        s, e = m.span("t")
        if s >= 0:
            return s, e
    return match_start(m), m.end()


def _group(m, name: str) -> tuple[int, int] | None:
    if name in m.re.groupindex and m.start(name) >= 0:
        return m.span(name)
    return None


def _cue(c: Candidate) -> CueMatch:
    m = c.match
    return CueMatch(c.rule.id, m.start(), m.end(), _group(m, "cue") or (c.start, c.end), _group(m, "subject"))


def _windows(text: str, rule: Rule, paras: list[Segment], para_starts: list[int],
             chars: set[str] | None = None) -> list[tuple[int, int]]:
    """Where a rule must look: everywhere, or only the paragraphs where a piece of its prefilter
    begins (a run of such paragraphs as one window: one search instead of many). Given the set
    of the text's characters, nowhere when the text holds none a match (or a piece) can start
    with: most rules and pieces are absent from a short article, and a set test costs far less
    than a search. Once every paragraph is hit the other pieces are not searched (most real
    articles are one or two paragraphs)."""
    if chars is not None and rule.first is not None and chars.isdisjoint(rule.first):
        return []
    if rule.prefilter is None or not paras:
        return [(0, len(text))]
    hit: set[int] = set()
    everywhere = len(paras)
    for piece, first in zip(rule.prefilter, rule.prefilter_first or (None,) * len(rule.prefilter)):
        if chars is not None and first is not None and chars.isdisjoint(first):
            continue
        search, pos = piece.search, 0
        while (m := search(text, pos)) is not None:
            s = m.start()
            i = bisect.bisect_right(para_starts, s) - 1
            if i < 0 or s >= paras[i].end:
                pos = s + 1  # white space between paragraphs
                continue
            hit.add(i)
            pos = paras[i].end  # one hit is enough: on to the next paragraph
        if len(hit) == everywhere:
            return [(paras[0].start, paras[-1].end)]  # one run of every paragraph
    out: list[tuple[int, int]] = []
    window: list[int] | None = None  # [start, end, index of its last paragraph]
    for i in sorted(hit):
        if window is not None and window[2] == i - 1:
            window[1], window[2] = paras[i].end, i
        else:
            if window is not None:
                out.append((window[0], window[1]))
            window = [paras[i].start, paras[i].end, i]
    if window is not None:
        out.append((window[0], window[1]))
    return out


def _timeout(chars: int) -> float:
    # A runaway pattern is stopped after MATCH_TIMEOUT on an article-sized window; a long
    # window gets time in proportion, so that a sound rule is never cut off on a long text.
    return MATCH_TIMEOUT + chars / MIN_CHARS_PER_SECOND


def _matches(text: str, rule: Rule, warnings: list[str], paras: list[Segment], para_starts: list[int],
             chars: set[str] | None = None, find=None):
    # All or nothing: a rule skipped for running away contributes no claims at all. `find` is
    # a watchdog.matcher's (regex's own timeout when none is given).
    found = []
    find = find or watchdog.timed
    for start, end in _windows(text, rule, paras, para_starts, chars):
        limit = _timeout(end - start)
        try:
            found.extend(find(rule.pattern, text, start, end, limit))
        except TimeoutError:
            warnings.append(f"{rule.source}: rule {rule.id}: pattern timed out after {limit:.1f}s "
                            f"on {end - start} characters; rule skipped")
            return []
    return found


def select(cands: list[Candidate]) -> list[Candidate]:
    """The overlap policy: within a layer the longest match wins, then the higher priority,
    then the leftmost; a kept match excludes every match that overlaps it. Deterministic,
    whatever order the rules ran in."""
    order = sorted(cands, key=lambda c: (-(c.end - c.start), -c.rule.priority, c.start, c.rule.id))
    kept: dict[str, tuple[list[int], list[int]]] = {}
    out = []
    for c in order:
        starts, ends = kept.setdefault(_LAYER[c.rule.kind], ([], []))
        i = bisect.bisect_left(starts, c.start)
        if i > 0 and ends[i - 1] > c.start:
            continue
        if i < len(starts) and starts[i] < c.end:
            continue
        starts.insert(i, c.start)
        ends.insert(i, c.end)
        out.append(c)
    out.sort(key=lambda c: (c.start, c.end))
    return out


class _Vetoes:
    """Spans of ignore-rule matches (idioms, names with numerals, datelines)."""

    def __init__(self, spans: list[tuple[int, int]]):
        spans.sort()
        self.starts = [s for s, _ in spans]
        self.max_end: list[int] = []
        top = -1
        for _, e in spans:
            top = max(top, e)
            self.max_end.append(top)

    def hit(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self.starts, end) - 1
        return i >= 0 and self.max_end[i] > start


def _claim_id(kind: str, clause: str, trigger: str, offset: int, seen: dict[str, int]) -> str:
    # Built from the claim's own clause, not its position in the article, so that editing
    # another paragraph leaves it unchanged; repeats of one clause are told apart by order.
    h = hashlib.sha1(f"{kind}\x1f{clause}\x1f{trigger}\x1f{offset}".encode("utf-8", "surrogatepass")).hexdigest()[:10]
    base = _PREFIX[kind] + h
    n = seen.get(base, 0) + 1
    seen[base] = n
    return base if n == 1 else f"{base}-{n}"


_VOCABULARIES: dict[str, Vocabulary] = {}


def _vocabulary(rules: RuleSet) -> Vocabulary:
    # Compiling the speaker patterns costs more than reading a short article: once per rule set
    # (the digest covers every pack's text, so edited packs get their own).
    if not rules.digest:
        return Vocabulary.from_rules(rules.lists, rules.defines)
    vocab = _VOCABULARIES.get(rules.digest)
    if vocab is None:
        vocab = _VOCABULARIES[rules.digest] = Vocabulary.from_rules(rules.lists, rules.defines)
    return vocab


def parse_ref(date: str | dt.date | None) -> dt.date | None:
    if date is None or isinstance(date, dt.date):
        return date
    try:
        return dt.date.fromisoformat(str(date))
    except ValueError:
        raise FileError([f"--date {date!r}: not a date (expected YYYY-MM-DD)"]) from None


def analyse(text: str, date: str | dt.date | None = None, rules: RuleSet | None = None) -> Extraction:
    """Every claim of an article's text, with warnings for rules that had to be skipped.

    `date` is the article's date; when None it is read from the dateline, and when there is
    none, dates without a year stay without one.
    """
    rules = rules or load_rules()
    dated = dateline(text)  # (its date, where it is written), or None
    ref = parse_ref(date) or (dt.date.fromisoformat(dated[0]) if dated else None)
    ctx = Context(ref=ref, minguo=is_traditional(text), lists=rules.lists)
    warnings: list[str] = []

    paras = paragraphs(text)
    sents, clauses = split(text, paras)
    quotations = [q for p in paras for q in quotes(text, p)]

    veto_spans = [(dated[1].start, dated[1].end)] if dated else []
    cands: list[Candidate] = []
    para_starts = [p.start for p in paras]
    chars = set(text)
    with watchdog.matcher() as find:
        found = [(rule, _matches(text, rule, warnings, paras, para_starts, chars, find)) for rule in rules.rules]
    for rule, matches in found:
        normalize = NORMALIZERS[rule.normalizer]
        for m in matches:
            if m.end() == m.start():
                continue
            if rule.kind == "ignore":
                veto_spans.append(m.span())
                continue
            # A figure whose value is malformed (2023年2月30日) still claims its characters, so
            # that no shorter match inside it (2023年2月) yields a wrong value; it yields nothing.
            fields = normalize(m, ctx)
            if fields is None and _LAYER[rule.kind] != "figure":
                continue
            start, end = _trigger(m)
            cands.append(Candidate(rule, start, end, fields, m))
    # The engine invariant: no quantity claim holds part of a numeral, and no veto cuts one
    # (normalize.whole_numerals).
    cands, veto_spans = whole_numerals(text, cands, veto_spans)
    vetoes = _Vetoes(veto_spans)
    kept = select([c for c in cands if c.rule.kind == "attribution" or not vetoes.hit(c.start, c.end)])
    # 据他介绍 also holds the cue 介绍: the policy keeps the longer match, as for figures.
    cues = [_cue(c) for c in kept if c.rule.kind == "attribution"]
    kept = [c for c in kept if c.rule.kind != "attribution" and c.fields is not None]

    vocab = _vocabulary(rules)
    attributions, regions = attribute(text, paras, sents, clauses, quotations, cues, vocab)
    region_starts = [r.start for r in regions]

    def speaker_at(pos: int) -> Speaker | None:
        # The innermost (latest-starting) region holding pos; regions never span whole articles.
        i = bisect.bisect_right(region_starts, pos) - 1
        while i >= 0 and region_starts[i] > pos - 20000:
            if regions[i].end > pos:
                return regions[i].speaker
            i -= 1
        return None

    clause_starts = [c.start for c in clauses]
    raw: list[Found] = []
    for c in kept:
        i = max(bisect.bisect_right(clause_starts, c.start) - 1, 0)
        clause_segment = trim(text, clauses[i]) if clauses else Segment(0, len(text))
        span = (min(clause_segment.start, c.start), max(clause_segment.end, c.end))
        raw.append(Found((c.start, c.end), c.rule.kind, span, c.fields, c.rule.id, speaker_at(c.start)))
    for a in attributions:
        raw.append(Found(tuple(a.trigger), "attribution", tuple(a.span), {}, a.rule, a.speaker))
    raw.sort(key=Found.order)

    claims: list[Claim] = []
    seen: dict[str, int] = {}
    validate = Claim.model_validate
    for f in raw:
        (trigger_start, trigger_end), (span_start, span_end), kind = f.trigger, f.span, f.kind
        clause = text[span_start:span_end]
        trigger = text[trigger_start:trigger_end]
        # One validation of plain data (nested models included) costs a third less than
        # building Span and Trigger first; every claim is still fully checked.
        claims.append(validate({
            "id": _claim_id(kind, clause, trigger, trigger_start - span_start, seen),
            "kind": kind,
            "text": clause,
            "span": {"start": span_start, "end": span_end},
            "trigger": {"text": trigger, "start": trigger_start, "end": trigger_end},
            "speaker": f.speaker,
            "rule": f.rule,
            **f.fields,
        }))
    return Extraction(claims, warnings)


def extract(text: str, date: str | dt.date | None = None, *, rules: RuleSet | None = None) -> list[Claim]:
    """The claims of an article's text (see `analyse`)."""
    return analyse(text, date, rules).claims
