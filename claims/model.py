"""The claim-file format: these pydantic models are its only definition.

`claimcheck schema` prints the JSON Schema generated from them; the YAML on disk is
`ClaimFile.model_dump(mode="json", by_alias=True)` in field order.
"""
from __future__ import annotations

from datetime import date as date_type
from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

# 2: claim files record the head of their audit log (`audit`).
# 3: a claim may be dismissed (with a `reason`), and added by hand (`added_by`, rule `manual`);
#    the statement it leads may have a published `wording`.
# Versions 1 and 2 still load: their claims have neither field.
SCHEMA_VERSION = 3


class Kind(StrEnum):
    quantity = "quantity"
    date = "date"
    attribution = "attribution"
    ranking = "ranking"


class Status(StrEnum):
    pending = "pending"
    verified = "verified"
    disputed = "disputed"
    dismissed = "dismissed"  # not a checkable claim: left out of the progress and of what is published


# Why a claim was dismissed, as offered in the review UI; an editor may also type a reason.
DISMISS_REASONS = ("not a claim", "duplicate", "opinion", "out of scope")
MANUAL_RULE = "manual"  # the `rule` of a claim an editor added by hand


class Comparator(StrEnum):
    """How the written figure relates to the true one (约 → approx, 超 → over, ...)."""

    approx = "approx"  # 约, 左右, 上下, 大约
    over = "over"  # 超, 超过, 逾, 多, 余
    at_least = "at_least"  # 以上, 至少
    under = "under"  # 不到, 不足, 低于
    nearly = "nearly"  # 近, 将近, 接近: just under
    at_most = "at_most"  # 以下, 至多, 最多


class Change(StrEnum):
    """A figure that states a change (增长35%), not a level (占35%)."""

    increase = "increase"  # 增长, 增加, 上升, 提高
    decrease = "decrease"  # 下降, 减少, 下跌, 降低


class Compared(StrEnum):
    year_on_year = "year_on_year"  # 同比
    month_on_month = "month_on_month"  # 环比


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Span(_Strict):
    """Half-open [start, end) code-point offsets into the article as decoded."""

    start: Annotated[int, Field(ge=0)]
    end: Annotated[int, Field(ge=0)]

    @model_validator(mode="after")
    def _ordered(self) -> Span:
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        return self


class Trigger(_Strict):
    """The words that make a claim checkable; `text` is article[start:end]."""

    text: str
    start: Annotated[int, Field(ge=0)]
    end: Annotated[int, Field(ge=0)]

    @model_validator(mode="after")
    def _length(self) -> Trigger:
        if len(self.text) != self.end - self.start:
            raise ValueError(f"text {self.text!r} is not {self.end - self.start} characters long")
        return self


class Speaker(_Strict):
    name: str
    title: str | None = None
    cue: str | None = None


class Claim(_Strict):
    id: str
    kind: Kind
    text: str = Field(description="the clause that holds the claim")
    span: Span = Field(description="the clause's offsets")
    trigger: Trigger
    value: int | float | str | None = Field(
        default=None,
        description="quantity: a number (ratios as fractions); date: ISO 8601 at the text's precision",
    )
    value_high: int | float | str | None = Field(default=None, description="upper bound of a range")
    unit: str | None = None
    currency: str | None = Field(default=None, description="ISO 4217 code of a money amount")
    comparator: Comparator | None = None
    change: Change | None = None
    compared: Compared | None = Field(default=None, description="the basis of a change: 同比 or 环比")
    speaker: Speaker | None = None
    rule: str = Field(description="id of the rule that produced the claim")
    status: Status = Status.pending
    note: str = ""
    evidence: list[str] = Field(default_factory=list)
    reason: str | None = Field(default=None, description="why the claim was dismissed (status dismissed)")
    wording: str | None = Field(default=None, description="how the statement this claim leads is published "
                                "(ClaimReview's claimReviewed), when an editor set it; else its sentence")
    reviewed_by: str | None = None
    reviewed_at: datetime | None = None
    added_by: str | None = Field(default=None, description=f"who added the claim by hand (its rule is {MANUAL_RULE!r})")
    orphaned_at: datetime | None = Field(
        default=None, description="set when re-extraction no longer finds the claim in the article; it is kept"
    )

    @field_validator("value", "value_high", mode="before")
    @classmethod
    def _iso_dates(cls, v):
        # A hand-edited `value: 2023-06-30` arrives from YAML as a date object.
        return v.isoformat() if isinstance(v, date_type) else v

    @model_validator(mode="after")
    def _trigger_inside_span(self) -> Claim:
        if not (self.span.start <= self.trigger.start and self.trigger.end <= self.span.end):
            raise ValueError("trigger lies outside the claim's span")
        if len(self.text) != self.span.end - self.span.start:
            raise ValueError("text does not have the span's length")
        return self


class Document(_Strict):
    id: str = Field(description="the article's file name without its extension")
    path: str
    sha256: str
    title: str = ""
    url: str | None = Field(default=None, description="where the article was published, when known")
    date: str | None = Field(default=None, description="the article's own date, ISO 8601")
    encoding: str
    rules: str | None = Field(default=None, description="digest of the rule packs used: re-extraction skips unchanged articles only if they match")

    @field_validator("date", mode="before")
    @classmethod
    def _iso_date(cls, v):
        return v.isoformat() if isinstance(v, date_type) else v


class AuditHead(_Strict):
    """What the audit log held when the claim file was last saved: the file vouches for that
    history, so a log that lost events, was cut short or replaced is noticed on opening, and
    events logged after it (a save cut off by a crash) are rolled forward."""

    events: Annotated[int, Field(ge=0, description="events in the log")]
    head: str = Field(description="hash of the log's last event (64 zeros for an empty log)", pattern="^[0-9a-f]{64}$")
    state: str = Field(description="digest of every claim's status, note and evidence as logged",
                       pattern="^[0-9a-f]{32}$")


class ClaimFile(_Strict):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    # Strict: `schema: "1"` or `schema: 1.5` is a hand edit gone wrong, not version 1.
    schema_: int = Field(default=SCHEMA_VERSION, alias="schema", strict=True)
    document: Document
    audit: AuditHead | None = Field(default=None, description="the audit log's head at the last save (version 2)")
    claims: list[Claim] = Field(default_factory=list)

    @field_validator("schema_")
    @classmethod
    def _known_schema(cls, v: int) -> int:
        if v > SCHEMA_VERSION:
            raise ValueError(f"version {v} is newer than this claimcheck understands ({SCHEMA_VERSION}); upgrade claimcheck")
        if v < 1:
            raise ValueError(f"version {v} does not exist (this claimcheck reads versions 1 to {SCHEMA_VERSION})")
        return v

    @field_validator("claims")
    @classmethod
    def _unique_ids(cls, claims: list[Claim]) -> list[Claim]:
        first: dict[str, int] = {}
        for i, c in enumerate(claims):
            if c.id in first:
                # store.validation_problems points this error at the duplicate's `id:` line
                raise PydanticCustomError(
                    "duplicate_id", "duplicate id {id} (claims[{first}] has it too)",
                    {"index": i, "id": repr(c.id), "first": first[c.id]},
                )
            first[c.id] = i
        return claims


def json_schema() -> dict:
    return ClaimFile.model_json_schema(by_alias=True)
