"""Statements: the sentences of an article that hold published verdicts.

A ClaimReview reviews what someone stated, and a reader sees one sentence: two figures in it
verified separately would be two reviews of one statement. So claims are published per
sentence, with one verdict for it; a sentence whose claims were judged both ways is refused,
naming the claims, until the editor settles them (`claimcheck mark` one of them, or dismiss it).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .model import Claim, Status
from .opening import Opened
from .text import paragraphs, sentences

PUBLISHED = (Status.verified, Status.disputed)  # the verdicts a ClaimReview carries


@dataclass
class Statement:
    opened: Opened
    start: int  # the sentence's offsets in the article (the clause's when the article is gone)
    end: int
    sentence: str
    claims: list[Claim] = field(default_factory=list)  # the judged claims in it, in article order
    others: list[Claim] = field(default_factory=list)  # its other live claims (pending ones)

    @property
    def lead(self) -> Claim:
        """The claim that names the statement: its id is in the review's URL, and the published
        wording an editor sets is kept on it."""
        return self.claims[0]

    @property
    def verdicts(self) -> set[Status]:
        return {c.status for c in self.claims}

    @property
    def key(self) -> str:
        """`CLAIM_FILE#LEAD_ID`: how the `--edit` list names a statement."""
        return f"{self.opened.path}#{self.lead.id}"

    def speaker(self):
        """Who made the statement: the speaker of a judged claim, else of another claim in it."""
        return next((c.speaker for c in (*self.claims, *self.others) if c.speaker is not None), None)

    def conflict(self) -> str | None:
        """One line naming the claims judged both ways, or None."""
        if len(self.verdicts) < 2:
            return None
        ids = ", ".join(f"{c.id} ({c.status.value})" for c in self.claims)
        quoted = " ".join(self.sentence.split())
        if len(quoted) > 40:
            quoted = quoted[:39] + "…"
        return (f"{self.opened.path}: claims {ids} share one statement, “{quoted}”, with conflicting verdicts; "
                "settle them to one verdict (`claimcheck mark`, or dismiss one) before publishing")


def sentence_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The offsets of the sentence holding [start, end) in an article (to `end` at least)."""
    for para in paragraphs(text):
        if para.start <= start < para.end:
            for s in sentences(text, para):
                if s.start <= start < s.end:
                    return s.start, max(s.end, end)
    return start, end


def _live(c: Claim) -> bool:
    return c.orphaned_at is None


def of(o: Opened, article: str | None) -> list[Statement]:
    """The statements of one claim file that hold a verdict to publish, in article order."""
    found: dict[tuple[int, int], Statement] = {}
    judged = sorted((c for c in o.cf.claims if c.status in PUBLISHED and _live(c)),
                    key=lambda c: (c.trigger.start, c.trigger.end, c.id))
    for c in judged:
        if article is not None:
            s, e = sentence_span(article, c.trigger.start, c.trigger.end)
            where, words = (s, e), article[s:e]
        else:  # no article to read the sentence from: the clause is the statement
            where, words = (c.span.start, c.span.end), c.text
        found.setdefault(where, Statement(o, *where, words)).claims.append(c)
    for c in o.cf.claims:
        if c.status == Status.pending and _live(c):
            st = next((st for st in found.values() if st.start <= c.trigger.start < st.end), None)
            if st is not None:
                st.others.append(c)
    return sorted(found.values(), key=lambda st: st.start)


def conflicts(statements: list[Statement]) -> list[str]:
    return [line for st in statements if (line := st.conflict())]
