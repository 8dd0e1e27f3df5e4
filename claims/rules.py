"""Rule packs: YAML files of patterns that find claims and name the normalizer for each.

A pack declares its `kind`, named word lists (used in patterns as `\\L<name>`), reusable
sub-patterns (`defines`, used as `{{name}}`) and its rules. Everything is checked and compiled
once at load time; a problem is reported as `file:line:col: rule ID: what`.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

import regex
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from . import dates, normalize, vocab, yamlio
from .errors import FileError
from .firstchars import anchored
from .normalize import ENGINE_GROUPS, NORMALIZERS
from .prefilters import compile_pieces

# Patterns are matched with a timeout so that one runaway rule cannot hang an article.
MATCH_TIMEOUT = 2.0
# ... plus this much time per character searched: the slowest built-in rule runs at over
# 5 M characters a second, so only a runaway pattern is ever this slow.
MIN_CHARS_PER_SECOND = 250_000
_MACRO = regex.compile(r"\{\{(\w+)\}\}")
# A group the pattern refers back to itself ((?P=dsep), (?(unit_low)...), \g<name>) is its own.
_BACKREF = regex.compile(r"\(\?P=(\w+)\)|\(\?\((\w+)\)|\\g<(\w+)>")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MatchExample(_Strict):
    """A text the rule must find, with what the claim must say."""

    text: str
    trigger: str | None = None
    value: int | float | str | None = None
    value_high: int | float | str | None = None
    unit: str | None = None
    comparator: str | None = None
    speaker: str | None = None
    date: str | None = None  # the article's date for this example
    todo: bool = False  # a known gap: reported, not failed

    @field_validator("text", "trigger", "value", "value_high", "date", mode="before")
    @classmethod
    def _iso(cls, v):
        return v.isoformat() if isinstance(v, dt.date) else v


class Examples(_Strict):
    match: list[MatchExample] = Field(default_factory=list)
    no_match: list[str] = Field(default_factory=list)


class RuleSpec(_Strict):
    id: str
    message: str = ""
    pattern: str
    normalizer: str
    priority: int = 0
    # A cheap pattern that every match contains (分之 for fractions; defines and lists may be
    # used as in patterns): only paragraphs where it occurs are searched with the full pattern.
    # Optional; a speed-up, never a change of result (the test suite checks every built-in one).
    prefilter: str | None = None
    examples: Examples = Field(default_factory=Examples)


class PackSpec(_Strict):
    kind: Literal["quantity", "date", "attribution", "ranking", "ignore"]
    description: str = ""
    example_date: str | None = "2023-04-12"
    lists: dict[str, list[str]] = Field(default_factory=dict)
    defines: dict[str, str] = Field(default_factory=dict)
    rules: list[RuleSpec]

    @field_validator("example_date", mode="before")
    @classmethod
    def _iso(cls, v):
        return v.isoformat() if isinstance(v, dt.date) else v


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str
    pattern: Any  # a compiled regex pattern
    normalizer: str
    priority: int
    spec: RuleSpec
    pack: PackSpec
    source: str
    # file:line:col of each example, to report a failing one where it is written
    match_at: tuple[str, ...] = ()
    no_match_at: tuple[str, ...] = ()
    builtin: bool = True
    prefilter: tuple | None = None  # RuleSpec.prefilter as the patterns of its pieces (prefilters.py)
    # The characters a match can start with (None: any), and those of each prefilter piece: an
    # article holding none of them is not searched (firstchars.anchored).
    first: frozenset[str] | None = None
    prefilter_first: tuple[frozenset[str] | None, ...] | None = None


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    lists: dict[str, tuple[str, ...]]  # every pack's lists, for normalizers that need vocabularies
    defines: dict[str, str]  # every pack's sub-patterns, expanded (the speaker module uses some)
    digest: str = ""  # of every pack's text: a claim file extracted with other rules is redone


def _expand(pattern: str, defines: dict[str, str], seen: tuple[str, ...] = ()) -> str:
    def sub(m):
        name = m.group(1)
        if name not in defines:
            raise KeyError(f"unknown define {{{{{name}}}}}")
        if name in seen:
            raise KeyError(f"define {{{{{name}}}}} refers to itself")
        # Inserted as written: a define with alternatives groups itself, so that a define
        # of bare characters can also be used inside a character class.
        return _expand(defines[name], defines, seen + (name,))

    return _MACRO.sub(sub, pattern)


def _compile(pattern: str, defines: dict[str, str], lists: dict[str, list[str]], prefilter: bool = False):
    """A pattern with its defines expanded and its lists bound, led by the lookahead of its first
    characters, and those characters (firstchars.anchored); or a prefilter as the patterns of its
    pieces with theirs (prefilters.compile_pieces). KeyError for an unknown define or list."""
    source = _expand(pattern, defines)
    used = set(regex.findall(r"\\L<(\w+)>", source))
    missing = used - lists.keys()
    if missing:
        raise KeyError(f"unknown list \\L<{sorted(missing)[0]}>")
    bound = {k: lists[k] for k in used}
    return compile_pieces(source, bound) if prefilter else anchored(source, **bound)


def _why(e: Exception) -> str:
    return e.args[0] if isinstance(e, KeyError) else str(e)


def known_groups(normalizer: str) -> tuple[str, ...]:
    """The named groups a rule with this normalizer may capture: those it reads, and the engine's."""
    return (*ENGINE_GROUPS, *getattr(NORMALIZERS[normalizer], "groups", ()))


