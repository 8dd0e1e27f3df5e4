"""The document list of a folder: one row per article (wherever its claim file is), keys in the
order typed, whole problems readable, progress of live claims only."""
from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual import events

from claims import store
from claims.cli import main as cli_main
from claims.folder import pair, recorded_path, summarize
from claims.model import Status
from claims.naming import claim_file_for
from tui.app import make_app
from tui.screens.claims import ClaimsScreen
from tui.screens.documents import DocumentsScreen

from .conftest import SAMPLE, asynchronous, screen_text, wait_for

SIZE = (160, 45)
REVIEWER = "tester"


def article_text(i: int) -> str:
    """A short article (the sample's opening), a little different for each i."""
    first, rest = SAMPLE.read_text(encoding="utf-8")[:500].split("\n", 1)
    return f"{first}（{i}）\n{rest}"


def write_articles(folder: Path, names: list[str]) -> list[Path]:
    out = []
    for i, name in enumerate(names):
        p = folder / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(article_text(i), encoding="utf-8")
        out.append(p)
    return out


def extract_batch(folder: Path, monkeypatch) -> Path:
    """`claimcheck extract . -o out`, run in the folder as a user would."""
    monkeypatch.chdir(folder)
    assert cli_main(["extract", ".", "-o", "out", "--jobs", "1"]) == 0
    return folder / "out"


def claim_files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*.claims.yaml"))


# -- (5) an article and its claim file elsewhere are one row ------------------------------------
@asynchronous
async def test_after_a_batch_extraction_each_article_is_one_row_that_opens_its_claim_file(tmp_path, monkeypatch):
    docs = tmp_path / "docs"
    write_articles(docs, ["a.txt", "b.txt", "sub/c.txt"])
    out = extract_batch(docs, monkeypatch)
    monkeypatch.chdir(tmp_path)  # reviewed from elsewhere: paths recorded from the folder still pair
    before = claim_files(docs)
    assert before == ["out/a.claims.yaml", "out/b.claims.yaml", "out/c.claims.yaml"]
    app = make_app(docs, reviewer=REVIEWER)
    async with app.run_test(size=SIZE) as pilot:
        s = app.screen
        assert isinstance(s, DocumentsScreen)
        # Paired from the first screen on (by name), before any claim file is read.
        await wait_for(pilot, lambda: s.table.row_count > 0)
        assert [e.name for e in s.entries.values()] == ["a.txt", "b.txt", "sub/c.txt"]
        await wait_for(pilot, lambda: s.loaded)
        await pilot.pause()
        assert [e.name for e in s.entries.values()] == ["a.txt", "b.txt", "sub/c.txt"]
        assert [e.claims for e in s.entries.values()] == [out / "a.claims.yaml", out / "b.claims.yaml",
                                                          out / "c.claims.yaml"]
        assert "not extracted yet" not in screen_text(app)
        assert "3 documents" in screen_text(app)
        await pilot.press("j", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ClaimsScreen))
        assert app.screen.doc.path == out / "b.claims.yaml"
        await pilot.press("v")
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is s)
        assert s.entries[str(out / "b.claims.yaml")].verified == 1
    assert claim_files(docs) == before  # no second claim file for b.txt


@asynchronous
async def test_enter_before_any_claim_file_is_read_opens_the_one_the_article_has(tmp_path, monkeypatch):
    """A claim file renamed (so its name says nothing) is found by what it records, even when
    enter comes before the list has read it: the article never gets a second claim file."""
    docs = tmp_path / "docs"
    write_articles(docs, ["a.txt", "b.txt"])
    out = extract_batch(docs, monkeypatch)
    (out / "b.claims.yaml").rename(out / "renamed.claims.yaml")
    monkeypatch.chdir(tmp_path)
    hold = threading.Event()
    real = summarize

    def slow(entry, load=store.load):
        hold.wait(20)
        return real(entry, load)

    monkeypatch.setattr("tui.screens.documents.summarize", slow)
    app = make_app(docs, reviewer=REVIEWER)
    try:
        async with app.run_test(size=SIZE) as pilot:
            s = app.screen
            await wait_for(pilot, lambda: s.table.row_count > 0)
            assert [e.name for e in s.entries.values()] == ["a.txt", "b.txt", "out/renamed.claims.yaml"]
            await pilot.press("j", "enter")  # b.txt, listed as not extracted yet
            await wait_for(pilot, lambda: isinstance(app.screen, ClaimsScreen))
            assert app.screen.doc.path == out / "renamed.claims.yaml"
            await pilot.press("escape")
            await wait_for(pilot, lambda: app.screen is s)
            assert [e.name for e in s.entries.values()] == ["a.txt", "b.txt"]  # one row now
            hold.set()
            await wait_for(pilot, lambda: s.loaded)
            await pilot.pause()
            assert [e.name for e in s.entries.values()] == ["a.txt", "b.txt"]
    finally:
        hold.set()
    assert claim_files(docs) == ["out/a.claims.yaml", "out/renamed.claims.yaml"]


