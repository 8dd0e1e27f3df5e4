"""The exports' former home. The audit report is in `audit_report`, ClaimReview in
`claimreview`, and opening claim files for either in `opening`; only `open_all` is still
imported from here (tests/test_crash_save.py), and this module goes once that imports
`claims.opening`."""
from __future__ import annotations

from .opening import open_all  # noqa: F401
