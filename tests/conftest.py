"""Shared fixtures: the sample article, the built-in rules, a CLI runner, and the review UI's helpers."""
from __future__ import annotations

import asyncio
import functools
import io
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"
SAMPLE = SEEDS / "000_75355b54d0c04e29.txt"

# The property tests draw the same examples on every run, so a red run is one that anyone can
# repeat; `HYPOTHESIS_PROFILE=explore pytest ...` draws new ones, to look for more.
settings.register_profile("suite", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))

# Test files on a RAM disk where there is one: every save is fsynced (the file and its folder),
# about 15 ms on this machine's disk, and the suite saves thousands of files. What the tests
# look at (bytes, modes, links, locks, a killed process's leftovers) is the same there.
_RAM_DISK = Path("/dev/shm")
if "PYTEST_DEBUG_TEMPROOT" not in os.environ and _RAM_DISK.is_dir() and os.access(_RAM_DISK, os.W_OK):
    os.environ["PYTEST_DEBUG_TEMPROOT"] = str(_RAM_DISK)


@pytest.fixture(autouse=True)
def _no_user_settings(tmp_path_factory, monkeypatch):
    """A developer's own claimcheck.toml (~/.config/claimcheck) never reaches the tests: the
    user config folder is an empty one (tests/test_settings.py makes its own)."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path_factory.getbasetemp() / "no-user-config"))


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


def attributions(tmp_path: Path, text: str, date: str = "2024-03-28") -> list[tuple[str, str]]:
    """(trigger, speaker) of every attribution `claimcheck extract` writes for the text."""
    import yaml

    article = tmp_path / "article.txt"
    article.write_text(text, encoding="utf-8")
    out = tmp_path / "claims.yaml"
    done = run_cli("extract", str(article), "-o", str(out), "--date", date)
    assert done.returncode == 0, done.stderr
    claims = yaml.safe_load(out.read_text(encoding="utf-8"))["claims"]
    return [(c["trigger"]["text"], c["speaker"]["name"]) for c in claims if c["kind"] == "attribution"]


# -- the review UI (tests/test_tui*.py) ------------------------------------------------------
# Textual is imported by these helpers only when they run: the CLI's tests never load it.
TUI_REVIEWER = "tester"


def asynchronous(test):
    """Run an async test function with asyncio (no plugin needed); fixtures still work."""

    @functools.wraps(test)
    def run(*args, **kwargs):
        return asyncio.run(test(*args, **kwargs))

    return run


@pytest.fixture
def reviewer() -> str:
    """The name the UI tests review under; a module overrides this fixture to use another."""
    return TUI_REVIEWER


@pytest.fixture
def article(tmp_path: Path) -> Path:
    """A copy of the sample article in its own folder (its claim file is made by the app)."""
    p = tmp_path / "article.txt"
    shutil.copy(SAMPLE, p)
    return p


@pytest.fixture
def claims_path(article: Path, reviewer: str) -> Path:
    """The article extracted into its claim file beside it, as the review UI makes it."""
    from claims.naming import claim_file_for
    from tui.app import make_app

    make_app(article, reviewer=reviewer).document.close()
    return claim_file_for(article)


def on_disk(path: Path) -> dict:
    from claims import store

    return {c.id: c for c in store.load(path).claims}


def events(path: Path) -> list:
    from claims import audit

    return audit.read(audit.log_path(path)).events


def screen_text(app) -> str:
    """What the terminal shows of the top screen, as plain lines."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def claims_screen(app):
    from tui.screens.claims import ClaimsScreen

    assert isinstance(app.screen, ClaimsScreen), app.screen
    return app.screen


def current_id(app) -> str:
    return claims_screen(app).table.current_id


async def settle(pilot, seconds: float = 0.0) -> None:
    await pilot.pause(seconds)
    await pilot.pause()


async def wait_for(pilot, condition, timeout: float = 20.0, step: float = 0.05) -> None:
    """Let the app run until `condition()` holds; fail after `timeout` seconds of it."""
    for _ in range(int(timeout / step)):
        if condition():
            return
        await pilot.pause(step)
    raise AssertionError("timed out waiting for the app")
