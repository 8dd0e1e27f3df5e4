"""A crash test that counts: every durable-write step of `claimcheck mark`, of the UI's saves,
of a re-extraction and of `claimcheck add` is, in turn, the moment the process is killed
(claims/failpoints.py).

Each sequence is first run once, counted, to learn its K steps and what every step leaves;
then, for every N in 1..K, a fresh copy is run in a child process killed at step N, and
after each kill: the claim file loads; the log verifies, or names a torn tail that repair
cuts off; after the next open (the one the user would make: `claimcheck check`, the UI, the
re-run of extract) the file and the log agree on every claim's review, every decision whose
log append was whole before the kill is there and nothing of one whose append was torn (one
`mark` with a status and a note is one decision, never half of one); no re-extraction event
is logged twice; a claim added by hand is in the file iff its `added` event is whole in the
log; and the next save leaves no temporary of the claim file or of its lock behind. The counts are printed (`pytest -s -n0 tests/test_crash_points.py`) and, with
CLAIMCHECK_CRASH_REPORT=FILE, written to FILE.
"""
from __future__ import annotations

import copy
import importlib
import os
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from claims import agreement, audit, batch, cli, store, yamlio
from claims.model import MANUAL_RULE, ClaimFile, Status
from claims.review import Review, settle
from tui.session import OpenDoc

from .conftest import SAMPLE
from .crashing import killed_at, steps_of

pytestmark = pytest.mark.xdist_group("crash_points")  # one worker: the counts are summed over the scenarios

CF = "a.claims.yaml"
ARTICLE = "a.txt"
REVIEWER = "夜班"
REMOVED = "与此同时，阿里云也在积极建设开源的AI社区生态。"  # the paragraph the edit takes out
ADDED = "据统计，目前已有超过200家企业申请接入该平台。\n"  # and the sentence it adds
DEFAULT = (Status.pending.value, "", ())
LABELS = {"audit: write", "audit: written", "audit: fsync", "save: temporary created", "save: write", "save: flush",
          "save: fsync", "save: replace", "save: folder fsync", "lock: written", "lock: linked"}


@dataclass
class Counts:
    steps: int = 0
    kills: int = 0
    torn: int = 0  # torn log tails named by verify and cut off by repair
    recovered: int = 0  # logged decisions the claim file lacked after the kill, rolled forward on opening
    claims_back: int = 0  # claims added by hand, logged but not saved before the kill, rolled forward
    disagreements: list[str] = field(default_factory=list)  # file and log differ after the next open
    lost: list[str] = field(default_factory=list)  # a decision logged before the kill missing, or one not logged present
    litter: list[str] = field(default_factory=list)  # temporaries of the claim file left after the next save
    lock_litter: int = 0  # temporaries of the lock left after the next save
    twice: int = 0  # re-extraction events logged twice
    partial: int = 0  # a kill tearing one append of several events kept some of them (half a decision)
    saves_recovered: int = 0  # kills after which the claim file lacked logged decisions
    by_label: Counter = field(default_factory=Counter)


TOTALS: dict[str, Counts] = {}


def reviews(cf: ClaimFile) -> dict[str, tuple]:
    return {c.id: (c.status.value, c.note, tuple(c.evidence)) for c in cf.claims}


def orphans(cf: ClaimFile) -> set[str]:
    return {c.id for c in cf.claims if c.orphaned_at is not None}


# --- the starting folders ---------------------------------------------------------------


@pytest.fixture(scope="module", autouse=True)
def extraction_once():
    """Each article text is analysed once: a kill's child and the next open re-extract the same
    two texts over a hundred times, and what is under test is how the result is saved."""
    extract = importlib.import_module("claims.extract")  # the package exports a function of that name

    real, seen = extract.analyse, {}

    def analyse(text, date=None, rules=None):
        key = (text, str(date), rules.digest if rules is not None else None)
        if key not in seen:
            seen[key] = real(text, date, rules)
        return copy.deepcopy(seen[key])

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(extract, "analyse", analyse)
        mp.setattr(importlib.import_module("claims.assemble"), "analyse", analyse)  # build_claim_file's
        mp.setattr(importlib.import_module("claims.manual"), "analyse", analyse)  # an added claim's proposal
        yield


