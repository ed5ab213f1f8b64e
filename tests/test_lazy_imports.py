"""What starting socforst imports: the public names load on first use, the CLI per command.

Each import check runs in a fresh interpreter (this process has imported
everything already) and looks at ``sys.modules`` when it is done. Speed itself is
measured in ``benchmarks/startup.py``, never here.
"""

from __future__ import annotations

import ast
import contextlib
import importlib
import io
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

import socforst
from socforst import cli, privacy, queries
from socforst.assignments import AssignmentPolicy
from socforst.rules.base import DeadlineStatus
from socforst.sources import DEADLINE_COLUMNS

# Never on the way to --help, the built-in registry or the public names.
HEAVY = frozenset({"numpy", "pyarrow", "matplotlib", "openpyxl", "sqlalchemy"})
# Not for --help either: the legal calendar, the case models' time zones, the converters.
NOT_FOR_HELP = HEAVY | {"holidays", "pendulum", "cattrs"}

COMMANDS = (
    "districts",
    "deadlines",
    "compliance",
    "availability",
    "utilisation",
    "costs",
    "need",
    "plan",
    "export",
    "sources",
    "check",
    "pseudonymize",
    "demo",
)

_RUN_MAIN = textwrap.dedent(
    """
    import contextlib, io, json, sys

    from socforst.cli import main

    status = None
    with (
        contextlib.redirect_stdout(io.StringIO()) as out,
        contextlib.redirect_stderr(io.StringIO()) as err,
        contextlib.suppress(SystemExit),
    ):
        status = main(json.loads(sys.argv[1]))
    modules = sorted(sys.modules)
    print(json.dumps({"status": status, "out": out.getvalue(), "err": err.getvalue(),
                      "modules": modules}))
    """
)


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("SOCFORST_SOURCE", None)  # the demo city is the default source
    return env


def _in_a_fresh_process(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        check=True,
        env=_environment(),
    )
    return done.stdout


def _main_in_a_fresh_process(*argv: str) -> dict[str, Any]:
    """``socforst.cli.main(argv)`` in a new interpreter: status, output and modules."""
    found: dict[str, Any] = json.loads(_in_a_fresh_process("-c", _RUN_MAIN, json.dumps(argv)))
    return found


def _packages(modules: list[str]) -> set[str]:
    return {name.partition(".")[0] for name in modules}


def test_import_socforst_imports_no_heavy_package() -> None:
    """``import socforst`` loads none of numpy, pyarrow, ...: its names come on first use."""
    script = "import json, sys, socforst; print(json.dumps(sorted(sys.modules)))"
    modules = json.loads(_in_a_fresh_process("-c", script))
    assert set() == _packages(modules) & NOT_FOR_HELP
    assert "socforst.rules" not in modules


def test_help_imports_no_heavy_package() -> None:
    """``socforst --help`` builds every command's options without loading what they run."""
    found = _main_in_a_fresh_process("--help")
    assert 0 == found["status"]
    assert "usage: socforst" in found["out"]
    assert set() == _packages(found["modules"]) & NOT_FOR_HELP


@pytest.mark.parametrize("command", COMMANDS)
def test_the_help_of_every_command_imports_no_heavy_package(command: str) -> None:
    """``socforst COMMAND --help`` shows the defaults without importing their modules."""
    found = _main_in_a_fresh_process(command, "--help")
    assert 0 == found["status"]
    assert f"usage: socforst {command}" in found["out"]
    assert set() == _packages(found["modules"]) & NOT_FOR_HELP


@pytest.mark.parametrize(
    "argv",
    [
        ("deadlines", "--status", "never"),
        ("need", "--weight", "sunshine=1"),
        ("compliance", "--kind", "placement"),
        ("plan", "--min-days", "0"),
        ("districts", "--on", "2019-13-01"),
        ("nonsense",),
    ],
)
def test_a_usage_error_imports_no_heavy_package(argv: tuple[str, ...]) -> None:
    """A mistyped option fails with status 2 before anything heavy is loaded.

    The message filter may load the case models (their code words may be quoted),
    and with them pendulum; numpy, pyarrow, holidays and cattrs stay out.
    """
    found = _main_in_a_fresh_process(*argv)
    assert 2 == found["status"]
    assert "error:" in found["err"]
    assert set() == _packages(found["modules"]) & (NOT_FOR_HELP - {"pendulum"})


def test_districts_lists_the_built_in_registry_without_building_the_demo_city() -> None:
    """``socforst districts`` on the demo city needs its registry only: no city, no numpy."""
    found = _main_in_a_fresh_process("districts")
    assert 0 == found["status"]
    assert "farsta" in found["out"]
    assert "socforst.demo" not in found["modules"]
    assert set() == _packages(found["modules"]) & NOT_FOR_HELP


