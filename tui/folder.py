"""A folder of articles and claim files, as the document list shows it. No widgets here:
the list screen runs `scan` and `summarize` in a worker thread and posts what they return;
the claims screen asks `Neighbours` in one for the verdicts given in the folder's other files.
"""
from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from claims import lock, store
from claims.model import ClaimFile, Status
from claims.repeats import Judged, Verdict
from claims.yamlio import FileError

from .session import ARTICLE_SUFFIXES, claim_file_for

CLAIM_SUFFIXES = (".claims.yaml", ".claims.yml")


@dataclass(frozen=True)
class Entry:
    """One document of the folder: an article, its claim file (which may not exist yet), or both."""

    key: str  # the claim file's path: unique, and the row key in the list
    name: str  # what the list shows: the path relative to the folder
    claims: Path
    article: Path | None = None
    exists: bool = False  # the claim file exists
    loaded: bool = False  # `summarize` has read it
    title: str = ""
    date: str | None = None
    verified: int = 0
    disputed: int = 0
    pending: int = 0
    locked_by: str | None = None
    problem: str | None = None

    @property
    def total(self) -> int:
        return self.verified + self.disputed + self.pending


def _files(folder: Path):
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for f in sorted(files):
            if not f.startswith("."):
                yield Path(root) / f


def scan(folder: Path) -> list[Entry]:
    """Every article (paired with `<id>.claims.yaml` beside it) and every other claim file, by name."""
    folder = Path(folder)
    articles, claim_files = [], []
    for p in _files(folder):
        if p.name.endswith(CLAIM_SUFFIXES):
            claim_files.append(p)
        elif p.suffix in ARTICLE_SUFFIXES:
            articles.append(p)
    known = set(claim_files)
    entries = []
    paired = set()
    for a in articles:
        c = claim_file_for(a)
        paired.add(c)
        entries.append(Entry(str(c), str(a.relative_to(folder)), c, a, exists=c in known))
    for c in claim_files:
        if c not in paired:
            entries.append(Entry(str(c), str(c.relative_to(folder)), c, None, exists=True))
    entries.sort(key=lambda e: e.name)
    return entries


def with_counts(entry: Entry, cf: ClaimFile) -> Entry:
    n = {s: 0 for s in Status}
    for c in cf.claims:
        n[c.status] += 1
    return replace(entry, loaded=True, exists=True, title=cf.document.title, date=cf.document.date,
                   verified=n[Status.verified], disputed=n[Status.disputed], pending=n[Status.pending],
                   problem=None)


def summarize(entry: Entry, load: Callable[[Path], ClaimFile] = store.load) -> Entry:
    """The entry with its claim file's title and progress, who holds its lock, or its problem."""
    if not entry.claims.exists():
        return replace(entry, loaded=True, exists=False)
    try:
        cf = load(entry.claims)
    except FileError as e:
        return replace(entry, loaded=True, exists=True, problem=e.problems[0] if e.problems else str(e))
    h = lock.holder(entry.claims)
    return replace(with_counts(entry, cf), locked_by=str(h) if h else None)


def claim_files(folder: Path, *, recursive: bool = True) -> list[Path]:
    """The claim files of a folder (and of its subfolders, as the document list shows them)."""
    folder = Path(folder)
    if recursive:
        found = _files(folder)
    else:
        try:
            found = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
        except OSError:
            return []
    return [p for p in found if p.name.endswith(CLAIM_SUFFIXES)]


@dataclass
class Neighbours:
    """The claim files reviewed alongside a document: the folder's (`claimcheck review DIR`), or
    those beside the one claim file opened. Files are re-read only when they changed."""

    folder: Path
    recursive: bool = True
    judged: Judged = field(default_factory=Judged)

    def verdicts(self, claim_path: Path, cf: ClaimFile) -> dict[str, Verdict]:
        """Claim id → the verdict on the same claim in another of the files. Reads files: call it
        from a worker."""
        self.judged.refresh(claim_files(self.folder, recursive=self.recursive))
        return self.judged.verdicts(claim_path, cf)

    def name(self, v: Verdict) -> str:
        """The other claim file as the editor knows it: its path in the folder."""
        try:
            return str(Path(v.claim_file).relative_to(self.folder))
        except ValueError:
            return v.claim_file
