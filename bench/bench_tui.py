"""How fast the review UI is: a script that prints figures (not a test).

    python bench/bench_tui.py [--presses 100] [--keep DIR]

Prints the time to the first screen for the sample article and for 10,000 claims across 300
articles (the sample extracted 300 times with its figures varied), and the time from a key
press (v / p on the same claim) to the updated row on screen and the saved claim file, as the
median and 95th percentile of many presses. The app runs headless (App.run_test), as in the
tests: the figures leave out only the terminal's own drawing.
"""
from __future__ import annotations

import argparse
import asyncio
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from textual import events  # noqa: E402

from claims import extract_file, store  # noqa: E402
from claims.naming import claim_file_for  # noqa: E402
from tui.app import make_app  # noqa: E402
from tui.screens.claims import ClaimsScreen  # noqa: E402
from tui.screens.documents import DocumentsScreen  # noqa: E402

SAMPLE = ROOT / "seeds" / "000_75355b54d0c04e29.txt"
SIZE = (160, 45)
DOCS, CLAIMS = 300, 10_000


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


async def until(condition, timeout: float = 300.0) -> float:
    """Wait (yielding to the app, which runs in this event loop) until condition(); return the time."""
    end = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > end:
            raise TimeoutError("the app did not get there in time")
        await asyncio.sleep(0.0005)
    return time.perf_counter()


def ready(app) -> bool:
    s = app.screen
    return isinstance(s, ClaimsScreen) and bool(s.query("#claims")) and s.table.row_count > 0


def open_in_full(app) -> bool:
    """Ready, and past the preview a large file is shown from first (keys change claims)."""
    return ready(app) and not app.screen.doc.opening


def watch_display(app) -> list[float]:
    """Times at which the app hands a screen update to the terminal driver."""
    shown: list[float] = []
    original = app._display

    def display(screen, renderable):
        if renderable is not None:
            shown.append(time.perf_counter())
        return original(screen, renderable)

    app._display = display
    return shown


async def first_screen(path: Path, full: list[float] | None = None) -> float:
    """Seconds from make_app (which extracts a new article) to the claims table handed to the
    terminal; `full` gets the seconds to the file open in full and drawn (a large file's
    first screen is its preview)."""
    t0 = time.perf_counter()
    app = make_app(path, reviewer="bench")
    shown = watch_display(app)
    async with app.run_test(size=SIZE):
        t = await until(lambda: ready(app))
        await until(lambda: shown and shown[-1] > t)
        first = shown[-1] - t0
        if full is not None:
            t = await until(lambda: open_in_full(app))
            await until(lambda: shown and shown[-1] > t)
            full.append(shown[-1] - t0)
        return first


def press(app, key: str) -> None:
    """A key as the terminal driver delivers it."""
    app.post_message(events.Key(key, key if len(key) == 1 else None))


async def key_presses(path: Path, presses: int) -> tuple[list[float], list[float]]:
    """Per press of v or p: seconds to the saved claim file, and to the changed row handed to the terminal."""
    app = make_app(path, reviewer="bench")
    shown = watch_display(app)
    saved, drawn = [], []
    async with app.run_test(size=SIZE) as pilot:
        await until(lambda: open_in_full(app))
        await pilot.pause()
        table = app.screen.table
        for i in range(presses):
            # v and p: d now asks why the claim is disputed before anything is saved.
            key, mark = ("v", "✓") if i % 2 == 0 else ("p", "·")
            cid = table.current_id
            before = path.stat().st_mtime_ns
            t0 = time.perf_counter()
            press(app, key)
            t_saved = await until(lambda b=before: path.stat().st_mtime_ns != b)
            t_row = await until(lambda c=cid, m=mark: table.get_row(c)[0].plain.startswith(m))
            t_drawn = await until(lambda t=t_row: shown and shown[-1] > t)
            saved.append(t_saved - t0)
            drawn.append(max(t_saved, t_drawn) - t0)
            await pilot.press("k")  # back onto the same claim: the next press changes it again
            await pilot.pause()
    claims = {c.id: c for c in store.load(path).claims}
    assert claims[cid].status.value == ("verified" if (presses - 1) % 2 == 0 else "pending")
    return saved, drawn


def summary(name: str, xs: list[float]) -> str:
    xs = sorted(xs)
    p95 = xs[min(len(xs) - 1, int(len(xs) * 0.95))]
    return f"{name:<44} median {ms(statistics.median(xs))}   p95 {ms(p95)}   (n={len(xs)})"


def vary(text: str, i: int) -> str:
    """The sample with its figures changed (100万 → 100+i万 ...) and a numbered title."""
    first, rest = text.split("\n", 1)
    rest = re.sub(r"(?<![0-9年月日])([0-9]+)(?=万|亿|%|倍|个|家)", lambda m: str(int(m.group(1)) + i), rest)
    return f"{first}（{i}）\n{rest}"


