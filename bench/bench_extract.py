"""Extraction and claim-file benchmark: prints figures, asserts nothing.

    python bench/bench_extract.py            # 5 MB and 50 MB corpora (about two minutes)
    python bench/bench_extract.py --quick    # 1 MB and 5 MB
    python bench/bench_extract.py --inprocess --size 1 --repeat 3   # throughput only, both corpora
    python bench/bench_extract.py --inprocess --size 1 --profile    # and where the time goes (cProfile)

Two corpora (`--corpus seeds|real|both`, both by default): the sample articles in seeds/ and
real news (../shared/corpus-real/docs, 300 articles, denser in figures and messier), each
repeated to the size asked with its numbers varied (same number of digits), so that the work
is realistic and no two copies are identical; in the real news only whole numbers that are
not part of a date or a time are varied, so that its dates stay dates.
Figures: in-process extraction throughput through the Python API (all rule packs, no file
writing); one `regex` pass of a numeral pattern over the same text (the floor no rule engine
beats) and the ratio; end-to-end CLI throughput on a folder of articles, serial and on all
cores; peak memory; claim-file save and load for 10,000 claims; and, when bench/bench_tui.py
is there, the UI's figures.
"""
from __future__ import annotations

import argparse
import contextlib
import logging
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from claims import extract, extract_file, store  # noqa: E402
from claims.model import ClaimFile  # noqa: E402
from claims.rules import load_rules  # noqa: E402

REAL = ROOT.parent / "shared" / "corpus-real" / "docs"
FLOOR = regex.compile(r"[0-9０-９零〇一二三四五六七八九十百千万亿两]+")


def seeds() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]


def varied(text: str, rnd: random.Random) -> str:
    def one(m):
        s = m.group()
        return str(rnd.randint(1, 9)) if len(s) == 1 else str(rnd.randint(10 ** (len(s) - 1), 10 ** len(s) - 1))

    return regex.sub(r"[0-9]+", one, text)


# A whole number not next to a decimal point, a date's or a time's separator or unit.
_NOT_DATE = regex.compile(r"(?<![0-9.:/\-])[0-9]++(?![.:：/\-年月日号號时時点點])")


def varied_real(text: str, rnd: random.Random) -> str:
    def one(m):
        s = m.group()
        return str(rnd.randint(1, 9)) if len(s) == 1 else str(rnd.randint(10 ** (len(s) - 1), 10 ** len(s) - 1))

    return _NOT_DATE.sub(one, text)


def real_articles() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(REAL.glob("*.txt"))]


def corpus(chars: int, seed: int = 1, name: str = "seeds") -> list[str]:
    """Articles adding up to about `chars` characters, from the seeds or the real news."""
    rnd, out, size = random.Random(seed), [], 0
    base, vary = (seeds(), varied) if name == "seeds" else (real_articles(), varied_real)
    if not base:
        raise SystemExit(f"no articles for the {name} corpus ({REAL if name == 'real' else ROOT / 'seeds'})")
    while size < chars:
        t = vary(base[len(out) % len(base)], rnd)
        out.append(t)
        size += len(t)
    return out


def rate(chars: int, seconds: float) -> str:
    return f"{chars / seconds / 1e6:6.3f} M chars/s"


def time_extraction(articles: list[str], rules) -> float:
    t0 = time.perf_counter()
    for a in articles:
        extract(a, rules=rules)
    return time.perf_counter() - t0


def best_of(articles: list[str], rules, repeat: int) -> tuple[float, float, int]:
    """The best wall time and the best CPU time of `repeat` runs, and the claims found. On a
    shared machine the CPU time (this process's own) is the steadier figure."""
    claims = sum(len(extract(a, rules=rules)) for a in articles[:50])  # warm: compiled vocabularies
    claims = sum(len(extract(a, rules=rules)) for a in articles)
    walls, cpus = [], []
    for _ in range(repeat):
        c0 = time.process_time()
        walls.append(time_extraction(articles, rules))
        cpus.append(time.process_time() - c0)
    return min(walls), min(cpus), claims


def bench_throughput(size_mb: float, name: str, repeat: int) -> float:
    """In-process throughput on one corpus, best of `repeat`; returns characters per second."""
    articles = corpus(int(size_mb * 1e6), name=name)
    chars = sum(map(len, articles))
    t, cpu, claims = best_of(articles, load_rules(), repeat)
    print(f"  {name:<5} {size_mb:>4g} MB  {rate(chars, t)}  (CPU time: {rate(chars, cpu).strip()}; "
          f"{claims / chars * 1000:.1f} claims per 1,000 characters, {len(articles)} articles; best of {repeat})")
    return chars / t


def peers() -> dict[str, object]:
    """What a Chinese-NLP user would pick instead, where installed (benchmark only: claimcheck
    never depends on them): jionlp's extract_money and extract_time, cn2an's transform."""
    import contextlib
    import importlib.util
    import io

    out: dict[str, object] = {}
    if importlib.util.find_spec("jionlp"):
        with contextlib.redirect_stdout(io.StringIO()):  # its banner
            import jionlp
        base = time.mktime((2023, 7, 1, 12, 0, 0, 0, 0, -1))
        out["jionlp extract_money"] = jionlp.ner.extract_money
        out["jionlp extract_time"] = lambda text: jionlp.ner.extract_time(text, time_base=base)
    if importlib.util.find_spec("cn2an"):
        import cn2an

        out["cn2an transform"] = lambda text: cn2an.transform(text, "cn2an")
    return out


