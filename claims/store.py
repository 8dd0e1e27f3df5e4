"""Claim files on disk: strict loading with `file:line:col` errors, atomic saving."""
from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from . import yamlio
from .model import ClaimFile
from .yamlio import FileError


def _loc(err: dict) -> tuple:
    # A duplicate id is found by the list's validator; it is written at the second claim's `id:`.
    if err["type"] == "duplicate_id":
        return (*err["loc"], err["ctx"]["index"], "id")
    return err["loc"]


def _describe(err: dict) -> str:
    loc = _loc(err)
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")
    msg = err["msg"].removeprefix("Value error, ")
    return f"{where}: {msg}" if where else msg


def validation_problems(doc: yamlio.Document, error: ValidationError) -> list[str]:
    """Every pydantic error as `file:line:col: field: message`."""
    return [f"{doc.where(_loc(e))}: {_describe(e)}" for e in error.errors(include_url=False)]


def loads(text: str, path: Path | str = "<claims>") -> ClaimFile:
    """Parse and validate a claim file's text; raise FileError listing every problem."""
    doc = yamlio.parse(text, path)
    if not isinstance(doc.data, dict):
        raise FileError([f"{path}: not a claim file (expected a mapping with schema, document and claims)"])
    try:
        return ClaimFile.model_validate(doc.data)
    except ValidationError as e:
        raise FileError(validation_problems(doc, e)) from None


def load(path: Path | str) -> ClaimFile:
    """Load a claim file; nothing is returned unless the whole file is valid."""
    path = Path(path)
    return loads(yamlio.read_text(path), path)


_INLINE = ("span", "trigger", "speaker")


def dumps(cf: ClaimFile) -> str:
    """The claim file as YAML: fields in the model's order, unset (null) fields left out."""
    data = cf.model_dump(mode="json", by_alias=True, exclude_none=True)
    for claim in data["claims"]:
        for key in _INLINE:
            if key in claim:
                claim[key] = yamlio.Flow(claim[key])
    return yamlio.emit(data)


def save(path: Path | str, cf: ClaimFile) -> None:
    """Write atomically: a crash leaves the old file or the new one, never a mix."""
    yamlio.write_atomic(Path(path), dumps(cf))


def locate_article(claim_file: Path | str, cf: ClaimFile) -> tuple[Path, bytes] | None:
    """The article a claim file was extracted from: at its recorded path, or beside the claim file."""
    recorded = Path(cf.document.path)
    folder = Path(claim_file).parent
    for candidate in (recorded, folder / recorded, folder / recorded.name):
        try:
            return candidate, candidate.read_bytes()
        except OSError:
            continue
    return None


def article_problems(claim_file: Path | str, cf: ClaimFile, text: str) -> list[str]:
    """Claims whose offsets do not point at their words in the article (orphans excepted),
    each as `file:line:col: claims[i].field: what`."""
    bad = []
    for i, c in enumerate(cf.claims):
        if c.orphaned_at is not None:
            continue
        t = c.trigger
        if c.span.end > len(text):
            bad.append((i, "span", f"offsets {c.span.start}-{c.span.end} of {c.id} lie outside the article "
                           f"({len(text)} characters)"))
        elif text[t.start : t.end] != t.text or text[c.span.start : c.span.end] != c.text:
            bad.append((i, "trigger", f"offsets {t.start}-{t.end} of {c.id} do not point at {t.text!r} in the article "
                           f"(it has {text[t.start : t.end]!r} there)"))
    if not bad:
        return []
    try:  # read again for positions: only when there is something to report
        doc = yamlio.parse(yamlio.read_text(Path(claim_file)), claim_file)
    except FileError:
        doc = yamlio.Document(claim_file, None, None)
    return [f"{doc.where(('claims', i, field))}: claims[{i}].{field}: {what}" for i, field, what in bad]
