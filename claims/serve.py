"""`claimcheck serve`: the review UI in a web browser, for those who cannot use a terminal.

textual-serve (the `serve` extra) runs a web server whose every browser tab starts a shell
command running a Textual app and relays its screen and keys. The command is this
claimcheck's own review, `python -m claims.cli review PATH --reviewer NAME`: the same UI,
saves, locks and audit log as in a terminal. NAME is given, never taken from the login,
since whoever is at the browser is not this machine's user.
"""
from __future__ import annotations

import ipaddress
import os
import shlex
import socket
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .errors import FileError

INSTALL = "pip install 'claimcheck[serve]'"


@dataclass(frozen=True)
class Plan:
    """What `serve` will run, where: worked out (and refused) before any server starts."""

    command: str  # the shell command textual-serve runs for each browser tab
    host: str
    port: int
    public_url: str
    title: str
    warnings: list[str] = field(default_factory=list)


def review_command(path: Path, reviewer: str) -> str:
    """The review of `path` as `reviewer`, quoted for the shell textual-serve hands it to: a
    name such as `O'Brien; rm -x` stays one argument."""
    argv = [sys.executable, "-m", "claims.cli", "review", str(path), "--reviewer", reviewer]
    return subprocess.list2cmdline(argv) if os.name == "nt" else shlex.join(argv)


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def plan(path: str, reviewer: str | None, host: str = "127.0.0.1", port: int = 8000,
         public_url: str | None = None) -> Plan:
    """The plan for `claimcheck serve PATH --reviewer NAME`, or FileError saying why not."""
    name = (reviewer or "").strip()
    if not name:
        raise FileError(["serve needs --reviewer NAME: the name recorded with each change made in the browser"])
    if not 0 < port < 65536:
        raise FileError([f"--port {port}: not a port (1 to 65535)"])
    target = Path(path)
    if not target.exists():
        raise FileError([f"{path}: no such file or folder"])
    warnings = []
    if not _loopback(host):
        warnings.append(f"listening on {host}:{port}: anyone who can reach it reviews as {name!r} "
                        "(there is no password); use this only on a network you trust")
    if public_url is None:
        # A wildcard address is no address a browser can open: name this machine instead.
        shown = socket.getfqdn() if host in ("0.0.0.0", "::", "") else host
        public_url = f"http://{_url_host(shown)}:{port}"
    title = f"claimcheck review · {target.resolve().name} · {name}"
    return Plan(review_command(target.resolve(), name), host, port, public_url.rstrip("/"), title, warnings)


def run(p: Plan) -> None:
    """Serve until interrupted (Ctrl+C). FileError, in one line, without the extra."""
    try:
        from textual_serve.server import Server
    except ImportError:
        raise FileError([f"serve needs textual-serve, an optional extra: {INSTALL}"]) from None
    Server(p.command, host=p.host, port=p.port, title=p.title, public_url=p.public_url).serve()
