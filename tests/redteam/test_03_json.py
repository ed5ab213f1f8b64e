"""Red-team category 3: JSON-specific input (F5, F23, F24, F35), and the JSON round trip.

Each case is written from the report's reproduction: a JSON document that loaded
silently wrong, crashed an exporter or ran out of memory at commit 044b0c8. Now
each is refused at load with an error naming the table, the row (the object's
place in its table's array, from 1) and the column, never showing the value.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
import warnings
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socforst import (
    Dataset,
    LoadError,
    Request,
    RowError,
    Staffing,
    TeamMember,
    ValidationError,
    YearlyCost,
    open_source,
)
from socforst.cli import main
from socforst.dataset import TABLES
from socforst.errors import ExportError
from socforst.sources.json import (
    DEFAULT_MAX_BYTES,
    JsonExporter,
    JsonSource,
    UnknownTableWarning,
)
from socforst.sources.rows import UnlistedError
from tests import strategies as s

PIN = "811218-9876"
"""A made-up personnummer with a valid Luhn digit."""

MEMBER = {"member_id": "m1", "team_id": "t1", "employed_from": "2016-01-04"}
REQUEST = {
    "request_id": "q1",
    "district": "farsta",
    "received_on": "2025-02-01",
    "start": "2025-03-03",
    "end": "2025-03-28",
}


def write(path: Path, text: str | bytes) -> Path:
    """Write *text* (UTF-8) or bytes exactly as given."""
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def document(tmp_path: Path, tables: dict[str, Any]) -> Path:
    """A JSON document of *tables*, written with the standard library."""
    return write(tmp_path / "data.json", json.dumps(tables))


def load_errors(path: Path, **options: Any) -> list[RowError]:
    """The RowErrors of the LoadError that reading *path* raises; nothing else may escape."""
    with pytest.raises(LoadError) as caught:
        JsonSource(path, **options).read()
    errors = [error for error in caught.value.exceptions if isinstance(error, RowError)]
    assert len(caught.value.exceptions) == len(errors)
    return errors


def places(errors: list[RowError]) -> list[tuple[str, int | None, str | None]]:
    """Each error's table, row and column."""
    return [(error.table, error.row, error.column) for error in errors]


# ------------------------------------------------------------------ F5: types


def test_f5_a_fraction_where_a_whole_number_belongs_is_an_error_not_truncated(
    tmp_path: Path,
) -> None:
    """F5: ``"headcount": 2.5`` loaded as 2; now it is an error naming the cell."""
    path = document(tmp_path, {"requests": [{**REQUEST, "headcount": 2.5}]})
    errors = load_errors(path)
    assert [("requests", 1, "headcount")] == places(errors)
    assert "must be a whole number" in errors[0].reason


def test_a_whole_number_written_as_a_json_float_is_that_number(tmp_path: Path) -> None:
    """``"headcount": 2.0`` is the whole number 2 (spreadsheet tools write whole numbers so)."""
    path = document(tmp_path, {"requests": [{**REQUEST, "headcount": 2.0}]})
    assert 2 == JsonSource(path).read().requests[0].headcount


@pytest.mark.parametrize("column", ["headcount", "extent"])
def test_f5_true_in_a_number_column_is_an_error_not_one(tmp_path: Path, column: str) -> None:
    """F5: ``true`` loaded as headcount 1 and extent 1.0; now it is an error."""
    path = document(tmp_path, {"requests": [{**REQUEST, column: True}]})
    assert [("requests", 1, column)] == places(load_errors(path))


@pytest.mark.parametrize("column", ["member_id", "team_id", "name", "employed_from"])
@pytest.mark.parametrize("value", [True, False, 7, 1.5])
def test_f5_a_boolean_or_number_where_text_belongs_is_an_error_not_its_text(
    tmp_path: Path, column: str, value: object
) -> None:
    """F5: ``"member_id": true`` loaded as the id "True"; a text column takes only JSON strings."""
    path = document(tmp_path, {"members": [{**MEMBER, column: value}]})
    errors = load_errors(path)
    assert [("members", 1, column)] == places(errors)
    assert "must be a JSON string" in errors[0].reason


@pytest.mark.parametrize("value", [["Anna", "Andersson"], {"first": "Anna"}])
def test_f5_an_array_or_object_where_one_value_belongs_is_an_error_not_its_repr(
    tmp_path: Path, value: object
) -> None:
    """F5: a name of ``["Anna","Andersson"]`` loaded as "['Anna', 'Andersson']"."""
    path = document(tmp_path, {"members": [{**MEMBER, "name": value}]})
    errors = load_errors(path)
    assert [("members", 1, "name")] == places(errors)
    assert "Anna" not in str(errors[0])


