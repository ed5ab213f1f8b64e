"""Adapters: the ports through which datasets are read and written.

A :class:`Source` reads a :class:`~socforst.dataset.Dataset`; an
:class:`Exporter` writes one, or rows of deadlines. Neither is a base class: any
object with the method is one. Adapters are found by name through entry points
(see :mod:`socforst.registry`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    # Annotations only: importing the models here would load numpy for every CSV cell
    # the command line writes (socforst.sources.cells is in this package).
    from socforst.dataset import Dataset
    from socforst.rules.base import EvaluatedDeadline

__all__ = ["DEADLINE_COLUMNS", "Exporter", "Source"]

DEADLINE_COLUMNS = (
    "kind",
    "subject_id",
    "district",
    "starts_on",
    "due_on",
    "met_on",
    "status",
    "reference",
)
"""The columns of the deadline output, in order (``deadlines.csv``)."""


@runtime_checkable
class Source(Protocol):
    """Something that reads a dataset."""

    def read(self) -> Dataset:
        """Read every table; raise :class:`~socforst.errors.LoadError` listing every bad row."""
        ...


@runtime_checkable
class Exporter(Protocol):
    """Something that writes a dataset, or deadlines, without losing the old data on failure."""

    def write_dataset(self, dataset: Dataset) -> None:
        """Write every table of *dataset*."""
        ...

    def write_deadlines(self, deadlines: Iterable[EvaluatedDeadline]) -> None:
        """Write deadlines with the columns of :data:`DEADLINE_COLUMNS`."""
        ...
