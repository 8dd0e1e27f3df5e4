"""The state behind the screens, free of widgets: an open claim file, its article, its undo
history, and what is shown of it. Every change goes through `claims.review.Review`, which
logs it and saves the file at once; undo and redo are new changes back to the old value.
"""
from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from claims import audit, store
from claims.errors import FileError
from claims.fold import fold
from claims.lock import reviewer_name
from claims.model import Claim, ClaimFile, Document, Kind, Status
from claims.reextract import Article, catch_up, read_article
from claims.repeats import Verdict
from claims.review import ReadOnly, Review
from claims.text import paragraphs, sentences

from . import display

# None shows every claim but the dismissed ones, which only their own filter shows.
STATUS_FILTERS: tuple[Status | None, ...] = (None, Status.pending, Status.disputed, Status.verified, Status.dismissed)
KIND_FILTERS: tuple[Kind | None, ...] = (None, *Kind)


class Conflict(FileError):
    """The claim changed since the step being undone or redone; nothing was changed."""


@dataclass(frozen=True)
class Step:
    """One change as the editor made it: the review fields of one claim before and after; or,
    with `added`, a claim added by hand (undone: taken out again, logged as `removed`)."""

    claim_id: str
    before: dict[str, Any]
    after: dict[str, Any]
    what: str
    added: Claim | None = None  # the claim as added (as taken out, once undone)


@dataclass
class History:
    """Undo and redo stacks of one claim file; kept by the app across leaving and reopening it."""

    undo: list[Step] = field(default_factory=list)
    redo: list[Step] = field(default_factory=list)


def log_problem(claim_path: Path) -> tuple[str, bool]:
    """(the first problem of the claim file's audit log with what to do, whether it stops changes):
    ('', False) when the log is intact. A torn or unreadable log refuses every append."""
    log = audit.log_path(claim_path)
    try:
        problems = audit.verify(log)
    except FileError as e:
        return f"the audit log cannot be read: {e.problems[0]}", True
    if not problems:
        return "", False
    torn = audit.read(log).torn
    if torn:
        return f"the audit log is torn ({torn.rstrip('.')}); run `claimcheck audit repair {log}`, then reopen.", True
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return f"the audit log's chain is broken: {problems[0]}{more}; see `claimcheck audit verify {log}`.", False


@dataclass(frozen=True)
class Context:
    """Where a claim sits: its paragraph, and the sentence, clause and trigger inside it."""

    paragraph: str
    sentence: tuple[int, int]  # offsets into `paragraph`
    clause: tuple[int, int]
    trigger: tuple[int, int]
    from_article: bool
    article_available: bool = True  # False: the claim is shown alone because there is no article text


class Shown:
    """What is shown of a claim file, however far it is open: its claims through the filters,
    each in its article's words, and the progress. `OpenDoc` and `Preview` say which file."""

    path: Path
    opening = False  # only the file's first claims are read yet (a `Preview`)

    @property
    def cf(self) -> ClaimFile:  # pragma: no cover - each says
        raise NotImplementedError

    def _show_article(self, text: str | None) -> None:
        self.article = text
        self._paras = paragraphs(text) if text is not None else []
        self._para_starts = [p.start for p in self._paras]
        # (the claim file counted, its live claims by status, its orphans): counting 10,000
        # claims twice at every key press was a fifth of the time the press took.
        self._counted: tuple[object, Counter[Status], int] | None = None

    @property
    def document(self) -> Document:
        return self.cf.document

    @property
    def claims(self) -> list[Claim]:
        return self.cf.claims

    @property
    def total(self) -> int:
        """How many claims the file holds."""
        return len(self.claims)

    def counts(self) -> Counter[Status]:
        """Live claims by status: an orphaned claim (no longer in the article) is not left to do."""
        return Counter(self._count()[1])

    def orphaned(self) -> int:
        return self._count()[2]

    def _count(self) -> tuple[object, Counter[Status], int]:
        cf = self.cf
        if self._counted is None or self._counted[0] is not cf:
            self._counted = (cf, Counter(c.status for c in cf.claims if c.orphaned_at is None),
                             sum(c.orphaned_at is not None for c in cf.claims))
        return self._counted

    def visible(self, status: Status | None = None, kind: Kind | None = None, query: str = "") -> list[Claim]:
        """The claims that pass the filters, in file order; `query` matches text, speaker and values.
        No status filter shows every claim but the dismissed ones."""
        return [c for c in self.claims if self.passes(c, status, kind, query)]

    @staticmethod
    def passes(c: Claim, status: Status | None = None, kind: Kind | None = None, query: str = "") -> bool:
        """Whether one claim passes the filters (see `visible`)."""
        q = fold(query.strip())
        return ((c.status == status if status is not None else c.status != Status.dismissed)
                and (kind is None or c.kind == kind)
                and (not q or q in display.searchable(c)))

    def context(self, claim: Claim) -> Context:
        """The claim's paragraph with its sentence, clause and trigger; the clause alone without the article."""
        text = self.article
        if text is not None and text[claim.trigger.start:claim.trigger.end] == claim.trigger.text:
            i = bisect.bisect_right(self._para_starts, claim.span.start) - 1
            if i >= 0 and claim.span.end <= self._paras[i].end:
                para = self._paras[i]
                sentence = (claim.span.start, claim.span.end)
                for sent in sentences(text, para):
                    if sent.start <= claim.span.start < sent.end:
                        sentence = (sent.start, max(sent.end, claim.span.end))
                        break
                base = para.start
                return Context(
                    text[para.start:para.end],
                    (sentence[0] - base, sentence[1] - base),
                    (claim.span.start - base, claim.span.end - base),
                    (claim.trigger.start - base, claim.trigger.end - base),
                    True,
                )
        trigger_at = claim.trigger.start - claim.span.start  # in the clause
        return Context(claim.text, (0, len(claim.text)), (0, len(claim.text)),
                       (trigger_at, trigger_at + claim.trigger.end - claim.trigger.start), False, text is not None)


