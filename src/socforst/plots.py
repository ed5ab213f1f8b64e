"""Pictures of the team's work: a Gantt chart of assignments, and compliance over time.

- :func:`assignment_gantt`: one row per team member (by id, never by name),
  one bar per assignment coloured by district, absences hatched in grey.
- :func:`compliance_chart`: the share of deadlines met per district and
  month, as :func:`socforst.queries.compliance` measures it, under one or both
  readings of Lag (1930:173) 2 §, against the 100 % line.
- :func:`save`: write a figure to a file atomically (PNG by default).

The plots need matplotlib, the ``plot`` extra (``pip install 'socforst[plot]'``).
It is imported when a function is called, not when this module is, so that
``import socforst.plots`` works without it; a call without it raises
:class:`PlotDependencyError`. The functions build a
``matplotlib.figure.Figure`` directly, without pyplot, so they need no
display and change no global state of matplotlib (no backend is chosen):
write a figure with :func:`save`, or, in a notebook, run ``%matplotlib inline``
once and leave the figure as a cell's value.

Example:
    >>> import datetime as dt
    >>> from socforst import Assignment, Dataset, DateRange, TeamMember
    >>> from socforst.plots import assignment_gantt
    >>> data = Dataset(
    ...     members=[TeamMember(member_id="m1", team_id="t1", employed_from=dt.date(2020, 1, 1))],
    ...     assignments=[Assignment(assignment_id="a1", member_id="m1", district="farsta",
    ...                             start=dt.date(2025, 3, 3), end=dt.date(2025, 3, 28))],
    ... )
    >>> figure = assignment_gantt(data, DateRange(dt.date(2025, 3, 1), dt.date(2025, 3, 31)))
    >>> [text.get_text() for text in figure.axes[0].get_legend().get_texts()]
    ['farsta', 'absent']
"""

from __future__ import annotations

import datetime as dt
import importlib
import io
import math
import os
import pathlib
import types
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from socforst._atomic import atomic_write_bytes
from socforst.assignments import Assignment
from socforst.dataset import Dataset, UnknownRecordError
from socforst.dates import ONE_DAY, DateRange
from socforst.districts import DistrictRegistry
from socforst.errors import (
    DistrictNotActiveError,
    OpenRangeError,
    SocforstError,
    UnknownDistrictError,
    ValidationError,
)
from socforst.errors import (
    shown as shown_value,
)
from socforst.queries import ComplianceRow
from socforst.team import Absence, TeamMember

if TYPE_CHECKING:
    # Annotations only: matplotlib is imported when a plot is drawn. They are
    # written in full (matplotlib.figure.Figure) so that the docs name the class.
    import matplotlib.axes
    import matplotlib.figure

__all__ = [
    "READINGS",
    "PlotDependencyError",
    "assignment_gantt",
    "compliance_chart",
    "save",
]

READINGS: tuple[str, ...] = ("strict", "roll_forward", "both")
"""The values of :func:`compliance_chart`'s ``reading``."""

_INSTALL_HINT = "pip install 'socforst[plot]'"
_ROW_HEIGHT = 0.8  # of a member's row, the rest is space between rows
_ABSENT_FACE = "#d9d9d9"
_ABSENT_EDGE = "#8c8c8c"
_TARGET_COLOUR = "#333333"
_NOT_FINAL_COLOUR = "#bdbdbd"
_TOLERANCE = 1e-9
_TITLES = {
    "preassessment": "Preassessments decided within 14 days",
    "investigation": "Investigations completed within four months (with extensions)",
}
_READING_STYLES = {
    "strict": ("-", "strict calendar days"),
    "roll_forward": ("--", "roll-forward (Lag (1930:173) 2 §)"),
}


class PlotDependencyError(SocforstError, ImportError):
    """matplotlib, which the plots need, is not installed.

    The message says how to install it: ``pip install 'socforst[plot]'``.
    """


