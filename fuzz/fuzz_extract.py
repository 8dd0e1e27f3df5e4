"""Fuzz the extractor with atheris: any bytes that decode as an article must extract without
an exception, every claim's offsets must point at its words, and its claim file must come back
from YAML exactly. See fuzz/README.md.
"""
from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports(include=["claims"]):
    from claims import store
    from claims.extract import extract
    from claims.model import ClaimFile, Document
    from claims.rules import load_rules
    from claims.text import decode
    from claims.yamlio import FileError

RULES = load_rules()  # compiled once, not per input
DATES = (None, "2023-04-12", "2000-02-29")


def check(text: str, date: str | None) -> None:
    claims = extract(text, date, rules=RULES)
    ids = set()
    for c in claims:
        assert 0 <= c.span.start <= c.trigger.start <= c.trigger.end <= c.span.end <= len(text), c
        assert text[c.trigger.start : c.trigger.end] == c.trigger.text, c
        assert text[c.span.start : c.span.end] == c.text, c
        assert c.id not in ids, c.id
        ids.add(c.id)
    cf = ClaimFile(document=Document(id="fuzz", path="fuzz.txt", sha256="0" * 64, title=text[:40], encoding="utf-8"),
                   claims=claims)
    assert store.loads(store.dumps(cf)) == cf


def TestOneInput(data: bytes) -> None:
    if not data:
        return
    date = DATES[data[0] % len(DATES)]
    try:
        text, _ = decode(data[1:], "<fuzz>")
    except FileError:
        return  # refusing bytes that are no article is right; only a crash is a finding
    check(text, date)


def main() -> None:
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
