"""The one error a command reports to its user: a file that cannot be used, with its places.

Apart from `yamlio` because every layer raises it (decoding, rule packs, claim files, locks,
exports), and most of them read no YAML.
"""
from __future__ import annotations

from collections.abc import Iterable


class FileError(Exception):
    """A file that cannot be used, with every problem as `file:line:col: what` lines."""

    def __init__(self, problems: Iterable[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))
