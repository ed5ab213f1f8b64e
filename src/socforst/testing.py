"""Public helpers for testing code that uses socforst, and a contract for adapter authors.

- :func:`sample_dataset`: a small, fixed dataset with a record in every table,
  Swedish letters, and instants across a clock change.
- :class:`AdapterContract`: a pytest mix-in. A plugin author subclasses it in
  their tests, says how to make their source and exporter, and gets the tests
  every adapter must pass: a round trip, every bad row reported at once with
  its place, and a failed write that leaves the old data whole.

Example (in a plugin's test module)::

    from socforst.testing import AdapterContract

    class TestMyAdapter(AdapterContract):
        def make_source(self, location):
            return MySource(location)

        def make_exporter(self, location):
            return MyExporter(location)

        def location(self, tmp_path):
            return str(tmp_path / "data.my")
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from socforst.assignments import Assignment, Request
from socforst.cases import (
    Custody,
    Extension,
    Investigation,
    Placement,
    Report,
    Restriction,
    Review,
)
from socforst.dataset import Dataset
from socforst.districts import District
from socforst.errors import LoadError, RowError
from socforst.followup import Staffing, YearlyCost
from socforst.sources import Exporter, Source
from socforst.team import Absence, Team, TeamMember

__all__ = ["AdapterContract", "FailingDataset", "InjectedWriteError", "sample_dataset"]


def sample_dataset() -> Dataset:
    """A small dataset with a record in every table, the same on every call.

    It holds Swedish letters, a member with several competencies and one
    without a name, a report received at night across the 2025 spring clock
    change (given in UTC), and a district added to the built-in registry that
    another table names.
    """
    d = dt.date
    utc = dt.UTC
    return Dataset(
        districts=[District(code="nacka", name="Nacka kommun", valid_from=d(2024, 1, 1))],
        teams=[Team("t1", "Förstärkningsteam 1", d(2016, 1, 4))],
        members=[
            TeamMember(
                member_id="m1",
                team_id="t1",
                name="Åsa Öberg",
                employed_from=d(2016, 1, 4),
                extent=0.75,
                competencies=["investigation", "lvu"],
            ),
            TeamMember(member_id="m2", team_id="t1", employed_from=d(2021, 3, 1)),
        ],
        absences=[Absence("m1", d(2025, 7, 7), d(2025, 8, 1), "vacation")],
        requests=[
            Request(
                request_id="r1",
                district="jarva",
                received_on=d(2025, 1, 10),
                start=d(2025, 2, 3),
                end=d(2025, 5, 30),
                headcount=2,
                reason="turnover",
                task="investigation",
            )
        ],
        assignments=[
            Assignment(
                assignment_id="a1",
                member_id="m1",
                district="jarva",
                start=d(2025, 2, 3),
                end=d(2025, 5, 30),
                extent=0.5,
                task="investigation",
                request_id="r1",
                status="agreed",
            )
        ],
        staffing=[
            Staffing(district="jarva", on=d(2025, 1, 1), positions=60.0, vacancies=9.0),
            # A district the dataset itself adds: a source must know it from districts.
            Staffing(district="nacka", on=d(2025, 1, 1), consultants=2.0, turnover=0.25),
        ],
        costs=[YearlyCost(year=2025, team_cost_sek=8_400_000.0, consultant_rate_sek=950.0)],
        reports=[
            Report(
                report_id="rep1",
                district="skarholmen",
                received_at=dt.datetime(2025, 3, 30, 0, 30, tzinfo=utc),
                preassessment_decided_on=d(2025, 4, 10),
                preassessment_outcome="opened",
                exceptional_reason="Tolk saknades, ärendet försenat",
            )
        ],
        investigations=[
            Investigation(
                investigation_id="i1",
                district="skarholmen",
                opened_on=d(2025, 4, 10),
                report_id="rep1",
            )
        ],
        extensions=[
            Extension(investigation_id="i1", decided_on=d(2025, 8, 1), until=d(2025, 9, 30))
        ],
        placements=[
            Placement(
                placement_id="p1",
                district="farsta",
                basis="lvu_2",
                started_on=d(2024, 1, 10),
                care_decision_final_on=d(2024, 2, 20),
                family_home_from=d(2024, 1, 10),
            )
        ],
        reviews=[
            Review(placement_id="p1", reviewed_on=d(2024, 7, 1)),
            Review(placement_id="p1", reviewed_on=d(2024, 4, 2), topic="restrictions"),
        ],
        custodies=[Custody(custody_id="c1", district="farsta", decided_on=d(2024, 1, 8))],
        restrictions=[
            Restriction(
                restriction_id="x1",
                placement_id="p1",
                district="farsta",
                kind="contact",
                decided_on=d(2024, 1, 15),
            )
        ],
    )


class InjectedWriteError(RuntimeError):
    """Raised by :class:`FailingDataset` part-way through a write."""


class FailingDataset(Dataset):
    """A dataset whose :meth:`tables` fails after giving *fail_after* tables.

    An exporter that writes table by table through ``Dataset.tables()``
    meets the failure half-way, which is how the contract checks that a failed
    write leaves the old data whole.
    """

    fail_after = 3

    def tables(self) -> Iterator[tuple[str, tuple[Any, ...]]]:
        """The tables, until the failure."""
        for count, table in enumerate(super().tables()):
            if count == self.fail_after:
                raise InjectedWriteError(f"failing on purpose after {count} tables")
            yield table


class AdapterContract:
    """Tests every source and exporter must pass; subclass it as ``TestSomething``.

    Override :meth:`make_source`, :meth:`make_exporter` and :meth:`location`.
    An adapter that only reads returns ``None`` from :meth:`make_exporter` and
    overrides :meth:`write` to put a dataset where its source reads it; one that
    only writes returns ``None`` from :meth:`make_source`. Override
    :meth:`sample` if the format holds only some tables, and :meth:`write_bad_rows`
    to check error reporting.
    """

    def make_source(self, location: str) -> Source | None:
        """The source under test, reading from *location*."""
        raise NotImplementedError("override make_source")  # pragma: no cover

    def make_exporter(self, location: str) -> Exporter | None:
        """The exporter under test, writing to *location*."""
        raise NotImplementedError("override make_exporter")  # pragma: no cover

    def location(self, tmp_path: Path) -> str:
        """Where the data lives in one test: a file or folder under *tmp_path*."""
        return str(tmp_path / "data")

    def sample(self) -> Dataset:
        """The dataset the round trip uses: :func:`sample_dataset` by default."""
        return sample_dataset()

    def write(self, dataset: Dataset, location: str) -> None:
        """Put *dataset* at *location*: with the exporter by default."""
        exporter = self.make_exporter(location)
        assert exporter is not None, "an adapter without an exporter must override write()"
        exporter.write_dataset(dataset)

    def write_bad_rows(self, location: str) -> int:
        """Write data with bad rows at *location*; return how many errors a read must report.

        Return 0 (the default) to skip the error-reporting test.
        """
        return 0

    def test_a_dataset_survives_a_round_trip(self, tmp_path: Path) -> None:
        """What is written reads back equal."""
        location = self.location(tmp_path)
        source = self.make_source(location)
        if source is None:
            return
        expected = self.sample()
        self.write(expected, location)
        assert expected == source.read()

    def test_every_bad_row_is_reported_at_once_with_its_place(self, tmp_path: Path) -> None:
        """A bad load raises one LoadError whose RowErrors name source, table and row."""
        location = self.location(tmp_path)
        expected_count = self.write_bad_rows(location)
        source = self.make_source(location)
        if not expected_count or source is None:
            return
        import pytest  # a test dependency, imported only when the contract runs

        with pytest.raises(LoadError) as caught:
            source.read()
        assert expected_count == len(caught.value.exceptions)
        for problem in caught.value.exceptions:
            assert isinstance(problem, RowError)
            assert problem.source
            assert problem.table

    def test_a_failed_write_leaves_the_old_data_whole(self, tmp_path: Path) -> None:
        """An export that fails half-way changes nothing that a source can read."""
        location = self.location(tmp_path)
        exporter = self.make_exporter(location)
        source = self.make_source(location)
        if exporter is None or source is None:
            return
        old = self.sample()
        exporter.write_dataset(old)
        # Different data in every table, so that any table replaced is seen.
        failing = FailingDataset()
        import pytest  # a test dependency, imported only when the contract runs

        with pytest.raises(InjectedWriteError):
            exporter.write_dataset(failing)
        assert old == source.read()
