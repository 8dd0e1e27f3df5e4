"""Check `claimcheck serve` in a real headless Chromium.

A folder with an article of the test corpus and its claim file is served on a free port of
127.0.0.1; Chromium opens the page and reads the terminal's screen (xterm.js's own buffer,
which textual-serve's page does not expose: the script's copy of textual.js names it).
Checked: the document list and the claims appear, a key press (v) marks the highlighted claim,
and the claim file and the audit log on disk then hold that decision under the reviewer's
name; closing the tab ends the review and its lock. The server is stopped at the end.

    python scripts/browser_check_serve.py [--screenshot PATH] [--keep DIR]
"""
from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import browser_common  # noqa: E402
from browser_common import REVIEWER, ROOT, Failed, launch, make_desk  # noqa: E402

from claims import audit, naming, store  # noqa: E402

# textual-serve keeps its xterm.js Terminal to itself; the copy the browser gets names it.
_TERMINAL = re.compile(r"this\.terminal=new (\w+)\.Terminal\(")
SCREEN = """() => { const t = window.__claimcheckTerminal; if (!t) return null; const b = t.buffer.active;
  const rows = []; for (let y = 0; y < t.rows; y++) { const l = b.getLine(b.viewportY + y);
  rows.push(l ? l.translateToString(true) : ''); } return rows.join('\\n'); }"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# Generous bounds, not measurements: a loaded two-core CI machine starts Python and Textual slowly.
WAIT = 90


def wait_until(what: str, test, timeout: float = WAIT, step: float = 0.2):
    deadline = time.monotonic() + timeout
    while True:
        got = test()
        if got:
            return got
        if time.monotonic() >= deadline:
            raise Failed(f"{what}: not within {timeout:.0f} s")
        time.sleep(step)


def serve(folder: Path, port: int, log: Path) -> subprocess.Popen:
    """`claimcheck serve` in a session of its own, so that it and every review it started stop together."""
    with open(log, "wb") as out:
        return subprocess.Popen([sys.executable, "-m", "claims.cli", "serve", str(folder), "--reviewer", REVIEWER,
                                 "--port", str(port)], cwd=folder, stdout=out, stderr=subprocess.STDOUT,
                                env={**os.environ, "PYTHONPATH": str(ROOT)}, start_new_session=True)


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=15)


def listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def state(claims: Path) -> tuple[dict[str, str], list]:
    log = naming.log_path(claims)
    events = audit.read(log).events if log.exists() else []
    return {c.id: c.status.value for c in store.load(claims).claims}, events


def check(report, work: Path, screenshot: Path | None) -> None:
    from playwright.sync_api import sync_playwright

    claims = make_desk(work / "desk")
    before, events_before = state(claims)
    cf = store.load(claims)
    port = free_port()
    log = work / "serve.log"
    t0 = time.monotonic()
    proc = serve(claims.parent, port, log)
    try:
        wait_until("the server listening on 127.0.0.1", lambda: listening(port) or proc.poll() is not None)
        if proc.poll() is not None:
            raise Failed(f"claimcheck serve exited {proc.returncode}: {log.read_text(errors='replace')[-400:]}")
        report.ok(f"claimcheck serve listening on 127.0.0.1:{port} after {time.monotonic() - t0:.1f} s")
        with sync_playwright() as p:
            browser = launch(p)
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            elsewhere: list[str] = []
            unread: list[str] = []

            def local_only(route) -> None:
                url = route.request.url
                if not url.startswith((f"http://127.0.0.1:{port}/", f"ws://127.0.0.1:{port}/")):
                    elsewhere.append(url)  # the page's web font: nothing leaves this machine
                    route.abort()
                elif url.endswith("/static/js/textual.js"):
                    body = route.fetch().text()
                    named, n = _TERMINAL.subn(r"this.terminal=window.__claimcheckTerminal=new \1.Terminal(", body)
                    if n != 1:  # said after the wait: an exception here is lost in Playwright's dispatcher
                        unread.append("textual-serve's textual.js has changed: its Terminal cannot be read")
                    route.fulfill(body=named, content_type="application/javascript")
                else:
                    route.continue_()

            page.route("**/*", local_only)
            page.goto(f"http://127.0.0.1:{port}/")

            def screen() -> str:
                return page.evaluate(SCREEN) or ""

            def shows(*words: str, timeout: float = WAIT) -> str:
                if unread:
                    raise Failed(unread[0])
                try:
                    return wait_until(f"the screen showing {words}", lambda: (s := screen()) and
                                      all(w in s for w in words) and s, timeout)
                except Failed as e:
                    raise Failed(f"{e}; the screen was:\n{screen()}\nserver log:\n"
                                 f"{log.read_text(errors='replace')[-1500:]}") from None

            shows(cf.document.id)
            report.ok(f"the document list shows {cf.document.id} ({time.monotonic() - t0:.1f} s from start)")
            page.focus(".xterm-helper-textarea")
            page.keyboard.press("Enter")
            first = [c.trigger.text for c in cf.claims[:3]]
            shows(*first, "0 verified", REVIEWER)
            report.ok(f"the claims appear: {', '.join(first)} ..., under the reviewer's name")
            page.keyboard.press("v")

            def marked():
                now, events = state(claims)
                changed = {k: v for k, v in now.items() if v != before[k]}
                return (changed, events) if changed and len(events) > len(events_before) else None

            changed, events = wait_until("the claim file and audit log changing on disk", marked)
            report.check(list(changed.values()) == ["verified"], "v marked one claim verified in the claim file",
                         changed)
            cid = next(iter(changed))
            new = events[len(events_before):]
            report.check(len(new) == 1 and new[0].claim == cid and new[0].field == "status"
                         and new[0].new == "verified" and new[0].reviewer == REVIEWER,
                         f"the audit log gained the event: {cid} status -> verified by {REVIEWER!r}",
                         [(e.claim, e.field, e.new, e.reviewer) for e in new])
            report.check(audit.verify(naming.log_path(claims)) == [], "the audit log's chain verifies")
            shows("1 verified")
            report.ok("the screen counts the claim verified")
            if screenshot is not None:
                screenshot.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(screenshot))
                report.ok(f"screenshot saved: {screenshot}")
            lock = naming.lock_path(claims)
            report.check(lock.exists(), "the open review holds the claim file's lock")
            page.close()
            wait_until("the lock released once the tab is closed", lambda: not lock.exists())
            report.ok("closing the tab ended the review and released its lock")
            report.ok(f"{len(elsewhere)} request(s) for outside this machine refused (textual-serve's web font)")
            browser.close()
    finally:
        stop(proc)
    report.check(proc.returncode is not None, f"the server stopped (exit {proc.returncode})")


def main() -> int:
    return browser_common.main("serve", __doc__, "the browser tab", check)


if __name__ == "__main__":
    sys.exit(main())
