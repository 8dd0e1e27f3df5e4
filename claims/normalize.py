"""Normalizers: turn a rule's match into a claim's value fields.

Each takes the match and the document context and returns the fields it sets, or None when
the text is not a well-formed value (no claim is better than a wrong one). The arithmetic
lives in `numbers` and `dates`; vocabularies (comparator words) live in the rule packs.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from .dates import day_in_context, is_clock_only, month_in_context, parse_date, writes_minguo
from .numbers import as_value, numeral_runs, parse_number, parse_ratio
from .vocab import Needs

Fields = dict[str, Any]

# The named groups a rule's pattern may capture, and what each means. A normalizer reads
# those it declares (`reads`); loading a pack refuses a group that neither its normalizer nor
# the engine reads, nor the pattern itself refers back to (`(?P=dsep)`): a misspelt group
# would otherwise be a figure silently not read. rules/README.md documents the same names.
GROUPS: dict[str, str] = {
    # read by the engine, whatever the normalizer
    "t": "the trigger, when it is not the whole match (the rest is context the rule needs)",
    "cmp": "a comparator word before the figure (超, 近, 约), read by a lookbehind; part of the claim",
    # figures
    "num": "the figure as written (52.3, 五千, 1,234)",
    "mult": "a multiplier after it (万, 亿, 千万)",
    "num_high": "the upper end of a range (5 of 3至5万)",
    "mult_high": "the upper end's multiplier",
    "more": "多 or 余 after the figure: more than it (a lower bound)",
    "half": "半 after the unit: and a half (一年半)",
    "unit": "the unit or classifier as written (元, 人, 个月)",
    "ge": "个/個 between a figure and its unit (两个半小时), kept in the unit",
    "currency": "a currency named apart from the unit (53.5万元新台币)",
    "post": "a comparator word after the figure (以上, 左右)",
    "sign": "a currency sign before the figure (￥, $)",
    "ratio": "a percentage, per-mille, fraction or 成 as written",
    "ratio_high": "the upper end of a range of ratios",
    "yuan": "the 元 part of a sum in 元, 角 and 分",
    "jiao": "the 角 (毛) part",
    "fen": "the 分 part",
    "min": "minutes of a race time (2分11秒36)",
    "sec": "seconds of a race time",
    "frac": "hundredths of a race time",
    "years": "the years of a duration in two units (一年六个月)",
    "months": "its months",
    "hours": "the hours of a duration (2小时10分)",
    "minutes": "its minutes",
    "seconds": "its seconds",
    "times": "how many times a figure doubles (翻两番)",
    # dates
    "date": "the date as written, when the match holds more (a lead-in, a weekday note)",
    "md": "a month and day written apart from the year, read with it",
    "n": "how many units back (兩年前)",
    "day": "a day of the article's month (今（21）日)",
    "part": "a part of the day (早, 晚) before a clock time",
    "clock": "a clock time after the day",
    # attributions (read by the engine for speaker rules)
    "cue": "the cue verb or phrase (表示, 指出)",
    "subject": "who speaks, when the pattern finds the subject itself",
}
# Word lists read by name: comparators (cmp_over: [超过, 逾]), changes and their bases, currencies,
# the units of a count back (ago_year: [年]).
NEEDS = Needs("claims/normalize.py", lists=("ago_year", "ago_month", "ago_day", "not_change", "next_change"),
              families=("cmp_", "change_", "compared_", "iso_"))
ENGINE_GROUPS = ("t", "cmp")  # normalize.match_start and the engine's trigger read these for every rule


def reads(*groups: str):
    """Declare the named groups a normalizer reads (besides ENGINE_GROUPS)."""
    unknown = [g for g in groups if g not in GROUPS]
    if unknown:
        raise ValueError(f"undocumented group {unknown[0]!r}: add it to normalize.GROUPS")

    def mark(fn):
        fn.groups = groups
        return fn
    return mark


def per_rule_set(fn):
    """A Context property that reads its lists only: computed once per rule set, not once per
    article. Every article gets a new Context, and building the comparator, change and currency
    tables again for each cost more than matching a short article's figures."""
    cache: dict[int, tuple[dict, Any]] = {}

    def get(self):
        hit = cache.get(id(self.lists))
        if hit is None or hit[0] is not self.lists:  # the lists are held, so their id is not reused
            if len(cache) >= 8:
                cache.clear()
            hit = cache[id(self.lists)] = (self.lists, fn(self))
        return hit[1]

    get.__doc__ = fn.__doc__
    return property(get)


