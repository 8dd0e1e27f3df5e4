"""Exports of reviewed claims: the audit trail (YAML, CSV, Markdown) and ClaimReview JSON-LD."""
from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from . import audit, store
from .model import Claim, ClaimFile, Status
from .repeats import Judged, Verdict, content_key  # noqa: F401  (content_key moved; still importable here)
from .text import decode, paragraphs, sentences
from .yamlio import FileError, dump

RATINGS = {Status.verified: (3, "属实"), Status.disputed: (1, "有争议")}
MAX_CLAIM_REVIEWED = 74  # Google shows claimReviewed in full only under 75 characters


@dataclass
class Opened:
    path: Path
    cf: ClaimFile
    events: list[audit.Event]

    def article(self) -> str | None:
        """The article's text, if it is where the claim file says and unchanged since extraction."""
        return find_article(self.path, self.cf)


def find_article(claim_file: Path, cf: ClaimFile) -> str | None:
    """The text of a claim file's article; None when it is missing or its bytes changed since
    extraction (offsets would point at the wrong words)."""
    found = store.locate_article(claim_file, cf)
    if found is None or hashlib.sha256(found[1]).hexdigest() != cf.document.sha256:
        return None
    try:
        return decode(found[1], str(found[0]))[0]
    except FileError:
        return None


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence holding [start, end) in an article."""
    for para in paragraphs(text):
        if para.start <= start < para.end:
            for s in sentences(text, para):
                if s.start <= start < s.end:
                    return text[s.start : max(s.end, end)]
    return text[start:end]


def claim_files(paths: list[str]) -> list[Path]:
    """Claim files named, or found (*.claims.yaml) in the folders named."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(p.rglob("*.claims.yaml"))
            if not found:
                raise FileError([f"{p}: no claim files (*.claims.yaml) in this folder"])
            out += found
        elif p.exists():
            out.append(p)
        else:
            raise FileError([f"{p}: no such file"])
    return out


def open_all(paths: list[str]) -> list[Opened]:
    return [Opened(p, store.load(p), audit.read(audit.log_path(p)).events) for p in claim_files(paths)]


def value_text(c: Claim) -> str:
    if c.kind.value == "attribution":
        return c.speaker.name if c.speaker else ""
    if c.value is None:
        return ""
    v = f"{c.value}" if c.value_high is None else f"{c.value}–{c.value_high}"
    return f"{v} {c.unit}" if c.unit else v


# --- repeated claims ----------------------------------------------------------------------


def judged(opened: list[Opened]) -> Judged:
    """The judged claims of the opened files, for `Judged.verdicts`."""
    j = Judged()
    for o in opened:
        j.add(o.path, o.cf)
    return j


def earlier_verdicts(opened: list[Opened]) -> dict[tuple[str, str], Verdict]:
    """For each claim, the most recent verdict on the same claim in another article of the set."""
    j = judged(opened)
    return {(o.cf.document.id, cid): v for o in opened for cid, v in j.verdicts(o.path, o.cf).items()}


# --- audit export -------------------------------------------------------------------------


@dataclass
class Filters:
    since: datetime | None = None
    until: datetime | None = None
    reviewer: str | None = None
    status: Status | None = None

    def event_filter(self) -> bool:
        return any((self.since, self.until, self.reviewer))

    def keeps(self, e: audit.Event) -> bool:
        return (
            (self.since is None or e.time >= self.since)
            and (self.until is None or e.time <= self.until)
            and (self.reviewer is None or e.reviewer == self.reviewer)
        )


def audit_records(opened: list[Opened], f: Filters) -> list[dict]:
    """Per document and claim: current status, trigger, value and the (filtered) history."""
    seen = judged(opened)
    docs = []
    for o in opened:
        verdicts = seen.verdicts(o.path, o.cf)
        history: dict[str, list[dict]] = {}
        for e in o.events:
            if f.keeps(e):
                history.setdefault(e.claim, []).append(
                    {"time": e.time.isoformat(), "reviewer": e.reviewer, "field": e.field, "old": e.old, "new": e.new}
                )
        claims = []
        for c in o.cf.claims:
            if f.status is not None and c.status != f.status:
                continue
            if f.event_filter() and c.id not in history:
                continue
            rec = {
                "id": c.id, "kind": c.kind.value, "trigger": c.trigger.text, "value": value_text(c),
                "status": c.status.value, "note": c.note, "evidence": list(c.evidence),
                "reviewed_by": c.reviewed_by, "reviewed_at": c.reviewed_at.isoformat() if c.reviewed_at else None,
            }
            if c.orphaned_at:
                rec["orphaned_at"] = c.orphaned_at.isoformat()
            v = verdicts.get(c.id)
            if v:
                rec["earlier_verdict"] = v.__dict__
            rec["history"] = history.get(c.id, [])
            claims.append(rec)
        if claims:
            d = o.cf.document
            docs.append({"id": d.id, "title": d.title, "date": d.date, "claim_file": str(o.path), "claims": claims})
    return docs


