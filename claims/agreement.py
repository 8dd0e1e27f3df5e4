"""A claim file and its audit log agree: the file vouches for the log, the log for the file.

Each save of a claim file records the log's head (`ClaimFile.audit`): how many events the log
held, the hash of the last one, and a digest of every claim's review (status, note,
evidence, the reason of a dismissal, a published wording). Opening the file then checks, without reading the whole log:

- the log still holds that history (a deleted last event, a log cut short, emptied or
  replaced by another is reported, naming both files);
- the claims still hold what was logged (a hand edit of a status, note or evidence changes
  the digest; the claims that differ are then found by replaying the log);
- events logged after the last save (a crash between the append and the save, since the log
  is written first) are rolled forward into the file: review events, and a claim added by
  hand (its `added` event holds the whole claim) or taken out again (`removed`, by an undo).

A claim file without a head (version 1, or never saved by a review) is compared with the
log by replaying it, once: what the log holds and the file lacks is rolled forward, what the
file holds and the log lacks is recorded in the log as found, with a warning.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import audit
from .model import MANUAL_RULE, SCHEMA_VERSION, AuditHead, Claim, ClaimFile, Status

REVIEW_FIELDS = ("status", "note", "evidence", "reason", "wording")
# Events that add or take out a claim an editor added by hand; a re-extraction's `added` is
# not one (it is done again, not rolled forward: see `Review._not_logged`).
CLAIM_FIELDS = ("added", "removed")
DEFAULTS: dict[str, Any] = {"status": Status.pending.value, "note": "", "evidence": [], "reason": None,
                            "wording": None}
_MOD = 1 << 128
MAX_LINES = 3  # hand-edited claims named one by one; the rest counted


# json.dumps(review, ensure_ascii=False, separators=(",", ":")) with its encoder made once: dumps
# builds one per call with these arguments, two thirds of a fingerprint's time.
_CANON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def fingerprint(c: Claim) -> int:
    """A claim's review as a number; the file's digest is their sum, so that one change
    updates it in constant time (a key press on a file of 10,000 claims)."""
    review = [c.id, c.status.value, c.note, list(c.evidence)]
    if c.reason is not None:  # only then: the claims of version 1 and 2 files keep their fingerprints
        review.append(c.reason)
    if c.wording is not None:  # tagged: a wording is never taken for a reason
        review.append({"wording": c.wording})
    canon = _CANON.encode(review)
    return int.from_bytes(hashlib.sha256(canon.encode("utf-8")).digest()[:16], "big")


def digest(claims: list[Claim]) -> int:
    return sum(map(fingerprint, claims)) % _MOD


def head(events: int, last_hash: str, state: int) -> AuditHead:
    return AuditHead(events=events, head=last_hash, state=f"{state % _MOD:032x}")


def review_of(c: Claim) -> dict[str, Any]:
    return {"status": c.status.value, "note": c.note, "evidence": list(c.evidence), "reason": c.reason,
            "wording": c.wording}


@dataclass
class Logged:
    """The review of one claim as the log's events leave it, with the last event per field."""

    values: dict[str, Any] = field(default_factory=dict)
    last: dict[str, audit.Event] = field(default_factory=dict)

    def value(self, name: str) -> Any:
        return self.values.get(name, DEFAULTS[name])


def replay(events: list[audit.Event]) -> dict[str, Logged]:
    """What the events say each claim's review is (claims with no review event are absent)."""
    out: dict[str, Logged] = {}
    for e in events:
        if e.field in REVIEW_FIELDS:
            r = out.setdefault(e.claim, Logged())
            r.values[e.field] = e.new
            r.last[e.field] = e
    return out


