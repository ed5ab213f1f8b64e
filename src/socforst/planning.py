"""Suggestions for open requests: who goes where, and why.

:func:`suggest` proposes assignments (*uppdrag*) for the districts' open
requests. It keeps every hard rule on every day of a request: the policy's
bounds on an assignment's length, the member's employment, absences and free
extent (after the assignments already made, which stay as they are), the
competence the request's task needs, and the district existing. Among what the
rules allow it covers the most needed districts first, then sends a member back
to a district they know, then evens out the load. Every suggestion carries the
sentences that explain it, and every request it cannot cover names the rule
that stopped it.

Example:
    >>> import datetime as dt
    >>> from socforst import Dataset, Request, TeamMember
    >>> from socforst.planning import suggest
    >>> data = Dataset(
    ...     members=[TeamMember(member_id="m1", team_id="t1",
    ...                         employed_from=dt.date(2020, 1, 1), competencies=["lvu"])],
    ...     requests=[Request(request_id="r1", district="farsta", received_on=dt.date(2025, 2, 1),
    ...                       start=dt.date(2025, 3, 3), end=dt.date(2025, 3, 23), task="lvu")],
    ... )
    >>> plan = suggest(data, as_of=dt.date(2025, 2, 10), need={"farsta": 1.0})
    >>> [(s.assignment.assignment_id, s.assignment.member_id) for s in plan.suggestions]
    [('plan-r1-1', 'm1')]
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import itertools
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

import attrs

from socforst.assignments import Assignment, AssignmentPolicy, AssignmentStatus, Request
from socforst.dataset import Dataset
from socforst.dates import ONE_DAY, DateRange, add_months
from socforst.districts import DistrictRegistry
from socforst.errors import SocforstError, ValidationError
from socforst.team import TeamMember

__all__ = ["Plan", "PlanRow", "Skipped", "Suggestion", "Uncovered", "suggest"]

# Extents are fractions such as 0.1 + 0.2: compare their sums with a tolerance.
_TOLERANCE = 1e-9
_MAX_ID = 64
# The longest chain of moves tried to free a member for a place no one is free for.
_MOVES = 2
# The most stretches of days, or members not employed, a reason names one by one.
_STRETCHES = 4


@attrs.frozen(kw_only=True)
class Suggestion:
    """One suggested assignment for one place of a request, with the reasons for it.

    Args:
        assignment: The suggested assignment (status ``planned``).
        request_id: The request it answers.
        reasons: Sentences saying why this member: the district's need, the
            rules met, continuity and load.
        need: The district's need score, or ``None`` if it has none.
    """

    assignment: Assignment
    request_id: str
    reasons: tuple[str, ...]
    need: float | None = None

    @property
    def member_id(self) -> str:
        """The suggested member's id."""
        return self.assignment.member_id


@attrs.frozen(kw_only=True)
class Uncovered:
    """A request, or part of one, that no member can take, and the rule that stops it.

    Args:
        request_id: The request.
        district: The asking district's code.
        reason: The binding constraint, concretely (ids and dates, never names).
        missing: How many of the members asked for the plan could not find.
        start: The first day of the request the plan looked at.
        end: The last day of the request.
        extent: The extent asked for.
        task: The task of the request, if any.
        need: The district's need score, or ``None`` if it has none.
    """

    request_id: str
    district: str
    reason: str
    missing: int
    start: dt.date
    end: dt.date
    extent: float
    task: str | None
    need: float | None


@attrs.frozen(kw_only=True)
class Skipped:
    """A request given to the planner that it did not plan, and why.

    Args:
        request_id: The request.
        district: The asking district's code.
        reason: Why it was left out: it ended before ``as_of``, or is covered already.
    """

    request_id: str
    district: str
    reason: str


@attrs.frozen(kw_only=True)
class PlanRow:
    """One row of a plan, for tables, CSV and JSON: a suggestion or an uncovered request.

    Args:
        request_id: The request.
        district: The asking district's code.
        outcome: ``suggested`` or ``uncovered``.
        member_id: The suggested member, or ``None`` when uncovered.
        assignment_id: The suggested assignment's id, or ``None`` when uncovered.
        start: The first day.
        end: The last day.
        extent: The extent.
        task: The task, if any.
        places: 1 for a suggestion; the members still missing when uncovered.
        need: The district's need score, or ``None`` if it has none.
        reasons: The suggestion's reasons, or the one reason it is uncovered.
    """

    request_id: str
    district: str
    outcome: str
    member_id: str | None
    assignment_id: str | None
    start: dt.date
    end: dt.date
    extent: float
    task: str | None
    places: int
    need: float | None
    reasons: tuple[str, ...]


