"""Red-team report 2026-11, category 12: pseudonymisation (keys, forms, determinism, folders).

Each case is written from a reproduction of the report (F3, F8, F11, F30, F31,
F34, F39). The personal identity numbers are made up: ``811218-9876`` (born
1981-12-18; Luhn over 811218987: 16→7, 1, 2, 2, 2→2, 8, 18→9, 8, 14→5 sums to
44, so the check digit is 6) and the coordination number ``701063-2391``
(day 03 + 60).

The expected pseudonyms are worked out here with ``hmac``, ``hashlib`` and
``base64`` from the 12-digit form of each number written by hand, and the
absence of a number in a copy is checked twice: with socforst's own detector
and with an independent one written in this module (strip everything but the
digits of each cell and look for the number's ten digits).
"""

from __future__ import annotations

import base64
import csv
import hashlib
import hmac
import os
import tempfile
import unicodedata
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import socforst
from socforst import LoadError
from socforst._pin import contains_pin
from socforst.cli import main as socforst_main
from socforst.dataset import TABLES
from socforst.errors import RowError, SocforstError
from socforst.ids import case_number_columns
from socforst.privacy import (
    KEY_VARIABLE,
    MARKER,
    PseudonymizationError,
    PseudonymKeyError,
    key_from_environment,
    normalize_personal_identity_number,
    pseudonymize,
    pseudonymize_csv_folder,
)
from socforst.privacy import main as privacy_main
from socforst.sources.rows import UnknownColumnWarning, columns_of

KEY = b"a red-team key, long and varied enough"
OTHER_KEY = b"another red-team key, also long enough"
PIN = "811218-9876"
PIN_12 = "198112189876"
TEN = "8112189876"
COORDINATION = "701063-2391"
COORDINATION_12 = "197010632391"


def expected_pseudonym(normal_form: str, key: bytes = KEY) -> str:
    """``p`` + 20 characters of the lower-case base32 HMAC-SHA256 of the normal form."""
    digest = hmac.new(key, normal_form.encode("utf-8"), hashlib.sha256).digest()
    return "p" + base64.b32encode(digest).decode("ascii").lower()[:20]


P = expected_pseudonym(PIN_12)
FULL_WIDTH_DIGITS = "".join(chr(0xFF10 + digit) for digit in range(10))  # U+FF10-U+FF19

# Every spelling of 811218-9876 the report tried (F10, F11), and the ones its notes add.
SPELLINGS = {
    "dash": "811218-9876",
    "no separator": "8112189876",
    "century and dash": "19811218-9876",
    "century, no separator": "198112189876",
    "space": "811218 9876",
    "century and space": "19811218 9876",
    "dot": "811218.9876",
    "underscore": "811218_9876",
    "en dash": "811218\u20139876",
    "minus sign": "811218\u22129876",
    "no-break space": "811218\u00a09876",
    "zero-width space": "811218\u200b9876",
    "full-width digits": "811218-9876".translate(str.maketrans("0123456789", FULL_WIDTH_DIGITS)),
}


def digits_of(text: str) -> str:
    """The decimal digits of *text*, as ASCII, everything else left out (the second detector)."""
    return "".join(str(unicodedata.digit(char)) for char in text if char.isdecimal())


def row_errors(error: LoadError) -> list[RowError]:
    """The members of a LoadError, each checked to be a RowError."""
    members = [member for member in error.exceptions if isinstance(member, RowError)]
    assert len(error.exceptions) == len(members)
    return members


def write_csv(path: Path, rows: list[list[str]]) -> None:
    """Write *rows* (the header first) as a UTF-8 CSV file."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def read_csv(path: Path) -> list[list[str]]:
    """The rows of a CSV file, the header first."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def column(path: Path, name: str) -> list[str]:
    """The values of one column of a CSV file."""
    header, *rows = read_csv(path)
    return [row[header.index(name)] for row in rows]


def folder_state(folder: Path) -> dict[str, bytes]:
    """Every file of *folder* (hidden ones included) and its bytes."""
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


# -- F11: every spelling, every column kind --------------------------------------------


