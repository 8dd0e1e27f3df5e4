"""Repeated claims: the same claim, already judged in another article of a folder, so an editor
checks it once. The audit export and the review UI both ask `Judged.verdicts`: one copy of the
matching.
"""
from __future__ import annotations

import difflib
import os
import threading
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import regex

from . import store
from .errors import FileError
from .model import Claim, ClaimFile, Document, Status


def content_key(c: Claim) -> tuple:
    """What a claim asserts, apart from where and in what words: claims with equal keys are
    candidates for the same claim; `same_statement` on their clauses decides."""
    return (c.kind.value, c.trigger.text, repr(c.value), c.unit, c.speaker.name if c.speaker else None)


_NOT_WORDS = regex.compile(r"[^\p{L}\p{N}%％.]+")
SIMILAR = 0.85  # difflib ratio of two clauses that say the same thing in slightly other words
SIMILAR_FROM = 12  # ... when both are this long: in a short clause one character is the claim
MIN_CONTEXT = 4  # characters a clause must hold beyond its trigger to state anything


def _words(s: str) -> str:
    return _NOT_WORDS.sub("", unicodedata.normalize("NFKC", s))


def same_statement(a: Claim, b: Claim) -> bool:
    """Whether two claims with equal keys make the same statement: their clauses are equal but
    for spacing and punctuation, one holds the other (a follow-up that adds a subject), or they
    are nearly the same words; and say more than the trigger.

    The key alone is not enough: across a week of unrelated articles 首个, 去年, 最大, 近三成 and
    18.4% recur with nothing in common, and a false "already verified" is worse than none.
    """
    x, y = _words(a.text), _words(b.text)
    if min(len(x), len(y)) - len(_words(a.trigger.text)) < MIN_CONTEXT:
        return False  # a bare 去年 or 首个 states nothing by itself
    if x in y or y in x:
        return True
    return (min(len(x), len(y)) >= SIMILAR_FROM
            and difflib.SequenceMatcher(None, x, y, autojunk=False).ratio() >= SIMILAR)


@dataclass(frozen=True)
class Verdict:
    """A verdict given on a claim in another article: which file, which claim, what and who."""

    document: str  # the other document's id
    claim: str
    status: str
    reviewed_by: str | None
    reviewed_at: str | None  # ISO 8601
    note: str
    title: str = ""
    claim_file: str = ""  # the other claim file, as its path was given
    text: str = ""  # the other claim's clause: the editor can see it is the same claim
    reason: str | None = None  # why it was dismissed there, for a dismissal


def is_judged(c: Claim) -> bool:
    return c.status != Status.pending and c.reviewed_at is not None


@dataclass
class _Read:
    """What one claim file contributes: its document and its judged claims by content key."""

    where: str  # the real path: one file reached by two paths is one file
    path: Path  # as given
    stamp: tuple | None  # (inode, size, mtime) when read; None when added from memory
    document: Document | None  # None when the file could not be read
    judged: list[tuple[tuple, Claim]] = field(default_factory=list)


def _aware(t: datetime) -> datetime:
    # A hand-edited time without a zone must not make the comparison fail: take it as UTC.
    return t.replace(tzinfo=UTC) if t.tzinfo is None else t


def _stamp(path: Path) -> tuple | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


class Judged:
    """The judged (verified or disputed) claims of a set of claim files.

    A file is read again only when it changed on disk (inode, size or mtime), so asking again
    after each review costs a `stat` per file. Safe to share between threads.
    """

    def __init__(self) -> None:
        self._files: dict[str, _Read] = {}
        self._by_key: dict[tuple, list[tuple[_Read, Claim]]] | None = None  # built when asked, after a change
        self._lock = threading.Lock()

    def _put(self, r: _Read) -> None:
        with self._lock:
            self._files[r.where] = r
            self._by_key = None

    def add(self, path: Path | str, cf: ClaimFile, stamp: tuple | None = None) -> None:
        """Count a claim file already in memory (`stamp`: how it was on disk when read, if known)."""
        path = Path(path)
        judged = [(content_key(c), c) for c in cf.claims if is_judged(c)]
        self._put(_Read(os.path.realpath(path), path, stamp, cf.document, judged))

    def load(self, path: Path | str) -> ClaimFile:
        """`store.load`, remembering the file's judged claims; raises FileError as it does."""
        path = Path(path)
        stamp = _stamp(path)  # before reading: a change while reading is seen on the next refresh
        try:
            cf = store.load(path)
        except FileError:
            self._put(_Read(os.path.realpath(path), path, stamp, None))
            raise
        self.add(path, cf, stamp)
        return cf

    def refresh(self, paths: Iterable[Path | str]) -> None:
        """Make the set exactly `paths`: read the new and changed files, forget the others.

        A file that cannot be read counts as having no judged claims (the document list says why).
        """
        keep = {os.path.realpath(p): Path(p) for p in paths}
        with self._lock:
            for gone in set(self._files) - set(keep):
                del self._files[gone]
                self._by_key = None
            known = {k: r.stamp for k, r in self._files.items()}
        for where, p in keep.items():
            if known.get(where) is None or known[where] != _stamp(p):
                try:
                    self.load(p)
                except FileError:
                    continue

    def verdicts(self, path: Path | str, cf: ClaimFile) -> dict[str, Verdict]:
        """Claim id → the most recent verdict on the same claim (`content_key`) in another
        claim file of the set.

        The file at `path` is never a source, so a claim is never its own earlier verdict, nor is
        an orphan of the same file; neither is a copy of the same document (same id and bytes).
        """
        me, doc = os.path.realpath(path), cf.document
        with self._lock:
            if self._by_key is None:
                by_key: dict[tuple, list[tuple[_Read, Claim]]] = {}
                for r in sorted(self._files.values(), key=lambda r: r.where):
                    for k, c in r.judged:
                        by_key.setdefault(k, []).append((r, c))
                for found in by_key.values():  # most recent first (a stable sort: ties in path order)
                    found.sort(key=lambda rc: _aware(rc[1].reviewed_at), reverse=True)
                self._by_key = by_key
            by_key = self._by_key
        out = {}
        for c in cf.claims:
            best = next((
                (r, x) for r, x in by_key.get(content_key(c), ())
                if r.where != me and (r.document.id, r.document.sha256) != (doc.id, doc.sha256)
                and same_statement(c, x)
            ), None)
            if best:
                r, x = best
                out[c.id] = Verdict(r.document.id, x.id, x.status.value, x.reviewed_by,
                                    x.reviewed_at.isoformat() if x.reviewed_at else None, x.note,
                                    r.document.title, str(r.path), x.text, x.reason)
        return out