@dataclass
class Agreement:
    """What opening a claim file found about it and its log."""

    claim_file: Path
    log: Path
    problems: list[str] = field(default_factory=list)  # the two disagree: nothing may be changed
    torn: str | None = None  # the log's torn end (refuses appends until repaired)
    pending: list[audit.Event] = field(default_factory=list)  # logged after the file's last save
    unlogged: list[audit.Change] = field(default_factory=list)  # head-less file: reviews the log lacks
    tip: audit.Tip | None = None  # where the log ends, for appending without reading it
    events: int = 0  # the log's events, as far as known
    last_hash: str = audit.GENESIS
    state: int | None = None  # the claims' digest, when the check worked it out (Review keeps it)

    @property
    def ok(self) -> bool:
        return not self.problems and not self.torn

    def recovered(self) -> str:
        """The one line said when pending events were rolled forward ('' when none changes the file)."""
        n = sum(e.field in REVIEW_FIELDS for e in self.pending)
        added = sum(e.field == "added" and by_hand(e) for e in self.pending)
        removed = sum(e.field == "removed" and by_hand(e) for e in self.pending)
        parts = [("1 logged decision" if n == 1 else f"{n} logged decisions") if n else "",
                 ("1 claim added by hand" if added == 1 else f"{added} claims added by hand") if added else "",
                 ("1 claim taken out again" if removed == 1 else f"{removed} claims taken out again") if removed else ""]
        what = " and ".join(p for p in parts if p)
        return (f"{self.claim_file}: recovered {what} from {self.log} that the claim file did not have "
                "(a save cut short?)") if what else ""


def _shown(v: Any) -> str:
    return json.dumps(v, ensure_ascii=False) if not isinstance(v, str) or not v else v


def check(claim_file: Path | str, cf: ClaimFile) -> Agreement:
    """Compare a claim file with its audit log (see the module's docstring); changes nothing."""
    claim_file = Path(claim_file)
    log = audit.log_path(claim_file)
    a = Agreement(claim_file, log)
    h = cf.audit
    if h is None:
        return _check_headless(a, cf)
    t = audit.tail(log, h.events)
    a.torn, a.tip = t.torn, t.tip
    a.events = t.count
    a.last_hash = t.events[-1].hash if t.events else audit.GENESIS
    verify = f"`claimcheck audit verify {claim_file}`"
    if not log.exists():
        if h.events:
            a.problems.append(f"{log}: missing, but {claim_file} was saved after event {h.events} of it "
                              f"(deleted or moved?): restore it (see {verify})")
        return _check_state(a, cf, [])
    if t.count < h.events:
        lost = "every event" if t.count == 0 else f"the last {h.events - t.count} events"
        a.problems.append(f"{log}: holds {t.count} events, but {claim_file} was saved after event {h.events}: "
                          f"{lost} removed, or the log cut short or replaced (see {verify})")
        return a
    if h.events:
        at = next((e for e in t.events if e.seq == h.events), None)
        if at is None and t.whole:
            at = t.events[h.events - 1] if len(t.events) >= h.events else None
        if at is None or at.hash != h.head:
            a.problems.append(f"{log}: event {h.events} is not the one {claim_file} was saved after "
                              f"(the log was replaced or rewritten; see {verify})")
            return a
    a.pending = [e for e in t.events if e.seq > h.events]
    return _check_state(a, cf, None)


def _check_state(a: Agreement, cf: ClaimFile, events: list[audit.Event] | None) -> Agreement:
    """A claim file whose digest is not the recorded one was edited by hand: name the claims."""
    assert cf.audit is not None
    a.state = digest(cf.claims)
    if f"{a.state:032x}" == cf.audit.state:
        return a
    if events is None:
        events = [e for e in audit.read(a.log).events if e.seq <= cf.audit.events]
    logged = replay(events)
    diffs = []
    for i, c in enumerate(cf.claims):
        r = logged.get(c.id, Logged())
        for name, value in review_of(c).items():
            if value != r.value(name):
                diffs.append(f"{a.claim_file}: claims[{i}] {c.id}: {name} is {_shown(value)}, but the audit log "
                             f"says {_shown(r.value(name))} (edited by hand?)")
    if not diffs:  # a claim removed or added by hand changes the digest too
        diffs.append(f"{a.claim_file}: its claims are not the ones it was saved with (edited by hand?)")
    more = len(diffs) - MAX_LINES
    a.problems += diffs[:MAX_LINES] + ([f"and {more} more like it (see `claimcheck audit verify {a.claim_file}`)"]
                                       if more > 0 else [])
    return a


