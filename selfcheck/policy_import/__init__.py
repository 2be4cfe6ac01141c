"""Import a body's own 情報セキュリティ基本方針 as a profile and checklist.

Modules, in the order the text flows through them: `decode` (bytes -> text: size, binary and encoding
refusals), `lines` (matching vs display form, page-break joins), `markers` (the numbering a line starts
with), `parse` (the numbered structure), `topics` (headings -> TOPICS keys, segments), `build` (text ->
`Draft` or a one-line refusal), `draft` (the correctable result and its profile), `wording` (one clause's
text for the inspection screen). Saving is `orgs.save_draft`.
"""
