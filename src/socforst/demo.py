"""The demo city: a deterministic synthetic Stockholm, from 2016 to today.

:func:`demo_dataset` builds a whole :class:`~socforst.dataset.Dataset` from a
seed, so that every query, example and command runs on a fresh machine with no
data. ``open_source("demo")`` gives it through :class:`DemoSource`, and
:func:`write_demo` writes it with any exporter, to show the data formats.

Everything is invented; the shape follows the city's own documents (see the
domain notes in the docs):

- **Districts**: Stockholm's built-in registry (``Dataset.districts`` is empty),
  each record in a district that existed on its date: 14 districts to
  2020-06-30, 13 to 2023-06-30, 11 after. A record is dated by its first day:
  a report by the day it was received, an investigation by the day it was
  opened, a placement by its start, a custody by its decision, a staffing
  snapshot by its day; a request and an assignment lie wholly within the life
  of their district.
- **Teams**: team ``t1`` from 2016-01-01 (five members, seven from April 2016)
  and team ``t2`` from 2021-09-01 (five, seven from November 2021). Each
  member stays 1.5 years plus an exponential time of mean 4 years, and is
  replaced one to three months after leaving. Extents are 1.0 (75 %),
  0.8 (17 %) or 0.5 (8 %); every member investigates, and some also do
  preassessments, LVU, coaching and family law. Names are fictional or missing.
- **Absences**: four or five weeks of summer vacation from a Monday between
  22 June and 12 July, Christmas week for half of the members, one or two
  training spells a year, and a few sick spells. Planned absences reach up to
  :data:`PLAN_DAYS` days past *end*; sickness only to *end*.
- **Requests**: on each weekday about ``21 * members / 250`` of them
  (Poisson): about 150 a year with one team and 300 with two. Their length
  mixes 50 % short ones (1-5 days, full time, asked for 1-14 days ahead),
  38 % of one to three weeks (full time or, for 30 %, half time; 14-45 days
  ahead) and 12 % of five weeks up to four months (half time for 70 %; 21-75
  days ahead). Reasons: vacancy 35 %, turnover 25 %, peak 30 %, introduction
  10 % (a coaching task); otherwise the task is an investigation (60 %),
  preassessments (22 %), LVU (10 %) or family law (8 %). Socialjouren asks for
  about 5 % of them (a few days of preassessments). 8 % ask for two members.
- **Assignments**: each request, in order of arrival, goes to a member with
  the competence who is employed, present and has the extent free on every
  day of it (at the member's extent if it is lower than asked): first those
  whose free extent the request fills best (half-free members take half-time
  requests), then members who know the district, then the least loaded of the
  last 90 days; chance picks among the three best. So the roster has no
  conflict (``dataset.roster().conflicts() == ()``), and about three requests
  in four are covered (61-83 % a year for the default seed); the rest found
  nobody free, often in summer and at Christmas. About 3 % of assignments are
  cancelled. Relative to *end*, past ones are ``completed``, running ones
  ``active``, later ones ``agreed`` (request older than 14 days) or
  ``planned``. Half the requests received in the last 21 days that start
  after *end* have no answer yet, so a planner has work.
- **Reports**: :data:`REPORT_WEIGHTS` per district in 2016 (about 24,200 a
  year in all; merged districts get the sum of theirs), growing 2 % a year,
  fewer at weekends (0.4), in July (0.7) and over Christmas (0.8). A report is
  received during office hours 80 % of the time on a weekday, never between
  02:00 and 03:00 (an hour a change of clock skips or doubles). Protection is
  assessed within two hours, the same day, or for 3 % the next morning. A
  third of the reports that owe a preassessment are ``opened``, the rest
  ``not_opened``, and 20 % of all are ``already_open``.
  Decisions come in 1-14 days; a share comes late (15-49 days),
  :func:`late_share` of the year and district, halved where a team member
  handles the report; 30 % of late ones record an exceptional reason. 2 % of
  the reports of the last 60 days have no decision yet, so some are overdue on
  *end*. Where a team member is assigned to the district for investigations
  or preassessments, 15 % of its reports name one of them.
- **Investigations**: one per opened report, opened on the decision day.
  Most close within four months; 10 % are extended (:class:`~socforst.cases.Extension`) by one
  or two months, 5 % of those by a decision made too late; some close late
  (12 % falling to 6 % over 2016-2021, times the district's strain).
- **Placements** from 2 % of investigations (``sol`` 65 %, ``lvu_2`` 22 %,
  ``lvu_3`` 13 %, of which about a third ``lvu_2_3``; from 2025-07-01, 6 % of
  ``sol`` ones are ``protected_housing``), reviewed about every six months,
  10 % of reviews late. 55 % are in a family home (from the start, or after a
  move), considered for a transfer of custody when due and then yearly (15 %
  late); LVU care records the day its decision gained legal force (4 % of
  care begun after the four weeks of LVU 5 §); a fifth of LVU placements have
  a restriction under LVU 14 §, reconsidered about every three months (12 %
  late). These facts come from a stream of their own per placement;
  70 % of LVU placements follow an immediate custody (:class:`~socforst.cases.Custody`)
  submitted to court within the week (5 % late: the custody lapses), decided by
  the court a few days later (about 3 % lifted, which ends the custody) and care
  applied for within four weeks (5 % late, 5 % with a court extension).
- **Staffing**: a snapshot of every district each quarter: positions
  (weight / 38), a vacancy rate from 13 % to 7 % and turnover from 30 % to 18 %
  a year over 2016-2021, each times the district's strain. Consultants follow
  the city's total: 95 in January 2016, 110 in October 2016, 70 % fewer (33)
  by April 2021, 30 from 2023, shared by weight and strain.
- **Costs**: per year, the members' extents times the days employed at a
  yearly cost per full-time member of 725,000 SEK in 2016 (3 % more a year)
  plus 400,000 SEK per team; the current year runs to *end*. A consultant costs
  1,000 SEK an hour in 2016, 3 % more a year up to 1,300 SEK, 8 hours a day.

Each district has a *strain* between 0.7 and 1.5, drawn from the seed, that
scales its lateness, vacancies, turnover, consultants and requests, so that the
need ranking has something to rank.

Determinism: only ``random.Random`` instances seeded from the seed (never
the global generator), one stream per part of the city (a team slot, a member's
absences, a year of requests, a month of reports, ...), so that the same seed,
*start* and *end* give the same dataset, and a report keeps its id, district
and time for any window that contains its day.

Speed: the 290,000 reports and 77,000 investigations of 2016-2026 are built
without their validators and converters (they are valid by construction; the
tests rebuild every record of two years through its ``__init__`` to show it),
with the cyclic garbage collector paused. Measured on the project's 2-core
machine on 2026-11-23 (Python 3.11, separate processes, median of three, other
jobs running): the whole city from 2016-01-01 to 2026-11-23 in 2.2 s (best
1.8 s), one year (2025) in 0.18 s. Most of it is the per-report loop itself.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import itertools
import math
import random
import re
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

import attrs

from socforst.assignments import (
    Assignment,
    AssignmentPolicy,
    AssignmentStatus,
    Request,
    RequestReason,
)
from socforst.calendar import swedish_calendar
from socforst.cases import (
    STOCKHOLM,
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
from socforst.dataset import Dataset
from socforst.dates import ONE_DAY, add_months
from socforst.districts import DistrictKind, DistrictRegistry, stockholm
from socforst.errors import ValidationError, shown
from socforst.followup import Staffing, YearlyCost
from socforst.registry import open_exporter
from socforst.rules.sol import NEW_SOL_FROM as _NEW_SOL_FROM
from socforst.rules.sol import CustodyTransferDeadline
from socforst.sources.rows import gc_paused
from socforst.team import Absence, AbsenceKind, Team, TeamMember

_TRANSFER = CustodyTransferDeadline()

__all__ = [
    "DEMO_SEED",
    "DEMO_START",
    "PLAN_DAYS",
    "REPORT_WEIGHTS",
    "DemoSource",
    "demo_dataset",
    "late_share",
    "write_demo",
]

DEMO_SEED = 2016
"""The seed of the demo city everyone sees by default."""

DEMO_START = dt.date(2016, 1, 1)
"""The first day of the demo city, the day the first team started."""

PLAN_DAYS = 270
"""How many days past *end* the plans reach: planned absences and assignments."""

_BASE_WEIGHTS: dict[str, int] = {
    "bromma": 1500,
    "enskede-arsta-vantor": 2900,
    "farsta": 2000,
    "hagersten-liljeholmen": 2000,
    "hasselby-vallingby": 2300,
    "kungsholmen": 1100,
    "norrmalm": 1000,
    "rinkeby-kista": 2600,
    "skarpnack": 1500,
    "skarholmen": 1700,
    "spanga-tensta": 1900,
    "sodermalm": 2100,
    "alvsjo": 700,
    "ostermalm": 900,
}

REPORT_WEIGHTS: Mapping[str, int] = {
    **_BASE_WEIGHTS,
    "hagersten-alvsjo": _BASE_WEIGHTS["hagersten-liljeholmen"] + _BASE_WEIGHTS["alvsjo"],
    "jarva": _BASE_WEIGHTS["rinkeby-kista"] + _BASE_WEIGHTS["spanga-tensta"],
    "norra-innerstaden": _BASE_WEIGHTS["norrmalm"] + _BASE_WEIGHTS["ostermalm"],
}
"""Reports a year per district in 2016, the demo city's measure of district size.

