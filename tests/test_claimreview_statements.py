"""ClaimReview per statement (issue 16 item 7): claims of one sentence are one review with one
verdict, conflicting verdicts are refused naming the claims, an unknown article URL is warned
about, and an export with nothing to publish says so and fails."""
from __future__ import annotations

import json
import sys

import pytest

from claims import audit, store

ARTICLE = ("物价快讯\n2024年03月28日 10:00\n\n"
           "国家统计局发言人李明表示，今年一季度全市居民消费价格同比上涨2.3%，涨幅比上月回落。"
           "全市地区生产总值同比增长5.2%，经济运行稳中向好。\n")
ORG = ("--org", "核查中心", "--review-url", "https://check.example.cn/r")
URL = "https://news.example.cn/2024/0328/cpi.html"


def ids(claims) -> dict[str, str]:
    return {c.trigger.text: c.id for c in store.load(claims).claims}


@pytest.fixture
def desk(tmp_path, cli):
    art, claims = tmp_path / "a.txt", tmp_path / "a.claims.yaml"
    art.write_text(ARTICLE, encoding="utf-8")
    assert cli("extract", str(art), "-o", str(claims), "--url", URL).returncode == 0
    return tmp_path, claims, ids(claims)


def mark(cli, claims, claim_id, status, *more):
    r = cli("mark", str(claims), claim_id, status, *more)
    assert r.returncode == 0, r.stderr


def test_claims_of_one_sentence_are_one_review(desk, cli):
    tmp, claims, found = desk
    mark(cli, claims, found["2.3%"], "verified", "--note", "与统计公报一致")
    mark(cli, claims, found["上月"], "verified", "--note", "2月涨幅为2.5%")
    mark(cli, claims, found["5.2%"], "disputed", "--note", "统计局为5.0%")
    r = cli("export", str(claims), *ORG)
    assert r.returncode == 0, r.stderr
    reviews = json.loads(r.stdout)
    assert len(reviews) == 2  # three judged claims, two statements
    first, second = reviews
    assert first["url"] == f"https://check.example.cn/r#a-{found['2.3%']}"  # the statement's first judged claim
    assert first["claimReviewed"] == "国家统计局发言人李明表示，今年一季度全市居民消费价格同比上涨2.3%，涨幅比上月回落。"
    assert first["reviewRating"]["alternateName"] == "属实"
    assert first["reviewRating"]["ratingExplanation"] == "与统计公报一致；2月涨幅为2.5%"
    assert first["itemReviewed"]["author"]["name"] == "李明"  # from the sentence's attribution, pending
    assert second["claimReviewed"] == "全市地区生产总值同比增长5.2%，经济运行稳中向好。"
    assert second["reviewRating"]["ratingValue"] == 1
    assert r.stderr == b""  # the URL is known: no warning


def test_conflicting_verdicts_on_one_statement_are_refused_naming_the_claims(desk, cli):
    tmp, claims, found = desk
    mark(cli, claims, found["2.3%"], "verified")
    mark(cli, claims, found["上月"], "disputed")
    mark(cli, claims, found["5.2%"], "verified")
    out = tmp / "reviews.json"
    r = cli("export", str(claims), *ORG, "-o", str(out))
    assert r.returncode == 1 and r.stdout == b"" and not out.exists()
    lines = r.stderr.decode().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"claimcheck: {claims}: claims {found['2.3%']} (verified), {found['上月']} (disputed) "
                               "share one statement, “国家统计局发言人李明表示")
    assert "settle them to one verdict" in lines[0]
    assert lines[1] == "claimcheck: no ClaimReview written: 1 statement has conflicting verdicts"
    # Settled, the statement is published with its one verdict.
    mark(cli, claims, found["上月"], "verified")
    r = cli("export", str(claims), *ORG, "-o", str(out))
    assert r.returncode == 0, r.stderr
    assert [x["reviewRating"]["alternateName"] for x in json.loads(out.read_text(encoding="utf-8"))] == ["属实", "属实"]


