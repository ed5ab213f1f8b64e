"""The example plugin (examples/plugins/socforst-caseextract), installed and found by name.

The plugin is installed into the running environment, as a user would install it,
and used only through socforst: the entry point, ``open_source`` and ``read()``.
"""

from __future__ import annotations

import datetime as dt
import importlib
import shutil
import subprocess
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import pytest

import socforst
import socforst.registry
from socforst.sources import Exporter, Source
from socforst.testing import AdapterContract

PLUGIN = Path(__file__).resolve().parent.parent / "examples" / "plugins" / "socforst-caseextract"
SAMPLE = PLUGIN / "sample" / "extract.csv"

BAD_EXTRACT = (
    "Ärende-ID;Stadsdel;Inkom;Klockslag;Beslut förhandsbedömning;Utfall;Handläggare\r\n"
    "A-2025-0101;Farsta;2025-05-05;08:00;2025-05-12;inleds;m1\r\n"
    "A-2025-0102;Farsta;31 februari 2025;10:00;;;\r\n"
    "A-2025-0103;Vasastan;2025-05-06;;;;\r\n"
)
"""Line 3 has a date that does not exist; line 4 a district name Stockholm never had."""


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The plugin, installed into this environment from a copy (the build writes beside it)."""
    try:
        setuptools = tuple(int(part) for part in version("setuptools").split(".")[:2])
    except PackageNotFoundError:
        setuptools = (0, 0)
    if setuptools < (70, 1):
        pytest.fail(
            "building the example plugin without build isolation needs setuptools>=70.1 "
            "(the first that builds wheels by itself) in this environment"
        )
    copy = tmp_path_factory.mktemp("plugin") / PLUGIN.name
    shutil.copytree(PLUGIN, copy, ignore=shutil.ignore_patterns("build", "*.egg-info"))
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-build-isolation", str(copy)],
        check=True,
    )
    importlib.invalidate_caches()  # let this process see the new package and its entry point


@pytest.fixture
def bad_extract(tmp_path: Path) -> Path:
    """An extract with two bad rows, written as the case system writes it (Windows-1252)."""
    path = tmp_path / "bad.csv"
    path.write_bytes(BAD_EXTRACT.encode("cp1252"))
    return path


def _problems(location: Path) -> list[socforst.RowError]:
    with pytest.raises(socforst.LoadError) as caught:
        socforst.open_source("caseextract:" + str(location)).read()
    problems = [p for p in caught.value.exceptions if isinstance(p, socforst.RowError)]
    assert len(caught.value.exceptions) == len(problems), "a LoadError holds RowErrors only"
    return problems


def _reports(location: Path) -> dict[str, socforst.Report]:
    data = socforst.open_source("caseextract:" + str(location)).read()
    return {report.report_id: report for report in data.reports}


def test_the_sample_extract_is_windows_1252_with_swedish_headers() -> None:
    """The sample is what a case system exports: 'Ä' is the single byte 0xC4, not UTF-8."""
    raw = SAMPLE.read_bytes()
    assert raw.startswith(b"\xc4rende-ID;Stadsdel;Inkom;Klockslag;")
    assert b"\xc3\x84" not in raw  # 'Ä' in UTF-8


@pytest.mark.usefixtures("installed")
def test_the_installed_plugin_is_listed_by_name() -> None:
    """After pip install, ``caseextract`` is a source name, found through its entry point."""
    assert "caseextract" in socforst.registry.source_names()


@pytest.mark.usefixtures("installed")
def test_a_report_received_at_half_past_eleven_keeps_its_local_day() -> None:
    """A-2025-0012: Älvsjö, 2025-03-31 at 23:30 local, decided 14 april 2025, inleds.

    A naive time is Stockholm local time, so the report was received on 2025-03-31
    (not the next day, as it would be read as UTC).
    """
    report = _reports(SAMPLE)["A-2025-0012"]
    assert "alvsjo" == report.district
    assert dt.date(2025, 3, 31) == report.received_on
    assert (23, 30) == (report.received_at.hour, report.received_at.minute)
    assert dt.date(2025, 4, 14) == report.preassessment_decided_on
    assert socforst.PreassessmentOutcome.OPENED == report.preassessment_outcome
    assert report.member_id is None


@pytest.mark.usefixtures("installed")
def test_swedish_names_dates_and_outcomes_become_codes_and_values() -> None:
    """Names in any case map to codes; long dates and outcome words to socforst's values."""
    reports = _reports(SAMPLE)
    assert ["A-2025-0012", "A-2025-0013", "A-2025-0014", "A-2025-0015"] == list(reports)
    merged = reports["A-2025-0013"]  # "Hägersten-Älvsjö", "28 juni 2025" 09:15, "1 juli 2025"
    assert "hagersten-alvsjo" == merged.district
    assert dt.date(2025, 6, 28) == merged.received_on
    assert dt.date(2025, 7, 1) == merged.preassessment_decided_on
    assert socforst.PreassessmentOutcome.NOT_OPENED == merged.preassessment_outcome
    assert "m7" == merged.member_id
    undecided = reports["A-2025-0014"]  # "JÄRVA", no time, no decision yet
    assert "jarva" == undecided.district
    assert dt.datetime(2025, 6, 30) == undecided.received_at.replace(tzinfo=None)
    assert undecided.preassessment_decided_on is None
    assert undecided.preassessment_outcome is None
    open_case = reports["A-2025-0015"]  # "Socialjouren", "pågående utredning"
    assert "socialjouren" == open_case.district
    assert socforst.PreassessmentOutcome.ALREADY_OPEN == open_case.preassessment_outcome


