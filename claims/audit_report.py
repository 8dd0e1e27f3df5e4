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
from .opening import Opened, iso, judged
from .yamlio import dump


def value_text(c: Claim) -> str:
    if c.kind.value == "attribution":
        return c.speaker.name if c.speaker else ""
    if c.value is None:
        return ""
    v = f"{c.value}" if c.value_high is None else f"{c.value}–{c.value_high}"
    return f"{v} {c.unit}" if c.unit else v


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
        for c in o.cf.claims:
            if f.status is not None and c.status != f.status:
                continue
            if f.event_filter() and c.id not in history:
                continue
            rec = {
                "id": c.id, "kind": c.kind.value, "trigger": c.trigger.text, "value": value_text(c),
                "status": c.status.value, "note": c.note, "evidence": list(c.evidence),
                "reviewed_by": c.reviewed_by, "reviewed_at": iso(c.reviewed_at) if c.reviewed_at else None,
            }
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
                         "audit_head": o.head, "claims": claims})
    return docs


def audit_yaml(docs: list[dict], f: Filters) -> str:
    head = {
        k: iso(v) if isinstance(v, datetime) else getattr(v, "value", v)
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
