"""Districts (stadsdelsförvaltningar) and their history: the registry changes over time.

Expected values come from the table "Districts of Stockholm" in DOMAIN.md, written
out by hand below, and from a second resolution of codes (``resolve_by_hand``)
that follows the successor column without calling the registry's ``current``.
"""

from __future__ import annotations

import datetime as dt
import itertools
import unicodedata
from collections.abc import Mapping
from typing import Any, NamedTuple

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import socforst
from socforst import (
    District,
    DistrictKind,
    DistrictNotActiveError,
    DistrictRegistry,
    RegistryError,
    SocforstError,
    UnknownDistrictError,
    ValidationError,
)
from socforst.converters import registry_from_rows
from socforst.ids import contains_personal_identity_number

FIRST = dt.date(2007, 1, 1)
LAST_OF_14 = dt.date(2020, 6, 30)
FIRST_OF_13 = dt.date(2020, 7, 1)
LAST_OF_13 = dt.date(2023, 6, 30)
FIRST_OF_11 = dt.date(2023, 7, 1)
HORIZON = dt.date(2100, 12, 31)


class Row(NamedTuple):
    """One district as the oracle sees it: a plain record, no socforst object."""

    name: str
    valid_from: dt.date
    valid_to: dt.date | None
    successor: str | None
    citywide: bool = False


# DOMAIN.md, "Districts of Stockholm": 14 from 2007-01-01 to 2020-06-30; from 2020-07-01
# Hägersten-Liljeholmen + Älvsjö = Hägersten-Älvsjö; from 2023-07-01 Rinkeby-Kista +
# Spånga-Tensta = Järva and Norrmalm + Östermalm = Norra innerstaden.
STOCKHOLM_BY_HAND: dict[str, Row] = {
    "bromma": Row("Bromma", FIRST, None, None),
    "enskede-arsta-vantor": Row("Enskede-Årsta-Vantör", FIRST, None, None),
    "farsta": Row("Farsta", FIRST, None, None),
    "hagersten-liljeholmen": Row("Hägersten-Liljeholmen", FIRST, LAST_OF_14, "hagersten-alvsjo"),
    "hasselby-vallingby": Row("Hässelby-Vällingby", FIRST, None, None),
    "kungsholmen": Row("Kungsholmen", FIRST, None, None),
    "norrmalm": Row("Norrmalm", FIRST, LAST_OF_13, "norra-innerstaden"),
    "rinkeby-kista": Row("Rinkeby-Kista", FIRST, LAST_OF_13, "jarva"),
    "skarpnack": Row("Skarpnäck", FIRST, None, None),
    "skarholmen": Row("Skärholmen", FIRST, None, None),
    "spanga-tensta": Row("Spånga-Tensta", FIRST, LAST_OF_13, "jarva"),
    "sodermalm": Row("Södermalm", FIRST, None, None),
    "alvsjo": Row("Älvsjö", FIRST, LAST_OF_14, "hagersten-alvsjo"),
    "ostermalm": Row("Östermalm", FIRST, LAST_OF_13, "norra-innerstaden"),
    "hagersten-alvsjo": Row("Hägersten-Älvsjö", FIRST_OF_13, None, None),
    "jarva": Row("Järva", FIRST_OF_11, None, None),
    "norra-innerstaden": Row("Norra innerstaden", FIRST_OF_11, None, None),
}

# The city-wide client; stockholm()'s docstring sets its start to the registry's start.
SOCIALJOUREN = Row("Socialjouren", FIRST, None, None, citywide=True)
STOCKHOLM_WITH_CITYWIDE: dict[str, Row] = {**STOCKHOLM_BY_HAND, "socialjouren": SOCIALJOUREN}

FOURTEEN = frozenset(
    {
        "bromma",
        "enskede-arsta-vantor",
        "farsta",
        "hagersten-liljeholmen",
        "hasselby-vallingby",
        "kungsholmen",
        "norrmalm",
        "rinkeby-kista",
        "skarpnack",
        "skarholmen",
        "spanga-tensta",
        "sodermalm",
        "alvsjo",
        "ostermalm",
    }
)
THIRTEEN = frozenset(
    {
        "bromma",
        "enskede-arsta-vantor",
        "farsta",
        "hagersten-alvsjo",
        "hasselby-vallingby",
        "kungsholmen",
        "norrmalm",
        "rinkeby-kista",
        "skarpnack",
        "skarholmen",
        "spanga-tensta",
        "sodermalm",
        "ostermalm",
    }
)
ELEVEN = frozenset(
    {
        "bromma",
        "enskede-arsta-vantor",
        "farsta",
        "hagersten-alvsjo",
        "hasselby-vallingby",
        "jarva",
        "kungsholmen",
        "norra-innerstaden",
        "skarpnack",
        "skarholmen",
        "sodermalm",
    }
)


