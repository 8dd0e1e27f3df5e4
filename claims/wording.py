"""The published wording of statements (ClaimReview's `claimReviewed`), as an editor sets it.

`claimcheck export --edit` writes the statements to publish into a list, opens it in $EDITOR,
and reads back what was changed. A wording is kept on the statement's lead claim (`wording`, a
review field: logged, and vouched for by the claim file like a note), so the next export
publishes it again; an emptied wording, or one equal to the sentence cut as the export would
cut it, goes back to the sentence.
"""
from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from pathlib import Path

from .claimreview import MAX_CLAIM_REVIEWED, automatic_wording
from .errors import FileError
from .statements import Statement
from .values import shown
from .yamlio import dump, parse

HEADER = f"""\
# claimcheck export --edit: the wording each statement is published with (claimReviewed).
# Change a `wording:` and save; change nothing to publish as listed. An emptied wording goes
# back to the sentence. Google shows claimReviewed in full under {MAX_CLAIM_REVIEWED + 1} characters.
"""


def edit_list(statements: list[Statement]) -> str:
    # Each judged claim with its value as every view shows it: what the wording must still say.
    items = [{"statement": st.key, "verdict": st.lead.status.value,
              "claims": {c.id: f"{c.trigger.text} = {shown(c)}" if shown(c) else c.trigger.text for c in st.claims},
              "sentence": " ".join(st.sentence.split()),
              "wording": getattr(st.lead, "wording", None) or automatic_wording(st)} for st in statements]
    return HEADER + "\n" + dump(items)


def read_list(text: str, path: Path | str, statements: list[Statement]) -> dict[str, str]:
    """The wording of each statement in an edited list, by `Statement.key`; FileError naming
    every entry that is not one of them or has no text wording."""
    data = parse(text, path).data
    if data is None:
        return {}
    if not isinstance(data, list):
        raise FileError([f"{path}: not a list of statements (was the list replaced?); nothing changed"])
    known = {st.key for st in statements}
    out: dict[str, str] = {}
    problems = []
    for i, item in enumerate(data, 1):
        key = item.get("statement") if isinstance(item, dict) else None
        if key not in known:
            problems.append(f"{path}: entry {i}: no statement {key!r} to publish (keep each `statement:` as listed)")
            continue
        w = item.get("wording")
        if not isinstance(w, str | type(None)):
            problems.append(f"{path}: entry {i} ({key}): the wording must be text")
            continue
        out[key] = " ".join((w or "").split())
    if problems:
        raise FileError([*problems, "nothing changed"])
    return out


def changes(statements: list[Statement], edited: dict[str, str]) -> list[tuple[Statement, str | None]]:
    """(statement, wording to keep on its lead claim, None for the sentence) for each changed one."""
    out = []
    for st in statements:
        if st.key not in edited:
            continue  # left out of the list: unchanged
        new = edited[st.key]
        target = None if not new or new == automatic_wording(st) else new
        if target != getattr(st.lead, "wording", None):
            out.append((st, target))
    return out


def editor() -> list[str]:
    command = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not command:
        raise FileError(["--edit needs an editor: set $EDITOR (or $VISUAL), such as EDITOR=nano"])
    return shlex.split(command)


def edit(statements: list[Statement]) -> dict[str, str]:
    """Open the list in the user's editor; the wordings it holds when the editor exits."""
    command = editor()
    with tempfile.TemporaryDirectory(prefix="claimcheck-") as tmp:
        path = Path(tmp) / "claimreview-wording.yaml"
        path.write_text(edit_list(statements), encoding="utf-8")
        try:
            done = subprocess.run([*command, str(path)])
        except OSError as e:
            raise FileError([f"{command[0]}: cannot run the editor ({e.strerror or e}); nothing changed"]) from None
        if done.returncode != 0:
            raise FileError([f"{command[0]}: the editor exited with {done.returncode}; nothing changed"])
        return read_list(path.read_text(encoding="utf-8"), "the --edit list", statements)