@asynchronous
async def test_the_list_pairs_by_what_claim_files_record_once_read(tmp_path, monkeypatch):
    docs = tmp_path / "docs"
    write_articles(docs, ["a.txt", "b.txt", "c.txt"])
    out = extract_batch(docs, monkeypatch)
    (out / "b.claims.yaml").rename(out / "renamed.claims.yaml")
    # a's claim file by name records another article (not in the folder): a is not extracted yet
    cf = store.load(out / "a.claims.yaml")
    store.save(out / "a.claims.yaml", cf.model_copy(update={"document": cf.document.model_copy(
        update={"path": "elsewhere/a.txt"})}))
    monkeypatch.chdir(tmp_path)
    app = make_app(docs, reviewer=REVIEWER)
    async with app.run_test(size=SIZE) as pilot:
        s = app.screen
        await wait_for(pilot, lambda: s.loaded)
        await pilot.pause()
        rows = {e.name: (e.claims, e.exists) for e in s.entries.values()}
        assert rows == {"a.txt": (docs / "a.claims.yaml", False), "b.txt": (out / "renamed.claims.yaml", True),
                        "c.txt": (out / "c.claims.yaml", True), "out/a.claims.yaml": (out / "a.claims.yaml", True)}
        assert s.table.row_count == 4


def test_pairing_rules(tmp_path):
    d = tmp_path
    a, b, c = d / "a.txt", d / "x" / "b.txt", d / "c.txt"
    beside = d / "a.claims.yaml"
    out_a, out_b, out_c, other = (d / "out" / n for n in ("a.claims.yaml", "b.claims.yaml", "zz.claims.yaml",
                                                            "other.claims.yaml"))
    files = [beside, out_a, out_b, out_c, other]
    # Nothing read: beside first, then by name; a second file named after a is its own row.
    e = {x.name: x for x in pair(d, [a, b, c], files, {})}
    assert e["a.txt"].claims == beside and e["x/b.txt"].claims == out_b
    assert not e["c.txt"].exists and e["c.txt"].claims == d / "c.claims.yaml"
    assert {"out/a.claims.yaml", "out/zz.claims.yaml", "out/other.claims.yaml"} <= set(e)
    # Read: what they record, relative to the claim file or to the folder; "-" is no article.
    recorded = {out_b: "x/b.txt", out_c: "../c.txt", other: "-", out_a: "a.txt"}
    e = {x.name: x for x in pair(d, [a, b, c], files, recorded)}
    assert e["x/b.txt"].claims == out_b and e["c.txt"].claims == out_c and e["a.txt"].claims == beside
    assert "out/a.claims.yaml" in e and "out/other.claims.yaml" in e  # a already has one beside it
    assert len(e) == 5


def test_recorded_path_reads_the_top_of_a_claim_file(tmp_path):
    p = tmp_path / "x.claims.yaml"
    p.write_text("schema: 1\ndocument:\n  id: x\n  path: \"dir/文章 1.txt\"\n  sha256: '0'\n  encoding: utf-8\n"
                 "claims: []\n", encoding="utf-8")
    assert recorded_path(p) == "dir/文章 1.txt"
    p.write_text("schema: 1\nclaims: [\n", encoding="utf-8")
    assert recorded_path(p) is None
    assert recorded_path(tmp_path / "missing.claims.yaml") is None


# -- (8) keys typed ahead apply in the order typed ----------------------------------------------
@pytest.mark.parametrize("while_loading", [False, True])
@asynchronous
async def test_j_j_enter_typed_at_once_opens_the_third_document(tmp_path, monkeypatch, while_loading):
    docs = tmp_path / "docs"
    for p in write_articles(docs, [f"dev0{i}.txt" for i in range(1, 7)]):
        store.save(claim_file_for(p), _extract(p))
    app = make_app(docs, reviewer=REVIEWER)
    async with app.run_test(size=SIZE) as pilot:
        s = app.screen
        await wait_for(pilot, lambda: s.table.row_count == 6 and (while_loading or s.loaded))
        await pilot.press("j", "j", "j")  # dev04
        await pilot.pause()
        assert s.table.cursor_row == 3
        for key in ("j", "j", "enter"):  # as a terminal delivers keys typed quickly: no pause between
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        await wait_for(pilot, lambda: isinstance(app.screen, ClaimsScreen))
        await pilot.pause()
        assert app.screen.doc.path == docs / "dev06.claims.yaml"
        assert app.screen.table.cursor_row == 0


