"""The whole article (`o`), every claim marked: its clause underlined, its trigger coloured by status."""
from __future__ import annotations

import bisect

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from claims import text as T
from claims.model import Claim, Status

from .. import display
from ..actions import bindings
from ..session import OpenDoc

TRIGGER_STYLE = {Status.pending: "bold $text-warning", Status.verified: "bold $text-success",
                 Status.disputed: "bold $text-error"}


def legend() -> Content:
    return Content.assemble(
        ("pending", TRIGGER_STYLE[Status.pending]), "  ",
        ("verified", TRIGGER_STYLE[Status.verified]), "  ",
        ("disputed", TRIGGER_STYLE[Status.disputed]), "  ",
        ("claim", "underline"), "  ",
        ("current claim", "reverse"),
    )


def marked_paragraphs(doc: OpenDoc, current: str | None) -> tuple[list[Content], int]:
    """The article's paragraphs as Content with the claims marked, and the current claim's paragraph."""
    text = doc.article
    if text is None:  # no article: each claim's own clause stands in
        out, at = [], 0
        for i, c in enumerate(doc.claims):
            t0, t1 = c.trigger.start - c.span.start, c.trigger.end - c.span.start
            p = Content(display.safe(c.text)).stylize("underline").stylize(TRIGGER_STYLE[c.status], t0, t1)
            if c.id == current:
                p, at = p.stylize("reverse"), i
            out.append(p)
        return out, at
    paras = T.paragraphs(text)
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
        out.append(p)
    return out, at


class ArticleScreen(Screen[None]):
    SCOPE = "article"
    BINDINGS = bindings("article")

    def __init__(self, doc: OpenDoc, current: str | None) -> None:
        super().__init__()
        self.doc = doc
        self.current = current

    def compose(self) -> ComposeResult:
        d = self.doc.document
        title = Content.assemble((display.safe(d.title or d.id), "bold"), "   ",
                                 (display.safe(" · ".join(x for x in (d.date, d.path) if x)), "$text-muted"))
        yield Static(title, id="article-title")
        yield Static(legend(), id="article-legend")
        if self.doc.article_problem:
            yield Static(Content(display.safe(self.doc.article_problem)), classes="banner warning")
        paras, self._at = marked_paragraphs(self.doc, self.current)
        with VerticalScroll(id="article"):
            for i, p in enumerate(paras):
                yield Static(p, id=f"para-{i}", classes="para")
        yield Footer()

    def on_mount(self) -> None:
        scroll = self.query_one("#article", VerticalScroll)
        scroll.focus()
        target = self.query(f"#para-{self._at}")
        if self.doc.claims and target:
            self.call_after_refresh(scroll.scroll_to_widget, target.first(), animate=False, top=True)

    def action_close(self) -> None:
        self.dismiss(None)
