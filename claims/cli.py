"""The `claimcheck` command line."""
from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from . import (
    agreement,
    audit,
    audit_report,
    batch,
    claimreview,
    importers,
    naming,
    opening,
    outputs,
    settings,
    status,
    store,
    wording,
)
from .articles import read_article
from .assemble import build_claim_file
from .errors import FileError
from .examples import failures as example_failures
from .extract import parse_ref
from .lock import lock_path, release_all, reviewer_name
from .manual import add_words
from .model import DISMISS_REASONS, ClaimFile, Kind, Status, json_schema
from .review import Review, settle
from .rules import RuleSet, load_rules
from .text import decode
from .yamlio import dump, write_atomic

PROG = "claimcheck"

EXTRACT_HELP = """\
Read Chinese news articles and write every checkable claim (quantities, dates,
attributions, rankings) as a YAML claim file.

  claimcheck extract article.txt                 claims on standard output
  claimcheck extract article.txt -o claims.yaml  claims into a file
  claimcheck extract a.txt b.txt -o out/         one claim file per article
  claimcheck extract articles/ -o out/           every *.txt in a folder
  cat article.txt | claimcheck extract -         read standard input
  claimcheck extract page.html -o out/           a saved web page or a .docx: its
                                                 article's text is saved as out/page.txt

A page's title, date and address are read from its metadata (--date and --url win).

The article's date (for 今年, 6月30日 ...) is read from its dateline; give --date
when it has none. Extracting onto an existing claim file merges: every claim that
is still in the article keeps its id and review, new claims arrive as pending, and
claims whose text left the article are kept and marked orphaned; each change goes
to the audit log beside the claim file.
"""


# Control characters in a message (from a file name, an article, a note) are shown as escapes:
# an escape sequence in a file name must never reach the terminal.
_CONTROLS = {c: f"\\x{c:02x}" for c in (*range(0x20), *range(0x7F, 0xA0))}


def shown(text: str) -> str:
    return text.translate(_CONTROLS)


def _err(msg: str) -> None:
    print(f"{PROG}: {shown(msg)}", file=sys.stderr)


def _say(msg: str) -> None:
    print(shown(msg))


def _articles(paths: list[str]) -> list[str]:
    out: list[str] = []
    for p in paths:
        path = Path(p)
        if p != "-" and path.is_dir():
            found = sorted(f for f in path.rglob("*") if f.is_file() and (
                f.suffix in naming.ARTICLE_SUFFIXES or importers.is_document(f)))
            # A page's saved text (page.txt beside page.html) is that page, not an article of its own.
            pages = {f.with_suffix("") for f in found if importers.is_document(f)}
            found = [f for f in found if importers.is_document(f) or f.with_suffix("") not in pages]
            if not found:
                raise FileError([f"{path}: no articles (*.txt, *.html, *.docx) in this folder"])
            out += map(str, found)
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
    elif importers.is_document(src):
        # Its text is saved beside the page, where `> page.claims.yaml` would put the claim file.
        page = importers.prepare(src, Path(src).parent, naming.claim_file_for(src), args.force, args.date)
        importers.save(page)
        print(shown(f"{src}: article text saved as {page.text_path}"), file=sys.stderr)
        cf, warnings = build_claim_file(page.data, page.text, "utf-8", str(page.text_path), page.date, rules)
        if page.url and not args.url:
            cf = cf.model_copy(update={"document": cf.document.model_copy(update={"url": page.url})})
    else:
        data, text, encoding = read_article(src)
        cf, warnings = build_claim_file(data, text, encoding, src, args.date, rules)
    for w in warnings:
        _err(f"warning: {w}")
    if args.url:
        cf = cf.model_copy(update={"document": cf.document.model_copy(update={"url": args.url})})
    return cf


