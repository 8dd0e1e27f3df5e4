"""The first-character sets put in front of rule patterns: never too small, or claims are lost."""
from __future__ import annotations

from pathlib import Path

import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from claims.firstchars import SPACES, anchor, compile_anchored, first_chars, first_pairs, pair_lookahead
from claims.rules import _expand, load_rules

ROOT = Path(__file__).resolve().parent.parent


def test_literals_classes_and_lists():
    assert first_chars(r"[0-9]+年") == frozenset("0123456789")
    assert first_chars(r"(?:约|大约)?[0-9]", {}) == frozenset("约大0123456789")
    assert first_chars(r"\L<w>?X", {"w": ("超过", "逾")}) == frozenset("超逾X")
    assert first_chars(r"(?P<a>甲)|(?P<a>乙)") == frozenset("甲乙")  # duplicate names, as `regex` allows


def test_zero_width_items_are_looked_through():
    assert first_chars(r"(?<![0-9])(?=[12])[0-9]{4}年") == frozenset("0123456789")
    assert first_chars(r"^(?!最)首") == frozenset("首")


def test_a_conditional_starts_like_either_branch_or_what_follows():
    assert first_chars(r"(?P<c>约)?(?(c)|(?!一))[0-9一]") == frozenset("约0123456789一")
    assert first_chars(r"(?P<a>x)?(?(a)y)z") == frozenset("xyz")  # no no-branch: z can start
    assert first_chars(r"(?(?=a)ab|c)") is None  # a condition that is a lookaround: not read


def test_case_insensitive_patterns_get_both_cases():
    assert first_chars(r"(?i)q[1-4]") == frozenset("qQ")
    assert first_chars(r"(?i:g)b") == frozenset("gG")


def test_gives_up_rather_than_guess():
    for pattern in (
        r"[^，。]{1,10}表示",  # negated class
        r"\w+说",  # a category
        r"\p{Han}{2}说",  # a Unicode property
        r".说",
        r"(?P<x>a)(?P=x)?|(?P=x)",  # a back reference first
        r"[0-9]*",  # can match nothing
        r"(?:年)?",
        r"[\u4e00-\u9fff]说",  # too wide a range
        r"\L<missing>a",  # a list it was not given
        r"[[a-z]--[aeiou]]",  # set operations of `regex` alone
    ):
        assert first_chars(pattern) is None, pattern


def test_anchored_pattern_finds_the_same_matches():
    p = compile_anchored(r"(?<![0-9])(?P<n>[0-9]+)(?P<u>\L<unit>)", unit=["元", "万元"])
    assert p.groupindex.keys() == {"n", "u"}
    assert [m.group() for m in p.finditer("花了35元和12万元，还有7个")] == ["35元", "12万元"]


def test_first_two_characters():
    assert first_pairs(r"[0-9]+年") == frozenset({f"{a}{b}" for a in "0123456789" for b in "0123456789年"})
    assert first_pairs(r"\L<w>说", {"w": ("超过很多", "逾")}) == frozenset({"超过", "逾说"})
    assert first_pairs(r"(?<![0-9])约?[12](?=年)") == frozenset({"约1", "约2", "1", "2"})  # 1 alone: a whole match
    assert first_pairs(r"(?i)q[1-4]") == frozenset({f"{q}{n}" for q in "qQ" for n in "1234"})
    assert first_pairs(r"(?:上|本)?(?:个|個)?月") == frozenset({"上个", "上個", "上月", "本个", "本個", "本月",
                                                             "个月", "個月", "月"})


def test_repeats_are_read_as_far_as_two_characters():
    assert first_pairs(r"a{3,5}b") == {"aa"}
    assert first_pairs(r"(?:ab|c)*d") == {"ab", "ca", "cc", "cd", "d"}
    assert first_pairs(r"x{0}y") == {"y"}


def test_white_space_is_a_class_it_can_read():
    assert SPACES == {chr(c) for c in range(0x110000) if regex.match(r"\s", chr(c), flags=regex.V1)}
    assert first_chars(r"\s?[至到]") == SPACES | {"至", "到"}
    assert first_pairs(r"[年\s]号") == {c + "号" for c in SPACES | {"年"}}
    assert first_chars(r"\S说") is None and first_chars(r"[^\s]说") is None
    head, _ = anchor(r"\s至")  # written out, so that a verbose pattern cannot drop its spaces
    assert " " not in head and "\n" not in head and regex.match(head, "\u3000至")


def test_a_second_character_it_cannot_bound_leaves_the_first_alone():
    assert first_pairs(r"据[^，。]{2,8}说") == frozenset({"据"})
    assert first_pairs(r"第.") == frozenset({"第"})
    assert first_pairs(r"(?P<a>[0-9])(?P=a)") == frozenset("0123456789")  # a back reference: any character


def test_pairs_give_up_where_first_characters_do():
    for pattern in (r"[^，。]{1,10}表示", r".说", r"[0-9]*", r"\L<missing>a", r"[[a-z]--[aeiou]]"):
        assert first_pairs(pattern) is None, pattern


def test_the_pair_lookahead_is_two_classes():
    assert pair_lookahead(frozenset({"一手", "七手", "一站"})) == "(?=[一七][手站])"
    # a first character that may stand alone (or before anything) is a branch of its own
    assert pair_lookahead(frozenset({"约1", "约2", "1"})) == "(?=[1]|[约][12])"
    assert anchor(r"\L<w>", {"w": ("一手", "七手")}) == ("(?=[一七][手])", frozenset("一七"))
    assert anchor(r"[0-9]+") == ("(?=[0123456789])", frozenset("0123456789"))  # a digit may be the whole match
    assert anchor(r"(?:[\u4e00-\u9fff]|a)说") == ("", None)


RULES = load_rules()
ANCHORED = [r for r in RULES.rules if r.pattern.pattern.startswith("(?=")]


def test_most_rules_are_anchored():
    # The speed-up depends on it; a rule that loses its first set should be noticed.
    assert len(ANCHORED) >= 0.8 * len(RULES.rules)


def _unanchored(rule):
    source = _expand(rule.spec.pattern, rule.pack.defines)
    assert rule.pattern.pattern.endswith(source) and rule.pattern.pattern != source
    return regex.compile(source, regex.V1,
                         **{k: list(v) for k, v in rule.pack.lists.items() if f"\\L<{k}>" in source})


# Text made of the characters the rules care about, so that matches are frequent.
ALPHABET = " \u3000\n\t0123456789０１２３年月日号时点分秒万亿千百十一二三两半成倍%％元人次个约超近不到多余至-~：，。、的他说表示据介绍首最大第今去明前后上下季度"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=60))
def test_anchoring_changes_no_match(text):
    for rule in ANCHORED:
        plain = _unanchored(rule)
        assert [m.span() for m in rule.pattern.finditer(text)] == [m.span() for m in plain.finditer(text)], rule.id


SAMPLE = [p.read_text(encoding="utf-8") for p in sorted(
    [*ROOT.glob("seeds/*.txt"), *ROOT.glob("tests/corpus/*.txt"), *ROOT.glob("eval/holdout*/*.txt")])]


def test_there_is_sample_text():
    assert len(SAMPLE) >= 20 and sum(map(len, SAMPLE)) > 30_000


def test_anchoring_changes_no_match_of_the_sample_articles():
    # Real text, where every rule matches somewhere: the same spans with and without the anchor.
    for rule in ANCHORED:
        plain = _unanchored(rule)
        for text in SAMPLE:
            got = [m.span() for m in rule.pattern.finditer(text)]
            assert got == [m.span() for m in plain.finditer(text)], rule.id
