"""The audit report of reviewed claims (YAML, CSV, Markdown): status, value and history per claim."""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from . import audit
from .model import Claim, Status
from .opening import Opened, iso, judged, sentence_around
from .values import shown
from .yamlio import dump

# A report counts these apart, in this order: dismissed claims are no claims of the article,
# and orphans (their words left the article) are not in it any more.
COUNTED = ("verified", "disputed", "pending", "dismissed")


def value_text(c: Claim) -> str:
    """The value as every view shows it (`claims.values.shown`)."""
    return shown(c)


def _sentence(c: Claim, article: str | None) -> str:
    """The sentence a claim is in, from the article when it still holds it; else its clause."""
    if article is None or c.orphaned_at is not None or article[c.span.start:c.span.end] != c.text:
        return c.text
    return sentence_around(article, c.trigger.start, c.trigger.end).strip()


def counts(claims: list[dict]) -> dict[str, int]:
    """Live claims by status, and orphans apart (whatever their status)."""
    live = [c for c in claims if not c.get("orphaned_at")]
    out = {s: sum(1 for c in live if c["status"] == s) for s in COUNTED}
    out["orphaned"] = len(claims) - len(live)
    return out


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
                    {"time": iso(e.time), "reviewer": e.reviewer, "field": e.field, "old": e.old, "new": e.new}
                )
        claims = []
        article = o.article()
        for c in o.cf.claims:
            if f.status is not None and c.status != f.status:
                continue
            if f.event_filter() and c.id not in history:
                continue
            rec = {
                "id": c.id, "kind": c.kind.value, "trigger": c.trigger.text, "value": value_text(c),
                "sentence": _sentence(c, article), "speaker": c.speaker.name if c.speaker else None,
                "status": c.status.value, "note": c.note, "evidence": list(c.evidence),
                "reviewed_by": c.reviewed_by, "reviewed_at": iso(c.reviewed_at) if c.reviewed_at else None,
            }
            if getattr(c, "reason", None):
                rec["reason"] = c.reason  # why it was dismissed
            if c.orphaned_at:
                rec["orphaned_at"] = iso(c.orphaned_at)
            v = verdicts.get(c.id)
            if v:
                rec["earlier_verdict"] = v.__dict__
            rec["history"] = history.get(c.id, [])
            claims.append(rec)
        if claims:
            d = o.cf.document
            docs.append({"id": d.id, "title": d.title, "date": d.date, "claim_file": str(o.path),
                         "audit_head": o.head, "counts": counts(claims), "claims": claims})
    return docs


def audit_yaml(docs: list[dict], f: Filters) -> str:
    head = {
        k: iso(v) if isinstance(v, datetime) else getattr(v, "value", v)
        for k, v in f.__dict__.items()
        if v is not None
    }
    return dump({"filters": head, "documents": docs})


# One row per claim (the default): what a desk reads in a spreadsheet.
CLAIM_HEADER = ["document", "title", "claim", "kind", "sentence", "speaker", "trigger", "value", "status",
                "reason", "note", "evidence", "reviewer", "time", "orphaned_at", "earlier_verdict", "audit_head"]
# One row per change (`--history`). New columns go at the end: scripts read the older ones by position.
CSV_HEADER = ["document", "title", "claim", "kind", "trigger", "value", "status", "note",
              "time", "reviewer", "field", "old", "new", "orphaned_at", "earlier_verdict", "audit_head",
              "sentence", "speaker", "evidence", "reason"]
