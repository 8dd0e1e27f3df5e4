"""A claim's value as a reader expects to see it: `> 38 公里`, `−36.2 % (同比)`, `≥ 60 %`, `≈ 0.5`,
`11.6 个百分点`, `2023-06-30`.

One formatter for every place a value is shown (the review table and detail, the audit exports,
ClaimReview), so that an editor never sees two spellings of one figure. Claim files keep ratios
as fractions (35% → 0.35, for arithmetic); people read them as percentages, so a percent-like
value is shown as one everywhere, never as a bare fraction.
"""
from __future__ import annotations

from decimal import Decimal

from .model import Change, Claim, Comparator, Compared, Kind

MINUS = "\u2212"  # a real minus: also no spreadsheet reads a cell starting with it as a formula

COMPARATOR_SIGN = {
    Comparator.approx: "≈",
    Comparator.over: ">",
    Comparator.at_least: "≥",
    Comparator.under: "<",
    Comparator.nearly: "≲",
    Comparator.at_most: "≤",
}
# 下降超过10% is a change below −10 %: shown signed, a bound on the size of a fall turns round.
_TURNED = {
    Comparator.over: Comparator.under,
    Comparator.under: Comparator.over,
    Comparator.at_least: Comparator.at_most,
    Comparator.at_most: Comparator.at_least,
}
_NEARLY_TURNED = "≳"  # 下降近10%: just above −10 %
COMPARED_WORD = {Compared.year_on_year: "同比", Compared.month_on_month: "环比"}

# What marks a ratio written as one: a sign or word of hundredths, thousandths, tenths or a half.
# Fractions (三分之二, 1/3) are percent-like only inside [-1, 1]: 七又三分之一(倍) is a number.
_PERCENT_MARKS = ("%", "％", "‰", "‱", "百分之", "千分之", "万分之", "萬分之", "成", "一半", "半数", "半數")
_FRACTION_MARKS = ("分之", "/", "／")
_SIGNS_BEFORE = ("￥", "¥", "$", "＄")  # currency signs are written before the figure
_REPEATING = 6  # more decimals than this: a fraction that does not end (2/3), shown to 2 places


def _decimal(v: int | float) -> Decimal:
    # repr gives the shortest decimal that reads back as the float: 0.362, not 0.36199999…
    return Decimal(v) if isinstance(v, int) else Decimal(repr(v))


def _plain(d: Decimal, group: bool = True) -> str:
    """A decimal without exponent or float noise, with thousands grouped and a real minus."""
    d = d.normalize()
    if -d.as_tuple().exponent > _REPEATING:
        d = d.quantize(Decimal("0.01")).normalize()
    if d == d.to_integral_value():
        d = d.quantize(Decimal(1))
    text = format(d, ",f" if group else "f")
    return text.replace("-", MINUS)


def number(v: int | float | str | None) -> str:
    """A value as a person reads it: 1,000,000 · 0.35 · −12.5 · 2023-06-30 (strings as written)."""
    if v is None:
        return ""
    if isinstance(v, bool) or isinstance(v, str):
        return str(v)
    return _plain(_decimal(v))


def percent(v: int | float) -> str:
    """A fraction as a percentage: 0.362 → `36.2 %`, 0.005 → `0.5 %`, -0.125 → `−12.5 %`."""
    return f"{_plain(_decimal(v) * 100)} %"


def percent_like(claim: Claim) -> bool:
    """Whether the claim's value is a ratio kept as a fraction (35%, 百分之三, 三成, 一半, 三分之二)."""
    if claim.kind != Kind.quantity or claim.unit or not isinstance(claim.value, int | float):
        return False
    t = claim.trigger.text
    if any(m in t for m in _PERCENT_MARKS):
        return True
    values = [v for v in (claim.value, claim.value_high) if isinstance(v, int | float)]
    return any(m in t for m in _FRACTION_MARKS) and all(-1 <= v <= 1 for v in values)


def value(claim: Claim) -> str:
    """The value with range, comparator, change, unit and basis; '' when the claim has none."""
    if claim.value is None:
        return ""
    pct = percent_like(claim)
    low, high = claim.value, claim.value_high
    is_num = isinstance(low, int | float) and not isinstance(low, bool)
    # A change is signed: a fall is below zero, a rise above. A figure already written with its
    # sign (下降负7.1%, 同比-12.5%) keeps that sign: it is the one the writer meant.
    falls = claim.change == Change.decrease and is_num and low >= 0
    rises = claim.change == Change.increase and is_num and low >= 0
    if falls:
        low, high = -low, (-high if isinstance(high, int | float) else high)
        if high is not None:
            low, high = high, low  # 下降20%–30%: from −30 % to −20 %
    # Dates and negative ends are spaced apart: 2023-06 – 2023-08, −30 – −20 %.
    sep = " – " if isinstance(low, str) or (is_num and low < 0) else "–"
    if pct:
        text = f"{_plain(_decimal(low) * 100)}"
        if high is not None:
            text += f"{sep}{_plain(_decimal(high) * 100)}"
        text += " %"
    else:
        text = number(low) + (f"{sep}{number(high)}" if high is not None else "")
    if rises:
        text = "+" + text
    unit = claim.unit or claim.currency or ""
    if unit and not pct:
        text = f"{unit}{text}" if unit in _SIGNS_BEFORE else f"{text} {unit}"
    if claim.comparator is not None:
        if falls and claim.comparator == Comparator.nearly:
            sign = _NEARLY_TURNED
        else:
            sign = COMPARATOR_SIGN[_TURNED.get(claim.comparator, claim.comparator) if falls else claim.comparator]
        text = f"{sign} {text}"
    if claim.compared is not None:
        text += f" ({COMPARED_WORD[claim.compared]})"
    return text


def shown(claim: Claim) -> str:
    """What a claim states, for a table cell or an export: its value as `value` shows it, or, for
    an attribution (which has no value), who is quoted."""
    if claim.value is not None:
        return value(claim)
    if claim.speaker is not None:
        return claim.speaker.name
    return ""
