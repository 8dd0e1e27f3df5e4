"""Rule prefilters, compiled for speed.

A prefilter only has to tell which paragraphs hold a match somewhere, so it is searched as its
pieces: its top-level alternatives, and a leading class of a few characters or a leading group
of a few plain strings as one piece each (`[%％]|分之` → `%`, `％`, `分之`). `regex` finds a
pattern that starts with a fixed string by a fast string search, where it tries a class or an
alternation at every character: on a million characters `分之|[0-9]/[0-9]` takes some 50 ms as
one search, its two pieces under 1 ms together. A match of `A|B` starts at a place exactly
when a match of `A` or of `B` does, so the paragraphs found are the same. Anything this module
cannot read for sure stays one piece.
"""
from __future__ import annotations

import regex

from .firstchars import anchored, first_chars, folds_case

# Syntax whose scope is not one alternative (flags, comments) or that the scanner below does
# not follow (nested sets and set operations of `regex` V1): not split.
_UNSPLITTABLE = regex.compile(r"\(\?[a-zA-Z]+\)|\(\?#|\\Q|\[\[|--|&&|\|\||~~")
# A leading class of plain characters, or a leading group of plain strings, not repeated:
# `[%％‰]…` and `(?:至|到|-)…`, but not `[0-9]+…`.
_LEADING_CLASS = regex.compile(r"\[([^\\\]\[\-^]{1,8})\](?![?*+{])(.*)", regex.DOTALL)
_LEADING_GROUP = regex.compile(r"\(\?:((?:[^\\\[\](){}.^$|?*+]+\|){1,11}[^\\\[\](){}.^$|?*+]+)\)(?![?*+{])(.*)", regex.DOTALL)
_SPECIAL = set("\\[](){}.^$|?*+")


def alternatives(source: str) -> list[str]:
    """The top-level alternatives of a pattern (the pattern alone when it has none or the
    scanner is unsure)."""
    if _UNSPLITTABLE.search(source):
        return [source]
    out, start, depth, in_class, i = [], 0, 0, False, 0
    while i < len(source):
        c = source[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            if c == "[":
                return [source]  # a nested set (V1)
            in_class = c != "]"
        elif c == "[":
            in_class = True
            if source[i + 1:i + 2] == "]":  # `[]...]`: a class holding `]`
                return [source]
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            out.append(source[start:i])
            start = i + 1
        i += 1
    if depth != 0 or in_class:
        return [source]  # unbalanced: let the compiler report it
    return [*out, source[start:]]


def pieces(source: str) -> list[str]:
    """Patterns whose matches start exactly where the source's do, each as cheap to search as
    it can be made."""
    out: list[str] = []
    for alt in alternatives(source):
        if m := _LEADING_CLASS.fullmatch(alt):
            expanded = [regex.escape(c) + m.group(2) for c in m.group(1)]
        elif m := _LEADING_GROUP.fullmatch(alt):
            expanded = [regex.escape(w) + m.group(2) for w in m.group(1).split("|")]
        else:
            expanded = [alt]
        out.extend(p for p in expanded if p not in out)
    return out


def _leads_with_text(piece: str) -> bool:
    # A literal or a class first: `regex` already searches for it fast, and a lookahead in
    # front only slows it (measured: `[0-9][日号號]` 1 ms bare, 6 ms behind a lookahead).
    # Either way the matches are the same: this chooses a speed, never a result.
    return bool(piece) and (piece[0] not in _SPECIAL or piece[0] == "[" or
                            (piece[0] == "\\" and piece[1:2] not in ("L", "p", "P", "X", "")))


def compile_prefilter(source: str, lists: dict[str, list[str]]) -> tuple[regex.Pattern, ...]:
    """A prefilter (defines already expanded) as the patterns of its pieces. The whole source is
    compiled first, so that a mistake is reported as written."""
    return tuple(p for p, _ in compile_pieces(source, lists))


def compile_pieces(source: str, lists: dict[str, list[str]]) -> tuple[tuple[regex.Pattern, frozenset[str] | None], ...]:
    """compile_prefilter's patterns, each with the characters its matches start with (None: any),
    so that a piece none of whose first characters is in an article is not searched there."""
    whole = regex.compile(source, regex.V1, **lists)
    del whole
    compiled = []
    for p in pieces(source):
        used = {k: v for k, v in lists.items() if f"\\L<{k}>" in p}
        if _leads_with_text(p):
            first = None if folds_case(p) else first_chars(p, {k: tuple(v) for k, v in used.items()})
            compiled.append((regex.compile(p, regex.V1, **used), first))
        else:
            compiled.append(anchored(p, **used))
    return tuple(compiled)
