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
    CATEGORY,
    CATEGORY_SPACE,
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

# What `\s` matches (regex V1: Unicode White_Space, all of it below U+3001; tests check the rest).
SPACES = frozenset(regex.findall(r"\s", "".join(map(chr, range(0x3001))), flags=regex.V1))
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
_CASELESS = regex.compile(r"\(\?[a-zA-Z^-]*i")
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
        elif op is CATEGORY and av is CATEGORY_SPACE:
            out |= SPACES
        else:  # NEGATE, CATEGORY (\d, \w, \S...): open
            raise _Open
    if icase:
        out |= {c.swapcase() for c in out}
    return out


def lookahead(chars: frozenset[str]) -> str:
    """A `regex` lookahead for the characters, to put in front of a pattern."""
    return "(?=[" + "".join(_class_char(c) for c in sorted(chars)) + "])"


def _class_char(c: str) -> str:
    if c.isspace() or not c.isprintable():
        # written out: no flag of the pattern's (verbose) can read it otherwise
        return f"\\u{ord(c):04x}" if ord(c) < 0x10000 else f"\\U{ord(c):08x}"
    return "\\" + c if c in "\\]^-[&|~" else c



# Two characters: the set of the first two characters of every match, read as the first set is.
# A set of strings, each one or two characters long: a string of one is a match's whole text,
# or a first character whose follower cannot be bounded.
MAX_CLASS = 256  # a wider class is read as any character


def first_pairs(source: str, lists: dict[str, tuple[str, ...]] | None = None,
                ignore_case: bool = False) -> frozenset[str] | None:
    """Strings of one or two characters, such that every match of `source` begins with one of
    them; or None. A superset, as `first_chars` is."""
    if _UNPARSABLE.search(source):
        return None

    def words(m):
        # Cut to two characters: a word's third one never shows in the answer. Fewer and
        # shorter words read much faster (the unit list has hundreds).
        found = (lists or {}).get(m.group(1))
        if not found:
            raise _Open
        return "(?:" + "|".join(regex.escape(w) for w in sorted({w[:2] for w in found})) + ")"

    try:
        plain = _OPAQUE.sub(lambda m: "\\d", _NAMED.sub("(?:", _CONDITIONAL.sub("(?:|", _LIST.sub(words, source))))
        parsed = sre.parse(plain)
        found = _pseq(list(parsed), ignore_case or bool(parsed.state.flags & sre.SRE_FLAG_IGNORECASE))
    except (_Open, Exception):  # noqa: BLE001 - any doubt means no set, never a wrong one
        return None
    if found.any or found.empty:
        return None  # a match can be empty, or start with any character
    out = set(found.ones)
    for c, nxt in found.twos.items():
        out.update([c] if nxt is None else (c + d for d in nxt))
    return frozenset(out)


class _Starts:
    """How the matches of a part of a pattern begin: `empty`, it can match nothing; `any`, it
    can begin with any character; `ones`, characters it can be made of alone (what follows it
    comes next); `twos`, a first character and the characters that can follow it inside the
    part (None: any)."""

    __slots__ = ("empty", "any", "ones", "twos")

    def __init__(self, empty=False, any_=False, ones=(), twos=None):
        self.empty, self.any, self.ones, self.twos = empty, any_, set(ones), twos or {}

    def firsts(self) -> set[str]:
        return self.ones | self.twos.keys()

    def add_twos(self, c: str, nxt: set[str] | None) -> None:
        if c in self.twos:
            have = self.twos[c]
            self.twos[c] = None if have is None or nxt is None else have | nxt
        else:
            self.twos[c] = None if nxt is None else set(nxt)

    def union(self, other: _Starts) -> _Starts:
        out = _Starts(self.empty or other.empty, self.any or other.any, self.ones | other.ones, dict(self.twos))
        for c, nxt in other.twos.items():
            out.add_twos(c, nxt)
        return out


def _concat(left: _Starts, right_of) -> _Starts:
    """left followed by the part right_of() reads (read only when it can matter)."""
    if not left.empty and not left.ones:
        return left
    right = right_of()
    out = _Starts(left.empty and right.empty, left.any or (left.empty and right.any),
                  (right.ones if left.empty else set()) | (left.ones if right.empty else set()), dict(left.twos))
    if left.empty:
        for c, nxt in right.twos.items():
            out.add_twos(c, nxt)
    follow = None if right.any else right.firsts()
    for c in left.ones:
        out.add_twos(c, follow)
    return out


