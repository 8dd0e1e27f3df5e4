"""Every number, amount and date form of issue 3, found in a sentence and normalized.

tests/test_numbers.py and tests/test_dates.py check the normalizers alone; here the rule packs
must also find each form in running text, and the claim must carry the exact value.
"""
from __future__ import annotations

import pytest

from claims.extract import extract

REF = "2023-04-12"  # a Wednesday


def one(text: str, kind: str, date: str | None = REF):
    got = [c for c in extract(text, date) if c.kind.value == kind]
    assert len(got) == 1, [(c.kind.value, c.trigger.text) for c in extract(text, date)]
    return got[0]


@pytest.mark.parametrize(
    "text,trigger,value,extra",
    [
        # numbers: digits, widths, separators, decimals
        ("出货量达123台", "123台", 123, {"unit": "台"}),
        ("出货量达１２３台", "１２３台", 123, {}),
        ("出货量达1,234台", "1,234台", 1234, {}),
        ("出货量达1，234台", "1，234台", 1234, {}),
        ("体重为3.5公斤", "3.5公斤", 3.5, {"unit": "公斤"}),
        # Chinese numerals of any size, financial and Traditional forms
        ("工厂有三万五千名员工", "三万五千名", 35000, {}),
        ("共有3万5千名员工", "3万5千名", 35000, {}),
        ("花费一万零五百元", "一万零五百元", 10500, {"currency": "CNY"}),
        ("金额为壹佰贰拾叁元", "壹佰贰拾叁元", 123, {}),
        ("共有兩萬名觀眾", "兩萬名", 20000, {}),
        ("身高三点五米", "三点五米", 3.5, {"unit": "米"}),
        ("約三點五億人", "約三點五億人", 350000000, {"comparator": "approx"}),
        ("总投资1.5亿元", "1.5亿元", 150000000, {}),
        ("粉丝12.3万人", "12.3万人", 123000, {}),
        # 余/多 and comparators
        ("经营10余年", "10余年", 10, {"comparator": "over"}),
        ("已有100多万人", "100多万人", 1000000, {"comparator": "over"}),
        ("约500人参加", "约500人", 500, {"comparator": "approx"}),
        ("近3年来", "近3年", 3, {"comparator": "nearly"}),
        ("逾200家企业", "逾200家", 200, {"comparator": "over"}),
        ("超过50个国家", "超过50个", 50, {"comparator": "over"}),
        ("不足10人", "不足10人", 10, {"comparator": "under"}),
        ("1000人以上", "1000人以上", 1000, {"comparator": "at_least"}),
        ("30岁以下", "30岁以下", 30, {"comparator": "at_most"}),
        ("100人左右", "100人左右", 100, {"comparator": "approx"}),
        ("5000吨上下", "5000吨上下", 5000, {"comparator": "approx"}),
        # ratios and changes
        ("同比增长35%", "35%", 0.35, {"change": "increase", "compared": "year_on_year"}),
        ("占比３５％", "３５％", 0.35, {"change": None}),
        ("占比百分之三十五", "百分之三十五", 0.35, {}),
        ("利率为百分之0.5", "百分之0.5", 0.005, {}),
        ("不良率5‰", "5‰", 0.005, {}),
        ("不良率千分之五", "千分之五", 0.005, {}),
        ("成本降为十分之一", "十分之一", 0.1, {"change": None}),
        ("三分之二的受访者", "三分之二", 2 / 3, {}),
        ("占1/3", "1/3", 1 / 3, {}),
        ("环比下降两成", "两成", 0.2, {"change": "decrease", "compared": "month_on_month"}),
        ("占三成五", "三成五", 0.35, {}),
        ("提高2个百分点", "2个百分点", 2, {"unit": "个百分点", "change": "increase"}),
        ("增长了40万倍", "40万倍", 400000, {"unit": "倍"}),
        ("收入翻一番", "翻一番", 2, {"unit": "倍"}),
        ("收入翻两番", "翻两番", 4, {"unit": "倍"}),
        # ranges
        ("工期3至5年", "3至5年", 3, {"value_high": 5, "unit": "年"}),
        ("工期3-5年", "3-5年", 3, {"value_high": 5}),
        ("占三到五成", "三到五成", 0.3, {"value_high": 0.5}),
        ("涨幅20%~30%", "20%~30%", 0.2, {"value_high": 0.3}),
        ("月薪5万至8万元", "5万至8万元", 50000, {"value_high": 80000, "currency": "CNY"}),
        # money and units
        ("融资2亿美元", "2亿美元", 200000000, {"currency": "USD", "unit": "美元"}),
        ("售价300港元", "300港元", 300, {"currency": "HKD"}),
        ("罚款1万欧元", "1万欧元", 10000, {"currency": "EUR"}),
        ("约50万日元", "约50万日元", 500000, {"currency": "JPY", "comparator": "approx"}),
        ("补助3000新台币", "3000新台币", 3000, {"currency": "TWD"}),
        ("共2亿人次", "2亿人次", 200000000, {"unit": "人次"}),
        ("运输50吨", "50吨", 50, {"unit": "吨"}),
        ("全长120公里", "120公里", 120, {"unit": "公里"}),
        # durations are quantities, not dates
        ("历时半年", "半年", 0.5, {"unit": "年"}),
        ("用了3个月", "3个月", 3, {"unit": "个月"}),
        ("不到10年间", "不到10年", 10, {"unit": "年", "comparator": "under"}),
    ],
)
def test_quantity_form(text, trigger, value, extra):
    got = one(text, "quantity")
    assert got.trigger.text == trigger
    assert got.value == pytest.approx(value)
    for k, v in extra.items():
        actual = getattr(got, k)
        assert (actual.value if hasattr(actual, "value") else actual) == v, (k, actual)