def test_an_unknown_article_url_is_warned_about(tmp_path, cli):
    art, claims = tmp_path / "a.txt", tmp_path / "a.claims.yaml"
    art.write_text(ARTICLE, encoding="utf-8")
    assert cli("extract", str(art), "-o", str(claims)).returncode == 0
    mark(cli, claims, ids(claims)["5.2%"], "disputed")
    r = cli("export", str(claims), *ORG)
    assert r.returncode == 0
    (review,) = json.loads(r.stdout)
    assert "appearance" not in review["itemReviewed"]
    (line,) = r.stderr.decode().splitlines()
    assert line.startswith(f"claimcheck: warning: {claims}: the article's URL is unknown")
    assert "itemReviewed.appearance" in line and "--article-url" in line
    r = cli("export", str(claims), *ORG, "--article-url", URL)
    assert r.returncode == 0 and r.stderr == b""
    assert json.loads(r.stdout)[0]["itemReviewed"]["appearance"]["url"] == URL


def test_nothing_to_publish_says_so_and_fails(desk, cli):
    tmp, claims, found = desk
    out = tmp / "reviews.json"
    r = cli("export", str(claims), *ORG, "-o", str(out))
    assert r.returncode == 1 and r.stdout == b"" and not out.exists()
    n = len(store.load(claims).claims)
    assert r.stderr.decode().splitlines() == [
        f"claimcheck: nothing to publish: no verified or disputed claims in 1 claim file ({n} pending); "
        "no ClaimReview written"]


EDITOR_SCRIPT = '''\
import sys, yaml
path = sys.argv[1]
text = open(path, encoding="utf-8").read()
assert text.startswith("# claimcheck export --edit")
items = yaml.safe_load(text)
for item in items:
    if item["verdict"] == "disputed":
        item["wording"] = {wording!r}
open(path, "w", encoding="utf-8").write(yaml.safe_dump(items, allow_unicode=True))
'''


def editor(tmp_path, monkeypatch, wording: str | None, code: int = 0) -> None:
    script = tmp_path / "edit.py"
    script.write_text(EDITOR_SCRIPT.format(wording=wording) + f"sys.exit({code})\n", encoding="utf-8")
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")


def test_edit_sets_the_published_wording_and_keeps_it(desk, cli, monkeypatch):
    tmp, claims, found = desk
    mark(cli, claims, found["2.3%"], "verified")
    mark(cli, claims, found["5.2%"], "disputed")
    editor(tmp, monkeypatch, "该市一季度GDP同比增长5.2%")
    r = cli("export", str(claims), *ORG, "--edit", "--reviewer", "wen")
    assert r.returncode == 0, r.stderr
    assert b"1 wording changed" in r.stderr
    reviews = json.loads(r.stdout)
    assert [x["claimReviewed"] for x in reviews] == [
        "国家统计局发言人李明表示，今年一季度全市居民消费价格同比上涨2.3%，涨幅比上月回落。", "该市一季度GDP同比增长5.2%"]
    lead = {c.id: c for c in store.load(claims).claims}[found["5.2%"]]
    assert lead.wording == "该市一季度GDP同比增长5.2%"
    last = audit.read(audit.log_path(claims)).events[-1]
    assert (last.claim, last.field, last.old, last.new, last.reviewer) == (
        found["5.2%"], "wording", None, "该市一季度GDP同比增长5.2%", "wen")
    assert cli("audit", "verify", str(claims)).returncode == 0
    # Kept: the next export publishes it without --edit.
    monkeypatch.delenv("EDITOR")
    again = json.loads(cli("export", str(claims), *ORG).stdout)
    assert again[1]["claimReviewed"] == "该市一季度GDP同比增长5.2%"
    # Emptied, it goes back to the sentence.
    editor(tmp, monkeypatch, "")
    r = cli("export", str(claims), *ORG, "--edit")
    assert r.returncode == 0 and json.loads(r.stdout)[1]["claimReviewed"] == "全市地区生产总值同比增长5.2%，经济运行稳中向好。"
    assert {c.id: c for c in store.load(claims).claims}[found["5.2%"]].wording is None


def test_edit_without_an_editor_or_with_a_failing_one_changes_nothing(desk, cli, monkeypatch):
    tmp, claims, found = desk
    mark(cli, claims, found["5.2%"], "disputed")
    before = claims.read_bytes(), audit.log_path(claims).read_bytes()
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    r = cli("export", str(claims), *ORG, "--edit")
    assert r.returncode == 1 and r.stdout == b"" and b"--edit needs an editor: set $EDITOR" in r.stderr
    editor(tmp, monkeypatch, "改了", code=3)
    r = cli("export", str(claims), *ORG, "--edit")
    assert r.returncode == 1 and r.stdout == b"" and b"the editor exited with 3; nothing changed" in r.stderr
    assert (claims.read_bytes(), audit.log_path(claims).read_bytes()) == before
