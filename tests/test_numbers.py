from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claims.normalize import Context
from claims.numbers import as_value, parse_number, parse_ratio
from claims.rules import load_rules

# --- an independent writer of Chinese numerals, for the round-trip properties ---------------

_DIGITS = {"simplified": "零一二三四五六七八九", "traditional": "零一二三四五六七八九", "financial": "零壹贰叁肆伍陆柒捌玖"}
_PLACES = {"simplified": ("", "十", "百", "千"), "traditional": ("", "十", "百", "千"), "financial": ("", "拾", "佰", "仟")}
_BIG = {"simplified": ("万", "亿"), "traditional": ("萬", "億"), "financial": ("万", "亿")}
_LIANG = {"simplified": "两", "traditional": "兩"}


def to_chinese(n: int, script: str = "simplified", use_liang: bool = False) -> str:
    """n >= 0 written out the way a Chinese text writes it, in the given script."""
    if n == 0:
        return _DIGITS[script][0]
    return _write(n, script, use_liang and script in _LIANG, leading=True)


def _write(n: int, script: str, liang: bool, leading: bool) -> str:
    for size, unit in ((10**8, _BIG[script][1]), (10**4, _BIG[script][0])):
        if n >= size:
            hi, lo = divmod(n, size)
            head = _LIANG[script] if liang and hi == 2 else _write(hi, script, liang, leading)
            if not lo:
                return head + unit
            # A gap below the unit is read as 零: 一万零五, 一亿零五百万.
            gap = _DIGITS[script][0] if lo < size // 10 else ""
            return head + unit + gap + _write(lo, script, liang, leading=False)
    return _group(n, script, liang, leading)


def _group(n: int, script: str, liang: bool, leading: bool) -> str:
    out: list[str] = []
    pending_zero = False
    for place in (3, 2, 1, 0):
        d = n // 10**place % 10
        if d == 0:
            pending_zero = pending_zero or bool(out)
            continue
        if pending_zero:
            out.append(_DIGITS[script][0])
            pending_zero = False
        if place == 1 and d == 1 and leading and not out and script != "financial":
            pass  # 十五, not 一十五, at the very start; 一百一十 inside
        elif place >= 2 and d == 2 and liang:
            out.append(_LIANG[script])
        else:
            out.append(_DIGITS[script][d])
        out.append(_PLACES[script][place])
    return "".join(out)


@pytest.mark.parametrize(
    "n, script, liang, written",
    [
        (0, "simplified", False, "零"),
        (7, "simplified", False, "七"),
        (10, "simplified", False, "十"),
        (15, "simplified", False, "十五"),
        (20, "simplified", False, "二十"),
        (105, "simplified", False, "一百零五"),
        (110, "simplified", False, "一百一十"),
        (1010, "simplified", False, "一千零一十"),
        (1500, "simplified", False, "一千五百"),
        (10005, "simplified", False, "一万零五"),
        (10500, "simplified", False, "一万零五百"),
        (100010, "simplified", False, "十万零一十"),
        (35_000_000, "simplified", False, "三千五百万"),
        (105_000_000, "simplified", False, "一亿零五百万"),
        (200_000_000, "simplified", True, "两亿"),
        (2_220_000, "simplified", True, "两百二十二万"),
        (20_000, "traditional", True, "兩萬"),
        (10**12, "simplified", False, "一万亿"),
        (123, "financial", False, "壹佰贰拾叁"),
        (10, "financial", False, "壹拾"),
    ],
)
def test_writer_is_right(n, script, liang, written):
    assert to_chinese(n, script, liang) == written


# --- parse_number ---------------------------------------------------------------------------

