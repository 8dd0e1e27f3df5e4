"""Bad input, faults and hostile text, as a user meets them (issue 6).

Every case goes through `claimcheck`: the exit code, one line on standard error that names the
file (and the line and column where there is one), never a traceback; then the files on disk
are checked: a refused file is left byte for byte as it was, and nothing else appears.
"""
from __future__ import annotations

import codecs
import errno
import io
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import textwrap
import unicodedata
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
import regex
import yaml

from claims import audit, cli, store, yamlio
from claims.assemble import extract_file
from claims.lock import FileLock, lock_path
from claims.model import Status

from .conftest import ROOT, run_cli

ARTICLE = "某市经济稳步回升\n2024年03月28日\n\n市统计局局长王建国表示，一季度全市生产总值达1.5亿元，同比增长35%。\n"
TRIGGERS = ["王建国表示", "一季度", "1.5亿元", "35%"]
TRAD = "某縣經濟穩步回升\n2024年03月28日\n\n縣統計局局長王建國表示，一季度全縣生產總值達1.5億元，同比增長35%。\n"
TRAD_TRIGGERS = ["王建國表示", "一季度", "1.5億元", "35%"]


# --- helpers ------------------------------------------------------------------------------


def one_line(r: subprocess.CompletedProcess, *needles: str) -> str:
    """The single `claimcheck: ...` line of a refusal, checked for each needle; no traceback."""
    err = r.stderr.decode("utf-8")
    assert r.returncode == 1, (r.returncode, err)
    assert "Traceback" not in err and "internal error" not in err, err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("claimcheck: "), err
    for n in needles:
        assert n in lines[0], (n, lines[0])
    return lines[0]


def files(folder: Path) -> dict[str, bytes]:
    """Every file under a folder with its bytes: to show that nothing changed or appeared."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def line_of(raw: str, needle: str, nth: int = 0) -> int:
    """1-based number of the line holding the nth occurrence of needle."""
    at = -1
    for _ in range(nth + 1):
        at = raw.index(needle, at + 1)
    return raw.count("\n", 0, at) + 1


def main(*args: str) -> tuple[int, str]:
    """The CLI in this process (for faults simulated with monkeypatch): exit code and stderr."""
    err, out = io.StringIO(), io.StringIO()
    with redirect_stderr(err), redirect_stdout(out):
        code = cli.main(list(args))
    return code, err.getvalue()


def one_line_in_process(code: int, err: str, *needles: str) -> str:
    return one_line(subprocess.CompletedProcess([], code, b"", err.encode("utf-8")), *needles)


@pytest.fixture
def article(tmp_path) -> Path:
    art = tmp_path / "a.txt"
    art.write_text(ARTICLE, encoding="utf-8")
    return art


@pytest.fixture
def claims(article) -> Path:
    """a.txt and its claim file a.claims.yaml (as `claimcheck extract a.txt -o a.claims.yaml` writes it)."""
    out = article.with_name("a.claims.yaml")
    store.save(out, extract_file(article))
    return out


def first_id(path: Path) -> str:
    return store.load(path).claims[0].id


# Unreadable files and read-only folders: as root, permissions do not stop anything, so the
# CLI runs as `nobody` (the rule packs and lazy imports are loaded first, while /root, where
# Python lives here, can still be read).
AS_NOBODY = textwrap.dedent(
    """
    import os, sys
    from claims import cli
    from claims.rules import load_rules
    load_rules()
    os.setgroups([])
    os.setgid(65534)
    os.setuid(65534)
    sys.exit(cli.main(sys.argv[1:]))
    """
)


def run_unprivileged(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    if os.geteuid() != 0:
        return run_cli(*args)
    return subprocess.run([sys.executable, "-c", AS_NOBODY, *args], capture_output=True, cwd=cwd)


@pytest.fixture
def open_dir():
    """A folder that an unprivileged user can enter (pytest's tmp_path is private to root)."""
    d = Path(tempfile.mkdtemp(prefix="claimcheck-faults-"))
    d.chmod(0o755)
    yield d
    for p in [d, *d.rglob("*")]:
        p.chmod(0o755 if p.is_dir() else 0o644)
    shutil.rmtree(d)


# --- 1. articles --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data,text,recorded,triggers",
    [
        (ARTICLE.encode("utf-8"), ARTICLE, "utf-8", TRIGGERS),
        (ARTICLE.encode("utf-8-sig"), ARTICLE, "utf-8-sig", TRIGGERS),
        (codecs.BOM_UTF16_LE + ARTICLE.encode("utf-16-le"), ARTICLE, "utf-16", TRIGGERS),
        (codecs.BOM_UTF16_BE + ARTICLE.encode("utf-16-be"), ARTICLE, "utf-16", TRIGGERS),
        (ARTICLE.encode("gb18030"), ARTICLE, "gb18030", TRIGGERS),
        (TRAD.encode("big5"), TRAD, "big5hkscs", TRAD_TRIGGERS),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le-bom", "utf-16-be-bom", "gb18030", "big5"],
)
def test_article_encodings_are_decoded_and_recorded(tmp_path, data, text, recorded, triggers):
    art, out = tmp_path / "a.txt", tmp_path / "a.claims.yaml"
    art.write_bytes(data)
    r = run_cli("extract", str(art), "-o", str(out))
    assert r.returncode == 0 and r.stderr == b"", r.stderr
    cf = store.load(out)
    assert cf.document.encoding == recorded
    assert [c.trigger.text for c in cf.claims] == triggers
    # offsets are code points into the text as decoded (a BOM is not part of it)
    assert all(text[c.trigger.start : c.trigger.end] == c.trigger.text for c in cf.claims)
    assert all(text[c.span.start : c.span.end] == c.text for c in cf.claims)
    r = run_cli("check", str(out))
    assert r.returncode == 0 and b"offsets match" in r.stdout, r.stderr


def test_crlf_line_ends_keep_offsets_true(tmp_path):
    lf, crlf = tmp_path / "lf.txt", tmp_path / "crlf.txt"
    lf.write_bytes(ARTICLE.encode())
    crlf.write_bytes(ARTICLE.replace("\n", "\r\n").encode())
    for art in (lf, crlf):
        assert run_cli("extract", str(art), "-o", str(art.with_suffix(".claims.yaml"))).returncode == 0
    a, b = store.load(tmp_path / "lf.claims.yaml"), store.load(tmp_path / "crlf.claims.yaml")
    text = ARTICLE.replace("\n", "\r\n")
    assert [c.trigger.text for c in b.claims] == TRIGGERS
    for c_lf, c in zip(a.claims, b.claims):
        assert text[c.trigger.start : c.trigger.end] == c.trigger.text
        assert text[c.span.start : c.span.end] == c.text
        # each \r before the claim moves it one code point on, and nothing else does
        assert c.trigger.start == c_lf.trigger.start + ARTICLE.count("\n", 0, c_lf.trigger.start)
    assert run_cli("check", str(tmp_path / "crlf.claims.yaml")).returncode == 0


@pytest.mark.parametrize("data", [b"", b"\n \r\n\t\n"], ids=["empty", "blank"])
def test_an_empty_article_is_refused(tmp_path, data):
    art = tmp_path / "a.txt"
    art.write_bytes(data)
    one_line(run_cli("extract", str(art)), f"{art}: the article is empty")
    one_line(run_cli("extract", str(art), "-o", str(tmp_path / "a.claims.yaml")), f"{art}: the article is empty")
    assert files(tmp_path) == {"a.txt": data}


@pytest.mark.parametrize(
    "data,says",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01", "looks like a binary file (NUL bytes), not a text article"),
        (bytes(range(0x80, 0x100)) * 4, "not UTF-8 (byte 0), and not GB18030 or Big5 Chinese text either"),
        (codecs.BOM_UTF8 + b"\xff\xfe\xfd", "starts with a UTF-8 byte-order mark but byte 3 is not UTF-8 (invalid start byte)"),
    ],
    ids=["png", "undecodable", "bad-after-bom"],
)
def test_a_binary_article_is_refused(tmp_path, data, says):
    art = tmp_path / "a.txt"
    art.write_bytes(data)
    one_line(run_cli("extract", str(art), "-o", str(tmp_path / "a.claims.yaml")), f"{art}: {says}")
    assert files(tmp_path) == {"a.txt": data}


