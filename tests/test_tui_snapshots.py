"""Snapshots of the review UI's screens (pytest-textual-snapshot).

The claims are written out here, on the sample article's real text, rather than extracted:
a change to the rule packs must not change these pictures. Review every snapshot change
before accepting it (`pytest tests/test_tui_snapshots.py --snapshot-update`).
"""
from __future__ import annotations

import hashlib
import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from claims import audit, store
from claims.model import Claim, ClaimFile, Comparator, Document, Kind, Span, Speaker, Status, Trigger
from claims.naming import lock_path
from tui.app import make_app
from tui.screens.documents import DocumentsScreen

from .conftest import SAMPLE

SIZE = (160, 45)
TITLE = "产业巨头“赶场”大模型阿里云领衔探索与“实”俱进"
ZHANG = Speaker(name="张勇", title="阿里巴巴集团董事会主席兼CEO、阿里云智能集团CEO", cue="说")
WHEN = datetime(2024, 5, 1, 9, 30, tzinfo=UTC)

# id, kind, clause, trigger, rule, other fields
CLAIMS = [
    ("d0000000001", Kind.date, "4月7日", "4月7日", "date.month-day", {"value": "2023-04-07"}),
    ("a0000000002", Kind.attribution, "阿里巴巴集团董事会主席兼CEO张勇表示", "张勇表示", "attribution.cue",
     {"speaker": Speaker(name="张勇", title="阿里巴巴集团董事会主席兼CEO", cue="表示")}),
    ("a0000000003", Kind.attribution, "阿里云智能首席技术官周靖人在接受上海证券报记者采访时表示", "周靖人在接受上海证券报记者采访时表示",
     "attribution.interview", {"speaker": Speaker(name="周靖人", title="阿里云智能首席技术官", cue="表示")}),
    ("d0000000004", Kind.date, "自2019年涉足大模型研发以来", "2019年", "date.year", {"value": "2019"}),
    ("q0000000005", Kind.quantity, "能够降低到现在的十分之一", "十分之一", "quantity.fraction",
     {"value": 0.1, "speaker": ZHANG}),
    ("r0000000006", Kind.ranking, "阿里云推出国内首个AI模型社区“魔搭”", "首个", "ranking.first", {}),
    ("q0000000007", Kind.quantity, "“魔搭”社区总用户量已超100万", "超100万", "quantity.count",
     {"value": 1000000, "comparator": Comparator.over}),
    ("q0000000008", Kind.quantity, "模型总下载量超1600万次", "超1600万次", "quantity.count",
     {"value": 16000000, "unit": "次", "comparator": Comparator.over}),
    ("r0000000009", Kind.ranking, "成为国内规模最大的AI模型社区。", "最大", "ranking.superlative", {}),
]
REVIEWS = {
    "d0000000001": {"status": Status.verified},
    "a0000000002": {"status": Status.verified},
    "q0000000005": {"status": Status.disputed, "note": "原话只说“希望”，不是已实现的数字",
                    "evidence": ["https://www.alibabagroup.com/", "阿里云峰会直播 2023-04-11 00:42:10"]},
}


def claim_file(text: str, path: str, reviews: dict[str, dict]) -> ClaimFile:
    claims = []
    for cid, kind, clause, trig, rule, extra in CLAIMS:
        start = text.index(clause)
        t0 = start + clause.index(trig)
        review = reviews.get(cid, {})
        if review:
            review = {**review, "reviewed_by": "alice", "reviewed_at": WHEN}
        claims.append(Claim(id=cid, kind=kind, text=clause, span=Span(start=start, end=start + len(clause)),
                            trigger=Trigger(text=trig, start=t0, end=t0 + len(trig)), rule=rule, **extra, **review))
    doc = Document(id=Path(path).stem, path=path, sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
                   title=TITLE, date="2023-04-12", encoding="utf-8")
    return ClaimFile(document=doc, claims=claims)


