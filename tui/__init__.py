"""Textual user interface. Screens call the UI-free core in `selfcheck`; no SQL or file I/O here.

This folder is the subpackage `selfcheck.tui` (reached through the `selfcheck/tui` link in a checkout and
installed there by pyproject's package-dir). It must never load under a second name such as `tui`."""

if __name__ != "selfcheck.tui":
    raise ImportError(f"import this folder as selfcheck.tui, not {__name__}")
