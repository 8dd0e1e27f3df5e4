"""The audit report a spreadsheet opens (issue 16 item 6): CSV with a BOM, one row per claim (or
per change with --history), values as shown; Markdown with sentences, evidence and headings
that tell two articles of one title apart."""
from __future__ import annotations

import csv
import io
import json

import pytest
import yaml

from claims import audit_report, store
from claims.values import MINUS

ARTICLE = ("物价快讯\n2024年03月28日 10:00\n\n"
           "国家统计局发言人李明表示，今年一季度全市居民消费价格同比上涨2.3%，涨幅比上月回落。"
           "全市地区生产总值同比增长5.2%，经济运行稳中向好。出口同比下降36.2%，进口约3000亿元。\n")


def ids(claims) -> dict[str, str]:
    return {c.trigger.text: c.id for c in store.load(claims).claims}


@pytest.fixture
def desk(tmp_path, cli):
    art, claims = tmp_path / "a.txt", tmp_path / "a.claims.yaml"
    art.write_text(ARTICLE, encoding="utf-8")
    assert cli("extract", str(art), "-o", str(claims)).returncode == 0
    found = ids(claims)
    assert cli("mark", str(claims), found["36.2%"], "verified", "--note", "海关总署数据",
               "--evidence", "https://example.cn/customs", "--evidence", "=HYPERLINK(\"http://evil\")",
               "--reviewer", "wen").returncode == 0
    assert cli("mark", str(claims), found["5.2%"], "disputed", "--note", "=1+1", "--reviewer", "li").returncode == 0
    return tmp_path, claims, found


def read_back(path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def test_csv_has_a_bom_and_reads_back_one_row_per_claim(desk, cli):
    tmp, claims, found = desk
    out = tmp / "report.csv"
    r = cli("audit", "export", str(claims), "--format", "csv", "-o", str(out))
    assert r.returncode == 0, r.stderr
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfdocument,title,claim,kind,")  # the BOM, then the header
    assert "国家统计局".encode() in raw  # UTF-8, not a code page
    rows = read_back(out)
    assert list(rows[0]) == audit_report.CLAIM_HEADER
    assert [r["claim"] for r in rows] == [c.id for c in store.load(claims).claims]  # one row each, in order
    by = {r["trigger"]: r for r in rows}
    fall = by["36.2%"]
    assert fall["value"] == f"{MINUS}36.2 % (同比)"  # as shown, not 0.362
    assert fall["sentence"] == "出口同比下降36.2%，进口约3000亿元。"
    assert (fall["status"], fall["note"], fall["reviewer"]) == ("verified", "海关总署数据", "wen")
    # One link a line; only a cell's start is read as a formula, and this one starts with the link.
    assert fall["evidence"].split("\n") == ["https://example.cn/customs", "=HYPERLINK(\"http://evil\")"]
    assert fall["time"].startswith("20") and fall["time"].endswith("Z")
    assert by["2.3%"]["speaker"] == "李明" and by["2.3%"]["value"] == "'+2.3 % (同比)"  # + neutralised
    assert by["约3000亿元"]["value"] == "≈ 300,000,000,000 元"
    assert by["5.2%"]["note"] == "'=1+1"
    assert by["2.3%"]["status"] == "pending" and by["2.3%"]["reviewer"] == ""
    head = rows[0]["audit_head"]
    assert head.endswith(":5") and len(head.split(":")[0]) == 64
    # An earlier report, BOM and all, is ours to replace.
    assert cli("audit", "export", str(claims), "--format", "csv", "-o", str(out)).returncode == 0


def test_csv_history_has_a_row_per_change_with_the_old_columns_in_place(desk, cli):
    tmp, claims, found = desk
    text = cli("audit", "export", str(claims), "--format", "csv", "--history").stdout.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0][:16] == ["document", "title", "claim", "kind", "trigger", "value", "status", "note", "time",
                            "reviewer", "field", "old", "new", "orphaned_at", "earlier_verdict", "audit_head"]
    records = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    fall = [r for r in records if r["claim"] == found["36.2%"]]
    assert [r["field"] for r in fall] == ["status", "note", "evidence"]
    assert {r["sentence"] for r in fall} == {"出口同比下降36.2%，进口约3000亿元。"}
    pending = [r for r in records if r["claim"] == found["2.3%"]]
    assert len(pending) == 1 and pending[0]["field"] == ""  # a claim with no change keeps one row
    assert len(records) == len(store.load(claims).claims) - 2 + 3 + 2


def test_history_is_for_csv(desk, cli):
    _, claims, _ = desk
    r = cli("audit", "export", str(claims), "--format", "markdown", "--history")
    assert r.returncode == 1 and b"--history is for --format csv" in r.stderr and r.stdout == b""


