"""The deadline rules against due dates and statuses worked out by hand.

Every expected date below was counted by hand from the statutes and the Swedish
calendar, never copied from the code's output. The facts relied on:

- Lag (1930:173) 1 §: months run to the same day number, or to the month's last
  day where that number does not exist; 2 §: an action due on a Saturday, a
  Sunday, a public holiday, midsummer eve, Christmas eve or New Year's eve may
  be taken on the next weekday that is none of these (the eve of Epiphany and
  Maundy Thursday are ordinary working days).
- 2025: New Year's Day Wed 1 Jan, Epiphany Mon 6 Jan, Good Friday 18 Apr,
  Easter Sunday 20 Apr, Easter Monday 21 Apr, May Day Thu 1 May, Ascension
  Thu 29 May, National Day Fri 6 Jun, Whitsun Sun 8 Jun, midsummer eve Fri
  20 Jun, Midsummer Day Sat 21 Jun, All Saints' Day Sat 1 Nov, Christmas eve
  Wed 24 Dec, Christmas Day Thu 25 Dec, Boxing Day Fri 26 Dec, New Year's eve
  Wed 31 Dec.
- 2026: New Year's Day Thu 1 Jan, eve of Epiphany Mon 5 Jan, Epiphany Tue 6 Jan,
  Good Friday 3 Apr, Easter Sunday 5 Apr, Easter Monday 6 Apr, midsummer eve
  Fri 19 Jun.
- Summer time 2025 ran from 30 Mar 01:00 UTC (02:00 CET -> 03:00 CEST) to
  26 Oct 01:00 UTC (03:00 CEST -> 02:00 CET): UTC+1 before and after, UTC+2
  between.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

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
from socforst.rules import ProtectionAssessmentDeadline

D = dt.date
UTC = dt.UTC

MET = DeadlineStatus.MET
LATE = DeadlineStatus.LATE
JUSTIFIED = DeadlineStatus.JUSTIFIED
OVERDUE = DeadlineStatus.OVERDUE
DUE_SOON = DeadlineStatus.DUE_SOON
OPEN = DeadlineStatus.OPEN

CUTOFF = dt.time(16, 0)
"""A late-in-day cut-off for the protection assessment (prop. 2012/13:10 p. 60)."""

OLD_PROTECTION = "SoL (2001:453) 11 kap. 1 a §"
OLD_PREASSESSMENT = "SoL (2001:453) 11 kap. 1 a §"
OLD_INVESTIGATION = "SoL (2001:453) 11 kap. 2 §"
OLD_REVIEW = "SoL (2001:453) 6 kap. 8 § första stycket"
NEW_PROTECTION = "SoL (2025:400) 20 kap. 1 §"
NEW_PREASSESSMENT = "SoL (2025:400) 20 kap. 2 §"
NEW_INVESTIGATION = "SoL (2025:400) 20 kap. 3 §"
NEW_REVIEW = "SoL (2025:400) 22 kap. 13 § första stycket"
LVU_7 = "LVU (1990:52) 7 §"
LVU_8 = "LVU (1990:52) 8 §"
LVU_13 = "LVU (1990:52) 13 § andra stycket"


# ------------------------------------------------------------------ the records


def report(
    received_at: dt.datetime,
    *,
    protection_assessed_at: dt.datetime | None = None,
    decided_on: dt.date | None = None,
    outcome: str | None = None,
    exceptional_reason: str | None = None,
) -> Report:
    """A report to the district of Farsta."""
    return Report(
        report_id="r-1",
        district="farsta",
        received_at=received_at,
        protection_assessed_at=protection_assessed_at,
        preassessment_decided_on=decided_on,
        preassessment_outcome=outcome,
        exceptional_reason=exceptional_reason,
    )


def investigation(opened_on: dt.date, closed_on: dt.date | None = None) -> Investigation:
    """An investigation in the district of Farsta."""
    return Investigation(
        investigation_id="u-1", district="farsta", opened_on=opened_on, closed_on=closed_on
    )


def extension(decided_on: dt.date, until: dt.date) -> Extension:
    """An extension of the investigation ``u-1``."""
    return Extension(investigation_id="u-1", decided_on=decided_on, until=until, reason="skäl")


def placement(basis: str, started_on: dt.date, ended_on: dt.date | None = None) -> Placement:
    """A placement by the district of Järva."""
    return Placement(
        placement_id="p-1", district="jarva", basis=basis, started_on=started_on, ended_on=ended_on
    )


def review(reviewed_on: dt.date) -> Review:
    """A review of the placement ``p-1``."""
    return Review(placement_id="p-1", reviewed_on=reviewed_on)


def custody(
    decided_on: dt.date,
    *,
    enforced_on: dt.date | None = None,
    submitted_on: dt.date | None = None,
    applied_on: dt.date | None = None,
    court_extension_until: dt.date | None = None,
) -> Custody:
    """An immediate custody decision by the district of Järva."""
    return Custody(
        custody_id="c-1",
        district="jarva",
        decided_on=decided_on,
        enforced_on=enforced_on,
        submitted_to_court_on=submitted_on,
        care_applied_on=applied_on,
        court_extension_until=court_extension_until,
    )


def local(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    """A naive datetime: Stockholm local time."""
    return dt.datetime(year, month, day, hour, minute)


def utc(year: int, month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    """An aware datetime in UTC."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=UTC)


LVU_FILINGS = ("lvu_court_submission", "lvu_care_application")
"""The rules that roll forward by default (filings with a court), whatever the book's reading."""


def book_for(*, roll_forward: bool, cutoff: dt.time | None = None) -> RuleBook:
    """The Swedish rule book with every rule under one reading of 2 §, and a cut-off if given.

    The LVU filings with a court roll by default; here they take the reading
    asked for too, so that each case states its reading (the defaults have
    their own tests in ``test_law_2026_11.py``).
    """
    reading = "roll_forward" if roll_forward else "strict"
    book = RuleBook.swedish(roll_forward=roll_forward, readings=dict.fromkeys(LVU_FILINGS, reading))
    if cutoff is not None:
        book = book.with_rule(ProtectionAssessmentDeadline(cutoff=cutoff))
    return book


# ------------------------------------------------------------------- due dates


@dataclasses.dataclass(frozen=True)
class DueCase:
    """A record, the reading of 2 §, and the deadlines of one kind it owes.

    ``expected`` holds ``(starts_on, due_on)`` for each deadline, in order.
    """

    record: object
    kind: str
    expected: tuple[tuple[dt.date, dt.date], ...]
    roll_forward: bool = False
    extensions: tuple[Extension, ...] = ()
    reviews: tuple[Review, ...] = ()
    cutoff: dt.time | None = None


STRICT = False
ROLLED = True

