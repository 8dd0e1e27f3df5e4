"""The document list of a folder: every article and claim file with its progress."""
from __future__ import annotations

import os
import time
from dataclasses import replace
from pathlib import Path

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static
from textual.worker import Worker, WorkerState, get_current_worker

from claims.errors import FileError
from claims.folder import Entry, Neighbours, agrees, recorded_path, repair, scan, summarize, with_counts
from claims.reextract import extract_beside

from .. import display
from ..actions import bindings
from ..messages import ArticleExtracted, EntriesFound, EntriesSummarized, ExtractedInTurn, FolderLoaded
from ..session import OpenDoc
from .claims import ClaimsScreen

BATCH_SECONDS = 0.1  # the loading worker posts progress at most this often
COLUMNS = (("mark", "", 1), ("name", "document", 26), ("title", "title", 28), ("claims", "claims", 6),
           ("verified", "✓", 5), ("disputed", "✗", 5), ("pending", "·", 5), ("dismissed", "–", 5),
           ("bar", "progress", 20),
           ("state", "", 36))


def row_cells(e: Entry) -> dict[str, Text]:
    def num(n: int, style: str = "") -> Text:
        return Text(str(n) if e.loaded and e.exists and not e.problem else "", style=style, justify="right", end="")

    done = e.loaded and e.exists and not e.problem and e.total > 0 and e.pending == 0
    orphaned = f"{e.orphaned} orphaned" if e.loaded and e.orphaned and not e.problem else ""
    if not e.loaded:
        state = Text("loading…", style="dim")
    elif e.problem:
        problem = e.problem.replace(str(e.claims), e.claims.name)  # the full path is in the name column
        state = display.cell_text(display.shorten(problem, 36), "bold red")
    elif not e.exists:
        state = Text("not extracted yet (enter)", style="italic")
    elif e.locked_by:
        state = display.cell_text(display.shorten(f"open elsewhere: {e.locked_by}", 36), "yellow")
    elif done:
        state = Text.assemble(("done", "green"), ("  " + orphaned if orphaned else "", "dim"), end="")
    else:
        state = Text(orphaned, style="dim", end="")
    loaded = e.loaded and e.exists and not e.problem
    return {
        "mark": Text("✓" if done else ("✗" if e.problem else " "), style="bold green" if done else "bold red", end=""),
        "name": display.cell_text(display.shorten(e.name, 26)),
        "title": display.cell_text(display.shorten(e.title, 28)),
        "claims": num(e.total),
        "verified": num(e.verified, "green"),
        "disputed": num(e.disputed, "red"),
        "pending": num(e.pending),
        "dismissed": num(e.dismissed, "dim"),  # as the claims screen's header: apart from the progress
        "bar": display.progress_bar(e.verified, e.disputed, e.pending, 20) if loaded else Text(""),
        "state": state,
    }


def arrange(entries: list[Entry], by_left: bool = False, only_disputed: bool = False) -> list[Entry]:
    """The documents as the list shows them: with `only_disputed`, only those with a disputed
    claim; with `by_left`, those with the most pending claims first, then those not read or not
    extracted yet, then those with nothing left (each group in the order given), else as given."""
    out = [e for e in entries if e.disputed > 0] if only_disputed else list(entries)

    def left(e: Entry) -> tuple[int, int]:
        if e.loaded and e.exists and not e.problem:
            return (0, -e.pending) if e.pending else (2, 0)
        return (1, 0)

    return sorted(out, key=left) if by_left else out


def problem_text(e: Entry, folder: Path) -> str:
    """The entry's problem, whole, its claim file named by its path in the folder."""
    assert e.problem is not None
    try:
        name = str(e.claims.relative_to(folder))
    except ValueError:
        name = str(e.claims)
    return e.problem.replace(str(e.claims), name)


def info_line(e: Entry, folder: Path) -> Content:
    """The line under the list about the highlighted document: its problem in full, else which
    claim file it opens (and who holds it), so nothing cut short in the row has to be guessed."""
    if e.problem:
        return Content.assemble(("✗ ", "bold $text-error"), (display.safe(problem_text(e, folder)), "$text-error"))
    try:
        claims = str(e.claims.relative_to(folder))
    except ValueError:
        claims = str(e.claims)
    if not e.exists:
        where = f"{e.name}  ·  not extracted yet: enter extracts it into {claims}"
    elif e.article is not None:
        where = f"{e.name}  →  {claims}"
    else:
        where = claims
    parts = [display.safe(where)]
    if e.title:
        parts.append(display.safe(e.title))
    if e.orphaned:
        parts.append(f"{e.orphaned} orphaned (no longer in the article; not counted)")
    if e.locked_by:
        parts.append(display.safe(f"open elsewhere: {e.locked_by}"))
    return Content("  ·  ".join(parts))