def codes(districts: tuple[District, ...]) -> list[str]:
    """The codes of *districts*, in the order given."""
    return [district.code for district in districts]


def exists_on(row: Row, day: dt.date) -> bool:
    """Whether the district of *row* exists on *day*, both ends of its validity included."""
    return row.valid_from <= day and (row.valid_to is None or day <= row.valid_to)


def resolve_by_hand(table: Mapping[str, Row], code: str, day: dt.date) -> list[str]:
    """The oracle: the codes in *code*'s chain of successors whose district exists on *day*.

    The chain is *code* and its successor, the successor's successor and so on,
    read from the successor column alone; it never calls ``current``.
    """
    chain: list[str] = []
    link: str | None = code
    while link is not None and link not in chain:
        chain.append(link)
        link = table[link].successor
    return [member for member in chain if exists_on(table[member], day)]


def boundary_days(table: Mapping[str, Row]) -> set[dt.date]:
    """Every day on which some district starts or ends, and the day after each end."""
    days: set[dt.date] = set()
    for row in table.values():
        days.add(row.valid_from)
        if row.valid_to is not None:
            days.update({row.valid_to, row.valid_to + dt.timedelta(days=1)})
    return days


def district(
    code: str,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    successor: str | None = None,
) -> District:
    """A district named after its code, for small hand-made registries."""
    return District(
        code=code,
        name=code.title(),
        valid_from=valid_from,
        valid_to=valid_to,
        successor=successor,
    )


# --- The built-in Stockholm registry: which districts exist when ----------------------------


def test_stockholm_has_14_districts_on_2019_05_01() -> None:
    """Before the 2020 merge Stockholm had 14 district administrations."""
    expected = 14
    assert expected == len(socforst.stockholm().active_on(dt.date(2019, 5, 1)))


def test_stockholm_has_13_districts_on_2021_05_01() -> None:
    """After Hägersten-Liljeholmen and Älvsjö merged in 2020 Stockholm had 13."""
    expected = 13
    assert expected == len(socforst.stockholm().active_on(dt.date(2021, 5, 1)))


def test_stockholm_has_11_districts_on_2024_05_01() -> None:
    """After the 2023 merges (Järva, Norra innerstaden) Stockholm has 11."""
    expected = 11
    assert expected == len(socforst.stockholm().active_on(dt.date(2024, 5, 1)))


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        pytest.param(FIRST, FOURTEEN, id="2007-01-01-first-day"),
        pytest.param(dt.date(2019, 5, 1), FOURTEEN, id="2019-05-01"),
        pytest.param(LAST_OF_14, FOURTEEN, id="2020-06-30-last-day-of-14"),
        pytest.param(FIRST_OF_13, THIRTEEN, id="2020-07-01-first-day-of-13"),
        pytest.param(dt.date(2021, 5, 1), THIRTEEN, id="2021-05-01"),
        pytest.param(LAST_OF_13, THIRTEEN, id="2023-06-30-last-day-of-13"),
        pytest.param(FIRST_OF_11, ELEVEN, id="2023-07-01-first-day-of-11"),
        pytest.param(dt.date(2024, 5, 1), ELEVEN, id="2024-05-01"),
        pytest.param(HORIZON, ELEVEN, id="2100-12-31"),
    ],
)
def test_the_districts_active_on_a_day_are_those_of_the_domain_table(
    day: dt.date, expected: frozenset[str]
) -> None:
    """active_on gives exactly the codes DOMAIN.md lists for the period holding the day."""
    assert expected == frozenset(codes(socforst.stockholm().active_on(day)))


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        pytest.param(LAST_OF_14, 14, id="2020-06-30"),
        pytest.param(FIRST_OF_13, 13, id="2020-07-01"),
        pytest.param(LAST_OF_13, 13, id="2023-06-30"),
        pytest.param(FIRST_OF_11, 11, id="2023-07-01"),
    ],
)
def test_the_count_changes_exactly_on_the_day_of_a_reorganisation(
    day: dt.date, expected: int
) -> None:
    """The last day of a period still has the old count, the first day of the next the new one."""
    assert expected == len(socforst.stockholm().active_on(day))


def test_alvsjo_and_hagersten_liljeholmen_are_active_on_2020_06_30() -> None:
    """On the last day before the 2020 merge both old districts exist and the new one does not."""
    active = set(codes(socforst.stockholm().active_on(LAST_OF_14)))
    expected = (True, True, False)
    assert expected == (
        "alvsjo" in active,
        "hagersten-liljeholmen" in active,
        "hagersten-alvsjo" in active,
    )


def test_hagersten_alvsjo_replaces_them_on_2020_07_01() -> None:
    """On the day of the 2020 merge only Hägersten-Älvsjö exists of the three."""
    active = set(codes(socforst.stockholm().active_on(FIRST_OF_13)))
    expected = (False, False, True)
    assert expected == (
        "alvsjo" in active,
        "hagersten-liljeholmen" in active,
        "hagersten-alvsjo" in active,
    )


