"""Does a change leave every claim as it was? A check for speed work, not a test.

    python bench/identical.py --save     # take the reference from the code as it is
    python bench/identical.py            # extract again and compare; exit 1 on any difference

Extracts, in process, the articles of tests/corpus, eval/*/ and the real news of
../shared/corpus-real/docs (with the collector's date where SOURCES.tsv has one), and compares
every claim (as JSON, warnings included) with the saved reference. Articles named in the blind
list (`--blind`, by default eval/real2/FILES.txt, eval/real3/FILES.txt and eval/real4/FILES.txt: sets nobody may read) are kept
and compared only as a hash: a difference there names the file and nothing of its claims.
"""
from __future__ import annotations

import argparse
import difflib
import hashlib
import json
import sys
import time
from pathlib import Path

import regex

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from claims.extract import analyse  # noqa: E402
from claims.rules import load_rules  # noqa: E402

REAL = ROOT.parent / "shared" / "corpus-real"
DEFAULT_REF = Path("/tmp/claimcheck-identical.json")
# the blind sets (real2 held out, real4 until its first score; real3 stays hashed as it was): compared as hashes only
DEFAULT_BLIND = [ROOT / "eval" / name / "FILES.txt" for name in ("real2", "real3", "real4", "real5")]
_STAMP = regex.compile(r"stamp (\d{4}-\d\d-\d\d)")


def articles() -> list[tuple[str, Path, str | None]]:
    """(name, path, date) of every article extracted."""
    out = [(f"tests/corpus/{p.name}", p, None) for p in sorted((ROOT / "tests" / "corpus").glob("*.txt"))]
    out += [(str(p.relative_to(ROOT)), p, None) for p in sorted((ROOT / "eval").glob("*/*.txt"))]
    dates: dict[str, str] = {}
    sources = REAL / "SOURCES.tsv"
    if sources.exists():
        for line in sources.read_text(encoding="utf-8").splitlines()[1:]:
            cols = line.split("\t")
            if len(cols) > 2 and (m := _STAMP.search(cols[2])):
                dates[cols[0]] = m.group(1)
    out += [(f"corpus-real/{p.name}", p, dates.get(p.name)) for p in sorted((REAL / "docs").glob("*.txt"))]
    return out


def extraction(path: Path, date: str | None, rules) -> str:
    result = analyse(path.read_text(encoding="utf-8"), date, rules)
    return json.dumps({"claims": [c.model_dump(mode="json") for c in result.claims], "warnings": result.warnings},
                      ensure_ascii=False, indent=0, sort_keys=True)


def run(blind: set[str]) -> dict[str, dict]:
    rules = load_rules()
    out = {}
    for name, path, date in articles():
        text = extraction(path, date, rules)
        digest = hashlib.sha256(text.encode()).hexdigest()
        out[name] = {"sha256": digest} if path.name in blind else {"sha256": digest, "json": text}
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("reference", nargs="?", type=Path, default=DEFAULT_REF)
    ap.add_argument("--save", action="store_true", help="write the reference instead of comparing")
    ap.add_argument("--blind", type=Path, action="append", help="file names never shown (one a line; repeatable)")
    args = ap.parse_args()
    blind = {name for path in (args.blind or DEFAULT_BLIND) if path.exists()
             for name in path.read_text(encoding="utf-8").split()}
    t0 = time.perf_counter()
    now = run(blind)
    took = time.perf_counter() - t0
    if args.save:
        args.reference.write_text(json.dumps(now, ensure_ascii=False), encoding="utf-8")
        print(f"reference: {len(now)} articles -> {args.reference} ({took:.1f} s)")
        return 0
    ref = json.loads(args.reference.read_text(encoding="utf-8"))
    differ = [n for n in sorted(set(ref) | set(now)) if ref.get(n, {}).get("sha256") != now.get(n, {}).get("sha256")]
    for n in differ:
        a, b = ref.get(n, {}).get("json"), now.get(n, {}).get("json")
        if a is None or b is None:
            print(f"DIFFERS {n} (not shown: blind, or only on one side)")
            continue
        print(f"DIFFERS {n}")
        lines = list(difflib.unified_diff(a.splitlines(), b.splitlines(), "reference", "now", n=1, lineterm=""))
        print("\n".join("    " + ln for ln in lines[:40]))
    print(f"{len(now)} articles, {len(differ)} differ from {args.reference} ({took:.1f} s)")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
