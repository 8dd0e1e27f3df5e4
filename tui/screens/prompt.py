"""A one-line modal input (notes, evidence): enter saves, escape cancels."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from .. import display


class PromptScreen(ModalScreen[str | None]):
    """Dismisses with the text typed (enter) or None (escape)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="prompt.cancel", tooltip="Close without saving")]

    def __init__(self, title: str, claim_text: str, value: str = "", placeholder: str = "") -> None:
        super().__init__()
        self._title = title
        self._claim_text = claim_text
        self._value = value
        self._placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt"):
            yield Label(Content(self._title), id="prompt-title")
            yield Label(display.literal(display.shorten(self._claim_text, 200)), id="prompt-claim")
            yield Input(value=display.safe(self._value), placeholder=self._placeholder, id="prompt-input",
                        select_on_focus=False)
            yield Label(Content("enter saves  ·  escape cancels"), id="prompt-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
