"""Deciding the highlighted claim, the same way wherever it is highlighted: in the claims table
or in the article view. A screen that mixes this in says which claim is highlighted
(`current`), how to show a changed claim (`refresh_claim`) and where to go after a decision
(`decided`)."""
from __future__ import annotations

from collections.abc import Callable

from claims.errors import FileError
from claims.model import Claim, Status

from .. import display
from ..session import OpenDoc, Preview
from .prompt import PromptScreen, ReasonScreen

NOTE_HINT = "what you found, what to check"


class Deciding:
    """v d p x and n for a screen with a highlighted claim (a mixin for Screen subclasses)."""

    doc: OpenDoc | Preview  # a Preview refuses every change (see ClaimsScreen.open_in_full)

    @property
    def current(self) -> Claim | None:  # pragma: no cover - each screen says
        raise NotImplementedError

    def refresh_claim(self, claim: Claim) -> None:  # pragma: no cover
        raise NotImplementedError

    def decided(self) -> None:
        """After a decision: the next claim to decide (the next pending one)."""

    def _refused(self, e: FileError) -> None:
        self.notify(display.safe(" ".join(e.problems)), title="Nothing changed", severity="warning", markup=False)

    def _guard(self) -> Claim | None:
        """The current claim, or None (and say why) when nothing can be changed."""
        if isinstance(self.doc, Preview):
            self.notify(display.safe(self.doc.still_opening()), title="Opening", severity="warning", markup=False)
            return None
        if self.doc.read_only:
            self.notify(display.safe(f"{self.doc.read_only_reason} Nothing was changed."),
                        title="Read-only", severity="warning", markup=False)
            return None
        claim = self.current
        if claim is None:
            self.notify("No claim selected.", severity="warning")
        return claim

    def _apply(self, change: Callable[[], Claim | None]) -> Claim | None:
        try:
            new = change()
        except FileError as e:
            self._refused(e)
            return None
        return new

    def action_set_status(self, status: str) -> None:
        claim = self._guard()
        if claim is None:
            return
        new = self._apply(lambda: self.doc.set_status(claim.id, Status(status)))
        self.decided()
        if new is not None:
            self.refresh_claim(new)

    def action_dispute(self) -> None:
        """Disputed, and the note that says why (escape leaves it disputed, the note missing)."""
        claim = self._guard()
        if claim is None:
            return
        try:
            new = self.doc.set_status(claim.id, Status.disputed)
        except FileError as e:
            self._refused(e)
            return
        if new is not None:
            self.refresh_claim(new)
        self.edit_note(self.doc.claim(claim.id), "Disputed: why? (escape: no note for now)", then=self.decided)

    def action_dismiss_claim(self) -> None:
        claim = self._guard()
        if claim is None:
            return

        def picked(reason: str | None) -> None:
            if reason is None:
                return
            new = self._apply(lambda: self.doc.dismiss(claim.id, reason))
            self.decided()
            if new is not None:
                self.refresh_claim(new)

        self.app.push_screen(ReasonScreen(claim.text, claim.reason), picked)

    def action_edit_note(self) -> None:
        claim = self._guard()
        if claim is not None:
            self.edit_note(claim)

    def edit_note(self, claim: Claim, title: str = "Note", then: Callable[[], None] | None = None) -> None:
        """The note prompt (several lines) for `claim`; `then` runs once it is closed, either way."""
        shown = display.safe(claim.note, multiline=True)

        def save(value: str | None) -> None:
            if value is not None and value != shown:
                new = self._apply(lambda: self.doc.set_note(claim.id, value))
                if new is not None:
                    self.refresh_claim(new)
            if then is not None:
                then()

        self.app.push_screen(PromptScreen(title, claim.text, claim.note, NOTE_HINT, multiline=True), save)