def write_pair(folder: Path, name: str, reviews: dict[str, dict]) -> Path:
    text = SAMPLE.read_text(encoding="utf-8")
    shutil.copy(SAMPLE, folder / f"{name}.txt")
    target = folder / f"{name}.claims.yaml"
    store.save(target, claim_file(text, f"{name}.txt", reviews))
    # judged claims come with their history, as the UI and `mark` write it (no missing-log banner)
    defaults = {"status": "pending", "note": "", "evidence": []}
    changes = [audit.Change(cid, field, defaults[field], getattr(value, "value", value))
               for cid, r in reviews.items() for field, value in r.items() if field in defaults]
    if changes:
        audit.append(audit.log_path(target), changes, "alice", WHEN)
    return target


@pytest.fixture
def claims_path(tmp_path: Path) -> Path:
    return write_pair(tmp_path, "article", REVIEWS)


def test_main_screen(snap_compare, claims_path):
    async def run_before(pilot):
        await pilot.pause()
        await pilot.press("j", "j")  # the disputed claim, with a note and evidence
        await pilot.pause()

    assert snap_compare(make_app(claims_path, reviewer="alice"), terminal_size=SIZE, run_before=run_before)


def test_main_screen_with_an_earlier_verdict(snap_compare, tmp_path):
    """A reprint of a reviewed article: its claims show the verdicts given there (↺)."""
    write_pair(tmp_path, "alibaba-cloud", REVIEWS)
    reprint = write_pair(tmp_path, "reprint", {})

    async def run_before(pilot):
        for _ in range(200):
            if getattr(pilot.app.screen, "verdicts", None):
                break
            await pilot.pause(0.05)
        await pilot.press("j", "j", "j", "j")  # the claim disputed in the other article, with its note
        await pilot.pause()

    assert snap_compare(make_app(reprint, reviewer="alice"), terminal_size=SIZE, run_before=run_before)


def test_help_screen(snap_compare, claims_path):
    assert snap_compare(make_app(claims_path, reviewer="alice"), terminal_size=SIZE, press=["question_mark"])


def test_article_view(snap_compare, claims_path):
    async def run_before(pilot):
        await pilot.pause()
        await pilot.press("j", "j", "o")
        await pilot.pause()

    assert snap_compare(make_app(claims_path, reviewer="alice"), terminal_size=SIZE, run_before=run_before)


def test_document_list(snap_compare, tmp_path, monkeypatch):
    docs = tmp_path / "newsroom"
    (docs / "monday").mkdir(parents=True)
    write_pair(docs, "alibaba-cloud", REVIEWS)
    # one claim of it dismissed: counted in its own column, apart from the progress
    write_pair(docs / "monday", "checked", {cid: {"status": Status.dismissed if cid == CLAIMS[-1][0] else Status.verified}
                                            for cid, *_ in CLAIMS})
    write_pair(docs, "untouched", {})
    shutil.copy(SAMPLE, docs / "new-article.txt")
    monkeypatch.chdir(tmp_path)  # the list shows the folder as given: keep the picture free of tmp paths

    async def run_before(pilot):
        for _ in range(200):
            if isinstance(pilot.app.screen, DocumentsScreen) and pilot.app.screen.loaded:
                break
            await pilot.pause(0.05)
        await pilot.pause()

    assert snap_compare(make_app("newsroom", reviewer="alice"), terminal_size=SIZE, run_before=run_before)


def test_read_only_banner(snap_compare, claims_path):
    """Another desk has the file open: the banner names who, and nothing can be changed."""
    # A holder on another machine: its process cannot be checked from here, so the lock is
    # respected, and the banner's words are the same on every run.
    holder = {"user": "bob", "host": "desk-7", "pid": 4242, "since": "2024-05-01T09:00:00+00:00", "reviewer": "鲍勃"}
    lock_path(claims_path).write_text(json.dumps(holder), encoding="utf-8")
    assert snap_compare(make_app(claims_path, reviewer="alice"), terminal_size=SIZE, press=["j"])


@pytest.mark.parametrize("key", ["n", "e", "x"], ids=["note", "evidence", "dismiss-reason"])
def test_modal_screen(snap_compare, claims_path, key):
    """The note, evidence and dismissal prompts over the claims they are about."""

    async def run_before(pilot):
        await pilot.pause()
        await pilot.press("j", "j", key)  # the disputed claim: its note and evidence are filled in
        await pilot.pause()

    assert snap_compare(make_app(claims_path, reviewer="alice"), terminal_size=SIZE, run_before=run_before)