@attrs.frozen(kw_only=True)
class Plan:
    """What :func:`suggest` proposes: suggestions, requests left uncovered, requests skipped.

    Args:
        as_of: The day the plan was made for; no assignment starts before it.
        suggestions: The suggested assignments, by first day, request and member.
        uncovered: The requests (or parts of them) no member could take, by first
            day and request.
        skipped: The requests given that were not planned: ended before *as_of*,
            or covered already.
        horizon: The days the plan spans (the first to the last day of the planned
            requests), over which load is counted; ``None`` if nothing was planned.
    """

    as_of: dt.date
    suggestions: tuple[Suggestion, ...] = ()
    uncovered: tuple[Uncovered, ...] = ()
    skipped: tuple[Skipped, ...] = ()
    horizon: DateRange | None = None

    @property
    def assignments(self) -> tuple[Assignment, ...]:
        """The suggested assignments alone, in the order of ``suggestions``."""
        return tuple(suggestion.assignment for suggestion in self.suggestions)

    def rows(self) -> tuple[PlanRow, ...]:
        """Suggestions and uncovered requests as flat rows, by first day and request."""
        rows: list[PlanRow] = []
        for suggestion in self.suggestions:
            a = suggestion.assignment
            rows.append(
                PlanRow(
                    request_id=suggestion.request_id,
                    district=a.district,
                    outcome="suggested",
                    member_id=a.member_id,
                    assignment_id=a.assignment_id,
                    start=a.start,
                    end=a.end,
                    extent=a.extent,
                    task=a.task,
                    places=1,
                    need=suggestion.need,
                    reasons=suggestion.reasons,
                )
            )
        for uncovered in self.uncovered:
            rows.append(
                PlanRow(
                    request_id=uncovered.request_id,
                    district=uncovered.district,
                    outcome="uncovered",
                    member_id=None,
                    assignment_id=None,
                    start=uncovered.start,
                    end=uncovered.end,
                    extent=uncovered.extent,
                    task=uncovered.task,
                    places=uncovered.missing,
                    need=uncovered.need,
                    reasons=(uncovered.reason,),
                )
            )
        rows.sort(key=lambda r: (r.start, r.request_id, r.outcome, r.member_id or ""))
        return tuple(rows)


def suggest(
    dataset: Dataset,
    requests: Iterable[Request] | None = None,
    policy: AssignmentPolicy = AssignmentPolicy(),  # noqa: B008 - frozen, shared safely
    *,
    as_of: dt.date | None = None,
    need: Mapping[str, float] | None = None,
) -> Plan:
    """Suggest assignments for open requests, each with its reasons.

    Hard rules, each checked on every day a suggestion would cover: the
    *policy*'s bounds on the request's period (a request is never split), the
    member employed, not absent, and with free extent (the member's extent
    less every non-cancelled assignment of *dataset*, which stay as they are,
    and less the suggestions already made) at least the request's extent, the
    member having the competence the task needs, the district existing. A
    member takes at most one place of a request.

    Among what the rules allow, requests are taken most needed first (the
    need score of the district, then the day the request was received, its
    first day and its id), and each place goes to the member who has worked in
    the district before (the latest such assignment ending last, then the most
    days there), then to the member with the least load (days assigned in the
    plan's horizon, times extent), then to the lowest member id. When no member
    is free for a place, the planner tries to free one by moving an earlier
    suggestion to another member, or by a chain of two such moves; a move keeps
    every rule and never uncovers anything.

    A request already under way on *as_of* is planned from *as_of*: no
    suggestion starts in the past. Suggested ids are ``plan-{request_id}-{n}``,
    numbered past the ids already in *dataset*.

    Args:
        dataset: The members, absences, requests and existing assignments.
        requests: The requests to plan; ``None`` for the requests of *dataset*
            not yet covered by their headcount of non-cancelled assignments.
            Either way, places already covered are not planned again, and a
            request that ended before *as_of* is skipped (see
            ``Plan.skipped``).
        policy: The bounds on an assignment's length.
        as_of: The day the plan is made on; today if ``None``.
        need: District code -> need score, higher is more needed; ``None`` for
            the scores of ``socforst.queries.need_ranking(dataset, as_of)``. A
            district missing from it comes after every district in it.

    Returns:
        The plan, with its suggestions, the uncovered requests with their
        binding rule, and the skipped requests.

    Raises:
        ValidationError: If *requests* holds two requests with the same id.
    """
    day = dt.date.today() if as_of is None else as_of
    if need is None:
        from socforst.queries import need_ranking  # here: queries builds on more than planning

        need = {score.district: score.score for score in need_ranking(dataset, day)}
    planner = _Planner(dataset, policy, day, need)
    return planner.run(requests)


