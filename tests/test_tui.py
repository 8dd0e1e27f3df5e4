"""The review UI, driven as an editor drives it: keys in, then the claim file and the audit
log on disk, and the screen, checked after each action."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from claims import audit, store
from claims.errors import FileError
from claims.lock import FileLock, lock_path
from claims.model import Kind, Status
from claims.naming import claim_file_for
from claims.repeats import content_key, same_statement
from tui.actions import ACTIONS, action_name, actions, bindings
from tui.app import ClaimcheckApp, make_app
from tui.screens.article import ArticleScreen
from tui.screens.claims import ClaimsScreen, SearchBox
from tui.screens.documents import DocumentsScreen
from tui.screens.help import HelpScreen
from tui.screens.prompt import PromptScreen
from tui.session import Conflict, OpenDoc

from .conftest import (
    ROOT,
    SAMPLE,
    asynchronous,
    claims_screen,
    current_id,
    events,
    on_disk,
    screen_text,
    settle,
    wait_for,
)

SIZE = (160, 45)
REVIEWER = "tester"

MARKUP_ARTICLE = (
    "标题[bold]测试[/]\n2023年04月12日 01:45\n\n"
    "据王五介绍，[bold]x[/]销量增长了35%。\n"
    "张三表示，[link=http://a]y[/link]的收入超过100万元。\n"
    "李四说，\x1b[31m红色产品占两成。\n"
)


# -- opening -----------------------------------------------------------------------------------
def test_make_app_extracts_an_article_beside_it_then_reopens_it(article):
    target = claim_file_for(article)
    assert not target.exists()
    app = make_app(article, reviewer=REVIEWER)
    doc = app.document
    try:
        assert target.exists() and doc.path == target
        cf = store.load(target)
        assert cf.document.path == "article.txt"  # relative to the claim file: the pair can move
        assert len(cf.claims) > 40
        assert lock_path(target).exists()
    finally:
        doc.close()
    assert not lock_path(target).exists()
    before = target.read_bytes()
    make_app(article, reviewer=REVIEWER).document.close()
    assert target.read_bytes() == before  # reopened, not extracted again


def test_make_app_refuses_what_it_cannot_open(tmp_path):
    with pytest.raises(FileError, match="no such file"):
        make_app(tmp_path / "missing.txt")
    bad = tmp_path / "bad.claims.yaml"
    bad.write_text("schema: 1\nclaims: [\n", encoding="utf-8")
    with pytest.raises(FileError, match="bad.claims.yaml"):
        make_app(bad)


def test_cli_review_reports_a_missing_file_without_starting_the_ui(cli, tmp_path):
    r = cli("review", str(tmp_path / "nope.txt"))
    assert r.returncode == 1
    assert b"nope.txt: no such file" in r.stderr


def test_claims_package_does_not_import_textual_even_with_the_review_command():
    code = "import sys, claims.cli; claims.cli.build_parser(); print('textual' in sys.modules)"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert r.stdout.strip() == "False"


@asynchronous
async def test_main_screen_shows_header_table_and_detail(claims_path):
    app = make_app(claims_path, reviewer=REVIEWER)
    cf = store.load(claims_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        s = claims_screen(app)
        text = screen_text(app)
        assert cf.document.title in text and cf.document.date in text
        assert "0 verified" in text and f"{len(cf.claims)} pending" in text
        assert f"0/{len(cf.claims)} reviewed" in text
        assert s.table.row_count == len(cf.claims)
        first = cf.claims[0]
        assert current_id(app) == first.id
        assert first.rule in text and "Reviewed" in text
        # a quantity with a comparator and unit shows its normalized value
        qty = next(c for c in cf.claims if c.kind == Kind.quantity and c.comparator is not None)
        s.table.move_cursor(row=s.table.get_row_index(qty.id))
        await settle(pilot)
        text = screen_text(app)
        assert "1,000,000" in text or "16,000,000" in text
        assert f"comparator {qty.comparator.value}" in text
        # an attribution shows its speaker, title and cue
        att = next(c for c in cf.claims if c.speaker is not None and c.speaker.title and c.speaker.cue)
        s.table.move_cursor(row=s.table.get_row_index(att.id))
        await settle(pilot)
        text = screen_text(app)
        assert att.speaker.name in text and f"cue {att.speaker.cue}" in text


@asynchronous
async def test_the_claims_table_measures_no_cell_yet_sizes_itself_for_every_row(claims_path, monkeypatch):
    import textual.widgets._data_table as data_table

    measured = []
    original = data_table.measure
    monkeypatch.setattr(data_table, "measure", lambda *a, **k: (measured.append(1), original(*a, **k))[1])
    app = make_app(claims_path, reviewer=REVIEWER)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = claims_screen(app).table
        n = len(store.load(claims_path).claims)
        assert table.row_count == n and table.virtual_size.height == n + 1  # the rows and the header
        assert table.virtual_size.width == sum(c.get_render_width(table) for c in table.columns.values())
        # column labels are measured when added; no row's cell is
        assert len(measured) <= len(table.columns)
        table.move_cursor(row=n - 1)
        await settle(pilot)
        assert current_id(app) == store.load(claims_path).claims[-1].id and table.scroll_y > 0


@asynchronous
async def test_a_long_list_is_on_screen_before_all_its_rows_and_every_claim_is_reachable(claims_path):
    from tui.widgets.claim_table import FIRST_ROWS

    cf = store.load(claims_path)
    n = 3 * FIRST_ROWS
    claims = [c.model_copy(update={"id": f"{c.id}-{i}", "status": Status.verified})
              for i in range(n // len(cf.claims) + 1) for c in cf.claims][:n]
    target = n - 7  # the one claim left to do, far beyond the first rows
    claims[target] = claims[target].model_copy(update={"status": Status.pending})
    store.save(claims_path, cf.model_copy(update={"claims": claims}))
    app = make_app(claims_path, reviewer=REVIEWER)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = claims_screen(app).table
        # the reviewer starts on the pending claim, whose row was added for it
        assert current_id(app) == claims[target].id
        assert f"{n} of {n} claims" in screen_text(app)
        await wait_for(pilot, lambda: table.row_count == n)
        assert table.ids() == [c.id for c in claims]
        await pilot.press("v")  # the last one done: saved like any other
        await settle(pilot)
        assert on_disk(claims_path)[claims[target].id].status == Status.verified
        # a filter while rows are still being added: the old batches stop, the new list is whole
        await pilot.press("f")
        await pilot.press("f")
        await wait_for(pilot, lambda: table.row_count == table.shown)
        assert table.ids() == [row.key.value for row in table.ordered_rows]


# -- v d p: status, saved and logged at once ---------------------------------------------------
@asynchronous
async def test_v_d_p_set_the_status_save_log_and_move_to_the_next_pending(claims_path):
    app = make_app(claims_path, reviewer=REVIEWER)
    ids = [c.id for c in store.load(claims_path).claims]
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert current_id(app) == ids[0]
        await pilot.press("v")
        await settle(pilot)
        disk = on_disk(claims_path)
        assert disk[ids[0]].status == Status.verified
        assert disk[ids[0]].reviewed_by == REVIEWER and disk[ids[0]].reviewed_at is not None
        log = events(claims_path)
        assert [(e.claim, e.field, e.old, e.new, e.reviewer) for e in log] == [
            (ids[0], "status", "pending", "verified", REVIEWER)]
        assert current_id(app) == ids[1]  # the next pending claim
        assert "✓ 1 verified" in screen_text(app)

        await pilot.press("d", "escape")  # d asks for the note; escape leaves it disputed without one
        await settle(pilot)
        assert on_disk(claims_path)[ids[1]].status == Status.disputed
        assert events(claims_path)[-1].new == "disputed"
        assert current_id(app) == ids[2]
        assert "✗ 1 disputed" in screen_text(app)

        # back on the verified claim, p makes it pending again, then goes to the next pending one
        await pilot.press("k", "k")
        assert current_id(app) == ids[0]
        await pilot.press("p")
        await settle(pilot)
        assert on_disk(claims_path)[ids[0]].status == Status.pending
        assert (events(claims_path)[-1].old, events(claims_path)[-1].new) == ("verified", "pending")
        assert current_id(app) == ids[2]  # ids[1] is disputed: skipped
        assert len(events(claims_path)) == 3


@asynchronous
async def test_setting_the_same_status_again_changes_and_logs_nothing(claims_path):
    app = make_app(claims_path, reviewer=REVIEWER)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("v", "k", "v")
        await settle(pilot)
        assert len(events(claims_path)) == 1


@asynchronous
async def test_a_status_change_updates_one_row_without_rebuilding_the_table(claims_path, monkeypatch):
    app = make_app(claims_path, reviewer=REVIEWER)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = claims_screen(app).table
        fills = []
        original = type(table).fill
        monkeypatch.setattr(type(table), "fill", lambda self, *a, **k: (fills.append(1), original(self, *a, **k)))
        first = current_id(app)
        await pilot.press("v", "d", "escape", "v")
        await settle(pilot)
        assert fills == []
        assert table.get_row(first)[0].plain == "✓"
        await pilot.press("f")  # a filter change is the one time the table is rebuilt
        await settle(pilot)
        assert fills == [1]


# -- n e: notes and evidence -------------------------------------------------------------------
@asynchronous
async def test_n_edits_the_note_in_a_modal_and_saving_it_is_a_change(claims_path):
    app = make_app(claims_path, reviewer=REVIEWER)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        cid = current_id(app)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, PromptScreen)
        await pilot.press(*"see p. 3")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ClaimsScreen)
        assert on_disk(claims_path)[cid].note == "see p. 3"
        e = events(claims_path)[-1]
        assert (e.claim, e.field, e.old, e.new) == (cid, "note", "", "see p. 3")
        assert "see p. 3" in screen_text(app)
        assert current_id(app) == cid  # a note does not move on

        # editing: the modal starts with the note; escape cancels; enter unchanged logs nothing
        await pilot.press("n")
        await settle(pilot)
        assert app.screen.query_one("#prompt-input").value == "see p. 3"
        await pilot.press("x", "escape")
        await settle(pilot)
        await pilot.press("n", "enter")
        await settle(pilot)
        assert len(events(claims_path)) == 1
        await pilot.press("n", "backspace", "4", "enter")
        await settle(pilot)
        assert on_disk(claims_path)[cid].note == "see p. 4"
        assert (events(claims_path)[-1].old, events(claims_path)[-1].new) == ("see p. 3", "see p. 4")


@asynchronous
async def test_e_adds_evidence_links_and_sources(claims_path):
    app = make_app(claims_path, reviewer=REVIEWER)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        cid = current_id(app)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, PromptScreen)
        await pilot.press(*"https://a.example/x", "enter")
        await settle(pilot)
        await pilot.press("e", *"年报 p.12", "enter")
        await settle(pilot)
        await pilot.press("e", "enter")  # empty: nothing added
        await settle(pilot)
        assert on_disk(claims_path)[cid].evidence == ["https://a.example/x", "年报 p.12"]
        log = events(claims_path)
        assert [(e.field, e.old, e.new) for e in log] == [
            ("evidence", [], ["https://a.example/x"]),
            ("evidence", ["https://a.example/x"], ["https://a.example/x", "年报 p.12"]),
        ]
        text = screen_text(app)
        assert "1. https://a.example/x" in text and "2. 年报 p.12" in text


# -- u ctrl+r: undo and redo, each a new logged change ------------------------------------------
@asynchronous
async def test_undo_and_redo_several_levels_of_status_note_and_evidence(claims_path):
    app = make_app(claims_path, reviewer=REVIEWER)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        a = current_id(app)
        await pilot.press("n", *"checked", "enter")
        await pilot.press("e", *"src", "enter")
        await pilot.press("v")  # a verified; cursor to b
        await settle(pilot)
        b = current_id(app)
        await pilot.press("d", "escape")
        await settle(pilot)
        assert len(events(claims_path)) == 4

        await pilot.press("u")  # b back to pending
        await settle(pilot)
        assert on_disk(claims_path)[b].status == Status.pending
        assert current_id(app) == b
        await pilot.press("u")  # a back to pending, the cursor follows
        await settle(pilot)
        assert on_disk(claims_path)[a].status == Status.pending and current_id(app) == a
        await pilot.press("u")  # evidence removed
        await settle(pilot)
        assert on_disk(claims_path)[a].evidence == []
        await pilot.press("u")  # note cleared
        await settle(pilot)
        assert on_disk(claims_path)[a].note == ""
        await pilot.press("u")  # nothing left to undo: nothing changes
        await settle(pilot)
        log = events(claims_path)
        assert len(log) == 8
        assert [(e.claim, e.field, e.old, e.new) for e in log[4:]] == [
            (b, "status", "disputed", "pending"),
            (a, "status", "verified", "pending"),
            (a, "evidence", ["src"], []),
            (a, "note", "checked", ""),
        ]
        assert all(e.reviewer == REVIEWER for e in log)
        assert audit.verify(audit.log_path(claims_path)) == []

        await pilot.press("ctrl+r", "ctrl+r")  # note and evidence again
        await settle(pilot)
        disk = on_disk(claims_path)
        assert disk[a].note == "checked" and disk[a].evidence == ["src"]
        await pilot.press("ctrl+r", "ctrl+r")
        await settle(pilot)
        disk = on_disk(claims_path)
        assert disk[a].status == Status.verified and disk[b].status == Status.disputed
        await pilot.press("ctrl+r")  # nothing left to redo
        await settle(pilot)
        assert len(events(claims_path)) == 12

        # a new change after an undo drops the redo stack
        await pilot.press("u")
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        n = len(events(claims_path))
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert len(events(claims_path)) == n


def test_undo_refuses_when_the_claim_changed_since(claims_path):
    doc = OpenDoc(claims_path, REVIEWER)
    try:
        cid = doc.claims[0].id
        doc.set_status(cid, Status.verified)
        doc.review.update(cid, status=Status.disputed)  # changed by another route since
        with pytest.raises(Conflict, match="has changed since"):
            doc.undo()
        assert on_disk(claims_path)[cid].status == Status.disputed
    finally:
        doc.close()


# -- f t / : filters and search ------------------------------------------------------------------
@asynchronous
async def test_f_cycles_the_status_filter_and_t_the_kind_filter(claims_path):
    app = make_app(claims_path, reviewer=REVIEWER)
    cf = store.load(claims_path)
    n = len(cf.claims)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        s = claims_screen(app)
        await pilot.press("v", "v", "d", "escape")  # two verified, one disputed (no note)
        await settle(pilot)
        await pilot.press("f")
        await settle(pilot)
        assert s.status_filter == Status.pending and s.table.row_count == n - 3
        assert "status pending" in screen_text(app)
        await pilot.press("f")
        assert s.status_filter == Status.disputed and s.table.row_count == 1
        await pilot.press("f")
        assert s.status_filter == Status.verified and s.table.row_count == 2
        await pilot.press("f")
        assert s.status_filter == Status.dismissed and s.table.row_count == 0
        await pilot.press("f")
        assert s.status_filter is None and s.table.row_count == n

        for kind in Kind:
            await pilot.press("t")
            assert s.kind_filter == kind
            ids = s.table.ids()
            assert ids == [c.id for c in cf.claims if c.kind == kind]
        await pilot.press("t")
        assert s.kind_filter is None and s.table.row_count == n
        await settle(pilot)
        # filters change only what is shown
        assert len(events(claims_path)) == 3


@asynchronous
async def test_slash_searches_claim_text_speakers_and_values(claims_path):
    app = make_app(claims_path, reviewer=REVIEWER)
    cf = store.load(claims_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        s = claims_screen(app)
        await pilot.press("slash")
        await settle(pilot)
        assert isinstance(app.focused, SearchBox)
        await pilot.press(*"周靖人", "enter")
        await settle(pilot)
        by_speaker = [c.id for c in cf.claims if c.speaker is not None and c.speaker.name == "周靖人"]
        assert by_speaker and set(by_speaker) <= set(s.table.ids())
        assert "“周靖人”" in screen_text(app)
        assert app.focused is s.table  # enter keeps the search and returns to the table
        # a key typed in the table now acts on the (filtered) claims
        await pilot.press("v")
        await settle(pilot)
        assert events(claims_path)[-1].claim == s.table.ids()[0]

        await pilot.press("slash", *"1600")  # values: the trigger 超1600万次 and its number
        await pilot.press("enter")
        await settle(pilot)
        hits = s.table.ids()
        assert hits and all("1600" in (c := on_disk(claims_path)[i]).text or "16000000" in str(c.value)
                            for i in hits)

        await pilot.press("slash", "escape")  # escape clears the search
        await settle(pilot)
        assert s.query_text == "" and s.table.row_count == len(cf.claims)
        assert app.focused is s.table

        await pilot.press("slash", *"no such thing at all", "enter")
        await settle(pilot)
        assert s.table.row_count == 0
        assert "No claim matches" in screen_text(app)
        await pilot.press("v")  # nothing selected: nothing changes
        await settle(pilot)
        assert len(events(claims_path)) == 1


@asynchronous
async def test_search_follows_typing_after_a_pause(claims_path):
    app = make_app(claims_path, reviewer=REVIEWER)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        s = claims_screen(app)
        await pilot.press("slash", *"张勇")
        await settle(pilot, 0.4)
        assert s.query_text == "张勇" and 0 < s.table.row_count < len(s.doc.claims)


# -- j k ] [: moving -------------------------------------------------------------------------------
@asynchronous
async def test_j_k_move_like_the_arrows_and_brackets_jump_between_pending_claims(claims_path):
    app = make_app(claims_path, reviewer=REVIEWER)
    ids = [c.id for c in store.load(claims_path).claims]
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j", "j")
        assert current_id(app) == ids[2]
        await pilot.press("k")
        assert current_id(app) == ids[1]
        await pilot.press("down")
        assert current_id(app) == ids[2]
        await pilot.press("up", "up")
        assert current_id(app) == ids[0]
        await pilot.press("v", "v", "v")  # ids 0-2 verified; at ids[3]
        await settle(pilot)
        await pilot.press("k", "k")
        assert current_id(app) == ids[1]
        await pilot.press("right_square_bracket")
        assert current_id(app) == ids[3]
        await pilot.press("left_square_bracket")  # wraps round to the last pending claim
        assert current_id(app) == ids[-1]
        await pilot.press("right_square_bracket")
        assert current_id(app) == ids[3]
        assert len(events(claims_path)) == 3  # moving changes nothing


# -- o ? ctrl+p q ------------------------------------------------------------------------------------
@asynchronous
async def test_o_shows_the_whole_article_with_the_claims_and_escape_returns(claims_path):
    app = make_app(claims_path, reviewer=REVIEWER)
    cf = store.load(claims_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("j", "j", "j")
        cid = current_id(app)
        await pilot.press("o")
        await settle(pilot, 0.1)
        assert isinstance(app.screen, ArticleScreen)
        text = screen_text(app)
        assert cf.document.title in text and "current claim" in text
        claim = on_disk(claims_path)[cid]
        assert claim.trigger.text in text  # scrolled to the current claim's paragraph
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ClaimsScreen) and current_id(app) == cid
        await pilot.press("o", "o")  # o closes it too
        await settle(pilot)
        assert isinstance(app.screen, ClaimsScreen)
        assert events(claims_path) == []


@asynchronous
async def test_question_mark_shows_every_key_of_the_registry(claims_path):
    app = make_app(claims_path, reviewer=REVIEWER)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-text").render())
        for a in ACTIONS:
            assert a.help in text, a.id
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ClaimsScreen)
    assert events(claims_path) == []


@asynchronous
async def test_the_command_palette_offers_the_registry_actions_and_runs_them(claims_path):
    app = make_app(claims_path, reviewer=REVIEWER)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        cid = current_id(app)
        await pilot.press("ctrl+p")
        await settle(pilot, 0.3)
        text = screen_text(app)
        for a in actions("claims")[:5]:
            assert a.title in text
        await pilot.press(*"Disputed")
        await settle(pilot, 0.5)
        await pilot.press("enter")
        await settle(pilot, 0.2)
        assert isinstance(app.screen, PromptScreen)  # disputed: why? (escape: no note for now)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ClaimsScreen)
        assert on_disk(claims_path)[cid].status == Status.disputed
        assert events(claims_path)[-1].new == "disputed"


@asynchronous
async def test_q_quits_and_releases_the_lock(claims_path):
    app = make_app(claims_path, reviewer=REVIEWER)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert lock_path(claims_path).exists()
        await pilot.press("v", "q")
        await settle(pilot)
    assert app.return_code == 0
    assert not lock_path(claims_path).exists()
    assert on_disk(claims_path)[events(claims_path)[0].claim].status == Status.verified


def test_every_binding_has_an_id_and_a_tooltip_and_help_and_palette_share_them():
    for scope in ("claims", "documents", "article", "app"):
        for b in bindings(scope):
            assert b.id and b.tooltip, b
    ids = [a.id for a in ACTIONS]
    assert len(ids) == len(set(ids))
    for cls, scope in ((ClaimsScreen, "claims"), (DocumentsScreen, "documents"), (ArticleScreen, "article")):
        for a in actions(scope):
            assert hasattr(cls, f"action_{action_name(a)}"), a.id
    assert hasattr(ClaimcheckApp, "action_help")
    keys = {a.keys for a in actions("claims")}
    assert {"v", "d", "p", "n", "e", "u", "ctrl+r", "slash", "f", "t", "j", "k",
            "right_square_bracket", "left_square_bracket", "o"} <= keys


# -- read-only -------------------------------------------------------------------------------------
@asynchronous
async def test_a_file_locked_elsewhere_opens_read_only_and_changes_nothing(claims_path):
    before = claims_path.read_bytes()
    with FileLock(claims_path):
        app = make_app(claims_path, reviewer=REVIEWER)
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await settle(pilot)
            text = screen_text(app)
            assert "READ-ONLY" in text and "open for review by" in text
            for keys in (["v"], ["d"], ["p"], ["n"], ["e"], ["u"], ["ctrl+r"]):
                await pilot.press(*keys)
                await settle(pilot)
                assert isinstance(app.screen, ClaimsScreen)  # no modal opens
            assert any(n.title == "Read-only" and "Nothing was changed" in n.message for n in app._notifications)
            await pilot.press("f", "t", "j")  # looking around still works
            await settle(pilot)
        assert lock_path(claims_path).exists()  # the other editor's lock is left alone
    assert claims_path.read_bytes() == before
    assert events(claims_path) == []


# -- the document list -----------------------------------------------------------------------------
@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder: one article with its claim file, one without, one in a subfolder, one broken file."""
    d = tmp_path / "docs"
    (d / "sub").mkdir(parents=True)
    shutil.copy(SAMPLE, d / "a.txt")
    make_app(d / "a.txt", reviewer=REVIEWER).document.close()
    text = SAMPLE.read_text(encoding="utf-8")
    (d / "b.txt").write_text(text.replace("4月7日", "4月8日"), encoding="utf-8")
    (d / "sub" / "c.txt").write_text(text[:400], encoding="utf-8")
    (d / "broken.claims.yaml").write_text("schema: 1\nclaims: [\n", encoding="utf-8")
    return d


