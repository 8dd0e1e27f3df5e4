"""From bytes to text, and text to paragraphs, sentences, clauses and quotations.

Every span here is a half-open [start, end) pair of code-point offsets into the text exactly
as decoded: nothing is normalized before offsets are taken, so CRLF, full-width digits and
BOM-less files all keep `text[start:end]` true.
"""
from __future__ import annotations

import codecs
import datetime
import re
from dataclasses import dataclass

import regex

from .errors import FileError

# Big5-HKSCS is a superset of Big5 that Python decodes strictly; GB18030 a superset of GBK/GB2312.
_LEGACY = ("gb18030", "big5hkscs")


def _common_han_share(text: str) -> float:
    """Share of Han characters that are among the frequent ones of GB2312 level 1 or Big5.

    A legacy file decoded with the wrong codec still "succeeds" but yields rare characters;
    the right codec yields mostly common ones.
    """
    han = common = 0
    for ch in text:
        if "\u4e00" <= ch <= "\u9fff":
            han += 1
            try:
                gb = ch.encode("gb2312")
                if 0xB0 <= gb[0] <= 0xD7:
                    common += 1
                    continue
            except UnicodeEncodeError:
                pass
            try:
                b5 = ch.encode("big5")
                if 0xA4 <= b5[0] <= 0xC6:
                    common += 1
            except UnicodeEncodeError:
                pass
    return common / han if han else 0.0


