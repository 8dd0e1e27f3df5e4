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
    Action("claims.disputed", "d", "dispute", "Disputed",
           "Mark the claim disputed and say why in its note (escape: no note for now), then go to the next "
           "pending claim", "claims"),
    Action("claims.pending", "p", "set_status('pending')", "Pending",
           "Mark the claim pending again, then go to the next pending claim", "claims"),
    Action("claims.dismissed", "x", "dismiss_claim", "Dismiss",
           "Dismiss: not a checkable claim (not a claim, duplicate, opinion, out of scope, or a reason typed); "
           "hidden unless the status filter shows dismissed claims", "claims"),
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
    Action("claims.adopt", "A", "adopt", "Adopt earlier",
           "Take over the verdict given on the same claim in another article (↺): its status, and its note "
           "where this claim has none; logged with where it came from", "claims", footer="Adopt", key_display="A"),
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
    Action("documents.refresh", "r", "refresh", "Refresh",
           "Read the folder again: articles and claim files that appeared since are listed (also when the "
           "terminal gets the focus back, and on coming back from a document)", "documents"),
    Action("documents.extract_all", "X", "extract_all", "Extract all",
           "Extract every article that has no claim file yet, one after the other, with progress", "documents",
           key_display="X"),
    Action("documents.sort", "s", "sort_by_left", "Sort by what is left",
           "Sort the documents by their pending claims, most first (s again: by name)", "documents", footer="Sort"),
    Action("documents.disputed", "f", "only_disputed", "Disputed only",
           "Show only the documents with disputed claims (f again: all of them)", "documents", footer="Disputed"),
    Action("documents.down", "j", "cursor_down", "Down", "Next document (as ↓)", "documents", show=False),
    Action("documents.up", "k", "cursor_up", "Up", "Previous document (as ↑)", "documents", show=False),
    Action("article.down", "j", "next_claim", "Next claim", "Highlight the next claim of the article", "article",
           show=False),
    Action("article.up", "k", "previous_claim", "Previous claim", "Highlight the previous claim of the article",
           "article", show=False),
    Action("article.verified", "v", "set_status('verified')", "Verified",
           "Mark the highlighted claim verified, then go to the next pending claim", "article"),
    Action("article.disputed", "d", "dispute", "Disputed",
           "Mark the highlighted claim disputed and say why in its note", "article"),
    Action("article.pending", "p", "set_status('pending')", "Pending",
           "Mark the highlighted claim pending again", "article"),
    Action("article.dismissed", "x", "dismiss_claim", "Dismiss",
           "Dismiss the highlighted claim: not a checkable claim", "article"),
    Action("article.note", "n", "edit_note", "Note", "Write or edit the highlighted claim's note", "article",
           show=False),
    Action("article.right", "right,l", "move_cursor(1)", "Cursor right",
           "Move the text cursor one character on (to select words the extractor missed)", "article",
           key_display="←→", show=False, priority=True),  # before the scroll view's own ← →
    Action("article.left", "left,h", "move_cursor(-1)", "Cursor left", "Move the text cursor one character back",
           "article", show=False, priority=True),
    Action("article.next_clause", "w", "jump_clause(1)", "Next clause",
           "Move the text cursor to the start of the next clause", "article", show=False),
    Action("article.previous_clause", "b", "jump_clause(-1)", "Previous clause",
           "Move the text cursor to the start of this or the previous clause", "article", show=False),
    Action("article.mark", "m", "mark", "Mark",
           "Mark where the selection starts (at the text cursor); m again drops it", "article"),
    Action("article.add", "a", "add_claim", "Add claim",
           "Add the selected words as a claim the extractor missed: pick its kind, check the proposed value",
           "article", footer="Add"),
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
