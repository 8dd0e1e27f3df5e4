"""Rule prefilters: a paragraph without one is never searched, so a prefilter that misses a
match would lose claims silently. Searching only the paragraphs a built-in prefilter picks must
find exactly what searching everywhere finds."""
from __future__ import annotations

from pathlib import Path

import pytest
import regex
from hypothesis import given, settings
from hypothesis import strategies as st

from claims import text as T
from claims.extract import _matches, extract
from claims.prefilters import alternatives, compile_prefilter, pieces
from claims.rules import load_pack, load_rules

ROOT = Path(__file__).resolve().parent.parent
RULES = load_rules()
FILTERED = [r for r in RULES.rules if r.prefilter is not None]
TEXTS = [p.read_text(encoding="utf-8") for p in sorted(
    [*ROOT.glob("seeds/*.txt"), *ROOT.glob("tests/corpus/*.txt"), *ROOT.glob("eval/*/*.txt")])]


def _misses(rule, text: str) -> list[str]:
    paras = T.paragraphs(text)
    windowed = {m.span() for m in _matches(text, rule, [], paras, [p.start for p in paras])}
    return [m.group() for m in rule.pattern.finditer(text) if m.span() not in windowed]


def test_there_are_prefilters_and_texts():
    assert len(FILTERED) >= 10 and len(TEXTS) >= 30


@pytest.mark.parametrize("rule", FILTERED, ids=lambda r: r.id)
def test_prefilter_keeps_every_match_of_the_corpora_and_examples(rule):
    examples = [ex.text for ex in rule.spec.examples.match]
    found = [(t[:20], miss) for t in TEXTS + examples for miss in _misses(rule, t)]
    assert found == []


# Characters the prefiltered rules care about, so that matches are frequent.
ALPHABET = "\n0123456789年月日号號时晨上午晚间夜新高低纪录记领先据根十千万分史之最唯一/.０１亿百二三两半成倍%％‰元人次个约超至到-~～—：:“「看来季度今昨明前后天周星期本下第首居榜的"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=40))
def test_prefilter_keeps_every_match_of_random_text(text):
    for rule in FILTERED:
        assert _misses(rule, text) == [], rule.id


def test_prefilter_may_use_defines_and_lists(tmp_path):
    pack = tmp_path / "p.yaml"
    pack.write_text(
        "kind: quantity\nlists: {u: [斤, 公斤]}\ndefines: {n: '[0-9]+'}\nrules:\n"
        "  - {id: t.w, normalizer: quantity, prefilter: '{{n}}\\L<u>', pattern: '(?P<num>{{n}})(?P<unit>\\L<u>)'}\n",
        encoding="utf-8")
    _, (rule,) = load_pack(pack)
    assert any(p.search("买了3公斤") for p in rule.prefilter)
    assert not any(p.search("买了公斤3") for p in rule.prefilter)
    # and the engine still finds what the pattern finds, in the paragraphs holding the prefilter
    rules = RULES.__class__(rules=(rule,), lists=RULES.lists, defines=RULES.defines)
    assert [c.trigger.text for c in extract("甲\n买了3公斤米\n乙", rules=rules)] == ["3公斤"]


# Pieces (claims/prefilters.py): a prefilter is searched as its alternatives, a leading class
# or group split into one piece per character or string. Matches must start where they did.

def _starts(patterns, text: str) -> set[int]:
    return {i for p in patterns for i in range(len(text) + 1) if p.match(text, i)}


def _whole(rule):
    from claims.rules import _expand
    source = _expand(rule.spec.prefilter, rule.pack.defines)
    return regex.compile(source, regex.V1, **{k: v for k, v in RULES.lists.items() if f"\\L<{k}>" in source})


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=30))
def test_pieces_start_where_the_whole_prefilter_starts(text):
    for rule in FILTERED:
        assert _starts(rule.prefilter, text) == _starts([_whole(rule)], text), rule.id