def test_markdown_shows_sentence_and_evidence(desk, cli):
    _, claims, found = desk
    md = cli("audit", "export", str(claims), "--format", "markdown").stdout.decode()
    assert "## 物价快讯 · a\n" in md
    assert "| status | kind | claim | value | sentence | evidence | reviewer | note | changes |" in md
    row = next(x for x in md.splitlines() if x.startswith("| verified |"))
    assert f"| {MINUS}36.2 % (同比) | 出口同比下降**36.2%**，进口约3000亿元。 |" in row
    assert "| https://example.cn/customs<br>=HYPERLINK(\"http://evil\") |" in row
    assert "0.362" not in md and "0.052" not in md  # percentages, never bare fractions


def test_two_articles_with_one_title_have_distinct_headings(tmp_path, cli):
    for folder in ("2024", "2025"):
        (tmp_path / folder).mkdir()
        art = tmp_path / folder / "a.txt"
        art.write_text(ARTICLE, encoding="utf-8")
        assert cli("extract", str(art), "-o", str(tmp_path / folder / "a.claims.yaml")).returncode == 0
    (tmp_path / "b.txt").write_text(ARTICLE, encoding="utf-8")
    assert cli("extract", str(tmp_path / "b.txt"), "-o", str(tmp_path / "b.claims.yaml")).returncode == 0
    md = cli("audit", "export", str(tmp_path), "--format", "markdown").stdout.decode()
    heads = [x for x in md.splitlines() if x.startswith("## ")]
    assert len(heads) == len(set(heads)) == 3
    assert f"## 物价快讯 · a · {tmp_path / '2024' / 'a.claims.yaml'}" in heads
    assert "## 物价快讯 · b" in heads


def test_dismissed_claims_are_counted_apart_in_every_export_and_never_published(desk, cli):
    tmp, claims, found = desk
    r = cli("mark", str(claims), found["约3000亿元"], "dismissed", "--reason", "not a claim")
    assert r.returncode == 0, r.stderr
    n = len(store.load(claims).claims)
    md = cli("audit", "export", str(claims), "--format", "markdown").stdout.decode()
    assert f"· 1 verified · 1 disputed · {n - 3} pending · 1 dismissed ·" in md
    assert any(x.startswith("| dismissed (not a claim) | quantity | 约3000亿元 |") for x in md.splitlines())
    data = yaml.safe_load(cli("audit", "export", str(claims)).stdout)
    assert data["documents"][0]["counts"] == {"verified": 1, "disputed": 1, "pending": n - 3, "dismissed": 1,
                                              "orphaned": 0}
    rows = {r["trigger"]: r for r in csv.DictReader(io.StringIO(
        cli("audit", "export", str(claims), "--format", "csv").stdout.decode("utf-8-sig")))}
    assert (rows["约3000亿元"]["status"], rows["约3000亿元"]["reason"]) == ("dismissed", "not a claim")
    # ClaimReview: the dismissed claim's sentence holds a verdict (36.2%), but the dismissal is not one.
    reviews = json.loads(cli("export", str(claims), "--org", "X", "--review-url", "https://x").stdout)
    assert len(reviews) == 2 and not any(found["约3000亿元"] in x["url"] for x in reviews)
    for trigger in ("36.2%", "5.2%"):
        assert cli("mark", str(claims), found[trigger], "dismissed").returncode == 0
    r = cli("export", str(claims), "--org", "X", "--review-url", "https://x")
    assert r.returncode == 1 and r.stdout == b""
    assert f"no verified or disputed claims in 1 claim file ({n - 3} pending, 3 dismissed)" in r.stderr.decode()


def test_the_report_format_follows_the_output_suffix_unless_given(desk, cli):
    """`-o report.csv` is a CSV report and `-o report.md` a Markdown one; YAML under a .csv name
    was a trap. --format still wins, and with no -o the report is YAML."""
    tmp, claims, _ = desk
    assert cli("audit", "export", str(claims), "-o", str(tmp / "report.csv")).returncode == 0
    assert (tmp / "report.csv").read_bytes().startswith(b"\xef\xbb\xbfdocument,")
    assert cli("audit", "export", str(claims), "-o", str(tmp / "report.md")).returncode == 0
    assert (tmp / "report.md").read_text(encoding="utf-8").startswith(audit_report.MARKDOWN_MARK)
    assert cli("audit", "export", str(claims), "--format", "yaml", "-o", str(tmp / "other.csv")).returncode == 0
    assert "documents" in yaml.safe_load((tmp / "other.csv").read_text(encoding="utf-8"))
    r = cli("audit", "export", str(claims))
    assert r.returncode == 0 and "documents" in yaml.safe_load(r.stdout)
