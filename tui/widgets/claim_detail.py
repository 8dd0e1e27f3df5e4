"""The detail pane: the claim in its paragraph, and everything known about it."""
from __future__ import annotations

from datetime import datetime

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from claims.model import Claim, Status
from claims.repeats import Verdict

from .. import display
from ..session import Context

OTHER_CLAUSE_CELLS = 120  # about three lines of the pane: enough to tell whether it is the same claim


def head(claim: Claim) -> Content:
    status = claim.status
    return Content.assemble(
        (f" {display.STATUS_MARK[status]} {status.value} ", f"bold reverse {display.STATUS_VAR[status]}"),
        "  ",
        (claim.kind.value, "bold $text-accent"),
        ("  ·  ", "$text-muted"),
        (claim.id, "$text-muted"),
    )


def paragraph(claim: Claim, ctx: Context, whole: bool = True) -> Content:
    """The paragraph, dimmed but for the claim's sentence; the clause underlined, the trigger lit.
    Not `whole`: the sentence alone, with … where the paragraph goes on (for a short pane)."""
    para = Content(display.safe(ctx.paragraph))
    para = para.stylize("$text-muted")
    para = para.stylize("$foreground", *ctx.sentence)
    para = para.stylize("underline", *ctx.clause)
    para = para.stylize("bold reverse $text-warning", *ctx.trigger)
    if not whole:
        a, b = ctx.sentence
        para = Content.assemble("…" if a > 0 else "", para[a:b], "…" if b < len(ctx.paragraph) else "")
    notes: list = []
    if claim.orphaned_at is not None:
        notes.append((f"No longer in the article (re-extracted {claim.orphaned_at:%Y-%m-%d}); "
                      "kept for its review.\n", "bold $text-error"))
    if ctx.from_article:
        pass
    elif claim.orphaned_at is not None:
        notes.append(("This is the clause as extracted.\n", "italic $text-warning"))
    elif ctx.article_available:
        notes.append(("Not found at its place in the article: this is the clause as extracted.\n",
                      "italic $text-warning"))
    else:
        notes.append(("The article is not available: this is the claim's own clause.\n", "italic $text-warning"))
    return Content.assemble(*notes, para)


def _when(t: datetime | None) -> str:
    return t.strftime("%Y-%m-%d %H:%M %Z").strip() if t else ""


def earlier_verdict(v: Verdict, where: str) -> Text:
    """The verdict on the same claim in another article: what, where, the other clause, who, why."""
    status = Status(v.status)
    out = Text()
    out.append(f"{display.STATUS_MARK[status]} {status.value}", style=display.STATUS_STYLE[status])
    out.append(" in ")
    out.append(display.safe(where), style="bold")
    if v.title:
        out.append("\n" + display.safe(v.title), style="dim")
    # The match leaves out the sentence: its clause lets the editor see that it is the same claim.
    out.append(f"\n“{display.safe(display.shorten(v.text, OTHER_CLAUSE_CELLS))}”" if v.text else "\n")
    out.append(f"  {display.safe(v.claim)}", style="dim")
    if v.reviewed_by or v.reviewed_at:
        when = _when(datetime.fromisoformat(v.reviewed_at)) if v.reviewed_at else ""
        out.append(f"\n{display.safe(v.reviewed_by or '')}  {when}".rstrip(), style="dim")
    if v.note:
        out.append("\n" + display.safe(v.note, multiline=True), style="italic")
    return out


