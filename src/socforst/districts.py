"""Districts (stadsdelsförvaltningar) and their history.

A municipality's districts change: Stockholm had 14 from 2007, 13 from
2020-07-01 and 11 from 2023-07-01. A :class:`DistrictRegistry` holds the whole
history, so that a record dated 2019 for Älvsjö stays valid and can be counted
under today's district, Hägersten-Älvsjö. Stockholm's registry is built in
(:func:`stockholm`); any other municipality's is built from data.
"""

from __future__ import annotations

import datetime as dt
import difflib
import enum
import functools
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, cast

import attrs

from socforst._validate import check_enum, check_str, to_enum
from socforst.dates import ONE_DAY, DateRange, check_date, check_end_not_before_start
from socforst.dates import check_optional_date as _check_optional_date
from socforst.errors import DistrictNotActiveError, RegistryError, UnknownDistrictError
from socforst.ids import check_code

__all__ = ["District", "DistrictKind", "DistrictRegistry", "stockholm"]


class DistrictKind(enum.StrEnum):
    """What kind of client of the team a district is."""

    DISTRICT = "district"
    """A district administration (stadsdelsförvaltning)."""
    CITYWIDE = "citywide"
    """A city-wide client such as the social emergency service (socialjouren)."""


def _to_district_kind(value: DistrictKind | str) -> DistrictKind:
    # Typed for callers; a value that is no member passes through for the validator.
    return cast(DistrictKind, to_enum(DistrictKind, value))


def _check_optional_successor(
    instance: District, attribute: attrs.Attribute[Any], value: Any
) -> None:
    if value is None:
        return
    check_code(instance, attribute, value)
    if value == instance.code:
        raise RegistryError(f"district {instance.code!r} cannot be its own successor")


def _check_valid_to(instance: District, attribute: attrs.Attribute[Any], value: Any) -> None:
    _check_optional_date(instance, attribute, value)
    check_end_not_before_start("valid_from", "valid_to", instance.valid_from, instance.valid_to)


@attrs.frozen(kw_only=True)
class District:
    """A district administration, or a city-wide client, over the time it existed.

    Args:
        code: A stable ascii slug (``hagersten-alvsjo``); it survives renames.
        name: The name users know (``Hägersten-Älvsjö``).
        valid_from: The first day the district existed.
        valid_to: The last day it existed, or ``None`` if it still does.
        successor: The code of the district that took over its area and cases
            on the day after *valid_to*, if any.
        kind: A district administration or a city-wide client (socialjouren).

    Raises:
        ValidationError: If a field has the wrong form or *valid_to* is before
            *valid_from*.
    """

    code: str = attrs.field(validator=check_code)
    name: str = attrs.field(validator=check_str)
    valid_from: dt.date = attrs.field(validator=check_date)
    valid_to: dt.date | None = attrs.field(default=None, validator=_check_valid_to)
    successor: str | None = attrs.field(default=None, validator=_check_optional_successor)
    kind: DistrictKind = attrs.field(
        default=DistrictKind.DISTRICT,
        converter=_to_district_kind,
        validator=check_enum(DistrictKind),
    )

    @property
    def validity(self) -> DateRange:
        """The days on which the district existed, as a range."""
        return DateRange(self.valid_from, self.valid_to)

    def is_active_on(self, day: dt.date) -> bool:
        """Whether the district existed on *day*."""
        return day in self.validity


def _as_districts(districts: Iterable[District]) -> tuple[District, ...]:
    return tuple(districts)


