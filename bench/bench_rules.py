"""Time per rule: where the rule-matching half of extraction goes. Prints figures, asserts nothing.

    python bench/bench_rules.py                      # both corpora, 0.5 MB each, top 25
    python bench/bench_rules.py --corpus real --size 1 --top 40

For every rule, over the same corpus as bench_extract.py: the time spent finding its windows
(the prefilter's search, `_windows`) and the time spent matching its pattern in them (`finditer`
in `_matches`), in wall time (run it on a quiet machine), best of `--repeat`, and the matches found. Paragraphs and the set of
characters are computed once per article outside the timing, as the engine does.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_extract import corpus  # noqa: E402

from claims.extract import _timeout, _windows  # noqa: E402
from claims.rules import load_rules  # noqa: E402
from claims.text import paragraphs  # noqa: E402
from claims.watchdog import matcher  # noqa: E402


def time_rules(articles: list[str], rules, repeat: int) -> list[tuple[str, float, float, int]]:
    """(rule id, window seconds, match seconds, matches) per rule, each time the best of `repeat`."""
    prepared = []
    for a in articles:
        paras = paragraphs(a)
        prepared.append((a, paras, [p.start for p in paras], set(a)))
    # Wall time: under the watchdog's CPU timer this machine's CPU clock, read this often, loses time.
    clock = time.perf_counter
    with matcher() as find:  # as the engine matches (claims/watchdog.py)
        return [_time_rule(rule, prepared, repeat, clock, find) for rule in rules.rules]


def _time_rule(rule, prepared, repeat: int, clock, find) -> tuple[str, float, float, int]:
    best_w = best_m = float("inf")
    found = 0
    for _ in range(repeat):
        tw = tm = 0.0
        found = 0
        for text, paras, starts, chars in prepared:
            t0 = clock()
            windows = list(_windows(text, rule, paras, starts, chars))
            t1 = clock()
            for s, e in windows:
                found += len(find(rule.pattern, text, s, e, _timeout(e - s)))
            tm += clock() - t1
            tw += t1 - t0
        best_w, best_m = min(best_w, tw), min(best_m, tm)
    return rule.id, best_w, best_m, found


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=float, default=0.5, help="corpus size in MB (default 0.5)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--corpus", choices=("seeds", "real", "both"), default="both")
    ap.add_argument("--top", type=int, default=25)
    args = ap.parse_args()
    rules = load_rules()
    for name in ("seeds", "real") if args.corpus == "both" else (args.corpus,):
        articles = corpus(int(args.size * 1e6), name=name)
        chars = sum(map(len, articles))
        c0 = time.process_time()
        rows = time_rules(articles, rules, args.repeat)
        cpu = time.process_time() - c0
        total_w, total_m = sum(r[1] for r in rows), sum(r[2] for r in rows)
        print(f"{name}: {chars:,} characters, {len(articles)} articles, {len(rows)} rules; best of {args.repeat}; "
              f"windows {total_w:.3f} s + matching {total_m:.3f} s = {total_w + total_m:.3f} s "
              f"(CPU for all repeats {cpu:.1f} s)")
        print(f"  {'rule':<34} {'windows ms':>10} {'match ms':>9} {'total ms':>9} {'share':>6} {'matches':>8}")
        rows.sort(key=lambda r: -(r[1] + r[2]))
        for rid, w, m, n in rows[:args.top]:
            print(f"  {rid:<34} {w * 1e3:>10.1f} {m * 1e3:>9.1f} {(w + m) * 1e3:>9.1f} "
                  f"{(w + m) / (total_w + total_m):>6.1%} {n:>8}")


if __name__ == "__main__":
    main()
