"""claimcheck's headless core: extraction, claim files and the audit log.

Nothing in this package imports Textual; the UI is one client of it among others.
"""
from .assemble import extract_file
from .extract import extract
from .model import Claim, ClaimFile

__all__ = ["Claim", "ClaimFile", "extract", "extract_file"]