def test_a_folder_where_a_file_is_expected(tmp_path, claims):
    folder = tmp_path / "folder"
    folder.mkdir()
    before = files(tmp_path)
    one_line(run_cli("check", str(folder)), f"{folder}: is a folder, not a file")
    one_line(run_cli("mark", str(folder), "q1", "verified"), f"{folder}: is a folder, not a file")
    one_line(run_cli("extract", str(folder), "-o", str(tmp_path / "x.claims.yaml")),
             f"{folder}: no articles (*.txt, *.html, *.docx) in this folder")
    assert files(tmp_path) == before  # no lock, log or claim file appeared beside the folder


def test_several_articles_onto_one_existing_claim_file_is_refused(tmp_path, claims):
    other = tmp_path / "b.txt"
    other.write_text(ARTICLE, encoding="utf-8")
    before = files(tmp_path)
    one_line(run_cli("extract", str(claims.with_name("a.txt")), str(other), "-o", str(claims)), f"{claims}:")
    assert files(tmp_path) == before


def test_a_missing_file(tmp_path):
    gone = tmp_path / "gone.txt"
    one_line(run_cli("extract", str(gone)), f"{gone}: no such file")
    one_line(run_cli("extract", str(gone), "-o", str(tmp_path / "c.yaml")), f"{gone}: no such file")
    one_line(run_cli("check", str(tmp_path / "gone.yaml")), f"{tmp_path / 'gone.yaml'}: no such file")
    one_line(run_cli("mark", str(tmp_path / "gone.yaml"), "q1", "verified"), f"{tmp_path / 'gone.yaml'}: no such file")
    assert files(tmp_path) == {}  # mark left no lock and no audit log behind


