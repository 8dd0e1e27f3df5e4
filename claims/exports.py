"""Exports of reviewed claims: the audit trail (YAML, CSV, Markdown) and ClaimReview JSON-LD."""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from . import agreement, audit, store
from .model import Claim, ClaimFile, Status
from .repeats import Judged, Verdict, content_key  # noqa: F401  (content_key moved; still importable here)
from .text import decode, paragraphs, sentences
from .yamlio import FileError, dump

RATINGS = {Status.verified: (3, "属实"), Status.disputed: (1, "有争议")}
MAX_CLAIM_REVIEWED = 74  # Google shows claimReviewed in full only under 75 characters


def _iso(t: datetime) -> str:
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
    """Every claim file named or found, with its log's events. Refused (FileError naming each
    file) when a log does not verify or disagrees with its claim file: an export must not
    publish decisions the record does not hold, nor leave out ones it does."""
    out, problems = [], []
    for p in claim_files(paths):
        cf = store.load(p)
        log = audit.log_path(p)
        found = audit.verify(log) if log.exists() else []
        events = audit.read(log).events if not found else []
        found = found or agreement.full_check(p, cf, events)
        if not found:
            a = agreement.check(p, cf)
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


CLAIM_SUFFIXES = (".claims.yaml", ".claims.yml")


def beside(paths: list[str]) -> list[Path]:
    """The claim files in the folder of each claim file named (not below it): the articles a
    single file's claims may already have been judged in, as the review UI counts them for a
    claim file opened alone. Folders named are already read whole."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_file():
            try:
                out += sorted(f for f in p.parent.iterdir() if f.name.endswith(CLAIM_SUFFIXES) and f.is_file())
            except OSError:
                continue
    return out


def value_text(c: Claim) -> str:
    if c.kind.value == "attribution":
        return c.speaker.name if c.speaker else ""
    if c.value is None:
        return ""
    v = f"{c.value}" if c.value_high is None else f"{c.value}–{c.value_high}"
    return f"{v} {c.unit}" if c.unit else v


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


def earlier_verdicts(opened: list[Opened], others: Iterable[Path] = ()) -> dict[tuple[str, str], Verdict]:
    """For each claim, the most recent verdict on the same claim in another article of the set."""
    j = judged(opened, others)
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


def audit_records(opened: list[Opened], f: Filters, others: Iterable[Path] = ()) -> list[dict]:
    """Per document and claim: current status, trigger, value, the earlier verdict on the same
    claim in another of the files (or of `others`, see `beside`) and the (filtered) history."""
    seen = judged(opened, others)
    docs = []
    for o in opened:
        verdicts = seen.verdicts(o.path, o.cf)
        history: dict[str, list[dict]] = {}
        for e in o.events:
            if f.keeps(e):
                history.setdefault(e.claim, []).append(
                    {"time": _iso(e.time), "reviewer": e.reviewer, "field": e.field, "old": e.old, "new": e.new}
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
                "reviewed_by": c.reviewed_by, "reviewed_at": _iso(c.reviewed_at) if c.reviewed_at else None,
            }
            if c.orphaned_at:
                rec["orphaned_at"] = _iso(c.orphaned_at)
            v = verdicts.get(c.id)
            if v:
                rec["earlier_verdict"] = v.__dict__
            rec["history"] = history.get(c.id, [])
            claims.append(rec)
        if claims:
            d = o.cf.document
            docs.append({"id": d.id, "title": d.title, "date": d.date, "claim_file": str(o.path),
                         "audit_head": o.head, "claims": claims})
    return docs


def audit_yaml(docs: list[dict], f: Filters) -> str:
    head = {
        k: _iso(v) if isinstance(v, datetime) else getattr(v, "value", v)
        for k, v in f.__dict__.items()
        if v is not None
    }
    return dump({"filters": head, "documents": docs})


CSV_HEADER = ["document", "title", "claim", "kind", "trigger", "value", "status", "note",
              "time", "reviewer", "field", "old", "new", "orphaned_at", "earlier_verdict", "audit_head"]
# A cell a spreadsheet would read as a formula (OWASP's CSV injection list).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(cell: str) -> str:
    """A cell that a spreadsheet shows as text: one that begins like a formula gets a `'` first."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def audit_csv(docs: list[dict]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf)
    # New columns go at the end: spreadsheets and scripts read the older ones by position.
    w.writerow(CSV_HEADER)
    for d in docs:
        head = f"{d['audit_head']['hash']}:{d['audit_head']['events']}"
        for c in d["claims"]:
            base = [d["id"], d["title"], c["id"], c["kind"], c["trigger"], c["value"], c["status"], c["note"]]
            tail = [c.get("orphaned_at") or "", _earlier(c.get("earlier_verdict")), head]
            rows = c["history"] or [{}]
            for h in rows:
                row = base + [h.get("time", ""), h.get("reviewer", ""), h.get("field", ""),
                              _cell(h.get("old")), _cell(h.get("new"))] + tail
                w.writerow([csv_safe(str(x if x is not None else "")) for x in row])
    return buf.getvalue()