def decode(data: bytes, name: str = "<input>") -> tuple[str, str]:
    """Decode an article's bytes; return (text, encoding name).

    UTF-8 with or without BOM, UTF-16/32 with BOM, GB18030 and Big5 (told apart by which one
    yields common characters). Raises FileError with one line when none fits.
    """
    # (mark, codec of what follows it, encoding recorded); UTF-32 LE's mark begins with UTF-16 LE's
    for bom, codec, enc in (
        (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
        (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return _no_nul(data[len(bom) :].decode(codec), name), enc
            except UnicodeDecodeError as e:
                label = codec[:-3].upper() if codec.endswith(("-le", "-be")) else codec.upper()
                raise FileError([f"{name}: starts with a {label} byte-order mark but byte {len(bom) + e.start} "
                                 f"is not {label} ({e.reason})"]) from None
    if b"\x00" in data[:4096]:
        raise FileError([f"{name}: looks like a binary file (NUL bytes), not a text article"])
    try:
        return _no_nul(data.decode("utf-8"), name), "utf-8"
    except UnicodeDecodeError as e:
        utf8_error = e
    best: tuple[float, str, str] | None = None
    for enc in _LEGACY:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        score = _common_han_share(text)
        if best is None or score > best[0]:
            best = (score, text, enc)
    if best is None or best[0] < 0.5:
        raise FileError(
            [f"{name}: not UTF-8 (byte {utf8_error.start}), and not GB18030 or Big5 Chinese text either"]
        )
    return _no_nul(best[1], name), best[2]


def _no_nul(text: str, name: str) -> str:
    """Refuse NUL characters inside an otherwise-text article: no editor shows them, and a claim
    file must never carry one."""
    at = text.find("\x00")
    if at < 0:
        return text
    line = text.count("\n", 0, at) + 1
    col = at - (text.rfind("\n", 0, at) + 1) + 1
    raise FileError([f"{name}:{line}:{col}: a NUL character inside the text (a damaged file?); remove it, "
                     "then extract again"])


# Characters that exist only in Traditional or only in Simplified writing, among the frequent.
_TRAD_ONLY = set("這個們來時說國會為對發經後過還開與關於資產業點電車東長門問間見親認證請讓選優區麼實應壓際陸無雙龍體總幣萬億兩億灣臺華區鄉縣團僅據預測較達億歲當從將數據")
_SIMP_ONLY = set("这个们来时说国会为对发经后过还开与关于资产业点电车东长门问间见亲认证请让选优区么实应压际陆无双龙体总币万亿两湾台华乡县团仅据预测较达岁当从将数")


# Classes of plain characters: the standard `re` counts them some six times faster than `regex`.
_TRAD_RE = re.compile("[" + "".join(sorted(_TRAD_ONLY - _SIMP_ONLY)) + "]")
_SIMP_RE = re.compile("[" + "".join(sorted(_SIMP_ONLY - _TRAD_ONLY)) + "]")


def is_traditional(text: str, sample: int = 200_000, decisive: int = 20) -> bool:
    """True when the text is written in Traditional characters (a Taiwan or Hong Kong desk).

    Characters only one script has are counted from the top, a thousand at a time, until one
    script leads by `decisive` or `sample` characters are read: an article does not change
    script halfway, and most are decided in their first paragraph.
    """
    trad = simp = 0
    for at in range(0, min(len(text), sample), 1000):
        chunk = text[at : min(at + 1000, sample)]
        trad += len(_TRAD_RE.findall(chunk))
        simp += len(_SIMP_RE.findall(chunk))
        if abs(trad - simp) >= decisive:
            break
    return trad > simp


# Segments and quotations are not frozen: a frozen dataclass sets each field through
# object.__setattr__, which makes building one 2.5x slower, and an article is cut into hundreds.
# Nothing assigns to them; they compare and hash by their fields as frozen ones do.
@dataclass(slots=True, unsafe_hash=True)
class Segment:
    start: int
    end: int


@dataclass(slots=True, unsafe_hash=True)
class Quote:
    start: int  # at the opening mark
    end: int  # after the closing mark
    speech: bool  # reads as someone's words rather than a name or a slogan


_LINE = regex.compile(r"[^\r\n]+")
_OPEN_CLOSE = {"“": "”", "「": "」", "『": "』", "‘": "’"}
_SPEECH = regex.compile(r"[，。！？；,!?;：]")
_MARKS = regex.compile(r'[“”「」『』"]')


def paragraphs(text: str) -> list[Segment]:
    """Non-blank lines, stripped of surrounding white space."""
    out = []
    for m in _LINE.finditer(text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if s < e:
            out.append(Segment(s, e))
    return out


def sentences(text: str, para: Segment) -> list[Segment]:
    """Sentences of a paragraph; closing quotation marks stay with the sentence they end."""
    return split(text, [para])[0]


_BULLETS = set("□■◎●○◆◇▲△★☆※·•-—> \t\u3000")


def clauses(text: str, sent: Segment) -> list[Segment]:
    """Clauses of a sentence, split at commas, semicolons and colons.

    Together they cover the sentence; `trim` gives the part a claim shows as its text.
    """
    return split(text, [sent])[1]


# A sentence end or a run of clause marks; the two share no character, so one scan finds the
# same ends as a scan for sentences and then one for the clauses of each sentence.
_ENDS = regex.compile(r"(?P<s>(?:[。！？!?]|…+)+[”’」』\"'）)]*)|[，,；;：:]+")


def split(text: str, paras: list[Segment]) -> tuple[list[Segment], list[Segment]]:
    """The sentences and the clauses of paragraphs, in one scan of each paragraph: a clause
    ends at a clause mark or where its sentence ends."""
    sents: list[Segment] = []
    out: list[Segment] = []
    for p in paras:
        sent = clause = p.start
        for m in _ENDS.finditer(text, p.start, p.end):
            e = m.end()
            out.append(Segment(clause, e))
            clause = e
            if m.lastgroup == "s":
                sents.append(Segment(sent, e))
                sent = e
        if clause < p.end:
            out.append(Segment(clause, p.end))
        if sent < p.end:
            sents.append(Segment(sent, p.end))
    return sents, out


def trim(text: str, seg: Segment) -> Segment:
    """A clause without leading bullets and white space or its trailing comma or colon."""
    s, e = seg.start, seg.end
    while s < e and text[s] in _BULLETS:
        s += 1
    while e > s and text[e - 1] in "，,；;：:、 \t\u3000":
        e -= 1
    return Segment(s, e) if s < e else seg


def quotes(text: str, para: Segment) -> list[Quote]:
    """Top-level quotations of a paragraph (“…”, 「…」, 『…』, and paired straight quotes)."""
    marks = [(m.start(), m.group()) for m in _MARKS.finditer(text, para.start, para.end)]
    out: list[Quote] = []
    k = 0
    while k < len(marks):
        i, ch = marks[k]
        close = _OPEN_CLOSE.get(ch, '"' if ch == '"' else None)
        if close is None:
            k += 1
            continue
        depth, n = 1, k + 1
        while n < len(marks):
            c = marks[n][1]
            if c == close:
                depth -= 1
                if depth == 0:
                    break
            elif c == ch and close != '"':
                depth += 1
            n += 1
        if n >= len(marks):  # unbalanced: treat as ordinary text
            k += 1
            continue
        j = marks[n][0]
        speech = j - i - 1 >= 25 or _SPEECH.search(text, i + 1, j) is not None
        out.append(Quote(i, j + 1, speech))
        k = n + 1
    return out


_DATELINE = regex.compile(
    r"(?P<y>(?:19|20)\d\d)\s*(?:年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"
    r"|[-/.](?P<m2>\d{1,2})[-/.](?P<d2>\d{1,2})(?!\d))"
)


def title_of(text: str) -> str:
    """The article's first non-blank line."""
    paras = paragraphs(text[:2000])
    return text[paras[0].start : paras[0].end] if paras else ""


def dateline(text: str, lines: int = 4) -> tuple[str, Segment] | None:
    """The article's own date, from a short date line near the top: (ISO date, its span).

    Only a line that is mostly a date (a dateline such as `2023年04月12日 01:45`, or a source
    line with a date) counts, so that a date in the first sentence of the story is not taken
    for the article's.
    """
    # The first line is the title; a date line follows it (as in the sample).
    for para in paragraphs(text[:3000])[1:lines]:
        line = text[para.start : para.end]
        m = _DATELINE.search(line)
        if not m or len(line) > 60 or line.endswith(("。", "！", "？")):
            continue
        han_outside = len(regex.findall(r"\p{Han}", line)) - len(regex.findall(r"\p{Han}", m.group()))
        if han_outside > 12:
            continue
        y, mo, d = int(m["y"]), int(m["m"] or m["m2"]), int(m["d"] or m["d2"])
        try:
            iso = datetime.date(y, mo, d).isoformat()
        except ValueError:
            continue
        return iso, Segment(para.start, para.end)
    return None
