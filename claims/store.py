"""Claim files on disk: strict loading with `file:line:col` errors, atomic saving."""
from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from . import yamlio
from .errors import FileError
from .model import Claim, ClaimFile


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


MAX_ALIKE = 1  # problems shown of one kind before "and N more like it"


def validation_problems(doc: yamlio.Document, error: ValidationError) -> list[str]:
    """Every pydantic error as `file:line:col: field: message`; errors alike but for the claim
    they are in (`status: maybe` on all 48 claims) are shown once, then counted."""
    alike: dict[tuple, list[str]] = {}
    for e in error.errors(include_url=False):
        kind = (e["type"], tuple("#" if isinstance(p, int) else p for p in _loc(e)), repr(e.get("input"))[:200])
        shown = alike.setdefault(kind, [])
        shown.append(f"{doc.where(_loc(e))}: {_describe(e)}" if len(shown) < MAX_ALIKE else "")
    out: list[str] = []
    for lines in alike.values():
        out += lines[:MAX_ALIKE]
        if len(lines) > MAX_ALIKE:
            out.append(f"and {len(lines) - MAX_ALIKE} more like it")
    return out


def _loads(text: str, path: Path | str) -> tuple[ClaimFile, bool]:
    # (the claim file, whether the text is exactly as claimcheck writes it)
    with yamlio.no_gc():  # tens of thousands of objects, none of them garbage yet
        # A file as claimcheck wrote it is read by the fast reader; any other goes to the YAML
        # parser, which also gives every problem its line and column.
        data = yamlio.read_emitted(text)
        if isinstance(data, dict):
            try:
                return ClaimFile.model_validate(data), True
            except ValidationError:
                pass
        doc = yamlio.parse(text, path)
        if not isinstance(doc.data, dict):
            raise FileError([f"{path}: not a claim file (expected a mapping with schema, document and claims)"])
        try:
            return ClaimFile.model_validate(doc.data), False
        except ValidationError as e:
            raise FileError(validation_problems(doc, e)) from None


def loads(text: str, path: Path | str = "<claims>") -> ClaimFile:
    """Parse and validate a claim file's text; raise FileError listing every problem."""
    return _loads(text, path)[0]


