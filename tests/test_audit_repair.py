"""`audit repair` cuts off what a crash left after the last whole change, and nothing else.

An append writes `---\\n` + event (+ `---\\n` + event ...), one change (a status with its note)
in one append. A crash can stop it after any byte: the logs here are torn at every byte of
their last append, and every tear must keep each change written in full and none of one cut
short (no half of a decision), name the line where the torn tail begins, and repair to a log
that verifies. Logs written before the events of one append were marked as one still read.
"""
from __future__ import annotations

import re

import pytest

from claims import audit

BATCHES = {
    "one event": [audit.Change("q4", "status", "pending", "disputed")],
    "three events, multi-line text": [
        audit.Change("q4", "note", "", "核实：见公告\n第二行 --- 不是分隔\n---\n"),
        audit.Change("q4", "evidence", [], ["https://example.cn/a", "- 不是条目"]),
        audit.Change("q5", "status", "pending", "verified"),
    ],
}


def _log(tmp_path, batch, newline="\n"):
    """A log of three events, then `batch` appended: (path, bytes before, bytes after, hash ends)."""
    log = tmp_path / "a.audit.yaml"
    for i in range(1, 4):
        audit.append(log, [audit.Change(f"q{i}", "status", "pending", "verified")], "wen")
    before = log.read_bytes()
    audit.append(log, batch, "温婷")
    after = log.read_bytes()
    if newline != "\n":
        before, after = before.replace(b"\n", newline.encode()), after.replace(b"\n", newline.encode())
        log.write_bytes(after)
        assert audit.verify(log) == []
    # where each appended event's hash, its last field, ends: from there on it is whole
    hash_ends = [m.end() for m in re.finditer(rb"^hash: '?[0-9a-f]{64}'?", after, re.M) if m.start() >= len(before)]
    assert len(hash_ends) == len(batch)
    return log, before, after, hash_ends


def _torn_line(log, problem: str) -> int:
    m = re.match(rf"{re.escape(str(log))}:(\d+): ", problem)
    assert m, problem
    return int(m.group(1))


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize("batch", list(BATCHES))
def test_a_tear_at_any_byte_of_an_append_keeps_every_whole_change_and_no_part_of_one(tmp_path, batch, newline):
    log, before, after, hash_ends = _log(tmp_path, BATCHES[batch], newline)
    nl = len(newline)
    clean = {len(before), hash_ends[-1] + nl}
    for k in range(len(before), len(after) + 1):
        torn = after[:k]
        log.write_bytes(torn)
        done = k >= hash_ends[-1]  # the change is whole once its last event is
        whole = 3 + len(hash_ends) * done
        dropped = 0 if done else sum(k >= e for e in hash_ends)  # whole events of the change cut short
        state = audit.read(log)
        assert [e.seq for e in state.events] == list(range(1, whole + 1)), (k, torn[len(before):])
        problems = audit.verify(log)
        if k in clean:
            assert problems == [] and state.torn is None, (k, problems)
            assert audit.repair(log) is None and log.read_bytes() == torn
            continue
        keep = f"keep the {whole} events before it" if dropped else f"keep all {whole} whole events"
        assert problems == [state.torn] and keep in state.torn, (k, problems)
        assert ("unfinished, " in state.torn) == bool(dropped), (k, state.torn)
        # the line named is where the torn tail begins (or the last line, when only its newline is missing)
        kept = torn[: state.good_bytes]
        line, kept_lines = _torn_line(log, state.torn), len(kept.splitlines())
        if torn[state.good_bytes :].strip():
            assert line > kept_lines and torn.splitlines()[line - 1].strip(), (k, state.torn)
        else:
            assert line == kept_lines, (k, state.torn)

        backup = audit.repair(log)
        assert backup and open(backup, "rb").read() == torn
        repaired = log.read_bytes()
        assert repaired in (kept, kept + b"\n") and repaired.endswith(b"\n")  # only the torn tail went
        assert audit.verify(log) == [] and len(audit.read(log).events) == whole, k
        audit.append(log, [audit.Change("q9", "note", "", "修复后")], "wen")
        assert audit.verify(log) == [] and audit.read(log).events[-1].seq == whole + 1