class DocumentTable(DataTable):
    """The document list. enter is the screen's binding (the footer's "Open"), so the table's own
    enter (select the row) is switched off: the screen's is found, in its turn with other keys."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "select_cursor":
            return False
        return super().check_action(action, parameters)

    def on_focus(self, event: events.Focus) -> None:
        if event.from_app_focus:  # the editor is back in the terminal: files may have appeared
            self.screen.refresh_folder()


class DocumentsScreen(Screen[None]):
    SCOPE = "documents"
    BINDINGS = bindings("documents")

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = Path(folder)
        self.entries: dict[str, Entry] = {}
        self.loaded = False
        self._touched: set[str] = set()  # documents opened or extracted here
        self._articles: set[str] = set()  # the listed articles (absolute paths), for pairing
        self.by_left = False  # s: sorted by what is left to review
        self.only_disputed = False  # f: only the documents with a disputed claim
        self._failed = 0  # articles X could not extract
        # The verdicts given in the folder, for repeated claims; the loading worker reads each
        # claim file once for both.
        self.neighbours = Neighbours(self.folder)

    def compose(self) -> ComposeResult:
        yield Static(id="folder-title")
        yield Static(Content("Reading the folder…"), id="folder-status")
        yield DocumentTable(id="documents", cursor_type="row", zebra_stripes=True)
        yield Static(id="document-info", markup=False)
        yield Footer()

    @property
    def table(self) -> DataTable:
        return self.query_one("#documents", DataTable)

    def on_mount(self) -> None:
        for key, label, width in COLUMNS:
            right = key in ("claims", "verified", "disputed", "pending", "dismissed")
            self.table.add_column(Text(label, style="bold", justify="right" if right else "left"), key=key, width=width)
        self.update_title()
        self.table.focus()
        self.load_folder()

    # -- loading (worker thread: no widgets touched there) -----------------------------------
    @work(thread=True, exclusive=True, exit_on_error=False, group="folder")
    def load_folder(self) -> None:
        worker = get_current_worker()
        t0 = time.perf_counter()
        entries = scan(self.folder)
        self.post_message(EntriesFound(entries))
        batch: list[Entry] = []
        last = time.perf_counter()
        for e in entries:
            if worker.is_cancelled:
                return
            batch.append(summarize(e, self.neighbours.judged.load))
            if time.perf_counter() - last > BATCH_SECONDS:
                self.post_message(EntriesSummarized(batch))
                batch, last = [], time.perf_counter()
        if batch:
            self.post_message(EntriesSummarized(batch))
        self.post_message(FolderLoaded(len(entries), time.perf_counter() - t0))

    def on_entries_found(self, message: EntriesFound) -> None:
        self.show_entries(message.entries)
        if not message.entries:
            self.query_one("#folder-status", Static).update(
                Content(display.safe(f"No articles (*.txt, *.md) or claim files (*.claims.yaml) in {self.folder}")))
        self.update_title()

    def on_entries_summarized(self, message: EntriesSummarized) -> None:
        fresh: dict[str, Entry] = {}
        for e in message.entries:
            # The editor may have opened it since (the worker's read is stale), or it is no longer
            # a row of its own (its article turned out to have a claim file elsewhere).
            current = self.entries.get(e.key)
            if e.key in self._touched or current is None:
                continue
            fresh[e.key] = replace(e, name=current.name, article=current.article)  # the pairing is the screen's
        if any(e.exists and e.recorded != self.entries[e.key].recorded and not agrees(e, self.folder, self._articles)
               for e in fresh.values()):
            # What the claim files say of their articles may pair them otherwise than their names.
            self.show_entries(repair(self.folder, [fresh.get(k, e) for k, e in self.entries.items()]))
        else:
            for e in fresh.values():
                self.set_entry(e)
            if self.by_left or self.only_disputed:  # the counts just read may move or hide rows
                self.show_entries(list(self.entries.values()))
        self.update_title()

    def on_folder_loaded(self, message: FolderLoaded) -> None:
        self.loaded = True
        if self.entries:
            self.query_one("#folder-status", Static).update(
                Content(f"{len(self.entries)} documents  ·  enter opens one, esc comes back here"))
        self.update_title()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            self.notify(display.safe(f"{event.worker.name}: {event.worker.error}"), title="Error",
                        severity="error", markup=False)

    def show_entries(self, entries: list[Entry]) -> None:
        """Show these entries, in this order but sorted and filtered as the editor chose (s, f):
        rows updated in place when the documents shown are the same ones, else the list rebuilt
        with the cursor kept on the same document."""
        table = self.table
        shown = arrange(entries, self.by_left, self.only_disputed)
        if [e.key for e in shown] == [r.key.value for r in table.ordered_rows] and \
                [e.key for e in entries] == list(self.entries):
            for e in entries:
                if e != self.entries.get(e.key):
                    self.set_entry(e)
            return
        current = self.entries.get(self.current_key() or "")
        row = table.cursor_row
        self.entries = {e.key: e for e in entries}
        self._articles = {os.path.abspath(e.article) for e in entries if e.article is not None}
        table.clear()
        for e in shown:
            cells = row_cells(e)
            table.add_row(*(cells[k] for k, _, _ in COLUMNS), key=e.key)
        if shown:
            self.move_to(current, default=min(row, len(shown) - 1))
        self.show_info()

    def move_to(self, e: Entry | None, default: int | None = None) -> None:
        """The cursor on the row of this document (the same claim file, else the same article)."""
        keys = [r.key.value for r in self.table.ordered_rows]
        row = default
        if e is not None and e.key in keys:
            row = keys.index(e.key)
        elif e is not None and e.article is not None:
            row = next((i for i, k in enumerate(keys) if self.entries[k].article == e.article), default)
        if row is not None and row != self.table.cursor_row:
            self.table.move_cursor(row=row, animate=False)

    def set_entry(self, e: Entry) -> None:
        self.entries[e.key] = e
        if e.key not in self.table.rows:
            return
        for key, value in row_cells(e).items():
            self.table.update_cell(e.key, key, value)
        if e.key == self.current_key():
            self.show_info()

    def current_key(self) -> str | None:
        if not self.table.row_count:
            return None
        return self.table.coordinate_to_cell_key(self.table.cursor_coordinate).row_key.value

    def show_info(self) -> None:
        key = self.current_key()
        e = self.entries.get(key) if key is not None else None
        self.query_one("#document-info", Static).update(info_line(e, self.folder) if e else "")

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_info()

    def update_title(self) -> None:
        es = [e for e in self.entries.values() if e.loaded and e.exists and not e.problem]
        v = sum(e.verified for e in es)
        d = sum(e.disputed for e in es)
        p = sum(e.pending for e in es)
        x = sum(e.dismissed for e in es)
        title = Content.assemble((display.safe(str(self.folder)), "bold"),
                                 (f"   {len(self.entries)} documents, {v + d + p} claims   ", "$text-muted"))
        bar = Content.from_rich_text(display.counts_text(v, d, p))
        dismissed = Content.styled(f"  – {x} dismissed", "$text-muted") if x else Content("")
        self.query_one("#folder-title", Static).update(Content.assemble(title, bar, dismissed))

    # -- sorting and filtering (s, f) ---------------------------------------------------------
    def action_sort_by_left(self) -> None:
        self.by_left = not self.by_left
        self.rearrange()

    def action_only_disputed(self) -> None:
        self.only_disputed = not self.only_disputed
        self.rearrange()

    def rearrange(self) -> None:
        self.show_entries(list(self.entries.values()))
        said = [f"{len(self.entries)} documents"]
        if self.only_disputed:
            n = self.table.row_count
            said = [f"only the {n} with disputed claims (f: all)" if n else "no document has disputed claims (f: all)"]
        if self.by_left:
            said.append("most left to review first (s: by name)")
        self.query_one("#folder-status", Static).update(Content("  ·  ".join(said)))

    # -- opening ----------------------------------------------------------------------------
    def action_cursor_down(self) -> None:
        self.table.action_cursor_down()

    def action_cursor_up(self) -> None:
        self.table.action_cursor_up()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()  # a click on the highlighted row (enter is the screen's own binding)
        self.action_open_document()

    def claim_file_elsewhere(self, e: Entry) -> Entry:
        """The entry of the article `e` once every claim file not read yet has been asked which
        article it belongs to (the top of each file only): an article never gets a second one."""
        learned: dict[str, Entry] = {}
        for x in self.entries.values():
            if x.exists and x.recorded is None:
                r = recorded_path(x.claims)
                if r is not None:
                    learned[x.key] = replace(x, recorded=r)
        if learned:
            self.show_entries(repair(self.folder, [learned.get(k, x) for k, x in self.entries.items()]))
        return next((x for x in self.entries.values() if x.article == e.article), e)

    def action_open_document(self) -> None:
        key = self.current_key()
        if key is None:
            return
        e = self.entries[key]
        if not e.exists and e.article is not None:
            e = self.claim_file_elsewhere(e)
            key = e.key
            self.move_to(e)
        self._touched.add(key)
        if e.problem:
            self.notify(display.safe(e.problem), title="Cannot open", severity="error", markup=False)
            return
        if not e.claims.exists():
            if e.article is None:
                return
            self.notify(f"Extracting the claims of {e.name}…", markup=False)
            self.extract(e)
            return
        self.open_entry(e)

    @work(thread=True, exclusive=True, exit_on_error=False, group="extract", description="extract")
    def extract(self, e: Entry) -> None:
        try:
            path = extract_beside(e.article)
            problems: list[str] = []
        except FileError as err:
            path, problems = e.claims, err.problems
        if not get_current_worker().is_cancelled:
            self.post_message(ArticleExtracted(e.key, path, problems))

    def on_article_extracted(self, message: ArticleExtracted) -> None:
        e = self.entries.get(message.key)
        if e is None:
            return
        if message.problems:
            self.set_entry(replace(e, loaded=True, problem=message.problems[0]))
            self.notify(display.safe("\n".join(message.problems)), title="Cannot extract", severity="error",
                        markup=False)
            return
        self.set_entry(summarize(e))
        self.open_entry(self.entries[message.key])

    def open_entry(self, e: Entry) -> None:
        try:
            doc: OpenDoc = self.app.open_document(e.claims)
        except FileError as err:
            self.set_entry(replace(e, loaded=True, problem=err.problems[0]))
            self.notify(display.safe("\n".join(err.problems)), title="Cannot open", severity="error", markup=False)
            return

        def back(_: None) -> None:
            entry = replace(with_counts(self.entries.get(e.key, e), doc.review.cf), locked_by=doc.locked_by or None)
            self.app.close_document(doc)
            self.set_entry(entry)
            if self.by_left or self.only_disputed:  # what was decided may move or hide the row
                self.show_entries(list(self.entries.values()))
            self.update_title()
            self.table.focus()

        self.app.push_screen(ClaimsScreen(doc, can_go_back=True, neighbours=self.neighbours), back)

    # -- refreshing, extracting every article (r, X) ------------------------------------------
    def refresh_folder(self) -> None:
        """Read the folder again (files that appeared, progress made elsewhere); the cursor stays."""
        if self.workers_busy("extract_all"):
            return  # the list is being changed by X: it reads the folder when it is done
        self._touched.clear()  # nothing is open here: what is on disk is what to show
        self.load_folder()

    def workers_busy(self, group: str) -> bool:
        return any(w.group == group and w.node is self and w.state in (WorkerState.PENDING, WorkerState.RUNNING)
                   for w in self.workers)

    def action_refresh(self) -> None:
        self.refresh_folder()

    def on_screen_resume(self) -> None:
        if self.loaded:  # back from a document: new files may have come meanwhile
            self.refresh_folder()

    def action_extract_all(self) -> None:
        todo = [e for e in self.entries.values() if not e.exists and e.article is not None and not e.problem]
        if not todo:
            self.notify("Every article has its claim file already.", title="Nothing to extract")
            return
        if self.workers_busy("extract_all"):
            return
        self._touched.update(e.key for e in todo)
        self._failed = 0
        self.query_one("#folder-status", Static).update(Content(f"Extracting 0 of {len(todo)} articles…"))
        self.extract_all(todo)

    @work(thread=True, exclusive=True, exit_on_error=False, group="extract_all", description="extract all")
    def extract_all(self, todo: list[Entry]) -> None:
        worker = get_current_worker()
        for i, e in enumerate(todo, 1):
            if worker.is_cancelled:
                return
            try:
                path, problems = extract_beside(e.article), []
            except FileError as err:
                path, problems = e.claims, err.problems
            self.post_message(ExtractedInTurn(e.key, path, problems, i, len(todo)))

    def on_extracted_in_turn(self, message: ExtractedInTurn) -> None:
        e = self.entries.get(message.key)
        self._failed += bool(message.problems)
        if e is not None:
            self.set_entry(replace(e, loaded=True, problem=message.problems[0]) if message.problems else summarize(e))
        status = self.query_one("#folder-status", Static)
        if message.done < message.total:
            status.update(Content(display.safe(f"Extracting {message.done} of {message.total} articles…  "
                                               f"{self.entries[message.key].name if e else ''}")))
            return
        said = f"{message.total - self._failed} of {message.total} articles extracted"
        said += f", {self._failed} could not be (✗)" if self._failed else ""
        status.update(Content(f"{said}  ·  enter opens one, esc comes back here"))
        self.notify(said, title="Extract all")
        self.update_title()