# (table, column, header, row template): the cell "{}" is where the number goes.
COLUMN_KINDS: dict[str, tuple[str, str, list[str], list[str]]] = {
    "id": (
        "members",
        "member_id",
        ["member_id", "team_id", "employed_from"],
        ["{}", "t1", "2016-01-04"],
    ),
    "id in another table": (
        "assignments",
        "member_id",
        ["assignment_id", "member_id", "district", "start", "end"],
        ["a1", "{}", "farsta", "2025-03-03", "2025-03-28"],
    ),
    "district": (
        "assignments",
        "district",
        ["assignment_id", "member_id", "district", "start", "end"],
        ["a1", "m1", "{}", "2025-03-03", "2025-03-28"],
    ),
    "free text": (
        "assignments",
        "task",
        ["assignment_id", "member_id", "district", "start", "end", "task"],
        ["a1", "m1", "farsta", "2025-03-03", "2025-03-28", "ring om {} i dag"],
    ),
    "date": ("absences", "start", ["member_id", "start", "end"], ["m1", "{}", "2025-01-31"]),
    "district code": (
        "districts",
        "code",
        ["code", "name", "valid_from"],
        ["{}", "Nyby", "2016-01-01"],
    ),
    "case id": (
        "reports",
        "report_id",
        ["report_id", "district", "received_at"],
        ["{}", "farsta", "2025-03-03T09:00"],
    ),
}


@pytest.mark.parametrize("kind", list(COLUMN_KINDS))
@pytest.mark.parametrize("spelling", list(SPELLINGS))
def test_every_spelling_in_every_column_kind_becomes_the_one_pseudonym(
    tmp_path: Path, spelling: str, kind: str
) -> None:
    """F11: dot, underscore, space, en dash, ... in ids, districts, free text: all replaced."""
    table, name, header, template = COLUMN_KINDS[kind]
    source = tmp_path / "extract"
    source.mkdir()
    write_csv(
        source / f"{table}.csv", [header, [cell.format(SPELLINGS[spelling]) for cell in template]]
    )
    target = tmp_path / "pseudonymised"
    assert {table: 1} == pseudonymize_csv_folder(source, target, KEY)
    expected = template[header.index(name)].format(P)
    assert [expected] == column(target / f"{table}.csv", name)
    text = (target / f"{table}.csv").read_text(encoding="utf-8")
    assert not contains_pin(text)
    assert TEN not in digits_of(text)


@pytest.mark.parametrize(
    ("written", "expected_id"),
    [
        ("m-811218-9876", f"m-{P}"),
        ("m-811218.9876", f"m-{P}"),
        ("m-811218_9876", f"m-{P}"),
        ("m-19811218-9876", f"m-{P}"),
        ("case_8112189876_b", f"case_{P}_b"),
        ("811218-9876-x", f"{P}-x"),
    ],
)
def test_a_number_inside_a_longer_id_is_replaced_in_place_so_the_id_stays_an_id(
    tmp_path: Path, written: str, expected_id: str
) -> None:
    """F11: ``m-YYMMDD-XXXX`` becomes ``m-`` + the pseudonym, and the copy loads."""
    source = tmp_path / "extract"
    source.mkdir()
    write_csv(
        source / "members.csv",
        [["member_id", "team_id", "employed_from"], [written, "t1", "2016-01-04"]],
    )
    target = tmp_path / "pseudonymised"
    pseudonymize_csv_folder(source, target, KEY)
    data = socforst.open_source(f"csv:{target}").read()
    assert [expected_id] == [member.member_id for member in data.members]


def test_the_reports_mixed_folder_loads_with_no_number_left(tmp_path: Path) -> None:
    """F11's reproduction: a dash, a prefixed and a dot form; all three replaced."""
    source = tmp_path / "src"
    source.mkdir()
    write_csv(
        source / "members.csv",
        [
            ["member_id", "team_id", "employed_from"],
            [PIN, "t1", "2016-01-04"],
            [f"m-{PIN}", "t1", "2016-01-04"],
            [COORDINATION.replace("-", "."), "t1", "2016-01-04"],
        ],
    )
    target = tmp_path / "out"
    assert {"members": 3} == pseudonymize_csv_folder(source, target, KEY)
    data = socforst.open_source(f"csv:{target}").read()
    assert [P, f"m-{P}", expected_pseudonym(COORDINATION_12)] == [
        member.member_id for member in data.members
    ]


