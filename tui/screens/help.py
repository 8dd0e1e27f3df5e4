"""The help screen (`?`): every key, built from the same registry as the bindings and palette."""
from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from ..actions import SCOPES, actions, key_label


def help_content() -> Content:
    parts: list = [("claimcheck review: keys\n", "bold $text-accent"),
                   ("Every change is saved at once and logged; quitting never loses anything.\n", "$text-muted")]
    for scope, heading in SCOPES.items():
        parts.append((f"\n{heading}\n", "bold underline"))
        for a in actions(scope):
            parts.append((f"  {key_label(a):<8}", "bold $text-warning"))
            parts.append((f"{a.title:<18}", "bold"))
            parts.append(f"{a.help}\n")
    parts.append(("\n  ctrl+p  ", "bold $text-warning"))
    parts.append((f"{'Commands':<18}", "bold"))
    parts.append("The command palette: every action above, searchable\n")
    return Content.assemble(*parts)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,question_mark", "close", "Close", id="help.close", tooltip="Close the help"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            yield Static(help_content(), id="help-text")

    def action_close(self) -> None:
        self.dismiss(None)