def cmd_extract(args) -> int:
    if args.date:
        parse_ref(args.date)
    rules = load_rules(tuple(args.rules or ()))
    if args.rules:
        failures = example_failures(rules)
        if failures:
            raise FileError(failures)
    sources = _articles(args.paths)
    many = len(sources) > 1 or any(Path(p).is_dir() for p in args.paths)
    if args.output is None:
        return _extract_to_stdout(sources, args, rules)
    if "-" in sources:
        raise FileError(["-: standard input cannot be combined with -o; redirect standard output instead"])
    options = batch.Options(args.date, tuple(str(Path(d).resolve()) for d in args.rules or ()),
                            reviewer_name(args.reviewer), args.url, args.force)
    out = Path(args.output)
    if many and out.exists() and not out.is_dir():
        raise FileError([f"{out}: is a file; several articles need a folder for -o (one claim file each)"])
    if many and not out.is_dir() and args.output.lower().endswith((".yaml", ".yml")):
        # It would become a folder named like a file, and the claim files would be lost in it.
        _err(f"-o {args.output}: several articles need an output folder, not a file")
        return 2
    if many or args.output.endswith(("/", "\\")) or out.is_dir():
        progress = batch.Progress(len(sources))

        def report(o: batch.Outcome) -> None:
            progress.step(o)
            if o.error:
                progress.clear()
                _err(o.error)

        outcomes = batch.run(sources, out, options, args.jobs, on_outcome=report)
        progress.clear()
    else:
        outcomes = [batch.extract_to(sources[0], str(out), options)]
        if outcomes[0].error:
            _err(outcomes[0].error)
    for o in outcomes:
        if not o.error and (o.note or args.verbose or (o.skipped and not many)):
            state = "unchanged, skipped" if o.skipped else f"{o.claims} claims -> {o.target}"
            print(shown(f"{o.source}: {state}{'; ' + o.note if o.note else ''}"), file=sys.stderr)
    failed = sum(o.error is not None for o in outcomes)
    if not many and not failed and not outcomes[0].skipped and not args.verbose:
        _say(f"{outcomes[0].claims} claims -> {outcomes[0].target}")  # what a first extraction did
    if many:
        done = sum(o.error is None and not o.skipped for o in outcomes)
        skipped = sum(o.skipped for o in outcomes)
        claims = sum(o.claims for o in outcomes)
        print(f"{len(outcomes)} articles: {done} extracted, {skipped} unchanged, {failed} failed; {claims} claims",
              file=sys.stderr)
    return 1 if failed else 0


def _extract_to_stdout(sources: list[str], args, rules: RuleSet) -> int:
    failures = 0
    for src in sources:
        try:
            cf = _extract_one(src, args, rules)
        except FileError as e:
            failures += 1
            for line in e.problems:
                _err(line)
            continue
        if len(sources) > 1:
            sys.stdout.write("---\n")
        sys.stdout.write(store.dumps(cf))
    if len(sources) > 1 and failures:
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
    """Validate claim files, and their offsets against their articles where those are found."""
    failures = 0
    for p in args.paths:
        try:
            notes, found = settle(p)  # the claim file and its log, brought together first
            for line in notes:
                _err(line)
            if not found.ok:
                raise FileError(found.problems or [f"{found.torn}; run `claimcheck audit repair {found.log}`"])
            cf = store.load(p)
            a = opening.check_article(p, cf)  # the same check the exports make
            if a.found is None:
                _say(f"{p}: ok, {len(cf.claims)} claims (article {cf.document.path} not found; offsets not checked)")
                continue
            if a.changed:
                raise FileError([a.problem()])
            art = a.found
            problems = store.article_problems(p, cf, decode(a.data, str(art))[0])
            if problems:
                raise FileError(problems)
            _say(f"{p}: ok, {len(cf.claims)} claims, offsets match {art}")
        except FileError as e:
            failures += 1
            for line in e.problems:
                _err(line)
    return 1 if failures else 0


def _when(text: str) -> datetime:
    try:
        t = datetime.fromisoformat(text)
    except ValueError:
        raise FileError([f"{text!r}: not a time (expected ISO 8601, such as 2023-04-12 or 2023-04-12T09:30)"]) from None
    return t if t.tzinfo else t.replace(tzinfo=UTC)


def _write_out(text: str, out: str | None, command: str, ours: outputs.Sniff, opened: list[opening.Opened],
               force: bool) -> None:
    if out:
        target = outputs.check(out, command, ours=ours, keep=_files_at_hand(opened), force=force)
        write_atomic(target, text)
    else:
        sys.stdout.write(text)


def _files_at_hand(opened: list[opening.Opened]) -> list[Path]:
    """What an export reads and must never write over: claim files, their logs, locks, articles."""
    out: list[Path] = []
    for o in opened:
        out += [o.path, audit.log_path(o.path), lock_path(o.path)]
        found = store.locate_article(o.path, o.cf)
        if found is not None:
            out.append(found[0])
    return out


def _verify_targets(paths: list[str]) -> list[tuple[Path | None, Path]]:
    """(claim file or None, log) for each path: a claim file, a log, or a folder of claim files."""
    out = []
    for p in map(Path, paths):
        if p.is_dir():
            out += [(c, audit.log_path(c)) for c in opening.claim_files([str(p)])]
        elif naming.is_audit_log(p):
            out.append((naming.claim_file_of_log(p), p))
        else:
            out.append((p, audit.log_path(p)))
    return out


