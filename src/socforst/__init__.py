"""socforst: plan and follow up a social-services reinforcement team (förstärkningsteam).

The public API is re-exported here; import from ``socforst`` rather than from
its modules.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from socforst.assignments import (
    Assignment,
    AssignmentPolicy,
    AssignmentStatus,
    Conflict,
    ConflictKind,
    Request,
    RequestReason,
    Roster,
)
from socforst.calendar import LegalCalendar, swedish_calendar
from socforst.cases import (
    Custody,
    Extension,
    Investigation,
    Placement,
    PlacementBasis,
    PreassessmentOutcome,
    Report,
    Review,
)
from socforst.dates import ONE_DAY, DateRange, add_months
from socforst.districts import District, DistrictKind, DistrictRegistry, stockholm
from socforst.errors import (
    CalendarRangeError,
    DistrictNotActiveError,
    InvalidIdError,
    OpenRangeError,
    ParseError,
    PersonalIdentityNumberError,
    PluginError,
    RegistryError,
    RuleError,
    SocforstError,
    UnknownDistrictError,
    UnknownRuleError,
    ValidationError,
)
from socforst.rules import Deadline, DeadlineStatus, EvaluatedDeadline, RuleBook
from socforst.team import Absence, AbsenceKind, Team, TeamMember

try:
    __version__ = version("socforst")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0+unknown"

__all__ = [
    "ONE_DAY",
    "Absence",
    "AbsenceKind",
    "Assignment",
    "AssignmentPolicy",
    "AssignmentStatus",
    "CalendarRangeError",
    "Conflict",
    "ConflictKind",
    "Custody",
    "DateRange",
    "Deadline",
    "DeadlineStatus",
    "District",
    "DistrictKind",
    "DistrictNotActiveError",
    "DistrictRegistry",
    "EvaluatedDeadline",
    "Extension",
    "InvalidIdError",
    "Investigation",
    "LegalCalendar",
    "OpenRangeError",
    "ParseError",
    "PersonalIdentityNumberError",
    "Placement",
    "PlacementBasis",
    "PluginError",
    "PreassessmentOutcome",
    "RegistryError",
    "Report",
    "Request",
    "RequestReason",
    "Review",
    "Roster",
    "RuleBook",
    "RuleError",
    "SocforstError",
    "Team",
    "TeamMember",
    "UnknownDistrictError",
    "UnknownRuleError",
    "ValidationError",
    "__version__",
    "add_months",
    "stockholm",
    "swedish_calendar",
]
