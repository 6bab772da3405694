"""The functional core stays pure: no AWS client, no clock, no I/O, and nothing from the shell. A module
that needs any of those belongs in engine/, aws/ or telemetry/."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[2] / "layers" / "autoscaler" / "sagemaker_autoscaler" / "core"
ALLOWED_MODULES = {
    "__future__",
    "collections",
    "collections.abc",
    "dataclasses",
    "msgspec",  # the value types (Struct): data only, and cheap to define at a cold start
    "msgspec.structs",  # replace(): a changed copy of a value
    "datetime",
    "enum",
    "itertools",
    "json",
    "math",
    "re",
    "typing",
    "zoneinfo",  # the zone database: data, read the same way every time
}
# Calls that read the clock (``datetime.now()``...) or the outside world (the modules that could, such as
# os, time or boto3, are already refused by the import test).
CLOCK_METHODS = {"now", "utcnow", "today"}
IO_FUNCTIONS = {"open", "input", "print"}


def imports_of(tree: ast.AST) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def forbidden_calls(tree: ast.AST) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        function = node.func
        if isinstance(function, ast.Attribute) and function.attr in CLOCK_METHODS:
            found.add(function.attr)
        if isinstance(function, ast.Name) and function.id in IO_FUNCTIONS:
            found.add(function.id)
    return found


MODULES = sorted(CORE.glob("*.py"))


def test_the_core_has_modules() -> None:
    assert len(MODULES) >= 10


@pytest.mark.parametrize("path", MODULES, ids=[path.name for path in MODULES])
def test_a_core_module_imports_only_the_standard_library_and_the_core(path: Path) -> None:
    tree = ast.parse(path.read_text())
    outside = {
        module
        for module in imports_of(tree)
        if module not in ALLOWED_MODULES and not module.startswith("sagemaker_autoscaler.core")
    }
    assert outside == set(), f"{path.name} imports {sorted(outside)}"


@pytest.mark.parametrize("path", MODULES, ids=[path.name for path in MODULES])
def test_a_core_module_reads_no_clock_and_does_no_io(path: Path) -> None:
    assert forbidden_calls(ast.parse(path.read_text())) == set(), path.name