def test_an_unreadable_file(open_dir):
    art = open_dir / "a.txt"
    art.write_text(ARTICLE, encoding="utf-8")
    out = open_dir / "a.claims.yaml"
    assert run_cli("extract", str(art), "-o", str(out)).returncode == 0
    before = files(open_dir)
    art.chmod(0)
    out.chmod(0)
    try:
        one_line(run_unprivileged("extract", str(art)), f"{art}: cannot read: Permission denied")
        one_line(run_unprivileged("check", str(out)), f"{out}: cannot read: Permission denied")
        one_line(run_unprivileged("mark", str(out), "q1", "verified"), f"{out}: cannot read: Permission denied")
    finally:
        art.chmod(0o644)
        out.chmod(0o644)
    assert files(open_dir) == before


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to run as another user")
def test_a_settings_folder_that_cannot_be_looked_in_is_passed_over(open_dir, tmp_path, monkeypatch):
    """A config folder of another user (sudo -u keeps $XDG_CONFIG_HOME): every command runs,
    its settings unread, and `claimcheck config` says where it did not look."""
    private = tmp_path / "someone-else"
    (private / "claimcheck").mkdir(parents=True)
    (private / "claimcheck" / "claimcheck.toml").write_text('reviewer = "别人"\n', encoding="utf-8")
    private.chmod(0o700)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(private))
    art = open_dir / "a.txt"
    art.write_text(ARTICLE, encoding="utf-8")
    r = run_unprivileged("extract", str(art), cwd=open_dir)
    assert r.returncode == 0, r.stderr.decode()
    r = run_unprivileged("config", cwd=open_dir)
    out = r.stdout.decode()
    assert r.returncode == 0, r.stderr.decode()
    assert f"# not looked in (permission denied): {private / 'claimcheck'}" in out and "别人" not in out, out


def test_an_unreadable_claimcheck_toml_is_one_line_naming_it(open_dir):
    """One that is there but cannot be read stops the commands that take settings, in one line
    naming it; the others run."""
    art, out, toml = open_dir / "a.txt", open_dir / "a.claims.yaml", open_dir / "claimcheck.toml"
    art.write_text(ARTICLE, encoding="utf-8")
    assert run_cli("extract", str(art), "-o", str(out)).returncode == 0
    toml.write_text('reviewer = "夜班"\n', encoding="utf-8")
    toml.chmod(0)
    try:
        one_line(run_unprivileged("extract", str(art), "-o", str(out), cwd=open_dir),
                 f"{toml}: cannot read: Permission denied")
        one_line(run_unprivileged("config", cwd=open_dir), f"{toml}: cannot read: Permission denied")
        r = run_unprivileged("check", str(out), cwd=open_dir)  # takes no settings
        assert r.returncode == 0, r.stderr.decode()
    finally:
        toml.chmod(0o644)


def test_audit_repair_says_what_it_cut(claims):
    """A change of two events (a status and its note) cut after its first whole event: repair
    cuts that whole event too, and its line says so, not "every whole event kept"."""
    cid = first_id(claims)
    assert run_cli("mark", str(claims), cid, "verified", "--reviewer", "夜班").returncode == 0
    assert run_cli("mark", str(claims), cid, "disputed", "--note", "数字不符", "--reviewer", "夜班").returncode == 0
    log = audit.log_path(claims)
    raw = log.read_bytes()
    log.write_bytes(raw[: raw.rindex(b"---\n")])  # the note's event lost: the status's is whole, alone
    r = run_cli("audit", "repair", str(log))
    assert r.returncode == 0, r.stderr.decode()
    (line,) = r.stdout.decode().splitlines()
    assert line.startswith(f"{log}: repaired (the last change is unfinished, 1 of its 2 events written): cut off "
                           "the last "), line
    assert "(with the 1 event of the unfinished change) and kept the 1 event before it; the file as it was is " \
           "kept as " in line and "every whole event" not in line, line
    assert [e.field for e in audit.read(log).events] == ["status"]
    # part of one event: nothing whole is cut
    with log.open("ab") as f:
        f.write(b"---\nseq: 2\ntime: 2026")
    line = run_cli("audit", "repair", str(log)).stdout.decode()
    assert line.startswith(f"{log}: repaired (the last event is incomplete): cut off the last ")
    assert "and kept all 1 whole event; the file as it was is kept as " in line, line


# --- 2. claim files -----------------------------------------------------------------------


def replace_nth(raw: str, old: str, new: str, n: int) -> str:
    parts = raw.split(old)
    return old.join(parts[: n + 1]) + new + old.join(parts[n + 1 :])


def _malformed(raw: str) -> tuple[str, str]:
    n = line_of(raw, "  kind: ", 1)
    return replace_nth(raw, "  kind: ", "  kind: : ", 1), f":{n}:9: mapping values are not allowed in this context"


def _unknown_status(raw: str) -> tuple[str, str]:
    n = line_of(raw, "status: pending", 2)
    return (replace_nth(raw, "status: pending", "status: maybe", 2),
            f":{n}:11: claims[2].status: Input should be 'pending', 'verified', 'disputed' or 'dismissed'")


def _duplicate_id(raw: str) -> tuple[str, str]:
    ids = re.findall(r"^- id: (\S+)$", raw, re.M)
    n = line_of(raw, f"- id: {ids[2]}")
    return raw.replace(f"- id: {ids[2]}\n", f"- id: {ids[0]}\n"), f":{n}:7: claims[2].id: duplicate id '{ids[0]}' (claims[0] has it too)"


def _control_character(raw: str) -> tuple[str, str]:
    n = line_of(raw, '  note: ""')
    return raw.replace('  note: ""', '  note: "a\x07b"', 1), f":{n}:11: character U+0007 cannot be in a YAML file"


