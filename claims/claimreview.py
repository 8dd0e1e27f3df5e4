"""Verified and disputed claims published as schema.org ClaimReview JSON-LD."""
from __future__ import annotations

import json

from . import statements
from .errors import FileError
from .model import Status
from .opening import Opened, stale_articles
from .statements import Statement

RATINGS = {Status.verified: (3, "属实"), Status.disputed: (1, "有争议")}
MAX_CLAIM_REVIEWED = 74  # Google shows claimReviewed in full only under 75 characters


def _short(text: str, focus: str, limit: int = MAX_CLAIM_REVIEWED) -> str:
    """At most `limit` characters of `text`, keeping `focus` (the trigger) in view."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    at = max(text.find(focus), 0)
    start = max(0, min(at - limit // 3, len(text) - limit + 2))
    piece = text[start : start + limit - 2]
    return ("…" if start else "") + piece + ("…" if start + len(piece) < len(text) else "")


def automatic_wording(st: Statement) -> str:
    """The sentence, cut to what Google shows in full, around the statement's first figure."""
    return _short(st.sentence, st.lead.trigger.text)


def wording(st: Statement) -> str:
    """What `claimReviewed` says: the editor's wording when set (kept on the statement's lead
    claim, see claims/wording.py), else `automatic_wording`."""
    return getattr(st.lead, "wording", None) or automatic_wording(st)


def statement_review(st: Statement, org: str, review_url: str, article_url: str | None) -> dict:
    """One schema.org ClaimReview for a statement: one verdict for its sentence."""
    o = st.opened
    (status,) = st.verdicts  # statements.conflicts refused any other
    value, label = RATINGS[status]
    item: dict = {"@type": "Claim"}
    speaker = st.speaker()
    if speaker:
        kind = "Organization" if any(w in speaker.name for w in ("、", "等")) else "Person"
        item["author"] = {"@type": kind, "name": speaker.name}
        if speaker.title:
            item["author"]["jobTitle"] = speaker.title
    if o.cf.document.date:
        item["datePublished"] = o.cf.document.date
    url = article_url or o.cf.document.url
    if url:
        item["appearance"] = {"@type": "CreativeWork", "url": url, "headline": o.cf.document.title}
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"{review_url.rstrip('#')}#{o.cf.document.id}-{st.lead.id}",
        "claimReviewed": wording(st),
        "itemReviewed": item,
        "author": {"@type": "Organization", "name": org},
        "reviewRating": {
            "@type": "Rating", "ratingValue": value, "bestRating": 3, "worstRating": 1, "alternateName": label,
        },
    }
    # The audit log's head when this was published: `claimcheck audit verify --head` shows
    # later that the record behind the verdict was not rewritten.
    review["identifier"] = {"@type": "PropertyValue", "propertyID": "claimcheck-audit-head",
                            "value": f"{o.head['hash']}:{o.head['events']}"}
    times = [c.reviewed_at for c in st.claims if c.reviewed_at]
    if times:
        review["datePublished"] = max(times).date().isoformat()
    notes = list(dict.fromkeys(c.note for c in st.claims if c.note))  # each once, in article order
    if notes:
        review["reviewRating"]["ratingExplanation"] = "；".join(notes)
    return review


def publishable(opened: list[Opened]) -> list[Statement]:
    """The statements to publish, in file and article order.

    Raises FileError, naming each one, when a claim file with something to publish no longer
    matches its article (changed or missing): a review would quote words the article may not
    hold any more. The whole export is refused, not just those files: a ClaimReview feed is
    regenerated and replaced whole, so leaving a file out would silently withdraw its published
    reviews, and a desk would rather re-extract (which keeps every decision) and publish once.
    Raises it too, naming the claims, when a statement's claims were judged both ways.
    """
    stale = stale_articles([o for o in opened if any(c.status in RATINGS and c.orphaned_at is None
                                                     for c in o.cf.claims)])
    if len(stale) == 1 and len(opened) == 1:
        raise FileError([f"{stale[0]}; no ClaimReview written"])
    if stale:
        raise FileError([*stale, f"no ClaimReview written: {len(stale)} of {len(opened)} claim files "
                                 "no longer match their articles (re-extract them, then export again)"])
    out = [st for o in opened for st in statements.of(o, o.article())]
    found = statements.conflicts(out)
    if found:
        n = len(found)
        raise FileError([*found, f"no ClaimReview written: {n} statement{'s' if n != 1 else ''} "
                                 f"{'have' if n != 1 else 'has'} conflicting verdicts"])
    return out


def claim_reviews(opened: list[Opened], org: str, review_url: str, article_url: str | None = None) -> list[dict]:
    """The ClaimReview of every statement holding live verified or disputed claims (one per
    statement: see `publishable`, which may refuse)."""
    return [statement_review(st, org, review_url, article_url) for st in publishable(opened)]


def unknown_urls(opened: list[Opened], article_url: str | None = None) -> list[str]:
    """A warning per claim file with something to publish whose article's address is unknown."""
    if article_url:
        return []
    return [f"{o.path}: the article's URL is unknown, so its reviews have no itemReviewed.appearance "
            f"(Google needs it to show them); give --article-url, or --url when extracting"
            for o in opened if not o.cf.document.url and any(c.status in RATINGS and c.orphaned_at is None
                                                             for c in o.cf.claims)]


def nothing_to_publish(opened: list[Opened]) -> str:
    """Why an export holds no review: what the claim files hold instead, counted by status."""
    live = [c for o in opened for c in o.cf.claims if c.orphaned_at is None]
    by = {s: sum(1 for c in live if c.status.value == s) for s in ("pending", "dismissed")}
    n = len(opened)
    held = ", ".join(f"{v} {k}" for k, v in by.items() if v) or "no claims"
    return (f"nothing to publish: no verified or disputed claims in {n} claim file{'s' if n != 1 else ''} "
            f"({held}); no ClaimReview written")


_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def claim_review_json(reviews: list[dict]) -> str:
    """JSON-LD safe to paste into a page's <script type="application/ld+json">: `<`, `>` and `&`
    are written as escapes, so `</script>` in a note cannot end the element (JSON reads them
    back as the same characters)."""
    return json.dumps(reviews, ensure_ascii=False, indent=2).translate(_SCRIPT_SAFE) + "\n"
