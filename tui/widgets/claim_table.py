"""The claims table: one row per claim, keyed by claim id. Rebuilt only when the filters or
the search change (or the terminal is resized); a change to one claim updates its cells in place.

A long list is added a screenful first and the rest in batches between key presses, so that
a file of 10,000 claims is on screen at once; `shown`, `ids()` and `show()` speak of every
claim in the list, whether or not its row has been added yet."""
from __future__ import annotations

from rich.text import Text
from textual import events
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey, RowKey

from claims.model import Claim, Status

from .. import display

COLUMNS = (  # key, label, width in cells (the clause column takes what is left)
    ("mark", "", 3),
    ("kind", "kind", 4),
    ("trigger", "trigger", 14),
    ("value", "value / speaker", 18),
    ("text", "claim", 0),
)
_FIXED = {k: w for k, _, w in COLUMNS if w}
MIN_TEXT, MAX_TEXT = 10, 120
FIRST_ROWS = 200  # added at once: more than a screen holds
BATCH_ROWS = 1000  # then this many at a time
GROW_PAUSE = 0.01  # seconds between batches


def mark(claim: Claim, repeated: bool = False) -> Text:
    t = Text(display.STATUS_MARK[claim.status], style=display.STATUS_STYLE[claim.status], end="")
    if repeated:
        t.append("↺", style="bold cyan")  # already judged in another article
    if claim.orphaned_at is not None:
        t.append("†" if repeated else " †", style="bold red")  # no longer in the article
    elif claim.status == Status.disputed and not claim.note.strip():
        t.append("!" if repeated else " !", style="bold red")  # disputed, but the note saying why is missing
    elif claim.note or claim.evidence:
        t.append("*" if repeated else " *", style="bold yellow")  # has a note or evidence
    return t


