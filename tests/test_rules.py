"""Properties of the deadline engine, the legal calendar, and the rule book's API."""

from __future__ import annotations

import datetime as dt
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import attrs
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import socforst
from socforst import (
    Custody,
    DeadlineStatus,
    Extension,
    Investigation,
    Placement,
    Report,
    Review,
    RuleBook,
    swedish_calendar,
)
from socforst.rules import (
    ColumnarRule,
    PreassessmentDeadline,
    ProtectionAssessmentDeadline,
    cite,
)
from tests import strategies as s

D = dt.date
BOOKS = {
    "strict": RuleBook.swedish(),
    "rolled": RuleBook.swedish(roll_forward=True),
    # Every rule strict, the LVU filings with a court too (their default rolls).
    "all-strict": RuleBook.swedish(
        readings={"lvu_court_submission": "strict", "lvu_care_application": "strict"}
    ),
}
COLUMNAR_KINDS = [
    "protection_assessment",
    "preassessment",
    "investigation",
    "lvu_court_submission",
    "lvu_care_application",
    "lvu_care_start",
]


# ------------------------------------------------------------ the legal calendar


def _easter(year: int) -> dt.date:
    """Easter Sunday by the anonymous Gregorian algorithm: a second implementation."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def _first(year: int, month: int, day: int, weekday: int) -> dt.date:
    """The first date on or after year-month-day that falls on *weekday* (Monday 0)."""
    start = dt.date(year, month, day)
    return start + dt.timedelta(days=(weekday - start.weekday()) % 7)


def _named_days_by_law(year: int) -> set[dt.date]:
    """The days Lag (1930:173) 2 § names, from Lag (1989:253) om allmänna helgdagar.

    Public holidays since 2005 (National Day in, Whit Monday out), plus
    midsummer eve, Christmas eve and New Year's eve, which 2 § names itself.
    """
    easter = _easter(year)
    return {
        D(year, 1, 1),  # nyårsdagen
        D(year, 1, 6),  # trettondedag jul
        easter - dt.timedelta(days=2),  # långfredagen
        easter,  # påskdagen
        easter + dt.timedelta(days=1),  # annandag påsk
        D(year, 5, 1),  # första maj
        easter + dt.timedelta(days=39),  # Kristi himmelsfärdsdag
        easter + dt.timedelta(days=49),  # pingstdagen
        D(year, 6, 6),  # nationaldagen
        _first(year, 6, 19, 4),  # midsommarafton: the Friday of 19-25 June
        _first(year, 6, 20, 5),  # midsommardagen: the Saturday of 20-26 June
        _first(year, 10, 31, 5),  # alla helgons dag: the Saturday of 31 Oct-6 Nov
        D(year, 12, 24),  # julafton
        D(year, 12, 25),  # juldagen
        D(year, 12, 26),  # annandag jul
        D(year, 12, 31),  # nyårsafton
    }


@pytest.mark.parametrize("year", range(2005, 2101))
def test_the_calendar_names_exactly_the_days_the_law_lists(year: int) -> None:
    """Every year from 2005: the named days are the law's list, worked out independently."""
    assert _named_days_by_law(year) == set(swedish_calendar().holidays(year))


def test_a_year_the_holidays_package_does_not_cover_is_an_error() -> None:
    """Outside the package's years the calendar refuses instead of guessing."""
    with pytest.raises(socforst.CalendarRangeError) as caught:
        swedish_calendar().is_working_day(D(1900, 1, 1))
    assert caught.value.year == 1900


@given(s.dates(D(1990, 1, 1), D(2090, 12, 1)))
def test_roll_forward_lands_on_the_next_working_day(day: dt.date) -> None:
    """The result is a working day, no earlier than the day, with no working day between."""
    calendar = swedish_calendar()
    rolled = calendar.roll_forward(day)
    assert day <= rolled
    assert calendar.is_working_day(rolled)
    between = [day + dt.timedelta(days=n) for n in range((rolled - day).days)]
    assert not any(calendar.is_working_day(d) for d in between)
    if calendar.is_working_day(day):
        assert day == rolled


# ------------------------------------------------------------------ properties

any_record = st.one_of(s.reports(), s.investigations(), s.placements(), s.custodies())


@pytest.mark.parametrize("reading", sorted(BOOKS))
def test_no_deadline_is_due_before_it_starts(reading: str) -> None:
    """due_on >= starts_on for every deadline of every record, under both readings."""

    @given(any_record)
    def check(record: object) -> None:
        for deadline in BOOKS[reading].deadlines(record):
            assert deadline.starts_on <= deadline.due_on

    check()


