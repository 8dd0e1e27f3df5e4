"""Dates and times as written in Chinese news, resolved to ISO 8601 at the written precision.

A date expression is read left to right in stages (year, part of year, month, part of month,
day, time of day); each stage is a small table or pattern. Relative words resolve against the
article's own date; without it they give None, since a guessed year is a wrong value.
"""
from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass

from .numbers import parse_number
from .vocab import Needs


@dataclass(frozen=True)
class DateValue:
    """A resolved date: `value` alone, or the range value..value_high."""

    value: str  # ISO 8601 at the precision the text gives
    value_high: str | None = None  # upper bound of a range, same format


@dataclass
class _When:
    year: int | None = None
    month: int | None = None
    day: int | None = None
    time: str | None = None
    year_given: bool = False  # written in the text, not taken from the reference
    weekday: int | None = None  # 4月7日（周五）: the weekday the text claims, checked last
    week: bool = False  # 上周: the day is only the week's Monday, standing for the week
    weekend: bool = False  # 下周末: the day is the Saturday, and the Sunday ends the range
    needs_month: bool = False  # a year that is one only with a month after it (17年6月)


_FOLD = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},
        "週": "周", "個": "个", "後": "后", "禮": "礼", "號": "号", "國": "国", "間": "间",
        "點": "点", "時": "时", "許": "许", "來": "来", "兩": "两", "這": "这", "當": "当", "○": "〇",
        "／": "/", "－": "-", "，": ",", "．": ".", "：": ":", "（": "(", "）": ")", "Ｑ": "Q", "ｑ": "Q", "q": "Q",
        "～": "~", "〜": "~", "—": "~", "–": "~", "―": "~",
    }
)

# The lists of rules/date.yaml that `relative_words` reads (year_minus1, day_0, week_plus2, ...).
NEEDS = Needs("claims/dates.py", families=("year_", "month_", "day_", "week_"))
_SHIFT_LIST = re.compile(r"(year|month|day|week)_(?:(minus|plus)([0-9]+)|0)")


@functools.cache
def relative_words() -> dict[str, dict[str, int]]:
    """{"year": {"去年": -1, ...}, "month": ..., "day": ..., "week": {"上个": -1, ...}}, folded to
    Simplified, from the lists of rules/date.yaml (year_minus1: [去年, 上年], ...): the rule
    pack is the one source of the vocabulary, so what its patterns find is what this module
    resolves."""
    import yaml  # deferred, like the pack: claims.rules imports the normalizers, which import us

    from .rules import builtin_dir

    pack = yaml.safe_load((builtin_dir() / "date.yaml").read_text(encoding="utf-8"))
    out: dict[str, dict[str, int]] = {"year": {}, "month": {}, "day": {}, "week": {}}
    for name, words in pack.get("lists", {}).items():
        if m := _SHIFT_LIST.fullmatch(name):
            shift = int(m[3]) * (-1 if m[2] == "minus" else 1) if m[2] else 0
            for w in words:
                out[m[1]][w.translate(_FOLD)] = shift
    return out


_SHORT_DAY = {"前": -2, "昨": -1, "今": 0, "明": 1}  # short forms only before a daypart: 昨晚, 前晚
_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
# Written hour → 24-hour clock: the daypart's window picks 8 or 20 for 晚8点, and a
# written hour that fits the window twice or not at all gives None.
_DAYPARTS = {
    **dict.fromkeys(["凌晨"], (0, 6)),
    **dict.fromkeys(["清晨", "早晨", "早上", "晨", "早"], (4, 11)),
    **dict.fromkeys(["上午"], (5, 12)),
    **dict.fromkeys(["中午"], (11, 13)),
    **dict.fromkeys(["下午", "午后"], (12, 19)),
    **dict.fromkeys(["傍晚"], (16, 19)),
    **dict.fromkeys(["晚上", "晚间", "夜间", "夜里", "晚", "夜"], (18, 23)),
    None: (0, 23),
}
_MINUTE_WORDS = {"半": 30, "一刻": 15, "三刻": 45, "整": 0}