def doc_screen(app) -> DocumentsScreen:
    assert isinstance(app.screen, DocumentsScreen), app.screen
    return app.screen


def row_text(table, key: str) -> list[str]:
    return [cell.plain for cell in table.get_row(key)]


@asynchronous
async def test_document_list_opens_goes_back_and_shows_progress(folder):
    app = make_app(folder, reviewer=REVIEWER)
    a_claims = folder / "a.claims.yaml"
    n = len(store.load(a_claims).claims)
    async with app.run_test(size=SIZE) as pilot:
        s = doc_screen(app)
        await wait_for(pilot, lambda: s.loaded)
        await settle(pilot)
        assert [e.name for e in s.entries.values()] == ["a.txt", "b.txt", "broken.claims.yaml", "sub/c.txt"]
        row = row_text(s.table, str(a_claims))
        assert row[1] == "a.txt" and row[3] == str(n) and row[6] == str(n)
        assert "not extracted yet" in row_text(s.table, str(folder / "b.claims.yaml"))[-1]
        assert "broken.claims.yaml:" in row_text(s.table, str(folder / "broken.claims.yaml"))[-1]
        assert f"4 documents, {n} claims" in screen_text(app)

        await pilot.press("enter")  # a.txt
        await settle(pilot)
        cs = claims_screen(app)
        assert cs.doc.path == a_claims and lock_path(a_claims).exists()
        await pilot.press("v", "v", "d", "escape")
        await settle(pilot)
        assert len(events(a_claims)) == 3
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is s
        assert not lock_path(a_claims).exists()  # leaving a document releases it
        row = row_text(s.table, str(a_claims))
        assert (row[4], row[5], row[6]) == ("2", "1", str(n - 3))
        assert "✓ 2 verified" in screen_text(app)

        # back again: the undo history was kept, and undo is still a logged change
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert events(a_claims)[-1].new == "pending"
        assert sum(c.status == Status.disputed for c in on_disk(a_claims).values()) == 0
        await pilot.press("escape")
        await settle(pilot)
        assert row_text(s.table, str(a_claims))[5] == "0"

        # an article without claims is extracted beside it when opened
        await pilot.press("j", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ClaimsScreen))
        await settle(pilot)
        b_claims = folder / "b.claims.yaml"
        assert b_claims.exists() and claims_screen(app).doc.path == b_claims
        await pilot.press("v")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert row_text(s.table, str(b_claims))[4] == "1"

        # a broken claim file does not open; it says why
        await pilot.press("j", "enter")
        await settle(pilot)
        assert app.screen is s
        await pilot.press("q")
        await settle(pilot)
    assert not list(folder.rglob("*.lock"))