@pytest.mark.parametrize("kind", COLUMNAR_KINDS)
@pytest.mark.parametrize("reading", sorted(BOOKS))
def test_due_dates_are_monotone_in_the_start(kind: str, reading: str) -> None:
    """A later start never gives an earlier due date."""
    book = BOOKS[reading]
    rule = book.rule(kind)
    assert isinstance(rule, ColumnarRule)
    context = book.context()

    @given(s.dates(D(2000, 1, 1), D(2090, 1, 1)), s.dates(D(2000, 1, 1), D(2090, 1, 1)))
    def check(a: dt.date, b: dt.date) -> None:
        early, late = sorted((a, b))
        assert rule.due_from_start(early, context) <= rule.due_from_start(late, context)

    check()


@given(s.reports() | s.investigations() | s.custodies() | s.placements(), s.dates())
def test_status_is_total_and_consistent_with_the_dates(record: object, as_of: dt.date) -> None:
    """Every deadline has exactly one status on any day, and it agrees with its dates."""
    for deadline in BOOKS["strict"].deadlines(record):
        status = deadline.status(as_of)
        done = deadline.met_on is not None and deadline.met_on <= as_of
        left = (deadline.due_on - as_of).days
        expected = {
            DeadlineStatus.MET: done
            and deadline.met_on is not None
            and deadline.met_on <= deadline.due_on,
            DeadlineStatus.JUSTIFIED: done
            and deadline.met_on is not None
            and deadline.met_on > deadline.due_on
            and bool(deadline.exceptional_reason),
            DeadlineStatus.LATE: done
            and deadline.met_on is not None
            and deadline.met_on > deadline.due_on
            and not deadline.exceptional_reason,
            DeadlineStatus.OVERDUE: not done and left < 0,
            DeadlineStatus.DUE_SOON: not done and 0 <= left <= 3,
            DeadlineStatus.OPEN: not done and left > 3,
        }
        assert [status] == [k for k, v in expected.items() if v]


@given(s.reports())
def test_the_rolled_reading_is_never_earlier_and_differs_only_off_working_days(
    report: Report,
) -> None:
    """Roll-forward moves a preassessment only when day 14 is not a working day."""
    strict = [d for d in BOOKS["strict"].deadlines(report) if d.kind == "preassessment"]
    rolled = [d for d in BOOKS["rolled"].deadlines(report) if d.kind == "preassessment"]
    if report.preassessment_outcome is socforst.PreassessmentOutcome.ALREADY_OPEN:
        assert (strict, rolled) == ([], [])
        return
    ((strict_due,), (rolled_due,)) = ([d.due_on for d in strict], [d.due_on for d in rolled])
    assert strict_due <= rolled_due
    assert (strict_due != rolled_due) == (not swedish_calendar().is_working_day(strict_due))


def _start_and_met(
    kind: str, record: object, book: RuleBook
) -> tuple[dt.date, dt.date | None] | None:
    """The start and met days a columnar rule reads, from a record (None: owes nothing)."""
    if isinstance(record, Report):
        # The columnar path takes the day a report counts as received (FL 22 §).
        if kind == "protection_assessment":
            met = record.protection_assessed_at
            return record.legally_received_on, None if met is None else met.date()
        if record.preassessment_outcome is socforst.PreassessmentOutcome.ALREADY_OPEN:
            return None
        return record.legally_received_on, record.preassessment_decided_on
    if isinstance(record, Investigation):
        return record.opened_on, record.closed_on
    if isinstance(record, Placement):
        # LVU 5 §: from the day the care decision gained legal force to the day care began.
        if not record.basis.is_lvu or record.care_decision_final_on is None:
            return None
        return record.care_decision_final_on, record.started_on
    assert isinstance(record, Custody)
    if kind == "lvu_court_submission":
        return record.decided_on, record.submitted_to_court_on
    if record.enforced_on is None or record.court_extension_until is not None:
        return None
    # The columnar path takes custodies that stand: not lifted, ended or lapsed (LVU 7 §
    # third paragraph: not submitted within the week, under the book's 7 § reading).
    submission = book.rule("lvu_court_submission")
    assert isinstance(submission, ColumnarRule)
    week = submission.due_from_start(record.decided_on, book.context())
    if (
        record.court_outcome is socforst.CourtOutcome.LIFTED
        or record.ended_on is not None
        or record.submitted_to_court_on is None
        or record.submitted_to_court_on > week
    ):
        return None
    return record.enforced_on, record.care_applied_on


