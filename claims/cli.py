"""The `claimcheck` command line."""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from . import audit, store
from .extract import build_claim_file, parse_ref, read_article
from .lock import FileLock, Locked, reviewer_name
from .merge import merge
from .model import ClaimFile, json_schema
from .rules import RuleSet, load_rules
from .text import decode
from .yamlio import FileError, dump

PROG = "claimcheck"
ARTICLE_SUFFIXES = (".txt", ".text", ".md")

EXTRACT_HELP = """\
Read Chinese news articles and write every checkable claim (quantities, dates,
attributions, rankings) as a YAML claim file.

  claimcheck extract article.txt                 claims on standard output
  claimcheck extract article.txt -o claims.yaml  claims into a file
  claimcheck extract a.txt b.txt -o out/         one claim file per article
  claimcheck extract articles/ -o out/           every *.txt in a folder
  cat article.txt | claimcheck extract -         read standard input

The article's date (for 今年, 6月30日 ...) is read from its dateline; give --date
when it has none. Extracting onto an existing claim file merges: every claim that
is still in the article keeps its id and review, new claims arrive as pending, and
claims whose text left the article are kept and marked orphaned; each change goes
to the audit log beside the claim file.
"""


def _err(msg: str) -> None:
    print(f"{PROG}: {msg}", file=sys.stderr)


def _articles(paths: list[str]) -> list[str]:
    out: list[str] = []
    for p in paths:
        path = Path(p)
        if p != "-" and path.is_dir():
            found = sorted(str(f) for f in path.rglob("*") if f.suffix in ARTICLE_SUFFIXES and f.is_file())
            if not found:
                raise FileError([f"{path}: no articles (*.txt) in this folder"])
            out += found
        else:
            out.append(p)
    return out


def _extract_one(src: str, args, rules: RuleSet) -> ClaimFile:
    if src == "-":
        data = sys.stdin.buffer.read()
        if not data.strip():
            raise FileError(["-: the article on standard input is empty"])
        text, encoding = decode(data, "<stdin>")
        cf, warnings = build_claim_file(data, text, encoding, "-", args.date, rules)
    else:
        data, text, encoding = read_article(src)
        cf, warnings = build_claim_file(data, text, encoding, src, args.date, rules)
    for w in warnings:
        _err(f"warning: {w}")
    return cf


def _target(src: str, cf: ClaimFile, out: str | None, many: bool) -> Path | None:
    if out is None:
        return None
    if many or out.endswith(("/", "\\")) or Path(out).is_dir():
        Path(out).mkdir(parents=True, exist_ok=True)
        return Path(out) / f"{cf.document.id}.claims.yaml"
    return Path(out)


def _merge_note(changes) -> str:
    counts = Counter(c.field for c in changes)
    parts = [f"{counts[k]} {k}" for k in ("added", "changed", "orphaned", "restored") if counts[k]]
    return f" (merged: {', '.join(parts)})" if parts else " (merged: no change)"


def cmd_extract(args) -> int:
    if args.date:
        parse_ref(args.date)
    rules = load_rules(tuple(args.rules or ()))
    sources = _articles(args.paths)
    many = len(sources) > 1
    failures = 0
    for src in sources:
        try:
            cf = _extract_one(src, args, rules)
            target = _target(src, cf, args.output, many)
            if target is None:
                if many:
                    sys.stdout.write("---\n")
                sys.stdout.write(store.dumps(cf))
                continue
            note = ""
            if target.exists():
                # Re-extraction: merge, so that no decision is lost; log what changed.
                try:
                    with FileLock(target):
                        cf, changes = merge(store.load(target), cf)
                        audit.append(audit.log_path(target), changes, reviewer_name(args.reviewer))
                        store.save(target, cf)
                except Locked as e:
                    raise FileError([f"{target}: being reviewed by {e.by}; not re-extracted"]) from None
                note = _merge_note(changes)
            else:
                store.save(target, cf)
            if many or args.verbose or note:
                print(f"{src}: {len(cf.claims)} claims -> {target}{note}", file=sys.stderr)
        except FileError as e:
            failures += 1
            for line in e.problems:
                _err(line)
    if many and failures:
        _err(f"{failures} of {len(sources)} articles failed")
    return 1 if failures else 0


def cmd_schema(args) -> int:
    schema = json_schema()
    if args.yaml:
        sys.stdout.write(dump(schema))
    else:
        print(json.dumps(schema, ensure_ascii=False, indent=2))
    return 0


def cmd_check(args) -> int:
    """Validate claim files."""
    failures = 0
    for p in args.paths:
        try:
            cf = store.load(p)
            print(f"{p}: ok, {len(cf.claims)} claims")
        except FileError as e:
            failures += 1
            for line in e.problems:
                _err(line)
    return 1 if failures else 0


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog=PROG,
        description="Find the checkable claims in Chinese news articles and review them.",
    )
    sub = ap.add_subparsers(dest="command", metavar="COMMAND", required=True)

    ex = sub.add_parser(
        "extract", help="extract claims from articles into claim files",
        description=EXTRACT_HELP, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ex.add_argument("paths", nargs="+", metavar="PATH", help="article file(s), a folder of articles, or - for standard input")
    ex.add_argument("-o", "--output", metavar="OUT", help="claim file to write (a folder when there are several articles); default: standard output")
    ex.add_argument("--date", metavar="YYYY-MM-DD", help="the article's date, when its dateline does not give it")
    ex.add_argument("--rules", metavar="DIR", action="append", help="a folder of extra rule packs (*.yaml); may be repeated")
    ex.add_argument("--reviewer", metavar="NAME", help="who ran it, for the audit log of a re-extraction (default: $CLAIMCHECK_REVIEWER or your login)")
    ex.add_argument("-v", "--verbose", action="store_true", help="say what was written")
    ex.set_defaults(func=cmd_extract)

    sc = sub.add_parser("schema", help="print the JSON Schema of claim files")
    sc.add_argument("--yaml", action="store_true", help="print it as YAML instead of JSON")
    sc.set_defaults(func=cmd_schema)

    ck = sub.add_parser("check", help="validate claim files and report every problem with its place")
    ck.add_argument("paths", nargs="+", metavar="CLAIMS.yaml")
    ck.set_defaults(func=cmd_check)
    return ap


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except FileError as e:
        for line in e.problems:
            _err(line)
        return 1
    except KeyboardInterrupt:
        _err("interrupted")
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
