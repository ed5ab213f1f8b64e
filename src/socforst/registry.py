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

import codecs
import inspect
import os
import re
from collections.abc import Callable, Mapping
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from typing import Any

from socforst.errors import PluginError, SocforstError, shown
from socforst.ids import contains_personal_identity_number as contains_pin
from socforst.sources import Exporter, Source

__all__ = [
    "EXPORTER_GROUP",
    "SOURCE_GROUP",
    "InvalidSpecError",
    "UnknownAdapterError",
    "adapter_options",
    "exporter_names",
    "location_of",
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

_SQL = "sql"
# The form of an adapter's, a URL scheme's or an option's name: quoted in a message.
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_.+-]{0,63}")
_TEXT_ENCODINGS = "utf-8, utf-8-sig, cp1252, latin-1"


class UnknownAdapterError(SocforstError, LookupError):
    """No source or exporter has this name.

    Attributes:
        name: The name asked for.
        known: The names there are.
    """

    def __init__(self, what: str, name: str, known: list[str], *, message: str = "") -> None:
        self.name = name
        self.known = tuple(known)
        super().__init__(
            message or f"no {what} named {name!r}; known: {', '.join(self.known) or 'none'}"
        )

    def __str__(self) -> str:
        return str(self.args[0])


class InvalidSpecError(SocforstError, ValueError):
    """A source or exporter spec, or an option given with it, that its adapter cannot use.

    A spec with no location (``csv``, ``csv:``), a URL with no scheme, the SQL
    adapter without a URL, an option the adapter does not take, a ``delimiter``
    that is not one character, an ``encoding`` Python does not know. The
    message names the adapter and the option, and what would work; it never
    quotes the location, which may name a person (a folder named after a case).
    """


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


def _names(group: str) -> list[str]:
    return source_names() if group == SOURCE_GROUP else exporter_names()


def _factory(group: str, what: str, name: str) -> Factory:
    factory = _registered[group].get(name)
    if factory is not None:
        return factory
    point = _points(group).get(name)
    if point is None:
        raise UnknownAdapterError(what, name, _names(group))
    try:
        loaded = point.load()
    except Exception as error:
        raise PluginError(f"{point.name} = {point.value}", f"failed to load: {error}") from error
    if not callable(loaded):
        raise PluginError(f"{point.name} = {point.value}", "is not callable")
    return loaded  # type: ignore[no-any-return]


def _quoted(text: str, kind: str) -> str:
    """A name from a spec for a message: quoted if it has the form of a name, else described."""
    if _NAME.fullmatch(text) and not contains_pin(text):
        return repr(text)
    return f"a {kind} of {len(text)} characters (not shown: it may be personal data)"


def _split(spec: str, group: str, what: str) -> tuple[str, str]:
    """The adapter's name and the location of *spec*; a database URL is the SQL adapter's.

    Raises:
        InvalidSpecError: If *spec* is empty or has no name before its colon or ``://``.
        UnknownAdapterError: If a URL's scheme is no database SQLAlchemy knows.
    """
    if not isinstance(spec, str) or not spec.strip():
        raise InvalidSpecError(
            f"the {what} spec is empty; write NAME:LOCATION, such as csv:extract/ "
            f"(known names: {', '.join(_names(group))})"
        )
    url = spec.removeprefix(f"{_SQL}:")
    scheme, sep, _ = url.partition("://")
    if sep and ":" not in scheme:
        # A database URL (postgresql+psycopg://..., sqlite:///...): the SQL adapter's.
        _check_dialect(scheme, group, what)
        return _SQL, url
    name, sep, location = spec.partition(":")
    if sep and not name:
        raise InvalidSpecError(
            f"the {what} spec has no name before ':'; write NAME:LOCATION, such as "
            f"csv:extract/ (known names: {', '.join(_names(group))})"
        )
    return name, location