@dataclass
class Context:
    """What a normalizer may know about the article beyond its match."""

    ref: date | None = None  # the article's own date
    minguo: bool = False  # a Traditional text: 112年 is a Minguo year
    writes_minguo: bool | None = None  # it dates by Minguo somewhere (found when first needed)
    lists: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def _words_to_suffix(self, prefix: str) -> dict[str, str]:
        # Lists named <prefix><value> map each of their words to <value>; a word in two lists
        # belongs to the first.
        out: dict[str, str] = {}
        for name, vocab in self.lists.items():
            if name.startswith(prefix):
                for w in vocab:
                    out.setdefault(w, name[len(prefix) :])
        return out

    @per_rule_set
    def _comparators(self) -> dict[str, str]:
        # cmp_<comparator>: comparator words to the model's enum
        return self._words_to_suffix("cmp_")

    @per_rule_set
    def change_words(self) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
        """(field, ((word, value), ...)) from the lists named change_<value> and compared_<value>."""
        return tuple(
            (key, tuple((w, name[len(prefix) :]) for name, vocab in self.lists.items()
                        if name.startswith(prefix) for w in vocab))
            for key, prefix in (("change", "change_"), ("compared", "compared_"))
        )

    @per_rule_set
    def not_change(self) -> tuple[str, ...]:
        """Words that begin with a change word and are none (降雨量 is rainfall, not a fall)."""
        return tuple(self.lists["not_change"])

    @per_rule_set
    def next_change(self) -> frozenset[str]:
        """Change words that state one only next to the figure (多5家; 多达5人, 至少有3家 state none)."""
        return frozenset(self.lists["next_change"])

    @per_rule_set
    def change_near(self) -> re.Pattern | None:
        """Every change and compared word as one pattern (None: a word is empty, never skip)."""
        words = {w for _, pairs in self.change_words for w, _ in pairs}
        if "" in words:
            return None
        return re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True))) or "(?!)")

    @per_rule_set
    def _currencies(self) -> dict[str, str]:
        # iso_<code> (iso_USD: [美元, 美金]): currency words to ISO 4217 codes
        return self._words_to_suffix("iso_")

    def currency_code(self, unit: str | None) -> str | None:
        """The ISO 4217 code of a written currency (美元 → USD, 元 → CNY), or None if unknown."""
        return self._currencies.get(unit.strip()) if isinstance(unit, str) else None

    @per_rule_set
    def currencies_before(self) -> tuple[str, ...]:
        """Currency words that may name the currency just before a figure in 元, longest first."""
        return tuple(sorted((w for w in self._currencies if len(w) > 1 and not w.startswith(_YUAN)),
                            key=len, reverse=True))

    def comparator(self, *words: str | None) -> str | None:
        for w in words:
            if w and w in self._comparators:
                return self._comparators[w]
        return None


# what may stand between 多/少 and the figure when they state a change: 多5家, 少了3人, 多花7.5元
_NEXT = re.compile("[花付交缴繳赚賺收用卖賣出]?了?")


