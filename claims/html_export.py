"""A picture of an article: one self-contained HTML page with every claim highlighted in the
article's own text, coloured by status, its value, speaker, note and evidence shown on hover,
and a summary table. No script and nothing fetched: the page prints and mails as one file.

Everything from a claim file or an article is escaped: a note or an article may hold any text
(`<script>`, a quote that would close an attribute), and a page that ran it would be a page
anyone who can write a note could take over.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass

from .audit_report import COUNTED
from .errors import FileError
from .model import Claim, Status
from .opening import Opened, check_article
from .values import shown

# How a later `-o` knows the page is one of ours (outputs.sniff_prefix): the page's first bytes.
HTML_MARK = "<!DOCTYPE html>\n<!-- written by claimcheck export --format html -->"
STATUSES = tuple(s.value for s in Status)
SAFE_LINK = re.compile(r"^https?://[^\s\"'<>]+$", re.I)  # only these become links: no javascript:
# Control characters (an ESC pasted with an article) are shown as escapes, never passed on.
_CONTROLS = {c: f"\\x{c:02x}" for c in (*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0))}

CSS = """
:root { --verified: #1a7f37; --disputed: #cf222e; --pending: #9a6700; --dismissed: #6e7781; }
body { font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", "Source Han Serif", "Songti SC", serif;
       max-width: 62rem; margin: 2rem auto; padding: 0 1rem; color: #1f2328; line-height: 1.9; }
h1 { font-size: 1.6rem; line-height: 1.4; margin-bottom: .2rem; }
h2 { font-size: 1.15rem; margin-top: 2rem; }
.meta { color: #57606a; font-size: .85rem; margin: 0 0 1rem; }
.legend span, .counts span { margin-right: 1rem; white-space: nowrap; }
.article { position: relative; white-space: pre-wrap; font-size: 1.05rem; border-top: 1px solid #d0d7de;
           padding-top: 1rem; }
mark { background: none; color: inherit; padding: 0 1px; border-radius: 2px;
       -webkit-print-color-adjust: exact; print-color-adjust: exact; }
mark.verified { background: #dafbe1; border-bottom: 2px solid var(--verified); }
mark.disputed { background: #ffebe9; border-bottom: 2px solid var(--disputed);
                text-decoration: underline wavy var(--disputed); text-underline-offset: 5px; }
mark.pending { background: #fff8c5; border-bottom: 2px dashed var(--pending); }
mark.dismissed { background: #eaeef2; border-bottom: 2px dotted var(--dismissed); color: #57606a;
                 text-decoration: line-through; }
mark mark { padding: 0; }
/* The tip of the claim under the pointer (the innermost of nested claims only), under its line
   from the article's left edge: placed there it never runs off the page. */
mark[data-tip]:hover:not(:has(mark:hover))::after {
  content: attr(data-tip); position: absolute; left: 0; margin-top: 2em; z-index: 10; width: max-content;
  max-width: min(30rem, 100%); white-space: pre-wrap; text-decoration: none; font: .8rem/1.5 system-ui, sans-serif;
  color: #1f2328; background: #fff; border: 1px solid #d0d7de; border-radius: 6px; padding: .5rem .7rem;
  box-shadow: 0 4px 12px rgba(0,0,0,.15); }
.swatch { display: inline-block; width: .9em; height: .9em; vertical-align: -.1em; margin-right: .3em;
          border-radius: 2px; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.swatch.verified { background: var(--verified); } .swatch.disputed { background: var(--disputed); }
.swatch.pending { background: var(--pending); } .swatch.dismissed { background: var(--dismissed); }
table { border-collapse: collapse; width: 100%; font: .8rem/1.45 system-ui, "Noto Sans CJK SC", sans-serif; }
th, td { border: 1px solid #d0d7de; padding: .3rem .45rem; text-align: left; vertical-align: top; }
th { background: #f6f8fa; }
td.status { font-weight: 600; white-space: nowrap; }
tr.verified td.status { color: var(--verified); } tr.disputed td.status { color: var(--disputed); }
tr.pending td.status { color: var(--pending); } tr.dismissed td.status { color: var(--dismissed); }
tr.orphaned td { color: #6e7781; font-style: italic; }
td a { color: #0969da; }
td.evidence a { word-break: break-all; }
td.note, td.reviewed { overflow-wrap: anywhere; }
td.id { font: .75rem ui-monospace, monospace; } td.words { min-width: 5em; }
@media print {
  body { max-width: none; margin: 0; font-size: 11pt; }
  mark::after, .hint { display: none !important; }
  a { color: inherit; text-decoration: none; }
  table { page-break-inside: auto; } tr { page-break-inside: avoid; }
  section + section { page-break-before: always; }
}
"""


def esc(text: object) -> str:
    """Text for an HTML element or a quoted attribute: markup characters, quotes and control
    characters escaped."""
    return html.escape(str(text if text is not None else "").translate(_CONTROLS), quote=True)


@dataclass(frozen=True)
class _Mark:
    claim: Claim
    start: int
    end: int


def _tip(c: Claim) -> str:
    """What hovering over a claim shows: what it is, its value, speaker, note and evidence."""
    lines = [f"{c.status.value}{' (' + c.reason + ')' if c.reason else ''} · {c.kind.value} · {c.id}"]
    if c.value is not None:
        lines.append(f"value: {shown(c)}")
    if c.speaker is not None:
        lines.append(f"speaker: {c.speaker.name}{' (' + c.speaker.title + ')' if c.speaker.title else ''}")
    if c.note:
        lines.append(f"note: {c.note}")
    lines += [f"evidence: {e}" for e in c.evidence]
    if c.reviewed_by:
        lines.append(f"reviewed by {c.reviewed_by}{' ' + _when(c) if c.reviewed_at else ''}")
    return "\n".join(lines)


def _when(c: Claim) -> str:
    return c.reviewed_at.strftime("%Y-%m-%d %H:%M") if c.reviewed_at else ""


def _open_tag(m: _Mark, first: bool, prefix: str) -> str:
    # A claim split round another it crosses is one claim in pieces: the first carries its id.
    ident = f' id="{prefix}-{esc(m.claim.id)}"' if first else ""
    cls = m.claim.status.value + ("" if first else " cont")
    return f'<mark{ident} class="{cls}" data-claim="{esc(m.claim.id)}" data-tip="{esc(_tip(m.claim))}">'


def highlight(text: str, claims: list[Claim], prefix: str = "c") -> str:
    """The article as HTML with each live claim's trigger in a <mark> (its id `prefix-ID`).
    Nested triggers nest; a trigger that crosses another (starts inside it, ends after it) is
    closed where the other ends and reopened as a continuation piece, so every element is well
    formed."""
    marks = [_Mark(c, c.trigger.start, c.trigger.end) for c in claims
             if c.orphaned_at is None and c.trigger.end <= len(text) and c.trigger.start < c.trigger.end]
    starts: dict[int, list[_Mark]] = {}
    for m in marks:
        starts.setdefault(m.start, []).append(m)
    cuts = sorted({0, len(text), *(m.start for m in marks), *(m.end for m in marks)})
    out: list[str] = []
    stack: list[_Mark] = []
    for here, there in zip(cuts, cuts[1:] + [None]):
        ending = [m for m in stack if m.end == here]
        if ending:
            # Close down to the deepest claim that ends here, then reopen those still going.
            depth = min(stack.index(m) for m in ending)
            above = stack[depth:]
            out.append("</mark>" * len(above))
            del stack[depth:]
            for m in above:
                if m.end > here:
                    out.append(_open_tag(m, first=False, prefix=prefix))
                    stack.append(m)
        # Longer claims open first, so that shorter ones starting here nest inside them.
        for m in sorted(starts.get(here, []), key=lambda m: (-m.end, m.claim.id)):
            out.append(_open_tag(m, first=True, prefix=prefix))
            stack.append(m)
        if there is not None:
            out.append(esc(text[here:there]))
    out.append("</mark>" * len(stack))
    return "".join(out)


def _counts(claims: list[Claim]) -> dict[str, int]:
    live = [c for c in claims if c.orphaned_at is None]
    out = {s: sum(1 for c in live if c.status.value == s) for s in COUNTED}
    out["orphaned"] = len(claims) - len(live)
    return out


def _link(e: str) -> str:
    return f'<a href="{esc(e)}">{esc(e)}</a>' if SAFE_LINK.match(e) else esc(e)


def _row(c: Claim, prefix: str) -> str:
    status = c.status.value + (f" ({c.reason})" if c.reason else "")
    words = (f'<a href="#{prefix}-{esc(c.id)}">{esc(c.trigger.text)}</a>' if c.orphaned_at is None
             else f"{esc(c.trigger.text)} (orphaned: no longer in the article)")
    who = f"{c.reviewed_by or ''} {_when(c) if c.reviewed_at else ''}".strip()
    speaker = c.speaker.name if c.speaker else ""
    cls = c.status.value + (" orphaned" if c.orphaned_at else "")
    cells = {"id": esc(c.id), "status": f'<span class="swatch {c.status.value}"></span>{esc(status)}',
             "kind": esc(c.kind.value), "words": words, "value": esc(shown(c) if c.value is not None else ""),
             "speaker": esc(speaker), "note": esc(c.note).replace("\n", "<br>"),
             "evidence": "<br>".join(_link(e) for e in c.evidence), "reviewed": esc(who)}
    tds = "".join(f'<td class="{k}">{x}</td>' for k, x in cells.items())
    return f'<tr class="{cls}" data-claim="{esc(c.id)}">{tds}</tr>'


def _section(o: Opened, text: str, prefix: str) -> str:
    d = o.cf.document
    n = _counts(o.cf.claims)
    shown_counts = [k for k in (*COUNTED, "orphaned") if k in STATUSES or n[k]]  # orphans only when there are
    counts = "".join(f'<span class="count-{k}" data-count="{n[k]}"><span class="swatch {k}"></span>{n[k]} {k}</span>'
                     for k in shown_counts)
    meta = [esc(d.date or "undated"), esc(d.id)]
    if d.url:
        meta.append(_link(d.url))
    meta.append(f"audit log head <code>{esc(o.head['hash'][:16])}</code> ({o.head['events']} events)")
    rows = "\n".join(_row(c, prefix) for c in o.cf.claims)
    return f"""<section class="document" data-document="{esc(d.id)}">
<h1>{esc(d.title or d.id)}</h1>
<p class="meta">{" · ".join(meta)}</p>
<p class="counts">{counts}</p>
<div class="article">{highlight(text, o.cf.claims, prefix)}</div>
<h2>Claims</h2>
<table class="summary">
<thead><tr><th>id</th><th>status</th><th>kind</th><th>words</th><th>value</th><th>speaker</th>
<th>note</th><th>evidence</th><th>reviewed</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
</section>"""


def article_text(o: Opened) -> str:
    """The article a claim file's offsets point into, or FileError when it is missing or changed
    (the highlights would fall on other words)."""
    a = check_article(o.path, o.cf)
    if a.stale:
        raise FileError([f"{a.problem()}; the HTML page shows the claims in the article's text"])
    text = o.article()
    if text is None:
        raise FileError([f"{o.path}: the article {a.found} cannot be decoded"])
    return text


def page(opened: list[Opened]) -> str:
    """The page for one or more claim files (a section per article)."""
    # Anchors: c-ID in the first article, c2-ID in the second...: the same article twice (two
    # folders' copies) must not give two elements one id.
    sections = "\n".join(_section(o, article_text(o), "c" if n == 0 else f"c{n + 1}") for n, o in enumerate(opened))
    titles = " · ".join(o.cf.document.title or o.cf.document.id for o in opened)
    legend = "".join(f'<span><span class="swatch {s}"></span>{s}</span>' for s in STATUSES)
    return f"""{HTML_MARK}
<html lang="zh">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="claimcheck">
<title>{esc(titles)} · claims</title>
<style>{CSS}</style>
</head>
<body>
<p class="legend meta">{legend}<span class="hint"> · hover over a highlighted claim for its value, speaker, note and
evidence</span></p>
{sections}
</body>
</html>
"""

