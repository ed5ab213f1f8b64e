"""The adapter contract of socforst.testing, run against the built-in adapters."""

from __future__ import annotations

from pathlib import Path

import socforst
from socforst.sources import Exporter, Source
from socforst.testing import AdapterContract, sample_dataset


class TestCsvFolder(AdapterContract):
    """The CSV folder adapter keeps the contract."""

    def make_source(self, location: str) -> Source | None:
        """A CSV source on the folder."""
        return socforst.open_source(f"csv:{location}")

    def make_exporter(self, location: str) -> Exporter | None:
        """A CSV exporter to the folder."""
        return socforst.open_exporter(f"csv:{location}")

    def write_bad_rows(self, location: str) -> int:
        """Two bad rows in members.csv and one in absences.csv: three errors."""
        folder = Path(location)
        folder.mkdir(parents=True)
        (folder / "members.csv").write_text(
            "member_id,team_id,employed_from,extent\n"
            "m1,t1,2016-01-04,1\n"
            "m2,t1,2016-02-30,1\n"  # February has no 30th
            "m3,t1,2016-01-04,1.5\n",  # extent above 1
            encoding="utf-8",
        )
        (folder / "absences.csv").write_text(
            "member_id,start,end\nm1,2025-07-31,2025-07-01\n",  # ends before it starts
            encoding="utf-8",
        )
        return 3


class TestJsonDocument(AdapterContract):
    """The JSON document adapter keeps the contract."""

    def location(self, tmp_path: Path) -> str:
        """One file."""
        return str(tmp_path / "data.json")

    def make_source(self, location: str) -> Source | None:
        """A JSON source on the file."""
        return socforst.open_source(f"json:{location}")

    def make_exporter(self, location: str) -> Exporter | None:
        """A JSON exporter to the file."""
        return socforst.open_exporter(f"json:{location}")

    def write_bad_rows(self, location: str) -> int:
        """One bad member and one bad report: two errors."""
        Path(location).write_text(
            '{"members": [{"member_id": "m1", "team_id": "t1", "employed_from": "x"}],'
            ' "reports": [{"report_id": "r1", "district": "nowhere-land-9",'
            ' "received_at": "2025-01-01"}]}',
            encoding="utf-8",
        )
        return 2


class TestXlsxWorkbook(AdapterContract):
    """The Excel adapter keeps the contract."""

    def location(self, tmp_path: Path) -> str:
        """One workbook."""
        return str(tmp_path / "data.xlsx")

    def make_source(self, location: str) -> Source | None:
        """An Excel source on the workbook."""
        return socforst.open_source(f"xlsx:{location}")

    def make_exporter(self, location: str) -> Exporter | None:
        """An Excel exporter to the workbook."""
        return socforst.open_exporter(f"xlsx:{location}")


class TestSqliteDatabase(AdapterContract):
    """The SQL adapter, on SQLite, keeps the contract (PostgreSQL: tests/test_sql.py)."""

    def location(self, tmp_path: Path) -> str:
        """One database file."""
        return str(tmp_path / "data.db")

    def make_source(self, location: str) -> Source | None:
        """An SQLite source on the file."""
        return socforst.open_source(f"sqlite:{location}")

    def make_exporter(self, location: str) -> Exporter | None:
        """An SQLite exporter to the file."""
        return socforst.open_exporter(f"sqlite:{location}")


def test_the_sample_dataset_has_a_record_in_every_table() -> None:
    """The contract's round trip touches every table."""
    counts = sample_dataset().counts()
    assert [] == [table for table, count in counts.items() if count == 0]
