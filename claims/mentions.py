"""Where an article uses a word as a name: the places speakers.known counts, found by plain
string search.

The three patterns this replaces (a title right before the word; the word glossed, 懷特(Gary
White); the word before a cue) were compiled per word and each scanned the whole article: some
0.4 ms a word once compiled, and `regex`'s cache of 500 patterns is too small for three per word,
so most were compiled again. Here the word is found with str.find and each test is asked only
where it occurs. The places are the same, including the rule of non-overlapping matches for
the title pattern (one title ending before an occurrence that overlaps another's match).
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

import regex

from .firstchars import first_chars, lookahead

_GLOSS = regex.compile(r"\s?[（(][A-Za-z]")
_ADVERBS = frozenset("還还也亦又更則则")
_SAYS = ("说", "說", "称", "稱")


@lru_cache(maxsize=8)
def _titles(titles: tuple[str, ...]) -> tuple[frozenset[str], tuple[int, ...]]:
    return frozenset(titles), tuple(sorted({len(t) for t in titles}, reverse=True))


@lru_cache(maxsize=8)
def _cues(cues: tuple[str, ...]) -> tuple[str, ...]:
    return (*cues, *_SAYS)


def places(text: str, word: str, titles: tuple[str, ...], cues: tuple[str, ...]) -> set[int]:
    """The offsets of the word where a title ends right before it, where a gloss in Latin
    letters follows it, or where a cue (after one adverb at most) follows it."""
    at: set[int] = set()
    if not titles or not cues or not word:
        return _by_pattern(text, word, titles, cues)
    title_set, lengths = _titles(titles)
    after = _cues(cues)
    n, i = len(word), text.find(word)
    titled: list[tuple[int, int]] = []  # (start of the title, -its length) before an occurrence
    while i >= 0:
        for k in lengths:
            if k <= i and text[i - k:i] in title_set:
                titled.append((i - k, -k))
        j = i + n
        if _GLOSS.match(text, j) or text.startswith(after, j) or (
                text[j:j + 1] in _ADVERBS and text.startswith(after, j + 1)):
            at.add(i)
        i = text.find(word, i + 1)
    # finditer's title matches do not overlap: the leftmost first, the longest title at a start
    pos = 0
    for start, neg in sorted(titled):
        if start >= pos:
            pos = start - neg
            at.add(pos)
    return at


def title_before(text: str, word: str, end: int, titles: tuple[str, ...]) -> str | None:
    """The title of the first place before `end` where one comes right before the word: what
    `regex.search(r"(?P<title>\\L<title>)" + regex.escape(word), text[:end])` reads, the leftmost
    start and there the longest title, without compiling the title list into a pattern per word
    (some 9 ms each: regex does not cache a pattern given a list)."""
    if not titles or not word:
        return None
    title_set, lengths = _titles(titles)
    best: tuple[int, int] | None = None  # (start of the title, -its length)
    i = text.find(word, 0, end)
    while i >= 0 and (best is None or i - lengths[0] <= best[0]):
        for k in lengths:
            if k <= i and text[i - k:i] in title_set and (best is None or (i - k, -k) < best):
                best = (i - k, -k)
        i = text.find(word, i + 1, end)
    return None if best is None else text[best[0]:best[0] - best[1]]


def _by_pattern(text: str, word: str, titles: tuple[str, ...], cues: tuple[str, ...]) -> set[int]:
    # an empty list matches everywhere: the patterns themselves, as they were
    e = regex.escape(word)
    at: set[int] = set()
    for p in (r"(?:\L<title>)(?=" + e + ")", r"(?=" + e + r"\s?[（(][A-Za-z])", r"(?=" + e + r"[還还也亦又更則则]?(?:\L<cue>|[说說称稱]))"):
        for m in regex.finditer(p, text, title=list(titles) or [""], cue=list(cues) or [""], ignore_unused=True):
            at.add(m.end())
    return at


# The shape of the mention define this scan knows: a title or another lead-in, a lookahead at
# most, then a name that opens with a surname. Any other shape is scanned by its pattern.
_TITLED_SHAPE = regex.compile(
    r"\(\?:\(\?:\\L<title>\)\|(?P<other>[^()]*)\)(?:\(\?![^()]*\))?\(\?P<name>\(\?:\\L<compound_surname>\|\\L<surname>\)")


class MentionScan:
    """`pattern.finditer` for the mention pattern (选手周瑾, 42岁的刘振东), the same matches found faster.

    Scanning the pattern tries the title list at every character that may open a title (some
    0.6 us a character). A match opens with a title right before a surname, or with the other
    lead-in (岁…的): so the scan looks for a title's last character before a surname's first (one
    character class), keeps the starts where a whole title ends there, adds the starts of the other
    lead-in, and matches the pattern at those starts alone, in order, each after the last match's
    end, as finditer does.
    """

    def __init__(self, pattern: regex.Pattern, source: str, lists: dict[str, list[str]]):
        self.pattern = pattern
        self._fast = False
        shape = _TITLED_SHAPE.match(source)
        other = first_chars(shape["other"], {k: tuple(v) for k, v in lists.items()}) if shape else None
        titles, heads = lists.get("title", ()), [*lists.get("surname", ()), *lists.get("compound_surname", ())]
        if other is None or not titles or not heads or not all(titles) or not all(heads):
            return  # (an unknown shape, or a list with an empty word: scanned by the pattern)
        self._titles = frozenset(titles)
        self._lengths = sorted({len(t) for t in titles})
        # (classes of plain characters: the standard `re` scans them some six times faster than `regex`)
        self._ends = re.compile(lookahead(frozenset(t[-1] for t in titles))[3:-1] + lookahead(frozenset(h[0] for h in heads)))
        self._other = re.compile(lookahead(other)[3:-1])
        self._fast = True

    def _starts(self, text: str, pos: int, endpos: int) -> list[int]:
        # every start of a match in [pos, endpos), and more: where a title ends before a surname opens
        at: set[int] = set()
        titles, lengths = self._titles, self._lengths
        for m in self._ends.finditer(text, pos, endpos):
            after = m.end()
            for n in lengths:
                s = after - n
                if s < pos:
                    break
                if text[s:after] in titles:
                    at.add(s)
        at.update(m.start() for m in self._other.finditer(text, pos, endpos))
        return sorted(at)

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[regex.Match]:
        """The matches of `pattern.finditer(text, pos, endpos)`, in order."""
        end = len(text) if endpos is None else endpos
        if not self._fast:
            yield from self.pattern.finditer(text, pos, end)
            return
        match, after = self.pattern.match, pos
        for s in self._starts(text, pos, end):
            if s >= after and (m := match(text, s, end)) is not None:
                yield m
                after = max(m.end(), s + 1)
