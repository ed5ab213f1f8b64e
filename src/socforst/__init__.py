"""socforst: plan and follow up a social-services reinforcement team (förstärkningsteam).

The public API is re-exported here; import from ``socforst`` rather than from
its modules.

The names are imported on first use (:pep:`562`), so that ``import socforst``
and ``socforst --help`` start at once: numpy, pyarrow and the legal calendar's
``holidays`` are loaded only by what needs them. ``socforst.queries`` and every
other public module can be reached the same way, without importing it first.
``__version__`` is read from the package metadata on first use too, as attrs and
structlog do: ``importlib.metadata`` alone takes as long to import as attrs.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # what the names are, for type checkers and readers; loaded on first use
    __version__: str

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
    from socforst.results import Result
    from socforst.rules import Deadline, DeadlineStatus, EvaluatedDeadline, RuleBook
    from socforst.team import Absence, AbsenceKind, Team, TeamMember

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
    "Result",
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

# Where each public name is defined: the imports above, as data for __getattr__.
_ORIGINS: dict[str, tuple[str, ...]] = {
    "socforst.assignments": (
        "Assignment",
        "AssignmentPolicy",
        "AssignmentStatus",
        "Conflict",
        "ConflictKind",
        "Request",
        "RequestReason",
        "Roster",
    ),
    "socforst.calendar": ("LegalCalendar", "swedish_calendar"),
    "socforst.cases": (
        "CourtOutcome",
        "Custody",
        "Extension",
        "Investigation",
        "Placement",
        "PlacementBasis",
        "PreassessmentOutcome",
        "Report",
        "Restriction",
        "RestrictionKind",
        "Review",
        "ReviewTopic",
    ),
    "socforst.dataset": ("Dataset", "MissingColumnWarning", "UnknownRecordError"),
    "socforst.dates": ("ONE_DAY", "DateRange", "add_months"),
    "socforst.districts": ("District", "DistrictKind", "DistrictRegistry", "stockholm"),
    "socforst.errors": (
        "CalendarRangeError",
        "DistrictNotActiveError",
        "InvalidIdError",
        "LoadError",
        "OpenRangeError",
        "ParseError",
        "PersonalIdentityNumberError",
        "PluginError",
        "RegistryError",
        "RowError",
        "RuleError",
        "SocforstError",
        "UnknownDistrictError",
        "UnknownRuleError",
        "ValidationError",
    ),
    "socforst.followup": ("Staffing", "YearlyCost"),
    "socforst.registry": ("UnknownAdapterError", "open_exporter", "open_source"),
    "socforst.results": ("Result",),
    "socforst.rules": ("Deadline", "DeadlineStatus", "EvaluatedDeadline", "RuleBook"),
    "socforst.team": ("Absence", "AbsenceKind", "Team", "TeamMember"),
}
_MODULE_OF = {name: module for module, names in _ORIGINS.items() for name in names}


def _version() -> str:
    """The installed version of socforst (``"0+unknown"`` in a source tree not installed)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("socforst")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
        return "0+unknown"


def __getattr__(name: str) -> object:
    """A public name, imported from its module on first use; or a public submodule.

    Raises:
        AttributeError: If *name* is neither.
    """
    if name == "__version__":
        globals()[name] = text = _version()
        return text
    module = _MODULE_OF.get(name)
    if module is not None:
        value: object = getattr(importlib.import_module(module), name)
        globals()[name] = value  # the next look-up is an ordinary attribute's
        return value
    if name.isidentifier() and not name.startswith("_"):
        # socforst.queries, socforst.demo, ...: what `import socforst.queries` would give.
        try:
            return importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as error:
            if error.name != f"{__name__}.{name}":
                raise  # the submodule exists but needs a package that is not installed
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    """The module's attributes with every public name, imported or not."""
    return sorted(set(globals()) | set(__all__))
