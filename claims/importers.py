"""Articles that arrive as documents: a saved web page (.html) or a Word file (.docx) → the
article's text and what the document says of it (title, date, address).

The text is what claimcheck extracts from and what the claim file's offsets point into, so it
is laid out as a text article is (title, date line, blank line, paragraphs) and saved beside the
claim file as `NAME.txt` (`prepare`, then `save` once the claim file may be written): review,
`check` and re-extraction then treat it as any text article.
"""
from __future__ import annotations

import codecs
import datetime as dt
import zipfile
from dataclasses import dataclass
from pathlib import Path

import regex

from . import store
from .articles import read_bytes
from .errors import FileError
from .text import decode
from .yamlio import write_atomic

PAGE_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
WORD_SUFFIXES = (".docx",)
DOCUMENT_SUFFIXES = PAGE_SUFFIXES + WORD_SUFFIXES


@dataclass(frozen=True)
class Imported:
    lines: tuple[str, ...]  # the article's paragraphs, its title first
    date: str | None = None  # ISO 8601, from the page's metadata
    url: str | None = None  # the page's own address (canonical link, og:url)
    dateline: bool = False  # a page's date is in its markup: the text is given a date line

    @property
    def title(self) -> str:
        return self.lines[0]

    def text(self, date: str | None = None) -> str:
        """The article as claimcheck reads it, one paragraph a line. A page's title is followed by a
        date line (of `date`, else of its own date) and a blank line. The date line makes the
        saved text say its date, so that extracting it again alone reads 今年, 16日 alike."""
        if not self.dateline:  # a document's own lines, its date line among them
            return "\n".join(self.lines) + "\n"
        when = date or self.date
        head = [self.title, when] if when else [self.title]
        return "\n".join([*head, "", *self.lines[1:]]) + "\n"


def is_document(path: Path | str) -> bool:
    """A page or Word file, by its name: these are converted to text before extraction."""
    return str(path).lower().endswith(DOCUMENT_SUFFIXES)


def text_name(source: Path | str) -> str:
    """The name the converted text is saved under: `page.html` → `page.txt`."""
    return Path(source).stem + ".txt"


def read_document(path: Path | str, data: bytes) -> Imported:
    """The article of a page or Word file whose bytes are `data`; FileError with one line when
    there is none (a front page, a page of links, an empty document) or the file is not one."""
    path = Path(path)
    if path.suffix.lower() in WORD_SUFFIXES:
        return _from_docx(path, data)
    return _from_page(path, data)


# -- web pages -----------------------------------------------------------------------------------
# <meta charset="gbk">, or <meta http-equiv="Content-Type" content="text/html; charset=big5">
_DECLARED = regex.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", regex.IGNORECASE)
# What a declared Chinese encoding is in practice: pages that say gb2312 are GBK, and GB18030 is a
# superset of both; Big5 pages use the HKSCS and Microsoft additions that big5hkscs decodes.
_WIDER = {"gb2312": "gb18030", "gbk": "gb18030", "cp936": "gb18030", "big5": "big5hkscs", "cp950": "big5hkscs"}
_HTTP = regex.compile(r"^https?://[^\s/]+", regex.IGNORECASE)


def declared_encoding(data: bytes) -> str | None:
    """The encoding a page declares in a <meta> near its top, as a Python codec name."""
    m = _DECLARED.search(data[:8192])
    if not m:
        return None
    try:
        name = codecs.lookup(m.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None
    return _WIDER.get(name, name)


def decode_page(data: bytes, name: str) -> str:
    """A page's HTML as text: a byte-order mark first, then the declared encoding, then what the
    bytes are (claims.text.decode); one line naming the page when nothing fits."""
    declared = None if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) \
        else declared_encoding(data)
    if declared:
        try:
            return data.decode(declared)
        except UnicodeDecodeError as e:
            # Saved pages lie about their encoding (a UTF-8 copy of a GBK page keeps its <meta>):
            # the bytes decide, and only when they fit nothing is it an error.
            try:
                return decode(data, name)[0]
            except FileError:
                raise FileError([f"{name}: declares {declared} but byte {e.start} is not {declared}, "
                                 "and the page is not UTF-8, GB18030 or Big5 either"]) from None
    return decode(data, name)[0]