def _alt(words) -> str:
    return "|".join(sorted((w for w in words if w), key=len, reverse=True))


_N = r"[0-9]{1,2}|[一二三四五六七八九十]{1,3}"  # a month, day or minute
_P = re.compile
_NUMERIC = _P(r"(?P<y>[0-9]{4}|[1-9][0-9]{2})(?P<sep>[-/.])(?P<m>[0-9]{1,2})(?P=sep)(?P<d>[0-9]{1,2})(?![0-9])")
_NUMERIC_YM = _P(r"(?P<y>[0-9]{4})[-/](?P<m>[0-9]{1,2})(?![0-9])")
_YEAR = _P(r"(?:(?:公元|西元)?(?P<y>[0-9]{4}|[〇零一二三四五六七八九]{4})"
           r"|(?P<y2k>两千(?:零[一二三四五六七八九]|零?一十[一二三四五六七八九]?|[一二]十[一二三四五六七八九]?)?)"
           r"|民国(?P<roc>[0-9]{1,3}|[〇零一二三四五六七八九十百]{1,6}|元)|(?P<bare>[1-9][0-9]{2})"
           r"|(?P<zero>0[0-9]|[零〇][〇零一二三四五六七八九])|(?P<short>[1-9][0-9]))年度?")
_YEAR_END = _P(r"年?(?P<p>底|末|初)")
_BARE_YEAR_END = _P(r"年(?P<p>底|末|初)")
# Quarters, halves and the like resolve to their year: the period is wider than a month.
_YEAR_SPAN = _P(r"第[一二三四1-4]季度?|[一二三四1-4]季度|Q[1-4]|[上下]半年|前[一二三1-3]季度?|全年")
_MONTH = _P(rf"(?P<m>{_N})月份?")
_MONTH_PART = _P(r"上旬|中旬|下旬|底|末|初|中")
_DAY = _P(rf"(?P<d>{_N})[日号]|(?P<bare>[一二三四五六七八九十]{{1,3}})$")  # 三月十六: a day in numerals may drop 日
_DAYPART = _P(_alt(_DAYPARTS))
_SHORT_DAY_WORD = _P(rf"[前昨今明](?={_alt(_DAYPARTS)})")
# 10月12号，星期一: a weekday after the date (bracketed, or after a comma) is checked against it.
_WEEKDAY_NOTE = _P(r"\((?:周|星期|礼拜)(?P<a>[一二三四五六日天])\)|,?(?:周|星期|礼拜)(?P<b>[一二三四五六日天])")


@functools.cache
def _vocab() -> tuple[re.Pattern, re.Pattern, re.Pattern, re.Pattern]:
    words = relative_words()
    return (
        _P(rf"(?P<w>{_alt(words['year'])})度?"),
        _P(_alt(words["month"])),
        _P(_alt(words["day"])),
        _P(rf"(?:(?P<rel>{_alt(words['week'])}))?(?:周|星期|礼拜)(?P<wd>[一二三四五六日天]|末)?"),
    )
_CLOCK = _P(
    r"T?(?:(?P<hh>[0-9]{1,2}):(?P<mm>[0-9]{2})(?::(?P<ss>[0-9]{2}))?"
    r"|(?P<h>[0-9]{1,2}|[零一二三四五六七八九十两]{1,3})(?P<unit>[时点])"
    rf"(?:(?P<word>半|一刻|三刻|整)|零?(?P<min>{_N})分(?:(?P<sec>{_N})秒)?)?)"
    r"许?"  # 8时许, "about 8": the hour is what can be checked
)
_SAME_PERIOD = _P("同期")
_TAIL = _P(r"(?:起|以来)?$")
_RANGE_SEP = _P(r"至|到|~|-")


class _Scanner:
    def __init__(self, s: str) -> None:
        self.s, self.i = s, 0

    def take(self, pattern: re.Pattern) -> re.Match | None:
        m = pattern.match(self.s, self.i)
        if m:
            self.i = m.end()
        return m

    def finished(self) -> bool:
        return self.take(_TAIL) is not None


