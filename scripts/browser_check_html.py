"""Check `claimcheck export --format html` in a real headless Chromium.

An article of the test corpus is extracted and reviewed with the CLI (verified, disputed with a
hostile note, dismissed, evidence), exported as HTML, and opened from disk. Checked: the page
asks for nothing beyond itself; every live claim is highlighted once, its pieces spelling its
words; each status has its own colour; a note's markup stays text; hovering over a claim shows
its value, note and evidence; the summary table and counts match the claim file; printing hides
the tips and gives a PDF. With --screenshot PATH a picture of the page is saved.

    python scripts/browser_check_html.py [--screenshot docs/html-export.png] [--keep DIR]
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import browser_common  # noqa: E402
from browser_common import HOSTILE_NOTE, REVIEWER, Failed, claimcheck, launch, make_desk  # noqa: E402

from claims import store  # noqa: E402

DISPUTED_NOTE = "The annual report says 41,263,000,000 yuan (412.63亿元): digits swapped"


def review(claims: Path) -> dict[str, str]:
    """Decisions of every kind, made with `claimcheck mark`: {role: claim id}."""
    cf = store.load(claims)
    by_kind = {}
    for c in cf.claims:
        by_kind.setdefault(c.kind.value, []).append(c)
    q = by_kind["quantity"]
    picks = {"verified": q[0].id, "disputed": q[2].id, "dismissed": by_kind["ranking"][0].id,
             "attribution": by_kind["attribution"][0].id, "hostile": q[-1].id}  # out of the picture
    folder, name = claims.parent, claims.name
    env = {"CLAIMCHECK_REVIEWER": REVIEWER}
    claimcheck("mark", name, picks["verified"], "verified", "--note", "matches the annual report",
               "--evidence", "https://example.org/annual-report.pdf", cwd=folder, env=env)
    claimcheck("mark", name, picks["disputed"], "disputed", "--note", DISPUTED_NOTE, "--evidence",
               "https://example.org/annual-report.pdf#page=12", cwd=folder, env=env)
    claimcheck("mark", name, picks["hostile"], "pending", "--note", HOSTILE_NOTE, cwd=folder, env=env)
    claimcheck("mark", name, picks["dismissed"], "dismissed", "--reason", "opinion", cwd=folder, env=env)
    claimcheck("mark", name, picks["attribution"], "verified", "--evidence", "company filing, 27 March",
               cwd=folder, env=env)
    return picks


def check(report, work: Path, screenshot: Path | None) -> None:
    from playwright.sync_api import sync_playwright

    claims = make_desk(work)
    picks = review(claims)
    page_file = work / "page.html"
    claimcheck("export", "--format", "html", claims.name, "-o", page_file.name, cwd=work)
    cf = store.load(claims)
    live = [c for c in cf.claims if c.orphaned_at is None]
    report.ok(f"exported {len(cf.claims)} claims ({page_file.stat().st_size} bytes)")

    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1100, "height": 1300})
        asked: list[str] = []

        def only_the_file(route) -> None:
            if route.request.url == page_file.as_uri():
                route.continue_()
            else:
                asked.append(route.request.url)
                route.abort()

        page.route("**/*", only_the_file)
        page.goto(page_file.as_uri())
        page.wait_for_load_state("load")
        report.check(not asked, "self-contained: the page asks for nothing beyond itself", asked)

        found = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('.article mark[id]')]
            .map(m => [m.dataset.claim, [...document.querySelectorAll(
                `.article mark[data-claim="${CSS.escape(m.dataset.claim)}"]`)].map(x => x.textContent)]))""")
        firsts = page.evaluate("() => [...document.querySelectorAll('.article mark[id]')].map(m => m.id)")
        report.check(len(firsts) == len(set(firsts)) == len(live),
                     f"every live claim highlighted once ({len(live)} marks with an id)", (len(firsts), len(live)))
        wrong = [c.id for c in live if c.id not in found]
        report.check(not wrong, "each claim's mark is in the article", wrong[:5])
        # A nested claim's outer mark also holds the inner one's words: its own pieces' text,
        # with the inner marks' text included, is the trigger exactly.
        spelled = [c.id for c in live if "".join(found[c.id]) != c.trigger.text]
        report.check(not spelled, "each highlight spells its claim's words", spelled[:5])
        text = page.evaluate("() => document.querySelector('.article').textContent")
        article = (work / claims.name.replace(".claims.yaml", ".txt")).read_text(encoding="utf-8")
        report.check(text == article, "the article's text is on the page, unchanged", len(text))

        colours = page.evaluate("""() => Object.fromEntries(['verified', 'disputed', 'pending', 'dismissed'].map(s =>
            [s, getComputedStyle(document.querySelector(`.article mark.${s}`)).backgroundColor]))""")
        report.check(len(set(colours.values())) == 4, "each status drawn in its own colour", colours)

        report.check(page.evaluate("() => document.querySelectorAll('script, img').length") == 0
                     and page.title() != "owned", "a note's markup stays text (no script, no image ran)")
        cell = page.evaluate(f"() => document.querySelector('tr[data-claim=\"{picks['hostile']}\"]').textContent")
        report.check(HOSTILE_NOTE in cell, "the hostile note is shown as typed, in the table", cell[:120])

        target = page.locator(f"#c-{picks['disputed']}")
        target.scroll_into_view_if_needed()
        before = page.evaluate(f"() => getComputedStyle(document.getElementById('c-{picks['disputed']}'),"
                               " '::after').content")
        target.hover()
        tip = page.evaluate(f"() => getComputedStyle(document.getElementById('c-{picks['disputed']}'),"
                            " '::after').content")
        disputed = next(c for c in cf.claims if c.id == picks["disputed"])
        from claims.values import shown
        report.check(before in ("none", "normal") and "disputed" in tip and shown(disputed) in tip
                     and DISPUTED_NOTE in tip and "#page=12" in tip, "hovering over a claim shows its status, value, note and "
                     "evidence", tip[:160])
        htip = page.locator(f"#c-{picks['hostile']}").get_attribute("data-tip")
        report.check(HOSTILE_NOTE in htip, "a hostile note is in its claim's tip as typed")

        rows = page.evaluate("() => document.querySelectorAll('table.summary tbody tr').length")
        report.check(rows == len(cf.claims), f"the summary table has a row per claim ({rows})")
        counts = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('.counts [data-count]')]
            .map(s => [s.className.replace('count-', ''), +s.dataset.count]))""")
        want = {s: sum(c.status.value == s for c in live) for s in ("verified", "disputed", "pending", "dismissed")}
        report.check(all(counts.get(k) == v for k, v in want.items()), "the counts match the claim file", counts)
        links = page.evaluate("() => [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'))")
        report.check(all(h.startswith(("#c-", "https://", "http://")) for h in links),
                     "links are to claims or http(s) evidence only", [h for h in links if not h.startswith("#")])

        if screenshot is not None:
            page.evaluate("() => window.scrollTo(0, 0)")
            page.locator(f"#c-{picks['disputed']}").hover()
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            # The article with a tip open, and the start of the summary table under it.
            page.screenshot(path=str(screenshot), full_page=True, clip={"x": 0, "y": 0, "width": 1100, "height": 1850})
            report.ok(f"screenshot saved: {screenshot}")

        page.emulate_media(media="print")
        hidden = page.evaluate(f"() => getComputedStyle(document.getElementById('c-{picks['disputed']}'),"
                               " '::after').display")
        report.check(hidden == "none", "printed, the tips are hidden", hidden)
        pdf = page.pdf(format="A4")
        report.check(pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") >= 2,
                     f"it prints: a PDF of {pdf.count(b'/Type /Page') - pdf.count(b'/Type /Pages')} pages")
        browser.close()


def main() -> int:
    return browser_common.main("export --format html", __doc__, "the page", check)


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Failed as e:
        print(f"FAILED: {e}", file=sys.stderr)
        sys.exit(1)