def test_every_spelling_of_one_person_gets_one_pseudonym_across_tables(tmp_path: Path) -> None:
    """F11: one person, one pseudonym, whichever spelling each table uses."""
    source = tmp_path / "extract"
    source.mkdir()
    spellings = list(SPELLINGS.values())
    write_csv(
        source / "assignments.csv",
        [["assignment_id", "member_id", "district", "start", "end"]]
        + [[f"a{i}", s, "farsta", "2025-03-03", "2025-03-28"] for i, s in enumerate(spellings)],
    )
    write_csv(
        source / "reports.csv",
        [["report_id", "district", "received_at", "member_id"]]
        + [[f"r{i}", "farsta", "2025-03-03T09:00", s] for i, s in enumerate(spellings)],
    )
    target = tmp_path / "pseudonymised"
    pseudonymize_csv_folder(source, target, KEY)
    assert {P} == set(column(target / "assignments.csv", "member_id"))
    assert {P} == set(column(target / "reports.csv", "member_id"))


@pytest.mark.parametrize("spelling", [*SPELLINGS.values(), " 811218-9876\x00", "\u200b8112189876"])
def test_every_spelling_has_the_one_normal_form(spelling: str) -> None:
    """normalize_personal_identity_number accepts every spelling the detector finds."""
    assert PIN_12 == normalize_personal_identity_number(spelling)
    assert P == pseudonymize(spelling, KEY)


def test_the_same_key_gives_the_same_copy_and_another_key_another(tmp_path: Path) -> None:
    """Determinism per key, difference per key (what held up in the report still holds)."""
    source = tmp_path / "extract"
    source.mkdir()
    write_csv(
        source / "members.csv",
        [["member_id", "team_id", "employed_from"], [PIN, "t1", "2016-01-04"]],
    )
    first, second, third = (tmp_path / name for name in ("first", "second", "third"))
    pseudonymize_csv_folder(source, first, KEY)
    pseudonymize_csv_folder(source, second, KEY)
    pseudonymize_csv_folder(source, third, OTHER_KEY)
    assert folder_state(first) == folder_state(second)
    assert [P] == column(first / "members.csv", "member_id")
    assert [expected_pseudonym(PIN_12, OTHER_KEY)] == column(third / "members.csv", "member_id")
    assert P != expected_pseudonym(PIN_12, OTHER_KEY)


# -- The property: a number anywhere, no number in the copy ----------------------------


def luhn_digit(nine: str) -> str:
    """The check digit of YYMMDDNNN (SKV 704), written independently of socforst."""
    total = 0
    for position, char in enumerate(nine):
        product = int(char) * (2 - position % 2)
        total += product // 10 + product % 10
    return str((10 - total % 10) % 10)


@st.composite
def pins(draw: st.DrawFn) -> str:
    """Ten digits YYMMDDNNNC of a valid personal or coordination number."""
    year = draw(st.integers(0, 99))
    month = draw(st.integers(1, 12))
    day = draw(st.integers(1, 28)) + draw(st.sampled_from([0, 60]))
    serial = draw(st.integers(0, 999))
    nine = f"{year:02d}{month:02d}{day:02d}{serial:03d}"
    return nine + luhn_digit(nine)


FULL_WIDTH = str.maketrans("0123456789", FULL_WIDTH_DIGITS)


@st.composite
def spellings(draw: st.DrawFn, ten: str) -> str:
    """One spelling of *ten*: century or not, any separator, padding, inside other text."""
    century = draw(st.sampled_from(["", "19", "20"]))
    separator = draw(st.sampled_from(["", "-", "+", " ", ".", "_", "\u2013", "\u2212", "\u00a0"]))
    text = century + ten[:6] + separator + ten[6:]
    if draw(st.booleans()):
        text = text.translate(FULL_WIDTH)
    prefix = draw(st.sampled_from(["", "m-", "x_", "ärende ", "\x00", " "]))
    suffix = draw(st.sampled_from(["", "-b", " slut", "\x00", "\u200b", "."]))
    return prefix + text + suffix


