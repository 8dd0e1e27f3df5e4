"""The whole article (`o`), every claim marked: its clause underlined, its trigger coloured by status.

The editor works from it as from the table: j/k go from claim to claim, v/d/p/x decide the
highlighted one. A text cursor (← →, w b) and a mark (m) select words the extractor missed,
and `a` adds them as a claim (tui/screens/add.py)."""
from __future__ import annotations

import bisect

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from claims.errors import FileError
from claims.model import Claim, Status
from claims.text import paragraphs, split, trim

from .. import display
from ..actions import bindings
from ..session import OpenDoc
from ..widgets.key_bar import KeyBar
from .add import AddClaimScreen
from .decide import Deciding

TRIGGER_STYLE = {Status.pending: "bold $text-warning", Status.verified: "bold $text-success",
                 Status.disputed: "bold $text-error", Status.dismissed: "strike $text-muted"}


def legend() -> Content:
    return Content.assemble(
        ("pending", TRIGGER_STYLE[Status.pending]), "  ",
        ("verified", TRIGGER_STYLE[Status.verified]), "  ",
        ("disputed", TRIGGER_STYLE[Status.disputed]), "  ",
        ("dismissed", TRIGGER_STYLE[Status.dismissed]), "  ",
        ("claim", "underline"), "  ",
        ("current claim", "reverse"),
    )


CURSOR_STYLE = "bold reverse $text-accent"
SELECTION_STYLE = "bold $text on $accent-darken-1"


def marked_paragraphs(doc: OpenDoc, current: str | None, cursor: int | None = None,
                      selection: tuple[int, int] | None = None) -> tuple[list[Content], int]:
    """The article's paragraphs as Content with the claims marked, and the current claim's paragraph;
    the text cursor and the selection (offsets into the article) shown when given."""
    text = doc.article
    if text is None:  # no article: each claim's own clause stands in
        out, at = [], 0
        for i, c in enumerate(doc.claims):
            trigger_start, trigger_end = c.trigger.start - c.span.start, c.trigger.end - c.span.start  # in the clause
            p = Content(display.safe(c.text)).stylize("underline").stylize(TRIGGER_STYLE[c.status], trigger_start,
                                                                            trigger_end)
            if c.id == current:
                p, at = p.stylize("reverse"), i
            out.append(p)
        return out, at
    paras = paragraphs(text)
    starts = [p.start for p in paras]
    by_para: dict[int, list[Claim]] = {}
    for c in doc.claims:
        if text[c.trigger.start:c.trigger.end] != c.trigger.text:
            continue  # the article changed under this claim: do not mark the wrong words
        i = bisect.bisect_right(starts, c.span.start) - 1
        if i >= 0:
            by_para.setdefault(i, []).append(c)
    out, at = [], 0
    for i, seg in enumerate(paras):
        p = Content(display.safe(text[seg.start:seg.end]))
        for c in by_para.get(i, ()):
            s = seg.start
            p = p.stylize("underline", c.span.start - s, min(c.span.end, seg.end) - s)
            p = p.stylize(TRIGGER_STYLE[c.status], c.trigger.start - s, c.trigger.end - s)
            if c.id == current:
                p = p.stylize("reverse", c.span.start - s, min(c.span.end, seg.end) - s)
                at = i
        if selection is not None and selection[0] < seg.end and seg.start < selection[1]:
            p = p.stylize(SELECTION_STYLE, max(selection[0], seg.start) - seg.start, min(selection[1], seg.end) - seg.start)
        if cursor is not None and seg.start <= cursor < seg.end:
            p = p.stylize(CURSOR_STYLE, cursor - seg.start, cursor - seg.start + 1)
        out.append(p)
    return out, at


