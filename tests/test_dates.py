import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from claims.dates import DateValue, parse_date

WED = dt.date(2023, 4, 12)  # a Wednesday
MON = dt.date(2023, 4, 10)
SUN = dt.date(2023, 4, 16)
JAN_SUN = dt.date(2023, 1, 15)  # January (wrap-around) and a Sunday
LEAP = dt.date(2024, 3, 1)
NYE = dt.date(2023, 12, 31)


def _v(value, high=None):
    return DateValue(value, high)


ON_WED = [
    # absolute dates
    ("2023年4月7日", "2023-04-07"), ("2023年04月07日", "2023-04-07"), ("2023-04-07", "2023-04-07"),
    ("2023/4/7", "2023-04-07"), ("2023.4.7", "2023-04-07"), ("二〇二二年十一月五日", "2022-11-05"),
    ("二○二二年十一月五日", "2022-11-05"), ("二零二二年十一月五日", "2022-11-05"), ("2023年4月7号", "2023-04-07"),
    ("２０２３年４月７日", "2023-04-07"), ("2023年4月30日", "2023-04-30"), ("二〇二三年一月三十一日", "2023-01-31"),
    ("2022年11月", "2022-11"), ("二〇二二年十一月", "2022-11"), ("2019年", "2019"), ("2023-04", "2023-04"),
    ("2023 年 4 月 7 日", "2023-04-07"), ("公元2023年", "2023"), ("2024年2月29日", "2024-02-29"), ("3月份", "2023-03"),
    ("4月7日", "2023-04-07"), ("6月30日", "2023-06-30"), ("7日", "2023-04-07"), ("7号", "2023-04-07"),
    ("6月", "2023-06"), ("十一月", "2023-11"), ("二十五日", "2023-04-25"), ("4月7日(周五)", "2023-04-07"),
    ("4月7日（星期五）", "2023-04-07"), ("2023年4月7日起", "2023-04-07"),
    # relative years, months, days
    ("今年", "2023"), ("去年", "2022"), ("前年", "2021"), ("明年", "2024"), ("后年", "2025"), ("後年", "2025"),
    ("今年3月", "2023-03"), ("去年同期", "2022"), ("上年同期", "2022"), ("去年12月", "2022-12"),
    ("去年3月5日", "2022-03-05"), ("今年以来", "2023"),
    ("本月", "2023-04"), ("上月", "2023-03"), ("上个月", "2023-03"), ("上個月", "2023-03"), ("下月", "2023-05"),
    ("下个月", "2023-05"), ("下月起", "2023-05"), ("上月5日", "2023-03-05"), ("上月底", "2023-03"),
    ("今天", "2023-04-12"), ("今日", "2023-04-12"), ("昨天", "2023-04-11"), ("昨日", "2023-04-11"),
    ("前天", "2023-04-10"), ("明天", "2023-04-13"), ("明日", "2023-04-13"), ("后天", "2023-04-14"),
    ("後天", "2023-04-14"), ("今晨", "2023-04-12"), ("昨晚", "2023-04-11"),
    # weeks: named by their Monday; weekdays fall in ref's Monday-Sunday week
    ("本周", "2023-04-10"), ("这周", "2023-04-10"), ("上周", "2023-04-03"), ("下周", "2023-04-17"),
    ("周一", "2023-04-10"), ("周二", "2023-04-11"), ("周五", "2023-04-14"), ("周日", "2023-04-16"),
    ("周天", "2023-04-16"), ("星期一", "2023-04-10"), ("星期日", "2023-04-16"), ("星期天", "2023-04-16"),
    ("礼拜三", "2023-04-12"), ("禮拜三", "2023-04-12"), ("週二", "2023-04-11"), ("星期三", "2023-04-12"),
    ("上周五", "2023-04-07"), ("下周一", "2023-04-17"), ("上星期五", "2023-04-07"), ("下個星期一", "2023-04-17"),
    ("上週五", "2023-04-07"),
    # parts of years and months
    ("年底", "2023-12"), ("年末", "2023-12"), ("年初", "2023-01"), ("今年年底", "2023-12"), ("今年底", "2023-12"),
    ("2009年底", "2009-12"), ("2009年末", "2009-12"), ("明年年初", "2024-01"),
    ("3月底", "2023-03"), ("3月末", "2023-03"), ("3月初", "2023-03"), ("4月上旬", "2023-04"),
    ("4月中旬", "2023-04"), ("4月下旬", "2023-04"),
    ("2023年第一季度", "2023"), ("今年第二季度", "2023"), ("2023年一季度", "2023"), ("2023年Q1", "2023"),
    ("2023年上半年", "2023"), ("2022年下半年", "2022"), ("下半年", "2023"), ("第1季", "2023"), ("上半年", "2023"),
    ("去年四季度", "2022"), ("本年度", "2023"), ("前三季度", "2023"), ("全年", "2023"),
    # times, kept with their date
    ("2023年7月30日上午10时", "2023-07-30T10:00"), ("4月7日10:30", "2023-04-07T10:30"),
    ("2023-04-07 10:30", "2023-04-07T10:30"), ("晚8点", "2023-04-12T20:00"), ("晚上8時許", "2023-04-12T20:00"), ("昨晚8时许", "2023-04-11T20:00"), ("前晚10時許", "2023-04-10T22:00"), ("昨日下午3时30分许", "2023-04-11T15:30"), ("晚上8点", "2023-04-12T20:00"),
    ("晚8时", "2023-04-12T20:00"), ("下午3点半", "2023-04-12T15:30"), ("凌晨5时", "2023-04-12T05:00"),
    ("中午12时", "2023-04-12T12:00"), ("上午10时30分", "2023-04-12T10:30"), ("10时", "2023-04-12T10:00"),
    ("5月4日24时", "2023-05-04T24:00"),  # 截至…24时: the end of the day
    ("15时20分", "2023-04-12T15:20"), ("昨晚8点", "2023-04-11T20:00"), ("周二晚8点", "2023-04-11T20:00"),
    ("4月7日晚8點", "2023-04-07T20:00"), ("2023年4月7日下午", "2023-04-07"), ("上午十点零五分", "2023-04-12T10:05"), ("十时零五分", "2023-04-12T10:05"), ("10时30分15秒", "2023-04-12T10:30:15"),
    # Minguo with its era name
    ("民國112年", "2023"), ("民国112年", "2023"), ("民国38年", "1949"), ("民國一百一十二年", "2023"),
]