@pytest.fixture(scope="module")
def bases(tmp_path_factory) -> dict[str, Path]:
    """'plain': an article and its claim file as first extracted (no log yet); 'edited': the
    same after three decisions, one on a claim the article's edit then takes out."""
    plain = tmp_path_factory.mktemp("plain")
    shutil.copy(SAMPLE, plain / ARTICLE)
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(plain)  # the claim file records the article's path as given: relative, so copies keep it
        out = batch.extract_to(ARTICLE, CF, batch.Options(reviewer=REVIEWER))
    assert out.error is None, out.error
    edited = tmp_path_factory.mktemp("edited")
    for name in (ARTICLE, CF):
        shutil.copy(plain / name, edited / name)
    text = (edited / ARTICLE).read_text(encoding="utf-8")
    para = next(p for p in text.splitlines(keepends=True) if p.startswith(REMOVED))
    cut = text.index(para)
    claims = store.load(edited / CF).claims
    gone = next(c.id for c in claims if cut <= c.span.start < cut + len(para))
    with Review(edited / CF, REVIEWER) as r:
        r.update(claims[0].id, status=Status.verified, note="见公司公告")
        r.update(gone, status=Status.disputed, note="数字无出处", evidence=["https://example.org/gone"])
        r.update(claims[2].id, status=Status.verified)
    (edited / ARTICLE).write_text(text.replace(para, "") + ADDED, encoding="utf-8")
    return {"plain": plain, "edited": edited}


# --- the sequences, each a list of actions on a folder ----------------------------------


def _mark(d: Path, *args: str) -> Callable[[], None]:
    def run() -> None:
        assert cli.main(["mark", str(d / CF), *args, "--reviewer", REVIEWER]) == 0
    return run


def mark_actions(d: Path, ids: list[str]) -> list[Callable[[], None]]:
    """`claimcheck mark`, four times: three claims, one of them judged again."""
    return [
        _mark(d, ids[0], "verified", "--note", "核对：年报第3页", "--evidence", "https://example.org/a"),
        _mark(d, ids[1], "disputed", "--note", "数字与原文不符"),
        _mark(d, ids[0], "disputed", "--note", "复核后改判"),
        _mark(d, ids[2], "verified", "--evidence", "https://example.org/b", "--evidence", "https://example.org/c"),
    ]


def ui_actions(d: Path, ids: list[str]) -> list[Callable[[], None]]:
    """The UI's session: opening the claim file of an edited article (re-extracted and merged
    on opening), then status, note, evidence and an undo, each saved at once, then closing."""
    box: dict[str, OpenDoc] = {}

    def open_() -> None:
        box["doc"] = OpenDoc(d / CF, "审校")
        assert not box["doc"].read_only, box["doc"].read_only_reason

    def close() -> None:
        box["doc"].close()

    return [
        open_,
        lambda: box["doc"].set_status(ids[1], Status.verified),
        lambda: box["doc"].set_note(ids[1], "与公告一致"),
        lambda: box["doc"].add_evidence(ids[0], "https://example.org/公告"),
        lambda: box["doc"].undo(),
        close,
    ]


def _extract(d: Path) -> batch.Outcome:
    out = batch.extract_to(str(d / ARTICLE), str(d / CF), batch.Options(reviewer=REVIEWER))
    assert out.error is None, out.error
    return out


def reextract_actions(d: Path, ids: list[str]) -> list[Callable[[], None]]:
    """`claimcheck extract` run again on the edited article (merged into the claim file), then a mark."""
    return [lambda: _extract(d), _mark(d, ids[1], "disputed", "--note", "改版后不符")]


