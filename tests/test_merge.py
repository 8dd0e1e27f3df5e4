"""Re-extraction of an edited article keeps every decision where its claim survives."""
from __future__ import annotations

from claims.extract import extract
from claims.merge import merge
from claims.model import ClaimFile, Document, Status

STATUSES = [Status.verified, Status.disputed, Status.pending]


def _file(text: str) -> ClaimFile:
    doc = Document(id="a", path="a.txt", sha256="x", encoding="utf-8")
    return ClaimFile(document=doc, claims=extract(text))


def _reviewed(text: str) -> ClaimFile:
    cf = _file(text)
    claims = [
        c.model_copy(update={"status": STATUSES[i % 3], "note": f"note {i}", "evidence": [f"src {i}"]})
        for i, c in enumerate(cf.claims)
    ]
    return cf.model_copy(update={"claims": claims})


def test_typo_added_and_deleted_paragraphs(sample_text):
    old = _reviewed(sample_text)
    deleted_para = next(p for p in sample_text.split("\n") if p.startswith("复旦大学浩清教授"))
    typo_from, typo_to = "“魔搭”社区总用户量已超100万", "“魔搭”社区的总用户数已超100万"
    added_para = "记者获悉，截至3月底，平台已累计服务企业超过2万家，较去年同期增长两成。"
    edited = sample_text.replace(typo_from, typo_to).replace(deleted_para + "\n", "")
    edited = edited.replace("展望未来，", added_para + "\n展望未来，")
    assert typo_from not in edited and deleted_para not in edited

    merged, changes = merge(old, _file(edited))
    by_id = {c.id: c for c in merged.claims}
    assert len(by_id) == len(merged.claims)  # ids stay unique
    # every old claim is still in the file with its review, whether it survived or not
    for c in old.claims:
        kept = by_id[c.id]
        assert (kept.status, kept.note, kept.evidence) == (c.status, c.note, c.evidence)
    orphaned = {c.id for c in merged.claims if c.orphaned_at is not None}
    gone = {c.id for c in old.claims if c.text in deleted_para}
    assert gone and orphaned == gone
    # the claim whose clause had the typo fixed survived under its old id
    typo_claim = next(c for c in old.claims if c.trigger.text == "超100万")
    assert by_id[typo_claim.id].orphaned_at is None and "总用户数" in by_id[typo_claim.id].text
    # new claims arrive pending, each an "added" change; orphans are "orphaned" changes
    added = [c for c in changes if c.field == "added"]
    assert {c.new["trigger"] for c in added} == {"3月底", "超过2万家", "去年同期", "两成"}
    assert all(by_id[c.claim].status == Status.pending for c in added)
    assert {c.claim for c in changes if c.field == "orphaned"} == gone
    # the survivors' offsets follow the edited text
    for c in merged.claims:
        if c.orphaned_at is None:
            assert edited[c.trigger.start : c.trigger.end] == c.trigger.text


def test_merging_the_same_extraction_changes_nothing(sample_text):
    old = _reviewed(sample_text)
    merged, changes = merge(old, _file(sample_text))
    assert changes == [] and merged.claims == old.claims


def test_an_orphan_that_returns_is_restored(sample_text):
    old = _reviewed(sample_text)
    para = next(p for p in sample_text.split("\n") if p.startswith("复旦大学浩清教授"))
    first, _ = merge(old, _file(sample_text.replace(para + "\n", "")))
    back, changes = merge(first, _file(sample_text))
    assert all(c.orphaned_at is None for c in back.claims)
    assert {c.field for c in changes} == {"restored"}
    assert [(c.id, c.status) for c in back.claims] == [(c.id, c.status) for c in old.claims]


def test_a_changed_value_is_reported_and_keeps_the_review():
    text = "市统计局局长王建国表示，一季度全市生产总值达1.5亿元。"
    old = _reviewed(text)
    changed_rules = _file(text)
    claims = [c.model_copy(update={"unit": "亿元"}) if c.kind.value == "quantity" else c for c in changed_rules.claims]
    merged, changes = merge(old, changed_rules.model_copy(update={"claims": claims}))
    q = next(c for c in changes if c.field == "changed")
    assert q.old["unit"] == "元" and q.new["unit"] == "亿元"
    assert next(c for c in merged.claims if c.id == q.claim).status == next(c for c in old.claims if c.id == q.claim).status
