"""Advisory locks on claim files, so that two editors never overwrite each other's work.

`x.claims.yaml.lock` holds who has the file open (user, host, pid, since). A second editor is
refused or opens read-only, and is told who holds it; a lock left by a dead process on this
host is stale and is taken over.
"""
from __future__ import annotations

import getpass
import json
import os
import socket
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .yamlio import FileError


@dataclass(frozen=True)
class Holder:
    user: str
    host: str
    pid: int
    since: str

    def __str__(self) -> str:
        if not self.pid:  # not a process: an unreadable lock, or a folder we cannot write to
            return self.user
        return f"{self.user} on {self.host} (pid {self.pid}, since {self.since})"


def lock_path(path: Path | str) -> Path:
    p = Path(path)
    return p.with_name(p.name + ".lock")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def holder(path: Path | str) -> Holder | None:
    """Who holds the lock on a claim file, or None if it is free (or held by a dead process here)."""
    lp = lock_path(path)
    try:
        data = json.loads(lp.read_text(encoding="utf-8"))
        h = Holder(str(data["user"]), str(data["host"]), int(data["pid"]), str(data["since"]))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        # unreadable: respect it, and say how to get rid of it
        return Holder(f"someone unknown ({lp} cannot be read; remove it if no one is editing)", "unknown", 0, "unknown")
    if h.host == socket.gethostname() and not _alive(h.pid):
        return None
    return h


def _create(lock: Path, content: str) -> None:
    """Create `lock` holding `content` in one step; FileExistsError if it already exists.

    The content is written to a temporary file that is then hard-linked into place, so a
    crash can never leave an empty lock file that names no one and is never taken over.
    """
    fd, tmp = tempfile.mkstemp(prefix=f".{lock.name}.", suffix=".tmp", dir=lock.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            os.fchmod(f.fileno(), 0o644)  # others must be able to read who holds it
            f.write(content)
        try:
            os.link(tmp, lock)
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


class FileLock:
    """Hold the lock on a claim file for as long as this object is open."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.lock = lock_path(path)
        self.held = False

    def acquire(self) -> None:
        """Take the lock, or raise Locked (naming who holds it) or Unwritable (a FileError)."""
        me = {"user": _user(), "host": socket.gethostname(), "pid": os.getpid(),
              "since": datetime.now(UTC).isoformat(timespec="seconds")}
        try:
            for _ in range(2):
                try:
                    _create(self.lock, json.dumps(me))
                except FileExistsError:
                    h = holder(self.path)
                    if h is not None:
                        raise Locked(self.path, h) from None
                    # stale: its process is gone; take it over
                    try:
                        os.unlink(self.lock)
                    except FileNotFoundError:
                        pass
                    continue
                self.held = True
                return
        except OSError as e:
            raise Unwritable(self.path, e.strerror or str(e)) from None
        raise Locked(self.path, holder(self.path) or Holder("someone unknown", "unknown", 0, "unknown"))

    def release(self) -> None:
        if self.held:
            try:
                os.unlink(self.lock)
            except FileNotFoundError:
                pass
            self.held = False

    def __enter__(self) -> FileLock:
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return f"uid{os.getuid()}"


def reviewer_name(explicit: str | None = None) -> str:
    """--reviewer, else CLAIMCHECK_REVIEWER, else the login name."""
    return explicit or os.environ.get("CLAIMCHECK_REVIEWER") or _user()
