"""Where a command may write its `-o` file: never over what a user has.

A report or an export is refused, before anything is written, when its target is an article,
a claim file, an audit log or a lock (of the files at hand or any other), something that is
not a regular file (a folder, a device, a FIFO), or an existing file that the same command did
not write, unless `--force` is given for that last case only.
"""
from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Callable, Iterable
from pathlib import Path

from . import naming
from .errors import FileError

Sniff = Callable[[bytes], bool]
_PEEK = 1 << 16  # how much of an existing file is read to tell what it is

_CLAIM_FILE = re.compile(rb"^(?:\xef\xbb\xbf)?schema: *\d+\s*$", re.M)
_AUDIT_LOG = re.compile(rb"^---\r?\nseq: ")
_KINDS = {stat.S_IFDIR: "a folder", stat.S_IFCHR: "a device", stat.S_IFBLK: "a device",
          stat.S_IFIFO: "a FIFO (named pipe)", stat.S_IFSOCK: "a socket"}


def _what_it_is(path: Path, head: bytes) -> str | None:
    """What a file of the user's holds, if it is one claimcheck must never write over."""
    name = path.name
    if naming.is_audit_log(name) or _AUDIT_LOG.match(head):
        return "an audit log"
    if naming.is_lock(name):
        return "a lock"
    if naming.is_claim_file(name) or (_CLAIM_FILE.search(head[:200]) and b"\ndocument:" in head):
        return "a claim file"
    return None


def _peek(path: Path) -> bytes:
    # Non-blocking: a FIFO that slipped in between the stat and the open must not hang us.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        return os.read(fd, _PEEK)
    finally:
        os.close(fd)


def check(out: Path | str, command: str, *, ours: Sniff, keep: Iterable[Path] = (),
          force: bool = False, claim_files_ok: bool = False) -> Path:
    """The file to write for `-o out` (a link's target), or FileError saying why not.

    `ours` tells a file this command wrote before (it may be replaced); `keep` lists files
    at hand (articles, claim files, logs) that are never replaced; `claim_files_ok` lets
    `extract` write over a claim file (it merges into it)."""
    out = Path(out)
    target = Path(os.path.realpath(out)) if out.is_symlink() else out
    try:
        st = os.stat(target)
    except FileNotFoundError:
        return target
    except OSError as e:
        raise FileError([f"{out}: cannot be written ({e.strerror or e}); nothing was written"]) from None
    kind = _KINDS.get(stat.S_IFMT(st.st_mode))
    if kind is not None:
        raise FileError([f"{out}: is {kind}, not a file; -o needs a file name (nothing was written)"])
    for k in keep:
        try:
            if os.path.samefile(k, target):
                raise FileError([f"{out}: is {k}, one of the files this command reads; choose another -o "
                                 "(nothing was written)"])
        except OSError:
            continue
    try:
        head = _peek(target)
    except OSError as e:
        raise FileError([f"{out}: cannot be read to see what it is ({e.strerror or e}); nothing was written"]) from None
    what = _what_it_is(target, head)
    if what == "a claim file" and claim_files_ok:
        return target
    if what is not None:
        raise FileError([f"{out}: is {what}; `claimcheck {command}` never writes over one (choose another -o; "
                         "nothing was written)"])
    if not force and not ours(head):
        raise FileError([f"{out}: exists and was not written by `claimcheck {command}`; give --force to replace it, "
                         "or another -o (nothing was written)"])
    return target


def holds_claim_file(path: Path) -> bool:
    """Whether an existing regular file is a claim file (by name or by its first lines)."""
    try:
        return _what_it_is(path, _peek(path)) == "a claim file"
    except OSError:
        return False


def never(head: bytes) -> bool:
    """For commands whose every earlier output is recognised otherwise (claim files)."""
    return False


def sniff_json_list_of(type_name: str) -> Sniff:
    def ours(head: bytes) -> bool:
        try:
            data = json.loads(head.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return False
        return isinstance(data, list) and all(isinstance(x, dict) and x.get("@type") == type_name for x in data)
    return ours


def sniff_prefix(*prefixes: bytes) -> Sniff:
    def ours(head: bytes) -> bool:
        return head.removeprefix(b"\xef\xbb\xbf").startswith(prefixes)
    return ours