def _change(m, ctx: Context) -> Fields:
    """增长/下降 and 同比/环比 written just before a figure: it states a change, not a level.

    增长到 / 降至 / 降低为 name the level reached, so they are not a change.
    """
    start = match_start(m)
    before = m.string[max(0, start - 12) : start]
    near = ctx.change_near
    if near is not None and near.search(before) is None:
        return {}  # most figures: no change word just before them, and one search tells
    cut = max(before.rfind(p) for p in "，,。；;：:！？、")
    before = before[cut + 1 :]
    out: Fields = {}
    if not before:
        return out
    for key, words in ctx.change_words:
        best = -1
        for w, value in words:
            i = before.rfind(w)
            if i > best and not any(c in before[i + len(w) :] for c in "到至为為") \
                    and not before.startswith(ctx.not_change, i) \
                    and (w not in ctx.next_change or _NEXT.fullmatch(before[i + len(w) :])):
                best, out[key] = i, value
    return out


def match_start(m) -> int:
    """Where a match begins: a comparator word that a rule reads with a lookbehind (超 of
    超100万, in a group named `cmp`) is part of the claim."""
    start = m.start()
    if "cmp" in m.re.groupindex:
        cmp = m.start("cmp")
        if 0 <= cmp < start:
            return cmp
    return start


def _g(m, name: str) -> str | None:
    # A group the pattern does not have is None: looked up, not raised and caught (a
    # normalizer asks for a dozen groups a rule may lack, on every match).
    return m.group(name) if name in m.re.groupindex else None


# Financial numerals are written in runs (壹佰伍拾元, 肆拾肆); one alone is a word's character.
_FINANCIAL = set("壹贰貳叁參叄肆伍陆陸柒捌玖拾佰仟")


# a numeral that begins with a bare 百 or 千 and one digit (百三, 千三, 千三百), said as 一百三, 一千三
_D = "[一二两兩三四五六七八九壹贰貳叁參肆伍陆陸柒捌玖]"
_BARE_TENTH = re.compile(f"百{_D}十?|千{_D}百?|佰{_D}拾?|仟{_D}佰?")


def _number(text: str | None, mult: str | None) -> Decimal | None:
    if not text:
        return None
    text = "".join(text.split())  # 52.3 亿: a space inside a numeral is not a boundary
    mult = "".join(mult.split()) if mult else mult
    if len(text) == 1 and text in _FINANCIAL:
        return None  # 陆 of 登陆部队, 拾 of 拾起, 伍 of 队伍: a word, not a numeral written alone
    if _BARE_TENTH.fullmatch(text):
        text = "一" + text  # 百三 is 130, 千三 and 千三百 1300
    n = Decimal("0.5") if text in ("半",) else parse_number(text)
    if n is None:
        return None
    if mult:
        k = parse_number(mult)
        if k is None:
            return None
        n *= k
    return n


# Multipliers that a range's upper end may share with a lower end written without one, longest
# first: 三至五千万 is 3000万 to 5000万, 八十到一百万 is 80万 to 100万.
_SHARED = ("千万亿", "千萬億", "百万亿", "百萬億", "十万亿", "十萬億", "万亿", "萬億", "千亿", "千億", "百亿",
           "百億", "十亿", "十億", "千万", "千萬", "百万", "百萬", "十万", "十萬", "亿", "億", "万", "萬", "千", "百")


def _range(low_text: str, low_mult: str | None, high_text: str, high_mult: str | None):
    """The two ends of a range, or None. A lower end with no multiplier of its own shares the
    upper end's (5至8万元, 三到五万港元, 十二至二十万日元), the longest that keeps it below the
    upper end; with none that fits (从2000到1万元, 八十到一百) it stands as written."""
    high = _number(high_text, high_mult)
    if high is None:
        return None
    if low_mult:
        low = _number(low_text, low_mult)
        return (low, high) if low is not None and low <= high else None
    low = _number(low_text, None)
    if low is None:
        return None
    if not any(ch in low_text for ch in "万萬亿億兆"):
        whole = "".join((high_text + (high_mult or "")).split())
        for suffix in _SHARED:
            head = whole[: -len(suffix)]
            if whole.endswith(suffix) and head and parse_number(head) is not None:
                shared = low * parse_number(suffix)
                if shared <= high:
                    return shared, high
    return (low, high) if low <= high else None