def cmd_audit_verify(args) -> int:
    bad = 0
    unreviewed: dict[Path, int] = {}
    for claim_file, log in _verify_targets(args.paths):
        try:
            cf = store.load(claim_file) if claim_file is not None else None
            if not log.exists() and (cf is None or not (cf.audit and cf.audit.events)):
                if cf is not None and not any(c.reviewed_at or c.note or c.evidence for c in cf.claims):
                    unreviewed[claim_file.parent] = unreviewed.get(claim_file.parent, 0) + 1
                    continue
                raise FileError([f"{log}: no audit log (never written, or deleted)"])
            problems = audit.verify(log)
            events = audit.read(log).events if not problems else []
            if args.head and not problems:
                problems = audit.starts_with(log, events, args.head)
            if cf is not None and not problems:
                problems = agreement.full_check(claim_file, cf, events)
                if not problems:
                    notes, _ = settle(claim_file, args.reviewer)
                    for line in notes:
                        _err(line)
            if problems:
                raise FileError(problems)
            since = f", starts with the history of {args.head[:12]}" if args.head else ""
            pair = f"; {claim_file} agrees with it" if claim_file is not None else ""
            _say(f"{log}: ok, {len(events)} events, chain intact{since}{pair}")
        except FileError as e:
            bad += 1
            for line in e.problems:
                _err(line)
    for folder, n in unreviewed.items():
        _say(f"{folder}: {n} claim file{'s' if n != 1 else ''} not reviewed yet (no audit log)")
    return 1 if bad else 0


def cmd_audit_head(args) -> int:
    log = Path(args.path) if naming.is_audit_log(args.path) else naming.log_path(args.path)
    if not log.exists():
        raise FileError([f"{log}: no audit log (never written, or deleted)"])
    t = audit.tail(log)
    if t.torn:
        raise FileError([f"{t.torn}; run `claimcheck audit repair {log}` first"])
    last = t.events[-1].hash if t.events else audit.GENESIS
    _say(f"{last} {t.count}")
    return 0


def _repair_plan(log: Path) -> tuple[str, str]:
    """(what a crash left, what repair does about it, said as done), from the torn end `read`
    names: the success line says what was cut (several whole events of a change left unfinished,
    or part of one event), never only that something was."""
    torn = audit.read(log).torn or ""
    head, _, fix = torn.partition("; `claimcheck audit repair` will ")
    what = head.removeprefix(f"{log}:").partition(": ")[2].removesuffix(" (a crash during an append?)")
    past = {"keep": "kept", "leave": "left", "end": "ended"}
    return what or "a torn end", " ".join(past.get(w, w) for w in fix.split(" ")) or "cut it off"


def cmd_audit_repair(args) -> int:
    log = Path(args.path) if naming.is_audit_log(args.path) else naming.log_path(args.path)
    if not log.exists():  # a mistyped name must not look like a log with nothing to repair
        _err(f"{log}: no audit log (never written, or deleted)")
        return 1
    what, done = _repair_plan(log)
    backup = audit.repair(log)
    if backup is None:
        _say(f"{log}: nothing to repair")
    else:
        _say(f"{log}: repaired ({what}): {done}; the file as it was is kept as {backup}")
    return 0


def cmd_audit_export(args) -> int:
    f = audit_report.Filters(
        since=_when(args.since) if args.since else None,
        until=_when(args.until) if args.until else None,
        reviewer=args.reviewer,
        status=Status(args.status) if args.status else None,
    )
    if args.format is None:  # -o report.csv means a CSV report, not YAML under that name
        suffix = Path(args.output).suffix.lower() if args.output else ""
        args.format = {".csv": "csv", ".md": "markdown", ".markdown": "markdown"}.get(suffix, "yaml")
    if args.history and args.format != "csv":
        raise FileError(["--history is for --format csv (YAML and Markdown always carry each claim's history)"])
    opened = opening.open_all(args.paths)
    # An audit report is a record of decisions, not a publication: it is written all the same,
    # but a file whose article changed or went missing is named.
    for line in opening.stale_articles(opened):
        _err(f"warning: {line}")
    docs = audit_report.audit_records(opened, f, opening.beside(args.paths))
    render = {"yaml": lambda: audit_report.audit_yaml(docs, f), "csv": lambda: audit_report.audit_csv(docs, args.history),
              "markdown": lambda: audit_report.audit_markdown(docs)}[args.format]
    ours = {"yaml": outputs.sniff_prefix(b"filters:"), "csv": outputs.sniff_prefix(b"document,title,claim,kind,"),
            "markdown": outputs.sniff_prefix(audit_report.MARKDOWN_MARK.encode())}[args.format]
    _write_out(render(), args.output, "audit export", ours, opened, args.force)
    return 0


