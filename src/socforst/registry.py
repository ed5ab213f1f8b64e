"""Adapters found by name: entry points ``socforst.sources`` and ``socforst.exporters``.

socforst's own adapters are declared in the same groups as any plugin's, so a
city can add a source for its case system by installing a package, without
touching socforst. Listing the names imports nothing; an adapter is imported on
first use; one that fails to import is reported by name and does not break the
others.

An entry point names a callable that takes the location (a folder, a file, a
URL) and keyword options, and returns a source or an exporter.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.metadata import EntryPoint, entry_points
from typing import Any

from socforst.errors import PluginError, SocforstError
from socforst.sources import Exporter, Source

__all__ = [
    "EXPORTER_GROUP",
    "SOURCE_GROUP",
    "UnknownAdapterError",
    "exporter_names",
    "open_exporter",
    "open_source",
    "register_exporter",
    "register_source",
    "source_names",
]

SOURCE_GROUP = "socforst.sources"
EXPORTER_GROUP = "socforst.exporters"

Factory = Callable[..., Any]
_registered: dict[str, dict[str, Factory]] = {SOURCE_GROUP: {}, EXPORTER_GROUP: {}}


class UnknownAdapterError(SocforstError, LookupError):
    """No source or exporter has this name.

    Attributes:
        name: The name asked for.
        known: The names there are.
    """

    def __init__(self, what: str, name: str, known: list[str]) -> None:
        self.name = name
        self.known = tuple(known)
        super().__init__(f"no {what} named {name!r}; known: {', '.join(self.known) or 'none'}")

    def __str__(self) -> str:
        return str(self.args[0])


def _points(group: str) -> dict[str, EntryPoint]:
    return {point.name: point for point in entry_points(group=group)}


def source_names() -> list[str]:
    """The names of every source, installed or registered, without importing any."""
    return sorted(set(_points(SOURCE_GROUP)) | set(_registered[SOURCE_GROUP]))


def exporter_names() -> list[str]:
    """The names of every exporter, installed or registered, without importing any."""
    return sorted(set(_points(EXPORTER_GROUP)) | set(_registered[EXPORTER_GROUP]))


def register_source(name: str, factory: Factory) -> None:
    """Make a source available by name in this process (for tests and embedding)."""
    _registered[SOURCE_GROUP][name] = factory


def register_exporter(name: str, factory: Factory) -> None:
    """Make an exporter available by name in this process (for tests and embedding)."""
    _registered[EXPORTER_GROUP][name] = factory


def _factory(group: str, what: str, name: str) -> Factory:
    factory = _registered[group].get(name)
    if factory is not None:
        return factory
    point = _points(group).get(name)
    if point is None:
        names = source_names() if group == SOURCE_GROUP else exporter_names()
        raise UnknownAdapterError(what, name, names)
    try:
        loaded = point.load()
    except Exception as error:
        raise PluginError(f"{point.name} = {point.value}", f"failed to load: {error}") from error
    if not callable(loaded):
        raise PluginError(f"{point.name} = {point.value}", "is not callable")
    return loaded  # type: ignore[no-any-return]


def _split(spec: str) -> tuple[str, str]:
    if "://" in spec:
        # A database URL (postgresql+psycopg://..., sqlite:///...): the SQL adapter's.
        return "sql", spec
    name, sep, location = spec.partition(":")
    if not sep:
        return spec, ""
    return name, location


def open_source(spec: str, **options: Any) -> Source:
    """The source a spec names, found through the entry points.

    ``csv:DIR``, ``json:FILE``, ``xlsx:FILE``, ``sqlite:FILE``, a SQLAlchemy URL
    (``postgresql+psycopg://...``), or ``NAME:LOCATION`` of a plugin.

    Args:
        spec: The adapter's name, a colon, and the location.
        options: Passed to the adapter (``delimiter=";"``, ``encoding="cp1252"``, ...).

    Raises:
        UnknownAdapterError: If no source has the name; it lists those that do.
        PluginError: If the named plugin fails to load.

    Example:
        >>> import socforst
        >>> type(socforst.open_source("json:extract.json")).__name__
        'JsonSource'
    """
    name, location = _split(spec)
    source = _factory(SOURCE_GROUP, "source", name)(location, **options)
    if not isinstance(source, Source):
        raise PluginError(name, f"gave a {type(source).__name__}, which has no read()")
    return source


def open_exporter(spec: str, **options: Any) -> Exporter:
    """The exporter a spec names: ``csv:DIR``, ``json:FILE``, or a plugin's ``NAME:LOCATION``.

    Raises:
        UnknownAdapterError: If no exporter has the name; it lists those that do.
        PluginError: If the named plugin fails to load.
    """
    name, location = _split(spec)
    exporter = _factory(EXPORTER_GROUP, "exporter", name)(location, **options)
    if not isinstance(exporter, Exporter):
        raise PluginError(name, f"gave a {type(exporter).__name__}, which is not an exporter")
    return exporter