@attrs.frozen
class DistrictRegistry:
    """The districts of one municipality, with their whole history.

    The registry checks on construction that the history is consistent: codes
    are unique, every successor is known and exists on the day after its
    predecessor's last day. Because a successor always starts after its
    predecessor ends, a chain of successors can never loop.

    Args:
        districts: Every district that ever existed, in any order.

    Raises:
        RegistryError: If the history is not consistent.

    Example:
        >>> import datetime as dt
        >>> import socforst
        >>> registry = socforst.stockholm()
        >>> registry.get("alvsjo").name
        'Älvsjö'
        >>> len(registry.active_on(dt.date(2024, 5, 1)))
        11
        >>> registry.current("alvsjo", on=dt.date(2024, 1, 1)).name
        'Hägersten-Älvsjö'
    """

    districts: tuple[District, ...] = attrs.field(converter=_as_districts)
    _by_code: Mapping[str, District] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        by_code: dict[str, District] = {}
        for district in self.districts:
            if not isinstance(district, District):
                raise RegistryError(
                    f"a registry holds District objects, got {type(district).__name__}"
                )
            if district.code in by_code:
                raise RegistryError(f"district code {district.code!r} appears twice")
            by_code[district.code] = district
        for district in self.districts:
            _check_succession(district, by_code)
        object.__setattr__(self, "_by_code", by_code)

    def __len__(self) -> int:
        return len(self.districts)

    def __iter__(self) -> Iterator[District]:
        return iter(self.districts)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    @property
    def codes(self) -> tuple[str, ...]:
        """Every code in the registry, in the order given."""
        return tuple(self._by_code)

    def get(self, code: str) -> District:
        """The district with this code, whether or not it still exists.

        Raises:
            UnknownDistrictError: If no district has the code; the error lists
                close matches.
        """
        try:
            return self._by_code[code]
        except (KeyError, TypeError):
            raise UnknownDistrictError(str(code), self._close_matches(str(code))) from None

    def active_on(self, day: dt.date, *, include_citywide: bool = False) -> tuple[District, ...]:
        """The districts that existed on *day*, sorted by code.

        Args:
            day: The date asked about.
            include_citywide: Whether to include city-wide clients such as
                socialjouren, which are not district administrations.
        """
        return tuple(
            sorted(
                (
                    district
                    for district in self.districts
                    if district.is_active_on(day)
                    and (include_citywide or district.kind is DistrictKind.DISTRICT)
                ),
                key=lambda district: district.code,
            )
        )

    def current(self, code: str, *, on: dt.date) -> District:
        """The district that *code* stands for on a date, following successors.

        A code stands for its own district while that exists, and for its
        successor (and the successor's successor) after it.

        Args:
            code: Any code the registry has ever had.
            on: The date asked about.

        Raises:
            UnknownDistrictError: If the code is not in the registry.
            DistrictNotActiveError: If *on* is before the district existed, or
                after it was dissolved without a successor.
        """
        district = self.get(code)
        if on < district.valid_from:
            raise DistrictNotActiveError(
                code, on, f"it existed from {district.valid_from.isoformat()}"
            )
        while district.valid_to is not None and on > district.valid_to:
            if district.successor is None:
                raise DistrictNotActiveError(
                    code,
                    on,
                    f"{district.code!r} ended on {district.valid_to.isoformat()} "
                    "without a successor",
                )
            district = self._by_code[district.successor]
        return district

    def predecessors(self, code: str) -> tuple[District, ...]:
        """The districts whose successor is *code*, sorted by code.

        Raises:
            UnknownDistrictError: If the code is not in the registry.
        """
        self.get(code)
        return tuple(
            sorted(
                (district for district in self.districts if district.successor == code),
                key=lambda district: district.code,
            )
        )

    def updated(self, districts: Iterable[District]) -> DistrictRegistry:
        """A new registry with *districts* added, replacing any with the same code.

        This is how a ``districts.csv`` adds to or overrides the built-in registry.

        Raises:
            RegistryError: If the result is not a consistent history.
        """
        merged = dict(self._by_code)
        for district in districts:
            merged[district.code] = district
        return DistrictRegistry(merged.values())

    def _close_matches(self, code: str) -> list[str]:
        candidates = {d.code: d.code for d in self.districts}
        candidates.update({d.name.casefold(): d.code for d in self.districts})
        found = difflib.get_close_matches(code.casefold(), list(candidates), n=6, cutoff=0.6)
        matches: list[str] = []
        for key in found:
            if candidates[key] not in matches:
                matches.append(candidates[key])
        return matches[:3]


def _check_succession(district: District, by_code: Mapping[str, District]) -> None:
    if district.successor is None:
        return
    if district.valid_to is None:
        raise RegistryError(
            f"district {district.code!r} has a successor ({district.successor!r}) but no 'valid_to'"
        )
    successor = by_code.get(district.successor)
    if successor is None:
        raise RegistryError(
            f"district {district.code!r} names an unknown successor {district.successor!r}"
        )
    takeover = district.valid_to + ONE_DAY
    if not successor.is_active_on(takeover):
        raise RegistryError(
            f"successor {successor.code!r} of {district.code!r} does not exist on "
            f"{takeover.isoformat()}, the day after {district.code!r} ended"
        )