def _int(token: str | None) -> int | None:
    if token is None:
        return None
    n = parse_number(token)
    return int(n) if n is not None and n == n.to_integral_value() else None


def _shift_month(year: int, month: int, by: int) -> tuple[int, int]:
    y, m = divmod(year * 12 + month - 1 + by, 12)
    return y, m + 1


def _set_date(w: _When, d: dt.date) -> None:
    w.year, w.month, w.day = d.year, d.month, d.day


def _year(m: re.Match, century: dt.date | None, minguo: bool) -> int | None:
    if m["y"] or m["y2k"]:
        return _int(m["y"] or m["y2k"])
    if m["zero"]:
        return _short_year(int(m["zero"][-1].translate(_DIGITS)), century, minguo, zero=True)
    if m["short"]:
        return _short_year(int(m["short"]), century, minguo, zero=False)
    roc = 1 if m["roc"] == "元" else _int(m["roc"] or (m["bare"] if minguo else None))
    return roc + 1911 if roc else None


_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")


def _short_year(n: int | None, ref: dt.date | None, minguo: bool, zero: bool) -> int | None:
    """17年, 09年, 零九年: in a Taiwanese text a Minguo year (99年 → 2010), elsewhere the
    century that puts the year within five years ahead of the article or 75 years behind it;
    None without the article's date, or when neither century is plausible."""
    if n is None or ref is None:
        return None
    if minguo:
        return None if zero else n + 1911
    if 2000 + n <= ref.year + 5:
        return 2000 + n
    if 1900 + n >= ref.year - 75 and not zero:
        return 1900 + n
    return None


def _clock(m: re.Match, daypart: str | None) -> str | None:
    if m["hh"]:
        h, mi, sec = int(m["hh"]), int(m["mm"]), m["ss"] and int(m["ss"])
    else:
        h = _int(m["h"])
        mi = _MINUTE_WORDS[m["word"]] if m["word"] else _int(m["min"]) if m["min"] else 0
        sec = _int(m["sec"]) if m["sec"] else None
    if h is None or mi is None or not 0 <= mi <= 59 or (sec is not None and not 0 <= sec <= 59):
        return None
    if h == 24 and daypart is None and mi == 0 and not sec:
        return "24:00"  # 截至5月4日24时: the end of that day, as ISO 8601 writes it
    lo, hi = _DAYPARTS[daypart]
    candidates = {h}
    if daypart:
        candidates |= {h + 12} if 1 <= h < 12 else {0} if h == 12 else set()
    elif m["unit"] == "点" and 1 <= h <= 12:
        return None  # 8点 is spoken on a 12-hour clock: 8:00 or 20:00 (10时 and 10:30 are 24-hour)
    fits = [c for c in candidates if lo <= c <= hi]
    if len(fits) != 1:
        return None
    return f"{fits[0]:02d}:{mi:02d}" + (f":{sec:02d}" if sec is not None else "")


def _read_year(sc: _Scanner, w: _When, ref: dt.date | None, minguo: bool, century: dt.date | None) -> bool:
    if m := sc.take(_YEAR):
        w.year = _year(m, century, minguo)
        # 15年 and 两千年 alone are as often counts of years (15年来): a year only with its month.
        w.needs_month = bool(m["short"] or m["y2k"])
    elif m := sc.take(_vocab()[0]):
        w.year = ref.year + relative_words()["year"][m["w"]] if ref else None
    else:
        return True  # no year written
    w.year_given = True
    return w.year is not None


def _read_year_part(sc: _Scanner, w: _When, fy: int | None) -> bool:
    """年底, 第一季度, 去年同期: True when one was read (and so the date ends here)."""
    if m := sc.take(_YEAR_END if w.year_given else _BARE_YEAR_END):
        w.month = 12 if m["p"] in "底末" else 1
    elif not (sc.take(_YEAR_SPAN) or (w.year_given and sc.take(_SAME_PERIOD))):
        return False
    if not w.year_given:
        w.year = fy
    return True


