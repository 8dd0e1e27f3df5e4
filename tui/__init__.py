"""claimcheck's terminal UI (Textual): one client of the headless `claims` core."""