def build_folder(folder: Path) -> int:
    """300 articles with their claim files, 10,000 claims in all."""
    text = SAMPLE.read_text(encoding="utf-8")
    per, extra = divmod(CLAIMS, DOCS)
    total = 0
    for i in range(DOCS):
        article = folder / f"a{i:03d}.txt"
        article.write_text(vary(text, i), encoding="utf-8")
        cf = extract_file(article)
        keep = per + (1 if i < extra else 0)
        cf = cf.model_copy(update={"claims": cf.claims[:keep],
                                   "document": cf.document.model_copy(update={"path": article.name})})
        store.save(claim_file_for(article), cf)
        total += len(cf.claims)
    return total


def build_big_file(folder: Path) -> Path:
    """One claim file of 10,000 claims (the sample's, repeated under new ids) on the sample article."""
    article = folder / "big.txt"
    shutil.copy(SAMPLE, article)
    cf = extract_file(article)
    claims = []
    k = 0
    while len(claims) < CLAIMS:
        claims += [c.model_copy(update={"id": f"{c.id}-{k}"}) for c in cf.claims]
        k += 1
    cf = cf.model_copy(update={"claims": claims[:CLAIMS],
                               "document": cf.document.model_copy(update={"path": article.name})})
    target = folder / "big.claims.yaml"
    store.save(target, cf)
    return target


async def folder_screens(folder: Path) -> tuple[float, float, list[float], float]:
    """Seconds to the list on screen, to every row's progress read, of j / k presses while the
    folder loads (key to screen), and from enter to the document's claims on screen."""
    t0 = time.perf_counter()
    app = make_app(folder, reviewer="bench")
    shown = watch_display(app)
    moves = []
    async with app.run_test(size=SIZE):
        s = app.screen
        assert isinstance(s, DocumentsScreen)
        t = await until(lambda: s.table.row_count == DOCS)
        listed = await until(lambda: shown and shown[-1] > t) - t0
        while not s.loaded:  # responsive while the worker reads 300 claim files?
            row = s.table.cursor_row
            t1 = time.perf_counter()
            press(app, "j" if row < DOCS - 1 else "k")
            t = await until(lambda r=row: s.table.cursor_row != r)
            moves.append(await until(lambda t=t: shown and shown[-1] > t) - t1)
        loaded = time.perf_counter() - t0
        s.table.move_cursor(row=0)
        t1 = time.perf_counter()
        press(app, "enter")
        t = await until(lambda: ready(app))
        opened = await until(lambda: shown[-1] > t) - t1
    return listed, loaded, moves, opened


async def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--presses", type=int, default=100)
    ap.add_argument("--keep", metavar="DIR", help="build the test files here and keep them")
    args = ap.parse_args()
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench_tui_"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        print(f"claimcheck review benchmark  ({SIZE[0]}x{SIZE[1]}, headless; files in {work})\n")

        sample = work / "sample" / "article.txt"
        sample.parent.mkdir(exist_ok=True)
        shutil.copy(SAMPLE, sample)
        t = await first_screen(sample)
        n = len(store.load(claim_file_for(sample)).claims)
        print(f"{'sample: first screen, extracting first':<44} {ms(t)}   ({n} claims)")
        t = min([await first_screen(sample) for _ in range(5)])
        print(f"{'sample: first screen, reopening':<44} {ms(t)}   (best of 5)")
        saved, shown = await key_presses(claim_file_for(sample), args.presses)
        print(summary("sample: key press -> file saved", saved))
        print(summary("sample: key press -> file saved + row drawn", shown))

        folder = work / "folder"
        folder.mkdir(exist_ok=True)
        t0 = time.perf_counter()
        total = build_folder(folder)
        print(f"\n(built {DOCS} articles, {total} claims, in {time.perf_counter() - t0:.1f} s)")
        listed, loaded, moves, opened = await folder_screens(folder)
        print(f"{'300 articles: document list on screen':<44} {ms(listed)}")
        print(f"{'300 articles: every progress read':<44} {ms(loaded)}   ({total} claims)")
        if moves:
            print(summary("300 articles: j while loading -> screen", moves))
        print(f"{'300 articles: enter -> claims on screen':<44} {ms(opened)}")
        saved, shown = await key_presses(folder / "a000.claims.yaml", args.presses)
        print(summary("one of the 300: key press -> saved + drawn", shown))
        print(summary("one of the 300: key press -> file saved", saved))

        big = build_big_file(work)
        full: list[float] = []
        t = min([await first_screen(big, full) for _ in range(3)])
        print(f"\n{'one file of 10,000 claims: first screen':<44} {ms(t)}   (best of 3)")
        print(f"{'one file of 10,000 claims: open in full':<44} {ms(min(full))}   (best of 3; keys change claims)")
        saved, shown = await key_presses(big, max(10, args.presses // 5))
        print(summary("10,000 claims: key press -> file saved", saved))
        print(summary("10,000 claims: key press -> saved + drawn", shown))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    asyncio.run(main())
