"""Modal prompts: an input (notes, evidence: enter saves, escape cancels; a note may have
several lines), the list of a claim's evidence to edit or remove an entry, and the reason a
claim is dismissed."""
from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, TextArea
from textual.widgets.option_list import Option

from claims.model import DISMISS_REASONS

from .. import display

NEW_LINE_KEYS = ("ctrl+j", "shift+enter", "alt+enter")


class NoteArea(TextArea):
    """A note of several lines; `value` as an Input has it, so both prompts read alike. Enter
    saves (as in the one-line prompt); ctrl+j starts a new line. Both are handled here, in the
    order typed, rather than as bindings, which would run before keys typed ahead of them."""

    class Submitted(Message):
        def __init__(self, value: str) -> None:
            super().__init__()
            self.value = value

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter" or event.key in NEW_LINE_KEYS:
            event.stop()
            event.prevent_default()
            if event.key == "enter":
                self.post_message(self.Submitted(self.text))
            else:
                self.insert("\n")
            return
        await super()._on_key(event)

    @property
    def value(self) -> str:
        return self.text

    def insert_text_at_cursor(self, text: str) -> None:
        self.insert(text)


class PromptScreen(ModalScreen[str | None]):
    """Dismisses with the text typed (enter) or None (escape). `multiline`: a note, where
    ctrl+j (or shift+enter, alt+enter where the terminal tells them apart) starts a new line."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="prompt.cancel", tooltip="Close without saving")]

    def __init__(self, title: str, claim_text: str, value: str = "", placeholder: str = "", *,
                 multiline: bool = False, hint: str = "") -> None:
        super().__init__()
        self._multiline = multiline
        self._hint = hint or ("enter saves  ·  ctrl+j new line  ·  escape cancels" if multiline
                              else "enter saves  ·  escape cancels")
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
            if self._multiline:
                area = NoteArea(display.safe(self._value, multiline=True), id="prompt-input", soft_wrap=True,
                                show_line_numbers=False, compact=True, placeholder=self._placeholder)
                yield area
            else:
                yield Input(value=display.safe(self._value), placeholder=self._placeholder, id="prompt-input",
                            select_on_focus=False)
            yield Label(Content(self._hint), id="prompt-hint")

    @property
    def _field(self) -> Input | NoteArea:
        return self.query_one("#prompt-input")  # type: ignore[return-value]

    def on_mount(self) -> None:
        field = self._field
        field.focus()
        if isinstance(field, NoteArea):
            field.move_cursor(field.document.end)
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
                self._field.insert_text_at_cursor(event.character)
            else:
                self._early.append(event.character)
            return True
        if event.key == "enter":
            if not self._ready:
                self._submit_early = True
            elif isinstance(self._field, NoteArea):
                # Typed in the burst after the note: the text area, which saves on enter, never saw it.
                self.dismiss(self._field.value)
            else:
                return False  # the input's own binding submits
            return True
        return False

    def on_key(self, event: events.Key) -> None:
        if self.take(event):
            event.stop()
            event.prevent_default()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def on_note_area_submitted(self, event: NoteArea.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ReasonScreen(ModalScreen[str | None]):
    """Why a claim is dismissed: one of `DISMISS_REASONS` (its number, or enter), or typed.

    Dismisses with the reason, or None (escape)."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="reason.cancel", tooltip="Close: the claim is not dismissed"),
        *(Binding(str(i), f"pick({i - 1})", r, id=f"reason.{i}", tooltip=f"Dismissed: {r}", show=False)
          for i, r in enumerate(DISMISS_REASONS, 1)),
    ]

    def __init__(self, claim_text: str, reason: str | None = None) -> None:
        super().__init__()
        self._claim_text = claim_text
        self._reason = reason

    def compose(self) -> ComposeResult:
        with Vertical(id="prompt"):
            yield Label(Content("Dismiss: not a checkable claim. Why?"), id="prompt-title")
            yield Label(display.literal(display.shorten(self._claim_text, 200)), id="prompt-claim")
            yield OptionList(*(Option(Content(f"{i}. {r}"), id=r) for i, r in enumerate(DISMISS_REASONS, 1)),
                             id="reason-list")
            typed = self._reason if self._reason not in (None, *DISMISS_REASONS) else ""
            yield Input(value=display.safe(typed or ""), placeholder="or type another reason (tab), then enter",
                        id="reason-input", select_on_focus=False)
            yield Label(Content("1-4 or enter picks  ·  tab: type a reason  ·  escape cancels"), id="prompt-hint")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = DISMISS_REASONS.index(self._reason) if self._reason in DISMISS_REASONS else 0
        options.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "pick":
            return not isinstance(self.focused, Input)  # a digit typed in the box is itself
        return True

    def action_pick(self, index: int) -> None:
        self.dismiss(DISMISS_REASONS[index])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.value.strip():
            self.dismiss(event.value.strip())

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
