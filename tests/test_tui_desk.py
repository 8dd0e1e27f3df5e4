"""The document list sorted by what is left (s) and filtered to the documents with disputed
claims (f), issue 15 item 3: driven with the keyboard through Textual's pilot."""
from __future__ import annotations

import shutil
from pathlib import Path

from claims import store
from tui.app import make_app
from tui.screens.claims import ClaimsScreen
from tui.screens.documents import DocumentsScreen, arrange

from .conftest import ROOT, asynchronous, screen_text, wait_for

SIZE = (160, 45)
CORPUS = ROOT / "tests" / "corpus"
NAMES = ("dev01_economy", "dev02_weather", "dev03_taiwan")


def desk(cli, folder: Path) -> dict[str, int]:
    """Three articles extracted beside themselves and partly reviewed: dev01 with a disputed
    claim and nothing else done, dev03 with most of its claims verified and one disputed, dev02
    untouched. Returns each one's pending claims."""
    folder.mkdir()
    for n in NAMES:
        shutil.copy(CORPUS / f"{n}.txt", folder / f"{n}.txt")
    assert cli("extract", str(folder), "-o", str(folder)).returncode == 0
    claims = {n: store.load(folder / f"{n}.claims.yaml").claims for n in NAMES}
    marks = [("dev01_economy", claims["dev01_economy"][0].id, "disputed"),
             ("dev03_taiwan", claims["dev03_taiwan"][0].id, "disputed"),
             *(("dev03_taiwan", c.id, "verified") for c in claims["dev03_taiwan"][1:60])]
    for n, cid, status in marks:
        assert cli("mark", str(folder / f"{n}.claims.yaml"), cid, status, "--reviewer", "tester").returncode == 0
    return {n: sum(c.status.value == "pending" for c in store.load(folder / f"{n}.claims.yaml").claims)
            for n in NAMES}


def rows(s: DocumentsScreen) -> list[str]:
    return [s.entries[r.key.value].name for r in s.table.ordered_rows]


@asynchronous
async def test_sort_by_what_is_left_and_show_only_the_disputed(cli, tmp_path, monkeypatch):
    pending = desk(cli, tmp_path / "desk")
    assert pending["dev01_economy"] > pending["dev02_weather"] > pending["dev03_taiwan"]
    monkeypatch.chdir(tmp_path)
    app = make_app(Path("desk"), reviewer="tester")
    async with app.run_test(size=SIZE) as pilot:
        s = app.screen
        assert isinstance(s, DocumentsScreen)
        await wait_for(pilot, lambda: s.loaded and all(e.loaded for e in s.entries.values()))
        await pilot.pause()
        by_name = [f"{n}.txt" for n in NAMES]
        assert rows(s) == by_name
        await pilot.press("s")
        assert rows(s) == sorted(by_name, key=lambda n: -pending[n[:-4]])
        assert "most left to review first (s: by name)" in screen_text(app)
        await pilot.press("f")
        assert rows(s) == ["dev01_economy.txt", "dev03_taiwan.txt"]
        assert "only the 2 with disputed claims (f: all)" in screen_text(app)
        await pilot.press("s")  # by name again, still only the disputed
        assert rows(s) == ["dev01_economy.txt", "dev03_taiwan.txt"]
        await pilot.press("f")
        assert rows(s) == by_name
        # A dispute given in a document shows when the editor comes back to the filtered list.
        await pilot.press("j", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ClaimsScreen))
        assert app.screen.doc.path.name == "dev02_weather.claims.yaml"
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("escape")  # no note for now
        await pilot.pause()
        await pilot.press("escape")  # back to the list
        await wait_for(pilot, lambda: app.screen is s)
        await pilot.press("f")
        assert rows(s) == by_name
        # And the cursor keeps to its document when the order changes under it.
        await pilot.press("s")
        assert s.current_key() == str(Path("desk") / "dev02_weather.claims.yaml")


def test_arrange_puts_unread_and_unextracted_between_what_is_left_and_what_is_done():
    from claims.folder import Entry

    def e(name: str, **kw) -> Entry:
        return Entry(name, name, Path(f"{name}.claims.yaml"), **kw)

    left = e("a", loaded=True, exists=True, pending=3)
    more = e("b", loaded=True, exists=True, pending=9, disputed=1)
    done = e("c", loaded=True, exists=True, verified=4)
    fresh = e("d", loaded=True)  # not extracted yet
    broken = e("f", loaded=True, exists=True, problem="bad")
    entries = [left, more, done, fresh, broken]
    assert arrange(entries) == entries
    assert arrange(entries, by_left=True) == [more, left, fresh, broken, done]
    assert arrange(entries, only_disputed=True) == [more]
