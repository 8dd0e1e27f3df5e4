"""Extracting a folder of articles on several processes.

Each article is one job: decode, extract, merge into its existing claim file (keeping every
decision), save. A job that fails is reported and the batch goes on. An article whose bytes
and rules are unchanged since its claim file was written is skipped.
"""
from __future__ import annotations

import hashlib
import os
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from . import agreement, audit, importers, naming, outputs, store
from .articles import read_article
from .assemble import build_claim_file
from .errors import FileError
from .reextract import merge_extraction
from .review import ReadOnly, Review, settle_behind
from .rules import load_rules


@dataclass(frozen=True)
class Options:
    """Everything a job needs, picklable so that it can cross to a worker process."""

    date: str | None = None
    rules_dirs: tuple[str, ...] = ()
    reviewer: str = "claimcheck"
    url: str | None = None
    force: bool = False  # -o may replace an existing file that is not a claim file


@dataclass(frozen=True)
class Outcome:
    source: str
    target: str
    claims: int = 0
    skipped: bool = False
    error: str | None = None
    note: str = ""


def merge_note(changes) -> str:
    counts = Counter(c.field for c in changes)
    parts = [f"{counts[k]} {k}" for k in ("added", "changed", "orphaned", "restored") if counts[k]]
    return f"merged: {', '.join(parts)}" if parts else "merged: no change"


def target_for(source: Path, out_dir: Path) -> Path:
    return naming.claim_file_in(out_dir, source)


def extract_to(source: str, target: str, options: Options) -> Outcome:
    """Extract one article into its claim file, merging with what is there. Never raises."""
    try:
        page = None
        if importers.is_document(source):  # a saved page or Word file: its text goes beside the claim file
            tpath = Path(target)
            page = importers.prepare(source, tpath.parent, tpath, options.force, options.date)
            data, text, encoding = page.data, page.text, "utf-8"
        else:
            data, text, encoding = read_article(source)
        rules = load_rules(options.rules_dirs)
        keep = [Path(source)] + ([page.text_path] if page else [])
        tpath = outputs.check(target, "extract", ours=outputs.never, keep=keep, force=options.force,
                              claim_files_ok=True)
        digest = hashlib.sha256(data).hexdigest()
        # Anything else there was refused, or is replaced whole (--force): only a claim file is merged into.
        merging = tpath.exists() and outputs.holds_claim_file(tpath)
        if merging:
            old = store.load(tpath)
            if old.document.sha256 == digest and old.document.rules == rules.digest and \
                    (page is None or page.text_path.exists()):
                # Not re-extracted, but what a save cut short left in the log is rolled forward.
                notes = settle_behind(tpath, old, options.reviewer)
                return Outcome(source, target, len(old.claims), skipped=True, note="; ".join(notes))
        article = str(page.text_path) if page else source
        cf, warnings = build_claim_file(data, text, encoding, article, page.date if page else options.date, rules)
        url = options.url or (page and page.url)
        if url:
            cf = cf.model_copy(update={"document": cf.document.model_copy(update={"url": url})})
        notes = [f"warning: {w}" for w in warnings]
        if merging:
            try:
                with Review(tpath, options.reviewer) as r:
                    if r.read_only:
                        what = "nothing was changed" if r.unwritable else "not re-extracted"
                        raise FileError([f"{tpath}: {r.read_only_reason}; {what}"])
                    notes[:0] = r.notices
                    if page:  # only now that the claim file is ours to change
                        importers.save(page)
                    changes = merge_extraction(r, cf)
                    cf = r.cf
            except ReadOnly as e:
                raise FileError(e.problems) from None
            notes.insert(0, merge_note(changes))
        else:
            if not audit.log_path(tpath).exists():  # a log there already is compared on opening
                cf = agreement.with_head(cf, 0, audit.GENESIS)
            if page:
                importers.save(page)
            store.save(tpath, cf)
        return Outcome(source, target, len(cf.claims), note="; ".join(notes))
    except FileError as e:
        return Outcome(source, target, error="; ".join(e.problems))
    except Exception as e:  # one bad article never ends the batch
        return Outcome(source, target, error=f"{source}: internal error: {type(e).__name__}: {e}")


CHUNK = 8  # articles per task sent to a worker process


def _extract_many(pairs: list[tuple[str, str]], options: Options) -> list[Outcome]:
    return [extract_to(s, t, options) for s, t in pairs]


class Progress:
    """A one-line progress bar on a terminal; silent otherwise."""

    def __init__(self, total: int, stream=sys.stderr):
        self.total, self.stream = total, stream
        self.live = stream.isatty()
        self.done = self.claims = self.failed = 0
        self.started = time.monotonic()

    def step(self, o: Outcome) -> None:
        self.done += 1
        self.claims += o.claims
        self.failed += o.error is not None
        if not self.live:
            return
        width = 30
        filled = int(width * self.done / max(self.total, 1))
        rate = self.done / max(time.monotonic() - self.started, 1e-9)
        self.stream.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} articles, "
            f"{self.claims} claims, {self.failed} failed, {rate:.0f}/s "
        )
        self.stream.flush()

    def clear(self) -> None:
        if self.live:
            self.stream.write("\r" + " " * 100 + "\r")
            self.stream.flush()


def run(sources: list[str], out_dir: Path, options: Options, jobs: int | None = None,
        on_outcome=None) -> list[Outcome]:
    """Extract every source into out_dir on `jobs` processes (default: all cores).

    Outcomes come back in the order of `sources`; `on_outcome` sees each as it finishes.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    jobs = max(1, jobs or os.cpu_count() or 1)
    targets = [str(target_for(Path(s), out_dir)) for s in sources]
    dupes = _same_target(sources, targets)
    results: dict[int, Outcome] = {}
    if jobs == 1 or len(sources) == 1:
        for i, (s, t) in enumerate(zip(sources, targets)):
            results[i] = dupes.get(i) or extract_to(s, t, options)
            if on_outcome:
                on_outcome(results[i])
    else:
        todo = [i for i in range(len(sources)) if i not in dupes]
        # An article takes a few milliseconds: send them in small batches, so that handing work
        # to a process costs less than the work, yet the progress bar still moves smoothly.
        size = max(1, min(CHUNK, len(todo) // (jobs * 4)))
        chunks = [todo[k : k + size] for k in range(0, len(todo), size)]
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = {
                pool.submit(_extract_many, [(sources[i], targets[i]) for i in chunk], options): chunk
                for chunk in chunks
            }
            for i, o in dupes.items():
                results[i] = o
                if on_outcome:
                    on_outcome(o)
            for f in as_completed(futures):
                for i, o in zip(futures[f], f.result()):
                    results[i] = o
                    if on_outcome:
                        on_outcome(o)
    return [results[i] for i in range(len(sources))]


def _same_target(sources: list[str], targets: list[str]) -> dict[int, Outcome]:
    # Two articles named alike in different folders would write one claim file: refuse the later.
    first: dict[str, str] = {}
    out = {}
    for i, (s, t) in enumerate(zip(sources, targets)):
        if t in first:
            out[i] = Outcome(s, t, error=f"{s}: has the same name as {first[t]}; both would write {t}")
        else:
            first[t] = s
    return out