@pytest.mark.usefixtures("installed")
def test_the_rule_book_gives_the_fourteen_day_preassessment_of_a_read_report() -> None:
    """A-2025-0012 received Mon 2025-03-31 is due Mon 2025-04-14 and met that day (old SoL).

    A-2025-0013 received Sat 2025-06-28 is due Sat 2025-07-12 strictly, Mon 2025-07-14
    rolled forward; A-2025-0015 had an investigation open, so it owes no preassessment.
    """
    reports = _reports(SAMPLE)
    book = socforst.RuleBook.swedish()
    first = next(d for d in book.deadlines(reports["A-2025-0012"]) if d.kind == "preassessment")
    assert dt.date(2025, 4, 14) == first.due_on
    assert dt.date(2025, 4, 14) == first.met_on
    assert "SoL (2001:453) 11 kap. 1 a §" == first.reference
    assert socforst.DeadlineStatus.MET == first.status(dt.date(2025, 5, 1))
    strict = [d.due_on for d in book.deadlines(reports["A-2025-0013"]) if d.kind == "preassessment"]
    rolled = socforst.RuleBook.swedish(roll_forward=True).deadlines(reports["A-2025-0013"])
    assert [dt.date(2025, 7, 12)] == strict
    assert [dt.date(2025, 7, 14)] == [d.due_on for d in rolled if d.kind == "preassessment"]
    assert [] == [d for d in book.deadlines(reports["A-2025-0015"]) if d.kind == "preassessment"]


@pytest.mark.usefixtures("installed")
def test_a_bad_extract_reports_every_bad_row_at_once(bad_extract: Path) -> None:
    """A bad date (line 3) and an unknown district name (line 4) come in one LoadError.

    Each error names the file, the table ``reports``, the line (the header is line 1)
    and the column by its Swedish name in the extract.
    """
    problems = _problems(bad_extract)
    assert [
        (str(bad_extract), "reports", 3, "Inkom"),
        (str(bad_extract), "reports", 4, "Stadsdel"),
    ] == [(p.source, p.table, p.row, p.column) for p in problems]
    assert "'31 februari 2025'" in problems[0].reason
    assert "is not the name of a district" in problems[1].reason
    assert "Vasastan" not in problems[1].reason  # a capitalised word could be a name


@pytest.mark.usefixtures("installed")
def test_read_tables_own_checks_name_the_swedish_column(tmp_path: Path) -> None:
    """An id that is a personal identity number is refused by socforst, under 'Ärende-ID'."""
    path = tmp_path / "pin.csv"
    path.write_bytes(
        "Ärende-ID;Stadsdel;Inkom\r\n19121212-1212;Farsta;2025-05-05\r\n".encode("cp1252")
    )
    (problem,) = _problems(path)
    assert (2, "Ärende-ID") == (problem.row, problem.column)
    assert "personal identity number" in problem.reason
    assert "19121212" not in str(problem)


@pytest.mark.usefixtures("installed")
def test_the_encoding_is_an_option_so_a_utf8_extract_reads_too(tmp_path: Path) -> None:
    """The encoding is an option: a UTF-8 extract reads with ``encoding="utf-8"``."""
    path = tmp_path / "utf8.csv"
    path.write_text(SAMPLE.read_bytes().decode("cp1252"), encoding="utf-8", newline="")
    data = socforst.open_source("caseextract:" + str(path), encoding="utf-8").read()
    assert 4 == len(data.reports)


@pytest.mark.usefixtures("installed")
def test_a_utf8_extract_read_as_windows_1252_is_one_clear_error(tmp_path: Path) -> None:
    """Windows-1252 decodes any bytes; the plugin spots UTF-8 headers and names the option."""
    path = tmp_path / "utf8.csv"
    path.write_text(SAMPLE.read_bytes().decode("cp1252"), encoding="utf-8", newline="")
    (problem,) = _problems(path)
    assert (1, None) == (problem.row, problem.column)
    assert "encoding='utf-8'" in problem.reason


@pytest.mark.usefixtures("installed")
class TestCaseExtractKeepsTheAdapterContract(AdapterContract):
    """The example plugin passes socforst.testing's contract (it reads; it has no exporter)."""

    def location(self, tmp_path: Path) -> str:
        """One extract file."""
        return str(tmp_path / "extract.csv")

    def make_source(self, location: str) -> Source | None:
        """The plugin's source, found by name."""
        return socforst.open_source("caseextract:" + location)

    def make_exporter(self, location: str) -> Exporter | None:
        """The plugin only reads."""
        return None

    def sample(self) -> socforst.Dataset:
        """What the sample extract holds."""
        return socforst.open_source("caseextract:" + str(SAMPLE)).read()

    def write(self, dataset: socforst.Dataset, location: str) -> None:
        """The sample extract is the dataset in the plugin's own format."""
        shutil.copy(SAMPLE, location)

    def write_bad_rows(self, location: str) -> int:
        """The bad extract: two bad rows."""
        Path(location).write_bytes(BAD_EXTRACT.encode("cp1252"))
        return 2
