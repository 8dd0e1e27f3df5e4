"""Keeping the garbage collector's pauses out of key presses.

A document's claims, rows and cells live as long as its screen, and with 10,000 claims they
are most of the heap. Python's collector would look through all of them again and again (a
full pass took 200 ms, in the middle of a key press); frozen, they are left out of its passes.
"""
from __future__ import annotations

import gc


def settle() -> None:
    """Collect what earlier screens left behind, then freeze what is alive now.

    Called when a document's screen has been drawn. The collection first is what keeps this
    from holding on to garbage: the previous document's objects are freed, not frozen.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()
