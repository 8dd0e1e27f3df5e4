"""What a first-time user of `claimcheck` meets: --version, --help with the main commands first,
a description and an example under every subcommand, and a first extraction that says what it did."""
from __future__ import annotations

import re

from claims import store
from claims.cli import MAIN_COMMANDS, build_parser

from .conftest import SAMPLE


def test_version(cli):
    r = cli("--version")
    assert r.returncode == 0 and re.fullmatch(rb"claimcheck \S+\n", r.stdout)


def test_help_lists_the_main_commands_first(cli):
    r = cli("--help")
    assert r.returncode == 0
    listed = re.findall(r"^    (\w+) ", r.stdout.decode(), re.M)
    assert listed[: len(MAIN_COMMANDS)] == list(MAIN_COMMANDS)
    assert {"schema", "check"} <= set(listed[len(MAIN_COMMANDS):])


def _subcommands(parser, path=()):
    for action in parser._subparsers._group_actions if parser._subparsers else ():
        for name, sub in action.choices.items():
            yield (*path, name), sub
            yield from _subcommands(sub, (*path, name))


def test_every_subcommand_has_a_description_and_an_example(cli):
    names = [p for p, _ in _subcommands(build_parser())]
    assert ("add",) in names and ("audit", "export") in names
    for path in names:
        r = cli(*path, "--help")
        assert r.returncode == 0, path
        text = r.stdout.decode()
        usage, _, rest = text.partition("\n\n")
        description = rest.split("\n\n")[0]
        assert description and not description.startswith(("positional", "options")), path
        assert re.search(rf"^\s+claimcheck {' '.join(path)} ", rest, re.M), f"no example under {' '.join(path)} --help"


def test_a_first_extraction_says_what_it_did(cli, tmp_path):
    art, out = tmp_path / "a.txt", tmp_path / "claims.yaml"
    art.write_bytes(SAMPLE.read_bytes())
    r = cli("extract", str(art), "-o", str(out))
    n = len(store.load(out).claims)
    assert r.returncode == 0 and r.stdout.decode() == f"{n} claims -> {out}\n" and r.stderr == b""
    r = cli("extract", str(art), "-o", str(out))  # nothing to do the second time: said on stderr, as before
    assert r.returncode == 0 and r.stdout == b"" and b"unchanged, skipped" in r.stderr