DUE_CASES = [
    # ---- preassessment: day of receipt = day 0, due on day 14 (two weeks on, same weekday)
    # Fri 6 Jun 2025 (National Day) + 14 = Fri 20 Jun, midsummer eve. Strict: stays.
    pytest.param(
        DueCase(report(local(2025, 6, 6)), "preassessment", ((D(2025, 6, 6), D(2025, 6, 20)),)),
        id="preassessment-midsummer-eve-2025-strict",
    ),
    # Rolled: Fri 20 Jun midsummer eve, Sat 21 Midsummer Day, Sun 22 -> Mon 23 Jun.
    pytest.param(
        DueCase(
            report(local(2025, 6, 6)),
            "preassessment",
            ((D(2025, 6, 6), D(2025, 6, 23)),),
            ROLLED,
        ),
        id="preassessment-midsummer-eve-2025-rolled",
    ),
    # Fri 4 Apr 2025 + 14 = Fri 18 Apr, Good Friday. Strict: stays.
    pytest.param(
        DueCase(report(local(2025, 4, 4)), "preassessment", ((D(2025, 4, 4), D(2025, 4, 18)),)),
        id="preassessment-good-friday-2025-strict",
    ),
    # Rolled: Good Friday 18, Sat 19, Easter Sunday 20, Easter Monday 21 -> Tue 22 Apr.
    pytest.param(
        DueCase(
            report(local(2025, 4, 4)),
            "preassessment",
            ((D(2025, 4, 4), D(2025, 4, 22)),),
            ROLLED,
        ),
        id="preassessment-good-friday-2025-rolled",
    ),
    # Mon 7 Apr 2025 + 14 = Mon 21 Apr, Easter Monday. Strict: stays.
    pytest.param(
        DueCase(report(local(2025, 4, 7)), "preassessment", ((D(2025, 4, 7), D(2025, 4, 21)),)),
        id="preassessment-easter-monday-2025-strict",
    ),
    # Rolled: Easter Monday 21 Apr -> Tue 22 Apr.
    pytest.param(
        DueCase(
            report(local(2025, 4, 7)),
            "preassessment",
            ((D(2025, 4, 7), D(2025, 4, 22)),),
            ROLLED,
        ),
        id="preassessment-easter-monday-2025-rolled",
    ),
    # Thu 3 Apr 2025 + 14 = Thu 17 Apr, Maundy Thursday: a working day, stays when rolled.
    pytest.param(
        DueCase(
            report(local(2025, 4, 3)),
            "preassessment",
            ((D(2025, 4, 3), D(2025, 4, 17)),),
            ROLLED,
        ),
        id="preassessment-maundy-thursday-2025-rolled-stays",
    ),
    # Fri 20 Mar 2026 + 14 = Fri 3 Apr 2026, Good Friday. Strict: stays.
    pytest.param(
        DueCase(report(local(2026, 3, 20)), "preassessment", ((D(2026, 3, 20), D(2026, 4, 3)),)),
        id="preassessment-good-friday-2026-strict",
    ),
    # Rolled: Good Friday 3, Sat 4, Easter Sunday 5, Easter Monday 6 -> Tue 7 Apr 2026.
    pytest.param(
        DueCase(
            report(local(2026, 3, 20)),
            "preassessment",
            ((D(2026, 3, 20), D(2026, 4, 7)),),
            ROLLED,
        ),
        id="preassessment-good-friday-2026-rolled",
    ),
    # Mon 23 Mar 2026 + 14 = Mon 6 Apr 2026, Easter Monday. Strict: stays.
    pytest.param(
        DueCase(report(local(2026, 3, 23)), "preassessment", ((D(2026, 3, 23), D(2026, 4, 6)),)),
        id="preassessment-easter-monday-2026-strict",
    ),
    # Rolled: Easter Monday 6 Apr -> Tue 7 Apr 2026.
    pytest.param(
        DueCase(
            report(local(2026, 3, 23)),
            "preassessment",
            ((D(2026, 3, 23), D(2026, 4, 7)),),
            ROLLED,
        ),
        id="preassessment-easter-monday-2026-rolled",
    ),
    # Wed 10 Dec 2025 + 14 = Wed 24 Dec, Christmas eve. Strict: stays.
    pytest.param(
        DueCase(
            report(local(2025, 12, 10)), "preassessment", ((D(2025, 12, 10), D(2025, 12, 24)),)
        ),
        id="preassessment-christmas-eve-2025-strict",
    ),
    # Rolled: Christmas eve 24, Christmas Day 25, Boxing Day 26, Sat 27, Sun 28 -> Mon 29 Dec.
    pytest.param(
        DueCase(
            report(local(2025, 12, 10)),
            "preassessment",
            ((D(2025, 12, 10), D(2025, 12, 29)),),
            ROLLED,
        ),
        id="preassessment-christmas-eve-2025-rolled",
    ),
    # Wed 17 Dec 2025 + 14 = Wed 31 Dec, New Year's eve. Strict: stays.
    pytest.param(
        DueCase(
            report(local(2025, 12, 17)), "preassessment", ((D(2025, 12, 17), D(2025, 12, 31)),)
        ),
        id="preassessment-new-years-eve-2025-strict",
    ),
    # Rolled: New Year's eve Wed 31 Dec, New Year's Day Thu 1 Jan -> Fri 2 Jan 2026.
    pytest.param(
        DueCase(
            report(local(2025, 12, 17)),
            "preassessment",
            ((D(2025, 12, 17), D(2026, 1, 2)),),
            ROLLED,
        ),
        id="preassessment-new-years-eve-2025-rolled",
    ),
    # Mon 22 Dec 2025 + 14 = Mon 5 Jan 2026, the eve of Epiphany: not in 2 §, stays when rolled.
    pytest.param(
        DueCase(
            report(local(2025, 12, 22)),
            "preassessment",
            ((D(2025, 12, 22), D(2026, 1, 5)),),
            ROLLED,
        ),
        id="preassessment-eve-of-epiphany-2026-rolled-stays",
    ),
    # Tue 23 Dec 2025 + 14 = Tue 6 Jan 2026, Epiphany -> Wed 7 Jan when rolled.
    pytest.param(
        DueCase(
            report(local(2025, 12, 23)),
            "preassessment",
            ((D(2025, 12, 23), D(2026, 1, 7)),),
            ROLLED,
        ),
        id="preassessment-epiphany-2026-rolled",
    ),
    # Thu 17 Apr 2025 + 14 = Thu 1 May, May Day -> Fri 2 May when rolled.
    pytest.param(
        DueCase(
            report(local(2025, 4, 17)),
            "preassessment",
            ((D(2025, 4, 17), D(2025, 5, 2)),),
            ROLLED,
        ),
        id="preassessment-may-day-2025-rolled",
    ),
    # Thu 15 May 2025 + 14 = Thu 29 May, Ascension -> Fri 30 May (a "klämdag", still working).
    pytest.param(
        DueCase(
            report(local(2025, 5, 15)),
            "preassessment",
            ((D(2025, 5, 15), D(2025, 5, 30)),),
            ROLLED,
        ),
        id="preassessment-ascension-2025-rolled",
    ),
    # Fri 23 May 2025 + 14 = Fri 6 Jun, National Day; Sat 7, Whitsun Sun 8 -> Mon 9 Jun
    # (Whit Monday has not been a holiday since 2005).
    pytest.param(
        DueCase(
            report(local(2025, 5, 23)),
            "preassessment",
            ((D(2025, 5, 23), D(2025, 6, 9)),),
            ROLLED,
        ),
        id="preassessment-national-day-and-whitsun-2025-rolled",
    ),
    # Sat 18 Oct 2025 + 14 = Sat 1 Nov, All Saints' Day; Sun 2 -> Mon 3 Nov when rolled.
    pytest.param(
        DueCase(
            report(local(2025, 10, 18)),
            "preassessment",
            ((D(2025, 10, 18), D(2025, 11, 3)),),
            ROLLED,
        ),
        id="preassessment-all-saints-2025-rolled",
    ),
    # Wed 5 Mar 2025 + 14 = Wed 19 Mar, an ordinary working day: stays when rolled.
    pytest.param(
        DueCase(
            report(local(2025, 3, 5)),
            "preassessment",
            ((D(2025, 3, 5), D(2025, 3, 19)),),
            ROLLED,
        ),
        id="preassessment-ordinary-wednesday-rolled-stays",
    ),
    # Mon 30 Jun 2025 (the last day of the old law) + 14 = Mon 14 Jul.
    pytest.param(
        DueCase(report(local(2025, 6, 30)), "preassessment", ((D(2025, 6, 30), D(2025, 7, 14)),)),
        id="preassessment-last-day-of-old-sol",
    ),
    # Tue 1 Jul 2025 (the first day of the new law) + 14 = Tue 15 Jul.
    pytest.param(
        DueCase(report(local(2025, 7, 1)), "preassessment", ((D(2025, 7, 1), D(2025, 7, 15)),)),
        id="preassessment-first-day-of-new-sol",
    ),
    # 2025-03-29T23:30Z: before 01:00 UTC on 30 Mar, so CET (UTC+1): 00:30 on Sun 30 Mar.
    # Sun 30 Mar + 14 = Sun 13 Apr. Strict: stays.
    pytest.param(
        DueCase(
            report(utc(2025, 3, 29, 23, 30)),
            "preassessment",
            ((D(2025, 3, 30), D(2025, 4, 13)),),
        ),
        id="preassessment-dst-start-night-cet-strict",
    ),
    # The same report rolled: Sun 13 Apr -> Mon 14 Apr.
    pytest.param(
        DueCase(
            report(utc(2025, 3, 29, 23, 30)),
            "preassessment",
            ((D(2025, 3, 30), D(2025, 4, 14)),),
            ROLLED,
        ),
        id="preassessment-dst-start-night-cet-rolled",
    ),
    # 2025-03-29T22:30Z: CET, 23:30 on Sat 29 Mar. + 14 = Sat 12 Apr.
    pytest.param(
        DueCase(
            report(utc(2025, 3, 29, 22, 30)),
            "preassessment",
            ((D(2025, 3, 29), D(2025, 4, 12)),),
        ),
        id="preassessment-dst-start-eve-still-saturday",
    ),
    # 2025-03-30T22:30Z: summer time now, CEST (UTC+2): 00:30 on Mon 31 Mar. + 14 = Mon 14 Apr.
    pytest.param(
        DueCase(
            report(utc(2025, 3, 30, 22, 30)),
            "preassessment",
            ((D(2025, 3, 31), D(2025, 4, 14)),),
        ),
        id="preassessment-first-night-of-summer-time",
    ),
    # 2025-10-25T22:30Z: still CEST (UTC+2): 00:30 on Sun 26 Oct. + 14 = Sun 9 Nov.
    pytest.param(
        DueCase(
            report(utc(2025, 10, 25, 22, 30)),
            "preassessment",
            ((D(2025, 10, 26), D(2025, 11, 9)),),
        ),
        id="preassessment-dst-end-night-cest-strict",
    ),
    # 2025-10-26T22:30Z: CET again (UTC+1): 23:30 on Sun 26 Oct, not Monday.
    # Sun 26 Oct + 14 = Sun 9 Nov; rolled -> Mon 10 Nov.
    pytest.param(
        DueCase(
            report(utc(2025, 10, 26, 22, 30)),
            "preassessment",
            ((D(2025, 10, 26), D(2025, 11, 10)),),
            ROLLED,
        ),
        id="preassessment-dst-end-evening-cet-rolled",
    ),
    # Outcome already_open: an investigation of the child is open, no preassessment is owed.
    pytest.param(
        DueCase(
            report(local(2025, 3, 3), decided_on=D(2025, 3, 4), outcome="already_open"),
            "preassessment",
            (),
        ),
        id="preassessment-none-when-already-open",
    ),
    # ... but the protection assessment is still owed, the same day (Mon 3 Mar).
    pytest.param(
        DueCase(
            report(local(2025, 3, 3), decided_on=D(2025, 3, 4), outcome="already_open"),
            "protection_assessment",
            ((D(2025, 3, 3), D(2025, 3, 3)),),
        ),
        id="protection-still-owed-when-already-open",
    ),
    # ---- protection assessment: "genast", the same day, never rolled
    # Christmas eve Wed 24 Dec 2025, 10:00: due that day even under the rolled reading.
    pytest.param(
        DueCase(
            report(local(2025, 12, 24, 10)),
            "protection_assessment",
            ((D(2025, 12, 24), D(2025, 12, 24)),),
            ROLLED,
        ),
        id="protection-christmas-eve-not-rolled",
    ),
    # Midsummer eve Fri 20 Jun 2025, 23:59: still the same day, not rolled.
    pytest.param(
        DueCase(
            report(local(2025, 6, 20, 23, 59)),
            "protection_assessment",
            ((D(2025, 6, 20), D(2025, 6, 20)),),
            ROLLED,
        ),
        id="protection-midsummer-eve-late-evening-no-cutoff",
    ),
    # Cut-off 16:00; Thu 19 Jun 2025 at 16:00 exactly: at the cut-off -> next day,
    # Fri 20 Jun (midsummer eve), which is not rolled.
    pytest.param(
        DueCase(
            report(local(2025, 6, 19, 16, 0)),
            "protection_assessment",
            ((D(2025, 6, 19), D(2025, 6, 20)),),
            ROLLED,
            cutoff=CUTOFF,
        ),
        id="protection-cutoff-at-16-next-day-midsummer-eve",
    ),
    # Cut-off 16:00; Thu 19 Jun 2025 at 15:59: before it -> the same day.
    pytest.param(
        DueCase(
            report(local(2025, 6, 19, 15, 59)),
            "protection_assessment",
            ((D(2025, 6, 19), D(2025, 6, 19)),),
            cutoff=CUTOFF,
        ),
        id="protection-cutoff-a-minute-before",
    ),
    # Cut-off 16:00; 2025-06-19T14:00Z is CEST 16:00 local -> next day, Fri 20 Jun.
    pytest.param(
        DueCase(
            report(utc(2025, 6, 19, 14, 0)),
            "protection_assessment",
            ((D(2025, 6, 19), D(2025, 6, 20)),),
            cutoff=CUTOFF,
        ),
        id="protection-cutoff-aware-utc-is-16-local",
    ),
    # Cut-off 16:00; 2025-03-30T14:30Z: summer time began at 01:00 UTC that day, so
    # 16:30 CEST -> next day, Mon 31 Mar (under CET it would have been 15:30).
    pytest.param(
        DueCase(
            report(utc(2025, 3, 30, 14, 30)),
            "protection_assessment",
            ((D(2025, 3, 30), D(2025, 3, 31)),),
            cutoff=CUTOFF,
        ),
        id="protection-cutoff-first-summer-day-afternoon",
    ),
    # Cut-off 16:00; 2025-10-26T14:30Z: winter time since 01:00 UTC, 15:30 CET -> same day,
    # Sun 26 Oct (under CEST it would have been 16:30).
    pytest.param(
        DueCase(
            report(utc(2025, 10, 26, 14, 30)),
            "protection_assessment",
            ((D(2025, 10, 26), D(2025, 10, 26)),),
            cutoff=CUTOFF,
        ),
        id="protection-cutoff-first-winter-day-afternoon",
    ),
    # Cut-off 16:00; 2025-03-29T23:30Z = 00:30 CET on Sun 30 Mar: long before 16:00 ->
    # Sun 30 Mar, a Sunday, not rolled.
    pytest.param(
        DueCase(
            report(utc(2025, 3, 29, 23, 30)),
            "protection_assessment",
            ((D(2025, 3, 30), D(2025, 3, 30)),),
            ROLLED,
            cutoff=CUTOFF,
        ),
        id="protection-cutoff-dst-start-night-sunday",
    ),
    # Cut-off 16:00; New Year's eve Wed 31 Dec 2025 at 16:30 -> Thu 1 Jan 2026,
    # New Year's Day, not rolled.
    pytest.param(
        DueCase(
            report(local(2025, 12, 31, 16, 30)),
            "protection_assessment",
            ((D(2025, 12, 31), D(2026, 1, 1)),),
            ROLLED,
            cutoff=CUTOFF,
        ),
        id="protection-cutoff-new-years-eve-into-new-year",
    ),
    # ---- investigation: four months, Lag (1930:173) 1 §
    # Tue 31 Oct 2023 + 4 months: February has no 31st; 2024 is a leap year -> Thu 29 Feb.
    pytest.param(
        DueCase(
            investigation(D(2023, 10, 31)), "investigation", ((D(2023, 10, 31), D(2024, 2, 29)),)
        ),
        id="investigation-oct-31-to-leap-day-2024",
    ),
    # Thu 31 Oct 2024 + 4 months: 2025 is not a leap year -> Fri 28 Feb, a working day.
    pytest.param(
        DueCase(
            investigation(D(2024, 10, 31)),
            "investigation",
            ((D(2024, 10, 31), D(2025, 2, 28)),),
            ROLLED,
        ),
        id="investigation-oct-31-to-feb-28-2025-friday-rolled-stays",
    ),
    # Fri 31 Oct 2025 + 4 months: 2026 is not a leap year -> Sat 28 Feb 2026. Strict: stays.
    pytest.param(
        DueCase(
            investigation(D(2025, 10, 31)), "investigation", ((D(2025, 10, 31), D(2026, 2, 28)),)
        ),
        id="investigation-oct-31-to-feb-28-2026-saturday-strict",
    ),
    # Rolled: Sat 28 Feb, Sun 1 Mar -> Mon 2 Mar 2026.
    pytest.param(
        DueCase(
            investigation(D(2025, 10, 31)),
            "investigation",
            ((D(2025, 10, 31), D(2026, 3, 2)),),
            ROLLED,
        ),
        id="investigation-oct-31-to-feb-28-2026-saturday-rolled",
    ),
    # Mon 30 Jun 2025 + 4 months = Thu 30 Oct 2025.
    pytest.param(
        DueCase(
            investigation(D(2025, 6, 30)), "investigation", ((D(2025, 6, 30), D(2025, 10, 30)),)
        ),
        id="investigation-last-day-of-old-sol",
    ),
    # Tue 1 Jul 2025 + 4 months = Sat 1 Nov 2025, All Saints' Day. Strict: stays.
    pytest.param(
        DueCase(investigation(D(2025, 7, 1)), "investigation", ((D(2025, 7, 1), D(2025, 11, 1)),)),
        id="investigation-first-day-of-new-sol-strict",
    ),
    # Rolled: Sat 1 Nov All Saints' Day, Sun 2 -> Mon 3 Nov.
    pytest.param(
        DueCase(
            investigation(D(2025, 7, 1)),
            "investigation",
            ((D(2025, 7, 1), D(2025, 11, 3)),),
            ROLLED,
        ),
        id="investigation-first-day-of-new-sol-rolled",
    ),
    # Wed 3 Dec 2025 + 4 months = Fri 3 Apr 2026, Good Friday -> Tue 7 Apr (Easter Monday 6).
    pytest.param(
        DueCase(
            investigation(D(2025, 12, 3)),
            "investigation",
            ((D(2025, 12, 3), D(2026, 4, 7)),),
            ROLLED,
        ),
        id="investigation-good-friday-2026-rolled",
    ),
    # Wed 18 Dec 2024 + 4 months = Fri 18 Apr 2025, Good Friday -> Tue 22 Apr.
    pytest.param(
        DueCase(
            investigation(D(2024, 12, 18)),
            "investigation",
            ((D(2024, 12, 18), D(2025, 4, 22)),),
            ROLLED,
        ),
        id="investigation-good-friday-2025-rolled",
    ),
    # Thu 20 Feb 2025 + 4 months = Fri 20 Jun, midsummer eve -> Mon 23 Jun.
    pytest.param(
        DueCase(
            investigation(D(2025, 2, 20)),
            "investigation",
            ((D(2025, 2, 20), D(2025, 6, 23)),),
            ROLLED,
        ),
        id="investigation-midsummer-eve-2025-rolled",
    ),
    # Sun 24 Aug 2025 + 4 months = Wed 24 Dec, Christmas eve -> Mon 29 Dec.
    pytest.param(
        DueCase(
            investigation(D(2025, 8, 24)),
            "investigation",
            ((D(2025, 8, 24), D(2025, 12, 29)),),
            ROLLED,
        ),
        id="investigation-christmas-eve-2025-rolled",
    ),
    # Sun 31 Aug 2025 + 4 months = Wed 31 Dec, New Year's eve -> Fri 2 Jan 2026.
    pytest.param(
        DueCase(
            investigation(D(2025, 8, 31)),
            "investigation",
            ((D(2025, 8, 31), D(2026, 1, 2)),),
            ROLLED,
        ),
        id="investigation-new-years-eve-2025-rolled",
    ),
    # ---- extensions: opened Wed 15 Jan 2025, due Thu 15 May 2025 (15 Jan + 4 months)
    # Decided Fri 9 May (before 15 May), until Tue 15 Jul -> due 15 Jul.
    pytest.param(
        DueCase(
            investigation(D(2025, 1, 15)),
            "investigation",
            ((D(2025, 1, 15), D(2025, 7, 15)),),
            extensions=(extension(D(2025, 5, 9), D(2025, 7, 15)),),
        ),
        id="extension-decided-in-time",
    ),
    # Decided on the due day itself, Thu 15 May: still "before the time runs out" -> 15 Jul.
    pytest.param(
        DueCase(
            investigation(D(2025, 1, 15)),
            "investigation",
            ((D(2025, 1, 15), D(2025, 7, 15)),),
            extensions=(extension(D(2025, 5, 15), D(2025, 7, 15)),),
        ),
        id="extension-decided-on-the-due-day",
    ),
    # Decided Fri 16 May, the day after the due day: moves nothing -> Thu 15 May.
    pytest.param(
        DueCase(
            investigation(D(2025, 1, 15)),
            "investigation",
            ((D(2025, 1, 15), D(2025, 5, 15)),),
            extensions=(extension(D(2025, 5, 16), D(2025, 7, 15)),),
        ),
        id="extension-decided-too-late",
    ),
    # Chain: 9 May -> Tue 15 Jul; then decided Mon 14 Jul (before 15 Jul) until Mon 15 Sep.
    pytest.param(
        DueCase(
            investigation(D(2025, 1, 15)),
            "investigation",
            ((D(2025, 1, 15), D(2025, 9, 15)),),
            extensions=(
                extension(D(2025, 5, 9), D(2025, 7, 15)),
                extension(D(2025, 7, 14), D(2025, 9, 15)),
            ),
        ),
        id="extension-chain-both-in-time",
    ),
    # Chain: 9 May -> Tue 15 Jul; the second decided Wed 16 Jul, after 15 Jul: stays 15 Jul.
    pytest.param(
        DueCase(
            investigation(D(2025, 1, 15)),
            "investigation",
            ((D(2025, 1, 15), D(2025, 7, 15)),),
            extensions=(
                extension(D(2025, 5, 9), D(2025, 7, 15)),
                extension(D(2025, 7, 16), D(2025, 9, 15)),
            ),
        ),
        id="extension-chain-second-too-late",
    ),
    # Given in reverse order, the chain is still judged in order of decision:
    # 9 May (before 15 May) -> Tue 15 Jul; 14 Jul (before 15 Jul) -> Mon 15 Sep.
    pytest.param(
        DueCase(
            investigation(D(2025, 1, 15)),
            "investigation",
            ((D(2025, 1, 15), D(2025, 9, 15)),),
            extensions=(
                extension(D(2025, 7, 14), D(2025, 9, 15)),
                extension(D(2025, 5, 9), D(2025, 7, 15)),
            ),
        ),
        id="extension-chain-given-out-of-order",
    ),
    # An "extension" until Thu 1 May, before the due day 15 May, does not shorten it.
    pytest.param(
        DueCase(
            investigation(D(2025, 1, 15)),
            "investigation",
            ((D(2025, 1, 15), D(2025, 5, 15)),),
            extensions=(extension(D(2025, 4, 22), D(2025, 5, 1)),),
        ),
        id="extension-to-an-earlier-day-moves-nothing",
    ),
    # Rolled: the extension's own day is not rolled: until Sat 19 Jul stays Sat 19 Jul.
    pytest.param(
        DueCase(
            investigation(D(2025, 1, 15)),
            "investigation",
            ((D(2025, 1, 15), D(2025, 7, 19)),),
            ROLLED,
            extensions=(extension(D(2025, 5, 9), D(2025, 7, 19)),),
        ),
        id="extension-until-a-saturday-not-rolled",
    ),
    # Opened Fri 31 Oct 2025 -> Sat 28 Feb 2026 strictly. Decided Mon 2 Mar, after 28 Feb:
    # too late under the strict reading -> Sat 28 Feb.
    pytest.param(
        DueCase(
            investigation(D(2025, 10, 31)),
            "investigation",
            ((D(2025, 10, 31), D(2026, 2, 28)),),
            extensions=(extension(D(2026, 3, 2), D(2026, 4, 30)),),
        ),
        id="extension-on-the-monday-after-a-saturday-strict",
    ),
    # Rolled: due Mon 2 Mar 2026, so a decision that Monday is in time -> Thu 30 Apr.
    pytest.param(
        DueCase(
            investigation(D(2025, 10, 31)),
            "investigation",
            ((D(2025, 10, 31), D(2026, 4, 30)),),
            ROLLED,
            extensions=(extension(D(2026, 3, 2), D(2026, 4, 30)),),
        ),
        id="extension-on-the-monday-after-a-saturday-rolled",
    ),
    # ---- placement review (SoL): six months, then six months after each review
    # Fri 10 Jan 2025 + 6 months = Thu 10 Jul 2025; no review: one deadline, still open.
    pytest.param(
        DueCase(
            placement("sol", D(2025, 1, 10)),
            "placement_review",
            ((D(2025, 1, 10), D(2025, 7, 10)),),
        ),
        id="placement-review-first-period",
    ),
    # Reviewed Tue 1 Jul: first period met; the next starts 1 Jul -> Thu 1 Jan 2026
    # (New Year's Day). Strict: stays.
    pytest.param(
        DueCase(
            placement("sol", D(2025, 1, 10)),
            "placement_review",
            ((D(2025, 1, 10), D(2025, 7, 10)), (D(2025, 7, 1), D(2026, 1, 1))),
            reviews=(review(D(2025, 7, 1)),),
        ),
        id="placement-review-second-period-strict",
    ),
    # Rolled: Thu 10 Jul is a working day; New Year's Day Thu 1 Jan -> Fri 2 Jan 2026.
    pytest.param(
        DueCase(
            placement("sol", D(2025, 1, 10)),
            "placement_review",
            ((D(2025, 1, 10), D(2025, 7, 10)), (D(2025, 7, 1), D(2026, 1, 2))),
            ROLLED,
            reviews=(review(D(2025, 7, 1)),),
        ),
        id="placement-review-second-period-rolled",
    ),
    # Three periods: reviews Tue 1 Jul and Mon 15 Dec 2025; 15 Dec + 6 months = Mon 15 Jun 2026.
    pytest.param(
        DueCase(
            placement("sol", D(2025, 1, 10)),
            "placement_review",
            (
                (D(2025, 1, 10), D(2025, 7, 10)),
                (D(2025, 7, 1), D(2026, 1, 1)),
                (D(2025, 12, 15), D(2026, 6, 15)),
            ),
            reviews=(review(D(2025, 7, 1)), review(D(2025, 12, 15))),
        ),
        id="placement-review-third-period",
    ),
    # Fri 20 Dec 2024 + 6 months = Fri 20 Jun 2025 (midsummer eve, strict: stays); reviewed
    # late, Wed 25 Jun. The next period runs from the late review: 25 Jun + 6 months =
    # Thu 25 Dec 2025, Christmas Day, strict: stays.
    pytest.param(
        DueCase(
            placement("sol", D(2024, 12, 20)),
            "placement_review",
            ((D(2024, 12, 20), D(2025, 6, 20)), (D(2025, 6, 25), D(2025, 12, 25))),
            reviews=(review(D(2025, 6, 25)),),
        ),
        id="placement-review-after-a-late-review-strict",
    ),
    # Rolled: midsummer eve 20 Jun -> Mon 23 Jun; Christmas Day 25, Boxing Day 26, Sat 27,
    # Sun 28 -> Mon 29 Dec.
    pytest.param(
        DueCase(
            placement("sol", D(2024, 12, 20)),
            "placement_review",
            ((D(2024, 12, 20), D(2025, 6, 23)), (D(2025, 6, 25), D(2025, 12, 29))),
            ROLLED,
            reviews=(review(D(2025, 6, 25)),),
        ),
        id="placement-review-after-a-late-review-rolled",
    ),
    # Started Fri 10 Jan 2025, ended Wed 9 Jul, the day before the due day Thu 10 Jul: nothing.
    pytest.param(
        DueCase(
            placement("sol", D(2025, 1, 10), D(2025, 7, 9)),
            "placement_review",
            (),
        ),
        id="placement-review-none-when-ended-before-due",
    ),
    # Ended on the due day itself, Thu 10 Jul: the placement lasted the period; owed.
    pytest.param(
        DueCase(
            placement("sol", D(2025, 1, 10), D(2025, 7, 10)),
            "placement_review",
            ((D(2025, 1, 10), D(2025, 7, 10)),),
        ),
        id="placement-review-owed-when-ended-on-due-day",
    ),
    # Sun 16 Feb 2025 + 6 months = Sat 16 Aug; ended Sun 17 Aug, after it: owed (strict).
    pytest.param(
        DueCase(
            placement("sol", D(2025, 2, 16), D(2025, 8, 17)),
            "placement_review",
            ((D(2025, 2, 16), D(2025, 8, 16)),),
        ),
        id="placement-review-due-saturday-ended-sunday-strict",
    ),
    # Rolled: Sat 16 Aug, Sun 17 -> Mon 18 Aug; ended Sun 17 Aug, before it: nothing owed.
    pytest.param(
        DueCase(
            placement("sol", D(2025, 2, 16), D(2025, 8, 17)),
            "placement_review",
            (),
            ROLLED,
        ),
        id="placement-review-due-saturday-ended-sunday-rolled",
    ),
    # Sun 31 Aug 2025 + 6 months: February has no 31st, 2026 not a leap year -> Sat 28 Feb;
    # rolled: Sat 28 Feb, Sun 1 Mar -> Mon 2 Mar 2026.
    pytest.param(
        DueCase(
            placement("sol", D(2025, 8, 31)),
            "placement_review",
            ((D(2025, 8, 31), D(2026, 3, 2)),),
            ROLLED,
        ),
        id="placement-review-month-end-rolled",
    ),
    # A voluntary (SoL) placement owes no LVU review.
    pytest.param(
        DueCase(placement("sol", D(2025, 1, 10)), "lvu_review", ()),
        id="placement-sol-owes-no-lvu-review",
    ),
    # ---- LVU
    # lvu_2 started Mon 30 Jun 2025 + 6 months = Tue 30 Dec 2025, an ordinary working day.
    pytest.param(
        DueCase(
            placement("lvu_2", D(2025, 6, 30)),
            "lvu_review",
            ((D(2025, 6, 30), D(2025, 12, 30)),),
            ROLLED,
        ),
        id="lvu-review-2-section-30-dec",
    ),
    # lvu_3 started Thu 31 Jul 2025 + 6 months: January has 31 days -> Sat 31 Jan 2026;
    # rolled: Sat 31 Jan, Sun 1 Feb -> Mon 2 Feb. Care under 3 § owes the prövning of
    # 13 § second paragraph (lvu_care_end_review), not the övervägande of the first.
    pytest.param(
        DueCase(
            placement("lvu_3", D(2025, 7, 31)),
            "lvu_care_end_review",
            ((D(2025, 7, 31), D(2026, 2, 2)),),
            ROLLED,
        ),
        id="lvu-review-3-section-saturday-rolled",
    ),
    # An LVU placement owes no SoL placement review.
    pytest.param(
        DueCase(placement("lvu_2", D(2025, 6, 30)), "placement_review", ()),
        id="lvu-placement-owes-no-sol-review",
    ),
    # Decided Wed 17 Dec 2025 + 7 days = Wed 24 Dec, Christmas eve. Strict: stays.
    pytest.param(
        DueCase(
            custody(D(2025, 12, 17)),
            "lvu_court_submission",
            ((D(2025, 12, 17), D(2025, 12, 24)),),
        ),
        id="lvu-court-christmas-eve-strict",
    ),
    # Rolled: 24, 25, 26 Dec, Sat 27, Sun 28 -> Mon 29 Dec.
    pytest.param(
        DueCase(
            custody(D(2025, 12, 17)),
            "lvu_court_submission",
            ((D(2025, 12, 17), D(2025, 12, 29)),),
            ROLLED,
        ),
        id="lvu-court-christmas-eve-rolled",
    ),
    # Decided Fri 11 Apr 2025 + 7 = Fri 18 Apr, Good Friday -> Tue 22 Apr.
    pytest.param(
        DueCase(
            custody(D(2025, 4, 11)),
            "lvu_court_submission",
            ((D(2025, 4, 11), D(2025, 4, 22)),),
            ROLLED,
        ),
        id="lvu-court-good-friday-2025-rolled",
    ),
    # Decided Mon 29 Dec 2025 + 7 = Mon 5 Jan 2026, the eve of Epiphany: stays when rolled.
    pytest.param(
        DueCase(
            custody(D(2025, 12, 29)),
            "lvu_court_submission",
            ((D(2025, 12, 29), D(2026, 1, 5)),),
            ROLLED,
        ),
        id="lvu-court-eve-of-epiphany-rolled-stays",
    ),
    # Not yet carried out: no care application is owed yet.
    pytest.param(
        DueCase(custody(D(2025, 5, 22)), "lvu_care_application", ()),
        id="lvu-care-none-before-enforcement",
    ),
    # Enforced Fri 23 May 2025 + 28 days (four weeks) = Fri 20 Jun, midsummer eve. Strict.
    pytest.param(
        DueCase(
            custody(D(2025, 5, 22), enforced_on=D(2025, 5, 23)),
            "lvu_care_application",
            ((D(2025, 5, 23), D(2025, 6, 20)),),
        ),
        id="lvu-care-midsummer-eve-strict",
    ),
    # Rolled: midsummer eve 20, Midsummer Day 21, Sun 22 -> Mon 23 Jun.
    pytest.param(
        DueCase(
            custody(D(2025, 5, 22), enforced_on=D(2025, 5, 23)),
            "lvu_care_application",
            ((D(2025, 5, 23), D(2025, 6, 23)),),
            ROLLED,
        ),
        id="lvu-care-midsummer-eve-rolled",
    ),
    # Enforced Fri 6 Mar 2026 + 28 = Fri 3 Apr 2026, Good Friday -> Tue 7 Apr.
    pytest.param(
        DueCase(
            custody(D(2026, 3, 5), enforced_on=D(2026, 3, 6)),
            "lvu_care_application",
            ((D(2026, 3, 6), D(2026, 4, 7)),),
            ROLLED,
        ),
        id="lvu-care-good-friday-2026-rolled",
    ),
    # The court extended the time to Sat 5 Jul 2025: the court's day replaces the four
    # weeks and is not rolled.
    pytest.param(
        DueCase(
            custody(
                D(2025, 5, 22),
                enforced_on=D(2025, 5, 23),
                court_extension_until=D(2025, 7, 5),
            ),
            "lvu_care_application",
            ((D(2025, 5, 23), D(2025, 7, 5)),),
            ROLLED,
        ),
        id="lvu-care-court-extension-saturday-not-rolled",
    ),
]


