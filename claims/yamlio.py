"""Strict YAML reading and atomic writing, shared by claim files, rule packs and the audit log.

Reading keeps the composed node tree so that a validation error found later can be reported
at the `file:line:col` where the offending value was written. Claim files are written by a
small emitter of our own (`emit`); `read_emitted` reads its output back several times faster
than the parser, and proves each answer by writing it again.
"""
from __future__ import annotations

import gc
import json
import os
import re
import stat
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

from . import failpoints
from .errors import FileError

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _StrictLoader(Loader):  # type: ignore[misc, valid-type]
    def construct_mapping(self, node, deep=False):
        # Duplicate keys are refused (PyYAML would keep the last); compared as written.
        keys: set = set()
        for key_node, _ in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else id(key_node)
            if key in keys:
                raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
            keys.add(key)
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_int(self, node):
        # Python refuses to read an integer of more than 4,300 digits (a ValueError with no
        # place); no count or offset in our files comes near that.
        digits = sum(ch.isdigit() for ch in node.value)
        if digits > MAX_INT_DIGITS:
            raise yaml.constructor.ConstructorError(
                None, None, f"a number of {digits} digits is too long (at most {MAX_INT_DIGITS})", node.start_mark)
        return super().construct_yaml_int(node)


MAX_INT_DIGITS = 1000
_StrictLoader.add_constructor("tag:yaml.org,2002:int", _StrictLoader.construct_yaml_int)


def _where(path: Path | str, mark) -> str:
    return f"{path}:{mark.line + 1}:{mark.column + 1}"


def _refuse_aliases(root: yaml.Node, path) -> None:
    # Claim files and rule packs never need anchors; refusing shared nodes up front keeps an
    # alias bomb from expanding into gigabytes during validation.
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            raise FileError([f"{_where(path, node.start_mark)}: YAML aliases are not allowed here"])
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                stack.extend((k, v))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


def _at(text: str, position: int, path) -> str:
    # libyaml counts a reader error's position in bytes of UTF-8, PyYAML's own reader in characters.
    if issubclass(Loader, getattr(yaml, "CSafeLoader", ())):
        position = len(text.encode("utf-8")[:position].decode("utf-8", errors="ignore"))
    before = text[:position]
    return f"{path}:{before.count(chr(10)) + 1}:{position - before.rfind(chr(10))}"


class Document:
    """A parsed YAML document: its data and the node tree it came from."""

    def __init__(self, path: Path | str, data: Any, node: yaml.Node | None):
        self.path, self.data, self.node = path, data, node

    def where(self, loc: tuple) -> str:
        """`file:line:col` of the value at a pydantic-style location, or of its nearest parent."""
        node = self._node_at(loc)
        if node is None:
            return str(self.path)
        return _where(self.path, node.start_mark)

    def where_in(self, loc: tuple, needle: str) -> str:
        """`file:line:col` of `needle` inside the string at `loc` (a group inside a pattern),
        where its place can be told: a plain or single-quoted string on one line. Else `where`."""
        node = self._node_at(loc)
        if not isinstance(node, yaml.ScalarNode) or node.start_mark.line != node.end_mark.line \
                or node.style not in (None, "'") or needle not in node.value:
            return self.where(loc)
        i = node.value.index(needle)
        col = node.start_mark.column + (1 + node.value.count("'", 0, i) if node.style == "'" else 0) + i
        return f"{self.path}:{node.start_mark.line + 1}:{col + 1}"

    def _node_at(self, loc: tuple) -> yaml.Node | None:
        node = self.node
        for part in loc:
            if isinstance(node, yaml.MappingNode):
                nxt = next((v for k, v in node.value if k.value == str(part)), None)
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
                nxt = node.value[part]
            else:
                nxt = None
            if nxt is None:
                break
            node = nxt
        return node