RECORDS_OF_KIND = {
    "protection_assessment": s.reports(),
    "preassessment": s.reports(),
    "investigation": s.investigations(),
    "lvu_court_submission": s.custodies(),
    "lvu_care_application": s.custodies(),
    "lvu_care_start": s.placements(),
}


@pytest.mark.parametrize("kind", COLUMNAR_KINDS)
@pytest.mark.parametrize("reading", sorted(BOOKS))
def test_the_columnar_path_agrees_with_the_per_object_path(kind: str, reading: str) -> None:
    """Row by row, evaluate_columns gives the due dates and statuses of the per-object path."""
    book = BOOKS[reading]

    @given(st.lists(RECORDS_OF_KIND[kind], min_size=1, max_size=30), s.dates())
    def check(records: list[object], as_of: dt.date) -> None:
        rows: list[tuple[object, tuple[dt.date, dt.date | None]]] = []
        for record in records:
            start_and_met = _start_and_met(kind, record, book)
            if start_and_met is not None:
                rows.append((record, start_and_met))
        if not rows:
            return
        start = np.array([sm[0] for _, sm in rows], dtype="datetime64[D]")
        met = np.array(
            [np.datetime64("NaT") if sm[1] is None else sm[1] for _, sm in rows],
            dtype="datetime64[D]",
        )
        # A preassessment's recorded reason makes a late decision justified on both paths.
        reason = np.array(
            [getattr(r, "exceptional_reason", None) if kind == "preassessment" else None
             for r, _ in rows],
            dtype=object,
        )  # fmt: skip
        due, status = book.evaluate_columns(kind, start, met, as_of, reason)
        expected = [d for r, _ in rows for d in book.deadlines(r) if d.kind == kind]
        assert [d.due_on for d in expected] == due.astype(dt.date).tolist()
        assert [d.status(as_of).value for d in expected] == status.tolist()
        # The citation as of the day: the law on the day done in time, else on the due day.
        # A report registered after the day owes nothing yet on the object path; not done by
        # then, it would cite its due day.
        rule = book.rule(kind)
        cited: list[str] = []
        for record, _ in rows:
            known = [d for d in book.deadlines(record, as_of=as_of) if d.kind == kind]
            if not known:
                (whole,) = [d for d in book.deadlines(record) if d.kind == kind]
                cited.append(cite(rule.references, whole.starts_on, whole.due_on, None))
            else:
                cited.append(known[0].reference)
        assert cited == book.cite_columns(kind, start, due, met, as_of).tolist()

    check()


# ------------------------------------------------------------ the rule book API


def _report(**changes: object) -> Report:
    fields: dict[str, object] = {
        "report_id": "r1",
        "district": "farsta",
        "received_at": dt.datetime(2025, 3, 3, 10, 0),
    }
    fields.update(changes)
    return Report(**fields)  # type: ignore[arg-type]


def test_a_local_target_is_one_line_and_sits_beside_the_law() -> None:
    """A stricter local preassessment target adds a deadline without removing the statutory one."""
    book = RuleBook.swedish().with_rule(PreassessmentDeadline(days=10, kind="preassessment_local"))
    due = {d.kind: d.due_on for d in book.deadlines(_report())}
    # Received Monday 2025-03-03: day 10 is 2025-03-13, day 14 is 2025-03-17.
    assert D(2025, 3, 13) == due["preassessment_local"]
    assert D(2025, 3, 17) == due["preassessment"]


def test_with_rule_replaces_the_rule_of_the_same_kind_in_place() -> None:
    """Replacing keeps the order of kinds and the number of rules."""
    book = RuleBook.swedish()
    cut = book.with_rule(ProtectionAssessmentDeadline(cutoff=dt.time(16, 0)))
    assert book.kinds == cut.kinds
    late = _report(received_at=dt.datetime(2025, 3, 3, 16, 30))
    (protection,) = [d for d in cut.deadlines(late) if d.kind == "protection_assessment"]
    assert D(2025, 3, 4) == protection.due_on


def test_an_unknown_kind_lists_the_known_ones() -> None:
    """Asking for a rule the book lacks names the kinds it has."""
    with pytest.raises(socforst.UnknownRuleError) as caught:
        RuleBook.swedish().rule("preassesment")
    assert isinstance(caught.value, LookupError)
    assert "preassessment" in str(caught.value)
    with pytest.raises(socforst.UnknownRuleError):
        RuleBook.swedish().without("nothing")


def test_without_drops_a_rule() -> None:
    """A book without the protection assessment gives only the preassessment for a report."""
    book = RuleBook.swedish().without("protection_assessment")
    assert [d.kind for d in book.deadlines(_report())] == ["preassessment"]


