"""The document list of a folder: every article and claim file with its progress."""
from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static
from textual.worker import Worker, WorkerState, get_current_worker

from claims.yamlio import FileError

from .. import display
from ..actions import bindings
from ..folder import Entry, Neighbours, scan, summarize, with_counts
from ..messages import ArticleExtracted, EntriesFound, EntriesSummarized, FolderLoaded
from ..session import OpenDoc, extract_beside
from .claims import ClaimsScreen

BATCH_SECONDS = 0.1  # the loading worker posts progress at most this often
COLUMNS = (("mark", "", 1), ("name", "document", 26), ("title", "title", 28), ("claims", "claims", 6),
           ("verified", "✓", 5), ("disputed", "✗", 5), ("pending", "·", 5), ("bar", "progress", 20),
           ("state", "", 36))


def row_cells(e: Entry) -> dict[str, Text]:
    def num(n: int, style: str = "") -> Text:
        return Text(str(n) if e.loaded and e.exists and not e.problem else "", style=style, justify="right", end="")

    done = e.loaded and e.exists and not e.problem and e.total > 0 and e.pending == 0
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
        state = Text("done", style="green")
    else:
        state = Text("")
    loaded = e.loaded and e.exists and not e.problem
    return {
        "mark": Text("✓" if done else ("✗" if e.problem else " "), style="bold green" if done else "bold red", end=""),
        "name": display.cell_text(display.shorten(e.name, 26)),
        "title": display.cell_text(display.shorten(e.title, 28)),
        "claims": num(e.total),
        "verified": num(e.verified, "green"),
        "disputed": num(e.disputed, "red"),
        "pending": num(e.pending),
        "bar": display.progress_bar(e.verified, e.disputed, e.pending, 20) if loaded else Text(""),
        "state": state,
    }


class DocumentsScreen(Screen[None]):
    SCOPE = "documents"
    BINDINGS = bindings("documents")

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = Path(folder)
        self.entries: dict[str, Entry] = {}
        self.loaded = False
        self._touched: set[str] = set()  # documents opened or extracted here
        # The verdicts given in the folder, for repeated claims; the loading worker reads each
        # claim file once for both.
        self.neighbours = Neighbours(self.folder)

    def compose(self) -> ComposeResult:
        yield Static(id="folder-title")
        yield Static(Content("Reading the folder…"), id="folder-status")
        yield DataTable(id="documents", cursor_type="row", zebra_stripes=True)
        yield Footer()

    @property
    def table(self) -> DataTable:
        return self.query_one("#documents", DataTable)

    def on_mount(self) -> None:
        for key, label, width in COLUMNS:
            right = key in ("claims", "verified", "disputed", "pending")
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
        for e in message.entries:
            self.entries[e.key] = e
            cells = row_cells(e)
            self.table.add_row(*(cells[k] for k, _, _ in COLUMNS), key=e.key)
        if not message.entries:
            self.query_one("#folder-status", Static).update(
                Content(display.safe(f"No articles (*.txt, *.md) or claim files (*.claims.yaml) in {self.folder}")))
        self.update_title()

    def on_entries_summarized(self, message: EntriesSummarized) -> None:
        for e in message.entries:
            if e.key not in self._touched:  # else the editor has opened it since: the worker's read is stale
                self.set_entry(e)
        self.update_title()

    def on_folder_loaded(self, message: FolderLoaded) -> None:
        self.loaded = True
        if message.count:
            self.query_one("#folder-status", Static).update(
                Content(f"{message.count} documents  ·  enter opens one, esc comes back here"))
        self.update_title()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            self.notify(display.safe(f"{event.worker.name}: {event.worker.error}"), title="Error",
                        severity="error", markup=False)

    def set_entry(self, e: Entry) -> None:
        self.entries[e.key] = e
        if e.key not in self.table.rows:
            return
        for key, value in row_cells(e).items():
            self.table.update_cell(e.key, key, value)

    def update_title(self) -> None:
        es = [e for e in self.entries.values() if e.loaded and e.exists and not e.problem]
        v = sum(e.verified for e in es)
        d = sum(e.disputed for e in es)
        p = sum(e.pending for e in es)
        title = Content.assemble((display.safe(str(self.folder)), "bold"),
                                 (f"   {len(self.entries)} documents, {v + d + p} claims   ", "$text-muted"))
        bar = Content.from_rich_text(display.counts_text(v, d, p))
        self.query_one("#folder-title", Static).update(Content.assemble(title, bar))

    # -- opening ----------------------------------------------------------------------------
    def action_cursor_down(self) -> None:
        self.table.action_cursor_down()

    def action_cursor_up(self) -> None:
        self.table.action_cursor_up()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()  # a click on the highlighted row (enter is the screen's own binding)
        self.action_open_document()

    def action_open_document(self) -> None:
        if not self.table.row_count:
            return
        key = self.table.coordinate_to_cell_key(self.table.cursor_coordinate).row_key.value
        e = self.entries[key]
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
        e = self.entries[message.key]
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
            entry = replace(with_counts(self.entries[e.key], doc.review.cf), locked_by=doc.locked_by or None)
            self.app.close_document(doc)
            self.set_entry(entry)
            self.update_title()
            self.table.focus()

        self.app.push_screen(ClaimsScreen(doc, can_go_back=True, neighbours=self.neighbours), back)
