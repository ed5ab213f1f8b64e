"""The fast way of reading a CSV folder: what the row-by-row way reads, or nothing at all.

:func:`socforst.sources.fastcsv.read_fast` reads the case tables on columns;
:meth:`CsvSource.read <socforst.sources.csv.CsvSource.read>` tries it first and
reads row by row when it declines. The row-by-row way alone (the fast way
switched off) is the oracle of every test here: the fast way gives an equal
dataset with the same ``columns``, or ``None``; and a folder with a problem is
reported exactly as the row-by-row way alone reports it (the same message, the
same rows and columns, the same warnings).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any
from unittest import mock

import attrs
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import socforst
from socforst import Dataset, LoadError
from socforst.cases import STOCKHOLM
from socforst.dataset import TABLES
from socforst.demo import demo_dataset
from socforst.sources import fastcsv
from socforst.sources.cells import FORMULA_STARTS, text_columns
from socforst.sources.csv import CsvSource
from tests.test_sources import datasets

CASE_TABLES = (
    "reports",
    "investigations",
    "extensions",
    "placements",
    "reviews",
    "custodies",
    "restrictions",
)

Outcome = tuple[str, Any, list[str]]
"""What a read gives: the kind (``dataset`` or ``error``), what it holds, the warnings."""

SLOW = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


# ---------------------------------------------------------------- helpers


def slow_read(folder: Path, **options: Any) -> Dataset:
    """The row-by-row way alone: the fast way switched off."""
    with mock.patch.object(fastcsv, "read_fast", return_value=None):
        return CsvSource(folder, **options).read()


def fast_read(folder: Path, **options: Any) -> Dataset | None:
    """The fast way alone; it never warns (a warning fails the test)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        return fastcsv.read_fast(CsvSource(folder, **options))


def outcome(read: Callable[[], Dataset]) -> Outcome:
    """What *read* gives (records and columns, or the error's messages) and the warnings."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            data = read()
        except LoadError as error:
            said: Any = [str(error), *(str(e) for e in error.exceptions)]
            kind = "error"
        else:
            said = ([tuple(records) for _, records in data.tables()], dict(data.columns))
            kind = "dataset"
    return kind, said, [f"{w.category.__name__}: {w.message}" for w in caught]


def assert_same(expected: Dataset, actual: Dataset) -> None:
    """The same records in every table, and the same columns known."""
    for name, records in expected.tables():
        assert records == tuple(getattr(actual, name)), name
    assert dict(expected.columns) == dict(actual.columns)


def assert_fast_and_same(folder: Path, **options: Any) -> Dataset:
    """The fast way reads *folder*, and reads what the row-by-row way reads."""
    fast = fast_read(folder, **options)
    assert fast is not None
    assert_same(slow_read(folder, **options), fast)
    return fast


def assert_declined_and_reported_alike(folder: Path, **options: Any) -> Outcome:
    """The fast way declines *folder*; a read says what the row-by-row way alone says."""
    assert fast_read(folder, **options) is None
    expected = outcome(lambda: slow_read(folder, **options))
    assert expected == outcome(lambda: CsvSource(folder, **options).read())
    return expected


def export(data: Dataset, folder: Path) -> Path:
    """*data* written as a CSV folder by socforst's own exporter."""
    socforst.open_exporter(f"csv:{folder}").write_dataset(data)
    return folder


def rewrite(file: Path, change: Callable[[list[list[str]]], None]) -> None:
    """Read a CSV file's rows (the header first), let *change* change them, write them back."""
    with file.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    change(rows)
    with file.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def neutralised(data: Dataset) -> bool:
    """Whether the exporter wrote a case-side text cell with a leading ``'`` (a formula start)."""
    for table in CASE_TABLES:
        texts = text_columns(TABLES[table])
        for record in data.table(table):
            for name in texts:
                value = getattr(record, name)
                if isinstance(value, str) and value.lstrip("'")[:1] in FORMULA_STARTS:
                    return True
    return False


