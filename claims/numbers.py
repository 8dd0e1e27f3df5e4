"""Exact numerals, ratios and currencies as written in Chinese news.

Everything is Decimal so that 1.5亿 is exactly 150000000 and 3.5% exactly 0.035. Every
parser answers None rather than guess: a claim with no value can be filled in by a
reviewer, a claim with a wrong value looks verified when it is not.
"""
from __future__ import annotations

import functools
import re
from decimal import Decimal, localcontext

# One spelling per character, so that the grammar below only knows simplified forms.
_FOLD = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},  # full-width digits
        "．": ".", "，": ",", "％": "%", "／": "/",
        "○": "〇",  # a white circle typed for 〇 in 二○二二
        "壹": "一", "贰": "二", "貳": "二", "叁": "三", "參": "三", "叄": "三", "肆": "四",
        "伍": "五", "陆": "六", "陸": "六", "柒": "七", "捌": "八", "玖": "九",
        "拾": "十", "佰": "百", "仟": "千", "萬": "万", "億": "亿", "兩": "两", "點": "点",
        # Spoken 仨 and 俩 are 三个 and 两个: they only ever stand before a measure word.
        "仨": "三", "俩": "两", "倆": "两",
    }
)

_ZEROS = "零〇"
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
# Digits that may stand before a unit: 两 only there, Arabic 1-9 for the 3千5百 style.
_UNIT_DIGITS = {**{k: v for k, v in _CN_DIGITS.items() if v}, "两": 2, **{str(i): i for i in range(1, 10)}}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
# Largest first: 一万亿 is (一万)亿. 兆 is 10^12 (Taiwan writes 3兆300億元); as 10^6 it is
# only ever part of a unit (兆瓦, 兆赫), which the rule packs keep apart.
_BIG_UNITS = (("兆", 10**12), ("亿", 10**8), ("万", 10**4))
# A multiplier standing alone (callers multiply by it: 百G, 5千万元 split as 5 + 千万).
_BARE = {"十": 10, "百": 100, "千": 1000, "万": 10**4, "十万": 10**5, "百万": 10**6, "千万": 10**7,
         "亿": 10**8, "十亿": 10**9, "百亿": 10**10, "千亿": 10**11, "万亿": 10**12}