def fields(claim: Claim, label_style: str = "bold", earlier: Text | None = None) -> Table:
    """Value, speaker, rule, note, evidence and review as a two-column grid (values wrap in their
    column); `earlier`, the verdict given on the same claim in another article, last."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, width=9, style=label_style)
    grid.add_column(ratio=1, overflow="fold")  # Chinese has no spaces to wrap at: fold

    def text(s: str, style: str = "") -> Text:
        return Text(display.safe(s, multiline=True), style=style)

    if claim.value is not None:
        v = Text()
        v.append(display.safe(display.value(claim)), style="bold")
        extra = []
        if claim.comparator is not None:
            extra.append(f"comparator {claim.comparator.value}")
        if claim.unit:
            extra.append(f"unit {claim.unit}")
        if claim.currency:
            extra.append(f"currency {claim.currency}")
        if claim.change is not None:
            extra.append(f"change {claim.change.value}")
        if claim.compared is not None:
            extra.append(f"compared {claim.compared.value.replace('_', ' ')}")
        if extra:
            v.append("   ")
            v.append(display.safe(", ".join(extra)), style="dim")
        grid.add_row("Value", v)
    if claim.speaker is not None:
        sp = claim.speaker
        s = Text()
        s.append(display.safe(sp.name), style="bold")
        if sp.cue:
            s.append(f"   cue {display.safe(sp.cue)}", style="dim")
        if sp.title:
            s.append("\n" + display.safe(sp.title))
        grid.add_row("Speaker", s)
    grid.add_row("Trigger", text(claim.trigger.text))
    grid.add_row("Rule", text(claim.rule))
    if claim.status == Status.dismissed:
        grid.add_row("Dismissed", text(claim.reason or "no reason given", "bold"))
    if claim.note:
        grid.add_row("Note", text(claim.note))
    elif claim.status == Status.disputed:
        grid.add_row("Note", Text("missing: say why it is disputed (n)", style="bold red"))
    else:
        grid.add_row("Note", Text("—", style="dim"))
    if claim.added_by:
        grid.add_row("Added", text(f"by hand, by {claim.added_by}"))
    if claim.evidence:
        grid.add_row("Evidence", Text("\n").join(text(f"{i}. {e}") for i, e in enumerate(claim.evidence, 1)))
    else:
        grid.add_row("Evidence", Text("—", style="dim"))
    if claim.reviewed_by and claim.status != Status.pending:
        grid.add_row("Reviewed", text(f"{claim.reviewed_by}  {_when(claim.reviewed_at)}"))
    else:
        # Pending: not reviewed, whoever last wrote a note or undid a verdict.
        r = Text("not yet", style="dim")
        if claim.reviewed_by:
            r.append(f"  (last change {display.safe(claim.reviewed_by)}  {_when(claim.reviewed_at)})", style="dim")
        grid.add_row("Reviewed", r)
    if earlier is not None:
        grid.add_row("Earlier", earlier)
    return grid


class ClaimDetail(Vertical):
    """Shows one claim (or a hint when no claim is shown)."""

    DEFAULT_CSS = """
    ClaimDetail { height: auto; }
    ClaimDetail > #detail-head { margin-bottom: 1; }
    ClaimDetail > #detail-para { margin-bottom: 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        # Made here, not in compose: the screen may show a claim before this widget's children mount.
        self._head = Static(id="detail-head")
        self._para = Static(id="detail-para")
        self._fields = Static(id="detail-fields")

    def compose(self) -> ComposeResult:
        yield self._head
        yield self._para
        yield self._fields

    def show(self, claim: Claim | None, ctx: Context | None, verdict: Verdict | None = None, where: str = "",
             *, whole: bool = True) -> None:
        """Show a claim; `verdict` is the one given on the same claim in another article, `where`;
        `whole`: its whole paragraph, else only its sentence."""
        if claim is None or ctx is None:
            self._head.update(Content("No claim matches the filters."))
            self._para.update(Content("f: status filter  ·  t: kind filter  ·  /: search (escape clears it)"))
            self._fields.update(Content(""))
            return
        label = self.app.get_css_variables().get("text-secondary", "")
        self._head.update(head(claim))
        self._para.update(paragraph(claim, ctx, whole))
        self._fields.update(fields(claim, f"bold {label}" if label.startswith("#") else "bold",
                                   earlier_verdict(verdict, where) if verdict else None))
        # Asked again once this refresh is done: a second update merged into a layout request
        # still pending can keep the height measured for the first, and cut off the lines of an
        # earlier verdict that arrives from the worker.
        self.call_after_refresh(self._fields.refresh, layout=True)
