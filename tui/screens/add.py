"""Adding a claim the extractor missed, from words selected in the article view.

The kind is picked; the value, unit and speaker are proposed by the engine's normalizers
(`claims.manual.proposal`) and may be changed before saving. The claim is logged and saved at
once, as every change is."""
from __future__ import annotations

import regex
from pydantic import ValidationError
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, RadioButton, RadioSet

from claims import manual
from claims.errors import FileError
from claims.model import Claim, Kind, Speaker

from .. import display
from ..session import OpenDoc

_RANKING = regex.compile(r"[首最第冠]")  # only a first guess at the kind: the editor picks it


def shown_value(v: int | float | str | None) -> str:
    return "" if v is None else str(v)


class AddClaimScreen(ModalScreen[Claim | None]):
    """Dismisses with the claim added, or None (escape)."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="add.cancel", tooltip="Close: nothing is added"),
        Binding("ctrl+s", "save", "Save", id="add.save", tooltip="Add the claim"),
    ]

    def __init__(self, doc: OpenDoc, start: int, end: int) -> None:
        super().__init__()
        self.doc = doc
        self.start, self.end = start, end
        assert doc.article is not None
        self.text = doc.article
        self.words = self.text[start:end]
        self._proposals: dict[Kind, dict] = {}
        self.kind = self._guess()

    def proposal(self, kind: Kind) -> dict:
        if kind not in self._proposals:
            self._proposals[kind] = manual.proposal(self.text, self.start, self.end, kind,
                                                    date=self.doc.document.date)
        return self._proposals[kind]

    def _guess(self) -> Kind:
        for kind in (Kind.date, Kind.quantity):
            if self.proposal(kind).get("value") is not None:
                return kind
        if _RANKING.search(self.words):
            return Kind.ranking
        return Kind.attribution if self.proposal(Kind.attribution).get("speaker") else Kind.quantity

    def compose(self) -> ComposeResult:
        ss, se = manual.clause_at(self.text, self.start, self.end)
        with Vertical(id="prompt"):
            yield Label(Content("Add a claim the extractor missed"), id="prompt-title")
            yield Label(Content.assemble((display.safe(self.words), "bold reverse $text-warning"), "   ",
                                         (display.safe(display.shorten(self.text[ss:se], 160)), "$text-muted")),
                        id="prompt-claim")
            with RadioSet(id="add-kind"):
                for k in Kind:
                    yield RadioButton(k.value, value=k == self.kind, id=f"kind-{k.value}")
            with Horizontal(classes="add-row"):
                yield Label("value", classes="add-label")
                yield Input(id="add-value", placeholder="a number, or a date as 2023-06-30")
            with Horizontal(classes="add-row"):
                yield Label("unit", classes="add-label")
                yield Input(id="add-unit", placeholder="元, 人, %, ...")
            with Horizontal(classes="add-row"):
                yield Label("speaker", classes="add-label")
                yield Input(id="add-speaker", placeholder="who says it, if anyone")
            yield Label("", id="add-also")
            yield Label("", id="add-error")
            yield Label(Content("tab: next field  ·  enter or ctrl+s adds  ·  escape cancels"), id="prompt-hint")

    def on_mount(self) -> None:
        self._fill()
        self.query_one(RadioSet).focus()

    def _fill(self) -> None:
        """The fields as the normalizers propose them for the kind picked."""
        p = self.proposal(self.kind)
        self.query_one("#add-value", Input).value = shown_value(p.get("value"))
        self.query_one("#add-unit", Input).value = p.get("unit") or ""
        sp = p.get("speaker")
        self.query_one("#add-speaker", Input).value = display.safe(sp.name) if sp else ""
        also = [f"{k} {getattr(p[k], 'value', p[k])}" for k in manual.VALUE_FIELDS
                if k not in ("value", "unit") and p.get(k) is not None]
        self.query_one("#add-also", Label).update(Content(("proposed too: " + ", ".join(also)) if also else ""))

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        self.kind = list(Kind)[event.index]
        self._fill()

    def fields(self) -> dict:
        """The claim's fields from the form: what the normalizers proposed, as the editor left it."""
        p = self.proposal(self.kind)
        value = manual.parse_value(self.query_one("#add-value", Input).value)
        out: dict = {"value": value, "unit": self.query_one("#add-unit", Input).value.strip() or None}
        if value is not None and value == p.get("value"):  # the figure proposed: its comparator, range ... too
            out |= {k: p[k] for k in manual.VALUE_FIELDS if k not in out and p.get(k) is not None}
        name = self.query_one("#add-speaker", Input).value.strip()
        sp = p.get("speaker")
        out["speaker"] = (sp if sp is not None and name == sp.name else Speaker(name=name)) if name else None
        return out

    def action_save(self) -> None:
        try:
            claim = manual.build(self.text, self.start, self.end, self.kind, self.doc.reviewer,
                                 {c.id for c in self.doc.claims}, self.fields())
            added = self.doc.add_claim(claim)
        except ValidationError as e:
            first = e.errors()[0]
            where = ".".join(str(x) for x in first["loc"])
            self.query_one("#add-error", Label).update(Content(display.safe(f"{where}: {first['msg']}")))
            return
        except FileError as e:
            self.query_one("#add-error", Label).update(Content(display.safe(" ".join(e.problems))))
            return
        self.dismiss(added)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_cancel(self) -> None:
        self.dismiss(None)