def _check_dialect(scheme: str, group: str, what: str) -> None:
    """Refuse a URL whose scheme is no database SQLAlchemy knows, before anything is opened."""
    others = ", ".join(name for name in _names(group) if name != _SQL)
    if not scheme:
        raise InvalidSpecError(
            f"the {what} spec has no scheme before '://'; a database URL starts with its "
            "dialect, such as postgresql+psycopg://user@host/db or sqlite:///team.db "
            f"(other {what}s: {others})"
        )
    try:
        import sqlalchemy.exc
        from sqlalchemy.dialects import __all__ as dialect_names
        from sqlalchemy.dialects import registry as dialects
    except ImportError:
        raise InvalidSpecError(
            f"the {what} spec is a database URL (scheme {_quoted(scheme, 'scheme')}), and "
            "database URLs need SQLAlchemy: pip install 'socforst[sql]'"
        ) from None
    dialect, plus, driver = scheme.partition("+")
    try:
        dialects.load(dialect)
    except sqlalchemy.exc.NoSuchModuleError:
        if scheme in _names(group):
            raise InvalidSpecError(
                f"the {what} spec {scheme + '://...'!r} is written as a URL; write "
                f"{scheme}:LOCATION, without the slashes"
            ) from None
        raise UnknownAdapterError(
            what,
            scheme,
            _names(group),
            message=(
                f"unknown {what} scheme {_quoted(scheme, 'scheme')}; known: {others}, or a "
                f"database URL of {', '.join(sorted(dialect_names))} "
                "(such as postgresql+psycopg://user@host/db or sqlite:///team.db)"
            ),
        ) from None
    if plus:
        try:
            dialects.load(f"{dialect}.{driver}")
        except sqlalchemy.exc.NoSuchModuleError:
            raise UnknownAdapterError(
                what,
                scheme,
                _names(group),
                message=(
                    f"unknown database driver {_quoted(driver, 'driver')} for {dialect!r} "
                    f"in the {what} URL; write {dialect}://... for SQLAlchemy's default driver"
                ),
            ) from None


def _signature(factory: Factory) -> inspect.Signature | None:
    try:
        return inspect.signature(factory)
    except (TypeError, ValueError):  # a builtin or a C extension: nothing to check
        return None


def _takes_location(signature: inspect.Signature | None) -> tuple[bool, bool]:
    """Whether a factory can take a location, and whether it must have one."""
    if signature is None:
        return True, True
    for parameter in signature.parameters.values():
        if parameter.kind is inspect.Parameter.VAR_POSITIONAL:
            return True, False
        if parameter.kind in (
            inspect.Parameter.POSITIONAL_ONLY,
            inspect.Parameter.POSITIONAL_OR_KEYWORD,
        ):
            return True, parameter.default is inspect.Parameter.empty
    return False, False


def _option_names(signature: inspect.Signature | None) -> tuple[list[str], bool]:
    """The keyword options a factory takes (after its location), and whether it takes any."""
    if signature is None:
        return [], True
    parameters = list(signature.parameters.values())
    if parameters and parameters[0].kind is not inspect.Parameter.KEYWORD_ONLY:
        parameters = parameters[1:]  # the location
    names = [
        p.name
        for p in parameters
        if p.kind in (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    ]
    return names, any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters)


def _check_options(
    what: str, name: str, signature: inspect.Signature | None, options: Mapping[str, Any]
) -> None:
    """Refuse an option the adapter does not take, and the common ones' impossible values."""
    taken, any_more = _option_names(signature)
    unknown = [option for option in options if option not in taken]
    if unknown and not any_more:
        its = f"its options: {', '.join(taken)}" if taken else "it takes none"
        raise InvalidSpecError(
            f"the {what} {name!r} takes no option "
            f"{', '.join(_quoted(option, 'name') for option in unknown)}; {its}"
        )
    if "delimiter" in options:
        _check_delimiter(what, name, options["delimiter"])
    if "encoding" in options:
        _check_encoding(what, name, options["encoding"])


def _check_delimiter(what: str, name: str, value: object) -> None:
    if isinstance(value, str) and len(value) == 1 and value not in '\r\n"':
        return
    if isinstance(value, str) and not value:
        got = "an empty value"
    elif isinstance(value, str) and len(value) <= 4 and not any(c.isalnum() for c in value):
        got = repr(value)
    else:
        got = shown(value)
    raise InvalidSpecError(
        f"the {what} {name!r}: the option 'delimiter' must be one character other than a "
        f"quote or a line break, such as ',' or ';' or a tab; got {got}"
    )


def _check_encoding(what: str, name: str, value: object) -> None:
    # Checked here, not at the first file: a folder without table files reads nothing.
    try:
        if isinstance(value, str) and codecs.lookup(value)._is_text_encoding:
            return
    except LookupError:
        pass
    got = _quoted(value, "name") if isinstance(value, str) else shown(value)
    raise InvalidSpecError(
        f"the {what} {name!r}: the option 'encoding' names no text encoding Python knows, "
        f"got {got}; such as {_TEXT_ENCODINGS}"
    )


def _check_name(group: str, what: str, name: str) -> None:
    if not _NAME.fullmatch(name) or contains_pin(name):
        raise UnknownAdapterError(
            what,
            name,
            _names(group),
            message=(
                f"no {what} has the name given ({len(name)} characters, not shown: it may "
                f"be personal data); a spec is NAME:LOCATION, such as csv:extract/; "
                f"known: {', '.join(_names(group)) or 'none'}"
            ),
        )


