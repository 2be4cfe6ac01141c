"""The wording of one clause, taken from an imported policy's stored text (shown under the question on
the inspection screen and by `selfcheck policy clause`)."""

from __future__ import annotations

import re

from selfcheck.checklist_format import CLAUSE_RE, Profile
from selfcheck.policy_import.lines import Line
from selfcheck.policy_import.parse import is_next_document, parse


def clause_text(policy_text: str, profile: Profile | None, clause: str) -> str:
    """The paragraph(s) of `clause` (「6(4)」「7(8)③」「9」) in the stored policy text, original characters,
    one paragraph per line; "" when the clause is not in the text.

    For the inspection screen: show `clause_text(orgs.policy_text(ws, org), orgs.profile(ws, org), item.clause)`
    under the question. A section's text includes its items; an item's includes its ①②③."""
    if not policy_text or not CLAUSE_RE.match(clause):
        return ""
    try:
        parsed = parse(policy_text)
    except Exception:  # a stored text always parsed once; never let display fail on it
        return ""
    node = parsed.find(clause)
    if node is None:
        return ""
    lines = node.all_lines()
    return "\n".join(_display(ln) for ln in lines if not is_next_document(ln))


def _display(line: Line) -> str:
    text = line.orig.strip()
    text = re.sub(r"^(?:[-*+]\s+)", "", text)
    return text.replace("**", "")