def _matplotlib() -> types.SimpleNamespace:
    """The matplotlib modules the plots use, imported now; a clear error without them."""
    try:
        # The package itself first: importing a submodule already in sys.modules
        # would not notice that the package is missing.
        matplotlib = importlib.import_module("matplotlib")
        modules = types.SimpleNamespace(
            colormaps=matplotlib.colormaps,
            dates=importlib.import_module("matplotlib.dates"),
            figure=importlib.import_module("matplotlib.figure"),
            lines=importlib.import_module("matplotlib.lines"),
            patches=importlib.import_module("matplotlib.patches"),
            ticker=importlib.import_module("matplotlib.ticker"),
        )
    except ImportError as error:
        raise PlotDependencyError(
            f"the plots need matplotlib, which is not installed ({error}); "
            f"install it with: {_INSTALL_HINT}"
        ) from error
    return modules


def _closed(period: object) -> tuple[dt.date, dt.date]:
    if not isinstance(period, DateRange):
        raise ValidationError("period", f"must be a DateRange, got {type(period).__name__}")
    if period.end is None:
        raise OpenRangeError(
            f"a Gantt chart needs a period with an end, got the open range {period}"
        )
    return period.start, period.end


def _colours(mpl: types.SimpleNamespace, codes: Sequence[str]) -> dict[str, Any]:
    """One colour per code, in the order given (sorted codes keep colours stable)."""
    palette = mpl.colormaps["tab20"].colors if len(codes) > 10 else mpl.colormaps["tab10"].colors
    return {code: palette[index % len(palette)] for index, code in enumerate(codes)}


def _number(mpl: types.SimpleNamespace, day: dt.date) -> float:
    """Matplotlib's number for the start of *day* (its date epoch is configurable)."""
    return float(mpl.dates.date2num(dt.datetime.combine(day, dt.time())))


def _date_axis(mpl: types.SimpleNamespace, axes: matplotlib.axes.Axes) -> None:
    locator = mpl.dates.AutoDateLocator()
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(mpl.dates.ConciseDateFormatter(locator))


# -- the Gantt chart ----------------------------------------------------------------------


def _crosswalked(registry: DistrictRegistry, on: dt.date | None) -> Callable[[str], str]:
    memo: dict[str, str] = {}

    def crosswalk(code: str) -> str:
        if on is None:
            return code
        if code not in memo:
            try:
                memo[code] = registry.current(code, on=on).code
            except (UnknownDistrictError, DistrictNotActiveError):
                memo[code] = code
        return memo[code]

    return crosswalk


def _rows(
    dataset: Dataset, period: DateRange, team_id: str | None, assignments: Sequence[Assignment]
) -> list[str]:
    """The member ids shown, sorted: members employed in *period*, and any assignment's member."""
    members: dict[str, TeamMember] = {member.member_id: member for member in dataset.members}
    shown = {
        member.member_id
        for member in dataset.members
        if member.employment.overlaps(period) and (team_id is None or member.team_id == team_id)
    }
    for assignment in assignments:
        member = members.get(assignment.member_id)
        # An assignment of a member missing from the members table is shown
        # unless a team is asked for, which such a member cannot be shown to be in.
        if (member is None and team_id is None) or (
            member is not None and (team_id is None or member.team_id == team_id)
        ):
            shown.add(assignment.member_id)
    return sorted(shown)


def _stacked(assignments: Sequence[Assignment]) -> list[tuple[Assignment, float]]:
    """Each assignment with its offset in its member's row, in units of extent.

    A bar is as high as the assignment's extent, so that a row shows how much
    of the member's time is taken. Concurrent assignments are stacked: each
    goes at the lowest offset where it overlaps no bar placed before it on
    any of its days (first by start, then end, then id).
    """
    placed: list[tuple[Assignment, float]] = []
    for assignment in sorted(assignments, key=lambda a: (a.start, a.end, a.assignment_id)):
        concurrent = [
            (offset, offset + other.extent)
            for other, offset in placed
            if other.start <= assignment.end and assignment.start <= other.end
        ]
        candidates = sorted({0.0, *(top for _, top in concurrent)})
        for offset in candidates:
            top = offset + assignment.extent
            if all(
                top <= low + _TOLERANCE or offset >= high - _TOLERANCE for low, high in concurrent
            ):
                placed.append((assignment, offset))
                break
    return placed