def add_actions(d: Path, ids: list[str]) -> list[Callable[[], None]]:
    """`claimcheck add`, twice (the value proposed, then one typed), then a mark of the first
    claim added."""
    def add(*args: str) -> Callable[[], None]:
        def run() -> None:
            assert cli.main(["add", str(d / CF), *args, "--reviewer", REVIEWER]) == 0
        return run

    def mark_added() -> None:
        (first,) = [c.id for c in store.load(d / CF).claims if c.rule == MANUAL_RULE and c.trigger.text == "一个月"]
        _mark(d, first, "verified", "--note", "见现场记录")()

    return [add("--text", "一个月", "--kind", "quantity"),
            add("--text", "一位与会者", "--kind", "quantity", "--value", "1", "--unit", "位"),
            mark_added]


def reopen_check(d: Path) -> None:
    notes, found = settle(d / CF)  # what `claimcheck check` and `mark` do on opening
    assert found.ok, found.problems


def reopen_ui(d: Path) -> None:
    doc = OpenDoc(d / CF, "审校")
    try:
        assert not doc.read_only, doc.read_only_reason
    finally:
        doc.close()


def reopen_extract(d: Path) -> None:
    """Run again the extraction a kill cut short: merged again, or skipped when the article is
    unchanged since a save that was whole; either way what the file lacks is rolled forward by
    extract itself, which says so in the one line `check` and `mark` say it in."""
    behind = agreement.check(d / CF, store.load(d / CF))
    n = sum(e.field in agreement.REVIEW_FIELDS for e in behind.pending)
    out = _extract(d)
    assert agreement.check(d / CF, store.load(d / CF)).pending == [], out
    if n:
        assert f"recovered {n} logged decision" in out.note, out
    reopen_check(d)


def reopen_check_then_extract(d: Path) -> None:
    """`claimcheck check` first, then the extraction run again."""
    reopen_check(d)
    _extract(d)
    reopen_check(d)


SCENARIOS = {
    "mark": ("plain", mark_actions, reopen_check),
    "ui": ("edited", ui_actions, reopen_ui),
    "re-extraction": ("edited", reextract_actions, reopen_extract),
    "re-extraction, checked first": ("edited", reextract_actions, reopen_check_then_extract),
    "add": ("plain", add_actions, reopen_check),
}
# Scenarios whose claims are those of the last action logged whole: the next open does not do
# again what a kill cut (a re-extraction is done again, and its claims are then all there).
ADDING = {"add"}


# --- the test ---------------------------------------------------------------------------


@dataclass
class Counted:
    labels: list[str]  # step N is labels[N - 1]
    ends: list[int]  # steps taken when each action had ended
    after: list[dict[str, tuple]]  # the reviews before any action (0) and after each
    ids: set[str]
    orphans: set[str]

    def expected(self, n: int) -> tuple[dict[str, tuple], dict[str, tuple] | None]:
        """The reviews a kill at step `n` must leave, once reopened: those after the last action
        whose log append was whole before step n; and, when step n tears an append, those the
        torn action would have left (a claim with some fields as before and some as after is
        half of that action: counted as partial, which must not happen)."""
        i, torn = 0, None
        for k in range(len(self.ends)):
            start = self.ends[k - 1] if k else 0
            writes = [s for s in range(start + 1, self.ends[k] + 1) if self.labels[s - 1] == "audit: write"]
            if writes and writes[-1] < n:
                i = k + 1
            elif n in writes:
                torn = self.after[k + 1]
        return self.after[i], torn


def _copy(base: Path, to: Path) -> Path:
    shutil.copytree(base, to)
    return to


def _count(base: Path, d: Path, actions) -> Counted:
    from claims import failpoints

    _copy(base, d)
    ends, after = [], [reviews(store.load(d / CF))]
    failpoints.arm(0)
    try:
        for act in actions:
            act()
            ends.append(len(failpoints.taken()))
            after.append(reviews(store.load(d / CF)))
        labels = failpoints.taken()
    finally:
        failpoints.disarm()
    cf = store.load(d / CF)
    return Counted(labels, ends, after, set(reviews(cf)), orphans(cf))


def _temporaries(d: Path) -> list[Path]:
    return sorted(p for p in d.iterdir() if p.name.startswith(".") and p.name.endswith(".tmp"))


