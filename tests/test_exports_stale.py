"""Exports of claim files whose article changed or went missing, orphaned claims and earlier
verdicts in every format, and `extract -o` with several articles: as a user runs them."""
from __future__ import annotations

import csv
import io
import json

import pytest
import yaml

from claims import store

ARTICLE = ("物价快讯\n2024年03月28日 10:00\n\n"
           "国家统计局发言人李明表示，今年一季度全市居民消费价格同比上涨2.3%，涨幅比上月回落。"
           "全市地区生产总值同比增长5.2%，经济运行稳中向好。\n")
REPRINT = "转载：物价快讯\n2024年03月29日\n\n国家统计局发言人李明表示，今年一季度全市居民消费价格同比上涨2.3%。\n"
OTHER = "另一则消息\n2024年03月28日\n\n该市新建学校12所，在校学生增加。\n"
ORG = ("--org", "核查中心", "--review-url", "https://check.example.cn/r")


def ids(claims) -> dict[str, str]:
    return {c.trigger.text: c.id for c in store.load(claims).claims}


def err_lines(r) -> list[str]:
    return r.stderr.decode().splitlines()


@pytest.fixture
def desk(tmp_path, cli):
    """a.txt extracted beside itself, 2.3% verified and 5.2% disputed through `claimcheck mark`."""
    art, claims = tmp_path / "a.txt", tmp_path / "a.claims.yaml"
    art.write_text(ARTICLE, encoding="utf-8")
    assert cli("extract", str(art), "-o", str(claims)).returncode == 0
    found = ids(claims)
    assert cli("mark", str(claims), found["2.3%"], "verified", "--reviewer", "wen").returncode == 0
    assert cli("mark", str(claims), found["5.2%"], "disputed", "--note", "统计局为5.0%", "--reviewer", "li").returncode == 0
    return art, claims, found


def edit(art) -> None:
    art.write_text(art.read_text(encoding="utf-8").replace("2.3%", "2.5%"), encoding="utf-8")


def test_claimreview_refuses_a_claim_file_whose_article_changed(desk, cli, tmp_path):
    art, claims, found = desk
    edit(art)
    out = tmp_path / "reviews.json"
    r = cli("export", "--format", "claimreview", str(claims), *ORG, "-o", str(out))
    assert r.returncode == 1 and r.stdout == b"" and not out.exists()
    (line,) = err_lines(r)
    assert line.startswith(f"claimcheck: {claims}: the article {art} has changed since extraction (sha256 differs)")
    assert f"`claimcheck extract {art} -o {claims}`" in line and "no ClaimReview written" in line
    # `check` names it with the same words: one check, not two.
    assert line.split("; no ClaimReview")[0] == err_lines(cli("check", str(claims)))[0]
    # The offered re-extraction keeps the decisions; 2.3% left the article, so only 5.2% is published.
    assert cli("extract", str(art), "-o", str(claims)).returncode == 0
    r = cli("export", "--format", "claimreview", str(claims), *ORG)
    assert r.returncode == 0, r.stderr
    (review,) = json.loads(r.stdout)
    assert review["url"].endswith(found["5.2%"]) and "2.3%" not in r.stdout.decode()


def test_claimreview_refuses_a_claim_file_whose_article_is_missing(desk, cli):
    art, claims, _ = desk
    art.unlink()
    r = cli("export", "--format", "claimreview", str(claims), *ORG)
    assert r.returncode == 1 and r.stdout == b""
    (line,) = err_lines(r)
    assert line.startswith(f"claimcheck: {claims}: the article {art} is not found")
    assert f"`claimcheck extract ARTICLE -o {claims}`" in line


def test_claimreview_of_a_folder_names_every_stale_file_and_writes_nothing(desk, cli, tmp_path):
    art, claims, _ = desk
    b = tmp_path / "b.txt"
    b.write_text(REPRINT, encoding="utf-8")
    assert cli("extract", str(b), "-o", str(tmp_path / "b.claims.yaml")).returncode == 0
    assert cli("mark", str(tmp_path / "b.claims.yaml"), ids(tmp_path / "b.claims.yaml")["2.3%"], "verified").returncode == 0
    # A stale file with nothing to publish does not stop the export.
    c = tmp_path / "c.txt"
    c.write_text(OTHER, encoding="utf-8")
    assert cli("extract", str(c), "-o", str(tmp_path / "c.claims.yaml")).returncode == 0
    c.write_text(OTHER.replace("12所", "13所"), encoding="utf-8")
    assert len(json.loads(cli("export", str(tmp_path), *ORG).stdout)) == 3
    edit(art)
    out = tmp_path / "reviews.json"
    r = cli("export", str(tmp_path), *ORG, "-o", str(out))
    assert r.returncode == 1 and not out.exists()
    lines = err_lines(r)
    assert len(lines) == 2 and lines[0].startswith(f"claimcheck: {claims}: the article {art} has changed")
    assert "no ClaimReview written: 1 of 3 claim files no longer match their articles" in lines[1]