# ---------------------------------------------------------------------------
# The planner's working state


@attrs.frozen(eq=False)
class _Entry:
    """A stretch of a member's time taken: an existing assignment or a suggestion.

    Compared by identity: two suggestions may have the same days and extent.
    """

    start: dt.date
    end: dt.date
    extent: float
    assignment_id: str | None  # existing assignments
    job: _Job | None = None  # suggestions of this plan


@attrs.define(eq=False)
class _Job:
    """A request being planned.

    Mutable (``attrs.define``): the planner records its members as it fills places.
    """

    request: Request
    start: dt.date  # the request's first day, or as_of if it started before
    end: dt.date
    need: float | None
    rank: int | None
    missing: int
    order: int = 0
    members: set[str] = attrs.field(factory=set)  # existing and suggested
    placed: list[_Placed] = attrs.field(factory=list)

    @property
    def period(self) -> DateRange:
        """The days the plan covers of the request."""
        return DateRange(self.start, self.end)


@attrs.define(eq=False)
class _Placed:
    """One suggestion under construction; mutable so that a move can rewrite it."""

    job: _Job
    member_id: str
    entry: _Entry
    reasons: list[str]


@attrs.define(eq=False)
class _MemberState:
    """A member's calendar during planning.

    Mutable (``attrs.define``): suggestions are added to, and moved between, members.
    """

    member: TeamMember
    absences: list[tuple[dt.date, dt.date]]  # first and last day
    entries: list[_Entry]
    history: dict[str, list[Assignment]]  # district code -> assignments, by start
    load: float = 0.0


@attrs.frozen
class _Block:
    """Why a member cannot take a place: the first rule that fails."""

    kind: str  # same_request, competence, not_employed, employment, extent, absence, capacity
    text: str
    movable: tuple[_Entry, ...] = ()  # suggestions of this plan in the way (capacity)


# A move: the suggestion's entry, the member it leaves, the member it goes to,
# and the request the member it leaves is freed for.
_Move = tuple[_Entry, _MemberState, _MemberState, _Job]


