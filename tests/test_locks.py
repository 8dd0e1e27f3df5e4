"""Claim-file locks: one holder at a time, even when many find the same stale lock at once,
and the holder is named as the reviewer who has the file open."""
from __future__ import annotations

import importlib
import json
import multiprocessing
import os
import queue
import socket
import subprocess
import sys
import textwrap
import time

import pytest

from claims import lock, store
from claims.assemble import extract_file
from claims.lock import FileLock, Holder, lock_path
from claims.review import ReadOnly, Review

from .conftest import SAMPLE, run_cli

CONTENDERS = 8
ROUNDS = 12
WAIT = 60  # seconds; only so that a broken contender fails the test instead of hanging it


def dead_pid() -> int:
    """The pid of a process of this host that has exited (and been reaped)."""
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


def write_stale_lock(path, pid: int) -> None:
    lock_path(path).write_text(
        json.dumps({"user": "ghost", "host": socket.gethostname(), "pid": pid, "since": "2024-03-28T08:00:00+00:00"}),
        encoding="utf-8",
    )


def _contend(module: str, path: str, start, tried, done, results) -> None:
    """One editor opening the file: all start at once, and a winner keeps the lock until all have tried."""
    mod = importlib.import_module(module)
    fl = mod.FileLock(path)
    real_unlink = os.unlink

    def unlink(*args, **kwargs):
        # A busy machine: the editor is put aside just before it removes a file, as a
        # scheduler may do at any instant. It widens the window a careless takeover leaves open.
        time.sleep(0.002)
        return real_unlink(*args, **kwargs)

    os.unlink = unlink
    try:
        start.wait(WAIT)
        try:
            fl.acquire()
            results.put((os.getpid(), "won"))
        except mod.Locked as e:
            results.put((os.getpid(), f"refused: {e.by.pid}"))
        tried.wait(WAIT)
        done.wait(WAIT)
    except Exception as e:  # reported, so that the test says what went wrong
        results.put((os.getpid(), f"error: {type(e).__name__}: {e}"))
    finally:
        fl.release()


def race_for_a_stale_lock(module: str, path, contenders: int = CONTENDERS) -> tuple[list[int], list[str], Holder | None]:
    """Let `contenders` processes find the same stale lock at the same instant.

    Returns the pids that believed they won, every outcome, and whom the lock file names while
    the winners still hold it.
    """
    ctx = multiprocessing.get_context("fork")
    start, tried, done = ctx.Barrier(contenders), ctx.Barrier(contenders + 1), ctx.Event()
    results = ctx.Queue()
    write_stale_lock(path, dead_pid())
    procs = [ctx.Process(target=_contend, args=(module, str(path), start, tried, done, results))
             for _ in range(contenders)]
    for p in procs:
        p.start()
    try:
        tried.wait(WAIT)
        outcomes = []
        for _ in procs:
            try:
                outcomes.append(results.get(timeout=WAIT))
            except queue.Empty:
                break
        named = lock.holder(path)  # None when no lock is left at all, though someone thinks they hold it
    finally:
        done.set()
        for p in procs:
            p.join(WAIT)
    winners = [pid for pid, what in outcomes if what == "won"]
    return winners, [what for _, what in outcomes], named


@pytest.mark.skipif(sys.platform != "linux", reason="the race is run with fork, on Linux")
def test_of_many_editors_finding_one_stale_lock_exactly_one_takes_it_over(tmp_path):
    for round_ in range(ROUNDS):
        path = tmp_path / f"r{round_}.claims.yaml"
        path.write_text("", encoding="utf-8")  # the lock does not read the claim file
        winners, outcomes, named = race_for_a_stale_lock("claims.lock", path)
        assert len(outcomes) == CONTENDERS and not [o for o in outcomes if o.startswith("error")], outcomes
        assert len(winners) == 1, f"round {round_}: {len(winners)} editors hold the lock: {outcomes}"
        # the lock names the winner, and every other editor was told it was the winner who holds it
        assert named is not None and named.pid == winners[0]
        assert sorted(outcomes) == [f"refused: {winners[0]}"] * (CONTENDERS - 1) + ["won"]
        assert not lock_path(path).exists()  # the winner let it go on closing
        assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # no temporaries


def test_a_lock_held_by_a_live_process_is_never_taken_over(tmp_path):
    path = tmp_path / "a.claims.yaml"
    path.write_text("", encoding="utf-8")
    write_stale_lock(path, os.getpid())  # alive: this very process
    before = lock_path(path).read_bytes()
    with pytest.raises(lock.Locked) as e:
        FileLock(path).acquire()
    assert e.value.by.pid == os.getpid() and lock_path(path).read_bytes() == before


def test_without_flock_a_stale_lock_is_respected_and_named(tmp_path, monkeypatch):
    """Where flock is missing (some network file systems) a takeover could not be made safe."""
    import errno
    import fcntl

    def no_flock(*args):
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(fcntl, "flock", no_flock)
    path = tmp_path / "a.claims.yaml"
    pid = dead_pid()
    write_stale_lock(path, pid)
    before = lock_path(path).read_bytes()
    with pytest.raises(lock.Locked) as e:
        FileLock(path).acquire()
    assert str(e.value.by) == (f"ghost on {socket.gethostname()}, whose process {pid} has ended ({lock_path(path)} "
                               "cannot be taken over safely here: No locks available; remove it if no one is editing)")
    assert lock_path(path).read_bytes() == before