@st.composite
def placements(draw: st.DrawFn) -> tuple[str, list[str], str]:
    """A table, its header (the known columns and an unknown one), and the column to fill."""
    table = draw(st.sampled_from(sorted(TABLES)))
    header = [*columns_of(TABLES[table]), "comment"]
    return table, header, draw(st.sampled_from(header))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), all_ids=st.booleans(), keep_names=st.booleans())
def test_a_number_in_any_spelling_in_any_column_of_any_table_leaves_no_trace(
    data: st.DataObject, all_ids: bool, keep_names: bool
) -> None:
    """F11 as a property: whatever the spelling and place, the copy holds none of its digits."""
    ten = data.draw(pins(), label="number")
    spelling = data.draw(spellings(ten), label="spelling")
    table, header, name = data.draw(placements(), label="place")
    row = ["" for _ in header]
    row[header.index(name)] = spelling
    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder) / "extract", Path(folder) / "pseudonymised"
        source.mkdir()
        write_csv(source / f"{table}.csv", [header, row])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UnknownColumnWarning)
            pseudonymize_csv_folder(source, target, KEY, all_ids=all_ids, keep_names=keep_names)
        text = (target / f"{table}.csv").read_text(encoding="utf-8")
        assert not contains_pin(text)
        for cells in read_csv(target / f"{table}.csv"):
            for cell in cells:
                assert ten not in digits_of(cell)


# -- F3: all or nothing -------------------------------------------------------------------


@pytest.fixture
def extract(tmp_path: Path) -> Path:
    """A folder of three tables that name one person by number."""
    folder = tmp_path / "extract"
    folder.mkdir()
    write_csv(
        folder / "members.csv",
        [["member_id", "team_id", "employed_from"], [PIN, "t1", "2016-01-04"]],
    )
    write_csv(
        folder / "assignments.csv",
        [
            ["assignment_id", "member_id", "district", "start", "end"],
            ["a1", PIN, "farsta", "2025-03-03", "2025-03-28"],
        ],
    )
    write_csv(
        folder / "reports.csv",
        [
            ["report_id", "district", "received_at", "member_id"],
            ["r1", "farsta", "2025-03-03T09:00", PIN],
        ],
    )
    return folder


def failing_on_call(
    monkeypatch: pytest.MonkeyPatch, module: Any, name: str, k: int
) -> Callable[[], int]:
    """Make ``module.name`` raise OSError on its k-th call; returns a call counter."""
    real = getattr(module, name)
    calls = 0

    def fake(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == k:
            raise OSError(28, "No space left on device (injected)")
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, fake)
    return lambda: calls


@pytest.mark.parametrize("k", [1, 2, 3])
def test_a_failure_replacing_the_kth_file_leaves_the_earlier_copy_whole(
    extract: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, k: int
) -> None:
    """F3: a re-run with another key that fails at the k-th file never mixes the two keys."""
    target = tmp_path / "mix"
    pseudonymize_csv_folder(extract, target, KEY)
    before = folder_state(target)
    assert {MARKER, "members.csv", "assignments.csv", "reports.csv"} == set(before)
    failing_on_call(monkeypatch, os, "replace", k)
    with pytest.raises(OSError, match=r"(?i)no space left"):
        pseudonymize_csv_folder(extract, target, OTHER_KEY, overwrite=True)
    monkeypatch.undo()
    assert before == folder_state(target)  # the same files, no temporary ones, no journal
    assert {P} == {
        value
        for table in ("members", "assignments", "reports")
        for value in column(target / f"{table}.csv", "member_id")
    }


@pytest.mark.parametrize("k", [1, 2, 3])
def test_a_failure_writing_the_kth_file_into_a_new_folder_leaves_no_folder(
    extract: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, k: int
) -> None:
    """F3: a failure part-way through writing leaves the target as it was: absent."""
    target = tmp_path / "new" / "pseudonymised"
    failing_on_call(monkeypatch, os, "fsync", k)
    with pytest.raises(OSError, match=r"(?i)no space left"):
        pseudonymize_csv_folder(extract, target, KEY)
    monkeypatch.undo()
    assert not (tmp_path / "new").exists()