class _Planner:
    """One run of :func:`suggest`; holds the state it builds."""

    def __init__(
        self,
        dataset: Dataset,
        policy: AssignmentPolicy,
        as_of: dt.date,
        need: Mapping[str, float],
    ) -> None:
        self.dataset = dataset
        self.policy = policy
        self.as_of = as_of
        self.need = dict(need)
        self.registry: DistrictRegistry = dataset.registry
        ranked = sorted(self.need, key=lambda code: (-self.need[code], code))
        self.rank = {code: index + 1 for index, code in enumerate(ranked)}
        self.live = sorted(
            (a for a in dataset.assignments if a.takes_capacity),
            key=lambda a: (a.start, a.assignment_id),
        )
        self.used_ids = {a.assignment_id for a in dataset.assignments}
        self.members: list[_MemberState] = []
        self.horizon: DateRange | None = None
        self._successor_sets: dict[tuple[str, dt.date], frozenset[str]] = {}
        self._histories: dict[tuple[str, int], tuple[int, int, dt.date | None]] = {}
        self._cache: dict[tuple[str, int], _Block | None] = {}

    # -- the run -----------------------------------------------------------

    def run(self, requests: Iterable[Request] | None) -> Plan:
        explicit = requests is not None
        given = sorted(
            self.dataset.requests if requests is None else requests, key=lambda r: r.request_id
        )
        seen: set[str] = set()
        for request in given:
            if request.request_id in seen:
                raise ValidationError(
                    "requests", f"hold the request id {request.request_id!r} more than once"
                )
            seen.add(request.request_id)

        covering: dict[str, list[Assignment]] = defaultdict(list)
        for assignment in self.live:
            if assignment.request_id is not None:
                covering[assignment.request_id].append(assignment)

        skipped: list[Skipped] = []
        jobs: list[_Job] = []
        for request in given:
            existing = covering.get(request.request_id, [])
            missing = request.headcount - len(existing)
            if missing <= 0:
                if explicit:
                    ids = ", ".join(a.assignment_id for a in existing)
                    skipped.append(
                        Skipped(
                            request_id=request.request_id,
                            district=request.district,
                            reason=f"covered already by {ids}",
                        )
                    )
                continue
            if request.end < self.as_of:
                skipped.append(
                    Skipped(
                        request_id=request.request_id,
                        district=request.district,
                        reason=(
                            f"ended {request.end.isoformat()}, before the plan's day "
                            f"{self.as_of.isoformat()}"
                        ),
                    )
                )
                continue
            score = self._need_of(request)
            jobs.append(
                _Job(
                    request=request,
                    start=max(request.start, self.as_of),
                    end=request.end,
                    need=score,
                    rank=self._rank_of(request),
                    missing=missing,
                    members={a.member_id for a in existing},
                )
            )

        jobs.sort(key=_priority)
        for order, job in enumerate(jobs):
            job.order = order
        if jobs:
            self.horizon = DateRange(min(job.start for job in jobs), max(job.end for job in jobs))
        self._build_members()

        uncovered: list[Uncovered] = []
        for job in jobs:
            refusal = self._request_refusal(job)
            if refusal is not None:
                uncovered.append(self._uncovered(job, job.missing, refusal))
                continue
            for place in range(job.missing):
                if not (self._fill(job) or self._fill_by_moving(job)):
                    reason = self._no_member_reason(job)
                    uncovered.append(self._uncovered(job, job.missing - place, reason))
                    break

        suggestions = self._suggestions(jobs)
        uncovered.sort(key=lambda u: (u.start, u.request_id))
        skipped.sort(key=lambda s: s.request_id)
        return Plan(
            as_of=self.as_of,
            suggestions=suggestions,
            uncovered=tuple(uncovered),
            skipped=tuple(skipped),
            horizon=self.horizon,
        )

    def _need_of(self, request: Request) -> float | None:
        if request.district in self.need:
            return self.need[request.district]
        code = self._current_code(request.district, request.start)
        return self.need.get(code)

    def _rank_of(self, request: Request) -> int | None:
        if request.district in self.rank:
            return self.rank[request.district]
        return self.rank.get(self._current_code(request.district, request.start))

    def _current_code(self, code: str, day: dt.date) -> str:
        try:
            return self.registry.current(code, on=day).code
        except SocforstError:
            return code

    def _build_members(self) -> None:
        horizon = self.horizon
        absences: dict[str, list[tuple[dt.date, dt.date]]] = defaultdict(list)
        for absence in self.dataset.absences:
            if horizon is None or absence.period.overlaps(horizon):
                absences[absence.member_id].append((absence.start, absence.end))
        entries: dict[str, list[_Entry]] = defaultdict(list)
        history: dict[str, dict[str, list[Assignment]]] = defaultdict(lambda: defaultdict(list))
        for a in self.live:
            history[a.member_id][a.district].append(a)
            if horizon is not None and a.period.overlaps(horizon):
                entries[a.member_id].append(_Entry(a.start, a.end, a.extent, a.assignment_id))
        by_id = {m.member_id: m for m in self.dataset.members}
        for member_id in sorted(by_id):
            state = _MemberState(
                member=by_id[member_id],
                absences=sorted(absences.get(member_id, [])),
                entries=entries.get(member_id, []),
                history=dict(history.get(member_id, {})),
            )
            for entry in state.entries:
                state.load += self._load_of(entry)
            self.members.append(state)

    def _load_of(self, entry: _Entry) -> float:
        if self.horizon is None:
            return 0.0
        common = DateRange(entry.start, entry.end).intersection(self.horizon)
        return 0.0 if common is None else entry.extent * common.days

    # -- the rules ---------------------------------------------------------

    def _request_refusal(self, job: _Job) -> str | None:
        request = job.request
        if request.period.days < self.policy.min_days or job.period.days < self.policy.min_days:
            return (
                f"request lasts {_duration(job.period)} from {job.period.start.isoformat()}; "
                f"the policy asks for at least {self.policy.min_days} days"
            )
        refusal = self.policy.refusal(request.period)
        if refusal is not None:
            latest = self.policy.latest_end(request.start)
            return (
                f"request lasts {_duration(request.period)} ({request.period}); the policy "
                f"allows at most {self.policy.max_months} months (to {latest.isoformat()}) "
                "and a request is not split"
            )
        if request.district not in self.registry:
            return f"district {request.district!r} is not in the district registry"
        district = self.registry.get(request.district)
        outside = job.period.outside(district.validity)
        if outside:
            days = ", ".join(_span(part) for part in outside)
            text = f"district {request.district} did not exist on {days}"
            if district.successor is not None:
                text += f" (its successor is {district.successor})"
            return text
        return None

    def _block(
        self,
        state: _MemberState,
        job: _Job,
        without: _Entry | None = None,
        *,
        explain: bool = False,
    ) -> _Block | None:
        """The first rule that keeps *state*'s member from a place of *job*, or ``None``.

        The checks compare dates only; the sentence is written when *explain* is set.
        """
        member, request = state.member, job.request
        mid = member.member_id
        if mid in job.members:
            return _Block("same_request", f"{mid} is on this request already")
        if request.task is not None and request.task not in member.competencies:
            return _Block("competence", f"{mid} lacks {request.task}")
        if member.employed_from > job.start or (
            member.employed_to is not None and member.employed_to < job.end
        ):
            if (member.employed_to is not None and member.employed_to < job.start) or (
                member.employed_from > job.end
            ):
                # Not employed on any day: the reason lists such members together.
                return _Block("not_employed", mid)
            text = ""
            if explain:
                outside = job.period.outside(member.employment)
                text = f"{mid} not employed " + ", ".join(_span(part) for part in outside)
            return _Block("employment", text)
        if member.extent + _TOLERANCE < request.extent:
            return _Block(
                "extent",
                f"{mid} works at extent {member.extent:g}, less than the {request.extent:g} asked",
            )
        for first, last in state.absences:
            if first <= job.end and job.start <= last:
                text = ""
                if explain:
                    away = [
                        DateRange(max(a, job.start), min(b, job.end))
                        for a, b in state.absences
                        if a <= job.end and job.start <= b
                    ]
                    text = f"{mid} absent {', '.join(_span(p) for p in _merged(away))}"
                return _Block("absence", text)
        return self._capacity_block(state, job, without, explain)

    def _capacity_block(
        self, state: _MemberState, job: _Job, without: _Entry | None, explain: bool
    ) -> _Block | None:
        wanted = job.request.extent
        capacity = state.member.extent
        overlapping = [
            e
            for e in state.entries
            if e is not without and e.start <= job.end and job.start <= e.end
        ]
        if sum(e.extent for e in overlapping) + wanted <= capacity + _TOLERANCE:
            return None  # even if they all overlapped on one day, the place fits
        over: list[tuple[dt.date, dt.date, float, list[_Entry]]] = []
        for first, last, load, covering in _segments(overlapping, job.start, job.end):
            if load + wanted > capacity + _TOLERANCE:
                if over and over[-1][1] + ONE_DAY == first:
                    start, _, peak, held = over[-1]
                    over[-1] = (start, last, max(peak, load), held + covering)
                else:
                    over.append((first, last, load, list(covering)))
        if not over:
            return None
        held_all: list[_Entry] = []
        for *_, held in over:
            held_all.extend(e for e in held if e not in held_all)
        movable = tuple(e for e in held_all if e.job is not None)
        if not explain:
            return _Block("capacity", "", movable)
        parts: list[str] = []
        said = ""
        for first, last, peak, _held in over[:_STRETCHES]:
            free = capacity - peak
            saying = "at full extent" if free <= _TOLERANCE else f"only {free:g} free"
            stretch = _span(DateRange(first, last))
            parts.append(stretch if saying == said else f"{saying} {stretch}")
            said = saying
        if len(over) > _STRETCHES:
            parts.append(f"and {len(over) - _STRETCHES} more stretches")
        existing = sorted({e.assignment_id for e in held_all if e.assignment_id is not None})
        planned = sorted({e.job.request.request_id for e in held_all if e.job is not None})
        by = []
        if existing:
            by.append(", ".join(existing))
        if planned:
            by.append("this plan's " + ", ".join(planned))
        text = f"{state.member.member_id} {', '.join(parts)} (taken by {' and '.join(by)})"
        return _Block("capacity", text, movable)

    # -- choosing ----------------------------------------------------------

    def _districts_for(self, request: Request) -> frozenset[str]:
        """The codes that stand for the request's district on its first day."""
        key = (request.district, request.start)
        found = self._successor_sets.get(key)
        if found is None:
            found = frozenset(
                code
                for code in self.registry.codes
                if self._current_code(code, request.start) == request.district
            ) | {request.district}
            self._successor_sets[key] = found
        return found

    def _history(self, state: _MemberState, job: _Job) -> tuple[int, int, dt.date | None]:
        """Assignments in the district that started before the request: count, days, latest end."""
        key = (state.member.member_id, id(job))
        found = self._histories.get(key)
        if found is None:
            count, days, latest = 0, 0, None
            for code in self._districts_for(job.request):
                for a in state.history.get(code, ()):
                    if a.start >= job.request.start:
                        break  # the lists are sorted by first day
                    count += 1
                    days += a.period.days
                    latest = a.end if latest is None else max(latest, a.end)
            found = (count, days, latest)
            self._histories[key] = found
        return found

    def _key(self, state: _MemberState, job: _Job) -> tuple[int, int, int, float, str]:
        count, days, latest = self._history(state, job)
        return (
            0 if count else 1,
            -(latest.toordinal() if latest else 0),
            -days,
            round(state.load, 6),
            state.member.member_id,
        )

    def _candidates(self, job: _Job) -> list[_MemberState]:
        """The members free for a place of *job*, best first."""
        found = [s for s in self.members if self._block(s, job) is None]
        found.sort(key=lambda s: self._key(s, job))
        return found

    def _fill(self, job: _Job) -> bool:
        candidates = self._candidates(job)
        if not candidates:
            return False
        self._place(job, candidates[0], self._reasons(job, candidates))
        return True

    def _place(self, job: _Job, state: _MemberState, reasons: list[str]) -> _Placed:
        entry = _Entry(job.start, job.end, job.request.extent, None, job)
        state.entries.append(entry)
        state.load += self._load_of(entry)
        job.members.add(state.member.member_id)
        placed = _Placed(job, state.member.member_id, entry, reasons)
        job.placed.append(placed)
        return placed

    def _unplace(self, placed: _Placed) -> None:
        state = self._state(placed.member_id)
        state.entries.remove(placed.entry)
        state.load -= self._load_of(placed.entry)
        placed.job.members.discard(placed.member_id)
        placed.job.placed.remove(placed)

    def _state(self, member_id: str) -> _MemberState:
        for state in self.members:
            if state.member.member_id == member_id:
                return state
        raise LookupError(member_id)  # pragma: no cover - members never leave

    def _fill_by_moving(self, job: _Job) -> bool:
        """Free a member for *job* by moving earlier suggestions to other members.

        A chain of up to ``_MOVES`` moves is tried: an earlier suggestion
        moves to a free member, or to one freed by moving another suggestion.
        Every move keeps every rule, so no place covered before is lost.
        """
        self._cache.clear()
        found = self._free_member(job, frozenset(), _MOVES)
        if found is None:
            return False
        freed, moves = found
        for entry, source, target, for_job in moves:
            assert entry.job is not None
            earlier = entry.job
            self._unplace(next(p for p in earlier.placed if p.entry is entry))
            reasons = self._reasons(earlier, [target], chosen=target)
            reasons.append(
                f"{source.member.member_id} was suggested first; moved to "
                f"{target.member.member_id} so that {source.member.member_id} could take "
                f"{for_job.request.request_id}"
            )
            self._place(earlier, target, reasons)
        reasons = self._reasons(job, [freed], chosen=freed)
        for entry, source, target, _ in reversed(moves):
            assert entry.job is not None
            reasons.append(
                f"{entry.job.request.request_id} moved from {source.member.member_id} to "
                f"{target.member.member_id} to free {source.member.member_id}"
                + (" for this request" if source is freed else "")
            )
        self._place(job, freed, reasons)
        return True

    def _free_member(
        self, job: _Job, exclude: frozenset[str], depth: int
    ) -> tuple[_MemberState, list[_Move]] | None:
        """A member who could take *job* after some moves, and the moves in the order to make.

        Nothing changes while searching, so blocks without exclusions are cached.
        """
        blocked = []
        for state in self.members:
            if state.member.member_id in exclude:
                continue
            block = self._cached_block(state, job)
            if block is not None and block.kind == "capacity" and block.movable:
                blocked.append((state, block))
        blocked.sort(key=lambda pair: self._key(pair[0], job))
        for freed, block in blocked:
            for entry in sorted(block.movable, key=lambda e: e.job.order if e.job else 0):
                if self._block(freed, job, without=entry) is not None:
                    continue
                assert entry.job is not None
                earlier = entry.job
                others = [
                    s
                    for s in self.members
                    if s is not freed
                    and s.member.member_id not in exclude
                    and self._cached_block(s, earlier) is None
                ]
                if others:
                    taker = min(others, key=lambda s: self._key(s, earlier))
                    return freed, [(entry, freed, taker, job)]
                if depth > 1:
                    deeper = self._free_member(
                        earlier, exclude | {freed.member.member_id}, depth - 1
                    )
                    if deeper is not None:
                        taker, moves = deeper
                        return freed, [*moves, (entry, freed, taker, job)]
        return None

    def _cached_block(self, state: _MemberState, job: _Job) -> _Block | None:
        key = (state.member.member_id, id(job))
        if key not in self._cache:
            self._cache[key] = self._block(state, job)
        return self._cache[key]

    # -- explaining --------------------------------------------------------

    def _need_sentence(self, job: _Job) -> str:
        district = job.request.district
        if job.need is None or job.rank is None:
            return f"{district} has no need score, so it came after the ranked districts"
        return (
            f"{district} is ranked {job.rank} of {len(self.rank)} districts by need "
            f"(score {job.need:.2f}); the most needed requests are covered first"
        )

    def _reasons(
        self, job: _Job, candidates: Sequence[_MemberState], chosen: _MemberState | None = None
    ) -> list[str]:
        """Why the best of *candidates* (or *chosen*, placed by a move) takes a place of *job*."""
        state = candidates[0] if chosen is None else chosen
        others = [s for s in candidates if s is not state]
        request, period = job.request, job.period
        reasons = [self._need_sentence(job)]
        if request.task is not None:
            reasons.append(f"has the competence {request.task} the request needs")
        reasons.append(
            f"employed, not absent and free {_extent(request.extent)} on every day {period}"
        )
        if period.start != request.start:
            reasons.append(
                f"starts {period.start.isoformat()}, not {request.start.isoformat()}: "
                "the plan does not start assignments in the past"
            )
        count, days, latest = self._history(state, job)
        if count and latest is not None:
            plural = "assignment" if count == 1 else "assignments"
            reasons.append(
                f"has worked in {request.district} before ({count} {plural}, {days} days, "
                f"the latest ending {latest.isoformat()})"
            )
        elif chosen is None:
            reasons.append(f"no member free for it has worked in {request.district} before")
        else:
            reasons.append(f"has not worked in {request.district} before")
        load = f"{state.load:g} days assigned in {self.horizon}"
        if chosen is not None:
            reasons.append(f"load: {load}")
            return reasons
        if not others:
            reasons.append(f"the only member free for it ({load})")
            return reasons
        mine, runner = self._key(state, job), self._key(others[0], job)
        rival = others[0].member.member_id
        if mine[:3] != runner[:3]:
            compared = (
                f"{rival}, the next member free for it, has not"
                if runner[0]
                else f"more recently or for more days than {rival}, the next member free for it"
            )
            reasons.append(
                f"has worked in {request.district}, {compared}; "
                f"continuity comes before an even load ({load})"
            )
        elif mine[3] != runner[3]:
            reasons.append(f"lowest load of the {len(candidates)} members free for it: {load}")
        else:
            reasons.append(
                f"tied with {rival} on continuity and load ({load}); the lower id decides"
            )
        return reasons

    def _no_member_reason(self, job: _Job) -> str:
        """The binding constraint of a place no member can take: each member's first rule."""
        request = job.request
        blocks = [b for s in self.members if (b := self._block(s, job, explain=True)) is not None]
        if request.task is not None and all(b.kind == "competence" for b in blocks):
            return f"no member has the competence {request.task} the request needs"
        covered = request.headcount - job.missing + len(job.placed)
        head = "no other member" if covered else "no member"
        if request.task is not None:
            head += f" with {request.task}"
        head += " free"
        head += f" {_extent(request.extent)}"
        head += f" for {_duration(job.period)} from {job.period.start.isoformat()}"
        if covered:
            head = f"{covered} of {request.headcount} members found; {head}"
        if not self.members:
            return f"{head}: the team has no members"
        details = [b.text for b in blocks if b.kind not in ("competence", "not_employed")]
        gone = [b.text for b in blocks if b.kind == "not_employed"]
        if len(gone) > _STRETCHES:
            details.append(f"{len(gone)} members not employed then")
        elif gone:
            details.append(f"{_listed(gone)} not employed then")
        return f"{head}: {'; '.join(details)}"

    def _uncovered(self, job: _Job, missing: int, reason: str) -> Uncovered:
        return Uncovered(
            request_id=job.request.request_id,
            district=job.request.district,
            reason=reason,
            missing=missing,
            start=job.start,
            end=job.end,
            extent=job.request.extent,
            task=job.request.task,
            need=job.need,
        )

    def _suggestions(self, jobs: Sequence[_Job]) -> tuple[Suggestion, ...]:
        found: list[Suggestion] = []
        for job in jobs:
            request = job.request
            number = 0
            for placed in sorted(job.placed, key=lambda p: p.member_id):
                number += 1
                assignment_id = _plan_id(request.request_id, number)
                while assignment_id in self.used_ids:
                    number += 1
                    assignment_id = _plan_id(request.request_id, number)
                self.used_ids.add(assignment_id)
                suggestion = Suggestion(
                    assignment=Assignment(
                        assignment_id=assignment_id,
                        member_id=placed.member_id,
                        district=request.district,
                        start=job.start,
                        end=job.end,
                        extent=request.extent,
                        task=request.task,
                        request_id=request.request_id,
                        status=AssignmentStatus.PLANNED,
                    ),
                    request_id=request.request_id,
                    reasons=tuple(placed.reasons),
                    need=job.need,
                )
                found.append(suggestion)
        found.sort(key=lambda s: (s.assignment.start, s.request_id, s.member_id))
        return tuple(found)


