"""Built-in checklist data: question bank (bank/) and body profiles (bodies/).

This folder is the subpackage `selfcheck.checklists` (reached through the `selfcheck/checklists` link in a checkout and
installed there by pyproject's package-dir). It must never load under a second name such as `checklists`."""

if __name__ != "selfcheck.checklists":
    raise ImportError(f"import this folder as selfcheck.checklists, not {__name__}")
