"""Self-inspection: the public API used by the TUI, the CLI, reports and tests.

The work is split by kind: `commands` changes an inspection (one function = one committed transaction),
`queries` reads it, and `views` holds the frozen dataclasses both return. Callers write
`from selfcheck import inspection` and `inspection.record_answer(...)`; the names below are that API.
"""

from selfcheck.inspection.commands import confirm, record_answer, set_improvement, start
from selfcheck.inspection.queries import detail, info, list_inspections, summary
from selfcheck.inspection.revisions import finalize, new_revision, require_open
from selfcheck.inspection.views import (
    ImprovementView,
    InspectionDetail,
    InspectionInfo,
    ItemView,
    PreviousView,
    SectionSummary,
    Summary,
    summarize,
)
from selfcheck.inspection.years import StartProposal, existing_for_year, propose_start

__all__ = [
    "ImprovementView",
    "InspectionDetail",
    "InspectionInfo",
    "ItemView",
    "PreviousView",
    "SectionSummary",
    "StartProposal",
    "Summary",
    "confirm",
    "detail",
    "existing_for_year",
    "finalize",
    "info",
    "list_inspections",
    "new_revision",
    "propose_start",
    "record_answer",
    "require_open",
    "set_improvement",
    "start",
    "summarize",
    "summary",
]
