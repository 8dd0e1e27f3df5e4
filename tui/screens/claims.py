"""The main screen: the claims table beside the claim's detail, under a progress header."""
from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from claims import repeats
from claims.errors import FileError
from claims.folder import Neighbours
from claims.model import Claim, ClaimFile, Status
from claims.repeats import Verdict

from .. import display, heap
from ..actions import bindings
from ..messages import OpenedInFull, VerdictsFound
from ..session import KIND_FILTERS, STATUS_FILTERS, OpenDoc, Preview
from ..widgets.claim_detail import ClaimDetail
from ..widgets.claim_table import ClaimTable
from ..widgets.doc_header import DocHeader
from ..widgets.key_bar import KeyBar
from .article import ArticleScreen
from .decide import Deciding
from .prompt import EvidenceScreen, PromptScreen

if TYPE_CHECKING:
    from ..app import ClaimcheckApp

SEARCH_DELAY = 0.15  # seconds of no typing before the table follows the search box
NARROW_BELOW = 110  # cells: the table's 60 and the detail's 40 side by side, with their edges
# Shown first when the footer cannot hold every key: help, quit, and what escape does now.
FIRST_IN_NARROW_FOOTER = ("help", "quit", "clear_view", "back")


class SearchBox(Input):
    """The `/` search: the table follows as you type; enter keeps the search, escape clears it."""

    BINDINGS = [Binding("escape", "clear", "Clear search", id="search.clear", tooltip="Clear the search and close it")]

    class Cleared(Message):
        """The editor closed the search with escape."""

    def action_clear(self) -> None:
        self.value = ""
        self.post_message(self.Cleared())

    def open(self) -> None:
        """Show the box and focus it at once (`focus()` waits for the queue, and what is typed
        right after `/` would go to the table)."""
        self.add_class("-visible")
        self.styles.display = "block"  # now, not when the class's style is next applied
        self.screen.set_focus(self)

    def close(self) -> None:
        self.remove_class("-visible")
        self.styles.clear_rule("display")