@pytest.mark.parametrize("error", [PermissionError(13, "Permission denied"), OSError(28, "No space left on device")])
@asynchronous
async def test_a_claim_file_in_a_folder_we_cannot_write_opens_read_only(claims_path, monkeypatch, error):
    def refuse(self):  # as in a read-only folder or on a full disk (root can write anywhere: simulate it)
        raise error

    monkeypatch.setattr(FileLock, "acquire", refuse)
    app = make_app(claims_path, reviewer=REVIEWER)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert f"cannot be changed here: {error.strerror}" in screen_text(app)  # the real reason, said
        await pilot.press("v", "n")
        await settle(pilot)
        assert isinstance(app.screen, ClaimsScreen)
    assert events(claims_path) == []


@asynchronous
async def test_document_list_shows_who_holds_a_lock(folder):
    a_claims = folder / "a.claims.yaml"
    with FileLock(a_claims):
        app = make_app(folder, reviewer=REVIEWER)
        async with app.run_test(size=SIZE) as pilot:
            s = doc_screen(app)
            await wait_for(pilot, lambda: s.loaded)
            await settle(pilot)
            assert "open elsewhere" in row_text(s.table, str(a_claims))[-1]
            await pilot.press("enter")
            await settle(pilot)
            assert claims_screen(app).doc.read_only
            await pilot.press("v")
            await settle(pilot)
            assert events(a_claims) == []


