"""Saving never changes who may read a file: a rewritten claim file or audit log keeps its mode
(and its group, where the owner may set it); a new one gets what a plain `open()` gives it
under the umask, as any other program's files in a shared newsroom folder do."""
from __future__ import annotations

import os
import stat
import subprocess
import sys
from contextlib import contextmanager

import pytest

from claims import audit, store, yamlio
from claims.assemble import extract_file
from claims.review import Review

from .conftest import SAMPLE


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@contextmanager
def umask(mask: int):
    old = os.umask(mask)
    try:
        yield
    finally:
        os.umask(old)


@pytest.fixture(scope="module")
def cf():
    return extract_file(SAMPLE)


def test_a_saved_claim_file_keeps_its_mode(tmp_path, cf):
    path = tmp_path / "b.claims.yaml"
    for before in (0o664, 0o640, 0o644, 0o600, 0o444):  # shared stays shared, private stays private
        store.save(path, cf)
        path.chmod(before)
        with umask(0o077):  # the umask is for new files only
            store.save(path, cf)
            assert mode(path) == before
            with Review(path, "wen") as r:  # `claimcheck mark`, the UI: the same save
                r.set_status(r.cf.claims[0].id, "disputed")
        assert mode(path) == before and store.load(path).claims[0].status.value == "disputed"
        path.chmod(0o600)


def test_a_new_claim_file_follows_the_umask(tmp_path, cf):
    for mask, expected in [(0o002, 0o664), (0o022, 0o644), (0o027, 0o640), (0o077, 0o600)]:
        path = tmp_path / f"{mask:o}.claims.yaml"
        with umask(mask):
            store.save(path, cf)
            assert os.umask(mask) == mask  # and the umask itself is left as it was
        assert mode(path) == expected, oct(mask)


@pytest.mark.parametrize(("mask", "expected"), [(0o002, 0o664), (0o007, 0o660)])
def test_the_cli_makes_files_as_any_program_would(tmp_path, mask, expected):
    out = tmp_path / "a.claims.yaml"
    run = subprocess.run([sys.executable, "-m", "claims.cli", "extract", str(SAMPLE), "-o", str(out)],
                         capture_output=True, preexec_fn=lambda: os.umask(mask))
    assert run.returncode == 0, run.stderr
    cid = store.load(out).claims[0].id
    run = subprocess.run([sys.executable, "-m", "claims.cli", "mark", str(out), cid, "verified"],
                         capture_output=True, preexec_fn=lambda: os.umask(mask))
    assert run.returncode == 0, run.stderr
    assert (mode(out), mode(audit.log_path(out))) == (expected, expected)


def test_the_cli_keeps_a_shared_file_shared(tmp_path, cf):
    """`chmod 664 b.claims.yaml; claimcheck mark b.claims.yaml <id> disputed` under umask 022: the
    desk's group can still write the file (the save keeps its mode, not the umask's)."""
    path = tmp_path / "b.claims.yaml"
    store.save(path, cf)
    path.chmod(0o664)
    run = subprocess.run([sys.executable, "-m", "claims.cli", "mark", str(path), cf.claims[0].id, "disputed"],
                         capture_output=True, preexec_fn=lambda: os.umask(0o022))
    assert run.returncode == 0, run.stderr
    assert mode(path) == 0o664


def test_a_new_audit_log_follows_the_umask(tmp_path):
    for mask, expected in [(0o002, 0o664), (0o007, 0o660), (0o077, 0o600)]:
        log = tmp_path / f"{mask:o}.audit.yaml"
        with umask(mask):
            audit.append(log, [audit.Change("q1", "status", "pending", "verified")], "wen")
        assert mode(log) == expected, oct(mask)


@pytest.mark.parametrize("before", [0o664, 0o640])
def test_a_repaired_audit_log_and_its_copy_keep_the_log_s_mode(tmp_path, before):
    log = tmp_path / "a.audit.yaml"
    audit.append(log, [audit.Change(f"q{i}", "status", "pending", "verified") for i in range(3)], "wen")
    with open(log, "ab") as f:
        f.write(b"---\nseq: 4\nti")  # a crash during the next append
    log.chmod(before)
    with umask(0o022):
        backup = audit.repair(log)
    assert backup and audit.verify(log) == []
    assert (mode(log), mode(backup)) == (before, before)  # the copy is no easier to read than the log


def test_a_rewrite_keeps_the_group(tmp_path, cf):
    path = tmp_path / "b.claims.yaml"
    store.save(path, cf)
    mine = os.stat(path).st_gid
    others = [g for g in ([4321] if os.geteuid() == 0 else os.getgroups()) if g != mine]
    if not others:
        pytest.skip("no other group that this user may give a file")
    os.chown(path, -1, others[0])
    path.chmod(0o640)
    store.save(path, cf)
    assert (os.stat(path).st_gid, mode(path)) == (others[0], 0o640)


def test_write_atomic_keeps_the_mode_of_what_it_replaces(tmp_path):
    """Every atomic write (claim files, exports, a repaired log) goes through write_atomic."""
    path = tmp_path / "report.csv"
    with umask(0o022):
        yamlio.write_atomic(path, "a,b\n")
        assert mode(path) == 0o644
        path.chmod(0o660)
        yamlio.write_atomic(path, b"a,b\n1,2\n")
    assert mode(path) == 0o660 and path.read_bytes() == b"a,b\n1,2\n"


def test_the_umask_is_read_without_changing_it(monkeypatch):
    with umask(0o027):
        assert yamlio.umask() == 0o027
        real_open = open

        def no_proc(file, *a, **k):
            if str(file).startswith("/proc/"):
                raise FileNotFoundError(file)
            return real_open(file, *a, **k)

        monkeypatch.setattr("builtins.open", no_proc)  # a system without /proc
        assert yamlio.umask() == 0o027
        assert os.umask(0o027) == 0o027
