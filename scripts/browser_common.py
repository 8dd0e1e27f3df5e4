"""What the headless-browser checks share: the system's Chromium driven by Playwright (no browser
download: `apt-get install chromium`, `pip install 'claimcheck[browser-check]'`), a desk of
claims made with the real CLI, and a report that says what was checked."""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT / "tests" / "corpus" / "dev01_economy.txt"
# Debian's /usr/bin/chromium is a wrapper script; the binary beside it takes the same flags.
CHROMIUM = next((p for p in (os.environ.get("CLAIMCHECK_CHROMIUM"), "/usr/bin/chromium", "/usr/lib/chromium/chromium",
                             shutil.which("chromium") or "", shutil.which("chromium-browser") or "")
                 if p and Path(p).exists()), None)
REVIEWER = "Browser Tester"
HOSTILE_NOTE = 'annual report says 412.63 <script>document.title="owned"</script> <img src=x onerror=alert(1)> "q"'


class Failed(Exception):
    pass


class Report:
    """Each check printed as it passes; the first failure ends the run with exit code 1."""

    def __init__(self, name: str) -> None:
        self.name, self.t0, self.n = name, time.monotonic(), 0

    def ok(self, what: str) -> None:
        self.n += 1
        print(f"  ok  {what}", flush=True)

    def check(self, cond: bool, what: str, detail: object = "") -> None:
        if not cond:
            raise Failed(f"{what}{': ' + str(detail) if detail != '' else ''}")
        self.ok(what)

    def done(self) -> None:
        print(f"{self.name}: {self.n} checks passed in {time.monotonic() - self.t0:.1f} s", flush=True)


def claimcheck(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """The real CLI in a process of its own, as a user runs it."""
    r = subprocess.run([sys.executable, "-m", "claims.cli", *args], cwd=cwd, capture_output=True, text=True,
                       env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}, timeout=120)
    if r.returncode != 0:
        raise Failed(f"claimcheck {' '.join(args)} exited {r.returncode}: {r.stderr.strip()}")
    return r


def make_desk(folder: Path) -> Path:
    """An article of the test corpus and its claim file, in `folder`; returns the claim file."""
    folder.mkdir(parents=True, exist_ok=True)
    article = folder / ARTICLE.name
    shutil.copyfile(ARTICLE, article)
    claims = folder / (article.stem + ".claims.yaml")
    claimcheck("extract", article.name, "-o", claims.name, cwd=folder)
    return claims


def launch(playwright):
    if CHROMIUM is None:
        raise Failed("no Chromium found (apt-get install chromium, or set CLAIMCHECK_CHROMIUM)")
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True)


def run(name: str, body) -> int:
    """Run `body(report)` and turn a failure into one line and exit code 1."""
    report = Report(name)
    print(f"{name}: Chromium {CHROMIUM}", flush=True)
    try:
        body(report)
    except Failed as e:
        print(f"FAILED {name}: {e}", file=sys.stderr, flush=True)
        return 1
    report.done()
    return 0


def main(name: str, doc: str, what: str, check) -> int:
    """A browser check's command line: `--screenshot PNG` and `--keep DIR` (default: a temporary
    folder), then `check(report, folder, screenshot)` under `run`."""
    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--screenshot", type=Path, help=f"save a picture of {what} here (PNG)")
    ap.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary one)")
    args = ap.parse_args()
    shot = args.screenshot.resolve() if args.screenshot else None
    title = f"browser check: {name}"
    if args.keep:
        return run(title, lambda r: check(r, args.keep.resolve(), shot))
    with tempfile.TemporaryDirectory(prefix=f"claimcheck-{name.split()[-1]}-") as tmp:
        return run(title, lambda r: check(r, Path(tmp), shot))
