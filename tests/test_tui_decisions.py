"""Deciding in the review UI (issue 16 items 1-4): dismissing with a reason, the disputed prompt,
notes of several lines, deciding from the article view, and adding a missed claim there.
Keys in; the claim file, the audit log and the screen checked after."""
from __future__ import annotations

from pathlib import Path

import pytest
from textual import events as textual_events

from claims import audit, store
from claims.model import DISMISS_REASONS, MANUAL_RULE, Status
from claims.naming import claim_file_for
from tui.app import make_app
from tui.screens.add import AddClaimScreen
from tui.screens.article import ArticleScreen
from tui.screens.claims import ClaimsScreen
from tui.screens.documents import DocumentsScreen
from tui.screens.prompt import PromptScreen, ReasonScreen

from .conftest import (
    TUI_REVIEWER,
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
# The extractor leaves out a count after a demonstrative (上述两家): the editor adds it by hand.
SMALL = ("某市经济稳步回升\n2024年03月28日\n\n市统计局局长王建国表示，一季度全市生产总值达1.5亿元，同比增长35%。\n"
         "上述两家企业表示订单回暖。\n")


def verify(path: Path) -> None:
    """The claim file and its log agree, and the chain is whole."""
    assert audit.verify(audit.log_path(path)) == []
    with_log = store.load(path)
    from claims import agreement

    assert agreement.full_check(path, with_log, events(path)) == []


@pytest.fixture
def small_claims(tmp_path: Path) -> Path:
    art = tmp_path / "small.txt"
    art.write_text(SMALL, encoding="utf-8")
    make_app(art, reviewer=TUI_REVIEWER).document.close()
    return claim_file_for(art)


# -- x: dismissed ------------------------------------------------------------------------------
@asynchronous
async def test_x_dismisses_with_a_picked_reason_and_hides_the_claim(claims_path):
    n = len(store.load(claims_path).claims)
    app = make_app(claims_path, reviewer=TUI_REVIEWER)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        s = claims_screen(app)
        cid = current_id(app)
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ReasonScreen)
        assert all(r in screen_text(app) for r in DISMISS_REASONS)
        await pilot.press("2")  # duplicate
        await settle(pilot)
        assert isinstance(app.screen, ClaimsScreen)
        c = on_disk(claims_path)[cid]
        assert (c.status, c.reason, c.reviewed_by) == (Status.dismissed, "duplicate", TUI_REVIEWER)
        assert [(e.claim, e.field, e.new) for e in events(claims_path)] == [
            (cid, "status", "dismissed"), (cid, "reason", "duplicate")]
        # hidden by default, out of the progress, counted apart
        assert s.table.row_count == n - 1 and cid not in s.table.ids()
        assert current_id(app) != cid
        text = screen_text(app)
        assert f"0/{n - 1} reviewed" in text and "1 dismissed" in text and f"{n - 1} of {n} claims" in text
        # the status filter shows them
        for _ in range(4):
            await pilot.press("f")
        await settle(pilot)
        assert s.status_filter == Status.dismissed and s.table.ids() == [cid]
        text = screen_text(app)
        assert "status dismissed" in text and "Dismissed" in text and "duplicate" in text
        # undo: pending again, the reason gone, back in the list
        await pilot.press("escape", "u")
        await settle(pilot)
        c = on_disk(claims_path)[cid]
        assert (c.status, c.reason) == (Status.pending, None)
        assert s.table.row_count == n and current_id(app) == cid
    verify(claims_path)


@asynchronous
async def test_x_takes_a_typed_reason_and_escape_changes_nothing(claims_path):
    app = make_app(claims_path, reviewer=TUI_REVIEWER)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        cid = current_id(app)
        await pilot.press("x", "escape")
        await settle(pilot)
        assert isinstance(app.screen, ClaimsScreen) and events(claims_path) == []
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("tab", *"广告", "enter")
        await settle(pilot)
        c = on_disk(claims_path)[cid]
        assert (c.status, c.reason) == (Status.dismissed, "广告")
        # a dismissed claim judged again leaves its reason behind
        for _ in range(4):
            await pilot.press("f")
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        c = on_disk(claims_path)[cid]
        assert (c.status, c.reason) == (Status.verified, None)
    verify(claims_path)