def test_the_four_old_districts_are_active_on_2023_06_30_and_the_two_new_are_not() -> None:
    """On the last day before the 2023 merges the old districts exist, Järva etc. do not."""
    active = set(codes(socforst.stockholm().active_on(LAST_OF_13)))
    old = {"rinkeby-kista", "spanga-tensta", "norrmalm", "ostermalm"}
    new = {"jarva", "norra-innerstaden"}
    expected: tuple[set[str], set[str]] = (old, set())
    assert expected == (old & active, new & active)


def test_jarva_and_norra_innerstaden_replace_them_on_2023_07_01() -> None:
    """On the day of the 2023 merges only the two new districts exist of the six."""
    active = set(codes(socforst.stockholm().active_on(FIRST_OF_11)))
    old = {"rinkeby-kista", "spanga-tensta", "norrmalm", "ostermalm"}
    new = {"jarva", "norra-innerstaden"}
    expected: tuple[set[str], set[str]] = (set(), new)
    assert expected == (old & active, new & active)


def test_no_district_is_active_before_the_registry_starts_in_2007() -> None:
    """The built-in history starts on 2007-01-01: nothing exists on 2006-12-31."""
    expected = ()
    assert expected == socforst.stockholm().active_on(dt.date(2006, 12, 31), include_citywide=True)


def test_active_districts_come_sorted_by_code() -> None:
    """active_on documents its order: by code."""
    assert sorted(ELEVEN) == codes(socforst.stockholm().active_on(dt.date(2024, 5, 1)))


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        pytest.param(dt.date(2019, 5, 1), FOURTEEN, id="2019"),
        pytest.param(dt.date(2021, 5, 1), THIRTEEN, id="2021"),
        pytest.param(dt.date(2024, 5, 1), ELEVEN, id="2024"),
    ],
)
def test_include_citywide_adds_socialjouren_to_the_districts(
    day: dt.date, expected: frozenset[str]
) -> None:
    """The city's socialjouren is a client, listed only when city-wide clients are asked for."""
    active = codes(socforst.stockholm().active_on(day, include_citywide=True))
    assert sorted(expected | {"socialjouren"}) == active


def test_socialjouren_is_a_citywide_client_not_a_district() -> None:
    """The social emergency service is kept apart from the district administrations."""
    expected = DistrictKind.CITYWIDE
    assert expected == socforst.stockholm().get("socialjouren").kind


def test_stockholm_holds_exactly_the_codes_of_the_domain_table_and_socialjouren() -> None:
    """No code is missing from the built-in registry and none is extra."""
    assert set(STOCKHOLM_WITH_CITYWIDE) == set(socforst.stockholm().codes)


@pytest.mark.parametrize("code", sorted(STOCKHOLM_BY_HAND))
def test_each_stockholm_district_has_the_dates_and_successor_of_the_domain_table(
    code: str,
) -> None:
    """Every district's name, validity and successor are those written out from DOMAIN.md."""
    found = socforst.stockholm().get(code)
    actual = Row(found.name, found.valid_from, found.valid_to, found.successor)
    expected = STOCKHOLM_BY_HAND[code]
    assert expected == actual


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("hagersten-alvsjo", "Hägersten-Älvsjö"),
        ("jarva", "Järva"),
        ("norra-innerstaden", "Norra innerstaden"),
        ("enskede-arsta-vantor", "Enskede-Årsta-Vantör"),
        ("alvsjo", "Älvsjö"),
        ("ostermalm", "Östermalm"),
    ],
)
def test_names_keep_their_swedish_letters(code: str, expected: str) -> None:
    """Names are the ones users know, with å, ä and ö, while codes stay ascii."""
    assert expected == socforst.stockholm().get(code).name


def test_every_name_is_in_composed_unicode_form() -> None:
    """Names are NFC, so 'Älvsjö' typed by a user compares equal to the registry's name."""
    names = [found.name for found in socforst.stockholm()]
    assert names == [unicodedata.normalize("NFC", name) for name in names]


def test_a_record_dated_2019_for_alvsjo_is_still_valid() -> None:
    """Älvsjö is dissolved but stays in the registry, so old records keep a district."""
    expected = "Älvsjö"
    assert expected == socforst.stockholm().current("alvsjo", on=dt.date(2019, 3, 1)).name


# --- current(): today's district for any code ------------------------------------------------


def test_alvsjo_on_2024_01_01_is_hagersten_alvsjo() -> None:
    """A code of a merged district stands for its successor after the merge."""
    expected = "hagersten-alvsjo"
    assert expected == socforst.stockholm().current("alvsjo", on=dt.date(2024, 1, 1)).code