def _open_waiting(path: str, reviewer: str | None, wait: float) -> Review:
    """A Review of `path`, waiting up to `wait` seconds for another editor's lock to go."""
    deadline = time.monotonic() + max(wait, 0)
    while True:
        r = Review(path, reviewer)
        if not (r.locked_by and not r.unwritable) or time.monotonic() >= deadline:
            return r
        r.close()
        time.sleep(0.2)


def cmd_mark(args) -> int:
    try:
        with _open_waiting(args.claims, args.reviewer, args.wait or 0) as r:
            if r.read_only:
                raise FileError([f"{args.claims}: {r.read_only_reason}; not changed"])
            r.claim(args.claim_id)
            for line in r.notices:
                _err(line)
            fields: dict = {"status": Status(args.status)}
            if args.status == Status.dismissed.value:
                fields["reason"] = args.reason.strip() if args.reason and args.reason.strip() else None
            elif r.claim(args.claim_id).reason is not None:
                fields["reason"] = None  # no longer dismissed
            if args.note is not None:
                fields["note"] = args.note
            if args.evidence:
                fields["evidence"] = [*r.claim(args.claim_id).evidence, *args.evidence]
            c = r.update(args.claim_id, **fields)
    except ValueError as e:
        raise FileError([f"{args.claims}: {e}"]) from None
    _say(f"{args.claims}: {c.id} {c.status.value} ({c.kind.value} {c.trigger.text})")
    return 0


def cmd_add(args) -> int:
    with _open_waiting(args.claims, args.reviewer, args.wait or 0) as r:
        if r.read_only:
            raise FileError([f"{args.claims}: {r.read_only_reason}; nothing was added"])
        for line in r.notices:
            _err(line)
        c = add_words(r, args.text, args.kind, args.nth, value=args.value, unit=args.unit,
                             speaker=args.speaker)
    shown_value = f" = {c.value}{' ' + c.unit if c.unit else ''}" if c.value is not None else ""
    who = f" (speaker {c.speaker.name})" if c.speaker else ""
    _say(f"{args.claims}: added {c.id} ({c.kind.value} {c.trigger.text}{shown_value}){who}")
    return 0


def cmd_export(args) -> int:
    if args.format == "html":
        return _export_html(args)
    if not args.org:
        raise FileError(["ClaimReview needs --org: your organisation, the author of the reviews"])
    opened = opening.open_all(args.paths)
    if not args.review_url:
        raise FileError(["ClaimReview needs --review-url: the address where your fact checks are published"])
    ours = outputs.sniff_json_list_of("ClaimReview")
    if args.output:  # a target refused before any statement is judged or edited
        outputs.check(args.output, "export", ours=ours, keep=_files_at_hand(opened), force=args.force)
    if args.edit:
        opened = _edit_wordings(args, opened)
    reviews = claimreview.claim_reviews(opened, args.org, args.review_url, args.article_url)
    if not reviews:
        _err(claimreview.nothing_to_publish(opened))
        return 1
    for line in claimreview.unknown_urls(opened, args.article_url):
        _err(f"warning: {line}")
    _write_out(claimreview.claim_review_json(reviews), args.output, "export", ours, opened, args.force)
    if args.output:
        print(shown(f"{len(reviews)} ClaimReview records -> {args.output}"), file=sys.stderr)
    return 0


def _edit_wordings(args, opened: list[opening.Opened]) -> list[opening.Opened]:
    """`export --edit`: the statements' published wordings set in $EDITOR, kept on their lead
    claims through a Review (locked, logged); the claim files opened again if any changed."""
    statements = claimreview.publishable(opened)  # conflicts are refused before the editor opens
    if not statements:
        return opened
    edited = wording.edit(statements)
    todo = wording.changes(statements, edited)
    for st, text in todo:
        with Review(st.opened.path, args.reviewer) as r:
            if r.read_only:
                raise FileError([f"{st.opened.path}: {r.read_only_reason}; its wording was not saved"])
            r.update(st.lead.id, wording=text)
    for st, text in todo:
        if text and len(text) > claimreview.MAX_CLAIM_REVIEWED:
            _err(f"warning: {st.key}: the wording is {len(text)} characters long; Google shows "
                 f"claimReviewed in full only up to {claimreview.MAX_CLAIM_REVIEWED}")
    print(shown(f"{len(todo)} wording{'s' if len(todo) != 1 else ''} changed"), file=sys.stderr)
    return opening.open_all(args.paths) if todo else opened


