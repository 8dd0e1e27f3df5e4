"""Advisory locks on claim files, so that two editors never overwrite each other's work.

`x.claims.yaml.lock` holds who has the file open (reviewer, login, host, pid, since). A
second editor is refused or opens read-only, and is told who holds it; a lock left by a dead
process on this host is stale and is taken over, by one editor only however many find it.
"""
from __future__ import annotations

import fcntl
import getpass
import json
import os
import secrets
import socket
import tempfile
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from . import failpoints, yamlio
from .errors import FileError
from .naming import lock_path

TRIES = 5  # rounds of create / find it taken / look at it; each round someone else made progress


class LockRecord(BaseModel):
    """What a lock file holds (JSON)."""

    # Ignored, not refused: a lock written by a newer claimcheck must still name its holder
    # (an unreadable lock is respected but names no one).
    model_config = ConfigDict(extra="ignore")

    user: str  # login name
    host: str
    pid: int
    since: str
    reviewer: str | None = None  # the name changes are recorded under; absent in older locks
    # Tells this lock from any other, even one of the same process in the same second (an inode
    # number cannot: a removed lock's number is soon given to the next).
    token: str | None = None


@dataclass(frozen=True)
class Holder:
    user: str
    host: str
    pid: int
    since: str
    reviewer: str | None = None

    @property
    def name(self) -> str:
        """The person: the reviewer's name, with the login when that differs."""
        if self.reviewer and self.reviewer != self.user:
            return f"{_shown(self.reviewer)} (login {_shown(self.user)})"
        return _shown(self.user)

    def __str__(self) -> str:
        if not self.pid:  # not a process: an unreadable lock, or a folder we cannot write to
            return self.user
        return f"{self.name} on {_shown(self.host)} (pid {self.pid}, since {_shown(self.since)})"


def _shown(text: str) -> str:
    # Whoever wrote the lock chose these names (--reviewer is free text): they reach other
    # people's terminals inside a one-line message, so no line breaks and no escape sequences.
    return "".join("?" if unicodedata.category(c)[0] == "C" else c for c in text)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _unreadable(lp: Path) -> Holder:
    # respect it, and say how to get rid of it
    return Holder(f"someone unknown ({lp} cannot be read; remove it if no one is editing)", "unknown", 0, "unknown")


def _record(raw: bytes) -> LockRecord | None:
    try:
        return LockRecord.model_validate(json.loads(raw.decode("utf-8")))
    except (ValueError, ValidationError):  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        return None


def _parse(raw: bytes, lp: Path) -> Holder:
    r = _record(raw)
    if r is None:
        return _unreadable(lp)
    return Holder(r.user, r.host, r.pid, r.since, r.reviewer)


def _stale(h: Holder) -> bool:
    return bool(h.pid) and h.host == socket.gethostname() and not _alive(h.pid)


def holder(path: Path | str) -> Holder | None:
    """Who holds the lock on a claim file, or None if it is free (or held by a dead process here)."""
    lp = lock_path(path)
    try:
        h = _parse(lp.read_bytes(), lp)
    except FileNotFoundError:
        return None
    except OSError:
        return _unreadable(lp)
    return None if _stale(h) else h


def _remove_if_stale(lp: Path) -> Holder | None:
    """The live holder of the lock at `lp`; or None once it is gone (stale and removed here, or released).

    Several editors can find the same stale lock at once. Each removes it only while holding
    flock on that very lock file, and only if the path still names it: so it is removed once,
    and an editor that waited finds the winner's new lock at the path and is refused by it.
    (Without this, a late editor would remove the winner's fresh lock as if it were the stale
    one, and both would think they held the file.) Holders never flock their lock, so this
    waits only on other editors looking at the same stale lock.
    """
    try:
        fd = os.open(lp, os.O_RDONLY)  # flock needs no more, on a local file system
    except FileNotFoundError:
        return None
    except OSError:
        return _unreadable(lp)
    try:
        try:
            h = _parse(_read_all(fd), lp)
        except OSError:
            return _unreadable(lp)
        if not _stale(h):
            return h
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError as e:  # no flock here (some network file systems): refuse rather than risk two holders
            return Holder(f"{h.name} on {_shown(h.host)}, whose process {h.pid} has ended ({lp} cannot be taken over "
                          f"safely here: {e.strerror or e}; remove it if no one is editing)", "unknown", 0, "unknown")
        mine = os.fstat(fd)
        try:
            there = os.stat(lp)
        except FileNotFoundError:
            return None
        # Our open file keeps its inode from being reused, so equal numbers mean the same file,
        # whose content (written once, before it was linked into place) is what we just read.
        if (there.st_dev, there.st_ino) != (mine.st_dev, mine.st_ino):
            return None  # replaced while we waited: look again at what is there now
        os.unlink(lp)
        return None
    finally:
        os.close(fd)  # and with it the flock


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 65536):
        chunks.append(chunk)
    return b"".join(chunks)