@asynchronous
async def test_a_dismissed_claim_stays_dismissed_when_the_article_is_extracted_again(claims_path, article):
    app = make_app(claims_path, reviewer=TUI_REVIEWER)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        cid = current_id(app)
        await pilot.press("x", "1")
        await settle(pilot)
    # a line added before it moves every offset: the same claim found again keeps its decision
    article.write_text("编者按：本文有更新。\n" + article.read_text(encoding="utf-8"), encoding="utf-8")
    app = make_app(claims_path, reviewer=TUI_REVIEWER)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "re-extracted" in app.screen.doc.notice
        c = on_disk(claims_path)[cid]
        assert (c.status, c.reason, c.orphaned_at) == (Status.dismissed, "not a claim", None)
        assert c.trigger.start > 0 and cid not in claims_screen(app).table.ids()
    verify(claims_path)


def test_claim_files_of_version_2_load_and_agree_with_their_log(claims_path):
    """A version 2 file (no reason, no added_by) is read as it was; its digest is unchanged."""
    from claims.review import Review

    with Review(claims_path, "ed") as r:
        r.update(r.cf.claims[0].id, status="verified", note="checked")
    raw = claims_path.read_text(encoding="utf-8")
    assert raw.startswith("schema: 3\n") and "reason" not in raw and "added_by" not in raw
    claims_path.write_text(raw.replace("schema: 3\n", "schema: 2\n", 1), encoding="utf-8")
    cf = store.load(claims_path)
    assert cf.schema_ == 2 and cf.claims[0].reason is None
    verify(claims_path)  # the digest recorded by a version 2 save still matches


# -- d: disputed asks why --------------------------------------------------------------------
@asynchronous
async def test_d_asks_for_the_note_and_escape_leaves_it_missing(claims_path):
    app = make_app(claims_path, reviewer=TUI_REVIEWER)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        s = claims_screen(app)
        first = current_id(app)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, PromptScreen) and "why" in screen_text(app)
        assert on_disk(claims_path)[first].status == Status.disputed  # decided before the note
        await pilot.press(*"年份不对", "enter")
        await settle(pilot)
        c = on_disk(claims_path)[first]
        assert (c.status, c.note) == (Status.disputed, "年份不对")
        assert [(e.field, e.new) for e in events(claims_path)] == [("status", "disputed"), ("note", "年份不对")]
        second = current_id(app)
        assert second != first  # on to the next pending claim once the note is written
        assert s.table.get_row(first)[0].plain == "✗ *"

        await pilot.press("d", "escape")
        await settle(pilot)
        c = on_disk(claims_path)[second]
        assert (c.status, c.note) == (Status.disputed, "")
        assert s.table.get_row(second)[0].plain == "✗ !"  # disputed, the note missing
        await pilot.press("k")
        await settle(pilot)
        assert current_id(app) == second and "missing: say why it is disputed" in screen_text(app)
    verify(claims_path)


@asynchronous
async def test_a_note_may_have_several_lines(claims_path):
    app = make_app(claims_path, reviewer=TUI_REVIEWER)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        cid = current_id(app)
        await pilot.press("n", *"第一行", "ctrl+j", *"第二行", "enter")
        await settle(pilot)
        assert on_disk(claims_path)[cid].note == "第一行\n第二行"
        text = screen_text(app)
        assert "第一行" in text and "第二行" in text
        # editing starts from the note as it is, the cursor at its end
        await pilot.press("n")
        await settle(pilot)
        assert app.screen.query_one("#prompt-input").value == "第一行\n第二行"
        await pilot.press(*"ok", "enter")
        await settle(pilot)
        assert on_disk(claims_path)[cid].note == "第一行\n第二行ok"
    verify(claims_path)


# -- the article view: deciding there ------------------------------------------------------------
@asynchronous
async def test_the_article_view_goes_from_claim_to_claim_and_decides(claims_path):
    cf = store.load(claims_path)
    in_order = sorted(cf.claims, key=lambda c: (c.trigger.start, c.trigger.end))
    app = make_app(claims_path, reviewer=TUI_REVIEWER)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        a = app.screen
        assert isinstance(a, ArticleScreen)
        start = a.current_id
        i = [c.id for c in in_order].index(start)
        await pilot.press("j", "j", "k")
        await settle(pilot)
        assert a.current_id == in_order[i + 1].id
        await pilot.press("v")  # verified, then the next pending claim in the article
        await settle(pilot)
        assert on_disk(claims_path)[in_order[i + 1].id].status == Status.verified
        assert a.current_id == in_order[i + 2].id
        await pilot.press("d", *"数字有误", "enter")
        await settle(pilot)
        c = on_disk(claims_path)[in_order[i + 2].id]
        assert (c.status, c.note) == (Status.disputed, "数字有误")
        assert isinstance(app.screen, ArticleScreen) and a.current_id == in_order[i + 3].id
        await pilot.press("x", "3")
        await settle(pilot)
        c = on_disk(claims_path)[in_order[i + 3].id]
        assert (c.status, c.reason) == (Status.dismissed, "opinion")
        assert a.current_id == in_order[i + 4].id
        await pilot.press("k", "k", "p")  # back on the disputed one: pending again
        await settle(pilot)
        assert on_disk(claims_path)[in_order[i + 2].id].status == Status.pending
        here = a.current_id
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ClaimsScreen)
        assert current_id(app) == here  # the table follows the article view
        assert "✓ 1 verified" in screen_text(app) and "1 dismissed" in screen_text(app)
    verify(claims_path)


