"""Keeping a claim file in step with its article: extracting an article into the claim file
beside it, finding the article a claim file was extracted from, and re-extracting a changed
article into its claim file with every decision kept.

`claimcheck extract` does the last on a re-run (claims/batch.py), the review UI when it opens
a claim file whose article changed (tui/session.py); both merge through `merge_extraction`.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from . import audit
from .assemble import build_claim_file, extract_file
from .errors import FileError
from .model import ClaimFile, Document
from .naming import claim_file_for
from .opening import check_article
from .review import Review
from .store import save
from .text import dateline, decode


def extract_beside(article: Path) -> Path:
    """Extract an article into its claim file beside it (refusing to replace one) and return its path."""
    target = claim_file_for(article)
    if target.exists():
        return target
    cf = extract_file(article)
    # The claim file sits beside the article: record the path relative to it, so the pair can move.
    cf = cf.model_copy(update={"document": cf.document.model_copy(update={"path": article.name})})
    save(target, cf)
    return target


@dataclass(frozen=True)
class Article:
    """What was found of a claim file's article: its text (None when unreadable), a problem
    to show (None when all is well), and whether its bytes differ from those extracted."""

    text: str | None
    problem: str | None
    path: Path | None = None
    data: bytes | None = None
    encoding: str | None = None
    changed: bool = False


def read_article(claim_path: Path, cf_doc: Document) -> Article:
    """The article of a claim file, as far as it can be found and read."""
    if cf_doc.path in ("", "-"):
        return Article(None, "the article came from standard input: showing each claim's own text")
    # Found and compared as `claimcheck check` and the exports do (opening.check_article).
    a = check_article(claim_path, ClaimFile(document=cf_doc))
    if a.found is None or a.data is None:
        return Article(None, f"article {cf_doc.path} not found: showing each claim's own text")
    path, data, changed = a.found, a.data, a.changed
    try:
        text, encoding = decode(data, str(path))
    except FileError as e:
        return Article(None, f"article {path} cannot be read ({e}): showing each claim's own text", path, data,
                       None, changed)
    if changed:
        return Article(text, f"article {path} has changed since its claims were extracted; places may be off",
                       path, data, encoding, True)
    return Article(text, None, path, data, encoding)


def fresh_extraction(article: Article, old: Document) -> ClaimFile:
    """A new extraction of a changed article, with the claim file's own document fields kept
    (its relative path, id and url); its date, unless the article now has a dateline of its own."""
    assert article.text is not None and article.data is not None and article.path is not None
    date = None if dateline(article.text) else old.date
    cf, _ = build_claim_file(article.data, article.text, article.encoding or "utf-8", str(article.path), date)
    doc = cf.document.model_copy(update={"path": old.path, "id": old.id, "url": old.url})
    return cf.model_copy(update={"document": doc})


def merge_extraction(review: Review, fresh: ClaimFile) -> list[audit.Change]:
    """Merge a new extraction into the claim file open in `review`: every decision kept, new
    claims pending, vanished claims orphaned, each change logged. FileError, naming the file,
    when it is not ours to change (another editor has it, or it cannot be written)."""
    if review.read_only:
        what = "nothing was changed" if review.unwritable else "not re-extracted"
        raise FileError([f"{review.path}: {review.read_only_reason}; {what}"])
    return review.merge_extraction(fresh)


def catch_up(review: Review, article: Article) -> tuple[str, str]:
    """Re-extract a changed article into the claim file open in `review` (which the caller has
    checked is writable). (what was done, '') when merged; ('', why not) otherwise."""
    name = article.path.name if article.path else review.cf.document.path
    if article.text is None:
        return "", f"{name} cannot be read, so its claims cannot be extracted again."
    try:
        changes = merge_extraction(review, fresh_extraction(article, review.cf.document))
    except FileError as e:
        return "", f"{name} could not be re-extracted: {' '.join(e.problems)}"
    counts = Counter(c.field for c in changes)
    parts = [f"{counts['added']} new", f"{counts['orphaned']} orphaned"]
    parts += [f"{counts[k]} {k}" for k in ("changed", "restored") if counts[k]]
    return f"{name} changed: re-extracted, {', '.join(parts)}.", ""
