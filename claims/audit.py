"""The audit log: an append-only, hash-chained YAML stream of every change to a claim.

`article.claims.yaml` has its log beside it in `article.audit.yaml`, one YAML document per
event. Each event carries the hash of the one before it, so an edited, removed or reordered
event breaks the chain where it happened, and `verify` names it. Appends are flushed and
fsynced; a crash can leave at most a torn last event, which `read` reports and `repair`
cuts off (after keeping a copy), never silently. A review appends through a `Chain`, which
remembers where the log ended so that a change costs the same in a log of any length.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from . import yamlio
from .yamlio import FileError

GENESIS = "0" * 64
_SEPARATOR = "---\n"


class Event(BaseModel):
    """One change: who changed which field of which claim, from what to what, and when."""

    model_config = ConfigDict(extra="forbid")

    seq: int
    time: datetime
    reviewer: str
    claim: str
    field: str  # status | note | evidence | added | changed | orphaned | ...
    old: Any = None
    new: Any = None
    prev: str
    hash: str


@dataclass(frozen=True)
class Change:
    """A change to record; the log adds sequence, time, reviewer and the chain."""

    claim: str
    field: str
    old: Any = None
    new: Any = None


def log_path(claim_file: Path | str) -> Path:
    """`x.claims.yaml` → `x.audit.yaml`; any other `x.yaml` → `x.audit.yaml`."""
    p = Path(claim_file)
    name = p.name
    for suffix in (".claims.yaml", ".claims.yml", ".yaml", ".yml"):
        if name.endswith(suffix):
            return p.with_name(name[: -len(suffix)] + ".audit.yaml")
    return p.with_name(name + ".audit.yaml")


def _digest(body: dict) -> str:
    # The hash covers every field but itself, in a canonical JSON form independent of YAML layout.
    canon = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canon.encode("utf-8")).hexdigest()


def _body(e: Event) -> dict:
    d = e.model_dump(mode="json")
    d.pop("hash")
    return d


def now() -> datetime:
    """UTC now, to the millisecond (what the log records)."""
    t = datetime.now(UTC)
    return t.replace(microsecond=t.microsecond // 1000 * 1000)


@dataclass
class LogState:
    events: list[Event]
    torn: str | None = None  # description of a torn last event, if a crash left one
    good_bytes: int = 0  # length of the file up to the last whole event


def _split(raw: str) -> list[tuple[int, str, int]]:
    """Documents of the stream: (first line number, text, character offset where it ends)."""
    docs, cur = [], []
    line = start_line = 1
    offset = 0
    for ln in raw.splitlines(keepends=True):
        if ln.rstrip("\r\n") == "---":
            if cur:
                docs.append((start_line, "".join(cur), offset))
            cur, start_line = [], line + 1
        else:
            cur.append(ln)
        offset += len(ln)
        line += 1
    if cur and "".join(cur).strip():
        docs.append((start_line, "".join(cur), offset))
    return docs


def read(path: Path | str) -> LogState:
    """Every whole event of a log (an empty list for a missing log).

    A last event cut short by a crash is reported in `torn`, not raised; any other damage
    raises FileError naming the line.
    """
    path = Path(path)
    if not path.exists():
        return LogState([])
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise FileError([f"{path}: cannot read: {e.strerror or e}"]) from None
    return _parse(raw, path)


def _parse(data: bytes, path: Path) -> LogState:
    # A crash mid-append can cut a character in two; that shows up as a torn last event.
    raw = data.decode("utf-8", errors="replace")
    docs = _split(raw)
    events: list[Event] = []
    good = 0
    for i, (line, text, end) in enumerate(docs):
        last = i == len(docs) - 1
        try:
            ev = Event.model_validate(yamlio.parse(text, path).data)
            if last and not raw.endswith("\n"):
                raise FileError(["no final newline"])
        except (FileError, ValidationError) as e:
            if last:
                torn = f"{path}:{line}: the last event is incomplete (a crash during an append?)"
                return LogState(events, torn, len(raw[:good].encode("utf-8")))
            msg = e.problems[0] if isinstance(e, FileError) else str(e).splitlines()[0]
            raise FileError([f"{path}:{line}: event {i + 1} is not a valid audit event: {msg}"]) from None
        events.append(ev)
        good = end
    return LogState(events, None, len(raw[:good].encode("utf-8")))


def verify(path: Path | str) -> list[str]:
    """Problems with a log's chain, each naming the event: [] when the log is intact."""
    state = read(path)
    problems = []
    prev = GENESIS
    for i, e in enumerate(state.events, start=1):
        if e.seq != i:
            problems.append(f"{path}: event {i}: sequence number {e.seq}, expected {i} (removed or reordered events)")
        if e.prev != prev:
            problems.append(f"{path}: event {i} (seq {e.seq}): does not follow the event before it (removed, inserted or reordered)")
        if _digest(_body(e)) != e.hash:
            problems.append(f"{path}: event {i} (seq {e.seq}): content does not match its hash (edited)")
        prev = e.hash
    if state.torn:
        problems.append(state.torn)
    return problems


def _render(e: Event) -> str:
    return _SEPARATOR + yamlio.dump(e.model_dump(mode="json"))