@pytest.mark.parametrize("tail", ["-", "--", "---", "---\n", "--- ", "-- \n", "---\r\n", "  ", "\n  ", "\n---", "\t"])
def test_a_torn_separator_is_cut_and_the_last_event_kept(tmp_path, tail):
    """A log that ends in part of a separator (`printf -- '--' >> a.audit.yaml`): only that part
    is torn off; the whole event before it is kept."""
    log, _, _, _ = _log(tmp_path, [])
    intact = log.read_bytes()
    log.write_bytes(intact + tail.encode())
    problems = audit.verify(log)
    assert len(problems) == 1 and len(audit.read(log).events) == 3
    line = _torn_line(log, problems[0])
    assert line == len(intact.splitlines()) + 1 + (tail.startswith("\n"))  # the tail's line, not event 3's
    assert "`claimcheck audit repair` will cut off the last" in problems[0] and "keep all 3 whole events" in problems[0]
    assert audit.repair(log)
    assert log.read_bytes() == intact and audit.verify(log) == []


def test_a_last_event_without_its_newline_is_kept(tmp_path):
    log, _, _, _ = _log(tmp_path, [])
    intact = log.read_bytes()
    log.write_bytes(intact[:-1])
    state = audit.read(log)
    assert len(state.events) == 3 and "the last event has no final newline" in state.torn
    assert _torn_line(log, state.torn) == len(intact.splitlines())
    with pytest.raises(audit.FileError, match="audit repair"):  # `---` must not be glued to its hash
        audit.append(log, [audit.Change("q9", "note", "", "x")], "wen")
    assert audit.repair(log) and log.read_bytes() == intact and audit.verify(log) == []
    log.write_bytes(intact + b"\n\n")  # blank lines after it, though, are no tear
    assert audit.verify(log) == [] and audit.repair(log) is None and log.read_bytes() == intact + b"\n\n"


def test_a_whole_event_after_a_torn_one_is_never_cut(tmp_path):
    """A torn event, then a whole one glued to it (its `---` lost in the torn line): not a tear
    that repair may cut, because cutting it would delete the whole event."""
    log, _, after, _ = _log(tmp_path, [audit.Change("q4", "status", "pending", "disputed")])
    last = after.rindex(b"---\n")
    damaged = after[:last] + b"---\nseq: 4\ntime: '20" + after[last:]
    log.write_bytes(damaged)
    with pytest.raises(audit.FileError, match="event seq 4 is whole"):
        audit.verify(log)
    with pytest.raises(audit.FileError, match="mend it by hand"):
        audit.repair(log)
    assert log.read_bytes() == damaged and not list(tmp_path.glob("*.torn-*"))


def test_a_byte_that_is_not_utf8_before_the_tear_is_kept_exactly(tmp_path):
    log, _, after, _ = _log(tmp_path, [audit.Change("q4", "note", "", "核实：见公告")])
    bad = after.replace("公告".encode(), b"\xe5\x85\xff\xe5\x91\x8a")  # damaged by hand: event 4 no longer matches its hash
    log.write_bytes(bad + b"---\nseq: 5\nti")
    assert len(audit.read(log).events) == 4
    assert audit.repair(log)
    assert log.read_bytes() == bad  # every byte before the tear, the odd one too
    assert audit.verify(log) == [f"{log}: event 4 (seq 4): content does not match its hash (edited)"]


def test_two_repairs_keep_two_copies(tmp_path):
    log, _, _, _ = _log(tmp_path, [])
    intact = log.read_bytes()
    copies = []
    for tail in (b"--", b"---\nseq: 4\n"):
        log.write_bytes(intact + tail)
        copies.append(audit.repair(log))
    assert len(set(copies)) == 2  # within the same second too: the first copy is not overwritten
    assert [open(c, "rb").read() for c in copies] == [intact + b"--", intact + b"---\nseq: 4\n"]