NUMBERS = [
    ("123", 123), ("１２３", 123), ("0", 0), ("007", 7),
    ("1,234", 1234), ("1，234", 1234), ("１，２３４", 1234), ("12,345,678", 12345678),
    ("3.5", Decimal("3.5")), ("３．５", Decimal("3.5")), ("0.5", Decimal("0.5")), ("1,234.56", Decimal("1234.56")),
    ("零", 0), ("〇", 0), ("十", 10), ("十五", 15), ("一十五", 15), ("二十", 20), ("一百零五", 105),
    ("一百〇五", 105), ("一千零一十", 1010), ("三千五百万", 35_000_000), ("一万零五百", 10500), ("两万", 20000),
    ("十万", 100000), ("一百万", 1_000_000), ("五亿", 500_000_000), ("三万五千", 35000),
    ("一亿零五百万", 105_000_000), ("五亿三千万", 530_000_000), ("一万亿", 10**12), ("十万零五", 100005),
    ("两千两百", 2200), ("两", 2),
    ("二〇二二", 2022), ("二零二二", 2022), ("一九九八", 1998), ("二○二二", 2022),
    ("一百五", 150), ("三千五", 3500), ("一万五", 15000), ("3万5", 35000), ("1亿5", 150_000_000), ("一万三千五", 13500),  # colloquial abbreviation
    ("壹佰贰拾叁", 123), ("贰拾", 20), ("貳拾參", 23), ("陸仟", 6000), ("玖萬", 90000), ("伍億", 500_000_000),
    ("兩萬", 20000), ("壹拾", 10),
    ("三点五", Decimal("3.5")), ("零点五", Decimal("0.5")), ("十二点零五", Decimal("12.05")),
    ("三點五", Decimal("3.5")), ("两点五", Decimal("2.5")), ("一万点五", Decimal("10000.5")), ("三点五亿", 350_000_000), ("一百点二五", Decimal("100.25")),
    ("1.5亿", 150_000_000), ("12.3万", 123000), ("3万5千", 35000), ("1千", 1000), ("2万亿", 2 * 10**12),
    ("100万", 1_000_000), ("5千万", 50_000_000), ("1,234万", 12_340_000), ("1亿2000万", 120_000_000),
    ("3千5百", 3500), ("1.23456万", Decimal("12345.6")),
    # An Arabic tail states its places without 零; 兆 is 10^12 (Taiwan budgets)
    ("1亿500万", 105_000_000), ("3万500", 30500), ("3兆300億", 3_030_000_000_000), ("2兆8,760億", 2_876_000_000_000),
    ("百", 100), ("千", 1000), ("万", 10**4), ("亿", 10**8), ("万亿", 10**12), ("千万", 10**7), ("百万", 10**6),
    ("  42 ", 42),
]


@pytest.mark.parametrize("text, expected", NUMBERS)
def test_parse_number(text, expected):
    got = parse_number(text)
    assert isinstance(got, Decimal)
    assert got == Decimal(expected)


MALFORMED_NUMBERS = [
    "", " ", "abc", "一百百", "十十", "1..5", "亿万", "万万", "亿亿", "1,23", ".5.", ".5", "5.", "1,2345",
    "12,34,567", "-5", "1e5", "一二", "三四", "一两万", "十七八", "几十", "五零", "零零", "一百零", "零五",
    "一千两", "十两", "十万五", "一千万五", "一万两", "三千三万", "一百一亿", "二三三一万", "二零零万", "三千亿零两", "一万二亿", "两十", "一百十", "一千一十", "一万五百", "五亿三千", "一万零五千", "1.5亿5千万", "一点五点五", "1.5点五",
    "3点5", "点五", "三点", "三点两", "零万", "一十零五", "万五", "百五", "十百", "一百零十", "1,234,5",
    "١٢٣",  # Arabic-Indic digits are not a Chinese news numeral
]


@pytest.mark.parametrize("text", MALFORMED_NUMBERS)
def test_parse_number_malformed(text):
    assert parse_number(text) is None


def test_parse_number_ignores_non_strings():
    assert parse_number(None) is None  # type: ignore[arg-type]


@given(st.integers(0, 10**12), st.sampled_from(["simplified", "traditional", "financial"]), st.booleans())
def test_chinese_integers_round_trip(n, script, liang):
    assert parse_number(to_chinese(n, script, liang)) == n


def _decimals(max_value=10**12):
    return st.decimals(min_value=0, max_value=max_value, places=4, allow_nan=False, allow_infinity=False).map(abs)


@given(_decimals(), st.sampled_from(["simplified", "traditional", "financial"]))
def test_chinese_decimals_round_trip(d, script):
    whole, _, frac = f"{d:f}".partition(".")
    written = to_chinese(int(whole), script) + ("点" + "".join("零一二三四五六七八九"[int(c)] for c in frac) if frac else "")
    assert parse_number(written) == d


_FULL = str.maketrans({**{str(i): chr(0xFF10 + i) for i in range(10)}, ",": "，", ".": "．"})


@given(_decimals())
def test_arabic_forms_round_trip(d):
    for written in (f"{d:f}", f"{d:,f}"):
        assert parse_number(written) == d
        assert parse_number(written.translate(_FULL)) == d
    assert parse_number(f"{d:,f}".replace(",", "，")) == d


@given(_decimals(10**4), st.sampled_from([("万", 10**4), ("亿", 10**8), ("万亿", 10**12)]))
def test_arabic_with_multiplier(d, mult):
    word, factor = mult
    if d:
        assert parse_number(f"{d:f}{word}") == d * factor