def test_alvsjo_on_2020_06_30_is_alvsjo_and_on_2020_07_01_is_hagersten_alvsjo() -> None:
    """The switch to the successor happens on the first day of the new district."""
    registry = socforst.stockholm()
    actual = (
        registry.current("alvsjo", on=LAST_OF_14).code,
        registry.current("alvsjo", on=FIRST_OF_13).code,
    )
    expected = ("alvsjo", "hagersten-alvsjo")
    assert expected == actual


def test_rinkeby_kista_on_2023_07_01_is_jarva() -> None:
    """Rinkeby-Kista's cases belong to Järva from the day Järva started."""
    expected = "jarva"
    assert expected == socforst.stockholm().current("rinkeby-kista", on=FIRST_OF_11).code


def test_rinkeby_kista_on_2023_06_30_is_rinkeby_kista() -> None:
    """On its own last day Rinkeby-Kista still stands for itself."""
    expected = "rinkeby-kista"
    assert expected == socforst.stockholm().current("rinkeby-kista", on=LAST_OF_13).code


@pytest.mark.parametrize("code", ["ostermalm", "norrmalm"])
def test_ostermalm_and_norrmalm_are_norra_innerstaden_from_2023_07_01(code: str) -> None:
    """Both inner-city districts resolve to Norra innerstaden from the merge on."""
    registry = socforst.stockholm()
    actual = (
        registry.current(code, on=LAST_OF_13).code,
        registry.current(code, on=FIRST_OF_11).code,
    )
    expected = (code, "norra-innerstaden")
    assert expected == actual


@pytest.mark.parametrize("code", sorted(ELEVEN))
def test_a_current_code_stands_for_itself(code: str) -> None:
    """A district that exists on the day asked about is its own current district."""
    assert code == socforst.stockholm().current(code, on=dt.date(2024, 5, 1)).code


def test_jarva_asked_for_on_2020_01_01_raises_district_not_active_error() -> None:
    """A code asked about before its district existed has no district on that day."""
    with pytest.raises(DistrictNotActiveError) as info:
        socforst.stockholm().current("jarva", on=dt.date(2020, 1, 1))
    error = info.value
    expected = (True, True, "jarva", dt.date(2020, 1, 1))
    assert expected == (
        isinstance(error, LookupError),
        isinstance(error, SocforstError),
        error.code,
        error.on,
    )


def test_hagersten_alvsjo_asked_for_on_2020_06_30_raises_district_not_active_error() -> None:
    """The day before a district starts is refused, not resolved to its predecessors."""
    with pytest.raises(DistrictNotActiveError, match="2020-07-01"):
        socforst.stockholm().current("hagersten-alvsjo", on=LAST_OF_14)


def test_predecessors_of_jarva_are_rinkeby_kista_and_spanga_tensta() -> None:
    """Järva was formed from Rinkeby-Kista and Spånga-Tensta."""
    actual = codes(socforst.stockholm().predecessors("jarva"))
    expected = ["rinkeby-kista", "spanga-tensta"]
    assert expected == actual


def test_predecessors_of_hagersten_alvsjo_are_alvsjo_and_hagersten_liljeholmen() -> None:
    """Hägersten-Älvsjö was formed from Älvsjö and Hägersten-Liljeholmen, listed by code."""
    actual = codes(socforst.stockholm().predecessors("hagersten-alvsjo"))
    expected = ["alvsjo", "hagersten-liljeholmen"]
    assert expected == actual


def test_a_district_that_was_never_reorganised_has_no_predecessors() -> None:
    """Bromma took over no one's area."""
    expected = ()
    assert expected == socforst.stockholm().predecessors("bromma")


def test_a_district_absorbed_by_an_existing_one_resolves_to_it_after_its_last_day() -> None:
    """A successor may already exist: the code stands for itself to its end, then for it."""
    registry = DistrictRegistry(
        [
            district("norr", dt.date(2010, 1, 1), dt.date(2020, 12, 31), "centrum"),
            district("centrum", dt.date(2010, 1, 1)),
        ]
    )
    actual = (
        registry.current("norr", on=dt.date(2020, 12, 31)).code,
        registry.current("norr", on=dt.date(2021, 1, 1)).code,
    )
    expected = ("norr", "centrum")
    assert expected == actual


def test_a_district_dissolved_without_successor_has_no_district_after_its_end() -> None:
    """A code whose district ended without a successor stands for nothing afterwards."""
    registry = DistrictRegistry([district("norr", dt.date(2010, 1, 1), dt.date(2020, 12, 31))])
    with pytest.raises(DistrictNotActiveError, match="2020-12-31"):
        registry.current("norr", on=dt.date(2021, 1, 1))


# --- Unknown codes --------------------------------------------------------------------------


