"""Claim files on disk: strict loading with `file:line:col` errors, atomic saving."""
from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from . import yamlio
from .model import ClaimFile
from .yamlio import FileError


def _describe(err: dict) -> str:
    loc = err["loc"]
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in loc).lstrip(".")
    msg = err["msg"].removeprefix("Value error, ")
    return f"{where}: {msg}" if where else msg


def validation_problems(doc: yamlio.Document, error: ValidationError) -> list[str]:
    """Every pydantic error as `file:line:col: field: message`."""
    return [f"{doc.where(e['loc'])}: {_describe(e)}" for e in error.errors(include_url=False)]


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
    return yamlio.dump(data)


def save(path: Path | str, cf: ClaimFile) -> None:
    """Write atomically: a crash leaves the old file or the new one, never a mix."""
    yamlio.write_atomic(Path(path), dumps(cf))
