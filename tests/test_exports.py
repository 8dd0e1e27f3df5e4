"""`claimcheck mark`, audit exports and ClaimReview, as a user runs them."""
from __future__ import annotations

import csv
import io
import json
import shutil

import pytest
import yaml

from claims import audit, store

from .conftest import SAMPLE


@pytest.fixture
def desk(tmp_path, cli):
    """The sample extracted and partly reviewed through `claimcheck mark`."""
    art = tmp_path / SAMPLE.name
    shutil.copy(SAMPLE, art)
    claims = tmp_path / "sample.claims.yaml"
    r = cli("extract", str(art), "-o", str(claims), "--url", "https://news.example.cn/2023/0412/ai.html")
    assert r.returncode == 0, r.stderr
    cf = store.load(claims)
    ids = {c.trigger.text: c.id for c in cf.claims}
    assert cli("mark", str(claims), ids["十分之一"], "verified", "--note", "与峰会实录一致",
               "--evidence", "https://example.cn/transcript", "--reviewer", "wen").returncode == 0
    assert cli("mark", str(claims), ids["超1600万次"], "disputed", "--note", "官方数据为1400万次",
               "--reviewer", "li").returncode == 0
    assert cli("mark", str(claims), ids["2019年"], "verified", "--reviewer", "li").returncode == 0
    return tmp_path, claims, ids


def test_mark_writes_the_claim_and_the_same_audit_events_as_the_ui(desk, cli):
    _, claims, ids = desk
    c = {c.id: c for c in store.load(claims).claims}[ids["十分之一"]]
    assert (c.status.value, c.note, c.evidence, c.reviewed_by) == (
        "verified", "与峰会实录一致", ["https://example.cn/transcript"], "wen")
    events = audit.read(audit.log_path(claims)).events
    assert [(e.claim, e.field, e.reviewer) for e in events[:3]] == [
        (ids["十分之一"], "status", "wen"), (ids["十分之一"], "note", "wen"), (ids["十分之一"], "evidence", "wen")]
    r = cli("audit", "verify", str(claims))
    assert r.returncode == 0 and b"chain intact" in r.stdout
    bad = cli("mark", str(claims), "q-nope", "verified")
    assert bad.returncode == 1 and b"no claim with id 'q-nope'" in bad.stderr


def test_audit_verify_names_tampering_from_the_cli(desk, cli):
    _, claims, _ = desk
    log = audit.log_path(claims)
    log.write_text(log.read_text(encoding="utf-8").replace("官方数据为1400万次", "官方数据为1600万次"), encoding="utf-8")
    r = cli("audit", "verify", str(claims))
    assert r.returncode == 1 and b"event 5 (seq 5): content does not match its hash (edited)" in r.stderr


def test_audit_export_yaml_with_history_and_filters(desk, cli):
    tmp, claims, ids = desk
    out = tmp / "audit.yaml"
    assert cli("audit", "export", str(tmp), "-o", str(out)).returncode == 0
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    (doc,) = data["documents"]
    assert doc["id"] == SAMPLE.stem and doc["date"] == "2023-04-12"
    by_id = {c["id"]: c for c in doc["claims"]}
    assert len(by_id) == len(store.load(claims).claims)
    tenth = by_id[ids["十分之一"]]
    assert (tenth["status"], tenth["trigger"], tenth["value"]) == ("verified", "十分之一", "10 %")
    assert [h["field"] for h in tenth["history"]] == ["status", "note", "evidence"]
    only_li = yaml.safe_load(cli("audit", "export", str(claims), "--reviewer", "li").stdout)
    assert {c["id"] for c in only_li["documents"][0]["claims"]} == {ids["超1600万次"], ids["2019年"]}
    disputed = yaml.safe_load(cli("audit", "export", str(claims), "--status", "disputed").stdout)
    assert [c["trigger"] for c in disputed["documents"][0]["claims"]] == ["超1600万次"]
    future = yaml.safe_load(cli("audit", "export", str(claims), "--since", "2999-01-01").stdout)
    assert future["documents"] == []


def test_audit_export_csv_and_markdown(desk, cli):
    tmp, claims, ids = desk
    out = cli("audit", "export", str(claims), "--format", "csv", "--history").stdout.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(out)))
    disputed = [r for r in rows if r["claim"] == ids["超1600万次"]]
    assert [(r["field"], r["old"], r["new"], r["reviewer"]) for r in disputed] == [
        ("status", "pending", "disputed", "li"), ("note", "", "官方数据为1400万次", "li")]
    md = cli("audit", "export", str(claims), "--format", "markdown").stdout.decode()
    assert "2 verified · 1 disputed" in md
    row = next(x for x in md.splitlines() if x.startswith("| disputed |"))
    assert row.startswith("| disputed | quantity | 超1600万次 | &gt; 16,000,000 次 | ")  # > escaped for HTML
    assert "**超1600万次**" in row and "| li " in row and "| 官方数据为1400万次 | 2 |" in row


