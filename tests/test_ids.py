"""Opaque ids, and the refusal of Swedish personal identity numbers (personnummer).

The check digits in the table below were worked out by hand with the Luhn
algorithm as Skatteverket describes it (SKV 704): weights 2, 1, 2, 1, ... from
the left over the nine digits YYMMDDNNN, the digits of each product summed, and
the check digit the one that makes the total a multiple of 10. A second Luhn
implementation, written differently (from the right, subtracting 9), backs the
properties.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import socforst
from socforst import (
    Absence,
    Assignment,
    InvalidIdError,
    PersonalIdentityNumberError,
    SocforstError,
    TeamMember,
    ValidationError,
)
from socforst.ids import is_personal_identity_number, validate_id

ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-"
PIN = "811218-9876"


def luhn_check_digit(nine: str) -> int:
    """The check digit for nine digits: a second Luhn implementation, from the right.

    Counted from the right, the rightmost of the nine digits is doubled, then every
    other one; a doubled digit above 9 loses 9 (the same as summing its two digits).
    """
    total = 0
    for index, char in enumerate(reversed(nine)):
        value = int(char)
        if index % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return (10 - total % 10) % 10


def is_pin_by_hand(text: str) -> bool:
    """The reference: 10 or 12 ascii digits, an optional '-' or '+' before the last four.

    A 12-digit form starts with a century 18, 19 or 20; the month is 01-12; the day is
    01-31, or 61-91 for a coordination number (samordningsnummer, day + 60); the last
    digit is the Luhn check digit of YYMMDDNNN.
    """
    digits = text
    if len(text) in (11, 13) and text[-5] in "-+":
        digits = text[:-5] + text[-4:]
    if len(digits) not in (10, 12) or not all(char in "0123456789" for char in digits):
        return False
    if len(digits) == 12:
        if digits[:2] not in ("18", "19", "20"):
            return False
        digits = digits[2:]
    month, day = int(digits[2:4]), int(digits[4:6])
    if not 1 <= month <= 12 or not (1 <= day <= 31 or 61 <= day <= 91):
        return False
    return luhn_check_digit(digits[:9]) == int(digits[9])


def forms_of(number: str) -> set[str]:
    """The ways a number could be repeated in a message: as given, digits only, 10 digits dashed."""
    digits = "".join(char for char in number if char.isdigit())
    ten = digits[-10:]
    return {number, digits, ten, f"{ten[:6]}-{ten[6:]}", f"{ten[:6]}+{ten[6:]}"}


# --- is_personal_identity_number: hand-worked cases -----------------------------------------

CASES = [
    # 8 1 1 2 1 8 9 8 7 x 2 1 2 1 2 1 2 1 2 = 16 1 2 2 2 8 18 8 14;
    # digit sums 7+1+2+2+2+8+9+8+5 = 44; check 6 makes 50.
    pytest.param("811218-9876", True, id="10-digits-dash"),
    # The same digits; '+' is the separator from the year a person turns 100.
    pytest.param("811218+9876", True, id="10-digits-plus"),
    # The same digits without a separator: 44 + 6 = 50.
    pytest.param("8112189876", True, id="10-digits-no-separator"),
    # The century is not part of the check: YYMMDDNNN is 811218987 again, 44 + 6 = 50.
    pytest.param("19811218-9876", True, id="12-digits-dash"),
    pytest.param("198112189876", True, id="12-digits-no-separator"),
    # 6 4 0 8 2 3 3 2 3 -> 12 4 0 8 4 3 6 2 6; 3+4+0+8+4+3+6+2+6 = 36; check 4 makes 40.
    pytest.param("640823-3234", True, id="skatteverket-example"),
    # 1 2 1 2 1 2 1 2 1 -> 2 2 2 2 2 2 2 2 2 = 18; check 2 makes 20.
    pytest.param("121212-1212", True, id="121212-1212"),
    # Samordningsnummer, day 18 + 60 = 78: 8 1 1 2 7 8 9 8 7 -> 16 1 2 2 14 8 18 8 14;
    # 7+1+2+2+5+8+9+8+5 = 47; check 3 makes 50.
    pytest.param("811278-9873", True, id="samordningsnummer-day-78"),
    pytest.param("19811278-9873", True, id="samordningsnummer-12-digits"),
    # Samordningsnummer, day 31 + 60 = 91: 8 1 1 2 9 1 9 8 7 -> 16 1 2 2 18 1 18 8 14;
    # 7+1+2+2+9+1+9+8+5 = 44; check 6 makes 50.
    pytest.param("811291-9876", True, id="samordningsnummer-day-91"),
    # Wrong check digit: 44 + 5 = 49, not a multiple of 10.
    pytest.param("811218-9875", False, id="wrong-check-digit"),
    # 12-digit form with the wrong check digit: 44 + 5 = 49.
    pytest.param("19811218-9875", False, id="12-digits-wrong-check-digit"),
    # Month 13: 8 1 1 3 1 8 9 8 7 -> 7+1+2+3+2+8+9+8+5 = 45; check 5 makes 50, Luhn holds,
    # but there is no 13th month.
    pytest.param("811318-9875", False, id="month-13"),
    # Month 00: 8 1 0 0 1 8 9 8 7 -> 7+1+0+0+2+8+9+8+5 = 40; check 0 makes 40, no month 0.
    pytest.param("810018-9870", False, id="month-00"),
    # Day 00: 8 1 1 2 0 0 9 8 7 -> 7+1+2+2+0+0+9+8+5 = 34; check 6 makes 40, no day 0.
    pytest.param("811200-9876", False, id="day-00"),
    # Day 32: 8 1 1 2 3 2 9 8 7 -> 7+1+2+2+6+2+9+8+5 = 42; check 8 makes 50, no day 32.
    pytest.param("811232-9878", False, id="day-32"),
    # Day 60 (0 + 60): 8 1 1 2 6 0 9 8 7 -> 7+1+2+2+3+0+9+8+5 = 37; check 3 makes 40.
    pytest.param("811260-9873", False, id="samordningsnummer-day-60"),
    # Day 92 (32 + 60): 8 1 1 2 9 2 9 8 7 -> 7+1+2+2+9+2+9+8+5 = 45; check 5 makes 50.
    pytest.param("811292-9875", False, id="samordningsnummer-day-92"),
    # 11 digits: neither 10 nor 12.
    pytest.param("81121898760", False, id="11-digits"),
    pytest.param("811218-98760", False, id="11-digits-dash"),
    # 9 digits.
    pytest.param("811218-987", False, id="9-digits"),
    # A letter where a digit belongs.
    pytest.param("81121A-9876", False, id="letter-in-date"),
    pytest.param("811218-987X", False, id="letter-as-check-digit"),
    # Two separators.
    pytest.param("811218--9876", False, id="two-separators"),
    # Century 21: no one alive was born in 2181; 811218-9876 would otherwise pass.
    pytest.param("21811218-9876", False, id="century-21"),
    pytest.param("", False, id="empty"),
]


@pytest.mark.parametrize(("value", "expected"), CASES)
def test_is_personal_identity_number_on_hand_worked_cases(value: str, expected: bool) -> None:
    """Each case's answer follows from the Luhn sum written beside it and the date rules."""
    assert expected == is_personal_identity_number(value)