@pytest.mark.parametrize("text, value", ON_WED)
def test_on_a_wednesday(text, value):
    assert parse_date(text, WED) == _v(value)


RANGES = [
    ("2008至2013年", "2008", "2013"), ("2008年至2013年", "2008", "2013"), ("2008-2013年", "2008", "2013"),
    ("2008到2013年间", "2008", "2013"), ("2008～2013年", "2008", "2013"), ("从2008年到2013年", "2008", "2013"),
    ("25到28日", "2023-04-25", "2023-04-28"), ("25日至28日", "2023-04-25", "2023-04-28"),
    ("4月1日至4月7日", "2023-04-01", "2023-04-07"), ("4月1日至7日", "2023-04-01", "2023-04-07"),
    ("2023年3月至5月", "2023-03", "2023-05"), ("3-5月", "2023-03", "2023-05"),
    ("2023年12月30日至1月2日", "2023-12-30", "2024-01-02"), ("11月至2月", "2023-11", "2024-02"),
    ("2023年3月5日-8日", "2023-03-05", "2023-03-08"), ("2023年3-5月", "2023-03", "2023-05"),
    ("2023-04-01至2023-04-07", "2023-04-01", "2023-04-07"), ("10时至12时", "2023-04-12T10:00", "2023-04-12T12:00"),
]


@pytest.mark.parametrize("text, low, high", RANGES)
def test_ranges(text, low, high):
    assert parse_date(text, WED) == _v(low, high)


@pytest.mark.parametrize(
    "ref, text, value",
    [
        (JAN_SUN, "上月", "2022-12"), (JAN_SUN, "上个月", "2022-12"), (JAN_SUN, "去年", "2022"),
        (JAN_SUN, "去年12月", "2022-12"), (JAN_SUN, "下月", "2023-02"), (JAN_SUN, "本月", "2023-01"),
        (JAN_SUN, "周一", "2023-01-09"), (JAN_SUN, "周日", "2023-01-15"), (JAN_SUN, "本周", "2023-01-09"),
        (JAN_SUN, "上周五", "2023-01-06"), (JAN_SUN, "下周一", "2023-01-16"), (JAN_SUN, "昨天", "2023-01-14"),
        (JAN_SUN, "7日", "2023-01-07"), (JAN_SUN, "上周", "2023-01-02"),
        (MON, "周一", "2023-04-10"), (MON, "周日", "2023-04-16"), (MON, "上周", "2023-04-03"),
        (MON, "昨天", "2023-04-09"), (MON, "上周日", "2023-04-09"),
        (SUN, "周二", "2023-04-11"), (SUN, "周日", "2023-04-16"), (SUN, "下周一", "2023-04-17"),
        (LEAP, "昨天", "2024-02-29"), (LEAP, "前天", "2024-02-28"),
        (NYE, "下月", "2024-01"), (NYE, "明天", "2024-01-01"), (NYE, "明年", "2024"), (NYE, "下周一", "2024-01-01"),
    ],
)
def test_other_refs(ref, text, value):
    assert parse_date(text, ref) == _v(value)