Invented, loosely after each district's number of children and its share of
reports; a merged district has the sum of its predecessors, so the city's total
does not jump at a reorganisation. The yearly number grows 2 % a year. The
reports of a day are shared among the districts that exist that day in
proportion to these weights. Socialjouren receives no reports here.
"""

_GROWTH = 0.02
_SOCIALJOUREN = "socialjouren"
_SOCIALJOUREN_SHARE = 0.05

_TEAMS = (
    ("t1", "Förstärkningsteam 1", dt.date(2016, 1, 1)),
    ("t2", "Förstärkningsteam 2", dt.date(2021, 9, 1)),
)
# (team, first day of the first holder) of each position in the teams.
_SLOTS: tuple[tuple[str, dt.date], ...] = (
    *(("t1", dt.date(2016, 1, 1)),) * 5,
    ("t1", dt.date(2016, 3, 1)),
    ("t1", dt.date(2016, 4, 1)),
    *(("t2", dt.date(2021, 9, 1)),) * 5,
    ("t2", dt.date(2021, 10, 1)),
    ("t2", dt.date(2021, 11, 1)),
)
_FIRST_NAMES = (
    "Alva", "Bo", "Cecilia", "Dragan", "Elin", "Farah", "Gustav", "Hanna", "Ibrahim",
    "Johanna", "Karin", "Leo", "Maja", "Nils", "Olivia", "Petra", "Reza", "Sara", "Tove",
    "Ulf", "Vera", "Åsa", "Örjan",
)  # fmt: skip
_LAST_NAMES = (
    "Exempelsson", "Demosson", "Provberg", "Testström", "Fiktivsdotter", "Låtsasgren",
    "Påhittadsson", "Övningsdal",
)  # fmt: skip
_COMPETENCIES = (("preassessment", 0.75), ("lvu", 0.45), ("coaching", 0.4), ("family_law", 0.3))

_REASONS = ("inväntar uppgifter från polisen", "barnet kunde inte nås", "tolk saknades")
_EXTENSION_REASONS = (
    "inväntar utlåtande från BUP",
    "barnet har inte kunnat höras",
    "inväntar polisens förundersökning",
)

# Minutes of the day at which reports come in: (first minute, end minute, weight).
# None start in the hour 02:00-03:00, which is skipped or doubled at a change of clock.
_WEEKDAY_MINUTES = ((0, 120, 2), (180, 480, 5), (480, 1020, 80), (1020, 1440, 13))
_WEEKEND_MINUTES = ((0, 120, 10), (180, 480, 10), (480, 1020, 45), (1020, 1440, 35))

_HANDLING_TASKS = frozenset({"investigation", "preassessment"})
_FULL = 9.0  # a load no member can take: a day absent or not employed

# ---------------------------------------------------------------------------
# Checks


def _check_seed(name: str, seed: object) -> None:
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise ValidationError(name, f"must be a whole number, got {type(seed).__name__}")


def _check_day(name: str, day: object) -> None:
    if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
        raise ValidationError(name, f"must be a date (datetime.date), got {type(day).__name__}")


def _start_day(value: object) -> dt.date:
    return _as_day("start", value)


def _end_day(value: object) -> dt.date | None:
    return None if value is None else _as_day("end", value)


def _as_day(name: str, value: object) -> dt.date:
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValidationError(
                name, f"must be an ISO 8601 date YYYY-MM-DD, got {shown(value)}"
            ) from None
    _check_day(name, value)
    assert isinstance(value, dt.date)
    return value


# ---------------------------------------------------------------------------
# Public API


def late_share(year: int, strain: float = 1.0) -> float:
    """The share of preassessments decided late in the demo city, before any team help.

    It falls from 16 % in 2016 to 8 % from 2021, times the district's *strain*
    (0.7 to 1.5); a report handled by a team member is late half as often.

    Example:
        >>> from socforst.demo import late_share
        >>> late_share(2016), late_share(2024, 1.5)
        (0.16, 0.12)
    """
    base = 0.16 - 0.016 * min(max(year - 2016, 0), 5)
    return round(base * strain, 6)


def demo_dataset(
    *, seed: int = DEMO_SEED, start: dt.date = DEMO_START, end: dt.date | None = None
) -> Dataset:
    """The demo city from *start* to *end*, the same for the same seed and dates.

    Args:
        seed: The seed every random draw follows from.
        start: The first day of the window; not before :data:`DEMO_START`.
        end: The last day, the day the data were "extracted" (``None``: today).
            Nothing is received or decided after it; plans (absences,
            assignments) reach up to :data:`PLAN_DAYS` days past it.

    Returns:
        The dataset; ``districts`` is empty, so the built-in registry applies.

    Raises:
        ValidationError: If *seed* is not an int, or the dates are not dates in order.

    Example:
        >>> import datetime as dt
        >>> from socforst.demo import demo_dataset
        >>> city = demo_dataset(end=dt.date(2016, 3, 31))
        >>> [team.team_id for team in city.teams], len(city.members)
        (['t1'], 6)
        >>> city.roster().conflicts()
        ()
    """
    if end is None:
        end = dt.date.today()
    _check_seed("seed", seed)
    _check_day("start", start)
    _check_day("end", end)
    if start < DEMO_START:
        raise ValidationError(
            "start",
            f"({start.isoformat()}) is before {DEMO_START.isoformat()}, "
            "the first day of the demo city",
        )
    if end < start:
        raise ValidationError("end", f"({end.isoformat()}) is before 'start' ({start.isoformat()})")
    with gc_paused():
        return _City(seed, start, end).build()


@attrs.frozen
class DemoSource:
    """The demo city as a source: ``open_source("demo")``, ``open_source("demo:7")``.

    The location, if given, is the seed written as a whole number, so that a
    command line's ``--source demo:7`` reads another city.

    Args:
        location: Empty, or the seed as a whole number (``"7"``).
        seed: The seed, where the location gives none.
        start: The first day, a date or an ISO 8601 string.
        end: The last day, a date or an ISO 8601 string; ``None`` for today
            (the day :meth:`read` runs).

    Raises:
        ValidationError: If the location is not a whole number, names another
            seed than *seed*, or a date is not a date.

    Example:
        >>> import socforst
        >>> socforst.open_source("demo:7").seed
        7
    """

    location: str = attrs.field(default="")
    seed: int = attrs.field(default=DEMO_SEED, kw_only=True)
    start: dt.date = attrs.field(default=DEMO_START, kw_only=True, converter=_start_day)
    end: dt.date | None = attrs.field(default=None, kw_only=True, converter=_end_day)

    def __attrs_post_init__(self) -> None:
        _check_seed("seed", self.seed)
        if not isinstance(self.location, str):
            raise ValidationError(
                "location", f"must be a string, got {type(self.location).__name__}"
            )
        text = self.location.strip()
        if not text:
            return
        if not re.fullmatch(r"-?[0-9]+", text):
            raise ValidationError(
                "location",
                f"of the demo source is a seed, a whole number such as 'demo:7', got {shown(text)}",
            )
        seed = int(text)
        if self.seed not in (DEMO_SEED, seed):
            raise ValidationError(
                "location",
                f"names seed {seed} but the option 'seed' is {self.seed}; give one of them",
            )
        object.__setattr__(self, "seed", seed)

    def read(self) -> Dataset:
        """Build the demo city (see :func:`demo_dataset`)."""
        return demo_dataset(seed=self.seed, start=self.start, end=self.end)


def write_demo(
    spec: str,
    *,
    seed: int = DEMO_SEED,
    start: dt.date = DEMO_START,
    end: dt.date | None = None,
) -> None:
    """Write the demo city with the exporter *spec* names (``csv:DIR``, ``xlsx:FILE``, ...).

    Args:
        spec: An exporter spec for :func:`socforst.registry.open_exporter`.
        seed: The city's seed.
        start: The first day.
        end: The last day; ``None`` for today.

    Raises:
        UnknownAdapterError: If no exporter has the spec's name.
        ValidationError: If the seed or dates are not acceptable.
    """
    exporter = open_exporter(spec)
    exporter.write_dataset(demo_dataset(seed=seed, start=start, end=end))


# ---------------------------------------------------------------------------
# Helpers


def _stream(seed: int, *parts: object) -> random.Random:
    """A generator of its own for one part of the city (str seeds hash the same everywhere)."""
    return random.Random(":".join(("socforst-demo", str(seed), *map(str, parts))))


def _month_end(day: dt.date) -> dt.date:
    following = dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)
    return following - ONE_DAY


def _next_first(day: dt.date) -> dt.date:
    """The first day of a month on or after *day*."""
    return day if day.day == 1 else _month_end(day) + ONE_DAY


def _poisson(rng: random.Random, lam: float) -> int:
    # Knuth's method: fine for the small means used here.
    limit = math.exp(-lam)
    count = 0
    product = rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def _weighted(cumulative: Sequence[float], u: float) -> int:
    return min(bisect.bisect_right(cumulative, u * cumulative[-1]), len(cumulative) - 1)


def _cumulative(weights: Sequence[float]) -> list[float]:
    total = 0.0
    out: list[float] = []
    for weight in weights:
        total += weight
        out.append(total)
    return out


def _minute_table(segments: Sequence[tuple[int, int, int]], size: int = 20_000) -> list[int]:
    """Minutes of the day spread as the segments weigh them: ``table[int(u * size)]`` draws one."""
    total = sum(weight for _, _, weight in segments)
    table: list[int] = []
    for number, (first, last, weight) in enumerate(segments):
        count = size - len(table) if number == len(segments) - 1 else round(size * weight / total)
        length = last - first
        table += [first + (j * length) // count for j in range(count)]
    return table


def _day_factor(day: dt.date) -> float:
    factor = 0.4 if day.weekday() >= 5 else 1.0
    if day.month == 7:
        factor *= 0.7
    if (day.month == 12 and day.day >= 20) or (day.month == 1 and day.day <= 6):
        factor *= 0.8
    return factor


class _Member(NamedTuple):
    slot: int
    team_id: str
    name: str | None
    employed_from: dt.date
    employed_to: dt.date | None
    extent: float
    competencies: frozenset[str]


class _Ask(NamedTuple):
    """A generated request with the draws its answer needs, drawn with it."""

    request: Request
    picks: tuple[float, ...]
    cancel: float
    pending: float


# ---------------------------------------------------------------------------
# The city


class _City:
    """One build of the demo city; mutable while it builds, discarded after."""

    def __init__(self, seed: int, start: dt.date, end: dt.date) -> None:
        self.seed = seed
        self.start = start
        self.end = end
        self.horizon = end + dt.timedelta(days=PLAN_DAYS)
        self.registry: DistrictRegistry = stockholm()
        self.districts = {d.code: d for d in self.registry}
        self.valid_to = {d.code: d.valid_to for d in self.registry}
        self.spans = sorted(
            (d.code, d.valid_from, d.valid_to)
            for d in self.registry
            if d.kind is DistrictKind.DISTRICT
        )
        self.cumulative: dict[tuple[str, ...], list[float]] = {}
        strain_rng = _stream(seed, "strain")
        self.strain = {code: 0.7 + 0.8 * strain_rng.random() for code in sorted(self.districts)}
        self.day_count = (self.horizon - DEMO_START).days + 1
        self.policy = AssignmentPolicy()

    # Dates -----------------------------------------------------------------

    def index(self, day: dt.date) -> int:
        return (day - DEMO_START).days

    def active(self, day: dt.date) -> tuple[str, ...]:
        """The district administrations that exist on *day*, sorted by code."""
        return tuple(
            code
            for code, valid_from, valid_to in self.spans
            if valid_from <= day and (valid_to is None or day <= valid_to)
        )

    def weights_on(self, day: dt.date) -> tuple[tuple[str, ...], list[float]]:
        """The districts of *day* and their cumulative report weights."""
        codes = self.active(day)
        found = self.cumulative.get(codes)
        if found is None:
            found = _cumulative([REPORT_WEIGHTS[code] for code in codes])
            self.cumulative[codes] = found
        return codes, found

    def lasts(self, code: str, first: dt.date, last: dt.date) -> bool:
        district = self.districts[code]
        return district.valid_from <= first and (
            district.valid_to is None or last <= district.valid_to
        )

    def current(self, code: str, day: dt.date) -> str:
        valid_to = self.districts[code].valid_to
        if valid_to is None or day <= valid_to:
            return code
        return self.registry.current(code, on=day).code

    # Build -----------------------------------------------------------------

    def build(self) -> Dataset:
        history = self.history()
        teams = [Team(t, name, founded) for t, name, founded in _TEAMS if founded <= self.end]
        members = [
            TeamMember(
                member_id=member_id,
                team_id=m.team_id,
                name=m.name,
                employed_from=m.employed_from,
                employed_to=m.employed_to,
                extent=m.extent,
                competencies=m.competencies,
            )
            for member_id, m in history
            if m.employed_to is None or m.employed_to >= self.start
        ]
        absences = self.absences(members)
        requests, assignments = self.requests_and_assignments(history, members, absences)
        cases = _Cases(self, assignments).build()
        return Dataset(
            teams=teams,
            members=members,
            absences=absences,
            requests=requests,
            assignments=assignments,
            staffing=self.staffing(),
            costs=self.costs(members),
            **cases,
        )

    # Teams -----------------------------------------------------------------

    def history(self) -> list[tuple[str, _Member]]:
        """Every member hired by *end*, with ids in order of hiring."""
        hired: list[_Member] = []
        for slot, (team_id, first_day) in enumerate(_SLOTS):
            rng = _stream(self.seed, "team", slot)
            hire = first_day
            while hire <= self.end:
                tenure = 365 * (1.5 - 4.0 * math.log(1.0 - rng.random()))
                leave = _month_end(hire + dt.timedelta(days=int(tenure)))
                gap = dt.timedelta(days=30 + int(60 * rng.random()))
                u_extent = rng.random()
                extent = 1.0 if u_extent < 0.75 else 0.8 if u_extent < 0.92 else 0.5
                skills = {"investigation"}
                for skill, share in _COMPETENCIES:
                    if rng.random() < share:
                        skills.add(skill)
                u_name, u_first, u_last = rng.random(), rng.random(), rng.random()
                name = None
                if u_name >= 0.1:
                    first = _FIRST_NAMES[int(u_first * len(_FIRST_NAMES))]
                    name = f"{first} {_LAST_NAMES[int(u_last * len(_LAST_NAMES))]}"
                left = leave if leave <= self.end else None
                hired.append(_Member(slot, team_id, name, hire, left, extent, frozenset(skills)))
                if left is None:
                    break
                hire = _next_first(leave + gap)
        hired.sort(key=lambda m: (m.employed_from, m.slot))
        return [(f"m{number:02d}", m) for number, m in enumerate(hired, start=1)]

    # Absences --------------------------------------------------------------

    def absences(self, members: Sequence[TeamMember]) -> list[Absence]:
        found: list[Absence] = []
        for member in members:
            rng = _stream(self.seed, "absences", member.member_id)
            taken: list[tuple[dt.date, dt.date, AbsenceKind]] = []
            last = member.employed_to or self.horizon
            for year in range(member.employed_from.year, min(last, self.horizon).year + 1):
                wanted: list[tuple[dt.date, dt.date, AbsenceKind]] = []
                # Summer: four or five weeks from a Monday between 22 June and 12 July.
                june22 = dt.date(year, 6, 22)
                monday = june22 + dt.timedelta(days=(7 - june22.weekday()) % 7)
                first = monday + dt.timedelta(weeks=int(3 * rng.random()))
                weeks = 4 if rng.random() < 0.5 else 5
                wanted.append(
                    (first, first + dt.timedelta(weeks=weeks) - ONE_DAY, AbsenceKind.VACATION)
                )
                if rng.random() < 0.5:
                    wanted.append(
                        (dt.date(year, 12, 23), dt.date(year, 12, 31), AbsenceKind.VACATION)
                    )
                for _ in range(1 + (rng.random() < 0.5)):
                    day = dt.date(year, 2, 1) + dt.timedelta(days=int(300 * rng.random()))
                    day += dt.timedelta(days=(7 - day.weekday()) % 7 if day.weekday() >= 5 else 0)
                    length = 1 + int(3 * rng.random())
                    wanted.append((day, day + dt.timedelta(days=length - 1), AbsenceKind.TRAINING))
                for _ in range(_poisson(rng, 2.5)):
                    day = dt.date(year, 1, 1) + dt.timedelta(days=int(365 * rng.random()))
                    length = 1 + int(5 * rng.random() ** 2)
                    wanted.append((day, day + dt.timedelta(days=length - 1), AbsenceKind.SICK))
                for first, last_day, kind in wanted:
                    first = max(first, member.employed_from)
                    last_day = min(last_day, last)
                    if last_day < first:
                        continue
                    if any(first <= b and a <= last_day for a, b, _ in taken):
                        continue  # one reason to be away at a time
                    taken.append((first, last_day, kind))
            for first, last_day, kind in taken:
                if last_day < self.start or first > self.horizon:
                    continue
                if kind is AbsenceKind.SICK and first > self.end:
                    continue  # nobody plans to be sick
                found.append(Absence(member.member_id, first, last_day, kind))
        found.sort(key=lambda a: (a.member_id, a.start))
        return found

    # Requests and assignments ------------------------------------------------

    def requests_and_assignments(
        self,
        history: Sequence[tuple[str, _Member]],
        members: Sequence[TeamMember],
        absences: Sequence[Absence],
    ) -> tuple[list[Request], list[Assignment]]:
        asks: list[_Ask] = []
        for year in range(self.start.year, self.end.year + 1):
            asks += self.asks_of_year(year, history)
        asks = [a for a in asks if self.start <= a.request.received_on <= self.end]
        asks.sort(key=lambda a: (a.request.received_on, a.request.request_id))
        return [a.request for a in asks], _Allocation(self, members, absences).answer(asks)

    def asks_of_year(self, year: int, history: Sequence[tuple[str, _Member]]) -> list[_Ask]:
        rng = _stream(self.seed, "requests", year)
        r = rng.random
        asks: list[_Ask] = []
        day = dt.date(year, 1, 1)
        last = min(dt.date(year, 12, 31), self.end)
        number = 0
        spans = [(m.employed_from, m.employed_to or last) for _, m in history]
        while day <= last:
            if day.weekday() < 5:
                employed = sum(1 for first, final in spans if first <= day <= final)
                for _ in range(_poisson(rng, 21.0 * employed / 250.0)):
                    number += 1
                    asks.append(self.ask(f"q{year}-{number:03d}", day, [r() for _ in range(14)]))
            day += ONE_DAY
        return asks

    def ask(self, request_id: str, received: dt.date, u: Sequence[float]) -> _Ask:
        """A request received on a day, from its 14 draws (the last one spare)."""
        u_kind, u_len, u_lead, u_extent, u_reason, u_task, u_head, u_where = u[:8]
        picks = (u[8], u[9])
        u_cancel, u_pending, u_citywide = u[10], u[11], u[12]
        if u_kind < 0.50:  # a few days of help: full time, asked for at short notice
            days, extent, lead = 1 + int(5 * u_len), 1.0, 1 + int(14 * u_lead)
        elif u_kind < 0.88:  # one to three weeks
            days, lead = 7 + int(15 * u_len), 14 + int(32 * u_lead)
            extent = 1.0 if u_extent < 0.7 else 0.5
        else:  # five weeks up to four months, mostly half time
            days, lead = 35 + int(85 * u_len), 21 + int(55 * u_lead)
            extent = 0.5 if u_extent < 0.7 else 1.0
        citywide = u_citywide < _SOCIALJOUREN_SHARE
        start = received + dt.timedelta(days=lead)
        if not citywide and start.weekday() >= 5:
            start += dt.timedelta(days=7 - start.weekday())  # districts start on a Monday
        end = min(start + dt.timedelta(days=days - 1), self.policy.latest_end(start))
        if citywide:
            code = _SOCIALJOUREN
            end = min(end, start + dt.timedelta(days=4))
            task, reason = "preassessment", RequestReason.PEAK
        else:
            codes = [c for c in self.active(received) if self.lasts(c, received, start)]
            weights = [REPORT_WEIGHTS[c] * self.strain[c] for c in codes]
            code = codes[_weighted(_cumulative(weights), u_where)]
            valid_to = self.districts[code].valid_to
            if valid_to is not None:
                end = min(end, valid_to)  # nobody asks for help beyond their own end
            if u_reason < 0.35:
                reason = RequestReason.VACANCY
            elif u_reason < 0.60:
                reason = RequestReason.TURNOVER
            elif u_reason < 0.90:
                reason = RequestReason.PEAK
            else:
                reason = RequestReason.INTRODUCTION
            if reason is RequestReason.INTRODUCTION:
                task = "coaching"
            elif u_task < 0.60:
                task = "investigation"
            elif u_task < 0.82:
                task = "preassessment"
            elif u_task < 0.92:
                task = "lvu"
            else:
                task = "family_law"
        request = Request(
            request_id=request_id,
            district=code,
            received_on=received,
            start=start,
            end=end,
            headcount=2 if u_head < 0.08 else 1,
            extent=extent,
            reason=reason,
            task=task,
        )
        return _Ask(request, picks, u_cancel, u_pending)

    # Staffing and costs ----------------------------------------------------

    def staffing(self) -> list[Staffing]:
        rows: list[Staffing] = []
        quarter = dt.date(self.start.year, 1 + 3 * ((self.start.month - 1) // 3), 1)
        while quarter <= self.end:
            if quarter >= self.start:
                rows += self.snapshot(quarter)
            quarter = dt.date(quarter.year + quarter.month // 10, (quarter.month + 2) % 12 + 1, 1)
        return rows

    def snapshot(self, on: dt.date) -> list[Staffing]:
        rng = _stream(self.seed, "staffing", on.isoformat())
        codes = self.active(on)
        progress = min(max((on - DEMO_START).days / 365.25 / 5.0, 0.0), 1.0)  # 2016 -> 2021
        shares = {c: REPORT_WEIGHTS[c] * self.strain[c] for c in codes}
        total_share = sum(shares.values())
        city_consultants = _city_consultants(on)
        rows = []
        for code in codes:
            strain = self.strain[code]
            positions = float(round(REPORT_WEIGHTS[code] / 38))
            vacancy = max(0.0, (0.13 - 0.06 * progress) * strain + rng.gauss(0.0, 0.01))
            turnover = max(0.02, (0.30 - 0.12 * progress) * strain + rng.gauss(0.0, 0.02))
            consultants = city_consultants * shares[code] / total_share + rng.gauss(0.0, 0.4)
            rows.append(
                Staffing(
                    district=code,
                    on=on,
                    positions=positions,
                    vacancies=float(round(positions * min(vacancy, 0.4))),
                    consultants=float(max(0, round(consultants))),
                    turnover=round(min(turnover, 0.6), 2),
                )
            )
        return rows

    def costs(self, members: Sequence[TeamMember]) -> list[YearlyCost]:
        rows = []
        for year in range(self.start.year, self.end.year + 1):
            first, last = dt.date(year, 1, 1), min(dt.date(year, 12, 31), self.end)
            days_in_year = (dt.date(year, 12, 31) - first).days + 1
            per_member = 725_000 * 1.03 ** (year - 2016)
            cost = 0.0
            for member in members:
                employed_to = member.employed_to or last
                overlap = (min(employed_to, last) - max(member.employed_from, first)).days + 1
                if overlap > 0:
                    cost += member.extent * overlap / days_in_year * per_member
            for _, _, founded in _TEAMS:
                overlap = (last - max(founded, first)).days + 1
                if overlap > 0:
                    cost += 400_000 * overlap / days_in_year
            rng = _stream(self.seed, "costs", year)
            rate = min(1_000 * 1.03 ** (year - 2016), 1_300) + 20 * (rng.random() - 0.5)
            rows.append(
                YearlyCost(
                    year=year,
                    team_cost_sek=float(round(cost, -3)),
                    consultant_rate_sek=float(round(rate, -1)),
                    hours_per_day=8.0,
                )
            )
        return rows


def _city_consultants(on: dt.date) -> float:
    """The city's consultants: up to October 2016, then 70 % fewer by April 2021."""
    points = (
        (dt.date(2016, 1, 1), 95.0),
        (dt.date(2016, 10, 1), 110.0),
        (dt.date(2021, 4, 1), 33.0),
        (dt.date(2023, 1, 1), 30.0),
    )
    if on <= points[0][0]:
        return points[0][1]
    for (a, va), (b, vb) in itertools.pairwise(points):
        if on <= b:
            return va + (vb - va) * (on - a).days / (b - a).days
    return points[-1][1]


