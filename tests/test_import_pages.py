"""Articles from saved web pages and Word files (issue 15 item 1), end to end through the CLI.

The pages in tests/fixtures/pages are laid out as Chinese news sites lay out an article (a
portal's GBK page that declares gb2312, a news agency's Big5 page with JSON-LD, a Hong Kong
daily's UTF-8 page with <time>), with navigation, rankings full of figures, related links and
footers around the article; the articles are those of tests/corpus. So the claims of a page
must be exactly the claims of its article as a text file: nothing from the page's furniture.
"""
from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
import yaml

from claims import store
from claims.extract import extract

from .conftest import ROOT

PAGES = ROOT / "tests" / "fixtures" / "pages"
CORPUS = ROOT / "tests" / "corpus"

# page → (its article in the corpus, the date and address its metadata give)
SAVED = {
    "portal_finance_gbk": ("dev01_economy", "2024-03-28",
                           "https://finance.example-portal.cn/stock/s/2024-03-28/doc-imqxvztr8811230.shtml"),
    "agency_economy_big5": ("dev03_taiwan", "2024-04-17",
                            "https://www.example-agency.tw/news/aipl/202404170213.aspx"),
    "daily_property_utf8": ("dev06_hk", "2024-06-12",
                            "https://news.example-daily.hk/article/20240612/s00004/1718144400000"),
}


def the_same_claims(a: list, b: list) -> set:
    return {(c.kind.value, c.trigger.text, str(c.value), c.unit) for c in a} ^ \
        {(c.kind.value, c.trigger.text, str(c.value), c.unit) for c in b}


def offsets_hold(claim_file: Path, text: str) -> None:
    """Every claim's clause and trigger are the saved text's characters at its offsets."""
    cf = store.load(claim_file)
    assert cf.claims
    for c in cf.claims:
        assert text[c.span.start:c.span.end] == c.text, c.id
        assert text[c.trigger.start:c.trigger.end] == c.trigger.text, c.id


def copy_page(tmp_path: Path, name: str) -> Path:
    return Path(shutil.copy(PAGES / f"{name}.html", tmp_path / f"{name}.html"))


