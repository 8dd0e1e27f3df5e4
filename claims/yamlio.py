"""Strict YAML reading and atomic writing, shared by claim files, rule packs and the audit log.

Reading keeps the composed node tree so that a validation error found later can be reported
at the `file:line:col` where the offending value was written.
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class FileError(Exception):
    """A file that cannot be used, with every problem as `file:line:col: what` lines."""

    def __init__(self, problems: Iterable[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


class _StrictLoader(Loader):  # type: ignore[misc, valid-type]
    def construct_mapping(self, node, deep=False):
        keys: set = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in keys:
                m = key_node.start_mark
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", m
                )
            keys.add(key)
        return super().construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _StrictLoader.construct_mapping
)


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


class Document:
    """A parsed YAML document: its data and the node tree it came from."""

    def __init__(self, path: Path | str, data: Any, node: yaml.Node | None):
        self.path, self.data, self.node = path, data, node

    def where(self, loc: tuple) -> str:
        """`file:line:col` of the value at a pydantic-style location, or of its nearest parent."""
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
        if node is None:
            return str(self.path)
        return _where(self.path, node.start_mark)


def parse(text: str, path: Path | str) -> Document:
    """Parse one YAML document strictly: duplicate keys and aliases are refused with a position."""
    loader = _StrictLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return Document(path, None, None)
        _refuse_aliases(node, path)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        where = _where(path, mark) if mark else str(path)
        raise FileError([f"{where}: {e.problem or e.context}"]) from None
    except yaml.YAMLError as e:
        raise FileError([f"{path}: {e}"]) from None
    finally:
        loader.dispose()
    return Document(path, data, node)


def read_text(path: Path) -> str:
    """Read a UTF-8 file we own (claim file, rule pack), with a one-line error."""
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise FileError([f"{path}: not UTF-8 (byte {e.start}): {e.reason}"]) from None
    except OSError as e:
        raise FileError([f"{path}: {e.strerror or e}"]) from None


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


def write_atomic(path: Path, text: str) -> None:
    """Replace `path` with `text` so a crash leaves either the old or the new file, never a torn one.

    A failure (full disk, read-only folder) raises FileError and leaves the old file as it was.
    """
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
        tmp = None
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