_YUAN = ("元", "圆", "圓", "块", "塊", "块钱", "塊錢")
def _currency_before(m, ctx: Context) -> str | None:
    """The currency named just before a figure in 元 (人民幣500元, 新台币 52.3亿元, 港幣約3億元)."""
    start = match_start(m)
    before = m.string[max(0, start - 8) : start].rstrip(" 　约約逾近达達")
    if not before.endswith(ctx.currencies_before):  # one test for the usual case: none is named
        return None
    return next((w for w in ctx.currencies_before if before.endswith(w)), None)


_QUANTITY = ("num", "mult", "num_high", "mult_high", "more", "half", "unit", "ge", "currency", "post")


@reads(*_QUANTITY)
def quantity(m, ctx: Context) -> Fields | None:
    """A count or amount: num, optional more (多/余), mult (万/亿), unit, half (年半), range high."""
    mult, mult_high = _g(m, "mult"), _g(m, "mult_high")
    high_text = _g(m, "num_high")
    if high_text:
        ends = _range(_g(m, "num") or "", mult, high_text, mult_high)
        if ends is None:
            return None
        value, high = ends
    else:
        value, high = _number(_g(m, "num"), mult), None
    if value is None or (value == 0 and _g(m, "more")):
        return None  # 零几万: no figure to check
    if _g(m, "half"):
        value += Decimal("0.5")
    out: Fields = {"value": as_value(value)}
    if high is not None:
        out["value_high"] = as_value(high)
    unit = _g(m, "unit")
    if unit:
        out["unit"] = unit = (_g(m, "ge") or "") + unit  # 兩個半小時: 2.5 個小時
    # 53.5万元新台币, 港幣3億元: the currency may be named apart from the unit, after it or
    # just before the figure, and wins over 元's CNY.
    written = _g(m, "currency") or (_currency_before(m, ctx) if unit in _YUAN else None)
    code = (ctx.currency_code(written) if written else None) or (ctx.currency_code(unit) if unit else None)
    if code:
        out["currency"] = code
    cmp = ctx.comparator(_g(m, "cmp"), _g(m, "more"), _g(m, "post"))
    if cmp:
        out["comparator"] = cmp
    out.update(_change(m, ctx))
    return out


@reads("num", "num_high", "mult", "unit", "post")
def neighbours(m, ctx: Context) -> Fields | None:
    """五六千, 七八十人, 两三百万: two neighbouring digits before one multiplier, a range."""
    k = parse_number(_g(m, "mult") or "")
    low, high = parse_number(_g(m, "num") or ""), parse_number(_g(m, "num_high") or "")
    if k is None or low is None or high != low + 1:
        return None
    out: Fields = {"value": as_value(low * k), "value_high": as_value(high * k)}
    unit = _g(m, "unit")
    if unit:
        out["unit"] = unit
        code = ctx.currency_code(_currency_before(m, ctx) or "") if unit in _YUAN else None
        code = code or ctx.currency_code(unit)
        if code:
            out["currency"] = code
    cmp = ctx.comparator(_g(m, "cmp"), _g(m, "post"))
    if cmp:
        out["comparator"] = cmp
    out.update(_change(m, ctx))
    return out


@reads("yuan", "jiao", "fen", "unit", "post")
def money(m, ctx: Context) -> Fields | None:
    """A sum in 元, 角 (毛) and 分 as one amount in 元 (八元五毛 → 8.5, 三角五分 → 0.35).

    The unit is the 元 word written (元, 块, 圆); a sum of 角 and 分 alone is in 元.
    """
    total = Decimal(0)
    for name, size in (("yuan", Decimal(1)), ("jiao", Decimal("0.1")), ("fen", Decimal("0.01"))):
        text = _g(m, name)
        if not text:
            continue
        n = parse_number(text)
        if n is None or n != n.to_integral_value() or (size < 1 and not 0 < n <= 9):
            return None
        total += n * size
    if not total:
        return None
    unit = _g(m, "unit") or "元"
    out: Fields = {"value": as_value(total), "unit": unit}
    out["currency"] = ctx.currency_code(_currency_before(m, ctx) or "") or ctx.currency_code(unit) or "CNY"
    cmp = ctx.comparator(_g(m, "cmp"), _g(m, "post"))
    if cmp:
        out["comparator"] = cmp
    out.update(_change(m, ctx))
    return out


