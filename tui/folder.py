"""The folder workflows now live in `claims.folder` (no UI in them); importable here as before."""
from claims.folder import (  # noqa: F401
    Entry,
    Neighbours,
    agrees,
    article_candidates,
    article_of,
    claim_files,
    pair,
    recorded_path,
    repair,
    scan,
    summarize,
    with_counts,
)
