"""The names of an article's files: its claim file, the claim file's audit log and lock.

Every command and the review UI find these files by name, so the names are defined here
once: a claim file written as `.claims.yml` by hand is found by the exports as by the UI,
and a log or a lock is recognised by every check that must never write over one.

    article.txt  →  article.claims.yaml  →  article.audit.yaml, article.claims.yaml.lock
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

ARTICLE_SUFFIXES = (".txt", ".text", ".md")  # what a folder's articles are called
CLAIMS = ".claims.yaml"  # what claimcheck writes
CLAIM_SUFFIXES = (CLAIMS, ".claims.yml")  # what it reads as a claim file by its name
AUDIT = ".audit.yaml"
LOCK = ".lock"
# A claim file may be any YAML file (`-o checked.yaml`); its log drops whichever of these ends it.
_LOGGED_SUFFIXES = (*CLAIM_SUFFIXES, ".yaml", ".yml")


def is_claim_file(path: Path | str) -> bool:
    """Named as a claim file (`x.claims.yaml` or `x.claims.yml`)."""
    return Path(path).name.endswith(CLAIM_SUFFIXES)


def is_audit_log(path: Path | str) -> bool:
    return Path(path).name.endswith(AUDIT)


def is_lock(path: Path | str) -> bool:
    return Path(path).name.endswith(LOCK)


def article_id(article: Path | str) -> str:
    """The name of an article without its suffix: what its claim file is named after."""
    return Path(article).stem


def claim_file_for(article: Path | str) -> Path:
    """Where `claimcheck review ARTICLE` keeps the article's claims: `<id>.claims.yaml` beside it."""
    article = Path(article)
    return article.with_name(article_id(article) + CLAIMS)


def claim_file_in(folder: Path | str, article: Path | str) -> Path:
    """The claim file `claimcheck extract ARTICLES -o FOLDER` writes for an article."""
    return Path(folder) / (article_id(article) + CLAIMS)


def claim_stem(claim_file: Path | str) -> str:
    """A claim file's name without `.claims.yaml` (or `.claims.yml`): its article's id."""
    name = Path(claim_file).name
    for suffix in CLAIM_SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def log_path(claim_file: Path | str) -> Path:
    """`x.claims.yaml` (or `.claims.yml`) → `x.audit.yaml`; any other `x.yaml` → `x.audit.yaml`."""
    p = Path(claim_file)
    name = p.name
    for suffix in _LOGGED_SUFFIXES:
        if name.endswith(suffix):
            return p.with_name(name[: -len(suffix)] + AUDIT)
    return p.with_name(name + AUDIT)


def claim_file_of_log(log: Path | str) -> Path | None:
    """The claim file an audit log belongs to, when it is beside it."""
    log = Path(log)
    stem = log.name.removesuffix(AUDIT)
    return next((c for suffix in _LOGGED_SUFFIXES
                 if (c := log.with_name(stem + suffix)).is_file() and log_path(c) == log), None)


def lock_path(path: Path | str) -> Path:
    """The lock of a claim file: its name with `.lock` added, beside it."""
    p = Path(path)
    return p.with_name(p.name + LOCK)


def walk(folder: Path | str) -> Iterator[Path]:
    """Every file of a folder and its subfolders, folder by folder in name order; hidden ones
    (.git, .trash, an editor's .x.swp) left out, as the review UI's document list leaves them."""
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for f in sorted(files):
            if not f.startswith("."):
                yield Path(root) / f


def claim_files_below(folder: Path | str) -> list[Path]:
    """The claim files in a folder and its subfolders (`walk`), by name (both suffixes), sorted by path."""
    return sorted(p for p in walk(folder) if is_claim_file(p))


def claim_files_in(folder: Path | str) -> list[Path]:
    """The claim files directly in a folder (not below it, hidden ones left out), sorted; none
    when it cannot be listed."""
    try:
        return sorted(p for p in Path(folder).iterdir() if is_claim_file(p) and not p.name.startswith(".")
                      and p.is_file())
    except OSError:
        return []