def cmd_status(args) -> int:
    rows, read = status.articles(args.paths)
    wanted = {s for s, on in ((Status.pending, args.pending), (Status.disputed, args.disputed)) if on}
    if wanted:
        items = status.open_claims(read, wanted)
        out = {"text": status.open_text, "csv": status.open_csv, "json": status.open_json}[args.format](items)
    else:
        out = {"text": status.article_text, "csv": status.article_csv, "json": status.article_json}[args.format](rows)
    sys.stdout.write("".join(shown(line) + "\n" for line in out.splitlines()) if args.format == "text" else out)
    for r in rows:
        if r.problem:
            _err(r.problem)
    return 1 if any(r.problem for r in rows) else 0


def cmd_config(args) -> int:
    found = settings.resolve({k: getattr(args, a) for k, a in settings.ARGS.items()})
    for line in settings.report(found, settings.files()):
        _say(line)
    return 0


def _export_html(args) -> int:
    """`export --format html`: the articles with their claims highlighted, as one page."""
    from . import html_export  # only this export needs it

    if args.edit:
        raise FileError(["--edit is for --format claimreview (it sets the published wording)"])
    opened = opening.open_all(args.paths)
    ours = outputs.sniff_prefix(html_export.HTML_MARK.encode())
    if args.output:  # refused before anything is drawn
        outputs.check(args.output, "export", ours=ours, keep=_files_at_hand(opened), force=args.force)
    text = html_export.page(opened)
    _write_out(text, args.output, "export", ours, opened, args.force)
    if args.output:
        n = sum(len(o.cf.claims) for o in opened)
        print(shown(f"{len(opened)} article{'s' if len(opened) != 1 else ''}, {n} claims -> {args.output}"),
              file=sys.stderr)
    return 0


def cmd_serve(args) -> int:
    """The review UI in a web browser (textual-serve, an optional extra): each browser tab
    runs `claimcheck review PATH --reviewer NAME` on this machine."""
    from . import serve  # textual-serve is imported there, when it is installed

    plan = serve.plan(args.path, args.reviewer, args.host, args.port, args.public_url)
    for line in plan.warnings:
        _err(f"warning: {line}")
    serve.run(plan)
    return 0


def cmd_review(args) -> int:
    """Start the review UI (Textual is imported only here: the core never needs it)."""
    from tui.app import make_app

    def hang_up(signum, frame) -> None:
        # The terminal is gone (an SSH drop, a closed window): nobody can quit the UI, so its
        # locks are released here, or the file would stay locked to the desk. Every change is
        # already saved; a save cut short is rolled forward from the log on the next opening.
        release_all()
        os._exit(128 + signum)

    for sig in (signal.SIGHUP, signal.SIGTERM):
        signal.signal(sig, hang_up)
    make_app(args.path, reviewer=args.reviewer).run()
    return 0


# `claimcheck --help` lists these first, in this order (the rest follow as they were added).
MAIN_COMMANDS = ("extract", "review", "mark", "add", "export", "audit")
# Every subcommand's example, shown under its own --help (by its name after `claimcheck`).
EXAMPLES = {
    # extract: EXTRACT_HELP holds its examples
    "review": "claimcheck review article.txt\nclaimcheck review newsroom/ --reviewer 王芳",
    "mark": "claimcheck mark article.claims.yaml q1a2b3c4d5e verified --evidence https://stats.example.cn/2024\n"
            "claimcheck mark article.claims.yaml r1a2b3c4d5e dismissed --reason opinion",
    "add": "claimcheck add article.claims.yaml --text 超100万 --kind quantity\n"
           "claimcheck add article.claims.yaml --text 4月11日 --kind date --nth 2",
    "export": "claimcheck export claims/ --org 'Example Check' --review-url https://check.example.cn/r -o reviews.json\n"
              "claimcheck export article.claims.yaml --format html -o article.html",
    "audit": "claimcheck audit verify article.claims.yaml\nclaimcheck audit export claims/ --format csv -o audit.csv",
    "audit verify": "claimcheck audit verify claims/",
    "audit head": "claimcheck audit head article.claims.yaml",
    "audit repair": "claimcheck audit repair article.audit.yaml",
    "audit export": "claimcheck audit export claims/ --since 2024-03-01 --format markdown -o march.md",
    "check": "claimcheck check article.claims.yaml",
    "schema": "claimcheck schema --yaml > claims.schema.yaml",
    "serve": "claimcheck serve newsroom/ --reviewer 王芳",
    "status": "claimcheck status newsroom/\nclaimcheck status newsroom/ --disputed --format csv > disputed.csv",
    "config": "claimcheck config\nclaimcheck config --reviewer 王芳",
}


def _version() -> str:
    try:
        return metadata.version("claimcheck")
    except metadata.PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown (not installed)"