# -- the article view: adding a missed claim -----------------------------------------------------
async def _select(pilot, screen: ArticleScreen, start: int, end: int) -> None:
    """With the keys: the cursor to `start`, the mark, the cursor to the last character."""
    await pilot.press("l")
    await settle(pilot)
    step = "l" if screen.cursor < start else "h"
    for _ in range(400):
        if screen.cursor == start:
            break
        await pilot.press(step)
    await pilot.press("m")
    for _ in range(end - start - 1):
        await pilot.press("l")
    await settle(pilot)
    assert screen.selection == (start, end)


@asynchronous
async def test_a_missed_claim_is_added_from_the_article_view(small_claims):
    before = store.load(small_claims)
    text = SMALL
    start = text.index("两家")
    app = make_app(small_claims, reviewer=TUI_REVIEWER)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        a = app.screen
        await pilot.press("a")  # nothing selected: said, nothing opened
        await settle(pilot)
        assert app.screen is a
        await _select(pilot, a, start, start + 2)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, AddClaimScreen)
        # proposed by the normalizers, editable before saving
        form = app.screen
        assert form.kind.value == "quantity"
        assert form.query_one("#add-value").value == "2" and form.query_one("#add-unit").value == "家"
        form.query_one("#add-unit").focus()
        await pilot.press("backspace", *"所", "enter")
        await settle(pilot)
        assert app.screen is a
        added = [c for c in store.load(small_claims).claims if c.rule == MANUAL_RULE]
        assert len(added) == 1
        c = added[0]
        assert (c.trigger.text, c.trigger.start, c.value, c.unit, c.added_by) == ("两家", start, 2, "所", TUI_REVIEWER)
        assert a.current_id == c.id
        e = events(small_claims)[-1]
        assert (e.claim, e.field, e.new["rule"]) == (c.id, "added", "manual")
        # the same words again as the same kind: refused in the form, nothing added
        await _select(pilot, a, start, start + 2)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, AddClaimScreen)
        assert "already a quantity claim" in str(app.screen.query_one("#add-error").content)
        await pilot.press("escape", "escape")
        await settle(pilot)
        assert isinstance(app.screen, ClaimsScreen) and current_id(app) == c.id
    assert len(store.load(small_claims).claims) == len(before.claims) + 1
    verify(small_claims)


@asynchronous
async def test_u_takes_an_added_claim_out_again_and_ctrl_r_puts_it_back(small_claims):
    """An add is a step of the undo history: u takes the claim out (logged as `removed`, the
    claim whole in it), ctrl+r adds it again (logged as `added`), and the change made before
    the add is undone next, as ever."""
    start = SMALL.index("两家")
    app = make_app(small_claims, reviewer=TUI_REVIEWER)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        first = current_id(app)
        await pilot.press("v")  # a decision before the add
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        a = app.screen
        await _select(pilot, a, start, start + 2)
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("ctrl+s")  # the proposed value and unit, as they are
        await settle(pilot)
        (added,) = [c for c in store.load(small_claims).claims if c.rule == MANUAL_RULE]
        await pilot.press("escape")
        await settle(pilot)
        s = claims_screen(app)
        n = len(store.load(small_claims).claims)
        assert added.id in s.table.ids() and f"{n} of {n} claims" in screen_text(app)

        await pilot.press("u")
        await settle(pilot)
        assert added.id not in on_disk(small_claims) and added.id not in s.table.ids()
        assert f"{n - 1} of {n - 1} claims" in screen_text(app)
        e = events(small_claims)[-1]
        assert (e.claim, e.field, e.old["rule"], e.old["claim"]["trigger"]["start"], e.new) == (
            added.id, "removed", "manual", start, None)
        assert on_disk(small_claims)[first].status == Status.verified  # the decision before it stays
        verify(small_claims)

        await pilot.press("ctrl+r")
        await settle(pilot)
        assert on_disk(small_claims)[added.id] == added and added.id in s.table.ids()
        assert [(e.claim, e.field) for e in events(small_claims)[-3:]] == [
            (added.id, "added"), (added.id, "removed"), (added.id, "added")]
        verify(small_claims)

        await pilot.press("u", "u")  # out again, then the decision before it
        await settle(pilot)
        assert added.id not in on_disk(small_claims)
        assert on_disk(small_claims)[first].status == Status.pending
        assert [(e.claim, e.field) for e in events(small_claims)[-2:]] == [(added.id, "removed"), (first, "status")]
    verify(small_claims)