def _pseq(items: list, icase: bool) -> _Starts:
    out = _Starts(empty=True)
    for op, av in items:
        if not out.empty and not out.ones:
            break  # every way in is two characters long already, or open
        out = _concat(out, lambda op=op, av=av: _pitem(op, av, icase))
    return out


def _pitem(op, av, icase: bool) -> _Starts:
    if op is LITERAL:
        c = chr(av)
        return _Starts(ones={c, c.swapcase()} if icase else {c})
    if op is IN:
        try:
            chars = _klass(av, icase)
        except _Open:
            return _Starts(any_=True)
        return _Starts(ones=chars) if len(chars) <= MAX_CLASS else _Starts(any_=True)
    if op in (ASSERT, ASSERT_NOT, AT):
        return _Starts(empty=True)  # zero width: the match starts with whatever follows
    if op is SUBPATTERN:
        _, add, remove, body = av
        icase = (icase or bool(add & sre.SRE_FLAG_IGNORECASE)) and not remove & sre.SRE_FLAG_IGNORECASE
        return _pseq(list(body), icase)
    if op is ATOMIC_GROUP:
        return _pseq(list(av), icase)
    if op is BRANCH:
        out = _Starts()
        for alt in av[1]:
            out = out.union(_pseq(list(alt), icase))
        return out
    if op in (MAX_REPEAT, MIN_REPEAT, POSSESSIVE_REPEAT):
        lo, hi, body = av
        once = _pseq(list(body), icase)
        # Past max(lo, 2) repetitions nothing new begins: a repetition adds a character or nothing.
        cur, out = _Starts(empty=True), (_Starts(empty=True) if lo == 0 else _Starts())
        for i in range(1, min(hi, max(lo, 2)) + 1):
            if i > 100:
                raise _Open
            cur = _concat(cur, lambda: once)
            if i >= lo:
                out = out.union(cur)
        return out
    if op is GROUPREF_EXISTS:
        _, yes, no = av
        return _pseq(list(yes), icase).union(_pseq(list(no), icase) if no is not None else _Starts(empty=True))
    return _Starts(any_=True)  # ANY, NOT_LITERAL, CATEGORY, GROUPREF, ...


def pair_lookahead(pairs: frozenset[str]) -> str:
    """A `regex` lookahead for strings of one or two characters (first_pairs), as classes:
    `(?=[ab][xy])`, not `(?=ax|ay|by)`. The classes let through a few pairs that are not in the
    set (bx), which costs a failed attempt there, never a match; and two class tests are much
    cheaper than trying alternatives one by one (measured: `ignore.idiom` 56 ms as
    `(?=[first])`, 26 ms with the alternatives, 17 ms with the classes)."""
    single = {s for s in pairs if len(s) == 1}
    double = [s for s in pairs if len(s) == 2 and s[0] not in single]
    alts = [_klass_source(single)] if single else []
    if double:
        alts.append(_klass_source({s[0] for s in double}) + _klass_source({s[1] for s in double}))
    return "(?=" + "|".join(alts) + ")"


def _klass_source(chars) -> str:
    return "[" + "".join(_class_char(c) for c in sorted(chars)) + "]"


def compile_anchored(source: str, **lists) -> regex.Pattern:
    """`regex.compile(source, regex.V1, **lists)`, led by the lookahead of its first two
    characters, else of its first one, when they are known: the same matches, found faster."""
    return anchored(source, **lists)[0]


def anchored(source: str, **lists) -> tuple[regex.Pattern, frozenset[str] | None]:
    """compile_anchored's pattern, and the characters its matches can start with (None: any).
    An article holding none of them has no match: the engine skips the rule there."""
    # Caseless matching folds more than swapcase covers (K, the Kelvin sign, matches k), and a
    # lookahead put before the pattern's own (?i) is not caseless: such a pattern is left as is.
    head, first = ("", None) if folds_case(source) else anchor(source, {k: tuple(v) for k, v in lists.items()})
    return regex.compile(head + source, regex.V1, **lists), first


def folds_case(source: str) -> bool:
    """Whether a pattern may match caselessly (an inline `i` flag): then its first characters
    are no test of which texts it can match."""
    return bool(_CASELESS.search(source))


def anchor(source: str, lists: dict[str, tuple[str, ...]] | None = None) -> tuple[str, frozenset[str] | None]:
    """The lookahead compile_anchored puts in front of `source` ("" when nothing is known), and
    the first characters it was made of."""
    pairs = first_pairs(source, lists)
    if pairs is not None:
        return pair_lookahead(pairs), frozenset(s[0] for s in pairs)
    first = first_chars(source, lists)
    return ("", None) if first is None else (lookahead(first), first)