def test_get_alvsj_raises_unknown_district_error_suggesting_alvsjo() -> None:
    """A typo gets an error that is a LookupError, a SocforstError, and suggests the code."""
    with pytest.raises(UnknownDistrictError) as info:
        socforst.stockholm().get("alvsj")
    error = info.value
    expected = (True, True, "alvsj", True, True)
    assert expected == (
        isinstance(error, LookupError),
        isinstance(error, SocforstError),
        error.code,
        "alvsjo" in error.close_matches,
        "'alvsjo'" in str(error),
    )


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("Järva", "jarva"),
        ("Sodermalm", "sodermalm"),
        ("Södermalm", "sodermalm"),
        ("Hägersten-Älvsjö", "hagersten-alvsjo"),
        ("Norra innerstaden", "norra-innerstaden"),
    ],
)
def test_a_name_typed_instead_of_a_code_finds_the_code_among_close_matches(
    typed: str, code: str
) -> None:
    """Users type the name they know; the error points them to its code."""
    with pytest.raises(UnknownDistrictError) as info:
        socforst.stockholm().get(typed)
    expected = (True, True)
    assert expected == (code in info.value.close_matches, repr(code) in str(info.value))


def test_a_code_with_nothing_close_has_no_close_matches() -> None:
    """Suggestions are only offered when something looks like the code."""
    with pytest.raises(UnknownDistrictError) as info:
        socforst.stockholm().get("zzzzzzzzzzzz")
    expected = ()
    assert expected == info.value.close_matches


def test_an_unknown_code_in_current_raises_unknown_district_error() -> None:
    """Resolving a code that never existed is an unknown code, not an inactive one."""
    with pytest.raises(UnknownDistrictError) as info:
        socforst.stockholm().current("nacka", on=dt.date(2024, 1, 1))
    expected = "nacka"
    assert expected == info.value.code


def test_an_unknown_code_in_predecessors_raises_unknown_district_error() -> None:
    """Asking for the predecessors of an unknown code is refused too."""
    with pytest.raises(UnknownDistrictError):
        socforst.stockholm().predecessors("jarv")


# --- Resolution is total over time ----------------------------------------------------------


@given(code=st.sampled_from(sorted(STOCKHOLM_WITH_CITYWIDE)), data=st.data())
def test_every_stockholm_code_resolves_to_exactly_one_district_on_any_later_day(
    code: str, data: st.DataObject
) -> None:
    """Proves that on any day from a code's start to 2100 its successor chain has one district.

    The oracle follows the successor column of the hand-written table; ``current``
    must return that one district.
    """
    day = data.draw(st.dates(STOCKHOLM_WITH_CITYWIDE[code].valid_from, HORIZON), label="day")
    expected = resolve_by_hand(STOCKHOLM_WITH_CITYWIDE, code, day)
    # current returns one district, so equality also proves the oracle found exactly one.
    assert expected == [socforst.stockholm().current(code, on=day).code]


@pytest.mark.parametrize("code", sorted(STOCKHOLM_WITH_CITYWIDE))
def test_every_stockholm_code_resolves_to_exactly_one_district_on_every_boundary_day(
    code: str,
) -> None:
    """On each first day, last day and day after a last day, the oracle and current agree."""
    registry = socforst.stockholm()
    start = STOCKHOLM_WITH_CITYWIDE[code].valid_from
    days = sorted(day for day in boundary_days(STOCKHOLM_WITH_CITYWIDE) | {HORIZON} if day >= start)
    expected = [resolve_by_hand(STOCKHOLM_WITH_CITYWIDE, code, day) for day in days]
    actual = [[registry.current(code, on=day).code] for day in days]
    assert expected == actual