def _earlier(v: dict | None) -> str:
    """An earlier verdict in a few words: what, where (document/claim), who and when."""
    if not v:
        return ""
    who = " ".join(x for x in (v.get("reviewed_by"), (v.get("reviewed_at") or "")[:10]) if x)
    return f"{v['status']} in {v['document']}/{v['claim']}" + (f" ({who})" if who else "")


def _cell(v) -> str:
    if v is None:
        return ""
    return v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)


_HTML = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def _md(s) -> str:
    # A table cell: pipes and line breaks would end the cell or the row, and HTML in a note or
    # an article (<script>, <img onerror>) would be live in most Markdown renderers.
    return str(s if s is not None else "").translate(_HTML).replace("|", "\\|").replace("\n", " ")


MARKDOWN_MARK = "<!-- written by claimcheck audit export -->"


def audit_markdown(docs: list[dict]) -> str:
    out = [MARKDOWN_MARK, ""]  # how a later `-o` knows the file is a report of ours
    for d in docs:
        # Orphans (their words left the article) are not claims of the article any more: counted
        # apart, or the header adds up to more claims than the article has.
        live = [c for c in d["claims"] if not c.get("orphaned_at")]
        counts = {s: sum(1 for c in live if c["status"] == s) for s in ("verified", "disputed", "pending")}
        orphaned = len(d["claims"]) - len(live)
        out.append(f"## {_md(d['title'] or d['id'])}\n")
        out.append(f"{_md(d['date'] or 'undated')} · {counts['verified']} verified · {counts['disputed']} disputed · "
                   f"{counts['pending']} pending" + (f" · {orphaned} orphaned" if orphaned else "") +
                   f" · audit log head `{d['audit_head']['hash'][:16]}` ({d['audit_head']['events']} events)\n")
        if any(c.get("earlier_verdict") for c in d["claims"]):
            out.append("↺ the same claim was judged in another article: that verdict, where, who and when.\n")
        out.append("| status | kind | claim | value | reviewer | note | changes |")
        out.append("|---|---|---|---|---|---|---|")
        for c in d["claims"]:
            who = f"{c['reviewed_by']} {c['reviewed_at'][:16]}" if c["reviewed_at"] else ""
            status = c["status"] + (f" · **orphaned** {c['orphaned_at'][:10]}" if c.get("orphaned_at") else "")
            claim = c["trigger"] + (f" ↺ {_earlier(c['earlier_verdict'])}" if c.get("earlier_verdict") else "")
            out.append(f"| {status} | {c['kind']} | {_md(claim)} | {_md(c['value'])} | {_md(who)} | "
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
    # The audit log's head when this was published: `claimcheck audit verify --head` shows
    # later that the record behind the verdict was not rewritten.
    review["identifier"] = {"@type": "PropertyValue", "propertyID": "claimcheck-audit-head",
                            "value": f"{o.head['hash']}:{o.head['events']}"}
    if c.reviewed_at:
        review["datePublished"] = c.reviewed_at.date().isoformat()
    if c.note:
        review["reviewRating"]["ratingExplanation"] = c.note
    return review


def claim_reviews(opened: list[Opened], org: str, review_url: str, article_url: str | None = None) -> list[dict]:
    """The ClaimReview of every live verified or disputed claim.

    Raises FileError, naming each one, when a claim file with something to publish no longer
    matches its article (changed or missing): a review would quote words the article may not
    hold any more. The whole export is refused, not just those files: a ClaimReview feed is
    regenerated and replaced whole, so leaving a file out would silently withdraw its published
    reviews, and a desk would rather re-extract (which keeps every decision) and publish once.
    """
    stale = stale_articles([o for o in opened if any(c.status in RATINGS and c.orphaned_at is None
                                                     for c in o.cf.claims)])
    if len(stale) == 1 and len(opened) == 1:
        raise FileError([f"{stale[0]}; no ClaimReview written"])
    if stale:
        raise FileError([*stale, f"no ClaimReview written: {len(stale)} of {len(opened)} claim files "
                                 "no longer match their articles (re-extract them, then export again)"])
    out = []
    for o in opened:
        article = o.article()
        out += [
            claim_review(o, c, org, review_url, article_url, article)
            for c in o.cf.claims
            if c.status in RATINGS and c.orphaned_at is None
        ]
    return out


_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def claim_review_json(reviews: list[dict]) -> str:
    """JSON-LD safe to paste into a page's <script type="application/ld+json">: `<`, `>` and `&`
    are written as escapes, so `</script>` in a note cannot end the element (JSON reads them
    back as the same characters)."""
    return json.dumps(reviews, ensure_ascii=False, indent=2).translate(_SCRIPT_SAFE) + "\n"