@pytest.mark.parametrize(
    "text, value",
    [
        ("6月30日", "--06-30"), ("6月", "--06"), ("2月29日", "--02-29"), ("十一月五日", "--11-05"),
        ("2023年4月7日", "2023-04-07"), ("2023-04-07", "2023-04-07"), ("2022年11月", "2022-11"), ("2019年", "2019"),
        ("二〇二二年十一月五日", "2022-11-05"), ("民国112年", "2023"),
    ],
)
def test_without_ref_no_year_is_invented(text, value):
    assert parse_date(text) == _v(value)


@pytest.mark.parametrize(
    "text",
    ["去年", "今年", "今天", "昨天", "周二", "上周五", "本周", "7日", "上月", "年底", "第1季", "上半年", "晚8点",
     "10:30", "去年同期", "年初", "Q1", "全年", "6月30日10时", "25到28日"],
)
def test_without_ref_relative_is_none(text):
    assert parse_date(text) is None


@pytest.mark.parametrize(
    "text, value",
    [("112年3月", "2023-03"), ("112年3月5日", "2023-03-05"), ("112年", "2023"), ("112/3/5", "2023-03-05"),
     ("民國112年", "2023"), ("2023年3月", "2023-03"), ("012年", None), ("112年至113年", _v("2023", "2024"))],
)
def test_minguo(text, value):
    expected = value if isinstance(value, DateValue) or value is None else _v(value)
    assert parse_date(text, WED, minguo=True) == expected


@pytest.mark.parametrize("text", ["112年3月", "112年3月5日", "112年", "112/3/5"])
def test_three_digit_year_is_not_a_date_outside_minguo(text):
    assert parse_date(text, WED) is None


INVALID = [
    "2023年2月30日", "2022年2月29日", "13月5日", "0月", "32日", "0日", "", "   ", "明", "2023年13月", "2023-13-01",
    "2023/2/30", "4月31日", "abc", "年", "月", "日", "周", "2023年7日", "2023年3月10时", "晚上24时", "5月4日24时30分", "10:60",
    "晚上12点", "8点", "两点", "4月7日周六", "4月7日(周六)", "2013至2008年", "28到25日", "4月7日前", "3天前",
    "同期", "当天", "次日", "23年", "0000年", "2023年4月7日至", "至2013年", "2008至今", "民国年",
    "一二月", "今年去年", "4月7日4月8日", "晚", "4月7日10时后", "2023年第五季度", "3月5日至2月1日", "周一至周五", "上周10:30", "上周上午", "上周至周五", "7日至7日", "2023年上半年至下半年", "四季", "7月至次年1月",
]


@pytest.mark.parametrize("text", INVALID)
def test_invalid(text):
    assert parse_date(text, WED) is None


def test_non_string():
    assert parse_date(None, WED) is None  # type: ignore[arg-type]


# --- properties -----------------------------------------------------------------------------

_CN = "〇一二三四五六七八九"


def cn_year(y: int) -> str:
    return "".join(_CN[int(c)] for c in str(y))


def cn_small(n: int) -> str:
    """1..31 as written in a date: 五, 十, 十一, 二十, 三十一."""
    tens, ones = divmod(n, 10)
    return ("" if tens == 0 else "十" if tens == 1 else _CN[tens] + "十") + (_CN[ones] if ones else "")


FORMATS = [
    lambda d: f"{d.year}年{d.month}月{d.day}日",
    lambda d: f"{d.year}年{d.month:02d}月{d.day:02d}日",
    lambda d: f"{d.year}年{d.month}月{d.day}号",
    lambda d: d.isoformat(),
    lambda d: f"{d.year}/{d.month}/{d.day}",
    lambda d: f"{d.year}.{d.month}.{d.day}",
    lambda d: f"{cn_year(d.year)}年{cn_small(d.month)}月{cn_small(d.day)}日",
]

dates = st.dates(dt.date(1950, 1, 1), dt.date(2049, 12, 31))
refs = st.dates(dt.date(1901, 1, 1), dt.date(2098, 12, 31))


@given(dates, st.sampled_from(range(len(FORMATS))), st.one_of(st.none(), refs))
def test_written_dates_round_trip(d, fmt, ref):
    assert parse_date(FORMATS[fmt](d), ref) == _v(d.isoformat())