_ARABIC = re.compile(r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?")


def _section(s: str, *, final: bool) -> int | None:
    """A whole number below 10^4 written with 十/百/千 (三千零五, 十五, 一百五, 3千5百).

    `final`: the section ends the numeral, so 一百五 may abbreviate 一百五十.
    """
    total, upper = 0, 10**4  # upper: the last unit written; each must be smaller
    digit: int | None = None
    liang = zero = False
    for ch in s:
        if ch in _SMALL_UNITS:
            unit = _SMALL_UNITS[ch]
            if unit >= upper:
                return None  # 十十, 一百百, 一十百
            if digit is None:
                # Only a leading 十 may drop its 一 (十五), or a 十 right after 零 (一千零十二 is
                # 1012 however it is read); 一百十 is malformed.
                if unit != 10 or (total and not zero):
                    return None
                digit = 1
            if liang and unit == 10:
                return None  # 两十
            # A skipped place must be marked by exactly one 零: 一千零一十, not 一千一十.
            if total and zero != (upper // unit >= 100):
                return None
            total, upper, digit, liang, zero = total + digit * unit, unit, None, False, False
        elif ch in _ZEROS:
            if digit is not None or not total or zero:
                return None  # 五零, a leading 零, 零零
            zero = True
        elif ch in _UNIT_DIGITS:
            if digit is not None:
                return None  # 三四十 is "30 or 40", not a number
            digit, liang = _UNIT_DIGITS[ch], ch == "两"
        else:
            return None
    if digit is None:
        return None if zero or not total else total
    if not total:
        return digit
    if liang:
        return None  # 一千两 is a weight (1000 taels), not 1200
    if zero:
        return total + digit if upper >= 100 else None  # 一百零五; 一十零五 is malformed
    if upper == 10:
        return total + digit  # 二十五
    # 一百五 / 三千五 abbreviate the next place (150 / 3500), but only at the very end:
    # whether 三千三万 is 3300万 or 3003万 cannot be told.
    return total + digit * (upper // 10) if final else None


def _leaf(s: str, role: str, final: bool) -> Decimal | None:
    """A whole numeral with no 万/亿: Arabic, 二〇二二 or a 十/百/千 section."""
    if _ARABIC.fullmatch(s):
        return Decimal(s.replace(",", ""))
    if s in ("零", "〇"):
        return Decimal(0)
    if s == "两" and role == "tail":
        return None  # 两 only stands before a unit (两万) or alone; 一亿零两 is malformed
    # Digit-string style (一九九八, 二〇二二) only as a whole numeral, never before 万/亿;
    # two digits side by side (三四, 一二) are an approximation ("3 or 4"), so refused.
    if len(s) >= 3 and all(c in _CN_DIGITS for c in s) and s[0] not in _ZEROS:
        return Decimal("".join(str(_CN_DIGITS[c]) for c in s)) if role == "top" else None
    v = _section(s, final=final)
    return None if v is None else Decimal(v)


def _value(s: str, levels: tuple[tuple[str, int], ...], role: str = "top", final: bool = True) -> Decimal | None:
    """`role` is where s stands: the whole numeral ("top"), before 万/亿 ("head") or after ("tail")."""
    whole, dot, frac = s.partition("点")
    if dot and frac and all(c in _CN_DIGITS for c in frac):
        # 三点五, 一万点五; 三点五亿 falls through: its 点 belongs to the head of 亿.
        w = Decimal(0) if whole in ("零", "〇") else _value(whole, levels, role, False) if whole else None
        if w is None or w != w.to_integral_value() or _ARABIC.search(whole):
            return None  # 3点5 is more likely a time than 3.5
        return w + Decimal("0." + "".join(str(_CN_DIGITS[c]) for c in frac))
    k = next((i for i, (ch, _) in enumerate(levels) if ch in s), None)
    if k is None:
        return _leaf(s, role, final)
    ch, unit = levels[k]
    if s.count(ch) != 1:
        return None  # 万万, 亿亿
    head_s, tail_s = s.split(ch)
    lower = levels[k + 1:]
    head = _value(head_s, lower, "head", False) if head_s else None
    if not head:
        return None  # 亿万, 零万
    if not tail_s:
        return head * unit
    if head != head.to_integral_value():
        return None  # 1.5亿5千万
    zero = tail_s[0] in _ZEROS
    if zero:
        tail_s = tail_s[1:]
    if final and not zero and (head_s in _UNIT_DIGITS or head_s[-1:] in _CN_DIGITS) and tail_s in _UNIT_DIGITS \
            and tail_s != "两":
        # 一万五 / 3万5 / 九十二万四: the digit fills the next place down, as in 一百五. Only after
        # a head ending in a digit: in 一千万五 the next place down is ambiguous (百万 or 千).
        return head * unit + _UNIT_DIGITS[tail_s] * (unit // 10)
    tail = _value(tail_s, lower, "tail", final) if tail_s else None
    if tail is None or tail != tail.to_integral_value():
        return None
    # As inside a section, a skipped place needs one 零 (一万零五百, 五亿三千万); a tail in
    # Arabic digits states its own places (1亿500万, 3兆300億).
    if not 0 < tail < unit or (zero != (tail < unit // 10) and not _ARABIC.search(tail_s)):
        return None
    return head * unit + tail


def _tidy(d: Decimal) -> Decimal:
    if d == d.to_integral_value():
        return Decimal(int(d))
    sign, digits, exp = d.as_tuple()
    while exp < 0 and digits[-1] == 0:  # 12.30 → 12.3 without normalize()'s rounding
        digits, exp = digits[:-1], exp + 1
    return Decimal((sign, digits, exp))


def parse_number(text: str) -> Decimal | None:
    """The exact value of a whole numeral string, or None if it is not a well-formed numeral.

    Accepts Arabic digits (half- or full-width, 1,234 grouping, decimals), Chinese numerals of
    any size (十五, 一万零五百, 二〇二二, 三点五), financial and Traditional characters, mixes
    (1.5亿, 3万5千, 十万) and a bare multiplier (百, 万, 亿, 千万, 万亿). Never raises.
    """
    if not isinstance(text, str):
        return None
    return _parse_number(text)


# The parsers are pure and asked for the same few strings again and again (万, 亿, 2023, 一):
# cached. A Decimal is immutable, so a cached one can be shared.
@functools.lru_cache(maxsize=8192)
def _parse_number(text: str) -> Decimal | None:
    s = text.strip().translate(_FOLD)
    if s in _BARE:
        return Decimal(_BARE[s])
    with localcontext() as ctx:
        ctx.prec = 2 * len(s) + 40  # products and sums stay exact, whatever the length
        v = _value(s, _BIG_UNITS)
        return None if v is None else _tidy(v)


_PER = re.compile(r"(.+)([%‰‱])")
_MIXED = re.compile(r"(.+?)又(.+)")
_FRACTION = re.compile(r"(.+)分之(.+)")
_SLASH = re.compile(r"([0-9]+)/([0-9]+)")
_CHENG = re.compile(r"(.+?)成(.?)")
_PER_DENOMINATOR = {"%": 100, "‰": 1000, "‱": 10000}


def _div(a: Decimal | None, b: Decimal | int | None) -> Decimal | None:
    if a is None or b is None or not b:
        return None
    with localcontext() as ctx:
        ctx.prec = 28  # 三分之二 is recurring: 28 digits is the precision we promise
        return _tidy(a / b)


_HALF = ("一半", "半数", "半數")


def parse_ratio(text: str) -> Decimal | None:
    """A ratio written whole (35%, 5‰, 百分之三十五, 三分之二, 1/3, 三成五, 一半) as a fraction.

    35% → 0.35, 三成五 → 0.35; non-terminating fractions carry 28 significant digits.
    None when the text is not exactly one well-formed ratio. Never raises.
    """
    if not isinstance(text, str):
        return None
    return _parse_ratio(text)


@functools.lru_cache(maxsize=4096)
def _parse_ratio(text: str) -> Decimal | None:
    s = text.strip().translate(_FOLD)
    if s in _HALF:
        return Decimal("0.5")
    if m := _MIXED.fullmatch(s):
        # 七又三分之一, 二百又5分之2: a whole number and a proper fraction of one.
        whole, part = parse_number(m[1]), parse_ratio(m[2])
        if whole is None or whole != whole.to_integral_value() or part is None or not 0 < part < 1:
            return None
        if not (_FRACTION.fullmatch(m[2]) or _SLASH.fullmatch(m[2])):
            return None
        with localcontext() as ctx:
            ctx.prec = 28 + len(str(int(whole)))
            return _tidy(whole + part)
    if m := _PER.fullmatch(s):
        return _div(parse_number(m[1]), _PER_DENOMINATOR[m[2]])
    if m := _FRACTION.fullmatch(s):
        den = parse_number(m[1])
        if den is None or den != den.to_integral_value():
            return None
        return _div(parse_number(m[2]), den)
    if m := _SLASH.fullmatch(s):
        return _div(Decimal(m[1]), Decimal(m[2]))
    if m := _CHENG.fullmatch(s):
        tenths = Decimal("0.5") if m[1] == "半" else parse_number(m[1])  # 半成: half a tenth
        if tenths is None or not 0 < tenths <= 10:
            return None
        if not m[2]:
            return _div(tenths, 10)
        # 三成五: the second digit is hundredths, so only a whole 1-9 成 may carry one.
        hundredths = parse_number(m[2])
        if tenths != tenths.to_integral_value() or tenths == 10 or hundredths is None or not 0 <= hundredths <= 9:
            return None
        return _div(tenths * 10 + hundredths, 100)
    return None


def as_value(d: Decimal) -> int | float:
    """An int when d is integral, else the float nearest d (0.035 prints as 0.035)."""
    if d.is_finite() and d == d.to_integral_value():
        return int(d)
    return float(str(d))


# --- where a numeral begins and ends in running text ------------------------------------------
# A claim must hold a whole numeral: a rule that stops at 3亿 in 3亿2万5千 or starts at 5成 in
# 3.5成 gives a value that looks right and is not. The runs below are the longest stretches of
# text that continue one numeral, so that the engine can refuse any claim that cuts one.
_NUM_CH = "0-9０-９零〇○一二两兩三四五六七八九十百千万萬亿億兆壹贰貳叁參叄肆伍陆陸柒捌玖拾佰仟仨俩倆"
_CN_CH = _NUM_CH[6:]
_N = f"[{_NUM_CH}]"
_RUN = re.compile(
    # A minus sign only where it cannot be a hyphen or a range dash (2-3, A-5, （2）-3).
    # 正负 and +/- are "plus or minus" (抽样误差为正负3个百分点), a margin and not a sign.
    rf"(?P<sign>(?<![0-9０-９A-Za-zＡ-Ｚａ-ｚ)\]）%％+/／])[-－−﹣]|(?<!正)[负負])?"
    rf"{_N}+"
    r"(?:"
    rf"(?:[ 　]?[.．点點][ 　]?(?={_N})"      # a decimal point: 3.5, 六点五, 四点 五
    r"|(?<=[0-9０-９])[,，](?=[0-9０-９]{3}(?![0-9０-９]))"  # grouping: 1,234, 1，234, ４，５６５
    rf"|(?<=[{_CN_CH}])[ 　](?={_N})|[ 　](?=[{_CN_CH}])"  # spaced: 52.3 亿, 三千 九百
    r"|(?<=[0-9０-９])[ 　](?=[0-9０-９]+[/／][0-9０-９])"  # 1 3/5, a mixed number
    r"|(?<=[0-9０-９])[/／](?=[0-9０-９])"     # 3/5
    r"|(?<=[0-9０-９])(?:[eE][-+－]?|\^[-+－]*)(?=[0-9０-９])"  # 2e5, 2^-1
    r"|(?<=[0-9０-９])[kKｋＫ](?![A-Za-zＡ-Ｚａ-ｚ])"  # 40k, 百分之15k: thousands
    rf"|[ 　]*分[ 　]*之[ 　]*[负負]?(?={_N})"  # 三分之一, 3 分 之 1, 负3分之负157
    r"|[个個](?=[万萬亿億半])"                 # 三个亿, 两个半
    rf"|(?<=[个個])半|[ 　]*又[ 　]*(?={_N})"  # 两个半, 二百又5分之2
    rf"|成[ 　]?(?={_N})"                     # 三成五, 七成 六
    # 45元2角3分, 10日元5日本銭, 两美元又三美分: the smaller coin continues the sum
    rf"|(?:[日美港欧歐韩韓澳加]?[元圆圓]|[块塊])(?:又|零)?(?={_N}{{1,3}}(?:[角毛分仙銭钱]|美分|日本銭))"
    rf"|[角毛](?={_N}{{1,3}}分)"
    rf"){_N}*"
    r")*"
)


def numeral_runs(text: str) -> list[tuple[int, int, int]]:
    """(start, end, sign_length) of every maximal numeral in text, in order.

    A run holds what continues one number: digits and numerals, decimal points and grouping
    commas between digits, a minus or 负 before it, 个 before 亿 (三个亿), 又 of a mixed number,
    the tenths after 成 (三成五) and the 角 and 分 after 元. sign_length is 0 when unsigned.
    """
    out = []
    for m in _RUN.finditer(text):
        sign = m.end("sign") - m.start("sign") if m.start("sign") >= 0 else 0
        start = m.start()
        # Arabic digits meet Chinese numerals only through a multiplier (3万5千, 5千万): in
        # 门票20一张 or 第1二 the two are separate numbers.
        for j in _JUNCTION.finditer(text, start + 1, m.end()):
            out.append((start, j.start(), sign))
            start, sign = j.start(), 0
        out.append((start, m.end(), sign))
    return out


_JUNCTION = re.compile(r"(?<=[0-9０-９])(?=[零〇○一二两兩三四五六七八九壹贰貳叁參叄肆伍陆陸柒捌玖仨俩倆])"
                       r"|(?<=[零〇○一二两兩三四五六七八九壹贰貳叁參叄肆伍陆陸柒捌玖仨俩倆])(?=[0-9０-９])")
