"""Reviewing a claim file: every change is logged, then saved at once.

The UI and `claimcheck mark` both go through `Review`, so both write the same audit events.
The event is appended (and fsynced) before the claim file is replaced: a crash between the
two leaves a logged intent, never an unlogged decision.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from . import audit, store, yamlio
from .lock import FileLock, Holder, Locked, Unwritable, reviewer_name
from .merge import merge
from .model import Claim, ClaimFile, Status
from .yamlio import FileError

REVIEW_FIELDS = ("status", "note", "evidence")


class ReadOnly(FileError):
    pass


class Review:
    """An open claim file. Read-only when another process holds its lock."""

    def __init__(self, path: Path | str, reviewer: str | None = None, *, lock: bool = True):
        self.path = Path(path)
        self.reviewer = reviewer_name(reviewer)
        self.log = audit.log_path(self.path)
        self._chain = audit.Chain(self.log)  # every change appends: keep where the log ends
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

    @property
    def read_only(self) -> bool:
        return self.locked_by is not None

    def lost_history(self) -> str:
        """'' unless claims were judged but the audit log is gone (deleted, or never copied with
        the claim file): then what to say before a new log starts."""
        if self.log.exists():
            return ""
        judged = sum(1 for c in self.cf.claims if c.reviewed_at or c.note or c.evidence)
        if not judged:
            return ""
        which = "1 claim was" if judged == 1 else f"{judged} claims were"
        return (f"{self.log}: no audit log, though {which} already judged; their history is not in it "
                "(restore the log if you have it), a new log starts with the next change")

    @property
    def read_only_reason(self) -> str:
        """Why nothing can be changed, for a message: '' when the file is writable."""
        if self.unwritable is not None:
            return f"cannot be changed here ({self.unwritable})"
        return f"being reviewed by {self.locked_by}" if self.locked_by else ""

    def claim(self, claim_id: str) -> Claim:
        try:
            return self.cf.claims[self._index[claim_id]]
        except KeyError:
            raise FileError([f"{self.path}: no claim with id {claim_id!r}"]) from None

    def update(self, claim_id: str, **fields: Any) -> Claim:
        """Set review fields of one claim; log each change, then save the file atomically.

        Fields that already have the given value are not logged. Returns the updated claim.
        """
        if self.read_only:
            why = self.read_only_reason if self.unwritable else f"being edited by {self.locked_by}"
            raise ReadOnly([f"{self.path}: read-only, {why}"])
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
        events = self._chain.append(changes, self.reviewer)
        new = old.model_copy(update={**fields, "reviewed_by": self.reviewer, "reviewed_at": events[-1].time})
        i = self._index[claim_id]
        claims = list(self.cf.claims)
        claims[i] = new
        updated = self.cf.model_copy(update={"claims": claims})
        was = self._text.replace(i, new)
        try:
            yamlio.write_atomic(self.path, self._text.text())
        except BaseException:
            self._text.replace_block(i, was)  # the file still holds the old claim
            raise
        self.cf = updated
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

    def merge_extraction(self, fresh: ClaimFile) -> list[audit.Change]:
        """Merge a new extraction of the (edited) article into the file, as `claimcheck extract`
        does on a re-run: every decision kept, new claims pending, vanished claims orphaned.

        The changes are logged first, then the whole file is saved. Returns the changes.
        Raises ReadOnly, or FileError when the log or the file cannot be written (nothing changed).
        """
        if self.read_only:
            raise ReadOnly([f"{self.path}: read-only, {self.read_only_reason}; not re-extracted"])
        merged, changes = merge(self.cf, fresh)
        self._chain.append(changes, self.reviewer)
        text = store.ClaimFileText(merged)
        yamlio.write_atomic(self.path, text.text())
        self.cf, self._text = merged, text
        self._index = {c.id: i for i, c in enumerate(merged.claims)}
        return changes

    def close(self) -> None:
        self._lock.release()

    def __enter__(self) -> Review:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _plain(v: Any) -> Any:
    if isinstance(v, Status):
        return v.value
    if isinstance(v, list):
        return list(v)
    return v