@pytest.mark.parametrize("case", DUE_CASES)
def test_a_record_owes_the_deadlines_worked_out_by_hand(case: DueCase) -> None:
    """Each record owes, under its reading of 2 §, the deadlines counted by hand."""
    book = book_for(roll_forward=case.roll_forward, cutoff=case.cutoff)
    assert case.kind in book.kinds  # a misspelt kind would make an empty case pass
    deadlines = book.deadlines(case.record, extensions=case.extensions, reviews=case.reviews)
    expected = case.expected
    actual = tuple((d.starts_on, d.due_on) for d in deadlines if d.kind == case.kind)
    assert expected == actual


# ------------------------------------------------------------------ references


@dataclasses.dataclass(frozen=True)
class ReferenceCase:
    """A record and the provisions its deadlines of one kind cite, in order."""

    record: object
    kind: str
    expected: tuple[str, ...]
    reviews: tuple[Review, ...] = ()


REFERENCE_CASES = [
    # A deadline cites the provision in force on the day the duty was done or, if it was not
    # done by the due day, on the due day (SFS 2025:400 keeps the old act for no such duty).
    # Received Mon 30 Jun 2025 at 23:59, due that day, not done: SoL (2001:453) on 30 Jun.
    pytest.param(
        ReferenceCase(
            report(local(2025, 6, 30, 23, 59)), "protection_assessment", (OLD_PROTECTION,)
        ),
        id="protection-2025-06-30",
    ),
    # Received Tue 1 Jul 2025 at 00:00, due that day: SoL (2025:400) 20 kap. 1 §.
    pytest.param(
        ReferenceCase(report(local(2025, 7, 1, 0, 0)), "protection_assessment", (NEW_PROTECTION,)),
        id="protection-2025-07-01",
    ),
    # Received Mon 30 Jun 2025, not decided: due Mon 14 Jul 2025, under SoL (2025:400).
    pytest.param(
        ReferenceCase(report(local(2025, 6, 30)), "preassessment", (NEW_PREASSESSMENT,)),
        id="preassessment-2025-06-30-not-decided",
    ),
    # Received and decided Mon 30 Jun 2025, the last day of SoL (2001:453).
    pytest.param(
        ReferenceCase(
            report(local(2025, 6, 30), decided_on=D(2025, 6, 30)),
            "preassessment",
            (OLD_PREASSESSMENT,),
        ),
        id="preassessment-2025-06-30-decided-that-day",
    ),
    # Received Mon 30 Jun 2025, decided Thu 10 Jul 2025 (due 14 Jul): the new act.
    pytest.param(
        ReferenceCase(
            report(local(2025, 6, 30), decided_on=D(2025, 7, 10)),
            "preassessment",
            (NEW_PREASSESSMENT,),
        ),
        id="preassessment-2025-06-30-decided-2025-07-10",
    ),
    pytest.param(
        ReferenceCase(report(local(2025, 7, 1)), "preassessment", (NEW_PREASSESSMENT,)),
        id="preassessment-2025-07-01",
    ),
    # 2025-06-30T21:30Z is 23:30 CEST on 30 Jun, decided that day: the old law. (Read as a
    # receipt on 1 Jul, the decision could not be cited before the day the clock started.)
    pytest.param(
        ReferenceCase(
            report(utc(2025, 6, 30, 21, 30), decided_on=D(2025, 6, 30)),
            "preassessment",
            (OLD_PREASSESSMENT,),
        ),
        id="preassessment-utc-evening-still-30-june",
    ),
    # 2025-06-30T22:30Z is 00:30 CEST on 1 Jul in Stockholm, decided that day: the new law.
    pytest.param(
        ReferenceCase(
            report(utc(2025, 6, 30, 22, 30), decided_on=D(2025, 7, 1)),
            "preassessment",
            (NEW_PREASSESSMENT,),
        ),
        id="preassessment-utc-night-already-1-july",
    ),
    # Opened Mon 30 Jun 2025, closed that day: the old act; not closed, due Thu 30 Oct 2025
    # under the new one.
    pytest.param(
        ReferenceCase(
            investigation(D(2025, 6, 30), closed_on=D(2025, 6, 30)),
            "investigation",
            (OLD_INVESTIGATION,),
        ),
        id="investigation-2025-06-30-closed-that-day",
    ),
    pytest.param(
        ReferenceCase(investigation(D(2025, 6, 30)), "investigation", (NEW_INVESTIGATION,)),
        id="investigation-2025-06-30-open",
    ),
    pytest.param(
        ReferenceCase(investigation(D(2025, 7, 1)), "investigation", (NEW_INVESTIGATION,)),
        id="investigation-2025-07-01",
    ),
    # Period 1 starts Fri 10 Jan 2025 and is met by the review on Tue 1 Jul 2025, the first
    # day of SoL (2025:400); period 2 is due Thu 1 Jan 2026, not met -> 22 kap. 13 § twice.
    pytest.param(
        ReferenceCase(
            placement("sol", D(2025, 1, 10)),
            "placement_review",
            (NEW_REVIEW, NEW_REVIEW),
            reviews=(review(D(2025, 7, 1)),),
        ),
        id="placement-review-period-starting-2025-07-01",
    ),
    # A review on Mon 30 Jun 2025 meets period 1 under the old act; period 2 starts that day
    # and is due Tue 30 Dec 2025, not met: SoL (2025:400) 22 kap. 13 §.
    pytest.param(
        ReferenceCase(
            placement("sol", D(2025, 1, 10)),
            "placement_review",
            (OLD_REVIEW, NEW_REVIEW),
            reviews=(review(D(2025, 6, 30)),),
        ),
        id="placement-review-period-starting-2025-06-30",
    ),
    # LVU did not change on 1 Jul 2025: 7 § for the court, before and after.
    pytest.param(
        ReferenceCase(custody(D(2025, 6, 30)), "lvu_court_submission", (LVU_7,)),
        id="lvu-court-7",
    ),
    pytest.param(
        ReferenceCase(
            custody(D(2025, 6, 30), enforced_on=D(2025, 7, 1)), "lvu_care_application", (LVU_8,)
        ),
        id="lvu-care-8",
    ),
    pytest.param(
        ReferenceCase(
            placement("lvu_3", D(2025, 1, 10)),
            "lvu_care_end_review",
            (LVU_13, LVU_13),
            reviews=(review(D(2025, 7, 1)),),
        ),
        id="lvu-review-13",
    ),
]


