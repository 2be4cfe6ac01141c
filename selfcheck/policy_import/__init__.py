"""Import a body's own 情報セキュリティ基本方針 (a text file) as a profile and checklist.

Modules: `decode` (bytes -> text, size/binary/encoding refusals), `lines` (matching vs display form,
page-break joins), `parse` (numbered structure), `topics` (headings -> TOPICS keys, segments), `build`
(Draft: profile, clause mapping, corrections, save; `clause_text`).

For the inspection screen: the wording of the clause an item cites is
`build.clause_text(orgs.policy_text(ws, org_id), orgs.profile(ws, org_id), item.clause)` ("" for built-in
bodies, whose text is not stored, or when the clause is not found). Nothing here is imported by
`selfcheck.cli` at start-up.
"""
