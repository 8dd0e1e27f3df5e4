"""`claimcheck serve PATH --reviewer NAME`: the review UI in a web browser (textual-serve).

The argument handling is tested without starting a server (claims.serve.run is replaced); the
server itself, a browser and a key press are scripts/browser_check_serve.py's, run here only
where Chromium is installed."""
from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from claims import cli as claimcheck
from claims import serve

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture
def started(monkeypatch) -> list[serve.Plan]:
    """The plans `serve.run` was given, instead of serving them."""
    plans: list[serve.Plan] = []
    monkeypatch.setattr(serve, "run", plans.append)
    return plans


def test_refused_without_a_reviewer(tmp_path, cli, started):
    r = cli("serve", str(tmp_path))
    assert r.returncode == 2 and b"--reviewer" in r.stderr and not started
    r = cli("serve", str(tmp_path), "--reviewer", "  ")
    lines = r.stderr.decode().splitlines()
    assert r.returncode == 1 and len(lines) == 1 and "--reviewer NAME" in lines[0] and not started


def test_binds_127_0_0_1_by_default(tmp_path, cli, started):
    r = cli("serve", str(tmp_path), "--reviewer", "王编辑")
    assert r.returncode == 0 and r.stderr == b""
    [p] = started
    assert (p.host, p.port, p.public_url) == ("127.0.0.1", 8000, "http://127.0.0.1:8000")
    assert p.warnings == []


def test_another_host_is_warned_about(tmp_path, cli, started, monkeypatch):
    monkeypatch.setattr(serve.socket, "getfqdn", lambda: "desk.example")
    r = cli("serve", str(tmp_path), "--reviewer", "王编辑", "--host", "0.0.0.0", "--port", "8123")
    [p] = started
    assert (p.host, p.port) == ("0.0.0.0", 8123)
    assert p.public_url == "http://desk.example:8123"  # a wildcard is no address a browser opens
    err = r.stderr.decode()
    assert "warning: listening on 0.0.0.0:8123" in err and "no password" in err


@pytest.mark.parametrize("host, url", [("::1", "http://[::1]:8000"), ("localhost", "http://localhost:8000"),
                                       ("127.0.0.2", "http://127.0.0.2:8000")])
def test_loopback_hosts_are_not_warned_about(tmp_path, host, url):
    p = serve.plan(str(tmp_path), "x", host, 8000)
    assert p.public_url == url and p.warnings == []


def test_a_public_url_is_used_as_given(tmp_path, cli, started):
    cli("serve", str(tmp_path), "--reviewer", "x", "--public-url", "https://review.example.cn/")
    assert started[0].public_url == "https://review.example.cn"


@pytest.mark.parametrize("args, says", [(["--port", "0"], "not a port"), (["--port", "70000"], "not a port")])
def test_bad_ports_are_refused(tmp_path, cli, started, args, says):
    r = cli("serve", str(tmp_path), "--reviewer", "x", *args)
    assert r.returncode == 1 and says.encode() in r.stderr and not started


def test_a_missing_path_is_refused_before_serving(tmp_path, cli, started):
    r = cli("serve", str(tmp_path / "nowhere"), "--reviewer", "x")
    assert r.returncode == 1 and b"no such file or folder" in r.stderr and not started


NAMES = ["王编辑", "O'Brien; touch pwned", 'a "b" $(id) `id` $HOME \\ *', "-x --reviewer other"]


@pytest.mark.parametrize("name", NAMES)
def test_each_tab_runs_this_review_as_the_reviewer_named(tmp_path, name):
    """The command textual-serve hands to a shell: split by a real shell it is the review of the
    path as the reviewer, whatever the name holds."""
    folder = tmp_path / "a desk; $(x)"
    folder.mkdir()
    p = serve.plan(str(folder), name)
    split = subprocess.run(["/bin/sh", "-c", "printf '%s\\n' " + p.command], capture_output=True, text=True,
                           check=True).stdout.splitlines()
    assert split == [sys.executable, "-m", "claims.cli", "review", str(folder.resolve()), "--reviewer", name]
    args = claimcheck.build_parser().parse_args(shlex.split(p.command)[3:])
    assert args.func is claimcheck.cmd_review and args.path == str(folder.resolve()) and args.reviewer == name


def test_without_the_extra_one_line_says_how_to_install_it(tmp_path, cli, monkeypatch):
    monkeypatch.setitem(sys.modules, "textual_serve", None)  # importing it now fails, as uninstalled
    monkeypatch.setitem(sys.modules, "textual_serve.server", None)
    r = cli("serve", str(tmp_path), "--reviewer", "x")
    lines = r.stderr.decode().splitlines()
    assert r.returncode == 1 and len(lines) == 1 and "pip install 'claimcheck[serve]'" in lines[0], lines


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Chromium at /usr/bin/chromium (apt-get install chromium); "
                    "CI machines have none")
def test_in_a_real_headless_browser(tmp_path):
    """scripts/browser_check_serve.py: the claims appear, v marks one, the files change (about 15 s)."""
    pytest.importorskip("playwright", reason="needs playwright: pip install 'claimcheck[browser-check]'")
    pytest.importorskip("textual_serve", reason="needs textual-serve: pip install 'claimcheck[serve]'")
    shot = tmp_path / "serve.png"
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "browser_check_serve.py"), "--screenshot", str(shot)],
                       cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "v marked one claim verified" in r.stdout and "the audit log gained the event" in r.stdout
    assert shot.read_bytes().startswith(b"\x89PNG")