def test_only_a_claim_added_by_hand_is_ever_taken_out(small_claims):
    from claims.errors import FileError
    from claims.review import Review

    with Review(small_claims, TUI_REVIEWER) as r:
        extracted = r.cf.claims[0]
        with pytest.raises(FileError, match="was extracted, not added by hand"):
            r.remove_claim(extracted.id)
    assert store.load(small_claims).claims[0] == extracted and events(small_claims) == []


@asynchronous
async def test_a_wrong_value_typed_in_the_add_form_is_refused(small_claims):
    text = SMALL
    start = text.index("两家")
    app = make_app(small_claims, reviewer=TUI_REVIEWER)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        a = app.screen
        await _select(pilot, a, start, start + 2)
        await pilot.press("a")
        await settle(pilot)
        app.screen.query_one("#add-value").focus()
        await pilot.press("ctrl+a", *"two", "enter")
        await settle(pilot)
        assert isinstance(app.screen, AddClaimScreen)
        assert "a quantity's value is a number" in str(app.screen.query_one("#add-error").content)
    assert not any(c.rule == MANUAL_RULE for c in store.load(small_claims).claims)


# -- item 8: search across Simplified and Traditional, adopting an earlier verdict --------------
@asynchronous
async def test_search_matches_simplified_and_traditional_forms(claims_path):
    app = make_app(claims_path, reviewer=TUI_REVIEWER)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        s = claims_screen(app)
        await pilot.press("slash", *"产业", "enter")
        await settle(pilot, 0.3)
        simplified = s.table.ids()
        assert 0 < len(simplified) < len(s.doc.claims)  # the clause, the speaker's title ... hold 产业
        await pilot.press("escape", "slash", *"產業", "enter")  # the Traditional forms
        await settle(pilot, 0.3)
        assert s.table.ids() == simplified
        await pilot.press("escape", "slash", *"阿里云", "enter")
        await settle(pilot, 0.3)
        simplified = s.table.ids()
        await pilot.press("escape", "slash", *"阿里雲", "enter")
        await settle(pilot, 0.3)
        assert simplified and s.table.ids() == simplified


def test_search_folds_a_traditional_article_for_a_simplified_query(tmp_path):
    from tui.session import OpenDoc

    art = tmp_path / "t.txt"
    art.write_text("市況回暖\n2024年03月28日\n\n統計局發言人表示，全市產業總值同比增長35%。\n", encoding="utf-8")
    make_app(art, reviewer=TUI_REVIEWER).document.close()
    doc = OpenDoc(claim_file_for(art), TUI_REVIEWER)
    try:
        found = doc.visible(query="产业总值")
        assert found and found == doc.visible(query="產業總值")
        assert doc.visible(query="产品") == []
    finally:
        doc.close()


@asynchronous
async def test_a_verdict_given_in_another_article_is_adopted_with_one_key(tmp_path):
    from claims.review import Review
    from tests.conftest import SAMPLE

    folder = tmp_path / "desk"
    folder.mkdir()
    for name in ("first", "reprint"):
        (folder / f"{name}.txt").write_bytes(SAMPLE.read_bytes())
        make_app(folder / f"{name}.txt", reviewer=TUI_REVIEWER).document.close()
    first, reprint = folder / "first.claims.yaml", folder / "reprint.claims.yaml"
    judged = next(c for c in store.load(first).claims if c.kind.value == "quantity" and len(c.text) > 12)
    with Review(first, "alice") as r:
        r.update(judged.id, status="disputed", note="原话只说希望")
    app = make_app(reprint, reviewer=TUI_REVIEWER)
    async with app.run_test(size=SIZE) as pilot:
        s = claims_screen(app)
        for _ in range(200):
            if s.verdicts_shown:
                break
            await pilot.pause(0.05)
        assert judged.id in s.verdicts
        await pilot.press("A")  # not on a claim judged elsewhere: nothing
        await settle(pilot)
        assert events(reprint) == [] or all(e.claim != judged.id for e in events(reprint))
        s.table.show(judged.id)
        await settle(pilot)
        await pilot.press("A")
        await settle(pilot)
        c = on_disk(reprint)[judged.id]
        assert (c.status, c.note, c.reviewed_by) == (Status.disputed, "原话只说希望", TUI_REVIEWER)
        log = [e for e in events(reprint) if e.claim == judged.id]
        assert [e.field for e in log] == ["status", "note", "adopted"]
        assert log[-1].new["claim_file"].endswith("first.claims.yaml") and log[-1].new["reviewed_by"] == "alice"
        assert current_id(app) != judged.id  # on to the next pending claim
        await pilot.press("u")  # undone as any change
        await settle(pilot)
        assert on_disk(reprint)[judged.id].status == Status.pending
    verify(reprint)


