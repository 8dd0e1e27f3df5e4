"""The audit log: append-only, hash-chained, durable; tampering and torn writes are named."""
from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from claims import audit, store, yamlio
from claims.assemble import extract_file
from claims.lock import FileLock
from claims.review import ReadOnly, Review

from .conftest import SAMPLE
from .crashing import killed_at


def _log(tmp_path, n=6):
    log = tmp_path / "a.audit.yaml"
    for i in range(n):  # one change each: a cut keeps every whole change before it
        audit.append(log, [audit.Change(f"q{i}", "status", "pending", "verified")], "wen")
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
    assert re.search(r"the last event is incomplete \(a crash during an append\?\); "
                     r"`claimcheck audit repair` will cut off the last \d+ bytes and keep all 5 whole events$",
                     audit.verify(log)[-1])
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


def _writer(log, how):
    """Appends events one at a time, as a review does, until killed."""
    def write():
        append = audit.Chain(log).append if how == "chain" else lambda *a: audit.append(log, *a)
        for i in range(1, 100):
            append([audit.Change(f"q{i}", "note", "旧的说明" * 5, "新的说明：" + "证据" * 40)], "writer")
    return write


@pytest.mark.parametrize("how", ["append", "chain"])
def test_killing_a_writer_mid_append_never_loses_an_earlier_event(tmp_path, how):
    # Killed at a counted step (claims/failpoints.py), not after a delay: an append is three
    # steps (its write, killed halfway through it; the write done; the fsync done), and each
    # round kills a new writer at one of them after 0 to 3 whole appends.
    log = tmp_path / "a.audit.yaml"
    before = 0
    for round_ in range(12):
        whole, step = divmod(round_, 3)
        assert killed_at(3 * whole + step + 1, _writer(log, how))
        state = audit.read(log)
        assert len(state.events) == before + whole + (step > 0)  # nothing earlier lost; the killed one whole unless torn
        assert bool(state.torn) == (step == 0)
        if state.torn:
            assert audit.repair(log) is not None
        assert audit.verify(log) == []
        before = len(audit.read(log).events)
    assert before == sum(w + (s > 0) for w in range(4) for s in range(3))  # 26: every round counted


# --- appends through a Chain: O(1) in the log's length, never chained onto a wrong event -----


def _change(i):
    return [audit.Change(f"q{i}", "status", "pending", "verified")]


def test_a_chain_writes_the_same_log_as_append(tmp_path):
    one, two = tmp_path / "one.audit.yaml", tmp_path / "two.audit.yaml"
    chain = audit.Chain(two)
    when = audit.now()
    for i in range(5):
        audit.append(one, _change(i) * 2, "wen", when)
        chain.append(_change(i) * 2, "wen", when)
    assert one.read_bytes() == two.read_bytes()
    assert audit.verify(two) == [] and [e.seq for e in audit.read(two).events] == list(range(1, 11))


def test_a_chain_does_not_read_the_log_again_after_its_own_append(tmp_path, monkeypatch):
    log = _log(tmp_path, 50)
    chain = audit.Chain(log)
    chain.append(_change(50), "wen")  # the first append reads the log once, to find its end
    real_parse = audit._parse
    monkeypatch.setattr(audit, "_parse", lambda *a: pytest.fail("the whole log was read again"))
    for i in range(51, 60):
        chain.append(_change(i), "wen")
    monkeypatch.setattr(audit, "_parse", real_parse)
    assert audit.verify(log) == [] and audit.read(log).events[-1].seq == 60


def test_a_chain_follows_an_event_appended_by_someone_else(tmp_path):
    log = _log(tmp_path)
    chain = audit.Chain(log)
    chain.append(_change(6), "wen")
    other = audit.append(log, _change(7), "li")  # another writer: the log grew
    mine = chain.append(_change(8), "wen")
    assert mine[0].prev == other[0].hash and mine[0].seq == 9
    assert audit.verify(log) == []


def test_a_chain_notices_an_edit_that_keeps_the_log_s_length(tmp_path):
    """Someone rewrote the last event's hash in place (same length): the next event follows
    what the file says, exactly as a full read would, and verify names the edit."""
    log = _log(tmp_path)
    chain = audit.Chain(log)
    last = chain.append(_change(6), "wen")[0]
    raw = log.read_bytes()
    forged = last.hash[:-1] + ("0" if last.hash[-1] != "0" else "1")
    log.write_bytes(raw.replace(last.hash.encode(), forged.encode()))
    assert len(log.read_bytes()) == len(raw)
    nxt = chain.append(_change(8), "wen")[0]
    assert nxt.prev == forged and nxt.seq == 8
    assert audit.verify(log) == [f"{log}: event 7 (seq 7): content does not match its hash (edited)"]


def test_a_chain_notices_a_log_grown_before_its_last_event(tmp_path):
    """An event put in earlier (the log still ends with ours): numbered as a full read numbers it."""
    log = _log(tmp_path)
    chain = audit.Chain(log)
    chain.append(_change(6), "wen")
    parts = _events_text(log)
    log.write_text("".join([parts[2], *parts]), encoding="utf-8")
    assert chain.append(_change(8), "wen")[0].seq == 9 == len(audit.read(log).events)


def test_a_chain_refuses_a_torn_tail_left_after_its_append_and_goes_on_after_repair(tmp_path):
    log = _log(tmp_path)
    chain = audit.Chain(log)
    chain.append(_change(6), "wen")
    whole = log.read_bytes()
    with open(log, "ab") as f:  # another writer died in the middle of its event
        f.write(b"---\nseq: 8\ntime: '2024-03-28T0")
    with pytest.raises(audit.FileError, match="the last event is incomplete.*audit repair"):
        chain.append(_change(7), "wen")
    assert log.read_bytes().startswith(whole) and len(audit.read(log).events) == 7  # nothing added
    assert audit.repair(log)
    assert chain.append(_change(7), "wen")[0].seq == 8
    assert audit.verify(log) == []


def test_a_chain_follows_a_log_replaced_by_another(tmp_path):
    log = _log(tmp_path)
    chain = audit.Chain(log)
    chain.append(_change(6), "wen")
    # a repair or a restore writes a new file in its place: here, an older copy
    yamlio.write_atomic(log, "".join(_events_text(log)[:4]))
    e = chain.append(_change(9), "wen")[0]
    assert e.seq == 5 and audit.verify(log) == []


def test_a_review_appends_after_a_change_made_beside_it(tmp_path):
    path = tmp_path / "a.claims.yaml"
    store.save(path, extract_file(SAMPLE))
    ids = [c.id for c in store.load(path).claims]
    with Review(path, "wen") as r:
        r.set_status(ids[0], "disputed")
        audit.append(r.log, [audit.Change(ids[1], "note", "", "by hand")], "li")
        r.set_status(ids[2], "verified")
    events = audit.read(audit.log_path(path)).events
    assert [(e.seq, e.reviewer) for e in events] == [(1, "wen"), (2, "li"), (3, "wen")]
    assert audit.verify(audit.log_path(path)) == []


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
