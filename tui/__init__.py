"""Textual user interface. Screens call the UI-free core in `selfcheck`; no SQL or file I/O here."""