def test_pieces_split_only_what_they_can_read():
    assert pieces("分之|[0-9]/[0-9]") == ["分之", "[0-9]/[0-9]"]
    assert pieces("[%％‰]|分之") == ["%", "％", "‰", "分之"]
    assert pieces("(?:19|20)[0-9]{2}") == ["19[0-9]{2}", "20[0-9]{2}"]
    assert pieces("[ab]c|[ab]c") == ["ac", "bc"]
    # repeated, grouped with more than strings, escaped, nested or flagged: left as written
    for source in ("[ab]+c", "(?:a|b)?c", "(?:a|b.)c", "(a|b)c", r"a\|b", "[a[b]|c]", "(?i)a|b", "(?#x|y)a"):
        assert pieces(source) in ([source], alternatives(source)), source
    assert alternatives("(?i)a|b") == ["(?i)a|b"] and alternatives("[a[b]|c]") == ["[a[b]|c]"]
    assert alternatives(r"a\|b") == [r"a\|b"] and alternatives("[|]a|b") == ["[|]a", "b"]
    assert alternatives("(a|b") == ["(a|b"]  # unbalanced: left for the compiler to report


@pytest.mark.parametrize("source", ["分之|[0-9]/[0-9]", "[%％]|分之", "(?:至|到|-)[0-9]", "[ab]c|d",
                                    "(?<=[0-9])万|x", "[|]a|b", r"\(|（"])
def test_pieces_of_hand_written_prefilters(source):
    text = "ab至3到x-9分之一3/4万%％(（c|a" * 2
    assert _starts(compile_prefilter(source, {}), text) == _starts([regex.compile(source, regex.V1)], text)


# First characters (Rule.first, Rule.prefilter_first): given the set of an article's characters,
# a rule or a piece none of whose first characters is there is not searched. That must never
# lose a match: every rule, with and without the set, on the sample articles and on random text.

def _with_and_without_chars(rule, text: str) -> tuple[list, list]:
    paras = T.paragraphs(text)
    starts = [p.start for p in paras]
    return ([m.span() for m in _matches(text, rule, [], paras, starts, set(text))],
            [m.span() for m in _matches(text, rule, [], paras, starts)])


def test_most_rules_and_pieces_have_first_characters():
    assert sum(r.first is not None for r in RULES.rules) >= 0.8 * len(RULES.rules)
    assert all(len(r.prefilter_first) == len(r.prefilter) for r in FILTERED)
    assert sum(f is not None for r in FILTERED for f in r.prefilter_first) >= 0.8 * sum(len(r.prefilter) for r in FILTERED)


def test_first_characters_skip_no_match_of_the_sample_articles():
    # Paragraph by paragraph as well: short texts lack most characters, so most skips happen there.
    texts = TEXTS + [p for t in TEXTS for p in t.split("\n") if p.strip()]
    for rule in RULES.rules:
        for text in texts:
            skipped, searched = _with_and_without_chars(rule, text)
            assert skipped == searched, rule.id


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=40))
def test_first_characters_skip_no_match_of_random_text(text):
    for rule in RULES.rules:
        skipped, searched = _with_and_without_chars(rule, text)
        assert skipped == searched, rule.id


def test_a_caseless_pattern_is_neither_anchored_nor_skipped(tmp_path):
    pack = tmp_path / "p.yaml"
    pack.write_text("kind: ignore\nrules:\n  - {id: t.k, normalizer: ignore, pattern: '(?i)k[0-9]', prefilter: '(?i)k'}\n",
                    encoding="utf-8")
    _, (rule,) = load_pack(pack)
    assert rule.first is None and rule.prefilter_first == (None,) and rule.pattern.pattern == "(?i)k[0-9]"
    text = "\u212a5"  # the Kelvin sign folds to k
    assert [m.group() for m in rule.pattern.finditer(text)] == [text]
    assert _with_and_without_chars(rule, text) == ([(0, 2)], [(0, 2)])