@pytest.mark.parametrize("case", REFERENCE_CASES)
def test_a_deadline_cites_the_provision_in_force_when_done_or_due(case: ReferenceCase) -> None:
    """The reference is the provision in force on the day done, or on the due day if not by then."""
    book = RuleBook.swedish()
    deadlines = book.deadlines(case.record, reviews=case.reviews)
    expected = case.expected
    actual = tuple(d.reference for d in deadlines if d.kind == case.kind)
    assert expected == actual


# -------------------------------------------------------------------- statuses


@dataclasses.dataclass(frozen=True)
class StatusCase:
    """Records evaluated on a day: ``(due_on, met_on, status)`` per deadline of a kind."""

    records: tuple[object, ...]
    kind: str
    as_of: dt.date
    expected: tuple[tuple[dt.date, dt.date | None, DeadlineStatus], ...]
    roll_forward: bool = False
    cutoff: dt.time | None = None


# Received Mon 3 Mar 2025 + 14 = Mon 17 Mar 2025, the due day of the status cases below.
MARCH_3 = local(2025, 3, 3)

STATUS_CASES = [
    # Decided Mon 17 Mar, on the due day: met.
    pytest.param(
        StatusCase(
            (report(MARCH_3, decided_on=D(2025, 3, 17)),),
            "preassessment",
            D(2025, 3, 20),
            ((D(2025, 3, 17), D(2025, 3, 17), MET),),
        ),
        id="met-on-the-due-day",
    ),
    # Decided Tue 18 Mar, a day after: late.
    pytest.param(
        StatusCase(
            (report(MARCH_3, decided_on=D(2025, 3, 18)),),
            "preassessment",
            D(2025, 3, 20),
            ((D(2025, 3, 17), D(2025, 3, 18), LATE),),
        ),
        id="late-a-day-after",
    ),
    # Not decided; as of Tue 18 Mar the due day has passed: overdue.
    pytest.param(
        StatusCase(
            (report(MARCH_3),), "preassessment", D(2025, 3, 18), ((D(2025, 3, 17), None, OVERDUE),)
        ),
        id="overdue-a-day-after",
    ),
    # As of the due day Mon 17 Mar: 0 days left, due soon.
    pytest.param(
        StatusCase(
            (report(MARCH_3),), "preassessment", D(2025, 3, 17), ((D(2025, 3, 17), None, DUE_SOON),)
        ),
        id="due-soon-0-days-left",
    ),
    # As of Fri 14 Mar: 17 - 14 = 3 days left, due soon.
    pytest.param(
        StatusCase(
            (report(MARCH_3),), "preassessment", D(2025, 3, 14), ((D(2025, 3, 17), None, DUE_SOON),)
        ),
        id="due-soon-3-days-left",
    ),
    # As of Thu 13 Mar: 17 - 13 = 4 days left, open.
    pytest.param(
        StatusCase(
            (report(MARCH_3),), "preassessment", D(2025, 3, 13), ((D(2025, 3, 17), None, OPEN),)
        ),
        id="open-4-days-left",
    ),
    # Decided Tue 18 Mar, but as of Sun 16 Mar that has not happened: 1 day left, due soon.
    pytest.param(
        StatusCase(
            (report(MARCH_3, decided_on=D(2025, 3, 18)),),
            "preassessment",
            D(2025, 3, 16),
            ((D(2025, 3, 17), None, DUE_SOON),),
        ),
        id="late-decision-not-yet-happened",
    ),
    # Decided Mon 10 Mar, but as of Wed 5 Mar not yet: 12 days left, open.
    pytest.param(
        StatusCase(
            (report(MARCH_3, decided_on=D(2025, 3, 10)),),
            "preassessment",
            D(2025, 3, 5),
            ((D(2025, 3, 17), None, OPEN),),
        ),
        id="early-decision-not-yet-happened",
    ),
    # Received Fri 6 Jun, decided Mon 23 Jun. Strict due Fri 20 Jun (midsummer eve): late.
    pytest.param(
        StatusCase(
            (report(local(2025, 6, 6), decided_on=D(2025, 6, 23)),),
            "preassessment",
            D(2025, 6, 30),
            ((D(2025, 6, 20), D(2025, 6, 23), LATE),),
        ),
        id="midsummer-decided-monday-strict-late",
    ),
    # Rolled: due Mon 23 Jun, decided that day: met.
    pytest.param(
        StatusCase(
            (report(local(2025, 6, 6), decided_on=D(2025, 6, 23)),),
            "preassessment",
            D(2025, 6, 30),
            ((D(2025, 6, 23), D(2025, 6, 23), MET),),
            roll_forward=True,
        ),
        id="midsummer-decided-monday-rolled-met",
    ),
    # Received Thu 19 Jun 2025 16:30, assessed Fri 20 Jun 09:00. Without a cut-off due
    # Thu 19 Jun: late.
    pytest.param(
        StatusCase(
            (report(local(2025, 6, 19, 16, 30), protection_assessed_at=local(2025, 6, 20, 9, 0)),),
            "protection_assessment",
            D(2025, 6, 25),
            ((D(2025, 6, 19), D(2025, 6, 20), LATE),),
        ),
        id="protection-next-morning-without-cutoff-late",
    ),
    # With the 16:00 cut-off, 16:30 is after it -> due Fri 20 Jun: met.
    pytest.param(
        StatusCase(
            (report(local(2025, 6, 19, 16, 30), protection_assessed_at=local(2025, 6, 20, 9, 0)),),
            "protection_assessment",
            D(2025, 6, 25),
            ((D(2025, 6, 20), D(2025, 6, 20), MET),),
            cutoff=CUTOFF,
        ),
        id="protection-next-morning-with-cutoff-met",
    ),
    # Received Thu 19 Jun 10:00, assessed 2025-06-19T22:30Z = 00:30 CEST on Fri 20 Jun: late.
    pytest.param(
        StatusCase(
            (report(local(2025, 6, 19, 10), protection_assessed_at=utc(2025, 6, 19, 22, 30)),),
            "protection_assessment",
            D(2025, 6, 25),
            ((D(2025, 6, 19), D(2025, 6, 20), LATE),),
        ),
        id="protection-assessed-after-local-midnight-late",
    ),
    # Investigation opened Wed 15 Jan 2025 -> Thu 15 May; extension decided Fri 9 May until
    # 15 Jul. As of Thu 8 May it has not been decided: due 15 May, 7 days left, open.
    pytest.param(
        StatusCase(
            (investigation(D(2025, 1, 15)), extension(D(2025, 5, 9), D(2025, 7, 15))),
            "investigation",
            D(2025, 5, 8),
            ((D(2025, 5, 15), None, OPEN),),
        ),
        id="extension-not-yet-decided",
    ),
    # As of Mon 12 May it has: due Tue 15 Jul, 64 days left, open.
    pytest.param(
        StatusCase(
            (investigation(D(2025, 1, 15)), extension(D(2025, 5, 9), D(2025, 7, 15))),
            "investigation",
            D(2025, 5, 12),
            ((D(2025, 7, 15), None, OPEN),),
        ),
        id="extension-decided",
    ),
    # Extension decided Fri 16 May, after the due day Thu 15 May: as of Tue 20 May overdue.
    pytest.param(
        StatusCase(
            (investigation(D(2025, 1, 15)), extension(D(2025, 5, 16), D(2025, 7, 15))),
            "investigation",
            D(2025, 5, 20),
            ((D(2025, 5, 15), None, OVERDUE),),
        ),
        id="extension-too-late-overdue",
    ),
    # Closed Mon 14 Jul within the extension to Tue 15 Jul: met.
    pytest.param(
        StatusCase(
            (
                investigation(D(2025, 1, 15), closed_on=D(2025, 7, 14)),
                extension(D(2025, 5, 9), D(2025, 7, 15)),
            ),
            "investigation",
            D(2025, 8, 1),
            ((D(2025, 7, 15), D(2025, 7, 14), MET),),
        ),
        id="extension-closed-within-met",
    ),
    # Placement started Fri 10 Jan 2025 -> Thu 10 Jul; reviewed Tue 1 Jul. As of Mon 30 Jun
    # the review has not happened: one period, 10 days left, open.
    pytest.param(
        StatusCase(
            (placement("sol", D(2025, 1, 10)), review(D(2025, 7, 1))),
            "placement_review",
            D(2025, 6, 30),
            ((D(2025, 7, 10), None, OPEN),),
        ),
        id="review-not-yet-made",
    ),
    # As of Fri 11 Jul: period 1 met on 1 Jul; period 2 from 1 Jul -> Thu 1 Jan 2026, open.
    pytest.param(
        StatusCase(
            (placement("sol", D(2025, 1, 10)), review(D(2025, 7, 1))),
            "placement_review",
            D(2025, 7, 11),
            ((D(2025, 7, 10), D(2025, 7, 1), MET), (D(2026, 1, 1), None, OPEN)),
        ),
        id="review-made-next-period-open",
    ),
    # Started Fri 20 Dec 2024 -> Fri 20 Jun 2025 (strict); reviewed late on Wed 25 Jun.
    # As of Sun 22 Jun: not reviewed, overdue.
    pytest.param(
        StatusCase(
            (placement("sol", D(2024, 12, 20)), review(D(2025, 6, 25))),
            "placement_review",
            D(2025, 6, 22),
            ((D(2025, 6, 20), None, OVERDUE),),
        ),
        id="review-overdue-strict",
    ),
    # Rolled, as of Sun 22 Jun: due Mon 23 Jun, 1 day left, due soon.
    pytest.param(
        StatusCase(
            (placement("sol", D(2024, 12, 20)), review(D(2025, 6, 25))),
            "placement_review",
            D(2025, 6, 22),
            ((D(2025, 6, 23), None, DUE_SOON),),
            roll_forward=True,
        ),
        id="review-due-soon-rolled",
    ),
    # As of Thu 26 Jun (strict): period 1 late (25 Jun > 20 Jun); period 2 from 25 Jun ->
    # Thu 25 Dec, open.
    pytest.param(
        StatusCase(
            (placement("sol", D(2024, 12, 20)), review(D(2025, 6, 25))),
            "placement_review",
            D(2025, 6, 26),
            ((D(2025, 6, 20), D(2025, 6, 25), LATE), (D(2025, 12, 25), None, OPEN)),
        ),
        id="review-late-then-next-period",
    ),
    # Custody decided Wed 17 Dec 2025, submitted Mon 29 Dec. Strict due Wed 24 Dec: late.
    pytest.param(
        StatusCase(
            (custody(D(2025, 12, 17), submitted_on=D(2025, 12, 29)),),
            "lvu_court_submission",
            D(2026, 1, 10),
            ((D(2025, 12, 24), D(2025, 12, 29), LATE),),
        ),
        id="lvu-court-after-christmas-strict-late",
    ),
    # Rolled: due Mon 29 Dec, submitted that day: met.
    pytest.param(
        StatusCase(
            (custody(D(2025, 12, 17), submitted_on=D(2025, 12, 29)),),
            "lvu_court_submission",
            D(2026, 1, 10),
            ((D(2025, 12, 29), D(2025, 12, 29), MET),),
            roll_forward=True,
        ),
        id="lvu-court-after-christmas-rolled-met",
    ),
    # Enforced Fri 23 May 2025; the court extended to Sat 5 Jul; applied Fri 4 Jul: met
    # (against the four weeks alone, due Fri 20 Jun, it would have been late). Submitted to
    # the court Mon 26 May, within the week (due Thu 29 May): the custody did not lapse.
    # The extension has no decision day: it counts from the original due day, 20 Jun.
    pytest.param(
        StatusCase(
            (
                custody(
                    D(2025, 5, 22),
                    enforced_on=D(2025, 5, 23),
                    submitted_on=D(2025, 5, 26),
                    applied_on=D(2025, 7, 4),
                    court_extension_until=D(2025, 7, 5),
                ),
            ),
            "lvu_care_application",
            D(2025, 7, 10),
            ((D(2025, 7, 5), D(2025, 7, 4), MET),),
        ),
        id="lvu-care-within-court-extension-met",
    ),
    # The same without a court extension: due Fri 20 Jun, applied 4 Jul: late.
    pytest.param(
        StatusCase(
            (
                custody(
                    D(2025, 5, 22),
                    enforced_on=D(2025, 5, 23),
                    submitted_on=D(2025, 5, 26),
                    applied_on=D(2025, 7, 4),
                ),
            ),
            "lvu_care_application",
            D(2025, 7, 10),
            ((D(2025, 6, 20), D(2025, 7, 4), LATE),),
        ),
        id="lvu-care-without-extension-late",
    ),
]