# Spreadsheet programs read a CSV file without it in the locale's code page, and the Chinese
# comes out garbled; with it, as UTF-8 (Python reads it back with encoding="utf-8-sig").
BOM = "\ufeff"
# A cell a spreadsheet would read as a formula (OWASP's CSV injection list).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(cell: str) -> str:
    """A cell that a spreadsheet shows as text: one that begins like a formula gets a `'` first."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell


def audit_csv(docs: list[dict], history: bool = False) -> str:
    """The report as CSV with a BOM: a row per claim, or with `history` a row per change."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(CSV_HEADER if history else CLAIM_HEADER)
    for d in docs:
        head = f"{d['audit_head']['hash']}:{d['audit_head']['events']}"
        for c in d["claims"]:
            evidence = "\n".join(c["evidence"])  # one link a line: a spreadsheet shows them stacked
            if not history:
                w.writerow(_safe_row([d["id"], d["title"], c["id"], c["kind"], c["sentence"], c["speaker"],
                                      c["trigger"], c["value"], c["status"], c.get("reason"), c["note"], evidence,
                                      c["reviewed_by"], c["reviewed_at"], c.get("orphaned_at"),
                                      _earlier(c.get("earlier_verdict")), head]))
                continue
            base = [d["id"], d["title"], c["id"], c["kind"], c["trigger"], c["value"], c["status"], c["note"]]
            tail = [c.get("orphaned_at") or "", _earlier(c.get("earlier_verdict")), head,
                    c["sentence"], c["speaker"], evidence, c.get("reason")]
            for h in c["history"] or [{}]:
                w.writerow(_safe_row(base + [h.get("time", ""), h.get("reviewer", ""), h.get("field", ""),
                                             _cell(h.get("old")), _cell(h.get("new"))] + tail))
    return BOM + buf.getvalue()


def _safe_row(row: list) -> list[str]:
    return [csv_safe(str(x if x is not None else "")) for x in row]


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


def headings(docs: list[dict]) -> list[str]:
    """A heading per document that no other in the report has: its title and file name, and
    the claim file's path where two articles share both (two folders' 新闻.txt)."""
    first = [f"{d['title'] or d['id']} · {d['id']}" if d["title"] and d["title"] != d["id"] else d["id"]
             for d in docs]
    return [f"{h} · {d['claim_file']}" if first.count(h) > 1 else h for h, d in zip(first, docs, strict=True)]


def _in_sentence(c: dict) -> str:
    """The sentence with the claim's trigger in bold (escaped for a table cell)."""
    sentence, trigger = c["sentence"], c["trigger"]
    at = sentence.find(trigger)
    if at < 0 or not trigger.strip():
        return _md(sentence)
    return f"{_md(sentence[:at])}**{_md(trigger)}**{_md(sentence[at + len(trigger):])}"


def audit_markdown(docs: list[dict]) -> str:
    out = [MARKDOWN_MARK, ""]  # how a later `-o` knows the file is a report of ours
    for d, heading in zip(docs, headings(docs), strict=True):
        # Dismissed claims and orphans are counted apart, or the header adds up to more claims
        # than the article makes.
        n = counts(d["claims"])
        apart = "".join(f" · {n[k]} {k}" for k in ("dismissed", "orphaned") if n[k])
        out.append(f"## {_md(heading)}\n")
        out.append(f"{_md(d['date'] or 'undated')} · {n['verified']} verified · {n['disputed']} disputed · "
                   f"{n['pending']} pending{apart}"
                   f" · audit log head `{d['audit_head']['hash'][:16]}` ({d['audit_head']['events']} events)\n")
        if any(c.get("earlier_verdict") for c in d["claims"]):
            out.append("↺ the same claim was judged in another article: that verdict, where, who and when.\n")
        out.append("| status | kind | claim | value | sentence | evidence | reviewer | note | changes |")
        out.append("|---|---|---|---|---|---|---|---|---|")
        for c in d["claims"]:
            who = f"{c['reviewed_by']} {c['reviewed_at'][:16]}" if c["reviewed_at"] else ""
            status = c["status"] + (f" ({c['reason']})" if c.get("reason") else "")
            status += f" · **orphaned** {c['orphaned_at'][:10]}" if c.get("orphaned_at") else ""
            claim = c["trigger"] + (f" ↺ {_earlier(c['earlier_verdict'])}" if c.get("earlier_verdict") else "")
            evidence = "<br>".join(_md(e) for e in c["evidence"])  # after escaping: the only live tag
            out.append(f"| {_md(status)} | {c['kind']} | {_md(claim)} | {_md(c['value'])} | {_in_sentence(c)} | "
                       f"{evidence} | {_md(who)} | {_md(c['note'])} | {len(c['history'])} |")
        out.append("")
    return "\n".join(out)
