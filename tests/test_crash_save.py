"""A process killed at any moment of a save leaves the old claim file or the new one, never a
torn one; a review killed at any moment never leaves a decision that the audit log lacks.

What a kill can leave behind, by design: a hidden temporary `.NAME.XXXXXXXX.tmp` beside the
claim file (at most one per kill, during the save that was cut short). It is never read and
never shadows the claim file: claim files are opened by their own name, folders are searched
for `*.claims.yaml`, and the document list skips hidden files. It is not removed by the next
save, because a temporary of the same file might belong to another process that is still
writing it; deleting one by hand is always safe.
"""
from __future__ import annotations

import pickle
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from claims import audit, exports, store
from claims.lock import lock_path
from claims.model import ClaimFile, Status

from .conftest import SAMPLE

KILLS = 32

SAVER = textwrap.dedent(
    """
    import pickle, sys
    from claims import store
    path, versions = sys.argv[1], pickle.loads(bytes.fromhex(sys.stdin.readline()))
    print("ready", flush=True)
    i = 0
    while True:
        store.save(path, versions[i % 2])
        i += 1
    """
)


def _versions(tmp_path: Path) -> tuple[ClaimFile, ClaimFile]:
    """Two versions that differ in length and content: ~500 claims, before and after a review."""
    # Without the log's head: these versions are written by hand, not by a review.
    base = store.load(_extracted(tmp_path)).model_copy(update={"audit": None})
    claims = [c.model_copy(update={"id": f"{c.id}-{k}"}) for k in range(10) for c in base.claims]
    old = base.model_copy(update={"claims": claims})
    new = base.model_copy(update={"claims": [
        c.model_copy(update={"status": Status.verified, "note": "核对无误：见年报第" + str(i) + "页"})
        if i % 3 == 0 else c for i, c in enumerate(claims)
    ]})
    return old, new


def _extracted(tmp_path: Path) -> Path:
    out = tmp_path / "sample.claims.yaml"
    r = subprocess.run([sys.executable, "-m", "claims.cli", "extract", str(SAMPLE), "-o", str(out)],
                       capture_output=True)
    assert r.returncode == 0, r.stderr
    return out


def _kill_at_random(args: list[str], rng: random.Random, most: float, stdin: bytes = b"") -> None:
    p = subprocess.Popen([sys.executable, "-c", *args], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        p.stdin.write(stdin)
        p.stdin.close()
        assert p.stdout.readline() == b"ready\n"
        time.sleep(rng.uniform(0, most))
    finally:
        p.send_signal(signal.SIGKILL)
        p.wait()
        p.stdout.close()


def test_a_save_killed_at_any_moment_leaves_the_old_or_the_new_file(tmp_path):
    old, new = _versions(tmp_path)
    work = tmp_path / "desk"
    work.mkdir()
    path = work / "a.claims.yaml"
    store.save(path, old)
    texts = {store.dumps(old).encode(): "old", store.dumps(new).encode(): "new"}
    t0 = time.perf_counter()
    store.save(work / "probe.yaml", new)
    one_save = time.perf_counter() - t0
    (work / "probe.yaml").unlink()

    versions = pickle.dumps([old, new]).hex().encode() + b"\n"
    rng = random.Random(6)
    seen = set()
    for i in range(KILLS):
        _kill_at_random([SAVER, str(path)], rng, most=8 * one_save, stdin=versions)
        which = texts.get(path.read_bytes(), "torn")  # byte for byte one of the two
        assert which != "torn", f"kill {i + 1} left a torn claim file"
        assert store.load(path) == (old if which == "old" else new)
        seen.add(which)
    assert seen == {"old", "new"}  # the kills did land at different moments

    strays = sorted(p.name for p in work.iterdir() if p != path)
    assert len(strays) <= KILLS
    assert all(s.startswith(".a.claims.yaml.") and s.endswith(".tmp") for s in strays), strays
    # never taken for the claim file, nor for another one
    assert [o.path.name for o in exports.open_all([work])] == ["a.claims.yaml"]
    r = subprocess.run([sys.executable, "-m", "claims.cli", "check", str(path)], capture_output=True)
    assert r.returncode == 0 and b"ok, " in r.stdout
    # and the next save works beside them
    store.save(path, new)
    assert store.load(path) == new


REVIEWER = textwrap.dedent(
    """
    import sys
    from claims.review import Review
    path, ids = sys.argv[1], sys.argv[2:]
    with Review(path, "夜班") as r:
        assert not r.read_only, r.locked_by
        print("ready", flush=True)
        i = 0
        while True:
            r.update(ids[i % len(ids)], status=("verified", "disputed")[i // len(ids) % 2], note="第%d次" % i)
            i += 1
    """
)


def test_a_review_killed_at_any_moment_loses_no_logged_decision(tmp_path):
    path = tmp_path / "a.claims.yaml"
    store.save(path, store.load(_extracted(tmp_path)))
    (tmp_path / "sample.claims.yaml").unlink()
    log = audit.log_path(path)
    ids = [c.id for c in store.load(path).claims[:5]]
    rng = random.Random(7)
    repaired = 0
    for _ in range(KILLS):
        # each new reviewer finds the lock of the one just killed, and takes it over
        _kill_at_random([REVIEWER, str(path), *ids], rng, most=0.15)
        assert lock_path(path).exists()
        cf = store.load(path)  # whole: the old version or the new one
        if audit.read(log).torn:
            audit.repair(log)
            repaired += 1
        assert audit.verify(log) == []
        events = audit.read(log).events
        # Every decision in the file is in the log. The log may be one change ahead (logged,
        # then killed before the save): a logged intent, never an unlogged decision.
        for c in cf.claims:
            history = [e for e in events if e.claim == c.id]
            if c.status != Status.pending:
                last = {e.field: e for e in history}
                assert last["status"].new == c.status.value or last["status"].old == c.status.value
                assert last["note"].new == c.note or last["note"].old == c.note
            else:
                assert not history or history[0].old == "pending"
    assert len(audit.read(log).events) > KILLS
    for leftover in tmp_path.glob(".*.tmp"):
        assert leftover.name.startswith((".a.claims.yaml.", ".a.claims.yaml.lock."))