@reads(*_QUANTITY, "sign")
def symbol_money(m, ctx: Context) -> Fields | None:
    """￥300, $20: a currency sign before the figure; the unit is the sign as written."""
    out = quantity(m, ctx)
    if out is None:
        return None
    sign = _g(m, "sign") or ""
    out["unit"] = sign
    code = ctx.currency_code(sign)
    if code:
        out["currency"] = code
    else:
        out.pop("currency", None)  # $ is the dollar of the text's own place: US, HK, Taiwan
    return out


@reads("ratio", "ratio_high", "post")
def ratio(m, ctx: Context) -> Fields | None:
    """A percentage, per-mille, fraction or 成, as a fraction; optional range high."""
    low_text, high_text = _g(m, "ratio") or "", _g(m, "ratio_high")
    if high_text and high_text[-1] in "%％成" and low_text[-1:] not in ("%", "％", "成"):
        low_text += high_text[-1]  # 20-30%, 三到五成: the sign written once applies to both ends
    half = low_text.endswith("成半")  # 一成半: one and a half tenths
    value = parse_ratio(low_text[:-1] if half else low_text)
    if value is None:
        return None
    if half:
        value += Decimal("0.05")
    out: Fields = {"value": as_value(value)}
    if high_text:
        high = parse_ratio(high_text)
        if high is None or high < value:
            return None
        out["value_high"] = as_value(high)
    cmp = ctx.comparator(_g(m, "cmp"), _g(m, "post"))
    if cmp:
        out["comparator"] = cmp
    out.update(_change(m, ctx))
    return out


@reads(*_QUANTITY)
def points(m, ctx: Context) -> Fields | None:
    """个百分点: a difference in points, kept as points with the unit as written."""
    out = quantity(m, ctx)
    if out is None:
        return None
    out.pop("currency", None)
    return out


@reads("min", "sec", "frac")
def race_time(m, ctx: Context) -> Fields | None:
    """2分11秒36 → 131.36 seconds: a sports result written in minutes, seconds and hundredths."""
    minutes = int(_g(m, "min") or 0)
    seconds = int(_g(m, "sec") or 0)
    frac = _g(m, "frac") or ""
    if seconds >= 60 and minutes:
        return None
    value = Decimal(minutes * 60 + seconds) + (Decimal(f"0.{frac}") if frac else 0)
    return {"value": as_value(value), "unit": "秒"}


@reads("years", "months", "hours", "minutes", "seconds")
def compound_duration(m, ctx: Context) -> Fields | None:
    """One duration written in two or three units is one figure: 2小时10分 is 7800 秒 (as a race
    result is checked), 一年六个月 is 1.5 年. Read apart, each part would be a wrong value."""
    years, months = _g(m, "years"), _g(m, "months")
    if years is not None:
        y, mo = parse_number(years), parse_number(months or "")
        if y is None or mo is None or mo != int(mo) or not 0 < mo < 12:
            return None
        return {"value": as_value(y + Decimal(mo) / 12), "unit": "年"}
    h, mi = parse_number(_g(m, "hours") or ""), parse_number(_g(m, "minutes") or "")
    s = parse_number(_g(m, "seconds") or "0")
    if h is None or mi is None or s is None or not (0 <= mi < 60 and 0 <= s < 60) or mi != int(mi):
        return None
    return {"value": as_value(h * 3600 + mi * 60 + s), "unit": "秒"}