# -- item 8: the folder list refreshes, and extracts every article at once ----------------------
def _docs(app):
    from tui.screens.documents import DocumentsScreen

    assert isinstance(app.screen, DocumentsScreen), app.screen
    return app.screen


@asynchronous
async def test_the_folder_list_refreshes_and_x_extracts_every_article(tmp_path):
    from tests.conftest import SAMPLE, wait_for

    folder = tmp_path / "desk"
    folder.mkdir()
    for name in ("a", "b"):
        (folder / f"{name}.txt").write_bytes(SAMPLE.read_bytes())
    app = make_app(folder, reviewer=TUI_REVIEWER)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: getattr(app.screen, "loaded", False))
        d = _docs(app)
        assert len(d.entries) == 2 and not any(e.exists for e in d.entries.values())
        # a file that appears is listed on r
        (folder / "c.txt").write_bytes(SAMPLE.read_bytes())
        await pilot.press("r")
        await wait_for(pilot, lambda: len(d.entries) == 3)
        # ... and when the terminal gets the focus back
        (folder / "d.txt").write_bytes(SAMPLE.read_bytes())
        app.post_message(textual_events.AppBlur())
        await settle(pilot)
        app.post_message(textual_events.AppFocus())
        await wait_for(pilot, lambda: len(d.entries) == 4)
        # X: every article not extracted yet, with progress said as it goes
        await pilot.press("X")
        await wait_for(pilot, lambda: all(e.exists and e.loaded for e in d.entries.values()))
        await wait_for(pilot, lambda: "4 of 4 articles extracted" in screen_text(app))
        assert sorted(p.name for p in folder.glob("*.claims.yaml")) == [f"{n}.claims.yaml" for n in "abcd"]
        n = len(store.load(folder / "a.claims.yaml").claims)
        assert all(e.total == n for e in d.entries.values())
        await pilot.press("X")  # nothing left: said, nothing done
        await settle(pilot)
        assert "Nothing to extract" in str([m.title for m in app._notifications])


# -- the folder list counts dismissed claims apart ---------------------------------------------
@asynchronous
async def test_the_folder_list_shows_each_documents_dismissed_claims_and_their_total(tmp_path):
    docs = tmp_path / "desk"
    docs.mkdir()
    for name in ("a", "b"):
        (docs / f"{name}.txt").write_text(SMALL, encoding="utf-8")
        make_app(docs / f"{name}.txt", reviewer=TUI_REVIEWER).document.close()
    live = len(store.load(claim_file_for(docs / "a.txt")).claims)
    app = make_app(docs, reviewer=TUI_REVIEWER)
    async with app.run_test(size=SIZE) as pilot:
        s = app.screen
        assert isinstance(s, DocumentsScreen)
        await wait_for(pilot, lambda: s.loaded)
        await settle(pilot)
        assert "dismissed" not in screen_text(app)
        row = [str(c) for c in s.table.get_row(str(claim_file_for(docs / "a.txt")))]
        assert row[s.table.get_column_index("dismissed")] == "0"
        await pilot.press("enter")  # a.txt
        await wait_for(pilot, lambda: isinstance(app.screen, ClaimsScreen))
        await settle(pilot)
        await pilot.press("x", "1")  # not a claim
        await settle(pilot)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, DocumentsScreen))
        await settle(pilot)
        row = [str(c) for c in s.table.get_row(str(claim_file_for(docs / "a.txt")))]
        columns = {k: s.table.get_column_index(k) for k in ("claims", "pending", "dismissed")}
        assert (row[columns["claims"]], row[columns["pending"]], row[columns["dismissed"]]) == (
            str(live - 1), str(live - 1), "1")  # out of the progress, counted apart
        title = str(s.query_one("#folder-title").render())
        assert f"{2 * live - 1} claims" in title and "– 1 dismissed" in title, title
