"""The audit log: an append-only, hash-chained YAML stream of every change to a claim.

`article.claims.yaml` has its log beside it in `article.audit.yaml`, one YAML document per
event. Each event carries the hash of the one before it, so an edited, removed or reordered
event breaks the chain where it happened, and `verify` names it. Appends are flushed and
fsynced; a crash can leave at most a torn tail (a part of the last event, or of the `---`
before it), which `read` reports and `repair` cuts off (after keeping a copy), never silently
and never with a whole change. One change logged as several events (a status with its note,
a re-extraction) is written in one append whose events count down in `more`: a tail that
ends before the event with `more: 0` is an unfinished change, cut back to where it began,
so that no half of a decision is ever kept. A review appends through a `Chain`, which
remembers where the log ended so that a change costs the same in a log of any length.
"""
from __future__ import annotations

import errno
import hashlib
import json
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from . import failpoints, yamlio
from .errors import FileError
from .naming import log_path  # noqa: F401  (where a claim file's log is; audit.log_path to its callers)

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
    # In one append of several events, how many follow this one (0 on the last); absent on a
    # change of one event and in logs written before it (hashed only when present). Before
    # `prev`: the hash stays the last field, which tells a whole event from a cut one.
    more: int | None = None
    prev: str
    hash: str


@dataclass(frozen=True)
class Change:
    """A change to record; the log adds sequence, time, reviewer and the chain."""

    claim: str
    field: str
    old: Any = None
    new: Any = None


def _digest(body: dict) -> str:
    # The hash covers every field but itself, in a canonical JSON form independent of YAML layout.
    canon = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canon.encode("utf-8")).hexdigest()


def _body(e: Event) -> dict:
    d = _fields(e)
    d.pop("hash")
    return d


def _fields(e: Event) -> dict:
    # An event without `more` is written and hashed as before the field existed.
    return e.model_dump(mode="json", exclude={"more"} if e.more is None else None)


