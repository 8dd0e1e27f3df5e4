"""Decoding articles and splitting them with offsets that stay true."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claims import text as T
from claims.errors import FileError
from claims.extract import extract

ARTICLE = "某市经济稳步回升\n2024年03月28日 08:30\n\n市统计局局长王建国表示，一季度全市生产总值达1.5亿元，同比增长35%。“明年还将增长两成。”他说。\n"
TRAD = "台北市經濟穩定成長\n2024年03月28日\n\n經濟部長林志明表示，今年出口金額達1.5億元，較去年同期增加兩成。\n"


@pytest.mark.parametrize(
    "encoding,expected",
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16"), ("gb18030", "gb18030")],
)
def test_decode_simplified(encoding, expected):
    text, enc = T.decode(ARTICLE.encode(encoding))
    assert text == ARTICLE and enc == expected


def test_decode_big5_traditional():
    text, enc = T.decode(TRAD.encode("big5"))
    assert text == TRAD and enc == "big5hkscs"


def test_gb18030_and_big5_are_told_apart():
    # Both codecs accept most byte strings of the other; the common-character test decides.
    assert T.decode(TRAD.encode("gb18030"))[1] == "gb18030"
    assert T.decode(ARTICLE.encode("gb18030"))[1] == "gb18030"
    assert T.decode(TRAD.encode("big5"))[1] == "big5hkscs"


def test_binary_and_undecodable_input_are_refused_in_one_line():
    with pytest.raises(FileError, match="binary"):
        T.decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "x.png")
    with pytest.raises(FileError, match="x.txt: not UTF-8"):
        T.decode(bytes(range(0x80, 0x100)) * 3, "x.txt")


def test_crlf_keeps_offsets_true():
    crlf = ARTICLE.replace("\n", "\r\n")
    claims = extract(crlf)
    assert claims
    for c in claims:
        assert crlf[c.trigger.start : c.trigger.end] == c.trigger.text
        assert crlf[c.span.start : c.span.end] == c.text
    assert [c.trigger.text for c in claims] == [c.trigger.text for c in extract(ARTICLE)]


def test_sentences_keep_closing_quotes_and_clauses_split_at_commas():
    t = "他说：“成本降到十分之一。”随后离开。"
    para = T.paragraphs(t)[0]
    sents = [t[s.start : s.end] for s in T.sentences(t, para)]
    assert sents == ["他说：“成本降到十分之一。”", "随后离开。"]
    clauses = [t[c.start : c.end] for c in T.clauses(t, T.sentences(t, para)[0])]
    assert clauses == ["他说：", "“成本降到十分之一。”"]


def test_quotes_that_read_as_speech():
    t = "他推出“魔搭”社区，并说“我们会继续投入，这是长期的事”。"
    qs = T.quotes(t, T.paragraphs(t)[0])
    assert [(t[q.start : q.end], q.speech) for q in qs] == [
        ("“魔搭”", False),
        ("“我们会继续投入，这是长期的事”", True),
    ]


def test_dateline_title_and_script():
    assert T.dateline(ARTICLE)[0] == "2024-03-28"
    assert T.title_of(ARTICLE) == "某市经济稳步回升"
    assert T.dateline("只有一行，2024年3月28日发布。") is None
    assert T.is_traditional(TRAD) and not T.is_traditional(ARTICLE)


# The scan `split` makes, against the plain definition: sentences end after a run of 。！？!? or
# …, closing marks included; each sentence is cut after every run of ，,；;：:.
def _reference(text: str, paras: list[T.Segment]):
    import regex
    sents, clauses = [], []
    for p in paras:
        start = p.start
        for m in regex.finditer(r"(?:[。！？!?]|…+)+[”’」』\"'）)]*", text[: p.end], pos=p.start):
            sents.append(T.Segment(start, m.end()))
            start = m.end()
        if start < p.end:
            sents.append(T.Segment(start, p.end))
    for s in sents:
        start = s.start
        for m in regex.finditer(r"[，,；;：:]+", text[: s.end], pos=s.start):
            clauses.append(T.Segment(start, m.end()))
            start = m.end()
        if start < s.end:
            clauses.append(T.Segment(start, s.end))
    return sents, clauses


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="甲乙。！？!?…”」）)，,；;：: \n", max_size=60))
def test_one_scan_splits_as_sentences_then_clauses(text):
    paras = T.paragraphs(text)
    assert T.split(text, paras) == _reference(text, paras)
    assert [c for p in paras for s in T.sentences(text, p) for c in T.clauses(text, s)] == _reference(text, paras)[1]
