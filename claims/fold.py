"""Folding text for search: Simplified and Traditional forms of the same words match (產業
finds 产业), as do full- and half-width forms and letter case.

The Traditional-to-Simplified table is OpenCC's (a maintained conversion table, phrases
included), applied to both the query and the text searched; NFKC folds widths.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

import opencc

_T2S = opencc.OpenCC("t2s")


@lru_cache(maxsize=1 << 14)  # a search types a letter at a time over the same claims
def fold(text: str) -> str:
    """The form two texts are compared in: Simplified, NFKC, case-folded. One character in
    gives one character out for nearly all text, but offsets into the result are not promised."""
    return _T2S.convert(unicodedata.normalize("NFKC", text)).casefold()