@st.composite
def municipality_histories(draw: st.DrawFn, *, dissolutions: bool = False) -> list[dict[str, Any]]:
    """Rows of ``districts.csv`` for a made-up municipality with a random, consistent history.

    The history starts with 1-5 districts on a day between 1970 and 2030. Then come
    0-8 reorganisations on non-decreasing days after it (two on one day happen, and a
    gap of a day makes a district that exists for a single day):

    - a merge: two existing districts end the day before, a new district starts that day
      and is the successor of both;
    - a rename: one district ends the day before, a new code starts that day as its
      single successor;
    - only when *dissolutions* is true, a dissolution: a district ends without successor.

    A district can only end on a day after it started, so every successor exists on the day
    after its predecessor's last day and the history is consistent by construction. Codes
    are random ascii slugs made unique by a numeric suffix, names are any text, kinds are
    sometimes given. The rows are plain dicts with ISO 8601 date strings, in random order,
    with a missing ``valid_to``/``successor`` either left out or given as ``None``.
    """
    slug_part = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=6)
    serial = itertools.count()
    rows: dict[str, dict[str, Any]] = {}

    def found(day: dt.date) -> str:
        parts = draw(st.lists(slug_part, min_size=1, max_size=2))
        code = "-".join([*parts, str(next(serial))])
        assume(not contains_personal_identity_number(code))  # refused as a code
        rows[code] = {
            # Control characters and lone surrogates are refused in names: no format holds them.
            "name": draw(st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=20)),
            "valid_from": day,
            "valid_to": None,
            "successor": None,
            "kind": draw(st.sampled_from([None, "district", "citywide"])),
        }
        return code

    def end(code: str, day: dt.date, successor: str | None) -> None:
        rows[code]["valid_to"] = day - dt.timedelta(days=1)
        rows[code]["successor"] = successor

    start = draw(st.dates(dt.date(1970, 1, 1), dt.date(2030, 12, 31)))
    for _ in range(draw(st.integers(1, 5))):
        found(start)
    day = start
    for _ in range(draw(st.integers(0, 8))):
        day += dt.timedelta(days=draw(st.one_of(st.integers(0, 2), st.integers(3, 2000))))
        can_end = sorted(
            code
            for code, row in rows.items()
            if row["valid_to"] is None and row["valid_from"] < day
        )
        kinds = [
            kind
            for kind, possible in [
                ("merge", len(can_end) >= 2),
                ("rename", len(can_end) >= 1),
                ("dissolve", dissolutions and len(can_end) >= 1),
            ]
            if possible
        ]
        if not kinds:
            continue
        kind = draw(st.sampled_from(kinds))
        if kind == "merge":
            first, second = draw(
                st.lists(st.sampled_from(can_end), min_size=2, max_size=2, unique=True)
            )
            successor = found(day)
            end(first, day, successor)
            end(second, day, successor)
        elif kind == "rename":
            old = draw(st.sampled_from(can_end))
            end(old, day, found(day))
        else:
            end(draw(st.sampled_from(can_end)), day, None)

    result: list[dict[str, Any]] = []
    for code, row in rows.items():
        plain: dict[str, Any] = {
            "code": code,
            "name": row["name"],
            "valid_from": row["valid_from"].isoformat(),
        }
        for key in ("valid_to", "successor"):
            value = row[key]
            if isinstance(value, dt.date):
                value = value.isoformat()
            if value is not None or draw(st.booleans()):
                plain[key] = value
        if row["kind"] is not None:
            plain["kind"] = row["kind"]
        result.append(plain)
    return draw(st.permutations(result))


def table_from_rows(rows: list[dict[str, Any]]) -> dict[str, Row]:
    """The oracle's own reading of plain rows: ISO strings parsed by the standard library."""

    def date_or_none(value: Any) -> dt.date | None:
        return None if value is None else dt.date.fromisoformat(value)

    return {
        row["code"]: Row(
            row["name"],
            dt.date.fromisoformat(row["valid_from"]),
            date_or_none(row.get("valid_to")),
            row.get("successor"),
            citywide=row.get("kind") == "citywide",
        )
        for row in rows
    }


def days_to_check(table: Mapping[str, Row], code: str, extra: dt.date) -> list[dt.date]:
    """Every boundary day from *code*'s start on, the horizon, and one random day."""
    start = table[code].valid_from
    days = boundary_days(table) | {max(HORIZON, start), extra}
    return sorted(day for day in days if day >= start)


@given(rows=municipality_histories(), data=st.data())
def test_a_registry_built_from_rows_resolves_every_code_to_exactly_one_district(
    rows: list[dict[str, Any]], data: st.DataObject
) -> None:
    """Proves resolution is total for any history of merges and renames built from data.

    For every code, on every boundary day from its start on, on the horizon and on a
    random later day, the oracle finds exactly one district in the successor chain and
    ``current`` returns it. A registry for another municipality can be built from data.
    """
    registry = registry_from_rows(rows)
    table = table_from_rows(rows)
    assert set(table) == set(registry.codes)
    for code in table:
        extra = data.draw(st.dates(table[code].valid_from, HORIZON), label=f"day for {code}")
        for day in days_to_check(table, code, extra):
            expected = resolve_by_hand(table, code, day)
            # current returns one district: equality also proves the oracle found exactly one.
            assert expected == [registry.current(code, on=day).code]


@given(rows=municipality_histories(dissolutions=True), data=st.data())
def test_a_code_resolves_to_its_chains_one_district_or_raises_when_the_chain_was_dissolved(
    rows: list[dict[str, Any]], data: st.DataObject
) -> None:
    """Proves current is exact when districts can also end without a successor.

    The oracle finds at most one district in a code's chain on any later day; when it
    finds one, ``current`` returns it, and when it finds none, ``current`` raises
    DistrictNotActiveError. The day before a code's start is always refused.
    """
    registry = registry_from_rows(rows)
    table = table_from_rows(rows)
    for code in table:
        extra = data.draw(st.dates(table[code].valid_from, HORIZON), label=f"day for {code}")
        for day in days_to_check(table, code, extra):
            expected = resolve_by_hand(table, code, day)
            assert len(expected) <= 1
            if expected:
                assert expected[0] == registry.current(code, on=day).code
            else:
                with pytest.raises(DistrictNotActiveError):
                    registry.current(code, on=day)
        with pytest.raises(DistrictNotActiveError):
            registry.current(code, on=table[code].valid_from - dt.timedelta(days=1))


