"""The claims screen at the edges of review: narrow terminals, an article edited since its
claims were extracted, evidence entered by mistake, a torn audit log, and what the detail
pane says after undo and for an orphaned claim."""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from textual.events import Key

from claims import audit, batch, store
from claims.lock import FileLock, lock_path
from claims.model import Status
from tui.app import make_app
from tui.screens.claims import ClaimsScreen, SearchBox
from tui.screens.help import HelpScreen
from tui.screens.prompt import EvidenceScreen, PromptScreen

from .conftest import SAMPLE, asynchronous, claims_screen, current_id, events, on_disk, screen_text, settle

REVIEWER = "王编辑"
OLD, NEW = "模型总下载量超1600万次", "模型总下载量超1700万次"


@pytest.fixture
def article(tmp_path: Path) -> Path:
    p = tmp_path / "a.txt"
    shutil.copy(SAMPLE, p)
    return p


@pytest.fixture
def reviewer() -> str:
    return REVIEWER  # claims_path (conftest.py) extracts under this name


def claim_with(path: Path, clause: str):
    return next(c for c in store.load(path).claims if c.text == clause)


def footer_line(app) -> str:
    """The keys at the bottom: on as many lines as they take (tui/widgets/key_bar.py)."""
    from tui.widgets.key_bar import KeyBar

    bars = app.screen.query(KeyBar)
    lines = bars.first().region.height if bars else 1
    return "\n".join(screen_text(app).splitlines()[-lines:])


# -- (6) narrow terminals: the panes stack, help and quit stay in the footer ----------------------
@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
@asynchronous
async def test_a_narrow_terminal_stacks_the_table_over_the_detail(claims_path, size):
    cf = store.load(claims_path)
    speaker = next(c for c in cf.claims if c.speaker is not None and c.speaker.title)
    app = make_app(claims_path, reviewer=REVIEWER)
    async with app.run_test(size=size) as pilot:
        await settle(pilot, 0.1)
        s = claims_screen(app)
        table, pane = s.table.region, s.query_one("#detail-pane").region
        assert pane.width >= size[0] - 1 and pane.y > table.y and pane.height >= 8  # below, the full width
        s.table.show(speaker.id)
        await settle(pilot, 0.1)
        text = screen_text(app)
        assert speaker.speaker.title in text and "Note" in text and "Evidence" in text and "Reviewed" in text
        footer = footer_line(app)
        assert "? Help" in footer and "q Quit" in footer and "v Verified" in footer


@asynchronous
async def test_a_wide_terminal_keeps_the_panes_side_by_side_and_the_footer_as_it_was(claims_path):
    app = make_app(claims_path, reviewer=REVIEWER)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot, 0.1)
        s = claims_screen(app)
        table, pane = s.table.region, s.query_one("#detail-pane").region
        assert pane.x >= table.right and pane.y == s.query_one("#list").region.y
        footer = footer_line(app)
        assert footer.index("v Verified") < footer.index("? Help") < footer.index("q Quit")
        await pilot.resize_terminal(80, 24)  # made narrow while open
        await settle(pilot, 0.2)
        assert s.query_one("#detail-pane").region.y > s.table.region.y
        assert "? Help" in footer_line(app) and "q Quit" in footer_line(app)


# -- (3) an article edited since extraction ----------------------------------------------------------
@asynchronous
async def test_an_edited_article_is_re_extracted_on_opening_and_every_decision_kept(claims_path, article):
    judged = claim_with(claims_path, OLD)
    first = store.load(claims_path).claims[0]
    with store_review(claims_path) as r:
        r.set_status(first.id, Status.verified)
        r.set_status(judged.id, Status.disputed)
        r.set_note(judged.id, "press release says 1600")
    article.write_text(article.read_text(encoding="utf-8").replace(OLD, NEW), encoding="utf-8")
    app = make_app(claims_path, reviewer=REVIEWER)
    async with app.run_test(size=(160, 45), notifications=True) as pilot:
        await settle(pilot, 0.1)
        assert any("a.txt changed: re-extracted, 1 new, 1 orphaned" in n.message for n in app._notifications)
        text = screen_text(app)
        assert "has changed since" not in text and "READ-ONLY" not in text
        s = claims_screen(app)
        fresh = next(c for c in app.document.claims if c.text == NEW)
        s.table.show(fresh.id)
        await settle(pilot)
        assert "1700" in s.table.get_row(fresh.id)[-1].plain
        await pilot.press("v")
        await settle(pilot)
        # the orphan is said apart, not counted among the claims left to judge
        live = [c for c in app.document.claims if c.orphaned_at is None]
        done = sum(c.status != Status.pending for c in live)
        assert f"{done}/{len(live)} reviewed" in screen_text(app) and "1 orphaned" in screen_text(app)
    cf = store.load(claims_path)
    assert cf.document.sha256 == hashlib.sha256(article.read_bytes()).hexdigest()
    by_id = {c.id: c for c in cf.claims}
    assert by_id[first.id].status == Status.verified
    kept = by_id[judged.id]
    assert kept.status == Status.disputed and kept.note == "press release says 1600" and kept.orphaned_at
    assert by_id[fresh.id].status == Status.verified
    fields = [e.field for e in events(claims_path)]
    assert "added" in fields and "orphaned" in fields and fields[-1] == "status"