@asynchronous
async def test_an_empty_folder_says_so(tmp_path):
    app = make_app(tmp_path, reviewer=REVIEWER)
    async with app.run_test(size=SIZE) as pilot:
        s = doc_screen(app)
        await wait_for(pilot, lambda: s.loaded)
        await settle(pilot)
        assert "No articles" in screen_text(app)
        await pilot.press("enter", "j", "k")
        await settle(pilot)


# -- safe display --------------------------------------------------------------------------------
@asynchronous
async def test_markup_and_control_characters_in_article_text_are_shown_literally(tmp_path):
    art = tmp_path / "markup.txt"
    art.write_text(MARKUP_ARTICLE, encoding="utf-8")
    app = make_app(art, reviewer=REVIEWER)
    cf = store.load(claim_file_for(art))
    texts = {c.text for c in cf.claims}
    assert any("[bold]x[/]" in t for t in texts) and any("\x1b[31m" in t for t in texts)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        s = claims_screen(app)
        text = screen_text(app)
        assert "标题[bold]测试[/]" in text  # the title, in the header
        assert "[bold]x[/]销量" in text  # a clause in the table
        assert "␛[31m" in text  # the escape character, made visible
        for claim in cf.claims:  # every claim's detail, with its paragraph
            s.table.move_cursor(row=s.table.get_row_index(claim.id))
            await settle(pilot)
            text = screen_text(app)
            if "link" in claim.text:
                assert "[link=http://a]y[/link]" in text
        strips = app.screen._compositor.render_strips()
        raw = "".join(seg.text for strip in strips for seg in strip)
        assert "\x1b" not in raw and "\x07" not in raw
        await pilot.press("o")  # the article view
        await settle(pilot, 0.1)
        text = screen_text(app)
        assert "[link=http://a]y[/link]" in text and "␛[31m" in text and "[bold]x[/]销量" in text, text
        await pilot.press("escape", "n", *"[b]note[/b]", "enter")
        await settle(pilot)
        assert "[b]note[/b]" in screen_text(app)
        await pilot.press("question_mark", "escape", "v")
        await settle(pilot)
    assert on_disk(claim_file_for(art))[events(claim_file_for(art))[0].claim].note == "[b]note[/b]"


