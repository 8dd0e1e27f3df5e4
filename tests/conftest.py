"""Shared fixtures: the sample article, the built-in rules, and a CLI runner."""
from __future__ import annotations

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


def run_cli(*args: str, stdin: bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run `claimcheck` as a user would, in a separate process."""
    return subprocess.run(
        [sys.executable, "-m", "claims.cli", *args],
        input=stdin,
        capture_output=True,
        cwd=cwd,
        env=None,
    )


@pytest.fixture
def cli():
    return run_cli