def test_districts_as_csv_imports_no_heavy_package() -> None:
    """The CSV output's formula guard is light too."""
    found = _main_in_a_fresh_process("districts", "--format", "csv")
    assert 0 == found["status"]
    assert set() == _packages(found["modules"]) & HEAVY


def test_python_dash_m_socforst_help_runs_without_a_heavy_package() -> None:
    """``python -m socforst --help``, the module entry point, as a whole process."""
    script = "import runpy, sys, json\n" + textwrap.dedent(
        """
        sys.argv = ["socforst", "--help"]
        try:
            runpy.run_module("socforst", run_name="__main__")
        except SystemExit as stop:
            print(json.dumps({"status": stop.code, "modules": sorted(sys.modules)}))
        """
    )
    found = json.loads(_in_a_fresh_process("-c", script).splitlines()[-1])
    assert 0 == found["status"]
    assert set() == _packages(found["modules"]) & NOT_FOR_HELP


@pytest.mark.parametrize("extra", [(), ("--all",), ("--on", "2019-06-01")])
def test_the_demo_citys_districts_are_the_same_whether_or_not_the_city_is_built(
    extra: tuple[str, ...],
) -> None:
    """The short way (``demo``) lists what reading the city (``demo`` with an option) lists."""
    outputs = []
    for source in (("--source", "demo:7"), ("--source-option", "end=2016-03-31")):
        with contextlib.redirect_stdout(io.StringIO()) as out:
            assert 0 == cli.main(["districts", *source, *extra, "--format", "csv"])
        outputs.append(out.getvalue())
    assert outputs[0] == outputs[1]
    assert "code,name,valid_from,valid_to,successor,kind" == outputs[0].splitlines()[0]


def test_a_malformed_demo_seed_is_still_refused_by_districts(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """``demo:x`` is opened as before, and the demo source refuses it."""
    assert 1 == cli.main(["districts", "--source", "demo:x"])
    assert "seed" in capsys.readouterr().err


def test_version_prints_the_installed_version(capsys: pytest.CaptureFixture[str]) -> None:
    """``socforst --version`` reads the version when asked for it."""
    assert 0 == cli.main(["--version"])
    assert f"socforst {socforst.__version__}\n" == capsys.readouterr().out


# -- the public names -------------------------------------------------------------------------


@pytest.mark.parametrize("name", socforst.__all__)
def test_every_public_name_resolves(name: str) -> None:
    """``socforst.X`` and ``from socforst import X`` work for every name of ``__all__``."""
    value = getattr(socforst, name)
    namespace: dict[str, object] = {}
    exec(f"from socforst import {name}", namespace)
    assert value is namespace[name]
    assert name in dir(socforst)


def test_each_public_name_is_the_object_of_its_module() -> None:
    """The lazy names are the objects their modules define, not copies."""
    for name, module in socforst._MODULE_OF.items():
        assert getattr(importlib.import_module(module), name) is getattr(socforst, name)
    assert set(socforst.__all__) == {*socforst._MODULE_OF, "__version__"}


def test_the_type_checking_imports_name_the_same_modules_as_the_lazy_ones() -> None:
    """The imports that mypy and readers see agree with what ``__getattr__`` loads."""
    tree = ast.parse(Path(socforst.__file__).read_text(encoding="utf-8"))
    typed: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            for statement in node.body:
                if isinstance(statement, ast.ImportFrom) and statement.module is not None:
                    typed.update({alias.name: statement.module for alias in statement.names})
    assert socforst._MODULE_OF == typed


def test_public_submodules_are_attributes_and_unknown_names_are_not() -> None:
    """``socforst.queries`` works without importing it first; a wrong name is an AttributeError."""
    assert queries is socforst.queries
    assert importlib.import_module("socforst.demo") is socforst.demo
    with pytest.raises(AttributeError, match="no attribute 'no_such_thing'"):
        _ = socforst.no_such_thing
    assert not hasattr(socforst, "_private")


# -- what the parser copies -------------------------------------------------------------------


def test_what_the_parser_shows_equals_the_modules_that_define_it() -> None:
    """The CLI's copies (kept so that building the parser imports nothing heavy) are current."""
    assert DEADLINE_COLUMNS == cli._DEADLINE_COLUMNS
    assert tuple(status.value for status in DeadlineStatus) == cli._STATUSES
    assert queries.COMPLIANCE_KINDS == cli._COMPLIANCE_KINDS
    assert queries.NEED_FACTORS == cli._NEED_FACTORS
    assert dict(queries.NEED_WEIGHTS) == dict(cli._NEED_WEIGHTS)
    assert privacy.KEY_VARIABLE == cli._KEY_VARIABLE
    policy = AssignmentPolicy()
    assert (policy.min_days, policy.max_months) == (cli._POLICY_MIN_DAYS, cli._POLICY_MAX_MONTHS)