def _priority(job: _Job) -> tuple[int, float, dt.date, dt.date, str]:
    request = job.request
    return (
        0 if job.need is not None else 1,
        -(job.need or 0.0),
        request.received_on,
        request.start,
        request.request_id,
    )


def _plan_id(request_id: str, number: int) -> str:
    candidate = f"plan-{request_id}-{number}"
    if len(candidate) <= _MAX_ID:
        return candidate
    # Base32 has no digits 0, 1, 8 or 9, and a month needs a 0 or a 1: the id can never
    # hold something that reads as a personnummer, which ids refuse (hex could).
    raw = hashlib.sha1(request_id.encode(), usedforsecurity=False).digest()
    digest = base64.b32encode(raw).decode("ascii")[:16].lower()
    return f"plan-{digest}-{number}"


def _segments(
    entries: Sequence[_Entry], start: dt.date, end: dt.date
) -> list[tuple[dt.date, dt.date, float, list[_Entry]]]:
    """The load of *entries* from *start* to *end*, as stretches of constant load."""
    cuts = {start, end + ONE_DAY}
    for e in entries:
        if start < e.start <= end:
            cuts.add(e.start)
        if start <= e.end < end:
            cuts.add(e.end + ONE_DAY)
    ordered = sorted(cuts)
    found = []
    for first, after in itertools.pairwise(ordered):
        covering = [e for e in entries if e.start <= first and after - ONE_DAY <= e.end]
        found.append((first, after - ONE_DAY, sum(e.extent for e in covering), covering))
    return found


