"""A folder of articles and claim files: which claim file is which article's, each one's
progress, and the verdicts given in the folder's other files. The review UI's document list
is one client (it runs `scan` and `summarize` in a worker thread and posts what they return;
its claims screen asks `Neighbours` in one); a script listing a desk's work is another.

An article and the claim file of that article are one document, wherever the claim file is
(`claimcheck extract DIR -o OUT` puts them in OUT). Which article a claim file belongs to is
written in it (`document.path`); `scan` reads no claim file, so it pairs by name until
`summarize` has read each one, and `pair` then pairs by what the files say.
"""
from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from . import lock, store
from .errors import FileError
from .model import ClaimFile, Status
from .naming import ARTICLE_SUFFIXES, CLAIM_SUFFIXES, claim_file_for, claim_files_in, claim_stem, walk
from .repeats import Judged, Verdict
from .store import article_places


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
    dismissed: int = 0  # not checkable claims: out of the progress, counted apart
    locked_by: str | None = None
    problem: str | None = None
    orphaned: int = 0  # claims no longer found in the article: not in the progress
    recorded: str | None = None  # the claim file's `document.path`, once read

    @property
    def total(self) -> int:
        """The live claims (orphans left out)."""
        return self.verified + self.disputed + self.pending


def scan(folder: Path) -> list[Entry]:
    """Every article and every claim file, by name, without reading a claim file: an article is
    paired with `<id>.claims.yaml` beside it, else with the one claim file of its name elsewhere
    (`extract DIR -o OUT`), until `pair` knows better."""
    folder = Path(folder)
    articles, claim_files = [], []
    for p in walk(folder):
        if p.name.endswith(CLAIM_SUFFIXES):
            claim_files.append(p)
        elif p.suffix in ARTICLE_SUFFIXES:
            articles.append(p)
    return pair(folder, articles, claim_files, {})


def article_candidates(claim_file: Path, recorded: str, folder: Path) -> list[str]:
    """Where a claim file's article may be (absolute paths): the places `store.locate_article`
    looks, then as recorded from the listed folder (`claimcheck extract . -o out` records paths
    from where it ran)."""
    places = article_places(claim_file, recorded)
    if places and not Path(recorded).is_absolute():
        places.insert(len(places) - 1, folder / recorded)  # before the current folder's
    return [os.path.abspath(p) for p in places]


def article_of(claim_file: Path, recorded: str, folder: Path, articles: Iterable[str]) -> str | None:
    """The article (its absolute path, one of `articles`) that the claim file records, or None."""
    known = articles if isinstance(articles, (set, frozenset, dict)) else set(articles)
    return next((a for a in article_candidates(claim_file, recorded, folder) if a in known), None)


def pair(folder: Path, articles: list[Path], claim_files: list[Path],
         recorded: dict[Path, str | None]) -> list[Entry]:
    """One entry per document, by name: each article with its claim file, each other claim file.

    An article's claim file is `<id>.claims.yaml` beside it (where `claimcheck review ARTICLE`
    keeps it); else a claim file whose `document.path` (in `recorded`, once read) is that
    article; else, for a claim file not read yet, the one claim file named after it. An article
    paired with none is "not extracted yet"; a claim file paired with none is its own entry.
    """
    folder = Path(folder)
    by_abs = {os.path.abspath(a): a for a in articles}
    owner: dict[Path, Path] = {}  # article -> its claim file
    taken: set[Path] = set()

    def join(a: Path, c: Path) -> None:
        owner[a] = c
        taken.add(c)

    known = set(claim_files)
    for a in articles:
        if claim_file_for(a) in known:
            join(a, claim_file_for(a))
    # Claim files already read: what they say.
    for c in claim_files:
        r = recorded.get(c)
        if c in taken or r is None:
            continue
        found = article_of(c, r, folder, by_abs)
        if found is not None and by_abs[found] not in owner:
            join(by_abs[found], c)
    # Claim files not read yet: by name, where the name leaves no doubt.
    unread: dict[str, list[Path]] = {}
    for c in claim_files:
        if c not in taken and recorded.get(c) is None:
            unread.setdefault(claim_stem(c), []).append(c)
    lone: dict[str, list[Path]] = {}
    for a in articles:
        if a not in owner:
            lone.setdefault(a.stem, []).append(a)
    for stem, cs in unread.items():
        arts = lone.get(stem, [])
        if len(cs) == 1 and len(arts) == 1:
            join(arts[0], cs[0])
    entries = []
    for a in articles:
        c = owner.get(a)
        name = str(a.relative_to(folder))
        if c is None:
            entries.append(Entry(str(claim_file_for(a)), name, claim_file_for(a), a))
        else:
            entries.append(Entry(str(c), name, c, a, exists=True, recorded=recorded.get(c)))
    for c in claim_files:
        if c not in taken:
            entries.append(Entry(str(c), str(c.relative_to(folder)), c, None, exists=True, recorded=recorded.get(c)))
    entries.sort(key=lambda e: e.name)
    return entries