@given(dates, st.one_of(st.none(), refs))
def test_written_months_round_trip(d, ref):
    expected = _v(f"{d.year:04d}-{d.month:02d}")
    assert parse_date(f"{d.year}年{d.month}月", ref) == expected
    assert parse_date(f"{cn_year(d.year)}年{cn_small(d.month)}月", ref) == expected


@given(dates, refs)
def test_month_day_takes_refs_year(d, ref):
    if (d.month, d.day) == (2, 29) and not ref.year % 4 == 0:
        return
    expected = dt.date(ref.year, d.month, d.day).isoformat()
    assert parse_date(f"{d.month}月{d.day}日", ref) == _v(expected)
    assert parse_date(f"{d.month}月{d.day}日", None) == _v("--" + expected[5:])


@given(dates, st.integers(1, 400))
def test_ranges_round_trip(d, days):
    hi = d + dt.timedelta(days=days)
    assert parse_date(f"{d.year}年{d.month}月{d.day}日至{hi.year}年{hi.month}月{hi.day}日") == _v(
        d.isoformat(), hi.isoformat()
    )


DAY_WORDS = {"大前天": -3, "前天": -2, "昨天": -1, "昨日": -1, "今天": 0, "今日": 0, "明天": 1, "明日": 1, "后天": 2}
YEAR_WORDS = {"前年": -2, "去年": -1, "今年": 0, "明年": 1}
MONTH_WORDS = {"上月": -1, "上个月": -1, "本月": 0, "下月": 1, "下个月": 1}
WEEK_WORDS = {"上": -1, "本": 0, "下": 1}
WEEKDAY_NAMES = ["一", "二", "三", "四", "五", "六", "日"]


@given(refs)
def test_relative_words(ref):
    for word, shift in DAY_WORDS.items():
        assert parse_date(word, ref) == _v((ref + dt.timedelta(days=shift)).isoformat())
    for word, shift in YEAR_WORDS.items():
        assert parse_date(word, ref) == _v(str(ref.year + shift))
    for word, shift in MONTH_WORDS.items():
        first = ref.replace(day=1)
        target = first - dt.timedelta(days=1) if shift < 0 else first + dt.timedelta(days=32 * shift)
        assert parse_date(word, ref) == _v(target.strftime("%Y-%m"))
    monday = ref - dt.timedelta(days=ref.weekday())
    for prefix, weeks in WEEK_WORDS.items():
        assert parse_date(prefix + "周", ref) == _v((monday + dt.timedelta(weeks=weeks)).isoformat())
        for i, name in enumerate(WEEKDAY_NAMES):
            day = monday + dt.timedelta(weeks=weeks, days=i)
            assert parse_date(f"{prefix}周{name}", ref) == _v(day.isoformat())
            if prefix == "本":
                assert parse_date(f"星期{name}", ref) == _v(day.isoformat())


@given(refs, st.integers(0, 23), st.integers(0, 59))
def test_clock_times_attach_to_ref(ref, h, m):
    assert parse_date(f"{h}:{m:02d}", ref) == _v(f"{ref.isoformat()}T{h:02d}:{m:02d}")
    assert parse_date(f"{h}时{m}分", ref) == _v(f"{ref.isoformat()}T{h:02d}:{m:02d}")


@given(
    st.text(alphabet="0123456789年月日号至到-/.:时点分半上下本这周星期今明昨去前后天底初旬季度民国晚午凌晨起一二三十〇 ", max_size=14),
    st.one_of(st.none(), refs),
    st.booleans(),
)
def test_never_raises(text, ref, minguo):
    got = parse_date(text, ref, minguo=minguo)
    assert got is None or isinstance(got, DateValue)


# --- one vocabulary: rules/date.yaml's lists are what parse_date resolves --------------------

def test_every_relative_word_of_the_pack_resolves_with_its_shift():
    from claims.dates import relative_words

    words = relative_words()
    assert words["day"]["大后天"] == 3 and words["year"]["大前年"] == -3
    for word, shift in words["day"].items():
        assert parse_date(word, WED) == _v((WED + dt.timedelta(days=shift)).isoformat()), word
    for word, shift in words["year"].items():
        assert parse_date(word, WED) == _v(str(WED.year + shift)), word
    for word, shift in words["month"].items():
        y, m = divmod(WED.year * 12 + WED.month - 1 + shift, 12)
        assert parse_date(word, WED) == _v(f"{y:04d}-{m + 1:02d}"), word


