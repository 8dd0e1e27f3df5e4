"""Reading an article file: bounded (a FIFO, a device or a runaway file is refused before or
while reading), not empty, decoded (claims/text.py) with the encoding it was written in."""
from __future__ import annotations

from pathlib import Path

from .errors import FileError
from .text import decode
from .yamlio import read_bounded

# A news article is kilobytes; anything this big is an archive or a mistake, and its claims
# would not fit one reviewable file. Checked before reading, so memory stays bounded.
MAX_ARTICLE_BYTES = 20 * 1024 * 1024


def read_article(path: Path | str, max_bytes: int = MAX_ARTICLE_BYTES) -> tuple[bytes, str, str]:
    """An article's bytes, decoded text and encoding; FileError with one line otherwise."""
    data = read_bytes(path, max_bytes)
    text, encoding = decode(data, str(path))
    return data, text, encoding


def read_bytes(path: Path | str, max_bytes: int = MAX_ARTICLE_BYTES) -> bytes:
    """An article's bytes (a text, a saved page, a Word file), not empty and within the limit;
    FileError with one line otherwise."""
    path = Path(path)
    if path.is_dir():
        raise FileError([f"{path}: is a folder, not an article"])
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise FileError([f"{path}: no such file"]) from None
    except OSError as e:
        raise FileError([f"{path}: cannot read: {e.strerror or e}"]) from None
    too_large = FileError([f"{path}: {max(size, max_bytes + 1) / 2**20:.0f} MB is too large for one article "
                           f"(limit {max_bytes / 2**20:.0f} MB); split it into articles first"])
    if size > max_bytes:
        raise too_large
    try:
        data = read_bounded(path, max_bytes, "text article")
    except FileError as e:
        raise (too_large if "larger than" in e.problems[0] else e) from None
    except FileNotFoundError:
        raise FileError([f"{path}: no such file"]) from None
    except OSError as e:
        raise FileError([f"{path}: cannot read: {e.strerror or e}"]) from None
    if not data.strip():
        raise FileError([f"{path}: the article is empty"])
    return data