def _read_month(sc: _Scanner, w: _When, ref: dt.date | None, fy: int | None) -> bool:
    if m := sc.take(_MONTH):
        w.month = _int(m["m"])
        if not w.year_given:
            w.year = fy
        return w.month is not None
    if m := sc.take(_vocab()[1]):
        shift = relative_words()["month"][m[0]]
        if ref is None or (w.year_given and shift != 0):
            return False  # 去年本月 is that month a year ago; 去年下月 says nothing clear
        year = w.year if w.year_given else ref.year
        w.year, w.month = _shift_month(year, ref.month, shift)
    return True


def _read_day(sc: _Scanner, w: _When, ref: dt.date | None, fill: tuple) -> bool:
    if m := sc.take(_DAY):
        if w.year_given and w.month is None:
            return False  # 2023年7日
        if m["bare"] and w.month is None:
            return False  # 十六 alone is a number, not a day
        if w.month is None:
            w.year, w.month = fill[0], fill[1]
        w.day = _int(m["d"] or m["bare"])
        if note := sc.take(_WEEKDAY_NOTE):
            w.weekday = _WEEKDAYS[note["a"] or note["b"]]
        return w.day is not None and w.month is not None
    if w.month is not None or w.year_given:
        return True
    _, _, day_word, week = _vocab()
    if m := sc.take(day_word) or sc.take(_SHORT_DAY_WORD):
        if ref is None:
            return False
        _set_date(w, ref + dt.timedelta(days=relative_words()["day"].get(m[0], _SHORT_DAY.get(m[0], 0))))
    elif m := sc.take(week):
        if ref is None or not (m["rel"] or m["wd"]) or (m["wd"] == "末" and not m["rel"]):
            return False
        # A week is named by its Monday (本周 → Monday); weeks run Monday to Sunday, so
        # 周日 on a Sunday is that day and 周一 on a Sunday is six days earlier.
        monday = ref - dt.timedelta(days=ref.weekday())
        shift = relative_words()["week"][m["rel"]] if m["rel"] else 0
        w.weekend = m["wd"] == "末"
        _set_date(w, monday + dt.timedelta(weeks=shift, days=5 if w.weekend else _WEEKDAYS.get(m["wd"], 0)))
        w.week = not m["wd"]
    return True


def _read_time(sc: _Scanner, w: _When, fill: tuple) -> bool:
    daypart = sc.take(_DAYPART)
    clock = sc.take(_CLOCK)
    if (w.week or w.weekend) and (daypart or clock):
        return False  # 上周上午 names no day
    if not clock:
        return not daypart or w.day is not None  # 4月7日晚 is a day; 晚 alone is nothing
    if w.day is None:
        if w.month is not None or w.year is not None:
            return False  # a time needs a whole date: 2023年3月10时
        w.year, w.month, w.day = fill  # 晚8点: the reference day
        w.time = _clock(clock, daypart and daypart[0])
        return w.time is not None and w.day is not None
    w.time = _clock(clock, daypart and daypart[0])
    # 1987年1月11日八点 is 8:00 or 20:00, but the day is certain: the claim keeps the day.
    twelve_hour = not daypart and clock["unit"] == "点" and 1 <= (_int(clock["h"]) or 0) <= 12
    return w.time is not None or twelve_hour


def _words(sc: _Scanner, w: _When, ref: dt.date | None, fill: tuple, minguo: bool,
           century: dt.date | None) -> bool:
    """Read a date written in words (2023年4月7日, 去年12月, 上周五晚8点) into w."""
    if not _read_year(sc, w, ref, minguo, century):
        return False
    if _read_year_part(sc, w, fill[0]):
        return w.year is not None and not w.needs_month and sc.finished()
    if not _read_month(sc, w, ref, fill[0]):
        return False
    if w.needs_month and w.month is None:
        return False
    if w.month is not None and sc.take(_MONTH_PART):
        return sc.finished()
    return _read_day(sc, w, ref, fill) and _read_time(sc, w, fill) and sc.finished()


