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

from functools import lru_cache

import regex

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


def _by_pattern(text: str, word: str, titles: tuple[str, ...], cues: tuple[str, ...]) -> set[int]:
    # an empty list matches everywhere: the patterns themselves, as they were
    e = regex.escape(word)
    at: set[int] = set()
    for p in (r"(?:\L<title>)(?=" + e + ")", r"(?=" + e + r"\s?[（(][A-Za-z])", r"(?=" + e + r"[還还也亦又更則则]?(?:\L<cue>|[说說称稱]))"):
        for m in regex.finditer(p, text, title=list(titles) or [""], cue=list(cues) or [""], ignore_unused=True):
            at.add(m.end())
    return at
