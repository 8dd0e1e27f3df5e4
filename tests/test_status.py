"""`claimcheck status` (issue 15 item 3): one line per article with what is pending, verified,
disputed, dismissed and orphaned, who last worked on it and when, and a total; the open claims
across all articles with --pending / --disputed; as text, CSV or JSON."""
from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest

from claims import store, values

from .conftest import ROOT

CORPUS = ROOT / "tests" / "corpus"
PAGE = ROOT / "tests" / "fixtures" / "pages" / "agency_economy_big5.html"


@pytest.fixture
def desk(cli, tmp_path: Path) -> Path:
    """Three articles (two texts and a saved page) extracted into desk/, then worked on by two
    reviewers: decisions of every kind, and one claim orphaned by an edit of its article."""
    d = tmp_path / "desk"
    d.mkdir()
    for name in ("dev01_economy", "dev02_weather"):
        shutil.copy(CORPUS / f"{name}.txt", d / f"{name}.txt")
    shutil.copy(PAGE, d / "page.html")
    r = cli("extract", "desk", "-o", "desk", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    economy = store.load(d / "dev01_economy.claims.yaml").claims
    page = store.load(d / "page.claims.yaml").claims

    def mark(file: str, claim: str, *rest: str) -> None:
        r = cli("mark", f"desk/{file}.claims.yaml", claim, *rest, cwd=tmp_path)
        assert r.returncode == 0, r.stderr

    mark("dev01_economy", economy[0].id, "verified", "--reviewer", "李明")
    mark("dev01_economy", economy[1].id, "disputed", "--reviewer", "李明", "--note", "年报为36.6%")
    mark("dev01_economy", economy[2].id, "dismissed", "--reason", "duplicate", "--reviewer", "李明")
    mark("page", page[1].id, "disputed", "--reviewer", "王芳")
    # The sentence with 8月中旬 leaves the page's text: its claims are orphaned.
    text = d / "page.txt"
    text.write_text(text.read_text(encoding="utf-8").replace("主計總處預計於8月中旬公布下一次經濟預測。", ""),
                    encoding="utf-8")
    r = cli("extract", "desk/page.txt", "-o", "desk/page.claims.yaml", "--reviewer", "王芳", cwd=tmp_path)
    assert r.returncode == 0 and b"orphaned" in r.stderr, r.stderr
    return d


def expected(d: Path, name: str) -> dict[str, int]:
    n = dict.fromkeys(("pending", "verified", "disputed", "dismissed", "orphaned"), 0)
    for c in store.load(d / f"{name}.claims.yaml").claims:
        n["orphaned" if c.orphaned_at else c.status.value] += 1
    return n


def test_one_line_per_article_and_a_total(cli, desk):
    r = cli("status", "desk", cwd=desk.parent)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.decode().splitlines()
    assert lines[0].split() == ["article", "pending", "verified", "disputed", "dismissed", "orphaned", "last",
                                "worked", "by"]
    assert [x.split()[0] for x in lines[1:4]] == ["desk/dev01_economy.claims.yaml", "desk/dev02_weather.claims.yaml",
                                                 "desk/page.claims.yaml"]
    economy, weather, page = (expected(desk, n) for n in ("dev01_economy", "dev02_weather", "page"))
    assert (economy["verified"], economy["disputed"], economy["dismissed"], economy["orphaned"]) == (1, 1, 1, 0)
    assert page["orphaned"] >= 1 and page["disputed"] == 1
    for line, n in zip(lines[1:4], (economy, weather, page)):
        assert [int(x) for x in line.split()[1:6]] == list(n.values())
    when = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"
    assert re.fullmatch(rf".*{when}  李明", lines[1]) and re.fullmatch(rf".*{when}  王芳", lines[3])
    assert len(lines[2].split()) == 6  # never reviewed, no log: nobody has worked on it yet
    total = lines[4].split()
    assert total[:3] == ["total:", "3", "articles"]
    assert [int(x) for x in total[3:]] == [sum(n[k] for n in (economy, weather, page)) for k in economy]
    assert len(lines) == 5


def test_csv_and_json_carry_the_same_counts(cli, desk):
    r = cli("status", "desk", "--format", "csv", cwd=desk.parent)
    text = r.stdout.decode("utf-8")
    assert r.returncode == 0 and text.startswith("\ufeff")  # a spreadsheet opens it as UTF-8
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert [x["file"] for x in rows] == ["desk/dev01_economy.claims.yaml", "desk/dev02_weather.claims.yaml",
                                         "desk/page.claims.yaml", "(total)"]
    assert rows[0]["title"].startswith("恒岳重工") and rows[0]["by"] == "李明"
    r = cli("status", "desk", "--format", "json", cwd=desk.parent)
    doc = json.loads(r.stdout)
    for row, art, name in zip(rows, doc["articles"], ("dev01_economy", "dev02_weather", "page")):
        n = expected(desk, name)
        assert {k: int(row[k]) for k in n} == n == {k: art[k] for k in n}
    assert doc["total"] == {"articles": 3, **{k: int(rows[3][k]) for k in expected(desk, "page")}}
    assert doc["articles"][1]["by"] is None and doc["articles"][2]["by"] == "王芳"


def test_disputed_lists_those_claims_across_all_articles(cli, desk):
    r = cli("status", "desk", "--disputed", "--format", "json", cwd=desk.parent)
    assert r.returncode == 0, r.stderr
    items = json.loads(r.stdout)
    want = []
    for name in ("dev01_economy", "dev02_weather", "page"):
        for c in store.load(desk / f"{name}.claims.yaml").claims:
            if c.status.value == "disputed" and not c.orphaned_at:
                want.append({"file": f"desk/{name}.claims.yaml", "claim": c.id, "status": "disputed",
                             "trigger": c.trigger.text, "value": values.value(c),
                             "speaker": c.speaker.name if c.speaker else ""})
    assert items == want and len(items) == 2
    text = cli("status", "desk", "--disputed", cwd=desk.parent).stdout.decode().splitlines()
    assert text[0].split() == ["file", "claim", "status", "trigger", "value", "speaker"]
    assert [x.split()[:3] for x in text[1:]] == [[i["file"], i["claim"], "disputed"] for i in items]


def test_pending_lists_every_live_pending_claim(cli, desk):
    doc = json.loads(cli("status", "desk", "--format", "json", cwd=desk.parent).stdout)
    r = cli("status", "desk", "--pending", "--format", "csv", cwd=desk.parent)
    rows = list(csv.DictReader(io.StringIO(r.stdout.decode("utf-8")[1:])))
    assert len(rows) == doc["total"]["pending"] and {x["status"] for x in rows} == {"pending"}
    both = json.loads(cli("status", "desk", "--pending", "--disputed", "--format", "json", cwd=desk.parent).stdout)
    assert len(both) == doc["total"]["pending"] + doc["total"]["disputed"]
    # An orphaned claim is never listed as open, whatever its status.
    orphans = {c.id for c in store.load(desk / "page.claims.yaml").claims if c.orphaned_at}
    assert orphans and not orphans & {x["claim"] for x in both if x["file"] == "desk/page.claims.yaml"}


def test_a_claim_file_that_cannot_be_read_is_named_and_the_rest_still_counted(cli, desk):
    (desk / "broken.claims.yaml").write_text("schema: 3\ndocument: [\n", encoding="utf-8")
    r = cli("status", "desk", cwd=desk.parent)
    assert r.returncode == 1
    lines = r.stdout.decode().splitlines()
    assert lines[1].startswith("desk/broken.claims.yaml") and "cannot be read: desk/broken.claims.yaml" in lines[1]
    assert lines[-1].split()[:3] == ["total:", "4", "articles"]
    err = r.stderr.decode().splitlines()
    assert len(err) == 1 and err[0].startswith("claimcheck: desk/broken.claims.yaml:")


def test_a_folder_without_claim_files_is_a_one_line_error(cli, tmp_path):
    (tmp_path / "empty").mkdir()
    r = cli("status", "empty", cwd=tmp_path)
    assert r.returncode == 1
    assert r.stderr.decode().splitlines() == ["claimcheck: empty: no claim files (*.claims.yaml) in this folder"]