@contextmanager
def no_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector. A parser allocating a node per value, a mark per
    node, triggers it again and again over a heap that only grows: reading 10,000 claims
    took five times as long with it running. The objects made meanwhile are not lost to it;
    it looks at them when it runs next."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def parse(text: str, path: Path | str) -> Document:
    """Parse one YAML document strictly: duplicate keys and aliases are refused with a position."""
    loader = _StrictLoader(text)
    try:
        with no_gc():
            node = loader.get_single_node()
            if node is None:
                return Document(path, None, None)
            if "&" in text:  # an alias needs an anchor; without one there is nothing to look for
                _refuse_aliases(node, path)
            data = loader.construct_document(node)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        where = _where(path, mark) if mark else str(path)
        raise FileError([f"{where}: {e.problem or e.context}"]) from None
    except yaml.reader.ReaderError as e:
        ch = f"U+{e.character:04X}" if isinstance(e.character, int) else repr(e.character)
        raise FileError([f"{_at(text, e.position, path)}: character {ch} cannot be in a YAML file ({e.reason})"]) from None
    except yaml.YAMLError as e:
        raise FileError([f"{path}: {' '.join(str(e).split())}"]) from None
    except RecursionError:
        # Only a file made to break readers nests this deep: claim files, rule packs and audit
        # logs are a few levels.
        raise FileError([f"{path}: nested too deeply to read (hundreds of levels); not a file claimcheck writes"]) from None
    finally:
        loader.dispose()
    return Document(path, data, node)


MAX_FILE_BYTES = 512 * 2**20  # a claim file of a million claims is ~350 MB