def audit_yaml(docs: list[dict], f: Filters) -> str:
    head = {
        k: v.isoformat() if isinstance(v, datetime) else getattr(v, "value", v)
        for k, v in f.__dict__.items()
        if v is not None
    }
    return dump({"filters": head, "documents": docs})


def audit_csv(docs: list[dict]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["document", "title", "claim", "kind", "trigger", "value", "status", "note",
                "time", "reviewer", "field", "old", "new"])
    for d in docs:
        for c in d["claims"]:
            base = [d["id"], d["title"], c["id"], c["kind"], c["trigger"], c["value"], c["status"], c["note"]]
            rows = c["history"] or [{}]
            for h in rows:
                w.writerow(base + [h.get("time", ""), h.get("reviewer", ""), h.get("field", ""),
                                   _cell(h.get("old")), _cell(h.get("new"))])
    return buf.getvalue()


def _cell(v) -> str:
    if v is None:
        return ""
    return v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)


def _md(s) -> str:
    # A table cell: pipes and line breaks would end the cell or the row.
    return str(s if s is not None else "").replace("|", "\\|").replace("\n", " ")


def audit_markdown(docs: list[dict]) -> str:
    out = []
    for d in docs:
        counts = {s: sum(1 for c in d["claims"] if c["status"] == s) for s in ("verified", "disputed", "pending")}
        out.append(f"## {_md(d['title'] or d['id'])}\n")
        out.append(f"{d['date'] or 'undated'} · {counts['verified']} verified · {counts['disputed']} disputed · "
                   f"{counts['pending']} pending\n")
        out.append("| status | kind | claim | value | reviewer | note | changes |")
        out.append("|---|---|---|---|---|---|---|")
        for c in d["claims"]:
            who = f"{c['reviewed_by']} {c['reviewed_at'][:16]}" if c["reviewed_at"] else ""
            out.append(f"| {c['status']} | {c['kind']} | {_md(c['trigger'])} | {_md(c['value'])} | {_md(who)} | "
                       f"{_md(c['note'])} | {len(c['history'])} |")
        out.append("")
    return "\n".join(out)


# --- ClaimReview ----------------------------------------------------------------------------


def _short(text: str, focus: str, limit: int = MAX_CLAIM_REVIEWED) -> str:
    """At most `limit` characters of `text`, keeping `focus` (the trigger) in view."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    at = max(text.find(focus), 0)
    start = max(0, min(at - limit // 3, len(text) - limit + 2))
    piece = text[start : start + limit - 2]
    return ("…" if start else "") + piece + ("…" if start + len(piece) < len(text) else "")


def claim_review(o: Opened, c: Claim, org: str, review_url: str, article_url: str | None,
                 article: str | None = None) -> dict:
    """One schema.org ClaimReview for a verified or disputed claim."""
    value, label = RATINGS[c.status]
    # The sentence says what was claimed; the clause alone may lack its subject.
    reviewed = sentence_around(article, c.trigger.start, c.trigger.end) if article else c.text
    item: dict = {"@type": "Claim"}
    if c.speaker:
        kind = "Organization" if any(w in c.speaker.name for w in ("、", "等")) else "Person"
        item["author"] = {"@type": kind, "name": c.speaker.name}
        if c.speaker.title:
            item["author"]["jobTitle"] = c.speaker.title
    if o.cf.document.date:
        item["datePublished"] = o.cf.document.date
    url = article_url or o.cf.document.url
    if url:
        item["appearance"] = {"@type": "CreativeWork", "url": url, "headline": o.cf.document.title}
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"{review_url.rstrip('#')}#{o.cf.document.id}-{c.id}",
        "claimReviewed": _short(reviewed, c.trigger.text),
        "itemReviewed": item,
        "author": {"@type": "Organization", "name": org},
        "reviewRating": {
            "@type": "Rating", "ratingValue": value, "bestRating": 3, "worstRating": 1, "alternateName": label,
        },
    }
    if c.reviewed_at:
        review["datePublished"] = c.reviewed_at.date().isoformat()
    if c.note:
        review["reviewRating"]["ratingExplanation"] = c.note
    return review


def claim_reviews(opened: list[Opened], org: str, review_url: str, article_url: str | None = None) -> list[dict]:
    out = []
    for o in opened:
        article = o.article()
        out += [
            claim_review(o, c, org, review_url, article_url, article)
            for c in o.cf.claims
            if c.status in RATINGS and c.orphaned_at is None
        ]
    return out
