"""Self-inspection: the public API used by the TUI, the CLI, reports and tests.

The work is split by kind: `commands` changes an inspection (one function = one committed transaction),
`queries` reads it, and `views` holds the frozen dataclasses both return. Callers write
`from selfcheck import inspection` and `inspection.record_answer(...)`; the names below are that API.
"""

from selfcheck.inspection.commands import (
    confirm,
    finalize,
    new_revision,
    record_answer,
    require_open,
    set_improvement,
    start,
)
from selfcheck.inspection.queries import detail, info, list_inspections, summary
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

__all__ = [
    "ImprovementView",
    "InspectionDetail",
    "InspectionInfo",
    "ItemView",
    "PreviousView",
    "SectionSummary",
    "Summary",
    "confirm",
    "detail",
    "finalize",
    "info",
    "list_inspections",
    "new_revision",
    "record_answer",
    "require_open",
    "set_improvement",
    "start",
    "summarize",
    "summary",
]
