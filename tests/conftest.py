"""Shared fixtures: the sample article, the built-in rules, and a CLI runner."""
from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"
SAMPLE = SEEDS / "000_75355b54d0c04e29.txt"


@pytest.fixture(scope="session")
def rules():
    from claims.rules import load_rules

    return load_rules()


@pytest.fixture(scope="session")
def sample_text() -> str:
    return SAMPLE.read_text(encoding="utf-8")


def run_cli(*args: str, stdin: bytes | None = None, cwd: Path | None = None,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run `claimcheck` in this process, as a shell would run it in its own: exit code, stdout, stderr.

    A separate Python costs about two seconds (imports, rule packs) before the first line is
    read, so the CLI is called here: the standard streams are bytes as a pipe gives them (UTF-8,
    standard error with backslash escapes), `cwd` and `env` (added to the environment) apply to
    the call alone, and a SystemExit (argparse's refusals) is an exit code. What only a process
    of its own can show (umask, signals, peak memory, the installed entry point) uses
    run_cli_process.
    """
    from claims import cli as claimcheck
    from claims.rules import _load_rules

    if "--rules" in args:  # a user's pack is read afresh by each run, as a new process would
        _load_rules.cache_clear()
    out, err = io.BytesIO(), io.BytesIO()
    saved_streams = sys.stdin, sys.stdout, sys.stderr
    saved_handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGHUP, signal.SIGTERM)}
    saved_cwd, saved_env = os.getcwd(), dict(os.environ)
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin or b""), encoding="utf-8", errors="surrogateescape")
    sys.stdout = io.TextIOWrapper(out, encoding="utf-8", errors="surrogateescape")
    sys.stderr = io.TextIOWrapper(err, encoding="utf-8", errors="backslashreplace", line_buffering=True)
    streams = sys.stdin, sys.stdout, sys.stderr
    try:
        if cwd is not None:
            os.chdir(cwd)
        os.environ.update(env or {})
        try:
            code = claimcheck.main(list(args))
        except SystemExit as e:
            if isinstance(e.code, str):
                print(e.code, file=sys.stderr)
            code = e.code if isinstance(e.code, int) else int(e.code is not None)
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        for stream in (sys.stdout, sys.stderr):
            if stream not in streams:  # main swaps a dead stdout for os.devnull
                stream.close()
        return subprocess.CompletedProcess(["claimcheck", *args], code, out.getvalue(), err.getvalue())
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved_streams
        for sig, handler in saved_handlers.items():
            signal.signal(sig, handler)
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)


def run_cli_process(*args: str, stdin: bytes | None = None, cwd: Path | None = None,
                    env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run `claimcheck` in a Python of its own (for what only a fresh process shows)."""
    return subprocess.run(
        [sys.executable, "-m", "claims.cli", *args],
        input=stdin,
        capture_output=True,
        cwd=cwd,
        env={**os.environ, **env} if env else None,
    )


@pytest.fixture
def cli():
    return run_cli