@pytest.mark.parametrize("text, trigger, value", [
    ("大后天举行", "大后天", "2023-04-15"), ("大後天舉行", "大後天", "2023-04-15"),
    ("大前年上市", "大前年", "2020"), ("大前天发生", "大前天", "2023-04-09"), ("大后年建成", "大后年", "2026"),
])
def test_big_forms_are_whole_claims(text, trigger, value):
    from claims import extract

    dates = [(c.trigger.text, c.value) for c in extract(text, date=WED) if c.kind.value == "date"]
    assert dates == [(trigger, value)]


@pytest.mark.parametrize("text, value", [
    ("17年6月1日", "2017-06-01"), ("09年5月", "2009-05"), ("零九年", "2009"), ("07年", "2007"), ("98年3月", "1998-03"),
    ("民国五年", "1916"), ("民國元年", "1912"), ("两千零四年八月十五", "2004-08-15"), ("三月十六", "2023-03-16"),
    ("一月二十三", "2023-01-23"), ("九月八号", "2023-09-08"), ("去年本月五日", "2022-04-05"), ("去年本月", "2022-04"),
    ("上上周", "2023-03-27"), ("下下周三", "2023-04-26"), ("上上個週三", "2023-03-29"),
    ("4月12日，周三", "2023-04-12"), ("1987年1月11日八点", "1987-01-11"), ("今早8点十五分", "2023-04-12T08:15"),
])
def test_forms_of_issue_13(text, value):
    assert parse_date(text, WED) == _v(value)


@pytest.mark.parametrize("text, low, high", [
    ("下周末", "2023-04-22", "2023-04-23"), ("这个周末", "2023-04-15", "2023-04-16"),
    ("2007年与2009年间", "2007", "2009"), ("下午5:00到6:00", "2023-04-12T17:00", "2023-04-12T18:00"),
    ("早上五到六点", "2023-04-12T05:00", "2023-04-12T06:00"), ("18年10月1日至19年2月3日", "2018-10-01", "2019-02-03"),
])
def test_ranges_of_issue_13(text, low, high):
    assert parse_date(text, WED) == _v(low, high)


@pytest.mark.parametrize("text", [
    "15年", "两千年", "30年5月", "10月12号,星期一", "周末", "10月和5月间", "下午5:00到凌晨3:00", "十六",
])
def test_doubtful_forms_give_nothing(text):
    assert parse_date(text, dt.date(2017, 3, 22)) is None


@pytest.mark.parametrize("text, value", [("99年3月", "2010-03"), ("112年", "2023"), ("09年", None), ("09年5月", None)])
def test_two_digit_years_in_a_taiwanese_text_are_minguo(text, value):
    assert parse_date(text, WED, minguo=True) == (value and _v(value))


def test_short_years_need_the_articles_date():
    assert parse_date("17年6月1日") is None


@pytest.mark.parametrize("before, day", [
    ("3万名跑者昨天一早齐聚湖畔。", "2023-04-11"),
    ("洪水已于4月5日凌晨4时形成，省防指于当日", "2023-04-05"),
    ("水位从10日凌晨5时的48.2米一路上涨，", "2023-04-10"),
    ("会议昨天结束。今天代表们返程。随后，", "2023-04-12"),
    ("没有别的日子，", "2023-04-12"),
    ("政府今午宣布，学校明日停课，截至", None),  # two days named, the last not a date: no guess
])
def test_a_clock_time_is_on_the_day_its_paragraph_names(before, day):
    from claims.dates import day_in_context

    got = day_in_context(before, WED)
    assert (got and got.isoformat()) == day


@pytest.mark.parametrize("text, dates", [
    ("4月10日，市里召开会议。上午10时，代表入场。", [("4月10日", "2023-04-10"), ("上午10时", "2023-04-10T10:00")]),
    ("会议于12023年举行", []),
    ("农历2015年十月初一早上九点举行", []),
    ("事件每周一都发生", []),
])
def test_dates_in_context(text, dates):
    from claims import extract

    assert [(c.trigger.text, c.value) for c in extract(text, date=WED) if c.kind.value == "date"] == dates


@pytest.mark.parametrize("text, dates", [
    ("民國112年預算通過。會議於99年3月舉行。", [("民國112年", "2023"), ("99年3月", "2010-03")]),
    ("會議於97年7月1日舉行，這個說法。", []),  # Traditional, never dating by Minguo: 1997 or 2008
    ("会议于97年7月1日举行", [("97年7月1日", "1997-07-01")]),
])
def test_two_digit_years_by_script_and_era(text, dates):
    from claims import extract

    assert [(c.trigger.text, c.value) for c in extract(text, date=WED) if c.kind.value == "date"] == dates
