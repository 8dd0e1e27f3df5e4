"""The audit log: append-only, hash-chained, durable; tampering and torn writes are named."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from claims import audit, store
from claims.extract import extract_file
from claims.lock import FileLock
from claims.review import ReadOnly, Review

from .conftest import SAMPLE


def _log(tmp_path, n=6):
    log = tmp_path / "a.audit.yaml"
    audit.append(log, [audit.Change(f"q{i}", "status", "pending", "verified") for i in range(n)], "wen")
    return log


def _events_text(log):
    raw = log.read_text(encoding="utf-8")
    parts = raw.split("---\n")[1:]
    return ["---\n" + p for p in parts]


def test_intact_log_verifies_and_records_who_what_when(tmp_path):
    log = _log(tmp_path)
    assert audit.verify(log) == []
    events = audit.read(log).events
    assert [e.seq for e in events] == [1, 2, 3, 4, 5, 6]
    assert events[0].reviewer == "wen" and events[0].old == "pending" and events[0].new == "verified"
    assert events[0].time.tzinfo is not None and events[0].prev == audit.GENESIS
    assert all(b.prev == a.hash for a, b in zip(events, events[1:]))


def test_an_edited_event_is_named(tmp_path):
    log = _log(tmp_path)
    log.write_text(log.read_text(encoding="utf-8").replace("claim: q3", "claim: q9"), encoding="utf-8")
    problems = audit.verify(log)
    assert problems == [f"{log}: event 4 (seq 4): content does not match its hash (edited)"]


def test_a_removed_event_is_named(tmp_path):
    log = _log(tmp_path)
    parts = _events_text(log)
    del parts[2]
    log.write_text("".join(parts), encoding="utf-8")
    problems = audit.verify(log)
    assert any("event 3: sequence number 4, expected 3" in p for p in problems)
    assert any("event 3 (seq 4): does not follow the event before it" in p for p in problems)


def test_reordered_events_are_named(tmp_path):
    log = _log(tmp_path)
    parts = _events_text(log)
    parts[1], parts[4] = parts[4], parts[1]
    log.write_text("".join(parts), encoding="utf-8")
    problems = audit.verify(log)
    assert any(p.startswith(f"{log}: event 2 (seq 5)") for p in problems)
    assert any(p.startswith(f"{log}: event 5 (seq 2)") for p in problems)


def test_a_truncated_log_reports_a_torn_last_event_and_repairs(tmp_path):
    log = _log(tmp_path)
    raw = log.read_bytes()
    log.write_bytes(raw[: len(raw) - 40])
    state = audit.read(log)
    assert len(state.events) == 5 and "the last event is incomplete" in state.torn
    assert audit.verify(log)[-1].endswith("the last event is incomplete (a crash during an append?)")
    with pytest.raises(audit.FileError, match="audit repair"):
        audit.append(log, [audit.Change("q9", "note", "", "x")], "wen")
    backup = audit.repair(log)
    assert backup and open(backup, "rb").read() == raw[: len(raw) - 40]
    assert audit.verify(log) == [] and len(audit.read(log).events) == 5
    audit.append(log, [audit.Change("q9", "note", "", "x")], "wen")
    assert audit.verify(log) == [] and audit.read(log).events[-1].seq == 6


def test_a_cut_multibyte_character_is_a_torn_event_not_a_crash(tmp_path):
    log = tmp_path / "a.audit.yaml"
    audit.append(log, [audit.Change("q1", "note", "", "核实：见公告")], "温婷")
    raw = log.read_bytes()
    cut = raw.index("公".encode()) + 1  # in the middle of a three-byte character
    log.write_bytes(raw[:cut])
    state = audit.read(log)
    assert state.events == [] and state.torn


WRITER = textwrap.dedent(
    """
    import sys
    from claims import audit
    log = sys.argv[1]
    i = 0
    while True:
        i += 1
        audit.append(log, [audit.Change(f"q{i}", "note", "旧的说明" * 5, "新的说明：" + "证据" * 40)], "writer")
    """
)


def test_killing_a_writer_mid_append_never_loses_an_earlier_event(tmp_path):
    log = tmp_path / "a.audit.yaml"
    script = tmp_path / "writer.py"
    script.write_text(WRITER, encoding="utf-8")
    before = 0
    for round_ in range(12):
        p = subprocess.Popen([sys.executable, str(script), str(log)])
        time.sleep(0.15 + 0.03 * round_)
        p.send_signal(signal.SIGKILL)
        p.wait()
        state = audit.read(log)
        assert len(state.events) >= before  # nothing earlier was lost
        if state.torn:
            audit.repair(log)
        assert audit.verify(log) == []
        before = len(audit.read(log).events)
    assert before > 12


def test_review_logs_first_and_saves_at_once(tmp_path):
    path = tmp_path / "a.claims.yaml"
    store.save(path, extract_file(SAMPLE))
    cid = store.load(path).claims[0].id
    with Review(path, "wen") as r:
        r.set_status(cid, "disputed")
        r.set_note(cid, "日期与公告不符")
        r.add_evidence(cid, "https://example.cn/notice")
        r.set_status(cid, "disputed")  # no change, no event
    c = store.load(path).claims[0]
    assert (c.status.value, c.note, c.evidence, c.reviewed_by) == ("disputed", "日期与公告不符", ["https://example.cn/notice"], "wen")
    events = audit.read(audit.log_path(path)).events
    assert [(e.field, e.old, e.new) for e in events] == [
        ("status", "pending", "disputed"), ("note", "", "日期与公告不符"), ("evidence", [], ["https://example.cn/notice"])
    ]
    assert c.reviewed_at == events[-1].time


def test_a_locked_file_opens_read_only_and_changes_nothing(tmp_path):
    path = tmp_path / "a.claims.yaml"
    store.save(path, extract_file(SAMPLE))
    before = path.read_bytes()
    with FileLock(path):
        r = Review(path, "li")
        assert r.read_only and str(os.getpid()) in str(r.locked_by)
        with pytest.raises(ReadOnly, match="being edited by"):
            r.set_status(r.cf.claims[0].id, "verified")
    assert path.read_bytes() == before and not audit.log_path(path).exists()


def test_a_stale_lock_from_a_dead_process_is_taken_over(tmp_path):
    path = tmp_path / "a.claims.yaml"
    store.save(path, extract_file(SAMPLE))
    p = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    import json
    import socket

    (tmp_path / "a.claims.yaml.lock").write_text(
        json.dumps({"user": "ghost", "host": socket.gethostname(), "pid": p.pid, "since": "x"}), encoding="utf-8"
    )
    assert Review(path, "li").read_only
    p.kill()
    p.wait()
    r = Review(path, "li")
    assert not r.read_only
    r.close()