def _iso_date(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return None


def _title(meta_title: str | None, first: str) -> str:
    """The headline: the page's title without the site's name when the article repeats it."""
    title = " ".join((meta_title or "").split())
    # `<title>` and og:title often add ` | 財經 | 示例通訊社` or `_财经频道_…`; the headline in the
    # article (its <h1>, which trafilatura keeps as the first line) is the title without them.
    if first and len(first) >= 4 and title.startswith(first):
        return first
    return title


def _from_page(path: Path, data: bytes) -> Imported:
    import trafilatura  # a few hundred milliseconds to load: only when a page is read
    from trafilatura.metadata import extract_metadata

    html = decode_page(data, str(path))
    body = trafilatura.extract(html, output_format="txt", include_comments=False, include_tables=True,
                               favor_precision=True, deduplicate=False)
    if not body or not regex.search(r"\p{Han}|\p{L}{3}", body):
        raise FileError([f"{path}: no article text found in this page (a front page or a list of links?)"])
    # extensive=False: the date is taken from the page's markup (meta tags, JSON-LD, <time>, the
    # address), never guessed from a date written somewhere in its text.
    meta = extract_metadata(html, extensive=False)
    lines = _lines(body.splitlines())
    title = _title(meta.title, lines[0]) or lines[0]
    if lines[0] == title:
        lines = lines[1:]
    url = meta.url if meta.url and _HTTP.match(meta.url) else None
    return Imported((title, *lines), _iso_date(meta.date), url, dateline=True)


def _lines(lines) -> list[str]:
    """Paragraphs with their runs of spaces made one, empty ones left out."""
    return [x for x in (" ".join(line.split()) for line in lines) if x]


# -- Word files ----------------------------------------------------------------------------------
def _from_docx(path: Path, data: bytes) -> Imported:
    import io

    import docx
    from docx.table import Table

    try:
        doc = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as e:
        raise FileError([f"{path}: not a Word document (.docx): {e}"]) from None
    lines: list[str] = []
    for block in doc.iter_inner_content():  # paragraphs and tables in the order they are read
        if isinstance(block, Table):
            for row in block.rows:
                cells = [" ".join(c.text.split()) for c in row.cells]
                lines.append(" ｜ ".join(dict.fromkeys(c for c in cells if c)))  # merged cells repeat
        else:
            lines.append(block.text)
    lines = _lines(lines)
    if not lines:
        raise FileError([f"{path}: no article text found in this document"])
    # The document's first line is its title, as in a text article. Its core properties are not
    # used: their title is often a template's, and their dates are when the file was made or
    # saved, not the article's (which comes from its date line, or --date).
    return Imported(tuple(lines))


# -- the text saved beside the claim file ------------------------------------------------------
@dataclass(frozen=True)
class Prepared:
    """A document converted and ready to extract: what the claim file records and points into."""

    source: Path
    text_path: Path  # where the text is saved: NAME.txt beside the claim file
    data: bytes  # the text as saved (UTF-8): its sha256 is the claim file's
    text: str
    date: str | None
    url: str | None


def prepare(source: Path | str, folder: Path | str, claim_file: Path | None = None,
            force: bool = False, date: str | None = None) -> Prepared:
    """Convert `source` (its date line saying `date` when given) and choose where its text goes
    (`folder`/NAME.txt), refusing (FileError) a file of that name that holds something else: an
    earlier text of this page may be replaced (the claim file there records it), a text of the
    user's never, unless `force`."""
    source = Path(source)
    imported = read_document(source, read_bytes(source))
    text = imported.text(date)
    data = text.encode("utf-8")
    text_path = Path(folder) / text_name(source)
    if text_path.exists() and not force and not _ours(text_path, data, claim_file):
        raise FileError([f"{text_path}: already exists and is not the text of {source}; claimcheck saves a "
                         "page's text there: move it away, or give --force to replace it"])
    return Prepared(source, text_path, data, text, date or imported.date, imported.url)


def _ours(text_path: Path, data: bytes, claim_file: Path | None) -> bool:
    try:
        if text_path.read_bytes() == data:
            return True
    except OSError:
        return False
    if claim_file is None or not claim_file.exists():
        return False
    try:
        recorded = store.load(claim_file).document.path
    except FileError:
        return False
    return Path(recorded).name == text_path.name


def save(p: Prepared) -> None:
    """Write the text where `prepare` chose (atomically; unchanged bytes are not rewritten)."""
    try:
        if p.text_path.read_bytes() == p.data:
            return
    except OSError:
        pass
    write_atomic(p.text_path, p.data)