_FIRST = dt.date(2007, 1, 1)
_LAST_OF_14 = dt.date(2020, 6, 30)
_FIRST_OF_13 = dt.date(2020, 7, 1)
_LAST_OF_13 = dt.date(2023, 6, 30)
_FIRST_OF_11 = dt.date(2023, 7, 1)

# (code, name, valid_from, valid_to, successor); source: start.stockholm,
# "Stadsdelsförvaltningar" and "Områdesfakta"; the 2023 change by decision of
# the city council (kommunfullmäktige) 2023-04-24.
_STOCKHOLM: tuple[tuple[str, str, dt.date, dt.date | None, str | None], ...] = (
    ("bromma", "Bromma", _FIRST, None, None),
    ("enskede-arsta-vantor", "Enskede-Årsta-Vantör", _FIRST, None, None),
    ("farsta", "Farsta", _FIRST, None, None),
    ("hagersten-liljeholmen", "Hägersten-Liljeholmen", _FIRST, _LAST_OF_14, "hagersten-alvsjo"),
    ("hasselby-vallingby", "Hässelby-Vällingby", _FIRST, None, None),
    ("kungsholmen", "Kungsholmen", _FIRST, None, None),
    ("norrmalm", "Norrmalm", _FIRST, _LAST_OF_13, "norra-innerstaden"),
    ("rinkeby-kista", "Rinkeby-Kista", _FIRST, _LAST_OF_13, "jarva"),
    ("skarpnack", "Skarpnäck", _FIRST, None, None),
    ("skarholmen", "Skärholmen", _FIRST, None, None),
    ("spanga-tensta", "Spånga-Tensta", _FIRST, _LAST_OF_13, "jarva"),
    ("sodermalm", "Södermalm", _FIRST, None, None),
    ("alvsjo", "Älvsjö", _FIRST, _LAST_OF_14, "hagersten-alvsjo"),
    ("ostermalm", "Östermalm", _FIRST, _LAST_OF_13, "norra-innerstaden"),
    ("hagersten-alvsjo", "Hägersten-Älvsjö", _FIRST_OF_13, None, None),
    ("jarva", "Järva", _FIRST_OF_11, None, None),
    ("norra-innerstaden", "Norra innerstaden", _FIRST_OF_11, None, None),
)


@functools.cache
def stockholm() -> DistrictRegistry:
    """Stockholm's districts from 2007, with the 2020 and 2023 reorganisations.

    - 2007-01-01 to 2020-06-30: 14 district administrations.
    - From 2020-07-01: Hägersten-Liljeholmen and Älvsjö became Hägersten-Älvsjö (13).
    - From 2023-07-01: Rinkeby-Kista and Spånga-Tensta became Järva, Norrmalm and
      Östermalm became Norra innerstaden (11).

    The city-wide social emergency service, ``socialjouren``, is included as a
    client of kind :attr:`DistrictKind.CITYWIDE`; its start is set to
    2007-01-01, the start of the registry, because it predates the history held here.

    Returns:
        The built-in registry; it is immutable, so one shared instance is returned.

    References:
        - start.stockholm, "Stadsdelsförvaltningar" and "Områdesfakta".
        - Stockholms stad, kommunfullmäktige 2023-04-24 (Järva, Norra innerstaden).

    Example:
        >>> import datetime as dt
        >>> import socforst
        >>> [d.code for d in socforst.stockholm().active_on(dt.date(2021, 5, 1))][:5]
        ['bromma', 'enskede-arsta-vantor', 'farsta', 'hagersten-alvsjo', 'hasselby-vallingby']
    """
    districts = [
        District(code=code, name=name, valid_from=start, valid_to=end, successor=successor)
        for code, name, start, end, successor in _STOCKHOLM
    ]
    districts.append(
        District(
            code="socialjouren",
            name="Socialjouren",
            valid_from=_FIRST,
            kind=DistrictKind.CITYWIDE,
        )
    )
    return DistrictRegistry(districts)
