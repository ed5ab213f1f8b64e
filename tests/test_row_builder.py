"""The made row builder against the mapping path: the same records and the same errors.

``read_table(..., positional=True)`` builds records with a function made for
the header; the mapping path (a dict per row, the cells rules, cattrs) is the
independent second implementation it must agree with on every row, good or bad.
"""

from __future__ import annotations

import warnings
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from socforst import Absence, Assignment, Report, TeamMember
from socforst.sources.rows import UnknownColumnWarning, read_table, row_builder

# Values a cell may hold: good ones, blanks, padded ones, bad ones, and None (SQL NULL).
CELLS = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "r1",
            " r2 ",
            "m1",
            "t1",
            "farsta",
            " bromma ",
            "atlantis",
            "2025-03-31",
            "2025-03-31T23:30",
            "2025-03-31T23:30+00:00",
            "2025-02-30",
            "31/3/2025",
            "opened",
            "already_open",
            "maybe",
            "vacation",
            "sick",
            "0.5",
            "1",
            "2",
            "-1",
            "lvu|coaching",
            " lvu | | investigation ",
            "Anna Andersson",
            "19121212-1212",
            "agreed",
            "cancelled",
        ]
    ),
    st.text(max_size=12),
    st.none(),
)

HEADERS = {
    Report: [
        "report_id",
        "district",
        "received_at",
        "protection_assessed_at",
        "preassessment_decided_on",
        "preassessment_outcome",
        "exceptional_reason",
        "member_id",
    ],
    TeamMember: [
        "member_id",
        "team_id",
        "name",
        "employed_from",
        "employed_to",
        "extent",
        "competencies",
    ],
    Absence: ["member_id", "start", "end", "kind"],
    Assignment: [
        "assignment_id",
        "member_id",
        "district",
        "start",
        "end",
        "extent",
        "task",
        "request_id",
        "status",
    ],
}
TABLE = {Report: "reports", TeamMember: "members", Absence: "absences", Assignment: "assignments"}


# Good values per column, so that most rows build and the builder's own work is compared.
GOOD = {
    "report_id": ["r1", "r2", "x-9"],
    "member_id": ["m1", "m2"],
    "assignment_id": ["a1", "a2"],
    "team_id": ["t1"],
    "request_id": ["q1"],
    "district": ["farsta", "bromma", "socialjouren"],
    "received_at": ["2025-03-31T23:30", "2025-03-31T23:30+00:00", "2025-10-26T02:30"],
    "protection_assessed_at": ["2025-04-01T08:00"],
    "preassessment_decided_on": ["2025-04-14"],
    "preassessment_outcome": ["opened", "not_opened", "already_open"],
    "exceptional_reason": ["Anna Andersson", " padded text "],
    "name": ["Anna Andersson", " padded "],
    "employed_from": ["2016-01-01"],
    "employed_to": ["2030-12-31"],
    "start": ["2025-01-01"],
    "end": ["2025-02-01"],
    "extent": ["0.5", "1", "1.0"],
    "competencies": ["lvu|coaching", " lvu | | investigation ", "lvu"],
    "kind": ["vacation", "sick"],
    "task": ["lvu", "investigation"],
    "status": ["agreed", "cancelled", "planned"],
}


IDS = frozenset({"report_id", "assignment_id", "member_id"})


def cell(column: str, number: int) -> st.SearchStrategy[Any]:
    """Mostly a good value of *column*, sometimes padded, sometimes any cell at all.

    Ids get the row's *number*, so that rows do not repeat each other's ids.
    """
    values = GOOD.get(column, [""])
    good = st.sampled_from([f"{value}{number}" if column in IDS else value for value in values])
    padded = good.map(lambda value: f" {value}  ")
    return (
        st.one_of(good, padded)
        .flatmap(lambda value: st.sampled_from([value] * 9 + ["bad"]))
        .flatmap(lambda value: CELLS if value == "bad" else st.just(value))
    )


@st.composite
def tables(draw: st.DrawFn) -> tuple[type, list[str], list[list[Any]]]:
    """A record type, a header (some columns left out, repeated or unknown), and rows."""
    kind = draw(st.sampled_from(list(HEADERS)))
    columns = draw(
        st.one_of(
            st.permutations(HEADERS[kind]),
            st.lists(st.sampled_from([*HEADERS[kind], "unknown", " "]), max_size=12),
        )
    )
    width = len(columns)
    rows: list[list[Any]] = []
    for _ in range(draw(st.integers(0, 6))):
        cells = [draw(cell(column.strip(), len(rows))) for column in columns]
        if cells and draw(st.integers(0, 9)) == 0:
            cells.pop()  # a short row
        rows.append(cells)
    assert all(len(cells) <= width for cells in rows)
    return kind, list(columns), rows


def both_ways(kind: type, header: list[str], rows: list[list[Any]]) -> tuple[Any, Any]:
    table = TABLE[kind]
    numbered = list(enumerate(rows, start=2))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UnknownColumnWarning)
        made = read_table("f.csv", table, kind, header, numbered, positional=True)
        mapped = read_table(
            "f.csv",
            table,
            kind,
            header,
            [(n, dict(zip(header, cells, strict=False))) for n, cells in numbered],
        )
    return plain(made), plain(mapped)


def plain(result: tuple[list[Any], list[Any]]) -> tuple[list[Any], list[tuple[Any, ...]]]:
    """Records, and errors as comparable tuples (exceptions compare by identity)."""
    records, errors = result
    return records, [(e.source, e.table, e.row, e.column, e.reason) for e in errors]


@given(tables())
def test_the_made_builder_agrees_with_the_mapping_path_on_every_row(
    table: tuple[type, list[str], list[list[Any]]],
) -> None:
    kind, header, rows = table
    made, mapped = both_ways(kind, header, rows)
    assert mapped == made


def test_a_good_row_is_built_by_the_made_function_without_the_mapping_path() -> None:
    header = ("district", "report_id", "received_at", "preassessment_decided_on", "note")
    build = row_builder(Report, header)
    report = build(["farsta ", " r7", "2025-03-31T23:30+00:00", "2025-04-14", "ignored"])
    # 23:30 UTC on 31 March is 01:30 on 1 April in Stockholm (summer time began 30 March).
    assert "r7" == report.report_id
    assert "farsta" == report.district
    assert "2025-04-01" == report.received_on.isoformat()
    assert "2025-04-14" == report.preassessment_decided_on.isoformat()


def test_a_row_the_builder_cannot_build_is_reported_as_the_mapping_path_reports_it() -> None:
    header = ["report_id", "district", "received_at"]
    rows = [["r1", "farsta", "2025-02-30T10:00"], ["", "farsta", "2025-03-01"], ["r3", "x"]]
    made, mapped = both_ways(Report, header, rows)
    records, errors = made
    assert [] == records
    assert mapped == made
    # Row 2: an impossible date; row 3: an empty id; row 4: a short row without received_at.
    assert [(2, "received_at"), (3, "report_id"), (4, "received_at")] == [
        (row, column) for _, _, row, column, _ in errors
    ]
