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
    CourtOutcome,
    Custody,
    Extension,
    Investigation,
    Placement,
    PlacementBasis,
    PreassessmentOutcome,
    Report,
    Restriction,
    RestrictionKind,
    Review,
    ReviewTopic,
)
from socforst.dataset import Dataset, MissingColumnWarning, UnknownRecordError
from socforst.dates import ONE_DAY, DateRange, add_months
from socforst.districts import District, DistrictKind, DistrictRegistry, stockholm
from socforst.errors import (
    CalendarRangeError,
    DistrictNotActiveError,
    InvalidIdError,
    LoadError,
    OpenRangeError,
    ParseError,
    PersonalIdentityNumberError,
    PluginError,
    RegistryError,
    RowError,
    RuleError,
    SocforstError,
    UnknownDistrictError,
    UnknownRuleError,
    ValidationError,
)
from socforst.followup import Staffing, YearlyCost
from socforst.registry import UnknownAdapterError, open_exporter, open_source
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
    "CourtOutcome",
    "Custody",
    "Dataset",
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
    "LoadError",
    "MissingColumnWarning",
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
    "Restriction",
    "RestrictionKind",
    "Review",
    "ReviewTopic",
    "Roster",
    "RowError",
    "RuleBook",
    "RuleError",
    "SocforstError",
    "Staffing",
    "Team",
    "TeamMember",
    "UnknownAdapterError",
    "UnknownDistrictError",
    "UnknownRecordError",
    "UnknownRuleError",
    "ValidationError",
    "YearlyCost",
    "__version__",
    "add_months",
    "open_exporter",
    "open_source",
    "stockholm",
    "swedish_calendar",
]
