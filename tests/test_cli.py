"""`claimcheck` as a user meets it: exit codes, messages, and the files left on disk."""
from __future__ import annotations

import json
import re

import yaml

from claims import audit, store
from claims.lock import FileLock
from claims.model import Status
from claims.review import Review

from .conftest import SAMPLE, run_cli_process

ARTICLE = "某市经济稳步回升\n2024年03月28日\n\n市统计局局长王建国表示，一季度全市生产总值达1.5亿元，同比增长35%。\n"


def test_extract_to_a_file(cli, tmp_path):
    out = tmp_path / "claims.yaml"
    r = cli("extract", str(SAMPLE), "-o", str(out))
    assert r.returncode == 0, r.stderr
    cf = store.load(out)
    assert cf.document.date == "2023-04-12" and len(cf.claims) > 40
    text = SAMPLE.read_text(encoding="utf-8")
    assert all(text[c.trigger.start : c.trigger.end] == c.trigger.text for c in cf.claims)


def test_extract_to_stdout_and_from_stdin():
    # In a process of its own: real pipes, with the encodings Python gives them.
    r = run_cli_process("extract", "-", stdin=ARTICLE.encode("gb18030"))
    assert r.returncode == 0, r.stderr
    data = yaml.safe_load(r.stdout.decode("utf-8"))
    assert data["document"]["encoding"] == "gb18030"
    assert [c["trigger"]["text"] for c in data["claims"]] == ["王建国表示", "一季度", "1.5亿元", "35%"]