def read_bounded(path: Path, limit: int, what: str = "file") -> bytes:
    """A regular file's bytes, refused before reading when it is not one (a FIFO or a device
    would block or never end) and cut off at `limit` however it reports its size (a file
    growing while read, /proc); FileError with one line otherwise."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(21, "is a folder")
        if not stat.S_ISREG(st.st_mode):
            kind = "a FIFO (named pipe)" if stat.S_ISFIFO(st.st_mode) else "a device" if stat.S_ISCHR(st.st_mode) or \
                stat.S_ISBLK(st.st_mode) else "not a regular file"
            raise FileError([f"{path}: is {kind}, not a {what}; nothing was read"])
        chunks, size = [], 0
        while size <= limit and (chunk := os.read(fd, min(1 << 20, limit + 1 - size))):
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise FileError([f"{path}: larger than {limit / 2**20:.0f} MB, too large for a {what}"])
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_text(path: Path) -> str:
    """Read a UTF-8 file we own (claim file, rule pack), with a one-line error."""
    try:
        return read_bounded(path, MAX_FILE_BYTES).decode("utf-8-sig")
    except IsADirectoryError:
        raise FileError([f"{path}: is a folder, not a file"]) from None
    except FileNotFoundError:
        raise FileError([f"{path}: no such file"]) from None
    except UnicodeDecodeError as e:
        raise FileError([f"{path}: not UTF-8 (byte {e.start}): {e.reason}"]) from None
    except OSError as e:
        raise FileError([f"{path}: cannot read: {e.strerror or e}"]) from None


class Flow(dict):
    """A mapping written on one line ({start: 1, end: 5}): for small records inside a claim."""


class _Dumper(Dumper):  # type: ignore[misc, valid-type]
    pass


_Dumper.add_representer(
    Flow, lambda d, data: d.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=True)
)


def dump(data: Any) -> str:
    """YAML with Chinese as characters and keys in the given order; `Flow` mappings inline."""
    return yaml.dump(
        data,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=1_000_000,
    )


# Characters a YAML reader refuses, or reads as a line break inside a double-quoted scalar:
# they are written as escapes so that every string comes back exactly.
_YAML_UNSAFE = re.compile("[^\x09\x0a\x0d\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
# So are the invisible format characters (Unicode category Cf: bidirectional overrides,
# zero-width spaces, a BOM inside a text), so that a claim file read with `cat`, an editor or
# a diff shows an article's words visibly and in their order. Two plain classes, because
# searching them is five times faster than a union of the two.
_INVISIBLE = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)
_ESCAPE = re.compile(f"{_YAML_UNSAFE.pattern}|{_INVISIBLE.pattern}")


_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*\Z")
# json.dumps(s, ensure_ascii=False) without building an encoder at every call (the C
# function behind it): a tenth of the cost, and strings are most of a claim file.
_json_string = getattr(json.encoder, "c_encode_basestring", None) or json.encoder.py_encode_basestring
_YAML_WORDS = {"y", "n", "yes", "no", "true", "false", "on", "off", "null", "nan", "inf"}


def _quote(s: str) -> str:
    if _PLAIN.match(s) and s.lower() not in _YAML_WORDS:
        return s  # identifiers (ids, kinds, statuses, rule ids) read better bare
    # JSON's double-quoted strings are YAML double-quoted strings; JSON leaves a few characters
    # raw that YAML does not allow there (NEL, line and paragraph separators, DEL, C1 controls).
    q = _json_string(s)
    if _YAML_UNSAFE.search(q) or _INVISIBLE.search(q):
        q = _ESCAPE.sub(lambda m: f"\\u{ord(m.group()):04x}" if ord(m.group()) < 0x10000 else f"\\U{ord(m.group()):08x}", q)
    return q


def _scalar(v: Any) -> str:
    if v.__class__ is str:  # most values: tested first
        return _quote(v)
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if v != v:
            return ".nan"
        if v in (float("inf"), float("-inf")):
            return ".inf" if v > 0 else "-.inf"
        r = repr(v)
        # YAML 1.1 reads 1e-07 as a string: a float needs its dot (1.0e-07), as PyYAML writes it.
        return r.replace("e", ".0e", 1) if "e" in r and "." not in r else r
    if isinstance(v, str):
        return _quote(v)
    raise TypeError(f"cannot write {type(v).__name__} as YAML")


def _flow(v: Any) -> str:
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {_flow(x)}" for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ", ".join(_flow(x) for x in v) + "]"
    return _scalar(v)


def _block(v: Any, indent: str, out: list[str]) -> None:
    # Called for a mapping's entries or a sequence's items, at `indent`.
    if isinstance(v, dict):
        for k, x in v.items():
            if not isinstance(k, str) or not k.isidentifier():
                raise TypeError(f"key {k!r} is not a plain identifier")
            if x.__class__ is str:  # most values: the shortest way
                out.append(f"{indent}{k}: {_quote(x)}\n")
            elif isinstance(x, Flow) or not isinstance(x, (dict, list)) or not x or (
                isinstance(x, list) and not any(isinstance(i, (dict, list)) for i in x)
            ):
                out.append(f"{indent}{k}: {_flow(x)}\n")
            elif isinstance(x, dict):
                out.append(f"{indent}{k}:\n")
                _block(x, indent + "  ", out)
            else:
                out.append(f"{indent}{k}:\n")
                _block(x, indent, out)
    else:
        for item in v:
            if isinstance(item, dict) and item and not isinstance(item, Flow):
                sub: list[str] = []
                _block(item, indent + "  ", sub)
                sub[0] = indent + "- " + sub[0][len(indent) + 2 :]
                out.extend(sub)
            else:
                out.append(f"{indent}- {_flow(item)}\n")


def emit(data: dict) -> str:
    """YAML for JSON-like data, fast: keys plain, every string double-quoted (and so never
    mistaken for a number, a date or `no`), `Flow` mappings and lists of scalars on one line.

    Written for claim files, where PyYAML's representer was most of the cost of a save.
    """
    out: list[str] = []
    _block(data, "", out)
    return "".join(out)


class _NotEmitted(Exception):
    """The text is not in the shape `emit` writes: read it with the YAML parser."""


_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(?: |$)")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_BARE_STRING = re.compile(r'"([^"\\]*)"')  # no escapes: its characters are its value
_TOKEN = re.compile(r"[A-Za-z0-9_.+\-]+")
_INT = re.compile(r"-?[0-9]+\Z")
_FLOAT = re.compile(r"-?[0-9]+\.[0-9]*(?:e[-+]?[0-9]+)?\Z")
_WORDS = {"null": None, "true": True, "false": False, ".nan": float("nan"), ".inf": float("inf"), "-.inf": float("-inf")}


def read_emitted(text: str) -> Any:
    """The data `emit` wrote as `text`, read several times faster than a YAML parser can, or
    None when the text is anything else (edited by hand, another writer's, not YAML at all).

    Every result is proven, not trusted: it is written again and must give back `text` to the
    character, and what `emit` writes reads back as its data (the test suite checks that for
    arbitrary claim files). So whatever this returns is what a YAML parser returns; the parser
    is still used for anything else and for every error message.
    """
    if not text.endswith("\n"):
        return None
    lines = text.split("\n")
    lines.pop()
    try:
        data, end = _read_block(lines, 0, "", None)
    except (_NotEmitted, IndexError, ValueError, RecursionError):
        return None
    if end != len(lines) or emit(data) != text:
        return None
    return data


def _read_block(lines: list[str], i: int, indent: str, first: str | None) -> tuple[Any, int]:
    # A mapping or a sequence at `indent`; `first` stands in for line i when a sequence item
    # opened it (`- key: value` is read as `  key: value`).
    line = first if first is not None else lines[i]
    if line.startswith(indent + "- "):
        return _read_items(lines, i, indent)
    out: dict = {}
    while i < len(lines):
        line = first if first is not None else lines[i]
        first = None
        if not line.startswith(indent) or line[len(indent) : len(indent) + 1] in (" ", "-"):
            break
        m = _KEY.match(line, len(indent))
        if m is None:
            raise _NotEmitted
        key = m.group(1)
        if key in out:
            raise _NotEmitted  # a duplicate key: the parser refuses it with its position
        if m.end() < len(line):
            value, j = _read_flow(line, m.end())
            if j != len(line):
                raise _NotEmitted
            out[key] = value
            i += 1
            continue
        i += 1
        nxt = lines[i]
        if nxt.startswith(indent + "- "):
            out[key], i = _read_items(lines, i, indent)
        elif nxt.startswith(indent + "  "):
            out[key], i = _read_block(lines, i, indent + "  ", None)
        else:
            raise _NotEmitted
    return out, i


def _read_items(lines: list[str], i: int, indent: str) -> tuple[list, int]:
    out: list = []
    lead = indent + "- "
    while i < len(lines) and lines[i].startswith(lead):
        item_text = lines[i][len(lead) :]  # what follows the dash
        if _KEY.match(item_text):
            item, i = _read_block(lines, i, indent + "  ", indent + "  " + item_text)
            out.append(item)
        else:
            value, j = _read_flow(item_text, 0)
            if j != len(item_text):
                raise _NotEmitted
            out.append(value)
            i += 1
    return out, i


def _read_flow(s: str, i: int) -> tuple[Any, int]:
    c = s[i]
    if c == '"':
        # Most strings have no escape: taken as they stand, not through json.loads (a fifth of
        # the reading). One with a raw control character is then not what `emit` writes, and
        # the check by writing again sends the file to the parser.
        m = _BARE_STRING.match(s, i)
        if m is not None:
            return m.group(1), m.end()
        m = _STRING.match(s, i)
        if m is None:
            raise _NotEmitted
        return json.loads(m.group()), m.end()
    if c == "{":
        out = Flow()
        i += 1
        if s[i] == "}":
            return out, i + 1
        while True:
            m = _KEY.match(s, i)
            if m is None or m.end() == len(s):
                raise _NotEmitted
            out[m.group(1)], i = _read_flow(s, m.end())
            if s[i] == "}":
                return out, i + 1
            if s[i : i + 2] != ", ":
                raise _NotEmitted
            i += 2
    if c == "[":
        items: list = []
        i += 1
        if s[i] == "]":
            return items, i + 1
        while True:
            value, i = _read_flow(s, i)
            items.append(value)
            if s[i] == "]":
                return items, i + 1
            if s[i : i + 2] != ", ":
                raise _NotEmitted
            i += 2
    m = _TOKEN.match(s, i)
    if m is None:
        raise _NotEmitted
    word = m.group()
    if word in _WORDS:
        return _WORDS[word], m.end()
    if _INT.match(word):
        return int(word), m.end()
    if _FLOAT.match(word):
        return float(word), m.end()
    if _PLAIN.match(word):
        return word, m.end()
    raise _NotEmitted


def emit_items(items: list, out: list[str]) -> None:
    """The entries of a block sequence at the top level, as `emit` writes them under a key."""
    _block(items, "", out)


def write_atomic(path: Path, text: str | bytes) -> None:
    """Replace `path` with `text` so a crash leaves either the old or the new file, never a torn one.

    The new file keeps the mode (and, where the owner may set it, the group) of the file it
    replaces; a file that did not exist gets the mode a plain `open()` would give it under
    the umask. A failure (full disk, read-only folder) raises FileError and leaves the old
    file as it was.
    """
    path = Path(path)
    if path.is_symlink():  # replace the file the link names, not the link (shared through links)
        path = Path(os.path.realpath(path))
    folder = path.parent if str(path.parent) else Path(".")
    data = text.encode("utf-8") if isinstance(text, str) else text
    try:
        old = os.stat(path)
    except OSError:
        old = None
    if old is not None and not stat.S_ISREG(old.st_mode):
        old = None  # nothing whose mode could be kept: os.replace will say what is wrong
    tmp = None
    try:
        # mkstemp creates the temporary 0600, so it is never readable by more people than the
        # file will be; once written, its mode becomes the file's own (before the fsync, which
        # makes the mode durable with the content).
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        failpoints.step("save: temporary created")
        with os.fdopen(fd, "wb") as f:
            failpoints.torn("save: write", f, data)
            f.write(data)
            f.flush()
            failpoints.step("save: flush")
            if old is not None:
                keep_mode(f.fileno(), old)
            else:
                os.fchmod(f.fileno(), 0o666 & ~umask())
            os.fsync(f.fileno())
            failpoints.step("save: fsync")
        os.replace(tmp, path)
        failpoints.step("save: replace")
        tmp = None
        sweep(folder, path.name)
    except OSError as e:
        kept = "the old file is unchanged" if path.exists() else "nothing was written"
        raise FileError([f"{path}: cannot save ({e.strerror or e}); {kept}"]) from None
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
    _fsync_dir(folder)
    failpoints.step("save: folder fsync")


STALE_TEMP_SECONDS = 60


def sweep(folder: Path, name: str) -> None:
    """Remove what a killed write of `name` left: only temporaries of our own pattern (mkstemp's
    `.NAME.XXXXXXXX.tmp`), older than a minute (a write in progress elsewhere is younger). A
    claim file's save sweeps its own; a lock's creation sweeps the lock's (claims/lock.py)."""
    pattern = re.compile(rf"\.{re.escape(name)}\.[a-z0-9_]{{8}}\.tmp")
    cutoff = time.time() - STALE_TEMP_SECONDS
    try:
        with os.scandir(folder) as entries:
            for e in entries:
                if pattern.fullmatch(e.name) and e.is_file(follow_symlinks=False) and \
                        e.stat(follow_symlinks=False).st_mtime < cutoff:
                    try:
                        os.unlink(e.path)
                    except OSError:
                        pass
    except OSError:
        pass  # a folder we cannot list: the save itself is done


def keep_mode(fd: int, like: os.stat_result) -> None:
    """Give the open file `fd` the group (where permitted) and then the mode of `like`."""
    if os.fstat(fd).st_gid != like.st_gid:
        try:
            os.fchown(fd, -1, like.st_gid)  # first: a change of group may clear set-id bits
        except OSError:
            pass  # not a member of that group: the file keeps ours (the folder's, if setgid)
    os.fchmod(fd, stat.S_IMODE(like.st_mode))


def umask() -> int:
    """The process's umask, read without changing it where the system allows (Linux)."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    # Elsewhere the umask can only be read by setting it. Set to the strictest value for that
    # instant, so that a file another thread creates meanwhile is, if anything, more private.
    old = os.umask(0o077)
    os.umask(old)
    return old


def _fsync_dir(folder: Path) -> None:
    # Makes the rename itself durable; not every file system allows it, which is harmless.
    try:
        dir_fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)
