"""A claim file of 10,000 claims in the review UI: its first claims are on screen from a
preview while a worker opens it in full; nothing can be changed until that has landed, and
what the full open finds (a bad claim far down, a lock, a log that disagrees, a save to roll
forward) is said and done as for any file."""
from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest

from claims import audit, store
from claims.assemble import extract_file
from claims.errors import FileError
from claims.lock import FileLock, lock_path
from claims.model import Status
from claims.review import Review
from tui.app import make_app
from tui.screens import claims as claims_screen_module
from tui.session import OpenDoc, Preview

from .conftest import SAMPLE, asynchronous, claims_screen, events, screen_text, settle, wait_for

SIZE = (160, 45)
REVIEWER = "tester"
CLAIMS = 10_000


@pytest.fixture(scope="module")
def big_template(tmp_path_factory) -> Path:
    """One claim file of 10,000 claims (the sample's, repeated under new ids), as bench_tui builds it."""
    folder = tmp_path_factory.mktemp("big")
    article = folder / "big.txt"
    shutil.copy(SAMPLE, article)
    cf = extract_file(article)
    claims = [c.model_copy(update={"id": f"{c.id}-{k}"}) for k in range(CLAIMS // len(cf.claims) + 1)
              for c in cf.claims][:CLAIMS]
    cf = cf.model_copy(update={"claims": claims, "document": cf.document.model_copy(update={"path": article.name})})
    store.save(folder / "big.claims.yaml", cf)
    return folder


@pytest.fixture
def big(big_template, tmp_path) -> Path:
    for name in ("big.txt", "big.claims.yaml"):
        shutil.copy(big_template / name, tmp_path / name)
    return tmp_path / "big.claims.yaml"


@pytest.fixture
def held(monkeypatch) -> threading.Event:
    """The worker's full open waits until the test sets this (the test's own 'slow disk')."""
    gate = threading.Event()

    class Held(OpenDoc):
        def __init__(self, *args, **kwargs):
            assert gate.wait(60), "the test never let the full open go on"
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(claims_screen_module, "OpenDoc", Held)
    return gate


def first_ids(path: Path, n: int) -> list[str]:
    """The ids of the file's first n claims that the table shows (not dismissed), read from its text."""
    head = store.load_preview(path, n)
    assert head is not None
    return [c.id for c in head.cf.claims if c.status != Status.dismissed]


async def landed(pilot, app) -> None:
    await wait_for(pilot, lambda: isinstance(claims_screen(app).doc, OpenDoc), timeout=60)
    await settle(pilot)


def test_a_small_file_is_opened_whole_at_once_as_before(claims_path):
    app = make_app(claims_path, reviewer=REVIEWER)
    try:
        assert isinstance(app.document, OpenDoc) and lock_path(claims_path).exists()
    finally:
        app.document.close()


@asynchronous
async def test_the_first_claims_are_on_screen_before_the_full_open_lands(big, held):
    before = big.read_bytes()
    app = make_app(big, reviewer=REVIEWER)
    assert isinstance(app.document, Preview)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, 0.2)
        s = claims_screen(app)
        assert isinstance(s.doc, Preview)  # still held back
        shown = s.table.ids()
        assert shown == first_ids(big, len(shown)) and len(shown) >= 40
        assert s.table.current_id == shown[0]
        text = screen_text(app)
        assert "opening all 10,000 claims" in text and "the first 200 of 10,000 claims" in text
        assert "READ-ONLY" not in text
        assert not lock_path(big).exists()  # the preview takes no lock and writes nothing
        await pilot.press("j", "j")  # looking around works meanwhile
        await settle(pilot)
        assert s.table.current_id == shown[2]
        held.set()
        await landed(pilot, app)
        assert app.document is s.doc and lock_path(big).exists()
        assert s.table.current_id == shown[2]  # where the editor went, not back to the start
        assert s.table.shown == CLAIMS and s.table.ids()[: len(shown)] == shown
        text = screen_text(app)
        assert "opening all" not in text and f"0/{CLAIMS} reviewed" in text and f"{CLAIMS} of {CLAIMS} claims" in text
    assert not lock_path(big).exists()
    assert big.read_bytes() == before  # a file without a log opened and closed: nothing to write


@asynchronous
async def test_a_key_pressed_before_the_full_open_lands_saves_nothing(big, held):
    before = big.read_bytes()
    app = make_app(big, reviewer=REVIEWER)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot, 0.1)
        s = claims_screen(app)
        first = s.table.current_id
        for key in ("v", "d", "p", "x", "n", "e", "E", "u", "ctrl+r", "o"):
            await pilot.press(key)
            await settle(pilot)
            assert app.screen is s  # no prompt, no article view
        said = [n for n in app._notifications if n.title == "Opening"]
        assert said and all("still being opened (10,000 claims): nothing was changed" in n.message for n in said)
        assert isinstance(s.doc, Preview)
        assert big.read_bytes() == before and not audit.log_path(big).exists()
        held.set()
        await landed(pilot, app)
        assert big.read_bytes() == before and not audit.log_path(big).exists()  # not queued either
        assert s.doc.claim(first).status == Status.pending
        await pilot.press("v")  # once open, the same key decides
        await settle(pilot)
    logged = events(big)
    assert [(e.claim, e.field, e.new) for e in logged] == [(first, "status", "verified")]