def test_extract_a_folder_writes_one_claim_file_per_article(cli, tmp_path):
    src = tmp_path / "articles"
    src.mkdir()
    (src / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (src / "b.txt").write_bytes(ARTICLE.replace("某市", "某縣").encode("big5", errors="replace"))
    (src / "empty.txt").write_bytes(b"")
    out = tmp_path / "out"
    r = cli("extract", str(src), "-o", str(out))
    assert r.returncode == 1  # one article failed, the others were written
    err = r.stderr.decode()
    assert "empty.txt: the article is empty" in err
    assert "3 articles: 2 extracted, 0 unchanged, 1 failed; " in err
    assert sorted(p.name for p in out.iterdir()) == ["a.claims.yaml", "b.claims.yaml"]
    assert store.load(out / "b.claims.yaml").document.encoding == "big5hkscs"


def test_bad_inputs_get_one_clear_line(cli, tmp_path):
    r = cli("extract", str(tmp_path / "missing.txt"))
    assert r.returncode == 1 and r.stderr.decode().strip() == f"claimcheck: {tmp_path / 'missing.txt'}: no such file"
    r = cli("extract", str(tmp_path / "x.txt"), "--date", "April 1")
    assert r.returncode == 1 and "--date 'April 1': not a date" in r.stderr.decode()
    binary = tmp_path / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00")
    r = cli("extract", str(binary))
    assert r.returncode == 1 and "binary" in r.stderr.decode() and "Traceback" not in r.stderr.decode()


def test_date_option_resolves_dates_without_a_dateline(cli, tmp_path):
    art = tmp_path / "a.txt"
    art.write_text("标题\n\n新规将于7月1日起施行。\n", encoding="utf-8")
    r = cli("extract", str(art), "--date", "2021-05-01")
    data = yaml.safe_load(r.stdout.decode())
    assert data["document"]["date"] == "2021-05-01"
    assert [c["value"] for c in data["claims"]] == ["2021-07-01"]


def test_user_rule_packs_are_added_and_bad_ones_refused_by_file_and_rule(cli, tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "mine.yaml").write_text(
        "kind: ranking\nrules:\n  - id: mine.champion\n    pattern: '夺冠'\n    normalizer: ranking\n"
        "    examples:\n      match:\n        - {text: 球队夺冠, trigger: 夺冠}\n",
        encoding="utf-8",
    )
    art = tmp_path / "a.txt"
    art.write_text("标题\n\n主队时隔十年再次夺冠。\n", encoding="utf-8")
    r = cli("extract", str(art), "--rules", str(rules), "--date", "2024-01-01")
    assert r.returncode == 0, r.stderr
    assert "mine.champion" in r.stdout.decode()

    (rules / "bad.yaml").write_text(
        "kind: quantity\nrules:\n  - id: bad.paren\n    pattern: '(\\d+'\n    normalizer: quantity\n"
        "  - id: bad.field\n    pattern: 'x'\n    normalizer: nope\n    colour: red\n",
        encoding="utf-8",
    )
    r = cli("extract", str(art), "--rules", str(rules))
    err = r.stderr.decode()
    assert r.returncode == 1
    assert f"{rules / 'bad.yaml'}:" in err
    assert "rule bad.field: rules.1.colour: Extra inputs are not permitted" in err
    r2 = cli("extract", str(art), "--rules", str(rules))
    assert r2.stderr == r.stderr
    (rules / "bad.yaml").write_text(
        "kind: quantity\nrules:\n  - id: bad.paren\n    pattern: '(\\d+'\n    normalizer: quantity\n", encoding="utf-8"
    )
    err = cli("extract", str(art), "--rules", str(rules)).stderr.decode()
    assert f"{rules / 'bad.yaml'}:4:14: rule bad.paren: bad pattern: missing )" in err


def test_reextraction_merges_keeps_reviews_and_logs_it(cli, tmp_path):
    art = tmp_path / "a.txt"
    art.write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "a.claims.yaml"
    assert cli("extract", str(art), "-o", str(out)).returncode == 0
    cf = store.load(out)
    reviewed = next(c for c in cf.claims if c.trigger.text == "1.5亿元")
    with Review(out, "editor") as review:
        review.update(reviewed.id, status=Status.verified, note="matches the bureau's release")
    r = cli("extract", str(art), "-o", str(out), "--reviewer", "desk")
    assert r.returncode == 0 and "unchanged, skipped" in r.stderr.decode()
    again = {c.id: c for c in store.load(out).claims}
    assert again[reviewed.id].status == Status.verified and again[reviewed.id].note == "matches the bureau's release"
    # the reviewed claim's words leave the article: it is kept, orphaned, and the log says so
    art.write_text(ARTICLE.replace("达1.5亿元", "稳步增长"), encoding="utf-8")
    r = cli("extract", str(art), "-o", str(out), "--reviewer", "desk")
    assert r.returncode == 0 and "1 orphaned" in r.stderr.decode()
    kept = {c.id: c for c in store.load(out).claims}[reviewed.id]
    assert kept.orphaned_at is not None and kept.status == Status.verified
    events = audit.read(audit.log_path(out)).events
    assert [(e.claim, e.field, e.reviewer) for e in events] == [
        (reviewed.id, "status", "editor"), (reviewed.id, "note", "editor"), (reviewed.id, "orphaned", "desk")]
    assert audit.verify(audit.log_path(out)) == []


def test_reextraction_refuses_a_file_under_review(cli, tmp_path):
    art = tmp_path / "a.txt"
    art.write_text(ARTICLE, encoding="utf-8")
    out = tmp_path / "a.claims.yaml"
    assert cli("extract", str(art), "-o", str(out)).returncode == 0
    before = out.read_bytes()
    art.write_text(ARTICLE.replace("35%", "36%"), encoding="utf-8")  # a correction to merge
    with FileLock(out):
        r = cli("extract", str(art), "-o", str(out))
    assert r.returncode == 1 and "being reviewed by" in r.stderr.decode()
    assert out.read_bytes() == before


def test_schema_and_help(cli):
    r = cli("schema")
    schema = json.loads(r.stdout)
    assert r.returncode == 0 and schema["properties"]["schema"]["type"] == "integer"
    h = cli("extract", "--help").stdout.decode()
    assert "claimcheck extract articles/ -o out/" in h and "--rules DIR" in h


def test_check_reports_problems_with_positions(cli, tmp_path):
    bad = tmp_path / "c.yaml"
    bad.write_text("schema: 1\ndocument: {id: x, path: x, sha256: y, encoding: utf-8}\nclaims:\n  - id: q1\n    kind: number\n", encoding="utf-8")
    r = cli("check", str(bad))
    err = r.stderr.decode()
    assert r.returncode == 1
    assert f"{bad}:5:11: claims[0].kind: Input should be" in err
    assert f"{bad}:4:5: claims[0].text: Field required" in err


def test_a_huge_article_is_refused_before_it_is_read(cli, tmp_path):
    big = tmp_path / "archive.txt"
    with open(big, "wb") as f:  # sparse: 100 MB on paper, nothing on disk
        f.seek(100 * 2**20)
        f.write(b"x")
    r = cli("extract", str(big), "-o", str(tmp_path / "c.yaml"))
    assert r.returncode == 1
    assert r.stderr.decode().strip() == (
        f"claimcheck: {big}: 100 MB is too large for one article (limit 20 MB); split it into articles first")
    assert not (tmp_path / "c.yaml").exists()


def test_audit_repair_of_a_log_that_is_not_there_is_an_error(cli, tmp_path):
    gone = tmp_path / "typo.audit.yaml"
    r = cli("audit", "repair", str(gone))
    assert r.returncode == 1 and f"{gone}: no audit log" in r.stderr.decode("utf-8")
    assert not gone.exists()


def test_mark_warns_when_judged_claims_have_lost_their_audit_log(cli, tmp_path):
    claims = tmp_path / "a.claims.yaml"
    assert cli("extract", str(SAMPLE), "-o", str(claims)).returncode == 0
    first, second = (c.id for c in store.load(claims).claims[:2])
    r = cli("mark", str(claims), first, "verified")
    assert r.returncode == 0 and "warning" not in r.stderr.decode("utf-8")  # nothing judged before: no warning
    audit.log_path(claims).unlink()
    # The claim file vouches for its log: a deleted log is refused, naming both files.
    r = cli("mark", str(claims), second, "disputed")
    err = r.stderr.decode("utf-8")
    assert r.returncode == 1 and f"{audit.log_path(claims)}: missing, but {claims} was saved after event 1" in err
    assert store.load(claims).claims[1].status == Status.pending
    # A version-1 file (no head) whose log is gone: a warning, and a new log starts with the
    # earlier review as found, then the new change.
    text = claims.read_text(encoding="utf-8")
    claims.write_text(re.sub(r"audit:\n(  .*\n)+", "", text).replace("schema: 3", "schema: 1"), encoding="utf-8")
    r = cli("mark", str(claims), second, "disputed")
    err = r.stderr.decode("utf-8")
    assert r.returncode == 0 and "no audit log, though 1 claim was already judged" in err
    events = audit.read(audit.log_path(claims)).events
    assert [(e.claim, e.field, e.new) for e in events] == [(first, "status", "verified"), (second, "status", "disputed")]
