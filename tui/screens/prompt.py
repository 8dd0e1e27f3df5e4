"""Modal prompts: a one-line input (notes, evidence: enter saves, escape cancels), and the
list of a claim's evidence to edit or remove an entry."""
from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

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
        self._ready = False  # the input is mounted and focused
        self._early: list[str] = []  # typed before that
        self._submit_early = False

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt"):
            yield Label(Content(self._title), id="prompt-title")
            yield Label(display.literal(display.shorten(self._claim_text, 200)), id="prompt-claim")
            yield Input(value=display.safe(self._value), placeholder=self._placeholder, id="prompt-input",
                        select_on_focus=False)
            yield Label(Content("enter saves  ·  escape cancels"), id="prompt-hint")

    def on_mount(self) -> None:
        field = self.query_one(Input)
        field.focus()
        self._ready = True
        for ch in self._early:
            field.insert_text_at_cursor(ch)
        if self._submit_early:
            self.dismiss(field.value)

    def take(self, event: events.Key) -> bool:
        """A key typed in one burst with the key that opened the prompt (`j n abc`): the claims
        table or this screen got it before the input had focus. The input takes every later key
        itself, so the characters that come here are, in order, the start of what is typed."""
        if event.is_printable and event.character:
            if self._ready:
                self.query_one(Input).insert_text_at_cursor(event.character)
            else:
                self._early.append(event.character)
            return True
        if event.key == "enter" and not self._ready:  # once ready, the input's own binding submits
            self._submit_early = True
            return True
        return False

    def on_key(self, event: events.Key) -> None:
        if self.take(event):
            event.stop()
            event.prevent_default()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class EvidenceScreen(ModalScreen[tuple[str, int] | None]):
    """The claim's evidence entries: pick one to edit (enter) or remove (delete or x).

    Dismisses with ("edit", index), ("remove", index) or None (escape)."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="evidence.cancel", tooltip="Close without changing anything"),
        Binding("enter", "pick('edit')", "Edit", id="evidence.edit", tooltip="Edit the entry", priority=True),
        Binding("delete,x", "pick('remove')", "Remove", id="evidence.remove", tooltip="Remove the entry"),
    ]

    def __init__(self, claim_text: str, evidence: list[str]) -> None:
        super().__init__()
        self._claim_text = claim_text
        self._evidence = list(evidence)

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt"):
            yield Label(Content("Evidence: edit or remove an entry"), id="prompt-title")
            yield Label(display.literal(display.shorten(self._claim_text, 200)), id="prompt-claim")
            yield OptionList(*(Option(display.literal(f"{i}. {e}"), id=str(i - 1))
                               for i, e in enumerate(self._evidence, 1)), id="evidence-list")
            yield Label(Content("enter edits  ·  delete or x removes  ·  escape cancels"), id="prompt-hint")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = 0
        options.focus()

    def action_pick(self, what: str) -> None:
        index = self.query_one(OptionList).highlighted
        if index is not None:
            self.dismiss((what, index))

    def action_cancel(self) -> None:
        self.dismiss(None)