def test_display_swaps_control_characters_one_for_one():
    from tui import display

    raw = "a\x1b[31mb\x07c\x9bd\u202ee\tf\ng"
    shown = display.safe(raw)
    assert len(shown) == len(raw)
    assert "\x1b" not in shown and "\x07" not in shown and "\x9b" not in shown and "\u202e" not in shown
    assert shown.startswith("a␛[31mb␇c")
    assert "\n" not in shown and display.safe(raw, multiline=True).count("\n") == 1


# -- articles that moved or changed -------------------------------------------------------------------
@asynchronous
async def test_a_missing_article_falls_back_to_each_claims_own_text(claims_path, article):
    article.unlink()
    app = make_app(claims_path, reviewer=REVIEWER)
    cf = store.load(claims_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = screen_text(app)
        assert "not found" in text and "the claim's own clause" in text
        await pilot.press("v", "o")
        await settle(pilot, 0.1)
        assert cf.claims[0].text in screen_text(app)
    assert on_disk(claims_path)[cf.claims[0].id].status == Status.verified


@asynchronous
async def test_a_changed_article_is_re_extracted_and_said_so(claims_path, article):
    # More in tests/test_tui_review.py: decisions kept, claims orphaned, read-only when it cannot be done.
    article.write_text(article.read_text(encoding="utf-8") + "\n补充一段。\n", encoding="utf-8")
    app = make_app(claims_path, reviewer=REVIEWER)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert any("article.txt changed: re-extracted, 0 new, 0 orphaned" in n.message for n in app._notifications)
        assert "has changed since its claims were extracted" not in screen_text(app)


# -- repeated claims: the verdict given in another article of the folder --------------------------------
NOTE = "matches the press release"


@pytest.fixture
def twins(tmp_path: Path) -> Path:
    """A folder holding the sample article twice (a.txt, b.txt), both extracted: every claim repeats."""
    d = tmp_path / "week"
    d.mkdir()
    # A title that states a figure, so that the first claim says something by itself (a bare
    # 4月7日 is no statement, and `same_statement` rightly never matches it).
    body = SAMPLE.read_text(encoding="utf-8").split("\n", 1)[1]
    for name in ("a", "b"):
        (d / f"{name}.txt").write_text("魔搭社区模型总下载量超1600万次\n" + body, encoding="utf-8")
        make_app(d / f"{name}.txt", reviewer=REVIEWER).document.close()
    return d


async def verdicts_checked(pilot) -> ClaimsScreen:
    """The claims screen once its look at the folder's other claim files is done."""
    # The worker starts when the screen mounts: wait for its answer to be shown, not for the
    # workers running at the moment the screen appears (there may be none yet).
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ClaimsScreen) and pilot.app.screen.verdicts_shown)
    await settle(pilot)
    return claims_screen(pilot.app)


