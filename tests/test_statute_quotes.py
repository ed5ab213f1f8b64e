"""Every Swedish quotation in the rules' docstrings and the law pages is in the statute text.

The legal audit of 2026-11 found words presented as a quotation that no statute
contains (section 6, items 1 and 3). This test reads each docstring of the modules
that state the law and the docs pages a lawyer reads (rules, glossary, data),
finds the passages in double quotes that are Swedish, and
checks each against ``tests/data/statutes.md`` (the texts as Riksdagen publishes
them, or for repealed acts as the audit quotes them with its sources). A passage
shortened with ``...`` is checked piece by piece.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import socforst.cases
import socforst.rules.base
import socforst.rules.book
import socforst.rules.lvu
import socforst.rules.sol

STATUTES = Path(__file__).parent / "data" / "statutes.md"
DOCS = Path(__file__).parent.parent / "docs"
PAGES = ["rules.md", "glossary.md", "data.md"]
MODULES = [
    socforst.cases,
    socforst.rules.base,
    socforst.rules.book,
    socforst.rules.lvu,
    socforst.rules.sol,
]
# Words that mark a passage as Swedish: function words of statute language.
SWEDISH = re.compile(
    r"[åäöÅÄÖ]|\b(ska|skall|om|inom|den|dag|då|när|efter|att|och|var|minst|en|gång|"
    r"genast|upphör|beslut|vård|denna|detta|dock)\b"
)


def _normal(text: str) -> str:
    return " ".join(text.split())


def _docstrings(path: str) -> list[str]:
    """Every docstring in a module's source: module, classes, functions, attributes."""
    tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if not isinstance(body, list):
            continue
        for child in body:
            if (
                isinstance(child, ast.Expr)
                and isinstance(child.value, ast.Constant)
                and isinstance(child.value.value, str)
            ):
                found.append(child.value.value)
    return found


def _quoted(text: str) -> list[str]:
    """The Swedish passages of *text* in straight or curly double quotes."""
    found = re.findall(r'"([^"]+)"', text) + re.findall(r"“([^”]+)”", text)
    return [_normal(q) for q in found if SWEDISH.search(_normal(q))]


def _quotations() -> list[tuple[str, str]]:
    quotes: list[tuple[str, str]] = []
    for module in MODULES:
        assert module.__file__ is not None
        for doc in _docstrings(module.__file__):
            quotes.extend((module.__name__, q) for q in _quoted(doc))
    for page in PAGES:
        # Code in a page (doctests, CSV samples) quotes Python strings, not the law.
        text = re.sub(r"```.*?```", "", (DOCS / page).read_text(encoding="utf-8"), flags=re.S)
        text = re.sub(r"`[^`]*`", "", text)
        quotes.extend((f"docs/{page}", q) for q in _quoted(text))
    return quotes


QUOTATIONS = _quotations()


def test_the_modules_quote_the_law_at_all() -> None:
    """The check below reads something: the rules quote at least LVU 5, 7, 8, 13 and 14 §."""
    assert len(QUOTATIONS) >= 12
    assert any("vann laga kraft" in text for _, text in QUOTATIONS)


@pytest.mark.parametrize(("module", "quotation"), QUOTATIONS, ids=lambda v: str(v)[:40])
def test_every_swedish_quotation_is_in_the_statute_text(module: str, quotation: str) -> None:
    statutes = _normal(STATUTES.read_text(encoding="utf-8"))
    for piece in re.split(r"\s*(?:\.\.\.|…)\s*", quotation):
        piece = piece.strip(" ,.;:")
        if not piece:
            continue
        # A quotation may begin mid-sentence: a capital letter in the statute is lower here.
        assert piece in statutes or (piece[0].upper() + piece[1:]) in statutes, (
            f"{module} quotes {piece!r}, which is not in tests/data/statutes.md"
        )