def store_review(path: Path):
    from claims.review import Review

    return Review(path, REVIEWER)


@asynchronous
async def test_an_edited_article_locked_elsewhere_opens_read_only_saying_why(claims_path, article):
    article.write_text(article.read_text(encoding="utf-8").replace(OLD, NEW), encoding="utf-8")
    before = claims_path.read_bytes()
    with FileLock(claims_path, "李编辑"):
        app = make_app(claims_path, reviewer=REVIEWER)
        async with app.run_test(size=(160, 45)) as pilot:
            await settle(pilot)
            text = screen_text(app)
            assert "READ-ONLY" in text and "李编辑" in text
            assert "has changed since its claims were extracted and they were not re-extracted" in text
            await pilot.press("v")
            await settle(pilot)
    assert claims_path.read_bytes() == before and events(claims_path) == []


@asynchronous
async def test_an_edited_article_that_cannot_be_read_opens_read_only(claims_path, article):
    article.write_bytes(b"\xff\xfe\x00\xd8")  # not text in any encoding it could be
    before = claims_path.read_bytes()
    app = make_app(claims_path, reviewer=REVIEWER)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "READ-ONLY" in text and "cannot be read" in text
        await pilot.press("v")
        await settle(pilot)
    assert claims_path.read_bytes() == before
    assert not lock_path(claims_path).exists()


# -- (7) evidence: edit or remove one entry ------------------------------------------------------------
@asynchronous
async def test_an_evidence_entry_can_be_removed_or_edited_and_each_is_logged(claims_path):
    app = make_app(claims_path, reviewer=REVIEWER)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        cid = current_id(app)
        await pilot.press("e", *"https://wrong.example", "enter")
        await settle(pilot)
        await pilot.press("e", *"年报 p.12", "enter")
        await settle(pilot)
        await pilot.press("E")
        await settle(pilot)
        assert isinstance(app.screen, EvidenceScreen)
        await pilot.press("x")  # the first entry
        await settle(pilot)
        assert on_disk(claims_path)[cid].evidence == ["年报 p.12"]
        assert "wrong.example" not in screen_text(app)
        await pilot.press("E", "enter")
        await settle(pilot)
        assert isinstance(app.screen, PromptScreen)
        await pilot.press(*", 第3段", "enter")
        await settle(pilot)
        assert on_disk(claims_path)[cid].evidence == ["年报 p.12, 第3段"]
        await pilot.press("u")  # the edit is undone as any change
        await settle(pilot)
        assert on_disk(claims_path)[cid].evidence == ["年报 p.12"]
    log = [(e.field, e.old, e.new) for e in events(claims_path)]
    assert log[2:] == [
        ("evidence", ["https://wrong.example", "年报 p.12"], ["年报 p.12"]),
        ("evidence", ["年报 p.12"], ["年报 p.12, 第3段"]),
        ("evidence", ["年报 p.12, 第3段"], ["年报 p.12"]),
    ]


@asynchronous
async def test_editing_evidence_is_in_the_help_and_the_palette(claims_path):
    app = make_app(claims_path, reviewer=REVIEWER)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen) and "Edit evidence" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot, 0.3)
        await pilot.press(*"Edit evidence")
        await settle(pilot, 0.5)
        assert "Edit evidence" in screen_text(app)


# -- escape clears a kept search ----------------------------------------------------------------------
@asynchronous
async def test_escape_in_the_table_clears_a_kept_search_and_the_filters(claims_path):
    total = len(store.load(claims_path).claims)
    app = make_app(claims_path, reviewer=REVIEWER)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        s = claims_screen(app)
        await pilot.press("slash")
        await settle(pilot)
        await pilot.press(*"1600", "enter")
        await settle(pilot, 0.3)
        assert s.table.shown == 1 and s.table.has_focus
        assert "esc Clear" in footer_line(app)
        await pilot.press("escape")
        await settle(pilot)
        assert s.query_text == "" and s.table.shown == total
        assert not s.query_one(SearchBox).has_class("-visible")
        await pilot.press("f")
        await settle(pilot)
        assert s.status_filter == Status.pending
        await pilot.press("escape")
        await settle(pilot)
        assert s.status_filter is None and isinstance(app.screen, ClaimsScreen)


# -- the detail after undo, and of an orphan -----------------------------------------------------------
@asynchronous
async def test_after_undoing_a_verdict_the_claim_is_not_shown_as_reviewed(claims_path):
    app = make_app(claims_path, reviewer=REVIEWER)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert on_disk(claims_path)[current_id(app)].status == Status.pending
        line = next(ln for ln in screen_text(app).splitlines() if "Reviewed" in ln)
        assert "not yet" in line