def test_a_bad_claim_far_down_the_file_is_reported_as_when_opened_whole(big):
    lines = big.read_text(encoding="utf-8").split("\n")
    at = [i for i, line in enumerate(lines) if line.startswith("- id: ")][8999]  # the 9,000th claim
    status = next(i for i in range(at, len(lines)) if lines[i].startswith("  status: "))
    lines[status] = "  status: maybe"
    big.write_text("\n".join(lines), encoding="utf-8")
    broken = big.read_bytes()
    with pytest.raises(FileError) as whole:
        store.load(big)
    assert "claims[8999].status" in whole.value.problems[0]
    app = make_app(big, reviewer=REVIEWER)
    assert isinstance(app.document, Preview)  # the first claims are fine: shown first
    with pytest.raises(FileError) as found:
        app.run(headless=True, size=SIZE)  # as `claimcheck review` runs it: its main reports the error
    assert found.value.problems == whole.value.problems
    assert app.return_code == 1
    assert big.read_bytes() == broken and not lock_path(big).exists() and not audit.log_path(big).exists()


@asynchronous
async def test_a_file_locked_elsewhere_is_said_to_be_once_open(big):
    before = big.read_bytes()
    with FileLock(big, "李编辑"):
        app = make_app(big, reviewer=REVIEWER)
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await landed(pilot, app)
            s = claims_screen(app)
            assert s.doc.read_only
            text = screen_text(app)
            assert "READ-ONLY" in text and "open for review by 李编辑" in text
            banner = s.query_one("#readonly")
            assert str(banner.render()) == f"READ-ONLY: {s.doc.read_only_reason}"
            await pilot.press("v")
            await settle(pilot)
            assert any(n.title == "Read-only" and "Nothing was changed" in n.message for n in app._notifications)
        assert lock_path(big).exists()  # theirs, left alone
    assert big.read_bytes() == before and not audit.log_path(big).exists()


@asynchronous
async def test_a_claim_file_edited_by_hand_is_refused_once_open(big):
    with Review(big, REVIEWER) as r:
        first = r.cf.claims[0].id
        r.set_status(first, Status.verified)  # a log, and a head that vouches for the claims
    lines = big.read_text(encoding="utf-8").split("\n")
    at = [i for i, line in enumerate(lines) if line.startswith("- id: ")][5000]
    status = next(i for i in range(at, len(lines)) if lines[i].startswith("  status: "))
    lines[status] = "  status: verified"  # by hand, not logged
    big.write_text("\n".join(lines), encoding="utf-8")
    before, log_before = big.read_bytes(), audit.log_path(big).read_bytes()
    app = make_app(big, reviewer=REVIEWER)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await landed(pilot, app)
        s = claims_screen(app)
        text = screen_text(app)
        assert "claims[5000]" in text and "edited by hand?" in text and "nothing can be changed until they agree" in text
        # Blocked: the READ-ONLY banner says why, as for a small file (the same problem once).
        assert str(s.query_one("#readonly").render()) == f"READ-ONLY: {s.doc.log_problem}"
        assert not s.query("#log-problem")
        await pilot.press("v")
        await settle(pilot)
    assert big.read_bytes() == before and audit.log_path(big).read_bytes() == log_before


@asynchronous
async def test_a_save_cut_short_is_rolled_forward_by_the_full_open(big):
    with Review(big, REVIEWER) as r:
        a, b = r.cf.claims[0].id, r.cf.claims[1].id
        r.set_status(a, Status.verified)
        saved_once = big.read_bytes()
        r.set_status(b, Status.disputed)
    big.write_bytes(saved_once)  # the second decision logged, its save lost
    app = make_app(big, reviewer=REVIEWER)
    assert isinstance(app.document, Preview) and app.document.claim(b).status == Status.pending
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await landed(pilot, app)
        s = claims_screen(app)
        assert s.doc.claim(b).status == Status.disputed
        assert any("recovered 1 logged decision" in n.message for n in app._notifications)
    head = store.load_preview(big, 2)
    assert head is not None and head.cf.claims[1].status == Status.disputed and head.cf.audit.events == 2
    assert len(events(big)) == 2


@asynchronous
async def test_quitting_while_the_file_is_being_opened_releases_its_lock(big, held):
    before = big.read_bytes()
    app = make_app(big, reviewer=REVIEWER)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, 0.1)
        assert isinstance(claims_screen(app).doc, Preview)
        threading.Timer(0.3, held.set).start()  # the open goes on while the app is closing
        await pilot.press("q")
    assert held.is_set() and not lock_path(big).exists()
    assert big.read_bytes() == before