class _Allocation:
    """Who takes which request: every member's load, day by day, while answering."""

    def __init__(
        self, city: _City, members: Sequence[TeamMember], absences: Sequence[Absence]
    ) -> None:
        self.city = city
        self.members = list(members)
        self.load: dict[str, list[float]] = {}
        for member in members:
            load = [_FULL] * city.day_count
            first = max(city.index(member.employed_from), 0)
            last = city.day_count - 1
            if member.employed_to is not None:
                last = min(last, city.index(member.employed_to))
            load[first : last + 1] = [0.0] * (last - first + 1)
            self.load[member.member_id] = load
        for absence in absences:
            load = self.load[absence.member_id]
            first = max(city.index(absence.start), 0)
            last = min(city.index(absence.end), city.day_count - 1)
            load[first : last + 1] = [_FULL] * (last - first + 1)
        # What each member is lent out for, day by day, to spread the load evenly.
        self.booked = {member.member_id: [0.0] * city.day_count for member in members}
        self.known: dict[str, set[str]] = defaultdict(set)  # member -> districts worked in

    def answer(self, asks: Sequence[_Ask]) -> list[Assignment]:
        city = self.city
        assignments: list[Assignment] = []
        for ask in asks:
            request = ask.request
            if (
                request.received_on > city.end - dt.timedelta(days=21)
                and request.start > city.end
                and ask.pending < 0.5
            ):
                continue  # not answered yet
            first, last = city.index(request.start), city.index(request.end)
            taken: set[str] = set()
            for head in range(request.headcount):
                member = self.pick(request, first, last, taken, ask.picks[head])
                if member is None:
                    break
                taken.add(member.member_id)
                extent = min(request.extent, member.extent)
                cancelled = ask.cancel < 0.03
                if not cancelled:
                    load = self.load[member.member_id]
                    booked = self.booked[member.member_id]
                    for i in range(first, last + 1):
                        load[i] += extent
                        booked[i] += extent
                    self.known[member.member_id].add(request.district)
                assignments.append(
                    Assignment(
                        assignment_id=f"a{request.request_id[1:]}-{head + 1}",
                        member_id=member.member_id,
                        district=request.district,
                        start=request.start,
                        end=request.end,
                        extent=extent,
                        task=request.task,
                        request_id=request.request_id,
                        status=self.status(request, cancelled),
                    )
                )
        return assignments

    def pick(
        self, request: Request, first: int, last: int, taken: set[str], u: float
    ) -> TeamMember | None:
        best: list[tuple[float, bool, float, TeamMember]] = []
        start, end = request.start, request.end
        for member in self.members:
            if (
                member.employed_from > start
                or (member.employed_to is not None and member.employed_to < end)
                or member.member_id in taken
                or not member.has_competence(request.task)
            ):
                continue
            load = self.load[member.member_id]
            extent = min(request.extent, member.extent)
            left = member.extent - max(load[first : last + 1]) - extent
            if left < -1e-9:
                continue
            busy = sum(self.booked[member.member_id][max(first - 90, 0) : first])
            known = request.district in self.known[member.member_id]
            # Fill half-free members first, keeping whole ones for whole-time requests;
            # then continuity (a member who knows the district), then an even load.
            best.append((round(left, 6), not known, busy, member))
        if not best:
            return None
        best.sort(key=lambda item: (item[0], item[1], item[2], item[3].member_id))
        # Among the three best, chance decides: a plan is not a formula.
        return best[min(int(u * 3), len(best) - 1)][3]

    def status(self, request: Request, cancelled: bool) -> AssignmentStatus:
        end = self.city.end
        if cancelled:
            return AssignmentStatus.CANCELLED
        if request.end < end:
            return AssignmentStatus.COMPLETED
        if request.start <= end:
            return AssignmentStatus.ACTIVE
        if request.received_on < end - dt.timedelta(days=14):
            return AssignmentStatus.AGREED
        return AssignmentStatus.PLANNED


