"""A desk's settings kept in `claimcheck.toml`: who reviews, the organisation and its review
page for ClaimReview, extra rule folders, and how many processes extraction uses.

The files are looked for in the current folder and every folder above it, then in the user's
config folder (platformdirs: ~/.config/claimcheck on Linux); for each setting the nearest file
that has it wins, so a desk's folder can set the organisation and a reviewer's own file their
name. A flag on the command line wins over every file, a file over the environment
(CLAIMCHECK_REVIEWER), and those over the login name.

    reviewer = "李明"
    organisation = "示例事实核查中心"
    review_url = "https://factcheck.example.org/reviews"
    rules = ["house-rules"]        # folders of rule packs, relative to this file
    jobs = 2
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import regex
from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr, ValidationError, field_validator

from .errors import FileError
from .lock import reviewer_name

FILE_NAME = "claimcheck.toml"
ENV_REVIEWER = "CLAIMCHECK_REVIEWER"


class SettingsFile(BaseModel):
    """What a claimcheck.toml may hold: every key optional, no other key."""

    model_config = ConfigDict(extra="forbid")

    reviewer: StrictStr | None = Field(default=None, description="the name recorded with each decision")
    organisation: StrictStr | None = Field(default=None, description="the author of ClaimReview records")  # noqa: V107
    review_url: StrictStr | None = Field(default=None, description="where the fact checks are published")
    rules: list[StrictStr] | None = Field(default=None, description="folders of extra rule packs")
    jobs: StrictInt | None = Field(default=None, ge=1, description="processes for a folder of articles")

    @field_validator("reviewer", "organisation")
    @classmethod
    def _not_blank(cls, v: str | None) -> str | None:
        if v is not None and not v.strip():
            raise ValueError("is empty")
        return v.strip() if v is not None else v

    @field_validator("review_url")
    @classmethod
    def _web_address(cls, v: str | None) -> str | None:
        if v is not None and not regex.match(r"https?://[^\s/]+", v):
            raise ValueError(f"{v!r} is not a web address (https://…)")
        return v


KEYS = tuple(SettingsFile.model_fields)
# The command-line option of each setting, where it has one (`claimcheck config` names them).
FLAGS = {"reviewer": "--reviewer", "organisation": "--org", "review_url": "--review-url",
         "rules": "--rules", "jobs": "--jobs"}


@dataclass(frozen=True)
class Setting:
    value: Any  # None: not set anywhere
    source: str  # "--org", "/desk/claimcheck.toml:3", "$CLAIMCHECK_REVIEWER", "login name", "default"


def config_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_config_dir("claimcheck", appauthor=False))


def _candidates(start: Path | str | None) -> list[Path]:
    here = Path(start or os.getcwd()).absolute()
    return [*(d / FILE_NAME for d in (here, *here.parents)), config_dir() / FILE_NAME]


def _exists(path: Path) -> bool | None:
    """Whether a claimcheck.toml is there; None when its folder cannot be looked in (no
    permission): a folder above the project that is not ours must not stop every command, so
    it is passed over (`claimcheck config` says so). A file that is there but cannot be read is
    `read`'s one-line error."""
    try:
        return path.is_file()
    except PermissionError:
        return None


def files(start: Path | str | None = None) -> list[Path]:
    """The claimcheck.toml files that apply in `start` (default: the current folder), nearest
    first: that folder's, each folder's above it, then the user's config folder's. Folders that
    cannot be looked in are passed over (see `unsearched`)."""
    *above, user = _candidates(start)
    found = [f for f in above if _exists(f)]
    if _exists(user) and all(not f.samefile(user) for f in found):
        found.append(user)
    return found


def unsearched(start: Path | str | None = None) -> list[Path]:
    """The folders `files` could not look in for a claimcheck.toml (no permission)."""
    return [f.parent for f in _candidates(start) if _exists(f) is None]


def _key_line(text: str, key: str) -> int:
    """The line where `key` is set (or its table opens), 1-based; 1 when it cannot be found."""
    quoted = regex.escape(key)
    pattern = regex.compile(rf"""^[ \t]*(?:\[[ \t]*)?(?:{quoted}|"{quoted}"|'{quoted}')[ \t]*(?:=|\])""", regex.MULTILINE)
    m = pattern.search(text)
    return text.count("\n", 0, m.start()) + 1 if m else 1


_EXPECTED = {"int_type": "a whole number, without quotes", "string_type": "text in quotes",
             "list_type": 'a list of folders, such as ["house-rules"]', "greater_than_equal": "1 or more"}
_TOML_AT = regex.compile(r"\s*\(at line (\d+), column (\d+)\)$")