class ClaimTable(DataTable):
    """A DataTable of claims; the row key is the claim id."""

    _row_order = 0  # changes when rows are removed, reordered or cleared (see `ordered_rows`)
    _row_lines_cache: tuple[tuple, list, list] | None = None  # (row count, order), the rows, their lines

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.text_width = 40
        self._shown: dict[str, Claim] = {}  # every claim of the list, in its order
        self._fill_generation = 0  # a batch left over from an earlier fill stops itself
        self._repeated: set[str] = set()  # ids of claims judged in another article

    def on_mount(self) -> None:
        if not self.columns:
            # A first guess at the width this table will get (3/5 of the screen, see app.tcss), so that
            # the first resize rarely has to refill the rows.
            self.text_width = self._text_width(max(60, self.app.size.width * 3 // 5))
            self._add_columns()

    def _add_columns(self) -> None:
        for key, label, width in COLUMNS:
            self.add_column(Text(label, style="bold"), key=key, width=width or self.text_width)

    def cells(self, claim: Claim) -> dict[str, Text]:
        return {
            "mark": mark(claim, claim.id in self._repeated),
            "kind": display.cell_text(display.KIND_SHORT[claim.kind], "cyan"),
            "trigger": display.cell_text(display.shorten(claim.trigger.text, _FIXED["trigger"]), "bold"),
            "value": display.cell_text(display.shorten(display.value_or_speaker(claim), _FIXED["value"])),
            "text": display.cell_text(display.shorten(claim.text, self.text_width)),
        }

    def fill(self, claims: list[Claim], keep: str | None = None) -> None:
        """Replace every row; put the cursor back on claim `keep` if it is still shown."""
        self.clear()
        self._fill_generation += 1
        self._shown = {c.id: c for c in claims}
        self._add_rows(FIRST_ROWS)
        if keep is not None and keep in self._shown:
            self.show(keep)
        elif claims:
            self.move_cursor(row=0, animate=False)
        if self.row_count < len(self._shown):
            self._grow_later(self._fill_generation)

    def _add_rows(self, upto: int) -> None:
        for cid in list(self._shown)[self.row_count : upto]:
            row = self.cells(self._shown[cid])
            self.add_row(*(row[k] for k, _, _ in COLUMNS), key=cid)

    def _grow(self, generation: int) -> None:
        if generation != self._fill_generation:
            return  # refilled since
        self._add_rows(self.row_count + BATCH_ROWS)
        if self.row_count < len(self._shown):
            self._grow_later(generation)

    def _grow_later(self, generation: int) -> None:
        # A timer, not call_later: the screen is drawn and waiting keys are handled between
        # batches, where a chain of call_later would keep the queue busy until the last row.
        self.set_timer(GROW_PAUSE, lambda: self._grow(generation))

    @property
    def shown(self) -> int:
        """How many claims the list holds (rows may still be being added)."""
        return len(self._shown)

    def show(self, claim_id: str) -> None:
        """Put the cursor on a claim of the list, adding rows up to it if need be."""
        if claim_id not in self._shown:
            return
        if claim_id not in self.rows:
            self._add_rows(list(self._shown).index(claim_id) + 1)
        self.move_cursor(row=self.get_row_index(claim_id), animate=False)

    def update_claim(self, claim: Claim) -> None:
        """Refresh one claim's row in place (no rebuild); a claim filtered out is left alone."""
        if claim.id not in self._shown:
            return
        self._shown[claim.id] = claim
        if claim.id not in self.rows:
            return  # its row, when added, is made from the claim as it is now
        row = self.cells(claim)
        self._set_cells(claim.id, {k: row[k] for k in ("mark", "value", "text")})

    def _set_cells(self, claim_id: str, cells: dict[str, Text]) -> None:
        """Change cells of one row and draw that row again, and only it. DataTable's update_cell
        forgets every row's rendering (40 rows on screen drawn again, 35 ms of a key press at
        10,000 claims); its caches are keyed by row or line, so this row's entries are dropped."""
        key = RowKey(claim_id)
        data = self._data[key]
        for column, value in cells.items():
            data[ColumnKey(column)] = value
        index = self.get_row_index(claim_id)
        line = index + (self.header_height if self.show_header else 0)  # every row is one line
        for cache, part, value in ((self._cell_render_cache, 0, key), (self._row_render_cache, 0, key),
                                   (self._row_renderable_cache, 1, index), (self._line_cache, 0, line)):
            for k in [k for k in cache.keys() if k[part] == value]:
                cache.discard(k)
        self.refresh_row(index)

    def set_repeated(self, ids: set[str]) -> None:
        """Mark the claims judged in another article (↺), updating only the rows that change."""
        changed = self._repeated ^ ids
        self._repeated = set(ids)
        for cid in changed:
            if cid in self.rows:
                self.update_cell(cid, "mark", mark(self._shown[cid], cid in ids))

    # DataTable lists its rows in order, and every line of them, again after any change to a
    # cell (its caches are keyed by a count of every update): at 10,000 rows, 10-20 ms for
    # each key press that changes one claim's row. Rows are in order and one line each until
    # rows are added, removed, sorted or cleared, so the lists are kept until then.
    def _row_lists(self) -> tuple[list, list]:
        key = (self.row_count, self._row_order)
        if self._row_lines_cache is None or self._row_lines_cache[0] != key:
            rows = [self.rows[self._row_locations.get_key(i)] for i in range(self.row_count)]
            offsets = [(row.key, y) for row in rows for y in range(row.height)]
            self._row_lines_cache = (key, rows, offsets)
        return self._row_lines_cache[1], self._row_lines_cache[2]

    @property
    def ordered_rows(self):
        return self._row_lists()[0]

    @property
    def _y_offsets(self):
        return self._row_lists()[1]

    def clear(self, columns: bool = False):
        self._row_order += 1
        return super().clear(columns)

    def remove_row(self, row_key) -> None:
        self._row_order += 1
        super().remove_row(row_key)

    def sort(self, *args, **kwargs):
        self._row_order += 1
        return super().sort(*args, **kwargs)

    def _update_dimensions(self, new_rows) -> None:
        # DataTable measures every cell of new rows to size auto-width columns. Here every
        # column has a fixed width and every row is one line, so that (a second and a half
        # for 10,000 claims) would find nothing; the table's size is still worked out.
        if all(not c.auto_width for c in self.columns.values()) and all(
            not self.rows[k].auto_height and self.rows[k].label is None for k in new_rows if k in self.rows
        ):
            new_rows = ()
        else:
            self._row_order += 1  # a row's height may be measured anew
        super()._update_dimensions(new_rows)

    @staticmethod
    def _text_width(table_width: int) -> int:
        # The clause column takes the width the fixed columns leave (each has 1 cell of padding a side).
        spare = table_width - sum(w + 2 for w in _FIXED.values()) - 2 - 2  # its own padding, the scrollbar
        return max(MIN_TEXT, min(MAX_TEXT, spare))

    def on_resize(self, event: events.Resize) -> None:
        width = self._text_width(event.size.width)
        if width != self.text_width:
            self.text_width = width
            keep = self.current_id
            self.clear(columns=True)
            self._add_columns()
            self.fill(list(self._shown.values()), keep)

    @property
    def current_id(self) -> str | None:
        if not self.row_count:
            return None
        return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value

    def ids(self) -> list[str]:
        """Every claim of the list, in order, rows added or not."""
        return list(self._shown)