class _Cases:
    """The case side: reports and what follows from them, month by month."""

    def __init__(self, city: _City, assignments: Sequence[Assignment]) -> None:
        self.city = city
        # Day index -> district -> the members there for investigations or preassessments.
        handlers: dict[int, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for a in assignments:
            if a.takes_capacity and a.task in _HANDLING_TASKS:
                for i in range(city.index(a.start), city.index(a.end) + 1):
                    handlers[i][a.district].append(a.member_id)
        self.handlers = {
            i: {code: tuple(sorted(ids)) for code, ids in by_code.items()}
            for i, by_code in handlers.items()
        }
        self.reports: list[Report] = []
        self.investigations: list[Investigation] = []
        self.extensions: list[Extension] = []
        self.placements: list[Placement] = []
        self.reviews: list[Review] = []
        self.custodies: list[Custody] = []
        self.restrictions: list[Restriction] = []
        self.minutes = (_minute_table(_WEEKDAY_MINUTES), _minute_table(_WEEKEND_MINUTES))
        # No instants in the hour 02:00-03:00, which a change of clock skips or doubles.
        self.steps = [dt.timedelta(minutes=m + 60 if 120 <= m < 180 else m) for m in range(1440)]
        self.days = [dt.timedelta(days=d) for d in range(128)]
        self.due: dict[dt.date, dt.date] = {}
        self.make_report = _report_maker()
        self.make_investigation = _investigation_maker()

    def build(self) -> dict[str, list[Any]]:
        month = dt.date(self.city.start.year, self.city.start.month, 1)
        while month <= self.city.end:
            self.month(month)
            month = _month_end(month) + ONE_DAY
        return {
            "reports": self.reports,
            "investigations": self.investigations,
            "extensions": self.extensions,
            "placements": self.placements,
            "reviews": self.reviews,
            "custodies": self.custodies,
            "restrictions": self.restrictions,
        }

    def month(self, first: dt.date) -> None:
        """The reports of one month, from the month's own stream, and what follows from them.

        Every report takes the same six draws (and an opened one six more)
        whatever the window, so that a report keeps its id, district and time
        in any window that holds its day.
        """
        city = self.city
        rng = _stream(city.seed, "reports", first.strftime("%Y-%m"))
        r = rng.random
        choices = rng.choices
        sqrt = math.sqrt
        year = first.year
        year_total = sum(_BASE_WEIGHTS.values()) * (1 + _GROWTH * (year - 2016))
        year_factors = _year_factors(year)
        late_base = {code: late_share(year, s) for code, s in city.strain.items()}
        inv_late = {code: investigation_late_share(year, s) for code, s in city.strain.items()}
        make_report = self.make_report
        append = self.reports.append
        steps, days = self.steps, self.days
        end, start = city.end, city.start
        stuck_from = end - dt.timedelta(days=60)
        prefix = f"r{year}{first.month:02d}"
        suffixes = _suffixes()
        already_open = PreassessmentOutcome.ALREADY_OPEN
        opened_outcome = PreassessmentOutcome.OPENED
        not_opened = PreassessmentOutcome.NOT_OPENED
        opened_below = 0.20 + 0.80 / 3  # a third of the reports that owe a preassessment
        reasons = _REASONS
        no_handlers: dict[str, tuple[str, ...]] = {}
        last = min(_month_end(first), end)
        day = first
        number = 0
        while day <= last:
            lam = year_total * _day_factor(day) / year_factors
            count = max(0, round(rng.gauss(lam, sqrt(lam))))
            codes, cumulative = city.weights_on(day)
            chosen = choices(codes, cum_weights=cumulative, k=count)
            if number + count >= len(suffixes):
                suffixes = [f"{n:05d}" for n in range(2 * (number + count))]
            table = self.minutes[day.weekday() >= 5]
            size = len(table)
            index = city.index(day)
            here = self.handlers.get(index, no_handlers)
            midnight = dt.datetime(day.year, day.month, day.day, tzinfo=STOCKHOLM)
            following = day + ONE_DAY
            next_midnight = dt.datetime(
                following.year, following.month, following.day, tzinfo=STOCKHOLM
            )
            keep = day >= start
            recent = day >= stuck_from
            for code in chosen:
                number += 1
                u_time = r()
                u_prot = r()
                u_member = r()
                u_late = r()
                u_outcome = r()
                u_stuck = r()
                minute = table[int(u_time * size)]
                # "Genast": assessed within two hours, the same day; 3 % the next morning.
                if u_prot < 0.97:
                    assessed_minute = minute + 10 + int(110 * u_prot / 0.97)
                    if assessed_minute > 1439:
                        assessed_minute = 1439
                else:
                    assessed_minute = 1920 + int(120 * (u_prot - 0.97) / 0.03)
                assessed: dt.datetime | None
                if assessed_minute < 1440:
                    assessed = midnight + steps[assessed_minute]
                elif following <= end:
                    assessed = next_midnight + steps[assessed_minute - 1440]
                else:
                    assessed = None
                member_id = None
                handlers = here.get(code)
                if handlers is not None and u_member < 0.15:
                    member_id = handlers[int(u_member / 0.15 * len(handlers))]
                late = False
                if u_outcome < 0.20:
                    outcome = already_open
                    delay = int(3 * u_late)
                else:
                    outcome = opened_outcome if u_outcome < opened_below else not_opened
                    share = late_base[code] if member_id is None else late_base[code] / 2
                    if u_late < share:
                        late = True
                        fraction = u_late / share
                        delay = 15 + int(35 * fraction * fraction)
                    else:
                        delay = 1 + int(14 * sqrt((u_late - share) / (1.0 - share)))
                decided_on = day + days[delay]
                decided: dt.date | None = decided_on
                reason = None
                if recent and (u_stuck < 0.02 or decided_on > end):
                    decided = None  # not decided by the end (yet, or stuck: overdue)
                elif late and u_stuck >= 0.7:
                    reason = reasons[int((u_stuck - 0.7) / 0.3 * len(reasons))]
                report_id = prefix + suffixes[number]
                if keep:
                    append(
                        make_report(
                            report_id,
                            code,
                            midnight + steps[minute],
                            assessed,
                            decided,
                            None if decided is None else outcome,
                            reason,
                            member_id,
                        )
                    )
                if outcome is opened_outcome:
                    # Drawn whether kept or not, so that later reports keep their draws.
                    draws = (r(), r(), r(), r(), r(), r())
                    if keep and decided is not None:
                        self.investigation(report_id, code, decided, inv_late[code], draws)
            day = following

    def investigation(
        self, report_id: str, code: str, opened: dt.date, late: float, draws: Sequence[float]
    ) -> None:
        """The investigation an opened report leads to, with any extension and placement."""
        city = self.city
        end = city.end
        days = self.days
        u_class, _, _, _, u_member, u_place = draws
        valid_to = city.valid_to[code]
        if valid_to is not None and opened > valid_to:
            code = city.current(code, opened)  # the successor took over the case
        due = self.due.get(opened)
        if due is None:
            due = add_months(opened, 4)  # SoL 11 kap. 2 §: four months, Lag (1930:173) 1 §
            self.due[opened] = due
        investigation_id = "i" + report_id[1:]
        if u_class >= late + 0.10:  # closed in time, mostly in the last two months
            fraction = (u_class - late - 0.10) / (1.0 - late - 0.10)
            closed = opened + days[30 + int(((due - opened).days - 30) * math.sqrt(fraction))]
        elif u_class < late:
            fraction = u_class / late
            closed = due + days[1 + int(60 * fraction * fraction)]
        else:
            closed = self.extended(investigation_id, due, (u_class - late) / 0.10, draws)
        member_id = None
        handlers = self.handlers.get((opened - DEMO_START).days)
        if handlers is not None and u_member < 0.5:
            here = handlers.get(code)
            if here is not None:
                member_id = here[int(u_member / 0.5 * len(here))]
        self.investigations.append(
            self.make_investigation(
                investigation_id,
                code,
                opened,
                report_id,
                closed if closed <= end else None,
                member_id,
            )
        )
        if u_place < 0.02:
            self.placement(report_id, code, opened, random.Random(int(u_place / 0.02 * 2**32)))

    def extended(
        self, investigation_id: str, due: dt.date, fraction: float, draws: Sequence[float]
    ) -> dt.date:
        """Extend an investigation by one or two months; the day it closed."""
        _, u_extension, u_until, u_closed, _, _ = draws
        if u_extension < 0.05:  # decided after the time ran out: it moves nothing
            decided = due + dt.timedelta(days=1 + int(10 * u_extension / 0.05))
        else:
            decided = due - dt.timedelta(days=int(25 * (u_extension - 0.05) / 0.95))
        until = add_months(due, 1 if u_until < 0.5 else 2)
        if decided <= self.city.end:
            self.extensions.append(
                Extension(
                    investigation_id=investigation_id,
                    decided_on=decided,
                    until=until,
                    reason=_EXTENSION_REASONS[int(u_until * len(_EXTENSION_REASONS))],
                )
            )
        if u_closed < 0.85:
            return min(due + dt.timedelta(days=1 + int((until - due).days * fraction)), until)
        return until + dt.timedelta(days=1 + int(30 * fraction))

    def placement(self, report_id: str, code: str, opened: dt.date, rng: random.Random) -> None:
        city = self.city
        end = city.end
        r = rng.random
        u_basis = r()
        if u_basis < 0.65:
            basis = PlacementBasis.SOL
        elif u_basis < 0.87:
            basis = PlacementBasis.LVU_2
        else:
            basis = PlacementBasis.LVU_3
        started = opened + dt.timedelta(days=7 + int(80 * r()))
        if started > end:
            return
        code = city.current(code, started)
        ended: dt.date | None = started + dt.timedelta(days=90 + int(1400 * r() ** 2))
        if ended is not None and ended > end:
            ended = None
        placement_id = f"p{report_id[1:]}"
        custody = basis is not PlacementBasis.SOL and r() < 0.7
        # The facts the legal audit added come from a stream of their own, so that the
        # rest of the city stays as it was.
        law = random.Random(f"{city.seed}:law:{placement_id}")
        basis, final, family_home = self.placement_law(law, basis, started, ended, custody)
        self.placements.append(
            Placement(
                placement_id=placement_id,
                district=code,
                basis=basis,
                started_on=started,
                care_decision_final_on=final,
                family_home_from=family_home,
                ended_on=ended,
            )
        )
        if family_home is not None:
            self.custody_transfers(law, placement_id, family_home, ended)
        if basis.is_lvu and law.random() < 0.2:
            self.restriction(law, placement_id, code, started, ended)
        if custody:
            self.custody(report_id, code, started, rng)
        # A review at least every six months (SoL 6 kap. 8 §, LVU 13 §), some late.
        period_start = started
        while True:
            due = add_months(period_start, 6)
            if r() < 0.9:
                reviewed = due - dt.timedelta(days=int(30 * r()))
            else:
                reviewed = due + dt.timedelta(days=1 + int(30 * r()))
            if ended is not None and due <= ended < reviewed:
                # A placement ends only after its owed review: late, but on the last day.
                reviewed = ended
            if reviewed > end or (ended is not None and reviewed > ended):
                return
            self.reviews.append(Review(placement_id=placement_id, reviewed_on=reviewed))
            period_start = reviewed

    def placement_law(
        self,
        law: random.Random,
        basis: PlacementBasis,
        started: dt.date,
        ended: dt.date | None,
        custody: bool,
    ) -> tuple[PlacementBasis, dt.date | None, dt.date | None]:
        """The basis (with ``lvu_2_3`` and ``protected_housing``), legal force and family home."""
        r = law.random
        if basis is PlacementBasis.LVU_3 and r() < 0.35:
            basis = PlacementBasis.LVU_2_3  # care under both 2 § and 3 §
        elif basis is PlacementBasis.SOL and started >= _NEW_SOL_FROM and r() < 0.06:
            basis = PlacementBasis.PROTECTED_HOUSING  # SoL (2025:400) 22 kap. 13 § 2nd para.
        final: dt.date | None = None
        if basis.is_lvu:
            # LVU 5 §: after a custody, the care decision gains legal force weeks after care
            # began; otherwise care begins within the four weeks after it, 4 % too late.
            if custody:
                final = started + dt.timedelta(days=35 + int(35 * r()))
            elif r() < 0.96:
                final = started - dt.timedelta(days=2 + int(26 * r()))
            else:
                final = started - dt.timedelta(days=29 + int(12 * r()))
            if final > self.city.end:
                final = None
        family_home: dt.date | None = None
        if basis is not PlacementBasis.PROTECTED_HOUSING and r() < 0.55:
            # In a family home from the start, or after a move some months in.
            family_home = started if r() < 0.8 else started + dt.timedelta(days=30 + int(370 * r()))
            if family_home > self.city.end or (ended is not None and family_home > ended):
                family_home = None
        return basis, final, family_home

    def custody_transfers(
        self, law: random.Random, placement_id: str, family_home: dt.date, ended: dt.date | None
    ) -> None:
        """Considerations of a transfer of custody: at the first due day, then yearly."""
        r = law.random
        end = self.city.end
        due = _TRANSFER.first_due(family_home)
        while True:
            if r() < 0.85:
                made = due - dt.timedelta(days=int(40 * r()))
            else:
                made = due + dt.timedelta(days=1 + int(60 * r()))
            if made > end or (ended is not None and made > ended):
                return
            self.reviews.append(
                Review(
                    placement_id=placement_id, reviewed_on=made, topic=ReviewTopic.CUSTODY_TRANSFER
                )
            )
            due = add_months(made, 12)

    def restriction(
        self,
        law: random.Random,
        placement_id: str,
        code: str,
        started: dt.date,
        ended: dt.date | None,
    ) -> None:
        """One LVU 14 § restriction, reconsidered about every three months."""
        r = law.random
        end = self.city.end
        decided = started + dt.timedelta(days=int(60 * r()))
        if decided > end or (ended is not None and decided > ended):
            return
        kind = RestrictionKind.CONTACT if r() < 0.7 else RestrictionKind.RESIDENCE
        lifted: dt.date | None = ended
        if r() < 0.5:
            lifted = decided + dt.timedelta(days=90 + int(410 * r()))
            if ended is not None and lifted > ended:
                lifted = ended
        if lifted is not None and lifted > end:
            lifted = None
        self.restrictions.append(
            Restriction(
                restriction_id=f"x{placement_id[1:]}",
                placement_id=placement_id,
                district=code,
                kind=kind,
                decided_on=decided,
                ended_on=lifted,
            )
        )
        period_start = decided
        while True:
            due = add_months(period_start, 3)
            if r() < 0.88:
                made = due - dt.timedelta(days=int(20 * r()))
            else:
                made = due + dt.timedelta(days=1 + int(25 * r()))
            if made > end or (lifted is not None and made > lifted):
                return
            self.reviews.append(
                Review(placement_id=placement_id, reviewed_on=made, topic=ReviewTopic.RESTRICTIONS)
            )
            period_start = made

    def custody(self, report_id: str, code: str, decided: dt.date, rng: random.Random) -> None:
        end = self.city.end
        r = rng.random

        def known(day: dt.date) -> dt.date | None:
            return day if day <= end else None

        # LVU 7 §: to court within a week; 8 §: care applied for within four weeks.
        u_court, u_care, u_when = r(), r(), r()
        submitted = decided + dt.timedelta(
            days=1 + int(5 * u_when) if u_court >= 0.05 else 8 + int(5 * u_when)
        )
        extension_until = None
        if u_care < 0.05:
            applied = decided + dt.timedelta(days=29 + int(12 * u_when))
        elif u_care < 0.10:
            # The court extended the time (8 §); its decision is known two weeks on.
            if decided + dt.timedelta(days=14) <= end:
                extension_until = decided + dt.timedelta(days=42)
            applied = decided + dt.timedelta(days=30 + int(12 * u_when))
        else:
            applied = decided + dt.timedelta(days=10 + int(17 * u_when))
        # The court decides within days of the submission (LVU 7 §), and lifts about
        # 3 % of custodies: they then end that day, and no care is applied for. A
        # custody submitted after the week lapsed (7 § third paragraph) the day after.
        # Derived from the draws above, so that the rest of the city stays the same.
        court_decided: dt.date | None = None
        outcome: CourtOutcome | None = None
        ended: dt.date | None = None
        # LVU 7 §: the week rolls forward under Lag (1930:173) 2 §, a filing with a court.
        week = swedish_calendar().roll_forward(decided + dt.timedelta(days=7))
        if submitted <= week:
            court_decided = submitted + dt.timedelta(days=2 + int(5 * u_when))
            if u_care >= 0.97:
                outcome, ended = CourtOutcome.LIFTED, court_decided
            else:
                outcome = CourtOutcome.CONFIRMED
        else:
            ended = week + dt.timedelta(days=1)
        court_known = court_decided is not None and court_decided <= end
        self.custodies.append(
            Custody(
                custody_id=f"c{report_id[1:]}",
                district=code,
                decided_on=decided,
                enforced_on=decided,
                submitted_to_court_on=known(submitted),
                court_decided_on=court_decided if court_known else None,
                court_outcome=outcome if court_known else None,
                care_applied_on=None if outcome is CourtOutcome.LIFTED else known(applied),
                court_extension_decided_on=(
                    None if extension_until is None else decided + dt.timedelta(days=14)
                ),
                court_extension_until=extension_until,
                ended_on=None if ended is None else known(ended),
            )
        )


def investigation_late_share(year: int, strain: float = 1.0) -> float:
    """The share of investigations closed late without an extension in the demo city.

    It falls from 12 % in 2016 to 6 % from 2021, times the district's strain.
    """
    return (0.12 - 0.012 * min(max(year - 2016, 0), 5)) * strain


def _setters(kind: type, names: Sequence[str]) -> list[Callable[[object, Any], None]]:
    """The slot setters of an attrs class's fields, checked to be exactly *names*."""
    fields = [field.name for field in attrs.fields(kind)]
    if fields != list(names):
        raise TypeError(f"{kind.__name__} has fields {fields}, the demo sets {list(names)}")
    return [getattr(kind, name).__set__ for name in names]


def _report_maker() -> Callable[..., Report]:
    """Build reports without their validators and converters, for reports valid by construction.

    About 1 instead of 7 µs a report. The values must be what ``__init__``
    would store: ``received_at`` aware in Europe/Stockholm, enum members.
    The tests rebuild every report through ``__init__`` to show they are.
    """
    (
        set_id,
        set_district,
        set_received,
        set_counts_as,
        set_assessed,
        set_decided,
        set_outcome,
        set_reason,
        set_member,
    ) = _setters(
        Report,
        (
            "report_id",
            "district",
            "received_at",
            "counts_as_received_on",
            "protection_assessed_at",
            "preassessment_decided_on",
            "preassessment_outcome",
            "exceptional_reason",
            "member_id",
        ),
    )
    new = object.__new__

    def make(
        report_id: str,
        district: str,
        received_at: dt.datetime,
        assessed: dt.datetime | None,
        decided: dt.date | None,
        outcome: PreassessmentOutcome | None,
        reason: str | None,
        member_id: str | None,
    ) -> Report:
        report: Report = new(Report)
        set_id(report, report_id)
        set_district(report, district)
        set_received(report, received_at)
        set_counts_as(report, None)  # the demo's reports come in electronically
        set_assessed(report, assessed)
        set_decided(report, decided)
        set_outcome(report, outcome)
        set_reason(report, reason)
        set_member(report, member_id)
        return report

    return make


def _investigation_maker() -> Callable[..., Investigation]:
    """Build investigations without their validators, as :func:`_report_maker` builds reports."""
    set_id, set_district, set_opened, set_report, set_closed, set_member = _setters(
        Investigation,
        ("investigation_id", "district", "opened_on", "report_id", "closed_on", "member_id"),
    )
    new = object.__new__

    def make(
        investigation_id: str,
        district: str,
        opened_on: dt.date,
        report_id: str,
        closed_on: dt.date | None,
        member_id: str | None,
    ) -> Investigation:
        investigation: Investigation = new(Investigation)
        set_id(investigation, investigation_id)
        set_district(investigation, district)
        set_opened(investigation, opened_on)
        set_report(investigation, report_id)
        set_closed(investigation, closed_on)
        set_member(investigation, member_id)
        return investigation

    return make


@functools.cache
def _suffixes() -> list[str]:
    """Report numbers as id suffixes, formatted once: a month has about 2,500 reports."""
    return [f"{number:05d}" for number in range(5_000)]


@functools.cache
def _year_factors(year: int) -> float:
    """The sum of the day factors of a year, which share out its reports."""
    day, total = dt.date(year, 1, 1), 0.0
    while day.year == year:
        total += _day_factor(day)
        day += ONE_DAY
    return total
