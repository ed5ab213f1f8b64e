"""Sphinx configuration for the socforst documentation."""

from __future__ import annotations

import importlib.metadata

# -- Project -----------------------------------------------------------------

project = "socforst"
author = "The socforst developers"
copyright = "the socforst developers"
release = importlib.metadata.version("socforst")
version = ".".join(release.split(".")[:2])
language = "en"

# -- General -----------------------------------------------------------------

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.doctest",
    "sphinx.ext.intersphinx",
    "sphinx.ext.viewcode",
]
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
root_doc = "index"
exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]

myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

# -- autodoc and napoleon ----------------------------------------------------

autodoc_typehints = "description"
autodoc_member_order = "bysource"
napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_custom_sections = [("References", "notes_style")]

# -- intersphinx -------------------------------------------------------------

# The builds run without network access, so no inventory can be fetched.
# With network access, add: {"python": ("https://docs.python.org/3", None)}
# and remove the standard-library entries from nitpick_ignore below.
intersphinx_mapping: dict[str, tuple[str, str | None]] = {}

# -- Nitpicky references that cannot resolve ---------------------------------

# Only targets that cannot resolve in an offline build; each says why.
nitpick_ignore: list[tuple[str, str]] = [
    # The standard library: no Python inventory without network access.
    ("py:class", "datetime.date"),
    ("py:class", "collections.abc.Iterable"),
    ("py:class", "collections.abc.Mapping"),
    ("py:class", "collections.abc.Sequence"),
    ("py:class", "collections.abc.Iterator"),
    ("py:class", "collections.abc.Callable"),
    ("py:class", "datetime.datetime"),
    ("py:class", "datetime.time"),
    # attrs and cattrs: no inventory offline; the models' validators take an
    # attrs.Attribute, and socforst.converters documents its cattrs converter.
    ("py:class", "attrs.Attribute"),
    ("py:class", "cattrs.Converter"),
    ("py:class", "cattrs.converters.Converter"),
    ("py:exc", "cattrs.BaseValidationError"),
    # autodoc does not evaluate the string annotations of an exception's own
    # __init__ (src/socforst/errors.py, DistrictNotActiveError: ``on: dt.date``),
    # so the annotation reaches the page as written.
    ("py:class", "dt.date"),
    # numpy: no inventory offline. RuleBook.evaluate_columns takes
    # numpy.typing.ArrayLike, which autodoc expands into numpy's own (private)
    # protocol classes; their paths may change with the numpy version.
    ("py:class", "pathlib.Path"),
    ("py:class", "os.PathLike"),
    ("py:class", "numpy.dtype"),
    ("py:class", "numpy.datetime64"),
    # RuleBook.cite_columns returns a numpy array of strings.
    ("py:class", "numpy.ndarray"),
    ("py:class", "numpy.str_"),
    ("py:class", "numpy._typing._array_like._Buffer"),
    ("py:class", "numpy._typing._array_like._SupportsArray"),
    ("py:class", "numpy._typing._nested_sequence._NestedSequence"),
    # matplotlib: no inventory offline; socforst.plots returns its Figure.
    ("py:class", "matplotlib.figure.Figure"),
]

# -- HTML --------------------------------------------------------------------

html_theme = "furo"
html_title = f"socforst {release}"

# SQLAlchemy: no inventory offline; sql.py's annotations name it as ``sa``.
nitpick_ignore_regex = [
    (r"py:.*", r"sqlalchemy(\..*)?"),
    (r"py:class", r"sa\..*"),
    # pyarrow: no inventory offline; the table path's annotations name it as ``pa``.
    (r"py:class", r"(pa|pyarrow)\..*"),
    # The row type variable of socforst.results.Result.
    (r"py:class", r"(socforst\.results\.)?R"),
]
