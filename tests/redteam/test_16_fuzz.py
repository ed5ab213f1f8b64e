"""Category 16 of the red-team report: fuzzed cells in CSV and JSON.

The review put 3,000 + 3,000 random cells into CSV folders and JSON documents:
every load must give a dataset or one ``LoadError`` (never another exception),
and a load that fails must say where (table, row, column) without repeating a
value that could be personal data. Here any text, any JSON value, in any column
of any table; the valid rows come from the PIN sweep's module.
"""

from __future__ import annotations

import csv
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import socforst
from tests.redteam.test_09_pin_sweep import CELLS, VALID

# Any text a CSV file can hold (UTF-8 cannot hold a lone surrogate).
CSV_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)
# Any JSON value: text with lone surrogates too (a "\ud800" escape), numbers, lists, objects.
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=5,
)
MARKER = "Zyxwvut Qponmlk"
"""A name-like text put beside the fuzzed cell: no message may repeat it."""


def outcome(spec: str) -> tuple[bool, list[str]]:
    """Load *spec*: whether it loaded, and every message of a failed load."""
    try:
        socforst.open_source(spec).read()
    except socforst.LoadError as error:
        said = [str(error), *(str(e) for e in error.exceptions)]
        return False, said
    return True, []


@settings(
    max_examples=150,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(cell=st.sampled_from(CELLS), text=CSV_TEXT)
def test_any_text_in_any_csv_cell_gives_a_dataset_or_a_load_error(
    tmp_path_factory: pytest.TempPathFactory, cell: tuple[str, str], text: str
) -> None:
    """A fuzzed CSV cell never raises anything but LoadError, and a failure names its place."""
    table, column = cell
    folder = tmp_path_factory.mktemp("csv")
    row = {**VALID[table], column: text}
    with (folder / f"{table}.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([*row, "note"])
        writer.writerow([*row.values(), MARKER])
    with pytest.warns(socforst.sources.rows.UnknownColumnWarning):
        loaded, said = outcome(f"csv:{folder}")
    assert loaded or said
    assert [] == [message for message in said if MARKER in message]


@settings(
    max_examples=150,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(cell=st.sampled_from(CELLS), value=JSON_VALUES)
def test_any_value_in_any_json_cell_gives_a_dataset_or_a_load_error(
    tmp_path_factory: pytest.TempPathFactory, cell: tuple[str, str], value: Any
) -> None:
    """A fuzzed JSON value never raises anything but LoadError, and never shows a name beside it."""
    table, column = cell
    path = tmp_path_factory.mktemp("json") / "data.json"
    row: dict[str, Any] = {**VALID[table], column: value}
    if "name" in row and column != "name":
        row["name"] = MARKER
    path.write_text(json.dumps({table: [row]}), encoding="utf-8")
    loaded, said = outcome(f"json:{path}")
    assert loaded or said
    assert [] == [message for message in said if MARKER in message]