def _iso(w: _When) -> str | None:
    if w.needs_month and w.month is None:
        return None
    if w.month is None:
        return f"{w.year:04d}" if w.year is not None and 1 <= w.year <= 9999 and w.day is None else None
    if not 1 <= w.month <= 12 or (w.year is not None and not 1 <= w.year <= 9999):
        return None
    if w.year is None:
        # No year to resolve against: ISO 8601's truncated --MM and --MM-DD, never a guess.
        if w.day is None:
            return f"--{w.month:02d}"
        if w.time is not None or not 1 <= w.day <= calendar.monthrange(2000, w.month)[1]:
            return None
        return f"--{w.month:02d}-{w.day:02d}"
    if w.day is None:
        return f"{w.year:04d}-{w.month:02d}"
    if not 1 <= w.day <= calendar.monthrange(w.year, w.month)[1]:
        return None
    d = dt.date(w.year, w.month, w.day)
    if w.weekday is not None and d.weekday() != w.weekday:
        return None  # the text contradicts itself
    return d.isoformat() + (f"T{w.time}" if w.time else "")


def _single(s: str, ref: dt.date | None, fill: tuple, minguo: bool, century: dt.date | None = None) -> _When | None:
    # `century`: the date that places a two-digit year (17年), the article's also for a range's high end.
    century = century or ref
    sc = _Scanner(s)
    w = _When()
    try:
        if m := sc.take(_NUMERIC) or sc.take(_NUMERIC_YM):
            y = int(m["y"])
            if len(m["y"]) == 3:
                if not minguo:
                    return None
                y += 1911
            day = m.groupdict().get("d")
            w = _When(y, int(m["m"]), day and int(day), year_given=True)
            ok = _read_time(sc, w, fill) and sc.finished()
        else:
            ok = _words(sc, w, ref, fill, minguo, century)
    except (OverflowError, ValueError):
        return None  # a reference date at the edge of the calendar
    return w if ok else None


def _crosses_new_year(lo: _When, hi: _When) -> bool:
    # 12月30日至1月2日, 11月至2月: a high end with no year of its own, in an earlier month,
    # at most half a year on; a longer wrap (3月至2月) is more likely a slip than a range.
    return not hi.year_given and None not in (hi.year, lo.month, hi.month) and lo.month - hi.month >= 6


_LEADING_DAYPART = _P(rf"(?:{_alt(_DAYPARTS)})(?=[0-9零一二三四五六七八九十两]{{1,3}}[:时点])")


def _range(s: str, ref: dt.date | None, fill: tuple, minguo: bool) -> DateValue | None:
    between = re.search(r"(?:之间|期间|间)$", s) is not None
    s = re.sub(r"(?:之间|期间|间)$", "", re.sub(r"^(?:从|自)", "", s))
    found = set()
    # 2007年与2009年间: 与 and 和 join the two ends of a range only when 间 closes it.
    seps = _P(_RANGE_SEP.pattern + ("|和|与|及" if between else ""))
    for sep in seps.finditer(s):
        left, right = s[: sep.start()], s[sep.end():]
        if not left or not right:
            continue
        # 2008至2013年, 25到28日, 五到六点: the unit written once after the range applies to both ends.
        if re.search(r"[0-9〇零一二三四五六七八九十]$", left) and right[-1] in "年月日号点时":
            left += right[-1]
        lo = _single(left, ref, fill, minguo)
        lo_iso = lo and not lo.week and not lo.weekend and _iso(lo)
        if not lo_iso:
            continue
        # 下午5:00到6:00: a clock time with no part of the day of its own is in the low end's.
        if (parts := _LEADING_DAYPART.findall(left)) and re.match(r"[0-9零一二三四五六七八九十两]", right):
            right = parts[-1] + right
        # The high end reads missing fields from the low end (4月1日至7日), never from ref.
        hi = _single(right, None, (lo.year, lo.month, lo.day), minguo, century=ref)
        hi_iso = hi and not hi.week and not hi.weekend and _iso(hi)
        if hi_iso and hi_iso < lo_iso and _crosses_new_year(lo, hi):
            hi.year += 1
            hi_iso = _iso(hi)
        # Both ends at one precision, in order; equal ends (上半年至下半年 → 2023, 2023) say nothing.
        if hi_iso and re.sub(r"\d", "0", hi_iso) == re.sub(r"\d", "0", lo_iso) and hi_iso > lo_iso:
            found.add((lo_iso, hi_iso))
    return DateValue(*found.pop()) if len(found) == 1 else None