def _extract(p: Path):
    from claims import extract_file

    cf = extract_file(p)
    return cf.model_copy(update={"document": cf.document.model_copy(update={"path": p.name})})


# -- (minor) the whole problem is readable in the list -----------------------------------------
@asynchronous
async def test_the_highlighted_documents_whole_problem_is_shown_under_the_list(tmp_path):
    docs = tmp_path / "docs"
    (a,) = write_articles(docs, ["a.txt"])
    store.save(claim_file_for(a), _extract(a))
    broken = docs / "broken.claims.yaml"
    text = claim_file_for(a).read_text(encoding="utf-8")
    broken.write_text(text.replace("kind: date", "kind: dated", 1), encoding="utf-8")
    app = make_app(docs, reviewer=REVIEWER)
    async with app.run_test(size=SIZE) as pilot:
        s = app.screen
        await wait_for(pilot, lambda: s.loaded)
        problem = s.entries[str(broken)].problem
        assert problem and "Input should be 'quantity', 'date', 'attribution' or 'ranking'" in problem
        whole = problem.replace(str(broken), "broken.claims.yaml")
        assert whole not in screen_text(app)
        await pilot.press("j")  # the broken file (a.txt, then broken.claims.yaml)
        await pilot.pause()
        assert whole in screen_text(app)  # one line, not cut, without pressing enter
        assert isinstance(app.screen, DocumentsScreen)


# -- (minor) progress counts live claims --------------------------------------------------------
@asynchronous
async def test_progress_counts_live_claims_and_orphans_apart(tmp_path):
    docs = tmp_path / "docs"
    (a,) = write_articles(docs, ["a.txt"])
    cf = _extract(a)
    assert len(cf.claims) >= 3
    when = datetime(2026, 11, 1, tzinfo=UTC)
    claims = [c.model_copy(update={"status": Status.verified}) for c in cf.claims[1:]]
    claims.insert(0, cf.claims[0].model_copy(update={"orphaned_at": when}))  # pending, but orphaned
    store.save(claim_file_for(a), cf.model_copy(update={"claims": claims}))
    n = len(claims) - 1
    app = make_app(docs, reviewer=REVIEWER)
    async with app.run_test(size=SIZE) as pilot:
        s = app.screen
        await wait_for(pilot, lambda: s.loaded)
        await pilot.pause()
        e = s.entries[str(claim_file_for(a))]
        assert (e.total, e.verified, e.pending, e.orphaned) == (n, n, 0, 1)
        row = [cell.plain for cell in s.table.get_row(e.key)]
        assert (row[0], row[3], row[6]) == ("✓", str(n), "0")
        assert "done" in row[-1] and "1 orphaned" in row[-1]
        assert f"1 documents, {n} claims" in screen_text(app)
        # and the same after the document was opened and closed
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ClaimsScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is s)
        e = s.entries[str(claim_file_for(a))]
        assert (e.total, e.pending, e.orphaned) == (n, 0, 1)


@asynchronous
async def test_a_batch_extracted_from_the_folder_above_is_one_row_per_article(tmp_path, monkeypatch):
    # `claimcheck extract desk -o desk/out` run from desk's parent records `desk/a.txt`; the
    # desk is then reviewed from inside it: no row may offer an article as not extracted yet.
    desk = tmp_path / "desk"
    write_articles(desk, ["a.txt", "b.txt"])
    monkeypatch.chdir(tmp_path)
    assert cli_main(["extract", "desk", "-o", "desk/out", "--jobs", "1"]) == 0
    monkeypatch.chdir(desk)
    app = make_app(Path("."), reviewer=REVIEWER)
    async with app.run_test(size=SIZE) as pilot:
        s = app.screen
        await wait_for(pilot, lambda: s.loaded)
        await pilot.pause()
        rows = {e.name: (e.claims.resolve(), e.exists) for e in s.entries.values()}
        assert rows == {"a.txt": ((desk / "out" / "a.claims.yaml").resolve(), True),
                        "b.txt": ((desk / "out" / "b.claims.yaml").resolve(), True)}
    assert sorted(p.name for p in desk.rglob("*.claims.yaml")) == ["a.claims.yaml", "b.claims.yaml"]