def _open(group: str, what: str, spec: str, options: Mapping[str, Any]) -> Any:
    """What the factory named by *spec* makes of its location and *options*."""
    name, location = _split(spec, group, what)
    _check_name(group, what, name)
    factory = _factory(group, what, name)
    if name == _SQL and "://" not in location:
        raise InvalidSpecError(
            f"the {what} 'sql' takes a database URL, such as postgresql+psycopg://user@host/db "
            "(the whole spec); for a SQLite file write sqlite:FILE"
        )
    signature = _signature(factory)
    takes, must = _takes_location(signature)
    if must and not location.strip():
        raise InvalidSpecError(
            f"the {what} spec {name!r} names no location; write {name}:LOCATION "
            "(a folder, a file or a database URL)"
        )
    _check_options(what, name, signature, options)
    try:
        return factory(location, **options) if takes else factory(**options)
    except SocforstError:
        raise
    except ImportError as error:  # a module the adapter needs is not installed
        raise PluginError(name, f"needs a module that is not installed: {error.name}") from error
    except Exception as error:
        # The library's own text may quote the location or an option: name its kind only.
        raise InvalidSpecError(
            f"the {what} {name!r} cannot use the location or the options given "
            f"({type(error).__name__})"
        ) from error


def adapter_options(spec: str, *, exporter: bool = False) -> frozenset[str]:
    """The options the source (or exporter) a spec names declares by name.

    An adapter that passes any keyword on (the SQL adapters give them to
    SQLAlchemy) declares only those it names.

    Raises:
        UnknownAdapterError: If no adapter has the spec's name.
        InvalidSpecError: If the spec is empty or malformed.
        PluginError: If the named plugin fails to load.

    Example:
        >>> from socforst.registry import adapter_options
        >>> "delimiter" in adapter_options("csv:extract")
        True
        >>> "raw" in adapter_options("csv:extract", exporter=True)
        True
    """
    group, what = (EXPORTER_GROUP, "exporter") if exporter else (SOURCE_GROUP, "source")
    name, _ = _split(spec, group, what)
    _check_name(group, what, name)
    return frozenset(_option_names(_signature(_factory(group, what, name)))[0])


def location_of(adapter: object) -> Path | None:
    """The file or folder an opened source or exporter reads or writes, if it names one.

    socforst's adapters keep it as ``path`` (a SQLite database as its engine's
    URL); a plugin's adapter is found the same way if it has a ``path``
    attribute. ``None`` for the demo city and a database on a server.
    """
    path = getattr(adapter, "path", None)
    if isinstance(path, str | os.PathLike) and os.fspath(path):
        return Path(path)
    url = getattr(getattr(adapter, "engine", None), "url", None)
    database = getattr(url, "database", None)
    backend = getattr(url, "get_backend_name", lambda: None)()
    if backend == "sqlite" and isinstance(database, str) and database not in ("", ":memory:"):
        return Path(database)
    return None


def open_source(spec: str, **options: Any) -> Source:
    """The source a spec names, found through the entry points.

    ``csv:DIR``, ``json:FILE``, ``xlsx:FILE``, ``sqlite:FILE``, a SQLAlchemy URL
    (``postgresql+psycopg://...``, also written ``sql:postgresql+psycopg://...``),
    or ``NAME:LOCATION`` of a plugin. Only a source that takes no location
    (``demo``) may be named without one.

    Args:
        spec: The adapter's name, a colon, and the location.
        options: Passed to the adapter (``delimiter=";"``, ``encoding="cp1252"``, ...).

    Raises:
        UnknownAdapterError: If no source has the name, or a URL's scheme is no
            database; it lists the names there are.
        InvalidSpecError: If the spec is empty or has no location, or the source
            does not take an option, or cannot use the location or an option
            (a ``delimiter`` of two characters, an unknown ``encoding``).
        PluginError: If the named plugin fails to load.

    Example:
        >>> import socforst
        >>> type(socforst.open_source("json:extract.json")).__name__
        'JsonSource'
    """
    source = _open(SOURCE_GROUP, "source", spec, options)
    if not isinstance(source, Source):
        raise PluginError(
            spec.partition(":")[0], f"gave a {type(source).__name__}, which has no read()"
        )
    return source


def open_exporter(spec: str, **options: Any) -> Exporter:
    """The exporter a spec names: ``csv:DIR``, ``json:FILE``, or a plugin's ``NAME:LOCATION``.

    Raises:
        UnknownAdapterError: If no exporter has the name; it lists those that do.
        InvalidSpecError: As for :func:`open_source`.
        PluginError: If the named plugin fails to load.
    """
    exporter = _open(EXPORTER_GROUP, "exporter", spec, options)
    if not isinstance(exporter, Exporter):
        raise PluginError(
            spec.partition(":")[0], f"gave a {type(exporter).__name__}, which is not an exporter"
        )
    return exporter