@pytest.mark.parametrize("value", [["lvu", 3], ["lvu", True], ["lvu", ["coaching"]], 5, True])
def test_competencies_take_an_array_of_strings_only(tmp_path: Path, value: object) -> None:
    """A competencies array holds strings; a number, boolean or nested array is an error."""
    path = document(tmp_path, {"members": [{**MEMBER, "competencies": value}]})
    assert [("members", 1, "competencies")] == places(load_errors(path))


def test_competencies_as_an_array_or_as_one_bar_separated_string_are_the_same(
    tmp_path: Path,
) -> None:
    """``["lvu", "coaching"]`` and ``"lvu|coaching"`` give the same competencies."""
    path = document(
        tmp_path,
        {
            "members": [
                {**MEMBER, "competencies": ["lvu", "coaching"]},
                {**MEMBER, "member_id": "m2", "competencies": "lvu|coaching"},
            ]
        },
    )
    members = JsonSource(path).read().members
    assert [frozenset({"lvu", "coaching"})] * 2 == [m.competencies for m in members]


def test_f5_rows_that_are_not_objects_are_each_an_error_naming_the_row(tmp_path: Path) -> None:
    """Row objects that are not objects: each is reported with its place in the array."""
    path = document(tmp_path, {"members": [1, "m1", None, [], MEMBER, True]})
    assert [("members", n, None) for n in (1, 2, 3, 4, 6)] == places(load_errors(path))


@pytest.mark.parametrize("value", [{}, "members", 3, {"member_id": "m1"}])
def test_a_table_that_is_not_an_array_is_an_error_naming_the_table(
    tmp_path: Path, value: object
) -> None:
    """A table's value must be an array of row objects."""
    path = document(tmp_path, {"members": value})
    errors = load_errors(path)
    assert [("members", None, None)] == places(errors)
    assert "must be an array of objects" == errors[0].reason


# ------------------------------------------------------------------ F5: duplicate keys


def test_f5_a_table_key_twice_in_the_document_is_an_error_naming_it(tmp_path: Path) -> None:
    """F5: with ``"members"`` twice the second (empty) array won: 0 members, no word."""
    text = '{"members": [' + json.dumps(MEMBER) + '], "members": []}'
    errors = load_errors(write(tmp_path / "data.json", text))
    assert [("members", None, None)] == places(errors)
    assert "'members' appears more than once" in errors[0].reason


def test_f5_a_column_twice_in_a_row_object_is_an_error_naming_row_and_column(
    tmp_path: Path,
) -> None:
    """A row object with ``member_id`` twice: the last one won silently, as with a CSV header."""
    text = (
        '{"members": ['
        + json.dumps(MEMBER)
        + ', {"member_id": "m2", "team_id": "t1", "member_id": "m9",'
        ' "employed_from": "2016-01-04"}]}'
    )
    errors = load_errors(write(tmp_path / "data.json", text))
    assert [("members", 2, "member_id")] == places(errors)
    assert "more than once" in errors[0].reason


def test_a_column_twice_in_a_row_object_when_spaces_differ_is_an_error(tmp_path: Path) -> None:
    """``"member_id"`` and ``" member_id "`` name the same column: it is given twice."""
    row = {**MEMBER, " member_id ": "m9"}
    errors = load_errors(document(tmp_path, {"members": [row]}))
    assert [("members", 1, "member_id")] == places(errors)


def test_a_column_with_spaces_around_its_name_in_one_row_is_that_column(tmp_path: Path) -> None:
    """A key with spaces around it names the column (as a CSV header cell does)."""
    rows = [
        {**MEMBER, "extent": 0.5},
        {" member_id": "m2", "team_id": "t1", "employed_from": "2016-01-04"},
    ]
    members = JsonSource(document(tmp_path, {"members": rows})).read().members
    assert [("m1", 0.5), ("m2", 1.0)] == [(m.member_id, m.extent) for m in members]


# ------------------------------------------------------------------ F5: misnamed tables


@pytest.mark.parametrize("key", ["memebers", "Members", "member", "members ", "MEMBERS"])
def test_f5_a_misspelt_table_key_is_an_error_suggesting_the_table(tmp_path: Path, key: str) -> None:
    """F5: ``"memebers"`` was ignored (an empty table, exit 0); now the error names the table."""
    errors = load_errors(document(tmp_path, {key: [MEMBER]}))
    assert 1 == len(errors)
    assert errors[0].reason.endswith("did you mean 'members'?")