@pytest.mark.parametrize("fmt", ["yaml", "csv", "markdown"])
def test_audit_exports_a_stale_file_with_a_warning(desk, cli, fmt):
    art, claims, _ = desk
    edit(art)
    r = cli("audit", "export", str(claims), "--format", fmt)
    assert r.returncode == 0 and "2.3%" in r.stdout.decode()  # the record is written all the same
    (line,) = err_lines(r)
    assert line.startswith(f"claimcheck: warning: {claims}: the article {art} has changed since extraction")


def test_orphans_are_counted_apart_and_marked_in_markdown_and_csv(desk, cli):
    art, claims, found = desk
    edit(art)
    assert cli("extract", str(art), "-o", str(claims)).returncode == 0  # 2.3% orphaned, 2.5% added
    orphan = {c.id: c for c in store.load(claims).claims}[found["2.3%"]]
    assert orphan.orphaned_at is not None and orphan.status.value == "verified"
    md = cli("audit", "export", str(claims), "--format", "markdown").stdout.decode()
    assert "· 0 verified · 1 disputed · 4 pending · 1 orphaned" in md
    row = next(x for x in md.splitlines() if "| 2.3% |" in x)
    assert row.startswith(f"| verified · **orphaned** {orphan.orphaned_at.date().isoformat()} | quantity |")
    assert "orphaned" not in next(x for x in md.splitlines() if "| 5.2% |" in x)
    text = cli("audit", "export", str(claims), "--format", "csv", "--history").stdout.decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(text)))
    assert header[:13] == ["document", "title", "claim", "kind", "trigger", "value", "status", "note",
                           "time", "reviewer", "field", "old", "new"]  # old columns keep their places
    assert header[13] == "orphaned_at"
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {r["orphaned_at"] for r in rows if r["claim"] == found["2.3%"]} == {orphan.orphaned_at.isoformat().replace("+00:00", "Z")}
    assert {r["orphaned_at"] for r in rows if r["claim"] != found["2.3%"]} == {""}


def test_a_single_file_export_shows_earlier_verdicts_from_the_files_beside_it(desk, cli, tmp_path):
    art, claims, found = desk
    b, b_claims = tmp_path / "b.txt", tmp_path / "b.claims.yaml"
    b.write_text(REPRINT, encoding="utf-8")
    assert cli("extract", str(b), "-o", str(b_claims)).returncode == 0
    repeat = ids(b_claims)["2.3%"]
    folder = yaml.safe_load(cli("audit", "export", str(tmp_path)).stdout)
    alone = yaml.safe_load(cli("audit", "export", str(b_claims)).stdout)
    (doc,) = alone["documents"]
    by_id = {c["id"]: c for c in doc["claims"]}
    assert by_id[repeat]["earlier_verdict"]["status"] == "verified"
    assert by_id[repeat]["earlier_verdict"]["claim"] == found["2.3%"]
    assert by_id[repeat]["earlier_verdict"] == next(
        c for d in folder["documents"] if d["id"] == "b" for c in d["claims"] if c["id"] == repeat)["earlier_verdict"]
    assert [c["id"] for c in doc["claims"] if "earlier_verdict" in c] == [repeat]  # the sibling is not exported
    md = cli("audit", "export", str(b_claims), "--format", "markdown").stdout.decode()
    row = next(x for x in md.splitlines() if "| 2.3% " in x)
    assert row.startswith(f"| pending | quantity | 2.3% ↺ verified in a/{found['2.3%']} (wen ")
    rows = list(csv.DictReader(io.StringIO(cli("audit", "export", str(b_claims), "--format", "csv").stdout.decode("utf-8-sig"))))
    (earlier,) = {r["earlier_verdict"] for r in rows if r["claim"] == repeat}
    assert earlier.startswith(f"verified in a/{found['2.3%']} (wen ")
    assert {r["earlier_verdict"] for r in rows if r["claim"] != repeat} == {""}


@pytest.mark.parametrize("name", ["both.yaml", "both.YML"])
def test_extract_several_articles_to_a_yaml_name_is_refused(tmp_path, cli, name):
    for n in ("a", "b"):
        (tmp_path / f"{n}.txt").write_text(ARTICLE, encoding="utf-8")
    r = cli("extract", "a.txt", "b.txt", "-o", name, cwd=tmp_path)
    assert r.returncode == 2 and err_lines(r) == [f"claimcheck: -o {name}: several articles need an output folder, not a file"]
    r = cli("extract", ".", "-o", name, cwd=tmp_path)  # a folder of articles is several too
    assert r.returncode == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt"]
    assert cli("extract", "a.txt", "-o", name, cwd=tmp_path).returncode == 0  # one article: a file
    assert (tmp_path / name).is_file()


def test_export_times_are_written_as_the_claim_files_write_them():
    from datetime import UTC, datetime

    from claims.opening import iso

    t = datetime(2026, 11, 29, 5, 42, 15, 616000, tzinfo=UTC)
    assert iso(t) == "2026-11-29T05:42:15.616000Z"
