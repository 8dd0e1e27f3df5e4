"""The header of a document: title, date, file, reviewer, and progress with a bar."""
from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.widget import Widget

from claims.model import Status

from .. import display


class DocHeader(Widget):
    """Two lines: what is open, and how far its review has come."""

    DEFAULT_CSS = """
    DocHeader { height: 2; background: $panel; color: $foreground; padding: 0 1;
                text-wrap: nowrap; text-overflow: ellipsis; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._title = ""
        self._where = ""
        self._counts: dict[Status, int] = {s: 0 for s in Status}
        self._orphaned = 0
        self._opening: int | None = None  # the file's claims, while only its first ones are read

    def set_document(self, title: str, date: str | None, file_name: str, reviewer: str) -> None:
        self._title = title or file_name
        parts = [p for p in (date, file_name, f"reviewer {reviewer}") if p]
        self._where = "  ·  ".join(parts)
        self.refresh()

    def set_counts(self, counts: dict[Status, int], orphaned: int = 0) -> None:
        """Live claims by status; orphaned ones are said apart, never counted as left to do."""
        self._counts = {s: counts.get(s, 0) for s in Status}
        self._orphaned = orphaned
        self._opening = None
        self.refresh()

    def set_opening(self, total: int) -> None:
        """No progress yet: the file's claims are still being read (counted from its first
        claims, the progress would be wrong)."""
        self._opening = total
        self.refresh()

    @property
    def counts(self) -> dict[Status, int]:
        return dict(self._counts)

    def render(self) -> Text:
        width = max(self.size.width, 20)
        line1 = Text(no_wrap=True, overflow="ellipsis", end="")
        line1.append(display.safe(self._title), style="bold")
        line1.append("   ")
        line1.append(display.safe(self._where), style="dim")
        if self._opening is not None:
            return _two_lines(line1, Text(f"opening all {self._opening:,} claims…", style="italic", end=""))
        v, d, p = (self._counts[s] for s in (Status.verified, Status.disputed, Status.pending))
        total = v + d + p
        done = v + d
        line2 = display.counts_text(v, d, p)
        tail = f"  {done}/{total} reviewed ({(100 * done // total) if total else 0}%)"
        if self._counts[Status.dismissed]:  # not claims: out of the count, said apart
            tail += f"  · {self._counts[Status.dismissed]} dismissed"
        if self._orphaned:
            tail += f"  · {self._orphaned} orphaned"
        bar_width = max(10, min(60, width - cell_len(line2.plain) - cell_len(tail) - 4))
        line2.append("   ")
        line2.append_text(display.progress_bar(v, d, p, bar_width))
        line2.append(tail)
        return _two_lines(line1, line2)


def _two_lines(line1: Text, line2: Text) -> Text:
    line2.no_wrap = True
    line2.overflow = "ellipsis"
    both = Text("\n", end="").join([line1, line2])
    both.no_wrap = True  # two lines whatever the width: cut with … rather than wrap
    both.overflow = "ellipsis"
    return both