@pytest.mark.parametrize("case", STATUS_CASES)
def test_a_deadline_stands_on_a_day_as_worked_out_by_hand(case: StatusCase) -> None:
    """``evaluate`` gives the due day, ``met_on`` as of the day, and the status counted by hand."""
    book = book_for(roll_forward=case.roll_forward, cutoff=case.cutoff)
    evaluated = book.evaluate(case.records, case.as_of)
    expected = case.expected
    actual = tuple((d.due_on, d.met_on, d.status) for d in evaluated if d.kind == case.kind)
    assert expected == actual


def test_an_exceptional_reason_travels_with_a_late_preassessment_and_moves_nothing() -> None:
    """A late decision with synnerliga skäl is justified, due on day 14, and carries the reason."""
    reason = "synnerliga skäl: barnet kunde inte nås"
    # Received Mon 3 Mar 2025 + 14 = Mon 17 Mar; decided Mon 24 Mar, a week late.
    record = report(MARCH_3, decided_on=D(2025, 3, 24), outcome="opened", exceptional_reason=reason)
    deadlines = RuleBook.swedish().deadlines(record)
    (deadline,) = [d for d in deadlines if d.kind == "preassessment"]
    expected = ("preassessment", D(2025, 3, 17), D(2025, 3, 24), reason, JUSTIFIED)
    actual = (
        deadline.kind,
        deadline.due_on,
        deadline.met_on,
        deadline.exceptional_reason,
        deadline.status(D(2025, 3, 31)),
    )
    assert expected == actual


