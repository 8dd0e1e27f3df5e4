"""The characters a pattern's matches can begin with, worked out from the pattern itself.

The engine puts `(?=[those characters])` in front of a rule, which lets `regex` jump from one
possible start to the next instead of trying the whole pattern at every character: a rule
with a small first set runs at nearly the speed of one scan for a character class.

The answer is a superset, never a subset (a wrong answer would silently lose claims), so it
gives up (None) wherever it cannot be sure: a pattern that can match the empty string, a class
that is negated or too large, anything the standard parser does not understand.
"""
from __future__ import annotations

import re._parser as sre  # the standard parser: patterns are analysed, never compiled, with it
from re._constants import (
    ASSERT,
    ASSERT_NOT,
    AT,
    ATOMIC_GROUP,
    BRANCH,
    GROUPREF_EXISTS,
    IN,
    LITERAL,
    MAX_REPEAT,
    MIN_REPEAT,
    POSSESSIVE_REPEAT,
    RANGE,
    SUBPATTERN,
)

import regex

MAX_RANGE = 4096  # a range wider than this (most of CJK) is as good as any character
_LIST = regex.compile(r"\\L<(\w+)>")
_UNPARSABLE = regex.compile(r"\[\[|--|&&|\|\||~~|\(\?\|\(\?\((?!\w+\))|\(\?[0-9+-]|\(\?&|\(\?R")
# Rewritten for the standard parser. Duplicate group names are allowed by `regex` alone, so
# groups lose their names; a back reference, a Unicode property or a grapheme becomes `\d`,
# which the analysis treats as "any character", inside a class or out.
_NAMED = regex.compile(r"\(\?P<\w+>")
# A conditional on a group, `(?(name)yes|no)`, starts like one of its branches, or like what
# follows when the taken branch is empty: read as `(?:|yes|no)`, a superset as required.
_CONDITIONAL = regex.compile(r"\(\?\(\w+\)")
_OPAQUE = regex.compile(r"\(\?P=\w+\)|\\[pP]\{[^}]*\}|\\[pP][A-Za-z]|\\X")


class _Open(Exception):
    """The set cannot be bounded."""


def first_chars(source: str, lists: dict[str, tuple[str, ...]] | None = None,
                ignore_case: bool = False) -> frozenset[str] | None:
    """Every character a match of `source` (a `regex` V1 pattern) can start with, or None."""
    if _UNPARSABLE.search(source):
        return None  # syntax of `regex` alone (properties, set operations, recursion)

    def words(m):
        found = (lists or {}).get(m.group(1))
        if not found:
            raise _Open
        return "(?:" + "|".join(regex.escape(w) for w in sorted(found, key=len, reverse=True)) + ")"

    try:
        plain = _OPAQUE.sub(lambda m: "\\d", _NAMED.sub("(?:", _CONDITIONAL.sub("(?:|", _LIST.sub(words, source))))
        parsed = sre.parse(plain)
        chars, nullable = _seq(list(parsed), ignore_case or bool(parsed.state.flags & sre.SRE_FLAG_IGNORECASE))
    except (_Open, Exception):  # noqa: BLE001 - any doubt means "no first set", never a wrong one
        return None
    if nullable or not chars:
        return None
    return frozenset(chars)


def _seq(items: list, icase: bool) -> tuple[set[str], bool]:
    """(first characters, can be empty) of a sequence of parsed items."""
    out: set[str] = set()
    for op, av in items:
        chars, nullable = _item(op, av, icase)
        out |= chars
        if not nullable:
            return out, False
    return out, True


def _item(op, av, icase: bool) -> tuple[set[str], bool]:
    if op is LITERAL:
        c = chr(av)
        return ({c, c.swapcase()} if icase else {c}), False
    if op is IN:
        return _klass(av, icase), False
    if op in (ASSERT, ASSERT_NOT, AT):
        return set(), True  # zero width: the match starts with whatever follows
    if op is SUBPATTERN:
        _, add, remove, body = av
        icase = (icase or bool(add & sre.SRE_FLAG_IGNORECASE)) and not remove & sre.SRE_FLAG_IGNORECASE
        return _seq(list(body), icase)
    if op is ATOMIC_GROUP:
        return _seq(list(av), icase)
    if op is BRANCH:
        out, nullable = set(), False
        for alt in av[1]:
            chars, n = _seq(list(alt), icase)
            out |= chars
            nullable = nullable or n
        return out, nullable
    if op in (MAX_REPEAT, MIN_REPEAT, POSSESSIVE_REPEAT):
        lo, _, body = av
        chars, nullable = _seq(list(body), icase)
        return chars, nullable or lo == 0
    if op is GROUPREF_EXISTS:
        _, yes, no = av
        a, na = _seq(list(yes), icase)
        b, nb = _seq(list(no), icase) if no is not None else (set(), True)
        return a | b, na or nb
    # ANY, NOT_LITERAL, CATEGORY, GROUPREF, ...: could be nearly any character
    raise _Open


def _klass(items, icase: bool) -> set[str]:
    out: set[str] = set()
    for op, av in items:
        if op is LITERAL:
            out.add(chr(av))
        elif op is RANGE:
            lo, hi = av
            if hi - lo > MAX_RANGE:
                raise _Open
            out.update(map(chr, range(lo, hi + 1)))
        else:  # NEGATE, CATEGORY (\d, \w, \s): open
            raise _Open
    if icase:
        out |= {c.swapcase() for c in out}
    return out


def lookahead(chars: frozenset[str]) -> str:
    """A `regex` lookahead for the characters, to put in front of a pattern."""
    return "(?=[" + "".join(_class_char(c) for c in sorted(chars)) + "])"


def _class_char(c: str) -> str:
    return "\\" + c if c in "\\]^-[" else c



def compile_anchored(source: str, **lists) -> regex.Pattern:
    """`regex.compile(source, regex.V1, **lists)`, led by the lookahead of its first characters
    when they are known: the same matches, found faster."""
    first = first_chars(source, {k: tuple(v) for k, v in lists.items()})
    return regex.compile(source if first is None else lookahead(first) + source, regex.V1, **lists)
