"""An article's claim file: the record of the document (where it was read, its sha256, title,
date, encoding, the rules' digest) and the claims the engine found in it."""
from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from .articles import read_article
from .extract import analyse, parse_ref
from .model import SCHEMA_VERSION, ClaimFile, Document
from .rules import RuleSet, load_rules
from .text import dateline, title_of


def build_claim_file(
    data: bytes, text: str, encoding: str, path: str, date: str | dt.date | None = None,
    rules: RuleSet | None = None,
) -> tuple[ClaimFile, list[str]]:
    rules = rules or load_rules()
    dated = dateline(text)  # (its date, where it is written), or None
    ref = parse_ref(date)
    doc_date = ref.isoformat() if ref else (dated[0] if dated else None)
    result = analyse(text, doc_date, rules)
    name = Path(path).name
    doc = Document(
        id=name.rsplit(".", 1)[0] if "." in name else name,
        path=str(path),
        sha256=hashlib.sha256(data).hexdigest(),
        title=title_of(text),
        date=doc_date,
        encoding=encoding,
        rules=rules.digest,
    )
    return ClaimFile(schema=SCHEMA_VERSION, document=doc, claims=result.claims), result.warnings


def extract_file(
    path: Path | str, *, date: str | dt.date | None = None, rules_dirs: tuple[str, ...] = ()
) -> ClaimFile:
    """The whole claim file of an article on disk. Pure and picklable: safe to map over a cluster."""
    data, text, encoding = read_article(path)
    cf, _ = build_claim_file(data, text, encoding, str(path), date, load_rules(tuple(rules_dirs)))
    return cf