def test_two_rules_of_one_kind_are_refused() -> None:
    """A book cannot hold two rules of the same kind: which one counts would be unclear."""
    with pytest.raises(socforst.RuleError):
        RuleBook(rules=[PreassessmentDeadline(), PreassessmentDeadline()])
    with pytest.raises(socforst.RuleError):
        RuleBook(rules=[object()])  # type: ignore[list-item]


def test_records_without_rules_are_refused_with_a_hint() -> None:
    """An extension given alone is pointed to extensions=; an unknown type is named."""
    with pytest.raises(socforst.RuleError, match="extensions="):
        RuleBook.swedish().deadlines(Extension(investigation_id="i1", decided_on=D(2025, 1, 1),
                                               until=D(2025, 2, 1)))  # fmt: skip
    with pytest.raises(socforst.RuleError, match="str"):
        RuleBook.swedish().evaluate(["not a record"], D(2025, 1, 1))


def test_evaluate_leaves_out_events_after_the_day() -> None:
    """As of a day before an extension was decided, the investigation is due at four months."""
    investigation = Investigation(
        investigation_id="i1", district="farsta", opened_on=D(2025, 1, 15)
    )
    extension = Extension(investigation_id="i1", decided_on=D(2025, 5, 10), until=D(2025, 6, 30))
    book = RuleBook.swedish()
    (before,) = book.evaluate([investigation, extension], D(2025, 5, 9))
    (after,) = book.evaluate([investigation, extension], D(2025, 5, 12))
    # 2025-01-15 + 4 months = 2025-05-15; the extension decided 2025-05-10 moves it to 06-30.
    assert (D(2025, 5, 15), DeadlineStatus.OPEN) == (before.due_on, before.status)
    assert (D(2025, 6, 30), DeadlineStatus.OPEN) == (after.due_on, after.status)


def test_evaluate_leaves_out_reports_not_yet_received() -> None:
    """As of 2025-03-02, a report received 2025-03-03 owes nothing yet."""
    assert () == RuleBook.swedish().evaluate([_report()], D(2025, 3, 2))
    assert 2 == len(RuleBook.swedish().evaluate([_report()], D(2025, 3, 3)))


def test_a_cutoff_has_no_columnar_path() -> None:
    """With a cut-off the due day depends on the time of day, which columns of days lack."""
    book = RuleBook.swedish().with_rule(ProtectionAssessmentDeadline(cutoff=dt.time(16, 0)))
    days = np.array(["2025-01-01"], dtype="datetime64[D]")
    with pytest.raises(socforst.RuleError, match="cut-off"):
        book.evaluate_columns("protection_assessment", days, days, D(2025, 1, 1))


def test_a_rule_class_is_refused_where_a_rule_is_expected() -> None:
    """Passing the class instead of an instance is a clear error, not a rule of no kind."""
    with pytest.raises(socforst.RuleError, match=r"PreassessmentDeadline\(\)"):
        RuleBook.swedish().with_rule(PreassessmentDeadline)  # type: ignore[arg-type]


def test_a_court_extension_to_an_earlier_day_does_not_shorten_the_four_weeks() -> None:
    """Enforced Mon 2025-03-03: due Mon 03-31; a court date of 03-20 moves nothing, 04-14 does."""
    custody = Custody(custody_id="c1", district="farsta", decided_on=D(2025, 3, 2),
                      enforced_on=D(2025, 3, 3), court_extension_until=D(2025, 3, 20))  # fmt: skip
    book = RuleBook.swedish()
    due = {d.kind: d.due_on for d in book.deadlines(custody)}
    assert D(2025, 3, 31) == due["lvu_care_application"]
    later = attrs.evolve(custody, court_extension_until=D(2025, 4, 14))
    due = {d.kind: d.due_on for d in book.deadlines(later)}
    assert D(2025, 4, 14) == due["lvu_care_application"]


def test_evaluate_hides_met_on_after_the_day() -> None:
    """A decision made after the day has not happened yet as of that day."""
    report = _report(preassessment_decided_on=D(2025, 3, 20))
    (_, pre) = RuleBook.swedish().evaluate([report], D(2025, 3, 18))
    assert (pre.met_on, pre.status) == (None, DeadlineStatus.OVERDUE)