PREVIEW_CLAIMS = 200  # a preview's claims: a screenful and more, at any terminal height, as the table adds first


class Preview(Shown):
    """The first claims of a large claim file (`store.load_preview`), shown while `OpenDoc` opens
    it in full in a worker (the lock, the audit log's check, a roll-forward, every claim read).
    Nothing can be changed meanwhile: no lock is held, nothing is written, and no problem is
    said yet (the whole open finds them, and says them as it always does)."""

    opening = True
    read_only = False  # not open yet, which keys that change something say (see `still_opening`)
    read_only_reason = locked_by = blocked = log_problem = article_problem = notice = ""

    def __init__(self, claim_path: Path | str, head: store.Preview, reviewer: str | None = None,
                 history: History | None = None):
        self.path = Path(claim_path)
        self._cf, self._total = head.cf, head.total
        self._index = {c.id: c for c in head.cf.claims}
        self.reviewer = reviewer_name(reviewer)
        self.history = history if history is not None else History()
        article = read_article(self.path, self.document)
        # An article missing, changed or unreadable: the whole open says so (and catches up).
        self._show_article(article.text if article.problem is None else None)

    @classmethod
    def read(cls, claim_path: Path | str, reviewer: str | None = None) -> Preview | None:
        """The preview of a large claim file; None for any other (opened whole at once)."""
        head = store.load_preview(claim_path, PREVIEW_CLAIMS)
        return cls(claim_path, head, reviewer) if head is not None else None

    @property
    def cf(self) -> ClaimFile:
        return self._cf

    @property
    def total(self) -> int:
        return self._total

    def still_opening(self) -> str:
        """What a key that would change something says meanwhile."""
        return (f"{self.path.name} is still being opened ({self._total:,} claims): nothing was changed. "
                "Press the key again in a moment.")

    def claim(self, claim_id: str) -> Claim:
        return self._index[claim_id]

    def has(self, claim_id: str) -> bool:
        return claim_id in self._index

    def close(self) -> None:
        """Nothing to release: a preview holds no lock."""


