"""The exports' former home, kept so that older imports still work: the audit report is in
`audit_report`, ClaimReview in `claimreview`, and opening claim files for either in `opening`."""
from __future__ import annotations

from .audit_report import (  # noqa: F401
    CSV_HEADER,
    MARKDOWN_MARK,
    Filters,
    audit_csv,
    audit_markdown,
    audit_records,
    audit_yaml,
    csv_safe,
    value_text,
)
from .claimreview import (  # noqa: F401
    MAX_CLAIM_REVIEWED,
    RATINGS,
    claim_review,
    claim_review_json,
    claim_reviews,
)
from .errors import FileError  # noqa: F401
from .naming import CLAIM_SUFFIXES  # noqa: F401
from .opening import (  # noqa: F401
    ArticleCheck,
    Opened,
    beside,
    check_article,
    claim_files,
    earlier_verdicts,
    find_article,
    judged,
    open_all,
    sentence_around,
    stale_articles,
)
from .opening import iso as _iso  # noqa: F401
from .repeats import Judged, Verdict, content_key  # noqa: F401