def test_a_folder_in_the_way_of_one_file_changes_nothing(extract: Path, tmp_path: Path) -> None:
    """F3's trigger: ``reports.csv`` is a folder; no file is replaced, no temporary file left."""
    target = tmp_path / "mix"
    pseudonymize_csv_folder(extract, target, KEY)
    (target / "reports.csv").unlink()
    (target / "reports.csv").mkdir()
    before = folder_state_without_folders(target)
    with pytest.raises(SocforstError, match=r"reports\.csv"):
        pseudonymize_csv_folder(extract, target, OTHER_KEY, overwrite=True)
    assert before == folder_state_without_folders(target)


def folder_state_without_folders(folder: Path) -> dict[str, bytes]:
    """Every file of *folder* and its bytes; sub-folders listed by name only."""
    return {
        path.name: b"<folder>" if path.is_dir() else path.read_bytes()
        for path in sorted(folder.iterdir())
    }


def test_a_run_with_another_key_into_an_earlier_copy_is_refused(
    extract: Path, tmp_path: Path
) -> None:
    """F3: ``pseudonymize src mix`` twice with two keys: the second is refused, nothing mixed."""
    target = tmp_path / "mix"
    pseudonymize_csv_folder(extract, target, KEY)
    before = folder_state(target)
    with pytest.raises(PseudonymizationError, match="another key"):
        pseudonymize_csv_folder(extract, target, OTHER_KEY)
    assert before == folder_state(target)


def test_a_run_into_a_folder_holding_an_extract_is_refused(extract: Path, tmp_path: Path) -> None:
    """Source and target swapped by mistake: the raw extract is not overwritten."""
    copy = tmp_path / "pseudonymised"
    pseudonymize_csv_folder(extract, copy, KEY)
    before = folder_state(extract)
    with pytest.raises(PseudonymizationError, match="did not write"):
        pseudonymize_csv_folder(copy, extract, KEY)
    assert before == folder_state(extract)


def test_the_same_key_again_replaces_its_tables_and_keeps_the_others(
    extract: Path, tmp_path: Path
) -> None:
    """With one key the tables link, so a narrower extract may be added to a copy."""
    target = tmp_path / "copy"
    pseudonymize_csv_folder(extract, target, KEY)
    reports = (target / "reports.csv").read_bytes()
    (extract / "reports.csv").unlink()
    write_csv(
        extract / "members.csv",
        [["member_id", "team_id", "employed_from"], [COORDINATION, "t1", "2016-01-04"]],
    )
    assert {"members": 1, "assignments": 1} == pseudonymize_csv_folder(extract, target, KEY)
    assert [expected_pseudonym(COORDINATION_12)] == column(target / "members.csv", "member_id")
    assert reports == (target / "reports.csv").read_bytes()


def test_overwrite_replaces_every_table_and_removes_those_the_source_lacks(
    extract: Path, tmp_path: Path
) -> None:
    """F3: with another key and ``overwrite``, the folder holds the new key's copy alone."""
    target = tmp_path / "mix"
    pseudonymize_csv_folder(extract, target, KEY)
    (extract / "reports.csv").unlink()
    pseudonymize_csv_folder(extract, target, OTHER_KEY, overwrite=True)
    assert {MARKER, "members.csv", "assignments.csv"} == set(folder_state(target))
    other = expected_pseudonym(PIN_12, OTHER_KEY)
    assert [other] == column(target / "members.csv", "member_id")
    assert [other] == column(target / "assignments.csv", "member_id")


# -- F30: every problem at once ----------------------------------------------------------


