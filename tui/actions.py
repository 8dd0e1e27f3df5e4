"""The one action registry: every key binding, the footer, the help screen (`?`) and the
command palette (ctrl+p) are all built from `ACTIONS`, so they can never disagree.
"""
from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True)
class Action:
    id: str  # the Binding id (keymaps can rebind it)
    keys: str  # Textual key names, comma-separated
    action: str  # the action string run on the screen (or the app, for scope "app")
    title: str  # short: the footer label and the palette's command name
    help: str  # one line: the tooltip, the help screen and the palette's help text
    scope: str  # "claims", "documents", "article" or "app"
    show: bool = True  # in the footer
    key_display: str | None = None
    palette: bool = True
    footer: str | None = None  # a shorter footer label than the title
    priority: bool = False  # before the focused widget's own binding of the key


SCOPES = {
    "claims": "Reviewing claims",
    "documents": "Document list",
    "article": "Article view",
    "app": "Everywhere",
}

ACTIONS: tuple[Action, ...] = (
    Action("claims.verified", "v", "set_status('verified')", "Verified",
           "Mark the claim verified, then go to the next pending claim", "claims"),
    Action("claims.disputed", "d", "set_status('disputed')", "Disputed",
           "Mark the claim disputed, then go to the next pending claim", "claims"),
    Action("claims.pending", "p", "set_status('pending')", "Pending",
           "Mark the claim pending again, then go to the next pending claim", "claims"),
    # Not priority bindings, so that keys typed before them apply first (`j n`); what is typed
    # after them in the same burst reaches the prompt through ClaimcheckApp.on_key.
    Action("claims.note", "n", "edit_note", "Note", "Write or edit the claim's note", "claims"),
    Action("claims.evidence", "e", "add_evidence", "Evidence",
           "Add an evidence link or source to the claim", "claims"),
    Action("claims.evidence_edit", "E", "edit_evidence", "Edit evidence",
           "Edit or remove one of the claim's evidence entries (logged)", "claims",
           key_display="E", show=False),
    Action("claims.undo", "u", "undo", "Undo",
           "Undo the last change (saved and logged as a new change)", "claims"),
    Action("claims.redo", "ctrl+r", "redo", "Redo", "Redo the last undone change", "claims", key_display="^r"),
    Action("claims.search", "slash", "search", "Search",
           "Search claim text, speakers and values (escape clears)", "claims", key_display="/",
           priority=True),  # handled at once: keys typed right after it go to the search box
    Action("claims.status_filter", "f", "cycle_status_filter", "Status filter",
           "Show all claims, then only pending, disputed or verified ones", "claims", footer="Status"),
    Action("claims.kind_filter", "t", "cycle_kind_filter", "Kind filter",
           "Show all kinds, then only quantities, dates, attributions or rankings", "claims", footer="Kind"),
    Action("claims.down", "j", "cursor_down", "Down", "Next claim (as ↓)", "claims", show=False),
    Action("claims.up", "k", "cursor_up", "Up", "Previous claim (as ↑)", "claims", show=False),
    Action("claims.next_pending", "right_square_bracket", "next_pending", "Next pending",
           "Go to the next pending claim", "claims", key_display="]", footer="Next"),
    Action("claims.previous_pending", "left_square_bracket", "previous_pending", "Previous pending",
           "Go to the previous pending claim", "claims", key_display="[", show=False),
    Action("claims.article", "o", "article", "Article",
           "Show the whole article with every claim marked", "claims"),
    # Two actions on escape: the one that can apply is the one that runs (and shows).
    Action("claims.clear", "escape", "clear_view", "Clear search",
           "Clear the kept search and the filters, showing every claim", "claims", key_display="esc",
           footer="Clear"),
    Action("claims.back", "escape", "back", "Documents",
           "Back to the document list, when reviewing a folder (all is saved)", "claims",
           key_display="esc"),
    Action("documents.open", "enter", "open_document", "Open",
           # Not a priority binding: one runs as its key arrives, before keys typed ahead of it
           # have come back up from the table (`j j enter` opened the document, then moved in it).
           "Open the document (extracting its claims first if it has none yet)", "documents"),
    Action("documents.down", "j", "cursor_down", "Down", "Next document (as ↓)", "documents", show=False),
    Action("documents.up", "k", "cursor_up", "Up", "Previous document (as ↑)", "documents", show=False),
    Action("article.close", "escape,o", "close", "Back", "Back to the claims", "article", key_display="esc"),
    Action("app.help", "question_mark", "help", "Help", "Show every key and what it does", "app",
           key_display="?"),
    # The palette already offers Textual's own "Quit".
    Action("app.quit", "q", "quit", "Quit", "Quit (every change is already saved)", "app", palette=False),
)


def actions(scope: str) -> list[Action]:
    return [a for a in ACTIONS if a.scope == scope]


def bindings(scope: str) -> list[Binding]:
    """The Bindings of one scope, each with its id and tooltip."""
    return [
        Binding(a.keys, a.action, a.footer or a.title, show=a.show, key_display=a.key_display, id=a.id, tooltip=a.help,
                priority=a.priority)
        for a in actions(scope)
    ]


def action_name(a: Action) -> str:
    """The action's method name without parameters: 'set_status' for "set_status('verified')"."""
    return a.action.split("(", 1)[0]


_KEY_NAMES = {"escape": "esc", "question_mark": "?", "slash": "/", "right_square_bracket": "]",
              "left_square_bracket": "["}


def key_label(a: Action) -> str:
    """Every key of the action as a person types it: 'esc o', 'ctrl+r', ']'."""
    return " ".join(_KEY_NAMES.get(k.strip(), k.strip()) for k in a.keys.split(","))