@given(rows=municipality_histories(dissolutions=True), data=st.data())
def test_active_on_lists_the_districts_whose_validity_holds_the_day(
    rows: list[dict[str, Any]], data: st.DataObject
) -> None:
    """Proves active_on is the sorted set of districts existing on the day, kinds respected.

    Checked on every boundary day and a random one, with and without city-wide clients.
    """
    registry = registry_from_rows(rows)
    table = table_from_rows(rows)
    extra = data.draw(st.dates(dt.date(1970, 1, 1), HORIZON), label="day")
    for day in sorted(boundary_days(table) | {extra}):
        everyone = sorted(code for code, row in table.items() if exists_on(row, day))
        districts_only = [code for code in everyone if not table[code].citywide]
        actual = (
            codes(registry.active_on(day, include_citywide=True)),
            codes(registry.active_on(day)),
        )
        expected = (everyone, districts_only)
        assert expected == actual


def test_a_registry_for_another_municipality_can_be_built_from_rows() -> None:
    """Plain rows with ISO date strings become a registry that resolves merged codes."""
    registry = registry_from_rows(
        [
            {"code": "norr", "name": "Norr", "valid_from": "2010-01-01",
             "valid_to": "2020-12-31", "successor": "centrum"},
            {"code": "syd", "name": "Syd", "valid_from": "2010-01-01",
             "valid_to": "2020-12-31", "successor": "centrum"},
            {"code": "centrum", "name": "Centrum", "valid_from": "2021-01-01"},
        ]
    )  # fmt: skip
    actual = (
        registry.get("norr").valid_to,
        registry.current("syd", on=dt.date(2020, 12, 31)).code,
        registry.current("syd", on=dt.date(2021, 1, 1)).code,
        codes(registry.active_on(dt.date(2021, 1, 1))),
    )
    expected = (dt.date(2020, 12, 31), "syd", "centrum", ["centrum"])
    assert expected == actual


# --- Inconsistent histories -----------------------------------------------------------------


def test_a_registry_with_a_code_twice_raises_registry_error() -> None:
    """Codes are unique: the same code twice is refused, naming it."""
    with pytest.raises(RegistryError, match="'norr'") as info:
        DistrictRegistry(
            [district("norr", dt.date(2010, 1, 1)), district("norr", dt.date(2015, 1, 1))]
        )
    expected = (True, True)
    assert expected == (
        isinstance(info.value, ValueError),
        isinstance(info.value, SocforstError),
    )


def test_a_successor_that_is_not_in_the_registry_raises_registry_error() -> None:
    """Every successor must be known."""
    with pytest.raises(RegistryError, match="'centrum'"):
        DistrictRegistry([district("norr", dt.date(2010, 1, 1), dt.date(2020, 12, 31), "centrum")])


def test_a_successor_starting_later_than_the_day_after_its_predecessor_ends_raises() -> None:
    """A gap between predecessor and successor is refused, naming the day after the end."""
    with pytest.raises(RegistryError, match="2021-01-01"):
        DistrictRegistry(
            [
                district("norr", dt.date(2010, 1, 1), dt.date(2020, 12, 31), "centrum"),
                district("centrum", dt.date(2021, 1, 2)),
            ]
        )


def test_a_successor_that_ended_before_its_predecessor_did_raises_registry_error() -> None:
    """A successor that no longer exists on the takeover day is refused."""
    with pytest.raises(RegistryError, match="2021-01-01"):
        DistrictRegistry(
            [
                district("norr", dt.date(2010, 1, 1), dt.date(2020, 12, 31), "centrum"),
                district("centrum", dt.date(2010, 1, 1), dt.date(2020, 12, 31)),
            ]
        )


def test_a_successor_without_valid_to_raises_registry_error() -> None:
    """A district that still exists cannot have been taken over."""
    with pytest.raises(RegistryError, match="valid_to"):
        DistrictRegistry(
            [
                district("norr", dt.date(2010, 1, 1), None, "centrum"),
                district("centrum", dt.date(2021, 1, 1)),
            ]
        )


def test_a_district_that_is_its_own_successor_raises_registry_error() -> None:
    """A district cannot succeed itself."""
    with pytest.raises(RegistryError, match="'norr'") as info:
        district("norr", dt.date(2010, 1, 1), dt.date(2020, 12, 31), "norr")
    expected = (True, True)
    assert expected == (
        isinstance(info.value, ValueError),
        isinstance(info.value, SocforstError),
    )