def through_links(path: Path) -> Path:
    """The file a symbolic link names (a claim file shared by links is written where it is, and
    its audit log and lock sit beside it, not beside each link); any other path as given."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def load(path: Path | str) -> ClaimFile:
    """Load a claim file; nothing is returned unless the whole file is valid."""
    path = Path(path)
    return loads(yamlio.read_text(path), path)


def load_for_editing(path: Path | str) -> tuple[ClaimFile, ClaimFileText]:
    """A claim file and its text held claim by claim, ready for saving one change at a time."""
    path = Path(path)
    text = yamlio.read_text(path)
    cf, as_written = _loads(text, path)
    return cf, ClaimFileText(cf, text if as_written else None)


# A claim file this large (about 1,500 claims) is shown from its first claims while it is read
# in full (the review UI): read whole, it would hold the first screen back for a second.
PREVIEW_ABOVE = 512 * 1024


@dataclass(frozen=True)
class Preview:
    """The head of a claim file and its first claims, with the number of claims it holds."""

    cf: ClaimFile
    total: int


def load_preview(path: Path | str, count: int) -> Preview | None:
    """The first `count` claims of a large claim file (PREVIEW_ABOVE), read and validated as
    strictly as a whole file is (the fast reader's proof by writing again, the model), for a
    first screen shown while the whole file is opened. None when the file is smaller, not in
    the shape claimcheck writes, or its head is not valid: opening it whole then says why.

    Nothing else is vouched for: the claims further down, the audit log, the lock are the
    whole open's to check; `total` counts the entries as written."""
    try:
        written = yamlio.read_bounded(Path(path), yamlio.MAX_FILE_BYTES)
    except (OSError, FileError):
        return None
    m = _CLAIMS_KEY.search(written)
    if len(written) < PREVIEW_ABOVE or m is None:
        return None
    section = written[m.end() :]
    # As in ClaimFileText._cut: a claim's entry alone starts with `- ` at the first column.
    total = section.count(b"\n- ") + section.startswith(b"- ")
    cut = len(written)
    for n, entry in enumerate(_ENTRY.finditer(section)):
        if n == count:
            cut = m.end() + entry.start()
            break
    try:
        data = yamlio.read_emitted(written[:cut].decode("utf-8-sig"))
        return Preview(ClaimFile.model_validate(data), total) if isinstance(data, dict) else None
    except (UnicodeDecodeError, ValidationError):
        return None


_INLINE = ("span", "trigger", "speaker")


def _claim_block(claim: Claim) -> str:
    """One claim's entry of the `claims:` list, exactly as it stands in the whole file."""
    data = claim.model_dump(mode="json", exclude_none=True)
    for key in _INLINE:
        if key in data:
            data[key] = yamlio.Flow(data[key])
    out: list[str] = []
    yamlio.emit_items([data], out)
    return "".join(out)


def _head(cf: ClaimFile) -> str:
    return yamlio.emit(cf.model_dump(mode="json", by_alias=True, exclude_none=True, exclude={"claims"}))


_CLAIMS_KEY = re.compile(rb"^claims:(?: \[\])?\n", re.M)
_ENTRY = re.compile(rb"^- ", re.M)


class ClaimFileText:
    """A claim file's YAML held as a head and one piece per claim, so that changing a claim
    re-serializes that claim alone: a key press on a file of 10,000 claims costs one claim's
    YAML and the write, not the whole file's (`dumps` is built the same way, so the two agree).
    The pieces are held as UTF-8: joining and encoding 10,000 of them as one string at every
    save took longer than the write itself (13 ms of a 35 ms key press)."""

    def __init__(self, cf: ClaimFile, written: str | None = None):
        """`written`: the file's text, when it is known to be in the shape `emit` writes (the
        fast reader read it): cut into pieces, not written again, which for 10,000 claims
        would cost a fifth of a second at every opening."""
        if written is not None and self._cut(written, len(cf.claims)):
            return
        self.head = _head(cf)
        self.blocks = [_claim_block(c).encode("utf-8") for c in cf.claims]

    def _cut(self, text: str, count: int) -> bool:
        # Only top-level keys start at the first column, and a claim's entry starts with `- `
        # there: nested lists are indented and strings never span lines.
        written = text.encode("utf-8")
        m = _CLAIMS_KEY.search(written)
        if m is None:
            return False
        section = written[m.end() :]
        starts = [i.start() for i in _ENTRY.finditer(section)]
        if len(starts) != count or (starts and starts[0] != 0) or (not starts and section):
            return False
        self.head = written[: m.start()].decode("utf-8")
        self.blocks = [section[a:b] for a, b in zip(starts, starts[1:] + [len(section)])]
        return True

    def set_head(self, cf: ClaimFile) -> str:
        """Write the fields before `claims` (document, audit head) anew; returns the old text."""
        old, self.head = self.head, _head(cf)
        return old

    def replace(self, index: int, claim: Claim) -> bytes:
        """Put `claim` at `index`; returns the block that was there, to undo a failed save."""
        return self.replace_block(index, _claim_block(claim).encode("utf-8"))

    def replace_block(self, index: int, block: bytes) -> bytes:
        old, self.blocks[index] = self.blocks[index], block
        return old

    def data(self) -> bytes:
        """The whole file as UTF-8, as it is written."""
        # `claims` is the model's last field, so it is also the file's last key.
        return self.head.encode("utf-8") + (b"claims:\n" + b"".join(self.blocks) if self.blocks else b"claims: []\n")

    def text(self) -> str:
        return self.data().decode("utf-8")


def dumps(cf: ClaimFile) -> str:
    """The claim file as YAML: fields in the model's order, unset (null) fields left out."""
    return ClaimFileText(cf).text()


def save(path: Path | str, cf: ClaimFile) -> None:
    """Write atomically: a crash leaves the old file or the new one, never a mix."""
    yamlio.write_atomic(Path(path), dumps(cf))


# How far up from a claim file its article is looked for (`extract . -o out` run in a folder
# records `a.txt`, relative to that folder, not to `out/`).
_ANCESTORS = 4


def article_places(claim_file: Path | str, recorded: str) -> list[Path]:
    """Where a claim file's article may be, most trusted first: the recorded path if absolute;
    beside the claim file (as recorded, then by name); as recorded from each folder above it
    (`extract DIR -o DIR/out` records paths from where it ran); last, as recorded from the
    current folder."""
    if recorded in ("", "-"):
        return []
    r = Path(recorded)
    if r.is_absolute():
        return [r]
    here = Path(claim_file).parent
    places = [here / r, here / r.name, *(above / r for above in list(here.absolute().parents)[:_ANCESTORS]), r]
    seen: set[str] = set()
    return [p for p in places if not (str(p.absolute()) in seen or seen.add(str(p.absolute())))]


def locate_article(claim_file: Path | str, cf: ClaimFile) -> tuple[Path, bytes] | None:
    """The article a claim file was extracted from. A file whose bytes are the article's (same
    sha256) wins wherever it is; failing that, the most trusted place that has a file, which is
    then the article as edited since. The current folder is trusted only with the same bytes:
    a namesake there (another story called x.txt) must never be merged into these claims."""
    places = article_places(claim_file, cf.document.path)
    found: list[tuple[Path, bytes]] = []
    for p in places:
        try:
            # Bounded, and never a FIFO or a device: a `document.path` edited to /dev/zero must not hang us.
            data = yamlio.read_bounded(p, yamlio.MAX_FILE_BYTES, "text article")
        except (OSError, FileError):
            continue
        if hashlib.sha256(data).hexdigest() == cf.document.sha256:
            return p, data
        found.append((p, data))
    cwd_only = places[-1] if places and not Path(cf.document.path).is_absolute() else None
    return next(((p, d) for p, d in found if p is not cwd_only), None)


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