REPORTS = (
    "report_id,district,received_at,counts_as_received_on,protection_assessed_at,"
    "preassessment_decided_on,preassessment_outcome,exceptional_reason,member_id\n"
)


def folder_with(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    """A folder holding *files* (name without ``.csv``: text written as UTF-8, or bytes)."""
    for name, content in files.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        (tmp_path / f"{name}.csv").write_bytes(data)
    return tmp_path


# ---------------------------------------------------------------- the demo city


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo city's two first years (2016-2017), exported as a CSV folder."""
    folder = tmp_path_factory.mktemp("demo")
    return export(demo_dataset(end=dt.date(2017, 12, 31)), folder)


def test_the_demo_city_of_two_years_is_read_the_fast_way_and_equals_the_row_by_row_read(
    demo_folder: Path,
) -> None:
    """About 49,000 reports, every team table and every case table: read on columns, equal."""
    fast = assert_fast_and_same(demo_folder)
    read = CsvSource(demo_folder).read()
    assert all(read.is_arrow(table) for table in CASE_TABLES)
    assert 48_000 < read.arrow("reports").num_rows == len(fast.reports)


# ---------------------------------------------------------------- random datasets


@SLOW
@given(data=datasets(), own_districts=st.booleans())
def test_a_random_dataset_exported_is_read_the_fast_way_as_the_row_by_row_way_reads_it(
    data: Dataset, own_districts: bool
) -> None:
    """Every table of random valid data: the fast way reads it, equal, unless it must decline.

    It declines a dataset with districts of its own (a registry of its own) and
    one whose export neutralised a case-side text as a formula (``'-r1``).
    """
    if not own_districts:
        data = attrs.evolve(data, districts=())  # no other table names the added ones
    with tempfile.TemporaryDirectory() as tmp:
        folder = export(data, Path(tmp))
        fast = fast_read(folder)
        slow = slow_read(folder)
        if not data.districts and not neutralised(data):
            assert fast is not None
        if fast is not None:
            assert_same(slow, fast)
            assert_same(slow, CsvSource(folder).read())


# ---------------------------------------------------------------- instants


@st.composite
def instants(draw: st.DrawFn) -> str:
    """An instant as an extract writes it, often in an hour when Stockholm's clock changes."""
    year = draw(st.integers(1953, 2100))
    changes = fastcsv._changes(year)
    near = draw(st.booleans())
    if changes and near:
        at, _, _ = draw(st.sampled_from(changes))
        moment = dt.datetime(1970, 1, 1) + dt.timedelta(seconds=at)
        moment += dt.timedelta(minutes=draw(st.integers(-240, 240)))
    else:
        moment = dt.datetime(year, 1, 1) + dt.timedelta(minutes=draw(st.integers(0, 525_000)))
    moment = moment.replace(year=min(max(moment.year, 1953), 2100))
    moment += dt.timedelta(microseconds=draw(st.sampled_from([0, 0, 1, 123_000, 999_999])))
    spelling = draw(st.sampled_from(["date", "minutes", "seconds", "milli", "micro"]))
    text = {
        "date": moment.date().isoformat(),
        "minutes": moment.isoformat(timespec="minutes"),
        "seconds": moment.isoformat(timespec="seconds"),
        "milli": moment.isoformat(timespec="milliseconds"),
        "micro": moment.isoformat(timespec="microseconds"),
    }[spelling]
    if spelling != "date":
        text = text.replace("T", draw(st.sampled_from("T ")))
        zone = draw(
            st.sampled_from(["", "", "Z", "+01:00", "+02:00", "-05:00", "+05:45", "-00:00"])
        )
        text += zone
    return text


@SLOW
@given(st.lists(instants(), min_size=1, max_size=40))
def test_instants_in_any_spelling_read_are_the_row_by_row_ways_instants(texts: list[str]) -> None:
    """Naive (Stockholm wall time, clock changes included), Z, offsets, dates: the same instants."""
    with tempfile.TemporaryDirectory() as tmp:
        rows = "".join(f"r{i},farsta,{text},,{text},,,,\n" for i, text in enumerate(texts))
        folder = folder_with(Path(tmp), {"reports": REPORTS + rows})
        assume(outcome(lambda: slow_read(folder))[0] == "dataset")  # a year at the edges
        fast = assert_fast_and_same(folder)
        expected = [report.received_at for report in slow_read(folder).reports]
        assert expected == [report.received_at for report in fast.reports]
        assert all(report.received_at.tzinfo is STOCKHOLM for report in fast.reports)


@pytest.mark.parametrize(
    ("wall", "instant"),
    [
        ("2025-03-30T02:30", "2025-03-30T01:30:00+00:00"),  # skipped in spring: 03:30 CEST
        ("2025-10-26T02:30", "2025-10-26T00:30:00+00:00"),  # twice in autumn: the earlier
        ("2025-10-26T03:00", "2025-10-26T02:00:00+00:00"),
        ("1985-09-29T02:30", "1985-09-29T00:30:00+00:00"),  # summer time ended in September
        ("1960-07-01T12:00", "1960-07-01T11:00:00+00:00"),  # no summer time 1950-1979
    ],
)
def test_a_naive_time_at_a_clock_change_is_read_as_the_row_by_row_way_reads_it(
    tmp_path: Path, wall: str, instant: str
) -> None:
    """Worked by hand from Stockholm's rules; the row-by-row way agrees."""
    folder = folder_with(tmp_path, {"reports": REPORTS + f"r1,farsta,{wall},,,,,,\n"})
    fast = assert_fast_and_same(folder)
    # Compared as instants: Python never finds a time in the autumn fold equal across zones.
    assert dt.datetime.fromisoformat(instant).timestamp() == fast.reports[0].received_at.timestamp()


# ---------------------------------------------------------------- plain files, written otherwise


PLAIN: dict[str, tuple[dict[str, str | bytes], dict[str, Any]]] = {
    "cells padded with blanks (stripped, free text kept)": (
        {"reports": REPORTS + " r1 ,\tfarsta , 2025-01-02T09:00 ,,,2025-01-03,opened, padded ,\n"},
        {},
    ),
    "a no-break space around a code": (
        {"reports": REPORTS + "r1,\u00a0farsta\u00a0,2025-01-02T09:00,,,,,,\n"},
        {},
    ),
    "quoted cells with the delimiter, a line break and a doubled quote": (
        {"reports": REPORTS + 'r1,farsta,2025-01-02,,,,,"tolk, ""akut""\nsaknades",\n'},
        {},
    ),
    "Windows line ends and a byte-order mark": (
        {"reports": "\ufeff" + (REPORTS + "r1,farsta,2025-01-02,,,,,,\n").replace("\n", "\r\n")},
        {},
    ),
    "semicolons": (
        {"reports": (REPORTS + "r1,farsta,2025-01-02,,,,,skäl,\n").replace(",", ";")},
        {"delimiter": ";"},
    ),
    "Windows-1252": (
        {"reports": (REPORTS + "r1,farsta,2025-01-02,,,,,synnerliga skäl,\n").encode("cp1252")},
        {"encoding": "cp1252"},
    ),
    "columns in another order, some absent": (
        {"investigations": "opened_on,district,investigation_id\n2025-01-02,farsta,i1\n"},
        {},
    ),
    "header-only tables and a header-only districts.csv": (
        {
            "districts": "code,name,valid_from\n",
            "reports": REPORTS,
            "reviews": "placement_id,reviewed_on\n",
        },
        {},
    ),
    "a review without a topic column is of the care": (
        {
            "placements": "placement_id,district,basis,started_on\np1,farsta,lvu_3,2025-01-02\n",
            "reviews": "placement_id,reviewed_on\np1,2025-06-02\n",
        },
        {},
    ),
    "an assessment after the report in time (01:15Z), earlier on the clock (02:15)": (
        {"reports": REPORTS + "r1,farsta,2025-10-26T02:45+02:00,,2025-10-26T02:15+01:00,,,,\n"},
        {},
    ),
    "team files beside the case files": (
        {
            "teams": "team_id,name\nt1,Team\n",
            "members": "member_id,team_id,employed_from\nm1,t1,2016-01-04\n",
            "reports": REPORTS + "r1,farsta,2025-01-02,,,,,,m1\n",
        },
        {},
    ),
}


@pytest.mark.parametrize("case", sorted(PLAIN))
def test_plain_files_written_in_other_ways_are_read_the_fast_way(tmp_path: Path, case: str) -> None:
    """Blanks, quotes, line ends, delimiters, encodings, column orders: read fast, and equal."""
    files, options = PLAIN[case]
    assert_fast_and_same(folder_with(tmp_path, files), **options)


# ---------------------------------------------------------------- declined


DECLINED: dict[str, tuple[dict[str, str | bytes], dict[str, Any]]] = {
    "a byte-order mark read as utf-8": (
        {"reports": "\ufeff" + REPORTS + "r1,farsta,2025-01-02,,,,,,\n"},
        {"encoding": "utf-8"},
    ),
    "an encoding it does not read": (
        {"reports": (REPORTS + "r1,farsta,2025-01-02,,,,,,\n").encode("utf-16")},
        {"encoding": "utf-16"},
    ),
    "the case_numbers option": (
        {"reports": REPORTS + "8112189876,farsta,2025-01-02,,,,,,\n"},
        {"case_numbers": "report_id"},
    ),
    "districts of its own": (
        {
            "districts": "code,name,valid_from\nnyby,Nyby,2016-01-01\n",
            "reports": REPORTS + "r1,nyby,2025-01-02,,,,,,\n",
        },
        {},
    ),
    "an empty file": ({"reports": ""}, {}),
    "a text after a closing quote": ({"reports": REPORTS + '"r1"x,farsta,2025-01-02,,,,,,\n'}, {}),
    "a quote never closed": ({"reports": REPORTS + 'r1,farsta,2025-01-02,,,,,"open,\n'}, {}),
    "a quote inside a cell": ({"reports": REPORTS + 'r"1,farsta,2025-01-02,,,,,,\n'}, {}),
    "a NUL byte": ({"reports": REPORTS + "r1,farsta,2025-01-02,,,,,a\x00b,\n"}, {}),
    "bytes that are not UTF-8": (
        {"reports": (REPORTS + "r1,farsta,2025-01-02,,,,,sk").encode() + b"\xe4l,\n"},
        {},
    ),
    "a short row": ({"reports": REPORTS + "r1,farsta,2025-01-02\n"}, {}),
    "a long row": ({"reports": REPORTS + "r1,farsta,2025-01-02,,,,,,,x\n"}, {}),
    "a nameless column": (
        {"reports": REPORTS.replace("\n", ",\n") + "r1,farsta,2025-01-02,,,,,,,\n"},
        {},
    ),
    "a column twice": (
        {"reports": REPORTS.replace("\n", ",district\n") + "r1,farsta,2025-01-02,,,,,,,x\n"},
        {},
    ),
    "a misnamed file": ({"report": REPORTS + "r1,farsta,2025-01-02,,,,,,\n"}, {}),
    "a time spelt otherwise (fromisoformat reads it)": (
        {"reports": REPORTS + "r1,farsta,2025-01-02T0900,,,,,,\n"},
        {},
    ),
    "a formula neutralised by the export": (
        {"reports": REPORTS + "r1,farsta,2025-01-02,,,,,'=1+1,\n"},
        {},
    ),
    "a blank line of blanks": ({"reports": REPORTS + "r1,farsta,2025-01-02,,,,,,\n , ,\n"}, {}),
    "a required column missing in a header-only file": ({"reports": "report_id,district\n"}, {}),
    "an assessment before the report in time (00:45Z), later on the clock (02:45)": (
        {"reports": REPORTS + "r1,farsta,2025-10-26T02:15+01:00,,2025-10-26T02:45+02:00,,,,\n"},
        {},
    ),
    "a control character in free text": (
        {"reports": REPORTS + "r1,farsta,2025-01-02,,,,,a\x01b,\n"},
        {},
    ),
}


@pytest.mark.parametrize("case", sorted(DECLINED))
def test_what_is_not_plain_is_declined_and_read_row_by_row(tmp_path: Path, case: str) -> None:
    """The fast way says nothing and returns nothing; a read is the row-by-row way's, exactly."""
    files, options = DECLINED[case]
    assert_declined_and_reported_alike(folder_with(tmp_path, files), **options)


def test_a_folder_that_is_not_there_is_declined(tmp_path: Path) -> None:
    """The row-by-row way says what is wrong with the path."""
    assert_declined_and_reported_alike(tmp_path / "nowhere")


# ---------------------------------------------------------------- one cell corrupted


@pytest.fixture(scope="module")
def small_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo city's first half-year (2016), exported: every case table has rows."""
    folder = tmp_path_factory.mktemp("small")
    return export(demo_dataset(end=dt.date(2016, 6, 30)), folder)


CORRUPTIONS: dict[str, tuple[str, str, list[str]]] = {
    # what: (table, column, values to write in one cell)
    "a personnummer in an id": (
        "reports",
        "report_id",
        ["811218-9876", "8112189876", "r-19811218-9876"],
    ),
    "a personnummer as a member": ("investigations", "member_id", ["811218-9876"]),
    "an id with a character ids do not have": ("placements", "placement_id", ["p 1", "p/1", "å"]),
    "a bad date": (
        "investigations",
        "opened_on",
        ["2016-02-30", "16-01-05", "2016/01/05", "1899-01-05", "2016-1-5", "soon", ""],
    ),
    "a bad instant": (
        "reports",
        "received_at",
        ["2016-01-05T25:00", "2016-01-05T10:00+01", "igår", "2016-01-05T10:00:00.1234567", ""],
    ),
    "an unknown district": ("reports", "district", ["nyby", "Farsta", "far sta"]),
    "an unknown code": ("placements", "basis", ["lvu", "SOL", "x"]),
    "a broken reference": ("investigations", "report_id", ["r-nowhere"]),
    "a broken reference to an investigation": ("extensions", "investigation_id", ["i-nowhere"]),
    "a broken reference to a placement": ("reviews", "placement_id", ["p-nowhere"]),
    "an end before its start": ("investigations", "closed_on", ["2016-01-01"]),
    "a decision before the report": ("reports", "preassessment_decided_on", ["2015-12-31"]),
    "a custody event before its decision": ("custodies", "care_applied_on", ["2015-12-31"]),
    "a neutralised formula": ("extensions", "reason", ["'=1+1", "'-", "'@x"]),
    "a control character": ("reports", "exceptional_reason", ["a\x07b"]),
}


@SLOW
@given(
    what=st.sampled_from(sorted(CORRUPTIONS)),
    choice=st.integers(0, 100),
    where=st.floats(0, 1, exclude_max=True),
)
def test_one_corrupted_cell_is_declined_and_reported_as_the_row_by_row_way_reports_it(
    small_demo: Path, what: str, choice: int, where: float
) -> None:
    """A personnummer, a bad date, an unknown district, a broken reference, ...: declined, alike."""
    table, column, values = CORRUPTIONS[what]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(shutil.copytree(small_demo, Path(tmp) / "copy"))

        def corrupt(rows: list[list[str]]) -> None:
            index = rows[0].index(column)
            rows[1 + int(where * (len(rows) - 1))][index] = values[choice % len(values)]

        rewrite(folder / f"{table}.csv", corrupt)
        assert_declined_and_reported_alike(folder)


@SLOW
@given(table=st.sampled_from(CASE_TABLES), where=st.floats(0, 1, exclude_max=True))
def test_a_repeated_id_or_an_extra_column_is_declined_and_reported_alike(
    small_demo: Path, table: str, where: float
) -> None:
    """A record's id given to another, or a column socforst does not know (a warning)."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(shutil.copytree(small_demo, Path(tmp) / "copy"))

        def repeat(rows: list[list[str]]) -> None:
            row = 1 + int(where * (len(rows) - 1))
            rows[row][0] = rows[1 if row != 1 else 2][0]

        def widen(rows: list[list[str]]) -> None:
            for number, row in enumerate(rows):
                row.append("note" if number == 0 else f"n{number}")

        file = folder / f"{table}.csv"
        if table not in ("extensions", "reviews"):  # rows there have no id of their own
            rewrite(file, repeat)
            said = assert_declined_and_reported_alike(folder)
            assert said[0] == "error"
            shutil.copy(small_demo / f"{table}.csv", file)
        rewrite(file, widen)
        said = assert_declined_and_reported_alike(folder)
        assert said[0] == "dataset"
        assert any("UnknownColumnWarning" in warning for warning in said[2])


# ---------------------------------------------------------------- parts


def test_the_blanks_stripped_are_those_str_strip_strips() -> None:
    """Every character Python's str.strip strips is below U+3001, so the table is whole."""
    everything = "".join(chr(c) for c in range(0x110000) if chr(c).isspace())
    assert everything == fastcsv._whitespace()


def test_stockholms_clock_changes_are_found_to_the_second() -> None:
    """2025: summer time from 30 March 01:00 UTC to 26 October 01:00 UTC (EU rules)."""
    spring = dt.datetime(2025, 3, 30, 1, tzinfo=dt.UTC).timestamp()
    autumn = dt.datetime(2025, 10, 26, 1, tzinfo=dt.UTC).timestamp()
    assert ((int(spring), 3600, 7200), (int(autumn), 7200, 3600)) == fastcsv._changes(2025)
    assert () == fastcsv._changes(1970)


@SLOW
@given(
    st.lists(
        st.text(st.sampled_from("ab åÖ,;\"'\n\r\t|=") | st.characters(codec="utf-8"), max_size=12),
        min_size=1,
        max_size=6,
    )
)
def test_free_text_with_quotes_delimiters_and_line_breaks_is_read_as_csv_reads_it(
    texts: list[str],
) -> None:
    """Free text written by Python's csv module (quoted where it must be): read alike."""
    with tempfile.TemporaryDirectory() as tmp:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(REPORTS.strip().split(","))
        for number, text in enumerate(texts):
            writer.writerow([f"r{number}", "farsta", "2025-01-02", "", "", "", "", text, ""])
        folder = folder_with(Path(tmp), {"reports": out.getvalue()})
        fast = fast_read(folder)
        said = outcome(lambda: slow_read(folder))
        if fast is None:
            assert said == outcome(lambda: CsvSource(folder).read())
        else:
            assert_same(slow_read(folder), fast)
        plain = all(t.isprintable() and not t.strip().startswith("'") for t in texts)
        if plain and said[0] == "dataset":
            assert fast is not None


@SLOW
@given(st.lists(st.text("0123456789-._+ a", max_size=30), max_size=20))
def test_the_ids_that_may_hold_a_personnummer_are_those_the_detector_looks_at(
    values: list[str],
) -> None:
    """The byte runs found on columns are exactly the detector's candidates (socforst._pin)."""
    from socforst._pin import _ANY_PIN

    cells = fastcsv._Cells(fastcsv._texts(values))
    expected = [i for i, value in enumerate(values) if _ANY_PIN.search(value)]
    assert expected == cells.pin_rows().tolist()
