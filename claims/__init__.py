"""claimcheck's headless core: extraction, claim files and the audit log.

Nothing in this package imports Textual; the UI is one client of it among others.
"""