@pytest.fixture(scope="module")
def totals():
    yield TOTALS
    head = ("steps", "kills", "torn tails repaired", "saves recovered", "review events rolled forward",
            "claims added by hand rolled forward", "partial", "disagreements left", "decisions lost",
            "temporaries left", "lock temporaries left", "re-extraction events logged twice")
    rows = {name: (c.steps, c.kills, c.torn, c.saves_recovered, c.recovered, c.claims_back, c.partial,
                   len(c.disagreements), len(c.lost), len(c.litter), c.lock_litter, c.twice)
            for name, c in TOTALS.items()}
    rows["total"] = tuple(map(sum, zip(*rows.values())))
    lines = ["crash points, counted (scenario: " + ", ".join(head) + ")"]
    lines += [f"  {name}: " + ", ".join(f"{v} {h}" for v, h in zip(row, head)) for name, row in rows.items()]
    for name, c in TOTALS.items():
        lines.append(f"  {name} kills by step: " + ", ".join(f"{k} {v}" for k, v in sorted(c.by_label.items())))
    print("\n" + "\n".join(lines))
    if out := os.environ.get("CLAIMCHECK_CRASH_REPORT"):
        Path(out).write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_a_kill_at_every_counted_step_loses_nothing_and_leaves_file_and_log_agreeing(scenario, bases, tmp_path,
                                                                                     totals):
    base_name, make_actions, reopen = SCENARIOS[scenario]
    base = bases[base_name]
    ids = [c.id for c in store.load(base / CF).claims[:3]]
    counted = _count(base, tmp_path / "counted", make_actions(tmp_path / "counted", ids))
    assert set(counted.labels) == LABELS, set(counted.labels) ^ LABELS  # every kind of step is taken
    c = TOTALS[scenario] = Counts(steps=len(counted.labels))
    for n in range(1, len(counted.labels) + 1):
        d = _copy(base, tmp_path / f"kill{n}")
        assert killed_at(n, lambda d=d: [act() for act in make_actions(d, ids)]), f"step {n} was never reached"
        c.kills += 1
        c.by_label[counted.labels[n - 1]] += 1
        _check(d, n, counted, reopen, c, scenario in ADDING)
    assert c.disagreements == [] and c.lost == [] and c.litter == []
    assert c.partial == 0  # a torn append is cut back whole: no status kept without its note
    assert c.lock_litter == 0  # what a kill left of the lock's creation is swept by the next holder
    assert c.twice == 0  # a re-extraction done again logs none of what the lost one logged
    assert c.torn > 0 and c.recovered > 0  # the kills did tear the log, and did fall between log and file
    assert c.claims_back > 0 or scenario not in ADDING  # and between an add's log and its save


def by_hand(events: list[audit.Event]) -> set[str]:
    """The claims added by hand that the log's events leave in the file."""
    out: set[str] = set()
    for e in events:
        if agreement.by_hand(e):
            (out.add if e.field == "added" else out.discard)(e.claim)
    return out