def test_every_bad_file_and_row_is_reported_at_once(tmp_path: Path) -> None:
    """F30: a long row, bad quoting and the wrong encoding, in three files: one LoadError."""
    source = tmp_path / "extract"
    source.mkdir()
    write_csv(
        source / "members.csv",
        [
            ["member_id", "team_id", "employed_from"],
            ["m1", "t1", "2016-01-04"],
            ["m2", "t1", "2016-01-04", "extra"],
            ["m3", "t1", "2016-01-04", "extra", "more"],
        ],
    )
    (source / "teams.csv").write_text('team_id,name\nt1,"Team\n', encoding="utf-8")
    (source / "reports.csv").write_bytes(
        b"report_id,district,received_at\nr1,S\xf6der,2025-03-03\nr2,farsta,2025-03-03\nr3,\xe5,x\n"
    )
    target = tmp_path / "pseudonymised"
    with pytest.raises(LoadError) as caught:
        pseudonymize_csv_folder(source, target, KEY)
    found = sorted((e.table, e.row) for e in row_errors(caught.value))
    assert [("members", 3), ("members", 4), ("reports", 2), ("reports", 4), ("teams", 2)] == found
    assert isinstance(caught.value, socforst.SocforstError)
    assert caught.value.message.startswith("5 problems")
    assert not target.exists()


def test_a_column_named_twice_is_a_problem_of_its_own(tmp_path: Path) -> None:
    """Two ``member_id`` columns would be copied twice: refused, with the place."""
    source = tmp_path / "extract"
    source.mkdir()
    write_csv(
        source / "members.csv",
        [["member_id", "team_id", "member_id", "employed_from"], [PIN, "t1", "m1", "2016-01-04"]],
    )
    with pytest.raises(LoadError) as caught:
        pseudonymize_csv_folder(source, tmp_path / "out", KEY)
    assert [("members", 1, "member_id")] == [
        (e.table, e.row, e.column) for e in row_errors(caught.value)
    ]


# -- F8: header cells are values too -------------------------------------------------------


def test_the_unknown_column_note_of_a_headerless_extract_shows_no_number_nor_name(
    tmp_path: Path,
) -> None:
    """F8: an extract without a header row has a person where the column names should be."""
    source = tmp_path / "h"
    source.mkdir()
    (source / "members.csv").write_text(
        f"{PIN},t1,Anna Andersson,2016-01-04\nm2,t1,Bo Berg,2016-01-04\n", encoding="utf-8"
    )
    with pytest.warns(UnknownColumnWarning) as caught:
        pseudonymize_csv_folder(source, tmp_path / "out", KEY)
    (message,) = [str(warning.message) for warning in caught]
    assert not contains_pin(message)
    assert TEN not in digits_of(message)
    assert "Anna" not in message
    # A cell that is a plain lower-case name may be quoted; every other one is described.
    assert message.endswith(
        "not copying 4 unknown columns: "
        "column 1 of 11 characters (not shown: it may be personal data), 't1', "
        "column 3 of 14 characters (not shown: it may be personal data), "
        "column 4 of 10 characters (not shown: it may be personal data)"
    )


def test_the_command_note_shows_no_header_cell_that_may_be_personal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """F8: the same through ``socforst pseudonymize`` and ``python -m socforst.privacy``."""
    source = tmp_path / "h"
    source.mkdir()
    (source / "members.csv").write_text(f"{PIN},t1,Anna Andersson,2016-01-04\n", encoding="utf-8")
    monkeypatch.setenv(KEY_VARIABLE, KEY.decode("ascii"))
    assert 0 == socforst_main(["pseudonymize", str(source), str(tmp_path / "a")])
    assert 0 == privacy_main([str(source), str(tmp_path / "b")])
    captured = capsys.readouterr()
    output = captured.err + captured.out
    assert "not copying" in output
    assert not contains_pin(output)
    assert "Anna" not in output


# -- F31: one set of exit statuses ---------------------------------------------------------


def run_both(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, int]:
    """The exit statuses of ``socforst pseudonymize`` and ``python -m socforst.privacy``."""
    first = socforst_main(["pseudonymize", *args])
    second = privacy_main(list(args))
    capsys.readouterr()
    return first, second


