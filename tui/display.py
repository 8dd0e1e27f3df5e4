"""How claims and article text look on screen: safe text, marks, values, short excerpts.

Article text is shown literally. Nothing from an article is ever parsed as markup (every
piece becomes `Content(...)` or `rich.text.Text(...)`, never a markup string), and control
characters are swapped one for one with visible stand-ins, so offsets into the article still
point at the same characters and an escape sequence can never reach the terminal.
"""
from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.content import Content

from claims import values
from claims.fold import fold
from claims.model import Claim, Kind, Status


def _control_map() -> dict[int, str]:
    table = {c: chr(0x2400 + c) for c in range(0x20)}  # ␀ … ␟: "control pictures"
    table[0x7F] = "␡"
    table.update({c: "\ufffd" for c in range(0x80, 0xA0)})  # C1 controls (0x9b is CSI on some terminals)
    # Bidirectional overrides and isolates can reorder what a terminal shows.
    table.update({c: "\ufffd" for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))})
    table[0x09] = " "
    return table


_VISIBLE = _control_map()
_VISIBLE_MULTILINE = {**_VISIBLE, 0x0A: "\n"}


def safe(text: str, *, multiline: bool = False) -> str:
    """The text with every control character replaced by one visible character.

    Lengths and offsets are unchanged (a one-for-one swap); for display only.
    """
    return text.translate(_VISIBLE_MULTILINE if multiline else _VISIBLE)


def literal(text: str, style: str = "") -> Content:
    """Content showing `text` exactly as written: no markup, no control codes."""
    content = Content(safe(text))
    return content.stylize(style) if style else content


def cell_text(text: str, style: str = "") -> Text:
    """A table cell (Rich Text: DataTable parses plain strings as markup)."""
    return Text(safe(text), style=style, no_wrap=True, overflow="ellipsis", end="")


def shorten(text: str, cells: int) -> str:
    """At most `cells` terminal cells (Chinese characters take two), ending in … when cut."""
    if cell_len(text) <= cells:
        return text
    out, used = [], 0
    for ch in text:
        w = cell_len(ch)
        if used + w > cells - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


STATUS_MARK = {Status.pending: "·", Status.verified: "✓", Status.disputed: "✗", Status.dismissed: "–"}
# Named ANSI colours: readable in 16 and 256 colours, over SSH, on dark and light themes.
STATUS_STYLE = {Status.pending: "dim", Status.verified: "bold green", Status.disputed: "bold red",
                Status.dismissed: "dim"}
# Theme variables for Content (styles of widgets other than the table).
STATUS_VAR = {Status.pending: "$text-muted", Status.verified: "$text-success", Status.disputed: "$text-error",
              Status.dismissed: "$text-muted"}
KIND_SHORT = {Kind.quantity: "qty", Kind.date: "date", Kind.attribution: "attr", Kind.ranking: "rank"}


def value(claim: Claim) -> str:
    """The value as every view and export shows it (claims.values): '> 38 公里', '−36.2 % (同比)'."""
    return values.value(claim)


def value_or_speaker(claim: Claim) -> str:
    return values.shown(claim)


def searchable(claim: Claim) -> str:
    """Everything `/` searches in (the clause, trigger, speaker, values, note, evidence and the
    reason of a dismissal), folded as the query is (`claims.fold`: 產業 finds 产业)."""
    parts = [claim.text, claim.trigger.text, value(claim), str(claim.value or ""), str(claim.value_high or ""),
             claim.unit or "", claim.currency or "", claim.note, *claim.evidence, claim.reason or ""]
    if claim.speaker is not None:
        parts += [claim.speaker.name, claim.speaker.title or "", claim.speaker.cue or ""]
    return fold("\n".join(parts))


def progress_bar(verified: int, disputed: int, pending: int, width: int) -> Text:
    """A bar of `width` cells: verified green, disputed red, pending grey."""
    total = verified + disputed + pending
    if total == 0 or width <= 0:
        return Text("─" * max(width, 0), style="dim")
    v = round(width * verified / total)
    d = round(width * disputed / total)
    if disputed and d == 0:
        d = 1
    v = min(v, width - d)
    p = width - v - d
    bar = Text()
    bar.append("█" * v, style="green")
    bar.append("█" * d, style="red")
    bar.append("░" * p, style="bright_black")
    return bar


def counts_text(verified: int, disputed: int, pending: int) -> Text:
    t = Text()
    t.append(f"✓ {verified} verified", style="green")
    t.append("  ")
    t.append(f"✗ {disputed} disputed", style="red")
    t.append("  ")
    t.append(f"· {pending} pending", style="")
    return t
