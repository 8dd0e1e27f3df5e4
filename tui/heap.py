"""Keeping the garbage collector's pauses out of key presses.

A document's claims, rows and cells live as long as its screen, and with 10,000 claims they
are most of the heap. Python's collector would look through all of them again and again (a
full pass took 200 ms, in the middle of a key press); frozen, they are left out of its passes.
"""
from __future__ import annotations

import gc


def settle() -> None:
    """Freeze what is alive now; when something was frozen before (an earlier document's
    screen), first unfreeze and collect, so that its garbage is freed rather than kept.

    Called once a document's screen is up. The first time costs nothing noticeable; a full
    collection (a tenth of a second or two) happens only when the reviewer moves to another
    document, as part of opening it.
    """
    if gc.get_freeze_count():
        gc.unfreeze()
        gc.collect()
    gc.freeze()


def freeze_first() -> bool:
    """`settle` at once when it costs nothing (nothing frozen before: no collection to run);
    False, doing nothing, when it would collect (then settle after the next frame)."""
    if gc.get_freeze_count():
        return False
    gc.freeze()
    return True