def agrees(e: Entry, folder: Path, articles: set[str]) -> bool:
    """Whether pairing again by what the entry's claim file records would leave it as it is:
    it is the claim file beside its article, or it records that article (or none listed, when it
    is shown alone). `articles`: the listed articles' absolute paths."""
    if e.article is not None and e.claims == claim_file_for(e.article):
        return True
    found = article_of(e.claims, e.recorded, folder, articles) if e.recorded is not None else None
    return found == (os.path.abspath(e.article) if e.article is not None else None)


def repair(folder: Path, entries: Iterable[Entry]) -> list[Entry]:
    """The same articles and claim files paired again by what has been read of them since: each
    claim file's entry keeps what was read of it; an article left alone is "not extracted yet"."""
    entries = list(entries)
    articles = [e.article for e in entries if e.article is not None]
    claim_files = [e.claims for e in entries if e.exists]
    by_key = {e.key: e for e in entries}
    out = []
    for e in pair(folder, articles, claim_files, {e.claims: e.recorded for e in entries if e.exists}):
        old = by_key.get(e.key)
        if old is not None and old.exists == e.exists:
            e = replace(old, name=e.name, article=e.article)
        elif not e.exists:
            e = replace(e, loaded=True)  # nothing to read: its claim file does not exist
        out.append(e)
    return out


def recorded_path(claim_file: Path, head: int = 16384) -> str | None:
    """The article path a claim file records (`document.path`), read from the top of the file
    only, which is where claimcheck writes it; None when it is not there or cannot be read."""
    try:
        with open(claim_file, "rb") as f:
            data = f.read(head)
    except OSError:
        return None
    text = data.decode("utf-8-sig", errors="replace")
    end = text.find("\nclaims:")
    if end < 0:
        if len(data) == head:
            return None
        end = len(text)
    try:
        doc = yaml.load(text[:end], Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        path = doc["document"]["path"]
    except (yaml.YAMLError, TypeError, KeyError):
        return None
    return path if isinstance(path, str) else None


def with_counts(entry: Entry, cf: ClaimFile) -> Entry:
    """The entry with the claim file's title and progress: live claims by status, orphans apart."""
    n = {s: 0 for s in Status}
    orphaned = 0
    for c in cf.claims:
        if c.orphaned_at is not None:
            orphaned += 1
        else:
            n[c.status] += 1
    return replace(entry, loaded=True, exists=True, title=cf.document.title, date=cf.document.date,
                   verified=n[Status.verified], disputed=n[Status.disputed], pending=n[Status.pending],
                   dismissed=n[Status.dismissed], orphaned=orphaned, problem=None, recorded=cf.document.path)


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
    if recursive:
        return [p for p in walk(folder) if p.name.endswith(CLAIM_SUFFIXES)]
    return claim_files_in(folder)


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
