"""Properties over arbitrary input: the extractor never raises and its offsets always hold;
any valid claim file comes back from disk exactly as it was saved."""
from __future__ import annotations

import string
from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from claims import store, yamlio
from claims.extract import extract
from claims.model import (
    SCHEMA_VERSION,
    Change,
    Claim,
    ClaimFile,
    Comparator,
    Compared,
    Document,
    Kind,
    Span,
    Speaker,
    Status,
    Trigger,
)

# Each file here stays well under a minute on CI: few examples, no per-example deadline
# (the first extraction compiles the rule packs).
FAST = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --- text ---------------------------------------------------------------------------------

# Pieces of Chinese news: figures, units, cue verbs, quotations, dates, punctuation, line ends.
FRAGMENTS = [
    "表示", "说", "指出", "强调", "据他介绍", "据悉", "他说", "她表示", "张勇", "王建国", "局长", "董事长",
    "“", "”", "「", "」", "『", "』", '"', "'", "（", "）", "(", ")",
    "，", "。", "、", "；", "：", "！", "？", "…", ",", ".", ";", ":", "!", "?",
    "\n", "\r\n", "\r", "\n\n", " ", "\u3000", "\t",
    "0", "1", "2", "5", "9", "12", "35", "100", "1.5", "2,350", "１２", "３", "〇", "零",
    "一", "二", "两", "三", "十", "百", "千", "万", "亿", "兆", "半", "几", "余", "多", "来",
    "%", "％", "个百分点", "成", "倍", "分之", "十分之一", "/",
    "元", "美元", "港元", "新台币", "人", "人次", "家", "台", "次", "吨", "公里", "GB", "G",
    "年", "月", "日", "号", "时", "分", "2023年", "2024年03月28日", "6月30日", "112年", "民国",
    "去年", "今年", "明年", "上半年", "一季度", "周一", "星期三", "上午", "此前", "至今",
    "超", "超过", "逾", "约", "近", "将近", "不到", "以上", "以下", "左右", "至", "到", "~", "-", "—",
    "同比", "环比", "增长", "增加", "下降", "减少", "提高了", "降低到",
    "第", "首个", "首次", "最大", "国内", "全球", "历史新高", "之一", "一站式", "千行百业", "5G",
    "[bold]", "[/]", "\x1b[31m", "\u202e", "\u2066", "\u2069", "\u200b", "\ufeff", "\x07", "\x85", "\u2028",
]

news = st.lists(st.sampled_from(FRAGMENTS), max_size=80).map("".join)
# Arbitrary text, news-like text, and the two spliced together.
texts = st.one_of(
    st.text(max_size=300),
    news,
    st.tuples(news, st.text(max_size=40), news).map("".join),
)


def _check_offsets(text: str, claims: list[Claim]) -> None:
    for c in claims:
        assert 0 <= c.span.start <= c.trigger.start <= c.trigger.end <= c.span.end <= len(text), c
        assert text[c.trigger.start : c.trigger.end] == c.trigger.text, c
        assert text[c.span.start : c.span.end] == c.text, c
    assert len({c.id for c in claims}) == len(claims)


@FAST
@given(text=texts, date=st.sampled_from([None, "2023-04-12", "2000-02-29"]))
def test_extractor_never_raises_and_offsets_hold(text, date):
    _check_offsets(text, extract(text, date))


@FAST
@given(head=news, body=news)
def test_offsets_hold_with_a_dateline_and_crlf(head, body):
    text = f"{head}\r\n2023年04月12日 01:45\r\n\r\n{body}\r\n"
    _check_offsets(text, extract(text))


def test_lone_surrogates_from_the_python_api_do_not_raise():
    # Never from a file (decode() is strict), only from text built in Python, e.g. from JSON.
    text = "据他介绍，销量超100万台\ud800。"
    _check_offsets(text, extract(text, "2023-04-12"))


# --- claim files --------------------------------------------------------------------------