def assignment_gantt(
    dataset: Dataset,
    period: DateRange,
    *,
    team_id: str | None = None,
    crosswalk_on: dt.date | None = None,
) -> matplotlib.figure.Figure:
    """A Gantt chart of the assignments of *period*: one row per member, coloured by district.

    Every member employed on a day of *period* (of *team_id* if given) has a
    row, labelled with the member id (never a name), sorted by id; so has the
    member of any assignment in *period* that the members table lacks (when
    no team is asked for). Each assignment that is not cancelled and has days
    in *period* is one bar, cut at the ends of *period*, from the start of its
    first day to the end of its last, as high as its extent (a full row is
    the whole of a full-time member's time); concurrent assignments are
    stacked. Absences are hatched grey bars the height of the row. The legend
    lists the districts, sorted by code, and the absences.

    Args:
        dataset: The members, absences and assignments.
        period: The days to show; it must have an end.
        team_id: Only the members of this team.
        crosswalk_on: If given, colour each assignment by the district its
            district had become on this day (``registry.current``), such as
            the last day of *period*; otherwise by the district recorded.

    Returns:
        The figure, with one axes; each assignment's bar has the ``gid``
        ``assignment:ID`` and each absence's ``absence:MEMBER_ID``.

    Raises:
        PlotDependencyError: If matplotlib is not installed.
        ValidationError: If *period* is not a DateRange.
        OpenRangeError: If *period* has no end.
        UnknownRecordError: If *team_id* is neither in the teams nor named by
            any member.
    """
    first, last = _closed(period)
    if team_id is not None:
        known = {team.team_id for team in dataset.teams} | {m.team_id for m in dataset.members}
        if team_id not in known:
            raise UnknownRecordError("teams", team_id)
    mpl = _matplotlib()
    crosswalk = _crosswalked(dataset.registry, crosswalk_on)

    in_period = [
        assignment
        for assignment in dataset.assignments
        if assignment.takes_capacity and assignment.period.overlaps(period)
    ]
    rows = _rows(dataset, period, team_id, in_period)
    index = {member_id: row for row, member_id in enumerate(rows)}
    assignments = [assignment for assignment in in_period if assignment.member_id in index]
    absences: list[Absence] = [
        absence
        for absence in dataset.absences
        if absence.member_id in index and absence.period.overlaps(period)
    ]
    districts = sorted({crosswalk(assignment.district) for assignment in assignments})
    colour = _colours(mpl, districts)

    figure: matplotlib.figure.Figure = mpl.figure.Figure(
        figsize=(11, 1.6 + 0.38 * max(len(rows), 1)), layout="constrained"
    )
    axes = figure.add_subplot()
    title = f"Assignments {first.isoformat()}..{last.isoformat()}"
    if team_id is not None:
        title += f", team {team_id}"
    if crosswalk_on is not None:
        title += f" (districts as on {crosswalk_on.isoformat()})"
    axes.set_title(title)

    def span(start: dt.date, end: dt.date) -> tuple[float, float]:
        low = _number(mpl, max(start, first))
        return low, _number(mpl, min(end, last) + ONE_DAY) - low

    for absence in absences:
        left, width = span(absence.start, absence.end)
        row = index[absence.member_id]
        axes.barh(
            row,
            width,
            left=left,
            height=_ROW_HEIGHT,
            color=_ABSENT_FACE,
            edgecolor=_ABSENT_EDGE,
            hatch="///",
            linewidth=0,
            zorder=1,
            gid=f"absence:{absence.member_id}",
        )

    by_member: dict[str, list[Assignment]] = defaultdict(list)
    for assignment in assignments:
        by_member[assignment.member_id].append(assignment)
    for member_id, own in by_member.items():
        stacked = _stacked(own)
        # A roster booked beyond a full extent would overflow the row: shrink it instead.
        scale = _ROW_HEIGHT / max([1.0, *(offset + a.extent for a, offset in stacked)])
        # The y axis runs downwards (the first member on top): the row's visual
        # bottom is its larger y, and bars stack upwards from it.
        bottom = index[member_id] + _ROW_HEIGHT / 2
        for assignment, offset in stacked:
            left, width = span(assignment.start, assignment.end)
            axes.barh(
                bottom - (offset + assignment.extent / 2) * scale,
                width,
                left=left,
                height=assignment.extent * scale,
                color=colour[crosswalk(assignment.district)],
                edgecolor="white",
                linewidth=0.5,
                zorder=2,
                gid=f"assignment:{assignment.assignment_id}",
            )

    axes.set_yticks(range(len(rows)), rows)
    axes.set_ylim(len(rows) - 0.5, -0.5)  # the first member at the top
    axes.set_xlim(_number(mpl, first), _number(mpl, last + ONE_DAY))
    _date_axis(mpl, axes)
    axes.grid(axis="x", color="#e5e5e5", linewidth=0.6, zorder=0)
    axes.set_axisbelow(True)
    if not rows:
        axes.text(0.5, 0.5, "no members in this period", transform=axes.transAxes, ha="center")
    handles = [mpl.patches.Patch(facecolor=colour[code], label=code) for code in districts]
    handles.append(
        mpl.patches.Patch(
            facecolor=_ABSENT_FACE, edgecolor=_ABSENT_EDGE, hatch="///", label="absent"
        )
    )
    axes.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    return figure


