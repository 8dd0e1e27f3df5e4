"""A process killed at any step of a save leaves the old claim file or the new one, never a
torn one; a review killed at any step never leaves a decision that the audit log lacks.

The kills land at counted steps (claims/failpoints.py: each write, flush, fsync, replace and
folder fsync), not after a delay, so that every step is hit whatever the machine's load.

What a kill can leave behind, by design: a hidden temporary `.NAME.XXXXXXXX.tmp` beside the
claim file (at most one per kill, during the save that was cut short). It is never read and
never shadows the claim file: claim files are opened by their own name, folders are searched
for `*.claims.yaml`, and the document list skips hidden files. A later save removes it once
it is older than a minute (younger, it might belong to another process still writing it);
deleting one by hand is always safe.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from claims import audit, exports, store
from claims.lock import lock_path
from claims.model import ClaimFile, Status
from claims.review import Review

from .conftest import SAMPLE
from .crashing import killed_at, steps_of

SAVE_STEPS = ["save: temporary created", "save: write", "save: flush", "save: fsync", "save: replace",
              "save: folder fsync"]


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


def test_a_save_killed_at_any_step_leaves_the_old_or_the_new_file(tmp_path):
    old, new = _versions(tmp_path)
    work = tmp_path / "desk"
    work.mkdir()
    path = work / "a.claims.yaml"
    store.save(path, old)
    texts = {store.dumps(old).encode(): "old", store.dumps(new).encode(): "new"}
    assert steps_of(lambda: store.save(work / "probe.yaml", new)) == SAVE_STEPS
    (work / "probe.yaml").unlink()

    def saves() -> None:  # the old version and the new one in turn, until killed
        for i in range(100):
            store.save(path, (old, new)[i % 2])

    before_replace = 0
    for at in range(1, 2 * len(SAVE_STEPS) + 1):  # every step of a save of each version
        was = texts[path.read_bytes()]
        assert killed_at(at, saves)
        which = texts.get(path.read_bytes(), "torn")  # byte for byte one of the two
        assert which != "torn", f"a kill at step {at} left a torn claim file"
        save, step = divmod(at - 1, len(SAVE_STEPS))
        replaced = step >= SAVE_STEPS.index("save: replace")
        # the version of the save killed once it replaced the file, else the one before it
        want = ("old", "new")[save % 2] if replaced else was if save == 0 else "old"
        assert which == want, f"a kill at step {at} ({SAVE_STEPS[step]}) left the {which} file"
        assert store.load(path) == (old if which == "old" else new)
        before_replace += not replaced

    strays = sorted(p.name for p in work.iterdir() if p != path)
    assert len(strays) == before_replace  # one per save killed before its replace, none after
    assert all(s.startswith(".a.claims.yaml.") and s.endswith(".tmp") for s in strays), strays
    # never taken for the claim file, nor for another one
    assert [o.path.name for o in exports.open_all([work])] == ["a.claims.yaml"]
    r = subprocess.run([sys.executable, "-m", "claims.cli", "check", str(path)], capture_output=True)
    assert r.returncode == 0 and b"ok, " in r.stdout
    # and the next save works beside them
    store.save(path, new)
    assert store.load(path) == new


UPDATE_STEPS = 9  # an update: the log's append (3 steps), then the claim file's save (6)


def test_a_review_killed_at_any_step_loses_no_logged_decision(tmp_path):
    path = tmp_path / "a.claims.yaml"
    store.save(path, store.load(_extracted(tmp_path)))
    (tmp_path / "sample.claims.yaml").unlink()
    log = audit.log_path(path)
    ids = [c.id for c in store.load(path).claims[:5]]
    box: dict[str, Review] = {}

    def open_() -> None:  # each new reviewer finds the lock of the one just killed, and takes it over
        box["r"] = Review(path, "夜班")
        assert not box["r"].read_only, box["r"].locked_by

    def judge() -> None:
        for i in range(100):
            box["r"].update(ids[i % len(ids)], status=("verified", "disputed")[i // len(ids) % 2], note=f"第{i}次")

    repaired = torn_kills = 0
    for round_ in range(32):
        at = round_ % (3 * UPDATE_STEPS) + 1  # every step of the first three updates after opening
        torn_kills += at % UPDATE_STEPS == 1  # the log's write, killed halfway through
        assert killed_at(at, judge, before=open_)
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
    assert repaired == torn_kills > 0  # a torn tail after every kill in a write of the log, and only then
    assert len(audit.read(log).events) > 32
    for leftover in tmp_path.glob(".*.tmp"):
        assert leftover.name.startswith((".a.claims.yaml.", ".a.claims.yaml.lock."))