@pytest.mark.parametrize(
    "text,trigger,value",
    [
        ("2023年4月7日发布", "2023年4月7日", "2023-04-07"),
        ("2023-04-07发布", "2023-04-07", "2023-04-07"),
        ("2023/4/7发布", "2023/4/7", "2023-04-07"),
        ("2023.4.7发布", "2023.4.7", "2023-04-07"),
        ("4月7日发布", "4月7日", "2023-04-07"),
        ("二〇二二年十一月发布", "二〇二二年十一月", "2022-11"),
        ("2022年11月发布", "2022年11月", "2022-11"),
        ("2019年发布", "2019年", "2019"),
        ("2023年第一季度营收", "2023年第一季度", "2023"),
        ("4月上旬发布", "4月上旬", "2023-04"),
        ("今年营收", "今年", "2023"),
        ("去年营收", "去年", "2022"),
        ("前年营收", "前年", "2021"),
        ("明年投产", "明年", "2024"),
        ("今年3月投产", "今年3月", "2023-03"),
        ("去年同期", "去年同期", "2022"),
        ("本月发布", "本月", "2023-04"),
        ("上月发布", "上月", "2023-03"),
        ("下月发布", "下月", "2023-05"),
        ("本周发布", "本周", "2023-04-10"),
        ("上周发布", "上周", "2023-04-03"),
        ("昨天发布", "昨天", "2023-04-11"),
        ("昨日发布", "昨日", "2023-04-11"),
        ("前天发布", "前天", "2023-04-10"),
        ("明天发布", "明天", "2023-04-13"),
        ("明日发布", "明日", "2023-04-13"),
        ("周一发布", "周一", "2023-04-10"),
        ("星期五发布", "星期五", "2023-04-14"),
        ("4月7日上午10时开幕", "4月7日上午10时", "2023-04-07T10:00"),
        ("4月7日10:30开幕", "4月7日10:30", "2023-04-07T10:30"),
        ("晚8点开幕", "晚8点", "2023-04-12T20:00"),
        ("今天上午10时开幕", "今天上午10时", "2023-04-12T10:00"),
        ("民國112年公布", "民國112年", "2023"),
    ],
)
def test_date_form(text, trigger, value):
    c = one(text, "date")
    assert (c.trigger.text, c.value) == (trigger, value)


def test_minguo_short_year_only_in_a_traditional_text():
    assert one("經濟部表示，這項計畫預計112年3月完成。", "date").value == "2023-03"
    assert [c for c in extract("该计划预计112年3月完成。", REF) if c.kind.value == "date" and c.value == "2023-03"] == []


@pytest.mark.parametrize(
    "text,allowed",
    [
        ("共一百百元", set()),
        ("来了十十人", set()),
        ("亿万元资金", set()),
        ("定于2023年2月30日", set()),
        ("定于13月5日", set()),
        ("重1..5吨", {("5吨", 5)}),  # the one well-formed figure in it, read as written
    ],
)
def test_malformed_numerals_and_dates_give_no_wrong_value(text, allowed):
    got = {(c.trigger.text, c.value) for c in extract(text, REF) if c.kind.value in ("quantity", "date")}
    assert got <= allowed, got


def test_a_word_that_begins_with_a_change_word_states_no_change():
    """降雨量 is rainfall: 累计降雨量60～200毫米 is a level (shown 60 – 200 毫米), while 下降 is a fall."""
    from claims.extract import extract
    from claims.values import shown

    rain = [c for c in extract("累计降雨量普遍在60～200毫米。", "2023-04-12") if c.kind.value == "quantity"]
    assert [(c.value, c.value_high, c.change) for c in rain] == [(60, 200, None)]
    assert "−" not in shown(rain[0])
    fall = [c for c in extract("气温下降5度，降水量达到80毫米。", "2023-04-12") if c.kind.value == "quantity"]
    assert [(c.value, c.change and c.change.value) for c in fall] == [(5, "decrease"), (80, None)]