class ClaimsScreen(Deciding, Screen[None]):
    SCOPE = "claims"
    BINDINGS = bindings("claims")
    # Below 110 cells the table and the detail no longer fit side by side: they stack (app.tcss),
    # and the footer puts help and quit first so that they are never the keys cut off.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (NARROW_BELOW, "-wide")]

    def __init__(self, doc: OpenDoc | Preview, *, can_go_back: bool = False,
                 neighbours: Neighbours | None = None) -> None:
        super().__init__()
        self.doc: OpenDoc | Preview = doc  # a Preview until the worker has opened the file in full
        self.can_go_back = can_go_back
        self.neighbours = neighbours
        self.verdicts: dict[str, Verdict] = {}  # claim id → the verdict given in another article
        self.verdicts_shown = False  # the look at the other articles is done and on screen
        self.status_filter: Status | None = None
        self.kind_filter = None
        self.query_text = ""
        self._search_timer: Timer | None = None
        self._narrow: bool | None = None  # laid out for a terminal narrower than NARROW_BELOW
        self._start: str | None = None  # the claim the cursor was put on first

    # -- layout -----------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield DocHeader(id="doc-header")
        yield from self.banners()
        with Horizontal(id="body"):
            with Vertical(id="list"):
                yield Static(id="filters")
                yield ClaimTable(id="claims")
            with VerticalScroll(id="detail-pane"):
                yield ClaimDetail(id="detail")
        yield SearchBox(placeholder="search claim text, speakers and values  (enter: keep · escape: clear)", id="search")
        yield KeyBar()  # every key, on as many lines as the width takes (a one-line footer cuts some off)

    def banners(self) -> list[Static]:
        """What stops or qualifies the review, above the table (none for a preview: not known yet)."""
        out = []
        if self.doc.read_only:
            out.append(Static(Content(display.safe(f"READ-ONLY: {self.doc.read_only_reason}")), id="readonly",
                              classes="banner error"))
        if self.doc.article_problem:
            out.append(Static(Content(display.safe(self.doc.article_problem)), id="article-problem",
                              classes="banner warning"))
        if self.doc.log_problem and self.doc.log_problem != self.doc.read_only_reason:
            out.append(Static(Content(display.safe(self.doc.log_problem)), id="log-problem", classes="banner warning"))
        return out

    def on_mount(self) -> None:
        d = self.doc.document
        header = self.query_one(DocHeader)
        header.set_document(d.title, d.date, self.doc.path.name, self.doc.reviewer)
        self.rebuild()
        self._start_where_the_work_is()
        self.table.focus()
        if isinstance(self.doc, Preview):
            header.set_opening(self.doc.total)
            # Once the first screen is out: the worker takes the processor from the drawing.
            self.call_after_refresh(self.open_in_full, self.doc, self.app)
            return
        header.set_counts(self.doc.counts(), self.doc.orphaned())
        self._opened()

    def _start_where_the_work_is(self) -> None:
        if self.current is not None and self.current.status != Status.pending:
            self._go_pending(+1, quiet=True)
            self.show_detail()
        self._start = self.table.current_id  # where the cursor was put: left there, the full open moves it on

    def _opened(self, settle_now: bool = False) -> None:
        """What follows the opening of the file in full."""
        if self.doc.notice:
            self.notify(display.safe(self.doc.notice), title="Article changed", markup=False, timeout=10)
        if self.neighbours is not None:
            # The file's stamp taken here, before any key press can save it again (see find_verdicts).
            self.find_verdicts(self.doc.review.cf, None if self.doc.read_only else repeats._stamp(self.doc.path))
        if settle_now and heap.freeze_first():
            # Left for the timer, a full collection over the 10,000 claims just opened (90 ms)
            # came first, in the middle of the first key press.
            return
        # After the first frame is out, so that the collection it may run does not delay it.
        self.set_timer(0.1, heap.settle)

    # -- a large file shown from its preview, opened in full meanwhile (worker thread) ---------
    @work(thread=True, exclusive=True, group="open", description="open in full")
    def open_in_full(self, preview: Preview, app: ClaimcheckApp) -> None:
        # `app` passed in: a screen finds its app through its parent, gone once the app closes.
        if not app.begin_opening():
            return
        doc = None
        try:
            doc = OpenDoc(preview.path, preview.reviewer, preview.history)
        except FileError as e:  # anything else ends the app as a bug would (exit_on_error)
            self.post_message(OpenedInFull(None, e))
            return
        finally:
            app.end_opening(doc)
        self.post_message(OpenedInFull(doc))

    def on_opened_in_full(self, message: OpenedInFull) -> None:
        if message.doc is None:
            assert message.error is not None
            self.app.refuse_open(message.error)
            return
        preview, doc = self.doc, message.doc
        assert isinstance(preview, Preview)
        self.doc = doc
        self.app.opened_in_full(preview, doc)
        if banners := self.banners():
            self.mount_all(banners, before=self.query_one("#body"))
        self.query_one(DocHeader).set_counts(doc.counts(), doc.orphaned())
        untouched = self.table.current_id == self._start
        self.rebuild()
        if untouched:
            self._start_where_the_work_is()
        self._opened(settle_now=True)

    # -- verdicts given in other articles (worker thread: no widgets touched there) -----------
    # A description of our own: Textual's default is the repr of the arguments, which for a
    # file of 10,000 claims took longer than reading it.
    @work(thread=True, exclusive=True, exit_on_error=False, group="verdicts", description="find verdicts")
    def find_verdicts(self, cf: ClaimFile, stamp: tuple | None = None) -> None:
        if stamp is not None:
            # The open file is never a source of verdicts, but the folder's files are read
            # before it is left out: counted from memory as the file on disk when `cf` was it
            # (ours, locked), 10,000 claims are not read a second time, in a thread that held
            # the first screen back. Saved since, its stamp differs and it is read as before.
            self.neighbours.judged.add(self.doc.path, cf, stamp)
        verdicts = self.neighbours.verdicts(self.doc.path, cf)
        if not get_current_worker().is_cancelled:
            self.post_message(VerdictsFound(verdicts))

    def on_verdicts_found(self, message: VerdictsFound) -> None:
        self.verdicts = message.verdicts
        self.table.set_repeated(set(self.verdicts))
        self.show_filters()
        self.show_detail()
        self.verdicts_shown = True

    @property
    def table(self) -> ClaimTable:
        return self.query_one("#claims", ClaimTable)

    @property
    def current(self) -> Claim | None:
        cid = self.table.current_id
        return self.doc.claim(cid) if cid is not None else None

    def rebuild(self) -> None:
        """Refill the table from the filters and the search (the only full rebuild)."""
        visible = self.doc.visible(self.status_filter, self.kind_filter, self.query_text)
        self.table.fill(visible, keep=self.table.current_id)
        self.show_filters()
        self.show_detail()
        self.refresh_bindings()  # escape clears a search or filter, or goes back

    def show_filters(self) -> None:
        visible = self.table.shown
        parts: list = [("status ", "$text-muted"), (self.status_filter.value if self.status_filter else "all", "bold"),
                       ("   kind ", "$text-muted"), (self.kind_filter.value if self.kind_filter else "all", "bold")]
        if self.query_text:
            parts += [("   search ", "$text-muted"), (f"“{display.safe(self.query_text)}”", "bold $text-accent")]
        if isinstance(self.doc, Preview):
            parts += [("   ", ""), (f"the first {visible} of {self.doc.total:,} claims (opening)", "$text-muted")]
        else:
            parts += [("   ", ""), (f"{visible} of {len(self.doc.claims)} claims", "$text-muted")]
        if self.verdicts:
            parts += [("   ↺ ", "bold $text-accent"), (f"{len(self.verdicts)} judged elsewhere", "$text-muted")]
        self.query_one("#filters", Static).update(Content.assemble(*parts))

    def show_detail(self) -> None:
        claim = self.current
        verdict = self.verdicts.get(claim.id) if claim else None
        where = self.neighbours.name(verdict) if verdict and self.neighbours else ""
        self.query_one(ClaimDetail).show(claim, self.doc.context(claim) if claim else None, verdict, where,
                                         whole=not self.has_class("-narrow"))

    def refresh_claim(self, claim: Claim) -> None:
        """After a change: the claim's row, the progress, and the detail if it is the current claim.
        A claim that leaves the view (dismissed, or an added one undone) or comes back to it
        (undone, redone) refills the table."""
        ids = self.table.ids()
        listed = claim.id in ids
        if listed != (self.doc.has(claim.id)
                      and self.doc.passes(claim, self.status_filter, self.kind_filter, self.query_text)):
            keep = self.table.current_id
            if keep == claim.id and listed:  # the cursor goes on to the next row
                i = ids.index(claim.id)
                keep = ids[i + 1] if i + 1 < len(ids) else ids[i - 1] if i else None
            self.table.fill(self.doc.visible(self.status_filter, self.kind_filter, self.query_text), keep=keep)
            self.show_filters()
            self.show_detail()
            self.query_one(DocHeader).set_counts(self.doc.counts(), self.doc.orphaned())
            return
        self.table.update_claim(claim)
        self.query_one(DocHeader).set_counts(self.doc.counts(), self.doc.orphaned())
        if self.table.current_id == claim.id:
            self.show_detail()

    def on_data_table_row_highlighted(self, event: ClaimTable.RowHighlighted) -> None:
        self.show_detail()
        if self.verdicts:
            self.refresh_bindings()  # A (adopt) is offered on a claim judged elsewhere

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("search", "edit_note", "add_evidence", "edit_evidence"):
            return not isinstance(self.focused, Input)  # a `/` or an `n` typed in the box is itself
        if action == "adopt":
            claim = self.current
            return claim is not None and claim.id in self.verdicts
        if action == "clear_view":
            return self.narrowed
        if action == "back":
            return self.can_go_back and not self.narrowed
        return True

    @property
    def narrowed(self) -> bool:
        """Whether a kept search or a filter hides claims (escape then clears it)."""
        return bool(self.query_text or self.status_filter or self.kind_filter)

    @property
    def active_bindings(self):
        active = super().active_bindings
        if not self.has_class("-narrow"):
            return active
        first = {k: b for k, b in active.items() if b.node in (self, self.app) and b.binding.action in FIRST_IN_NARROW_FOOTER}
        first = dict(sorted(first.items(), key=lambda kb: FIRST_IN_NARROW_FOOTER.index(kb[1].binding.action)))
        return {**first, **{k: b for k, b in active.items() if k not in first}}

    def on_resize(self, event) -> None:
        narrow = event.size.width < NARROW_BELOW
        if self._narrow != narrow:
            self._narrow = narrow
            self.refresh_bindings()  # the keys are shown again, help and quit first when narrow
            self.call_after_refresh(self.show_detail)  # the sentence alone when narrow, else the paragraph

    # -- moving -----------------------------------------------------------------------------
    def action_cursor_down(self) -> None:
        self.table.action_cursor_down()

    def action_cursor_up(self) -> None:
        self.table.action_cursor_up()

    def _go_pending(self, step: int, *, quiet: bool = False) -> bool:
        ids = self.table.ids()
        if not ids:
            return False
        here = self.table.cursor_row
        n = len(ids)
        for i in range(1, n + 1):
            j = (here + step * i) % n
            if self.doc.claim(ids[j]).status == Status.pending:
                if j != here:
                    self.table.show(ids[j])
                return True
        if not quiet:
            self.notify("No pending claims left in this view.", title="All reviewed")
        return False

    def action_next_pending(self) -> None:
        self._go_pending(+1)

    def action_previous_pending(self) -> None:
        self._go_pending(-1)

    # -- changing (v d p x n: tui/screens/decide.py) -------------------------------------------
    def decided(self) -> None:
        self._go_pending(+1, quiet=True)

    def action_adopt(self) -> None:
        """A: the verdict given on this claim in another article, taken over (and logged so)."""
        claim = self._guard()
        v = self.verdicts.get(claim.id) if claim is not None else None
        if claim is None or v is None:
            return
        new = self._apply(lambda: self.doc.adopt(claim.id, v))
        if new is None:
            return
        where = self.neighbours.name(v) if self.neighbours else v.claim_file
        self.notify(display.safe(f"{v.status} adopted from {where}"), markup=False)
        self.decided()
        self.refresh_claim(new)

    def action_add_evidence(self) -> None:
        claim = self._guard()
        if claim is None:
            return

        def save(value: str | None) -> None:
            if not value or not value.strip():
                return
            try:
                new = self.doc.add_evidence(claim.id, value)
            except FileError as e:
                self._refused(e)
                return
            if new is not None:
                self.refresh_claim(new)

        self.app.push_screen(PromptScreen("Add evidence: a link or a source", claim.text, "",
                                          "https://…  or  source, page, date"), save)

    def action_edit_evidence(self) -> None:
        claim = self._guard()
        if claim is None:
            return
        if not claim.evidence:
            self.notify("This claim has no evidence yet: e adds some.", title="No evidence")
            return

        def change(index: int, value: str) -> None:
            try:
                new = self.doc.edit_evidence(claim.id, index, value)
            except FileError as e:
                self._refused(e)
                return
            if new is not None:
                self.refresh_claim(new)
                if not value.strip():
                    self.notify(f"Evidence {index + 1} removed (u undoes it).", markup=False)

        def picked(choice: tuple[str, int] | None) -> None:
            if choice is None:
                return
            what, index = choice
            if what == "remove":
                change(index, "")
                return
            shown = display.safe(claim.evidence[index])

            def edited(value: str | None) -> None:
                if value is not None and value != shown:
                    change(index, value)  # emptied: removed

            self.app.push_screen(PromptScreen(f"Edit evidence {index + 1} (empty removes it)", claim.text,
                                              claim.evidence[index], "https://…  or  source, page, date"), edited)

        self.app.push_screen(EvidenceScreen(claim.text, claim.evidence), picked)

    def _replay(self, undo: bool) -> None:
        if self.doc.read_only or self.doc.opening:
            self._guard()
            return
        try:
            done = self.doc.undo() if undo else self.doc.redo()
        except FileError as e:
            self._refused(e)
            return
        if done is None:
            self.notify("Nothing to undo." if undo else "Nothing to redo.")
            return
        step, claim = done
        self.refresh_claim(claim)
        self.table.show(claim.id)  # an added claim undone is gone: the cursor stays on its neighbour
        verb = "Undone" if undo else "Redone"
        if step.added is not None:
            what = "taken out again (logged as removed)" if undo else "added again"
            self.notify(f"{verb}: {claim.id} ({step.what}) {what}", markup=False)
            return
        self.notify(f"{verb}: {step.what} of {claim.id}", markup=False)

    def action_undo(self) -> None:
        self._replay(undo=True)

    def action_redo(self) -> None:
        self._replay(undo=False)

    # -- filters and search -----------------------------------------------------------------
    def action_cycle_status_filter(self) -> None:
        i = STATUS_FILTERS.index(self.status_filter)
        self.status_filter = STATUS_FILTERS[(i + 1) % len(STATUS_FILTERS)]
        self.rebuild()

    def action_cycle_kind_filter(self) -> None:
        i = KIND_FILTERS.index(self.kind_filter)
        self.kind_filter = KIND_FILTERS[(i + 1) % len(KIND_FILTERS)]
        self.rebuild()

    def action_clear_view(self) -> None:
        """Escape in the table: drop the kept search and the filters."""
        if self._search_timer is not None:
            self._search_timer.stop()
        box = self.query_one(SearchBox)
        box.value = ""
        box.close()
        self.query_text = ""
        self.status_filter = None
        self.kind_filter = None
        self.rebuild()

    def action_search(self) -> None:
        self.query_one(SearchBox).open()

    @on(Input.Changed, "#search")
    def _search_typed(self, event: Input.Changed) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
        self._search_timer = self.set_timer(SEARCH_DELAY, lambda: self._apply_search(event.value))

    def on_search_box_cleared(self, event: SearchBox.Cleared) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
        self._apply_search("")
        self.query_one(SearchBox).close()
        self.table.focus()

    @on(Input.Submitted, "#search")
    def _search_submitted(self, event: Input.Submitted) -> None:
        if self._search_timer is not None:
            self._search_timer.stop()
        self._apply_search(event.value)
        if not event.value:
            self.query_one(SearchBox).close()
        self.table.focus()

    def _apply_search(self, query: str) -> None:
        if query != self.query_text:
            self.query_text = query
            self.rebuild()

    # -- other screens ----------------------------------------------------------------------
    def action_article(self) -> None:
        if isinstance(self.doc, Preview):  # its claims are not all read yet
            self.notify(display.safe(self.doc.still_opening()), title="Opening", severity="warning", markup=False)
            return

        def back(at: str | None) -> None:
            # Claims decided or added there: the table as the filters now show it, on the claim
            # the article view had highlighted.
            self.table.fill(self.doc.visible(self.status_filter, self.kind_filter, self.query_text),
                            keep=at or self.table.current_id)
            self.show_filters()
            self.show_detail()
            self.query_one(DocHeader).set_counts(self.doc.counts(), self.doc.orphaned())

        self.app.push_screen(ArticleScreen(self.doc, self.table.current_id), back)

    def action_back(self) -> None:
        if self.can_go_back:
            self.dismiss(None)