def _unknown_groups(doc: yamlio.Document, spec: PackSpec, i: int, r: RuleSpec, compiled) -> list[str]:
    """A line per named group that nothing reads: misspelt (valeu), or meant for another normalizer."""
    source = _expand(r.pattern, spec.defines)
    own = {g for m in _BACKREF.finditer(source) for g in m.groups() if g}
    known = known_groups(r.normalizer)
    out = []
    for name in compiled.groupindex:
        if name in known or name in own:
            continue
        needle = f"(?P<{name}>"
        # Where it is written: in the pattern, else in the define that brought it in.
        where = doc.where_in(("rules", i, "pattern"), needle)
        if needle not in r.pattern:
            d = next((k for k, v in spec.defines.items() if needle in v), None)
            if d is not None:
                where = doc.where_in(("defines", d), needle)
        out.append(f"{where}: unknown group {name!r} in rule {r.id}; known: {', '.join(known)}")
    return out


def _compile_pack(doc: yamlio.Document, spec: PackSpec) -> list[Rule]:
    problems, rules = [], []
    lists = {k: v for k, v in spec.lists.items()}
    ids: set[str] = set()
    for i, r in enumerate(spec.rules):
        where = doc.where(("rules", i, "pattern"))
        if r.id in ids:
            problems.append(f"{doc.where(('rules', i, 'id'))}: rule {r.id}: duplicate rule id")
        ids.add(r.id)
        if r.normalizer not in NORMALIZERS:
            problems.append(
                f"{doc.where(('rules', i, 'normalizer'))}: rule {r.id}: unknown normalizer {r.normalizer!r}"
                f" (known: {', '.join(sorted(NORMALIZERS))})"
            )
        try:
            compiled, first = _compile(r.pattern, spec.defines, lists)
        except (regex.error, KeyError) as e:
            problems.append(f"{where}: rule {r.id}: bad pattern: {_why(e)}")
            continue
        if r.normalizer in NORMALIZERS:
            problems += _unknown_groups(doc, spec, i, r, compiled)
        prefilter = prefilter_first = None
        if r.prefilter is not None:
            try:
                prefilter, prefilter_first = zip(*_compile(r.prefilter, spec.defines, lists, prefilter=True))
            except (regex.error, KeyError) as e:
                problems.append(f"{doc.where(('rules', i, 'prefilter'))}: rule {r.id}: bad prefilter: {_why(e)}")
                continue
        match_at = tuple(doc.where(("rules", i, "examples", "match", j)) for j in range(len(r.examples.match)))
        no_at = tuple(doc.where(("rules", i, "examples", "no_match", j)) for j in range(len(r.examples.no_match)))
        rules.append(
            Rule(r.id, spec.kind, compiled, r.normalizer, r.priority, r, spec, str(doc.path), match_at, no_at,
                 prefilter=prefilter, first=first, prefilter_first=prefilter_first)
        )
    if problems:
        raise FileError(problems)
    return rules


