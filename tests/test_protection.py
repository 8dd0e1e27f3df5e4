"""Nothing a user has is destroyed (issue 19) and a crash's logged decisions come back (issue 18):
each hostile input or fault gives one line, the exit code, and the files on disk unchanged.

Commands run in-process (`claims.cli.main`), as a user's shell would call them."""
from __future__ import annotations

import csv
import io
import json
import os
import re
import threading
import time
from pathlib import Path

import pytest

from claims import audit, cli, store
from claims.lock import FileLock
from claims.model import Status

ARTICLE = "某市经济稳步回升\n2024年03月28日\n\n市统计局局长王建国表示，一季度全市生产总值达1.5亿元，同比增长35%。\n"


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def one_line(err: str, *needles: str) -> str:
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("claimcheck: "), err
    assert "internal error" not in err and "Traceback" not in err, err
    for n in needles:
        assert n in lines[0], (n, lines[0])
    return lines[0]


@pytest.fixture
def desk(tmp_path, capsys):
    """a.txt, its claim file, and a log of three events (a verdict with a note, a dispute)."""
    art = tmp_path / "a.txt"
    art.write_text(ARTICLE, encoding="utf-8")
    claims = tmp_path / "a.claims.yaml"
    assert cli.main(["extract", str(art), "-o", str(claims)]) == 0
    ids = [c.id for c in store.load(claims).claims]
    assert cli.main(["mark", str(claims), ids[0], "verified", "--note", "ok"]) == 0
    assert cli.main(["mark", str(claims), ids[1], "disputed"]) == 0
    capsys.readouterr()
    return art, claims, ids


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


# --- 1. -o never destroys -------------------------------------------------------------------

@pytest.mark.parametrize("command", [["audit", "export"], ["export", "--org", "X", "--review-url", "https://x"]])
@pytest.mark.parametrize("target", ["a.claims.yaml", "a.audit.yaml", "a.txt", "a.claims.yaml.lock"])
def test_an_export_never_writes_over_what_it_reads(desk, capsys, command, target):
    art, claims, _ = desk
    if target.endswith(".lock"):
        FileLock(claims, "someone").acquire()
    before = snapshot(claims.parent)
    code, _, err = run(capsys, *command, str(claims), "-o", str(claims.parent / target))
    assert code == 1
    one_line(err, target, "nothing was written")
    assert snapshot(claims.parent) == before


def test_an_export_refuses_devices_fifos_folders_and_another_file(desk, capsys, tmp_path):
    _, claims, _ = desk
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for target, needle in (("/dev/null", "is a device"), (str(fifo), "is a FIFO"), (str(tmp_path), "is a folder")):
        code, _, err = run(capsys, "audit", "export", str(claims), "-o", target)
        assert code == 1
        one_line(err, needle)
    other = tmp_path / "notes.md"
    other.write_text("my notes\n", encoding="utf-8")
    code, _, err = run(capsys, "audit", "export", str(claims), "--format", "markdown", "-o", str(other))
    assert code == 1 and other.read_text(encoding="utf-8") == "my notes\n"
    one_line(err, "was not written by `claimcheck audit export`", "--force")
    assert run(capsys, "audit", "export", str(claims), "--format", "markdown", "-o", str(other), "--force")[0] == 0
    # a report of ours is replaced without --force
    assert run(capsys, "audit", "export", str(claims), "--format", "markdown", "-o", str(other))[0] == 0


def test_extract_never_writes_over_an_article_a_log_or_a_foreign_file(desk, capsys, tmp_path):
    art, claims, _ = desk
    before = snapshot(tmp_path)
    for target in (art, audit.log_path(claims)):
        code, _, err = run(capsys, "extract", str(art), "-o", str(target))
        assert code == 1
        one_line(err, str(target))
    assert snapshot(tmp_path) == before
    foreign = tmp_path / "x.yaml"
    foreign.write_text("mine: true\n", encoding="utf-8")
    code, _, err = run(capsys, "extract", str(art), "-o", str(foreign))
    assert code == 1 and foreign.read_text(encoding="utf-8") == "mine: true\n"
    assert run(capsys, "extract", str(art), "-o", str(foreign), "--force")[0] == 0
    assert store.load(foreign).claims


# --- 2. links are followed ------------------------------------------------------------------

def test_a_claim_file_shared_by_a_link_is_changed_through_it(desk, capsys, tmp_path):
    _, claims, ids = desk
    link = tmp_path / "elsewhere" / "mine.claims.yaml"
    link.parent.mkdir()
    link.symlink_to(claims)
    assert run(capsys, "mark", str(link), ids[2], "verified")[0] == 0
    assert link.is_symlink()
    assert store.load(claims).claims[2].status == Status.verified
    assert not audit.log_path(link).exists()  # one log, beside the file the link names
    assert [e.claim for e in audit.read(audit.log_path(claims)).events][-1] == ids[2]