@pytest.mark.parametrize("name", sorted(SAVED))
def test_a_saved_page_is_extracted_as_its_article(cli, tmp_path, name):
    corpus, date, url = SAVED[name]
    copy_page(tmp_path, name)
    r = cli("extract", f"{name}.html", "-o", "out/", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    saved = tmp_path / "out" / f"{name}.txt"
    claim_file = tmp_path / "out" / f"{name}.claims.yaml"
    text = saved.read_text(encoding="utf-8")
    article = (CORPUS / f"{corpus}.txt").read_text(encoding="utf-8")
    headline = article.splitlines()[0]
    cf = store.load(claim_file)
    # The title, date and address come from the page's metadata; the text is the saved file's.
    assert (cf.document.title, cf.document.date, cf.document.url) == (headline, date, url)
    assert cf.document.path == str(Path("out") / f"{name}.txt")
    assert cf.document.encoding == "utf-8"
    assert text.splitlines()[:3] == [headline, date, ""]
    for paragraph in article.splitlines()[2:]:
        assert paragraph in text
    offsets_hold(claim_file, text)
    # Nothing from the navigation, rankings, related links or footer: the claims are the article's.
    assert not the_same_claims(cf.claims, extract(article))
    r = cli("check", str(claim_file), cwd=tmp_path)
    assert r.returncode == 0 and b"offsets match" in r.stdout, r.stderr


def test_the_simplified_page_is_gbk_though_it_declares_gb2312():
    data = (PAGES / "portal_finance_gbk.html").read_bytes()
    assert b"charset=gb2312" in data
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    big5 = (PAGES / "agency_economy_big5.html").read_bytes()
    assert b'<meta charset="big5">' in big5
    with pytest.raises(UnicodeDecodeError):
        big5.decode("utf-8")


def test_date_and_url_given_win_over_the_pages(cli, tmp_path):
    copy_page(tmp_path, "agency_economy_big5")
    r = cli("extract", "agency_economy_big5.html", "-o", "a.claims.yaml", "--date", "2024-04-18",
            "--url", "https://elsewhere.example/a", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    cf = store.load(tmp_path / "a.claims.yaml")
    assert (cf.document.date, cf.document.url) == ("2024-04-18", "https://elsewhere.example/a")
    assert (tmp_path / "agency_economy_big5.txt").read_text(encoding="utf-8").splitlines()[1] == "2024-04-18"


def test_re_extracting_a_changed_page_keeps_the_review(cli, tmp_path):
    page = copy_page(tmp_path, "daily_property_utf8")
    assert cli("extract", page.name, "-o", "out/", cwd=tmp_path).returncode == 0
    claim_file = tmp_path / "out" / "daily_property_utf8.claims.yaml"
    first = store.load(claim_file)
    target = next(c for c in first.claims if c.trigger.text == "304.1點")
    r = cli("mark", str(claim_file), target.id, "verified", "--reviewer", "ed", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    # Unchanged page: skipped, as an unchanged text is.
    r = cli("extract", page.name, "-o", "out/", "-v", cwd=tmp_path)
    assert r.returncode == 0 and b"unchanged, skipped" in r.stderr, r.stderr
    # The page is edited (a paragraph added at the top): offsets move, the decision stays.
    html = page.read_text(encoding="utf-8")
    page.write_text(html.replace('<div class="article-content" itemprop="articleBody">',
                                 '<div class="article-content" itemprop="articleBody">\n<p>（本報訊）更新：'
                                 '本文於6月12日上午10時更新。</p>', 1), encoding="utf-8")
    r = cli("extract", page.name, "-o", "out/", "-v", cwd=tmp_path)
    assert r.returncode == 0 and b"merged:" in r.stderr, r.stderr
    text = (tmp_path / "out" / "daily_property_utf8.txt").read_text(encoding="utf-8")
    assert "本文於6月12日上午10時更新" in text
    after = {c.id: c for c in store.load(claim_file).claims}
    assert after[target.id].status.value == "verified"
    assert after[target.id].span.start > target.span.start
    offsets_hold(claim_file, text)
    assert cli("check", str(claim_file), cwd=tmp_path).returncode == 0
    assert cli("audit", "verify", str(claim_file), cwd=tmp_path).returncode == 0


def test_a_text_of_the_users_own_is_never_replaced(cli, tmp_path):
    copy_page(tmp_path, "portal_finance_gbk")
    (tmp_path / "out").mkdir()
    mine = tmp_path / "out" / "portal_finance_gbk.txt"
    mine.write_text("我的笔记：不要覆盖。\n", encoding="utf-8")
    r = cli("extract", "portal_finance_gbk.html", "-o", "out/", cwd=tmp_path)
    assert r.returncode == 1
    lines = r.stderr.decode().strip().splitlines()
    assert any("portal_finance_gbk.txt: already exists and is not the text of" in x for x in lines), lines
    assert mine.read_text(encoding="utf-8") == "我的笔记：不要覆盖。\n"
    assert not (tmp_path / "out" / "portal_finance_gbk.claims.yaml").exists()
    r = cli("extract", "portal_finance_gbk.html", "-o", "out/", "--force", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert mine.read_text(encoding="utf-8").startswith("恒岳重工")


def test_a_page_without_an_article_is_a_one_line_error(cli, tmp_path):
    (tmp_path / "front.html").write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>示例门户网 首页</title></head><body>'
        '<nav><a href="/a">新闻</a> <a href="/b">财经</a> <a href="/c">体育</a></nav>'
        '<ul><li><a href="/1">油价下周或迎年内第5次上调</a></li><li><a href="/2">某省最低工资上调至2690元</a></li></ul>'
        '<footer>Copyright 2024 京ICP证000007号</footer></body></html>', encoding="utf-8")
    for out in ([], ["-o", "out/"]):
        r = cli("extract", "front.html", *out, cwd=tmp_path)
        assert r.returncode == 1
        assert r.stderr.decode().strip().splitlines() == [
            "claimcheck: front.html: no article text found in this page (a front page or a list of links?)"]
        assert r.stdout == b""
    assert sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*")) == ["front.html", "out"]


def test_a_page_to_standard_output_saves_its_text_beside_it(cli, tmp_path):
    copy_page(tmp_path, "agency_economy_big5")
    r = cli("extract", "agency_economy_big5.html", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert b"article text saved as agency_economy_big5.txt" in r.stderr
    (tmp_path / "agency_economy_big5.claims.yaml").write_bytes(r.stdout)
    r = cli("check", "agency_economy_big5.claims.yaml", cwd=tmp_path)
    assert r.returncode == 0 and b"offsets match agency_economy_big5.txt" in r.stdout, r.stderr


def test_a_folder_of_pages_counts_a_page_and_its_saved_text_once(cli, tmp_path):
    for name in SAVED:
        copy_page(tmp_path, name)
    r = cli("extract", ".", "-o", ".", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert b"3 articles: 3 extracted" in r.stderr
    r = cli("extract", ".", "-o", ".", cwd=tmp_path)  # page.txt now beside each page.html
    assert r.returncode == 0, r.stderr
    assert b"3 articles: 0 extracted, 3 unchanged, 0 failed" in r.stderr


def test_a_page_that_lies_about_its_encoding_is_read_by_its_bytes(cli, tmp_path):
    # A UTF-8 copy of a GBK page that kept its <meta>: the bytes are not GBK, so they decide.
    html = (PAGES / "portal_finance_gbk.html").read_bytes().decode("gbk")
    (tmp_path / "copy.html").write_bytes(html.encode("utf-8"))
    r = cli("extract", "copy.html", "-o", "copy.claims.yaml", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "copy.txt").read_text(encoding="utf-8").startswith("恒岳重工2023年净利润")


def make_docx(path: Path, corpus: str) -> str:
    """A Word file of a corpus article: its lines as paragraphs, a table of figures after the
    third paragraph (as reporters paste them); returns the article's text."""
    import docx

    article = (CORPUS / f"{corpus}.txt").read_text(encoding="utf-8")
    doc = docx.Document()
    doc.core_properties.title = "Template title"  # a template's title is not the article's
    lines = article.splitlines()
    for i, line in enumerate(lines):
        if line.strip():
            doc.add_paragraph(line)
        if i == 4:
            table = doc.add_table(rows=2, cols=2)
            table.cell(0, 0).text, table.cell(0, 1).text = "首发售价", "2999元"
            table.cell(1, 0).text, table.cell(1, 1).text = "重量", "42克"
    doc.save(path)
    return article


def test_a_word_file_is_extracted_as_its_article(cli, tmp_path):
    article = make_docx(tmp_path / "tech.docx", "dev04_tech")
    (tmp_path / "out").mkdir()
    r = cli("extract", "tech.docx", "-o", "out/tech.claims.yaml", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    text = (tmp_path / "out" / "tech.txt").read_text(encoding="utf-8")
    cf = store.load(tmp_path / "out" / "tech.claims.yaml")
    assert cf.document.title == article.splitlines()[0]
    assert cf.document.date == "2024-05-22"  # from the article's date line
    assert "首发售价 ｜ 2999元" in text
    offsets_hold(tmp_path / "out" / "tech.claims.yaml", text)
    # The article's claims, and the table's two figures.
    diff = the_same_claims(cf.claims, extract(article))
    assert {(k, t) for k, t, *_ in diff} <= {("quantity", "2999元"), ("quantity", "42克")}
    table_at = text.index("首发售价")
    assert {c.trigger.text for c in cf.claims if c.span.start >= table_at and c.span.end <= table_at + 12} \
        == {"2999元"}
    assert cli("check", "out/tech.claims.yaml", cwd=tmp_path).returncode == 0


def test_a_file_named_docx_that_is_not_one_is_a_one_line_error(cli, tmp_path):
    (tmp_path / "notes.docx").write_text("不是 Word 文件\n", encoding="utf-8")
    r = cli("extract", "notes.docx", "-o", "out/", cwd=tmp_path)
    assert r.returncode == 1
    lines = r.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("claimcheck: notes.docx: not a Word document (.docx)"), lines


def test_the_claim_file_records_the_saved_text_not_the_page(cli, tmp_path):
    copy_page(tmp_path, "portal_finance_gbk")
    assert cli("extract", "portal_finance_gbk.html", "-o", "c.claims.yaml", cwd=tmp_path).returncode == 0
    raw = yaml.safe_load((tmp_path / "c.claims.yaml").read_text(encoding="utf-8"))
    assert raw["document"]["path"] == "portal_finance_gbk.txt"
    assert raw["document"]["sha256"] == hashlib.sha256((tmp_path / "portal_finance_gbk.txt").read_bytes()).hexdigest()