def load_pack(path: Path | str, text: str | None = None) -> tuple[PackSpec, list[Rule]]:
    """Load, check and compile one rule pack; FileError names the file, place and rule id."""
    path = Path(path)
    if text is None:
        text = yamlio.read_text(path)
    doc = yamlio.parse(text, path)
    if not isinstance(doc.data, dict):
        raise FileError([f"{path}: not a rule pack (expected a mapping with kind and rules)"])
    try:
        spec = PackSpec.model_validate(doc.data)
    except ValidationError as e:
        problems = []
        for err in e.errors(include_url=False):
            loc = err["loc"]
            rid = ""
            if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int):
                raw = doc.data.get("rules") or []
                if loc[1] < len(raw) and isinstance(raw[loc[1]], dict):
                    rid = f"rule {raw[loc[1]].get('id', '#' + str(loc[1]))}: "
            field = ".".join(str(p) for p in loc)
            problems.append(f"{doc.where(loc)}: {rid}{field}: {err['msg']}")
        raise FileError(problems) from None
    return spec, _compile_pack(doc, spec)


def builtin_dir() -> Path:
    """The rule packs shipped inside the wheel (as claims/rules), or the source tree's rules/."""
    packaged = Path(str(resources.files("claims"))) / "rules"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "rules"


def _pack_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise FileError([f"{folder}: rule folder not found"])
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml"))


# What Python reads from the packs by name (claims/vocab.py); a rule set without one of them
# is refused at load, rather than matching an empty pattern.
NEEDS = (normalize.NEEDS, dates.NEEDS, vocab.SPEAKERS)


def _missing_needs(lists: dict[str, tuple[str, ...]], defines: dict[str, str], rule_ids: set[str]) -> list[str]:
    out = []
    for need in NEEDS:
        out += [f"rules: no pack has the rule {rid!r}, which {need.by} treats apart" for rid in need.rules
                if rid not in rule_ids]
        for name in need.lists:
            if not lists.get(name):
                out.append(f"rules: no pack has the list {name!r} (or it is empty), which {need.by} reads")
        for prefix in need.families:
            if not any(k.startswith(prefix) and v for k, v in lists.items()):
                out.append(f"rules: no pack has a list named {prefix}…, which {need.by} reads")
        for name, groups in need.defines.items():
            if name not in defines:
                out.append(f"rules: no pack defines {{{{{name}}}}}, which {need.by} reads")
                continue
            have = set(regex.findall(r"\(\?P<(\w+)>", defines[name]))
            out += [f"rules: define {{{{{name}}}}} does not capture the group {g!r}, which {need.by} reads"
                    for g in groups if g not in have]
    return out


def load_rules(extra_dirs: tuple[Path | str, ...] = ()) -> RuleSet:
    """The built-in packs plus a user's (`--rules DIR`); every problem in every pack is reported."""
    return _load_rules(tuple(str(Path(d).resolve()) for d in extra_dirs))


@lru_cache(maxsize=8)
def _load_rules(extra_dirs: tuple[str, ...]) -> RuleSet:
    rules: list[Rule] = []
    lists: dict[str, tuple[str, ...]] = {}
    defines: dict[str, str] = {}
    problems: list[str] = []
    digest = hashlib.sha256()
    for folder in (builtin_dir(), *map(Path, extra_dirs)):
        builtin = folder == builtin_dir()
        try:
            files = _pack_files(folder)
        except FileError as e:
            problems += e.problems
            continue
        for f in files:
            try:
                text = yamlio.read_text(f)
                digest.update(f.name.encode() + b"\0" + text.encode() + b"\0")
                spec, compiled = load_pack(f, text)
            except FileError as e:
                problems += e.problems
                continue
            rules += compiled if builtin else [replace(r, builtin=False) for r in compiled]
            for k, v in spec.lists.items():
                lists[k] = tuple(dict.fromkeys(lists.get(k, ()) + tuple(v)))
            for k, v in spec.defines.items():
                defines.setdefault(k, _expand(v, spec.defines))
    problems += _missing_needs(lists, defines, {r.id for r in rules})
    if problems:
        raise FileError(problems)
    seen: dict[str, str] = {}
    for r in rules:
        if r.id in seen:
            problems.append(f"{r.source}: rule {r.id}: id already used in {seen[r.id]}")
        seen[r.id] = r.source
    if problems:
        raise FileError(problems)
    return RuleSet(tuple(rules), lists, defines, digest.hexdigest()[:16])