def same_claim(path: Path, claim) -> set[str]:
    return {c.id for c in store.load(path).claims
            if content_key(c) == content_key(claim) and same_statement(c, claim)}


async def judge_first_claim(pilot) -> None:
    """A note on the first claim, then verified."""
    await pilot.press("n", *NOTE, "enter")
    await settle(pilot)
    await pilot.press("v")
    await settle(pilot)


def shows_earlier_verdict(text: str, where: str) -> bool:
    return ("Earlier" in text and f"✓ verified in {where}" in text and NOTE in text
            and re.search(rf"{REVIEWER}  \d{{4}}-\d\d-\d\d \d\d:\d\d UTC", text) is not None)


@asynchronous
async def test_a_verdict_given_in_one_article_shows_on_the_same_claim_in_another(twins):
    a, b = twins / "a.claims.yaml", twins / "b.claims.yaml"
    first, second = store.load(a).claims[:2]
    assert content_key(first) != content_key(second)
    app = make_app(twins, reviewer=REVIEWER)
    async with app.run_test(size=SIZE) as pilot:
        s = doc_screen(app)
        await wait_for(pilot, lambda: s.loaded)
        await pilot.press("enter")  # a.txt
        cs = await verdicts_checked(pilot)
        assert cs.verdicts == {} and current_id(app) == first.id
        await judge_first_claim(pilot)

        await pilot.press("escape", "j", "enter")  # b.txt, in the same session
        cs = await verdicts_checked(pilot)
        assert cs.doc.path == b and current_id(app) == first.id
        assert set(cs.verdicts) == same_claim(b, first)
        text = screen_text(app)
        assert shows_earlier_verdict(text, "a.claims.yaml"), text
        assert f"“{first.text}”" in text  # the other clause, to tell that it is the same claim
        assert row_text(cs.table, first.id)[0] == "·↺"
        assert f"↺ {len(cs.verdicts)} judged elsewhere" in text
        assert on_disk(b)[first.id].status == Status.pending  # shown, never copied

        # a claim that was not judged elsewhere shows nothing of the kind
        cs.table.move_cursor(row=cs.table.get_row_index(second.id))
        await settle(pilot)
        assert "Earlier" not in screen_text(app) and row_text(cs.table, second.id)[0] == "·"

        # back in a.txt, the claim's own verdict is not an earlier one; undone there, it is gone
        # from b.txt when that is opened again
        await pilot.press("escape", "k", "enter")
        cs = await verdicts_checked(pilot)
        assert cs.verdicts == {}
        cs.table.move_cursor(row=cs.table.get_row_index(first.id))
        await settle(pilot)
        assert NOTE in screen_text(app) and "Earlier" not in screen_text(app)
        await pilot.press("u", "u")
        await settle(pilot)
        assert on_disk(a)[first.id].status == Status.pending
        await pilot.press("escape", "j", "enter")
        cs = await verdicts_checked(pilot)
        assert cs.verdicts == {} and "Earlier" not in screen_text(app) and "↺" not in screen_text(app)