class _Version(argparse.Action):
    """--version, looked up only when asked: reading the installed metadata imports modules a
    command run under another user (or in a sandbox) may not be allowed to read."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, **kwargs):
        super().__init__(option_strings, dest=dest, default=argparse.SUPPRESS, nargs=0,
                         help="print claimcheck's version and exit")

    def __call__(self, parser, namespace, values, option_string=None):
        print(f"{PROG} {_version()}")
        parser.exit()


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser that, before it parses or prints help, puts the main subcommands first
    and gives every subcommand a description and an example (from MAIN_COMMANDS and EXAMPLES),
    so that a subcommand added anywhere in build_parser gets them too."""

    _finished = False

    def parse_known_args(self, args=None, namespace=None):
        self.finish()
        return super().parse_known_args(args, namespace)

    def format_help(self) -> str:
        self.finish()
        return super().format_help()

    def finish(self) -> None:
        if self._finished:
            return
        self._finished = True
        for action in self._subparsers._group_actions if self._subparsers else ():
            listed = action._choices_actions  # the order `--help` lists them in
            listed.sort(key=lambda a: MAIN_COMMANDS.index(a.dest) if a.dest in MAIN_COMMANDS else len(MAIN_COMMANDS))
            helps = {a.dest: a.help for a in listed}
            for name, parser in action.choices.items():
                if parser.description is None:
                    said = (helps.get(name) or "").rstrip(".")
                    parser.description = said[:1].upper() + said[1:] + "."
                key = parser.prog.removeprefix(PROG).strip()
                if key in EXAMPLES and not parser.epilog:
                    parser.epilog = "example:\n" + "\n".join(f"  {line}" for line in EXAMPLES[key].splitlines())
                    if parser.formatter_class is argparse.HelpFormatter:
                        parser.formatter_class = argparse.RawDescriptionHelpFormatter
                if isinstance(parser, _Parser):
                    parser.finish()


