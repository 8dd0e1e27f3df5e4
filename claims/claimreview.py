"""Verified and disputed claims published as schema.org ClaimReview JSON-LD."""
from __future__ import annotations

import json

from .errors import FileError
from .model import Claim, Status
from .opening import Opened, sentence_around, stale_articles

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


def claim_review(o: Opened, c: Claim, org: str, review_url: str, article_url: str | None,
                 article: str | None = None) -> dict:
    """One schema.org ClaimReview for a verified or disputed claim."""
    value, label = RATINGS[c.status]
    # The sentence says what was claimed; the clause alone may lack its subject.
    reviewed = sentence_around(article, c.trigger.start, c.trigger.end) if article else c.text
    item: dict = {"@type": "Claim"}
    if c.speaker:
        kind = "Organization" if any(w in c.speaker.name for w in ("、", "等")) else "Person"
        item["author"] = {"@type": kind, "name": c.speaker.name}
        if c.speaker.title:
            item["author"]["jobTitle"] = c.speaker.title
    if o.cf.document.date:
        item["datePublished"] = o.cf.document.date
    url = article_url or o.cf.document.url
    if url:
        item["appearance"] = {"@type": "CreativeWork", "url": url, "headline": o.cf.document.title}
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"{review_url.rstrip('#')}#{o.cf.document.id}-{c.id}",
        "claimReviewed": _short(reviewed, c.trigger.text),
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
    if c.reviewed_at:
        review["datePublished"] = c.reviewed_at.date().isoformat()
    if c.note:
        review["reviewRating"]["ratingExplanation"] = c.note
    return review


def claim_reviews(opened: list[Opened], org: str, review_url: str, article_url: str | None = None) -> list[dict]:
    """The ClaimReview of every live verified or disputed claim.

    Raises FileError, naming each one, when a claim file with something to publish no longer
    matches its article (changed or missing): a review would quote words the article may not
    hold any more. The whole export is refused, not just those files: a ClaimReview feed is
    regenerated and replaced whole, so leaving a file out would silently withdraw its published
    reviews, and a desk would rather re-extract (which keeps every decision) and publish once.
    """
    stale = stale_articles([o for o in opened if any(c.status in RATINGS and c.orphaned_at is None
                                                     for c in o.cf.claims)])
    if len(stale) == 1 and len(opened) == 1:
        raise FileError([f"{stale[0]}; no ClaimReview written"])
    if stale:
        raise FileError([*stale, f"no ClaimReview written: {len(stale)} of {len(opened)} claim files "
                                 "no longer match their articles (re-extract them, then export again)"])
    out = []
    for o in opened:
        article = o.article()
        out += [
            claim_review(o, c, org, review_url, article_url, article)
            for c in o.cf.claims
            if c.status in RATINGS and c.orphaned_at is None
        ]
    return out


_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def claim_review_json(reviews: list[dict]) -> str:
    """JSON-LD safe to paste into a page's <script type="application/ld+json">: `<`, `>` and `&`
    are written as escapes, so `</script>` in a note cannot end the element (JSON reads them
    back as the same characters)."""
    return json.dumps(reviews, ensure_ascii=False, indent=2).translate(_SCRIPT_SAFE) + "\n"