def test_an_exceptional_reason_reaches_the_evaluated_deadline() -> None:
    """The reason is in the deadline output as well, next to the justified status."""
    reason = "synnerliga skäl"
    record = report(
        MARCH_3, decided_on=D(2025, 3, 24), outcome="not_opened", exceptional_reason=reason
    )
    evaluated = RuleBook.swedish().evaluate([record], D(2025, 3, 31))
    expected = [(reason, JUSTIFIED)]
    actual = [(d.exceptional_reason, d.status) for d in evaluated if d.kind == "preassessment"]
    assert expected == actual


def test_an_exceptional_reason_is_not_on_the_protection_assessment() -> None:
    """The reason excuses the preassessment only; the same-day duty carries none."""
    record = report(MARCH_3, decided_on=D(2025, 3, 24), exceptional_reason="synnerliga skäl")
    deadlines = RuleBook.swedish().deadlines(record)
    expected: list[str | None] = [None]
    actual = [d.exceptional_reason for d in deadlines if d.kind == "protection_assessment"]
    assert expected == actual


# ---------------------------------------------------------- the legal calendar

NON_WORKING_2025 = [
    pytest.param(D(2025, 1, 1), id="new-years-day-wed"),
    pytest.param(D(2025, 1, 6), id="epiphany-mon"),
    pytest.param(D(2025, 4, 18), id="good-friday"),
    pytest.param(D(2025, 4, 20), id="easter-sunday"),
    pytest.param(D(2025, 4, 21), id="easter-monday"),
    pytest.param(D(2025, 5, 1), id="may-day-thu"),
    pytest.param(D(2025, 5, 29), id="ascension-thu"),
    pytest.param(D(2025, 6, 6), id="national-day-fri"),
    pytest.param(D(2025, 6, 8), id="whitsun-sun"),
    pytest.param(D(2025, 6, 20), id="midsummer-eve-fri"),
    pytest.param(D(2025, 6, 21), id="midsummer-day-sat"),
    pytest.param(D(2025, 11, 1), id="all-saints-day-sat"),
    pytest.param(D(2025, 12, 24), id="christmas-eve-wed"),
    pytest.param(D(2025, 12, 25), id="christmas-day-thu"),
    pytest.param(D(2025, 12, 26), id="boxing-day-fri"),
    pytest.param(D(2025, 12, 31), id="new-years-eve-wed"),
]