def _check(d: Path, n: int, counted: Counted, reopen, c: Counts, adding: bool = False) -> None:
    path, log = d / CF, audit.log_path(d / CF)
    at = f"kill at step {n} ({counted.labels[n - 1]})"
    cf = store.load(path)  # whole: raises on a torn claim file
    problems = audit.verify(log)
    if problems:
        torn = audit.read(log).torn
        assert torn and problems == [torn], f"{at}: {problems}"  # a torn tail, named, and nothing else
        assert audit.repair(log) is not None
        assert audit.verify(log) == []
        c.torn += 1
    head = cf.audit.events if cf.audit is not None else 0
    whole = audit.read(log).events
    ahead = sum(e.seq > head and e.field in agreement.REVIEW_FIELDS for e in whole)
    back = sum(e.seq > head and e.field == "added" and agreement.by_hand(e) for e in whole)
    c.recovered += ahead
    c.claims_back += back
    c.saves_recovered += ahead + back > 0

    reopen(d)  # the next open: rolls forward what the log has and the file lacks

    cf, events = store.load(path), audit.read(log).events
    found = agreement.check(path, cf)
    bad = [*found.problems, *([found.torn] if found.torn else []), *(f"event {e.seq} not rolled forward"
                                                                     for e in found.pending)]
    bad += agreement.full_check(path, cf, events)
    logged = agreement.replay(events)
    for claim in cf.claims:
        r = logged.get(claim.id, agreement.Logged())
        bad += [f"{claim.id}: {k} is {v!r}, the log says {r.value(k)!r}"
                for k, v in agreement.review_of(claim).items() if v != r.value(k)]
    c.disagreements += [f"{at}: {b}" for b in bad]

    now, (want, torn_to) = reviews(cf), counted.expected(n)
    for i in sorted(set(now) | set(want)):
        got, before = now.get(i), want.get(i, DEFAULT)
        if got == before:
            continue
        after = torn_to.get(i, DEFAULT) if torn_to is not None else None
        if got is not None and after is not None and all(g in (b, a) for g, b, a in zip(got, before, after)):
            c.partial += 1  # some of the torn action's fields, each as it would have left it
            continue
        c.lost.append(f"{at}: {i}: {got} instead of {before}")
    ids = set(want) if adding else counted.ids
    if set(now) != ids or orphans(cf) != counted.orphans:
        c.lost.append(f"{at}: claims {sorted(set(now) ^ ids)} / orphans {sorted(orphans(cf) ^ counted.orphans)}")
    manual = {claim.id for claim in cf.claims if claim.rule == MANUAL_RULE}
    if manual != by_hand(whole):  # there iff its `added` event was whole when the kill came
        c.lost.append(f"{at}: claims added by hand {sorted(manual)}, whole in the log {sorted(by_hand(whole))}")
    kinds = Counter((e.claim, e.field) for e in events if e.field not in agreement.REVIEW_FIELDS)
    c.twice += sum(k - 1 for k in kinds.values())

    # The next save sweeps what the kill left, once it is older than any save still in progress.
    old = time.time() - 2 * yamlio.STALE_TEMP_SECONDS
    for t in _temporaries(d):
        os.utime(t, (old, old))
    with Review(path, REVIEWER) as r:
        assert not r.read_only and r.refusal() == "", r.refusal()
        r.update(cf.claims[-1].id, note=f"第{n}次之后")
    left = _temporaries(d)
    c.lock_litter += sum(t.name.startswith(f".{CF}.lock.") for t in left)
    c.litter += [f"{at}: {t.name}" for t in left if not t.name.startswith(f".{CF}.lock.")]
    assert audit.verify(log) == [] and agreement.full_check(path, store.load(path), audit.read(log).events) == []


# --- the same failpoints, armed from the environment, in `claimcheck mark` itself -------


def _run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "claims.cli", *args], capture_output=True,
                          env={**os.environ, **env}, text=True)


def test_claimcheck_mark_dies_at_the_step_named_in_the_environment(bases, tmp_path):
    base = bases["plain"]
    claim = store.load(base / CF).claims[0].id
    mark = ("mark", CF, claim, "verified", "--note", "核对无误", "--reviewer", REVIEWER)
    counted = _copy(base, tmp_path / "counted")
    trace = tmp_path / "trace"
    r = _run(*mark[:1], str(counted / CF), *mark[2:], env={"CLAIMCHECK_CRASH_TRACE": str(trace)})
    assert r.returncode == 0, r.stderr
    labels = trace.read_text(encoding="utf-8").splitlines()
    assert labels.count("audit: write") == 1 and labels[-1] == "save: folder fsync"

    # killed in the middle of the log's append: a torn tail, named and cut off; the mark never happened
    d = _copy(base, tmp_path / "torn")
    r = _run(*mark[:1], str(d / CF), *mark[2:], env={"CLAIMCHECK_CRASH_AT": str(labels.index("audit: write") + 1)})
    assert r.returncode == -9
    log = audit.log_path(d / CF)
    assert re.search(r"the last event is incomplete|no final newline", audit.verify(log)[0])
    audit.repair(log)
    assert audit.verify(log) == [] and reviews(store.load(d / CF))[claim] == DEFAULT

    # killed while the claim file's new version was being written: the logged mark is recovered
    d = _copy(base, tmp_path / "recovered")
    r = _run(*mark[:1], str(d / CF), *mark[2:], env={"CLAIMCHECK_CRASH_AT": str(labels.index("save: write") + 1)})
    assert r.returncode == -9 and reviews(store.load(d / CF))[claim] == DEFAULT
    r = _run("check", str(d / CF), env={})
    assert r.returncode == 0 and "recovered 2 logged decisions" in r.stderr, r.stderr
    assert reviews(store.load(d / CF))[claim] == ("verified", "核对无误", ())