def test_both_commands_exit_with_the_same_status_for_the_same_error(
    extract: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """F31: 0 done, 1 an error (key, folder, data), 2 a usage error, in both commands."""
    out = str(tmp_path / "out")
    monkeypatch.delenv(KEY_VARIABLE, raising=False)
    assert (1, 1) == run_both(capsys, str(extract), out)  # no key
    monkeypatch.setenv(KEY_VARIABLE, "a" * 20)
    assert (1, 1) == run_both(capsys, str(extract), out)  # a weak key
    monkeypatch.setenv(KEY_VARIABLE, KEY.decode("ascii"))
    assert (1, 1) == run_both(capsys, str(tmp_path / "missing"), out)
    assert (1, 1) == run_both(capsys, str(extract), out, "--key-env", "PATH")
    assert (1, 1) == run_both(capsys, str(extract), out, "--key-env", "")
    assert (1, 1) == run_both(capsys, str(extract), out, "--delimiter", ";;")
    assert (2, 2) == run_both(capsys, str(extract), out, "--no-such-option")
    assert (2, 2) == run_both(capsys, str(extract))
    write_csv(extract / "teams.csv", [["team_id", "name"], ["t1", "Team", "extra"]])
    assert (1, 1) == run_both(capsys, str(extract), out)
    (extract / "teams.csv").unlink()
    assert (0, 0) == run_both(capsys, str(extract), out)


# -- F34: weak keys ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key",
    [
        " " * 16,
        "\t" * 32,
        "a" * 16,
        "abababababababab",
        "passwordpassword",
        b"\x00" * 32,
        "0000000000000000000000",
    ],
)
def test_a_key_with_too_little_variety_is_refused_without_showing_it(key: str | bytes) -> None:
    """F34: 16 spaces and ``aaaaaaaaaaaaaaaa`` are 16 bytes but no secret."""
    with pytest.raises(PseudonymKeyError) as caught:
        pseudonymize(PIN, key)
    message = str(caught.value)
    text = key if isinstance(key, str) else key.decode("latin-1")
    assert text not in message
    assert "whitespace" in message or "different" in message


def test_a_random_key_is_accepted() -> None:
    """The key the docs tell users to make passes every check."""
    key = "Zk3_q9VbX-2LwP8mRt6yNc4HsJ1fDg7eUa5oIi0KlQ"
    assert expected_pseudonym(PIN_12, key.encode()) == pseudonymize(PIN, key)


def test_key_env_path_is_refused_as_a_system_variable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """F34: ``--key-env PATH`` used the search path as the key."""
    monkeypatch.setenv("PATH", os.environ.get("PATH", "/usr/bin:/bin"))
    for name in ("PATH", "HOME", "path", "LC_ALL"):
        with pytest.raises(PseudonymKeyError, match="system variable"):
            key_from_environment(name)


def test_a_key_that_is_a_path_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """F34: a variable of one's own that holds a path (a file name, not its content)."""
    folder = tmp_path / "a-folder-with-a-long-name"
    folder.mkdir()
    monkeypatch.setenv("MY_KEY", f"{folder}{os.pathsep}/usr/bin")
    with pytest.raises(PseudonymKeyError, match="file path") as caught:
        key_from_environment("MY_KEY")
    assert str(folder) not in str(caught.value)