def test_811218_9876_is_a_personal_identity_number() -> None:
    """The docs' example: the Luhn total of 811218-9876 is 50."""
    assert True is is_personal_identity_number("811218-9876")


@pytest.mark.parametrize(("value", "expected"), CASES)
def test_the_reference_implementation_agrees_with_the_hand_worked_cases(
    value: str, expected: bool
) -> None:
    """The second implementation used by the properties is itself right on the table."""
    assert expected == is_pin_by_hand(value)


@st.composite
def plausible_numbers(draw: st.DrawFn) -> tuple[str, str]:
    """A number written with a possible month and day, and any serial and check digit.

    The month is 01-12, the day 01-31 or 61-91 (coordination number). The number is
    written with '-', '+' or no separator, sometimes in the 12-digit form with a
    century 18, 19 or 20. Returns the number as written and its ten digits YYMMDDNNNC.
    """
    year = draw(st.integers(0, 99))
    month = draw(st.integers(1, 12))
    day = draw(st.integers(1, 31)) + draw(st.sampled_from([0, 60]))
    serial = draw(st.integers(0, 999))
    check = draw(st.integers(0, 9))
    ten = f"{year:02d}{month:02d}{day:02d}{serial:03d}{check}"
    century = draw(st.sampled_from(["", "18", "19", "20"]))
    separator = draw(st.sampled_from(["", "-", "+"]))
    return f"{century}{ten[:6]}{separator}{ten[6:]}", ten


