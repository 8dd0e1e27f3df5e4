"""claims.values: one way to show a value (issue 16 item 5), for the table, the detail and every export."""
from __future__ import annotations

import pytest

from claims.model import Claim, Speaker
from claims.values import MINUS, percent, percent_like, shown


def claim(trigger: str, value=None, kind: str = "quantity", **fields) -> Claim:
    text = f"据报道{trigger}。"
    start = 3
    return Claim(
        id="q1", kind=kind, text=text, span={"start": 0, "end": len(text)},
        trigger={"text": trigger, "start": start, "end": start + len(trigger)},
        value=value, rule="test", **fields,
    )


@pytest.mark.parametrize(("c", "expected"), [
    # the issue's own examples
    (claim("超过38公里", 38, unit="公里", comparator="over"), "> 38 公里"),
    (claim("36.2%", 0.362, change="decrease", compared="year_on_year"), f"{MINUS}36.2 % (同比)"),
    (claim("至少60%", 0.6, comparator="at_least"), "≥ 60 %"),
    (claim("约0.5", 0.5, comparator="approx"), "≈ 0.5"),
    (claim("11.6个百分点", 11.6, unit="个百分点"), "11.6 个百分点"),
    (claim("2023年6月30日", "2023-06-30", kind="date"), "2023-06-30"),
    # percent-like values are percentages, never bare fractions
    (claim("百分之3.46", 0.0346), "3.46 %"),
    (claim("千分之五", 0.005), "0.5 %"),
    (claim("逾八成", 0.8, comparator="over"), "> 80 %"),
    (claim("近一半", 0.5, comparator="nearly"), "≲ 50 %"),
    (claim("三分之二", 0.6666666666666666), "66.67 %"),
    (claim("20%~30%", 0.2, value_high=0.3), "20–30 %"),
    # a change is signed; a sign written with the figure is the one meant
    (claim("11.6个百分点", 11.6, unit="个百分点", change="increase", compared="year_on_year"),
     "+11.6 个百分点 (同比)"),
    (claim("-12.5%", -0.125, compared="year_on_year"), f"{MINUS}12.5 % (同比)"),
    (claim("负7.1%", -0.071, change="decrease"), f"{MINUS}7.1 %"),
    (claim("超过10%", 0.1, change="decrease", comparator="over"), f"< {MINUS}10 %"),
    (claim("20%至30%", 0.2, value_high=0.3, change="decrease"), f"{MINUS}30 – {MINUS}20 %"),
    # numbers: grouped thousands, no float noise, units after and currency signs before
    (claim("1500万元", 15000000, unit="元", currency="CNY"), "15,000,000 元"),
    (claim("三到五万港元", 30000, value_high=50000, unit="港元", currency="HKD"), "30,000–50,000 港元"),
    (claim("$20", 20, unit="$"), "$20"),
    (claim("0.1米", 0.1, unit="米"), "0.1 米"),
    (claim("七又三分之一", 7.333333333333333), "7.33"),
    (claim("-5/4", -1.25), f"{MINUS}1.25"),
    (claim("8亿美元", 800000000.0, unit="美元"), "800,000,000 美元"),
    (claim("2023年6月至8月", "2023-06", kind="date", value_high="2023-08"), "2023-06 – 2023-08"),
])
def test_shown(c, expected):
    assert shown(c) == expected


def test_attribution_shows_the_speaker():
    c = claim("表示", None, kind="attribution", speaker=Speaker(name="王建国", title="局长", cue="表示"))
    assert shown(c) == "王建国"


def test_no_value_no_text():
    assert shown(claim("首个", None, kind="ranking")) == ""


def test_percent_helper():
    assert percent(0.362) == "36.2 %"
    assert percent(1) == "100 %"
    assert percent(-0.125) == f"{MINUS}12.5 %"
    assert percent(0.123456) == "12.3456 %"  # written decimals are kept, not rounded


def test_percent_like_needs_a_ratio_word_and_no_unit():
    assert percent_like(claim("35%", 0.35))
    assert not percent_like(claim("0.35米", 0.35, unit="米"))
    assert not percent_like(claim("约0.5", 0.5))  # a bare number written as such
    assert not percent_like(claim("七又三分之一", 7.333333333333333))  # a fraction above one is a number