class OpenDoc(Shown):
    """A claim file open for review (read-only when another process holds its lock)."""

    def __init__(self, claim_path: Path | str, reviewer: str | None = None, history: History | None = None,
                 *, lock: bool = True):
        self.path = Path(claim_path)
        self.review = Review(self.path, reviewer, lock=lock)
        self.history = history if history is not None else History()
        self.notice = ""  # what was done on opening, said once (a re-extraction)
        self.log_problem = ""  # what is wrong with the audit log, with what to do
        self.blocked = ""  # why nothing can be changed although the lock is ours ("" when it can)
        self.log_problem, torn = log_problem(self.path)
        disagree = self.review.agreement.problems
        if not self.log_problem and disagree:
            # The claim file and its log disagree (a log deleted or replaced, a hand edit): judging
            # on would bury the difference under new events.
            self.log_problem = f"{disagree[0]}; nothing can be changed until they agree."
        elif not self.log_problem and not self.review.read_only:
            self.log_problem = self.review.lost_history()
        if torn or disagree:
            self._block(self.log_problem)
        self.notice = " ".join(n for n in self.review.notices if n != self.review.lost_history())
        article = read_article(self.path, self.review.cf.document)
        if article.changed:
            article = self._catch_up(article)
        self.article_problem = article.problem
        self._show_article(article.text)

    def _catch_up(self, article: Article) -> Article:
        """The article changed since extraction: re-extract and merge (decisions kept, vanished
        claims orphaned) when the file is ours to change; otherwise judging it is refused."""
        name = article.path.name if article.path else self.document.path
        why = self.read_only_reason
        if not why:
            notice, why = catch_up(self.review, article)
            if not why:
                self.notice = notice
                return read_article(self.path, self.document)
        if not self.blocked:
            self._block(f"{why} Its claims may no longer match the article." if self.review.read_only else why)
        problem = (f"article {name} has changed since its claims were extracted and they were not re-extracted: "
                   "claims are shown as extracted, and cannot be judged here")
        return Article(article.text, problem, article.path, article.data, article.encoding, True)

    def _block(self, why: str) -> None:
        """Refuse every change from now on (releasing the lock: another editor may mend it)."""
        self.blocked = why
        if not self.review.read_only:
            self.review.close()

    # -- what is open -----------------------------------------------------------------------
    @property
    def cf(self) -> ClaimFile:
        return self.review.cf

    @property
    def read_only(self) -> bool:
        return self.review.read_only or bool(self.blocked)

    @property
    def locked_by(self) -> str:
        return str(self.review.locked_by) if self.review.locked_by else ""

    @property
    def read_only_reason(self) -> str:
        """Why nothing can be changed, in a sentence ('' when writable)."""
        h = self.review.locked_by
        if h is None:
            return self.blocked
        if self.review.unwritable is not None:
            # The real reason (a read-only folder, a full disk, no permission), not a guess.
            return f"{self.path.name} cannot be changed here: {self.review.unwritable}."
        return f"{self.path.name} is open for review by {h}. Nothing can be changed here until they close it."

    @property
    def reviewer(self) -> str:
        return self.review.reviewer

    def claim(self, claim_id: str) -> Claim:
        return self.review.claim(claim_id)

    def has(self, claim_id: str) -> bool:
        """Whether the file holds the claim (one added by hand and undone is gone)."""
        return self.review.has(claim_id)

    def _recount(self, was: object, old: Claim, new: Claim) -> None:
        """The counts after one claim of the file counted as `was` changed from `old` to `new`
        (its review fields only: it is orphaned or not as before)."""
        if self._counted is None or self._counted[0] is not was or old.orphaned_at is not None:
            return
        counts = Counter(self._counted[1])
        counts[old.status] -= 1
        counts[new.status] += 1
        self._counted = (self.review.cf, +counts, self._counted[2])

    # -- changes ----------------------------------------------------------------------------
    def _check_writable(self) -> None:
        if self.read_only:
            raise ReadOnly([f"Read-only: {self.read_only_reason}"])

    def change(self, claim_id: str, what: str, also: tuple[audit.Change, ...] = (), **fields: Any) -> Claim | None:
        """Change review fields (logged and saved at once) and remember it for undo; `also`:
        events logged with them (see `Review.update`).

        Returns the new claim, or None when nothing would change. Raises ReadOnly.
        """
        self._check_writable()
        old = self.claim(claim_id)
        before = {k: _copy(getattr(old, k)) for k in fields}
        if all(before[k] == v for k, v in fields.items()):
            return None
        was = self.review.cf
        new = self.review.update(claim_id, also, **fields)
        self._recount(was, old, new)
        after = {k: _copy(getattr(new, k)) for k in fields}
        self.history.undo.append(Step(claim_id, before, after, what))
        self.history.redo.clear()
        return new

    def set_status(self, claim_id: str, status: Status) -> Claim | None:
        if status == Status.dismissed:
            return self.dismiss(claim_id, self.claim(claim_id).reason or "")
        if self.claim(claim_id).reason is not None:  # no longer dismissed: its reason goes with it
            return self.change(claim_id, status.value, status=status, reason=None)
        return self.change(claim_id, status.value, status=status)

    def dismiss(self, claim_id: str, reason: str) -> Claim | None:
        """Not a checkable claim, and why (one of `DISMISS_REASONS` or the editor's words)."""
        return self.change(claim_id, "dismissed", status=Status.dismissed, reason=reason.strip() or None)

    def adopt(self, claim_id: str, v: Verdict) -> Claim | None:
        """The verdict given on the same claim in another article, taken over: its status (and
        reason), and its note where this claim has none; logged with where it came from."""
        fields: dict[str, Any] = {"status": Status(v.status),
                                  "reason": v.reason if v.status == Status.dismissed.value else None}
        if v.note and not self.claim(claim_id).note:
            fields["note"] = v.note
        source = {"claim_file": v.claim_file, "document": v.document, "claim": v.claim, "status": v.status,
                  "reviewed_by": v.reviewed_by, "reviewed_at": v.reviewed_at}
        return self.change(claim_id, f"{v.status} adopted", (audit.Change(claim_id, "adopted", None, source),),
                           **fields)

    def dismissed(self) -> int:
        return sum(c.status == Status.dismissed and c.orphaned_at is None for c in self.claims)

    def add_claim(self, claim: Claim) -> Claim:
        """Add a claim the extractor missed (logged and saved at once); `u` takes it out again."""
        self._check_writable()
        added = self.review.add_claim(claim)
        self.history.undo.append(Step(added.id, {}, {}, "added by hand", added))
        self.history.redo.clear()
        return added

    def set_note(self, claim_id: str, note: str) -> Claim | None:
        return self.change(claim_id, "note", note=note)

    def add_evidence(self, claim_id: str, item: str) -> Claim | None:
        item = item.strip()
        if not item:
            return None
        return self.change(claim_id, "evidence", evidence=[*self.claim(claim_id).evidence, item])

    def edit_evidence(self, claim_id: str, index: int, item: str) -> Claim | None:
        """Replace evidence entry `index` (0-based); an empty `item` removes it. Logged as any
        evidence change: the list before and after."""
        evidence = list(self.claim(claim_id).evidence)
        if not 0 <= index < len(evidence):
            raise FileError([f"claim {claim_id} has no evidence entry {index + 1}; nothing was changed"])
        item = item.strip()
        if item:
            evidence[index] = item
        else:
            del evidence[index]
        return self.change(claim_id, "evidence" if item else "evidence removed", evidence=evidence)

    def _replay(self, step: Step, expect: dict[str, Any], target: dict[str, Any], verb: str) -> Claim:
        self._check_writable()
        current = self.claim(step.claim_id)
        if any(getattr(current, k) != v for k, v in expect.items()):
            raise Conflict([f"cannot {verb}: claim {step.claim_id} has changed since ({step.what}); nothing was changed"])
        return self.review.update(step.claim_id, **target)

    def _take_out(self, step: Step) -> Claim:
        """Undo an add: the claim taken out, logged as `removed` (only ever one added by hand),
        if it is as it was added: judged since, the judgement is undone first (it is above on
        the stack), or it was changed elsewhere and is left alone."""
        self._check_writable()
        assert step.added is not None
        if not self.has(step.claim_id):
            raise Conflict([f"cannot undo: claim {step.claim_id} is no longer in the file; nothing was changed"])
        current = self.claim(step.claim_id)
        if any(getattr(current, k) != getattr(step.added, k) for k in ("status", "note", "evidence", "reason")):
            raise Conflict([f"cannot undo: claim {step.claim_id} has been judged since it was added; "
                            "nothing was changed"])
        return self.review.remove_claim(step.claim_id)

    def _put_back(self, step: Step) -> Claim:
        """Redo an add: the claim as it was taken out, if its words are still where it says."""
        self._check_writable()
        assert step.added is not None
        c = step.added
        if self.article is not None and self.article[c.trigger.start:c.trigger.end] != c.trigger.text:
            raise Conflict([f"cannot redo: the words of {c.id} are no longer at its place in the article; "
                            "nothing was changed"])
        return self.review.add_claim(c)

    def undo(self) -> tuple[Step, Claim] | None:
        """Set the last changed fields back to what they were, as a new logged change; an added
        claim is taken out again (logged as `removed`)."""
        if not self.history.undo:
            return None
        step = self.history.undo[-1]
        if step.added is not None:
            claim = self._take_out(step)
            self.history.undo.pop()
            self.history.redo.append(replace(step, added=claim))
            return step, claim
        claim = self._replay(step, step.after, step.before, "undo")
        self.history.redo.append(self.history.undo.pop())
        return step, claim

    def redo(self) -> tuple[Step, Claim] | None:
        if not self.history.redo:
            return None
        step = self.history.redo[-1]
        if step.added is not None:
            claim = self._put_back(step)
            self.history.redo.pop()
            self.history.undo.append(replace(step, added=claim))
            return step, claim
        claim = self._replay(step, step.before, step.after, "redo")
        self.history.undo.append(self.history.redo.pop())
        return step, claim

    def close(self) -> None:
        self.review.close()


def _copy(v: Any) -> Any:
    return list(v) if isinstance(v, list) else v