# --- 3. exports are safe to open and to publish ---------------------------------------------

HOSTILE_NOTE = "=HYPERLINK(\"http://evil\")</script><img src=x onerror=alert(1)>&amp;"


def test_hostile_notes_are_inert_in_every_export(desk, capsys, tmp_path):
    _, claims, ids = desk
    assert run(capsys, "mark", str(claims), ids[0], "verified", "--note", HOSTILE_NOTE)[0] == 0
    code, out, _ = run(capsys, "audit", "export", str(claims), "--format", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    cells = [c for row in rows[1:] for c in row]
    assert not any(c.startswith(("=", "+", "-", "@", "\t", "\r")) for c in cells)
    assert "'" + HOSTILE_NOTE in cells
    code, out, _ = run(capsys, "audit", "export", str(claims), "--format", "markdown")
    assert "<script" not in out and "</script>" not in out and "<img" not in out and "&lt;img" in out
    # The desk's claims share one sentence: it is published once, with one verdict (issue 16).
    assert run(capsys, "mark", str(claims), ids[1], "verified")[0] == 0
    code, out, _ = run(capsys, "export", str(claims), "--org", "X", "--review-url", "https://x")
    assert code == 0 and "<" not in out and ">" not in out and "&" not in out
    published = json.loads(out)
    assert any(r["reviewRating"].get("ratingExplanation") == HOSTILE_NOTE for r in published)
    head = published[0]["identifier"]["value"]
    assert head == f"{audit.read(audit.log_path(claims)).events[-1].hash}:5"


# --- 4. bounded reads -----------------------------------------------------------------------

def test_articles_that_are_not_regular_files_or_hold_nul_are_refused(capsys, tmp_path):
    fifo = tmp_path / "a.txt"
    os.mkfifo(fifo)
    code, _, err = run(capsys, "extract", str(fifo))
    assert code == 1
    one_line(err, "is a FIFO", "nothing was read")
    code, _, err = run(capsys, "extract", "/dev/zero")
    one_line(err, "/dev/zero: is a device")
    nul = tmp_path / "n.txt"
    nul.write_bytes(("x" * 5000 + "\n标题\n\n增长35%。").encode() + b"\x00" + "再".encode())
    code, out, err = run(capsys, "extract", str(nul), "-o", str(tmp_path / "n.claims.yaml"))
    assert code == 1 and not (tmp_path / "n.claims.yaml").exists()
    one_line(err, "n.txt:4:7: a NUL character")


def test_a_document_path_naming_a_device_is_not_read(desk, capsys):
    _, claims, _ = desk
    text = claims.read_text(encoding="utf-8")
    claims.write_text(re.sub(r"path: .*", "path: /dev/zero", text, count=1), encoding="utf-8")
    code, out, err = run(capsys, "check", str(claims))
    assert "not found; offsets not checked" in out


def test_numbers_of_thousands_of_digits_are_a_placed_error(desk, capsys):
    _, claims, _ = desk
    raw = claims.read_text(encoding="utf-8")
    claims.write_text(raw.replace("start: ", "start: " + "9" * 5000, 1), encoding="utf-8")
    code, _, err = run(capsys, "check", str(claims))
    assert code == 1
    one_line(err, f"{claims}:", "digits is too long")
    log = audit.log_path(claims)
    log.write_text(log.read_text(encoding="utf-8").replace("seq: 1", "seq: " + "9" * 5000, 1), encoding="utf-8")
    code, _, err = run(capsys, "audit", "verify", str(log))
    assert code == 1 and "digits is too long" in err and "internal error" not in err


def test_control_characters_in_file_names_never_reach_the_terminal(capsys, tmp_path):
    code, _, err = run(capsys, "extract", str(tmp_path / "evil\x1b]0;pwned\x07.txt"))
    assert code == 1 and "\x1b" not in err and "\x07" not in err
    one_line(err, "evil\\x1b]0;pwned\\x07.txt")


def test_a_full_standard_output_is_one_line(capsys, tmp_path, monkeypatch):
    art = tmp_path / "a.txt"
    art.write_text(ARTICLE, encoding="utf-8")

    class Full(io.StringIO):
        def write(self, s):
            raise OSError(28, "No space left on device")

    monkeypatch.setattr("sys.stdout", Full())
    code = cli.main(["extract", str(art)])
    err = capsys.readouterr().err
    assert code == 1
    one_line(err, "standard output: cannot write (No space left on device)")


# --- 5. the claim file vouches for its log ---------------------------------------------------

def _cut_last_event(log: Path) -> None:
    raw = log.read_text(encoding="utf-8")
    log.write_text(raw[: raw.rindex("---\n")], encoding="utf-8")


@pytest.mark.parametrize("damage,needle", [
    (_cut_last_event, "holds 2 events, but"),
    (lambda log: log.write_text("", encoding="utf-8"), "holds 0 events, but"),
    (lambda log: log.unlink(), "missing, but"),
])
def test_a_log_that_lost_history_is_named_and_nothing_acts_on_it(desk, capsys, damage, needle):
    _, claims, ids = desk
    damage(audit.log_path(claims))
    before = snapshot(claims.parent)
    for args in (["mark", str(claims), ids[2], "verified"], ["audit", "export", str(claims)],
                 ["export", str(claims), "--org", "X", "--review-url", "https://x"]):
        code, _, err = run(capsys, *args)
        assert code == 1, args
        assert needle in err and str(claims) in err and "audit verify" in err, err
    code, _, err = run(capsys, "audit", "verify", str(claims))
    assert code == 1 and needle in err
    assert snapshot(claims.parent) == before


def test_a_log_replaced_by_another_is_named(desk, capsys, tmp_path):
    _, claims, ids = desk
    other = tmp_path / "b.claims.yaml"
    store.save(other, store.load(claims).model_copy(update={"audit": None}))
    for _ in range(3):  # another file's log, as long as this one's
        assert run(capsys, "mark", str(other), ids[3], "verified")[0] == 0
        assert run(capsys, "mark", str(other), ids[3], "pending")[0] == 0
    os.replace(audit.log_path(other), audit.log_path(claims))
    code, _, err = run(capsys, "mark", str(claims), ids[2], "verified")
    assert code == 1 and "is not the one" in err and "replaced or rewritten" in err


def test_a_hand_edit_of_the_claim_file_is_reported_with_the_claim(desk, capsys):
    _, claims, ids = desk
    raw = claims.read_text(encoding="utf-8")
    claims.write_text(raw.replace("status: disputed", "status: verified", 1), encoding="utf-8")
    code, _, err = run(capsys, "mark", str(claims), ids[2], "verified")
    assert code == 1
    one_line(err, f"claims[1] {ids[1]}: status is verified, but the audit log says disputed")
    code, _, err = run(capsys, "audit", "verify", str(claims))
    assert code == 1 and "status is verified, but the audit log says disputed" in err


def test_mark_does_not_read_the_whole_log(desk, capsys, monkeypatch):
    _, claims, ids = desk
    calls = []
    real = audit._parse
    monkeypatch.setattr(audit, "_parse", lambda data, path: calls.append(len(data)) or real(data, path))
    for _ in range(30):  # a log long enough not to fit the first piece read from its end
        assert run(capsys, "mark", str(claims), ids[0], "pending", "--note", "x" * 4000)[0] == 0
        assert run(capsys, "mark", str(claims), ids[0], "verified", "--note", "y" * 4000)[0] == 0
    size = audit.log_path(claims).stat().st_size
    calls.clear()
    assert run(capsys, "mark", str(claims), ids[2], "verified")[0] == 0
    assert calls and max(calls) < size / 2  # only the log's end was read


# --- issue 18: roll forward, head ------------------------------------------------------------

def test_a_decision_logged_but_not_saved_is_rolled_forward_in_one_line(desk, capsys):
    _, claims, ids = desk
    # what a crash between the append and the save leaves: the log has it, the file does not
    audit.append(audit.log_path(claims), [audit.Change(ids[3], "status", "pending", "verified")], "night desk")
    code, out, err = run(capsys, "check", str(claims))
    assert code == 0
    one_line(err, "recovered 1 logged decision", str(audit.log_path(claims)))
    c = store.load(claims).claims[3]
    assert c.status == Status.verified and c.reviewed_by == "night desk"
    assert run(capsys, "audit", "verify", str(claims))[0] == 0


def test_a_read_only_opening_reports_what_waits_and_changes_nothing(desk, capsys):
    _, claims, ids = desk
    audit.append(audit.log_path(claims), [audit.Change(ids[3], "status", "pending", "verified")], "night desk")
    lock = FileLock(claims, "editor")
    lock.acquire()
    try:
        before = claims.read_bytes()
        code, _, err = run(capsys, "audit", "export", str(claims))
        assert code == 1 and "1 logged changes are not in the claim file yet" in err and "audit verify" in err
        code, _, err = run(capsys, "audit", "verify", str(claims))
        assert "not in the claim file yet" in err and "rolled forward when it is next opened" in err
        assert claims.read_bytes() == before
    finally:
        lock.release()


def test_audit_head_anchors_the_history(desk, capsys):
    _, claims, ids = desk
    code, out, _ = run(capsys, "audit", "head", str(claims))
    head, count = out.split()
    assert code == 0 and count == "3" and re.fullmatch(r"[0-9a-f]{64}", head)
    assert run(capsys, "mark", str(claims), ids[2], "verified")[0] == 0
    code, out, _ = run(capsys, "audit", "verify", "--head", head, str(claims))
    assert code == 0 and f"starts with the history of {head[:12]}" in out
    # someone rewrites the history and recomputes every hash: the anchor no longer matches
    log = audit.log_path(claims)
    events = audit.read(log).events
    log.unlink()
    audit.append(log, [audit.Change(e.claim, e.field, e.old, "verified" if e.field == "status" else e.new)
                       for e in events], "forger")
    code, _, err = run(capsys, "audit", "verify", "--head", head, str(log))
    assert code == 1 and "no event has the head hash" in err


def test_verify_on_a_folder_says_not_reviewed_yet_once(capsys, tmp_path):
    for i in range(3):
        art = tmp_path / f"a{i}.txt"
        art.write_text(ARTICLE, encoding="utf-8")
        assert cli.main(["extract", str(art), "-o", str(tmp_path / f"a{i}.claims.yaml")]) == 0
    capsys.readouterr()
    code, out, err = run(capsys, "audit", "verify", str(tmp_path))
    assert code == 0 and out.strip() == f"{tmp_path}: 3 claim files not reviewed yet (no audit log)"


# --- 6. contention and leftovers -------------------------------------------------------------

def test_mark_wait_waits_for_the_lock(desk, capsys):
    _, claims, ids = desk
    lock = FileLock(claims, "editor")
    lock.acquire()
    code, _, err = run(capsys, "mark", str(claims), ids[2], "verified")
    assert code == 1 and "being reviewed by" in err
    threading.Timer(0.5, lock.release).start()
    t0 = time.monotonic()
    code, _, err = run(capsys, "mark", str(claims), ids[2], "verified", "--wait", "10")
    assert code == 0 and time.monotonic() - t0 >= 0.4
    assert store.load(claims).claims[2].status == Status.verified


def test_temporaries_of_a_killed_save_are_swept_by_the_next_save(desk, capsys):
    _, claims, ids = desk
    folder = claims.parent
    old = folder / f".{claims.name}.k2j4h6g8.tmp"
    young = folder / f".{claims.name}.a1b2c3d4.tmp"
    foreign = folder / ".notes.tmp"
    for p in (old, young, foreign):
        p.write_text("x", encoding="utf-8")
    past = time.time() - 600
    os.utime(old, (past, past))
    os.utime(foreign, (past, past))
    assert run(capsys, "mark", str(claims), ids[2], "verified")[0] == 0
    assert not old.exists() and young.exists() and foreign.exists()


# --- issue 13 item 7: one bad value repeated is reported short ------------------------------

def test_a_bad_value_in_every_claim_is_reported_in_two_lines(desk, capsys):
    _, claims, _ = desk
    raw = claims.read_text(encoding="utf-8")
    n = raw.count("status: pending")
    claims.write_text(raw.replace("status: pending", "status: maybe").replace("status: verified", "status: maybe"),
                      encoding="utf-8")
    code, _, err = run(capsys, "check", str(claims))
    lines = err.splitlines()
    assert code == 1 and len(lines) == 2, err
    assert re.search(rf"{re.escape(str(claims))}:\d+:\d+: claims\[0\]\.status: Input should be", lines[0])
    assert lines[1] == f"claimcheck: and {n} more like it"


def test_a_ui_whose_terminal_hangs_up_releases_its_lock(desk):
    """The review UI in a real pseudo-terminal; SIGHUP as when an SSH connection drops."""
    import pty
    import signal
    import sys

    _, claims, _ = desk
    lock = claims.with_name(claims.name + ".lock")
    pid, fd = pty.fork()
    if pid == 0:  # the child: the UI on the pty
        os.execv(sys.executable, [sys.executable, "-m", "claims.cli", "review", str(claims), "--reviewer", "x"])
    try:
        deadline = time.monotonic() + 60
        while not lock.exists() and time.monotonic() < deadline:
            try:
                os.read(fd, 65536)  # keep the pty drained, as a terminal would
            except OSError:
                break
            time.sleep(0.05)
        assert lock.exists(), "the UI never took the lock"
        os.kill(pid, signal.SIGHUP)
        _, status = os.waitpid(pid, 0)
        assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 128 + signal.SIGHUP
        assert not lock.exists()
    finally:
        os.close(fd)
