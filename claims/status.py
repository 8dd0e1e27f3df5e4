"""The desk at a glance (`claimcheck status`): for each article, how many claims are pending,
verified, disputed, dismissed or orphaned, and who last worked on it when; and, across all of
them, the claims still open (`--pending`, `--disputed`).

An orphaned claim (its words left the article) is counted as orphaned only, whatever its
status, as the review UI's document list counts it. Who last worked on an article is the
last event of its audit log (a decision, a note, a re-extraction), else the last review the
claim file records.
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from . import audit, audit_report, opening, store, values
from .errors import FileError
from .model import Claim, ClaimFile, Status

COUNTED = ("pending", "verified", "disputed", "dismissed", "orphaned")


@dataclass(frozen=True)
class Article:
    file: str  # the claim file, as found from the paths given
    title: str = ""
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTED, 0))
    last_by: str | None = None
    last_at: datetime | None = None
    problem: str | None = None  # the claim file could not be read: counted as nothing

    @property
    def left(self) -> int:
        """What is left to do: the pending claims."""
        return self.counts["pending"]


@dataclass(frozen=True)
class Open:
    """A claim still open, for `--pending` / `--disputed`."""

    file: str
    claim: str
    status: str
    trigger: str
    value: str
    speaker: str


def counts(cf: ClaimFile) -> dict[str, int]:
    n = dict.fromkeys(COUNTED, 0)
    for c in cf.claims:
        n["orphaned" if c.orphaned_at is not None else c.status.value] += 1
    return n


def _last(path: Path, cf: ClaimFile) -> tuple[str | None, datetime | None]:
    try:
        events = audit.tail(audit.log_path(path)).events
    except FileError:
        events = []
    if events:
        return events[-1].reviewer, events[-1].time
    reviewed = [c for c in cf.claims if c.reviewed_at is not None]
    if reviewed:
        c = max(reviewed, key=lambda c: c.reviewed_at)
        return c.reviewed_by, c.reviewed_at
    return None, None


def articles(paths: list[str]) -> tuple[list[Article], list[tuple[str, ClaimFile]]]:
    """One Article per claim file named or found in the folders named (a file that cannot be
    read is one with its problem), and the claim files read."""
    out, read = [], []
    for p in opening.claim_files(paths):
        try:
            cf = store.load(p)
        except FileError as e:
            out.append(Article(str(p), problem=e.problems[0] if e.problems else "cannot be read"))
            continue
        by, at = _last(p, cf)
        out.append(Article(str(p), cf.document.title, counts(cf), by, at))
        read.append((str(p), cf))
    return out, read


def total(rows: list[Article]) -> dict[str, int]:
    return {k: sum(r.counts[k] for r in rows) for k in COUNTED}


def open_claims(read: list[tuple[str, ClaimFile]], statuses: set[Status]) -> list[Open]:
    """The live claims (orphans left out) with one of these statuses, file by file."""
    return [_open(f, c) for f, cf in read for c in cf.claims if c.status in statuses and c.orphaned_at is None]


def _open(file: str, c: Claim) -> Open:
    return Open(file, c.id, c.status.value, c.trigger.text, values.value(c), c.speaker.name if c.speaker else "")


def _when(t: datetime | None) -> str:
    return opening.iso(t.replace(microsecond=0)) if t else ""


# -- rendering -----------------------------------------------------------------------------------
def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _table(header: list[str], rows: list[list[str]], right: set[int]) -> str:
    widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = []
    for r in [header, *rows]:
        cells = [(" " * (widths[i] - _width(x)) + x) if i in right else _pad(x, widths[i]) for i, x in enumerate(r)]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines) + "\n"


def article_text(rows: list[Article]) -> str:
    header = ["article", *COUNTED, "last worked", "by"]
    body = [[r.file, *(str(r.counts[k]) for k in COUNTED), _when(r.last_at), r.last_by or ""] if not r.problem
            else [r.file, *([""] * len(COUNTED)), "", f"cannot be read: {r.problem}"] for r in rows]
    t = total(rows)
    body.append([f"total: {len(rows)} article{'s' if len(rows) != 1 else ''}", *(str(t[k]) for k in COUNTED), "", ""])
    return _table(header, body, right=set(range(1, len(COUNTED) + 1)))


def _csv(header: list[str], rows: list[list]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for r in rows:
        w.writerow([audit_report.csv_safe("" if x is None else str(x)) for x in r])
    return audit_report.BOM + buf.getvalue()


def article_csv(rows: list[Article]) -> str:
    body = [[r.file, r.title, *(r.counts[k] for k in COUNTED), _when(r.last_at), r.last_by, r.problem] for r in rows]
    t = total(rows)
    body.append(["(total)", f"{len(rows)} articles", *(t[k] for k in COUNTED), "", "", ""])
    return _csv(["file", "title", *COUNTED, "last_worked", "by", "problem"], body)


def article_json(rows: list[Article]) -> str:
    docs = [{"file": r.file, "title": r.title, **r.counts, "last_worked": _when(r.last_at) or None,
             "by": r.last_by, **({"problem": r.problem} if r.problem else {})} for r in rows]
    return json.dumps({"articles": docs, "total": {"articles": len(rows), **total(rows)}},
                      ensure_ascii=False, indent=2) + "\n"


OPEN_FIELDS = ("file", "claim", "status", "trigger", "value", "speaker")


TRIGGER_WIDTH = 30  # an attribution's trigger can be a whole clause: the text table cuts it there


def _cut(text: str, width: int) -> str:
    if _width(text) <= width:
        return text
    while _width(text) > width - 1:
        text = text[:-1]
    return text + "…"


def open_text(items: list[Open]) -> str:
    if not items:
        return ""
    rows = [[_cut(v, TRIGGER_WIDTH) if k == "trigger" else v for k, v in ((k, getattr(i, k)) for k in OPEN_FIELDS)]
            for i in items]
    return _table(list(OPEN_FIELDS), rows, right=set())


def open_csv(items: list[Open]) -> str:
    return _csv(list(OPEN_FIELDS), [[getattr(i, k) for k in OPEN_FIELDS] for i in items])


def open_json(items: list[Open]) -> str:
    return json.dumps([asdict(i) for i in items], ensure_ascii=False, indent=2) + "\n"