def test_rows_with_an_unknown_successor_raise_registry_error() -> None:
    """A districts.csv whose history is inconsistent is refused when the registry is built."""
    rows = [
        {"code": "norr", "name": "Norr", "valid_from": "2010-01-01",
         "valid_to": "2020-12-31", "successor": "centrum"},
    ]  # fmt: skip
    with pytest.raises(RegistryError, match="'centrum'"):
        registry_from_rows(rows)


def test_updated_adds_a_district_and_leaves_stockholm_unchanged() -> None:
    """A districts.csv can add a client to the built-in registry, which stays immutable."""
    nacka = District(code="nacka", name="Nacka", valid_from=dt.date(2024, 1, 1))
    registry = socforst.stockholm().updated([nacka])
    actual = (
        registry.get("nacka"),
        len(registry),
        len(socforst.stockholm()),
        "nacka" in socforst.stockholm(),
        sorted(ELEVEN | {"nacka"}) == codes(registry.active_on(dt.date(2024, 5, 1))),
    )
    expected = (nacka, 19, 18, False, True)
    assert expected == actual


def test_updated_overrides_a_district_with_the_same_code() -> None:
    """A row for an existing code replaces the built-in district, keeping the count."""
    renamed = District(
        code="alvsjo",
        name="Älvsjö stadsdelsområde",
        valid_from=FIRST,
        valid_to=LAST_OF_14,
        successor="hagersten-alvsjo",
    )
    registry = socforst.stockholm().updated([renamed])
    actual = (
        registry.get("alvsjo").name,
        len(registry),
        registry.current("alvsjo", on=FIRST_OF_13).code,
        socforst.stockholm().get("alvsjo").name,
    )
    expected = ("Älvsjö stadsdelsområde", 18, "hagersten-alvsjo", "Älvsjö")
    assert expected == actual


def test_updated_refuses_an_override_that_breaks_the_history() -> None:
    """Moving Hägersten-Älvsjö's start leaves its predecessors without a successor on 2020-07-01."""
    moved = District(
        code="hagersten-alvsjo", name="Hägersten-Älvsjö", valid_from=dt.date(2021, 1, 1)
    )
    with pytest.raises(RegistryError, match="2020-07-01"):
        socforst.stockholm().updated([moved])


# --- Validation of District's fields --------------------------------------------------------


def test_valid_to_before_valid_from_raises_validation_error_naming_both() -> None:
    """The message names both fields and both dates in ISO form."""
    with pytest.raises(ValidationError) as info:
        District(
            code="norr", name="Norr", valid_from=dt.date(2020, 1, 1), valid_to=dt.date(2019, 12, 31)
        )
    message = str(info.value)
    actual = (
        info.value.field,
        "valid_to" in message,
        "valid_from" in message,
        "2019-12-31" in message,
        "2020-01-01" in message,
        isinstance(info.value, ValueError),
        isinstance(info.value, SocforstError),
    )
    expected = ("valid_to", True, True, True, True, True, True)
    assert expected == actual


def test_a_district_of_a_single_day_is_valid() -> None:
    """valid_to equal to valid_from is one day, not an error."""
    one_day = District(code="norr", name="Norr", valid_from=FIRST, valid_to=FIRST)
    expected = (True, False)
    assert expected == (
        one_day.is_active_on(FIRST),
        one_day.is_active_on(FIRST + dt.timedelta(1)),
    )


@pytest.mark.parametrize(
    "code", ["Älvsjö", "Bromma", "a b", "", "alvsjo-", "-alvsjo", "a--b", "a_b"]
)
def test_a_code_that_is_not_a_lower_case_ascii_slug_raises_validation_error(code: str) -> None:
    """Codes are ascii slugs; names are not codes."""
    with pytest.raises(ValidationError) as info:
        District(code=code, name="Norr", valid_from=FIRST)
    expected = "code"
    assert expected == info.value.field


def test_a_successor_that_is_a_name_raises_validation_error_naming_successor() -> None:
    """The successor column holds a code, not the district's name."""
    with pytest.raises(ValidationError) as info:
        District(
            code="alvsjo",
            name="Älvsjö",
            valid_from=FIRST,
            valid_to=LAST_OF_14,
            successor="Hägersten-Älvsjö",
        )
    expected = "successor"
    assert expected == info.value.field


def test_a_datetime_as_valid_from_raises_validation_error_naming_valid_from() -> None:
    """A datetime is not a date here: it would break comparisons far from the cause."""
    with pytest.raises(ValidationError) as info:
        District(code="norr", name="Norr", valid_from=dt.datetime(2020, 1, 1, 12, 0))
    expected = "valid_from"
    assert expected == info.value.field


def test_a_name_that_is_not_a_string_raises_validation_error_naming_name() -> None:
    """Every error socforst raises is a SocforstError; a bad name names the field."""
    not_a_string: Any = 42
    with pytest.raises(ValidationError) as info:
        District(code="norr", name=not_a_string, valid_from=FIRST)
    expected = "name"
    assert expected == info.value.field