@reads("times")
def doubling(m, ctx: Context) -> Fields | None:
    """翻番 / 翻一番 / 翻两番: each 番 doubles."""
    n = parse_number(_g(m, "times") or "一")
    if n is None or n != int(n) or not 0 < n < 20:
        return None
    return {"value": 2 ** int(n), "unit": "倍"}


_NUMERAL_CHARS = frozenset("0123456789０１２３４５６７８９〇零一二三四五六七八九十百千万萬亿億两兩")


def _cuts_numeral(m) -> bool:
    """True when the trigger begins or ends inside a numeral (2023年 of 12023年, 三月 of 三月十六
    where the rule stops short): part of a number read as a date is a wrong date."""
    text = m.string
    s, e = m.span("t") if "t" in m.re.groupindex else (-1, -1)
    if s < 0:
        s, e = match_start(m), m.end()
    if s > 0 and text[s - 1] in _NUMERAL_CHARS and text[s] in _NUMERAL_CHARS:
        return True
    if e < len(text) and text[e - 1] in _NUMERAL_CHARS:
        after = text[e : e + 2]
        return after[0] in _NUMERAL_CHARS or (after[:1] in ("点", "點", ".") and after[1:] in _NUMERAL_CHARS)
    return False


_TWO_DIGIT_YEAR = re.compile(r"(?<![0-9])[0-9]{2}\s?年")
_BARE_DAY = re.compile(r"[0-9]{1,2}[日号號](?![0-9])")


def _writes_minguo(ctx: Context, text: str) -> bool:
    # Once per article: the context lives for one extraction.
    if ctx.writes_minguo is None:
        ctx.writes_minguo = writes_minguo(text)
    return ctx.writes_minguo


@reads("date", "md")
def date_value(m, ctx: Context) -> Fields | None:
    """A date or time, resolved against the article's date, at the precision written. A clock
    time with no day of its own (上午10时) is on the last day the paragraph named before it."""
    if _cuts_numeral(m):
        return None
    text = _g(m, "date") or m.group(0)
    if text.isdigit():  # a bare year from a rule that matched around it (113學年度, 明（116）年1月1日)
        text += "年"
    minguo = ctx.minguo or len(text) == 4 and m.group(0).startswith(("民國", "民国"))
    if ctx.minguo and _TWO_DIGIT_YEAR.search(text) and not _writes_minguo(ctx, m.string):
        return None  # 97年7月1日 in a Traditional text that never dates by Minguo: 1997 or 2008
    ref = ctx.ref
    if ref is not None and (is_clock_only(text) or _BARE_DAY.match(text)):
        para = m.string.rfind("\n", 0, m.start()) + 1
        before = m.string[max(para, m.start() - 400) : m.start()]
        if is_clock_only(text):
            ref = day_in_context(before, ref, minguo=minguo)
            if ref is None:
                return None
        else:  # 17日 after 7月16日 in its paragraph is in July
            year, month = month_in_context(before, ref, minguo=minguo)
            ref = date(year, month, 1)
    d = parse_date(text + (_g(m, "md") or ""), ref, minguo=minguo)
    if d is None:
        return None
    out: Fields = {"value": d.value}
    if d.value_high:
        out["value_high"] = d.value_high
    return out


@reads("n", "unit")
def ago(m, ctx: Context) -> Fields | None:
    """兩年前 / 3天前 / 5个月前: a date counted back from the article's date."""
    if ctx.ref is None:
        return None
    n = parse_number(_g(m, "n") or "")
    unit = _g(m, "unit") or ""
    if n is None or n != int(n) or n <= 0:
        return None
    n = int(n)
    if unit in ctx.lists.get("ago_year", ()):
        return {"value": f"{ctx.ref.year - n:04d}"}
    if unit in ctx.lists.get("ago_month", ()):
        months = ctx.ref.year * 12 + ctx.ref.month - 1 - n
        return {"value": f"{months // 12:04d}-{months % 12 + 1:02d}"}
    if unit in ctx.lists.get("ago_day", ()):
        return {"value": (ctx.ref - timedelta(days=n)).isoformat()}
    return None


