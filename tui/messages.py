"""Messages that workers post to screens. Workers never touch widgets; handlers do."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message

from claims.errors import FileError
from claims.folder import Entry
from claims.repeats import Verdict

if TYPE_CHECKING:
    from .session import OpenDoc


class EntriesFound(Message):
    """The folder's documents, by name, before any claim file is read."""

    def __init__(self, entries: list[Entry]) -> None:
        super().__init__()
        self.entries = entries


class EntriesSummarized(Message):
    """Some documents' titles and progress (posted in batches while the folder loads)."""

    def __init__(self, entries: list[Entry]) -> None:
        super().__init__()
        self.entries = entries


class FolderLoaded(Message):
    def __init__(self, count: int, seconds: float) -> None:
        super().__init__()
        self.count = count
        self.seconds = seconds


class ArticleExtracted(Message):
    """An article's claim file was written (`problems` empty), or could not be (why)."""

    def __init__(self, key: str, claim_path: Path, problems: list[str]) -> None:
        super().__init__()
        self.key = key
        self.claim_path = claim_path
        self.problems = problems


class VerdictsFound(Message):
    """The verdicts given in the folder's other files on claims of the open file, by claim id."""

    def __init__(self, verdicts: dict[str, Verdict]) -> None:
        super().__init__()
        self.verdicts = verdicts


class ExtractedInTurn(Message):
    """One article of `X` (extract every article not extracted yet) done: its claim file written
    (`problems` empty) or why not; `done` of `total` so far."""

    def __init__(self, key: str, claim_path: Path, problems: list[str], done: int, total: int) -> None:
        super().__init__()
        self.key = key
        self.claim_path = claim_path
        self.problems = problems
        self.done = done
        self.total = total


class OpenedInFull(Message):
    """The claim file shown from its preview is open (`doc`), or could not be opened (`error`)."""

    def __init__(self, doc: OpenDoc | None, error: FileError | None = None) -> None:
        super().__init__()
        self.doc = doc
        self.error = error
