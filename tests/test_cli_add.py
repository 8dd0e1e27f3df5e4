"""`claimcheck add`: a claim the extractor missed, added from a script by its words, logged as
the review UI logs it, and kept by re-extraction while its words are in the article."""
from __future__ import annotations

from pathlib import Path

import pytest

from claims import audit, store
from claims.model import MANUAL_RULE, Status

# The extractor leaves out a count after a demonstrative (上述两家): the editor adds it by hand.
ARTICLE = "某市经济稳步回升\n2024年03月28日\n\n市统计局局长王建国表示，一季度全市生产总值达1.5亿元，同比增长35%。\n" \
          "上述两家企业表示订单回暖。\n"


@pytest.fixture
def claims_path(cli, tmp_path: Path) -> Path:
    art = tmp_path / "a.txt"
    art.write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "a.claims.yaml"
    r = cli("extract", str(art), "-o", str(out))
    assert r.returncode == 0, r.stderr
    return out


def events(p: Path) -> list[audit.Event]:
    return audit.read(audit.log_path(p)).events


def test_add_proposes_the_value_and_logs_the_claim(cli, claims_path):
    before = {c.id for c in store.load(claims_path).claims}
    assert not any(c.trigger.text == "两家" for c in store.load(claims_path).claims)
    r = cli("add", str(claims_path), "--text", "两家", "--kind", "quantity", "--reviewer", "ed")
    assert r.returncode == 0, r.stderr
    cf = store.load(claims_path)
    (new,) = [c for c in cf.claims if c.id not in before]
    assert (new.rule, new.added_by, new.status) == (MANUAL_RULE, "ed", Status.pending)
    assert new.trigger.text == "两家" and ARTICLE[new.trigger.start:new.trigger.end] == "两家"
    assert (new.value, new.unit) == (2, "家")  # proposed by the quantity normalizer
    assert new.text == "上述两家企业表示订单回暖。"  # its clause, as the extractor cuts clauses
    assert new.text in ARTICLE and new.span.start <= new.trigger.start
    assert new.id in r.stdout.decode() and "added" in r.stdout.decode()
    e = events(claims_path)[-1]
    assert (e.claim, e.field, e.reviewer, e.new["rule"], e.new["trigger"]) == (new.id, "added", "ed", "manual", "两家")
    # file order is article order
    starts = [c.trigger.start for c in cf.claims]
    assert starts == sorted(starts)
    assert cli("audit", "verify", str(claims_path)).returncode == 0


def test_add_takes_the_nth_occurrence_and_values_given(cli, claims_path):
    r = cli("add", str(claims_path), "--text", "表示", "--kind", "attribution", "--nth", "2",
            "--speaker", "企业代表", "--reviewer", "ed")
    assert r.returncode == 0, r.stderr
    (new,) = [c for c in store.load(claims_path).claims if c.rule == MANUAL_RULE]
    second = ARTICLE.index("表示", ARTICLE.index("表示") + 1)
    assert new.trigger.start == second and new.speaker.name == "企业代表"

    r = cli("add", str(claims_path), "--text", "两家", "--kind", "quantity", "--value", "3", "--unit", "所")
    assert r.returncode == 0, r.stderr
    added = [c for c in store.load(claims_path).claims if c.trigger.text == "两家"]
    assert [(c.value, c.unit) for c in added] == [(3, "所")]  # the editor's, not the proposal


def test_add_refuses_what_is_not_there_and_changes_nothing(cli, claims_path):
    raw, log = claims_path.read_bytes(), audit.log_path(claims_path)
    n = len(events(claims_path))
    for args, says in [
        (("--text", "不存在的话", "--kind", "quantity"), "is not in the article"),
        (("--text", "表示", "--kind", "attribution", "--nth", "3"), "occurs 2 times in the article"),
        (("--text", "两家", "--kind", "quantity", "--value", "two"), "a quantity's value is a number"),
        (("--text", "一季度", "--kind", "date", "--value", "Q1"), "a date's value is written 2023"),
        (("--text", "35%", "--kind", "quantity"), "is already a quantity claim on '35%'"),
    ]:
        r = cli("add", str(claims_path), *args)
        assert r.returncode == 1
        assert says in r.stderr.decode() and "nothing was added" in r.stderr.decode()
    r = cli("add", str(claims_path), "--text", "x", "--kind", "opinion")
    assert r.returncode == 2  # argparse: not a kind
    assert claims_path.read_bytes() == raw and len(events(claims_path)) == n
    assert not log.exists() or n == len(events(claims_path))


def test_add_refuses_when_the_article_changed_since_extraction(cli, claims_path):
    art = claims_path.with_name("a.txt")
    art.write_text(ARTICLE.replace("两家", "三家"), encoding="utf-8")
    r = cli("add", str(claims_path), "--text", "三家", "--kind", "quantity")
    assert r.returncode == 1 and "has changed since its claims were extracted" in r.stderr.decode()


def test_a_claim_added_by_hand_follows_its_words_through_re_extraction(cli, claims_path):
    art = claims_path.with_name("a.txt")
    assert cli("add", str(claims_path), "--text", "两家", "--kind", "quantity").returncode == 0
    (cid,) = [c.id for c in store.load(claims_path).claims if c.rule == MANUAL_RULE]
    assert cli("mark", str(claims_path), cid, "verified").returncode == 0

    # a paragraph put before it moves its words: it follows them, decision kept
    art.write_text(ARTICLE.replace("\n\n", "\n\n编者按：本文有更新。\n", 1), encoding="utf-8")
    r = cli("extract", str(art), "-o", str(claims_path))
    assert r.returncode == 0, r.stderr
    c = {c.id: c for c in store.load(claims_path).claims}[cid]
    text = art.read_text(encoding="utf-8")
    assert c.orphaned_at is None and c.status == Status.verified
    assert text[c.trigger.start:c.trigger.end] == "两家"

    # its words gone: orphaned, kept; back again: restored
    art.write_text(text.replace("两家", "不少"), encoding="utf-8")
    assert cli("extract", str(art), "-o", str(claims_path)).returncode == 0
    assert {c.id: c for c in store.load(claims_path).claims}[cid].orphaned_at is not None
    art.write_text(text, encoding="utf-8")
    assert cli("extract", str(art), "-o", str(claims_path)).returncode == 0
    c = {c.id: c for c in store.load(claims_path).claims}[cid]
    assert c.orphaned_at is None and c.status == Status.verified
    assert [e.field for e in events(claims_path) if e.claim == cid][-2:] == ["orphaned", "restored"]
    assert cli("audit", "verify", str(claims_path)).returncode == 0


def test_mark_dismissed_records_the_reason_and_clears_it_after(cli, claims_path):
    cid = store.load(claims_path).claims[0].id
    r = cli("mark", str(claims_path), cid, "dismissed", "--reason", "duplicate")
    assert r.returncode == 0, r.stderr
    c = store.load(claims_path).claims[0]
    assert (c.status, c.reason) == (Status.dismissed, "duplicate")
    assert cli("mark", str(claims_path), cid, "verified").returncode == 0
    c = store.load(claims_path).claims[0]
    assert (c.status, c.reason) == (Status.verified, None)
    assert [(e.field, e.new) for e in events(claims_path)][-2:] == [("status", "verified"), ("reason", None)]
    assert cli("audit", "verify", str(claims_path)).returncode == 0