def bench_peers(size_mb: float, name: str, ours: float, repeat: int) -> None:
    """Each peer on the same corpus, best of `repeat`, and claimcheck's throughput as a multiple."""
    articles = corpus(int(size_mb * 1e6), name=name)
    chars = sum(map(len, articles))
    found = peers()
    # jionlp logs a traceback and cn2an warns for every phrase they cannot read: counted, not shown.
    logging.disable(logging.CRITICAL)
    warnings.simplefilter("ignore")
    if not found:
        print("  (no peer installed: pip install jionlp cn2an)")
    for label, fn in found.items():
        failed = 0
        for a in articles[:20]:  # warm: their dictionaries load on first use
            with contextlib.suppress(Exception):
                fn(a)
        best = float("inf")
        for _ in range(repeat):
            failed = 0
            t0 = time.perf_counter()
            for a in articles:
                try:
                    fn(a)
                except Exception:  # a peer's own failure on an article: counted, not fatal
                    failed += 1
            best = min(best, time.perf_counter() - t0)
        note = f", failed on {failed} articles" if failed else ""
        print(f"  {name:<5} {label:<22} {rate(chars, best)}   claimcheck x{ours / (chars / best):.2f}{note}")


def profile(size_mb: float, name: str, top: int = 15) -> None:
    """cProfile over one extraction of the corpus: the `top` functions by their own time."""
    import cProfile
    import io
    import pstats

    articles = corpus(int(size_mb * 1e6), name=name)
    rules = load_rules()
    for a in articles[:50]:
        extract(a, rules=rules)
    prof = cProfile.Profile()
    prof.enable()
    time_extraction(articles, rules)
    prof.disable()
    out = io.StringIO()
    pstats.Stats(prof, stream=out).strip_dirs().sort_stats("tottime").print_stats(top)
    body = out.getvalue()
    lines = body.splitlines()
    start = next((i for i, ln in enumerate(lines) if ln.lstrip().startswith("ncalls")), 0)
    total = next((ln.strip() for ln in lines if "function calls" in ln), "")
    print(f"  profile, {name} corpus ({size_mb:g} MB), top {top} by own time; {total}")
    for ln in lines[start:]:
        if ln.strip():
            print("    " + ln)


def time_floor(articles: list[str]) -> float:
    """One `regex` pass of the numeral pattern over the whole corpus."""
    joined = "\n".join(articles)
    t0 = time.perf_counter()
    for _ in FLOOR.finditer(joined):
        pass
    return time.perf_counter() - t0


def bench_inprocess(size_mb: float, name: str = "seeds") -> tuple[float, float]:
    articles = corpus(int(size_mb * 1e6), name=name)
    chars = sum(map(len, articles))
    t_ex = time_extraction(articles, load_rules())
    t_floor = time_floor(articles)
    print(f"  {name:<5} {size_mb:>4g} MB  extraction {rate(chars, t_ex)}   floor {rate(chars, t_floor)}   "
          f"ratio {t_ex / t_floor:5.0f}x")
    return chars / t_ex, chars / t_floor


def bench_parts(size_mb: float) -> None:
    """Where extraction's time goes, against the floor: the rule patterns (prefilters included)
    as the engine runs them, each match searched again on its own span only (the matching work
    itself, without the scanning), and everything else (segmentation, normalizers, speakers,
    claims)."""
    from claims.extract import _matches
    from claims.text import paragraphs

    articles = corpus(int(size_mb * 1e6), seed=3)
    chars = sum(map(len, articles))
    rules = load_rules()
    t_all = time_extraction(articles, rules)
    runs = []
    t0 = time.perf_counter()
    for a in articles:
        paras = paragraphs(a)
        starts = [p.start for p in paras]
        for r in rules.rules:
            runs.append((r.pattern, a, _matches(a, r, [], paras, starts)))
    t_rules = time.perf_counter() - t0
    found = [(p, a, m.start(), m.end()) for p, a, ms in runs for m in ms]
    t0 = time.perf_counter()
    for p, a, s, e in found:
        p.search(a, s, e)
    t_own = time.perf_counter() - t0
    t_floor = time_floor(articles)
    per = 1e6 / chars * 1000
    print(f"  where the time goes ({size_mb:g} MB, ms per million characters; floor {t_floor * per:.0f}):")
    print(f"    all of extraction {t_all * per:5.0f}  ({t_all / t_floor:.0f}x floor)")
    print(f"    rule patterns     {t_rules * per:5.0f}  ({t_rules / t_floor:.0f}x floor; "
          f"{len(found) / chars * 1e6:,.0f} matches per million characters)")
    print(f"      of which the matches' own work {t_own * per:5.0f}  ({t_own / t_floor:.1f}x floor: the rest is "
          "looking for where they start)")
    print(f"    everything else   {(t_all - t_rules) * per:5.0f}  ({(t_all - t_rules) / t_floor:.0f}x floor: "
          "segmentation, normalizers, speakers, validated claims)")


