"""The review app and `make_app`, the factory the CLI, the tests and the benchmark all use."""
from __future__ import annotations

from pathlib import Path

from textual import events
from textual.app import App

from claims.errors import FileError
from claims.folder import Neighbours
from claims.reextract import extract_beside

from .actions import bindings
from .commands import ActionsProvider
from .screens.claims import ClaimsScreen
from .screens.documents import DocumentsScreen
from .screens.help import HelpScreen
from .screens.prompt import PromptScreen
from .session import History, OpenDoc


class ClaimcheckApp(App[None]):
    """Review one claim file, or every document of a folder."""

    CSS_PATH = "app.tcss"
    TITLE = "claimcheck review"
    COMMANDS = App.COMMANDS | {ActionsProvider}
    BINDINGS = bindings("app")

    def __init__(self, *, doc: OpenDoc | None = None, folder: Path | None = None, reviewer: str | None = None):
        super().__init__()
        if (doc is None) == (folder is None):
            raise ValueError("give a document or a folder")
        self.reviewer = reviewer
        self.folder = folder
        self._first_doc = doc
        self._open: list[OpenDoc] = [doc] if doc is not None else []
        # Undo history per claim file, kept while the app runs so going back and forth loses nothing.
        self.histories: dict[Path, History] = {}
        if doc is not None:
            self.histories[doc.path.resolve()] = doc.history

    @property
    def document(self) -> OpenDoc | None:
        """The claim file given on the command line (None for a folder)."""
        return self._first_doc

    def on_mount(self) -> None:
        if self._first_doc is not None:
            # One claim file opened alone: the files beside it are its folder (not below: that
            # could be a whole home directory).
            beside = Neighbours(self._first_doc.path.parent, recursive=False)
            self.push_screen(ClaimsScreen(self._first_doc, neighbours=beside))
        else:
            self.push_screen(DocumentsScreen(self.folder))

    def on_key(self, event: events.Key) -> None:
        # `j n abc` in one burst: every key went to the claims table as it arrived, and the ones
        # after n come back up here once n has opened the prompt. A printable key gets here only
        # so (the prompt's input keeps the ones typed into it): it is the prompt's, in order.
        if isinstance(self.screen, PromptScreen) and self.screen.take(event):
            event.stop()

    def open_document(self, claim_path: Path) -> OpenDoc:
        """Open a claim file (locking it, or read-only) with its undo history from earlier visits."""
        history = self.histories.setdefault(Path(claim_path).resolve(), History())
        doc = OpenDoc(claim_path, self.reviewer, history)
        self._open.append(doc)
        return doc

    def close_document(self, doc: OpenDoc) -> None:
        """Release the document's lock (its changes are all saved already)."""
        doc.close()
        if doc in self._open:
            self._open.remove(doc)

    def on_unmount(self) -> None:
        for doc in list(self._open):
            self.close_document(doc)

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())


def make_app(path: Path | str, reviewer: str | None = None) -> ClaimcheckApp:
    """The app for `claimcheck review PATH`.

    PATH is a folder (the document list), a claim file (*.yaml), or an article, whose
    `<id>.claims.yaml` beside it is opened, after extracting it if it does not exist yet.
    Raises FileError, before anything is shown, when PATH cannot be opened.
    """
    path = Path(path)
    if path.is_dir():
        return ClaimcheckApp(folder=path, reviewer=reviewer)
    if not path.exists():
        raise FileError([f"{path}: no such file or folder"])
    claim_path = path if path.name.endswith((".yaml", ".yml")) else extract_beside(path)
    return ClaimcheckApp(doc=OpenDoc(claim_path, reviewer), reviewer=reviewer)