# --- each finding of the counted test, on its own -----------------------------------------


def test_a_killed_lock_creations_temporary_is_swept_by_the_next_holder_and_nothing_else(bases, tmp_path):
    from claims.lock import FileLock

    d = _copy(bases["plain"], tmp_path / "d")
    lock = FileLock(d / CF, REVIEWER)
    assert killed_at(1, lock.acquire)  # "lock: written": the temporary is full, never linked
    left = _temporaries(d)
    assert [t.name[: -len("XXXXXXXX.tmp")] for t in left] == [f".{CF}.lock."]
    young = d / f".{CF}.lock.a1b2c3d4.tmp"  # another editor's, being written now
    foreign = d / f".{CF}.lock.notes.tmp"  # not the pattern: not ours to remove
    for p in (young, foreign):
        p.write_text("x", encoding="utf-8")
    past = time.time() - 2 * yamlio.STALE_TEMP_SECONDS
    for p in (*left, foreign):
        os.utime(p, (past, past))
    with FileLock(d / CF, REVIEWER):
        pass
    assert _temporaries(d) == sorted([foreign, young])


def _reextraction_cut_before_its_save(bases, tmp_path) -> tuple[Path, list[str]]:
    """An edited article's re-extraction killed after its events were logged, before the save."""
    d = _copy(bases["edited"], tmp_path / "d")
    labels = _count(bases["edited"], tmp_path / "counted", [lambda: _extract(tmp_path / "counted")]).labels
    assert killed_at(labels.index("save: temporary created") + 1, lambda: _extract(d))
    logged = [(e.claim, e.field) for e in audit.read(audit.log_path(d / CF)).events
              if e.field not in agreement.REVIEW_FIELDS]
    assert logged and not any(f == "added" and c in reviews(store.load(d / CF)) for c, f in logged)
    return d, logged


@pytest.mark.parametrize("between", ["check", "check and mark"])
def test_a_reextraction_done_again_after_the_file_moved_on_logs_nothing_twice(bases, tmp_path, between):
    d, logged = _reextraction_cut_before_its_save(bases, tmp_path)
    reopen_check(d)  # the head moves past the re-extraction's events, which it cannot apply
    if between == "check and mark":
        claim = store.load(d / CF).claims[0].id
        _mark(d, claim, "disputed", "--note", "再核")()
    out = _extract(d)
    assert out.note.startswith("merged: "), out
    events = audit.read(audit.log_path(d / CF)).events
    assert [(e.claim, e.field) for e in events if e.field not in agreement.REVIEW_FIELDS] == logged
    cf = store.load(d / CF)
    added = {c for c, f in logged if f == "added"}
    assert added <= set(reviews(cf)) and {c for c, f in logged if f == "orphaned"} <= orphans(cf)
    assert agreement.full_check(d / CF, cf, events) == []
    # and the next re-extraction, of a further edit, logs what is new only
    (d / ARTICLE).write_text((d / ARTICLE).read_text(encoding="utf-8") + "另有30家机构表示观望。\n", encoding="utf-8")
    _extract(d)
    again = [(e.claim, e.field) for e in audit.read(audit.log_path(d / CF)).events[len(events):]]
    assert again and all(f == "added" and c not in added for c, f in again), again