def build_parser() -> argparse.ArgumentParser:
    ap = _Parser(
        prog=PROG,
        description="Find the checkable claims in Chinese news articles and review them.",
    )
    ap.add_argument("--version", action=_Version)
    sub = ap.add_subparsers(dest="command", metavar="COMMAND", required=True)

    ex = sub.add_parser(
        "extract", help="extract claims from articles into claim files",
        description=EXTRACT_HELP, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ex.add_argument("paths", nargs="+", metavar="PATH", help="article file(s), a folder of articles, or - for standard input")
    ex.add_argument("-o", "--output", metavar="OUT", help="claim file to write (a folder when there are several articles); default: standard output")
    ex.add_argument("--date", metavar="YYYY-MM-DD", help="the article's date, when its dateline does not give it")
    ex.add_argument("--url", help="where the article was published (recorded, and used by ClaimReview exports)")
    ex.add_argument("--rules", metavar="DIR", action="append", help="a folder of extra rule packs (*.yaml); may be repeated")
    ex.add_argument("--reviewer", metavar="NAME", help="who ran it, for the audit log of a re-extraction (default: $CLAIMCHECK_REVIEWER or your login)")
    ex.add_argument("-j", "--jobs", type=int, metavar="N", help="processes for a folder of articles (default: jobs in claimcheck.toml, else all cores)")
    ex.add_argument("-v", "--verbose", action="store_true", help="say what was written")
    ex.add_argument("--force", action="store_true", help="replace an existing -o file that is not a claim file "
                    "(never an article, audit log or lock)")
    ex.set_defaults(func=cmd_extract, settings=("reviewer", "rules", "jobs"))

    sc = sub.add_parser("schema", help="print the JSON Schema of claim files")
    sc.add_argument("--yaml", action="store_true", help="print it as YAML instead of JSON")
    sc.set_defaults(func=cmd_schema)

    ck = sub.add_parser("check", help="validate claim files and report every problem with its place")
    ck.add_argument("paths", nargs="+", metavar="CLAIMS.yaml")
    ck.set_defaults(func=cmd_check)

    mk = sub.add_parser("mark", help="set a claim's status (and note, evidence) from a script; logged like the UI")
    mk.add_argument("claims", metavar="CLAIMS.yaml")
    mk.add_argument("claim_id", metavar="CLAIM_ID")
    mk.add_argument("status", choices=[s.value for s in Status])
    mk.add_argument("--note", help="replace the claim's note")
    mk.add_argument("--reason", help="why it is dismissed (with `dismissed`): "
                    f"{', '.join(DISMISS_REASONS)}, or your own words")
    mk.add_argument("--evidence", action="append", metavar="LINK", help="add a link or source; may be repeated")
    mk.add_argument("--reviewer", metavar="NAME", help="default: $CLAIMCHECK_REVIEWER, else your login name")
    mk.add_argument("--wait", type=float, metavar="SECONDS", help="wait this long for another editor to close the "
                    "file, instead of refusing at once")
    mk.set_defaults(func=cmd_mark, settings=("reviewer",))

    ad = sub.add_parser(
        "add", help="add a claim the extractor missed, by its words in the article; logged like the UI",
        description="Add a claim the extractor missed: give its words as the article writes them and its kind. "
        "The value, unit and speaker are proposed by the normalizers unless given. The claim records who added "
        "it and its rule is `manual`; re-extraction keeps it while its words are in the article.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    ad.add_argument("claims", metavar="CLAIMS.yaml")
    ad.add_argument("--text", required=True, help="the claim's words, exactly as in the article")
    ad.add_argument("--kind", required=True, choices=[k.value for k in Kind])
    ad.add_argument("--nth", type=int, default=1, metavar="N", help="which occurrence of the words (default: the first)")
    ad.add_argument("--value", help="the value, instead of the one proposed (a number, or a date as 2023-06-30)")
    ad.add_argument("--unit", help="the unit, instead of the one proposed")
    ad.add_argument("--speaker", metavar="NAME", help="who says it, instead of the speaker proposed")
    ad.add_argument("--reviewer", metavar="NAME", help="default: $CLAIMCHECK_REVIEWER, else your login name")
    ad.add_argument("--wait", type=float, metavar="SECONDS", help="wait this long for another editor to close the "
                    "file, instead of refusing at once")
    ad.set_defaults(func=cmd_add, settings=("reviewer",))

    au = sub.add_parser("audit", help="check and export audit logs")
    ausub = au.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    av = ausub.add_parser("verify", help="check the hash chain of audit logs; name every edited, removed or reordered event")
    av.add_argument("paths", nargs="+", metavar="FILE", help="a claim file, its .audit.yaml, or a folder of claim files")
    av.add_argument("--head", metavar="HASH", help="also check that the log still starts with the history this "
                    "head hash named (printed by `claimcheck audit head`, carried by exports)")
    av.add_argument("--reviewer", metavar="NAME", help="name for changes rolled forward (default: $CLAIMCHECK_REVIEWER, else your login name)")
    av.set_defaults(func=cmd_audit_verify, settings=("reviewer",))
    ah = ausub.add_parser("head", help="print the audit log's head hash and event count, to anchor its history elsewhere")
    ah.add_argument("path", metavar="FILE", help="a claim file or its .audit.yaml")
    ah.set_defaults(func=cmd_audit_head)
    ar = ausub.add_parser("repair", help="cut off the torn end a crash left, keeping every whole event (the log as it was is kept as a copy)")
    ar.add_argument("path", metavar="FILE")
    ar.set_defaults(func=cmd_audit_repair)
    ae = ausub.add_parser("export", help="one audit report for claim files or folders: status, value and history per claim")
    ae.add_argument("paths", nargs="+", metavar="PATH", help="claim files, or folders of *.claims.yaml")
    ae.add_argument("-o", "--output", metavar="OUT")
    ae.add_argument("--since", metavar="TIME", help="only changes at or after this time (ISO 8601, UTC unless given)")
    ae.add_argument("--until", metavar="TIME", help="only changes at or before this time")
    ae.add_argument("--reviewer", metavar="NAME", help="only changes by this reviewer")
    ae.add_argument("--status", choices=[s.value for s in Status], help="only claims with this status now")
    ae.add_argument("--format", choices=["yaml", "csv", "markdown"],
                    help="default: from -o's suffix (.csv, .md), else yaml")
    ae.add_argument("--history", action="store_true", help="CSV: one row per change to a claim, instead of one per claim")
    ae.add_argument("--force", action="store_true", help="replace an existing -o file that is not an earlier report "
                    "(never an article, claim file, audit log or lock)")
    ae.set_defaults(func=cmd_audit_export)

    xp = sub.add_parser("export", help="publish verified and disputed claims as schema.org ClaimReview JSON-LD, "
                        "or draw an article with its claims as an HTML page (--format html)")
    xp.add_argument("paths", nargs="+", metavar="PATH", help="claim files, or folders of *.claims.yaml")
    xp.add_argument("--format", choices=["claimreview", "html"], default="claimreview",
                    help="claimreview: JSON-LD to publish (the default); html: one self-contained page, the "
                    "article with every claim highlighted by status and a summary table, printable")
    xp.add_argument("--org", help="your organisation, the author of the reviews (ClaimReview: required)")
    xp.add_argument("--review-url", metavar="URL", help="the page where the fact checks are published")
    xp.add_argument("--article-url", metavar="URL", help="the reviewed article's address (default: the one given at extraction)")
    xp.add_argument("--edit", action="store_true", help="set the published wording (claimReviewed) of each "
                    "statement in $EDITOR first; kept in the claim files and logged")
    xp.add_argument("--reviewer", metavar="NAME", help="who changed a wording, for the audit log "
                    "(default: $CLAIMCHECK_REVIEWER, else your login name)")
    xp.add_argument("-o", "--output", metavar="OUT")
    xp.add_argument("--force", action="store_true", help="replace an existing -o file that is not an earlier export "
                    "(never an article, claim file, audit log or lock)")
    xp.set_defaults(func=cmd_export, settings=("reviewer", "organisation", "review_url"))

    rv = sub.add_parser(
        "review", help="review claims in a terminal UI: verified, disputed, pending",
        description="Review an article's claims with the keyboard (? shows the keys). Every change is saved "
        "at once and logged in the audit file beside the claim file.",
    )
    rv.add_argument("path", metavar="PATH", help="an article (its claim file beside it is created if missing), "
                    "a claim file (*.yaml), or a folder of both")
    rv.add_argument("--reviewer", metavar="NAME", help="name recorded with each change "
                    "(default: $CLAIMCHECK_REVIEWER, else your login name)")
    rv.set_defaults(func=cmd_review, settings=("reviewer",))

    sv = sub.add_parser(
        "serve", help="review claims in a web browser (needs the serve extra: pip install 'claimcheck[serve]')",
        description="Serve the review UI to a web browser: every tab that opens the address runs the review "
        "of PATH as NAME, saved and logged as in the terminal. Bound to 127.0.0.1 (this machine only) "
        "unless --host is given; there is no password, so anyone who can reach the address reviews as NAME.",
    )
    sv.add_argument("path", metavar="PATH", help="a folder of articles and claim files, a claim file, or an article")
    sv.add_argument("--reviewer", metavar="NAME", required=True, help="the name recorded with each change "
                    "(required: the person at the browser is not this machine's login)")
    sv.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1; "
                    "0.0.0.0 for every network interface)")
    sv.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    sv.add_argument("--public-url", metavar="URL", help="the address browsers use, when it is not http://HOST:PORT "
                    "(behind a proxy, or with --host 0.0.0.0)")
    sv.set_defaults(func=cmd_serve)

    stp = sub.add_parser("status", help="the desk at a glance: one line per article (pending, verified, disputed, "
                         "dismissed, orphaned; who last worked on it, when) and a total")
    stp.add_argument("paths", nargs="+", metavar="PATH", help="folders of claim files, or claim files")
    stp.add_argument("--format", choices=["text", "csv", "json"], default="text")
    stp.add_argument("--pending", action="store_true", help="list the pending claims of all the articles instead "
                     "(file, claim, trigger, value, speaker)")
    stp.add_argument("--disputed", action="store_true", help="list the disputed claims instead (with --pending: both)")
    stp.set_defaults(func=cmd_status)

    cg = sub.add_parser("config", help=f"print the settings in force ({settings.FILE_NAME}) and where each came from",
                        description=settings.__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    for flag, dest in (("--reviewer", "reviewer"), ("--org", "org"), ("--review-url", "review_url"),
                       ("--jobs", "jobs")):  # to see what a command given these would use
        cg.add_argument(flag, dest=dest, type=int if dest == "jobs" else str, help=argparse.SUPPRESS)
    cg.add_argument("--rules", action="append", help=argparse.SUPPRESS)
    cg.set_defaults(func=cmd_config)
    return ap


def _flush_stdout() -> None:
    """Standard output written to the end: a full disk or a closed pipe is a one-line error."""
    try:
        sys.stdout.flush()
    except OSError as e:
        # Nothing more can reach it; the interpreter must not try again at exit.
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        raise FileError([f"standard output: cannot write ({e.strerror or e})"]) from None


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings.apply(args)  # flags win; claimcheck.toml fills in the rest
        code = args.func(args)
        _flush_stdout()
        return code
    except FileError as e:
        for line in e.problems:
            _err(line)
        return 1
    except KeyboardInterrupt:
        _err("interrupted")
        return 130
    except BrokenPipeError:
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        return 0
    except OSError as e:
        if getattr(e, "filename", None) is None:  # a write to standard output, not to a named file
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115
            _err(f"standard output: cannot write ({e.strerror or e})")
            return 1
        if os.environ.get("CLAIMCHECK_DEBUG"):
            raise
        _err(f"{e.filename}: {e.strerror or e}")
        return 1
    except Exception as e:  # a bug of ours: one line for the user, the trace on request
        if os.environ.get("CLAIMCHECK_DEBUG"):
            raise
        _err(f"internal error: {type(e).__name__}: {e} (set CLAIMCHECK_DEBUG=1 for the traceback, and please report it)")
        return 2


if __name__ == "__main__":
    sys.exit(main())
