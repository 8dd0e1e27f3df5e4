"""The review UI in an 80×24 terminal (pytest-textual-snapshot): every key that matters is on
screen, the footer wrapped onto two lines (tui/widgets/key_bar.py)."""
from __future__ import annotations

from .test_tui_snapshots import REVIEWS, write_pair

SIZE = (80, 24)


def test_main_screen_at_80_by_24_shows_every_key(snap_compare, tmp_path):
    from tui.app import make_app

    path = write_pair(tmp_path, "article", REVIEWS)

    async def run_before(pilot):
        await pilot.pause()
        await pilot.press("j", "j")  # the disputed claim
        await pilot.pause()

    assert snap_compare(make_app(path, reviewer="alice"), terminal_size=SIZE, run_before=run_before)


def test_the_keys_at_80_by_24_are_all_on_screen(tmp_path):
    import asyncio

    from tui.actions import actions
    from tui.app import make_app

    from .conftest import screen_text

    path = write_pair(tmp_path, "article", REVIEWS)

    async def run() -> str:
        app = make_app(path, reviewer="alice")
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            return screen_text(app)

    text = asyncio.run(run())
    bottom = "\n".join(text.splitlines()[-2:])
    shown = [a for a in actions("claims") if a.show and a.id not in ("claims.clear", "claims.back", "claims.adopt")]
    for a in shown:
        assert f"{a.key_display or a.keys} {a.footer or a.title}" in bottom, a.id
    assert "? Help" in bottom and "q Quit" in bottom
