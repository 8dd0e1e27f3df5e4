"""Who said it: attribution claims, speaker names and titles, and the reach of reported speech.

Cue matches come from the attribution rule pack; this module reads the clause around each cue
for its subject, splits the subject into title and name, resolves 他/她/其 to the most recent
named person, ties quotations to the cue that follows or precedes them, and returns the spans
of reported speech so that figures inside them carry their speaker.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from itertools import accumulate

import regex

from .firstchars import compile_anchored
from .model import Speaker
from .text import Quote, Segment, trim

_ORG_CHARS = set("署局部委司处處院所会會厅廳办辦组組")
_NAME_CHAR = regex.compile(r"[\p{Han}A-Za-z]")
_WORD_CHAR = regex.compile(r"[\p{Han}\p{L}\p{N}]")


@dataclass(frozen=True)
class CueMatch:
    rule: str
    start: int
    end: int
    cue: tuple[int, int]
    subject: tuple[int, int] | None  # given by the rule (据X介绍, 在X看来), else read from the clause


@dataclass(frozen=True)
class Attribution:
    rule: str
    span: tuple[int, int]
    trigger: tuple[int, int]
    speaker: Speaker


@dataclass(frozen=True)
class Region:
    """Reported speech: figures in [start, end) were said by `speaker`."""

    start: int
    end: int
    speaker: Speaker


@dataclass
class Vocabulary:
    """Word lists and sub-patterns of the attribution pack that speaker resolution needs."""

    titles: tuple[str, ...]
    pronouns: frozenset[str]
    not_speaker: frozenset[str]
    not_start: tuple[str, ...]
    future: tuple[str, ...]
    org_suffixes: tuple[str, ...]
    head: regex.Pattern
    tail: regex.Pattern
    mention: regex.Pattern
    title_re: regex.Pattern
    surnames: frozenset[str] = frozenset()
    compound_surnames: tuple[str, ...] = ()
    name_stop: frozenset[str] = frozenset()
    title_end: frozenset[str] = frozenset()
    max_subject: int = 60

    @classmethod
    def from_rules(cls, lists: dict, defines: dict) -> Vocabulary:
        return cls(
            titles=tuple(sorted(lists.get("title", ()), key=len, reverse=True)),
            pronouns=frozenset(lists.get("pronoun", ())),
            not_speaker=frozenset(lists.get("not_speaker", ())),
            not_start=tuple(lists.get("not_subject_start", ())),
            future=tuple(lists.get("future", ())),
            org_suffixes=tuple(lists.get("org_suffix", ())),
            head=regex.compile(defines.get("subject_head", "(?!)"), regex.V1),
            tail=compile_anchored(defines.get("subject_tail", "(?!)")),
            # A pack without one of these lists still compiles: a NUL matches no article.
            mention=compile_anchored(defines.get("mention", "(?!)"), **{
                k: list(lists.get(k, ())) or ["\x00"] for k in ("title", "surname", "compound_surname")}),
            title_re=regex.compile(r"\L<title>", regex.V1, title=list(lists.get("title", ())) or [""]),
            surnames=frozenset(lists.get("surname", ())),
            compound_surnames=tuple(lists.get("compound_surname", ())),
            name_stop=frozenset(lists.get("name_stop", ())),
            title_end=frozenset(lists.get("title_end", ())),
        )

    def refuses(self, subject: str) -> bool:
        """A subject that is no speaker: too long, impersonal, a comparison, or not yet said."""
        return (
            len(subject) > self.max_subject
            or subject.endswith("的")
            or subject in self.not_speaker
            or subject.startswith(self.not_start)
            or self._announces(subject)
        )

    def _announces(self, subject: str) -> bool:
        # 将于8月公布 is not yet said; 世界粮食计划署 is an organisation's name.
        for w in self.future:
            i = subject.find(w)
            while i >= 0:
                if subject[i + len(w) : i + len(w) + 1] not in _ORG_CHARS:
                    return True
                i = subject.find(w, i + 1)
        return False

    def is_org(self, name: str, title: str | None) -> bool:
        if title:
            return False
        return "、" in name or "等" in name or len(name) > 4 or name.endswith(self.org_suffixes)

    def split(self, subject: str) -> tuple[int, str | None]:
        """Where the name starts in a subject, and the title before it (or None).

        The name follows the last title word (首席技术官周靖人) or the last 的 (42岁的刘振东),
        whichever comes later; a long remainder means it was no name after all, unless it ends
        in a name after a role word the title list lacks (氣象署預報員柯怡廷).
        """
        after_title = max((m.end() for m in self.title_re.finditer(subject, overlapped=True)), default=0)
        at = max(after_title, subject.rfind("的") + 1)
        rest = subject[at:]
        # 會計師事務所: a title word inside an organisation's name
        plausible = at > 0 and 2 <= len(rest) <= 6 and "、" not in rest and not rest.endswith(self.org_suffixes)
        if not plausible or (len(rest) > 3 and not self.is_name(rest)):
            found = self._name_at_end(subject)
            if found is not None:
                return found, self._title(subject, found)
        return (at, self._title(subject, at)) if plausible else (0, None)

    @staticmethod
    def _title(subject: str, at: int) -> str | None:
        return subject[:at].rstrip("、，, 的") or None

    def is_name(self, name: str) -> bool:
        """A personal name: a surname and one or two characters (two or three after a compound
        surname), or a foreign name written with ·."""
        if "·" in name:
            return True
        if name.startswith(self.compound_surnames):
            return 3 <= len(name) <= 4
        return name[:1] in self.surnames and 2 <= len(name) <= 3

    def _name_at_end(self, subject: str) -> int | None:
        for n in (3, 2):
            at = len(subject) - n
            if at >= 2 and subject[at - 1] in self.title_end and self.is_name(subject[at:]):
                return at
        return None

    def end_name(self, name: str) -> str:
        """A name read greedily (邵长河站, 张勇表) ended where the next word begins."""
        keep = 3 if name.startswith(self.compound_surnames) else 2
        return name[:keep] if len(name) > keep and name[keep] in self.name_stop else name


# How far before the last named person a mention scan restarts: longer than any title.
_MENTION_MARGIN = 40


@dataclass
class _State:
    last_person: Speaker | None = None
    last_person_at: int = -1
    last_any: Speaker | None = None
    last_any_sentence: int = -1  # where last_any spoke, for 并表示 in the same sentence
    titles: dict[str, str] = field(default_factory=dict)  # a title, once given, goes with the name
    # (position, speaker) of every resolved cue, in text order, for quotations
    said: list[tuple[int, int, Speaker]] = field(default_factory=list)


def _containing(segs: list[Segment], starts: list[int], pos: int) -> Segment:
    i = bisect.bisect_right(starts, pos) - 1
    return segs[max(i, 0)]


def _subject_bounds(text: str, start: int, end: int, vocab: Vocabulary) -> tuple[int, int]:
    """Trim leading connectives and dates and trailing adverbials (在…时, 也, 近日) from a subject."""
    while True:
        m = vocab.head.match(text, start, end)
        if not m or m.end() == start:
            break
        start = m.end()
    while True:
        m = vocab.tail.search(text, start, end)
        if not m or m.start() == end:
            break
        end = m.start()
    return start, end


def attribute(
    text: str,
    paras: list[Segment],
    sentences: list[Segment],
    clauses: list[Segment],
    quotes: list[Quote],
    cues: list[CueMatch],
    vocab: Vocabulary,
) -> tuple[list[Attribution], list[Region]]:
    """Resolve cue matches and quotations to attribution claims and reported-speech regions."""
    sent_starts = [s.start for s in sentences]
    clause_starts = [c.start for c in clauses]
    para_starts = [p.start for p in paras]
    speech = [q for q in quotes if q.speech]
    speech_at = {q.start: q for q in speech}
    speech_ends = [q.end for q in speech]  # quotations do not nest, so ends are sorted too
    quote_starts = [q.start for q in quotes]

    def in_quote(pos: int) -> bool:
        i = bisect.bisect_right(quote_starts, pos) - 1
        return i >= 0 and quotes[i].start < pos < quotes[i].end - 1

    # Mentions are read lazily and only where a pronoun can use them: after the last named
    # person (an earlier mention can never be the referent) and up to the pronoun. Most articles
    # have no 他/她 cue, or a few close to the name they refer to, so most text is never read.
    mentions: list[tuple[int, str]] = []
    mention_starts: list[int] = []
    unread = iter(())
    read_to = -1

    def mentions_before(pos: int, after: int) -> None:
        nonlocal read_to, unread
        # Restarted a little before `after`, so that a mention whose title begins there is read
        # whole, as a scan from the top of the article would read it.
        lo = max(after - _MENTION_MARGIN, 0)
        if lo > read_to:
            mentions.clear()
            mention_starts.clear()
            unread = vocab.mention.finditer(text, lo)
            read_to = lo
        while read_to < pos:
            m = next(unread, None)
            if m is None:
                read_to = len(text)
                break
            mentions.append((m.start("name"), vocab.end_name(m.group("name"))))
            mention_starts.append(m.start("name"))
            read_to = m.start("name")

    def referent(pos: int) -> Speaker | None:
        # 他/她: the most recent named person, whether a speaker or a person just introduced.
        mentions_before(pos, state.last_person_at)
        i = bisect.bisect_left(mention_starts, pos) - 1
        if i >= 0 and mentions[i][0] > state.last_person_at and not in_quote(mentions[i][0]):
            name = mentions[i][1]
            return Speaker(name=name, title=state.titles.get(name))
        return state.last_person

    state = _State()
    out: list[Attribution] = []
    regions: list[Region] = []
    consumed: set[Quote] = set()

    for cue in sorted(cues, key=lambda c: c.start):
        if in_quote(cue.cue[0]):
            continue  # 我认为 inside a quotation is the quoted speaker's, not a new cue
        para = _containing(paras, para_starts, cue.start)
        sent = _containing(sentences, sent_starts, cue.cue[0])
        clause = _containing(clauses, clause_starts, cue.cue[0])
        explicit = cue.subject is not None
        s0, s1 = cue.subject if explicit else (clause.start, cue.cue[0])
        s0, s1 = _subject_bounds(text, s0, s1, vocab)
        subject = text[s0:s1]
        if vocab.refuses(subject):
            continue
        if not subject:
            # 并表示 / 还指出: the subject of the sentence's previous cue goes on speaking.
            if explicit or state.last_any is None or state.last_any_sentence != sent.start:
                continue
            speaker = state.last_any
            name_at = cue.cue[0]
        elif subject in vocab.pronouns:
            speaker = referent(s0)
            if speaker is None:
                continue
            name_at = s0
        else:
            offset, title = vocab.split(subject)
            name = subject[offset:]
            # One character that is not a pronoun (这表示) is no one's name.
            if len(name) < 2 or not _NAME_CHAR.search(name):
                continue
            if title:
                state.titles[name] = title
            speaker = Speaker(name=name, title=title or state.titles.get(name), cue=text[cue.cue[0] : cue.cue[1]])
            name_at = s0 + offset
            if not vocab.is_org(name, title) and (title or vocab.is_name(name)):
                state.last_person, state.last_person_at = speaker, s0
        cue_text = text[cue.cue[0] : cue.cue[1]]
        if speaker.cue != cue_text:
            speaker = speaker.model_copy(update={"cue": cue_text})
        state.last_any, state.last_any_sentence = speaker, sent.start
        if subject in vocab.pronouns and speaker is not state.last_person:
            state.last_person, state.last_person_at = speaker, s0
        trig = (cue.start, cue.end) if explicit else (name_at, cue.cue[1])
        shown = trim(text, clause)
        span_start = min(shown.start, trig[0])
        rest = cue.end
        while rest < sent.end and text[rest] in "，,：: \u3000":
            rest += 1
        said_more = _WORD_CHAR.search(text, rest, sent.end) is not None
        indirect = said_more and rest not in speech_at
        # “……”他说。 / “……”他说，“……”: the quotation right before the speaker is what he
        # said, one claim with the cue. When the cue goes on with indirect speech (“……”她说，
        # 她将……), the quotation stands as a claim of its own, attributed below.
        said_from = min(s0, trig[0])  # where the speaker's words begin, title included
        i = bisect.bisect_right(speech_ends, said_from) - 1
        before = speech[i] if i >= 0 and speech[i].start >= para.start else None
        if before and not text[before.end : said_from].strip() and not indirect:
            span_start = before.start
            consumed.add(before)
            regions.append(Region(before.start, before.end, speaker))
        out.append(Attribution(cue.rule, (span_start, max(shown.end, trig[1])), trig, speaker))
        state.said.append((trig[0], para.start, speaker))
        # X表示，…… / X说：“……”: the rest of the sentence (and a quotation opening there) is his.
        if said_more:
            end = sent.end
            opening = speech_at.get(rest)
            if opening:
                consumed.add(opening)
                end = max(end, opening.end)
            regions.append(Region(cue.end, end, speaker))

    # Quotations not yet tied to a cue. `covered` answers "is q inside some region?" in log time:
    # among regions starting at or before q, the furthest end.
    covered = sorted((r.start, r.end) for r in regions)
    cov_starts = [a for a, _ in covered]
    cov_reach = list(accumulate((b for _, b in covered), max))
    said = sorted(state.said, key=lambda x: x[0])
    said_pos = [pos for pos, _, _ in said]
    for q in speech:
        i = bisect.bisect_right(cov_starts, q.start) - 1
        if q in consumed or (i >= 0 and cov_reach[i] >= q.end):
            continue
        para = _containing(paras, para_starts, q.start)
        sent_i = bisect.bisect_right(sent_starts, q.end - 1) - 1
        next_end = sentences[sent_i + 1].end if sent_i + 1 < len(sentences) else q.end
        j = bisect.bisect_left(said_pos, q.end)  # the first cue after the quotation
        k = bisect.bisect_left(said_pos, q.start) - 1  # the last cue before it
        if j < len(said) and said[j][1] == para.start and said[j][0] < max(next_end, q.end):
            speaker = said[j][2]
        elif k >= 0 and said[k][1] == para.start:
            speaker = said[k][2]
        elif q.start == para.start and q.end == para.end and k >= 0:
            speaker = said[k][2]
        else:
            continue
        out.append(Attribution("attribution.quotation", (q.start, q.end), (q.start, q.end), speaker))
        regions.append(Region(q.start, q.end, speaker))
    out.sort(key=lambda a: a.trigger)
    regions.sort(key=lambda r: (r.start, r.end))
    return out, regions