def test_a_key_that_is_no_table_is_ignored_with_a_warning_that_hides_personal_keys(
    tmp_path: Path,
) -> None:
    """Metadata keys load with one warning; a key that is a PIN or a name is described."""
    path = document(
        tmp_path,
        {"exported_at": "2025-03-01", PIN: 1, "Anna Andersson": 2, "members": [MEMBER]},
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        dataset = JsonSource(path).read()
    assert ["m1"] == [m.member_id for m in dataset.members]
    said = [str(w.message) for w in caught if issubclass(w.category, UnknownTableWarning)]
    assert 1 == len(said)
    assert "'exported_at'" in said[0]
    assert "a key of 11 characters" in said[0]
    assert "a key of 14 characters" in said[0]
    for secret in ("811218", "9876", "Anna"):
        assert secret not in said[0]


# ------------------------------------------------------------------ F35: byte-order mark


def test_f35_a_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    """F35: JSON refused a UTF-8 BOM ("Unexpected UTF-8 BOM") although CSV accepts it."""
    text = json.dumps({"members": [{**MEMBER, "name": "Åsa Öberg"}]}, ensure_ascii=False)
    path = write(tmp_path / "data.json", b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert ["Åsa Öberg"] == [m.name for m in JsonSource(path).read().members]
    assert "utf-8-sig" == JsonSource(path).encoding


# ------------------------------------------------------------------ F23: lone surrogates


@pytest.mark.parametrize("column", ["name", "member_id", "team_id", "employed_from"])
def test_f23_a_lone_surrogate_escape_is_refused_at_load_naming_the_cell(
    tmp_path: Path, column: str
) -> None:
    r"""F23/F4: ``"A\ud800"`` loaded and then broke every exporter; now the load refuses it."""
    row = {**MEMBER, column: "A\ud800"}
    text = json.dumps({"members": [MEMBER | {"member_id": "m0"}, row]})  # escapes as \ud800
    assert "\\ud800" in text
    errors = load_errors(write(tmp_path / "data.json", text))
    assert ("members", 2, column) == places(errors)[0]


def test_f23_a_lone_surrogate_in_a_competencies_array_is_refused(tmp_path: Path) -> None:
    """The check reaches into arrays too."""
    text = json.dumps({"members": [{**MEMBER, "competencies": ["lvu", "\udfff"]}]})
    assert [("members", 1, "competencies")] == places(
        load_errors(write(tmp_path / "data.json", text))
    )


def test_a_surrogate_pair_escape_is_an_ordinary_character(tmp_path: Path) -> None:
    r"""``\ud83d\ude00`` is one character (an emoji), not two lone surrogates."""
    text = json.dumps({"members": [{**MEMBER, "name": "Anna \U0001f600"}]})
    assert "\\ud83d\\ude00" in text
    assert ["Anna \U0001f600"] == [
        m.name for m in JsonSource(write(tmp_path / "d.json", text)).read().members
    ]


def test_f23_the_reproduction_export_now_fails_at_load_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """F23: ``export --source json:sur.json json:out.json`` crashed with UnicodeEncodeError."""
    sur = write(
        tmp_path / "sur.json",
        '{"members":[{"member_id":"m1","team_id":"t1","name":"A\\ud800",'
        '"employed_from":"2016-01-04"}]}',
    )
    target = tmp_path / "out.json"
    assert 1 == main(["export", "--source", f"json:{sur}", f"json:{target}"])
    err = capsys.readouterr().err
    assert "members, row 1, column 'name'" in err
    assert "unexpected" not in err
    assert not target.exists()


def export_errors(exporter: JsonExporter, dataset: Dataset) -> list[RowError]:
    """The RowErrors of the ExportError that writing *dataset* raises."""
    with pytest.raises(ExportError) as caught:
        exporter.write_dataset(dataset)
    errors = [error for error in caught.value.exceptions if isinstance(error, RowError)]
    assert len(caught.value.exceptions) == len(errors)
    return errors


def test_f23_the_exporter_refuses_text_its_encoding_cannot_hold_and_keeps_the_old_file(
    tmp_path: Path,
) -> None:
    """Unencodable text is an error naming table, row and column; the old file stays whole."""
    target = write(tmp_path / "out.json", "the old export\n")
    dataset = Dataset(
        members=[
            TeamMember(member_id="m1", team_id="t1", employed_from=dt.date(2016, 1, 4)),
            TeamMember(
                member_id="m2", team_id="t1", name="Ωmega", employed_from=dt.date(2016, 1, 4)
            ),
        ]
    )
    errors = export_errors(JsonExporter(target, encoding="latin-1"), dataset)
    assert [(str(target), "members", 2, "name")] == [
        (e.source, e.table, e.row, e.column) for e in errors
    ]
    assert "mega" not in str(errors[0])
    assert b"the old export\n" == target.read_bytes()
    assert ["out.json"] == sorted(os.listdir(tmp_path))


def test_f23_the_exporter_refuses_a_lone_surrogate_that_bypassed_the_models(
    tmp_path: Path,
) -> None:
    """A record whose name holds a lone surrogate (forced past its validator) is refused."""
    target = write(tmp_path / "out.json", "the old export\n")
    member = TeamMember(member_id="m1", team_id="t1", employed_from=dt.date(2016, 1, 4))
    object.__setattr__(member, "name", "A\ud800")  # what no source may now produce
    errors = export_errors(JsonExporter(target), Dataset(members=[member]))
    assert [("members", 1, "name")] == places(errors)
    assert "lone surrogate (U+D800, character 2)" in errors[0].reason
    assert b"the old export\n" == target.read_bytes()
    assert ["out.json"] == sorted(os.listdir(tmp_path))


def test_f16_the_exporter_takes_a_mode_and_a_new_file_is_private_by_default(
    tmp_path: Path,
) -> None:
    """A new export is 0600 unless ``mode`` says otherwise (``"640"`` as on the command line)."""
    dataset = Dataset(
        members=[TeamMember(member_id="m1", team_id="t1", employed_from=dt.date(2016, 1, 4))]
    )
    JsonExporter(tmp_path / "private.json").write_dataset(dataset)
    JsonExporter(tmp_path / "shared.json", mode="640").write_dataset(dataset)
    assert 0o600 == (tmp_path / "private.json").stat().st_mode & 0o777
    assert 0o640 == (tmp_path / "shared.json").stat().st_mode & 0o777


# ------------------------------------------------------------------ F24: bounded reads


def test_f24_the_default_limit_is_256_mib() -> None:
    """The documented default: 256 MiB."""
    assert 256 * 1024 * 1024 == DEFAULT_MAX_BYTES == JsonSource("x.json").max_bytes


def test_f24_a_document_one_byte_over_the_limit_is_an_error_saying_so(tmp_path: Path) -> None:
    """A document of N bytes loads with max_bytes=N and is refused with max_bytes=N-1."""
    path = document(tmp_path, {"members": [MEMBER]})
    size = path.stat().st_size
    assert 1 == len(JsonSource(path, max_bytes=size).read().members)
    errors = load_errors(path, max_bytes=size - 1)
    assert [("-", None, None)] == places(errors)
    assert f"is larger than max_bytes ({size - 1:,} bytes)" in errors[0].reason


def test_f24_json_dev_zero_ends_with_a_clear_error_not_memory_error() -> None:
    """F24: ``json:/dev/zero`` grew until MemoryError; now it stops after max_bytes + 1 bytes."""
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero here")
    errors = load_errors(Path("/dev/zero"), max_bytes=1_000_000)
    assert [("-", None, None)] == places(errors)
    assert "is larger than max_bytes (1,000,000 bytes)" in errors[0].reason


def test_f24_the_limit_is_given_on_the_command_line_as_a_source_option(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """``--source-option max_bytes=N`` (a string) sets the limit; the error is one line."""
    path = document(tmp_path, {"members": [MEMBER]})
    assert 1 == main(["check", "--source", f"json:{path}", "--source-option", "max_bytes=10"])
    said = capsys.readouterr()
    assert "is larger than max_bytes (10 bytes)" in said.out + said.err
    assert "unexpected" not in said.out + said.err


@pytest.mark.parametrize("value", ["lots", "0", 0, -1, True, "1e9", 2.5])
def test_a_limit_that_is_not_a_positive_whole_number_is_refused_at_construction(
    value: object,
) -> None:
    """max_bytes is a whole number of bytes of at least 1."""
    with pytest.raises(ValueError, match="max_bytes"):
        JsonSource("x.json", max_bytes=value)


def test_an_unknown_encoding_is_refused_when_the_source_is_made(tmp_path: Path) -> None:
    """F26-like: an unknown encoding said "unexpected LookupError"; now it is named at once."""
    with pytest.raises(ValidationError) as caught:
        JsonSource(document(tmp_path, {"members": [MEMBER]}), encoding="latin9x")
    assert "encoding" == caught.value.field


def test_a_document_with_no_table_is_an_error(tmp_path: Path) -> None:
    """F5-like: ``{}`` read as an empty dataset, exit 0; a document must hold a table."""
    errors = load_errors(document(tmp_path, {}))
    assert [("-", None, None)] == places(errors)
    assert "holds none of the tables" in errors[0].reason


def test_an_empty_table_is_an_empty_table(tmp_path: Path) -> None:
    """``{"members": []}`` is a dataset with no members, not an error."""
    assert () == JsonSource(document(tmp_path, {"members": []})).read().members


def test_every_row_bad_lists_the_first_thousand_problems_and_counts_the_rest(
    tmp_path: Path,
) -> None:
    """F20-like: 1,500 rows that are not objects give 1,000 errors and one count of 500."""
    errors = load_errors(document(tmp_path, {"members": [1] * 1500}))
    assert 1001 == len(errors)
    assert [("members", n, None) for n in range(1, 1001)] == places(errors[:1000])
    assert isinstance(errors[-1], UnlistedError)
    assert 500 == errors[-1].count


# ------------------------------------------------------------------ round trip


@st.composite
def consistent_datasets(draw: st.DrawFn) -> Dataset:
    """A dataset of every table whose references and figures agree with each other.

    Members belong to drawn teams, absences and assignments to drawn members,
    extensions and reviews to drawn investigations and placements; staffing has
    no more vacancies than positions and one row per district and day; costs one
    row per year. Names and free text are any text a JSON document can hold.
    """

    def some(records: st.SearchStrategy[Any], key: Any, max_size: int = 3) -> list[Any]:
        return draw(st.lists(records, max_size=max_size, unique_by=key))

    def attr(name: str) -> Any:
        return lambda record: getattr(record, name)

    # Any text a model holds: JSON's own specials, Swedish letters, emoji; no control
    # characters other than tab and line breaks, no surrogates (the models refuse them).
    letters = st.sampled_from('"\\/{}[],:\t\n\r åäöÅÄÖ\U0001f600') | st.characters(
        codec="utf-8", exclude_categories=("Cc", "Cs"), exclude_characters="\ufffe\uffff"
    )
    text = st.text(letters, min_size=1, max_size=20).filter(str.strip)
    teams = [attrs.evolve(t, name=draw(text)) for t in some(s.teams(), attr("team_id"), 2)]
    team_ids = [t.team_id for t in teams]
    members = []
    if team_ids:
        for m in some(s.team_members(), attr("member_id")):
            team = draw(st.sampled_from(team_ids))
            members.append(attrs.evolve(m, team_id=team, name=draw(st.none() | text)))
    member_ids = [m.member_id for m in members]
    maybe_member = st.none() | st.sampled_from(member_ids) if member_ids else st.none()
    absences, assignments = [], []
    requests = some(s.requests(), attr("request_id"))
    request_ids = [r.request_id for r in requests]
    if member_ids:
        absences = [
            draw(s.absences(member_id=draw(st.sampled_from(member_ids))))
            for _ in range(draw(st.integers(0, 2)))
        ]
        for a in some(s.assignments(), attr("assignment_id")):
            answers = draw(st.none() | st.sampled_from(request_ids)) if request_ids else None
            assignments.append(
                attrs.evolve(a, member_id=draw(st.sampled_from(member_ids)), request_id=answers)
            )
    reports = [
        attrs.evolve(r, member_id=draw(maybe_member)) for r in some(s.reports(), attr("report_id"))
    ]
    investigations = []
    for i in some(s.investigations(), attr("investigation_id")):
        earlier = [r.report_id for r in reports if r.received_on <= i.opened_on]
        report = draw(st.none() | st.sampled_from(earlier)) if earlier else None
        investigations.append(attrs.evolve(i, report_id=report, member_id=draw(maybe_member)))
    extensions = [draw(s.extensions(i)) for i in investigations if draw(st.booleans())]
    placements = some(s.placements(), attr("placement_id"))
    reviews = [draw(s.reviews(p)) for p in placements if draw(st.booleans())]
    staffing = []
    for row in some(s.staffing(), lambda r: (r.district, r.on)):
        if row.positions is not None and row.vacancies is not None:
            low, high = sorted((row.positions, row.vacancies))
            row = attrs.evolve(row, positions=high, vacancies=low)
        staffing.append(row)
    return Dataset(
        teams=teams,
        members=members,
        absences=absences,
        requests=requests,
        assignments=assignments,
        staffing=staffing,
        costs=some(s.yearly_costs(), attr("year")),
        reports=reports,
        investigations=investigations,
        extensions=extensions,
        placements=placements,
        reviews=reviews,
        custodies=some(s.custodies(), attr("custody_id")),
    )


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(consistent_datasets())
def test_every_table_written_as_json_reads_back_equal(dataset: Dataset) -> None:
    """write_dataset then read gives an equal dataset, every table (staffing and costs too).

    The document holds the tables that have records; a dataset with no records
    at all is written with every table, empty.
    """
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "data.json"
        JsonExporter(path).write_dataset(dataset)
        written = set(json.loads(path.read_text("utf-8")))
        assert dataset == JsonSource(path).read()
    having = {table for table, records in dataset.tables() if records}
    assert (having or set(TABLES)) == written


def test_every_number_column_round_trips_with_hand_picked_values(tmp_path: Path) -> None:
    """Extents that add up inexactly in binary, large SEK amounts and fractions come back equal."""
    dataset = Dataset(
        requests=[
            Request(
                request_id="q1",
                district="farsta",
                received_on=dt.date(2025, 2, 1),
                start=dt.date(2025, 3, 3),
                end=dt.date(2025, 3, 28),
                headcount=3,
                extent=0.1,
            )
        ],
        staffing=[
            Staffing(
                district="farsta",
                on=dt.date(2025, 1, 1),
                positions=40.5,
                vacancies=0.0,
                turnover=0.3,
            )
        ],
        costs=[
            YearlyCost(
                year=2025,
                team_cost_sek=23_456_789.25,
                consultant_rate_sek=1150.0,
                hours_per_day=7.5,
            )
        ],
    )
    path = tmp_path / "data.json"
    JsonExporter(path).write_dataset(dataset)
    assert dataset == JsonSource(path).read()


def test_a_column_its_source_did_not_have_stays_absent_through_a_json_export(
    tmp_path: Path,
) -> None:
    """Issue 9 (DATA.md): an absent column is unknown; the export must not write it as null."""
    folder = tmp_path / "extract"
    folder.mkdir()
    (folder / "reports.csv").write_text(
        "report_id,district,received_at\nr1,farsta,2025-03-03T10:00\n", encoding="utf-8"
    )
    (folder / "teams.csv").write_text("team_id,name\nt1,Team one\n", encoding="utf-8")
    (folder / "members.csv").write_text(
        "member_id,team_id,employed_from\nm1,t1,2016-01-04\n", encoding="utf-8"
    )
    loaded = open_source(f"csv:{folder}").read()
    path = tmp_path / "data.json"
    JsonExporter(path).write_dataset(loaded)
    written = json.loads(path.read_text("utf-8"))
    assert [{"report_id", "district", "received_at"}] == [set(row) for row in written["reports"]]
    assert {"team_id", "name", "founded_on"} == set(written["teams"][0])
    again = JsonSource(path).read()
    assert loaded == again
    assert (1, 1, 1) == (len(again.teams), len(again.members), len(again.reports))
    assert not again.has_column("reports", "protection_assessed_at")
    assert again.has_column("reports", "received_at")


def test_row_objects_without_any_key_are_an_error_not_an_empty_table(tmp_path: Path) -> None:
    """``[{}, {}]`` names no column: the required columns are missing, not zero members."""
    errors = load_errors(document(tmp_path, {"members": [{}, {}]}))
    assert [
        ("members", None, "member_id"),
        ("members", None, "team_id"),
        ("members", None, "employed_from"),
    ] == places(errors)


def test_members_of_a_team_whose_table_the_source_lacked_round_trip(tmp_path: Path) -> None:
    """A source without a teams table: the export holds the members only, and reads back."""
    folder = tmp_path / "extract"
    folder.mkdir()
    (folder / "members.csv").write_text(
        "member_id,team_id,employed_from\nm2,t2,2017-01-02\n", encoding="utf-8"
    )
    loaded = open_source(f"csv:{folder}").read()
    path = tmp_path / "data.json"
    JsonExporter(path).write_dataset(loaded)
    assert ["members"] == list(json.loads(path.read_text("utf-8")))
    assert loaded == JsonSource(path).read()