def _create(lock: Path, content: str) -> None:
    """Create `lock` holding `content` in one step; FileExistsError if it already exists.

    The content is written to a temporary file that is then hard-linked into place, so a
    crash can never leave an empty lock file that names no one and is never taken over.
    """
    fd, tmp = tempfile.mkstemp(prefix=f".{lock.name}.", suffix=".tmp", dir=lock.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(content)
            f.flush()  # a full disk fails here, before the mode of what we opened is touched
            failpoints.step("lock: written")
            os.fchmod(f.fileno(), 0o644)  # others must be able to read who holds it
        try:
            os.link(tmp, lock)
            failpoints.step("lock: linked")
        except FileExistsError:
            raise
        except OSError:  # a file system without hard links: exclusive create, then write
            fd = os.open(lock, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(content)
    finally:
        try:
            os.unlink(tmp)
        except OSError:
            pass


class Unwritable(FileError):
    """The lock cannot be created (a read-only folder, a full disk): nothing can be saved there."""

    def __init__(self, path: Path, reason: str):
        self.reason = reason
        super().__init__([f"{path}: cannot be changed here ({reason}); nothing was changed"])


class Locked(Exception):
    def __init__(self, path: Path, by: Holder):
        self.path, self.by = path, by
        super().__init__(f"{path}: being edited by {by}")


_HELD: set[FileLock] = set()  # this process's locks, for `release_all` when its terminal goes


def release_all() -> None:
    """Release every lock this process holds (a UI whose terminal was closed: SIGHUP)."""
    for lock in list(_HELD):
        lock.release()


class FileLock:
    """Hold the lock on a claim file for as long as this object is open.

    `reviewer` is the name the holder is shown by (default: `reviewer_name()`); the login
    name is recorded beside it.
    """

    def __init__(self, path: Path | str, reviewer: str | None = None):
        self.path = Path(path)
        self.lock = lock_path(path)
        self.reviewer = reviewer_name(reviewer)
        self.held = False
        self._token = secrets.token_hex(8)

    def acquire(self) -> None:
        """Take the lock, or raise Locked (naming who holds it) or Unwritable (a FileError)."""
        me = LockRecord(user=_user(), host=socket.gethostname(), pid=os.getpid(),
                        since=datetime.now(UTC).isoformat(timespec="seconds"), reviewer=self.reviewer,
                        token=self._token)
        try:
            for _ in range(TRIES):
                try:
                    _create(self.lock, me.model_dump_json())
                except FileExistsError:
                    h = _remove_if_stale(self.lock)
                    if h is not None:
                        raise Locked(self.path, h) from None
                    continue
                self.held = True
                _HELD.add(self)
                # What a killed `_create` left (its temporary, written or linked but never
                # removed): swept by the next holder, under the same rule as a save's.
                yamlio.sweep(self.lock.parent, self.lock.name)
                return
        except OSError as e:
            raise Unwritable(self.path, e.strerror or str(e)) from None
        raise Locked(self.path, holder(self.path) or Holder("someone unknown", "unknown", 0, "unknown"))

    def release(self) -> None:
        if self.held:
            try:
                r = _record(self.lock.read_bytes())
                # Only our own lock: had ours been removed by hand, the one there now is someone else's.
                if r is not None and r.token == self._token:
                    os.unlink(self.lock)
            except FileNotFoundError:
                pass
            self.held = False
            _HELD.discard(self)

    def __enter__(self) -> FileLock:
        self.acquire()
        return self

    def __exit__(self, *_exc) -> None:
        self.release()


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return f"uid{os.getuid()}"


def reviewer_name(explicit: str | None = None) -> str:
    """--reviewer, else CLAIMCHECK_REVIEWER, else the login name."""
    return explicit or os.environ.get("CLAIMCHECK_REVIEWER") or _user()