CLAIM_FILE_FAULTS = {
    "malformed-yaml": _malformed,
    "future-schema": lambda raw: (raw.replace("schema: 3\n", "schema: 4\n", 1),
                                  ":1:9: schema: version 4 is newer than this claimcheck understands (3); upgrade claimcheck"),
    "schema-zero": lambda raw: (raw.replace("schema: 3\n", "schema: 0\n", 1),
                                ":1:9: schema: version 0 does not exist (this claimcheck reads versions 1 to 3)"),
    "schema-string": lambda raw: (raw.replace("schema: 3\n", "schema: '3'\n", 1), ":1:9: schema: Input should be a valid integer"),
    "unknown-status": _unknown_status,
    "duplicate-id": _duplicate_id,
    "duplicate-key": lambda raw: (raw.replace("schema: 3\n", "schema: 3\nschema: 3\n", 1), ":2:1: duplicate key 'schema'"),
    "alias": lambda raw: (raw.replace('  note: ""', '  note: &n ""', 1).replace('  note: ""', "  note: *n", 1),
                          f":{line_of(raw, '  note: ')}:9: YAML aliases are not allowed here"),
    "control-character": _control_character,
    "empty": lambda raw: ("", ": not a claim file (expected a mapping with schema, document and claims)"),
}
COMMANDS = {
    "check": lambda p, art: ("check", str(p)),
    "mark": lambda p, art: ("mark", str(p), "q1", "verified"),
    "extract-merge": lambda p, art: ("extract", str(art), "-o", str(p)),
}


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("fault", CLAIM_FILE_FAULTS)
def test_a_broken_claim_file_is_refused_and_left_untouched(claims, fault, command):
    raw = claims.read_text(encoding="utf-8")
    bad, says = CLAIM_FILE_FAULTS[fault](raw)
    assert bad != raw or fault == "empty"
    claims.write_text(bad, encoding="utf-8")
    # a correction waits to be merged, so that extract has a reason to write
    claims.with_name("a.txt").write_text(ARTICLE.replace("35%", "36%"), encoding="utf-8")
    before = files(claims.parent)
    line = one_line(run_cli(*COMMANDS[command](claims, claims.with_name("a.txt"))), f"{claims}{says}")
    assert re.match(rf"claimcheck: {re.escape(str(claims))}:(\d+:\d+:)? ", line), line
    assert files(claims.parent) == before


def test_a_claim_file_that_is_not_utf8_is_refused(claims):
    claims.write_bytes(claims.read_bytes().replace("某市".encode(), "某市".encode("gb18030")))
    before = files(claims.parent)
    for command in COMMANDS.values():
        one_line(run_cli(*command(claims, claims.with_name("a.txt"))), f"{claims}: not UTF-8 (byte ")
    assert files(claims.parent) == before