def test_key_env_empty_says_that_a_name_is_missing(
    extract: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """F34: ``--key-env ''`` said "set the environment variable  (at least ..."."""
    assert 1 == socforst_main(
        ["pseudonymize", str(extract), str(tmp_path / "out"), "--key-env", ""]
    )
    err = capsys.readouterr().err
    assert 1 == len(err.splitlines())
    assert "no environment variable named for the key" in err
    assert "variable  (" not in err


def test_a_key_typed_as_the_variable_name_is_not_shown(
    extract: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--key-env "$KEY"`` by mistake must not print the key in the error."""
    secret = "q9vbx2lwp8mrt6ync4hsj1fdg7eua5o"
    assert 1 == socforst_main(
        ["pseudonymize", str(extract), str(tmp_path / "out"), "--key-env", secret]
    )
    err = capsys.readouterr().err
    assert secret not in err
    assert "31 characters" in err


def test_a_key_with_a_trailing_line_break_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """``key`` and ``key`` + newline would not link the same people: refused, not guessed."""
    monkeypatch.setenv(KEY_VARIABLE, KEY.decode("ascii") + "\n")
    with pytest.raises(PseudonymKeyError, match="line break"):
        pseudonymize(PIN)


# -- F39: case numbers ------------------------------------------------------------------------

# 250115-012 + check digit: 2·2, 5, 0, 1, 1·2, 5, 0, 1, 2·2 = 4+5+0+1+2+5+0+1+4 = 22, so 8:
# a case number of 2025-01-15 that passes as a personnummer.
CASE_NUMBER = "2501150128"


def test_a_date_numbered_case_number_is_a_false_positive_without_the_option(
    tmp_path: Path,
) -> None:
    """F39: the rule cannot tell a case number from a person's number: it is replaced."""
    source = tmp_path / "extract"
    source.mkdir()
    write_csv(
        source / "reports.csv",
        [["report_id", "district", "received_at"], [CASE_NUMBER, "farsta", "2025-01-15T09:00"]],
    )
    pseudonymize_csv_folder(source, tmp_path / "out", KEY)
    assert [expected_pseudonym("20" + CASE_NUMBER)] == column(
        tmp_path / "out" / "reports.csv", "report_id"
    )


def test_declared_case_number_columns_are_kept_and_only_they(tmp_path: Path) -> None:
    """F39: ``case_numbers`` keeps the case ids; a person's number elsewhere is still replaced."""
    source = tmp_path / "extract"
    source.mkdir()
    write_csv(
        source / "reports.csv",
        [
            ["report_id", "district", "received_at", "member_id"],
            [CASE_NUMBER, "farsta", "2025-01-15T09:00", PIN],
        ],
    )
    write_csv(
        source / "investigations.csv",
        [
            ["investigation_id", "district", "opened_on", "report_id"],
            ["i1", "farsta", "2025-02-01", CASE_NUMBER],
        ],
    )
    target = tmp_path / "out"
    pseudonymize_csv_folder(source, target, KEY, case_numbers=["report_id"])
    assert [CASE_NUMBER] == column(target / "reports.csv", "report_id")
    assert [CASE_NUMBER] == column(target / "investigations.csv", "report_id")
    assert [P] == column(target / "reports.csv", "member_id")
    with case_number_columns(["report_id"]):
        data = socforst.open_source(f"csv:{target}").read()
    assert [CASE_NUMBER] == [report.report_id for report in data.reports]


def test_declared_case_numbers_with_all_ids_are_hashed_as_written(tmp_path: Path) -> None:
    """With ``all_ids`` a case number is still an id to replace, as written, not as a number."""
    source = tmp_path / "extract"
    source.mkdir()
    write_csv(
        source / "reports.csv",
        [["report_id", "district", "received_at"], [CASE_NUMBER, "farsta", "2025-01-15T09:00"]],
    )
    target = tmp_path / "out"
    pseudonymize_csv_folder(source, target, KEY, case_numbers=["report_id"], all_ids=True)
    assert [expected_pseudonym(CASE_NUMBER)] == column(target / "reports.csv", "report_id")


def test_the_command_takes_case_number_columns(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """F39: ``--case-numbers report_id`` in both commands."""
    source = tmp_path / "extract"
    source.mkdir()
    write_csv(
        source / "reports.csv",
        [["report_id", "district", "received_at"], [CASE_NUMBER, "farsta", "2025-01-15T09:00"]],
    )
    monkeypatch.setenv(KEY_VARIABLE, KEY.decode("ascii"))
    argv = [str(source), "--case-numbers", "report_id"]
    assert 0 == socforst_main(["pseudonymize", argv[0], str(tmp_path / "a"), *argv[1:]])
    assert 0 == privacy_main([argv[0], str(tmp_path / "b"), *argv[1:]])
    capsys.readouterr()
    assert [CASE_NUMBER] == column(tmp_path / "a" / "reports.csv", "report_id")
    assert [CASE_NUMBER] == column(tmp_path / "b" / "reports.csv", "report_id")
