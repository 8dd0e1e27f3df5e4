"""Claim files: the model's rules, strict loading with positions, atomic saving."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from claims import store
from claims.assemble import extract_file
from claims.errors import FileError
from claims.model import SCHEMA_VERSION, ClaimFile, Status

from .conftest import SAMPLE


@pytest.fixture(scope="module")
def sample_cf() -> ClaimFile:
    return extract_file(SAMPLE)


def test_round_trip_is_identity(sample_cf, tmp_path):
    path = tmp_path / "c.yaml"
    store.save(path, sample_cf)
    assert store.load(path) == sample_cf


def test_file_is_readable_yaml_with_chinese_characters_and_model_field_order(sample_cf, tmp_path):
    path = tmp_path / "c.yaml"
    store.save(path, sample_cf)
    raw = path.read_text(encoding="utf-8")
    assert "\\u" not in raw and "张勇" in raw
    data = yaml.safe_load(raw)
    assert list(data) == ["schema", "document", "claims"]
    assert list(data["claims"][0])[:6] == ["id", "kind", "text", "span", "trigger", "value"]
    assert data["schema"] == SCHEMA_VERSION
    # dates stay strings in YAML (quoted), not YAML timestamps
    dated = [c for c in data["claims"] if c["kind"] == "date"]
    assert dated and all(isinstance(c["value"], str) for c in dated)


def test_document_header(sample_cf):
    d = sample_cf.document
    assert d.id == "000_75355b54d0c04e29"
    assert d.date == "2023-04-12"
    assert d.encoding == "utf-8"
    assert len(d.sha256) == 64
    assert d.title.startswith("产业巨头")


def test_new_claims_are_pending_and_offsets_hold(sample_cf, sample_text):
    assert all(c.status == Status.pending and c.evidence == [] for c in sample_cf.claims)
    for c in sample_cf.claims:
        assert sample_text[c.trigger.start : c.trigger.end] == c.trigger.text
        assert sample_text[c.span.start : c.span.end] == c.text


def _saved(sample_cf, tmp_path):
    path = tmp_path / "c.yaml"
    store.save(path, sample_cf)
    return path, path.read_text(encoding="utf-8")


def test_malformed_yaml_names_line_and_column(sample_cf, tmp_path):
    path, raw = _saved(sample_cf, tmp_path)
    lines = raw.splitlines()
    lines[5] = lines[5] + " : : ["
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(FileError) as e:
        store.load(path)
    msg = str(e.value)
    assert msg.startswith(f"{path}:6:") or msg.startswith(f"{path}:7:"), msg


def test_invalid_field_names_file_line_and_field(sample_cf, tmp_path):
    path, raw = _saved(sample_cf, tmp_path)
    data = yaml.safe_load(raw)
    data["claims"][3]["status"] = "maybe"
    data["claims"][5]["kind"] = "opinion"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(FileError) as e:
        store.load(path)
    problems = e.value.problems
    assert any("claims[3].status" in p for p in problems), problems
    assert any("claims[5].kind" in p for p in problems), problems
    # each problem points at the line where the bad value is written
    text_lines = path.read_text(encoding="utf-8").splitlines()
    for p in problems:
        line = int(p.split(":")[1])
        assert "maybe" in text_lines[line - 1] or "opinion" in text_lines[line - 1]
    assert path.read_bytes() == before  # refusing never touches the file


def test_unknown_field_and_future_schema_are_refused(sample_cf, tmp_path):
    path, raw = _saved(sample_cf, tmp_path)
    data = yaml.safe_load(raw)
    data["claims"][0]["confidence"] = 0.9
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(FileError, match=r"claims\[0\]\.confidence: Extra inputs"):
        store.load(path)
    data["claims"][0].pop("confidence")
    data["schema"] = SCHEMA_VERSION + 1
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(FileError, match="newer than this claimcheck"):
        store.load(path)


def test_trigger_text_must_fit_its_offsets(sample_cf, tmp_path):
    path, raw = _saved(sample_cf, tmp_path)
    data = yaml.safe_load(raw)
    data["claims"][0]["trigger"]["end"] += 1
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(FileError, match=r"claims\[0\]\.trigger"):
        store.load(path)


def test_duplicate_keys_ids_and_aliases_are_refused(sample_cf, tmp_path):
    path, raw = _saved(sample_cf, tmp_path)
    path.write_text(raw.replace("schema: 3\n", "schema: 3\nschema: 3\n", 1), encoding="utf-8")
    with pytest.raises(FileError, match=":2:1: duplicate key 'schema'"):
        store.load(path)
    data = yaml.safe_load(raw)
    data["claims"][1]["id"] = data["claims"][0]["id"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(FileError, match="duplicate id"):
        store.load(path)
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b]\n"
    path.write_text(bomb, encoding="utf-8")
    with pytest.raises(FileError, match="aliases are not allowed"):
        store.load(path)


def test_not_a_claim_file(tmp_path):
    path = tmp_path / "x.yaml"
    path.write_text("- just\n- a list\n", encoding="utf-8")
    with pytest.raises(FileError, match="not a claim file"):
        store.load(path)
    path.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(FileError, match="not UTF-8"):
        store.load(path)


def test_failed_save_leaves_the_old_file_and_no_temporary(sample_cf, tmp_path, monkeypatch):
    path, raw = _saved(sample_cf, tmp_path)

    def boom(*a, **k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", boom)
    changed = sample_cf.model_copy(deep=True)
    changed.claims[0].note = "checked against the annual report"
    with pytest.raises(FileError, match=r"cannot save \(No space left on device\); the old file is unchanged"):
        store.save(path, changed)
    assert path.read_text(encoding="utf-8") == raw
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.yaml"]


def test_json_schema_comes_from_the_model():
    from claims.model import json_schema

    s = json_schema()
    assert set(s["properties"]) == {"schema", "document", "audit", "claims"}
    claim = s["$defs"]["Claim"]
    assert {"id", "kind", "text", "span", "trigger", "value", "unit", "comparator", "speaker", "rule",
            "status", "note", "evidence", "reviewed_by", "reviewed_at"} <= set(claim["properties"])
    assert claim["additionalProperties"] is False


def test_a_review_saves_one_claim_at_a_time_and_the_file_stays_whole(sample_cf, tmp_path, monkeypatch):
    from claims.review import Review

    path = tmp_path / "c.yaml"
    store.save(path, sample_cf)
    ids = [c.id for c in sample_cf.claims]
    with Review(path, "ann") as review:
        review.set_status(ids[0], Status.verified)
        review.set_note(ids[-1], 'a note: with "quotes", # and\na line break')
        review.add_evidence(ids[3], "https://example.org/report.pdf")

        def full_disk(path, text):
            raise FileError([f"{path}: cannot save (No space left on device); the old file is unchanged"])

        monkeypatch.setattr("claims.yamlio.write_atomic", full_disk)  # the claim file's write only
        with pytest.raises(FileError, match="cannot save"):
            review.set_status(ids[5], Status.disputed)
        monkeypatch.undo()
        # the failed change is in neither the file nor the next save
        review.set_status(ids[7], Status.disputed)
        text = path.read_text(encoding="utf-8")
        assert text == store.dumps(review.cf)  # byte for byte what a whole save would write
        loaded = store.load(path)
        assert loaded == review.cf
        by_id = {c.id: c for c in loaded.claims}
        assert by_id[ids[0]].status == Status.verified and by_id[ids[7]].status == Status.disputed
        assert by_id[ids[5]].status == Status.pending
        assert by_id[ids[-1]].note.endswith("a line break") and by_id[ids[3]].evidence == ["https://example.org/report.pdf"]


def test_the_fast_reader_reads_only_what_claimcheck_wrote(sample_cf):
    from claims import yamlio

    text = store.dumps(sample_cf)
    assert yamlio.read_emitted(text) == yamlio.parse(text, "c.yaml").data
    edited = [
        text.replace("claims:\n", "# checked by hand\nclaims:\n"),
        text.replace("status: pending", "status:  pending", 1),
        text.replace("status: pending", "status: 'pending'", 1),
        text.replace("}\n", " }\n", 1),
        text + "\n",
        text.rstrip("\n"),
    ]
    for other in edited:
        assert yamlio.read_emitted(other) is None
        assert store.loads(other) == sample_cf  # the YAML parser reads them instead
    twice = text.replace("schema: 3\n", "schema: 3\nschema: 3\n")
    assert yamlio.read_emitted(twice) is None
    with pytest.raises(FileError, match=r"c.yaml:2:1: .*duplicate key"):
        store.loads(twice, "c.yaml")


def test_a_file_as_written_is_cut_into_claims_not_written_again(sample_cf, tmp_path):
    path = tmp_path / "c.yaml"
    store.save(path, sample_cf)
    cf, text = store.load_for_editing(path)
    assert cf == sample_cf
    fresh = store.ClaimFileText(sample_cf)
    assert (text.head, text.blocks) == (fresh.head, fresh.blocks)
    # a file edited by hand is read by the YAML parser and written afresh at the next save
    path.write_text("# checked\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    cf, text = store.load_for_editing(path)
    assert cf == sample_cf and text.text() == store.dumps(sample_cf)
    empty = sample_cf.model_copy(update={"claims": []})
    store.save(path, empty)
    cf, text = store.load_for_editing(path)
    assert cf == empty and text.blocks == [] and text.text() == path.read_text(encoding="utf-8")


def test_the_article_of_extract_dot_into_a_subfolder_is_found_from_anywhere(tmp_path, monkeypatch):
    # `cd desk && claimcheck extract . -o out` records `a.txt`: relative to the desk, not to out/.
    desk = tmp_path / "desk"
    (desk / "out").mkdir(parents=True)
    article = desk / "a.txt"
    article.write_bytes(SAMPLE.read_bytes())
    monkeypatch.chdir(desk)
    cf = extract_file(Path("a.txt"))
    claims = desk / "out" / "a.claims.yaml"
    store.save(claims, cf)
    # reviewing from a folder that holds another story called a.txt
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "a.txt").write_text("另一篇文章：台风今日登陆。\n", encoding="utf-8")
    monkeypatch.chdir(elsewhere)
    found = store.locate_article(claims, cf)
    assert found is not None and found[0].resolve() == article.resolve()
    # edited since: still the desk's article (now changed), never the namesake
    article.write_text(SAMPLE.read_text(encoding="utf-8").replace("1600万", "1700万"), encoding="utf-8")
    found = store.locate_article(claims, cf)
    assert found is not None and found[0].resolve() == article.resolve()
    # gone: the namesake in the current folder is not taken for it
    article.unlink()
    assert store.locate_article(claims, cf) is None
    # the same bytes anywhere are the article
    (elsewhere / "a.txt").write_bytes(SAMPLE.read_bytes())
    assert store.locate_article(claims, cf)[0].resolve() == (elsewhere / "a.txt").resolve()


# -- the preview of a large claim file (the review UI's first screen) --------------------------
def _many(cf: ClaimFile, n: int) -> ClaimFile:
    claims = [c.model_copy(update={"id": f"{c.id}-{k}"}) for k in range(n // len(cf.claims) + 1) for c in cf.claims]
    return cf.model_copy(update={"claims": claims[:n]})


def test_a_preview_is_the_first_claims_of_a_large_file_as_read_whole(sample_cf, tmp_path, monkeypatch):
    path = tmp_path / "c.yaml"
    many = _many(sample_cf, 700)
    store.save(path, many)
    monkeypatch.setattr(store, "PREVIEW_ABOVE", 1024)
    p = store.load_preview(path, 60)
    assert p is not None and p.total == 700
    assert p.cf.claims == many.claims[:60] and p.cf.document == many.document
    whole = store.load_preview(path, 5000)  # more asked than there are: the whole file
    assert whole is not None and whole.cf == many and whole.total == 700


def test_no_preview_of_a_small_file_or_one_claimcheck_did_not_write_or_with_a_bad_head(sample_cf, tmp_path,
                                                                                        monkeypatch):
    path = tmp_path / "c.yaml"
    store.save(path, _many(sample_cf, 700))
    assert store.load_preview(path, 60) is None  # below PREVIEW_ABOVE: opened whole, as ever
    monkeypatch.setattr(store, "PREVIEW_ABOVE", 1024)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("evidence: []\n", "evidence: [ ]\n", 1), encoding="utf-8")  # edited by hand
    assert store.load_preview(path, 60) is None
    path.write_text(text.replace("status: pending", "status: maybe", 3), encoding="utf-8")  # in the first claims
    assert store.load_preview(path, 60) is None
    assert store.load_preview(tmp_path / "missing.yaml", 60) is None  # the whole open says why
    # A problem further down is the whole open's to find: the preview does not read that far.
    lines = text.split("\n")
    last = max(i for i, line in enumerate(lines) if line == "  status: pending")
    lines[last] = "  status: maybe"
    path.write_text("\n".join(lines), encoding="utf-8")
    p = store.load_preview(path, 60)
    assert p is not None and len(p.cf.claims) == 60
    with pytest.raises(FileError, match=r"claims\[699\]\.status"):
        store.load(path)