def test_releasing_leaves_a_lock_that_is_no_longer_ours(tmp_path):
    """Someone removed our lock by hand and another editor took the file: our close leaves theirs."""
    path = tmp_path / "a.claims.yaml"
    path.write_text("", encoding="utf-8")
    mine = FileLock(path, reviewer="温婷")
    mine.acquire()
    lock_path(path).unlink()
    theirs = FileLock(path, reviewer="李编辑")
    theirs.acquire()
    mine.release()
    assert lock_path(path).exists() and lock.holder(path).reviewer == "李编辑"
    theirs.release()
    assert not lock_path(path).exists()


# --- the lock names the reviewer ------------------------------------------------------------


@pytest.fixture
def claims(tmp_path):
    path = tmp_path / "a.claims.yaml"
    store.save(path, extract_file(SAMPLE))
    return path


def test_the_lock_records_the_reviewer_and_the_login(claims, monkeypatch):
    monkeypatch.setattr(lock, "_user", lambda: "root")
    with Review(claims, "alice"):
        data = json.loads(lock_path(claims).read_text(encoding="utf-8"))
        assert (data["reviewer"], data["user"], data["pid"]) == ("alice", "root", os.getpid())
        other = Review(claims, "bob")
        assert other.read_only
        assert other.read_only_reason.startswith(f"being reviewed by alice (login root) on {socket.gethostname()} (pid ")
        with pytest.raises(ReadOnly, match=r"read-only, being edited by alice \(login root\) on "):
            other.set_status(other.cf.claims[0].id, "verified")
        other.close()
    assert not lock_path(claims).exists()


def test_a_reviewer_under_their_own_login_is_named_once(tmp_path):
    h = Holder("wen", "desk1", 42, "2024-03-28T08:00:00+00:00", reviewer="wen")
    assert str(h) == "wen on desk1 (pid 42, since 2024-03-28T08:00:00+00:00)"


def test_a_lock_written_before_reviewers_were_recorded_still_names_its_holder(claims):
    lock_path(claims).write_text(json.dumps(
        {"user": "wen", "host": "desk1", "pid": 42, "since": "2024-03-28T08:00:00+00:00"}), encoding="utf-8")
    h = lock.holder(claims)
    assert h == Holder("wen", "desk1", 42, "2024-03-28T08:00:00+00:00")
    assert Review(claims, "bob").read_only_reason == "being reviewed by wen on desk1 (pid 42, since 2024-03-28T08:00:00+00:00)"


def test_a_lock_from_a_newer_version_with_more_fields_is_still_read(claims):
    lock_path(claims).write_text(json.dumps({"user": "wen", "host": "desk1", "pid": 42, "since": "x",
                                             "reviewer": "温婷", "editor": "tui 9"}), encoding="utf-8")
    assert str(lock.holder(claims)) == "温婷 (login wen) on desk1 (pid 42, since x)"


def test_a_name_in_a_lock_cannot_break_the_line_or_reach_the_terminal(claims):
    with FileLock(claims, reviewer="夜班\n\x1b]0;pwned\x07\u202e"):
        why = Review(claims, "bob").read_only_reason
    assert why.startswith("being reviewed by 夜班??]0;pwned?? (login ")
    assert why.isprintable()


HOLD = textwrap.dedent(
    """
    import sys, time
    from claims.review import Review
    r = Review(sys.argv[1], "alice")
    assert not r.read_only
    print("holding", flush=True)
    time.sleep(60)
    """
)


def test_mark_names_the_reviewer_who_has_the_file_open(claims):
    env = {**os.environ, "CLAIMCHECK_REVIEWER": "ignored-by-explicit-reviewer"}
    p = subprocess.Popen([sys.executable, "-c", HOLD, str(claims)], stdout=subprocess.PIPE, env=env)
    try:
        assert p.stdout.readline() == b"holding\n"
        before = claims.read_bytes()
        r = run_cli("mark", str(claims), store.load(claims).claims[0].id, "verified", "--reviewer", "bob")
    finally:
        p.kill()
        p.wait()
        p.stdout.close()
    err = r.stderr.decode("utf-8")
    assert r.returncode == 1 and len(err.splitlines()) == 1, err
    assert err.startswith(f"claimcheck: {claims}: being reviewed by alice (login ")
    assert f"on {socket.gethostname()} (pid {p.pid}, since " in err and err.rstrip().endswith("; not changed")
    assert claims.read_bytes() == before


def test_without_a_reviewer_name_the_lock_names_claimcheck_reviewer(tmp_path, monkeypatch):
    monkeypatch.setenv("CLAIMCHECK_REVIEWER", "夜班")
    monkeypatch.setattr(lock, "_user", lambda: "root")
    path = tmp_path / "a.claims.yaml"
    with FileLock(path):
        assert str(lock.holder(path)).startswith("夜班 (login root) on ")
