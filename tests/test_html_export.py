"""`claimcheck export --format html`: one self-contained page, the article with each claim
highlighted once by status, its details on hover, a summary table; everything escaped.

The page is read back with the standard library's HTML parser, as a browser would tokenise it
(scripts/browser_check_html.py checks it in Chromium itself)."""
from __future__ import annotations

import html
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from claims import store
from claims.html_export import HTML_MARK, highlight
from claims.model import Claim, Kind, Span, Status, Trigger

ARTICLE = ("某市经济稳步回升\n2024年03月28日\n\n市统计局局长王建国表示，一季度全市生产总值达1.5亿元，同比增长35%。"
           "全市常住人口约为120万人。\n")
HOSTILE = '</mark></div><script>alert("x")</script><img src=x onerror=alert(1)> & "quoted" \'single\''


class Page(HTMLParser):
    """The parts of the page the tests read: the marks (with their own text and their whole
    text), tags seen, the article's text, the summary rows' cells, and nesting errors."""

    VOID = {"meta", "br", "img", "link", "input", "hr"}

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.stack: list[tuple[str, dict]] = []
        self.errors: list[str] = []
        self.marks: list[dict] = []
        self.article = ""
        self.rows: dict[str, dict[str, str]] = {}
        self.counts: dict[str, int] = {}
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        if tag == "span" and "data-count" in a:
            self.counts[a["class"].removeprefix("count-")] = int(a["data-count"])
        if tag in self.VOID:
            return
        a["_text"] = ""
        if tag == "mark":
            self.marks.append(a)
        if tag == "tr" and "data-claim" in a:
            self.rows[a["data-claim"]] = {}
        self.stack.append((tag, a))

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if not self.stack or self.stack[-1][0] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1][0] if self.stack else 'nothing'}")
            return
        _, a = self.stack.pop()
        if tag == "td":
            row = next(x for t, x in reversed(self.stack) if t == "tr")
            self.rows[row["data-claim"]][a["class"]] = a["_text"]

    def handle_data(self, data):
        for _, a in self.stack:
            a["_text"] += data
        if any(t == "div" and a.get("class") == "article" for t, a in self.stack):
            self.article += data


def pieces(page: Page, claim_id: str) -> str:
    """A claim's words as its marks spell them: each piece's whole text (a nested claim's words
    inside an outer one are part of the outer's), in page order."""
    return "".join(m["_text"] for m in page.marks if m["data-claim"] == claim_id)


@pytest.fixture
def desk(tmp_path, cli):
    art = tmp_path / "a.txt"
    art.write_text(ARTICLE, encoding="utf-8")
    claims = tmp_path / "a.claims.yaml"
    assert cli("extract", str(art), "-o", str(claims)).returncode == 0
    ids = [c.id for c in store.load(claims).claims]
    assert len(ids) >= 5
    marks = [(ids[0], "verified", "--note", "ok", "--evidence", "https://stats.example.cn/q1"),
             (ids[1], "disputed", "--note", HOSTILE, "--evidence", "javascript:alert(1)"),
             (ids[2], "dismissed", "--reason", "opinion")]
    for cid, status, *rest in marks:
        assert cli("mark", str(claims), cid, status, *rest, env={"CLAIMCHECK_REVIEWER": "王<b>编辑</b>"}).returncode == 0
    return art, claims, ids


def export(cli, claims: Path, *more: str):
    return cli("export", "--format", "html", str(claims), *more)


def test_every_claim_highlighted_once_by_status_in_the_articles_own_text(desk, cli):
    art, claims, ids = desk
    r = export(cli, claims)
    assert r.returncode == 0, r.stderr
    text = r.stdout.decode("utf-8")
    assert text.startswith(HTML_MARK)
    page = Page(text)
    assert page.errors == [] and page.stack == []
    assert page.article == ARTICLE  # every character of the article, once, in order
    cf = store.load(claims)
    for c in cf.claims:
        firsts = [m for m in page.marks if m.get("id") == f"c-{c.id}"]
        assert len(firsts) == 1, c.id
        assert pieces(page, c.id) == c.trigger.text == ARTICLE[c.trigger.start:c.trigger.end]
        assert all(m["class"].split()[0] == c.status.value for m in page.marks if m["data-claim"] == c.id)
    statuses = {m["class"].split()[0] for m in page.marks}
    assert statuses == {"verified", "disputed", "dismissed", "pending"}


def test_summary_table_and_counts_match_the_claim_file(desk, cli):
    _, claims, ids = desk
    page = Page(export(cli, claims).stdout.decode())
    cf = store.load(claims)
    assert list(page.rows) == [c.id for c in cf.claims]
    assert page.counts == {"verified": 1, "disputed": 1, "pending": len(ids) - 3, "dismissed": 1}
    assert page.rows[ids[2]]["status"] == "dismissed (opinion)"
    assert page.rows[ids[0]]["evidence"] == "https://stats.example.cn/q1"
    assert page.rows[ids[0]]["reviewed"].startswith("王<b>编辑</b> 20")


