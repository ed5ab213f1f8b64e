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
from socforst.dates import ONE_DAY, DateRange, add_months
from socforst.districts import District, DistrictKind, DistrictRegistry, stockholm
from socforst.errors import (
    DistrictNotActiveError,
    InvalidIdError,
    OpenRangeError,
    ParseError,
    PersonalIdentityNumberError,
    RegistryError,
    SocforstError,
    UnknownDistrictError,
    ValidationError,
)
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
    "Conflict",
    "ConflictKind",
    "DateRange",
    "District",
    "DistrictKind",
    "DistrictNotActiveError",
    "DistrictRegistry",
    "InvalidIdError",
    "OpenRangeError",
    "ParseError",
    "PersonalIdentityNumberError",
    "RegistryError",
    "Request",
    "RequestReason",
    "Roster",
    "SocforstError",
    "Team",
    "TeamMember",
    "UnknownDistrictError",
    "ValidationError",
    "__version__",
    "add_months",
    "stockholm",
]
