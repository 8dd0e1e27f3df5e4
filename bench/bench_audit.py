"""Audit-log benchmark: the time to record one change as the log grows. Prints figures, asserts nothing.

    python bench/bench_audit.py                  # logs of 100, 1,000 and 10,000 events
    python bench/bench_audit.py --appends 50

For each length, a log of that many events is made beside a claim file, then:
  one-off   `audit.append(log, [change], reviewer)`: a single append by a caller that keeps
            nothing between calls (as a re-extraction does)
  chain     each later append through one `audit.Chain` (what a Review appends with); shown
            as "-" for versions without it, so that older checkouts can be measured too
  first     the first change in a freshly opened `Review` (`set_note`): append and save
  review    each later change in that Review (what every key press in the UI costs): append
            and save of the claim file, both fsynced
The save of the claim file does not depend on the log; its share is shown as `save`.
"""
from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from claims import audit, extract_file, store  # noqa: E402
from claims.review import Review  # noqa: E402


def seed() -> Path:
    return sorted((ROOT / "seeds").glob("*.txt"))[0]


def ms(seconds: list[float]) -> str:
    return f"{statistics.median(seconds) * 1000:8.2f} ms" if seconds else f"{'-':>11}"


def one_size(folder: Path, events: int, appends: int) -> dict[str, list[float]]:
    path = folder / f"n{events}.claims.yaml"
    store.save(path, extract_file(seed()))
    ids = [c.id for c in store.load(path).claims]
    log = audit.log_path(path)
    audit.append(log, [audit.Change(ids[i % len(ids)], "note", f"旧{i}", f"新{i}") for i in range(events)], "bench")

    times: dict[str, list[float]] = {"one-off": [], "chain": [], "first": [], "review": [], "save": []}
    for i in range(appends):
        t = time.perf_counter()
        audit.append(log, [audit.Change(ids[0], "note", f"a{i}", f"b{i}")], "bench")
        times["one-off"].append(time.perf_counter() - t)
    if hasattr(audit, "Chain"):
        chain = audit.Chain(log)
        chain.append([audit.Change(ids[0], "note", "", "first")], "bench")  # reads the log once
        for i in range(appends):
            t = time.perf_counter()
            chain.append([audit.Change(ids[0], "note", f"c{i}", f"d{i}")], "bench")
            times["chain"].append(time.perf_counter() - t)
    with Review(path, "bench") as r:
        for i in range(appends + 1):
            t = time.perf_counter()
            r.set_note(ids[i % len(ids)], f"第{i}次")
            times["first" if i == 0 else "review"].append(time.perf_counter() - t)
        for _ in range(appends):
            t = time.perf_counter()
            store.save(path, r.cf)
            times["save"].append(time.perf_counter() - t)
    problems = audit.verify(log)
    if problems:
        sys.exit(f"the benchmark broke the log: {problems[0]}")
    return times


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 1_000, 10_000])
    ap.add_argument("--appends", type=int, default=10, help="timed appends per figure (median shown)")
    args = ap.parse_args()
    print(f"claimcheck at {ROOT}; Python {platform.python_version()} on {platform.machine()}")
    print(f"{'events':>8}" + "".join(f" {k:>11}" for k in ("one-off", "chain", "first", "review", "save")))
    with tempfile.TemporaryDirectory() as d:
        for n in args.sizes:
            t = one_size(Path(d), n, args.appends)
            print(f"{n:>8}" + "".join(f" {ms(v)}" for v in t.values()), flush=True)


if __name__ == "__main__":
    main()