def test_claimreview_export_field_by_field(desk, cli):
    tmp, claims, ids = desk
    out = tmp / "reviews.json"
    r = cli("export", "--format", "claimreview", str(claims), "--org", "上证核查中心",
            "--review-url", "https://check.example.cn/reviews", "-o", str(out))
    assert r.returncode == 0, r.stderr
    reviews = json.loads(out.read_text(encoding="utf-8"))
    assert len(reviews) == 3  # verified and disputed only; pending left out
    by_url = {x["url"].rsplit("-", 1)[1]: x for x in reviews}
    tenth, count = by_url[ids["十分之一"]], by_url[ids["超1600万次"]]
    for x in reviews:
        assert x["@context"] == "https://schema.org" and x["@type"] == "ClaimReview"
        assert x["url"].startswith("https://check.example.cn/reviews#")
        assert 0 < len(x["claimReviewed"]) < 75
        assert x["author"] == {"@type": "Organization", "name": "上证核查中心"}
        assert x["itemReviewed"]["@type"] == "Claim"
        assert x["itemReviewed"]["datePublished"] == "2023-04-12"
        assert x["itemReviewed"]["appearance"]["url"] == "https://news.example.cn/2023/0412/ai.html"
        rating = x["reviewRating"]
        assert rating["@type"] == "Rating" and rating["bestRating"] == 3 and rating["worstRating"] == 1
    assert "十分之一" in tenth["claimReviewed"]
    assert tenth["reviewRating"]["ratingValue"] == 3 and tenth["reviewRating"]["alternateName"] == "属实"
    assert tenth["reviewRating"]["ratingExplanation"] == "与峰会实录一致"
    assert tenth["itemReviewed"]["author"] == {"@type": "Person", "name": "张勇",
                                               "jobTitle": "阿里巴巴集团董事会主席兼CEO、阿里云智能集团CEO"}
    assert count["reviewRating"]["ratingValue"] == 1 and count["reviewRating"]["alternateName"] == "有争议"
    assert "1600万次" in count["claimReviewed"] and "author" not in count["itemReviewed"]
    reviewed_at = {c.id: c.reviewed_at for c in store.load(claims).claims}[ids["超1600万次"]]
    assert count["datePublished"] == reviewed_at.date().isoformat()
    missing = cli("export", str(claims), "--org", "x")
    assert missing.returncode == 1 and b"--review-url" in missing.stderr


def test_a_repeated_claim_shows_the_earlier_verdict(desk, cli):
    tmp, claims, ids = desk
    other = tmp / "other.txt"
    other.write_text("转载稿\n2023年04月13日\n\n张勇表示，训练成本能够降低到现在的十分之一。\n", encoding="utf-8")
    assert cli("extract", str(other), "-o", str(tmp / "other.claims.yaml")).returncode == 0
    data = yaml.safe_load(cli("audit", "export", str(tmp)).stdout)
    doc = next(d for d in data["documents"] if d["id"] == "other")
    tenth = next(c for c in doc["claims"] if c["trigger"] == "十分之一")
    assert tenth["status"] == "pending"
    assert tenth["earlier_verdict"]["status"] == "verified"
    assert tenth["earlier_verdict"]["document"] == SAMPLE.stem and tenth["earlier_verdict"]["reviewed_by"] == "wen"


def test_equal_figures_in_unrelated_statements_are_not_a_repeat(desk, cli):
    # 十分之一 (verified in the sample) and 2019年 recur here, but about other things: no earlier verdict.
    tmp, claims, ids = desk
    other = tmp / "other.txt"
    other.write_text("另一则消息\n2023年04月13日\n\n该市失业人口减少到十分之一。公司自2019年起亏损。\n", encoding="utf-8")
    assert cli("extract", str(other), "-o", str(tmp / "other.claims.yaml")).returncode == 0
    data = yaml.safe_load(cli("audit", "export", str(tmp)).stdout)
    doc = next(d for d in data["documents"] if d["id"] == "other")
    assert {c["trigger"] for c in doc["claims"]} >= {"十分之一", "2019年"}
    assert not [c for c in doc["claims"] if c.get("earlier_verdict")]


def test_same_statement_needs_more_than_the_trigger():
    from claims.extract import extract
    from claims.repeats import content_key, same_statement

    def claim(text, trigger):
        return next(c for c in extract(text, "2024-04-12") if c.trigger.text == trigger)

    follow_up = claim("据统计，今年一季度全市地区生产总值同比增长5.2%，高于全国。", "5.2%")
    first = claim("全市地区生产总值同比增长5.2%，经济运行稳中向好。", "5.2%")
    assert content_key(first) == content_key(follow_up) and same_statement(first, follow_up)
    other = claim("该公司营收同比增长5.2%。", "5.2%")
    assert content_key(other) == content_key(first) and not same_statement(other, first)
    bare = [claim("去年，该市人口增加。", "去年"), claim("去年，该省出口下降。", "去年")]
    assert content_key(bare[0]) == content_key(bare[1]) and not same_statement(*bare)