def _merged(parts: Iterable[DateRange]) -> list[DateRange]:
    merged: list[DateRange] = []
    for part in sorted(parts, key=lambda p: p.start):
        if merged:
            last = merged[-1]
            assert last.end is not None
            assert part.end is not None
            if part.start <= last.end + ONE_DAY:
                merged[-1] = DateRange(last.start, max(last.end, part.end))
                continue
        merged.append(part)
    return merged


def _span(period: DateRange) -> str:
    """Days as a planner writes them: ``2025-03-10..2025-03-14``, or one date."""
    if period.end == period.start:
        return period.start.isoformat()
    return str(period)


def _duration(period: DateRange) -> str:
    """A period's length as a planner says it: months (Lag 1930:173 1 §), weeks or days."""
    assert period.end is not None
    months, last = 0, period.start - ONE_DAY
    while True:
        end = add_months(period.start, months + 1) - ONE_DAY
        if end > period.end:
            break
        months, last = months + 1, end
    if months == 0:
        days = period.days
        if days % 7 == 0:
            return _count(days // 7, "week")
        return _count(days, "day")
    rest = (period.end - last).days
    if rest == 0:
        return _count(months, "month")
    return f"{_count(months, 'month')} and {_count(rest, 'day')}"


def _listed(ids: Sequence[str]) -> str:
    """``m1``, ``m1 and m2``, ``m1, m2 and m3``."""
    if len(ids) == 1:
        return ids[0]
    return f"{', '.join(ids[:-1])} and {ids[-1]}"


def _extent(extent: float) -> str:
    return "full time" if extent >= 1 else f"at extent {extent:g}"


def _count(number: int, unit: str) -> str:
    return f"{number} {unit}" if number == 1 else f"{number} {unit}s"