def test_extract_of_an_unchanged_article_rolls_forward_what_a_cut_save_left(bases, tmp_path, capsys):
    d = _copy(bases["plain"], tmp_path / "d")
    claim = store.load(d / CF).claims[0].id
    mark = _mark(d, claim, "verified", "--note", "核对无误")
    labels = _count(bases["plain"], tmp_path / "counted", [_mark(tmp_path / "counted", claim, "verified",
                                                                 "--note", "核对无误")]).labels
    assert killed_at(labels.index("save: write") + 1, mark)
    capsys.readouterr()
    assert reviews(store.load(d / CF))[claim] == DEFAULT
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(d)
        assert cli.main(["extract", ARTICLE, "-o", CF]) == 0
    err = capsys.readouterr().err
    assert f"{ARTICLE}: unchanged, skipped; {CF}: recovered 2 logged decisions from " in err, err
    assert reviews(store.load(d / CF))[claim] == ("verified", "核对无误", ())
    with pytest.MonkeyPatch.context() as mp:  # said once: the file has them now
        mp.chdir(d)
        assert cli.main(["extract", ARTICLE, "-o", CF]) == 0
    assert "recovered" not in capsys.readouterr().err


def test_an_add_cut_before_its_save_is_brought_back_whole_by_the_next_open(bases, tmp_path, capsys):
    """`claimcheck add` killed after its `added` event was logged, before the claim file was
    saved: the next `check` puts the claim back with every field, and says so in one line."""
    add = ["--text", "一位与会者", "--kind", "quantity", "--value", "1", "--unit", "位", "--reviewer", REVIEWER]
    counted = _copy(bases["plain"], tmp_path / "counted")
    labels = _count(bases["plain"], tmp_path / "counted2",
                    [lambda: cli.main(["add", str(tmp_path / "counted2" / CF), *add])]).labels
    assert cli.main(["add", str(counted / CF), *add]) == 0
    (want,) = [c for c in store.load(counted / CF).claims if c.rule == MANUAL_RULE]
    d = _copy(bases["plain"], tmp_path / "d")
    assert killed_at(labels.index("save: write") + 1, lambda: cli.main(["add", str(d / CF), *add]))
    assert not any(c.rule == MANUAL_RULE for c in store.load(d / CF).claims)
    capsys.readouterr()
    assert cli.main(["check", str(d / CF)]) == 0
    err = capsys.readouterr().err
    assert f"{d / CF}: recovered 1 claim added by hand from " in err, err
    (got,) = [c for c in store.load(d / CF).claims if c.rule == MANUAL_RULE]
    assert got == want and (got.value, got.unit, got.added_by) == (1, "位", REVIEWER)
    ids = [c.id for c in store.load(d / CF).claims]
    assert ids == [c.id for c in store.load(counted / CF).claims]  # in its place in article order
    assert agreement.full_check(d / CF, store.load(d / CF), audit.read(audit.log_path(d / CF)).events) == []


def test_an_undone_add_cut_before_its_save_is_taken_out_by_the_next_open(bases, tmp_path, capsys):
    """The UI's undo of an add killed after its `removed` event was logged, before the save:
    the next open takes the claim out, and says so."""
    from claims.manual import build

    def add_then_undo(d: Path) -> Callable[[], None]:
        doc = OpenDoc(d / CF, "审校")
        text = (d / ARTICLE).read_text(encoding="utf-8")
        start = text.index("一位与会者")
        doc.add_claim(build(text, start, start + 5, "quantity", "审校", {c.id for c in doc.claims},
                            {"value": 1, "unit": "位"}))
        return doc.undo

    counted = _copy(bases["plain"], tmp_path / "counted")
    undo = add_then_undo(counted)
    labels = steps_of(undo)
    d = _copy(bases["plain"], tmp_path / "d")
    box: dict[str, Callable[[], None]] = {}
    assert killed_at(labels.index("save: write") + 1, lambda: box["undo"](),
                     before=lambda: box.update(undo=add_then_undo(d)))  # only the undo's steps counted
    assert any(c.rule == MANUAL_RULE for c in store.load(d / CF).claims)  # the save was cut
    notes, found = settle(d / CF)
    assert found.ok and any("recovered 1 claim taken out again from " in n for n in notes), notes
    assert [c.id for c in store.load(d / CF).claims] == [c.id for c in store.load(bases["plain"] / CF).claims]
    events = audit.read(audit.log_path(d / CF)).events
    assert [e.field for e in events] == ["added", "removed"]
    assert agreement.full_check(d / CF, store.load(d / CF), events) == []
