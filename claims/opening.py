"""Claim files opened for an export: each with its audit log, checked against the log and its
article, and the earlier verdicts on the same claims in other articles of the set."""
from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from . import agreement, audit, naming, store
from .errors import FileError
from .model import ClaimFile
from .repeats import Judged
from .text import decode, paragraphs, sentences


def iso(t: datetime) -> str:
    """A time as claim files and audit logs write it (UTC as Z), so that exports match them."""
    return t.isoformat().replace("+00:00", "Z")


@dataclass
class Opened:
    path: Path
    cf: ClaimFile
    events: list[audit.Event]

    @property
    def head(self) -> dict:
        """The log's head: what `claimcheck audit verify --head` checks the log against later."""
        last = self.events[-1].hash if self.events else audit.GENESIS
        return {"hash": last, "events": len(self.events)}

    def article(self) -> str | None:
        """The article's text, if it is where the claim file says and unchanged since extraction."""
        return find_article(self.path, self.cf)


@dataclass(frozen=True)
class ArticleCheck:
    """A claim file's article as found on disk, and whether it is still the article the claims
    were extracted from. `claimcheck check`, the audit exports and ClaimReview all ask this."""

    claim_file: Path
    recorded: str  # `document.path`, as written in the claim file
    found: Path | None = None
    data: bytes | None = None
    changed: bool = False  # found, but its bytes are not those extracted

    @property
    def stale(self) -> bool:
        """Missing or changed: offsets and quoted sentences may not be the article's words."""
        return self.found is None or self.changed

    def problem(self) -> str | None:
        """One line naming the claim file and the article, and the command that fixes it."""
        p = self.claim_file
        if self.changed:
            return (f"{p}: the article {self.found} has changed since extraction (sha256 differs); "
                    f"re-extract with `claimcheck extract {self.found} -o {p}` (a merge keeps every decision)")
        if self.found is None:
            where = "was read from standard input" if self.recorded == "-" else \
                f"{self.recorded} is not found (neither where recorded nor beside the claim file)"
            return (f"{p}: the article {where}; put it there, or re-extract with "
                    f"`claimcheck extract ARTICLE -o {p}` (a merge keeps every decision)")
        return None


def check_article(claim_file: Path | str, cf: ClaimFile) -> ArticleCheck:
    """Find a claim file's article (`store.locate_article`) and compare its bytes with the
    sha256 recorded at extraction."""
    found = store.locate_article(claim_file, cf)
    if found is None:
        return ArticleCheck(Path(claim_file), cf.document.path)
    art, data = found
    return ArticleCheck(Path(claim_file), cf.document.path, art, data,
                        hashlib.sha256(data).hexdigest() != cf.document.sha256)


def find_article(claim_file: Path, cf: ClaimFile) -> str | None:
    """The text of a claim file's article; None when it is missing or its bytes changed since
    extraction (offsets would point at the wrong words)."""
    a = check_article(claim_file, cf)
    if a.stale:
        return None
    try:
        return decode(a.data, str(a.found))[0]
    except FileError:
        return None


def stale_articles(opened: list[Opened]) -> list[str]:
    """A line per opened claim file whose article is missing or changed (`ArticleCheck.problem`)."""
    return [line for o in opened if (line := check_article(o.path, o.cf).problem())]


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence holding [start, end) in an article."""
    for para in paragraphs(text):
        if para.start <= start < para.end:
            for s in sentences(text, para):
                if s.start <= start < s.end:
                    return text[s.start : max(s.end, end)]
    return text[start:end]


def claim_files(paths: list[str]) -> list[Path]:
    """Claim files named, or found (*.claims.yaml, *.claims.yml) in the folders named."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = naming.claim_files_below(p)
            if not found:
                raise FileError([f"{p}: no claim files (*.claims.yaml) in this folder"])
            out += found
        elif p.exists():
            out.append(p)
        else:
            raise FileError([f"{p}: no such file"])
    return out


def open_all(paths: list[str]) -> list[Opened]:
    """Every claim file named or found, with its log's events. Refused (FileError naming each
    file) when a log does not verify or disagrees with its claim file: an export must not
    publish decisions the record does not hold, nor leave out ones it does."""
    out, problems = [], []
    for p in claim_files(paths):
        cf = store.load(p)
        log = audit.log_path(p)
        found = audit.verify(log) if log.exists() else []
        events = audit.read(log).events if not found else []
        a = agreement.check(p, cf) if not found else None  # once: full_check starts with it
        found = found or agreement.full_check(p, cf, events, a)
        if not found and a is not None:
            if a.pending or (a.unlogged and log.exists()):
                found = [f"{p}: {len(a.pending) + len(a.unlogged)} logged changes are not in the claim file yet"]
        if found:
            line = found[0]
            if "audit verify" not in line:
                line += f"; see `claimcheck audit verify {p}`, which also rolls logged decisions forward"
            problems.append(line)
            continue
        out.append(Opened(p, cf, events))
    if problems:
        n = len(problems)
        raise FileError([*problems, f"nothing exported: {n} claim file{'s' if n != 1 else ''} "
                                    f"and {'their' if n != 1 else 'its'} audit log{'s' if n != 1 else ''} disagree"])
    return out


def beside(paths: list[str]) -> list[Path]:
    """The claim files in the folder of each claim file named (not below it): the articles a
    single file's claims may already have been judged in, as the review UI counts them for a
    claim file opened alone. Folders named are already read whole."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_file():
            out += naming.claim_files_in(p.parent)
    return out


# --- repeated claims ----------------------------------------------------------------------


def judged(opened: list[Opened], others: Iterable[Path] = ()) -> Judged:
    """The judged claims of the opened files and of `others` (claim files read only as sources
    of earlier verdicts; one that cannot be read is passed over), for `Judged.verdicts`."""
    j = Judged()
    for o in opened:
        j.add(o.path, o.cf)
    have = {os.path.realpath(o.path) for o in opened}
    for p in others:
        if os.path.realpath(p) not in have:
            have.add(os.path.realpath(p))
            try:
                j.load(p)
            except FileError:
                continue
    return j