@reads("day", "part", "clock")
def day_of_month(m, ctx: Context) -> Fields | None:
    """今（21）日, 昨日（8日）: a day of the article's month, with the clock time after it if any."""
    if ctx.ref is None:
        return None
    part = {"早": "早上", "晨": "早上", "晚": "晚上"}.get(_g(m, "part") or "", "")  # 明早（17日）6時
    d = parse_date(f"{int(_g(m, 'day') or 0)}日{part}{_g(m, 'clock') or ''}", ctx.ref)
    return {"value": d.value} if d is not None else None


@reads()
def no_date(m, ctx: Context) -> None:
    """A date with no Gregorian value here (a lunar-calendar date): its characters are claimed,
    so that no shorter date inside it (十月 of 农历十月初一) is read as a Gregorian one."""
    return None


@reads()
def no_value(m, ctx: Context) -> Fields:
    """Rankings carry no value; ignore-rules only veto."""
    return {}


@reads("cue", "subject")
def speaker(m, ctx: Context) -> Fields:
    """Attributions are resolved by `speakers`; the engine reads the cue and the subject."""
    return {}


def whole_numerals(text: str, cands: list, vetoes: list[tuple[int, int]] | None = None):
    """The quantity candidates that hold whole numerals; the others are left out.

    A trigger that begins or ends inside a numeral (5成 of 3.5成, 3亿 of 3亿2万, 45元 of
    45元2角3分, 12.5% of -12.5%) would report part of a number as the number. A minus or 负
    just before the trigger belongs to it: the candidate takes it and its value turns negative
    (a range, whose sign per end cannot be told, is left out). Candidates of other kinds pass
    untouched. Each candidate needs `.rule.kind`, `.start`, `.end` and `.fields`.

    With `vetoes` (spans of ignore-rule matches), returns (candidates, vetoes): a veto that cuts
    a numeral is dropped too, so that the idiom 万一 does not veto 一百零一万一千.
    """
    runs = numeral_runs(text) if cands or vetoes else []
    starts = [r[0] for r in runs]

    def run_at(pos: int):  # the run holding the character at pos
        i = bisect.bisect_right(starts, pos) - 1
        return runs[i] if i >= 0 and runs[i][1] > pos else None

    def cuts(start: int, end: int) -> bool:
        r = run_at(start)
        if r is not None and r[0] + r[2] < start:
            return True
        r = run_at(end - 1)
        return r is not None and r[1] > end

    out = []
    for c in cands:
        if c.rule.kind != "quantity":
            out.append(c)
            continue
        r = run_at(c.start - 1) if c.start else None
        if r is not None and r[2] and c.start == r[0] + r[2]:
            f = c.fields
            if f is None or "value_high" in f or not isinstance(f.get("value"), (int, float)):
                continue
            c.fields = {**f, "value": -f["value"]}
            c.start = r[0]
        elif r is not None and r[1] > c.start:
            continue  # begins inside a numeral
        r = run_at(c.end - 1)
        if r is not None and r[1] > c.end:
            continue  # ends inside a numeral
        if text[c.end : c.end + 1] == "半" and text[c.end + 1 : c.end + 2] not in ("数", "數", "年", "月", "天"):
            continue  # 一吨半, 三斤半: the half belongs to the figure
        out.append(c)
    if vetoes is None:
        return out
    return out, [v for v in vetoes if not cuts(*v)]


NORMALIZERS: dict[str, Callable[[Any, Context], Fields | None]] = {
    "quantity": quantity,
    "ratio": ratio,
    "points": points,
    "money": money,
    "neighbours": neighbours,
    "symbol_money": symbol_money,
    "doubling": doubling,
    "race_time": race_time,
    "compound_duration": compound_duration,
    "ago": ago,
    "day_of_month": day_of_month,
    "date": date_value,
    "no_date": no_date,
    "ranking": no_value,
    "speaker": speaker,
    "ignore": no_value,
}