def test_notes_names_and_links_are_escaped(desk, cli):
    _, claims, ids = desk
    text = export(cli, claims).stdout.decode()
    page = Page(text)
    # The note's markup is text: no element came from it, and it reads back as typed.
    assert "script" not in page.tags and "img" not in page.tags and "b" not in page.tags
    assert page.rows[ids[1]]["note"] == HOSTILE
    tip = next(m["data-tip"] for m in page.marks if m.get("id") == f"c-{ids[1]}")
    assert HOSTILE in tip and "value: " in tip
    assert "<script" not in text and "javascript:alert" not in text.replace(html.escape("javascript:alert(1)"), "")
    # A link only for http(s): `javascript:` evidence is shown, never linked.
    assert 'href="javascript' not in text
    assert page.rows[ids[1]]["evidence"] == "javascript:alert(1)"


def test_hover_details_value_speaker_note_evidence(desk, cli):
    _, claims, ids = desk
    page = Page(export(cli, claims).stdout.decode())
    cf = store.load(claims)
    tips = {m["data-claim"]: m["data-tip"] for m in page.marks if "id" in m}
    first = tips[ids[0]]
    assert "verified" in first and "note: ok" in first and "evidence: https://stats.example.cn/q1" in first
    said = [c for c in cf.claims if c.speaker is not None]
    assert said and all(f"speaker: {c.speaker.name}" in tips[c.id] for c in said)
    from claims.values import shown
    valued = [c for c in cf.claims if c.value is not None]
    assert valued and all(f"value: {shown(c)}" in tips[c.id] for c in valued)


def test_the_page_is_self_contained_and_printable(desk, cli):
    _, claims, _ = desk
    text = export(cli, claims).stdout.decode()
    page = Page(text)
    assert "script" not in page.tags and "link" not in page.tags and "img" not in page.tags
    assert "@media print" in text and "url(" not in text and "@import" not in text


def _claim(cid: str, start: int, end: int, text: str, status: Status = Status.pending) -> Claim:
    return Claim(id=cid, kind=Kind.quantity, text=text[start:end], span=Span(start=start, end=end),
                 trigger=Trigger(text=text[start:end], start=start, end=end), rule="t", status=status)


@pytest.mark.parametrize("spans, split", [
    ([(0, 6), (2, 4)], 0),  # nested
    ([(0, 4), (2, 6)], 1),  # crossing: the second is split round the end of the first
    ([(0, 4), (0, 4)], 0),  # the same words twice
    ([(0, 3), (3, 6)], 0),  # touching
    ([(1, 8), (2, 5), (3, 7)], 1),  # nested and crossing at once
    ([(0, 2), (0, 8), (4, 8), (6, 7)], 0),  # nested from the same start, and to the same end
])
def test_overlapping_claims_are_each_highlighted_once_and_well_formed(spans, split):
    text = "一二三四五六七八九十"
    claims = [_claim(f"c{i}", s, e, text, list(Status)[i % 4]) for i, (s, e) in enumerate(spans)]
    out = highlight(text, claims)
    page = Page(f'<div class="article">{out}</div>')
    assert page.errors == [] and page.stack == []
    assert page.article == text
    assert len(page.marks) == len(claims) + split  # only a crossing claim is drawn in pieces
    for c in claims:
        assert sum(m.get("id") == f"c-{c.id}" for m in page.marks) == 1
        # Every piece of a claim lies inside its words, and together they cover them exactly.
        assert pieces(page, c.id) == c.trigger.text and _covered(out, c)


