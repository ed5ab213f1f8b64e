"""A dataset as one JSON document: an object with one array of row objects per table.

``{"members": [{"member_id": "m1", "team_id": "t1", "employed_from": "2016-01-04"}]}``;
values are strings as in the CSV files, or JSON numbers and arrays where those fit.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import attrs

from socforst._atomic import atomic_write
from socforst.converters import converter
from socforst.dataset import TABLES, Dataset
from socforst.errors import LoadError, RowError
from socforst.rules.base import EvaluatedDeadline
from socforst.sources import DEADLINE_COLUMNS
from socforst.sources.rows import read_table, registry_with

__all__ = ["JsonExporter", "JsonSource"]


@attrs.frozen
class JsonSource:
    """Read a dataset from one JSON document.

    Args:
        path: The ``.json`` file.
        encoding: Its encoding.
    """

    path: Path = attrs.field(converter=Path)
    encoding: str = "utf-8"

    def read(self) -> Dataset:
        """Read every table in the document.

        Raises:
            LoadError: Listing every bad row; nothing is returned.
        """
        source = str(self.path)
        try:
            text = self.path.read_text(encoding=self.encoding)
            document = json.loads(text)
        except OSError as error:
            raise LoadError(
                f"cannot read {source}",
                [RowError(source, "-", None, None, f"cannot be read: {error.strerror}")],
            ) from error
        except UnicodeDecodeError as error:
            raise LoadError(
                f"cannot read {source}",
                [RowError(source, "-", None, None, f"is not {self.encoding} text")],
            ) from error
        except json.JSONDecodeError as error:
            raise LoadError(
                f"cannot read {source}",
                [RowError(source, "-", error.lineno, None, f"is not valid JSON: {error.msg}")],
            ) from error
        except (ValueError, RecursionError) as error:
            # Nesting too deep to parse, or an integer beyond Python's digit limit.
            raise LoadError(
                f"cannot read {source}",
                [RowError(source, "-", None, None, f"is not a readable JSON document ({error})")],
            ) from error
        if not isinstance(document, dict):
            raise LoadError(
                f"cannot read {source}",
                [RowError(source, "-", None, None, "must be a JSON object of tables")],
            )
        tables: dict[str, list[Any]] = {}
        errors: list[RowError] = []
        registry = None
        for table, kind in TABLES.items():  # districts come first: the others name them
            rows = document.get(table)
            if table != "districts" and registry is None:
                registry, problems = registry_with(source, tables.get("districts", ()))
                errors += problems
            if rows is None:
                continue
            if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
                errors.append(RowError(source, table, None, None, "must be an array of objects"))
                continue
            if not rows:
                tables[table] = []
                continue
            # Each object names its own keys: the header is their union, and a
            # row without a required key is reported on its own.
            header = sorted({name for row in rows for name in row})
            records, problems = read_table(
                source,
                table,
                kind,
                header,
                ((n, row) for n, row in enumerate(rows, start=1)),
                registry,
            )
            tables[table] = records
            errors += problems
        if errors:
            raise LoadError(f"{len(errors)} problems reading {source}", errors)
        return Dataset(**tables)


@attrs.frozen
class JsonExporter:
    """Write a dataset, or deadlines, as one JSON document, atomically.

    Args:
        path: The ``.json`` file; a dataset and deadlines need different files.
        encoding: Its encoding.
    """

    path: Path = attrs.field(converter=Path)
    encoding: str = "utf-8"

    def write_dataset(self, dataset: Dataset) -> None:
        """Write every table as an array of objects."""
        document = {
            table: [converter.unstructure(record) for record in records]
            for table, records in dataset.tables()
        }
        self._write(document)

    def write_deadlines(self, deadlines: Iterable[EvaluatedDeadline]) -> None:
        """Write ``{"deadlines": [...]}`` with the columns of the deadline output."""
        rows = [
            {column: _plain(getattr(d, column)) for column in DEADLINE_COLUMNS} for d in deadlines
        ]
        self._write({"deadlines": rows})

    def _write(self, document: object) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_write(self.path, encoding=self.encoding) as handle:
            json.dump(document, handle, ensure_ascii=False, indent=1)
            handle.write("\n")


def _plain(value: object) -> object:
    if value is None or isinstance(value, int | float):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)
