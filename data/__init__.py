"""Built-in data: fonts, incident playbooks, reporting-deadline rules.

This folder is the subpackage `selfcheck.data` (reached through the `selfcheck/data` link in a checkout and
installed there by pyproject's package-dir). It must never load under a second name such as `data`."""

if __name__ != "selfcheck.data":
    raise ImportError(f"import this folder as selfcheck.data, not {__name__}")
