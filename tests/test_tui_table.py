"""The claims table's shortcuts (tui/widgets/claim_table.py): the row order and line list it
keeps between changes, and a changed claim drawing its own row alone, show what DataTable
itself would show, with every cache dropped."""
from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable

from claims.model import Status
from tui.app import make_app

from .conftest import asynchronous, claims_screen, screen_text, settle

SIZE = (160, 45)


def drawn_afresh(table) -> list[str]:
    """The table's lines as DataTable draws them from nothing."""
    for cache in (table._cell_render_cache, table._row_render_cache, table._row_renderable_cache, table._line_cache):
        cache.clear()
    table._row_lines_cache = None
    return [table.render_line(y).text for y in range(table.size.height)]


def drawn(table) -> list[str]:
    return [table.render_line(y).text for y in range(table.size.height)]


@asynchronous
async def test_a_changed_claim_redraws_its_row_and_the_rest_stay_true(claims_path: Path, reviewer: str):
    app = make_app(claims_path, reviewer=reviewer)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        s = claims_screen(app)
        table = s.table
        await pilot.press("v")  # the first claim verified: the cursor goes on
        await settle(pilot)
        before = drawn(table)  # every line is in the caches now
        cid = table.ids()[2]  # not under the cursor, which stays where it is
        assert cid != table.current_id
        s.refresh_claim(s.doc.set_status(cid, Status.verified))
        await settle(pilot)
        after = drawn(table)
        assert [i for i, (x, y) in enumerate(zip(before, after)) if x != y] == [3]  # its row alone, under the header
        assert "✓" in after[3]
        assert after == drawn_afresh(table)
        assert screen_text(app).count("✓") >= 2


@asynchronous
async def test_kept_row_order_follows_removals_sorts_and_clears(claims_path: Path, reviewer: str):
    app = make_app(claims_path, reviewer=reviewer)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = claims_screen(app).table

        def agrees() -> bool:
            mine, theirs = table.ordered_rows, DataTable.ordered_rows.fget(table)
            return [r.key for r in mine] == [r.key for r in theirs] and \
                table._y_offsets == DataTable._y_offsets.fget(table)

        assert agrees()
        first = table.ids()[0]
        cells = table.get_row(first)
        table.remove_row(first)
        assert agrees() and first not in [r.key.value for r in table.ordered_rows]
        table.add_row(*cells, key=first)  # as many rows as before, in another order
        assert agrees() and table.ordered_rows[-1].key.value == first
        table.remove_row(table.ids()[1])
        table.add_row(*cells, key="again")
        assert agrees()
        table.sort("trigger", key=lambda t: t.plain, reverse=True)
        assert agrees()
        table.clear()
        assert agrees() and table.ordered_rows == []