@given(st.text(alphabet="0123456789,.，．零〇一二两三四五六七八九十百千万亿点壹拾佰萬億兩点 a", max_size=12))
def test_parse_number_never_raises(text):
    got = parse_number(text)
    assert got is None or (isinstance(got, Decimal) and got >= 0)


# --- parse_ratio ----------------------------------------------------------------------------

RATIOS = [
    ("35%", "0.35"), ("３５％", "0.35"), ("3.5%", "0.035"), ("100%", "1"), ("0%", "0"),
    ("百分之三十五", "0.35"), ("百分之0.5", "0.005"), ("百分之3.46", "0.0346"), ("百分之一", "0.01"),
    ("百分之百", "1"), ("百分之三十五点五", "0.355"),
    ("5‰", "0.005"), ("千分之五", "0.005"), ("万分之三", "0.0003"), ("十分之一", "0.1"),
    ("三分之二", Decimal(2) / Decimal(3)), ("3分之二", Decimal(2) / Decimal(3)), ("1/3", Decimal(1) / Decimal(3)),
    ("1／4", "0.25"),
    ("两成", "0.2"), ("三成五", "0.35"), ("2成2", "0.22"), ("八成", "0.8"), ("三成", "0.3"), ("十成", "1"),
]


@pytest.mark.parametrize("text, expected", RATIOS)
def test_parse_ratio(text, expected):
    got = parse_ratio(text)
    assert isinstance(got, Decimal)
    assert got == Decimal(expected)


@pytest.mark.parametrize(
    "text",
    ["", "%", "abc%", "百分之", "分之一", "三分之", "零分之一", "1/0", "1/", "/3", "1/2/3", "成", "十成五",
     "三成五五", "十一成", "-5%", "百分之一百百", "35", "1.5分之一"],
)
def test_parse_ratio_malformed(text):
    assert parse_ratio(text) is None


@given(st.integers(0, 10**6), st.integers(0, 4))
def test_percent_round_trip(n, places):
    d = Decimal(n).scaleb(-places)
    assert parse_ratio(f"{d:f}%") == d / 100
    assert parse_ratio(f"百分之{d:f}") == d / 100


# --- as_value, currencies -------------------------------------------------------------------

@pytest.mark.parametrize(
    "d, expected, kind",
    [
        (Decimal("150000000"), 150000000, int), (Decimal("150000000.0"), 150000000, int),
        (Decimal("0.035"), 0.035, float), (Decimal("3.5"), 3.5, float), (Decimal("0"), 0, int),
    ],
)
def test_as_value(d, expected, kind):
    got = as_value(d)
    assert type(got) is kind and got == expected


def test_as_value_prints_as_written():
    assert str(as_value(parse_ratio("3.5%"))) == "0.035"


@pytest.mark.parametrize(
    "unit, code",
    [
        ("元", "CNY"), ("人民币", "CNY"), ("块", "CNY"), ("元人民币", "CNY"), ("人民幣", "CNY"),
        ("美元", "USD"), ("美金", "USD"), ("港元", "HKD"), ("港币", "HKD"), ("港幣", "HKD"),
        ("欧元", "EUR"), ("歐元", "EUR"), ("日元", "JPY"), ("日圓", "JPY"), ("英镑", "GBP"), ("英鎊", "GBP"),
        ("新台币", "TWD"), ("台币", "TWD"), ("新台幣", "TWD"), ("台幣", "TWD"), ("韩元", "KRW"), ("韓元", "KRW"),
        ("澳元", "AUD"), ("加元", "CAD"), ("卢布", "RUB"), ("盧布", "RUB"), ("澳门元", "MOP"), ("澳門幣", "MOP"),
        ("瑞士法郎", "CHF"), ("新加坡元", "SGD"), ("新元", "SGD"),
    ],
)
def test_currency_code(unit, code):
    # rules/quantity.yaml's iso_<code> lists, as the normalizers read them
    assert _CTX.currency_code(unit) == code


_CTX = Context(lists=load_rules().lists)


@pytest.mark.parametrize("unit", ["", "吨", "万元", "比特币", "dollars"])
def test_currency_code_unknown(unit):
    assert _CTX.currency_code(unit) is None


def test_currencies_are_iso_codes():
    codes = [k[4:] for k in load_rules().lists if k.startswith("iso_")]
    assert len(codes) > 20 and all(len(c) == 3 and c.isupper() for c in codes)