def test_placement_reviews_come_from_evaluate_records() -> None:
    """Reviews passed among the records meet the placement's periods."""
    placement = Placement(placement_id="p1", district="jarva", basis="lvu_2",
                          started_on=D(2024, 1, 10))  # fmt: skip
    review = Review(placement_id="p1", reviewed_on=D(2024, 7, 1))
    found = RuleBook.swedish().evaluate([placement, review], D(2024, 12, 1))
    # 2024-01-10 + 6 months = 2024-07-10, met 07-01; then 2024-07-01 + 6 = 2025-01-01.
    assert [
        ("lvu_review", D(2024, 7, 10), DeadlineStatus.MET),
        ("lvu_review", D(2025, 1, 1), DeadlineStatus.OPEN),
    ] == [(d.kind, d.due_on, d.status) for d in found]


def test_columnar_input_errors_name_the_argument() -> None:
    """Wrong dtypes, lengths, missing starts and non-columnar kinds are refused clearly."""
    book = RuleBook.swedish()
    days = np.array(["2025-01-01"], dtype="datetime64[D]")
    with pytest.raises(socforst.ValidationError, match="'start'"):
        book.evaluate_columns("preassessment", np.array([1]), days, D(2025, 1, 1))
    with pytest.raises(socforst.ValidationError, match="'met'"):
        book.evaluate_columns("preassessment", days, np.concatenate([days, days]), D(2025, 1, 1))
    with pytest.raises(socforst.ValidationError, match="NaT"):
        book.evaluate_columns(
            "preassessment", np.array(["NaT"], dtype="datetime64[D]"), days, D(2025, 1, 1)
        )
    with pytest.raises(socforst.RuleError, match="columnar"):
        book.evaluate_columns("placement_review", days, days, D(2025, 1, 1))
    due, status = book.evaluate_columns("preassessment", days[:0], days[:0], D(2025, 1, 1))
    assert (due.size, status.size) == (0, 0)


def test_columnar_input_in_nanoseconds_is_read_as_days() -> None:
    """A pandas-style datetime64[ns] column gives the same answer as datetime64[D]."""
    book = RuleBook.swedish()
    start = np.array(["2025-06-06T00:00:00"], dtype="datetime64[ns]")
    met = np.array(["NaT"], dtype="datetime64[ns]")
    due, status = book.evaluate_columns("preassessment", start, met, np.datetime64("2025-06-18"))
    assert ([D(2025, 6, 20)], ["due_soon"]) == (due.astype(dt.date).tolist(), status.tolist())


def test_an_exceptional_reason_travels_with_a_late_decision() -> None:
    """Synnerliga skäl recorded: the date does not move, and the decision is justified."""
    report = _report(preassessment_decided_on=D(2025, 3, 25), exceptional_reason="tolk saknades")
    (_, pre) = RuleBook.swedish().evaluate([report], D(2025, 4, 1))
    assert (D(2025, 3, 17), DeadlineStatus.JUSTIFIED, "tolk saknades") == (
        pre.due_on, pre.status, pre.exceptional_reason
    )  # fmt: skip


# ------------------------------------------------------------------ plugins


@pytest.fixture
def installed_plugin(tmp_path: Path) -> Iterator[str]:
    """A real distribution on sys.path that offers a rule through the entry point."""
    (tmp_path / "fristplugin.py").write_text(
        textwrap.dedent(
            """
            from socforst.rules import PreassessmentDeadline

            def rules():
                return [PreassessmentDeadline(days=7, kind="preassessment_week")]
            """
        ),
        encoding="utf-8",
    )
    info = tmp_path / "fristplugin-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: fristplugin\nVersion: 1.0\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(
        "[socforst.rules]\nweek = fristplugin:rules\n", encoding="utf-8"
    )
    sys.path.insert(0, str(tmp_path))
    try:
        yield "fristplugin"
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("fristplugin", None)


def test_rules_from_an_installed_plugin_join_the_book(installed_plugin: str) -> None:
    """RuleBook.swedish(plugins=True) finds the plugin's rule by its entry point."""
    book = RuleBook.swedish(plugins=True)
    assert "preassessment_week" in book.kinds
    week = {d.kind: d.due_on for d in book.deadlines(_report())}["preassessment_week"]
    assert D(2025, 3, 10) == week


def test_a_broken_plugin_is_reported_by_name(tmp_path: Path) -> None:
    """A plugin whose module does not import raises PluginError naming it."""
    info = tmp_path / "brokenrules-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: brokenrules\nVersion: 1.0\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(
        "[socforst.rules]\nbroken = no_such_module_here:rules\n", encoding="utf-8"
    )
    sys.path.insert(0, str(tmp_path))
    try:
        with pytest.raises(socforst.PluginError, match="broken = no_such_module_here:rules"):
            RuleBook.swedish(plugins=True)
    finally:
        sys.path.remove(str(tmp_path))