@pytest.mark.parametrize("day", NON_WORKING_2025)
def test_each_public_holiday_and_eve_of_2025_is_not_a_working_day(day: dt.date) -> None:
    """Every public holiday of 2025 and the three eves of 2 § defer an action."""
    expected = False
    actual = swedish_calendar().is_working_day(day)
    assert expected == actual


WORKING_DAYS = [
    # Mon 5 Jan 2026, the eve of Epiphany: not in the list of 2 §.
    pytest.param(D(2026, 1, 5), id="eve-of-epiphany-2026-mon"),
    # Thu 17 Apr 2025, Maundy Thursday: a working day.
    pytest.param(D(2025, 4, 17), id="maundy-thursday-2025"),
    # Wed 5 Mar 2025: an ordinary Wednesday.
    pytest.param(D(2025, 3, 5), id="ordinary-wednesday"),
    # Mon 9 Jun 2025, Whit Monday: no longer a holiday (replaced by National Day in 2005).
    pytest.param(D(2025, 6, 9), id="whit-monday-2025"),
    # Fri 30 May 2025, the day after Ascension: a "klämdag", not a holiday.
    pytest.param(D(2025, 5, 30), id="friday-after-ascension-2025"),
    # Wed 30 Apr 2025, Walpurgis night: not in the list of 2 §.
    pytest.param(D(2025, 4, 30), id="walpurgis-2025"),
    # Fri 31 Oct 2025, the eve of All Saints' Day: not in the list of 2 §.
    pytest.param(D(2025, 10, 31), id="all-saints-eve-2025"),
]