# A log as claimcheck wrote it before `more` (two events of one append, neither marked).
OLD_LOG = (
    "---\nseq: 1\ntime: '2025-03-01T08:30:00Z'\nreviewer: 温婷\nclaim: q1\nfield: status\nold: pending\n"
    "new: verified\nprev: '0000000000000000000000000000000000000000000000000000000000000000'\n"
    "hash: 2fe71037fe6e1679dd36907fe0a3a15785fc5a43d59df97fc0bca2462d80d553\n"
    "---\nseq: 2\ntime: '2025-03-01T08:30:00Z'\nreviewer: 温婷\nclaim: q1\nfield: note\nold: ''\nnew: 见公告\n"
    "prev: 2fe71037fe6e1679dd36907fe0a3a15785fc5a43d59df97fc0bca2462d80d553\n"
    "hash: ec5bbfeecee7fcfaf09b0cb5f92da0ac15de302419216c7c6926ae44d9eb8bac\n"
)


def test_a_log_written_before_changes_were_marked_verifies_replays_and_grows(tmp_path):
    from claims import agreement

    log = tmp_path / "a.audit.yaml"
    log.write_text(OLD_LOG, encoding="utf-8")
    assert audit.verify(log) == []
    events = audit.read(log).events
    assert [e.more for e in events] == [None, None]
    assert agreement.replay(events)["q1"].values == {"status": "verified", "note": "见公告"}
    appended = audit.append(log, [audit.Change("q2", "status", "pending", "disputed"),
                                  audit.Change("q2", "note", "", "无出处")], "wen")
    assert [e.more for e in appended] == [1, 0] and audit.verify(log) == []
    assert log.read_text(encoding="utf-8").startswith(OLD_LOG)  # the old events are left as they were
    single = audit.append(log, [audit.Change("q3", "status", "pending", "verified")], "wen")
    assert single[0].more is None and "more:" not in log.read_text(encoding="utf-8").split("---\n")[-1]
    # the old log torn in its last event: its first event is kept, as before (nothing marks them one)
    log.write_text(OLD_LOG[:-30], encoding="utf-8")
    assert [e.seq for e in audit.read(log).events] == [1] and "keep all 1 whole event" in audit.read(log).torn


@pytest.mark.parametrize("edit", [("more: 1\n", "more: 0\n"), ("more: 1\n", "")])
def test_an_edited_or_removed_mark_of_one_change_breaks_the_chain(tmp_path, edit):
    log = tmp_path / "a.audit.yaml"
    audit.append(log, [audit.Change("q1", "status", "pending", "verified"), audit.Change("q1", "note", "", "x")], "wen")
    text = log.read_text(encoding="utf-8")
    assert text.count("more: 1\n") == 1 and text.count("more: 0\n") == 1
    log.write_text(text.replace(*edit), encoding="utf-8")
    assert audit.verify(log) == [f"{log}: event 1 (seq 1): content does not match its hash (edited)"]


def test_a_change_cut_after_its_first_event_is_cut_back_whole_and_the_log_grows_again(tmp_path):
    """`mark ID disputed --note ...` killed after the status event was written in full: the
    status must not be kept without its note (the next open would roll it forward alone)."""
    log = tmp_path / "a.audit.yaml"
    audit.append(log, [audit.Change("q1", "status", "pending", "verified")], "wen")
    intact = log.read_bytes()
    audit.append(log, [audit.Change("q2", "status", "pending", "disputed"), audit.Change("q2", "note", "", "无出处"),
                       audit.Change("q2", "evidence", [], ["https://example.cn/a"])], "wen")
    raw = log.read_bytes()
    second = raw.index(b"---\n", len(intact) + 1)  # the note's event: the status's is whole before it
    log.write_bytes(raw[:second])
    state = audit.read(log)
    assert [e.seq for e in state.events] == [1]
    assert state.torn.startswith(f"{log}:{len(intact.splitlines()) + 1}: the last change is unfinished, "
                                 "1 of its 3 events written")
    assert "(with the 1 event of the unfinished change) and keep the 1 event before it" in state.torn
    tail = audit.tail(log, 1)
    assert tail.torn == state.torn and [e.seq for e in tail.events] == [1]
    with pytest.raises(audit.FileError, match="audit repair"):
        audit.append(log, [audit.Change("q9", "note", "", "x")], "wen")
    assert audit.repair(log) and log.read_bytes() == intact and audit.verify(log) == []
    assert audit.append(log, [audit.Change("q2", "note", "", "重记")], "wen")[0].seq == 2