_WRITES_MINGUO = _P(r"民[国國]|(?<![0-9])1[01][0-9]年|[今明去][(（]1[01][0-9][)）]年")


def writes_minguo(text: str) -> bool:
    """True when a text dates by the Minguo era somewhere (民國112年, 112年, 今（112）年): a
    Taiwanese text, where a two-digit year (99年3月) is a Minguo year too. A Traditional text
    that never does (Hong Kong, Macau) may mean 1997 by 97年7月1日, so there it is no year."""
    return _WRITES_MINGUO.search(text) is not None


def parse_date(text: str, ref: dt.date | None = None, *, minguo: bool = False) -> DateValue | None:
    """The date, time or range a whole date expression names, or None.

    The value is ISO 8601 at the precision written: '2023', '2023-04', '2023-04-07',
    '2023-04-07T10:30'; a range also sets value_high. `ref` (the article's date) resolves
    relative words and missing years; without it those give None, except that a month and
    day with no year give '--MM-DD' / '--MM'. Weeks (本周, 上周) resolve to their Monday;
    quarters, halves and 同期 to their year. `minguo` reads bare 3-digit years as Minguo
    years (112年 → 2023), and two-digit ones with their month (99年3月 → 2010-03); 民国112年 is
    always one. Two-digit years need `ref` otherwise (17年6月 → 2017-06, 98年3月 → 1998-03).
    Never raises on any string.
    """
    if not isinstance(text, str):
        return None
    return _parse_date(text, ref, minguo)


@functools.lru_cache(maxsize=8192)
def _parse_date(text: str, ref: dt.date | None, minguo: bool) -> DateValue | None:
    # Pure (the relative words are read once per process), and articles repeat their dates
    # (今年, 6月, 2023年): cached; a DateValue is frozen, so a cached one can be shared.
    s = re.sub(r"(?<=[0-9])\s+(?=[0-9])", "T", text.strip().translate(_FOLD))
    s = re.sub(r"\s+", "", s)
    if not s:
        return None
    fill = (ref.year, ref.month, ref.day) if ref else (None, None, None)
    w = _single(s, ref, fill, minguo)
    if w is not None:
        iso = _iso(w)
        if iso and w.weekend:
            return DateValue(iso, (dt.date.fromisoformat(iso) + dt.timedelta(days=1)).isoformat())
        return DateValue(iso) if iso else None
    return _range(s, ref, fill, minguo)


_CLOCK_ONLY = _P(rf"(?:{_alt(_DAYPARTS)})?[0-9０-９零〇一二三四五六七八九十两兩:：时時点點分秒半刻整许許]+")
def is_clock_only(text: str) -> bool:
    """True for a clock time with no day of its own (上午10时, 晚8点, 15:30)."""
    return _CLOCK_ONLY.fullmatch(text.strip().translate(_FOLD)) is not None