@dataclass(frozen=True)
class Tip:
    """Where a log ended after an append made here: what the next event chains onto."""

    dev: int
    ino: int
    size: int
    last: bytes  # the last event, exactly as written
    seq: int
    hash: str


class Chain:
    """Appends to one log, remembering where it ended, so that the next append need not read
    the whole log again (a review appends on every change; a log grows to thousands of events).

    The memory is trusted only while the log is the same file, of the same length, ending in
    the very bytes of the event last written here: another writer, a repair or an edit
    changes one of these, and the log is then read in full, as `append` always does.
    """

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self._tip: Tip | None = None

    def append(self, changes: list[Change], reviewer: str, when: datetime | None = None) -> list[Event]:
        """Append as `append` does (the same events, the same refusals), reading the log in
        full only when it is not where this chain left it."""
        if not changes:
            return []
        tip, self._tip = self._tip, None  # forgotten unless this append succeeds
        out, self._tip = _append(self.path, changes, reviewer, when, tip)
        return out


def append(path: Path | str, changes: list[Change], reviewer: str, when: datetime | None = None) -> list[Event]:
    """Append changes as events, durably (flush + fsync); return the events written.

    Refuses (FileError) to append after a torn event: `repair` must be run first, so that
    nothing is chained onto a half-written record.
    """
    if not changes:
        return []
    return _append(Path(path), changes, reviewer, when, None)[0]


def _append(path: Path, changes: list[Change], reviewer: str, when: datetime | None,
            tip: Tip | None) -> tuple[list[Event], Tip | None]:
    created = not path.exists()
    try:
        # Read and write: the chain is found in the very file that is appended to.
        fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
    except OSError as e:
        raise FileError([f"{path}: cannot append to the audit log ({e.strerror or e}); the change was not made"]) from None
    try:
        st = os.fstat(fd)
        size = st.st_size
        if tip is not None and _ends_at(fd, st, tip):
            prev, seq = tip.hash, tip.seq
        else:
            try:
                state = _parse(_read_all(fd), path)
            except OSError as e:
                raise FileError([f"{path}: cannot read: {e.strerror or e}"]) from None
            if state.torn:
                raise FileError([f"{state.torn}; run `claimcheck audit repair {path}` first"])
            prev = state.events[-1].hash if state.events else GENESIS
            seq = len(state.events)
        out = _chain(changes, reviewer, when or now(), prev, seq)
        rendered = [_render(e).encode("utf-8") for e in out]
        data = b"".join(rendered)
        try:
            written = os.write(fd, data)
            if written != len(data):
                raise OSError(28, f"short write ({written} of {len(data)} bytes)")
            os.fsync(fd)
        except OSError as e:
            # A full disk: take back whatever part of the events got in, so that the log ends
            # where it did (callers hold the claim file's lock: nobody else appends meanwhile).
            _undo_append(fd, path, size, created)
            raise FileError([f"{path}: cannot append to the audit log ({e.strerror or e}); the change was not made"]) from None
        after = os.fstat(fd)
        if after.st_size != size + len(data):
            return out, None  # someone else appended too: read in full next time
        return out, Tip(after.st_dev, after.st_ino, after.st_size, rendered[-1], out[-1].seq, out[-1].hash)
    finally:
        os.close(fd)


def _ends_at(fd: int, st: os.stat_result, tip: Tip) -> bool:
    """Whether the open log still ends where `tip` says; checked without reading it all."""
    if (st.st_dev, st.st_ino, st.st_size) != (tip.dev, tip.ino, tip.size):
        return False
    n = len(tip.last)
    return os.pread(fd, n, st.st_size - n) == tip.last


def _read_all(fd: int) -> bytes:
    chunks, offset = [], 0
    while chunk := os.pread(fd, 1 << 20, offset):
        chunks.append(chunk)
        offset += len(chunk)
    return b"".join(chunks)


def _chain(changes: list[Change], reviewer: str, when: datetime, prev: str, seq: int) -> list[Event]:
    out = []
    for ch in changes:
        seq += 1
        body = dict(seq=seq, time=when, reviewer=reviewer, claim=ch.claim, field=ch.field,
                    old=ch.old, new=ch.new, prev=prev)
        draft = Event(hash="", **body)
        e = draft.model_copy(update={"hash": _digest(_body(draft))})
        out.append(e)
        prev = e.hash
    return out


def _undo_append(fd: int, path: Path, size: int, created: bool) -> None:
    try:
        if created:
            os.unlink(path)
        else:
            os.ftruncate(fd, size)
    except OSError:
        pass  # what is left is at most a torn last event, which `read` reports and `repair` cuts


def repair(path: Path | str) -> str | None:
    """Cut a torn last event off a log, keeping the whole file as `<log>.torn-<time>` first."""
    path = Path(path)
    state = read(path)
    if not state.torn:
        return None
    raw = path.read_bytes()
    backup = path.with_name(f"{path.name}.torn-{datetime.now(UTC):%Y%m%dT%H%M%SZ}")
    backup.write_bytes(raw)
    yamlio.write_atomic(path, raw[: state.good_bytes].decode("utf-8"))
    return str(backup)