# -- compliance over time -----------------------------------------------------------------


def _readings(reading: str) -> tuple[str, ...]:
    if reading not in READINGS:
        known = ", ".join(repr(value) for value in READINGS)
        raise ValidationError("reading", f"must be one of {known}, got {shown_value(reading)}")
    return ("strict", "roll_forward") if reading == "both" else (reading,)


def _series(rows: Iterable[ComplianceRow]) -> dict[str, list[ComplianceRow]]:
    """The rows by district, each district's sorted by month; a month twice is an error."""
    series: dict[str, dict[dt.date, ComplianceRow]] = defaultdict(dict)
    for row in rows:
        months = series[row.district]
        if row.month in months:
            raise ValidationError(
                "rows",
                f"have two rows for district {row.district!r} and month {row.month.isoformat()}",
            )
        months[row.month] = row
    return {code: [months[m] for m in sorted(months)] for code, months in sorted(series.items())}


def _share(row: ComplianceRow, reading: str) -> float:
    """The row's share under *reading*; NaN, a gap in the line, when nothing is owed yet."""
    share = row.share_strict if reading == "strict" else row.share_roll_forward
    return math.nan if share is None else share


def compliance_chart(
    rows: Sequence[ComplianceRow],
    *,
    reading: str = "both",
    kind: str = "preassessment",
) -> matplotlib.figure.Figure:
    """The share of deadlines met per district and month: one line per district.

    Plots :class:`~socforst.queries.ComplianceRow` rows, as
    :func:`socforst.queries.compliance` gives them: each district's share of
    the deadlines that started in a month and were met, against the 100 % line.
    Months that are not final yet (``ComplianceRow.final``: deadlines still
    open, or more can start) are shaded and labelled "not final yet".
    With ``reading="both"`` each district has two lines of one colour: solid
    for strict calendar days, dashed for the roll-forward reading of Lag
    (1930:173) 2 §; the gap between them is what the reading changes. A month
    without a row for a district (nothing owed) is skipped by its line.

    Args:
        rows: The compliance rows, one per district and month.
        reading: ``strict``, ``roll_forward`` or ``both``.
        kind: The kind of deadline the rows measure (``preassessment`` or
            ``investigation``), for the title.

    Returns:
        The figure, with one axes; each district's line has the ``gid``
        ``DISTRICT:READING`` (``farsta:strict``), the 100 % line ``target``.

    Raises:
        PlotDependencyError: If matplotlib is not installed.
        ValidationError: If *reading* or *kind* is not known, or *rows* hold
            two rows for the same district and month.
    """
    readings = _readings(reading)
    if kind not in _TITLES:
        known = ", ".join(repr(value) for value in _TITLES)
        raise ValidationError("kind", f"must be one of {known}, got {shown_value(kind)}")
    series = _series(rows)
    mpl = _matplotlib()
    colour = _colours(mpl, list(series))

    figure: matplotlib.figure.Figure = mpl.figure.Figure(figsize=(11, 6), layout="constrained")
    axes = figure.add_subplot()
    shown = " and ".join(_READING_STYLES[r][1] for r in readings)
    axes.set_title(f"{_TITLES[kind]}, per district and month\n{shown}")
    axes.set_ylabel("share within the deadline")
    axes.axhline(1.0, color=_TARGET_COLOUR, linewidth=1.0, linestyle=":", gid="target")

    lowest = 1.0
    for code, own in series.items():
        xs = [_number(mpl, row.month) for row in own]
        for name in readings:
            ys = [_share(row, name) for row in own]
            lowest = min([lowest, *(y for y in ys if not math.isnan(y))])
            axes.plot(
                xs,
                ys,
                color=colour[code],
                linestyle=_READING_STYLES[name][0],
                linewidth=1.4,
                marker="o" if len(xs) <= 24 else None,
                markersize=3,
                gid=f"{code}:{name}",
            )
    # The months that are not final yet (still filling up) are shaded and named in the
    # legend: a share there may still change and must not read as complete.
    open_months = [row.month for row in rows if not row.final]
    if open_months:
        last = max(row.month for row in rows)
        axes.axvspan(
            _number(mpl, min(open_months)) - 15,
            _number(mpl, last) + 15,
            color=_NOT_FINAL_COLOUR,
            alpha=0.35,
            linewidth=0,
            gid="not-final",
            zorder=0,
        )
    # Room below the lowest share, in steps of 5 %, and never below 0.
    axes.set_ylim(max(0.0, math.floor(lowest * 20 - 1) / 20), 1.02)
    # Ticks on whole percents (steps of 1, 2, 5 or 10 %): a 2.5 % tick would be labelled
    # "98%" for 97.5 %.
    axes.yaxis.set_major_locator(mpl.ticker.MaxNLocator(nbins=8, steps=[1, 2, 5, 10]))
    axes.yaxis.set_major_formatter(mpl.ticker.PercentFormatter(xmax=1.0, decimals=0))
    _date_axis(mpl, axes)
    axes.grid(color="#e5e5e5", linewidth=0.6)
    axes.set_axisbelow(True)
    if not series:
        axes.text(0.5, 0.5, "no deadlines to show", transform=axes.transAxes, ha="center")

    handles = [mpl.lines.Line2D([], [], color=colour[code], label=code) for code in series]
    if len(readings) > 1:
        handles += [
            mpl.lines.Line2D([], [], color=_TARGET_COLOUR, linestyle=style, label=label)
            for style, label in (_READING_STYLES[r] for r in readings)
        ]
    if open_months:
        handles.append(
            mpl.patches.Patch(color=_NOT_FINAL_COLOUR, alpha=0.35, label="not final yet")
        )
    axes.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    return figure