def bench_cli(size_mb: float, jobs: int) -> None:
    articles = corpus(int(size_mb * 1e6), seed=2)
    chars = sum(map(len, articles))
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in"
        src.mkdir()
        for i, a in enumerate(articles):
            (src / f"a{i:05d}.txt").write_text(a, encoding="utf-8")
        for j in sorted({1, jobs}):
            out = Path(tmp) / f"out{j}"
            t0 = time.perf_counter()
            r = subprocess.run([sys.executable, "-m", "claims.cli", "extract", str(src), "-o", str(out),
                                "--jobs", str(j)], cwd=ROOT, capture_output=True, text=True)
            dt = time.perf_counter() - t0
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            status = "ok" if r.returncode == 0 else f"FAILED: {r.stderr.strip()[-200:]}"
            print(f"  {size_mb:>4g} MB, {len(articles)} articles, --jobs {j}: {rate(chars, dt)} "
                  f"({dt:.1f} s, claim files included; peak RSS so far {peak:.0f} MB) {status}")


def bench_store(n: int = 10_000) -> None:
    base = extract_file(ROOT / "seeds" / sorted(p.name for p in (ROOT / "seeds").glob("*.txt"))[0])
    claims = []
    k = 0
    while len(claims) < n:
        for c in base.claims:
            claims.append(c.model_copy(update={"id": f"{c.id}-{k}"}))
            if len(claims) == n:
                break
        k += 1
    cf = ClaimFile(document=base.document, claims=claims)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.claims.yaml"
        saves, loads = [], []
        for _ in range(3):
            t0 = time.perf_counter()
            store.save(path, cf)
            saves.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            store.load(path)
            loads.append(time.perf_counter() - t0)
        size = path.stat().st_size / 2**20
    print(f"  {n} claims in one file ({size:.1f} MB): save {statistics.median(saves) * 1000:.0f} ms, "
          f"load {statistics.median(loads) * 1000:.0f} ms (median of 3)")
    per_article = cf.model_copy(update={"claims": claims[:35]})
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "a.claims.yaml"
        t = []
        for _ in range(50):
            t0 = time.perf_counter()
            store.save(path, per_article)
            t.append(time.perf_counter() - t0)
    print(f"  one article's file (35 claims, what a key press saves): {statistics.median(t) * 1000:.1f} ms median of 50")


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in open("/proc/cpuinfo", encoding="utf-8"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, regex {regex.__version__}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small corpora, for a quick look")
    ap.add_argument("--corpus", choices=("seeds", "real", "both"), default="both",
                    help="which corpus the in-process figures use (default: both)")
    ap.add_argument("--inprocess", action="store_true",
                    help="only the in-process throughput (and the profile with --profile)")
    ap.add_argument("--size", type=float, default=1.0, metavar="MB", help="corpus size for --inprocess (default 1)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per figure, the best kept (default 3)")
    ap.add_argument("--profile", action="store_true", help="with --inprocess: cProfile's top 15 on each corpus")
    ap.add_argument("--peers", action="store_true",
                    help="with --inprocess: time jionlp and cn2an on the same corpus (where installed)")
    args = ap.parse_args()
    names = ("seeds", "real") if args.corpus == "both" else (args.corpus,)
    if args.inprocess:
        print(f"machine: {machine()}; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
              f"{time.strftime('%Y-%m-%d %H:%M %Z')}")
        print("in-process extraction (Python API, all rule packs, no files):")
        ours = {name: bench_throughput(args.size, name, args.repeat) for name in names}
        if args.peers:
            print("peers on the same corpora (all of claimcheck's claims vs one kind each; benchmark only):")
            for name in names:
                bench_peers(args.size, name, ours[name], args.repeat)
        if args.profile:
            for name in names:
                profile(args.size, name)
        return
    sizes = (1, 5) if args.quick else (5, 50)
    print(f"machine: {machine()}")
    print("in-process extraction (Python API, all rule packs, no files):")
    for name in names:
        rates = [bench_inprocess(s, name) for s in sizes]
        print(f"  {name}: growth {sizes[0]} -> {sizes[1]} MB: throughput x{rates[1][0] / rates[0][0]:.2f} "
              "(1.00 = linear time)")
    print("peers on the same corpora (all of claimcheck's claims vs one kind each; benchmark only):")
    for name in names:
        bench_peers(sizes[0], name, bench_throughput(sizes[0], name, 1), 1)
    bench_parts(sizes[0])
    print("command line on a folder of articles (claim files written):")
    bench_cli(sizes[0], os.cpu_count() or 1)
    print("claim files:")
    bench_store()
    tui = ROOT / "bench" / "bench_tui.py"
    if tui.exists():
        print("review UI (bench/bench_tui.py):")
        sys.stdout.flush()
        subprocess.run([sys.executable, str(tui)], cwd=ROOT)
    shutil.rmtree(ROOT / "bench" / "__pycache__", ignore_errors=True)


if __name__ == "__main__":
    main()