def _check_headless(a: Agreement, cf: ClaimFile) -> Agreement:
    state = audit.read(a.log)  # once: the next save records the head
    a.torn = state.torn
    a.events = len(state.events)
    a.last_hash = state.events[-1].hash if state.events else audit.GENESIS
    logged = replay(state.events)
    for c in cf.claims:
        r = logged.get(c.id)
        for name, value in review_of(c).items():
            want = r.value(name) if r else DEFAULTS[name]
            if value == want:
                continue
            last = r.last.get(name) if r else None
            if last is not None and (c.reviewed_at is None or last.time > c.reviewed_at):
                a.pending.append(last)  # logged later than the file's review: a save was lost
            else:
                a.unlogged.append(audit.Change(c.id, name, want, value))
    a.pending.sort(key=lambda e: e.seq)
    return a


def by_hand(e: audit.Event) -> bool:
    """An `added` or `removed` event of a claim an editor added (rule manual), which holds the
    whole claim: one a roll-forward can apply. A re-extraction's `added` holds a summary only."""
    if e.field not in CLAIM_FIELDS:
        return False
    held = e.new if e.field == "added" else e.old
    return isinstance(held, dict) and held.get("rule") == MANUAL_RULE and isinstance(held.get("claim"), dict)


def in_order(claims: list[Claim], claim: Claim) -> list[Claim]:
    """The claims with `claim` put in article order (before the first that starts after it)."""
    at = next((i for i, c in enumerate(claims) if c.trigger.start > claim.trigger.start), len(claims))
    return [*claims[:at], claim, *claims[at:]]


def roll_forward(cf: ClaimFile, pending: list[audit.Event]) -> ClaimFile:
    """The claim file with the events it lacks applied, as the save they preceded would have
    left it: review events, and claims added by hand or taken out again (`by_hand`). Events of
    other kinds (a re-extraction's) change no review and are passed."""
    claims = list(cf.claims)
    index = {c.id: i for i, c in enumerate(claims)}
    for e in pending:
        if e.field in CLAIM_FIELDS:
            if not by_hand(e):
                continue
            if e.field == "added" and e.claim not in index:
                claims = in_order(claims, Claim.model_validate(e.new["claim"]))
            elif e.field == "removed" and e.claim in index and claims[index[e.claim]].rule == MANUAL_RULE:
                del claims[index[e.claim]]  # never an extracted claim
            index = {c.id: i for i, c in enumerate(claims)}
            continue
        i = index.get(e.claim)
        if e.field not in REVIEW_FIELDS or i is None:
            continue
        value: Any = Status(e.new) if e.field == "status" else list(e.new or []) if e.field == "evidence" else e.new
        claims[i] = claims[i].model_copy(update={e.field: value, "reviewed_by": e.reviewer, "reviewed_at": e.time})
    return cf.model_copy(update={"claims": claims})


def unlogged_note(a: Agreement) -> str:
    n = len({ch.claim for ch in a.unlogged})
    which = "1 claim's review is" if n == 1 else f"{n} claims' reviews are"
    return (f"{a.claim_file}: {which} not in the audit log {a.log} (judged before the log began, or edited "
            "by hand); recorded in it as found")


def with_head(cf: ClaimFile, events: int, last_hash: str, state: int | None = None) -> ClaimFile:
    """The claim file as saved after event `events` of its log (version 2: it records the head);
    `state`: the claims' digest, when the caller keeps it up to date."""
    state = digest(cf.claims) if state is None else state
    return cf.model_copy(update={"audit": head(events, last_hash, state), "schema_": SCHEMA_VERSION})


def full_check(claim_file: Path | str, cf: ClaimFile, events: list[audit.Event],
               a: Agreement | None = None) -> list[str]:
    """`check`, and then every claim's review compared with the whole log's replay (what
    `audit verify` adds to the check made on opening, which reads only the log's end).
    `a`: what `check` found already, when the caller made it."""
    a = check(claim_file, cf) if a is None else a
    if a.problems:
        return a.problems
    upto = cf.audit.events if cf.audit is not None else len(events)
    logged = replay([e for e in events if e.seq <= upto])
    if cf.audit is None:
        return []  # a file without a head: its differences are rolled forward or recorded, not errors
    out = []
    for i, c in enumerate(cf.claims):
        r = logged.get(c.id, Logged())
        out += [f"{a.claim_file}: claims[{i}] {c.id}: {name} is {_shown(v)}, but the audit log says "
                f"{_shown(r.value(name))}" for name, v in review_of(c).items() if v != r.value(name)]
    return out[:MAX_LINES] + ([f"and {len(out) - MAX_LINES} more like it"] if len(out) > MAX_LINES else [])
