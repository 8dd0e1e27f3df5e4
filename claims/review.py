"""Reviewing a claim file: every change is logged, then saved at once.

The UI and `claimcheck mark` both go through `Review`, so both write the same audit events.
The event is appended (and fsynced) before the claim file is replaced: a crash between the
two leaves a logged intent, never an unlogged decision.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from . import agreement, audit, store, yamlio
from .errors import FileError
from .lock import FileLock, Holder, Locked, Unwritable, reviewer_name
from .merge import merge
from .model import MANUAL_RULE, Claim, ClaimFile, Status
from .text import decode

REVIEW_FIELDS = agreement.REVIEW_FIELDS
EXTRACTION_FIELDS = ("added", "changed", "orphaned", "restored")  # what claims.merge logs


class ReadOnly(FileError):
    pass


class Review:
    """An open claim file. Read-only when another process holds its lock."""

    def __init__(self, path: Path | str, reviewer: str | None = None, *, lock: bool = True):
        self.path = store.through_links(Path(path))
        self.reviewer = reviewer_name(reviewer)
        self.log = audit.log_path(self.path)
        self.notices: list[str] = []  # what opening did (decisions recovered), said once
        self.locked_by: Holder | None = None
        self.unwritable: str | None = None  # why the lock could not be created (read-only folder, full disk)
        self._lock = FileLock(self.path, self.reviewer)
        if lock and self.path.is_file():
            try:
                self._lock.acquire()
            except Locked as e:
                self.locked_by = e.by
            except (Unwritable, OSError) as e:
                # A folder we cannot write to: nothing could be saved anyway.
                self.unwritable = e.reason if isinstance(e, Unwritable) else (e.strerror or str(e))
                self.locked_by = Holder("nobody (the folder is not writable)", "-", 0, "-")
        # Read only once the lock is ours: read before, the file could still change under us
        # (the last save of the editor who held it) and our first save would undo theirs.
        try:
            self.cf: ClaimFile
            self.cf, self._text = store.load_for_editing(self.path)
        except BaseException:
            self._lock.release()
            raise
        self._index = {c.id: i for i, c in enumerate(self.cf.claims)}
        try:
            self.agreement = agreement.check(self.path, self.cf)
        except BaseException:
            self._lock.release()
            raise
        self._lost = self._lost_history()  # before a new log is started below
        # Kept up to date claim by claim; worked out once (the check may have: a tenth of a
        # second at 10,000 claims).
        self._state = self.agreement.state if self.agreement.state is not None else agreement.digest(self.cf.claims)
        self._chain = audit.Chain(self.log, self.agreement.tip)  # every change appends: keep where the log ends
        if not self.read_only and self.agreement.ok:
            self._settle()

    def _settle(self) -> None:
        """Bring the file and the log together on opening: events the file lacks are rolled
        forward, reviews the log lacks (a file without a head) are recorded in it as found."""
        a = self.agreement
        if not a.pending and not a.unlogged:
            return
        events, last = a.events, a.last_hash
        if a.unlogged:
            self.notices.append(self._lost or agreement.unlogged_note(a))
            logged = self._chain.append(a.unlogged, self.reviewer)
            events, last = logged[-1].seq, logged[-1].hash
        cf = self.cf
        if a.pending:
            cf = agreement.roll_forward(cf, a.pending)
            if said := a.recovered():
                self.notices.append(said)
        self._save_whole(agreement.with_head(cf, events, last))

    def _save_whole(self, cf: ClaimFile) -> None:
        text = store.ClaimFileText(cf)
        yamlio.write_atomic(self.path, text.data())
        self.cf, self._text = cf, text
        self._index = {c.id: i for i, c in enumerate(cf.claims)}
        self._state = agreement.digest(cf.claims)

    def refusal(self) -> str:
        """'' when changes may be made; else why not, with the command that says more."""
        if self.agreement.torn:
            return f"{self.agreement.torn}; run `claimcheck audit repair {self.log}` first"
        return self.agreement.problems[0] if self.agreement.problems else ""

    @property
    def read_only(self) -> bool:
        return self.locked_by is not None

    def lost_history(self) -> str:
        """'' unless claims were judged but the audit log was gone (deleted, or never copied with
        the claim file) when the file was opened: then what to say."""
        return self._lost

    def _lost_history(self) -> str:
        if self.log.exists() or self.cf.audit is not None:
            return ""
        judged = sum(1 for c in self.cf.claims if c.reviewed_at or c.note or c.evidence)
        if not judged:
            return ""
        which = "1 claim was" if judged == 1 else f"{judged} claims were"
        return (f"{self.log}: no audit log, though {which} already judged; their history is not in it "
                "(restore the log if you have it); a new log starts, with their reviews as found")

    @property
    def read_only_reason(self) -> str:
        """Why nothing can be changed, for a message: '' when the file is writable."""
        if self.unwritable is not None:
            return f"cannot be changed here ({self.unwritable})"
        return f"being reviewed by {self.locked_by}" if self.locked_by else ""

    def has(self, claim_id: str) -> bool:
        return claim_id in self._index

    def claim(self, claim_id: str) -> Claim:
        try:
            return self.cf.claims[self._index[claim_id]]
        except KeyError:
            raise FileError([f"{self.path}: no claim with id {claim_id!r}"]) from None

    def update(self, claim_id: str, also: tuple[audit.Change, ...] = (), **fields: Any) -> Claim:
        """Set review fields of one claim; log each change, then save the file atomically.

        Fields that already have the given value are not logged. `also`: events logged with the
        changes, saying more about them (where an adopted verdict came from). Returns the updated claim.
        """
        if self.read_only:
            why = self.read_only_reason if self.unwritable else f"being edited by {self.locked_by}"
            raise ReadOnly([f"{self.path}: read-only, {why}"])
        if why := self.refusal():
            raise FileError([f"{why}; nothing was changed"])
        unknown = set(fields) - set(REVIEW_FIELDS)
        if unknown:
            raise ValueError(f"not a review field: {', '.join(sorted(unknown))}")
        old = self.claim(claim_id)
        if "status" in fields:
            fields["status"] = Status(fields["status"])
        changes = [
            audit.Change(claim_id, k, _plain(getattr(old, k)), _plain(v))
            for k, v in fields.items()
            if getattr(old, k) != v
        ]
        if not changes:
            return old
        events = self._chain.append([*changes, *also], self.reviewer)
        new = old.model_copy(update={**fields, "reviewed_by": self.reviewer, "reviewed_at": events[-1].time})
        i = self._index[claim_id]
        claims = list(self.cf.claims)
        claims[i] = new
        state = (self._state - agreement.fingerprint(old) + agreement.fingerprint(new)) % (1 << 128)
        updated = agreement.with_head(self.cf.model_copy(update={"claims": claims}), events[-1].seq,
                                      events[-1].hash, state)
        was, head_was = self._text.replace(i, new), self._text.set_head(updated)
        try:
            yamlio.write_atomic(self.path, self._text.data())
        except BaseException:
            self._text.replace_block(i, was)  # the file still holds the old claim
            self._text.head = head_was
            raise
        self.cf, self._state = updated, state
        return new

    def set_status(self, claim_id: str, status: Status | str) -> Claim:
        return self.update(claim_id, status=Status(status))

    def set_note(self, claim_id: str, note: str) -> Claim:
        return self.update(claim_id, note=note)

    def add_evidence(self, claim_id: str, item: str) -> Claim:
        item = item.strip()
        if not item:
            return self.claim(claim_id)
        return self.update(claim_id, evidence=[*self.claim(claim_id).evidence, item])

    def add_claim(self, claim: Claim) -> Claim:
        """Add a claim the extractor missed (see `claims.manual`): logged as `added`, with who
        added it, then saved, in article order. Refuses a claim of the same kind on the same words."""
        if self.read_only:
            raise ReadOnly([f"{self.path}: read-only, {self.read_only_reason}; nothing was added"])
        if why := self.refusal():
            raise FileError([f"{why}; nothing was added"])
        for c in self.cf.claims:
            if c.kind == claim.kind and (c.trigger.start, c.trigger.end) == (claim.trigger.start, claim.trigger.end):
                raise FileError([f"{self.path}: {c.id} is already a {c.kind.value} claim on {c.trigger.text!r}; "
                                 "nothing was added"])
        if claim.id in self._index:
            raise FileError([f"{self.path}: a claim with id {claim.id!r} exists already; nothing was added"])
        events = self._chain.append([audit.Change(claim.id, "added", None, _held(claim))], self.reviewer)
        claims = agreement.in_order(self.cf.claims, claim)
        self._save_whole(agreement.with_head(self.cf.model_copy(update={"claims": claims}),
                                             events[-1].seq, events[-1].hash))
        return claim

    def remove_claim(self, claim_id: str) -> Claim:
        """Take out a claim added by hand (the UI's undo of an add): logged as `removed`, holding
        the claim, then saved. An extracted claim is never taken out (it is dismissed instead):
        the extractor would find it again, and its history would point at nothing."""
        if self.read_only:
            raise ReadOnly([f"{self.path}: read-only, {self.read_only_reason}; nothing was removed"])
        if why := self.refusal():
            raise FileError([f"{why}; nothing was removed"])
        claim = self.claim(claim_id)
        if claim.rule != MANUAL_RULE:
            raise FileError([f"{self.path}: {claim_id} was extracted, not added by hand: it is never taken out "
                             "(dismiss it instead); nothing was removed"])
        events = self._chain.append([audit.Change(claim_id, "removed", _held(claim), None)], self.reviewer)
        claims = [c for c in self.cf.claims if c.id != claim_id]
        self._save_whole(agreement.with_head(self.cf.model_copy(update={"claims": claims}),
                                             events[-1].seq, events[-1].hash))
        return claim

    def merge_extraction(self, fresh: ClaimFile, article: str | None = None) -> list[audit.Change]:
        """Merge a new extraction of the (edited) article into the file, as `claimcheck extract`
        does on a re-run: every decision kept, new claims pending, vanished claims orphaned.

        The changes are logged first, then the whole file is saved. Returns the changes.
        Raises ReadOnly, or FileError when the log or the file cannot be written (nothing changed).
        """
        if self.read_only:
            raise ReadOnly([f"{self.path}: read-only, {self.read_only_reason}; not re-extracted"])
        if why := self.refusal():
            raise FileError([f"{why}; not re-extracted"])
        if article is None:
            article = self._article_of(fresh)
        merged, changes = merge(self.cf, fresh, article=article)
        logged = self._chain.append(self._not_logged(changes), self.reviewer)
        events, last = (logged[-1].seq, logged[-1].hash) if logged else self._head()
        self._save_whole(agreement.with_head(merged, events, last))
        return changes

    def _not_logged(self, changes: list[audit.Change]) -> list[audit.Change]:
        """The changes of a re-extraction that its log does not hold already.

        A re-extraction killed between its append and its save is being done again: the log has
        its events, the file not their claims (a roll-forward cannot make a claim out of an
        event), and the head may since have moved past them (a `check`, a mark in between). So
        each change is looked up in the log: one whose claim's last event of these kinds is the
        same change (for `changed`, to the same content) is there already. Claims are never
        removed from a file but those added by hand, which a re-extraction does not pair, so
        nothing else leaves a claim's last such event unapplied."""
        if not changes:
            return changes
        last = audit.last_events(self.log, {c.claim for c in changes}, set(EXTRACTION_FIELDS))
        if not last:
            return changes

        def there(c: audit.Change) -> bool:
            e = last.get(c.claim)
            return e is not None and e.field == c.field and (c.field != "changed" or _canon(e.new) == _canon(c.new))

        return [c for c in changes if not there(c)]

    def _article_of(self, fresh: ClaimFile) -> str | None:
        """The text a fresh extraction was made from, when it can be found (for the claims added
        by hand, which follow their words); None when not, or when it has changed again since."""
        if not any(c.rule == MANUAL_RULE for c in self.cf.claims):
            return None
        found = store.locate_article(self.path, fresh)
        if found is None or hashlib.sha256(found[1]).hexdigest() != fresh.document.sha256:
            return None
        try:
            return decode(found[1], str(found[0]))[0]
        except FileError:
            return None

    def _head(self) -> tuple[int, str]:
        """The log's event count and last hash as this file last recorded or found them."""
        if self.cf.audit is not None:
            return self.cf.audit.events, self.cf.audit.head
        return self.agreement.events, self.agreement.last_hash

    def close(self) -> None:
        self._lock.release()

    def __enter__(self) -> Review:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()


def _held(claim: Claim) -> dict:
    """What an `added` or `removed` event of a claim added by hand holds: a summary to read
    (kind, words, clause, rule, value, speaker) and the whole claim, which a roll-forward puts
    back when a crash came between the log and the save (`agreement.by_hand`)."""
    return {"kind": claim.kind.value, "trigger": claim.trigger.text, "text": claim.text, "rule": claim.rule,
            **claim.model_dump(mode="json", include={"value", "value_high", "unit", "speaker"}, exclude_none=True),
            "claim": claim.model_dump(mode="json", exclude_none=True)}


def _canon(v: Any) -> str:
    # A value as the log's hash sees it: what was logged compares equal to what would be.
    return json.dumps(v, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def _plain(v: Any) -> Any:
    if isinstance(v, Status):
        return v.value
    if isinstance(v, list):
        return list(v)
    return v


def settle(path: Path | str, reviewer: str | None = None) -> tuple[list[str], agreement.Agreement]:
    """Open a claim file to bring it and its log together (see `Review._settle`), then close it:
    (what was done, what was found). When another editor holds the file nothing is changed, and
    the events it lacks are said to be waiting."""
    with Review(path, reviewer) as r:
        notes = list(r.notices)
        a = r.agreement
        if r.read_only and a.ok and (a.pending or a.unlogged):
            n = len(a.pending) + len(a.unlogged)
            notes.append(f"{r.path}: {n} logged change{'s' if n != 1 else ''} not in the claim file yet; "
                         f"it is {r.read_only_reason}: rolled forward when it is next opened for changes")
        return notes, a


def settle_behind(path: Path | str, cf: ClaimFile, reviewer: str | None = None) -> list[str]:
    """`settle`'s notes for a claim file that lacks events its log holds (decisions logged
    before a save was cut short); [] without opening it when it lacks none, at the cost of
    reading the log's end. For what skips a file otherwise (extract on an unchanged article).
    A file without a head is left to `check`, `mark` or the UI: comparing it reads the whole log."""
    if cf.audit is None:
        return []
    found = agreement.check(path, cf)
    if not found.ok or not found.pending:
        return []
    return settle(path, reviewer)[0]