@given(number=plausible_numbers())
def test_is_personal_identity_number_agrees_with_a_second_luhn_implementation(
    number: tuple[str, str],
) -> None:
    """Proves that for a possible date the answer is exactly whether the Luhn check digit fits."""
    written, ten = number
    expected = luhn_check_digit(ten[:9]) == int(ten[9])
    assert expected == is_personal_identity_number(written)


@given(number=plausible_numbers())
def test_exactly_one_check_digit_completes_nine_digits_with_a_possible_date(
    number: tuple[str, str],
) -> None:
    """Proves that of the ten possible last digits exactly one, the Luhn one, is accepted."""
    _, ten = number
    accepted = [
        check
        for check in "0123456789"
        if is_personal_identity_number(f"{ten[:6]}-{ten[6:9]}{check}")
    ]
    expected = [str(luhn_check_digit(ten[:9]))]
    assert expected == accepted


@given(
    year=st.integers(0, 99),
    month_and_day=st.one_of(
        st.tuples(st.sampled_from([0, *range(13, 100)]), st.integers(1, 31)),
        st.tuples(st.integers(1, 12), st.sampled_from([0, *range(32, 61), *range(92, 100)])),
    ),
    serial=st.integers(0, 999),
)
def test_a_month_or_day_that_cannot_exist_is_never_a_personal_identity_number(
    year: int, month_and_day: tuple[int, int], serial: int
) -> None:
    """Proves that an impossible month or day is refused even with the right Luhn check digit."""
    month, day = month_and_day
    nine = f"{year:02d}{month:02d}{day:02d}{serial:03d}"
    assert False is is_personal_identity_number(f"{nine[:6]}-{nine[6:]}{luhn_check_digit(nine)}")


# --- validate_id ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "m1",
        "a",
        "A" * 64,
        "Z.z_0-9",
        "member-001",
        "..",
        "team_2.member-3",
        # Luhn total 49: not a personal identity number, so an ordinary id.
        "811218-9875",
    ],
)
def test_validate_id_returns_a_well_formed_id_unchanged(value: str) -> None:
    """1-64 characters from A-Z a-z 0-9 . _ - are an id."""
    assert value == validate_id("member_id", value)


@pytest.mark.parametrize(
    "value",
    [
        pytest.param("", id="empty"),
        pytest.param("a" * 65, id="65-characters"),
        pytest.param("m 1", id="space"),
        pytest.param("åsa", id="a-ring"),
        pytest.param("m1\n", id="trailing-newline"),
        pytest.param("m/1", id="slash"),
        pytest.param("m+1", id="plus"),
    ],
)
def test_validate_id_refuses_a_malformed_string_with_invalid_id_error_naming_the_field(
    value: str,
) -> None:
    """The error is an InvalidIdError, ValidationError, ValueError and SocforstError."""
    with pytest.raises(InvalidIdError) as info:
        validate_id("member_id", value)
    error = info.value
    actual = (
        error.field,
        str(error).startswith("'member_id'"),
        isinstance(error, ValidationError),
        isinstance(error, ValueError),
        isinstance(error, SocforstError),
        isinstance(error, PersonalIdentityNumberError),
    )
    expected = ("member_id", True, True, True, True, False)
    assert expected == actual