def _run_measured(*args: str) -> tuple[subprocess.CompletedProcess, int]:
    """Run the CLI in a process of its own; return its result and that process's peak memory (KiB)."""
    p = subprocess.Popen([sys.executable, "-m", "claims.cli", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = p.stdout.read(), p.stderr.read()
    _, status, usage = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)  # reaped here; keep Popen from waiting again
    p.stdout.close()
    p.stderr.close()
    return subprocess.CompletedProcess(args, p.returncode, out, err), usage.ru_maxrss


def test_an_alias_bomb_is_refused_quickly_in_bounded_memory(claims):
    # Nine levels of nine: 9**9 (387 million) strings if the aliases were expanded.
    bomb = ['  a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    bomb += [f"  a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)]
    raw = claims.read_text(encoding="utf-8")
    claims.write_text(raw.replace("document:\n", "document:\n" + "\n".join(bomb) + "\n", 1), encoding="utf-8")
    before = files(claims.parent)
    _, baseline = _run_measured("check", str(claims.with_name("nothing.yaml")))
    for command in COMMANDS.values():
        # Expanding the aliases would take minutes and gigabytes: the memory bound is the proof.
        r, peak_kib = _run_measured(*command(claims, claims.with_name("a.txt")))
        one_line(r, f"{claims}:3:7: YAML aliases are not allowed here")
        assert peak_kib < baseline + 50 * 1024, (peak_kib, baseline)  # nothing was expanded
    assert files(claims.parent) == before


def test_a_file_nested_thousands_deep_is_refused_with_its_place(claims):
    # Made to break recursive readers (ours and the YAML parser's): a clear line, not a crash.
    depth = 3000
    claims.write_text("".join("  " * i + "a:\n" for i in range(depth)) + "  " * depth + "a: 1\n", encoding="utf-8")
    before = files(claims.parent)
    for command in COMMANDS.values():
        line = one_line(run_cli(*command(claims, claims.with_name("a.txt"))), f"{claims}:")
        assert "nesting depth" in line or "nested too deeply" in line
    assert files(claims.parent) == before


def test_offsets_outside_the_article_are_named_by_check(claims):
    cf = store.load(claims)
    last = len(cf.claims) - 1
    far = cf.claims[last].model_copy(deep=True)
    shift = 10_000
    far.span.start += shift
    far.span.end += shift
    far.trigger.start += shift
    far.trigger.end += shift
    moved = cf.claims[0].model_copy(deep=True)
    for o in (moved.span, moved.trigger):
        o.start += 1
        o.end += 1
    store.save(claims, cf.model_copy(update={"claims": [moved, *cf.claims[1:last], far]}))
    raw = claims.read_text(encoding="utf-8")
    before = files(claims.parent)
    r = run_cli("check", str(claims))
    err = r.stderr.decode().splitlines()
    assert r.returncode == 1 and "Traceback" not in r.stderr.decode()
    assert err == [
        f"claimcheck: {claims}:{line_of(raw, '  trigger: ')}:12: claims[0].trigger: offsets {moved.trigger.start}-"
        f"{moved.trigger.end} of {moved.id} do not point at {moved.trigger.text!r} in the article "
        f"(it has {ARTICLE[moved.trigger.start:moved.trigger.end]!r} there)",
        f"claimcheck: {claims}:{line_of(raw, '  span: ', last)}:9: claims[{last}].span: offsets {far.span.start}-"
        f"{far.span.end} of {far.id} lie outside the article ({len(ARTICLE)} characters)",
    ]
    assert files(claims.parent) == before


def test_a_changed_article_is_named_and_the_offered_merge_keeps_every_decision(claims):
    cid = next(c.id for c in store.load(claims).claims if c.trigger.text == "1.5亿元")
    assert run_cli("mark", str(claims), cid, "verified", "--note", "统计公报", "--reviewer", "温婷").returncode == 0
    art = claims.with_name("a.txt")
    art.write_text(ARTICLE.replace("35%", "36%"), encoding="utf-8")
    before = files(claims.parent)
    line = one_line(run_cli("check", str(claims)),
                    f"{claims}: the article {art} has changed since extraction (sha256 differs); re-extract with ")
    assert files(claims.parent) == before
    offered = re.search(r"`claimcheck (.*?)`", line).group(1).split(" ")
    assert offered == ["extract", str(art), "-o", str(claims)]
    r = run_cli(*offered)
    assert r.returncode == 0, r.stderr
    kept = {c.id: c for c in store.load(claims).claims}[cid]
    assert (kept.status, kept.note, kept.reviewed_by) == (Status.verified, "统计公报", "温婷")
    assert "36%" in [c.trigger.text for c in store.load(claims).claims]
    assert run_cli("check", str(claims)).returncode == 0
    assert audit.verify(audit.log_path(claims)) == []


def test_a_tiny_figure_comes_back_as_a_number_and_a_merge_leaves_it_alone(tmp_path):
    # 0.00001% is 1e-07: written bare, YAML would read it back as the string '1e-07'.
    art, out = tmp_path / "a.txt", tmp_path / "a.claims.yaml"
    art.write_text(ARTICLE.replace("35%", "0.00001%"), encoding="utf-8")
    assert run_cli("extract", str(art), "-o", str(out)).returncode == 0
    tiny = next(c for c in store.load(out).claims if c.trigger.text == "0.00001%")
    assert tiny.value == pytest.approx(1e-07) and isinstance(tiny.value, float)
    art.write_text(ARTICLE.replace("35%", "0.00001%") + "\n另据统计，出口增长两成。\n", encoding="utf-8")
    r = run_cli("extract", str(art), "-o", str(out))
    assert r.returncode == 0 and "merged: 1 added" in r.stderr.decode(), r.stderr  # not "1 changed"
    assert [(e.claim, e.field) for e in audit.read(audit.log_path(out)).events if e.claim == tiny.id] == []


# --- 3. rule packs ------------------------------------------------------------------------


def _pack(tmp_path, body: str) -> Path:
    folder = tmp_path / "rules"
    folder.mkdir(exist_ok=True)
    (folder / "mine.yaml").write_text(textwrap.dedent(body).lstrip(), encoding="utf-8")
    return folder


def _refused_pack(tmp_path, article, folder, says):
    before = files(tmp_path)
    out = tmp_path / "a.claims.yaml"
    line = one_line(run_cli("extract", str(article), "--rules", str(folder), "-o", str(out)), says)
    assert files(tmp_path) == before  # no claim file was written
    return line


def test_a_rule_with_an_invalid_pattern_is_refused(tmp_path, article):
    folder = _pack(tmp_path, """
        kind: quantity
        rules:
          - id: mine.unclosed
            normalizer: quantity
            pattern: '(?P<n>\\d+[万亿'
        """)
    _refused_pack(tmp_path, article, folder, f"{folder / 'mine.yaml'}:5:14: rule mine.unclosed: bad pattern: ")


def test_a_rule_with_an_unknown_normalizer_is_refused(tmp_path, article):
    folder = _pack(tmp_path, """
        kind: quantity
        rules:
          - id: mine.money
            normalizer: cash
            pattern: '\\d+元'
        """)
    _refused_pack(tmp_path, article, folder,
                  f"{folder / 'mine.yaml'}:4:17: rule mine.money: unknown normalizer 'cash' (known: ")


def test_a_rule_whose_example_fails_is_refused_at_load(tmp_path, article):
    folder = _pack(tmp_path, """
        kind: ranking
        rules:
          - id: mine.champion
            normalizer: ranking
            pattern: '夺冠'
            examples:
              match:
                - {text: 主队再次夺魁, trigger: 夺魁}
        """)
    _refused_pack(tmp_path, article, folder,
                  f"{folder / 'mine.yaml'}:8:11: rule mine.champion: example '主队再次夺魁' should match '夺魁' ")


RUNAWAY = "(?:(?:一|一一)+)+号"  # nested quantifiers: every split of a run of 一 is tried before failing


def test_the_runaway_pattern_really_backtracks():
    import regex as re_

    pattern = re_.compile(RUNAWAY, re_.V1)
    assert pattern.search("一号", timeout=0.5)
    with pytest.raises(TimeoutError):  # 2**40 splits to try: only the timeout ends it
        pattern.search("一" * 40 + "！", timeout=0.3)


RUNAWAY_PACK = f"""
    kind: ranking
    rules:
      - id: mine.runaway
        message: a catastrophically backtracking pattern
        normalizer: ranking
        pattern: '{RUNAWAY}'
        examples:
          match:
            - {{text: 获评一号, trigger: 一号}}
    """
RUNAWAY_ARTICLE = ARTICLE + "\n" + "一" * 40 + "！\n\n出口增长两成。\n"


def test_a_runaway_rule_is_reported_and_skipped_and_the_rest_is_extracted(tmp_path):
    folder = _pack(tmp_path, RUNAWAY_PACK)
    art, out = tmp_path / "a.txt", tmp_path / "a.claims.yaml"
    art.write_text(RUNAWAY_ARTICLE, encoding="utf-8")
    r = run_cli("extract", str(art), "--rules", str(folder), "-o", str(out))
    assert r.returncode == 0, r.stderr
    err = r.stderr.decode()
    assert "Traceback" not in err
    assert f"warning: {folder.resolve() / 'mine.yaml'}: rule mine.runaway: pattern timed out after 2." in err
    assert "rule skipped" in err
    found = [c.trigger.text for c in store.load(out).claims]
    assert found == [*TRIGGERS, "两成"]  # before and after the runaway text


def test_a_skipped_rule_contributes_no_claims(tmp_path):
    folder = _pack(tmp_path, RUNAWAY_PACK)
    art = tmp_path / "a.txt"
    art.write_text("标题\n\n全市一号工程投产。\n\n" + "一" * 40 + "！\n", encoding="utf-8")
    r = run_cli("extract", str(art), "--rules", str(folder), "--date", "2024-01-01")
    assert r.returncode == 0 and b"rule skipped" in r.stderr
    assert "mine.runaway" not in r.stdout.decode()


# --- 4. concurrency and crashes -----------------------------------------------------------


def test_a_second_editor_is_refused_and_told_who_holds_the_lock(claims):
    cid = first_id(claims)
    with FileLock(claims):
        before = files(claims.parent)
        line = one_line(run_cli("mark", str(claims), cid, "verified"), f"{claims}: being reviewed by ")
        assert f"on {socket.gethostname()} (pid {os.getpid()}, since " in line and line.endswith("; not changed")
        assert files(claims.parent) == before
    assert not lock_path(claims).exists()


HOLDER = textwrap.dedent(
    """
    import sys, time
    from claims.review import Review
    r = Review(sys.argv[1], "王编辑")
    assert not r.read_only
    print("holding", flush=True)
    time.sleep(60)
    """
)


def test_a_lock_held_by_another_process_then_left_by_its_death(claims):
    cid = first_id(claims)
    p = subprocess.Popen([sys.executable, "-c", HOLDER, str(claims)], stdout=subprocess.PIPE)
    try:
        assert p.stdout.readline() == b"holding\n"
        before = files(claims.parent)
        one_line(run_cli("mark", str(claims), cid, "verified"), f"(pid {p.pid}, since ")
        assert files(claims.parent) == before
    finally:
        p.send_signal(signal.SIGKILL)  # dies holding the lock: the lock file stays
        p.wait()
        p.stdout.close()
    assert lock_path(claims).exists()
    r = run_cli("mark", str(claims), cid, "verified", "--reviewer", "李编辑")
    assert r.returncode == 0, r.stderr  # the stale lock was taken over
    assert store.load(claims).claims[0].status == Status.verified
    assert [(e.field, e.reviewer) for e in audit.read(audit.log_path(claims)).events] == [("status", "李编辑")]
    assert not lock_path(claims).exists()  # and released


def test_an_unreadable_lock_is_respected_and_named(claims):
    lock_path(claims).write_text("{half a", encoding="utf-8")
    before = files(claims.parent)
    one_line(run_cli("mark", str(claims), first_id(claims), "verified"),
             f"being reviewed by someone unknown ({lock_path(claims)} cannot be read; remove it if no one is editing)")
    assert files(claims.parent) == before


def test_the_claim_file_is_read_only_once_the_lock_is_taken(claims, monkeypatch):
    """The editor who held the lock saves and leaves just as `mark` starts: nothing of theirs is lost."""
    from claims.review import Review

    ids = [c.id for c in store.load(claims).claims]
    first = Review(claims, "王编辑")
    real_acquire = FileLock.acquire

    def acquire(self):
        if first._lock.held:  # the other editor's last change lands, then their lock goes
            first.set_status(ids[0], "disputed")
            first.close()
        real_acquire(self)

    monkeypatch.setattr(FileLock, "acquire", acquire)
    assert main("mark", str(claims), ids[1], "verified", "--reviewer", "李编辑")[0] == 0
    statuses = [c.status for c in store.load(claims).claims[:2]]
    assert statuses == [Status.disputed, Status.verified]
    assert [e.field for e in audit.read(audit.log_path(claims)).events] == ["status", "status"]


def _dev_full_for(name: str):
    """A mkstemp whose claim-file temporaries write to /dev/full: ENOSPC from the kernel itself."""
    real = tempfile.mkstemp

    def mkstemp(*args, **kwargs):
        fd, tmp = real(*args, **kwargs)
        if kwargs.get("prefix", "").startswith(f".{name}.") and ".lock." not in kwargs.get("prefix", ""):
            full = os.open("/dev/full", os.O_WRONLY)
            os.dup2(full, fd)
            os.close(full)
        return fd, tmp

    return mkstemp


needs_dev_full = pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")


@needs_dev_full
def test_a_full_disk_during_a_save_leaves_the_old_file(claims, monkeypatch):
    cid = first_id(claims)
    monkeypatch.setattr(tempfile, "mkstemp", _dev_full_for(claims.name))
    before = files(claims.parent)
    code, err = main("mark", str(claims), cid, "verified")
    one_line_in_process(code, err, f"{claims}: cannot save (No space left on device); the old file is unchanged")
    assert claims.read_bytes() == before[claims.name]
    # The decision was logged before the save (the log's promise): a logged intent, never a lost one.
    assert [e.new for e in audit.read(audit.log_path(claims)).events] == ["verified"]
    assert sorted(files(claims.parent)) == ["a.audit.yaml", "a.claims.yaml", "a.txt"]  # no temporary, no lock

    claims.with_name("a.txt").write_text(ARTICLE.replace("35%", "36%"), encoding="utf-8")
    code, err = main("extract", str(claims.with_name("a.txt")), "-o", str(claims))
    one_line_in_process(code, err, f"{claims}: cannot save (No space left on device); the old file is unchanged")
    assert claims.read_bytes() == before[claims.name]

    new = claims.with_name("b.claims.yaml")
    monkeypatch.setattr(tempfile, "mkstemp", _dev_full_for(new.name))
    code, err = main("extract", str(claims.with_name("a.txt")), "-o", str(new))
    one_line_in_process(code, err, f"{new}: cannot save (No space left on device); nothing was written")
    assert not new.exists()


def test_a_full_disk_during_the_audit_append_changes_nothing(claims, monkeypatch):
    ids = [c.id for c in store.load(claims).claims]
    real_write = os.write

    def full(fd, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    def half(fd, data):  # the disk fills up halfway through the events
        return real_write(fd, data[: len(data) // 2])

    monkeypatch.setattr(os, "write", full)
    before = files(claims.parent)
    code, err = main("mark", str(claims), ids[0], "verified")
    log = claims.with_name("a.audit.yaml")
    one_line_in_process(code, err, f"{log}: cannot append to the audit log (No space left on device); the change was not made")
    assert files(claims.parent) == before  # not even an empty log

    monkeypatch.setattr(os, "write", real_write)
    assert main("mark", str(claims), ids[0], "verified")[0] == 0
    before = files(claims.parent)
    monkeypatch.setattr(os, "write", half)
    code, err = main("mark", str(claims), ids[1], "disputed", "--note", "与统计公报不符" * 20)
    one_line_in_process(code, err, f"{log}: cannot append to the audit log (short write (")
    assert files(claims.parent) == before  # the half-written events were taken back
    assert audit.verify(log) == []


def _no_temporaries(*args, **kwargs):
    raise PermissionError(errno.EACCES, "Permission denied")


def test_a_read_only_folder_leaves_the_file_and_says_so(claims, monkeypatch):
    # As root every folder is writable: refuse the temporary files as a read-only folder would.
    monkeypatch.setattr(tempfile, "mkstemp", _no_temporaries)
    before = files(claims.parent)
    code, err = main("mark", str(claims), first_id(claims), "verified")
    one_line_in_process(code, err, f"{claims}: ", "; not changed")  # wording: see test_mark_says_why_it_cannot_write
    claims.with_name("a.txt").write_text(ARTICLE.replace("35%", "36%"), encoding="utf-8")
    before = files(claims.parent)
    code, err = main("extract", str(claims.with_name("a.txt")), "-o", str(claims))
    one_line_in_process(code, err, f"{claims}: cannot be changed here (Permission denied); nothing was changed")
    code, err = main("extract", str(claims.with_name("a.txt")), "-o", str(claims.with_name("b.claims.yaml")))
    one_line_in_process(code, err, f"{claims.with_name('b.claims.yaml')}: cannot save (Permission denied); "
                        "nothing was written")
    assert files(claims.parent) == before


def test_a_really_read_only_folder(open_dir):
    art, out = open_dir / "a.txt", open_dir / "a.claims.yaml"
    art.write_text(ARTICLE, encoding="utf-8")
    assert run_cli("extract", str(art), "-o", str(out)).returncode == 0
    out.chmod(0o666)
    open_dir.chmod(0o555)
    before = files(open_dir)
    one_line(run_unprivileged("mark", str(out), first_id(out), "verified"), f"{out}: ", "; not changed")
    one_line(run_unprivileged("extract", str(art), "-o", str(open_dir / "b.claims.yaml")),
             f"{open_dir / 'b.claims.yaml'}: cannot save (Permission denied); nothing was written")
    assert files(open_dir) == before


@needs_dev_full
def test_mark_says_why_it_cannot_write(claims, monkeypatch):
    real = tempfile.mkstemp
    monkeypatch.setattr(tempfile, "mkstemp", _no_temporaries)
    code, err = main("mark", str(claims), first_id(claims), "verified")
    one_line_in_process(code, err, f"{claims}: cannot be changed here (Permission denied); not changed")

    def mkstemp(*args, **kwargs):  # the disk is full before anything is written: even the lock fails
        fd, tmp = real(*args, **kwargs)
        full = os.open("/dev/full", os.O_WRONLY)
        os.dup2(full, fd)
        os.close(full)
        return fd, tmp

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    code, err = main("mark", str(claims), first_id(claims), "verified")
    one_line_in_process(code, err, f"{claims}: cannot be changed here (No space left on device); not changed")


# --- 5. hostile text ----------------------------------------------------------------------

CONTROLS = "".join(chr(i) for i in range(1, 32) if chr(i) not in "\n\r") + "\x7f\x85\x9b\u2028\u2029"
HOSTILE = (
    "标题[bold]x[/]\x1b]0;pwned\x07\n2024年03月28日\n\n"
    "市统计局局长[link=http://a]王建国[/link]表示，一季度\x1b[31m全市生产总值达1.5亿元\x1b[0m，同比增长35%。\n"
    # (a bidirectional override inside a cue, 据\u202e他介绍, makes no speaker: it is in the figures' clause)
    "据他介绍，\u202e销量超\u200b100万台\u202c，\ufeff增长\u2066两成\u2069。\u200d\u200e\u200f\u2060\n"
    f"{CONTROLS}国内首个[/]项目于6月30日投产，[red]总投资[/red]达3亿元。\n"
)


def _stored_exactly(text: str, out: Path) -> list:
    raw = out.read_text(encoding="utf-8")
    data = yaml.load(raw, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # valid YAML to any reader
    cf = store.load(out)
    assert data["document"]["title"] == cf.document.title
    assert [c["text"] for c in data["claims"]] == [c.text for c in cf.claims]
    for c in cf.claims:
        assert text[c.span.start : c.span.end] == c.text
        assert text[c.trigger.start : c.trigger.end] == c.trigger.text
    return cf.claims


def test_hostile_text_is_extracted_and_stored_exactly(tmp_path):
    art, out = tmp_path / "a.txt", tmp_path / "a.claims.yaml"
    art.write_text(HOSTILE, encoding="utf-8", newline="")
    r = run_cli("extract", str(art), "-o", str(out))
    assert r.returncode == 0 and r.stderr == b"", r.stderr
    found = _stored_exactly(HOSTILE, out)
    assert {"1.5亿元", "35%", "100万台", "两成", "首个", "6月30日", "3亿元"} <= {c.trigger.text for c in found}
    assert any("\x1b[31m" in c.text for c in found) and any("\u202e" in c.text for c in found)
    assert store.load(out).document.title == "标题[bold]x[/]\x1b]0;pwned\x07"
    # The file itself is inert: control, bidirectional and zero-width characters are escapes,
    # so `cat`, an editor or a diff shows the words as they are, in their order.
    raw = out.read_text(encoding="utf-8")
    assert not regex.search(r"[^\n\P{Cc}]|\p{Cf}|[\u2028\u2029]", raw)
    assert "\\u202e" in raw and "\\u001b[31m" in raw and "\\u200b" in raw
    assert run_cli("check", str(out)).returncode == 0
    # and it survives a review round trip unchanged but for the review
    cid = next(c.id for c in found if c.trigger.text == "两成")
    assert run_cli("mark", str(out), cid, "disputed", "--note", "[bold]存疑[/]\x1b[2J").returncode == 0
    assert store.load(out).claims == [c.model_copy(update={"status": Status.disputed, "note": "[bold]存疑[/]\x1b[2J",
                                                           "reviewed_by": store.load(out).claims[i].reviewed_by,
                                                           "reviewed_at": store.load(out).claims[i].reviewed_at})
                                      if c.id == cid else c for i, c in enumerate(found)]


def test_a_two_megabyte_line_is_extracted_and_stored_exactly(tmp_path):
    filler = "大模型正在改变各行各业的工作方式，企业纷纷加快布局；"  # prose without a claim
    half = filler * (2**20 * 11 // 10 // len(filler.encode("utf-8")))
    clause = half.replace("，", "").replace("；", "")  # and one clause of a megabyte
    line = f"据悉，模型总下载量超1600万次，{half}阿里云推出{clause}国内首个AI模型社区，成本能够降低到现在的十分之一。"
    text = "标题\n\n" + line + "\n"
    assert len(line.encode("utf-8")) > 2 * 2**20
    art, out = tmp_path / "a.txt", tmp_path / "a.claims.yaml"
    art.write_text(text, encoding="utf-8")
    r = run_cli("extract", str(art), "-o", str(out), "--date", "2023-04-12")
    assert r.returncode == 0 and r.stderr == b"", r.stderr  # no error, and no rule had to be skipped
    found = _stored_exactly(text, out)
    assert [c.trigger.text for c in found] == ["超1600万次", "首个", "十分之一"]  # the start, middle and end
    assert len(found[1].text.encode("utf-8")) > 2**19  # a claim's clause can itself be a megabyte long
    assert run_cli("check", str(out)).returncode == 0


def test_a_long_run_of_digits_does_not_cost_the_article_its_figures(tmp_path):
    art = tmp_path / "a.txt"
    art.write_text(ARTICLE + "\n编号：" + "1234567890" * 1000 + "\n", encoding="utf-8")
    r = run_cli("extract", str(art))
    assert r.returncode == 0 and b"timed out" not in r.stderr, r.stderr
    assert [c["trigger"]["text"] for c in yaml.safe_load(r.stdout)["claims"]] == TRIGGERS


def test_every_invisible_format_character_is_escaped_in_claim_files():
    # yamlio lists the format characters (category Cf) itself, for speed: it must miss none.
    cf = [chr(c) for c in range(0x110000) if unicodedata.category(chr(c)) == "Cf"]
    missed = [f"U+{ord(c):04X}" for c in cf if not yamlio._INVISIBLE.match(c)]
    assert missed == []
    assert yamlio._scalar("".join(cf)).isascii()


def test_a_long_text_gives_each_rule_time_in_proportion():
    # 2 s is plenty for an article, not for a 20 MB one: a sound rule must not be cut off there.
    from claims.extract import _timeout
    from claims.rules import MATCH_TIMEOUT

    assert _timeout(3_000) < MATCH_TIMEOUT + 0.1
    assert _timeout(20_000_000) >= 60
    assert _timeout(2_000_000) > _timeout(1_000_000) > _timeout(10_000)