def read(path: Path) -> tuple[SettingsFile, dict[str, int]]:
    """One file's settings and the line of each; FileError with a line `file:line: key: what`
    for each problem (a TOML error, an unknown key, a value of the wrong kind)."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise FileError([f"{path}: not UTF-8 (byte {e.start}); TOML files are UTF-8"]) from None
    except OSError as e:
        raise FileError([f"{path}: cannot read: {e.strerror or e}"]) from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        msg = str(e)
        m = _TOML_AT.search(msg)
        line = int(m.group(1)) if m else 1
        what = _TOML_AT.sub("", msg)
        lines = text.splitlines()
        key = regex.match(r"\s*([\w.\"'-]+)\s*=", lines[line - 1]) if 0 < line <= len(lines) else None
        named = f"{key.group(1).strip(chr(34) + chr(39))}: " if key else ""
        raise FileError([f"{path}:{line}: {named}not valid TOML: {what[:1].lower()}{what[1:]}"]) from None
    try:
        parsed = SettingsFile.model_validate(raw)
    except ValidationError as e:
        problems = []
        for err in e.errors():
            key = str(err["loc"][0]) if err["loc"] else "?"
            where = "".join(f"[{p}]" if isinstance(p, int) else "" for p in err["loc"][1:])
            if err["type"] == "extra_forbidden":
                what = f"unknown setting (known: {', '.join(KEYS)})"
            elif err["type"] in _EXPECTED:
                what = f"must be {_EXPECTED[err['type']]} (got {_toml(err['input'])})"
            else:
                what = err["msg"].removeprefix("Value error, ")
            problems.append((_key_line(text, key), f"{path}:{_key_line(text, key)}: {key}{where}: {what}"))
        raise FileError([line for _, line in sorted(problems)]) from None
    lines = {k: _key_line(text, k) for k in raw}
    if parsed.rules is not None:  # relative to the file, so that it means the same from any folder
        parsed = parsed.model_copy(update={"rules": [str((path.parent / r).resolve()) if not Path(r).is_absolute()
                                                     else r for r in parsed.rules]})
    return parsed, lines


def resolve(flags: dict[str, Any] | None = None, start: Path | str | None = None) -> dict[str, Setting]:
    """Every setting in force and where it comes from: a flag given (in `flags`, by setting
    name; None for one not given), else the nearest file that sets it, else the environment,
    else the login name (the reviewer) or the default. FileError for a bad file."""
    flags = flags or {}
    out: dict[str, Setting] = {}
    from_files: dict[str, Setting] = {}
    problems: list[str] = []
    for f in files(start):
        try:
            parsed, lines = read(f)
        except FileError as e:
            problems += e.problems
            continue
        for key in KEYS:
            value = getattr(parsed, key)
            if value is not None and key not in from_files:
                from_files[key] = Setting(value, f"{f}:{lines.get(key, 1)}")
    if problems:
        raise FileError(problems)
    for key in KEYS:
        flag = flags.get(key)
        if flag is not None and flag != []:
            out[key] = Setting(flag, FLAGS[key])
        elif key in from_files:
            out[key] = from_files[key]
        elif key == "reviewer" and os.environ.get(ENV_REVIEWER):
            out[key] = Setting(os.environ[ENV_REVIEWER], f"${ENV_REVIEWER}")
        elif key == "reviewer":
            out[key] = Setting(reviewer_name(None), "login name")
        else:
            out[key] = Setting(None, "default")
    return out


# The attribute of each setting on the parsed command line (argparse's dest).
ARGS = {"reviewer": "reviewer", "organisation": "org", "review_url": "review_url", "rules": "rules", "jobs": "jobs"}


def apply(args) -> None:
    """Fill in the settings a command takes (`args.settings`, set by its parser) from the files,
    where no flag gave them. The environment and the login name are left to `lock.reviewer_name`,
    which every writer of the audit log asks."""
    keys = getattr(args, "settings", ())
    if not keys:
        return
    found = resolve({k: getattr(args, ARGS[k], None) for k in keys})
    for k in keys:
        s = found[k]
        if s.value is not None and s.source != "login name" and not s.source.startswith("$"):
            setattr(args, ARGS[k], s.value)


def _toml(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


def report(found: dict[str, Setting], read: list[Path]) -> list[str]:
    """`claimcheck config`: each setting as a claimcheck.toml line, and where it came from."""
    lines = []
    for key in KEYS:
        s = found[key]
        if s.value is None:
            default = f"all {os.cpu_count() or 1} cores" if key == "jobs" else \
                "the built-in rules only" if key == "rules" else f"give {FLAGS[key]}, or set it in {FILE_NAME}"
            lines.append(f"# {key}: not set ({default})")
        else:
            lines.append(f"{key} = {_toml(s.value)}  # {s.source}")
    if skipped := unsearched():
        lines.append(f"# not looked in (permission denied): {', '.join(map(str, skipped))}")
    if read:
        lines.append(f"# read: {', '.join(map(str, read))}")
    else:
        lines.append(f"# no {FILE_NAME} in this folder, above it, or in {config_dir()}")
    return lines