@pytest.mark.parametrize(
    "value",
    [None, 42, 8112189876, b"m1", ["m1"], 1.5],
    ids=["none", "int", "int-pin", "bytes", "list", "float"],
)
def test_validate_id_refuses_a_non_string_with_invalid_id_error_naming_the_field(
    value: object,
) -> None:
    """Ids are strings; anything else is refused with the field's name."""
    with pytest.raises(InvalidIdError) as info:
        validate_id("member_id", value)
    expected = ("member_id", False)
    assert expected == (info.value.field, "8112189876" in str(info.value))


def test_a_malformed_id_is_described_but_not_repeated() -> None:
    """A name typed as an id is personal data: the message must not contain it."""
    with pytest.raises(InvalidIdError) as info:
        validate_id("member_id", "Anna Andersson")
    expected = (False, False)
    assert expected == ("Anna" in str(info.value), "Andersson" in str(info.value))


@given(
    value=st.one_of(
        st.text(alphabet=ID_ALPHABET, min_size=0, max_size=70),
        st.text(max_size=70),
        plausible_numbers().map(lambda number: number[0]),
    )
)
def test_validate_id_accepts_exactly_the_well_formed_ids_that_are_not_personal_numbers(
    value: str,
) -> None:
    """Proves validate_id returns an id unchanged iff it is 1-64 allowed chars and no personnummer.

    Personal identity numbers (by the reference) are refused with PersonalIdentityNumberError,
    any other malformed string with InvalidIdError.
    """
    well_formed = 1 <= len(value) <= 64 and all(char in ID_ALPHABET for char in value)
    if is_pin_by_hand(value):
        with pytest.raises(PersonalIdentityNumberError):
            validate_id("member_id", value)
    elif well_formed:
        assert value == validate_id("member_id", value)
    else:
        with pytest.raises(InvalidIdError):
            validate_id("member_id", value)


PIN_FORMS = [
    "811218-9876",
    "811218+9876",
    "8112189876",
    "19811218-9876",
    "198112189876",
    "811278-9873",
    "640823-3234",
]


@pytest.mark.parametrize("number", PIN_FORMS)
def test_validate_id_refuses_a_personal_identity_number_without_repeating_it(number: str) -> None:
    """The error points to pseudonyms and contains no form of the number, in str nor repr."""
    with pytest.raises(PersonalIdentityNumberError) as info:
        validate_id("member_id", number)
    error = info.value
    shown = str(error) + repr(error)
    actual = (
        error.field,
        "pseudonym" in str(error),
        sorted(form for form in forms_of(number) if form in shown),
    )
    expected: tuple[str, bool, list[str]] = ("member_id", True, [])
    assert expected == actual


def test_personal_identity_number_error_is_an_invalid_id_error_and_a_value_error() -> None:
    """Callers catching InvalidIdError, ValidationError or ValueError also catch it."""
    with pytest.raises(PersonalIdentityNumberError) as info:
        validate_id("member_id", PIN)
    error = info.value
    actual = (
        isinstance(error, InvalidIdError),
        isinstance(error, ValidationError),
        isinstance(error, ValueError),
        isinstance(error, SocforstError),
    )
    expected = (True, True, True, True)
    assert expected == actual


def personal_identity_numbers() -> st.SearchStrategy[str]:
    """Valid personal or coordination numbers in any written form.

    A plausible number whose last digit is replaced by the Luhn check digit of the
    second implementation.
    """

    def with_check_digit(number: tuple[str, str]) -> str:
        written, ten = number
        return written[:-1] + str(luhn_check_digit(ten[:9]))

    return plausible_numbers().map(with_check_digit)


@given(number=personal_identity_numbers())
def test_no_personal_identity_number_is_ever_repeated_in_the_error(number: str) -> None:
    """Proves every valid personnummer is refused, no form of it in str or repr of the error."""
    with pytest.raises(PersonalIdentityNumberError) as info:
        validate_id("member_id", number)
    shown = str(info.value) + repr(info.value)
    expected: list[str] = []
    assert expected == sorted(form for form in forms_of(number) if form in shown)