def now() -> datetime:
    """UTC now, to the millisecond (what the log records)."""
    t = datetime.now(UTC)
    return t.replace(microsecond=t.microsecond // 1000 * 1000)


@dataclass
class LogState:
    events: list[Event]
    torn: str | None = None  # what a crash left after the last whole event, and what repair does
    good_bytes: int = 0  # length of the file up to the end of the last whole event


def _split(raw: str) -> list[tuple[int, int, str, int]]:
    """Documents of the stream: (first line number, offset where it starts, text, offset where it ends)."""
    docs, cur = [], []
    line = start_line = 1
    offset = start = 0
    for ln in raw.splitlines(keepends=True):
        if ln.rstrip("\r\n") == "---":
            if cur:
                docs.append((start_line, start, "".join(cur), offset))
            cur, start_line, start = [], line + 1, offset + len(ln)
        else:
            cur.append(ln)
        offset += len(ln)
        line += 1
    if cur and "".join(cur).strip():
        docs.append((start_line, start, "".join(cur), offset))
    return docs


def read(path: Path | str) -> LogState:
    """Every whole event of a log (an empty list for a missing log).

    What a crash can leave after the last whole event (a part of an event, or of the `---`
    before it) is reported in `torn`, not raised; any other damage raises FileError naming
    the line.
    """
    path = Path(path)
    if not path.exists():
        return LogState([])
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise FileError([f"{path}: cannot read: {e.strerror or e}"]) from None
    return _parse(raw, path)


_HASH = re.compile(r"[0-9a-f]{64}")
_NOT_UTF8 = re.compile("[\udc80-\udcff]")
_HASH_LINE = re.compile(r"^hash:.*(\n|$)", re.M)


def _event(text: str, path: Path) -> Event:
    if _NOT_UTF8.search(text):  # bytes that are not UTF-8 are read as U+FFFD, as by any reader
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return Event.model_validate(yamlio.parse(text, path).data)


def _whole(text: str, path: Path) -> Event | None:
    """The event in `text` if all of it is there: its last field, the hash, written to the end."""
    try:
        ev = _event(text, path)
    except (FileError, ValidationError):
        return None
    return ev if text.endswith("\n") or _HASH.fullmatch(ev.hash) else None


def _parse(data: bytes, path: Path) -> LogState:
    # A byte that is not UTF-8 (a character cut in two by a crash) stays one character here,
    # so that offsets in the text are offsets in the file, and a cut keeps every byte before it.
    raw = data.decode("utf-8", errors="surrogateescape")
    events, ends, torn = _events(raw, path)
    good = ends[-1] if ends else 0  # where the last whole event ends
    if unfinished := _unfinished(events):
        # The crash cut one append of several events: its whole events go with the rest of it.
        keep = len(events) - unfinished
        cut = ends[keep - 1] if keep else 0
        total = unfinished + (events[-1].more or 0)
        return _torn(raw, path, events[:keep], cut, _line(raw, cut),
                     f"the last change is unfinished, {unfinished} of its {total} events written (a crash during "
                     "an append?)", scan_from=good, dropped=unfinished)
    if torn is not None:
        return _torn(raw, path, events, good, *torn)
    return LogState(events, None, _bytes(raw, good))


def _unfinished(events: list[Event]) -> int:
    """How many of the last events are the first of an append that did not reach its last
    event (`more: 0`): the events of one append count `more` down by one."""
    if not events or not events[-1].more:
        return 0
    n = 1
    while n < len(events) and events[-n - 1].more == (events[-n].more or 0) + 1:
        n += 1
    return n


def _events(raw: str, path: Path) -> tuple[list[Event], list[int], tuple[int, str] | None]:
    """The whole events of a log's text, where each ends, and what a crash left after them
    (the line it begins on and what it is), if anything."""
    docs = _split(raw)
    events: list[Event] = []
    ends: list[int] = []
    good = 0
    for i, (line, start, text, end) in enumerate(docs):
        if i < len(docs) - 1:
            try:
                events.append(_event(text, path))
            except (FileError, ValidationError) as e:
                msg = e.problems[0] if isinstance(e, FileError) else str(e).splitlines()[0]
                raise FileError([f"{path}:{line}: event {i + 1} is not a valid audit event: {msg}"]) from None
            good = end
            ends.append(good)
            continue
        # The last document. An append cut short leaves a part of `---\n` + event after the last
        # whole event: a part of an event (its own document), or a part of the separator, which,
        # not being a whole `---` line, is read as the end of the event before.
        ev, cut = _whole(text, path), len(text)
        if ev is None:
            for cut in reversed([m.end() for m in re.finditer(r"^hash:.*\n", text, re.M)]):
                if ev := _whole(text[:cut], path):
                    break
        if ev is None:
            return events, ends, (line, "the last event is incomplete (a crash during an append?)")
        events.append(ev)
        good = start + len(text[:cut].rstrip())
        good += 2 if raw.startswith("\r\n", good) else 1 if raw.startswith("\n", good) else 0
        ends.append(good)
    tail = raw[good:]
    if good and raw[good - 1] != "\n":
        return events, ends, (_line(raw, good), "the last event has no final newline (a crash during an append?)")
    if tail.strip() or (tail and not tail.endswith("\n")):  # blank lines are harmless; all else is not
        at = good + len(tail) - len(tail.lstrip())
        what = ("blank space without a final newline" if not tail.strip() else
                "a part of the `---` that begins an event" if not tail.strip("-\r\n\t ") else "text that is not an event")
        return events, ends, (_line(raw, at), f"the log ends in {what} (a crash during an append?)")
    return events, ends, None


def _torn(raw: str, path: Path, events: list[Event], good: int, line: int, what: str, *,
          scan_from: int | None = None, dropped: int = 0) -> LogState:
    """The state of a log cut back to `good`, as `repair` will leave it: its tail holds no whole
    event, but for the `dropped` ones of an unfinished change (from `good` to `scan_from`)."""
    tail = raw[good if scan_from is None else scan_from:]
    # Never cut off a whole event but those: one found in the tail (after a lost `---`, or after
    # text that is not an event) means a log damaged otherwise than by a crash during an append.
    for m in re.finditer(r"^seq:", tail, re.M):
        h = _HASH_LINE.search(tail, m.start())
        if h is None:
            break
        try:
            ev = _event(tail[m.start() : h.end()], path)
        except (FileError, ValidationError):
            continue
        if _digest(_body(ev)) == ev.hash:
            at = (good if scan_from is None else scan_from) + m.start()
            raise FileError([f"{path}:{_line(raw, at)}: event seq {ev.seq} is whole but follows text "
                             "that is not an event (a lost `---`?); not a crash's torn tail: mend it by hand"])
    fix = []
    if raw[good:]:
        cut = f"cut off the last {_bytes(raw, len(raw)) - _bytes(raw, good)} bytes"
        fix.append(cut + (f" (with the {dropped} event{'s' if dropped != 1 else ''} of the unfinished change)"
                          if dropped else ""))
    if good and raw[good - 1] != "\n":
        fix.append("end the last event with a newline")
    n = len(events)
    every = f"the {n} event{'s' if n != 1 else ''} before it" if dropped else f"all {n} whole event{'s' if n != 1 else ''}"
    fix.append(f"keep {every}" if n else "leave an empty log")
    fix_all = f"{', '.join(fix[:-1])} and {fix[-1]}" if len(fix) > 1 else fix[0]
    return LogState(events, f"{path}:{line}: {what}; `claimcheck audit repair` will {fix_all}", _bytes(raw, good))


def _line(raw: str, at: int) -> int:
    """The line number of offset `at`, counted as `_split` counts lines."""
    return len((raw[:at] + "x").splitlines())


def _bytes(raw: str, chars: int) -> int:
    return len(raw[:chars].encode("utf-8", "surrogateescape"))


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


@dataclass
class Tail:
    """The end of a log, read without reading all of it."""

    events: list[Event]  # the last whole events, oldest first
    whole: bool  # `events` are all the log's events (the piece read was the whole file)
    torn: str | None = None
    tip: Tip | None = None  # where the log ends, for a `Chain` to append without reading it

    @property
    def count(self) -> int:
        """How many events the log holds, as its last event numbers them."""
        return self.events[-1].seq if self.events else 0


_EVENT_START = re.compile(rb"\n---\r?\n")


def tail(path: Path | str, back_to: int = 0) -> Tail:
    """The log's last events, reading back from its end until the event numbered `back_to`
    (or the start of the file) is among them: a claim file that knows which event it was
    saved after checks its log, and a `Chain` starts appending, at a cost that does not grow
    with the log. The events read are checked against their hashes and each other; a torn end
    or an unreadable piece is read again from the start of the file, for the full diagnosis."""
    path = Path(path)
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return Tail([], True)
    except OSError as e:
        raise FileError([f"{path}: cannot read: {e.strerror or e}"]) from None
    try:
        st = os.fstat(fd)
        size, chunk = st.st_size, 1 << 16
        while True:
            start = max(0, size - chunk)
            piece = os.pread(fd, size - start, start)
            if start > 0:
                m = _EVENT_START.search(piece)
                if m is None:
                    chunk *= 4
                    continue
                piece = piece[m.start() + 1 :]
            try:
                state = _parse(piece, path) if start > 0 else None
            except FileError:
                state = None
            if state is None or state.torn or not _linked(state.events):
                state = _parse(_read_all(fd), path)  # the whole log: positions and messages as `read` gives them
                return Tail(state.events, True, state.torn, None if state.torn else _tip(st, state.events, None))
            first = state.events[0].seq if state.events else 0
            if first <= max(back_to, 1):
                return Tail(state.events, False, None, _tip(st, state.events, piece))
            chunk *= 4
    except OSError as e:
        raise FileError([f"{path}: cannot read: {e.strerror or e}"]) from None
    finally:
        os.close(fd)


_FIELD_LINE = re.compile(r"^field: *'?([A-Za-z_]+)'? *\r?$", re.M)
_SEPARATOR_LINE = re.compile(r"^---\r?$", re.M)
_CLAIM_LINE = re.compile(r"^claim: *(.*?) *\r?$", re.M)


def _after_separator(raw: str, pos: int) -> int:
    """Where the document holding offset `pos` begins: after the last `---` line before it."""
    while (j := raw.rfind("---", 0, pos)) != -1:
        end = j + 3 + (2 if raw.startswith("\r\n", j + 3) else 1 if raw.startswith("\n", j + 3) else 0)
        if end > j + 3 and (j == 0 or raw[j - 1] == "\n"):
            return end
        pos = j
    return 0


def last_events(path: Path | str, claims: set[str], fields: set[str]) -> dict[str, Event]:
    """The last event of each of `claims` among the events of the kinds `fields` (a
    re-extraction asks which of its changes the log holds already), parsing no event of another
    kind: a review's events outnumber a re-extraction's many times. What is not a whole event
    (a torn end, refused elsewhere) is passed over."""
    path = Path(path)
    try:
        raw = path.read_bytes().decode("utf-8", errors="surrogateescape")
    except FileNotFoundError:
        return {}
    except OSError as e:
        raise FileError([f"{path}: cannot read: {e.strerror or e}"]) from None
    out: dict[str, Event] = {}
    for m in _FIELD_LINE.finditer(raw):  # a top-level key: lines of a block scalar are indented
        if m.group(1) not in fields:
            continue
        # The event is the document around its `field:` line, between `---` lines.
        start = _after_separator(raw, m.start())
        after = _SEPARATOR_LINE.search(raw, m.end())
        text = raw[start : after.start() if after else len(raw)]
        c = _CLAIM_LINE.search(text)
        if c and c.group(1) not in claims and c.group(1)[:1] not in "'\"":  # a plain id: read as written
            continue
        try:
            ev = _event(text, path)
        except (FileError, ValidationError):
            continue
        if ev.claim in claims and ev.field in fields:
            out[ev.claim] = ev
    return out


def _linked(events: list[Event]) -> bool:
    # A piece of a log whose events follow each other and match their hashes.
    for a, b in zip(events, events[1:]):
        if b.seq != a.seq + 1 or b.prev != a.hash:
            return False
    return all(_digest(_body(e)) == e.hash for e in events)


def _tip(st: os.stat_result, events: list[Event], piece: bytes | None) -> Tip | None:
    if not events:
        return None
    last = _render(events[-1]).encode("utf-8")
    if piece is not None and not piece.endswith(last):
        return None  # written by another hand (other layout): a chain reads the log in full
    return Tip(st.st_dev, st.st_ino, st.st_size, last, events[-1].seq, events[-1].hash)


def starts_with(path: Path | str, events: list[Event], head_hash: str) -> list[str]:
    """[] when the log's history still holds the event whose hash is `head_hash` (or a prefix
    of it, 12 characters or more): its chain from the start up to that event is the history
    the hash was taken of. `verify` checks the chain itself."""
    h = head_hash.strip().lower()
    if not re.fullmatch(r"[0-9a-f]{12,64}", h):
        return [f"{head_hash!r}: not a head hash (64 hexadecimal digits, or at least the first 12)"]
    if GENESIS.startswith(h):
        return []
    found = [e for e in events if e.hash.startswith(h)]
    if len(found) > 1:
        return [f"{path}: {h} begins the hashes of {len(found)} events; give more of it"]
    if not found:
        return [f"{path}: no event has the head hash {h[:12]}…: the history it named was removed or rewritten "
                "(the hashes were recomputed since it was taken)"]
    return []


def _render(e: Event) -> str:
    return _SEPARATOR + yamlio.dump(_fields(e))


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

    def __init__(self, path: Path | str, tip: Tip | None = None):
        self.path = Path(path)
        self._tip = tip  # from `tail`, when the caller has read the log's end already

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
        fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o666)  # as open() would: the umask decides
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
            failpoints.torn("audit: write", fd, data)
            written = os.write(fd, data)
            if written != len(data):
                raise OSError(28, f"short write ({written} of {len(data)} bytes)")
            failpoints.step("audit: written")
            os.fsync(fd)
            failpoints.step("audit: fsync")
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
    for i, ch in enumerate(changes):
        seq += 1
        more = len(changes) - 1 - i if len(changes) > 1 else None
        body = dict(seq=seq, time=when, reviewer=reviewer, claim=ch.claim, field=ch.field,
                    old=ch.old, new=ch.new, more=more, prev=prev)
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
    """Cut off what a crash left after the last whole change (every whole event is kept but
    those of an append cut short, and the last one ends with a newline), keeping the whole file
    as `<log>.torn-<time>` first."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as e:
        raise FileError([f"{path}: cannot read: {e.strerror or e}"]) from None
    state = _parse(raw, path)
    if not state.torn:
        return None
    backup = _keep_copy(path, raw)
    kept = raw[: state.good_bytes]
    yamlio.write_atomic(path, kept if not kept or kept.endswith(b"\n") else kept + b"\n")
    return str(backup)


def _keep_copy(path: Path, raw: bytes) -> Path:
    """A new `<log>.torn-<time>` holding `raw`, as private as the log (an older copy is never overwritten)."""
    stamp = f"{path.name}.torn-{datetime.now(UTC):%Y%m%dT%H%M%SZ}"
    try:
        for n in range(1, 1000):
            backup = path.with_name(stamp if n == 1 else f"{stamp}-{n}")
            try:
                fd = os.open(backup, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                continue
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(raw)
                    f.flush()
                    yamlio.keep_mode(f.fileno(), os.stat(path))
                    os.fsync(f.fileno())
            except OSError:
                backup.unlink(missing_ok=True)
                raise
            return backup
        raise FileExistsError(errno.EEXIST, "no unused name for the copy")
    except OSError as e:
        raise FileError([f"{path}: cannot keep a copy before repairing ({e.strerror or e}); nothing was changed"]) from None