def _covered(out: str, c: Claim) -> bool:
    """The positions a claim's pieces cover are exactly its trigger's."""
    covered: set[int] = set()
    pos = 0

    class Walk(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.open: list[str] = []

        def handle_starttag(self, tag, attrs):
            if tag == "mark":
                self.open.append(dict(attrs)["data-claim"])

        def handle_endtag(self, tag):
            if tag == "mark":
                self.open.pop()

        def handle_data(self, data):
            nonlocal pos
            if c.id in self.open:
                covered.update(range(pos, pos + len(data)))
            pos += len(data)

    Walk().feed(out)
    return covered == set(range(c.trigger.start, c.trigger.end))


def test_orphaned_claims_are_listed_not_highlighted(desk, cli):
    art, claims, ids = desk
    cut = ARTICLE.replace("全市常住人口约为120万人。", "")
    art.write_text(cut, encoding="utf-8")
    assert cli("extract", str(art), "-o", str(claims)).returncode == 0
    cf = store.load(claims)
    orphans = [c for c in cf.claims if c.orphaned_at is not None]
    assert orphans
    page = Page(export(cli, claims).stdout.decode())
    assert page.article == cut
    assert not any(m["data-claim"] == o.id for o in orphans for m in page.marks)
    assert all("orphaned" in page.rows[o.id]["words"] for o in orphans)
    assert page.counts["orphaned"] == len(orphans)


def test_control_characters_in_the_article_are_shown_as_escapes(tmp_path, cli):
    art = tmp_path / "a.txt"
    art.write_text(ARTICLE.replace("一季度", "\x1b[31m一季度"), encoding="utf-8")
    claims = tmp_path / "a.claims.yaml"
    assert cli("extract", str(art), "-o", str(claims)).returncode == 0
    text = export(cli, claims).stdout.decode()
    assert "\x1b" not in text and "\\x1b[31m" in text


def test_o_rewrites_its_own_page_and_refuses_other_files(desk, cli):
    art, claims, _ = desk
    out = claims.parent / "page.html"
    assert export(cli, claims, "-o", str(out)).returncode == 0
    first = out.read_text(encoding="utf-8")
    assert first.startswith(HTML_MARK)
    assert export(cli, claims, "-o", str(out)).returncode == 0  # a page of ours: replaced
    mine = claims.parent / "mine.html"
    mine.write_text("<html>my own page</html>", encoding="utf-8")
    r = export(cli, claims, "-o", str(mine))
    assert r.returncode == 1 and b"--force" in r.stderr and mine.read_text() == "<html>my own page</html>"
    before = art.read_bytes()
    r = export(cli, claims, "-o", str(art), "--force")
    assert r.returncode == 1 and art.read_bytes() == before
    assert export(cli, claims, "-o", str(mine), "--force").returncode == 0


def test_a_changed_article_is_refused_in_one_line(desk, cli):
    art, claims, _ = desk
    art.write_text(ARTICLE.replace("35%", "36%"), encoding="utf-8")
    out = claims.parent / "page.html"
    r = export(cli, claims, "-o", str(out))
    assert r.returncode == 1 and not out.exists()
    lines = r.stderr.decode().splitlines()
    assert len(lines) == 1 and "has changed since extraction" in lines[0], lines


def test_claimreview_still_needs_org_and_html_refuses_edit(desk, cli):
    _, claims, _ = desk
    r = cli("export", str(claims), "--review-url", "https://x")
    assert r.returncode == 1 and b"--org" in r.stderr and r.stdout == b""
    r = export(cli, claims, "--edit")
    assert r.returncode == 1 and b"--edit is for --format claimreview" in r.stderr


ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Chromium at /usr/bin/chromium (apt-get install chromium); "
                    "CI machines have none")
def test_the_page_in_a_real_headless_browser(tmp_path):
    """scripts/browser_check_html.py: Chromium opens the page, hovers, prints (about 15 s)."""
    pytest.importorskip("playwright", reason="needs playwright: pip install 'claimcheck[browser-check]'")
    shot = tmp_path / "page.png"
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "browser_check_html.py"), "--screenshot", str(shot)],
                       cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "checks passed" in r.stdout and shot.read_bytes().startswith(b"\x89PNG")


def test_several_claim_files_are_sections_of_one_page(desk, cli, tmp_path):
    _, claims, _ = desk
    other = tmp_path / "more"
    other.mkdir()
    (other / "b.txt").write_text("另一篇报道\n2024年04月01日\n\n全市新增就业岗位3万个。\n", encoding="utf-8")
    assert cli("extract", str(other / "b.txt"), "-o", str(other / "b.claims.yaml")).returncode == 0
    r = cli("export", "--format", "html", str(claims), str(other / "b.claims.yaml"))
    text = r.stdout.decode()
    assert r.returncode == 0 and text.count('<section class="document"') == 2
    assert "全市新增就业岗位" in text and "page-break-before: always" in text
    page = Page(text)
    want = [f"c-{c.id}" for c in store.load(claims).claims]
    want += [f"c2-{c.id}" for c in store.load(other / "b.claims.yaml").claims]
    assert sorted(m["id"] for m in page.marks if "id" in m) == sorted(want)


def test_the_same_article_twice_gives_no_id_twice(desk, cli, tmp_path):
    art, claims, _ = desk
    twin = tmp_path / "twin"
    twin.mkdir()
    (twin / "a.txt").write_bytes(art.read_bytes())
    assert cli("extract", str(twin / "a.txt"), "-o", str(twin / "a.claims.yaml")).returncode == 0
    page = Page(cli("export", "--format", "html", str(claims), str(twin / "a.claims.yaml")).stdout.decode())
    ids = [m["id"] for m in page.marks if "id" in m]
    assert len(ids) == len(set(ids)) == 2 * len(store.load(claims).claims)