@asynchronous
async def test_an_article_without_the_claim_shows_no_earlier_verdict(twins):
    (twins / "b.txt").unlink()
    (twins / "b.claims.yaml").unlink()
    other = twins / "c.txt"
    other.write_text("天气稿\n2023年04月13日\n\n据气象台介绍，本周平均气温比上周高3摄氏度。\n", encoding="utf-8")
    make_app(other, reviewer=REVIEWER).document.close()
    app = make_app(twins, reviewer=REVIEWER)
    async with app.run_test(size=SIZE) as pilot:
        s = doc_screen(app)
        await wait_for(pilot, lambda: s.loaded)
        await pilot.press("enter")  # a.txt
        await verdicts_checked(pilot)
        await judge_first_claim(pilot)
        await pilot.press("escape", "j", "enter")  # c.txt
        cs = await verdicts_checked(pilot)
        assert cs.doc.path == twins / "c.claims.yaml" and cs.table.row_count > 0
        assert cs.verdicts == {}
        for cid in cs.table.ids():
            cs.table.move_cursor(row=cs.table.get_row_index(cid))
            await settle(pilot)
            text = screen_text(app)
            assert "Earlier" not in text and "↺" not in text


@asynchronous
async def test_one_article_opened_alone_finds_the_verdict_given_beside_it(twins):
    a = twins / "a.claims.yaml"
    first = store.load(a).claims[0]
    async with make_app(a, reviewer=REVIEWER).run_test(size=SIZE) as pilot:
        await verdicts_checked(pilot)
        await judge_first_claim(pilot)
    app = make_app(twins / "b.txt", reviewer=REVIEWER)  # the article, as a fact-checker opens it
    async with app.run_test(size=SIZE) as pilot:
        cs = await verdicts_checked(pilot)
        assert set(cs.verdicts) == same_claim(twins / "b.claims.yaml", first)
        assert current_id(app) == first.id
        # the detail is drawn after the verdicts arrive: wait for the screen, not one frame
        await wait_for(pilot, lambda: shows_earlier_verdict(screen_text(app), "a.claims.yaml"))


