"""The review app and `make_app`, the factory the CLI, the tests and the benchmark all use."""
from __future__ import annotations

import threading
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
from .session import History, OpenDoc, Preview

OPEN_WAIT = 120.0  # seconds that closing waits for a file being opened in full (a second for 10,000 claims)


class ClaimcheckApp(App[None]):
    """Review one claim file, or every document of a folder."""

    CSS_PATH = "app.tcss"
    TITLE = "claimcheck review"
    COMMANDS = App.COMMANDS | {ActionsProvider}
    BINDINGS = bindings("app")

    def __init__(self, *, doc: OpenDoc | Preview | None = None, folder: Path | None = None,
                 reviewer: str | None = None):
        super().__init__()
        if (doc is None) == (folder is None):
            raise ValueError("give a document or a folder")
        self.reviewer = reviewer
        self.folder = folder
        self._first_doc = doc
        self._open: list[OpenDoc | Preview] = [doc] if doc is not None else []
        # A file shown from its preview is opened in full in a worker thread, which hands the
        # open document (its lock held) over here; closing, the app waits for it.
        self._open_lock = threading.Lock()
        self._closing = False
        self._opening = 0  # full opens running
        self._none_opening = threading.Event()
        self._none_opening.set()
        self.open_error: FileError | None = None  # what the full open of a preview refused
        # Undo history per claim file, kept while the app runs so going back and forth loses nothing.
        self.histories: dict[Path, History] = {}
        if doc is not None:
            self.histories[doc.path.resolve()] = doc.history

    @property
    def document(self) -> OpenDoc | Preview | None:
        """The claim file given on the command line (None for a folder; a Preview until it is open)."""
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

    def close_document(self, doc: OpenDoc | Preview) -> None:
        """Release the document's lock (its changes are all saved already)."""
        doc.close()
        if doc in self._open:
            self._open.remove(doc)

    def begin_opening(self) -> bool:
        """Called by a worker thread about to open a file in full: False when the app is closing
        (it must not then: nobody would release the lock)."""
        with self._open_lock:
            if self._closing:
                return False
            self._opening += 1
            self._none_opening.clear()
            return True

    def end_opening(self, doc: OpenDoc | None) -> None:
        """Called by that thread when it is done: the document it opened (None: it could not),
        whose lock it holds, is the app's to close from now on."""
        with self._open_lock:
            if doc is not None:
                self._open.append(doc)
            self._opening -= 1
            if not self._opening:
                self._none_opening.set()

    def opened_in_full(self, preview: Preview, doc: OpenDoc) -> None:
        """The preview shown first is replaced by the document opened in full."""
        if self._first_doc is preview:
            self._first_doc = doc
        if preview in self._open:
            self._open.remove(preview)

    def refuse_open(self, error: FileError) -> None:
        """The full open of the file shown from its preview failed: the app ends, and `run`
        raises the error, which the CLI reports as it does any file it cannot open."""
        self.open_error = error
        self.exit(return_code=1)

    def run(self, *args, **kwargs):
        result = super().run(*args, **kwargs)
        if self.open_error is not None:
            raise self.open_error
        return result

    def on_unmount(self) -> None:
        with self._open_lock:
            self._closing = True
        # A file still being opened (q at once) is closed too, its lock released, once it is open.
        self._none_opening.wait(OPEN_WAIT)
        for doc in list(self._open):
            self.close_document(doc)

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())


def make_app(path: Path | str, reviewer: str | None = None) -> ClaimcheckApp:
    """The app for `claimcheck review PATH`.

    PATH is a folder (the document list), a claim file (*.yaml), or an article, whose
    `<id>.claims.yaml` beside it is opened, after extracting it if it does not exist yet.
    Raises FileError, before anything is shown, when PATH cannot be opened. A large claim file
    (`store.PREVIEW_ABOVE`) is shown from its first claims while a worker opens it in full: a
    problem found then ends the app, and `run` raises it.
    """
    path = Path(path)
    if path.is_dir():
        return ClaimcheckApp(folder=path, reviewer=reviewer)
    if not path.exists():
        raise FileError([f"{path}: no such file or folder"])
    claim_path = path if path.name.endswith((".yaml", ".yml")) else extract_beside(path)
    doc = Preview.read(claim_path, reviewer) or OpenDoc(claim_path, reviewer)
    return ClaimcheckApp(doc=doc, reviewer=reviewer)