# --- The models refuse personnummer as ids --------------------------------------------------


def _refusal(build: Any) -> PersonalIdentityNumberError:
    """The PersonalIdentityNumberError raised by calling *build*."""
    with pytest.raises(PersonalIdentityNumberError) as info:
        build()
    return info.value


@pytest.mark.parametrize("number", PIN_FORMS)
def test_team_member_refuses_a_personal_identity_number_as_member_id(number: str) -> None:
    """A member's id must be a pseudonym, never the personnummer itself."""
    error = _refusal(
        lambda: TeamMember(member_id=number, team_id="t1", employed_from=dt.date(2016, 1, 4))
    )
    shown = str(error) + repr(error)
    expected: tuple[str, list[str]] = ("member_id", [])
    assert expected == (error.field, sorted(f for f in forms_of(number) if f in shown))


def test_assignment_refuses_a_personal_identity_number_as_member_id() -> None:
    """An assignment names its member by pseudonym too."""
    error = _refusal(
        lambda: Assignment(
            assignment_id="a1",
            member_id=PIN,
            district="farsta",
            start=dt.date(2025, 3, 3),
            end=dt.date(2025, 3, 23),
        )
    )
    shown = str(error) + repr(error)
    expected: tuple[str, list[str]] = ("member_id", [])
    assert expected == (error.field, sorted(f for f in forms_of(PIN) if f in shown))


def test_absence_refuses_a_personal_identity_number_as_member_id() -> None:
    """An absence (frånvaro) is about a person: its member id cannot be a personnummer."""
    error = _refusal(lambda: Absence(PIN, dt.date(2025, 7, 7), dt.date(2025, 8, 1), "vacation"))
    shown = str(error) + repr(error)
    expected: tuple[str, list[str]] = ("member_id", [])
    assert expected == (error.field, sorted(f for f in forms_of(PIN) if f in shown))


def test_team_refuses_a_personal_identity_number_as_team_id() -> None:
    """Every id field refuses a personnummer, not only member ids."""
    error = _refusal(lambda: socforst.Team(team_id="19811218-9876", name="Förstärkningsteam 1"))
    shown = str(error) + repr(error)
    expected: tuple[str, list[str]] = ("team_id", [])
    assert expected == (
        error.field,
        sorted(f for f in forms_of("19811218-9876") if f in shown),
    )


@pytest.mark.parametrize("name", ["Anna Andersson", "Åsa Öberg"])
def test_a_team_members_name_never_appears_in_its_repr(name: str) -> None:
    """The name is personal data and is kept out of the repr, word by word."""
    member = TeamMember(member_id="m1", team_id="t1", name=name, employed_from=dt.date(2016, 1, 4))
    shown = repr(member)
    expected: tuple[bool, list[str]] = (True, [])
    assert expected == ("m1" in shown, [word for word in name.split() if word in shown])


def test_a_team_members_name_never_appears_in_an_error_about_another_field() -> None:
    """A member refused for a bad extent is described without the name."""
    with pytest.raises(ValidationError) as info:
        TeamMember(
            member_id="m1",
            team_id="t1",
            name="Anna Andersson",
            employed_from=dt.date(2016, 1, 4),
            extent=1.5,
        )
    expected = ("extent", False)
    assert expected == (info.value.field, "Anna" in str(info.value))


def test_a_team_members_name_of_the_wrong_type_is_refused_without_repeating_it() -> None:
    """The name is never in an error message, even when it has the wrong type."""
    wrong_type: Any = b"Anna Andersson"
    with pytest.raises(ValidationError) as info:
        TeamMember(member_id="m1", team_id="t1", name=wrong_type, employed_from=dt.date(2016, 1, 4))
    expected = ("name", False)
    assert expected == (info.value.field, "Anna" in str(info.value))