# Strings that YAML would read as something else if written bare, or that break a line.
YAML_TRAPS = [
    "", "no", "No", "NO", "yes", "on", "off", "y", "n", "true", "False", "null", "Null", "~", "nan", ".nan",
    ".inf", "-.inf", "inf", "2023-04-12", "2023-04-12T09:30:00Z", "12:30", "1_000", "0x1F", "0o17", "1e5",
    "1.5", "-1", "+1", "---", "...", ": ", "a: b", "- x", "#", "# not a comment", "a #b", "&a", "*a", "!tag",
    "!!str", "|", ">", "%YAML 1.1", "@", "`", "{a: 1}", "[1, 2]", "'", '"', "\\", "\\n", "<<", "=",
    " lead", "trail ", "\t", "\n", "\r\n", "\r", "\x00", "\x1b[31m", "\x7f", "\x85", "\u2028", "\u2029",
    "\ufeff", "\ufffe", "\uffff", "\u202e", "\u200b", "\U0001f600", "[bold]x[/]", "表示", "1.5亿元",
]
strings = st.one_of(
    st.text(max_size=30),
    st.sampled_from(YAML_TRAPS),
    st.lists(st.sampled_from(YAML_TRAPS + FRAGMENTS), max_size=6).map("".join),
)
maybe = st.none() | strings
numbers = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=False),  # NaN is never equal to itself; everything else must come back
    st.sampled_from([1e16, 1e-05, 1e-07, 1e22, -2.5e-7, 0.1, 3.0, -0.0, 1e300]),
)
values = st.none() | numbers | strings
times = st.none() | st.datetimes(
    min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1),
    timezones=st.sampled_from([UTC, timezone(timedelta(hours=8)), timezone(timedelta(hours=-5, minutes=-30))]),
) | st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2200, 1, 1))


@st.composite
def claims(draw, cid: str) -> Claim:
    text = draw(strings)
    start = draw(st.integers(0, 10**7))
    a = draw(st.integers(0, len(text)))
    b = draw(st.integers(a, len(text)))
    return Claim(
        id=cid,
        kind=draw(st.sampled_from(Kind)),
        text=text,
        span=Span(start=start, end=start + len(text)),
        trigger=Trigger(text=text[a:b], start=start + a, end=start + b),
        value=draw(values),
        value_high=draw(values),
        unit=draw(maybe),
        currency=draw(st.none() | st.sampled_from(["CNY", "USD", "HKD", "TWD"])),
        comparator=draw(st.none() | st.sampled_from(Comparator)),
        change=draw(st.none() | st.sampled_from(Change)),
        compared=draw(st.none() | st.sampled_from(Compared)),
        speaker=draw(st.none() | st.builds(Speaker, name=strings, title=maybe, cue=maybe)),
        rule=draw(strings),
        status=draw(st.sampled_from(Status)),
        note=draw(strings),
        evidence=draw(st.lists(strings, max_size=3)),
        reviewed_by=draw(maybe),
        reviewed_at=draw(times),
        orphaned_at=draw(times),
    )


@st.composite
def claim_files(draw) -> ClaimFile:
    ids = draw(st.lists(strings | st.text(string.ascii_letters + string.digits + "-_.", min_size=1, max_size=12),
                        max_size=5, unique=True))
    doc = Document(
        id=draw(strings), path=draw(strings), sha256=draw(strings), title=draw(strings), url=draw(maybe),
        date=draw(maybe), encoding=draw(strings), rules=draw(maybe),
    )
    return ClaimFile(schema=SCHEMA_VERSION, document=doc, claims=[draw(claims(i)) for i in ids])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cf=claim_files())
def test_save_then_load_is_the_identity(cf, tmp_path):
    path = tmp_path / "c.claims.yaml"
    store.save(path, cf)
    back = store.load(path)
    assert back == cf
    text = path.read_text(encoding="utf-8")
    assert store.dumps(back) == text  # and the text is stable
    # The fast reader's answer is the YAML parser's (repr: NaN is not equal to itself).
    assert repr(yamlio.read_emitted(text)) == repr(yamlio.parse(text, path).data)


@settings(max_examples=300, deadline=None)
@given(value=numbers | strings)
def test_every_value_keeps_its_type(value):
    assume(value is not None)
    cf = ClaimFile(
        document=Document(id="x", path="x.txt", sha256="0" * 64, encoding="utf-8"),
        claims=[Claim(id="q1", kind=Kind.quantity, text="x", span=Span(start=0, end=1),
                      trigger=Trigger(text="x", start=0, end=1), value=value, rule="r")],
    )
    text = store.dumps(cf)
    back = store.loads(text).claims[0].value
    assert back == value and type(back) is type(value)
    parsed = yamlio.parse(text, "c.claims.yaml").data["claims"][0]["value"]  # the YAML parser agrees
    assert parsed == value and type(parsed) is type(value)


def test_the_fuzz_target_holds_on_its_seeds():
    """fuzz/fuzz_extract.py (atheris) runs the same checks; its seeds must pass them."""
    pytest.importorskip("atheris")
    import importlib.util

    from .conftest import ROOT

    spec = importlib.util.spec_from_file_location("fuzz_extract", ROOT / "fuzz" / "fuzz_extract.py")
    target = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(target)
    seeds = sorted((ROOT / "fuzz" / "seeds").iterdir())
    assert len(seeds) >= 5
    for seed in seeds:
        target.TestOneInput(seed.read_bytes())