@asynchronous
async def test_an_orphan_says_it_left_the_article_not_that_the_article_is_missing(claims_path, article):
    orphan = claim_with(claims_path, OLD)
    article.write_text(article.read_text(encoding="utf-8").replace(OLD, NEW), encoding="utf-8")
    # Re-extracted as `claimcheck extract a.txt -o a.claims.yaml` does: the article is there, the clause is not.
    assert not batch.extract_to(str(article), str(claims_path), batch.Options(reviewer=REVIEWER)).error
    assert claim_with(claims_path, OLD).orphaned_at is not None
    app = make_app(claims_path, reviewer=REVIEWER)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        claims_screen(app).table.show(orphan.id)
        await settle(pilot)
        text = screen_text(app)
        assert "article is not available" not in text
        assert "No longer in the article" in text and "clause as extracted" in text


# -- a torn audit log --------------------------------------------------------------------------------
@asynchronous
async def test_a_torn_audit_log_is_reported_on_opening_and_nothing_can_be_changed(claims_path):
    cid = store.load(claims_path).claims[0].id
    with store_review(claims_path) as r:
        r.set_status(cid, Status.disputed)
    log = audit.log_path(claims_path)
    with log.open("a", encoding="utf-8") as f:
        f.write("---\nseq: 2\ntime: '2026")  # a crash in the middle of an append
    before = claims_path.read_bytes()
    app = make_app(claims_path, reviewer=REVIEWER)
    async with app.run_test(size=(160, 45), notifications=True) as pilot:
        await settle(pilot)
        text = screen_text(app).replace("\n", " ")
        assert "READ-ONLY" in text and "audit log is torn" in text and "claimcheck audit repair" in text
        await pilot.press("v")
        await settle(pilot)
        assert any(n.title == "Read-only" for n in app._notifications)
    assert claims_path.read_bytes() == before


@asynchronous
async def test_what_is_typed_right_after_slash_goes_to_the_search(claims_path):
    app = make_app(claims_path, reviewer=REVIEWER)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        s = claims_screen(app)
        # As a terminal delivers a fast typist's keys: all queued before any is handled.
        for key, char in (("slash", "/"), ("1", "1"), ("6", "6"), ("0", "0"), ("0", "0")):
            app.post_message(Key(key, char))
        await settle(pilot, 0.3)
        assert s.query_one(SearchBox).value == "1600"
        await pilot.press("enter")
        await settle(pilot, 0.3)
        assert "esc Clear" in footer_line(app)[:30]  # a narrow footer shows what escape does, early


@asynchronous
async def test_a_note_typed_in_one_burst_with_n_is_kept_whole(claims_path):
    app = make_app(claims_path, reviewer=REVIEWER)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        s = claims_screen(app)
        first = current_id(s)
        # n, then the note and enter, all queued before any is handled: none of the letters may
        # run as a key of the claims screen (v would mark the claim verified) or be lost.
        for ch in "nverified ok":
            app.post_message(Key("space" if ch == " " else ch, ch))
        app.post_message(Key("enter", "\r"))
        await settle(pilot, 0.5)
        assert not isinstance(app.screen, PromptScreen)
        claim = next(c for c in store.load(claims_path).claims if c.id == first)
        assert claim.note == "verified ok" and claim.status == Status.pending


@asynchronous
async def test_n_and_e_typed_in_the_search_box_are_letters(claims_path):
    app = make_app(claims_path, reviewer=REVIEWER)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        s = claims_screen(app)
        await pilot.press("slash", "n", "e", "E")
        await settle(pilot, 0.3)
        assert s.query_one(SearchBox).value == "neE" and app.screen is s


@asynchronous
async def test_moves_typed_before_n_in_one_burst_apply_first(claims_path):
    app = make_app(claims_path, reviewer=REVIEWER)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        s = claims_screen(app)
        ids = s.table.ids()
        for key, char in (("j", "j"), ("j", "j"), ("n", "n"), ("a", "a"), ("v", "v"), ("enter", "\r")):
            app.post_message(Key(key, char))
        await settle(pilot, 0.5)
        notes = {c.id: c.note for c in store.load(claims_path).claims}
        assert notes[ids[2]] == "av" and notes[ids[0]] == "" and current_id(s) == ids[2]
        assert all(c.status == Status.pending for c in store.load(claims_path).claims)


@asynchronous
async def test_judged_claims_without_their_audit_log_are_said_on_opening(claims_path):
    first = store.load(claims_path).claims[0]
    with store_review(claims_path) as r:
        r.set_status(first.id, Status.verified)
    audit.log_path(claims_path).unlink()
    # The claim file vouches for its log: with the log gone, nothing can be judged.
    app = make_app(claims_path, reviewer=REVIEWER)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        assert "missing, but" in screen_text(app)
        await pilot.press("v")
        await settle(pilot)
    assert store.load(claims_path).claims[1].status == Status.pending
    assert not audit.log_path(claims_path).exists()
    # A version-1 file (no head) whose log is gone: a warning, and reviewing goes on in a new log.
    cf = store.load(claims_path)
    store.save(claims_path, cf.model_copy(update={"audit": None, "schema_": 1}))
    app = make_app(claims_path, reviewer=REVIEWER)
    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        assert "no audit log, though 1 claim was already judged" in screen_text(app)
        assert "READ-ONLY" not in screen_text(app)