@asynchronous
async def test_an_orphan_is_not_the_earlier_verdict_of_a_claim_in_its_own_file(twins):
    """Re-extraction can keep a judged claim as an orphan beside a new claim saying the same."""
    a = twins / "a.claims.yaml"
    cf = store.load(a)
    first = cf.claims[0]
    orphan = first.model_copy(update={"id": first.id + "-old", "status": Status.verified, "note": NOTE,
                                      "reviewed_by": REVIEWER, "reviewed_at": datetime.now(UTC),
                                      "orphaned_at": datetime.now(UTC)})
    store.save(a, cf.model_copy(update={"claims": [*cf.claims, orphan]}))
    app = make_app(a, reviewer=REVIEWER)
    async with app.run_test(size=SIZE) as pilot:
        cs = await verdicts_checked(pilot)
        assert cs.verdicts == {} and current_id(app) == first.id
        assert "Earlier" not in screen_text(app)
    # ... while in the other article the orphan's verdict is still a verdict on the same claim
    app = make_app(twins / "b.claims.yaml", reviewer=REVIEWER)
    async with app.run_test(size=SIZE) as pilot:
        cs = await verdicts_checked(pilot)
        assert cs.verdicts[first.id].claim == orphan.id
        await wait_for(pilot, lambda: shows_earlier_verdict(screen_text(app), "a.claims.yaml"))


def test_heap_settle_frees_what_is_gone_and_freezes_what_is_alive():
    import gc
    import weakref

    from tui import heap

    class Node:
        pass

    a = Node()
    a.me = a  # a cycle: only the collector can free it
    gone = weakref.ref(a)
    heap.settle()
    assert gc.get_freeze_count() > 0 and gone() is not None
    del a  # garbage now, but frozen: a freeze alone would keep it for ever
    heap.settle()
    assert gone() is None
    gc.unfreeze()