class ArticleScreen(Deciding, Screen[str | None]):
    """Dismisses with the id of the claim highlighted last (the table goes to it)."""

    SCOPE = "article"
    BINDINGS = bindings("article")

    def __init__(self, doc: OpenDoc, current: str | None) -> None:
        super().__init__()
        self.doc = doc
        self.current_id = current
        self.cursor: int | None = None  # the text cursor, an offset into the article (None: not shown)
        self.anchor: int | None = None  # where the selection starts (m)
        text = doc.article
        self._paras = paragraphs(text) if text is not None else []
        self._starts = [p.start for p in self._paras]
        clauses = split(text, self._paras)[1] if text is not None else []
        self._clauses = sorted({trim(text, c).start for c in clauses}) if text is not None else []

    # -- what is shown ------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        d = self.doc.document
        title = Content.assemble((display.safe(d.title or d.id), "bold"), "   ",
                                 (display.safe(" · ".join(x for x in (d.date, d.path) if x)), "$text-muted"))
        yield Static(title, id="article-title")
        yield Static(legend(), id="article-legend")
        if self.doc.article_problem:
            yield Static(Content(display.safe(self.doc.article_problem)), classes="banner warning")
        paras, self._at = marked_paragraphs(self.doc, self.current_id)
        with VerticalScroll(id="article"):
            for i, p in enumerate(paras):
                yield Static(p, id=f"para-{i}", classes="para")
        yield KeyBar()

    def on_mount(self) -> None:
        scroll = self.query_one("#article", VerticalScroll)
        scroll.focus()
        target = self.query(f"#para-{self._at}")
        if self.doc.claims and target:
            self.call_after_refresh(scroll.scroll_to_widget, target.first(), animate=False, top=True)

    def order(self) -> list[Claim]:
        """The claims as the article view marks them, in the article's order."""
        text = self.doc.article
        if text is None:
            return list(self.doc.claims)
        marked = [c for c in self.doc.claims if text[c.trigger.start:c.trigger.end] == c.trigger.text]
        return sorted(marked, key=lambda c: (c.trigger.start, c.trigger.end))

    @property
    def current(self) -> Claim | None:
        if self.current_id is None:
            return None
        try:
            return self.doc.claim(self.current_id)
        except FileError:
            return None

    @property
    def selection(self) -> tuple[int, int] | None:
        if self.anchor is None or self.cursor is None:
            return None
        return min(self.anchor, self.cursor), max(self.anchor, self.cursor) + 1

    def redraw(self) -> None:
        """Every paragraph again (a key press changes one or two; an article has tens)."""
        paras, at = marked_paragraphs(self.doc, self.current_id, self.cursor, self.selection)
        for i, p in enumerate(paras):
            found = self.query(f"#para-{i}")
            if found:
                found.first(Static).update(p)
        self._at = at

    def _scroll_to(self, index: int) -> None:
        target = self.query(f"#para-{index}")
        if target:
            self.query_one("#article", VerticalScroll).scroll_to_widget(target.first(), animate=False)

    def refresh_claim(self, claim: Claim) -> None:
        self.redraw()

    # -- from claim to claim -------------------------------------------------------------------
    def _go(self, claim: Claim | None) -> None:
        if claim is None:
            return
        self.current_id = claim.id
        if self.cursor is not None:
            self.cursor = claim.trigger.start
        self.redraw()
        self._scroll_to(self._at)

    def _step(self, step: int, pending: bool = False) -> Claim | None:
        claims = self.order()
        if not claims:
            return None
        ids = [c.id for c in claims]
        here = ids.index(self.current_id) if self.current_id in ids else (-1 if step > 0 else 0)
        for i in range(1, len(claims) + 1):
            j = here + step * i
            if not pending and not 0 <= j < len(claims):
                return None  # j and k stop at the ends, as in the table
            c = claims[j % len(claims)]
            if not pending or c.status == Status.pending:
                return c
        return None

    def action_next_claim(self) -> None:
        self._go(self._step(+1))

    def action_previous_claim(self) -> None:
        self._go(self._step(-1))

    def decided(self) -> None:
        nxt = self._step(+1, pending=True)
        if nxt is not None and nxt.id != self.current_id:
            self._go(nxt)

    # -- selecting words -----------------------------------------------------------------------
    def _no_text(self) -> bool:
        if self.doc.article is None or not self._paras:
            self.notify("The article is not available: words can be selected only in its text.",
                        severity="warning")
            return True
        return False

    def _place_cursor(self) -> None:
        if self.cursor is None:
            c = self.current
            self.cursor = c.trigger.start if c is not None and self.doc.article is not None else self._paras[0].start

    def _para_index(self, offset: int) -> int:
        return max(bisect.bisect_right(self._starts, offset) - 1, 0)

    def _moved(self) -> None:
        self.redraw()
        self._scroll_to(self._para_index(self.cursor or 0))

    def action_move_cursor(self, step: int) -> None:
        if self._no_text():
            return
        if self.cursor is None:
            self._place_cursor()
            self._moved()
            return
        i = self._para_index(self.cursor)
        pos = self.cursor + step
        seg = self._paras[i]
        if pos >= seg.end:  # on to the next paragraph's first character
            pos = self._paras[i + 1].start if i + 1 < len(self._paras) else seg.end - 1
        elif pos < seg.start:
            pos = self._paras[i - 1].end - 1 if i > 0 else seg.start
        self.cursor = pos
        self._moved()

    def action_jump_clause(self, step: int) -> None:
        if self._no_text():
            return
        self._place_cursor()
        assert self.cursor is not None
        if step > 0:
            k = bisect.bisect_right(self._clauses, self.cursor)
            if k < len(self._clauses):
                self.cursor = self._clauses[k]
        else:
            k = bisect.bisect_left(self._clauses, self.cursor) - 1
            if k >= 0:
                self.cursor = self._clauses[k]
        self._moved()

    def action_mark(self) -> None:
        if self._no_text():
            return
        if self.anchor is not None:
            self.anchor = None
        else:
            self._place_cursor()
            self.anchor = self.cursor
        self.redraw()

    def action_add_claim(self) -> None:
        if self._no_text():
            return
        if self.doc.read_only:
            self._guard()
            return
        sel = self.selection
        if sel is None:
            self.notify("Select the words first: move the cursor (← →, w b) to their first character, press m, "
                        "move to their last, then a.", title="Nothing selected", timeout=8)
            return
        if self._para_index(sel[0]) != self._para_index(sel[1] - 1):
            self.notify("A claim lies within one paragraph: select words of one paragraph.", severity="warning")
            return

        def added(claim: Claim | None) -> None:
            if claim is None:
                return
            self.anchor = None
            self.current_id = claim.id
            self.redraw()
            self.notify(display.safe(f"Added {claim.id}: {claim.kind.value} {claim.trigger.text}"), markup=False)

        self.app.push_screen(AddClaimScreen(self.doc, *sel), added)

    def action_close(self) -> None:
        self.dismiss(self.current_id)