# -- writing ------------------------------------------------------------------------------


def save(
    figure: matplotlib.figure.Figure, path: str | os.PathLike[str], *, dpi: float = 100
) -> pathlib.Path:
    """Write *figure* to *path* atomically, in the format its suffix names (PNG by default).

    The image is rendered in memory first and then written beside *path* and
    moved over it, so a failure leaves an old file whole. No display is
    needed: matplotlib renders PNG with its Agg renderer.

    Args:
        figure: The figure, from :func:`assignment_gantt`, :func:`compliance_chart`
            or matplotlib.
        path: The file to write; ``.png`` (or no suffix) for PNG, or another
            format matplotlib writes (``.svg``, ``.pdf``).
        dpi: Dots per inch.

    Returns:
        The path written.

    Raises:
        PlotDependencyError: If matplotlib is not installed.
        ValidationError: If the suffix names a format matplotlib cannot write.
        OSError: If the file cannot be written (its folder missing, say).
    """
    _matplotlib()
    path = pathlib.Path(path)
    fmt = path.suffix[1:].lower() or "png"
    formats = figure.canvas.get_supported_filetypes()
    if fmt not in formats:
        known = ", ".join(sorted(formats))
        raise ValidationError("path", f"has the suffix {path.suffix!r}; matplotlib writes {known}")
    buffer = io.BytesIO()
    figure.savefig(buffer, format=fmt, dpi=dpi)
    with atomic_write_bytes(path) as handle:
        handle.write(buffer.getvalue())
    return path