@functools.cache
def _day_mention() -> re.Pattern:
    # Where a paragraph names a day: 4月7日, 25日, 今（12）日, 昨天, 昨晚, 周五; 次日 and 第二天 the
    # day after the one named before (当天 and 当日 name that day again, so they change nothing).
    words = relative_words()
    return _P(
        rf"(?P<md>(?:(?:[0-9]{{4}}|[〇零一二三四五六七八九]{{4}})年)?(?:[0-9]{{1,2}}|[一二三四五六七八九十]{{1,3}})月"
        rf"(?:(?:[0-9]{{1,2}}|[一二三四五六七八九十]{{1,3}})[日号])?)"
        rf"|(?P<d>(?<![0-9月])[0-9]{{1,2}}日(?![内间]))"
        rf"|(?P<paren>[今昨前明][(][0-9]{{1,2}}[)]日|[今昨前明][日天早晚晨]?[(][0-9]{{1,2}}日[)])"
        rf"|(?P<next>次日|翌日|第二天|隔天|隔日)"
        rf"|(?P<rel>{_alt(words['day'])}|[昨前今明](?=[早晚晨夜午])|(?:{_alt(words['week'])})?(?:周|星期|礼拜)[一二三四五六日天])"
    )


def _mentions(before: str, ref: dt.date, minguo: bool):
    """(position, day or None, month, written) for each day or month `before` names, in order.
    A day written alone (17日) is in the month named last before it (7月16日…17日凌晨)."""
    month = (ref.year, ref.month)
    last_day: dt.date | None = None
    for m in _day_mention().finditer(before):
        day = None
        if m["md"]:
            got = parse_date(m["md"], ref, minguo=minguo)
            if got is None or got.value_high:
                yield m.start(), None, month, True
                continue
            y, mo = int(got.value[:4]), int(got.value[5:7])
            month = (y, mo)
            if len(got.value) != 10:
                continue  # a month alone sets the month, names no day
            day = dt.date.fromisoformat(got.value)
        elif m["d"] or m["paren"]:
            n = int(re.search(r"[0-9]{1,2}", m[0])[0])
            try:
                day = dt.date(month[0], month[1], n) if m["d"] else dt.date(ref.year, ref.month, n)
            except ValueError:
                day = None
        elif m["next"]:
            day = last_day + dt.timedelta(days=1) if last_day else None
        else:
            mention = m["rel"] + ("晚" if m["rel"] in _SHORT_DAY else "")
            got = parse_date(mention, ref, minguo=minguo)
            day = dt.date.fromisoformat(got.value) if got and not got.value_high and len(got.value) == 10 else None
        last_day = day or last_day
        yield m.start(), day, month, bool(m["md"] or m["d"] or m["next"])


def month_in_context(before: str, ref: dt.date, *, minguo: bool = False) -> tuple[int, int]:
    """The (year, month) a day written alone (17日) is in: the month the paragraph named last
    before it (7月16日下午…17日凌晨 is July), else the article's."""
    folded = before.translate(_FOLD).replace("（", "(").replace("）", ")")
    months = [month for _, _, month, _ in _mentions(folded, ref, minguo)]
    return months[-1] if months else (ref.year, ref.month)


def day_in_context(before: str, ref: dt.date, *, minguo: bool = False) -> dt.date | None:
    """The day a clock time with no day of its own is on, from the days named in `before` (the
    paragraph up to the time). The last day named in its sentence or the one before wins
    (昨天一早…。上午7时30分 is yesterday), unless another day named there differs and the last is
    not written as a date (7月15日, 28日); further back, only a paragraph that names one day
    decides; none named, the article's date. In doubt None, since a guessed day is a wrong one."""
    folded = before.translate(_FOLD).replace("（", "(").replace("）", ")")
    ends = [i for i, ch in enumerate(folded) if ch in "。！？!?"]
    window = ends[-2] + 1 if len(ends) >= 2 else 0
    found = [(pos, day, written) for pos, day, _, written in _mentions(folded, ref, minguo)]
    near = [(day, written) for pos, day, written in found if pos >= window]
    if near:
        last, written = near[-1]
        if last is None or (not written and any(d != last for d, _ in near)):
            return None
        return last
    days = {day for _, day, _ in found}
    if not days:
        return ref
    return days.pop() if len(days) == 1 and None not in days else None