@pytest.mark.parametrize("day", WORKING_DAYS)
def test_days_outside_the_list_of_2_section_are_working_days(day: dt.date) -> None:
    """Eves and days the statute does not list are ordinary working days."""
    expected = True
    actual = swedish_calendar().is_working_day(day)
    assert expected == actual


ROLL_FORWARD_CASES = [
    # Christmas eve Wed 24, Christmas 25, Boxing Day 26, Sat 27, Sun 28 -> Mon 29 Dec 2025.
    pytest.param(D(2025, 12, 24), D(2025, 12, 29), id="christmas-eve-2025"),
    # New Year's eve Wed 31 Dec, New Year's Day Thu 1 Jan -> Fri 2 Jan 2026.
    pytest.param(D(2025, 12, 31), D(2026, 1, 2), id="new-years-eve-2025"),
    # Good Friday 3 Apr 2026, Sat 4, Easter Sunday 5, Easter Monday 6 -> Tue 7 Apr.
    pytest.param(D(2026, 4, 3), D(2026, 4, 7), id="good-friday-2026"),
    # Midsummer eve Fri 19 Jun 2026, Midsummer Day Sat 20, Sun 21 -> Mon 22 Jun.
    pytest.param(D(2026, 6, 19), D(2026, 6, 22), id="midsummer-eve-2026"),
    # The eve of Epiphany Mon 5 Jan 2026 is a working day: itself.
    pytest.param(D(2026, 1, 5), D(2026, 1, 5), id="eve-of-epiphany-2026-stays"),
]


@pytest.mark.parametrize(("day", "rolled"), ROLL_FORWARD_CASES)
def test_roll_forward_moves_to_the_next_working_day(day: dt.date, rolled: dt.date) -> None:
    """``roll_forward`` gives the day itself if it is a working day, else the next one."""
    expected = rolled
    actual = swedish_calendar().roll_forward(day)
    assert expected == actual
